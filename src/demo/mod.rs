//! The built-in demo API: the app's default target (started in-process on 127.0.0.1, random port)
//! and the project's test server.
//!
//! This file holds the server's lifecycle ([`DemoServer`], [`run_foreground`]), the router and the
//! endpoint list. The handlers live next door, one concept per file:
//! - `pages`: fixed documents (`/json`, `/html`, `/xml`), `/bytes`, compressed bodies, pictures;
//! - `flow`: `/status`, `/delay` and the redirects;
//! - `cookies`: `/cookies` (echoes the cookies received), `/cookies/set` and `/cookies/delete`;
//! - `echo`: `/anything` and `/headers` (including a small multipart reader);
//! - `auth`: `/basic-auth`, `/bearer`, `/digest-auth` and `/api-key`;
//! - `oauth`: `/oauth/token` (client-credentials grant, short-lived tokens) and `/protected`;
//! - `items`: the in-memory CRUD resource;
//! - `limits`: `/flaky` and `/rate-limited`, for retries and rate-limit headers, and `/drip`, a
//!   slow body for the read timeout;
//! - `faults`: the misbehaving endpoints the app's bad-input tests rely on;
//! - `events`: `/events`, server-sent events at a pace (or without end);
//! - `paged`: `/paged/*`, one list of 1,234 items in every common pagination style (Link header,
//!   next URL, cursor, page number, offset), plus a pagination loop and a page that always fails.

mod auth;
mod cache;
mod cookies;
mod digest;
mod echo;
mod events;
mod faults;
mod flow;
mod items;
mod limits;
mod oauth;
mod paged;
mod pages;
mod respond;
mod semantics;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{any, get};
use respond::{ApiError, json_response};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Largest request body the demo reads (`/anything`, `/items`): 16 MiB.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// Every endpoint as `(method, path, description)`; the source of `GET /`, the foreground listing
/// and the app's help. `ANY` means every method.
pub const ENDPOINTS: &[(&str, &str, &str)] = &[
    ("GET", "/", "this index: every endpoint, as JSON"),
    (
        "GET",
        "/json",
        "a nested JSON document (objects, arrays, numbers, booleans, null, unicode)",
    ),
    (
        "GET",
        "/html",
        "a small HTML page (text/html; charset=utf-8)",
    ),
    ("GET", "/xml", "an XML document (application/xml)"),
    (
        "GET",
        "/status/{code}",
        "responds with that status (200-599) and {status, reason}; 204/304 have no body",
    ),
    (
        "GET",
        "/delay/{seconds}",
        "waits that long (fractions allowed, capped at 60), then responds {delay}",
    ),
    (
        "ANY",
        "/anything",
        "echoes method, url, path, headers, query, body, json, form and multipart parts",
    ),
    (
        "ANY",
        "/anything/{*rest}",
        "the same echo, for any sub-path",
    ),
    ("GET", "/headers", "echoes the request headers"),
    (
        "GET",
        "/bytes/{n}",
        "n pseudo-random bytes, application/octet-stream (max 10 MiB; ?seed=N)",
    ),
    ("GET", "/image/png", "a 64 × 48 PNG picture (image/png)"),
    (
        "GET",
        "/image/broken",
        "labelled image/png, but a PNG cut off after its header",
    ),
    (
        "GET",
        "/gzip",
        "JSON, always sent with Content-Encoding: gzip",
    ),
    (
        "GET",
        "/deflate",
        "JSON, always sent with Content-Encoding: deflate (zlib)",
    ),
    (
        "GET",
        "/redirect/{n}",
        "a chain of n 302 redirects ending at /json",
    ),
    (
        "ANY",
        "/redirect-to?url=U&status=S",
        "redirects to U with status S (300-399, default 302), whatever the method: a POST shows \
         which statuses keep it (307, 308) and which turn it into a GET",
    ),
    ("GET", "/redirect-loop", "302 to itself, forever"),
    (
        "GET",
        "/cookies",
        "echoes the cookies received, as {cookies: {name: value}}",
    ),
    (
        "GET",
        "/cookies/set?name=value",
        "sets each cookie given (Path=/), then 302 to /cookies",
    ),
    (
        "GET",
        "/cookies/delete?name",
        "expires each cookie named, then 302 to /cookies",
    ),
    (
        "GET",
        "/basic-auth/{user}/{password}",
        "200 with matching Basic credentials, else 401",
    ),
    ("GET", "/bearer", "200 with any Bearer token, else 401"),
    (
        "GET",
        "/digest-auth/{qop}/{user}/{password}/{algorithm}",
        "HTTP Digest (RFC 7616, qop auth, algorithm MD5 or SHA-256): 401 + challenge, then 200",
    ),
    (
        "GET",
        "/api-key",
        "200 with the key demo-key in an X-Api-Key header or an api_key query parameter, else 401",
    ),
    (
        "POST",
        "/oauth/token",
        "OAuth2 client credentials (form body or Basic): client scout, secret scout-secret; \
         scopes items:read items:write; tokens live 60 s (?expires_in=N, 1-3600)",
    ),
    (
        "GET",
        "/protected",
        "200 with a live Bearer token from /oauth/token; 401 invalid_token if unknown or expired",
    ),
    (
        "GET",
        "/items",
        "lists items; ?page=N&per_page=M pages them with Link and X-Total-Count headers",
    ),
    (
        "POST",
        "/items",
        "creates an item from {name, price?, tags?}: 201 + Location; 422 for bad JSON",
    ),
    ("GET", "/items/{id}", "one item; 404 if it does not exist"),
    ("PUT", "/items/{id}", "replaces an item (name required)"),
    (
        "PATCH",
        "/items/{id}",
        "merges the given fields into an item",
    ),
    ("DELETE", "/items/{id}", "deletes an item: 204"),
    (
        "GET",
        "/bad/json",
        "Content-Type: application/json but not JSON (trailing comma on line 3)",
    ),
    (
        "GET",
        "/bad/utf8",
        "text/plain; charset=utf-8 with invalid UTF-8 bytes in it",
    ),
    (
        "GET",
        "/bad/truncated",
        "declares Content-Length: 100000, sends 4 KiB, then aborts the connection",
    ),
    (
        "GET",
        "/large/{mb}",
        "a single-line JSON array of about {mb} MiB (max 64)",
    ),
    (
        "GET",
        "/events?count=N&every=MS",
        "server-sent events (text/event-stream): N events (default 5; 0: endless), one every MS ms",
    ),
    (
        "GET",
        "/charset/latin1",
        "text/plain; charset=iso-8859-1 in Latin-1 bytes (decode by charset)",
    ),
    (
        "GET",
        "/flaky?fail=N&key=K&retry_after=S",
        "per key, the first N calls (default 2) answer 503 + Retry-After: S (default 1), the next 200",
    ),
    (
        "POST",
        "/flaky?fail=N&key=K&retry_after=S",
        "the same, counted with GET: POST is retried only with an Idempotency-Key header",
    ),
    (
        "GET",
        "/rate-limited?budget=B&window=W&key=K",
        "B requests (default 5) per W-second window (default 10) with rate-limit headers, then 429",
    ),
    (
        "GET",
        "/drip?chunks=N&interval=S",
        "the head and a first line at once, then N-1 more lines (default 5 in all) S seconds apart (default 1)",
    ),
    (
        "GET",
        "/cache/{seconds}",
        "fresh for that many seconds (Cache-Control: max-age) with Date and Last-Modified; 304 to a \
         current If-Modified-Since; `served` counts bodies sent",
    ),
    (
        "GET",
        "/etag/{etag}?weak=true",
        "ETag \"{etag}\" (weak with ?weak=true) and Cache-Control: no-cache; 304 to a matching \
         If-None-Match",
    ),
    (
        "GET",
        "/vary",
        "JSON, or text for Accept: text/plain, with Vary: Accept and max-age=60",
    ),
    (
        "GET",
        "/no-store",
        "Cache-Control: no-store: never kept by a cache",
    ),
    (
        "GET",
        "/paged/link?page=N&size=S",
        "items 1-1234 as JSON arrays of S (default 30, max 500) with Link first/prev/next/last and \
         X-Total-Count; every /paged endpoint takes ?delay_ms=0-2000",
    ),
    (
        "GET",
        "/paged/next-url?page=N&size=S",
        "the same items as {items, next: absolute URL or null, count}",
    ),
    (
        "GET",
        "/paged/cursor?cursor=C&size=S",
        "the same items as {data, next_cursor: opaque or null, has_more}; a bad cursor is a 400",
    ),
    (
        "GET",
        "/paged/page?page=N&per_page=S",
        "the same items as {results, page, per_page, total} (size works for per_page); empty past the end",
    ),
    (
        "GET",
        "/paged/offset?offset=O&limit=L",
        "the same items as {records, offset, limit, total} (skip/take work too); empty past the end",
    ),
    (
        "GET",
        "/paged/loop?page=N",
        "like /paged/link, but the next of page 2 is page 1 again: a pagination loop",
    ),
    (
        "GET",
        "/paged/broken?fail_at=N&page=P&size=S",
        "like /paged/link, but page N (default 2) always answers 500 with a JSON error",
    ),
];

/// The demo API, built fresh: every call has its own item store, so servers are independent.
pub fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/json", get(pages::json_document))
        .route("/html", get(pages::html))
        .route("/xml", get(pages::xml))
        .route("/bytes/{n}", get(pages::bytes))
        .route("/image/png", get(pages::png))
        .route("/image/broken", get(pages::broken_png))
        .route("/gzip", get(pages::gzip))
        .route("/deflate", get(pages::deflate))
        .route("/status/{code}", get(flow::status))
        .route("/delay/{seconds}", get(flow::delay))
        .route("/redirect/{n}", get(flow::redirect))
        .route("/redirect-to", any(flow::redirect_to))
        .route("/redirect-loop", get(flow::redirect_loop))
        .route("/anything", any(echo::anything))
        .route("/anything/{*rest}", any(echo::anything))
        .route("/headers", get(echo::headers))
        .route("/basic-auth/{user}/{password}", get(auth::basic))
        .route("/bearer", get(auth::bearer))
        .route("/api-key", get(auth::api_key))
        .merge(auth::digest_routes())
        .merge(oauth::routes())
        .route("/bad/json", get(faults::bad_json))
        .route("/bad/utf8", get(faults::bad_utf8))
        .route("/bad/truncated", get(faults::truncated))
        .route("/large/{mb}", get(faults::large))
        .route("/charset/latin1", get(faults::latin1))
        .route("/events", get(events::events))
        .merge(cache::routes())
        .merge(semantics::routes())
        .merge(cookies::routes())
        .merge(items::routes())
        .merge(limits::routes())
        .merge(paged::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
}

async fn index() -> Response {
    let endpoints: Vec<Value> = ENDPOINTS
        .iter()
        .map(|(method, path, description)| {
            json!({"method": method, "path": path, "description": description})
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"name": "scout demo API", "endpoints": endpoints}),
    )
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not found").with("path", uri.path())
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        .with("method", method.as_str())
        .with("path", uri.path())
}

/// A demo API server running on the current tokio runtime. Dropping it signals a graceful
/// shutdown: the listener closes at once and open connections finish their current request.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl DemoServer {
    /// Binds 127.0.0.1:`port` (0 = a random free port) synchronously, so the address is known when
    /// this returns, then serves [`router`] on a task of the current tokio runtime.
    ///
    /// Fails with the bind error, or with an error (not a panic) outside a tokio runtime.
    pub fn start(port: u16) -> io::Result<DemoServer> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| {
            io::Error::other(format!(
                "the demo server must be started inside a tokio runtime: {e}"
            ))
        })?;
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = tokio::net::TcpListener::from_std(listener)?;

        let (shutdown, signal) = oneshot::channel::<()>();
        let server = axum::serve(listener, router()).with_graceful_shutdown(async move {
            // A sent signal and a dropped sender both mean "stop".
            let _ = signal.await;
        });
        let task = runtime.spawn(async move { server.await });
        Ok(DemoServer {
            addr,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Signals shutdown and waits until the listener is closed and open connections are done.
    pub async fn shutdown(mut self) -> io::Result<()> {
        self.signal_shutdown();
        match self.task.take() {
            Some(task) => task
                .await
                .map_err(|e| io::Error::other(format!("demo server task failed: {e}")))?,
            None => Ok(()),
        }
    }

    fn signal_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone (runtime shut down); nothing left to stop then.
            let _ = shutdown.send(());
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}

/// `scout demo --port N`: serves in the foreground until Ctrl+C, after printing the base URL and
/// the endpoint list.
pub async fn run_foreground(port: u16) -> io::Result<()> {
    let server = DemoServer::start(port)?;
    println!("{}", listing(&server.base_url()));
    tokio::signal::ctrl_c().await?;
    println!("shutting down the demo API");
    server.shutdown().await
}

/// The foreground banner: where the server listens, then one aligned line per endpoint.
fn listing(base_url: &str) -> String {
    let method_width = ENDPOINTS.iter().map(|e| e.0.len()).max().unwrap_or(0);
    let path_width = ENDPOINTS.iter().map(|e| e.1.len()).max().unwrap_or(0);
    let mut out = format!("scout demo API listening on {base_url}\n\n");
    for (method, path, description) in ENDPOINTS {
        out.push_str(&format!(
            "  {method:<method_width$}  {path:<path_width$}  {description}\n"
        ));
    }
    out.push_str("\nPress Ctrl+C to stop.");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_list_is_well_formed() {
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "ANY"];
        for (method, path, description) in ENDPOINTS {
            assert!(methods.contains(method), "{method} {path}");
            assert!(path.starts_with('/'), "{path}");
            assert!(!description.is_empty(), "{path}");
        }
        let mut keys: Vec<_> = ENDPOINTS.iter().map(|(m, p, _)| (*m, *p)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), ENDPOINTS.len(), "duplicate endpoint");
    }

    #[test]
    fn listing_names_the_url_and_aligns_every_endpoint() {
        let text = listing("http://127.0.0.1:8080");
        assert!(text.starts_with("scout demo API listening on http://127.0.0.1:8080\n"));
        let endpoint_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
        assert_eq!(endpoint_lines.len(), ENDPOINTS.len());
        // Descriptions start in the same column on every line.
        let column = |line: &str, description: &str| line.find(description);
        let columns: Vec<_> = endpoint_lines
            .iter()
            .zip(ENDPOINTS)
            .map(|(line, (_, _, description))| column(line, description))
            .collect();
        assert!(columns.iter().all(|c| c.is_some() && *c == columns[0]));
    }

    #[test]
    fn start_outside_a_runtime_is_an_error_not_a_panic() {
        let err = DemoServer::start(0).unwrap_err();
        assert!(err.to_string().contains("tokio runtime"), "{err}");
    }
}
