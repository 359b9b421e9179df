//! What keys and messages do to collections: the tree pane, opening and saving requests,
//! environments, and the file operations (new, rename, duplicate, move, delete).

use std::path::PathBuf;

use crate::app::editor::Editor;
use crate::app::hits::List;
use crate::app::keymap::Action;
use crate::app::list::ListState;
use crate::app::text::TextInput;
use crate::app::tree::{Row, TreeFile};
use crate::app::{App, ConfirmPurpose, Effect, Notice, Origin, Overlay, Pane, PromptPurpose};
use crate::collection::SavedRequest;
use crate::collection::edit::{remove_request, upsert_request};
use crate::collection::store::LoadedFile;

/// The file a new collection is created in when there is none to save into.
pub const NEW_COLLECTION_FILE: &str = "requests.toml";

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
                app.notice = Some(Notice::Error(
                    "The built-in demo collection is read-only: Ctrl+S saves a copy into your collections".into(),
                ));
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
                _ => return duplicate(app, &path, &saved),
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A click on row `index` of the tree selects it.
pub fn select(app: &mut App, index: usize) {
    let len = app.tree.rows().len();
    if index < len {
        app.tree.list.select(index, len);
    }
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
fn target(app: &App) -> Option<(usize, Option<String>)> {
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

/// Ctrl+S: save the editor back to its request, or ask for a name to save it as.
pub fn save(app: &mut App) -> Vec<Effect> {
    app.editor.query.commit_edit();
    app.editor.headers.commit_edit();
    let origin = app.origin.clone();
    let writable_origin = origin.as_ref().and_then(|o| {
        let file = app.tree.file_index(&o.path)?;
        (!app.tree.files[file].builtin).then_some(file)
    });
    match (origin, writable_origin) {
        (Some(o), Some(file)) => {
            let updated = app.editor.apply_to(&o.saved);
            if updated == o.saved {
                app.notice = Some(Notice::Info("No changes to save".into()));
                return Vec::new();
            }
            let done = format!("Saved {} to {}", updated.path(), o.path.display());
            write(
                app,
                file,
                |text| upsert_request(text, &updated, Some(&o.saved)),
                Some(updated.id.clone()),
                done,
            )
        }
        (origin, _) => {
            let (file, folder) = target(app).unwrap_or((usize::MAX, None));
            let folder = folder.or_else(|| origin.and_then(|o| o.saved.folder));
            let name = app
                .origin
                .as_ref()
                .map_or_else(String::new, |o| o.saved.title().to_string());
            app.overlay = Some(Overlay::Prompt {
                purpose: PromptPurpose::SaveAs { file, folder },
                input: TextInput::single(&name),
            });
            Vec::new()
        }
    }
}

/// A prompt was answered.
pub fn prompt_answered(app: &mut App, purpose: PromptPurpose, answer: &str) -> Vec<Effect> {
    let answer = answer.trim();
    let is_new = matches!(purpose, PromptPurpose::New { .. });
    match purpose {
        PromptPurpose::SaveAs { file, folder } | PromptPurpose::New { file, folder } => {
            if answer.is_empty() {
                app.notice = Some(Notice::Error("A request needs a name".into()));
                return Vec::new();
            }
            let spec = if is_new {
                crate::model::RequestSpec::default()
            } else {
                app.editor.spec()
            };
            create(app, file, folder, answer, &spec, !is_new)
        }
        PromptPurpose::Rename { path, id } => modify(
            app,
            &path,
            &id,
            |r| r.name = (!answer.is_empty()).then(|| answer.to_string()),
            "Renamed",
        ),
        PromptPurpose::Move { path, id } => {
            let folder: Vec<&str> = answer
                .split('/')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let folder = (!folder.is_empty()).then(|| folder.join("/"));
            modify(app, &path, &id, |r| r.folder = folder.clone(), "Moved")
        }
        PromptPurpose::Secret { collection, key } => {
            crate::app::sending::prompt_answered(app, collection, key, answer.to_string())
        }
    }
}

/// A yes/no question was answered with yes.
pub fn confirmed(app: &mut App, purpose: ConfirmPurpose) -> Vec<Effect> {
    match purpose {
        ConfirmPurpose::QuitUnsaved => {
            app.should_quit = true;
            vec![Effect::Quit]
        }
        ConfirmPurpose::DiscardAndOpen { file, index } => {
            app.origin = None;
            open_request(app, file, index)
        }
        ConfirmPurpose::DiscardAndRestore { id } => {
            crate::app::history_pane::restore_now(app, id);
            Vec::new()
        }
        ConfirmPurpose::Delete { path, id } => {
            let Some(file) = app.tree.file_index(&path) else {
                return Vec::new();
            };
            if app
                .origin
                .as_ref()
                .is_some_and(|o| o.path == path && o.saved.id == id)
            {
                app.origin = None;
            }
            let done = format!("Deleted {id} from {}", path.display());
            write(app, file, |text| remove_request(text, &id), None, done)
        }
    }
}

fn duplicate(app: &mut App, path: &std::path::Path, saved: &SavedRequest) -> Vec<Effect> {
    let Some(file) = app.tree.file_index(path) else {
        return Vec::new();
    };
    let Some(c) = app.tree.collection(file) else {
        return Vec::new();
    };
    let mut copy = saved.clone();
    copy.id = c.free_id(&format!("{}-copy", saved.id));
    copy.name = Some(format!("{} (copy)", saved.title()));
    let done = format!("Duplicated {} as {}", saved.id, copy.id);
    let id = copy.id.clone();
    write(
        app,
        file,
        |text| upsert_request(text, &copy, None),
        Some(id),
        done,
    )
}

/// Changes one saved request in its file (rename, move).
fn modify(
    app: &mut App,
    path: &std::path::Path,
    id: &str,
    change: impl Fn(&mut SavedRequest),
    verb: &str,
) -> Vec<Effect> {
    let Some(file) = app.tree.file_index(path) else {
        return Vec::new();
    };
    let Some(old) = app
        .tree
        .collection(file)
        .and_then(|c| c.request(id))
        .cloned()
    else {
        return Vec::new();
    };
    let mut new = old.clone();
    change(&mut new);
    if let Some(o) = app
        .origin
        .as_mut()
        .filter(|o| o.path == path && o.saved.id == id)
    {
        change(&mut o.saved);
    }
    let done = format!("{verb} {}", new.path());
    write(
        app,
        file,
        |text| upsert_request(text, &new, Some(&old)),
        Some(id.to_string()),
        done,
    )
}

/// Saves `spec` as a new request named `name` into tree file `file` (usize::MAX: a new
/// collection file in the user's collections folder).
fn create(
    app: &mut App,
    file: usize,
    folder: Option<String>,
    name: &str,
    spec: &crate::model::RequestSpec,
    becomes_origin: bool,
) -> Vec<Effect> {
    let existing = app
        .tree
        .collection(file)
        .filter(|_| !app.tree.files[file].builtin);
    let id = existing.map_or_else(|| crate::collection::model::slug(name), |c| c.free_id(name));
    let mut req = SavedRequest::new(&id, folder, spec);
    req.name = Some(name.to_string());
    if becomes_origin {
        // Until the file is written, the editor's request is this one (so it is not "unsaved").
        app.origin = None;
    }
    match existing {
        Some(c) => {
            let done = format!("Saved {} to {}", req.path(), c.path.display());
            let id = req.id.clone();
            write(
                app,
                file,
                |text| upsert_request(text, &req, None),
                Some(id),
                done,
            )
        }
        None => {
            let Some(dir) = new_collection_dir(app) else {
                app.notice = Some(Notice::Error(
                    "No folder to save collections in: start scout with -c PATH".into(),
                ));
                return Vec::new();
            };
            let path = dir.join(NEW_COLLECTION_FILE);
            let (expected, base) = match app.tree.files.iter().find(|f| f.path() == path) {
                Some(TreeFile {
                    loaded: LoadedFile::Ok { text, .. },
                    ..
                }) => (Some(text.clone()), text.clone()),
                Some(_) => {
                    app.notice = Some(Notice::Error(format!(
                        "{} is broken; fix it before saving into it",
                        path.display()
                    )));
                    return Vec::new();
                }
                None => (None, "name = \"My requests\"\n".to_string()),
            };
            match upsert_request(&base, &req, None) {
                Ok(text) => vec![Effect::WriteCollection {
                    done: format!("Saved {} to {}", req.path(), path.display()),
                    path,
                    expected,
                    text,
                    injected: app.injected.clone(),
                    select: Some(req.id),
                }],
                Err(e) => {
                    app.notice = Some(Notice::Error(e.to_string()));
                    Vec::new()
                }
            }
        }
    }
}

/// The folder new collection files go to.
fn new_collection_dir(app: &App) -> Option<PathBuf> {
    let path = app.collections_path.clone()?;
    if path.extension().is_some_and(|e| e == "toml") {
        path.parent().map(|p| p.to_path_buf())
    } else {
        Some(path)
    }
}

/// Edits the text of tree file `file` with `edit` and asks for it to be written.
fn write(
    app: &mut App,
    file: usize,
    edit: impl FnOnce(&str) -> Result<String, crate::collection::edit::EditError>,
    select: Option<String>,
    done: String,
) -> Vec<Effect> {
    let Some(TreeFile {
        loaded: LoadedFile::Ok {
            collection, text, ..
        },
        ..
    }) = app.tree.files.get(file)
    else {
        app.notice = Some(Notice::Error(
            "That collection could not be loaded, so scout will not write to it".into(),
        ));
        return Vec::new();
    };
    match edit(text) {
        Ok(new_text) => vec![Effect::WriteCollection {
            path: collection.path.clone(),
            expected: Some(text.clone()),
            text: new_text,
            injected: app.injected.clone(),
            select,
            done,
        }],
        Err(e) => {
            app.notice = Some(Notice::Error(format!("{}: {e}", collection.path.display())));
            Vec::new()
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

/// A collection file was written (or not).
pub fn written(
    app: &mut App,
    path: PathBuf,
    result: Result<Box<TreeFile>, String>,
    select: Option<String>,
    done: String,
) -> Vec<Effect> {
    let file = match result {
        Ok(file) => *file,
        Err(e) => {
            app.notice = Some(Notice::Error(format!("Not saved: {e}")));
            return Vec::new();
        }
    };
    match app.tree.file_index(&path) {
        Some(i) => app.tree.files[i] = file,
        None => app.tree.files.push(file),
    }
    app.notice = Some(Notice::Info(done));
    if let Some(id) = select {
        let saved = app
            .tree
            .file_index(&path)
            .and_then(|i| app.tree.collection(i))
            .and_then(|c| c.request(&id))
            .cloned();
        // The editor now holds what the file holds, if this was the editor's request.
        let editor_is_it = app
            .origin
            .as_ref()
            .is_none_or(|o| o.path == path && o.saved.id == id);
        if let Some(saved) = saved
            && editor_is_it
            && app.editor.apply_to(&saved) == saved
        {
            app.origin = Some(Origin {
                path: path.clone(),
                saved,
            });
        }
        app.tree.reveal(&path, &id);
    }
    vec![watch_list(app)]
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
            app.notice = Some(Notice::Info(
                "Kept your edits: Ctrl+S writes them over the file's version".into(),
            ));
        }
        (true, None) => {
            // The request is gone from the file: the edits stay, as a new request to save.
            app.origin = None;
            app.notice = Some(Notice::Info(format!(
                "{id} was removed from the file; your edits are kept: Ctrl+S saves them as a new request"
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
