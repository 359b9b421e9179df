//! The `expect` table of a request or a run step: what its response must be.
//!
//! ```toml
//! expect = { status = 201, headers = { "content-type" = "~application/json" },
//!            json = { "$.name" = "widget", "$.id" = { type = "number" } }, max_ms = 500 }
//! ```

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer};

use crate::check::query::{JsonQuery, Pattern};
use crate::check::value::ValueMatcher;

/// What a response must be; each part is checked only when written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    /// Any of these (`201`, `"2xx"`, or a list of them).
    pub status: Vec<StatusPattern>,
    /// Header name → what its value must be, in the order written.
    pub headers: Vec<(String, HeaderExpect)>,
    /// JSONPath → what it must find, in the order written.
    pub json: Vec<(JsonQuery, ValueMatcher)>,
    pub body_contains: Vec<String>,
    pub body_matches: Vec<Pattern>,
    /// The most milliseconds the exchange may take (sending to the last byte of the body).
    pub max_ms: Option<u64>,
    pub schema: Option<SchemaRef>,
}

/// One status a response may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    Code(u16),
    /// `"2xx"`: any code of the class.
    Class(u16),
}

impl StatusPattern {
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusPattern::Code(c) => c == status,
            StatusPattern::Class(c) => status / 100 == c,
        }
    }
}

impl fmt::Display for StatusPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusPattern::Code(c) => write!(f, "{c}"),
            StatusPattern::Class(c) => write!(f, "{c}xx"),
        }
    }
}

/// What a header's value must be.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderExpect {
    /// `"value"`: exactly.
    Equals(String),
    /// `"~text"` or `{ contains = "text" }`.
    Contains(String),
    /// `{ matches = "regex" }`.
    Matches(Pattern),
    /// `{ exists = true|false }`.
    Exists(bool),
}

impl HeaderExpect {
    pub fn describe(&self) -> String {
        match self {
            HeaderExpect::Equals(v) => format!("{v:?}"),
            HeaderExpect::Contains(v) => format!("containing {v:?}"),
            HeaderExpect::Matches(p) => format!("matching /{}/", p.as_str()),
            HeaderExpect::Exists(true) => "present".into(),
            HeaderExpect::Exists(false) => "absent".into(),
        }
    }

    /// As written in `expect.headers`.
    pub fn to_toml(&self) -> toml_edit::Value {
        use toml_edit::{InlineTable, Value};
        let one = |k: &str, v: Value| {
            let mut t = InlineTable::new();
            t.insert(k, v);
            Value::InlineTable(t)
        };
        match self {
            // A value starting with `~` would read back as "contains".
            HeaderExpect::Equals(v) if !v.starts_with('~') => Value::from(v.as_str()),
            HeaderExpect::Equals(v) => one("eq", Value::from(v.as_str())),
            HeaderExpect::Contains(v) => one("contains", Value::from(v.as_str())),
            HeaderExpect::Matches(p) => one("matches", Value::from(p.as_str())),
            HeaderExpect::Exists(b) => one("exists", Value::from(*b)),
        }
    }

    /// Whether the header's values (every one sent under the name) meet this: one of them
    /// must, or, for `exists = false`, there must be none.
    pub fn test(&self, values: &[&str]) -> bool {
        match self {
            HeaderExpect::Exists(want) => values.is_empty() != *want,
            HeaderExpect::Equals(v) => values.iter().any(|x| x == v),
            HeaderExpect::Contains(v) => values.iter().any(|x| x.contains(v.as_str())),
            HeaderExpect::Matches(p) => values.iter().any(|x| p.regex().is_match(x)),
        }
    }
}

/// `schema = "schemas/item.json"`: a JSON Schema file, relative to the collection. The
/// collection store reads and compiles it when the file loads.
#[derive(Clone)]
pub struct SchemaRef {
    /// As written.
    pub path: PathBuf,
    pub validator: Option<Arc<jsonschema::Validator>>,
}

impl PartialEq for SchemaRef {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl fmt::Debug for SchemaRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaRef")
            .field("path", &self.path)
            .field("loaded", &self.validator.is_some())
            .finish()
    }
}

const KEYS: [&str; 7] = [
    "status",
    "headers",
    "json",
    "body_contains",
    "body_matches",
    "max_ms",
    "schema",
];

impl Expect {
    /// The `expect` table as written; every pattern and path is compiled here, so a mistake is
    /// reported when the file loads.
    pub fn from_toml(value: &toml::Value) -> Result<Expect, String> {
        let toml::Value::Table(table) = value else {
            return Err(format!(
                "`expect` is a table (such as {{ status = 200 }}), not {}",
                value.type_str()
            ));
        };
        let mut expect = Expect::default();
        for (key, v) in table {
            match key.as_str() {
                "status" => expect.status = statuses(v)?,
                "headers" => {
                    let toml::Value::Table(headers) = v else {
                        return Err("`expect.headers` is a table of header name = value".into());
                    };
                    for (name, h) in headers {
                        let h = header(h).map_err(|e| format!("expect.headers.{name}: {e}"))?;
                        expect.headers.push((name.clone(), h));
                    }
                }
                "json" => {
                    let toml::Value::Table(paths) = v else {
                        return Err("`expect.json` is a table of JSONPath = value or checks".into());
                    };
                    for (path, m) in paths {
                        let query =
                            JsonQuery::parse(path).map_err(|e| format!("expect.json: {e}"))?;
                        let matcher = ValueMatcher::from_toml(m)
                            .map_err(|e| format!("expect.json.\"{path}\": {e}"))?;
                        expect.json.push((query, matcher));
                    }
                }
                "body_contains" => expect.body_contains = strings(key, v)?,
                "body_matches" => {
                    for s in strings(key, v)? {
                        expect.body_matches.push(
                            Pattern::parse(&s).map_err(|e| format!("expect.body_matches: {e}"))?,
                        );
                    }
                }
                "max_ms" => match v {
                    toml::Value::Integer(n) if *n > 0 => expect.max_ms = Some(*n as u64),
                    _ => {
                        return Err(
                            "`expect.max_ms` is a number of milliseconds greater than 0".into()
                        );
                    }
                },
                "schema" => match v {
                    toml::Value::String(s) if !s.trim().is_empty() => {
                        expect.schema = Some(SchemaRef {
                            path: PathBuf::from(s),
                            validator: None,
                        });
                    }
                    _ => return Err("`expect.schema` is the path of a JSON Schema file".into()),
                },
                other => {
                    return Err(format!(
                        "unknown key `{other}` in expect (known: {})",
                        KEYS.join(", ")
                    ));
                }
            }
        }
        Ok(expect)
    }

    /// The `expect` table as [`Expect::from_toml`] reads it back (a status list of one is
    /// written as the code alone).
    pub fn to_toml(&self) -> toml_edit::Value {
        use toml_edit::{Array, InlineTable, Value};
        let mut t = InlineTable::new();
        let status = |s: &StatusPattern| match s {
            StatusPattern::Code(c) => Value::from(i64::from(*c)),
            StatusPattern::Class(_) => Value::from(s.to_string()),
        };
        match self.status.as_slice() {
            [] => {}
            [one] => {
                t.insert("status", status(one));
            }
            many => {
                t.insert("status", Value::Array(many.iter().map(status).collect()));
            }
        }
        if !self.headers.is_empty() {
            let mut h = InlineTable::new();
            for (name, expect) in &self.headers {
                h.insert(name, expect.to_toml());
            }
            t.insert("headers", Value::InlineTable(h));
        }
        if !self.json.is_empty() {
            let mut j = InlineTable::new();
            for (query, matcher) in &self.json {
                j.insert(query.as_str(), matcher.to_toml());
            }
            t.insert("json", Value::InlineTable(j));
        }
        let strings = |list: &mut dyn Iterator<Item = &str>| {
            Value::Array(list.map(Value::from).collect::<Array>())
        };
        if !self.body_contains.is_empty() {
            let v = strings(&mut self.body_contains.iter().map(String::as_str));
            t.insert("body_contains", v);
        }
        if !self.body_matches.is_empty() {
            let v = strings(&mut self.body_matches.iter().map(Pattern::as_str));
            t.insert("body_matches", v);
        }
        if let Some(ms) = self.max_ms {
            t.insert("max_ms", Value::from(ms as i64));
        }
        if let Some(schema) = &self.schema {
            t.insert("schema", Value::from(schema.path.display().to_string()));
        }
        Value::InlineTable(t)
    }

    /// How many checks this makes.
    pub fn len(&self) -> usize {
        usize::from(!self.status.is_empty())
            + self.headers.len()
            + self
                .json
                .iter()
                .map(|(_, m)| match m {
                    ValueMatcher::Checks(c) => c.len(),
                    ValueMatcher::Equals(_) => 1,
                })
                .sum::<usize>()
            + self.body_contains.len()
            + self.body_matches.len()
            + usize::from(self.max_ms.is_some())
            + usize::from(self.schema.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'de> Deserialize<'de> for Expect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        Expect::from_toml(&value).map_err(de::Error::custom)
    }
}

fn statuses(v: &toml::Value) -> Result<Vec<StatusPattern>, String> {
    let one = |v: &toml::Value| -> Result<StatusPattern, String> {
        let bad = || {
            format!(
                "`{v}` is not a status: write a code (201), a class (\"2xx\") or a list of them"
            )
        };
        match v {
            toml::Value::Integer(n) if (100..=599).contains(n) => {
                Ok(StatusPattern::Code(*n as u16))
            }
            toml::Value::String(s) => {
                let s = s.trim().to_ascii_lowercase();
                match s.as_bytes() {
                    [c @ b'1'..=b'5', b'x', b'x'] => Ok(StatusPattern::Class(u16::from(c - b'0'))),
                    _ => match s.parse::<u16>() {
                        Ok(n) if (100..=599).contains(&n) => Ok(StatusPattern::Code(n)),
                        _ => Err(bad()),
                    },
                }
            }
            _ => Err(bad()),
        }
    };
    match v {
        toml::Value::Array(items) if !items.is_empty() => items.iter().map(one).collect(),
        toml::Value::Array(_) => {
            Err("`expect.status` is an empty list: give at least one status".into())
        }
        v => Ok(vec![one(v)?]),
    }
}

fn header(v: &toml::Value) -> Result<HeaderExpect, String> {
    match v {
        toml::Value::String(s) => Ok(match s.strip_prefix('~') {
            Some(rest) => HeaderExpect::Contains(rest.to_string()),
            None => HeaderExpect::Equals(s.clone()),
        }),
        toml::Value::Table(t) if t.len() == 1 => {
            let (k, v) = t.iter().next().expect("one entry");
            match (k.as_str(), v) {
                ("matches", toml::Value::String(s)) => {
                    Ok(HeaderExpect::Matches(Pattern::parse(s)?))
                }
                ("contains", toml::Value::String(s)) => Ok(HeaderExpect::Contains(s.clone())),
                ("eq", toml::Value::String(s)) => Ok(HeaderExpect::Equals(s.clone())),
                ("exists", toml::Value::Boolean(b)) => Ok(HeaderExpect::Exists(*b)),
                _ => Err(header_help()),
            }
        }
        _ => Err(header_help()),
    }
}

fn header_help() -> String {
    "write \"exact value\", \"~part of it\", { matches = \"regex\" }, { exists = true|false } \
     or { eq = \"~exact value\" }"
        .to_string()
}

fn strings(key: &str, v: &toml::Value) -> Result<Vec<String>, String> {
    match v {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                toml::Value::String(s) => Ok(s.clone()),
                _ => Err(format!("`expect.{key}` takes text or a list of texts")),
            })
            .collect(),
        _ => Err(format!("`expect.{key}` takes text or a list of texts")),
    }
}
