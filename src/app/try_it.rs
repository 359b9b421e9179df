//! "Try it" actions in the Explain panel: from the exchange in front of the learner, the natural
//! next request — a conditional GET after a validator, following a `Location`, retrying after
//! `Retry-After`, repeating a POST or a PUT, adding an `Idempotency-Key`, an `OPTIONS`, a CORS
//! preflight. A digit asks first, then sends it the way the shown request went (same auth,
//! cookies, client settings), leaving the editor as it is.

use std::time::Duration;

use crate::app::exchange::{Exchange, ExchangeState};
use crate::app::{App, ConfirmPurpose, Effect, Overlay, view};
use crate::http::attempts::AttemptReport;
use crate::http::job::RequestId;
use crate::http::retry::parse_retry_after;
use crate::model::{BodyKind, KeyValue, Method, RequestSpec};

/// The origin a CORS preflight is sent from (the demo API allows this one).
pub const ORIGIN: &str = "https://app.example";

/// One next request to try.
#[derive(Debug, Clone, PartialEq)]
pub struct TryIt {
    /// What it is, shown after its digit.
    pub label: String,
    /// What it shows, for the question before sending.
    pub shows: String,
    pub spec: RequestSpec,
    /// Wait this long first (a `Retry-After`).
    pub wait: Option<Duration>,
}

/// The try-its the shown exchange offers, in the order their digits go (at most nine).
pub fn offered(x: &Exchange, now: std::time::SystemTime) -> Vec<TryIt> {
    let ExchangeState::Done { response, .. } = &x.state else {
        return Vec::new();
    };
    let sent = &x.sent;
    let mut out = Vec::new();
    let with_header = |name: &str, value: &str| {
        let mut spec = sent.clone();
        spec.headers
            .retain(|h| !h.key.trim().eq_ignore_ascii_case(name));
        spec.headers.push(KeyValue::new(name, value));
        spec
    };
    if matches!(sent.method, Method::Get | Method::Head) && (200..300).contains(&response.status) {
        if let Some(etag) = response.header("etag") {
            out.push(TryIt {
                label: format!("conditional GET: If-None-Match: {etag}"),
                shows: "a 304 Not Modified while the resource is unchanged: the copy you hold is current".into(),
                spec: with_header("If-None-Match", etag),
                wait: None,
            });
        } else if let Some(date) = response.header("last-modified") {
            out.push(TryIt {
                label: format!("conditional GET: If-Modified-Since: {date}"),
                shows: "a 304 Not Modified if it has not changed since".into(),
                spec: with_header("If-Modified-Since", date),
                wait: None,
            });
        }
    }
    if let Some(location) = response.header("location")
        && (response.status == 201 || (300..400).contains(&response.status))
        && let Ok(base) = url::Url::parse(&response.url)
        && let Ok(target) = base.join(location)
    {
        out.push(TryIt {
            label: format!("follow Location: GET {location}"),
            shows: if response.status == 201 {
                "the resource the POST created".into()
            } else {
                "where the redirect points".into()
            },
            spec: RequestSpec {
                method: Method::Get,
                url: target.to_string(),
                // A GET carries no body, so nothing that describes one.
                headers: sent
                    .headers
                    .iter()
                    .filter(|h| {
                        !["content-type", "content-length", "idempotency-key"]
                            .contains(&h.key.trim().to_ascii_lowercase().as_str())
                    })
                    .cloned()
                    .collect(),
                body_kind: BodyKind::None,
                body: String::new(),
            },
            wait: None,
        });
    }
    if matches!(response.status, 429 | 503)
        && let Some(wait) = response
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, now))
    {
        out.push(TryIt {
            label: format!(
                "retry after Retry-After ({})",
                crate::model::human_duration(wait)
            ),
            shows: format!(
                "the same request once the {} the server asked for has passed",
                crate::model::human_duration(wait)
            ),
            spec: sent.clone(),
            wait: Some(wait),
        });
    }
    let has_key = sent
        .headers
        .iter()
        .any(|h| h.enabled && h.key.trim().eq_ignore_ascii_case("idempotency-key"));
    match sent.method {
        Method::Post => {
            out.push(TryIt {
                label: "repeat the POST".into(),
                shows: if has_key {
                    "the same Idempotency-Key: the server answers the first result again instead of acting twice".into()
                } else {
                    "POST is not idempotent: a second one may act again (a second item, a second charge)".into()
                },
                spec: sent.clone(),
                wait: None,
            });
            if !has_key {
                out.push(TryIt {
                    label: "add an Idempotency-Key and send".into(),
                    shows: "then repeat it: with the same key, the server acts once (the demo's /payments does)".into(),
                    spec: with_header("Idempotency-Key", &uuid::Uuid::new_v4().to_string()),
                    wait: None,
                });
            }
        }
        Method::Put => out.push(TryIt {
            label: "repeat the PUT".into(),
            shows: "PUT is idempotent: the same request again leaves the same state and answer"
                .into(),
            spec: sent.clone(),
            wait: None,
        }),
        _ => {}
    }
    if sent.method != Method::Options {
        let bare = RequestSpec {
            method: Method::Options,
            url: sent.url.clone(),
            headers: Vec::new(),
            body_kind: BodyKind::None,
            body: String::new(),
        };
        out.push(TryIt {
            label: "OPTIONS: which methods it takes".into(),
            shows: "the Allow header lists the methods this URL accepts".into(),
            spec: bare.clone(),
            wait: None,
        });
        out.push(TryIt {
            label: format!("CORS preflight for {} from {ORIGIN}", sent.method),
            shows: "what a browser asks before a cross-origin request: the Access-Control-Allow-* headers answer".into(),
            spec: RequestSpec {
                headers: vec![
                    KeyValue::new("Origin", ORIGIN),
                    KeyValue::new("Access-Control-Request-Method", sent.method.as_str()),
                    KeyValue::new("Access-Control-Request-Headers", "Content-Type"),
                ],
                ..bare
            },
            wait: None,
        });
    }
    out.truncate(9);
    out
}

/// Digit `n` in the Explain panel: asks before sending the `n`th try-it of the shown exchange.
pub fn ask(app: &mut App, n: usize) {
    let Some(x) = app.shown_exchange() else {
        return;
    };
    if n == 0 || n > offered(x, app.wall).len() {
        return;
    }
    app.overlay = Some(Overlay::Confirm {
        purpose: ConfirmPurpose::TryIt {
            from: x.id,
            index: n - 1,
        },
    });
}

/// The question the confirmation asks.
pub fn question(app: &App, from: RequestId, index: usize) -> String {
    let Some(t) = app
        .history
        .get(from)
        .and_then(|x| offered(x, app.wall).into_iter().nth(index))
    else {
        return "Send it?".into();
    };
    let wait = t
        .wait
        .map(|w| format!(" after {}", crate::model::human_duration(w)))
        .unwrap_or_default();
    format!(
        "Send {} {}{wait}? It shows {}.",
        t.spec.method, t.spec.url, t.shows
    )
}

/// Yes: sends try-it `index` of exchange `from` as that exchange went, and shows it.
pub fn send(app: &mut App, from: RequestId, index: usize) -> Vec<Effect> {
    let Some(x) = app.history.get(from) else {
        return Vec::new();
    };
    let Some(t) = offered(x, app.wall).into_iter().nth(index) else {
        return Vec::new();
    };
    let Some(mut job) = x.job.as_deref().cloned() else {
        return Vec::new();
    };
    let previous = x.response().map(|r| format!("{} {}", r.status, r.reason));
    let id = app.next_id;
    app.next_id += 1;
    job.id = id;
    job.spec = t.spec.clone();
    job.delay = t.wait;
    let mut exchange = Exchange {
        sent: t.spec.clone(),
        secrets: job.secrets.clone(),
        sent_at_ms: crate::model::wall_ms(app.wall),
        auth_kind: x.auth_kind,
        jar: job.jar.clone(),
        job: Some(Box::new(job.clone())),
        ..Exchange::new(id, t.spec, ExchangeState::loading(), app.now)
    };
    if let Some(wait) = t.wait {
        // Shown as a countdown while waiting, as a retry's wait is.
        exchange.attempts.push((
            AttemptReport {
                attempt: 1,
                of: 2,
                outcome: previous.unwrap_or_default(),
                wait: Some(wait),
                note: "waiting as Retry-After asked".into(),
            },
            app.now,
        ));
    }
    app.history.entries.push(exchange);
    app.history.list = Default::default();
    view::show(app, id);
    app.notice = None;
    vec![Effect::Send(job)]
}

#[cfg(test)]
#[path = "try_it_tests.rs"]
mod tests;
