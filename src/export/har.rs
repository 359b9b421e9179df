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
    use super::*;

    #[test]
    fn times_have_milliseconds() {
        assert_eq!(started(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
