use std::time::Duration;

use bytes::Bytes;

use super::*;
use crate::model::{Redactor, ResponseData};

fn response(status: u16, content_type: &str, body: &str) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("Content-Type".into(), content_type.into()),
            ("Set-Cookie".into(), "a=1".into()),
            ("Set-Cookie".into(), "session=abcdef".into()),
        ],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(120),
        redirects: Vec::new(),
        url: "http://127.0.0.1/items/4".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

fn expect(text: &str) -> Result<Expect, String> {
    let value: toml::Value = toml::from_str(&format!("e = {text}")).unwrap();
    Expect::from_toml(&value["e"])
}

fn run(text: &str, r: &ResponseData) -> Vec<CheckResult> {
    evaluate(&expect(text).unwrap(), &Body::new(r), &Redactor::none())
}

const ITEM: &str = r#"{"id": 4, "name": "widget", "price": 9.5, "tags": ["new", "sale"], "owner": null,
  "items": [{"n": 1}, {"n": 2}, {"n": 3}]}"#;

#[test]
fn status_by_code_class_and_list() {
    let r = response(201, "application/json", ITEM);
    for (text, passed) in [
        ("{ status = 201 }", true),
        ("{ status = \"2xx\" }", true),
        ("{ status = \"2XX\" }", true),
        ("{ status = [200, 201] }", true),
        ("{ status = \"201\" }", true),
        ("{ status = 200 }", false),
        ("{ status = [\"4xx\", 500] }", false),
    ] {
        let checks = run(text, &r);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].passed, passed, "{text}: {}", checks[0]);
    }
    let failed = &run("{ status = [\"4xx\", 500] }", &r)[0];
    assert_eq!(
        failed.to_string(),
        "status: expected 4xx or 500, got 201 OK"
    );
}

/// Found by fuzzing the Hurl import: `header "X" == "~o-store"` was written as a regex, so the
/// collection read back held a different expectation (and showed it as one).
#[test]
fn every_header_expectation_reads_back_as_written() {
    for expect in [
        HeaderExpect::Equals("no-store".into()),
        HeaderExpect::Equals("~o-store".into()),
        HeaderExpect::Equals("~".into()),
        HeaderExpect::Contains("~store".into()),
        HeaderExpect::Matches(Pattern::parse("^a.c$").unwrap()),
        HeaderExpect::Exists(false),
    ] {
        let written = Expect {
            headers: vec![("Cache-Control".into(), expect)],
            ..Expect::default()
        };
        let text = format!("expect = {}", written.to_toml());
        let table: toml::Table = toml::from_str(&text).unwrap();
        let read = Expect::from_toml(&table["expect"]).unwrap();
        assert_eq!(read, written, "{text}");
    }
}

#[test]
fn headers_exact_substring_regex_and_presence() {
    let r = response(200, "application/json; charset=utf-8", ITEM);
    for (text, passed) in [
        (
            "{ headers = { \"content-type\" = \"~application/json\" } }",
            true,
        ),
        (
            "{ headers = { \"Content-Type\" = \"application/json; charset=utf-8\" } }",
            true,
        ),
        (
            "{ headers = { \"content-type\" = \"application/json\" } }",
            false,
        ),
        (
            "{ headers = { \"content-type\" = { matches = \"^application/(.+\\\\+)?json\" } } }",
            true,
        ),
        (
            "{ headers = { \"content-type\" = { matches = \"xml\" } } }",
            false,
        ),
        ("{ headers = { \"etag\" = { exists = false } } }", true),
        ("{ headers = { \"etag\" = { exists = true } } }", false),
        // Any of the values sent under the name will do.
        ("{ headers = { \"set-cookie\" = \"~session=\" } }", true),
    ] {
        let checks = run(text, &r);
        assert_eq!(checks[0].passed, passed, "{text}: {}", checks[0]);
    }
    let missing = &run("{ headers = { \"ETag\" = { exists = true } } }", &r)[0];
    assert_eq!(
        missing.to_string(),
        "header etag: expected present, got no such header"
    );
    let wrong = &run("{ headers = { \"content-type\" = \"~xml\" } }", &r)[0];
    assert_eq!(
        wrong.to_string(),
        "header content-type: expected containing \"xml\", got \"application/json; charset=utf-8\""
    );
}

#[test]
fn json_exact_values_and_each_check_word() {
    let r = response(200, "application/json", ITEM);
    let cases = [
        (r#"{ json = { "$.name" = "widget" } }"#, true),
        (r#"{ json = { "$.id" = 4 } }"#, true),
        (r#"{ json = { "$.id" = 4.0 } }"#, true),
        (r#"{ json = { "$.tags" = ["new", "sale"] } }"#, true),
        (r#"{ json = { "$.name" = "gadget" } }"#, false),
        (r#"{ json = { "$.id" = { type = "number" } } }"#, true),
        (r#"{ json = { "$.id" = { type = "integer" } } }"#, true),
        (r#"{ json = { "$.price" = { type = "integer" } } }"#, false),
        (r#"{ json = { "$.owner" = { type = "null" } } }"#, true),
        (r#"{ json = { "$.owner" = { exists = true } } }"#, true),
        (r#"{ json = { "$.missing" = { exists = false } } }"#, true),
        (r#"{ json = { "$.missing" = { exists = true } } }"#, false),
        (r#"{ json = { "$.tags" = { len = 2 } } }"#, true),
        (
            r#"{ json = { "$.name" = { len = { gt = 3, lt = 7 } } } }"#,
            true,
        ),
        (r#"{ json = { "$.tags" = { len = 3 } } }"#, false),
        (r#"{ json = { "$.name" = { matches = "^wid" } } }"#, true),
        (r#"{ json = { "$.name" = { matches = "^gad" } } }"#, false),
        (
            r#"{ json = { "$.price" = { gt = 9, ge = 9.5, lt = 10, le = 9.5 } } }"#,
            true,
        ),
        (r#"{ json = { "$.price" = { gt = 9.5 } } }"#, false),
        (r#"{ json = { "$.tags" = { contains = "sale" } } }"#, true),
        (r#"{ json = { "$.name" = { contains = "dge" } } }"#, true),
        (r#"{ json = { "$.tags" = { contains = "old" } } }"#, false),
        (
            r#"{ json = { "$.items" = { each = { type = "object" } } } }"#,
            true,
        ),
        (
            r#"{ json = { "$.items[*].n" = { each = { gt = 0 } } } }"#,
            true,
        ),
        (
            r#"{ json = { "$.items[*].n" = { each = { lt = 3 } } } }"#,
            false,
        ),
        (r#"{ json = { "$.items[*].n" = [1, 2, 3] } }"#, true),
        (
            r#"{ json = { "$.owner" = { eq = { type = "x" } } } }"#,
            false,
        ),
    ];
    for (text, passed) in cases {
        let checks = run(text, &r);
        assert!(!checks.is_empty());
        assert_eq!(
            checks.iter().all(|c| c.passed),
            passed,
            "{text}: {checks:?}"
        );
    }
}

#[test]
fn json_failures_say_what_was_there() {
    let r = response(200, "application/json", ITEM);
    let said = |text: &str| {
        run(text, &r)
            .into_iter()
            .find(|c| !c.passed)
            .unwrap()
            .to_string()
    };
    assert_eq!(
        said(r#"{ json = { "$.name" = "gadget" } }"#),
        r#"$.name: expected "gadget", got "widget" (a string)"#
    );
    assert_eq!(
        said(r#"{ json = { "$.nope" = 1 } }"#),
        "$.nope: expected 1, got nothing matched"
    );
    assert_eq!(
        said(r#"{ json = { "$.id" = { type = "string" } } }"#),
        "$.id: expected type string, got 4 (a number)"
    );
    assert_eq!(
        said(r#"{ json = { "$.tags" = { len = 3 } } }"#),
        "$.tags: expected length 3, got length 2"
    );
    assert_eq!(
        said(r#"{ json = { "$.id" = { matches = "x" } } }"#),
        "$.id: expected matches /x/, got 4 (a number) is not a string"
    );
    assert_eq!(
        said(r#"{ json = { "$.name" = { gt = 1 } } }"#),
        "$.name: expected > 1, got \"widget\" (a string) is not a number"
    );
    assert_eq!(
        said(r#"{ json = { "$.items[*].n" = { each = { lt = 3 } } } }"#),
        "$.items[*].n: expected each < 3, got item 2: 3 (a number)"
    );
    assert_eq!(
        said(r#"{ json = { "$.id" = { exists = false } } }"#),
        "$.id: expected does not exist, got 4 is there"
    );
}

#[test]
fn json_checks_on_a_body_that_is_not_json_say_so_with_the_content_type() {
    let r = response(200, "text/html", "<html>hi</html>");
    let checks = run(r#"{ json = { "$.id" = 1 }, schema = "s.json" }"#, &r);
    assert!(!checks[0].passed);
    assert!(
        checks[0]
            .actual
            .starts_with("the body is not JSON (content type text/html;"),
        "{}",
        checks[0]
    );
    let empty = response(204, "application/json", "");
    let checks = run(r#"{ json = { "$.id" = 1 } }"#, &empty);
    assert_eq!(
        checks[0].actual,
        "the body is empty (content type application/json)"
    );
}

#[test]
fn checks_on_a_body_held_only_in_part_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body");
    let whole = vec![b' '; 3 << 20];
    std::fs::write(&path, &whole).unwrap();
    let mut index = crate::model::LineIndex::new();
    index.feed(&whole);
    let mut spilled = response(200, "application/json", r#"[{"id": 1, "name": "widget"}"#);
    spilled.spilled = Some(std::sync::Arc::new(crate::model::Spilled::new(path, index)));
    let checks = run(
        r#"{ json = { "$[0].id" = 1 }, body_contains = ["widget", "gizmo"] }"#,
        &spilled,
    );
    assert_eq!(
        checks[0].actual,
        "only the first 28 B of the body is in memory (all 3.0 MB of it is on disk, more than \
         the memory cap: raise [body] memory_cap in the config file): JSON checks need all of it"
    );
    assert!(!checks[0].passed);
    // Found in the part held: found. Not found there: not known, and said.
    assert!(checks[1].passed, "{}", checks[1]);
    assert!(!checks[2].passed);
    assert!(
        checks[2]
            .actual
            .starts_with("not in what was looked at: only the first 28 B"),
        "{}",
        checks[2]
    );

    let mut stopped = response(200, "application/json", r#"[{"id": 1}, {"id""#);
    stopped.stopped = true;
    let checks = run(r#"{ json = { "$[0].id" = 1 } }"#, &stopped);
    assert_eq!(
        checks[0].actual,
        "the body is cut: its download was stopped at 17 B: JSON checks need all of it"
    );
}

#[test]
fn body_text_time_and_schema() {
    let r = response(200, "application/json", ITEM);
    let checks = run(
        r#"{ body_contains = ["widget", "gizmo"], body_matches = '"id":\s*\d+', max_ms = 100 }"#,
        &r,
    );
    let summary: Vec<(bool, String)> = checks.iter().map(|c| (c.passed, c.to_string())).collect();
    assert_eq!(
        summary[0],
        (
            true,
            "body: expected containing \"widget\", got it does".into()
        )
    );
    assert!(
        !summary[1].0
            && summary[1]
                .1
                .starts_with("body: expected containing \"gizmo\", got \"{\\\"id\\\": 4"),
        "{}",
        summary[1].1
    );
    assert_eq!(
        summary[2],
        (
            true,
            "body: expected matching /\"id\":\\s*\\d+/, got \"\\\"id\\\": 4\"".into()
        )
    );
    assert_eq!(
        summary[3],
        (false, "time: expected at most 100 ms, got 120 ms".into())
    );

    let mut e = expect(r#"{ schema = "schemas/item.json" }"#).unwrap();
    let schema = serde_json::json!({"type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "integer"}}});
    e.schema.as_mut().unwrap().validator = Some(std::sync::Arc::new(
        jsonschema::validator_for(&schema).unwrap(),
    ));
    let checks = evaluate(&e, &Body::new(&r), &Redactor::none());
    assert!(!checks[0].passed);
    assert_eq!(checks[0].expected, "valid against schemas/item.json");
    assert!(
        checks[0]
            .actual
            .starts_with("at /name: \"widget\" is not of type \"integer\""),
        "{}",
        checks[0].actual
    );
}

#[test]
fn bad_expectations_are_load_errors_that_say_what_is_wrong() {
    for (text, needle) in [
        (
            r#"{ json = { "$.items[" = 1 } }"#,
            "`$.items[` is not a valid JSONPath",
        ),
        (
            r#"{ json = { "name" = 1 } }"#,
            "`name` is not a valid JSONPath",
        ),
        (
            r#"{ body_matches = "(unclosed" }"#,
            "`(unclosed` is not a valid regular expression",
        ),
        (
            r#"{ headers = { a = { matches = "[" } } }"#,
            "expect.headers.a: `[` is not a valid regular expression",
        ),
        (
            r#"{ json = { "$.a" = { type = "float" } } }"#,
            "`float` is not a JSON type",
        ),
        (
            r#"{ json = { "$.a" = { gt = "1" } } }"#,
            "`gt` takes a number",
        ),
        ("{ status = 99 }", "`99` is not a status"),
        ("{ status = \"2xy\" }", "is not a status"),
        ("{ status = [] }", "empty list"),
        ("{ stauts = 200 }", "unknown key `stauts` in expect"),
        ("{ max_ms = 0 }", "greater than 0"),
        ("{ headers = { a = 1 } }", "\"~part of it\""),
        ("\"200\"", "`expect` is a table"),
    ] {
        let err = expect(text).unwrap_err();
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[test]
fn captures_take_json_headers_regex_groups_and_the_status() {
    let r = response(201, "application/json", ITEM);
    let body = Body::new(&r);
    let take = |text: &str| {
        let value: toml::Value = toml::from_str(&format!("c = {text}")).unwrap();
        Capture::from_toml(&value["c"]).unwrap().take(&body)
    };
    assert_eq!(take("\"$.id\""), Ok("4".into()));
    assert_eq!(
        take("\"$.name\""),
        Ok("widget".into()),
        "a string without its quotes"
    );
    assert_eq!(take("\"$.tags\""), Ok("[\"new\",\"sale\"]".into()));
    assert_eq!(take("{ json = \"$.items[*].n\" }"), Ok("[1,2,3]".into()));
    assert_eq!(take("\"$.nope\""), Err("$.nope matched nothing".into()));
    assert_eq!(
        take("{ header = \"content-type\" }"),
        Ok("application/json".into())
    );
    assert_eq!(
        take("{ header = \"Location\" }"),
        Err("the response has no Location header".into())
    );
    assert_eq!(
        take(r#"{ regex = '"name": "(\w+)"' }"#),
        Ok("widget".into())
    );
    assert_eq!(
        take(r#"{ regex = '"id": \d+', group = 0 }"#),
        Ok("\"id\": 4".into())
    );
    assert_eq!(
        take(r#"{ regex = 'nomatch(\d)' }"#),
        Err("/nomatch(\\d)/ matched nothing in the body".into())
    );
    assert_eq!(take("{ status = true }"), Ok("201".into()));
    let html = response(200, "text/html", "<p>");
    let value: toml::Value = toml::from_str("c = \"$.id\"").unwrap();
    let err = Capture::from_toml(&value["c"])
        .unwrap()
        .take(&Body::new(&html))
        .unwrap_err();
    assert!(
        err.starts_with("the body is not JSON (content type text/html"),
        "{err}"
    );
}

#[test]
fn bad_captures_are_load_errors() {
    for (text, needle) in [
        ("\"$.[\"", "not a valid JSONPath"),
        ("{ regex = \"(\" }", "not a valid regular expression"),
        (
            "{ regex = \"a(b)\", group = 2 }",
            "group 2 does not exist: /a(b)/ has 1 group",
        ),
        ("{ header = \"X\", status = true }", "write a JSONPath"),
        ("{ cookie = \"sid\" }", "unknown key `cookie`"),
        ("{ status = false }", "write a JSONPath"),
        ("3", "write a JSONPath"),
    ] {
        let value: toml::Value = toml::from_str(&format!("c = {text}")).unwrap();
        let err = Capture::from_toml(&value["c"]).unwrap_err();
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[test]
fn captured_values_named_or_sourced_like_credentials_are_secret() {
    let header = |h: &str| Capture::Header(h.into());
    let json = Capture::Json(JsonQuery::parse("$.x").unwrap());
    assert!(is_secret_capture("token", &json));
    assert!(is_secret_capture("session_id", &json));
    assert!(is_secret_capture("api_key", &json));
    assert!(is_secret_capture("x", &header("Set-Cookie")));
    assert!(!is_secret_capture("item_id", &json));
    assert!(!is_secret_capture("location", &header("Location")));
}

#[test]
fn what_checks_show_of_a_response_is_redacted_before_it_is_cut() {
    // A long token: cut before redaction, its first 80-odd characters would escape.
    let token = "t0k3n-".repeat(30);
    let body = format!(r#"{{"token": "{token}", "user": {{"token": "{token}"}}}}"#);
    let mut r = response(200, "application/json", &body);
    r.headers
        .push(("Authorization".into(), format!("Bearer {token}")));
    r.headers.push(("X-Echo".into(), token.clone()));
    let redactor = Redactor::new([token.clone()]);
    let e = expect(
        r#"{ json = { "$.token" = "x", "$.user" = { type = "string" } }, headers = { authorization = "x", "x-echo" = "x" }, body_matches = 't0k3n-[a-z0-9-]+' , body_contains = "nope" }"#,
    )
    .unwrap();
    let checks = evaluate(&e, &Body::new(&r), &redactor);
    for c in &checks {
        assert!(!c.actual.contains("t0k3n"), "{c}");
    }
    assert!(checks.iter().any(|c| c.actual.contains("[redacted]")));
}
