//! The screen at the sizes people use: 60×20, 80×24, 120×40 and 200×60. Each snapshot is one
//! pane's own area (so a change to one pane does not churn the others), and the walk checks
//! that every pane Tab reaches is on screen.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::testing::showing_json;
use crate::app::{App, Msg, Pane, update};

const SIZES: [(u16, u16); 4] = [(60, 20), (80, 24), (120, 40), (200, 60)];

const BODY: &str = r#"{"items":[{"id":1,"name":"widget — 日本語","tags":["new","🙂"]},{"id":2,"name":"gadget","price":9.99}],"next":"/items?page=2"}"#;

/// Draws `app` at its size; each shown pane's text, by pane.
fn panes(app: &App) -> Vec<(Pane, String)> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = Default::default();
    terminal.draw(|f| hits = crate::ui::draw(f, app)).unwrap();
    let hits: crate::app::hits::HitMap = hits;
    let buf = terminal.backend().buffer();
    hits.panes
        .iter()
        .map(|(pane, r)| {
            let rows: Vec<String> = (r.y..r.bottom())
                .map(|y| {
                    // A wide character's second cell is part of it, not a character.
                    let mut row = String::new();
                    let mut x = r.x;
                    while x < r.right() {
                        let symbol = buf[(x, y)].symbol();
                        row.push_str(symbol);
                        x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
                    }
                    row.trim_end().to_string()
                })
                .collect();
            (*pane, rows.join("\n"))
        })
        .collect()
}

fn at(w: u16, h: u16) -> App {
    let mut app = showing_json(BODY);
    // A fixed clock: the title shows when the response came.
    app.history.entries.last_mut().unwrap().sent_at_ms = 1_800_000_000_000;
    app.size = (w, h);
    update(&mut app, Msg::Resize(w, h));
    app
}

#[test]
fn the_response_and_the_editor_at_each_size() {
    for (w, h) in SIZES {
        let app = at(w, h);
        for (pane, text) in panes(&app) {
            if matches!(pane, Pane::Response | Pane::Editor) {
                insta::assert_snapshot!(format!("{pane:?}_{w}x{h}").to_lowercase(), text);
            }
        }
    }
}

#[test]
fn tab_reaches_every_pane_and_each_is_on_screen_when_it_has_the_focus() {
    for (w, h) in SIZES {
        let mut app = at(w, h);
        let mut seen = Vec::new();
        for _ in 0..5 {
            update(
                &mut app,
                Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
            );
            let shown: Vec<Pane> = panes(&app).iter().map(|(p, _)| *p).collect();
            assert!(
                shown.contains(&app.focus),
                "{w}x{h}: {:?} has the focus but is not shown ({shown:?})",
                app.focus
            );
            seen.push(app.focus);
        }
        for pane in [
            Pane::Editor,
            Pane::Response,
            Pane::History,
            Pane::Collections,
        ] {
            assert!(seen.contains(&pane), "{w}x{h}: Tab never reaches {pane:?}");
        }
    }
}

#[test]
fn z_zooms_the_focused_pane_and_z_again_goes_back() {
    let mut app = at(120, 40);
    app.focus = Pane::History;
    let z = || Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE));
    update(&mut app, z());
    let shown = panes(&app);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].0, Pane::History);
    update(&mut app, z());
    assert_eq!(panes(&app).len(), 4);
}

#[test]
fn the_side_column_widens_and_narrows_and_is_kept() {
    let mut app = at(120, 40);
    app.focus = Pane::History;
    app.layout_path = Some("/data/layout.toml".into());
    let width = |app: &App| {
        panes(app)
            .into_iter()
            .find(|(p, _)| *p == Pane::Collections)
            .map(|(_, t)| t.lines().next().unwrap().chars().count())
            .unwrap()
    };
    let before = width(&app);
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('>'), KeyModifiers::NONE)),
    );
    assert!(width(&app) > before);
    let [crate::app::Effect::WriteLayout { path, text }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(path.to_str(), Some("/data/layout.toml"));
    assert_eq!(
        crate::app::panes::PaneSizes::parse(text),
        app.panes,
        "what is kept is what is shown"
    );
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('<'), KeyModifiers::NONE)),
    );
    assert_eq!(width(&app), before);
}

#[test]
fn a_title_longer_than_its_pane_ends_in_an_ellipsis() {
    let mut app = at(60, 20);
    app.history.entries.last_mut().unwrap().spec.url =
        "http://api.example.com/a/very/long/path/that/does/not/fit/in/sixty/columns".into();
    let shown = panes(&app);
    let (_, response) = shown.iter().find(|(p, _)| *p == Pane::Response).unwrap();
    let title = response.lines().next().unwrap();
    assert!(title.ends_with("… ╮"), "{title}");
    assert_eq!(title.chars().count(), 60);
}

#[test]
fn a_header_value_past_the_edge_ends_in_an_ellipsis() {
    let long = "max-age=31536000; includeSubDomains; preload; and more words than fit here";
    let mut app =
        crate::app::testing::answered_with("json", 200, &[("strict-transport-security", long)]);
    app.size = (60, 20);
    app.response_tab = crate::app::ResponseTab::Headers;
    let shown = panes(&app);
    let (_, response) = shown.iter().find(|(p, _)| *p == Pane::Response).unwrap();
    let row = response
        .lines()
        .find(|l| l.contains("strict-trans…"))
        .unwrap_or_else(|| panic!("{response}"));
    assert!(
        row.contains("max-age=31…"),
        "name and value both end in …: {row}"
    );
}

/// The footer's rows at `w`×`h`: every row below the last pane.
fn footer(app: &App) -> Vec<String> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = Default::default();
    terminal.draw(|f| hits = crate::ui::draw(f, app)).unwrap();
    let hits: crate::app::hits::HitMap = hits;
    let below = hits.panes.iter().map(|(_, r)| r.bottom()).max().unwrap();
    let buf = terminal.backend().buffer();
    (below..h)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < w {
                let symbol = buf[(x, y)].symbol();
                row.push_str(symbol);
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            row.trim_end().to_string()
        })
        .collect()
}

/// Found by trying the app at 60×20: a notice longer than the row was cut at the edge ("… a text
/// over 8 M"). It takes the rows it needs (three at most), and the hints stay on the last.
#[test]
fn a_long_notice_is_read_whole_above_the_hints() {
    let mut app = at(60, 20);
    let short = footer(&app);
    assert_eq!(short.len(), 2, "{short:#?}");
    let message = "JSON formatted (Ctrl+Z cannot take it back: a text over 8 MiB keeps no undo \
                   steps)";
    app.notice = Some(crate::app::Notice::Info(message.into()));
    let rows = footer(&app);
    assert_eq!(
        rows[..2],
        [
            " JSON formatted (Ctrl+Z cannot take it back: a text over 8",
            " MiB keeps no undo steps)"
        ],
        "{rows:#?}"
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2], short[1], "the hints as before");
    // Longer than three rows: cut with a … on the third.
    app.notice = Some(crate::app::Notice::Error(message.repeat(3)));
    let rows = footer(&app);
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert!(rows[0].starts_with(" ✗ JSON formatted"), "{rows:#?}");
    assert!(rows[2].ends_with('…'), "{rows:#?}");
}

/// Found by trying the app at 60×20: the body's status row ran off the edge ("…path/to/file (Esc
/// to"). The hint gives way first (the footer says it too), then the status is cut with a `…`.
#[test]
fn the_body_status_row_fits_its_width() {
    use crate::app::editor::{EditorTab, Section};
    let mut app = at(60, 20);
    app.focus = Pane::Editor;
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Body;
    app.editor.body_kind = crate::model::BodyKind::Multipart;
    app.editor.body_editing = true;
    let editor = |app: &App| {
        panes(app)
            .into_iter()
            .find(|(p, _)| *p == Pane::Editor)
            .unwrap()
            .1
    };
    let shown = editor(&app);
    assert!(
        shown.contains("│one part per line: name=value or name@path/to/file "),
        "{shown}"
    );
    assert!(!shown.contains("(Esc"), "{shown}");
    app.editor.body_kind = crate::model::BodyKind::Json;
    app.editor.json_issue = Some(crate::highlight::JsonIssue {
        line: 1,
        column: 15_378_000,
        message: "trailing characters after the JSON value, which ends earlier".into(),
    });
    let shown = editor(&app);
    assert!(
        shown.contains("│✗ line 1, column 15378000: trailing characters after the…"),
        "{shown}"
    );
}
