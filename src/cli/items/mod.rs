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
//! Multipart and form bodies are encoded as the app encodes them, by [`crate::model::multipart`]
//! and [`crate::model::codec`].

mod json;

use std::path::{Path, PathBuf};

use serde_json::Value;

use self::json::{Json, set_field};
use crate::model::{
    BodyKind, KeyValue, Method, MultipartError, MultipartLine, RequestSpec, encode_form,
    format_multipart_lines, normalize_url,
};

/// Why the command-line request could not be built. Each message names the offending item.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ItemError {
    #[error("missing URL; usage: scout [METHOD] URL [ITEM…]")]
    MissingUrl,
    /// A word in capitals before the URL that is one letter or two from a method: a typo.
    #[error("{}", unknown_method(word))]
    UnknownMethod { word: String },
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

/// A method name as typed before a URL: a word of capital letters (a host name is written in
/// small ones, and a URL has a dot, a colon or a slash).
fn looks_like_a_method(word: &str) -> bool {
    (2..=16).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// The method a word in capitals close to names (`GETT`: `GET`), when it is one's typo.
fn typo_of(word: &str) -> Option<&'static str> {
    const NAMES: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    crate::model::closest(word, NAMES)
}

/// `GETT is not a method; did you mean GET? …`.
fn unknown_method(word: &str) -> String {
    let guess = typo_of(word)
        .map(|m| format!("; did you mean {m}?"))
        .unwrap_or_default();
    format!("{word} is not a method{guess} (another method is sent as written: PURGE, QUERY)")
}

/// The result of [`parse_request_args`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    pub spec: RequestSpec,
    /// File upload fields and their paths as written, a leading `~/` expanded (informational; the
    /// multipart body lists them too).
    pub files: Vec<(String, PathBuf)>,
    /// The method was written before the URL (else it follows from the items).
    pub method_given: bool,
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
            None if looks_like_a_method(first) && typo_of(first).is_some() => {
                return Err(ItemError::UnknownMethod {
                    word: first.clone(),
                });
            }
            // Any other word in capitals is a method the server may know (PURGE, QUERY).
            None if looks_like_a_method(first) => (Method::named(first), rest),
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

    let method_given = explicit_method.is_some();
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
    Ok(ParsedRequest {
        spec,
        files,
        method_given,
    })
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
        set_field(&mut root, &f.name_toks, value).map_err(|reason| invalid(&f.item, reason))?;
    }
    let mut body = String::new();
    root.write_pretty(0, &mut body);
    Ok((BodyKind::Json, body))
}

#[cfg(test)]
mod tests;
