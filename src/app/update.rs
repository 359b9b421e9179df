//! `update(app, msg) -> effects`: the only place state changes. No I/O happens here.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use crate::app::editor::{Editor, EditorTab, Section};
use crate::app::exchange::{BodyView, CHUNK_LINES, Exchange, ExchangeState};
use crate::app::keymap::{Action, Scope};
use crate::app::msg::{DocKind, SaveOutcome};
use crate::app::text::TextInput;
use crate::app::{
    App, ConfirmPurpose, Effect, Msg, Notice, Overlay, Pane, ResponseTab, Scroll, collections,
    files, paging, sending,
};
use crate::history::{HistoryRecord, Loaded, StoredOutcome, next_id, now_ms};
use crate::http::HttpError;
use crate::http::filename::suggested_filename;
use crate::http::paginate::Load;
use crate::http::worker::{HttpEvent, RequestId};
use crate::model::settings::AuthChoice;
use crate::model::{KeyValue, Redactor};
use crate::ui::layout::{Areas, EDITOR_HEADER_ROWS, inner};
use crate::ui::tab_at;

/// Lines the wheel scrolls per notch.
const WHEEL_LINES: usize = 3;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    app.now = Instant::now();
    app.wall = std::time::SystemTime::now();
    let mut effects = match msg {
        Msg::Started => started(app),
        Msg::DirListed { dir, result } => {
            files::listed(app, dir, result);
            Vec::new()
        }
        Msg::CollectionsLoaded(files) => collections::loaded(app, files),
        Msg::CollectionWritten {
            path,
            result,
            select,
            done,
        } => collections::written(app, path, result, select, done),
        Msg::HistoryLoaded(result) => history_loaded(app, result),
        Msg::FileChanged(path) => vec![Effect::ReloadFile(path)],
        Msg::FileReloaded(file) => collections::reloaded(app, *file),
        Msg::Problem(text) => {
            app.notice = Some(Notice::Error(text));
            Vec::new()
        }
        Msg::Key(key) => on_key(app, key),
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            clamp_scroll(app);
            Vec::new()
        }
        Msg::Tick => {
            app.spinner = app.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Http(event) => on_http(app, event),
        Msg::BodyPrepared {
            id,
            kind,
            doc,
            revealed,
        } => {
            let x = app.history.get_mut(id);
            // Once several pages are merged, the first page's own documents are not shown.
            let replaced = x
                .as_ref()
                .and_then(|x| x.paging.as_ref())
                .is_some_and(|p| match kind {
                    DocKind::Pretty => p.pages.len() > 1,
                    DocKind::Raw => p.raw_page > 0,
                });
            if let Some(view) = x
                .and_then(Exchange::view_mut)
                .filter(|v| v.revealed == revealed && !replaced)
            {
                match kind {
                    DocKind::Pretty => view.doc = Some(doc),
                    DocKind::Raw => view.raw = Some(doc),
                }
            }
            clamp_scroll(app);
            Vec::new()
        }
        Msg::Highlighted {
            id,
            chunk,
            lines,
            doc,
        } => {
            // Lines of a document since replaced (a newer merge of pages) are stale.
            if let Some(view) = app
                .history
                .get_mut(id)
                .and_then(Exchange::view_mut)
                .filter(|v| v.doc.as_ref().is_some_and(|d| Arc::ptr_eq(d, &doc)))
            {
                view.store(chunk, lines);
            }
            Vec::new()
        }
        Msg::PagingDetected { id, found } => paging::detected(app, id, found.map(|b| *b)),
        Msg::PagesMerged {
            id,
            generation,
            doc,
            revealed,
        } => {
            paging::merged(app, id, generation, doc, revealed);
            clamp_scroll(app);
            Vec::new()
        }
        Msg::PageRawPrepared {
            id,
            page,
            doc,
            revealed,
        } => {
            paging::page_raw_prepared(app, id, page, doc, revealed);
            Vec::new()
        }
        Msg::Saved { id, path, outcome } => on_saved(app, id, path, outcome),
    };
    effects.extend(wanted_work(app));
    effects
}

/// After the first frame: load collections and the history in the background.
fn started(app: &mut App) -> Vec<Effect> {
    app.tree.loading = true;
    let mut effects = vec![Effect::LoadCollections {
        path: app.collections_path.clone(),
        injected: app.injected.clone(),
    }];
    if let Some(path) = &app.history_path {
        effects.push(Effect::LoadHistory { path: path.clone() });
    }
    effects
}

/// Stored exchanges become history entries (older than anything sent in this run).
fn history_loaded(app: &mut App, result: Result<Loaded, String>) -> Vec<Effect> {
    let loaded = match result {
        Ok(l) => l,
        Err(e) => {
            app.notice = Some(Notice::Error(format!("History not loaded: {e}")));
            return Vec::new();
        }
    };
    if !loaded.skipped.is_empty() {
        app.notice = Some(Notice::Error(format!(
            "History: {} unreadable line(s) skipped ({})",
            loaded.skipped.len(),
            loaded.skipped[0]
        )));
    }
    let mut restored = Vec::new();
    for record in loaded.records {
        app.last_history_id = app.last_history_id.max(record.id);
        let spec = record.request_spec();
        let state = match &record.outcome {
            StoredOutcome::Response { .. } => match record.response_data() {
                Some(response) => ExchangeState::Done {
                    response: Box::new(response),
                    view: Box::new(BodyView {
                        note: record.response_body().and_then(|b| b.truncation_note()),
                        ..Default::default()
                    }),
                },
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
fn persist(app: &mut App, id: RequestId) -> Option<Effect> {
    let path = app.history_path.clone()?;
    let x = app.history.get(id)?;
    if x.from_store {
        return None;
    }
    let outcome = x.outcome()?;
    let record_id = next_id(app.last_history_id, now_ms());
    let record = HistoryRecord::from_exchange(
        record_id,
        x.sent_at_ms,
        &x.spec,
        outcome,
        &Redactor::new(x.secret_values()),
    );
    app.last_history_id = record_id;
    Some(Effect::AppendHistory {
        path,
        record: Box::new(record),
    })
}

// ---------------------------------------------------------------- keys

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(app);
    }
    if app.overlay.is_some() {
        return on_overlay_key(app, key);
    }
    if let Some(effects) = on_filter_key(app, key) {
        return effects;
    }
    let scopes = scopes(app);
    if let Some(action) = app.keymap.lookup(&scopes, &key) {
        // While typing the body, Tab indents rather than leaving the pane.
        let body_tab = scopes.contains(&Scope::BodyText)
            && matches!(action, Action::NextPane)
            && key.code == KeyCode::Tab;
        if !body_tab {
            return act(app, action);
        }
    }
    if app.focus == Pane::Editor && app.editor.is_typing() {
        app.editor.type_key(key);
    }
    Vec::new()
}

/// The keymap scopes in force, most specific first.
pub fn scopes(app: &App) -> Vec<Scope> {
    let mut s = vec![Scope::Typing];
    match app.focus {
        Pane::Editor => {
            let e = &app.editor;
            match e.section {
                Section::Url => s.push(Scope::Url),
                Section::Method => s.push(Scope::Editor),
                Section::Content => match e.tab {
                    EditorTab::Body if e.body_editing => s.push(Scope::BodyText),
                    EditorTab::Body | EditorTab::Auth => s.push(Scope::Editor),
                    _ if e.table().is_some_and(|t| t.editing.is_some()) => s.push(Scope::Cell),
                    _ => {
                        s.push(Scope::Table);
                        s.push(Scope::Editor);
                    }
                },
            }
        }
        Pane::Response => s.push(Scope::Response),
        Pane::History => s.push(Scope::History),
        Pane::Collections => s.push(Scope::Collections),
    }
    if !(app.focus == Pane::Editor && app.editor.is_typing()) {
        s.push(Scope::Global);
    }
    s
}

fn quit(app: &mut App) -> Vec<Effect> {
    app.should_quit = true;
    vec![Effect::Quit]
}

fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit if app.is_dirty() => {
            app.overlay = Some(Overlay::Confirm {
                purpose: ConfirmPurpose::QuitUnsaved,
            })
        }
        Action::Quit => return quit(app),
        Action::Send => return send(app),
        Action::Save => return collections::save(app),
        Action::ToggleResolved => app.show_resolved = !app.show_resolved,
        Action::Cancel => return cancel(app),
        Action::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::NextPane | Action::PrevPane => {
            leave_edits(app);
            app.focus = app.focus.step(action == Action::NextPane);
            // Arriving in the history shows the selected entry, as moving in it does.
            if app.focus == Pane::History
                && let Some(id) = app.history.selected().map(|x| x.id)
            {
                show(app, id);
            }
        }
        Action::SaveBody => open_save_prompt(app),
        Action::RevealSecrets => {
            app.reveal = !app.reveal;
            app.notice = Some(Notice::Info(if app.reveal {
                "Secrets are shown on screen (never on disk); R hides them again".into()
            } else {
                "Secrets are hidden on screen".into()
            }));
        }
        Action::PickFile => return files::open(app),
        Action::Restore => restore_selected(app),
        _ => match app.focus {
            Pane::Editor => editor_action(app, action),
            Pane::Response => return response_action(app, action),
            Pane::History => history_action(app, action),
            Pane::Collections => return collections::tree_action(app, action),
        },
    }
    Vec::new()
}

/// Finishes any cell or body edit before the editor loses the keys.
fn leave_edits(app: &mut App) {
    let e = &mut app.editor;
    if e.query.commit_edit() {
        e.sync_url_from_query(false);
    }
    e.headers.commit_edit();
    e.body_editing = false;
}

fn send(app: &mut App) -> Vec<Effect> {
    let e = &mut app.editor;
    if e.query.editing.is_some() && e.query.commit_edit() {
        e.sync_url_from_query(false);
    }
    e.headers.commit_edit();
    sending::send(app)
}

/// Esc: close an edit if one is open, else cancel the shown request if it is in flight.
fn cancel(app: &mut App) -> Vec<Effect> {
    if app.focus == Pane::Editor {
        let e = &mut app.editor;
        if let Some(t) = e.table_mut()
            && t.editing.take().is_some()
        {
            if e.tab == EditorTab::Query {
                e.url_changed();
            }
            return Vec::new();
        }
        if e.body_editing {
            e.body_editing = false;
            return Vec::new();
        }
    }
    if let Some(effects) = paging::stop(app) {
        return effects;
    }
    let target = app
        .shown_exchange()
        .filter(|x| x.is_loading())
        .map(|x| x.id)
        .or_else(|| {
            app.history
                .newest_first()
                .find(|x| x.is_loading())
                .map(|x| x.id)
        });
    let Some(id) = target else {
        return Vec::new();
    };
    if let Some(x) = app.history.get_mut(id) {
        x.state = ExchangeState::Cancelled {
            after: app.now.saturating_duration_since(x.started),
        };
    }
    let mut effects = vec![Effect::Cancel(id)];
    effects.extend(persist(app, id));
    effects
}

fn show(app: &mut App, id: RequestId) {
    if app.shown != Some(id) {
        app.shown = Some(id);
        app.scroll = Scroll::default();
    }
}

fn editor_action(app: &mut App, action: Action) {
    let e = &mut app.editor;
    match (e.section, action) {
        (_, Action::NextMethod) => e.method = e.method.next(),
        (_, Action::PrevMethod) => e.method = e.method.prev(),
        (_, Action::NextTab) => e.tab = e.tab.step(true),
        (_, Action::PrevTab) => e.tab = e.tab.step(false),
        (_, Action::IdempotencyKey) => {
            let key = crate::http::retry::idempotency_key();
            let name = crate::http::retry::IDEMPOTENCY_KEY_HEADER;
            let rows = &mut e.headers.rows;
            match rows.iter_mut().find(|r| r.key.eq_ignore_ascii_case(name)) {
                Some(row) => {
                    row.value = key;
                    row.enabled = true;
                }
                None => rows.push(KeyValue::new(name, key)),
            }
            e.headers.selected = rows
                .iter()
                .position(|r| r.key.eq_ignore_ascii_case(name))
                .unwrap_or(0);
            e.tab = EditorTab::Headers;
        }
        (_, Action::CycleBodyKind) => {
            e.body_kind = e.body_kind.next();
            e.tab = EditorTab::Body;
            e.body_changed();
        }
        (Section::Method, Action::Left) => e.method = e.method.prev(),
        (Section::Method, Action::Right | Action::Select) => e.method = e.method.next(),
        (Section::Method, Action::Down) => e.section = Section::Url,
        (Section::Url, Action::Up) => e.section = Section::Method,
        (Section::Url, Action::Down) => e.section = Section::Content,
        (Section::Content, _) if e.tab == EditorTab::Auth => auth_action(app, action),
        (Section::Content, _) => content_action(e, action),
        _ => {}
    }
}

/// The Auth tab: Enter steps the request's own choice through "inherit", "none" and each
/// profile of its collection.
fn auth_action(app: &mut App, action: Action) {
    let e = &mut app.editor;
    match action {
        Action::Up | Action::Top | Action::PageUp => e.section = Section::Url,
        Action::Left => e.tab = e.tab.step(false),
        Action::Right => e.tab = e.tab.step(true),
        Action::Select => {
            let mut choices: Vec<Option<AuthChoice>> = vec![None, Some(AuthChoice::None)];
            if let Some(c) = app.scope_file().and_then(|f| app.tree.collection(f)) {
                choices.extend(
                    c.auth
                        .iter()
                        .map(|(name, _)| Some(AuthChoice::Profile(name.clone()))),
                );
            }
            let e = &mut app.editor;
            let at = choices.iter().position(|c| *c == e.auth).unwrap_or(0);
            e.auth = choices[(at + 1) % choices.len()].clone();
        }
        _ => {}
    }
}

fn content_action(e: &mut Editor, action: Action) {
    let is_query = e.tab == EditorTab::Query;
    if e.tab == EditorTab::Body {
        match action {
            Action::Up | Action::Top | Action::PageUp => e.section = Section::Url,
            Action::Select => e.body_editing = true,
            Action::Left => e.tab = e.tab.step(false),
            Action::Right => e.tab = e.tab.step(true),
            _ => {}
        }
        return;
    }
    let Some(t) = e.table_mut() else { return };
    if t.editing.is_some() {
        // Enter in a cell: keep it, then move on to the value (or finish the row).
        if action == Action::Select {
            t.commit_edit();
            if t.column == 0 {
                t.column = 1;
                t.start_edit();
            }
            if is_query {
                e.sync_url_from_query(true);
            }
        }
        return;
    }
    let mut changed = false;
    match action {
        Action::Up if t.selected == 0 || t.rows.is_empty() => e.section = Section::Url,
        Action::Up => t.move_by(-1),
        Action::Down => t.move_by(1),
        Action::PageUp => t.move_by(-10),
        Action::PageDown => t.move_by(10),
        Action::Top => t.selected = 0,
        Action::Bottom => t.selected = t.rows.len().saturating_sub(1),
        Action::Left if t.column == 0 => e.tab = e.tab.step(false),
        Action::Left => t.column = 0,
        Action::Right if t.column == 1 || t.rows.is_empty() => e.tab = e.tab.step(true),
        Action::Right => t.column = 1,
        Action::Select => t.start_edit(),
        Action::AddRow => t.add_row(),
        Action::DeleteRow => changed = t.delete_row(),
        Action::ToggleRow if !is_query => {
            if let Some(row) = t.rows.get_mut(t.selected) {
                row.enabled = !row.enabled;
            }
        }
        _ => {}
    }
    if changed && is_query {
        e.sync_url_from_query(false);
    }
}

fn response_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = viewport_height(app).max(1);
    match action {
        Action::LoadMore => return paging::load(app, Load::One),
        Action::LoadAll => return paging::load(app, Load::All),
        Action::Select => return paging::open_selected(app),
        _ => {}
    }
    let step = match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-(page as isize)),
        Action::PageDown => Some(page as isize),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    };
    if let Some(step) = step
        && paging::select(app, step)
    {
        return Vec::new();
    }
    let s = &mut app.scroll;
    match action {
        Action::Up => s.top = s.top.saturating_sub(1),
        Action::Down => s.top += 1,
        Action::PageUp => s.top = s.top.saturating_sub(page),
        Action::PageDown => s.top += page,
        Action::Top => s.top = 0,
        Action::Bottom => s.top = usize::MAX,
        Action::Left => s.left = s.left.saturating_sub(8),
        Action::Right => s.left += 8,
        Action::NextTab | Action::PrevTab => {
            app.response_tab = app
                .response_tab
                .step(action == Action::NextTab, app.shown_pages());
            app.scroll = Scroll::default();
        }
        _ => {}
    }
    clamp_scroll(app);
    Vec::new()
}

fn history_action(app: &mut App, action: Action) {
    if action == Action::Filter {
        app.history.filtering = Some(TextInput::single(&app.history.filter));
        return;
    }
    let len = app.history.visible().len();
    if len == 0 {
        return;
    }
    let h = &mut app.history;
    h.selected = match action {
        Action::Up => h.selected.saturating_sub(1),
        Action::Down => (h.selected + 1).min(len - 1),
        Action::PageUp => h.selected.saturating_sub(10),
        Action::PageDown => (h.selected + 10).min(len - 1),
        Action::Top => 0,
        Action::Bottom => len - 1,
        _ => h.selected,
    };
    if let Some(id) = app.history.selected().map(|x| x.id) {
        show(app, id);
    }
}

fn restore_selected(app: &mut App) {
    let spec = match app.focus {
        Pane::History => app.history.selected().map(|x| x.spec.clone()),
        _ => app.shown_exchange().map(|x| x.spec.clone()),
    };
    if let Some(spec) = spec {
        app.editor = Editor::from_spec(&spec);
        app.focus = Pane::Editor;
        app.notice = Some(Notice::Info(format!(
            "Loaded {} {} into the editor",
            spec.method, spec.url
        )));
    }
}

// ---------------------------------------------------------------- overlays and saving

fn on_overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    match overlay {
        Overlay::Help { scroll } => {
            let action = app.keymap.lookup(&[Scope::Global], &key);
            app.overlay = match (key.code, action) {
                (KeyCode::Esc, _) | (_, Some(Action::Help | Action::Quit)) => None,
                (_, Some(Action::Down)) => Some(Overlay::Help { scroll: scroll + 1 }),
                (_, Some(Action::Up)) => Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                _ => Some(Overlay::Help { scroll }),
            };
        }
        Overlay::SavePath { mut input, id } => match key.code {
            KeyCode::Esc => app.notice = Some(Notice::Info("Not saved".into())),
            KeyCode::Enter => {
                let name = input.text();
                let name = name.trim();
                if name.is_empty() {
                    app.overlay = Some(Overlay::SavePath { input, id });
                } else {
                    let path = app.work_dir.join(name);
                    return save_effect(app, id, path, false);
                }
            }
            _ => {
                input.handle_key(key);
                app.overlay = Some(Overlay::SavePath { input, id });
            }
        },
        Overlay::ConfirmOverwrite { path, id } => match key.code {
            KeyCode::Char('y' | 'Y') => return save_effect(app, id, path, true),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                app.notice = Some(Notice::Info(format!(
                    "Not saved: {} was left as it was",
                    path.display()
                )));
            }
            _ => app.overlay = Some(Overlay::ConfirmOverwrite { path, id }),
        },
        Overlay::Prompt { purpose, mut input } => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => return collections::prompt_answered(app, purpose, &input.text()),
            _ => {
                input.handle_key(key);
                app.overlay = Some(Overlay::Prompt { purpose, input });
            }
        },
        Overlay::Confirm { purpose } => match key.code {
            KeyCode::Char('y' | 'Y') => return collections::confirmed(app, purpose),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => {}
            _ => app.overlay = Some(Overlay::Confirm { purpose }),
        },
        Overlay::Conflict { path, id } => match key.code {
            KeyCode::Char('k' | 'K') => collections::resolve_conflict(app, path, &id, true),
            KeyCode::Char('t' | 'T') => collections::resolve_conflict(app, path, &id, false),
            _ => app.overlay = Some(Overlay::Conflict { path, id }),
        },
        Overlay::FilePicker(picker) => return files::on_key(app, picker, key),
        Overlay::Environments { file, selected } => {
            let count = app
                .tree
                .collection(file)
                .map_or(0, |c| c.environments.len() + 1);
            let action = app.keymap.lookup(&[Scope::Global], &key);
            match (key.code, action) {
                (KeyCode::Esc, _) => {}
                (KeyCode::Enter, _) => collections::choose_environment(app, file, selected),
                (_, Some(Action::Down)) => {
                    app.overlay = Some(Overlay::Environments {
                        file,
                        selected: (selected + 1).min(count.saturating_sub(1)),
                    })
                }
                (_, Some(Action::Up)) => {
                    app.overlay = Some(Overlay::Environments {
                        file,
                        selected: selected.saturating_sub(1),
                    })
                }
                _ => app.overlay = Some(Overlay::Environments { file, selected }),
            }
        }
    }
    Vec::new()
}

/// While a filter (tree or history) is being typed, it takes the keys: Enter keeps it, Esc
/// clears it. `None` when no filter is being typed.
fn on_filter_key(app: &mut App, key: KeyEvent) -> Option<Vec<Effect>> {
    let input = match app.focus {
        Pane::Collections => app.tree.filtering.as_mut()?,
        Pane::History => app.history.filtering.as_mut()?,
        _ => return None,
    };
    match key.code {
        KeyCode::Enter => {
            let text = input.text();
            match app.focus {
                Pane::Collections => {
                    app.tree.filter = text;
                    app.tree.filtering = None;
                    app.tree.selected = 0;
                }
                _ => {
                    app.history.filter = text;
                    app.history.filtering = None;
                    app.history.selected = 0;
                }
            }
        }
        KeyCode::Esc => match app.focus {
            Pane::Collections => {
                app.tree.filter.clear();
                app.tree.filtering = None;
            }
            _ => {
                app.history.filter.clear();
                app.history.filtering = None;
            }
        },
        KeyCode::Tab | KeyCode::BackTab => return None,
        _ => {
            input.handle_key(key);
            match app.focus {
                Pane::Collections => app.tree.selected = 0,
                _ => app.history.selected = 0,
            }
        }
    }
    Some(Vec::new())
}

fn open_save_prompt(app: &mut App) {
    let Some(x) = app.shown_exchange() else {
        app.notice = Some(Notice::Error(
            "Nothing to save: send a request first".into(),
        ));
        return;
    };
    let Some(response) = x.response() else {
        app.notice = Some(Notice::Error(
            "Nothing to save: this request has no response body".into(),
        ));
        return;
    };
    let name = suggested_filename(
        response.header("content-disposition"),
        &response.url,
        response.content_type(),
    );
    app.overlay = Some(Overlay::SavePath {
        input: TextInput::single(&name),
        id: x.id,
    });
}

fn save_effect(app: &mut App, id: RequestId, path: PathBuf, overwrite: bool) -> Vec<Effect> {
    let Some(x) = app.history.get(id) else {
        return Vec::new();
    };
    // An export shows secrets only when the user revealed them on screen.
    let secrets = x.secrets_for(app.reveal);
    match x.response() {
        Some(response) => vec![Effect::SaveBody {
            id,
            path,
            body: response.body.clone(),
            secrets,
            overwrite,
        }],
        None => Vec::new(),
    }
}

fn on_saved(app: &mut App, id: RequestId, path: PathBuf, outcome: SaveOutcome) -> Vec<Effect> {
    match outcome {
        SaveOutcome::Written(n) => {
            app.notice = Some(Notice::Info(format!(
                "Saved {} to {}",
                crate::model::human_size(n),
                path.display()
            )))
        }
        SaveOutcome::Exists => app.overlay = Some(Overlay::ConfirmOverwrite { path, id }),
        SaveOutcome::Failed(e) => {
            app.notice = Some(Notice::Error(format!(
                "Could not save to {}: {e}",
                path.display()
            )))
        }
    }
    Vec::new()
}

fn on_paste(app: &mut App, text: &str) {
    match &mut app.overlay {
        Some(Overlay::SavePath { input, .. }) => input.insert_str(text),
        Some(_) => {}
        None if app.focus == Pane::Editor => {
            let e = &mut app.editor;
            if !e.is_typing() && e.section == Section::Content && e.tab == EditorTab::Body {
                e.body_editing = true;
            }
            e.paste(text);
        }
        None => {}
    }
}

// ---------------------------------------------------------------- mouse

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Vec<Effect> {
    if app.overlay.is_some() {
        return Vec::new();
    }
    let areas = Areas::new(Rect::new(0, 0, app.size.0, app.size.1));
    let Some(pane) = areas.pane_at(mouse.column, mouse.row) else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if app.focus != pane {
                leave_edits(app);
            }
            app.focus = pane;
            click(app, pane, areas.of(pane), mouse.column, mouse.row);
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = mouse.kind == MouseEventKind::ScrollDown;
            match pane {
                Pane::Response => {
                    app.scroll.top = if down {
                        app.scroll.top + WHEEL_LINES
                    } else {
                        app.scroll.top.saturating_sub(WHEEL_LINES)
                    };
                    clamp_scroll(app);
                }
                Pane::History => history_action(app, if down { Action::Down } else { Action::Up }),
                Pane::Collections => {
                    collections::tree_action(app, if down { Action::Down } else { Action::Up });
                }
                Pane::Editor => {}
            }
        }
        _ => {}
    }
    Vec::new()
}

fn click(app: &mut App, pane: Pane, area: Rect, column: u16, row: u16) {
    let inside = inner(area);
    if row < inside.y || row >= inside.bottom() {
        return;
    }
    let line = (row - inside.y) as usize;
    match pane {
        Pane::Editor => {
            leave_edits(app);
            let e2 = &mut app.editor;
            match line {
                0 => {
                    // The method badge is the first few cells; the rest is the URL bar.
                    e2.section = if column < inside.x + 9 {
                        Section::Method
                    } else {
                        Section::Url
                    };
                }
                1 => {
                    let labels = crate::ui::editor::tab_labels(app);
                    let e2 = &mut app.editor;
                    e2.section = Section::Content;
                    if let Some(i) = tab_at(&labels, column.saturating_sub(inside.x)) {
                        e2.tab = EditorTab::ALL[i];
                    }
                }
                n => {
                    e2.section = Section::Content;
                    let row_index = n - EDITOR_HEADER_ROWS as usize;
                    if let Some(t) = e2.table_mut() {
                        // One header row sits above the table rows.
                        if row_index >= 1 && row_index - 1 < t.rows.len() {
                            t.selected = row_index - 1;
                        }
                    }
                }
            }
        }
        Pane::Response => {
            let labels = app
                .shown_exchange()
                .and_then(|x| Some(crate::ui::response::tab_labels(x, x.response()?)));
            if line == 1
                && let Some(i) = labels.and_then(|l| tab_at(&l, column.saturating_sub(inside.x)))
            {
                app.response_tab = ResponseTab::offered(app.shown_pages())[i];
                app.scroll = Scroll::default();
            }
        }
        Pane::History => {
            if line < app.history.len() {
                app.history.selected = line;
                if let Some(id) = app.history.selected().map(|x| x.id) {
                    show(app, id);
                }
            }
        }
        Pane::Collections => {
            if line < app.tree.rows().len() {
                app.tree.selected = line;
            }
        }
    }
}

// ---------------------------------------------------------------- worker results

fn on_http(app: &mut App, event: HttpEvent) -> Vec<Effect> {
    match event {
        HttpEvent::Progress {
            id,
            received,
            total,
        } => {
            if let Some(x) = app.history.get_mut(id)
                && x.is_loading()
            {
                x.state = ExchangeState::Loading { received, total };
            }
            Vec::new()
        }
        HttpEvent::Attempt { id, report } => {
            if let Some(x) = app.history.get_mut(id)
                && x.is_loading()
            {
                x.attempts.push((report, app.now));
            }
            Vec::new()
        }
        HttpEvent::Finished { id, result } => {
            // A result for a cancelled (or unknown) request is stale: drop it.
            let Some(x) = app.history.get_mut(id).filter(|x| x.is_loading()) else {
                return Vec::new();
            };
            let mut effects = Vec::new();
            match result {
                Ok(response) => {
                    // wanted_work prepares the body (redacted unless revealed).
                    x.state = ExchangeState::Done {
                        response,
                        view: Box::default(),
                    };
                }
                Err(err) => x.state = ExchangeState::Failed(err),
            }
            effects.extend(persist(app, id));
            effects.extend(paging::detect_effect(app, id));
            effects
        }
        HttpEvent::Page { id, page, pager } => paging::page(app, id, *page, *pager),
        HttpEvent::PageWaiting { id, for_, why } => {
            paging::waiting(app, id, for_, why);
            Vec::new()
        }
        HttpEvent::PagingDone { id, pager } => paging::done(app, id, *pager),
        HttpEvent::Cookies { jar, cookies } => {
            app.cookies.insert(jar, cookies);
            Vec::new()
        }
        HttpEvent::Tokens(states) => {
            app.tokens = states;
            Vec::new()
        }
    }
}

// ---------------------------------------------------------------- scrolling and highlighting

/// Rows available to the response content (status line and tab bar excluded).
pub fn viewport_height(app: &App) -> usize {
    Areas::new(Rect::new(0, 0, app.size.0, app.size.1))
        .response_content()
        .height as usize
}

/// How many lines the shown tab has, for clamping the scroll.
pub fn content_lines(app: &App) -> usize {
    let Some(x) = app.shown_exchange() else {
        return 0;
    };
    match app.response_tab {
        ResponseTab::Body => x
            .view()
            .and_then(|v| v.doc.as_ref())
            .map_or(0, |d| d.line_count()),
        ResponseTab::Headers => x.response().map_or(0, |r| r.headers.len() + 1),
        ResponseTab::Request => x.spec.summary_lines().len(),
        ResponseTab::Cookies => app.cookies.get(&x.jar).map_or(0, Vec::len) + 1,
        ResponseTab::Pages => x.paging.as_ref().map_or(0, |p| p.pages.len() + 2),
        ResponseTab::Raw => x.raw_response().map_or(0, |r| {
            r.headers.len()
                + 2
                + usize::from(x.paging.is_some())
                + x.view()
                    .and_then(|v| v.raw.as_ref())
                    .map_or(0, |d| d.line_count())
        }),
    }
}

fn clamp_scroll(app: &mut App) {
    let max = content_lines(app).saturating_sub(viewport_height(app));
    app.scroll.top = app.scroll.top.min(max);
}

/// Background work the screen needs: preparing a body shown for the first time (e.g. one from
/// the stored history), and highlighting its visible part (plus a chunk of margin each way).
fn wanted_work(app: &mut App) -> Vec<Effect> {
    let height = viewport_height(app);
    let top = app.scroll.top;
    let body_tab = app.response_tab == ResponseTab::Body;
    let Some(id) = app.shown else {
        return Vec::new();
    };
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    let reveal = app.reveal;
    // This runs after every message: the secret list is built only when a body is prepared.
    let preparing = matches!(&x.state, ExchangeState::Done { view, .. }
        if view.revealed != reveal || (view.doc.is_none() && !view.preparing));
    let secrets = if preparing {
        x.secrets_for(reveal)
    } else {
        Vec::new()
    };
    let ExchangeState::Done { response, view } = &mut x.state else {
        return Vec::new();
    };
    if view.revealed != reveal {
        // Secrets were revealed or hidden since this body was prepared: prepare it again.
        **view = BodyView {
            revealed: reveal,
            note: view.note.take(),
            ..Default::default()
        };
        if let Some(p) = x.paging.as_mut() {
            // The merged list is prepared again too (the first page's body is not shown).
            p.merge_dirty = p.pages.len() > 1;
            p.raw_page = 0;
        }
    }
    let Some(doc) = view.doc.clone() else {
        if view.preparing {
            return Vec::new();
        }
        view.preparing = true;
        let mut effects = vec![Effect::PrepareBody {
            id,
            body: response.body.clone(),
            content_type: response.content_type().map(str::to_string),
            secrets,
            revealed: reveal,
        }];
        effects.extend(paging::merge(app, id));
        return effects;
    };
    if !body_tab {
        return Vec::new();
    }
    let range = top.saturating_sub(CHUNK_LINES / 2)..top + height + CHUNK_LINES / 2;
    view.claim_missing(range)
        .into_iter()
        .map(|chunk| Effect::Highlight {
            id,
            chunk,
            doc: doc.clone(),
        })
        .collect()
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
