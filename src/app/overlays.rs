//! Keys while something is drawn over the panes (help, a prompt, a question, a picker), and while
//! a filter line (tree or history) is being typed: these take the keys first.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::keymap::{Action, Scope};
use crate::app::{
    App, ConfirmPurpose, Effect, Notice, Overlay, Pane, PromptPurpose, collections, files,
    history_pane, saving, sending, update, view,
};
use crate::model::counted;

/// A key in the help: scrolling (a line, a page, to either end), `/` to search it (typed
/// in place; Enter keeps the search, Esc clears it), Esc, `?`, F1 or `q` to close it. `None`:
/// closed.
fn help_key(
    app: &App,
    key: KeyEvent,
    scroll: usize,
    mut search: String,
    typing: bool,
) -> Option<Overlay> {
    let help = |scroll: usize, search: String, typing: bool| {
        Some(Overlay::Help {
            scroll: scroll.min(app.hits.overlay_max_scroll),
            search,
            typing,
        })
    };
    if typing {
        return match key.code {
            KeyCode::Esc => help(0, String::new(), false),
            KeyCode::Enter => help(0, search, false),
            KeyCode::Backspace => {
                search.pop();
                help(0, search, true)
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                search.push(c);
                help(0, search, true)
            }
            _ => help(scroll, search, true),
        };
    }
    match (
        key.code,
        app.keymap.lookup(&[Scope::Typing, Scope::Global], &key),
    ) {
        (KeyCode::Esc, _) if !search.is_empty() => help(0, String::new(), false),
        (KeyCode::Esc, _) | (_, Some(Action::Help | Action::Quit)) => None,
        (KeyCode::Char('/'), _) => help(0, search, true),
        (_, action) => help(scrolled(app, action, scroll), search, false),
    }
}

/// Where a scrolling overlay (the help, the problems) goes for `action`: a line, a page
/// ([`crate::app::hits::HitMap::overlay_page`]), or either end; elsewhere it stays.
fn scrolled(app: &App, action: Option<Action>, scroll: usize) -> usize {
    let page = app.hits.overlay_page.max(1);
    match action {
        Some(Action::Down) => scroll + 1,
        Some(Action::Up) => scroll.saturating_sub(1),
        Some(Action::PageDown) => scroll + page,
        Some(Action::PageUp) => scroll.saturating_sub(page),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => usize::MAX,
        _ => scroll,
    }
}

/// A key while an overlay is open.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    match overlay {
        Overlay::Palette(p) => return crate::app::palette::on_key(app, p, key),
        Overlay::Help {
            scroll,
            search,
            typing,
        } => app.overlay = help_key(app, key, scroll, search, typing),
        Overlay::SavePath { mut input, id } => match key.code {
            KeyCode::Esc => app.notice = Some(Notice::Info("Not saved".into())),
            KeyCode::Enter => {
                let name = input.text();
                let name = name.trim();
                if name.is_empty() {
                    app.overlay = Some(Overlay::SavePath { input, id });
                } else {
                    let path = app.work_dir.join(name);
                    return view::save_effect(app, id, path, false);
                }
            }
            _ => {
                input.handle_key(key);
                app.overlay = Some(Overlay::SavePath { input, id });
            }
        },
        Overlay::ConfirmOverwrite { path, id } => match key.code {
            KeyCode::Char('y' | 'Y') => return view::save_effect(app, id, path, true),
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
            KeyCode::Enter => return prompt_answered(app, purpose, &input.text()),
            _ => {
                input.handle_key(key);
                app.overlay = Some(Overlay::Prompt { purpose, input });
            }
        },
        Overlay::Confirm { purpose } => match key.code {
            KeyCode::Char('y' | 'Y') => return confirmed(app, purpose),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => {}
            // Unsaved edits: saving them is the third answer.
            _ if purpose.is_about_unsaved_edits()
                && app.keymap.lookup(&[Scope::Typing], &key) == Some(Action::Save) =>
            {
                return saving::save(app);
            }
            _ => app.overlay = Some(Overlay::Confirm { purpose }),
        },
        Overlay::Conflict { path, id } => match key.code {
            KeyCode::Char('k' | 'K') => collections::resolve_conflict(app, path, &id, true),
            KeyCode::Char('t' | 'T') => collections::resolve_conflict(app, path, &id, false),
            _ => app.overlay = Some(Overlay::Conflict { path, id }),
        },
        Overlay::FilePicker(picker) => return files::on_key(app, picker, key),
        Overlay::Copy { list, reveal } => return crate::app::copy::on_key(app, list, reveal, key),
        Overlay::Problems {
            title,
            lines,
            scroll,
        } => {
            let scroll = match app.keymap.lookup(&[Scope::Global], &key) {
                _ if matches!(key.code, KeyCode::Esc | KeyCode::Enter) => return Vec::new(),
                Some(Action::Quit) => return Vec::new(),
                action => scrolled(app, action, scroll),
            };
            app.overlay = Some(Overlay::Problems {
                title,
                lines,
                scroll: scroll.min(app.hits.overlay_max_scroll),
            });
        }
        Overlay::Environments { file, mut list } => {
            let count = app
                .tree
                .collection(file)
                .map_or(0, |c| c.environments.len() + 1);
            let action = app.keymap.lookup(&[Scope::Global], &key);
            match (key.code, action) {
                (KeyCode::Esc, _) => return Vec::new(),
                (KeyCode::Enter, _) => {
                    collections::choose_environment(app, file, list.selected);
                    return Vec::new();
                }
                (KeyCode::Char('x'), _) => {
                    let path = app.tree.collection(file).map(|c| c.path.clone());
                    if let Some(gone) = path.and_then(|p| app.captured.remove(&p)) {
                        app.notice = Some(Notice::Info(format!(
                            "Forgot {}: {}",
                            counted(gone.len(), "captured value"),
                            gone.keys().cloned().collect::<Vec<_>>().join(", ")
                        )));
                    }
                }
                (_, Some(action)) => {
                    list.step(action, count, count);
                }
                _ => {}
            }
            app.overlay = Some(Overlay::Environments { file, list });
        }
    }
    Vec::new()
}

/// While a filter (tree or history) is being typed, it takes the keys: Enter keeps it, Esc
/// clears it. `None` when no filter is being typed.
pub fn on_filter_key(app: &mut App, key: KeyEvent) -> Option<Vec<Effect>> {
    let (filtering, filter, list) = match app.focus {
        Pane::Collections => (
            &mut app.tree.filtering,
            &mut app.tree.filter,
            &mut app.tree.list,
        ),
        Pane::History => (
            &mut app.history.filtering,
            &mut app.history.filter,
            &mut app.history.list,
        ),
        _ => return None,
    };
    let input = filtering.as_mut()?;
    match key.code {
        KeyCode::Enter => {
            *filter = input.text();
            *filtering = None;
            *list = Default::default();
        }
        KeyCode::Esc => {
            filter.clear();
            *filtering = None;
        }
        KeyCode::Tab | KeyCode::BackTab => return None,
        _ => {
            input.handle_key(key);
            *list = Default::default();
        }
    }
    Some(Vec::new())
}

/// A one-line prompt was answered.
fn prompt_answered(app: &mut App, purpose: PromptPurpose, answer: &str) -> Vec<Effect> {
    match purpose {
        // A secret is taken exactly as typed; names are trimmed.
        PromptPurpose::Secret { collection, key } => {
            sending::prompt_answered(app, collection, key, answer.to_string())
        }
        PromptPurpose::SaveAs { file, folder } => {
            saving::named(app, file, folder, answer.trim(), false)
        }
        PromptPurpose::New { file, folder } => {
            saving::named(app, file, folder, answer.trim(), true)
        }
        PromptPurpose::Rename { path, id } => saving::rename(app, &path, &id, answer.trim()),
        PromptPurpose::Method => {
            crate::app::edit::name_method(app, answer.trim());
            Vec::new()
        }
        PromptPurpose::Move { path, id } => saving::move_to(app, &path, &id, answer.trim()),
    }
}

/// A yes/no question was answered with yes.
fn confirmed(app: &mut App, purpose: ConfirmPurpose) -> Vec<Effect> {
    match purpose {
        ConfirmPurpose::QuitUnsaved => update::quit(app),
        ConfirmPurpose::DiscardAndOpen { file, index } => {
            app.origin = None;
            collections::open_request(app, file, index)
        }
        ConfirmPurpose::DiscardAndRestore { id } => {
            history_pane::restore_now(app, id);
            Vec::new()
        }
        ConfirmPurpose::Delete { path, id } => saving::delete(app, &path, &id),
        ConfirmPurpose::TryIt { from, index } => crate::app::try_it::send(app, from, index),
        ConfirmPurpose::PasteCurl(curl) => {
            crate::app::paste_curl::apply(app, &curl);
            Vec::new()
        }
    }
}
