//! The collection tree pane's state: the loaded files, which folders are open, the filter, the
//! selected environment per collection, and the flattened rows the pane shows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::app::list::ListState;
use crate::app::text::TextInput;
use crate::collection::store::LoadedFile;
use crate::collection::{Collection, SavedRequest};
use crate::template::EnvSource;

/// One file of the tree, as loaded in the background.
#[derive(Clone)]
pub struct TreeFile {
    pub loaded: LoadedFile,
    /// `env.*` lookups for this collection (its `.env` already read).
    pub env_source: EnvSource,
    /// Embedded in scout (the demo tour when no collection is found): saved elsewhere.
    pub builtin: bool,
}

impl std::fmt::Debug for TreeFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TreeFile")
            .field("path", &self.loaded.path())
            .field("builtin", &self.builtin)
            .finish_non_exhaustive()
    }
}

impl TreeFile {
    pub fn collection(&self) -> Option<&Collection> {
        match &self.loaded {
            LoadedFile::Ok { collection, .. } => Some(collection),
            LoadedFile::Broken(_) => None,
        }
    }

    pub fn path(&self) -> &Path {
        self.loaded.path()
    }
}

/// A line of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Collection {
        file: usize,
    },
    Folder {
        file: usize,
        path: String,
        depth: usize,
    },
    Request {
        file: usize,
        index: usize,
        depth: usize,
    },
    /// A `[runs.NAME]` of the collection: replayed as checked steps (Enter, Ctrl+G).
    Run {
        file: usize,
        index: usize,
    },
    Broken {
        file: usize,
    },
}

impl Row {
    pub fn file(&self) -> usize {
        match self {
            Row::Collection { file }
            | Row::Folder { file, .. }
            | Row::Request { file, .. }
            | Row::Run { file, .. }
            | Row::Broken { file } => *file,
        }
    }
}

#[derive(Debug, Default)]
pub struct CollectionTree {
    pub files: Vec<TreeFile>,
    /// `(file, folder path)` pairs that are open; folders start closed.
    pub open_folders: BTreeSet<(usize, String)>,
    /// Collections the user closed; collections start open.
    pub closed: BTreeSet<usize>,
    /// The cursor over [`CollectionTree::rows`].
    pub list: ListState,
    /// Only requests whose method, id, name, folder or URL contain this (any case) are shown.
    pub filter: String,
    /// The filter while it is being typed.
    pub filtering: Option<TextInput>,
    /// The environment chosen for each collection, by file path.
    pub environments: BTreeMap<PathBuf, String>,
    /// Still loading (shown as such).
    pub loading: bool,
}

/// A folder level while flattening: children in order of first appearance.
#[derive(Default)]
struct Node {
    children: Vec<Child>,
}

enum Child {
    Folder(String, Node),
    Request(usize),
}

impl Node {
    fn insert(&mut self, segments: &[&str], index: usize) {
        match segments.split_first() {
            None => self.children.push(Child::Request(index)),
            Some((first, rest)) => {
                let pos = self
                    .children
                    .iter()
                    .position(|c| matches!(c, Child::Folder(n, _) if n == first));
                let pos = pos.unwrap_or_else(|| {
                    self.children
                        .push(Child::Folder((*first).to_string(), Node::default()));
                    self.children.len() - 1
                });
                if let Child::Folder(_, node) = &mut self.children[pos] {
                    node.insert(rest, index);
                }
            }
        }
    }
}

impl CollectionTree {
    pub fn rows(&self) -> Vec<Row> {
        let filter = self.active_filter().to_lowercase();
        let mut rows = Vec::new();
        for (file, f) in self.files.iter().enumerate() {
            let Some(c) = f.collection() else {
                rows.push(Row::Broken { file });
                continue;
            };
            let mut root = Node::default();
            for (i, r) in c.requests.iter().enumerate() {
                if !filter.is_empty() && !matches(r, &filter) {
                    continue;
                }
                let segments: Vec<&str> = r
                    .folder
                    .as_deref()
                    .map_or(Vec::new(), |p| p.split('/').collect());
                root.insert(&segments, i);
            }
            let runs: Vec<usize> = (0..c.runs.len())
                .filter(|&i| filter.is_empty() || c.runs[i].name.to_lowercase().contains(&filter))
                .collect();
            if !filter.is_empty() && root.children.is_empty() && runs.is_empty() {
                continue;
            }
            rows.push(Row::Collection { file });
            if self.closed.contains(&file) && filter.is_empty() {
                continue;
            }
            self.flatten(file, &root, "", 1, !filter.is_empty(), &mut rows);
            rows.extend(runs.into_iter().map(|index| Row::Run { file, index }));
        }
        rows
    }

    fn flatten(
        &self,
        file: usize,
        node: &Node,
        prefix: &str,
        depth: usize,
        all_open: bool,
        rows: &mut Vec<Row>,
    ) {
        for child in &node.children {
            match child {
                Child::Request(index) => rows.push(Row::Request {
                    file,
                    index: *index,
                    depth,
                }),
                Child::Folder(name, sub) => {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}/{name}")
                    };
                    rows.push(Row::Folder {
                        file,
                        path: path.clone(),
                        depth,
                    });
                    if all_open || self.open_folders.contains(&(file, path.clone())) {
                        self.flatten(file, sub, &path, depth + 1, all_open, rows);
                    }
                }
            }
        }
    }

    /// The filter in force: the one being typed, else the kept one.
    pub fn active_filter(&self) -> String {
        match &self.filtering {
            Some(input) => input.text(),
            None => self.filter.clone(),
        }
    }

    pub fn selected_row(&self) -> Option<Row> {
        let rows = self.rows();
        rows.get(self.list.selected.min(rows.len().saturating_sub(1)))
            .cloned()
    }

    /// The `description` of the selected request or folder, if it has one.
    pub fn selected_description(&self) -> Option<&str> {
        match self.selected_row()? {
            Row::Request { file, index, .. } => self.request(file, index)?.description.as_deref(),
            Row::Folder { file, path, .. } => self
                .collection(file)?
                .folders
                .iter()
                .find(|f| f.path == path)?
                .description
                .as_deref(),
            _ => None,
        }
    }

    pub fn collection(&self, file: usize) -> Option<&Collection> {
        self.files.get(file).and_then(TreeFile::collection)
    }

    pub fn request(&self, file: usize, index: usize) -> Option<&SavedRequest> {
        self.collection(file).and_then(|c| c.requests.get(index))
    }

    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.files.iter().position(|f| f.path() == path)
    }

    /// The collection the selection is in (for "save as" and the environment picker).
    pub fn selected_file(&self) -> Option<usize> {
        self.selected_row().map(|r| r.file())
    }

    /// Moves the selection to the row showing request `id` of `path`, opening its folders.
    pub fn reveal(&mut self, path: &Path, id: &str) {
        let Some(file) = self.file_index(path) else {
            return;
        };
        let Some(c) = self.collection(file) else {
            return;
        };
        let Some(index) = c.requests.iter().position(|r| r.id == id) else {
            return;
        };
        if let Some(folder) = c.requests[index].folder.clone() {
            let mut acc = String::new();
            for seg in folder.split('/') {
                if !acc.is_empty() {
                    acc.push('/');
                }
                acc.push_str(seg);
                self.open_folders.insert((file, acc.clone()));
            }
        }
        self.closed.remove(&file);
        if let Some(pos) = self.rows().iter().position(
            |r| matches!(r, Row::Request { file: f, index: i, .. } if *f == file && *i == index),
        ) {
            self.list.selected = pos;
        }
    }

    /// Opens or closes the selected collection or folder.
    pub fn toggle(&mut self, open: Option<bool>) {
        match self.selected_row() {
            Some(Row::Collection { file }) => {
                let is_open = !self.closed.contains(&file);
                if open.unwrap_or(!is_open) {
                    self.closed.remove(&file);
                } else {
                    self.closed.insert(file);
                }
            }
            Some(Row::Folder { file, path, .. }) => {
                let key = (file, path);
                let is_open = self.open_folders.contains(&key);
                if open.unwrap_or(!is_open) {
                    self.open_folders.insert(key);
                } else {
                    self.open_folders.remove(&key);
                }
            }
            _ => {}
        }
    }
}

fn matches(r: &SavedRequest, filter: &str) -> bool {
    [
        r.method.as_str(),
        &r.id,
        r.name.as_deref().unwrap_or(""),
        r.folder.as_deref().unwrap_or(""),
        &r.url,
    ]
    .iter()
    .any(|s| s.to_lowercase().contains(filter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::parse_collection;

    fn tree(text: &str) -> CollectionTree {
        let collection = parse_collection(text, Path::new("/c/t.toml")).unwrap();
        CollectionTree {
            files: vec![TreeFile {
                loaded: LoadedFile::Ok {
                    collection,
                    text: text.to_string(),
                    modified: None,
                },
                env_source: EnvSource::empty(),
                builtin: false,
            }],
            ..Default::default()
        }
    }

    const TEXT: &str = r#"
[requests.root]
url = "/"
[requests.a]
folder = "items"
url = "/items"
[requests.b]
folder = "items/admin"
url = "/admin"
[requests.c]
folder = "items"
method = "POST"
url = "/items"
"#;

    #[test]
    fn folders_group_in_order_of_first_appearance_and_start_closed() {
        let mut t = tree(TEXT);
        assert_eq!(
            t.rows(),
            vec![
                Row::Collection { file: 0 },
                Row::Request {
                    file: 0,
                    index: 0,
                    depth: 1
                },
                Row::Folder {
                    file: 0,
                    path: "items".into(),
                    depth: 1
                },
            ]
        );
        t.list.selected = 2;
        t.toggle(None);
        let rows = t.rows();
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows[3],
            Row::Request {
                file: 0,
                index: 1,
                depth: 2
            }
        );
        assert_eq!(
            rows[4],
            Row::Folder {
                file: 0,
                path: "items/admin".into(),
                depth: 2
            }
        );
        assert_eq!(
            rows[5],
            Row::Request {
                file: 0,
                index: 3,
                depth: 2
            }
        );
    }

    #[test]
    fn the_filter_shows_matches_with_their_folders_open() {
        let mut t = tree(TEXT);
        t.filter = "admin".into();
        assert_eq!(
            t.rows(),
            vec![
                Row::Collection { file: 0 },
                Row::Folder {
                    file: 0,
                    path: "items".into(),
                    depth: 1
                },
                Row::Folder {
                    file: 0,
                    path: "items/admin".into(),
                    depth: 2
                },
                Row::Request {
                    file: 0,
                    index: 2,
                    depth: 3
                },
            ]
        );
        t.filter = "post".into();
        assert_eq!(t.rows().len(), 3);
        t.filter = "nothing-like-this".into();
        assert!(t.rows().is_empty());
    }

    #[test]
    fn reveal_opens_the_way_to_a_request() {
        let mut t = tree(TEXT);
        t.reveal(Path::new("/c/t.toml"), "b");
        assert_eq!(
            t.selected_row(),
            Some(Row::Request {
                file: 0,
                index: 2,
                depth: 3
            })
        );
    }
}
