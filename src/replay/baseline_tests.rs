//! Baseline snapshots: file names that stay inside the folder, what a snapshot keeps (and never:
//! secrets), how two responses compare, and writing, comparing and updating on disk.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::model::{Method, RequestSpec, ViewSettings};

fn request(id: &str, folder: Option<&str>) -> SavedRequest {
    let spec = RequestSpec {
        method: Method::Get,
        url: "{{base}}/x".into(),
        ..RequestSpec::default()
    };
    SavedRequest::new(id, folder.map(str::to_string), &spec)
}

fn response(status: u16, content_type: &str, body: &[u8]) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), content_type.into())],
        body: bytes::Bytes::copy_from_slice(body),
        elapsed: Duration::from_millis(1),
        redirects: Vec::new(),
        url: "http://127.0.0.1:9/x".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

fn json_snapshot(status: u16, body: Value) -> Snapshot {
    Snapshot {
        status,
        body: SnapshotBody::Json(body),
    }
}

#[test]
fn segments_keep_plain_names_and_encode_everything_else() {
    assert_eq!(segment("get-item_2.v1"), "get-item_2.v1");
    assert_eq!(segment("a/b"), "a%2Fb");
    assert_eq!(segment(".."), "%2E.");
    assert_eq!(segment(".hidden"), "%2Ehidden");
    assert_eq!(segment("List items"), "List%20items");
    assert_eq!(segment("100%"), "100%25");
    assert_eq!(segment("é"), "%C3%A9");
    assert_eq!(segment("a\\b:c"), "a%5Cb%3Ac");
    assert_eq!(segment(""), "%");
    // Nothing encoded can be mistaken for the `@N` of a repeated step.
    assert_eq!(segment("x@2"), "x%402");
}

#[test]
fn names_follow_the_file_the_run_the_folders_and_the_id() {
    let list = request("list", Some("items/admin"));
    let get = request("get-item", Some("items"));
    let odd = request("../../etc/passwd", None);
    let shown = |dir: &Path, requests: &[&SavedRequest]| -> Vec<(String, usize)> {
        snapshot_names(dir, requests.iter().copied())
            .into_iter()
            .map(|(p, nth)| (p.display().to_string(), nth))
            .collect()
    };
    let run = plan_dir(Path::new("collections/demo.toml"), Some("crud"));
    assert_eq!(run, PathBuf::from("demo/runs/crud"));
    assert_eq!(
        shown(&run, &[&list, &get, &get, &odd, &get]),
        [
            ("demo/runs/crud/items/admin/list.json".to_string(), 1),
            ("demo/runs/crud/items/get-item.json".to_string(), 1),
            ("demo/runs/crud/items/get-item@2.json".to_string(), 2),
            (
                "demo/runs/crud/%2E.%2F..%2Fetc%2Fpasswd.json".to_string(),
                1
            ),
            ("demo/runs/crud/items/get-item@3.json".to_string(), 3),
        ]
    );
    // Outside a run: the file, then the request's place in it.
    let alone = plan_dir(Path::new("demo.toml"), None);
    assert_eq!(
        shown(&alone, &[&get]),
        [("demo/items/get-item.json".to_string(), 1)]
    );
    // A run's name is one folder, whatever it holds.
    assert_eq!(
        plan_dir(Path::new("a.toml"), Some("../x/y")),
        PathBuf::from("a/runs/%2E.%2Fx%2Fy")
    );
    for (name, _) in snapshot_names(&plan_dir(Path::new(".."), Some("..")), [&odd]) {
        assert!(
            name.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{name:?}"
        );
    }
}

#[test]
fn a_snapshot_keeps_status_and_body_and_reads_back() {
    let r = Redactor::none();
    let cases = [
        (
            response(200, "application/json", br#"{"id": 1, "tags": ["a"]}"#),
            SnapshotBody::Json(json!({"id": 1, "tags": ["a"]})),
        ),
        (
            response(200, "text/html", b"<p>hi</p>\n"),
            SnapshotBody::Text("<p>hi</p>\n".into()),
        ),
        (
            response(204, "text/plain", b""),
            SnapshotBody::Text(String::new()),
        ),
        // JSON by what it is, not what it says it is.
        (
            response(200, "text/plain", b"42"),
            SnapshotBody::Json(json!(42)),
        ),
        (
            response(200, "image/png", b"\x89PNG\xff\x00"),
            SnapshotBody::Binary {
                bytes: 6,
                sha256: hex(&Sha256::digest(b"\x89PNG\xff\x00")),
            },
        ),
    ];
    for (resp, body) in cases {
        let snap = Snapshot::of(&resp, &r);
        assert_eq!(snap.body, body);
        assert_eq!(snap.status, resp.status);
        let file = snap.to_file("items/x", "GET");
        assert!(file.ends_with("}\n"), "{file}");
        assert!(file.contains("\"request\": \"items/x\""), "{file}");
        assert_eq!(Snapshot::from_file(&file).unwrap(), snap, "{file}");
    }
}

#[test]
fn broken_snapshot_files_say_what_is_wrong() {
    let cases = [
        ("nope", "not JSON"),
        ("[1]", "not a JSON object"),
        (r#"{"json": 1}"#, "no `status`"),
        (r#"{"status": 200}"#, "no body"),
        (
            r#"{"status": 200, "json": 1, "text": "a"}"#,
            "more than one",
        ),
        (r#"{"status": 200, "text": 1}"#, "not a string"),
        (r#"{"status": 200, "binary": {}}"#, "`bytes` and `sha256`"),
    ];
    for (text, needle) in cases {
        let err = Snapshot::from_file(text).unwrap_err();
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[test]
fn secrets_never_reach_a_snapshot() {
    let r = Redactor::new(["s3cret-token-value", "987654321"]);
    let body = br#"{"headers": {"Authorization": "Bearer s3cret-token-value"}, "s3cret-token-value": 1, "pin": 987654321, "n": 5}"#;
    let snap = Snapshot::of(&response(200, "application/json", body), &r);
    let file = snap.to_file("echo", "GET");
    assert!(!file.contains("s3cret-token-value"), "{file}");
    assert!(!file.contains("987654321"), "{file}");
    assert_eq!(
        snap.body,
        SnapshotBody::Json(json!({
            "headers": {"Authorization": "Bearer [redacted]"},
            "[redacted]": 1,
            "pin": "[redacted]",
            "n": 5
        }))
    );
    let text = Snapshot::of(
        &response(200, "text/plain", b"token=s3cret-token-value"),
        &r,
    );
    assert_eq!(text.body, SnapshotBody::Text("token=[redacted]".into()));
}

#[test]
fn the_same_response_passes_and_says_so() {
    let a = json_snapshot(200, json!({"id": 1, "at": "2026-01-01"}));
    let checks = compare(&a, &a.clone(), &Ignore::none(), "snap/x.json");
    assert_eq!(checks.len(), 1);
    assert!(checks[0].passed);
    assert_eq!(checks[0].actual, "the same");
    assert_eq!(note(&checks[0]), None, "nothing to say under the step");
}

#[test]
fn changes_are_listed_by_path_with_old_and_new() {
    let before = json_snapshot(200, json!({"name": "widget", "tags": ["a"], "gone": true}));
    let after = json_snapshot(201, json!({"name": "gadget", "tags": ["a", "b"]}));
    let checks = compare(&before, &after, &Ignore::none(), "snap/x.json");
    let lines: Vec<String> = checks.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "baseline: expected the response in snap/x.json, got 4 changes (body: 1 changed, 1 added, 1 removed)",
            "baseline status: expected 200, got 201",
            "baseline $.name: expected \"widget\", got \"gadget\"",
            "baseline $.tags[1]: expected nothing, got \"b\"",
            "baseline $.gone: expected true, got nothing",
        ]
    );
    assert!(checks.iter().all(|c| !c.passed));
}

#[test]
fn ignored_paths_are_masked() {
    let before = json_snapshot(
        200,
        json!({"id": 1, "updated_at": "a", "items": [{"id": 7, "n": 1}]}),
    );
    let after = json_snapshot(
        200,
        json!({"id": 2, "updated_at": "b", "items": [{"id": 8, "n": 1}]}),
    );
    let ignore = Ignore::parse(&["$.updated_at".into(), "$..id".into()]).unwrap();
    let checks = compare(&before, &after, &ignore, "s.json");
    assert!(checks[0].passed, "{checks:?}");
    assert_eq!(checks[0].actual, "the same outside view.ignore");
    // What is not masked still counts.
    let after = json_snapshot(
        200,
        json!({"id": 2, "updated_at": "b", "items": [{"id": 8, "n": 2}]}),
    );
    let checks = compare(&before, &after, &ignore, "s.json");
    assert_eq!(
        checks[0].actual,
        "1 change outside view.ignore (body: 1 changed, 0 added, 0 removed)"
    );
    assert_eq!(checks[1].subject, "baseline $.items[0].n");
}

#[test]
fn many_changes_are_capped_with_how_many_more() {
    let before = json_snapshot(200, json!((0..25).collect::<Vec<_>>()));
    let after = json_snapshot(200, json!((100..125).collect::<Vec<_>>()));
    let checks = compare(&before, &after, &Ignore::none(), "s.json");
    assert_eq!(checks.len(), 1 + LISTED + 1);
    assert_eq!(checks[1].subject, "baseline $[0]");
    assert_eq!(checks.last().unwrap().actual, "… and 15 more");
}

#[test]
fn text_and_kind_changes_name_what_changed() {
    let text = |t: &str| Snapshot {
        status: 200,
        body: SnapshotBody::Text(t.into()),
    };
    let checks = compare(
        &text("a\nb\nc"),
        &text("a\nB\nc"),
        &Ignore::none(),
        "s.json",
    );
    assert_eq!(
        checks[1].to_string(),
        "baseline body line 2: expected \"b\", got \"B\""
    );
    let checks = compare(&text("a"), &text("a\nmore"), &Ignore::none(), "s.json");
    assert_eq!(
        checks[1].to_string(),
        "baseline body line 2: expected the end of the body, got \"more\""
    );
    let checks = compare(
        &text("<html>"),
        &json_snapshot(200, json!({"a": 1})),
        &Ignore::none(),
        "s.json",
    );
    assert_eq!(
        checks[1].to_string(),
        "baseline body: expected text \"<html>\", got JSON {\"a\":1}"
    );
}

#[test]
fn the_folder_must_exist_and_be_writable() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = Baseline::open(&missing, false).unwrap_err();
    assert!(err.contains("does not exist"), "{err}");
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    assert!(
        Baseline::open(&file, false)
            .unwrap_err()
            .contains("not a folder")
    );
    Baseline::open(dir.path(), false).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "the probe is removed");
}

#[test]
fn written_then_compared_then_updated_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = Baseline::open(dir.path(), false).unwrap();
    let mut req = request("get", Some("items"));
    let path = dir.path().join("run/items/get.json");
    let r = Redactor::none();
    let first = response(200, "application/json", br#"{"id": 1, "at": "x"}"#);

    // Missing: written, with a note; a failed step writes nothing.
    let checks = baseline.check(&path, &req, &first, &r, false, true);
    assert_eq!(checks[0].actual, NOT_WRITTEN);
    assert!(checks[0].passed);
    assert!(!path.exists());
    let checks = baseline.check(&path, &req, &first, &r, true, true);
    assert_eq!(
        note(&checks[0]).unwrap(),
        format!("baseline written: {}", path.display())
    );
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(on_disk.contains("\"request\": \"items/get\""), "{on_disk}");

    // Present: compared.
    assert!(baseline.check(&path, &req, &first, &r, true, true)[0].passed);
    let changed = response(200, "application/json", br#"{"id": 1, "at": "y"}"#);
    let checks = baseline.check(&path, &req, &changed, &r, true, false);
    assert!(!checks[0].passed);
    assert_eq!(checks[1].subject, "baseline $.at");
    req.view = ViewSettings {
        filter: None,
        ignore: vec!["$.at".into()],
    };
    assert!(baseline.check(&path, &req, &changed, &r, true, false)[0].passed);
    req.view = ViewSettings::default();

    // --update-baseline rewrites on the first pass, then compares with what it wrote.
    let update = Baseline::open(dir.path(), true).unwrap();
    let checks = update.check(&path, &req, &changed, &r, true, true);
    assert_eq!(checks[0].actual, UPDATED);
    assert!(update.check(&path, &req, &changed, &r, true, false)[0].passed);
    assert!(!update.check(&path, &req, &first, &r, true, false)[0].passed);

    // A file that is not a snapshot fails the step, saying how to fix it.
    std::fs::write(&path, "{ broken").unwrap();
    let checks = baseline.check(&path, &req, &first, &r, true, false);
    assert!(!checks[0].passed);
    assert!(
        checks[0].actual.contains("--update-baseline"),
        "{:?}",
        checks[0]
    );
    // No temp file is left beside the snapshots.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["get.json"]);
}

#[test]
fn plans_get_their_paths_and_two_files_may_not_share_one() {
    use crate::collection::parse_collection;
    use crate::collection::store::LoadedFile;
    use crate::replay::target::select;
    let dir = tempfile::tempdir().unwrap();
    let baseline = Baseline::open(dir.path(), false).unwrap();
    let text = "[requests.list]\nfolder = \"items\"\nurl = \"x\"\n[requests.get]\nurl = \"y\"\n[runs.twice]\nsteps = [\"get\", \"items/list\", \"get\"]\n";
    let load = |path: &str| LoadedFile::Ok {
        collection: parse_collection(text, Path::new(path)).unwrap(),
        text: text.to_string(),
        modified: None,
    };
    let files = [load("api/shop.toml")];
    let plans = select(&files, &["twice".into(), "items".into()]).unwrap();
    let paths = baseline.paths_for(&plans, &files).unwrap();
    let rel = |p: &PathBuf| p.strip_prefix(dir.path()).unwrap().display().to_string();
    assert_eq!(
        paths[0].iter().map(rel).collect::<Vec<_>>(),
        [
            "shop/runs/twice/get.json",
            "shop/runs/twice/items/list.json",
            "shop/runs/twice/get@2.json"
        ]
    );
    assert_eq!(
        paths[1].iter().map(rel).collect::<Vec<_>>(),
        ["shop/items/list.json"]
    );
    // The same file's plans may share (a target given twice); two files of one name may not.
    let plans = select(&files, &["get".into(), "get".into()]).unwrap();
    baseline.paths_for(&plans, &files).unwrap();
    let files = [load("a/shop.toml"), load("b/shop.toml")];
    let plans = select(&files, &["items".into()]).unwrap();
    let err = baseline.paths_for(&plans, &files).unwrap_err();
    assert!(err.contains("would share the snapshot"), "{err}");
    assert!(
        err.contains("a/shop.toml") && err.contains("b/shop.toml"),
        "{err}"
    );
}
