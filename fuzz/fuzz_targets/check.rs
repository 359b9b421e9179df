//! Checks and captures (src/check): the `expect` and `capture` tables as a collection writes
//! them (JSONPath queries, value matchers, regexes, status patterns, header expectations),
//! written back and read again, and evaluated against a response.
//!
//! Input: a TOML document with `expect = { … }` and `capture = { … }` (and optionally
//! `status = N` and `headers = { name = "value" }` for the response), then a line `===` and the
//! response body.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::check::{Body, Capture, Expect, evaluate};
use scout::model::Redactor;

/// A value the responses may hold that must never be shown.
const SECRET: &str = "s3cr3t-value";

/// A value as `to_toml` wrote it, read back as a collection file would be.
fn reread(value: &impl std::fmt::Display) -> toml::Value {
    let text = format!("v = {value}");
    let mut table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("written as invalid TOML: {text}: {e}"));
    table.remove("v").expect("the value")
}

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.windows(5).position(|w| w == b"\n===\n") {
        Some(i) => (&data[..i], &data[i + 5..]),
        None => (data, &[][..]),
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let Ok(table) = toml::from_str::<toml::Table>(head) else {
        return;
    };
    let status = match table.get("status") {
        Some(toml::Value::Integer(n)) => u16::try_from(*n).unwrap_or(200),
        _ => 200,
    };
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    if let Some(toml::Value::Table(h)) = table.get("headers") {
        headers = h
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
    }
    let response = common::response(status, headers, body, "https://api.example.com/items/4");
    let body = Body::new(&response);
    let redactor = Redactor::new([SECRET]);

    if let Some(value) = table.get("expect")
        && let Ok(expect) = Expect::from_toml(value)
    {
        let results = evaluate(&expect, &body, &redactor);
        // One result per thing expected.
        assert_eq!(results.len(), expect.len(), "{results:?}");
        // What the body held is shown with secrets hidden (the content type is named as sent).
        if !response
            .headers
            .iter()
            .any(|(k, v)| k.contains(SECRET) || v.contains(SECRET))
        {
            for r in &results {
                assert!(!r.actual.contains(SECRET), "{r:?}");
            }
        }
        // Written back as the collection writer does, it reads back the same.
        let written = expect.to_toml();
        let back = Expect::from_toml(&reread(&written))
            .unwrap_or_else(|e| panic!("{written} does not read back: {e}"));
        assert_eq!(back, expect, "{written}");
    }

    if let Some(toml::Value::Table(captures)) = table.get("capture") {
        for (_, value) in captures {
            let Ok(capture) = Capture::from_toml(value) else {
                continue;
            };
            let _ = capture.take(&body);
            let _ = capture.describe();
            let written = capture.to_toml();
            let back = Capture::from_toml(&reread(&written))
                .unwrap_or_else(|e| panic!("{written} does not read back: {e}"));
            assert_eq!(back, capture, "{written}");
        }
    }
});
