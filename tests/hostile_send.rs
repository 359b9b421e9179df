//! `scout send` against a server that breaks HTTP on purpose (`support::hostile`): each case
//! ends with its exit code and a message naming the cause and what to do, in bounded time.

mod support;
use std::time::Duration;

use support::cli::scout;
use support::hostile::Hostile;

/// Each broken response: its path, and words the message must have (the cause, and the hint).
const CASES: &[(&str, &[&str])] = &[
    (
        "/garbage-status",
        &["status line is not HTTP", "a retry will not fix"],
    ),
    (
        "/http09",
        &["no HTTP status line", "Is this port an HTTP server?"],
    ),
    ("/short-body", &["after 13 of 100 bytes", "Try again"]),
    (
        "/two-lengths",
        &["Content-Length is invalid or conflicting", "RFC 9112"],
    ),
    (
        "/bad-gzip",
        &[
            "could not be decoded as its Content-Encoding says",
            "Accept-Encoding: identity",
        ],
    ),
    (
        "/bad-chunk",
        &[
            "chunked framing is broken after 0 bytes of an unknown length",
            "a retry will not fix",
        ],
    ),
    ("/no-colon", &["a response header is malformed", "no colon"]),
    ("/huge-header", &["head is too large"]),
    ("/many-headers", &["head is too large", "100 header"]),
    ("/nul-header", &["a response header is malformed"]),
    (
        "/bad-location",
        &["Location `http://[::1` cannot be followed", "--no-follow"],
    ),
    ("/self-redirect", &["redirect loop"]),
    ("/chain/50", &["too many redirects: gave up after 10"]),
    ("/close", &["closed the connection without answering"]),
    ("/reset", &["connection reset by", "Try again"]),
];

#[test]
fn each_broken_response_exits_1_naming_its_cause() {
    let h = Hostile::start();
    for (path, words) in CASES {
        let ran = scout(&["send", &h.url(path)]);
        ran.code(1).stderr_has(words);
        assert!(
            !ran.stderr.contains("See the message above"),
            "{path}: a specific hint\n{}",
            ran.stderr
        );
        assert!(
            ran.took < Duration::from_secs(10),
            "{path} took {:?}",
            ran.took
        );
    }
}

#[test]
fn a_longer_body_than_its_length_is_cut_at_the_length_and_an_unusable_location_not_followed_is_kept()
 {
    let h = Hostile::start();
    let ran = scout(&["send", &h.url("/long-body")]);
    ran.code(0);
    assert_eq!(ran.stdout_text(), "hello");
    // Not following, the 3xx itself is the answer.
    scout(&["send", "--no-follow", &h.url("/bad-location")]).code(0);
}

#[test]
fn odd_but_readable_responses_are_shown_as_they_came() {
    let h = Hostile::start();
    // Invalid UTF-8 in a header value is shown, not fatal.
    let ran = scout(&["send", "-p", "hb", &h.url("/latin1-header")]);
    ran.code(0);
    assert!(
        ran.stdout_text().contains("x-name: caf\u{fffd}"),
        "{}",
        ran.stdout_text()
    );
    // A 204 has no body, whatever follows it.
    let ran = scout(&["send", "-p", "b", &h.url("/no-content-with-body")]);
    ran.code(0).stdout_empty();
    // A flood of 100 Continue before the answer.
    let ran = scout(&["send", &h.url("/continue-flood")]);
    ran.code(0);
    assert_eq!(ran.stdout_text(), "ok");
    // Bytes labelled JSON that are not: passed through byte for byte when piped.
    let ran = scout(&["send", &h.url("/png-as-json")]);
    ran.code(0);
    assert!(ran.stdout.starts_with(b"\x89PNG"));
    // JSON nested 100,000 deep: no stack overflow, all of it out.
    let ran = scout(&["send", "--pretty", "format", &h.url("/deep-json")]);
    ran.code(0);
    assert!(ran.stdout.len() >= 200_000, "{}", ran.stdout.len());
}

#[test]
fn an_endless_body_and_a_byte_a_second_end_at_the_total_timeout() {
    let h = Hostile::start();
    for path in ["/endless-chunked", "/slowloris"] {
        let ran = scout(&["send", "--timeout", "1", &h.url(path)]);
        ran.code(2).stderr_has(&["total timeout", "1.00 s"]);
        assert!(
            ran.took < Duration::from_secs(5),
            "{path} took {:?}",
            ran.took
        );
    }
}
