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
use crate::model::{Method, ResponseData, Secrets};

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
        stopped: false,
        spilled: None,
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(5),
        redirects: vec![],
        url: "http://127.0.0.1:9/json".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
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

/// Sends the editor's request and answers it with `status` and a JSON array that pretty-prints
/// to 502 lines, prepared as the event loop would.
fn answered_with_500_lines(app: &mut App, status: u16) -> RequestId {
    let id = sent_id(&update(app, ctrl('r')));
    let body: String = format!("[{}]", vec!["1"; 500].join(","));
    finish(app, id, Ok(response(status, &body)));
    let doc = Arc::new(Document::from_body(
        body.as_bytes(),
        Some("application/json"),
    ));
    let prepared = Msg::BodyPrepared {
        id,
        kind: DocKind::Pretty,
        doc,
        revealed: false,
    };
    update(app, prepared);
    id
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
    // A JSON body pairs the brace, and Enter between the pair indents.
    update(&mut app, ch('{'));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.body.text(), "{\n  \n}");
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.editor.body.text(), "{\n    \n}");
    update(&mut app, ctrl('z'));
    for c in "\"a\": 1,".chars() {
        update(&mut app, ch(c));
    }
    assert_eq!(app.editor.body.text(), "{\n  \"a\": 1,\n}");
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

    answered_with_500_lines(&mut app, 200);
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

/// Where the help is scrolled to, and its search.
fn help_state(app: &App) -> (usize, String, bool) {
    match &app.overlay {
        Some(Overlay::Help {
            scroll,
            search,
            typing,
        }) => (*scroll, search.clone(), *typing),
        other => panic!("the help is not open: {other:?}"),
    }
}

#[test]
fn the_help_scrolls_by_line_and_page_to_either_end_and_no_further() {
    let mut app = app();
    app.focus = Pane::Response;
    update(&mut app, ch('?'));
    let rows = draw(&mut app).join("\n");
    let max = app.hits.overlay_max_scroll;
    let page = app.hits.overlay_page;
    assert!(max > 0, "the help is longer than a 40-row screen");
    assert!(
        rows.contains(&format!("lines 1–{page} of {}", max + page)),
        "{rows}"
    );
    for _ in 0..max + 50 {
        update(&mut app, ch('j'));
    }
    assert_eq!(help_state(&app).0, max);
    let rows = draw(&mut app).join("\n");
    assert!(
        rows.contains("Mouse: a click focuses a pane"),
        "the last line shows:\n{rows}"
    );
    update(&mut app, ch('k'));
    assert_eq!(help_state(&app).0, max - 1);
    update(&mut app, ch('g'));
    assert_eq!(help_state(&app).0, 0);
    update(&mut app, key(KeyCode::PageDown));
    assert_eq!(help_state(&app).0, page.min(max));
    update(&mut app, key(KeyCode::PageUp));
    assert_eq!(help_state(&app).0, 0);
    update(&mut app, ch('G'));
    assert_eq!(help_state(&app).0, max);
}

#[test]
fn the_help_lists_each_pane_once_and_searches_in_place() {
    let mut app = app();
    app.focus = Pane::Response;
    update(&mut app, ch('?'));
    // Tall enough for all of it: each title once.
    app.size = (120, 400);
    let rows = draw(&mut app).join("\n");
    for title in ["│History ", "│Response body ", "│URL bar "] {
        assert_eq!(rows.matches(title).count(), 1, "{title}:\n{rows}");
    }
    app.size = (120, 40);
    update(&mut app, ch('/'));
    for c in "wrap".chars() {
        update(&mut app, ch(c));
    }
    assert_eq!(help_state(&app), (0, "wrap".into(), true));
    let rows = draw(&mut app).join("\n");
    assert!(rows.contains("wrap long lines"), "{rows}");
    assert!(!rows.contains("send the request"), "{rows}");
    assert!(rows.contains("/wrap▏"), "{rows}");
    // Enter keeps the search (keys scroll again), Esc clears it, Esc again closes.
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(help_state(&app), (0, "wrap".into(), false));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(help_state(&app), (0, String::new(), false));
    update(&mut app, key(KeyCode::Esc));
    assert!(app.overlay.is_none());
}

#[test]
fn f1_opens_the_help_from_a_text_field_where_question_mark_is_typed() {
    let mut app = app();
    app.focus = Pane::Editor;
    assert!(app.editor.is_typing(), "the URL bar takes text");
    update(&mut app, ch('?'));
    assert!(app.overlay.is_none());
    assert!(app.editor.url.text().ends_with('?'));
    update(&mut app, key(KeyCode::F(1)));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    update(&mut app, key(KeyCode::F(1)));
    assert!(app.overlay.is_none());
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
    let uuid = uuid::Uuid::parse_str(&first[0]).expect("a UUID");
    assert_eq!(uuid.get_version(), Some(uuid::Version::Random));
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
    app.history.get_mut(id).unwrap().secrets = Secrets(vec!["tok-s3cret".into()]);
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
    let request = at(&mut app, "Request │ Cache");
    update(&mut app, click(request));
    assert_eq!(app.response_tab, ResponseTab::Request);
}

#[test]
fn ctrl_c_asks_like_q_when_there_are_unsaved_edits_and_a_second_one_quits() {
    let mut app = app();
    update(&mut app, ch('x'));
    assert!(app.is_dirty());
    update(&mut app, ctrl('c'));
    assert!(!app.should_quit, "unsaved edits: Ctrl+C asks first");
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved
        })
    ));
    // `n` keeps the app; a second Ctrl+C at the question quits.
    update(&mut app, ch('n'));
    assert!(app.overlay.is_none() && !app.should_quit);
    update(&mut app, ctrl('c'));
    let effects = update(&mut app, ctrl('c'));
    assert!(app.should_quit);
    assert!(matches!(effects.as_slice(), [Effect::Quit]));
}

#[test]
fn the_question_about_unsaved_edits_can_be_answered_by_saving() {
    let mut app = app();
    update(&mut app, ch('x'));
    update(&mut app, ctrl('c'));
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("Ctrl+S = save them instead"),
        "the dialog says so:\n{screen}"
    );
    update(&mut app, ctrl('s'));
    // The demo collection is read-only: saving asks for a name, as Ctrl+S does anywhere.
    assert!(
        matches!(
            app.overlay,
            Some(Overlay::Prompt {
                purpose: crate::app::PromptPurpose::SaveAs { .. },
                ..
            })
        ),
        "{:?}",
        app.overlay
    );
    assert!(!app.should_quit);
}

#[test]
fn quitting_while_typing_is_a_key_of_the_keymap_and_works_in_dialogs() {
    let mut app = app();
    let patch: toml::Table = toml::from_str("[typing]\nquit = [\"ctrl+q\"]\n").unwrap();
    assert!(app.keymap.patch(&patch).is_empty());
    update(&mut app, ch('x'));
    update(&mut app, ctrl('c'));
    assert!(app.overlay.is_none(), "Ctrl+C is no longer quit");
    update(&mut app, ctrl('q'));
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::QuitUnsaved
        })
    ));
    update(&mut app, ctrl('q'));
    assert!(app.should_quit);
}

#[test]
fn clicking_another_row_keeps_a_cell_edit_in_the_row_it_started_in() {
    let mut app = app();
    update(&mut app, ctrl('u'));
    for c in "http://127.0.0.1:9/x?a=1&b=2".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.editor.tab, crate::app::editor::EditorTab::Query);
    // Edit a's value, then click b's row before pressing Enter.
    update(&mut app, key(KeyCode::Right));
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, ch('9'));
    let rows = draw(&mut app);
    let (x, y) = find(&rows, "b ");
    update(&mut app, click((x, y)));
    let cells: Vec<_> = app
        .editor
        .query
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(cells, [("a", "19"), ("b", "2")]);
    assert_eq!(app.editor.query.list.selected, 1);
    assert_eq!(app.editor.url.text(), "http://127.0.0.1:9/x?a=19&b=2");
}

#[test]
fn a_history_entry_opens_as_a_new_request_that_never_overwrites_the_saved_one() {
    let mut app = app();
    let saved_path = app.origin.as_ref().unwrap().path.clone();
    // Something else was sent earlier (it is in the history).
    update(&mut app, ctrl('u'));
    for c in "http://127.0.0.1:9/other".chars() {
        update(&mut app, ch(c));
    }
    update(&mut app, ctrl('r'));
    // The saved request is open again, unedited.
    crate::app::testing::open(&mut app, "json");
    assert!(!app.is_dirty());
    app.focus = Pane::History;
    update(&mut app, key(KeyCode::Enter));
    assert!(app.overlay.is_none(), "nothing unsaved: no question");
    assert_eq!(app.editor.url.text(), "http://127.0.0.1:9/other");
    assert!(
        app.origin.is_none(),
        "it no longer edits {}",
        saved_path.display()
    );
    // Ctrl+S asks for a name (a new request) instead of writing over the saved one.
    let effects = update(&mut app, ctrl('s'));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::WriteCollection { .. })),
        "{effects:?}"
    );
    assert!(matches!(
        app.overlay,
        Some(Overlay::Prompt {
            purpose: crate::app::PromptPurpose::SaveAs { .. },
            ..
        })
    ));
}

#[test]
fn a_paste_with_cr_line_endings_keeps_its_lines() {
    let mut app = app();
    update(&mut app, key(KeyCode::Down));
    update(&mut app, ch('t'));
    assert_eq!(app.editor.tab, EditorTab::Body);
    update(
        &mut app,
        Msg::Paste("{\r  \"a\": 1,\r  \"b\": [2]\r}".into()),
    );
    assert!(
        app.editor.body_editing,
        "a paste on the Body tab starts editing"
    );
    assert_eq!(app.editor.body.text(), "{\n  \"a\": 1,\n  \"b\": [2]\n}");
    assert!(app.editor.json_issue.is_none());
}

#[test]
fn clicks_select_the_row_drawn_there_in_a_scrolled_or_filtered_list() {
    let mut app = app();
    for i in 0..30 {
        update(&mut app, ctrl('u'));
        for c in format!("http://127.0.0.1:9/n{i:02}").chars() {
            update(&mut app, ch(c));
        }
        update(&mut app, ctrl('r'));
    }
    app.focus = Pane::History;
    for _ in 0..25 {
        update(&mut app, ch('j'));
    }
    let rows = draw(&mut app);
    // The window scrolled: the top row is not the newest entry.
    let (_, area, first) = app
        .hits
        .lists
        .iter()
        .find(|(l, _, _)| *l == crate::app::hits::List::History)
        .copied()
        .unwrap();
    assert!(first > 0, "the history list is scrolled");
    let top_url = app.history.visible()[first].spec.url.clone();
    let path = top_url.trim_start_matches("http://127.0.0.1:9");
    assert!(rows[usize::from(area.y)].contains(path));
    update(&mut app, click((area.x + 2, area.y)));
    assert_eq!(app.history.list.selected, first);
    assert_eq!(app.shown_exchange().unwrap().spec.url, top_url);

    // Filtered: the row clicked is an index into what the filter shows.
    app.history.filter = "n1".into();
    app.history.list = Default::default();
    let rows = draw(&mut app);
    let (x, y) = find(&rows, "/n17");
    update(&mut app, click((x, y)));
    assert_eq!(
        app.shown_exchange().unwrap().spec.url,
        "http://127.0.0.1:9/n17"
    );
}

#[test]
fn the_same_messages_give_the_same_state() {
    let start = Now::real();
    let run = || {
        let mut app = app();
        let mut at = 0u64;
        let mut step = |app: &mut App, msg: Msg| {
            at += 7;
            let now = Now {
                instant: start.instant + Duration::from_millis(at),
                wall: start.wall + Duration::from_millis(at),
            };
            update_at(app, msg, now)
        };
        step(&mut app, ctrl('u'));
        for c in "http://127.0.0.1:9/json?q=1".chars() {
            step(&mut app, ch(c));
        }
        step(&mut app, key(KeyCode::Down));
        step(&mut app, ch(']'));
        step(&mut app, ch('i'));
        let id = sent_id(&step(&mut app, ctrl('r')));
        step(&mut app, Msg::Tick);
        step(
            &mut app,
            Msg::Http(HttpEvent::Progress {
                id,
                received: 10,
                total: Some(20),
            }),
        );
        step(
            &mut app,
            Msg::Http(HttpEvent::Finished {
                id,
                result: Ok(response(200, "{\"a\": [1, 2]}")),
            }),
        );
        step(&mut app, Msg::Resize(100, 30));
        step(&mut app, key(KeyCode::Tab));
        step(&mut app, ch('j'));
        format!("{app:#?}")
    };
    let (a, b) = (run(), run());
    assert!(
        a.contains("Idempotency-Key"),
        "the fresh id is part of the state"
    );
    assert_eq!(a, b);
}

#[test]
fn old_exchanges_are_cut_to_what_history_keeps_when_over_the_memory_budget() {
    let mut app = app();
    let big = "[".to_string() + &"1,".repeat(1024 * 1024) + "1]";
    app.memory_budget = 3 * 1024 * 1024;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = sent_id(&update(&mut app, ctrl('r')));
        finish(&mut app, id, Ok(response(200, &big)));
        ids.push(id);
    }
    // Each body that arrives is weighed against the budget: the newest (shown) keeps its 2 MB
    // body; the two older ones are cut to 1 MB each.
    let len = |app: &App, id| app.history.get(id).unwrap().response().unwrap().body.len();
    assert_eq!(len(&app, ids[2]), big.len());
    for id in &ids[..2] {
        assert_eq!(len(&app, *id), crate::history::MAX_BODY_BYTES);
        let view = app.history.get(*id).unwrap().view().unwrap();
        assert_eq!(
            view.truncated.as_deref(),
            Some("stored: first 1.0 MB of 2.0 MB")
        );
        assert!(view.doc.is_none());
    }
    // Showing one again prepares what is left, saying it is cut.
    app.focus = Pane::History;
    let effects = update(&mut app, ch('j'));
    assert_eq!(app.shown, Some(ids[1]));
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::PrepareBody { id, truncated: Some(note), body, .. }
                if *id == ids[1] && note == "stored: first 1.0 MB of 2.0 MB"
                    && body.len() == crate::history::MAX_BODY_BYTES)),
        "{effects:?}"
    );
}

#[test]
fn a_body_history_cut_is_labelled_as_cut_not_as_invalid_json() {
    let mut app = app();
    let big = "[".to_string() + &"1,".repeat(1024 * 1024) + "1]";
    let spec = app.editor.spec();
    let record = crate::history::HistoryRecord::from_exchange(
        1,
        0,
        &spec,
        crate::history::Outcome::Response(&response(200, &big)),
        &crate::model::Redactor::none(),
    );
    update(
        &mut app,
        Msg::HistoryLoaded(Ok(crate::history::Loaded {
            records: vec![record],
            skipped: Vec::new(),
        })),
    );
    app.focus = Pane::History;
    let effects = update(&mut app, key(KeyCode::Home));
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::PrepareBody { truncated: Some(note), .. }
                if note == "stored: first 1.0 MB of 2.0 MB")),
        "{effects:?}"
    );
    // The pane says so, above the body.
    let doc = Arc::new(Document::from_partial_body(
        &app.shown_exchange().unwrap().response().unwrap().body,
        Some("application/json"),
    ));
    let id = app.shown.unwrap();
    update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: DocKind::Pretty,
            doc,
            revealed: false,
        },
    );
    app.focus = Pane::Response;
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("⚠ stored: first 1.0 MB of 2.0 MB"),
        "{screen}"
    );
    assert!(!screen.contains("not valid JSON"), "{screen}");
    assert!(
        screen.contains("from history"),
        "the title says where it came from"
    );
}

#[test]
fn the_response_title_says_which_exchange_is_shown() {
    let mut app = app();
    for _ in 0..3 {
        let id = sent_id(&update(&mut app, ctrl('r')));
        finish(&mut app, id, Ok(response(200, "{}")));
    }
    let title = |app: &mut App| {
        draw(app)
            .into_iter()
            .find(|l| l.contains("Response ·"))
            .unwrap()
    };
    let newest = title(&mut app);
    assert!(!newest.contains("history"), "{newest}");
    assert!(newest.contains(" UTC"), "{newest}");
    app.focus = Pane::History;
    update(&mut app, ch('j'));
    let older = title(&mut app);
    assert!(older.contains("· history 2/3 · sent "), "{older}");
}

#[test]
fn the_url_cursor_sits_after_wide_characters() {
    let mut app = app();
    update(&mut app, ctrl('u'));
    for c in "http://x/日本語".chars() {
        update(&mut app, ch(c));
    }
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| {
            crate::ui::draw(f, &app);
        })
        .unwrap();
    let cursor = terminal.get_cursor_position().unwrap();
    let rows = draw(&mut app);
    let (x, y) = find(&rows, "http://x/日本語");
    // 9 ASCII cells, then three characters two cells wide.
    assert_eq!((cursor.x, cursor.y), (x + 9 + 6, y));
}

#[test]
fn the_last_line_of_the_body_shows_below_the_notes_above_it() {
    let mut app = app();
    answered_with_500_lines(&mut app, 404);
    draw(&mut app);
    app.focus = Pane::Response;
    update(&mut app, ch('G'));
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("404"), "{screen}");
    assert!(
        screen.contains("502 ]"),
        "the last line is on screen:\n{screen}"
    );
}

#[test]
fn the_history_pane_keeps_as_many_exchanges_as_the_history_file() {
    let mut app = app();
    let max = crate::history::MAX_RECORDS;
    for _ in 0..max + 5 {
        let id = sent_id(&update(&mut app, ctrl('r')));
        finish(&mut app, id, Ok(response(200, "{}")));
    }
    assert_eq!(app.history.entries.len(), max);
    // The oldest went; the newest is shown.
    assert_eq!(app.history.entries[0].id, 6);
    assert_eq!(app.shown, Some(max as u64 + 5));
}

#[test]
fn a_wide_url_in_the_history_is_cut_by_its_cells() {
    let mut app = app();
    app.size = (100, 30);
    update(&mut app, ctrl('u'));
    for c in "http://127.0.0.1:9/日本語日本語日本語日本語日本語日本語".chars() {
        update(&mut app, ch(c));
    }
    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(&mut app, id, Ok(response(200, "{}")));
    let rows = draw(&mut app);
    let row = rows
        .iter()
        .find(|r| r.contains("200 GET"))
        .unwrap_or_else(|| panic!("the history row:\n{}", rows.join("\n")));
    assert!(row.contains("本…"), "the … right after the text: {row}");
    assert!(row.contains(" 5 ms│"), "the time is not pushed out: {row}");
}

#[test]
fn the_footer_shows_whole_hints_at_any_width() {
    let mut app = app();
    for width in 60..=130 {
        app.size = (width, 30);
        let rows = draw(&mut app);
        let footer = rows.last().unwrap().trim_end().to_string();
        let hints = crate::app::update::footer_hints(&app);
        assert!(
            hints
                .iter()
                .any(|(key, what)| footer.ends_with(&format!("{key} {what}"))),
            "at {width} columns the last hint is cut: `{footer}`"
        );
    }
}

#[test]
fn the_timing_tab_stays_up_across_a_new_send_and_goes_with_an_unmeasured_response() {
    let mut app = app();
    let measured = |status| {
        let mut r = response(status, "{}");
        r.timing = Some(crate::model::Timing::default());
        r
    };
    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(&mut app, id, Ok(measured(200)));
    app.focus = Pane::Response;
    while app.response_tab != ResponseTab::Timing {
        update(&mut app, ch(']'));
    }
    // Sending again: while it loads, and once it is answered, the tab stays.
    let id = sent_id(&update(&mut app, ctrl('r')));
    assert_eq!(app.response_tab, ResponseTab::Timing);
    finish(&mut app, id, Ok(measured(200)));
    assert_eq!(app.response_tab, ResponseTab::Timing);
    // A response nobody measured has no Timing tab: Body shows instead.
    let id = sent_id(&update(&mut app, ctrl('r')));
    finish(&mut app, id, Ok(response(200, "{}")));
    assert_eq!(app.response_tab, ResponseTab::Body);
}

#[test]
fn each_editor_tab_hints_what_its_keys_do_there() {
    let mut app = app();
    app.focus = Pane::Editor;
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.editor.section, Section::Content);
    let hint = |app: &App, key: &str| {
        crate::app::update::footer_hints(app)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, what)| what.to_string())
    };
    // Query rows are the URL's: they are not turned off, so x is not offered.
    assert_eq!(app.editor.tab, EditorTab::Query);
    assert_eq!(hint(&app, "x"), None);
    let rows = draw(&mut app).join("\n");
    assert!(
        rows.contains("No query parameters. Press a to add one."),
        "already there: {rows}"
    );
    update(&mut app, ch(']'));
    assert_eq!(app.editor.tab, EditorTab::Headers);
    assert_eq!(hint(&app, "x").as_deref(), Some("turn the header on/off"));
    update(&mut app, ch(']'));
    assert_eq!(app.editor.tab, EditorTab::Auth);
    let enter = hint(&app, "Enter").expect("Enter is offered on the Auth tab");
    assert!(enter.starts_with("the next auth choice"), "{enter}");
    let before = app.editor.auth.clone();
    update(&mut app, key(KeyCode::Enter));
    assert_ne!(app.editor.auth, before, "Enter did what the hint says");
}

/// The demo's json request, the URL bar focused, then `keys` pressed (see [`press_all`]).
fn from_url_bar(keys: &str) -> App {
    let mut a = app();
    a.focus = Pane::Editor;
    a.editor.section = Section::Url;
    press_all(&mut a, keys);
    a
}

/// Answered with 500 lines, `focus` focused, then `keys` pressed.
fn answered_in(focus: Pane, keys: &str) -> App {
    let mut a = app();
    answered_with_500_lines(&mut a, 200);
    a.focus = focus;
    press_all(&mut a, keys);
    a
}

/// Presses each of `keys`: `↑`, `↓` and `⏎` are the arrows and Enter, anything else itself.
fn press_all(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let msg = match c {
            '↑' => key(KeyCode::Up),
            '↓' => key(KeyCode::Down),
            '⏎' => key(KeyCode::Enter),
            c => ch(c),
        };
        update(app, msg);
    }
}

/// Every place the keys can go, reached as a person would (keys only), by name.
fn every_focus() -> Vec<(&'static str, App)> {
    let mut tree = app();
    tree.focus = Pane::Collections;
    vec![
        ("URL bar", from_url_bar("")),
        ("method", from_url_bar("↑")),
        ("Query tab", from_url_bar("↓")),
        ("Headers tab", from_url_bar("↓]")),
        ("Auth tab", from_url_bar("↓]]")),
        ("Body tab", from_url_bar("↓]]]")),
        ("a header cell", from_url_bar("↓]a⏎")),
        ("the body text", from_url_bar("↓]]]⏎")),
        ("response body", answered_in(Pane::Response, "")),
        ("after z", answered_in(Pane::Response, "z")),
        ("response headers", answered_in(Pane::Response, "]")),
        ("history", answered_in(Pane::History, "")),
        ("collections", tree),
    ]
}

#[test]
fn every_hint_shown_names_a_key_that_does_it_there() {
    for (place, app) in every_focus() {
        let scopes = crate::app::update::scopes(&app);
        let hinted = app
            .keymap
            .hinted(&scopes, |a| !crate::app::update::idle(&app, a));
        assert!(!hinted.is_empty(), "{place}: no hints");
        for (key, action, what) in hinted {
            let event = KeyEvent::new(key.code, key.mods);
            assert_eq!(
                app.keymap.lookup(&scopes, &event),
                Some(action),
                "{place}: the footer says `{} {what}`, but {} does something else there",
                key.label(),
                key.label()
            );
        }
    }
}
