//! End-to-end tests of `scout run --baseline DIR`: the real binary against the built-in demo API
//! on 127.0.0.1 (one demo per test, so its port, and the echoed URL, stay the same between the
//! runs of a test). The first run writes the snapshots, the next compares with them; a change
//! outside `view.ignore` fails the step naming its path, and no snapshot holds a secret.

mod support;

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::cli::{Demo, Ran, scout_with};

/// A temp folder with its own data folder (no test touches the user's history).
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        let place = Place {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir(place.path("snap")).expect("snap folder");
        place
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).expect("write");
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name))
            .unwrap_or_else(|e| panic!("read {name}: {e}; snap holds {:?}", self.files("snap")))
    }

    fn scout(&self, args: &[&str]) -> Ran {
        let data = self.path("data");
        scout_with(
            Some(self.dir.path()),
            &[
                ("SCOUT_DATA_DIR", data.to_str().unwrap()),
                ("NO_COLOR", "1"),
            ],
            args,
        )
    }

    /// Every file under `dir`, relative to it, sorted.
    fn files(&self, dir: &str) -> Vec<String> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).unwrap();
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = self.path(dir);
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }
}

/// A collection against the demo at `base`: an echo whose `name` and `stamp` come from `--var`
/// (the stamp is ignored), an HTML page, and a run that reads an item twice.
fn collection(base: &str) -> String {
    format!(
        r#"
[vars]
base_url = "{base}"
name = "widget"
stamp = "1"
seed = "1"
token = "not-a-real-token-0000"

[requests.echo]
folder = "api/v1"
url = "{{{{base_url}}}}/anything"
query = {{ name = "{{{{name}}}}", stamp = "{{{{stamp}}}}" }}
headers = {{ Authorization = "Bearer {{{{token}}}}" }}
expect = {{ status = 200 }}

[requests.echo.view]
ignore = ["$.query.stamp", "$.url"]

[requests.page]
url = "{{{{base_url}}}}/html"

[requests.item]
url = "{{{{base_url}}}}/items/1"

[requests.noise]
url = "{{{{base_url}}}}/bytes/64"
query = {{ seed = "{{{{seed}}}}" }}

[runs.smoke]
steps = ["echo", "page", "item", "item", "noise"]
"#
    )
}

fn stdout(ran: &Ran) -> &str {
    ran.stdout_text()
}

#[test]
fn the_first_run_writes_snapshots_and_the_next_compares_with_them() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("shop.toml", &collection(&demo.url("")));

    let ran = place.scout(&["run", "shop.toml", "--baseline", "snap"]);
    ran.code(0);
    let out = stdout(&ran);
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    assert!(
        out.contains("baseline written: snap/shop/runs/smoke/api/v1/echo.json"),
        "{out}"
    );
    // One file per step: the file, the run, then the request's folders; a request read twice
    // in the run has two.
    assert_eq!(
        place.files("snap"),
        [
            "shop/runs/smoke/api/v1/echo.json",
            "shop/runs/smoke/item.json",
            "shop/runs/smoke/item@2.json",
            "shop/runs/smoke/noise.json",
            "shop/runs/smoke/page.json",
        ]
    );
    let echo: Value =
        serde_json::from_str(&place.read("snap/shop/runs/smoke/api/v1/echo.json")).unwrap();
    assert_eq!(echo["request"], "api/v1/echo");
    assert_eq!(echo["status"], 200);
    assert_eq!(echo["json"]["query"]["name"], "widget");
    let page: Value = serde_json::from_str(&place.read("snap/shop/runs/smoke/page.json")).unwrap();
    assert!(
        page["text"].as_str().unwrap().contains("<html"),
        "an HTML body is kept as text: {page}"
    );
    let noise: Value =
        serde_json::from_str(&place.read("snap/shop/runs/smoke/noise.json")).unwrap();
    assert_eq!(noise["binary"]["bytes"], 64, "{noise}");
    // No temp file is left behind.
    assert!(!place.files("snap").iter().any(|f| f.contains(".tmp")));

    // The same responses: every step passes, and nothing is rewritten.
    let before = place.read("snap/shop/runs/smoke/item.json");
    let ran = place.scout(&["run", "shop.toml", "--baseline", "snap"]);
    ran.code(0);
    let out = stdout(&ran);
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    assert!(!out.contains("baseline written"), "{out}");
    assert_eq!(place.read("snap/shop/runs/smoke/item.json"), before);
}

#[test]
fn a_changed_response_fails_naming_the_path_and_an_ignored_one_passes() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("shop.toml", &collection(&demo.url("")));
    place
        .scout(&["run", "shop.toml", "echo", "--baseline", "snap"])
        .code(0);
    assert_eq!(place.files("snap"), ["shop/api/v1/echo.json"]);

    // Only the ignored stamp (and so the URL) changed: passes.
    let ran = place.scout(&[
        "run",
        "shop.toml",
        "echo",
        "--baseline",
        "snap",
        "--var",
        "stamp=2",
    ]);
    ran.code(0);

    // The name changed: fails, naming the path with the old and new values.
    let ran = place.scout(&[
        "run",
        "shop.toml",
        "echo",
        "--baseline",
        "snap",
        "--var",
        "name=gadget",
        "--reporter",
        "human",
        "--reporter",
        "json",
        "--output",
        "report.jsonl",
    ]);
    ran.code(1);
    let out = stdout(&ran);
    assert!(out.contains("✗ GET     api/v1/echo"), "{out}");
    assert!(
        out.contains("baseline: expected the response in snap/shop/api/v1/echo.json, got 1 change outside view.ignore"),
        "{out}"
    );
    assert!(
        out.contains(r#"baseline $.query.name: expected "widget", got "gadget""#),
        "{out}"
    );
    assert!(out.contains("0 passed, 1 failed"), "{out}");
    // The machine-readable report has the same checks.
    let report: Value = serde_json::from_str(place.read("report.jsonl").trim()).unwrap();
    assert_eq!(report["outcome"], "failed");
    let subjects: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    assert!(subjects.contains(&"baseline $.query.name"), "{report}");

    // A failed step leaves the snapshot as it was; --update-baseline rewrites it, and then
    // the new response is the baseline.
    let ran = place.scout(&[
        "run",
        "shop.toml",
        "echo",
        "--baseline",
        "snap",
        "--update-baseline",
        "--var",
        "name=gadget",
    ]);
    ran.code(0);
    assert!(
        stdout(&ran).contains("baseline updated: snap/shop/api/v1/echo.json"),
        "{}",
        stdout(&ran)
    );
    place
        .scout(&[
            "run",
            "shop.toml",
            "echo",
            "--baseline",
            "snap",
            "--var",
            "name=gadget",
        ])
        .code(0);
    place
        .scout(&["run", "shop.toml", "echo", "--baseline", "snap"])
        .code(1);
}

#[test]
fn a_status_change_and_a_text_change_fail_the_step() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("shop.toml", &collection(&demo.url("")));
    place
        .scout(&["run", "shop.toml", "page", "--baseline", "snap"])
        .code(0);
    // The API "changed": the snapshot says otherwise.
    let file = "snap/shop/page.json";
    let mut snap: Value = serde_json::from_str(&place.read(file)).unwrap();
    let text = snap["text"].as_str().unwrap().to_string();
    let first_line = text.lines().next().unwrap().to_string();
    snap["text"] = Value::from(text.replacen(&first_line, "<!-- old -->", 1));
    snap["status"] = Value::from(201);
    place.write(file, &serde_json::to_string_pretty(&snap).unwrap());
    let ran = place.scout(&["run", "shop.toml", "page", "--baseline", "snap"]);
    ran.code(1);
    let out = stdout(&ran);
    assert!(out.contains("got 2 changes"), "{out}");
    assert!(
        out.contains("baseline status: expected 201, got 200"),
        "{out}"
    );
    assert!(
        out.contains("baseline body line 1: expected \"<!-- old -->\""),
        "{out}"
    );

    // A binary body that changed: its size and hash say so.
    place
        .scout(&["run", "shop.toml", "noise", "--baseline", "snap"])
        .code(0);
    let ran = place.scout(&[
        "run",
        "shop.toml",
        "noise",
        "--baseline",
        "snap",
        "--var",
        "seed=7",
    ]);
    ran.code(1);
    assert!(
        stdout(&ran).contains("baseline body: expected 64 bytes, not text"),
        "{}",
        stdout(&ran)
    );

    // A file that is not a snapshot is named, with the way out.
    place.write(file, "{ not json");
    let ran = place.scout(&["run", "shop.toml", "page", "--baseline", "snap"]);
    ran.code(1);
    assert!(
        stdout(&ran).contains("snap/shop/page.json is not a snapshot scout can read"),
        "{}",
        stdout(&ran)
    );
}

#[test]
fn snapshots_never_hold_secrets() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("shop.toml", &collection(&demo.url("")));
    let token = "s3cret-abcdef-123456";
    place
        .scout(&[
            "run",
            "shop.toml",
            "echo",
            "--baseline",
            "snap",
            "--var",
            &format!("token={token}"),
        ])
        .code(0);
    let text = place.read("snap/shop/api/v1/echo.json");
    assert!(!text.contains(token), "{text}");
    assert!(text.contains(r#""authorization": "[redacted]""#), "{text}");
    // Another token is no change: both are redacted.
    place
        .scout(&[
            "run",
            "shop.toml",
            "echo",
            "--baseline",
            "snap",
            "--var",
            "token=another-secret-7890",
        ])
        .code(0);
}

#[test]
fn a_missing_or_unusable_folder_is_said_before_anything_is_sent() {
    // A listener that accepts nothing: any request would show as a connection.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let place = Place::new();
    place.write(
        "shop.toml",
        &collection(&format!("http://{}", listener.local_addr().unwrap())),
    );
    let ran = place.scout(&["run", "shop.toml", "--baseline", "nope"]);
    ran.fails_with(
        2,
        &[
            "--baseline nope: the folder does not exist",
            "mkdir -p nope",
        ],
    );
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("something was sent (a connection from {from})"),
        Err(e) => panic!("accept: {e}"),
    }
    place.write("a-file", "");
    place
        .scout(&["run", "shop.toml", "--baseline", "a-file"])
        .fails_with(2, &["--baseline a-file: not a folder"]);
    // --update-baseline means nothing without --baseline.
    let ran = place.scout(&["run", "shop.toml", "--update-baseline"]);
    ran.code(2);
    assert!(ran.stderr.contains("--baseline"), "{}", ran.stderr);

    // A folder scout may not write in (root may write anywhere: then there is nothing to test).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = place.path("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(locked.join("probe"), "").is_err() {
            place
                .scout(&["run", "shop.toml", "--baseline", "locked"])
                .fails_with(2, &["--baseline locked: cannot write in it"]);
        } else {
            eprintln!("running as a user who may write anywhere: the unwritable case is skipped");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
