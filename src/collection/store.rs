//! Finding collection files, loading them (a broken file never hides the others), and saving
//! atomically: temp file in the same folder, fsync, rename, so a crash leaves the old file or the
//! new one, never half of one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::collection::model::Collection;
use crate::collection::parse::{ParseError, parse_collection};
use crate::collection::schemas::load_schemas;

/// One file of the collection tree, loaded or not.
#[derive(Debug, Clone)]
// A handful of these exist per run, so the size gap between a loaded and a broken file is not
// worth a box.
#[allow(clippy::large_enum_variant)]
pub enum LoadedFile {
    Ok {
        collection: Collection,
        /// The text it was parsed from: edits apply to this, and a save first checks that the
        /// file on disk still holds it.
        text: String,
        modified: Option<SystemTime>,
    },
    Broken(ParseError),
}

impl LoadedFile {
    pub fn path(&self) -> &Path {
        match self {
            LoadedFile::Ok { collection, .. } => &collection.path,
            LoadedFile::Broken(e) => &e.path,
        }
    }
}

/// Where collections live when no `-c` is given: `./collections/` if it exists, else the
/// `collections` folder in scout's data folder (`SCOUT_DATA_DIR` overrides it).
pub fn default_location() -> Option<PathBuf> {
    let local = PathBuf::from("collections");
    if local.is_dir() {
        return Some(local);
    }
    if let Some(dir) = std::env::var_os("SCOUT_DATA_DIR") {
        return Some(PathBuf::from(dir).join("collections"));
    }
    directories::ProjectDirs::from("", "", "scout").map(|d| d.data_dir().join("collections"))
}

/// The `.toml` files at `path`: the file itself, or every one in the folder and its subfolders,
/// sorted by path. A folder that does not exist has none.
pub fn discover(path: &Path) -> io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Loads one file.
pub fn load_file(path: &Path) -> LoadedFile {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match std::fs::read_to_string(path) {
        Ok(text) => match parse_collection(&text, path).and_then(|mut c| {
            load_schemas(&mut c, &text)?;
            Ok(c)
        }) {
            Ok(collection) => LoadedFile::Ok {
                collection,
                text,
                modified,
            },
            Err(e) => LoadedFile::Broken(e),
        },
        Err(e) => LoadedFile::Broken(ParseError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the file: {e}"),
        }),
    }
}

/// Loads every collection file at `path` (a file or a folder).
pub fn load_all(path: &Path) -> io::Result<Vec<LoadedFile>> {
    Ok(discover(path)?.iter().map(|p| load_file(p)).collect())
}

/// The steps of an atomic save, for tests that interrupt it at each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    CreateTemp,
    Write,
    Sync,
    Rename,
}

/// The folder `path` is in (`.` for a bare name) and its file name: where a file that replaces
/// it is first written, and what that file is named after.
pub fn folder_and_name(path: &Path) -> (&Path, String) {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, name)
}

/// Replaces `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &str) -> io::Result<()> {
    write_atomic_with(path, contents, &mut |_| Ok(()))
}

/// [`write_atomic`], calling `before` ahead of each step (an error there aborts the save, as a
/// crash would). The temp file is removed on failure; the target is never touched before the
/// rename.
pub fn write_atomic_with(
    path: &Path,
    contents: &str,
    before: &mut dyn FnMut(SaveStep) -> io::Result<()>,
) -> io::Result<()> {
    let (dir, name) = folder_and_name(path);
    let temp = dir.join(format!(".{name}.scout-{}.tmp", std::process::id()));
    let result = (|| {
        before(SaveStep::CreateTemp)?;
        let mut file = std::fs::File::create(&temp)?;
        // Keep the permissions of the file being replaced.
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = file.set_permissions(meta.permissions());
        }
        before(SaveStep::Write)?;
        file.write_all(contents.as_bytes())?;
        before(SaveStep::Sync)?;
        file.sync_all()?;
        before(SaveStep::Rename)?;
        std::fs::rename(&temp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_interrupted_at_any_step_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.toml");
        let old = "name = \"old\"\n";
        std::fs::write(&path, old).unwrap();
        for step in [
            SaveStep::CreateTemp,
            SaveStep::Write,
            SaveStep::Sync,
            SaveStep::Rename,
        ] {
            let err = write_atomic_with(&path, "name = \"new\"\n", &mut |s| {
                if s == step {
                    Err(io::Error::other("killed"))
                } else {
                    Ok(())
                }
            });
            assert!(err.is_err());
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                old,
                "after {step:?}"
            );
            let names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, ["demo.toml"], "no temp file left after {step:?}");
        }
        write_atomic(&path, "name = \"new\"\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "name = \"new\"\n");
    }

    /// `collections/demo.toml` has a request for every endpoint of the demo API, and each of its
    /// auth choices names a profile it defines.
    #[test]
    fn the_demo_collection_covers_every_demo_endpoint() {
        let demo = crate::collection::parse_collection(
            crate::collection::BUILTIN_DEMO,
            Path::new("collections/demo.toml"),
        )
        .unwrap();
        let matches = |pattern: &str, url: &str| {
            let path = url
                .trim_start_matches("{{base_url}}")
                .split(['?', '#'])
                .next()
                .unwrap_or_default();
            let want: Vec<&str> = pattern
                .split('?')
                .next()
                .unwrap_or_default()
                .split('/')
                .collect();
            let got: Vec<&str> = path.split('/').collect();
            let rest = want.last().is_some_and(|w| w.starts_with("{*"));
            (got.len() == want.len() || (rest && got.len() >= want.len()))
                && want
                    .iter()
                    .zip(&got)
                    .all(|(w, g)| w.starts_with('{') && !g.is_empty() || w == g)
        };
        for (method, pattern, _) in crate::demo::ENDPOINTS {
            let covered = demo.requests.iter().any(|r| {
                (*method == "ANY" || r.method.as_str() == *method) && matches(pattern, &r.url)
            });
            assert!(covered, "no request in demo.toml for {method} {pattern}");
        }
        for r in &demo.requests {
            demo.auth_for(r).unwrap_or_else(|e| panic!("{}: {e}", r.id));
        }
    }

    #[test]
    fn every_shipped_collection_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
        let files = load_all(&dir).unwrap();
        assert!(files.len() >= 2);
        for f in &files {
            match f {
                LoadedFile::Ok { collection, .. } => assert!(!collection.requests.is_empty()),
                LoadedFile::Broken(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn one_broken_file_does_not_hide_the_others() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("team")).unwrap();
        std::fs::write(
            dir.path().join("a.toml"),
            "[requests.x]\nurl = \"http://h/\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("team/b.toml"), "[requests.y]\nurl = 3\n").unwrap();
        std::fs::write(dir.path().join("notes.md"), "not a collection").unwrap();
        std::fs::write(dir.path().join(".a.toml.scout-1.tmp"), "junk").unwrap();
        let files = load_all(dir.path()).unwrap();
        assert_eq!(files.len(), 2);
        assert!(matches!(&files[0], LoadedFile::Ok { collection, .. } if collection.name == "a"));
        let LoadedFile::Broken(e) = &files[1] else {
            panic!()
        };
        assert_eq!(e.line, 2);
        assert!(e.path.ends_with("team/b.toml"));
        assert!(load_all(&dir.path().join("missing")).unwrap().is_empty());
    }
}
