//! End-to-end tests of `scout send`: the real binary, with stdout and stderr piped (so neither is a
//! terminal), against the built-in demo API on 127.0.0.1 (random port).
//!
//! Each test starts its own demo server on its own tokio runtime; the runtime's worker threads serve
//! while the test thread blocks on the child process. Every child runs under a deadline and is
//! killed (and the test failed) when it overstays.

mod support;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use support::blackhole;
use support::cli::{Demo, Ran, scout, scout_in, scout_with};

/// A port on 127.0.0.1 where nothing listens (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    listener.local_addr().expect("addr").port()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------------
// Requests and what they print

#[test]
fn get_prints_exactly_the_body_when_piped() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/json")]);
    ran.code(0).stderr_empty();
    assert_eq!(
        ran.stdout,
        demo.fetch("/json"),
        "stdout is the body, nothing else"
    );
    assert_eq!(ran.json()["store"]["name"], "Scout's Corner Shop");
}

#[test]
fn port_shorthand_means_localhost() {
    let demo = Demo::start();
    let url = format!(":{}/json", demo.port());
    let ran = scout(&["send", &url]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.json()["store"]["address"]["city"], "Besançon");
}

#[test]
fn query_and_header_items_are_sent() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        &demo.url("/anything"),
        "name==value",
        "greeting==hello world & more",
        "X-Test:1",
        "X-Empty;",
    ]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "GET");
    assert_eq!(
        echo["query"],
        json!({"name": "value", "greeting": "hello world & more"})
    );
    assert_eq!(echo["headers"]["x-test"], "1");
    assert_eq!(echo["headers"]["x-empty"], "");
    assert_eq!(echo["body"], "");
}

#[test]
fn data_items_become_a_json_body_and_a_post() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/anything"), "a=1", "b:=2", "c:=true"]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["json"], json!({"a": "1", "b": 2, "c": true}));
    assert_eq!(echo["headers"]["content-type"], "application/json");
}

#[test]
fn form_flag_sends_urlencoded_fields() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        "--form",
        "PUT",
        &demo.url("/anything"),
        "a=1",
        "b=x y&z",
    ]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["form"], json!({"a": "1", "b": "x y&z"}));
    assert_eq!(
        echo["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
}

#[test]
fn file_items_send_multipart_with_absolute_and_relative_paths() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("note.txt"), "hello file").expect("write");
    let absolute = format!("upload@{}", dir.path().join("note.txt").display());
    let expected = json!([
        {"name": "title", "filename": null, "content_type": null, "size": 6},
        {"name": "upload", "filename": "note.txt", "content_type": "text/plain", "size": 10},
    ]);

    let ran = scout(&["send", &demo.url("/anything"), "title=Report", &absolute]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["multipart"], expected);
    let ct = echo["headers"]["content-type"].as_str().unwrap_or_default();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");

    // A relative path is read from the working directory.
    let ran = scout_in(
        Some(dir.path()),
        &[
            "send",
            &demo.url("/anything"),
            "title=Report",
            "upload@note.txt",
        ],
    );
    ran.code(0).stderr_empty();
    assert_eq!(ran.json()["multipart"], expected);
}

#[test]
fn raw_body_from_the_command_line_and_from_a_file() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        "--raw",
        "plain text, not JSON",
        "POST",
        &demo.url("/anything"),
        "Content-Type:text/plain",
    ]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["body"], "plain text, not JSON");
    assert_eq!(echo["headers"]["content-type"], "text/plain");

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("body.json");
    std::fs::write(&file, "{\"from\": \"file\"}\n").expect("write");
    let raw = format!("@{}", file.display());
    let ran = scout(&["send", "--raw", &raw, "PUT", &demo.url("/anything")]);
    ran.code(0).stderr_empty();
    let echo = ran.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["body"], "{\"from\": \"file\"}\n");
    assert_eq!(echo["json"], json!({"from": "file"}));

    let missing = format!("@{}", dir.path().join("missing.txt").display());
    scout(&["send", "--raw", &missing, "POST", &demo.url("/anything")])
        .fails_with(1, &["--raw", "missing.txt"]);
}

#[test]
fn offline_prints_the_request_and_sends_nothing() {
    // A live listener that is never accepted from: afterwards its queue must be empty.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let url = format!("http://127.0.0.1:{port}/anything");

    let ran = scout(&["send", "--offline", "POST", &url, "a=1", "X-Test:1"]);
    ran.code(0).stderr_empty();
    let text = ran.stdout_text();
    assert!(text.starts_with("POST /anything HTTP/1.1\n"), "{text}");
    let (head, body) = text
        .split_once("\n\n")
        .expect("a blank line before the body");
    for line in [
        format!("Host: 127.0.0.1:{port}").as_str(),
        "X-Test: 1",
        "Content-Type: application/json",
    ] {
        assert!(head.lines().any(|l| l == line), "no {line:?} in:\n{head}");
    }
    let body: Value = serde_json::from_str(body).expect("the body is the JSON that would be sent");
    assert_eq!(body, json!({"a": "1"}));
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("--offline connected to the server: {other:?}"),
    }

    // And where nothing listens at all, it still succeeds.
    let url = format!("http://127.0.0.1:{}/anything", closed_port());
    scout(&["send", "--offline", &url]).code(0).stderr_empty();
}

#[test]
fn verbose_shows_the_wire_and_the_timing_and_offline_agrees_with_the_wire() {
    let demo = Demo::start();
    let url = demo.url("/anything");
    let args = ["POST", &url, "a=1", "Authorization:Bearer sekrit-token"];
    let ran = scout(&[&["send", "-v"][..], &args[..]].concat());
    ran.code(0).stderr_has(&[
        "> POST /anything HTTP/1.1",
        "> authorization: Bearer [redacted]",
        "> user-agent: scout/",
        "> accept-encoding: gzip, deflate, br",
        "< HTTP/1.1 200 OK",
        "* HTTP/1.1 · a new connection to 127.0.0.1:",
        "* TCP connect",
        "* waiting (TTFB)",
        "* total",
    ]);
    let stderr = &ran.stderr;
    assert!(!stderr.contains("sekrit"), "a secret on stderr:\n{stderr}");
    assert_eq!(ran.json()["json"], json!({"a": "1"}), "stdout is the body");

    // Every header --offline prints went out on the wire, the stack's defaults included.
    let offline = scout(&[&["send", "--offline"][..], &args[..]].concat());
    let text = offline.code(0).stdout_text();
    let head = text.split_once("\n\n").expect("a head").0;
    let wire: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("> "))
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    for line in head.lines().skip(1) {
        let name = line
            .split_once(':')
            .expect("a header line")
            .0
            .to_ascii_lowercase();
        assert!(wire.contains(&name), "{name} is not on the wire: {wire:?}");
    }
    for line in [
        "User-Agent: scout/",
        "Accept: */*",
        "Accept-Encoding: gzip, deflate, br",
    ] {
        assert!(head.contains(line), "no {line:?} in:\n{head}");
    }
}

// ---------------------------------------------------------------------------------------------------
// Exit codes for HTTP statuses

#[test]
fn any_http_status_exits_zero_without_check_status() {
    let demo = Demo::start();
    for code in [302, 404, 503] {
        let ran = scout(&["send", &demo.url(&format!("/status/{code}"))]);
        ran.code(0).stderr_empty();
        assert_eq!(ran.json()["status"], code);
    }
}

#[test]
fn check_status_maps_3xx_4xx_5xx_to_3_4_5() {
    let demo = Demo::start();
    // `/status/302` has no Location, so it is not followed: it is the final response.
    for (status, exit) in [(200, 0), (201, 0), (302, 3), (404, 4), (418, 4), (503, 5)] {
        let ran = scout(&[
            "send",
            "--check-status",
            &demo.url(&format!("/status/{status}")),
        ]);
        ran.code(exit);
        assert_eq!(ran.json()["status"], status, "the body is printed anyway");
        // Piped, the body alone does not say why: a warning does.
        if exit == 0 {
            assert_eq!(ran.stderr, "");
        } else {
            assert!(
                ran.stderr
                    .starts_with(&format!("scout: warning: HTTP {status} ")),
                "{}",
                ran.stderr
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Transport failures: exit 1 (2 for timeouts) and a one-line cause

#[test]
fn connection_refused_names_the_target() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}/json");
    scout(&["send", &url]).fails_with(1, &["refused", &format!("127.0.0.1:{port}")]);
}

#[test]
fn invalid_urls_and_schemes_are_named() {
    for url in ["http://exa mple.com", "http://", "http://[::1/x"] {
        scout(&["send", url]).fails_with(1, &["invalid URL", url]);
    }
    scout(&["send", "ftp://x/y"]).fails_with(1, &["scheme `ftp`", "ftp://x/y"]);
}

#[test]
fn unresolvable_host_says_so() {
    let ran = scout(&["send", "--timeout", "10s", "http://scout-test.invalid/"]);
    ran.fails_with(1, &["could not resolve host", "scout-test.invalid"]);
}

#[test]
fn total_timeout_exits_2_and_says_which_timeout() {
    let demo = Demo::start();
    let ran = scout(&["send", "--timeout", "0.3", &demo.url("/delay/5")]);
    ran.fails_with(2, &["total timeout", "300 ms"]);
    assert!(ran.took < Duration::from_secs(3), "took {:?}", ran.took);

    let ran = scout(&["send", "--timeout", "250ms", &demo.url("/delay/5")]);
    ran.fails_with(2, &["total timeout", "250 ms"]);
    assert!(ran.took < Duration::from_secs(3), "took {:?}", ran.took);
}

#[test]
fn connect_timeout_exits_2_and_says_which_timeout() {
    let hole = blackhole().unwrap_or_else(|why| panic!("cannot test the connect timeout: {why}"));
    let url = format!("http://{}/", hole.addr);
    let ran = scout(&[
        "send",
        "--connect-timeout",
        "300ms",
        "--timeout",
        "10",
        &url,
    ]);
    ran.fails_with(2, &["connect timeout", &hole.addr.to_string(), "300 ms"]);
    assert!(
        !ran.stderr.contains("total timeout"),
        "only the connect timeout fired: {}",
        ran.stderr
    );
    assert!(ran.took < Duration::from_secs(5), "took {:?}", ran.took);
}

#[test]
fn server_closing_mid_body_gives_the_byte_counts() {
    let demo = Demo::start();
    scout(&["send", &demo.url("/bad/truncated")])
        .fails_with(1, &["closed mid-body", "after 4096 of 100000 bytes"]);
}

#[test]
fn redirects_are_followed_and_loops_named() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/redirect/3")]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout, demo.fetch("/json"));

    let ran = scout(&["send", &demo.url("/redirect-loop")]);
    ran.fails_with(1, &["redirect loop", &demo.url("/redirect-loop")]);
}

#[test]
fn redirect_chains_longer_than_ten_are_refused() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/redirect/10")]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout, demo.fetch("/json"));

    scout(&["send", &demo.url("/redirect/11")]).fails_with(1, &["too many redirects", "10"]);
}

#[test]
fn https_to_a_plain_http_port_fails_with_exit_1() {
    let demo = Demo::start();
    let url = format!("https://127.0.0.1:{}/json", demo.port());
    scout(&["send", &url]).fails_with(1, &[&format!("127.0.0.1:{}", demo.port())]);
}

// ---------------------------------------------------------------------------------------------------
// Bodies that are odd, large or encoded: piped, they come out exactly as received

#[test]
fn json_content_type_with_a_broken_body_is_printed_as_received() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/bad/json")]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout, demo.fetch("/bad/json"));
    assert!(serde_json::from_slice::<Value>(&ran.stdout).is_err());
}

#[test]
fn invalid_utf8_is_printed_byte_for_byte() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/bad/utf8")]);
    ran.code(0).stderr_empty();
    let expected = demo.fetch("/bad/utf8");
    assert!(
        std::str::from_utf8(&expected).is_err(),
        "the demo body is invalid UTF-8"
    );
    assert_eq!(ran.stdout, expected);
}

#[test]
fn five_megabytes_of_single_line_json_come_through_intact() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/large/5")]);
    ran.code(0).stderr_empty();
    assert!(
        ran.stdout.len() >= 5 * 1024 * 1024,
        "{} bytes",
        ran.stdout.len()
    );
    assert!(!ran.stdout.contains(&b'\n'), "a single line");
    let items = ran.json();
    let items = items.as_array().expect("a JSON array");
    assert_eq!(items.last().expect("items")["id"], items.len());
    assert_eq!(ran.stdout, demo.fetch("/large/5"));
}

#[test]
fn gzip_bodies_are_decoded() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/gzip")]);
    ran.code(0).stderr_empty();
    assert!(!ran.stdout.starts_with(&[0x1f, 0x8b]), "still gzip-encoded");
    let echo = ran.json();
    assert_eq!(echo["compressed"], "gzip");
    assert_eq!(echo["path"], "/gzip");
    assert_eq!(echo["headers"]["user-agent"], "scout/0.1.0");
}

// ---------------------------------------------------------------------------------------------------
// Downloads

fn assert_saved_line(ran: &Ran, path: &Path) {
    ran.code(0).stdout_empty();
    let line = format!("to {}", path.display());
    ran.stderr_has(&["200 OK", "saved 195 KB", &line]);
    assert_eq!(ran.stderr.lines().count(), 1, "one line: {:?}", ran.stderr);
    assert!(
        !ran.stderr.contains(['\r', '\x1b']),
        "no progress bar when stderr is not a terminal: {:?}",
        ran.stderr
    );
}

#[test]
fn download_to_a_named_file() {
    let demo = Demo::start();
    let expected = demo.fetch("/bytes/200000");
    assert_eq!(expected.len(), 200_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("payload.bin");
    let out_arg = out.display().to_string();
    let ran = scout(&[
        "send",
        "--download",
        "-o",
        &out_arg,
        &demo.url("/bytes/200000"),
    ]);
    assert_saved_line(&ran, &out);
    assert!(
        std::fs::read(&out).expect("downloaded file") == expected,
        "same bytes"
    );
    assert_eq!(
        files_in(dir.path()),
        ["payload.bin"],
        "no temporary file left"
    );
    // -o alone does the same (as xh's -o).
    let again = dir.path().join("again.bin");
    let ran = scout(&[
        "send",
        "-o",
        &again.display().to_string(),
        &demo.url("/bytes/200000"),
    ]);
    assert_saved_line(&ran, &again);
    assert!(std::fs::read(&again).expect("downloaded file") == expected);
}

#[test]
fn download_names_the_file_from_the_url_and_never_overwrites() {
    let demo = Demo::start();
    let expected = demo.fetch("/bytes/200000");
    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path().canonicalize().expect("canonical temp dir");
    let url = demo.url("/bytes/200000");
    let names: Vec<PathBuf> = ["200000.bin", "200000-1.bin"]
        .iter()
        .map(|n| cwd.join(n))
        .collect();

    for (i, name) in names.iter().enumerate() {
        let ran = scout_in(Some(&cwd), &["send", "--download", &url]);
        assert_saved_line(&ran, name);
        assert_eq!(files_in(&cwd).len(), i + 1, "{:?}", files_in(&cwd));
        assert!(std::fs::read(name).expect("downloaded file") == expected);
    }
    assert_eq!(files_in(&cwd), ["200000-1.bin", "200000.bin"]);
}

#[test]
fn failed_download_leaves_nothing_behind() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let ran = scout_in(
        Some(dir.path()),
        &["send", "--download", &demo.url("/bad/truncated")],
    );
    ran.fails_with(1, &["closed mid-body"]);
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

#[test]
fn an_error_answer_is_not_downloaded_and_exits_with_its_class() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let ran = scout_in(
        Some(dir.path()),
        &[
            "send",
            "--download",
            "-o",
            "page.html",
            &demo.url("/status/404"),
        ],
    );
    ran.code(4).stderr_has(&["404", "not saved"]);
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------------
// Bad command lines

#[test]
fn unknown_item_is_named() {
    scout(&["send", ":1/x", "foo"]).fails_with(2, &["`foo`", "not a request item"]);
}

#[test]
fn a_command_line_that_cannot_work_exits_2_and_sends_nothing() {
    // Nothing listens on the port: were anything sent, it would fail with 1.
    let url = format!("127.0.0.1:{}/x", closed_port());
    scout(&["send", "GETT", &url])
        .code(2)
        .stdout_empty()
        .stderr_has(&["GETT is not a method; did you mean GET?"]);
    // The app's command line too: nothing opens.
    scout(&["GETT", &url])
        .code(2)
        .stderr_has(&["did you mean GET?"]);
}

#[test]
fn bad_timeout_is_a_usage_error_naming_the_flag() {
    let ran = scout(&["send", "--timeout", "abc", ":1/x"]);
    // clap's usage errors exit with 2.
    ran.code(2).stdout_empty().stderr_has(&["--timeout", "abc"]);
}

#[test]
fn send_without_a_url_says_so() {
    let ran = scout(&["send"]);
    ran.fails_with(2, &["scout send needs a URL"]);
}

// ---------------------------------------------------------------------------------------------------
// Regressions: bugs found while writing these tests

#[test]
fn flags_may_follow_the_url_and_items() {
    let url = format!("http://127.0.0.1:{}/anything", closed_port());
    let ran = scout(&["send", "POST", &url, "a=1", "--offline"]);
    ran.code(0).stderr_empty();
    assert!(ran.stdout_text().starts_with("POST /anything HTTP/1.1\n"));
}

#[test]
fn download_into_a_directory_leaves_no_partial_file() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    // -o DIR saves inside it, under the name the response suggests.
    let ran = scout_in(
        Some(dir.path()),
        &["send", "--download", "-o", "sub", &demo.url("/json")],
    );
    ran.code(0);
    assert_eq!(files_in(&dir.path().join("sub")), ["json.json"]);
    assert_eq!(
        files_in(dir.path()),
        ["sub"],
        "a partial download was left behind"
    );
    // A folder that does not exist is named in the error, and nothing is left behind.
    let ran = scout_in(
        Some(dir.path()),
        &[
            "send",
            "--download",
            "-o",
            "missing/x.json",
            &demo.url("/json"),
        ],
    );
    ran.fails_with(1, &["missing/x.json"]);
    assert_eq!(files_in(dir.path()), ["sub"]);
}

#[test]
fn tls_failures_name_tls() {
    let demo = Demo::start();
    let url = format!("https://127.0.0.1:{}/json", demo.port());
    scout(&["send", &url]).fails_with(1, &["TLS"]);
}

#[test]
fn raw_body_defaults_to_post() {
    let demo = Demo::start();
    let ran = scout(&["send", "--raw", "hello", &demo.url("/anything")]);
    ran.code(0);
    assert_eq!(ran.json()["method"], "POST");
}

// ---------------------------------------------------------------------------------------------------
// --all: following pages

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item["id"].as_u64().expect("an id"))
        .collect()
}

#[test]
fn all_follows_every_style_to_the_exact_items_in_order() {
    let demo = Demo::start();
    let all: Vec<u64> = (1..=1234).collect();
    for (path, detected) in [
        ("/paged/link?size=10", "Link header"),
        ("/paged/next-url?size=10", "$.next"),
        ("/paged/cursor?size=10", "next_cursor"),
        ("/paged/page?page=1&per_page=10", "page"),
        ("/paged/offset?offset=0&limit=10", "offset"),
    ] {
        let url = demo.url(path);
        let ran = scout(&["send", "--all", "--max-pages", "200", &url]);
        ran.code(0)
            .stderr_has(&["paging by", detected, "1234 items from 124 pages"]);
        assert_eq!(ids(&ran.json()), all, "{path}");
    }
}

#[test]
fn all_stops_at_the_cap_keeps_what_it_loaded_and_streams_jsonl() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        "--all",
        "--max-pages",
        "3",
        &demo.url("/paged/link?size=10"),
    ]);
    ran.code(0).stderr_has(&["stopped at the cap of 3 pages"]);
    assert_eq!(ids(&ran.json()), (1..=30).collect::<Vec<_>>());
    // The first page counts: a cap of one loads nothing more.
    let ran = scout(&[
        "send",
        "--all",
        "--max-pages",
        "1",
        &demo.url("/paged/link?size=10"),
    ]);
    ran.code(0).stderr_has(&["from 1 page in"]);
    assert_eq!(ids(&ran.json()), (1..=10).collect::<Vec<_>>());

    let ran = scout(&[
        "send",
        "--all",
        "--jsonl",
        &demo.url("/paged/cursor?size=100"),
    ]);
    ran.code(0);
    let lines: Vec<&str> = ran.stdout_text().lines().collect();
    assert_eq!(lines.len(), 1234);
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["id"], 1);
}

#[test]
fn all_names_a_loop_and_a_failed_page_and_exits_1() {
    let demo = Demo::start();
    let ran = scout(&["send", "--all", &demo.url("/paged/loop?size=5")]);
    ran.code(1).stderr_has(&["already loaded", "loop"]);
    let ran = scout(&[
        "send",
        "--all",
        &demo.url("/paged/broken?fail_at=3&size=10"),
    ]);
    ran.code(1).stderr_has(&["the page failed with status 500"]);
    assert_eq!(
        ids(&ran.json()),
        (1..=20).collect::<Vec<_>>(),
        "the pages before it are kept"
    );
}

#[test]
fn all_with_check_status_exits_with_the_first_answers_class() {
    let demo = Demo::start();
    let ran = scout(&["send", "--all", "--check-status", &demo.url("/status/503")]);
    ran.code(5).stderr_has(&["503", "no pages followed"]);
}

#[test]
fn all_on_a_response_that_does_not_page_prints_it_as_it_is() {
    let demo = Demo::start();
    let ran = scout(&["send", "--all", &demo.url("/json")]);
    ran.code(0).stderr_has(&["does not page"]);
    assert_eq!(ran.stdout, demo.fetch("/json"));
}

/// An endless event stream prints as it arrives: the first events are on stdout long before the
/// stream (which never ends) would be whole.
#[test]
fn an_event_stream_prints_as_it_arrives() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let demo = Demo::start();
    let mut child = Command::new(env!("CARGO_BIN_EXE_scout"))
        .args(["send", &demo.url("/events?count=0&every=20")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("scout runs");
    // Read on a thread of its own, so that a stream printed only at its end fails the test in
    // time instead of hanging it.
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while seen.len() < 20 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        seen.first().map(String::as_str),
        Some(": scout demo events"),
        "{seen:?}"
    );
    assert!(
        seen.contains(
            &"data: {\"n\":3,\"quote\":{\"symbol\":\"SCT\",\"price\":103.03}}".to_string()
        ),
        "{seen:?}"
    );
    // A finite stream prints whole, once.
    let ran = scout(&["send", &demo.url("/events?count=2&every=5")]);
    ran.code(0);
    assert_eq!(
        ran.stdout_text(),
        ": scout demo events\n\nid: 1\nevent: tick\ndata: {\"n\":1}\n\nid: 2\nevent: tick\ndata: {\"n\":2}\n\n"
    );
}

// ---------------------------------------------------------------------------------------------------
// xh's flags: -a/-A, --follow/--no-follow, --max-redirects

#[test]
fn auth_flags_send_basic_digest_and_bearer_credentials_and_redact_them() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        "-a",
        "alice:s3cret",
        &demo.url("/basic-auth/alice/s3cret"),
    ]);
    ran.code(0);
    assert_eq!(ran.json()["authenticated"], true);
    let ran = scout(&[
        "send",
        "-A",
        "digest",
        "-a",
        "alice:s3cret",
        &demo.url("/digest-auth/auth/alice/s3cret/MD5"),
    ]);
    ran.code(0);
    assert_eq!(ran.json()["authenticated"], true, "{}", ran.stdout_text());
    let ran = scout(&[
        "send",
        "-A",
        "bearer",
        "-a",
        "tok-123",
        &demo.url("/bearer"),
    ]);
    ran.code(0);
    assert_eq!(ran.json()["authenticated"], true);
    // -v shows what went out, the credentials redacted.
    let ran = scout(&[
        "send",
        "-v",
        "-a",
        "alice:s3cret",
        &demo.url("/basic-auth/alice/s3cret"),
    ]);
    ran.code(0);
    assert!(
        ran.stderr.contains("authorization: Basic [redacted]"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("YWxpY2U6czNjcmV0"), "{}", ran.stderr);
    // Basic without a password is a usage error: nothing is sent.
    scout(&["send", "-a", "alice", &demo.url("/basic-auth/alice/s3cret")])
        .fails_with(2, &["-a: give USER:PASSWORD for basic auth"]);
}

#[test]
fn no_follow_prints_the_redirect_and_max_redirects_caps_the_chain() {
    let demo = Demo::start();
    let ran = scout(&["send", "--no-follow", &demo.url("/redirect/2")]);
    ran.code(0);
    assert_eq!(ran.json()["redirect_to"], "/redirect/1");
    // Following is the default; --follow says so (xh users type it).
    let ran = scout(&["send", "--follow", &demo.url("/redirect/2")]);
    ran.code(0);
    assert!(
        ran.json().get("redirect_to").is_none(),
        "{}",
        ran.stdout_text()
    );
    scout(&["send", "--max-redirects", "1", &demo.url("/redirect/3")]).fails_with(1, &["redirect"]);
}

#[test]
fn print_chooses_the_parts_of_the_exchange_as_xh_does() {
    let demo = Demo::start();
    let url = demo.url("/basic-auth/alice/s3cret");
    // Piped, --print still prints what it names: the request head (redacted) and response head.
    let ran = scout(&["send", "-p", "Hh", "-a", "alice:s3cret", &url]);
    ran.code(0);
    let out = ran.stdout_text();
    assert!(
        out.starts_with("GET /basic-auth/alice/[redacted] HTTP/1.1\n"),
        "{out}"
    );
    assert!(out.contains("\nAuthorization: Basic [redacted]\n"), "{out}");
    assert!(!out.contains("YWxpY2U6czNjcmV0"), "{out}");
    assert!(out.contains("\nHTTP/1.1 200 OK"), "{out}");
    assert!(!out.contains("s3cret") && !out.contains('\u{1b}'), "{out}");
    assert!(!out.contains("authenticated"), "no body: {out}");
    // The request body, the response body and the metadata.
    let ran = scout(&["send", "-p", "Bbm", &demo.url("/anything"), "name=x"]);
    ran.code(0);
    let out = ran.stdout_text();
    assert!(out.starts_with("{\n  \"name\": \"x\"\n}\n\n{"), "{out}");
    assert!(out.contains("\n\nElapsed time: "), "{out}");
    // --headers is h; -b is b; a letter that is none of them is a usage error.
    let ran = scout(&["send", "--headers", &demo.url("/json")]);
    ran.code(0);
    assert!(
        ran.stdout_text().starts_with("HTTP/1.1 200 OK"),
        "{}",
        ran.stdout_text()
    );
    assert!(
        ran.stdout_text().trim_end().ends_with("GMT"),
        "{}",
        ran.stdout_text()
    );
    scout(&["send", "-p", "x", &demo.url("/json")])
        .code(2)
        .stderr_has(&["`x` is not one of H"]);
}

#[test]
fn pretty_shapes_piped_output_and_no_color_takes_the_colours_out() {
    let demo = Demo::start();
    // One line of JSON as received; formatted, one value a line.
    let url = demo.url("/large/1");
    let raw = scout(&["send", &url]);
    raw.code(0);
    assert!(raw.stdout_text().starts_with("[{\"id\":1,"), "as received");
    let ran = scout(&["send", "--pretty", "format", &url]);
    ran.code(0);
    let out = ran.stdout_text();
    assert!(out.starts_with("HTTP/1.1 200 OK"), "the human form");
    assert!(out.contains("\n  {\n    \"id\": 1,\n"), "formatted");
    assert!(!out.contains('\u{1b}'), "no colours");
    let ran = scout(&["send", "--pretty", "colors", &url]);
    assert!(ran.stdout_text().contains('\u{1b}'), "coloured");
    assert!(!ran.stdout_text().contains("\n  {\n"), "as received");
    let ran = scout_with(
        None,
        &[("NO_COLOR", "1")],
        &["send", "--pretty", "all", &url],
    );
    assert!(!ran.stdout_text().contains('\u{1b}'), "NO_COLOR wins");
    assert!(
        ran.stdout_text().contains("\n  {\n    \"id\": 1,\n"),
        "still formatted"
    );
}
