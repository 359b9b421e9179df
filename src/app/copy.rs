//! `y`: the copy menu. The editor's request as a curl, HTTPie/xh or Hurl command, raw HTTP, its
//! URL or body; or the shown response's body. Requests are copied as written, so secrets stay
//! `{{references}}`; `R` in the menu reveals them, copying the request with the values it was
//! last sent with (the shown exchange). The copy itself is an effect: the event loop puts the
//! text on the terminal's clipboard (OSC 52) and the system's, and says which worked.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::app::keymap::Scope;
use crate::app::list::ListState;
use crate::app::{App, Effect, Notice, Overlay, reader};
use crate::export::{ExportRequest, curl, httpie, hurl, raw};
use crate::model::auth::ResolvedAuth;
use crate::model::{BodyKind, Redactor};

/// What the menu offers, in its order, each with its key ([`CopyItem::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    Curl,
    Httpie,
    Hurl,
    Raw,
    Url,
    Body,
    ResponseBody,
    /// The JSON path of the value under the Body tab's cursor (`yp`).
    Path,
    /// The value under the cursor, as JSON (`yv`).
    Value,
    /// The line under the cursor (`yy`).
    Line,
}

impl CopyItem {
    pub const ALL: [CopyItem; 10] = [
        CopyItem::Curl,
        CopyItem::Httpie,
        CopyItem::Hurl,
        CopyItem::Raw,
        CopyItem::Url,
        CopyItem::Body,
        CopyItem::ResponseBody,
        CopyItem::Path,
        CopyItem::Value,
        CopyItem::Line,
    ];

    /// The key that copies it from the menu: a digit, or vim's `p`/`v`/`y` after `y` for what
    /// is under the cursor.
    pub fn key(self) -> char {
        match self {
            CopyItem::Path => 'p',
            CopyItem::Value => 'v',
            CopyItem::Line => 'y',
            other => {
                let i = CopyItem::ALL.iter().position(|&c| c == other).unwrap_or(0);
                char::from(b'1' + i as u8)
            }
        }
    }

    /// The items the menu offers now: what is under the cursor only while the focused Body tab
    /// shows a document (the path and value only when it is JSON).
    pub fn offered(app: &App) -> Vec<CopyItem> {
        let doc = (app.focus == crate::app::Pane::Response)
            .then(|| reader::shown_doc(app))
            .flatten();
        CopyItem::ALL
            .into_iter()
            .filter(|item| match item {
                // A body on disk is shown as received: no JSON structure to point into.
                CopyItem::Path | CopyItem::Value => {
                    doc.is_some_and(|d| d.is_pretty_json())
                        && crate::app::spilled::shown(app).is_none()
                }
                CopyItem::Line => doc.is_some(),
                _ => true,
            })
            .collect()
    }

    pub fn label(self) -> &'static str {
        match self {
            CopyItem::Curl => "the request as a curl command",
            CopyItem::Httpie => "the request as an HTTPie / xh command",
            CopyItem::Hurl => "the request as a Hurl entry (with its checks)",
            CopyItem::Raw => "the request as raw HTTP",
            CopyItem::Url => "the URL",
            CopyItem::Body => "the request body",
            CopyItem::ResponseBody => "the response body",
            CopyItem::Path => "the path of the value under the cursor",
            CopyItem::Value => "the value under the cursor",
            CopyItem::Line => "the line under the cursor",
        }
    }

    /// What the notice calls it once copied.
    fn noun(self) -> &'static str {
        match self {
            CopyItem::Curl => "curl command",
            CopyItem::Httpie => "HTTPie command",
            CopyItem::Hurl => "Hurl entry",
            CopyItem::Raw => "raw request",
            CopyItem::Url => "URL",
            CopyItem::Body => "request body",
            CopyItem::ResponseBody => "response body",
            CopyItem::Path => "path",
            CopyItem::Value => "value",
            CopyItem::Line => "line",
        }
    }
}

/// Opens the menu.
pub fn open(app: &mut App) {
    app.overlay = Some(Overlay::Copy {
        list: ListState::default(),
        reveal: false,
    });
}

/// A key in the menu: an item's key or Enter copies, `R` reveals or hides secrets, Esc closes.
pub fn on_key(app: &mut App, mut list: ListState, reveal: bool, key: KeyEvent) -> Vec<Effect> {
    let items = CopyItem::offered(app);
    let count = items.len();
    let chosen = match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter => Some(list.selected),
        KeyCode::Char(c) if items.iter().any(|i| i.key() == c) => {
            items.iter().position(|i| i.key() == c)
        }
        KeyCode::Char('R') => {
            app.overlay = Some(Overlay::Copy {
                list,
                reveal: !reveal,
            });
            return Vec::new();
        }
        _ => {
            if let Some(action) = app.keymap.lookup(&[Scope::Global], &key) {
                list.step(action, count, count);
            }
            None
        }
    };
    let Some(item) = chosen.and_then(|i| items.get(i).copied()) else {
        app.overlay = Some(Overlay::Copy { list, reveal });
        return Vec::new();
    };
    match text(app, item, reveal) {
        Ok(text) => vec![Effect::Copy {
            text,
            what: item.noun().to_string(),
            secret: reveal,
        }],
        Err(why) => {
            app.notice = Some(Notice::Error(why));
            Vec::new()
        }
    }
}

/// The text `item` copies.
pub fn text(app: &App, item: CopyItem, reveal: bool) -> Result<String, String> {
    match item {
        CopyItem::ResponseBody => return response_body(app, reveal),
        CopyItem::Path | CopyItem::Value | CopyItem::Line => {
            return reader::under_cursor(app, item)
                .ok_or_else(|| "Nothing is under the cursor".to_string());
        }
        _ => {}
    }
    let r = request(app, reveal)?;
    Ok(match item {
        CopyItem::Curl => curl::to_curl(&r),
        CopyItem::Httpie => httpie::to_httpie(&r),
        CopyItem::Hurl => hurl::to_hurl(&r),
        CopyItem::Raw => raw::to_raw(&r),
        CopyItem::Url => r.spec.url.clone(),
        CopyItem::Body if r.spec.body_kind == BodyKind::None => {
            return Err("The request has no body to copy".into());
        }
        CopyItem::Body => r.spec.body.clone(),
        CopyItem::ResponseBody | CopyItem::Path | CopyItem::Value | CopyItem::Line => {
            unreachable!("handled above")
        }
    })
}

/// The editor's request as written (with its collection's settings and auth profile), or, to
/// reveal, the shown exchange as it was sent.
fn request(app: &App, reveal: bool) -> Result<ExportRequest, String> {
    if reveal {
        let job = app
            .shown
            .and_then(|id| app.history.get(id))
            .and_then(|x| x.job.as_deref())
            .ok_or("Nothing was sent yet: R copies the values a request was sent with, so send it first")?;
        return Ok(ExportRequest {
            name: None,
            spec: job.spec.clone(),
            auth: job.auth.as_ref().map(ResolvedAuth::to_profile),
            follow_redirects: job.redirects.follow,
            max_redirects: Some(job.redirects.max)
                .filter(|m| *m != crate::model::settings::MAX_REDIRECTS),
            timeout: None,
            connect_timeout: None,
            retries: (job.retries.max > 0).then_some(job.retries.max),
            insecure: job.client.insecure,
            expect: None,
            capture: Vec::new(),
        });
    }
    let collection = app.scope_file().and_then(|f| app.tree.collection(f));
    match (&app.origin, collection) {
        (Some(origin), Some(c)) => Ok(ExportRequest::from_saved(
            c,
            &app.editor.apply_to(&origin.saved),
        )),
        (_, c) => {
            let mut r = ExportRequest::from_spec(&app.editor.spec());
            let profile = app.editor.auth.as_ref().and_then(|a| match a {
                crate::model::settings::AuthChoice::Profile(name) => {
                    c?.auth_profile(name).ok().map(|(_, p)| p.clone())
                }
                crate::model::settings::AuthChoice::None => None,
            });
            r.auth = profile;
            Ok(r)
        }
    }
}

/// The shown response's body as text, secrets redacted unless revealed.
fn response_body(app: &App, reveal: bool) -> Result<String, String> {
    let x = app
        .shown
        .and_then(|id| app.history.get(id))
        .ok_or("No response is shown")?;
    let crate::app::exchange::ExchangeState::Done { response, .. } = &x.state else {
        return Err("The shown exchange has no response body".into());
    };
    if let Some(spilled) = &response.spilled {
        return Err(format!(
            "The response body is too large to copy ({}, kept on disk): save it with {} instead",
            crate::model::human_size(spilled.len()),
            app.keymap
                .key(Scope::Response, crate::app::keymap::Action::SaveBody)
        ));
    }
    let text = std::str::from_utf8(&response.body).map_err(|_| {
        format!(
            "The response body is binary: save it with {} instead",
            app.keymap
                .key(Scope::Response, crate::app::keymap::Action::SaveBody)
        )
    })?;
    Ok(if reveal {
        text.to_string()
    } else {
        Redactor::new(x.secrets.0.iter())
            .redact_str(text)
            .into_owned()
    })
}

#[cfg(test)]
#[path = "copy_tests.rs"]
mod tests;
