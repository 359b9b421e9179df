//! The body sink the app and `scout send` use: the body kept in memory up to the job's memory
//! cap; past it, the whole body goes to a temporary file ([`crate::http::spill`]) as it arrives,
//! and only its first [`SPILL_KEPT_BYTES`] stay in memory (for checks, the history, previews).
//! A stream of server-sent events is also passed on as it arrives.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::mpsc;

use crate::http::error::HttpError;
use crate::http::execute::BodySink;
use crate::http::job::{HttpEvent, RequestId};
use crate::http::spill::SpillFile;
use crate::model::{SPILL_KEPT_BYTES, Spilled, cut_len};

/// The most room set aside up front for a body whose length the server announced: beyond it the
/// body grows as it arrives (an announced length is a claim, not a promise, so a lying server
/// gets at most this much reserved; Linux commits the pages only as they are written).
const PRESIZE_LIMIT: usize = 64 * 1024 * 1024;

/// Keeps the body, and reports progress as [`HttpEvent::Progress`]. A stream of server-sent
/// events is also passed on as it arrives ([`HttpEvent::Streaming`], then [`HttpEvent::Chunk`]s
/// with each progress report), so that it can be read while it lasts.
pub struct InMemory {
    id: RequestId,
    body: Vec<u8>,
    events: mpsc::UnboundedSender<HttpEvent>,
    /// For a live stream: the bytes not passed on yet.
    live: Option<Vec<u8>>,
    /// The most of the body kept in memory.
    cap: u64,
    /// Where a spilled body goes.
    dir: PathBuf,
    /// Once past the cap: the file the whole body is written to.
    spill: Option<SpillFile>,
    /// The finished file, after [`BodySink::finish`].
    spilled: Option<Arc<Spilled>>,
    /// The body is JSON (by its content type): spilled, it is also pretty-printed.
    json: bool,
}

impl InMemory {
    /// A sink for request `id` keeping up to `cap` bytes in memory, spilling into the OS
    /// temporary folder beyond it.
    pub fn new(id: RequestId, cap: u64, events: mpsc::UnboundedSender<HttpEvent>) -> InMemory {
        InMemory::spilling_into(id, cap, events, std::env::temp_dir())
    }

    /// The same, spilling into `dir`.
    pub fn spilling_into(
        id: RequestId,
        cap: u64,
        events: mpsc::UnboundedSender<HttpEvent>,
        dir: PathBuf,
    ) -> InMemory {
        InMemory {
            id,
            body: Vec::new(),
            events,
            live: None,
            cap,
            dir,
            spill: None,
            spilled: None,
            json: false,
        }
    }

    /// Passes on what arrived since the last time.
    fn pass_on(&mut self) {
        if let Some(pending) = self.live.as_mut().filter(|p| !p.is_empty()) {
            let _ = self.events.send(HttpEvent::Chunk {
                id: self.id,
                data: Bytes::from(std::mem::take(pending)),
            });
        }
    }

    /// The body outgrew the cap: what is in memory goes to a file, and only its first part stays.
    fn start_spill(&mut self) -> Result<&mut SpillFile, HttpError> {
        let mut file = SpillFile::create(&self.dir)?;
        if self.json {
            file = file.pretty_printed()?;
        }
        file.write(&self.body)?;
        let kept = cut_len(&self.body, SPILL_KEPT_BYTES);
        self.body.truncate(kept);
        self.body.shrink_to_fit();
        Ok(self.spill.insert(file))
    }
}

impl BodySink for InMemory {
    fn head(&mut self, status: u16, reason: &str, version: &str, headers: &[(String, String)]) {
        let content_type = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        let essence = content_type
            .and_then(|t| t.split(';').next())
            .map(|t| t.trim().to_ascii_lowercase());
        self.json = essence
            .as_deref()
            .is_some_and(|t| t == "application/json" || t.ends_with("+json"));
        if essence.as_deref() == Some("text/event-stream") {
            self.live = Some(Vec::new());
            let _ = self.events.send(HttpEvent::Streaming {
                id: self.id,
                status,
                reason: reason.to_string(),
                version: version.to_string(),
                headers: headers.to_vec(),
            });
        }
    }

    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError> {
        if let Some(pending) = &mut self.live {
            pending.extend_from_slice(data);
        }
        if let Some(file) = &mut self.spill {
            return file.write(data);
        }
        if (self.body.len() + data.len()) as u64 > self.cap {
            return self.start_spill()?.write(data);
        }
        self.body.extend_from_slice(data);
        Ok(())
    }

    fn progress(&mut self, received: u64, total: Option<u64>) {
        // The announced length, before the first byte: room for the body at once, instead of
        // doubling into up to twice its size (none when it will go to disk).
        if let (0, Some(total)) = (received, total)
            && total <= self.cap
        {
            let total = usize::try_from(total)
                .unwrap_or(usize::MAX)
                .min(PRESIZE_LIMIT);
            self.body
                .reserve_exact(total.saturating_sub(self.body.capacity()));
        }
        self.pass_on();
        let _ = self.events.send(HttpEvent::Progress {
            id: self.id,
            received,
            total,
        });
    }

    fn finish(&mut self) -> Result<Bytes, HttpError> {
        if let Some(file) = self.spill.take() {
            self.spilled = Some(Arc::new(file.finish()?));
        }
        // A body of unannounced length grew by doubling: give back what it did not use.
        if self.body.capacity() - self.body.len() > self.body.len() / 16 {
            self.body.shrink_to_fit();
        }
        Ok(Bytes::from(std::mem::take(&mut self.body)))
    }

    fn spilled(&mut self) -> Option<Arc<Spilled>> {
        self.spilled.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(cap: u64, dir: &std::path::Path) -> InMemory {
        let (tx, _rx) = mpsc::unbounded_channel();
        InMemory::spilling_into(1, cap, tx, dir.to_path_buf())
    }

    #[test]
    fn a_body_within_the_cap_stays_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sink(100, dir.path());
        s.chunk(&Bytes::from_static(&[b'a'; 60])).unwrap();
        s.chunk(&Bytes::from_static(&[b'b'; 40])).unwrap();
        assert_eq!(s.finish().unwrap().len(), 100);
        assert!(s.spilled().is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn past_the_cap_the_whole_body_goes_to_a_file_and_the_first_part_stays() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = sink(2 * SPILL_KEPT_BYTES as u64, dir.path());
        let line = Bytes::from(format!("{}\n", "x".repeat(999)));
        let mut body = Vec::new();
        for _ in 0..3000 {
            s.chunk(&line).unwrap();
            body.extend_from_slice(&line);
        }
        let first = s.finish().unwrap();
        let spilled = s.spilled().expect("spilled");
        assert_eq!(first.len(), SPILL_KEPT_BYTES);
        assert_eq!(&first[..], &body[..SPILL_KEPT_BYTES]);
        assert_eq!(spilled.len(), body.len() as u64);
        assert_eq!(spilled.line_count(), 3000);
        assert_eq!(std::fs::read(spilled.path()).unwrap(), body);
    }

    #[test]
    fn a_json_body_past_the_cap_is_also_pretty_printed() {
        let dir = tempfile::tempdir().unwrap();
        for (content_type, pretty) in [
            ("application/json; charset=utf-8", true),
            ("application/problem+json", true),
            ("text/plain", false),
        ] {
            let mut s = sink(10, dir.path());
            s.head(
                200,
                "OK",
                "HTTP/1.1",
                &[("Content-Type".into(), content_type.into())],
            );
            s.chunk(&Bytes::from_static(br#"{"a":[1,2],"#)).unwrap();
            s.chunk(&Bytes::from_static(br#""b":{}}"#)).unwrap();
            s.finish().unwrap();
            let spilled = s.spilled().expect("spilled");
            let shown = std::fs::read_to_string(spilled.shown().path()).unwrap();
            if pretty {
                assert_eq!(
                    shown,
                    "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}\n"
                );
            } else {
                assert_eq!(shown, r#"{"a":[1,2],"b":{}}"#, "{content_type}");
            }
        }
    }
}
