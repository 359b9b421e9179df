//! What keys do in the request editor: the method selector, the tabs, the Query and Headers
//! tables, the Body and Auth tabs, pasting, and leaving an edit.

use crate::app::editor::{EditorTab, Section};
use crate::app::keymap::Action;
use crate::app::{App, Effect, sending};
use crate::model::settings::AuthChoice;
use crate::model::{KeyValue, Method};

/// A key's action while the editor has the focus.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let e = &mut app.editor;
    match (e.section, action) {
        (_, Action::NextMethod) => e.method = e.method.next(),
        (_, Action::PrevMethod) => e.method = e.method.prev(),
        (_, Action::NextTab) => e.tab = e.tab.step(true),
        (_, Action::PrevTab) => e.tab = e.tab.step(false),
        (_, Action::IdempotencyKey) => idempotency_key(app),
        (_, Action::Indent) => e.indent_body(),
        (_, Action::CycleBodyKind) => {
            e.body_kind = e.body_kind.next();
            e.tab = EditorTab::Body;
            e.body_changed();
        }
        // The method selector: Enter or Space chooses the next method, → moves on to the URL.
        (Section::Method, Action::Select) => e.method = e.method.next(),
        (_, Action::NameMethod) => ask_method(app),
        (Section::Method, Action::Right | Action::Down) => e.section = Section::Url,
        (Section::Url, Action::Up) => e.section = Section::Method,
        (Section::Url, Action::Down) => e.section = Section::Content,
        (Section::Content, _) if e.tab == EditorTab::Auth => auth_action(app, action),
        (Section::Content, _) => content_action(app, action),
        _ => {}
    }
    Vec::new()
}

/// `c` in the method selector: ask for a method by name.
pub fn ask_method(app: &mut App) {
    let current = app.editor.method;
    app.overlay = Some(crate::app::Overlay::Prompt {
        purpose: crate::app::PromptPurpose::Method,
        input: crate::app::text::TextInput::single(current.as_str()),
    });
}

/// The method asked for by name: any token (`PURGE`, `QUERY`); one of the seven in any case is
/// that one. Anything else keeps the method and says why.
pub fn name_method(app: &mut App, name: &str) {
    match Method::named(name) {
        Some(method) => app.editor.method = method,
        None => {
            app.notice = Some(crate::app::Notice::Error(format!(
                "`{name}` is not a method name: letters, digits and !#$%&'*+-.^_`|~, at most {} \
                 (RFC 9110 §9.1); the method stays {}",
                crate::model::Token::MAX,
                app.editor.method
            )))
        }
    }
}

/// Ctrl+R (or Enter in the URL bar): finish any cell edit, then send.
pub fn send(app: &mut App) -> Vec<Effect> {
    commit_cells(app);
    sending::send(app)
}

/// Writes a cell being edited back to its row (the URL follows the Query table), and an
/// ad-hoc auth field being typed to its value.
pub fn commit_cells(app: &mut App) {
    let e = &mut app.editor;
    if e.query.commit_edit() {
        e.sync_url_from_query(false);
    }
    e.headers.commit_edit();
    if e.own_auth.editing.is_some() {
        e.own_auth.select();
    }
}

/// Finishes any cell or body edit before the editor loses the keys, or another place in it is
/// chosen.
pub fn leave_edits(app: &mut App) {
    commit_cells(app);
    app.editor.body_editing = false;
}

/// Esc in the editor: drop a cell edit or stop editing the body. Whether there was one.
pub fn cancel_edit(app: &mut App) -> bool {
    let e = &mut app.editor;
    if let Some(t) = e.table_mut()
        && t.editing.take().is_some()
    {
        if e.tab == EditorTab::Query {
            e.url_changed();
        }
        return true;
    }
    if e.body_editing {
        e.body_editing = false;
        return true;
    }
    e.tab == EditorTab::Auth && e.own_auth.cancel_edit()
}

/// Pasted text goes into the field being edited; on the Body tab it starts an edit.
pub fn paste(app: &mut App, text: &str) {
    let e = &mut app.editor;
    if !e.is_typing() && e.section == Section::Content && e.tab == EditorTab::Body {
        e.body_editing = true;
    }
    e.paste(text);
}

/// `i`: add an `Idempotency-Key` header with a fresh key, or renew the one there.
fn idempotency_key(app: &mut App) {
    let key = app.ids.uuid();
    let e = &mut app.editor;
    let name = crate::http::retry::IDEMPOTENCY_KEY_HEADER;
    let rows = &mut e.headers.rows;
    match rows.iter_mut().find(|r| r.key.eq_ignore_ascii_case(name)) {
        Some(row) => {
            row.value = key;
            row.enabled = true;
        }
        None => rows.push(KeyValue::new(name, key)),
    }
    let at = rows
        .iter()
        .position(|r| r.key.eq_ignore_ascii_case(name))
        .unwrap_or(0);
    e.headers.list.select(at, e.headers.rows.len());
    e.tab = EditorTab::Headers;
}

/// The Auth tab: Enter steps the request's own choice through "inherit", "none" and each
/// profile of its collection; for a request in no collection, through its own credentials'
/// kinds, and edits their fields.
fn auth_action(app: &mut App, action: Action) {
    if app.origin.is_none() {
        own_auth_action(app, action);
        return;
    }
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

/// The Auth tab of a request in no collection: row 0 its kind (Enter: the next), then the
/// fields (Enter: edit; Enter again keeps, Esc drops the edit).
fn own_auth_action(app: &mut App, action: Action) {
    let e = &mut app.editor;
    let own = &mut e.own_auth;
    if own.editing.is_some() {
        if action == Action::Select {
            own.select();
        }
        return;
    }
    let rows = own.rows();
    match action {
        Action::Up | Action::Top | Action::PageUp if own.list.selected == 0 => {
            e.section = Section::Url
        }
        Action::Left => e.tab = e.tab.step(false),
        Action::Right => e.tab = e.tab.step(true),
        Action::Select => own.select(),
        other => {
            own.list.step(other, rows, rows);
        }
    }
}

/// The Query, Headers and Body tabs.
fn content_action(app: &mut App, action: Action) {
    let page = app
        .hits
        .rows_of(crate::app::hits::List::EditorTable)
        .unwrap_or(10);
    let e = &mut app.editor;
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
    let len = t.rows.len();
    let mut changed = false;
    match action {
        Action::Up if t.list.selected == 0 || len == 0 => e.section = Section::Url,
        Action::Left if t.column == 0 => e.tab = e.tab.step(false),
        Action::Left => t.column = 0,
        Action::Right if t.column == 1 || len == 0 => e.tab = e.tab.step(true),
        Action::Right => t.column = 1,
        Action::Select => t.start_edit(),
        Action::AddRow => t.add_row(),
        Action::DeleteRow => changed = t.delete_row(),
        Action::ToggleRow if !is_query => {
            if let Some(row) = t.rows.get_mut(t.list.selected) {
                row.enabled = !row.enabled;
            }
        }
        other => {
            t.list.step(other, len, page);
        }
    }
    if changed && is_query {
        e.sync_url_from_query(false);
    }
}
