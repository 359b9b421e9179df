//! A small text field: single-line (URL, table cells, prompts) or multi-line (the body editor).
//! Cursor positions are in chars, so multi-byte text never splits.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    lines: Vec<String>,
    row: usize,
    col: usize,
    multiline: bool,
}

impl Default for TextInput {
    fn default() -> Self {
        TextInput::single("")
    }
}

impl TextInput {
    pub fn single(text: &str) -> Self {
        let mut t = TextInput {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            multiline: false,
        };
        t.set_text(text);
        t
    }

    pub fn multi(text: &str) -> Self {
        let mut t = TextInput {
            lines: vec![String::new()],
            row: 0,
            col: 0,
            multiline: true,
        };
        t.set_text(text);
        t.row = 0;
        t.col = 0;
        t
    }

    /// Replaces the text and puts the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
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
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
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

    /// Inserts text as it is (a paste): CR, LF and CRLF all break the line in a multi-line
    /// field (and are dropped in a single-line one), and no indentation is added.
    pub fn insert_str(&mut self, s: &str) {
        let text = s.replace("\r\n", "\n").replace('\r', "\n");
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 && self.multiline {
                self.break_line(false);
            }
            for c in part.chars() {
                self.insert_char(c);
            }
        }
    }

    fn insert_char(&mut self, c: char) {
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        line.insert(at, c);
        self.col += 1;
    }

    /// Splits the line at the cursor; a typed Enter keeps the indentation of the line it splits,
    /// as code editors do (`indent`), a pasted line break does not.
    fn break_line(&mut self, indent: bool) {
        let line = &mut self.lines[self.row];
        let at = byte_at(line, self.col);
        let rest = line.split_off(at);
        let indent: String = if indent {
            line.chars().take_while(|c| *c == ' ').collect()
        } else {
            String::new()
        };
        self.row += 1;
        self.col = indent.chars().count();
        self.lines.insert(self.row, indent + &rest);
    }

    fn backspace(&mut self) {
        if self.col > 0 {
            let line = &mut self.lines[self.row];
            let at = byte_at(line, self.col - 1);
            line.remove(at);
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = char_len(&self.lines[self.row]);
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete(&mut self) {
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

    fn clamp_col(&mut self) {
        self.col = self.col.min(char_len(&self.lines[self.row]));
    }

    /// Applies an editing key. Returns whether the key was used (text or cursor changed).
    /// Enter is used only by multi-line fields; Up/Down only when there is a line to move to.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if ctrl => match c {
                'a' => self.col = 0,
                'e' => self.col = char_len(&self.lines[self.row]),
                'u' => {
                    let line = &mut self.lines[self.row];
                    let at = byte_at(line, self.col);
                    line.replace_range(..at, "");
                    self.col = 0;
                }
                'k' => {
                    let line = &mut self.lines[self.row];
                    let at = byte_at(line, self.col);
                    line.truncate(at);
                }
                'w' | 'h' => {
                    let end = self.col;
                    if c == 'h' {
                        self.backspace();
                        return true;
                    }
                    self.word_left();
                    let line = &mut self.lines[self.row];
                    let (a, b) = (byte_at(line, self.col), byte_at(line, end));
                    line.replace_range(a..b, "");
                }
                'b' => self.word_left(),
                'f' => self.word_right(),
                _ => return false,
            },
            KeyCode::Char(c) if alt => match c {
                'b' => self.word_left(),
                'f' => self.word_right(),
                _ => return false,
            },
            KeyCode::Char(c) => self.insert_char(c),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left if ctrl || alt => self.word_left(),
            KeyCode::Right if ctrl || alt => self.word_right(),
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
                } else if self.row + 1 < self.lines.len() {
                    self.row += 1;
                    self.col = 0;
                }
            }
            KeyCode::Home => self.col = 0,
            KeyCode::End => self.col = char_len(&self.lines[self.row]),
            KeyCode::Up if self.multiline && self.row > 0 => {
                self.row -= 1;
                self.clamp_col();
            }
            KeyCode::Down if self.multiline && self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.clamp_col();
            }
            KeyCode::PageUp if self.multiline => {
                self.row = self.row.saturating_sub(10);
                self.clamp_col();
            }
            KeyCode::PageDown if self.multiline => {
                self.row = (self.row + 10).min(self.lines.len() - 1);
                self.clamp_col();
            }
            KeyCode::Enter if self.multiline => self.break_line(true),
            _ => return false,
        }
        true
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
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(t: &mut TextInput, s: &str) {
        for c in s.chars() {
            t.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn single_line_editing_handles_multibyte_and_word_keys() {
        let mut t = TextInput::single("");
        typed(&mut t, "héllo wörld");
        t.handle_key(ctrl('w'));
        assert_eq!(t.text(), "héllo ");
        t.handle_key(key(KeyCode::Home));
        t.handle_key(key(KeyCode::Delete));
        assert_eq!(t.text(), "éllo ");
        t.handle_key(ctrl('e'));
        t.handle_key(key(KeyCode::Backspace));
        assert_eq!(t.text(), "éllo");
        assert!(
            !t.handle_key(key(KeyCode::Enter)),
            "single-line ignores Enter"
        );
        t.insert_str("a\nb");
        assert_eq!(t.text(), "élloab");
        t.handle_key(ctrl('u'));
        assert!(t.is_empty());
    }

    #[test]
    fn pasted_line_breaks_of_every_kind_break_lines_and_keep_the_text_as_it_is() {
        for (pasted, lines) in [
            ("line1\rline2\rline3", vec!["line1", "line2", "line3"]),
            ("line1\r\nline2\r\nline3", vec!["line1", "line2", "line3"]),
            ("line1\nline2\nline3", vec!["line1", "line2", "line3"]),
            ("{\r  \"a\": 1\r}", vec!["{", "  \"a\": 1", "}"]),
        ] {
            let mut t = TextInput::multi("");
            t.insert_str(pasted);
            assert_eq!(t.lines(), lines, "{pasted:?}");
            assert_eq!(t.cursor(), (lines.len() - 1, lines[lines.len() - 1].len()));
        }
        let mut one = TextInput::single("");
        one.insert_str("a\rb\r\nc");
        assert_eq!(one.text(), "abc");
    }

    #[test]
    fn multi_line_keeps_indentation_and_joins_on_backspace() {
        let mut t = TextInput::multi("{");
        t.handle_key(ctrl('e'));
        t.handle_key(key(KeyCode::Enter));
        typed(&mut t, "  \"a\": 1");
        t.handle_key(key(KeyCode::Enter));
        assert_eq!(t.cursor(), (2, 2));
        t.handle_key(ctrl('u'));
        typed(&mut t, "}");
        assert_eq!(t.text(), "{\n  \"a\": 1\n}");
        t.handle_key(key(KeyCode::Home));
        t.handle_key(key(KeyCode::Backspace));
        assert_eq!(t.text(), "{\n  \"a\": 1}");
        t.handle_key(key(KeyCode::Up));
        assert_eq!(t.cursor().0, 0);
    }
}
