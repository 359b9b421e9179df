//! The blocking work effects ask for, as plain functions: reading and writing files (folders for
//! the picker, collections, saved bodies) and the CPU work on bodies (redacting, merging pages).
//! `super::effects` runs each off the UI thread.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use crate::app::SaveOutcome;
use crate::app::files::{DirEntry, Listing, MAX_ENTRIES};
use crate::app::tree::TreeFile;
use crate::collection::BUILTIN_DEMO;
use crate::collection::store::{LoadedFile, folder_and_name, load_all, load_file, write_atomic};
use crate::highlight::Document;
use crate::model::Redactor;
use crate::template::EnvSource;

/// Lists `dir` for the picker: folders first, then files, each by name; at most
/// [`MAX_ENTRIES`].
pub fn list_dir(dir: &Path) -> Result<Listing, String> {
    let read = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries = Vec::new();
    let mut truncated = false;
    for entry in read.flatten() {
        if entries.len() == MAX_ENTRIES {
            truncated = true;
            break;
        }
        // Follows symlinks, so a link to a folder opens like a folder.
        let meta = std::fs::metadata(entry.path()).ok();
        let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
        entries.push(DirEntry {
            name: entry.file_name().to_string_lossy().into_owned(),
            is_dir,
            size: meta.filter(|m| m.is_file()).map(|m| m.len()),
        });
    }
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(Listing { entries, truncated })
}

/// Loads the collections at `path` (plus the built-in demo when none of them is it and the
/// demo server runs).
pub fn load_collections(path: Option<&Path>, injected: &[(String, String)]) -> Vec<TreeFile> {
    let mut files: Vec<LoadedFile> = match path {
        Some(p) => {
            crate::fault::panic_if_asked("collections");
            load_all(p).unwrap_or_else(|e| {
                vec![LoadedFile::Broken(crate::collection::ParseError {
                    path: p.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the folder: {e}"),
                })]
            })
        }
        None => Vec::new(),
    };
    let has_demo = files.iter().any(|f| match f {
        LoadedFile::Ok { collection, .. } => crate::collection::uses_demo(collection),
        LoadedFile::Broken(_) => false,
    });
    let user_files = files.len();
    if !has_demo
        && injected
            .iter()
            .any(|(k, _)| k == crate::collection::DEMO_URL_VAR)
    {
        let path = PathBuf::from("(built-in) demo.toml");
        if let Ok(collection) = crate::collection::parse_collection(BUILTIN_DEMO, &path) {
            files.push(LoadedFile::Ok {
                collection,
                text: BUILTIN_DEMO.to_string(),
                modified: None,
            });
        }
    }
    files
        .into_iter()
        .enumerate()
        .map(|(i, loaded)| tree_file(loaded, i >= user_files))
        .collect()
}

/// A loaded file as the tree holds it, with its `.env` read (blocking I/O).
pub fn tree_file(loaded: LoadedFile, builtin: bool) -> TreeFile {
    let env_source = match &loaded {
        LoadedFile::Ok { collection, .. } if !builtin => {
            crate::collection::env_source_for(collection, &[]).unwrap_or_default()
        }
        _ => EnvSource::new(),
    };
    TreeFile {
        loaded,
        env_source,
        builtin,
    }
}

/// Writes a collection file if it still holds `expected`, then loads it again.
pub fn write_collection(
    path: &Path,
    expected: Option<&str>,
    text: &str,
) -> Result<TreeFile, String> {
    let on_disk = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if on_disk.as_deref() != expected {
        return Err(format!(
            "{} changed on disk since scout loaded it, so scout did not overwrite it",
            path.display()
        ));
    }
    // Replacing the file by a rename would succeed even so: a read-only file is refused.
    if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(format!(
            "{} is read-only, so scout did not overwrite it; the edit stays in the editor (make \
             the file writable, then save again)",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    write_atomic(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(tree_file(load_file(path), false))
}

/// `body` with every one of `secrets` replaced by `[redacted]`.
pub fn redacted(body: Bytes, secrets: Vec<String>) -> Bytes {
    if secrets.is_empty() {
        return body;
    }
    let redactor = Redactor::new(secrets);
    match redactor.redact_bytes(&body) {
        std::borrow::Cow::Borrowed(_) => body,
        std::borrow::Cow::Owned(b) => Bytes::from(b),
    }
}

/// Every page's items as one pretty-printed JSON array, redacted.
pub fn pages_json(pages: &[Arc<Vec<Value>>], secrets: Vec<String>) -> Bytes {
    let all: Vec<&Value> = pages.iter().flat_map(|p| p.iter()).collect();
    let body = serde_json::to_vec_pretty(&all).unwrap_or_default();
    redacted(Bytes::from(body), secrets)
}

/// Every page's items as the Body tab's document: the CPU work behind `Effect::MergePages`.
pub fn merge_pages(pages: &[Arc<Vec<Value>>], secrets: Vec<String>) -> Document {
    let doc = Document::from_body(&pages_json(pages, secrets), Some("application/json"));
    // Built off the UI thread, as for any prepared body.
    let _ = doc.outline();
    doc
}

/// Writes a saved body to `path` all or nothing: `write` fills a temporary file beside it, which
/// then takes `path`'s place (an existing file is replaced only when `overwrite`; a new file is
/// made with the usual permissions, a replaced one keeps its own). A write that fails part way (a
/// full disk, a file size limit) leaves no partial file, and a file being replaced as it was.
fn save_with(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&mut std::fs::File) -> io::Result<u64>,
) -> SaveOutcome {
    if !overwrite && path.symlink_metadata().is_ok() {
        return SaveOutcome::Exists;
    }
    // Replacing a link replaces the file it points to, as writing into it did.
    let path = match overwrite {
        true => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        false => path.to_path_buf(),
    };
    let (dir, name) = folder_and_name(&path);
    let existing = std::fs::metadata(&path).ok().map(|m| m.permissions());
    let result = (|| -> io::Result<u64> {
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // 0666 less the umask, as for any new file.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder.tempfile_in(dir)?;
        if let Some(permissions) = &existing {
            temp.as_file().set_permissions(permissions.clone())?;
        }
        let bytes = write(temp.as_file_mut())?;
        temp.as_file().sync_all()?;
        match overwrite {
            true => temp.persist(&path),
            false => temp.persist_noclobber(&path).or_else(|e| {
                // A file system with neither no-replace renames nor hard links (FAT, some
                // network shares): look, then rename.
                if e.error.kind() == io::ErrorKind::AlreadyExists || path.symlink_metadata().is_ok()
                {
                    Err(e)
                } else {
                    e.file.persist(&path)
                }
            }),
        }
        .map_err(|e| e.error)?;
        Ok(bytes)
    })();
    match result {
        Ok(bytes) => SaveOutcome::Written { bytes, items: None },
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => SaveOutcome::Exists,
        Err(e) => SaveOutcome::Failed(e.to_string()),
    }
}

/// Writes a body; refuses to replace an existing file unless `overwrite`.
pub fn save(path: &Path, body: &[u8], overwrite: bool) -> SaveOutcome {
    save_with(path, overwrite, |file| {
        file.write_all(body)?;
        Ok(body.len() as u64)
    })
}

/// Lines `chunk * CHUNK_LINES ..` of a body kept on disk, as the Body tab shows them: decoded
/// (invalid UTF-8 replaced), control characters made visible and tabs expanded as for any body,
/// `secrets` redacted, highlighted in the language of `content_type` (each line as written:
/// JSON Lines as JSON), and a line too long to keep whole ended by what was left off.
pub fn file_lines(
    spilled: &crate::model::Spilled,
    chunk: usize,
    content_type: Option<&str>,
    secrets: Vec<String>,
) -> io::Result<Vec<crate::highlight::StyledLine>> {
    use ratatui::style::{Modifier, Style};
    use ratatui::text::Span;

    let first = (chunk * crate::app::exchange::CHUNK_LINES) as u64;
    let read = crate::http::spill::read_lines(spilled, first, crate::app::exchange::CHUNK_LINES)?;
    let mut text = String::new();
    for (i, line) in read.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&line.text);
    }
    let text = redacted(Bytes::from(text), secrets);
    let lang = crate::highlight::Lang::from_content_type(content_type);
    let doc = Document::from_lines(&String::from_utf8_lossy(&text), lang);
    let styled = crate::highlight::highlighter().highlight(&doc, 0..read.len());
    Ok(read
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut shown = styled.get(i).cloned().unwrap_or_default();
            if line.cut > 0 {
                shown.spans.push(Span::styled(
                    format!(
                        " … {} more in this line",
                        crate::model::human_size(line.cut)
                    ),
                    Style::default().add_modifier(Modifier::REVERSED),
                ));
            }
            shown
        })
        .collect())
}

/// Writes a body kept on disk to `path` (as [`save`] does), redacting `secrets` a run of whole
/// lines at a time: a secret is found unless it spans a line break, or sits in a single line
/// longer than 16 MB where two reads meet.
pub fn save_file(
    path: &Path,
    spilled: &crate::model::Spilled,
    secrets: Vec<String>,
    overwrite: bool,
) -> SaveOutcome {
    const BLOCK: usize = 4 * 1024 * 1024;
    const LONGEST_CARRY: usize = 16 * 1024 * 1024;
    let redactor = (!secrets.is_empty()).then(|| Redactor::new(secrets));
    save_with(path, overwrite, |out| {
        let mut input = std::fs::File::open(spilled.path())?;
        let mut pending: Vec<u8> = Vec::new();
        let mut buf = vec![0u8; BLOCK];
        let mut written = 0u64;
        loop {
            let n = io::Read::read(&mut input, &mut buf)?;
            pending.extend_from_slice(&buf[..n]);
            let cut = if n == 0 {
                pending.len()
            } else {
                match pending.iter().rposition(|b| *b == b'\n') {
                    Some(i) => i + 1,
                    None if pending.len() > LONGEST_CARRY => pending.len(),
                    None => continue,
                }
            };
            let part = &pending[..cut];
            let part = match &redactor {
                Some(r) => r.redact_bytes(part),
                None => std::borrow::Cow::Borrowed(part),
            };
            out.write_all(&part)?;
            written += part.len() as u64;
            pending.drain(..cut);
            if n == 0 {
                return Ok(written);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(bytes: u64) -> SaveOutcome {
        SaveOutcome::Written { bytes, items: None }
    }

    #[test]
    fn a_read_only_or_changed_collection_is_not_overwritten_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let old = "name = \"C\"\n[requests.a]\nurl = \"http://x/\"\n";
        std::fs::write(&path, old).unwrap();
        let new = old.replace("x/", "y/");
        // Another scout (or an editor) changed it since it was loaded.
        let why = write_collection(&path, Some("name = \"C\"\n"), &new)
            .err()
            .unwrap();
        assert!(why.contains("changed on disk"), "{why}");
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let why = write_collection(&path, Some(old), &new).err().unwrap();
        assert!(
            why.contains("is read-only") && why.contains("stays in the editor"),
            "{why}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), old, "untouched");
        // Writable again, it saves.
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
        assert!(write_collection(&path, Some(old), &new).is_ok());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), new);
    }

    #[test]
    fn lines_on_disk_are_shown_redacted_visible_and_cut() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = crate::http::spill::SpillFile::create(dir.path()).unwrap();
        spill.write(b"key=hunter2\n\x1b[31mred\n").unwrap();
        spill.write(&[b'x'; 10_000]).unwrap();
        let spilled = spill.finish().unwrap();
        let lines = file_lines(&spilled, 0, None, vec!["hunter2".into()]).unwrap();
        let text =
            |i: usize| -> String { lines[i].spans.iter().map(|s| s.content.as_ref()).collect() };
        assert_eq!(lines.len(), 3);
        assert!(!text(0).contains("hunter2"), "{}", text(0));
        assert!(text(1).starts_with('␛'), "{}", text(1));
        assert!(
            text(2).ends_with(" … 5.8 KB more in this line"),
            "{}",
            text(2)
        );
    }

    #[test]
    fn a_body_on_disk_is_saved_whole_and_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = crate::http::spill::SpillFile::create(dir.path()).unwrap();
        let line = "token=hunter2 and more text\n".repeat(100_000);
        spill.write(line.as_bytes()).unwrap();
        spill.write(b"last hunter2").unwrap();
        let spilled = spill.finish().unwrap();
        let target = dir.path().join("saved");
        let outcome = save_file(&target, &spilled, vec!["hunter2".into()], false);
        let saved = std::fs::read_to_string(&target).unwrap();
        assert_eq!(
            outcome,
            SaveOutcome::Written {
                bytes: saved.len() as u64,
                items: None
            }
        );
        assert!(!saved.contains("hunter2"));
        assert_eq!(saved.lines().count(), 100_001);
        assert_eq!(
            save_file(&target, &spilled, Vec::new(), false),
            SaveOutcome::Exists
        );
        assert_eq!(
            save_file(&target, &spilled, Vec::new(), true),
            SaveOutcome::Written {
                bytes: spilled.len(),
                items: None
            }
        );
    }

    #[test]
    fn saving_never_overwrites_without_asking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.json");
        assert_eq!(save(&path, b"one", false), written(3));
        assert_eq!(save(&path, b"two", false), SaveOutcome::Exists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(save(&path, b"three", true), written(5));
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let bad = dir.path().join("missing-dir").join("x");
        assert!(matches!(save(&bad, b"x", false), SaveOutcome::Failed(_)));
    }

    /// A write stopped part way (a full disk): nothing is left beside the file, and a file
    /// being replaced keeps what it held.
    #[test]
    fn a_save_that_fails_part_way_leaves_no_partial_file_and_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.json");
        let failing = |file: &mut std::fs::File| -> io::Result<u64> {
            file.write_all(b"half of it")?;
            Err(io::Error::other("File too large"))
        };
        let names = || -> Vec<String> {
            std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            save_with(&path, false, failing),
            SaveOutcome::Failed("File too large".into())
        );
        assert!(names().is_empty(), "left behind: {:?}", names());
        std::fs::write(&path, "old").unwrap();
        assert!(matches!(
            save_with(&path, true, failing),
            SaveOutcome::Failed(_)
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(), ["body.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_saved_file_has_the_usual_permissions_and_a_replaced_one_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let usual = dir.path().join("usual");
        std::fs::write(&usual, "").unwrap();
        let new = dir.path().join("new");
        assert_eq!(save(&new, b"x", false), written(1));
        assert_eq!(mode(&new), mode(&usual), "as any new file (umask applied)");
        let private = dir.path().join("private");
        std::fs::write(&private, "").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(save(&private, b"xy", true), written(2));
        assert_eq!(mode(&private), 0o600);
        // Through a link: the file it points to is replaced, the link stays.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&private, &link).unwrap();
        assert_eq!(save(&link, b"xyz", true), written(3));
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&private).unwrap(), b"xyz");
    }

    #[test]
    fn exported_and_shown_bodies_are_redacted_unless_revealed() {
        let body = Bytes::from_static(br#"{"token": "s3cret-value", "n": 1}"#);
        assert_eq!(
            redacted(body.clone(), vec!["s3cret-value".into()]),
            &br#"{"token": "[redacted]", "n": 1}"#[..]
        );
        assert_eq!(redacted(body.clone(), Vec::new()), body);
    }

    #[test]
    fn listing_a_real_folder_puts_folders_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "hello").unwrap();
        std::fs::write(dir.path().join("A.txt"), "").unwrap();
        std::fs::create_dir(dir.path().join("z")).unwrap();
        let l = list_dir(dir.path()).unwrap();
        let names: Vec<_> = l.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["z", "A.txt", "b.txt"]);
        assert_eq!(l.entries[2].size, Some(5));
        assert!(
            list_dir(&dir.path().join("missing"))
                .unwrap_err()
                .contains("missing")
        );
    }
}
