//! How the panes share the screen, as the user set it: the side column's share of the width
//! (`<` / `>`; kept between runs in `layout.toml` beside the history) and whether the focused
//! pane fills the screen (`z`, for this run). Where each pane then goes is `ui::layout`'s.

use crate::app::keymap::Action;
use crate::app::{App, Effect, Notice};

/// The file the widths are kept in, in scout's data folder.
pub const FILE_NAME: &str = "layout.toml";

/// The side column's share of the width, in percent: the default, the bounds and a step.
const SIDE_DEFAULT: u16 = 28;
const SIDE_MIN: u16 = 16;
const SIDE_MAX: u16 = 60;
const SIDE_STEP: u16 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneSizes {
    /// The collections and history column's share of the width (of the height of the strip
    /// they make when the panes stack), in percent.
    pub side_percent: u16,
    /// The focused pane fills the screen.
    pub zoomed: bool,
}

impl Default for PaneSizes {
    fn default() -> Self {
        PaneSizes {
            side_percent: SIDE_DEFAULT,
            zoomed: false,
        }
    }
}

impl PaneSizes {
    /// Reads `layout.toml`; what is missing or out of bounds keeps its default.
    pub fn parse(text: &str) -> PaneSizes {
        let mut sizes = PaneSizes::default();
        if let Ok(table) = text.parse::<toml::Table>()
            && let Some(side) = table.get("side_percent").and_then(toml::Value::as_integer)
            && (i64::from(SIDE_MIN)..=i64::from(SIDE_MAX)).contains(&side)
        {
            sizes.side_percent = side as u16;
        }
        sizes
    }

    /// What `layout.toml` holds.
    pub fn to_toml(self) -> String {
        format!(
            "# The side column's share of the width, set with < and > in scout.\nside_percent = \
             {}\n",
            self.side_percent
        )
    }

    /// Widens (or narrows) the side column a step; whether it changed.
    fn resize(&mut self, wider: bool) -> bool {
        let before = self.side_percent;
        self.side_percent = if wider {
            (before + SIDE_STEP).min(SIDE_MAX)
        } else {
            before.saturating_sub(SIDE_STEP).max(SIDE_MIN)
        };
        self.side_percent != before
    }
}

/// `z`, `<` and `>`.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Zoom => {
            app.panes.zoomed = !app.panes.zoomed;
            Vec::new()
        }
        Action::NarrowSide | Action::WidenSide => {
            let wider = action == Action::WidenSide;
            if !app.panes.resize(wider) {
                app.notice = Some(Notice::Info(format!(
                    "The side column is as {} as it goes ({}%)",
                    if wider { "wide" } else { "narrow" },
                    app.panes.side_percent
                )));
                return Vec::new();
            }
            app.notice = Some(Notice::Info(format!(
                "Collections and history: {}% of the width (of the height where the panes \
                 stack), kept for next time",
                app.panes.side_percent
            )));
            match &app.layout_path {
                Some(path) => vec![Effect::WriteLayout {
                    path: path.clone(),
                    text: app.panes.to_toml(),
                }],
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_bad_values_keep_the_default() {
        let mut sizes = PaneSizes::default();
        assert!(sizes.resize(true));
        assert_eq!(
            PaneSizes::parse(&sizes.to_toml()).side_percent,
            SIDE_DEFAULT + SIDE_STEP
        );
        for bad in [
            "side_percent = 5",
            "side_percent = \"wide\"",
            "not toml [",
            "",
        ] {
            assert_eq!(PaneSizes::parse(bad), PaneSizes::default(), "{bad}");
        }
    }

    #[test]
    fn the_side_column_stays_within_its_bounds() {
        let mut sizes = PaneSizes::default();
        while sizes.resize(false) {}
        assert_eq!(sizes.side_percent, SIDE_MIN);
        while sizes.resize(true) {}
        assert_eq!(sizes.side_percent, SIDE_MAX);
    }
}
