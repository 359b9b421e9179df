//! The retry loop: sends a request attempt by attempt until one is final, waiting between attempts
//! as the [`RetryPolicy`] decides, and reports every attempt that is followed by a wait (or ends in
//! giving up) so the response pane can show it.
//!
//! Independent of reqwest and of the clock: an attempt is any async function, and waits go through
//! [`Sleep`], so tests count attempts and check delays without sleeping ([`RecordedSleep`]).
//! Cancelling is dropping the future: a pending wait and the attempts after it simply never happen.
//!
//! How failures count for `on` (see [`outcome_of`]): every way of not getting a connection
//! (refused, DNS, TLS, and the connect timeout) is `"connect"`, since the request never reached
//! the server; `"timeout"` is the server being slow once connected (total and read timeouts).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::http::error::HttpError;
use crate::http::retry::{
    AttemptOutcome, Decision, RetryAfter, has_idempotency_key, retry_allowed,
};
use crate::model::duration::format_duration;
use crate::model::{KeyValue, Method, ResponseData, RetryPolicy, human_duration};

/// Waits between attempts.
pub trait Sleep: Send + Sync {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The real wait: `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(delay))
    }
}

/// A wait for tests: records each delay and returns at once.
#[derive(Debug, Default)]
pub struct RecordedSleep(Mutex<Vec<Duration>>);

impl RecordedSleep {
    /// Every delay asked for so far, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Sleep for RecordedSleep {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(delay);
        Box::pin(std::future::ready(()))
    }
}

/// One attempt, as the response pane shows it: "attempt 1 of 4: 503 Service Unavailable, next in
/// 1.00 s (Retry-After: 1 s)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptReport {
    /// 1-based.
    pub attempt: u32,
    /// The most attempts this request may take (1 when it is not retried at all).
    pub of: u32,
    /// The status line ("503 Service Unavailable") or the error's title ("Connection refused").
    pub outcome: String,
    /// The wait before the next attempt; `None` when there is no next attempt.
    pub wait: Option<Duration>,
    /// Why: "Retry-After: 1 s", "exponential backoff with jitter", "gave up after 4 attempts",
    /// or why the request is not retried at all.
    pub note: String,
}

/// How an attempt ended, for the retry policy, from the executor's classification. Connection
/// failures of every kind (the connect timeout, and a connection reset or closed before any
/// response, included) are [`AttemptOutcome::ConnectError`]; the total and read timeouts are
/// [`AttemptOutcome::Timeout`]; anything else that failed is never retried: a broken protocol,
/// framing or encoding is the server's bug, and a body cut short was already under way.
pub fn outcome_of(result: &Result<ResponseData, HttpError>) -> AttemptOutcome {
    match result {
        Ok(response) => AttemptOutcome::Status {
            code: response.status,
            retry_after: response.header("retry-after").and_then(RetryAfter::parse),
        },
        Err(
            HttpError::Refused { .. }
            | HttpError::Dns { .. }
            | HttpError::Connect { .. }
            | HttpError::Tls { .. }
            | HttpError::ConnectTimeout { .. }
            | HttpError::ClosedEarly { .. }
            | HttpError::Reset { received: None, .. },
        ) => AttemptOutcome::ConnectError,
        Err(HttpError::TotalTimeout { .. } | HttpError::ReadTimeout { .. }) => {
            AttemptOutcome::Timeout
        }
        Err(_) => AttemptOutcome::OtherError,
    }
}

/// "503 Service Unavailable", or the error's title.
pub fn outcome_label(result: &Result<ResponseData, HttpError>) -> String {
    match result {
        Ok(response) => format!("{} {}", response.status, response.reason)
            .trim_end()
            .to_string(),
        Err(e) => e.title().to_string(),
    }
}

/// Sends attempt 1, 2, … through `attempt` until one is final: a response or error the policy
/// does not retry, or the last attempt the policy allows. Returns that attempt's result (a 503
/// after the last attempt is still a response).
///
/// POST and PATCH without an `Idempotency-Key` in `headers` are sent once; when the policy would
/// have retried, one report says why not. Every attempt followed by a wait is reported before the
/// wait, and so is the last one when the policy gives up.
pub async fn with_retries<F, Fut>(
    policy: &RetryPolicy,
    method: Method,
    headers: &[KeyValue],
    mut attempt: F,
    sleeper: &dyn Sleep,
    rng: &mut fastrand::Rng,
    mut report: impl FnMut(AttemptReport),
) -> Result<ResponseData, HttpError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<ResponseData, HttpError>>,
{
    let allowed = retry_allowed(method, has_idempotency_key(headers));
    let of = if allowed.is_ok() {
        policy.max_attempts()
    } else {
        1
    };
    let mut n = 1;
    loop {
        let result = attempt(n).await;
        let outcome = outcome_of(&result);
        let now = SystemTime::now();
        let decision = crate::http::retry::next_delay(policy, n, &outcome, now, rng);
        let delay = match (decision, &allowed) {
            (Decision::Retry { .. }, Err(not_retried)) => {
                report(AttemptReport {
                    attempt: n,
                    of,
                    outcome: outcome_label(&result),
                    wait: None,
                    note: not_retried.to_string(),
                });
                return result;
            }
            (Decision::Retry { delay, .. }, Ok(())) => delay,
            (Decision::Stop { .. }, _) => {
                let retryable = outcome.condition().is_some_and(|c| policy.on.contains(&c));
                if n > 1 && retryable {
                    report(AttemptReport {
                        attempt: n,
                        of,
                        outcome: outcome_label(&result),
                        wait: None,
                        note: format!("gave up after {n} attempts"),
                    });
                }
                return result;
            }
        };
        report(AttemptReport {
            attempt: n,
            of,
            outcome: outcome_label(&result),
            wait: Some(delay),
            note: wait_note(policy, &outcome, delay, now),
        });
        sleeper.sleep(delay).await;
        n += 1;
    }
}

/// Why the wait is what it is: the server's `Retry-After` (and whether `max_delay` capped it), or
/// the policy's backoff.
fn wait_note(
    policy: &RetryPolicy,
    outcome: &AttemptOutcome,
    delay: Duration,
    now: SystemTime,
) -> String {
    let AttemptOutcome::Status {
        retry_after: Some(retry_after),
        ..
    } = outcome
    else {
        let jitter = if policy.jitter { " with jitter" } else { "" };
        return format!("{} backoff{jitter}", policy.backoff);
    };
    let asked = retry_after.delay_from(now);
    let header = match retry_after {
        RetryAfter::Delay(d) => format!("Retry-After: {} s", d.as_secs()),
        RetryAfter::At(at) => format!(
            "Retry-After: {} (in {})",
            httpdate::fmt_http_date(*at),
            human_duration(asked)
        ),
    };
    if delay < asked {
        format!(
            "{header}, capped by max_delay {}",
            format_duration(policy.max_delay)
        )
    } else {
        header
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;
    use crate::model::{Backoff, RetryOn};

    fn response(status: u16, retry_after: Option<&str>) -> Result<ResponseData, HttpError> {
        let reason = match status {
            200 => "OK",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "",
        };
        Ok(ResponseData {
            stopped: false,
            spilled: None,
            status,
            reason: reason.into(),
            version: "HTTP/1.1".into(),
            headers: retry_after
                .map(|v| vec![("retry-after".to_string(), v.to_string())])
                .unwrap_or_default(),
            body: bytes::Bytes::new(),
            elapsed: Duration::ZERO,
            redirects: Vec::new(),
            url: "http://a/".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        })
    }

    fn refused() -> Result<ResponseData, HttpError> {
        Err(HttpError::Refused {
            target: "a:80".into(),
        })
    }

    fn policy(max: u32) -> RetryPolicy {
        RetryPolicy {
            max,
            backoff: Backoff::Exponential,
            base: Duration::from_millis(100),
            max_delay: Duration::from_secs(30),
            jitter: false,
            on: vec![RetryOn::Status(503), RetryOn::Connect, RetryOn::Timeout],
        }
    }

    struct Run {
        result: Result<ResponseData, HttpError>,
        attempts: Vec<u32>,
        reports: Vec<AttemptReport>,
        delays: Vec<Duration>,
    }

    /// Runs the loop over canned results (the last one repeats once the list is used up).
    fn run(
        policy: &RetryPolicy,
        method: Method,
        headers: &[KeyValue],
        results: Vec<Result<ResponseData, HttpError>>,
    ) -> Run {
        let mut results = VecDeque::from(results);
        let mut attempts = Vec::new();
        let mut reports = Vec::new();
        let sleeper = RecordedSleep::default();
        let result = futures_util::FutureExt::now_or_never(with_retries(
            policy,
            method,
            headers,
            |n| {
                attempts.push(n);
                let next = if results.len() > 1 {
                    results.pop_front()
                } else {
                    results.front().cloned()
                };
                std::future::ready(next.expect("a canned result"))
            },
            &sleeper,
            &mut fastrand::Rng::with_seed(7),
            |r| reports.push(r),
        ))
        .expect("nothing here waits for real");
        Run {
            result,
            attempts,
            reports,
            delays: sleeper.delays(),
        }
    }

    #[test]
    fn retries_until_success_reporting_each_wait() {
        let r = run(
            &policy(3),
            Method::Get,
            &[],
            vec![response(503, Some("2")), refused(), response(200, None)],
        );
        assert_eq!(r.result.map(|r| r.status), Ok(200));
        assert_eq!(r.attempts, [1, 2, 3]);
        assert_eq!(
            r.delays,
            [Duration::from_secs(2), Duration::from_millis(200)]
        );
        assert_eq!(
            r.reports,
            [
                AttemptReport {
                    attempt: 1,
                    of: 4,
                    outcome: "503 Service Unavailable".into(),
                    wait: Some(Duration::from_secs(2)),
                    note: "Retry-After: 2 s".into(),
                },
                AttemptReport {
                    attempt: 2,
                    of: 4,
                    outcome: "Connection refused".into(),
                    wait: Some(Duration::from_millis(200)),
                    note: "exponential backoff".into(),
                },
            ]
        );
    }

    #[test]
    fn gives_up_after_max_plus_one_and_returns_the_last_response() {
        let r = run(&policy(2), Method::Get, &[], vec![response(503, None)]);
        assert_eq!(r.result.map(|r| r.status), Ok(503));
        assert_eq!(r.attempts, [1, 2, 3]);
        assert_eq!(r.delays.len(), 2);
        let last = r.reports.last().unwrap();
        assert_eq!((last.attempt, last.of, last.wait), (3, 3, None));
        assert_eq!(last.note, "gave up after 3 attempts");
        assert_eq!(r.reports.len(), 3);
    }

    #[test]
    fn retry_after_is_capped_by_max_delay_and_says_so() {
        let policy = RetryPolicy {
            max_delay: Duration::from_secs(5),
            ..policy(1)
        };
        let r = run(
            &policy,
            Method::Get,
            &[],
            vec![response(503, Some("120")), response(200, None)],
        );
        assert_eq!(r.delays, [Duration::from_secs(5)]);
        assert_eq!(
            r.reports[0].note,
            "Retry-After: 120 s, capped by max_delay 5s"
        );
    }

    #[test]
    fn post_and_patch_need_an_idempotency_key() {
        for method in [Method::Post, Method::Patch] {
            let r = run(&policy(3), method, &[], vec![response(503, None)]);
            assert_eq!(r.attempts, [1], "{method}");
            assert!(r.delays.is_empty());
            assert_eq!(r.reports.len(), 1, "the reason is given once");
            assert_eq!((r.reports[0].of, r.reports[0].wait), (1, None));
            assert!(
                r.reports[0].note.contains("Idempotency-Key"),
                "{:?}",
                r.reports[0]
            );
            assert_eq!(r.result.map(|r| r.status), Ok(503));

            let key = [KeyValue::new("idempotency-key", "k-1")];
            let r = run(&policy(3), method, &key, vec![response(503, None)]);
            assert_eq!(r.attempts, [1, 2, 3, 4], "{method}");
        }
        // A success needs no explanation.
        let r = run(&policy(3), Method::Post, &[], vec![response(200, None)]);
        assert!(r.reports.is_empty());
    }

    #[test]
    fn final_outcomes_are_not_reported() {
        let cases = [
            (policy(3), response(200, None)),
            (policy(3), response(500, None)),
            (policy(3), Err(HttpError::Other("boom".into()))),
            (policy(0), response(503, None)),
        ];
        for (policy, result) in cases {
            let r = run(&policy, Method::Get, &[], vec![result]);
            assert_eq!(r.attempts, [1]);
            assert!(r.reports.is_empty(), "{:?}", r.reports);
            assert!(r.delays.is_empty());
        }
    }

    #[test]
    fn a_different_final_failure_after_retries_is_not_a_give_up() {
        let r = run(
            &policy(3),
            Method::Get,
            &[],
            vec![response(503, None), response(500, None)],
        );
        assert_eq!(r.attempts, [1, 2]);
        assert_eq!(r.reports.len(), 1);
        assert_eq!(r.result.map(|r| r.status), Ok(500));
    }

    #[test]
    fn failures_are_classified_for_the_policy() {
        let err = |e: HttpError| outcome_of(&Err(e));
        let d = Duration::from_secs(1);
        let t = || "a:1".to_string();
        assert_eq!(
            err(HttpError::Refused { target: t() }),
            AttemptOutcome::ConnectError
        );
        assert_eq!(
            err(HttpError::Dns {
                host: t(),
                detail: t()
            }),
            AttemptOutcome::ConnectError
        );
        assert_eq!(
            err(HttpError::ConnectTimeout {
                target: t(),
                after: d
            }),
            AttemptOutcome::ConnectError
        );
        assert_eq!(
            err(HttpError::TotalTimeout { after: d }),
            AttemptOutcome::Timeout
        );
        assert_eq!(
            err(HttpError::ReadTimeout {
                after: d,
                received: Some(3)
            }),
            AttemptOutcome::Timeout
        );
        assert_eq!(
            err(HttpError::ClosedMidBody {
                received: 1,
                expected: None,
                detail: t()
            }),
            AttemptOutcome::OtherError
        );
        // Before any response a reset or a close is the connection's; after body bytes, or a
        // broken protocol, framing or encoding, a retry cannot help.
        assert_eq!(
            err(HttpError::Reset {
                target: t(),
                received: None
            }),
            AttemptOutcome::ConnectError
        );
        assert_eq!(
            err(HttpError::ClosedEarly { target: t() }),
            AttemptOutcome::ConnectError
        );
        for broken in [
            HttpError::Reset {
                target: t(),
                received: Some(3),
            },
            HttpError::Protocol {
                problem: crate::http::error::ProtocolProblem::StatusLine,
                detail: t(),
            },
            HttpError::Framing {
                received: 0,
                detail: t(),
            },
            HttpError::Decoding { detail: t() },
        ] {
            assert_eq!(err(broken), AttemptOutcome::OtherError);
        }
        assert_eq!(
            outcome_of(&response(429, Some("3"))),
            AttemptOutcome::Status {
                code: 429,
                retry_after: Some(RetryAfter::Delay(Duration::from_secs(3)))
            }
        );
        assert_eq!(outcome_label(&response(418, None)), "418");
    }
}
