//! `scout send`'s flags that match xh's short forms and styles: `-h` (headers), `--help`, `-j`,
//! `--style`, `--cert-key`. The real binary against the demo API on 127.0.0.1.

mod support;
use support::cli::{Demo, scout};

#[test]
fn dash_h_prints_the_headers_and_help_is_long_only() {
    let demo = Demo::start();
    let ran = scout(&["send", "-h", &demo.url("/json")]);
    ran.code(0);
    let out = ran.stdout_text();
    assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
    assert!(!out.contains('{'), "no body: {out}");
    scout(&["send", "--help"]).code(0).stdout_has(&[
        "-h, --headers",
        "--help",
        "-j, --json",
        "--style",
    ]);
}

#[test]
fn dash_j_asks_for_json_unless_an_accept_item_is_given() {
    let demo = Demo::start();
    let ran = scout(&["send", "-j", &demo.url("/anything"), "a=1"]);
    ran.code(0);
    let echo = ran.json();
    assert_eq!(echo["headers"]["accept"], "application/json, */*;q=0.5");
    assert_eq!(echo["json"], serde_json::json!({"a": "1"}), "{echo}");
    let ran = scout(&["send", "--json", &demo.url("/anything"), "Accept:text/csv"]);
    assert_eq!(ran.json()["headers"]["accept"], "text/csv");
    scout(&["send", "-j", "-f", &demo.url("/anything")])
        .code(2)
        .stderr_has(&["cannot be used with"]);
}

#[test]
fn style_picks_the_body_colours_and_a_bad_one_is_a_usage_error() {
    let demo = Demo::start();
    scout(&["send", "--style", "InspiredGitHub", &demo.url("/json")]).code(0);
    scout(&["send", "--style", "neon", &demo.url("/json")])
        .code(2)
        .stderr_has(&["neon", "not a bundled theme", "base16-ocean.dark"]);
    scout(&["send", "--style", "/nowhere/x.tmTheme", &demo.url("/json")])
        .code(2)
        .stderr_has(&["/nowhere/x.tmTheme"]);
}

#[test]
fn cert_key_reads_the_key_from_its_own_file_and_names_a_bad_one() {
    let demo = Demo::start();
    scout(&["send", "--cert-key", "k.pem", &demo.url("/json")])
        .code(2)
        .stderr_has(&["--cert"]);
    let tls = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
    let (cert, key) = (format!("{tls}/server.pem"), format!("{tls}/server.key"));
    // A certificate and its key in two files make a client (plain HTTP here: it is not used).
    scout(&[
        "send",
        "--cert",
        &cert,
        "--cert-key",
        &key,
        &demo.url("/json"),
    ])
    .code(0);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("k.pem");
    std::fs::write(&bad, "not a key\n").unwrap();
    let bad = bad.to_str().unwrap();
    let ran = scout(&[
        "send",
        "--cert",
        &cert,
        "--cert-key",
        bad,
        &demo.url("/json"),
    ]);
    ran.code(1).stderr_has(&["k.pem", "private key"]);
}

#[test]
fn any_method_name_is_sent_as_written_and_a_near_miss_is_a_typo() {
    let demo = Demo::start();
    let ran = scout(&["send", "PURGE", &demo.url("/anything")]);
    ran.code(0);
    assert_eq!(ran.json()["method"], "PURGE");
    scout(&["send", "GETT", &demo.url("/anything")])
        .code(2)
        .stderr_has(&["GETT is not a method; did you mean GET?"]);
}
