//! The template syntax: literal text, `{{ placeholders }}` and the `\{{` escape.
//!
//! One tokenizer serves both [`parse`] (which stops at the first error) and [`spans`] (which
//! keeps going, so the editor can colour everything after a mistake too).

use std::fmt;
use std::ops::Range;

/// What a `{{ … }}` refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// `{{name}}`: a value given for the run, the selected environment, or the collection's `[vars]`.
    Var(String),
    /// `{{env.NAME}}`: scout's injected values, the process environment, or the `.env` file.
    Env(String),
    /// `{{prompt}}`: a secret the user types once per run, asked for where it is written;
    /// `{{prompt:NAME}}` names it, and every place naming it shares the one answer.
    Prompt(Option<String>),
}

impl Placeholder {
    /// The name as written between the braces, normalised: `token`, `env.TOKEN`, `prompt`.
    pub fn name(&self) -> String {
        match self {
            Placeholder::Var(name) => name.clone(),
            Placeholder::Env(name) => format!("env.{name}"),
            Placeholder::Prompt(None) => "prompt".to_string(),
            Placeholder::Prompt(Some(name)) => format!("prompt:{name}"),
        }
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{{}}}}}", self.name())
    }
}

/// A parsed piece of template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text to copy as-is (escapes already turned into `{{`).
    Literal(String),
    Placeholder(Placeholder),
}

/// A syntax error; `offset` counts chars (not bytes) from the start of the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at char {offset}: {message}")]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

/// What a highlighted stretch of template text is, for the editor's colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanKind {
    Literal,
    Var(String),
    Env(String),
    Prompt,
    /// `\{{`, which stands for a literal `{{`.
    Escape,
    /// An unclosed `{{` or a malformed `{{ … }}`.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenKind {
    Literal,
    Escape,
    Placeholder(Placeholder),
    Error(String),
}

/// Parses `text` into literal and placeholder segments; adjacent literal text (including
/// escapes) is merged into one segment.
///
/// ```
/// use scout::template::{parse, Placeholder, Segment};
/// let segments = parse(r"{{ base }}/x?q=\{{").unwrap();
/// assert_eq!(segments, vec![
///     Segment::Placeholder(Placeholder::Var("base".into())),
///     Segment::Literal("/x?q={{".into()),
/// ]);
/// ```
pub fn parse(text: &str) -> Result<Vec<Segment>, ParseError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    for (range, kind) in tokens(text) {
        match kind {
            TokenKind::Literal => literal.push_str(&text[range]),
            TokenKind::Escape => literal.push_str("{{"),
            TokenKind::Placeholder(p) => {
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Placeholder(p));
            }
            TokenKind::Error(message) => {
                return Err(ParseError {
                    offset: text[..range.start].chars().count(),
                    message,
                });
            }
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    Ok(segments)
}

/// Highlighting spans covering `text` exactly, in order, without overlap. Ranges are **byte**
/// ranges, so `&text[range]` is the span's text. Parsing continues after an error.
pub fn spans(text: &str) -> Vec<(Range<usize>, SpanKind)> {
    tokens(text)
        .into_iter()
        .map(|(range, kind)| {
            let kind = match kind {
                TokenKind::Literal => SpanKind::Literal,
                TokenKind::Escape => SpanKind::Escape,
                TokenKind::Placeholder(Placeholder::Var(n)) => SpanKind::Var(n),
                TokenKind::Placeholder(Placeholder::Env(n)) => SpanKind::Env(n),
                TokenKind::Placeholder(Placeholder::Prompt(_)) => SpanKind::Prompt,
                TokenKind::Error(_) => SpanKind::Error,
            };
            (range, kind)
        })
        .collect()
}

/// The placeholders in `text` in order, with their byte ranges (malformed ones skipped).
pub fn placeholders(text: &str) -> Vec<(Range<usize>, Placeholder)> {
    tokens(text)
        .into_iter()
        .filter_map(|(range, kind)| match kind {
            TokenKind::Placeholder(p) => Some((range, p)),
            _ => None,
        })
        .collect()
}

/// Template text that resolves to exactly `s`: every `{{` becomes `\{{`.
///
/// ```
/// use scout::template::escape;
/// assert_eq!(escape("a {{b}}"), r"a \{{b}}");
/// ```
pub fn escape(s: &str) -> String {
    s.replace("{{", "\\{{")
}

/// The tokenizer. Only ASCII bytes (`\`, `{`, `}`) are matched, so every boundary is a char
/// boundary and slicing `text` by the returned ranges cannot panic.
fn tokens(text: &str) -> Vec<(Range<usize>, TokenKind)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (end, kind) = if bytes[i..].starts_with(b"\\{{") {
            (i + 3, TokenKind::Escape)
        } else if bytes[i..].starts_with(b"{{") {
            placeholder_token(text, i)
        } else {
            i += 1;
            continue;
        };
        if literal_start < i {
            out.push((literal_start..i, TokenKind::Literal));
        }
        out.push((i..end, kind));
        i = end;
        literal_start = end;
    }
    if literal_start < bytes.len() {
        out.push((literal_start..bytes.len(), TokenKind::Literal));
    }
    out
}

/// The token starting with the `{{` at byte `start`, and where it ends.
fn placeholder_token(text: &str, start: usize) -> (usize, TokenKind) {
    let inner_start = start + 2;
    let rest = &text[inner_start..];
    let close = rest.find("}}").map(|p| inner_start + p);
    let next_open = rest.find("{{").map(|p| inner_start + p);
    match close {
        Some(close) if next_open.is_none_or(|open| open > close) => {
            let kind = match placeholder(&text[inner_start..close]) {
                Ok(p) => TokenKind::Placeholder(p),
                Err(message) => TokenKind::Error(message),
            };
            (close + 2, kind)
        }
        _ => (
            next_open.unwrap_or(text.len()),
            TokenKind::Error(
                "`{{` is not closed: end it with `}}`, or write `\\{{` for a literal `{{`"
                    .to_string(),
            ),
        ),
    }
}

/// What the text between the braces means.
fn placeholder(inner: &str) -> Result<Placeholder, String> {
    let name = inner.trim();
    if name.is_empty() {
        return Err(
            "`{{}}` is empty: put a variable name between the braces, or write `\\{{` for a literal `{{`"
                .to_string(),
        );
    }
    if name == "prompt" {
        return Ok(Placeholder::Prompt(None));
    }
    if let Some(prompt) = name.strip_prefix("prompt:") {
        let prompt = prompt.trim();
        return if is_name(prompt) {
            Ok(Placeholder::Prompt(Some(prompt.to_string())))
        } else {
            Err(format!(
                "`{name}`: a prompt's name starts with a letter or `_` and contains only letters, \
                 digits, `_`, `.` and `-` (write `{{{{prompt:token}}}}`)"
            ))
        };
    }
    if name == "env" {
        return Err("`env` needs a variable name: write `{{env.NAME}}`".to_string());
    }
    if let Some(env_name) = name.strip_prefix("env.") {
        return if is_name(env_name) {
            Ok(Placeholder::Env(env_name.to_string()))
        } else {
            Err(bad_name(name))
        };
    }
    if is_name(name) {
        Ok(Placeholder::Var(name.to_string()))
    } else {
        Err(bad_name(name))
    }
}

fn bad_name(name: &str) -> String {
    format!(
        "`{name}` is not a variable name: names start with a letter or `_` and contain only \
         letters, digits, `_`, `.` and `-` (write `\\{{{{` for a literal `{{{{`)"
    )
}

/// `[A-Za-z_][A-Za-z0-9_.-]*`
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}
