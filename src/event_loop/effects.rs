//! Running effects: each goes to the worker that does it, and its result comes back as a `Msg`.
//! Network work goes to the HTTP worker; file I/O and CPU work go through [`Workers::off_thread`];
//! history appends go to a single writer thread, so they stay in order and never race a
//! compaction; the collection watcher polls file times on its own task.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use super::external::{ExternalEdit, Handover};
use super::{compare, filtering, io};
use crate::app::exchange::CHUNK_LINES;
use crate::app::msg::RunJob;
use crate::app::reader::search::SearchProgress;
use crate::app::runner::RunMsg;
use crate::app::{DocKind, Effect, Msg, SaveBody, SaveOutcome};
use crate::collection::store::load_file;
use crate::highlight::{Document, highlighter};
use crate::history::{HistoryRecord, HistoryStore, ToWrite, spawn_writer};
use crate::http::client::ClientPool;
use crate::http::paginate::Pager;
use crate::http::worker::Command;
use crate::inspect::search::search;
use crate::replay::step::check_response;
use crate::replay::{Options, RunEvent, prepare};

/// How often watched collection files are checked for changes (a `stat` each: no redraw, no
/// measurable CPU).
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// What the files being watched are, with the modification time scout knows for each.
type Watched = Vec<(PathBuf, Option<SystemTime>)>;

/// Where effects go.
pub(super) struct Workers {
    http: UnboundedSender<Command>,
    msgs: UnboundedSender<Msg>,
    history: std::sync::mpsc::Sender<ToWrite>,
    /// The history writer, joined when the run ends so that what is queued is written.
    history_thread: Option<std::thread::JoinHandle<()>>,
    watch: tokio::sync::watch::Sender<Watched>,
    runtime: tokio::runtime::Handle,
    /// Stops the Runner pane's run in progress (dropping it stops it too), with its generation.
    run_stop: std::sync::Mutex<Option<(u64, tokio::sync::oneshot::Sender<()>)>>,
    /// The body last filtered, parsed (see [`filtering`]).
    parsed: Arc<filtering::ParsedCache>,
    /// The terminal asked for (an external editor, a suspension), handed over by the event loop
    /// once the messages are drained.
    handover: std::sync::Mutex<Option<Handover>>,
}

/// The run is over: exchanges still queued for the history file are written before it ends
/// (quitting right after a response used to lose it).
impl Drop for Workers {
    fn drop(&mut self) {
        let (closed, _) = std::sync::mpsc::channel();
        drop(std::mem::replace(&mut self.history, closed));
        // A disk that hangs does not keep the terminal from being given back: after a while
        // the writer is left to the process's end.
        let waited = std::time::Instant::now();
        if let Some(writer) = self.history_thread.take() {
            while !writer.is_finished() && waited.elapsed() < HISTORY_FLUSH_WAIT {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

/// The longest the end of a run waits for the history writer.
const HISTORY_FLUSH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl Workers {
    /// Starts the history writer and the file watcher beside the HTTP worker `http`; results
    /// come back on `msgs`. Call it inside the tokio runtime.
    pub(super) fn start(http: UnboundedSender<Command>, msgs: UnboundedSender<Msg>) -> Workers {
        let (history, history_thread) = {
            let msgs = msgs.clone();
            spawn_writer(move |e| {
                let _ = msgs.send(Msg::Problem(format!(
                    "History not saved: {e} ({})",
                    e.hint()
                )));
            })
        };
        Workers {
            http,
            history,
            history_thread: Some(history_thread),
            watch: spawn_watcher(msgs.clone()),
            msgs,
            runtime: tokio::runtime::Handle::current(),
            run_stop: std::sync::Mutex::new(None),
            parsed: Default::default(),
            handover: std::sync::Mutex::new(None),
        }
    }

    /// What the terminal was asked for since the last call, if anything.
    pub(super) fn take_handover(&self) -> Option<Handover> {
        self.handover
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    fn hand_over(&self, handover: Handover) {
        *self
            .handover
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(handover);
    }

    /// Runs `work` on the blocking pool and sends the message it makes back to `update`.
    fn off_thread(&self, work: impl FnOnce() -> Msg + Send + 'static) {
        let msgs = self.msgs.clone();
        self.runtime.spawn_blocking(move || {
            let _ = msgs.send(work());
        });
    }

    /// Hands an effect to the worker that does it.
    pub(super) fn run(&self, effect: Effect) {
        match effect {
            Effect::EditExternally {
                field,
                text,
                extension,
            } => self.hand_over(Handover::Edit(ExternalEdit {
                field,
                text,
                extension,
            })),
            Effect::Suspend => self.hand_over(Handover::Suspend),
            Effect::WriteLayout { path, text } => {
                let msgs = self.msgs.clone();
                self.runtime.spawn_blocking(move || {
                    let written = path
                        .parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|()| crate::collection::store::write_atomic(&path, &text));
                    if let Err(e) = written {
                        let _ = msgs.send(Msg::Problem(format!(
                            "The pane widths could not be kept in {}: {e}",
                            path.display()
                        )));
                    }
                });
            }
            Effect::Send(job) => {
                let _ = self.http.send(Command::Send(job));
            }
            Effect::Stop(id) => {
                let _ = self.http.send(Command::Stop(id));
            }
            Effect::Cancel(id) => {
                let _ = self.http.send(Command::Cancel(id));
            }
            Effect::Paginate {
                id,
                pager,
                job,
                load,
            } => {
                let _ = self.http.send(Command::Paginate {
                    id,
                    pager,
                    job,
                    load,
                });
            }
            Effect::AppendHistory { path, record } => {
                let _ = self.history.send((path, record));
            }
            Effect::Watch(files) => {
                let _ = self.watch.send(files);
            }
            Effect::ListDir(dir) => self.off_thread(move || {
                let result = io::list_dir(&dir);
                Msg::DirListed { dir, result }
            }),
            Effect::LoadCollections { path, injected } => self.off_thread(move || {
                Msg::CollectionsLoaded(io::load_collections(path.as_deref(), &injected))
            }),
            Effect::WriteCollection {
                path,
                expected,
                text,
                select,
                done,
            } => self.off_thread(move || {
                let result = io::write_collection(&path, expected.as_deref(), &text).map(Box::new);
                Msg::CollectionWritten {
                    path,
                    result,
                    select,
                    done,
                }
            }),
            Effect::LoadHistory { path } => self.off_thread(move || {
                let result = HistoryStore::open(&path)
                    .and_then(|store| store.load())
                    .map_err(|e| format!("{e} ({})", e.hint()));
                Msg::HistoryLoaded(result)
            }),
            Effect::ReloadFile(path) => self.off_thread(move || {
                Msg::FileReloaded(Box::new(io::tree_file(load_file(&path), false)))
            }),
            Effect::PrepareBody {
                id,
                body,
                content_type,
                truncated,
                secrets,
                revealed,
            } => {
                // Redacting and preparing are CPU work: all of it off the UI thread, the two
                // views in parallel.
                let msgs = self.msgs.clone();
                let runtime = self.runtime.clone();
                self.off_thread(move || {
                    let body = io::redacted(body, secrets);
                    let raw_body = body.clone();
                    let raw_type = content_type.clone();
                    runtime.spawn_blocking(move || {
                        let doc = Arc::new(Document::as_received(&raw_body, raw_type.as_deref()));
                        let _ = msgs.send(Msg::BodyPrepared {
                            id,
                            kind: DocKind::Raw,
                            doc,
                            revealed,
                        });
                    });
                    let doc = match truncated {
                        Some(_) => Document::from_partial_body(&body, content_type.as_deref()),
                        None => Document::from_body(&body, content_type.as_deref()),
                    };
                    // Folding and the cursor's path need it: built here, off the UI thread.
                    let _ = doc.outline();
                    Msg::BodyPrepared {
                        id,
                        kind: DocKind::Pretty,
                        doc: Arc::new(doc),
                        revealed,
                    }
                });
            }
            Effect::RunFilter {
                id,
                generation,
                text,
                doc,
                cancel,
                pause,
            } => {
                // Waits for typing to pause on the runtime (no thread held), then runs off it.
                let (msgs, parsed, runtime) =
                    (self.msgs.clone(), self.parsed.clone(), self.runtime.clone());
                self.runtime.spawn(async move {
                    tokio::time::sleep(pause).await;
                    runtime.spawn_blocking(move || {
                        if let Some(result) = filtering::run(&parsed, &text, &doc, &cancel) {
                            let _ = msgs.send(Msg::Filtered {
                                id,
                                generation,
                                result,
                            });
                        }
                    });
                });
            }
            Effect::Search {
                generation,
                doc,
                query,
                cancel,
            } => {
                let msgs = self.msgs.clone();
                self.runtime.spawn_blocking(move || {
                    // Each report carries the matches found since the one before.
                    let mut sent = 0;
                    let found = search(doc.text(), &query, &cancel, |p| {
                        let new = p.kept[sent..].to_vec();
                        sent = p.kept.len();
                        let _ = msgs.send(Msg::Searched(SearchProgress {
                            generation,
                            new,
                            count: p.count,
                            progress: p.fraction(),
                            done: false,
                        }));
                    });
                    if found.complete {
                        let _ = msgs.send(Msg::Searched(SearchProgress {
                            generation,
                            new: found.matches.get(sent..).unwrap_or_default().to_vec(),
                            count: found.count,
                            progress: 1.0,
                            done: true,
                        }));
                    }
                });
            }
            Effect::SearchFile {
                generation,
                spilled,
                query,
                cancel,
            } => {
                let msgs = self.msgs.clone();
                self.runtime.spawn_blocking(move || {
                    let mut last = 0;
                    let report = |new, count, progress| {
                        last = count;
                        let _ = msgs.send(Msg::Searched(SearchProgress {
                            generation,
                            new,
                            count,
                            progress,
                            done: false,
                        }));
                    };
                    let result = crate::http::spill::search_file(&spilled, &query, &cancel, report);
                    // Through (or the file unreadable: what was found stands, and the count
                    // stops).
                    if !matches!(result, Ok(false)) {
                        let _ = msgs.send(Msg::Searched(SearchProgress {
                            generation,
                            new: Vec::new(),
                            count: last,
                            progress: 1.0,
                            done: true,
                        }));
                    }
                });
            }
            Effect::CompareBodies {
                id,
                against,
                before,
                after,
                ignore,
                secrets,
            } => self.off_thread(move || Msg::Compared {
                id,
                against,
                result: compare::compare(&before, &after, &ignore, secrets),
            }),
            Effect::Highlight { id, chunk, doc } => self.off_thread(move || {
                let start = chunk * CHUNK_LINES;
                let end = (start + CHUNK_LINES).min(doc.line_count());
                let lines = highlighter().highlight(&doc, start..end);
                Msg::Highlighted {
                    id,
                    chunk,
                    lines,
                    doc,
                }
            }),
            Effect::ReadLines {
                id,
                chunk,
                spilled,
                content_type,
                secrets,
            } => self.off_thread(move || Msg::LinesRead {
                id,
                chunk,
                lines: io::file_lines(&spilled, chunk, content_type.as_deref(), secrets)
                    .map_err(|e| e.to_string()),
            }),
            Effect::SaveBody {
                id,
                path,
                body,
                secrets,
                overwrite,
            } => self.off_thread(move || {
                let (bytes, items) = match body {
                    SaveBody::Bytes(bytes) => (io::redacted(bytes, secrets), None),
                    SaveBody::Pages { pages, items } => {
                        (io::pages_json(&pages, secrets), Some(items))
                    }
                    // Copied from its file, never whole in memory.
                    SaveBody::File(spilled) => {
                        let outcome = io::save_file(&path, &spilled, secrets, overwrite);
                        return Msg::Saved { id, path, outcome };
                    }
                };
                let outcome = match io::save(&path, &bytes, overwrite) {
                    SaveOutcome::Written { bytes, .. } => SaveOutcome::Written { bytes, items },
                    other => other,
                };
                Msg::Saved { id, path, outcome }
            }),
            Effect::Copy { text, what, secret } => {
                // OSC 52 goes out now, between frames, on this thread (the one drawing).
                let terminal = super::clipboard::to_terminal(&text);
                self.off_thread(move || Msg::Copied {
                    what,
                    result: super::clipboard::copy(&text, terminal, secret),
                });
            }
            Effect::StartRun(job) => {
                let (stop, stopped) = tokio::sync::oneshot::channel();
                // A new run replaces (and so stops) one still going.
                *self
                    .run_stop
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some((job.generation, stop));
                self.runtime
                    .spawn(run_in_background(*job, stopped, self.msgs.clone()));
            }
            Effect::StopRun { generation } => {
                let mut slot = self
                    .run_stop
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if slot.as_ref().is_some_and(|(g, _)| *g == generation)
                    && let Some((_, stop)) = slot.take()
                {
                    let _ = stop.send(());
                }
            }
            Effect::Check {
                id,
                plan,
                response,
                secrets,
            } => self.off_thread(move || Msg::Checked {
                id,
                checked: Box::new(check_response(
                    plan.expect.as_ref(),
                    &plan.capture,
                    &plan.by,
                    &response,
                    secrets,
                )),
            }),
            Effect::DetectPaging {
                id,
                configured,
                url,
                response,
            } => self.off_thread(move || {
                let found = url::Url::parse(&url)
                    .ok()
                    .and_then(|url| Pager::start(configured.as_ref(), &url, &response, None))
                    .map(Box::new);
                Msg::PagingDetected { id, found }
            }),
            Effect::MergePages {
                id,
                generation,
                pages,
                secrets,
                revealed,
            } => self.off_thread(move || Msg::PagesMerged {
                id,
                generation,
                doc: Arc::new(io::merge_pages(&pages, secrets)),
                revealed,
            }),
            Effect::PreparePageRaw {
                id,
                page,
                body,
                content_type,
                secrets,
                revealed,
            } => self.off_thread(move || {
                let body = io::redacted(body, secrets);
                Msg::PageRawPrepared {
                    id,
                    page,
                    doc: Arc::new(Document::as_received(&body, content_type.as_deref())),
                    revealed,
                }
            }),
            Effect::EncodePicture {
                key,
                body,
                kind,
                graphics,
            } => self.off_thread(move || Msg::PictureEncoded {
                key,
                result: super::picture::encode(&body, kind, graphics, key),
            }),
            Effect::Quit => {}
        }
    }
}

/// Checks the watched files' modification times; a change becomes `Msg::FileChanged`.
fn spawn_watcher(msgs: UnboundedSender<Msg>) -> tokio::sync::watch::Sender<Watched> {
    let (tx, mut rx) = tokio::sync::watch::channel(Watched::new());
    tokio::spawn(async move {
        let mut known = Watched::new();
        let mut tick = tokio::time::interval(WATCH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                changed = rx.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    known = rx.borrow_and_update().clone();
                }
                _ = tick.tick() => {
                    for (path, seen) in &mut known {
                        let now = std::fs::metadata(&*path).and_then(|m| m.modified()).ok();
                        if now != *seen {
                            *seen = now;
                            if msgs.send(Msg::FileChanged(path.clone())).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        }
    });
    tx
}

/// Replays `job`'s runs with the runner `scout run` uses, reporting each step as a message;
/// `stop` (or its sender going away) stops it, keeping what ran.
async fn run_in_background(
    job: RunJob,
    stop: tokio::sync::oneshot::Receiver<()>,
    msgs: UnboundedSender<Msg>,
) {
    let generation = job.generation;
    let files = vec![job.file];
    let send = |msg: RunMsg| {
        let _ = msgs.send(Msg::Run(msg));
    };
    let prepared = match prepare(job.plans, &files, job.environment.as_deref(), &[]) {
        Ok(p) => p,
        Err(message) => {
            send(RunMsg::Failed {
                generation,
                message,
            });
            return;
        }
    };
    let env_sources = vec![job.env_source];
    // Each step's record is built and redacted here, off the UI thread; `update` numbers it.
    let record = |record: HistoryRecord| {
        let _ = msgs.send(Msg::RunRecord(Box::new(record)));
    };
    let options = Options {
        files: &files,
        env_sources: &env_sources,
        environment: job.environment.as_deref(),
        vars: &[],
        timeouts: job.timeouts,
        work_dir: &job.work_dir,
        jobs: 1,
        bail: false,
        repeat: 1,
        history: Some(&record),
        seed: &job.seed,
        prompts: &job.prompts,
    };
    let clients = ClientPool::default();
    let mut plan = None::<usize>;
    let (_, stopped) = prepared
        .run(
            &options,
            &clients,
            async {
                let _ = stop.await;
            },
            |event| match event {
                RunEvent::RunStarted { .. } => plan = Some(plan.map_or(0, |p| p + 1)),
                RunEvent::StepStarted { index, .. } => send(RunMsg::StepStarted {
                    generation,
                    plan: plan.unwrap_or(0),
                    index,
                }),
                RunEvent::StepDone {
                    report,
                    exchange,
                    captured,
                    ..
                } => send(RunMsg::StepDone {
                    generation,
                    plan: plan.unwrap_or(0),
                    report: Box::new(report.clone()),
                    exchange,
                    captured: captured.to_vec(),
                }),
            },
        )
        .await;
    send(RunMsg::Finished {
        generation,
        stopped: stopped.is_some(),
    });
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use tokio::sync::mpsc;

    use super::*;

    /// Both views of a body, as the runner prepares them for `update`.
    async fn prepared(body: &'static [u8], truncated: Option<String>) -> (Document, Document) {
        let (http, _commands) = mpsc::unbounded_channel();
        let (msgs, mut rx) = mpsc::unbounded_channel();
        let workers = Workers::start(http, msgs);
        workers.run(Effect::PrepareBody {
            id: 1,
            body: Bytes::from_static(body),
            content_type: Some("application/json".into()),
            truncated,
            secrets: Vec::new(),
            revealed: false,
        });
        let (mut pretty, mut raw) = (None, None);
        while pretty.is_none() || raw.is_none() {
            let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .expect("prepared in time")
                .expect("the runner is alive");
            if let Msg::BodyPrepared { kind, doc, .. } = msg {
                let doc = Arc::try_unwrap(doc).expect("the only reference");
                match kind {
                    DocKind::Pretty => pretty = Some(doc),
                    DocKind::Raw => raw = Some(doc),
                }
            }
        }
        (pretty.unwrap(), raw.unwrap())
    }

    #[tokio::test]
    async fn the_raw_view_is_the_body_as_received() {
        let (pretty, raw) = prepared(br#"{"a":[1,2]}"#, None).await;
        // Exactly the bytes: clean text shares the body's buffer, adding no newline.
        assert_eq!(raw.text(), "{\"a\":[1,2]}");
        assert!(pretty.line_count() > 1, "the Body tab pretty-prints");
    }

    #[tokio::test]
    async fn a_cut_body_is_not_called_invalid_json() {
        let note = "stored: first 1.0 MB of 10 MB".to_string();
        let (pretty, _) = prepared(br#"[{"a":1},{"b":"tru"#, Some(note)).await;
        assert!(pretty.notices().is_empty(), "{:?}", pretty.notices());
        assert!(pretty.text().starts_with("[{\"a\":1}"));
    }
}
