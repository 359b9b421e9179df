//! The full-loop harness shared by the TUI tests: the real event loop, driven by keys from a
//! channel, drawing on a TestBackend the test reads. Each test binary uses a part of it.
#![allow(dead_code)]

use std::convert::Infallible;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Size};
use scout::app::App;
use scout::app::editor::Editor;
use scout::http::plan::TimeoutInput;
use scout::model::{RequestSpec, Timeouts};
use tokio::sync::mpsc;

/// A TestBackend the test can read while the loop draws on it.
#[derive(Clone)]
pub struct Shared(pub Arc<Mutex<TestBackend>>);

impl Backend for Shared {
    type Error = Infallible;
    fn draw<'a, I>(&mut self, content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.lock().unwrap().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.0.lock().unwrap().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.0.lock().unwrap().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.0.lock().unwrap().get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Infallible> {
        self.0.lock().unwrap().set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        self.0.lock().unwrap().clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Infallible> {
        self.0.lock().unwrap().clear_region(t)
    }
    fn size(&self) -> Result<Size, Infallible> {
        self.0.lock().unwrap().size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        self.0.lock().unwrap().window_size()
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        self.0.lock().unwrap().flush()
    }
}

pub struct Harness {
    pub keys: mpsc::UnboundedSender<io::Result<Event>>,
    pub screen: Arc<Mutex<TestBackend>>,
    pub task: tokio::task::JoinHandle<App>,
}

pub fn input(
    rx: mpsc::UnboundedReceiver<io::Result<Event>>,
) -> impl Stream<Item = io::Result<Event>> + Unpin + Send {
    Box::pin(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (e, rx))
    }))
}

impl Harness {
    pub fn start(spec: RequestSpec, timeouts: Timeouts) -> Harness {
        let timeouts = TimeoutInput {
            base: timeouts,
            ..TimeoutInput::default()
        };
        Harness::run(App::new(Editor::from_spec(&spec), timeouts))
    }

    /// Runs the event loop on `app` as it was set up (collections, history, environment).
    pub fn run(mut app: App) -> Harness {
        let screen = Arc::new(Mutex::new(TestBackend::new(120, 40)));
        let (keys, rx) = mpsc::unbounded_channel();
        let backend = Shared(screen.clone());
        let task = tokio::spawn(async move {
            let mut terminal = Terminal::new(backend).unwrap();
            scout::event_loop::run(&mut app, &mut terminal, input(rx), || {})
                .await
                .unwrap();
            app
        });
        Harness { keys, screen, task }
    }

    pub fn key(&self, code: KeyCode, mods: KeyModifiers) {
        self.keys
            .send(Ok(Event::Key(KeyEvent::new(code, mods))))
            .unwrap();
    }

    pub fn press(&self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE);
    }

    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Clears the URL bar, types `url` and presses Enter.
    pub fn send_url(&self, url: &str) {
        self.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
        self.type_text(url);
        self.press(KeyCode::Enter);
    }

    pub fn buffer(&self) -> Buffer {
        self.screen.lock().unwrap().buffer().clone()
    }

    pub fn text(&self) -> String {
        screen_text(&self.buffer())
    }

    /// Waits until the screen no longer shows `needle`; panics with the screen after `limit`.
    pub async fn wait_gone(&self, needle: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            let buf = self.buffer();
            if !screen_text(&buf).contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "`{needle}` never went away; the screen:\n{}",
                    screen_text(&buf)
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until the screen shows `needle`; panics with the screen after `limit`.
    pub async fn wait_for(&self, needle: &str, limit: Duration) -> Buffer {
        let deadline = Instant::now() + limit;
        loop {
            let buf = self.buffer();
            if screen_text(&buf).contains(needle) {
                return buf;
            }
            if Instant::now() > deadline {
                panic!(
                    "`{needle}` never appeared; the screen:\n{}",
                    screen_text(&buf)
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub async fn quit(self) -> App {
        self.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the loop quits on Ctrl+C")
            .unwrap()
    }
}

pub fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The cell where `needle` first appears on screen.
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let w = buf.area.width as usize;
    screen_text(buf).lines().enumerate().find_map(|(y, line)| {
        let chars: Vec<char> = line.chars().collect();
        let n: Vec<char> = needle.chars().collect();
        (0..chars.len().saturating_sub(n.len()).min(w))
            .find(|&x| chars[x..x + n.len()] == n[..])
            .map(|x| (x as u16, y as u16))
    })
}

pub const WAIT: Duration = Duration::from_secs(10);

pub fn spec(url: &str) -> RequestSpec {
    RequestSpec {
        url: url.to_string(),
        ..Default::default()
    }
}
