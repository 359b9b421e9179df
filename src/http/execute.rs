//! One exchange on the wire: send, follow redirects by hand (so the chain can be shown and loops
//! named), read the body chunk by chunk under a total deadline and an idle (read) deadline. The
//! only code that touches reqwest.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bytes::Bytes;
use url::Url;

use crate::http::build::{Prepared, USER_AGENT};
use crate::http::error::{HttpError, classify, last_cause};
use crate::http::model::{Method, RedirectHop, ResponseData};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;

/// The deadlines of one exchange (each redirect hop and each retry attempt gets them afresh).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Reaching the server: DNS, TCP and TLS. Applied by the client (see [`client`]).
    pub connect: Duration,
    /// The whole exchange, redirects included, from sending to the last body byte.
    pub total: Duration,
    /// The longest silence allowed: between two pieces of the body, and before the response head
    /// arrives after connecting. `None` = no limit (the total timeout still applies).
    ///
    /// reqwest does not say when the connection is up, so the head must arrive within
    /// `connect + read` of sending: a connection takes at most `connect` (else the connect timeout
    /// fires first), so the server always gets at least `read` after connecting. Uploading the
    /// request body counts as waiting for the head.
    pub read: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
            read: None,
        }
    }
}

/// The pooled client: no automatic redirects (we follow them ourselves), transparent
/// gzip/brotli/deflate, rustls.
pub fn client(connect_timeout: Duration) -> Result<reqwest::Client, HttpError> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .build()
        .map_err(|e| {
            HttpError::Other(format!(
                "could not create the HTTP client: {}",
                last_cause(&e)
            ))
        })
}

/// Receives the body as it arrives. `Memory` keeps it; the download sink writes it away.
pub trait BodySink: Send {
    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError>;
    /// Called with bytes so far and the expected total (when the server said), at most every 50 ms.
    fn progress(&mut self, _received: u64, _total: Option<u64>) {}
}

/// Collects the body in memory.
#[derive(Default)]
pub struct Memory(pub Vec<u8>);

impl BodySink for Memory {
    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError> {
        self.0.extend_from_slice(data);
        Ok(())
    }
}

/// Sends `req`, following redirects, with every deadline of `timeouts` applied. The returned
/// response's `body` is empty: the bytes went to `sink`.
pub async fn execute(
    client: &reqwest::Client,
    req: Prepared,
    timeouts: Timeouts,
    sink: &mut dyn BodySink,
) -> Result<ResponseData, HttpError> {
    let started = Instant::now();
    match tokio::time::timeout(
        timeouts.total,
        exchange(client, req, timeouts, sink, started),
    )
    .await
    {
        Ok(result) => result,
        Err(_) => Err(HttpError::TotalTimeout {
            after: timeouts.total,
        }),
    }
}

async fn exchange(
    client: &reqwest::Client,
    mut req: Prepared,
    timeouts: Timeouts,
    sink: &mut dyn BodySink,
    started: Instant,
) -> Result<ResponseData, HttpError> {
    let mut hops: Vec<RedirectHop> = Vec::new();
    let mut seen: HashSet<(Method, String)> = HashSet::new();
    seen.insert((req.method, req.url.to_string()));
    loop {
        let target = req.target();
        let sent = client.execute(to_reqwest(client, &req)?);
        let response = match timeouts.read {
            None => sent.await,
            Some(read) => tokio::time::timeout(timeouts.connect.saturating_add(read), sent)
                .await
                .map_err(|_| HttpError::ReadTimeout {
                    after: read,
                    received: None,
                })?,
        }
        .map_err(|e| classify(&e, &target, timeouts.connect))?;
        let status = response.status().as_u16();
        if let Some(next) = redirect_target(&response, &req.url) {
            hops.push(RedirectHop {
                status,
                url: req.url.to_string(),
                location: next.to_string(),
            });
            req = follow(req, status, next);
            if !seen.insert((req.method, req.url.to_string())) {
                let mut chain: Vec<String> = hops.iter().map(|h| h.url.clone()).collect();
                chain.push(req.url.to_string());
                return Err(HttpError::RedirectLoop { chain });
            }
            if hops.len() > MAX_REDIRECTS {
                return Err(HttpError::TooManyRedirects {
                    max: MAX_REDIRECTS,
                    last: req.url.to_string(),
                });
            }
            continue;
        }
        return read_response(response, req.method, hops, sink, timeouts.read, started).await;
    }
}

fn to_reqwest(client: &reqwest::Client, req: &Prepared) -> Result<reqwest::Request, HttpError> {
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
        .map_err(|e| HttpError::Other(e.to_string()))?;
    let mut builder = client.request(method, req.url.clone());
    for (k, v) in &req.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    if let Some(body) = &req.body {
        builder = builder.body(body.clone());
    }
    builder.build().map_err(|e| HttpError::InvalidUrl {
        url: req.url.to_string(),
        reason: last_cause(&e),
    })
}

fn redirect_target(response: &reqwest::Response, base: &Url) -> Option<Url> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(reqwest::header::LOCATION)?;
    base.join(location.to_str().ok()?).ok()
}

/// The request to send after a redirect: 303 (and 301/302 for non-GET, as browsers do) become a
/// GET without a body; 307/308 repeat the request. Credentials are dropped when the origin changes.
pub fn follow(mut req: Prepared, status: u16, next: Url) -> Prepared {
    let becomes_get = status == 303
        || (matches!(status, 301 | 302) && !matches!(req.method, Method::Get | Method::Head));
    if becomes_get {
        if req.method != Method::Head {
            req.method = Method::Get;
        }
        req.body = None;
        req.headers.retain(|(k, _)| {
            !k.eq_ignore_ascii_case("content-type") && !k.eq_ignore_ascii_case("content-length")
        });
    }
    if next.origin() != req.url.origin() {
        req.headers.retain(|(k, _)| {
            !["authorization", "cookie", "proxy-authorization"]
                .iter()
                .any(|s| k.eq_ignore_ascii_case(s))
        });
    }
    req.url = next;
    req
}

async fn read_response(
    mut response: reqwest::Response,
    method: Method,
    redirects: Vec<RedirectHop>,
    sink: &mut dyn BodySink,
    read_timeout: Option<Duration>,
    started: Instant,
) -> Result<ResponseData, HttpError> {
    let status = response.status();
    let version = format!("{:?}", response.version());
    let url = response.url().to_string();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // Content-Length describes the encoded body; after decompression it no longer applies.
    let encoded = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("content-encoding") && !v.eq_ignore_ascii_case("identity")
    });
    let expected = if encoded || method == Method::Head {
        None
    } else {
        response.content_length()
    };
    let mut received: u64 = 0;
    let mut last_progress = Instant::now();
    sink.progress(0, expected);
    loop {
        let next = match read_timeout {
            None => response.chunk().await,
            Some(read) => tokio::time::timeout(read, response.chunk())
                .await
                .map_err(|_| HttpError::ReadTimeout {
                    after: read,
                    received: Some(received),
                })?,
        };
        match next {
            Ok(Some(chunk)) => {
                received += chunk.len() as u64;
                sink.chunk(&chunk)?;
                if last_progress.elapsed() >= Duration::from_millis(50) {
                    sink.progress(received, expected);
                    last_progress = Instant::now();
                }
            }
            Ok(None) => break,
            Err(e) => {
                return Err(HttpError::ClosedMidBody {
                    received,
                    expected,
                    detail: last_cause(&e),
                });
            }
        }
    }
    sink.progress(received, expected);
    Ok(ResponseData {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        version,
        headers,
        body: Bytes::new(),
        elapsed: started.elapsed(),
        redirects,
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(method: Method, url: &str) -> Prepared {
        Prepared {
            method,
            url: Url::parse(url).unwrap(),
            headers: vec![
                ("Authorization".into(), "Bearer t".into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some(Bytes::from_static(b"{}")),
        }
    }

    #[test]
    fn see_other_turns_post_into_get_without_body() {
        let next = Url::parse("http://a/next").unwrap();
        let r = follow(prepared(Method::Post, "http://a/x"), 303, next);
        assert_eq!(r.method, Method::Get);
        assert!(r.body.is_none());
        assert!(r.headers.iter().all(|(k, _)| k != "Content-Type"));
        assert!(r.headers.iter().any(|(k, _)| k == "Authorization"));
    }

    #[test]
    fn temporary_redirect_keeps_method_and_body() {
        let next = Url::parse("http://a/next").unwrap();
        let r = follow(prepared(Method::Put, "http://a/x"), 307, next);
        assert_eq!(r.method, Method::Put);
        assert!(r.body.is_some());
    }

    #[test]
    fn credentials_do_not_cross_origins() {
        let next = Url::parse("http://evil.example/next").unwrap();
        let r = follow(prepared(Method::Get, "http://a/x"), 302, next);
        assert!(r.headers.iter().all(|(k, _)| k != "Authorization"));
    }
}
