//! Full-loop tests: the real event loop, driven by keys from a channel, drawing on a TestBackend,
//! talking to the demo API on 127.0.0.1. Each waits on what the screen shows, with a deadline.

mod support;

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
use tokio::sync::mpsc;

use scout::app::App;
use scout::app::editor::Editor;
use scout::demo::DemoServer;
use scout::http::Timeouts;
use scout::http::model::RequestSpec;

/// A TestBackend the test can read while the loop draws on it.
#[derive(Clone)]
struct Shared(Arc<Mutex<TestBackend>>);

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

struct Harness {
    keys: mpsc::UnboundedSender<io::Result<Event>>,
    screen: Arc<Mutex<TestBackend>>,
    task: tokio::task::JoinHandle<App>,
}

fn input(
    rx: mpsc::UnboundedReceiver<io::Result<Event>>,
) -> impl Stream<Item = io::Result<Event>> + Unpin + Send {
    Box::pin(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (e, rx))
    }))
}

impl Harness {
    fn start(spec: RequestSpec, timeouts: Timeouts) -> Harness {
        let screen = Arc::new(Mutex::new(TestBackend::new(120, 40)));
        let (keys, rx) = mpsc::unbounded_channel();
        let backend = Shared(screen.clone());
        let task = tokio::spawn(async move {
            let mut app = App::new(Editor::from_spec(&spec), timeouts);
            let mut terminal = Terminal::new(backend).unwrap();
            scout::event_loop::run(&mut app, &mut terminal, input(rx), || {})
                .await
                .unwrap();
            app
        });
        Harness { keys, screen, task }
    }

    fn key(&self, code: KeyCode, mods: KeyModifiers) {
        self.keys
            .send(Ok(Event::Key(KeyEvent::new(code, mods))))
            .unwrap();
    }

    fn press(&self, code: KeyCode) {
        self.key(code, KeyModifiers::NONE);
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Clears the URL bar, types `url` and presses Enter.
    fn send_url(&self, url: &str) {
        self.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
        self.type_text(url);
        self.press(KeyCode::Enter);
    }

    fn buffer(&self) -> Buffer {
        self.screen.lock().unwrap().buffer().clone()
    }

    fn text(&self) -> String {
        screen_text(&self.buffer())
    }

    /// Waits until the screen shows `needle`; panics with the screen after `limit`.
    async fn wait_for(&self, needle: &str, limit: Duration) -> Buffer {
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

    async fn quit(self) -> App {
        self.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the loop quits on Ctrl+C")
            .unwrap()
    }
}

fn screen_text(buf: &Buffer) -> String {
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
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let w = buf.area.width as usize;
    screen_text(buf).lines().enumerate().find_map(|(y, line)| {
        let chars: Vec<char> = line.chars().collect();
        let n: Vec<char> = needle.chars().collect();
        (0..chars.len().saturating_sub(n.len()).min(w))
            .find(|&x| chars[x..x + n.len()] == n[..])
            .map(|x| (x as u16, y as u16))
    })
}

const WAIT: Duration = Duration::from_secs(10);

fn spec(url: &str) -> RequestSpec {
    RequestSpec {
        url: url.to_string(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_url_sends_it_and_shows_highlighted_json() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/json", demo.base_url()));
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("\"store\"", WAIT).await;
    // Highlighting arrives from a background job: wait until the key is coloured.
    let deadline = Instant::now() + WAIT;
    let theme = scout::ui::theme::Theme::default();
    loop {
        let buf = h.buffer();
        let (x, y) = find(&buf, "\"store\"").unwrap();
        let fg = buf[(x + 1, y)].fg;
        if fg != theme.text && fg != ratatui::style::Color::Reset {
            break;
        }
        assert!(Instant::now() < deadline, "the body was never highlighted");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let text = h.text();
    assert!(text.contains("History (1)"));
    assert!(text.contains("HTTP/1.1"));
    let app = h.quit().await;
    assert_eq!(app.history.len(), 1);
}

/// Every bad input: shown in the response pane with its cause, the URL still in the editor, and
/// the app still usable afterwards (the next good request works).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_are_explained_and_lose_nothing() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let hole = tokio::task::spawn_blocking(support::blackhole)
        .await
        .unwrap()
        .unwrap_or_else(|why| panic!("cannot test the connect timeout: {why}"));
    let h = Harness::start(
        spec(""),
        Timeouts {
            connect: Duration::from_millis(300),
            total: Duration::from_millis(600),
        },
    );
    let cases: Vec<(String, &str)> = vec![
        ("http://exa mple.com/".into(), "Invalid URL"),
        ("gopher://example.com/".into(), "Unsupported scheme"),
        ("http://scout-test.invalid/".into(), "DNS lookup failed"),
        (format!("http://127.0.0.1:{refused}/"), "Connection refused"),
        (format!("http://{}/", hole.addr), "Connect timeout"),
        (format!("{base}/delay/5"), "Total timeout"),
        (
            format!("{base}/bad/truncated"),
            "Connection closed mid-body",
        ),
        (format!("{base}/redirect-loop"), "Redirect loop"),
        (format!("{base}/bad/json"), "not valid JSON"),
        (format!("{base}/bad/utf8"), "not valid UTF-8"),
    ];
    for (url, expected) in &cases {
        h.send_url(url);
        h.wait_for(expected, WAIT).await;
        let text = h.text();
        let typed: String = url.chars().take(60).collect();
        assert!(
            text.contains(&typed),
            "the URL `{url}` is still in the editor:\n{text}"
        );
    }
    // The invalid-JSON body is shown as received, with where parsing stopped.
    h.send_url(&format!("{base}/bad/json"));
    let buf = h
        .wait_for("not valid JSON at line 4 column 1: trailing comma", WAIT)
        .await;
    assert!(screen_text(&buf).contains("200 OK"));
    // Still usable: a good request works afterwards.
    h.send_url(&format!("{base}/items/1"));
    h.wait_for("\"name\"", WAIT).await;
    let app = h.quit().await;
    assert_eq!(app.history.len(), cases.len() + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_five_megabyte_single_line_json_is_pretty_printed() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/large/5", demo.base_url()));
    h.wait_for("200 OK", WAIT).await;
    // Pretty-printed: the first lines are short and numbered.
    let buf = h.wait_for(" 2   {", WAIT).await;
    let text = screen_text(&buf);
    assert!(text.contains("  1 ["), "{text}");
    h.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_cancels_a_slow_request_and_the_spinner_stops() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/delay/10", demo.base_url()));
    h.wait_for("Sending", WAIT).await;
    h.press(KeyCode::Esc);
    h.wait_for("Cancelled after", WAIT).await;
    let app = h.quit().await;
    assert!(!app.is_busy());
}
