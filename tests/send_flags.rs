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
fn cert_key_needs_cert_and_a_bad_key_file_is_named() {
    let demo = Demo::start();
    scout(&["send", "--cert-key", "k.pem", &demo.url("/json")])
        .code(2)
        .stderr_has(&["--cert"]);
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    std::fs::write(&cert, TEST_CERT).unwrap();
    std::fs::write(&key, "not a key\n").unwrap();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let ran = scout(&[
        "send",
        "--cert",
        cert,
        "--cert-key",
        key,
        &demo.url("/json"),
    ]);
    ran.code(1).stderr_has(&["k.pem", "private key"]);
}

/// A self-signed certificate (`CN=scout-test`), public material only (as in src/http/client.rs).
const TEST_CERT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBgDCCASegAwIBAgIUOIB3iuHDHHYYFCA+ZD+v94akL0QwCgYIKoZIzj0EAwIw\n\
FTETMBEGA1UEAwwKc2NvdXQtdGVzdDAgFw0yNjExMjMxMzM0NTdaGA8yMTI2MTAz\n\
MDEzMzQ1N1owFTETMBEGA1UEAwwKc2NvdXQtdGVzdDBZMBMGByqGSM49AgEGCCqG\n\
SM49AwEHA0IABMVh9ZGw2Qw2fGL9yyMc2T74X9mx8U9dnfY8yg1OQ+x4R/bRLslg\n\
xyD6JxNM7jOlkv4Jv5jF6Kx5okKVXM1fK5OjUzBRMB0GA1UdDgQWBBSZqkHRNRy0\n\
rCXuB/JmL0Q8DZ8fHzAfBgNVHSMEGDAWgBSZqkHRNRy0rCXuB/JmL0Q8DZ8fHzAP\n\
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIEhSnqM5dvCQDKXyo2u1\n\
QlQ+UpZHLZ3HXwiYWZrnISMNAiBLUKkljI0mbXXBl7AaXgp6tCQiEJOkRuRcnNIs\n\
P2LBeQ==\n\
-----END CERTIFICATE-----\n\
";

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
