//! Endpoints that need credentials, for the app's auth tests: `/basic-auth/{user}/{password}`,
//! `/bearer`, `/digest-auth/{qop}/{user}/{password}/{algorithm}` and `/api-key`. A failure is 401
//! with a `WWW-Authenticate` challenge and a JSON error saying what was wrong.
//!
//! Also home to what the OAuth endpoints (`oauth`) share with these: the 401 answer and
//! [`Recent`], the bounded memory of issued nonces and tokens.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use serde_json::json;

use super::digest::{Algorithm, Answer};
use super::respond::{ApiError, header_str, json_response};
use crate::model::{NoRandom, random_token};

/// The realm of every challenge the demo sends.
pub(super) const REALM: &str = "scout demo";
/// The one key `/api-key` accepts.
pub(super) const DEMO_API_KEY: &str = "demo-key";
const API_KEY_HEADER: &str = "x-api-key";
const API_KEY_PARAM: &str = "api_key";
/// How many digest nonces a server remembers; older ones fail like made-up ones.
const MAX_NONCES: usize = 1024;

pub(super) async fn basic(
    Path((user, password)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match basic_credentials(&headers) {
        Some((given_user, given_password)) if given_user == user && given_password == password => {
            json_response(
                StatusCode::OK,
                &json!({"authenticated": true, "user": user}),
            )
        }
        Some(_) => unauthorized(&basic_challenge(), "wrong user or password"),
        None => unauthorized(
            &basic_challenge(),
            "missing or malformed Basic Authorization header",
        ),
    }
}

pub(super) async fn bearer(headers: HeaderMap) -> Response {
    match bearer_token(&headers) {
        Some(token) => json_response(
            StatusCode::OK,
            &json!({"authenticated": true, "token": token}),
        ),
        None => unauthorized(
            &format!("Bearer realm=\"{REALM}\""),
            "missing or empty Bearer Authorization header",
        ),
    }
}

/// `GET /api-key`: the key [`DEMO_API_KEY`] in an `X-Api-Key` header or an `api_key` query
/// parameter (the header is looked at first).
pub(super) async fn api_key(headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let from_header = header_str(&headers, HeaderName::from_static(API_KEY_HEADER));
    let from_query = url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(name, _)| name == API_KEY_PARAM)
        .map(|(_, value)| value.into_owned());
    let via = if from_header == Some(DEMO_API_KEY) {
        "header"
    } else if from_query.as_deref() == Some(DEMO_API_KEY) {
        "query"
    } else {
        let message = match (from_header, &from_query) {
            (None, None) => {
                "no API key: looked for an X-Api-Key header and an api_key query \
                             parameter"
            }
            (Some(_), None) => "wrong API key in the X-Api-Key header",
            (None, Some(_)) => "wrong API key in the api_key query parameter",
            (Some(_), Some(_)) => {
                "wrong API key in both the X-Api-Key header and the api_key query parameter"
            }
        };
        let error = ApiError::new(StatusCode::UNAUTHORIZED, message)
            .with("looked_in", json!(["header X-Api-Key", "query api_key"]));
        return challenged(
            &format!("ApiKey realm=\"{REALM}\", header=\"X-Api-Key\", query=\"api_key\""),
            error,
        );
    };
    json_response(StatusCode::OK, &json!({"authenticated": true, "via": via}))
}

/// What `/digest-auth` remembers: the nonces it issued (so a made-up one fails) and its opaque.
#[derive(Debug, Clone)]
struct DigestState {
    opaque: Arc<str>,
    nonces: Arc<Mutex<Recent<String, ()>>>,
}

/// `/digest-auth/…`, with its own nonce memory: each [`super::router`] call has its own.
pub(super) fn digest_routes() -> Router {
    let state = DigestState {
        // Echoed back by the client, not a secret (RFC 7616 §3.3): any value serves should the
        // generator fail.
        opaque: random_token()
            .unwrap_or_else(|_| "scout-demo".into())
            .into(),
        nonces: Arc::new(Mutex::new(Recent::new(MAX_NONCES))),
    };
    Router::new()
        .route(
            "/digest-auth/{qop}/{user}/{password}/{algorithm}",
            get(digest_auth),
        )
        .with_state(state)
}

/// `GET /digest-auth/{qop}/{user}/{password}/{algorithm}`: 401 with a fresh challenge until the
/// request carries a Digest answer to one of this server's nonces, computed with that password.
async fn digest_auth(
    State(state): State<DigestState>,
    Path((qop, user, password, algorithm)): Path<(String, String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !qop.eq_ignore_ascii_case("auth") {
        return ApiError::bad_request(format!(
            "unsupported qop {qop:?}: the demo speaks qop=auth only"
        ))
        .into_response();
    }
    let algorithm = match Algorithm::parse(&algorithm) {
        Some(a) => a,
        None => {
            return ApiError::bad_request(format!(
                "unsupported algorithm {algorithm:?}: use MD5 or SHA-256"
            ))
            .into_response();
        }
    };
    let request_target = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let problem = match header_str(&headers, header::AUTHORIZATION) {
        None => "missing Digest Authorization header".to_owned(),
        Some(value) => match Answer::parse(value) {
            Err(e) => format!("malformed Digest Authorization header: {e}"),
            Ok(answer) => {
                let expected = Expected {
                    method: &method,
                    request_target,
                    user: &user,
                    password: &password,
                    algorithm,
                };
                match state.check(&answer, &expected) {
                    Ok(()) => {
                        return json_response(
                            StatusCode::OK,
                            &json!({"authenticated": true, "user": user}),
                        );
                    }
                    Err(problem) => problem,
                }
            }
        },
    };
    match state.challenge(algorithm) {
        Ok(challenge) => unauthorized(&challenge, &problem),
        Err(e) => ApiError::internal(format!("no nonce to challenge with: {e}")).into_response(),
    }
}

/// What a valid answer to one `/digest-auth` request must match.
struct Expected<'a> {
    method: &'a Method,
    request_target: &'a str,
    user: &'a str,
    password: &'a str,
    algorithm: Algorithm,
}

impl DigestState {
    /// A `WWW-Authenticate` value with a nonce this server will remember.
    fn challenge(&self, algorithm: Algorithm) -> Result<String, NoRandom> {
        let nonce = random_token()?;
        lock(&self.nonces).insert(nonce.clone(), ());
        Ok(format!(
            "Digest realm=\"{REALM}\", qop=\"auth\", algorithm={}, nonce=\"{nonce}\", \
             opaque=\"{}\"",
            algorithm.name(),
            self.opaque
        ))
    }

    /// `Err` says what is wrong with the answer.
    fn check(&self, answer: &Answer, expected: &Expected) -> Result<(), String> {
        if answer.realm != REALM {
            return Err(format!(
                "wrong realm {:?} (expected {REALM:?})",
                answer.realm
            ));
        }
        if Algorithm::parse(&answer.algorithm) != Some(expected.algorithm) {
            return Err(format!(
                "answered with algorithm {}, but this endpoint asked for {}",
                answer.algorithm,
                expected.algorithm.name()
            ));
        }
        if !answer
            .qop
            .as_deref()
            .is_some_and(|q| q.eq_ignore_ascii_case("auth"))
        {
            return Err("the answer must use qop=auth".to_owned());
        }
        if answer.uri != expected.request_target {
            return Err(format!(
                "the answer's uri {:?} is not this request's {:?}",
                answer.uri, expected.request_target
            ));
        }
        if lock(&self.nonces).get(&answer.nonce).is_none() {
            return Err("unknown nonce: answer a challenge issued by this server".to_owned());
        }
        if answer.opaque.as_deref() != Some(&*self.opaque) {
            return Err("missing or wrong opaque: send back the challenge's value".to_owned());
        }
        let right_response = answer
            .expected_response(
                expected.algorithm,
                expected.method.as_str(),
                expected.password,
            )
            .eq_ignore_ascii_case(&answer.response);
        if answer.username != expected.user || !right_response {
            return Err("wrong user or password".to_owned());
        }
        Ok(())
    }
}

fn basic_challenge() -> String {
    format!("Basic realm=\"{REALM}\"")
}

/// 401 with a `WWW-Authenticate` challenge and `{"error": message}`.
fn unauthorized(challenge: &str, message: &str) -> Response {
    challenged(challenge, ApiError::new(StatusCode::UNAUTHORIZED, message))
}

/// `error` as a response, with a `WWW-Authenticate` challenge. The demo builds its challenges from
/// fixed text and hex tokens, so the header value is always valid.
pub(super) fn challenged(challenge: &str, error: ApiError) -> Response {
    let mut response = error.into_response();
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// `Authorization: Basic base64(user:password)` → `(user, password)`.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    parse_basic(header_str(headers, header::AUTHORIZATION)?)
}

/// `(user, password)` from a Basic `Authorization` value (RFC 7617), or `None` when the scheme is
/// not Basic, the base64 or UTF-8 is malformed, or there is no colon. The password keeps its
/// colons; the user name ends at the first one.
pub(crate) fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (user, password) = String::from_utf8(decoded)
        .ok()?
        .split_once(':')
        .map(|(u, p)| (u.to_owned(), p.to_owned()))?;
    Some((user, password))
}

/// `Authorization: Bearer <token>` → the (non-empty) token.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = header_str(headers, header::AUTHORIZATION)?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Locks demo state. No handler panics while holding a lock and the state is valid after any
/// completed statement, so a poisoned lock is still safe to use.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A map that keeps only its newest `capacity` entries: the demo's nonces and tokens, bounded so a
/// client looping on 401s cannot grow the server without end.
#[derive(Debug)]
pub(super) struct Recent<K, V> {
    capacity: usize,
    order: VecDeque<K>,
    entries: HashMap<K, V>,
}

impl<K: Eq + Hash + Clone, V> Recent<K, V> {
    pub(super) fn new(capacity: usize) -> Self {
        Recent {
            capacity,
            order: VecDeque::new(),
            entries: HashMap::new(),
        }
    }

    /// Adds or replaces an entry; past capacity, the oldest entry is forgotten.
    pub(super) fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.entries.remove(&oldest);
            }
        }
    }

    pub(super) fn get(&self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn credentials_are_read_from_authorization() {
        assert_eq!(
            basic_credentials(&with_authorization("Basic dXNlcjpwYXNz")),
            Some(("user".into(), "pass".into()))
        );
        assert_eq!(
            basic_credentials(&with_authorization("Bearer dXNlcjpwYXNz")),
            None
        );
        assert_eq!(basic_credentials(&HeaderMap::new()), None);
        assert_eq!(
            bearer_token(&with_authorization("bearer abc.def")).as_deref(),
            Some("abc.def")
        );
        assert_eq!(bearer_token(&with_authorization("Bearer  ")), None);
        assert_eq!(bearer_token(&with_authorization("Basic abc")), None);
    }

    #[test]
    fn recent_forgets_the_oldest_past_capacity() {
        let mut recent = Recent::new(2);
        recent.insert("a", 1);
        recent.insert("b", 2);
        recent.insert("a", 10); // replacing does not make room
        recent.insert("c", 3);
        assert_eq!(recent.get(&"a"), None);
        assert_eq!(recent.get(&"b"), Some(&2));
        assert_eq!(recent.get(&"c"), Some(&3));
    }

    #[test]
    fn the_digest_check_names_what_is_wrong() {
        let state = DigestState {
            opaque: "op".into(),
            nonces: Arc::new(Mutex::new(Recent::new(4))),
        };
        let challenge = state.challenge(Algorithm::Sha256).unwrap();
        let nonce = challenge
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let mut answer = Answer {
            username: "u".into(),
            realm: REALM.into(),
            nonce,
            uri: "/x?y=1".into(),
            algorithm: "SHA-256".into(),
            qop: Some("auth".into()),
            nc: Some("00000001".into()),
            cnonce: Some("c".into()),
            opaque: Some("op".into()),
            response: String::new(),
        };
        answer.response = answer.expected_response(Algorithm::Sha256, "GET", "p");
        let expected = Expected {
            method: &Method::GET,
            request_target: "/x?y=1",
            user: "u",
            password: "p",
            algorithm: Algorithm::Sha256,
        };
        assert_eq!(state.check(&answer, &expected), Ok(()));
        let wrong = Expected {
            password: "q",
            ..expected
        };
        assert_eq!(
            state.check(&answer, &wrong),
            Err("wrong user or password".into())
        );
        let stale = Answer {
            nonce: "made-up".into(),
            ..answer.clone()
        };
        assert!(
            state
                .check(&stale, &expected)
                .unwrap_err()
                .contains("unknown nonce")
        );
        let md5 = Answer {
            algorithm: "MD5".into(),
            ..answer
        };
        assert!(
            state
                .check(&md5, &expected)
                .unwrap_err()
                .contains("asked for SHA-256")
        );
    }
}
