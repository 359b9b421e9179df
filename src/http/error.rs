//! Transport failures as data: each variant names its cause, and `hint` says what to do about it.

use std::fmt;
use std::time::Duration;

use crate::model::{human_duration, human_size};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("invalid URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("unsupported scheme `{scheme}` in `{url}`: scout speaks http and https")]
    UnknownScheme { scheme: String, url: String },
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader { name: String, reason: String },
    #[error("invalid request body: {0}")]
    InvalidBody(String),
    #[error("could not resolve host `{host}`: {detail}")]
    Dns { host: String, detail: String },
    #[error("connection refused by {target}: nothing is listening there")]
    Refused { target: String },
    #[error("connect timeout: no connection to {target} after {}", human_duration(*.after))]
    ConnectTimeout { target: String, after: Duration },
    #[error("total timeout: the whole exchange took longer than {}", human_duration(*.after))]
    TotalTimeout { after: Duration },
    /// Nothing arrived for `after`: no response head after connecting (`received` is `None`), or
    /// no further body bytes after `received` of them.
    #[error("{}", read_timeout_text(*.after, *.received))]
    ReadTimeout {
        after: Duration,
        received: Option<u64>,
    },
    #[error("TLS error talking to {target}: {detail}")]
    Tls { target: String, detail: String },
    #[error("connection closed mid-body after {}: {detail}", of_bytes(*.received, *.expected))]
    ClosedMidBody {
        received: u64,
        expected: Option<u64>,
        detail: String,
    },
    /// The response's status line or head is not HTTP/1.1 as it must be written.
    #[error("{problem}: {detail}")]
    Protocol {
        problem: ProtocolProblem,
        detail: String,
    },
    /// The body's framing is broken (chunked encoding that does not parse).
    #[error("the body's chunked framing is broken after {}: {detail}", of_bytes(*.received, None))]
    Framing { received: u64, detail: String },
    /// The body is not what its Content-Encoding says (invalid gzip, brotli, deflate).
    #[error("the body could not be decoded as its Content-Encoding says: {detail}")]
    Decoding { detail: String },
    /// The peer reset the connection (RST) before the response was complete.
    #[error("connection reset by {target}{}", .received.map(|n| format!(" after {}", of_bytes(n, None))).unwrap_or_default())]
    Reset {
        target: String,
        received: Option<u64>,
    },
    /// The connection was closed after the request, before any response.
    #[error("{target} closed the connection without answering")]
    ClosedEarly { target: String },
    /// A redirect whose `Location` cannot be followed.
    #[error("the redirect's Location `{location}` cannot be followed: {detail}")]
    BadRedirect { location: String, detail: String },
    #[error("redirect loop: {}", .chain.join(" → "))]
    RedirectLoop { chain: Vec<String> },
    #[error("too many redirects: gave up after {max} (last: {last})")]
    TooManyRedirects { max: u32, last: String },
    #[error("could not connect to {target}: {detail}")]
    Connect { target: String, detail: String },
    /// A certificate file a collection names (`setting` is `ca_cert` or `client_cert`) cannot be
    /// used.
    #[error("{setting} `{path}`: {problem}")]
    CertFile {
        setting: &'static str,
        path: String,
        problem: String,
    },
    /// A collection's `proxy` is not a usable proxy URL (credentials in it redacted).
    #[error("invalid proxy `{url}`: {detail}")]
    Proxy { url: String, detail: String },
    #[error("could not write the body to {path}: {detail}")]
    Sink { path: String, detail: String },
    /// A body beyond the memory cap could not be kept on disk (its partial file removed).
    #[error("{detail}")]
    Spill { detail: String },
    /// Credentials could not be obtained before sending (an OAuth2 token request failed).
    #[error("{message}")]
    Auth { message: String },
    /// scout itself failed while sending (a panic in the send's task): a bug, not the server.
    #[error("scout failed while sending this request: {detail}")]
    Internal { detail: String },
    #[error("{0}")]
    Other(String),
}

impl HttpError {
    /// A send stopped ([`crate::http::job::Job::stop`]) before its response arrived: nothing to
    /// keep, so it ends as a cancelled one would.
    pub fn stopped_early() -> HttpError {
        HttpError::Other("stopped before the response arrived".into())
    }

    /// Whether a timeout (of any kind) caused this; `scout send` exits with 2 for these.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            HttpError::ConnectTimeout { .. }
                | HttpError::TotalTimeout { .. }
                | HttpError::ReadTimeout { .. }
        )
    }

    /// A short headline for the response pane.
    pub fn title(&self) -> &'static str {
        match self {
            HttpError::InvalidUrl { .. } => "Invalid URL",
            HttpError::UnknownScheme { .. } => "Unsupported scheme",
            HttpError::InvalidHeader { .. } => "Invalid header",
            HttpError::InvalidBody(_) => "Invalid body",
            HttpError::Dns { .. } => "DNS lookup failed",
            HttpError::Refused { .. } => "Connection refused",
            HttpError::ConnectTimeout { .. } => "Connect timeout",
            HttpError::TotalTimeout { .. } => "Total timeout",
            HttpError::ReadTimeout { .. } => "Read timeout",
            HttpError::Tls { .. } => "TLS error",
            HttpError::ClosedMidBody { .. } => "Connection closed mid-body",
            HttpError::Protocol { problem, .. } => problem.title(),
            HttpError::Framing { .. } => "Broken chunked body",
            HttpError::Decoding { .. } => "Body not decodable",
            HttpError::Reset { .. } => "Connection reset",
            HttpError::ClosedEarly { .. } => "No response",
            HttpError::BadRedirect { .. } => "Unusable redirect",
            HttpError::RedirectLoop { .. } => "Redirect loop",
            HttpError::TooManyRedirects { .. } => "Too many redirects",
            HttpError::Connect { .. } => "Connection failed",
            HttpError::CertFile { .. } => "Certificate file unusable",
            HttpError::Proxy { .. } => "Invalid proxy",
            HttpError::Sink { .. } => "Could not save",
            HttpError::Spill { .. } => "Body not kept on disk",
            HttpError::Auth { .. } => "Authentication failed",
            HttpError::Internal { .. } => "scout failed",
            HttpError::Other(_) => "Request failed",
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            HttpError::InvalidUrl { .. } => {
                "Check the URL: it needs a host, e.g. http://localhost:8080/path (or :8080/path)."
            }
            HttpError::UnknownScheme { .. } => "Use http:// or https://.",
            HttpError::InvalidHeader { .. } => {
                "Header names are letters, digits and -; values cannot contain newlines."
            }
            HttpError::InvalidBody(_) => "Fix the body in the Body tab.",
            HttpError::Dns { .. } => {
                "Check the host name for typos, and that you are online (the demo API needs no network)."
            }
            HttpError::Refused { .. } => "Is the server running, and on this port?",
            HttpError::ConnectTimeout { .. } => {
                "The host did not answer: check the address or firewall, or raise --connect-timeout."
            }
            HttpError::TotalTimeout { .. } => {
                "The server is slow: raise --timeout, or ask for less data."
            }
            HttpError::ReadTimeout { .. } => {
                "The server went quiet: raise the read timeout, or check that it is still working."
            }
            HttpError::Tls { .. } => {
                "The certificate could not be verified, or the server does not speak TLS on this port."
            }
            HttpError::ClosedMidBody { .. } => {
                "The server or a proxy dropped the connection; what arrived is not the whole body. Try again."
            }
            HttpError::Protocol { problem, .. } => problem.hint(),
            HttpError::Framing { .. } => {
                "The server's Transfer-Encoding: chunked is malformed: a server bug, which a retry will not fix."
            }
            HttpError::Decoding { .. } => {
                "The server labels the body compressed but sends something else; a retry will not fix it. Ask for it plain: the header Accept-Encoding: identity."
            }
            HttpError::Reset { .. } => {
                "The server or something between dropped the connection abruptly (a crash, a restart, a proxy). Try again."
            }
            HttpError::ClosedEarly { .. } => {
                "It accepted the connection and closed it unanswered: it may be restarting (try again), refuse the request, or speak something else on this port (TLS: try https://)."
            }
            HttpError::BadRedirect { .. } => {
                "The server sent a broken Location header: a server bug. --no-follow (follow_redirects = false) shows the 3xx itself."
            }
            HttpError::RedirectLoop { .. } => {
                "The server redirects in a circle: the endpoint is misconfigured."
            }
            HttpError::TooManyRedirects { .. } => {
                "The chain is longer than the maximum: raise max_redirects, or set follow_redirects = false to see the first response."
            }
            HttpError::Connect { .. } => "Check the address and that the server is up.",
            HttpError::CertFile { .. } => {
                "Fix ca_cert / client_cert in the collection: PEM files (a client_cert holds the certificate and its private key), paths relative to the collection's folder."
            }
            HttpError::Proxy { .. } => {
                "Fix proxy in the collection: a URL such as http://proxy.local:3128 (or remove it to use HTTP(S)_PROXY)."
            }
            HttpError::Sink { .. } => "Check the path and that there is space and permission.",
            HttpError::Spill { .. } => {
                "Free space in the temporary folder (or point TMPDIR at a larger disk), or raise [body] memory_cap in the config file."
            }
            HttpError::Auth { .. } => {
                "Check the auth profile (token URL, client id and secret): the Auth tab shows the token state."
            }
            HttpError::Internal { .. } => {
                "This is a bug in scout, not a problem with the server; the rest of the app keeps working. Please report it with the request that caused it."
            }
            HttpError::Other(_) => "See the message above.",
        }
    }
}

/// Why a response head is not HTTP/1.1 as written (hyper's parse errors, by cause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolProblem {
    /// The status line's code is not three digits.
    StatusLine,
    /// No status line at all: bare bytes (HTTP/0.9, or not HTTP).
    NoStatusLine,
    /// A header line without a colon, or with characters a header cannot hold.
    Header,
    /// Content-Length twice with different values, or not a number.
    Length,
    /// The head is larger than scout reads (hyper's limits: 100 fields, [`MAX_HEAD`] bytes).
    HeadTooLarge,
}

/// The most a response head may be: hyper's read buffer (8 KB plus 100 × 4 KB).
pub const MAX_HEAD: usize = 8192 + 4096 * 100;

impl ProtocolProblem {
    fn title(self) -> &'static str {
        match self {
            ProtocolProblem::StatusLine => "Malformed status line",
            ProtocolProblem::NoStatusLine => "Not an HTTP response",
            ProtocolProblem::Header => "Malformed header",
            ProtocolProblem::Length => "Conflicting Content-Length",
            ProtocolProblem::HeadTooLarge => "Response head too large",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            ProtocolProblem::StatusLine => {
                "The server's status line is broken: a server bug, which a retry will not fix."
            }
            ProtocolProblem::NoStatusLine => {
                "Is this port an HTTP server? Something answered without an HTTP status line (HTTP/0.9, or another protocol)."
            }
            ProtocolProblem::Header => {
                "A response header line is malformed (no colon, or a forbidden byte): a server bug, which a retry will not fix."
            }
            ProtocolProblem::Length => {
                "Two different Content-Length headers (or one that is no number) leave the body's end unknown (RFC 9112 §6.3): a server or proxy bug."
            }
            ProtocolProblem::HeadTooLarge => {
                "scout reads at most 100 header fields and 408 KB of head: a server bug, or a huge cookie or header it sets."
            }
        }
    }
}

impl fmt::Display for ProtocolProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProtocolProblem::StatusLine => "the response's status line is not HTTP",
            ProtocolProblem::NoStatusLine => "the response has no HTTP status line",
            ProtocolProblem::Header => "a response header is malformed",
            ProtocolProblem::Length => "the response's Content-Length is invalid or conflicting",
            ProtocolProblem::HeadTooLarge => {
                "the response head is too large (over 100 header fields or 408 KB)"
            }
        })
    }
}

/// `13 bytes of 100`, or `13 bytes of an unknown length`.
fn of_bytes(received: u64, expected: Option<u64>) -> String {
    match expected {
        Some(total) => format!("{received} of {total} bytes"),
        None => format!("{received} bytes of an unknown length"),
    }
}

fn read_timeout_text(after: Duration, received: Option<u64>) -> String {
    let after = human_duration(after);
    match received {
        None => format!("no response for {after} (read timeout) after connecting"),
        Some(n) => format!(
            "no data for {after} (read timeout) after receiving {}",
            human_size(n)
        ),
    }
}

/// Turns a reqwest error into the matching [`HttpError`], walking its source chain for the real cause.
pub fn classify(err: &reqwest::Error, target: &str, connect_timeout: Duration) -> HttpError {
    let chain = source_chain(err);
    if err.is_connect() || err.is_dns() {
        if err.is_dns() || chain.contains("dns error") || chain.contains("failed to lookup") {
            return HttpError::Dns {
                host: err
                    .url()
                    .and_then(|u| u.host_str())
                    .unwrap_or(target)
                    .to_string(),
                detail: last_cause(err),
            };
        }
        if err.is_timeout() {
            return HttpError::ConnectTimeout {
                target: target.to_string(),
                after: connect_timeout,
            };
        }
        if has_io_kind(err, std::io::ErrorKind::ConnectionRefused)
            || chain.contains("connection refused")
        {
            return HttpError::Refused {
                target: target.to_string(),
            };
        }
        let https = err.url().is_some_and(|u| u.scheme() == "https");
        if chain.contains("certificate")
            || chain.contains("tls")
            || chain.contains("handshake")
            || (https
                && (chain.contains("corrupt message")
                    || chain.contains("alert")
                    || has_io_kind(err, std::io::ErrorKind::InvalidData)))
        {
            return HttpError::Tls {
                target: target.to_string(),
                detail: last_cause(err),
            };
        }
        return HttpError::Connect {
            target: target.to_string(),
            detail: last_cause(err),
        };
    }
    if err.is_timeout() {
        return HttpError::ConnectTimeout {
            target: target.to_string(),
            after: connect_timeout,
        };
    }
    if err.is_builder() {
        return HttpError::InvalidUrl {
            url: target.to_string(),
            reason: last_cause(err),
        };
    }
    // hyper's parse errors, by the words it uses (its error kinds are private).
    let protocol = [
        ("invalid http status-code", ProtocolProblem::StatusLine),
        ("invalid http version", ProtocolProblem::NoStatusLine),
        ("invalid http header", ProtocolProblem::Header),
        ("invalid content-length", ProtocolProblem::Length),
        ("message head is too large", ProtocolProblem::HeadTooLarge),
    ];
    if let Some((_, problem)) = protocol.iter().find(|(words, _)| chain.contains(words)) {
        return HttpError::Protocol {
            problem: *problem,
            detail: last_cause(err),
        };
    }
    if has_io_kind(err, std::io::ErrorKind::ConnectionReset) || chain.contains("connection reset") {
        return HttpError::Reset {
            target: target.to_string(),
            received: None,
        };
    }
    if chain.contains("connection closed before message completed") {
        return HttpError::ClosedEarly {
            target: target.to_string(),
        };
    }
    HttpError::Other(format!("{}: {}", err_kind(err), last_cause(err)))
}

/// An error while reading the body, after `received` bytes of `expected`: decoding (the
/// Content-Encoding lies), framing (chunks that do not parse), a reset, or a close before the
/// end. Only the last two are the network's.
pub fn classify_body(err: &reqwest::Error, received: u64, expected: Option<u64>) -> HttpError {
    let chain = source_chain(err);
    let detail = last_cause(err);
    // reqwest calls every body read error a decode error: the decoder's own words tell.
    let decoders = ["gzip", "deflate", "brotli", "zstd", "decompress"];
    if decoders.iter().any(|w| chain.contains(w)) {
        return HttpError::Decoding { detail };
    }
    if chain.contains("chunk") {
        return HttpError::Framing { received, detail };
    }
    if has_io_kind(err, std::io::ErrorKind::ConnectionReset) || chain.contains("connection reset") {
        return HttpError::Reset {
            target: err
                .url()
                .and_then(|u| u.host_str())
                .unwrap_or("the server")
                .to_string(),
            received: Some(received),
        };
    }
    HttpError::ClosedMidBody {
        received,
        expected,
        detail,
    }
}

fn err_kind(err: &reqwest::Error) -> &'static str {
    if err.is_body() {
        "error sending or reading the body"
    } else if err.is_decode() {
        "could not decode the response"
    } else if err.is_request() {
        "request error"
    } else {
        "error"
    }
}

fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string().to_lowercase();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(" | ");
        out.push_str(&s.to_string().to_lowercase());
        source = s.source();
    }
    out
}

/// The innermost cause's message: the one that actually says what happened.
pub fn last_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

fn has_io_kind(err: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == kind
        {
            return true;
        }
        source = s.source();
    }
    false
}
