//! A body kept on disk in the Body tab, through `update`: line chunks asked for as they come on
//! screen, `G` to the last line, what needs the body in memory refused with its size, search of
//! the whole file.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::exchange::CHUNK_LINES;
use crate::app::testing::{answered_by, draw};
use crate::app::{App, Effect, Msg, Notice, Pane, update};
use crate::highlight::Document;
use crate::http::spill::SpillFile;
use crate::model::{ResponseData, Spilled};

const LINES: usize = 10_000;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A JSON Lines body of [`LINES`] lines written to a file in `dir`.
fn spilled(dir: &std::path::Path) -> Arc<Spilled> {
    let mut file = SpillFile::create(dir).unwrap();
    for i in 0..LINES {
        file.write(format!("{{\"n\":{i},\"word\":\"w{i}\"}}\n").as_bytes())
            .unwrap();
    }
    Arc::new(file.finish().unwrap())
}

/// The app showing a response whose body is `spilled` (its first 100 bytes in memory), prepared
/// and drawn; the reads it asks for.
fn showing(spilled: Arc<Spilled>) -> (App, Vec<Effect>) {
    let first = std::fs::read(spilled.path()).unwrap()[..100].to_vec();
    let response = ResponseData {
        stopped: false,
        spilled: Some(spilled),
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/x-ndjson".into())],
        body: bytes::Bytes::from(first.clone()),
        elapsed: std::time::Duration::from_millis(2),
        redirects: Vec::new(),
        url: "http://127.0.0.1/large".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let mut app = answered_by("json", response);
    let id = app.shown.unwrap();
    let doc = Arc::new(Document::from_partial_body(&first, None));
    // As the last frame left it: 30 rows for the body.
    app.focus = Pane::Response;
    app.hits.response_rows = 30;
    let effects = update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: crate::app::DocKind::Pretty,
            doc,
            revealed: false,
        },
    );
    // The frame the keys will see (what it asks for is already under way).
    draw(&mut app);
    (app, effects)
}

fn reads(effects: &[Effect]) -> Vec<usize> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReadLines { chunk, .. } => Some(*chunk),
            _ => None,
        })
        .collect()
}

/// Does what the event loop does with the reads.
fn serve(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if let Effect::ReadLines {
            id,
            chunk,
            spilled,
            content_type,
            secrets,
        } = e
        {
            let lines = crate::event_loop::io::file_lines(
                &spilled,
                chunk,
                content_type.as_deref(),
                secrets,
            )
            .map_err(|e| e.to_string());
            update(app, Msg::LinesRead { id, chunk, lines });
        }
    }
}

#[test]
fn the_lines_on_screen_are_read_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, effects) = showing(spilled(dir.path()));
    assert_eq!(reads(&effects), vec![0]);
    serve(&mut app, effects);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains(r#"{"n":3,"word":"w3"}"#), "{screen}");
    // JSON Lines highlighted as JSON, line by line.
    let view = app.shown_exchange().unwrap().view().unwrap();
    assert!(view.styled_line(3).unwrap().spans.len() > 3);
    assert!(screen.contains("read from disk"), "{screen}");
    assert!(!screen.contains("records"), "{screen}");
    assert!(screen.contains("line 1 of 10,000"), "{screen}");
}

#[test]
fn g_goes_to_the_last_line_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, effects) = showing(spilled(dir.path()));
    serve(&mut app, effects);
    let effects = update(&mut app, key(KeyCode::Char('G')));
    assert_eq!(app.reader.cursor, LINES - 1);
    let last_chunk = (LINES - 1) / CHUNK_LINES;
    assert!(
        reads(&effects).contains(&last_chunk),
        "{:?}",
        reads(&effects)
    );
    serve(&mut app, effects);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains(r#"{"n":9999,"word":"w9999"}"#), "{screen}");
    assert!(screen.contains("line 10,000 of 10,000"), "{screen}");
    // Back to the top: the first chunks are still there (or asked for again).
    update(&mut app, key(KeyCode::Char('g')));
    assert_eq!(app.reader.cursor, 0);
}

#[test]
fn what_needs_the_body_in_memory_says_it_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = showing(spilled(dir.path()));
    for c in ['|', 'D', 'z', ' '] {
        app.notice = None;
        update(&mut app, key(KeyCode::Char(c)));
        let Some(Notice::Error(text)) = &app.notice else {
            panic!("{c}: no error: {:?}", app.notice);
        };
        assert!(text.contains("too large"), "{c}: {text}");
        assert!(text.contains("KB") || text.contains("MB"), "{c}: {text}");
        assert!(app.reader.filter_line.is_none());
    }
}

#[test]
fn search_scans_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = showing(spilled(dir.path()));
    update(&mut app, key(KeyCode::Char('/')));
    let effects: Vec<Effect> = "w9876"
        .chars()
        .flat_map(|c| update(&mut app, key(KeyCode::Char(c))))
        .collect();
    let Some(Effect::SearchFile {
        generation,
        spilled,
        query,
        cancel,
    }) = effects
        .into_iter()
        .rfind(|e| matches!(e, Effect::SearchFile { .. }))
    else {
        panic!("no search of the file");
    };
    let mut found = Vec::new();
    let mut count = 0;
    let complete = crate::http::spill::search_file(&spilled, &query, &cancel, |new, c, _| {
        found.extend(new);
        count = c;
    })
    .unwrap();
    assert!(complete);
    update(
        &mut app,
        Msg::Searched(crate::app::reader::search::SearchProgress {
            generation,
            new: found,
            count,
            progress: 1.0,
            done: true,
        }),
    );
    assert_eq!(app.reader.search.count, 1);
    assert_eq!(app.reader.cursor, 9876, "the cursor goes to the match");
}

#[test]
fn long_lines_wrap_and_the_raw_tab_says_it_shows_the_first_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = SpillFile::create(dir.path()).unwrap();
    let long: String = (0..60).map(|i| format!("word{i:03} ")).collect();
    file.write(format!("{long}\nshort\n").repeat(100).as_bytes())
        .unwrap();
    let (mut app, effects) = showing(Arc::new(file.finish().unwrap()));
    serve(&mut app, effects);
    let screen = draw(&mut app).join("\n");
    assert!(!screen.contains("word059"), "cut at the edge:\n{screen}");
    update(&mut app, key(KeyCode::Char('w')));
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("word059"), "wrapped:\n{screen}");
    app.response_tab = crate::app::ResponseTab::Raw;
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("⚠ the first 100 B of 48 KB here; the Body tab reads it all from disk"),
        "{screen}"
    );
}

#[test]
fn copying_takes_the_line_not_the_body_and_saving_takes_the_whole_file() {
    use crate::app::copy::{CopyItem, text};
    let dir = tempfile::tempdir().unwrap();
    let file = spilled(dir.path());
    let (mut app, effects) = showing(file.clone());
    serve(&mut app, effects);
    update(&mut app, key(KeyCode::Down));
    assert_eq!(
        text(&app, CopyItem::Line, false).unwrap(),
        r#"{"n":1,"word":"w1"}"#
    );
    assert!(!CopyItem::offered(&app).contains(&CopyItem::Path));
    let body = text(&app, CopyItem::ResponseBody, false).unwrap_err();
    assert!(body.contains("too large to copy"), "{body}");
    let id = app.shown.unwrap();
    let effects = crate::app::view::save_effect(&mut app, id, "/tmp/x".into(), false);
    assert!(
        matches!(&effects[..], [Effect::SaveBody { body: crate::app::SaveBody::File(f), .. }]
            if Arc::ptr_eq(f, &file)),
        "{effects:?}"
    );
}

/// The view stays at the file's end when the first part is prepared again (the memory budget,
/// secrets revealed): the rows of a body on disk are its file's lines, whatever document of its
/// first part is in memory — and scrolling is clamped to them before the rows follow it. (A
/// benchmark once saw `G` land on line 8,061 of 169,466 so.)
#[test]
fn the_end_of_the_file_stays_in_view_when_the_first_part_is_prepared_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = showing(spilled(dir.path()));
    let id = app.shown.unwrap();
    update(&mut app, key(KeyCode::Char('G')));
    let page = crate::app::view::viewport_height(&app);
    assert_eq!(
        (app.reader.cursor, app.scroll.top),
        (LINES - 1, LINES - page)
    );
    update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: crate::app::DocKind::Pretty,
            doc: Arc::new(Document::from_partial_body(b"{\"n\":0}\n", None)),
            revealed: false,
        },
    );
    assert_eq!(
        (app.reader.cursor, app.scroll.top),
        (LINES - 1, LINES - page)
    );
}

/// Found by reading the code: a chunk that could not be read from disk stayed blank rows, with
/// only a passing message to say why.
#[test]
fn lines_the_file_could_not_give_say_so_where_they_would_be() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, effects) = showing(spilled(dir.path()));
    let [Effect::ReadLines { id, chunk, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let lines = Err("No such file or directory (os error 2)".to_string());
    update(
        &mut app,
        Msg::LinesRead {
            id: *id,
            chunk: *chunk,
            lines,
        },
    );
    app.notice = None;
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("⚠ not read from the body's file: No such file or directory"),
        "{screen}"
    );
    assert!(
        reads(&update(&mut app, key(KeyCode::Down))).is_empty(),
        "not asked again and again"
    );
}
