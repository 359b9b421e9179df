//! Timeouts and retries against the demo server: `with_retries` over real exchanges, waits
//! recorded rather than slept ([`RecordedSleep`]), server hits counted by `/flaky`'s attempt
//! numbers; and the worker, whose Esc/Cancel drops the remaining attempts.

mod support;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use scout::demo::DemoServer;
use scout::http::HttpError;
use scout::http::attempts::{AttemptReport, RecordedSleep, with_retries};
use scout::http::build::prepare;
use scout::http::client::client;
use scout::http::execute::{Memory, execute};
use scout::http::job::{HttpEvent, Job};
use scout::http::ratelimit::RateLimit;
use scout::http::worker::{self, Command};
use scout::model::{
    Backoff, KeyValue, Method, RequestSpec, ResponseData, RetryOn, RetryPolicy, Timeouts,
};
use serde_json::Value;
use tokio::sync::mpsc;

/// How long a test waits for something that should happen before giving up.
const PATIENCE: Duration = Duration::from_secs(10);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        total: PATIENCE,
        read: None,
    }
}

/// Exponential from 100 ms, no jitter, retrying `on` up to `max` times.
fn policy(max: u32, on: Vec<RetryOn>) -> RetryPolicy {
    RetryPolicy {
        max,
        backoff: Backoff::Exponential,
        base: ms(100),
        max_delay: Duration::from_secs(30),
        jitter: false,
        on,
    }
}

fn spec(method: Method, url: &str, headers: Vec<KeyValue>) -> RequestSpec {
    RequestSpec {
        method,
        url: url.to_string(),
        headers,
        ..Default::default()
    }
}

fn json(response: &ResponseData) -> Value {
    serde_json::from_slice(&response.body).unwrap()
}

/// One exchange, body collected.
async fn send(spec: &RequestSpec, timeouts: Timeouts) -> Result<ResponseData, HttpError> {
    let prepared = prepare(spec, &PathBuf::from(".")).unwrap();
    let client = client(timeouts.connect).unwrap();
    let mut sink = Memory::default();
    let mut response = execute(&client, prepared, timeouts, &mut sink).await?;
    response.body = sink.0.into();
    Ok(response)
}

struct Run {
    result: Result<ResponseData, HttpError>,
    attempts: u32,
    reports: Vec<AttemptReport>,
    delays: Vec<Duration>,
}

/// `spec` through the retry loop, each attempt a fresh exchange.
async fn retried(policy: &RetryPolicy, spec: &RequestSpec, timeouts: Timeouts) -> Run {
    let prepared = prepare(spec, &PathBuf::from(".")).unwrap();
    let client = client(timeouts.connect).unwrap();
    let sleeper = RecordedSleep::default();
    let mut attempts = 0;
    let mut reports = Vec::new();
    let result = with_retries(
        policy,
        spec.method,
        &spec.headers,
        |n| {
            attempts += 1;
            assert_eq!(n, attempts, "attempts are numbered from 1");
            let (client, req) = (&client, prepared.clone());
            async move {
                let mut sink = Memory::default();
                let mut response = execute(client, req, timeouts, &mut sink).await?;
                response.body = sink.0.into();
                Ok(response)
            }
        },
        &sleeper,
        &mut fastrand::Rng::with_seed(1),
        |r| reports.push(r),
    )
    .await;
    Run {
        result,
        attempts,
        reports,
        delays: sleeper.delays(),
    }
}

fn status(run: &Run) -> u16 {
    match &run.result {
        Ok(response) => response.status,
        Err(e) => panic!("expected a response, got {e}"),
    }
}

/// The attempt number `/flaky` gives the next call for `key`: one more than the calls so far
/// (while it is still failing).
async fn next_flaky_attempt(base: &str, key: &str, fail: u32) -> u64 {
    let url = format!("{base}/flaky?fail={fail}&key={key}");
    let response = send(&spec(Method::Get, &url, vec![]), timeouts())
        .await
        .unwrap();
    json(&response)["attempt"].as_u64().unwrap()
}

#[tokio::test]
async fn flaky_get_succeeds_on_the_third_attempt_waiting_as_retry_after_asks() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/flaky?fail=2&key=get&retry_after=1", demo.base_url());
    let run = retried(
        &RetryPolicy {
            jitter: true,
            ..RetryPolicy::default()
        },
        &spec(Method::Get, &url, vec![]),
        timeouts(),
    )
    .await;
    assert_eq!(status(&run), 200);
    assert_eq!(json(run.result.as_ref().unwrap())["attempt"], 3);
    assert_eq!(run.attempts, 3);
    assert_eq!(
        run.delays,
        [Duration::from_secs(1); 2],
        "Retry-After, no jitter"
    );
    let expected = |attempt| AttemptReport {
        attempt,
        of: 4,
        outcome: "503 Service Unavailable".into(),
        wait: Some(Duration::from_secs(1)),
        note: "Retry-After: 1 s".into(),
    };
    assert_eq!(run.reports, [expected(1), expected(2)]);
}

#[tokio::test]
async fn retry_after_is_capped_by_max_delay() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/flaky?fail=2&key=cap&retry_after=5", demo.base_url());
    let capped = RetryPolicy {
        max_delay: Duration::from_secs(2),
        ..policy(3, vec![RetryOn::Status(503)])
    };
    let run = retried(&capped, &spec(Method::Get, &url, vec![]), timeouts()).await;
    assert_eq!(status(&run), 200);
    assert_eq!(run.delays, [Duration::from_secs(2); 2]);
    assert_eq!(
        run.reports[0].note,
        "Retry-After: 5 s, capped by max_delay 2s"
    );
}

#[tokio::test]
async fn backoff_without_retry_after_doubles_and_attempts_stop_at_max_plus_one() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/status/503", demo.base_url());
    let run = retried(
        &policy(3, vec![RetryOn::Status(503)]),
        &spec(Method::Get, &url, vec![]),
        timeouts(),
    )
    .await;
    assert_eq!(status(&run), 503, "the last response, even a 503");
    assert_eq!(run.attempts, 4);
    assert_eq!(run.delays, [ms(100), ms(200), ms(400)]);
    assert_eq!(run.reports.len(), 4);
    assert!(
        run.reports[..3]
            .iter()
            .all(|r| r.note == "exponential backoff"),
        "{:?}",
        run.reports
    );
    let last = &run.reports[3];
    assert_eq!((last.attempt, last.of, last.wait), (4, 4, None));
    assert_eq!(last.note, "gave up after 4 attempts");

    for max in 0..3 {
        let run = retried(
            &policy(max, vec![RetryOn::Status(503)]),
            &spec(Method::Get, &url, vec![]),
            timeouts(),
        )
        .await;
        assert_eq!(run.attempts, max + 1, "max = {max}");
        assert_eq!(run.delays.len(), max as usize);
    }
}

#[tokio::test]
async fn post_is_retried_only_with_an_idempotency_key() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let on_503 = policy(3, vec![RetryOn::Status(503)]);

    let url = format!("{base}/flaky?fail=2&key=post&retry_after=0");
    let run = retried(&on_503, &spec(Method::Post, &url, vec![]), timeouts()).await;
    assert_eq!(status(&run), 503);
    assert_eq!(run.attempts, 1);
    assert!(run.delays.is_empty());
    assert_eq!(run.reports.len(), 1, "{:?}", run.reports);
    assert_eq!((run.reports[0].of, run.reports[0].wait), (1, None));
    assert!(
        run.reports[0].note.contains("POST is not idempotent"),
        "{:?}",
        run.reports[0]
    );
    assert_eq!(
        next_flaky_attempt(&base, "post", 2).await,
        2,
        "exactly one server hit"
    );

    let url = format!("{base}/flaky?fail=2&key=keyed&retry_after=0");
    let headers = vec![KeyValue::new("Idempotency-Key", "9b7c-retry-test")];
    let run = retried(&on_503, &spec(Method::Post, &url, headers), timeouts()).await;
    assert_eq!(status(&run), 200);
    assert_eq!(run.attempts, 3);
    assert_eq!(json(run.result.as_ref().unwrap())["attempt"], 3);
}

#[tokio::test]
async fn a_status_not_in_on_is_not_retried() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let url = format!("{base}/flaky?fail=2&key=off-list&retry_after=0");
    let run = retried(
        &policy(3, vec![RetryOn::Status(502), RetryOn::Connect]),
        &spec(Method::Get, &url, vec![]),
        timeouts(),
    )
    .await;
    assert_eq!(status(&run), 503);
    assert_eq!(run.attempts, 1);
    assert!(run.reports.is_empty(), "{:?}", run.reports);
    assert_eq!(next_flaky_attempt(&base, "off-list", 2).await, 2);
}

#[tokio::test]
async fn connection_refused_is_retried_when_connect_is_in_on() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let run = retried(
        &policy(2, vec![RetryOn::Connect]),
        &spec(Method::Get, &url, vec![]),
        timeouts(),
    )
    .await;
    assert!(
        matches!(run.result, Err(HttpError::Refused { .. })),
        "{:?}",
        run.result
    );
    assert_eq!(run.attempts, 3);
    assert_eq!(run.delays, [ms(100), ms(200)]);
    assert_eq!(run.reports[0].outcome, "Connection refused");
    assert_eq!(run.reports[2].note, "gave up after 3 attempts");

    let run = retried(
        &policy(2, vec![RetryOn::Timeout]),
        &spec(Method::Get, &url, vec![]),
        timeouts(),
    )
    .await;
    assert_eq!(run.attempts, 1, "connect is not in on");
}

#[tokio::test]
async fn the_read_timeout_fires_when_the_body_stalls_and_says_how_much_arrived() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let read = Timeouts {
        read: Some(ms(300)),
        ..timeouts()
    };
    let stalled = spec(
        Method::Get,
        &format!("{base}/drip?chunks=3&interval=5"),
        vec![],
    );
    let err = send(&stalled, read).await.unwrap_err();
    assert_eq!(
        err,
        HttpError::ReadTimeout {
            after: ms(300),
            received: Some(13)
        }
    );
    assert_eq!(
        err.to_string(),
        "no data for 300 ms (read timeout) after receiving 13 B"
    );
    assert_eq!(err.title(), "Read timeout");
    assert!(err.is_timeout());

    // The read timeout is idle time, not total time: a steady drip outlasts it.
    let steady = spec(
        Method::Get,
        &format!("{base}/drip?chunks=4&interval=0.15"),
        vec![],
    );
    let slow_but_alive = Timeouts {
        read: Some(ms(400)),
        ..timeouts()
    };
    let response = send(&steady, slow_but_alive).await.unwrap();
    assert_eq!(
        String::from_utf8_lossy(&response.body),
        "chunk 1 of 4\nchunk 2 of 4\nchunk 3 of 4\nchunk 4 of 4\n"
    );
    assert!(response.elapsed > ms(400), "{:?}", response.elapsed);

    // A retried read timeout is a "timeout".
    let run = retried(&policy(1, vec![RetryOn::Timeout]), &stalled, read).await;
    assert_eq!(run.attempts, 2);
    assert_eq!(run.reports[0].outcome, "Read timeout");
}

#[tokio::test]
async fn the_read_timeout_also_covers_waiting_for_the_response_head() {
    let demo = DemoServer::start(0).unwrap();
    let silent = spec(Method::Get, &format!("{}/delay/5", demo.base_url()), vec![]);
    let read = Timeouts {
        connect: ms(500),
        total: PATIENCE,
        read: Some(ms(300)),
    };
    let err = send(&silent, read).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no response for 300 ms (read timeout) after connecting"
    );
}

#[tokio::test]
async fn total_and_connect_timeouts_say_which_fired_and_after_how_long() {
    let demo = DemoServer::start(0).unwrap();
    let slow = spec(Method::Get, &format!("{}/delay/5", demo.base_url()), vec![]);
    let total = Timeouts {
        total: ms(300),
        ..timeouts()
    };
    let err = send(&slow, total).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "total timeout: the whole exchange took longer than 300 ms"
    );

    let hole = tokio::task::spawn_blocking(support::blackhole)
        .await
        .unwrap()
        .unwrap_or_else(|why| panic!("cannot test the connect timeout: {why}"));
    let unreachable = spec(Method::Get, &format!("http://{}/", hole.addr), vec![]);
    let connect = Timeouts {
        connect: ms(300),
        total: Duration::from_secs(5),
        read: Some(ms(200)),
    };
    let err = send(&unreachable, connect).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "connect timeout: no connection to {} after 300 ms",
            hole.addr
        ),
        "the read timeout waits for the connection"
    );
}

#[tokio::test]
async fn responses_keep_every_header_for_the_rate_limit_line() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/rate-limited?budget=1&key=rl", demo.base_url());
    let response = send(&spec(Method::Get, &url, vec![]), timeouts())
        .await
        .unwrap();
    let limit = RateLimit::parse(&response.headers, SystemTime::now()).unwrap();
    assert_eq!((limit.limit, limit.remaining), (Some(1), Some(0)));
}

// ---- the worker

/// The next worker event for `id` that is not progress, within [`PATIENCE`].
async fn next_event(events: &mut mpsc::UnboundedReceiver<HttpEvent>) -> HttpEvent {
    loop {
        let event = tokio::time::timeout(PATIENCE, events.recv())
            .await
            .expect("a worker event in time")
            .expect("the worker is running");
        if !matches!(
            event,
            HttpEvent::Progress { .. } | HttpEvent::Cookies { .. } | HttpEvent::Tokens(_)
        ) {
            return event;
        }
    }
}

fn send_command(id: u64, url: &str, retries: RetryPolicy) -> Command {
    Command::Send(Job {
        retries,
        ..Job::new(id, spec(Method::Get, url, vec![]), timeouts())
    })
}

#[tokio::test]
async fn the_worker_reports_each_attempt_and_finishes_with_the_last() {
    let demo = DemoServer::start(0).unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    let url = format!("{}/flaky?fail=2&key=worker&retry_after=0", demo.base_url());
    worker
        .send(send_command(7, &url, policy(3, vec![RetryOn::Status(503)])))
        .unwrap();
    for attempt in 1..=2 {
        match next_event(&mut events).await {
            HttpEvent::Attempt { id: 7, report } => {
                assert_eq!(report.attempt, attempt);
                assert_eq!(report.wait, Some(Duration::ZERO));
            }
            other => panic!("expected attempt {attempt}, got {other:?}"),
        }
    }
    match next_event(&mut events).await {
        HttpEvent::Finished {
            id: 7,
            result: Ok(response),
        } => {
            assert_eq!(response.status, 200);
            assert_eq!(
                json(&response)["attempt"],
                3,
                "the body is the last attempt's"
            );
        }
        other => panic!("expected the final response, got {other:?}"),
    }
}

#[tokio::test]
async fn cancelling_during_a_wait_sends_no_further_attempts() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    let url = format!("{base}/flaky?fail=5&key=cancel&retry_after=1");
    worker
        .send(send_command(9, &url, policy(5, vec![RetryOn::Status(503)])))
        .unwrap();
    match next_event(&mut events).await {
        HttpEvent::Attempt { id: 9, report } => {
            assert_eq!(
                (report.attempt, report.wait),
                (1, Some(Duration::from_secs(1)))
            );
        }
        other => panic!("expected the first attempt, got {other:?}"),
    }
    worker.send(Command::Cancel(9)).unwrap();

    // Were the wait still running, attempt 2 would go out after 1 s: give it 1.5 s.
    let quiet = tokio::time::timeout(ms(1500), events.recv()).await;
    assert!(quiet.is_err(), "no event after cancelling: {quiet:?}");
    assert_eq!(
        next_flaky_attempt(&base, "cancel", 5).await,
        2,
        "the server saw exactly one attempt"
    );
}
