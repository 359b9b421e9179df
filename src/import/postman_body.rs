//! Postman request bodies (`raw`, `urlencoded`, `formdata`, `graphql`, `file`) as scout's, and
//! the Content-Type Postman would have added for a raw body in a language scout sends as text.

use std::path::PathBuf;

use serde_json::Value;

use super::auth::scalar;
use super::{Builder, text};
use crate::collection::{SavedBody, SavedRequest};
use crate::import::secrets::is_secret_name;
use crate::model::MultipartLine;

impl Builder {
    /// `request.body` into `saved.body` (with a Content-Type header when Postman would send one
    /// scout would not).
    pub(super) fn body(&mut self, body: Option<&Value>, owner: &str, saved: &mut SavedRequest) {
        let Some(body) = body.filter(|b| b.is_object()) else {
            return;
        };
        if body.get("disabled").and_then(Value::as_bool) == Some(true) {
            return;
        }
        let mode = text(body, "mode");
        let (found, content_type) = match mode.as_str() {
            "" | "none" => (None, None),
            "raw" => raw(body, saved),
            "urlencoded" => (self.form(body.get("urlencoded"), owner), None),
            "formdata" => (self.multipart(body.get("formdata"), owner), None),
            "graphql" => (self.graphql(body.get("graphql"), owner), None),
            "file" => {
                let src = body.get("file").map(|f| text(f, "src")).unwrap_or_default();
                if src.is_empty() {
                    self.dropped.push(format!(
                        "{owner}: no body file is chosen in Postman, dropped"
                    ));
                    (None, None)
                } else {
                    (Some(SavedBody::File(PathBuf::from(src))), None)
                }
            }
            other => {
                self.dropped.push(format!(
                    "{owner}: a `{other}` body is not supported by scout, dropped"
                ));
                (None, None)
            }
        };
        if matches!(found, Some(SavedBody::Multipart(_))) {
            drop_bare_multipart_type(&mut saved.headers);
        }
        if let Some(ct) = content_type
            && !has_content_type(saved)
        {
            saved.headers.push(("Content-Type".into(), ct.into()));
        }
        saved.body = found;
    }

    /// `urlencoded`: `[{key, value, disabled}]`.
    fn form(&mut self, list: Option<&Value>, owner: &str) -> Option<SavedBody> {
        let mut pairs = Vec::new();
        for field in list.and_then(Value::as_array).into_iter().flatten() {
            let key = text(field, "key");
            if key.is_empty() {
                continue;
            }
            if off(field) {
                self.dropped.push(format!(
                    "{owner}: form field `{key}` is switched off in Postman, dropped"
                ));
                continue;
            }
            let value = self.field_value(&key, &text(field, "value"));
            pairs.push((key, value));
        }
        (!pairs.is_empty()).then_some(SavedBody::Form(pairs))
    }

    /// `formdata`: text parts and file parts (`type: file`, `src` a path or a list of them).
    fn multipart(&mut self, list: Option<&Value>, owner: &str) -> Option<SavedBody> {
        let mut parts = Vec::new();
        for part in list.and_then(Value::as_array).into_iter().flatten() {
            let name = text(part, "key");
            if off(part) {
                self.dropped.push(format!(
                    "{owner}: multipart part `{name}` is switched off in Postman, dropped"
                ));
                continue;
            }
            let content_type = Some(text(part, "contentType")).filter(|c| !c.is_empty());
            if text(part, "type") == "file" {
                let sources: Vec<String> = match part.get("src") {
                    Some(Value::Array(list)) => list.iter().map(scalar).collect(),
                    Some(other) => vec![scalar(other)],
                    None => Vec::new(),
                };
                let sources: Vec<String> = sources.into_iter().filter(|s| !s.is_empty()).collect();
                if sources.is_empty() {
                    self.dropped.push(format!(
                        "{owner}: multipart file part `{name}` has no file chosen in Postman, \
                         dropped"
                    ));
                }
                for src in sources {
                    parts.push(MultipartLine::File {
                        name: name.clone(),
                        path: PathBuf::from(src),
                        content_type: content_type.clone(),
                    });
                }
                continue;
            }
            if content_type.is_some() {
                self.dropped.push(format!(
                    "{owner}: the Content-Type of multipart field `{name}` is not kept (scout \
                     sends text fields without one)"
                ));
            }
            let value = self.field_value(&name, &text(part, "value"));
            parts.push(MultipartLine::Field { name, value });
        }
        (!parts.is_empty()).then_some(SavedBody::Multipart(parts))
    }

    /// `graphql`: `{query, variables}` sent as JSON, as Postman sends it.
    fn graphql(&mut self, graphql: Option<&Value>, owner: &str) -> Option<SavedBody> {
        let graphql = graphql?;
        let query = text(graphql, "query");
        let variables = text(graphql, "variables");
        let variables = variables.trim();
        let json = match serde_json::from_str::<Value>(variables) {
            Ok(parsed) => {
                let body = serde_json::json!({"query": query, "variables": parsed});
                serde_json::to_string_pretty(&body).unwrap_or_default()
            }
            // Templates in place of values: kept as written, resolved before sending.
            Err(_) if variables.contains("{{") => format!(
                "{{\n  \"query\": {},\n  \"variables\": {variables}\n}}",
                Value::String(query)
            ),
            Err(_) => {
                if !variables.is_empty() {
                    self.dropped.push(format!(
                        "{owner}: its GraphQL variables are not valid JSON, dropped"
                    ));
                }
                let body = serde_json::json!({"query": query, "variables": {}});
                serde_json::to_string_pretty(&body).unwrap_or_default()
            }
        };
        Some(SavedBody::Json(json))
    }

    /// A form or multipart field's value, hidden when its name says it is a secret.
    fn field_value(&mut self, name: &str, value: &str) -> String {
        if is_secret_name(name) {
            self.secrets.hide(name, value)
        } else {
            value.to_string()
        }
    }
}

/// `raw`: JSON when the language (or, without one, the Content-Type) says so and it reads as
/// JSON or holds templates; else text, with the Content-Type Postman adds for its language.
fn raw(body: &Value, saved: &SavedRequest) -> (Option<SavedBody>, Option<&'static str>) {
    let text_body = text(body, "raw");
    if text_body.trim().is_empty() {
        return (None, None);
    }
    let language = body
        .get("options")
        .and_then(|o| o.get("raw"))
        .and_then(|r| r.get("language"))
        .and_then(Value::as_str);
    let says_json = saved
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"));
    let json = language == Some("json") || language.is_none() && says_json;
    if json {
        return match json_or_text(&text_body) {
            body @ SavedBody::Json(_) => (Some(body), None),
            body => (Some(body), Some("application/json")),
        };
    }
    let content_type = match language {
        Some("xml") => Some("application/xml"),
        Some("html") => Some("text/html"),
        Some("javascript") => Some("application/javascript"),
        // `text`: scout's own text/plain.
        _ => None,
    };
    (Some(SavedBody::Text(text_body)), content_type)
}

/// JSON text as a JSON body when it parses or holds `{{templates}}` (which stand for values),
/// else as text.
pub(in crate::import) fn json_or_text(text: &str) -> SavedBody {
    if text.contains("{{") || serde_json::from_str::<Value>(text).is_ok() {
        SavedBody::Json(text.to_string())
    } else {
        SavedBody::Text(text.to_string())
    }
}

/// Removes a `Content-Type: multipart/form-data` without a boundary: scout writes the header
/// itself, with the boundary it chose (a header without one would make the body unreadable).
pub(in crate::import) fn drop_bare_multipart_type(headers: &mut Vec<(String, String)>) {
    headers.retain(|(k, v)| !k.eq_ignore_ascii_case("content-type") || v.contains("boundary="));
}

fn has_content_type(saved: &SavedRequest) -> bool {
    saved
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
}

fn off(value: &Value) -> bool {
    value.get("disabled").and_then(Value::as_bool) == Some(true)
}

/// The texts of a body that can hold templates.
pub(super) fn texts<'a>(body: Option<&'a SavedBody>, out: &mut Vec<&'a str>) {
    match body {
        Some(SavedBody::Json(t) | SavedBody::Text(t)) => out.push(t),
        Some(SavedBody::Form(pairs)) => {
            for (k, v) in pairs {
                out.push(k);
                out.push(v);
            }
        }
        Some(SavedBody::Multipart(parts)) => {
            for part in parts {
                if let MultipartLine::Field { name, value } = part {
                    out.push(name);
                    out.push(value);
                }
            }
        }
        Some(SavedBody::File(_)) | None => {}
    }
}
