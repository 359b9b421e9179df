use super::*;
use crate::model::secret::REDACTED;

fn spec() -> RequestSpec {
    RequestSpec {
        method: Method::Post,
        url: "http://localhost:8080/items?page=2".into(),
        headers: vec![
            KeyValue::new("Accept", "application/json"),
            KeyValue {
                key: "X-Trace".into(),
                value: "off".into(),
                enabled: false,
            },
        ],
        body_kind: BodyKind::Json,
        body: "{\"name\": \"café\"}".into(),
    }
}

fn response(body: impl Into<Bytes>) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status: 201,
        reason: "Created".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into(),
        elapsed: Duration::from_millis(42),
        redirects: vec![RedirectHop {
            status: 302,
            url: "http://localhost:8080/old".into(),
            location: "/items".into(),
        }],
        url: "http://localhost:8080/items?page=2".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

fn through_json(record: &HistoryRecord) -> HistoryRecord {
    let line = serde_json::to_string(record).expect("serializes");
    assert!(!line.contains('\n'), "one record is one line");
    serde_json::from_str(&line).expect("parses back")
}

fn record(outcome: Outcome<'_>) -> HistoryRecord {
    HistoryRecord::from_exchange(7, 1_700_000_000_000, &spec(), outcome, &Redactor::none())
}

#[test]
fn text_response_round_trips_to_the_same_spec_and_response() {
    let resp = response(&b"{\"id\": 1}"[..]);
    let rec = through_json(&record(Outcome::Response(&resp)));
    assert_eq!(rec.id, 7);
    assert_eq!(rec.sent_at_ms, 1_700_000_000_000);
    assert_eq!(rec.request_spec(), spec());
    assert_eq!(rec.response_data(), Some(resp));
    let line = serde_json::to_string(&rec).expect("serializes");
    assert!(line.contains(r#""text":"{\"id\": 1}""#), "{line}");
    assert_eq!(
        rec.response_body().and_then(StoredBody::truncation_note),
        None
    );
}

#[test]
fn a_stopped_download_is_remembered_as_one() {
    let mut resp = response(&b"[1, 2, "[..]);
    resp.stopped = true;
    let rec = through_json(&record(Outcome::Response(&resp)));
    assert_eq!(rec.response_data(), Some(resp));
    let line = serde_json::to_string(&rec).expect("serializes");
    assert!(line.contains(r#""stopped":true"#), "{line}");
    // A whole body says nothing (records from before the field read as whole).
    let whole = record(Outcome::Response(&response(&b"[]"[..])));
    let line = serde_json::to_string(&whole).expect("serializes");
    assert!(!line.contains("stopped"), "{line}");
}

#[test]
fn binary_response_is_stored_as_base64_and_restored() {
    let bytes: Vec<u8> = (0..=255u8).rev().collect();
    let resp = response(bytes.clone());
    let rec = record(Outcome::Response(&resp));
    let line = serde_json::to_string(&rec).expect("serializes");
    assert!(line.contains(r#""base64":"//79/P"#), "{line}");
    let back = through_json(&rec);
    assert_eq!(back.response_data().map(|r| r.body.to_vec()), Some(bytes));
}

#[test]
fn failed_and_cancelled_round_trip_without_a_response() {
    let failed = through_json(&record(Outcome::Failed {
        title: "Connection refused",
        message: "nothing listens on localhost:9".into(),
        hint: "Is the server running?",
    }));
    assert_eq!(
        failed.outcome,
        StoredOutcome::Failed {
            title: "Connection refused".into(),
            message: "nothing listens on localhost:9".into(),
            hint: "Is the server running?".into(),
        }
    );
    assert_eq!(failed.response_data(), None);
    assert_eq!(failed.request_spec(), spec());

    let cancelled = through_json(&record(Outcome::Cancelled {
        after: Duration::from_millis(1500),
    }));
    assert_eq!(
        cancelled.outcome,
        StoredOutcome::Cancelled { after_ms: 1500 }
    );
    assert_eq!(cancelled.response_data(), None);
}

#[test]
fn large_text_is_cut_at_a_char_boundary_with_a_note() {
    let text = "é".repeat(13 * 1024 * 1024 / 2);
    let resp = response(text.clone());
    let rec = through_json(&record(Outcome::Response(&resp)));
    let body = rec.response_body().expect("a response");
    assert!(body.truncated);
    assert_eq!(body.original_len, 13 * 1024 * 1024);
    assert_eq!(body.bytes.len(), MAX_BODY_BYTES);
    assert!(std::str::from_utf8(&body.bytes).is_ok());
    assert_eq!(
        body.truncation_note().as_deref(),
        Some("stored: first 1.0 MB of 13 MB")
    );

    let odd = format!("a{text}");
    let cut = StoredBody::capture(odd.as_bytes(), &Redactor::none());
    assert_eq!(
        cut.bytes.len(),
        MAX_BODY_BYTES - 1,
        "never splits a character"
    );
    assert!(std::str::from_utf8(&cut.bytes).is_ok());
}

#[test]
fn large_binary_keeps_exactly_one_mebibyte_and_small_bodies_are_whole() {
    let cut = StoredBody::capture(&vec![0xff; 2 * MAX_BODY_BYTES], &Redactor::none());
    assert!(cut.truncated);
    assert_eq!(cut.bytes.len(), MAX_BODY_BYTES);
    assert_eq!(cut.original_len, 2 * MAX_BODY_BYTES as u64);
    let whole = StoredBody::capture(&vec![b'a'; MAX_BODY_BYTES], &Redactor::none());
    assert!(!whole.truncated);
    assert_eq!(whole.bytes.len(), MAX_BODY_BYTES);
}

#[test]
fn a_secret_across_the_cut_is_redacted_though_only_the_kept_part_is_scanned() {
    let secret = "s3cret-across-the-cut";
    let mut body = "a".repeat(MAX_BODY_BYTES - 5).into_bytes();
    body.extend_from_slice(secret.as_bytes());
    // Past what is kept, and past what is scanned.
    body.extend(std::iter::repeat_n(b'b', 2 * MAX_BODY_BYTES));
    body.extend_from_slice(secret.as_bytes());
    let cut = StoredBody::capture(&body, &Redactor::new([secret]));
    let kept = std::str::from_utf8(&cut.bytes).unwrap();
    assert!(cut.truncated);
    assert_eq!(cut.original_len, body.len() as u64);
    assert!(
        kept.ends_with("[reda"),
        "the marker is cut, not the secret: {}",
        &kept[kept.len() - 20..]
    );
    assert!(!kept.contains("s3cre"), "no part of the secret is kept");
    assert_eq!(cut.bytes.len(), MAX_BODY_BYTES);
}

#[test]
fn secrets_are_redacted_in_request_and_response() {
    let mut spec = spec();
    spec.url = "https://bob:pa55word@api.test/x?key=tok-abcdef".into();
    spec.headers = vec![
        KeyValue::new("Authorization", "Bearer tok-abcdef"),
        KeyValue::new("Cookie", "sid=42"),
        KeyValue::new("X-Api-Key", "k1"),
        KeyValue::new("X-Session-Token", "zzz"),
        KeyValue::new("X-Echo", "has tok-abcdef inside"),
        KeyValue::new("Accept", "*/*"),
    ];
    spec.body = r#"{"token": "tok-abcdef"}"#.into();
    let mut resp = response(r#"{"you_sent": "tok-abcdef"}"#);
    resp.headers = vec![
        ("Set-Cookie".into(), "sid=43; HttpOnly".into()),
        ("X-Echo".into(), "tok-abcdef".into()),
        ("Content-Type".into(), "application/json".into()),
    ];
    resp.url = "https://bob:pa55word@api.test/x".into();
    resp.redirects[0].location = "https://bob:pa55word@api.test/x?t=tok-abcdef".into();
    let redactor = Redactor::new(["tok-abcdef"]);
    let rec = HistoryRecord::from_exchange(1, 0, &spec, Outcome::Response(&resp), &redactor);

    let line = serde_json::to_string(&rec).expect("serializes");
    for secret in ["tok-abcdef", "pa55word", "sid=4", "k1", "zzz"] {
        assert!(!line.contains(secret), "{secret} leaked: {line}");
    }
    let back = through_json(&rec).request_spec();
    assert_eq!(back.url, "https://bob:[redacted]@api.test/x?key=[redacted]");
    let values: Vec<&str> = back.headers.iter().map(|h| h.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "Bearer [redacted]",
            REDACTED,
            REDACTED,
            REDACTED,
            "has [redacted] inside",
            "*/*"
        ]
    );
    assert_eq!(back.body, r#"{"token": "[redacted]"}"#);
    let r = rec.response_data().expect("a response");
    assert_eq!(r.header("set-cookie"), Some(REDACTED));
    assert_eq!(r.header("x-echo"), Some(REDACTED));
    assert_eq!(r.content_type(), Some("application/json"));
    assert_eq!(&r.body[..], br#"{"you_sent": "[redacted]"}"#);
    assert_eq!(r.url, "https://bob:[redacted]@api.test/x");
    assert_eq!(
        r.redirects[0].location,
        "https://bob:[redacted]@api.test/x?t=[redacted]"
    );
}

#[test]
fn failure_messages_are_redacted() {
    let rec = HistoryRecord::from_exchange(
        1,
        0,
        &spec(),
        Outcome::Failed {
            title: "Invalid URL",
            message: "invalid URL `http://u:hunter22@x:99999/tok-abcdef`: invalid port".into(),
            hint: "",
        },
        &Redactor::new(["tok-abcdef"]),
    );
    let StoredOutcome::Failed { message, .. } = &rec.outcome else {
        panic!("a failure");
    };
    assert_eq!(
        message,
        "invalid URL `http://u:[redacted]@x:99999/[redacted]`: invalid port"
    );
}

#[test]
fn malformed_bodies_are_parse_errors_and_unknown_names_fall_back() {
    for bad in [
        r#"{"base64":"Zm9*","original_len":3}"#,
        r#"{"text":"a","base64":"YQ==","original_len":1}"#,
        r#"{"original_len":1}"#,
    ] {
        assert!(serde_json::from_str::<StoredBody>(bad).is_err(), "{bad}");
    }
    let mut rec = record(Outcome::Cancelled {
        after: Duration::ZERO,
    });
    rec.request.method = "BR EW".into();
    rec.request.body_kind = "yaml".into();
    let spec = rec.request_spec();
    assert_eq!(spec.method, Method::Get);
    assert_eq!(spec.body_kind, BodyKind::Text);
}

#[test]
fn ids_grow_across_runs_and_within_one() {
    assert_eq!(next_id(0, 5), 5000);
    assert_eq!(next_id(5000, 5), 5001);
    assert_eq!(next_id(9_000, 5), 9_001);
    assert_eq!(next_id(u64::MAX, u64::MAX), u64::MAX);
}

#[test]
fn times_under_a_millisecond_come_back_as_they_were() {
    let mut fast = response(&b"{}"[..]);
    fast.elapsed = Duration::from_micros(850);
    let rec = through_json(&record(Outcome::Response(&fast)));
    assert_eq!(
        rec.response_data().unwrap().elapsed,
        Duration::from_micros(850)
    );
    // A line written by an older scout (milliseconds only) still reads.
    let line = serde_json::to_string(&rec)
        .unwrap()
        .replace(",\"elapsed_us\":850", "");
    assert!(!line.contains("elapsed_us"));
    let old: HistoryRecord = serde_json::from_str(&line).unwrap();
    assert_eq!(old.response_data().unwrap().elapsed, Duration::ZERO);
}
