//! A server that misbehaves on purpose, one way per path: raw bytes on a TCP socket on
//! 127.0.0.1, so it can break HTTP in ways no well-behaved server library would. It serves until
//! dropped.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct Hostile {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Hostile {
    pub fn start() -> Hostile {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    std::thread::spawn(move || serve(stream, port));
                }
            }
        });
        Hostile { port, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
    }
}

/// Answers requests on one connection as their paths say. Well-formed answers keep the
/// connection open for the next request (as a server would: clients reuse connections, a
/// redirect chain's hops included); broken ones close it.
fn serve(mut stream: TcpStream, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    loop {
        let Some(path) = read_head(&mut stream) else {
            return;
        };
        if !answer(&mut stream, &path, port) {
            return;
        }
    }
}

/// The path of the next request on `stream`, once its head is read.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // A byte at a time: what follows the head belongs to the next request.
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&head);
    Some(head.split_whitespace().nth(1).unwrap_or("/").to_string())
}

/// Writes the answer for `path`; whether the connection may carry another request.
fn answer(stream: &mut TcpStream, path: &str, port: u16) -> bool {
    let keep = path == "/ok"
        || path == "/self-redirect"
        || path == "/bad-location"
        || path.starts_with("/chain/");
    let ok = |extra: &str, body: &[u8]| {
        let mut out = format!(
            "HTTP/1.1 200 OK\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    };
    let reply: Vec<u8> = match path {
        "/ok" => ok("", b"fine"),
        "/garbage-status" => b"HTTP/1.1 abc Nope\r\nContent-Length: 2\r\n\r\nhi".to_vec(),
        "/http09" => b"just some bytes, no status line\n".to_vec(),
        "/short-body" => b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly 13 bytes".to_vec(),
        "/long-body" => b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello and more".to_vec(),
        "/two-lengths" => {
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".to_vec()
        }
        "/bad-gzip" => ok("Content-Encoding: gzip\r\n", b"this is not gzip at all"),
        "/bad-chunk" => {
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
                .to_vec()
        }
        "/no-colon" => b"HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok".to_vec(),
        "/huge-header" => {
            let value = "x".repeat(1 << 20);
            format!("HTTP/1.1 200 OK\r\nX-Huge: {value}\r\nContent-Length: 2\r\n\r\nok")
                .into_bytes()
        }
        "/bad-location" => {
            b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n".to_vec()
        }
        "/self-redirect" => {
            b"HTTP/1.1 302 Found\r\nLocation: /self-redirect\r\nContent-Length: 0\r\n\r\n".to_vec()
        }
        p if p.starts_with("/chain/") => {
            let n: u32 = p["/chain/".len()..].parse().unwrap_or(0);
            let next = if n == 0 {
                "/ok".to_string()
            } else {
                format!("http://127.0.0.1:{port}/chain/{}", n - 1)
            };
            format!("HTTP/1.1 302 Found\r\nLocation: {next}\r\nContent-Length: 0\r\n\r\n")
                .into_bytes()
        }
        "/many-headers" => {
            let headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
            format!("HTTP/1.1 200 OK\r\n{headers}Content-Length: 2\r\n\r\nok").into_bytes()
        }
        "/nul-header" => b"HTTP/1.1 200 OK\r\nX-Bad: a\0b\r\nContent-Length: 2\r\n\r\nok".to_vec(),
        "/latin1-header" => {
            b"HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\nContent-Length: 2\r\n\r\nok".to_vec()
        }
        "/no-content-with-body" => {
            b"HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\noops".to_vec()
        }
        "/continue-flood" => {
            let mut out = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(1000);
            out.extend_from_slice(&ok("", b"ok"));
            out
        }
        "/png-as-json" => ok(
            "Content-Type: application/json\r\n",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0",
        ),
        "/big-array" => ok(
            "Content-Type: application/json\r\n",
            &big_array(BIG_ARRAY_BYTES),
        ),
        "/deep-json" => ok(
            "Content-Type: application/json\r\n",
            &["[".repeat(100_000), "]".repeat(100_000)]
                .concat()
                .into_bytes(),
        ),
        "/endless-chunked" => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "y".repeat(64 * 1024));
            while stream.write_all(chunk.as_bytes()).is_ok() {}
            return false;
        }
        "/slowloris" => {
            for b in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" {
                if stream.write_all(&[*b]).is_err() {
                    return false;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
            return false;
        }
        "/close" => {
            let _ = stream.shutdown(Shutdown::Both);
            return false;
        }
        "/reset" => {
            reset(stream);
            return false;
        }
        _ => ok("", b"unknown path"),
    };
    stream.write_all(&reply).is_ok() && stream.flush().is_ok() && keep
}

/// Resets the connection (RST rather than FIN): SO_LINGER with a zero timeout, then close.
fn reset(stream: &TcpStream) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let linger = libc::linger {
            l_onoff: 1,
            l_linger: 0,
        };
        // SAFETY: a valid socket and a correctly sized option value.
        unsafe {
            libc::setsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                (&linger as *const libc::linger).cast(),
                std::mem::size_of::<libc::linger>() as libc::socklen_t,
            );
        }
    }
}

/// The size of `/big-array`: one JSON array of 50 MB, on one line.
pub const BIG_ARRAY_BYTES: usize = 50 * 1024 * 1024;

/// A minified JSON array of small objects, at least `size` bytes.
fn big_array(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 64);
    out.push(b'[');
    let mut i = 0u64;
    while out.len() < size {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(
            format!(r#"{{"id":{i},"name":"item {i}","tags":["a","b"]}}"#).as_bytes(),
        );
        i += 1;
    }
    out.push(b']');
    out
}
