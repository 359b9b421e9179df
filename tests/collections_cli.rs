//! End-to-end tests of `scout send -c`: saved requests from hand-written collection files, sent
//! by the real binary (stdout and stderr piped) to the built-in demo API on 127.0.0.1, and
//! `--list`.
//!
//! Every test works in a temp dir of its own: the collections live in `coll/`, scout's data and
//! config folders point into it, and the child runs in `work/`. Every run snapshots `coll/`
//! (bytes and mtimes of files and folders) before and after and asserts nothing changed: scout
//! never writes a collection, not even atomically through a temp file.

mod support;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::{Value, json};
use support::cli::{Demo, Ran, scout_with};

// ---------------------------------------------------------------------------------------------------
// Harness

/// A temp dir with a demo server: `coll/` for collection files, `work/` as the child's working
/// directory, `data/` and `config.toml` as scout's own places.
struct Fixture {
    demo: Demo,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["coll", "work", "data"] {
            std::fs::create_dir(dir.path().join(sub)).expect("create dir");
        }
        Fixture {
            demo: Demo::start(),
            dir,
        }
    }

    fn coll(&self) -> PathBuf {
        self.dir.path().join("coll")
    }

    /// Writes `coll/<rel>` (folders created), with `$BASE` replaced by the demo's URL.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.coll().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(&path, text.replace("$BASE", &self.demo.url(""))).expect("write");
        path
    }

    /// `scout ARGS…` with `$COLL` in an argument replaced by the `coll/` folder.
    fn scout(&self, args: &[&str]) -> Ran {
        self.scout_env(&[], args)
    }

    /// [`scout`](Self::scout) with extra environment variables, asserting `coll/` is unchanged.
    fn scout_env(&self, env: &[(&str, &str)], args: &[&str]) -> Ran {
        let coll = self.coll().display().to_string();
        let args: Vec<String> = args.iter().map(|a| a.replace("$COLL", &coll)).collect();
        let before = snapshot(&self.coll());
        let ran = run(self.dir.path(), env, &args);
        assert_unchanged(&self.coll(), &before, &ran);
        ran
    }

    /// The body `scout send URL…` (no collection) prints, for comparison.
    fn plain_send(&self, args: &[&str]) -> Ran {
        let url = self.demo.url("");
        let args: Vec<String> = args.iter().map(|a| a.replace("$BASE", &url)).collect();
        run(self.dir.path(), &[], &args)
    }
}

/// Runs `scout ARGS…` in `root/work` with scout's own files under `root`, piped output, and
/// [`PATIENCE`] to finish.
fn run(root: &Path, env: &[(&str, &str)], args: &[String]) -> Ran {
    let data = root.join("data").display().to_string();
    let config = root.join("config.toml").display().to_string();
    let mut vars = vec![
        ("SCOUT_DATA_DIR", data.as_str()),
        ("SCOUT_CONFIG", config.as_str()),
    ];
    vars.extend_from_slice(env);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    scout_with(Some(&root.join("work")), &vars, &args)
}

/// Every file and folder under `root` (hidden ones included): contents (files) and mtime.
type Snapshot = BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let meta = std::fs::metadata(&dir).expect("folder metadata");
        out.insert(dir.clone(), (None, meta.modified().expect("mtime")));
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                out.insert(path, (Some(bytes), meta.modified().expect("mtime")));
            }
        }
    }
    out
}

fn assert_unchanged(root: &Path, before: &Snapshot, ran: &Ran) {
    let after = snapshot(root);
    let names = |s: &Snapshot| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(before),
        names(&after),
        "scout {:?} added or removed files in {}",
        ran.args,
        root.display()
    );
    for (path, was) in before {
        assert!(
            after.get(path) == Some(was),
            "scout {:?} touched {} (contents or mtime changed)",
            ran.args,
            path.display()
        );
    }
}

/// Whether `text` has a line whose words are `words` (runs of spaces count as one).
fn has_line(text: &str, words: &str) -> bool {
    text.lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == words)
}

/// The collection most tests use: requests at the top level and in folders, two environments.
const SHOP: &str = r#"name = "Shop"

[vars]
base_url = "$BASE"
who = "vars"

[environments.staging]
who = "staging"

[environments.prod]
base_url = "http://127.0.0.1:9"

[requests.doc]
name = "The JSON document"
method = "GET"
url = "{{base_url}}/json"

[requests.echo]
name = "Echo"
folder = "misc/echo"
method = "GET"
url = "{{base_url}}/anything"
query = { who = "{{who}}" }

[requests.missing]
folder = "misc"
method = "GET"
url = "{{base_url}}/status/404"

[requests.create]
name = "Create"
method = "POST"
url = "{{base_url}}/anything"
body = { json = { name = "widget", price = 9.99, tags = ["new"] } }
"#;

// ---------------------------------------------------------------------------------------------------
// --list

#[test]
fn list_shows_method_path_name_and_environments_of_a_file_and_of_a_folder() {
    let fx = Fixture::new();
    let shop = fx.write("shop.toml", SHOP);
    let admin = fx.write(
        "team/admin/users.toml",
        "[requests.delete-user]\nname = \"Delete a user\"\nfolder = \"users\"\nmethod = \"DELETE\"\nurl = \"$BASE/items/1\"\n",
    );
    fx.write("notes.md", "not a collection");

    let ran = fx.scout(&["send", "-c", shop.to_str().unwrap(), "--list"]);
    ran.code(0).stderr_empty();
    let out = ran.stdout_text();
    assert!(
        out.starts_with(&format!("Shop ({})\n", shop.display())),
        "{out}"
    );
    for line in [
        "GET doc The JSON document",
        "GET misc/echo/echo Echo",
        "GET misc/missing",
        "POST create Create",
        "environments: staging, prod",
    ] {
        assert!(has_line(out, line), "{line:?} in:\n{out}");
    }
    // Columns line up: the paths are padded to the longest one.
    assert!(
        out.contains("\n  GET     doc             The JSON document\n"),
        "{out}"
    );
    assert!(!out.contains("delete-user"), "only the file given: {out}");

    // A folder: every .toml in it and its subfolders, sorted by path.
    let ran = fx.scout(&["send", "-c", "$COLL", "--list"]);
    ran.code(0).stderr_empty();
    let out = ran.stdout_text();
    let shop_at = out.find("Shop (").expect("shop listed");
    let users_at = out
        .find(&format!("users ({})", admin.display()))
        .unwrap_or_else(|| panic!("the nested file is listed under its stem:\n{out}"));
    assert!(shop_at < users_at, "sorted by path:\n{out}");
    assert!(
        has_line(out, "DELETE users/delete-user Delete a user"),
        "{out}"
    );
    assert!(!out.contains("notes.md"), "{out}");
}

#[test]
fn list_names_the_file_line_column_and_problem_of_a_broken_file_and_still_lists_the_rest() {
    // (file text, line, column, what the message says)
    let cases = [
        (
            "[requests.a]\nurl = \"http://x/\"\n\n[requests.a]\nurl = \"http://y/\"\n",
            4,
            "duplicate",
        ),
        (
            "[requests.a]\nurl = \"http://x/\"\ncolour = \"red\"\n",
            3,
            "unknown field `colour`",
        ),
        (
            "[requests.a]\nurl = \"http://x/\"\nmethod = \"BR EW\"\n",
            3,
            "`BR EW` is not a method name",
        ),
        (
            "[requests.a]\nurl = \"http://x/\"\ntimeout = \"soon\"\n",
            3,
            "invalid timeout",
        ),
    ];
    for (text, line, needle) in cases {
        let fx = Fixture::new();
        fx.write("good.toml", SHOP);
        fx.write(
            "nested/also-good.toml",
            "[requests.ping]\nurl = \"$BASE/\"\n",
        );
        let bad = fx.write("nested/z-bad.toml", text);

        let ran = fx.scout(&["send", "-c", "$COLL", "--list"]);
        ran.code(1);
        let all = format!("{}{}", ran.stdout_text(), ran.stderr);
        let located = format!("{}:{line}:", bad.display());
        let problem = all
            .lines()
            .find(|l| l.contains(&located))
            .unwrap_or_else(|| panic!("{located} ({needle}) is named in:\n{all}"));
        let column = problem[problem.find(&located).unwrap() + located.len()..]
            .split(':')
            .next()
            .unwrap_or_default();
        assert!(
            column.parse::<usize>().is_ok_and(|c| c >= 1),
            "a 1-based column follows the line: {problem}"
        );
        assert!(problem.contains(needle), "{problem}");
        ran.stdout_has(&["  GET     doc", "  GET     ping", "Shop ("]);

        // The same file on its own fails the same way, and sending from a folder with a broken
        // file still names it when the id is not found.
        let ran = fx.scout(&["send", "-c", bad.to_str().unwrap(), "--list"]);
        ran.code(1);
        assert!(
            format!("{}{}", ran.stdout_text(), ran.stderr).contains(&located),
            "{located}"
        );
        fx.scout(&["send", "-c", "$COLL", "nope"])
            .fails_with(2, &["no request `nope`", &located]);
        // A good request in the same folder is still sent.
        fx.scout(&["send", "-c", "$COLL", "ping"]).code(0);
    }
}

// ---------------------------------------------------------------------------------------------------
// Sending

#[test]
fn sends_by_id_and_by_folder_path_with_the_same_output_as_plain_send() {
    let fx = Fixture::new();
    fx.write("shop.toml", SHOP);
    let plain = fx.plain_send(&["send", "$BASE/json"]);
    plain.code(0).stderr_empty();

    let ran = fx.scout(&["send", "-c", "$COLL/shop.toml", "doc"]);
    ran.code(0).stderr_empty();
    assert_eq!(
        ran.stdout, plain.stdout,
        "the body, exactly as `scout send`"
    );

    for path in ["echo", "misc/echo/echo"] {
        let echo = fx.scout(&["send", "-c", "$COLL", path]).echo();
        assert_eq!(echo["method"], "GET", "{path}");
        assert_eq!(echo["path"], "/anything", "{path}");
        assert_eq!(echo["query"], json!({"who": "vars"}), "{path}");
    }
    // A folder path that is not the request's is not found.
    fx.scout(&["send", "-c", "$COLL", "misc/echo"])
        .fails_with(2, &["no request `misc/echo`"]);
}

#[test]
fn check_status_gives_the_same_exit_codes_as_plain_send() {
    let fx = Fixture::new();
    fx.write("shop.toml", SHOP);
    let plain = fx.plain_send(&["send", "--check-status", "$BASE/status/404"]);
    plain.code(4);

    let ran = fx.scout(&["send", "-c", "$COLL", "--check-status", "misc/missing"]);
    ran.code(4);
    assert_eq!(ran.stdout, plain.stdout, "the body is printed anyway");
    assert_eq!(ran.json()["status"], 404);
    assert_eq!(ran.stderr, plain.stderr);
    // Without the flag any status exits 0.
    fx.scout(&["send", "-c", "$COLL", "missing"]).code(0);
}

#[test]
fn saved_bodies_arrive_as_written() {
    let fx = Fixture::new();
    fx.write(
        "api/bodies.toml",
        r#"
[vars]
base_url = "$BASE"
id = "42"

[requests.json]
method = "POST"
url = "{{base_url}}/anything"
body = { json = { name = "widget", price = 9.99, tags = ["new"], nested = { ok = true } } }

[requests.json-text]
method = "PUT"
url = "{{base_url}}/anything"
body = { json = '{"id": {{id}}}' }

[requests.form]
method = "POST"
url = "{{base_url}}/anything"
body = { form = { name = "Ada Lovelace", n = 3, sym = "a&b=c" } }

[requests.text]
method = "POST"
url = "{{base_url}}/anything"
body = { text = "plain words\nsecond line" }

[requests.multipart]
method = "POST"
url = "{{base_url}}/anything"
body = { multipart = [ { name = "note", value = "hello" }, { name = "upload", file = "data/report.dat", type = "text/csv" }, { name = "guessed", file = "data/notes.txt" } ] }

[requests.file]
method = "POST"
url = "{{base_url}}/anything"
body = { file = "data/payload.json" }
"#,
    );
    fx.write("api/data/report.dat", "a,b\n1,2\n");
    fx.write("api/data/notes.txt", "note");
    fx.write("api/data/payload.json", "{\"from\": \"file\"}");

    let echo = fx.scout(&["send", "-c", "$COLL", "json"]).echo();
    assert_eq!(echo["method"], "POST");
    assert_eq!(
        echo["json"],
        json!({"name": "widget", "price": 9.99, "tags": ["new"], "nested": {"ok": true}})
    );
    assert_eq!(echo["headers"]["content-type"], "application/json");

    let echo = fx.scout(&["send", "-c", "$COLL", "json-text"]).echo();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["json"], json!({"id": 42}), "templates in JSON text");

    let echo = fx.scout(&["send", "-c", "$COLL", "form"]).echo();
    assert_eq!(
        echo["form"],
        json!({"name": "Ada Lovelace", "n": "3", "sym": "a&b=c"})
    );
    assert_eq!(
        echo["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );

    let echo = fx.scout(&["send", "-c", "$COLL", "text"]).echo();
    assert_eq!(echo["body"], "plain words\nsecond line");
    assert_eq!(echo["json"], Value::Null);
    let ct = echo["headers"]["content-type"].as_str().unwrap_or_default();
    assert!(ct.starts_with("text/plain"), "{ct}");

    // File parts are read relative to the collection's folder, not the working directory.
    let echo = fx.scout(&["send", "-c", "$COLL", "multipart"]).echo();
    assert_eq!(
        echo["multipart"],
        json!([
            {"name": "note", "filename": null, "content_type": null, "size": 5},
            {"name": "upload", "filename": "report.dat", "content_type": "text/csv", "size": 8},
            {"name": "guessed", "filename": "notes.txt", "content_type": "text/plain", "size": 4},
        ])
    );
    let ct = echo["headers"]["content-type"].as_str().unwrap_or_default();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");

    let echo = fx.scout(&["send", "-c", "$COLL", "file"]).echo();
    assert_eq!(echo["body"], "{\"from\": \"file\"}");
    assert_eq!(echo["headers"]["content-type"], "application/json");

    // A missing file part says which file, resolved against the collection's folder.
    fx.write(
        "api/broken-upload.toml",
        "[requests.lost]\nmethod = \"POST\"\nurl = \"$BASE/anything\"\nbody = { multipart = [ { name = \"f\", file = \"nowhere.csv\" } ] }\n",
    );
    let ran = fx.scout(&["send", "-c", "$COLL", "lost"]);
    ran.code(1).stderr_has(&["nowhere.csv"]);
    assert!(ran.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------------
// Variables

#[test]
fn environment_beats_vars_and_var_beats_both() {
    let fx = Fixture::new();
    fx.write("shop.toml", SHOP);
    let who = |ran: Ran| ran.echo()["query"]["who"].clone();

    assert_eq!(who(fx.scout(&["send", "-c", "$COLL", "echo"])), "vars");
    assert_eq!(
        who(fx.scout(&["send", "-c", "$COLL", "--env", "staging", "echo"])),
        "staging"
    );
    assert_eq!(
        who(fx.scout(&["send", "-c", "$COLL", "--var", "who=cli", "echo"])),
        "cli"
    );
    assert_eq!(
        who(fx.scout(&[
            "send", "-c", "$COLL", "--env", "staging", "--var", "who=cli", "echo",
        ])),
        "cli"
    );
    // An environment variable the request does not use falls back to [vars]; one it overrides
    // (prod's base_url points at a closed port) is used.
    fx.scout(&["send", "-c", "$COLL", "--env", "prod", "echo"])
        .fails_with(1, &["127.0.0.1:9"]);
    // --var fixes it again, and `=` in a value is kept.
    let base = format!("base_url={}", fx.demo.url(""));
    let echo = fx
        .scout(&[
            "send", "-c", "$COLL", "--env", "prod", "--var", &base, "--var", "who=a=b", "echo",
        ])
        .echo();
    assert_eq!(echo["query"]["who"], "a=b");

    fx.scout(&["send", "-c", "$COLL", "--var", "novalue", "echo"])
        .code(2)
        .stderr_has(&["--var", "novalue"]);
}

#[test]
fn env_variables_come_from_the_process_then_the_dotenv_file_beside_the_collection() {
    let fx = Fixture::new();
    fx.write(
        "svc/api.toml",
        r#"[vars]
base_url = "$BASE"
token = "{{env.SCOUT_TEST_TOKEN}}"

[requests.who]
url = "{{base_url}}/anything"
headers = { Authorization = "Bearer {{token}}", X-Region = "{{env.SCOUT_TEST_REGION}}" }
"#,
    );
    let headers = |ran: Ran| ran.echo()["headers"].clone();

    // Only the process environment.
    let h = headers(fx.scout_env(
        &[
            ("SCOUT_TEST_TOKEN", "from-process"),
            ("SCOUT_TEST_REGION", "eu"),
        ],
        &["send", "-c", "$COLL", "who"],
    ));
    assert_eq!(h["authorization"], "Bearer from-process");
    assert_eq!(h["x-region"], "eu");

    // A .env beside the collection (not in the working directory).
    fx.write(
        "svc/.env",
        "# secrets\nSCOUT_TEST_TOKEN=from-dotenv\nexport SCOUT_TEST_REGION='us'\n",
    );
    std::fs::write(
        fx.dir.path().join("work/.env"),
        "SCOUT_TEST_TOKEN=from-the-working-dir\n",
    )
    .expect("write");
    let h = headers(fx.scout(&["send", "-c", "$COLL", "who"]));
    assert_eq!(h["authorization"], "Bearer from-dotenv");
    assert_eq!(h["x-region"], "us");

    // The process environment beats the .env file, per variable.
    let h = headers(fx.scout_env(
        &[("SCOUT_TEST_TOKEN", "from-process")],
        &["send", "-c", "$COLL/svc/api.toml", "who"],
    ));
    assert_eq!(h["authorization"], "Bearer from-process");
    assert_eq!(h["x-region"], "us");

    // --var beats [vars], so the env lookup is never made.
    let h = headers(fx.scout(&["send", "-c", "$COLL", "--var", "token=cli", "who"]));
    assert_eq!(h["authorization"], "Bearer cli");
}

#[test]
fn an_undefined_variable_blocks_sending_and_says_where_it_looked() {
    let fx = Fixture::new();
    let api = fx.write(
        "api.toml",
        r#"[vars]
base_url = "$BASE"
auth = "Bearer {{env.SCOUT_TEST_UNSET_TOKEN}}"

[environments.staging]
other = "x"

[requests.plain]
url = "{{base_url}}/anything/{{item}}"

[requests.env]
url = "{{base_url}}/anything"
headers = { Authorization = "{{auth}}" }
"#,
    );

    fx.scout(&["send", "-c", "$COLL", "plain"]).fails_with(
        1,
        &[
            &api.display().to_string(),
            "`plain`",
            "the URL",
            "`{{item}}` is not defined",
            "the collection's [vars]",
        ],
    );
    fx.scout(&["send", "-c", "$COLL", "--env", "staging", "plain"])
        .fails_with(1, &["`{{item}}`", "the `staging` environment", "[vars]"]);

    let dotenv = fx.coll().join(".env");
    fx.scout(&["send", "-c", "$COLL", "env"]).fails_with(
        1,
        &[
            "header `Authorization`",
            "`{{env.SCOUT_TEST_UNSET_TOKEN}}`",
            "used by `{{auth}}`",
            "the process environment",
            &format!("{} (no such file)", dotenv.display()),
        ],
    );
    // With the file present, it is named as a place looked in.
    fx.write(".env", "SOMETHING_ELSE=1\n");
    fx.scout(&["send", "-c", "$COLL", "env"])
        .fails_with(1, &[&format!("and {}", dotenv.display())]);
}

#[test]
fn escaped_braces_are_sent_literally() {
    let fx = Fixture::new();
    fx.write(
        "lit.toml",
        r#"[vars]
base_url = "$BASE"

[requests.lit]
method = "POST"
url = "{{base_url}}/anything"
query = { q = '\{{literal}}' }
headers = { X-Lit = '\{{literal}} and {{base_url}}' }
body = { text = 'keep \{{this}}' }
"#,
    );
    let echo = fx.scout(&["send", "-c", "$COLL", "lit"]).echo();
    assert_eq!(echo["query"]["q"], "{{literal}}");
    assert_eq!(
        echo["headers"]["x-lit"],
        format!("{{{{literal}}}} and {}", fx.demo.url(""))
    );
    assert_eq!(echo["body"], "keep {{this}}");
}

#[test]
fn escaped_braces_in_a_json_table_body_are_sent_literally() {
    let fx = Fixture::new();
    fx.write(
        "lit.toml",
        "[requests.lit]\nmethod = \"POST\"\nurl = \"$BASE/anything\"\nbody = { json = { a = '\\{{literal}}' } }\n",
    );
    let echo = fx.scout(&["send", "-c", "$COLL", "lit"]).echo();
    assert_eq!(
        echo["json"],
        json!({"a": "{{literal}}"}),
        "{}",
        echo["body"]
    );
}

#[test]
fn a_variable_in_a_form_value_stays_one_value() {
    let fx = Fixture::new();
    fx.write(
        "form.toml",
        "[vars]\nwho = \"Ada & co = 100%\"\n\n[requests.f]\nmethod = \"POST\"\nurl = \"$BASE/anything\"\nbody = { form = { name = \"{{who}}\", n = \"1\" } }\n",
    );
    let echo = fx.scout(&["send", "-c", "$COLL", "f"]).echo();
    assert_eq!(
        echo["form"],
        json!({"name": "Ada & co = 100%", "n": "1"}),
        "{}",
        echo["body"]
    );
}

// ---------------------------------------------------------------------------------------------------
// Timeouts

#[test]
fn a_saved_timeout_applies_and_the_flag_beats_it() {
    let fx = Fixture::new();
    fx.write(
        "slow.toml",
        r#"[requests.slow]
url = "$BASE/delay/5"
timeout = "300ms"

[requests.half]
url = "$BASE/delay/0.5"
timeout = "300ms"
"#,
    );
    fx.scout(&["send", "-c", "$COLL", "slow"])
        .fails_with(2, &["total timeout", "300 ms"]);
    let ran = fx.scout(&["send", "-c", "$COLL", "--timeout", "5", "half"]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.json(), json!({"delay": 0.5}));
    // The saved timeout also beats the config file's.
    std::fs::write(
        fx.dir.path().join("config.toml"),
        "[timeouts]\ntotal = \"20s\"\n",
    )
    .expect("write config");
    let ran = fx.scout(&["send", "-c", "$COLL", "slow"]);
    ran.code(2).stderr_has(&["total timeout", "300 ms"]);
}

#[test]
fn config_problems_are_reported_as_with_plain_send() {
    let fx = Fixture::new();
    fx.write("shop.toml", SHOP);
    std::fs::write(
        fx.dir.path().join("config.toml"),
        "[timeouts]\ntotal = \"soon\"\n",
    )
    .expect("write config");
    let plain = fx.plain_send(&["send", "$BASE/json"]);
    plain
        .code(0)
        .stderr_has(&["scout: config:", "timeouts.total"]);
    let ran = fx.scout(&["send", "-c", "$COLL", "doc"]);
    ran.code(0);
    assert_eq!(ran.stdout, plain.stdout);
    assert_eq!(ran.stderr, plain.stderr);
}

// ---------------------------------------------------------------------------------------------------
// Finding requests and environments

#[test]
fn unknown_ids_ambiguous_ids_and_unknown_environments_are_named() {
    let fx = Fixture::new();
    let shop = fx.write("shop.toml", SHOP);
    let other = fx.write(
        "more/other.toml",
        "[environments.dev]\n[requests.doc]\nurl = \"$BASE/json\"\n",
    );

    fx.scout(&["send", "-c", "$COLL/shop.toml", "nope"])
        .fails_with(2, &["no request `nope`", "doc", "misc/echo/echo", "--list"]);
    // A typo of an id, or of its last part, or of an environment: what was meant is named.
    fx.scout(&["send", "-c", "$COLL/shop.toml", "ehco"])
        .fails_with(2, &["no request `ehco`; did you mean `misc/echo/echo`?"]);
    fx.scout(&["send", "-c", "$COLL/shop.toml", "--env", "prdo", "doc"])
        .fails_with(2, &["no environment `prdo`; did you mean `prod`?"]);

    fx.scout(&["send", "-c", "$COLL", "doc"]).fails_with(
        2,
        &[
            "`doc` is in several collections",
            &shop.display().to_string(),
            &other.display().to_string(),
        ],
    );
    // Pointing at one file settles it.
    fx.scout(&["send", "-c", other.to_str().unwrap(), "doc"])
        .code(0);

    fx.scout(&["send", "-c", "$COLL/shop.toml", "--env", "qa", "doc"])
        .fails_with(
            2,
            &[
                &shop.display().to_string(),
                "no environment `qa`",
                "staging, prod",
            ],
        );
    fx.scout(&["send", "-c", "$COLL", "--env", "qa", "create"])
        .fails_with(2, &["no environment `qa`"]);

    fx.scout(&["send", "-c", "$COLL"])
        .fails_with(2, &["which request?", "--list"]);
    fx.scout(&["send", "-c", "$COLL/nothing-here", "--list"])
        .code(1)
        .stderr_has(&["no collection files"]);
    fx.scout(&["send", "-c", "$COLL/nothing-here", "doc"])
        .fails_with(2, &["no request `doc`", "no collection files"]);
}

// ---------------------------------------------------------------------------------------------------
// The shipped demo collection

#[test]
fn the_shipped_demo_collection_sends_against_the_in_process_demo() {
    let collections = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    let demo = collections.join("demo.toml");
    let demo_arg = demo.to_str().expect("UTF-8 path");
    let root = tempfile::tempdir().expect("temp dir");
    for sub in ["work", "data"] {
        std::fs::create_dir(root.path().join(sub)).expect("create dir");
    }
    let run_checked = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let before = snapshot(&collections);
        let ran = run(root.path(), &[], &args);
        assert_unchanged(&collections, &before, &ran);
        ran
    };

    let ran = run_checked(&["send", "-c", demo_arg, "list-items"]);
    ran.code(0).stderr_empty();
    let items = ran.json();
    assert!(
        items.as_array().is_some_and(|a| !a.is_empty()),
        "a JSON array of items: {items}"
    );

    let ran = run_checked(&["send", "-c", demo_arg, "echo/anything"]);
    let echo = ran.echo();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["json"], json!({"hello": "world", "n": 3}));

    let ran = run_checked(&["send", "-c", demo_arg, "--list"]);
    ran.code(0).stderr_empty();
    ran.stdout_has(&[
        &format!("Demo API ({})", demo.display()),
        "items/list-items",
        "List items",
        "POST    items/create-item",
        "environments: local",
    ]);
}

// ---------------------------------------------------------------------------------------------------
// Part 3: auth profiles, retries and redirect settings, headless

const AUTH_COLLECTION: &str = r#"name = "Auth"
default_auth = "basic"

[auth.basic]
kind = "basic"
username = "ci"
password = "{{env.CI_PASSWORD}}"

[auth.digest]
kind = "digest"
username = "ci"
password = "{{env.CI_PASSWORD}}"

[auth.svc]
kind = "oauth2-client-credentials"
token_url = "$BASE/oauth/token"
client_id = "scout"
client_secret = "scout-secret"

[auth.asked]
kind = "bearer"
token = "{{typed}}"

[vars]
typed = "{{prompt}}"

[requests.basic]
url = "$BASE/basic-auth/ci/pa55word"

[requests.digest]
url = "$BASE/digest-auth/auth/ci/pa55word/MD5"
auth = "digest"

[requests.oauth]
url = "$BASE/protected"
auth = "svc"

[requests.asked]
url = "$BASE/bearer"
auth = "asked"

[requests.flaky]
url = "$BASE/flaky?fail=2&key=cli&retry_after=0"
auth = "none"
retries = { max = 3, base = "10ms", on = [503] }

[requests.flaky-post]
method = "POST"
url = "$BASE/flaky?fail=1&key=cli-post&retry_after=0"
auth = "none"
retries = { max = 3, base = "10ms", on = [503] }

[requests.no-follow]
url = "$BASE/redirect/1"
auth = "none"
follow_redirects = false
"#;

#[test]
fn saved_requests_send_with_their_auth_profile() {
    let f = Fixture::new();
    f.write("auth.toml", AUTH_COLLECTION);
    let env = [("CI_PASSWORD", "pa55word")];
    for id in ["basic", "digest", "oauth"] {
        let ran = f.scout_env(&env, &["send", "--check-status", "-c", "$COLL", id]);
        ran.code(0);
        assert_eq!(ran.json()["authenticated"], true, "{id}");
    }
    // The wrong password is the server's 401, not a crash.
    f.scout_env(
        &[("CI_PASSWORD", "wrong")],
        &["send", "--check-status", "-c", "$COLL", "basic"],
    )
    .code(4);
    // Offline shows what the profile adds.
    f.scout_env(&env, &["send", "--offline", "-c", "$COLL", "basic"])
        .code(0)
        .stdout_has(&["Authorization: Basic Y2k6cGE1NXdvcmQ="]);
    // A prompt cannot be asked headless: --var answers it.
    f.scout(&["send", "-c", "$COLL", "asked"])
        .code(1)
        .stderr_has(&["--var typed=VALUE"]);
    let ran = f.scout(&["send", "-c", "$COLL", "asked", "--var", "typed=tok-123"]);
    ran.code(0);
    assert_eq!(ran.json()["token"], "tok-123");
}

#[test]
fn downloads_go_through_the_same_executor_with_every_auth_profile() {
    let f = Fixture::new();
    f.write("auth.toml", AUTH_COLLECTION);
    let env = [("CI_PASSWORD", "pa55word")];
    // Digest and OAuth2 answer the server live: a download used to refuse them.
    for id in ["digest", "oauth", "basic"] {
        let out = format!("{id}.json");
        f.scout_env(&env, &["send", "-c", "$COLL", id, "--download", "-o", &out])
            .code(0)
            .stderr_has(&["200 OK", "saved"]);
        // Into the working folder (not the collection's), the body of the authenticated answer.
        let written = std::fs::read(f.dir.path().join("work").join(&out)).unwrap();
        let body: Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(body["authenticated"], true, "{id}: {body}");
    }
    // Retries are the executor's too: the third attempt's body is the file.
    f.scout(&[
        "send",
        "-c",
        "$COLL",
        "flaky",
        "--download",
        "-o",
        "flaky.json",
    ])
    .code(0)
    .stderr_has(&["attempt 1 of 4"]);
    let written = std::fs::read(f.dir.path().join("work/flaky.json")).unwrap();
    let body: Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(body["attempt"], 3);
}

#[test]
fn saved_retry_and_redirect_settings_apply_headless() {
    let f = Fixture::new();
    f.write("auth.toml", AUTH_COLLECTION);
    let ran = f.scout(&["send", "--check-status", "-c", "$COLL", "flaky"]);
    ran.code(0)
        .stderr_has(&["attempt 1 of 4: 503 Service Unavailable", "attempt 2 of 4"]);
    assert_eq!(ran.json()["attempt"], 3);
    // POST without an Idempotency-Key is sent once and says why.
    f.scout(&["send", "--check-status", "-c", "$COLL", "flaky-post"])
        .code(5)
        .stderr_has(&["Idempotency-Key"]);
    f.scout(&["send", "--check-status", "-c", "$COLL", "no-follow"])
        .code(3);
}

#[test]
fn all_tells_of_retries_like_a_single_send() {
    let f = Fixture::new();
    f.write("auth.toml", AUTH_COLLECTION);
    let ran = f.scout(&["send", "--all", "-c", "$COLL", "flaky"]);
    ran.code(0)
        .stderr_has(&["attempt 1 of 4: 503 Service Unavailable", "does not page"]);
    assert_eq!(ran.json()["attempt"], 3);
}

#[test]
fn a_configured_pagination_is_followed_headless() {
    let f = Fixture::new();
    f.write(
        "paged.toml",
        r#"[requests.pages]
url = "$BASE/paged/page"
pagination = { style = "page", page_param = "page", size_param = "per_page", size = 50, total_path = "$.total", items = "$.results" }
"#,
    );
    let ran = f.scout(&["send", "--all", "-c", "$COLL", "pages"]);
    ran.code(0)
        .stderr_has(&["paging by page (configured)", "1234 items from 25 pages"]);
    let ids: Vec<u64> = ran
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=1234).collect::<Vec<_>>());
}

#[test]
fn a_download_keeps_the_api_key_header_on_its_origin() {
    let f = Fixture::new();
    // 127.0.0.1 and localhost are different origins, served by the same demo server.
    let other = f.demo.url("").replace("127.0.0.1", "localhost");
    f.write(
        "key.toml",
        &format!(
            r#"[auth.tenant]
kind = "api-key"
name = "X-Tenant"
value = "tenant-secret"

[requests.hop]
url = "$BASE/redirect-to"
query = {{ url = "{other}/headers" }}
auth = "tenant"
"#
        ),
    );
    let out = f.dir.path().join("work/headers.json");
    let out_arg = out.display().to_string();
    f.scout(&["send", "-c", "$COLL", "hop", "--download", "-o", &out_arg])
        .code(0);
    let saved: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(
        saved["headers"]["host"]
            .as_str()
            .unwrap()
            .starts_with("localhost"),
        "{saved}"
    );
    assert!(saved["headers"].get("x-tenant").is_none(), "{saved}");
}
