//! The collection model: what a `.toml` collection file holds, as plain data, and how a saved
//! request becomes the editor's `RequestSpec` and back.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::check::{Capture, Expect};
use crate::model::settings::{Connection, FolderSettings, Settings, effective};
use crate::model::{
    AuthProfile, BodyKind, KeyValue, Method, MultipartLine, Pagination, RequestSpec, ViewSettings,
    encode_component, format_multipart_lines, parse_form_text, split_query,
};

/// One collection file.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub path: PathBuf,
    /// The display name (`name = …`, else the file stem).
    pub name: String,
    /// `[vars]`, in file order.
    pub vars: Vec<(String, String)>,
    /// `[environments.NAME]`, in file order.
    pub environments: Vec<Environment>,
    /// `[requests.ID]`, in file order (the display order).
    pub requests: Vec<SavedRequest>,
    /// Top-level settings every request inherits (`default_auth`, `timeout`, `retries`, …).
    pub settings: Settings,
    /// `[auth.NAME]`: the auth profiles requests, folders and the collection choose from.
    pub auth: Vec<(String, AuthProfile)>,
    /// `[folders."a/b"]`: settings for the requests in a folder and its subfolders.
    pub folders: Vec<FolderSettings>,
    /// TLS and proxy.
    pub connection: Connection,
    /// `[runs.NAME]`: named sequences of steps to replay, in file order.
    pub runs: Vec<Run>,
}

/// `[runs.NAME]`: requests of the file replayed in order, each step checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub name: String,
    pub steps: Vec<Step>,
    /// How many times the steps run, one after the other (1: once).
    pub repeat: u32,
    /// A pause before every step but the first.
    pub delay: Option<Duration>,
}

/// One step of a run: a saved request, with what this step expects of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The request's `id` or `folder/id` (checked when the file loads).
    pub request: String,
    /// Replaces the request's own `expect` for this step.
    pub expect: Option<Expect>,
    /// Values for this step only: above captured values, below `--var`.
    pub vars: Vec<(String, String)>,
    /// Sent again up to this many times while a check fails (waiting `delay`, else a second):
    /// for a resource that becomes ready later.
    pub retries: u32,
    /// A pause before this step, instead of the run's.
    pub delay: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub vars: Vec<(String, String)>,
}

/// A request as saved in a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedRequest {
    /// The key of `[requests.ID]`: unique in its file.
    pub id: String,
    pub name: Option<String>,
    /// Grouping in the tree, nested with `/` (`"items/admin"`).
    pub folder: Option<String>,
    pub method: Method,
    /// Without the query string (that lives in `query`), templates allowed.
    pub url: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Headers kept in the file but switched off in the editor.
    pub disabled_headers: Vec<(String, String)>,
    pub body: Option<SavedBody>,
    /// Its own settings (`auth`, `timeout`, `retries`, …); see [`Collection::settings_for`].
    pub settings: Settings,
    /// `pagination = { style = … }`; without it, the style is detected from the response.
    pub pagination: Option<Pagination>,
    /// What its response must be (checked when it is sent, and in runs).
    pub expect: Option<Expect>,
    /// Values taken from its response for the `{{…}}` of later requests, in the order written.
    pub capture: Vec<(String, Capture)>,
    /// What the request is for, shown under the tree while it is selected (a lesson's text in
    /// `learn-http.toml`).
    pub description: Option<String>,
    /// `view = { filter = …, ignore = […] }`: the filter shown on its response, and the paths
    /// masked when two of its responses are compared (`scout run --baseline`).
    pub view: ViewSettings,
}

/// The body forms a collection can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum SavedBody {
    /// A JSON document, kept as JSON text (written as a TOML table when it maps cleanly, else as
    /// a string, e.g. when it holds `null` or `{{templates}}` outside strings).
    Json(String),
    Form(Vec<(String, String)>),
    Text(String),
    /// The body is the content of this file, relative to the collection.
    File(PathBuf),
    /// The same parts the editor and the command line use (`name=value`, `name@path`).
    Multipart(Vec<MultipartLine>),
}

impl SavedRequest {
    /// What the tree and lists show: the name, else the id.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// `folder/id`, the path `scout send -c` accepts.
    pub fn path(&self) -> String {
        match &self.folder {
            Some(f) => format!("{f}/{}", self.id),
            None => self.id.clone(),
        }
    }

    /// The request as the editor holds it (query folded into the URL, templates untouched).
    pub fn to_spec(&self) -> RequestSpec {
        let url = self.full_url();
        let mut headers: Vec<KeyValue> = self
            .headers
            .iter()
            .map(|(k, v)| KeyValue::new(k, v))
            .collect();
        headers.extend(self.disabled_headers.iter().map(|(k, v)| KeyValue {
            enabled: false,
            ..KeyValue::new(k, v)
        }));
        let (body_kind, body) = match &self.body {
            None => (BodyKind::None, String::new()),
            Some(SavedBody::Json(text)) => (BodyKind::Json, text.clone()),
            // Encoded so it reads back the same with `{{templates}}` left readable; the real encoding
            // happens when the request is sent.
            Some(SavedBody::Form(pairs)) => (
                BodyKind::Form,
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            Some(SavedBody::Text(text)) => (BodyKind::Text, text.clone()),
            Some(SavedBody::File(path)) => (BodyKind::File, path.display().to_string()),
            Some(SavedBody::Multipart(parts)) => {
                let lines: &[MultipartLine] = parts;
                (
                    BodyKind::Multipart,
                    format_multipart_lines(lines).unwrap_or_default(),
                )
            }
        };
        RequestSpec {
            method: self.method,
            url,
            headers,
            body_kind,
            body,
        }
    }

    /// The URL as the editor holds it: a query written in the URL comes first, then the `query`
    /// table.
    fn full_url(&self) -> String {
        if self.query.is_empty() {
            return self.url.clone();
        }
        let mut query = crate::model::parse_query(&self.url);
        query.extend(self.query.iter().map(|(k, v)| KeyValue::new(k, v)));
        crate::model::with_query(&self.url, &query)
    }

    /// Whether `other` is this request but for its body (every other field compared).
    pub fn same_but_body(&self, other: &SavedRequest) -> bool {
        self.without_body() == other.without_body()
    }

    /// This request with no body, cloned without copying the body (which may be megabytes; the
    /// app compares requests on each frame to tell whether the editor holds unsaved edits).
    /// Every field is named, so that a field added later is copied too (or does not compile).
    fn without_body(&self) -> SavedRequest {
        SavedRequest {
            id: self.id.clone(),
            name: self.name.clone(),
            folder: self.folder.clone(),
            method: self.method,
            url: self.url.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            disabled_headers: self.disabled_headers.clone(),
            body: None,
            settings: self.settings.clone(),
            pagination: self.pagination.clone(),
            expect: self.expect.clone(),
            capture: self.capture.clone(),
            description: self.description.clone(),
            view: self.view.clone(),
        }
    }

    /// This request updated from the editor's `spec`: id, name, folder and timeout are kept;
    /// everything the editor shows is taken from it.
    pub fn with_spec(&self, spec: &RequestSpec) -> SavedRequest {
        // An unchanged URL keeps the file's own split between `url` and `query`. A query with a
        // name twice stays in the URL as typed, rather than becoming a list of fields.
        let (url, query) = if spec.url == self.full_url() {
            (self.url.clone(), self.query.clone())
        } else {
            match split_query(&spec.url) {
                (_, pairs) if has_repeated_names(&pairs) => (spec.url.clone(), Vec::new()),
                split => split,
            }
        };
        let headers = spec
            .headers
            .iter()
            .filter(|h| h.enabled && !h.key.is_empty())
            .map(|h| (h.key.clone(), h.value.clone()))
            .collect();
        let disabled_headers = spec
            .headers
            .iter()
            .filter(|h| !h.enabled && !h.key.is_empty())
            .map(|h| (h.key.clone(), h.value.clone()))
            .collect();
        let body = match spec.body_kind {
            BodyKind::None => None,
            BodyKind::Json => Some(SavedBody::Json(spec.body.clone())),
            BodyKind::Form => Some(SavedBody::Form(parse_form_text(&spec.body))),
            BodyKind::Text => Some(SavedBody::Text(spec.body.clone())),
            BodyKind::File => Some(SavedBody::File(PathBuf::from(spec.body.trim()))),
            BodyKind::Multipart => {
                let lines = crate::model::parse_multipart_lines(&spec.body).unwrap_or_default();
                Some(SavedBody::Multipart(lines))
            }
        };
        SavedRequest {
            method: spec.method,
            url,
            query,
            headers,
            disabled_headers,
            body,
            ..self.without_body()
        }
    }

    /// A new request with `id` from the editor's `spec`.
    pub fn new(id: &str, folder: Option<String>, spec: &RequestSpec) -> SavedRequest {
        let blank = SavedRequest {
            id: id.to_string(),
            name: None,
            folder,
            method: spec.method,
            url: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            disabled_headers: Vec::new(),
            body: None,
            settings: Settings::default(),
            pagination: None,
            expect: None,
            capture: Vec::new(),
            description: None,
            view: ViewSettings::default(),
        };
        blank.with_spec(spec)
    }
}

impl Collection {
    /// The folder the collection's relative paths (file bodies, parts, `.env`) resolve against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The auth profile `req` is sent with (nearest `auth`, `default_auth` last): `Ok(None)`
    /// when none applies, an error naming the profile when it is not defined here.
    pub fn auth_for(&self, req: &SavedRequest) -> Result<Option<(&str, &AuthProfile)>, String> {
        self.auth_in(req.folder.as_deref(), &req.settings)
    }

    /// The auth profile for a request in `folder` with settings `own` (what [`auth_for`] reads
    /// of a request).
    ///
    /// [`auth_for`]: Collection::auth_for
    pub fn auth_in(
        &self,
        folder: Option<&str>,
        own: &Settings,
    ) -> Result<Option<(&str, &AuthProfile)>, String> {
        let settings = effective(&self.settings, &self.folders, folder, own);
        let Some(name) = settings.auth_profile() else {
            return Ok(None);
        };
        self.auth_profile(name).map(Some)
    }

    /// The profile `name`, or an error listing those that exist.
    pub fn auth_profile(&self, name: &str) -> Result<(&str, &AuthProfile), String> {
        self.auth
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, p)| (n.as_str(), p))
            .ok_or_else(|| {
                let known: Vec<&str> = self.auth.iter().map(|(n, _)| n.as_str()).collect();
                format!(
                    "auth profile `{name}` is not defined in {} ({}); add [auth.{name}] or choose another",
                    self.path.display(),
                    if known.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("it has: {}", known.join(", "))
                    }
                )
            })
    }

    /// The settings `req` is sent with: its own, then its folders', then the collection's.
    pub fn settings_for(&self, req: &SavedRequest) -> Settings {
        effective(
            &self.settings,
            &self.folders,
            req.folder.as_deref(),
            &req.settings,
        )
    }

    pub fn request(&self, id: &str) -> Option<&SavedRequest> {
        self.requests.iter().find(|r| r.id == id)
    }

    /// Finds a request by `id` or `folder/id`.
    pub fn find(&self, path: &str) -> Option<&SavedRequest> {
        self.requests
            .iter()
            .find(|r| r.path() == path)
            .or_else(|| self.request(path))
    }

    pub fn run(&self, name: &str) -> Option<&Run> {
        self.runs.iter().find(|r| r.name == name)
    }

    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.name == name)
    }

    /// Environment `name`, or an error listing those the file has.
    pub fn environment_named(&self, name: &str) -> Result<&Environment, String> {
        self.environment(name).ok_or_else(|| {
            let known: Vec<&str> = self.environments.iter().map(|e| e.name.as_str()).collect();
            let meant = crate::model::closest(name, known.iter().copied())
                .map(|m| format!("; did you mean `{m}`?"))
                .unwrap_or_default();
            format!(
                "{} has no environment `{name}`{meant} (it has: {})",
                self.path.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )
        })
    }

    /// An id not yet used in this file, from `base` (`new-request`, `new-request-2`, …).
    pub fn free_id(&self, base: &str) -> String {
        unique(&slug(base), |id| self.request(id).is_some())
    }
}

/// Whether a name comes twice among `pairs`.
pub(super) fn has_repeated_names(pairs: &[(String, String)]) -> bool {
    pairs
        .iter()
        .enumerate()
        .any(|(i, (k, _))| pairs[..i].iter().any(|(seen, _)| seen == k))
}

/// A request id from a title: lowercase letters, digits and `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "request".into()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`… the first that is not `taken`.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_string())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}
