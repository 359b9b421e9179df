//! Colours, read from a theme TOML file (the default one is embedded from `themes/`).

use std::str::FromStr;

use ratatui::style::Color;
use serde::Deserialize;

use crate::model::Method;

/// The theme shipped with scout.
pub const DEFAULT_THEME: &str = include_str!("../themes/default.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// The syntect theme used for bodies: a bundled one's name, or the path of a `.tmTheme`
    /// file (TextMate's, as Sublime Text and bat use).
    pub syntax: String,
    /// Under everything; `Reset` is the terminal's own.
    pub background: Color,
    pub text: Color,
    pub muted: Color,
    pub accent: Color,
    pub border: Color,
    pub border_focused: Color,
    pub selection_bg: Color,
    pub line_number: Color,
    pub error: Color,
    pub warning: Color,
    pub info: Color,
    status: [Color; 5],
    methods: [Color; 7],
    /// Colours are not shown (`NO_COLOR`): what colour would tell apart is drawn otherwise —
    /// the selected row in reverse video, the focused pane with a double border.
    pub plain: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    syntax: String,
    #[serde(default)]
    background: Option<String>,
    text: String,
    muted: String,
    accent: String,
    border: String,
    border_focused: String,
    selection_bg: String,
    line_number: String,
    error: String,
    warning: String,
    info: String,
    status_1xx: String,
    status_2xx: String,
    status_3xx: String,
    status_4xx: String,
    status_5xx: String,
    method_get: String,
    method_post: String,
    method_put: String,
    method_patch: String,
    method_delete: String,
    method_head: String,
    method_options: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::parse(DEFAULT_THEME).expect("the embedded default theme parses (see tests)")
    }
}

impl Theme {
    /// Parses a theme file; the error names the bad key or colour.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let f: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let c = |key: &str, v: &str| {
            Color::from_str(v)
                .map_err(|_| format!("`{key}`: `{v}` is not a colour (use a name or #rrggbb)"))
        };
        // A `.tmTheme` file is checked where the theme file is known (`config::load_theme`).
        if !crate::highlight::THEME_NAMES.contains(&f.syntax.as_str())
            && !f.syntax.ends_with(".tmTheme")
        {
            return Err(format!(
                "`syntax`: `{}` is not one of the bundled syntax themes ({}) nor a .tmTheme file",
                f.syntax,
                crate::highlight::THEME_NAMES.join(", ")
            ));
        }
        Ok(Theme {
            background: c("background", f.background.as_deref().unwrap_or("reset"))?,
            name: f.name,
            syntax: f.syntax,
            text: c("text", &f.text)?,
            muted: c("muted", &f.muted)?,
            accent: c("accent", &f.accent)?,
            border: c("border", &f.border)?,
            border_focused: c("border_focused", &f.border_focused)?,
            selection_bg: c("selection_bg", &f.selection_bg)?,
            line_number: c("line_number", &f.line_number)?,
            error: c("error", &f.error)?,
            warning: c("warning", &f.warning)?,
            info: c("info", &f.info)?,
            status: [
                c("status_1xx", &f.status_1xx)?,
                c("status_2xx", &f.status_2xx)?,
                c("status_3xx", &f.status_3xx)?,
                c("status_4xx", &f.status_4xx)?,
                c("status_5xx", &f.status_5xx)?,
            ],
            methods: [
                c("method_get", &f.method_get)?,
                c("method_post", &f.method_post)?,
                c("method_put", &f.method_put)?,
                c("method_patch", &f.method_patch)?,
                c("method_delete", &f.method_delete)?,
                c("method_head", &f.method_head)?,
                c("method_options", &f.method_options)?,
            ],
            plain: false,
        })
    }

    /// The colour of a status code's class (1xx … 5xx).
    pub fn status(&self, code: u16) -> Color {
        match code {
            100..=199 => self.status[0],
            200..=299 => self.status[1],
            300..=399 => self.status[2],
            400..=499 => self.status[3],
            _ => self.status[4],
        }
    }

    pub fn method(&self, m: Method) -> Color {
        let i = Method::ALL.iter().position(|x| *x == m).unwrap_or(0);
        self.methods[i]
    }
}

/// Whether `NO_COLOR` asks for no colours: set and not empty (as crossterm reads it). The app
/// then draws [`Theme::plain`]; `scout send` prints without colours.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_theme_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                Theme::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                n += 1;
            }
        }
        assert!(n >= 1);
    }

    #[test]
    fn bad_colours_are_named() {
        let bad = DEFAULT_THEME.replace("error = \"#bf616a\"", "error = \"blurple\"");
        let err = Theme::parse(&bad).unwrap_err();
        assert!(err.contains("`error`") && err.contains("blurple"), "{err}");
        assert_eq!(Theme::default().status(404), Theme::default().status(418));
    }
}
