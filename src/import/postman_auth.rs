//! Auth for the Postman and Insomnia importers: each tool's auth object read as what scout can do
//! with it ([`Auth`]); the profiles they become are kept in [`Profiles`](crate::import::secrets::Profiles), one per distinct set of
//! credentials, named by kind (`bearer`, `bearer-2`…), secrets replaced by `{{env.…}}` references.

use serde_json::Value;

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
