//! `scout export FORMAT -c COLLECTION [ID|FOLDER]…`: saved requests as curl or HTTPie commands
//! or Hurl entries, as written (`{{templates}}` and secret references kept); and
//! `scout export har --history [--last N]`: exchanges from the history as a HAR file.

use std::path::PathBuf;

use crate::collection::store::{LoadedFile, load_all, write_atomic};
use crate::collection::{Collection, SavedRequest};
use crate::export::{ExportRequest, curl, har, httpie, hurl};
use crate::model::counted;

pub mod exit {
    pub const OK: i32 = 0;
    /// A collection or target that does not exist, or output that cannot be written.
    pub const BAD_INPUT: i32 = 2;
}

/// The formats `scout export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Curl,
    Httpie,
    Hurl,
    Har,
}

#[derive(Debug, Clone)]
pub struct ExportArgs {
    pub format: ExportFormat,
    pub collection: Option<PathBuf>,
    /// Request ids (`folder/id`) or folders; none: every request.
    pub targets: Vec<String>,
    pub output: Option<PathBuf>,
    /// HAR: the history file to read.
    pub history: Option<PathBuf>,
    pub last: Option<usize>,
}

pub fn run(args: &ExportArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let text = match export_text(args, err) {
        Ok(text) => text,
        Err(message) => {
            let _ = writeln!(err, "scout: {message}");
            return exit::BAD_INPUT;
        }
    };
    match &args.output {
        Some(path) => match write_atomic(path, &text) {
            Ok(()) => exit::OK,
            Err(e) => {
                let _ = writeln!(err, "scout: cannot write {}: {e}", path.display());
                exit::BAD_INPUT
            }
        },
        None => match out.write_all(text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(_) => exit::BAD_INPUT,
        },
    }
}

fn export_text(args: &ExportArgs, err: &mut dyn std::io::Write) -> Result<String, String> {
    if args.format == ExportFormat::Har {
        let path = args.history.clone().ok_or(
            "a HAR comes from the history: scout export har --history [--last N]".to_string(),
        )?;
        let store = crate::history::HistoryStore::open(&path).map_err(|e| e.to_string())?;
        let loaded = store.load().map_err(|e| e.to_string())?;
        let mut records = loaded.records;
        if let Some(n) = args.last {
            let skip = records.len().saturating_sub(n);
            records.drain(..skip);
        }
        let (text, skipped) = har::to_har(&records);
        if skipped > 0 {
            let _ = writeln!(
                err,
                "{} without a response (failed or cancelled) left out",
                counted(skipped, "exchange")
            );
        }
        return Ok(text + "\n");
    }
    let path = args
        .collection
        .as_ref()
        .ok_or("name the collection: scout export FORMAT -c FILE [ID|FOLDER]…")?;
    let files = load_all(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for f in &files {
        if let LoadedFile::Broken(e) = f {
            return Err(e.to_string());
        }
    }
    let collections: Vec<&Collection> = files
        .iter()
        .filter_map(|f| match f {
            LoadedFile::Ok { collection, .. } => Some(collection),
            LoadedFile::Broken(_) => None,
        })
        .collect();
    let selected = select(&collections, &args.targets)?;
    let requests: Vec<ExportRequest> = selected
        .iter()
        .map(|(c, r)| ExportRequest::from_saved(c, r))
        .collect();
    Ok(match args.format {
        ExportFormat::Hurl => hurl::to_hurl_file(&requests),
        ExportFormat::Curl | ExportFormat::Httpie => {
            let mut text = String::new();
            for (r, (_, saved)) in requests.iter().zip(&selected) {
                text.push_str(&format!("# {}\n", saved.path()));
                text.push_str(&match args.format {
                    ExportFormat::Curl => curl::to_curl(r),
                    _ => httpie::to_httpie(r),
                });
                text.push_str("\n\n");
            }
            text.trim_end().to_string() + "\n"
        }
        ExportFormat::Har => unreachable!("handled above"),
    })
}

/// The requests `targets` name (ids, `folder/id`s, or folders with everything under them), in
/// file order; all of them without targets. A target that names nothing is an error.
fn select<'a>(
    collections: &[&'a Collection],
    targets: &[String],
) -> Result<Vec<(&'a Collection, &'a SavedRequest)>, String> {
    let all = collections
        .iter()
        .flat_map(|c| c.requests.iter().map(move |r| (*c, r)));
    if targets.is_empty() {
        return Ok(all.collect());
    }
    let mut out = Vec::new();
    for target in targets {
        let t = target.trim_matches('/');
        let hits: Vec<_> = all
            .clone()
            .filter(|(_, r)| {
                r.path() == t
                    || r.id == t
                    || r.folder
                        .as_deref()
                        .is_some_and(|f| f == t || f.starts_with(&format!("{t}/")))
            })
            .collect();
        if hits.is_empty() {
            let known: Vec<String> = all.clone().map(|(_, r)| r.path()).collect();
            return Err(format!(
                "no request or folder `{target}` (there are: {})",
                known.join(", ")
            ));
        }
        for hit in hits {
            if !out
                .iter()
                .any(|(_, r): &(&Collection, &SavedRequest)| std::ptr::eq(*r, hit.1))
            {
                out.push(hit);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[auth.ci]
kind = "bearer"
token = "{{env.CI_TOKEN}}"

[requests.list]
folder = "items"
url = "{{base_url}}/items"
expect = { status = 200 }

[requests.create]
folder = "items/admin"
method = "POST"
url = "{{base_url}}/items"
auth = "ci"
body = { json = { name = "x" } }

[requests.health]
url = "{{base_url}}/health"
"#;

    fn export(format: ExportFormat, targets: &[&str]) -> (i32, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.toml");
        std::fs::write(&path, FILE).unwrap();
        let args = ExportArgs {
            format,
            collection: Some(path),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            output: None,
            history: None,
            last: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn a_folder_exports_everything_under_it_with_secrets_as_references() {
        let (code, out, err) = export(ExportFormat::Curl, &["items"]);
        assert_eq!(code, exit::OK, "{err}");
        assert_eq!(
            out,
            "# items/list\ncurl '{{base_url}}/items' -L -g\n\n\
             # items/admin/create\ncurl '{{base_url}}/items' \\\n  -L \\\n  \
             --oauth2-bearer '{{env.CI_TOKEN}}' \\\n  -H 'Content-Type: application/json' \\\n  \
             --data-raw '{\n  \"name\": \"x\"\n}' \\\n  -g\n"
        );
    }

    #[test]
    fn hurl_carries_the_checks_and_unknown_targets_are_named() {
        let (code, out, _) = export(ExportFormat::Hurl, &["list"]);
        assert_eq!(code, exit::OK);
        assert_eq!(
            out,
            "GET {{base_url}}/items\n[Options]\nlocation: true\nHTTP 200\n"
        );
        let (code, _, err) = export(ExportFormat::Httpie, &["nope"]);
        assert_eq!(code, exit::BAD_INPUT);
        assert!(
            err.contains(
                "no request or folder `nope` (there are: items/list, items/admin/create, health)"
            ),
            "{err}"
        );
    }
}
