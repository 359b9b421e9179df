//! An operation's request body → the request's body: JSON is preferred when the operation
//! accepts it (`application/json` or any `+json`), else its first media type; forms become form
//! pairs, `multipart/form-data` parts (binary properties as file parts), `text/*` text, binary
//! types a file. The value is the media type's `example`, else its first `examples` entry, else
//! a sample made from the schema. A Content-Type header is written when the media type is not
//! the one scout sends for that kind of body.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::Ctx;
use super::example::is_binary;
use super::params::text_of;
use super::refs::Node;
use crate::collection::{SavedBody, SavedRequest};
use crate::import::{ImportError, literal};
use crate::model::MultipartLine;

/// A 3.x `requestBody` (its `$ref` followed) as media types and their media type objects.
pub fn media_of_v3<'a>(
    ctx: &Ctx<'a>,
    body: Node<'a>,
) -> Result<Vec<(&'a str, Node<'a>)>, ImportError> {
    let body = ctx.refs.deref(body)?;
    Ok(body
        .get("content")
        .into_iter()
        .flat_map(Node::entries)
        .collect())
}

/// 2.0: a `body` parameter's schema, or the `formData` parameters as an object schema, as
/// media type objects for each type the operation `consumes`.
pub fn media_of_v2(
    body: Option<Node<'_>>,
    form: &[Node<'_>],
    consumes: &[&str],
) -> Vec<(String, Value)> {
    let media_object = if let Some(schema) = body.and_then(|b| b.get("schema")) {
        json!({ "schema": schema.value })
    } else if !form.is_empty() {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for p in form {
            let Some(name) = p.str("name") else { continue };
            let mut prop = p.value.clone();
            if let Some(obj) = prop.as_object_mut() {
                for key in ["name", "in", "required", "description"] {
                    obj.remove(key);
                }
                if let Some(x) = obj.remove("x-example") {
                    obj.insert("example".into(), x);
                }
            }
            if p.value.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            properties.insert(name.to_string(), prop);
        }
        json!({ "schema": { "type": "object", "required": required, "properties": properties } })
    } else {
        return Vec::new();
    };
    let has_file = form.iter().any(|p| p.str("type") == Some("file"));
    let mut types: Vec<&str> = consumes.to_vec();
    if types.is_empty() {
        types.push(match (body.is_some(), has_file) {
            (true, _) => "application/json",
            (false, true) => "multipart/form-data",
            (false, false) => "application/x-www-form-urlencoded",
        });
    }
    if !form.is_empty() {
        // Form parameters go in a form whatever else is listed.
        types.retain(|t| t.contains("form"));
        if types.is_empty() {
            types.push(if has_file {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            });
        }
    }
    types
        .into_iter()
        .map(|t| (t.to_string(), media_object.clone()))
        .collect()
}

/// Sets `req.body` from the media types offered (and a Content-Type header when needed).
pub fn apply(
    ctx: &mut Ctx<'_>,
    req: &mut SavedRequest,
    title: &str,
    media: &[(&str, Node<'_>)],
) -> Result<(), ImportError> {
    let Some((media_type, m)) = media
        .iter()
        .find(|(t, _)| is_json(&base(t)))
        .or(media.first())
    else {
        return Ok(());
    };
    let mt = base(media_type);
    let schema = match m.get("schema") {
        Some(s) => Some(ctx.refs.deref(s)?),
        None => None,
    };
    let value = example(ctx, title, *m)?;
    let binary = schema.is_some_and(|s| is_binary(s.value))
        || [
            "application/octet-stream",
            "application/pdf",
            "application/zip",
        ]
        .contains(&&*mt)
        || ["image/", "audio/", "video/"]
            .iter()
            .any(|p| mt.starts_with(p));
    let structured = matches!(value, Some(Value::Object(_) | Value::Array(_)));
    let (body, default_type) = if is_json(&mt) || mt.contains('*') && structured && !binary {
        (json_body(value), "application/json")
    } else if mt == "application/x-www-form-urlencoded" {
        (SavedBody::Form(form_pairs(value.as_ref())), mt.as_str())
    } else if mt.starts_with("multipart/") {
        let parts = multipart(ctx, title, *m, schema, value.as_ref())?;
        // scout writes multipart/form-data with its boundary itself.
        (SavedBody::Multipart(parts), mt.as_str())
    } else if binary {
        ctx.drop(format!(
            "request `{title}`: its body is a file ({media_type}): set the file to send (body.bin \
             for now)"
        ));
        (SavedBody::File(PathBuf::from("body.bin")), "")
    } else {
        let text = match value {
            Some(Value::String(s)) => s,
            Some(v) if mt.starts_with("text/") || mt.contains('*') => {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            }
            _ => {
                ctx.drop(format!(
                    "request `{title}`: the specification has no example of its {media_type} \
                     body: write it"
                ));
                String::new()
            }
        };
        (SavedBody::Text(literal(&text)), "text/plain")
    };
    if mt != default_type && !mt.contains('*') {
        req.headers
            .push(("Content-Type".into(), literal(media_type.trim())));
    }
    req.body = Some(body);
    Ok(())
}

/// The media type object's `example`, its first `examples` value, or a sample of its schema.
fn example(ctx: &mut Ctx<'_>, title: &str, m: Node<'_>) -> Result<Option<Value>, ImportError> {
    if let Some(v) = m.value.get("example") {
        return Ok(Some(v.clone()));
    }
    if let Some((name, first)) = m.get("examples").and_then(|e| e.entries().next()) {
        let first = ctx.refs.deref(first)?;
        if let Some(v) = first.value.get("value") {
            return Ok(Some(v.clone()));
        }
        if let Some(url) = first.str("externalValue") {
            ctx.drop(format!(
                "request `{title}`: example `{name}` is in another document ({url}), which is \
                 not fetched: a sample from the schema is used"
            ));
        }
    }
    match m.get("schema") {
        Some(schema) => Ok(Some(ctx.samples.of(ctx.refs, schema)?)),
        None => Ok(None),
    }
}

fn json_body(value: Option<Value>) -> SavedBody {
    let value = match value {
        // A JSON document written as a string in YAML.
        Some(Value::String(s)) => serde_json::from_str::<Value>(&s)
            .ok()
            .filter(|v| v.is_object() || v.is_array())
            .unwrap_or(Value::String(s)),
        Some(v) => v,
        None => json!({}),
    };
    SavedBody::Json(literal(
        &serde_json::to_string_pretty(&value).unwrap_or_default(),
    ))
}

fn form_pairs(value: Option<&Value>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (k, v) in value.and_then(Value::as_object).into_iter().flatten() {
        match v {
            Value::Array(items) => {
                pairs.extend(items.iter().map(|i| (k.clone(), literal(&text_of(i)))));
            }
            v => pairs.push((k.clone(), literal(&text_of(v)))),
        }
    }
    pairs
}

/// The parts of a multipart body: the sample's members, files where the schema says binary
/// (named after the part, to be set), each with the Content-Type its `encoding` gives.
fn multipart(
    ctx: &mut Ctx<'_>,
    title: &str,
    m: Node<'_>,
    schema: Option<Node<'_>>,
    value: Option<&Value>,
) -> Result<Vec<MultipartLine>, ImportError> {
    let mut files = Vec::new();
    let mut schemas: Vec<Node<'_>> = schema.into_iter().collect();
    while let Some(s) = schemas.pop() {
        for (name, prop) in s.get("properties").into_iter().flat_map(Node::entries) {
            let prop = ctx.refs.deref(prop)?;
            let items = match prop.get("items") {
                Some(i) => Some(ctx.refs.deref(i)?),
                None => None,
            };
            if is_binary(prop.value) || items.is_some_and(|i| is_binary(i.value)) {
                files.push(name);
            }
        }
        for branch in s.get("allOf").into_iter().flat_map(Node::items) {
            schemas.push(ctx.refs.deref(branch)?);
        }
    }
    let mut parts = Vec::new();
    let mut file_parts = Vec::new();
    for (name, v) in value.and_then(Value::as_object).into_iter().flatten() {
        if files.contains(&name.as_str()) {
            let content_type = m
                .get("encoding")
                .and_then(|e| e.get(name))
                .and_then(|e| e.str("contentType"))
                .filter(|t| !t.contains(['*', ',']))
                .map(str::to_string);
            parts.push(MultipartLine::File {
                name: name.clone(),
                path: PathBuf::from(name),
                content_type,
            });
            file_parts.push(format!("`{name}`"));
        } else {
            parts.push(MultipartLine::Field {
                name: name.clone(),
                value: literal(&text_of(v)),
            });
        }
    }
    if !file_parts.is_empty() {
        ctx.drop(format!(
            "request `{title}`: set the file of part {} (the part's name stands in for its path)",
            file_parts.join(", ")
        ));
    }
    Ok(parts)
}

/// `application/json; charset=utf-8` → `application/json`.
fn base(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(base: &str) -> bool {
    base == "application/json" || base.ends_with("+json")
}
