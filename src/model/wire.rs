//! How an exchange went on the wire, as measured: where its time went ([`Timing`]) and the bytes
//! that crossed the connection ([`WireHop`]).

use std::net::SocketAddr;
use std::time::Duration;

/// Where an exchange's time went. The phases follow one another and add up to `total`:
/// `redirects` (earlier hops), then the last request's `dns`, `connect`, `tls`, `wait` and
/// `download`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timing {
    /// Time spent on the redirects followed before the last request.
    pub redirects: Duration,
    /// Looking the host up; `None` on a reused connection, an IP address, or through a proxy.
    pub dns: Option<Duration>,
    /// Opening the TCP connection; `None` on a reused connection.
    pub connect: Option<Duration>,
    /// The TLS handshake, for `https` on a new connection.
    pub tls: Option<Duration>,
    /// From the request going out (on an open connection) to the response head arriving: the
    /// server's time to first byte.
    pub wait: Duration,
    /// Reading the body.
    pub download: Duration,
    pub total: Duration,
    pub connection: ConnectionUse,
}

/// Whether the last request opened a connection or used one from the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConnectionUse {
    /// Opened for this request.
    New { remote: Option<SocketAddr> },
    /// Kept open from an earlier request (HTTP keep-alive or an HTTP/2 stream).
    Reused {
        remote: Option<SocketAddr>,
        /// How long ago it was opened.
        age: Duration,
    },
    /// The transport did not say (e.g. through some proxies).
    #[default]
    Unknown,
}

impl ConnectionUse {
    pub fn remote(&self) -> Option<SocketAddr> {
        match self {
            ConnectionUse::New { remote } | ConnectionUse::Reused { remote, .. } => *remote,
            ConnectionUse::Unknown => None,
        }
    }
}

impl Timing {
    /// The phases in order with their names, leaving out those that did not happen.
    pub fn phases(&self) -> Vec<(&'static str, Duration)> {
        let mut phases = Vec::new();
        if !self.redirects.is_zero() {
            phases.push(("redirects", self.redirects));
        }
        if let Some(dns) = self.dns {
            phases.push(("DNS lookup", dns));
        }
        if let Some(connect) = self.connect {
            phases.push(("TCP connect", connect));
        }
        if let Some(tls) = self.tls {
            phases.push(("TLS handshake", tls));
        }
        phases.push(("waiting (TTFB)", self.wait));
        phases.push(("download", self.download));
        phases
    }
}

/// At most this much of a request's or a response's bytes is kept per hop; the rest is counted.
pub const WIRE_KEEP: usize = 64 * 1024;

/// One request and its response as they crossed the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireHop {
    /// HTTP/1.x: the bytes written and read, exactly (TLS already removed). The response's
    /// body is as sent: chunked framing and compression included.
    Bytes {
        sent: Vec<u8>,
        /// More was written than `sent` keeps (its first [`WIRE_KEEP`] bytes).
        sent_cut: bool,
        received: Vec<u8>,
        received_cut: bool,
    },
    /// HTTP/2 sends binary frames with compressed (HPACK) headers: what they decoded to.
    Decoded {
        request: Vec<(String, String)>,
        response: Vec<(String, String)>,
    },
}

/// Which way a line of the wire went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sent,
    Received,
    /// Said about the bytes, not part of them (a binary body's size, bytes not kept).
    Note,
}

impl Side {
    /// How a line is marked in text (`scout send -v`), as curl does.
    pub fn marker(self) -> &'static str {
        match self {
            Side::Sent => "> ",
            Side::Received => "< ",
            Side::Note => "* ",
        }
    }
}

/// One line of a hop as text, for the Wire tab and `scout send -v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireLine {
    pub side: Side,
    pub text: String,
    /// A header field (`name: value`), to be redacted as one.
    pub header: bool,
}

impl WireLine {
    /// A header line's name and value (an HTTP/2 pseudo-header's name keeps its `:`).
    pub fn field(&self) -> Option<(&str, &str)> {
        if !self.header {
            return None;
        }
        let from = usize::from(self.text.starts_with(':'));
        let at = from + self.text[from..].find(':')?;
        Some((&self.text[..at], self.text[at + 1..].trim_start()))
    }
}

impl WireHop {
    /// The hop as lines: the request as written, then the response as read. Heads are shown
    /// line by line; a body is shown when it is text, else described; bytes not kept are noted.
    pub fn lines(&self) -> Vec<WireLine> {
        let mut out = Vec::new();
        match self {
            WireHop::Bytes {
                sent,
                sent_cut,
                received,
                received_cut,
            } => {
                message_lines(&mut out, Side::Sent, sent, *sent_cut);
                message_lines(&mut out, Side::Received, received, *received_cut);
            }
            WireHop::Decoded { request, response } => {
                for (side, list) in [(Side::Sent, request), (Side::Received, response)] {
                    out.extend(list.iter().map(|(k, v)| WireLine {
                        side,
                        text: format!("{k}: {v}"),
                        header: true,
                    }));
                }
            }
        }
        out
    }
}

impl WireHop {
    /// The status and the header fields of the response as read off the connection, in order
    /// (HTTP/1.x only): the headers as the server sent them, before the transport's decoding
    /// took `Content-Encoding` and `Content-Length` away. `None` when the head was not captured
    /// whole.
    pub fn received_head(&self) -> Option<(u16, Vec<(String, String)>)> {
        let WireHop::Bytes { received, .. } = self else {
            return None;
        };
        let end = received.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&received[..end]).ok()?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let fields = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Some((status, fields))
    }
}

fn message_lines(out: &mut Vec<WireLine>, side: Side, bytes: &[u8], cut: bool) {
    let line = |text: String| WireLine {
        side,
        text,
        header: false,
    };
    let (head, body) = match bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(at) => (&bytes[..at], Some(&bytes[at + 4..])),
        None => (bytes, None),
    };
    out.extend(head.split(|&b| b == b'\n').enumerate().map(|(i, l)| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        WireLine {
            header: i > 0,
            ..line(printable(&String::from_utf8_lossy(l)))
        }
    }));
    let Some(body) = body else {
        if cut {
            out.push(note(format!(
                "… more than {} kept",
                thousands_bytes(WIRE_KEEP)
            )));
        }
        return;
    };
    out.push(line(String::new()));
    if !body.is_empty() {
        match text_of(body) {
            Some(text) => out.extend(
                text.strip_suffix('\n')
                    .unwrap_or(text)
                    .split('\n')
                    .map(|l| line(printable(l.strip_suffix('\r').unwrap_or(l)))),
            ),
            None => out.push(note(format!(
                "[{} of binary data: compressed, or not text]",
                thousands_bytes(body.len())
            ))),
        }
    }
    if cut {
        out.push(note(format!(
            "… the rest is not kept here (the first {} are)",
            thousands_bytes(WIRE_KEEP)
        )));
    }
}

fn note(text: String) -> WireLine {
    WireLine {
        side: Side::Note,
        text,
        header: false,
    }
}

fn thousands_bytes(n: usize) -> String {
    format!("{} bytes", crate::model::thousands(n))
}

/// The body as text, if it is UTF-8 (a character cut at the end allowed) without control
/// characters other than tab and line ends.
fn text_of(body: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&body[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .then_some(text)
}

/// A line fit for the terminal: control characters shown as escapes.
fn printable(line: &str) -> String {
    if !line.chars().any(char::is_control) {
        return line.to_string();
    }
    line.chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_leave_out_what_did_not_happen() {
        let ms = Duration::from_millis;
        let reused = Timing {
            wait: ms(5),
            download: ms(1),
            total: ms(6),
            ..Default::default()
        };
        let names: Vec<&str> = reused.phases().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["waiting (TTFB)", "download"]);
        let fresh = Timing {
            redirects: ms(3),
            dns: Some(ms(1)),
            connect: Some(ms(2)),
            tls: Some(ms(4)),
            ..reused
        };
        let names: Vec<&str> = fresh.phases().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "redirects",
                "DNS lookup",
                "TCP connect",
                "TLS handshake",
                "waiting (TTFB)",
                "download"
            ]
        );
    }

    fn texts(lines: &[WireLine], side: Side) -> Vec<&str> {
        lines
            .iter()
            .filter(|l| l.side == side)
            .map(|l| l.text.as_str())
            .collect()
    }

    #[test]
    fn a_hop_reads_as_its_heads_and_text_bodies() {
        let hop = WireHop::Bytes {
            sent: b"POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
            sent_cut: false,
            received:
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    .to_vec(),
            received_cut: false,
        };
        let lines = hop.lines();
        assert_eq!(
            texts(&lines, Side::Sent),
            ["POST /x HTTP/1.1", "host: a", "content-length: 2", "", "{}"]
        );
        assert_eq!(
            texts(&lines, Side::Received),
            [
                "HTTP/1.1 200 OK",
                "transfer-encoding: chunked",
                "",
                "5",
                "hello",
                "0",
                ""
            ]
        );
        assert!(texts(&lines, Side::Note).is_empty());
    }

    #[test]
    fn binary_bodies_and_cut_captures_are_described() {
        let mut received = b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\n\r\n".to_vec();
        received.extend([0x1f, 0x8b, 0x08, 0x00, 0xff]);
        let hop = WireHop::Bytes {
            sent: b"GET / HTTP/1.1\r\nx: a\x07b\r\n\r\n".to_vec(),
            sent_cut: false,
            received,
            received_cut: true,
        };
        let lines = hop.lines();
        assert_eq!(texts(&lines, Side::Sent)[1], "x: a\\u{7}b");
        let notes = texts(&lines, Side::Note);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].starts_with("[5 bytes of binary data"), "{notes:?}");
        assert!(notes[1].contains("65,536 bytes"), "{notes:?}");
    }

    #[test]
    fn the_received_head_reads_back_as_status_and_fields() {
        let hop = WireHop::Bytes {
            sent: Vec::new(),
            sent_cut: false,
            received: b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nX-A:  b \r\n\r\n\x1f\x8b"
                .to_vec(),
            received_cut: true,
        };
        let (status, fields) = hop.received_head().unwrap();
        assert_eq!(status, 200);
        assert_eq!(
            fields,
            [
                ("Content-Encoding".to_string(), "gzip".to_string()),
                ("X-A".to_string(), "b".to_string())
            ]
        );
        let partial = WireHop::Bytes {
            sent: Vec::new(),
            sent_cut: false,
            received: b"HTTP/1.1 200 OK\r\nX-A: b".to_vec(),
            received_cut: true,
        };
        assert_eq!(partial.received_head(), None);
    }

    #[test]
    fn header_lines_split_into_name_and_value_pseudo_headers_too() {
        let line = |text: &str, header| WireLine {
            side: Side::Sent,
            text: text.into(),
            header,
        };
        assert_eq!(line(":method: GET", true).field(), Some((":method", "GET")));
        assert_eq!(line("host: a:8080", true).field(), Some(("host", "a:8080")));
        assert_eq!(line("GET / HTTP/1.1", false).field(), None);
    }

    #[test]
    fn http2_lists_its_decoded_headers() {
        let hop = WireHop::Decoded {
            request: vec![(":method".into(), "GET".into())],
            response: vec![(":status".into(), "200".into())],
        };
        let lines = hop.lines();
        assert_eq!(texts(&lines, Side::Sent), [":method: GET"]);
        assert_eq!(texts(&lines, Side::Received), [":status: 200"]);
    }
}
