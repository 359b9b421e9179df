//! Streams of JSON values in one document: JSON Lines / NDJSON, JSON text sequences and
//! server-sent events; their records, notices, nesting index and highlighting.

use std::ops::Range;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use ratatui::style::Style;

use super::super::resume::{self, Run};
use super::super::{Document, Lang, MAX_HIGHLIGHT_LINE, StyledLine, highlighter, syntaxes};
use super::{CHECKPOINT_INTERVAL, LineKind, apply_line};

fn lines(doc: &Document) -> Vec<String> {
    (0..doc.line_count())
        .map(|i| doc.line(i).into_owned())
        .collect()
}

/// The text of record `k` (its lines joined).
fn record_text(doc: &Document, k: usize) -> String {
    let start = doc.record_start(k).expect("record");
    let end = doc.record_start(k + 1).unwrap_or(doc.line_count());
    (start..end)
        .map(|i| doc.line(i))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What httpbin's `/stream/5` sends: one compact JSON object per line, as application/json.
fn httpbin_stream(n: usize) -> String {
    (0..n)
        .map(|id| {
            format!(
                "{{\"url\": \"http://httpbin.org/stream/{n}\", \"args\": {{}}, \"headers\": {{\"Host\": \"httpbin.org\", \"Accept\": \"*/*\", \"User-Agent\": \"scout/0.1\"}}, \"origin\": \"203.0.113.7\", \"id\": {id}}}\n"
            )
        })
        .collect()
}

/// Highlights `windows` of a fresh document each time and compares them with the whole
/// document highlighted from the top.
fn assert_windows_match(body: &str, content_type: &str, windows: &[Range<usize>]) {
    let doc = Document::from_body(body.as_bytes(), Some(content_type));
    let full = highlighter().highlight(&doc, 0..doc.line_count());
    assert_eq!(full.len(), doc.line_count());
    for w in windows {
        let fresh = Document::from_body(body.as_bytes(), Some(content_type));
        let part = highlighter().highlight(&fresh, w.clone());
        let end = w.end.min(full.len());
        assert_eq!(part, full[w.start.min(end)..end], "window {w:?}");
    }
}

fn is_plain(line: &StyledLine) -> bool {
    line.spans.iter().all(|s| s.style == Style::default())
}

#[test]
fn httpbin_stream_is_shown_record_by_record() {
    let body = httpbin_stream(5);
    let doc = Document::from_body(body.as_bytes(), Some("application/json"));
    assert_eq!(doc.lang(), Lang::Json);
    assert!(doc.is_pretty_json());
    assert_eq!(doc.records(), Some(5));
    assert_eq!(doc.notices(), ["JSON Lines: 5 records"]);
    assert!(doc.is_summary(0), "news, not a warning");
    // Each record pretty-printed exactly as serde_json (and a single body) would.
    let expected: String = body
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("valid");
            serde_json::to_string_pretty(&value).expect("serialise") + "\n"
        })
        .collect();
    assert_eq!(doc.display_text(), expected);
    assert_eq!(
        &lines(&doc)[..3],
        [
            "{",
            "  \"url\": \"http://httpbin.org/stream/5\",",
            "  \"args\": {},"
        ]
    );
    for k in 0..5 {
        let start = doc.record_start(k).expect("record");
        assert_eq!(doc.line(start), "{");
        assert_eq!(doc.record_at(start), Some(k));
        assert_eq!(doc.record_at(start + 3), Some(k));
        let value: serde_json::Value = serde_json::from_str(&record_text(&doc, k)).expect("json");
        assert_eq!(value["id"], k);
    }
    assert_eq!(doc.record_start(5), None);
    assert!((0..doc.line_count()).all(|i| doc.is_json_line(i)));
    // Every line highlighted: no plain line in the output.
    let styled = highlighter().highlight(&doc, 0..doc.line_count());
    assert!(styled.iter().all(|l| !is_plain(l)), "{styled:?}");

    // Untyped, or sent as text/plain, it is found by its shape too.
    for ct in [None, Some("text/plain"), Some("application/problem+json")] {
        let doc = Document::from_body(body.as_bytes(), ct);
        assert_eq!(doc.records(), Some(5), "{ct:?}");
    }
}

#[test]
fn ndjson_with_a_bad_line_keeps_the_rest() {
    let body =
        "{\"n\":1}\r\n[true,null]\n{\"n\": oops}\n\n  \"text\"  \n{\"deep\":{\"list\":[1,[2]]}}\n";
    let doc = Document::from_body(body.as_bytes(), Some("application/x-ndjson; charset=utf-8"));
    assert_eq!(doc.lang(), Lang::Json);
    assert!(doc.is_pretty_json());
    assert_eq!(doc.records(), Some(5));
    assert_eq!(
        doc.notices(),
        [
            "JSON Lines: 5 records",
            "Line 3 is not valid JSON (expected value at column 7) — shown as received"
        ]
    );
    assert_eq!(
        lines(&doc),
        [
            "{",
            "  \"n\": 1",
            "}",
            "[",
            "  true,",
            "  null",
            "]",
            "{\"n\": oops}",
            "\"text\"",
            "{",
            "  \"deep\": {",
            "    \"list\": [",
            "      1,",
            "      [",
            "        2",
            "      ]",
            "    ]",
            "  }",
            "}",
        ]
    );
    assert_eq!(doc.record_start(2), Some(7));
    assert!(!doc.is_json_line(7));
    assert!(doc.is_json_line(6) && doc.is_json_line(8));
    let styled = highlighter().highlight(&doc, 0..doc.line_count());
    assert!(is_plain(&styled[7]), "{:?}", styled[7]);
    assert_eq!(styled[7].to_string(), "{\"n\": oops}");
    assert!(
        styled
            .iter()
            .enumerate()
            .all(|(i, l)| i == 7 || !is_plain(l))
    );
    let n = doc.line_count();
    let windows: Vec<Range<usize>> = (0..n).map(|a| a..a + 4).collect();
    assert_windows_match(body, "application/x-ndjson", &windows);

    // Several bad lines: the first few are named.
    let body: String = (1..=9)
        .map(|i| {
            if i % 2 == 0 {
                format!("x{i}\n")
            } else {
                format!("{i}\n")
            }
        })
        .collect();
    let doc = Document::from_body(body.as_bytes(), Some("application/jsonl"));
    assert_eq!(doc.records(), Some(9));
    assert_eq!(
        doc.notices()[1],
        "4 lines are not valid JSON: 2, 4, 6 and 8 (line 2: expected value at column 1) — shown as received"
    );
}

#[test]
fn shape_needs_every_line_to_be_one_value() {
    let not_lines = [
        // Two values on one line.
        "{\"a\":1} {\"b\":2}\n{\"c\":3}",
        // Pretty-printed documents one after another.
        "{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}",
        // A good line, then one that is not JSON.
        "{\"a\":1}\nnot json\n{\"c\":3}",
    ];
    for body in not_lines {
        let doc = Document::from_body(body.as_bytes(), Some("application/json"));
        assert_eq!(doc.records(), None, "{body:?}");
        assert!(!doc.is_pretty_json());
        assert!(
            doc.notices()[0].starts_with("Body is not valid JSON at line "),
            "{:?}",
            doc.notices()
        );
        let doc = Document::from_body(body.as_bytes(), None);
        assert_eq!((doc.records(), doc.lang()), (None, Lang::Plain), "{body:?}");
    }
    // One value is a document, not a stream, whatever its trailing blank lines.
    let doc = Document::from_body(b"{\"a\":1}\n\n  \n", Some("application/json"));
    assert_eq!(doc.records(), None);
    assert!(doc.notices().is_empty());
    // Declared as JSON Lines but one pretty-printed document: shown as that document.
    let doc = Document::from_body(b"{\n  \"a\": [1, 2]\n}\n", Some("application/x-ndjson"));
    assert_eq!(doc.records(), None);
    assert!(doc.is_pretty_json());
    assert!(doc.notices().is_empty());
    // One record declared as JSON Lines is still a stream.
    let doc = Document::from_body(b"{\"a\":1}\n", Some("application/x-ndjson"));
    assert_eq!(doc.records(), Some(1));
    assert_eq!(doc.notices(), ["JSON Lines: 1 record"]);
}

#[test]
fn a_cut_stream_does_not_blame_its_last_line() {
    let body = httpbin_stream(3);
    let cut = &body[..body.len() - 20];
    let doc = Document::from_partial_body(cut.as_bytes(), Some("application/json"));
    assert_eq!(doc.records(), Some(3));
    assert_eq!(doc.notices(), ["JSON Lines: 3 records"]);
    let last = doc.line_count() - 1;
    assert!(!doc.is_json_line(last));
    assert_eq!(doc.line(last), cut.lines().last().expect("a line"));
    // The whole body with the same line broken in the middle is blamed.
    let broken = format!("{cut}\n{{\"id\": 9}}\n");
    let doc = Document::from_body(broken.as_bytes(), Some("application/x-ndjson"));
    assert_eq!(doc.records(), Some(4));
    assert!(
        doc.notices()[1].starts_with("Line 3 is not valid JSON (EOF while parsing"),
        "{:?}",
        doc.notices()
    );
}

#[test]
fn json_text_sequence_splits_on_record_separators() {
    let body = "\u{1e}{\"a\":1}\n\u{1e}[1,\n 2]\n\u{1e}\"x\"\n\u{1e}{\"b\":\n tru}\n\u{1e}7\n";
    let doc = Document::from_body(body.as_bytes(), Some("application/json-seq"));
    assert!(!doc.is_binary());
    assert_eq!(doc.records(), Some(5));
    assert_eq!(
        doc.notices(),
        [
            "JSON text sequence: 5 records",
            "The record at line 5 is not valid JSON (expected ident at line 6 column 2) — shown as received"
        ]
    );
    assert_eq!(
        lines(&doc),
        [
            "{",
            "  \"a\": 1",
            "}",
            "[",
            "  1,",
            "  2",
            "]",
            "\"x\"",
            "{\"b\":",
            " tru}",
            "7"
        ]
    );
    assert!(!doc.display_text().contains('\u{1e}'));
    assert_eq!(doc.record_start(3), Some(8));
    assert_eq!(doc.record_start(4), Some(10));
    // Small records are mostly RS bytes; still text.
    let doc = Document::from_body(b"\x1e1\n\x1e2\n\x1e3\n", Some("application/geo+json-seq"));
    assert_eq!(lines(&doc), ["1", "2", "3"]);
}

#[test]
fn server_sent_events_show_each_event() {
    let body = ": connected\n\nevent: update\nid: 41\ndata: {\"price\":\ndata:  9.99, \"tags\": [\"a\"]}\n\n: ping\n\ndata: plain text\ndata: on two lines\n\nretry: 5000\ndata: [1, {}]\n\nid: 42\n\ndata:\n\n";
    let doc = Document::from_body(body.as_bytes(), Some("text/event-stream; charset=utf-8"));
    assert_eq!(doc.lang(), Lang::Json);
    assert_eq!(doc.records(), Some(4));
    assert_eq!(
        doc.notices(),
        ["Server-sent events: 4 events (2 comment lines not shown)"]
    );
    assert_eq!(
        lines(&doc),
        [
            "event: update · id: 41",
            "{",
            "  \"price\": 9.99,",
            "  \"tags\": [",
            "    \"a\"",
            "  ]",
            "}",
            "event: message",
            "plain text",
            "on two lines",
            "event: message · retry: 5000",
            "[",
            "  1,",
            "  {}",
            "]",
            "event: message",
        ]
    );
    assert_eq!(
        (0..4).map(|k| doc.record_start(k)).collect::<Vec<_>>(),
        [Some(0), Some(7), Some(10), Some(15)]
    );
    assert_eq!(doc.record_at(9), Some(1));
    let styled = highlighter().highlight(&doc, 0..doc.line_count());
    // Headers look like comments: one style, not the default.
    for i in [0, 7, 10, 15] {
        assert!(!doc.is_json_line(i));
        assert_eq!(styled[i].spans.len(), 1, "{:?}", styled[i]);
        assert_ne!(styled[i].spans[0].style, Style::default());
    }
    assert!(is_plain(&styled[8]) && is_plain(&styled[9]));
    assert!(styled[2].spans.len() > 2, "{:?}", styled[2]);
    let windows: Vec<Range<usize>> = (0..doc.line_count()).map(|a| a..a + 3).collect();
    assert_windows_match(body, "text/event-stream", &windows);

    // Only text: no JSON highlighting at all.
    let doc = Document::from_body(b"data: a\n\ndata: b", Some("text/event-stream"));
    assert_eq!(doc.lang(), Lang::Plain);
    assert!(!doc.is_pretty_json());
    assert_eq!(lines(&doc), ["event: message", "a", "event: message", "b"]);
    assert_eq!(
        doc.notices(),
        [
            "Server-sent events: 2 events",
            "The stream ended inside the last event (no blank line after it); shown anyway"
        ]
    );
    let doc = Document::from_partial_body(b"data: a\n\ndata: b", Some("text/event-stream"));
    assert_eq!(doc.notices(), ["Server-sent events: 2 events"]);
    // No events at all.
    let doc = Document::from_body(b": keep-alive\n\n", Some("text/event-stream"));
    assert_eq!(doc.records(), Some(0));
    assert_eq!(doc.line_count(), 1);
    assert_eq!(
        doc.notices(),
        ["Server-sent events: 0 events (1 comment line not shown)"]
    );
}

#[test]
fn text_lines_are_made_safe_to_display() {
    let body = "1\n\"a\u{7f}\"\nbad\tline\u{1b}[31m\n";
    let doc = Document::from_body(body.as_bytes(), Some("application/x-ndjson"));
    assert_eq!(lines(&doc), ["1", "\"a␡\"", "bad line␛[31m"]);
    let body = "data: caf\u{e9}\tx\u{85}\n\n";
    let doc = Document::from_body(body.as_bytes(), Some("text/event-stream"));
    assert_eq!(lines(&doc), ["event: message", "café    x\u{fffd}"]);
    assert_eq!(doc.max_line_len(), 14);
}

/// A stream of `records` objects, each about `size` bytes, nested enough to exercise the index.
fn big_stream(records: usize, long_every: usize) -> String {
    let mut s = String::new();
    for i in 0..records {
        let long = if long_every > 0 && i % long_every == 3 {
            "L".repeat(MAX_HIGHLIGHT_LINE + 10)
        } else {
            "s".to_owned()
        };
        s.push_str(&format!(
            "{{\"id\":{i},\"user\":{{\"name\":\"u{i}\",\"roles\":[\"a\",{{\"r\":[1,[2,{{}}]]}}]}},\"note\":\"{long}\",\"tags\":[]}}\n"
        ));
        if i % 7 == 5 {
            s.push_str("{not json\n");
        }
        if i % 11 == 2 {
            s.push_str("[1,\"[{\",{\"k\":\"v\"}]\n");
        }
    }
    s
}

#[test]
fn highlighting_resumes_deep_inside_any_record() {
    let body = big_stream(150, 17);
    let doc = Document::from_body(body.as_bytes(), Some("application/x-ndjson"));
    assert!(doc.is_pretty_json());
    let n = doc.line_count();
    assert!(n > 6 * CHECKPOINT_INTERVAL, "{n} lines");
    // Deep in the second record, at checkpoints, right after a text line, and everywhere else.
    let second = doc.record_start(1).expect("second record");
    let deep = (second..n)
        .find(|&i| doc.line(i).starts_with("          "))
        .expect("a deep line");
    assert!(doc.record_at(deep) == Some(1));
    let mut starts = vec![deep, deep - 1, deep + 1, second, 255, 256, 257, 512, n - 30];
    starts.extend((0..n).step_by(37));
    let windows: Vec<Range<usize>> = starts.into_iter().map(|a| a..a + 30).collect();
    assert_windows_match(&body, "application/x-ndjson", &windows);
}

/// The parser state rebuilt at any line equals the one reached by highlighting from the top.
#[test]
fn the_rebuilt_parser_state_matches_at_every_line() {
    let body = big_stream(80, 13);
    let doc = Document::from_body(body.as_bytes(), Some("application/x-ndjson"));
    let syntaxes = syntaxes();
    let syntax = syntaxes
        .find_syntax_by_extension("json")
        .expect("JSON syntax");
    let index = doc.json_index().expect("pretty JSON");
    let layout = doc.layout().expect("a stream");
    let lines = doc.lines();
    let mut sequential = Run::new(syntax);
    let mut stack = Vec::new();
    for i in 0..doc.line_count() {
        let part = layout.part_at(i);
        if part.kind != LineKind::Json {
            continue;
        }
        if i == part.start {
            sequential = Run::new(syntax);
            assert!(stack.is_empty(), "line {i}");
        }
        assert_eq!(
            index.stack_in(i, part.start, |k| lines.content(k)),
            stack,
            "line {i}"
        );
        let after_value = i > part.start && resume::json_ends_value(lines.content(i - 1));
        let synthetic = resume::json_run(syntax, syntaxes, &stack, after_value);
        assert_eq!(
            resume::parse_state(&synthetic),
            resume::parse_state(&sequential),
            "line {i}: {:?}",
            lines.content(i)
        );
        let line = lines.content_with_newline(i);
        if resume::is_long(line) {
            sequential.advance(
                resume::json_surrogate(lines.content(i), stack.last().copied()),
                syntaxes,
            );
        } else {
            sequential.advance(line, syntaxes);
        }
        apply_line(&mut stack, lines.content(i));
    }
}

/// Reading a huge body that is simply invalid JSON costs about what it did before streams
/// were recognised: the attempt to read it as JSON Lines stops at once.
#[test]
fn a_huge_invalid_body_is_not_slow() {
    let mut valid = String::from("[");
    while valid.len() < 2 << 20 {
        valid.push_str("{\"id\":12345,\"name\":\"widget\",\"tags\":[\"a\",\"b\"],\"ok\":true},\n");
    }
    valid.push_str("null]");
    // The best of three runs, so that other tests running meanwhile matter less.
    let time = |body: &str| {
        let mut best = Duration::MAX;
        let mut doc = None;
        for _ in 0..3 {
            let start = Instant::now();
            doc = Some(Document::from_body(
                body.as_bytes(),
                Some("application/json"),
            ));
            best = best.min(start.elapsed());
        }
        (best, doc.expect("three runs"))
    };
    let (baseline, doc) = time(&valid);
    assert!(doc.is_pretty_json());
    let cases = [
        // A valid first line, then the rest of a huge document.
        format!("{{\"a\":1}}\n{}", &valid[1..]),
        // A huge one-line value, then garbage on the next line.
        format!("{}\nx", valid.replace('\n', "")),
        // A huge valid document, then a second value on the line after.
        format!("{valid}\n{{}}"),
    ];
    for body in &cases {
        let (elapsed, doc) = time(body);
        assert_eq!(doc.records(), None);
        assert!(!doc.is_pretty_json());
        // Generous: the invalid body is also checked by serde_json for its notice.
        assert!(
            elapsed < baseline * 6 + Duration::from_millis(200),
            "{elapsed:?} against {baseline:?} for a valid body"
        );
    }
}

#[test]
fn the_index_spans_records_and_text_lines() {
    let body = big_stream(120, 0);
    let doc = Document::from_body(body.as_bytes(), Some("application/jsonl"));
    let index = doc.json_index().expect("pretty JSON");
    let layout = doc.layout().expect("a stream");
    let mut stack = Vec::new();
    let mut records = 0;
    for i in 0..doc.line_count() {
        let part = layout.part_at(i);
        if i == part.start {
            assert!(stack.is_empty(), "line {i}");
        }
        if doc.record_start(records) == Some(i) {
            records += 1;
        }
        if part.kind == LineKind::Json {
            assert_eq!(
                index.stack_in(i, part.start, |k| doc.content(k)),
                stack,
                "line {i}"
            );
            apply_line(&mut stack, doc.content(i));
        }
    }
    assert_eq!(Some(records), doc.records());
    assert!(doc.memory_bytes() > doc.stored_text().len());
}

fn arb_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // No control characters: a short body of them would be taken for binary.
        "\\PC{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,5}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_value_is_one_record(
        values in prop::collection::vec(arb_value(), 1..12),
        crlf in any::<bool>(),
    ) {
        let joined = values
            .iter()
            .map(|v| serde_json::to_string(v).expect("serialise"))
            .collect::<Vec<_>>()
            .join(if crlf { "\r\n" } else { "\n" });
        for ct in ["application/x-ndjson", "application/json"] {
            let doc = Document::from_body(joined.as_bytes(), Some(ct));
            if ct == "application/json" && values.len() == 1 {
                prop_assert_eq!(doc.records(), None);
                continue;
            }
            prop_assert_eq!(doc.records(), Some(values.len()), "{}", ct);
            prop_assert_eq!(doc.notices(), [format!("JSON Lines: {} record{}", values.len(), if values.len() == 1 { "" } else { "s" })]);
            for (k, value) in values.iter().enumerate() {
                let text = record_text(&doc, k);
                let back: serde_json::Value = serde_json::from_str(&text).expect("a record re-parses");
                prop_assert_eq!(&back, value);
                prop_assert_eq!(text + "\n", serde_json::to_string_pretty(value).expect("serialise") + "\n");
            }
        }
    }
}
