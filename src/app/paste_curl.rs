//! A curl command pasted into the URL bar becomes the request, after a confirmation: its method,
//! URL, headers and body as curl would send them, `-u`/`--oauth2-bearer` as an `Authorization`
//! header. What the editor cannot hold (curl's settings, `--digest`) is named in the notice, with
//! `scout import curl` as the way to keep it.

use crate::app::editor::{Editor, Section};
use crate::app::{App, ConfirmPurpose, Notice, Overlay, Pane};
use crate::import::curl::{Curl, is_curl, parse_command, text};
use crate::import::shell::with_dollars;
use crate::model::auth::basic_header;
use crate::model::{KeyValue, counted};

/// Whether `text` pasted into the editor is a curl command for the URL bar; if so, it is read
/// and either offered (a confirmation) or refused with the reason.
pub fn offer(app: &mut App, text: &str) -> bool {
    let in_url_bar = app.focus == Pane::Editor && app.editor.section == Section::Url;
    let first = text.split_whitespace().next().unwrap_or_default();
    if !in_url_bar || !is_curl(first) {
        return false;
    }
    // Terminals paste line ends as CR: a `\` before one still continues the line.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match parse_command(&text) {
        Ok(curl) => {
            // A notice from an earlier paste ("cannot be read") is not about this command.
            app.notice = None;
            app.overlay = Some(Overlay::Confirm {
                purpose: ConfirmPurpose::PasteCurl(Box::new(curl)),
            });
        }
        Err(e) => {
            app.notice = Some(Notice::Error(format!(
                "The pasted curl command cannot be read: {e}. Nothing changed."
            )));
        }
    }
    true
}

/// The confirmation's question.
pub fn question(app: &App, curl: &Curl) -> String {
    let spec = &curl.spec;
    let mut parts = vec![format!("{} {}", spec.method, with_dollars(&spec.url))];
    let headers = spec.headers.len();
    if headers > 0 {
        parts.push(counted(headers, "header"));
    }
    if !spec.body.is_empty() {
        parts.push(format!("a {}-byte body", spec.body.len()));
    }
    let mut q = format!(
        "Replace the request in the editor with the pasted curl command ({})?",
        parts.join(", ")
    );
    if app.is_dirty() {
        q.push_str(" Its unsaved edits are discarded.");
    }
    q
}

/// The answer was yes: the command becomes a new, unsaved request.
pub fn apply(app: &mut App, curl: &Curl) {
    let mut spec = curl.spec.clone();
    spec.url = text(&spec.url);
    spec.body = text(&spec.body);
    for h in &mut spec.headers {
        h.value = text(&h.value);
    }
    let mut left_out: Vec<String> = Vec::new();
    let authorization = match (&curl.user, &curl.bearer) {
        (Some(_), _) if curl.digest => {
            left_out.push("--digest".into());
            None
        }
        // A header is made of the values themselves: not of a `$VARIABLE`'s.
        (Some((user, password)), _) if text(user) != *user || text(password) != *password => {
            left_out.push("-u with a $VARIABLE".into());
            None
        }
        (Some((user, password)), _) => Some(basic_header(user, password)),
        (None, Some(token)) => Some(format!("Bearer {}", text(token))),
        (None, None) => None,
    };
    if let Some(value) = authorization {
        spec.headers.push(KeyValue::new("Authorization", value));
    }
    let flags: [(bool, &str); 9] = [
        (curl.follow, "-L"),
        (curl.insecure, "-k"),
        (curl.timeout.is_some(), "--max-time"),
        (curl.connect_timeout.is_some(), "--connect-timeout"),
        (curl.retries.is_some(), "--retry"),
        (curl.proxy.is_some(), "--proxy"),
        (curl.ca_cert.is_some(), "--cacert"),
        (curl.client_cert.is_some(), "--cert"),
        (curl.max_redirects.is_some(), "--max-redirs"),
    ];
    left_out.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, f)| f.to_string()),
    );
    // What curl gave that no import keeps either (`--max-time 0`, a cookie file) is named apart:
    // `scout import curl` would not keep it. A note on an option already named (`--retry 198`,
    // kept as 100 by an import) names it once.
    let mut dropped: Vec<&str> = Vec::new();
    for note in &curl.dropped {
        let what = note.split(':').next().unwrap_or(note);
        let option = what.split_whitespace().next().unwrap_or(what);
        if !left_out.iter().any(|named| named == option) {
            dropped.push(what);
        }
    }
    app.editor = Editor::from_spec(&spec);
    app.origin = None;
    app.focus = Pane::Editor;
    let mut message = "Pasted the curl command".to_string();
    if !left_out.is_empty() {
        message.push_str(&format!(
            " · not applied here: {} (scout import curl keeps them)",
            left_out.join(", ")
        ));
    }
    if !dropped.is_empty() {
        message.push_str(&format!(" · dropped: {}", dropped.join(", ")));
    }
    app.notice = Some(Notice::Info(message));
}

#[cfg(test)]
#[path = "paste_curl_tests.rs"]
mod tests;
