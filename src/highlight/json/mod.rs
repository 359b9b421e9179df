//! Streaming JSON validation + pretty-printing, and the nesting index that lets the highlighter
//! resume in the middle of a huge document (see [`index`]).
//!
//! One pass over the bytes, no recursion and no `serde_json::Value` tree: the parser is a small
//! state machine with an explicit stack, and string contents are copied verbatim (escapes
//! included). The output uses serde_json's pretty format (2-space indent, `": "` after keys,
//! empty `{}`/`[]` on one line), except that indentation stops growing after
//! [`MAX_INDENT_LEVELS`] so that pathological nesting cannot blow up the output. The text holds
//! each line without its indentation, kept apart ([`Indents`]): a quarter of the bytes, saved.

mod index;
mod issue;
mod lines;
pub(crate) mod outline;
pub mod streaming;

use index::NO_NODE;
pub(crate) use index::{CHECKPOINT_INTERVAL, Container, JsonIndex, apply_line};
pub use issue::{JsonIssue, json_issue};
pub(crate) use lines::{Builder, Layout, LineKind, Part};

use super::indents::{INDENT_WIDTH, Indents};
use super::starts::LineStarts;

/// Indentation grows with nesting up to this many levels, then stays flat.
pub(crate) const MAX_INDENT_LEVELS: usize = 32;

/// Pretty-printed JSON plus its line index.
#[derive(Debug)]
pub(crate) struct Pretty {
    /// Every line ends with `\n`; lines are written without their indentation.
    pub(crate) text: String,
    pub(crate) line_starts: LineStarts,
    /// Each line's indentation.
    pub(crate) indents: Indents,
    pub(crate) index: JsonIndex,
    /// Strings contained bytes that may need display sanitising (DEL or C1 controls).
    pub(crate) needs_sanitizing: bool,
    /// The longest line, in characters.
    pub(crate) max_line_chars: usize,
}

#[cfg(test)]
impl Pretty {
    /// The text as shown: each line after its indentation.
    pub(crate) fn shown(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for (i, line) in self.text.lines().enumerate() {
            out.extend(std::iter::repeat_n(
                ' ',
                usize::from(self.indents.get(i)) * INDENT_WIDTH,
            ));
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// Why a body could not be pretty-printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PrettyError {
    /// Not valid JSON; `line`/`column` are 1-based (column counted in bytes, like serde_json).
    #[error("{message} at line {line} column {column}")]
    Invalid {
        message: &'static str,
        line: usize,
        column: usize,
    },
    /// The pretty form would be unreasonably larger than the input (pathological nesting).
    #[error("pretty-printed form would be too large")]
    TooLarge,
}

/// Validates `input` as JSON and pretty-prints it.
pub(crate) fn pretty(input: &str) -> Result<Pretty, PrettyError> {
    let mut w = Writer::new(input.len());
    w.start_line()?;
    Parser::new(input).run(&mut w, &mut Vec::new())?;
    w.end_line();
    Ok(w.finish())
}

/// The message of the error for text after a complete top-level value (what a JSON Lines body
/// gives when read as one document).
pub(crate) const TRAILING_CHARACTERS: &str = "trailing characters";

impl PrettyError {
    /// Whether the text holds a complete value followed by more text on a later line (so it
    /// may be a stream of values, one per line).
    pub(crate) fn is_trailing_after_first_line(&self) -> bool {
        matches!(self, PrettyError::Invalid { message, line, .. } if *message == TRAILING_CHARACTERS && *line > 1)
    }
}

struct Writer {
    out: String,
    line_starts: LineStarts,
    indents: Indents,
    /// The indentation level of the line being written.
    line_level: u8,
    index: JsonIndex,
    /// Innermost open container, a node of `index`.
    top: u32,
    depth: usize,
    /// The indentation of the lines written: the text shown is this much longer than `out`.
    indented: usize,
    /// The most the text shown may be (pathological nesting).
    budget: usize,
    needs_sanitizing: bool,
    max_line_chars: usize,
}

impl Writer {
    /// A writer for the pretty form of `input_len` bytes of JSON text; nothing written yet
    /// (call [`Writer::start_line`] first).
    fn new(input_len: usize) -> Writer {
        let budget = input_len
            .saturating_mul(8)
            .saturating_add(4 << 20)
            .min(u32::MAX as usize - 1);
        Writer {
            out: String::with_capacity(input_len + input_len / 2 + 16),
            line_starts: LineStarts::with_capacity(input_len / 24 + 1),
            indents: Indents::with_capacity(input_len / 24 + 1),
            line_level: 0,
            index: JsonIndex::new(),
            top: NO_NODE,
            depth: 0,
            indented: 0,
            budget,
            needs_sanitizing: false,
            max_line_chars: 0,
        }
    }

    /// Ends the last line (the text then ends with `\n`).
    fn end_line(&mut self) {
        self.finish_line();
        self.out.push('\n');
    }

    fn finish(mut self) -> Pretty {
        self.out.shrink_to_fit();
        self.line_starts.shrink_to_fit();
        self.indents.shrink_to_fit();
        self.index.shrink_to_fit();
        Pretty {
            text: self.out,
            line_starts: self.line_starts,
            indents: self.indents,
            index: self.index,
            needs_sanitizing: self.needs_sanitizing,
            max_line_chars: self.max_line_chars,
        }
    }

    /// Accounts for the line being written (before its newline) in `max_line_chars`.
    fn finish_line(&mut self) {
        let start = self.line_starts.last().map_or(0, |s| s as usize);
        let indent = usize::from(self.line_level) * INDENT_WIDTH;
        // Characters never outnumber bytes: only count lines that could be a new maximum.
        if indent + self.out.len() - start > self.max_line_chars {
            let chars = self.out.get(start..).map_or(0, |line| line.chars().count());
            self.max_line_chars = self.max_line_chars.max(indent + chars);
        }
    }

    /// Ends the current line and starts the next, indented.
    #[inline]
    fn newline(&mut self) -> Result<(), PrettyError> {
        self.finish_line();
        self.out.push('\n');
        self.start_line()
    }

    /// Records that a line starts at the end of `out` (which ends with `\n`, or is empty), at
    /// the current depth, with a checkpoint when the line is due one.
    #[inline]
    fn start_line(&mut self) -> Result<(), PrettyError> {
        let start = u32::try_from(self.out.len()).map_err(|_| PrettyError::TooLarge)?;
        if self.out.len() + self.indented > self.budget {
            return Err(PrettyError::TooLarge);
        }
        if self.line_starts.len().is_multiple_of(CHECKPOINT_INTERVAL)
            && !self.line_starts.is_empty()
        {
            self.index.checkpoint(self.top);
        }
        self.line_starts.push(start);
        // MAX_INDENT_LEVELS fits in a u8.
        self.line_level = self.depth.min(MAX_INDENT_LEVELS) as u8;
        self.indents.push(self.line_level);
        self.indented += usize::from(self.line_level) * INDENT_WIDTH;
        Ok(())
    }

    fn open(&mut self, kind: Container) -> Result<(), PrettyError> {
        self.top = self
            .index
            .push(self.top, kind)
            .ok_or(PrettyError::TooLarge)?;
        self.out.push(match kind {
            Container::Object => '{',
            Container::Array => '[',
        });
        self.depth += 1;
        self.newline()
    }

    fn close(&mut self, kind: Container) -> Result<(), PrettyError> {
        self.depth = self.depth.saturating_sub(1);
        // The closing line still belongs to the container: record it before popping.
        self.newline()?;
        self.top = self.index.parent(self.top);
        self.out.push(match kind {
            Container::Object => '}',
            Container::Array => ']',
        });
        Ok(())
    }
}

/// What the parser expects next.
#[derive(Clone, Copy)]
enum Expect {
    Value,
    Key,
    AfterValue,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    /// Parses exactly one value (whitespace around it allowed) and writes its pretty form.
    /// `stack`: scratch space, empty on entry.
    fn run(&mut self, w: &mut Writer, stack: &mut Vec<Container>) -> Result<(), PrettyError> {
        let mut expect = Expect::Value;
        loop {
            self.skip_ws();
            expect = match expect {
                Expect::Value => self.value(w, stack)?,
                Expect::Key => {
                    match self.peek() {
                        Some(b'"') => self.string(w)?,
                        Some(_) => return Err(self.error("key must be a string")),
                        None => return Err(self.error("EOF while parsing an object")),
                    }
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return Err(self.error(if self.peek().is_some() {
                            "expected `:`"
                        } else {
                            "EOF while parsing an object"
                        }));
                    }
                    self.pos += 1;
                    w.out.push_str(": ");
                    Expect::Value
                }
                Expect::AfterValue => {
                    let Some(&top) = stack.last() else {
                        return match self.peek() {
                            None => Ok(()),
                            Some(_) => Err(self.error(TRAILING_CHARACTERS)),
                        };
                    };
                    match (self.peek(), top) {
                        (Some(b','), _) => {
                            self.pos += 1;
                            self.skip_ws();
                            if matches!(self.peek(), Some(b']' | b'}')) {
                                return Err(self.error("trailing comma"));
                            }
                            w.out.push(',');
                            w.newline()?;
                            match top {
                                Container::Object => Expect::Key,
                                Container::Array => Expect::Value,
                            }
                        }
                        (Some(b'}'), Container::Object) | (Some(b']'), Container::Array) => {
                            self.pos += 1;
                            stack.pop();
                            w.close(top)?;
                            Expect::AfterValue
                        }
                        (None, Container::Object) => {
                            return Err(self.error("EOF while parsing an object"));
                        }
                        (None, Container::Array) => {
                            return Err(self.error("EOF while parsing a list"));
                        }
                        (Some(_), Container::Object) => {
                            return Err(self.error("expected `,` or `}`"));
                        }
                        (Some(_), Container::Array) => {
                            return Err(self.error("expected `,` or `]`"));
                        }
                    }
                }
            };
        }
    }

    /// Parses the start of a value at `pos` (whitespace already skipped).
    fn value(&mut self, w: &mut Writer, stack: &mut Vec<Container>) -> Result<Expect, PrettyError> {
        let Some(byte) = self.peek() else {
            return Err(self.error("EOF while parsing a value"));
        };
        match byte {
            b'{' | b'[' => {
                let (kind, close, empty) = if byte == b'{' {
                    (Container::Object, b'}', "{}")
                } else {
                    (Container::Array, b']', "[]")
                };
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.pos += 1;
                    w.out.push_str(empty);
                    return Ok(Expect::AfterValue);
                }
                stack.push(kind);
                w.open(kind)?;
                Ok(match kind {
                    Container::Object => Expect::Key,
                    Container::Array => Expect::Value,
                })
            }
            b'"' => {
                self.string(w)?;
                Ok(Expect::AfterValue)
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.number()?;
                w.out.push_str(self.slice(start));
                Ok(Expect::AfterValue)
            }
            b't' | b'f' | b'n' => {
                let word: &str = match byte {
                    b't' => "true",
                    b'f' => "false",
                    _ => "null",
                };
                if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
                    return Err(self.error("expected ident"));
                }
                self.pos += word.len();
                w.out.push_str(word);
                Ok(Expect::AfterValue)
            }
            _ => Err(self.error("expected value")),
        }
    }

    /// Copies the string starting at `pos` (an opening quote) verbatim.
    fn string(&mut self, w: &mut Writer) -> Result<(), PrettyError> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            i = next_special_string_byte(self.bytes, i);
            self.pos = i;
            match self.bytes.get(i) {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    self.pos = i + 1;
                    match self.bytes.get(i + 1) {
                        None => return Err(self.error("EOF while parsing a string")),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') => {
                            for k in 0..4 {
                                self.pos = i + 2 + k;
                                match self.bytes.get(i + 2 + k) {
                                    Some(h) if h.is_ascii_hexdigit() => {}
                                    Some(_) => {
                                        return Err(self.error("invalid escape"));
                                    }
                                    None => {
                                        return Err(self.error("EOF while parsing a string"));
                                    }
                                }
                            }
                            i += 6;
                        }
                        Some(_) => return Err(self.error("invalid escape")),
                    }
                }
                Some(0x7f | 0xc2) => {
                    w.needs_sanitizing = true;
                    i += 1;
                }
                Some(_) => {
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
        self.pos = i + 1;
        w.out.push_str(self.slice(start));
        Ok(())
    }

    fn number(&mut self) -> Result<(), PrettyError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// `src[start..pos]`; both ends sit on ASCII bytes, so this never fails in practice.
    fn slice(&self, start: usize) -> &str {
        self.src.get(start..self.pos).unwrap_or_default()
    }

    fn error(&self, message: &'static str) -> PrettyError {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        PrettyError::Invalid {
            message,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: self.pos - line_start + 1,
        }
    }
}

/// Bytes inside a string that need a closer look: the closing quote, escapes, control characters
/// (invalid), and DEL / the lead byte of C1 controls (valid, but sanitised for display).
fn is_special_string_byte(b: u8) -> bool {
    // Non-short-circuiting so that the chunked scan below compiles to SIMD compares.
    (b < 0x20) | (b == b'"') | (b == b'\\') | (b == 0x7f) | (b == 0xc2)
}

/// The index of the first special string byte at or after `i` (or `bytes.len()`), scanning
/// 16 bytes at a time.
fn next_special_string_byte(bytes: &[u8], mut i: usize) -> usize {
    const CHUNK: usize = 16;
    while let Some(chunk) = bytes.get(i..i + CHUNK) {
        if chunk
            .iter()
            .fold(false, |found, &b| found | is_special_string_byte(b))
        {
            break;
        }
        i += CHUNK;
    }
    while let Some(&b) = bytes.get(i) {
        if is_special_string_byte(b) {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod lines_tests;
#[cfg(test)]
mod tests;
