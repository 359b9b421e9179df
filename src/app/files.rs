//! The file picker: choosing a file for a multipart part or a file body from the Body tab.
//! Listing a folder is I/O, so it happens in the background ([`Effect::ListDir`]); this module
//! only keeps the listing, the filter and the selection, and writes the chosen path into the
//! editor.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::editor::EditorTab;
use crate::app::hits::List;
use crate::app::keymap::{Action, Scope};
use crate::app::list::ListState;
use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, Overlay};
use crate::model::BodyKind;

/// Most entries a listing keeps (a folder with more shows the first ones, sorted).
pub const MAX_ENTRIES: usize = 5_000;

/// One entry of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
    /// Bytes, for files.
    pub size: Option<u64>,
}

/// What a folder listing came back as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub entries: Vec<DirEntry>,
    /// The folder had more than [`MAX_ENTRIES`] entries.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePicker {
    /// The folder shown (absolute).
    pub dir: PathBuf,
    /// Paths inside this folder are written relative to it: the collection's folder, or the
    /// working folder for a request that is not saved.
    pub base: PathBuf,
    /// `None` while the listing is on its way.
    pub listing: Option<Result<Listing, String>>,
    /// Typing narrows the list to names containing the text (case-insensitive).
    pub filter: TextInput,
    /// The cursor over [`FilePicker::visible`].
    pub list: ListState,
}

/// A row of the picker: the parent folder, or an entry of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row<'a> {
    Parent,
    Entry(&'a DirEntry),
}

impl FilePicker {
    /// The rows shown: `..` (unless at the root or filtering), then the entries matching the
    /// filter. Hidden entries (`.name`) show only when the filter starts with a dot.
    pub fn visible(&self) -> Vec<Row<'_>> {
        let filter = self.filter.text().to_lowercase();
        let mut rows = Vec::new();
        if filter.is_empty() && self.dir.parent().is_some() {
            rows.push(Row::Parent);
        }
        if let Some(Ok(listing)) = &self.listing {
            rows.extend(
                listing
                    .entries
                    .iter()
                    .filter(|e| !e.name.starts_with('.') || filter.starts_with('.'))
                    .filter(|e| e.name.to_lowercase().contains(&filter))
                    .map(Row::Entry),
            );
        }
        rows
    }

    /// How `path` is written into the editor: relative to the base folder when it is inside
    /// it, else absolute.
    pub fn written_path(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.base).unwrap_or(path);
        shown.to_string_lossy().into_owned()
    }
}

/// `f` in the Body tab: open the picker in the base folder. A multipart or file body takes the
/// file; no body yet becomes multipart; a JSON, form or text body with content is left alone.
pub fn open(app: &mut App) -> Vec<Effect> {
    let e = &mut app.editor;
    match e.body_kind {
        BodyKind::Multipart | BodyKind::File => {}
        _ if e.body_kind == BodyKind::None || e.body.is_empty() => {
            e.body_kind = BodyKind::Multipart;
            e.body_changed();
        }
        kind => {
            app.notice = Some(Notice::Error(format!(
                "A file goes into a multipart or file body; this one is {}. Press {} to change \
                 the body type.",
                kind.label(),
                app.keymap.key(Scope::Editor, Action::CycleBodyKind)
            )));
            return Vec::new();
        }
    }
    e.tab = EditorTab::Body;
    let base = app.base_dir();
    app.overlay = Some(Overlay::FilePicker(FilePicker {
        dir: base.clone(),
        base: base.clone(),
        listing: None,
        filter: TextInput::default(),
        list: ListState::default(),
    }));
    vec![Effect::ListDir(base)]
}

/// A listing arrived; it is dropped if the picker has moved on or closed.
pub fn listed(app: &mut App, dir: PathBuf, result: Result<Listing, String>) {
    if let Some(Overlay::FilePicker(p)) = &mut app.overlay
        && p.dir == dir
    {
        p.listing = Some(result);
        let len = p.visible().len();
        p.list.clamp(len);
    }
}

/// Keys while the picker is open: arrows move, typing filters, Enter opens a folder or takes a
/// file, Backspace on an empty filter goes up, Esc closes.
pub fn on_key(app: &mut App, mut p: FilePicker, key: KeyEvent) -> Vec<Effect> {
    let rows = p.visible().len();
    let movement = match key.code {
        KeyCode::Up => Some(Action::Up),
        KeyCode::Down => Some(Action::Down),
        KeyCode::PageUp => Some(Action::PageUp),
        KeyCode::PageDown => Some(Action::PageDown),
        KeyCode::Home => Some(Action::Top),
        KeyCode::End => Some(Action::Bottom),
        _ => None,
    };
    if let Some(action) = movement {
        let page = app.hits.rows_of(List::Files).unwrap_or(10);
        p.list.step(action, rows, page);
        app.overlay = Some(Overlay::FilePicker(p));
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Backspace | KeyCode::Left if p.filter.is_empty() => {
            if let Some(parent) = p.dir.parent().map(Path::to_path_buf) {
                return go_to(app, p, parent);
            }
        }
        KeyCode::Enter | KeyCode::Right => {
            let chosen = p
                .visible()
                .get(p.list.selected)
                .copied()
                .map(|row| match row {
                    Row::Parent => (p.dir.parent().map(Path::to_path_buf), true),
                    Row::Entry(e) => (Some(p.dir.join(&e.name)), e.is_dir),
                });
            match chosen {
                Some((Some(dir), true)) => return go_to(app, p, dir),
                Some((Some(file), false)) if key.code == KeyCode::Enter => {
                    let written = p.written_path(&file);
                    take_file(app, &written);
                    return Vec::new();
                }
                _ => {}
            }
        }
        _ => {
            if p.filter.handle_key(key) {
                p.list = ListState::default();
            }
        }
    }
    app.overlay = Some(Overlay::FilePicker(p));
    Vec::new()
}

fn go_to(app: &mut App, mut p: FilePicker, dir: PathBuf) -> Vec<Effect> {
    p.dir = dir.clone();
    p.listing = None;
    p.filter = TextInput::default();
    p.list = ListState::default();
    app.overlay = Some(Overlay::FilePicker(p));
    vec![Effect::ListDir(dir)]
}

/// Writes the chosen file into the body: a file body becomes the path; a multipart body gains a
/// part `file@path` (`file2`, `file3`… when the name is taken).
fn take_file(app: &mut App, path: &str) {
    let e = &mut app.editor;
    if e.body_kind == BodyKind::File {
        e.body.set_text(path);
        e.body_changed();
        app.notice = Some(Notice::Info(format!("The body is the file {path}")));
        return;
    }
    let text = e.body.text();
    let taken: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(['=', '@']).next())
        .map(str::trim)
        .collect();
    let name = (1..)
        .map(|n| {
            if n == 1 {
                "file".to_string()
            } else {
                format!("file{n}")
            }
        })
        .find(|n| !taken.contains(&n.as_str()))
        .unwrap_or_default();
    let line = format!("{name}@{path}");
    let new_text = if text.trim().is_empty() {
        line
    } else {
        format!("{}\n{line}", text.trim_end_matches('\n'))
    };
    e.body.set_text(&new_text);
    e.body_changed();
    app.notice = Some(Notice::Info(format!(
        "Added the part {name}@{path}; press Enter to edit its name or add type=…"
    )));
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyModifiers;

    use super::*;
    use crate::app::editor::Editor;
    use crate::app::{Msg, update};

    /// A fresh editor (no collection), working in `dir`.
    fn app_in(dir: &str) -> App {
        let mut app = App::new(Editor::default(), Default::default());
        app.work_dir = PathBuf::from(dir);
        app
    }

    fn listed_dir(effects: &[Effect]) -> Option<&PathBuf> {
        match effects {
            [Effect::ListDir(dir)] => Some(dir),
            _ => None,
        }
    }

    fn key(code: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn listing(names: &[(&str, bool)]) -> Listing {
        Listing {
            entries: names
                .iter()
                .map(|(n, d)| DirEntry {
                    name: n.to_string(),
                    is_dir: *d,
                    size: (!d).then_some(10),
                })
                .collect(),
            truncated: false,
        }
    }

    fn picker(app: &App) -> &FilePicker {
        match &app.overlay {
            Some(Overlay::FilePicker(p)) => p,
            other => panic!("no picker: {other:?}"),
        }
    }

    fn open_picker(app: &mut App) -> PathBuf {
        let effects = open(app);
        listed_dir(&effects).expect("a listing asked for").clone()
    }

    #[test]
    fn choosing_files_adds_numbered_parts_relative_to_the_base_folder() {
        let mut app = app_in("/work/project");
        let dir = open_picker(&mut app);
        assert_eq!(dir, PathBuf::from("/work/project"));
        assert_eq!(app.editor.body_kind, BodyKind::Multipart);
        update(
            &mut app,
            Msg::DirListed {
                dir: dir.clone(),
                result: Ok(listing(&[
                    ("data", true),
                    ("a.csv", false),
                    (".env", false),
                ])),
            },
        );
        // `..`, data/, a.csv; .env is hidden.
        assert_eq!(picker(&app).visible().len(), 3);
        for c in "csv".chars() {
            update(&mut app, key(KeyCode::Char(c)));
        }
        assert_eq!(
            picker(&app).visible(),
            vec![Row::Entry(&listing(&[("a.csv", false)]).entries[0])]
        );
        update(&mut app, key(KeyCode::Enter));
        assert!(app.overlay.is_none());
        assert_eq!(app.editor.body.text(), "file@a.csv");

        // A second file, from a subfolder: the name moves on, the path stays relative.
        let _ = open_picker(&mut app);
        update(
            &mut app,
            Msg::DirListed {
                dir: dir.clone(),
                result: Ok(listing(&[("data", true)])),
            },
        );
        update(&mut app, key(KeyCode::Down)); // past ".."
        let effects = update(&mut app, key(KeyCode::Enter));
        assert_eq!(listed_dir(&effects), Some(&dir.join("data")));
        update(
            &mut app,
            Msg::DirListed {
                dir: dir.join("data"),
                result: Ok(listing(&[("b.png", false)])),
            },
        );
        update(&mut app, key(KeyCode::Down));
        update(&mut app, key(KeyCode::Enter));
        assert_eq!(app.editor.body.text(), "file@a.csv\nfile2@data/b.png");
    }

    #[test]
    fn outside_the_base_folder_paths_are_absolute_and_backspace_goes_up() {
        let mut app = app_in("/work/project");
        let _ = open_picker(&mut app);
        let effects = update(&mut app, key(KeyCode::Backspace));
        assert_eq!(listed_dir(&effects), Some(&PathBuf::from("/work")));
        update(
            &mut app,
            Msg::DirListed {
                dir: PathBuf::from("/work"),
                result: Ok(listing(&[("notes.txt", false)])),
            },
        );
        update(&mut app, key(KeyCode::End));
        update(&mut app, key(KeyCode::Enter));
        assert_eq!(app.editor.body.text(), "file@/work/notes.txt");
    }

    #[test]
    fn a_file_body_takes_the_path_and_a_text_body_is_left_alone() {
        let mut app = app_in("/p");
        app.editor.body_kind = BodyKind::File;
        let dir = open_picker(&mut app);
        update(
            &mut app,
            Msg::DirListed {
                dir,
                result: Ok(listing(&[("x.bin", false)])),
            },
        );
        update(&mut app, key(KeyCode::End));
        update(&mut app, key(KeyCode::Enter));
        assert_eq!(app.editor.body.text(), "x.bin");
        assert_eq!(app.editor.body_kind, BodyKind::File);

        app.editor.body_kind = BodyKind::Text;
        app.editor.body.set_text("keep me");
        assert!(open(&mut app).is_empty());
        assert!(app.overlay.is_none());
        assert_eq!(app.editor.body.text(), "keep me");
        assert!(
            matches!(&app.notice, Some(Notice::Error(m)) if m.contains("press t") || m.contains("Press t"))
        );
    }

    #[test]
    fn a_stale_or_failed_listing_is_shown_or_dropped() {
        let mut app = app_in("/p");
        let _ = open_picker(&mut app);
        update(
            &mut app,
            Msg::DirListed {
                dir: PathBuf::from("/elsewhere"),
                result: Ok(listing(&[("x", false)])),
            },
        );
        assert!(picker(&app).listing.is_none());
        update(
            &mut app,
            Msg::DirListed {
                dir: PathBuf::from("/p"),
                result: Err("/p: Permission denied".into()),
            },
        );
        assert_eq!(
            picker(&app).listing,
            Some(Err("/p: Permission denied".into()))
        );
        // Esc closes and leaves the body as it was.
        update(&mut app, key(KeyCode::Esc));
        assert!(app.overlay.is_none());
        assert_eq!(app.editor.body.text(), "");
    }

    #[test]
    fn the_picker_window_stays_put_while_the_selection_moves_inside_it() {
        let mut app = app_in("/p");
        app.size = (80, 20);
        let dir = open_picker(&mut app);
        let names: Vec<String> = (0..40).map(|i| format!("f{i:02}.txt")).collect();
        let entries: Vec<(&str, bool)> = names.iter().map(|n| (n.as_str(), false)).collect();
        update(
            &mut app,
            Msg::DirListed {
                dir,
                result: Ok(listing(&entries)),
            },
        );
        crate::app::testing::draw(&mut app);
        let page = app
            .hits
            .rows_of(List::Files)
            .expect("the picker's rows are recorded");
        assert!(page < 40);
        for _ in 0..30 {
            update(&mut app, key(KeyCode::Down));
            crate::app::testing::draw(&mut app);
        }
        let first = picker(&app).list.offset;
        assert!(first > 0, "scrolled down");
        update(&mut app, key(KeyCode::Up));
        let rows = crate::app::testing::draw(&mut app);
        assert_eq!(
            picker(&app).list.offset,
            first,
            "moving up inside the window"
        );
        assert!(rows.iter().any(|r| r.contains(&names[first])));
        // PgUp moves by the rows shown.
        let before = picker(&app).list.selected;
        update(&mut app, key(KeyCode::PageUp));
        assert_eq!(picker(&app).list.selected, before - page);
    }
}
