//! The event loop: select over worker results (first) and input; run effects; redraw once the
//! queue is drained. No timer runs unless a request is in flight (then the spinner ticks).

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use tokio::sync::mpsc::{self, UnboundedSender};

use crate::app::exchange::CHUNK_LINES;
use crate::app::{App, DocKind, Effect, Msg, SaveOutcome, update};
use crate::highlight::{Document, highlighter};
use crate::http::worker::{self, Command, HttpEvent};
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
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    draw(terminal, app)?;
    first_frame();
    if app.should_quit {
        return Ok(());
    }
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
        dispatch(app, msg, &http, &msg_tx);
        // Drain what is already queued before paying for a frame.
        loop {
            if let Ok(m) = msg_rx.try_recv() {
                dispatch(app, m, &http, &msg_tx);
            } else if let Ok(e) = http_rx.try_recv() {
                dispatch(app, Msg::Http(e), &http, &msg_tx);
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

fn dispatch(app: &mut App, msg: Msg, http: &UnboundedSender<Command>, msgs: &UnboundedSender<Msg>) {
    for effect in update(app, msg) {
        run_effect(app, effect, http, msgs);
    }
}

/// Hands an effect to the worker that does it; results come back as `Msg`s.
fn run_effect(
    app: &App,
    effect: Effect,
    http: &UnboundedSender<Command>,
    msgs: &UnboundedSender<Msg>,
) {
    match effect {
        Effect::Send { id, spec, timeouts } => {
            let _ = http.send(Command::Send {
                id,
                spec,
                timeouts,
                base_dir: app.work_dir.clone(),
            });
        }
        Effect::Cancel(id) => {
            let _ = http.send(Command::Cancel(id));
        }
        Effect::PrepareBody {
            id,
            body,
            content_type,
        } => {
            let raw_type = raw_content_type(content_type.as_deref());
            for (kind, ct) in [
                (DocKind::Pretty, content_type),
                (DocKind::Raw, Some(raw_type)),
            ] {
                let tx = msgs.clone();
                let body = body.clone();
                tokio::task::spawn_blocking(move || {
                    let doc = Arc::new(Document::from_body(&body, ct.as_deref()));
                    let _ = tx.send(Msg::BodyPrepared { id, kind, doc });
                });
            }
        }
        Effect::Highlight { id, chunk, doc } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let start = chunk * CHUNK_LINES;
                let end = (start + CHUNK_LINES).min(doc.line_count());
                let lines = highlighter().highlight(&doc, start..end);
                let _ = tx.send(Msg::Highlighted { id, chunk, lines });
            });
        }
        Effect::SaveBody {
            id,
            path,
            body,
            overwrite,
        } => {
            let tx = msgs.clone();
            tokio::task::spawn_blocking(move || {
                let outcome = save(&path, &body, overwrite);
                let _ = tx.send(Msg::Saved { id, path, outcome });
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
    fn raw_view_keeps_the_charset_only() {
        assert_eq!(
            raw_content_type(Some("application/json; charset=iso-8859-1")),
            "text/plain; charset=iso-8859-1"
        );
        assert_eq!(raw_content_type(Some("text/html")), "text/plain");
    }
}
