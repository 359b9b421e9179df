//! Measuring connections: how long each new connection took to look its host up, to connect
//! (TCP) and to shake hands (TLS, for `https`), and whether a response came over a new
//! connection or one kept from the pool.
//!
//! reqwest keeps its connector to itself but takes a resolver, a TLS configuration and a layer
//! around the connector. The layer times every connection it opens and records it by its local
//! address; the resolver and the TLS session store ([`crate::http::tls`]), called inside that
//! layer's work, note when the lookup ended and when the ClientHello went out. A response names
//! the local address it came over, so [`Connections::lookup`] tells whether the connection was
//! opened for it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::client::legacy::connect::{Connection, HttpInfo};

/// A connection as opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub at: Instant,
    /// The lookup, when one was made (not for IP addresses).
    pub dns: Option<Duration>,
    /// The TCP connect (for https, up to the ClientHello).
    pub connect: Duration,
    /// The TLS handshake, for https.
    pub tls: Option<Duration>,
    pub remote: SocketAddr,
}

/// Connections opened, by local address. Old entries are dropped as new ones come, so the
/// table stays small however long the app runs.
#[derive(Debug, Default)]
pub struct Connections(Mutex<HashMap<SocketAddr, Opened>>);

/// Entries older than this are forgotten (reqwest closes connections idle for 90 s).
const KEEP: Duration = Duration::from_secs(3600);
/// And the table never holds more than this.
const MAX: usize = 4096;

/// Every client's connections: local addresses are unique while connections are open.
pub static CONNECTIONS: LazyLock<Connections> = LazyLock::new(Connections::default);

impl Connections {
    pub fn record(&self, local: SocketAddr, opened: Opened) {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX {
            let now = opened.at;
            map.retain(|_, o| now.saturating_duration_since(o.at) < KEEP);
            if map.len() >= MAX
                && let Some(oldest) = map.iter().min_by_key(|(_, o)| o.at).map(|(k, _)| *k)
            {
                map.remove(&oldest);
            }
        }
        map.insert(local, opened);
    }

    pub fn lookup(&self, local: SocketAddr) -> Option<Opened> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&local)
            .copied()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// The local and remote address a response came over.
pub fn addresses(response: &reqwest::Response) -> Option<(SocketAddr, SocketAddr)> {
    let info = response.extensions().get::<HttpInfo>()?;
    Some((info.local_addr(), info.remote_addr()))
}

/// What the resolver and the TLS session store note about a connection being opened.
#[derive(Debug, Default)]
struct Marks {
    dns: Option<Duration>,
    /// When the ClientHello was written: TCP is up, TLS begins.
    tls_started: Option<Instant>,
}

/// The marks of the connection [`Timed`] is opening on this thread right now.
type Opening = Arc<Mutex<Marks>>;

thread_local! {
    static OPENING: RefCell<Option<Opening>> = const { RefCell::new(None) };
}

/// Called by the TLS session store as a ClientHello is written (the first time counts).
pub fn tls_started() {
    OPENING.with(|o| {
        if let Some(marks) = o.borrow().as_ref() {
            let mut marks = marks.lock().unwrap_or_else(PoisonError::into_inner);
            marks.tls_started.get_or_insert_with(Instant::now);
        }
    });
}

/// Resolves names as reqwest would by default (the system resolver, off the async threads),
/// and adds the time taken to the connection being opened.
#[derive(Debug, Default)]
pub struct TimedResolver;

impl reqwest::dns::Resolve for TimedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let report = OPENING.with(|o| o.borrow().clone());
        let host = name.as_str().to_string();
        Box::pin(async move {
            let started = Instant::now();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(report) = report {
                report.lock().unwrap_or_else(PoisonError::into_inner).dns = Some(started.elapsed());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The layer for `ClientBuilder::connector_layer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimedLayer;

impl<S> tower_layer::Layer<S> for TimedLayer {
    type Service = Timed<S>;

    fn layer(&self, inner: S) -> Timed<S> {
        Timed(inner)
    }
}

/// Opens connections with the wrapped connector, timing each.
#[derive(Debug, Clone)]
pub struct Timed<S>(S);

impl<S, R> tower_service::Service<R> for Timed<S>
where
    S: tower_service::Service<R>,
    S::Response: Connection,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, dst: R) -> Self::Future {
        let marks: Opening = Arc::default();
        let started = Instant::now();
        let opening = Polled {
            inner: Box::pin(self.0.call(dst)),
            marks: marks.clone(),
        };
        Box::pin(async move {
            let conn = opening.await?;
            let opened_at = Instant::now();
            let mut extensions = http::Extensions::new();
            conn.connected().get_extras(&mut extensions);
            if let Some(info) = extensions.get::<HttpInfo>() {
                let marks = marks.lock().unwrap_or_else(PoisonError::into_inner);
                let dns = marks.dns;
                let tcp_from = started + dns.unwrap_or_default();
                let (connect, tls) = match marks.tls_started {
                    Some(hello) => (
                        hello.saturating_duration_since(tcp_from),
                        Some(opened_at.saturating_duration_since(hello)),
                    ),
                    None => (opened_at.saturating_duration_since(tcp_from), None),
                };
                CONNECTIONS.record(
                    info.local_addr(),
                    Opened {
                        at: opened_at,
                        dns,
                        connect,
                        tls,
                        remote: info.remote_addr(),
                    },
                );
            }
            Ok(conn)
        })
    }
}

/// The connector's work, polled with [`OPENING`] set so the resolver and the TLS session store
/// know whom to tell.
struct Polled<F> {
    inner: Pin<Box<F>>,
    marks: Opening,
}

impl<F: Future> Future for Polled<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let marks = self.marks.clone();
        let previous = OPENING.with(|o| o.replace(Some(marks)));
        let result = self.inner.as_mut().poll(cx);
        OPENING.with(|o| *o.borrow_mut() = previous);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened(at: Instant) -> Opened {
        Opened {
            at,
            dns: None,
            connect: Duration::from_millis(1),
            tls: None,
            remote: "127.0.0.1:80".parse().unwrap(),
        }
    }

    #[test]
    fn the_table_stays_bounded() {
        let table = Connections::default();
        let now = Instant::now();
        for port in 0..(MAX as u16 + 10) {
            let local = SocketAddr::from(([127, 0, 0, 1], port));
            table.record(local, opened(now + Duration::from_micros(port.into())));
        }
        assert!(table.len() <= MAX);
        // The newest is kept, the oldest went first.
        let newest = SocketAddr::from(([127, 0, 0, 1], MAX as u16 + 9));
        assert!(table.lookup(newest).is_some());
        assert!(
            table
                .lookup(SocketAddr::from(([127, 0, 0, 1], 0)))
                .is_none()
        );
    }
}
