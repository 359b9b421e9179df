//! The model: all state lives in [`App`]; [`update::update`] is the only place it changes.

pub mod editor;
pub mod exchange;
pub mod keymap;
pub mod msg;
pub mod samples;
pub mod text;
pub mod update;

use std::path::PathBuf;
use std::time::Instant;

use crate::http::execute::Timeouts;
use crate::http::model::{RequestSpec, cycle};
use crate::http::worker::RequestId;
use crate::ui::theme::Theme;
use editor::Editor;
use exchange::History;
use keymap::Keymap;
use text::TextInput;

pub use msg::{DocKind, Effect, Msg, SaveOutcome};
pub use update::update;

/// The four panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Editor,
    Response,
    History,
    Requests,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Editor, Pane::Response, Pane::History, Pane::Requests];

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
}

impl ResponseTab {
    pub const ALL: [ResponseTab; 4] = [
        ResponseTab::Body,
        ResponseTab::Headers,
        ResponseTab::Raw,
        ResponseTab::Request,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ResponseTab::Body => "Body",
            ResponseTab::Headers => "Headers",
            ResponseTab::Raw => "Raw",
            ResponseTab::Request => "Request",
        }
    }

    pub fn step(self, forward: bool) -> ResponseTab {
        cycle(&ResponseTab::ALL, self, forward)
    }
}

/// Scroll position of the response pane's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scroll {
    pub top: usize,
    pub left: usize,
}

/// A ready-made request shown in the Requests pane (the demo API's tour).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub name: String,
    pub spec: RequestSpec,
}

/// Modal things drawn over the panes; they take the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// Asking where to save the shown response body.
    SavePath {
        input: TextInput,
        id: RequestId,
    },
    /// The file exists: overwrite?
    ConfirmOverwrite {
        path: PathBuf,
        id: RequestId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

pub struct App {
    pub editor: Editor,
    pub history: History,
    pub samples: Vec<Sample>,
    pub sample_selected: usize,
    pub focus: Pane,
    /// The exchange the response pane shows.
    pub shown: Option<RequestId>,
    pub response_tab: ResponseTab,
    pub scroll: Scroll,
    pub overlay: Option<Overlay>,
    /// The one-line message above the footer hints (app-level news and errors).
    pub notice: Option<Notice>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Terminal size, kept so `update` can map mouse clicks and know the viewport.
    pub size: (u16, u16),
    pub timeouts: Timeouts,
    /// Where saved bodies go and relative file parts resolve.
    pub work_dir: PathBuf,
    /// The clock as of the last message, for the spinner's elapsed time (draw never reads the clock).
    pub now: Instant,
    pub spinner: usize,
    pub next_id: RequestId,
    pub should_quit: bool,
}

impl App {
    pub fn new(editor: Editor, samples: Vec<Sample>, timeouts: Timeouts) -> App {
        App {
            editor,
            history: History::default(),
            samples,
            sample_selected: 0,
            focus: Pane::Editor,
            shown: None,
            response_tab: ResponseTab::Body,
            scroll: Scroll::default(),
            overlay: None,
            notice: None,
            keymap: Keymap::default(),
            theme: Theme::default(),
            size: (120, 40),
            timeouts,
            work_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            now: Instant::now(),
            spinner: 0,
            next_id: 1,
            should_quit: false,
        }
    }

    /// Whether any request is in flight (the event loop ticks the spinner only then).
    pub fn is_busy(&self) -> bool {
        self.history.entries.iter().any(|e| e.is_loading())
    }

    pub fn shown_exchange(&self) -> Option<&exchange::Exchange> {
        self.shown.and_then(|id| self.history.get(id))
    }
}
