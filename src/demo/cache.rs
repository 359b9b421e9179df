//! `/cache/{seconds}`, `/etag/{etag}`, `/vary` and `/no-store`: responses that teach HTTP
//! caching (RFC 9111) and conditional requests (RFC 9110 §13). Each carries `served`, how many
//! times this server has answered that endpoint with a body, so a response served from a cache
//! shows an old count and a 304 is visibly not a new body.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::respond::{ApiError, header_str, json_response_with, parse_param, query_map, single};

/// Longest `/cache/{seconds}`: one day.
const MAX_SECONDS: u64 = 86_400;
/// Longest `/etag/{etag}`.
const MAX_ETAG: usize = 64;
/// Most counters kept (one per endpoint and argument); past it, counting starts over.
const MAX_COUNTERS: usize = 1024;

#[derive(Debug, Clone)]
struct Counts {
    served: Arc<Mutex<HashMap<String, u64>>>,
    /// When this server started: every resource here was last modified then.
    started: SystemTime,
}

impl Counts {
    /// One more body served for `key`: the new count.
    fn next(&self, key: &str) -> u64 {
        let mut served = self.served.lock().unwrap_or_else(PoisonError::into_inner);
        if served.len() >= MAX_COUNTERS && !served.contains_key(key) {
            served.clear();
        }
        let n = served.entry(key.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    /// Last-Modified: the start, to the second (HTTP dates have no finer unit).
    fn last_modified(&self) -> String {
        httpdate::fmt_http_date(self.started)
    }
}

pub(super) fn routes() -> Router {
    let counts = Counts {
        served: Arc::default(),
        // To the second, as HTTP dates are, and a second back, so that its own Last-Modified
        // sent back in If-Modified-Since is "not modified since".
        started: {
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default();
            SystemTime::UNIX_EPOCH + Duration::from_secs(now.as_secs().saturating_sub(1))
        },
    };
    Router::new()
        .route("/cache/{seconds}", get(cache))
        .route("/etag/{etag}", get(etag))
        .route("/vary", get(vary))
        .route("/no-store", get(no_store))
        .with_state(counts)
}

fn headers(pairs: &[(header::HeaderName, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.insert(name.clone(), value);
        }
    }
    map
}

fn not_modified(pairs: &[(header::HeaderName, String)]) -> Response {
    (StatusCode::NOT_MODIFIED, headers(pairs)).into_response()
}

/// Fresh for `seconds` (max-age), with Date and Last-Modified; a 304 to an `If-Modified-Since`
/// at or after the last modification.
async fn cache(
    State(counts): State<Counts>,
    Path(seconds): Path<String>,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let seconds: u64 = parse_param("seconds", &seconds)?;
    if seconds > MAX_SECONDS {
        return Err(ApiError::bad_request(format!(
            "seconds must be at most {MAX_SECONDS}"
        )));
    }
    let pairs = [
        (header::CACHE_CONTROL, format!("max-age={seconds}")),
        (header::DATE, httpdate::fmt_http_date(SystemTime::now())),
        (header::LAST_MODIFIED, counts.last_modified()),
    ];
    let unchanged = header_str(&request, header::IF_MODIFIED_SINCE)
        .and_then(|since| httpdate::parse_http_date(since).ok())
        .is_some_and(|since| since >= counts.started);
    if unchanged {
        return Ok(not_modified(&pairs));
    }
    let served = counts.next(&format!("cache/{seconds}"));
    Ok(json_response_with(
        StatusCode::OK,
        headers(&pairs),
        &json!({
            "fresh_for_seconds": seconds,
            "served": served,
            "note": "a cache may reuse this response without asking again until max-age runs out",
        }),
    ))
}

/// ETag `"{etag}"` (`W/"{etag}"` with `?weak=true`) and `Cache-Control: no-cache`, so every use
/// is revalidated; a 304 when `If-None-Match` lists it (weak comparison, as RFC 9110 §13.1.2
/// says) or is `*`.
async fn etag(
    State(counts): State<Counts>,
    Path(tag): Path<String>,
    RawQuery(query): RawQuery,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    if tag.is_empty()
        || tag.len() > MAX_ETAG
        || !tag.bytes().all(|b| b.is_ascii_graphic() && b != b'"')
    {
        return Err(ApiError::bad_request(format!(
            "the etag must be 1-{MAX_ETAG} visible characters without quotes"
        )));
    }
    let weak: bool = single(&query_map(query.as_deref()), "weak")?.unwrap_or(false);
    let value = if weak {
        format!("W/\"{tag}\"")
    } else {
        format!("\"{tag}\"")
    };
    let pairs = [
        (header::ETAG, value),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if header_str(&request, header::IF_NONE_MATCH).is_some_and(|list| weakly_listed(list, &tag)) {
        return Ok(not_modified(&pairs));
    }
    let served = counts.next(&format!("etag/{tag}"));
    Ok(json_response_with(
        StatusCode::OK,
        headers(&pairs),
        &json!({
            "etag": pairs[0].1,
            "served": served,
            "note": "send it back in If-None-Match: a 304 means your copy is current",
        }),
    ))
}

/// Whether an `If-None-Match` list names `tag`, ignoring `W/` (weak comparison), or is `*`.
fn weakly_listed(list: &str, tag: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|item| item == "*" || item.trim_start_matches("W/").trim_matches('"') == tag)
}

/// JSON or text depending on `Accept`, with `Vary: Accept` so a cache keeps them apart.
async fn vary(State(counts): State<Counts>, request: HeaderMap) -> Response {
    let accept = header_str(&request, header::ACCEPT).unwrap_or("*/*");
    let pairs = [
        (header::VARY, "Accept".to_string()),
        (header::CACHE_CONTROL, "max-age=60".to_string()),
    ];
    if accept.contains("text/plain") && !accept.contains("json") {
        let served = counts.next("vary/text");
        let mut map = headers(&pairs);
        map.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        let body = format!("plain text for Accept: {accept} (served {served})\n");
        return (StatusCode::OK, map, body).into_response();
    }
    let served = counts.next("vary/json");
    json_response_with(
        StatusCode::OK,
        headers(&pairs),
        &json!({
            "accept": accept,
            "served": served,
            "note": "Vary: Accept - a cached copy is only reused for the same Accept",
        }),
    )
}

/// `Cache-Control: no-store`: no cache may keep it.
async fn no_store(State(counts): State<Counts>) -> Response {
    let served = counts.next("no-store");
    json_response_with(
        StatusCode::OK,
        headers(&[(header::CACHE_CONTROL, "no-store".to_string())]),
        &json!({
            "served": served,
            "note": "no-store: every request reaches the server",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        assert!(weakly_listed("\"v1\"", "v1"));
        assert!(weakly_listed("W/\"v1\"", "v1"));
        assert!(weakly_listed("\"x\", W/\"v1\"", "v1"));
        assert!(weakly_listed("*", "v1"));
        assert!(!weakly_listed("\"v2\"", "v1"));
    }
}
