//! Hurl input the reader refuses or reads as Hurl does: lines that fit nowhere (with their line),
//! comments and escapes, every fixture through the writer, and secret response headers.

use super::*;
#[test]
fn lines_that_fit_nowhere_are_errors_with_their_line() {
    let cases = [
        (
            "hello\nGET https://x.test\n",
            1,
            "expected a request line such as `GET https://example.org`, found `hello`",
        ),
        (
            "GET https://x.test\nthis is not a header\n",
            2,
            "expected a header `Name: value`, a section such as `[Query]`, a body or `HTTP 200`, found `this is not a header`",
        ),
        (
            "GET https://x.test\n[Querry]\na: 1\n",
            2,
            "unknown section `[Querry]` (Hurl has QueryStringParams, Query, FormParams, Form, MultipartFormData, Multipart, Cookies, BasicAuth, Options, Captures, Asserts)",
        ),
        (
            "GET https://x.test\n\nPOST https://x.test\n```json\n{}\n\nHTTP 200\n",
            4,
            "the ``` string opened here is never closed",
        ),
        (
            "POST https://x.test\n{\n  \"a\": [1, 2\n}\n",
            2,
            "the JSON body opened here is never closed (its brackets do not balance)",
        ),
        (
            "POST https://x.test\n{\"a\": 1} trailing\n",
            2,
            "expected the end of the line after the JSON body, found `trailing`",
        ),
        (
            "POST https://x.test\n`abc\n",
            2,
            "the `string` is not closed on its line",
        ),
        (
            "GET https://x.test\n[Asserts]\n",
            2,
            "`[Asserts]` belongs to the response, after a line such as `HTTP 200`",
        ),
        (
            "GET https://x.test\nHTTP 200\n[Query]\n",
            3,
            "`[Query]` belongs to the request, before the `HTTP` line",
        ),
        (
            "GET https://x.test\nHTTP 2000\n",
            2,
            "expected a status such as `HTTP 200` or `HTTP *`, found `HTTP 2000`",
        ),
        (
            "GET https://x.test\nHTTP 200\nHTTP 201\n",
            3,
            "a second response line in the entry of line 1",
        ),
        (
            "POST https://x.test\n{}\nX-A: b\n",
            3,
            "expected `HTTP <status>` or the next request after the body, found `X-A: b`",
        ),
        (
            "POST https://x.test\n{}\n[Form]\n",
            3,
            "`[Form]` comes after the body; sections go before it",
        ),
        (
            "GET https://x.test\nX-A: a\\qb\n",
            2,
            "has `\\q`, which is not an escape Hurl knows",
        ),
        (
            "GET https://x.test extra\n",
            1,
            "expected the end of the line after the URL, found `extra`",
        ),
        (
            "POST https://x.test\nbase64,SGVsbG8=\n",
            2,
            "expected `;` to end the `base64,` body",
        ),
    ];
    for (text, line, message) in cases {
        let e = read(text).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (Some(line), message),
            "{text}"
        );
    }
    let e = read("# only a comment\n\n").unwrap_err();
    assert_eq!(e.line, None);
    assert!(
        e.message.starts_with("there is no request in the input"),
        "{e}"
    );
}

#[test]
fn comments_blank_lines_and_escapes_are_read_as_hurl_does() {
    let imported = import_text(
        "# not the description: a blank line follows\n\n# Get it\nGET https://x.test/a # why\n\
         # a comment between headers\nX-Sign: a\\u{23}b\\tc # comment\n\
         X-Empty:\nHTTP 200 # ok\n[Asserts]\n# comment in asserts\nbody contains \"#x\" # y\n",
    );
    let r = &imported.collection.requests[0];
    assert_eq!(r.description.as_deref(), Some("Get it"));
    assert_eq!(r.url, "https://x.test/a");
    assert_eq!(r.headers, pairs(&[("X-Sign", "a#b\tc"), ("X-Empty", "")]));
    assert_eq!(
        r.expect.as_ref().map(|e| e.body_contains.clone()),
        Some(vec!["#x".to_string()])
    );
}

#[test]
fn every_fixture_loads_back_after_writing() {
    for text in [LOGIN, SECTIONS, BODIES, UNSUPPORTED] {
        let imported = import_text(text);
        let back = loads_back(&imported.collection);
        assert_eq!(back.requests.len(), imported.collection.requests.len());
        for (a, b) in imported.collection.requests.iter().zip(&back.requests) {
            assert_eq!(
                (&a.url, &a.query, &a.headers),
                (&b.url, &b.query, &b.headers)
            );
            assert_eq!((&a.capture, &a.description), (&b.capture, &b.description));
            assert_eq!(a.settings, b.settings);
        }
        assert_eq!(back.vars, imported.collection.vars);
    }
}

#[test]
fn a_secret_response_header_is_not_written_into_expect() {
    let (e, dropped) = expect_of(
        "GET https://x.test/\nHTTP 200\nSet-Cookie: sid=abc123\n[Asserts]\n\
         header \"Authorization\" exists\n",
    );
    assert_eq!(
        e.headers,
        [("Authorization".to_string(), HeaderExpect::Exists(true))]
    );
    assert_eq!(
        dropped,
        [
            "line 3 (GET https://x.test/): header `Set-Cookie: sid=abc123` compares a secret \
          header's value, which would put it in the collection; dropped"
        ]
    );
}

/// Found by fuzzing: `retry: 198` became more retries than a collection may hold (100), and the
/// collection written did not load. The most is kept, and that is said.
#[test]
fn more_retries_than_scout_allows_keep_the_most_and_say_so() {
    let imported = import_text("GET https://a.test/\n[Options]\nretry: 198\n");
    let back = loads_back(&imported.collection);
    let retries = back.requests[0].settings.retries.as_ref().map(|r| r.max);
    assert_eq!(retries, Some(100));
    assert!(
        imported
            .dropped
            .iter()
            .any(|d| d.contains("retries at most 100 times; 100 kept")),
        "{:?}",
        imported.dropped
    );
}
