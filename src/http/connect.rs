//! Measuring connections: how long each new connection took to look its host up and to open
//! (TCP, and TLS for `https`), and whether a response came over a new connection or one kept
//! from the pool.
//!
//! reqwest keeps its connector to itself but takes a resolver and a layer around the connector.
//! The layer times every connection it opens and records it by its local address; the resolver,
//! called inside that layer's work, adds the lookup's time to the connection being opened. A
//! response names the local address it came over, so [`Connections::lookup`] tells whether the
//! connection was opened for it.

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
    /// From asking for the connection to having it, lookup excluded (TCP, plus TLS for https).
    pub connect: Duration,
    pub tls: bool,
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

/// A lookup under way inside [`Timed`]'s work, for the resolver to report to.
type Lookup = Arc<Mutex<Option<Duration>>>;

thread_local! {
    static OPENING: RefCell<Option<Lookup>> = const { RefCell::new(None) };
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
                *report.lock().unwrap_or_else(PoisonError::into_inner) = Some(started.elapsed());
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
        let lookup: Lookup = Arc::default();
        let started = Instant::now();
        let opening = Opening {
            inner: Box::pin(self.0.call(dst)),
            lookup: lookup.clone(),
        };
        Box::pin(async move {
            let conn = opening.await?;
            let mut extensions = http::Extensions::new();
            conn.connected().get_extras(&mut extensions);
            // Present when the client asks for it (`tls_info(true)`) and the connection is TLS.
            let tls = extensions.get::<reqwest::tls::TlsInfo>().is_some();
            if let Some(info) = extensions.get::<HttpInfo>() {
                let dns = *lookup.lock().unwrap_or_else(PoisonError::into_inner);
                CONNECTIONS.record(
                    info.local_addr(),
                    Opened {
                        at: Instant::now(),
                        dns,
                        connect: started.elapsed().saturating_sub(dns.unwrap_or_default()),
                        tls,
                        remote: info.remote_addr(),
                    },
                );
            }
            Ok(conn)
        })
    }
}

/// The connector's work, polled with [`OPENING`] set so the resolver knows whom to tell.
struct Opening<F> {
    inner: Pin<Box<F>>,
    lookup: Lookup,
}

impl<F: Future> Future for Opening<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let lookup = self.lookup.clone();
        let previous = OPENING.with(|o| o.replace(Some(lookup)));
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
            tls: false,
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
