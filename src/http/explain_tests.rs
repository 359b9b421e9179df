use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use super::*;

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// status, headers, method, auth profile kind, expected tone, expected summary.
type Case = (
    u16,
    &'static [(&'static str, &'static str)],
    Method,
    Option<&'static str>,
    Tone,
    &'static str,
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    (100, &[], Method::Post, None, Tone::Info, "Continue: the server accepted the headers; the body may follow"),
    (101, &[("Upgrade", "websocket")], Method::Get, None, Tone::Info, "Switching Protocols: the connection now speaks websocket"),
    (103, &[], Method::Get, None, Tone::Info, "Early Hints (103). You may act on the Link headers (rel=preload or preconnect) to fetch assets early, but they are not final"),
    (102, &[], Method::Get, None, Tone::Info, "Informational (102): an interim response; the final one follows"),
    (418, &[], Method::Get, None, Tone::Problem, "I'm a teapot (418). It has no standard meaning: treat it as a generic 4xx client error"),
    (431, &[], Method::Get, None, Tone::Problem, "Request Header Fields Too Large (431). Make the headers smaller, often by clearing or trimming cookies, and resend"),
    (511, &[], Method::Get, None, Tone::Problem, "Network Authentication Required (511). Log in to the network (a captive portal) in a browser, usually through a link in the response body, then retry"),
    (300, &[("Location", "/b")], Method::Get, None, Tone::Info, "Multiple Choices (300). Look in the body for the list of choices. Location: /b"),
    (499, &[], Method::Get, None, Tone::Problem, "Client error (499): the server refused the request as sent. The response body may say why"),
    (201, &[("Location", "/items/4")], Method::Post, None, Tone::Good, "Created: the new resource is at /items/4"),
    (201, &[], Method::Put, None, Tone::Good, "Created: the server made a new resource (no Location header says where)"),
    (202, &[("location", "/jobs/7")], Method::Post, None, Tone::Info, "Accepted: the work was queued but is not done yet. Check on it at /jobs/7"),
    (204, &[], Method::Delete, None, Tone::Good, "No Content: success with no body, typical for DELETE/PUT"),
    (206, &[("Content-Range", "bytes 0-99/1000")], Method::Get, None, Tone::Good, "Partial Content: only the requested range was sent (bytes 0-99/1000)"),
    (203, &[], Method::Get, None, Tone::Good, "Non-Authoritative Information (203). Be careful if exact bytes matter"),
    (299, &[], Method::Get, None, Tone::Good, "Success (299): the server handled the request"),
    (301, &[("Location", "https://new.example/a")], Method::Get, None, Tone::Info, "Moved Permanently: redirect to https://new.example/a, not followed. Moved for good: update the URL; clients may follow a POST with a GET"),
    (302, &[("Location", "/login")], Method::Get, None, Tone::Info, "Found: redirect to /login, not followed. Temporary: keep the URL; clients usually follow it with a GET"),
    (303, &[("Location", "/orders/9")], Method::Post, None, Tone::Info, "See Other: redirect to /orders/9, not followed. Follow it with a GET: that's where the result is"),
    (307, &[("Location", "/v2/items")], Method::Post, None, Tone::Info, "Temporary Redirect: redirect to /v2/items, not followed. Temporary: follow it with the same POST and body"),
    (308, &[("Location", "/v2/items")], Method::Put, None, Tone::Info, "Permanent Redirect: redirect to /v2/items, not followed. Permanent: follow it with the same PUT and body, and update the URL"),
    (308, &[], Method::Get, None, Tone::Info, "Permanent Redirect: a redirect, but no Location header says where. Permanent: follow it with the same GET and body, and update the URL"),
    (304, &[("ETag", "\"v3\"")], Method::Get, None, Tone::Info, "Not Modified: your cached copy is still valid (ETag \"v3\" matched If-None-Match). No body was sent: reuse the cached one"),
    (304, &[], Method::Get, None, Tone::Info, "Not Modified: your cached copy is still valid. The If-None-Match ETag or If-Modified-Since date matched. No body was sent: reuse the cached one"),
    (400, &[], Method::Post, None, Tone::Problem, "Bad Request: the server could not make sense of the request. Check the body, query and headers against the API docs"),
    (401, &[("WWW-Authenticate", "Basic realm=\"scout demo\"")], Method::Get, None, Tone::Problem, "Unauthorized: the server wants Basic credentials (realm \"scout demo\"). Give credentials in the Auth tab (scout send: -a)"),
    (401, &[("www-authenticate", "basic realm=\"scout demo\", charset=\"UTF-8\"")], Method::Get, Some("basic"), Tone::Problem, "Unauthorized: the server wants Basic credentials (realm \"scout demo\"). The Basic profile's credentials were not accepted: check the username and password"),
    (401, &[("WWW-Authenticate", "Digest realm=\"scout demo\", qop=\"auth\", algorithm=SHA-256, nonce=\"abc\", opaque=\"xyz\"")], Method::Get, None, Tone::Problem, "Unauthorized: the server wants Digest credentials (realm \"scout demo\"). Give credentials in the Auth tab (scout send: -a)"),
    (401, &[("WWW-Authenticate", "Digest realm=\"api\", nonce=\"n\", Basic realm=\"api\"")], Method::Get, Some("digest"), Tone::Problem, "Unauthorized: the server wants Digest or Basic credentials (realm \"api\"). The Digest profile's credentials were not accepted: check the username and password"),
    (401, &[("WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"")], Method::Get, Some("bearer"), Tone::Problem, "Unauthorized: the Bearer token was rejected (invalid_token: \"The access token expired\"). The Bearer profile's credentials were not accepted: check the token"),
    (401, &[("WWW-Authenticate", "Bearer error=\"invalid_token\"")], Method::Get, None, Tone::Problem, "Unauthorized: the Bearer token was rejected (invalid_token). Give credentials in the Auth tab (scout send: -a)"),
    (401, &[("WWW-Authenticate", "Bearer realm=\"api\"")], Method::Get, Some("basic"), Tone::Problem, "Unauthorized: the server wants Bearer credentials (realm \"api\"). Your Basic profile doesn't match: choose a Bearer profile in the Auth tab"),
    (401, &[("WWW-Authenticate", "Bearer realm=\"api\"")], Method::Get, Some("oauth2-client-credentials"), Tone::Problem, "Unauthorized: the server wants Bearer credentials (realm \"api\"). The OAuth2 profile's credentials were not accepted: check the client ID, secret and scopes"),
    (401, &[], Method::Get, Some("api-key"), Tone::Problem, "Unauthorized: no or wrong credentials (no WWW-Authenticate challenge). The API key profile's credentials were not accepted: check the key and where it is sent"),
    (403, &[], Method::Delete, Some("bearer"), Tone::Problem, "Forbidden: the server knows who you are (Bearer profile) but won't allow this. Unlike 401, other credentials won't help unless they carry more permissions"),
    (403, &[], Method::Get, None, Tone::Problem, "Forbidden: the server won't allow this, whoever asks. Unlike 401, other credentials won't help unless they carry more permissions"),
    (404, &[], Method::Get, None, Tone::Problem, "Not Found: nothing lives at this URL; check the path and any IDs in it"),
    (405, &[("Allow", "GET, HEAD")], Method::Post, None, Tone::Problem, "Method Not Allowed: POST isn't supported here; allowed: GET, HEAD"),
    (405, &[], Method::Patch, None, Tone::Problem, "Method Not Allowed: PATCH isn't supported here (no Allow header lists what is)"),
    (406, &[], Method::Get, None, Tone::Problem, "Not Acceptable: the server can't produce what the Accept header asks for. Loosen Accept, e.g. */*"),
    (408, &[], Method::Post, None, Tone::Warning, "Request Timeout: the server gave up waiting for the whole request. POST is not idempotent: retrying may repeat its effect; add an Idempotency-Key"),
    (409, &[], Method::Put, None, Tone::Problem, "Conflict: the request clashes with the resource's current state. Fetch it again, resolve the difference, then retry"),
    (410, &[], Method::Get, None, Tone::Problem, "Gone: the resource was removed for good; retrying won't bring it back"),
    (412, &[], Method::Put, None, Tone::Problem, "Precondition Failed: an If-Match or If-Unmodified-Since condition was false. The resource changed since you fetched it: fetch it again"),
    (413, &[], Method::Post, None, Tone::Problem, "Content Too Large: the request body is over the server's limit. Send less, or in parts"),
    (415, &[], Method::Post, None, Tone::Problem, "Unsupported Media Type: the server doesn't accept this body format. Check the Content-Type header, e.g. application/json"),
    (422, &[], Method::Post, None, Tone::Problem, "Unprocessable Content: the body parsed but failed validation. The response body usually says which fields"),
    (429, &[("Retry-After", "20")], Method::Get, None, Tone::Warning, "Too Many Requests: you are being rate limited. Retry-After says wait 20 s; scout's retry policy can wait for it"),
    (429, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")], Method::Get, None, Tone::Warning, "Too Many Requests: you are being rate limited. Retry-After says wait until Sun, 06 Nov 1994 08:49:37 GMT; scout's retry policy can wait for it"),
    (429, &[("Retry-After", "soon")], Method::Post, None, Tone::Warning, "Too Many Requests: you are being rate limited. No Retry-After header: slow down before trying again. It retries POST only with an Idempotency-Key"),
    (500, &[], Method::Post, None, Tone::Problem, "Internal Server Error: the server failed while handling the request. POST is not idempotent: retrying may repeat its effect; add an Idempotency-Key"),
    (500, &[], Method::Get, None, Tone::Problem, "Internal Server Error: the server failed while handling the request. GET is idempotent, so retrying is safe"),
    (501, &[], Method::Patch, None, Tone::Problem, "Not Implemented: the server doesn't support PATCH or this feature at all"),
    (502, &[], Method::Patch, None, Tone::Warning, "Bad Gateway: a proxy got a bad answer from the server behind it. PATCH is not idempotent: retrying may repeat its effect; add an Idempotency-Key"),
    (503, &[("Retry-After", "30")], Method::Get, None, Tone::Warning, "Service Unavailable: down or overloaded for now. Retry-After says wait 30 s. GET is idempotent, so retrying is safe"),
    (503, &[("Retry-After", "30")], Method::Post, None, Tone::Warning, "Service Unavailable: down or overloaded for now. Retry-After says wait 30 s. POST is not idempotent: retrying may repeat its effect; add an Idempotency-Key"),
    (504, &[], Method::Put, None, Tone::Warning, "Gateway Timeout: a proxy gave up waiting for the server behind it. PUT is idempotent, so retrying is safe"),
    (507, &[], Method::Get, None, Tone::Problem, "Server error (507): the server failed to handle the request. GET is idempotent, so retrying is safe"),
];

#[test]
fn explains_each_status() {
    for &(status, pairs, method, auth, tone, summary) in CASES {
        let got = explain(status, &headers(pairs), method, auth)
            .unwrap_or_else(|| panic!("{status} should be explained"));
        assert_eq!(got.summary, summary, "{status} {pairs:?} {method} {auth:?}");
        assert_eq!(got.tone, tone, "{status} {pairs:?}");
        assert!(
            summary.chars().count() <= MAX_SUMMARY_CHARS,
            "{status}: {} chars",
            summary.chars().count()
        );
    }
}

/// Every status the teaching notes know (`scout explain`) is named in the response pane as they
/// name it; before, a 418 or a 431 was only "Client error (418)".
#[test]
fn every_status_the_teaching_notes_know_is_named_by_its_title() {
    for known in &crate::teach::teach().statuses {
        let Some(got) = explain(known.code, &[], Method::Get, None) else {
            assert_eq!(known.code, 200, "only a plain 200 goes unexplained");
            continue;
        };
        assert!(
            got.summary.starts_with(&known.title),
            "{}: {:?} does not start with {:?}",
            known.code,
            got.summary,
            known.title
        );
    }
}

#[test]
fn plain_200_needs_no_explanation() {
    for method in Method::ALL {
        assert_eq!(explain(200, &[], method, None), None, "{method}");
        assert_eq!(explain(200, &[], method, Some("basic")), None, "{method}");
    }
}

#[test]
fn retry_after_as_an_http_date_is_quoted() {
    let at = SystemTime::now() + Duration::from_secs(90);
    let date = httpdate::fmt_http_date(at);
    let got = explain(429, &headers(&[("Retry-After", &date)]), Method::Get, None).unwrap();
    assert!(
        got.summary.contains(&format!("wait until {date}")),
        "{}",
        got.summary
    );
    let got = explain(503, &headers(&[("RETRY-AFTER", &date)]), Method::Get, None).unwrap();
    assert!(
        got.summary.contains(&format!("wait until {date}")),
        "{}",
        got.summary
    );
}

#[test]
fn long_header_values_are_clipped_and_sentences_dropped_to_fit() {
    let long = "x".repeat(500);
    let got = explain(201, &headers(&[("Location", &long)]), Method::Post, None).unwrap();
    assert!(got.summary.ends_with('…'), "{}", got.summary);
    assert!(got.summary.chars().count() <= MAX_SUMMARY_CHARS);

    // A long error description leaves no room for the advice: the error is kept.
    let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{long}\"");
    let got = explain(
        401,
        &headers(&[("WWW-Authenticate", &challenge)]),
        Method::Get,
        Some("bearer"),
    )
    .unwrap();
    assert!(
        got.summary
            .starts_with("Unauthorized: the Bearer token was rejected (invalid_token: \"xxx")
    );
    assert!(got.summary.chars().count() <= MAX_SUMMARY_CHARS);
}

#[test]
fn header_values_are_put_on_one_line() {
    let got = explain(
        405,
        &headers(&[("allow", "GET,\r\n\tHEAD\u{7}")]),
        Method::Post,
        None,
    )
    .unwrap();
    assert_eq!(
        got.summary,
        "Method Not Allowed: POST isn't supported here; allowed: GET, HEAD"
    );
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "WWW-Authenticate",
            "www-authenticate",
            "Location",
            "ALLOW",
            "Retry-After",
            "ETag",
            "Content-Range",
            "Upgrade",
        ])
        .prop_map(String::from),
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn never_panics_and_stays_short(
        status in 100u16..=599,
        pairs in prop::collection::vec((header_name(), any::<String>()), 0..6),
        method in prop::sample::select(Method::ALL.to_vec()),
        auth in prop::option::of(prop_oneof![
            prop::sample::select(vec!["basic", "bearer", "api-key", "digest", "oauth2-client-credentials"])
                .prop_map(String::from),
            any::<String>(),
        ]),
    ) {
        let got = explain(status, &pairs, method, auth.as_deref());
        prop_assert_eq!(got.is_none(), status == 200);
        if let Some(got) = got {
            prop_assert!(!got.summary.is_empty());
            prop_assert!(got.summary.chars().count() <= MAX_SUMMARY_CHARS, "{}", got.summary);
            prop_assert!(!got.summary.chars().any(char::is_control), "{:?}", got.summary);
        }
    }
}
