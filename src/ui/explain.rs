//! The Explain panel beside the response: each item's heading and section, its text wrapped to
//! the panel, and what to do; `J`/`K` scroll it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::app::exchange::Exchange;
use crate::app::hits::HitMap;
use crate::ui::text::wrap;

pub fn draw(frame: &mut Frame, app: &App, x: &Exchange, area: Rect, hits: &mut HitMap) {
    let t = &app.theme;
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(Style::default().fg(t.border))
        .title(Span::styled(" Explain ", Style::default().fg(t.accent)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height == 0 {
        return;
    }
    let width = inner.width as usize - 1;
    let (muted, text) = (Style::default().fg(t.muted), Style::default().fg(t.text));
    let mut lines: Vec<Line> = Vec::new();
    let tries = crate::app::try_it::offered(x, app.wall);
    if !tries.is_empty() {
        lines.push(Line::styled(
            "Try it (press the number)",
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        ));
        for (i, t_it) in tries.iter().enumerate() {
            let mut first = true;
            for l in wrap(&t_it.label, width.saturating_sub(2)) {
                let lead = if first {
                    Span::styled(format!("{} ", i + 1), Style::default().fg(t.info))
                } else {
                    Span::raw("  ")
                };
                first = false;
                lines.push(Line::from(vec![lead, Span::styled(l, text)]));
            }
        }
        lines.push(Line::default());
    }
    for item in crate::app::explain::items(x) {
        let mut heading = vec![Span::styled(
            item.heading,
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        )];
        if !item.reference.is_empty() {
            heading.push(Span::styled(format!("  {}", item.reference), muted));
        }
        lines.push(Line::from(heading));
        lines.extend(
            wrap(&item.text, width)
                .into_iter()
                .map(|l| Line::styled(l, text)),
        );
        if !item.next.is_empty() {
            lines.extend(
                wrap(&format!("→ {}", item.next), width)
                    .into_iter()
                    .map(|l| Line::styled(l, muted)),
            );
        }
        lines.push(Line::default());
    }
    let height = inner.height as usize;
    hits.explain_max_scroll = lines.len().saturating_sub(height);
    let top = app.explain_scroll.min(hits.explain_max_scroll);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width - 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(shown), inner);
}
