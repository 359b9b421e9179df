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

/// The HTTP methods the editor offers, in selector order.
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

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Case-insensitive parse of a method name; `None` for anything not in [`Method::ALL`].
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    /// The next method in selector order, wrapping around.
    pub fn next(self) -> Method {
        cycle(&Method::ALL, self, true)
    }

    pub fn prev(self) -> Method {
        cycle(&Method::ALL, self, false)
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
        assert_eq!(Method::Options.next(), Method::Get);
        assert_eq!(Method::Get.prev(), Method::Options);
    }
}
