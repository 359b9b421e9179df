//! The command palette (`Ctrl+P`): the actions the keys reach where the focus is (its scopes,
//! and the anywhere ones), each with its keys and what it does, fuzzy-matched as you type
//! (`nucleo-matcher`), the ones chosen lately first. Enter runs the chosen action as its key
//! would, in the place the palette was opened from.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::keymap::{Action, Scope};
use crate::app::text::TextInput;
use crate::app::{App, Effect, Overlay, update};

/// Actions remembered as chosen lately.
const RECENT: usize = 12;

/// The palette while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    pub input: TextInput,
    /// The row chosen among the matches.
    pub selected: usize,
    /// The scopes in force where it was opened (the actions it offers run there).
    pub scopes: Vec<Scope>,
}

/// One action offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    /// Its keys where the palette was opened (`Ctrl+R`, `m, Alt+m`).
    pub keys: String,
    pub help: String,
}

/// Opens the palette over what has the focus: its scopes, as the keys see them (in a text
/// field, the anywhere-but-typing ones are not offered: their keys would type there).
pub fn open(app: &mut App) {
    let scopes = update::scopes(app);
    app.overlay = Some(Overlay::Palette(Palette {
        input: TextInput::single(""),
        selected: 0,
        scopes,
    }));
}

/// The actions offered, best match first: each once (its most specific scope's keys and
/// description); with nothing typed, the recent ones first, then the keymap's order.
pub fn entries(app: &App, palette: &Palette) -> Vec<Entry> {
    let mut all: Vec<Entry> = Vec::new();
    for scope in &palette.scopes {
        for b in app.keymap.bindings().iter().filter(|b| b.scope == *scope) {
            if b.action == Action::Palette || all.iter().any(|e| e.action == b.action) {
                continue;
            }
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            all.push(Entry {
                action: b.action,
                keys: keys.join(", "),
                help: b.help.clone(),
            });
        }
    }
    let recent = |a: Action| {
        app.recent_actions
            .iter()
            .position(|r| *r == a)
            .unwrap_or(usize::MAX)
    };
    let query = palette.input.text();
    if query.trim().is_empty() {
        // A stable sort keeps the keymap's order after the recent ones.
        all.sort_by_key(|e| recent(e.action));
        return all;
    }
    let pattern = Pattern::parse(&query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, Entry)> = all
        .into_iter()
        .filter_map(|e| {
            let haystack = format!("{} {} {}", e.help, e.keys, action_name(e.action));
            let score = pattern.score(Utf32Str::new(&haystack, &mut buf), &mut matcher)?;
            Some((score, e))
        })
        .collect();
    scored.sort_by_key(|(score, e)| (std::cmp::Reverse(*score), recent(e.action)));
    scored.into_iter().map(|(_, e)| e).collect()
}

/// The action's name as a config writes it (`load_more`), spaced (`load more`) so words match.
fn action_name(action: Action) -> String {
    format!("{action:?}")
        .chars()
        .flat_map(|c| {
            let space = c.is_uppercase().then_some(' ');
            space.into_iter().chain(c.to_lowercase())
        })
        .collect()
}

/// A key while the palette is open: typing filters, ↑/↓ (Ctrl+P/Ctrl+N), PgUp/PgDn choose, Enter
/// runs the chosen action, Esc closes.
pub fn on_key(app: &mut App, mut palette: Palette, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let page = app.hits.overlay_page.max(1);
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter => {
            let Some(entry) = entries(app, &palette).into_iter().nth(palette.selected) else {
                app.overlay = Some(Overlay::Palette(palette));
                return Vec::new();
            };
            app.recent_actions.retain(|a| *a != entry.action);
            app.recent_actions.insert(0, entry.action);
            app.recent_actions.truncate(RECENT);
            return update::act(app, entry.action);
        }
        KeyCode::Up => palette.selected = palette.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => palette.selected = palette.selected.saturating_sub(1),
        KeyCode::Down => palette.selected += 1,
        KeyCode::Char('n') if ctrl => palette.selected += 1,
        KeyCode::PageUp => palette.selected = palette.selected.saturating_sub(page),
        KeyCode::PageDown => palette.selected += page,
        _ => {
            let before = palette.input.text();
            palette.input.handle_key(key);
            if palette.input.text() != before {
                palette.selected = 0;
            }
        }
    }
    let count = entries(app, &palette).len();
    palette.selected = palette.selected.min(count.saturating_sub(1));
    app.overlay = Some(Overlay::Palette(palette));
    Vec::new()
}

/// Pasted text goes into the palette's query.
pub fn paste(palette: &mut Palette, text: &str) {
    palette.input.insert_str(text);
    palette.selected = 0;
}
