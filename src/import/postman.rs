//! Postman collections (format v2.0 and v2.1) → a collection: folders as folders (nested with
//! `/`), collection variables as `[vars]`, each request with its headers (switched-off ones kept
//! switched off), body and auth. Postman's `{{var}}` templates are scout's, so text is kept as
//! written. Auth becomes profiles whose secrets are `{{env.…}}` references; an environment
//! export given beside the collection (`--env-file`) becomes `[environments.NAME]`. Scripts,
//! dynamic variables (`{{$guid}}`) and the auth kinds scout lacks are named, one line each.

use serde_json::Value;

use crate::collection::{Environment, SavedRequest};
use crate::import::document::parse_document;
use crate::import::secrets::{Profiles, is_secret_header, is_secret_name};
use crate::import::{ImportError, Imported, Secrets, Source, empty_collection, folder_part};
use crate::model::settings::{AuthChoice, FolderSettings};
use crate::model::{Method, RequestSpec};

#[path = "postman_auth.rs"]
pub(super) mod auth;
#[path = "postman_body.rs"]
pub(super) mod body;
#[path = "postman_url.rs"]
mod url;

use auth::{Auth, postman_auth, scalar};
use url::Url;
pub(super) use url::with_path_variables;

/// The collection in `source.text`, with the environment in `source.env_file` when given.
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let doc = parse_document(source.text)?;
    let items = collection_items(&doc)?;
    let name = doc
        .get("info")
        .and_then(|i| i.get("name"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("postman");
    let mut b = Builder {
        collection: empty_collection(name),
        profiles: Profiles::default(),
        secrets: Secrets::beside(&source.known_env),
        dropped: Vec::new(),
    };
    b.variables(doc.get("variable"), "the collection");
    match b.auth_choice(doc.get("auth"), "the collection") {
        Some(AuthChoice::Profile(p)) => b.collection.settings.auth = Some(AuthChoice::Profile(p)),
        // Nothing to opt out of at the top.
        Some(AuthChoice::None) | None => {}
    }
    b.scripts(&doc, "the collection");
    b.walk(items, None);
    if let Some(env) = source.env_file {
        b.environment(env)?;
    }
    b.dynamic_variables();
    let mut collection = b.collection;
    collection.auth = b.profiles.list;
    Ok(Imported {
        collection,
        secrets: b.secrets.found,
        dropped: b.dropped,
    })
}

/// The top-level `item` list, after checking that this is a v2 collection.
fn collection_items(doc: &Value) -> Result<&[Value], ImportError> {
    let schema = doc
        .get("info")
        .and_then(|i| i.get("schema"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let v1 = schema.contains("/v1")
        || doc.get("requests").is_some_and(Value::is_array)
        || doc.get("order").is_some_and(Value::is_array) && doc.get("item").is_none();
    if v1 {
        return Err(ImportError::new(
            "this is a Postman v1 collection, which scout does not support: in Postman, export \
             it again as Collection v2.1",
        ));
    }
    if doc.get("values").is_some_and(Value::is_array) && doc.get("item").is_none() {
        return Err(ImportError::new(
            "this is a Postman environment, not a collection: import the collection and give \
             the environment with --env-file",
        ));
    }
    match (doc.get("info"), doc.get("item").and_then(Value::as_array)) {
        (Some(info), Some(items)) if info.is_object() => Ok(items),
        _ => Err(ImportError::new(
            "this is not a Postman collection: it has no `info` and `item` (a collection v2.1 \
             looks like {\"info\": {\"name\": …, \"schema\": \"https://schema.getpostman.com/json/\
             collection/v2.1.0/collection.json\"}, \"item\": [...]})",
        )),
    }
}

struct Builder {
    collection: crate::collection::Collection,
    profiles: Profiles,
    secrets: Secrets,
    dropped: Vec<String>,
}

impl Builder {
    /// Folders and requests of `items`, in `folder`.
    fn walk(&mut self, items: &[Value], folder: Option<&str>) {
        for item in items {
            if let Some(children) = item.get("item").and_then(Value::as_array) {
                let part = folder_part(&text(item, "name"));
                let path = match folder {
                    Some(outer) => format!("{outer}/{part}"),
                    None => part,
                };
                self.folder(item, &path);
                self.walk(children, Some(&path));
            } else if item.get("request").is_some() {
                self.request(item, folder);
            } else {
                let name = text(item, "name");
                self.dropped.push(format!(
                    "item `{name}` has neither a request nor items: skipped"
                ));
            }
        }
    }

    /// A folder's description, auth, variables and scripts.
    fn folder(&mut self, item: &Value, path: &str) {
        let owner = format!("folder `{path}`");
        let description = description(item.get("description"));
        let auth = self.auth_choice(item.get("auth"), &owner);
        self.variables(item.get("variable"), &owner);
        self.scripts(item, &owner);
        if description.is_none() && auth.is_none() {
            return;
        }
        let folders = &mut self.collection.folders;
        let index = match folders.iter().position(|f| f.path == path) {
            Some(i) => i,
            None => {
                folders.push(FolderSettings {
                    path: path.to_string(),
                    ..FolderSettings::default()
                });
                folders.len() - 1
            }
        };
        let f = &mut folders[index];
        f.description = f.description.take().or(description);
        f.settings.auth = f.settings.auth.take().or(auth);
    }

    fn request(&mut self, item: &Value, folder: Option<&str>) {
        let name = text(item, "name");
        let owner = format!("request `{name}`");
        let request = item.get("request").unwrap_or(&Value::Null);
        let (method_name, url) = match request {
            Value::String(raw) => ("GET".to_string(), Url::raw(raw)),
            _ => (text(request, "method"), Url::read(request.get("url"))),
        };
        let method_name = if method_name.is_empty() {
            "GET".to_string()
        } else {
            method_name.to_ascii_uppercase()
        };
        let Some(method) = Method::named(&method_name) else {
            self.dropped.push(format!(
                "{owner}: scout does not send {method_name} requests, dropped"
            ));
            return;
        };
        let url_text = self.path_variables(&owner, &url);
        for key in &url.disabled_query {
            self.dropped.push(format!(
                "{owner}: query parameter `{key}` is switched off in Postman; scout has no \
                 switched-off parameters, dropped"
            ));
        }
        let spec = RequestSpec {
            method,
            url: url_text,
            ..RequestSpec::default()
        };
        let mut saved = SavedRequest::new("", folder.map(str::to_string), &spec);
        for (key, value) in &mut saved.query {
            if is_secret_name(key) {
                *value = self.secrets.hide(key, value);
            }
        }
        saved.name = (!name.is_empty()).then_some(name);
        for (key, value, enabled) in headers(request.get("header")) {
            let value = if is_secret_header(&key) {
                self.secrets.hide(&key, &value)
            } else {
                value
            };
            if enabled {
                saved.headers.push((key, value));
            } else {
                saved.disabled_headers.push((key, value));
            }
        }
        self.body(request.get("body"), &owner, &mut saved);
        saved.description = description(request.get("description"))
            .or_else(|| description(item.get("description")));
        saved.settings.auth = self.auth_choice(request.get("auth"), &owner);
        self.scripts(item, &owner);
        self.behaviour(item, &owner, &mut saved);
        self.collection.requests.push(saved);
    }

    /// The URL with its `:name` path segments as `{{name}}`, their values added to `[vars]`.
    fn path_variables(&mut self, owner: &str, url: &Url) -> String {
        let names: Vec<String> = url.variables.iter().map(|(k, _)| k.clone()).collect();
        for (key, value) in &url.variables {
            let own = format!("{{{{{key}}}}}");
            if value.is_empty() {
                self.dropped.push(format!(
                    "{owner}: path variable `{key}` has no value in Postman; set it in [vars]"
                ));
            } else if value.replace(' ', "") != own {
                self.add_var(owner, key, value);
            }
        }
        with_path_variables(&url.raw, &names)
    }

    /// `key = value` in `[vars]`, unless it is there already; a different value there is named.
    fn add_var(&mut self, owner: &str, key: &str, value: &str) {
        match self.collection.vars.iter().find(|(k, _)| k == key) {
            None => self
                .collection
                .vars
                .push((key.to_string(), value.to_string())),
            Some((_, v)) if v == value => {}
            Some(_) => self.dropped.push(format!(
                "{owner}: its `{key}` differs from the one already in [vars], which is kept"
            )),
        }
    }

    /// `variable` (collection or folder): each enabled one into `[vars]`, secrets hidden.
    fn variables(&mut self, list: Option<&Value>, owner: &str) {
        for v in list.and_then(Value::as_array).into_iter().flatten() {
            let key = v
                .get("key")
                .or_else(|| v.get("id"))
                .map(scalar)
                .unwrap_or_default();
            if key.is_empty() {
                continue;
            }
            if v.get("disabled").and_then(Value::as_bool) == Some(true) {
                self.dropped.push(format!(
                    "{owner}: variable `{key}` is switched off in Postman, dropped"
                ));
                continue;
            }
            let value = v.get("value").map(scalar).unwrap_or_default();
            let secret = is_secret_name(&key) || text(v, "type") == "secret";
            let value = if secret {
                self.secrets.hide(&key, &value)
            } else {
                value
            };
            self.add_var(owner, &key, &value);
        }
    }

    /// The settings' `auth` for an owner's `auth` object: a profile, `none`, or unset to inherit.
    fn auth_choice(&mut self, auth: Option<&Value>, owner: &str) -> Option<AuthChoice> {
        match auth.map_or(Auth::Inherit, postman_auth) {
            Auth::Inherit => None,
            Auth::None => Some(AuthChoice::None),
            Auth::Profile(p) => Some(AuthChoice::Profile(self.profiles.add(&mut self.secrets, p))),
            Auth::Unsupported(why) => {
                self.dropped
                    .push(format!("{owner}: {why}; it is sent without auth"));
                Some(AuthChoice::None)
            }
        }
    }

    /// One line for an owner with pre-request or test scripts.
    fn scripts(&mut self, owner_value: &Value, owner: &str) {
        let mut kinds: Vec<String> = Vec::new();
        for event in owner_value
            .get("event")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let exec = event.get("script").and_then(|s| s.get("exec"));
            let code = match exec {
                Some(Value::Array(lines)) => lines.iter().map(scalar).collect::<Vec<_>>().join(""),
                Some(other) => scalar(other),
                None => String::new(),
            };
            let listen = text(event, "listen");
            if !code.trim().is_empty() && !kinds.contains(&listen) {
                kinds.push(listen);
            }
        }
        if !kinds.is_empty() {
            self.dropped.push(format!(
                "{owner}: Postman scripts ({}) are not run by scout, dropped",
                kinds.join(", ")
            ));
        }
    }

    /// `protocolProfileBehavior`: redirects carried over; body pruning is scout's behaviour
    /// already (a GET keeps its body); anything else named.
    fn behaviour(&mut self, item: &Value, owner: &str, saved: &mut SavedRequest) {
        let Some(map) = item
            .get("protocolProfileBehavior")
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut other = Vec::new();
        for (key, value) in map {
            match key.as_str() {
                "followRedirects" => saved.settings.follow_redirects = value.as_bool(),
                "maxRedirects" => {
                    saved.settings.max_redirects = value.as_u64().and_then(|n| n.try_into().ok());
                }
                "disableBodyPruning" => {}
                _ => other.push(format!("`{key}`")),
            }
        }
        if !other.is_empty() {
            self.dropped.push(format!(
                "{owner}: Postman settings {} are not carried over",
                other.join(", ")
            ));
        }
    }

    /// A Postman environment export as `[environments.NAME]`; secrets become `{{env.…}}`.
    fn environment(&mut self, text_in: &str) -> Result<(), ImportError> {
        let doc = parse_document(text_in).map_err(|e| {
            ImportError::new(match e.line {
                Some(line) => format!("the environment file, line {line}: {}", e.message),
                None => format!("the environment file: {}", e.message),
            })
        })?;
        let Some(values) = doc.get("values").and_then(Value::as_array) else {
            return Err(ImportError::new(
                "the environment file is not a Postman environment export: it has no `values` \
                 list (an export looks like {\"name\": \"dev\", \"values\": [{\"key\": …, \
                 \"value\": …, \"enabled\": true}]})",
            ));
        };
        let name = text(&doc, "name");
        let name = if name.trim().is_empty() {
            "postman".to_string()
        } else {
            name.trim().to_string()
        };
        let mut vars = Vec::new();
        for v in values {
            let key = text(v, "key");
            if key.is_empty() {
                continue;
            }
            if v.get("enabled").and_then(Value::as_bool) == Some(false) {
                self.dropped.push(format!(
                    "environment `{name}`: `{key}` is switched off in Postman, dropped"
                ));
                continue;
            }
            let value = v.get("value").map(scalar).unwrap_or_default();
            let value = if text(v, "type") == "secret" || is_secret_name(&key) {
                self.secrets.hide(&format!("{name} {key}"), &value)
            } else {
                value
            };
            vars.push((key, value));
        }
        self.collection
            .environments
            .push(Environment { name, vars });
        Ok(())
    }

    /// One line per distinct `{{$guid}}`-style dynamic variable in what was imported, and per
    /// placeholder scout cannot read (`{{base url}}`): both are left as written.
    fn dynamic_variables(&mut self) {
        let c = &self.collection;
        let mut texts: Vec<&str> = Vec::new();
        texts.extend(c.vars.iter().map(|(_, v)| v.as_str()));
        for e in &c.environments {
            texts.extend(e.vars.iter().map(|(_, v)| v.as_str()));
        }
        for r in &c.requests {
            texts.push(&r.url);
            for (k, v) in r.query.iter().chain(&r.headers).chain(&r.disabled_headers) {
                texts.push(k);
                texts.push(v);
            }
            body::texts(r.body.as_ref(), &mut texts);
        }
        for (_, p) in &self.profiles.list {
            texts.extend(profile_texts(p));
        }
        let mut dynamic: Vec<String> = Vec::new();
        let mut unreadable: Vec<String> = Vec::new();
        for t in texts {
            for inner in placeholders(t) {
                let list = if inner.starts_with('$') {
                    &mut dynamic
                } else if crate::template::parse(&format!("{{{{{inner}}}}}")).is_err() {
                    &mut unreadable
                } else {
                    continue;
                };
                if !list.contains(&inner) {
                    list.push(inner);
                }
            }
        }
        for name in dynamic {
            self.dropped.push(format!(
                "{{{{{name}}}}}: Postman's dynamic variables are not supported (scout has no \
                 generated values, and `{name}` is not a variable name); requests using it cannot \
                 be sent until it is replaced by a value or a variable"
            ));
        }
        for name in unreadable {
            self.dropped.push(format!(
                "{{{{{name}}}}}: scout's variable names are letters, digits, `_`, `.` and `-`; \
                 requests using it cannot be sent until the variable is renamed"
            ));
        }
    }
}

/// What is between the braces of each `{{…}}` in `text` (trimmed), in order.
pub(super) fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

fn profile_texts(p: &crate::model::AuthProfile) -> Vec<&str> {
    use crate::model::AuthProfile as P;
    match p {
        P::Basic { username, password } | P::Digest { username, password } => {
            vec![username, password]
        }
        P::Bearer { token } => vec![token],
        P::ApiKey { name, value, .. } => vec![name, value],
        P::OAuth2ClientCredentials {
            token_url,
            client_id,
            client_secret,
            ..
        } => vec![token_url, client_id, client_secret],
    }
}

/// Headers as `(name, value, enabled)`: the list of `{key, value, disabled}`, or v2.0's text
/// form `Name: value` one a line (`//` in front switches one off).
fn headers(value: Option<&Value>) -> Vec<(String, String, bool)> {
    match value {
        Some(Value::Array(list)) => list
            .iter()
            .map(|h| {
                let on = h.get("disabled").and_then(Value::as_bool) != Some(true);
                (text(h, "key").trim().to_string(), text(h, "value"), on)
            })
            .filter(|(k, _, _)| !k.is_empty())
            .collect(),
        Some(Value::String(lines)) => lines
            .lines()
            .filter_map(|line| {
                let line = line.trim();
                let (on, line) = match line.strip_prefix("//") {
                    Some(rest) => (false, rest.trim_start()),
                    None => (true, line),
                };
                let (k, v) = line.split_once(':')?;
                let k = k.trim();
                (!k.is_empty()).then(|| (k.to_string(), v.trim().to_string(), on))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A description: a string, or `{content, type}`; empty is none.
pub(super) fn description(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.clone(),
        other => other.get("content").map(scalar)?,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The string at `key` (a scalar written as text), else empty.
fn text(value: &Value, key: &str) -> String {
    value.get(key).map(scalar).unwrap_or_default()
}

#[cfg(test)]
#[path = "postman_edge_tests.rs"]
mod edge_tests;
#[cfg(test)]
#[path = "postman_tests.rs"]
mod tests;
