//! Sample values from JSON Schemas, for request bodies and parameters a specification gives no
//! example for: the schema's own `example`/`examples`/`const`/`default`/`enum` when it has one,
//! else a value of its type — objects with their properties (required ones first, read-only ones
//! left out, six levels deep at most), `allOf` merged, the first `oneOf`/`anyOf` branch, arrays
//! with one item, strings shaped by their `format`.
//!
//! A schema that contains itself (a tree node with children) stops where it would repeat: an
//! empty object or list. Samples of shared schemas are cached by ref and depth, so a schema used
//! by a thousand operations is walked once.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::refs::{Key, Node, Refs};
use crate::import::ImportError;

/// Objects and arrays nested deeper than this are left empty.
pub const MAX_DEPTH: u8 = 6;

/// Refs being expanded at once, at most (a long chain of distinct schemas).
const MAX_NESTING: usize = 64;

/// Samples already made, by the ref they came from and the depth they were made at.
#[derive(Default)]
pub struct Samples {
    cache: HashMap<(Key, u8), Value>,
}

impl Samples {
    /// A sample value for `schema`.
    pub fn of(&mut self, refs: &Refs, schema: Node<'_>) -> Result<Value, ImportError> {
        let mut walk = Walk {
            refs,
            cache: &mut self.cache,
            stack: Vec::new(),
        };
        Ok(walk.schema(schema, 0)?.0)
    }
}

struct Walk<'r, 'c> {
    refs: &'r Refs,
    cache: &'c mut HashMap<(Key, u8), Value>,
    /// The refs being expanded, outermost first.
    stack: Vec<Key>,
}

/// A sample, and whether it was cut short by a repeat (then it depends on where it was made and
/// is not cached).
type Made = (Value, bool);

impl Walk<'_, '_> {
    fn schema(&mut self, node: Node<'_>, depth: u8) -> Result<Made, ImportError> {
        let Some(map) = node.value.as_object() else {
            // `true` (anything) or `false` (nothing) in 3.1.
            return Ok((json!({}), false));
        };
        if map.get("$ref").is_none_or(|r| !r.is_string()) {
            return self.inline(node, depth);
        }
        if let Some(example) = explicit(node.value) {
            return Ok((example.clone(), false));
        }
        let (target, key) = self.refs.resolve(node)?;
        let (mut value, mut cut) = match key {
            None => (json!({}), false),
            Some(key) => self.expand(target, key, depth)?,
        };
        // 3.1: keywords beside a `$ref` apply as well (as if in an `allOf`).
        if map.keys().any(|k| !is_annotation(k)) {
            let mut rest = map.clone();
            rest.remove("$ref");
            let rest = Value::Object(rest);
            let (more, more_cut) = self.inline(node.with(&rest), depth)?;
            value = merge(Some(value), more);
            cut |= more_cut;
        }
        Ok((value, cut))
    }

    /// The sample of the schema at `key`, from the cache or made now.
    fn expand(&mut self, target: Node<'_>, key: Key, depth: u8) -> Result<Made, ImportError> {
        if self.stack.contains(&key) || self.stack.len() >= MAX_NESTING {
            return Ok((empty_like(target.value), true));
        }
        let cache_key = (key, depth);
        if let Some(v) = self.cache.get(&cache_key) {
            return Ok((v.clone(), false));
        }
        self.stack.push(cache_key.0.clone());
        let made = self.schema(target, depth);
        self.stack.pop();
        let (value, cut) = made?;
        if !cut {
            self.cache.insert(cache_key, value.clone());
        }
        Ok((value, cut))
    }

    fn inline(&mut self, node: Node<'_>, depth: u8) -> Result<Made, ImportError> {
        let v = node.value;
        if let Some(example) = explicit(v) {
            return Ok((example.clone(), false));
        }
        let mut out: Option<Value> = None;
        let mut cut = false;
        for branch in node.get("allOf").into_iter().flat_map(Node::items) {
            let (b, c) = self.schema(branch, depth)?;
            out = Some(merge(out, b));
            cut |= c;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = node.get(key).and_then(|n| n.items().next()) {
                let (b, c) = self.schema(first, depth)?;
                out = Some(merge(out, b));
                cut |= c;
            }
        }
        let own = match type_of(v) {
            Some("object") => Some(self.object(node, depth)?),
            Some("array") => Some(self.array(node, depth)?),
            Some(ty) => Some((scalar(ty, v, None), false)),
            None if out.is_none() => Some((json!({}), false)),
            None => None,
        };
        if let Some((own, c)) = own {
            out = Some(merge(out, own));
            cut |= c;
        }
        Ok((out.unwrap_or_else(|| json!({})), cut))
    }

    fn object(&mut self, node: Node<'_>, depth: u8) -> Result<Made, ImportError> {
        let mut out = Map::new();
        if depth >= MAX_DEPTH {
            return Ok((Value::Object(out), false));
        }
        let required: Vec<&str> = node
            .get("required")
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|n| n.value.as_str())
            .collect();
        let props: Vec<(&str, Node<'_>)> = node
            .get("properties")
            .into_iter()
            .flat_map(Node::entries)
            .collect();
        let ordered = props
            .iter()
            .filter(|(name, _)| required.contains(name))
            .chain(props.iter().filter(|(name, _)| !required.contains(name)));
        let mut cut = false;
        for (name, prop) in ordered {
            if self.refs.deref(*prop)?.value.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            let (value, c) = self.schema(*prop, depth + 1)?;
            out.insert((*name).to_string(), value);
            cut |= c;
        }
        if props.is_empty()
            && let Some(extra) = node
                .get("additionalProperties")
                .filter(|n| n.value.is_object())
        {
            let (value, c) = self.schema(extra, depth + 1)?;
            out.insert("key".into(), value);
            cut |= c;
        }
        Ok((Value::Object(out), cut))
    }

    fn array(&mut self, node: Node<'_>, depth: u8) -> Result<Made, ImportError> {
        let items = node
            .get("items")
            .filter(|n| n.value.is_object())
            .or_else(|| node.get("prefixItems").and_then(|n| n.items().next()));
        let Some(items) = items.filter(|_| depth < MAX_DEPTH) else {
            return Ok((json!([]), false));
        };
        // A list of the schema being made: an empty list rather than a list of empty objects.
        if let (_, Some(key)) = self.refs.resolve(items)?
            && self.stack.contains(&key)
        {
            return Ok((json!([]), true));
        }
        let (item, cut) = self.schema(items, depth + 1)?;
        Ok((json!([item]), cut))
    }
}

/// A value the schema gives itself: `example`, the first of `examples` (3.1), `const`,
/// `default`, or the first `enum` value.
pub fn explicit(schema: &Value) -> Option<&Value> {
    schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.as_array()?.first()))
        .or_else(|| schema.get("const"))
        .or_else(|| schema.get("default"))
        .or_else(|| {
            let values = schema.get("enum")?.as_array()?;
            values.iter().find(|v| !v.is_null()).or(values.first())
        })
}

/// The schema's type: `type` (the first that is not `null` of a 3.1 list), else what its
/// keywords imply.
pub fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => return Some(t),
        Some(Value::Array(list)) => {
            let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            return names
                .iter()
                .find(|t| **t != "null")
                .or(names.first())
                .copied();
        }
        _ => {}
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        Some("object")
    } else if schema.get("items").is_some() || schema.get("prefixItems").is_some() {
        Some("array")
    } else if schema.get("format").is_some() {
        Some("string")
    } else {
        None
    }
}

/// A sample of a scalar type. For a parameter (`param` names it), numbers are 1 (a plausible
/// id) and plain strings `<name>`, so what is left to fill in stands out.
pub fn scalar(ty: &str, schema: &Value, param: Option<&str>) -> Value {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    match ty {
        "integer" => match minimum {
            Some(m) => json!(m.ceil() as i64),
            None => json!(if param.is_some() { 1 } else { 0 }),
        },
        "number" => match minimum {
            Some(m) => json!(m),
            None => json!(if param.is_some() { 1 } else { 0 }),
        },
        "boolean" => json!(true),
        "null" => Value::Null,
        // 2.0's form parameter of type `file`.
        "file" => json!(""),
        _ => {
            let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
            match (format_sample(format), param) {
                (Some(s), _) => json!(s),
                (None, Some(name)) => json!(format!("<{name}>")),
                (None, None) => json!("string"),
            }
        }
    }
}

fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "12:00:00Z",
        "email" | "idn-email" => "user@example.com",
        "uuid" => "00000000-0000-0000-0000-000000000000",
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => "https://example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c3RyaW5n",
        "binary" => "",
        _ => return None,
    })
}

/// Whether a file is what the schema holds: `format: binary` (3.0, 2.0's `type: file`), or a
/// `contentMediaType`/`contentEncoding` (3.1).
pub fn is_binary(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("binary")
        || schema.get("type").and_then(Value::as_str) == Some("file")
        || schema.get("contentMediaType").is_some()
        || schema.get("contentEncoding").and_then(Value::as_str) == Some("binary")
}

/// Keywords beside a `$ref` that say something about it without changing its shape.
fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "$ref"
            | "description"
            | "summary"
            | "title"
            | "$comment"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
            | "nullable"
            | "externalDocs"
    ) || key.starts_with("x-")
}

/// Where a repeat stops: a list for a list schema, else an object.
fn empty_like(schema: &Value) -> Value {
    if type_of(schema) == Some("array") {
        json!([])
    } else {
        json!({})
    }
}

/// `a` and `b` together: the members of two objects (the first's kept), else the first value.
fn merge(a: Option<Value>, b: Value) -> Value {
    match (a, b) {
        (None, b) => b,
        (Some(Value::Object(mut a)), Value::Object(b)) => {
            for (k, v) in b {
                a.entry(k).or_insert(v);
            }
            Value::Object(a)
        }
        // An empty object from a schema without a type gives way to the other branch's value.
        (Some(Value::Object(a)), b) if a.is_empty() => b,
        (Some(a), _) => a,
    }
}
