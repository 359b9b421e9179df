//! The command palette through `update`: opening, fuzzy matching, running the chosen action
//! where the palette was opened, recent choices first.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::keymap::Action;
use crate::app::palette::entries;
use crate::app::testing::app_with;
use crate::app::{App, Effect, Msg, Overlay, Pane, update};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)));
    }
}

fn offered(app: &App) -> Vec<Action> {
    let Some(Overlay::Palette(p)) = &app.overlay else {
        panic!("the palette is not open: {:?}", app.overlay)
    };
    entries(app, p).iter().map(|e| e.action).collect()
}

#[test]
fn ctrl_p_lists_the_actions_here_each_once_with_keys() {
    let mut app = app_with("json");
    update(&mut app, ctrl('p'));
    let Some(Overlay::Palette(p)) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    let all = entries(&app, p);
    let send = all.iter().find(|e| e.action == Action::Send).unwrap();
    // In the URL bar Enter sends: its own scope's keys are the ones shown.
    assert_eq!(send.keys, "Enter");
    assert!(
        all.iter().any(|e| e.action == Action::Copy),
        "anywhere ones too"
    );
    assert!(!all.iter().any(|e| e.action == Action::Palette));
    let mut seen = std::collections::HashSet::new();
    assert!(all.iter().all(|e| seen.insert(e.action)), "each once");
}

#[test]
fn typing_fuzzy_matches_what_actions_do_and_enter_runs_the_best() {
    let mut app = app_with("json");
    update(&mut app, ctrl('p'));
    typed(&mut app, "explan");
    assert_eq!(
        offered(&app).first(),
        Some(&Action::Explain),
        "a typo still finds it"
    );
    typed(&mut app, "zzzz");
    assert!(offered(&app).is_empty());
    for _ in 0..4 {
        update(&mut app, key(KeyCode::Backspace));
    }
    // By the action's name and by words of its description.
    update(&mut app, ctrl('u'));
    typed(&mut app, "load next");
    assert_eq!(offered(&app).first(), Some(&Action::LoadMore));
    update(&mut app, ctrl('u'));
    typed(&mut app, "toggle resolved");
    assert_eq!(offered(&app).first(), Some(&Action::ToggleResolved));
    update(&mut app, ctrl('u'));
    typed(&mut app, "send req");
    assert_eq!(offered(&app).first(), Some(&Action::Send));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(app.overlay.is_none());
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Send(_))),
        "{effects:?}"
    );
}

#[test]
fn the_chosen_action_runs_where_the_palette_was_opened_and_comes_first_next_time() {
    let mut app = app_with("json");
    app.focus = Pane::History;
    update(&mut app, ctrl('p'));
    let first = offered(&app)[0];
    typed(&mut app, "filter");
    assert_eq!(offered(&app).first(), Some(&Action::Filter));
    update(&mut app, key(KeyCode::Enter));
    assert!(
        app.history.filtering.is_some(),
        "the history's filter line opened"
    );
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ctrl('p'));
    let now = offered(&app);
    assert_eq!(now[0], Action::Filter, "the recent one first");
    assert_eq!(now[1], first);
    // ↓ and Esc: nothing runs.
    update(&mut app, key(KeyCode::Down));
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert!(app.overlay.is_none());
    assert!(app.history.filtering.is_none());
}
