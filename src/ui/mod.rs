//! Drawing: pure functions over `&App`, one file per pane. Nothing here changes state; what was
//! drawn where is returned as a [`HitMap`] for `update` to map clicks with.

pub mod collections;
pub mod cookies;
pub mod editor;
pub mod footer;
pub mod history;
pub mod layout;
pub mod overlay;
pub mod pages;
pub mod response;
pub mod text;

use layout::Areas;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::app::hits::HitMap;
use crate::app::{App, Pane};

/// Braille spinner frames, advanced by `Msg::Tick` while a request is in flight.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Draws the whole screen and returns where things went.
pub fn draw(frame: &mut Frame, app: &App) -> HitMap {
    let mut hits = HitMap::default();
    let areas = Areas::new(frame.area());
    if areas.collections.width > 0 {
        hits.panes.push((Pane::Collections, areas.collections));
        collections::draw(frame, app, areas.collections, &mut hits);
        hits.panes.push((Pane::History, areas.history));
        history::draw(frame, app, areas.history, &mut hits);
    }
    hits.panes.push((Pane::Editor, areas.editor));
    editor::draw(frame, app, areas.editor, &mut hits);
    hits.panes.push((Pane::Response, areas.response));
    response::draw(frame, app, areas.response, &mut hits);
    footer::draw(frame, app, areas.footer);
    overlay::draw(frame, app, &mut hits);
    hits
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

/// Where each label of a [`tab_bar`] of `labels` drawn in `area` is: the rectangles a click on
/// a tab is matched with, from the same widths the bar is drawn with.
pub fn tab_rects(area: Rect, labels: &[String]) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut x = area.x;
    for (i, label) in labels.iter().enumerate() {
        // ` label ` plus the `│` before every tab but the first.
        let w = u16::try_from(text::width(label) + 2 + usize::from(i > 0)).unwrap_or(u16::MAX);
        let start = x.min(area.right());
        let end = x.saturating_add(w).min(area.right());
        out.push(Rect::new(start, area.y, end - start, 1));
        x = x.saturating_add(w);
    }
    out
}

#[cfg(test)]
mod pane_tests;
