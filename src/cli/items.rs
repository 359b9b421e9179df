//! HTTPie/xh request items on the command line: `scout [METHOD] URL [ITEM…]`.
//!
//! | item              | meaning                                                     |
//! |-------------------|-------------------------------------------------------------|
//! | `Header:value`    | header (`Header:` and `Header;` send an empty value)        |
//! | `Header:@path`    | header whose value is read from a file (trailing newline dropped) |
//! | `name==value`     | query parameter appended to the URL                         |
//! | `field=value`     | JSON string field (form field with `--form`)                |
//! | `field=@path`     | string field read from a file                               |
//! | `field:=json`     | raw JSON value (not with `--form` or file uploads)          |
//! | `field:=@path`    | raw JSON value read from a file                             |
//! | `field@path`      | file upload: the body becomes multipart                     |
//!
//! The separator is the first one found scanning left to right, the longest at that position; `;` only
//! counts at the very end of an item. `\` escapes a separator character (`a\:b=c` is the field `a:b`).
//! JSON field names nest like HTTPie 3: `user[name]=x`, `tags[]=a`, `ids[0]:=1`, `[]:=1` (top-level
//! array); `\[` and `\]` make brackets literal.
//!
//! Also here, because the sender shares them: the multipart body line syntax ([`parse_multipart_lines`])
//! and the form-urlencoded body text ([`parse_form_text`], [`encode_form`]).

use std::path::{Path, PathBuf};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::model::{
    BodyKind, KeyValue, Method, MultipartError, MultipartLine, RequestSpec, encode_form,
    format_multipart_lines, normalize_url,
};

/// Why the command-line request could not be built. Each message names the offending item.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ItemError {
    #[error("missing URL; usage: scout [METHOD] URL [ITEM…]")]
    MissingUrl,
    #[error(
        "`{0}`: not a request item; expected Header:value, name==value, field=value, field:=json or field@file"
    )]
    NotAnItem(String),
    #[error("`{item}`: not valid JSON after `:=` ({reason}); quote strings with `=` instead")]
    InvalidJson { item: String, reason: String },
    #[error("`{item}`: cannot read `{path}`: {reason}")]
    File {
        item: String,
        path: String,
        reason: String,
    },
    /// Any other problem with one item; `reason` says what was expected.
    #[error("`{item}`: {reason}")]
    Invalid { item: String, reason: String },
    #[error(transparent)]
    Multipart(#[from] MultipartError),
}

/// The result of [`parse_request_args`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    pub spec: RequestSpec,
    /// File upload fields and their paths as written, a leading `~/` expanded (informational; the
    /// multipart body lists them too).
    pub files: Vec<(String, PathBuf)>,
}

/// Parses everything after the subcommand: `[METHOD] URL [ITEM…]`. Relative file paths are read
/// relative to the current directory; see [`parse_request_args_in`].
pub fn parse_request_args(args: &[String], form: bool) -> Result<ParsedRequest, ItemError> {
    parse_request_args_in(args, form, Path::new(""))
}

/// [`parse_request_args`], resolving relative file paths against `base_dir` when checking and reading
/// them. Multipart body lines keep paths as written, so the sender must use the same `base_dir`.
pub fn parse_request_args_in(
    args: &[String],
    form: bool,
    base_dir: &Path,
) -> Result<ParsedRequest, ItemError> {
    let (explicit_method, rest) = match args {
        [first, rest @ ..] if !rest.is_empty() => match Method::parse(first) {
            Some(m) => (Some(m), rest),
            None => (None, args),
        },
        _ => (None, args),
    };
    let [url, items @ ..] = rest else {
        return Err(ItemError::MissingUrl);
    };
    if url.trim().is_empty() {
        return Err(ItemError::MissingUrl);
    }

    let mut headers = Vec::new();
    let mut query = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut files = Vec::new();
    for raw in items {
        match parse_item(raw, base_dir)? {
            Item::Header(kv) => headers.push(kv),
            Item::Query(name, value) => query.push((name, value)),
            Item::Field(f) => {
                if let FieldValue::File(path) = &f.value {
                    files.push((f.name.clone(), path.clone()));
                }
                fields.push(f);
            }
        }
    }

    let method = explicit_method.unwrap_or(if fields.is_empty() {
        Method::Get
    } else {
        Method::Post
    });
    let (body_kind, body) = build_body(&fields, form, files.first())?;
    let spec = RequestSpec {
        method,
        url: append_query(&normalize_url(url), &query),
        headers,
        body_kind,
        body,
    };
    Ok(ParsedRequest { spec, files })
}

/// Appends query pairs (form-urlencoded) to a URL, keeping any existing query and fragment.
fn append_query(url: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return url.to_string();
    }
    let (base, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let joiner = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    format!("{base}{joiner}{}{fragment}", encode_form(pairs))
}

// ---------------------------------------------------------------------------------------------------
// Items

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    JsonFile,
    Json,
    Query,
    DataFile,
    HeaderFile,
    Data,
    Header,
    File,
    HeaderEmpty,
}

/// Longest first, so the longest separator at a position wins.
const SEPARATORS: [(&str, Sep); 9] = [
    (":=@", Sep::JsonFile),
    (":=", Sep::Json),
    ("==", Sep::Query),
    ("=@", Sep::DataFile),
    (":@", Sep::HeaderFile),
    ("=", Sep::Data),
    (":", Sep::Header),
    ("@", Sep::File),
    (";", Sep::HeaderEmpty),
];

/// Characters a backslash escapes in an item.
const ESCAPABLE: &[char] = &[':', '=', '@', ';', '[', ']'];

/// A character of an item and whether it was backslash-escaped.
type Tok = (char, bool);

enum Item {
    Header(KeyValue),
    Query(String, String),
    Field(Field),
}

struct Field {
    item: String,
    /// The name with escapes resolved (used as-is for forms and multipart).
    name: String,
    /// The name's characters with escape flags, for nested JSON paths.
    name_toks: Vec<Tok>,
    value: FieldValue,
}

enum FieldValue {
    Text(String),
    Json(Json),
    File(PathBuf),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && ESCAPABLE.contains(&next) => {
                out.push((next, true));
                chars.next();
            }
            _ => out.push((c, false)),
        }
    }
    out
}

/// The text of tokens with escapes resolved; with `keep_bracket_escapes`, `\[`/`\]` stay as written
/// (brackets mean nothing in values, so a user's `\[` there is literal text).
fn detokenize(toks: &[Tok], keep_bracket_escapes: bool) -> String {
    let mut s = String::with_capacity(toks.len());
    for &(c, escaped) in toks {
        if escaped && keep_bracket_escapes && matches!(c, '[' | ']') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

fn find_separator(toks: &[Tok]) -> Option<(usize, Sep, usize)> {
    (0..toks.len()).find_map(|i| {
        SEPARATORS.iter().find_map(|&(pat, sep)| {
            let len = pat.chars().count();
            let window = toks.get(i..i + len)?;
            let matches = window
                .iter()
                .zip(pat.chars())
                .all(|(&(c, escaped), p)| !escaped && c == p);
            // `;` only marks an empty header at the very end (`Header;`).
            let in_place = sep != Sep::HeaderEmpty || i + len == toks.len();
            (matches && in_place).then_some((i, sep, len))
        })
    })
}

fn invalid(item: &str, reason: impl Into<String>) -> ItemError {
    ItemError::Invalid {
        item: item.to_string(),
        reason: reason.into(),
    }
}

fn parse_item(item: &str, base_dir: &Path) -> Result<Item, ItemError> {
    let toks = tokenize(item);
    let Some((at, sep, len)) = find_separator(&toks) else {
        return Err(ItemError::NotAnItem(item.to_string()));
    };
    let sep_text = SEPARATORS
        .iter()
        .find(|(_, s)| *s == sep)
        .map_or("", |(p, _)| *p);
    if at == 0 {
        return Err(invalid(item, format!("missing name before `{sep_text}`")));
    }
    let name_toks = toks[..at].to_vec();
    let name = detokenize(&name_toks, false);
    let value = detokenize(&toks[at + len..], true);
    let read = |path: &str| read_text(item, sep_text, path, base_dir);

    let field = |value: FieldValue| -> Result<Item, ItemError> {
        Ok(Item::Field(Field {
            item: item.to_string(),
            name: name.clone(),
            name_toks: name_toks.clone(),
            value,
        }))
    };
    match sep {
        Sep::Header | Sep::HeaderEmpty => header(item, &name, &value),
        Sep::HeaderFile => {
            let text = read(&value)?;
            header(item, &name, text.trim_end_matches(['\r', '\n']))
        }
        Sep::Query => Ok(Item::Query(name, value)),
        Sep::Data => field(FieldValue::Text(value)),
        Sep::DataFile => field(FieldValue::Text(read(&value)?)),
        Sep::Json => match serde_json::from_str::<Json>(&value) {
            Ok(json) => field(FieldValue::Json(json)),
            Err(e) => Err(ItemError::InvalidJson {
                item: item.to_string(),
                reason: e.to_string(),
            }),
        },
        Sep::JsonFile => {
            let text = read(&value)?;
            match serde_json::from_str::<Json>(&text) {
                Ok(json) => field(FieldValue::Json(json)),
                Err(e) => Err(invalid(
                    item,
                    format!("`{value}` does not contain valid JSON ({e})"),
                )),
            }
        }
        Sep::File => {
            let path = file_path(item, sep_text, &value)?;
            let meta = std::fs::metadata(base_dir.join(&path)).map_err(|e| ItemError::File {
                item: item.to_string(),
                path: path.clone(),
                reason: e.to_string(),
            })?;
            if !meta.is_file() {
                return Err(ItemError::File {
                    item: item.to_string(),
                    path,
                    reason: "not a regular file".into(),
                });
            }
            field(FieldValue::File(PathBuf::from(path)))
        }
    }
}

/// The path after a file separator: non-empty, with a leading `~/` expanded to the home directory
/// (the shell does not expand it in the middle of a word such as `file@~/a.txt`).
fn file_path(item: &str, sep: &str, path: &str) -> Result<String, ItemError> {
    if path.is_empty() {
        return Err(invalid(item, format!("missing file path after `{sep}`")));
    }
    let Some(rest) = path.strip_prefix("~/") else {
        return Ok(path.to_string());
    };
    match std::env::var("HOME").or_else(|_| std::env::var("USERPROFILE")) {
        Ok(home) => Ok(format!("{}/{rest}", home.trim_end_matches(['/', '\\']))),
        Err(_) => Ok(path.to_string()),
    }
}

fn read_text(item: &str, sep: &str, path: &str, base_dir: &Path) -> Result<String, ItemError> {
    let path = file_path(item, sep, path)?;
    std::fs::read_to_string(base_dir.join(&path)).map_err(|e| ItemError::File {
        item: item.to_string(),
        path,
        reason: e.to_string(),
    })
}

fn header(item: &str, name: &str, value: &str) -> Result<Item, ItemError> {
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !name.chars().all(is_token) {
        return Err(invalid(
            item,
            format!(
                "`{name}` is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only); \
                 for a field use `{name}=value`"
            ),
        ));
    }
    if value.contains(['\r', '\n']) {
        return Err(invalid(item, "header values cannot contain line breaks"));
    }
    Ok(Item::Header(KeyValue::new(name, value.trim())))
}

// ---------------------------------------------------------------------------------------------------
// Bodies

fn build_body(
    fields: &[Field],
    form: bool,
    first_file: Option<&(String, PathBuf)>,
) -> Result<(BodyKind, String), ItemError> {
    if fields.is_empty() {
        return Ok((BodyKind::None, String::new()));
    }
    if (form || first_file.is_some())
        && let Some(f) = fields
            .iter()
            .find(|f| matches!(f.value, FieldValue::Json(_)))
    {
        let why = match first_file {
            Some((name, path)) => format!(
                "a multipart upload (because of `{name}@{}`)",
                path.display()
            ),
            None => "a form (--form)".to_string(),
        };
        return Err(invalid(
            &f.item,
            format!(
                "raw JSON fields (`:=`) cannot be sent in {why}; use `{}=value` for a text field",
                f.name
            ),
        ));
    }
    if first_file.is_some() {
        let mut lines = Vec::with_capacity(fields.len());
        for f in fields {
            let line = match &f.value {
                FieldValue::File(path) => MultipartLine::File {
                    name: f.name.clone(),
                    path: path.clone(),
                    content_type: None,
                },
                FieldValue::Text(value) => MultipartLine::Field {
                    name: f.name.clone(),
                    value: value.clone(),
                },
                FieldValue::Json(_) => continue,
            };
            lines.push(line);
        }
        let body = format_multipart_lines(&lines).map_err(|e| {
            let item = fields.get(e.line - 1).map_or("", |f| f.item.as_str());
            invalid(item, e.reason)
        })?;
        return Ok((BodyKind::Multipart, body));
    }
    if form {
        let pairs: Vec<(String, String)> = fields
            .iter()
            .filter_map(|f| match &f.value {
                FieldValue::Text(v) => Some((f.name.clone(), v.clone())),
                _ => None,
            })
            .collect();
        return Ok((BodyKind::Form, encode_form(&pairs)));
    }
    let mut root = Json::Object(Vec::new());
    for f in fields {
        let value = match &f.value {
            FieldValue::Text(s) => Json::Scalar(Value::String(s.clone())),
            FieldValue::Json(j) => j.clone(),
            FieldValue::File(_) => continue,
        };
        let path = parse_key_path(&f.name_toks).map_err(|reason| invalid(&f.item, reason))?;
        insert(&mut root, &path, 0, value).map_err(|reason| invalid(&f.item, reason))?;
    }
    let mut body = String::new();
    root.write_pretty(0, &mut body);
    Ok((BodyKind::Json, body))
}

// ---------------------------------------------------------------------------------------------------
// Ordered JSON (serde_json's map sorts keys; request bodies keep the order the user typed)

#[derive(Debug, Clone, PartialEq)]
enum Json {
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
    fn write_pretty(&self, indent: usize, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{MultipartLine, parse_multipart_lines};

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn parse(list: &[&str]) -> Result<ParsedRequest, ItemError> {
        parse_request_args(&args(list), false)
    }

    fn spec(list: &[&str]) -> RequestSpec {
        match parse(list) {
            Ok(p) => p.spec,
            Err(e) => panic!("{list:?}: {e}"),
        }
    }

    fn err(list: &[&str]) -> String {
        match parse(list) {
            Ok(p) => panic!("{list:?} parsed: {p:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// A temporary directory with `name` → `contents` files.
    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, contents) in files {
            std::fs::write(dir.path().join(name), contents).expect("write");
        }
        dir
    }

    #[test]
    fn url_shorthands() {
        let cases = [
            (":8080/path", "http://localhost:8080/path"),
            (":/x", "http://localhost/x"),
            (":", "http://localhost"),
            (":3000", "http://localhost:3000"),
            ("localhost:3000/x", "http://localhost:3000/x"),
            ("example.com", "http://example.com"),
            ("  example.com/a?b=c ", "http://example.com/a?b=c"),
            ("//example.com/x", "http://example.com/x"),
            ("https://example.com", "https://example.com"),
            ("HTTP://Example.com", "HTTP://Example.com"),
            ("ftp://example.com/f", "ftp://example.com/f"),
            ("{{base}}/users", "{{base}}/users"),
            ("::1", "http://::1"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_url(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn method_is_optional_and_inferred() {
        assert_eq!(spec(&["example.com"]).method, Method::Get);
        assert_eq!(spec(&["example.com", "a=1"]).method, Method::Post);
        assert_eq!(spec(&["example.com", "n:=1"]).method, Method::Post);
        assert_eq!(spec(&["example.com", "X-A:1", "q==1"]).method, Method::Get);
        assert_eq!(spec(&["put", "example.com", "a=1"]).method, Method::Put);
        assert_eq!(spec(&["DELETE", "example.com"]).method, Method::Delete);
        assert_eq!(spec(&["get", "example.com", "a=1"]).method, Method::Get);
        // A lone method-like word is the URL.
        let s = spec(&["get"]);
        assert_eq!((s.method, s.url.as_str()), (Method::Get, "http://get"));
        // Not a method: it is the URL.
        assert_eq!(spec(&["brew", "a=1"]).url, "http://brew");
    }

    #[test]
    fn missing_url_is_an_error() {
        assert_eq!(parse(&[]), Err(ItemError::MissingUrl));
        assert_eq!(parse(&["post", " "]), Err(ItemError::MissingUrl));
        assert!(err(&[]).contains("scout [METHOD] URL"));
    }

    #[test]
    fn headers_keep_order_and_allow_empty_values() {
        let s = spec(&[
            "example.com",
            "Accept:text/plain",
            "X-Empty:",
            "X-Semi;",
            "Authorization: Bearer a=b:c",
            "Content-Type:application/vnd+json",
        ]);
        assert_eq!(
            s.headers,
            vec![
                KeyValue::new("Accept", "text/plain"),
                KeyValue::new("X-Empty", ""),
                KeyValue::new("X-Semi", ""),
                KeyValue::new("Authorization", "Bearer a=b:c"),
                KeyValue::new("Content-Type", "application/vnd+json"),
            ]
        );
        assert!(s.headers.iter().all(|h| h.enabled));
        assert_eq!(s.body_kind, BodyKind::None);
    }

    #[test]
    fn query_items_are_encoded_and_appended() {
        let s = spec(&["example.com/s", "q==a b&c", "lang==en", "x==é"]);
        assert_eq!(s.url, "http://example.com/s?q=a+b%26c&lang=en&x=%C3%A9");
        let s = spec(&["example.com/s?page=2#frag", "q==1"]);
        assert_eq!(s.url, "http://example.com/s?page=2&q=1#frag");
        assert_eq!(
            spec(&["example.com/s?", "q==1"]).url,
            "http://example.com/s?q=1"
        );
        assert_eq!(spec(&["x.io", "empty=="]).url, "http://x.io?empty=");
    }

    #[test]
    fn json_body_keeps_item_order_and_types() {
        let s = spec(&[
            "example.com",
            "name=Ann",
            "age:=30",
            "admin:=true",
            "tags:=[\"a\", 1]",
            "meta:={\"z\": 1, \"a\": {}}",
            "none:=null",
            "zero=",
        ]);
        assert_eq!(s.body_kind, BodyKind::Json);
        let expected = r#"{
  "name": "Ann",
  "age": 30,
  "admin": true,
  "tags": [
    "a",
    1
  ],
  "meta": {
    "z": 1,
    "a": {}
  },
  "none": null,
  "zero": ""
}"#;
        assert_eq!(s.body, expected);
        let reparsed: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(reparsed["tags"][1], 1);
    }

    #[test]
    fn json_body_matches_serde_pretty_printing() {
        let s = spec(&["x", "a:=[[], {}, 1.5, -2, \"q\\\"\"]", "b=line\nbreak"]);
        let value: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(serde_json::to_string_pretty(&value).ok(), Some(s.body));
    }

    #[test]
    fn nested_json_keys() {
        let s = spec(&[
            "x",
            "user[name]=Ann",
            "user[langs][]=en",
            "user[langs][]=fr",
            "ids[1]:=7",
            "ids[0]:=6",
            "pts[0][x]:=1",
            "pts[0][y]:=2",
            "a\\[b]=literal",
        ]);
        let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(
            v,
            serde_json::json!({
                "user": {"name": "Ann", "langs": ["en", "fr"]},
                "ids": [6, 7],
                "pts": [{"x": 1, "y": 2}],
                "a[b]": "literal",
            })
        );
        // Order of first appearance is kept.
        assert!(s.body.find("\"user\"") < s.body.find("\"ids\""));

        let v: Value = serde_json::from_str(&spec(&["x", "a]=1"]).body).expect("valid JSON");
        assert_eq!(v, serde_json::json!({"a]": "1"}));

        let arr = spec(&["x", "[]:=1", "[]=two"]);
        assert_eq!(arr.body, "[\n  1,\n  \"two\"\n]");
        let padded = spec(&["x", "a[2]=z"]);
        assert_eq!(
            serde_json::from_str::<Value>(&padded.body).ok(),
            Some(serde_json::json!({"a": [null, null, "z"]}))
        );
        let dup = spec(&["x", "a=1", "a=2", "a=3"]);
        assert_eq!(
            serde_json::from_str::<Value>(&dup.body).ok(),
            Some(serde_json::json!({"a": ["1", "2", "3"]}))
        );
    }

    #[test]
    fn nested_json_key_errors() {
        let e = err(&["x", "a[b=1"]);
        assert!(e.contains("`a[b=1`: unclosed `[`"), "{e}");
        assert!(e.contains("\\["), "{e}");
        assert!(err(&["x", "a[b]c=1"]).contains("expected `[` after `]`"));
        assert!(err(&["x", "a[99999]=1"]).contains("too large"));
        let e = err(&["x", "a=1", "a[b]=2"]);
        assert_eq!(
            e,
            "`a[b]=2`: `a` is already a string, so it cannot take the key `b`"
        );
        let e = err(&["x", "a=1", "[]=2"]);
        assert!(e.contains("the top level is already an object"), "{e}");
        let e = err(&["x", "a[]=1", "a[k]=2"]);
        assert!(e.contains("`a` is already an array"), "{e}");
    }

    #[test]
    fn escapes_make_separators_literal() {
        let s = spec(&["x", "a\\:b=c", "k=v\\=w", "e\\@mail=x@y", "q\\=\\=x==1"]);
        let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(
            v,
            serde_json::json!({"a:b": "c", "k": "v=w", "e@mail": "x@y"})
        );
        assert_eq!(s.url, "http://x?q%3D%3Dx=1");
        // Backslashes before other characters stay.
        let s = spec(&["x", "path=C:\\Users\\me", "re=\\[a]"]);
        let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(v["path"], "C:\\Users\\me");
        assert_eq!(v["re"], "\\[a]");
        // `;` is only a separator at the end.
        let v: Value = serde_json::from_str(&spec(&["x", "a;b=c"]).body).expect("valid JSON");
        assert_eq!(v, serde_json::json!({"a;b": "c"}));
    }

    #[test]
    fn first_separator_wins_longest_at_its_position() {
        let s = spec(&["x", "Host:example.com:8080", "url==http://a?b=c", "f=a:=b"]);
        assert_eq!(s.headers, vec![KeyValue::new("Host", "example.com:8080")]);
        assert_eq!(s.url, "http://x?url=http%3A%2F%2Fa%3Fb%3Dc");
        let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
        assert_eq!(v, serde_json::json!({"f": "a:=b"}));
    }

    #[test]
    fn form_bodies() {
        let p =
            parse_request_args(&args(&["x", "a=1", "b=two words", "c=&="]), true).expect("form");
        assert_eq!(p.spec.method, Method::Post);
        assert_eq!(p.spec.body_kind, BodyKind::Form);
        assert_eq!(p.spec.body, "a=1&b=two+words&c=%26%3D");
        let e = parse_request_args(&args(&["x", "n:=1"]), true)
            .expect_err("json with form")
            .to_string();
        assert!(e.starts_with("`n:=1`: raw JSON fields (`:=`) cannot be sent in a form (--form)"));
        assert!(e.contains("`n=value`"));
        let p = parse_request_args(&args(&["x", "H:1"]), true).expect("no fields");
        assert_eq!(
            (p.spec.method, p.spec.body_kind),
            (Method::Get, BodyKind::None)
        );
    }

    #[test]
    fn file_fields_make_multipart() {
        let dir = dir_with(&[
            ("a.txt", "hello"),
            ("b.json", "{\"k\": [1]}"),
            ("tok", "secret\n"),
        ]);
        let base = dir.path();
        let p = parse_request_args_in(
            &args(&["x", "title=Hi", "doc@a.txt", "Auth:@tok"]),
            false,
            base,
        )
        .expect("multipart");
        assert_eq!(p.spec.method, Method::Post);
        assert_eq!(p.spec.body_kind, BodyKind::Multipart);
        assert_eq!(p.spec.body, "title=Hi\ndoc@a.txt");
        assert_eq!(p.files, vec![("doc".to_string(), PathBuf::from("a.txt"))]);
        assert_eq!(p.spec.headers, vec![KeyValue::new("Auth", "secret")]);
        assert_eq!(
            parse_multipart_lines(&p.spec.body),
            Ok(vec![
                MultipartLine::Field {
                    name: "title".into(),
                    value: "Hi".into()
                },
                MultipartLine::File {
                    name: "doc".into(),
                    path: "a.txt".into(),
                    content_type: None,
                },
            ])
        );

        let p = parse_request_args_in(&args(&["x", "t=@a.txt", "j:=@b.json"]), false, base)
            .expect("from files");
        assert_eq!(
            p.spec.body,
            "{\n  \"t\": \"hello\",\n  \"j\": {\n    \"k\": [\n      1\n    ]\n  }\n}"
        );

        let e = parse_request_args_in(&args(&["x", "n:=1", "f@a.txt"]), false, base)
            .expect_err("json + file");
        assert!(
            e.to_string()
                .contains("multipart upload (because of `f@a.txt`)"),
            "{e}"
        );
        let e = parse_request_args_in(&args(&["x", "t=@tok", "f@a.txt"]), false, base)
            .expect_err("newline in multipart value");
        assert!(e.to_string().starts_with("`t=@tok`: "), "{e}");
        assert!(e.to_string().contains("line breaks"), "{e}");
        let e = parse_request_args_in(&args(&["x", "j:=@a.txt"]), false, base)
            .expect_err("bad json file");
        assert!(
            e.to_string()
                .contains("`a.txt` does not contain valid JSON"),
            "{e}"
        );
        let e = parse_request_args_in(&args(&["x", "d@."]), false, base).expect_err("dir");
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[test]
    fn item_errors_name_the_item() {
        assert_eq!(
            err(&["x", "foo"]),
            "`foo`: not a request item; expected Header:value, name==value, field=value, field:=json or field@file"
        );
        let e = err(&["x", "count:=abc"]);
        assert_eq!(
            e,
            "`count:=abc`: not valid JSON after `:=` (expected value at line 1 column 1); quote strings with `=` instead"
        );
        let e = parse(&["x", "f@/definitely/missing.bin"]).expect_err("missing");
        assert!(matches!(&e, ItemError::File { path, .. } if path == "/definitely/missing.bin"));
        assert!(
            e.to_string().starts_with(
                "`f@/definitely/missing.bin`: cannot read `/definitely/missing.bin`: "
            )
        );
        assert!(
            err(&["x", "t=@/definitely/missing"]).contains("cannot read `/definitely/missing`")
        );
        assert!(err(&["x", "H:@/definitely/missing"]).contains("cannot read"));
        assert_eq!(err(&["x", "=1"]), "`=1`: missing name before `=`");
        assert_eq!(err(&["x", ":=1"]), "`:=1`: missing name before `:=`");
        assert_eq!(err(&["x", "f@"]), "`f@`: missing file path after `@`");
        if let Ok(home) = std::env::var("HOME") {
            let e = parse(&["x", "f@~/scout-missing-file"]).expect_err("missing");
            let expected = format!("{}/scout-missing-file", home.trim_end_matches('/'));
            assert!(
                matches!(&e, ItemError::File { path, .. } if *path == expected),
                "{e}"
            );
        }
        assert!(err(&["x", "Bad Header:1"]).contains("`Bad Header` is not a valid header name"));
        assert!(err(&["x", "H:a\nb"]).contains("line breaks"));
    }

    proptest! {
        #[test]
        fn header_items_round_trip(
            name in "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}",
            value in "[ -\\[\\]-~]{0,24}",
        ) {
            let value = value.trim().to_string();
            prop_assume!(!value.starts_with(['=', '@']));
            let item = format!("{name}:{value}");
            let p = parse_request_args(&args(&["x", &item]), false);
            prop_assert_eq!(p.map(|p| p.spec.headers), Ok(vec![KeyValue::new(name, value)]));
        }

        #[test]
        fn parse_never_panics(
            items in proptest::collection::vec("[^/]{0,12}", 0..5),
            form in any::<bool>(),
        ) {
            let dir = dir_with(&[("f", "{\"a\": 1}")]);
            let _ = parse_request_args_in(&items, form, dir.path());
        }

        #[test]
        fn parse_never_panics_on_item_like_text(
            items in proptest::collection::vec("[a-c:=@;\\\\\\[\\]0-9 ]{0,10}", 0..6),
        ) {
            let dir = dir_with(&[("f", "[1]")]);
            let mut all = vec!["x".to_string()];
            all.extend(items);
            let body = parse_request_args_in(&all, false, dir.path())
                .ok()
                .filter(|p| p.spec.body_kind == BodyKind::Json)
                .map(|p| p.spec.body);
            if let Some(body) = body {
                prop_assert!(serde_json::from_str::<Value>(&body).is_ok(), "{}", body);
            }
        }

    }
}
