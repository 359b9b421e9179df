//! Runs the Body tab's filter (`Effect::RunFilter`): parses the shown document as JSON once and
//! keeps it for the next filter typed on it (typing runs one per pause), then formats the
//! filter's outputs as a document of their own. The parsed form is many times the body (50 MB of
//! JSON took the app from 0.2 to 1.6 GB, and kept it): it is let go [`KEEP_PARSED`] after the
//! last filter run on it, or once its document is gone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::app::reader::filter::{FilterProblem, Filtered};
use crate::highlight::Document;
use crate::inspect::filter::{Filter, Prepared, check_body};

/// How long the parsed form of a document is kept after the last filter run on it: through
/// the pauses of someone typing a filter, not for the rest of the run.
pub(super) const KEEP_PARSED: Duration = Duration::from_secs(30);

/// The last document filtered, parsed: one at a time, let go with the document or when it has
/// not been used for a while ([`ParsedCache::let_go_if_idle`]).
#[derive(Default)]
pub(super) struct ParsedCache(Mutex<Option<Kept>>);

struct Kept {
    doc: Weak<Document>,
    parsed: Arc<Prepared>,
    used: Instant,
}

impl ParsedCache {
    /// `doc` parsed as JSON: from the cache when it is the document parsed last.
    fn parsed(&self, doc: &Arc<Document>) -> Result<Arc<Prepared>, FilterProblem> {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = cache.as_mut()
            && kept.doc.upgrade().is_some_and(|d| Arc::ptr_eq(&d, doc))
        {
            kept.used = Instant::now();
            return Ok(kept.parsed.clone());
        }
        // The one kept is let go first: two large documents are not held at once.
        *cache = None;
        let parsed = Arc::new(prepare(doc)?);
        *cache = Some(Kept {
            doc: Arc::downgrade(doc),
            parsed: parsed.clone(),
            used: Instant::now(),
        });
        Ok(parsed)
    }

    /// Lets go of the parsed document when no filter has run on it for `idle`, or its document
    /// is gone. Freeing it takes a while for a large one: call it off the UI thread.
    pub(super) fn let_go_if_idle(&self, idle: Duration) {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Not while a filter runs on it: the end of that run looks again.
        let done = cache.as_ref().is_some_and(|kept| {
            Arc::strong_count(&kept.parsed) == 1
                && (kept.used.elapsed() >= idle || kept.doc.strong_count() == 0)
        });
        let gone = if done { cache.take() } else { None };
        drop(cache);
        if gone.is_some() {
            drop(gone);
            crate::memory::give_back();
        }
    }

    /// Whether a parsed document is kept.
    #[cfg(test)]
    fn holds(&self) -> bool {
        self.0.lock().is_ok_and(|c| c.is_some())
    }
}

/// `doc`'s text as JSON to filter: one document, or (JSON Lines, server-sent events) an array of
/// its records' values. Checked here; each kind of filter reads it when first used.
fn prepare(doc: &Document) -> Result<Prepared, FilterProblem> {
    let problem = |message: String| FilterProblem { message, at: None };
    if doc.is_binary() {
        return Err(problem("the body is binary; a filter works on JSON".into()));
    }
    // A stream (JSON Lines, events): its records' values, as one array.
    if let Some(values) = doc.record_values() {
        return Ok(Prepared::new(serde_json::Value::Array(values)));
    }
    // Pretty-printed JSON is stored without its indentation: the same JSON.
    check_body(doc.stored_text().as_bytes()).map_err(problem)?;
    Ok(Prepared::from_text(doc.stored_bytes()))
}

/// Runs filter `text` on `doc`, unless `cancel` is set by the time it starts.
pub(super) fn run(
    cache: &ParsedCache,
    text: &str,
    doc: &Arc<Document>,
    cancel: &AtomicBool,
) -> Option<Result<Filtered, FilterProblem>> {
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let started = Instant::now();
    let filter = match Filter::parse(text) {
        Ok(filter) => filter,
        Err(e) => {
            return Some(Err(FilterProblem {
                message: e.message.clone(),
                at: e.at,
            }));
        }
    };
    let result = (|| {
        let parsed = cache.parsed(doc)?;
        let outputs = filter.run_prepared(&parsed).map_err(|e| FilterProblem {
            message: e.message.clone(),
            at: e.at,
        })?;
        Ok(Filtered {
            text: text.to_string(),
            doc: Arc::new({
                let doc = as_document(&outputs);
                let _ = doc.outline();
                doc
            }),
            outputs: outputs.len(),
            elapsed: started.elapsed(),
        })
    })();
    Some(result)
}

/// The filter's outputs as a document: one value pretty-printed, several one after another (as
/// jq prints them), shown as JSON Lines.
fn as_document(outputs: &[serde_json::Value]) -> Document {
    match outputs {
        [one] => {
            let text = serde_json::to_vec(one).unwrap_or_default();
            Document::from_body(&text, Some("application/json"))
        }
        many => {
            let mut text = Vec::new();
            for value in many {
                // Serializing a Value into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut text, value);
                text.push(b'\n');
            }
            Document::from_body(&text, Some("application/x-ndjson"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Arc<Document> {
        Arc::new(Document::from_body(
            text.as_bytes(),
            Some("application/json"),
        ))
    }

    fn go(text: &str, d: &Arc<Document>) -> Result<Filtered, FilterProblem> {
        run(&ParsedCache::default(), text, d, &AtomicBool::new(false)).expect("it ran")
    }

    #[test]
    fn outputs_become_a_document() {
        let d = doc(r#"{"items":[{"id":1},{"id":2}]}"#);
        let one = go(".items[0]", &d).unwrap();
        assert_eq!(one.outputs, 1);
        assert_eq!(one.doc.display_text(), "{\n  \"id\": 1\n}\n");
        let many = go("$.items[*].id", &d).unwrap();
        assert_eq!(many.outputs, 2);
        assert_eq!(many.doc.line(0), "1");
    }

    #[test]
    fn a_bad_filter_says_where_and_a_non_json_body_says_so() {
        let d = doc(r#"{"a":1}"#);
        let bad = go(".a | ", &d).unwrap_err();
        assert!(bad.at.is_some(), "{bad:?}");
        let text = Arc::new(Document::from_body(b"hello there", Some("text/plain")));
        let not_json = go(".a", &text).unwrap_err();
        assert!(not_json.message.contains("not JSON"), "{not_json:?}");
    }

    #[test]
    fn a_stream_is_filtered_as_the_array_of_its_records() {
        let events = Arc::new(Document::from_body(
            b"event: tick\ndata: {\"n\":1}\n\n: note\n\nevent: tick\ndata: {\"n\":2}\n\n",
            Some("text/event-stream"),
        ));
        let out = go("map(.n) | add", &events).unwrap();
        assert_eq!(out.doc.line(0), "3");
        let lines = Arc::new(Document::from_body(
            b"{\"a\":[1,2]}\n{\"a\":[3]}\n",
            Some("application/x-ndjson"),
        ));
        assert_eq!(
            go("[.[].a | length]", &lines).unwrap().doc.display_text(),
            "[\n  2,\n  1\n]\n"
        );
    }

    #[test]
    fn the_parse_is_let_go_when_idle_or_when_its_document_is_gone() {
        let cache = ParsedCache::default();
        let d = doc("[1]");
        let _ = cache.parsed(&d).unwrap();
        cache.let_go_if_idle(Duration::from_secs(60));
        assert!(cache.holds(), "used just now");
        cache.let_go_if_idle(Duration::ZERO);
        assert!(!cache.holds(), "idle");
        // Not while a filter runs on it.
        let running = cache.parsed(&d).unwrap();
        cache.let_go_if_idle(Duration::ZERO);
        assert!(cache.holds(), "in use");
        drop(running);
        drop(d);
        cache.let_go_if_idle(Duration::from_secs(60));
        assert!(!cache.holds(), "its document is gone");
    }

    #[test]
    fn a_cancelled_run_does_not_start_and_the_parse_is_kept() {
        let d = doc(r#"[1,2,3]"#);
        assert!(run(&ParsedCache::default(), ".", &d, &AtomicBool::new(true)).is_none());
        let cache = ParsedCache::default();
        let first = cache.parsed(&d).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.parsed(&d).unwrap()));
        let other = doc("[4]");
        assert!(!Arc::ptr_eq(&first, &cache.parsed(&other).unwrap()));
    }
}
