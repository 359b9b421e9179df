//! The editor's text fields through `update`: undo, selection, copy/cut/paste, the external
//! editor's round trip and formatting JSON, in each field that has them.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::editor::{EditorTab, Section};
use crate::app::testing::{app_with, draw};
use crate::app::typing::ExternalField;
use crate::app::{App, Effect, Msg, Notice, update};

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

fn ctrl(c: char) -> Msg {
    key(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn select_left(app: &mut App, n: usize) {
    for _ in 0..n {
        update(app, key(KeyCode::Left, KeyModifiers::SHIFT));
    }
}

fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy { text, secret, .. } => {
            assert!(*secret, "a field's text never goes to a file");
            Some(text.clone())
        }
        _ => None,
    })
}

/// The body editor of the demo's JSON POST, editing.
fn body_app() -> App {
    let mut app = app_with("create-item");
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Body;
    update(&mut app, key(KeyCode::Enter, KeyModifiers::NONE));
    assert!(app.editor.body_editing);
    app
}

#[test]
fn ctrl_c_copies_a_selection_in_the_url_bar_and_quits_without_one() {
    let mut app = app_with("json");
    let url = app.editor.url.text();
    select_left(&mut app, 4);
    let effects = update(&mut app, ctrl('c'));
    assert_eq!(copied(&effects).as_deref(), Some(&url[url.len() - 4..]));
    assert!(!app.should_quit);
    assert_eq!(app.editor.url.text(), url, "copying changes nothing");
    // Cut takes it out; paste puts it back where the cursor is.
    let effects = update(&mut app, ctrl('x'));
    assert_eq!(copied(&effects).as_deref(), Some(&url[url.len() - 4..]));
    assert_eq!(app.editor.url.text(), url[..url.len() - 4]);
    update(&mut app, ctrl('v'));
    assert_eq!(app.editor.url.text(), url);
    // Undo takes back the paste, then the cut.
    update(&mut app, ctrl('z'));
    update(&mut app, ctrl('z'));
    assert_eq!(app.editor.url.text(), url);
    update(&mut app, ctrl('c'));
    assert!(app.should_quit, "nothing selected: Ctrl+C quits");
}

#[test]
fn a_query_cell_undoes_selects_and_keeps_the_url_in_step() {
    let mut app = app_with("json");
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Query;
    update(&mut app, key(KeyCode::Char('a'), KeyModifiers::NONE));
    typed(&mut app, "page");
    update(&mut app, key(KeyCode::Enter, KeyModifiers::NONE));
    typed(&mut app, "10");
    assert!(app.editor.url.text().ends_with("?page=10"));
    select_left(&mut app, 2);
    let effects = update(&mut app, ctrl('x'));
    assert_eq!(copied(&effects).as_deref(), Some("10"));
    assert!(
        app.editor.url.text().ends_with("?page="),
        "the URL follows the cut"
    );
    update(&mut app, ctrl('z'));
    assert!(app.editor.url.text().ends_with("?page=10"), "and the undo");
    update(&mut app, ctrl('y'));
    assert!(app.editor.url.text().ends_with("?page="));
}

#[test]
fn ctrl_f_formats_the_json_body_exactly_and_ctrl_z_takes_it_back() {
    let mut app = body_app();
    app.editor.body.select_all();
    update(&mut app, key(KeyCode::Delete, KeyModifiers::NONE));
    let compact = r#"{"n":1.50000000000000000001,"big":123456789012345678901234,"s":"a\u00e9"}"#;
    update(&mut app, Msg::Paste(compact.into()));
    update(&mut app, ctrl('f'));
    assert_eq!(
        app.editor.body.text(),
        "{\n  \"n\": 1.50000000000000000001,\n  \"big\": 123456789012345678901234,\n  \"s\": \
         \"a\\u00e9\"\n}",
        "numbers and escapes as written, keys in order"
    );
    update(&mut app, ctrl('z'));
    assert_eq!(app.editor.body.text(), compact);
    // Not JSON: nothing changes, and the message says where.
    update(&mut app, Msg::Paste(",".into()));
    update(&mut app, ctrl('f'));
    assert!(
        app.editor.body.text().ends_with("\"},"),
        "{}",
        app.editor.body.text()
    );
    let Some(Notice::Error(why)) = &app.notice else {
        panic!("{:?}", app.notice)
    };
    assert!(why.contains("line 1, column"), "{why}");
}

/// Found by trying the app: Ctrl+F in a multipart body holding JSON spread the JSON over lines,
/// each of which the multipart body reads as a part.
#[test]
fn ctrl_f_leaves_a_body_read_line_by_line_as_it_is() {
    let mut app = body_app();
    app.editor.body.select_all();
    update(&mut app, Msg::Paste(r#"{"a":1}"#.into()));
    app.editor.body_kind = crate::model::BodyKind::Multipart;
    let before = app.editor.body.text();
    assert_eq!(before, r#"{"a":1}"#);
    update(&mut app, ctrl('f'));
    assert_eq!(app.editor.body.text(), before);
    let Some(Notice::Info(why)) = &app.notice else {
        panic!("{:?}", app.notice)
    };
    assert_eq!(
        why,
        "Ctrl+F formats a JSON body; this one is multipart, left as it is"
    );
}

#[test]
fn ctrl_e_hands_the_body_to_the_editor_and_takes_back_what_it_wrote() {
    let mut app = body_app();
    let before = app.editor.body.text();
    let effects = update(&mut app, ctrl('e'));
    let [
        Effect::EditExternally {
            field,
            text,
            extension,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (*field, text.as_str(), *extension),
        (ExternalField::Body, before.as_str(), "json")
    );
    // Invalid JSON comes back: kept as written, and the message says where it breaks.
    update(
        &mut app,
        Msg::EditedExternally {
            field: ExternalField::Body,
            result: Ok("{\"name\": \n".into()),
        },
    );
    assert_eq!(app.editor.body.text(), "{\"name\": ");
    let Some(Notice::Error(why)) = &app.notice else {
        panic!("{:?}", app.notice)
    };
    assert!(
        why.contains("not valid JSON at line 1") && why.contains("kept"),
        "{why}"
    );
    update(&mut app, ctrl('z'));
    assert_eq!(app.editor.body.text(), before);
    // An editor that failed changes nothing.
    update(
        &mut app,
        Msg::EditedExternally {
            field: ExternalField::Body,
            result: Err("`nope` exited with exit status: 1".into()),
        },
    );
    assert_eq!(app.editor.body.text(), before);
}

#[test]
fn ctrl_e_in_the_url_bar_edits_the_url_on_one_line() {
    let mut app = app_with("json");
    let effects = update(&mut app, ctrl('e'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::EditExternally {
            field: ExternalField::Url,
            extension: "txt",
            ..
        }]
    ));
    update(
        &mut app,
        Msg::EditedExternally {
            field: ExternalField::Url,
            result: Ok("http://example.test/a?x=1\n".into()),
        },
    );
    assert_eq!(app.editor.url.text(), "http://example.test/a?x=1");
    assert_eq!(app.editor.query.rows.len(), 1, "the query rows follow");
}

fn edited(app: &mut App, field: ExternalField, text: &str) {
    update(
        app,
        Msg::EditedExternally {
            field,
            result: Ok(text.into()),
        },
    );
}

fn info(app: &App) -> &str {
    match &app.notice {
        Some(Notice::Info(m)) => m,
        other => panic!("{other:?}"),
    }
}

/// An editor closed without a change says so, and offers no Ctrl+Z for an edit it did not make.
#[test]
fn the_external_editor_leaving_a_field_as_it_was_says_unchanged() {
    let mut app = body_app();
    let before = app.editor.body.text();
    edited(&mut app, ExternalField::Body, &format!("{before}\n"));
    assert_eq!(info(&app), "Body unchanged");
    assert!(!app.editor.body.can_undo());
    edited(&mut app, ExternalField::Body, "[1]");
    assert_eq!(info(&app), "Body edited (Ctrl+Z undoes)");
    let url = app.editor.url.text();
    edited(&mut app, ExternalField::Url, &url);
    assert_eq!(info(&app), "URL unchanged");
}

/// Found by trying the app: an external edit (or Ctrl+F) of a body over 8 MiB said "Ctrl+Z
/// undoes", and Ctrl+Z then did nothing.
#[test]
fn replacing_a_body_too_large_for_undo_does_not_offer_ctrl_z() {
    let mut app = body_app();
    let large = format!("[{}]", vec!["1"; 5 << 20].join(","));
    edited(&mut app, ExternalField::Body, &large);
    assert_eq!(
        info(&app),
        "Body edited (Ctrl+Z undoes)",
        "the step before is small"
    );
    edited(&mut app, ExternalField::Body, "[2]");
    let cannot = "Ctrl+Z cannot take it back: a text over 8 MiB keeps no undo steps";
    assert_eq!(info(&app), format!("Body edited ({cannot})"));
    edited(&mut app, ExternalField::Body, &large);
    update(&mut app, ctrl('f'));
    assert_eq!(info(&app), format!("JSON formatted ({cannot})"));
    assert!(app.editor.body.text().starts_with("[\n  1,\n"));
}

#[test]
fn a_selection_shows_in_reverse_video_in_the_body() {
    let mut app = body_app();
    app.editor.body.select_all();
    let effects = update(&mut app, key(KeyCode::Left, KeyModifiers::SHIFT));
    assert!(effects.is_empty());
    draw(&mut app);
    let (w, h) = app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| {
            crate::ui::draw(f, &app);
        })
        .unwrap();
    let buf = terminal.backend().buffer();
    let reversed = buf
        .content
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .count();
    assert!(reversed > 10, "{reversed} reversed cells");
}

#[test]
fn the_save_as_prompt_undoes_and_selects_like_the_editor() {
    // The save-as prompt (Ctrl+S on the built-in demo asks for a name).
    let mut app = app_with("json");
    update(&mut app, ctrl('s'));
    let text = |app: &App| match &app.overlay {
        Some(crate::app::Overlay::Prompt { input, .. }) => input.text(),
        other => panic!("{other:?}"),
    };
    let before = text(&app);
    typed(&mut app, " copy");
    update(&mut app, ctrl('z'));
    assert_eq!(text(&app), before);
    update(&mut app, key(KeyCode::Home, KeyModifiers::SHIFT));
    typed(&mut app, "renamed");
    assert_eq!(
        text(&app),
        "renamed",
        "Shift+Home selected it all, typing replaced it"
    );
}

#[test]
fn ctrl_z_undoes_in_a_text_field_and_suspends_elsewhere() {
    let mut app = app_with("json");
    let url = app.editor.url.text();
    typed(&mut app, "b");
    let effects = update(&mut app, ctrl('z'));
    assert_eq!(app.editor.url.text(), url);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Suspend)));
    // Out of the text field (the response pane), Ctrl+Z hands the terminal back to the shell.
    update(&mut app, key(KeyCode::Tab, KeyModifiers::NONE));
    assert_eq!(app.focus, crate::app::Pane::Response);
    let effects = update(&mut app, ctrl('z'));
    assert!(
        matches!(effects.as_slice(), [Effect::Suspend]),
        "{effects:?}"
    );
    assert!(!app.should_quit);
}
