//! The README's screens are drawn here, from the real UI, so they cannot go stale: each test
//! draws one and compares it with the README's block between `<!-- screen:NAME -->` and
//! `<!-- /screen -->`. After a change to the UI, `SCOUT_UPDATE_README=1 cargo test --lib readme`
//! writes them afresh; read the diff before committing it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::testing::{app_with, prepared, response, run_check, send};
use crate::app::{App, Msg, Pane, update};
use crate::highlight::Document;
use crate::http::job::HttpEvent;

const SIZE: (u16, u16) = (100, 28);

const CREATED: &str =
    r#"{"id":4,"name":"widget","price":9.99,"tags":["new"],"created_at":"2027-01-15T08:00:00Z"}"#;

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// The screen as text, one line per row (as `testing::draw` reads it), trailing blanks cut.
fn screen(app: &mut App) -> String {
    let rows = crate::app::testing::draw(app);
    rows.iter().map(|r| format!("{}\n", r.trim_end())).collect()
}

/// The demo's "Create an item" sent and answered, as the event loop would leave it.
fn created() -> App {
    let mut answer = response(201, "application/json", CREATED);
    answer.reason = "Created".into();
    answer.url = format!("{}/items", crate::app::testing::BASE);
    answer.headers.push(("location".into(), "/items/4".into()));
    let mut app = app_with("create-item");
    let id = send(&mut app);
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(answer)),
        }),
    );
    // The request's checks, run as the event loop runs them.
    run_check(&mut app, id, effects);
    app.size = SIZE;
    app.history.entries.last_mut().unwrap().sent_at_ms = 1_800_000_000_000;
    prepared(
        &mut app,
        Document::from_body(CREATED.as_bytes(), Some("application/json")),
    );
    app.focus = Pane::Response;
    crate::app::testing::draw(&mut app);
    app
}

/// Compares `drawn` with the README's screen `name` (or writes it, when asked to).
fn check(name: &str, drawn: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let open = format!("<!-- screen:{name} -->\n```text\n");
    let close = "```\n<!-- /screen -->";
    let start = readme
        .find(&open)
        .unwrap_or_else(|| panic!("README.md has no `<!-- screen:{name} -->` block"))
        + open.len();
    let end = start + readme[start..].find(close).expect("the block is closed");
    if readme[start..end] == *drawn {
        return;
    }
    if std::env::var_os("SCOUT_UPDATE_README").is_some() {
        let updated = format!("{}{drawn}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    panic!(
        "README.md's screen `{name}` is not what scout draws now; run `SCOUT_UPDATE_README=1 \
         cargo test --lib readme` and read the diff. Drawn:\n{drawn}"
    );
}

#[test]
fn the_first_screen() {
    let mut app = app_with("index");
    app.size = SIZE;
    app.origin = None;
    app.editor = crate::app::editor::Editor::default();
    check("start", &screen(&mut app));
}

#[test]
fn a_response() {
    check("response", &screen(&mut created()));
}

#[test]
fn the_explain_panel() {
    let mut app = created();
    update(&mut app, key(KeyCode::Char('e'), KeyModifiers::NONE));
    check("explain", &screen(&mut app));
}

#[test]
fn the_command_palette() {
    let mut app = created();
    update(&mut app, key(KeyCode::Char('p'), KeyModifiers::CONTROL));
    update(&mut app, Msg::Paste("save".into()));
    check("palette", &screen(&mut app));
}
