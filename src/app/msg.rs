//! What comes back into `update` (Msg) and what `update` asks the outside world to do (Effect).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use serde_json::Value;

use crate::app::exchange::CheckPlan;
use crate::app::files::Listing;
use crate::app::hits::HitMap;
use crate::app::reader::diff::Compared;
use crate::app::reader::filter::{FilterProblem, Filtered};
use crate::app::reader::search::SearchProgress;
use crate::app::runner::RunMsg;
use crate::app::tree::TreeFile;
use crate::app::typing::ExternalField;
use crate::collection::store::LoadedFile;
use crate::highlight::{Document, StyledLine};
use crate::history::{HistoryRecord, Loaded};
use crate::http::job::{HttpEvent, Job, RequestId};
use crate::http::paginate::{Load, Pager};
use crate::http::plan::TimeoutInput;
use crate::model::{Pagination, ResponseData};
use crate::replay::RunPlan;
use crate::replay::step::Checked;
use crate::template::{EnvSource, RunValue};

/// The two views of a body: pretty-printed for the Body tab, as received for the Raw tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pretty,
    Raw,
}

#[derive(Debug)]
pub enum Msg {
    /// The first frame is on screen: time to load what may take a while.
    Started,
    /// A frame was drawn (and things were drawn elsewhere than in the frame before).
    Drawn(Box<HitMap>),
    /// A folder listing for the file picker.
    DirListed {
        dir: PathBuf,
        result: Result<Listing, String>,
    },
    CollectionsLoaded(Vec<TreeFile>),
    /// A collection file was written (or writing it failed: the file is untouched).
    CollectionWritten {
        path: PathBuf,
        result: Result<Box<TreeFile>, String>,
        /// The request to open and select afterwards.
        select: Option<String>,
        /// What to say when it worked ("Saved …").
        done: String,
    },
    HistoryLoaded(Result<Loaded, String>),
    /// A watched collection file changed on disk.
    FileChanged(PathBuf),
    /// A collection file read again after it changed on disk.
    FileReloaded(Box<TreeFile>),
    /// A background job failed in a way the user should hear about (shown on the error line).
    Problem(String),
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    /// The external editor closed: the text it left, or why it did not run.
    EditedExternally {
        field: ExternalField,
        result: Result<String, String>,
    },
    /// The copy is done: how (`the terminal (OSC 52) and wl-copy`), or why not.
    Copied {
        what: String,
        result: Result<String, String>,
    },
    Resize(u16, u16),
    /// The spinner's clock, sent only while a request is in flight.
    Tick,
    Http(HttpEvent),
    BodyPrepared {
        id: RequestId,
        kind: DocKind,
        doc: Arc<Document>,
        /// Prepared with secrets shown (a result for the other state is stale).
        revealed: bool,
    },
    Highlighted {
        id: RequestId,
        chunk: usize,
        lines: Vec<StyledLine>,
        /// The document highlighted (a merged document may have replaced it since).
        doc: Arc<Document>,
    },
    /// Lines of a body kept on disk, read for the screen (or why they could not be).
    LinesRead {
        id: RequestId,
        chunk: usize,
        lines: Result<Vec<StyledLine>, String>,
    },
    /// Paging detection for a response: the pager and the first page's items, or `None`.
    PagingDetected {
        id: RequestId,
        found: Option<Box<(Pager, Vec<Value>)>>,
    },
    /// All pages' items as one JSON array document (merge number `generation`).
    PagesMerged {
        id: RequestId,
        generation: u64,
        doc: Arc<Document>,
        revealed: bool,
    },
    /// One page's response as text, for the Raw tab.
    PageRawPrepared {
        id: RequestId,
        page: usize,
        doc: Arc<Document>,
        revealed: bool,
    },
    Saved {
        id: RequestId,
        path: PathBuf,
        outcome: SaveOutcome,
    },
    /// What the background run of the Runner pane reports.
    Run(RunMsg),
    /// One of its steps' exchanges as the history stores it (built and redacted off the UI
    /// thread).
    RunRecord(Box<HistoryRecord>),
    /// A response checked against its request's `expect`, and what it captured.
    Checked {
        id: RequestId,
        checked: Box<Checked>,
    },
    /// A search (`Effect::Search`) went on: its matches since the last report.
    Searched(SearchProgress),
    /// A comparison of two bodies (`Effect::CompareBodies`) came back.
    Compared {
        id: RequestId,
        against: RequestId,
        result: Result<Compared, String>,
    },
    /// A filter run (`Effect::RunFilter`) came back.
    Filtered {
        id: RequestId,
        generation: u64,
        result: Result<Filtered, FilterProblem>,
    },
    /// The body editor's JSON check `ticket` (`Effect::CheckJson`): where the body breaks
    /// (`None`: valid JSON), or why the check failed.
    JsonChecked {
        ticket: u64,
        result: Result<Option<crate::highlight::JsonIssue>, String>,
    },
    /// A picture encoded for the terminal (`Effect::EncodePicture`), or why it does not decode.
    PictureEncoded {
        key: crate::app::picture::Key,
        result: Result<crate::app::picture::Encoded, String>,
    },
}

/// What a save writes: the response's body as received, or the items of every page loaded
/// (as one JSON array, serialized off the UI thread).
#[derive(Debug, Clone)]
pub enum SaveBody {
    Bytes(Bytes),
    Pages {
        pages: Vec<Arc<Vec<Value>>>,
        /// How many items the pages hold, for the message.
        items: usize,
    },
    /// A body too large for memory: its whole file, copied.
    File(Arc<crate::model::Spilled>),
}

/// How a body save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Written: how many bytes, and how many items when pages were saved.
    Written {
        bytes: u64,
        items: Option<usize>,
    },
    /// The file exists and overwriting was not asked for.
    Exists,
    Failed(String),
}

#[derive(Debug)]
// As with the worker's `Command`: one `Send` per request the user sends, not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    /// Load every collection at `path` (None: only the built-in demo), in the background.
    LoadCollections {
        path: Option<PathBuf>,
        injected: Vec<(String, String)>,
    },
    /// Replace a collection file with `text`, atomically, if it still holds `expected` (None:
    /// the file must not exist yet).
    WriteCollection {
        path: PathBuf,
        expected: Option<String>,
        text: String,
        select: Option<String>,
        done: String,
    },
    LoadHistory {
        path: PathBuf,
    },
    /// Watch these collection files (with the modification times scout knows) for changes.
    Watch(Vec<(PathBuf, Option<SystemTime>)>),
    ReloadFile(PathBuf),
    AppendHistory {
        path: PathBuf,
        record: Box<HistoryRecord>,
    },
    /// Send a request (the worker's job: spec resolved, timeouts, retries, auth).
    Send(Job),
    Cancel(RequestId),
    /// End the download of `id`'s body where it is, keeping what arrived.
    Stop(RequestId),
    /// Detect whether a response pages (parses the JSON body: `spawn_blocking`).
    DetectPaging {
        id: RequestId,
        configured: Option<Pagination>,
        url: String,
        response: Box<ResponseData>,
    },
    /// Load the next page or all remaining ones (the worker, cancellable by id).
    Paginate {
        id: RequestId,
        pager: Box<Pager>,
        job: Box<Job>,
        load: Load,
    },
    /// Serialize every page's items as one JSON array and index it (`spawn_blocking`).
    MergePages {
        id: RequestId,
        generation: u64,
        pages: Vec<Arc<Vec<Value>>>,
        secrets: Vec<String>,
        revealed: bool,
    },
    /// A page's response body as text for the Raw tab (`spawn_blocking`).
    PreparePageRaw {
        id: RequestId,
        page: usize,
        body: Bytes,
        content_type: Option<String>,
        secrets: Vec<String>,
        revealed: bool,
    },
    /// Check a response against its request's `expect` and take its `capture`s (parses the
    /// body: `spawn_blocking`).
    Check {
        id: RequestId,
        plan: Box<CheckPlan>,
        response: Box<ResponseData>,
        secrets: Vec<String>,
    },
    /// Replay runs of a collection in the background (the Runner pane), reporting as
    /// [`Msg::Run`]; a new run stops one still going.
    StartRun(Box<RunJob>),
    /// Stop the run (what ran is kept).
    StopRun {
        generation: u64,
    },
    /// List a folder for the file picker.
    ListDir(PathBuf),
    /// Decode, pretty-print and index a body (CPU work: `spawn_blocking`).
    PrepareBody {
        id: RequestId,
        body: Bytes,
        content_type: Option<String>,
        /// Only the first part of the body is here (kept by history, or cut to fit the memory
        /// budget): what to say instead of blaming the body for ending early.
        truncated: Option<String>,
        /// Replaced by `[redacted]` before anything is shown (empty: shown as received).
        secrets: Vec<String>,
        revealed: bool,
    },
    /// Highlight lines `chunk * CHUNK_LINES ..` of `doc` (CPU work: `spawn_blocking`).
    Highlight {
        id: RequestId,
        chunk: usize,
        doc: Arc<Document>,
    },
    /// Search a body kept on disk for `query` (file I/O and CPU work: `spawn_blocking`),
    /// reporting as [`Msg::Searched`], as [`Effect::Search`] does.
    SearchFile {
        generation: u64,
        spilled: Arc<crate::model::Spilled>,
        query: crate::inspect::search::Query,
        cancel: Arc<std::sync::atomic::AtomicBool>,
    },
    /// Read lines `chunk * CHUNK_LINES ..` of a body kept on disk, prepared for the screen with
    /// `secrets` redacted (file I/O and CPU work: `spawn_blocking`).
    ReadLines {
        id: RequestId,
        chunk: usize,
        spilled: Arc<crate::model::Spilled>,
        /// The response's, for highlighting each line (JSON Lines as JSON).
        content_type: Option<String>,
        secrets: Vec<String>,
    },
    /// Write a body to a file; `overwrite` false means fail if it exists.
    SaveBody {
        id: RequestId,
        path: PathBuf,
        body: SaveBody,
        /// Replaced by `[redacted]` in the file (empty when the user revealed secrets).
        secrets: Vec<String>,
        overwrite: bool,
    },
    /// Put `text` on the clipboard (the terminal's through OSC 52, and the system's where there
    /// is one); `secret` text is never written to a file as a last resort.
    Copy {
        text: String,
        what: String,
        secret: bool,
    },
    /// Keep the pane sizes (`layout.toml`) for the next run.
    WriteLayout {
        path: PathBuf,
        text: String,
    },
    /// Open `text` in the user's editor (`$VISUAL`, `$EDITOR`) with the terminal handed over,
    /// and read it back (a private temporary file, removed after).
    EditExternally {
        field: ExternalField,
        text: String,
        extension: &'static str,
    },
    /// Check a large JSON body in the editor as check `ticket` (CPU work: `spawn_blocking`).
    CheckJson {
        ticket: u64,
        text: String,
    },
    /// Run a filter (`|`) over a shown body after `pause`, unless `cancel` is set by then (the
    /// text changed); CPU work: `spawn_blocking`.
    RunFilter {
        id: RequestId,
        generation: u64,
        text: String,
        doc: Arc<Document>,
        cancel: Arc<std::sync::atomic::AtomicBool>,
        pause: std::time::Duration,
    },
    /// Search `doc` for `query`, reporting matches as they are found, until `cancel` is set
    /// (CPU work: `spawn_blocking`).
    Search {
        generation: u64,
        doc: Arc<Document>,
        query: crate::inspect::search::Query,
        cancel: Arc<std::sync::atomic::AtomicBool>,
    },
    /// Compare two bodies as JSON (`before`: exchange `against`'s), masking `ignore`; the
    /// changes list values with `secrets` redacted. CPU work: `spawn_blocking`.
    CompareBodies {
        id: RequestId,
        against: RequestId,
        before: Bytes,
        after: Bytes,
        ignore: Vec<String>,
        secrets: Vec<String>,
    },
    /// Decode a picture body and encode it for the terminal's `graphics`, to fit `key`'s area
    /// (CPU work: `spawn_blocking`).
    EncodePicture {
        key: crate::app::picture::Key,
        body: Bytes,
        kind: crate::highlight::picture::Kind,
        graphics: crate::app::picture::Graphics,
    },
    /// Give the terminal back and stop, as Ctrl+Z does in a shell (the event loop does it).
    Suspend,
    Quit,
}

/// A run to replay for the Runner pane: the steps of one collection file, sent as `scout run`
/// sends them, with the session's captured values to start from.
#[derive(Debug)]
pub struct RunJob {
    pub generation: u64,
    pub file: LoadedFile,
    pub env_source: EnvSource,
    /// Steps of `file` (its index is 0).
    pub plans: Vec<RunPlan>,
    pub environment: Option<String>,
    pub seed: BTreeMap<String, RunValue>,
    /// The session's answers to the file's prompts.
    pub prompts: BTreeMap<String, String>,
    pub timeouts: TimeoutInput,
    pub work_dir: PathBuf,
}
