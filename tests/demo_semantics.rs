//! The demo's caching and method-semantics endpoints over real HTTP on 127.0.0.1: `/cache`,
//! `/etag`, `/vary`, `/no-store`, `/payments` with and without an Idempotency-Key, `OPTIONS`
//! with `Allow`, and `/cors` with its preflight.

use std::time::Duration;

use reqwest::header::{self, HeaderValue};
use reqwest::{Client, Method, Response, StatusCode};
use scout::demo::DemoServer;
use serde_json::{Value, json};

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Response {
    let mut request = client().request(method, url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    request.send().await.unwrap()
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn cache_endpoints_carry_their_headers_and_answer_conditional_requests() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let r = send(Method::GET, &format!("{base}/cache/60"), &[], None).await;
    assert_eq!(header(&r, "cache-control"), "max-age=60");
    let last_modified = header(&r, "last-modified").to_string();
    assert!(!header(&r, "date").is_empty() && !last_modified.is_empty());
    assert_eq!(
        r.bytes()
            .await
            .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
            .unwrap()["served"],
        1
    );
    let r = send(
        Method::GET,
        &format!("{base}/cache/60"),
        &[("If-Modified-Since", &last_modified)],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    // Strong and weak ETags both match weakly; another tag does not.
    let r = send(Method::GET, &format!("{base}/etag/v1"), &[], None).await;
    assert_eq!(
        (header(&r, "etag"), header(&r, "cache-control")),
        ("\"v1\"", "no-cache")
    );
    let r = send(Method::GET, &format!("{base}/etag/v1?weak=true"), &[], None).await;
    assert_eq!(header(&r, "etag"), "W/\"v1\"");
    for matching in ["\"v1\"", "W/\"v1\"", "\"x\", \"v1\"", "*"] {
        let r = send(
            Method::GET,
            &format!("{base}/etag/v1"),
            &[("If-None-Match", matching)],
            None,
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{matching}");
        assert_eq!(header(&r, "etag"), "\"v1\"");
    }
    let r = send(
        Method::GET,
        &format!("{base}/etag/v1"),
        &[("If-None-Match", "\"v2\"")],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = send(Method::GET, &format!("{base}/etag/bad%22tag"), &[], None).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let r = send(
        Method::GET,
        &format!("{base}/vary"),
        &[("Accept", "text/plain")],
        None,
    )
    .await;
    assert_eq!(header(&r, "vary"), "Accept");
    assert!(header(&r, "content-type").starts_with("text/plain"));
    let r = send(Method::GET, &format!("{base}/no-store"), &[], None).await;
    assert_eq!(header(&r, "cache-control"), "no-store");
    let r = send(Method::GET, &format!("{base}/cache/100000"), &[], None).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn payments_repeat_unless_an_idempotency_key_names_the_operation() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/payments", demo.base_url());
    let body = json!({"amount": 10, "currency": "EUR"});
    let a = send(Method::POST, &url, &[], Some(body.clone())).await;
    let b = send(Method::POST, &url, &[], Some(body.clone())).await;
    assert_eq!(
        (a.status(), b.status()),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_ne!(
        a.bytes()
            .await
            .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
            .unwrap()["id"],
        b.bytes()
            .await
            .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
            .unwrap()["id"]
    );

    let key = [("Idempotency-Key", "order-1")];
    let first = send(Method::POST, &url, &key, Some(body.clone())).await;
    assert_eq!(header(&first, "idempotent-replayed"), "");
    let first = first
        .bytes()
        .await
        .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
        .unwrap();
    let again = send(Method::POST, &url, &key, Some(body.clone())).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(
        again
            .bytes()
            .await
            .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
            .unwrap(),
        first
    );
    let other = send(Method::POST, &url, &key, Some(json!({"amount": 99}))).await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let list = send(Method::GET, &url, &[], None)
        .await
        .bytes()
        .await
        .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
        .unwrap();
    assert_eq!(list["count"], 3, "{list}");
    let bad = send(Method::POST, &url, &[], Some(json!({"currency": "EUR"}))).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn options_lists_the_methods_and_cors_answers_its_preflight() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    for (path, allow) in [
        ("/items", "GET, POST, OPTIONS"),
        ("/items/1", "GET, PUT, PATCH, DELETE, OPTIONS"),
        ("/payments", "GET, POST, OPTIONS"),
        ("/cors", "GET, PUT, OPTIONS"),
    ] {
        let r = send(Method::OPTIONS, &format!("{base}{path}"), &[], None).await;
        assert_eq!(
            (r.status(), header(&r, "allow")),
            (StatusCode::NO_CONTENT, allow),
            "{path}"
        );
    }
    // The other methods of /items still work beside OPTIONS.
    let r = send(Method::GET, &format!("{base}/items"), &[], None).await;
    assert_eq!(r.status(), StatusCode::OK);

    let preflight = [
        ("Origin", "https://app.example"),
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "Content-Type"),
    ];
    let r = send(Method::OPTIONS, &format!("{base}/cors"), &preflight, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&r, "access-control-allow-origin"),
        "https://app.example"
    );
    assert_eq!(header(&r, "access-control-allow-methods"), "GET, PUT");
    assert!(header(&r, "access-control-allow-headers").contains("Content-Type"));
    assert_eq!(header(&r, "access-control-max-age"), "600");
    let other = [
        ("Origin", "https://evil.example"),
        ("Access-Control-Request-Method", "PUT"),
    ];
    let r = send(Method::OPTIONS, &format!("{base}/cors"), &other, None).await;
    assert_eq!(
        r.headers().get("access-control-allow-origin"),
        None::<&HeaderValue>
    );
    let r = send(
        Method::GET,
        &format!("{base}/cors"),
        &[("Origin", "https://app.example")],
        None,
    )
    .await;
    assert_eq!(
        header(&r, "access-control-allow-origin"),
        "https://app.example"
    );
    assert_eq!(r.headers().get(header::VARY).unwrap(), "Origin");
}
