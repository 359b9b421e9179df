//! What follows a failed attempt: whether the request may be retried at all (its method, an
//! `Idempotency-Key`), whether the failure is one the policy retries, and how long to wait
//! (the server's `Retry-After`, else the policy's backoff). Pure: the caller injects the clock
//! (`now`) and the random source, so every decision is reproducible in tests.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::model::duration::format_duration;
use crate::model::{KeyValue, Method, RetryOn, RetryPolicy, human_duration};

/// The request header that makes POST and PATCH retryable.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Why a request is not retried at all, in words for the response pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "{method} is not idempotent: scout retries it only when the request carries an Idempotency-Key header"
)]
pub struct NotRetried {
    pub method: Method,
}

/// Whether a request with this method may be retried at all. GET, HEAD, OPTIONS, PUT and DELETE
/// are idempotent; POST and PATCH, and any other method (not known to be), are retried only
/// with an `Idempotency-Key` header.
pub fn retry_allowed(method: Method, has_idempotency_key: bool) -> Result<(), NotRetried> {
    match method {
        Method::Get | Method::Head | Method::Options | Method::Put | Method::Delete => Ok(()),
        Method::Post | Method::Patch | Method::Other(_) if has_idempotency_key => Ok(()),
        Method::Post | Method::Patch | Method::Other(_) => Err(NotRetried { method }),
    }
}

/// Whether `headers` carry an enabled, non-empty `Idempotency-Key` (name compared case-insensitively).
pub fn has_idempotency_key(headers: &[KeyValue]) -> bool {
    headers.iter().any(|h| {
        h.enabled
            && h.key.trim().eq_ignore_ascii_case(IDEMPOTENCY_KEY_HEADER)
            && !h.value.trim().is_empty()
    })
}

/// A `Retry-After` header value, in either of its forms (RFC 9110 §10.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 120` (delta-seconds).
    Delay(Duration),
    /// `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT` (an HTTP-date).
    At(SystemTime),
}

impl RetryAfter {
    /// Reads a header value; `None` when it is neither delta-seconds nor an HTTP-date. Delta-seconds
    /// too large for a `u64` saturate rather than being rejected.
    pub fn parse(value: &str) -> Option<RetryAfter> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            let secs = value.parse::<u64>().unwrap_or(u64::MAX);
            return Some(RetryAfter::Delay(Duration::from_secs(secs)));
        }
        httpdate::parse_http_date(value).ok().map(RetryAfter::At)
    }

    /// The wait this value asks for, seen from `now`; a date in the past asks for no wait.
    pub fn delay_from(&self, now: SystemTime) -> Duration {
        match self {
            RetryAfter::Delay(d) => *d,
            RetryAfter::At(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// The wait a `Retry-After` value asks for, relative to `now`; `None` when it does not parse.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use scout::http::retry::parse_retry_after;
/// let now = UNIX_EPOCH + Duration::from_secs(784_111_717); // Sun, 06 Nov 1994 08:48:37 GMT
/// assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(60)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    RetryAfter::parse(value).map(|r| r.delay_from(now))
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// A response arrived (any status; the caller decides which statuses count as success).
    Status {
        code: u16,
        retry_after: Option<RetryAfter>,
    },
    /// The connection could not be made (refused, DNS, TLS handshake).
    ConnectError,
    /// A timeout fired.
    Timeout,
    /// Anything else (an invalid request, a broken body): never retried.
    OtherError,
}

impl AttemptOutcome {
    /// The retry condition this outcome matches, if any.
    pub fn condition(&self) -> Option<RetryOn> {
        match self {
            AttemptOutcome::Status { code, .. } => Some(RetryOn::Status(*code)),
            AttemptOutcome::ConnectError => Some(RetryOn::Connect),
            AttemptOutcome::Timeout => Some(RetryOn::Timeout),
            AttemptOutcome::OtherError => None,
        }
    }
}

impl fmt::Display for AttemptOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptOutcome::Status { code, .. } => write!(f, "status {code}"),
            AttemptOutcome::ConnectError => f.write_str("a connection error"),
            AttemptOutcome::Timeout => f.write_str("a timeout"),
            AttemptOutcome::OtherError => f.write_str("an error"),
        }
    }
}

/// What to do after a failed attempt; `reason` is shown in the response pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Retry { delay: Duration, reason: String },
    Stop { reason: String },
}

impl Decision {
    /// The wait before the next attempt, or `None` when there is none.
    pub fn delay(&self) -> Option<Duration> {
        match self {
            Decision::Retry { delay, .. } => Some(*delay),
            Decision::Stop { .. } => None,
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Decision::Retry { reason, .. } | Decision::Stop { reason } => reason,
        }
    }
}

/// Decides what follows the failed attempt number `attempt` (1-based; 0 is read as 1).
///
/// Retries only outcomes listed in `on`, at most `max` times. The wait is the server's
/// `Retry-After` when the response has one (seen from `now`, without jitter), else the backoff
/// for this retry ([`RetryPolicy::backoff_delay`]); either way it never exceeds `max_delay`.
pub fn next_delay(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: &AttemptOutcome,
    now: SystemTime,
    rng: &mut fastrand::Rng,
) -> Decision {
    let attempt = attempt.max(1);
    let Some(condition) = outcome.condition() else {
        return Decision::Stop {
            reason: format!(
                "not retried: {outcome} that is not a status, a connection error or a timeout"
            ),
        };
    };
    if !policy.on.contains(&condition) {
        return Decision::Stop {
            reason: format!(
                "not retried: {outcome} is not in the retry list ({})",
                policy.on_list()
            ),
        };
    }
    if policy.is_off() {
        return Decision::Stop {
            reason: format!("not retried: {outcome}, and retries are off for this request"),
        };
    }
    let attempts = policy.max_attempts();
    if attempt >= attempts {
        return Decision::Stop {
            reason: format!("gave up after {attempt} attempts: the last one got {outcome}"),
        };
    }

    let retry_after = match outcome {
        AttemptOutcome::Status {
            retry_after: Some(retry_after),
            ..
        } => Some(retry_after.delay_from(now)),
        _ => None,
    };
    let (delay, why) = match retry_after {
        Some(asked) if asked > policy.max_delay => (
            policy.max_delay,
            format!(
                "the server's Retry-After asks for {}, more than max_delay {}",
                human_duration(asked),
                format_duration(policy.max_delay)
            ),
        ),
        Some(asked) => (asked, "as the server's Retry-After asks".to_string()),
        None => {
            let jitter = if policy.jitter { " with jitter" } else { "" };
            (
                policy.backoff_delay(attempt, rng),
                format!("{} backoff{jitter}", policy.backoff),
            )
        }
    };
    Decision::Retry {
        delay,
        reason: format!(
            "{outcome}: attempt {} of {attempts} in {} ({why})",
            attempt + 1,
            human_duration(delay)
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use proptest::prelude::*;

    use super::*;
    use crate::model::Backoff;
    use crate::model::retry::strategies::any_policy;

    /// Sun, 06 Nov 1994 08:48:37 GMT, the RFC's example date.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(784_111_717)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn rng() -> fastrand::Rng {
        fastrand::Rng::with_seed(7)
    }

    fn status(code: u16) -> AttemptOutcome {
        AttemptOutcome::Status {
            code,
            retry_after: None,
        }
    }

    fn no_jitter(backoff: Backoff) -> RetryPolicy {
        RetryPolicy {
            max: 10,
            backoff,
            jitter: false,
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn idempotent_methods_are_retried_post_and_patch_need_a_key() {
        for method in [
            Method::Get,
            Method::Head,
            Method::Options,
            Method::Put,
            Method::Delete,
        ] {
            assert_eq!(retry_allowed(method, false), Ok(()), "{method}");
        }
        for method in [Method::Post, Method::Patch] {
            assert_eq!(retry_allowed(method, true), Ok(()));
            let err = retry_allowed(method, false).unwrap_err();
            assert_eq!(err, NotRetried { method });
        }
        assert_eq!(
            retry_allowed(Method::Post, false).unwrap_err().to_string(),
            "POST is not idempotent: scout retries it only when the request carries an Idempotency-Key header"
        );
    }

    #[test]
    fn idempotency_keys_are_found() {
        let mut key = KeyValue::new("idempotency-key", "abc");
        assert!(has_idempotency_key(&[
            KeyValue::new("Accept", "*/*"),
            key.clone()
        ]));
        key.enabled = false;
        assert!(!has_idempotency_key(std::slice::from_ref(&key)));
        assert!(!has_idempotency_key(&[KeyValue::new(
            "Idempotency-Key",
            " "
        )]));
    }

    #[test]
    fn retries_listed_failures_and_explains_the_wait() {
        let policy = no_jitter(Backoff::Exponential);
        let decision = next_delay(&policy, 2, &status(503), now(), &mut rng());
        assert_eq!(
            decision,
            Decision::Retry {
                delay: ms(1000),
                reason: "status 503: attempt 3 of 11 in 1.00 s (exponential backoff)".into()
            }
        );
        let decision = next_delay(&policy, 1, &AttemptOutcome::ConnectError, now(), &mut rng());
        assert_eq!(decision.delay(), Some(ms(500)));
        assert!(
            decision
                .reason()
                .starts_with("a connection error: attempt 2")
        );
        let decision = next_delay(&policy, 1, &AttemptOutcome::Timeout, now(), &mut rng());
        assert_eq!(decision.delay(), Some(ms(500)));
    }

    #[test]
    fn stops_when_not_listed_off_or_exhausted() {
        let policy = RetryPolicy::default();
        let d = next_delay(&policy, 1, &status(404), now(), &mut rng());
        assert_eq!(
            d.reason(),
            "not retried: status 404 is not in the retry list (429, 502, 503, 504, connect, timeout)"
        );
        assert_eq!(d.delay(), None);

        let d = next_delay(&policy, 1, &AttemptOutcome::OtherError, now(), &mut rng());
        assert!(matches!(d, Decision::Stop { .. }), "{d:?}");

        let d = next_delay(&RetryPolicy::off(), 1, &status(503), now(), &mut rng());
        assert!(d.reason().contains("retries are off"), "{d:?}");

        let d = next_delay(&policy, 4, &status(503), now(), &mut rng());
        assert_eq!(
            d,
            Decision::Stop {
                reason: "gave up after 4 attempts: the last one got status 503".into()
            }
        );
        assert!(
            next_delay(&policy, 3, &status(503), now(), &mut rng())
                .delay()
                .is_some()
        );
    }

    #[test]
    fn retry_after_overrides_backoff_in_both_forms_and_is_capped() {
        let policy = RetryPolicy::default();
        let with = |retry_after: &str| AttemptOutcome::Status {
            code: 429,
            retry_after: RetryAfter::parse(retry_after),
        };
        let d = next_delay(&policy, 1, &with("7"), now(), &mut rng());
        assert_eq!(d.delay(), Some(Duration::from_secs(7)));
        assert!(d.reason().contains("Retry-After"), "{d:?}");

        let d = next_delay(
            &policy,
            1,
            &with("Sun, 06 Nov 1994 08:48:47 GMT"),
            now(),
            &mut rng(),
        );
        assert_eq!(d.delay(), Some(Duration::from_secs(10)));

        let d = next_delay(
            &policy,
            1,
            &with("Sun, 06 Nov 1994 08:00:00 GMT"),
            now(),
            &mut rng(),
        );
        assert_eq!(d.delay(), Some(Duration::ZERO));

        let d = next_delay(&policy, 1, &with("120"), now(), &mut rng());
        assert_eq!(d.delay(), Some(Duration::from_secs(30)));
        assert!(
            d.reason()
                .contains("Retry-After asks for 120.0 s, more than max_delay 30s"),
            "{d:?}"
        );
    }

    #[test]
    fn parses_retry_after_forms() {
        let cases: &[(&str, Option<u64>)] = &[
            ("120", Some(120)),
            ("  0 ", Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(60)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(60)),
            ("Sun Nov  6 08:49:37 1994", Some(60)),
            ("Sat, 05 Nov 1994 08:49:37 GMT", Some(0)),
            ("", None),
            ("-5", None),
            ("1.5", None),
            ("soon", None),
            ("Sun, 06 Nov 1994 25:00:00 GMT", None),
        ];
        for (value, expected) in cases {
            assert_eq!(
                parse_retry_after(value, now()),
                expected.map(Duration::from_secs),
                "{value:?}"
            );
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", now()),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    fn any_outcome() -> impl Strategy<Value = AttemptOutcome> {
        prop_oneof![
            (
                100u16..600,
                proptest::option::of(prop_oneof![
                    any::<u64>().prop_map(|s| RetryAfter::Delay(Duration::from_secs(s))),
                    (0u64..4_000_000_000)
                        .prop_map(|s| RetryAfter::At(UNIX_EPOCH + Duration::from_secs(s))),
                ])
            )
                .prop_map(|(code, retry_after)| AttemptOutcome::Status { code, retry_after }),
            Just(AttemptOutcome::ConnectError),
            Just(AttemptOutcome::Timeout),
            Just(AttemptOutcome::OtherError),
        ]
    }

    proptest! {
        #[test]
        fn parse_retry_after_never_panics(value in "\\PC{0,40}", secs in 0u64..8_000_000_000) {
            let _ = parse_retry_after(&value, UNIX_EPOCH + Duration::from_secs(secs));
        }

        #[test]
        fn parse_retry_after_never_panics_on_date_like_text(
            value in "[A-Za-z]{3}, [0-9]{1,2} [A-Za-z]{3} [0-9]{2,4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
        ) {
            let _ = parse_retry_after(&value, now());
        }

        #[test]
        fn delay_never_exceeds_max_delay(
            policy in any_policy(),
            attempt in any::<u32>(),
            outcome in any_outcome(),
            seed in any::<u64>(),
        ) {
            let decision = next_delay(&policy, attempt, &outcome, now(), &mut fastrand::Rng::with_seed(seed));
            if let Some(delay) = decision.delay() {
                prop_assert!(delay <= policy.max_delay, "{decision:?}");
            }
        }

        #[test]
        fn attempts_never_exceed_max_plus_one(
            policy in any_policy(),
            code in prop::sample::select(vec![429u16, 502, 503, 504]),
            seed in any::<u64>(),
        ) {
            let policy = RetryPolicy { on: vec![RetryOn::Status(code)], ..policy };
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut attempt = 1;
            while next_delay(&policy, attempt, &status(code), now(), &mut rng).delay().is_some() {
                attempt += 1;
                prop_assert!(attempt <= policy.max + 1);
            }
            prop_assert_eq!(attempt, policy.max + 1);
        }

    }
}
