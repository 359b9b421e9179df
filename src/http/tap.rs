//! Capturing HTTP/1.x exchanges byte for byte at the connection, for the Wire tab.
//!
//! reqwest does not hand out its connections, but with `connection_verbose` on it logs every
//! read and write of a connection (TLS already removed) as a trace record, the bytes escaped
//! (`0f3a91c2 write: b"GET / HTTP/1.1\r\n…"`). [`install`] makes this module the `log` logger;
//! it ignores every other record. An exchange about to send registers a [`Capture`]; the first
//! write on a connection that starts with its request line and names its host binds that
//! connection to it, and what the connection reads and writes goes to the capture until the
//! exchange finishes it. At most [`WIRE_KEEP`] bytes each way are decoded: the rest of a large
//! body costs only a check per chunk.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::{LazyLock, Mutex, OnceLock, PoisonError};

use url::Url;

use crate::http::build::{authority, origin_form};
use crate::model::{WIRE_KEEP, WireHop};

/// Where reqwest logs connection traffic.
const TARGET: &str = "reqwest::connect::verbose";

/// Installs the tap as the process's logger, once. `false` when another logger was there
/// first: then nothing is captured.
pub fn install() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let ok = log::set_logger(&Logger).is_ok();
        if ok {
            log::set_max_level(log::LevelFilter::Trace);
        }
        ok
    })
}

/// One exchange's capture: registered before its request goes out, finished once its response
/// is read. Dropping it unregisters it.
#[derive(Debug)]
pub struct Capture {
    id: u64,
}

impl Capture {
    /// Registers the request `method url` (as sent: after redirects, with its query). `None`
    /// when the tap is not installed.
    pub fn start(method: &str, url: &Url) -> Option<Capture> {
        if !install() {
            return None;
        }
        let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
        state.next += 1;
        let id = state.next;
        state.pending.push(Pending {
            id,
            lines: [
                format!("{method} {} HTTP/1.", origin_form(url)),
                format!("{method} {url} HTTP/1."),
            ],
            host: format!("\r\nhost: {}\r\n", authority(url)),
        });
        state.captures.insert(id, Buffers::default());
        Some(Capture { id })
    }

    /// The bytes captured, if the exchange went over a connection the tap saw (HTTP/1.x).
    pub fn finish(self) -> Option<WireHop> {
        let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
        let buffers = state.captures.remove(&self.id)?;
        buffers.conn?;
        Some(WireHop::Bytes {
            sent: buffers.sent,
            sent_cut: buffers.sent_cut,
            received: buffers.received,
            received_cut: buffers.received_cut,
        })
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
        state.pending.retain(|p| p.id != self.id);
        state.captures.remove(&self.id);
        state.conns.retain(|_, id| *id != self.id);
    }
}

static STATE: LazyLock<Mutex<State>> = LazyLock::new(Mutex::default);

#[derive(Debug, Default)]
struct State {
    next: u64,
    /// Registered and not yet seen on a connection.
    pending: Vec<Pending>,
    /// Connection (reqwest's id for it) → the capture it is bound to.
    conns: HashMap<u32, u64>,
    captures: HashMap<u64, Buffers>,
}

#[derive(Debug)]
struct Pending {
    id: u64,
    /// The request line's start, in origin form and in absolute form (through a proxy).
    lines: [String; 2],
    /// The Host header line as hyper writes it.
    host: String,
}

impl Pending {
    fn matches(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        self.lines.iter().any(|l| head.starts_with(l.as_str()))
            && head
                .to_ascii_lowercase()
                .contains(&self.host.to_ascii_lowercase())
    }
}

#[derive(Debug, Default)]
struct Buffers {
    conn: Option<u32>,
    sent: Vec<u8>,
    sent_cut: bool,
    received: Vec<u8>,
    received_cut: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Read,
    Write,
}

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.target() == TARGET
    }

    fn log(&self, record: &log::Record) {
        if record.target() == TARGET {
            take(*record.args());
        }
    }

    fn flush(&self) {}
}

/// Enough of a request's start to see its request line and Host header.
const HEAD_PEEK: usize = 8 * 1024;

/// One record of connection traffic: appended to the capture its connection is bound to, or,
/// for a write that starts a registered request, binding the connection first.
fn take(args: fmt::Arguments) {
    let Some((conn, direction)) = prefix(args) else {
        return;
    };
    let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
    let state = &mut *state;
    let mut bound = state.conns.get(&conn).copied();
    if direction == Direction::Write
        && let Some(id) = bound
        && state
            .captures
            .get(&id)
            .is_some_and(|b| !b.received.is_empty())
    {
        // A new request on a kept-alive connection, unless it is the rest of this one's body.
        let (start, _) = decode(args, 64);
        if looks_like_request_line(&start) {
            state.conns.remove(&conn);
            bound = None;
        }
    }
    let id = match (bound, direction) {
        (Some(id), _) => id,
        (None, Direction::Read) => return,
        (None, Direction::Write) => {
            if state.pending.is_empty() {
                return;
            }
            let (head, _) = decode(args, HEAD_PEEK);
            let Some(at) = state.pending.iter().position(|p| p.matches(&head)) else {
                return;
            };
            let id = state.pending.remove(at).id;
            state.conns.insert(conn, id);
            if let Some(buffers) = state.captures.get_mut(&id) {
                buffers.conn = Some(conn);
            }
            id
        }
    };
    let Some(buffers) = state.captures.get_mut(&id) else {
        state.conns.remove(&conn);
        return;
    };
    let (kept, cut) = match direction {
        Direction::Write => (&mut buffers.sent, &mut buffers.sent_cut),
        Direction::Read => (&mut buffers.received, &mut buffers.received_cut),
    };
    let room = WIRE_KEEP.saturating_sub(kept.len());
    if room == 0 {
        *cut = true;
        return;
    }
    let (bytes, more) = decode(args, room);
    kept.extend_from_slice(&bytes);
    *cut |= more;
}

fn looks_like_request_line(start: &[u8]) -> bool {
    let text = String::from_utf8_lossy(start);
    let Some((method, rest)) = text.split_once(' ') else {
        return false;
    };
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && rest
            .split_once(' ')
            .is_some_and(|(_, v)| v.starts_with("HTTP/1."))
}

/// The connection id and the direction of a record (`0f3a91c2 read: b"…"`), formatting only
/// its start.
fn prefix(args: fmt::Arguments) -> Option<(u32, Direction)> {
    struct Prefix(String);
    impl fmt::Write for Prefix {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.push_str(s);
            if self.0.contains("b\"") || self.0.len() > 40 {
                Err(fmt::Error)
            } else {
                Ok(())
            }
        }
    }
    let mut p = Prefix(String::new());
    let _ = p.write_fmt(args);
    let (id, rest) = p.0.split_once(' ')?;
    let conn = u32::from_str_radix(id, 16).ok()?;
    let direction = if rest.starts_with("read:") {
        Direction::Read
    } else if rest.starts_with("write") {
        Direction::Write
    } else {
        return None;
    };
    Some((conn, direction))
}

/// Up to `limit` bytes of a record's data (every `b"…"` in it, in order, unescaped), and
/// whether there was more. Formatting stops once the limit is reached.
fn decode(args: fmt::Arguments, limit: usize) -> (Vec<u8>, bool) {
    let mut d = Unescape {
        out: Vec::with_capacity(limit.min(16 * 1024)),
        limit,
        state: Unescaping::Outside { saw_b: false },
        more: false,
    };
    let _ = d.write_fmt(args);
    (d.out, d.more)
}

#[derive(Debug, Clone, Copy)]
enum Unescaping {
    Outside { saw_b: bool },
    Inside,
    Escape,
    Hex1,
    Hex2(u8),
}

/// Reads reqwest's byte escapes (`\n \r \t \\ \" \0 \xNN`, printable ASCII as is).
struct Unescape {
    out: Vec<u8>,
    limit: usize,
    state: Unescaping,
    more: bool,
}

impl fmt::Write for Unescape {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.bytes() {
            let byte = match (self.state, c) {
                (Unescaping::Outside { saw_b: true }, b'"') => {
                    self.state = Unescaping::Inside;
                    None
                }
                (Unescaping::Outside { .. }, c) => {
                    self.state = Unescaping::Outside { saw_b: c == b'b' };
                    None
                }
                (Unescaping::Inside, b'\\') => {
                    self.state = Unescaping::Escape;
                    None
                }
                (Unescaping::Inside, b'"') => {
                    self.state = Unescaping::Outside { saw_b: false };
                    None
                }
                (Unescaping::Inside, c) => Some(c),
                (Unescaping::Escape, b'x') => {
                    self.state = Unescaping::Hex1;
                    None
                }
                (Unescaping::Escape, c) => {
                    self.state = Unescaping::Inside;
                    Some(match c {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'0' => 0,
                        other => other,
                    })
                }
                (Unescaping::Hex1, c) => {
                    self.state = Unescaping::Hex2(hex(c));
                    None
                }
                (Unescaping::Hex2(high), c) => {
                    self.state = Unescaping::Inside;
                    Some(high << 4 | hex(c))
                }
            };
            if let Some(byte) = byte {
                if self.out.len() == self.limit {
                    self.more = true;
                    return Err(fmt::Error);
                }
                self.out.push(byte);
            }
        }
        Ok(())
    }
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// reqwest's escaping, as in its `util::Escape`.
    fn escape(bytes: &[u8]) -> String {
        let mut out = String::from("b\"");
        for &c in bytes {
            match c {
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                b'\\' | b'"' => {
                    out.push('\\');
                    out.push(c as char);
                }
                0 => out.push_str("\\0"),
                0x20..0x7f => out.push(c as char),
                _ => out.push_str(&format!("\\x{c:02x}")),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn records_unescape_to_the_bytes_sent() {
        let bytes: Vec<u8> = (0..=255u8).chain(*b"GET / HTTP/1.1\r\n\"\\").collect();
        let text = format!("0000beef write: {}", escape(&bytes));
        assert_eq!(
            prefix(format_args!("{text}")),
            Some((0xbeef, Direction::Write))
        );
        assert_eq!(
            decode(format_args!("{text}"), 1 << 20),
            (bytes.clone(), false)
        );
        let (start, more) = decode(format_args!("{text}"), 10);
        assert_eq!((start.as_slice(), more), (&bytes[..10], true));
        // Vectored writes log one b"…" per buffer.
        let text = format!(
            "0000beef write (vectored): {}{}",
            escape(b"ab"),
            escape(b"c\n")
        );
        assert_eq!(decode(format_args!("{text}"), 100).0, b"abc\n");
        assert_eq!(
            prefix(format_args!("00000001 read: {}", escape(b"x"))),
            Some((1, Direction::Read))
        );
        assert_eq!(prefix(format_args!("starting connection")), None);
    }

    #[test]
    fn request_lines_are_told_from_body_bytes() {
        assert!(looks_like_request_line(b"GET /x HTTP/1.1\r\nhost"));
        assert!(looks_like_request_line(b"PATCH http://a/x HTTP/1.0\r\n"));
        assert!(!looks_like_request_line(b"{\"a\": 1}"));
        assert!(!looks_like_request_line(b"get /x HTTP/1.1"));
    }

    #[test]
    fn a_capture_matches_its_request_line_and_host() {
        let url = Url::parse("http://127.0.0.1:9/a?b=1").unwrap();
        let pending = Pending {
            id: 1,
            lines: ["GET /a?b=1 HTTP/1.".into(), format!("GET {url} HTTP/1.")],
            host: "\r\nhost: 127.0.0.1:9\r\n".into(),
        };
        assert!(pending.matches(b"GET /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:9\r\n\r\n"));
        assert!(pending.matches(b"GET /a?b=1 HTTP/1.1\r\nuser-agent: x\r\nHost: 127.0.0.1:9\r\n"));
        assert!(!pending.matches(b"GET /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:10\r\n"));
        assert!(!pending.matches(b"POST /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:9\r\n"));
    }
}
