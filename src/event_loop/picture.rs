//! Pictures for the terminal: guessing, once at startup, how it draws them (kitty, sixel or
//! iTerm2 graphics, else coloured half blocks) from the environment, and decoding and encoding a
//! picture body for it (CPU work, run off the UI thread for `Effect::EncodePicture`).
//!
//! The terminal is not asked: its answer comes on stdin, which the event loop reads, and a
//! terminal that does not answer (tmux, for one) would hold the first frame up for two seconds.

use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::{FilterType, Resize};

use crate::app::picture::{Encoded, Graphics, Key};
use crate::highlight::picture::{Kind, decode};

/// How this terminal draws pictures, from the environment: `SCOUT_GRAPHICS` (`kitty`, `sixel`,
/// `iterm2`, `halfblocks`) if set; else kitty's protocol in kitty and Ghostty, iTerm2's in
/// iTerm2, WezTerm and the others that speak it; else half blocks (tmux included: it passes
/// graphics through only when told to). The cell size comes from the terminal's window size in
/// pixels where it reports one (an ioctl, not a query).
pub fn guess_graphics() -> Graphics {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let term_program = var("TERM_PROGRAM");
    let in_tmux = !var("TMUX").is_empty() || var("TERM").starts_with("tmux");
    let protocol = match var("SCOUT_GRAPHICS").to_ascii_lowercase().as_str() {
        "kitty" => ProtocolType::Kitty,
        "sixel" => ProtocolType::Sixel,
        "iterm2" => ProtocolType::Iterm2,
        "halfblocks" => ProtocolType::Halfblocks,
        _ if in_tmux => ProtocolType::Halfblocks,
        _ if var("TERM").contains("kitty") || term_program.contains("ghostty") => {
            ProtocolType::Kitty
        }
        _ if [
            "iTerm",
            "WezTerm",
            "mintty",
            "vscode",
            "rio",
            "WarpTerminal",
        ]
        .iter()
        .any(|t| term_program.contains(t))
            || var("LC_TERMINAL").contains("iTerm") =>
        {
            ProtocolType::Iterm2
        }
        _ => ProtocolType::Halfblocks,
    };
    let font = ratatui::crossterm::terminal::window_size()
        .ok()
        .filter(|w| w.width > 0 && w.height > 0 && w.columns > 0 && w.rows > 0)
        .map_or((10, 20), |w| (w.width / w.columns, w.height / w.rows));
    Graphics { protocol, font }
}

/// The picker for `graphics`, made once (off the UI thread: under tmux, making one runs `tmux
/// set` so that escape codes pass through).
fn picker(graphics: Graphics) -> Picker {
    static PICKER: std::sync::OnceLock<Picker> = std::sync::OnceLock::new();
    let mut picker = PICKER
        .get_or_init(|| {
            // The font size is known here (from the window size), so no query is needed.
            #[allow(deprecated)]
            Picker::from_fontsize(ratatui_image::FontSize::new(
                graphics.font.0,
                graphics.font.1,
            ))
        })
        .clone();
    picker.set_protocol_type(graphics.protocol);
    picker
}

/// Decodes `body` (a `kind` picture) and encodes it with `picker` to fit `key`'s area: a
/// graphics protocol draws it at its own size, or smaller to fit; half blocks (two pixels a
/// cell) as large as its pixels allow, to fit. The error says why it does not decode.
pub fn encode(body: &[u8], kind: Kind, graphics: Graphics, key: Key) -> Result<Encoded, String> {
    let picker = picker(graphics);
    let image = decode(body, kind)?;
    let area = Size::new(key.width, key.height);
    // Triangle: smooth when shrinking a photo, and cheap.
    let filter = Some(FilterType::Triangle);
    let (size, resize) = match picker.protocol_type() {
        ProtocolType::Halfblocks => (
            half_block_cells(image.width(), image.height(), area),
            Resize::Scale(filter),
        ),
        _ => (area, Resize::Fit(filter)),
    };
    picker
        .new_protocol(image, size, resize)
        .map(|protocol| Encoded(std::sync::Arc::new(protocol)))
        .map_err(|e| format!("it could not be encoded for the terminal: {e}"))
}

/// The cells a `width` × `height` picture takes in half blocks (one pixel wide, two tall a
/// cell), shrunk to fit `area` with its proportions kept.
fn half_block_cells(width: u32, height: u32, area: Size) -> Size {
    let natural = (f64::from(width), (f64::from(height) / 2.0).ceil().max(1.0));
    let scale = (f64::from(area.width) / natural.0)
        .min(f64::from(area.height) / natural.1)
        .min(1.0);
    let cells = |n: f64, most: u16| ((n * scale).round() as u16).clamp(1, most.max(1));
    Size::new(cells(natural.0, area.width), cells(natural.1, area.height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_take_a_cell_per_pixel_across_and_two_down_shrunk_to_fit() {
        assert_eq!(
            half_block_cells(64, 48, Size::new(100, 40)),
            Size::new(64, 24)
        );
        // Too tall: the height limits, the proportions stay.
        assert_eq!(
            half_block_cells(64, 48, Size::new(100, 12)),
            Size::new(32, 12)
        );
        assert_eq!(
            half_block_cells(4000, 10, Size::new(80, 20)),
            Size::new(80, 1)
        );
        assert_eq!(half_block_cells(1, 1, Size::new(80, 20)), Size::new(1, 1));
    }
}
