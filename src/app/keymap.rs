//! Key bindings: one table (`keymap.toml`, patched by the config's `[keys]`) from which key
//! handling, the footer hints and the `?` help are all generated. Actions and scopes are
//! `snake_case` names, as a config writes them.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// The vim preset: a patch of the defaults, in the `[keys]` form (`keymap = "vim"`).
pub const VIM_PRESET: &str = include_str!("keymap_vim.toml");

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
    /// Indent in the body editor (two spaces).
    Indent,
    /// Run the tree's selection (a run, request, folder or collection) as checked steps.
    Run,
    /// Send the Runner pane's selected step again.
    RerunStep,
    /// Send the Runner pane's failed and skipped steps again.
    RerunFailed,
    /// Close the Runner pane (back to the history).
    CloseRunner,
    /// Show or hide the Explain panel beside the response.
    Explain,
    ExplainDown,
    ExplainUp,
    /// Open the copy menu (the request as curl, HTTPie, Hurl…, or the response body).
    Copy,
    /// Wrap long lines of the body, or scroll them sideways.
    ToggleWrap,
    /// Compare the shown response with the previous one to the same request (or the pinned one).
    Diff,
    /// Pin the shown response as the one later responses to its request compare with.
    Pin,
    /// Search the body.
    Search,
    SearchNext,
    SearchPrev,
    /// `z`: the next key folds (`a`: here, `M`: all, `R`: none).
    FoldPrefix,
    /// Fold or unfold the object or array at the cursor.
    Fold,
    FoldAll,
    UnfoldAll,
    /// In a text field: copy the selection (Ctrl+C quits when nothing is selected).
    CopyText,
    /// In a text field: cut the selection.
    CutText,
    /// In a text field: paste what scout last copied or cut.
    PasteText,
    /// Open the body (or the URL) in `$VISUAL` / `$EDITOR` and read it back.
    EditExternally,
    /// Pretty-print the JSON body.
    FormatJson,
    /// The command palette: every action here, fuzzy-matched.
    Palette,
    /// Type a method's name (one the selector does not offer).
    NameMethod,
    /// The focused pane fills the screen, or no longer does.
    Zoom,
    /// The side column (collections, history) a step narrower / wider.
    NarrowSide,
    WidenSide,
    /// Stop scout and go back to the shell (`fg` continues it), as Ctrl+Z does elsewhere.
    Suspend,
}

/// Where a binding applies. `Typing` bindings also fire while a text field has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Global,
    Typing,
    /// The URL bar (a live text field).
    Url,
    /// A query/header cell being edited.
    Cell,
    /// The body text being edited.
    BodyText,
    /// Any of the editor's text fields (the URL bar, a cell, the body) while it has the keys.
    Text,
    /// The method selector (left of the URL bar).
    Method,
    Editor,
    Table,
    /// The request editor's Auth tab (then `editor` applies).
    Auth,
    /// The response pane's Body tab (then `response` applies).
    Body,
    /// The key after `z` in the Body tab.
    Fold,
    Response,
    History,
    Runner,
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

    #[cfg(test)]
    pub const fn plain(code: KeyCode) -> Key {
        Key::new(code, KeyModifiers::NONE)
    }

    #[cfg(test)]
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    #[cfg(test)]
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
        // A shifted character is written as itself (`G`), Shift+Tab has its own name.
        if self.mods.contains(KeyModifiers::SHIFT)
            && !matches!(self.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            out.push_str("Shift+");
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
    pub help: String,
    /// Shown in the footer when its scope is active.
    pub hint: bool,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

/// The default keys, as data: `keymap.toml` beside this file.
const DEFAULT_KEYMAP: &str = include_str!("keymap.toml");

/// The default keymap, read once.
static DEFAULT: std::sync::LazyLock<Keymap> = std::sync::LazyLock::new(|| {
    Keymap::parse(DEFAULT_KEYMAP).unwrap_or_else(|e| panic!("src/app/keymap.toml: {e}"))
});

impl Default for Keymap {
    fn default() -> Self {
        DEFAULT.clone()
    }
}

/// `keymap.toml`: keys per scope, help per scope, footer actions per scope.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    keys: toml::Table,
    help: HashMap<Scope, HashMap<Action, String>>,
    footer: HashMap<Scope, Vec<Action>>,
}

/// A TOML value as a scope or an action name (`body_text`, `save_body`).
fn name<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    T::deserialize(toml::Value::String(text.to_string())).map_err(|e| e.message().to_string())
}

/// `["ctrl+r", "f5"]` as keys.
fn keys_of(value: &toml::Value) -> Result<Vec<Key>, String> {
    let list = value
        .as_array()
        .ok_or_else(|| format!("expected a list of keys such as [\"ctrl+r\"], found {value}"))?;
    list.iter()
        .map(|k| match k.as_str() {
            Some(text) => Key::parse(text),
            None => Err(format!("`{k}` is not a key: write keys as strings")),
        })
        .collect()
}

impl Keymap {
    /// Reads a keymap written like `keymap.toml`.
    pub fn parse(text: &str) -> Result<Keymap, String> {
        let file: KeymapFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut bindings = Vec::new();
        for (scope_name, actions) in &file.keys {
            let scope: Scope = name(scope_name)?;
            let actions = actions
                .as_table()
                .ok_or_else(|| format!("[keys.{scope_name}] must be a table of actions"))?;
            for (action_name, keys) in actions {
                let action: Action = name(action_name)?;
                let help = file
                    .help
                    .get(&scope)
                    .and_then(|h| h.get(&action))
                    .ok_or_else(|| format!("[help.{scope_name}] has no `{action_name}`"))?;
                bindings.push(Binding {
                    scope,
                    action,
                    keys: keys_of(keys)
                        .map_err(|e| format!("keys.{scope_name}.{action_name}: {e}"))?,
                    help: help.clone(),
                    hint: file.footer.get(&scope).is_some_and(|f| f.contains(&action)),
                });
            }
        }
        Ok(Keymap { bindings })
    }

    /// Applies a config file's `[keys]`: `action = [keys]` gives the action those keys wherever
    /// it is bound; `[keys.SCOPE]` only in that scope (binding it there if it was not). Every
    /// problem is returned, naming the key; the entries without one are applied.
    pub fn patch(&mut self, keys: &toml::Table) -> Vec<String> {
        let mut problems = Vec::new();
        for (k, value) in keys {
            if let Some(actions) = value.as_table() {
                match name::<Scope>(k) {
                    Ok(scope) => {
                        for (action_name, value) in actions {
                            if let Err(e) = self.patch_one(action_name, value, Some(scope)) {
                                problems.push(format!("keys.{k}.{action_name}: {e}"));
                            }
                        }
                    }
                    Err(e) => problems.push(format!("keys.{k}: {e}")),
                }
            } else if let Err(e) = self.patch_one(k, value, None) {
                problems.push(format!("keys.{k}: {e}"));
            }
        }
        problems
    }

    fn patch_one(
        &mut self,
        action_name: &str,
        value: &toml::Value,
        scope: Option<Scope>,
    ) -> Result<(), String> {
        let action: Action = name(action_name)?;
        let keys = keys_of(value)?;
        if keys.is_empty() {
            return Err("has no keys; keeping the default".into());
        }
        self.rebind(action, &keys, scope);
        Ok(())
    }

    /// The action `key` means in the first of `scopes` (most specific first) that binds it.
    pub fn lookup(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        scopes.iter().find_map(|scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == *scope && b.keys.iter().any(|k| k.matches(key)))
                .map(|b| b.action)
        })
    }

    /// Gives `action` new keys where it is bound, or only in `scope` (binding it there if it was
    /// not); another action of the same scope loses those keys. Without a scope, text fields
    /// (the URL bar, a cell, the body) keep their keys: they mirror the editing keys.
    fn rebind(&mut self, action: Action, keys: &[Key], scope: Option<Scope>) {
        let mut found = false;
        for b in self.bindings.iter_mut().filter(|b| {
            b.action == action
                && match scope {
                    Some(s) => b.scope == s,
                    None => !matches!(
                        b.scope,
                        Scope::Url | Scope::Cell | Scope::BodyText | Scope::Text
                    ),
                }
        }) {
            b.keys = keys.to_vec();
            found = true;
        }
        // The user's keys win: where `action` now has them, no other action keeps them.
        let scopes: Vec<Scope> = self
            .bindings
            .iter()
            .filter(|b| b.action == action && b.keys == keys)
            .map(|b| b.scope)
            .chain(scope)
            .collect();
        for b in self
            .bindings
            .iter_mut()
            .filter(|b| b.action != action && scopes.contains(&b.scope))
        {
            b.keys.retain(|k| !keys.contains(k));
        }
        if let (false, Some(scope)) = (found, scope) {
            let help = self
                .bindings
                .iter()
                .find(|b| b.action == action)
                .map(|b| b.help.clone())
                .unwrap_or_else(|| format!("{action:?}"));
            self.bindings.push(Binding {
                scope,
                action,
                keys: keys.to_vec(),
                help,
                hint: false,
            });
        }
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Footer hints for `scopes` (most specific first, as [`crate::app::update::scopes`] gives
    /// them): `("Ctrl+R", "send the request")`. A key or a description already shown by a more
    /// specific scope is not repeated. Only actions `keep` allows are named (see
    /// [`crate::app::update::footer_hints`]).
    pub fn hints(&self, scopes: &[Scope], keep: impl Fn(Action) -> bool) -> Vec<(String, &str)> {
        self.hinted(scopes, keep)
            .into_iter()
            .map(|(key, _, what)| (key.label(), what))
            .collect()
    }

    /// [`Keymap::hints`] with the key and the action each names.
    pub fn hinted(
        &self,
        scopes: &[Scope],
        keep: impl Fn(Action) -> bool,
    ) -> Vec<(Key, Action, &str)> {
        let mut out: Vec<(Key, Action, &str)> = Vec::new();
        for scope in scopes {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == *scope && b.hint && keep(b.action))
            {
                let Some(k) = b.keys.first() else { continue };
                let what = short(&b.help);
                if !out
                    .iter()
                    .any(|(key, _, w)| key.label() == k.label() || *w == what)
                {
                    out.push((*k, b.action, what));
                }
            }
        }
        out
    }

    /// The key that does `action` where the keys go to `scopes` (most specific first, as
    /// [`crate::app::update::scopes`] gives them): what a hint shown there should name.
    pub fn key_in(&self, scopes: &[Scope], action: Action) -> String {
        scopes
            .iter()
            .find_map(|scope| {
                self.bindings
                    .iter()
                    .find(|b| b.scope == *scope && b.action == action)
                    .and_then(|b| b.keys.first())
            })
            .map_or_else(|| format!("(no key for {action:?})"), Key::label)
    }

    /// The first key bound to `action` in `scope`, for messages like "press s to save" (saying
    /// so when a config left the action without keys).
    pub fn key(&self, scope: Scope, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.action == action)
            .and_then(|b| b.keys.first())
            .map_or_else(|| format!("(no key for {action:?})"), Key::label)
    }
}

/// The footer's short form of a help text: up to the first " (" or " /".
fn short(help: &str) -> &str {
    let cut = [" (", " /", ":"]
        .iter()
        .filter_map(|p| help.find(p))
        .min()
        .unwrap_or(help.len());
    &help[..cut]
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
