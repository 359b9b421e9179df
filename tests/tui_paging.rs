//! Full loop: a paged list from the demo API, loaded page by page through the real event loop
//! and worker (`m` / `M` in the response pane), merged into one list.

mod tui_harness;

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::collection::DEMO_URL_VAR;
use scout::demo::DemoServer;
use tui_harness::{Harness, WAIT};

/// All 1,234 items at 10 a page is 124 pages: more than the default cap of 50, so the saved
/// request raises it.
const COLLECTION: &str = r#"name = "Paged"

[vars]
base_url = "{{env.SCOUT_DEMO_URL}}"

[requests.list]
method = "GET"
url = "{{base_url}}/paged/link?size=10"
pagination = { style = "link", max_pages = 200 }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_all_merges_every_page_in_order() {
    let demo = DemoServer::start(0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("collections")).unwrap();
    std::fs::write(dir.path().join("collections/paged.toml"), COLLECTION).unwrap();
    let mut app = App::new(Editor::default(), Default::default());
    app.collections_path = Some(dir.path().join("collections"));
    app.injected = vec![(DEMO_URL_VAR.to_string(), demo.base_url())];
    app.work_dir = dir.path().to_path_buf();
    let h = Harness::run(app);

    h.wait_for("/paged/link?size=10", WAIT).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("page 1 · 10 items · more available (link)", WAIT)
        .await;
    // To the response pane, then load everything.
    h.press(KeyCode::Tab);
    h.press(KeyCode::Char('M'));
    h.wait_for("1,234 items in 124 pages", Duration::from_secs(60))
        .await;
    h.wait_for("all 1,234 items loaded", WAIT).await;
    // The Body tab shows the merged array: its last item is id 1234.
    // (The final merge may still be on its way: press G until the end shows.)
    let deadline = std::time::Instant::now() + WAIT;
    while !h.text().contains("\"id\": 1234") {
        assert!(std::time::Instant::now() < deadline, "{}", h.text());
        h.press(KeyCode::Char('G'));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let app = h.quit().await;
    let x = app.history.newest_first().next().unwrap();
    let paging = x.paging.as_ref().expect("the response pages");
    assert_eq!(paging.pages.len(), 124);
    assert!(paging.loading.is_none());
    let ids: Vec<u64> = paging
        .items()
        .map(|v| v["id"].as_u64().expect("items have numeric ids"))
        .collect();
    assert_eq!(ids, (1..=1234).collect::<Vec<u64>>());
    let numbers: Vec<usize> = paging.pages.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=124).collect::<Vec<usize>>());
}
