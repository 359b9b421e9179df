//! A response as received: status, headers, body and the redirects followed on the way.

use std::sync::Arc;
use std::time::Duration;

use crate::model::spilled::Spilled;
use crate::model::wire::{Timing, WireHop};

/// One hop of a followed redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectHop {
    pub status: u16,
    pub url: String,
    pub location: String,
}

/// A response as received, body fully read (already decompressed by the transport).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseData {
    pub status: u16,
    pub reason: String,
    /// "HTTP/1.1", "HTTP/2", …
    pub version: String,
    pub headers: Vec<(String, String)>,
    /// The body; for a spilled one (see `spilled`), only its first part.
    pub body: bytes::Bytes,
    /// A body larger than the memory cap: the whole of it, in a temporary file.
    pub spilled: Option<Arc<Spilled>>,
    /// Time from sending to the last byte of the body.
    pub elapsed: Duration,
    /// Redirects followed before this response, in order.
    pub redirects: Vec<RedirectHop>,
    pub url: String,
    /// Where the time went, when the transport measured it (not for stored exchanges).
    pub timing: Option<Timing>,
    /// The requests and responses as they crossed the connection, one per hop; empty when not
    /// captured. Kept in memory only: it holds credentials as sent.
    pub wire: Vec<WireHop>,
    /// What the private cache did, when it was on for the request.
    pub cache: Option<CacheUse>,
    /// The download was stopped before the body's end (Esc): the body is what had arrived.
    pub stopped: bool,
}

/// What the private cache did for a response (`cache = true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUse {
    /// Served from the cache, with no request: fresh for `fresh_for` more, `age` old.
    Fresh { fresh_for: Duration, age: Duration },
    /// The cached copy was stale: a conditional request (`validator`, e.g. `If-None-Match:
    /// "v1"`) got a 304, and the copy was used with its headers refreshed.
    Revalidated { validator: String },
    /// Sent to the server and stored for next time.
    Stored,
    /// Sent to the server and not stored, for this reason.
    NotStored { why: String },
}

impl CacheUse {
    /// A word for it, as the history file records it.
    pub fn tag(&self) -> &'static str {
        match self {
            CacheUse::Fresh { .. } => "fresh",
            CacheUse::Revalidated { .. } => "revalidated",
            CacheUse::Stored => "stored",
            CacheUse::NotStored { .. } => "not-stored",
        }
    }
}

impl ResponseData {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's whole length: the file's for a spilled body.
    pub fn body_len(&self) -> u64 {
        self.spilled
            .as_ref()
            .map_or(self.body.len() as u64, |s| s.len())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// What is said of a body whose download was stopped: `You stopped the download at 12 MB
    /// of 1.0 GB: …`; `None` for a whole body.
    pub fn stopped_note(&self) -> Option<String> {
        if !self.stopped {
            return None;
        }
        // Content-Length counts encoded bytes; of a decoded body it would mislead.
        let of = self
            .header("content-length")
            .filter(|_| self.header("content-encoding").is_none())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|t| format!(" of {}", super::human_size(t)))
            .unwrap_or_default();
        let place = if self.spilled.is_some() {
            " (on disk)"
        } else {
            ""
        };
        Some(format!(
            "You stopped the download at {}{of}: what arrived is shown{place}, not checked or paged",
            super::human_size(self.body_len())
        ))
    }
}
