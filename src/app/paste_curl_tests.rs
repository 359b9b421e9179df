//! Pasting a curl command into the URL bar: asked first, then the request; a command that cannot
//! be read changes nothing and says why; elsewhere, a paste is just text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::editor::Section;
use crate::app::testing::{app_with, draw};
use crate::app::{ConfirmPurpose, Msg, Notice, Overlay, update};
use crate::model::{BodyKind, Method};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

// As a terminal pastes it: line ends as CR.
const COMMAND: &str = "curl 'https://api.test/items?x=1' \\\r  -H 'X-Trace: 7' \\\r  \
                       -u bob:pw -k \\\r  --data-raw '{\"a\":1}'";

#[test]
fn a_pasted_command_asks_then_becomes_the_request() {
    let mut app = app_with("json");
    assert_eq!(app.editor.section, Section::Url);
    let before = app.editor.clone();
    update(&mut app, Msg::Paste(COMMAND.into()));
    assert!(matches!(
        &app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::PasteCurl(_)
        })
    ));
    // Nothing changes until the answer.
    assert_eq!(app.editor, before);
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("Replace the request in the editor with the pasted curl command"),
        "{screen}"
    );
    // The dialog takes every key: the footer promises none of the URL bar's.
    assert!(!screen.contains("send the request"), "{screen}");
    update(&mut app, key('y'));
    let spec = app.editor.spec();
    assert_eq!(spec.method, Method::Post);
    assert_eq!(spec.url, "https://api.test/items?x=1");
    assert_eq!(spec.body_kind, BodyKind::Text);
    assert_eq!(spec.body, "{\"a\":1}");
    let headers: Vec<(&str, &str)> = spec
        .headers
        .iter()
        .map(|h| (h.key.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("X-Trace", "7"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", "Basic Ym9iOnB3"),
        ]
    );
    assert!(app.origin.is_none(), "a new request, not the saved one");
    assert!(matches!(
        &app.notice,
        Some(Notice::Info(m)) if m == "Pasted the curl command · not applied here: -k (scout import curl keeps them)"
    ));
}

/// An option both left out and noted (`--retry 198`, kept as 100 by an import) is named once;
/// what an import would drop too (`--max-time 0`, curl's "no limit") is not said to be kept.
#[test]
fn an_option_left_out_is_named_once_and_a_dropped_one_apart() {
    let mut app = app_with("json");
    update(
        &mut app,
        Msg::Paste("curl --retry 198 --max-time 0 https://api.test/".into()),
    );
    update(&mut app, key('y'));
    let notice = match &app.notice {
        Some(Notice::Info(m)) => m.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        notice,
        "Pasted the curl command · not applied here: --retry (scout import curl keeps them) · \
         dropped: --max-time 0"
    );
}

#[test]
fn no_keeps_the_editor_and_a_broken_command_says_why() {
    let mut app = app_with("json");
    let before = app.editor.clone();
    update(&mut app, Msg::Paste(COMMAND.into()));
    update(&mut app, key('n'));
    assert_eq!(app.editor, before);
    update(&mut app, Msg::Paste("curl -H 'X: 1 https://a.test".into()));
    assert!(app.overlay.is_none());
    assert_eq!(app.editor, before);
    assert!(
        matches!(
            &app.notice,
            Some(Notice::Error(m)) if m.starts_with("The pasted curl command cannot be read: 1:9: this ' is never closed")
        ),
        "{:?}",
        app.notice
    );
}

/// A command read after one that could not be: the question is asked without the old notice.
#[test]
fn a_good_command_after_a_broken_one_is_asked_without_the_old_notice() {
    let mut app = app_with("json");
    update(&mut app, Msg::Paste("curl -H 'X: 1 https://a.test".into()));
    assert!(matches!(&app.notice, Some(Notice::Error(_))));
    update(&mut app, Msg::Paste(COMMAND.into()));
    assert!(app.overlay.is_some());
    assert_eq!(app.notice, None);
}

#[test]
fn elsewhere_a_pasted_command_is_text() {
    let mut app = app_with("json");
    app.editor.section = Section::Content;
    app.editor.tab = crate::app::editor::EditorTab::Body;
    update(&mut app, Msg::Paste("curl https://x.test".into()));
    assert!(app.overlay.is_none());
    assert!(app.editor.body.text().contains("curl https://x.test"));
}

#[test]
fn a_shell_variable_reads_as_itself_in_the_question_and_as_the_environment_after() {
    let mut app = app_with("json");
    update(&mut app, Msg::Paste("curl \"$BASE/items\"".into()));
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("$BASE/items)?"), "{screen}");
    update(&mut app, key('y'));
    assert_eq!(app.editor.spec().url, "{{env.BASE}}/items");
}
