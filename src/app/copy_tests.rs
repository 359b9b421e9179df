//! The copy menu: `y` opens it, a digit copies; requests as written keep their references, `R`
//! copies the values last sent; the response body is redacted unless revealed.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::testing::{answered_by, app_with, draw};
use crate::app::{Effect, Msg, Notice, Overlay, update};
use crate::model::ResponseData;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn copied(effects: &[Effect]) -> (String, String, bool) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Copy { text, what, secret } => Some((text.clone(), what.clone(), *secret)),
            _ => None,
        })
        .expect("a copy")
}

fn open_menu(app: &mut crate::app::App) {
    // `y` is a global key: not while typing in the URL bar.
    app.focus = crate::app::Pane::Collections;
    update(app, key('y'));
    assert!(matches!(app.overlay, Some(Overlay::Copy { .. })));
}

#[test]
fn a_digit_copies_the_request_as_written_with_its_profile_as_references() {
    let mut app = app_with("basic-auth");
    open_menu(&mut app);
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("1 the request as a curl command"),
        "{screen}"
    );
    assert!(screen.contains("Secrets: as {{references}} (R: reveal, as last sent)"));
    let effects = update(&mut app, key('1'));
    let (text, what, secret) = copied(&effects);
    assert_eq!(what, "curl command");
    assert!(!secret);
    assert_eq!(
        text.as_str(),
        "curl '{{base_url}}/basic-auth/ada/lovelace' -L -u ada:lovelace -g"
    );
    assert!(app.overlay.is_none());
    update(
        &mut app,
        Msg::Copied {
            what,
            result: Ok("the terminal (OSC 52)".into()),
        },
    );
    assert!(matches!(
        &app.notice,
        Some(Notice::Info(m)) if m == "Copied the curl command to the terminal (OSC 52)"
    ));
}

#[test]
fn reveal_copies_what_was_sent_and_the_response_body_unredacted() {
    let response = ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: bytes::Bytes::from_static(b"{\"user\": \"ada\", \"echo\": \"lovelace\"}"),
        elapsed: std::time::Duration::from_millis(2),
        redirects: Vec::new(),
        url: format!("{}/basic-auth/ada/lovelace", crate::app::testing::BASE),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let mut app = answered_by("basic-auth", response);
    open_menu(&mut app);
    let (text, _, _) = copied(&update(&mut app, key('7')));
    assert!(text.contains("\"echo\": \"[redacted]\""), "{text}");
    open_menu(&mut app);
    update(&mut app, key('R'));
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("Secrets: revealed, as last sent"),
        "{screen}"
    );
    let (text, _, secret) = copied(&update(&mut app, key('7')));
    assert!(secret);
    assert!(text.contains("\"echo\": \"lovelace\""), "{text}");
    open_menu(&mut app);
    update(&mut app, key('R'));
    let (text, _, _) = copied(&update(&mut app, key('1')));
    assert_eq!(
        text.as_str(),
        "curl http://127.0.0.1:9/basic-auth/ada/lovelace -L -u ada:lovelace"
    );
}

#[test]
fn what_cannot_be_copied_says_why() {
    let mut app = app_with("json");
    open_menu(&mut app);
    assert!(update(&mut app, key('6')).is_empty());
    assert!(
        matches!(&app.notice, Some(Notice::Error(m)) if m == "The request has no body to copy")
    );
    open_menu(&mut app);
    update(&mut app, key('R'));
    assert!(update(&mut app, key('1')).is_empty());
    assert!(matches!(&app.notice, Some(Notice::Error(m)) if m.starts_with("Nothing was sent yet")));
    open_menu(&mut app);
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(app.overlay.is_none());
}
