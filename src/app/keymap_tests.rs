//! The keymap: its data, config patches, key parsing and labels.

use super::*;

#[test]
fn pane_scope_wins_over_global() {
    let km = Keymap::default();
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        km.lookup(&[Scope::History, Scope::Global], &enter),
        Some(Action::Restore)
    );
    let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        km.lookup(&[Scope::History, Scope::Global], &j),
        Some(Action::Down)
    );
}

#[test]
fn shifted_characters_and_ctrl_keys_match() {
    let km = Keymap::default();
    let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(km.lookup(&[Scope::Global], &big_g), Some(Action::Bottom));
    let ctrl_r = KeyEvent::new(
        KeyCode::Char('R'),
        KeyModifiers::CONTROL | KeyModifiers::SHIFT,
    );
    // Terminals report Ctrl+Shift+R with either case; both mean Ctrl+R.
    assert_eq!(km.lookup(&[Scope::Typing], &ctrl_r), Some(Action::Send));
    let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(km.lookup(&[Scope::Typing], &ctrl_r), Some(Action::Send));
}

#[test]
fn hints_come_from_the_table() {
    let km = Keymap::default();
    let hints = km.hints(&[Scope::Response], |_| true);
    assert!(hints.contains(&("s".to_string(), "save the body to a file")));
    // The body editor's Esc replaces the generic one, and Enter-sends hides Ctrl+R's twin.
    let hints = km.hints(&[Scope::BodyText, Scope::Typing], |_| true);
    assert_eq!(hints.iter().filter(|(k, _)| k == "Esc").count(), 1);
    assert_eq!(hints[0], ("Esc".to_string(), "stop editing the body"));
    let hints = km.hints(&[Scope::Url, Scope::Typing], |_| true);
    assert_eq!(hints[0], ("Enter".to_string(), "send the request"));
    assert!(!hints.iter().any(|(k, _)| k == "Ctrl+R"));
    assert_eq!(Key::ctrl('r').label(), "Ctrl+R");
}

#[test]
fn the_readme_key_table_lists_every_key() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for b in Keymap::default().bindings() {
        for k in &b.keys {
            let label = format!("`{}`", k.label());
            assert!(
                readme.contains(&label),
                "README.md does not mention {label} ({})",
                b.help
            );
        }
    }
}

#[test]
fn keys_parse_as_written_in_config_files() {
    assert_eq!(Key::parse("ctrl+r"), Ok(Key::ctrl('r')));
    assert_eq!(Key::parse("Ctrl+R"), Ok(Key::ctrl('r')));
    assert_eq!(Key::parse("shift+tab"), Ok(Key::plain(KeyCode::BackTab)));
    assert_eq!(Key::parse("f5"), Ok(Key::plain(KeyCode::F(5))));
    assert_eq!(Key::parse("G"), Ok(Key::ch('G')));
    assert_eq!(Key::parse("shift+g"), Ok(Key::ch('G')));
    assert_eq!(Key::parse("space"), Ok(Key::ch(' ')));
    assert_eq!(
        Key::parse("alt+x"),
        Ok(Key::new(KeyCode::Char('x'), KeyModifiers::ALT))
    );
    for bad in ["", "ctrl+", "hyper+q", "f13", "enterr"] {
        assert!(Key::parse(bad).is_err(), "{bad}");
    }
    // Labels parse back to the same key.
    for k in [Key::ctrl('r'), Key::plain(KeyCode::PageDown), Key::ch('?')] {
        let label = k.label().replace("PgDn", "pgdn");
        assert_eq!(Key::parse(&label), Ok(k));
    }
}

#[test]
fn rebinding_leaves_text_fields_alone() {
    let mut km = Keymap::default();
    km.rebind(Action::Up, &[Key::ch('i')], None);
    let i = KeyEvent::new(KeyCode::Char('i'), KeyModifiers::NONE);
    assert_eq!(km.lookup(&[Scope::Global], &i), Some(Action::Up));
    let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(km.lookup(&[Scope::Url], &up), Some(Action::Up));
    assert_eq!(km.lookup(&[Scope::Global], &up), None);
}

#[test]
fn the_default_keymap_is_data_and_a_config_patches_it_per_scope() {
    let km = Keymap::default();
    assert!(km.bindings().len() > 40);
    // Every action in the footer lists is bound in that scope.
    let file: KeymapFile = toml::from_str(DEFAULT_KEYMAP).unwrap();
    for (scope, actions) in &file.footer {
        for action in actions {
            assert!(
                km.bindings()
                    .iter()
                    .any(|b| b.scope == *scope && b.action == *action),
                "{scope:?} {action:?}"
            );
        }
    }
    let mut km = Keymap::default();
    let patch: toml::Table = toml::from_str(
        "send = [\"f5\"]\n[response]\nsave_body = [\"w\"]\n[editor]\nnope = [\"x\"]\n",
    )
    .unwrap();
    let problems = km.patch(&patch);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("keys.editor.nope: unknown variant `nope`"),
        "{problems:?}"
    );
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    assert_eq!(
        km.lookup(&[Scope::Typing], &key(KeyCode::F(5))),
        Some(Action::Send)
    );
    assert_eq!(
        km.lookup(&[Scope::Response], &key(KeyCode::Char('w'))),
        Some(Action::SaveBody)
    );
    // Only in the response pane: `s` elsewhere is untouched.
    assert_eq!(
        km.lookup(&[Scope::Response], &key(KeyCode::Char('s'))),
        None
    );
    assert!(Keymap::parse("[keys.editor]\nsend = [\"x\"]\n[help]\n[footer]\n").is_err());
}

#[test]
fn every_problem_in_a_config_is_told_and_the_rest_applies() {
    let mut km = Keymap::default();
    let patch: toml::Table = toml::from_str(
        "quit = []\n[history]\nnope = [\"x\"]\nfilter = [\"f\"]\n\
         [response]\nrestore = [\"e\"]\n[nowhere]\nsend = [\"x\"]\n",
    )
    .unwrap();
    let problems = km.patch(&patch);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(problems[0], "keys.quit: has no keys; keeping the default");
    assert!(problems[1].starts_with("keys.history.nope: unknown variant `nope`"));
    assert!(problems[2].starts_with("keys.nowhere: unknown variant `nowhere`"));
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    // The entry after the bad one applies; q still quits.
    assert_eq!(
        km.lookup(&[Scope::History], &key('f')),
        Some(Action::Filter)
    );
    assert_eq!(km.lookup(&[Scope::Global], &key('q')), Some(Action::Quit));
    // An action bound in a scope it had no key in.
    assert_eq!(
        km.lookup(&[Scope::Response], &key('e')),
        Some(Action::Restore)
    );
}

#[test]
fn labels_name_every_modifier() {
    assert_eq!(
        Key::new(KeyCode::F(5), KeyModifiers::SHIFT).label(),
        "Shift+F5"
    );
    assert_eq!(
        Key::new(KeyCode::Up, KeyModifiers::SHIFT).label(),
        "Shift+↑"
    );
    assert_eq!(
        Key::parse("shift+f5").map(|k| k.label()),
        Ok("Shift+F5".into())
    );
    assert_eq!(Key::ch('G').label(), "G");
    assert_eq!(Key::plain(KeyCode::BackTab).label(), "Shift+Tab");
}

#[test]
fn actions_deserialize_from_snake_case() {
    #[derive(Deserialize)]
    struct T {
        a: Action,
    }
    let t: T = toml::from_str("a = \"save_body\"").unwrap();
    assert_eq!(t.a, Action::SaveBody);
}
