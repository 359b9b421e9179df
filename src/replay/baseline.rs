//! `scout run --baseline DIR`: regression testing of an API. Each step's response (status and
//! body, secrets redacted) is kept as a snapshot file; a later run compares its response with
//! the snapshot JSON-aware — by key and array index, the request's `view.ignore` paths masked —
//! and a step whose response changed fails, listing what changed.
//!
//! Snapshots live under `DIR/<collection>/`, the collection file's stem (`demo` for
//! `demo.toml`): a request sent on its own, in a folder or as part of the whole file is
//! `<folder…>/<id>.json`; a step of a `[runs.NAME]` is `runs/NAME/<folder…>/<id>.json`, and a
//! request that comes back later in that run (`get-item` after a delete) `<id>@2.json`, `@3`…
//! Every name is one path segment, with each character other than ASCII letters, digits, `-`,
//! `_` and `.` written `%XX` (a leading `.` too), so no name can climb out of `DIR`; two steps
//! that would still share a file (two `demo.toml` in different folders) are an error before
//! anything is sent.
//!
//! A snapshot file is JSON: `{"request": …, "method": …, "status": 200, "json": …}` for a body
//! that is JSON, `"text": "…"` for other text (an empty body included), and
//! `"binary": {"bytes": N, "sha256": "…"}` for a body that is not UTF-8. `request` and `method`
//! are there to read; `status` and the body are compared. Files are written atomically.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::check::{CheckResult, cut};
use crate::collection::SavedRequest;
use crate::collection::store::{LoadedFile, write_atomic};
use crate::inspect::diff::{Change, Ignore, diff};
use crate::inspect::filter::parse_body;
use crate::model::{REDACTED, Redactor, ResponseData, counted};
use crate::replay::target::RunPlan;

/// The subject of every check a baseline adds to a step.
pub const SUBJECT: &str = "baseline";

/// At most this many changes are listed under a step; the rest are counted.
pub const LISTED: usize = 10;

/// Values in a listed change are cut to this many characters.
const VALUE_WIDTH: usize = 80;

/// What the snapshot check says when it wrote a snapshot (the step passes, with a note).
const WRITTEN: &str = "written";
/// … when `--update-baseline` rewrote it.
const UPDATED: &str = "updated";
/// … when it did not write one because the step failed.
const NOT_WRITTEN: &str = "not written (the step failed)";

/// Where the snapshots are, and whether this run rewrites them.
#[derive(Debug, Clone)]
pub struct Baseline {
    dir: PathBuf,
    update: bool,
}

impl Baseline {
    /// The folder `dir`, which must exist and be writable (checked now, so nothing is sent when
    /// it is not); `update` rewrites every snapshot the run reaches.
    pub fn open(dir: &Path, update: bool) -> Result<Baseline, String> {
        let shown = dir.display();
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(format!("--baseline {shown}: not a folder")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "--baseline {shown}: the folder does not exist; create it first \
                     (mkdir -p {shown}), the first run writes the snapshots into it"
                ));
            }
            Err(e) => return Err(format!("--baseline {shown}: cannot read it: {e}")),
        }
        // A write now says whether the snapshots can be written, before anything is sent.
        let probe = dir.join(format!(".scout-baseline-{}.tmp", std::process::id()));
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| format!("--baseline {shown}: cannot write in it: {e}"))?;
        Ok(Baseline {
            dir: dir.to_path_buf(),
            update,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot file of each step of each plan (steps of `files`), in order; an error when
    /// two different steps would share one (two collection files with the same name).
    pub fn paths_for(
        &self,
        plans: &[RunPlan],
        files: &[LoadedFile],
    ) -> Result<Vec<Vec<PathBuf>>, String> {
        // Each file's owner: (collection file, run, request, which of its steps in the run).
        let mut owners: HashMap<PathBuf, (usize, Option<&str>, String, usize)> = HashMap::new();
        let mut out = Vec::with_capacity(plans.len());
        for plan in plans {
            let file = files.get(plan.file);
            // `select` makes a plan of a `[runs.NAME]` whenever the name is one.
            let run = match file {
                Some(LoadedFile::Ok { collection, .. }) if collection.run(&plan.name).is_some() => {
                    Some(plan.name.as_str())
                }
                _ => None,
            };
            let file_path = file
                .map(LoadedFile::path)
                .unwrap_or(Path::new("collection"));
            let dir = plan_dir(file_path, run);
            let mut full = Vec::with_capacity(plan.steps.len());
            let names = snapshot_names(&dir, plan.steps.iter().map(|s| &s.request));
            for (step, (name, nth)) in plan.steps.iter().zip(names) {
                let path = self.dir.join(name);
                let owner = (plan.file, run, step.request.path(), nth);
                match owners.get(&path) {
                    Some(other) if *other != owner => {
                        let other_file = files
                            .get(other.0)
                            .map_or(String::new(), |f| f.path().display().to_string());
                        return Err(format!(
                            "--baseline: `{}` of {} and `{}` of {} would share the snapshot {}; \
                             point PATH at one file, or give each its own --baseline folder",
                            step.request.path(),
                            file_path.display(),
                            other.2,
                            other_file,
                            path.display()
                        ));
                    }
                    Some(_) => {}
                    None => {
                        owners.insert(path.clone(), owner);
                    }
                }
                full.push(path);
            }
            out.push(full);
        }
        Ok(out)
    }

    /// Compares `response` to the snapshot at `path` or writes it there; the checks to add to
    /// the step. `passed` says whether the step's own checks passed (a failed step writes no
    /// snapshot); `first_pass` whether this is the run's first repeat (`--update-baseline`
    /// rewrites then, and later repeats compare with what it wrote).
    pub fn check(
        &self,
        path: &Path,
        saved: &SavedRequest,
        response: &ResponseData,
        redactor: &Redactor,
        passed: bool,
        first_pass: bool,
    ) -> Vec<CheckResult> {
        let shown = path.display().to_string();
        let now = Snapshot::of(response, redactor);
        let rewrite = self.update && first_pass;
        let existing = if rewrite {
            None
        } else {
            match std::fs::read_to_string(path) {
                Ok(text) => Some(Snapshot::from_file(&text).map_err(|why| {
                    format!(
                        "{shown} is not a snapshot scout can read ({why}): fix it, delete it, \
                         or rewrite it with --update-baseline"
                    )
                })),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => Some(Err(format!("cannot read {shown}: {e}"))),
            }
        };
        let check = |actual: String, passed: bool| CheckResult {
            subject: SUBJECT.to_string(),
            expected: shown.clone(),
            actual,
            passed,
        };
        match existing {
            Some(Err(why)) => vec![check(why, false)],
            // Checked when the file loaded; said here too rather than comparing unmasked.
            Some(Ok(before)) => match Ignore::parse(&saved.view.ignore) {
                Ok(ignore) => compare(&before, &now, &ignore, &shown),
                Err(why) => vec![check(format!("view.{why}"), false)],
            },
            None if !passed => vec![check(NOT_WRITTEN.to_string(), true)],
            None => {
                let text = now.to_file(&saved.path(), saved.method.as_str());
                let written = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
                    .and_then(|()| write_atomic(path, &text));
                match written {
                    Ok(()) if rewrite => vec![check(UPDATED.to_string(), true)],
                    Ok(()) => vec![check(WRITTEN.to_string(), true)],
                    Err(e) => vec![check(
                        format!("the snapshot could not be written: {e}"),
                        false,
                    )],
                }
            }
        }
    }
}

/// The line a report shows under a step for a baseline check that passed but has something to
/// say (`baseline written: snap/demo/runs/crud/items/get-item.json`); `None` for any other check.
pub fn note(check: &CheckResult) -> Option<String> {
    (check.passed
        && check.subject == SUBJECT
        && [WRITTEN, UPDATED, NOT_WRITTEN].contains(&check.actual.as_str()))
    .then(|| format!("baseline {}: {}", check.actual, check.expected))
}

/// What a step's response is, as a snapshot keeps it: the status and the body, secrets
/// redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub status: u16,
    pub body: SnapshotBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SnapshotBody {
    /// A body that parses as JSON (whatever its content type).
    Json(Value),
    /// Any other UTF-8 body, the empty body included.
    Text(String),
    /// A body that is not UTF-8: its size and SHA-256.
    Binary { bytes: u64, sha256: String },
}

impl Snapshot {
    /// `response` as a snapshot, every secret `redactor` knows replaced (in a JSON body: in
    /// each key and string, and a number that holds one becomes the string `[redacted]`).
    pub fn of(response: &ResponseData, redactor: &Redactor) -> Snapshot {
        let body = match parse_body(&response.body) {
            Ok(json) => SnapshotBody::Json(redact_json(json, redactor)),
            Err(_) => match std::str::from_utf8(&response.body) {
                Ok(text) => SnapshotBody::Text(redactor.redact_str(text).into_owned()),
                Err(_) => {
                    let bytes = redactor.redact_bytes(&response.body);
                    SnapshotBody::Binary {
                        bytes: bytes.len() as u64,
                        sha256: hex(&Sha256::digest(&bytes)),
                    }
                }
            },
        };
        Snapshot {
            status: response.status,
            body,
        }
    }

    /// The file's text: pretty JSON, a newline at the end.
    pub fn to_file(&self, request: &str, method: &str) -> String {
        let mut doc = Map::new();
        doc.insert("request".into(), Value::from(request));
        doc.insert("method".into(), Value::from(method));
        doc.insert("status".into(), Value::from(self.status));
        let (key, value) = match &self.body {
            SnapshotBody::Json(v) => ("json", v.clone()),
            SnapshotBody::Text(t) => ("text", Value::from(t.as_str())),
            SnapshotBody::Binary { bytes, sha256 } => {
                ("binary", json!({ "bytes": bytes, "sha256": sha256 }))
            }
        };
        doc.insert(key.into(), value);
        let mut text = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A snapshot file read back; the error says what is wrong with it.
    pub fn from_file(text: &str) -> Result<Snapshot, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(mut doc) = doc else {
            return Err("not a JSON object".into());
        };
        let status = doc
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or("no `status` code")?;
        let bodies: Vec<&str> = ["json", "text", "binary"]
            .into_iter()
            .filter(|k| doc.contains_key(*k))
            .collect();
        let body = match bodies.as_slice() {
            ["json"] => SnapshotBody::Json(doc.remove("json").unwrap_or_default()),
            ["text"] => match doc.remove("text") {
                Some(Value::String(t)) => SnapshotBody::Text(t),
                _ => return Err("`text` is not a string".into()),
            },
            ["binary"] => {
                let binary = doc.remove("binary").unwrap_or_default();
                match (
                    binary.get("bytes").and_then(Value::as_u64),
                    binary.get("sha256").and_then(Value::as_str),
                ) {
                    (Some(bytes), Some(sha256)) => SnapshotBody::Binary {
                        bytes,
                        sha256: sha256.to_string(),
                    },
                    _ => return Err("`binary` needs `bytes` and `sha256`".into()),
                }
            }
            [] => return Err("no body: one of `json`, `text` or `binary`".into()),
            _ => return Err("more than one of `json`, `text` and `binary`".into()),
        };
        Ok(Snapshot { status, body })
    }
}

/// The failed checks that list how `after` differs from `before` (the snapshot at `shown`),
/// `ignore`'s paths masked; one passed check when nothing changed.
pub fn compare(
    before: &Snapshot,
    after: &Snapshot,
    ignore: &Ignore,
    shown: &str,
) -> Vec<CheckResult> {
    let mut changes: Vec<(String, String, String)> = Vec::new();
    let mut total = 0usize;
    let mut counts = String::new();
    if before.status != after.status {
        total += 1;
        changes.push((
            "status".into(),
            before.status.to_string(),
            after.status.to_string(),
        ));
    }
    match (&before.body, &after.body) {
        (SnapshotBody::Json(b), SnapshotBody::Json(a)) => {
            let d = diff(b, a, ignore);
            total += d.counts.total();
            if !d.is_empty() {
                counts = format!(
                    "{} changed, {} added, {} removed",
                    d.counts.changed, d.counts.added, d.counts.removed
                );
            }
            for change in d.changes.iter().take(LISTED + 1) {
                changes.push(match change {
                    Change::Changed {
                        path,
                        before,
                        after,
                    } => (path.clone(), value(before), value(after)),
                    Change::Added { path, value: v } => (path.clone(), "nothing".into(), value(v)),
                    Change::Removed { path, value: v } => {
                        (path.clone(), value(v), "nothing".into())
                    }
                });
            }
        }
        (SnapshotBody::Text(b), SnapshotBody::Text(a)) if b != a => {
            total += 1;
            changes.push(text_change(b, a));
        }
        (b, a) if b != a => {
            total += 1;
            changes.push(("body".into(), describe(b), describe(a)));
        }
        _ => {}
    }
    if total == 0 {
        let same = if ignore.is_empty() {
            "the same".to_string()
        } else {
            "the same outside view.ignore".to_string()
        };
        return vec![CheckResult {
            subject: SUBJECT.into(),
            expected: shown.to_string(),
            actual: same,
            passed: true,
        }];
    }
    let mut summary = counted(total, "change");
    if !ignore.is_empty() {
        summary.push_str(" outside view.ignore");
    }
    if !counts.is_empty() {
        let _ = write!(summary, " (body: {counts})");
    }
    let mut out = vec![CheckResult {
        subject: SUBJECT.into(),
        expected: format!("the response in {shown}"),
        actual: summary,
        passed: false,
    }];
    let listed = changes.len().min(LISTED);
    out.extend(
        changes
            .into_iter()
            .take(listed)
            .map(|(path, before, after)| CheckResult {
                subject: format!("{SUBJECT} {path}"),
                expected: before,
                actual: after,
                passed: false,
            }),
    );
    if total > listed {
        out.push(CheckResult {
            subject: SUBJECT.into(),
            expected: "…".into(),
            actual: format!("… and {} more", total - listed),
            passed: false,
        });
    }
    out
}

/// A value in a listed change: compact JSON, cut.
fn value(v: &Value) -> String {
    cut(&v.to_string(), VALUE_WIDTH)
}

fn describe(body: &SnapshotBody) -> String {
    match body {
        SnapshotBody::Json(v) => format!("JSON {}", value(v)),
        SnapshotBody::Text(t) => format!("text {}", value(&Value::from(t.as_str()))),
        SnapshotBody::Binary { bytes, sha256 } => {
            format!("{bytes} bytes, not text (sha256 {})", cut(sha256, 12))
        }
    }
}

/// Two texts that differ: the first line that does.
fn text_change(before: &str, after: &str) -> (String, String, String) {
    let (mut b, mut a) = (before.split('\n'), after.split('\n'));
    let mut line = 1;
    loop {
        match (b.next(), a.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (x, y) => {
                let shown = |l: Option<&str>| {
                    l.map_or("the end of the body".to_string(), |l| {
                        value(&Value::from(l))
                    })
                };
                return (format!("body line {line}"), shown(x), shown(y));
            }
        }
    }
}

/// `value` with every secret `redactor` knows replaced: in keys and strings, and a number whose
/// text holds one becomes the string [`REDACTED`].
pub fn redact_json(value: Value, redactor: &Redactor) -> Value {
    if redactor.secret_values().is_empty() {
        return value;
    }
    match value {
        Value::String(s) => Value::String(redactor.redact_str(&s).into_owned()),
        Value::Number(n) => {
            let text = n.to_string();
            if redactor.redact_str(&text) == text {
                Value::Number(n)
            } else {
                Value::from(REDACTED)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| redact_json(v, redactor))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    (
                        redactor.redact_str(&k).into_owned(),
                        redact_json(v, redactor),
                    )
                })
                .collect(),
        ),
        other => other,
    }
}

/// Where a plan's snapshots go, relative to the baseline folder: the collection file's stem
/// (`demo` for `collections/demo.toml`), then `runs/NAME` for the steps of a `[runs.NAME]`.
pub fn plan_dir(collection_file: &Path, run: Option<&str>) -> PathBuf {
    let stem = collection_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut dir = PathBuf::from(segment(&stem));
    if let Some(run) = run {
        dir.push("runs");
        dir.push(segment(run));
    }
    dir
}

/// The snapshot file of each of `requests` (a plan's steps) under `dir`, with which of the
/// request's steps in the plan it is: `<folder…>/<id>.json`, then `<id>@2.json`, `@3`…
pub fn snapshot_names<'a>(
    dir: &Path,
    requests: impl IntoIterator<Item = &'a SavedRequest>,
) -> Vec<(PathBuf, usize)> {
    let mut seen: Vec<String> = Vec::new();
    requests
        .into_iter()
        .map(|request| {
            let key = request.path();
            let nth = seen.iter().filter(|k| **k == key).count() + 1;
            seen.push(key);
            let mut path = dir.to_path_buf();
            for part in request.folder.iter().flat_map(|f| f.split('/')) {
                path.push(segment(part));
            }
            let mut file = segment(&request.id);
            if nth > 1 {
                let _ = write!(file, "@{nth}");
            }
            file.push_str(".json");
            path.push(file);
            (path, nth)
        })
        .collect()
}

/// `name` as one safe path segment: ASCII letters, digits, `-`, `_` and `.` kept (a leading `.`
/// encoded, so no segment is `.`, `..` or hidden), every other byte `%XX`; `%` for an empty name.
pub fn segment(name: &str) -> String {
    if name.is_empty() {
        // Encoding writes `%` only before two hex digits, so a lone `%` names nothing else.
        return "%".to_string();
    }
    let mut out = String::with_capacity(name.len());
    for (i, byte) in name.bytes().enumerate() {
        let keep =
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_') || (byte == b'.' && i > 0);
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
#[path = "baseline_tests.rs"]
mod tests;
