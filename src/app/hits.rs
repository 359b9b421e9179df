//! Where the last frame drew things. `ui::draw` records it as plain data; the event loop hands
//! it to `update` (`Msg::Drawn`), which maps clicks, page sizes and list windows with it, so
//! `update` never asks `ui` for geometry and the two cannot disagree.

use ratatui::layout::{Position, Rect};

use crate::app::editor::EditorTab;
use crate::app::{Pane, ResponseTab};
use crate::http::job::RequestId;

/// Something a click can land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    MethodBadge,
    UrlBar,
    EditorTab(EditorTab),
    ResponseTab(ResponseTab),
}

/// The lists whose rows a click selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Tree,
    History,
    /// The editor's Query or Headers table (whichever tab is shown).
    EditorTable,
    /// The response pane's Pages tab.
    Pages,
    /// The file picker's entries.
    Files,
    /// The Runner pane's steps.
    Runner,
}

/// What the last frame drew where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitMap {
    /// Each pane shown, with its rectangle (border included).
    pub panes: Vec<(Pane, Rect)>,
    /// Tab labels and other clickable spans.
    pub targets: Vec<(Rect, Target)>,
    /// Each list shown: the rectangle of its rows and the index of the row drawn at the top.
    pub lists: Vec<(List, Rect, usize)>,
    /// Rows of the response pane's scrolling content (below the Body tab's notes): what one page
    /// is, and where scrolling stops.
    pub response_rows: u16,
    /// Columns of the Body tab's text (beside the line numbers): how far a search scrolls
    /// sideways to show a match.
    pub response_columns: u16,
    /// How far the scrolling overlay (the help, the problems) can scroll: its lines beyond the
    /// first screenful.
    pub overlay_max_scroll: usize,
    /// Its rows on screen (what PgUp/PgDn move by).
    pub overlay_page: usize,
    /// How far the Explain panel can scroll.
    pub explain_max_scroll: usize,
    /// Lines of the Cache tab as last drawn (wrapped to the pane's width).
    pub cache_lines: usize,
    /// The area the Body tab gave an exchange's picture: what it is encoded for.
    pub picture: Option<(RequestId, Rect)>,
}

impl HitMap {
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let p = Position::new(column, row);
        self.panes
            .iter()
            .find(|(_, r)| r.contains(p))
            .map(|(pane, _)| *pane)
    }

    pub fn target_at(&self, column: u16, row: u16) -> Option<Target> {
        let p = Position::new(column, row);
        self.targets
            .iter()
            .find(|(r, _)| r.contains(p))
            .map(|(_, t)| *t)
    }

    /// The list row under a cell, as an index into the list (not a row on screen).
    pub fn row_at(&self, column: u16, row: u16) -> Option<(List, usize)> {
        let p = Position::new(column, row);
        self.lists
            .iter()
            .find(|(_, r, _)| r.contains(p))
            .map(|(list, r, first)| (*list, first + usize::from(row - r.y)))
    }

    /// How many rows of `list` the last frame showed (a page for PgUp/PgDn).
    pub fn rows_of(&self, list: List) -> Option<usize> {
        self.lists
            .iter()
            .find(|(l, _, _)| *l == list)
            .map(|(_, r, _)| usize::from(r.height))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_map_to_list_indexes_not_screen_rows() {
        let hits = HitMap {
            panes: vec![(Pane::History, Rect::new(0, 10, 30, 10))],
            lists: vec![(List::History, Rect::new(1, 11, 28, 8), 40)],
            ..Default::default()
        };
        assert_eq!(hits.pane_at(5, 12), Some(Pane::History));
        assert_eq!(hits.row_at(5, 11), Some((List::History, 40)));
        assert_eq!(hits.row_at(5, 14), Some((List::History, 43)));
        assert_eq!(hits.row_at(5, 19), None, "below the list's rows");
        assert_eq!(hits.pane_at(50, 12), None);
    }
}
