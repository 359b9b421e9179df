//! The event loop: select over worker results (first) and input; run effects; redraw once the
//! queue is drained. No timer runs unless a request is in flight (then the spinner ticks).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use tokio::sync::mpsc::{self, UnboundedSender};

use crate::app::exchange::CHUNK_LINES;
use crate::app::files::list_dir;
use crate::app::tree::TreeFile;
use crate::app::{App, DocKind, Effect, Msg, SaveOutcome, update};
use crate::collection::BUILTIN_DEMO;
use crate::collection::store::{LoadedFile, load_all, load_file, write_atomic};
use crate::highlight::{Document, highlighter};
use crate::history::{HistoryRecord, HistoryStore};
use crate::http::paginate::Pager;
use crate::http::worker::{self, Command, HttpEvent};
use crate::template::EnvSource;
use crate::ui;

/// How often the spinner advances while a request is in flight.
const TICK: Duration = Duration::from_millis(80);

/// Runs until the app quits or `input` ends. `first_frame` is called once the first frame is
/// flushed (the launch benchmark hooks in there).
pub async fn run<B, S>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    mut input: S,
    first_frame: impl FnOnce(),
) -> io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
    let (http_tx, mut http_rx) = mpsc::unbounded_channel::<HttpEvent>();
    let http = worker::spawn(http_tx);
    let history = spawn_history_writer(msg_tx.clone());
    let watch = spawn_watcher(msg_tx.clone());
    let workers = Workers {
        http,
        msgs: msg_tx.clone(),
        history,
        watch,
    };
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    draw(terminal, app)?;
    first_frame();
    if app.should_quit {
        return Ok(());
    }
    dispatch(app, Msg::Started, &workers);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let msg = tokio::select! {
            biased;
            Some(m) = msg_rx.recv() => m,
            Some(e) = http_rx.recv() => Msg::Http(e),
            event = input.next() => match event {
                Some(Ok(e)) => match to_msg(e) {
                    Some(m) => m,
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = tick.tick(), if app.is_busy() => Msg::Tick,
        };
        dispatch(app, msg, &workers);
        // Drain what is already queued before paying for a frame.
        loop {
            if let Ok(m) = msg_rx.try_recv() {
                dispatch(app, m, &workers);
            } else if let Ok(e) = http_rx.try_recv() {
                dispatch(app, Msg::Http(e), &workers);
            } else {
                break;
            }
        }
        if app.should_quit {
            break;
        }
        draw(terminal, app)?;
    }
    Ok(())
}

fn draw<B>(terminal: &mut Terminal<B>, app: &App) -> io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    terminal
        .draw(|f| ui::draw(f, app))
        .map(|_| ())
        .map_err(io::Error::other)
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// `body` with every one of `secrets` replaced by `[redacted]` (CPU work: call it off the UI
/// thread).
fn redacted(body: bytes::Bytes, secrets: Vec<String>) -> bytes::Bytes {
    if secrets.is_empty() {
        return body;
    }
    let redactor = crate::model::Redactor::new(secrets);
    match redactor.redact_bytes(&body) {
        std::borrow::Cow::Borrowed(_) => body,
        std::borrow::Cow::Owned(b) => bytes::Bytes::from(b),
    }
}

/// Every page's items as one pretty-printed JSON array, redacted, indexed as the Body tab's
/// document: the CPU work behind `Effect::MergePages` (run on the blocking pool).
pub fn merge_pages(pages: &[Arc<Vec<serde_json::Value>>], secrets: Vec<String>) -> Document {
    let all: Vec<&serde_json::Value> = pages.iter().flat_map(|p| p.iter()).collect();
    let body = serde_json::to_vec_pretty(&all).unwrap_or_default();
    let body = redacted(bytes::Bytes::from(body), secrets);
    Document::from_body(&body, Some("application/json"))
}

/// Where effects go: the HTTP worker, the blocking pool (results come back on `msgs`), and the
/// single history writer (appends stay in order and never race a compaction).
struct Workers {
    http: UnboundedSender<Command>,
    msgs: UnboundedSender<Msg>,
    history: std::sync::mpsc::Sender<(PathBuf, Box<HistoryRecord>)>,
    watch: tokio::sync::watch::Sender<Vec<(PathBuf, Option<SystemTime>)>>,
}

/// How often watched collection files are checked for changes (a `stat` each: no redraw, no
/// measurable CPU).
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// Checks the watched files' modification times; a change becomes `Msg::FileChanged`.
fn spawn_watcher(
    msgs: UnboundedSender<Msg>,
) -> tokio::sync::watch::Sender<Vec<(PathBuf, Option<SystemTime>)>> {
    let (tx, mut rx) = tokio::sync::watch::channel(Vec::<(PathBuf, Option<SystemTime>)>::new());
    tokio::spawn(async move {
        let mut known: Vec<(PathBuf, Option<SystemTime>)> = Vec::new();
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

fn dispatch(app: &mut App, msg: Msg, workers: &Workers) {
    for effect in update(app, msg) {
        run_effect(effect, workers);
    }
}

/// A thread that appends history records one at a time; failures come back as a `Msg`.
fn spawn_history_writer(
    msgs: UnboundedSender<Msg>,
) -> std::sync::mpsc::Sender<(PathBuf, Box<HistoryRecord>)> {
    let (tx, rx) = std::sync::mpsc::channel::<(PathBuf, Box<HistoryRecord>)>();
    let _ = std::thread::Builder::new()
        .name("history-writer".into())
        .spawn(move || {
            while let Ok((path, record)) = rx.recv() {
                let result = HistoryStore::open(&path).and_then(|store| store.append(&record));
                if let Err(e) = result {
                    let _ = msgs.send(Msg::Problem(format!(
                        "History not saved: {e} ({})",
                        e.hint()
                    )));
                }
            }
        });
    tx
}

/// Loads the collections at `path` (plus the built-in demo when none of them is it and the
/// demo server runs).
pub fn load_collections(path: Option<&Path>, injected: &[(String, String)]) -> Vec<TreeFile> {
    let mut files: Vec<LoadedFile> = match path {
        Some(p) => load_all(p).unwrap_or_else(|e| {
            vec![LoadedFile::Broken(crate::collection::ParseError {
                path: p.to_path_buf(),
                line: 0,
                column: 0,
                message: format!("cannot read the folder: {e}"),
            })]
        }),
        None => Vec::new(),
    };
    let has_demo = files.iter().any(|f| match f {
        LoadedFile::Ok { collection, .. } => crate::collection::uses_demo(collection),
        LoadedFile::Broken(_) => false,
    });
    let user_files = files.len();
    if !has_demo
        && injected
            .iter()
            .any(|(k, _)| k == crate::collection::DEMO_URL_VAR)
    {
        let path = PathBuf::from("(built-in) demo.toml");
        if let Ok(collection) = crate::collection::parse_collection(BUILTIN_DEMO, &path) {
            files.push(LoadedFile::Ok {
                collection,
                text: BUILTIN_DEMO.to_string(),
                modified: None,
            });
        }
    }
    files
        .into_iter()
        .enumerate()
        .map(|(i, loaded)| tree_file(loaded, i >= user_files))
        .collect()
}

fn tree_file(loaded: LoadedFile, builtin: bool) -> TreeFile {
    let env_source = match &loaded {
        LoadedFile::Ok { collection, .. } if !builtin => {
            crate::collection::env_source_for(collection, &[]).unwrap_or_default()
        }
        _ => EnvSource::new(),
    };
    TreeFile {
        loaded,
        env_source,
        builtin,
    }
}

/// Writes a collection file if it still holds `expected`, then loads it again.
fn write_collection(path: &Path, expected: Option<&str>, text: &str) -> Result<TreeFile, String> {
    let on_disk = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if on_disk.as_deref() != expected {
        return Err(format!(
            "{} changed on disk since scout loaded it, so scout did not overwrite it",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    write_atomic(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(tree_file(load_file(path), false))
}

/// Hands an effect to the worker that does it; results come back as `Msg`s.
fn run_effect(effect: Effect, workers: &Workers) {
    let msgs = &workers.msgs;
    match effect {
        Effect::Send(job) => {
            let _ = workers.http.send(Command::Send(job));
        }
        Effect::ListDir(dir) => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let result = list_dir(&dir);
                let _ = tx.send(Msg::DirListed { dir, result });
            });
        }
        Effect::Cancel(id) => {
            let _ = workers.http.send(Command::Cancel(id));
        }
        Effect::LoadCollections { path, injected } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let files = load_collections(path.as_deref(), &injected);
                let _ = tx.send(Msg::CollectionsLoaded(files));
            });
        }
        Effect::WriteCollection {
            path,
            expected,
            text,
            injected: _,
            select,
            done,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let result = write_collection(&path, expected.as_deref(), &text).map(Box::new);
                let _ = tx.send(Msg::CollectionWritten {
                    path,
                    result,
                    select,
                    done,
                });
            });
        }
        Effect::LoadHistory { path } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let result = HistoryStore::open(&path)
                    .and_then(|store| store.load())
                    .map_err(|e| format!("{e} ({})", e.hint()));
                let _ = tx.send(Msg::HistoryLoaded(result));
            });
        }
        Effect::AppendHistory { path, record } => {
            let _ = workers.history.send((path, record));
        }
        Effect::Watch(files) => {
            let _ = workers.watch.send(files);
        }
        Effect::ReloadFile(path) => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let file = tree_file(load_file(&path), false);
                let _ = tx.send(Msg::FileReloaded(Box::new(file)));
            });
        }
        Effect::PrepareBody {
            id,
            body,
            content_type,
            secrets,
            revealed,
        } => {
            let raw_type = raw_content_type(content_type.as_deref());
            let tx = msgs.clone();
            let runtime = tokio::runtime::Handle::current();
            // Redacting and preparing are CPU work: all of it off the UI thread, the two views
            // in parallel.
            tokio::task::spawn_blocking(move || {
                let body = redacted(body, secrets);
                let prepare = move |kind: DocKind, ct: Option<String>, body: bytes::Bytes| {
                    let doc = Arc::new(Document::from_body(&body, ct.as_deref()));
                    let _ = tx.send(Msg::BodyPrepared {
                        id,
                        kind,
                        doc,
                        revealed,
                    });
                };
                let raw = prepare.clone();
                let raw_body = body.clone();
                runtime.spawn_blocking(move || raw(DocKind::Raw, Some(raw_type), raw_body));
                prepare(DocKind::Pretty, content_type, body);
            });
        }
        Effect::Highlight { id, chunk, doc } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let start = chunk * CHUNK_LINES;
                let end = (start + CHUNK_LINES).min(doc.line_count());
                let lines = highlighter().highlight(&doc, start..end);
                let _ = tx.send(Msg::Highlighted {
                    id,
                    chunk,
                    lines,
                    doc,
                });
            });
        }
        Effect::SaveBody {
            id,
            path,
            body,
            secrets,
            overwrite,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let body = redacted(body, secrets);
                let outcome = save(&path, &body, overwrite);
                let _ = tx.send(Msg::Saved { id, path, outcome });
            });
        }
        Effect::DetectPaging {
            id,
            configured,
            url,
            response,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let found = url::Url::parse(&url)
                    .ok()
                    .and_then(|url| Pager::start(configured.as_ref(), &url, &response))
                    .map(Box::new);
                let _ = tx.send(Msg::PagingDetected { id, found });
            });
        }
        Effect::Paginate {
            id,
            pager,
            job,
            load,
        } => {
            let _ = workers.http.send(Command::Paginate {
                id,
                pager,
                job,
                load,
            });
        }
        Effect::MergePages {
            id,
            generation,
            pages,
            secrets,
            revealed,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let doc = Arc::new(merge_pages(&pages, secrets));
                let _ = tx.send(Msg::PagesMerged {
                    id,
                    generation,
                    doc,
                    revealed,
                });
            });
        }
        Effect::PreparePageRaw {
            id,
            page,
            body,
            content_type,
            secrets,
            revealed,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let body = redacted(body, secrets);
                let ct = raw_content_type(content_type.as_deref());
                let doc = Arc::new(Document::from_body(&body, Some(&ct)));
                let _ = tx.send(Msg::PageRawPrepared {
                    id,
                    page,
                    doc,
                    revealed,
                });
            });
        }
        Effect::Quit => {}
    }
}

/// The Raw tab shows the body as text in its own charset, without pretty-printing.
fn raw_content_type(content_type: Option<&str>) -> String {
    let charset = content_type.and_then(|ct| {
        ct.split(';')
            .skip(1)
            .find_map(|p| p.trim().strip_prefix("charset=").map(str::to_string))
    });
    match charset {
        Some(c) => format!("text/plain; charset={c}"),
        None => "text/plain".to_string(),
    }
}

/// Writes a body; refuses to replace an existing file unless `overwrite`.
pub fn save(path: &Path, body: &[u8], overwrite: bool) -> SaveOutcome {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    match options.open(path) {
        Ok(mut file) => match file.write_all(body).and_then(|_| file.sync_all()) {
            Ok(()) => SaveOutcome::Written(body.len() as u64),
            Err(e) => SaveOutcome::Failed(e.to_string()),
        },
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => SaveOutcome::Exists,
        Err(e) => SaveOutcome::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_never_overwrites_without_asking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.json");
        assert_eq!(save(&path, b"one", false), SaveOutcome::Written(3));
        assert_eq!(save(&path, b"two", false), SaveOutcome::Exists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(save(&path, b"three", true), SaveOutcome::Written(5));
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let bad = dir.path().join("missing-dir").join("x");
        assert!(matches!(save(&bad, b"x", false), SaveOutcome::Failed(_)));
    }

    #[test]
    fn exported_and_shown_bodies_are_redacted_unless_revealed() {
        let body = bytes::Bytes::from_static(br#"{"token": "s3cret-value", "n": 1}"#);
        assert_eq!(
            redacted(body.clone(), vec!["s3cret-value".into()]),
            &br#"{"token": "[redacted]", "n": 1}"#[..]
        );
        assert_eq!(redacted(body.clone(), Vec::new()), body);
    }

    #[test]
    fn raw_view_keeps_the_charset_only() {
        assert_eq!(
            raw_content_type(Some("application/json; charset=iso-8859-1")),
            "text/plain; charset=iso-8859-1"
        );
        assert_eq!(raw_content_type(Some("text/html")), "text/plain");
    }
}
