//! Where each pane sits for a given terminal size. Pure geometry, shared by drawing and by
//! `update` (mouse hit-testing, viewport height), so the two can never disagree.

use ratatui::layout::{Constraint, Direction, Layout, Position, Rect};

use crate::app::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub collections: Rect,
    pub history: Rect,
    pub editor: Rect,
    pub response: Rect,
    pub footer: Rect,
}

/// Rows of the editor pane (inside its border) taken by the URL bar and the tab bar.
pub const EDITOR_HEADER_ROWS: u16 = 2;
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

    pub fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Collections => self.collections,
            Pane::History => self.history,
            Pane::Editor => self.editor,
            Pane::Response => self.response,
        }
    }

    /// The pane under a terminal cell, if any.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        Pane::ORDER
            .into_iter()
            .find(|pane| self.of(*pane).contains(p))
    }

    /// The response pane's scrollable content area.
    pub fn response_content(&self) -> Rect {
        let inner = inner(self.response);
        Rect {
            y: inner.y + RESPONSE_HEADER_ROWS,
            height: inner.height.saturating_sub(RESPONSE_HEADER_ROWS),
            ..inner
        }
    }
}

/// A bordered block's inside.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_and_hit_test() {
        let a = Areas::new(Rect::new(0, 0, 120, 40));
        assert_eq!(a.footer.height, 2);
        assert_eq!(a.collections.x, 0);
        assert!(a.editor.x > 0);
        assert_eq!(
            a.pane_at(a.editor.x + 1, a.editor.y + 1),
            Some(Pane::Editor)
        );
        assert_eq!(a.pane_at(1, a.history.y + 1), Some(Pane::History));
        assert_eq!(
            a.pane_at(a.response.x + 2, a.response.bottom() - 1),
            Some(Pane::Response)
        );
        assert!(a.response_content().height > 10);
    }

    #[test]
    fn narrow_terminals_drop_the_side_column() {
        let a = Areas::new(Rect::new(0, 0, 60, 20));
        assert_eq!(a.collections.width, 0);
        assert_eq!(a.editor.width, 60);
    }
}
