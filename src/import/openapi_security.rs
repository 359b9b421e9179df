//! Security schemes → auth profiles named after the scheme, and security requirements → the
//! profile a collection or request uses. A specification holds no credentials, so every profile
//! refers to environment variables named after its scheme (`{{env.PETSTORE_AUTH_CLIENT_SECRET}}`).
//!
//! HTTP basic, bearer and digest, API keys in a header or the query, and OAuth 2's client
//! credentials flow (2.0's `application` flow) have a profile kind; other OAuth 2 flows,
//! OpenID Connect, mutual TLS and cookie API keys do not, and are named as dropped.

use super::Ctx;
use super::refs::Node;
use crate::import::ImportError;
use crate::model::settings::AuthChoice;
use crate::model::{AuthProfile, KeyLocation};

/// A profile for each scheme of `components.securitySchemes` (2.0: `securityDefinitions`).
pub fn profiles(
    ctx: &mut Ctx<'_>,
    schemes: Option<Node<'_>>,
) -> Result<Vec<(String, AuthProfile)>, ImportError> {
    let mut out = Vec::new();
    for (name, scheme) in schemes.into_iter().flat_map(Node::entries) {
        let scheme = ctx.refs.deref(scheme)?;
        if let Some(profile) = profile(ctx, name, scheme) {
            out.push((name.to_string(), profile));
        }
    }
    Ok(out)
}

fn profile(ctx: &mut Ctx<'_>, name: &str, scheme: Node<'_>) -> Option<AuthProfile> {
    let kind = scheme.str("type").unwrap_or_default();
    let mut env = |field: &str| ctx.secret(&format!("{name} {field}"), "");
    let profile = match kind {
        "basic" => AuthProfile::Basic {
            username: env("username"),
            password: env("password"),
        },
        "http" => match scheme
            .str("scheme")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "basic" => AuthProfile::Basic {
                username: env("username"),
                password: env("password"),
            },
            "bearer" => AuthProfile::Bearer {
                token: env("token"),
            },
            "digest" => AuthProfile::Digest {
                username: env("username"),
                password: env("password"),
            },
            other => {
                ctx.drop(format!(
                    "security scheme `{name}`: HTTP `{other}` authentication has no scout auth \
                     profile, dropped"
                ));
                return None;
            }
        },
        "apiKey" => {
            let location = match scheme.str("in") {
                Some("header") => KeyLocation::Header,
                Some("query") => KeyLocation::Query,
                other => {
                    ctx.drop(format!(
                        "security scheme `{name}`: an API key in {} is not supported (header or \
                         query only), dropped",
                        other.unwrap_or("an unnamed place")
                    ));
                    return None;
                }
            };
            let key_name = scheme.str("name").unwrap_or("X-API-Key").to_string();
            let field = if name.to_ascii_lowercase().contains("key") {
                ""
            } else {
                "key"
            };
            AuthProfile::ApiKey {
                name: key_name,
                value: env(field),
                location,
            }
        }
        "oauth2" => return oauth2(ctx, name, scheme),
        other => {
            ctx.drop(format!(
                "security scheme `{name}`: `{other}` has no scout auth profile, dropped"
            ));
            return None;
        }
    };
    Some(profile)
}

/// The client credentials flow, if the scheme has one.
fn oauth2(ctx: &mut Ctx<'_>, name: &str, scheme: Node<'_>) -> Option<AuthProfile> {
    // 3.x: `flows.clientCredentials`; 2.0: `flow: application` on the scheme itself.
    let flow = scheme
        .get("flows")
        .and_then(|f| f.get("clientCredentials"))
        .or_else(|| (scheme.str("flow") == Some("application")).then_some(scheme));
    let Some(flow) = flow else {
        let flows: Vec<&str> = match scheme.get("flows") {
            Some(f) => f.entries().map(|(k, _)| k).collect(),
            None => scheme.str("flow").into_iter().collect(),
        };
        ctx.drop(format!(
            "security scheme `{name}`: OAuth 2 flow {} is not supported (scout fetches tokens \
             with the client credentials flow only), dropped",
            flows.join(", ")
        ));
        return None;
    };
    let scopes = flow
        .get("scopes")
        .into_iter()
        .flat_map(Node::entries)
        .map(|(scope, _)| scope.to_string())
        .collect();
    Some(AuthProfile::OAuth2ClientCredentials {
        token_url: flow.str("tokenUrl").unwrap_or_default().to_string(),
        client_id: ctx.secret(&format!("{name} client id"), ""),
        client_secret: ctx.secret(&format!("{name} client secret"), ""),
        scopes,
        audience: None,
    })
}

/// The auth a `security` list asks for: the first requirement naming a scheme that became a
/// profile, `none` for an empty list or an empty (anonymous) first requirement. When no
/// requirement can be met by a profile, `none` too, said in a dropped line: inheriting the
/// collection's profile would send another scheme's credentials.
pub fn choice(
    ctx: &mut Ctx<'_>,
    where_: &str,
    security: Node<'_>,
    profiles: &[(String, AuthProfile)],
) -> Option<AuthChoice> {
    let requirements: Vec<Node<'_>> = security.items().collect();
    if requirements.is_empty() {
        return security.value.is_array().then_some(AuthChoice::None);
    }
    for requirement in requirements {
        let names: Vec<&str> = requirement.entries().map(|(k, _)| k).collect();
        if names.is_empty() {
            return Some(AuthChoice::None);
        }
        if let Some(name) = names.iter().find(|n| profiles.iter().any(|(p, _)| p == *n)) {
            if names.len() > 1 {
                ctx.drop(format!(
                    "{where_}: security requires {} together; a request sends one auth profile, \
                     `{name}` is used",
                    names.join(" and ")
                ));
            }
            return Some(AuthChoice::Profile(name.to_string()));
        }
    }
    ctx.drop(format!(
        "{where_}: none of its security schemes has a scout auth profile; it is sent without auth"
    ));
    Some(AuthChoice::None)
}
