//! The background HTTP worker: owns the pooled client, runs each job as its own task, and reports
//! back with messages carrying their data, keyed by request id. A job is a series of attempts
//! ([`with_retries`]), each a fresh exchange. Cancelling aborts the task: the attempt in flight,
//! a pending wait and the attempts after it are all dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::http::attempts::{AttemptReport, TokioSleep, with_retries};
use crate::http::auth::{TokenCache, send_authenticated};
use crate::http::build::{Prepared, prepare};
use crate::http::cookies::{CookieJars, CookieView};
use crate::http::error::HttpError;
use crate::http::execute::{BodySink, ExchangeOptions, Memory, execute};
use crate::http::paginate::{Load, Page, Pager, PagerEvent};
use crate::model::{
    ClientOptions, KeyLocation, Redirects, RequestSpec, ResolvedAuth, ResponseData, RetryPolicy,
    Timeouts, TokenStates,
};

pub type RequestId = u64;

/// What the UI asks of the worker.
#[derive(Debug)]
// One command per request the user sends: the size gap to `Cancel` is not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Send(Job),
    Cancel(RequestId),
    /// Load more pages of response `id` (cancelled like a send: `Cancel(id)`).
    Paginate {
        id: RequestId,
        pager: Box<Pager>,
        job: Box<Job>,
        load: Load,
    },
}

/// One request to send, with how to send it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: RequestId,
    pub spec: RequestSpec,
    pub timeouts: Timeouts,
    pub retries: RetryPolicy,
    /// The auth profile in force, its templates resolved.
    pub auth: Option<ResolvedAuth>,
    /// Relative file parts resolve against this folder.
    pub base_dir: PathBuf,
    pub redirects: Redirects,
    /// The cookie jar this request stores into and sends from: its collection's path, `""` for
    /// requests outside a collection.
    pub jar: String,
    /// TLS and proxy settings; the connect timeout is `timeouts.connect`, whatever `client.connect`
    /// says.
    pub client: ClientOptions,
}

impl Job {
    /// A job for `spec` with the defaults: no retries, no auth, redirects followed, the working
    /// folder for files, no collection jar, system TLS and proxy. Set the rest where it applies.
    pub fn new(id: RequestId, spec: RequestSpec, timeouts: Timeouts) -> Job {
        Job {
            id,
            spec,
            timeouts,
            retries: RetryPolicy::off(),
            auth: None,
            base_dir: PathBuf::from("."),
            redirects: Redirects::default(),
            jar: String::new(),
            client: ClientOptions::default(),
        }
    }
}

/// What the worker reports.
#[derive(Debug)]
pub enum HttpEvent {
    Progress {
        id: RequestId,
        received: u64,
        total: Option<u64>,
    },
    /// An attempt that is followed by a wait (or after which the policy gives up, or that is not
    /// retried because of its method). Progress after it belongs to the next attempt.
    Attempt {
        id: RequestId,
        report: AttemptReport,
    },
    Finished {
        id: RequestId,
        result: Result<Box<ResponseData>, HttpError>,
    },
    /// A page of response `id`, with where paging stands after it.
    Page {
        id: RequestId,
        page: Box<Page>,
        pager: Box<Pager>,
    },
    /// Waiting out a rate limit before the next page.
    PageWaiting {
        id: RequestId,
        for_: Duration,
        why: String,
    },
    /// Loading pages ended (the last page, a cap, a stop or a failed page: see the pager).
    PagingDone { id: RequestId, pager: Box<Pager> },
    /// The cookies of jar `jar` after an exchange that used it (the Cookies tab's snapshot).
    Cookies {
        jar: String,
        cookies: Vec<CookieView>,
    },
    /// Every OAuth2 token's state, after one of them changed (the Auth tab's snapshot).
    Tokens(TokenStates),
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
        let clients: Clients = Arc::default();
        let mut running: HashMap<RequestId, AbortHandle> = HashMap::new();
        while let Some(cmd) = rx.recv().await {
            running.retain(|_, h| !h.is_finished());
            match cmd {
                Command::Send(job) => {
                    let clients = clients.clone();
                    let events = events.clone();
                    let (tokens, jars) = (tokens.clone(), jars.clone());
                    let id = job.id;
                    let task = tokio::spawn(async move {
                        let jar = job.jar.clone();
                        let result = match client_for(&clients, &job).await {
                            Ok(client) => run(&client, job, &tokens, &jars, &events).await,
                            Err(e) => Err(e),
                        };
                        let _ = events.send(HttpEvent::Cookies {
                            cookies: jars.list(&jar),
                            jar,
                        });
                        let _ = events.send(HttpEvent::Finished {
                            id,
                            result: result.map(Box::new),
                        });
                    });
                    running.insert(id, task.abort_handle());
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
                        match client_for(&clients, &job).await {
                            Ok(client) => {
                                paginate(&client, &mut pager, &job, load, &tokens, &jars, &events)
                                    .await
                            }
                            Err(e) => {
                                pager.finished = Some(format!("the next page was not sent: {e}"));
                                pager.failed = true;
                            }
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
                    running.insert(id, task.abort_handle());
                }
                Command::Cancel(id) => {
                    if let Some(handle) = running.remove(&id) {
                        handle.abort();
                    }
                }
            }
        }
        for handle in running.values() {
            handle.abort();
        }
    });
    tx
}

/// The pooled clients, by connect timeout and TLS/proxy settings.
type Clients = Arc<Mutex<HashMap<ClientOptions, reqwest::Client>>>;

/// The pooled client for a job's connect timeout and TLS/proxy settings. Building one reads
/// certificate files and the system proxy settings, so it happens on a blocking thread, in the
/// job's own task: the command loop (and `Cancel`) never waits for it.
async fn client_for(clients: &Clients, job: &Job) -> Result<reqwest::Client, HttpError> {
    let options = ClientOptions {
        connect: job.timeouts.connect,
        ..job.client.clone()
    };
    let cached = clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&options)
        .cloned();
    if let Some(client) = cached {
        return Ok(client);
    }
    let built = {
        let options = options.clone();
        tokio::task::spawn_blocking(move || crate::http::client::build_client(&options))
            .await
            .map_err(|e| HttpError::Other(format!("could not create the HTTP client: {e}")))??
    };
    clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(options, built.clone());
    Ok(built)
}

/// Loads pages one at a time through [`Pager::load`], reporting each page with the pager as
/// it stands after it: when the task is aborted (`Esc`), the UI already holds a consistent
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
    let (tx, mut rx) = mpsc::unbounded_channel::<PagerEvent>();
    let forward_wait = |event: PagerEvent, pages: &mut Vec<Page>| match event {
        PagerEvent::Waiting { for_, why } => {
            let _ = events.send(HttpEvent::PageWaiting { id, for_, why });
        }
        PagerEvent::Page(page) => pages.push(page),
    };
    loop {
        let mut pages = Vec::new();
        let result = {
            let step = pager.load(Load::One, client, job, tokens, jars, &TokioSleep, &tx);
            tokio::pin!(step);
            loop {
                tokio::select! {
                    r = &mut step => break r,
                    Some(event) = rx.recv() => forward_wait(event, &mut pages),
                }
            }
        };
        while let Ok(event) = rx.try_recv() {
            forward_wait(event, &mut pages);
        }
        for page in pages {
            let _ = events.send(HttpEvent::Page {
                id,
                page: Box::new(page),
                pager: Box::new(pager.clone()),
            });
        }
        if result.is_err() || load == Load::One || !pager.has_more() || pager.finished.is_some() {
            return;
        }
    }
}

struct ProgressSink<'a> {
    id: RequestId,
    body: Memory,
    events: &'a mpsc::UnboundedSender<HttpEvent>,
}

impl BodySink for ProgressSink<'_> {
    fn chunk(&mut self, data: &bytes::Bytes) -> Result<(), HttpError> {
        self.body.chunk(data)
    }

    fn progress(&mut self, received: u64, total: Option<u64>) {
        let _ = self.events.send(HttpEvent::Progress {
            id: self.id,
            received,
            total,
        });
    }
}

/// Sends `job`: each attempt of the retry policy is an authenticated exchange (credentials
/// added, a digest challenge answered, one fresh OAuth2 token on a 401), with the job's cookie
/// jar from `jars`.
pub async fn run(
    client: &reqwest::Client,
    job: Job,
    tokens: &TokenCache,
    jars: &CookieJars,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    let Job {
        id,
        spec,
        timeouts,
        retries,
        auth,
        base_dir,
        redirects,
        jar,
        client: _,
    } = job;
    let options = ExchangeOptions {
        timeouts,
        redirects,
        cookies: Some(jars.jar(&jar)),
        private_headers: auth.iter().filter_map(auth_header_name).collect(),
    };
    let (method, headers) = (spec.method, spec.headers.clone());
    // Reading multipart files is blocking I/O: keep it off the runtime's threads.
    let prepared = tokio::task::spawn_blocking(move || prepare(&spec, &base_dir))
        .await
        .map_err(|e| HttpError::Other(format!("request preparation failed: {e}")))??;
    // One attempt on the wire; the auth flow wraps it, and the retry loop repeats the result.
    let single = |req: Prepared| send_once(client, id, req, &options, events);
    with_retries(
        &retries,
        method,
        &headers,
        |_attempt| send_authenticated(prepared.clone(), auth.as_ref(), tokens, client, single),
        &TokioSleep,
        &mut fastrand::Rng::new(),
        |report| {
            let _ = events.send(HttpEvent::Attempt { id, report });
        },
    )
    .await
}

/// One exchange with a fresh body sink: what arrived is this attempt's alone.
async fn send_once(
    client: &reqwest::Client,
    id: RequestId,
    req: Prepared,
    options: &ExchangeOptions,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    let mut sink = ProgressSink {
        id,
        body: Memory::default(),
        events,
    };
    let mut response = execute(client, req, options.clone(), &mut sink).await?;
    response.body = bytes::Bytes::from(sink.body.0);
    Ok(response)
}

/// The header an auth profile adds under a name of its own (an API key sent as a header), which
/// must not follow a redirect to another origin; the other kinds use `Authorization`.
pub(crate) fn auth_header_name(auth: &ResolvedAuth) -> Option<String> {
    match auth {
        ResolvedAuth::ApiKey {
            name,
            location: KeyLocation::Header,
            ..
        } => Some(name.clone()),
        _ => None,
    }
}
