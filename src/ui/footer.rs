//! The footer: the latest notice on the first row, key hints for the focused context on the second.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::update::footer_hints;
use crate::app::{App, Notice};
use crate::ui::text;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let notice = match &app.notice {
        Some(Notice::Info(text)) => Line::styled(format!(" {text}"), Style::default().fg(t.info)),
        Some(Notice::Error(text)) => {
            Line::styled(format!(" ✗ {text}"), Style::default().fg(t.error))
        }
        None => Line::default(),
    };
    let mut notice = notice;
    // While the request's collection turns certificate checks off, say so, always.
    if let Some(c) = app
        .scope_file()
        .and_then(|f| app.tree.collection(f))
        .filter(|c| c.connection.insecure)
    {
        notice.spans.insert(
            0,
            Span::styled(
                format!(
                    " ⚠ TLS certificates are not checked (insecure = true in {}) ",
                    c.name
                ),
                Style::default()
                    .fg(t.error)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ),
        );
    }
    frame.render_widget(Paragraph::new(notice), Rect { height: 1, ..area });
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
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}
