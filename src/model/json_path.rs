//! Writing JSONPaths (RFC 9535) the one way scout writes them: `$.items[41].owner['display name']`.
//! The status line's path under the cursor, `yp`, and a comparison's changes all use it, so a path
//! copied from one is found in the other. And reading them: [`parse`] is the one way in.

use std::fmt::Write as _;

use serde_json_path::JsonPath;

/// Why a text is not a JSONPath: where (a byte offset) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    position: usize,
    message: String,
}

impl PathError {
    /// The byte offset in the text where it goes wrong.
    pub fn position(&self) -> usize {
        self.position
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for PathError {
    /// As serde_json_path says it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at position {}, {}", self.position, self.message)
    }
}

impl std::error::Error for PathError {}

/// Brackets and parentheses nested deeper than this are refused: serde_json_path's parser takes
/// twice as long for each level (10 levels take 2 ms, 24 would take half a minute).
pub const MAX_NESTING: usize = 10;

/// `text` as an RFC 9535 JSONPath. Every JSONPath scout reads goes through here (clippy refuses
/// `JsonPath::parse` elsewhere), which refuses first what serde_json_path 0.7 does badly:
/// - a text that ends inside a `\u` escape (it panics), which is what one types on the way to
///   `"\u00e9"` in a filter. It is never a JSONPath: the string it is in is not closed.
/// - brackets and parentheses nested more than [`MAX_NESTING`] deep (its time doubles with each
///   level: `$[?@.a[?@.b[?…` typed in a filter kept it busy for seconds, then minutes).
#[allow(clippy::disallowed_methods)]
pub fn parse(text: &str) -> Result<JsonPath, PathError> {
    if let Some(position) = too_deep(text) {
        return Err(PathError {
            position,
            message: format!(
                "nested more than {MAX_NESTING} deep: scout reads JSONPaths nested up to \
                 {MAX_NESTING} brackets or parentheses"
            ),
        });
    }
    if let Some(at) = text.rfind("\\u") {
        let digits = &text[at + 2..];
        if digits.len() < 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PathError {
                position: at,
                message: "an unfinished `\\u` escape: four hex digits follow `\\u`".to_string(),
            });
        }
    }
    JsonPath::parse(text).map_err(|e| PathError {
        position: e.position(),
        message: e.message().to_string(),
    })
}

/// Where `text` opens a bracket or parenthesis nested more than [`MAX_NESTING`] deep, outside
/// its string literals, if it does.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(at);
                    }
                }
                ']' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    None
}

/// Appends the member `name`: `.name` when it is a member-name shorthand (RFC 9535 §2.5.1.1: a
/// letter, `_` or non-ASCII first, then those or digits), else `['name']` with the escapes of
/// §2.3.1.1 (`\'`, `\\`, `\n`, `\u0001`, …).
pub fn push_member(path: &mut String, name: &str) {
    if is_shorthand(name) {
        path.push('.');
        path.push_str(name);
        return;
    }
    path.push_str("['");
    for c in name.chars() {
        match c {
            '\'' => path.push_str("\\'"),
            '\\' => path.push_str("\\\\"),
            '\u{8}' => path.push_str("\\b"),
            '\u{c}' => path.push_str("\\f"),
            '\n' => path.push_str("\\n"),
            '\r' => path.push_str("\\r"),
            '\t' => path.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(path, "\\u{:04x}", c as u32);
            }
            c => path.push(c),
        }
    }
    path.push_str("']");
}

/// Appends the array index `i`: `[41]`.
pub fn push_index(path: &mut String, i: usize) {
    let _ = write!(path, "[{i}]");
}

/// RFC 9535 `member-name-shorthand`.
fn is_shorthand(key: &str) -> bool {
    let first = |c: char| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii();
    let mut chars = key.chars();
    chars.next().is_some_and(first) && chars.all(|c| first(c) || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str) -> String {
        let mut path = String::from("$");
        push_member(&mut path, name);
        path
    }

    #[test]
    fn shorthand_where_the_rfc_allows_it_brackets_elsewhere() {
        assert_eq!(member("login"), "$.login");
        assert_eq!(member("_a1"), "$._a1");
        assert_eq!(member("日本語"), "$.日本語");
        assert_eq!(member("1st"), "$['1st']");
        assert_eq!(member("a.b"), "$['a.b']");
        assert_eq!(member(""), "$['']");
        assert_eq!(member("it's"), "$['it\\'s']");
        assert_eq!(member("a\\b\n\u{1}"), "$['a\\\\b\\n\\u0001']");
        let mut path = member("items");
        push_index(&mut path, 41);
        assert_eq!(path, "$.items[41]");
    }

    /// Found by fuzzing the filter: serde_json_path panicked on these.
    #[test]
    fn a_text_ending_inside_a_unicode_escape_is_refused_without_a_panic() {
        for text in [
            "$.t[?\"\\u",
            "$['\\u",
            "$['\\u00",
            "$['\\uD",
            "$['\\uD83D\\u",
            "$['\\uD83D\\uD",
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.message().contains("unfinished"), "{text}: {e}");
            assert_eq!(&text[e.position()..e.position() + 2], "\\u");
        }
        // Finished, they read.
        assert!(parse("$['\\u00e9']").is_ok());
        assert!(parse("$['\\uD83D\\uDE00']").is_ok());
        // Other mistakes are said as serde_json_path says them.
        let e = parse("$.a[").unwrap_err();
        assert!(e.to_string().starts_with("at position "), "{e}");
    }

    /// Found by fuzzing the filter: 17 nested filter selectors kept serde_json_path busy for
    /// 15 s (its time doubles with each level), in the app the filter "running" all that time.
    #[test]
    fn paths_nested_too_deep_are_refused_at_once_where_they_go_too_deep() {
        let deep = format!("$.a{}", "[?@.pook".repeat(24));
        let started = std::time::Instant::now();
        let e = parse(&deep).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        assert!(e.message().starts_with("nested more than 10 deep"), "{e}");
        assert_eq!(e.position(), 3 + 10 * "[?@.pook".len());
        // As deep as allowed, it reads; brackets in strings do not count.
        let ten = format!("${}{}", "[?@.a".repeat(9), "]".repeat(9));
        assert!(parse(&ten).is_ok(), "{ten}");
        let quoted = format!("$['{}']", "[(".repeat(20));
        assert!(parse(&quoted).is_ok());
        let escaped = format!("$['it\\'s {}']", "[".repeat(20));
        assert!(parse(&escaped).is_ok(), "{escaped}");
    }

    #[test]
    fn what_is_written_is_what_serde_json_path_reads() {
        let doc = serde_json::json!({"it's": {"日本語": [0, {"a.b": 7}]}});
        let mut path = String::from("$");
        push_member(&mut path, "it's");
        push_member(&mut path, "日本語");
        push_index(&mut path, 1);
        push_member(&mut path, "a.b");
        let found = parse(&path)
            .unwrap()
            .query(&doc)
            .exactly_one()
            .unwrap()
            .clone();
        assert_eq!(found, 7);
    }
}
