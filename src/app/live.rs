//! A response that streams (server-sent events, `text/event-stream`): shown while it arrives.
//! Its head makes the exchange a response at once ([`HttpEvent::Streaming`]); each chunk joins
//! the body kept here, and the Body tab's document is prepared again from it (one preparation at
//! a time, so a fast stream costs no more than the machine keeps up with). Esc stops it and keeps
//! what arrived; so does reaching [`LIVE_CAP`]. The worker's final result, if the stream ends on
//! its own, replaces all of it as for any response.
//!
//! [`HttpEvent::Streaming`]: crate::http::job::HttpEvent::Streaming

use bytes::Bytes;

use crate::app::exchange::{BodyView, ExchangeState};
use crate::app::{App, Effect, history_pane};
use crate::http::job::RequestId;
use crate::model::{ResponseData, human_duration, human_size};

/// The most of a stream kept in memory: past it, the stream is stopped, keeping what arrived.
pub const LIVE_CAP: usize = 64 * 1024 * 1024;

/// What a streaming response holds while it lasts.
#[derive(Debug, Default)]
pub struct Live {
    /// The body so far.
    pub body: Vec<u8>,
    /// How much of it the shown document was prepared from.
    pub prepared: usize,
}

/// The head of a streaming response arrived: the exchange shows it as a response from now on.
pub fn started(
    app: &mut App,
    id: RequestId,
    status: u16,
    reason: String,
    version: String,
    headers: Vec<(String, String)>,
) {
    let now = app.now;
    let Some(x) = app.history.get_mut(id).filter(|x| x.is_loading()) else {
        return;
    };
    let response = ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason,
        version,
        headers,
        body: Bytes::new(),
        elapsed: now.saturating_duration_since(x.started),
        redirects: Vec::new(),
        url: x.sent.url.clone(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    x.state = ExchangeState::Done {
        response: Box::new(response),
        view: Box::default(),
    };
    x.live = Some(Box::default());
}

/// More of a stream arrived. Past [`LIVE_CAP`], the stream is stopped.
pub fn chunk(app: &mut App, id: RequestId, data: &[u8]) -> Vec<Effect> {
    let Some(live) = app.history.get_mut(id).and_then(|x| x.live.as_mut()) else {
        return Vec::new();
    };
    live.body.extend_from_slice(data);
    if live.body.len() > LIVE_CAP {
        return stop(
            app,
            id,
            format!(
                "Stopped at {}, the most a stream keeps in memory: what arrived until then is shown",
                human_size(LIVE_CAP as u64)
            ),
        );
    }
    Vec::new()
}

/// Esc on a live stream: it stops, and what arrived stays as the response.
pub fn stop_shown(app: &mut App) -> Option<Vec<Effect>> {
    let id = app.shown_exchange().filter(|x| x.live.is_some())?.id;
    let after = app
        .shown_exchange()
        .map(|x| human_duration(app.now.saturating_duration_since(x.started)))
        .unwrap_or_default();
    Some(stop(
        app,
        id,
        format!("You stopped the stream after {after}; what arrived until then is shown"),
    ))
}

/// Stops stream `id`: the worker lets go of it, the body so far becomes the response's (the last
/// event may be cut), and the history keeps it.
fn stop(app: &mut App, id: RequestId, note: String) -> Vec<Effect> {
    let now = app.now;
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    let Some(live) = x.live.take() else {
        return Vec::new();
    };
    if let ExchangeState::Done { response, view } = &mut x.state {
        response.body = Bytes::from(live.body);
        response.elapsed = now.saturating_duration_since(x.started);
        // Prepared again from the whole of it, as a body that was cut.
        **view = BodyView {
            truncated: Some(note),
            ..BodyView::default()
        };
    }
    let mut effects = vec![Effect::Cancel(id)];
    effects.extend(history_pane::persist(app, id));
    effects
}

/// The preparation the shown stream needs: its document is older than what arrived (and none
/// is under way).
pub fn wanted(app: &mut App, id: RequestId, reveal: bool) -> Option<Effect> {
    let x = app.history.get_mut(id)?;
    let secrets = x.secrets_for(reveal);
    let live = x.live.as_mut()?;
    let ExchangeState::Done { response, view } = &mut x.state else {
        return None;
    };
    if view.preparing || (view.doc.is_some() && live.prepared == live.body.len()) {
        return None;
    }
    view.preparing = true;
    view.revealed = reveal;
    live.prepared = live.body.len();
    Some(Effect::PrepareBody {
        id,
        body: Bytes::copy_from_slice(&live.body),
        content_type: response.content_type().map(str::to_string),
        // An event may be half here: not the stream's fault.
        truncated: Some(String::new()),
        secrets,
        revealed: reveal,
    })
}

/// How far the shown stream is, for its status row: `● live · 3.4 KB · 12 s · Esc stops`.
pub fn status(app: &App) -> Option<String> {
    let x = app.shown_exchange()?;
    let live = x.live.as_ref()?;
    Some(format!(
        "● live · {} · {} · Esc stops",
        human_size(live.body.len() as u64),
        human_duration(app.now.saturating_duration_since(x.started))
    ))
}

/// Whether a document prepared of a stream should follow its end: the cursor was on the last
/// row (as `tail -f` does).
pub fn follows(app: &App, id: RequestId) -> bool {
    app.shown == Some(id)
        && app.history.get(id).is_some_and(|x| x.live.is_some())
        && app.reader.cursor + 1 >= app.reader.rows.len()
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
