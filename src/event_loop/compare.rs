//! Runs the Body tab's comparison (`Effect::CompareBodies`): both bodies parsed as JSON, compared
//! by key and index, each change written as one line of a document.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use crate::app::reader::diff::Compared;
use crate::highlight::Document;
use crate::inspect::diff::{Change, Ignore, diff, summary};
use crate::inspect::filter::parse_body;
use crate::model::Redactor;

/// A value in a change line is cut after this many characters.
const VALUE_CHARS: usize = 200;

/// The changes from `before` to `after`, with `ignore` masked and `secrets` redacted.
pub(super) fn compare(
    before: &[u8],
    after: &[u8],
    ignore: &[String],
    secrets: Vec<String>,
) -> Result<Compared, String> {
    let started = Instant::now();
    let ignore = Ignore::parse(ignore)?;
    let before = parse_body(before).map_err(|e| format!("the earlier response: {e}"))?;
    let after = parse_body(after).map_err(|e| format!("this response: {e}"))?;
    let found = diff(&before, &after, &ignore);
    let redactor = Redactor::new(secrets);
    let mut text = String::new();
    for change in &found.changes {
        text.push_str(&redactor.redact_str(&line(change)));
        text.push('\n');
    }
    if found.more > 0 {
        text.push_str(&format!("… and {} more\n", found.more));
    }
    Ok(Compared {
        doc: Arc::new(Document::from_body(text.as_bytes(), Some("text/plain"))),
        summary: summary(&found),
        same: found.is_empty(),
        elapsed: started.elapsed(),
    })
}

/// `~ $.path: before → after`, `+ $.path: value`, `- $.path: value`.
fn line(change: &Change) -> String {
    match change {
        Change::Changed {
            path,
            before,
            after,
        } => format!("~ {path}: {} → {}", short(before), short(after)),
        Change::Added { path, value } => format!("+ {path}: {}", short(value)),
        Change::Removed { path, value } => format!("- {path}: {}", short(value)),
    }
}

/// `value` as compact JSON, cut to [`VALUE_CHARS`] characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_lines_with_their_paths() {
        let c = compare(
            br#"{"a":1,"b":[1,2],"t":"x","gone":true}"#,
            br#"{"a":2,"b":[1,2,3],"t":"y","new":null}"#,
            &["$.t".to_string()],
            Vec::new(),
        )
        .unwrap();
        assert!(!c.same);
        assert_eq!(
            c.doc.display_text(),
            "~ $.a: 1 → 2\n+ $.b[2]: 3\n+ $.new: null\n- $.gone: true\n"
        );
        assert_eq!(c.summary, "1 changed, 2 added, 1 removed");
    }

    #[test]
    fn secrets_are_redacted_and_bad_input_is_named() {
        let c = compare(
            br#"{"k":"s3cret-1"}"#,
            br#"{"k":"s3cret-2"}"#,
            &[],
            vec!["s3cret-1".into(), "s3cret-2".into()],
        )
        .unwrap();
        assert!(
            !c.doc.display_text().contains("s3cret"),
            "{}",
            c.doc.display_text()
        );
        let e = compare(b"<html>", b"{}", &[], Vec::new()).unwrap_err();
        assert!(
            e.starts_with("the earlier response: the body is not JSON"),
            "{e}"
        );
        let e = compare(b"{}", b"{}", &["$[".into()], Vec::new()).unwrap_err();
        assert!(e.contains("not a valid JSONPath"), "{e}");
        assert!(compare(b"[1]", b"[1]", &[], Vec::new()).unwrap().same);
    }
}
