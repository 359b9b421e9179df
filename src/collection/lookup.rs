//! Finding saved requests across the files of a collection tree, and listing them: what
//! `scout send -c` does before it sends.

use std::fmt::Write as _;

use crate::collection::Collection;
use crate::collection::store::LoadedFile;

/// The request `path` (`id` or `folder/id`) in `files`, with the file and collection it
/// belongs to. Ambiguity and absence are errors that say what exists.
pub fn find_request<'a>(
    files: &'a [LoadedFile],
    path: &str,
) -> Result<
    (
        &'a LoadedFile,
        &'a Collection,
        &'a crate::collection::SavedRequest,
    ),
    String,
> {
    let collections: Vec<(&LoadedFile, &Collection)> = files
        .iter()
        .filter_map(|f| match f {
            LoadedFile::Ok { collection, .. } => Some((f, collection)),
            LoadedFile::Broken(_) => None,
        })
        .collect();
    let hits: Vec<_> = collections
        .iter()
        .filter_map(|(f, c)| c.find(path).map(|r| (*f, *c, r)))
        .collect();
    match hits.as_slice() {
        [(file, collection, request)] => Ok((*file, *collection, *request)),
        [] => {
            let mut msg = format!("no request `{path}`");
            let broken: Vec<String> = files
                .iter()
                .filter_map(|f| match f {
                    LoadedFile::Broken(e) => Some(e.to_string()),
                    LoadedFile::Ok { .. } => None,
                })
                .collect();
            if collections.is_empty() && broken.is_empty() {
                msg.push_str(": no collection files found there");
            } else {
                let all: Vec<String> = collections
                    .iter()
                    .flat_map(|(_, c)| c.requests.iter().map(|r| r.path()))
                    .collect();
                if let Some(meant) = meant(path, &all) {
                    let _ = write!(msg, "; did you mean `{meant}`?");
                }
                let ids: Vec<&str> = all.iter().take(12).map(String::as_str).collect();
                if !ids.is_empty() {
                    let _ = write!(msg, " (there are: {}; --list shows all)", ids.join(", "));
                }
            }
            for b in broken {
                let _ = write!(msg, "\n  (not loaded: {b})");
            }
            Err(msg)
        }
        many => Err(format!(
            "`{path}` is in several collections ({}); point -c at one file",
            many.iter()
                .map(|(_, c, _)| c.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The listing `scout send -c PATH --list` prints: per file, its requests' method, `folder/id`
/// and name; broken files say why. Returns the text and whether every file loaded.
pub fn listing(files: &[LoadedFile]) -> (String, bool) {
    let mut out = String::new();
    let mut all_ok = true;
    for f in files {
        match f {
            LoadedFile::Ok { collection, .. } => {
                let _ = writeln!(out, "{} ({})", collection.name, collection.path.display());
                let width = collection
                    .requests
                    .iter()
                    .map(|r| r.path().chars().count())
                    .max()
                    .unwrap_or(0);
                for r in &collection.requests {
                    let _ = writeln!(
                        out,
                        "  {:<7} {:<width$}  {}",
                        r.method.as_str(),
                        r.path(),
                        r.name.as_deref().unwrap_or("")
                    );
                }
                if !collection.environments.is_empty() {
                    let names: Vec<&str> = collection
                        .environments
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect();
                    let _ = writeln!(out, "  environments: {}", names.join(", "));
                }
            }
            LoadedFile::Broken(e) => {
                all_ok = false;
                let _ = writeln!(out, "broken: {e}");
            }
        }
    }
    (out, all_ok)
}

/// The request id closest to `typed` (a typo of the whole id, or of its last part: `jsn` →
/// `documents/json`).
fn meant<'a>(typed: &str, ids: &'a [String]) -> Option<&'a str> {
    let last = |id: &'a String| id.rsplit('/').next().unwrap_or(id);
    crate::model::closest(typed, ids.iter().map(String::as_str)).or_else(|| {
        let typed_last = typed.rsplit('/').next().unwrap_or(typed);
        let name = crate::model::closest(typed_last, ids.iter().map(last))?;
        ids.iter().find(|id| last(id) == name).map(String::as_str)
    })
}
