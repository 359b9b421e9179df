//! Body decoding for display (src/highlight: decode.rs, document.rs, text.rs, stream.rs, sse.rs):
//! Content-Type parsing, BOMs and charsets, binary sniffing and the hex dump, JSON, JSON Lines,
//! JSON text sequences and server-sent events, and the display-ready lines a response pane
//! draws — which must never carry a control character to the terminal.
//!
//! Input: the Content-Type value on the first line (`-` for none), then the body's bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scout::highlight::{Document, Lang};

/// The guarantees every document's lines keep (src/highlight/text.rs).
fn check_lines(doc: &Document, what: &str) {
    assert!(doc.line_count() >= 1, "{what}: no line");
    // A body as received may share its buffer, last line and all.
    if what != "as_received" {
        assert!(
            doc.stored_text().ends_with('\n'),
            "{what}: text without a final newline"
        );
    }
    for i in 0..doc.line_count() {
        let line = doc.line(i);
        assert!(
            !line.chars().any(char::is_control),
            "{what}: line {i} holds a control character: {line:?}"
        );
    }
    assert_eq!(doc.line(doc.line_count()), "");
    // The lines read one after another are the lines read one by one.
    for (i, (indent, content)) in doc.parts(0..doc.line_count().min(256)).enumerate() {
        assert_eq!((indent, content), (doc.indent(i), doc.content(i)), "{what}: line {i}");
        assert_eq!(doc.line(i), format!("{:indent$}{content}", ""), "{what}: line {i}");
    }
    if let Some(records) = doc.records() {
        for k in 0..records.min(8) {
            if let Some(line) = doc.record_start(k) {
                assert!(
                    line < doc.line_count(),
                    "{what}: record {k} starts past the end"
                );
            }
        }
        let _ = doc.record_values();
    }
}

fuzz_target!(|data: &[u8]| {
    let (first, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let content_type = String::from_utf8_lossy(first);
    let content_type = (content_type != "-").then_some(content_type.as_ref());
    let _ = Lang::from_content_type(content_type);

    let doc = Document::from_body(body, content_type);
    check_lines(&doc, "from_body");
    let _ = doc.outline();
    let partial = Document::from_partial_body(body, content_type);
    check_lines(&partial, "from_partial_body");
    let raw = Document::as_received(&body.to_vec().into(), content_type);
    check_lines(&raw, "as_received");
    assert!(!raw.is_pretty_json());
});
