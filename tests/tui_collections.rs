//! Full-loop tests of collections and history: the real event loop over real files in a temporary
//! folder, sending to the demo API on 127.0.0.1, checked on screen and on disk.

mod tui_harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::collection::DEMO_URL_VAR;
use scout::demo::DemoServer;
use tui_harness::{Harness, WAIT};

/// The watcher looks every 2 s; a change shows within two rounds.
const RELOAD_WAIT: Duration = Duration::from_secs(8);

const COLLECTION: &str = r#"# Team API: this comment, the blank lines and the key order must survive saves.
name = "Team API"

[vars]
base_url = "{{env.SCOUT_DEMO_URL}}"   # the demo server, injected by the test

[environments.staging]
greeting = "hello-staging"

[requests.first]
name = "First"
method = "GET"
url = "{{base_url}}/anything/first"
headers = { Authorization = "Bearer s3cret-team-token", Accept = "application/json" }

# The second request is never touched by the test.
[requests.second]
name = "Second"
method = "POST"
url = "{{base_url}}/anything/second"
body = { json = { name = "widget", price = 9.99 } }

[requests.unresolved]
method = "GET"
url = "{{base_url}}/anything/{{greeting}}"
"#;

struct Setup {
    dir: tempfile::TempDir,
    demo: DemoServer,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("collections")).unwrap();
        std::fs::write(dir.path().join("collections/team.toml"), COLLECTION).unwrap();
        Setup {
            dir,
            demo: DemoServer::start(0).unwrap(),
        }
    }

    fn collection(&self) -> PathBuf {
        self.dir.path().join("collections/team.toml")
    }

    fn history(&self) -> PathBuf {
        self.dir.path().join("data/history.jsonl")
    }

    /// An app as `scout -c DIR/collections` would start it, with its history in DIR/data.
    fn app(&self) -> App {
        let mut app = App::new(Editor::default(), Default::default());
        app.collections_path = Some(self.dir.path().join("collections"));
        app.history_path = Some(self.history());
        app.injected = vec![(DEMO_URL_VAR.to_string(), self.demo.base_url())];
        app.work_dir = self.dir.path().to_path_buf();
        app
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Lines of `after` that are not in `before`, and the reverse: what a `git diff` would show.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    let added = a.iter().filter(|l| !b.contains(l)).map(|l| l.to_string());
    let removed = b.iter().filter(|l| !a.contains(l)).map(|l| l.to_string());
    (added.collect(), removed.collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_send_edit_and_save_touches_only_that_request() {
    let s = Setup::new();
    let h = Harness::run(s.app());
    // The first request opens by itself; its variables resolve on send.
    h.wait_for("Team API", WAIT).await;
    h.wait_for("{{base_url}}/anything/first", WAIT).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("/anything/first", WAIT).await;

    // Edit the URL: the title marks it unsaved; Ctrl+S writes it back.
    h.type_text("?page=2");
    h.wait_for("unsaved", WAIT).await;
    h.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.wait_for("Saved first", WAIT).await;
    let after = read(&s.collection());
    let (added, removed) = changed_lines(COLLECTION, &after);
    // The query moves into the request's `query` table: one line added, nothing else touched.
    assert!(removed.is_empty(), "nothing may go:\n{after}");
    assert_eq!(added, ["query = { page = \"2\" }"], "{after}");
    assert!(after.starts_with("# Team API: this comment"));
    assert!(after.contains("# The second request is never touched by the test."));
    assert!(!h.text().contains("unsaved"));
    h.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unresolved_variable_blocks_sending_until_an_environment_supplies_it() {
    let s = Setup::new();
    let h = Harness::run(s.app());
    h.wait_for("Team API", WAIT).await;
    // To the tree: filter down to the third request and open it.
    h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
    h.press(KeyCode::Char('/'));
    h.type_text("unres");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.wait_for("{{greeting}}", WAIT).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("greeting", WAIT).await;
    h.wait_for("Not sent", WAIT).await;
    assert!(h.text().contains("History (0)"), "{}", h.text());

    // Choose the staging environment, which defines it, and send again.
    h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
    h.press(KeyCode::Char('v'));
    h.wait_for("staging", WAIT).await;
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.wait_for("environment `staging`", WAIT).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("hello-staging", WAIT).await;
    h.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_on_disk_reload_and_a_conflict_asks_first() {
    let s = Setup::new();
    let h = Harness::run(s.app());
    h.wait_for("{{base_url}}/anything/first", WAIT).await;

    // A clean editor follows the file.
    let changed = COLLECTION.replace("/anything/first", "/anything/from-disk");
    std::fs::write(s.collection(), &changed).unwrap();
    h.wait_for("{{base_url}}/anything/from-disk", RELOAD_WAIT)
        .await;
    h.wait_for("changed on disk", WAIT).await;

    // With unsaved edits, a second change asks: keep mine or take the file's.
    h.type_text("-mine");
    h.wait_for("unsaved", WAIT).await;
    let changed_again = COLLECTION.replace("/anything/first", "/anything/theirs");
    std::fs::write(s.collection(), &changed_again).unwrap();
    h.wait_for("Changed on disk", RELOAD_WAIT).await;
    assert!(h.text().contains("from-disk-mine"), "{}", h.text());
    h.press(KeyCode::Char('k'));
    h.wait_for("Kept your edits", WAIT).await;
    assert!(h.text().contains("from-disk-mine"));
    // The file still holds their version until the user saves.
    assert_eq!(read(&s.collection()), changed_again);
    h.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.wait_for("Saved first", WAIT).await;
    assert!(read(&s.collection()).contains("/anything/from-disk-mine"));
    h.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_can_take_the_files_version() {
    let s = Setup::new();
    let h = Harness::run(s.app());
    h.wait_for("{{base_url}}/anything/first", WAIT).await;
    h.type_text("-mine");
    h.wait_for("unsaved", WAIT).await;
    std::fs::write(
        s.collection(),
        COLLECTION.replace("/anything/first", "/anything/theirs"),
    )
    .unwrap();
    h.wait_for("Changed on disk", RELOAD_WAIT).await;
    h.press(KeyCode::Char('t'));
    h.wait_for("Took the file's version", WAIT).await;
    h.wait_for("{{base_url}}/anything/theirs", WAIT).await;
    assert!(!h.text().contains("-mine"));
    h.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_is_explained_and_never_written() {
    let s = Setup::new();
    let broken = "name = \"Broken\"\n[requests.a]\nmethod = \"FETCH IT\"\nurl = \"http://x\"\n";
    let broken_path = s.dir.path().join("collections/broken.toml");
    std::fs::write(&broken_path, broken).unwrap();
    let h = Harness::run(s.app());
    // The other collection loads; the broken one shows its file, line and the problem.
    h.wait_for("Team API", WAIT).await;
    h.wait_for("broken.toml", WAIT).await;
    let screen = h.wait_for("FETCH IT", WAIT).await;
    let text = tui_harness::screen_text(&screen);
    assert!(text.contains(":3:"), "the line is named:\n{text}");
    // Saving the editor's request goes to its own file, not the broken one.
    h.type_text("?x=1");
    h.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    h.wait_for("Saved first", WAIT).await;
    h.quit().await;
    assert_eq!(read(&broken_path), broken);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lasts_across_two_runs_with_secrets_redacted() {
    let s = Setup::new();
    let h = Harness::run(s.app());
    h.wait_for("{{base_url}}/anything/first", WAIT).await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("History (1)", WAIT).await;
    h.quit().await;

    let stored = read(&s.history());
    assert!(stored.contains("/anything/first"), "{stored}");
    // scout's own values (the demo address) are not secrets.
    assert!(stored.contains(&s.demo.base_url()), "{stored}");
    assert!(
        !stored.contains("s3cret-team-token"),
        "the token (sent, and echoed back by the server) is redacted:\n{stored}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.history()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second run shows it: selecting it in the history pane shows the stored response.
    let h = Harness::run(s.app());
    h.wait_for("History (1)", WAIT).await;
    assert!(!h.text().contains("200 OK"));
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.wait_for("200 OK", WAIT).await;
    h.wait_for("[redacted]", WAIT).await;
    h.quit().await;
}
