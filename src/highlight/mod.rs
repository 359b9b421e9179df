//! Everything that turns a response body into what the response pane shows.
//!
//! [`Document::from_body`] decodes, pretty-prints (JSON) and indexes a body once;
//! [`Highlighter::highlight`] styles any window of its lines on demand. Both are CPU work: call
//! them inside `spawn_blocking`, never on the draw path. syntect's syntaxes and themes are
//! loaded once, lazily; call [`preload`] at startup so the first highlight does not pay for it.
//!
//! Highlighting is viewport-aware: a window costs O(lines in the window) plus bounded work to
//! recover the parser state at its first line — O(nesting depth + 256 lines) for pretty-printed
//! JSON, and for other syntaxes a checkpoint every 256 lines computed (once) on first use.
//! A stream of JSON values (JSON Lines, server-sent events) is pretty-printed value after
//! value with the same guarantees; its own lines (an event's header, a value that is not JSON)
//! are never fed to the JSON grammar.

mod decode;
mod document;
mod indents;
mod json;
pub mod picture;
mod resume;
mod sse;
mod starts;
mod stream;
mod text;

#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::OnceLock;

pub use document::{Document, Lang};
pub use json::outline::{Folds, Outline, Row, Rows};
pub use json::streaming::{StreamPrinter, write_pretty as write_pretty_json};
pub use json::{JsonIssue, json_issue};
use json::{LineKind, Part};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::highlighting::{FontStyle, HighlightState, Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
pub use text::TAB_WIDTH;

/// Lines longer than this many bytes are returned unstyled (and not fed to syntect).
pub const MAX_HIGHLIGHT_LINE: usize = 4096;

/// The theme [`highlighter`] uses.
pub const DEFAULT_THEME: &str = "base16-ocean.dark";

/// A highlighted line: spans of (ratatui `Style`, text), owned.
pub type StyledLine = Line<'static>;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
static THEMES: OnceLock<ThemeSet> = OnceLock::new();
static DEFAULT: OnceLock<Highlighter> = OnceLock::new();
static CHOSEN: OnceLock<String> = OnceLock::new();

/// syntect's bundled themes, by the names [`choose_theme`] accepts (checked against syntect in
/// the tests, so that validating a config needs no loading).
pub const THEME_NAMES: [&str; 7] = [
    "base16-ocean.dark",
    "base16-eighties.dark",
    "base16-mocha.dark",
    "base16-ocean.light",
    "InspiredGitHub",
    "Solarized (dark)",
    "Solarized (light)",
];

/// Picks the theme the shared [`highlighter`] will use. Only the first call counts, and only
/// before the highlighter is first used (call it at start-up, before [`preload`]).
pub fn choose_theme(name: &str) {
    let _ = CHOSEN.set(name.to_string());
}

/// A TextMate `.tmTheme` file as a syntect theme, or why it is not one.
pub fn load_tm_theme(path: &std::path::Path) -> Result<Theme, String> {
    ThemeSet::get_theme(path).map_err(|e| e.to_string())
}

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    THEMES.get_or_init(ThemeSet::load_defaults)
}

/// The shared highlighter with the chosen theme (else [`DEFAULT_THEME`]); the first call loads syntect's data (tens of
/// milliseconds in release builds), later calls are free.
pub fn highlighter() -> &'static Highlighter {
    DEFAULT.get_or_init(|| {
        let name = CHOSEN.get().map_or(DEFAULT_THEME, String::as_str);
        Highlighter::with_theme(name)
            .or_else(|| {
                let theme = load_tm_theme(std::path::Path::new(name)).ok()?;
                Some(Highlighter::from_theme(name, theme))
            })
            .or_else(|| Highlighter::with_theme(DEFAULT_THEME))
            .unwrap_or_else(|| Highlighter::from_theme(DEFAULT_THEME, Theme::default()))
    })
}

/// Loads syntect's data on a background thread so that the first highlight does not wait for it
/// (and compiles the JSON grammar, the common case). Returns immediately; safe to call more than
/// once.
pub fn preload() {
    // If the thread cannot be spawned, the first highlight loads the data instead.
    let _ = std::thread::Builder::new()
        .name("highlight-preload".to_owned())
        .spawn(|| {
            let sample =
                Document::from_body(br#"{"a": [1, "s", true, null]}"#, Some("application/json"));
            highlighter().highlight(&sample, 0..sample.line_count());
        });
}

/// Styles document lines with syntect. `Send + Sync`; cheap to share by reference.
pub struct Highlighter {
    syntaxes: &'static SyntaxSet,
    theme: Theme,
    theme_name: String,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("theme", &self.theme_name)
            .finish_non_exhaustive()
    }
}

impl Highlighter {
    /// A highlighter with one of syntect's bundled themes (see [`Highlighter::theme_names`]).
    pub fn with_theme(name: &str) -> Option<Highlighter> {
        let theme = themes().themes.get(name)?.clone();
        Some(Highlighter::from_theme(name, theme))
    }

    /// A highlighter with any syntect theme (e.g. loaded from a `.tmTheme` file).
    pub fn from_theme(name: impl Into<String>, theme: Theme) -> Highlighter {
        Highlighter {
            syntaxes: syntaxes(),
            theme,
            theme_name: name.into(),
        }
    }

    /// Names accepted by [`Highlighter::with_theme`].
    pub fn theme_names() -> Vec<&'static str> {
        themes().themes.keys().map(String::as_str).collect()
    }

    pub fn theme_name(&self) -> &str {
        &self.theme_name
    }

    /// Highlights lines `range` of `doc` (clamped to the document). Lines longer than
    /// [`MAX_HIGHLIGHT_LINE`] bytes, plain-text and binary documents come back as one unstyled
    /// span per line. Spans carry foreground colours and modifiers, never a background.
    pub fn highlight(&self, doc: &Document, range: Range<usize>) -> Vec<StyledLine> {
        let end = range.end.min(doc.line_count());
        let start = range.start.min(end);
        match self.syntax(doc) {
            Some(syntax) => self.highlight_window(doc, syntax, start, end),
            None => (start..end).map(|i| plain_line(&doc.line(i))).collect(),
        }
    }

    fn syntax(&self, doc: &Document) -> Option<&'static SyntaxReference> {
        if doc.is_binary() {
            return None;
        }
        let extension = match doc.lang() {
            Lang::Json => "json",
            Lang::Html => "html",
            Lang::Xml => "xml",
            Lang::JavaScript => "js",
            Lang::Css => "css",
            Lang::Plain => return None,
        };
        self.syntaxes.find_syntax_by_extension(extension)
    }

    fn highlight_window(
        &self,
        doc: &Document,
        syntax: &'static SyntaxReference,
        start: usize,
        end: usize,
    ) -> Vec<StyledLine> {
        match doc.json_index() {
            Some(index) => self.highlight_json(doc, index, syntax, start, end),
            None => self.highlight_general(doc, syntax, start, end),
        }
    }

    /// Any syntax: resumes from the document's parser checkpoints.
    fn highlight_general(
        &self,
        doc: &Document,
        syntax: &'static SyntaxReference,
        start: usize,
        end: usize,
    ) -> Vec<StyledLine> {
        let lines = doc.lines();
        let highlighter = syntect::highlighting::Highlighter::new(&self.theme);
        let mut run = doc.states().resume(start, lines, syntax, self.syntaxes);
        let mut state: HighlightState = run.highlight_state(&highlighter);
        let mut out = Vec::with_capacity(end - start);
        for i in start..end {
            let line = lines.line_with_newline(i);
            doc.states().offer(i, &run, &state.path);
            if resume::is_long(&line) {
                out.push(plain_line(&lines.line(i)));
            } else {
                out.push(
                    match run.highlight(&line, &mut state, &highlighter, self.syntaxes) {
                        Some(pieces) => styled_line(pieces),
                        None => plain_line(&lines.line(i)),
                    },
                );
            }
        }
        out
    }

    /// Our pretty-printed JSON: the parser state at `start` is rebuilt from the nesting index.
    /// A stream's records each start from a fresh state, as a single document does at line 0,
    /// and its text lines never reach the JSON grammar. The grammar reads each line's content;
    /// its indentation goes before the spans, unstyled.
    fn highlight_json(
        &self,
        doc: &Document,
        index: &json::JsonIndex,
        syntax: &'static SyntaxReference,
        start: usize,
        end: usize,
    ) -> Vec<StyledLine> {
        let lines = doc.lines();
        let highlighter = syntect::highlighting::Highlighter::new(&self.theme);
        let part_at = |line: usize| doc.layout().map_or(Part::WHOLE_JSON, |l| l.part_at(line));
        let mut part = part_at(start);
        // The containers enclosing the current line (kept up to date below).
        let mut stack = match part.kind {
            LineKind::Json => index.stack_in(start, part.start, |i| lines.content(i)),
            LineKind::Text | LineKind::Note => Vec::new(),
        };
        let after_value = start > part.start && resume::json_ends_value(lines.content(start - 1));
        let mut run = resume::json_run(syntax, self.syntaxes, &stack, after_value);
        let mut state: HighlightState = run.highlight_state(&highlighter);
        let mut note_style = None;
        let mut out = Vec::with_capacity(end - start);
        for i in start..end {
            if i >= part.end {
                part = part_at(i);
                if part.kind == LineKind::Json {
                    stack.clear();
                    run = resume::Run::new(syntax);
                    state = run.highlight_state(&highlighter);
                }
            }
            match part.kind {
                LineKind::Json => {}
                LineKind::Text => {
                    out.push(plain_line(&lines.line(i)));
                    continue;
                }
                LineKind::Note => {
                    let style = *note_style.get_or_insert_with(|| note(&highlighter));
                    out.push(Line::from(Span::styled(lines.line(i).into_owned(), style)));
                    continue;
                }
            }
            let line = lines.content_with_newline(i);
            let content = lines.content(i);
            if resume::is_long(line) {
                out.push(plain_line(&lines.line(i)));
                let stand_in = resume::json_surrogate(content, stack.last().copied());
                // Run for its effect on the state only.
                let _ = run.highlight(stand_in, &mut state, &highlighter, self.syntaxes);
            } else {
                let mut styled = match run.highlight(line, &mut state, &highlighter, self.syntaxes)
                {
                    Some(pieces) => styled_line(pieces),
                    None => plain_line(content),
                };
                let indent = lines.indent(i);
                if indent > 0 {
                    styled.spans.insert(0, Span::raw(" ".repeat(indent)));
                }
                out.push(styled);
            }
            json::apply_line(&mut stack, content);
        }
        out
    }
}

/// How the theme shows comments: the style of a stream's own lines (an event's type and id).
fn note(highlighter: &syntect::highlighting::Highlighter<'_>) -> Style {
    let scope = syntect::parsing::Scope::new("comment.line").unwrap_or_default();
    to_ratatui(highlighter.style_for_stack(&[scope]))
}

fn plain_line(text: &str) -> StyledLine {
    Line::from(text.to_owned())
}

/// Builds a line from syntect's pieces: newline dropped, neighbours with equal styles merged.
fn styled_line(pieces: Vec<(syntect::highlighting::Style, &str)>) -> StyledLine {
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(pieces.len());
    for (style, text) in pieces {
        let text = text.strip_suffix('\n').unwrap_or(text);
        if text.is_empty() {
            continue;
        }
        let style = to_ratatui(style);
        match spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(text),
            _ => spans.push(Span::styled(text.to_owned(), style)),
        }
    }
    Line::from(spans)
}

/// syntect style → ratatui style: RGB foreground and font modifiers; the background is left to
/// the pane.
fn to_ratatui(style: syntect::highlighting::Style) -> Style {
    let fg = style.foreground;
    let mut out = Style::default();
    if fg.a > 0 {
        out = out.fg(Color::Rgb(fg.r, fg.g, fg.b));
    }
    let font = style.font_style;
    for (flag, modifier) in [
        (FontStyle::BOLD, Modifier::BOLD),
        (FontStyle::ITALIC, Modifier::ITALIC),
        (FontStyle::UNDERLINE, Modifier::UNDERLINED),
    ] {
        if font.contains(flag) {
            out = out.add_modifier(modifier);
        }
    }
    out
}
