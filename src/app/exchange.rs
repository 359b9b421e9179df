//! One sent request and what became of it: the unit of the history pane and the response pane.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::highlight::{Document, StyledLine};
use crate::http::HttpError;
use crate::http::model::{RequestSpec, ResponseData};
use crate::http::worker::RequestId;

/// Lines highlighted per background job; the cache is keyed by chunk index.
pub const CHUNK_LINES: usize = 128;
/// Chunks kept around the viewport; farther ones are dropped to bound memory on huge bodies.
const MAX_CACHED_CHUNKS: usize = 48;

#[derive(Debug)]
pub enum ExchangeState {
    Loading {
        received: u64,
        total: Option<u64>,
    },
    Done {
        response: Box<ResponseData>,
        view: Box<BodyView>,
    },
    Failed(HttpError),
    Cancelled {
        after: Duration,
    },
}

#[derive(Debug)]
pub struct Exchange {
    pub id: RequestId,
    /// The request exactly as it was sent.
    pub spec: RequestSpec,
    pub started: Instant,
    pub state: ExchangeState,
}

impl Exchange {
    pub fn is_loading(&self) -> bool {
        matches!(self.state, ExchangeState::Loading { .. })
    }

    pub fn response(&self) -> Option<&ResponseData> {
        match &self.state {
            ExchangeState::Done { response, .. } => Some(response),
            _ => None,
        }
    }

    pub fn view(&self) -> Option<&BodyView> {
        match &self.state {
            ExchangeState::Done { view, .. } => Some(view),
            _ => None,
        }
    }

    pub fn view_mut(&mut self) -> Option<&mut BodyView> {
        match &mut self.state {
            ExchangeState::Done { view, .. } => Some(view),
            _ => None,
        }
    }
}

/// The prepared body of a response and its highlighted chunks, filled in by background jobs.
#[derive(Debug, Default)]
pub struct BodyView {
    /// `None` while the body is being decoded and pretty-printed.
    pub doc: Option<Arc<Document>>,
    /// The body exactly as received (decoded to text), for the Raw tab.
    pub raw: Option<Arc<Document>>,
    pub chunks: HashMap<usize, Arc<Vec<StyledLine>>>,
    pub pending: HashSet<usize>,
}

impl BodyView {
    /// The highlighted form of line `i`, if its chunk is ready.
    pub fn styled_line(&self, i: usize) -> Option<&StyledLine> {
        self.chunks
            .get(&(i / CHUNK_LINES))
            .and_then(|c| c.get(i % CHUNK_LINES))
    }

    /// Chunks covering `lines` that are neither cached nor being highlighted; marks them pending.
    pub fn claim_missing(&mut self, lines: std::ops::Range<usize>) -> Vec<usize> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        let end = lines.end.min(doc.line_count());
        if lines.start >= end {
            return Vec::new();
        }
        let first = lines.start / CHUNK_LINES;
        let last = (end - 1) / CHUNK_LINES;
        let missing: Vec<usize> = (first..=last)
            .filter(|c| !self.chunks.contains_key(c) && !self.pending.contains(c))
            .collect();
        self.pending.extend(&missing);
        missing
    }

    /// Stores a highlighted chunk, evicting the ones farthest from it when the cache is full.
    pub fn store(&mut self, chunk: usize, lines: Vec<StyledLine>) {
        self.pending.remove(&chunk);
        self.chunks.insert(chunk, Arc::new(lines));
        if self.chunks.len() > MAX_CACHED_CHUNKS {
            let mut keys: Vec<usize> = self.chunks.keys().copied().collect();
            keys.sort_by_key(|k| std::cmp::Reverse(k.abs_diff(chunk)));
            for k in keys.into_iter().take(self.chunks.len() - MAX_CACHED_CHUNKS) {
                self.chunks.remove(&k);
            }
        }
    }
}

/// Every request sent in this run, oldest first (the pane shows them newest first).
#[derive(Debug, Default)]
pub struct History {
    pub entries: Vec<Exchange>,
    /// Index into the newest-first list.
    pub selected: usize,
}

impl History {
    pub fn get(&self, id: RequestId) -> Option<&Exchange> {
        self.entries.iter().rev().find(|e| e.id == id)
    }

    pub fn get_mut(&mut self, id: RequestId) -> Option<&mut Exchange> {
        self.entries.iter_mut().rev().find(|e| e.id == id)
    }

    /// Newest first, as displayed.
    pub fn newest_first(&self) -> impl Iterator<Item = &Exchange> {
        self.entries.iter().rev()
    }

    pub fn selected(&self) -> Option<&Exchange> {
        self.newest_first().nth(self.selected)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
