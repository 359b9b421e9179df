//! A Postman request's URL: `raw` (else built from its parts), its `:name` path variables and
//! its switched-off query parameters.

use serde_json::Value;

use super::auth::scalar;
use super::text;

/// A request's URL as Postman holds it.
#[derive(Debug, Default)]
pub(super) struct Url {
    /// As sent (`raw`, else built from its parts).
    pub raw: String,
    /// `:name` path variables and their values.
    pub variables: Vec<(String, String)>,
    /// Keys of the switched-off query parameters.
    pub disabled_query: Vec<String>,
}

impl Url {
    pub fn raw(raw: &str) -> Url {
        Url {
            raw: raw.trim().to_string(),
            ..Url::default()
        }
    }

    /// A `url` string, or the object `{raw, protocol, host, port, path, query, variable, hash}`.
    pub fn read(url: Option<&Value>) -> Url {
        let Some(url) = url else {
            return Url::default();
        };
        if let Some(raw) = url.as_str() {
            return Url::raw(raw);
        }
        let query: Vec<&Value> = url
            .get("query")
            .and_then(Value::as_array)
            .map(|q| q.iter().collect())
            .unwrap_or_default();
        let (off, on): (Vec<&Value>, Vec<&Value>) = query
            .into_iter()
            .partition(|q| q.get("disabled").and_then(Value::as_bool) == Some(true));
        let raw = match url.get("raw").and_then(Value::as_str) {
            Some(raw) => raw.trim().to_string(),
            None => built(url, &on),
        };
        Url {
            raw,
            variables: url
                .get("variable")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|v| {
                    // A variable is named by `key`, or by `id` (both are in the schema).
                    let name = match text(v, "key") {
                        key if key.is_empty() => text(v, "id"),
                        key => key,
                    };
                    (name, v.get("value").map(scalar).unwrap_or_default())
                })
                .filter(|(k, _)| !k.is_empty())
                .collect(),
            disabled_query: off.iter().map(|q| text(q, "key")).collect(),
        }
    }
}

/// A URL from Postman's parts, when it has no `raw`.
fn built(url: &Value, query: &[&Value]) -> String {
    let joined = |key: &str, sep: &str| match url.get(key) {
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| p.get("value").map_or_else(|| scalar(p), scalar))
            .collect::<Vec<_>>()
            .join(sep),
        Some(other) => scalar(other),
        None => String::new(),
    };
    let mut out = String::new();
    let protocol = text(url, "protocol");
    if !protocol.is_empty() {
        out.push_str(&format!("{protocol}://"));
    }
    out.push_str(&joined("host", "."));
    let port = url.get("port").map(scalar).unwrap_or_default();
    if !port.is_empty() {
        out.push_str(&format!(":{port}"));
    }
    let path = joined("path", "/");
    if !path.is_empty() {
        out.push('/');
        out.push_str(path.trim_start_matches('/'));
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|q| format!("{}={}", text(q, "key"), text(q, "value")))
        .collect();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    let hash = text(url, "hash");
    if !hash.is_empty() {
        out.push('#');
        out.push_str(&hash);
    }
    out
}

/// `{{base}}/users/:id` with `id` among `names` → `{{base}}/users/{{id}}` (only path segments:
/// a port's `:8080` stays).
pub(in crate::import) fn with_path_variables(url: &str, names: &[String]) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (base, rest) = url.split_at(end);
    let path_start = match base.find("://") {
        Some(i) => base[i + 3..].find('/').map(|j| i + 3 + j),
        None => base.find('/'),
    };
    let Some(start) = path_start else {
        return url.to_string();
    };
    let (host, path) = base.split_at(start);
    let path: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) if names.iter().any(|n| n == name) => format!("{{{{{name}}}}}"),
            _ => segment.to_string(),
        })
        .collect();
    format!("{host}{}{rest}", path.join("/"))
}
