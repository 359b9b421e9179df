//! The Requests pane: ready-made requests (the demo API's tour) to open in the editor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Pane};
use crate::ui::{framed, selected_row};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let inner = framed(frame, app, Pane::Requests, "Requests".into(), area);
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
                line = line.style(selected_row(app, Pane::Requests));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
