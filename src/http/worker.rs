//! The background HTTP worker: owns the pooled client, runs each job as its own task, and reports
//! back with messages carrying their data, keyed by request id. Cancelling aborts the task.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::http::build::prepare;
use crate::http::error::HttpError;
use crate::http::execute::{BodySink, Memory, Timeouts, client, execute};
use crate::http::model::{RequestSpec, ResponseData};

pub type RequestId = u64;

/// What the UI asks of the worker.
#[derive(Debug)]
pub enum Command {
    Send {
        id: RequestId,
        spec: RequestSpec,
        timeouts: Timeouts,
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
                            Ok(client) => run(&client, id, spec, timeouts, base_dir, &events).await,
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

async fn run(
    client: &reqwest::Client,
    id: RequestId,
    spec: RequestSpec,
    timeouts: Timeouts,
    base_dir: PathBuf,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    // Reading multipart files is blocking I/O: keep it off the runtime's threads.
    let prepared = tokio::task::spawn_blocking(move || prepare(&spec, &base_dir))
        .await
        .map_err(|e| HttpError::Other(format!("request preparation failed: {e}")))??;
    let mut sink = ProgressSink {
        id,
        body: Memory::default(),
        events,
    };
    let mut response = execute(client, prepared, timeouts, &mut sink).await?;
    response.body = bytes::Bytes::from(sink.body.0);
    Ok(response)
}
