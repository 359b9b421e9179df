//! Splitting a pasted command line into words the way a shell would, for commands copied from
//! browser devtools and API docs: single and double quotes, `$'…'` (ANSI-C quoting),
//! backslash escapes and backslash-newline continuations (POSIX shells), and the `^` escapes
//! and continuations of a Windows `cmd` copy. `shlex`/`shell-words` do not do `$'…'`, which
//! Chrome's "Copy as cURL" uses for any body with a quote or a newline.
//!
//! `;`, `&`, `&&`, `||` and `|` end a command, and redirections (`> out.json`, `2>&1`,
//! `< body`) are taken out. A `$NAME` or `${NAME}` the shell would expand is kept as a marker:
//! [`env_refs`] turns it into what the caller wants.

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

/// Around the name of a variable the shell would expand (`$TOKEN`) in a word: characters of
/// Unicode's private use area, which no command line holds.
const VAR_START: char = '\u{e000}';
const VAR_END: char = '\u{e001}';

/// `text` with each `$NAME` marker replaced by `to(NAME)`.
pub fn env_refs(text: &str, to: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(VAR_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + VAR_START.len_utf8()..];
        let end = after.find(VAR_END).unwrap_or(after.len());
        out.push_str(&to(&after[..end]));
        rest = after.get(end + VAR_END.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// `text` as the shell would show it: markers back as `$NAME`.
pub fn with_dollars(text: &str) -> String {
    env_refs(text, |name| format!("${name}"))
}

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
    // Words part where a shell parts them: at blanks, not at any Unicode space (a no-break space
    // is part of a word).
    let blank = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let first_argument = command
        .trim_start_matches(blank)
        .split_once(blank)
        .map(|(_, rest)| rest.trim_start_matches(blank));
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
        // The next word is a redirection's target, not an argument.
        let mut target = false;
        while let Some((at, c)) = self.chars.next() {
            if words.is_empty() && !in_word {
                line = self.text[..at].matches('\n').count() + 1;
            }
            let mut end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
                if std::mem::take(in_word) {
                    let w = std::mem::take(word);
                    if !std::mem::take(&mut target) {
                        words.push(w);
                    }
                }
            };
            match c {
                ' ' | '\t' | '\n' | '\r' => {
                    end_word(&mut word, &mut in_word, &mut words);
                    if c == '\n' && !words.is_empty() {
                        commands.push(Command {
                            line,
                            words: std::mem::take(&mut words),
                        });
                    }
                }
                ';' | '&' | '|' => {
                    end_word(&mut word, &mut in_word, &mut words);
                    // `&&`, `||`, `;;`: one operator.
                    self.chars.next_if(|(_, next)| *next == c);
                    if !words.is_empty() {
                        commands.push(Command {
                            line,
                            words: std::mem::take(&mut words),
                        });
                    }
                }
                '<' | '>' => {
                    // `2>`: the digits were the descriptor, not a word.
                    if in_word && !word.is_empty() && word.chars().all(|d| d.is_ascii_digit()) {
                        word.clear();
                        in_word = false;
                    }
                    end_word(&mut word, &mut in_word, &mut words);
                    self.chars.next_if(|(_, next)| matches!(next, '>' | '<'));
                    if self.chars.next_if(|(_, next)| *next == '&').is_some() {
                        // `2>&1`: a descriptor, no file.
                        while self
                            .chars
                            .next_if(|(_, d)| d.is_ascii_digit() || *d == '-')
                            .is_some()
                        {}
                    } else {
                        target = true;
                    }
                }
                '$' if self.chars.peek().is_some_and(|(_, n)| starts_name(*n)) => {
                    in_word = true;
                    self.variable(&mut word);
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
        if in_word && !target {
            words.push(word);
        }
        if !words.is_empty() {
            commands.push(Command { line, words });
        }
        Ok(commands)
    }

    /// `$NAME` or `${NAME}` (the `$` read): the name between markers.
    fn variable(&mut self, word: &mut String) {
        let braced = self.chars.next_if(|(_, c)| *c == '{').is_some();
        word.push(VAR_START);
        while let Some((_, c)) = self
            .chars
            .next_if(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        {
            word.push(c);
        }
        if braced {
            // `${NAME:-default}` and the like: the name is what counts.
            for (_, c) in self.chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
        }
        word.push(VAR_END);
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
                '$' if self.chars.peek().is_some_and(|(_, n)| starts_name(*n)) => {
                    self.variable(word)
                }
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

/// What may follow `$` for a variable the shell expands: `{`, a letter or `_`.
fn starts_name(c: char) -> bool {
    c == '{' || c.is_ascii_alphabetic() || c == '_'
}

fn push_char(bytes: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
