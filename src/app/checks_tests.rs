//! A saved request's `expect` and `capture` in the app: checked off the UI thread after the
//! response, shown in the Checks tab, and its captured values feed the collection's requests.

use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::testing::{app_with, draw, open, run_check};
use crate::app::{App, Effect, Msg, Notice, Overlay, ResponseTab, update};
use crate::http::job::{HttpEvent, Job, RequestId};
use crate::model::ResponseData;

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn created(id: u64) -> Box<ResponseData> {
    Box::new(ResponseData {
        stopped: false,
        spilled: None,
        status: 201,
        reason: "Created".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("location".into(), format!("/items/{id}")),
        ],
        body: Bytes::from(format!(r#"{{"id": {id}, "name": "widget"}}"#)),
        elapsed: Duration::from_millis(3),
        redirects: vec![],
        url: "http://127.0.0.1:9/items".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    })
}

fn send(app: &mut App) -> Job {
    update(app, ctrl('r'))
        .into_iter()
        .find_map(|e| match e {
            Effect::Send(job) => Some(job),
            _ => None,
        })
        .expect("a Send effect")
}

fn finish(app: &mut App, id: RequestId, response: Box<ResponseData>) -> Vec<Effect> {
    update(
        app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(response),
        }),
    )
}

/// Answers request `id` and runs the check the way the event loop does.
fn answer(app: &mut App, id: RequestId, response: Box<ResponseData>) {
    let effects = finish(app, id, response);
    run_check(app, id, effects);
}

#[test]
fn a_checked_request_shows_its_checks_and_its_capture_feeds_the_next_request() {
    let mut app = app_with("create-item");
    let job = send(&mut app);
    answer(&mut app, job.id, created(42));
    let x = app.history.get(job.id).unwrap();
    let checks = x.checks.as_ref().expect("checked");
    assert_eq!(checks.len(), 6, "{checks:?}");
    assert!(checks.iter().all(|c| c.passed), "{checks:?}");
    assert_eq!(
        app.notice,
        Some(Notice::Info(
            "captured item_id = 42 for the requests after it (the environment picker lists them)"
                .into()
        ))
    );
    // The Checks tab is offered, after Body, with the count.
    assert!(app.shown_tabs().contains(&ResponseTab::Checks));
    app.response_tab = ResponseTab::Checks;
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("Body │ Checks ✓ 6/6 │ Headers (2)"),
        "{screen}"
    );
    assert!(screen.contains("✓ capture item_id"), "{screen}");

    // get-item uses {{item_id}}: the captured 42, not the collection's 1.
    open(&mut app, "get-item");
    let job = send(&mut app);
    assert!(job.spec.url.ends_with("/items/42"), "{}", job.spec.url);
}

#[test]
fn a_failed_check_says_so_and_the_tab_shows_expected_and_actual() {
    let mut app = app_with("create-item");
    let job = send(&mut app);
    let mut wrong = created(7);
    wrong.status = 200;
    wrong.headers.retain(|(k, _)| k != "location");
    answer(&mut app, job.id, wrong);
    assert!(
        matches!(&app.notice, Some(Notice::Error(m)) if m == "2 checks failed (see the Checks tab); captured item_id = 7"),
        "{:?}",
        app.notice
    );
    app.response_tab = ResponseTab::Checks;
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("Checks ✗ 4/6"), "{screen}");
    assert!(screen.contains("✗ status"), "{screen}");
    assert!(
        screen.contains("expected 201 · got 200 Created"),
        "{screen}"
    );
    assert!(
        screen.contains("expected present · got no such header"),
        "{screen}"
    );
}

#[test]
fn a_request_without_expect_or_capture_is_not_checked() {
    let mut app = app_with("json");
    let job = send(&mut app);
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id: job.id,
            result: Ok(created(1)),
        }),
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Check { .. })));
    assert!(!app.shown_checked());
}

#[test]
fn the_environment_picker_lists_captured_values_and_x_forgets_them() {
    let mut app = app_with("create-item");
    let job = send(&mut app);
    answer(&mut app, job.id, created(42));
    app.focus = crate::app::Pane::Collections;
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE)),
    );
    assert!(matches!(app.overlay, Some(Overlay::Environments { .. })));
    let screen = draw(&mut app).join("\n");
    assert!(
        screen.contains("item_id = 42  (captured by items/create-item)"),
        "{screen}"
    );
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
    );
    assert!(app.captured.is_empty());
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    open(&mut app, "get-item");
    let job = send(&mut app);
    assert!(
        job.spec.url.ends_with("/items/1"),
        "back to [vars]: {}",
        job.spec.url
    );
}

#[test]
fn a_captured_secret_is_redacted_before_the_exchange_is_stored_or_shown() {
    let mut app = app_with("create-item");
    app.history_path = Some("/history.jsonl".into());
    // The request captures its response's name as a token.
    let origin = app.origin.as_mut().unwrap();
    origin.saved.capture.push((
        "token".into(),
        crate::check::Capture::Json(crate::check::JsonQuery::parse("$.name").unwrap()),
    ));
    let job = send(&mut app);
    let effects = finish(&mut app, job.id, created(42));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::AppendHistory { .. })),
        "not stored before the capture is known"
    );
    assert!(
        crate::app::view::wanted_work(&mut app).is_empty(),
        "not prepared for the screen either"
    );
    let effects = run_check(&mut app, job.id, effects);
    let Some(Effect::AppendHistory { record, .. }) = effects.first() else {
        panic!("stored once checked: {effects:?}")
    };
    let stored = serde_json::to_string(record).unwrap();
    assert!(!stored.contains("widget"), "{stored}");
    assert!(stored.contains("[redacted]"), "{stored}");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| matches!(n, Notice::Info(m) if m.contains("token = [redacted]"))),
        "{:?}",
        app.notice
    );
}

#[test]
fn the_environment_picker_goes_to_either_end_with_g_and_capital_g() {
    let mut app = app_with("json");
    app.focus = crate::app::Pane::Collections;
    let press = |app: &mut App, c: char| {
        update(
            app,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    };
    press(&mut app, 'v');
    let selected = |app: &App| match &app.overlay {
        Some(Overlay::Environments { list, .. }) => list.selected,
        other => panic!("{other:?}"),
    };
    press(&mut app, 'G');
    assert!(selected(&app) > 0);
    press(&mut app, 'g');
    assert_eq!(selected(&app), 0);
}
