//! Rate-limit headers, read from a response for the status line. Pure: the caller passes `now`.
//!
//! Understood, in order of preference when a response carries several:
//! 1. the combined structured field `RateLimit`, either the early IETF draft form
//!    `limit=100, remaining=50, reset=30` or the later one `"default";r=50;t=30`;
//! 2. `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF draft, delta seconds);
//! 3. `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (also `X-Rate-Limit-*`);
//!
//! plus `RateLimit-Policy` (kept as written; its quota `q=100` or leading number is the limit when
//! no other header gives one) and `Retry-After`.
//!
//! A reset value is delta seconds or a Unix timestamp, told apart by size: a value of at least
//! 1 000 000 000 (September 2001) is read as epoch seconds, one of at least 10¹² as epoch
//! milliseconds, anything smaller as seconds from `now`. A delta of 31 years is not a rate-limit
//! window, and a timestamp from before 2001 is not a reset time, so the two ranges cannot be
//! confused. The rule is applied to every reset header, as servers do not always follow the drafts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::http::retry::parse_retry_after;
use crate::model::duration::{format_duration, parse_duration};

/// Reset values at least this large are Unix timestamps in seconds.
const EPOCH_SECONDS_FROM: u64 = 1_000_000_000;
/// Reset values at least this large are Unix timestamps in milliseconds.
const EPOCH_MILLIS_FROM: u64 = 1_000_000_000_000;

/// When the rate-limit window resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reset {
    /// The moment of the reset (a delta is counted from the `now` given to [`RateLimit::parse`]).
    pub at: SystemTime,
    /// True when the server sent a timestamp, false for delta seconds.
    pub absolute: bool,
}

impl Reset {
    /// Time left until the reset, zero once it has passed.
    pub fn remaining(&self, now: SystemTime) -> Duration {
        self.at.duration_since(now).unwrap_or(Duration::ZERO)
    }
}

/// What a response says about the client's rate limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<Reset>,
    /// `Retry-After`, as a wait from `now`.
    pub retry_after: Option<Duration>,
    /// `RateLimit-Policy`, as written.
    pub policy: Option<String>,
}

/// limit / remaining / reset from one family of headers.
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<Reset>,
}

impl Fields {
    fn or(self, other: Fields) -> Fields {
        Fields {
            limit: self.limit.or(other.limit),
            remaining: self.remaining.or(other.remaining),
            reset: self.reset.or(other.reset),
        }
    }
}

impl RateLimit {
    /// Reads the rate-limit headers among `headers` (names compared case-insensitively; the first
    /// header of a name wins). `None` when there are none, or none that parses.
    pub fn parse(headers: &[(String, String)], now: SystemTime) -> Option<RateLimit> {
        let mut combined = Fields::default();
        let mut ietf = Fields::default();
        let mut x = Fields::default();
        let mut retry_after = None;
        let mut policy: Option<String> = None;
        for (name, value) in headers {
            let name = normalize(name);
            let value = value.trim();
            match name.as_str() {
                "ratelimit" => combined = combined.or(structured(value, now)),
                "ratelimitlimit" => ietf.limit = ietf.limit.or(number(value)),
                "ratelimitremaining" => ietf.remaining = ietf.remaining.or(number(value)),
                "ratelimitreset" => ietf.reset = ietf.reset.or(reset(value, now)),
                "xratelimitlimit" => x.limit = x.limit.or(number(value)),
                "xratelimitremaining" => x.remaining = x.remaining.or(number(value)),
                "xratelimitreset" => x.reset = x.reset.or(reset(value, now)),
                "ratelimitpolicy" | "xratelimitpolicy" if policy.is_none() && !value.is_empty() => {
                    policy = Some(value.to_string());
                }
                "retryafter" => retry_after = retry_after.or_else(|| parse_retry_after(value, now)),
                _ => {}
            }
        }
        let mut fields = combined.or(ietf).or(x);
        if fields.limit.is_none() {
            fields.limit = policy.as_deref().and_then(policy_quota);
        }
        let found = RateLimit {
            limit: fields.limit,
            remaining: fields.remaining,
            reset: fields.reset,
            retry_after,
            policy,
        };
        (found != RateLimit::default()).then_some(found)
    }

    /// One line for the status line: `rate limit 50/100 left · resets in 30s · retry after 30s`.
    pub fn summary(&self, now: SystemTime) -> String {
        let mut parts = Vec::new();
        let counts = match (self.remaining, self.limit) {
            (Some(remaining), Some(limit)) => Some(format!("{remaining}/{limit} left")),
            (Some(remaining), None) => Some(format!("{remaining} left")),
            (None, Some(limit)) => Some(format!("{limit} per window")),
            (None, None) => None,
        };
        match (counts, self.reset) {
            (Some(counts), _) => parts.push(format!("rate limit {counts}")),
            (None, Some(_)) => parts.push("rate limit".to_string()),
            (None, None) => {}
        }
        if let Some(reset) = self.reset {
            let left = reset.remaining(now);
            parts.push(if left.is_zero() {
                "resets now".to_string()
            } else {
                format!("resets in {}", whole_seconds(left))
            });
        }
        if let Some(wait) = self.retry_after {
            parts.push(format!("retry after {}", whole_seconds(wait)));
        }
        if parts.is_empty()
            && let Some(policy) = &self.policy
        {
            parts.push(format!("rate limit policy {policy}"));
        }
        parts.join(" · ")
    }
}

/// Lower case, without `-` and `_`: `X-Rate-Limit-Reset` and `x-ratelimit-reset` read the same.
fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A duration rounded up to whole seconds, formatted like `30s` or `1m30s`.
fn whole_seconds(d: Duration) -> String {
    let secs = d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0));
    format_duration(Duration::from_secs(secs))
}

/// The leading number of a header value: `100`, `100, 100;w=60` and `"100"` all read 100.
fn number(value: &str) -> Option<u64> {
    let first = value.split([',', ';']).next()?.trim();
    first.trim_matches('"').trim().parse().ok()
}

/// A reset value (see the module docs for how timestamps and deltas are told apart).
fn reset(value: &str, now: SystemTime) -> Option<Reset> {
    let first = value
        .split([',', ';'])
        .next()?
        .trim()
        .trim_matches('"')
        .trim();
    if let Ok(n) = first.parse::<u64>() {
        let (at, absolute) = if n >= EPOCH_MILLIS_FROM {
            (UNIX_EPOCH.checked_add(Duration::from_millis(n)), true)
        } else if n >= EPOCH_SECONDS_FROM {
            (UNIX_EPOCH.checked_add(Duration::from_secs(n)), true)
        } else {
            (now.checked_add(Duration::from_secs(n)), false)
        };
        return at.map(|at| Reset { at, absolute });
    }
    // Fractional delta seconds (`1.5`); nothing else (units, negatives) is a reset value.
    if !first.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let delta = parse_duration(first).ok()?;
    now.checked_add(delta).map(|at| Reset {
        at,
        absolute: false,
    })
}

/// The combined `RateLimit` field: `limit=100, remaining=50, reset=30` or `"default";r=50;t=30`.
/// The first value of each parameter wins.
fn structured(value: &str, now: SystemTime) -> Fields {
    let mut fields = Fields::default();
    for (key, val) in parameters(value) {
        match key.as_str() {
            "limit" | "l" | "q" => fields.limit = fields.limit.or(number(val)),
            "remaining" | "r" => fields.remaining = fields.remaining.or(number(val)),
            "reset" | "t" => fields.reset = fields.reset.or(reset(val, now)),
            _ => {}
        }
    }
    fields
}

/// The `key=value` parameters of a structured field, across all its list members.
fn parameters(value: &str) -> impl Iterator<Item = (String, &str)> {
    value.split([',', ';']).filter_map(|part| {
        let (key, val) = part.split_once('=')?;
        Some((key.trim().to_ascii_lowercase(), val.trim()))
    })
}

/// The quota of a `RateLimit-Policy`: its `q` parameter (`"default";q=100;w=60`), else its leading
/// number (`100;w=60`).
fn policy_quota(policy: &str) -> Option<u64> {
    parameters(policy)
        .find(|(key, _)| key == "q")
        .and_then(|(_, val)| number(val))
        .or_else(|| number(policy))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> Option<RateLimit> {
        RateLimit::parse(&headers(pairs), now())
    }

    fn after(secs: u64) -> Option<Reset> {
        Some(Reset {
            at: now() + Duration::from_secs(secs),
            absolute: false,
        })
    }

    #[test]
    fn none_without_rate_limit_headers() {
        assert_eq!(parse(&[]), None);
        assert_eq!(parse(&[("Content-Type", "application/json")]), None);
        assert_eq!(parse(&[("X-RateLimit-Limit", "lots")]), None);
    }

    #[test]
    fn reads_x_ratelimit_headers_with_delta_reset() {
        let limit = parse(&[
            ("x-ratelimit-limit", "100"),
            ("X-RateLimit-Remaining", " 50 "),
            ("X-RATELIMIT-RESET", "30"),
        ])
        .unwrap();
        assert_eq!(
            limit,
            RateLimit {
                limit: Some(100),
                remaining: Some(50),
                reset: after(30),
                retry_after: None,
                policy: None,
            }
        );
        assert_eq!(
            limit.summary(now()),
            "rate limit 50/100 left · resets in 30s"
        );
    }

    #[test]
    fn reads_epoch_resets_in_seconds_and_milliseconds() {
        let limit = parse(&[("X-RateLimit-Reset", "1700000090")]).unwrap();
        let expected = Reset {
            at: now() + Duration::from_secs(90),
            absolute: true,
        };
        assert_eq!(limit.reset, Some(expected));
        assert_eq!(limit.summary(now()), "rate limit · resets in 1m30s");
        let limit = parse(&[("X-RateLimit-Reset", "1700000090000")]).unwrap();
        assert_eq!(limit.reset, Some(expected));
        // A reset in the past is "now", not an error.
        let limit = parse(&[("X-RateLimit-Reset", "1600000000")]).unwrap();
        assert_eq!(limit.summary(now()), "rate limit · resets now");
        // Fractional deltas round up for display.
        let limit = parse(&[("X-RateLimit-Reset", "1.5")]).unwrap();
        assert_eq!(limit.summary(now()), "rate limit · resets in 2s");
    }

    #[test]
    fn reads_x_rate_limit_spelling() {
        let limit = parse(&[
            ("x-rate-limit-remaining", "7"),
            ("x-rate-limit-limit", "15"),
        ]);
        assert_eq!(limit.unwrap().summary(now()), "rate limit 7/15 left");
    }

    #[test]
    fn reads_ietf_headers_and_prefers_them_over_x() {
        let limit = parse(&[
            ("X-RateLimit-Remaining", "1"),
            ("RateLimit-Limit", "100, 100;w=60"),
            ("RateLimit-Remaining", "42"),
            ("RateLimit-Reset", "12"),
            ("RateLimit-Policy", "100;w=60"),
        ])
        .unwrap();
        assert_eq!(limit.limit, Some(100));
        assert_eq!(limit.remaining, Some(42));
        assert_eq!(limit.reset, after(12));
        assert_eq!(limit.policy.as_deref(), Some("100;w=60"));
    }

    #[test]
    fn reads_the_combined_field_in_both_draft_forms() {
        let limit = parse(&[("RateLimit", "limit=100, remaining=50, reset=30")]).unwrap();
        assert_eq!((limit.limit, limit.remaining), (Some(100), Some(50)));
        assert_eq!(limit.reset, after(30));

        let limit = parse(&[
            ("RateLimit", "\"default\";r=50;t=30"),
            ("RateLimit-Policy", "\"default\";q=100;w=60"),
            ("RateLimit-Remaining", "99"),
        ])
        .unwrap();
        assert_eq!(limit.limit, Some(100), "quota from the policy");
        assert_eq!(limit.remaining, Some(50), "the combined field wins");
        assert_eq!(limit.reset, after(30));
        assert_eq!(
            limit.summary(now()),
            "rate limit 50/100 left · resets in 30s"
        );
    }

    #[test]
    fn reads_retry_after_in_both_forms() {
        let limit = parse(&[("Retry-After", "20")]).unwrap();
        assert_eq!(limit.retry_after, Some(Duration::from_secs(20)));
        assert_eq!(limit.summary(now()), "retry after 20s");

        let date = httpdate::fmt_http_date(now() + Duration::from_secs(45));
        let limit = parse(&[
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Reset", "45"),
            ("Retry-After", &date),
        ])
        .unwrap();
        assert_eq!(limit.retry_after, Some(Duration::from_secs(45)));
        assert_eq!(
            limit.summary(now()),
            "rate limit 0/5 left · resets in 45s · retry after 45s"
        );
    }

    #[test]
    fn summary_counts_down_with_now() {
        let limit = parse(&[("RateLimit-Reset", "30"), ("RateLimit-Remaining", "3")]).unwrap();
        let later = now() + Duration::from_secs(20);
        assert_eq!(limit.summary(later), "rate limit 3 left · resets in 10s");
        let policy_only = parse(&[("RateLimit-Policy", "w=60")]).unwrap();
        assert_eq!(policy_only.summary(now()), "rate limit policy w=60");
        let limit_only = parse(&[("RateLimit-Limit", "60")]).unwrap();
        assert_eq!(limit_only.summary(now()), "rate limit 60 per window");
    }

    fn header_name() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "RateLimit",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "RateLimit-Policy",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "Retry-After",
            ])
            .prop_map(str::to_string),
            "\\PC{0,12}",
        ]
    }

    fn header_value() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,40}",
            "[0-9a-z=;,\". ]{0,30}",
            any::<u64>().prop_map(|n| n.to_string()),
        ]
    }

    proptest! {
        #[test]
        fn parsing_never_panics(
            pairs in prop::collection::vec((header_name(), header_value()), 0..8),
            secs in any::<u64>(),
            later in any::<u64>(),
        ) {
            let now = UNIX_EPOCH.checked_add(Duration::from_secs(secs)).unwrap_or(UNIX_EPOCH);
            if let Some(limit) = RateLimit::parse(&pairs, now) {
                let later = now.checked_add(Duration::from_secs(later)).unwrap_or(now);
                prop_assert!(!limit.summary(later).is_empty());
                prop_assert!(!limit.summary(UNIX_EPOCH).is_empty());
            }
        }
    }
}
