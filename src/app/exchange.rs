//! One sent request and what became of it: the unit of the history pane and the response pane.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::list::ListState;
use crate::app::paging::Paging;
use crate::app::reader::diff::BodyDiff;
use crate::app::reader::filter::BodyFilter;
use crate::app::text::TextInput;
use crate::check::{Capture, CheckResult, Expect};
use crate::highlight::{Document, StyledLine};
use crate::history::{HistoryEntryView, HistoryFilter, MAX_BODY_BYTES, Outcome, StoredBody};
use crate::http::HttpError;
use crate::http::attempts::AttemptReport;
use crate::http::job::{Job, RequestId};
use crate::model::{Method, Redactor, RequestSpec, ResponseData, Secrets, secret_header_values};

/// Lines highlighted per background job; the cache is keyed by chunk index.
pub const CHUNK_LINES: usize = 128;
/// Chunks kept around the viewport; farther ones are dropped to bound memory on huge bodies.
const MAX_CACHED_CHUNKS: usize = 48;
/// About what one highlighted line holds (its spans and their text), for the memory budget.
const STYLED_LINE_BYTES: usize = 256;

#[derive(Debug)]
pub enum ExchangeState {
    /// Waiting for the response, then downloading its body: `received` bytes of `total` (of
    /// the attempt under way).
    Loading {
        received: u64,
        total: Option<u64>,
        /// Esc asked the worker to stop the download here and keep what arrived.
        stopping: bool,
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

impl ExchangeState {
    /// Just sent: nothing arrived yet.
    pub fn loading() -> ExchangeState {
        ExchangeState::Loading {
            received: 0,
            total: None,
            stopping: false,
        }
    }
}

#[derive(Debug)]
pub struct Exchange {
    pub id: RequestId,
    /// The request as written in the editor (variables unresolved).
    pub spec: RequestSpec,
    /// What went on the wire: variables resolved (the Request tab shows it).
    pub sent: RequestSpec,
    /// Resolved values of secret variables and auth fields, and the credentials the worker
    /// reported sending: redacted on screen and before anything is written to disk.
    pub secrets: Secrets,
    /// Wall-clock send time (ms since the epoch), for the persisted history.
    pub sent_at_ms: u64,
    /// Loaded from the history file (so not written again).
    pub from_store: bool,
    pub started: Instant,
    pub state: ExchangeState,
    /// The kind of auth profile it was sent with (`basic`, `oauth2-client-credentials`, …), for
    /// explaining a 401.
    pub auth_kind: Option<&'static str>,
    /// Attempts that failed and were (or were not) retried, with when each report arrived.
    pub attempts: Vec<(AttemptReport, Instant)>,
    /// The cookie jar it used (`Job::jar`): its collection's path, `""` outside collections.
    pub jar: String,
    /// The job it was sent as (kept so later pages go out the same way); `None` for
    /// exchanges from the stored history.
    pub job: Option<Box<Job>>,
    /// Set once the response turns out to page (`m` / `M` load more).
    pub paging: Option<Paging>,
    /// What its response is checked against and captured from (a saved request's `expect`
    /// and `capture`); `None`: nothing to check.
    pub check: Option<Box<CheckPlan>>,
    /// The checks, once done (each expectation, then each capture).
    pub checks: Option<Vec<CheckResult>>,
    /// The run that sent it (the Runner pane), recorded with it in the history.
    pub run: Option<String>,
    /// The jq/JSONPath filter over its body (`|` in the Body tab), with its last result.
    pub filter: Option<BodyFilter>,
    /// The paths a comparison with another response ignores (its request's `view.ignore`).
    pub ignore: Vec<String>,
    /// Its comparison with an earlier response (`D`), while shown.
    pub diff: Option<BodyDiff>,
    /// While its response streams (server-sent events): the body so far.
    pub live: Option<Box<crate::app::live::Live>>,
}

/// A saved request's `expect` and `capture`, kept with its exchange: the Checks tab, and the
/// values it captures for the session.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckPlan {
    pub expect: Option<Expect>,
    pub capture: Vec<(String, Capture)>,
    /// The request's `folder/id`.
    pub by: String,
    /// Its collection file: captured values feed that collection's requests.
    pub collection: std::path::PathBuf,
}

impl CheckPlan {
    /// The plan for `saved` of the file at `path` checked against `expect` (its own, or a run
    /// step's), if there is anything to check or capture.
    pub fn of(
        saved: &crate::collection::SavedRequest,
        expect: Option<&Expect>,
        path: &std::path::Path,
    ) -> Option<CheckPlan> {
        (expect.is_some() || !saved.capture.is_empty()).then(|| CheckPlan {
            expect: expect.cloned(),
            capture: saved.capture.clone(),
            by: saved.path(),
            collection: path.to_path_buf(),
        })
    }
}

impl Exchange {
    /// An exchange of `spec` (sent as written) in `state`, started at `started`: no secrets, no
    /// attempts, not from the store, not paged. Set the other fields where they apply.
    pub fn new(
        id: RequestId,
        spec: RequestSpec,
        state: ExchangeState,
        started: Instant,
    ) -> Exchange {
        Exchange {
            id,
            sent: spec.clone(),
            spec,
            secrets: Secrets::default(),
            sent_at_ms: 0,
            from_store: false,
            started,
            state,
            attempts: Vec::new(),
            auth_kind: None,
            jar: String::new(),
            job: None,
            paging: None,
            check: None,
            checks: None,
            run: None,
            filter: None,
            ignore: Vec::new(),
            diff: None,
            live: None,
        }
    }

    /// Every secret value of this exchange: resolved secret variables and auth fields, and the
    /// values of the secret headers it sent. Redacted on screen (unless revealed) and on disk.
    pub fn secret_values(&self) -> Vec<String> {
        let mut values = self.secrets.0.clone();
        values.extend(secret_header_values(
            self.sent
                .headers
                .iter()
                .filter(|h| h.enabled)
                .map(|h| (h.key.as_str(), h.value.as_str())),
        ));
        values
    }

    /// The secrets what is shown or exported must hide: none once the user revealed them.
    pub fn secrets_for(&self, reveal: bool) -> Vec<String> {
        if reveal {
            Vec::new()
        } else {
            self.secret_values()
        }
    }

    /// The redactor for what the screen shows: every secret, unless the user revealed them.
    pub fn screen_redactor(&self, reveal: bool) -> Option<Redactor> {
        (!reveal).then(|| Redactor::new(self.secret_values()))
    }

    /// While waiting between attempts: the last report and the time left before the next one.
    pub fn waiting(&self, now: Instant) -> Option<(&AttemptReport, Duration)> {
        let (report, at) = self.attempts.last()?;
        let wait = report.wait?;
        self.is_loading().then(|| {
            (
                report,
                wait.saturating_sub(now.saturating_duration_since(*at)),
            )
        })
    }

    /// What became of it, for the history file; `None` while it is still loading.
    pub fn outcome(&self) -> Option<Outcome<'_>> {
        match &self.state {
            ExchangeState::Loading { .. } => None,
            ExchangeState::Done { response, .. } => Some(Outcome::Response(response)),
            ExchangeState::Failed(err) => Some(Outcome::Failed {
                title: err.title(),
                message: err.to_string(),
                hint: err.hint(),
            }),
            ExchangeState::Cancelled { after } => Some(Outcome::Cancelled { after: *after }),
        }
    }

    /// About how much memory this exchange holds: the body, its prepared documents and
    /// highlighting, and every page loaded.
    pub fn memory_bytes(&self) -> usize {
        let ExchangeState::Done { response, view } = &self.state else {
            return 0;
        };
        let pages = self.paging.as_ref().map_or(0, |p| p.memory_bytes());
        let filtered = self.filter.as_ref().map_or(0, BodyFilter::memory_bytes)
            + self
                .diff
                .as_ref()
                .and_then(BodyDiff::shown_doc)
                .map_or(0, |d| d.memory_bytes());
        let live = self.live.as_ref().map_or(0, |l| l.body.capacity());
        response.body.len() + view.memory_bytes_beside(&response.body) + pages + filtered + live
    }

    /// Lets go of everything but what the history file keeps: the first
    /// [`MAX_BODY_BYTES`] of the body; prepared documents, highlighting and further pages are
    /// dropped. Showing the exchange again prepares what is left.
    pub fn keep_only_stored_part(&mut self) {
        let ExchangeState::Done { response, view } = &mut self.state else {
            return;
        };
        let kept = crate::model::cut_len(&response.body, MAX_BODY_BYTES);
        if kept < response.body.len() {
            let note = StoredBody::note(kept as u64, response.body.len() as u64);
            // A copy, so the whole body's buffer is freed.
            response.body = bytes::Bytes::copy_from_slice(&response.body[..kept]);
            **view = BodyView {
                truncated: Some(note),
                ..BodyView::default()
            };
        } else if view.doc.is_some() || view.raw.is_some() || !view.chunks.is_empty() {
            **view = BodyView {
                truncated: view.truncated.take(),
                ..BodyView::default()
            };
        }
        self.paging = None;
        // The filter's result goes too; it runs again on what is left if shown again.
        if let Some(f) = &mut self.filter {
            f.result = None;
            f.source = None;
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.state, ExchangeState::Loading { .. })
    }

    /// Waiting for the response, its stream still coming, or loading pages of it.
    pub fn is_busy(&self) -> bool {
        self.is_loading()
            || self.live.is_some()
            || self.paging.as_ref().is_some_and(|p| p.loading.is_some())
    }

    /// The response the Raw tab shows: the page chosen in the Pages tab, else this one.
    pub fn raw_response(&self) -> Option<&ResponseData> {
        self.response()?;
        self.paging
            .as_ref()
            .and_then(|p| p.raw_response())
            .or(self.response())
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

    /// The document the Body tab shows: the comparison with an earlier response while it is
    /// shown (`D`), else the filter's result while a filter is in force and has one, else the
    /// prepared body.
    pub fn body_doc(&self) -> Option<&Arc<Document>> {
        let view = self.view()?;
        self.diff
            .as_ref()
            .and_then(BodyDiff::shown_doc)
            .or_else(|| self.filter.as_ref().and_then(BodyFilter::shown_doc))
            .or(view.doc.as_ref())
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
    /// A PrepareBody job is under way (for bodies prepared on demand, e.g. from the history).
    pub preparing: bool,
    /// Set when only the first part of the body is here (history keeps at most 1 MB, and the
    /// memory budget cuts old exchanges to that): what the body pane says about it.
    pub truncated: Option<String>,
    /// `None` while the body is being decoded and pretty-printed.
    pub doc: Option<Arc<Document>>,
    /// The body exactly as received (decoded to text), for the Raw tab.
    pub raw: Option<Arc<Document>>,
    pub chunks: BTreeMap<usize, Arc<Vec<StyledLine>>>,
    pub pending: BTreeSet<usize>,
    /// Whether `doc` and `raw` show secrets (prepared while the user revealed them).
    pub revealed: bool,
}

impl BodyView {
    /// The highlighted form of line `i`, if its chunk is ready.
    pub fn styled_line(&self, i: usize) -> Option<&StyledLine> {
        self.chunks
            .get(&(i / CHUNK_LINES))
            .and_then(|c| c.get(i % CHUNK_LINES))
    }

    /// Drops the highlighted chunks (another document shows now).
    pub fn forget_highlights(&mut self) {
        self.chunks.clear();
        self.pending.clear();
    }

    /// Of `chunks` of `doc` (the one shown), those neither cached nor being highlighted; marks
    /// them pending.
    pub fn claim(&mut self, doc: &Document, chunks: BTreeSet<usize>) -> Vec<usize> {
        self.claim_of(doc.line_count().div_ceil(CHUNK_LINES), chunks)
    }

    /// Of `chunks` (of `count`), those neither cached nor under way; marks them pending.
    pub fn claim_of(&mut self, count: usize, chunks: BTreeSet<usize>) -> Vec<usize> {
        let missing: Vec<usize> = chunks
            .into_iter()
            .filter(|c| *c < count && !self.chunks.contains_key(c) && !self.pending.contains(c))
            .collect();
        self.pending.extend(&missing);
        missing
    }

    /// About how much memory the prepared documents and the highlighted chunks hold besides
    /// `body`, the response's (which the Raw view's text may be part of).
    pub fn memory_bytes_beside(&self, body: &[u8]) -> usize {
        let docs: usize = [&self.doc, &self.raw]
            .into_iter()
            .flatten()
            .map(|d| d.memory_bytes_beside(body))
            .sum();
        let lines: usize = self.chunks.values().map(|c| c.len()).sum();
        docs + lines * STYLED_LINE_BYTES
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
impl HistoryEntryView for Exchange {
    fn method(&self) -> Method {
        self.spec.method
    }

    fn url(&self) -> &str {
        &self.spec.url
    }

    fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status)
    }

    fn failed(&self) -> bool {
        matches!(self.state, ExchangeState::Failed(_))
    }
}

#[derive(Debug, Default)]
pub struct History {
    pub entries: Vec<Exchange>,
    /// The cursor over the visible (filtered, newest-first) list.
    pub list: ListState,
    /// Only entries matching this are listed (see `history::filter` for the syntax).
    pub filter: String,
    /// The filter while it is being typed.
    pub filtering: Option<TextInput>,
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

    /// The entries the pane lists: newest first, filtered.
    pub fn visible(&self) -> Vec<&Exchange> {
        let text = match &self.filtering {
            Some(input) => input.text(),
            None => self.filter.clone(),
        };
        let filter = HistoryFilter::parse(&text);
        self.newest_first().filter(|x| filter.matches(*x)).collect()
    }

    pub fn selected(&self) -> Option<&Exchange> {
        self.visible().get(self.list.selected).copied()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
