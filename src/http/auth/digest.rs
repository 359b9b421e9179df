//! HTTP Digest access authentication (RFC 7616) with `qop=auth`, and the older form without qop
//! (RFC 2069) for servers that still send it.
//!
//! The client reads the server's challenge with [`Challenge::parse`] (or
//! [`Challenge::from_header_values`] when there are several `WWW-Authenticate` fields) and answers
//! with [`Challenge::authorization`]. (The demo API checks answers with its own implementation,
//! `demo::digest`, so each side is tested against the other and against RFC 7616's examples.)
//!
//! Supported: MD5 and SHA-256, each also as `-sess`. Not supported, with a clear error:
//! `qop=auth-int` (a hash of the body) and other algorithms such as SHA-512-256. `userhash`,
//! `charset` and `domain` are read past and ignored (the user name is sent in the clear, which
//! RFC 7616 allows).

use std::fmt;

use md5::Md5;
use sha2::{Digest as _, Sha256};

use crate::model::quote;

/// The hash a challenge asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    /// Reads an `algorithm` parameter, case-insensitively.
    pub fn parse(name: &str) -> Result<Algorithm, DigestError> {
        match name.to_ascii_uppercase().as_str() {
            "MD5" => Ok(Algorithm::Md5),
            "MD5-SESS" => Ok(Algorithm::Md5Sess),
            "SHA-256" => Ok(Algorithm::Sha256),
            "SHA-256-SESS" => Ok(Algorithm::Sha256Sess),
            _ => Err(DigestError::UnsupportedAlgorithm(name.to_owned())),
        }
    }

    /// The name as RFC 7616 spells it (`MD5`, `MD5-sess`, `SHA-256`, `SHA-256-sess`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn is_session(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }

    /// Which of several offered challenges to answer: the stronger hash first, then the plain
    /// form over `-sess` (the more widely implemented one).
    fn preference(self) -> u8 {
        match self {
            Algorithm::Sha256 => 3,
            Algorithm::Sha256Sess => 2,
            Algorithm::Md5 => 1,
            Algorithm::Md5Sess => 0,
        }
    }

    /// The hash of `data` as lower-case hex.
    fn hex_hash(self, data: &str) -> String {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => hex(&Md5::digest(data.as_bytes())),
            Algorithm::Sha256 | Algorithm::Sha256Sess => hex(&Sha256::digest(data.as_bytes())),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The quality of protection answered with. Only `auth` is supported; a challenge without qop is
/// answered the RFC 2069 way (`Option<Qop>` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qop {
    Auth,
}

impl Qop {
    pub fn name(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
        }
    }
}

/// Why a challenge cannot be answered, or an answer cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("{}", no_digest_message(.offered))]
    NoDigestChallenge {
        /// The schemes the server did offer, as written.
        offered: Vec<String>,
    },
    #[error("the Digest {part} has no {param} parameter")]
    Missing {
        /// `challenge` or `Authorization`.
        part: &'static str,
        param: &'static str,
    },
    #[error(
        "unsupported digest algorithm {0} (scout supports MD5, MD5-sess, SHA-256 and SHA-256-sess)"
    )]
    UnsupportedAlgorithm(String),
    #[error("the server asked for qop=auth-int, which scout does not support")]
    QopAuthInt,
    #[error("unsupported digest qop {0:?} (scout supports qop=auth only)")]
    UnsupportedQop(String),
    #[error("not a Digest Authorization header")]
    NotDigest,
}

fn no_digest_message(offered: &[String]) -> String {
    if offered.is_empty() {
        "the server sent no authentication challenge".to_owned()
    } else {
        format!(
            "the server did not offer Digest authentication (it offered {})",
            offered.join(", ")
        )
    }
}

/// A server's Digest challenge, checked: every `Challenge` can be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    /// Returned unchanged in the answer when present.
    pub opaque: Option<String>,
    /// `MD5` when the challenge names none.
    pub algorithm: Algorithm,
    /// `Some(Qop::Auth)` when the server offered `qop=auth`; `None` for a challenge without qop.
    pub qop: Option<Qop>,
    /// The server rejected the previous answer only because its nonce expired: answering this
    /// challenge with the same credentials is expected to work, no need to ask for a password.
    pub stale: bool,
}

impl Challenge {
    /// The Digest challenge in one `WWW-Authenticate` value, which may hold several challenges
    /// (`Digest realm=…, Basic realm=…`). See [`Challenge::from_header_values`].
    pub fn parse(header_value: &str) -> Result<Challenge, DigestError> {
        Challenge::from_header_values([header_value])
    }

    /// The best Digest challenge across every `WWW-Authenticate` value of a response: SHA-256 over
    /// MD5 when the server offers both. When none can be answered, the first one's error (say,
    /// `qop=auth-int`), or [`DigestError::NoDigestChallenge`] naming what was offered instead.
    pub fn from_header_values<'a>(
        values: impl IntoIterator<Item = &'a str>,
    ) -> Result<Challenge, DigestError> {
        let schemes: Vec<Scheme> = values.into_iter().flat_map(split_schemes).collect();
        let mut best: Option<Challenge> = None;
        let mut first_error = None;
        for scheme in schemes.iter().filter(|s| s.is_digest()) {
            match Challenge::from_scheme(scheme) {
                Ok(challenge) => {
                    let better = best.as_ref().is_none_or(|b| {
                        challenge.algorithm.preference() > b.algorithm.preference()
                    });
                    if better {
                        best = Some(challenge);
                    }
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        best.ok_or_else(|| {
            first_error.unwrap_or_else(|| DigestError::NoDigestChallenge {
                offered: schemes.into_iter().map(|s| s.name).collect(),
            })
        })
    }

    fn from_scheme(scheme: &Scheme) -> Result<Challenge, DigestError> {
        let required = |param: &'static str| {
            scheme
                .param(param)
                .map(str::to_owned)
                .ok_or(DigestError::Missing {
                    part: "challenge",
                    param,
                })
        };
        let algorithm = match scheme.param("algorithm") {
            Some(name) => Algorithm::parse(name)?,
            None => Algorithm::Md5,
        };
        let qop = match scheme.param("qop") {
            None => None,
            Some(list) => {
                let offered: Vec<&str> = list.split(',').map(str::trim).collect();
                if offered.iter().any(|q| q.eq_ignore_ascii_case("auth")) {
                    Some(Qop::Auth)
                } else if offered.iter().any(|q| q.eq_ignore_ascii_case("auth-int")) {
                    return Err(DigestError::QopAuthInt);
                } else {
                    return Err(DigestError::UnsupportedQop(list.to_owned()));
                }
            }
        };
        Ok(Challenge {
            realm: required("realm")?,
            nonce: required("nonce")?,
            opaque: scheme.param("opaque").map(str::to_owned),
            algorithm,
            qop,
            stale: scheme
                .param("stale")
                .is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    /// The `Authorization` header value answering this challenge for one request.
    ///
    /// `uri` is the request target as sent (path and query, e.g. `/items?page=2`); `nc` counts the
    /// requests made with this challenge's nonce, from 1; `cnonce` is a fresh [`cnonce`].
    pub fn authorization(
        &self,
        method: &str,
        uri: &str,
        username: &str,
        password: &str,
        nc: u32,
        cnonce: &str,
    ) -> String {
        // `-sess` hashes the client nonce into HA1, so it is sent even without qop.
        let uses_cnonce = self.qop.is_some() || self.algorithm.is_session();
        let mut answer = Authorization {
            username: username.to_owned(),
            realm: self.realm.clone(),
            nonce: self.nonce.clone(),
            uri: uri.to_owned(),
            response: String::new(),
            algorithm: self.algorithm,
            qop: self.qop,
            nc: self.qop.map(|_| format!("{nc:08x}")),
            cnonce: uses_cnonce.then(|| cnonce.to_owned()),
            opaque: self.opaque.clone(),
        };
        answer.response = answer.expected_response(method, password);
        answer.header_value()
    }
}

/// The parameters of an `Authorization: Digest …` header, as the client sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    /// The hex digest proving the password.
    pub response: String,
    pub algorithm: Algorithm,
    pub qop: Option<Qop>,
    /// The nonce count, as sent (8 hex digits); present with a qop.
    pub nc: Option<String>,
    pub cnonce: Option<String>,
    pub opaque: Option<String>,
}

impl Authorization {
    /// Reads an `Authorization` header value (`Digest username="…", …`): the tests read answers
    /// back with it.
    #[cfg(test)]
    pub fn parse(header_value: &str) -> Result<Authorization, DigestError> {
        let schemes = split_schemes(header_value);
        let scheme = schemes
            .first()
            .filter(|s| s.is_digest())
            .ok_or(DigestError::NotDigest)?;
        let optional = |param: &str| scheme.param(param).map(str::to_owned);
        let required = |param: &'static str| {
            optional(param).ok_or(DigestError::Missing {
                part: "Authorization",
                param,
            })
        };
        let qop = match scheme.param("qop") {
            None => None,
            Some(q) if q.eq_ignore_ascii_case("auth") => Some(Qop::Auth),
            Some(other) => return Err(DigestError::UnsupportedQop(other.to_owned())),
        };
        let (nc, cnonce) = match qop {
            Some(_) => (Some(required("nc")?), Some(required("cnonce")?)),
            None => (optional("nc"), optional("cnonce")),
        };
        Ok(Authorization {
            username: required("username")?,
            realm: required("realm")?,
            nonce: required("nonce")?,
            uri: required("uri")?,
            response: required("response")?,
            algorithm: match scheme.param("algorithm") {
                Some(name) => Algorithm::parse(name)?,
                None => Algorithm::Md5,
            },
            qop,
            nc,
            cnonce,
            opaque: optional("opaque"),
        })
    }

    /// The `response` these parameters call for, given the password and the request's method.
    pub fn expected_response(&self, method: &str, password: &str) -> String {
        let algorithm = self.algorithm;
        let cnonce = self.cnonce.as_deref().unwrap_or("");
        let mut ha1 = algorithm.hex_hash(&format!("{}:{}:{password}", self.username, self.realm));
        if algorithm.is_session() {
            ha1 = algorithm.hex_hash(&format!("{ha1}:{}:{cnonce}", self.nonce));
        }
        let ha2 = algorithm.hex_hash(&format!("{method}:{}", self.uri));
        match self.qop {
            Some(qop) => algorithm.hex_hash(&format!(
                "{ha1}:{}:{}:{cnonce}:{}:{ha2}",
                self.nonce,
                self.nc.as_deref().unwrap_or(""),
                qop.name()
            )),
            None => algorithm.hex_hash(&format!("{ha1}:{}:{ha2}", self.nonce)),
        }
    }

    /// The header value, parameters in RFC 7616's order.
    pub fn header_value(&self) -> String {
        let mut parts = vec![
            format!("username={}", quote(&self.username)),
            format!("realm={}", quote(&self.realm)),
            format!("uri={}", quote(&self.uri)),
            format!("algorithm={}", self.algorithm),
            format!("nonce={}", quote(&self.nonce)),
        ];
        if let Some(nc) = &self.nc {
            parts.push(format!("nc={nc}"));
        }
        if let Some(cnonce) = &self.cnonce {
            parts.push(format!("cnonce={}", quote(cnonce)));
        }
        if let Some(qop) = self.qop {
            parts.push(format!("qop={}", qop.name()));
        }
        parts.push(format!("response={}", quote(&self.response)));
        if let Some(opaque) = &self.opaque {
            parts.push(format!("opaque={}", quote(opaque)));
        }
        format!("Digest {}", parts.join(", "))
    }
}

/// A fresh client nonce: 128 random bits as hex, from the system's secure generator.
pub fn cnonce() -> Result<String, crate::model::NoRandom> {
    crate::model::random_token()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One challenge (or credentials) from an auth header: the scheme and its parameters, names
/// lower-cased and values unquoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scheme {
    pub(crate) name: String,
    /// Names in lower case, values unquoted.
    pub(crate) params: Vec<(String, String)>,
}

impl Scheme {
    fn is_digest(&self) -> bool {
        self.name.eq_ignore_ascii_case("digest")
    }

    /// The first value of a parameter (`name` in lower case).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits a `WWW-Authenticate` or `Authorization` value into schemes (RFC 9110 §11): commas
/// separate both challenges and parameters, so a token followed by `=` is a parameter of the
/// current scheme and any other token starts a new scheme. Lenient and total: stray characters
/// are skipped, an unterminated quoted string runs to the end, and a token68 (`Negotiate abc==`)
/// becomes a harmless parameter.
pub(crate) fn split_schemes(value: &str) -> Vec<Scheme> {
    let bytes = value.as_bytes();
    let mut schemes: Vec<Scheme> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b',' || bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_tchar(bytes[i]) {
            i += 1;
        }
        if i == start {
            // Not a token (a stray quote, a non-ASCII byte): skip it. Only ASCII positions are
            // ever sliced, so stepping a byte at a time never splits a character.
            i += 1;
            continue;
        }
        let token = &value[start..i];
        let after = skip_whitespace(bytes, i);
        if bytes.get(after) == Some(&b'=') {
            let (param, next) = read_param_value(value, skip_whitespace(bytes, after + 1));
            i = next;
            if let Some(scheme) = schemes.last_mut() {
                scheme.params.push((token.to_ascii_lowercase(), param));
            }
        } else {
            schemes.push(Scheme {
                name: token.to_owned(),
                params: Vec::new(),
            });
            i = after;
        }
    }
    schemes
}

/// A parameter value at `i`: a quoted-string (escapes removed) or everything up to the next
/// comma or space. Returns the value and the index after it.
fn read_param_value(value: &str, mut i: usize) -> (String, usize) {
    let bytes = value.as_bytes();
    if bytes.get(i) == Some(&b'"') {
        i += 1;
        let mut out = Vec::new();
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if i + 1 < bytes.len() => {
                    out.push(bytes[i + 1]);
                    i += 2;
                }
                b'"' => {
                    i += 1;
                    break;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        (String::from_utf8_lossy(&out).into_owned(), i)
    } else {
        let start = i;
        while i < bytes.len() && bytes[i] != b',' && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        (value[start..i].to_owned(), i)
    }
}

fn skip_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
