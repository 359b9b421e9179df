//! The background HTTP worker: owns the pooled client, runs each job as its own task, and reports
//! back with messages carrying their data, keyed by request id. A job is a series of attempts
//! ([`with_retries`]), each a fresh exchange. Cancelling aborts the task: the attempt in flight,
//! a pending wait and the attempts after it are all dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::http::attempts::{AttemptReport, TokioSleep, with_retries};
use crate::http::build::{Prepared, prepare};
use crate::http::error::HttpError;
use crate::http::execute::{BodySink, Memory, Timeouts, client, execute};
use crate::http::model::{RequestSpec, ResponseData};
use crate::http::retry::RetryPolicy;

pub type RequestId = u64;

/// What the UI asks of the worker.
#[derive(Debug)]
// One command per request the user sends: the size gap to `Cancel` is not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Send {
        id: RequestId,
        spec: RequestSpec,
        timeouts: Timeouts,
        retries: RetryPolicy,
        /// Relative file parts resolve against this folder.
        base_dir: PathBuf,
    },
    Cancel(RequestId),
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
}

/// Starts the worker on the current tokio runtime; send it `Command`s, receive `HttpEvent`s.
pub fn spawn(events: mpsc::UnboundedSender<HttpEvent>) -> mpsc::UnboundedSender<Command> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Command>();
    tokio::spawn(async move {
        let mut clients: HashMap<Duration, reqwest::Client> = HashMap::new();
        let mut running: HashMap<RequestId, AbortHandle> = HashMap::new();
        while let Some(cmd) = rx.recv().await {
            running.retain(|_, h| !h.is_finished());
            match cmd {
                Command::Send {
                    id,
                    spec,
                    timeouts,
                    retries,
                    base_dir,
                } => {
                    let client = match clients.get(&timeouts.connect) {
                        Some(c) => Ok(c.clone()),
                        None => client(timeouts.connect).inspect(|c| {
                            clients.insert(timeouts.connect, c.clone());
                        }),
                    };
                    let events = events.clone();
                    let task = tokio::spawn(async move {
                        let result = match client {
                            Ok(client) => {
                                let job = Job {
                                    id,
                                    spec,
                                    timeouts,
                                    retries,
                                    base_dir,
                                };
                                run(&client, job, &events).await
                            }
                            Err(e) => Err(e),
                        };
                        let _ = events.send(HttpEvent::Finished {
                            id,
                            result: result.map(Box::new),
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

/// One `Command::Send`, as the task sees it.
struct Job {
    id: RequestId,
    spec: RequestSpec,
    timeouts: Timeouts,
    retries: RetryPolicy,
    base_dir: PathBuf,
}

async fn run(
    client: &reqwest::Client,
    job: Job,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    let Job {
        id,
        spec,
        timeouts,
        retries,
        base_dir,
    } = job;
    let (method, headers) = (spec.method, spec.headers.clone());
    // Reading multipart files is blocking I/O: keep it off the runtime's threads.
    let prepared = tokio::task::spawn_blocking(move || prepare(&spec, &base_dir))
        .await
        .map_err(|e| HttpError::Other(format!("request preparation failed: {e}")))??;
    // One attempt on the wire, `Prepared -> Future<Result<ResponseData, HttpError>>`. This is the
    // seam for auth: an auth step wraps `single` (adds credentials, answers a challenge, retries
    // once on 401 with a fresh token) and the retry loop below repeats the wrapped attempt.
    let single = |req: Prepared| send_once(client, id, req, timeouts, events);
    with_retries(
        &retries,
        method,
        &headers,
        |_attempt| single(prepared.clone()),
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
    timeouts: Timeouts,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    let mut sink = ProgressSink {
        id,
        body: Memory::default(),
        events,
    };
    let mut response = execute(client, req, timeouts, &mut sink).await?;
    response.body = bytes::Bytes::from(sink.body.0);
    Ok(response)
}
