//! The search (`/`, `n`, `N`) through `update`, and what the status row says of it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::reader::tests::{ch, items, key, typed};
use crate::app::testing::{draw, showing_json};
use crate::app::{App, Effect, Msg, update};

/// The searches the event loop would start: (generation, query text, regex).
fn searches(effects: &[Effect]) -> Vec<(u64, String, bool)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Search {
                generation, query, ..
            } => Some((*generation, query.text().to_string(), query.is_regex())),
            _ => None,
        })
        .collect()
}

/// Runs the search the effects ask for, as the worker would, reporting it in one piece.
fn run_search(app: &mut App, effects: &[Effect]) {
    let Some(Effect::Search {
        generation,
        doc,
        query,
        cancel,
    }) = effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::Search { .. }))
    else {
        panic!("no search asked for: {effects:?}");
    };
    let found = crate::inspect::search::search(&doc.display_text(), query, cancel, |_| {});
    update(
        app,
        Msg::Searched(crate::app::reader::search::SearchProgress {
            generation: *generation,
            new: found.matches,
            count: found.count,
            progress: 1.0,
            done: true,
        }),
    );
}

#[test]
fn slash_searches_and_n_goes_round_the_matches() {
    let mut app = showing_json(&items(50));
    for _ in 0..10 {
        update(&mut app, ch('j'));
    }
    update(&mut app, ch('/'));
    let effects = typed(&mut app, "\"id\": 4");
    let asked = searches(&effects);
    assert_eq!(asked.len(), 7, "one per change: {asked:?}");
    assert_eq!(asked.last().unwrap().1, "\"id\": 4");
    run_search(&mut app, &effects);
    let s = &app.reader.search;
    // "id": 4 and "id": 40..49 (lines 14, 122, 125, …).
    assert_eq!((s.count, s.done), (11, true));
    assert_eq!(s.current, Some(0), "the first match after the cursor");
    assert_eq!(app.reader.line_of_row(app.reader.cursor), 14);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("/\"id\": 4   1/11"), "{screen}");
    update(&mut app, key(KeyCode::Enter));
    assert!(app.reader.search.input.is_none());
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("/\"id\": 4 1/11 · "),
        "the count stays in the status row:\n{screen}"
    );
    update(&mut app, ch('n'));
    assert_eq!(app.reader.search.current, Some(1));
    assert_eq!(app.reader.line_of_row(app.reader.cursor), 122);
    update(&mut app, ch('N'));
    update(&mut app, ch('N'));
    assert_eq!(
        app.reader.search.current,
        Some(10),
        "N wraps to the last match"
    );
    update(&mut app, ch('n'));
    assert_eq!(app.reader.search.current, Some(0), "n wraps to the first");
}

#[test]
fn ctrl_r_makes_it_a_regex_and_a_bad_one_is_said() {
    let mut app = showing_json(&items(20));
    update(&mut app, ch('/'));
    typed(&mut app, "1[0-2]");
    assert!(!app.reader.search.regex);
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    assert_eq!(
        searches(&effects),
        vec![(app.reader.search.generation, "1[0-2]".into(), true)]
    );
    run_search(&mut app, &effects);
    assert_eq!(app.reader.search.count, 3);
    let effects = typed(&mut app, "(");
    assert!(searches(&effects).is_empty(), "nothing to run");
    let problem = app.reader.search.problem.clone().unwrap();
    assert!(problem.starts_with("regex error"), "{problem}");
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("regex error"), "{screen}");
    // Esc ends the search: no count, no highlight.
    update(&mut app, key(KeyCode::Esc));
    assert!(app.reader.search.query.is_none());
    assert!(!draw(&mut app).join("\n").contains("1[0-2]"));
}

#[test]
fn a_stale_scan_is_dropped_and_smart_case_holds() {
    let mut app = showing_json(r#"{"Name":"name","other":"NAME"}"#);
    update(&mut app, ch('/'));
    let first = typed(&mut app, "name");
    let later = typed(&mut app, "X");
    // The first query's results arrive after the change: dropped.
    run_search(&mut app, &first);
    assert_eq!(app.reader.search.count, 0);
    assert!(!app.reader.search.done);
    run_search(&mut app, &later);
    assert_eq!(app.reader.search.count, 0, "nameX is nowhere");
    let effects = update(&mut app, key(KeyCode::Backspace));
    run_search(&mut app, &effects);
    assert_eq!(app.reader.search.count, 3, "lower case: every case");
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ch('/'));
    let effects = typed(&mut app, "Name");
    run_search(&mut app, &effects);
    assert_eq!(app.reader.search.count, 1, "a capital: case matters");
}

#[test]
fn a_narrow_status_row_lets_go_of_the_path_then_the_count_then_the_position() {
    let mut app = showing_json(r#"{"store":{"owner":{"display_name":"ann","name":"a"}}}"#);
    update(&mut app, ch('/'));
    let effects = typed(&mut app, "name");
    run_search(&mut app, &effects);
    update(&mut app, key(KeyCode::Enter));
    let wide = draw(&mut app).join("\n");
    // The path is cut from its start: its end says the most.
    assert!(
        wide.contains("/name 1/2 · …e.owner.display_name · line 4 of 8 · 43%"),
        "{wide}"
    );
    // Narrower and narrower: the path goes first, then the count; the position stays.
    let mut seen = (false, false);
    for width in (40..120).rev() {
        app.size = (width, 30);
        let screen = draw(&mut app).join("\n");
        let row = screen
            .lines()
            .find(|l| l.contains("200 OK"))
            .unwrap()
            .to_string();
        let (path, count) = (row.contains("display_name"), row.contains("/name 1/2"));
        let position = row.contains("line 4 of 8 · 43%");
        assert!(
            !path || count,
            "the count goes after the path: {width}: {row}"
        );
        assert!(!count || position, "the position goes last: {width}: {row}");
        seen = (seen.0 || (count && !path), seen.1 || (position && !count));
    }
    assert_eq!(seen, (true, true), "both steps were seen");
}
