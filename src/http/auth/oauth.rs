//! OAuth 2.0 client credentials (RFC 6749 §4.4): fetching access tokens and keeping them in memory.
//!
//! [`TokenCache`] holds one token per [`TokenKey`] (token URL, client id, scopes, audience) and
//! hands it out until shortly before it expires: the refresh margin is a tenth of the token's
//! lifetime, at most 30 s ([`refresh_margin`]). Concurrent callers needing a new token wait for a
//! single fetch and share its outcome. Tokens are never written anywhere: the cache lives for the
//! run.
//!
//! A failed refresh is a failure even while the old token has not quite expired: the Auth tab
//! shows it, and the next send tries again.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;
use url::Url;

use crate::http::error::last_cause;
use crate::model::{OAuth2Params, TokenKey, TokenState, TokenStates};

/// The most a token request may take, answer included.
pub const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A token is refreshed this long before it expires, or a tenth of its lifetime when shorter.
pub const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(30);
/// How much of a non-JSON error answer is quoted in a message.
const QUOTE_CHARS: usize = 200;

/// How long before expiry a token of this lifetime is replaced: `min(30 s, lifetime / 10)`.
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(MAX_REFRESH_MARGIN)
}

/// Why no token could be had. Each message names the server's answer or the transport's cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("the token URL {url:?} is not usable: {reason}")]
    InvalidTokenUrl { url: String, reason: String },
    #[error("could not reach the token endpoint {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the token endpoint {url} did not answer within {} s", TOKEN_REQUEST_TIMEOUT.as_secs())]
    Timeout { url: String },
    #[error("the token endpoint answered {status}: {detail}")]
    Rejected { status: u16, detail: String },
    #[error("the token endpoint answered {status} {problem}")]
    BadAnswer { status: u16, problem: String },
}

/// OAuth2 access tokens for this run, in memory only. Cloning shares the cache. Whoever owns it
/// (the worker) hears of every change through [`TokenCache::observed`] and passes snapshots on:
/// nothing outside reads the cache itself.
#[derive(Clone, Default)]
pub struct TokenCache {
    inner: Arc<Mutex<Inner>>,
    observer: Option<Observer>,
}

/// Called with every token's state after any of them changes.
type Observer = Arc<dyn Fn(TokenStates) + Send + Sync>;

#[derive(Default)]
struct Inner {
    entries: HashMap<TokenKey, Entry>,
    fetches: u64,
}

#[derive(Default)]
struct Entry {
    token: Option<Token>,
    failed: Option<AuthError>,
    fetching: bool,
    /// Counts finished fetches, so a caller that waited for `gate` knows one happened meanwhile.
    generation: u64,
    /// Held while fetching: one fetch per key at a time.
    gate: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Clone)]
struct Token {
    value: String,
    until: Option<SystemTime>,
    refresh_at: Option<SystemTime>,
}

impl Token {
    /// A token from an answer to a request sent at `sent_at` (the conservative start of its life).
    fn new(answer: TokenAnswer, sent_at: SystemTime) -> Token {
        let until = answer.expires_in.and_then(|life| sent_at.checked_add(life));
        let refresh_at = answer
            .expires_in
            .and_then(|life| sent_at.checked_add(life - refresh_margin(life)));
        Token {
            value: answer.access_token,
            until,
            refresh_at,
        }
    }

    fn fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

impl TokenCache {
    pub fn new() -> TokenCache {
        TokenCache::default()
    }

    /// A cache that calls `observer` with a snapshot of every token's state each time one changes
    /// (a fetch starts or ends, a token is dropped).
    pub fn observed(observer: impl Fn(TokenStates) + Send + Sync + 'static) -> TokenCache {
        TokenCache {
            observer: Some(Arc::new(observer)),
            ..TokenCache::default()
        }
    }

    /// Every token's state now.
    pub fn snapshot(&self) -> TokenStates {
        let keys: Vec<TokenKey> = self.lock().entries.keys().cloned().collect();
        keys.into_iter()
            .map(|key| {
                let state = self.state(&key);
                (key, state)
            })
            .collect()
    }

    fn changed(&self) {
        if let Some(observer) = &self.observer {
            observer(self.snapshot());
        }
    }

    /// An access token for `params`: the cached one unless it is within the refresh margin of
    /// expiring (by `now`), else a fresh one from the token endpoint. While one caller fetches,
    /// others asking for the same key wait and get the same token (or the same error).
    pub async fn bearer(
        &self,
        client: &reqwest::Client,
        params: &OAuth2Params,
        now: impl Fn() -> SystemTime,
    ) -> Result<String, AuthError> {
        let key = params.key();
        let (gate, seen) = {
            let mut inner = self.lock();
            let entry = inner.entries.entry(key.clone()).or_default();
            if let Some(token) = entry.token.as_ref().filter(|t| t.fresh(now())) {
                return Ok(token.value.clone());
            }
            (Arc::clone(&entry.gate), entry.generation)
        };
        let _turn = gate.lock().await;
        {
            let mut inner = self.lock();
            let entry = inner.entries.entry(key.clone()).or_default();
            if entry.generation != seen {
                // Another caller fetched while this one waited: share its outcome.
                if let Some(token) = entry.token.as_ref().filter(|t| t.fresh(now())) {
                    return Ok(token.value.clone());
                }
                if let Some(error) = &entry.failed {
                    return Err(error.clone());
                }
            }
            entry.fetching = true;
            inner.fetches += 1;
        }
        self.changed();
        let mut pending = Pending {
            cache: self,
            key: &key,
            finished: false,
        };
        let sent_at = now();
        let outcome = fetch(client, params).await;
        pending.finished = true;

        let result = {
            let mut inner = self.lock();
            let entry = inner.entries.entry(key.clone()).or_default();
            entry.fetching = false;
            entry.generation += 1;
            match outcome {
                Ok(answer) => {
                    let token = Token::new(answer, sent_at);
                    let value = token.value.clone();
                    entry.token = Some(token);
                    entry.failed = None;
                    Ok(value)
                }
                Err(error) => {
                    entry.token = None;
                    entry.failed = Some(error.clone());
                    Err(error)
                }
            }
        };
        self.changed();
        result
    }

    /// Forgets the token for `key`: the next [`TokenCache::bearer`] fetches a new one.
    pub fn invalidate(&self, key: &TokenKey) {
        if let Some(entry) = self.lock().entries.get_mut(key) {
            entry.token = None;
        }
        self.changed();
    }

    /// Forgets the token for `key` only if it is still `rejected`: after a 401, so that a token
    /// another request has fetched meanwhile is kept.
    pub fn invalidate_token(&self, key: &TokenKey, rejected: &str) {
        if let Some(entry) = self.lock().entries.get_mut(key)
            && entry.token.as_ref().is_some_and(|t| t.value == rejected)
        {
            entry.token = None;
        }
        self.changed();
    }

    /// The token's state for the Auth tab.
    pub fn state(&self, key: &TokenKey) -> TokenState {
        let inner = self.lock();
        let Some(entry) = inner.entries.get(key) else {
            return TokenState::NotFetched;
        };
        if entry.fetching {
            TokenState::Fetching
        } else if let Some(token) = &entry.token {
            TokenState::Valid { until: token.until }
        } else if let Some(error) = &entry.failed {
            TokenState::Failed(error.to_string())
        } else {
            TokenState::NotFetched
        }
    }

    /// How many token requests this cache has sent.
    pub fn fetches(&self) -> u64 {
        self.lock().fetches
    }

    /// The tokens held now, for redaction by value.
    pub fn secrets(&self) -> Vec<String> {
        self.lock()
            .entries
            .values()
            .filter_map(|e| e.token.as_ref().map(|t| t.value.clone()))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("keys", &self.lock().entries.len())
            .finish_non_exhaustive()
    }
}

/// Clears the `fetching` flag when a fetch is abandoned (its request was cancelled).
struct Pending<'a> {
    cache: &'a TokenCache,
    key: &'a TokenKey,
    finished: bool,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if let Some(entry) = self.cache.lock().entries.get_mut(self.key) {
            entry.fetching = false;
        }
        self.cache.changed();
    }
}

/// The parts of a successful token answer scout uses.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<Duration>,
}

/// The token request's form body (the client authenticates in the body, RFC 6749 §2.3.1).
fn token_form(params: &OAuth2Params) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials")
        .append_pair("client_id", &params.client_id)
        .append_pair("client_secret", &params.client_secret);
    if !params.scopes.is_empty() {
        form.append_pair("scope", &params.scopes.join(" "));
    }
    if let Some(audience) = &params.audience {
        form.append_pair("audience", audience);
    }
    form.finish()
}

/// One token request: POST the form, read the answer, within [`TOKEN_REQUEST_TIMEOUT`].
async fn fetch(client: &reqwest::Client, params: &OAuth2Params) -> Result<TokenAnswer, AuthError> {
    let url = token_url(&params.token_url)?;
    let shown = shown_url(&url);
    let transport = |e: reqwest::Error| {
        if e.is_timeout() {
            AuthError::Timeout { url: shown.clone() }
        } else {
            AuthError::Unreachable {
                url: shown.clone(),
                detail: last_cause(&e),
            }
        }
    };
    let response = client
        .post(url.clone())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "application/json")
        .body(token_form(params))
        .timeout(TOKEN_REQUEST_TIMEOUT)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(transport)?;
    read_answer(status, &body)
}

/// The token URL, checked: absolute http(s).
fn token_url(text: &str) -> Result<Url, AuthError> {
    let invalid = |reason: String| AuthError::InvalidTokenUrl {
        url: text.to_owned(),
        reason,
    };
    let url = Url::parse(text.trim()).map_err(|e| invalid(e.to_string()))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(invalid(format!("scheme {other} (use http or https)"))),
    }
}

/// The token URL for messages: no user info, query or fragment.
fn shown_url(url: &Url) -> String {
    format!("{}{}", url.origin().ascii_serialization(), url.path())
}

/// Reads a token endpoint's answer (RFC 6749 §5.1 and §5.2).
fn read_answer(status: u16, body: &[u8]) -> Result<TokenAnswer, AuthError> {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if !(200..300).contains(&status) {
        let detail = json
            .as_ref()
            .and_then(oauth_error)
            .unwrap_or_else(|| quote(body));
        return Err(AuthError::Rejected { status, detail });
    }
    let bad = |problem: String| AuthError::BadAnswer { status, problem };
    let Some(json) = json else {
        return Err(bad(format!(
            "with something other than JSON: {}",
            quote(body)
        )));
    };
    let Some(access_token) = json
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    else {
        return Err(bad(match oauth_error(&json) {
            Some(error) => format!("without an access_token: {error}"),
            None => "without an access_token".to_owned(),
        }));
    };
    if let Some(kind) = json.get("token_type").and_then(Value::as_str)
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(bad(format!(
            "with token_type {kind:?}: scout sends Bearer tokens only"
        )));
    }
    let expires_in = match json.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(value) => Some(seconds(value).ok_or_else(|| {
            bad(format!(
                "with expires_in {value}, which is not a number of seconds"
            ))
        })?),
    };
    Ok(TokenAnswer {
        access_token: access_token.to_owned(),
        expires_in,
    })
}

/// `expires_in` as a duration: a number, or a string holding one (some servers quote it).
fn seconds(value: &Value) -> Option<Duration> {
    let secs = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs).ok()
}

/// `invalid_client (client authentication failed)` from an RFC 6749 §5.2 error body.
fn oauth_error(json: &Value) -> Option<String> {
    let error = json.get("error")?.as_str()?;
    Some(
        match json.get("error_description").and_then(Value::as_str) {
            Some(description) => format!("{error} ({description})"),
            None => error.to_owned(),
        },
    )
}

/// The start of a body, on one line, for a message.
fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "an empty body".to_owned();
    }
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if quoted.len() < text.len() {
        quoted.push('…');
    }
    format!("{quoted:?}")
}

#[cfg(test)]
#[path = "oauth_tests.rs"]
mod tests;
