//! Searching a body, on a blocking thread: in the prepared document, or in the file a large body
//! was kept in. Matches are reported as they are found (`Msg::Searched`, each report with those
//! found since the one before); the last report says the search is through.

use std::cell::Cell;
use std::sync::atomic::AtomicBool;

use tokio::sync::mpsc::UnboundedSender;

use super::guard::answer;
use crate::app::Msg;
use crate::app::reader::search::SearchProgress;
use crate::highlight::Document;
use crate::inspect::search::{Match, Query, search};
use crate::model::Spilled;

/// Searches `doc`'s text for `query` (search number `generation`) until `cancel` is set. Lines
/// are searched as stored: pretty-printed JSON without its indentation (`^"id"` finds a key at
/// any depth); a match's columns count the indentation, as the line is shown.
pub(super) fn in_document(
    msgs: &UnboundedSender<Msg>,
    generation: u64,
    doc: &Document,
    query: &Query,
    cancel: &AtomicBool,
) {
    // How many matches were reported: a search that fails stops at that count.
    let reported = Cell::new(0);
    let work = || {
        let mut sent = 0;
        let found = search(doc.stored_text(), query, cancel, |p| {
            let new = shown(doc, &p.kept[sent..]);
            sent = p.kept.len();
            reported.set(p.count);
            let _ = msgs.send(Msg::Searched(SearchProgress {
                generation,
                new,
                count: p.count,
                progress: p.fraction(),
                done: false,
            }));
        });
        found.complete.then(|| {
            Msg::Searched(SearchProgress {
                generation,
                new: shown(doc, found.matches.get(sent..).unwrap_or_default()),
                count: found.count,
                progress: 1.0,
                done: true,
            })
        })
    };
    let failed = |_: &str| Some(stopped(generation, reported.get()));
    answer(msgs, "searching the body", work, failed);
}

/// Searches the file `spilled` for `query` (search number `generation`) until `cancel` is set.
pub(super) fn in_file(
    msgs: &UnboundedSender<Msg>,
    generation: u64,
    spilled: &Spilled,
    query: &Query,
    cancel: &AtomicBool,
) {
    let reported = Cell::new(0);
    let work = || {
        let report = |new, count, progress| {
            reported.set(count);
            let _ = msgs.send(Msg::Searched(SearchProgress {
                generation,
                new,
                count,
                progress,
                done: false,
            }));
        };
        let result = crate::http::spill::search_file(spilled, query, cancel, report);
        // Through, or the file unreadable: what was found stands, and the count stops.
        (!matches!(result, Ok(false))).then(|| stopped(generation, reported.get()))
    };
    let failed = |_: &str| Some(stopped(generation, reported.get()));
    answer(msgs, "searching the body", work, failed);
}

/// `matches` in `doc`'s lines as shown: after their indentation.
fn shown(doc: &Document, matches: &[Match]) -> Vec<Match> {
    matches
        .iter()
        .map(|m| {
            let indent = doc.indent(m.line);
            Match {
                line: m.line,
                start: m.start + indent,
                end: m.end + indent,
            }
        })
        .collect()
}

/// The last report of a search that is through, or ended early: the matches found stand, the
/// count stops.
fn stopped(generation: u64, count: usize) -> Msg {
    Msg::Searched(SearchProgress {
        generation,
        new: Vec::new(),
        count,
        progress: 1.0,
        done: true,
    })
}
