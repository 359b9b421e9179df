//! Esc on a request in flight: cancelled while nothing arrived, its download stopped (keeping
//! what arrived) once its body is coming, cancelled after all on a second Esc.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::testing::{app_with, response, send};
use crate::app::{Msg, ResponseTab, update};
use crate::http::HttpError;

fn esc(app: &mut App) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    )
}

fn progress(app: &mut App, id: RequestId, received: u64) {
    update(
        app,
        Msg::Http(HttpEvent::Progress {
            id,
            received,
            total: Some(1000),
        }),
    );
}

fn finish(
    app: &mut App,
    id: RequestId,
    result: Result<crate::model::ResponseData, HttpError>,
) -> Vec<Effect> {
    update(
        app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: result.map(Box::new),
        }),
    )
}

/// `create-item` (its request checks the response) sent, with a history file.
fn sending() -> (App, RequestId, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with("create-item");
    app.history_path = Some(dir.path().join("history.jsonl"));
    let id = send(&mut app);
    (app, id, dir)
}

/// Esc cancelled `id`: the worker is told, and the exchange says so.
fn assert_cancelled(app: &App, id: RequestId, effects: &[Effect]) {
    assert!(
        matches!(effects.first(), Some(Effect::Cancel(x)) if *x == id),
        "{effects:?}"
    );
    assert_is_cancelled(app, id);
}

fn assert_is_cancelled(app: &App, id: RequestId) {
    assert!(matches!(
        app.history.get(id).unwrap().state,
        ExchangeState::Cancelled { .. }
    ));
}

fn stopping(app: &App, id: RequestId) -> bool {
    matches!(
        app.history.get(id).unwrap().state,
        ExchangeState::Loading { stopping: true, .. }
    )
}

#[test]
fn esc_stops_a_download_under_way_and_keeps_what_arrived() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 300);
    let effects = esc(&mut app);
    assert!(
        matches!(effects.as_slice(), [Effect::Stop(x)] if *x == id),
        "{effects:?}"
    );
    assert!(stopping(&app, id));
    // Progress still counts while the worker stops.
    progress(&mut app, id, 400);
    assert!(stopping(&app, id));

    let mut part = response(201, "application/json", r#"[{"id":1},{"id""#);
    part.headers.push(("content-length".into(), "1000".into()));
    part.stopped = true;
    let effects = finish(&mut app, id, Ok(part));
    // Stored in the history, but neither checked nor paged: the JSON is cut short.
    assert!(
        matches!(effects.as_slice(), [Effect::AppendHistory { .. }]),
        "{effects:?}"
    );
    let x = app.history.get(id).unwrap();
    let ExchangeState::Done { response, view } = &x.state else {
        panic!("{:?}", x.state);
    };
    assert!(response.stopped);
    assert_eq!(
        view.truncated.as_deref(),
        Some(
            "You stopped the download at 15 B of 1000 B: what arrived is shown, not checked or paged"
        )
    );
    assert!(x.checks.is_none());
    assert_eq!(app.response_tab, ResponseTab::Body);
}

#[test]
fn esc_before_anything_arrived_cancels() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 0);
    let effects = esc(&mut app);
    assert_cancelled(&app, id, &effects);
}

#[test]
fn esc_again_while_stopping_cancels() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 300);
    esc(&mut app);
    let effects = esc(&mut app);
    assert_cancelled(&app, id, &effects);
    // The worker's late answer changes nothing.
    let mut part = response(201, "application/json", "[");
    part.stopped = true;
    assert!(finish(&mut app, id, Ok(part)).is_empty());
}

#[test]
fn a_download_stopped_before_its_response_is_cancelled() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 300);
    esc(&mut app);
    let effects = finish(&mut app, id, Err(HttpError::stopped_early()));
    assert!(
        matches!(effects.as_slice(), [Effect::AppendHistory { .. }]),
        "{effects:?}"
    );
    assert_is_cancelled(&app, id);
}

#[test]
fn a_download_that_ended_before_the_stop_is_whole_and_checked() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 300);
    esc(&mut app);
    let whole = response(201, "application/json", r#"{"id":1,"name":"widget"}"#);
    let effects = finish(&mut app, id, Ok(whole));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Check { .. })),
        "{effects:?}"
    );
    let x = app.history.get(id).unwrap();
    let ExchangeState::Done { view, .. } = &x.state else {
        panic!("{:?}", x.state);
    };
    assert_eq!(view.truncated, None);
}

#[test]
fn a_retry_starts_counting_afresh_so_esc_in_its_wait_cancels() {
    let (mut app, id, _dir) = sending();
    progress(&mut app, id, 300);
    let report = crate::http::attempts::AttemptReport {
        attempt: 1,
        of: 3,
        outcome: "connection closed mid-body".into(),
        wait: Some(std::time::Duration::from_secs(2)),
        note: String::new(),
    };
    update(&mut app, Msg::Http(HttpEvent::Attempt { id, report }));
    let effects = esc(&mut app);
    assert_cancelled(&app, id, &effects);
}
