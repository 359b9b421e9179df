//! Helpers shared by the integration tests.

// Each test binary uses some of these.
#![allow(dead_code)]

pub mod cli;
pub mod hostile;
pub mod pty;
pub mod recorder;

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// A listener whose accept queue is full, so the kernel drops new SYNs and connects hang:
/// the only way to provoke a connect timeout on loopback.
pub struct Blackhole {
    pub addr: SocketAddr,
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
}

/// Sets up a [`Blackhole`], or says why this kernel would not let it.
pub fn blackhole() -> Result<Blackhole, String> {
    let listener =
        TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut queued = Vec::new();
    // Connections that complete fill the queue (std listens with a backlog of 128); the first
    // one that does not complete proves it is full.
    for _ in 0..1024 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Ok(Blackhole {
                    addr,
                    _listener: listener,
                    _queued: queued,
                });
            }
            Err(e) => return Err(format!("filling the accept queue failed: {e}")),
        }
    }
    Err(format!(
        "{} connections to a never-accepting listener all completed: this kernel does not drop \
         SYNs when the accept queue is full, so a connect timeout cannot be provoked here",
        queued.len()
    ))
}
