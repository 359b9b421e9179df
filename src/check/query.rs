//! The two compiled forms a collection writes as strings: an RFC 9535 JSONPath and a regular
//! expression. Each keeps its text (for messages and equality) beside the compiled form.

use std::fmt;

use serde_json::Value;
use serde_json_path::JsonPath;

/// A JSONPath (`$.items[0].id`), compiled.
#[derive(Clone)]
pub struct JsonQuery {
    text: String,
    path: JsonPath,
}

/// What a JSONPath found: nothing, one node, or several (a wildcard or a filter).
#[derive(Debug, Clone, PartialEq)]
pub enum Found<'a> {
    Nothing,
    One(&'a Value),
    Many(Vec<&'a Value>),
}

impl<'a> Found<'a> {
    /// The value a check looks at: the node itself, or several nodes as one array.
    pub fn value(&self) -> Option<std::borrow::Cow<'a, Value>> {
        match self {
            Found::Nothing => None,
            Found::One(v) => Some(std::borrow::Cow::Borrowed(*v)),
            Found::Many(all) => Some(std::borrow::Cow::Owned(Value::Array(
                all.iter().map(|v| (*v).clone()).collect(),
            ))),
        }
    }
}

impl JsonQuery {
    /// `text` compiled; the error says where the path is wrong.
    pub fn parse(text: &str) -> Result<JsonQuery, String> {
        crate::model::json_path::parse(text)
            .map(|path| JsonQuery {
                text: text.to_string(),
                path,
            })
            .map_err(|e| format!("`{text}` is not a valid JSONPath (RFC 9535): {e}"))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The nodes of `doc` this path selects.
    pub fn find<'a>(&self, doc: &'a Value) -> Found<'a> {
        let mut nodes = self.path.query(doc).all();
        match nodes.len() {
            0 => Found::Nothing,
            1 => Found::One(nodes.remove(0)),
            _ => Found::Many(nodes),
        }
    }
}

impl PartialEq for JsonQuery {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for JsonQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonQuery({:?})", self.text)
    }
}

/// A regular expression (the `regex` crate's syntax: no look-around, linear time, so a pattern
/// written in a collection cannot hang a run on a large body).
#[derive(Clone)]
pub struct Pattern(regex::Regex);

/// Compiled patterns are capped at this size (the crate's default is 10x larger): a pattern
/// that needs more is almost certainly a mistake.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, String> {
        regex::RegexBuilder::new(text)
            .size_limit(PATTERN_SIZE_LIMIT)
            .build()
            .map(Pattern)
            .map_err(|e| {
                // The crate's message spans lines with a caret under the problem: keep it.
                format!("`{text}` is not a valid regular expression:\n{e}")
            })
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn regex(&self) -> &regex::Regex {
        &self.0
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.as_str())
    }
}
