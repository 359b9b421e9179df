//! `/flaky` and `/rate-limited`: endpoints that fail on purpose, to teach and test retries and
//! rate-limit headers; `/drip`, a slow body, to teach and test the read timeout. Each
//! [`super::router`] call has its own counters; every counter is keyed by `?key=` (default
//! "default") so tests and users sharing a server do not disturb each other, and at most
//! [`MAX_KEYS`] keys are remembered (the least recently used is forgotten first).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;
use serde_json::{Map, Value, json};

use super::respond::{ApiError, json_response_with, query_map, single};

/// Most keys remembered per endpoint.
pub(crate) const MAX_KEYS: usize = 1024;
/// Longest accepted `?key=`.
const MAX_KEY_LEN: usize = 64;
/// Most failures `/flaky` can be asked for.
const MAX_FAIL: u32 = 100;
/// Largest `retry_after` and `window`, in seconds: one hour.
const MAX_SECONDS: u64 = 3600;
/// Largest `/rate-limited` budget.
const MAX_BUDGET: u64 = 10_000;
/// Most chunks `/drip` sends.
const MAX_CHUNKS: u32 = 1000;
/// Longest `/drip` interval, in seconds.
const MAX_INTERVAL_SECS: f64 = 60.0;

const DEFAULT_KEY: &str = "default";
const DEFAULT_FAIL: u32 = 2;
const DEFAULT_RETRY_AFTER: u64 = 1;
const DEFAULT_BUDGET: u64 = 5;
const DEFAULT_WINDOW: u64 = 10;
const DEFAULT_CHUNKS: u32 = 5;
const DEFAULT_INTERVAL_SECS: f64 = 1.0;

/// Per-key values with a bound: inserting a new key into a full table forgets the key used least
/// recently.
#[derive(Debug)]
struct Bounded<T> {
    clock: u64,
    entries: HashMap<String, (u64, T)>,
}

impl<T> Bounded<T> {
    fn new() -> Self {
        Bounded {
            clock: 0,
            entries: HashMap::new(),
        }
    }

    /// The value for `key`, created with `make` when absent, marked as just used.
    fn entry(&mut self, key: &str, make: impl FnOnce() -> T) -> &mut T {
        self.clock += 1;
        if !self.entries.contains_key(key) && self.entries.len() >= MAX_KEYS {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        let slot = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(|| (0, make()));
        slot.0 = self.clock;
        &mut slot.1
    }

    fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }
}

/// A fixed rate-limit window: when it started and how many requests it has admitted.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    used: u64,
}

#[derive(Debug)]
struct Counters {
    /// `/flaky`: failures answered so far, per key.
    flaky: Bounded<u32>,
    /// `/rate-limited`: the current window, per key.
    windows: Bounded<Window>,
}

#[derive(Debug, Clone)]
struct Limits(Arc<Mutex<Counters>>);

impl Limits {
    fn lock(&self) -> MutexGuard<'_, Counters> {
        // Every statement leaves the counters valid, so a poisoned lock is still safe to use.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(super) fn routes() -> Router {
    let state = Limits(Arc::new(Mutex::new(Counters {
        flaky: Bounded::new(),
        windows: Bounded::new(),
    })));
    Router::new()
        .route("/flaky", get(flaky).post(flaky))
        .route("/rate-limited", get(rate_limited))
        .with_state(state)
        .route("/drip", get(drip))
}

/// The `/flaky` query: `fail` (default 2), `key`, `retry_after` seconds (default 1, 0 allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlakyQuery {
    pub(crate) fail: u32,
    pub(crate) key: String,
    pub(crate) retry_after: u64,
}

impl FlakyQuery {
    pub(crate) fn parse(query: Option<&str>) -> Result<FlakyQuery, ApiError> {
        let query = query_map(query);
        let fail = single(&query, "fail")?.unwrap_or(DEFAULT_FAIL);
        if fail > MAX_FAIL {
            return Err(ApiError::bad_request(format!(
                "fail must be at most {MAX_FAIL}"
            )));
        }
        let retry_after = single(&query, "retry_after")?.unwrap_or(DEFAULT_RETRY_AFTER);
        if retry_after > MAX_SECONDS {
            return Err(ApiError::bad_request(format!(
                "retry_after must be at most {MAX_SECONDS} seconds"
            )));
        }
        Ok(FlakyQuery {
            fail,
            key: key(&query)?,
            retry_after,
        })
    }
}

/// `GET /flaky` (and `POST`, to show that POST is retried only with an `Idempotency-Key`): the
/// first `fail` calls for a key answer 503 with `Retry-After`, the next one 200; the success starts
/// the count again. A request body is ignored.
async fn flaky(State(limits): State<Limits>, RawQuery(query): RawQuery) -> Response {
    let query = match FlakyQuery::parse(query.as_deref()) {
        Ok(query) => query,
        Err(e) => return e.into_response(),
    };
    let mut counters = limits.lock();
    let failed = counters.flaky.entry(&query.key, || 0);
    if *failed < query.fail {
        *failed += 1;
        let attempt = *failed;
        drop(counters);
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from(query.retry_after));
        return json_response_with(
            StatusCode::SERVICE_UNAVAILABLE,
            headers,
            &json!({"attempt": attempt, "failing_until": query.fail}),
        );
    }
    let attempt = *failed + 1;
    counters.flaky.remove(&query.key);
    drop(counters);
    json_response_with(
        StatusCode::OK,
        HeaderMap::new(),
        &json!({"attempt": attempt, "ok": true}),
    )
}

/// The `/rate-limited` query: `budget` requests (default 5) per `window` seconds (default 10), per
/// `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RateQuery {
    pub(crate) budget: u64,
    pub(crate) window: u64,
    pub(crate) key: String,
}

impl RateQuery {
    pub(crate) fn parse(query: Option<&str>) -> Result<RateQuery, ApiError> {
        let query = query_map(query);
        let budget = single(&query, "budget")?.unwrap_or(DEFAULT_BUDGET);
        if budget > MAX_BUDGET {
            return Err(ApiError::bad_request(format!(
                "budget must be at most {MAX_BUDGET}"
            )));
        }
        let window = single(&query, "window")?.unwrap_or(DEFAULT_WINDOW);
        if !(1..=MAX_SECONDS).contains(&window) {
            return Err(ApiError::bad_request(format!(
                "window must be between 1 and {MAX_SECONDS} seconds"
            )));
        }
        Ok(RateQuery {
            budget,
            window,
            key: key(&query)?,
        })
    }
}

/// How a request fared against its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) admitted: bool,
    pub(crate) remaining: u64,
    /// Whole seconds until the window resets, rounded up (at least 1 while the window is open).
    pub(crate) reset: u64,
}

/// Counts a request at `now` against `window` (a fixed window starting at its first request).
fn admit(window: &mut Window, query: &RateQuery, now: Instant) -> Verdict {
    let length = Duration::from_secs(query.window);
    if now.saturating_duration_since(window.start) >= length {
        *window = Window {
            start: now,
            used: 0,
        };
    }
    let admitted = window.used < query.budget;
    if admitted {
        window.used += 1;
    }
    let left = length.saturating_sub(now.saturating_duration_since(window.start));
    Verdict {
        admitted,
        remaining: query.budget.saturating_sub(window.used),
        reset: left.as_secs() + u64::from(left.subsec_nanos() > 0),
    }
}

/// `GET /rate-limited`: a fixed-window budget per key, announced in `X-RateLimit-*` and
/// `RateLimit-*` headers on every response; over budget answers 429 with `Retry-After`.
async fn rate_limited(State(limits): State<Limits>, RawQuery(query): RawQuery) -> Response {
    let query = match RateQuery::parse(query.as_deref()) {
        Ok(query) => query,
        Err(e) => return e.into_response(),
    };
    let now = Instant::now();
    let verdict = {
        let mut counters = limits.lock();
        let window = counters.windows.entry(&query.key, || Window {
            start: now,
            used: 0,
        });
        admit(window, &query, now)
    };
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-ratelimit-limit", query.budget),
        ("x-ratelimit-remaining", verdict.remaining),
        ("x-ratelimit-reset", verdict.reset),
        ("ratelimit-limit", query.budget),
        ("ratelimit-remaining", verdict.remaining),
        ("ratelimit-reset", verdict.reset),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
    if verdict.admitted {
        return json_response_with(
            StatusCode::OK,
            headers,
            &json!({
                "ok": true,
                "key": query.key,
                "limit": query.budget,
                "remaining": verdict.remaining,
                "reset": verdict.reset,
            }),
        );
    }
    headers.insert(header::RETRY_AFTER, HeaderValue::from(verdict.reset));
    let error = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "rate limit exceeded: {} requests per {} s for key {:?} are used up; retry after {} s",
            query.budget, query.window, query.key, verdict.reset
        ),
    )
    .with("limit", query.budget)
    .with("window", query.window)
    .with("retry_after", verdict.reset);
    json_response_with(error.status, headers, &Value::Object(error.body))
}

/// The `/drip` query: `chunks` (default 5, 1 to [`MAX_CHUNKS`]) sent `interval` seconds apart
/// (default 1, fractions allowed, at most [`MAX_INTERVAL_SECS`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DripQuery {
    pub(crate) chunks: u32,
    pub(crate) interval: Duration,
}

impl DripQuery {
    pub(crate) fn parse(query: Option<&str>) -> Result<DripQuery, ApiError> {
        let query = query_map(query);
        let chunks = single(&query, "chunks")?.unwrap_or(DEFAULT_CHUNKS);
        if !(1..=MAX_CHUNKS).contains(&chunks) {
            return Err(ApiError::bad_request(format!(
                "chunks must be between 1 and {MAX_CHUNKS}"
            )));
        }
        let interval: f64 = single(&query, "interval")?.unwrap_or(DEFAULT_INTERVAL_SECS);
        if !(0.0..=MAX_INTERVAL_SECS).contains(&interval) {
            return Err(ApiError::bad_request(format!(
                "interval must be between 0 and {MAX_INTERVAL_SECS} seconds"
            )));
        }
        Ok(DripQuery {
            chunks,
            interval: Duration::from_secs_f64(interval),
        })
    }
}

/// One `/drip` chunk: a line saying which it is, e.g. `chunk 2 of 5`.
pub(crate) fn drip_chunk(n: u32, of: u32) -> String {
    format!("chunk {n} of {of}\n")
}

/// `GET /drip`: the head and the first chunk at once, then the other chunks `interval` apart
/// (text/plain, chunked): a body that is slow without ever stalling for longer than `interval`.
async fn drip(RawQuery(query): RawQuery) -> Response {
    let query = match DripQuery::parse(query.as_deref()) {
        Ok(query) => query,
        Err(e) => return e.into_response(),
    };
    let body = stream::unfold(1u32, move |n| async move {
        if n > query.chunks {
            return None;
        }
        if n > 1 {
            tokio::time::sleep(query.interval).await;
        }
        let chunk = Bytes::from(drip_chunk(n, query.chunks));
        Some((Ok::<_, std::io::Error>(chunk), n + 1))
    });
    let mut response = Body::from_stream(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The `key` parameter: default "default", at most [`MAX_KEY_LEN`] characters.
fn key(query: &Map<String, Value>) -> Result<String, ApiError> {
    let key = single::<String>(query, "key")?.unwrap_or_else(|| DEFAULT_KEY.to_owned());
    if key.is_empty() || key.chars().count() > MAX_KEY_LEN {
        return Err(ApiError::bad_request(format!(
            "key must be 1 to {MAX_KEY_LEN} characters"
        )));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(budget: u64, window: u64) -> RateQuery {
        RateQuery {
            budget,
            window,
            key: DEFAULT_KEY.to_owned(),
        }
    }

    #[test]
    fn flaky_query_has_defaults_and_bounds() {
        assert_eq!(
            FlakyQuery::parse(None),
            Ok(FlakyQuery {
                fail: 2,
                key: "default".into(),
                retry_after: 1
            })
        );
        let query = FlakyQuery::parse(Some("fail=0&key=a&retry_after=0")).unwrap();
        assert_eq!(
            (query.fail, query.key.as_str(), query.retry_after),
            (0, "a", 0)
        );
        for bad in [
            "fail=x",
            "fail=101",
            "fail=1&fail=2",
            "retry_after=3601",
            "key=",
        ] {
            let err = FlakyQuery::parse(Some(bad)).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        let long = format!("key={}", "k".repeat(MAX_KEY_LEN + 1));
        assert!(FlakyQuery::parse(Some(&long)).is_err());
    }

    #[test]
    fn drip_query_has_defaults_and_bounds() {
        assert_eq!(
            DripQuery::parse(None),
            Ok(DripQuery {
                chunks: 5,
                interval: Duration::from_secs(1)
            })
        );
        assert_eq!(
            DripQuery::parse(Some("chunks=2&interval=0.25")),
            Ok(DripQuery {
                chunks: 2,
                interval: Duration::from_millis(250)
            })
        );
        for bad in [
            "chunks=0",
            "chunks=1001",
            "chunks=x",
            "interval=-1",
            "interval=61",
            "interval=NaN",
            "interval=1&interval=2",
        ] {
            assert!(DripQuery::parse(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(drip_chunk(2, 5), "chunk 2 of 5\n");
    }

    #[test]
    fn rate_query_has_defaults_and_bounds() {
        assert_eq!(RateQuery::parse(None), Ok(rate(5, 10)));
        assert_eq!(
            RateQuery::parse(Some("budget=0&window=1")).map(|q| (q.budget, q.window)),
            Ok((0, 1))
        );
        for bad in ["window=0", "window=3601", "budget=-1", "budget=10001"] {
            assert!(RateQuery::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_fixed_window_admits_its_budget_then_resets() {
        let start = Instant::now();
        let query = rate(2, 10);
        let mut window = Window { start, used: 0 };
        let at = |ms| start + Duration::from_millis(ms);
        assert_eq!(
            admit(&mut window, &query, at(0)),
            Verdict {
                admitted: true,
                remaining: 1,
                reset: 10
            }
        );
        assert_eq!(admit(&mut window, &query, at(2500)).remaining, 0);
        assert_eq!(
            admit(&mut window, &query, at(9999)),
            Verdict {
                admitted: false,
                remaining: 0,
                reset: 1
            }
        );
        let fresh = admit(&mut window, &query, at(10_000));
        assert!(fresh.admitted);
        assert_eq!((fresh.remaining, fresh.reset), (1, 10));
    }

    #[test]
    fn bounded_tables_forget_the_least_recently_used_key() {
        let mut table = Bounded::new();
        for i in 0..MAX_KEYS {
            *table.entry(&i.to_string(), || 0) += 1;
        }
        *table.entry("0", || 0) += 1; // "0" is now the most recent; "1" the oldest
        *table.entry("new", || 0) += 1;
        assert_eq!(table.entries.len(), MAX_KEYS);
        assert!(!table.entries.contains_key("1"));
        assert_eq!(*table.entry("0", || 0), 2);
    }
}
