//! The RFC 8288 `Link` header: `<https://api.example.com/items?page=2>; rel="next", <…>; rel="last"`.
//!
//! The parser is lenient and total: it never panics, keeps every link-value it can make sense of
//! and skips what it cannot (a value without `<…>`, an unterminated `<…`). URIs may contain `;`
//! and `,`; quoted strings may contain `,`, `;` and `\`-escapes. Parameter names and `rel` values are
//! lowercased; `rel` is split on whitespace (`rel="next last"` is two relations) and, as the RFC
//! says, only its first occurrence counts. Parameters without a value (`; crossorigin`) are kept.

use crate::model::quote;

/// One link-value of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkValue {
    /// The target, as written between `<` and `>` (trimmed; not resolved against anything).
    pub uri: String,
    /// The relation types, lowercased: `rel="Next last"` gives `["next", "last"]`.
    pub rel: Vec<String>,
    /// The other parameters in order, names lowercased, values unquoted; `None` when written
    /// without `=` (`; crossorigin`).
    pub params: Vec<(String, Option<String>)>,
}

/// Every link-value of one header value (which may hold several, comma-separated).
pub fn parse_link_header(value: &str) -> Vec<LinkValue> {
    let mut cursor = Cursor {
        text: value,
        pos: 0,
    };
    let mut links = Vec::new();
    loop {
        cursor.skip_while(|c| c == ',' || c.is_whitespace());
        match cursor.peek() {
            None => break,
            Some('<') => {
                cursor.bump();
                let Some(uri) = cursor.take_until('>') else {
                    break; // an unterminated `<…`: nothing after it can be trusted
                };
                let mut link = LinkValue {
                    uri: uri.trim().to_owned(),
                    ..LinkValue::default()
                };
                let mut seen_rel = false;
                for (name, value) in cursor.params() {
                    if name == "rel" {
                        if !seen_rel {
                            let rels = value.unwrap_or_default();
                            link.rel = rels.split_whitespace().map(str::to_lowercase).collect();
                        }
                        seen_rel = true;
                    } else {
                        link.params.push((name, value));
                    }
                }
                links.push(link);
            }
            Some(_) => cursor.skip_value(),
        }
    }
    links
}

/// Every link of every `Link` header in `headers` (names compared case-insensitively), in order.
pub fn links_in_headers(headers: &[(String, String)]) -> Vec<LinkValue> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("link"))
        .flat_map(|(_, value)| parse_link_header(value))
        .collect()
}

/// The URI of the first link with relation `name` (compared case-insensitively).
pub fn rel<'a>(links: &'a [LinkValue], name: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|link| link.rel.iter().any(|r| r.eq_ignore_ascii_case(name)))
        .map(|link| link.uri.as_str())
}

/// Links as one header value: `<uri>; rel="a b"; name="value"; flag`, joined by `, `. Every value is
/// a quoted string, so [`parse_link_header`] gives the links back (URIs without `>`, lowercase
/// names and relations without whitespace assumed).
pub fn format_link(links: &[LinkValue]) -> String {
    let mut out = String::new();
    for (i, link) in links.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('<');
        out.push_str(&link.uri);
        out.push('>');
        if !link.rel.is_empty() {
            out.push_str("; rel=");
            out.push_str(&quote(&link.rel.join(" ")));
        }
        for (name, value) in &link.params {
            out.push_str("; ");
            out.push_str(name);
            if let Some(value) = value {
                out.push('=');
                out.push_str(&quote(value));
            }
        }
    }
    out
}

/// A position in the header text; every delimiter is ASCII, so byte positions found by scanning
/// for one are char boundaries.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_while(&mut self, f: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&f) {
            self.bump();
        }
    }

    /// The text up to `end` (consumed, `end` too), or `None` (and at the end) when there is none.
    fn take_until(&mut self, end: char) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        match rest.find(end) {
            Some(i) => {
                self.pos += i + end.len_utf8();
                Some(&rest[..i])
            }
            None => {
                self.pos = self.text.len();
                None
            }
        }
    }

    /// Skips a malformed link-value: up to the next `,` outside a quoted string.
    fn skip_value(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ',' => return,
                '"' => {
                    self.quoted();
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// The `; name[=value]` parameters after a `<uri>`, up to the `,` ending the link-value (left
    /// for the caller). Stray characters between parameters are skipped.
    fn params(&mut self) -> Vec<(String, Option<String>)> {
        let mut params = Vec::new();
        loop {
            self.skip_while(char::is_whitespace);
            match self.peek() {
                None | Some(',') => return params,
                Some(';') => {
                    self.bump();
                    if let Some(param) = self.param() {
                        params.push(param);
                    }
                }
                Some('"') => {
                    self.quoted();
                }
                Some(_) => {
                    self.bump();
                }
            }
        }
    }

    /// One `name[=value]` after a `;`; `None` for an empty name.
    fn param(&mut self) -> Option<(String, Option<String>)> {
        self.skip_while(char::is_whitespace);
        let start = self.pos;
        self.skip_while(|c| !matches!(c, '=' | ';' | ',' | '"') && !c.is_whitespace());
        let name = self.text[start..self.pos].to_lowercase();
        self.skip_while(char::is_whitespace);
        let value = if self.peek() == Some('=') {
            self.bump();
            self.skip_while(char::is_whitespace);
            Some(if self.peek() == Some('"') {
                self.quoted()
            } else {
                let start = self.pos;
                self.skip_while(|c| !matches!(c, ';' | ',') && !c.is_whitespace());
                self.text[start..self.pos].to_owned()
            })
        } else {
            None
        };
        (!name.is_empty()).then_some((name, value))
    }

    /// A quoted string at the cursor, unescaped; an unterminated one runs to the end.
    fn quoted(&mut self) -> String {
        self.bump(); // the opening quote
        let mut out = String::new();
        while let Some(c) = self.bump() {
            match c {
                '"' => break,
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        out.push(escaped);
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;
