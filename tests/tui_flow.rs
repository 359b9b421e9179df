//! Full-loop tests: the real event loop, driven by keys from a channel, drawing on a TestBackend,
//! talking to the demo API on 127.0.0.1. Each waits on what the screen shows, with a deadline.

mod support;
mod tui_harness;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;
use scout::demo::DemoServer;
use scout::model::Timeouts;
use tui_harness::{Harness, WAIT, find, screen_text, spec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_url_sends_it_and_shows_highlighted_json() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/json", demo.base_url()));
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("\"store\"", WAIT).await;
    // Highlighting arrives from a background job: wait until the key is coloured.
    let deadline = Instant::now() + WAIT;
    let theme = scout::theme::Theme::default();
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
            read: None,
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
