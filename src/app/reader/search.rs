//! `/` in the Body tab: search the shown document. The search line takes the keys while it is
//! open (Enter keeps the search, Esc ends it, `Ctrl+R` switches between a literal and a regex);
//! case folds unless the query has a capital. Every change starts a scan off the UI thread
//! ([`Effect::Search`]) and cancels the one before; the scan reports its matches chunk by chunk,
//! so the first one shows (and the cursor jumps to it) long before a 100 MB body is through.
//! `n` / `N` go to the next / previous match, wrapping around.
//!
//! What is drawn highlighted is found again in each visible line ([`Query::find_in_line`]); the
//! kept matches (at most [`search::MAX_KEPT`], all counted) are for the count and for `n`/`N`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, reader, view};
use crate::highlight::Document;
use crate::inspect::search::{self, Match, Query};

/// The search over the shown document.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The search line, while it is open.
    pub input: Option<TextInput>,
    /// The query as typed (what `n`/`N` look for once the line is closed).
    pub text: String,
    pub regex: bool,
    /// The compiled query (`None`: empty, or a regex that does not compile: see `problem`).
    pub query: Option<Query>,
    pub problem: Option<String>,
    /// Counts the changes: progress of an older scan is stale.
    pub generation: u64,
    pub cancel: Arc<AtomicBool>,
    /// The document searched (its address).
    pub doc: usize,
    /// For a body kept on disk: its file searched (the handle's address) instead.
    pub file: Option<usize>,
    /// The matches kept so far, in order.
    pub matches: Vec<Match>,
    /// All matches found so far, kept or not.
    pub count: usize,
    /// How far the scan is (0.0 to 1.0), and whether it is through.
    pub progress: f64,
    pub done: bool,
    /// The match the cursor went to (an index into `matches`).
    pub current: Option<usize>,
}

impl Search {
    /// `3/41`, `0/0`, `?/41` (no current match), with `…` while the scan goes on.
    pub fn count_label(&self) -> String {
        let current = self
            .current
            .map_or_else(|| "?".to_string(), |i| (i + 1).to_string());
        let total = crate::model::thousands(self.count);
        if self.done {
            format!("{current}/{total}")
        } else {
            format!("{current}/{total}… {:.0}%", self.progress * 100.0)
        }
    }
}

/// A batch of a scan's progress, as the worker reports it.
#[derive(Debug, Clone)]
pub struct SearchProgress {
    pub generation: u64,
    /// Matches kept since the last report.
    pub new: Vec<Match>,
    pub count: usize,
    pub progress: f64,
    pub done: bool,
}

/// `/`: opens the search line (with the last query, to edit or replace).
pub fn open(app: &mut App) {
    if reader::shown_doc(app).is_none() {
        app.notice = Some(Notice::Error("Nothing to search: no body is shown".into()));
        return;
    }
    let s = &mut app.reader.search;
    s.input = Some(TextInput::single(&s.text));
}

/// A key while the search line is open. `None`: it is not open (or Tab closed it, and moves
/// on).
pub fn on_key(app: &mut App, key: KeyEvent) -> Option<Vec<Effect>> {
    let input = app.reader.search.input.as_mut()?;
    match key.code {
        KeyCode::Enter => {
            app.reader.search.input = None;
            return Some(Vec::new());
        }
        KeyCode::Esc => {
            app.reader.search.input = None;
            return Some(set(app, String::new(), false));
        }
        KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            let (text, regex) = (input.text(), !app.reader.search.regex);
            return Some(set(app, text, regex));
        }
        // Tab moves on, keeping the search.
        KeyCode::Tab | KeyCode::BackTab => {
            app.reader.search.input = None;
            return None;
        }
        _ => {
            input.handle_key(key);
        }
    }
    let text = input.text();
    let regex = app.reader.search.regex;
    Some(set(app, text, regex))
}

/// Pasted text goes into the open search line (on one line).
pub fn paste(app: &mut App, text: &str) -> Option<Vec<Effect>> {
    let input = app.reader.search.input.as_mut()?;
    input.insert_str(&text.replace(['\r', '\n'], " "));
    let (text, regex) = (input.text(), app.reader.search.regex);
    Some(set(app, text, regex))
}

/// The query becomes `text` (a regex or not): the scan under way stops, a new one starts.
fn set(app: &mut App, text: String, regex: bool) -> Vec<Effect> {
    let s = &mut app.reader.search;
    if s.text == text && s.regex == regex {
        return Vec::new();
    }
    s.text = text;
    s.regex = regex;
    s.problem = None;
    s.query = None;
    if !s.text.is_empty() {
        match Query::new(&s.text, regex) {
            Ok(q) => s.query = Some(q),
            Err(e) => s.problem = Some(e.to_string()),
        }
    }
    restart(app)
}

/// Stops the scan under way and starts one of the shown document (when there is a query).
pub fn restart(app: &mut App) -> Vec<Effect> {
    let doc = app.shown_exchange().and_then(|x| x.body_doc()).cloned();
    let file = crate::app::spilled::shown(app).cloned();
    let s = &mut app.reader.search;
    s.cancel.store(true, Ordering::Relaxed);
    s.generation += 1;
    s.matches.clear();
    s.count = 0;
    s.current = None;
    s.progress = 0.0;
    s.done = true;
    s.doc = doc.as_ref().map_or(0, |d| Arc::as_ptr(d) as usize);
    s.file = file.as_ref().map(|f| Arc::as_ptr(f) as usize);
    let (Some(query), Some(doc)) = (s.query.clone(), doc) else {
        return Vec::new();
    };
    s.done = false;
    s.cancel = Arc::new(AtomicBool::new(false));
    // A body on disk: its whole file is searched, not the first part in memory.
    if let Some(spilled) = file {
        return vec![Effect::SearchFile {
            generation: s.generation,
            spilled,
            query,
            cancel: s.cancel.clone(),
        }];
    }
    vec![Effect::Search {
        generation: s.generation,
        doc,
        query,
        cancel: s.cancel.clone(),
    }]
}

/// A scan reported: its matches join the others; the first one found after the cursor is where
/// the cursor goes while the query is being typed.
pub fn progressed(app: &mut App, p: SearchProgress) {
    let s = &mut app.reader.search;
    if p.generation != s.generation {
        return;
    }
    s.matches.extend(p.new);
    s.count = p.count;
    s.progress = p.progress;
    s.done = p.done;
    if s.current.is_none() && !s.matches.is_empty() {
        let line = app.reader.line_of_row(app.reader.cursor);
        // The first match at or after the cursor's line, once the scan has passed it.
        let found = search::next_match(&app.reader.search.matches, line, 0)
            .filter(|&i| app.reader.search.matches[i].line >= line || p.done);
        if let Some(i) = found {
            go_to(app, i);
        }
    }
}

/// `n` / `N`: the next / previous match from the current one (or from the cursor), wrapping.
pub fn step(app: &mut App, forward: bool) {
    let s = &app.reader.search;
    if s.query.is_none() {
        app.notice = Some(Notice::Error(format!(
            "No search: {} searches the body",
            app.keymap.key(
                crate::app::keymap::Scope::Body,
                crate::app::keymap::Action::Search
            )
        )));
        return;
    }
    let cursor_line = app.reader.line_of_row(app.reader.cursor);
    // From the current match while the cursor is on its line; else from the cursor's line.
    let current = s
        .current
        .and_then(|i| s.matches.get(i))
        .filter(|m| m.line == cursor_line);
    let i = match (forward, current) {
        (true, Some(m)) => search::next_match(&s.matches, m.line, m.start + 1),
        (true, None) => search::next_match(&s.matches, cursor_line, 0),
        (false, Some(m)) => search::prev_match(&s.matches, m.line, m.start),
        (false, None) => search::prev_match(&s.matches, cursor_line, 0),
    };
    match i {
        Some(i) => go_to(app, i),
        None => {
            app.notice = Some(Notice::Error(if s.done {
                format!("No match for {}", s.text)
            } else {
                "No match yet: still searching".to_string()
            }))
        }
    }
}

/// The cursor goes to match `i` (to the fold hiding it, if one does).
fn go_to(app: &mut App, i: usize) {
    let Some(m) = app.reader.search.matches.get(i).copied() else {
        return;
    };
    app.reader.search.current = Some(i);
    app.reader.cursor = app.reader.rows.row_of_line(m.line);
    view::clamp_scroll(app);
    reader::keep_cursor_visible(app);
    // A match far to the right scrolls the view sideways to it.
    if !app.reader.wrap
        && crate::app::spilled::shown(app).is_none()
        && let Some(doc) = reader::shown_doc(app)
        && m.line < doc.line_count()
    {
        let column = unicode_width::UnicodeWidthStr::width(&doc.line(m.line)[..m.start]);
        let width = usize::from(app.hits.response_columns).max(1);
        if column < app.scroll.left || column >= app.scroll.left + width {
            app.scroll.left = column.saturating_sub(width / 2);
        }
    }
}

/// Whether the search's matches are of `doc` (else they are being found again).
pub fn is_of(app: &App, doc: &Document) -> bool {
    app.reader.search.doc == std::ptr::from_ref(doc) as usize
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
