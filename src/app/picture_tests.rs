//! `update` tests for the shown picture: asked for once per exchange and size, stale results
//! dropped, a decode failure shown as bytes, one picture kept.

use std::sync::Arc;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::app::hits::HitMap;
use crate::app::testing::answered_by;
use crate::app::{DocKind, Msg, update};
use crate::highlight::Document;
use crate::highlight::picture::Kind;
use crate::model::ResponseData;

/// A 64 × 48 PNG: a gradient behind a disc of `DISC`.
pub(crate) fn png() -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(64, 48, |x, y| {
        let (dx, dy) = (x as i32 - 32, y as i32 - 24);
        if dx * dx + dy * dy < 15 * 15 {
            image::Rgba([DISC.0, DISC.1, DISC.2, 255])
        } else {
            image::Rgba([(x * 4) as u8, (y * 5) as u8, 160, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG");
    out.into_inner()
}

/// The colour in the middle of [`png`].
pub(crate) const DISC: (u8, u8, u8) = (250, 200, 40);

/// The demo's `json` request answered with `body` labelled `image/png`, prepared as the event
/// loop would, and drawn once (without telling `update`).
pub(crate) fn showing_picture(body: Vec<u8>) -> App {
    let response = ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "image/png".into())],
        body: Bytes::from(body.clone()),
        elapsed: std::time::Duration::from_millis(2),
        redirects: Vec::new(),
        url: "http://127.0.0.1:9/image/png".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let mut app = answered_by("json", response);
    let id = app.shown.expect("a response is shown");
    let doc = Arc::new(Document::from_body(&body, Some("image/png")));
    update(
        &mut app,
        Msg::BodyPrepared {
            id,
            kind: DocKind::Pretty,
            doc,
            revealed: false,
        },
    );
    app
}

/// Draws a frame of `app.size`; returns where things went.
pub(crate) fn frame(app: &App) -> HitMap {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    let mut hits = HitMap::default();
    terminal
        .draw(|f| hits = crate::ui::draw(f, app))
        .expect("a frame");
    hits
}

/// Draws a frame and tells `update`, as the event loop does: the effects that asks for.
fn drawn(app: &mut App) -> Vec<Effect> {
    let hits = frame(app);
    update(app, Msg::Drawn(Box::new(hits)))
}

fn asked(effects: &[Effect]) -> Option<Key> {
    effects.iter().find_map(|e| match e {
        Effect::EncodePicture { key, kind, .. } => {
            assert_eq!(*kind, Kind::Png);
            Some(*key)
        }
        _ => None,
    })
}

/// The picture encoded for `key`, as the worker would.
pub(crate) fn encoded_for(key: Key) -> Encoded {
    crate::event_loop::picture::encode(&png(), Kind::Png, Pictures::default().graphics, key)
        .expect("the PNG encodes")
}

#[test]
fn showing_a_picture_asks_for_it_encoded_for_the_area_drawn() {
    let mut app = showing_picture(png());
    let id = app.shown.unwrap();
    let effects = drawn(&mut app);
    let key = asked(&effects).expect("the picture is asked for");
    let (_, area) = app
        .hits
        .picture
        .expect("the Body tab gave the picture an area");
    assert_eq!(
        key,
        Key {
            id,
            width: area.width,
            height: area.height
        }
    );
    assert_eq!(app.pictures.asked, Some(key));
    // Asked once: further frames of the same size wait for it.
    assert_eq!(asked(&drawn(&mut app)), None);
    assert!(matches!(
        showing(&app, app.shown_exchange().unwrap()),
        Some((_, Showing::Draw(None)))
    ));
    // Half blocks with a fixed font, in tests.
    assert_eq!(app.pictures.graphics.protocol, ProtocolType::Halfblocks);
    assert_eq!(app.pictures.graphics.font, (10, 20));
}

#[test]
fn a_result_for_another_size_or_exchange_is_dropped() {
    let mut app = showing_picture(png());
    let key = asked(&drawn(&mut app)).unwrap();
    let smaller = Key {
        width: key.width - 10,
        ..key
    };
    update(
        &mut app,
        Msg::PictureEncoded {
            key: smaller,
            result: Ok(encoded_for(smaller)),
        },
    );
    assert!(app.pictures.encoded.is_none(), "not the size asked for");
    let other = Key {
        id: key.id + 100,
        ..key
    };
    update(
        &mut app,
        Msg::PictureEncoded {
            key: other,
            result: Err("nope".into()),
        },
    );
    assert!(app.pictures.failed.is_none(), "not the exchange shown");
    assert_eq!(app.pictures.asked, Some(key), "still waiting for it");
    update(
        &mut app,
        Msg::PictureEncoded {
            key,
            result: Ok(encoded_for(key)),
        },
    );
    assert_eq!(app.pictures.encoded.as_ref().map(|(k, _)| *k), Some(key));
    assert_eq!(app.pictures.asked, None);
    assert_eq!(asked(&drawn(&mut app)), None, "encoded for this size");
}

#[test]
fn a_new_pane_size_asks_again_and_keeps_the_old_picture_meanwhile() {
    let mut app = showing_picture(png());
    let key = asked(&drawn(&mut app)).unwrap();
    update(
        &mut app,
        Msg::PictureEncoded {
            key,
            result: Ok(encoded_for(key)),
        },
    );
    update(&mut app, Msg::Resize(100, 30));
    let again = asked(&drawn(&mut app)).expect("asked for the new size");
    assert_eq!(again.id, key.id);
    assert_ne!((again.width, again.height), (key.width, key.height));
    assert!(
        app.pictures.encoded.is_some(),
        "the old one shows until then"
    );
}

#[test]
fn a_picture_that_does_not_decode_is_shown_as_bytes() {
    let mut app = showing_picture(png());
    let key = asked(&drawn(&mut app)).unwrap();
    update(
        &mut app,
        Msg::PictureEncoded {
            key,
            result: Err("unexpected end of file".into()),
        },
    );
    let x = app.shown_exchange().unwrap();
    let Some((_, Showing::Bytes { why, warning })) = showing(&app, x) else {
        panic!("not shown as bytes");
    };
    assert!(warning);
    assert_eq!(
        why,
        "The body is labelled image/png but does not decode as one (unexpected end of file): \
         shown as bytes"
    );
    // Not asked for again, and the frame shows the hex view under the warning.
    assert_eq!(asked(&drawn(&mut app)), None);
    let rows = crate::app::testing::draw(&mut app).join("\n");
    assert!(rows.contains("⚠ The body is labelled image/png"), "{rows}");
    assert!(rows.contains("00000000  89 50 4e 47"), "{rows}");
}

#[test]
fn only_the_shown_exchanges_picture_is_kept() {
    let mut app = showing_picture(png());
    let key = asked(&drawn(&mut app)).unwrap();
    update(
        &mut app,
        Msg::PictureEncoded {
            key,
            result: Ok(encoded_for(key)),
        },
    );
    // Another response shows: the picture goes.
    let other = key.id + 1;
    app.history
        .entries
        .push(crate::app::exchange::Exchange::new(
            other,
            Default::default(),
            crate::app::exchange::ExchangeState::Cancelled {
                after: std::time::Duration::ZERO,
            },
            app.now,
        ));
    crate::app::view::show(&mut app, other);
    update(&mut app, Msg::Tick);
    assert!(app.pictures.encoded.is_none());
    // Back to the picture: asked for again.
    crate::app::view::show(&mut app, key.id);
    assert!(asked(&drawn(&mut app)).is_some());
}

#[test]
fn no_color_with_only_half_blocks_shows_bytes_and_asks_nothing() {
    let mut app = showing_picture(png());
    app.theme.plain = true;
    assert_eq!(asked(&drawn(&mut app)), None);
    let rows = crate::app::testing::draw(&mut app).join("\n");
    assert!(rows.contains("ⓘ PNG image · 64 × 48 · RGBA"), "{rows}");
    assert!(rows.contains("NO_COLOR is set"), "{rows}");
    assert!(rows.contains("00000000  89 50 4e 47"), "{rows}");
}

#[test]
fn a_body_labelled_png_that_is_not_one_never_asks() {
    let mut app = showing_picture(b"<html>not a picture</html>".to_vec());
    assert_eq!(asked(&drawn(&mut app)), None);
    assert!(showing(&app, app.shown_exchange().unwrap()).is_none());
    let rows = crate::app::testing::draw(&mut app).join("\n");
    assert!(
        rows.contains("⚠ The body is labelled image/png but does not decode as one"),
        "{rows}"
    );
}
