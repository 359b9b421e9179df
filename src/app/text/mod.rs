//! A small text field: single-line (URL, table cells, prompts) or multi-line (the body editor).
//! Cursor positions are in chars, so multi-byte text never splits. It has what people expect
//! of a text field: undo and redo ([`undo`]), a selection made with Shift and the arrows, word
//! moves and deletes, and (for JSON bodies) brackets and quotes that pair as in a code editor.
//! Copy, cut and paste are the app's (they reach the clipboard): see [`TextInput::selected`] and
//! [`TextInput::cut`].

mod undo;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use self::undo::{Snapshot, Undo};

/// Why a large text has nothing to undo, for the messages that would otherwise offer Ctrl+Z
/// (the size is [`undo::MAX_BYTES`]).
pub const NO_UNDO: &str = "a text over 8 MiB keeps no undo steps";

/// Whether `key` is undo in a text field (Ctrl+Z, with Shift or not).
pub fn is_undo(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// The keys every text field knows, for the help (the app's own, such as copy and paste, are
/// in its keymap).
pub const KEYS: &[(&str, &str)] = &[
    ("ctrl+z, ctrl+y", "undo, redo"),
    (
        "shift+arrows",
        "select (shift+home/end: to the line's start/end)",
    ),
    (
        "ctrl+←/→, alt+b/f",
        "a word left / right (with shift: select)",
    ),
    ("home/end, ctrl+a", "start / end of the line"),
    ("ctrl+w, alt+backspace", "delete the word before the cursor"),
    ("ctrl+u, ctrl+k", "delete to the line's start / end"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    lines: Vec<String>,
    row: usize,
    col: usize,
    multiline: bool,
    /// Where the selection started (it runs to the cursor), when there is one.
    anchor: Option<(usize, usize)>,
    /// Brackets and quotes typed come in pairs, and Enter between a pair indents (JSON).
    pairs: bool,
    undo: Undo,
}

impl Default for TextInput {
    fn default() -> Self {
        TextInput::single("")
    }
}

impl TextInput {
    fn empty(multiline: bool) -> Self {
        TextInput {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            multiline,
            anchor: None,
            pairs: false,
            undo: Undo::default(),
        }
    }

    pub fn single(text: &str) -> Self {
        let mut t = TextInput::empty(false);
        t.load(text);
        t
    }

    pub fn multi(text: &str) -> Self {
        let mut t = TextInput::empty(true);
        t.load(text);
        t.row = 0;
        t.col = 0;
        t
    }

    /// Whether typed brackets and quotes pair up (a JSON body).
    pub fn set_pairs(&mut self, on: bool) {
        self.pairs = on;
    }

    /// Replaces the text (a step undo can take back) and puts the cursor at its end. Whether
    /// the text changed (the same text is left as it is, cursor and all).
    pub fn set_text(&mut self, text: &str) -> bool {
        if self.holds(text) {
            return false;
        }
        self.record(false);
        self.load(text);
        true
    }

    fn load(&mut self, text: &str) {
        self.lines = if self.multiline {
            text.split('\n')
                .map(|l| l.trim_end_matches('\r').to_string())
                .collect()
        } else {
            vec![text.replace(['\n', '\r'], "")]
        };
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.row = self.lines.len() - 1;
        self.col = char_len(&self.lines[self.row]);
        self.anchor = None;
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Whether Ctrl+Z has a step to take back.
    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    /// Whether undo found nothing because steps were let go: the text was too large to keep
    /// them (over 8 MiB, [`NO_UNDO`]).
    pub fn undo_lost(&self) -> bool {
        !self.undo.can_undo() && self.undo.lost()
    }

    /// Whether the text is `text` (as [`text`] would join it, without joining it).
    ///
    /// [`text`]: TextInput::text
    pub fn holds(&self, text: &str) -> bool {
        let mut rest = text;
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                let Some(after) = rest.strip_prefix('\n') else {
                    return false;
                };
                rest = after;
            }
            let Some(after) = rest.strip_prefix(line.as_str()) else {
                return false;
            };
            rest = after;
        }
        rest.is_empty()
    }

    /// Whether the text holds more than `bytes` bytes (counted no further than that).
    pub fn longer_than(&self, bytes: usize) -> bool {
        let mut total = 0usize;
        self.lines.iter().any(|l| {
            total += l.len() + 1;
            total > bytes + 1
        })
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// (row, col) of the cursor, col in chars.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// The selection's start and end (row, col), in order, when something is selected.
    pub fn selection(&self) -> Option<((usize, usize), (usize, usize))> {
        let anchor = self.anchor?;
        let cursor = (self.row, self.col);
        (anchor != cursor).then(|| (anchor.min(cursor), anchor.max(cursor)))
    }

    /// The selected columns of line `row` (start, end in chars), when any are.
    pub fn selected_in(&self, row: usize) -> Option<(usize, usize)> {
        let (start, end) = self.selection()?;
        if row < start.0 || row > end.0 {
            return None;
        }
        let from = if row == start.0 { start.1 } else { 0 };
        let to = if row == end.0 {
            end.1
        } else {
            char_len(&self.lines[row]) + 1
        };
        Some((from, to))
    }

    /// The selected text.
    pub fn selected(&self) -> Option<String> {
        let ((r0, c0), (r1, c1)) = self.selection()?;
        if r0 == r1 {
            let line = &self.lines[r0];
            return Some(line[byte_at(line, c0)..byte_at(line, c1)].to_string());
        }
        let first = &self.lines[r0];
        let mut out = first[byte_at(first, c0)..].to_string();
        for line in &self.lines[r0 + 1..r1] {
            out.push('\n');
            out.push_str(line);
        }
        let last = &self.lines[r1];
        out.push('\n');
        out.push_str(&last[..byte_at(last, c1)]);
        Some(out)
    }

    /// Removes the selection (a step undo takes back) and returns it.
    pub fn cut(&mut self) -> Option<String> {
        let text = self.selected()?;
        self.record(false);
        self.delete_selection();
        Some(text)
    }

    /// Selects all the text.
    pub fn select_all(&mut self) {
        self.anchor = Some((0, 0));
        self.row = self.lines.len() - 1;
        self.col = char_len(&self.lines[self.row]);
    }

    /// Inserts text as it is (a paste), over the selection: CR, LF and CRLF all break the line
    /// in a multi-line field (and are dropped in a single-line one), and no indentation or
    /// pairing is added.
    ///
    /// In one pass over the text and the lines: a paste of a 278 KB line took minutes when each
    /// character was inserted on its own (finding its byte from the line's start each time).
    pub fn insert_str(&mut self, s: &str) {
        self.record(false);
        self.delete_selection();
        let text = s.replace("\r\n", "\n").replace('\r', "\n");
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        if !self.multiline {
            let flat: String = text.split('\n').collect();
            line.insert_str(at, &flat);
            self.col += char_len(&flat);
            return;
        }
        let tail = line.split_off(at);
        let mut parts = text.split('\n');
        line.push_str(parts.next().unwrap_or_default());
        let more: Vec<String> = parts.map(str::to_owned).collect();
        let row = self.row + more.len();
        self.lines.splice(self.row + 1..self.row + 1, more);
        self.row = row;
        let last = &mut self.lines[row];
        self.col = char_len(last);
        last.push_str(&tail);
    }

    pub fn undo(&mut self) -> bool {
        // Without a copy of the text when there is nothing to undo.
        if !self.undo.can_undo() {
            return false;
        }
        let now = self.snapshot();
        match self.undo.undo(now) {
            Some(before) => {
                self.restore(before);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        if !self.undo.can_redo() {
            return false;
        }
        let now = self.snapshot();
        match self.undo.redo(now) {
            Some(after) => {
                self.restore(after);
                true
            }
            None => false,
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            lines: self.lines.clone(),
            row: self.row,
            col: self.col,
        }
    }

    fn restore(&mut self, s: Snapshot) {
        self.lines = s.lines;
        self.row = s.row.min(self.lines.len() - 1);
        self.col = s.col.min(char_len(&self.lines[self.row]));
        self.anchor = None;
    }

    /// Marks the state before an edit for undo (a typed character joins the typing before it,
    /// without a copy of the text). A text too large for undo is not copied at all: in an
    /// 11 MB body that copy took 60 ms a word.
    fn record(&mut self, typed: bool) {
        if self.undo.joins(typed) {
            return;
        }
        if self.longer_than(undo::MAX_BYTES) {
            self.undo.too_large(typed);
            return;
        }
        let before = self.snapshot();
        self.undo.record(before, typed);
    }

    /// Deletes the selected text, leaving the cursor where it started. Whether there was any.
    fn delete_selection(&mut self) -> bool {
        let Some(((r0, c0), (r1, c1))) = self.selection() else {
            self.anchor = None;
            return false;
        };
        let tail = {
            let last = &self.lines[r1];
            last[byte_at(last, c1)..].to_string()
        };
        let first = &mut self.lines[r0];
        first.truncate(byte_at(first, c0));
        first.push_str(&tail);
        self.lines.drain(r0 + 1..=r1);
        (self.row, self.col) = (r0, c0);
        self.anchor = None;
        true
    }

    fn insert_char(&mut self, c: char) {
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        line.insert(at, c);
        self.col += 1;
    }

    fn char_before(&self) -> Option<char> {
        self.col
            .checked_sub(1)
            .and_then(|i| self.lines[self.row].chars().nth(i))
    }

    fn char_after(&self) -> Option<char> {
        self.lines[self.row].chars().nth(self.col)
    }

    /// A typed character: over the selection, and in a JSON body with its pair.
    fn type_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.undo.break_step();
        }
        self.record(true);
        let replaced = self.delete_selection();
        if self.pairs && !replaced {
            let after = self.char_after();
            // Typing the closer that is already there steps over it.
            if matches!(c, '}' | ']' | '"') && after == Some(c) {
                self.col += 1;
                return;
            }
            let before = self.char_before();
            let free = after.is_none_or(|a| a.is_whitespace() || ",:}]".contains(a));
            let closer = match c {
                '{' => Some('}'),
                '[' => Some(']'),
                '"' if before != Some('\\') && !before.is_some_and(char::is_alphanumeric) => {
                    Some('"')
                }
                _ => None,
            };
            if let Some(closer) = closer.filter(|_| free) {
                self.insert_char(c);
                self.insert_char(closer);
                self.col -= 1;
                return;
            }
        }
        self.insert_char(c);
    }

    /// Splits the line at the cursor; a typed Enter keeps the indentation of the line it splits,
    /// as code editors do (`indent`), a pasted line break does not. In a JSON body, Enter after
    /// an opening bracket indents one more level, and a closer right after the cursor goes on a
    /// line of its own.
    fn break_line(&mut self, indent: bool) {
        let opened = indent && self.pairs && matches!(self.char_before(), Some('{' | '['));
        let closes = opened
            && matches!(
                (self.char_before(), self.char_after()),
                (Some('{'), Some('}')) | (Some('['), Some(']'))
            );
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        let rest = line.split_off(at);
        let base: String = if indent {
            line.chars().take_while(|c| *c == ' ').collect()
        } else {
            String::new()
        };
        let inner = if opened {
            format!("{base}  ")
        } else {
            base.clone()
        };
        self.row += 1;
        self.col = inner.chars().count();
        if closes {
            self.lines.insert(self.row, inner);
            self.lines.insert(self.row + 1, base + &rest);
        } else {
            self.lines.insert(self.row, inner + &rest);
        }
    }

    fn backspace(&mut self) {
        if self.delete_selection() {
            return;
        }
        if self.col > 0 {
            // An empty pair typed together goes together.
            let pair = self.pairs
                && matches!(
                    (self.char_before(), self.char_after()),
                    (Some('{'), Some('}')) | (Some('['), Some(']')) | (Some('"'), Some('"'))
                );
            let line = &mut self.lines[self.row];
            let at = byte_at(line, self.col - 1);
            line.remove(at);
            if pair {
                line.remove(at);
            }
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = char_len(&self.lines[self.row]);
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete(&mut self) {
        if self.delete_selection() {
            return;
        }
        let len = char_len(&self.lines[self.row]);
        if self.col < len {
            let line = &mut self.lines[self.row];
            let at = byte_at(line, self.col);
            line.remove(at);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    fn word_left(&mut self) {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        let mut i = self.col.min(chars.len());
        while i > 0 && !chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        while i > 0 && chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        self.col = i;
    }

    fn word_right(&mut self) {
        let chars: Vec<char> = self.lines[self.row].chars().collect();
        let mut i = self.col;
        while i < chars.len() && !chars[i].is_alphanumeric() {
            i += 1;
        }
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        self.col = i;
    }

    fn delete_word_before(&mut self) {
        if self.delete_selection() {
            return;
        }
        let end = self.col;
        self.word_left();
        let line = &mut self.lines[self.row];
        let (a, b) = (byte_at(line, self.col), byte_at(line, end));
        line.replace_range(a..b, "");
    }

    fn clamp_col(&mut self) {
        self.col = self.col.min(char_len(&self.lines[self.row]));
    }

    /// Applies a moving key; whether it was one. With Shift the selection follows the cursor;
    /// without, a selection ends (Left and Right first go to its start and end).
    fn move_key(&mut self, key: KeyEvent) -> bool {
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        let word = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let lines = self.lines.len();
        let can = match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => true,
            KeyCode::Up => self.multiline && (self.row > 0 || shift),
            KeyCode::Down => self.multiline && (self.row + 1 < lines || shift),
            KeyCode::PageUp | KeyCode::PageDown => self.multiline,
            _ => false,
        };
        if !can {
            return false;
        }
        self.undo.break_step();
        if shift {
            self.anchor.get_or_insert((self.row, self.col));
        } else if let Some((start, end)) = self.selection().filter(|_| !word) {
            self.anchor = None;
            match key.code {
                KeyCode::Left => {
                    (self.row, self.col) = start;
                    return true;
                }
                KeyCode::Right => {
                    (self.row, self.col) = end;
                    return true;
                }
                _ => {}
            }
        } else {
            self.anchor = None;
        }
        match key.code {
            KeyCode::Left if word => self.word_left(),
            KeyCode::Right if word => self.word_right(),
            KeyCode::Left => {
                if self.col > 0 {
                    self.col -= 1;
                } else if self.row > 0 {
                    self.row -= 1;
                    self.col = char_len(&self.lines[self.row]);
                }
            }
            KeyCode::Right => {
                if self.col < char_len(&self.lines[self.row]) {
                    self.col += 1;
                } else if self.row + 1 < lines {
                    self.row += 1;
                    self.col = 0;
                }
            }
            KeyCode::Home => self.col = 0,
            KeyCode::End => self.col = char_len(&self.lines[self.row]),
            KeyCode::Up if self.row == 0 => self.col = 0,
            KeyCode::Up => {
                self.row -= 1;
                self.clamp_col();
            }
            KeyCode::Down if self.row + 1 == lines => self.col = char_len(&self.lines[self.row]),
            KeyCode::Down => {
                self.row += 1;
                self.clamp_col();
            }
            KeyCode::PageUp => {
                self.row = self.row.saturating_sub(10);
                self.clamp_col();
            }
            _ => {
                self.row = (self.row + 10).min(lines - 1);
                self.clamp_col();
            }
        }
        true
    }

    /// Applies an editing key. Returns whether the key was used (text or cursor changed).
    /// Enter is used only by multi-line fields; Up/Down only when there is a line to move to.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        if self.move_key(key) {
            return true;
        }
        if is_undo(&key) {
            return self.undo();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if ctrl => match c {
                'y' => return self.redo(),
                'a' => self.move_to(0),
                'e' => self.move_to(char_len(&self.lines[self.row])),
                'u' => {
                    self.record(false);
                    self.anchor = None;
                    let line = &mut self.lines[self.row];
                    let at = byte_at(line, self.col);
                    line.replace_range(..at, "");
                    self.col = 0;
                }
                'k' => {
                    self.record(false);
                    self.anchor = None;
                    let line = &mut self.lines[self.row];
                    let at = byte_at(line, self.col);
                    line.truncate(at);
                }
                'w' => {
                    self.record(false);
                    self.delete_word_before();
                }
                'h' => {
                    self.record(false);
                    self.backspace();
                }
                'b' => {
                    self.move_key(KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL));
                }
                _ => return false,
            },
            // Alt+B / Alt+F: a word left / right; with Shift (a capital), selecting.
            KeyCode::Char(c) if alt => {
                let shift = if c.is_ascii_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                let code = match c.to_ascii_lowercase() {
                    'b' => KeyCode::Left,
                    'f' => KeyCode::Right,
                    _ => return false,
                };
                self.move_key(KeyEvent::new(code, KeyModifiers::ALT | shift));
            }
            KeyCode::Char(c) => self.type_char(c),
            KeyCode::Backspace if alt || ctrl => {
                self.record(false);
                self.delete_word_before();
            }
            KeyCode::Backspace => {
                self.record(false);
                self.backspace();
            }
            KeyCode::Delete => {
                self.record(false);
                self.delete();
            }
            KeyCode::Enter if self.multiline => {
                self.record(false);
                self.delete_selection();
                self.break_line(true);
            }
            _ => return false,
        }
        true
    }

    fn move_to(&mut self, col: usize) {
        self.undo.break_step();
        self.anchor = None;
        self.col = col;
    }
}

pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Byte offset of char index `col` (clamped to the end).
pub fn byte_at(s: &str, col: usize) -> usize {
    s.char_indices().nth(col).map(|(i, _)| i).unwrap_or(s.len())
}

#[cfg(test)]
mod tests;
