//! Insomnia exports (format 4, JSON or YAML) → a collection: request groups as folders (a
//! top-level folder per workspace when there are several), requests in Insomnia's order, the
//! base environment as `[vars]` and its sub-environments as `[environments.NAME]` (a later
//! workspace's variable clashing with an earlier one's is renamed `<workspace>_<name>`), auth
//! as profiles whose secrets are `{{env.…}}` references. Insomnia's Nunjucks variables
//! (`{{ _.base_url }}`) become scout's (`{{base_url}}`); template tags (`{% uuid %}`), scripts
//! and what scout cannot send are named, one line each.

use std::collections::HashMap;

use serde_json::Value;

use crate::collection::{Collection, Environment, SavedRequest};
use crate::import::document::parse_document;
use crate::import::postman::auth::scalar;
use crate::import::postman::{description, with_path_variables};
use crate::import::secrets::{Profiles, is_secret_header, is_secret_name};
use crate::import::{ImportError, Imported, Secrets, Source, empty_collection, folder_part};
use crate::model::settings::FolderSettings;
use crate::model::{Method, RequestSpec};

#[path = "insomnia_parts.rs"]
mod parts;

/// Every workspace of the export in `source.text`.
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let doc = parse_document(source.text)?;
    let resources: Vec<&Value> = export_resources(&doc)?
        .iter()
        .filter(|r| r.is_object())
        .collect();
    let id = |r: &Value| text(r, "_id");
    let ids: Vec<String> = resources.iter().map(|r| id(r)).collect();
    let mut children: HashMap<String, Vec<&Value>> = HashMap::new();
    for r in &resources {
        children.entry(text(r, "parentId")).or_default().push(r);
    }
    for list in children.values_mut() {
        // Insomnia's own order: by sort key (stable, so ties keep the file's order).
        list.sort_by(|a, b| sort_key(a).total_cmp(&sort_key(b)));
    }
    let workspaces: Vec<&Value> = resources
        .iter()
        .copied()
        .filter(|r| kind(r) == "workspace")
        .collect();
    let name = match workspaces.as_slice() {
        [one] => Some(text(one, "name")).filter(|n| !n.trim().is_empty()),
        _ => None,
    };
    let mut b = Builder {
        collection: empty_collection(name.as_deref().unwrap_or("insomnia").trim()),
        profiles: Profiles::default(),
        secrets: Secrets::beside(&source.known_env),
        dropped: Vec::new(),
        owner: String::new(),
        tags: Vec::new(),
        expressions: Vec::new(),
        children,
        walked: 0,
        visited: Vec::new(),
        renames: Vec::new(),
        defined: Vec::new(),
    };
    for ws in &workspaces {
        let folder = (workspaces.len() > 1).then(|| folder_part(&text(ws, "name")));
        b.environments(&id(ws), &text(ws, "name"));
        b.walk(&id(ws), folder.as_deref(), &[]);
        b.renames.clear();
    }
    // Requests and folders whose parent is not in the export: at the top.
    let orphans: Vec<&Value> = resources
        .iter()
        .copied()
        .filter(|r| {
            matches!(kind(r).as_str(), "request" | "request_group")
                && !ids.contains(&text(r, "parentId"))
        })
        .collect();
    b.children.insert(String::new(), orphans);
    b.walk("", None, &[]);
    b.others(&resources);
    b.finish_notes();
    let mut collection = b.collection;
    collection.auth = b.profiles.list;
    Ok(Imported {
        collection,
        secrets: b.secrets.found,
        dropped: b.dropped,
    })
}

/// The `resources` of a format-4 export; any other document is refused, saying what it is.
fn export_resources(doc: &Value) -> Result<&[Value], ImportError> {
    let v5 = doc
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| t.contains("insomnia.rest/"));
    if let Some(t) = v5 {
        return Err(ImportError::new(format!(
            "this is an Insomnia v5 export (`type: {t}`); scout reads Insomnia's v4 export \
             format (`__export_format: 4`): export the collection as \"Insomnia v4\" JSON or \
             YAML"
        )));
    }
    let format = doc.get("__export_format");
    if doc.get("_type").and_then(Value::as_str) != Some("export") && format.is_none() {
        return Err(ImportError::new(
            "this is not an Insomnia export: it has no `_type: export` (an export looks like \
             {\"_type\": \"export\", \"__export_format\": 4, \"resources\": [...]})",
        ));
    }
    match format.and_then(Value::as_u64) {
        Some(4) => {}
        Some(n) => {
            return Err(ImportError::new(format!(
                "this Insomnia export is in format {n}; scout reads format 4: export it again \
                 from a current Insomnia"
            )));
        }
        None => {
            return Err(ImportError::new(
                "this Insomnia export does not say its format (`__export_format`); scout reads \
                 format 4",
            ));
        }
    }
    doc.get("resources")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| ImportError::new("this Insomnia export has no `resources` list"))
}

/// Folders nested deeper than this are not read (an export is a flat list, so nothing else
/// bounds the nesting).
const MAX_DEPTH: usize = 64;

struct Builder<'a> {
    collection: Collection,
    profiles: Profiles,
    secrets: Secrets,
    dropped: Vec<String>,
    /// The resource being read, for the lines about it (`request `Login``).
    owner: String,
    /// Template tags met (`uuid`), and where.
    tags: Vec<(String, Vec<String>)>,
    /// Nunjucks expressions scout cannot read (`_.a | upper`), and where.
    expressions: Vec<(String, Vec<String>)>,
    /// Resources by their parent's id, in Insomnia's order.
    children: HashMap<String, Vec<&'a Value>>,
    /// Requests read, to name those no walk reached.
    walked: usize,
    /// The parents whose children were read: each once, so an id used twice (or a folder
    /// that is its own parent) cannot loop.
    visited: Vec<String>,
    /// The variables of the workspace being read that are renamed (`base_url` →
    /// `reports_base_url`) because an earlier workspace gives them other values.
    renames: Vec<(String, String)>,
    /// What the workspaces' environments read so far define, to find those renames.
    defined: Vec<parts::Definition>,
}

impl<'a> Builder<'a> {
    /// The folders and requests under `parent`, in `folder`, with the headers folders above set.
    fn walk(&mut self, parent: &str, folder: Option<&str>, headers: &[Header]) {
        if self.visited.iter().any(|v| v == parent) {
            return;
        }
        self.visited.push(parent.to_string());
        if folder.is_some_and(|f| f.matches('/').count() >= MAX_DEPTH) {
            self.dropped.push(format!(
                "folder `{}`: folders nested deeper than {MAX_DEPTH} are skipped",
                folder.unwrap_or_default()
            ));
            return;
        }
        let list = self.children.get(parent).cloned().unwrap_or_default();
        for r in list {
            match kind(r).as_str() {
                "request_group" => {
                    let part = folder_part(&text(r, "name"));
                    let path = match folder {
                        Some(outer) => format!("{outer}/{part}"),
                        None => part,
                    };
                    let mut inner = headers.to_vec();
                    self.owner = format!("folder `{path}`");
                    inner.extend(self.headers(r.get("headers")));
                    self.folder(r, &path);
                    self.walk(&text(r, "_id"), Some(&path), &inner);
                }
                "request" => {
                    self.walked += 1;
                    self.request(r, folder, headers);
                }
                "grpc_request" | "websocket_request" | "socket_io_request" => {
                    self.walked += 1;
                    let what = match kind(r).as_str() {
                        "grpc_request" => "gRPC",
                        "websocket_request" => "WebSocket",
                        _ => "Socket.IO",
                    };
                    self.dropped.push(format!(
                        "request `{}`: {what} requests are not supported by scout, dropped",
                        text(r, "name")
                    ));
                }
                _ => {}
            }
        }
    }

    /// A request group's description, auth, environment and scripts.
    fn folder(&mut self, group: &Value, path: &str) {
        let owner = self.owner.clone();
        let description = description(group.get("description"));
        let auth = self.auth_choice(group.get("authentication"));
        self.scripts(group);
        let env = flatten(group.get("environment"));
        if !env.is_empty() {
            let names: Vec<String> = env.iter().map(|(k, _)| format!("`{k}`")).collect();
            self.dropped.push(format!(
                "{owner}: its environment ({}) now applies to the whole collection, in [vars]",
                names.join(", ")
            ));
            for (key, value) in env {
                let name = self.renamed(&key);
                let value = self.value(&key, &name, &value);
                self.add_var(&name, value);
            }
        }
        if description.is_none() && auth.is_none() {
            return;
        }
        let folders = &mut self.collection.folders;
        match folders.iter_mut().find(|f| f.path == path) {
            Some(f) => {
                f.description = f.description.take().or(description);
                f.settings.auth = f.settings.auth.take().or(auth);
            }
            None => {
                let mut f = FolderSettings {
                    path: path.to_string(),
                    description,
                    ..FolderSettings::default()
                };
                f.settings.auth = auth;
                folders.push(f);
            }
        }
    }

    fn request(&mut self, r: &Value, folder: Option<&str>, inherited: &[Header]) {
        let name = text(r, "name");
        self.owner = format!("request `{name}`");
        let method_name = match text(r, "method").trim() {
            "" => "GET".to_string(),
            m => m.to_ascii_uppercase(),
        };
        let Some(method) = Method::named(&method_name) else {
            self.dropped.push(format!(
                "{}: scout does not send {method_name} requests, dropped",
                self.owner
            ));
            return;
        };
        let mut url = self.template(&text(r, "url"));
        let mut path_names = Vec::new();
        for p in list(r.get("pathParameters")) {
            let key = text(p, "name");
            let value = self.template(&text(p, "value"));
            if !value.is_empty() && value.replace(' ', "") != format!("{{{{{key}}}}}") {
                self.add_var(&key, value);
            }
            path_names.push(key);
        }
        if !path_names.is_empty() {
            url = with_path_variables(&url, &path_names);
        }
        let spec = RequestSpec {
            method,
            url: url.trim().to_string(),
            ..RequestSpec::default()
        };
        let mut saved = SavedRequest::new("", folder.map(str::to_string), &spec);
        saved.name = (!name.is_empty()).then_some(name);
        for p in list(r.get("parameters")) {
            let key = text(p, "name");
            if key.is_empty() {
                continue;
            }
            if off(p) {
                self.dropped.push(format!(
                    "{}: query parameter `{key}` is switched off in Insomnia; scout has no \
                     switched-off parameters, dropped",
                    self.owner
                ));
                continue;
            }
            let value = self.template(&text(p, "value"));
            let value = if is_secret_name(&key) {
                self.hide(&key, &value)
            } else {
                value
            };
            saved.query.push((key, value));
        }
        let own = self.headers(r.get("headers"));
        let inherited = inherited
            .iter()
            .filter(|h| !own.iter().any(|o| o.name.eq_ignore_ascii_case(&h.name)));
        for h in inherited.cloned().chain(own.iter().cloned()) {
            if h.enabled {
                saved.headers.push((h.name, h.value));
            } else {
                saved.disabled_headers.push((h.name, h.value));
            }
        }
        if let Some(body) = r.get("body") {
            self.body(body, &mut saved);
        }
        saved.description = description(r.get("description"));
        saved.settings.auth = self.auth_choice(r.get("authentication"));
        if text(r, "settingFollowRedirects") == "off" {
            saved.settings.follow_redirects = Some(false);
        }
        self.scripts(r);
        self.collection.requests.push(saved);
    }

    /// Headers `[{name, value, disabled}]`, templates converted and secrets hidden.
    fn headers(&mut self, value: Option<&Value>) -> Vec<Header> {
        let mut out = Vec::new();
        for h in list(value) {
            let name = text(h, "name").trim().to_string();
            if name.is_empty() {
                continue;
            }
            let value = self.template(&text(h, "value"));
            let value = if is_secret_header(&name) {
                self.hide(&name, &value)
            } else {
                value
            };
            out.push(Header {
                name,
                value,
                enabled: !off(h),
            });
        }
        out
    }

    /// The base environments of `workspace` as `[vars]`, their sub-environments as
    /// `[environments.NAME]`; a variable an earlier workspace gives other values is renamed
    /// (see [`Builder::workspace_renames`]).
    fn environments(&mut self, workspace: &str, workspace_name: &str) {
        let bases: Vec<&Value> = self.resources_of(workspace, "environment");
        let mut defs = Vec::new();
        for base in &bases {
            for (key, value) in flatten(base.get("data")) {
                defs.push((String::new(), key, value));
            }
            for sub in self.resources_of(&text(base, "_id"), "environment") {
                for (key, value) in flatten(sub.get("data")) {
                    defs.push((env_name(sub), key, value));
                }
            }
        }
        self.workspace_renames(workspace_name, &defs);
        for base in bases {
            self.owner = format!("environment `{}`", text(base, "name"));
            for (key, raw) in flatten(base.get("data")) {
                let name = self.renamed(&key);
                let value = self.value(&key, &name, &raw);
                self.define(workspace_name, "", &name, &raw);
                self.add_var(&name, value);
            }
            for sub in self.resources_of(&text(base, "_id"), "environment") {
                let name = env_name(sub);
                self.owner = format!("environment `{name}`");
                let mut vars = Vec::new();
                for (key, raw) in flatten(sub.get("data")) {
                    let var = self.renamed(&key);
                    let value = self.value(&key, &format!("{name} {var}"), &raw);
                    self.define(workspace_name, &name, &var, &raw);
                    vars.push((var, value));
                }
                let envs = &mut self.collection.environments;
                match envs.iter_mut().find(|e| e.name == name) {
                    Some(env) => {
                        for (k, v) in vars {
                            match env.vars.iter().find(|(have, _)| *have == k) {
                                None => env.vars.push((k, v)),
                                Some((_, same)) if *same == v => {}
                                Some(_) => self.dropped.push(format!(
                                    "environment `{name}`: its `{k}` differs from the one \
                                     already there, which is kept"
                                )),
                            }
                        }
                    }
                    None => envs.push(Environment { name, vars }),
                }
            }
        }
    }

    fn resources_of(&self, parent: &str, of_kind: &str) -> Vec<&'a Value> {
        self.children
            .get(parent)
            .into_iter()
            .flatten()
            .copied()
            .filter(|r| kind(r) == of_kind)
            .collect()
    }

    /// An environment value: templates converted, hidden (`hint`) when `key` names a secret.
    fn value(&mut self, key: &str, hint: &str, value: &str) -> String {
        let value = self.template(value);
        if is_secret_name(key) {
            self.hide(hint, &value)
        } else {
            value
        }
    }

    /// `key = value` in `[vars]` unless there; a different value there is named.
    fn add_var(&mut self, key: &str, value: String) {
        match self.collection.vars.iter().find(|(k, _)| k == key) {
            None => self.collection.vars.push((key.to_string(), value)),
            Some((_, v)) if *v == value => {}
            Some(_) => self.dropped.push(format!(
                "{}: its `{key}` differs from the one already in [vars], which is kept",
                self.owner
            )),
        }
    }

    /// A secret as an `{{env.…}}` reference (a template tag stays: it is named already).
    fn hide(&mut self, hint: &str, value: &str) -> String {
        if value.contains("{%") {
            value.to_string()
        } else {
            self.secrets.hide(hint, value)
        }
    }

    /// One line for a request or folder with scripts.
    fn scripts(&mut self, r: &Value) {
        let kinds: Vec<&str> = [
            ("preRequestScript", "pre-request"),
            ("afterResponseScript", "after-response"),
        ]
        .into_iter()
        .filter(|(key, _)| !text(r, key).trim().is_empty())
        .map(|(_, what)| what)
        .collect();
        if !kinds.is_empty() {
            self.dropped.push(format!(
                "{}: Insomnia scripts ({}) are not run by scout, dropped",
                self.owner,
                kinds.join(", ")
            ));
        }
    }

    /// Lines for the resources that are neither requests, folders nor environments.
    fn others(&mut self, resources: &[&Value]) {
        let requests = resources
            .iter()
            .filter(|r| {
                matches!(
                    kind(r).as_str(),
                    "request" | "grpc_request" | "websocket_request" | "socket_io_request"
                )
            })
            .count();
        if requests > self.walked {
            let n = requests - self.walked;
            let (what, are) = if n == 1 {
                ("request", "is")
            } else {
                ("requests", "are")
            };
            self.dropped.push(format!(
                "{n} {what} {are} not under a workspace or folder of the export, skipped"
            ));
        }
        let mut kinds_named: Vec<String> = Vec::new();
        for r in resources {
            let k = kind(r);
            let name = text(r, "name");
            match k.as_str() {
                "workspace" | "request" | "request_group" | "environment" | "grpc_request"
                | "websocket_request" | "socket_io_request" | "proto_file" | "proto_directory"
                | "websocket_payload" | "socket_io_payload" => {}
                "cookie_jar" => {
                    let n = r
                        .get("cookies")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    if n > 0 {
                        let cookies = if n == 1 { "cookie is" } else { "cookies are" };
                        self.dropped.push(format!(
                            "cookie jar `{name}`: its {n} {cookies} not imported (scout keeps \
                             the cookies of a session)"
                        ));
                    }
                }
                "api_spec" => {
                    if !text(r, "contents").trim().is_empty() {
                        let file = text(r, "fileName");
                        self.dropped.push(format!(
                            "API spec `{file}`: not imported; save it as a file and use `scout \
                             import openapi`"
                        ));
                    }
                }
                "unit_test_suite" | "unit_test" => {
                    if !kinds_named.iter().any(|n| n == "unit_test") {
                        kinds_named.push("unit_test".into());
                        self.dropped
                            .push("Insomnia unit tests are not run by scout, dropped".into());
                    }
                }
                _ => {
                    if !kinds_named.contains(&k) {
                        self.dropped
                            .push(format!("Insomnia `{k}` resources are not imported"));
                        kinds_named.push(k);
                    }
                }
            }
        }
    }
}

/// A header as Insomnia holds it (a folder's apply to the requests in it).
#[derive(Debug, Clone)]
struct Header {
    name: String,
    value: String,
    enabled: bool,
}

/// Environment data as `(name, value)` pairs: nested objects flattened to `a.b` (as
/// `{{ _.a.b }}` refers to them), other values as their text (arrays as JSON).
fn flatten(data: Option<&Value>) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) if !map.is_empty() || prefix.is_empty() => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            other => out.push((prefix.to_string(), scalar(other))),
        }
    }
    let mut out = Vec::new();
    if let Some(data @ Value::Object(_)) = data {
        walk("", data, &mut out);
    }
    out
}

/// A sub-environment's name (`env` when it has none).
fn env_name(env: &Value) -> String {
    let name = text(env, "name").trim().to_string();
    if name.is_empty() { "env".into() } else { name }
}

/// A list at `value`, or nothing.
fn list(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

fn off(value: &Value) -> bool {
    value.get("disabled").and_then(Value::as_bool) == Some(true)
}

fn kind(r: &Value) -> String {
    text(r, "_type")
}

fn sort_key(r: &Value) -> f64 {
    r.get("metaSortKey").and_then(Value::as_f64).unwrap_or(0.0)
}

/// The string at `key` (a scalar written as text), else empty.
fn text(value: &Value, key: &str) -> String {
    value.get(key).map(scalar).unwrap_or_default()
}

#[cfg(test)]
#[path = "insomnia_tests.rs"]
mod tests;
