//! The Wire tab (each hop's bytes as they crossed the connection), the Timing tab (where the
//! time went, as a waterfall) and the Cache tab (what a cache may do with the response).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::exchange::Exchange;
use crate::app::wire::{
    TimingRow, WireRow, bar, cache_lines, timing_notes, timing_rows, wire_rows,
};
use crate::model::{Side, human_duration};
use crate::ui::text::{styled_slice, wrap};

pub fn draw_wire(frame: &mut Frame, app: &App, x: &Exchange, area: Rect) {
    let t = &app.theme;
    let redactor = x.screen_redactor(app.reveal);
    let width = area.width as usize;
    let lines: Vec<Line> = wire_rows(x)
        .into_iter()
        .skip(app.scroll.top)
        .take(area.height as usize)
        .map(|row| match row {
            WireRow::Title(text) => Line::from(styled_slice(
                &text,
                app.scroll.left,
                width,
                Style::default().fg(t.info).add_modifier(Modifier::BOLD),
            )),
            WireRow::Gap => Line::default(),
            WireRow::Line(line) => {
                let text = match (&redactor, line.field()) {
                    (Some(r), Some((name, value))) => {
                        format!("{name}: {}", r.redact_header(name, value))
                    }
                    (Some(r), None) => r.redact_str(&line.text).into_owned(),
                    (None, _) => line.text.clone(),
                };
                let (marker, style) = match line.side {
                    Side::Sent => (Style::default().fg(t.accent), Style::default().fg(t.text)),
                    Side::Received => (Style::default().fg(t.info), Style::default().fg(t.text)),
                    Side::Note => (Style::default().fg(t.muted), Style::default().fg(t.muted)),
                };
                let mut spans = vec![Span::styled(line.side.marker(), marker)];
                spans.extend(styled_slice(
                    &text,
                    app.scroll.left,
                    width.saturating_sub(2),
                    style,
                ));
                Line::from(spans)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Width of a phase's name column.
const NAME: usize = 18;
/// Width of its duration column.
const TOOK: usize = 9;

pub fn draw_timing(frame: &mut Frame, app: &App, x: &Exchange, area: Rect) {
    let t = &app.theme;
    let Some(response) = x.response() else {
        return;
    };
    let Some(timing) = response.timing else {
        return;
    };
    let width = area.width as usize;
    // The bars take what the name and duration columns leave.
    let bar_width = width.saturating_sub(NAME + TOOK + 2).max(1);
    let notes = timing_notes()
        .into_iter()
        .map(|n| TimingRow::Text(n.to_string()));
    let lines: Vec<Line> = timing_rows(&timing, &response.version)
        .into_iter()
        .chain(std::iter::once(TimingRow::Gap))
        .chain(notes)
        .skip(app.scroll.top)
        .take(area.height as usize)
        .map(|row| match row {
            TimingRow::Text(text) => Line::from(styled_slice(
                &text,
                app.scroll.left,
                width,
                Style::default().fg(t.text),
            )),
            TimingRow::Gap => Line::default(),
            TimingRow::Phase {
                name,
                took,
                from,
                to,
            } => {
                let (start, len) = bar(from, to, bar_width);
                Line::from(vec![
                    Span::styled(format!("{name:<NAME$}"), Style::default().fg(t.accent)),
                    Span::styled(
                        format!("{:>w$}  ", human_duration(took), w = TOOK),
                        Style::default().fg(t.text),
                    ),
                    Span::raw(" ".repeat(start)),
                    Span::styled("█".repeat(len), Style::default().fg(t.info)),
                ])
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Draws the Cache tab wrapped to the pane; returns how many lines it has.
pub fn draw_cache(frame: &mut Frame, app: &App, x: &Exchange, area: Rect) -> usize {
    let t = &app.theme;
    let width = area.width as usize;
    let mut wrapped: Vec<(String, Style)> = Vec::new();
    for text in cache_lines(x, app.wall) {
        // Headings (no indent) stand out from their explanations (indented, and wrapped so).
        let indent = text.len() - text.trim_start().len();
        let style = if indent == 0 {
            Style::default().fg(t.accent)
        } else {
            Style::default().fg(t.text)
        };
        if text.is_empty() {
            wrapped.push((text, style));
            continue;
        }
        for line in wrap(text.trim_start(), width.saturating_sub(indent)) {
            wrapped.push((format!("{}{line}", " ".repeat(indent)), style));
        }
    }
    let count = wrapped.len();
    let lines: Vec<Line> = wrapped
        .into_iter()
        .skip(app.scroll.top)
        .take(area.height as usize)
        .map(|(text, style)| Line::styled(text, style))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
    count
}
