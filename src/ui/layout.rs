//! Where each pane sits for a given terminal size. Pure geometry; drawing records the result in
//! the frame's `HitMap`, which is all `update` knows of it.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub collections: Rect,
    pub history: Rect,
    pub editor: Rect,
    pub response: Rect,
    pub footer: Rect,
}

/// Rows of the response pane (inside its border) above the content: status line and tab bar.
pub const RESPONSE_HEADER_ROWS: u16 = 2;

impl Areas {
    pub fn new(area: Rect) -> Areas {
        let [main, footer] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(3), Constraint::Length(2)])
            .areas(area);
        let side_width = if main.width < 70 {
            0
        } else {
            (main.width * 28 / 100).clamp(24, 44)
        };
        let [side, right] = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Length(side_width), Constraint::Min(10)])
            .areas(main);
        let [collections, history] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(side);
        let editor_height = (right.height * 2 / 5).clamp(8.min(right.height), 16);
        let [editor, response] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(editor_height), Constraint::Min(3)])
            .areas(right);
        Areas {
            collections,
            history,
            editor,
            response,
            footer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen() {
        let a = Areas::new(Rect::new(0, 0, 120, 40));
        assert_eq!(a.footer.height, 2);
        assert_eq!(a.collections.x, 0);
        assert_eq!(a.editor.x, a.collections.right());
        assert_eq!(a.response.y, a.editor.bottom());
        assert_eq!(a.history.y, a.collections.bottom());
        assert_eq!(a.response.bottom(), a.footer.y);
    }

    #[test]
    fn narrow_terminals_drop_the_side_column() {
        let a = Areas::new(Rect::new(0, 0, 60, 20));
        assert_eq!(a.collections.width, 0);
        assert_eq!(a.editor.width, 60);
    }
}
