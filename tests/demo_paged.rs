//! Integration tests for the demo API's `/paged/*` endpoints (`scout::demo`), followed by hand
//! with reqwest over real HTTP on 127.0.0.1: every style yields exactly items 1..=1234, in order.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap};
use reqwest::{Client, StatusCode};
use scout::demo::{DemoServer, ENDPOINTS};
use serde_json::Value;

/// How long any request may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);
const TOTAL: u64 = 1234;
/// Pages of 10 it takes to read everything.
const PAGES_OF_10: usize = 124;
/// More requests than any walk below needs: a runaway loop fails instead of hanging.
const MAX_REQUESTS: usize = 1000;

fn server() -> (DemoServer, String) {
    let server = DemoServer::start(0).unwrap();
    let base = server.base_url();
    (server, base)
}

async fn call(url: &str) -> (StatusCode, HeaderMap, Value) {
    let client = Client::builder()
        .no_proxy()
        .timeout(PATIENCE)
        .build()
        .unwrap();
    let response = client.get(url).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, headers, body)
}

/// `rel → URL` from a `Link` header (the demo's URLs hold no commas or semicolons).
fn links(headers: &HeaderMap) -> BTreeMap<String, String> {
    let Some(value) = headers.get(header::LINK) else {
        return BTreeMap::new();
    };
    value
        .to_str()
        .unwrap()
        .split(',')
        .map(|link| {
            let (target, params) = link.trim().split_once(';').unwrap();
            let url = target
                .trim()
                .strip_prefix('<')
                .unwrap()
                .strip_suffix('>')
                .unwrap();
            let rel = params
                .trim()
                .strip_prefix("rel=\"")
                .unwrap()
                .strip_suffix('"')
                .unwrap();
            (rel.to_owned(), url.to_owned())
        })
        .collect()
}

fn ids(items: &Value) -> Vec<u64> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| item["id"].as_u64().unwrap())
        .collect()
}

fn every_id() -> Vec<u64> {
    (1..=TOTAL).collect()
}

/// Follows `rel="next"` from `url`; returns the ids read, the URLs fetched and the last answer.
async fn follow_links(url: String) -> (Vec<u64>, Vec<String>, (StatusCode, Value)) {
    let (mut seen, mut fetched) = (Vec::new(), Vec::new());
    let mut next = Some(url);
    while let Some(url) = next.take() {
        assert!(fetched.len() < MAX_REQUESTS, "runaway: {url}");
        let (status, headers, body) = call(&url).await;
        fetched.push(url);
        if status != StatusCode::OK {
            return (seen, fetched, (status, body));
        }
        assert_eq!(headers["x-total-count"], "1234");
        seen.extend(ids(&body));
        next = links(&headers).remove("next");
    }
    (seen, fetched, (StatusCode::OK, Value::Null))
}

#[tokio::test]
async fn link_style_reads_every_item_in_order() {
    let (_server, base) = server();
    let (seen, fetched, (status, _)) = follow_links(format!("{base}/paged/link?size=10")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched.len(), PAGES_OF_10);
    assert_eq!(seen, every_id());
}

#[tokio::test]
async fn link_header_names_first_prev_next_and_last_as_absolute_urls() {
    let (_server, base) = server();
    let (status, headers, body) = call(&format!("{base}/paged/link?page=5&size=10")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body), (41..=50).collect::<Vec<_>>());
    let rels = links(&headers);
    let page = |n: u32| format!("{base}/paged/link?page={n}&size=10");
    assert_eq!(rels["first"], page(1));
    assert_eq!(rels["prev"], page(4));
    assert_eq!(rels["next"], page(6));
    assert_eq!(rels["last"], page(124));

    let (_, headers, body) = call(&format!("{base}/paged/link")).await;
    assert_eq!(ids(&body), (1..=30).collect::<Vec<_>>(), "default size 30");
    let rels = links(&headers);
    assert!(!rels.contains_key("prev"), "{rels:?}");
    assert_eq!(rels["last"], format!("{base}/paged/link?page=42&size=30"));

    let (_, headers, body) = call(&format!("{base}/paged/link?page=124&size=10")).await;
    assert_eq!(ids(&body), (1231..=1234).collect::<Vec<_>>());
    assert!(!links(&headers).contains_key("next"));

    let (status, _, body) = call(&format!("{base}/paged/link?page=999&size=10")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Array(Vec::new()), "past the end is empty");
}

#[tokio::test]
async fn next_url_style_reads_every_item_in_order() {
    let (_server, base) = server();
    let (mut seen, mut requests) = (Vec::new(), 0);
    let mut next = Value::String(format!("{base}/paged/next-url?size=10"));
    while let Value::String(url) = next {
        requests += 1;
        assert!(requests <= MAX_REQUESTS, "runaway: {url}");
        let (status, _, body) = call(&url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["count"], TOTAL);
        seen.extend(ids(&body["items"]));
        next = body["next"].clone();
        if let Value::String(url) = &next {
            assert!(url.starts_with(&format!("{base}/paged/next-url?")), "{url}");
        }
    }
    assert_eq!(next, Value::Null);
    assert_eq!(requests, PAGES_OF_10);
    assert_eq!(seen, every_id());
}

#[tokio::test]
async fn cursor_style_reads_every_item_in_order() {
    let (_server, base) = server();
    let (mut seen, mut cursors) = (Vec::new(), HashSet::new());
    let mut url = format!("{base}/paged/cursor?size=10");
    loop {
        assert!(cursors.len() < MAX_REQUESTS, "runaway: {url}");
        let (status, _, body) = call(&url).await;
        assert_eq!(status, StatusCode::OK);
        seen.extend(ids(&body["data"]));
        let has_more = body["has_more"].as_bool().unwrap();
        match &body["next_cursor"] {
            Value::String(cursor) => {
                assert!(has_more);
                assert!(cursors.insert(cursor.clone()), "cursor repeats: {cursor}");
                url = format!("{base}/paged/cursor?size=10&cursor={cursor}");
            }
            Value::Null => {
                assert!(!has_more);
                break;
            }
            other => panic!("next_cursor is {other}"),
        }
    }
    assert_eq!(cursors.len(), PAGES_OF_10 - 1);
    assert_eq!(seen, every_id());
}

#[tokio::test]
async fn page_style_reads_every_item_in_order_then_an_empty_page() {
    let (_server, base) = server();
    for size_param in ["per_page", "size"] {
        let mut seen = Vec::new();
        for page in 1.. {
            assert!(page <= MAX_REQUESTS, "runaway");
            let url = format!("{base}/paged/page?page={page}&{size_param}=10");
            let (status, _, body) = call(&url).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["page"], page);
            assert_eq!(body["per_page"], 10);
            assert_eq!(body["total"], TOTAL);
            let page_ids = ids(&body["results"]);
            if page_ids.is_empty() {
                assert_eq!(page, PAGES_OF_10 + 1);
                break;
            }
            seen.extend(page_ids);
        }
        assert_eq!(seen, every_id(), "{size_param}");
    }
}

#[tokio::test]
async fn offset_style_reads_every_item_in_order_with_either_spelling() {
    let (_server, base) = server();
    for (offset_param, limit_param) in [("offset", "limit"), ("skip", "take")] {
        let (mut seen, mut offset) = (Vec::new(), 0);
        loop {
            assert!(offset <= TOTAL as usize, "runaway");
            let url = format!("{base}/paged/offset?{offset_param}={offset}&{limit_param}=10");
            let (status, _, body) = call(&url).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body["offset"], offset);
            assert_eq!(body["limit"], 10);
            assert_eq!(body["total"], TOTAL);
            let page_ids = ids(&body["records"]);
            if page_ids.is_empty() {
                break;
            }
            offset += page_ids.len();
            seen.extend(page_ids);
        }
        assert_eq!(seen, every_id(), "{offset_param}/{limit_param}");
    }
}

#[tokio::test]
async fn every_style_serves_the_same_deterministic_items() {
    let (_server, base) = server();
    let (_other, other_base) = server();
    let (_, _, linked) = call(&format!("{base}/paged/link?page=3&size=5")).await;
    let (_, _, again) = call(&format!("{other_base}/paged/link?page=3&size=5")).await;
    assert_eq!(linked, again);
    let (_, _, by_url) = call(&format!("{base}/paged/next-url?page=3&size=5")).await;
    let (_, _, by_page) = call(&format!("{base}/paged/page?page=3&per_page=5")).await;
    let (_, _, by_offset) = call(&format!("{base}/paged/offset?offset=10&limit=5")).await;
    assert_eq!(by_url["items"], linked);
    assert_eq!(by_page["results"], linked);
    assert_eq!(by_offset["records"], linked);

    let first = &linked[0];
    assert_eq!(first["id"], 11);
    assert_eq!(first["name"], "item 11");
    assert!(first["price"].as_f64().unwrap() > 0.0, "{first}");
    assert!(
        first["tags"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string)
    );
}

#[tokio::test]
async fn bad_sizes_pages_and_cursors_are_json_400s() {
    let (_server, base) = server();
    let mut bad = Vec::new();
    for path in [
        "link", "next-url", "cursor", "page", "offset", "loop", "broken",
    ] {
        for size in ["0", "501", "-1", "ten", "1&size=2"] {
            bad.push(format!("/paged/{path}?size={size}"));
        }
        bad.push(format!("/paged/{path}?delay_ms=2001"));
    }
    for path in ["link", "next-url", "page", "loop", "broken"] {
        bad.push(format!("/paged/{path}?page=0"));
        bad.push(format!("/paged/{path}?page=x"));
    }
    bad.extend(
        [
            "/paged/page?per_page=600",
            "/paged/page?per_page=5&size=5",
            "/paged/offset?limit=0",
            "/paged/offset?take=501",
            "/paged/offset?offset=-1",
            "/paged/offset?offset=1&skip=1",
            "/paged/broken?fail_at=0",
            "/paged/cursor?cursor=zz",
            "/paged/cursor?cursor=abc",
            // Hex, but not one of ours, then one of ours past the end (offset:1234).
            "/paged/cursor?cursor=68656c6c6f",
            "/paged/cursor?cursor=6f66667365743a31323334",
        ]
        .map(str::to_owned),
    );
    for path in bad {
        let (status, _, body) = call(&format!("{base}{path}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{path}: {body}"
        );
    }

    let (status, _, body) = call(&format!("{base}/paged/cursor?cursor=")).await;
    assert_eq!(status, StatusCode::OK, "an empty cursor starts over");
    assert_eq!(ids(&body["data"])[0], 1);
    let (status, _, _) = call(&format!("{base}/paged/link?size=500")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn loop_links_page_2_back_to_page_1() {
    let (_server, base) = server();
    let start = format!("{base}/paged/loop?page=1");
    let (status, headers, body) = call(&start).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body), (1..=30).collect::<Vec<_>>());
    let second = links(&headers).remove("next").unwrap();
    assert_eq!(second, format!("{base}/paged/loop?page=2&size=30"));
    let (_, headers, body) = call(&second).await;
    assert_eq!(ids(&body), (31..=60).collect::<Vec<_>>());
    let third = links(&headers).remove("next").unwrap();
    assert_eq!(third, format!("{base}/paged/loop?page=1&size=30"));

    // Followed naively, the walk comes back to a URL it has already fetched.
    let mut fetched = HashSet::new();
    let mut url = format!("{base}/paged/loop?page=1&size=10");
    let repeated = loop {
        assert!(fetched.len() < 10, "no loop after {fetched:?}");
        let (_, headers, _) = call(&url).await;
        fetched.insert(url);
        url = links(&headers).remove("next").unwrap();
        if fetched.contains(&url) {
            break url;
        }
    };
    assert_eq!(repeated, format!("{base}/paged/loop?page=1&size=10"));
    assert_eq!(fetched.len(), 2, "{fetched:?}");
}

#[tokio::test]
async fn broken_fails_at_page_n_every_time() {
    let (_server, base) = server();
    let (seen, fetched, (status, body)) =
        follow_links(format!("{base}/paged/broken?fail_at=4&size=10")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());
    assert_eq!(fetched.len(), 4);
    let failing = fetched.last().unwrap();
    assert_eq!(
        failing,
        &format!("{base}/paged/broken?page=4&size=10&fail_at=4")
    );
    assert_eq!(body["page"], 4);
    assert!(body["error"].as_str().unwrap().contains("page 4"), "{body}");

    let (status, _, _) = call(failing).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "fails again");
    let (status, _, body) = call(&format!("{base}/paged/broken?fail_at=4&size=10&page=5")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body), (41..=50).collect::<Vec<_>>());
    let (status, _, _) = call(&format!("{base}/paged/broken?page=2")).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "fail_at defaults to 2"
    );
}

#[tokio::test]
async fn delay_ms_slows_every_page_and_is_carried_by_links() {
    let (_server, base) = server();
    let started = Instant::now();
    let (status, headers, _) = call(&format!("{base}/paged/link?size=10&delay_ms=200")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    let next = links(&headers).remove("next").unwrap();
    assert!(next.ends_with("delay_ms=200"), "{next}");

    let started = Instant::now();
    let (status, _, body) = call(&format!("{base}/paged/cursor?delay_ms=150")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(body["has_more"], true);
}

#[tokio::test]
async fn index_lists_the_paged_endpoints() {
    let (_server, base) = server();
    let (_, _, index) = call(&format!("{base}/")).await;
    let paths: Vec<&str> = index["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    for style in [
        "link", "next-url", "cursor", "page", "offset", "loop", "broken",
    ] {
        let prefix = format!("/paged/{style}?");
        assert!(paths.iter().any(|p| p.starts_with(&prefix)), "{prefix}");
        assert!(
            ENDPOINTS.iter().any(|e| e.1.starts_with(&prefix)),
            "{prefix}"
        );
    }
}
