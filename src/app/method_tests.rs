//! Naming a method the selector does not offer (`c` in the method selector).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::editor::Section;
use crate::app::testing::app_with;
use crate::app::{Effect, Msg, update};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn c_in_the_method_selector_names_any_method_and_a_bad_name_changes_nothing() {
    let mut app = app_with("json");
    app.editor.section = Section::Method;
    update(&mut app, key(KeyCode::Char('c')));
    let Some(crate::app::Overlay::Prompt { input, .. }) = &mut app.overlay else {
        panic!("{:?}", app.overlay)
    };
    *input = crate::app::text::TextInput::single("PURGE");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.method.as_str(), "PURGE");
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    assert!(
        matches!(effects.first(), Some(Effect::Send(job)) if job.spec.method.as_str() == "PURGE")
    );
    update(&mut app, key(KeyCode::Char('c')));
    let Some(crate::app::Overlay::Prompt { input, .. }) = &mut app.overlay else {
        panic!("{:?}", app.overlay)
    };
    *input = crate::app::text::TextInput::single("NOT A METHOD");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.editor.method.as_str(), "PURGE", "kept");
    assert!(
        matches!(&app.notice, Some(crate::app::Notice::Error(e)) if e.contains("not a method name")),
        "{:?}",
        app.notice
    );
}
