//! The `capture` table of a request: values taken from its response for the `{{…}}` of the
//! requests after it.
//!
//! ```toml
//! capture = { item_id = "$.id", location = { header = "Location" },
//!             csrf = { regex = 'name="csrf" value="([^"]+)"', group = 1 }, code = { status = true } }
//! ```

use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::check::eval::Body;
use crate::check::query::{Found, JsonQuery, Pattern};
use crate::model::{counted, is_secret_cookie, is_secret_header};

/// Where a captured value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Capture {
    /// `"$.id"` or `{ json = "$.id" }`: a string as it is, anything else as compact JSON.
    Json(JsonQuery),
    /// `{ header = "Location" }`: the first value of the header.
    Header(String),
    /// `{ regex = "…", group = 1 }` on the body text: the group (default: the first group if the
    /// pattern has one, else the whole match).
    Regex { pattern: Pattern, group: usize },
    /// `{ status = true }`: the status code.
    Status,
}

impl Capture {
    pub fn from_toml(value: &toml::Value) -> Result<Capture, String> {
        match value {
            toml::Value::String(path) => Ok(Capture::Json(JsonQuery::parse(path)?)),
            toml::Value::Table(t) => {
                let get = |k: &str| t.get(k);
                let known = ["json", "header", "regex", "group", "status"];
                if let Some(k) = t.keys().find(|k| !known.contains(&k.as_str())) {
                    return Err(format!("unknown key `{k}` in a capture ({})", HELP));
                }
                match (get("json"), get("header"), get("regex"), get("status")) {
                    (Some(toml::Value::String(p)), None, None, None) if t.len() == 1 => {
                        Ok(Capture::Json(JsonQuery::parse(p)?))
                    }
                    (None, Some(toml::Value::String(h)), None, None) if t.len() == 1 => {
                        Ok(Capture::Header(h.clone()))
                    }
                    (None, None, None, Some(toml::Value::Boolean(true))) if t.len() == 1 => {
                        Ok(Capture::Status)
                    }
                    (None, None, Some(toml::Value::String(r)), None) => {
                        let pattern = Pattern::parse(r)?;
                        let groups = pattern.regex().captures_len() - 1;
                        let group = match get("group") {
                            None => usize::from(groups > 0),
                            Some(toml::Value::Integer(g)) if *g >= 0 && (*g as usize) <= groups => {
                                *g as usize
                            }
                            Some(g) => {
                                return Err(format!(
                                    "group {g} does not exist: /{r}/ has {}",
                                    counted(groups, "group")
                                ));
                            }
                        };
                        Ok(Capture::Regex { pattern, group })
                    }
                    _ => Err(HELP.to_string()),
                }
            }
            _ => Err(HELP.to_string()),
        }
    }

    /// As written in a `capture` table.
    pub fn to_toml(&self) -> toml_edit::Value {
        use toml_edit::{InlineTable, Value};
        let mut t = InlineTable::new();
        match self {
            Capture::Json(q) => return Value::from(q.as_str()),
            Capture::Header(h) => {
                t.insert("header", Value::from(h.as_str()));
            }
            Capture::Regex { pattern, group } => {
                t.insert("regex", Value::from(pattern.as_str()));
                t.insert("group", Value::from(*group as i64));
            }
            Capture::Status => {
                t.insert("status", Value::from(true));
            }
        }
        Value::InlineTable(t)
    }

    /// What it reads, for messages: `$.id`, `header Location`, `/regex/`, `the status`.
    pub fn describe(&self) -> String {
        match self {
            Capture::Json(q) => q.as_str().to_string(),
            Capture::Header(h) => format!("header {h}"),
            Capture::Regex { pattern, .. } => format!("/{}/", pattern.as_str()),
            Capture::Status => "the status".into(),
        }
    }

    /// The value from `body`, or why there is none (`$.id matched nothing`).
    pub fn take(&self, body: &Body<'_>) -> Result<String, String> {
        match self {
            Capture::Json(q) => {
                let doc = body.json().map_err(str::to_string)?;
                match q.find(doc) {
                    Found::Nothing => Err(format!("{} matched nothing", q.as_str())),
                    Found::One(Value::String(s)) => Ok(s.clone()),
                    found => Ok(found
                        .value()
                        .map(|v| serde_json::to_string(&v).unwrap_or_default())
                        .unwrap_or_default()),
                }
            }
            Capture::Header(name) => body
                .response
                .header(name)
                .map(str::to_string)
                .ok_or_else(|| format!("the response has no {name} header")),
            Capture::Regex { pattern, group } => {
                let text = body.text();
                let caps = pattern
                    .regex()
                    .captures(&text)
                    .ok_or_else(|| format!("/{}/ matched nothing in the body", pattern.as_str()))?;
                caps.get(*group)
                    .map(|m| m.as_str().to_string())
                    .ok_or_else(|| {
                        format!(
                            "group {group} of /{}/ took no part in the match",
                            pattern.as_str()
                        )
                    })
            }
            Capture::Status => Ok(body.response.status.to_string()),
        }
    }
}

const HELP: &str = "write a JSONPath (\"$.id\"), { header = \"Location\" }, \
                    { regex = \"…\", group = 1 } or { status = true }";

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        Capture::from_toml(&value).map_err(de::Error::custom)
    }
}

/// Whether a value captured as `name` by `capture` is a secret (redacted on screen and in the
/// history): its name says so (`token`, `session`, `password`…), or it comes from a header that
/// carries credentials.
pub fn is_secret_capture(name: &str, capture: &Capture) -> bool {
    is_secret_cookie(name) || matches!(capture, Capture::Header(h) if is_secret_header(h))
}
