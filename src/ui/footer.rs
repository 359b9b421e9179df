//! The footer: the latest notice on the first row (on up to [`MAX_NOTICE_ROWS`] when it is
//! longer: a message is read whole), key hints for the focused context on the last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::update::footer_hints;
use crate::app::{App, Notice};
use crate::ui::text;

/// Rows a notice may take at most; past them it is cut with a `…`.
pub const MAX_NOTICE_ROWS: usize = 3;

/// The notice's rows for a terminal `width` wide: one, or the notice wrapped onto up to
/// [`MAX_NOTICE_ROWS`] when it is longer than a row.
pub fn notice_rows(app: &App, width: u16) -> Vec<Line<'static>> {
    let t = &app.theme;
    let (text, style) = match &app.notice {
        Some(Notice::Info(text)) => (format!(" {text}"), Style::default().fg(t.info)),
        Some(Notice::Error(text)) => (format!(" ✗ {text}"), Style::default().fg(t.error)),
        None => (String::new(), Style::default()),
    };
    // While the request's collection turns certificate checks off, say so, always.
    let banner = app
        .scope_file()
        .and_then(|f| app.tree.collection(f))
        .filter(|c| c.connection.insecure)
        .map(|c| {
            Span::styled(
                format!(
                    " ⚠ TLS certificates are not checked (insecure = true in {}) ",
                    c.name
                ),
                Style::default()
                    .fg(t.error)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            )
        });
    let width = usize::from(width);
    let banner_width = banner.as_ref().map_or(0, |b| text::width(&b.content));
    if banner_width + text::width(&text) <= width || width < 2 {
        let mut row = Line::styled(text, style);
        row.spans.splice(0..0, banner);
        return vec![row];
    }
    let mut rows: Vec<Line<'static>> = banner.map(Line::from).into_iter().collect();
    let mut wrapped = text::wrap(&text, width - 1);
    let room = MAX_NOTICE_ROWS.saturating_sub(rows.len()).max(1);
    if wrapped.len() > room {
        let last = wrapped[room - 1..].join(" ");
        wrapped.truncate(room - 1);
        wrapped.push(text::fit(&last, width - 1));
    }
    rows.extend(
        wrapped
            .into_iter()
            .map(|row| Line::styled(format!(" {row}"), style)),
    );
    rows
}

/// Draws the notice's `rows` (from [`notice_rows`]) and, on the last row of `area`, the hints.
pub fn draw(frame: &mut Frame, app: &App, rows: Vec<Line<'static>>, area: Rect) {
    let t = &app.theme;
    let notice_height = area.height.saturating_sub(1).max(1);
    frame.render_widget(
        Paragraph::new(rows),
        Rect {
            height: notice_height,
            ..area
        },
    );
    if area.height < 2 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let width = area.width as usize;
    let mut used = 1;
    for (key, what) in footer_hints(app) {
        // `key what`, then three spaces that may fall off the edge.
        let piece = text::width(&key) + 1 + text::width(what);
        if used + piece > width {
            break;
        }
        used += piece + 3;
        spans.push(Span::styled(
            key,
            Style::default()
                .fg(t.border_focused)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(
            format!(" {what}   "),
            Style::default().fg(t.muted),
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        },
    );
}
