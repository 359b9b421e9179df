//! HAR captures as collections: one request per entry as the browser sent it, without the
//! headers the browser added on its own, credentials and cookies out of the file.

use std::path::{Path, PathBuf};

use super::*;
use crate::collection::Collection;
use crate::import::Format;

const SHOP: &str = include_str!("../../tests/fixtures/import/har/shop.har");
const MISSING_REQUEST: &str = include_str!("../../tests/fixtures/import/har/missing-request.har");
const TRUNCATED: &str = include_str!("../../tests/fixtures/import/har/truncated.har");

fn read(text: &str, filter: Option<&str>) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: PathBuf::from("."),
        filter,
        env_file: None,
        ..Source::default()
    };
    crate::import::import(Format::Har, &source)
}

fn import_text(text: &str) -> Imported {
    read(text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The collection as `scout import` writes it, loaded back.
fn loads_back(collection: &Collection) -> Collection {
    let merged = crate::collection::merge::merge("", collection, None).expect("merge");
    crate::collection::parse_collection(&merged.text, Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", merged.text))
}

fn har(entries: &str) -> String {
    format!("{{\"log\": {{\"version\": \"1.2\", \"entries\": [{entries}]}}}}")
}

fn header<'a>(r: &'a SavedRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_entry_is_a_request_in_a_folder_per_host() {
    let imported = import_text(SHOP);
    let r = &imported.collection.requests;
    let ids: Vec<String> = r.iter().map(SavedRequest::path).collect();
    assert_eq!(
        ids,
        [
            "shop.example.com/get",
            "api.example.com/get-v1-cart",
            "shop.example.com/post-login",
            "api.example.com/post-v1-cart-items",
            "api.example.com/post-v1-me-avatar",
            "shop.example.com/post-support-tickets",
            "shop.example.com/get-api-recommendations",
        ]
    );
    assert!(r.iter().all(|r| r.name.is_none()));
    // The query stays in the URL, byte for byte (`expand` has no `=`).
    assert_eq!(
        r[1].url,
        "https://api.example.com/v1/cart?currency=EUR&expand"
    );
    assert!(r[1].query.is_empty());
    assert_eq!(
        imported.dropped,
        [
            "entry 5 (POST https://api.example.com/v1/me/avatar): the content of file \
             `beach.png` (part `avatar`) is not in the HAR; put the file next to the collection",
            "entry 6 (POST https://shop.example.com/support/tickets): the content of file \
             `teapot.jpg` (part `photo`) is not in the HAR; put the file next to the collection",
        ]
    );
}

#[test]
fn headers_the_browser_adds_are_left_out() {
    let imported = import_text(SHOP);
    let r = &imported.collection.requests;
    let names: Vec<&str> = r[0].headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["accept", "accept-language", "cache-control", "cookie"]
    );
    // Firefox's HTTP/1.1 names, any case.
    let names: Vec<&str> = r[5].headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["Accept", "Accept-Language", "Origin", "Referer", "Cookie"]
    );
}

#[test]
fn credentials_and_cookies_never_stay_in_the_collection() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    assert_eq!(
        c.auth,
        vec![(
            "bearer".to_string(),
            AuthProfile::Bearer {
                token: "{{env.BEARER_TOKEN}}".into()
            }
        )]
    );
    // The same token on three requests is one profile.
    let with_bearer: Vec<usize> = (0..c.requests.len())
        .filter(|&i| c.requests[i].settings.auth_profile() == Some("bearer"))
        .collect();
    assert_eq!(with_bearer, [1, 3, 4]);
    assert!(
        c.requests
            .iter()
            .all(|r| header(r, "authorization").is_none())
    );
    // The same cookie everywhere is one variable; built from `cookies` when no header has it.
    for i in [0, 2, 5, 6] {
        assert_eq!(
            header(&c.requests[i], "cookie"),
            Some("{{env.COOKIE}}"),
            "{i}"
        );
    }
    assert_eq!(
        header(&c.requests[3], "x-csrf-token"),
        Some("{{env.X_CSRF_TOKEN}}")
    );
    let secrets: Vec<(&str, &str)> = imported
        .secrets
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        secrets,
        [
            ("COOKIE", "theme=dark; session_id=s-8f2a61c0"),
            ("BEARER_TOKEN", "eyJhbGciOiJIUzI1NiJ9.c2hvcA.cart-token-51"),
            ("PASSWORD", "p@ss word"),
            ("X_CSRF_TOKEN", "csrf-7d1e"),
        ]
    );
    let text = format!("{c:?}");
    for (_, secret) in &imported.secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{secret} is in the collection"
        );
    }
    assert!(!text.contains("p%40ss"));
}

#[test]
fn bodies_keep_their_kind() {
    let imported = import_text(SHOP);
    let r = &imported.collection.requests;
    assert_eq!(
        r[2].body,
        Some(SavedBody::Form(vec![
            ("email".into(), "ada@example.com".into()),
            ("password".into(), "{{env.PASSWORD}}".into()),
            ("remember".into(), "on".into()),
        ]))
    );
    assert_eq!(
        header(&r[2], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // JSON as sent, its `{{` escaped: a HAR holds no templates.
    assert_eq!(
        r[3].body,
        Some(SavedBody::Json(
            "{\"sku\":\"TEA-042\",\"qty\":2,\"gift\":{\"wrap\":true,\"note\":\"Happy \\{{birthday}}!\"}}"
                .into()
        ))
    );
    assert_eq!(header(&r[3], "content-type"), Some("application/json"));
    // Multipart from Chrome's raw text and from Firefox's params; scout writes the boundary.
    assert_eq!(
        r[4].body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "caption".into(),
                value: "Me at the beach".into()
            },
            MultipartLine::File {
                name: "avatar".into(),
                path: "beach.png".into(),
                content_type: Some("image/png".into())
            },
        ]))
    );
    assert_eq!(header(&r[4], "content-type"), None);
    assert_eq!(
        r[5].body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "subject".into(),
                value: "Broken teapot".into()
            },
            MultipartLine::File {
                name: "photo".into(),
                path: "teapot.jpg".into(),
                content_type: Some("image/jpeg".into())
            },
        ]))
    );
    assert_eq!(r[0].body, None);
}

#[test]
fn the_filter_keeps_matching_entries_and_says_when_none_match() {
    let imported = read(SHOP, Some("api.example.com/v1/cart")).expect("filter");
    let ids: Vec<String> = imported
        .collection
        .requests
        .iter()
        .map(SavedRequest::path)
        .collect();
    // One host left: no folders.
    assert_eq!(ids, ["get-v1-cart", "post-v1-cart-items"]);
    let e = read(SHOP, Some("nowhere.test")).unwrap_err();
    assert_eq!(
        e.message,
        "no entry's URL contains `nowhere.test` (the HAR has 7 entries)"
    );
}

#[test]
fn one_host_means_no_folders_and_a_secret_query_value_is_hidden() {
    let text = har(
        r#"{"request": {"method": "get", "url": "https://a.test/x?api_key=k-123&q=%7B%7Bx%7D%7D&v={{y}}", "headers": []}}"#,
    );
    let imported = import_text(&text);
    let r = &imported.collection.requests[0];
    assert_eq!(r.folder, None);
    assert_eq!(r.id, "get-x");
    assert_eq!(
        r.url,
        "https://a.test/x?api_key={{env.API_KEY}}&q=%7B%7Bx%7D%7D&v=\\{{y}}"
    );
    assert_eq!(imported.secrets, [("API_KEY".into(), "k-123".into())]);
}

#[test]
fn basic_authorization_becomes_a_basic_profile() {
    let text = har(
        r#"{"request": {"method": "GET", "url": "https://a.test/", "headers": [
            {"name": "Authorization", "value": "Basic YWxpY2U6czNjcmV0"}]}},
           {"request": {"method": "GET", "url": "https://a.test/b", "headers": [
            {"name": "Authorization", "value": "Digest username=\"x\""}]}}"#,
    );
    let imported = import_text(&text);
    let c = &imported.collection;
    assert_eq!(
        c.auth,
        vec![(
            "basic".to_string(),
            AuthProfile::Basic {
                username: "alice".into(),
                password: "{{env.BASIC_PASSWORD}}".into()
            }
        )]
    );
    // Another scheme stays a header, its value hidden all the same.
    assert_eq!(
        c.requests[1].headers,
        [(
            "Authorization".to_string(),
            "{{env.AUTHORIZATION}}".to_string()
        )]
    );
}

#[test]
fn connect_is_dropped_with_a_line_and_other_methods_are_kept() {
    let text = har(
        r#"{"request": {"method": "CONNECT", "url": "https://a.test:443", "headers": []}},
           {"request": {"method": "PROPFIND", "url": "https://a.test/dav", "headers": []}},
           {"request": {"method": "PUT", "url": "https://a.test/n", "headers": [],
             "postData": {"mimeType": "text/plain", "text": "hello"}}}"#,
    );
    let imported = import_text(&text);
    assert_eq!(
        imported.dropped,
        ["entry 1 (CONNECT https://a.test:443): a proxy tunnel, not a request to replay; dropped",]
    );
    let r = &imported.collection.requests;
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].method.as_str(), "PROPFIND");
    assert_eq!(r[1].body, Some(SavedBody::Text("hello".into())));
}

#[test]
fn json_that_does_not_parse_stays_text_and_raw_multipart_that_does_not_read_stays_as_sent() {
    let text = har(
        r#"{"request": {"method": "POST", "url": "https://a.test/j", "headers": [],
             "postData": {"mimeType": "application/json", "text": "{not json"}}},
           {"request": {"method": "POST", "url": "https://a.test/m", "headers": [
             {"name": "Content-Type", "value": "multipart/form-data; boundary=XY"}],
             "postData": {"mimeType": "multipart/form-data; boundary=XY", "text": "garbage"}}}"#,
    );
    let imported = import_text(&text);
    let r = &imported.collection.requests;
    assert_eq!(r[0].body, Some(SavedBody::Text("{not json".into())));
    assert_eq!(r[1].body, Some(SavedBody::Text("garbage".into())));
    assert_eq!(
        header(&r[1], "content-type"),
        Some("multipart/form-data; boundary=XY")
    );
    loads_back(&imported.collection);
}

#[test]
fn an_entry_without_a_request_is_named_with_its_line() {
    let e = read(MISSING_REQUEST, None).unwrap_err();
    assert_eq!(e.message, "entry 3 has no request");
    assert_eq!(e.line, Some(77));
    let e = read(&har(r#"{"request": {"method": "GET"}}"#), None).unwrap_err();
    assert_eq!(e.to_string(), "1: entry 1 has a request without a url");
}

#[test]
fn a_truncated_har_or_another_document_is_refused_clearly() {
    let e = read(TRUNCATED, None).unwrap_err();
    assert!(e.message.contains("ends too early"), "{e}");
    assert!(e.line.is_some());
    let e = read(&har(""), None).unwrap_err();
    assert!(e.message.starts_with("the HAR has no entries"), "{e}");
    for text in [
        "{\"info\": {}}",
        "{\"log\": {\"entries\": 3}}",
        "[]",
        "a: b\n",
    ] {
        let e = read(text, None).unwrap_err();
        assert!(
            e.message.starts_with("this is not a HAR file"),
            "{text}: {e}"
        );
    }
}

#[test]
fn the_fixture_loads_back_after_writing() {
    let imported = import_text(SHOP);
    let back = loads_back(&imported.collection);
    assert_eq!(back.requests.len(), imported.collection.requests.len());
    for (a, b) in imported.collection.requests.iter().zip(&back.requests) {
        assert_eq!((&a.url, &a.headers, &a.body), (&b.url, &b.headers, &b.body));
        assert_eq!(a.settings.auth, b.settings.auth);
    }
    assert_eq!(back.auth, imported.collection.auth);
}

#[test]
fn entry_lines_follow_the_json() {
    let text = "{\"log\": {\"entries\": [\n {\"a\": \"[{\\\"\"},\n\n {\"b\": [1, {}]}\n]}}";
    assert_eq!(entry_lines(text), [2, 4]);
    assert!(entry_lines("log:\n  entries: []\n").is_empty());
}

/// Found by fuzzing (fuzz/regressions/import_har/multipart-name-with-line-break): a multipart
/// part whose name holds a line break was kept, and the collection written did not load.
#[test]
fn a_multipart_part_with_a_line_break_in_its_name_is_dropped() {
    let text = concat!(
        r#"{"log":{"version":"1.2","creator":{"name":"WebIn336"},"entries":[{"_prioruf":"page_1","request":{"method":"POST","url":"httpsar","httpV":296,"postData":{"mimeType":"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW","text":"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: fta; name=\"avat]}}pn\r#nContenpng\r\n\r\n"#,
        "\u{89}",
        r#"in------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"}},"reverime":44.5}]}}"#
    );
    let imported = import_text(text);
    loads_back(&imported.collection);
    assert!(
        imported.dropped.iter().any(|d| d.contains("line break")),
        "{:?}",
        imported.dropped
    );
}
