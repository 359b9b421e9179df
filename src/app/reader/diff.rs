//! `D` in the Body tab: what changed since the previous response to the same request — or since
//! the response pinned with `P` — compared as JSON (by key and array index, not by line), with
//! the request's volatile paths masked (`view.ignore`). The comparison runs off the UI thread
//! ([`Effect::CompareBodies`]); its changes show in place of the body until `D` again.
//!
//! "The same request" is the same method and URL as written (`{{base_url}}/items`), so a
//! response compares with the last one of the request it was sent from, whatever the
//! environment resolved.

use std::sync::Arc;
use std::time::Duration;

use crate::app::exchange::Exchange;
use crate::app::keymap::{Action, Scope};
use crate::app::{App, Effect, Notice, reader};
use crate::highlight::Document;
use crate::http::job::RequestId;

/// What an exchange is compared with, and how the comparison came out.
#[derive(Debug, Clone)]
pub struct BodyDiff {
    /// The earlier exchange.
    pub against: RequestId,
    /// It is the pinned baseline (else the previous response).
    pub pinned: bool,
    /// The comparison, once it is back: the changes as a document (one per line), or why the
    /// bodies could not be compared.
    pub result: Option<Result<Compared, String>>,
}

/// The changes between two bodies, ready to show.
#[derive(Debug, Clone)]
pub struct Compared {
    /// One line per change: `~ $.path: before → after`, `+ $.path: value`, `- $.path: value`.
    pub doc: Arc<Document>,
    /// "2 changed, 1 added, 0 removed".
    pub summary: String,
    /// No change at all (outside the ignored paths).
    pub same: bool,
    pub elapsed: Duration,
}

impl BodyDiff {
    /// The document shown instead of the body, once the comparison is back.
    pub fn shown_doc(&self) -> Option<&Arc<Document>> {
        match &self.result {
            Some(Ok(c)) if !c.same => Some(&c.doc),
            _ => None,
        }
    }
}

/// What makes two exchanges responses to "the same request": `GET {{base_url}}/items`.
fn request_key(x: &Exchange) -> String {
    format!("{} {}", x.spec.method, x.spec.url)
}

/// `P`: the shown response becomes the baseline its request's later responses compare with
/// (`P` on the pinned one unpins it).
pub fn pin(app: &mut App) {
    let Some(x) = app.shown_exchange().filter(|x| x.response().is_some()) else {
        app.notice = Some(Notice::Error("Nothing to pin: no response is shown".into()));
        return;
    };
    let (id, key) = (x.id, request_key(x));
    let diff_key = app.keymap.key(Scope::Body, Action::Diff);
    if app.reader.pins.get(&key) == Some(&id) {
        app.notice = Some(Notice::Info(format!(
            "Unpinned: {diff_key} compares with the previous response to {key} again"
        )));
        app.reader.pins.remove(&key);
        return;
    }
    app.notice = Some(Notice::Info(format!(
        "Pinned this response: {diff_key} on a later response to {key} compares with it"
    )));
    app.reader.pins.insert(key, id);
}

/// The exchange `x` compares with: the pinned one of its request (when it is not `x` itself and
/// is still in memory), else the newest earlier response to the same request.
fn baseline(app: &App, x: &Exchange) -> Option<(RequestId, bool)> {
    let key = request_key(x);
    let pinned = app
        .reader
        .pins
        .get(&key)
        .copied()
        .filter(|&p| p != x.id && app.history.get(p).is_some_and(|b| b.response().is_some()));
    if let Some(p) = pinned {
        return Some((p, true));
    }
    app.history
        .newest_first()
        .skip_while(|e| e.id != x.id)
        .skip(1)
        .find(|e| request_key(e) == key && e.response().is_some())
        .map(|e| (e.id, false))
}

/// `D`: shows what changed against the baseline, or the body again.
pub fn toggle(app: &mut App) -> Vec<Effect> {
    let Some(x) = app.shown_exchange().filter(|x| x.response().is_some()) else {
        app.notice = Some(Notice::Error(
            "Nothing to compare: no response is shown".into(),
        ));
        return Vec::new();
    };
    let id = x.id;
    if x.diff.is_some() {
        if let Some(x) = app.history.get_mut(id) {
            x.diff = None;
        }
        reader::another_doc(app);
        return Vec::new();
    }
    let Some((against, pinned)) = baseline(app, x) else {
        app.notice = Some(Notice::Error(format!(
            "Nothing to compare with: send {} {} again, or pin a response to it with {}",
            x.spec.method,
            x.spec.url,
            app.keymap.key(Scope::Body, Action::Pin)
        )));
        return Vec::new();
    };
    let (Some(before), Some(after)) = (
        app.history.get(against).and_then(Exchange::response),
        x.response(),
    ) else {
        return Vec::new();
    };
    let mut secrets = app
        .history
        .get(against)
        .map_or_else(Vec::new, |b| b.secrets_for(app.reveal));
    secrets.extend(x.secrets_for(app.reveal));
    let effect = Effect::CompareBodies {
        id,
        against,
        before: before.body.clone(),
        after: after.body.clone(),
        ignore: x.ignore.clone(),
        secrets,
    };
    if let Some(x) = app.history.get_mut(id) {
        x.diff = Some(BodyDiff {
            against,
            pinned,
            result: None,
        });
    }
    vec![effect]
}

/// A comparison came back (dropped if `D` closed it, or another one was asked for since).
pub fn compared(
    app: &mut App,
    id: RequestId,
    against: RequestId,
    result: Result<Compared, String>,
) {
    let Some(diff) = app
        .history
        .get_mut(id)
        .and_then(|x| x.diff.as_mut())
        .filter(|d| d.against == against)
    else {
        return;
    };
    diff.result = Some(result);
    if app.shown == Some(id) {
        reader::another_doc(app);
    }
}
