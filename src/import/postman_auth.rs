//! Auth for the Postman and Insomnia importers: each tool's auth object read as what scout can do
//! with it ([`Auth`]), and the collection's profiles ([`Profiles`]): one per distinct set of
//! credentials, named by kind (`bearer`, `bearer-2`…), secrets replaced by `{{env.…}}` references.

use serde_json::Value;

use crate::collection::model::unique;
use crate::import::Secrets;
use crate::model::{AuthProfile, KeyLocation};

/// What an owner's (collection, folder, request) auth says.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::import) enum Auth {
    /// Nothing set here: the folder or collection around decides.
    Inherit,
    /// Explicitly no auth.
    None,
    Profile(AuthProfile),
    /// A kind scout cannot send (why, for a dropped line): the owner is sent without auth rather
    /// than with credentials inherited from around it.
    Unsupported(String),
}

/// The collection's auth profiles, as they are added.
#[derive(Debug, Default)]
pub(in crate::import) struct Profiles {
    pub list: Vec<(String, AuthProfile)>,
}

impl Profiles {
    /// The name of the profile (an identical one already added is reused), its secrets hidden
    /// as `{{env.NAME_FIELD}}` references. A value computed by an Insomnia template tag
    /// (`{% response … %}`) stays as written: it is no secret to keep, and is named elsewhere.
    pub fn add(&mut self, secrets: &mut Secrets, profile: AuthProfile) -> String {
        let taken: Vec<String> = self.list.iter().map(|(n, _)| n.clone()).collect();
        let name = unique(kind_of(&profile), &taken);
        let mut hide = |field: &str, value: String| {
            if value.contains("{%") {
                value
            } else {
                secrets.hide(&format!("{name} {field}"), &value)
            }
        };
        let hidden = match profile {
            AuthProfile::Basic { username, password } => AuthProfile::Basic {
                password: hide("password", password),
                username,
            },
            AuthProfile::Digest { username, password } => AuthProfile::Digest {
                password: hide("password", password),
                username,
            },
            AuthProfile::Bearer { token } => AuthProfile::Bearer {
                token: hide("token", token),
            },
            AuthProfile::ApiKey {
                name: key,
                value,
                location,
            } => AuthProfile::ApiKey {
                value: hide("key", value),
                name: key,
                location,
            },
            AuthProfile::OAuth2ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scopes,
                audience,
            } => AuthProfile::OAuth2ClientCredentials {
                client_secret: hide("client secret", client_secret),
                token_url,
                client_id,
                scopes,
                audience,
            },
        };
        if let Some((existing, _)) = self.list.iter().find(|(_, p)| *p == hidden) {
            return existing.clone();
        }
        self.list.push((name.clone(), hidden));
        name
    }
}

/// The profile's name before a number is added: its kind.
fn kind_of(profile: &AuthProfile) -> &'static str {
    match profile {
        AuthProfile::Basic { .. } => "basic",
        AuthProfile::Bearer { .. } => "bearer",
        AuthProfile::ApiKey { .. } => "api-key",
        AuthProfile::Digest { .. } => "digest",
        AuthProfile::OAuth2ClientCredentials { .. } => "oauth2",
    }
}

/// Whether a variable, query parameter or form field named `name` holds a secret: its name has
/// `token`, `secret`, `password`, `apikey`/`api_key`/`api-key` or `credential` in it. (Narrower
/// than headers' `key`, which would take `primaryKey` or `keyword` for secrets.)
pub(in crate::import) fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "api_key",
        "api-key",
        "credential",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Postman's `auth` object: `{"type": "bearer", "bearer": [{"key": "token", "value": "…"}]}`
/// (v2.1) or `{"type": "bearer", "bearer": {"token": "…"}}` (v2.0).
pub(in crate::import) fn postman_auth(auth: &Value) -> Auth {
    let Some(kind) = auth.get("type").and_then(Value::as_str) else {
        return Auth::Inherit;
    };
    let params = auth.get(kind);
    let get = |key: &str| postman_param(params, key);
    let profile = match kind {
        "noauth" => return Auth::None,
        "inherit" => return Auth::Inherit,
        "basic" => AuthProfile::Basic {
            username: get("username"),
            password: get("password"),
        },
        "digest" => AuthProfile::Digest {
            username: get("username"),
            password: get("password"),
        },
        "bearer" => AuthProfile::Bearer {
            token: get("token"),
        },
        "apikey" => AuthProfile::ApiKey {
            name: get("key"),
            value: get("value"),
            location: if get("in") == "query" {
                KeyLocation::Query
            } else {
                KeyLocation::Header
            },
        },
        "oauth2" => {
            let grant = get("grant_type");
            // Postman's default grant when none is written.
            let grant = if grant.is_empty() {
                "authorization_code".to_string()
            } else {
                grant
            };
            if grant != "client_credentials" {
                return Auth::Unsupported(format!(
                    "OAuth 2.0 with the {grant} grant is not supported (scout fetches tokens \
                     with client credentials only)"
                ));
            }
            oauth2(
                get("accessTokenUrl"),
                get("clientId"),
                get("clientSecret"),
                &get("scope"),
                get("audience"),
            )
        }
        other => {
            return Auth::Unsupported(format!("Postman's {other} auth is not supported by scout"));
        }
    };
    Auth::Profile(profile)
}

/// An OAuth 2.0 client-credentials profile; `scope` is space-separated.
pub(in crate::import) fn oauth2(
    token_url: String,
    client_id: String,
    client_secret: String,
    scope: &str,
    audience: String,
) -> AuthProfile {
    AuthProfile::OAuth2ClientCredentials {
        token_url,
        client_id,
        client_secret,
        scopes: scope.split_whitespace().map(str::to_string).collect(),
        audience: (!audience.is_empty()).then_some(audience),
    }
}

/// One parameter of a Postman auth kind: from the v2.1 list of `{key, value}` or the v2.0 map.
fn postman_param(params: Option<&Value>, key: &str) -> String {
    let value = match params {
        Some(Value::Array(list)) => list
            .iter()
            .find(|p| p.get("key").and_then(Value::as_str) == Some(key))
            .and_then(|p| p.get("value")),
        Some(Value::Object(map)) => map.get(key),
        _ => None,
    };
    value.map(scalar).unwrap_or_default()
}

/// A JSON scalar as text (`8080`, `true`); `null` is empty, arrays and objects their JSON.
pub(in crate::import) fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
