//! The Body tab's reading state: the cursor, wrap, and the filter line, through `update`.

use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::reader::filter::{FilterProblem, Filtered};
use crate::app::testing::{draw, response, send, showing, showing_json};
use crate::app::{App, Effect, Msg, update};
use crate::highlight::Document;

pub(super) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub(super) fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| update(app, ch(c))).collect()
}

/// A body of `n` items, pretty-printed to `n + 2` lines.
pub(super) fn items(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("{{\"id\":{i}}}")).collect();
    format!("[{}]", items.join(","))
}

/// The filter runs the event loop would start, in order.
fn runs(effects: &[Effect]) -> Vec<(u64, String, Duration)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::RunFilter {
                generation,
                text,
                pause,
                ..
            } => Some((*generation, text.clone(), *pause)),
            _ => None,
        })
        .collect()
}

fn filtered(app: &mut App, generation: u64, text: &str, outputs: &str) {
    let id = app.shown.unwrap();
    let doc = Arc::new(Document::from_body(
        outputs.as_bytes(),
        Some("application/json"),
    ));
    update(
        app,
        Msg::Filtered {
            id,
            generation,
            result: Ok(Filtered {
                text: text.into(),
                doc,
                outputs: 1,
                elapsed: Duration::from_millis(3),
            }),
        },
    );
}

/// Answers exchange `id` with the JSON `body`, prepared as the event loop would; the effects of
/// the preparation arriving.
fn answer(app: &mut App, id: crate::http::job::RequestId, body: &str) -> Vec<Effect> {
    update(
        app,
        Msg::Http(crate::http::job::HttpEvent::Finished {
            id,
            result: Ok(Box::new(response(200, "application/json", body))),
        }),
    );
    let doc = Arc::new(Document::from_body(
        body.as_bytes(),
        Some("application/json"),
    ));
    update(
        app,
        Msg::BodyPrepared {
            id,
            kind: crate::app::DocKind::Pretty,
            doc,
            revealed: false,
        },
    )
}

#[test]
fn the_cursor_moves_and_the_view_follows_it() {
    let mut app = showing_json(&items(200));
    let page = crate::app::view::viewport_height(&app);
    update(&mut app, ch('j'));
    update(&mut app, ch('j'));
    assert_eq!((app.reader.cursor, app.scroll.top), (2, 0));
    for _ in 0..page {
        update(&mut app, ch('j'));
    }
    assert_eq!(app.reader.cursor, page + 2);
    assert_eq!(app.scroll.top, 3, "the view scrolled just enough");
    update(&mut app, ch('G'));
    assert_eq!(app.reader.cursor, 601, "the last line");
    assert_eq!(app.scroll.top, 602 - page);
    update(&mut app, ch('g'));
    assert_eq!((app.reader.cursor, app.scroll.top), (0, 0));
    update(&mut app, key(KeyCode::PageDown));
    assert_eq!((app.reader.cursor, app.scroll.top), (page, page));
}

#[test]
fn the_status_row_says_where_the_cursor_is() {
    let mut app = showing_json(&items(2000));
    update(&mut app, ch('G'));
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("line 6,002 of 6,002 · 100%"), "{screen}");
    update(&mut app, ch('g'));
    for _ in 0..6 {
        update(&mut app, ch('j'));
    }
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("line 7 of 6,002 · 0.1%"), "{screen}");
}

#[test]
fn w_wraps_long_lines() {
    let long = format!("{{\"text\":\"{}\"}}", "abcdefghij".repeat(40));
    let mut app = showing_json(&long);
    let before = draw(&mut app).join("\n");
    assert!(!before.contains("ghijabcdefghij\n"), "not wrapped yet");
    update(&mut app, ch('w'));
    assert!(app.reader.wrap);
    let after = draw(&mut app);
    let wrapped = after.iter().filter(|l| l.contains("cdefghijabcd")).count();
    assert!(
        wrapped >= 3,
        "the line takes several rows:\n{}",
        after.join("\n")
    );
    update(&mut app, ch('w'));
    assert!(!app.reader.wrap);
}

#[test]
fn the_filter_runs_after_a_pause_and_its_result_replaces_the_body() {
    let mut app = showing_json(&items(3));
    update(&mut app, ch('|'));
    assert!(app.reader.filter_line.is_some());
    let effects = typed(&mut app, ".[1]");
    let asked = runs(&effects);
    assert_eq!(asked.len(), 4, "each change asks for a run: {asked:?}");
    assert_eq!(asked.last().unwrap().1, ".[1]");
    assert!(asked.iter().all(|(_, _, pause)| *pause > Duration::ZERO));
    assert_eq!(app.editor.view.filter.as_deref(), Some(".[1]"));
    let generation = asked.last().unwrap().0;
    // An older run's result is stale: dropped.
    filtered(&mut app, generation - 1, ".[", "{\"id\":0}");
    assert!(
        app.shown_exchange()
            .unwrap()
            .filter
            .as_ref()
            .unwrap()
            .result
            .is_none()
    );
    filtered(&mut app, generation, ".[1]", "{\"id\":1}");
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("⧩ .[1] → 1 value"), "{screen}");
    assert!(screen.contains("\"id\": 1"), "{screen}");
    assert!(!screen.contains("\"id\": 0"), "{screen}");
    // Enter keeps it; the line closes.
    update(&mut app, key(KeyCode::Enter));
    assert!(app.reader.filter_line.is_none());
    assert!(draw(&mut app).join("\n").contains("\"id\": 1"));
}

#[test]
fn a_failing_filter_keeps_the_last_result_and_says_where() {
    let mut app = showing_json(&items(3));
    update(&mut app, ch('f'));
    let asked = runs(&typed(&mut app, ".[0]"));
    filtered(&mut app, asked.last().unwrap().0, ".[0]", "{\"id\":0}");
    let asked = runs(&typed(&mut app, " |"));
    let id = app.shown.unwrap();
    update(
        &mut app,
        Msg::Filtered {
            id,
            generation: asked.last().unwrap().0,
            result: Err(FilterProblem {
                message: "expected a term".into(),
                at: Some(6),
            }),
        },
    );
    let screen = draw(&mut app);
    let text = screen.join("\n");
    assert!(text.contains("\"id\": 0"), "the last result stays:\n{text}");
    let input = screen
        .iter()
        .position(|l| l.contains("| .[0] |"))
        .expect("the line");
    let caret = &screen[input + 1];
    assert!(caret.contains("^ expected a term"), "{text}");
    // The caret sits under the position (6 characters after the prompt "| ").
    let prompt_at = screen[input].find("| .[0]").unwrap();
    assert_eq!(caret.find('^').unwrap(), prompt_at + 2 + 6, "{text}");
}

#[test]
fn esc_puts_the_earlier_filter_back_and_blank_shows_the_whole_body() {
    let mut app = showing_json(&items(3));
    update(&mut app, ch('|'));
    let asked = runs(&typed(&mut app, ".[2]"));
    filtered(&mut app, asked.last().unwrap().0, ".[2]", "{\"id\":2}");
    update(&mut app, key(KeyCode::Enter));
    // Editing again, then Esc: back to `.[2]`, its result still shown.
    update(&mut app, ch('|'));
    typed(&mut app, "xx");
    let effects = update(&mut app, key(KeyCode::Esc));
    assert!(app.reader.filter_line.is_none());
    let filter = app.shown_exchange().unwrap().filter.clone().unwrap();
    assert_eq!(filter.text, ".[2]");
    assert_eq!(runs(&effects).len(), 1, "runs again for the text put back");
    // Emptying the filter shows the whole body at once, with nothing to run.
    update(&mut app, ch('|'));
    for _ in 0..3 {
        update(&mut app, key(KeyCode::Backspace));
    }
    let effects = update(&mut app, key(KeyCode::Backspace));
    assert!(runs(&effects).is_empty(), "{effects:?}");
    assert_eq!(app.editor.view.filter, None);
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("\"id\": 0") && screen.contains("\"id\": 2"),
        "{screen}"
    );
    assert!(!screen.contains('⧩'), "{screen}");
}

#[test]
fn a_request_sent_with_a_filter_shows_its_response_filtered() {
    let mut app = showing_json(&items(3));
    update(&mut app, ch('|'));
    typed(&mut app, ".[0]");
    update(&mut app, key(KeyCode::Enter));
    // Send again: the new exchange starts with the filter, run once its body is prepared.
    let id = send(&mut app);
    assert_eq!(app.shown, Some(id));
    let x = app.shown_exchange().unwrap();
    assert_eq!(x.filter.as_ref().unwrap().text, ".[0]");
    let effects = answer(&mut app, id, &items(2));
    let asked = runs(&effects);
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!((asked[0].1.as_str(), asked[0].2), (".[0]", Duration::ZERO));
}

/// The comparison the event loop would start: (exchange, the one it compares with, bodies).
fn compare_asked(effects: &[Effect]) -> Option<(u64, u64, String, String, Vec<String>)> {
    effects.iter().find_map(|e| match e {
        Effect::CompareBodies {
            id,
            against,
            before,
            after,
            ignore,
            ..
        } => Some((
            *id,
            *against,
            String::from_utf8_lossy(before).into_owned(),
            String::from_utf8_lossy(after).into_owned(),
            ignore.clone(),
        )),
        _ => None,
    })
}

fn compared(app: &mut App, against: u64, changes: &str, same: bool) {
    let id = app.shown.unwrap();
    update(
        app,
        Msg::Compared {
            id,
            against,
            result: Ok(crate::app::reader::diff::Compared {
                doc: Arc::new(Document::from_body(changes.as_bytes(), Some("text/plain"))),
                summary: "1 changed, 0 added, 0 removed".into(),
                same,
                elapsed: Duration::from_millis(1),
            }),
        },
    );
}

#[test]
fn d_compares_with_the_previous_response_to_the_same_request() {
    let mut app = showing_json(r#"{"n":1}"#);
    let first = app.shown.unwrap();
    update(&mut app, ch('D'));
    let notice = format!("{:?}", app.notice);
    assert!(notice.contains("Nothing to compare with"), "{notice}");
    app.editor.view.ignore = vec!["$.t".into()];
    let second = send(&mut app);
    answer(&mut app, second, r#"{"n":2}"#);
    app.focus = crate::app::Pane::Response;
    let asked = compare_asked(&update(&mut app, ch('D'))).expect("a comparison");
    assert_eq!(
        asked,
        (
            second,
            first,
            r#"{"n":1}"#.into(),
            r#"{"n":2}"#.into(),
            vec!["$.t".into()]
        )
    );
    compared(&mut app, first, "~ $.n: 1 → 2\n", false);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("⇄ Compared with 200 OK at"), "{screen}");
    assert!(
        screen.contains("(the previous response): 1 changed"),
        "{screen}"
    );
    assert!(screen.contains("ignoring $.t"), "{screen}");
    assert!(screen.contains("~ $.n: 1 → 2"), "{screen}");
    assert!(
        !screen.contains("\"n\": 2"),
        "the changes replace the body:\n{screen}"
    );
    // D again: the body.
    assert!(compare_asked(&update(&mut app, ch('D'))).is_none());
    assert!(app.shown_exchange().unwrap().diff.is_none());
    assert!(draw(&mut app).join("\n").contains("\"n\": 2"));
}

#[test]
fn a_pinned_response_is_the_baseline_and_a_late_comparison_is_dropped() {
    let mut app = showing_json(r#"{"n":1}"#);
    let pinned = app.shown.unwrap();
    update(&mut app, ch('P'));
    assert!(format!("{:?}", app.notice).contains("Pinned"));
    let second = send(&mut app);
    answer(&mut app, second, r#"{"n":2}"#);
    let third = send(&mut app);
    answer(&mut app, third, r#"{"n":3}"#);
    app.focus = crate::app::Pane::Response;
    let asked = compare_asked(&update(&mut app, ch('D'))).unwrap();
    assert_eq!((asked.0, asked.1), (third, pinned));
    // Closed before it came back: the result is dropped.
    update(&mut app, ch('D'));
    compared(&mut app, pinned, "~ $.n: 1 → 3\n", false);
    assert!(app.shown_exchange().unwrap().diff.is_none());
    // Unpinned: the previous response again.
    app.shown = Some(pinned);
    update(&mut app, ch('P'));
    assert!(format!("{:?}", app.notice).contains("Unpinned"));
    app.shown = Some(third);
    let asked = compare_asked(&update(&mut app, ch('D'))).unwrap();
    assert_eq!((asked.0, asked.1), (third, second));
    // Equal bodies: said so, and the body stays.
    compared(&mut app, second, "", true);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("⇄ No differences from"), "{screen}");
    assert!(screen.contains("\"n\": 3"), "{screen}");
}

/// The text of the first Copy effect.
fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy { text, .. } => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn za_folds_the_container_at_the_cursor_and_zm_zr_fold_everything() {
    let body = r#"{"items":[{"id":1,"tags":["a","b"]},{"id":2}],"total":2}"#;
    let mut app = showing_json(body);
    let lines = app
        .shown_exchange()
        .unwrap()
        .body_doc()
        .unwrap()
        .line_count();
    // Line 2 opens "items".
    update(&mut app, ch('j'));
    update(&mut app, ch('z'));
    let footer = draw(&mut app).join("\n");
    assert!(
        footer.contains("a fold   M fold every object and array   R unfold everything"),
        "the fold keys are hinted:\n{footer}"
    );
    update(&mut app, ch('a'));
    assert!(!app.reader.fold_prefix);
    assert_eq!(app.reader.rows.len(), 4, "{{, items folded, total, }}");
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains(r#""items": […] 2 items"#), "{screen}");
    assert!(!screen.contains(r#""id": 1"#), "{screen}");
    // Space unfolds it again.
    update(&mut app, ch(' '));
    assert_eq!(app.reader.rows.len(), lines);
    // zM: everything under the top level; the cursor stays on its line's row.
    update(&mut app, ch('z'));
    update(&mut app, ch('M'));
    assert_eq!(app.reader.rows.len(), 4);
    assert_eq!(app.reader.cursor, 1);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains(r#""items": […] 2 items"#), "{screen}");
    // Unfolding one level shows its members folded.
    update(&mut app, ch(' '));
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("{…} 2 keys"), "{screen}");
    assert!(screen.contains("{…} 1 key"), "{screen}");
    update(&mut app, ch('z'));
    update(&mut app, ch('R'));
    assert_eq!(app.reader.rows.len(), lines);
    // Another key after z only ends the prefix.
    update(&mut app, ch('z'));
    update(&mut app, ch('q'));
    assert!(!app.should_quit && !app.reader.fold_prefix);
}

#[test]
fn the_path_under_the_cursor_shows_and_yp_yv_yy_copy_it() {
    let body = r#"{"items":[{"id":1,"owner":{"login":"ann"}}]}"#;
    let mut app = showing_json(body);
    // {, "items": [, {, "id": 1, "owner": {, "login": "ann"
    for _ in 0..5 {
        update(&mut app, ch('j'));
    }
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("$.items[0].owner.login · line 6 of 10"),
        "{screen}"
    );
    update(&mut app, ch('y'));
    assert_eq!(
        copied(&update(&mut app, ch('p'))).as_deref(),
        Some("$.items[0].owner.login")
    );
    update(&mut app, ch('k'));
    update(&mut app, ch('y'));
    assert_eq!(
        copied(&update(&mut app, ch('v'))).as_deref(),
        Some("{\n  \"login\": \"ann\"\n}")
    );
    update(&mut app, ch('y'));
    assert_eq!(
        copied(&update(&mut app, ch('y'))).as_deref(),
        Some("\"owner\": {")
    );
}

#[test]
fn a_body_that_is_not_json_does_not_fold_and_offers_only_the_line() {
    let mut app = showing("text/plain", "plain words\nsecond line\n");
    update(&mut app, ch('z'));
    assert!(!app.reader.fold_prefix);
    assert!(format!("{:?}", app.notice).contains("Only JSON folds"));
    update(&mut app, ch('j'));
    update(&mut app, ch('y'));
    let menu = draw(&mut app).join("\n");
    assert!(menu.contains("y the line under the cursor"), "{menu}");
    assert!(!menu.contains("the path of the value"), "{menu}");
    assert_eq!(
        copied(&update(&mut app, ch('y'))).as_deref(),
        Some("second line")
    );
}

/// A body prepared twice (another document arrives while the first one's lines are being
/// highlighted): the highlighting is asked for again, for the document shown; the first one's
/// results, when they come, are dropped and do not leave the lines unhighlighted for good.
#[test]
fn a_second_document_asks_for_its_own_highlighting() {
    let mut app = showing_json(&items(3));
    let id = app.shown.unwrap();
    let highlights = |effects: &[Effect]| {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Highlight { .. }))
            .count()
    };
    let again = Arc::new(Document::from_body(
        items(3).as_bytes(),
        Some("application/json"),
    ));
    let effects = update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: crate::app::DocKind::Pretty,
            doc: again,
            revealed: false,
        },
    );
    assert_eq!(highlights(&effects), 1, "{effects:?}");
}
