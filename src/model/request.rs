//! A request as the user wrote it: method, URL, headers and body, plain data shared by the
//! editor, collections, history, the planner and the worker.

use std::fmt;

/// The item after (or before) `current` in `all`, wrapping around: how selectors and tab bars
/// move. An item not in `all` moves from the first.
///
/// ```
/// use scout::model::{cycle, Method};
/// assert_eq!(cycle(&Method::ALL, Method::Options, true), Method::Get);
/// assert_eq!(cycle(&Method::ALL, Method::Get, false), Method::Options);
/// ```
pub fn cycle<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let n = all.len();
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    all[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// The HTTP methods the editor offers, in selector order, and any other a user names
/// (`PURGE`, `QUERY`, `PROPFIND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    #[default]
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Other(Token),
}

/// A method name outside the seven: the token grammar (RFC 9110 §9.1 and §5.6.2: letters,
/// digits and ``!#$%&'*+-.^_`|~``), starting with a letter, up to [`Token::MAX`] characters,
/// kept as written: method names are case-sensitive (one of the seven typed in small letters
/// is that one, see [`Method::named`]). Copy, like the rest of [`Method`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    bytes: [u8; Token::MAX],
    len: u8,
}

impl Token {
    pub const MAX: usize = 24;

    pub fn new(name: &str) -> Option<Token> {
        let ok = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        // A method starts with a letter in practice (a number there is a mistake, not a method).
        let letter_first = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
        if !letter_first || name.len() > Token::MAX || !name.bytes().all(ok) {
            return None;
        }
        let mut bytes = [0; Token::MAX];
        bytes[..name.len()].copy_from_slice(name.as_bytes());
        Some(Token {
            bytes,
            len: name.len() as u8,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII goes in (`new`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Other(token) => token.as_str(),
        }
    }

    /// Case-insensitive parse of one of [`Method::ALL`]; `None` for anything else (see
    /// [`Method::named`] where any method may be written).
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    /// Any method name: one of the seven (in any case), else a token kept as written; `None`
    /// when it is not a token.
    pub fn named(s: &str) -> Option<Method> {
        Method::parse(s).or_else(|| Token::new(s).map(Method::Other))
    }

    /// The next method in selector order, wrapping around (from a named one: GET).
    pub fn next(self) -> Method {
        match self {
            Method::Other(_) => Method::Get,
            m => cycle(&Method::ALL, m, true),
        }
    }

    pub fn prev(self) -> Method {
        match self {
            Method::Other(_) => Method::Options,
            m => cycle(&Method::ALL, m, false),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One editable key/value row (a header, or a form/query field).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    pub enabled: bool,
}

impl KeyValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue {
            key: key.into(),
            value: value.into(),
            enabled: true,
        }
    }
}

/// How the body text is to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyKind {
    /// No body at all.
    #[default]
    None,
    /// `application/json`; validated as the user types.
    Json,
    /// `application/x-www-form-urlencoded`; the text is `a=1&b=2` (newlines also separate fields).
    Form,
    /// `text/plain`.
    Text,
    /// `multipart/form-data`; one part per line, `name=value` or `name@path` (HTTPie syntax).
    Multipart,
    /// The content of a file; the text is its path (relative to the collection or the working
    /// folder). The Content-Type is guessed from the extension unless a header sets it.
    File,
}

impl BodyKind {
    pub const ALL: [BodyKind; 6] = [
        BodyKind::None,
        BodyKind::Json,
        BodyKind::Form,
        BodyKind::Text,
        BodyKind::Multipart,
        BodyKind::File,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BodyKind::None => "none",
            BodyKind::Json => "JSON",
            BodyKind::Form => "form-urlencoded",
            BodyKind::Text => "plain text",
            BodyKind::Multipart => "multipart",
            BodyKind::File => "file",
        }
    }

    /// The Content-Type this kind implies (multipart's boundary is added when sending).
    pub fn content_type(self) -> Option<&'static str> {
        match self {
            BodyKind::None | BodyKind::Multipart | BodyKind::File => None,
            BodyKind::Json => Some("application/json"),
            BodyKind::Form => Some("application/x-www-form-urlencoded"),
            BodyKind::Text => Some("text/plain; charset=utf-8"),
        }
    }

    pub fn next(self) -> BodyKind {
        cycle(&BodyKind::ALL, self, true)
    }
}

/// A request as the user wrote it: the URL still carries its query string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestSpec {
    pub method: Method,
    pub url: String,
    pub headers: Vec<KeyValue>,
    pub body_kind: BodyKind,
    pub body: String,
}

impl RequestSpec {
    /// The request as written, for showing what was sent: request line, enabled headers, body.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = vec![format!("{} {}", self.method, self.url)];
        for h in self
            .headers
            .iter()
            .filter(|h| h.enabled && !h.key.is_empty())
        {
            lines.push(format!("{}: {}", h.key, h.value));
        }
        if self.body_kind != BodyKind::None {
            if let Some(ct) = self.body_kind.content_type() {
                lines.push(format!("(Content-Type: {ct} unless set above)"));
            }
            lines.push(String::new());
            lines.extend(self.body.lines().map(str::to_string));
        }
        lines
    }
}

/// How a saved request's response is looked at (`view = { filter = …, ignore = […] }` in a
/// collection): a jq or JSONPath `filter` applied to the body, and the JSONPaths `ignore` masks
/// when two responses are compared (volatile fields: timestamps, generated ids). Plain text,
/// checked when the file loads; empty by default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewSettings {
    pub filter: Option<String>,
    pub ignore: Vec<String>,
}

impl ViewSettings {
    /// True when it says nothing (then it is not written to the file).
    pub fn is_empty(&self) -> bool {
        self.filter.is_none() && self.ignore.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_parse_is_case_insensitive_and_rejects_unknown() {
        assert_eq!(Method::parse("patch"), Some(Method::Patch));
        assert_eq!(Method::parse("BREW"), None);
        let brew = Method::named("BREW").unwrap();
        assert_eq!(brew.as_str(), "BREW");
        assert_eq!(Method::named("get"), Some(Method::Get));
        assert_eq!(
            Method::named("propfind").unwrap().as_str(),
            "propfind",
            "as written"
        );
        for bad in ["", "TWO WORDS", "ÜBER", "A/B", "7", &"X".repeat(25)] {
            assert_eq!(Method::named(bad), None, "{bad:?}");
        }
        assert_eq!(brew.next(), Method::Get);
        assert_eq!(Method::Options.next(), Method::Get);
        assert_eq!(Method::Get.prev(), Method::Options);
    }
}
