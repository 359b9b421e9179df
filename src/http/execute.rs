//! One exchange on the wire: send, follow redirects by hand (so the chain can be shown, loops
//! named, credentials kept from other origins and cookies stored at every hop), read the body
//! chunk by chunk under a total deadline and an idle (read) deadline. With [`crate::http::client`]
//! (building the client), the only code that touches reqwest.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::http::build::{Prepared, authority, origin_form};
use crate::http::connect::{CONNECTIONS, addresses};
use crate::http::cookies::Jar;
use crate::http::error::{HttpError, classify, classify_body, last_cause};
use crate::http::tap::Capture;
use crate::model::{
    ConnectionUse, Method, RedirectHop, Redirects, ResponseData, Timeouts, Timing, WireHop,
    is_secret_header,
};

/// How one exchange is carried out, beyond the request itself.
#[derive(Debug, Clone, Default)]
pub struct ExchangeOptions {
    pub timeouts: Timeouts,
    pub redirects: Redirects,
    /// Where cookies are kept: every response (redirect hops included) stores its `Set-Cookie`
    /// headers there, and every request gets the matching ones added to its own `Cookie` header.
    /// `None`: the request's own headers only.
    pub cookies: Option<Jar>,
    /// Headers never sent on to another origin, besides `Authorization`, `Proxy-Authorization`,
    /// `Cookie` and every secret-looking name ([`is_secret_header`]): e.g. an auth profile's
    /// API-key header, whatever its name.
    pub private_headers: Vec<String>,
    /// Once cancelled, the body's download ends where it is and the response keeps what arrived
    /// (see [`ResponseData::stopped`]).
    pub stop: Option<CancellationToken>,
}

/// Deadlines only: redirects followed as by default, no cookie jar.
impl From<Timeouts> for ExchangeOptions {
    fn from(timeouts: Timeouts) -> Self {
        ExchangeOptions {
            timeouts,
            ..Default::default()
        }
    }
}

/// Receives the body as it arrives. [`Memory`] keeps it (and nothing else: the executor's sink
/// also reports progress); the download sink writes it away.
pub trait BodySink: Send {
    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError>;
    /// The response's head, before its first byte: its status and header fields.
    fn head(&mut self, _status: u16, _reason: &str, _version: &str, _headers: &[(String, String)]) {
    }
    /// Called with bytes so far and the expected total (when the server said), at most every 50 ms.
    fn progress(&mut self, _received: u64, _total: Option<u64>) {}
    /// After the last chunk: what the response's `body` holds — the bytes, for a sink that kept
    /// them; nothing, for one that wrote them away (after making sure they are written).
    fn finish(&mut self) -> Result<Bytes, HttpError> {
        Ok(Bytes::new())
    }
    /// After [`BodySink::finish`]: the whole body's file, for a sink that kept the first part in
    /// memory and the rest on disk.
    fn spilled(&mut self) -> Option<std::sync::Arc<crate::model::Spilled>> {
        None
    }
}

/// Collects the body in memory.
#[derive(Default)]
pub struct Memory(pub Vec<u8>);

impl BodySink for Memory {
    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn finish(&mut self) -> Result<Bytes, HttpError> {
        Ok(Bytes::from(std::mem::take(&mut self.0)))
    }
}

/// Sends `req`, following redirects as `opts` say, with every deadline applied and cookies kept.
/// The returned response's `body` is empty: the bytes went to `sink`.
pub async fn execute(
    client: &reqwest::Client,
    req: Prepared,
    opts: impl Into<ExchangeOptions>,
    sink: &mut dyn BodySink,
) -> Result<ResponseData, HttpError> {
    let opts = opts.into();
    let started = Instant::now();
    let total = opts.timeouts.total;
    match tokio::time::timeout(total, exchange(client, req, &opts, sink, started)).await {
        Ok(result) => result,
        Err(_) => Err(HttpError::TotalTimeout { after: total }),
    }
}

async fn exchange(
    client: &reqwest::Client,
    mut req: Prepared,
    opts: &ExchangeOptions,
    sink: &mut dyn BodySink,
    started: Instant,
) -> Result<ResponseData, HttpError> {
    let timeouts = opts.timeouts;
    let mut hops: Vec<RedirectHop> = Vec::new();
    let mut wire: Vec<WireHop> = Vec::new();
    let mut seen: HashSet<(Method, String)> = HashSet::new();
    seen.insert((req.method, req.url.to_string()));
    loop {
        let target = req.target();
        let cookies = opts
            .cookies
            .as_ref()
            .and_then(|jar| jar.header(&req.url, SystemTime::now()));
        let request = to_reqwest(client, &req, cookies.as_deref())?;
        let hop = Hop::start(&req, &request, !hops.is_empty());
        let sent = client.execute(request);
        let answered = async {
            match timeouts.read {
                None => Ok(sent.await),
                Some(read) => tokio::time::timeout(timeouts.connect.saturating_add(read), sent)
                    .await
                    .map_err(|_| HttpError::ReadTimeout {
                        after: read,
                        received: None,
                    }),
            }
        };
        let response = match &opts.stop {
            None => answered.await?,
            // Nothing arrived yet to keep.
            Some(stop) => tokio::select! {
                biased;
                () = stop.cancelled() => return Err(HttpError::stopped_early()),
                answered = answered => answered?,
            },
        }
        .map_err(|e| classify(&e, &target, timeouts.connect))?;
        let hop = hop.answered(&response);
        if let Some(jar) = &opts.cookies {
            let set_cookies = response
                .headers()
                .get_all(reqwest::header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok());
            jar.store(&req.url, set_cookies, SystemTime::now());
        }
        let status = response.status().as_u16();
        let next = if opts.redirects.follow {
            redirect_target(&response, &req.url)?
        } else {
            None
        };
        if let Some(next) = next {
            hops.push(RedirectHop {
                status,
                url: req.url.to_string(),
                location: next.to_string(),
            });
            wire.extend(hop.finish(&response));
            req = follow(req, status, next, &opts.private_headers);
            if !seen.insert((req.method, req.url.to_string())) {
                let mut chain: Vec<String> = hops.iter().map(|h| h.url.clone()).collect();
                chain.push(req.url.to_string());
                return Err(HttpError::RedirectLoop { chain });
            }
            if hops.len() > opts.redirects.max as usize {
                return Err(HttpError::TooManyRedirects {
                    max: opts.redirects.max,
                    last: req.url.to_string(),
                });
            }
            continue;
        }
        let probe = Probe { started, hop, wire };
        let stop = opts.stop.as_ref();
        return read_response(response, req.method, hops, sink, timeouts.read, stop, probe).await;
    }
}

/// The reqwest request for `req`, with the jar's `cookies` after any `Cookie` header the request
/// sets itself (a cookie it names is not repeated from the jar).
fn to_reqwest(
    client: &reqwest::Client,
    req: &Prepared,
    cookies: Option<&str>,
) -> Result<reqwest::Request, HttpError> {
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
        .map_err(|e| HttpError::Other(e.to_string()))?;
    let mut builder = client.request(method, req.url.clone());
    let mut own_cookies: Vec<&str> = Vec::new();
    for (k, v) in &req.headers {
        if k.eq_ignore_ascii_case("cookie") {
            own_cookies.push(v);
        } else {
            builder = builder.header(k.as_str(), v.as_str());
        }
    }
    if let Some(cookie) = merge_cookies(&own_cookies, cookies) {
        builder = builder.header(reqwest::header::COOKIE, cookie);
    }
    if let Some(body) = &req.body {
        // An empty body is still a body: say so, as curl does (hyper leaves the length out).
        if body.is_empty() {
            builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        builder = builder.body(body.clone());
    }
    builder.build().map_err(|e| HttpError::InvalidUrl {
        url: req.url.to_string(),
        reason: last_cause(&e),
    })
}

/// One `Cookie` value: the request's own, as written, then the jar's pairs whose names it does
/// not already set.
fn merge_cookies(own: &[&str], jar: Option<&str>) -> Option<String> {
    let name = |pair: &str| pair.split('=').next().unwrap_or("").trim().to_string();
    let taken: HashSet<String> = own.iter().flat_map(|v| v.split(';')).map(name).collect();
    let mut parts: Vec<&str> = own
        .iter()
        .map(|v| v.trim().trim_end_matches(';'))
        .filter(|v| !v.is_empty())
        .collect();
    if let Some(jar) = jar {
        parts.extend(
            jar.split("; ")
                .filter(|p| !p.is_empty() && !taken.contains(&name(p))),
        );
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Where a redirect goes: `None` for a response that is not one (or has no `Location`); an
/// error for a `Location` that cannot be followed (not a URL, not text), rather than quietly
/// keeping the 3xx.
fn redirect_target(response: &reqwest::Response, base: &Url) -> Result<Option<Url>, HttpError> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
        return Ok(None);
    };
    let unusable = |detail: String| HttpError::BadRedirect {
        location: String::from_utf8_lossy(location.as_bytes()).into_owned(),
        detail,
    };
    let text = location
        .to_str()
        .map_err(|_| unusable("it is not text".into()))?;
    base.join(text)
        .map(Some)
        .map_err(|e| unusable(e.to_string()))
}

/// The request to send after a redirect: 303 (and 301/302 for non-GET, as browsers do) become a
/// GET without a body; 307/308 repeat the request. When the origin changes, credentials stay
/// behind: `Authorization`, `Proxy-Authorization`, `Cookie` (the jar adds the new origin's own),
/// every secret-looking header and the `private` ones.
pub fn follow(mut req: Prepared, status: u16, next: Url, private: &[String]) -> Prepared {
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
            !is_secret_header(k) && !private.iter().any(|p| k.eq_ignore_ascii_case(p.trim()))
        });
    }
    req.url = next;
    req
}

/// What the last request's measurements need from the exchange so far.
struct Probe {
    started: Instant,
    hop: Hop,
    /// The earlier hops' captures.
    wire: Vec<WireHop>,
}

/// One request on its way: when it went out, when its response head came and over which
/// connection, and its bytes being captured.
struct Hop {
    /// Not the first request of the exchange.
    redirected: bool,
    sent_at: Instant,
    answered_at: Instant,
    connection: ConnectionUse,
    dns: Option<Duration>,
    connect: Option<Duration>,
    tls: Option<Duration>,
    capture: Option<Capture>,
    /// For HTTP/2, whose bytes are not captured: the header list handed to its encoder.
    decoded: Vec<(String, String)>,
}

impl Hop {
    fn start(req: &Prepared, request: &reqwest::Request, redirected: bool) -> Hop {
        let mut decoded: Vec<(String, String)> = vec![
            (":method".into(), req.method.as_str().into()),
            (":scheme".into(), req.url.scheme().into()),
            (":authority".into(), authority(&req.url)),
            (":path".into(), origin_form(&req.url)),
        ];
        decoded.extend(header_list(request.headers()));
        if let Some(body) = &req.body {
            decoded.push(("content-length".into(), body.len().to_string()));
        }
        let now = Instant::now();
        Hop {
            redirected,
            sent_at: now,
            answered_at: now,
            connection: ConnectionUse::Unknown,
            dns: None,
            connect: None,
            tls: None,
            capture: Capture::start(req.method.as_str(), &req.url),
            decoded,
        }
    }

    /// The response head is here: when, and over which connection.
    fn answered(mut self, response: &reqwest::Response) -> Hop {
        self.answered_at = Instant::now();
        if let Some((local, remote)) = addresses(response) {
            self.connection = match CONNECTIONS.lookup(local) {
                Some(opened) if opened.at >= self.sent_at => {
                    self.dns = opened.dns;
                    self.connect = Some(opened.connect);
                    self.tls = opened.tls;
                    ConnectionUse::New {
                        remote: Some(remote),
                    }
                }
                Some(opened) => ConnectionUse::Reused {
                    remote: Some(remote),
                    age: self.answered_at.saturating_duration_since(opened.at),
                },
                None => ConnectionUse::Unknown,
            };
        }
        self
    }

    /// The phases, with the body read now, for an exchange that began at `started`.
    fn timing(&self, started: Instant) -> Timing {
        let now = Instant::now();
        let opening = self.dns.unwrap_or_default()
            + self.connect.unwrap_or_default()
            + self.tls.unwrap_or_default();
        Timing {
            redirects: if self.redirected {
                self.sent_at.saturating_duration_since(started)
            } else {
                Duration::ZERO
            },
            dns: self.dns,
            connect: self.connect,
            tls: self.tls,
            wait: self
                .answered_at
                .saturating_duration_since(self.sent_at)
                .saturating_sub(opening),
            download: now.saturating_duration_since(self.answered_at),
            total: now.saturating_duration_since(started),
            connection: self.connection,
        }
    }

    /// Its bytes as captured (HTTP/1.x), or its decoded header lists (HTTP/2).
    fn finish(self, response: &reqwest::Response) -> Option<WireHop> {
        if response.version() == reqwest::Version::HTTP_2 {
            let mut listed = vec![(
                ":status".to_string(),
                response.status().as_str().to_string(),
            )];
            listed.extend(header_list(response.headers()));
            return Some(WireHop::Decoded {
                request: self.decoded,
                response: listed,
            });
        }
        self.capture?.finish()
    }
}

/// Header fields as text pairs, in order (a value that is not UTF-8 decoded lossily).
pub fn header_list(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

async fn read_response(
    mut response: reqwest::Response,
    method: Method,
    redirects: Vec<RedirectHop>,
    sink: &mut dyn BodySink,
    read_timeout: Option<Duration>,
    stop: Option<&CancellationToken>,
    probe: Probe,
) -> Result<ResponseData, HttpError> {
    let status = response.status();
    let version = format!("{:?}", response.version());
    let url = response.url().to_string();
    let headers = header_list(response.headers());
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
    sink.head(
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        &version,
        &headers,
    );
    sink.progress(0, expected);
    let mut stopped = false;
    loop {
        let chunk = async {
            match read_timeout {
                None => Ok(response.chunk().await),
                Some(read) => tokio::time::timeout(read, response.chunk())
                    .await
                    .map_err(|_| HttpError::ReadTimeout {
                        after: read,
                        received: Some(received),
                    }),
            }
        };
        let next = match stop {
            None => chunk.await?,
            Some(stop) => tokio::select! {
                biased;
                () = stop.cancelled() => {
                    stopped = true;
                    break;
                }
                next = chunk => next?,
            },
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
            Err(e) => return Err(classify_body(&e, received, expected)),
        }
    }
    sink.progress(received, expected);
    let Probe {
        started,
        hop,
        mut wire,
    } = probe;
    let timing = hop.timing(started);
    wire.extend(hop.finish(&response));
    // The headers as sent, where the connection shows them: the transport's decompression
    // removes Content-Encoding and Content-Length from what it hands over.
    let headers = match wire.last().and_then(WireHop::received_head) {
        Some((code, fields)) if code == status.as_u16() => fields,
        _ => headers,
    };
    Ok(ResponseData {
        stopped,
        spilled: None,
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        version,
        headers,
        body: Bytes::new(),
        elapsed: timing.total,
        redirects,
        url,
        timing: Some(timing),
        wire,
        cache: None,
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
        let r = follow(prepared(Method::Post, "http://a/x"), 303, next, &[]);
        assert_eq!(r.method, Method::Get);
        assert!(r.body.is_none());
        assert!(r.headers.iter().all(|(k, _)| k != "Content-Type"));
        assert!(r.headers.iter().any(|(k, _)| k == "Authorization"));
    }

    #[test]
    fn temporary_redirect_keeps_method_and_body() {
        let next = Url::parse("http://a/next").unwrap();
        let r = follow(prepared(Method::Put, "http://a/x"), 307, next, &[]);
        assert_eq!(r.method, Method::Put);
        assert!(r.body.is_some());
    }

    #[test]
    fn credentials_do_not_cross_origins() {
        let mut req = prepared(Method::Get, "http://a/x");
        for (k, v) in [
            ("Cookie", "sid=1"),
            ("Proxy-Authorization", "Basic x"),
            ("X-Api-Key", "k"),
            ("X-Auth-Token", "t"),
            ("Custom-Auth", "c"),
            ("Accept", "*/*"),
        ] {
            req.headers.push((k.into(), v.into()));
        }
        let private = ["custom-auth".to_string()];
        let next = Url::parse("http://evil.example/next").unwrap();
        let r = follow(req.clone(), 302, next, &private);
        let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Content-Type", "Accept"]);
        // Another port is another origin; the same origin keeps everything.
        let r = follow(
            req.clone(),
            302,
            Url::parse("http://a:81/").unwrap(),
            &private,
        );
        assert_eq!(r.headers.len(), 2);
        let r = follow(
            req.clone(),
            302,
            Url::parse("http://a/y").unwrap(),
            &private,
        );
        assert_eq!(r.headers.len(), req.headers.len());
    }

    #[test]
    fn the_requests_own_cookies_come_first_and_win() {
        assert_eq!(merge_cookies(&[], None), None);
        assert_eq!(
            merge_cookies(&[], Some("a=1; b=2")).as_deref(),
            Some("a=1; b=2")
        );
        assert_eq!(
            merge_cookies(&["b=mine; c=3", "d=4"], Some("a=1; b=2")).as_deref(),
            Some("b=mine; c=3; d=4; a=1")
        );
        assert_eq!(merge_cookies(&["x=1"], None).as_deref(), Some("x=1"));
        // The request's own header goes as written (`;` without a space, as curl sends it).
        assert_eq!(
            merge_cookies(&["species=sloth;type=galactic"], Some("type=x; a=1")).as_deref(),
            Some("species=sloth;type=galactic; a=1")
        );
    }
}
