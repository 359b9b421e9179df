//! Drawing: pure functions over `&App`, one file per pane. Nothing here changes state; what was
//! drawn where is returned as a [`HitMap`] for `update` to map clicks with.

pub mod body;
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
pub mod palette;
pub mod picture;
pub mod response;
pub mod runner;
pub mod spilled;
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
    if app.theme.background != ratatui::style::Color::Reset {
        let area = frame.area();
        frame
            .buffer_mut()
            .set_style(area, Style::default().bg(app.theme.background));
    }
    let notice = footer::notice_rows(app, frame.area().width);
    let areas = Areas::with_footer(
        frame.area(),
        app.focus,
        app.lower_pane(),
        app.panes,
        notice.len() as u16 + 1,
    );
    for (pane, area) in areas.panes.iter().copied() {
        hits.panes.push((pane, area));
        match pane {
            Pane::Collections => collections::draw(frame, app, area, &mut hits),
            Pane::History => history::draw(frame, app, area, &mut hits),
            Pane::Runner => runner::draw(frame, app, area, &mut hits),
            Pane::Editor => editor::draw(frame, app, area, &mut hits),
            Pane::Response => response::draw(frame, app, area, &mut hits),
        }
    }
    footer::draw(frame, app, notice, areas.footer);
    overlay::draw(frame, app, &mut hits);
    if app.theme.plain {
        without_colours(frame.buffer_mut());
    }
    hits
}

/// `NO_COLOR`: the frame keeps its attributes (bold, reverse video, underline) and loses every
/// colour, the highlighted body's included. scout strips them itself: crossterm's own NO_COLOR
/// handling writes an empty SGR for each colour, which resets the attributes set before it.
fn without_colours(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        cell.fg = ratatui::style::Color::Reset;
        cell.bg = ratatui::style::Color::Reset;
    }
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
        .border_type(if focused && app.theme.plain {
            BorderType::Double
        } else {
            BorderType::Rounded
        })
        .border_style(Style::default().fg(border))
        // A title longer than the border ends in `…` (the corners and a space each side stay).
        .title(Span::styled(
            format!(
                " {} ",
                text::fit(&label, usize::from(area.width).saturating_sub(4))
            ),
            title,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The cells a list row has: one less under `NO_COLOR`, where [`list_row`] puts its marker.
pub fn row_width(app: &App, width: usize) -> usize {
    if app.theme.plain {
        width.saturating_sub(1)
    } else {
        width
    }
}

/// A list's row as shown: the selected one highlighted ([`selected_row`]), and under
/// `NO_COLOR` marked with `›` in a column of its own (built [`row_width`] wide, so the marker
/// never covers text).
pub fn list_row<'a>(app: &App, pane: Pane, line: Line<'a>, selected: bool) -> Line<'a> {
    let mut line = line;
    if app.theme.plain {
        let marker = if selected { "›" } else { " " };
        line.spans.insert(0, Span::raw(marker));
    }
    if selected {
        line = line.style(selected_row(app, pane));
    }
    line
}

/// The style of a list's selected row: highlighted, and bold while its pane has the focus.
pub fn selected_row(app: &App, pane: Pane) -> Style {
    let style = if app.theme.plain {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default().bg(app.theme.selection_bg)
    };
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
    let widths: Vec<u16> = labels
        .iter()
        .map(|l| u16::try_from(text::width(l) + 2).unwrap_or(u16::MAX))
        .collect();
    let (first, last) = visible_tabs(&widths, current, area.width);
    let muted = Style::default().fg(app.theme.muted);
    let mut spans = Vec::new();
    // A tab that does not fit has no place to click.
    let mut rects = vec![Rect::new(area.x, area.y, 0, 1); labels.len()];
    let mut x = area.x;
    if first > 0 {
        spans.push(Span::styled("‹", muted));
        x += 1;
    }
    for i in first..=last.min(labels.len().saturating_sub(1)) {
        if labels.is_empty() {
            break;
        }
        if i > first {
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
            muted
        };
        let start = x.min(area.right());
        x = x.saturating_add(widths[i]);
        spans.push(Span::styled(format!(" {} ", labels[i]), style));
        rects[i] = Rect::new(start, area.y, x.min(area.right()) - start, 1);
    }
    if last + 1 < labels.len() {
        spans.push(Span::styled("›", muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    rects
}

/// The tabs shown when not all fit in `room` cells: a run around `current` (as many as fit,
/// the later ones first), with a cell kept for each `‹`/`›` that says more are hidden.
fn visible_tabs(widths: &[u16], current: usize, room: u16) -> (usize, usize) {
    let n = widths.len();
    if n == 0 {
        return (0, 0);
    }
    let current = current.min(n - 1);
    let span = |a: usize, b: usize| -> u32 {
        let tabs: u32 = widths[a..=b].iter().map(|w| u32::from(*w)).sum();
        let separators = (b - a) as u32;
        let markers = u32::from(a > 0) + u32::from(b + 1 < n);
        tabs + separators + markers
    };
    let room = u32::from(room);
    let (mut a, mut b) = (current, current);
    loop {
        let grown_right = b + 1 < n && span(a, b + 1) <= room;
        if grown_right {
            b += 1;
            continue;
        }
        if a > 0 && span(a - 1, b) <= room {
            a -= 1;
            continue;
        }
        break;
    }
    (a, b)
}

#[cfg(test)]
mod tab_tests {
    use super::visible_tabs;

    #[test]
    fn tabs_that_do_not_fit_scroll_to_keep_the_current_one() {
        let widths = [6, 9, 5, 9, 6, 8, 7, 9];
        // All of them fit: all shown.
        assert_eq!(visible_tabs(&widths, 0, 200), (0, 7));
        // Narrow: from the current one on, with a › for the rest.
        let (a, b) = visible_tabs(&widths, 0, 30);
        assert_eq!(a, 0);
        assert!(b < 7);
        // The last one selected: it shows, with a ‹ for those before.
        let (a, b) = visible_tabs(&widths, 7, 30);
        assert_eq!(b, 7);
        assert!(a > 0);
        // Not even the current one fits: it still shows (cut by the pane).
        assert_eq!(visible_tabs(&widths, 3, 4), (3, 3));
    }
}

#[cfg(test)]
mod pane_tests;
#[cfg(test)]
mod readme_tests;
#[cfg(test)]
mod size_tests;
