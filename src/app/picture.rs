//! The shown picture: a response whose body is a picture is drawn in the Body tab, encoded for
//! the terminal off the UI thread (`Effect::EncodePicture` → `Msg::PictureEncoded`) for the
//! exchange shown and the size of the area the last frame gave it; a result for another
//! exchange or size is stale. One encoded picture is kept, the shown exchange's: memory stays
//! bounded whatever the history holds.
//!
//! A picture that is too large, cut short (history keeps the first 1 MB), or does not decode is
//! shown as bytes (the hex view) with why. Under `NO_COLOR`, a terminal that can only draw
//! coloured half blocks gets no picture either (crossterm drops the colours, which would leave
//! blank blocks); a terminal graphics protocol (kitty, sixel, iTerm2) still draws, since a
//! picture is the content, not decoration.

use std::sync::Arc;

use ratatui_image::picker::ProtocolType;
use ratatui_image::protocol::Protocol;

use crate::app::exchange::Exchange;
use crate::app::{App, Effect, ResponseTab};
use crate::highlight::picture::Picture;
use crate::http::job::RequestId;

/// What an encoding is for: an exchange, and the cells of the area it is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub id: RequestId,
    pub width: u16,
    pub height: u16,
}

/// A picture encoded for the terminal (half blocks, or a graphics protocol's escape codes).
#[derive(Clone)]
pub struct Encoded(pub Arc<Protocol>);

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.0.size();
        write!(f, "Encoded({} × {} cells)", size.width, size.height)
    }
}

/// How the terminal draws pictures: guessed once at startup from the environment (nothing is
/// asked of the terminal: an answer read from stdin would hold up the first frame, for two
/// seconds where none comes, as under tmux); `SCOUT_GRAPHICS` says it outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graphics {
    pub protocol: ProtocolType,
    /// A cell's size in pixels (width, height).
    pub font: (u16, u16),
}

impl Default for Graphics {
    /// Half blocks with a 10 × 20 font: what every terminal can show (and what tests use).
    fn default() -> Graphics {
        Graphics {
            protocol: ProtocolType::Halfblocks,
            font: (10, 20),
        }
    }
}

/// The terminal's way of drawing pictures, and the one picture encoded with it.
#[derive(Debug, Default)]
pub struct Pictures {
    pub graphics: Graphics,
    /// The shown exchange's picture, encoded for `Key`'s area.
    pub encoded: Option<(Key, Encoded)>,
    /// The encoding under way.
    pub asked: Option<Key>,
    /// The shown exchange's picture did not decode: why.
    pub failed: Option<(RequestId, String)>,
}

/// What the Body tab does with a picture.
#[derive(Debug)]
pub enum Showing<'a> {
    /// Draws it: the encoding for the exchange, once there is one (it may be for an older size).
    Draw(Option<&'a Encoded>),
    /// Shows the bytes instead (the hex view), saying why; `warning`: something is wrong with
    /// the body, rather than with drawing it here.
    Bytes { why: String, warning: bool },
}

/// What the Body tab does with `x`'s body when it is a picture: `None` when it is not one, or
/// when a filter's result or a comparison shows in its place.
pub fn showing<'a>(app: &'a App, x: &'a Exchange) -> Option<(&'a Picture, Showing<'a>)> {
    let view = x.view()?;
    let doc = view.doc.as_ref()?;
    if !x.body_doc().is_some_and(|shown| Arc::ptr_eq(shown, doc)) {
        return None;
    }
    let picture = doc.picture()?;
    let p = &app.pictures;
    let bytes = |why: String, warning: bool| Some((picture, Showing::Bytes { why, warning }));
    if let Some(why) = picture.too_large() {
        return bytes(why, false);
    }
    if view.truncated.is_some() {
        return bytes(
            "Only the first part of the body is kept: the picture is not drawn".into(),
            false,
        );
    }
    if let Some((_, reason)) = p.failed.as_ref().filter(|(id, _)| *id == x.id) {
        return bytes(picture.undecodable(reason), true);
    }
    if app.theme.plain && p.graphics.protocol == ProtocolType::Halfblocks {
        return bytes(
            "NO_COLOR is set, and this terminal draws pictures only in coloured half blocks: \
             the picture is not drawn"
                .into(),
            false,
        );
    }
    let encoded = p
        .encoded
        .as_ref()
        .filter(|(key, _)| key.id == x.id)
        .map(|(_, e)| e);
    Some((picture, Showing::Draw(encoded)))
}

/// After every message: keeps only the shown exchange's picture, and asks for it to be encoded
/// when the Body tab shows it at a size it is not encoded for.
pub fn sync(app: &mut App) -> Vec<Effect> {
    let shown = app.shown;
    let p = &mut app.pictures;
    if p.encoded
        .as_ref()
        .is_some_and(|(key, _)| Some(key.id) != shown)
    {
        p.encoded = None;
    }
    if p.asked.is_some_and(|key| Some(key.id) != shown) {
        p.asked = None;
    }
    if p.failed.as_ref().is_some_and(|(id, _)| Some(*id) != shown) {
        p.failed = None;
    }
    if app.response_tab != ResponseTab::Body {
        return Vec::new();
    }
    // The area the last frame gave this exchange's picture.
    let Some((id, area)) = app.hits.picture.filter(|(id, _)| Some(*id) == shown) else {
        return Vec::new();
    };
    let key = Key {
        id,
        width: area.width,
        height: area.height,
    };
    if key.width == 0 || key.height == 0 {
        return Vec::new();
    }
    let Some(x) = app.shown_exchange() else {
        return Vec::new();
    };
    let Some((picture, Showing::Draw(_))) = showing(app, x) else {
        return Vec::new();
    };
    let p = &app.pictures;
    if p.asked == Some(key) || p.encoded.as_ref().is_some_and(|(k, _)| *k == key) {
        return Vec::new();
    }
    let Some(response) = x.response() else {
        return Vec::new();
    };
    let effect = Effect::EncodePicture {
        key,
        body: response.body.clone(),
        kind: picture.kind,
        graphics: p.graphics,
    };
    app.pictures.asked = Some(key);
    vec![effect]
}

/// An encoding came back: kept if it is the one asked for last (else another exchange or size
/// is shown now, and it is dropped); a picture that does not decode is shown as bytes.
pub fn encoded(app: &mut App, key: Key, result: Result<Encoded, String>) {
    let p = &mut app.pictures;
    if p.asked != Some(key) {
        return;
    }
    p.asked = None;
    match result {
        Ok(encoded) => p.encoded = Some((key, encoded)),
        Err(reason) => {
            p.encoded = None;
            p.failed = Some((key.id, reason));
        }
    }
}

#[cfg(test)]
#[path = "picture_tests.rs"]
pub(crate) mod tests;
