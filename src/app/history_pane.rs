//! The history pane and the exchanges it lists: moving through them (each shows in the response
//! pane), putting one back into the editor, the stored history arriving at start, each finished
//! exchange going to the history file, and the memory budget that lets old bodies go.

use crate::app::editor::Editor;
use crate::app::exchange::{BodyView, Exchange, ExchangeState};
use crate::app::hits::List;
use crate::app::keymap::{Action, Scope};
use crate::app::text::TextInput;
use crate::app::{App, ConfirmPurpose, Effect, Notice, Overlay, Pane, view};
use crate::history::{HistoryRecord, Loaded, MAX_RECORDS, StoredOutcome, next_id};
use crate::http::HttpError;
use crate::http::job::RequestId;
use crate::model::{Redactor, counted};

/// The most memory the exchanges of a session keep in full (bodies, their prepared documents,
/// highlighting and pages). Past it, the oldest exchanges keep only what the history file keeps
/// of them (the first [`crate::history::MAX_BODY_BYTES`] of the body); showing one again
/// prepares it from that. 192 MB leaves room for the one being prepared: 20 responses of 10 MB
/// peak at 260–280 MiB RSS (`cargo bench --bench memory`).
pub const MEMORY_BUDGET: usize = 192 * 1024 * 1024;

/// A key's action while the history pane has the focus.
pub fn action(app: &mut App, action: Action) {
    if action == Action::Filter {
        app.history.filtering = Some(TextInput::single(&app.history.filter));
        return;
    }
    let len = app.history.visible().len();
    let page = app.hits.rows_of(List::History).unwrap_or(10);
    if app.history.list.step(action, len, page) {
        show_selected(app);
    }
}

/// A click on row `index` of the (filtered, newest-first) list.
pub fn select(app: &mut App, index: usize) {
    let len = app.history.visible().len();
    if app.history.list.click(index, len) {
        show_selected(app);
    }
}

/// The response pane shows the selected entry.
pub fn show_selected(app: &mut App) {
    if let Some(id) = app.history.selected().map(|x| x.id) {
        view::show(app, id);
    }
}

/// Enter (or `e`): the selected entry (or, from the response pane, the shown one) goes into the
/// editor as a new, unsaved request, after asking when that would drop unsaved edits.
pub fn restore(app: &mut App) -> Vec<Effect> {
    let id = match app.focus {
        Pane::History => app.history.selected().map(|x| x.id),
        _ => app.shown,
    };
    let Some(id) = id else {
        return Vec::new();
    };
    if app.is_dirty() {
        app.overlay = Some(Overlay::Confirm {
            purpose: ConfirmPurpose::DiscardAndRestore { id },
        });
        return Vec::new();
    }
    restore_now(app, id);
    Vec::new()
}

/// Puts exchange `id`'s request into the editor as a new request: it no longer edits the saved
/// request it may have replaced, so saving asks for a name instead of writing over that one.
pub fn restore_now(app: &mut App, id: RequestId) {
    let Some(spec) = app.history.get(id).map(|x| x.spec.clone()) else {
        return;
    };
    app.editor = Editor::from_spec(&spec);
    app.origin = None;
    app.focus = Pane::Editor;
    app.notice = Some(Notice::Info(format!(
        "Loaded {} {} into the editor as a new request ({} saves it)",
        spec.method,
        spec.url,
        app.keymap.key(Scope::Typing, Action::Save)
    )));
}

/// Stored exchanges become history entries (older than anything sent in this run).
pub fn loaded(app: &mut App, result: Result<Loaded, String>) -> Vec<Effect> {
    let loaded = match result {
        Ok(l) => l,
        Err(e) => {
            app.notice = Some(Notice::Error(format!("History not loaded: {e}")));
            return Vec::new();
        }
    };
    if !loaded.skipped.is_empty() {
        app.notice = Some(Notice::Error(format!(
            "History: {} skipped ({})",
            counted(loaded.skipped.len(), "unreadable line"),
            loaded.skipped[0]
        )));
    }
    let mut restored = Vec::new();
    for record in loaded.records {
        app.last_history_id = app.last_history_id.max(record.id);
        let spec = record.request_spec();
        let state = match &record.outcome {
            StoredOutcome::Response { .. } => match record.response_data() {
                Some(response) => {
                    let truncated = response
                        .stopped_note()
                        .or_else(|| record.response_body().and_then(|b| b.truncation_note()));
                    ExchangeState::Done {
                        response: Box::new(response),
                        view: Box::new(BodyView {
                            truncated,
                            ..Default::default()
                        }),
                    }
                }
                None => continue,
            },
            StoredOutcome::Failed { title, message, .. } => {
                ExchangeState::Failed(HttpError::Other(format!("{title}: {message}")))
            }
            StoredOutcome::Cancelled { after_ms } => ExchangeState::Cancelled {
                after: std::time::Duration::from_millis(*after_ms),
            },
        };
        let id = app.next_id;
        app.next_id += 1;
        restored.push(Exchange {
            sent_at_ms: record.sent_at_ms,
            from_store: true,
            ..Exchange::new(id, spec, state, app.now)
        });
    }
    let newer = std::mem::take(&mut app.history.entries);
    app.history.entries = restored;
    app.history.entries.extend(newer);
    Vec::new()
}

/// The history record of a finished exchange, to append to the history file.
pub fn persist(app: &mut App, id: RequestId) -> Option<Effect> {
    let path = app.history_path.clone()?;
    let x = app.history.get(id)?;
    if x.from_store {
        return None;
    }
    let outcome = x.outcome()?;
    let record_id = next_id(app.last_history_id, crate::model::wall_ms(app.wall));
    let mut record = HistoryRecord::from_exchange(
        record_id,
        x.sent_at_ms,
        &x.spec,
        outcome,
        &Redactor::new(x.secret_values()),
    );
    record.run = x.run.clone();
    app.last_history_id = record_id;
    Some(Effect::AppendHistory {
        path,
        record: Box::new(record),
    })
}

/// Keeps the exchanges within the memory budget ([`MEMORY_BUDGET`] unless set otherwise): the
/// newest keep everything, older ones are cut to what the history file keeps. The exchange on
/// screen, and one still loading pages, are never cut. Like the file, the pane keeps the newest
/// [`MAX_RECORDS`] exchanges: so at most that many bodies of at most
/// [`crate::history::MAX_BODY_BYTES`] outlive the budget.
pub fn keep_within_budget(app: &mut App) {
    let (shown, budget) = (app.shown, app.memory_budget);
    let keep = |x: &Exchange| Some(x.id) == shown || x.is_busy();
    let mut used = 0usize;
    for x in app.history.entries.iter_mut().rev() {
        let size = x.memory_bytes();
        if used.saturating_add(size) > budget && !keep(x) {
            x.keep_only_stored_part();
            used = used.saturating_add(x.memory_bytes());
        } else {
            used = used.saturating_add(size);
        }
    }
    let mut extra = app.history.entries.len().saturating_sub(MAX_RECORDS);
    if extra > 0 {
        app.history.entries.retain(|x| {
            let drop = extra > 0 && !keep(x);
            extra -= usize::from(drop);
            !drop
        });
        let len = app.history.visible().len();
        app.history.list.clamp(len);
    }
}
