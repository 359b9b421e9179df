//! Pictures end to end: the real event loop on a TestBackend (half blocks, as in any terminal
//! without a graphics protocol) fetching `/image/png` and `/image/broken` from the demo API on
//! 127.0.0.1, and `scout send` passing a picture through byte for byte when piped.

mod support;
mod tui_harness;

use std::time::{Duration, Instant};

use ratatui::style::Color;
use scout::demo::DemoServer;
use scout::model::Timeouts;
use support::cli::{Demo, scout};
use tui_harness::{Harness, WAIT, find, screen_text, spec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_png_is_summarised_and_drawn_in_half_blocks() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    h.send_url(&format!("{}/image/png", demo.base_url()));
    let buf = h.wait_for("ⓘ PNG image · 64 × 48 · RGBA · ", WAIT).await;
    let (_, summary_row) = find(&buf, "ⓘ PNG image").unwrap();
    // The picture arrives from a background job: wait until cells under the summary are
    // painted in its colours (the disc in its middle is yellow).
    let deadline = Instant::now() + WAIT;
    loop {
        let buf = h.buffer();
        let painted = (summary_row + 1..buf.area.height)
            .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
            .filter(|&(x, y)| buf[(x, y)].bg == Color::Rgb(250, 200, 40))
            .count();
        if painted > 20 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the picture was never drawn:\n{}",
            screen_text(&buf)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let text = h.text();
    assert!(!text.contains("00000000"), "no hex view:\n{text}");
    assert!(!text.contains("Drawing the picture"), "{text}");
    let app = h.quit().await;
    assert!(app.pictures.encoded.is_some(), "one picture is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_png_that_does_not_decode_falls_back_to_the_hex_view() {
    let demo = DemoServer::start(0).unwrap();
    let h = Harness::start(spec(""), Timeouts::default());
    // Cut off after its header: the summary reads, the pixels do not.
    h.send_url(&format!("{}/image/broken", demo.base_url()));
    let buf = h
        .wait_for(
            "⚠ The body is labelled image/png but does not decode as one (",
            WAIT,
        )
        .await;
    let text = screen_text(&buf);
    assert!(text.contains("ⓘ PNG image · 64 × 48"), "{text}");
    let buf = h.wait_for("00000000  89 50 4e 47 0d 0a 1a 0a", WAIT).await;
    assert!(
        !screen_text(&buf).contains("Drawing the picture"),
        "{}",
        screen_text(&buf)
    );
    // Then a good picture still draws: the failure belonged to that exchange.
    h.send_url(&format!("{}/image/png", demo.base_url()));
    h.wait_gone("does not decode", WAIT).await;
    h.wait_gone("Drawing the picture", WAIT).await;
    let app = h.quit().await;
    assert!(app.pictures.failed.is_none());
}

#[test]
fn scout_send_pipes_a_picture_through_byte_for_byte() {
    let demo = Demo::start();
    let expected = demo.fetch("/image/png");
    assert!(expected.starts_with(b"\x89PNG\r\n\x1a\n"));
    let ran = scout(&["send", &demo.url("/image/png")]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout, expected);
}
