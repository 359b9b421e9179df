//! The one cursor every list uses: the selected row and the first row shown. Moving with keys,
//! clicking a row and keeping the selection in view all go through here.

use crate::app::keymap::Action;

/// A list's selected row and the first row drawn (the offset `ui` last drew it with).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Moves the selection for a movement action over `len` rows (`page` rows per page);
    /// `false` for any other action.
    pub fn step(&mut self, action: Action, len: usize, page: usize) -> bool {
        let last = len.saturating_sub(1);
        let page = page.max(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => self.selected.saturating_add(1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => self.selected.saturating_add(page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        true
    }

    /// Selects row `index`, kept within `len` rows.
    pub fn select(&mut self, index: usize, len: usize) {
        self.selected = index.min(len.saturating_sub(1));
    }

    /// A click on row `index` of a list of `len`: selects it if there is such a row (a click
    /// below the last row selects nothing). Whether it did.
    pub fn click(&mut self, index: usize, len: usize) -> bool {
        if index < len {
            self.selected = index;
        }
        index < len
    }

    /// Keeps the selection within `len` rows (after the list shrank).
    pub fn clamp(&mut self, len: usize) {
        self.select(self.selected, len);
    }

    /// The first row to draw in `height` rows: the last offset, moved just enough that the
    /// selected row shows.
    pub fn first_visible(&self, len: usize, height: usize) -> usize {
        if height == 0 || len == 0 {
            return 0;
        }
        let selected = self.selected.min(len - 1);
        let max_offset = len.saturating_sub(height);
        let offset = self.offset.min(max_offset);
        if selected < offset {
            selected
        } else if selected >= offset + height {
            selected + 1 - height
        } else {
            offset
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_within_the_list() {
        let mut l = ListState::default();
        assert!(l.step(Action::Down, 3, 10));
        assert!(l.step(Action::Down, 3, 10));
        assert!(l.step(Action::Down, 3, 10));
        assert_eq!(l.selected, 2);
        l.step(Action::PageUp, 3, 10);
        assert_eq!(l.selected, 0);
        l.step(Action::Bottom, 3, 10);
        assert_eq!(l.selected, 2);
        assert!(!l.step(Action::Send, 3, 10));
        l.step(Action::Down, 0, 10);
        assert_eq!(l.selected, 0, "an empty list selects row 0");
    }

    #[test]
    fn a_click_selects_only_a_row_that_is_there() {
        let mut l = ListState::default();
        assert!(l.click(2, 3));
        assert_eq!(l.selected, 2);
        assert!(!l.click(5, 3), "below the last row");
        assert_eq!(l.selected, 2);
    }

    #[test]
    fn the_window_moves_only_as_far_as_the_selection_needs() {
        let mut l = ListState::default();
        assert_eq!(l.first_visible(100, 10), 0);
        l.selected = 15;
        assert_eq!(l.first_visible(100, 10), 6);
        // Moving up inside the window keeps it where it was.
        l.offset = 6;
        l.selected = 8;
        assert_eq!(l.first_visible(100, 10), 6);
        l.selected = 3;
        assert_eq!(l.first_visible(100, 10), 3);
        // A list that shrank pulls the window back.
        l.offset = 95;
        l.selected = 4;
        assert_eq!(l.first_visible(5, 10), 0);
        assert_eq!(l.first_visible(0, 10), 0);
    }
}
