//! The JSON body that `field=value` and `field:=json` items build: kept in the order the user
//! typed (serde_json's map sorts keys), with HTTPie 3's nested keys (`user[name]=x`, `tags[]=a`,
//! `ids[0]:=1`, `[]:=1` for a top-level array).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Tok, detokenize};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Json {
    Scalar(Value),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Scalar(Value::String(_)) => "a string",
            Json::Scalar(Value::Null) => "null",
            Json::Scalar(_) => "a value",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Pretty-prints with two-space indentation, like `serde_json::to_string_pretty`.
    pub(super) fn write_pretty(&self, indent: usize, out: &mut String) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            Json::Scalar(v) => out.push_str(&v.to_string()),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    item.write_pretty(indent + 2, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Object(entries) => {
                out.push_str("{\n");
                for (i, (key, value)) in entries.iter().enumerate() {
                    pad(out, indent + 2);
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push_str(": ");
                    value.write_pretty(indent + 2, out);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Scalar(Value::String(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::Scalar(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries: Vec<(String, Json)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => entries.push((key, value)),
                    }
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// Puts `value` into `root` at the field name `name` (`user[name]`, `tags[]`, `ids[0]`).
pub(super) fn set_field(root: &mut Json, name: &[Tok], value: Json) -> Result<(), String> {
    let path = parse_key_path(name)?;
    insert(root, &path, 0, value)
}

/// One step of a nested field name: `user`, `[name]`, `[]`, `[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Append,
    Index(usize),
}

/// Array indexes above this are refused (they would allocate a huge array of nulls).
const MAX_INDEX: usize = 10_000;

fn parse_key_path(toks: &[Tok]) -> Result<Vec<Seg>, String> {
    let hint = "escape brackets as `\\[` and `\\]` to use them literally";
    let mut segs = Vec::new();
    let open = toks.iter().position(|&t| t == ('[', false));
    let head = &toks[..open.unwrap_or(toks.len())];
    if !head.is_empty() {
        segs.push(Seg::Key(detokenize(head, false)));
    }
    let mut rest = &toks[head.len()..];
    while !rest.is_empty() {
        if rest[0] != ('[', false) {
            return Err(format!("expected `[` after `]` in the field name; {hint}"));
        }
        let Some(close) = rest.iter().position(|&t| t == (']', false)) else {
            return Err(format!("unclosed `[` in the field name; {hint}"));
        };
        let inner = &rest[1..close];
        if inner.contains(&('[', false)) {
            return Err(format!("unexpected `[` inside `[…]`; {hint}"));
        }
        let text = detokenize(inner, false);
        let seg = if text.is_empty() {
            Seg::Append
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            match text.parse::<usize>() {
                Ok(i) if i <= MAX_INDEX => Seg::Index(i),
                _ => return Err(format!("array index {text} is too large (max {MAX_INDEX})")),
            }
        } else {
            Seg::Key(text)
        };
        segs.push(seg);
        rest = &rest[close + 1..];
    }
    Ok(segs)
}

fn render_path(segs: &[Seg]) -> String {
    let mut s = String::new();
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Key(k) if i == 0 => s.push_str(k),
            Seg::Key(k) => s.push_str(&format!("[{k}]")),
            Seg::Append => s.push_str("[]"),
            Seg::Index(n) => s.push_str(&format!("[{n}]")),
        }
    }
    if s.is_empty() {
        "the top level".into()
    } else {
        format!("`{s}`")
    }
}

fn empty_container(next: &Seg) -> Json {
    match next {
        Seg::Key(_) => Json::Object(Vec::new()),
        Seg::Append | Seg::Index(_) => Json::Array(Vec::new()),
    }
}

/// Sets `path[depth..]` inside `node` to `value`, creating objects and arrays on the way. A repeated
/// key collects its values into an array (HTTPie: `a=1 a=2` → `"a": ["1", "2"]`).
fn insert(node: &mut Json, path: &[Seg], depth: usize, value: Json) -> Result<(), String> {
    let Some(seg) = path.get(depth) else {
        return Ok(());
    };
    // The top level starts as an empty object; a first `[]`/`[0]` item makes it an array.
    if depth == 0
        && matches!(node, Json::Object(e) if e.is_empty())
        && matches!(seg, Seg::Append | Seg::Index(_))
    {
        *node = Json::Array(Vec::new());
    }
    let last = depth + 1 == path.len();
    let mismatch = |node: &Json, wanted: &str| {
        format!(
            "{} is already {}, so it cannot take {wanted}",
            render_path(&path[..depth]),
            node.kind()
        )
    };
    match seg {
        Seg::Key(key) => {
            let Json::Object(entries) = node else {
                return Err(mismatch(node, &format!("the key `{key}`")));
            };
            let pos = entries.iter().position(|(k, _)| k == key);
            match (pos, last) {
                (None, true) => entries.push((key.clone(), value)),
                (Some(i), true) => {
                    let slot = &mut entries[i].1;
                    match slot {
                        Json::Array(items) => items.push(value),
                        other => {
                            let old = std::mem::replace(other, Json::Array(Vec::new()));
                            *other = Json::Array(vec![old, value]);
                        }
                    }
                }
                (None, false) => {
                    entries.push((key.clone(), empty_container(&path[depth + 1])));
                    let child = entries.last_mut().map(|(_, v)| v);
                    if let Some(child) = child {
                        insert(child, path, depth + 1, value)?;
                    }
                }
                (Some(i), false) => insert(&mut entries[i].1, path, depth + 1, value)?,
            }
        }
        Seg::Append => {
            let Json::Array(items) = node else {
                return Err(mismatch(node, "`[]`"));
            };
            if last {
                items.push(value);
            } else {
                items.push(empty_container(&path[depth + 1]));
                if let Some(child) = items.last_mut() {
                    insert(child, path, depth + 1, value)?;
                }
            }
        }
        Seg::Index(i) => {
            let Json::Array(items) = node else {
                return Err(mismatch(node, &format!("the index `[{i}]`")));
            };
            if items.len() <= *i {
                items.resize(*i + 1, Json::Scalar(Value::Null));
            }
            let slot = &mut items[*i];
            if last {
                *slot = value;
            } else {
                if *slot == Json::Scalar(Value::Null) {
                    *slot = empty_container(&path[depth + 1]);
                }
                insert(slot, path, depth + 1, value)?;
            }
        }
    }
    Ok(())
}
