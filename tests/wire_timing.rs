//! The Wire tab's bytes and the Timing tab's phases, against a raw TCP server on 127.0.0.1 that
//! records exactly what it received and answers with bytes of its own.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use scout::http::build::prepare;
use scout::http::client::client;
use scout::http::execute::{Memory, execute};
use scout::model::{BodyKind, ConnectionUse, Method, RequestSpec, ResponseData, Timeouts, WireHop};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server sent back for each request, exactly; chunked, to show framing on the wire.
const REPLY: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Order: b, a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

/// Bytes received, one entry per request, as the server read them.
type Received = Arc<Mutex<Vec<Vec<u8>>>>;

/// A server answering every request with [`REPLY`], keeping connections open unless `close`.
async fn server(close: bool) -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let log = received.clone();
    tokio::spawn(async move {
        // Stops by itself: the test's runtime ends, and with it this task.
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut pending: Vec<u8> = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    // One request: the head, then a Content-Length body if any.
                    let request = loop {
                        if let Some(len) = complete(&pending) {
                            break pending.drain(..len).collect::<Vec<u8>>();
                        }
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => pending.extend_from_slice(&buf[..n]),
                        }
                    };
                    log.lock().unwrap().push(request);
                    let mut reply = REPLY.to_vec();
                    if close {
                        reply = String::from_utf8(reply)
                            .unwrap()
                            .replacen("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1)
                            .into_bytes();
                    }
                    if socket.write_all(&reply).await.is_err() || close {
                        return;
                    }
                }
            });
        }
    });
    (base, received)
}

/// The length of the first whole request in `data`, if it is all there.
fn complete(data: &[u8]) -> Option<usize> {
    let head_end = data.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let body: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    (data.len() >= head_end + body).then_some(head_end + body)
}

async fn send(http: &reqwest::Client, spec: &RequestSpec) -> ResponseData {
    let prepared = prepare(spec, Path::new(".")).unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(10),
        read: None,
    };
    execute(http, prepared, timeouts, &mut Memory::default())
        .await
        .unwrap()
}

fn spec(method: Method, url: &str) -> RequestSpec {
    RequestSpec {
        method,
        url: url.into(),
        ..Default::default()
    }
}

fn bytes(hop: &WireHop) -> (&[u8], &[u8]) {
    match hop {
        WireHop::Bytes {
            sent,
            received,
            sent_cut: false,
            received_cut: false,
        } => (sent, received),
        other => panic!("expected whole captured bytes, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wire_holds_exactly_the_bytes_the_server_received_and_sent() {
    let (base, received) = server(false).await;
    let http = client(Duration::from_secs(2)).unwrap();
    let mut post = spec(Method::Post, &format!("{base}/items?x=1&y=%C3%A9"));
    post.body_kind = BodyKind::Json;
    post.body = "{\"name\": \"日本語\"}".into();
    let response = send(&http, &post).await;
    assert_eq!(response.wire.len(), 1);
    let (sent, got) = bytes(&response.wire[0]);
    assert_eq!(sent, received.lock().unwrap()[0].as_slice());
    assert_eq!(got, REPLY, "{}", String::from_utf8_lossy(got));
    let head = String::from_utf8_lossy(sent);
    // The headers the HTTP stack adds are on the wire, and the Request tab's list has them too.
    for line in [
        "POST /items?x=1&y=%C3%A9 HTTP/1.1\r\n",
        "user-agent: scout/",
        "accept: */*\r\n",
        "accept-encoding: gzip, deflate, br\r\n",
        "content-length: 21\r\n",
    ] {
        assert!(
            head.to_ascii_lowercase()
                .contains(&line.to_ascii_lowercase()),
            "{line} in {head}"
        );
    }
    assert!(sent.ends_with("{\"name\": \"日本語\"}".as_bytes()));

    // The next request goes over the same connection, and is captured on its own.
    let get = spec(Method::Get, &format!("{base}/second"));
    let second = send(&http, &get).await;
    let (sent, got) = bytes(&second.wire[0]);
    assert_eq!(sent, received.lock().unwrap()[1].as_slice());
    assert!(sent.starts_with(b"GET /second HTTP/1.1\r\n"));
    assert_eq!(got, REPLY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_request_reuses_the_connection_and_says_so() {
    let (base, _) = server(false).await;
    let http = client(Duration::from_secs(2)).unwrap();
    let url = format!("{base}/t");
    let first = send(&http, &spec(Method::Get, &url)).await;
    let timing = first.timing.expect("measured");
    assert!(
        matches!(timing.connection, ConnectionUse::New { remote: Some(r) } if url.contains(&r.to_string())),
        "{timing:?}"
    );
    assert!(
        timing.connect.is_some() && timing.tls.is_none(),
        "{timing:?}"
    );
    // An IP address needs no lookup.
    assert_eq!(timing.dns, None);
    let sum: Duration = timing.phases().iter().map(|(_, d)| *d).sum();
    assert!(sum <= timing.total, "{timing:?}");

    // The pool takes the first connection back on the client's own task, a moment after the
    // body was read (the CI machine once sent the second request before that): a person never
    // sends that fast, so the test gives it the moment, and fails if it never comes.
    let mut timing = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let second = send(&http, &spec(Method::Get, &url)).await;
        let measured = second.timing.expect("measured");
        if matches!(measured.connection, ConnectionUse::Reused { .. }) {
            timing = Some(measured);
            break;
        }
    }
    let timing = timing.expect("a later request reuses the connection");
    assert_eq!((timing.dns, timing.connect), (None, None));

    // A name is looked up, and the lookup is timed.
    let by_name = url.replace("127.0.0.1", "localhost");
    let fresh_client = client(Duration::from_secs(2)).unwrap();
    let third = send(&fresh_client, &spec(Method::Get, &by_name)).await;
    let timing = third.timing.expect("measured");
    assert!(
        matches!(timing.connection, ConnectionUse::New { .. }),
        "{timing:?}"
    );
    assert!(timing.dns.is_some(), "{timing:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_connection_means_a_new_one_next_time() {
    let (base, received) = server(true).await;
    let http = client(Duration::from_secs(2)).unwrap();
    let url = format!("{base}/c");
    for _ in 0..2 {
        let response = send(&http, &spec(Method::Get, &url)).await;
        let timing = response.timing.expect("measured");
        assert!(
            matches!(timing.connection, ConnectionUse::New { .. }),
            "{timing:?}"
        );
        let (sent, _) = bytes(&response.wire[0]);
        assert_eq!(sent, received.lock().unwrap().last().unwrap().as_slice());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compressed_response_keeps_its_content_encoding_header_and_decodes() {
    let demo = scout::demo::DemoServer::start(0).unwrap();
    let http = client(Duration::from_secs(2)).unwrap();
    let spec = spec(Method::Get, &format!("{}/gzip", demo.base_url()));
    let prepared = prepare(&spec, Path::new(".")).unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(10),
        read: None,
    };
    let mut body = Memory::default();
    let response = execute(&http, prepared, timeouts, &mut body).await.unwrap();
    assert_eq!(
        response.header("content-encoding"),
        Some("gzip"),
        "{:?}",
        response.headers
    );
    assert!(response.header("content-length").is_some());
    let json: serde_json::Value = serde_json::from_slice(&body.0).expect("the body decoded");
    assert!(json.is_object());
}
