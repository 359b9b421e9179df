//! The Requests pane: ready-made requests (the demo API's tour) to open in the editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Pane};
use crate::ui::{pane_block, title};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let block = pane_block(
        app,
        Pane::Requests,
        title(app, Pane::Requests, "Requests".into()),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let first = app.sample_selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = app
        .samples
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, s)| {
            let mut line = Line::from(vec![
                Span::styled(
                    format!("{:<7} ", s.spec.method.as_str()),
                    Style::default().fg(app.theme.method(s.spec.method)),
                ),
                Span::styled(s.name.clone(), Style::default().fg(app.theme.text)),
            ]);
            if i == app.sample_selected {
                let mut style = Style::default().bg(app.theme.selection_bg);
                if app.focus == Pane::Requests {
                    style = style.add_modifier(Modifier::BOLD);
                }
                line = line.style(style);
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
