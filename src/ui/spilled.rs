//! The Body tab for a body kept on disk: its shown file's lines by row from the top, as read off the
//! UI thread into the view's chunk cache (a line not read yet shows as `…`), with the cursor,
//! the search's matches and wrapping (`w`), as for any body.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::exchange::BodyView;
use crate::app::hits::HitMap;
use crate::app::{App, Pane};
use crate::model::Spilled;
use crate::ui::body::{marked, match_style};
use crate::ui::text::slice_spans;

/// Draws rows from `app.scroll.top`; returns the rows the lines get.
pub fn draw(
    frame: &mut Frame,
    app: &App,
    view: &BodyView,
    spilled: &Spilled,
    area: Rect,
    hits: &mut HitMap,
) -> u16 {
    let t = &app.theme;
    let total = usize::try_from(spilled.line_count()).unwrap_or(usize::MAX);
    let gutter = total.max(1).to_string().len();
    let width = (area.width as usize).saturating_sub(gutter + 1).max(1);
    let cursor = (app.focus == Pane::Response).then_some(app.reader.cursor);
    let search = &app.reader.search;
    // The search's matches are of this file (else they are being found again).
    let this = std::ptr::from_ref(spilled) as usize;
    let query = search.query.as_ref().filter(|_| search.file == Some(this));
    let current = search.current.and_then(|i| search.matches.get(i)).copied();
    let top = app.scroll.top;
    let height = area.height as usize;
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    for i in (top..total).take(height) {
        if lines.len() >= height {
            break;
        }
        let number_style = if cursor == Some(i) {
            Style::default()
                .fg(t.line_number)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default().fg(t.line_number)
        };
        let number = Span::styled(format!("{:>gutter$} ", i + 1), number_style);
        match view.styled_line(i) {
            Some(styled) => {
                let mut line = styled.clone();
                if let Some(query) = query {
                    let text: String = styled.spans.iter().map(|s| s.content.as_ref()).collect();
                    let ranges = query.find_in_line(&text);
                    if !ranges.is_empty() {
                        line = marked(&line, &text, &ranges, |range| {
                            let on = current.is_some_and(|m| m.line == i && m.start == range.start);
                            match_style(app, on)
                        });
                    }
                }
                // Wrapped (`w`): the line's pieces on rows of their own, as far as they fit.
                let pieces = if app.reader.wrap {
                    line.width().div_ceil(width).max(1)
                } else {
                    1
                };
                let left = if app.reader.wrap { 0 } else { app.scroll.left };
                for piece in 0..pieces {
                    if lines.len() >= height {
                        break;
                    }
                    let mut spans = vec![if piece == 0 {
                        number.clone()
                    } else {
                        Span::raw(" ".repeat(gutter + 1))
                    }];
                    spans.extend(slice_spans(&line, left + piece * width, width));
                    lines.push(Line::from(spans));
                }
            }
            None => lines.push(Line::from(vec![
                number,
                Span::styled("…", Style::default().fg(t.muted)),
            ])),
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
    hits.response_columns = width as u16;
    area.height
}
