//! Running effects: each goes to the worker that does it, and its result comes back as a `Msg`.
//! Network work goes to the HTTP worker; file I/O and CPU work go through
//! [`Workers::off_thread`] (a panic there is answered as a failure: [`super::guard`]); history
//! appends go to a single writer thread, so they stay in order and never race a compaction; the
//! collection watcher polls file times on its own task ([`super::watch`]); the Runner pane's run
//! is a task of its own ([`run`]).

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::external::{ExternalEdit, Handover};
use super::guard::answer;
use super::watch::{Watched, spawn_watcher};
use super::{compare, filtering, io, run, searching};
use crate::app::exchange::CHUNK_LINES;
use crate::app::reader::filter::FilterProblem;
use crate::app::{DocKind, Effect, Msg, SaveBody, SaveOutcome};
use crate::collection::store::load_file;
use crate::highlight::{Document, Lang, highlighter, json_issue};
use crate::history::{HistoryStore, ToWrite, spawn_writer};
use crate::http::paginate::Pager;
use crate::http::worker::Command;
use crate::replay::step::check_response;

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

    /// Runs `work` on the blocking pool and sends the message it makes back to `update`. If it
    /// panics (while `doing` something: "saving the body"), `failed` answers instead, from the
    /// message said ([`answer`]).
    fn off_thread(
        &self,
        doing: &'static str,
        work: impl FnOnce() -> Msg + Send + 'static,
        failed: impl FnOnce(&str) -> Msg + Send + 'static,
    ) {
        let msgs = self.msgs.clone();
        self.runtime.spawn_blocking(move || {
            answer(&msgs, doing, || Some(work()), |text| Some(failed(text)));
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
                    let work = || {
                        let written = path
                            .parent()
                            .map_or(Ok(()), std::fs::create_dir_all)
                            .and_then(|()| crate::collection::store::write_atomic(&path, &text));
                        let e = written.err()?;
                        Some(Msg::Problem(format!(
                            "The pane widths could not be kept in {}: {e}",
                            path.display()
                        )))
                    };
                    answer(&msgs, "keeping the pane widths", work, |_| None);
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
            Effect::ListDir(dir) => {
                let shown = dir.clone();
                self.off_thread(
                    "listing a folder",
                    move || {
                        let result = io::list_dir(&dir);
                        Msg::DirListed { dir, result }
                    },
                    |text| Msg::DirListed {
                        dir: shown,
                        result: Err(text.to_owned()),
                    },
                );
            }
            Effect::CheckJson { ticket, text } => self.off_thread(
                "checking the JSON body",
                move || Msg::JsonChecked {
                    ticket,
                    result: Ok(json_issue(&text)),
                },
                move |why| Msg::JsonChecked {
                    ticket,
                    result: Err(why.to_owned()),
                },
            ),
            Effect::LoadCollections { path, injected } => {
                // If reading the user's folder trips a bug, the built-in demo is still offered.
                let kept = injected.clone();
                self.off_thread(
                    "loading the collections",
                    move || {
                        Msg::CollectionsLoaded(io::load_collections(path.as_deref(), &injected))
                    },
                    move |_| Msg::CollectionsLoaded(io::load_collections(None, &kept)),
                )
            }
            Effect::WriteCollection {
                path,
                expected,
                text,
                select,
                done,
            } => {
                let shown = path.clone();
                self.off_thread(
                    "saving the collection",
                    move || {
                        let result =
                            io::write_collection(&path, expected.as_deref(), &text).map(Box::new);
                        Msg::CollectionWritten {
                            path,
                            result,
                            select,
                            done,
                        }
                    },
                    |text| Msg::CollectionWritten {
                        path: shown,
                        result: Err(text.to_owned()),
                        select: None,
                        done: String::new(),
                    },
                );
            }
            Effect::LoadHistory { path } => self.off_thread(
                "loading the history",
                move || {
                    let result = HistoryStore::open(&path)
                        .and_then(|store| store.load())
                        .map_err(|e| format!("{e} ({})", e.hint()));
                    Msg::HistoryLoaded(result)
                },
                |text| Msg::HistoryLoaded(Err(text.to_owned())),
            ),
            // Nothing waits for a reload: a failure is only said.
            Effect::ReloadFile(path) => {
                let msgs = self.msgs.clone();
                self.runtime.spawn_blocking(move || {
                    answer(
                        &msgs,
                        "reading a changed collection file",
                        || {
                            let file = io::tree_file(load_file(&path), false);
                            Some(Msg::FileReloaded(Box::new(file)))
                        },
                        |_| None,
                    );
                });
            }
            Effect::PrepareBody {
                id,
                body,
                content_type,
                truncated,
                secrets,
                revealed,
            } => {
                // Redacting and preparing are CPU work: all of it off the UI thread, the two
                // views in parallel. A view that fails shows why in its place.
                let failed = move |kind| {
                    move |text: &str| Msg::BodyPrepared {
                        id,
                        kind,
                        doc: Arc::new(Document::from_lines(text, Lang::Plain)),
                        revealed,
                    }
                };
                let (msgs, also) = (self.msgs.clone(), self.msgs.clone());
                let runtime = self.runtime.clone();
                // Whether the raw view is under way: else a failure answers for it too.
                let raw_started = Arc::new(std::sync::atomic::AtomicBool::new(false));
                let raw_answered = raw_started.clone();
                self.off_thread(
                    "preparing the body",
                    move || {
                        let body = io::redacted(body, secrets);
                        let raw_body = body.clone();
                        let raw_type = content_type.clone();
                        raw_started.store(true, std::sync::atomic::Ordering::Relaxed);
                        runtime.spawn_blocking(move || {
                            let work = || {
                                let doc = Document::as_received(&raw_body, raw_type.as_deref());
                                Some(Msg::BodyPrepared {
                                    id,
                                    kind: DocKind::Raw,
                                    doc: Arc::new(doc),
                                    revealed,
                                })
                            };
                            let failed = failed(DocKind::Raw);
                            answer(&msgs, "preparing the raw body", work, |t| Some(failed(t)));
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
                    },
                    move |text| {
                        if !raw_answered.load(std::sync::atomic::Ordering::Relaxed) {
                            let _ = also.send(failed(DocKind::Raw)(text));
                        }
                        failed(DocKind::Pretty)(text)
                    },
                );
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
                let kept = parsed.clone();
                self.runtime.spawn(async move {
                    tokio::time::sleep(pause).await;
                    let ran = runtime.spawn_blocking(move || {
                        let work = || {
                            crate::fault::panic_if_asked("filter");
                            let result = filtering::run(&parsed, &text, &doc, &cancel)?;
                            Some(Msg::Filtered {
                                id,
                                generation,
                                result,
                            })
                        };
                        let failed = |text: &str| {
                            Some(Msg::Filtered {
                                id,
                                generation,
                                result: Err(FilterProblem {
                                    message: text.to_owned(),
                                    at: None,
                                }),
                            })
                        };
                        answer(&msgs, "filtering the body", work, failed);
                    });
                    // The parsed body is let go once no filter has used it for a while.
                    let _ = ran.await;
                    tokio::time::sleep(filtering::KEEP_PARSED).await;
                    runtime.spawn_blocking(move || kept.let_go_if_idle(filtering::KEEP_PARSED));
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
                    searching::in_document(&msgs, generation, &doc, &query, &cancel);
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
                    searching::in_file(&msgs, generation, &spilled, &query, &cancel);
                });
            }
            Effect::CompareBodies {
                id,
                against,
                before,
                after,
                ignore,
                secrets,
            } => self.off_thread(
                "comparing the bodies",
                move || Msg::Compared {
                    id,
                    against,
                    result: compare::compare(&before, &after, &ignore, secrets),
                },
                move |text| Msg::Compared {
                    id,
                    against,
                    result: Err(text.to_owned()),
                },
            ),
            Effect::Highlight { id, chunk, doc } => {
                // A chunk that fails is shown plain (no lines: none of them styled).
                let shown = doc.clone();
                self.off_thread(
                    "highlighting the body",
                    move || {
                        let start = chunk * CHUNK_LINES;
                        let end = (start + CHUNK_LINES).min(doc.line_count());
                        let lines = highlighter().highlight(&doc, start..end);
                        Msg::Highlighted {
                            id,
                            chunk,
                            lines,
                            doc,
                        }
                    },
                    move |_| Msg::Highlighted {
                        id,
                        chunk,
                        lines: Vec::new(),
                        doc: shown,
                    },
                );
            }
            Effect::ReadLines {
                id,
                chunk,
                spilled,
                content_type,
                secrets,
            } => self.off_thread(
                "reading the body's file",
                move || Msg::LinesRead {
                    id,
                    chunk,
                    lines: io::file_lines(&spilled, chunk, content_type.as_deref(), secrets)
                        .map_err(|e| e.to_string()),
                },
                move |text| Msg::LinesRead {
                    id,
                    chunk,
                    lines: Err(text.to_owned()),
                },
            ),
            Effect::SaveBody {
                id,
                path,
                body,
                secrets,
                overwrite,
            } => {
                let shown = path.clone();
                self.off_thread(
                    "saving the body",
                    move || {
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
                            SaveOutcome::Written { bytes, .. } => {
                                SaveOutcome::Written { bytes, items }
                            }
                            other => other,
                        };
                        Msg::Saved { id, path, outcome }
                    },
                    move |text| Msg::Saved {
                        id,
                        path: shown,
                        outcome: SaveOutcome::Failed(text.to_owned()),
                    },
                );
            }
            Effect::Copy { text, what, secret } => {
                // OSC 52 goes out now, between frames, on this thread (the one drawing).
                let terminal = super::clipboard::to_terminal(&text);
                let shown = what.clone();
                self.off_thread(
                    "copying",
                    move || Msg::Copied {
                        what,
                        result: super::clipboard::copy(&text, terminal, secret),
                    },
                    |text| Msg::Copied {
                        what: shown,
                        result: Err(text.to_owned()),
                    },
                );
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
                    .spawn(run::in_background(*job, stopped, self.msgs.clone()));
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
            } => {
                // No failed answer: until the checks come, the body is not shown nor written to
                // the history, so that what a capture takes as secret is redacted. Were the
                // checks to fail without saying what was captured, a token would be shown.
                let msgs = self.msgs.clone();
                self.runtime.spawn_blocking(move || {
                    let work = || {
                        Some(Msg::Checked {
                            id,
                            checked: Box::new(check_response(
                                plan.expect.as_ref(),
                                &plan.capture,
                                &plan.by,
                                &response,
                                secrets,
                            )),
                        })
                    };
                    answer(&msgs, "checking the response", work, |_| None);
                });
            }
            Effect::DetectPaging {
                id,
                configured,
                url,
                response,
            } => self.off_thread(
                "looking for pages",
                move || {
                    let found = url::Url::parse(&url)
                        .ok()
                        .and_then(|url| Pager::start(configured.as_ref(), &url, &response, None))
                        .map(Box::new);
                    Msg::PagingDetected { id, found }
                },
                move |_| Msg::PagingDetected { id, found: None },
            ),
            Effect::MergePages {
                id,
                generation,
                pages,
                secrets,
                revealed,
            } => self.off_thread(
                "merging the pages",
                move || Msg::PagesMerged {
                    id,
                    generation,
                    doc: Arc::new(io::merge_pages(&pages, secrets)),
                    revealed,
                },
                move |text| Msg::PagesMerged {
                    id,
                    generation,
                    doc: Arc::new(Document::from_lines(text, Lang::Plain)),
                    revealed,
                },
            ),
            Effect::PreparePageRaw {
                id,
                page,
                body,
                content_type,
                secrets,
                revealed,
            } => self.off_thread(
                "preparing the page",
                move || {
                    let body = io::redacted(body, secrets);
                    Msg::PageRawPrepared {
                        id,
                        page,
                        doc: Arc::new(Document::as_received(&body, content_type.as_deref())),
                        revealed,
                    }
                },
                move |text| Msg::PageRawPrepared {
                    id,
                    page,
                    doc: Arc::new(Document::from_lines(text, Lang::Plain)),
                    revealed,
                },
            ),
            Effect::EncodePicture {
                key,
                body,
                kind,
                graphics,
            } => self.off_thread(
                "showing the picture",
                move || Msg::PictureEncoded {
                    key,
                    result: super::picture::encode(&body, kind, graphics, key),
                },
                move |text| Msg::PictureEncoded {
                    key,
                    result: Err(text.to_owned()),
                },
            ),
            Effect::Quit => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
        assert_eq!(raw.display_text(), "{\"a\":[1,2]}");
        assert!(pretty.line_count() > 1, "the Body tab pretty-prints");
    }

    #[tokio::test]
    async fn a_cut_body_is_not_called_invalid_json() {
        let note = "stored: first 1.0 MB of 10 MB".to_string();
        let (pretty, _) = prepared(br#"[{"a":1},{"b":"tru"#, Some(note)).await;
        assert!(pretty.notices().is_empty(), "{:?}", pretty.notices());
        assert!(pretty.display_text().starts_with("[{\"a\":1}"));
    }
}
