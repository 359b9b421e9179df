//! What keys and messages do to collections: the tree pane, opening requests, environments,
//! a file changed on disk, and asking for the file operations (new, rename, duplicate, move,
//! delete), which [`super::saving`] writes.

use std::path::PathBuf;

use crate::app::editor::Editor;
use crate::app::hits::List;
use crate::app::keymap::{Action, Scope};
use crate::app::list::ListState;
use crate::app::text::TextInput;
use crate::app::tree::{Row, TreeFile};
use crate::app::{App, ConfirmPurpose, Effect, Notice, Origin, Overlay, Pane, PromptPurpose};
use crate::collection::SavedRequest;
use crate::collection::store::LoadedFile;

/// Keys in the tree pane.
pub fn tree_action(app: &mut App, action: Action) -> Vec<Effect> {
    if app.tree.filtering.is_some() {
        return Vec::new();
    }
    let len = app.tree.rows().len();
    let page = app.hits.rows_of(List::Tree).unwrap_or(10);
    let t = &mut app.tree;
    if t.list.step(action, len, page) {
        return Vec::new();
    }
    match action {
        Action::Left => t.toggle(Some(false)),
        Action::Right => t.toggle(Some(true)),
        Action::Select => match t.selected_row() {
            Some(Row::Request { file, index, .. }) => return open_request(app, file, index),
            Some(Row::Run { .. }) => return crate::app::runner::start(app),
            _ => t.toggle(None),
        },
        Action::Filter => t.filtering = Some(TextInput::single(&t.filter)),
        Action::PickEnvironment => pick_environment(app),
        Action::NewRequest => {
            if let Some((file, folder)) = target(app) {
                app.overlay = Some(Overlay::Prompt {
                    purpose: PromptPurpose::New { file, folder },
                    input: TextInput::single(""),
                });
            }
        }
        Action::Rename | Action::MoveToFolder | Action::Delete | Action::Duplicate => {
            let Some((path, saved)) = selected_saved(app) else {
                app.notice = Some(Notice::Info("Select a request first".into()));
                return Vec::new();
            };
            if app.tree.files.iter().any(|f| f.path() == path && f.builtin) {
                app.notice = Some(Notice::Error(format!(
                    "The built-in demo collection is read-only: {} saves a copy into your collections",
                    app.keymap.key(Scope::Typing, Action::Save)
                )));
                return Vec::new();
            }
            let id = saved.id.clone();
            match action {
                Action::Rename => {
                    app.overlay = Some(Overlay::Prompt {
                        purpose: PromptPurpose::Rename { path, id },
                        input: TextInput::single(saved.title()),
                    })
                }
                Action::MoveToFolder => {
                    app.overlay = Some(Overlay::Prompt {
                        purpose: PromptPurpose::Move { path, id },
                        input: TextInput::single(saved.folder.as_deref().unwrap_or("")),
                    })
                }
                Action::Delete => {
                    app.overlay = Some(Overlay::Confirm {
                        purpose: ConfirmPurpose::Delete { path, id },
                    })
                }
                _ => return crate::app::saving::duplicate(app, &path, &saved),
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A click on row `index` of the tree selects it.
pub fn select(app: &mut App, index: usize) {
    let len = app.tree.rows().len();
    app.tree.list.click(index, len);
}

/// The saved request under the tree's selection.
fn selected_saved(app: &App) -> Option<(PathBuf, SavedRequest)> {
    match app.tree.selected_row()? {
        Row::Request { file, index, .. } => {
            let r = app.tree.request(file, index)?.clone();
            Some((app.tree.files[file].path().to_path_buf(), r))
        }
        _ => None,
    }
}

/// Where new requests go: the selected collection (if it can be written) and folder.
pub fn target(app: &App) -> Option<(usize, Option<String>)> {
    let row = app.tree.selected_row();
    let folder = match &row {
        Some(Row::Folder { path, .. }) => Some(path.clone()),
        Some(Row::Request { file, index, .. }) => app
            .tree
            .request(*file, *index)
            .and_then(|r| r.folder.clone()),
        _ => None,
    };
    let writable = |i: usize| {
        app.tree
            .files
            .get(i)
            .is_some_and(|f| !f.builtin && f.collection().is_some())
    };
    match row.map(|r| r.file()) {
        Some(f) if writable(f) => Some((f, folder)),
        // The built-in demo or a broken file: a new file in the user's collections instead.
        _ => Some((usize::MAX, None)),
    }
}

/// Opens request `index` of `file` in the editor, asking first if that would lose edits.
pub fn open_request(app: &mut App, file: usize, index: usize) -> Vec<Effect> {
    if app.is_dirty() {
        app.overlay = Some(Overlay::Confirm {
            purpose: ConfirmPurpose::DiscardAndOpen { file, index },
        });
        return Vec::new();
    }
    let Some(saved) = app.tree.request(file, index).cloned() else {
        return Vec::new();
    };
    app.editor = Editor::from_saved(&saved);
    app.origin = Some(Origin {
        path: app.tree.files[file].path().to_path_buf(),
        saved,
    });
    app.focus = Pane::Editor;
    Vec::new()
}

fn pick_environment(app: &mut App) {
    let Some(file) = app.tree.selected_file().or_else(|| app.scope_file()) else {
        return;
    };
    let Some(c) = app.tree.collection(file) else {
        return;
    };
    if c.environments.is_empty() {
        app.notice = Some(Notice::Info(format!(
            "{} has no environments (add [environments.NAME] to {})",
            c.name,
            c.path.display()
        )));
        return;
    }
    let current = app.tree.environments.get(&c.path);
    let selected = current
        .and_then(|name| c.environments.iter().position(|e| &e.name == name))
        .map_or(0, |i| i + 1);
    app.overlay = Some(Overlay::Environments {
        file,
        list: ListState {
            selected,
            offset: 0,
        },
    });
}

/// Applies a choice in the environment picker (0 = none).
pub fn choose_environment(app: &mut App, file: usize, choice: usize) {
    let Some(c) = app.tree.collection(file) else {
        return;
    };
    let path = c.path.clone();
    match c.environments.get(choice.wrapping_sub(1)) {
        Some(e) if choice > 0 => {
            app.notice = Some(Notice::Info(format!(
                "{}: environment `{}`",
                c.name, e.name
            )));
            app.tree.environments.insert(path, e.name.clone());
        }
        _ => {
            app.notice = Some(Notice::Info(format!("{}: no environment", c.name)));
            app.tree.environments.remove(&path);
        }
    }
}

/// Collections arrived from the background load.
pub fn loaded(app: &mut App, files: Vec<TreeFile>) -> Vec<Effect> {
    let effects = loaded_files(app, files);
    effects.into_iter().chain([watch_list(app)]).collect()
}

fn loaded_files(app: &mut App, files: Vec<TreeFile>) -> Vec<Effect> {
    app.tree.files = files;
    app.tree.loading = false;
    if let Some(env) = app.initial_env.take() {
        let paths: Vec<PathBuf> = app
            .tree
            .files
            .iter()
            .filter(|f| {
                f.collection()
                    .is_some_and(|c| c.environment(&env).is_some())
            })
            .map(|f| f.path().to_path_buf())
            .collect();
        if paths.is_empty() {
            app.notice = Some(Notice::Error(format!(
                "No collection has an environment `{env}`"
            )));
        }
        for p in paths {
            app.tree.environments.insert(p, env.clone());
        }
    }
    let broken: Vec<String> = app
        .tree
        .files
        .iter()
        .filter_map(|f| match &f.loaded {
            LoadedFile::Broken(e) => Some(e.to_string()),
            LoadedFile::Ok { .. } => None,
        })
        .collect();
    if !broken.is_empty() {
        app.notice = Some(Notice::Error(format!("Not loaded: {}", broken.join(" · "))));
    }
    // A fresh start (nothing typed, nothing given on the command line): open the first request.
    if app.origin.is_none() && app.editor == Editor::default() && app.history.is_empty() {
        let first = app
            .tree
            .files
            .iter()
            .enumerate()
            .find(|(_, f)| f.collection().is_some_and(|c| !c.requests.is_empty()))
            .map(|(i, _)| i);
        if let Some(file) = first {
            let focus = app.focus;
            open_request(app, file, 0);
            app.focus = focus;
            if let Some(o) = &app.origin {
                let (path, id) = (o.path.clone(), o.saved.id.clone());
                app.tree.reveal(&path, &id);
            }
        }
    }
    Vec::new()
}

/// What to watch: every loaded (non-built-in) file with the modification time scout knows.
pub fn watch_list(app: &App) -> Effect {
    Effect::Watch(
        app.tree
            .files
            .iter()
            .filter(|f| !f.builtin)
            .map(|f| {
                let modified = match &f.loaded {
                    LoadedFile::Ok { modified, .. } => *modified,
                    LoadedFile::Broken(_) => None,
                };
                (f.path().to_path_buf(), modified)
            })
            .collect(),
    )
}

/// A collection file was read again after it changed on disk. The tree takes the new version;
/// the editor follows it unless it has unsaved edits of a request that changed, in which case
/// the user chooses (nothing is dropped silently).
pub fn reloaded(app: &mut App, file: TreeFile) -> Vec<Effect> {
    let path = file.path().to_path_buf();
    let Some(index) = app.tree.file_index(&path) else {
        return Vec::new();
    };
    let same_text = match (&app.tree.files[index].loaded, &file.loaded) {
        (LoadedFile::Ok { text: a, .. }, LoadedFile::Ok { text: b, .. }) => a == b,
        _ => false,
    };
    let dirty = app.is_dirty();
    app.tree.files[index] = file;
    if same_text {
        return vec![watch_list(app)];
    }
    let name = path.display().to_string();
    let Some(origin) = app.origin.clone().filter(|o| o.path == path) else {
        app.notice = Some(Notice::Info(format!("{name} changed on disk: reloaded")));
        return vec![watch_list(app)];
    };
    let theirs = app
        .tree
        .collection(index)
        .and_then(|c| c.request(&origin.saved.id))
        .cloned();
    match theirs {
        Some(theirs) if theirs == origin.saved => {
            app.notice = Some(Notice::Info(format!("{name} changed on disk: reloaded")));
        }
        Some(theirs) if !dirty => {
            app.editor = Editor::from_saved(&theirs);
            app.origin = Some(Origin {
                path: path.clone(),
                saved: theirs,
            });
            app.notice = Some(Notice::Info(format!(
                "{name} changed on disk: the request in the editor was updated"
            )));
        }
        _ => {
            app.overlay = Some(Overlay::Conflict {
                path: path.clone(),
                id: origin.saved.id.clone(),
            });
        }
    }
    vec![watch_list(app)]
}

/// The user settled a conflict: `keep` their edits (the next save writes over the file's
/// version) or take the file's version.
pub fn resolve_conflict(app: &mut App, path: PathBuf, id: &str, keep: bool) {
    let theirs = app
        .tree
        .file_index(&path)
        .and_then(|i| app.tree.collection(i))
        .and_then(|c| c.request(id))
        .cloned();
    match (keep, theirs) {
        (true, Some(theirs)) => {
            // Edits stay in the editor, now compared with what the file holds.
            app.origin = Some(Origin {
                path,
                saved: theirs,
            });
            app.notice = Some(Notice::Info(format!(
                "Kept your edits: {} writes them over the file's version",
                app.keymap.key(Scope::Typing, Action::Save)
            )));
        }
        (true, None) => {
            // The request is gone from the file: the edits stay, as a new request to save.
            app.origin = None;
            app.notice = Some(Notice::Info(format!(
                "{id} was removed from the file; your edits are kept: {} saves them as a new request",
                app.keymap.key(Scope::Typing, Action::Save)
            )));
        }
        (false, Some(theirs)) => {
            app.editor = Editor::from_saved(&theirs);
            app.origin = Some(Origin {
                path,
                saved: theirs,
            });
            app.notice = Some(Notice::Info("Took the file's version".into()));
        }
        (false, None) => {
            app.origin = None;
            app.notice = Some(Notice::Info(format!("{id} was removed from the file")));
        }
    }
}

#[cfg(test)]
#[path = "collections_tests.rs"]
mod tests;
