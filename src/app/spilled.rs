//! A body too large for memory, read in the Body tab from its file on disk: its lines (a JSON
//! body's pretty form, written beside it as it arrived; any other as received), a chunk of [`CHUNK_LINES`] at a time, read and prepared off
//! the UI thread ([`Effect::ReadLines`] → [`Msg::LinesRead`](crate::app::Msg::LinesRead)) into
//! the view's bounded chunk cache. Scrolling, `g`/`G` and the position work as for any body;
//! what needs the whole body in memory (filter, folds, comparison, copying the body) says so.

use std::collections::BTreeSet;
use std::sync::Arc;

use ratatui::style::{Modifier, Style};

use crate::app::exchange::{CHUNK_LINES, Exchange};
use crate::app::{App, Effect, Notice, ResponseTab};
use crate::highlight::StyledLine;
use crate::http::job::RequestId;
use crate::model::{Spilled, human_size};

/// The body file `x` shows in its Body tab, when its body is kept on disk: its pretty form for
/// JSON, else the body as received.
pub fn of(x: &Exchange) -> Option<&Arc<Spilled>> {
    Some(x.response()?.spilled.as_ref()?.shown())
}

/// The shown exchange's body file, if its body is kept on disk.
pub fn shown(app: &App) -> Option<&Arc<Spilled>> {
    of(app.shown_exchange()?)
}

/// How many lines the shown body on disk has.
pub fn line_count(app: &App) -> Option<usize> {
    shown(app).map(|s| usize::try_from(s.line_count()).unwrap_or(usize::MAX))
}

/// When the shown body is on disk: says that `what` needs it in memory (with its size), and
/// returns true.
pub fn refuse(app: &mut App, what: &str) -> bool {
    let received = app
        .shown_exchange()
        .and_then(|x| x.response()?.spilled.as_ref());
    let Some(len) = received.map(|s| s.len()) else {
        return false;
    };
    app.notice = Some(Notice::Error(format!(
        "The body is too large to {what} ({}, kept on disk beyond the memory cap); raise \
         [body] memory_cap in the config file, or save it (s) and use another tool",
        human_size(len)
    )));
    true
}

/// The chunks of lines on screen (and one each way) not read yet: one read each.
pub fn wanted(app: &mut App, id: RequestId, top: usize, height: usize) -> Vec<Effect> {
    if app.response_tab != ResponseTab::Body {
        return Vec::new();
    }
    let Some(x) = app.history.get(id) else {
        return Vec::new();
    };
    let Some(spilled) = of(x).cloned() else {
        return Vec::new();
    };
    let secrets = x.secrets_for(app.reveal);
    let content_type = x
        .response()
        .and_then(|r| r.content_type())
        .map(str::to_string);
    let lines = usize::try_from(spilled.line_count()).unwrap_or(usize::MAX);
    let rows = top.saturating_sub(CHUNK_LINES / 2)..(top + height + CHUNK_LINES / 2).min(lines);
    let chunks: BTreeSet<usize> = rows.map(|line| line / CHUNK_LINES).collect();
    let Some(view) = app.history.get_mut(id).and_then(Exchange::view_mut) else {
        return Vec::new();
    };
    view.claim_of(lines.div_ceil(CHUNK_LINES), chunks)
        .into_iter()
        .map(|chunk| Effect::ReadLines {
            id,
            chunk,
            spilled: spilled.clone(),
            content_type: content_type.clone(),
            secrets: secrets.clone(),
        })
        .collect()
}

/// A chunk of lines read from the body's file, or why it could not be: then each of its rows says
/// so, rather than staying blank once the message at the bottom is gone.
pub fn lines_read(
    app: &mut App,
    id: RequestId,
    chunk: usize,
    lines: Result<Vec<StyledLine>, String>,
) {
    let lines = lines.unwrap_or_else(|e| {
        app.notice = Some(Notice::Error(format!(
            "Could not read the body from its file on disk: {e}"
        )));
        let row = StyledLine::styled(
            format!("⚠ not read from the body's file: {e}"),
            Style::default().add_modifier(Modifier::DIM),
        );
        vec![row; CHUNK_LINES]
    });
    if let Some(view) = app.history.get_mut(id).and_then(Exchange::view_mut) {
        view.store(chunk, lines);
    }
}

#[cfg(test)]
#[path = "spilled_tests.rs"]
mod tests;
