//! Where each pane sits for a given terminal size. Pure geometry; drawing records the result in
//! the frame's `HitMap`, which is all `update` knows of it.
//!
//! - 100 columns and more: the collections and the history (or a run) in a column at the left,
//!   as wide as the user set it (`<` / `>`), the editor above the response at the right.
//! - 80 to 99: the panes stack: the collections and the history side by side in a strip at
//!   the top, the editor and the response below.
//! - below 80: the focused pane (the editor when the response has the focus) above the
//!   response; every pane shows when it has the focus, so focus never lands on a hidden one.
//! - zoomed (`z`): the focused pane alone.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

use crate::app::Pane;
use crate::app::panes::PaneSizes;

/// Narrower than this, the panes stack.
pub const STACK_BELOW: u16 = 100;
/// Narrower than this, only the focused pane and the response show.
pub const SINGLE_BELOW: u16 = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    /// The panes shown and where, in drawing order.
    pub panes: Vec<(Pane, Rect)>,
    pub footer: Rect,
}

/// Rows of the response pane (inside its border) above the content: status line and tab bar.
pub const RESPONSE_HEADER_ROWS: u16 = 2;

impl Areas {
    /// `lower` is the pane under the collections: the history, or the runner while a run is
    /// shown.
    pub fn new(area: Rect, focus: Pane, lower: Pane, sizes: PaneSizes) -> Areas {
        Areas::with_footer(area, focus, lower, sizes, 2)
    }

    /// As [`Areas::new`], with a footer `footer_rows` high (a notice too long for one row
    /// takes more; the panes keep three rows at least).
    pub fn with_footer(
        area: Rect,
        focus: Pane,
        lower: Pane,
        sizes: PaneSizes,
        footer_rows: u16,
    ) -> Areas {
        let [main, footer] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(3), Constraint::Length(footer_rows)])
            .areas(area);
        // The history and the runner share a place: whichever is shown stands for both.
        let focus = match focus {
            Pane::History | Pane::Runner => lower,
            other => other,
        };
        let panes = if sizes.zoomed {
            vec![(focus, main)]
        } else if main.width >= STACK_BELOW {
            let side = share(main.width, sizes.side_percent).clamp(20, main.width - 50);
            let [side, right] = split(main, Direction::Horizontal, side);
            let [collections, history] = Layout::default()
                .direction(Direction::Vertical)
                .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(side);
            let [editor, response] = split(right, Direction::Vertical, editor_height(right));
            vec![
                (Pane::Collections, collections),
                (lower, history),
                (Pane::Editor, editor),
                (Pane::Response, response),
            ]
        } else if main.width >= SINGLE_BELOW {
            // A third of the height at most, and a list row at least (a short terminal: less).
            let strip = share(main.height, sizes.side_percent)
                .min(main.height / 3)
                .max(3.min(main.height));
            let [strip, below] = split(main, Direction::Vertical, strip);
            let [collections, history] = split(strip, Direction::Horizontal, strip.width / 2);
            let [editor, response] = split(below, Direction::Vertical, editor_height(below));
            vec![
                (Pane::Collections, collections),
                (lower, history),
                (Pane::Editor, editor),
                (Pane::Response, response),
            ]
        } else {
            let top = if focus == Pane::Response {
                Pane::Editor
            } else {
                focus
            };
            let [top_area, response] = split(main, Direction::Vertical, editor_height(main));
            vec![(top, top_area), (Pane::Response, response)]
        };
        Areas { panes, footer }
    }

    /// Where `pane` is, when it is shown.
    pub fn get(&self, pane: Pane) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == pane).map(|(_, r)| *r)
    }
}

/// `percent` of `cells` (in a wider type: a 2,000-column terminal times 60 is past u16).
fn share(cells: u16, percent: u16) -> u16 {
    (u32::from(cells) * u32::from(percent) / 100) as u16
}

/// The editor's height (or the pane in its place) above the response.
fn editor_height(area: Rect) -> u16 {
    (area.height * 2 / 5).clamp(8.min(area.height), 16)
}

/// `area` cut in two along `direction`, the first part `first` long.
fn split(area: Rect, direction: Direction, first: u16) -> [Rect; 2] {
    Layout::default()
        .direction(direction)
        .constraints([Constraint::Length(first), Constraint::Min(1)])
        .areas(area)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas(w: u16, h: u16, focus: Pane) -> Areas {
        Areas::new(
            Rect::new(0, 0, w, h),
            focus,
            Pane::History,
            PaneSizes::default(),
        )
    }

    #[test]
    fn wide_terminals_have_a_side_column() {
        let a = areas(120, 40, Pane::Editor);
        let (c, h, e, r) = (
            a.get(Pane::Collections).unwrap(),
            a.get(Pane::History).unwrap(),
            a.get(Pane::Editor).unwrap(),
            a.get(Pane::Response).unwrap(),
        );
        assert_eq!(a.footer.height, 2);
        assert_eq!(c.x, 0);
        assert_eq!(e.x, c.right());
        assert_eq!(r.y, e.bottom());
        assert_eq!(h.y, c.bottom());
        assert_eq!(r.bottom(), a.footer.y);
        // Wider with `>`, as set.
        let wider = Areas::new(
            Rect::new(0, 0, 200, 60),
            Pane::Editor,
            Pane::History,
            PaneSizes {
                side_percent: 40,
                zoomed: false,
            },
        );
        assert_eq!(wider.get(Pane::Collections).unwrap().width, 80);
    }

    #[test]
    fn below_100_columns_the_panes_stack() {
        let a = areas(90, 30, Pane::Editor);
        let (c, h, e) = (
            a.get(Pane::Collections).unwrap(),
            a.get(Pane::History).unwrap(),
            a.get(Pane::Editor).unwrap(),
        );
        assert_eq!((c.y, h.y), (0, 0), "side by side at the top");
        assert_eq!(e.y, c.bottom());
        assert_eq!(e.width, 90);
    }

    #[test]
    fn below_80_columns_the_focused_pane_shows_above_the_response() {
        for focus in Pane::ORDER {
            let a = areas(60, 20, focus);
            let shown: Vec<Pane> = a.panes.iter().map(|(p, _)| *p).collect();
            let top = match focus {
                Pane::Response => Pane::Editor,
                Pane::Runner => Pane::History,
                other => other,
            };
            assert_eq!(shown, [top, Pane::Response], "{focus:?}");
        }
    }

    #[test]
    fn any_size_lays_out_without_a_panic() {
        for w in [0, 1, 20, 79, 80, 99, 100, 101, 3000, u16::MAX] {
            for h in [0, 1, 3, 10, 16, 17, 40, 1000] {
                for percent in [16, 28, 60] {
                    let sizes = PaneSizes {
                        side_percent: percent,
                        zoomed: false,
                    };
                    let a = Areas::new(Rect::new(0, 0, w, h), Pane::Editor, Pane::History, sizes);
                    assert!(a.panes.iter().all(|(_, r)| r.right() <= w), "{w}x{h}");
                }
            }
        }
    }

    #[test]
    fn zoomed_the_focused_pane_fills_the_screen() {
        let a = Areas::new(
            Rect::new(0, 0, 120, 40),
            Pane::Response,
            Pane::History,
            PaneSizes {
                zoomed: true,
                ..PaneSizes::default()
            },
        );
        assert_eq!(a.panes, [(Pane::Response, Rect::new(0, 0, 120, 38))]);
    }
}
