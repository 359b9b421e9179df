//! Secrets: which headers and cookies carry them, and the [`Redactor`] that hides their values
//! on screen and keeps them out of the history file and saved bodies — values of secret
//! headers, passwords in URLs, and any value the caller names (every resolved secret, and the
//! credentials added when sending), wherever it appears.

use std::borrow::Cow;

/// What a redacted value is replaced with. ASCII, so a redacted URL or header stays printable.
pub const REDACTED: &str = "[redacted]";

/// Secret values shorter than this (in characters) are ignored: redacting `ab` would shred everything.
pub const MIN_SECRET_LEN: usize = 4;

const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];
const SECRET_WORDS: [&str; 3] = ["token", "secret", "key"];

/// Whether a header carries a secret: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`,
/// `X-Api-Key`, or any name containing `token`, `secret` or `key` (case-insensitive).
///
/// ```
/// use scout::model::is_secret_header;
/// assert!(is_secret_header("set-cookie"));
/// assert!(is_secret_header("X-Auth-Token"));
/// assert!(!is_secret_header("Content-Type"));
/// ```
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_HEADERS.contains(&lower.as_str()) || SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// The values of the secret headers among `headers` (`Authorization: Bearer abc…` → the whole
/// value and `abc…`), to redact wherever they appear: an echo server returning the token in its
/// body must not put it on disk.
pub fn secret_header_values<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut values = Vec::new();
    for (name, value) in headers {
        if !is_secret_header(name) {
            continue;
        }
        let value = value.trim();
        values.push(value.to_string());
        if let Some((_, credential)) = value.split_once(' ') {
            values.push(credential.trim().to_string());
        }
    }
    values
}

/// Names of cookies that usually carry a session or a credential (and every secret header name).
pub fn is_secret_cookie(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_secret_header(&lower)
        || ["sess", "sid", "auth", "jwt", "csrf", "xsrf", "pass", "cred"]
            .iter()
            .any(|w| lower.contains(w))
}

/// The values of the secret cookies in a `Cookie` header (`a=1; session_id=abc` → `abc`).
pub fn secret_cookie_values(header: &str) -> Vec<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| is_secret_cookie(name))
        .map(|(_, value)| value.trim().to_string())
        .collect()
}

/// 128 random bits as 32 lower-case hex digits, from the operating system's secure generator:
/// Digest client nonces (an attacker must not predict them), and the demo's nonces and tokens.
/// Should the generator fail, there is no token: nothing falls back to a predictable one.
pub fn random_token() -> Result<String, NoRandom> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| NoRandom(e.to_string()))?;
    Ok(format!("{:032x}", u128::from_le_bytes(bytes)))
}

/// The operating system's secure random generator failed (its error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoRandom(pub String);

impl std::fmt::Display for NoRandom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the system's secure random generator failed ({})",
            self.0
        )
    }
}

/// Secret values to redact wherever they appear (resolved secret variables, auth fields).
/// `Debug` shows only how many there are, so a stray `{:?}` cannot leak them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(pub Vec<String>);

impl From<Vec<String>> for Secrets {
    fn from(values: Vec<String>) -> Secrets {
        Secrets(values)
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} values)", self.0.len())
    }
}

/// Replaces secrets before anything is written. Build it once per record with the secret values in
/// play; by-value redaction also catches a value's JSON-escaped and form-encoded forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    /// Normalized: at least [`MIN_SECRET_LEN`] characters, deduplicated, longest first.
    secret_values: Vec<String>,
}

impl Redactor {
    /// Redacts only by header name and URL userinfo.
    pub fn none() -> Self {
        Redactor::default()
    }

    /// Also redacts each of `values` wherever it appears; empty and short values are ignored.
    pub fn new<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut secret_values = Vec::new();
        for value in values {
            let value: String = value.into();
            if value.chars().count() < MIN_SECRET_LEN {
                continue;
            }
            let json = serde_json::to_string(&value).unwrap_or_default();
            let json = json[1.min(json.len())..json.len().saturating_sub(1)].to_string();
            let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            secret_values.extend([json, form]);
            secret_values.push(value);
        }
        secret_values.retain(|v| v.chars().count() >= MIN_SECRET_LEN);
        secret_values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secret_values.dedup();
        Redactor { secret_values }
    }

    /// The values redacted wherever they appear, longest first (encoded forms included).
    pub fn secret_values(&self) -> &[String] {
        &self.secret_values
    }

    /// `text` with every occurrence of a secret value replaced by [`REDACTED`]; overlapping or
    /// adjacent occurrences become one marker, so no fragment of a secret survives.
    pub fn redact_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut ranges = Vec::new();
        for secret in &self.secret_values {
            let mut from = 0;
            while let Some(i) = text[from..].find(secret.as_str()) {
                let start = from + i;
                ranges.push((start, start + secret.len()));
                from = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        ranges.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        let mut iter = ranges.into_iter().peekable();
        while let Some((start, mut end)) = iter.next() {
            while let Some(&(s, e)) = iter.peek()
                && s <= end
            {
                end = end.max(e);
                iter.next();
            }
            out.push_str(&text[pos..start]);
            out.push_str(REDACTED);
            pos = end;
        }
        out.push_str(&text[pos..]);
        Cow::Owned(out)
    }

    /// [`Redactor::redact_str`] over the UTF-8 runs of a body that may not be text: a secret is
    /// valid UTF-8, so it always lies inside one run; other bytes are kept as they are.
    pub fn redact_bytes<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        if self.secret_values.is_empty() {
            return Cow::Borrowed(bytes);
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            return match self.redact_str(text) {
                Cow::Borrowed(_) => Cow::Borrowed(bytes),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            };
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut changed = false;
        for chunk in bytes.utf8_chunks() {
            let valid = self.redact_str(chunk.valid());
            changed |= matches!(valid, Cow::Owned(_));
            out.extend_from_slice(valid.as_bytes());
            out.extend_from_slice(chunk.invalid());
        }
        if changed {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(bytes)
        }
    }

    /// A URL (or any text containing URLs, such as an error message) with the password of every
    /// `scheme://user:password@host` replaced (a bare `scheme://token@host` loses the whole
    /// userinfo), then redacted by value.
    pub fn redact_url(&self, text: &str) -> String {
        let without_userinfo = redact_userinfo(text);
        self.redact_str(&without_userinfo).into_owned()
    }

    /// A header value as stored: [`REDACTED`] for secret headers (an `Authorization` scheme such as
    /// `Bearer` is kept), otherwise redacted by value.
    pub fn redact_header(&self, name: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        if !is_secret_header(name) {
            return self.redact_str(value).into_owned();
        }
        let lower = name.trim().to_ascii_lowercase();
        if (lower == "authorization" || lower == "proxy-authorization")
            && let Some((scheme, _)) = value.trim_start().split_once(' ')
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return format!("{scheme} {REDACTED}");
        }
        REDACTED.to_string()
    }
}

fn redact_userinfo(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(i) = rest.find("://") {
        let start = i + 3;
        let after = &rest[start..];
        let end = after
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..end];
        out.push_str(&rest[..start]);
        match authority.rfind('@') {
            Some(at) if at > 0 => {
                match authority[..at].split_once(':') {
                    Some((user, password)) if !password.is_empty() => {
                        out.push_str(user);
                        out.push(':');
                        out.push_str(REDACTED);
                    }
                    Some((user, _)) => {
                        out.push_str(user);
                        out.push(':');
                    }
                    None => out.push_str(REDACTED),
                }
                out.push_str(&authority[at..]);
                changed = true;
            }
            _ => out.push_str(authority),
        }
        rest = &after[end..];
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_hex_and_differ() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn the_values_of_session_cookies_are_secret() {
        assert_eq!(
            secret_cookie_values("theme=dark; session_id=abc123; XSRF-TOKEN=t0k; plain"),
            ["abc123", "t0k"]
        );
        assert!(secret_cookie_values("").is_empty());
    }

    #[test]
    fn secret_header_values_are_redacted_wherever_they_appear() {
        let mut values = vec!["env-secret".to_string()];
        values.extend(secret_header_values([
            ("Authorization", "Bearer s3cret-team-token"),
            ("Accept", "application/json"),
            ("X-Api-Key", "k3y-value"),
        ]));
        let r = Redactor::new(values);
        let echoed = r#"{"authorization": "Bearer s3cret-team-token", "k": "k3y-value", "e": "env-secret", "accept": "application/json"}"#;
        assert_eq!(
            r.redact_str(echoed),
            r#"{"authorization": "[redacted]", "k": "[redacted]", "e": "[redacted]", "accept": "application/json"}"#
        );
        assert_eq!(r.redact_str("token=s3cret-team-token"), "token=[redacted]");
    }

    #[test]
    fn secret_header_names() {
        let secret = [
            "Authorization",
            "proxy-authorization",
            "COOKIE",
            "Set-Cookie",
            "x-api-key",
            "X-Auth-Token",
            "X-Client-Secret",
            "Api-Key",
            "Sec-WebSocket-Key",
        ];
        for name in secret {
            assert!(is_secret_header(name), "{name}");
        }
        for name in ["Content-Type", "Accept", "Keep-Alive", "X-Request-Id", ""] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn header_values_are_redacted_by_name_keeping_the_auth_scheme() {
        let r = Redactor::none();
        assert_eq!(
            r.redact_header("Authorization", "Bearer abc.def"),
            "Bearer [redacted]"
        );
        assert_eq!(r.redact_header("authorization", "opaque"), REDACTED);
        assert_eq!(r.redact_header("Set-Cookie", "sid=1; Path=/"), REDACTED);
        assert_eq!(r.redact_header("X-Api-Key", "k-123"), REDACTED);
        assert_eq!(r.redact_header("Accept", "text/html"), "text/html");
        assert_eq!(r.redact_header("Cookie", ""), "");
    }

    #[test]
    fn by_value_ignores_short_and_empty_values_and_merges_overlaps() {
        let r = Redactor::new(["", "abc", "s3cr3t-value", "cdef", "abcd"]);
        assert!(r.secret_values().iter().all(|v| v.len() >= MIN_SECRET_LEN));
        assert_eq!(r.redact_str("no secrets"), "no secrets");
        assert!(matches!(r.redact_str("abc only"), Cow::Borrowed(_)));
        assert_eq!(
            r.redact_str("x s3cr3t-value y s3cr3t-value"),
            "x [redacted] y [redacted]"
        );
        assert_eq!(r.redact_str("abcdef!"), "[redacted]!");
        assert_eq!(r.redact_str("héllo abcd"), "héllo [redacted]");
    }

    #[test]
    fn by_value_catches_escaped_and_form_encoded_forms() {
        let r = Redactor::new([r#"pa"ss word+/"#]);
        assert_eq!(
            r.redact_str(r#"{"p":"pa\"ss word+/"}"#),
            r#"{"p":"[redacted]"}"#
        );
        assert_eq!(r.redact_str("p=pa%22ss+word%2B%2F&x=1"), "p=[redacted]&x=1");
    }

    #[test]
    fn bytes_are_redacted_inside_their_text_runs() {
        let r = Redactor::new(["s3cr3t"]);
        let body = b"\xff\x00key=s3cr3t\xfe;";
        assert_eq!(&*r.redact_bytes(body), b"\xff\x00key=[redacted]\xfe;");
        assert!(matches!(r.redact_bytes(b"\xffplain"), Cow::Borrowed(_)));
        assert_eq!(&*r.redact_bytes(b"text s3cr3t"), b"text [redacted]");
    }

    #[test]
    fn userinfo_is_redacted_in_urls_and_messages() {
        let r = Redactor::new(["tok-123456"]);
        let cases = [
            (
                "https://alice:hunter2@example.com/a?b=1",
                "https://alice:[redacted]@example.com/a?b=1",
            ),
            ("http://ghp_abc@github.com", "http://[redacted]@github.com"),
            ("http://alice:@host/", "http://alice:@host/"),
            ("http://host/path?mail=a@b.c", "http://host/path?mail=a@b.c"),
            (
                "http://host/?t=tok-123456#frag",
                "http://host/?t=[redacted]#frag",
            ),
            (
                "invalid URL `http://u:p@x:99999/`: bad port",
                "invalid URL `http://u:[redacted]@x:99999/`: bad port",
            ),
            ("{{base}}/items", "{{base}}/items"),
        ];
        for (url, want) in cases {
            assert_eq!(r.redact_url(url), want, "{url}");
        }
    }
}
