//! Exchanges from the history as a HAR 1.2 file: each record's request and response, as stored
//! (secrets were redacted before they reached the history, so none leave here). Failed and
//! cancelled exchanges have no response and are left out.

use base64::Engine;
use serde_json::{Value, json};

use crate::history::{HistoryRecord, StoredBody, StoredOutcome};
use crate::model::date::rfc3339_utc;

/// The HAR document (pretty JSON) for `records`, oldest first; how many were left out.
pub fn to_har(records: &[HistoryRecord]) -> (String, usize) {
    let mut entries = Vec::new();
    let mut skipped = 0;
    for r in records {
        match entry(r) {
            Some(e) => entries.push(e),
            None => skipped += 1,
        }
    }
    let doc = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "scout", "version": env!("CARGO_PKG_VERSION") },
            "entries": entries,
        }
    });
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    (text, skipped)
}

fn entry(r: &HistoryRecord) -> Option<Value> {
    let StoredOutcome::Response {
        status,
        reason,
        version,
        headers,
        body,
        elapsed_ms,
        elapsed_us,
        url,
        redirects,
        ..
    } = &r.outcome
    else {
        return None;
    };
    let req = &r.request;
    let req_headers: Vec<Value> = req
        .headers
        .iter()
        .filter(|(k, _, enabled)| *enabled && !k.is_empty())
        .map(|(k, v, _)| json!({ "name": k, "value": v }))
        .collect();
    let query: Vec<Value> = crate::model::parse_query(&req.url)
        .into_iter()
        .map(|kv| json!({ "name": kv.key, "value": kv.value }))
        .collect();
    let mut request = json!({
        "method": req.method,
        "url": req.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": req_headers,
        "queryString": query,
        "headersSize": -1,
        "bodySize": if req.body_kind == "none" { 0 } else { req.body.original_len as i64 },
    });
    if req.body_kind != "none" {
        let mime = content_type(req.headers.iter().map(|(k, v, _)| (k.as_str(), v.as_str())))
            .unwrap_or_else(|| default_mime(&req.body_kind).to_string());
        let text = String::from_utf8_lossy(&req.body.bytes).into_owned();
        request["postData"] = json!({ "mimeType": mime, "text": text });
    }
    let res_mime =
        content_type(headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_or_default();
    let ms = elapsed_us.map_or(*elapsed_ms as f64, |us| us as f64 / 1000.0);
    let redirect = redirects
        .last()
        .map(|(_, _, to)| to.clone())
        .unwrap_or_default();
    Some(json!({
        "startedDateTime": started(r.sent_at_ms),
        "time": ms,
        "request": request,
        "response": {
            "status": status,
            "statusText": reason,
            "httpVersion": version,
            "cookies": [],
            "headers": headers.iter().map(|(k, v)| json!({ "name": k, "value": v })).collect::<Vec<_>>(),
            "content": content(body, &res_mime),
            "redirectURL": redirect,
            "headersSize": -1,
            "bodySize": body.original_len,
        },
        "cache": {},
        "timings": { "send": 0, "wait": ms, "receive": 0 },
        "comment": if url != &req.url { format!("ended at {url}") } else { String::new() },
    }))
}

fn content_type<'a>(mut headers: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    headers
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_string())
}

/// The response content: text when it is UTF-8, else base64; a body history cut says so.
fn content(body: &StoredBody, mime: &str) -> Value {
    let mut c = match std::str::from_utf8(&body.bytes) {
        Ok(text) => json!({ "size": body.original_len, "mimeType": mime, "text": text }),
        Err(_) => json!({
            "size": body.original_len,
            "mimeType": mime,
            "text": base64::engine::general_purpose::STANDARD.encode(&body.bytes),
            "encoding": "base64",
        }),
    };
    if let Some(note) = body.truncation_note() {
        c["comment"] = Value::from(note);
    }
    c
}

fn default_mime(kind: &str) -> &'static str {
    match kind {
        "json" => "application/json",
        "form" => "application/x-www-form-urlencoded",
        "multipart" => "multipart/form-data",
        "text" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Unix milliseconds as HAR's ISO 8601 time.
fn started(ms: u64) -> String {
    let base = rfc3339_utc(ms / 1000);
    format!("{}.{:03}Z", base.trim_end_matches('Z'), ms % 1000)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::history::Outcome;
    use crate::model::{BodyKind, KeyValue, Redactor, RequestSpec, ResponseData};

    #[test]
    fn responses_become_entries_and_secrets_stay_redacted() {
        let spec = RequestSpec {
            method: crate::model::Method::Post,
            url: "https://api.test/items?x=1".into(),
            headers: vec![
                KeyValue::new("Content-Type", "application/json"),
                KeyValue::new("Authorization", "Bearer s3cret-token"),
            ],
            body_kind: BodyKind::Json,
            body: "{\"a\": 1}".into(),
        };
        let response = ResponseData {
            stopped: false,
            spilled: None,
            status: 201,
            reason: "Created".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: bytes::Bytes::from_static(b"{\"token\": \"s3cret-token\"}"),
            elapsed: Duration::from_micros(1500),
            redirects: Vec::new(),
            url: "https://api.test/items?x=1".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        };
        let redactor = Redactor::new(["s3cret-token"]);
        let sent = HistoryRecord::from_exchange(
            1,
            1_700_000_000_123,
            &spec,
            Outcome::Response(&response),
            &redactor,
        );
        let failed = HistoryRecord::from_exchange(
            2,
            1_700_000_001_000,
            &spec,
            Outcome::Cancelled {
                after: Duration::from_millis(5),
            },
            &redactor,
        );
        let (text, skipped) = to_har(&[sent, failed]);
        assert_eq!(skipped, 1);
        assert!(!text.contains("s3cret-token"), "{text}");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let entries = doc["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e["startedDateTime"], "2023-11-14T22:13:20.123Z");
        assert_eq!(e["time"], 1.5);
        assert_eq!(e["request"]["method"], "POST");
        assert_eq!(e["request"]["queryString"][0]["name"], "x");
        assert_eq!(e["request"]["postData"]["mimeType"], "application/json");
        assert_eq!(e["request"]["postData"]["text"], "{\"a\": 1}");
        assert_eq!(e["response"]["status"], 201);
        assert_eq!(e["response"]["content"]["mimeType"], "application/json");
        // What scout exports, its HAR importer reads back.
        let source = crate::import::Source {
            text: &text,
            ..crate::import::Source::default()
        };
        let back = crate::import::import(crate::import::Format::Har, &source).unwrap();
        assert_eq!(back.collection.requests.len(), 1);
        assert_eq!(
            back.collection.requests[0].url,
            "https://api.test/items?x=1"
        );
    }

    #[test]
    fn times_have_milliseconds() {
        assert_eq!(started(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
