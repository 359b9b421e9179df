//! Full loop: a response past the memory cap (1 MB here), read from its file on disk in the Body
//! tab through the real event loop and its workers, against the demo API on 127.0.0.1.

mod support;
mod tui_harness;

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use scout::app::App;
use scout::app::editor::Editor;
use scout::demo::DemoServer;
use scout::http::plan::TimeoutInput;
use scout::model::Timeouts;
use tui_harness::{Harness, spec};

const SLOW: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_past_the_cap_is_read_searched_and_refused_filtering() {
    let demo = DemoServer::start(0).unwrap();
    let timeouts = TimeoutInput {
        base: Timeouts {
            total: Duration::from_secs(120),
            ..Timeouts::default()
        },
        memory_cap: Some(1024 * 1024),
        ..TimeoutInput::default()
    };
    let h = Harness::run(App::new(Editor::from_spec(&spec("")), timeouts));
    // 8 MB of JSON on one line, shown pretty-printed (from a second file, written as it came).
    h.send_url(&format!("{}/large/8", demo.base_url()));
    h.wait_for("200 OK", SLOW).await;
    h.wait_for(
        "8.0 MB body, more than the memory cap: read from disk",
        SLOW,
    )
    .await;
    h.wait_for(r#"     4     "name": "item-0000001","#, SLOW)
        .await;
    h.press(KeyCode::Tab); // to the response pane

    // Search: a name far past the first megabyte, found in the file.
    h.press(KeyCode::Char('/'));
    h.type_text("item-0050000\"");
    h.wait_for("1/1", SLOW).await;
    h.wait_for(r#""name": "item-0050000","#, SLOW).await;
    h.press(KeyCode::Enter);

    // What needs the whole body in memory says it is too large.
    h.press(KeyCode::Char('|'));
    h.wait_for("The body is too large to filter (8.0 MB", SLOW)
        .await;
    h.press(KeyCode::Char('G'));
    h.wait_for(" · 100%", SLOW).await;
    let app = h.quit().await;
    let shown = app.shown_exchange().unwrap();
    let response = shown.response().unwrap();
    let spilled = response.spilled.as_ref().expect("kept on disk");
    assert!(spilled.len() > 8_000_000);
    // Kept as received (one line), shown as 11 lines a value.
    assert_eq!(spilled.line_count(), 1);
    let items = 8 * 1024 * 1024 / 100;
    assert!(spilled.shown().line_count() > items * 11, "{spilled:?}");
    // What was in memory when the cap was passed, at most its first MB, stays there.
    assert!((1..=1024 * 1024).contains(&response.body.len()));
}
