//! Drawing: pure functions over `&App`, one file per pane. Nothing here changes state; what was
//! drawn where is returned as a [`HitMap`] for `update` to map clicks with.

pub mod checks;
pub mod collections;
pub mod cookies;
pub mod editor;
pub mod explain;
pub mod footer;
pub mod history;
pub mod layout;
pub mod overlay;
pub mod pages;
pub mod response;
pub mod runner;
pub mod text;
pub mod wire;

use layout::Areas;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

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
        // A run takes the history's place while it is shown.
        if app.runner.is_some() {
            hits.panes.push((Pane::Runner, areas.history));
            runner::draw(frame, app, areas.history, &mut hits);
        } else {
            hits.panes.push((Pane::History, areas.history));
            history::draw(frame, app, areas.history, &mut hits);
        }
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

/// Draws a row of tab labels in `area`, the current one reversed (underlined when the row is
/// not `active`): ` Body │ Headers │ Raw `. Returns where each tab was drawn (its label and the
/// `│` before it), for clicks.
pub fn tab_bar(
    frame: &mut Frame,
    app: &App,
    area: Rect,
    labels: &[String],
    current: usize,
    active: bool,
) -> Vec<Rect> {
    let mut spans = Vec::new();
    let mut rects = Vec::new();
    let mut x = area.x;
    for (i, label) in labels.iter().enumerate() {
        let start = x.min(area.right());
        if i > 0 {
            spans.push(Span::styled("│", Style::default().fg(app.theme.border)));
            x = x.saturating_add(1);
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
        let shown = format!(" {label} ");
        x = x.saturating_add(u16::try_from(text::width(&shown)).unwrap_or(u16::MAX));
        spans.push(Span::styled(shown, style));
        rects.push(Rect::new(start, area.y, x.min(area.right()) - start, 1));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    rects
}

#[cfg(test)]
mod pane_tests;
