//! `update` tests: feed messages, check state and effects. No terminal, no network.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::*;
use crate::app::exchange::ExchangeState;
use crate::app::msg::{DocKind, SaveOutcome};
use crate::app::testing::{app_with, draw, find};
use crate::app::view::viewport_height;
use crate::app::{ConfirmPurpose, ResponseTab};
use crate::highlight::Document;
use crate::http::HttpError;
use crate::http::job::{HttpEvent, Job, RequestId};
use crate::model::{Method, ResponseData};

fn app() -> App {
    app_with("json")
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn response(status: u16, body: &str) -> Box<ResponseData> {
    Box::new(ResponseData {
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(5),
        redirects: vec![],
        url: "http://127.0.0.1:9/json".into(),
    })
}

fn sent_id(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send(Job { id, .. }) => Some(*id),
            _ => None,
        })
        .expect("a Send effect")
}

fn finish(
    app: &mut App,
    id: RequestId,
    result: Result<Box<ResponseData>, HttpError>,
) -> Vec<Effect> {
    update(app, Msg::Http(HttpEvent::Finished { id, result }))
}

#[test]
fn enter_in_the_url_bar_sends_what_the_editor_holds() {
    let mut app = app();
    let effects = update(&mut app, key(KeyCode::Enter));
    let Some(Effect::Send(Job { spec, .. })) = effects.first() else {
        panic!("expected Send, got {effects:?}");
    };
    assert_eq!(spec.url, "http://127.0.0.1:9/json");
    assert_eq!(spec.method, Method::Get);
    assert!(app.is_busy());
    assert_eq!(app.shown, Some(1));
}

#[test]
fn a_response_is_prepared_off_thread_then_highlighted_for_the_viewport() {
    let mut app = app();
    let id = sent_id(&update(&mut app, ctrl('r')));
    let effects = finish(&mut app, id, Ok(response(200, "{\"a\":1}")));
    // The body is prepared, and whether it pages is checked (both off the UI thread).
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::DetectPaging { .. }, Effect::PrepareBody { .. }]
        ),
        "{effects:?}"
    );
    assert!(!app.is_busy());
    let doc = Arc::new(Document::from_body(b"{\"a\":1}", Some("application/json")));
    let effects = update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: DocKind::Pretty,
            doc,
            revealed: false,
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::Highlight { chunk: 0, .. }]),
        "{effects:?}"
    );
    // Asked once: a second message does not ask again while the job is pending.
    assert!(update(&mut app, Msg::Tick).is_empty());
}

#[test]
fn esc_cancels_and_the_late_result_is_dropped() {
    let mut app = app();
    let id = sent_id(&update(&mut app, key(KeyCode::Enter)));
    let effects = update(&mut app, key(KeyCode::Esc));
    assert!(matches!(effects.as_slice(), [Effect::Cancel(x)] if *x == id));
    assert!(matches!(
        app.history.get(id).unwrap().state,
        ExchangeState::Cancelled { .. }
    ));
    assert!(finish(&mut app, id, Ok(response(200, "{}"))).is_empty());
    assert!(matches!(
        app.history.get(id).unwrap().state,
        ExchangeState::Cancelled { .. }
    ));
}

#[test]
fn an_older_result_never_replaces_the_newer_one_on_screen() {
    let mut app = app();
    let first = sent_id(&update(&mut app, ctrl('r')));
    let second = sent_id(&update(&mut app, ctrl('r')));
    assert_eq!(app.shown, Some(second));
    finish(&mut app, first, Ok(response(200, "{\"old\":true}")));
    assert_eq!(app.shown, Some(second));
    assert!(app.shown_exchange().unwrap().is_loading());
    assert!(app.history.get(first).unwrap().response().is_some());
}

#[test]
fn failures_are_data_and_the_editor_keeps_what_was_typed() {
    let mut app = app();
    update(&mut app, ctrl('u'));
    for c in "ftp://nowhere/x".chars() {
        update(&mut app, ch(c));
    }
    let before = app.editor.clone();
    let id = sent_id(&update(&mut app, key(KeyCode::Enter)));
    finish(
        &mut app,
        id,
        Err(HttpError::UnknownScheme {
            scheme: "ftp".into(),
            url: "ftp://nowhere/x".into(),
        }),
    );
    assert!(matches!(
        app.history.get(id).unwrap().state,
        ExchangeState::Failed(_)
    ));
    assert_eq!(app.editor, before);
    assert_eq!(app.editor.url.text(), "ftp://nowhere/x");
}

#[test]
fn q_types_in_the_url_bar_but_quits_elsewhere_and_ctrl_c_always_quits() {
    let mut app = app();
    update(&mut app, ch('q'));
    assert!(!app.should_quit);
    assert!(app.editor.url.text().ends_with('q'));
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Response);
    // The typed `q` is an unsaved edit of a saved request: quitting asks first.
    update(&mut app, ch('q'));
    assert!(!app.should_quit);
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved
        })
    ));
    update(&mut app, ch('y'));
    assert!(app.should_quit);

    let mut app = self::app();
    update(&mut app, ctrl('c'));
    assert!(app.should_quit);
}

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let mut app = app();
    let mut seen = vec![app.focus];
    for _ in 0..4 {
        update(&mut app, key(KeyCode::Tab));
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        vec![
            Pane::Editor,
            Pane::Response,
            Pane::History,
            Pane::Collections,
            Pane::Editor
        ]
    );
    update(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::Collections);
}

#[test]
fn method_and_tabs_are_reached_from_the_url_bar() {
    let mut app = app();
    update(&mut app, key(KeyCode::Up));
    assert_eq!(app.editor.section, Section::Method);
    // Enter and Space choose the method; → moves on to the URL without changing it.
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.method, Method::Post);
    update(&mut app, ch(' '));
    assert_eq!(app.editor.method, Method::Put);
    update(&mut app, key(KeyCode::Right));
    assert_eq!(app.editor.section, Section::Url);
    assert_eq!(app.editor.method, Method::Put);
    update(&mut app, key(KeyCode::Up));
    update(&mut app, ch('m'));
    assert_eq!(app.editor.method, Method::Patch);
    update(&mut app, ch('M'));
    assert_eq!(app.editor.method, Method::Put);
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.editor.section, Section::Content);
    update(&mut app, ch(']'));
    assert_eq!(app.editor.tab, EditorTab::Headers);
    update(&mut app, ch('a'));
    for c in "X-Trace".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, key(KeyCode::Enter));
    for c in "on".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(
        app.editor.headers.rows,
        vec![crate::model::KeyValue::new("X-Trace", "on")]
    );
    update(&mut app, ch('x'));
    assert!(!app.editor.headers.rows[0].enabled);
    let effects = update(&mut app, ctrl('r'));
    let Some(Effect::Send(Job { spec, .. })) = effects.first() else {
        panic!()
    };
    assert_eq!(spec.method, Method::Put);
    assert!(!spec.headers[0].enabled);
}

#[test]
fn body_editing_takes_tab_and_enter_and_esc_leaves() {
    let mut app = app();
    update(&mut app, key(KeyCode::Down));
    update(&mut app, ch('t'));
    assert_eq!(app.editor.tab, EditorTab::Body);
    assert_eq!(app.editor.body_kind, crate::model::BodyKind::Json);
    update(&mut app, key(KeyCode::Enter));
    assert!(app.editor.body_editing);
    for c in "{".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Tab));
    for c in "\"a\": 1,".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, ch('}'));
    assert_eq!(app.editor.body.text(), "{\n  \"a\": 1,\n  }");
    let issue = app
        .editor
        .json_issue
        .clone()
        .expect("trailing comma is reported");
    assert_eq!(issue.line, 3);
    update(&mut app, key(KeyCode::Esc));
    assert!(!app.editor.body_editing);
    assert_eq!(app.focus, Pane::Editor);
}

#[test]
fn history_selection_shows_and_restores() {
    let mut app = app();
    let first = sent_id(&update(&mut app, ctrl('r')));
    update(&mut app, ctrl('u'));
    for c in "http://127.0.0.1:9/other".chars() {
        update(&mut app, ch(c));
    }
    let second = sent_id(&update(&mut app, ctrl('r')));
    app.history.list.selected = 0;
    app.shown = None;
    // Tabbing into the history shows its selected entry (the newest).
    app.focus = Pane::Response;
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Pane::History);
    assert_eq!(app.shown, Some(second));
    update(&mut app, ch('j'));
    assert_eq!(app.shown, Some(first));
    // The editor has unsaved edits of the saved request: loading asks first.
    update(&mut app, key(KeyCode::Enter));
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::DiscardAndRestore { .. }
        })
    ));
    update(&mut app, ch('y'));
    assert_eq!(app.focus, Pane::Editor);
    assert_eq!(
        app.editor.url.text(),
        "{{base_url}}/json",
        "as written, variables kept"
    );
    assert_ne!(first, second);
}

#[test]
fn saving_asks_for_a_name_then_before_overwriting() {
    let mut app = app();
    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(&mut app, id, Ok(response(200, "{}")));
    app.focus = Pane::Response;
    update(&mut app, ch('s'));
    let Some(Overlay::SavePath { input, .. }) = &app.overlay else {
        panic!("expected the save prompt");
    };
    assert_eq!(input.text(), "json.json");
    let effects = update(&mut app, key(KeyCode::Enter));
    let Some(Effect::SaveBody {
        path, overwrite, ..
    }) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert!(!overwrite);
    let path = path.clone();
    update(
        &mut app,
        Msg::Saved {
            id,
            path: path.clone(),
            outcome: SaveOutcome::Exists,
        },
    );
    assert!(matches!(
        app.overlay,
        Some(Overlay::ConfirmOverwrite { .. })
    ));
    let effects = update(&mut app, ch('y'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::SaveBody {
            overwrite: true,
            ..
        }]
    ));
}

#[test]
fn saving_without_a_response_says_why() {
    let mut app = app();
    app.focus = Pane::Response;
    update(&mut app, ch('s'));
    assert!(app.overlay.is_none());
    assert!(matches!(app.notice, Some(Notice::Error(_))));
}

fn click((x, y): (u16, u16)) -> Msg {
    Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })
}

/// The rectangle pane `pane` was drawn in.
fn pane_area(app: &App, pane: Pane) -> ratatui::layout::Rect {
    app.hits
        .panes
        .iter()
        .find(|(p, _)| *p == pane)
        .map(|(_, r)| *r)
        .expect("the pane is drawn")
}

#[test]
fn clicks_focus_panes_and_the_wheel_scrolls() {
    let mut app = app();
    let history = pane_area(&app, Pane::History);
    let collections = pane_area(&app, Pane::Collections);
    let response_pane = pane_area(&app, Pane::Response);
    update(&mut app, click((history.x + 2, history.y + 2)));
    assert_eq!(app.focus, Pane::History);
    update(&mut app, click((collections.x + 2, collections.y + 3)));
    assert_eq!(app.focus, Pane::Collections);
    assert_eq!(app.tree.list.selected, 2);

    let id = sent_id(&update(&mut app, ctrl('r')));
    let body: String = format!("[{}]", vec!["1"; 500].join(","));
    finish(&mut app, id, Ok(response(200, &body)));
    let doc = Arc::new(Document::from_body(
        body.as_bytes(),
        Some("application/json"),
    ));
    update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: DocKind::Pretty,
            doc,
            revealed: false,
        },
    );
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: response_pane.x + 3,
        row: response_pane.y + 5,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut app, wheel);
    assert_eq!(app.scroll.top, 3);
    app.focus = Pane::Response;
    update(&mut app, ch('G'));
    assert_eq!(app.scroll.top, 502 - viewport_height(&app));
    update(&mut app, ch('g'));
    assert_eq!(app.scroll.top, 0);
}

#[test]
fn help_opens_and_closes() {
    let mut app = app();
    app.focus = Pane::Response;
    update(&mut app, ch('?'));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    update(&mut app, ch('q'));
    assert!(app.overlay.is_none());
    assert!(!app.should_quit, "q closes the help, it does not quit");
}

#[test]
fn ctrl_s_on_the_builtin_demo_asks_for_a_name_to_save_a_copy() {
    let mut app = app();
    update(&mut app, ch('x'));
    assert!(app.is_dirty());
    let effects = update(&mut app, ctrl('s'));
    assert!(effects.is_empty());
    assert!(
        matches!(app.overlay, Some(Overlay::Prompt { .. })),
        "{:?}",
        app.overlay
    );
}

#[test]
fn i_adds_one_idempotency_key_and_renews_it() {
    let mut app = app();
    app.focus = Pane::Editor;
    app.editor.section = Section::Method;
    update(&mut app, ch('i'));
    let keys = |app: &App| -> Vec<String> {
        app.editor
            .headers
            .rows
            .iter()
            .filter(|r| r.key == "Idempotency-Key")
            .map(|r| r.value.clone())
            .collect()
    };
    let first = keys(&app);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].len(), 36, "a UUID: {first:?}");
    assert_eq!(app.editor.tab, EditorTab::Headers);
    update(&mut app, ch('i'));
    let second = keys(&app);
    assert_eq!(second.len(), 1);
    assert_ne!(first, second);
}

#[test]
fn a_saved_body_is_redacted_unless_secrets_are_revealed() {
    let mut app = app();
    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(
        &mut app,
        id,
        Ok(response(200, "{\"echo\": \"tok-s3cret\"}")),
    );
    app.history.get_mut(id).unwrap().secrets = vec!["tok-s3cret".into()];
    app.focus = Pane::Response;
    let secrets_of_save = |app: &mut App| {
        update(app, ch('s'));
        let effects = update(app, key(KeyCode::Enter));
        match effects.first() {
            Some(Effect::SaveBody { secrets, .. }) => secrets.clone(),
            other => panic!("{other:?}"),
        }
    };
    assert!(secrets_of_save(&mut app).contains(&"tok-s3cret".to_string()));
    update(&mut app, ch('R'));
    assert!(app.reveal);
    assert!(secrets_of_save(&mut app).is_empty());
}

/// Where `needle` is drawn on the screen `app` shows.
#[test]
fn clicking_a_tab_label_opens_that_tab_whatever_its_label_says() {
    let mut app = app();
    // Labels carry counts and choices ("Auth: none", "Body: none"), wider than the tab names.
    let at = |app: &mut App, needle: &str| {
        let (x, y) = find(&draw(app), needle);
        (x + 1, y)
    };
    let body = at(&mut app, "Body: none");
    update(&mut app, click(body));
    assert_eq!(app.editor.tab, EditorTab::Body);
    let auth = at(&mut app, "Auth: none");
    update(&mut app, click(auth));
    assert_eq!(app.editor.tab, EditorTab::Auth);

    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(&mut app, id, Ok(response(200, "{}")));
    let request = at(&mut app, "Request │ Cookies");
    update(&mut app, click(request));
    assert_eq!(app.response_tab, ResponseTab::Request);
}
