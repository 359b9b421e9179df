//! A request in no collection has its own credentials in the Auth tab: typed there, masked on
//! screen, sent as secrets, never in the history; a saved request still has its profiles.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::editor::{EditorTab, Section};
use crate::app::own_auth::OwnKind;
use crate::app::testing::{app_with, draw, response};
use crate::app::{App, Effect, Msg, update};
use crate::http::job::HttpEvent;
use crate::model::ResolvedAuth;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)));
    }
}

/// Ctrl+R: the job sent.
fn sent(app: &mut App) -> crate::http::job::Job {
    let effects = update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Send(job) => Some(job),
            _ => None,
        })
        .expect("a send")
}

/// A request typed in, not saved: the Auth tab focused.
fn ad_hoc() -> App {
    let mut app = app_with("json");
    app.origin = None;
    app.history_path = Some("/data/history.jsonl".into());
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Auth;
    app
}

#[test]
fn an_ad_hoc_bearer_token_is_typed_masked_sent_and_kept_out_of_the_history() {
    let mut app = ad_hoc();
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("Auth: none"), "{screen}");
    assert!(!screen.contains("collection's profiles"), "{screen}");
    // Enter on the kind: Basic, then Bearer; ↓ to the token, Enter, type, Enter keeps it.
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.own_auth.kind, OwnKind::Bearer);
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    typed(&mut app, "sk-live-123");
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("•••••••••••"),
        "masked while typed:\n{screen}"
    );
    assert!(!screen.contains("sk-live-123"), "{screen}");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.own_auth.values, ["sk-live-123"]);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("Auth: Bearer"), "{screen}");
    assert!(!screen.contains("sk-live-123"), "{screen}");

    let job = sent(&mut app);
    assert_eq!(
        job.auth,
        Some(ResolvedAuth::Bearer {
            token: "sk-live-123".into()
        })
    );
    let id = job.id;
    let mut answer = response(200, "application/json", "{}");
    // As the server would echo it back: the history must not keep it.
    answer
        .headers
        .push(("x-echo-authorization".into(), "Bearer sk-live-123".into()));
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(answer)),
        }),
    );
    let record = effects
        .iter()
        .find_map(|e| match e {
            Effect::AppendHistory { record, .. } => Some(record),
            _ => None,
        })
        .expect("the exchange goes to the history");
    let kept = format!("{record:?}");
    assert!(!kept.contains("sk-live-123"), "{kept}");
}

#[test]
fn esc_drops_a_field_edit_and_a_saved_request_keeps_its_collections_profiles() {
    let mut app = ad_hoc();
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    typed(&mut app, "bob");
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.editor.own_auth.values, ["", ""], "nothing kept");
    assert!(app.editor.own_auth.editing.is_none());
    // Opened from the collection, the tab is about its profiles again.
    let mut saved = app_with("json");
    saved.editor.section = Section::Content;
    saved.editor.tab = EditorTab::Auth;
    update(&mut saved, key(KeyCode::Enter));
    assert!(saved.editor.auth.is_some(), "Enter chose the next profile");
    assert_eq!(saved.editor.own_auth.kind, OwnKind::None);
}

#[test]
fn a_field_still_being_typed_is_sent_and_leaving_keeps_it() {
    let mut app = ad_hoc();
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Enter));
    typed(&mut app, "tok");
    // Ctrl+R without Enter first: the token as typed goes.
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        job.auth,
        Some(ResolvedAuth::Bearer {
            token: "tok".into()
        })
    );
    assert!(app.editor.own_auth.editing.is_none());
    // Tab away while typing keeps the field too.
    update(&mut app, key(KeyCode::Enter));
    typed(&mut app, "en");
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.editor.own_auth.values, ["token"]);
}
