//! Reading a body in the Body tab: a cursor line (what "the value under the cursor" means for
//! the path shown, folding and copying), folds, line wrap; the filter ([`filter`]) and the
//! comparison with an earlier response ([`diff`]).
//!
//! The Body tab scrolls by *rows*: the document's lines as the folds leave them (a folded
//! container is one row). `app.scroll.top` is the first row drawn; the cursor is a row too, and
//! stays on screen. Folding uses the document's outline (where each JSON container opens and
//! closes), built off the UI thread when the document is prepared.

pub mod diff;
pub mod filter;
pub mod search;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::app::copy::CopyItem;
use crate::app::exchange::Exchange;
use crate::app::keymap::{Action, Scope};
use crate::app::{App, Effect, Notice, ResponseTab, Scroll, view};
use crate::highlight::{Document, Folds, Rows};
use crate::http::job::RequestId;

/// The Body tab's reading state. The cursor and folds belong to the document shown: another
/// one starts from the top, unfolded ([`sync`]); wrapping stays as the user set it.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The row the cursor is on.
    pub cursor: usize,
    /// Long lines wrap instead of scrolling sideways (`w`).
    pub wrap: bool,
    /// The filter line, while it is open (`|`).
    pub filter_line: Option<filter::FilterLine>,
    /// The response each request's later responses compare with (`P`), by `METHOD url` as
    /// written.
    pub pins: BTreeMap<String, RequestId>,
    /// The containers folded in the shown document.
    pub folds: Folds,
    /// The visible rows under `folds`.
    pub rows: Rows,
    /// The document `folds` and `rows` are of (its address; 0: none).
    rows_of: usize,
    /// `z` was pressed: the next key says which fold (`a`, `M`, `R`).
    pub fold_prefix: bool,
    /// The search (`/`) over the shown document.
    pub search: search::Search,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            cursor: 0,
            wrap: false,
            filter_line: None,
            pins: BTreeMap::new(),
            folds: Folds::new(),
            rows: Rows::plain(0),
            rows_of: 0,
            fold_prefix: false,
            search: search::Search::default(),
        }
    }
}

impl Reader {
    /// Back to the top, for another document.
    pub fn reset(&mut self) {
        self.cursor = 0;
    }

    /// The document line row `row` shows.
    pub fn line_of_row(&self, row: usize) -> usize {
        self.rows.line_of_row(row)
    }
}

/// After every message: the rows follow the document shown. Another document (a new response, a
/// filter's result, pages merged) starts unfolded, and the search runs again over it.
pub fn sync(app: &mut App) -> Vec<Effect> {
    let doc = shown_doc_arc(app);
    let address = doc.as_ref().map_or(0, |d| Arc::as_ptr(d) as usize);
    if address == app.reader.rows_of {
        return Vec::new();
    }
    // A body kept on disk: its file's lines (the document is only its first part).
    let lines = crate::app::spilled::line_count(app)
        .or(doc.map(|d| d.line_count()))
        .unwrap_or(0);
    app.reader.rows_of = address;
    app.reader.folds = Folds::new();
    app.reader.rows = Rows::plain(lines);
    clamp_cursor(app);
    if app.reader.search.doc != address {
        return search::restart(app);
    }
    Vec::new()
}

fn shown_doc_arc(app: &App) -> Option<Arc<Document>> {
    app.shown_exchange()?.body_doc().cloned()
}

/// Another document shows in the Body tab (a filter's result, a comparison, the body again):
/// from its top, its highlighting to be done.
pub fn another_doc(app: &mut App) {
    if app.response_tab == ResponseTab::Body {
        app.scroll = Scroll::default();
        app.reader.reset();
    }
    if let Some(view) = app
        .shown
        .and_then(|id| app.history.get_mut(id))
        .and_then(Exchange::view_mut)
    {
        view.forget_highlights();
    }
}

/// How many rows the Body tab has: the folds' rows once they follow the shown document, its
/// lines until then.
pub fn row_total(app: &App) -> usize {
    // A body kept on disk: its file's lines, whatever the document in memory (its first part).
    if let Some(lines) = crate::app::spilled::line_count(app) {
        return lines;
    }
    match shown_doc(app) {
        Some(doc) if std::ptr::from_ref(doc) as usize == app.reader.rows_of => {
            app.reader.rows.len()
        }
        Some(doc) => doc.line_count(),
        None => 0,
    }
}

/// The rows of `doc` as the Body tab shows them: under the folds when they are this document's.
pub fn rows_of<'a>(app: &'a App, doc: &Document) -> Option<&'a Rows> {
    (std::ptr::from_ref(doc) as usize == app.reader.rows_of).then_some(&app.reader.rows)
}

/// The document the Body tab shows, if it is ready.
pub fn shown_doc(app: &App) -> Option<&Document> {
    app.shown_exchange()?.body_doc().map(|d| &**d)
}

/// A moving key in the Body tab: moves the cursor, and scrolls when it would leave the screen.
/// Returns false for an action that does not move it.
pub fn step(app: &mut App, action: Action) -> bool {
    if row_total(app) == 0 {
        return false;
    }
    let page = view::viewport_height(app).max(1);
    // The same count the scroll is clamped to (the rows may not follow the document yet).
    let last = row_total(app).saturating_sub(1);
    let cursor = app.reader.cursor.min(last);
    let (cursor, top) = match action {
        Action::Up => (cursor.saturating_sub(1), None),
        Action::Down => ((cursor + 1).min(last), None),
        // A page moves the view and the cursor together, as a pager does.
        Action::PageUp => (
            cursor.saturating_sub(page),
            Some(app.scroll.top.saturating_sub(page)),
        ),
        Action::PageDown => ((cursor + page).min(last), Some(app.scroll.top + page)),
        Action::Top => (0, Some(0)),
        Action::Bottom => (last, Some(usize::MAX)),
        _ => return false,
    };
    app.reader.cursor = cursor;
    if let Some(top) = top {
        app.scroll.top = top;
    }
    view::clamp_scroll(app);
    keep_cursor_visible(app);
    true
}

/// After the view scrolled on its own (the wheel): the cursor comes along, staying on screen.
pub fn follow_scroll(app: &mut App) {
    if app.response_tab != ResponseTab::Body {
        return;
    }
    let page = view::viewport_height(app).max(1);
    let top = app.scroll.top;
    app.reader.cursor = app.reader.cursor.clamp(top, top + page - 1);
    clamp_cursor(app);
}

/// Scrolls so that the cursor's row is on screen.
pub fn keep_cursor_visible(app: &mut App) {
    let page = view::viewport_height(app).max(1);
    let cursor = app.reader.cursor;
    if cursor < app.scroll.top {
        app.scroll.top = cursor;
    } else if cursor >= app.scroll.top + page {
        app.scroll.top = cursor + 1 - page;
    }
}

/// The cursor stays within the rows.
fn clamp_cursor(app: &mut App) {
    app.reader.cursor = app
        .reader
        .cursor
        .min(app.reader.rows.len().saturating_sub(1));
}

/// `w`: long lines wrap, or scroll sideways.
pub fn toggle_wrap(app: &mut App) {
    app.reader.wrap = !app.reader.wrap;
    app.scroll.left = 0;
}

/// `z`: the next key is a fold key.
pub fn fold_prefix(app: &mut App) {
    if shown_doc(app).and_then(Document::outline).is_none() {
        app.notice = Some(Notice::Error(
            "Only JSON folds: this body has no objects or arrays to fold".into(),
        ));
        return;
    }
    app.reader.fold_prefix = true;
}

/// A fold action: `za`/Space (the container at the cursor), `zM` (all), `zR` (none). The cursor
/// stays on its line (or goes to the fold hiding it).
pub fn fold(app: &mut App, action: Action) {
    app.reader.fold_prefix = false;
    let Some(doc) = shown_doc_arc(app) else {
        return;
    };
    let Some(outline) = doc.outline() else {
        app.notice = Some(Notice::Error(
            "Only JSON folds: this body has no objects or arrays to fold".into(),
        ));
        return;
    };
    let r = &mut app.reader;
    let mut line = r.rows.line_of_row(r.cursor);
    match action {
        Action::FoldAll => r.folds.fold_all(),
        Action::UnfoldAll => r.folds.unfold_all(),
        _ => match r.folds.toggle(outline, line) {
            Some(open) => line = open,
            None => {
                app.notice = Some(Notice::Error(
                    "Nothing to fold here: the cursor is not in an object or array".into(),
                ));
                return;
            }
        },
    }
    r.rows = r.folds.rows(outline);
    r.cursor = r.rows.row_of_line(line);
    view::clamp_scroll(app);
    keep_cursor_visible(app);
}

/// The keymap scope of the key after `z`.
pub fn scope(app: &App) -> Option<Scope> {
    app.reader.fold_prefix.then_some(Scope::Fold)
}

/// The JSON path of the value on `line` of `doc`, when it is JSON.
pub fn path_at(doc: &Document, line: usize) -> Option<String> {
    let outline = doc.outline()?;
    Some(outline.path_at(line, |i| doc.content(i)))
}

/// What the copy menu's cursor items copy: the path of the value under the cursor, the value
/// (JSON), or the line.
pub fn under_cursor(app: &App, item: CopyItem) -> Option<String> {
    let line = app.reader.line_of_row(app.reader.cursor);
    // A body on disk: the line as shown (read from its file), nothing of its structure.
    if crate::app::spilled::shown(app).is_some() {
        let styled = app.shown_exchange()?.view()?.styled_line(line)?;
        return (item == CopyItem::Line)
            .then(|| styled.spans.iter().map(|s| s.content.as_ref()).collect());
    }
    let doc = shown_doc(app)?;
    if line >= doc.line_count() {
        return None;
    }
    match item {
        CopyItem::Path => path_at(doc, line),
        CopyItem::Value => {
            let outline = doc.outline()?;
            Some(outline.value_at(line, |i| (doc.indent(i), doc.content(i))))
        }
        _ => Some(doc.content(line).trim_start().to_string()),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
