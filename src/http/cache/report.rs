//! What a cache may do with a response, in words, for the Cache tab: storable or not and why,
//! the freshness lifetime and where it comes from, age, validators, Vary; and what scout's own
//! cache did.

use std::time::{Duration, SystemTime};

use http_cache_semantics::CachePolicy;

use super::{options, request_parts, response_parts};
use crate::model::{CacheUse, Method, ResponseData, human_duration};

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
pub(super) fn not_storable_because(method: Method, response: &ResponseData) -> String {
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
