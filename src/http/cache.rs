//! HTTP caching (RFC 9111) with the `http-cache-semantics` crate: what the Cache tab says about
//! any response ([`report`]), and the opt-in private cache (`cache = true`, `--cache`) the
//! executor consults ([`before`], [`after`]).
//!
//! The cache is a browser's: private (one user's), in memory, for as long as the process runs
//! — one per session, shared by every request that turns it on. It holds at most
//! [`MAX_BYTES`] of bodies; the entry used least recently goes first.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use http_cache_semantics::{AfterResponse, BeforeRequest, CacheOptions, CachePolicy};

use crate::http::execute::header_list;
use crate::model::{CacheUse, Method, ResponseData, human_duration};

/// Bodies kept in all.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// A larger body is not kept.
pub const MAX_ENTRY: usize = 8 * 1024 * 1024;

/// A private cache: `private` responses may be kept, `s-maxage` is for shared ones.
fn options() -> CacheOptions {
    CacheOptions {
        shared: false,
        ..CacheOptions::default()
    }
}

fn request_parts(
    method: Method,
    url: &str,
    headers: &[(String, String)],
) -> Option<http::request::Parts> {
    let mut builder = http::Request::builder().method(method.as_str()).uri(url);
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    Some(builder.body(()).ok()?.into_parts().0)
}

fn response_parts(response: &ResponseData) -> http::response::Parts {
    let mut builder = http::Response::builder().status(response.status);
    for (k, v) in &response.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    match builder.body(()) {
        Ok(r) => r.into_parts().0,
        // A header the `http` crate refuses: judge the status alone.
        Err(_) => http::Response::new(()).into_parts().0,
    }
}

#[derive(Debug)]
struct Entry {
    policy: CachePolicy,
    response: ResponseData,
    used: u64,
}

#[derive(Debug, Default)]
struct Store {
    entries: HashMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

impl Store {
    fn put(&mut self, key: String, policy: CachePolicy, mut response: ResponseData) {
        if response.body.len() > MAX_ENTRY {
            return;
        }
        // What the transport measured belongs to that exchange, not to later uses.
        response.timing = None;
        response.wire = Vec::new();
        response.cache = None;
        self.remove(&key);
        while self.bytes + response.body.len() > MAX_BYTES {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.remove(&oldest);
        }
        self.clock += 1;
        self.bytes += response.body.len();
        self.entries.insert(
            key,
            Entry {
                policy,
                response,
                used: self.clock,
            },
        );
    }

    fn remove(&mut self, key: &str) {
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= old.response.body.len();
        }
    }
}

static STORE: LazyLock<Mutex<Store>> = LazyLock::new(Mutex::default);

fn key(method: Method, url: &str) -> String {
    format!("{method} {url}")
}

/// What to do before sending a request with the cache on.
#[derive(Debug)]
pub enum Before {
    /// Use this response: no request needed.
    Fresh(Box<ResponseData>),
    /// A stale copy is there: send the request with these conditional headers added.
    Revalidate(Vec<(String, String)>),
    /// Nothing usable: send it as it is.
    Miss,
}

/// Looks `method url` (with the request's `headers`, for `Vary`) up in the cache.
pub fn before(method: Method, url: &str, headers: &[(String, String)], now: SystemTime) -> Before {
    let Some(request) = request_parts(method, url, headers) else {
        return Before::Miss;
    };
    let mut store = STORE.lock().unwrap_or_else(PoisonError::into_inner);
    store.clock += 1;
    let clock = store.clock;
    let Some(entry) = store.entries.get_mut(&key(method, url)) else {
        return Before::Miss;
    };
    entry.used = clock;
    match entry.policy.before_request(&request, now) {
        BeforeRequest::Fresh(parts) => {
            let mut response = entry.response.clone();
            response.headers = header_list(&parts.headers);
            response.elapsed = Duration::ZERO;
            response.cache = Some(CacheUse::Fresh {
                fresh_for: entry.policy.time_to_live(now),
                age: entry.policy.age(now),
            });
            Before::Fresh(Box::new(response))
        }
        BeforeRequest::Stale {
            request: conditional,
            matches: true,
        } => {
            let added = header_list(&conditional.headers)
                .into_iter()
                .filter(|(k, _)| {
                    k.eq_ignore_ascii_case("if-none-match")
                        || k.eq_ignore_ascii_case("if-modified-since")
                })
                .collect();
            Before::Revalidate(added)
        }
        BeforeRequest::Stale { matches: false, .. } => Before::Miss,
    }
}

/// After the response to `method url` arrived: a 304 to a revalidation (`conditional` holds
/// the headers sent) becomes the cached copy with refreshed headers; anything else is stored
/// when it may be. The response says what the cache did.
pub fn after(
    method: Method,
    url: &str,
    headers: &[(String, String)],
    conditional: &[(String, String)],
    mut response: ResponseData,
    now: SystemTime,
) -> ResponseData {
    let mut sent = headers.to_vec();
    sent.extend(conditional.iter().cloned());
    let Some(request) = request_parts(method, url, &sent) else {
        return response;
    };
    let received = response_parts(&response);
    let key = key(method, url);
    let mut store = STORE.lock().unwrap_or_else(PoisonError::into_inner);
    if !conditional.is_empty()
        && let Some(entry) = store.entries.get(&key)
    {
        match entry.policy.after_response(&request, &received, now) {
            AfterResponse::NotModified(policy, parts) => {
                let mut cached = entry.response.clone();
                cached.headers = header_list(&parts.headers);
                store.put(key, policy, cached.clone());
                cached.cache = Some(CacheUse::Revalidated {
                    validator: conditional
                        .iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
                // The exchange that happened was the 304's: its timing and bytes.
                cached.timing = response.timing;
                cached.wire = std::mem::take(&mut response.wire);
                cached.elapsed = response.elapsed;
                return cached;
            }
            AfterResponse::Modified(..) => {}
        }
    }
    let policy = CachePolicy::new_options(&request, &received, now, options());
    if policy.is_storable() && response.body.len() <= MAX_ENTRY {
        store.put(key, policy, response.clone());
        response.cache = Some(CacheUse::Stored);
    } else {
        store.remove(&key);
        let why = if response.body.len() > MAX_ENTRY {
            format!(
                "larger than the {} the cache keeps per response",
                crate::model::human_size(MAX_ENTRY as u64)
            )
        } else {
            not_storable_because(method, &response)
        };
        response.cache = Some(CacheUse::NotStored { why });
    }
    response
}

/// Whether a request header makes the request skip the cache: one the user wrote to make it
/// conditional or partial (`If-None-Match`, `If-Modified-Since`, `If-Match`,
/// `If-Unmodified-Since`, `If-Range`, `Range`) goes to the server as written.
pub fn bypasses(header: &str) -> bool {
    [
        "if-none-match",
        "if-modified-since",
        "if-match",
        "if-unmodified-since",
        "if-range",
        "range",
    ]
    .iter()
    .any(|h| header.eq_ignore_ascii_case(h))
}

/// Forgets every cached response (tests, and the user's "clear").
pub fn clear() {
    let mut store = STORE.lock().unwrap_or_else(PoisonError::into_inner);
    *store = Store::default();
}

/// What the Cache tab says about a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheReport {
    pub storable: bool,
    /// Why it may or may not be stored, in words, with the section to read.
    pub why: String,
    /// How long it is fresh from when it was made, and how that was worked out.
    pub lifetime: Duration,
    pub lifetime_from: String,
    /// How old it is now (the `Age` it arrived with, plus the time since).
    pub age: Duration,
    /// How much longer it is fresh.
    pub fresh_for: Duration,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub vary: Option<String>,
}

/// The cache's view of `response` to `method url` (sent with `headers`), received at `received`.
pub fn report(
    method: Method,
    url: &str,
    headers: &[(String, String)],
    response: &ResponseData,
    received: SystemTime,
    now: SystemTime,
) -> CacheReport {
    let policy = request_parts(method, url, headers).map(|request| {
        CachePolicy::new_options(&request, &response_parts(response), received, options())
    });
    let storable = policy.as_ref().is_some_and(CachePolicy::is_storable);
    let (lifetime, age, fresh_for) = match &policy {
        Some(p) => (
            p.time_to_live(received) + p.age(received),
            p.age(now),
            p.time_to_live(now),
        ),
        None => Default::default(),
    };
    let why = if storable {
        "A private cache (like a browser's, or scout's with cache = true) may store it (RFC 9111 §3).".to_string()
    } else {
        format!(
            "Not storable: {} (RFC 9111 §3).",
            not_storable_because(method, response)
        )
    };
    CacheReport {
        storable,
        why,
        lifetime,
        lifetime_from: lifetime_from(response, storable, lifetime),
        age,
        fresh_for,
        etag: response.header("etag").map(str::to_string),
        last_modified: response.header("last-modified").map(str::to_string),
        vary: response.header("vary").map(str::to_string),
    }
}

fn directives(response: &ResponseData) -> Vec<String> {
    response
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("cache-control"))
        .flat_map(|(_, v)| v.split(','))
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect()
}

fn directive<'a>(all: &'a [String], name: &str) -> Option<&'a str> {
    all.iter().find_map(|d| {
        let (k, v) = d.split_once('=').unwrap_or((d, ""));
        (k.trim() == name).then_some(v.trim().trim_matches('"'))
    })
}

/// Why a response may not be stored, as RFC 9111 §3 decides it.
fn not_storable_because(method: Method, response: &ResponseData) -> String {
    let cc = directives(response);
    if directive(&cc, "no-store").is_some() {
        return "the response says Cache-Control: no-store".into();
    }
    if !matches!(method, Method::Get | Method::Head) {
        return format!("{method} responses are not reused by caches here (only GET and HEAD)");
    }
    if response.header("vary").is_some_and(|v| v.trim() == "*") {
        return "Vary: * means no stored copy can ever match a request".into();
    }
    let explicit = directive(&cc, "max-age").is_some()
        || response.header("expires").is_some()
        || directive(&cc, "public").is_some();
    if !explicit && !HEURISTIC_STATUSES.contains(&response.status) {
        return format!(
            "a {} is only stored with explicit freshness (max-age, Expires or public)",
            response.status
        );
    }
    "its status or headers rule it out".into()
}

/// Statuses a cache may keep without being told how long (RFC 9110 §15.1).
const HEURISTIC_STATUSES: [u16; 12] = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501];

fn lifetime_from(response: &ResponseData, storable: bool, lifetime: Duration) -> String {
    let cc = directives(response);
    let mut said = if !storable {
        "none: it is not stored".to_string()
    } else if let Some(v) = directive(&cc, "max-age") {
        format!("Cache-Control: max-age={v} (RFC 9111 §5.2.2.1)")
    } else if let Some(expires) = response.header("expires") {
        match response.header("date") {
            Some(date) => format!("Expires ({expires}) minus Date ({date}) (RFC 9111 §5.3)"),
            None => format!("Expires ({expires}) minus the time it arrived (RFC 9111 §5.3)"),
        }
    } else if response.header("last-modified").is_some() && !lifetime.is_zero() {
        "heuristic: 10% of the time since Last-Modified, as no lifetime was given (RFC 9111 §4.2.2)"
            .into()
    } else {
        "none was given, so it is stale at once and used only after revalidating".into()
    };
    if directive(&cc, "no-cache").is_some() {
        said.push_str("; no-cache: every use must be revalidated first (RFC 9111 §5.2.2.4)");
    }
    if directive(&cc, "s-maxage").is_some() {
        said.push_str("; s-maxage is for shared caches (proxies, CDNs) only");
    }
    said
}

impl CacheReport {
    /// The Cache tab's lines.
    pub fn lines(&self, used: Option<&CacheUse>) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(used) = used {
            lines.push("scout's private cache:".into());
            lines.push(format!("  {}", describe_use(used)));
            lines.push(String::new());
        }
        lines.push(if self.storable {
            "storable: yes".into()
        } else {
            "storable: no".into()
        });
        lines.push(format!("  {}", self.why));
        if self.storable {
            if self.lifetime.is_zero() {
                lines.push("freshness lifetime: none".into());
                lines.push(format!("  {}", self.lifetime_from));
            } else {
                lines.push(format!(
                    "freshness lifetime: {}",
                    human_duration(self.lifetime)
                ));
                lines.push(format!("  from {}", self.lifetime_from));
            }
            lines.push(format!("age: {}", human_duration(self.age)));
            lines.push(if self.fresh_for.is_zero() {
                "fresh for: nothing — stale now\n  a cache must revalidate it before using it"
                    .into()
            } else {
                format!("fresh for: {} more", human_duration(self.fresh_for))
            });
        }
        lines.push(String::new());
        lines.push("validators (for conditional requests, RFC 9110 §13):".into());
        match &self.etag {
            Some(tag) if tag.starts_with("W/") => lines.push(format!(
                "  ETag {tag}: weak — the same meaning, maybe not the same bytes (§8.8.3)"
            )),
            Some(tag) => lines.push(format!(
                "  ETag {tag}: strong — byte for byte the same (§8.8.3)"
            )),
            None => lines.push("  no ETag".into()),
        }
        match &self.last_modified {
            Some(date) => lines.push(format!("  Last-Modified {date} (§8.8.2)")),
            None => lines.push("  no Last-Modified".into()),
        }
        lines.push(match &self.vary {
            Some(vary) => format!(
                "Vary: {vary}\n  a stored copy is reused only for requests with the same {vary}"
            ),
            None => "no Vary: one stored copy serves every request for this URL".into(),
        });
        lines
            .into_iter()
            .flat_map(|l| l.split('\n').map(str::to_string).collect::<Vec<_>>())
            .collect()
    }
}

/// What the private cache did, in a line.
pub fn describe_use(used: &CacheUse) -> String {
    match used {
        CacheUse::Fresh { fresh_for, age } => format!(
            "from cache (fresh for {} more, {} old when served): no request was sent",
            human_duration(*fresh_for),
            human_duration(*age)
        ),
        CacheUse::Revalidated { validator } => format!(
            "revalidated: the stored copy was stale, so scout asked with {validator}; the 304 \
             said it is current"
        ),
        CacheUse::Stored => "stored in scout's private cache for next time".into(),
        CacheUse::NotStored { why } => format!("not stored in scout's private cache: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> ResponseData {
        ResponseData {
            status,
            reason: String::new(),
            version: "HTTP/1.1".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: bytes::Bytes::from(body.to_string()),
            elapsed: Duration::from_millis(3),
            redirects: Vec::new(),
            url: String::new(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        }
    }

    const DATE: &str = "Thu, 03 Dec 2026 10:00:00 GMT";

    fn at(seconds_after_date: u64) -> SystemTime {
        httpdate::parse_http_date(DATE).unwrap() + Duration::from_secs(seconds_after_date)
    }

    fn report_of(r: &ResponseData, now: u64) -> CacheReport {
        super::report(Method::Get, "http://a.test/x", &[], r, at(0), at(now))
    }

    #[test]
    fn max_age_sets_the_lifetime_and_the_age_counts_down() {
        let r = response(
            200,
            &[
                ("cache-control", "max-age=60"),
                ("date", DATE),
                ("etag", "W/\"v1\""),
            ],
            "{}",
        );
        let report = report_of(&r, 15);
        assert!(report.storable);
        assert_eq!(report.lifetime, Duration::from_secs(60));
        assert!(
            report
                .lifetime_from
                .starts_with("Cache-Control: max-age=60"),
            "{report:?}"
        );
        assert_eq!(report.age, Duration::from_secs(15));
        assert_eq!(report.fresh_for, Duration::from_secs(45));
        let text = report.lines(None).join("\n");
        assert!(text.contains("ETag W/\"v1\": weak"), "{text}");
        assert!(text.contains("fresh for: 45.0 s more"), "{text}");
    }

    #[test]
    fn expires_heuristics_no_store_and_no_cache_are_told_apart() {
        let expires = response(
            200,
            &[("date", DATE), ("expires", "Thu, 03 Dec 2026 10:02:00 GMT")],
            "",
        );
        let report = report_of(&expires, 0);
        assert_eq!(report.lifetime, Duration::from_secs(120));
        assert!(report.lifetime_from.starts_with("Expires"), "{report:?}");

        // Modified 1000 s before it was sent: 10% of that.
        let heuristic = response(
            200,
            &[
                ("date", DATE),
                ("last-modified", "Thu, 03 Dec 2026 09:43:20 GMT"),
            ],
            "",
        );
        let report = report_of(&heuristic, 0);
        assert_eq!(report.lifetime, Duration::from_secs(100));
        assert!(report.lifetime_from.starts_with("heuristic"), "{report:?}");

        let no_store = response(200, &[("cache-control", "no-store")], "");
        let report = report_of(&no_store, 0);
        assert!(!report.storable);
        assert!(report.why.contains("no-store"), "{report:?}");

        let unsaid = response(200, &[("date", DATE)], "");
        let text = report_of(&unsaid, 0).lines(None).join("\n");
        assert!(
            text.contains("freshness lifetime: none\n  none was given, so it is stale at once"),
            "{text}"
        );

        let no_cache = response(
            200,
            &[("cache-control", "no-cache"), ("etag", "\"v1\"")],
            "",
        );
        let report = report_of(&no_cache, 0);
        assert!(report.storable);
        assert!(
            report
                .lifetime_from
                .contains("no-cache: every use must be revalidated"),
            "{report:?}"
        );

        let created = response(201, &[("date", DATE)], "");
        let report = super::report(Method::Post, "http://a.test/x", &[], &created, at(0), at(0));
        assert!(!report.storable);
        assert!(report.why.contains("POST"), "{report:?}");
    }

    #[test]
    fn a_fresh_copy_is_served_and_a_stale_one_revalidated() {
        let now = SystemTime::now();
        let url = "http://fresh.cache.test/a";
        assert!(matches!(before(Method::Get, url, &[], now), Before::Miss));
        let stored = after(
            Method::Get,
            url,
            &[],
            &[],
            response(200, &[("cache-control", "max-age=60")], "one"),
            now,
        );
        assert_eq!(stored.cache, Some(CacheUse::Stored));
        let Before::Fresh(hit) = before(Method::Get, url, &[], now + Duration::from_secs(10))
        else {
            panic!("expected a fresh hit");
        };
        assert_eq!(&hit.body[..], b"one");
        assert!(
            matches!(hit.cache, Some(CacheUse::Fresh { fresh_for, .. }) if fresh_for == Duration::from_secs(50)),
            "{:?}",
            hit.cache
        );

        let url = "http://etag.cache.test/a";
        after(
            Method::Get,
            url,
            &[],
            &[],
            response(
                200,
                &[("cache-control", "no-cache"), ("etag", "\"v1\"")],
                "body",
            ),
            now,
        );
        let Before::Revalidate(conditional) = before(Method::Get, url, &[], now) else {
            panic!("expected a revalidation");
        };
        assert_eq!(
            conditional,
            [("if-none-match".to_string(), "\"v1\"".to_string())]
        );
        let confirmed = after(
            Method::Get,
            url,
            &[],
            &conditional,
            response(304, &[("etag", "\"v1\"")], ""),
            now,
        );
        assert_eq!(confirmed.status, 200);
        assert_eq!(&confirmed.body[..], b"body");
        assert_eq!(
            confirmed.cache,
            Some(CacheUse::Revalidated {
                validator: "if-none-match: \"v1\"".into()
            })
        );
        // A changed resource replaces the copy.
        let changed = after(
            Method::Get,
            url,
            &[],
            &conditional,
            response(
                200,
                &[("cache-control", "no-cache"), ("etag", "\"v2\"")],
                "new",
            ),
            now,
        );
        assert_eq!(changed.cache, Some(CacheUse::Stored));
        let Before::Revalidate(conditional) = before(Method::Get, url, &[], now) else {
            panic!("expected a revalidation");
        };
        assert_eq!(conditional[0].1, "\"v2\"");

        // no-store is never kept, and says so.
        let url = "http://nostore.cache.test/a";
        let r = after(
            Method::Get,
            url,
            &[],
            &[],
            response(200, &[("cache-control", "no-store")], ""),
            now,
        );
        assert!(
            matches!(r.cache, Some(CacheUse::NotStored { ref why }) if why.contains("no-store"))
        );
        assert!(matches!(before(Method::Get, url, &[], now), Before::Miss));
    }

    #[test]
    fn vary_keeps_copies_for_other_request_headers_apart() {
        let now = SystemTime::now();
        let url = "http://vary.cache.test/a";
        let json = [("accept".to_string(), "application/json".to_string())];
        let text = [("accept".to_string(), "text/plain".to_string())];
        after(
            Method::Get,
            url,
            &json,
            &[],
            response(
                200,
                &[("cache-control", "max-age=60"), ("vary", "Accept")],
                "{}",
            ),
            now,
        );
        assert!(matches!(
            before(Method::Get, url, &json, now),
            Before::Fresh(_)
        ));
        assert!(!matches!(
            before(Method::Get, url, &text, now),
            Before::Fresh(_)
        ));
    }

    #[test]
    fn the_store_stays_within_its_budget() {
        let mut store = Store::default();
        let big = "x".repeat(MAX_ENTRY);
        let policy = || {
            let req = request_parts(Method::Get, "http://a.test/", &[]).unwrap();
            CachePolicy::new_options(
                &req,
                &response_parts(&response(200, &[("cache-control", "max-age=60")], "")),
                SystemTime::now(),
                options(),
            )
        };
        for i in 0..(MAX_BYTES / MAX_ENTRY + 3) {
            store.put(
                format!("GET http://a.test/{i}"),
                policy(),
                response(200, &[], &big),
            );
            assert!(store.bytes <= MAX_BYTES);
        }
        assert_eq!(store.entries.len(), MAX_BYTES / MAX_ENTRY);
        // Too large for the cache at all: not kept.
        store.put(
            "GET http://a.test/huge".into(),
            policy(),
            response(200, &[], &"x".repeat(MAX_ENTRY + 1)),
        );
        assert!(!store.entries.contains_key("GET http://a.test/huge"));
    }
}
