//! The body editor's JSON check: at once for a small body, in the background for a large one,
//! one check at a time, and an answer kept only by the body that asked for it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::editor::{Editor, EditorTab, Section};
use crate::app::testing::draw;
use crate::app::{Msg, Pane, update};
use crate::model::{BodyKind, Method, RequestSpec};

fn ch(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// An app editing `body` as JSON (the cursor at its start).
fn editing(body: &str) -> App {
    let spec = RequestSpec {
        method: Method::Post,
        url: "http://127.0.0.1:9/echo".into(),
        body_kind: BodyKind::Json,
        body: body.into(),
        ..Default::default()
    };
    let mut app = App::new(Editor::from_spec(&spec), Default::default());
    app.focus = Pane::Editor;
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Body;
    app.editor.body_editing = true;
    app
}

/// A JSON array of more than [`AS_YOU_TYPE`] bytes, on one line.
fn large() -> String {
    format!("[{}]", vec!["1"; AS_YOU_TYPE / 2 + 1].join(","))
}

fn checks(effects: &[Effect]) -> Vec<(u64, usize)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::CheckJson { ticket, text } => Some((*ticket, text.len())),
            _ => None,
        })
        .collect()
}

fn issue_at(column: usize) -> JsonIssue {
    JsonIssue {
        line: 1,
        column,
        message: "trailing characters".into(),
    }
}

#[test]
fn a_small_body_is_checked_as_it_is_typed() {
    let mut app = editing("[1]");
    let effects = update(&mut app, ch('x'));
    assert!(checks(&effects).is_empty());
    assert_eq!(app.editor.json_check, JsonCheck::Done);
    assert_eq!(app.editor.body.text(), "x[1]");
    assert_eq!(app.editor.json_issue.as_ref().map(|i| i.column), Some(1));
}

#[test]
fn a_large_body_is_checked_in_the_background_one_check_at_a_time() {
    let body = large();
    let mut app = editing(&body);
    // Opened: its first check starts with the first message.
    assert_eq!(app.editor.json_check, JsonCheck::Wanted);
    let effects = update(&mut app, ch('x'));
    assert_eq!(checks(&effects), [(1, body.len() + 1)]);
    assert!(
        draw(&mut app)
            .iter()
            .any(|row| row.contains("… checking the JSON"))
    );
    // Keys typed meanwhile ask for one more check, not one each.
    assert!(checks(&update(&mut app, ch('y'))).is_empty());
    assert!(checks(&update(&mut app, ch('z'))).is_empty());
    assert_eq!(
        app.editor.json_check,
        JsonCheck::Running {
            ticket: 1,
            again: true
        }
    );
    // The first answer is about a text gone: not shown, and the next check starts.
    let effects = update(
        &mut app,
        Msg::JsonChecked {
            ticket: 1,
            result: Ok(Some(issue_at(body.len() + 1))),
        },
    );
    assert_eq!(checks(&effects), [(2, body.len() + 3)]);
    assert_eq!(app.editor.json_issue, None);
    // Its answer is the body's.
    update(
        &mut app,
        Msg::JsonChecked {
            ticket: 2,
            result: Ok(Some(issue_at(body.len() + 1))),
        },
    );
    assert_eq!(app.editor.json_check, JsonCheck::Done);
    assert_eq!(app.editor.json_issue, Some(issue_at(body.len() + 1)));
    let shown = draw(&mut app);
    assert!(
        shown.iter().any(|row| row.contains(&format!(
            "✗ line 1, column {}: trailing characters",
            body.len() + 1
        ))),
        "{shown:#?}"
    );
}

#[test]
fn an_answer_for_a_body_no_longer_in_the_editor_is_dropped() {
    let mut app = editing(&large());
    update(&mut app, ch('x'));
    // Another large request is opened before the check is back: it has a check of its own.
    let other = format!("{} ", large());
    app.editor = editing(&other).editor;
    let effects = update(
        &mut app,
        Msg::JsonChecked {
            ticket: 1,
            result: Ok(Some(issue_at(1))),
        },
    );
    assert_eq!(checks(&effects), [(2, other.len())]);
    assert_eq!(app.editor.json_issue, None);
    update(
        &mut app,
        Msg::JsonChecked {
            ticket: 2,
            result: Ok(None),
        },
    );
    assert_eq!(
        (&app.editor.json_check, &app.editor.json_issue),
        (&JsonCheck::Done, &None)
    );
    assert!(
        draw(&mut app)
            .iter()
            .any(|row| row.contains("✓ valid JSON"))
    );
}

#[test]
fn a_check_that_failed_says_so_rather_than_valid() {
    let mut app = editing(&large());
    update(&mut app, ch('x'));
    update(
        &mut app,
        Msg::JsonChecked {
            ticket: 1,
            result: Err("scout failed while checking the JSON body: boom".into()),
        },
    );
    assert!(matches!(app.editor.json_check, JsonCheck::Failed(_)));
    let shown = draw(&mut app);
    assert!(
        shown
            .iter()
            .any(|row| row.contains("✗ the JSON was not checked: scout failed")),
        "{shown:#?}"
    );
    // The next key checks again.
    assert_eq!(checks(&update(&mut app, ch('y'))).len(), 1);
}

#[test]
fn another_body_type_ends_the_wait() {
    let mut app = editing(&large());
    update(&mut app, ch('x'));
    app.editor.body_kind = BodyKind::Text;
    app.editor.body_changed();
    update(
        &mut app,
        Msg::JsonChecked {
            ticket: 1,
            result: Ok(Some(issue_at(1))),
        },
    );
    assert_eq!(
        (&app.editor.json_check, &app.editor.json_issue),
        (&JsonCheck::Done, &None)
    );
}

/// The external editor's text is checked at once, whatever its size: its notice says where the
/// JSON breaks (as the README promises).
#[test]
fn a_large_body_from_the_external_editor_is_checked_at_once() {
    let mut app = editing("[1]");
    let body = format!("{}x", large());
    let effects = update(
        &mut app,
        Msg::EditedExternally {
            field: crate::app::typing::ExternalField::Body,
            result: Ok(body.clone()),
        },
    );
    assert!(checks(&effects).is_empty());
    assert_eq!(app.editor.json_check, JsonCheck::Done);
    assert!(
        matches!(&app.notice, Some(crate::app::Notice::Error(m))
            if m.starts_with(&format!("The body is not valid JSON at line 1, column {}", body.len()))),
        "{:?}",
        app.notice
    );
}

/// Found by trying the app: in a body over 8 MiB, Ctrl+Z did nothing and said nothing.
#[test]
fn undo_in_a_body_too_large_for_it_says_why_nothing_happens() {
    let mut app = editing(&"[1]".repeat(3 << 20));
    update(&mut app, ch('x'));
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
    );
    assert!(app.editor.body.text().starts_with("x[1]"));
    assert_eq!(
        app.notice,
        Some(crate::app::Notice::Info(
            "Nothing more to undo: a text over 8 MiB keeps no undo steps".into()
        ))
    );
}
