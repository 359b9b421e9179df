//! Pane rendering on a TestBackend: snapshots of each pane in its typical states, plus colour
//! checks where highlighting matters.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::app::editor::{Editor, EditorTab, Section};
use crate::app::exchange::{BodyView, CHUNK_LINES, Exchange, ExchangeState};
use crate::app::testing::{BASE, app_with};
use crate::app::text::TextInput;
use crate::app::{App, Overlay, Pane, ResponseTab};
use crate::highlight::{Document, highlighter};
use crate::http::HttpError;
use crate::model::{BodyKind, KeyValue, Method, RedirectHop, RequestSpec, ResponseData};

fn app() -> App {
    let mut app = app_with("json");
    app.size = (100, 30);
    app
}

fn render(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|f| {
            super::draw(f, app);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn json_response(body: &str) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-length".into(), body.len().to_string()),
        ],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(12),
        redirects: vec![],
        url: format!("{BASE}/json"),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

/// Adds a finished exchange whose body is prepared and fully highlighted, and shows it.
fn with_response(app: &mut App, response: ResponseData) {
    let doc = Arc::new(Document::from_body(&response.body, response.content_type()));
    let raw = Arc::new(Document::as_received(
        &response.body,
        response.content_type(),
    ));
    let mut view = BodyView {
        doc: Some(doc.clone()),
        raw: Some(raw),
        ..Default::default()
    };
    for chunk in 0..doc.line_count().div_ceil(CHUNK_LINES) {
        let start = chunk * CHUNK_LINES;
        let end = (start + CHUNK_LINES).min(doc.line_count());
        view.store(chunk, highlighter().highlight(&doc, start..end));
    }
    push(
        app,
        ExchangeState::Done {
            response: Box::new(response),
            view: Box::new(view),
        },
    );
}

fn push(app: &mut App, state: ExchangeState) {
    let id = app.next_id;
    app.next_id += 1;
    let spec = app.editor.spec();
    let sent = match app.scope() {
        Some(Ok(scope)) => scope.resolve_spec(&spec, "").unwrap().0,
        _ => spec.clone(),
    };
    app.history.entries.push(Exchange {
        sent,
        ..Exchange::new(id, spec, state, app.now)
    });
    app.shown = Some(id);
}

const DOC: &str =
    r#"{"name":"scout","version":1,"tags":["http","tui"],"nested":{"ok":true,"none":null}}"#;

#[test]
fn first_screen() {
    insta::assert_snapshot!(text(&render(&app())));
}

#[test]
fn json_body_pretty_printed_and_highlighted() {
    let mut app = app();
    with_response(&mut app, json_response(DOC));
    let buf = render(&app);
    insta::assert_snapshot!(text(&buf));
    // The status badge carries the 2xx colour, and JSON keys are coloured unlike punctuation.
    let content = text(&buf);
    let y = content.lines().position(|l| l.contains("200 OK")).unwrap() as u16;
    let x = content
        .lines()
        .nth(y as usize)
        .unwrap()
        .chars()
        .position(|c| c == '2')
        .unwrap() as u16;
    assert_eq!(buf[(x, y)].fg, app.theme.status(200));
    let y = content
        .lines()
        .position(|l| l.contains("\"name\""))
        .unwrap() as u16;
    let line: Vec<char> = content.lines().nth(y as usize).unwrap().chars().collect();
    let key_x = line.iter().position(|c| *c == 'n').unwrap() as u16;
    let colon_x = line.iter().position(|c| *c == ':').unwrap() as u16;
    assert_ne!(
        buf[(key_x, y)].fg,
        buf[(colon_x, y)].fg,
        "keys are highlighted"
    );
}

#[test]
fn headers_and_raw_tabs() {
    let mut app = app();
    let mut response = json_response(DOC);
    response.redirects = vec![RedirectHop {
        status: 302,
        url: format!("{BASE}/redirect/1"),
        location: format!("{BASE}/json"),
    }];
    with_response(&mut app, response);
    app.focus = Pane::Response;
    app.response_tab = ResponseTab::Headers;
    insta::assert_snapshot!("headers_tab", text(&render(&app)));
    app.response_tab = ResponseTab::Raw;
    insta::assert_snapshot!("raw_tab", text(&render(&app)));
    app.response_tab = ResponseTab::Request;
    let request = text(&render(&app));
    assert!(request.contains("GET http://127.0.0.1:9/json"), "{request}");
    app.response_tab = ResponseTab::Body;
    let body = text(&render(&app));
    assert!(body.contains("↪ 302 /redirect/1 → /json"), "{body}");
}

#[test]
fn cookies_tab_lists_the_jar_of_the_shown_exchange() {
    let mut app = app();
    app.size = (140, 30);
    // 2001-09-09 01:46:40 UTC: expiry columns and the expired-cookie filter are fixed.
    app.wall = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    with_response(&mut app, json_response(DOC));
    app.focus = Pane::Response;
    app.response_tab = ResponseTab::Cookies;
    let empty = text(&render(&app));
    assert!(
        empty.contains("No cookies in the jar of requests outside collections yet."),
        "{empty}"
    );
    let jar = "collections/demo.toml";
    app.history.entries.last_mut().unwrap().jar = jar.into();
    let empty = text(&render(&app));
    assert!(
        empty.contains("No cookies in this collection's jar yet."),
        "{empty}"
    );

    // The worker's snapshot of the jars, as it sends them after an exchange.
    let from = url::Url::parse("http://127.0.0.1:9/cookies/set").unwrap();
    let jars = crate::http::cookies::CookieJars::new();
    jars.jar(jar).store(
        &from,
        [
            "theme=dark; Path=/",
            "sessionid=0123456789abcdef; Path=/; Secure; HttpOnly",
            "short=1; Max-Age=60",
        ],
        app.wall,
    );
    // Another collection's jar is not shown.
    jars.jar("other.toml")
        .store(&from, ["elsewhere=1"], app.wall);
    for key in [jar, "other.toml"] {
        app.cookies.insert(key.to_string(), jars.list(key));
    }
    let buf = render(&app);
    let shown = text(&buf);
    insta::assert_snapshot!("cookies_tab", shown);
    assert!(shown.contains("3 cookies"), "{shown}");
    assert!(shown.contains("0123… (16 chars)"), "{shown}");
    assert!(
        !shown.contains("0123456789abcdef") && !shown.contains("elsewhere"),
        "{shown}"
    );
    assert!(shown.contains("09 Sep 2001 01:47:40 GMT"), "{shown}");
    assert!(shown.contains("Secure HttpOnly"), "{shown}");
    let (x, y) = find(&buf, "theme");
    assert_eq!(buf[(x, y)].fg, app.theme.accent, "names are accented");

    app.reveal = true;
    assert!(text(&render(&app)).contains("0123456789abcdef"));
    // Once expired, a cookie is no longer listed.
    app.wall += Duration::from_secs(61);
    assert!(!text(&render(&app)).contains("short"));
}

#[test]
fn failure_in_flight_and_cancelled_states() {
    let mut app = app();
    push(
        &mut app,
        ExchangeState::Failed(HttpError::Refused {
            target: "127.0.0.1:9".into(),
        }),
    );
    insta::assert_snapshot!("failed", text(&render(&app)));
    push(
        &mut app,
        ExchangeState::Loading {
            received: 2048,
            total: Some(4096),
            stopping: false,
        },
    );
    let loading = text(&render(&app));
    assert!(loading.contains("⠋ Sending"), "{loading}");
    assert!(loading.contains("2.0 KB received of 4.0 KB"), "{loading}");
    assert!(
        loading.contains("Esc stops the download and keeps what arrived."),
        "{loading}"
    );
    push(
        &mut app,
        ExchangeState::Loading {
            received: 2048,
            total: Some(4096),
            stopping: true,
        },
    );
    let stopping = text(&render(&app));
    assert!(
        stopping.contains("Stopping… (Esc again cancels and keeps nothing.)"),
        "{stopping}"
    );
    push(&mut app, ExchangeState::loading());
    let waiting = text(&render(&app));
    assert!(waiting.contains("Esc cancels."), "{waiting}");
    push(
        &mut app,
        ExchangeState::Cancelled {
            after: Duration::from_millis(1500),
        },
    );
    let cancelled = text(&render(&app));
    assert!(cancelled.contains("Cancelled after 1.50 s"), "{cancelled}");
    assert!(
        cancelled.contains("--- GET"),
        "history marks it: {cancelled}"
    );
}

#[test]
fn editor_tabs() {
    let mut app = app();
    app.editor = Editor::from_spec(&RequestSpec {
        method: Method::Post,
        url: format!("{BASE}/items?limit=10&q=two%20words"),
        headers: vec![
            KeyValue::new("Accept", "application/json"),
            KeyValue {
                enabled: false,
                ..KeyValue::new("X-Debug", "1")
            },
        ],
        body_kind: BodyKind::Json,
        body: "{\n  \"name\": \"widget\",\n}".into(),
    });
    app.editor.section = Section::Content;
    app.editor.tab = EditorTab::Query;
    insta::assert_snapshot!("editor_query", text(&render(&app)));
    app.editor.tab = EditorTab::Headers;
    app.editor.headers.list.selected = 1;
    insta::assert_snapshot!("editor_headers", text(&render(&app)));
    app.editor.tab = EditorTab::Body;
    app.editor.body_editing = true;
    let body = text(&render(&app));
    insta::assert_snapshot!("editor_body", body);
    assert!(body.contains("✗ line 3, column 1: trailing comma (remove the last `,`)"));
}

#[test]
fn help_and_save_overlays() {
    let mut app = app();
    app.size = (100, 40);
    app.overlay = Some(Overlay::help());
    insta::assert_snapshot!("help", text(&render(&app)));
    with_response(&mut app, json_response(DOC));
    app.overlay = Some(Overlay::SavePath {
        input: TextInput::single("json.json"),
        id: 1,
    });
    let save = text(&render(&app));
    assert!(
        save.contains("Save body as") && save.contains("json.json"),
        "{save}"
    );
    app.overlay = Some(Overlay::ConfirmOverwrite {
        path: "/work/json.json".into(),
        id: 1,
    });
    let confirm = text(&render(&app));
    assert!(
        confirm.contains("/work/json.json already exists."),
        "{confirm}"
    );
}

#[test]
fn binary_bodies_show_a_hex_summary() {
    let mut app = app();
    let mut response = json_response("");
    response.headers = vec![("content-type".into(), "application/octet-stream".into())];
    response.body = Bytes::from_static(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\x03");
    with_response(&mut app, response);
    let screen = text(&render(&app));
    assert!(screen.contains("89 50 4e 47"), "{screen}");
    assert!(screen.contains("|.PNG"), "{screen}");
}

#[test]
fn narrow_terminals_still_draw() {
    let mut app = app();
    with_response(&mut app, json_response(DOC));
    for (w, h) in [(40, 12), (20, 6), (70, 20), (5, 3)] {
        app.size = (w, h);
        render(&app);
    }
    // Small but usable sizes still show the request, and the status once there is room.
    app.size = (40, 12);
    let shown = text(&render(&app));
    assert!(shown.contains("{{base_url}}/json"), "{shown}");
    app.size = (70, 20);
    let shown = text(&render(&app));
    assert!(shown.contains("200 OK"), "{shown}");
}

/// Where `needle` starts on screen.
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        if let Some(byte) = line.find(needle) {
            return (line[..byte].chars().count() as u16, y);
        }
    }
    panic!("`{needle}` is not on screen:\n{}", text(buf));
}

#[test]
fn variables_in_the_url_and_header_cells_are_coloured_by_whether_they_resolve() {
    let mut app = app();
    app.editor.url = TextInput::single("{{base_url}}/{{nope}}");
    app.editor.tab = EditorTab::Headers;
    app.editor.headers.rows = vec![KeyValue::new("X-Token", "{{missing}} and {{base_url}}")];
    let buf = render(&app);
    let t = &app.theme;
    // (text on screen, offset of a char inside the variable, colour, underlined)
    for (needle, offset, colour, underlined) in [
        ("{{base_url}}/", 2, t.accent, false),
        ("{{nope}}", 2, t.error, true),
        ("{{missing}}", 2, t.error, true),
        ("and {{base_url}}", 6, t.accent, false),
        ("and {{base_url}}", 0, t.text, false),
    ] {
        let (x, y) = find(&buf, needle);
        let cell = &buf[(x + offset, y)];
        assert_eq!(cell.fg, colour, "{needle}");
        assert_eq!(
            cell.modifier.contains(ratatui::style::Modifier::UNDERLINED),
            underlined,
            "{needle}"
        );
    }
}

#[test]
fn rate_limit_headers_are_summarised_in_the_status_line() {
    let mut app = app();
    app.size = (160, 30);
    let mut response = json_response("{}");
    response.status = 429;
    response.reason = "Too Many Requests".into();
    response.headers.extend([
        ("X-RateLimit-Limit".to_string(), "5".to_string()),
        ("X-RateLimit-Remaining".to_string(), "0".to_string()),
        ("X-RateLimit-Reset".to_string(), "7".to_string()),
        ("Retry-After".to_string(), "7".to_string()),
    ]);
    with_response(&mut app, response);
    let buf = render(&app);
    let screen = text(&buf);
    let line = screen
        .lines()
        .find(|l| l.contains("429 Too Many Requests"))
        .expect("the status line");
    assert!(line.contains("rate limit 0/5 left"), "{line}");
    assert!(line.contains("resets in 7"), "{line}");
    let (x, y) = find(&buf, "rate limit");
    assert_eq!(buf[(x, y)].fg, app.theme.warning, "none left: a warning");
}

#[test]
fn attempts_show_while_waiting_and_above_the_final_response() {
    use crate::http::attempts::AttemptReport;
    let mut app = app();
    app.size = (160, 30);
    push(&mut app, ExchangeState::loading());
    let report = AttemptReport {
        attempt: 1,
        of: 4,
        outcome: "503 Service Unavailable".into(),
        wait: Some(Duration::from_secs(2)),
        note: "Retry-After: 2 s".into(),
    };
    let id = app.shown.unwrap();
    let x = app.history.get_mut(id).unwrap();
    x.attempts.push((report, app.now));
    let screen = text(&render(&app));
    assert!(
        screen.contains("↻ attempt 1 of 4 got 503 Service Unavailable; next in 2"),
        "{screen}"
    );

    // Finished: the earlier attempt is listed above the body.
    let x = app.history.get_mut(id).unwrap();
    let attempts = std::mem::take(&mut x.attempts);
    app.history.entries.retain(|e| e.id != id);
    with_response(&mut app, json_response(DOC));
    let shown = app.shown.unwrap();
    app.history.get_mut(shown).unwrap().attempts = attempts;
    let screen = text(&render(&app));
    assert!(
        screen.contains("↻ attempt 1 of 4: 503 Service Unavailable · waited 2"),
        "{screen}"
    );
    assert!(screen.contains("(Retry-After: 2 s)"), "{screen}");
}

#[test]
fn an_insecure_collection_keeps_a_red_warning_up() {
    use crate::app::tree::TreeFile;
    use crate::collection::store::LoadedFile;
    let text =
        "name = \"Lab\"\ninsecure = true\n[requests.a]\nurl = \"https://self-signed.test/\"\n";
    let collection =
        crate::collection::parse_collection(text, std::path::Path::new("/c/lab.toml")).unwrap();
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (140, 30);
    crate::app::update(
        &mut app,
        crate::app::Msg::CollectionsLoaded(vec![TreeFile {
            loaded: LoadedFile::Ok {
                collection,
                text: text.into(),
                modified: None,
            },
            env_source: crate::template::EnvSource::empty(),
            builtin: false,
        }]),
    );
    let buf = render(&app);
    let (x, y) = find(
        &buf,
        "TLS certificates are not checked (insecure = true in Lab)",
    );
    assert_eq!(buf[(x, y)].fg, app.theme.error);
    // It stays while other news comes and goes.
    app.notice = Some(crate::app::Notice::Info("Saved".into()));
    let screen = self::text(&render(&app));
    assert!(
        screen.contains("not checked") && screen.contains("Saved"),
        "{screen}"
    );
}

/// A paged response: the summary above the body, then the Pages tab listing each page.
#[test]
fn paged_response_summary_and_pages_tab() {
    use crate::app::{Effect, Msg, update};
    use crate::http::job::HttpEvent;
    use crate::http::paginate::Pager;
    let mut app = app();
    let effects = crate::app::sending::send(&mut app);
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("{effects:?}");
    };
    let id = job.id;
    let mut response = json_response(r#"[{"id":1},{"id":2}]"#);
    response
        .headers
        .push(("link".into(), format!("<{BASE}/json?page=2>; rel=\"next\"")));
    update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(response.clone())),
        }),
    );
    let url = url::Url::parse(&job.spec.url).unwrap();
    let found = Pager::start(None, &url, &response, None).map(Box::new);
    update(&mut app, Msg::PagingDetected { id, found });
    // Sent from the URL bar, where m is typed: the keys that load from there.
    let shown = text(&render(&app));
    assert!(
        shown.contains("⇣ page 1 · 2 items · more available (link)  (Alt+m: next page, Alt+M:"),
        "{shown}"
    );
    app.focus = Pane::Response;
    let shown = text(&render(&app));
    assert!(
        shown.contains("⇣ page 1 · 2 items · more available (link)  (m: next page, M: all)"),
        "{shown}"
    );
    assert!(shown.contains("Pages (1)"), "{shown}");
    // The summary is in the info colour; a stop reason would be in the warning colour.
    let buf = render(&app);
    let (x, y) = (0..buf.area.height)
        .find_map(|y| {
            (0..buf.area.width)
                .find(|&x| buf[(x, y)].symbol() == "⇣")
                .map(|x| (x, y))
        })
        .unwrap();
    assert_eq!(buf[(x, y)].fg, app.theme.info);

    app.response_tab = ResponseTab::Pages;
    let shown = text(&render(&app));
    assert!(
        shown.contains("style: link (detected: Link header with rel=\"next\")"),
        "{shown}"
    );

    // Loading all, waiting out a used-up rate limit: a countdown that runs with the clock.
    app.focus = Pane::Response;
    update(
        &mut app,
        Msg::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Char('M'),
        )),
    );
    update(
        &mut app,
        Msg::Http(HttpEvent::PageWaiting {
            id,
            for_: Duration::from_secs(7),
            why: "rate limit used up: rate limit 0/5 left".into(),
        }),
    );
    let shown = text(&render(&app));
    assert!(shown.contains("loading all pages…"), "{shown}");
    assert!(
        shown.contains("⏱ next page in 7.00 s: rate limit used up: rate limit 0/5 left"),
        "{shown}"
    );
    app.now += Duration::from_secs(3);
    let shown = text(&render(&app));
    assert!(shown.contains("⏱ next page in 4.00 s"), "{shown}");
    assert!(
        shown.contains(" page  status   items      time  URL"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("    1     200       2     12 ms  {BASE}/json")),
        "{shown}"
    );
}

#[test]
fn the_request_tab_lists_what_the_auth_profile_added_redacted() {
    use crate::app::Effect;
    let mut app = app();
    let effects = crate::app::sending::send(&mut app);
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("{effects:?}");
    };
    let id = job.id;
    let x = app.history.get_mut(id).unwrap();
    x.job.as_mut().unwrap().auth = Some(crate::model::ResolvedAuth::Bearer {
        token: "tok-abcdefgh12345".into(),
    });
    x.state = ExchangeState::Done {
        response: Box::new(json_response("{}")),
        view: Box::default(),
    };
    app.response_tab = ResponseTab::Request;
    let shown = text(&render(&app));
    assert!(
        shown.contains("Authorization: Bearer to…(redacted)   ← auth profile"),
        "{shown}"
    );
    assert!(!shown.contains("abcdefgh12345"), "{shown}");
}

/// A response as the transport leaves it: measured, and its bytes captured.
fn measured_response() -> ResponseData {
    use crate::model::{ConnectionUse, Timing, WireHop};
    let ms = Duration::from_millis;
    let mut response = json_response(r#"{"ok":true}"#);
    response.timing = Some(Timing {
        dns: Some(ms(4)),
        connect: Some(ms(6)),
        wait: ms(80),
        download: ms(10),
        total: ms(100),
        connection: ConnectionUse::New {
            remote: Some("127.0.0.1:8080".parse().unwrap()),
        },
        ..Default::default()
    });
    response.wire = vec![WireHop::Bytes {
        sent: b"GET /json HTTP/1.1\r\nauthorization: Bearer tok-abcdefgh12345\r\nuser-agent: scout/0.1.0\r\naccept: */*\r\nhost: 127.0.0.1:8080\r\n\r\n".to_vec(),
        sent_cut: false,
        received: b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}".to_vec(),
        received_cut: false,
    }];
    response
}

#[test]
fn wire_and_timing_tabs() {
    let mut app = app();
    with_response(&mut app, measured_response());
    let shown = text(&render(&app));
    assert!(
        shown.contains("Request │ Wire │ Timing │ Cache │ Cookies"),
        "{shown}"
    );
    app.response_tab = ResponseTab::Wire;
    let wire = text(&render(&app));
    insta::assert_snapshot!("wire_tab", wire);
    assert!(!wire.contains("abcdefgh12345"), "{wire}");
    app.response_tab = ResponseTab::Timing;
    insta::assert_snapshot!("timing_tab", text(&render(&app)));
    // An exchange from the history file was not measured: no Wire or Timing tab.
    with_response(&mut app, json_response("{}"));
    crate::app::view::keep_consistent(&mut app);
    assert_eq!(app.response_tab, ResponseTab::Body);
    let shown = text(&render(&app));
    assert!(shown.contains("Request │ Cache │ Cookies"), "{shown}");
}

#[test]
fn the_cache_tab_says_what_a_cache_may_do_and_what_scouts_did() {
    let mut app = app();
    app.size = (120, 34);
    let mut response = json_response(r#"{"served":1}"#);
    response.headers.extend([
        ("cache-control".to_string(), "max-age=60".to_string()),
        ("etag".to_string(), "W/\"v1\"".to_string()),
        ("vary".to_string(), "Accept".to_string()),
    ]);
    response.cache = Some(crate::model::CacheUse::Stored);
    with_response(&mut app, response);
    // Received 15 s (less its 12 ms) before the screen's clock.
    app.wall = std::time::UNIX_EPOCH + Duration::from_secs(1_800_000_015);
    app.history.entries.last_mut().unwrap().sent_at_ms = 1_800_000_000_000;
    app.response_tab = ResponseTab::Cache;
    insta::assert_snapshot!("cache_tab", text(&render(&app)));
}

#[test]
fn a_folders_description_shows_under_the_tree_while_it_is_selected() {
    use crate::app::tree::Row;
    let mut app = app();
    let rows = app.tree.rows();
    let at = rows
        .iter()
        .position(|r| matches!(r, Row::Folder { path, .. } if path == "caching"))
        .expect("the demo has a caching folder");
    app.tree.list.selected = at;
    let shown = text(&render(&app));
    assert!(shown.contains("These go through scout's"), "{shown}");
    insta::assert_snapshot!("tree_description", shown);
    // Elsewhere in the tree, no description: the rows take the whole pane.
    app.tree.list.selected = 0;
    assert!(!text(&render(&app)).contains("These go through"));
}

#[test]
fn a_narrow_pane_scrolls_its_tabs_to_keep_the_chosen_one_in_sight() {
    let mut app = app();
    app.size = (60, 20);
    with_response(&mut app, measured_response());
    let shown = text(&render(&app));
    assert!(shown.contains("Body │ Headers (2)"), "{shown}");
    assert!(shown.contains("›"), "more tabs to the right: {shown}");
    app.response_tab = ResponseTab::Cookies;
    let shown = text(&render(&app));
    assert!(shown.contains("│ Cookies"), "{shown}");
    assert!(shown.contains("‹"), "more tabs to the left: {shown}");
}

#[test]
fn the_history_names_hosts_once_entries_went_to_more_than_one() {
    let mut app = app();
    app.size = (200, 30);
    push(
        &mut app,
        ExchangeState::Cancelled {
            after: Duration::ZERO,
        },
    );
    let one_host = text(&render(&app));
    assert!(one_host.contains("GET /json"), "{one_host}");
    app.editor = crate::app::editor::Editor::from_spec(&crate::model::RequestSpec {
        url: "https://api.example.com/v1/json".into(),
        ..Default::default()
    });
    push(
        &mut app,
        ExchangeState::Cancelled {
            after: Duration::ZERO,
        },
    );
    let two_hosts = text(&render(&app));
    assert!(
        two_hosts.contains("GET api.example.com/v1/json"),
        "{two_hosts}"
    );
    assert!(two_hosts.contains("GET 127.0.0.1:9/json"), "{two_hosts}");
}

#[test]
fn without_colour_focus_is_a_double_border_and_selection_reverse_video() {
    let mut app = app();
    push(
        &mut app,
        ExchangeState::Cancelled {
            after: Duration::ZERO,
        },
    );
    app.focus = Pane::History;
    app.theme.plain = true;
    let buf = render(&app);
    let screen = text(&buf);
    let row = screen
        .lines()
        .position(|l| l.contains("╔ History"))
        .unwrap_or_else(|| panic!("the focused pane has a double border:\n{screen}"));
    assert_eq!(
        screen.matches('╔').count(),
        1,
        "only the focused pane:\n{screen}"
    );
    // The selected entry, the row below the title, is marked and reversed; the tree's
    // selected row is marked too, the others are not.
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[row + 1].contains("║›"), "{}", lines[row + 1]);
    let marked = lines
        .iter()
        .filter(|l| l.starts_with("│›") || l.starts_with("║›"))
        .count();
    assert_eq!(marked, 2, "one per list:\n{screen}");
    let cell = &buf[(2, row as u16 + 1)];
    assert!(
        cell.modifier.contains(ratatui::style::Modifier::REVERSED),
        "{:?} on row {}:\n{screen}",
        cell,
        row + 1
    );
    // No colour anywhere (crossterm is left to write the attributes, see `ui::draw`).
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    app.theme.plain = false;
    let screen = text(&render(&app));
    assert!(!screen.contains('╔'), "{screen}");
}

#[test]
fn the_tree_cuts_long_names_with_an_ellipsis_and_keeps_the_unsaved_marker() {
    let mut app = app();
    app.focus = Pane::Collections;
    app.tree.list.selected = 2;
    crate::app::update(
        &mut app,
        crate::app::Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Enter,
            ratatui::crossterm::event::KeyModifiers::NONE,
        )),
    );
    let screen = text(&render(&app));
    assert!(screen.contains("│    GET     A nested JSON…│"), "{screen}");
    // The request in the editor, edited: its marker after the cut name, nothing overwritten.
    app.editor.url = TextInput::single("{{base_url}}/json?edited");
    assert!(app.is_dirty());
    let screen = text(&render(&app));
    assert!(screen.contains("│    GET     A nested JS… ●│"), "{screen}");
}

#[test]
fn config_problems_are_listed_whole_and_enter_goes_on() {
    let mut app = app();
    let problems: Vec<String> = (1..=30)
        .map(|n| format!("/home/u/.config/scout/config.toml:{n}: keys.x{n}: unknown action `x{n}`"))
        .collect();
    app.overlay = Some(Overlay::Problems {
        title: "The config file has 30 problems; the rest of it applies".into(),
        lines: problems,
        scroll: 0,
    });
    let screen = crate::app::testing::draw(&mut app).join("\n");
    assert!(
        screen.contains("• /home/u/.config/scout/config.toml:1: keys.x1"),
        "{screen}"
    );
    assert!(screen.contains("Enter or Esc goes on"), "{screen}");
    assert!(screen.contains("lines 1–"), "{screen}");
    let key = |code| {
        crate::app::Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            code,
            ratatui::crossterm::event::KeyModifiers::NONE,
        ))
    };
    crate::app::update(&mut app, key(ratatui::crossterm::event::KeyCode::Char('G')));
    let screen = text(&render(&app));
    assert!(screen.contains("config.toml:30: keys.x30"), "{screen}");
    crate::app::update(&mut app, key(ratatui::crossterm::event::KeyCode::Enter));
    assert!(app.overlay.is_none());
}

#[test]
fn a_theme_with_a_background_fills_the_screen_with_it() {
    let mut app = app();
    app.theme = crate::theme::Theme::parse(include_str!("../../themes/light.toml")).unwrap();
    let white = ratatui::style::Color::Rgb(255, 255, 255);
    let buf = render(&app);
    // Every cell but the selected rows and the highlighted ones: the background shows through.
    let filled = buf.content.iter().filter(|c| c.bg == white).count();
    assert!(
        filled * 10 > buf.content.len() * 9,
        "{filled} of {}",
        buf.content.len()
    );
}
