//! `scout explain`: codes, methods and headers explained with their section of the standard;
//! exit 2 with a suggestion for what it does not know.

mod support;
use support::cli::scout;

#[test]
fn a_code_a_method_and_a_header_are_explained_with_their_reference() {
    let ran = scout(&["explain", "429"]);
    ran.code(0).stderr_empty();
    ran.stdout_has(&[
        "429 Too Many Requests  (RFC 6585 §4)",
        "What to do:",
        "Typical causes:",
    ]);
    let ran = scout(&["explain", "put"]);
    ran.code(0).stderr_empty();
    ran.stdout_has(&[
        "PUT:",
        "(RFC 9110 §9.3.4)",
        "safe: no · idempotent: yes · cacheable: no",
        "Sent again:",
    ]);
    let ran = scout(&["explain", "header", "cache-control"]);
    ran.code(0).stderr_empty();
    ran.stdout_has(&["Cache-Control  (caching, RFC 9111 §5.2)"]);
    // A header name alone works too.
    scout(&["explain", "ETag"])
        .code(0)
        .stdout_has(&["RFC 9110 §8.8.3"]);
}

#[test]
fn the_list_has_every_code_method_and_header() {
    let ran = scout(&["explain", "--list"]);
    ran.code(0).stderr_empty();
    ran.stdout_has(&[
        "  511  Network Authentication Required",
        "  PATCH ",
        "  Strict-Transport-Security ",
    ]);
}

#[test]
fn unknown_things_exit_2_with_a_suggestion_when_one_is_close() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["explain", "299"],
            "299 is not a status code the standards define; the 2xx ones are: 200, 201",
        ),
        (
            &["explain", "999"],
            "999 is not a status code: they run from 100 to 599",
        ),
        (
            &["explain", "header", "cache-contol"],
            "did you mean Cache-Control?",
        ),
        (&["explain", "DELET"], "did you mean DELETE?"),
        (&["explain"], "explain one thing"),
    ];
    for (args, needle) in cases {
        scout(args).fails_with(2, &[needle]);
    }
}

#[test]
fn send_explain_appends_the_exchange_explained_to_stderr() {
    let demo = support::cli::Demo::start();
    let ran = scout(&[
        "send",
        "--explain",
        "POST",
        &demo.url("/items"),
        "name=lamp",
        "Accept:application/json",
    ]);
    ran.code(0);
    // stdout is still exactly the body; the explanation is on stderr.
    assert_eq!(ran.json()["name"], "lamp");
    ran.stderr_has(&[
        "POST (RFC 9110 §9.3.3)",
        "Safe: no; idempotent: no.",
        "201 Created (RFC 9110 §15.3.2)",
        "response header Location (RFC 9110 §10.2.2)",
        "request header Accept (RFC 9110 §12.5.1)",
    ]);
}
