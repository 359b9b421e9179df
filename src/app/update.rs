//! `update(app, msg) -> effects`: the only place state changes. No I/O happens here, and nothing
//! is read from the clock: time arrives with the message ([`update_at`]), so the same messages
//! always give the same state.
//!
//! This file routes: messages to the sub-state they concern, keys through the keymap to an
//! action for the focused pane, clicks through the last frame's [`HitMap`]. What each sub-state
//! does lives beside it: [`edit`] (the request editor), [`view`] (the response pane),
//! [`history_pane`], [`collections`] (the tree), [`overlays`], [`sending`], [`paging`], [`files`].

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::app::editor::{EditorTab, Section};
use crate::app::hits::{HitMap, List, Target};
use crate::app::keymap::{Action, Scope};
use crate::app::{
    App, ConfirmPurpose, Effect, Msg, Notice, Overlay, Pane, collections, edit, files,
    history_pane, json_check, overlays, paging, palette, panes, reader, runner, saving, sending,
    spilled, typing, view,
};
use crate::http::job::HttpEvent;
use crate::http::paginate::Load;

/// Lines the wheel scrolls per notch.
const WHEEL_LINES: usize = 3;

/// The clock as a message arrives: the event loop reads it once per message and hands it over,
/// so `update` itself never reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub instant: Instant,
    pub wall: SystemTime,
}

impl Now {
    /// The real clock (the event loop's; tests make their own).
    pub fn real() -> Now {
        Now {
            instant: Instant::now(),
            wall: SystemTime::now(),
        }
    }
}

/// Applies `msg`, which arrived at `now`.
pub fn update_at(app: &mut App, msg: Msg, now: Now) -> Vec<Effect> {
    app.now = now.instant;
    app.wall = now.wall;
    update(app, msg)
}

/// Applies `msg` at the time the app last heard (tests that do not care about the clock).
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let (grows, shown) = (may_grow_memory(&msg), app.shown);
    let mut effects = match msg {
        Msg::Started => started(app),
        Msg::Drawn(hits) => {
            drawn(app, *hits);
            Vec::new()
        }
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
        } => saving::written(app, path, result, select, done),
        Msg::HistoryLoaded(result) => history_pane::loaded(app, result),
        Msg::FileChanged(path) => vec![Effect::ReloadFile(path)],
        Msg::FileReloaded(file) => collections::reloaded(app, *file),
        Msg::Problem(text) => {
            app.notice = Some(Notice::Error(text));
            Vec::new()
        }
        Msg::Key(key) => on_key(app, key),
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => on_paste(app, &text),
        Msg::EditedExternally { field, result } => {
            typing::edited_externally(app, field, result);
            Vec::new()
        }
        Msg::Copied { what, result } => {
            app.notice = Some(match result {
                Ok(how) => Notice::Info(format!("Copied the {what} to {how}")),
                Err(why) => Notice::Error(format!("Could not copy the {what}: {why}")),
            });
            Vec::new()
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Tick => {
            app.spinner = app.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Http(event) => sending::on_http(app, event),
        Msg::BodyPrepared {
            id,
            kind,
            doc,
            revealed,
        } => {
            view::body_prepared(app, id, kind, doc, revealed);
            Vec::new()
        }
        Msg::Highlighted {
            id,
            chunk,
            lines,
            doc,
        } => {
            // Lines of a document no longer shown (a newer merge of pages, another filter
            // result) are stale.
            if let Some(x) = app.history.get_mut(id)
                && x.body_doc().is_some_and(|d| Arc::ptr_eq(d, &doc))
                && let Some(view) = x.view_mut()
            {
                view.store(chunk, lines);
            }
            Vec::new()
        }
        Msg::LinesRead { id, chunk, lines } => {
            spilled::lines_read(app, id, chunk, lines);
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
        Msg::Saved { id, path, outcome } => view::saved(app, id, path, outcome),
        Msg::Run(msg) => runner::on_msg(app, msg),
        Msg::RunRecord(record) => runner::record(app, record),
        Msg::Checked { id, checked } => sending::checked(app, id, *checked),
        Msg::Searched(progress) => {
            reader::search::progressed(app, progress);
            Vec::new()
        }
        Msg::Compared {
            id,
            against,
            result,
        } => {
            reader::diff::compared(app, id, against, result);
            Vec::new()
        }
        Msg::Filtered {
            id,
            generation,
            result,
        } => {
            reader::filter::done(app, id, generation, result);
            Vec::new()
        }
        Msg::JsonChecked { ticket, result } => {
            json_check::checked(app, ticket, result);
            Vec::new()
        }
        Msg::PictureEncoded { key, result } => {
            crate::app::picture::encoded(app, key, result);
            Vec::new()
        }
    };
    view::keep_consistent(app);
    effects.extend(reader::sync(app));
    effects.extend(view::wanted_work(app));
    effects.extend(crate::app::picture::sync(app));
    effects.extend(json_check::start_wanted(app));
    // The budget walks every exchange: only when memory grew, or another one is shown (the one
    // left may now be cut).
    if grows || app.shown != shown {
        history_pane::keep_within_budget(app);
    }
    effects
}

/// Whether `msg` can make the exchanges hold more: a body, a page, a prepared document, a
/// highlighted chunk, the stored history; or the end of a page load (which no longer keeps its
/// exchange whole).
fn may_grow_memory(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Http(
            HttpEvent::Finished { .. } | HttpEvent::Page { .. } | HttpEvent::PagingDone { .. }
        ) | Msg::BodyPrepared { .. }
            | Msg::Highlighted { .. }
            | Msg::LinesRead { .. }
            | Msg::PagesMerged { .. }
            | Msg::PageRawPrepared { .. }
            | Msg::HistoryLoaded(_)
            | Msg::Run(crate::app::runner::RunMsg::StepDone { .. })
    )
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

/// A frame was drawn: keep where things were, and the windows the lists were drawn with.
fn drawn(app: &mut App, hits: HitMap) {
    for (list, _, first) in &hits.lists {
        match list {
            List::Tree => app.tree.list.offset = *first,
            List::History => app.history.list.offset = *first,
            List::Runner => {
                if let Some(r) = app.runner.as_mut() {
                    r.list.offset = *first;
                }
            }
            List::Pages => {
                if let Some(p) = paging::shown_paging(app) {
                    p.list.offset = *first;
                }
            }
            List::EditorTable => {
                if let Some(t) = app.editor.table_mut() {
                    t.list.offset = *first;
                }
            }
            List::Files => {
                if let Some(Overlay::FilePicker(p)) = &mut app.overlay {
                    p.list.offset = *first;
                }
            }
        }
    }
    app.hits = hits;
    view::clamp_scroll(app);
}

// ---------------------------------------------------------------- keys

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Quit while typing (Ctrl+C) works everywhere, dialogs included; it copies a selection.
    if app.keymap.lookup(&[Scope::Typing], &key) == Some(Action::Quit)
        && !typing::copies_selection(app, &key)
    {
        return quit_asking(app);
    }
    if app.overlay.is_some() {
        return overlays::on_key(app, key);
    }
    if let Some(effects) = overlays::on_filter_key(app, key) {
        return effects;
    }
    if app.focus == Pane::Response
        && let Some(effects) =
            reader::filter::on_key(app, key).or_else(|| reader::search::on_key(app, key))
    {
        return effects;
    }
    // After `z`, one fold key; any other key only ends the prefix.
    if let Some(scope) = reader::scope(app) {
        app.reader.fold_prefix = false;
        if let Some(action) = app.keymap.lookup(&[scope], &key) {
            return act(app, action);
        }
        return Vec::new();
    }
    if let Some(action) = app.keymap.lookup(&scopes(app), &key) {
        return act(app, action);
    }
    // The Explain panel's "try it" actions are numbered.
    if app.focus == Pane::Response
        && app.explain
        && let KeyCode::Char(c @ '1'..='9') = key.code
        && (key.modifiers - KeyModifiers::SHIFT).is_empty()
    {
        crate::app::try_it::ask(app, c as usize - '0' as usize);
        return Vec::new();
    }
    if app.focus == Pane::Editor && app.editor.is_typing() {
        let used = app.editor.type_key(key);
        if !used
            && crate::app::text::is_undo(&key)
            && app.editor.active_input().is_some_and(|i| i.undo_lost())
        {
            app.notice = Some(Notice::Info(format!(
                "Nothing more to undo: {}",
                crate::app::text::NO_UNDO
            )));
        }
    }
    Vec::new()
}

/// Quits, asking first when the editor has unsaved edits; quitting again while that question
/// is open (a second Ctrl+C) quits.
fn quit_asking(app: &mut App) -> Vec<Effect> {
    let asking = matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved
        })
    );
    if app.is_dirty() && !asking {
        app.overlay = Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved,
        });
        return Vec::new();
    }
    quit(app)
}

/// The keymap scopes in force, most specific first.
pub fn scopes(app: &App) -> Vec<Scope> {
    if let Some(scope) = reader::scope(app) {
        return vec![scope, Scope::Typing];
    }
    let mut s = Vec::new();
    match app.focus {
        Pane::Editor => {
            let e = &app.editor;
            match e.section {
                Section::Url => s.push(Scope::Url),
                Section::Method => {
                    s.push(Scope::Method);
                    s.push(Scope::Editor);
                }
                Section::Content => match e.tab {
                    EditorTab::Body if e.body_editing => s.push(Scope::BodyText),
                    EditorTab::Body => s.push(Scope::Editor),
                    EditorTab::Auth if e.own_auth.editing.is_some() => s.push(Scope::Cell),
                    EditorTab::Auth => {
                        s.push(Scope::Auth);
                        s.push(Scope::Editor);
                    }
                    _ if e.table().is_some_and(|t| t.editing.is_some()) => s.push(Scope::Cell),
                    _ => {
                        s.push(Scope::Table);
                        s.push(Scope::Editor);
                    }
                },
            }
        }
        Pane::Response => {
            if app.response_tab == crate::app::ResponseTab::Body {
                s.push(Scope::Body);
            }
            s.push(Scope::Response);
        }
        Pane::History => s.push(Scope::History),
        Pane::Runner => s.push(Scope::Runner),
        Pane::Collections => s.push(Scope::Collections),
    }
    let typing = app.focus == Pane::Editor && app.editor.is_typing();
    if typing {
        s.push(Scope::Text);
    }
    s.push(Scope::Typing);
    if !typing {
        s.push(Scope::Global);
    }
    s
}

/// The footer's hints where the keys go now: the scopes' hints, less those whose action does
/// nothing here (a binding can be idle in part of its scope: query rows are not turned off,
/// they are the URL's); none while a dialog is open.
pub fn footer_hints(app: &App) -> Vec<(String, &str)> {
    // A dialog takes every key, and says its own: the keys of the pane under it do nothing.
    if app.overlay.is_some() {
        return Vec::new();
    }
    app.keymap.hints(&scopes(app), |a| !idle(app, a))
}

/// An action bound where the keys go now that does nothing there.
pub(crate) fn idle(app: &App, action: Action) -> bool {
    action == Action::ToggleRow && app.focus == Pane::Editor && app.editor.tab == EditorTab::Query
}

pub(crate) fn quit(app: &mut App) -> Vec<Effect> {
    app.should_quit = true;
    vec![Effect::Quit]
}

/// Does what `action` asks, where the focus is.
pub fn act(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => return quit_asking(app),
        Action::Send => return edit::send(app),
        Action::Save => return saving::save(app),
        Action::ToggleResolved => app.show_resolved = !app.show_resolved,
        Action::Cancel => return cancel(app),
        Action::Help => app.overlay = Some(Overlay::help()),
        Action::Palette => palette::open(app),
        Action::Zoom | Action::NarrowSide | Action::WidenSide => return panes::action(app, action),
        Action::Copy => crate::app::copy::open(app),
        Action::Suspend => return vec![Effect::Suspend],
        Action::NextPane | Action::PrevPane => {
            edit::leave_edits(app);
            app.focus = next_pane(app, action == Action::NextPane);
            // Arriving in the history shows the selected entry, as moving in it does.
            if app.focus == Pane::History {
                history_pane::show_selected(app);
            }
        }
        Action::SaveBody => view::open_save_prompt(app),
        // The shown response's, from any pane (Alt+m while typing, m in the response).
        Action::LoadMore => return paging::load(app, Load::One),
        Action::LoadAll => return paging::load(app, Load::All),
        Action::Explain => view::toggle_explain(app),
        Action::ToggleWrap => reader::toggle_wrap(app),
        Action::Filter if app.focus == Pane::Response => {
            if !spilled::refuse(app, "filter") {
                reader::filter::open(app)
            }
        }
        Action::Diff => {
            if !spilled::refuse(app, "compare") {
                return reader::diff::toggle(app);
            }
        }
        Action::FoldPrefix => {
            if !spilled::refuse(app, "fold") {
                reader::fold_prefix(app)
            }
        }
        Action::Search => reader::search::open(app),
        Action::SearchNext | Action::SearchPrev => {
            reader::search::step(app, action == Action::SearchNext)
        }
        Action::Fold | Action::FoldAll | Action::UnfoldAll => {
            if !spilled::refuse(app, "fold") {
                reader::fold(app, action)
            }
        }
        Action::Pin => reader::diff::pin(app),
        Action::RevealSecrets => view::toggle_reveal(app),
        Action::PickFile => return files::open(app),
        Action::Restore => return history_pane::restore(app),
        Action::Run => return runner::start(app),
        Action::CopyText
        | Action::CutText
        | Action::PasteText
        | Action::EditExternally
        | Action::FormatJson => return typing::action(app, action),
        _ => match app.focus {
            Pane::Editor => return edit::action(app, action),
            Pane::Response => return view::action(app, action),
            Pane::History => history_pane::action(app, action),
            Pane::Runner => return runner::action(app, action),
            Pane::Collections => return collections::tree_action(app, action),
        },
    }
    Vec::new()
}

/// The pane Tab (or Shift+Tab) moves to: the next one there is (the runner stands in the
/// history's place while a run is shown). Every pane shows when it has the focus, on any
/// screen (see `ui::layout`).
fn next_pane(app: &App, forward: bool) -> Pane {
    let mut pane = app.focus;
    for _ in 0..Pane::ORDER.len() {
        pane = pane.step(forward);
        let there = !matches!(pane, Pane::Runner | Pane::History) || pane == app.lower_pane();
        if there {
            return pane;
        }
    }
    app.focus
}

/// Esc: close an edit if one is open, else stop paging, else cancel the shown request if it is
/// in flight.
fn cancel(app: &mut App) -> Vec<Effect> {
    if app.focus == Pane::Editor && edit::cancel_edit(app) {
        return Vec::new();
    }
    if let Some(effects) = paging::stop(app) {
        return effects;
    }
    if let Some(effects) = runner::stop(app) {
        return effects;
    }
    if let Some(effects) = crate::app::live::stop_shown(app) {
        return effects;
    }
    sending::cancel_shown(app)
}

fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    if app.focus == Pane::Response
        && app.overlay.is_none()
        && let Some(effects) =
            reader::filter::paste(app, text).or_else(|| reader::search::paste(app, text))
    {
        return effects;
    }
    if app.overlay.is_none() && crate::app::paste_curl::offer(app, text) {
        return Vec::new();
    }
    match &mut app.overlay {
        Some(Overlay::SavePath { input, .. } | Overlay::Prompt { input, .. }) => {
            input.insert_str(text)
        }
        Some(Overlay::Palette(p)) => palette::paste(p, text),
        Some(_) => {}
        None if app.focus == Pane::Editor => edit::paste(app, text),
        None => {}
    }
    Vec::new()
}

// ---------------------------------------------------------------- mouse

fn on_mouse(app: &mut App, mouse: MouseEvent) -> Vec<Effect> {
    if app.overlay.is_some() {
        return Vec::new();
    }
    let Some(pane) = app.hits.pane_at(mouse.column, mouse.row) else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if app.focus != pane {
                edit::leave_edits(app);
            }
            app.focus = pane;
            click(app, pane, mouse.column, mouse.row)
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = mouse.kind == MouseEventKind::ScrollDown;
            match pane {
                Pane::Response => view::wheel(app, down, WHEEL_LINES),
                Pane::History => {
                    history_pane::action(app, if down { Action::Down } else { Action::Up })
                }
                Pane::Runner => {
                    runner::action(app, if down { Action::Down } else { Action::Up });
                }
                Pane::Collections => {
                    collections::tree_action(app, if down { Action::Down } else { Action::Up });
                }
                Pane::Editor => {}
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A left click: on a tab label or the URL bar, on a list row (by its index in the list, as the
/// last frame drew it), or elsewhere in a pane (which only focuses it).
fn click(app: &mut App, pane: Pane, column: u16, row: u16) -> Vec<Effect> {
    if let Some(target) = app.hits.target_at(column, row) {
        match target {
            Target::MethodBadge => {
                edit::leave_edits(app);
                app.editor.section = Section::Method;
            }
            Target::UrlBar => {
                edit::leave_edits(app);
                app.editor.section = Section::Url;
            }
            Target::EditorTab(tab) => {
                edit::leave_edits(app);
                app.editor.section = Section::Content;
                app.editor.tab = tab;
            }
            Target::ResponseTab(tab) => view::open_tab(app, tab),
        }
        return Vec::new();
    }
    let Some((list, index)) = app.hits.row_at(column, row) else {
        return Vec::new();
    };
    match list {
        List::History => history_pane::select(app, index),
        List::Runner => runner::click(app, index),
        List::Tree => collections::select(app, index),
        List::EditorTable => {
            // The edit belongs to the row it started in.
            edit::leave_edits(app);
            app.editor.section = Section::Content;
            if let Some(t) = app.editor.table_mut() {
                t.list.click(index, t.rows.len());
            }
        }
        List::Pages => paging::select_row(app, index),
        // The mouse is not used while an overlay is open.
        List::Files => {}
    }
    debug_assert!(pane == app.focus);
    Vec::new()
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
