//! The event loop: select over messages (first), worker results and input; hand each message to
//! `update` with the time it arrived; run the effects (`effects`); redraw once the queue is
//! drained. No timer runs unless a request is in flight (then the spinner ticks).
//!
//! Every frame records where it drew things (`ui::draw` returns a [`HitMap`]); when that changed,
//! `update` hears of it (`Msg::Drawn`) before the next input, so clicks and page keys are mapped
//! with what is on screen.

mod clipboard;
mod compare;
mod effects;
mod external;
mod filtering;
mod guard;
pub mod io;
pub mod picture;
mod run;
mod searching;
pub mod terminal;
mod watch;

use std::time::Duration;

use external::Handover;
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use tokio::sync::mpsc;

use crate::app::hits::HitMap;
use crate::app::{App, Msg, Now, update_at};
use crate::http::job::HttpEvent;
use crate::http::worker;
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
) -> std::io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Msg>();
    let (http_tx, mut http_rx) = mpsc::unbounded_channel::<HttpEvent>();
    let workers = effects::Workers::start(worker::spawn(http_tx), msg_tx.clone());
    if let Ok(size) = terminal.size() {
        dispatch(app, Msg::Resize(size.width, size.height), &workers);
    }
    let mut hits = HitMap::default();
    draw(terminal, app, &mut hits, &msg_tx)?;
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
        // An external editor runs here, or the shell has the terminal (Ctrl+Z): this is where
        // the terminal is.
        match workers.take_handover() {
            Some(Handover::Edit(asked)) => {
                let command = external::editor_command();
                let result = external::handed_over(terminal, || {
                    external::edit(&asked.text, asked.extension, &command)
                });
                let msg = Msg::EditedExternally {
                    field: asked.field,
                    result,
                };
                dispatch(app, msg, &workers);
            }
            Some(Handover::Suspend) => {
                external::handed_over(terminal, external::stop_until_continued);
                // The terminal may have been resized meanwhile.
                if let Ok(size) = terminal.size() {
                    dispatch(app, Msg::Resize(size.width, size.height), &workers);
                }
            }
            None => {}
        }
        draw(terminal, app, &mut hits, &msg_tx)?;
    }
    Ok(())
}

/// Draws a frame; when things were drawn elsewhere than in the last one, `update` is told.
fn draw<B>(
    terminal: &mut Terminal<B>,
    app: &App,
    last: &mut HitMap,
    msgs: &mpsc::UnboundedSender<Msg>,
) -> std::io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let mut hits = HitMap::default();
    terminal
        .draw(|f| hits = ui::draw(f, app))
        .map_err(std::io::Error::other)?;
    if hits != *last {
        *last = hits.clone();
        let _ = msgs.send(Msg::Drawn(Box::new(hits)));
    }
    Ok(())
}

fn dispatch(app: &mut App, msg: Msg, workers: &effects::Workers) {
    for effect in update_at(app, msg, Now::real()) {
        workers.run(effect);
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(k) => {
            crate::fault::panic_if_asked("key");
            Some(Msg::Key(k))
        }
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}
