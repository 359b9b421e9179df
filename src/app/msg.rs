//! What comes back into `update` (Msg) and what `update` asks the outside world to do (Effect).

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::highlight::{Document, StyledLine};
use crate::http::execute::Timeouts;
use crate::http::model::RequestSpec;
use crate::http::worker::{HttpEvent, RequestId};

/// The two views of a body: pretty-printed for the Body tab, as received for the Raw tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pretty,
    Raw,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// The spinner's clock, sent only while a request is in flight.
    Tick,
    Http(HttpEvent),
    BodyPrepared {
        id: RequestId,
        kind: DocKind,
        doc: Arc<Document>,
    },
    Highlighted {
        id: RequestId,
        chunk: usize,
        lines: Vec<StyledLine>,
    },
    Saved {
        id: RequestId,
        path: PathBuf,
        outcome: SaveOutcome,
    },
}

/// How a body save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Written(u64),
    /// The file exists and overwriting was not asked for.
    Exists,
    Failed(String),
}

#[derive(Debug)]
pub enum Effect {
    Send {
        id: RequestId,
        spec: RequestSpec,
        timeouts: Timeouts,
    },
    Cancel(RequestId),
    /// Decode, pretty-print and index a body (CPU work: `spawn_blocking`).
    PrepareBody {
        id: RequestId,
        body: Bytes,
        content_type: Option<String>,
    },
    /// Highlight lines `chunk * CHUNK_LINES ..` of `doc` (CPU work: `spawn_blocking`).
    Highlight {
        id: RequestId,
        chunk: usize,
        doc: Arc<Document>,
    },
    /// Write a body to a file; `overwrite` false means fail if it exists.
    SaveBody {
        id: RequestId,
        path: PathBuf,
        body: Bytes,
        overwrite: bool,
    },
    Quit,
}
