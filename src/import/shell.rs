//! Splitting a pasted command line into words the way a shell would, for commands copied from
//! browser devtools and API docs: single and double quotes, `$'…'` (ANSI-C quoting),
//! backslash escapes and backslash-newline continuations (POSIX shells), and the `^` escapes
//! and continuations of a Windows `cmd` copy. `shlex`/`shell-words` do not do `$'…'`, which
//! Chrome's "Copy as cURL" uses for any body with a quote or a newline.

use std::fmt;

/// Why a command line could not be split, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for SplitError {}

/// The words of `command`. A Windows `cmd` copy (a `^` before a line end or a quote) has its
/// `^` escapes undone first.
pub fn split(command: &str) -> Result<Vec<String>, SplitError> {
    Ok(commands(command)?
        .into_iter()
        .flat_map(|c| c.words)
        .collect())
}

/// One command of a script: its words and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub line: usize,
    pub words: Vec<String>,
}

/// The commands of `text`, one per line as a shell runs them (a line end inside quotes or after
/// a continuation does not end one); blank lines and comments give none.
pub fn commands(text: &str) -> Result<Vec<Command>, SplitError> {
    let text = if is_cmd_copy(text) {
        undo_caret_escapes(text)
    } else {
        text.to_string()
    };
    Splitter::new(&text).commands()
}

/// `curl ^"https://…^" ^` — the shape of Chrome's "Copy as cURL (cmd)": a `^` continuing a
/// line, or a first argument quoted with `^"`. (A `^"` elsewhere is just text to a POSIX shell.)
fn is_cmd_copy(command: &str) -> bool {
    let first_argument = command
        .trim_start()
        .split_once(char::is_whitespace)
        .map(|(_, rest)| rest.trim_start());
    command.contains("^\n")
        || command.contains("^\r\n")
        || first_argument.is_some_and(|a| a.starts_with("^\""))
}

/// `^x` is `x` in cmd, and `^` at a line end continues the line.
fn undo_caret_escapes(command: &str) -> String {
    let mut out = String::with_capacity(command.len());
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\r') if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            Some('\n') | None => {}
            Some(escaped) => out.push(escaped),
        }
    }
    out
}

struct Splitter<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    /// Digits the last [`Splitter::number`] read.
    last_digits: usize,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str) -> Self {
        Splitter {
            chars: text.char_indices().peekable(),
            text,
            last_digits: 0,
        }
    }

    fn error(&self, at: usize, message: impl Into<String>) -> SplitError {
        let before = &self.text[..at];
        SplitError {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message: message.into(),
        }
    }

    fn commands(mut self) -> Result<Vec<Command>, SplitError> {
        let mut commands = Vec::new();
        let mut line = 1;
        let mut words = Vec::new();
        let mut word = String::new();
        // A word can be empty (`''`), so "in a word" is kept apart from its text.
        let mut in_word = false;
        while let Some((at, c)) = self.chars.next() {
            if words.is_empty() && !in_word {
                line = self.text[..at].matches('\n').count() + 1;
            }
            match c {
                ' ' | '\t' | '\n' | '\r' => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                    if c == '\n' && !words.is_empty() {
                        commands.push(Command {
                            line,
                            words: std::mem::take(&mut words),
                        });
                    }
                }
                '#' if !in_word => {
                    // A comment runs to the end of the line.
                    while self.chars.next_if(|(_, c)| *c != '\n').is_some() {}
                }
                '\\' => {
                    let was_in_word = in_word;
                    in_word = true;
                    match self.chars.next() {
                        // A continuation: the line goes on.
                        Some((_, '\n')) => {}
                        Some((_, '\r')) if self.chars.next_if(|(_, c)| *c == '\n').is_some() => {}
                        Some((_, escaped)) => word.push(escaped),
                        None => {}
                    }
                    // A continuation between words does not start one.
                    if !was_in_word && word.is_empty() && !self.followed_by_word() {
                        in_word = false;
                    }
                }
                '\'' => {
                    in_word = true;
                    self.single_quoted(at, &mut word)?;
                }
                '"' => {
                    in_word = true;
                    self.double_quoted(at, &mut word)?;
                }
                '$' if self.chars.peek().is_some_and(|(_, c)| *c == '\'') => {
                    self.chars.next();
                    in_word = true;
                    self.ansi_c_quoted(at, &mut word)?;
                }
                c => {
                    in_word = true;
                    word.push(c);
                }
            }
        }
        if in_word {
            words.push(word);
        }
        if !words.is_empty() {
            commands.push(Command { line, words });
        }
        Ok(commands)
    }

    /// Whether the next character continues a word (rather than ending one).
    fn followed_by_word(&mut self) -> bool {
        self.chars
            .peek()
            .is_some_and(|(_, c)| !matches!(c, ' ' | '\t' | '\n' | '\r'))
    }

    fn single_quoted(&mut self, at: usize, word: &mut String) -> Result<(), SplitError> {
        for (_, c) in self.chars.by_ref() {
            if c == '\'' {
                return Ok(());
            }
            word.push(c);
        }
        Err(self.error(at, "this ' is never closed"))
    }

    fn double_quoted(&mut self, at: usize, word: &mut String) -> Result<(), SplitError> {
        while let Some((_, c)) = self.chars.next() {
            match c {
                '"' => return Ok(()),
                '\\' => match self.chars.next() {
                    Some((_, '\n')) => {}
                    Some((_, e @ ('"' | '\\' | '$' | '`'))) => word.push(e),
                    Some((_, other)) => {
                        word.push('\\');
                        word.push(other);
                    }
                    None => break,
                },
                c => word.push(c),
            }
        }
        Err(self.error(at, "this \" is never closed"))
    }

    /// `$'…'`: backslash escapes as in C (`\n`, `\t`, `\xHH`, `\NNN`, `\uHHHH`, …). `\x` and
    /// octal escapes are bytes, so `$'\xe6\x97\xa5'` is 日.
    fn ansi_c_quoted(&mut self, at: usize, word: &mut String) -> Result<(), SplitError> {
        let mut bytes: Vec<u8> = Vec::new();
        while let Some((_, c)) = self.chars.next() {
            match c {
                '\'' => {
                    word.push_str(&String::from_utf8_lossy(&bytes));
                    return Ok(());
                }
                '\\' => {
                    let Some((_, e)) = self.chars.next() else {
                        break;
                    };
                    match e {
                        'n' => bytes.push(b'\n'),
                        't' => bytes.push(b'\t'),
                        'r' => bytes.push(b'\r'),
                        'a' => bytes.push(0x07),
                        'b' => bytes.push(0x08),
                        'e' | 'E' => bytes.push(0x1b),
                        'f' => bytes.push(0x0c),
                        'v' => bytes.push(0x0b),
                        'x' => match self.number(16, 2) {
                            Some(v) => bytes.push(v as u8),
                            None => bytes.extend_from_slice(b"\\x"),
                        },
                        'u' | 'U' => {
                            let max = if e == 'u' { 4 } else { 8 };
                            match self.number(16, max) {
                                Some(v) => {
                                    push_char(&mut bytes, char::from_u32(v).unwrap_or('\u{fffd}'))
                                }
                                None => {
                                    bytes.push(b'\\');
                                    push_char(&mut bytes, e);
                                }
                            }
                        }
                        '0'..='7' => {
                            let rest = self.number(8, 2).unwrap_or(0);
                            let digits = self.last_digits;
                            let first = e.to_digit(8).unwrap_or(0);
                            let value = first * 8u32.pow(digits as u32) + rest;
                            bytes.push(value as u8);
                        }
                        other => push_char(&mut bytes, other),
                    }
                }
                c => push_char(&mut bytes, c),
            }
        }
        Err(self.error(at, "this $' is never closed"))
    }

    /// Up to `max` digits in `radix`; `None` when there is none. How many were read is left in
    /// `last_digits`.
    fn number(&mut self, radix: u32, max: usize) -> Option<u32> {
        let mut value = 0u32;
        let mut digits = 0;
        while digits < max {
            match self.chars.next_if(|(_, c)| c.is_digit(radix)) {
                Some((_, d)) => value = value * radix + d.to_digit(radix).unwrap_or(0),
                None => break,
            }
            digits += 1;
        }
        self.last_digits = digits;
        (digits > 0).then_some(value)
    }
}

fn push_char(bytes: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
