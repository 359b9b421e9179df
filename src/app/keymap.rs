//! Key bindings: one table from which key handling, the footer hints and the `?` help are all
//! generated. Actions are `snake_case` names so a user config can rebind them later.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Send,
    Cancel,
    NextPane,
    PrevPane,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    NextTab,
    PrevTab,
    Select,
    AddRow,
    DeleteRow,
    ToggleRow,
    NextMethod,
    PrevMethod,
    CycleBodyKind,
    /// Choose a file for a multipart part or a file body.
    PickFile,
    /// Show or hide secret values in the response pane.
    RevealSecrets,
    /// Add (or renew) an `Idempotency-Key` header, so a POST or PATCH may be retried.
    IdempotencyKey,
    SaveBody,
    /// Load the next page of a paged response.
    LoadMore,
    /// Load every remaining page (up to the caps).
    LoadAll,
    Restore,
    /// Save the editor's request to its collection (or save it as a new one).
    Save,
    /// Show the URL with its variables resolved.
    ToggleResolved,
    /// Filter the tree or the history.
    Filter,
    PickEnvironment,
    NewRequest,
    Rename,
    Duplicate,
    MoveToFolder,
    Delete,
}

/// Where a binding applies. `Typing` bindings also fire while a text field has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    Typing,
    /// The URL bar (a live text field).
    Url,
    /// A query/header cell being edited.
    Cell,
    /// The body text being edited.
    BodyText,
    /// The method selector (left of the URL bar).
    Method,
    Editor,
    Table,
    Response,
    History,
    Collections,
}

/// A key with its modifiers, e.g. `ctrl+r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    pub const fn plain(code: KeyCode) -> Key {
        Key::new(code, KeyModifiers::NONE)
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// Parses the way keys are written in a config file: `ctrl+r`, `alt+x`, `shift+tab`, `enter`,
    /// `esc`, `f5`, `pgdn`, `space`, or a single character (`q`, `G`, `?`).
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, m) = if lower.starts_with("ctrl+") {
                ("ctrl+", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt+") {
                ("alt+", KeyModifiers::ALT)
            } else if lower.starts_with("shift+") && rest.len() > "shift+".len() {
                ("shift+", KeyModifiers::SHIFT)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[prefix.len()..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "del" | "delete" => KeyCode::Delete,
            "backspace" => KeyCode::Backspace,
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if mods.contains(KeyModifiers::CONTROL) => {
                        KeyCode::Char(c.to_ascii_lowercase())
                    }
                    (Some(c), None) => {
                        // A shifted letter is written as the capital.
                        if mods.contains(KeyModifiers::SHIFT) {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => {
                        return Err(format!(
                            "`{text}` is not a key: write e.g. `ctrl+r`, `enter`, `f5` or one character"
                        ));
                    }
                }
            }
        };
        Ok(Key::new(code, mods))
    }

    /// Whether `event` is this key. Shift is implied by the character for printable keys.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        code == self.code && mods == self.mods
    }

    /// How the key is written in hints and help: `Ctrl+R`, `Enter`, `j`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl+");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt+");
        }
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str(&base.to_uppercase());
        } else {
            out.push_str(&base);
        }
        out
    }
}

/// One row of the table: in `scope`, any of `keys` means `action`; `help` says what it does there.
#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub action: Action,
    pub keys: Vec<Key>,
    pub help: &'static str,
    /// Shown in the footer when its scope is active.
    pub hint: bool,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode as K;
        use Scope::*;
        let b = |scope, action, keys: &[Key], help, hint| Binding {
            scope,
            action,
            keys: keys.to_vec(),
            help,
            hint,
        };
        let bindings = vec![
            b(
                Typing,
                Action::Send,
                &[Key::ctrl('r')],
                "send the request",
                true,
            ),
            b(
                Typing,
                Action::Save,
                &[Key::ctrl('s')],
                "save the request to its collection",
                true,
            ),
            b(
                Typing,
                Action::ToggleResolved,
                &[Key::plain(K::F(2))],
                "show the URL with variables resolved",
                false,
            ),
            b(
                Typing,
                Action::NextPane,
                &[Key::plain(K::Tab)],
                "next pane",
                true,
            ),
            b(
                Typing,
                Action::PrevPane,
                &[Key::plain(K::BackTab)],
                "previous pane",
                false,
            ),
            b(
                Typing,
                Action::Cancel,
                &[Key::plain(K::Esc)],
                "cancel the request / leave the edit",
                true,
            ),
            b(
                Url,
                Action::Send,
                &[Key::plain(K::Enter)],
                "send the request",
                true,
            ),
            b(
                Url,
                Action::Up,
                &[Key::plain(K::Up)],
                "method selector",
                true,
            ),
            b(
                Url,
                Action::Down,
                &[Key::plain(K::Down)],
                "query, headers and body below",
                true,
            ),
            b(
                Method,
                Action::Select,
                &[Key::plain(K::Enter), Key::ch(' ')],
                "choose the next method",
                true,
            ),
            b(
                Method,
                Action::Right,
                &[Key::plain(K::Right), Key::plain(K::Down)],
                "on to the URL",
                true,
            ),
            b(
                Cell,
                Action::Select,
                &[Key::plain(K::Enter)],
                "keep the edit (key → value)",
                true,
            ),
            b(
                Cell,
                Action::Cancel,
                &[Key::plain(K::Esc)],
                "undo the edit",
                true,
            ),
            b(
                BodyText,
                Action::Cancel,
                &[Key::plain(K::Esc)],
                "stop editing the body",
                true,
            ),
            b(
                Global,
                Action::Quit,
                &[Key::ch('q'), Key::ctrl('c')],
                "quit (Ctrl+C works even while typing)",
                true,
            ),
            b(
                Global,
                Action::Help,
                &[Key::ch('?'), Key::plain(K::F(1))],
                "show or hide this help",
                true,
            ),
            b(
                Global,
                Action::Up,
                &[Key::ch('k'), Key::plain(K::Up)],
                "move / scroll up",
                false,
            ),
            b(
                Global,
                Action::Down,
                &[Key::ch('j'), Key::plain(K::Down)],
                "move / scroll down",
                false,
            ),
            b(
                Global,
                Action::PageUp,
                &[Key::plain(K::PageUp)],
                "page up",
                false,
            ),
            b(
                Global,
                Action::PageDown,
                &[Key::plain(K::PageDown), Key::ch(' ')],
                "page down",
                false,
            ),
            b(
                Global,
                Action::Top,
                &[Key::ch('g'), Key::plain(K::Home)],
                "go to the top",
                false,
            ),
            b(
                Global,
                Action::Bottom,
                &[Key::ch('G'), Key::plain(K::End)],
                "go to the bottom",
                false,
            ),
            b(
                Global,
                Action::Left,
                &[Key::ch('h'), Key::plain(K::Left)],
                "left / scroll left",
                false,
            ),
            b(
                Global,
                Action::Right,
                &[Key::ch('l'), Key::plain(K::Right)],
                "right / scroll right",
                false,
            ),
            b(
                Editor,
                Action::NextMethod,
                &[Key::ch('m')],
                "next method",
                true,
            ),
            b(
                Editor,
                Action::PrevMethod,
                &[Key::ch('M')],
                "previous method",
                false,
            ),
            b(
                Editor,
                Action::NextTab,
                &[Key::ch(']')],
                "next tab (Query, Headers, Auth, Body)",
                true,
            ),
            b(
                Editor,
                Action::PrevTab,
                &[Key::ch('[')],
                "previous tab",
                false,
            ),
            b(
                Editor,
                Action::Select,
                &[Key::plain(K::Enter), Key::ch('e')],
                "edit the field (Enter in the URL bar sends)",
                true,
            ),
            b(
                Editor,
                Action::CycleBodyKind,
                &[Key::ch('t')],
                "body type: none, JSON, form, text, multipart, file",
                true,
            ),
            b(
                Editor,
                Action::PickFile,
                &[Key::ch('f')],
                "attach a file (multipart part or file body)",
                true,
            ),
            b(
                Editor,
                Action::IdempotencyKey,
                &[Key::ch('i')],
                "add an Idempotency-Key header (a new UUID): lets POST/PATCH be retried",
                false,
            ),
            b(
                Table,
                Action::AddRow,
                &[Key::ch('a'), Key::ch('n')],
                "add a row",
                true,
            ),
            b(
                Table,
                Action::DeleteRow,
                &[Key::ch('d'), Key::plain(K::Delete)],
                "delete the row",
                true,
            ),
            b(
                Table,
                Action::ToggleRow,
                &[Key::ch('x')],
                "turn the header on/off",
                true,
            ),
            b(
                Response,
                Action::NextTab,
                &[Key::ch(']')],
                "next tab (Body, Headers, Raw, Request, Cookies)",
                true,
            ),
            b(
                Response,
                Action::PrevTab,
                &[Key::ch('[')],
                "previous tab",
                false,
            ),
            b(
                Response,
                Action::RevealSecrets,
                &[Key::ch('R')],
                "show / hide secrets (tokens, passwords) on screen",
                false,
            ),
            b(
                Response,
                Action::LoadMore,
                &[Key::ch('m')],
                "load the next page (paged responses)",
                false,
            ),
            b(
                Response,
                Action::LoadAll,
                &[Key::ch('M')],
                "load all remaining pages (Esc stops, keeping them)",
                false,
            ),
            b(
                Response,
                Action::Select,
                &[Key::plain(K::Enter)],
                "Pages tab: show the page's raw response",
                false,
            ),
            b(
                Response,
                Action::SaveBody,
                &[Key::ch('s')],
                "save the body to a file",
                true,
            ),
            b(
                History,
                Action::Restore,
                &[Key::plain(K::Enter), Key::ch('e')],
                "put the request back into the editor",
                true,
            ),
            b(
                Collections,
                Action::Select,
                &[Key::plain(K::Enter)],
                "open the request / open or close the folder",
                true,
            ),
            b(
                Collections,
                Action::Filter,
                &[Key::ch('/')],
                "filter the requests",
                true,
            ),
            b(
                Collections,
                Action::PickEnvironment,
                &[Key::ch('v')],
                "choose the environment",
                true,
            ),
            b(
                Collections,
                Action::NewRequest,
                &[Key::ch('n')],
                "new request",
                true,
            ),
            b(
                Collections,
                Action::Rename,
                &[Key::ch('r')],
                "rename",
                false,
            ),
            b(
                Collections,
                Action::Duplicate,
                &[Key::ch('c')],
                "duplicate",
                false,
            ),
            b(
                Collections,
                Action::MoveToFolder,
                &[Key::ch('m')],
                "move to a folder",
                false,
            ),
            b(
                Collections,
                Action::Delete,
                &[Key::ch('d'), Key::plain(K::Delete)],
                "delete (asks first)",
                false,
            ),
            b(
                History,
                Action::Filter,
                &[Key::ch('/')],
                "filter by text, method:, status:",
                true,
            ),
        ];
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action `key` means in `scope`, falling back to the global bindings.
    pub fn lookup(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        scopes.iter().find_map(|scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == *scope && b.keys.iter().any(|k| k.matches(key)))
                .map(|b| b.action)
        })
    }

    /// Gives `action` new keys wherever it is bound, except inside text fields (the URL bar, a
    /// cell, the body), whose keys mirror the editing keys and stay as they are.
    pub fn rebind(&mut self, action: Action, keys: &[Key]) {
        for b in self.bindings.iter_mut().filter(|b| {
            b.action == action && !matches!(b.scope, Scope::Url | Scope::Cell | Scope::BodyText)
        }) {
            b.keys = keys.to_vec();
        }
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Footer hints for the given scopes, most specific first: `("Ctrl+R", "send the request")`.
    /// A key or a description already shown by a more specific scope is not repeated.
    pub fn hints(&self, scopes: &[Scope]) -> Vec<(String, &'static str)> {
        let mut ordered: Vec<Scope> = scopes
            .iter()
            .copied()
            .filter(|s| !matches!(s, Scope::Typing | Scope::Global))
            .collect();
        ordered.extend(
            scopes
                .iter()
                .copied()
                .filter(|s| matches!(s, Scope::Typing | Scope::Global)),
        );
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for scope in ordered {
            for b in self.bindings.iter().filter(|b| b.scope == scope && b.hint) {
                let Some(k) = b.keys.first() else { continue };
                let (label, what) = (k.label(), short(b.help));
                if !out.iter().any(|(l, w)| *l == label || *w == what) {
                    out.push((label, what));
                }
            }
        }
        out
    }

    /// The first key bound to `action` in `scope`, for messages like "press s to save".
    pub fn key_for(&self, scope: Scope, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.action == action)
            .and_then(|b| b.keys.first())
            .map(Key::label)
    }
}

/// The footer's short form of a help text: up to the first " (" or " /".
fn short(help: &'static str) -> &'static str {
    let cut = [" (", " /", ":"]
        .iter()
        .filter_map(|p| help.find(p))
        .min()
        .unwrap_or(help.len());
    &help[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pane_scope_wins_over_global() {
        let km = Keymap::default();
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            km.lookup(&[Scope::History, Scope::Global], &enter),
            Some(Action::Restore)
        );
        let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            km.lookup(&[Scope::History, Scope::Global], &j),
            Some(Action::Down)
        );
    }

    #[test]
    fn shifted_characters_and_ctrl_keys_match() {
        let km = Keymap::default();
        let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.lookup(&[Scope::Global], &big_g), Some(Action::Bottom));
        let ctrl_r = KeyEvent::new(
            KeyCode::Char('R'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        // Terminals report Ctrl+Shift+R with either case; both mean Ctrl+R.
        assert_eq!(km.lookup(&[Scope::Typing], &ctrl_r), Some(Action::Send));
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(km.lookup(&[Scope::Typing], &ctrl_r), Some(Action::Send));
    }

    #[test]
    fn hints_come_from_the_table() {
        let km = Keymap::default();
        let hints = km.hints(&[Scope::Response]);
        assert!(hints.contains(&("s".to_string(), "save the body to a file")));
        // The body editor's Esc replaces the generic one, and Enter-sends hides Ctrl+R's twin.
        let hints = km.hints(&[Scope::Typing, Scope::BodyText]);
        assert_eq!(hints.iter().filter(|(k, _)| k == "Esc").count(), 1);
        assert_eq!(hints[0], ("Esc".to_string(), "stop editing the body"));
        let hints = km.hints(&[Scope::Typing, Scope::Url]);
        assert_eq!(hints[0], ("Enter".to_string(), "send the request"));
        assert!(!hints.iter().any(|(k, _)| k == "Ctrl+R"));
        assert_eq!(Key::ctrl('r').label(), "Ctrl+R");
    }

    #[test]
    fn the_readme_key_table_lists_every_key() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        for b in Keymap::default().bindings() {
            for k in &b.keys {
                let label = format!("`{}`", k.label());
                assert!(
                    readme.contains(&label),
                    "README.md does not mention {label} ({})",
                    b.help
                );
            }
        }
    }

    #[test]
    fn keys_parse_as_written_in_config_files() {
        assert_eq!(Key::parse("ctrl+r"), Ok(Key::ctrl('r')));
        assert_eq!(Key::parse("Ctrl+R"), Ok(Key::ctrl('r')));
        assert_eq!(Key::parse("shift+tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(Key::parse("f5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(Key::parse("G"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("shift+g"), Ok(Key::ch('G')));
        assert_eq!(Key::parse("space"), Ok(Key::ch(' ')));
        assert_eq!(
            Key::parse("alt+x"),
            Ok(Key::new(KeyCode::Char('x'), KeyModifiers::ALT))
        );
        for bad in ["", "ctrl+", "hyper+q", "f13", "enterr"] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
        // Labels parse back to the same key.
        for k in [Key::ctrl('r'), Key::plain(KeyCode::PageDown), Key::ch('?')] {
            let label = k.label().replace("PgDn", "pgdn");
            assert_eq!(Key::parse(&label), Ok(k));
        }
    }

    #[test]
    fn rebinding_leaves_text_fields_alone() {
        let mut km = Keymap::default();
        km.rebind(Action::Up, &[Key::ch('i')]);
        let i = KeyEvent::new(KeyCode::Char('i'), KeyModifiers::NONE);
        assert_eq!(km.lookup(&[Scope::Global], &i), Some(Action::Up));
        let up = KeyEvent::new(KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(km.lookup(&[Scope::Url], &up), Some(Action::Up));
        assert_eq!(km.lookup(&[Scope::Global], &up), None);
    }

    #[test]
    fn actions_deserialize_from_snake_case() {
        #[derive(Deserialize)]
        struct T {
            a: Action,
        }
        let t: T = toml::from_str("a = \"save_body\"").unwrap();
        assert_eq!(t.a, Action::SaveBody);
    }
}
