//! Integration tests for the demo API's `/flaky` and `/rate-limited`, read back with scout's own
//! `Retry-After` and rate-limit parsers (`scout::http::retry`, `scout::http::ratelimit`).

use std::time::{Duration, SystemTime};

use reqwest::{Client, Response, StatusCode};
use scout::demo::{DemoServer, ENDPOINTS};
use scout::http::ratelimit::RateLimit;
use scout::http::retry::parse_retry_after;
use serde_json::{Value, json};

/// How long any request may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);

fn server() -> (DemoServer, String) {
    let server = DemoServer::start(0).unwrap();
    let base = server.base_url();
    (server, base)
}

async fn get(url: &str) -> Response {
    Client::builder()
        .no_proxy()
        .timeout(PATIENCE)
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap()
}

/// Status, headers as scout's model holds them, and the JSON body.
async fn call(url: &str) -> (StatusCode, Vec<(String, String)>, Value) {
    let response = get(url).await;
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let body = response.bytes().await.unwrap();
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, headers, json)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn flaky_fails_n_times_then_succeeds_and_starts_over() {
    let (_server, base) = server();
    let url = format!("{base}/flaky?fail=3&retry_after=2");
    for round in 0..2 {
        for attempt in 1..=3 {
            let (status, headers, body) = call(&url).await;
            assert_eq!(
                status,
                StatusCode::SERVICE_UNAVAILABLE,
                "round {round}, attempt {attempt}"
            );
            assert_eq!(body, json!({"attempt": attempt, "failing_until": 3}));
            let retry_after = header(&headers, "retry-after").expect("Retry-After");
            assert_eq!(
                parse_retry_after(retry_after, SystemTime::now()),
                Some(Duration::from_secs(2))
            );
        }
        let (status, headers, body) = call(&url).await;
        assert_eq!(status, StatusCode::OK, "round {round}");
        assert_eq!(body, json!({"attempt": 4, "ok": true}));
        assert_eq!(header(&headers, "retry-after"), None);
    }
}

#[tokio::test]
async fn flaky_defaults_and_zero_failures() {
    let (_server, base) = server();
    let (status, headers, body) = call(&format!("{base}/flaky")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({"attempt": 1, "failing_until": 2}));
    assert_eq!(header(&headers, "retry-after"), Some("1"));

    let (status, _, body) = call(&format!("{base}/flaky?fail=0&key=never")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"attempt": 1, "ok": true}));

    let (status, headers, _) = call(&format!("{base}/flaky?fail=1&key=now&retry_after=0")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let retry_after = header(&headers, "retry-after").unwrap();
    assert_eq!(
        parse_retry_after(retry_after, SystemTime::now()),
        Some(Duration::ZERO)
    );

    let (status, _, body) = call(&format!("{base}/flaky?fail=many")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("fail"), "{body}");
}

#[tokio::test]
async fn flaky_keys_are_counted_apart() {
    let (_server, base) = server();
    let a = format!("{base}/flaky?fail=1&key=a");
    let b = format!("{base}/flaky?fail=1&key=b");
    assert_eq!(call(&a).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(call(&b).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(call(&a).await.0, StatusCode::OK);
    assert_eq!(call(&a).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(call(&b).await.0, StatusCode::OK);
}

#[tokio::test]
async fn two_servers_do_not_share_counters() {
    let (_one, first) = server();
    let (_two, second) = server();
    assert_eq!(
        call(&format!("{first}/flaky?fail=1")).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        call(&format!("{second}/flaky?fail=1")).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn rate_limited_counts_down_then_answers_429() {
    let (_server, base) = server();
    // A long window, so the test never straddles a reset.
    let url = format!("{base}/rate-limited?budget=3&window=600&key=countdown");
    for remaining in (0..3).rev() {
        let (status, headers, body) = call(&url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["remaining"], remaining);
        let limit = RateLimit::parse(&headers, SystemTime::now()).expect("rate-limit headers");
        assert_eq!(limit.limit, Some(3));
        assert_eq!(limit.remaining, Some(remaining));
        assert!(limit.retry_after.is_none());
        assert_eq!(header(&headers, "x-ratelimit-limit"), Some("3"));
        assert_eq!(
            header(&headers, "x-ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
        assert_eq!(header(&headers, "ratelimit-limit"), Some("3"));
        assert_eq!(
            header(&headers, "ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
    }

    let now = SystemTime::now();
    let (status, headers, body) = call(&url).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let error = body["error"].as_str().unwrap();
    assert!(error.contains("rate limit exceeded"), "{error}");
    let limit = RateLimit::parse(&headers, now).expect("rate-limit headers");
    assert_eq!(limit.remaining, Some(0));
    let reset = limit.reset.expect("a reset").remaining(now);
    assert!(
        reset > Duration::ZERO && reset <= Duration::from_secs(600),
        "{reset:?}"
    );
    let retry_after = limit.retry_after.expect("Retry-After");
    assert!(retry_after > Duration::ZERO && retry_after <= Duration::from_secs(600));
    let x_reset: u64 = header(&headers, "x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        Some(x_reset.to_string().as_str()),
        header(&headers, "ratelimit-reset")
    );
    assert_eq!(Duration::from_secs(x_reset), retry_after);
    assert!(
        limit
            .summary(now)
            .starts_with("rate limit 0/3 left · resets in "),
        "{}",
        limit.summary(now)
    );
}

#[tokio::test]
async fn rate_limited_defaults_and_keys() {
    let (_server, base) = server();
    let (status, headers, _) = call(&format!("{base}/rate-limited")).await;
    assert_eq!(status, StatusCode::OK);
    let limit = RateLimit::parse(&headers, SystemTime::now()).unwrap();
    assert_eq!((limit.limit, limit.remaining), (Some(5), Some(4)));
    let reset = header(&headers, "x-ratelimit-reset").unwrap();
    assert!(matches!(reset.parse::<u64>(), Ok(1..=10)), "{reset}");

    // A zero budget refuses at once; another key is not affected.
    let (status, _, _) = call(&format!("{base}/rate-limited?budget=0&key=empty")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, headers, _) = call(&format!("{base}/rate-limited?key=other")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "ratelimit-remaining"), Some("4"));

    let (status, _, _) = call(&format!("{base}/rate-limited?window=0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn index_lists_the_new_endpoints() {
    let (_server, base) = server();
    let (_, _, index) = call(&format!("{base}/")).await;
    let paths: Vec<&str> = index["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    for path in ["/flaky", "/rate-limited"] {
        assert!(paths.iter().any(|p| p.starts_with(path)), "{path}");
        assert!(ENDPOINTS.iter().any(|e| e.1.starts_with(path)), "{path}");
    }
}
