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

/// Reads the request head and answers as its path says.
fn serve(mut stream: TcpStream, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let ok = |extra: &str, body: &[u8]| {
        let mut out = format!(
            "HTTP/1.1 200 OK\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    };
    let reply: Vec<u8> = match path.as_str() {
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
        "/close" => {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        "/reset" => {
            reset(&stream);
            return;
        }
        _ => ok("", b"unknown path"),
    };
    let _ = stream.write_all(&reply);
    let _ = stream.flush();
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
