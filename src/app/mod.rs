//! The model: all state lives in [`App`]; [`update::update`] is the only place it changes.

pub mod collections;
pub mod copy;
pub mod edit;
pub mod editor;
pub mod exchange;
pub mod explain;
pub mod files;
pub mod history_pane;
pub mod hits;
pub mod json_check;
pub mod keymap;
pub mod list;
pub mod live;
pub mod msg;
pub mod overlays;
pub mod own_auth;
pub mod paging;
pub mod palette;
pub mod panes;
pub mod paste_curl;
pub mod picture;
pub mod reader;
pub mod runner;
pub mod saving;
pub mod sending;
pub mod spilled;
#[cfg(test)]
pub mod testing;
pub mod text;
pub mod tree;
pub mod try_it;
pub mod typing;
pub mod update;
pub mod view;
pub mod wire;

#[cfg(test)]
mod checks_tests;
#[cfg(test)]
mod method_tests;
#[cfg(test)]
mod own_auth_tests;
#[cfg(test)]
mod palette_tests;
#[cfg(test)]
mod runner_tests;
#[cfg(test)]
mod typing_tests;

use std::path::PathBuf;
use std::time::Instant;

use editor::Editor;
use exchange::{Exchange, History};
use hits::HitMap;
use keymap::Keymap;
use list::ListState;
pub use msg::{DocKind, Effect, Msg, SaveBody, SaveOutcome};
use text::TextInput;
use tree::CollectionTree;
pub use update::{Now, update, update_at};

use crate::collection::SavedRequest;
use crate::http::job::RequestId;
use crate::http::plan::TimeoutInput;
use crate::model::cycle;
use crate::template::{EnvSource, RunValue, Scope};
use crate::theme::Theme;

/// The four panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Editor,
    Response,
    History,
    /// A run's steps (in the History pane's place while a run is shown).
    Runner,
    Collections,
}

impl Pane {
    pub const ORDER: [Pane; 5] = [
        Pane::Editor,
        Pane::Response,
        Pane::History,
        Pane::Runner,
        Pane::Collections,
    ];

    pub fn step(self, forward: bool) -> Pane {
        cycle(&Pane::ORDER, self, forward)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseTab {
    #[default]
    Body,
    Headers,
    Raw,
    /// What was sent, as written in the editor at the time.
    Request,
    /// The request and response as they crossed the connection.
    Wire,
    /// Where the time went: DNS, connect, waiting, download; new or reused connection.
    Timing,
    /// What a cache may do with the response: storable, fresh for how long, validators, Vary.
    Cache,
    /// The cookie jar of the exchange's collection.
    Cookies,
    /// Every page of a paged response (offered only when the shown response pages).
    Pages,
    /// Each expectation and capture of the request, checked (offered only when it has some).
    Checks,
}

impl ResponseTab {
    pub fn title(self) -> &'static str {
        match self {
            ResponseTab::Body => "Body",
            ResponseTab::Headers => "Headers",
            ResponseTab::Raw => "Raw",
            ResponseTab::Request => "Request",
            ResponseTab::Wire => "Wire",
            ResponseTab::Timing => "Timing",
            ResponseTab::Cache => "Cache",
            ResponseTab::Cookies => "Cookies",
            ResponseTab::Pages => "Pages",
            ResponseTab::Checks => "Checks",
        }
    }

    /// The tabs `x` offers: Body, Checks when its request has checks, Headers, Raw, Request,
    /// Wire and Timing when the transport captured and measured it, Cache, Cookies, and Pages when
    /// the response pages.
    pub fn offered(x: &Exchange) -> Vec<ResponseTab> {
        let response = x.response();
        let mut tabs = vec![ResponseTab::Body];
        if x.check.is_some() {
            tabs.push(ResponseTab::Checks);
        }
        tabs.extend([ResponseTab::Headers, ResponseTab::Raw, ResponseTab::Request]);
        if response.is_some_and(|r| !r.wire.is_empty()) {
            tabs.push(ResponseTab::Wire);
        }
        if response.is_some_and(|r| r.timing.is_some()) {
            tabs.push(ResponseTab::Timing);
        }
        tabs.push(ResponseTab::Cache);
        tabs.push(ResponseTab::Cookies);
        if x.paging.is_some() {
            tabs.push(ResponseTab::Pages);
        }
        tabs
    }

    /// The next (or previous) of the `offered` tabs.
    pub fn step(self, forward: bool, offered: &[ResponseTab]) -> ResponseTab {
        cycle(offered, self, forward)
    }
}

/// Scroll position of the response pane's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scroll {
    pub top: usize,
    pub left: usize,
}

/// Where the editor's request came from: a saved request of a collection file.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub path: PathBuf,
    /// The request as it stands in the file (what "unsaved edits" compare against).
    pub saved: SavedRequest,
}

/// What a one-line prompt is asking for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    /// A name for the editor's request, saved into `file` (tree index) under `folder`.
    SaveAs { file: usize, folder: Option<String> },
    /// A new display name for a saved request.
    Rename { path: PathBuf, id: String },
    /// The folder to move a saved request to (empty: the top level).
    Move { path: PathBuf, id: String },
    /// The name of a new, empty request in `file` under `folder`.
    New { file: usize, folder: Option<String> },
    /// The answer to prompt `key` of the collection at `collection` (a secret: shown masked).
    Secret { collection: PathBuf, key: String },
    /// A method by name, for one the selector does not offer (`PURGE`, `QUERY`).
    Method,
}

/// What a yes/no question is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmPurpose {
    /// Quit although the editor has unsaved edits.
    QuitUnsaved,
    /// Open another request although the editor has unsaved edits.
    DiscardAndOpen { file: usize, index: usize },
    /// Put a history entry into the editor although the editor has unsaved edits.
    DiscardAndRestore { id: RequestId },
    /// Delete a saved request from its file.
    Delete { path: PathBuf, id: String },
    /// Send "try it" action `index` of exchange `from` (the Explain panel's digits).
    TryIt { from: RequestId, index: usize },
    /// Replace the editor's request with a pasted curl command.
    PasteCurl(Box<crate::import::curl::Curl>),
}

impl ConfirmPurpose {
    /// Whether the question is about the editor's unsaved edits (which saving answers too).
    pub fn is_about_unsaved_edits(&self) -> bool {
        !matches!(
            self,
            ConfirmPurpose::Delete { .. }
                | ConfirmPurpose::TryIt { .. }
                | ConfirmPurpose::PasteCurl(_)
        )
    }
}

/// Modal things drawn over the panes; they take the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
        /// `/` in the help: the lines are those matching this.
        search: String,
        /// The search is being typed.
        typing: bool,
    },
    /// Asking where to save the shown response body.
    SavePath { input: TextInput, id: RequestId },
    /// The file exists: overwrite?
    ConfirmOverwrite { path: PathBuf, id: RequestId },
    /// A one-line text answer.
    Prompt {
        purpose: PromptPurpose,
        input: TextInput,
    },
    /// A yes/no question.
    Confirm { purpose: ConfirmPurpose },
    /// A collection file changed on disk while the editor had unsaved edits of one of its
    /// requests: keep the edits, or take the file's version.
    Conflict { path: PathBuf, id: String },
    /// Choosing the environment of collection `file`: row 0 is "none".
    Environments { file: usize, list: ListState },
    /// Choosing a file for a multipart part or a file body.
    FilePicker(files::FilePicker),
    /// `y`: what to copy (see [`copy`]); `reveal` copies secrets' values.
    Copy { list: ListState, reveal: bool },
    /// The command palette (Ctrl+P).
    Palette(palette::Palette),
    /// Problems to read before going on (the config file's, at start), scrolled to `scroll`.
    Problems {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
}

impl Overlay {
    /// The help, at its top, not searched.
    pub fn help() -> Overlay {
        Overlay::Help {
            scroll: 0,
            search: String::new(),
            typing: false,
        }
    }
}

/// Where fresh ids come from: random in the app, a seeded sequence in tests, so that `update`
/// stays deterministic (the same messages give the same state).
#[derive(Debug, Clone)]
pub struct Ids {
    rng: fastrand::Rng,
}

impl Ids {
    pub fn random() -> Ids {
        Ids {
            rng: fastrand::Rng::new(),
        }
    }

    pub fn seeded(seed: u64) -> Ids {
        Ids {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// A random (version 4) UUID, as an `Idempotency-Key` wants: unique, not secret.
    pub fn uuid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.u128(..).to_le_bytes())
            .into_uuid()
            .to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

#[derive(Debug)]
pub struct App {
    pub editor: Editor,
    pub history: History,
    /// The collection tree: files, open folders, filter, environments.
    pub tree: CollectionTree,
    /// The saved request the editor holds, if it came from a collection.
    pub origin: Option<Origin>,
    /// `env.*` values scout provides itself (the in-process demo's URL).
    pub injected: Vec<(String, String)>,
    /// Where collections are loaded from (`-c`, `./collections`, or the data folder).
    pub collections_path: Option<PathBuf>,
    /// The persistent history file (None: history is kept for this run only).
    pub history_path: Option<PathBuf>,
    /// The id of the newest persisted history record.
    pub last_history_id: u64,
    /// Show the URL bar with its variables resolved.
    pub show_resolved: bool,
    /// `--env`: the environment to select in every collection that has it, once loaded.
    pub initial_env: Option<String>,
    pub focus: Pane,
    /// The exchange the response pane shows.
    pub shown: Option<RequestId>,
    pub response_tab: ResponseTab,
    pub scroll: Scroll,
    pub overlay: Option<Overlay>,
    /// The one-line message above the footer hints (app-level news and errors).
    pub notice: Option<Notice>,
    pub keymap: Keymap,
    /// What was last copied or cut from a text field (Ctrl+V pastes it).
    pub register: String,
    /// Actions lately chosen in the command palette, the latest first (it lists them first).
    pub recent_actions: Vec<keymap::Action>,
    /// How the panes share the screen (`<`, `>`, `z`).
    pub panes: panes::PaneSizes,
    /// Where the side column's width is kept between runs (None: not kept).
    pub layout_path: Option<PathBuf>,
    pub theme: Theme,
    /// Terminal size, as last reported.
    pub size: (u16, u16),
    /// Where the last frame drew things: what clicks and page sizes are mapped with.
    pub hits: HitMap,
    /// Where fresh ids (an Idempotency-Key) come from.
    pub ids: Ids,
    /// The most memory exchanges keep in full (see [`history_pane::MEMORY_BUDGET`]).
    pub memory_budget: usize,
    /// The config file's timeouts and the command line's flags (which win over a saved
    /// request's own).
    pub timeouts: TimeoutInput,
    /// Where saved bodies go and relative file parts resolve.
    pub work_dir: PathBuf,
    /// Wall-clock time as of the last message (token expiry, rate-limit resets).
    pub wall: std::time::SystemTime,
    /// The clock as of the last message, for the spinner's elapsed time (draw never reads the clock).
    pub now: Instant,
    pub spinner: usize,
    pub next_id: RequestId,
    /// The last ticket given to a JSON check of the body editor (`json_check`).
    pub json_tickets: u64,
    pub should_quit: bool,
    /// Every OAuth2 token's state as the worker last reported it, for the Auth tab. The worker
    /// owns the tokens; this is its snapshot.
    pub tokens: crate::model::TokenStates,
    /// Each cookie jar's cookies as the worker last reported them, by jar key, for the Cookies
    /// tab. The worker owns the jars; this is its snapshot.
    pub cookies: std::collections::BTreeMap<String, Vec<crate::http::cookies::CookieView>>,
    /// Answers typed at prompts, by collection and prompt key: asked once per run, in memory
    /// only.
    pub prompted: std::collections::BTreeMap<PathBuf, std::collections::BTreeMap<String, String>>,
    /// Values captured from responses this session (a saved request's `capture`), by
    /// collection: they feed `{{…}}` in that collection's requests, below `--var`. In memory
    /// only; listed, and forgotten with `x`, in the environment picker.
    pub captured: std::collections::BTreeMap<PathBuf, std::collections::BTreeMap<String, RunValue>>,
    /// The Explain panel is shown beside the response (`e`), scrolled this far.
    pub explain: bool,
    pub explain_scroll: usize,
    /// The run shown in the Runner pane (`Ctrl+G`), going or done.
    pub runner: Option<runner::Runner>,
    /// The user asked to see secrets on screen (`R`); they are hidden by default.
    pub reveal: bool,
    /// Reading the shown body: its cursor, folds, wrap.
    pub reader: reader::Reader,
    /// How the terminal draws pictures, and the shown response's picture.
    pub pictures: picture::Pictures,
}

impl App {
    pub fn new(editor: Editor, timeouts: TimeoutInput) -> App {
        App {
            editor,
            history: History::default(),
            tree: CollectionTree::default(),
            origin: None,
            injected: Vec::new(),
            collections_path: None,
            history_path: None,
            last_history_id: 0,
            show_resolved: false,
            initial_env: None,
            focus: Pane::Editor,
            shown: None,
            response_tab: ResponseTab::Body,
            scroll: Scroll::default(),
            overlay: None,
            notice: None,
            keymap: Keymap::default(),
            register: String::new(),
            recent_actions: Vec::new(),
            panes: Default::default(),
            layout_path: None,
            theme: Theme::default(),
            size: (120, 40),
            hits: HitMap::default(),
            ids: Ids::random(),
            memory_budget: history_pane::MEMORY_BUDGET,
            timeouts,
            work_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            now: Instant::now(),
            wall: std::time::SystemTime::now(),
            spinner: 0,
            next_id: 1,
            json_tickets: 0,
            should_quit: false,
            tokens: Default::default(),
            cookies: Default::default(),
            prompted: Default::default(),
            captured: Default::default(),
            explain: false,
            explain_scroll: 0,
            runner: None,
            reveal: false,
            reader: Default::default(),
            pictures: Default::default(),
        }
    }

    /// Whether any request is in flight (the event loop ticks the spinner only then).
    pub fn is_busy(&self) -> bool {
        self.history.entries.iter().any(exchange::Exchange::is_busy)
            || self.runner.as_ref().is_some_and(|r| r.running)
    }

    pub fn shown_exchange(&self) -> Option<&exchange::Exchange> {
        self.shown.and_then(|id| self.history.get(id))
    }

    /// Whether the shown response pages (the Pages tab is offered).
    pub fn shown_pages(&self) -> bool {
        self.shown_exchange().is_some_and(|x| x.paging.is_some())
    }

    /// Whether the shown response is checked (its request has `expect` or `capture`).
    pub fn shown_checked(&self) -> bool {
        self.shown_exchange().is_some_and(|x| x.check.is_some())
    }

    /// The tabs the shown exchange offers ([`ResponseTab::offered`]).
    pub fn shown_tabs(&self) -> Vec<ResponseTab> {
        self.shown_exchange()
            .map_or_else(|| vec![ResponseTab::Body], ResponseTab::offered)
    }

    /// The folder relative file parts and file bodies resolve against (and the file picker
    /// starts in), as the planner resolves them: the folder of the collection the request
    /// resolves against, else the working folder.
    pub fn base_dir(&self) -> PathBuf {
        match self
            .scope_file()
            .and_then(|f| self.tree.collection(f))
            .map(|c| c.dir())
        {
            Some(dir) if !dir.as_os_str().is_empty() => self.work_dir.join(dir),
            _ => self.work_dir.clone(),
        }
    }

    /// Whether the editor differs from the saved request it was opened from.
    pub fn is_dirty(&self) -> bool {
        self.origin
            .as_ref()
            .is_some_and(|o| self.editor.differs_from(&o.saved))
    }

    /// The pane under the collections: the runner while a run is shown, in the history's place.
    pub fn lower_pane(&self) -> Pane {
        if self.runner.is_some() {
            Pane::Runner
        } else {
            Pane::History
        }
    }

    /// The collection whose variables the editor's request resolves against: the one it came
    /// from, else the one selected in the tree.
    pub fn scope_file(&self) -> Option<usize> {
        match &self.origin {
            Some(o) => self.tree.file_index(&o.path),
            None => self.tree.selected_file(),
        }
    }

    /// Where the editor's request finds `{{env.NAME}}`: its collection's `.env` and the
    /// process, with scout's own values (the demo's address) first.
    pub fn env_source(&self) -> EnvSource {
        let file = self.scope_file().and_then(|f| self.tree.files.get(f));
        let mut source = file.map(|f| f.env_source.clone()).unwrap_or_default();
        for (k, v) in &self.injected {
            source = source.with_injected(k, v);
        }
        source
    }

    /// The variables for the editor's request (None when no collection applies).
    pub fn scope(&self) -> Option<Result<Scope, String>> {
        let file = self.scope_file()?;
        let tf = self.tree.files.get(file)?;
        let collection = tf.collection()?;
        let env = self.tree.environments.get(tf.path()).map(String::as_str);
        Some(
            crate::collection::scope_for(collection, env, &[], self.env_source()).map(
                |mut scope| {
                    scope.prompted = self.prompted.get(tf.path()).cloned().unwrap_or_default();
                    scope
                },
            ),
        )
    }

    /// The auth profile the editor's request is sent with, by name: the editor's own choice,
    /// else its folders' and collection's (for a saved request). An error names a profile
    /// that does not exist.
    pub fn auth_profile(&self) -> Result<Option<(String, crate::model::AuthProfile)>, String> {
        let Some(file) = self.scope_file() else {
            return Ok(None);
        };
        let Some(collection) = self.tree.collection(file) else {
            return Ok(None);
        };
        // A request in no collection has none of its profiles (its own credentials are
        // `editor.own_auth`).
        let found = match &self.origin {
            // The saved request's folder and settings, with the editor's auth choice (what
            // `auth_for` would read of `apply_to`, without building the request on each frame).
            Some(o) => {
                let own = crate::model::settings::Settings {
                    auth: self.editor.auth.clone(),
                    ..o.saved.settings.clone()
                };
                collection.auth_in(o.saved.folder.as_deref(), &own)?
            }
            None => None,
        };
        Ok(found.map(|(name, profile)| (name.to_string(), profile.clone())))
    }
}
