//! Drawing: pure functions over `&App`, one file per pane. Nothing here changes state.

pub mod collections;
pub mod cookies;
pub mod editor;
pub mod footer;
pub mod history;
pub mod layout;
pub mod overlay;
pub mod pages;
pub mod response;

use layout::Areas;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::app::{App, Pane};

/// Braille spinner frames, advanced by `Msg::Tick` while a request is in flight.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = Areas::new(frame.area());
    if areas.collections.width > 0 {
        collections::draw(frame, app, areas.collections);
        history::draw(frame, app, areas.history);
    }
    editor::draw(frame, app, areas.editor);
    response::draw(frame, app, areas.response);
    footer::draw(frame, app, areas.footer);
    overlay::draw(frame, app);
}

/// Draws a pane's frame (rounded border and title, highlighted when it has the focus) and
/// returns the area inside it.
pub fn framed(frame: &mut Frame, app: &App, pane: Pane, label: String, area: Rect) -> Rect {
    let focused = app.focus == pane;
    let (border, title) = if focused {
        (
            app.theme.border_focused,
            Style::default()
                .fg(app.theme.border_focused)
                .add_modifier(Modifier::BOLD),
        )
    } else {
        (app.theme.border, Style::default().fg(app.theme.accent))
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(border))
        .title(Span::styled(format!(" {label} "), title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The style of a list's selected row: highlighted, and bold while its pane has the focus.
pub fn selected_row(app: &App, pane: Pane) -> Style {
    let style = Style::default().bg(app.theme.selection_bg);
    if app.focus == pane {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

/// A row of tab labels, the current one reversed: ` Body │ Headers │ Raw `.
pub fn tab_bar<'a>(app: &App, labels: &[String], current: usize, active: bool) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", Style::default().fg(app.theme.border)));
        }
        let style = if i == current {
            let s = Style::default()
                .fg(app.theme.border_focused)
                .add_modifier(Modifier::BOLD);
            if active {
                s.add_modifier(Modifier::REVERSED)
            } else {
                s.add_modifier(Modifier::UNDERLINED)
            }
        } else {
            Style::default().fg(app.theme.muted)
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    Line::from(spans)
}

/// Which label of a [`tab_bar`] of `labels` is drawn at `offset` cells from its start: how
/// clicks find the tab, with the same layout the bar is drawn with.
pub fn tab_at(labels: &[String], offset: u16) -> Option<usize> {
    let mut x = 0usize;
    for (i, label) in labels.iter().enumerate() {
        // ` label ` plus the `│` before every tab but the first.
        let w = label.chars().count() + 2 + usize::from(i > 0);
        if (offset as usize) < x + w {
            return Some(i);
        }
        x += w;
    }
    None
}

/// Keeps `cursor` (in chars) visible in a field `width` wide: the first char to show.
pub fn scroll_to_cursor(cursor: usize, width: usize) -> usize {
    if width == 0 {
        return 0;
    }
    cursor.saturating_sub(width.saturating_sub(1))
}

/// `text` from char `start`, at most `width` chars.
pub fn slice_chars(text: &str, start: usize, width: usize) -> String {
    text.chars().skip(start).take(width).collect()
}

/// Spans cut to the chars [start, start + width), styles kept.
pub fn slice_spans(line: &Line<'_>, start: usize, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let end = start + width;
    for span in &line.spans {
        if pos >= end {
            break;
        }
        let len = span.content.chars().count();
        if pos + len > start {
            let from = start.saturating_sub(pos);
            let take = (end - pos).min(len) - from;
            let text: String = span.content.chars().skip(from).take(take).collect();
            out.push(Span::styled(text, span.style));
        }
        pos += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use ratatui::style::Color;

    use super::*;

    #[test]
    fn slicing_spans_keeps_styles_and_respects_bounds() {
        let line = Line::from(vec![
            Span::styled("abc", Style::default().fg(Color::Red)),
            Span::styled("défg", Style::default().fg(Color::Blue)),
        ]);
        let cut = slice_spans(&line, 2, 3);
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].content, "c");
        assert_eq!(cut[0].style.fg, Some(Color::Red));
        assert_eq!(cut[1].content, "dé");
        assert!(slice_spans(&line, 50, 10).is_empty());
        assert_eq!(scroll_to_cursor(5, 10), 0);
        assert_eq!(scroll_to_cursor(25, 10), 16);
    }
}

#[cfg(test)]
mod pane_tests;
