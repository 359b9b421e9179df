//! Full loop: `Ctrl+G` replays a collection's run through the real event loop against the demo
//! API; the Runner pane shows every step, a failed step's Checks tab says why, `f` sends the
//! failed steps again, and `Esc` stops a slow run keeping what ran.

mod tui_harness;

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::collection::DEMO_URL_VAR;
use scout::demo::DemoServer;
use tui_harness::{Harness, WAIT};

const COLLECTION: &str = r#"name = "Shop"

[vars]
base_url = "{{env.SCOUT_DEMO_URL}}"

[requests.create]
method = "POST"
url = "{{base_url}}/items"
body = { json = { name = "lamp" } }
expect = { status = 201 }
capture = { item_id = "$.id" }

[requests.read]
url = "{{base_url}}/items/{{item_id}}"
expect = { status = 200, json = { "$.name" = "lamp" } }

[requests.teapot]
url = "{{base_url}}/status/418"
expect = { status = 200 }

[requests.slow]
url = "{{base_url}}/delay/10"

[runs.smoke]
steps = ["create", "read", "teapot"]

[runs.slow]
steps = ["create", "slow", "read"]
"#;

fn app(dir: &std::path::Path, demo: &DemoServer) -> App {
    std::fs::create_dir(dir.join("collections")).unwrap();
    std::fs::write(dir.join("collections/shop.toml"), COLLECTION).unwrap();
    let mut app = App::new(Editor::default(), Default::default());
    app.collections_path = Some(dir.join("collections"));
    app.injected = vec![(DEMO_URL_VAR.to_string(), demo.base_url())];
    app.work_dir = dir.to_path_buf();
    app
}

/// Focuses the tree and selects the row showing `needle` (from the top).
async fn select_in_tree(h: &Harness, needle: &str) {
    for _ in 0..4 {
        if h.text()
            .lines()
            .last()
            .is_some_and(|l| l.contains("choose the environment"))
        {
            break;
        }
        h.press(KeyCode::Tab);
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    h.press(KeyCode::Char('g'));
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let screen = h.buffer();
        let selected = (0..screen.area.height).find(|&y| {
            let row: String = (0..40)
                .map(|x| screen[(x, y)].symbol().to_string())
                .collect();
            row.contains(needle) && screen[(3, y)].bg != ratatui::style::Color::Reset
        });
        if selected.is_some() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no `{needle}` row:\n{}",
            h.text()
        );
        h.press(KeyCode::Char('j'));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_shows_each_step_and_a_failure_can_be_read_and_sent_again() {
    let demo = DemoServer::start(0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::run(app(dir.path(), &demo));
    h.wait_for("▶ run   smoke · 3 steps", WAIT).await;
    select_in_tree(&h, "smoke").await;
    h.key(KeyCode::Char('g'), KeyModifiers::CONTROL);
    h.wait_for("Run smoke · ✓2 ✗1 –0", WAIT).await;
    let text = h.text();
    assert!(text.contains("✓ POST    create"), "{text}");
    assert!(text.contains("✓ GET     read"), "{text}");
    assert!(text.contains("✗ GET     teapot"), "{text}");
    assert!(
        text.contains("Run smoke: 2 passed, 1 failed, 0 skipped"),
        "{text}"
    );
    // Down to the failed step: its response shows on the Checks tab.
    h.press(KeyCode::Char('j'));
    h.press(KeyCode::Char('j'));
    h.wait_for("✗ status  expected 200 · got 418 I'm a teapot", WAIT)
        .await;
    // `f` sends the failed step again: it fails again, the others keep their results.
    h.press(KeyCode::Char('f'));
    h.wait_for("Run smoke: 2 passed, 1 failed, 0 skipped", WAIT)
        .await;
    // `x` closes the runner once the re-run is done (it says so while the run goes): the
    // history is back, with every exchange of the run.
    let deadline = std::time::Instant::now() + WAIT;
    while !h.text().contains("History (4)") {
        assert!(std::time::Instant::now() < deadline, "{}", h.text());
        h.press(KeyCode::Char('x'));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let app = h.quit().await;
    assert_eq!(
        app.history
            .entries
            .iter()
            .filter(|x| x.run.as_deref() == Some("smoke"))
            .count(),
        4
    );
    assert!(
        app.captured.values().any(|v| v.contains_key("item_id")),
        "the run's capture is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_stops_a_run_and_keeps_what_ran() {
    let demo = DemoServer::start(0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::run(app(dir.path(), &demo));
    h.wait_for("▶ run   slow · 3 steps", WAIT).await;
    select_in_tree(&h, "slow ·").await;
    h.key(KeyCode::Char('g'), KeyModifiers::CONTROL);
    h.wait_for("✓ POST    create", WAIT).await;
    h.wait_for("GET     slow", WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.press(KeyCode::Esc);
    h.wait_for(
        "Run slow: 1 passed, 0 failed, 2 skipped",
        Duration::from_secs(5),
    )
    .await;
    h.quit().await;
}
