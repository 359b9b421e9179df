//! Secrets met in an import, kept out of the collection: values become `{{env.NAME}}`
//! references ([`Secrets`]), credentials become auth profiles ([`Profiles`]), and the fields,
//! query parameters and headers whose names say they hold one are found here ([`is_secret_name`],
//! [`is_secret_header`]). Every importer uses these, so every format hides the same things.

use serde_json::Value;

use crate::collection::model::unique;
use crate::import::literal;
use crate::model::AuthProfile;

/// Secrets met in the input, each replaced by an `{{env.NAME}}` reference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Secrets {
    /// `.env` lines to add: the secrets the references name.
    pub found: Vec<(String, String)>,
    /// What the `.env` the collection will sit beside holds already: the same secret reuses its
    /// name, and a different one never takes a name in use (it would be sent in its place).
    known: Vec<(String, String)>,
}

impl Secrets {
    /// Secrets for an import beside a `.env` holding `known`.
    pub fn beside(known: &[(String, String)]) -> Secrets {
        Secrets {
            found: Vec::new(),
            known: known.to_vec(),
        }
    }

    /// `value` as a reference to an environment variable named from `hint` (`API_PASSWORD`);
    /// the value is kept for `.env`. An empty value, or one that is already a template, stays.
    pub fn hide(&mut self, hint: &str, value: &str) -> String {
        if value.is_empty() || value.contains("{{") {
            return value.to_string();
        }
        let mut all = self.known.iter().chain(&self.found);
        if let Some((name, _)) = all.find(|(_, v)| v == value) {
            return reference(name);
        }
        let base = env_name(hint);
        let taken = |n: &String| self.known.iter().chain(&self.found).any(|(t, _)| t == n);
        let name = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|n| !taken(n))
            .unwrap_or(base);
        self.found.push((name.clone(), value.to_string()));
        reference(&name)
    }
}

fn reference(name: &str) -> String {
    format!("{{{{env.{name}}}}}")
}

/// `api password` → `API_PASSWORD`.
fn env_name(hint: &str) -> String {
    let mut out = String::new();
    for c in hint.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        None => "SECRET".into(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        Some(_) => out,
    }
}

/// The reference a secret named from `hint` gets, for input that names a secret without holding
/// its value (an OpenAPI security scheme).
pub fn env_reference(hint: &str) -> String {
    reference(&env_name(hint))
}

/// Whether a header holds a secret: `Authorization`, `Proxy-Authorization`, `Cookie`,
/// `Set-Cookie`, or a name
/// [`is_secret_name`] takes for one (`X-Api-Key`, `X-Auth-Token`). Narrower than the redaction's
/// rule (any name with `key`), which would take `Idempotency-Key` for a secret.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ]
    .contains(&lower.as_str())
        || is_secret_name(&lower)
}

/// The collection's auth profiles, as they are added.
#[derive(Debug, Default)]
pub struct Profiles {
    pub list: Vec<(String, AuthProfile)>,
}

impl Profiles {
    /// The name of the profile (an identical one already added is reused), its secrets hidden
    /// as `{{env.NAME_FIELD}}` references. A value computed by an Insomnia template tag
    /// (`{% response … %}`) stays as written: it is no secret to keep, and is named elsewhere.
    pub fn add(&mut self, secrets: &mut Secrets, profile: AuthProfile) -> String {
        let taken: Vec<String> = self.list.iter().map(|(n, _)| n.clone()).collect();
        let name = unique(kind_of(&profile), |n| taken.iter().any(|t| t == n));
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
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "apikey",
        "api_key",
        "api-key",
        "credential",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Form fields with the values of secret fields hidden; with `escape`, the others are literal
/// text (escaped).
pub fn hide_fields(
    pairs: Vec<(String, String)>,
    secrets: &mut Secrets,
    escape: bool,
) -> Vec<(String, String)> {
    let keep = |s: &str| if escape { literal(s) } else { s.to_string() };
    pairs
        .into_iter()
        .map(|(k, v)| {
            let v = if is_secret_name(&k) {
                secrets.hide(&k, &v)
            } else {
                keep(&v)
            };
            (keep(&k), v)
        })
        .collect()
}

/// A JSON body with the string values of secret fields (at any depth) hidden; with `escape`,
/// the rest is literal text. The text is kept as written when no secret is met.
pub fn hide_json(text: &str, secrets: &mut Secrets, escape: bool) -> String {
    /// Hides in place; the references put in, to be left unescaped.
    fn walk(v: &mut Value, secrets: &mut Secrets, refs: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, secrets, refs)),
            Value::Object(fields) => {
                for (key, value) in fields.iter_mut() {
                    match value {
                        Value::String(s) if is_secret_name(key) => {
                            let hidden = secrets.hide(key, s);
                            if hidden != *s {
                                refs.push(hidden.clone());
                                *s = hidden;
                            }
                        }
                        other => walk(other, secrets, refs),
                    }
                }
            }
            _ => {}
        }
    }
    let mut refs = Vec::new();
    let mut written = text.to_string();
    if let Ok(mut doc) = serde_json::from_str::<Value>(text) {
        walk(&mut doc, secrets, &mut refs);
        if !refs.is_empty() {
            let pretty = text.trim().contains('\n');
            let again = if pretty {
                serde_json::to_string_pretty(&doc)
            } else {
                serde_json::to_string(&doc)
            };
            written = again.unwrap_or(written);
        }
    }
    if !escape {
        return written;
    }
    let mut out = literal(&written);
    for r in refs {
        out = out.replace(&literal(&r), &r);
    }
    out
}

/// A URL with the values of secret query parameters (`?api_key=…`) hidden, as they were
/// written (still encoded); with `escape`, the rest is literal text.
pub fn hide_query(url: &str, secrets: &mut Secrets, escape: bool) -> String {
    let keep = |s: &str| if escape { literal(s) } else { s.to_string() };
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    };
    let Some((base, query)) = before_fragment.split_once('?') else {
        return keep(url);
    };
    let mut out = keep(base);
    for (i, param) in query.split('&').enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        let name = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
        if is_secret_name(&name) && param.contains('=') {
            out.push_str(&keep(key));
            out.push('=');
            out.push_str(&secrets.hide(&name, value));
        } else {
            out.push_str(&keep(param));
        }
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&keep(f));
    }
    out
}

/// `Authorization: Bearer …` or `Basic …` as a profile; other schemes stay a header.
pub fn authorization_profile(value: &str) -> Option<AuthProfile> {
    use base64::Engine;
    let (scheme, rest) = value.trim().split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        let token = rest.to_string();
        return Some(AuthProfile::Bearer { token });
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())?;
        let (user, password) = decoded.split_once(':')?;
        let (username, password) = (user.to_string(), password.to_string());
        return Some(AuthProfile::Basic { username, password });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_become_env_references_named_from_the_hint() {
        let mut s = Secrets::default();
        assert_eq!(
            s.hide("basic password", "hunter2"),
            "{{env.BASIC_PASSWORD}}"
        );
        assert_eq!(
            s.hide("basic password", "other"),
            "{{env.BASIC_PASSWORD_2}}"
        );
        // The same secret twice is one variable.
        assert_eq!(s.hide("token", "hunter2"), "{{env.BASIC_PASSWORD}}");
        assert_eq!(s.hide("token", "{{token}}"), "{{token}}");
        assert_eq!(s.hide("token", ""), "");
        assert_eq!(s.hide("2fa", "x"), "{{env._2FA}}");
        assert_eq!(
            s.found,
            vec![
                ("BASIC_PASSWORD".to_string(), "hunter2".to_string()),
                ("BASIC_PASSWORD_2".to_string(), "other".to_string()),
                ("_2FA".to_string(), "x".to_string()),
            ]
        );
        assert_eq!(
            env_reference("petstore auth token"),
            "{{env.PETSTORE_AUTH_TOKEN}}"
        );
    }

    #[test]
    fn secret_headers_and_names() {
        for yes in [
            "Authorization",
            "cookie",
            "X-Api-Key",
            "X-Auth-Token",
            "client_secret",
        ] {
            assert!(is_secret_header(yes), "{yes}");
        }
        for no in ["Idempotency-Key", "X-Cache-Key", "Accept", "keyword"] {
            assert!(!is_secret_header(no), "{no}");
        }
        assert!(is_secret_name("db_pwd") && !is_secret_name("primaryKey"));
    }
}
