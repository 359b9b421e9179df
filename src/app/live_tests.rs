//! A streaming response through `update`: shown as it arrives, stopped with Esc (keeping what
//! arrived), capped, and replaced by the worker's result when it ends on its own.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::testing::{app_with, send};
use crate::app::{DocKind, Msg, Pane, update};
use crate::http::job::HttpEvent;

fn head(app: &mut App, id: RequestId) -> Vec<Effect> {
    update(
        app,
        Msg::Http(HttpEvent::Streaming {
            id,
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "text/event-stream".into())],
        }),
    )
}

fn chunk(app: &mut App, id: RequestId, text: &str) -> Vec<Effect> {
    update(
        app,
        Msg::Http(HttpEvent::Chunk {
            id,
            data: Bytes::from(text.to_string()),
        }),
    )
}

/// The body the effects ask to prepare, and whether as a body that may end early.
fn prepared(effects: &[Effect]) -> Option<(String, bool)> {
    effects.iter().find_map(|e| match e {
        Effect::PrepareBody {
            body, truncated, ..
        } => Some((
            String::from_utf8_lossy(body).into_owned(),
            truncated.is_some(),
        )),
        _ => None,
    })
}

#[test]
fn a_stream_shows_as_it_arrives_and_esc_keeps_what_arrived() {
    let mut app = app_with("json");
    let id = send(&mut app);
    let effects = head(&mut app, id);
    let x = app.history.get(id).unwrap();
    assert!(x.live.is_some() && x.response().is_some() && x.is_busy());
    // Nothing arrived yet: an empty document, prepared as a body that may end early.
    assert_eq!(prepared(&effects), Some((String::new(), true)));
    update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: DocKind::Pretty,
            doc: std::sync::Arc::new(crate::highlight::Document::from_partial_body(
                b"",
                Some("text/event-stream"),
            )),
            revealed: false,
        },
    );
    let effects = chunk(&mut app, id, "data: {\"n\":1}\n\ndata: {\"n\"");
    assert_eq!(
        prepared(&effects),
        Some(("data: {\"n\":1}\n\ndata: {\"n\"".into(), true)),
        "prepared again with what arrived"
    );
    // While one preparation is under way, chunks only pile up.
    assert_eq!(prepared(&chunk(&mut app, id, ":2}\n\n")), None);
    assert_eq!(
        app.history
            .get(id)
            .unwrap()
            .live
            .as_ref()
            .unwrap()
            .body
            .len(),
        30
    );
    // Esc: the worker lets go, the body so far is the response's, and the history keeps it.
    app.focus = Pane::Response;
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Cancel(i) if *i == id))
    );
    let x = app.history.get(id).unwrap();
    assert!(x.live.is_none() && !x.is_busy());
    assert_eq!(x.response().unwrap().body.len(), 30);
    let note = x.view().unwrap().truncated.clone().unwrap();
    assert!(note.starts_with("You stopped the stream after"), "{note}");
    assert_eq!(
        prepared(&effects).map(|(body, _)| body).as_deref(),
        Some("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n")
    );
    // The worker's late result changes nothing.
    update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Err(crate::http::HttpError::Other("cancelled".into())),
        }),
    );
    assert!(app.history.get(id).unwrap().response().is_some());
}

#[test]
fn a_stream_that_ends_on_its_own_is_the_workers_response_and_one_past_the_cap_stops() {
    let mut app = app_with("json");
    let id = send(&mut app);
    head(&mut app, id);
    chunk(&mut app, id, "data: 1\n\n");
    let mut response = crate::app::testing::answered_with("json", 200, &[])
        .history
        .entries[0]
        .response()
        .cloned()
        .unwrap();
    response.body = Bytes::from_static(b"data: 1\n\ndata: 2\n\n");
    update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(response)),
        }),
    );
    let x = app.history.get(id).unwrap();
    assert!(x.live.is_none());
    assert_eq!(x.response().unwrap().body.len(), 18);

    let id = send(&mut app);
    head(&mut app, id);
    let big = "x".repeat(LIVE_CAP / 2 + 1);
    assert!(
        !chunk(&mut app, id, &big)
            .iter()
            .any(|e| matches!(e, Effect::Cancel(_)))
    );
    let effects = chunk(&mut app, id, &big);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Cancel(i) if *i == id))
    );
    let x = app.history.get(id).unwrap();
    assert!(x.live.is_none());
    assert_eq!(x.response().unwrap().body.len(), LIVE_CAP + 2);
    assert!(
        x.view()
            .unwrap()
            .truncated
            .as_deref()
            .unwrap()
            .starts_with("Stopped at 64 MB")
    );
}
