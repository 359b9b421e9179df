//! Writing collection files from the app: Ctrl+S (back to the request, or as a new one), and
//! the tree's new, rename, move, duplicate and delete. Each edit keeps the file's comments and
//! layout (`collection::edit`) and is written only if the file still holds what scout loaded.

use std::path::PathBuf;

use crate::app::text::TextInput;
use crate::app::tree::TreeFile;
use crate::app::{App, Effect, Notice, Origin, Overlay, PromptPurpose, collections, edit};
use crate::collection::SavedRequest;
use crate::collection::edit::{remove_request, upsert_request};
use crate::collection::store::LoadedFile;

/// The file a new collection is created in when there is none to save into.
pub const NEW_COLLECTION_FILE: &str = "requests.toml";

/// Ctrl+S: save the editor back to its request, or ask for a name to save it as.
pub fn save(app: &mut App) -> Vec<Effect> {
    edit::commit_cells(app);
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
            let (file, folder) = collections::target(app).unwrap_or((usize::MAX, None));
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

pub fn duplicate(app: &mut App, path: &std::path::Path, saved: &SavedRequest) -> Vec<Effect> {
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
            select,
            done,
        }],
        Err(e) => {
            app.notice = Some(Notice::Error(format!("{}: {e}", collection.path.display())));
            Vec::new()
        }
    }
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
    vec![collections::watch_list(app)]
}

/// A name was given for the editor's request ("save as") or for a new, empty one.
pub fn named(
    app: &mut App,
    file: usize,
    folder: Option<String>,
    name: &str,
    new: bool,
) -> Vec<Effect> {
    if name.is_empty() {
        app.notice = Some(Notice::Error("A request needs a name".into()));
        return Vec::new();
    }
    let spec = if new {
        crate::model::RequestSpec::default()
    } else {
        app.editor.spec()
    };
    // A new request opens in the editor, URL bar first, unless that would lose what the
    // editor holds (edits to a saved request, or a request typed there and never saved).
    let keeps_editor = app.is_dirty()
        || (app.origin.is_none() && app.editor.spec() != crate::model::RequestSpec::default());
    if new && !keeps_editor {
        app.editor = crate::app::editor::Editor::from_spec(&spec);
        app.focus = crate::app::Pane::Editor;
    }
    create(app, file, folder, name, &spec, !new || !keeps_editor)
}

/// A new display name for a saved request (empty: its id again).
pub fn rename(app: &mut App, path: &std::path::Path, id: &str, name: &str) -> Vec<Effect> {
    modify(
        app,
        path,
        id,
        |r| r.name = (!name.is_empty()).then(|| name.to_string()),
        "Renamed",
    )
}

/// Moves a saved request to folder `folder` (`a/b`; empty: the top level).
pub fn move_to(app: &mut App, path: &std::path::Path, id: &str, folder: &str) -> Vec<Effect> {
    let parts: Vec<&str> = folder
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let folder = (!parts.is_empty()).then(|| parts.join("/"));
    modify(app, path, id, |r| r.folder = folder.clone(), "Moved")
}

/// Deletes a saved request from its file (asked for first).
pub fn delete(app: &mut App, path: &std::path::Path, id: &str) -> Vec<Effect> {
    let Some(file) = app.tree.file_index(path) else {
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
    write(app, file, |text| remove_request(text, id), None, done)
}
