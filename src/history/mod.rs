//! History that lasts: every finished exchange is appended to `history.jsonl` in scout's data folder
//! (one JSON record per line), loaded again at start-up, and filtered in the history pane.
//!
//! - [`record`]: the stored form of an exchange ([`HistoryRecord`]) and the conversions to and from
//!   the live model. Bodies over [`MAX_BODY_BYTES`] are cut, keeping their original length.
//! - What never reaches the disk — secret headers, URL passwords, and (by value) any secret the
//!   caller names — is [`crate::model::Redactor`]'s job.
//! - [`store`]: the file: append, load (a corrupt line never loses the others), compaction to the
//!   newest [`MAX_RECORDS`], `0600` permissions. Blocking I/O: run it in `spawn_blocking`.
//! - [`filter`]: the one-line filter typed in the history pane (`items m:post status:4xx`).

pub mod filter;
pub mod record;
pub mod store;

pub use filter::{HistoryEntryView, HistoryFilter, StatusFilter};
pub use record::{
    HistoryRecord, MAX_BODY_BYTES, Outcome, StoredBody, StoredOutcome, StoredRequest, next_id,
};
pub use store::{
    HistoryError, HistoryStore, Loaded, MAX_RECORDS, SkippedLine, ToWrite, default_path,
    spawn_writer,
};
