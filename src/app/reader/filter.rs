//! `|` (or `f`) in the Body tab: a jq filter — or, with a leading `$`, a JSONPath — over the
//! shown body. Its result replaces the body as you type: each change asks for a run after a short
//! pause ([`TYPING_PAUSE`]), and a change before that run starts cancels it; a result that comes
//! back for an older text is dropped (its generation). A filter that does not compile, or fails
//! on the body, keeps the last good result on screen and says why, with the position.
//!
//! The filter belongs to the exchange it was typed on ([`BodyFilter`]), and to the editor's
//! request (`view.filter`, saved with it): a request sent with a filter shows its response
//! filtered. It runs on the body as shown (secrets redacted unless revealed; every page once
//! pages are merged), so it is run again whenever that document is prepared again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, reader};
use crate::highlight::Document;
use crate::http::job::RequestId;

/// How long typing must pause before the filter runs.
pub const TYPING_PAUSE: Duration = Duration::from_millis(150);

/// An exchange's filter: the text, the last good result, and the run under way.
#[derive(Debug, Clone, Default)]
pub struct BodyFilter {
    /// The filter as typed (blank: no filter, the whole body shows).
    pub text: String,
    /// Counts the changes of `text`: a result for an older one is stale.
    pub generation: u64,
    /// Set to stop the run asked for last (the text changed before it started).
    pub cancel: Arc<AtomicBool>,
    /// A run is asked for and has not come back.
    pub running: bool,
    /// The document the last run was asked on: when the shown body is prepared again (secrets
    /// revealed, pages merged), the filter runs again.
    pub source: Option<Arc<Document>>,
    /// The last good result, shown instead of the body.
    pub result: Option<Filtered>,
    /// Why the current text has no result (the last good one stays on screen).
    pub problem: Option<FilterProblem>,
}

/// What a filter made of a body: its outputs as a document of their own.
#[derive(Debug, Clone)]
pub struct Filtered {
    /// The filter text it came from.
    pub text: String,
    pub doc: Arc<Document>,
    /// How many values the filter put out (jq's stream; a JSONPath's nodes).
    pub outputs: usize,
    pub elapsed: Duration,
}

/// Why a filter has no result: the message, and where in the text when it has a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterProblem {
    pub message: String,
    /// In characters of the filter text.
    pub at: Option<usize>,
}

impl BodyFilter {
    /// Whether a filter is in force (a non-blank text).
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty()
    }

    /// The document shown instead of the body, if the filter has a result.
    pub fn shown_doc(&self) -> Option<&Arc<Document>> {
        self.result
            .as_ref()
            .filter(|_| self.is_active())
            .map(|r| &r.doc)
    }

    /// The memory the result holds.
    pub fn memory_bytes(&self) -> usize {
        self.result.as_ref().map_or(0, |r| r.doc.memory_bytes())
    }
}

/// The filter line while it is open: what is typed, and the filter it replaces (what Esc puts
/// back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLine {
    pub input: TextInput,
    pub before: String,
}

/// `|`: opens the filter line on the shown body, with its filter to edit.
pub fn open(app: &mut App) {
    let Some(x) = app.shown_exchange().filter(|x| x.response().is_some()) else {
        app.notice = Some(Notice::Error(
            "Nothing to filter: send a request first".into(),
        ));
        return;
    };
    let before = x
        .filter
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default();
    app.reader.filter_line = Some(FilterLine {
        input: TextInput::single(&before),
        before,
    });
}

/// A key while the filter line is open: Enter keeps the filter, Esc puts back the one there was,
/// anything else edits it (and runs it after a pause). `None`: the line is not open (or Tab
/// closed it, and moves on).
pub fn on_key(app: &mut App, key: KeyEvent) -> Option<Vec<Effect>> {
    let line = app.reader.filter_line.as_mut()?;
    let text = match key.code {
        KeyCode::Enter => {
            app.reader.filter_line = None;
            return Some(Vec::new());
        }
        KeyCode::Esc => {
            let before = line.before.clone();
            app.reader.filter_line = None;
            before
        }
        // Tab moves on, keeping the filter.
        KeyCode::Tab | KeyCode::BackTab => {
            app.reader.filter_line = None;
            return None;
        }
        _ => {
            line.input.handle_key(key);
            line.input.text()
        }
    };
    Some(set_text(app, &text))
}

/// Pasted text goes into the open filter line (on one line).
pub fn paste(app: &mut App, text: &str) -> Option<Vec<Effect>> {
    let line = app.reader.filter_line.as_mut()?;
    line.input.insert_str(&text.replace(['\r', '\n'], " "));
    let text = line.input.text();
    Some(set_text(app, &text))
}

/// The shown exchange's filter becomes `text` (and the editor's request's, so that sending it
/// again filters the new response the same way); the run waits for typing to pause.
fn set_text(app: &mut App, text: &str) -> Vec<Effect> {
    app.editor.view.filter = Some(text.to_string()).filter(|t| !t.trim().is_empty());
    let Some(id) = app.shown else {
        return Vec::new();
    };
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    let filter = x.filter.get_or_insert_with(BodyFilter::default);
    if filter.text == text {
        return Vec::new();
    }
    filter.text = text.to_string();
    filter.cancel.store(true, Ordering::Relaxed);
    filter.generation += 1;
    filter.running = false;
    filter.source = None;
    filter.problem = None;
    if !filter.is_active() {
        // Back to the whole body.
        reader::another_doc(app);
        return Vec::new();
    }
    run_if_needed(app, id, TYPING_PAUSE).into_iter().collect()
}

/// The run exchange `id`'s filter needs, if any: its document is ready and the filter has not
/// run on it (it is new, or the document was prepared again). `pause`: how long to wait first.
pub fn run_if_needed(app: &mut App, id: RequestId, pause: Duration) -> Option<Effect> {
    let x = app.history.get_mut(id)?;
    let doc = x.view()?.doc.clone()?;
    let filter = x.filter.as_mut().filter(|f| f.is_active())?;
    if filter.running
        || filter
            .source
            .as_ref()
            .is_some_and(|source| Arc::ptr_eq(source, &doc))
    {
        return None;
    }
    filter.cancel = Arc::new(AtomicBool::new(false));
    filter.running = true;
    filter.source = Some(doc.clone());
    Some(Effect::RunFilter {
        id,
        generation: filter.generation,
        text: filter.text.clone(),
        doc,
        cancel: filter.cancel.clone(),
        pause,
    })
}

/// A filter run came back: shown if it is for the current text.
pub fn done(
    app: &mut App,
    id: RequestId,
    generation: u64,
    result: Result<Filtered, FilterProblem>,
) {
    let Some(filter) = app
        .history
        .get_mut(id)
        .and_then(|x| x.filter.as_mut())
        .filter(|f| f.generation == generation)
    else {
        return;
    };
    filter.running = false;
    match result {
        Ok(filtered) => {
            filter.problem = None;
            filter.result = Some(filtered);
            if app.shown == Some(id) {
                reader::another_doc(app);
            }
        }
        Err(problem) => filter.problem = Some(problem),
    }
}

/// The filter a response to the editor's request starts with (its `view.filter`).
pub fn for_new_exchange(app: &App) -> Option<BodyFilter> {
    let text = app.editor.view.filter.clone()?;
    Some(BodyFilter {
        text,
        ..Default::default()
    })
}
