//! End-to-end tests of `scout run`: the real binary against the built-in demo API (and servers
//! that misbehave) on 127.0.0.1, with every reporter read back and every exit code checked.

mod support;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli::{Demo, PATIENCE, Ran, scout_with};

const DEMO_TOML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/collections/demo.toml");

/// A temp folder with a history folder of its own, so no test touches the user's.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write");
        path
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

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read")
    }
}

/// A collection against `base`: one step that passes, one whose check fails, one whose capture
/// matches nothing, and one that needs that capture (skipped).
fn mixed(base: &str) -> String {
    format!(
        r#"
[vars]
base_url = "{base}"

[requests.ok]
url = "{{{{base_url}}}}/json"
expect = {{ status = 200, headers = {{ "content-type" = "~application/json" }} }}

[requests.teapot]
name = "A teapot"
url = "{{{{base_url}}}}/status/418"
expect = {{ status = "2xx" }}

[requests.create]
method = "POST"
url = "{{{{base_url}}}}/items"
body = {{ json = {{ name = "w" }} }}
capture = {{ item_id = "$.nope" }}

[requests.read]
url = "{{{{base_url}}}}/items/{{{{item_id}}}}"
"#
    )
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// What `--reporter json` printed: one object per step.
fn json_steps(ran: &Ran) -> Vec<Value> {
    ran.stdout_text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect()
}

// ---------------------------------------------------------------------------------------------------
// The shipped CRUD run

#[test]
fn the_demo_crud_run_passes_against_a_fresh_demo() {
    let place = Place::new();
    let ran = place.scout(&["run", DEMO_TOML, "crud"]);
    ran.code(0);
    let out = ran.stdout_text();
    let steps: Vec<(&str, &str)> = out
        .lines()
        .filter(|l| l.trim_start().starts_with('✓'))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words[1], words[3])
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("POST", "201"),
            ("GET", "200"),
            ("PUT", "200"),
            ("PATCH", "200"),
            ("DELETE", "204"),
            ("GET", "404")
        ],
        "{out}"
    );
    assert!(out.contains("6 passed, 0 failed, 0 skipped in "), "{out}");
    // Its exchanges are in the history, marked with the run.
    let history = place.read("data/history.jsonl");
    let records: Vec<Value> = history
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 6);
    assert!(records.iter().all(|r| r["run"] == "crud"), "{history}");
    // The capture fed every step after it: they all worked on the item created.
    let created: Value = serde_json::from_str(
        records[0]["outcome"]["body"]["text"]
            .as_str()
            .expect("the created item, as text"),
    )
    .unwrap();
    let id = created["id"].as_u64().expect("an id");
    for read in &records[1..5] {
        let url = read["request"]["url"].as_str().unwrap();
        assert!(url.ends_with(&format!("/items/{id}")), "{url}");
    }
}

#[test]
fn the_learn_http_course_passes_against_a_fresh_demo_and_again() {
    let place = Place::new();
    let course = concat!(env!("CARGO_MANIFEST_DIR"), "/collections/learn-http.toml");
    let ran = place.scout(&["run", course, "--repeat", "2", "--no-history"]);
    ran.code(0);
    let out = ran.stdout_text();
    let passed = out
        .lines()
        .filter(|l| l.trim_start().starts_with('✓'))
        .count();
    assert!(passed >= 2 * 60, "{out}");
    assert!(out.contains(" 0 failed, 0 skipped"), "{out}");
    // Long step names push no status out of line: it starts in the same column on every line.
    let status_columns: std::collections::BTreeSet<usize> = out
        .lines()
        .filter(|l| l.trim_start().starts_with('✓'))
        .map(|l| {
            // The status: the first three digits standing alone.
            let chars: Vec<char> = l.chars().collect();
            (1..chars.len().saturating_sub(3))
                .find(|&i| {
                    chars[i - 1] == ' '
                        && chars[i..i + 3].iter().all(char::is_ascii_digit)
                        && chars[i + 3] == ' '
                })
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(status_columns.len(), 1, "{status_columns:?}\n{out}");
    // Each of the thirteen lessons took part.
    for lesson in 1..=13 {
        let folder = format!(" {lesson:02}-");
        assert!(out.contains(&folder), "lesson {lesson} did not run:\n{out}");
    }
}

#[test]
fn repeat_runs_everything_again_and_no_history_records_nothing() {
    let place = Place::new();
    let ran = place.scout(&["run", DEMO_TOML, "crud", "--repeat", "2", "--no-history"]);
    ran.code(0);
    assert!(
        ran.stdout_text().contains("12 passed, 0 failed, 0 skipped"),
        "{}",
        ran.stdout_text()
    );
    assert!(!place.path("data/history.jsonl").exists());
}

// ---------------------------------------------------------------------------------------------------
// Failures, skips and the reporters

#[test]
fn failures_say_expected_and_actual_and_a_missing_capture_skips_what_needs_it() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("api.toml", &mixed(&demo.url("")));
    let ran = place.scout(&["run", "api.toml"]);
    ran.code(1);
    ran.stdout_has(&[
            "✓ GET     ok ",
            "✗ GET     teapot                       418 I'm a teapot",
            "      status: expected 2xx, got 418 I'm a teapot",
            // A failure shows the start of the body.
            "      response (application/json): {",
            "✗ POST    create",
            "capture item_id: expected $.nope, got $.nope matched nothing",
            "– GET     read                         skipped: needs item_id, which create did not capture: $.nope matched nothing",
            "1 passed, 2 failed, 1 skipped in ",
        ],
    );
}

#[test]
fn junit_tap_and_json_reports_hold_every_step() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("api.toml", &mixed(&demo.url("")));
    let ran = place.scout(&[
        "run",
        "api.toml",
        "--reporter",
        "junit",
        "--output",
        "report.xml",
        "--reporter",
        "tap",
        "--output",
        "report.tap",
        "--reporter",
        "json",
    ]);
    ran.code(1);

    // JSON Lines on stdout (the one reporter without a file).
    let steps: Vec<Value> = json_steps(&ran);
    let outcomes: Vec<&str> = steps
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["passed", "failed", "failed", "skipped"]);
    assert_eq!(steps[1]["status"], 418);
    assert_eq!(steps[1]["checks"][0]["expected"], "2xx");
    assert_eq!(steps[1]["checks"][0]["passed"], false);
    assert!(steps[0]["ms"].as_f64().unwrap() > 0.0);
    assert_eq!(
        steps[3]["skipped"],
        "needs item_id, which create did not capture: $.nope matched nothing"
    );

    // JUnit: parsed back with an XML parser.
    let xml = place.read("report.xml");
    let doc = roxmltree::Document::parse(&xml).expect("valid XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("2"));
    assert_eq!(root.attribute("skipped"), Some("1"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0].attribute("name"), Some("api"));
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names, ["ok", "teapot", "create", "read"]);
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert_eq!(
        failure.attribute("message"),
        Some("status: expected 2xx, got 418 I'm a teapot")
    );
    assert!(
        failure
            .text()
            .unwrap_or_default()
            .contains("response (application/json)")
    );
    let skipped = cases[3]
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .expect("skipped");
    assert!(
        skipped
            .attribute("message")
            .unwrap()
            .starts_with("needs item_id")
    );

    // TAP 13, line by line.
    let tap = place.read("report.tap");
    let tap = lines(&tap);
    assert_eq!(tap[0], "TAP version 13");
    assert_eq!(tap[1], "1..4");
    assert!(tap[2].starts_with("ok 1 - api: ok (GET 200, "), "{tap:?}");
    assert!(
        tap[3].starts_with("not ok 2 - api: teapot (GET 418, "),
        "{tap:?}"
    );
    assert_eq!(tap[4], "  ---");
    assert_eq!(
        tap[5],
        "  message: \"status: expected 2xx, got 418 I'm a teapot\""
    );
    assert_eq!(tap[6], "  problems:");
    assert!(
        tap.iter()
            .any(|l| l.starts_with("not ok 3 - api: create (POST 201, ")),
        "{tap:?}"
    );
    assert_eq!(
        tap.last().copied(),
        Some(
            "ok 4 - api: read # SKIP needs item_id, which create did not capture: $.nope matched nothing"
        )
    );
}

#[test]
fn json_checks_on_a_non_json_body_say_so_with_the_content_type() {
    let demo = Demo::start();
    let place = Place::new();
    place.write(
        "api.toml",
        &format!(
            "[requests.page]\nurl = \"{}\"\nexpect = {{ json = {{ \"$.title\" = \"x\" }} }}\n",
            demo.url("/html")
        ),
    );
    let ran = place.scout(&["run", "api.toml"]);
    ran.code(1);
    assert!(
        ran.stdout_text()
            .contains("$.title: expected \"x\", got the body is not JSON (content type text/html"),
        "{}",
        ran.stdout_text()
    );
}

#[test]
fn bail_stops_at_the_first_failure_and_says_so() {
    let demo = Demo::start();
    let place = Place::new();
    place.write("api.toml", &mixed(&demo.url("")));
    let ran = place.scout(&["run", "api.toml", "--bail"]);
    ran.code(1);
    let out = ran.stdout_text();
    assert!(
        out.contains("skipped: not run: --bail stops at the first failure"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed, 2 skipped"), "{out}");
}

#[test]
fn a_step_with_retries_is_sent_again_until_its_checks_pass() {
    let demo = Demo::start();
    let place = Place::new();
    place.write(
        "api.toml",
        &format!(
            "[requests.flaky]\nurl = \"{}\"\nexpect = {{ status = 200 }}\n[runs.wait]\nsteps = [{{ request = \"flaky\", retries = 2, delay = \"10ms\" }}]\n",
            demo.url("/flaky?fail=2&key=run-retries")
        ),
    );
    let ran = place.scout(&["run", "api.toml", "--reporter", "json"]);
    ran.code(0);
    let step = &json_steps(&ran)[0];
    assert_eq!(
        (step["outcome"].as_str(), step["attempts"].as_u64()),
        (Some("passed"), Some(3))
    );
}

// ---------------------------------------------------------------------------------------------------
// Concurrency

#[test]
fn jobs_run_independent_steps_together_and_wait_for_captures() {
    let demo = Demo::start();
    let place = Place::new();
    let base = demo.url("");
    // Four slow reads that need the id `create` captures (no fallback value: a read sent before
    // the capture would fail as unresolved).
    let mut text = format!(
        "[vars]\nbase_url = \"{base}\"\n[requests.create]\nmethod = \"POST\"\nurl = \"{{{{base_url}}}}/items\"\nbody = {{ json = {{ name = \"w\" }} }}\ncapture = {{ id = \"$.id\" }}\n"
    );
    for i in 0..4 {
        text.push_str(&format!(
            "[requests.slow{i}]\nurl = \"{{{{base_url}}}}/delay/0.4?item={{{{id}}}}\"\nexpect = {{ status = 200 }}\n"
        ));
    }
    text.push_str("[runs.all]\nsteps = [\"slow0\", \"slow1\", \"create\", \"slow2\", \"slow3\"]\n");
    place.write("api.toml", &text);
    let started = Instant::now();
    let ran = place.scout(&["run", "api.toml", "--jobs", "4", "--reporter", "json"]);
    let took = started.elapsed();
    ran.code(0);
    let order: Vec<String> = json_steps(&ran)
        .iter()
        .map(|s| s["request"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        order,
        ["slow0", "slow1", "create", "slow2", "slow3"],
        "reported in run order"
    );
    assert!(
        took < Duration::from_millis(1400),
        "4 × 0.4 s with --jobs 4 took {took:?}"
    );

    let human = place.scout(&["run", "api.toml", "--jobs", "4"]);
    human.code(0);
    assert!(
        human.stdout_text().contains("--jobs 4 ran them"),
        "{}",
        human.stdout_text()
    );
}

#[test]
fn a_circle_of_captures_is_an_error_before_anything_is_sent() {
    let (listener, url) = listening();
    let place = Place::new();
    place.write(
        "api.toml",
        &format!(
            "[requests.login]\nurl = \"{url}/login?{{{{token}}}}\"\ncapture = {{ session = \"$.s\" }}\n[requests.refresh]\nurl = \"{url}/r?{{{{session}}}}\"\ncapture = {{ token = \"$.t\" }}\n"
        ),
    );
    let ran = place.scout(&["run", "api.toml", "--jobs", "2"]);
    ran.code(2);
    assert!(
        ran.stderr.contains("the steps wait for each other in a circle: login (needs token from refresh) → refresh (needs session from login) → login"),
        "{}",
        ran.stderr
    );
    assert_nothing_connected(&listener);
}

// ---------------------------------------------------------------------------------------------------
// Bad input: exit 2, a clear message, nothing sent

#[test]
fn file_and_usage_errors_exit_2_before_sending() {
    let (listener, url) = listening();
    let place = Place::new();
    place.write(
        "schema.toml",
        &format!("[requests.a]\nurl = \"{url}\"\nexpect = {{ schema = \"nope.json\" }}\n"),
    );
    place.write(
        "step.toml",
        &format!("[requests.a]\nurl = \"{url}\"\n[runs.r]\nsteps = [\"a\", \"b\"]\n"),
    );
    place.write(
        "path.toml",
        &format!("[requests.a]\nurl = \"{url}\"\nexpect = {{ json = {{ \"$[\" = 1 }} }}\n"),
    );
    place.write(
        "regex.toml",
        &format!("[requests.a]\nurl = \"{url}\"\nexpect = {{ body_matches = \"(\" }}\n"),
    );
    place.write(
        "empty.toml",
        &format!("[requests.a]\nurl = \"{url}\"\n[runs.r]\nsteps = []\n"),
    );
    place.write(
        "ok.toml",
        &format!("[requests.a]\nurl = \"{url}\"\n[runs.r]\nsteps = [\"a\"]\n"),
    );
    let cases: [(&[&str], &str); 9] = [
        (&["run", "schema.toml"], "schema.toml:3:"),
        (&["run", "step.toml"], "step.toml:4:"),
        (&["run", "path.toml"], "`$[` is not a valid JSONPath"),
        (
            &["run", "regex.toml"],
            "`(` is not a valid regular expression",
        ),
        (&["run", "empty.toml"], "run `r` has no steps"),
        (
            &["run", "ok.toml", "nothing"],
            "no run, request or folder `nothing` (runs: r; folders: none;",
        ),
        (
            &[
                "run",
                "ok.toml",
                "--reporter",
                "junit",
                "--output",
                "missing/report.xml",
            ],
            "the folder missing does not exist",
        ),
        (
            &["run", "ok.toml", "--reporter", "junit", "--reporter", "tap"],
            "only one reporter can write to stdout",
        ),
        (
            &["run", "ok.toml", "--env", "prod"],
            "has no environment `prod`",
        ),
    ];
    for (args, needle) in cases {
        let ran = place.scout(args);
        ran.code(2);
        assert!(
            ran.stderr.contains(needle),
            "scout {args:?}: {}",
            ran.stderr
        );
        assert!(
            ran.stdout.is_empty(),
            "scout {args:?} printed {}",
            ran.stdout_text()
        );
    }
    assert_nothing_connected(&listener);
    assert!(!place.path("missing").exists());
}

#[test]
fn a_server_gone_mid_run_fails_the_remaining_steps_and_the_report_is_written() {
    // Answers one request, then stops listening.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf);
        let body = "{\"id\": 7}";
        let _ = write!(
            stream,
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let place = Place::new();
    place.write(
        "api.toml",
        &format!(
            "[requests.create]\nmethod = \"POST\"\nurl = \"{url}/items\"\ncapture = {{ id = \"$.id\" }}\nexpect = {{ status = 201 }}\n[requests.read]\nurl = \"{url}/items/{{{{id}}}}\"\n[requests.list]\nurl = \"{url}/items\"\n"
        ),
    );
    let ran = place.scout(&[
        "run",
        "api.toml",
        "--reporter",
        "junit",
        "--output",
        "r.xml",
        "--reporter",
        "human",
    ]);
    server.join().unwrap();
    ran.code(1);
    let out = ran.stdout_text();
    assert!(out.contains("✓ POST    create"), "{out}");
    assert!(
        out.contains("✗ GET     read                         no response"),
        "{out}"
    );
    assert!(
        out.contains("Connection refused"),
        "the cause is named: {out}"
    );
    let xml = place.read("r.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().attribute("tests"), Some("3"));
    assert_eq!(doc.root_element().attribute("errors"), Some("2"));
}

#[test]
fn ctrl_c_stops_sending_writes_the_report_for_what_ran_and_exits_130() {
    let demo = Demo::start();
    let place = Place::new();
    place.write(
        "api.toml",
        &format!(
            "[requests.quick]\nurl = \"{}\"\n[requests.slow]\nurl = \"{}\"\n[requests.never]\nurl = \"{}\"\n",
            demo.url("/json"),
            demo.url("/delay/10"),
            demo.url("/json")
        ),
    );
    let data = place.path("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scout"))
        .args([
            "run",
            "api.toml",
            "--reporter",
            "junit",
            "--output",
            "r.xml",
            "--reporter",
            "human",
        ])
        .current_dir(place.dir.path())
        .env("SCOUT_DATA_DIR", &data)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first step is reported (the slow one is then in flight).
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let started = Instant::now();
    while !String::from_utf8_lossy(&seen).contains("quick") {
        let mut buf = [0u8; 256];
        let n = stdout.read(&mut buf).unwrap();
        assert!(
            n > 0 && started.elapsed() < PATIENCE,
            "no step line: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "it did not wait for the slow step"
    );
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("stopped by Ctrl+C"), "{rest}");
    let xml = place.read("r.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("tests"), Some("3"), "{xml}");
    assert_eq!(root.attribute("skipped"), Some("2"), "{xml}");
    assert!(
        xml.contains("stopped while sending") && xml.contains("not run: the run was stopped"),
        "{xml}"
    );
}

/// A listener on 127.0.0.1 that accepts nothing, and its URL.
fn listening() -> (TcpListener, String) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

fn assert_nothing_connected(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("something was sent (a connection from {from})"),
        Err(e) => panic!("accept: {e}"),
    }
}

#[test]
fn targets_are_runs_requests_or_folders_and_var_wins_over_a_capture() {
    let place = Place::new();
    let before = std::fs::read(DEMO_TOML).unwrap();
    // One request (its own expect): item 1 of the fresh demo.
    let ran = place.scout(&["run", DEMO_TOML, "items/get-item"]);
    ran.code(0);
    assert!(
        ran.stdout_text().contains("1 passed, 0 failed, 0 skipped"),
        "{}",
        ran.stdout_text()
    );
    // A folder: its requests in file order.
    let ran = place.scout(&["run", DEMO_TOML, "documents", "--reporter", "json"]);
    ran.code(0);
    let requests: Vec<String> = json_steps(&ran)
        .iter()
        .map(|s| s["request"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(requests[0], "documents/json");
    assert!(
        requests.iter().all(|r| r.starts_with("documents/")),
        "{requests:?}"
    );
    // --var is above what a step captures: every read goes to item 999, which is not there.
    let ran = place.scout(&[
        "run",
        DEMO_TOML,
        "crud",
        "--var",
        "item_id=999",
        "--reporter",
        "json",
    ]);
    ran.code(1);
    let first_read: Value = json_steps(&ran)[1].clone();
    assert!(
        first_read["url"].as_str().unwrap().ends_with("/items/999"),
        "{first_read}"
    );
    assert_eq!(first_read["status"], 404);
    // A run never writes the collection file.
    assert_eq!(std::fs::read(DEMO_TOML).unwrap(), before);
}

#[test]
fn a_step_that_could_not_be_sent_does_not_pass_on_an_older_capture() {
    let demo = Demo::start();
    let place = Place::new();
    let base = demo.url("");
    place.write(
        "api.toml",
        &format!(
            "[vars]\nbase_url = \"{base}\"\n\
             [requests.first]\nmethod = \"POST\"\nurl = \"{{{{base_url}}}}/items\"\nbody = {{ json = {{ name = \"a\" }} }}\ncapture = {{ id = \"$.id\" }}\n\
             [requests.second]\nmethod = \"POST\"\nurl = \"{{{{base_url}}}}/items?{{{{nowhere}}}}\"\nbody = {{ json = {{ name = \"b\" }} }}\ncapture = {{ id = \"$.id\" }}\n\
             [requests.read]\nurl = \"{{{{base_url}}}}/items/{{{{id}}}}\"\n"
        ),
    );
    let ran = place.scout(&["run", "api.toml", "--reporter", "json"]);
    ran.code(1);
    let steps: Vec<Value> = json_steps(&ran);
    assert_eq!(steps[1]["outcome"], "failed");
    assert_eq!(steps[2]["outcome"], "skipped", "{}", steps[2]);
    let why = steps[2]["skipped"].as_str().unwrap();
    assert!(
        why.starts_with("needs id, which second did not capture: it could not be sent"),
        "{why}"
    );
}

#[test]
fn a_prompt_in_a_run_fails_its_step_and_says_how_to_give_the_value() {
    let (listener, url) = listening();
    let place = Place::new();
    place.write(
        "api.toml",
        &format!("[requests.login]\nurl = \"{url}/login\"\nheaders = {{ X-Password = \"{{{{prompt:pw}}}}\" }}\n"),
    );
    let ran = place.scout(&["run", "api.toml"]);
    ran.code(1);
    ran.stdout_has(&[
        "give it with --var pw=VALUE",
        "0 passed, 1 failed, 0 skipped",
    ]);
    assert_nothing_connected(&listener);
}
