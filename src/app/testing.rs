//! A ready app for tests: the built-in demo collection loaded against a fake demo address, and
//! a frame drawn the way the event loop draws one (so clicks and pages map to what is shown).

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::editor::Editor;
use crate::app::{App, Msg, update};
use crate::collection::DEMO_URL_VAR;

/// Where the fake demo server "listens" in tests (nothing is sent there by `update` tests).
pub const BASE: &str = "http://127.0.0.1:9";

/// An app with the demo collection loaded and request `id` of it open in the editor, drawn once.
pub fn app_with(id: &str) -> App {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    app.work_dir = "/work".into();
    app.ids = crate::app::Ids::seeded(7);
    app.injected = vec![(DEMO_URL_VAR.to_string(), BASE.to_string())];
    let files = crate::event_loop::io::load_collections(None, &app.injected);
    update(&mut app, Msg::CollectionsLoaded(files));
    open(&mut app, id);
    draw(&mut app);
    app
}

/// Opens request `id` of the first collection in the editor.
pub fn open(app: &mut App, id: &str) {
    let index = app.tree.files[0]
        .collection()
        .and_then(|c| c.requests.iter().position(|r| r.id == id))
        .expect("a request of the demo collection");
    app.origin = None;
    crate::app::collections::open_request(app, 0, index);
}

/// Draws a frame of `app.size` and tells `update` where things went, as the event loop does
/// after every message. Returns the frame's text, one string per row.
pub fn draw(app: &mut App) -> Vec<String> {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    let mut hits = Default::default();
    terminal
        .draw(|f| hits = crate::ui::draw(f, app))
        .expect("a frame");
    update(app, Msg::Drawn(Box::new(hits)));
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            // A wide character's second cell is part of it, not a character of its own.
            let mut row = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let symbol = buf[(x, y)].symbol();
                row.push_str(symbol);
                x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            row
        })
        .collect()
}

/// The cell where `needle` is drawn in the frame `rows` (the first place it appears).
pub fn find(rows: &[String], needle: &str) -> (u16, u16) {
    for (y, line) in rows.iter().enumerate() {
        if let Some(byte) = line.find(needle) {
            let x = unicode_width::UnicodeWidthStr::width(&line[..byte]);
            return (x as u16, y as u16);
        }
    }
    panic!("`{needle}` is not on screen:\n{}", rows.join("\n"));
}

/// The demo request `id` sent from the editor and answered with `response`.
pub fn answered_by(id: &str, response: crate::model::ResponseData) -> App {
    use crate::http::job::HttpEvent;
    let mut app = app_with(id);
    let id = send(&mut app);
    update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(response)),
        }),
    );
    app
}

/// The demo request `id` sent and answered with `status`, `headers` and a `{}` body; the
/// response pane focused, the Explain panel open.
pub fn answered_with(id: &str, status: u16, headers: &[(&str, &str)]) -> App {
    let response = crate::model::ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason: String::new(),
        version: "HTTP/1.1".into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: bytes::Bytes::from_static(b"{}"),
        elapsed: std::time::Duration::from_millis(2),
        redirects: Vec::new(),
        url: format!("{BASE}/items"),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let mut app = answered_by(id, response);
    app.focus = crate::app::Pane::Response;
    app.explain = true;
    app
}

/// A response of `status` with `body` of `content_type`, from the fake demo server.
pub fn response(status: u16, content_type: &str, body: &str) -> crate::model::ResponseData {
    crate::model::ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), content_type.into())],
        body: bytes::Bytes::from(body.to_string()),
        elapsed: std::time::Duration::from_millis(2),
        redirects: Vec::new(),
        url: format!("{BASE}/json"),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

/// Sends the editor's request (Ctrl+R); its id.
pub fn send(app: &mut App) -> crate::http::job::RequestId {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    )
    .iter()
    .find_map(|e| match e {
        crate::app::Effect::Send(job) => Some(job.id),
        _ => None,
    })
    .expect("the request was sent")
}

/// The demo's `json` request answered with `body` of `content_type`, prepared as the event loop
/// would, the response pane focused and drawn.
pub fn showing(content_type: &str, body: &str) -> App {
    let mut app = answered_by("json", response(200, content_type, body));
    prepared(
        &mut app,
        crate::highlight::Document::from_body(body.as_bytes(), Some(content_type)),
    );
    app.focus = crate::app::Pane::Response;
    draw(&mut app);
    app
}

/// [`showing`] a JSON body.
pub fn showing_json(body: &str) -> App {
    showing("application/json", body)
}

/// Runs the check among `effects` the way the event loop does (off the UI thread there), and
/// hands the result to `update`; its effects.
pub fn run_check(
    app: &mut App,
    id: crate::http::job::RequestId,
    effects: Vec<crate::app::Effect>,
) -> Vec<crate::app::Effect> {
    let (plan, response, secrets) = effects
        .into_iter()
        .find_map(|e| match e {
            crate::app::Effect::Check {
                plan,
                response,
                secrets,
                ..
            } => Some((plan, response, secrets)),
            _ => None,
        })
        .expect("a Check effect for a request with expect");
    let checked = crate::replay::step::check_response(
        plan.expect.as_ref(),
        &plan.capture,
        &plan.by,
        &response,
        secrets,
    );
    update(
        app,
        Msg::Checked {
            id,
            checked: Box::new(checked),
        },
    )
}

/// The shown exchange's body prepared as `doc`, as the event loop hands it over.
pub fn prepared(app: &mut App, doc: crate::highlight::Document) {
    let id = app.shown.expect("a response is shown");
    update(
        app,
        Msg::BodyPrepared {
            id,
            kind: crate::app::DocKind::Pretty,
            doc: std::sync::Arc::new(doc),
            revealed: false,
        },
    );
}
