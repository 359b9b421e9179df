//! The private cache end to end: a fresh copy is served without a request, a stale one is
//! revalidated and a 304 refreshes it, `no-store` always reaches the server. The server here
//! counts every request it gets.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use scout::http::auth::TokenCache;
use scout::http::client::client;
use scout::http::cookies::CookieJars;
use scout::http::executor::run;
use scout::http::job::Job;
use scout::model::{CacheUse, Method, RequestSpec, ResponseData, Timeouts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A server counting requests: `/fresh` is fresh for a minute, `/etag` must be revalidated
/// (`no-cache`, ETag "v1", a 304 to a matching If-None-Match), `/no-store` may not be kept.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        // Ends with the test's runtime.
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut head = Vec::new();
                loop {
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let end = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    let request = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                    head.drain(..end);
                    counter.fetch_add(1, Ordering::SeqCst);
                    let n = counter.load(Ordering::SeqCst);
                    let reply = if request.starts_with("get /fresh ") {
                        ok("cache-control: max-age=60", &n.to_string())
                    } else if request.starts_with("get /etag ") {
                        if request.contains("if-none-match: \"v1\"") {
                            "HTTP/1.1 304 Not Modified\r\netag: \"v1\"\r\ncache-control: no-cache\r\n\r\n".to_string()
                        } else {
                            ok("etag: \"v1\"\r\ncache-control: no-cache", &n.to_string())
                        }
                    } else {
                        ok("cache-control: no-store", &n.to_string())
                    };
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, hits)
}

fn ok(headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\n{headers}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

async fn get(url: &str) -> ResponseData {
    get_with(url, &[]).await
}

async fn get_with(url: &str, headers: &[(&str, &str)]) -> ResponseData {
    let spec = RequestSpec {
        method: Method::Get,
        url: url.into(),
        headers: headers
            .iter()
            .map(|(k, v)| scout::model::KeyValue::new(*k, *v))
            .collect(),
        ..Default::default()
    };
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(10),
        read: None,
    };
    let mut job = Job::new(1, spec, timeouts);
    job.cache = true;
    let (events, _rx) = mpsc::unbounded_channel();
    run(
        &client(Duration::from_secs(2)).unwrap(),
        job,
        &TokenCache::default(),
        &CookieJars::new(),
        &events,
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_copy_is_served_without_a_request() {
    let (base, hits) = counting_server().await;
    let first = get(&format!("{base}/fresh")).await;
    assert_eq!(first.cache, Some(CacheUse::Stored));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let second = get(&format!("{base}/fresh")).await;
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the server was asked again");
    assert_eq!(second.body, first.body);
    match second.cache {
        Some(CacheUse::Fresh { fresh_for, .. }) => {
            assert!(fresh_for > Duration::from_secs(55), "{fresh_for:?}")
        }
        other => panic!("expected a fresh hit, got {other:?}"),
    }
    // Nothing went over the wire for it.
    assert!(second.timing.is_none() && second.wire.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_copy_is_revalidated_and_a_304_refreshes_it() {
    let (base, hits) = counting_server().await;
    let first = get(&format!("{base}/etag")).await;
    assert_eq!(first.cache, Some(CacheUse::Stored));
    let second = get(&format!("{base}/etag")).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "revalidating asks the server"
    );
    assert_eq!(second.status, 200);
    assert_eq!(second.body, first.body, "the stored body, not a new one");
    assert_eq!(
        second.cache,
        Some(CacheUse::Revalidated {
            validator: "if-none-match: \"v1\"".into()
        })
    );
    // The exchange that happened was the 304: the wire shows it.
    let wire: Vec<String> = second.wire[0].lines().into_iter().map(|l| l.text).collect();
    let wire = wire.join("\n");
    assert!(
        wire.contains("304 Not Modified") && wire.contains("if-none-match"),
        "{wire}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_store_always_reaches_the_server() {
    let (base, hits) = counting_server().await;
    for n in 1..=2 {
        let response = get(&format!("{base}/no-store")).await;
        assert_eq!(hits.load(Ordering::SeqCst), n);
        assert!(
            matches!(&response.cache, Some(CacheUse::NotStored { why }) if why.contains("no-store")),
            "{:?}",
            response.cache
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_conditional_by_itself_goes_to_the_server_as_written() {
    let (base, hits) = counting_server().await;
    let url = format!("{base}/etag");
    get(&url).await;
    let own = get_with(&url, &[("If-None-Match", "\"v1\"")]).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(
        own.status, 304,
        "the server's own answer, not the stored copy"
    );
    assert_eq!(own.cache, None);
}
