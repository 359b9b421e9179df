//! What `expect.json` says about one JSON value: an exact value, or checks such as
//! `{ type = "number", gt = 0 }` — and whether a value found in a response meets them.

use std::fmt::Write as _;

use serde_json::Value;

use crate::check::query::Pattern;
use crate::check::toml_json::{json_to_toml, toml_to_json};

/// The words a checks table is made of; a table with any other key is an exact JSON object.
pub const CHECK_KEYS: [&str; 11] = [
    "eq", "exists", "type", "len", "matches", "gt", "ge", "lt", "le", "contains", "each",
];

/// What a JSON value must be.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueMatcher {
    /// Exactly this value (numbers compare by value: `1` equals `1.0`).
    Equals(Value),
    /// Every one of these checks, in the order written.
    Checks(Vec<ValueCheck>),
}

/// One check on a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueCheck {
    /// The path matches something (`true`) or nothing (`false`).
    Exists(bool),
    Type(JsonType),
    /// The length of a string (in characters), an array or an object.
    Len(Box<ValueMatcher>),
    /// A string matching the pattern (anywhere; anchor it with `^…$`).
    Matches(Pattern),
    Gt(f64),
    Ge(f64),
    Lt(f64),
    Le(f64),
    /// A string containing this text, or an array containing this value.
    Contains(Value),
    /// An array whose every item meets this.
    Each(Box<ValueMatcher>),
    Eq(Value),
}

/// A JSON type, as `type = "…"` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Number,
    /// A number without a fraction.
    Integer,
    Boolean,
    Null,
    Array,
    Object,
}

impl JsonType {
    const NAMES: [(&'static str, JsonType); 8] = [
        ("string", JsonType::String),
        ("number", JsonType::Number),
        ("integer", JsonType::Integer),
        ("boolean", JsonType::Boolean),
        ("bool", JsonType::Boolean),
        ("null", JsonType::Null),
        ("array", JsonType::Array),
        ("object", JsonType::Object),
    ];

    pub fn parse(name: &str) -> Result<JsonType, String> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!(
                    "`{name}` is not a JSON type (one of string, number, integer, boolean, null, \
                     array, object)"
                )
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Null => "null",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            JsonType::String => value.is_string(),
            JsonType::Number => value.is_number(),
            JsonType::Integer => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            JsonType::Boolean => value.is_boolean(),
            JsonType::Null => value.is_null(),
            JsonType::Array => value.is_array(),
            JsonType::Object => value.is_object(),
        }
    }
}

impl ValueMatcher {
    /// `value` as written in a collection: a table of check words is checks, anything else is
    /// the exact value expected.
    pub fn from_toml(value: &toml::Value) -> Result<ValueMatcher, String> {
        let toml::Value::Table(table) = value else {
            return Ok(ValueMatcher::Equals(toml_to_json(value)));
        };
        if table.is_empty() || !table.keys().all(|k| CHECK_KEYS.contains(&k.as_str())) {
            return Ok(ValueMatcher::Equals(toml_to_json(value)));
        }
        let mut checks = Vec::new();
        for (key, v) in table {
            let number = |v: &toml::Value| match v {
                toml::Value::Integer(i) => Ok(*i as f64),
                toml::Value::Float(f) => Ok(*f),
                other => Err(format!("`{key}` takes a number, not {}", other.type_str())),
            };
            checks.push(match key.as_str() {
                "eq" => ValueCheck::Eq(toml_to_json(v)),
                "exists" => match v {
                    toml::Value::Boolean(b) => ValueCheck::Exists(*b),
                    other => {
                        return Err(format!(
                            "`exists` takes true or false, not {}",
                            other.type_str()
                        ));
                    }
                },
                "type" => match v {
                    toml::Value::String(s) => ValueCheck::Type(JsonType::parse(s)?),
                    other => {
                        return Err(format!(
                            "`type` takes a type name, not {}",
                            other.type_str()
                        ));
                    }
                },
                "len" => match v {
                    toml::Value::Integer(n) if *n >= 0 => {
                        ValueCheck::Len(Box::new(ValueMatcher::Equals(Value::from(*n))))
                    }
                    toml::Value::Table(_) => ValueCheck::Len(Box::new(ValueMatcher::from_toml(v)?)),
                    _ => {
                        return Err(
                            "`len` takes a length (0 or more) or checks such as { gt = 0 }".into(),
                        );
                    }
                },
                "matches" => match v {
                    toml::Value::String(s) => ValueCheck::Matches(Pattern::parse(s)?),
                    other => {
                        return Err(format!(
                            "`matches` takes a regular expression, not {}",
                            other.type_str()
                        ));
                    }
                },
                "gt" => ValueCheck::Gt(number(v)?),
                "ge" => ValueCheck::Ge(number(v)?),
                "lt" => ValueCheck::Lt(number(v)?),
                "le" => ValueCheck::Le(number(v)?),
                "contains" => ValueCheck::Contains(toml_to_json(v)),
                "each" => ValueCheck::Each(Box::new(ValueMatcher::from_toml(v)?)),
                _ => unreachable!("keys are checked against CHECK_KEYS above"),
            });
        }
        Ok(ValueMatcher::Checks(checks))
    }

    /// As written in `expect.json`: the value itself, or a table of checks. (TOML has no null,
    /// so an expected `null` is written as `{ type = "null" }`.)
    pub fn to_toml(&self) -> toml_edit::Value {
        use toml_edit::{InlineTable, Value};
        let checks = match self {
            ValueMatcher::Equals(v) => match json_to_toml(v) {
                // An object whose keys are all check words would read back as checks.
                Some(t) if !is_checks_object(v) => return t,
                _ => vec![ValueCheck::Eq(v.clone())],
            },
            ValueMatcher::Checks(c) => c.clone(),
        };
        let number = |f: f64| {
            if f.fract() == 0.0 && f.abs() < 9e15 {
                Value::from(f as i64)
            } else {
                Value::from(f)
            }
        };
        let mut t = InlineTable::new();
        for check in &checks {
            let (key, value) = match check {
                ValueCheck::Exists(b) => ("exists", Value::from(*b)),
                ValueCheck::Type(ty) => ("type", Value::from(ty.name())),
                ValueCheck::Len(m) => ("len", m.to_toml()),
                ValueCheck::Matches(p) => ("matches", Value::from(p.as_str())),
                ValueCheck::Gt(f) => ("gt", number(*f)),
                ValueCheck::Ge(f) => ("ge", number(*f)),
                ValueCheck::Lt(f) => ("lt", number(*f)),
                ValueCheck::Le(f) => ("le", number(*f)),
                ValueCheck::Contains(v) => match json_to_toml(v) {
                    Some(v) => ("contains", v),
                    None => continue,
                },
                ValueCheck::Each(m) => ("each", m.to_toml()),
                ValueCheck::Eq(v) => match json_to_toml(v) {
                    Some(v) => ("eq", v),
                    None => ("type", Value::from("null")),
                },
            };
            t.insert(key, value);
        }
        Value::InlineTable(t)
    }

    /// Whether `found` (`None`: the path matched nothing) meets every check; the first failure
    /// says what was there.
    pub fn test(&self, found: Option<&Value>) -> Result<(), String> {
        match self {
            ValueMatcher::Equals(expected) => ValueCheck::Eq(expected.clone()).test(found),
            ValueMatcher::Checks(checks) => checks.iter().try_for_each(|c| c.test(found)),
        }
    }

    /// What this expects, as a report says it (`type number, > 0`).
    pub fn describe(&self) -> String {
        match self {
            ValueMatcher::Equals(v) => short_json(v),
            ValueMatcher::Checks(checks) => checks
                .iter()
                .map(ValueCheck::describe)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl ValueCheck {
    /// `Ok` when `found` meets this check, else what was found instead.
    pub fn test(&self, found: Option<&Value>) -> Result<(), String> {
        if let ValueCheck::Exists(want) = self {
            return match (found.is_some(), want) {
                (true, true) | (false, false) => Ok(()),
                (false, true) => Err("nothing matched".into()),
                (true, false) => Err(format!(
                    "{} is there",
                    json_text(found.unwrap_or(&Value::Null))
                )),
            };
        }
        let Some(value) = found else {
            return Err("nothing matched".into());
        };
        let pass = match self {
            ValueCheck::Exists(_) => unreachable!("handled above"),
            ValueCheck::Eq(expected) => json_equal(expected, value),
            ValueCheck::Type(t) => t.holds(value),
            ValueCheck::Len(m) => {
                let len = match value {
                    Value::String(s) => s.chars().count(),
                    Value::Array(a) => a.len(),
                    Value::Object(o) => o.len(),
                    other => return Err(format!("{} has no length", described(other))),
                };
                return m
                    .test(Some(&Value::from(len)))
                    .map_err(|_| format!("length {len}"));
            }
            ValueCheck::Matches(p) => match value {
                Value::String(s) => p.regex().is_match(s),
                other => return Err(format!("{} is not a string", described(other))),
            },
            ValueCheck::Gt(n) | ValueCheck::Ge(n) | ValueCheck::Lt(n) | ValueCheck::Le(n) => {
                let Some(v) = value.as_f64() else {
                    return Err(format!("{} is not a number", described(value)));
                };
                match self {
                    ValueCheck::Gt(_) => v > *n,
                    ValueCheck::Ge(_) => v >= *n,
                    ValueCheck::Lt(_) => v < *n,
                    _ => v <= *n,
                }
            }
            ValueCheck::Contains(needle) => match (value, needle) {
                (Value::String(s), Value::String(n)) => s.contains(n.as_str()),
                (Value::Array(items), n) => items.iter().any(|i| json_equal(n, i)),
                (other, _) => {
                    return Err(format!(
                        "{} is neither a string nor an array",
                        described(other)
                    ));
                }
            },
            ValueCheck::Each(m) => {
                let Value::Array(items) = value else {
                    return Err(format!("{} is not an array", described(value)));
                };
                for (i, item) in items.iter().enumerate() {
                    if let Err(why) = m.test(Some(item)) {
                        return Err(format!("item {i}: {why}"));
                    }
                }
                true
            }
        };
        if pass { Ok(()) } else { Err(described(value)) }
    }

    pub fn describe(&self) -> String {
        match self {
            ValueCheck::Exists(true) => "exists".into(),
            ValueCheck::Exists(false) => "does not exist".into(),
            ValueCheck::Eq(v) => short_json(v),
            ValueCheck::Type(t) => format!("type {}", t.name()),
            ValueCheck::Len(m) => format!("length {}", m.describe()),
            ValueCheck::Matches(p) => format!("matches /{}/", p.as_str()),
            ValueCheck::Gt(n) => format!("> {n}"),
            ValueCheck::Ge(n) => format!(">= {n}"),
            ValueCheck::Lt(n) => format!("< {n}"),
            ValueCheck::Le(n) => format!("<= {n}"),
            ValueCheck::Contains(v) => format!("contains {}", short_json(v)),
            ValueCheck::Each(m) => format!("each {}", m.describe()),
        }
    }
}

/// JSON equality with numbers compared by value (`1` = `1.0`), which serde_json's own `==`
/// does not do.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The most characters of a value a report shows.
const SHORT: usize = 80;

/// `value` as compact JSON, cut to [`SHORT`] characters with `…`: what an expectation
/// written in a file looks like in a report.
pub fn short_json(value: &Value) -> String {
    cut(&json_text(value), SHORT)
}

/// `value` as compact JSON, whole: what a response held, cut only once secrets are redacted
/// from it (a secret cut in half would no longer be recognised).
pub fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `text` cut to `max` characters, `…` marking the cut.
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            let mut s = text[..at].to_string();
            s.push('…');
            s
        }
        None => text.to_string(),
    }
}

/// A value and its type, for a failure: `"4" (a string)`.
fn described(value: &Value) -> String {
    let mut s = json_text(value);
    let _ = write!(s, " ({})", crate::model::json_type_name(value));
    s
}

/// An object that `expect.json` would read as checks: not empty, every key a check word.
fn is_checks_object(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| !o.is_empty() && o.keys().all(|k| CHECK_KEYS.contains(&k.as_str())))
}
