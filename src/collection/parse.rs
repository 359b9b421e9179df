//! Reading a collection file: TOML → [`Collection`], with every problem named by file, line and
//! column. Unknown keys, a bad method and an invalid timeout are errors, like TOML's own
//! (duplicate ids included), so a file scout cannot fully understand is never rewritten.

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::check::{Capture, Expect};
use crate::collection::model::{Collection, Environment, Run, SavedBody, SavedRequest, Step};
use crate::collection::view::ViewFile;
use crate::model::duration::parse_duration;
use crate::model::settings::{AuthChoice, Connection, FolderSettings, Settings};
use crate::model::{AuthProfile, Method, MultipartLine, Pagination, RetryPolicy};

/// Why a collection file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct ParseError {
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no position (e.g. the file cannot be read).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses the text of the collection at `path`.
pub fn parse_collection(text: &str, path: &Path) -> Result<Collection, ParseError> {
    let mut file: CollectionFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        ParseError {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let settings = file.settings();
    let name = file.name.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "collection".into())
    });
    let error_at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        ParseError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let mut folders = Vec::new();
    for (key, mut folder) in file.folders.0 {
        let at = |message: String| {
            let (line, column) = find_key(text, &key);
            ParseError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let folder_path = folder_name(&key).map_err(at)?;
        folders.push(FolderSettings {
            path: folder_path,
            settings: folder.settings(),
            description: folder.description.take(),
        });
    }
    let requests: Vec<SavedRequest> = file
        .requests
        .0
        .into_iter()
        .map(|(id, r)| r.into_saved(id))
        .collect();
    let mut runs = Vec::new();
    for (run_name, run) in file.runs.0 {
        let at = run.steps.span().start;
        if run.steps.get_ref().is_empty() {
            return Err(error_at(
                at,
                format!("run `{run_name}` has no steps: list request ids in `steps`"),
            ));
        }
        let mut steps = Vec::new();
        for step in run.steps.into_inner() {
            let at = step.span().start;
            let step = step.into_inner().into_step();
            let found = requests
                .iter()
                .any(|r| r.path() == step.request || r.id == step.request);
            if !found {
                let ids: Vec<String> = requests.iter().map(SavedRequest::path).collect();
                return Err(error_at(
                    at,
                    format!(
                        "run `{run_name}`: no request `{}` in this file (it has: {})",
                        step.request,
                        if ids.is_empty() {
                            "none".into()
                        } else {
                            ids.join(", ")
                        }
                    ),
                ));
            }
            steps.push(step);
        }
        runs.push(Run {
            name: run_name,
            steps,
            repeat: run.repeat.unwrap_or(1),
            delay: run.delay.map(|d| d.0),
        });
    }
    Ok(Collection {
        path: path.to_path_buf(),
        name,
        runs,
        settings,
        auth: file.auth.0,
        folders,
        connection: Connection {
            insecure: file.insecure,
            ca_cert: file.ca_cert,
            client_cert: file.client_cert,
            proxy: file.proxy,
        },
        vars: file.vars.0,
        environments: file
            .environments
            .0
            .into_iter()
            .map(|(name, vars)| Environment { name, vars: vars.0 })
            .collect(),
        requests,
    })
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Declares a file table that also takes the inheritable [`Settings`] keys (serde's `flatten`
/// cannot be combined with `deny_unknown_fields`, so the keys are spelled out once, here).
/// `$auth` is the key the auth choice is read from.
macro_rules! with_settings {
    ($(#[$m:meta])* struct $name:ident { auth_key = $auth:literal; $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        struct $name {
            $($(#[$fm])* $field: $ty,)*
            #[serde(rename = $auth)]
            auth_choice: Option<String>,
            connect_timeout: Option<Timeout>,
            timeout: Option<Timeout>,
            read_timeout: Option<Timeout>,
            retries: Option<RetryPolicy>,
            follow_redirects: Option<bool>,
            max_redirects: Option<u32>,
            cache: Option<bool>,
        }

        impl $name {
            fn settings(&mut self) -> Settings {
                Settings {
                    auth: self.auth_choice.take().map(|a| AuthChoice::parse(&a)),
                    connect_timeout: self.connect_timeout.take().map(|t| t.0),
                    timeout: self.timeout.take().map(|t| t.0),
                    read_timeout: self.read_timeout.take().map(|t| t.0),
                    retries: self.retries.take(),
                    follow_redirects: self.follow_redirects.take(),
                    max_redirects: self.max_redirects.take(),
                    cache: self.cache.take(),
                }
            }
        }
    };
}

with_settings! {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct CollectionFile {
        auth_key = "default_auth";
        name: Option<String>,
        #[serde(default)]
        vars: Ordered<String>,
        #[serde(default)]
        environments: Ordered<Ordered<String>>,
        #[serde(default)]
        auth: Ordered<AuthProfile>,
        #[serde(default)]
        folders: Ordered<FolderFile>,
        #[serde(default)]
        requests: Ordered<RequestFile>,
        #[serde(default)]
        runs: Ordered<RunFile>,
        #[serde(default)]
        insecure: bool,
        ca_cert: Option<PathBuf>,
        client_cert: Option<PathBuf>,
        proxy: Option<String>,
    }
}

with_settings! {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct FolderFile {
        auth_key = "auth";
        description: Option<String>,
    }
}

with_settings! {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RequestFile {
        auth_key = "auth";
        name: Option<String>,
        folder: Option<FolderName>,
        #[serde(default)]
        method: MethodName,
        url: String,
        #[serde(default)]
        query: Pairs<Scalar>,
        #[serde(default)]
        headers: Pairs<String>,
        #[serde(default)]
        disabled_headers: Pairs<String>,
        body: Option<BodyFile>,
        pagination: Option<Pagination>,
        expect: Option<Expect>,
        #[serde(default)]
        capture: Ordered<Capture>,
        description: Option<String>,
        #[serde(default)]
        view: ViewFile,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    steps: toml::Spanned<Vec<toml::Spanned<StepFile>>>,
    #[serde(default, deserialize_with = "repeat_count")]
    repeat: Option<u32>,
    delay: Option<Pause>,
}

/// A step: a request id, or `{ request = "id", expect = …, vars = …, retries = N, delay = "1s" }`.
enum StepFile {
    Id(String),
    Table(Box<StepTable>),
}

impl<'de> Deserialize<'de> for StepFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // By hand rather than `untagged`, which would replace the table's own error (a bad
        // `expect` in it) with "did not match any variant".
        match toml::Value::deserialize(d)? {
            toml::Value::String(id) => Ok(StepFile::Id(id)),
            table @ toml::Value::Table(_) => table
                .try_into()
                .map(|t| StepFile::Table(Box::new(t)))
                .map_err(|e: toml::de::Error| de::Error::custom(e.message().trim())),
            other => Err(de::Error::custom(format!(
                "a step is a request id or a table such as {{ request = \"get-item\", expect = \
                 {{ status = 404 }} }}, not {}",
                other.type_str()
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepTable {
    request: String,
    expect: Option<Expect>,
    #[serde(default)]
    vars: Ordered<Scalar>,
    #[serde(default)]
    retries: u32,
    delay: Option<Pause>,
}

impl StepFile {
    fn into_step(self) -> Step {
        match self {
            StepFile::Id(request) => Step {
                request,
                expect: None,
                vars: Vec::new(),
                retries: 0,
                delay: None,
            },
            StepFile::Table(t) => Step {
                request: t.request,
                expect: t.expect,
                vars: t.vars.0.into_iter().map(|(k, v)| (k, v.0)).collect(),
                retries: t.retries,
                delay: t.delay.map(|d| d.0),
            },
        }
    }
}

fn repeat_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let n = u32::deserialize(d)?;
    if n == 0 {
        return Err(de::Error::custom(
            "`repeat` is how many times the run goes: 1 or more",
        ));
    }
    Ok(Some(n))
}

impl RequestFile {
    fn into_saved(mut self, id: String) -> SavedRequest {
        let settings = self.settings();
        SavedRequest {
            id,
            name: self.name,
            folder: self.folder.map(|f| f.0),
            method: self.method.0,
            url: self.url,
            query: self.query.into_strings(),
            headers: self.headers.0,
            disabled_headers: self.disabled_headers.0,
            body: self.body.map(BodyFile::into_saved),
            settings,
            pagination: self.pagination,
            expect: self.expect,
            capture: self.capture.0,
            description: self.description,
            view: self.view.into_settings(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum BodyFile {
    Json(toml::Value),
    Form(Pairs<Scalar>),
    Text(String),
    File(PathBuf),
    Multipart(Vec<PartFile>),
}

impl BodyFile {
    fn into_saved(self) -> SavedBody {
        match self {
            // A string is JSON text as written (templates allowed); a table or array is JSON.
            BodyFile::Json(toml::Value::String(text)) => SavedBody::Json(text),
            // JSON escaping doubles the backslash of a `\{{` escape; undo that so the escape
            // still means a literal `{{`.
            BodyFile::Json(value) => SavedBody::Json(
                serde_json::to_string_pretty(&value)
                    .unwrap_or_default()
                    .replace("\\\\{{", "\\{{"),
            ),
            BodyFile::Form(pairs) => SavedBody::Form(pairs.into_strings()),
            BodyFile::Text(t) => SavedBody::Text(t),
            BodyFile::File(p) => SavedBody::File(p),
            BodyFile::Multipart(parts) => SavedBody::Multipart(
                parts
                    .into_iter()
                    .map(|p| match (p.value, p.file) {
                        (_, Some(path)) => MultipartLine::File {
                            name: p.name.0,
                            path: PathBuf::from(path.0),
                            content_type: p.r#type.map(|t| t.0),
                        },
                        (value, None) => MultipartLine::Field {
                            name: p.name.0,
                            value: value.map(|v| v.0).unwrap_or_default(),
                        },
                    })
                    .collect(),
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFile {
    name: OneLine,
    value: Option<OneLine>,
    file: Option<OneLine>,
    r#type: Option<OneLine>,
}

/// A multipart name, value, path or type: the editor shows one part per line, so a line break
/// could not survive a round trip through it.
struct OneLine(String);

impl<'de> Deserialize<'de> for OneLine {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.contains(['\n', '\r']) {
            return Err(de::Error::custom(
                "a multipart name, value, path or type cannot contain line breaks: put such a \
                 value in a file and send it as a file part (`file = \"…\"`)",
            ));
        }
        Ok(OneLine(s))
    }
}

/// A map that keeps the file's order (TOML tables are ordered by position).
struct Ordered<V>(Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

/// Names and values in order: a query, headers or a form. A table (`{ user = "ada", page = 2 }`),
/// or, since a table holds each name once, a list of fields when a name comes more than once
/// (`[{ name = "tag", value = "a" }, { name = "tag", value = "b" }]`).
struct Pairs<V>(Vec<(String, V)>);

impl<V> Default for Pairs<V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Field<V> {
    name: String,
    value: V,
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Pairs<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Fields<V> {
            type Value = Pairs<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table, or a list of `{ name, value }` fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Pairs<V>, A::Error> {
                Ordered::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|table| Pairs(table.0))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pairs<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(field) = seq.next_element::<Field<V>>()? {
                    out.push((field.name, field.value));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_any(Fields(PhantomData))
    }
}

impl Pairs<Scalar> {
    fn into_strings(self) -> Vec<(String, String)> {
        self.0.into_iter().map(|(k, v)| (k, v.0)).collect()
    }
}

/// A query or form value: strings, and numbers/booleans written bare (`limit = 10`).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(Scalar(s)),
            toml::Value::Integer(i) => Ok(Scalar(i.to_string())),
            toml::Value::Float(f) => Ok(Scalar(f.to_string())),
            toml::Value::Boolean(b) => Ok(Scalar(b.to_string())),
            other => Err(de::Error::custom(format!(
                "expected a string, number or boolean, found {}",
                other.type_str()
            ))),
        }
    }
}

struct MethodName(Method);

impl Default for MethodName {
    fn default() -> Self {
        MethodName(Method::Get)
    }
}

impl<'de> Deserialize<'de> for MethodName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Method::named(&s).map(MethodName).ok_or_else(|| {
            de::Error::custom(format!(
                "`{s}` is not a method name (letters, digits and !#$%&'*+-.^_`|~, at most {}; \
                 RFC 9110 §9.1)",
                crate::model::Token::MAX
            ))
        })
    }
}

struct Timeout(Duration);

impl<'de> Deserialize<'de> for Timeout {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match parse_duration(&s) {
            Ok(t) if t.is_zero() => Err(de::Error::custom("a timeout must be greater than 0")),
            Ok(t) => Ok(Timeout(t)),
            Err(e) => Err(de::Error::custom(format!("invalid timeout: {e}"))),
        }
    }
}

/// A pause (`delay = "500ms"`): zero or more.
struct Pause(Duration);

impl<'de> Deserialize<'de> for Pause {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s)
            .map(Pause)
            .map_err(|e| de::Error::custom(format!("invalid delay: {e}")))
    }
}

struct FolderName(String);

impl<'de> Deserialize<'de> for FolderName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        folder_name(&s).map(FolderName).map_err(de::Error::custom)
    }
}

/// A folder path as written (`items/admin`), parts trimmed; an empty part is an error.
fn folder_name(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('/').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "folder `{s}` has an empty part: write names separated by `/`, like \"items/admin\""
        ));
    }
    Ok(parts.join("/"))
}

/// Where `[folders."KEY"]` (or the key's first mention) is in `text`, for messages about a key
/// serde has already accepted.
fn find_key(text: &str, key: &str) -> (usize, usize) {
    let quoted = format!("\"{key}\"");
    let offset = text
        .find(&format!("folders.{quoted}"))
        .or_else(|| text.find(&quoted))
        .or_else(|| text.find(key))
        .unwrap_or(0);
    line_col(text, offset)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
