//! A picture in the Body tab: below its summary (one of the body's notices), the picture as
//! encoded for this terminal, or a line saying it is on its way. Records the area it was given,
//! which is the size `update` has it encoded for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui_image::Image;

use crate::app::App;
use crate::app::hits::HitMap;
use crate::app::picture::Encoded;
use crate::http::job::RequestId;

/// Draws exchange `id`'s picture (`encoded`, when it is ready) in `area`. Returns the rows it
/// takes, which scrolling stops at.
pub fn draw(
    frame: &mut Frame,
    app: &App,
    id: RequestId,
    encoded: Option<&Encoded>,
    area: Rect,
    hits: &mut HitMap,
) -> u16 {
    hits.picture = Some((id, area));
    // An encoding for a larger area (the pane shrank) waits for the one for this size.
    let ready = encoded.filter(|e| {
        let size = e.0.size();
        size.width <= area.width && size.height <= area.height
    });
    match ready {
        Some(e) => frame.render_widget(Image::new(&e.0), area),
        None => frame.render_widget(
            Paragraph::new(Line::styled(
                "Drawing the picture…",
                Style::default().fg(app.theme.muted),
            )),
            area,
        ),
    }
    area.height
}

/// Why the picture is shown as bytes: a warning when the body is at fault (it does not decode),
/// news otherwise (too large, `NO_COLOR`, cut short).
pub fn note(app: &App, why: &str, warning: bool) -> Line<'static> {
    let t = &app.theme;
    if warning {
        Line::styled(format!("⚠ {why}"), Style::default().fg(t.warning))
    } else {
        Line::styled(format!("ⓘ {why}"), Style::default().fg(t.info))
    }
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
