//! The stored form of one exchange, and the conversions between it and the live model.
//!
//! Everything is redacted on the way in ([`HistoryRecord::from_exchange`]), so a record in memory is
//! already safe to write. Bodies keep at most [`MAX_BODY_BYTES`]; text bodies are stored as text,
//! anything else as base64.

use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::model::{
    BodyKind, KeyValue, Method, Redactor, RedirectHop, RequestSpec, ResponseData, cut_len,
    human_size,
};

/// Bodies longer than this (1 MiB) are cut to it, at a character boundary for text.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One exchange as stored: one line of `history.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRecord {
    /// Unique across runs: see [`next_id`].
    pub id: u64,
    /// Wall-clock time the request was sent, in unix milliseconds.
    pub sent_at_ms: u64,
    pub request: StoredRequest,
    pub outcome: StoredOutcome,
    /// The run that sent it (`scout run`, the app's runner); `None` for a request sent alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRequest {
    pub method: String,
    pub url: String,
    /// `(name, value, enabled)`.
    pub headers: Vec<(String, String, bool)>,
    /// `none`, `json`, `form`, `text`, `multipart` or `file` (the body is then the file's path).
    pub body_kind: String,
    pub body: StoredBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredOutcome {
    Response {
        status: u16,
        reason: String,
        version: String,
        headers: Vec<(String, String)>,
        body: StoredBody,
        /// Whole milliseconds (what scout before 0.2 read).
        elapsed_ms: u64,
        /// Microseconds: a fast exchange keeps its time (records from older scouts lack it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        elapsed_us: Option<u64>,
        /// `(status, url, location)` per redirect followed.
        redirects: Vec<(u16, String, String)>,
        url: String,
        /// What the private cache did: `fresh` (answered from it, nothing sent), `revalidated`
        /// (a 304 confirmed the stored copy), `stored` or `not-stored`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cache: Option<String>,
        /// Its download was stopped (Esc): the body is what had arrived.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        stopped: bool,
    },
    Failed {
        title: String,
        message: String,
        #[serde(default)]
        hint: String,
    },
    Cancelled {
        after_ms: u64,
    },
}

/// A body as kept: at most [`MAX_BODY_BYTES`], with the length it had when received.
/// On disk: `{"text": "…"}` when the kept bytes are UTF-8, else `{"base64": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WireBody", into = "WireBody")]
pub struct StoredBody {
    pub bytes: Bytes,
    /// Whether `bytes` is only the first part of the body.
    pub truncated: bool,
    pub original_len: u64,
}

impl StoredBody {
    /// Redacts `body` (by value, in its text runs) and keeps at most [`MAX_BODY_BYTES`] of it.
    /// Only the part that can be kept is redacted (with room for a secret that starts in it, and
    /// for the character the cut falls in): the rest of a 10 MB body is never scanned.
    pub fn capture(body: &[u8], redactor: &Redactor) -> StoredBody {
        let longest = redactor.secret_values().first().map_or(0, String::len);
        let window = &body[..body.len().min(MAX_BODY_BYTES + longest + 4)];
        let redacted = redactor.redact_bytes(window);
        let keep = cut_len(&redacted, MAX_BODY_BYTES);
        StoredBody {
            bytes: Bytes::copy_from_slice(&redacted[..keep]),
            truncated: keep < redacted.len() || window.len() < body.len(),
            original_len: body.len() as u64,
        }
    }

    /// What the response pane says of a body history cut (see [`StoredBody::note`]); `None`
    /// for a whole body.
    pub fn truncation_note(&self) -> Option<String> {
        self.truncated
            .then(|| StoredBody::note(self.bytes.len() as u64, self.original_len))
    }

    /// `stored: first 1.0 MB of 10 MB`: what is said of a body cut to its first `kept` bytes.
    pub fn note(kept: u64, original: u64) -> String {
        format!(
            "stored: first {} of {}",
            human_size(kept),
            human_size(original)
        )
    }
}

#[derive(Serialize, Deserialize)]
struct WireBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base64: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
    original_len: u64,
}

impl From<StoredBody> for WireBody {
    fn from(body: StoredBody) -> Self {
        let (text, base64) = match std::str::from_utf8(&body.bytes) {
            Ok(text) => (Some(text.to_string()), None),
            Err(_) => (
                None,
                Some(base64::engine::general_purpose::STANDARD.encode(&body.bytes)),
            ),
        };
        WireBody {
            text,
            base64,
            truncated: body.truncated,
            original_len: body.original_len,
        }
    }
}

impl TryFrom<WireBody> for StoredBody {
    type Error = String;

    fn try_from(wire: WireBody) -> Result<Self, String> {
        let bytes = match (wire.text, wire.base64) {
            (Some(text), None) => Bytes::from(text),
            (None, Some(coded)) => Bytes::from(
                base64::engine::general_purpose::STANDARD
                    .decode(&coded)
                    .map_err(|e| e.to_string())?,
            ),
            _ => return Err("a body needs exactly one of `text` and `base64`".into()),
        };
        Ok(StoredBody {
            bytes,
            truncated: wire.truncated,
            original_len: wire.original_len,
        })
    }
}

/// What became of a request, borrowed from the live model for [`HistoryRecord::from_exchange`].
#[derive(Debug, Clone)]
pub enum Outcome<'a> {
    Response(&'a ResponseData),
    /// A failure, in the words the response pane uses: its title, message and hint.
    Failed {
        title: &'a str,
        message: String,
        hint: &'a str,
    },
    Cancelled {
        after: Duration,
    },
}

impl HistoryRecord {
    /// The stored, redacted form of a finished exchange: secret headers (request and response),
    /// URL passwords and `redactor`'s values are replaced; bodies are cut to [`MAX_BODY_BYTES`].
    pub fn from_exchange(
        id: u64,
        sent_at_ms: u64,
        spec: &RequestSpec,
        outcome: Outcome<'_>,
        redactor: &Redactor,
    ) -> HistoryRecord {
        let request = StoredRequest {
            method: spec.method.as_str().to_string(),
            url: redactor.redact_url(&spec.url),
            headers: spec
                .headers
                .iter()
                .map(|h| {
                    (
                        h.key.clone(),
                        redactor.redact_header(&h.key, &h.value),
                        h.enabled,
                    )
                })
                .collect(),
            body_kind: body_kind_name(spec.body_kind).to_string(),
            body: StoredBody::capture(spec.body.as_bytes(), redactor),
        };
        let outcome = match outcome {
            Outcome::Response(r) => StoredOutcome::Response {
                status: r.status,
                reason: r.reason.clone(),
                version: r.version.clone(),
                headers: r
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), redactor.redact_header(k, v)))
                    .collect(),
                body: {
                    // A body kept on disk: its first part is here, and its length is the file's.
                    let mut body = StoredBody::capture(&r.body, redactor);
                    if r.spilled.is_some() {
                        body.truncated = true;
                        body.original_len = r.body_len();
                    }
                    body
                },
                elapsed_ms: millis(r.elapsed),
                elapsed_us: Some(u64::try_from(r.elapsed.as_micros()).unwrap_or(u64::MAX)),
                redirects: r
                    .redirects
                    .iter()
                    .map(|h| {
                        (
                            h.status,
                            redactor.redact_url(&h.url),
                            redactor.redact_url(&h.location),
                        )
                    })
                    .collect(),
                url: redactor.redact_url(&r.url),
                cache: r.cache.as_ref().map(|c| c.tag().to_string()),
                stopped: r.stopped,
            },
            Outcome::Failed {
                title,
                message,
                hint,
            } => StoredOutcome::Failed {
                title: title.to_string(),
                message: redactor.redact_url(&message),
                hint: hint.to_string(),
            },
            Outcome::Cancelled { after } => StoredOutcome::Cancelled {
                after_ms: millis(after),
            },
        };
        HistoryRecord {
            id,
            sent_at_ms,
            request,
            outcome,
            run: None,
        }
    }

    /// The request, ready to be put back into the editor (redacted values stay redacted).
    pub fn request_spec(&self) -> RequestSpec {
        let r = &self.request;
        RequestSpec {
            method: Method::named(&r.method).unwrap_or_default(),
            url: r.url.clone(),
            headers: r
                .headers
                .iter()
                .map(|(key, value, enabled)| KeyValue {
                    key: key.clone(),
                    value: value.clone(),
                    enabled: *enabled,
                })
                .collect(),
            body_kind: body_kind_from(&r.body_kind),
            body: String::from_utf8_lossy(&r.body.bytes).into_owned(),
        }
    }

    /// The response as received (body possibly truncated: see [`HistoryRecord::response_body`]);
    /// `None` for failed and cancelled requests.
    pub fn response_data(&self) -> Option<ResponseData> {
        let StoredOutcome::Response {
            status,
            reason,
            version,
            headers,
            body,
            elapsed_ms,
            elapsed_us,
            redirects,
            url,
            cache: _,
            stopped,
        } = &self.outcome
        else {
            return None;
        };
        Some(ResponseData {
            stopped: *stopped,
            spilled: None,
            status: *status,
            reason: reason.clone(),
            version: version.clone(),
            headers: headers.clone(),
            body: body.bytes.clone(),
            elapsed: elapsed_us
                .map_or_else(|| Duration::from_millis(*elapsed_ms), Duration::from_micros),
            redirects: redirects
                .iter()
                .map(|(status, url, location)| RedirectHop {
                    status: *status,
                    url: url.clone(),
                    location: location.clone(),
                })
                .collect(),
            url: url.clone(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        })
    }

    /// The stored response body, for its [`StoredBody::truncation_note`].
    pub fn response_body(&self) -> Option<&StoredBody> {
        match &self.outcome {
            StoredOutcome::Response { body, .. } => Some(body),
            _ => None,
        }
    }
}

fn body_kind_name(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::None => "none",
        BodyKind::Json => "json",
        BodyKind::Form => "form",
        BodyKind::Text => "text",
        BodyKind::Multipart => "multipart",
        BodyKind::File => "file",
    }
}

/// Unknown names (a newer scout's file) fall back to plain text rather than dropping the body.
fn body_kind_from(name: &str) -> BodyKind {
    BodyKind::ALL
        .into_iter()
        .find(|k| body_kind_name(*k) == name)
        .unwrap_or(BodyKind::Text)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The id for the next record: after `previous` (the largest id seen, loaded or assigned) and
/// at least `now_ms * 1000`, so ids keep growing across runs and rarely meet between two
/// instances running at once.
pub fn next_id(previous: u64, now_ms: u64) -> u64 {
    previous.saturating_add(1).max(now_ms.saturating_mul(1000))
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
