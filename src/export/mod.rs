//! Requests written out for other tools (part 8, `scout export` and the app's copy menu): as a
//! curl command ([`curl`]), an HTTPie/xh command ([`httpie`]), a Hurl entry ([`hurl`]), raw
//! HTTP/1.1 text ([`raw`]); and exchanges from the history as a HAR file ([`har`]).
//!
//! A request is exported as written: `{{templates}}` stay references, so secrets leave as
//! `{{variable}}` names, never values (unless the caller resolved them first, on request).

pub mod curl;
pub mod har;
pub mod httpie;
pub mod hurl;
pub mod raw;

use std::time::Duration;

use crate::check::{Capture, Expect};
use crate::collection::{Collection, SavedRequest};
use crate::model::settings::Settings;
use crate::model::{AuthProfile, BodyKind, RequestSpec};

/// One request with what the formats can carry besides it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportRequest {
    /// Its title, written as a comment where the format has them.
    pub name: Option<String>,
    /// The URL with its query; only enabled headers are exported.
    pub spec: RequestSpec,
    /// The auth profile it is sent with, as written.
    pub auth: Option<AuthProfile>,
    /// scout follows redirects unless told not to; curl, HTTPie and Hurl do not by default.
    pub follow_redirects: bool,
    pub max_redirects: Option<u32>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub retries: Option<u32>,
    pub insecure: bool,
    pub expect: Option<Expect>,
    pub capture: Vec<(String, Capture)>,
}

impl ExportRequest {
    /// An ad-hoc request from the editor: scout's defaults, no auth.
    pub fn from_spec(spec: &RequestSpec) -> ExportRequest {
        ExportRequest {
            spec: spec.clone(),
            follow_redirects: true,
            ..ExportRequest::default()
        }
    }

    /// A saved request with the settings and auth it is sent with in `collection`.
    pub fn from_saved(collection: &Collection, req: &SavedRequest) -> ExportRequest {
        let settings: Settings = collection.settings_for(req);
        let redirects = settings.redirects();
        ExportRequest {
            name: req.name.clone(),
            spec: req.to_spec(),
            auth: collection
                .auth_for(req)
                .ok()
                .flatten()
                .map(|(_, p)| p.clone()),
            follow_redirects: redirects.follow,
            max_redirects: settings.max_redirects,
            timeout: settings.timeout,
            connect_timeout: settings.connect_timeout,
            retries: settings.retries.as_ref().map(|r| r.max),
            insecure: collection.connection.insecure,
            expect: req.expect.clone(),
            capture: req.capture.clone(),
        }
    }

    /// The enabled headers with a name, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.spec
            .headers
            .iter()
            .filter(|h| h.enabled && !h.key.trim().is_empty())
            .map(|h| (h.key.as_str(), h.value.as_str()))
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers().any(|(k, _)| k.eq_ignore_ascii_case(name))
    }

    /// The Content-Type scout adds for the body kind when the request sets none (a tool that
    /// would send another, or none, must be told).
    pub fn implied_content_type(&self) -> Option<&'static str> {
        if self.has_header("content-type") {
            return None;
        }
        match self.spec.body_kind {
            BodyKind::File => Some(crate::model::guess_mime(self.spec.body.trim())),
            kind => kind.content_type(),
        }
    }
}

/// `text` quoted for a POSIX shell: bare when it is plain, else in single quotes (a `'` written
/// `'\''`).
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_splits_back_into_the_same_word() {
        for word in [
            "plain",
            "",
            "two words",
            "it's",
            "a'b'c",
            "$HOME",
            "`x`",
            "a\nb",
            "日本語",
        ] {
            let quoted = shell_quote(word);
            let back = crate::import::shell::split(&quoted).unwrap();
            assert_eq!(back, vec![word.to_string()], "{quoted}");
        }
    }
}
