//! The real terminal: raw mode, the alternate screen, mouse and bracketed paste switched on for
//! the run and off after it, also when the UI thread panics or the process is told to end
//! (SIGTERM, SIGINT, or SIGHUP when the terminal closes: the run ends as by quitting, so bodies
//! kept in temporary files are removed). A panic on a background thread (a worker task) leaves the UI
//! running and is reported once the terminal is restored.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::app::App;

/// Why the full-screen run ended badly.
#[derive(Debug)]
pub enum TerminalError {
    /// The terminal could not be switched to full screen (not a terminal, say).
    Setup(io::Error),
    /// Reading input or drawing failed while running.
    Run(io::Error),
}

impl fmt::Display for TerminalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TerminalError::Setup(e) => write!(
                f,
                "could not set up the terminal (scout needs an interactive terminal; try `scout \
                 send` in scripts): {e}"
            ),
            TerminalError::Run(e) => write!(f, "the terminal stopped working: {e}"),
        }
    }
}

impl std::error::Error for TerminalError {}

/// Runs `app` full screen on `runtime` until it quits. Returns how long after `started` the
/// first frame was on screen (after which the syntax highlighter is loaded).
pub fn run_full_screen(
    runtime: &tokio::runtime::Runtime,
    app: &mut App,
    started: Instant,
) -> Result<Option<Duration>, TerminalError> {
    install_panic_hook();
    // Listening before the terminal is taken, so a signal at any moment after restores it.
    let ending = {
        let _runtime = runtime.enter();
        EndSignals::install()
    };
    let mut terminal = match setup(app) {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(TerminalError::Setup(e));
        }
    };
    let mut first_frame_at = None;
    let result = runtime.block_on(async {
        let run = super::run(app, &mut terminal, EventStream::new(), || {
            first_frame_at = Some(started.elapsed());
            crate::highlight::preload();
        });
        tokio::select! {
            result = run => result,
            () = ending.wait() => Ok(()),
        }
    });
    restore();
    report_background_panics();
    result.map_err(TerminalError::Run)?;
    Ok(first_frame_at)
}

/// The signals that end the run as quitting does: SIGTERM, SIGHUP (its terminal went away), and
/// SIGINT sent to it (`kill -INT`; the Ctrl+C key is a key in raw mode). None where they cannot
/// be installed (then the run ends only by quitting).
struct EndSignals {
    #[cfg(unix)]
    signals: Option<[tokio::signal::unix::Signal; 3]>,
}

impl EndSignals {
    /// Installs the handlers (inside the runtime); from here on those signals are caught.
    fn install() -> EndSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signals = match (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
                signal(SignalKind::interrupt()),
            ) {
                (Ok(term), Ok(hup), Ok(int)) => Some([term, hup, int]),
                _ => None,
            };
            EndSignals { signals }
        }
        #[cfg(not(unix))]
        EndSignals {}
    }

    /// Resolves when one of them arrives; never without them.
    async fn wait(self) {
        #[cfg(unix)]
        if let Some([mut term, mut hup, mut int]) = self.signals {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
            return;
        }
        std::future::pending::<()>().await;
    }
}

/// Raw mode, the alternate screen, mouse reports and bracketed paste; how the terminal draws
/// pictures, guessed from the environment (nothing is read from it).
fn setup(app: &mut App) -> io::Result<Terminal<CrosstermBackend<io::Stdout>>> {
    take_over()?;
    app.pictures.graphics = super::picture::guess_graphics();
    app.theme.plain = crate::theme::no_color();
    // The frame comes without colours then (see `ui::draw`); crossterm writing its attributes
    // as usual keeps reverse video and bold.
    ratatui::crossterm::style::force_color_output(true);
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

/// Raw mode, the alternate screen, mouse reports and bracketed paste: the terminal is the app's
/// (at start, and again after an external editor had it).
pub(super) fn take_over() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub(super) fn restore() {
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = stdout.flush();
}

/// Panics on background threads, kept until the terminal is restored so they don't garble it.
static BACKGROUND_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// A panic on the UI thread restores the terminal first, then prints its message where it can
/// be read. One on a background thread is kept for [`report_background_panics`].
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            restore();
            default(info);
        } else if let Ok(mut panics) = BACKGROUND_PANICS.lock() {
            panics.push(info.to_string());
        }
    }));
}

/// Prints what background threads panicked with (called after the terminal is restored).
fn report_background_panics() {
    if let Ok(panics) = BACKGROUND_PANICS.lock() {
        for p in panics.iter() {
            eprintln!("scout: a background task failed: {p}");
        }
    }
}
