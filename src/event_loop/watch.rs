//! The collection watcher: polls the modification times of the files it is told to watch, on its
//! own task; a change becomes `Msg::FileChanged`.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;

/// How often watched collection files are checked for changes (a `stat` each: no redraw, no
/// measurable CPU).
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// What the files being watched are, with the modification time scout knows for each.
pub(super) type Watched = Vec<(PathBuf, Option<SystemTime>)>;

/// Checks the watched files' modification times; a change becomes `Msg::FileChanged`.
pub(super) fn spawn_watcher(msgs: UnboundedSender<Msg>) -> tokio::sync::watch::Sender<Watched> {
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
