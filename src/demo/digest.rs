//! The demo server's own reading and checking of HTTP Digest answers (RFC 7616 §3.4), written
//! apart from the client's code in `http::auth::digest`: the client is tested against an
//! independent implementation, so a mistake in one cannot hide in the other.

use md5::{Digest as _, Md5};
use sha2::Sha256;

/// The hash algorithms the demo offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    /// `MD5` or `SHA-256` as written in a challenge, an answer or the demo's URL (any case).
    pub(super) fn parse(text: &str) -> Option<Algorithm> {
        if text.eq_ignore_ascii_case("MD5") {
            Some(Algorithm::Md5)
        } else if text.eq_ignore_ascii_case("SHA-256") {
            Some(Algorithm::Sha256)
        } else {
            None
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    /// The lower-case hex digest of `text`.
    fn hex(self, text: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 => Md5::digest(text.as_bytes()).to_vec(),
            Algorithm::Sha256 => Sha256::digest(text.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The parameters of an `Authorization: Digest …` header, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Answer {
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub response: String,
    /// As written (`MD5` when absent, per RFC 7616 §3.4).
    pub algorithm: String,
    pub qop: Option<String>,
    pub nc: Option<String>,
    pub cnonce: Option<String>,
    pub opaque: Option<String>,
}

impl Answer {
    /// Reads `Digest name=value, name="quoted value", …`; an error says what is missing or
    /// malformed.
    pub(super) fn parse(header: &str) -> Result<Answer, String> {
        let header = header.trim();
        let Some(params) = header
            .get(..6)
            .filter(|scheme| scheme.eq_ignore_ascii_case("digest"))
            .map(|_| &header[6..])
        else {
            return Err("the scheme is not Digest".to_owned());
        };
        let mut answer = Answer {
            algorithm: "MD5".to_owned(),
            ..Answer::default()
        };
        for (name, value) in auth_params(params)? {
            let slot = match name.to_ascii_lowercase().as_str() {
                "username" => &mut answer.username,
                "realm" => &mut answer.realm,
                "nonce" => &mut answer.nonce,
                "uri" => &mut answer.uri,
                "response" => &mut answer.response,
                "algorithm" => &mut answer.algorithm,
                "qop" => answer.qop.insert(String::new()),
                "nc" => answer.nc.insert(String::new()),
                "cnonce" => answer.cnonce.insert(String::new()),
                "opaque" => answer.opaque.insert(String::new()),
                _ => continue,
            };
            *slot = value;
        }
        for (name, value) in [
            ("username", &answer.username),
            ("nonce", &answer.nonce),
            ("uri", &answer.uri),
            ("response", &answer.response),
        ] {
            if value.is_empty() {
                return Err(format!("no {name}"));
            }
        }
        Ok(answer)
    }

    /// The `response` a client knowing `password` computes for this answer's parameters and
    /// `method` (RFC 7616 §3.4.1: `KD(H(A1), nonce:nc:cnonce:qop:H(A2))`, or without qop the
    /// RFC 2069 form `KD(H(A1), nonce:H(A2))`).
    pub(super) fn expected_response(
        &self,
        algorithm: Algorithm,
        method: &str,
        password: &str,
    ) -> String {
        let ha1 = algorithm.hex(&format!("{}:{}:{password}", self.username, self.realm));
        let ha2 = algorithm.hex(&format!("{method}:{}", self.uri));
        let data = match &self.qop {
            Some(qop) => format!(
                "{}:{}:{}:{qop}:{ha2}",
                self.nonce,
                self.nc.as_deref().unwrap_or(""),
                self.cnonce.as_deref().unwrap_or("")
            ),
            None => format!("{}:{ha2}", self.nonce),
        };
        algorithm.hex(&format!("{ha1}:{data}"))
    }
}

/// `a=1, b="x, \"y\""` → `[("a", "1"), ("b", "x, \"y\"")]`.
fn auth_params(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ',') {
            name.push(c);
        }
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Ok(out);
        }
        if chars.next() != Some('=') {
            return Err(format!("`{name}` has no value"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => value.push(c),
                    None => return Err(format!("the value of `{name}` has no closing quote")),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                value.push(c);
            }
            value = value.trim().to_owned();
        }
        out.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
    #[test]
    fn matches_the_rfc_7616_examples() {
        let header = |algorithm: &str, response: &str| {
            format!(
                "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", \
                 uri=\"/dir/index.html\", algorithm={algorithm}, \
                 nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, \
                 cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, \
                 response=\"{response}\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
            )
        };
        for (algorithm, response) in [
            (Algorithm::Md5, "8ca523f5e9506fed4657c9700eebdbec"),
            (
                Algorithm::Sha256,
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ] {
            let answer = Answer::parse(&header(algorithm.name(), response)).unwrap();
            assert_eq!(Algorithm::parse(&answer.algorithm), Some(algorithm));
            assert_eq!(answer.uri, "/dir/index.html");
            assert_eq!(
                answer.expected_response(algorithm, "GET", "Circle of Life"),
                response
            );
        }
    }

    #[test]
    fn malformed_answers_say_what_is_wrong() {
        assert_eq!(
            Answer::parse("Basic abc").unwrap_err(),
            "the scheme is not Digest"
        );
        assert_eq!(
            Answer::parse("Digest username=\"u\", nonce=\"n").unwrap_err(),
            "the value of `nonce` has no closing quote"
        );
        assert_eq!(
            Answer::parse("Digest username=u, nonce=n, uri=/").unwrap_err(),
            "no response"
        );
        let answer =
            Answer::parse(r#"digest username="a\"b", nonce=n, uri="/x?a=1,2", response=r"#)
                .unwrap();
        assert_eq!(answer.username, "a\"b");
        assert_eq!(answer.uri, "/x?a=1,2");
        assert_eq!(answer.algorithm, "MD5");
    }
}
