//! Parts of an Insomnia request: its templates (Nunjucks variables to scout's, template tags
//! named, workspaces' clashing variables renamed), its auth and its body.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde_json::Value;

use super::{Builder, list, off, text};
use crate::collection::{SavedBody, SavedRequest};
use crate::import::postman::auth::{Auth, oauth2};
use crate::import::postman::body::{drop_bare_multipart_type, json_or_text};
use crate::import::postman::placeholders;
use crate::import::secrets::is_secret_name;
use crate::model::settings::AuthChoice;
use crate::model::{AuthProfile, KeyLocation, MultipartLine};

/// `{{ _.name }}` and `{{ name }}`: a plain variable, which scout reads as `{{name}}`.
static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*(?:_\.)?([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}").expect("a valid pattern")
});

/// `{% tag …`: the tag's name.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*([A-Za-z_][A-Za-z0-9_]*)").expect("a valid pattern"));

/// A variable an environment of a workspace defines: its value in one scope (`""` for the base
/// environment, else the sub-environment's name), as scout's template.
#[derive(Debug, Clone)]
pub(super) struct Definition {
    workspace: String,
    scope: String,
    name: String,
    value: String,
}

/// `text` with Insomnia's variables as scout's (`{{ _.a }}` → `{{a}}`), renamed by `renames`.
fn convert(text: &str, renames: &[(String, String)]) -> String {
    VARIABLE
        .replace_all(text, |c: &Captures<'_>| {
            let name = &c[1];
            let name = renames
                .iter()
                .find(|(from, _)| from == name)
                .map_or(name, |(_, to)| to.as_str());
            format!("{{{{{name}}}}}")
        })
        .into_owned()
}

impl Builder<'_> {
    /// Finds which of `defs` (`(scope, name, value as written)`, the environments of the
    /// workspace `workspace`) to rename: scout has one `[vars]` and one set of environments for
    /// the whole collection, so a variable an earlier workspace defines with other values (in
    /// the base environment or a sub-environment) would send this workspace's requests to the
    /// other's host, with its credentials. The first workspace keeps the name; this one's
    /// becomes `<workspace>_<name>`, in its environments and its requests (one line each).
    pub(super) fn workspace_renames(&mut self, workspace: &str, defs: &[(String, String, String)]) {
        let mut renames: Vec<(String, String)> = Vec::new();
        // A rename changes the values that refer to it, which may make more differ.
        loop {
            let before = renames.len();
            let mut keys: Vec<&str> = Vec::new();
            for (_, key, _) in defs {
                if !keys.contains(&key.as_str()) {
                    keys.push(key);
                }
            }
            for key in keys {
                if renames.iter().any(|(from, _)| from == key) {
                    continue;
                }
                let mut mine: Vec<(&str, String)> = Vec::new();
                for (scope, _, raw) in defs.iter().filter(|(_, k, _)| k == key) {
                    if !mine.iter().any(|(s, _)| s == scope) {
                        mine.push((scope, convert(raw, &renames)));
                    }
                }
                let theirs: Vec<&Definition> =
                    self.defined.iter().filter(|d| d.name == key).collect();
                let same = mine.len() == theirs.len()
                    && theirs
                        .iter()
                        .all(|d| mine.iter().any(|(s, v)| *s == d.scope && *v == d.value));
                if theirs.is_empty() || same {
                    continue;
                }
                let new = self.free_name(&format!("{}_{key}", slug(workspace)), defs, &renames);
                self.dropped.push(format!(
                    "workspace `{workspace}`: its variable `{key}` differs from workspace \
                     `{}`'s, and scout's variables are the whole collection's: renamed \
                     `{new}` in [vars], its environments and its requests",
                    theirs[0].workspace
                ));
                renames.push((key.to_string(), new));
            }
            if renames.len() == before {
                break;
            }
        }
        self.renames = renames;
    }

    /// `name`, or `name_2`, `name_3`…: the first that no variable uses.
    fn free_name(
        &self,
        name: &str,
        defs: &[(String, String, String)],
        renames: &[(String, String)],
    ) -> String {
        let taken = |n: &str| {
            self.defined.iter().any(|d| d.name == n)
                || self.collection.vars.iter().any(|(k, _)| k == n)
                || defs.iter().any(|(_, k, _)| k == n)
                || renames.iter().any(|(_, to)| to == n)
        };
        std::iter::once(name.to_string())
            .chain((2..).map(|i| format!("{name}_{i}")))
            .find(|n| !taken(n))
            .unwrap_or_else(|| name.to_string())
    }

    /// `key` as this workspace's variables are named.
    pub(super) fn renamed(&self, key: &str) -> String {
        self.renames
            .iter()
            .find(|(from, _)| from == key)
            .map_or(key, |(_, to)| to.as_str())
            .to_string()
    }

    /// Records that `workspace` defines `name` in `scope` as `raw` (the first definition of a
    /// scope stays).
    pub(super) fn define(&mut self, workspace: &str, scope: &str, name: &str, raw: &str) {
        if self
            .defined
            .iter()
            .any(|d| d.name == name && d.scope == scope)
        {
            return;
        }
        let value = convert(raw, &self.renames);
        self.defined.push(Definition {
            workspace: workspace.to_string(),
            scope: scope.to_string(),
            name: name.to_string(),
            value,
        });
    }

    /// `text` with Insomnia's variables as scout's (and this workspace's renamed); template
    /// tags and other expressions are left as written and noted for
    /// [`Builder::finish_notes`].
    pub(super) fn template(&mut self, text: &str) -> String {
        if !text.contains("{{") && !text.contains("{%") {
            return text.to_string();
        }
        let converted = convert(text, &self.renames);
        let owner = self.owner.clone();
        for tag in TAG.captures_iter(&converted) {
            note(&mut self.tags, &tag[1], &owner);
        }
        for inner in placeholders(&converted) {
            if crate::template::parse(&format!("{{{{{inner}}}}}")).is_err() {
                note(&mut self.expressions, &inner, &owner);
            }
        }
        converted
    }

    /// One line per template tag and per expression met, naming where.
    pub(super) fn finish_notes(&mut self) {
        for (tag, owners) in std::mem::take(&mut self.tags) {
            self.dropped.push(format!(
                "`{{% {tag} %}}` in {}: Insomnia's template tags are not supported by scout; left \
                 as written, scout sends the tag's text itself until it is replaced by a value or \
                 a variable",
                where_(&owners)
            ));
        }
        for (expression, owners) in std::mem::take(&mut self.expressions) {
            self.dropped.push(format!(
                "`{{{{ {expression} }}}}` in {}: scout's templates are plain names (`{{{{name}}}}`); \
                 left as written, so these requests cannot be sent until it is replaced by a \
                 value or a variable",
                where_(&owners)
            ));
        }
    }

    /// The settings' `auth` for an `authentication` object: a profile, `none`, or unset to
    /// inherit (Insomnia's `{}`).
    pub(super) fn auth_choice(&mut self, auth: Option<&Value>) -> Option<AuthChoice> {
        match self.auth(auth?) {
            Auth::Inherit => None,
            Auth::None => Some(AuthChoice::None),
            Auth::Profile(p) => Some(AuthChoice::Profile(self.profiles.add(&mut self.secrets, p))),
            Auth::Unsupported(why) => {
                self.dropped
                    .push(format!("{}: {why}; it is sent without auth", self.owner));
                Some(AuthChoice::None)
            }
        }
    }

    fn auth(&mut self, auth: &Value) -> Auth {
        let kind = text(auth, "type");
        if kind.is_empty() || kind == "inherit" {
            return Auth::Inherit;
        }
        if off(auth) || kind == "none" {
            return Auth::None;
        }
        let mut get = |key: &str| self.template(&text(auth, key));
        let profile = match kind.as_str() {
            "basic" => AuthProfile::Basic {
                username: get("username"),
                password: get("password"),
            },
            "digest" => AuthProfile::Digest {
                username: get("username"),
                password: get("password"),
            },
            "bearer" => {
                let prefix = get("prefix");
                let token = get("token");
                if !prefix.trim().is_empty() && !prefix.trim().eq_ignore_ascii_case("bearer") {
                    self.dropped.push(format!(
                        "{}: the token prefix `{}` is not kept (scout sends `Bearer`)",
                        self.owner,
                        prefix.trim()
                    ));
                }
                AuthProfile::Bearer { token }
            }
            "apikey" => {
                let location = match text(auth, "addTo").as_str() {
                    "queryParams" => KeyLocation::Query,
                    "cookie" => {
                        return Auth::Unsupported(
                            "an API key sent as a cookie is not supported by scout".into(),
                        );
                    }
                    _ => KeyLocation::Header,
                };
                AuthProfile::ApiKey {
                    name: get("key"),
                    value: get("value"),
                    location,
                }
            }
            "oauth2" => {
                let grant = text(auth, "grantType");
                if grant != "client_credentials" {
                    return Auth::Unsupported(format!(
                        "OAuth 2.0 with the {grant} grant is not supported (scout fetches \
                         tokens with client credentials only)"
                    ));
                }
                let scope = get("scope");
                oauth2(
                    get("accessTokenUrl"),
                    get("clientId"),
                    get("clientSecret"),
                    &scope,
                    get("audience"),
                )
            }
            other => {
                return Auth::Unsupported(format!(
                    "Insomnia's {other} auth is not supported by scout"
                ));
            }
        };
        Auth::Profile(profile)
    }

    /// `body {mimeType, text | params | fileName}` into `saved.body`.
    pub(super) fn body(&mut self, body: &Value, saved: &mut SavedRequest) {
        let mime_type = text(body, "mimeType");
        let mime = mime_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let body_text = self.template(&text(body, "text"));
        let file = text(body, "fileName");
        let found = match mime.as_str() {
            "application/x-www-form-urlencoded" => self.form(body),
            "multipart/form-data" => self.multipart(body),
            _ if !file.is_empty() && body_text.is_empty() => {
                Some(SavedBody::File(PathBuf::from(file)))
            }
            _ if body_text.trim().is_empty() => None,
            // GraphQL: the text is the JSON Insomnia sends ({"query": …, "variables": …}).
            "application/graphql" => Some(json_or_text(&body_text)),
            m if m.contains("json") => Some(json_or_text(&body_text)),
            _ => Some(SavedBody::Text(body_text)),
        };
        let has_type = saved
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
        match &found {
            Some(SavedBody::Multipart(_)) => drop_bare_multipart_type(&mut saved.headers),
            Some(SavedBody::Text(_)) if !has_type && !mime.is_empty() && mime != "text/plain" => {
                saved
                    .headers
                    .push(("Content-Type".into(), mime_type.trim().to_string()));
            }
            _ => {}
        }
        saved.body = found;
    }

    /// `params` of a URL-encoded form.
    fn form(&mut self, body: &Value) -> Option<SavedBody> {
        let mut pairs = Vec::new();
        for p in list(body.get("params")) {
            let name = text(p, "name");
            if name.is_empty() {
                continue;
            }
            if off(p) {
                self.dropped.push(format!(
                    "{}: form field `{name}` is switched off in Insomnia, dropped",
                    self.owner
                ));
                continue;
            }
            let value = self.field_value(&name, &text(p, "value"));
            pairs.push((name, value));
        }
        (!pairs.is_empty()).then_some(SavedBody::Form(pairs))
    }

    /// `params` of a multipart form: text fields and files (`type: file`, `fileName`).
    fn multipart(&mut self, body: &Value) -> Option<SavedBody> {
        let mut parts = Vec::new();
        for p in list(body.get("params")) {
            let name = text(p, "name");
            if off(p) {
                self.dropped.push(format!(
                    "{}: multipart part `{name}` is switched off in Insomnia, dropped",
                    self.owner
                ));
                continue;
            }
            if text(p, "type") == "file" {
                let file = text(p, "fileName");
                if file.is_empty() {
                    self.dropped.push(format!(
                        "{}: multipart file part `{name}` has no file chosen in Insomnia, \
                         dropped",
                        self.owner
                    ));
                } else {
                    parts.push(MultipartLine::File {
                        name,
                        path: PathBuf::from(file),
                        content_type: None,
                    });
                }
                continue;
            }
            let value = self.field_value(&name, &text(p, "value"));
            parts.push(MultipartLine::Field { name, value });
        }
        (!parts.is_empty()).then_some(SavedBody::Multipart(parts))
    }

    fn field_value(&mut self, name: &str, value: &str) -> String {
        let value = self.template(value);
        if is_secret_name(name) {
            self.hide(name, &value)
        } else {
            value
        }
    }
}

/// A workspace's name as the start of a variable name: `Reports` → `reports`, `Shop API (v2)`
/// → `shop_api_v2`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_');
    match out.chars().next() {
        None => "workspace".into(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        Some(_) => out.to_string(),
    }
}

/// Adds `owner` to the places `key` was met.
fn note(list: &mut Vec<(String, Vec<String>)>, key: &str, owner: &str) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, owners)) => {
            if !owners.iter().any(|o| o == owner) {
                owners.push(owner.to_string());
            }
        }
        None => list.push((key.to_string(), vec![owner.to_string()])),
    }
}

/// `request `a`, request `b` and 3 more`.
fn where_(owners: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut out = owners
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if owners.len() > SHOWN {
        out.push_str(&format!(" and {} more", owners.len() - SHOWN));
    }
    out
}
