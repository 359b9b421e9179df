use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(t: &mut TextInput, s: &str) {
    for c in s.chars() {
        t.handle_key(key(KeyCode::Char(c)));
    }
}

#[test]
fn single_line_editing_handles_multibyte_and_word_keys() {
    let mut t = TextInput::single("");
    typed(&mut t, "héllo wörld");
    t.handle_key(ctrl('w'));
    assert_eq!(t.text(), "héllo ");
    t.handle_key(key(KeyCode::Home));
    t.handle_key(key(KeyCode::Delete));
    assert_eq!(t.text(), "éllo ");
    t.handle_key(ctrl('e'));
    t.handle_key(key(KeyCode::Backspace));
    assert_eq!(t.text(), "éllo");
    assert!(
        !t.handle_key(key(KeyCode::Enter)),
        "single-line ignores Enter"
    );
    t.insert_str("a\nb");
    assert_eq!(t.text(), "élloab");
    t.handle_key(ctrl('u'));
    assert!(t.is_empty());
}

#[test]
fn pasted_line_breaks_of_every_kind_break_lines_and_keep_the_text_as_it_is() {
    for (pasted, lines) in [
        ("line1\rline2\rline3", vec!["line1", "line2", "line3"]),
        ("line1\r\nline2\r\nline3", vec!["line1", "line2", "line3"]),
        ("line1\nline2\nline3", vec!["line1", "line2", "line3"]),
        ("{\r  \"a\": 1\r}", vec!["{", "  \"a\": 1", "}"]),
    ] {
        let mut t = TextInput::multi("");
        t.insert_str(pasted);
        assert_eq!(t.lines(), lines, "{pasted:?}");
        assert_eq!(t.cursor(), (lines.len() - 1, lines[lines.len() - 1].len()));
    }
    let mut one = TextInput::single("");
    one.insert_str("a\rb\r\nc");
    assert_eq!(one.text(), "abc");
}

#[test]
fn multi_line_keeps_indentation_and_joins_on_backspace() {
    let mut t = TextInput::multi("{");
    t.handle_key(ctrl('e'));
    t.handle_key(key(KeyCode::Enter));
    typed(&mut t, "  \"a\": 1");
    t.handle_key(key(KeyCode::Enter));
    assert_eq!(t.cursor(), (2, 2));
    t.handle_key(ctrl('u'));
    typed(&mut t, "}");
    assert_eq!(t.text(), "{\n  \"a\": 1\n}");
    t.handle_key(key(KeyCode::Home));
    t.handle_key(key(KeyCode::Backspace));
    assert_eq!(t.text(), "{\n  \"a\": 1}");
    t.handle_key(key(KeyCode::Up));
    assert_eq!(t.cursor().0, 0);
}

fn shift(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::SHIFT)
}

#[test]
fn undo_and_redo_take_back_typing_a_word_at_a_time_and_every_other_edit() {
    let mut t = TextInput::single("");
    typed(&mut t, "hello world");
    t.handle_key(key(KeyCode::Backspace));
    assert_eq!(t.text(), "hello worl");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "hello world");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "hello", "the second word was one step");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "");
    assert!(!t.handle_key(ctrl('z')), "nothing more to undo");
    t.handle_key(ctrl('y'));
    t.handle_key(ctrl('y'));
    assert_eq!(t.text(), "hello world");
    assert_eq!(t.cursor(), (0, 11));
    t.handle_key(ctrl('z'));
    typed(&mut t, "!");
    assert!(!t.handle_key(ctrl('y')), "a new edit drops what was undone");
    assert_eq!(t.text(), "hello!");
}

#[test]
fn a_replaced_text_and_a_paste_are_steps_of_their_own() {
    let mut t = TextInput::multi("{}");
    t.insert_str("pasted");
    t.set_text("{\n  \"a\": 1\n}");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "pasted{}");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "{}");
}

/// A text over undo's budget is never copied for a step: its edits keep none, say so, and undo
/// finds nothing (rather than a step that leads back to another text).
#[test]
fn a_text_too_large_for_undo_keeps_no_steps_and_says_so() {
    let mut t = TextInput::multi("small");
    t.handle_key(key(KeyCode::End));
    typed(&mut t, " one");
    assert!(t.undo.can_undo() && !t.undo_lost());
    t.insert_str(&"x".repeat(undo::MAX_BYTES));
    typed(&mut t, " two");
    assert!(!t.undo.can_undo(), "no step of the large text is kept");
    assert!(t.undo_lost());
    assert!(!t.handle_key(ctrl('z')));
    assert!(t.text().ends_with("x two"), "undo changed nothing");
    assert!(!t.longer_than(undo::MAX_BYTES + "small one two".len()));
    assert!(t.longer_than(undo::MAX_BYTES + "small one two".len() - 1));
}

/// The way a paste was first inserted: one character at a time (slow on a long line).
fn insert_by_chars(t: &mut TextInput, s: &str) {
    t.record(false);
    t.delete_selection();
    let text = s.replace("\r\n", "\n").replace('\r', "\n");
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 && t.multiline {
            t.break_line(false);
        }
        for c in part.chars() {
            t.insert_char(c);
        }
    }
}

proptest::proptest! {
    #[test]
    fn a_paste_in_one_pass_is_the_paste_a_character_at_a_time(
        before in "[a é\n]{0,12}",
        pasted in "[b 日\r\n]{0,12}",
        multiline: bool,
        row in 0usize..4,
        col in 0usize..6,
    ) {
        let mut t = if multiline { TextInput::multi(&before) } else { TextInput::single(&before) };
        t.row = row.min(t.lines.len() - 1);
        t.col = col.min(char_len(&t.lines[t.row]));
        let mut by_chars = t.clone();
        t.insert_str(&pasted);
        insert_by_chars(&mut by_chars, &pasted);
        proptest::prop_assert_eq!(
            (t.text(), t.cursor()),
            (by_chars.text(), by_chars.cursor())
        );
    }
}

/// A long line pasted whole is quick (it took minutes: each character found its byte from the
/// line's start).
#[test]
fn a_long_line_is_pasted_in_one_pass() {
    let mut t = TextInput::multi("[]");
    t.handle_key(key(KeyCode::Right));
    let line = "1,".repeat(200_000);
    let started = std::time::Instant::now();
    t.insert_str(&line);
    t.insert_str(&"2,\n".repeat(200_000));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(t.text().len(), 1_000_002);
    assert_eq!(t.cursor(), (200_000, 0));
}

#[test]
fn shift_arrows_select_and_typing_replaces_the_selection() {
    let mut t = TextInput::single("héllo wörld");
    t.handle_key(key(KeyCode::Home));
    for _ in 0..5 {
        t.handle_key(shift(KeyCode::Right));
    }
    assert_eq!(t.selected().as_deref(), Some("héllo"));
    assert_eq!(t.selected_in(0), Some((0, 5)));
    typed(&mut t, "X");
    assert_eq!(t.text(), "X wörld");
    t.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::SHIFT));
    assert_eq!(t.selected().as_deref(), Some(" wörld"));
    t.handle_key(key(KeyCode::Backspace));
    assert_eq!(t.text(), "X");
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "X wörld");
    // A plain Left ends a selection at its start.
    t.handle_key(KeyEvent::new(
        KeyCode::Left,
        KeyModifiers::SHIFT | KeyModifiers::CONTROL,
    ));
    assert_eq!(t.selected().as_deref(), Some("wörld"));
    t.handle_key(key(KeyCode::Left));
    assert_eq!((t.selection(), t.cursor()), (None, (0, 2)));
}

#[test]
fn a_selection_across_lines_is_copied_cut_and_deleted_whole() {
    let mut t = TextInput::multi("one\ntwo\nthree");
    t.handle_key(key(KeyCode::Right));
    t.handle_key(shift(KeyCode::Down));
    t.handle_key(shift(KeyCode::Down));
    assert_eq!(t.selected().as_deref(), Some("ne\ntwo\nt"));
    assert_eq!(t.selected_in(1), Some((0, 4)), "a whole line and its break");
    assert_eq!(t.cut().as_deref(), Some("ne\ntwo\nt"));
    assert_eq!(t.text(), "ohree");
    assert_eq!(t.cursor(), (0, 1));
    t.insert_str("ne\ntwo\nt");
    assert_eq!(t.text(), "one\ntwo\nthree");
    t.select_all();
    t.handle_key(key(KeyCode::Delete));
    assert!(t.is_empty());
}

#[test]
fn json_brackets_and_quotes_pair_and_enter_indents_between_them() {
    let mut t = TextInput::multi("");
    t.set_pairs(true);
    typed(&mut t, "{");
    assert_eq!(t.text(), "{}");
    t.handle_key(key(KeyCode::Enter));
    assert_eq!(t.lines(), ["{", "  ", "}"]);
    assert_eq!(t.cursor(), (1, 2));
    typed(&mut t, "\"a\": [");
    assert_eq!(t.lines()[1], "  \"a\": []");
    typed(&mut t, "1]");
    assert_eq!(
        t.lines()[1],
        "  \"a\": [1]",
        "typing the closer steps over it"
    );
    t.handle_key(key(KeyCode::Down));
    t.handle_key(key(KeyCode::Home));
    typed(&mut t, "}");
    assert_eq!(t.text(), "{\n  \"a\": [1]\n}");
    // Backspace in an empty pair takes both; a quote after a letter does not pair.
    let mut t = TextInput::multi("");
    t.set_pairs(true);
    typed(&mut t, "[");
    t.handle_key(key(KeyCode::Backspace));
    assert!(t.is_empty());
    typed(&mut t, "it\"s");
    assert_eq!(t.text(), "it\"s");
    // Without pairing (text bodies), nothing is added.
    let mut plain = TextInput::multi("");
    typed(&mut plain, "{\"");
    assert_eq!(plain.text(), "{\"");
}

#[test]
fn multibyte_and_wide_text_keeps_whole_characters() {
    let mut t = TextInput::single("日本語 e\u{301} 🙂");
    t.handle_key(key(KeyCode::Home));
    t.handle_key(shift(KeyCode::Right));
    t.handle_key(shift(KeyCode::Right));
    assert_eq!(t.cut().as_deref(), Some("日本"));
    t.handle_key(key(KeyCode::End));
    t.handle_key(key(KeyCode::Backspace));
    assert_eq!(t.text(), "語 e\u{301} ");
    t.handle_key(ctrl('z'));
    t.handle_key(ctrl('z'));
    assert_eq!(t.text(), "日本語 e\u{301} 🙂");
}

#[test]
fn alt_shift_b_and_f_select_a_word() {
    let mut t = TextInput::single("one two");
    t.handle_key(KeyEvent::new(
        KeyCode::Char('B'),
        KeyModifiers::ALT | KeyModifiers::SHIFT,
    ));
    assert_eq!(t.selected().as_deref(), Some("two"));
    t.handle_key(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::ALT));
    assert_eq!((t.selection(), t.cursor()), (None, (0, 0)));
    t.handle_key(KeyEvent::new(KeyCode::Char('F'), KeyModifiers::ALT));
    assert_eq!(t.selected().as_deref(), Some("one"));
}
