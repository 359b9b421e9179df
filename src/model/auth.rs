//! Auth profiles: the `[auth.NAME]` tables of a collection, as written ([`AuthProfile`], every
//! string a template) and once resolved ([`ResolvedAuth`], ready to put on the wire).
//!
//! ```toml
//! [auth.ci]
//! kind = "basic"            # basic | bearer | api-key | digest | oauth2-client-credentials
//! username = "user"
//! password = "{{env.CI_PASSWORD}}"
//! ```
//!
//! Resolving (`{{env.X}}`, `{{prompt}}`, `{{var}}`) is the caller's: [`AuthProfile::resolve`] runs
//! every string field through the caller's function. A resolved profile knows its secret values
//! ([`ResolvedAuth::secrets`], for redaction by value) and how to describe itself without them
//! ([`ResolvedAuth::preview`], for the editor's Auth tab).

use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

use base64::Engine;
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// A resolved `oauth2-client-credentials` profile. `Debug` redacts the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuth2Params {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: Vec<String>,
    pub audience: Option<String>,
}

impl OAuth2Params {
    /// What the cached token is filed under. Scopes are compared as a set.
    pub fn key(&self) -> TokenKey {
        let mut scopes = self.scopes.clone();
        scopes.sort();
        scopes.dedup();
        TokenKey {
            token_url: self.token_url.clone(),
            client_id: self.client_id.clone(),
            scopes,
            audience: self.audience.clone(),
        }
    }
}

impl fmt::Debug for OAuth2Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Params")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(redacted)")
            .field("scopes", &self.scopes)
            .field("audience", &self.audience)
            .finish()
    }
}

/// Which token: one per token URL, client, set of scopes and audience.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey {
    pub token_url: String,
    pub client_id: String,
    /// Sorted, without duplicates.
    pub scopes: Vec<String>,
    pub audience: Option<String>,
}

/// What the Auth tab shows about a profile's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    NotFetched,
    Fetching,
    /// A token is cached; `until` is when it expires (`None`: the server gave no `expires_in`, so
    /// it is used until a request is refused with 401).
    Valid {
        until: Option<SystemTime>,
    },
    /// The last fetch failed, with this message.
    Failed(String),
}

/// The state of every token the worker holds, as it last reported it (for the Auth tab).
pub type TokenStates = BTreeMap<TokenKey, TokenState>;

/// The `Authorization` value for Basic credentials (RFC 7617: UTF-8, then base64). RFC 7617
/// forbids a colon in the user name (the server splits at the first one); that is the caller's
/// to check.
///
/// ```
/// assert_eq!(scout::model::basic_header("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
/// ```
pub fn basic_header(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// Every `kind` a profile can have, in the order the docs list them.
pub const KINDS: [&str; 5] = [
    "basic",
    "bearer",
    "api-key",
    "digest",
    "oauth2-client-credentials",
];

/// Where an API key goes: `in = "header"` (the default) or `in = "query"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyLocation {
    #[default]
    Header,
    Query,
}

/// One `[auth.NAME]` table as written: every string is a template, resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthProfile {
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        location: KeyLocation,
    },
    Digest {
        username: String,
        password: String,
    },
    OAuth2ClientCredentials {
        token_url: String,
        client_id: String,
        client_secret: String,
        scopes: Vec<String>,
        audience: Option<String>,
    },
}

/// The table's shape once its `kind` is known; `AuthProfile`'s `Deserialize` checks `kind` first
/// so that a missing or unknown one gets a message listing every kind.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
enum Table {
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        #[serde(default, rename = "in")]
        location: KeyLocation,
    },
    Digest {
        username: String,
        password: String,
    },
    #[serde(rename = "oauth2-client-credentials")]
    OAuth2ClientCredentials {
        token_url: String,
        client_id: String,
        client_secret: String,
        #[serde(default)]
        scopes: Vec<String>,
        #[serde(default)]
        audience: Option<String>,
    },
}

impl<'de> Deserialize<'de> for AuthProfile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let table = toml::Table::deserialize(deserializer)?;
        let kind = match table.get("kind") {
            None => {
                return Err(de::Error::custom(format!(
                    "an auth profile needs a `kind`: one of {}",
                    KINDS.join(", ")
                )));
            }
            Some(toml::Value::String(kind)) if KINDS.contains(&kind.as_str()) => kind.clone(),
            Some(toml::Value::String(kind)) => {
                return Err(de::Error::custom(format!(
                    "unknown auth kind {kind:?}: use one of {}",
                    KINDS.join(", ")
                )));
            }
            Some(other) => {
                return Err(de::Error::custom(format!(
                    "the auth `kind` must be a string (one of {}), not a {}",
                    KINDS.join(", "),
                    other.type_str()
                )));
            }
        };
        let table = Table::deserialize(toml::Value::Table(table))
            .map_err(|e| de::Error::custom(format!("{kind} auth profile: {}", e.message())))?;
        Ok(match table {
            Table::Basic { username, password } => AuthProfile::Basic { username, password },
            Table::Bearer { token } => AuthProfile::Bearer { token },
            Table::ApiKey {
                name,
                value,
                location,
            } => AuthProfile::ApiKey {
                name,
                value,
                location,
            },
            Table::Digest { username, password } => AuthProfile::Digest { username, password },
            Table::OAuth2ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scopes,
                audience,
            } => AuthProfile::OAuth2ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scopes,
                audience,
            },
        })
    }
}

impl AuthProfile {
    /// The `[auth.NAME]` table that reads back as this profile.
    pub fn to_toml_table(&self) -> toml_edit::Table {
        let mut t = toml_edit::Table::new();
        t.insert("kind", toml_edit::value(self.kind_name()));
        let mut put = |k: &str, v: &str| {
            t.insert(k, toml_edit::value(v));
        };
        match self {
            AuthProfile::Basic { username, password }
            | AuthProfile::Digest { username, password } => {
                put("username", username);
                put("password", password);
            }
            AuthProfile::Bearer { token } => put("token", token),
            AuthProfile::ApiKey {
                name,
                value,
                location,
            } => {
                put("name", name);
                put("value", value);
                if *location == KeyLocation::Query {
                    put("in", "query");
                }
            }
            AuthProfile::OAuth2ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scopes,
                audience,
            } => {
                put("token_url", token_url);
                put("client_id", client_id);
                put("client_secret", client_secret);
                if let Some(a) = audience {
                    put("audience", a);
                }
                if !scopes.is_empty() {
                    let list: toml_edit::Array = scopes.iter().map(String::as_str).collect();
                    t.insert("scopes", toml_edit::value(list));
                }
            }
        }
        t
    }

    /// `basic`, `bearer`, `api-key`, `digest` or `oauth2-client-credentials`: the `kind` written.
    pub fn kind_name(&self) -> &'static str {
        match self {
            AuthProfile::Basic { .. } => KINDS[0],
            AuthProfile::Bearer { .. } => KINDS[1],
            AuthProfile::ApiKey { .. } => KINDS[2],
            AuthProfile::Digest { .. } => KINDS[3],
            AuthProfile::OAuth2ClientCredentials { .. } => KINDS[4],
        }
    }

    /// The profile with every string field (scopes and audience included) run through `resolve`,
    /// which is told the field's name (`password`) and expands its templates; the first error
    /// stops it.
    pub fn resolve<E>(
        &self,
        mut resolve: impl FnMut(&str, &str) -> Result<String, E>,
    ) -> Result<ResolvedAuth, E> {
        Ok(match self {
            AuthProfile::Basic { username, password } => ResolvedAuth::Basic {
                username: resolve("username", username)?,
                password: resolve("password", password)?,
            },
            AuthProfile::Bearer { token } => ResolvedAuth::Bearer {
                token: resolve("token", token)?,
            },
            AuthProfile::ApiKey {
                name,
                value,
                location,
            } => ResolvedAuth::ApiKey {
                name: resolve("name", name)?,
                value: resolve("value", value)?,
                location: *location,
            },
            AuthProfile::Digest { username, password } => ResolvedAuth::Digest {
                username: resolve("username", username)?,
                password: resolve("password", password)?,
            },
            AuthProfile::OAuth2ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scopes,
                audience,
            } => ResolvedAuth::OAuth2(OAuth2Params {
                token_url: resolve("token_url", token_url)?,
                client_id: resolve("client_id", client_id)?,
                client_secret: resolve("client_secret", client_secret)?,
                scopes: scopes
                    .iter()
                    .map(|s| resolve("scopes", s))
                    .collect::<Result<_, E>>()?,
                audience: audience
                    .as_deref()
                    .map(|a| resolve("audience", a))
                    .transpose()?,
            }),
        })
    }
}

/// A profile with its templates expanded: the values that go on the wire. `Debug` redacts the
/// secrets, so a stray `{:?}` cannot leak them into a log.
#[derive(Clone, PartialEq, Eq)]
pub enum ResolvedAuth {
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        location: KeyLocation,
    },
    Digest {
        username: String,
        password: String,
    },
    OAuth2(OAuth2Params),
}

impl ResolvedAuth {
    /// This profile written back as one, its values the resolved ones (the copy menu's
    /// "as sent").
    pub fn to_profile(&self) -> AuthProfile {
        match self.clone() {
            ResolvedAuth::Basic { username, password } => AuthProfile::Basic { username, password },
            ResolvedAuth::Bearer { token } => AuthProfile::Bearer { token },
            ResolvedAuth::ApiKey {
                name,
                value,
                location,
            } => AuthProfile::ApiKey {
                name,
                value,
                location,
            },
            ResolvedAuth::Digest { username, password } => {
                AuthProfile::Digest { username, password }
            }
            ResolvedAuth::OAuth2(p) => AuthProfile::OAuth2ClientCredentials {
                token_url: p.token_url,
                client_id: p.client_id,
                client_secret: p.client_secret,
                scopes: p.scopes,
                audience: p.audience,
            },
        }
    }

    /// The `kind` this profile was written with.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ResolvedAuth::Basic { .. } => KINDS[0],
            ResolvedAuth::Bearer { .. } => KINDS[1],
            ResolvedAuth::ApiKey { .. } => KINDS[2],
            ResolvedAuth::Digest { .. } => KINDS[3],
            ResolvedAuth::OAuth2(_) => KINDS[4],
        }
    }

    /// Every secret value this profile can put on the wire, for redaction by value: passwords,
    /// tokens, the API key, the client secret, and the computed Basic credential. Empty values are left out (redacting "" would
    /// redact everything). The redactor adds each value's encoded forms (query, JSON).
    pub fn secrets(&self) -> Vec<String> {
        let mut out = match self {
            ResolvedAuth::Basic { username, password } => {
                let header = basic_header(username, password);
                let credential = header.trim_start_matches("Basic ").to_owned();
                vec![password.clone(), credential]
            }
            ResolvedAuth::Bearer { token } => vec![token.clone()],
            ResolvedAuth::ApiKey { value, .. } => vec![value.clone()],
            ResolvedAuth::Digest { password, .. } => vec![password.clone()],
            ResolvedAuth::OAuth2(params) => vec![params.client_secret.clone()],
        };
        out.retain(|s| !s.is_empty());
        out.dedup();
        out
    }

    /// What this profile adds to a request, secrets redacted: the lines of the editor's Auth tab.
    /// OAuth2 shows the token's state in `tokens` (valid until …, fetching, failed: …) at `now`.
    pub fn preview(&self, tokens: &TokenStates, now: SystemTime) -> Vec<String> {
        let line = match self {
            ResolvedAuth::Basic { username, .. } => {
                format!("Authorization: Basic (redacted) — user {username:?}")
            }
            ResolvedAuth::Bearer { token } => {
                format!("Authorization: Bearer {}", redacted(token))
            }
            ResolvedAuth::ApiKey {
                name,
                value,
                location: KeyLocation::Header,
            } => format!("{name}: {}", redacted(value)),
            ResolvedAuth::ApiKey {
                name,
                value,
                location: KeyLocation::Query,
            } => format!("query {name}={}", redacted(value)),
            ResolvedAuth::Digest { username, .. } => format!(
                "Authorization: Digest … (computed from the server's challenge) — user {username:?}"
            ),
            ResolvedAuth::OAuth2(params) => {
                let state = match tokens
                    .get(&params.key())
                    .cloned()
                    .unwrap_or(TokenState::NotFetched)
                {
                    TokenState::NotFetched => "not fetched yet".to_owned(),
                    TokenState::Fetching => "fetching".to_owned(),
                    TokenState::Valid { until: None } => "valid, no expiry given".to_owned(),
                    TokenState::Valid { until: Some(until) } if until > now => {
                        format!("valid until {}", utc_time(until))
                    }
                    TokenState::Valid { until: Some(until) } => format!(
                        "expired at {}, a new one is fetched on send",
                        utc_time(until)
                    ),
                    TokenState::Failed(error) => format!("failed: {error}"),
                };
                format!(
                    "Authorization: Bearer (token from {}: {state})",
                    params.token_url
                )
            }
        };
        vec![line]
    }
}

impl fmt::Debug for ResolvedAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedAuth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"(redacted)")
                .finish(),
            ResolvedAuth::Bearer { .. } => f
                .debug_struct("Bearer")
                .field("token", &"(redacted)")
                .finish(),
            ResolvedAuth::ApiKey { name, location, .. } => f
                .debug_struct("ApiKey")
                .field("name", name)
                .field("value", &"(redacted)")
                .field("location", location)
                .finish(),
            ResolvedAuth::Digest { username, .. } => f
                .debug_struct("Digest")
                .field("username", username)
                .field("password", &"(redacted)")
                .finish(),
            ResolvedAuth::OAuth2(params) => f.debug_tuple("OAuth2").field(params).finish(),
        }
    }
}

/// A secret as the Auth tab shows it: its first two characters when it is long enough (8 or more)
/// for that to give nothing away, then `…(redacted)`.
pub fn redacted(secret: &str) -> String {
    if secret.chars().count() >= 8 {
        let start: String = secret.chars().take(2).collect();
        format!("{start}…(redacted)")
    } else {
        "(redacted)".to_owned()
    }
}

/// `HH:MM:SS UTC` of a point in time (the day is left out: tokens live minutes to hours).
fn utc_time(t: SystemTime) -> String {
    crate::model::format::utc_time(crate::model::format::wall_ms(t))
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
