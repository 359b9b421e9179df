//! The command palette over the panes: the query line, then the matching actions (what each
//! does, its keys at the right), the chosen one marked with `›` and in reverse video.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::hits::HitMap;
use crate::app::palette::{Palette, entries};
use crate::ui::overlay::{boxed, centered};
use crate::ui::text::{field, fit, pad, width};

/// The palette's widest.
const MAX_WIDTH: u16 = 90;

pub fn draw(frame: &mut Frame, app: &App, palette: &Palette, hits: &mut HitMap) {
    let t = &app.theme;
    let found = entries(app, palette);
    let screen = frame.area();
    let w = screen.width.saturating_sub(4).min(MAX_WIDTH);
    // The query, the rows, a blank and the hint line, inside the border.
    let h = (found.len() as u16 + 5)
        .max(7)
        .min(screen.height.saturating_sub(2));
    let area = centered(screen, w, h);
    let inner = boxed(frame, app, area, "Command palette");
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    let cols = inner.width as usize;
    let (query, cx) = field(&palette.input.text(), palette.input.cursor().1, cols - 2);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", Style::default().fg(t.accent)),
            Span::styled(query, Style::default().fg(t.text)),
        ])),
        Rect { height: 1, ..inner },
    );
    frame.set_cursor_position(Position::new(inner.x + 2 + cx, inner.y));

    let rows = usize::from(inner.height.saturating_sub(3)).max(1);
    hits.overlay_page = rows;
    let top = palette.selected.saturating_sub(rows - 1);
    let mut lines: Vec<Line> = found
        .iter()
        .enumerate()
        .skip(top)
        .take(rows)
        .map(|(i, e)| {
            let chosen = i == palette.selected;
            let keys_w = width(&e.keys).min(cols / 3);
            let help_w = cols.saturating_sub(keys_w + 3);
            let text = format!(
                "{}{} {}",
                if chosen { "› " } else { "  " },
                pad(&fit(&e.help, help_w), help_w),
                fit(&e.keys, keys_w)
            );
            let style = if chosen {
                Style::default()
                    .fg(t.border_focused)
                    .add_modifier(Modifier::REVERSED)
            } else {
                Style::default().fg(t.text)
            };
            Line::styled(pad(&text, cols), style)
        })
        .collect();
    if found.is_empty() {
        lines.push(Line::styled(
            "No action here matches (Backspace to widen, Esc closes)",
            Style::default().fg(t.muted),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            y: inner.y + 1,
            height: rows as u16,
            ..inner
        },
    );
    let place = if found.len() > rows {
        format!(" · {} of {}", palette.selected + 1, found.len())
    } else {
        String::new()
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(
                &format!("Enter runs · ↑/↓ choose · Esc closes{place}"),
                cols,
            ),
            Style::default().fg(t.muted),
        )),
        Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        },
    );
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::style::Modifier;

    use crate::app::testing::app_with;
    use crate::app::{Msg, update};

    /// The palette's box alone, as text, and whether its chosen row is in reverse video.
    fn palette_at(w: u16, h: u16, query: &str) -> (String, bool) {
        let mut app = app_with("json");
        app.size = (w, h);
        update(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
        );
        update(&mut app, Msg::Paste(query.into()));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                crate::ui::draw(f, &app);
            })
            .unwrap();
        let buf = terminal.backend().buffer();
        let rows: Vec<String> = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        let top = rows
            .iter()
            .position(|r| r.contains(" Command palette "))
            .unwrap();
        let left = rows[top].chars().position(|c| c == '╭').unwrap();
        let right = rows[top].chars().position(|c| c == '╮').unwrap();
        let bottom = (top..h as usize)
            .find(|y| rows[*y].chars().nth(left) == Some('╰'))
            .unwrap();
        let boxed: Vec<String> = rows[top..=bottom]
            .iter()
            .map(|r| r.chars().skip(left).take(right - left + 1).collect())
            .collect();
        let chosen = (0..w).any(|x| {
            buf[(x, top as u16 + 2)].symbol() == "›"
                && buf[(x, top as u16 + 2)]
                    .modifier
                    .contains(Modifier::REVERSED)
        });
        (boxed.join("\n"), chosen)
    }

    #[test]
    fn the_palette_at_80_by_24() {
        let (text, chosen) = palette_at(80, 24, "copy");
        assert!(chosen, "the chosen row: › and reverse video");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn the_palette_at_60_by_20_scrolls_and_says_where() {
        let (text, _) = palette_at(60, 20, "");
        insta::assert_snapshot!(text);
    }
}
