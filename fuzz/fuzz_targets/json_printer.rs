//! The JSON pretty-printers and indexer (src/highlight/json): the streaming printer used for
//! bodies spilled to disk (fed in pieces of any size), the in-memory printer behind a response's
//! Body tab, the outline (folding, the JSONPath of a line), `json_issue` and the JSON
//! highlighter.
//!
//! Input: a body labelled `application/json`. Its last byte says where to cut it into pieces
//! for the streaming printer.
#![no_main]

use std::collections::HashSet;
use std::fmt;

use libfuzzer_sys::fuzz_target;
use scout::check::JsonQuery;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use scout::highlight::{Document, Folds, StreamPrinter, highlighter, json_issue};
use serde_json::Value;

/// The streaming printer's output and verdict, the body fed in pieces of `piece` bytes.
fn stream(data: &[u8], piece: usize) -> (Vec<u8>, Result<(), String>) {
    let mut printer = StreamPrinter::new();
    let mut out = Vec::new();
    for chunk in data.chunks(piece.max(1)) {
        if let Err(e) = printer.feed(chunk, &mut out) {
            return (out, Err(e));
        }
    }
    let done = printer.finish(&mut out);
    (out, done)
}

/// JSON in which no object holds a name twice: deserializing fails on the first repeated one.
struct UniqueNames;

impl<'de> Deserialize<'de> for UniqueNames {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Check;
        impl<'de> Visitor<'de> for Check {
            type Value = UniqueNames;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueNames, A::Error> {
                let mut seen = HashSet::new();
                while let Some(name) = map.next_key::<String>()? {
                    if !seen.insert(name) {
                        return Err(serde::de::Error::custom("a name twice"));
                    }
                    map.next_value::<UniqueNames>()?;
                }
                Ok(UniqueNames)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueNames, A::Error> {
                while seq.next_element::<UniqueNames>()?.is_some() {}
                Ok(UniqueNames)
            }
            fn visit_bool<E>(self, _: bool) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
            fn visit_i64<E>(self, _: i64) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
            fn visit_u64<E>(self, _: u64) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
            fn visit_f64<E>(self, _: f64) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
            fn visit_str<E>(self, _: &str) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
            fn visit_unit<E>(self) -> Result<UniqueNames, E> {
                Ok(UniqueNames)
            }
        }
        d.deserialize_any(Check)
    }
}

fuzz_target!(|data: &[u8]| {
    let piece = usize::from(data.last().copied().unwrap_or(1) % 17) + 1;
    let (whole, verdict) = stream(data, data.len());
    // Pieces of any size print the same.
    assert_eq!(
        stream(data, piece),
        (whole.clone(), verdict.clone()),
        "pieces of {piece}"
    );

    let value: Option<Value> = serde_json::from_slice(data).ok();
    if let Some(value) = &value {
        // Valid JSON prints, and what it prints is the same JSON.
        assert_eq!(verdict, Ok(()), "{value}");
        let printed: Value = serde_json::from_slice(&whole).unwrap_or_else(|e| {
            panic!(
                "printed form is not JSON: {e}\n{}",
                String::from_utf8_lossy(&whole)
            )
        });
        assert_eq!(&printed, value);
    }

    let doc = Document::from_body(data, Some("application/json"));
    // DEL and C1 controls are shown as stand-ins, so the lines then differ from the JSON text.
    let plain = std::str::from_utf8(data)
        .is_ok_and(|text| !text.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)));
    if let Ok(text) = std::str::from_utf8(data) {
        if value.is_some() {
            assert_eq!(json_issue(text), None);
        }
        // The Body tab shows the same pretty form as the streaming printer.
        if value.is_some() && plain && doc.is_pretty_json() && doc.records().is_none() {
            assert_eq!(
                doc.display_text().as_bytes(),
                &whole[..],
                "the two printers differ"
            );
            // Stored without its indentation, it is the same JSON.
            let stored: serde_json::Value =
                serde_json::from_str(doc.stored_text()).expect("the stored text parses");
            assert_eq!(Some(&stored), value.as_ref());
        }
    }

    let Some(outline) = doc.outline() else {
        return;
    };
    let unique_names = serde_json::from_slice::<UniqueNames>(data).is_ok();
    let lines = doc.line_count().min(48);
    for i in 0..lines {
        if let Some(end) = outline.fold_end(i) {
            assert!(
                end >= i && end < doc.line_count(),
                "fold of {i} ends at {end}"
            );
            let _ = outline.fold_summary(i);
        }
        let _ = outline.value_at(i, |j| (doc.indent(j), doc.content(j)));
        // The path of a line names a value the document has. (Not where an object holds a
        // name twice: the value parsed keeps the last, the lines show both.)
        if let Some(value) = &value
            && plain
            && unique_names
            && doc.records().is_none()
        {
            let path = outline.path_at(i, |j| doc.content(j));
            let query = JsonQuery::parse(&path).unwrap_or_else(|e| panic!("line {i}: {e}"));
            assert!(
                query.find(value).value().is_some(),
                "line {i}: {path} finds nothing"
            );
        }
    }
    let mut folds = Folds::new();
    folds.fold_all();
    let rows = folds.rows(outline);
    assert!(rows.len() <= doc.line_count());
    for i in (0..lines).step_by(3) {
        let _ = folds.toggle(outline, i);
    }
    let rows = folds.rows(outline);
    for row in rows.window(0..rows.len().min(48)) {
        assert!(row.line < doc.line_count());
    }
    for (i, line) in highlighter().highlight(&doc, 0..16).iter().enumerate() {
        let shown: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(shown, doc.line(i), "highlighting changed line {i}");
    }
});
