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
    ("/huge-header", &["head is too large (over 408 KB)"]),
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
