//! "Try it": which next requests an exchange offers, and a digit in the Explain panel asking,
//! then sending, one — the way the shown request went, the editor untouched.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::Effect;
use crate::app::msg::Msg;
use crate::app::testing::answered_with;
use crate::app::update::update;
use crate::http::job::Job;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn sent(effects: &[Effect]) -> Job {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send(job) => Some(job.clone()),
            _ => None,
        })
        .expect("a Send effect")
}

fn labels(app: &App) -> Vec<String> {
    offered(app.shown_exchange().unwrap(), app.wall)
        .into_iter()
        .map(|t| t.label)
        .collect()
}

#[test]
fn a_validator_offers_a_conditional_get_and_a_digit_sends_it_after_asking() {
    let mut app = answered_with("get-item", 200, &[("etag", "\"v1\"")]);
    assert_eq!(
        labels(&app),
        [
            "conditional GET: If-None-Match: \"v1\"",
            "OPTIONS: which methods it takes",
            "CORS preflight for GET from https://app.example"
        ]
    );
    let editor_before = app.editor.spec();
    let shown_before = app.shown;
    assert!(update(&mut app, key('1')).is_empty(), "it asks first");
    // The question wraps, and the answer keys still show under it.
    let screen = crate::app::testing::draw(&mut app).join("\n");
    assert!(screen.contains("It shows a 304 Not Modified"), "{screen}");
    assert!(screen.contains("y = yes, n or Esc = no"), "{screen}");
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::TryIt { index: 0, .. }
        })
    ));
    let job = sent(&update(&mut app, key('y')));
    assert!(
        job.spec
            .headers
            .iter()
            .any(|h| h.key == "If-None-Match" && h.value == "\"v1\"")
    );
    // Sent as the shown request went; the editor keeps what it held; the new exchange shows.
    assert_eq!(app.editor.spec(), editor_before);
    assert_ne!(app.shown, shown_before);
    assert_eq!(app.shown, Some(job.id));
    assert!(app.shown_exchange().unwrap().is_loading());
}

#[test]
fn a_created_resource_offers_following_its_location_and_a_post_offers_repeats() {
    let mut app = answered_with("create-item", 201, &[("location", "/items/4")]);
    // Sent with a Content-Type of its own, which a GET must not carry.
    app.history
        .entries
        .last_mut()
        .unwrap()
        .sent
        .headers
        .push(KeyValue::new("Content-Type", "application/json"));
    let tries = offered(app.shown_exchange().unwrap(), app.wall);
    let labels: Vec<&str> = tries.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels[..3],
        [
            "follow Location: GET /items/4",
            "repeat the POST",
            "add an Idempotency-Key and send"
        ]
    );
    assert_eq!(tries[0].spec.method, Method::Get);
    assert_eq!(tries[0].spec.url, "http://127.0.0.1:9/items/4");
    assert!(
        tries[0]
            .spec
            .headers
            .iter()
            .all(|h| !h.key.eq_ignore_ascii_case("content-type")),
        "{:?}",
        tries[0].spec.headers
    );
    assert!(tries[1].shows.contains("not idempotent"));
    assert!(
        tries[2]
            .spec
            .headers
            .iter()
            .any(|h| h.key == "Idempotency-Key" && h.value.len() == 36)
    );
    // With a key, repeating is what shows the server acting once.
    let mut with_key = app.shown_exchange().unwrap().sent.clone();
    with_key
        .headers
        .push(KeyValue::new("Idempotency-Key", "order-1"));
    app.history.entries.last_mut().unwrap().sent = with_key;
    let tries = offered(app.shown_exchange().unwrap(), app.wall);
    assert!(
        tries
            .iter()
            .all(|t| !t.label.contains("add an Idempotency-Key"))
    );
    assert!(tries[1].shows.contains("answers the first result again"));
}

#[test]
fn a_put_offers_a_repeat_that_is_idempotent() {
    let app = answered_with("replace-item", 200, &[]);
    let tries = offered(app.shown_exchange().unwrap(), app.wall);
    assert_eq!(tries[0].label, "repeat the PUT");
    assert!(tries[0].shows.contains("idempotent"));
}

#[test]
fn retry_after_waits_with_a_countdown_before_sending_again() {
    let mut app = answered_with("get-item", 429, &[("retry-after", "2")]);
    let tries = offered(app.shown_exchange().unwrap(), app.wall);
    assert_eq!(tries[0].wait, Some(Duration::from_secs(2)));
    update(&mut app, key('1'));
    let job = sent(&update(&mut app, key('y')));
    assert_eq!(job.delay, Some(Duration::from_secs(2)));
    let x = app.shown_exchange().unwrap();
    let (report, left) = x.waiting(app.now).expect("a countdown while it waits");
    assert_eq!(left, Duration::from_secs(2));
    assert!(report.note.contains("Retry-After"), "{report:?}");
}

#[test]
fn digits_do_nothing_without_the_panel_or_past_the_list() {
    let mut app = answered_with("get-item", 200, &[]);
    app.explain = false;
    update(&mut app, key('1'));
    assert!(app.overlay.is_none());
    app.explain = true;
    update(&mut app, key('9'));
    assert!(app.overlay.is_none(), "only two are offered");
    update(&mut app, key('2'));
    assert!(app.overlay.is_some());
    // No sends it.
    let effects = update(&mut app, key('n'));
    assert!(effects.is_empty() && app.overlay.is_none());
}
