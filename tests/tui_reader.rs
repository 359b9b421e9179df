//! Full-loop tests of reading a large response: search, filter, fold and compare through the real
//! event loop and its workers, against the demo API on 127.0.0.1.

mod support;
mod tui_harness;

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::demo::DemoServer;
use scout::model::Timeouts;
use tui_harness::{Harness, spec};

/// Large bodies take a while in a debug build.
const SLOW: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_filter_a_large_body_then_compare_two_responses() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    // 8 MB of JSON: about 60,000 objects, 600,000 lines pretty-printed.
    h.send_url(&format!("{}/large/8", demo.base_url()));
    h.wait_for("200 OK", SLOW).await;
    h.wait_for("\"name\": \"item-0000001\"", SLOW).await;
    h.press(KeyCode::Tab); // to the response pane

    // Search: the one object with this name, far down.
    h.press(KeyCode::Char('/'));
    h.type_text("item-0050000\"");
    h.wait_for("1/1", SLOW).await;
    h.press(KeyCode::Enter);
    h.wait_for("\"name\": \"item-0050000\"", SLOW).await;
    h.wait_for("/item-0050000\" 1/1 · line 549,993 of", SLOW)
        .await;
    // A regex with a capital: case matters, nothing found.
    h.press(KeyCode::Char('/'));
    h.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.type_text("ITEM-00500");
    h.wait_for("?/0", SLOW).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.type_text("[0-9]");
    h.wait_for("?/0 · regex", SLOW).await;
    // Esc ends the search; the cursor stays, with the path of its value.
    h.press(KeyCode::Esc);
    h.wait_for("$[49999].name · line 549,993", SLOW).await;

    // Filter: jq over the whole document, the result in place of the body.
    h.press(KeyCode::Char('|'));
    h.type_text("map(select(.id % 20000 == 0)) | .[].name");
    h.wait_for("→ 4 values", SLOW).await;
    h.press(KeyCode::Enter);
    h.wait_for("\"item-0080000\"", SLOW).await;
    assert!(h.text().contains("\"item-0020000\""), "{}", h.text());
    // A JSONPath, then a filter that does not compile: its position, the last result kept.
    h.press(KeyCode::Char('f'));
    h.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.type_text("$[2].tags[1]");
    h.wait_for("\"t3\"", SLOW).await;
    h.type_text(" |");
    h.wait_for("^ ", SLOW).await;
    assert!(
        h.text().contains("\"t3\""),
        "the last result stays:\n{}",
        h.text()
    );
    h.press(KeyCode::Esc);
    h.wait_for("⧩ $[2].tags[1] →", SLOW).await;

    // Fold everything: one row per object.
    h.press(KeyCode::Char('|'));
    h.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.press(KeyCode::Enter);
    h.wait_gone("⧩", SLOW).await;
    h.press(KeyCode::Char('z'));
    h.press(KeyCode::Char('M'));
    h.wait_for("{…} 6 keys", SLOW).await;

    // Send it again and compare: the same document, so no differences.
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("History (2)", SLOW).await;
    h.wait_for("\"name\": \"item-0000001\"", SLOW).await;
    h.press(KeyCode::Char('D'));
    h.wait_for("⇄ No differences from 200 OK", SLOW).await;
    h.quit().await;
}

/// Server-sent events: shown as they arrive, the view following the end; Esc stops the stream
/// and keeps what arrived; the app goes on (the next request works).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_event_stream_shows_live_and_esc_keeps_what_arrived() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/events?count=0&every=20", demo.base_url()));
    h.wait_for("● live", SLOW).await;
    h.wait_for("event: price · id: 3", SLOW).await;
    // It keeps coming, and the view follows it.
    h.wait_for("event: tick · id: 40", SLOW).await;
    h.press(KeyCode::Esc);
    h.wait_for("You stopped the stream after", SLOW).await;
    h.wait_gone("● live", SLOW).await;
    // What arrived is prepared again as the response's body (the note shows at once, the
    // document a moment later).
    let text = tui_harness::screen_text(&h.wait_for("ⓘ Server-sent events:", SLOW).await);
    // Stopped for good: nothing more arrives.
    let events = |t: &str| {
        t.split("Server-sent events: ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .map(str::to_string)
    };
    let before = events(&text);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(events(&h.text()), before);
    // And the app goes on.
    h.send_url(&format!("{}/json", demo.base_url()));
    h.wait_for("History (2)", SLOW).await;
    h.wait_for("\"store\"", SLOW).await;
    h.quit().await;
}
