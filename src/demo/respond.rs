//! Response helpers shared by every demo handler: pretty JSON bodies, JSON errors, path-parameter
//! parsing and the "repeated keys become arrays" map used for query strings, forms and headers.

use std::fmt::Display;
use std::str::FromStr;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::map::Entry;
use serde_json::{Map, Value};

/// The media type of every JSON body the demo sends (JSON is UTF-8 by definition: no charset).
pub(crate) const JSON_TYPE: &str = "application/json";

/// A pretty-printed JSON response (with a trailing newline) and `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    json_response_with(status, HeaderMap::new(), value)
}

/// Like [`json_response`], with extra headers (`Location`, `Link`, ...).
pub(crate) fn json_response_with(
    status: StatusCode,
    mut headers: HeaderMap,
    value: &Value,
) -> Response {
    // Serializing a `Value` cannot fail (its map keys are strings), but keep the fallback total.
    let mut body = serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"null".to_vec());
    body.push(b'\n');
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
    (status, headers, body).into_response()
}

/// An error answered as `{"error": message, ...details}` with its status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) body: Map<String, Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let mut body = Map::new();
        body.insert("error".to_owned(), Value::String(message.into()));
        ApiError { status, body }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn unprocessable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Adds a detail field next to `error`.
    pub(crate) fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.body.insert(key.to_owned(), value.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &Value::Object(self.body))
    }
}

/// Parses a path parameter, answering 400 with the parameter's name and value when it does not parse
/// (axum's own rejection is plain text; the demo promises JSON everywhere).
pub(crate) fn parse_param<T>(name: &str, raw: &str) -> Result<T, ApiError>
where
    T: FromStr,
    T::Err: Display,
{
    raw.parse().map_err(|e| {
        ApiError::bad_request(format!("invalid {name} {raw:?}: {e}"))
            .with("param", name)
            .with("value", raw)
    })
}

/// A query parameter given at most once (see [`multi_map`]): `None` when absent, parsed with
/// [`parse_param`], 400 when repeated.
pub(crate) fn single<T>(query: &Map<String, Value>, name: &str) -> Result<Option<T>, ApiError>
where
    T: FromStr,
    T::Err: Display,
{
    match query.get(name) {
        None => Ok(None),
        Some(Value::String(raw)) => parse_param(name, raw).map(Some),
        Some(_) => Err(ApiError::bad_request(format!("give {name} at most once"))),
    }
}

/// Collects key/value pairs into a JSON object; a key seen more than once maps to an array of its
/// values, in order.
pub(crate) fn multi_map<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Map<String, Value>
where
    K: Into<String>,
    V: Into<String>,
{
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = Value::String(value.into());
        match map.entry(key.into()) {
            Entry::Vacant(slot) => {
                slot.insert(value);
            }
            Entry::Occupied(mut slot) => match slot.get_mut() {
                Value::Array(values) => values.push(value),
                existing => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
            },
        }
    }
    map
}

/// The query string of `uri` as a [`multi_map`].
pub(crate) fn query_map(query: Option<&str>) -> Map<String, Value> {
    multi_map(url::form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned())
}

/// The request headers as a [`multi_map`] (lower-case names; non-UTF-8 values decoded lossily).
pub(crate) fn header_map(headers: &HeaderMap) -> Map<String, Value> {
    multi_map(headers.iter().map(|(name, value)| {
        (
            name.as_str().to_owned(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        )
    }))
}

/// A header's value as text, if present and visible ASCII.
pub(crate) fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn multi_map_turns_repeated_keys_into_arrays() {
        let map = multi_map([("a", "1"), ("b", "2"), ("a", "3"), ("a", "4")]);
        assert_eq!(Value::Object(map), json!({"a": ["1", "3", "4"], "b": "2"}));
    }

    #[test]
    fn query_map_decodes_percent_and_plus() {
        let map = query_map(Some("q=hello+world&x=%C3%A9&x=2&empty="));
        assert_eq!(
            Value::Object(map),
            json!({"q": "hello world", "x": ["é", "2"], "empty": ""})
        );
        assert!(query_map(None).is_empty());
    }

    #[test]
    fn parse_param_reports_name_and_value() {
        assert_eq!(parse_param::<u16>("code", "204"), Ok(204));
        let err = parse_param::<u16>("code", "abc").unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert_eq!(err.body["param"], "code");
        assert_eq!(err.body["value"], "abc");
    }
}
