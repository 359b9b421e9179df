//! Parts of an Insomnia request: its templates (Nunjucks variables to scout's, template tags
//! named), its auth and its body.

use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;
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

impl Builder<'_> {
    /// `text` with Insomnia's variables as scout's; template tags and other expressions are
    /// left as written and noted for [`Builder::finish_notes`].
    pub(super) fn template(&mut self, text: &str) -> String {
        if !text.contains("{{") && !text.contains("{%") {
            return text.to_string();
        }
        let converted = VARIABLE.replace_all(text, "{{$1}}").into_owned();
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
                 as written, replace it with a variable",
                where_(&owners)
            ));
        }
        for (expression, owners) in std::mem::take(&mut self.expressions) {
            self.dropped.push(format!(
                "`{{{{ {expression} }}}}` in {}: scout's templates are plain names (`{{{{name}}}}`); \
                 left as written",
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
