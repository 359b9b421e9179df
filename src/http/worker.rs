//! The background HTTP worker: owns the pooled clients, this run's OAuth2 tokens and cookie jars,
//! runs each job (through the executor) as its own task, and reports back with messages
//! carrying their data, keyed by request id. Cancelling aborts the task: the attempt in flight,
//! a pending wait and the attempts after it are all dropped. Stopping ends a send's download
//! where it is, and its response keeps what arrived.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;

use crate::fault;
use crate::http::attempts::TokioSleep;
use crate::http::auth::TokenCache;
use crate::http::client::ClientPool;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::executor::run;
use crate::http::job::{HttpEvent, Job, RequestId};
use crate::http::paginate::{Load, Pager, PagerEvent};

/// What the UI asks of the worker.
#[derive(Debug)]
// One command per request the user sends: the size gap to `Cancel` is not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Send(Job),
    Cancel(RequestId),
    /// End the download of send `id`'s body where it is, keeping what arrived (see
    /// [`Job::stop`]); a send not downloading yet ends as if cancelled.
    Stop(RequestId),
    /// Load more pages of response `id` (cancelled like a send: `Cancel(id)`).
    Paginate {
        id: RequestId,
        pager: Box<Pager>,
        job: Box<Job>,
        load: Load,
    },
}

/// Starts the worker on the current tokio runtime; send it `Command`s, receive `HttpEvent`s.
/// The worker owns this run's OAuth2 tokens and cookie jars; the UI hears of them only through
/// snapshots ([`HttpEvent::Tokens`], [`HttpEvent::Cookies`]).
pub fn spawn(events: mpsc::UnboundedSender<HttpEvent>) -> mpsc::UnboundedSender<Command> {
    let tokens = {
        let events = events.clone();
        TokenCache::observed(move |states| {
            let _ = events.send(HttpEvent::Tokens(states));
        })
    };
    let jars = CookieJars::new();
    let (tx, mut rx) = mpsc::unbounded_channel::<Command>();
    tokio::spawn(async move {
        // One client per connect timeout and TLS/proxy settings. A failed build is not kept, so
        // a fixed certificate file is read on the next send.
        let clients = ClientPool::default();
        let mut running: HashMap<RequestId, (AbortHandle, Option<CancellationToken>)> =
            HashMap::new();
        while let Some(cmd) = rx.recv().await {
            running.retain(|_, (h, _)| !h.is_finished());
            match cmd {
                Command::Send(mut job) => {
                    let stop = CancellationToken::new();
                    job.stop = Some(stop.clone());
                    let clients = clients.clone();
                    let events = events.clone();
                    let (tokens, jars) = (tokens.clone(), jars.clone());
                    let id = job.id;
                    let task = tokio::spawn(async move {
                        let jar = job.jar.clone();
                        let send = async {
                            fault::panic_if_asked("send");
                            match clients.get(&job).await {
                                Ok(client) => run(&client, job, &tokens, &jars, &events).await,
                                Err(e) => Err(e),
                            }
                        };
                        // A bug in scout ends this send as failed, saying so; the app goes on.
                        let result =
                            AssertUnwindSafe(send)
                                .catch_unwind()
                                .await
                                .unwrap_or_else(|panic| {
                                    Err(HttpError::Internal {
                                        detail: fault::panic_message(&*panic),
                                    })
                                });
                        let _ = events.send(HttpEvent::Cookies {
                            cookies: jars.list(&jar),
                            jar,
                        });
                        let _ = events.send(HttpEvent::Finished {
                            id,
                            result: result.map(Box::new),
                        });
                    });
                    running.insert(id, (task.abort_handle(), Some(stop)));
                }
                Command::Paginate {
                    id,
                    pager,
                    job,
                    load,
                } => {
                    let clients = clients.clone();
                    let events = events.clone();
                    let (tokens, jars) = (tokens.clone(), jars.clone());
                    let task = tokio::spawn(async move {
                        let mut pager = *pager;
                        let load = async {
                            match clients.get(&job).await {
                                Ok(client) => {
                                    let pager = &mut pager;
                                    paginate(&client, pager, &job, load, &tokens, &jars, &events)
                                        .await
                                }
                                Err(e) => {
                                    pager.finished =
                                        Some(format!("the next page was not sent: {e}"));
                                    pager.failed = true;
                                }
                            }
                        };
                        // A bug in scout stops the loading where it was, saying so.
                        if let Err(panic) = AssertUnwindSafe(load).catch_unwind().await {
                            pager.finished = Some(format!(
                                "loading stopped: scout failed ({}; a bug in scout)",
                                fault::panic_message(&*panic)
                            ));
                            pager.failed = true;
                        }
                        let _ = events.send(HttpEvent::Cookies {
                            cookies: jars.list(&job.jar),
                            jar: job.jar.clone(),
                        });
                        let _ = events.send(HttpEvent::PagingDone {
                            id,
                            pager: Box::new(pager),
                        });
                    });
                    running.insert(id, (task.abort_handle(), None));
                }
                Command::Cancel(id) => {
                    if let Some((handle, _)) = running.remove(&id) {
                        handle.abort();
                    }
                }
                Command::Stop(id) => match running.get(&id) {
                    Some((_, Some(stop))) => stop.cancel(),
                    Some((handle, None)) => handle.abort(),
                    None => {}
                },
            }
        }
        for (handle, _) in running.values() {
            handle.abort();
        }
    });
    tx
}

/// Loads pages through [`Pager::load`], reporting each page with the pager as it stands after
/// it: when the task is aborted (`Esc`), the UI already holds a consistent
/// pager whose `next` is the first page not loaded. The pager itself waits out a used-up rate
/// limit before a page; that wait is reported as it starts.
async fn paginate(
    client: &reqwest::Client,
    pager: &mut Pager,
    job: &Job,
    load: Load,
    tokens: &TokenCache,
    jars: &CookieJars,
    events: &mpsc::UnboundedSender<HttpEvent>,
) {
    let id = job.id;
    // The pager only fails by the executor's error, which it keeps in `finished`.
    let _ = pager
        .load(
            load,
            client,
            job,
            tokens,
            jars,
            &TokioSleep,
            events,
            |event, pager| {
                let _ = events.send(match event {
                    PagerEvent::Waiting { for_, why } => HttpEvent::PageWaiting { id, for_, why },
                    PagerEvent::Page(page) => HttpEvent::Page {
                        id,
                        page: Box::new(page),
                        pager: Box::new(pager.clone()),
                    },
                });
                Ok(())
            },
        )
        .await;
}
