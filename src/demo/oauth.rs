//! `POST /oauth/token` and `GET /protected`: a small OAuth 2.0 authorization server for the
//! client-credentials grant (RFC 6749 §4.4) and a resource that accepts only its tokens
//! (RFC 6750).
//!
//! The one client is `scout` / `scout-secret`, authenticated in the form body or with HTTP Basic
//! (RFC 6749 §2.3.1). Tokens live [`DEFAULT_EXPIRES_IN`] seconds, or less with `?expires_in=N`, so
//! the app's refresh-before-expiry logic can be tested in seconds. Expiry uses tokio's clock, so a
//! test with paused time sees tokens expire without waiting.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::auth::{REALM, Recent, bearer_token, challenged, lock, parse_basic};
use super::respond::{ApiError, header_str, json_response_with};
use crate::model::random_token;

pub(super) const CLIENT_ID: &str = "scout";
pub(super) const CLIENT_SECRET: &str = "scout-secret";
/// Token lifetime without `?expires_in`, in seconds.
pub(super) const DEFAULT_EXPIRES_IN: u64 = 60;
const MAX_EXPIRES_IN: u64 = 3600;
/// The scopes a client may ask for; the first is granted when it asks for none.
const SCOPES: &[&str] = &["items:read", "items:write"];
/// How many tokens a server remembers (expired ones included, so they can be told apart from
/// made-up ones); older ones become unknown.
const MAX_TOKENS: usize = 1024;
const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// What an access token grants, until when.
#[derive(Debug, Clone)]
struct Grant {
    expires_at: Instant,
    scope: String,
    audience: Option<String>,
}

#[derive(Debug, Clone)]
struct Tokens(Arc<Mutex<Recent<String, Grant>>>);

/// Both endpoints over one token store: each [`super::router`] call has its own.
pub(super) fn routes() -> Router {
    let tokens = Tokens(Arc::new(Mutex::new(Recent::new(MAX_TOKENS))));
    Router::new()
        .route("/oauth/token", post(token))
        .route("/protected", get(protected))
        .with_state(tokens)
}

/// An RFC 6749 §5.2 error: `{"error": code, "error_description": description}`.
fn oauth_error(status: StatusCode, code: &str, description: impl Into<String>) -> ApiError {
    ApiError::new(status, code).with("error_description", description.into())
}

fn invalid_request(description: impl Into<String>) -> ApiError {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// 401 `invalid_client`; [`token`] adds the Basic challenge RFC 6749 §5.2 asks for.
fn invalid_client(description: &str) -> ApiError {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description)
}

async fn token(
    State(tokens): State<Tokens>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match issue(&tokens, query.as_deref(), &headers, &body) {
        Ok(response) => response,
        Err(error) if error.status == StatusCode::UNAUTHORIZED => {
            challenged(&format!("Basic realm=\"{REALM}\""), error)
        }
        Err(error) => error.into_response(),
    }
}

fn issue(
    tokens: &Tokens,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    let lifetime = expires_in(query)?;
    let form = token_form(headers, body)?;
    let param = |name: &str| form.get(name).and_then(Value::as_str);

    match param("grant_type") {
        None => return Err(invalid_request("missing grant_type")),
        Some("client_credentials") => {}
        Some(other) => {
            return Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {other} is not supported: use client_credentials"),
            ));
        }
    }

    let (client_id, client_secret) = client_credentials(headers, param)?;
    if client_id != CLIENT_ID || client_secret != CLIENT_SECRET {
        return Err(invalid_client("unknown client or wrong client secret"));
    }

    let scope = granted_scope(param("scope"))?;
    let access_token = random_token().map_err(|e| {
        oauth_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            format!("no token to issue: {e}"),
        )
    })?;
    lock(&tokens.0).insert(
        access_token.clone(),
        Grant {
            expires_at: Instant::now() + Duration::from_secs(lifetime),
            scope: scope.clone(),
            audience: param("audience").map(str::to_owned),
        },
    );

    // RFC 6749 §5.1: token responses are never cached.
    let mut no_cache = HeaderMap::new();
    no_cache.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    no_cache.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(json_response_with(
        StatusCode::OK,
        no_cache,
        &json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": scope,
        }),
    ))
}

/// `?expires_in=N` (1..=3600), else [`DEFAULT_EXPIRES_IN`].
fn expires_in(query: Option<&str>) -> Result<u64, ApiError> {
    let requested = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(name, _)| name == "expires_in")
        .map(|(_, value)| value.into_owned());
    match requested {
        None => Ok(DEFAULT_EXPIRES_IN),
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_EXPIRES_IN).contains(n))
            .ok_or_else(|| {
                invalid_request(format!(
                    "expires_in {raw:?} must be a whole number of seconds from 1 to \
                     {MAX_EXPIRES_IN}"
                ))
            }),
    }
}

/// The form body of a token request; RFC 6749 §3.2 forbids repeating a parameter.
fn token_form(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let media_type = header_str(headers, header::CONTENT_TYPE)
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    if !media_type.is_some_and(|t| t.eq_ignore_ascii_case(FORM_TYPE)) {
        return Err(invalid_request(format!(
            "the token request body must be {FORM_TYPE}"
        )));
    }
    let mut form = Map::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        if form.contains_key(name.as_ref()) {
            return Err(invalid_request(format!(
                "parameter {name} given more than once"
            )));
        }
        form.insert(name.into_owned(), Value::String(value.into_owned()));
    }
    Ok(form)
}

/// The client's id and secret, from HTTP Basic (each part form-urlencoded first, RFC 6749 §2.3.1)
/// or from the body; a client must use exactly one of the two.
fn client_credentials<'a>(
    headers: &HeaderMap,
    param: impl Fn(&str) -> Option<&'a str>,
) -> Result<(String, String), ApiError> {
    let in_body = param("client_secret").is_some();
    match header_str(headers, header::AUTHORIZATION) {
        Some(_) if in_body => Err(invalid_request(
            "client credentials given both with HTTP Basic and in the body: use one",
        )),
        Some(value) => {
            let (id, secret) = parse_basic(value).ok_or_else(|| {
                invalid_client("the Authorization header is not valid HTTP Basic")
            })?;
            Ok((form_decode(&id), form_decode(&secret)))
        }
        None => match (param("client_id"), param("client_secret")) {
            (Some(id), Some(secret)) => Ok((id.to_owned(), secret.to_owned())),
            _ => Err(invalid_client(
                "no client credentials: send client_id and client_secret in the body, or use \
                 HTTP Basic",
            )),
        },
    }
}

/// `application/x-www-form-urlencoded` decoding of one value: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The requested scope (space-separated) when every part is known, else the default one.
fn granted_scope(requested: Option<&str>) -> Result<String, ApiError> {
    let parts: Vec<&str> = requested.unwrap_or("").split_whitespace().collect();
    if let Some(unknown) = parts.iter().find(|p| !SCOPES.contains(p)) {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!(
                "unknown scope {unknown} (this server knows {})",
                SCOPES.join(", ")
            ),
        ));
    }
    Ok(if parts.is_empty() {
        SCOPES[0].to_owned()
    } else {
        parts.join(" ")
    })
}

/// `GET /protected`: only a live token from `/oauth/token` gets in.
async fn protected(State(tokens): State<Tokens>, headers: HeaderMap) -> Response {
    let Some(token) = bearer_token(&headers) else {
        // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
        return challenged(
            &format!("Bearer realm=\"{REALM}\""),
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "no Bearer token: get one from POST /oauth/token",
            ),
        );
    };
    let grant = lock(&tokens.0).get(&token).cloned();
    let now = Instant::now();
    let description = match grant {
        Some(grant) if grant.expires_at > now => {
            let remaining = grant.expires_at - now;
            return json_response_with(
                StatusCode::OK,
                HeaderMap::new(),
                &json!({
                    "authenticated": true,
                    "scope": grant.scope,
                    "audience": grant.audience,
                    "expires_in": remaining.as_millis().div_ceil(1000),
                }),
            );
        }
        Some(grant) => format!(
            "the access token expired {}s ago",
            (now - grant.expires_at).as_secs()
        ),
        None => "the access token is unknown to this server".to_owned(),
    };
    challenged(
        &format!(
            "Bearer realm=\"{REALM}\", error=\"invalid_token\", \
             error_description=\"{description}\""
        ),
        oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_bounded() {
        assert_eq!(expires_in(None), Ok(DEFAULT_EXPIRES_IN));
        assert_eq!(expires_in(Some("expires_in=1")), Ok(1));
        assert_eq!(expires_in(Some("x=1&expires_in=3600")), Ok(3600));
        for bad in [
            "expires_in=0",
            "expires_in=3601",
            "expires_in=1.5",
            "expires_in=",
        ] {
            assert!(expires_in(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_default_and_unknown_ones_are_refused() {
        assert_eq!(granted_scope(None).as_deref(), Ok("items:read"));
        assert_eq!(
            granted_scope(Some(" items:write  items:read ")).as_deref(),
            Ok("items:write items:read")
        );
        let err = granted_scope(Some("items:read admin")).unwrap_err();
        assert_eq!(err.body["error"], "invalid_scope");
        assert!(
            err.body["error_description"]
                .as_str()
                .unwrap()
                .contains("admin")
        );
    }

    #[test]
    fn basic_client_credentials_are_form_decoded() {
        assert_eq!(form_decode("scout"), "scout");
        assert_eq!(form_decode("a%3Ab+c"), "a:b c");
        assert_eq!(form_decode("x=y&z%2B"), "x=y&z+");
        assert_eq!(form_decode(""), "");
    }

    #[test]
    fn repeated_form_parameters_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(FORM_TYPE));
        assert!(token_form(&headers, b"a=1&b=2").is_ok());
        let err = token_form(&headers, b"a=1&a=2").unwrap_err();
        assert_eq!(err.body["error"], "invalid_request");
        assert!(token_form(&HeaderMap::new(), b"a=1").is_err());
    }
}
