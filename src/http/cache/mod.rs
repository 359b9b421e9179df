//! HTTP caching (RFC 9111) with the `http-cache-semantics` crate: the opt-in private cache
//! (`cache = true`, `--cache`) the executor consults ([`before`], [`after`]), and what the Cache
//! tab says about any response ([`report`](mod@report)).
//!
//! The cache is a browser's: private (one user's), in memory, for as long as the process runs
//! — one per session, shared by every request that turns it on. It holds at most
//! [`MAX_BYTES`] of bodies; the entry used least recently goes first.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use http_cache_semantics::{AfterResponse, BeforeRequest, CacheOptions, CachePolicy};

use crate::http::execute::header_list;
use crate::model::{CacheUse, Method, ResponseData};

mod report;

use report::not_storable_because;
pub use report::{CacheReport, describe_use, report};

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
    // A body on disk is held in memory only in part, and a stopped one is only part.
    let whole = response.spilled.is_none() && !response.stopped;
    if policy.is_storable() && whole && response.body.len() <= MAX_ENTRY {
        store.put(key, policy, response.clone());
        response.cache = Some(CacheUse::Stored);
    } else {
        store.remove(&key);
        let why = if response.stopped {
            "its download was stopped before the end".to_string()
        } else if response.spilled.is_some() {
            "larger than the memory cap: it is kept on disk".to_string()
        } else if response.body.len() > MAX_ENTRY {
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

#[cfg(test)]
mod tests;
