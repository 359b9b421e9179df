//! The Body tab with a picture, on a TestBackend: the summary above it, then half-block cells
//! in the picture's colours.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::app::picture::tests::{DISC, encoded_for, frame, png, showing_picture};
use crate::app::{Msg, update};

#[test]
fn the_body_tab_shows_the_summary_and_the_picture_in_half_blocks() {
    let mut app = showing_picture(png());
    let hits = frame(&app);
    let effects = update(&mut app, Msg::Drawn(Box::new(hits)));
    let key = effects
        .iter()
        .find_map(|e| match e {
            crate::app::Effect::EncodePicture { key, .. } => Some(*key),
            _ => None,
        })
        .expect("asked for the picture");
    // Before it is encoded: a line says it is coming.
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| _ = crate::ui::draw(f, &app)).unwrap();
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("Drawing the picture…"), "{text}");

    update(
        &mut app,
        Msg::PictureEncoded {
            key,
            result: Ok(encoded_for(key)),
        },
    );
    terminal.draw(|f| _ = crate::ui::draw(f, &app)).unwrap();
    let buf = terminal.backend().buffer();
    let text = screen(buf);
    assert!(text.contains("ⓘ PNG image · 64 × 48 · RGBA · "), "{text}");
    assert!(!text.contains("Drawing the picture"), "{text}");
    assert!(!text.contains("00000000"), "no hex view: {text}");
    // The picture's area, as the frame gave it: half blocks in its colours.
    let (_, area) = app.hits.picture.unwrap();
    let disc = Color::Rgb(DISC.0, DISC.1, DISC.2);
    let (mut cells, mut halves, mut disc_cells) = (0, 0, 0);
    for y in area.y..area.y + area.height {
        for x in area.x..area.x + area.width {
            let cell = &buf[(x, y)];
            // Each cell is two pixels: the upper one in one colour and the lower one in the other
            // (▀ or ▄), or a space in the background colour when both are the same.
            if let Color::Rgb(..) = cell.bg {
                cells += 1;
                assert!(matches!(cell.fg, Color::Rgb(..)), "{:?}", cell.fg);
                assert!(
                    ["▀", "▄", " "].contains(&cell.symbol()),
                    "{}",
                    cell.symbol()
                );
                halves += usize::from(cell.symbol() != " ");
                disc_cells += usize::from(cell.bg == disc && cell.fg == disc);
            }
        }
    }
    // 64 × 48 pixels fit as 64 × 24 half blocks, shrunk to the pane's height.
    let size = encoded_for(key).0.size();
    assert!(size.height <= area.height && size.width <= area.width);
    assert_eq!(cells, usize::from(size.width) * usize::from(size.height));
    assert!(halves > 100, "a gradient has two colours a cell: {halves}");
    assert!(
        disc_cells > 20,
        "the disc is drawn in its colour: {disc_cells}"
    );
    // Nothing is drawn outside the area.
    let below = area.y + area.height;
    if below < buf.area.height {
        assert!(!matches!(buf[(area.x, below)].bg, Color::Rgb(..)));
    }
}

fn screen(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
