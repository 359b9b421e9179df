//! One text buffer plus a line-start index: the storage behind a [`Document`](super::Document).
//!
//! The text is stored ready to display: every line ends with `\n` (the last one included, except
//! in text [shared](Lines::share) with a body as received), `\r\n` is normalised to `\n`, tabs
//! are expanded to [`TAB_WIDTH`] columns, and control characters are replaced by visible
//! stand-ins (C0 controls and DEL by their Unicode "control pictures" such as `␛`, C1 controls by
//! `�`) so that a response body can never send escape sequences to the terminal.
//!
//! Pretty-printed JSON keeps each line's indentation apart ([`Indents`]): its text holds a line's
//! *content*, and [`Lines::line`] puts the indentation back.

use std::borrow::Cow;
use std::ops::Range;

use bytes::Bytes;

use super::indents::{INDENT_WIDTH, Indents};
use super::starts::LineStarts;

/// Tab stops for expanded tabs.
pub const TAB_WIDTH: usize = 4;

/// Largest text we index (line starts are `u32`); longer text is truncated.
const MAX_TEXT_BYTES: usize = u32::MAX as usize - 1;

/// Bytes known to be UTF-8: made only from a `String` or from a `str`'s bytes, so they are
/// checked once, when made, and read as text without checking again (drawing reads lines on
/// every frame, and a body can be one line of 50 MB).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Utf8(Bytes);

impl Utf8 {
    fn from_string(text: String) -> Utf8 {
        Utf8(Bytes::from(text))
    }

    /// The part of `buf` that `text` is; `None` when `text` does not lie within `buf`.
    fn part_of(buf: &Bytes, text: &str) -> Option<Utf8> {
        let offset = (text.as_ptr() as usize).checked_sub(buf.as_ptr() as usize)?;
        (offset + text.len() <= buf.len()).then(|| Utf8(buf.slice(offset..offset + text.len())))
    }

    fn as_str(&self) -> &str {
        // SAFETY: a `Utf8` is made only from a `String` or a `str`'s bytes (see above), and
        // `Bytes` never changes what it holds.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }
}

/// A text buffer where every line ends with `\n` (the last one may not, when the text is
/// [shared](Lines::share)), and the start offset of each line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lines {
    text: Utf8,
    starts: LineStarts,
    /// Each line's indentation, when the text holds lines without it (pretty-printed JSON).
    indents: Option<Indents>,
    /// In characters, indentation included.
    max_line_chars: usize,
}

impl Lines {
    /// The bytes held: the text (shared or not) and the line indexes.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.text.0.len() + self.index_bytes()
    }

    /// The bytes held by the line starts and indentation.
    fn index_bytes(&self) -> usize {
        self.starts.memory_bytes() + self.indents.as_ref().map_or(0, Indents::memory_bytes)
    }

    /// The bytes held besides `owner`, a buffer someone else accounts for (the response's body,
    /// which a [shared](Lines::share) text may be part of).
    pub(crate) fn memory_bytes_beside(&self, owner: &[u8]) -> usize {
        let (start, end) = (
            owner.as_ptr() as usize,
            owner.as_ptr() as usize + owner.len(),
        );
        let text = self.text.0.as_ptr() as usize;
        if !self.text.0.is_empty() && start <= text && text + self.text.0.len() <= end {
            self.index_bytes()
        } else {
            self.memory_bytes()
        }
    }

    /// The lines of `text`, a part of `body`, without a copy of it, when it is already
    /// display-ready: no control character but `\n` (no tab, no `\r`). `None` otherwise, or
    /// when `text` is not within `body` or too large to index; [`Lines::build`] then copies it.
    pub(crate) fn share(body: &Bytes, text: &str) -> Option<Lines> {
        let shared = Utf8::part_of(body, text)?;
        if text.len() > MAX_TEXT_BYTES || text.bytes().any(|b| b != b'\n' && needs_care(b)) {
            return None;
        }
        let mut starts = LineStarts::with_capacity(text.len() / 32 + 1);
        let mut max_line_chars = 0;
        let mut start = 0;
        while start < text.len() || starts.is_empty() {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            if line.len() > max_line_chars {
                max_line_chars = max_line_chars.max(line.chars().count());
            }
            // MAX_TEXT_BYTES is below u32::MAX.
            starts.push(u32::try_from(start).ok()?);
            start = end + 1;
        }
        starts.shrink_to_fit();
        Some(Lines {
            text: shared,
            starts,
            indents: None,
            max_line_chars,
        })
    }

    /// Builds display-ready lines from arbitrary decoded text. Returns whether the text had to be
    /// truncated (only beyond 4 GiB).
    pub(crate) fn build(src: &str) -> (Lines, bool) {
        let mut text = String::with_capacity(src.len() + 1);
        let mut starts = LineStarts::with_capacity(src.len() / 32 + 1);
        let mut max_line_chars = 0;
        let mut truncated = false;
        let mut rest = src;
        loop {
            let (mut line, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            if next.is_none() && line.is_empty() && !starts.is_empty() {
                // Text ending in "\n" has no extra empty line after it.
                break;
            }
            line = line.strip_suffix('\r').unwrap_or(line);
            let before = text.len();
            let Ok(start) = u32::try_from(before) else {
                truncated = true;
                break;
            };
            let chars = if line.bytes().any(needs_care) {
                push_sanitized(&mut text, line)
            } else {
                text.push_str(line);
                // Characters never outnumber bytes: only count lines that could be a new maximum.
                if line.len() > max_line_chars {
                    line.chars().count()
                } else {
                    0
                }
            };
            text.push('\n');
            if text.len() > MAX_TEXT_BYTES {
                text.truncate(before);
                truncated = true;
                break;
            }
            starts.push(start);
            max_line_chars = max_line_chars.max(chars);
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
        if starts.is_empty() {
            // Always at least one (possibly empty) line.
            text.clear();
            text.push('\n');
            starts.push(0);
        }
        // `Bytes` keeps a buffer's spare capacity.
        text.shrink_to_fit();
        starts.shrink_to_fit();
        (
            Lines {
                text: Utf8::from_string(text),
                starts,
                indents: None,
                max_line_chars,
            },
            truncated,
        )
    }

    /// Wraps text that is already display-ready (each line ends with `\n`, no tabs, no control
    /// characters) with its line starts and longest line (in characters).
    pub(crate) fn from_parts(text: String, starts: LineStarts, max_line_chars: usize) -> Lines {
        if starts.get(0) != Some(0) || !text.ends_with('\n') {
            return Lines::build(&text).0;
        }
        let mut text = text;
        text.shrink_to_fit();
        Lines {
            text: Utf8::from_string(text),
            starts,
            indents: None,
            max_line_chars,
        }
    }

    /// These lines with their indentation kept apart: the text holds each line without it,
    /// `indents` has a level for each, and `max_line_chars` counts it in.
    pub(crate) fn with_indents(mut self, indents: Indents, max_line_chars: usize) -> Lines {
        debug_assert_eq!(indents.len(), self.count());
        if indents.len() == self.count() {
            self.indents = Some(indents);
            self.max_line_chars = self.max_line_chars.max(max_line_chars);
        }
        self
    }

    pub(crate) fn count(&self) -> usize {
        self.starts.len()
    }

    /// Whether lines are stored without their indentation.
    pub(crate) fn is_indented(&self) -> bool {
        self.indents.is_some()
    }

    /// Line `i` without its newline, indented; `""` past the end.
    pub(crate) fn line(&self, i: usize) -> Cow<'_, str> {
        indent_by(self.indent(i), self.content(i))
    }

    /// Line `i` including its trailing `\n` (the last line of a shared text may have none),
    /// indented; `""` past the end.
    pub(crate) fn line_with_newline(&self, i: usize) -> Cow<'_, str> {
        indent_by(self.indent(i), self.content_with_newline(i))
    }

    /// Line `i` as stored: without its newline or its indentation.
    pub(crate) fn content(&self, i: usize) -> &str {
        let with_newline = self.content_with_newline(i);
        with_newline.strip_suffix('\n').unwrap_or(with_newline)
    }

    /// Line `i` as stored, with its newline.
    pub(crate) fn content_with_newline(&self, i: usize) -> &str {
        let Some(start) = self.starts.get(i) else {
            return "";
        };
        let text = self.text.as_str();
        let end = self.starts.get(i + 1).map_or(text.len(), |s| s as usize);
        text.get(start as usize..end).unwrap_or_default()
    }

    /// Lines `range` (clamped to the text) one after another, each as the spaces it is indented
    /// by and its [content](Lines::content).
    pub(crate) fn parts(&self, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> + '_ {
        let end = range.end.min(self.count());
        let start = range.start.min(end);
        let mut levels = self.indents.as_ref().map(|indents| indents.from(start));
        (start..end).map(move |i| {
            let level = levels.as_mut().and_then(Iterator::next).unwrap_or(0);
            (usize::from(level) * INDENT_WIDTH, self.content(i))
        })
    }

    /// How many spaces line `i` is indented by before its [content](Lines::content).
    pub(crate) fn indent(&self, i: usize) -> usize {
        self.indents
            .as_ref()
            .map_or(0, |indents| usize::from(indents.get(i)) * INDENT_WIDTH)
    }

    /// The text as stored: every line's content, each with its newline (the same as the lines
    /// shown when none is indented). Search it for what lines hold; it is never shown as it is.
    pub(crate) fn stored_text(&self) -> &str {
        self.text.as_str()
    }

    /// [`Lines::stored_text`] as a shared buffer (no copy).
    pub(crate) fn stored_bytes(&self) -> Bytes {
        self.text.0.clone()
    }

    /// The longest line, in characters (Unicode scalar values).
    pub(crate) fn max_line_chars(&self) -> usize {
        self.max_line_chars
    }
}

/// `text` after `indent` spaces; borrowed when there are none.
fn indent_by(indent: usize, text: &str) -> Cow<'_, str> {
    if indent == 0 {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{:indent$}{text}", ""))
    }
}

/// Bytes after which a line needs the slow path: controls (tab, stray `\r`…), DEL, and the
/// lead byte of C1 controls (U+0080–U+009F are encoded as `C2 80`–`C2 9F`).
pub(crate) fn needs_care(b: u8) -> bool {
    b < 0x20 || b == 0x7f || b == 0xc2
}

/// Appends `line` with tabs expanded and controls replaced; returns its length in characters.
pub(crate) fn push_sanitized(out: &mut String, line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            '\t' => {
                let n = TAB_WIDTH - col % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
                continue;
            }
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
        col += 1;
    }
    col
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_are_put_together_when_read() {
        let mut indents = Indents::default();
        for level in [0, 1, 2, 1, 0] {
            indents.push(level);
        }
        let text = "{\n\"a\": [\n1\n]\n}\n".to_owned();
        let starts = [0, 2, 9, 11, 13].into_iter().collect();
        let l = Lines::from_parts(text, starts, 7).with_indents(indents, 9);
        let shown: Vec<String> = (0..l.count()).map(|i| l.line(i).into_owned()).collect();
        assert_eq!(shown, ["{", "  \"a\": [", "    1", "  ]", "}"]);
        assert_eq!((l.content(2), l.indent(2)), ("1", 4));
        assert_eq!(l.line_with_newline(1), "  \"a\": [\n");
        assert!(
            matches!(l.line(0), Cow::Borrowed("{")),
            "no copy without indentation"
        );
        let parts: Vec<(usize, &str)> = l.parts(1..9).collect();
        assert_eq!(parts, [(2, "\"a\": ["), (4, "1"), (2, "]"), (0, "}")]);
        assert_eq!(l.max_line_chars(), 9);
        assert_eq!(l.stored_text(), "{\n\"a\": [\n1\n]\n}\n");
    }

    fn lines(src: &str) -> Vec<String> {
        let (l, _) = Lines::build(src);
        (0..l.count()).map(|i| l.line(i).into_owned()).collect()
    }

    #[test]
    fn splits_and_normalises_line_endings() {
        assert_eq!(lines("a\r\nb\nc"), ["a", "b", "c"]);
        assert_eq!(lines("a\nb\n"), ["a", "b"]);
        assert_eq!(lines("a\n\n"), ["a", ""]);
        assert_eq!(lines(""), [""]);
        assert_eq!(lines("\n"), [""]);
        let (l, _) = Lines::build("x\r\ny");
        assert_eq!(l.stored_text(), "x\ny\n");
        assert_eq!(l.line_with_newline(1), "y\n");
        assert_eq!(l.line(7), "");
    }

    #[test]
    fn expands_tabs_and_replaces_controls() {
        assert_eq!(lines("a\tb\t\tc"), ["a   b       c"]);
        assert_eq!(lines("\u{1b}[31mred\u{7f}\r!"), ["␛[31mred␡␍!"]);
        assert_eq!(lines("x\u{9b}y é"), ["x\u{fffd}y é"]);
        assert_eq!(lines("\u{0}"), ["␀"]);
    }

    #[test]
    fn max_line_len_counts_characters() {
        let (l, _) = Lines::build("héllo\nab\n\tz");
        assert_eq!(l.max_line_chars(), 5);
        let l = Lines::from_parts("ab\nééé\n".to_owned(), [0, 3].into_iter().collect(), 3);
        assert_eq!(l.line(1), "ééé");
    }

    #[test]
    fn from_parts_repairs_bad_input() {
        let l = Lines::from_parts("no newline".to_owned(), [0].into_iter().collect(), 10);
        assert_eq!(l.stored_text(), "no newline\n");
    }

    #[test]
    fn clean_text_is_shared_not_copied() {
        let body = Bytes::from_static("a\nbé\n\nlast".as_bytes());
        let text = std::str::from_utf8(&body).unwrap();
        let l = Lines::share(&body, text).expect("clean text is shared");
        assert_eq!(l.stored_text().as_ptr(), body.as_ptr());
        assert_eq!(
            (l.count(), l.content(1), l.content(2), l.content(3)),
            (4, "bé", "", "last")
        );
        assert_eq!(l.content_with_newline(3), "last");
        assert_eq!(l.max_line_chars(), 4);
        // Beside the body it is part of, only the line index is its own; beside another buffer
        // (the body was redacted into a copy, or cut after), the text counts too.
        assert_eq!(l.memory_bytes_beside(&body), l.starts.memory_bytes());
        let other = body.to_vec();
        assert_eq!(l.memory_bytes_beside(&other), l.memory_bytes());
        assert_eq!(l.memory_bytes(), body.len() + l.starts.memory_bytes());
        // A part of the body (after a byte-order mark) is shared too.
        let bom = Bytes::from_static("\u{feff}x\n".as_bytes());
        let after = std::str::from_utf8(&bom[3..]).unwrap();
        assert_eq!(Lines::share(&bom, after).unwrap().stored_text(), "x\n");
        assert_eq!(Lines::share(&bom, after).unwrap().count(), 1);
    }

    #[test]
    fn text_needing_care_or_from_elsewhere_is_not_shared() {
        for dirty in ["a\tb", "a\r\nb", "\u{1b}[31m", "x\u{85}"] {
            let body = Bytes::copy_from_slice(dirty.as_bytes());
            let text = std::str::from_utf8(&body).unwrap();
            assert!(Lines::share(&body, text).is_none(), "{dirty:?}");
        }
        let body = Bytes::from_static(b"abc");
        let elsewhere = String::from("abc");
        assert!(Lines::share(&body, &elsewhere).is_none());
    }

    proptest::proptest! {
        /// Shared or copied, clean text reads as the same lines.
        #[test]
        fn shared_and_built_lines_agree(text in "[a-zé日\n ]{0,200}") {
            let body = Bytes::from(text.clone());
            let shared_text = std::str::from_utf8(&body).unwrap();
            if let Some(shared) = Lines::share(&body, shared_text) {
                let (built, _) = Lines::build(&text);
                proptest::prop_assert_eq!(shared.count(), built.count());
                for i in 0..built.count() {
                    proptest::prop_assert_eq!(shared.line(i), built.line(i));
                }
                proptest::prop_assert_eq!(shared.max_line_chars(), built.max_line_chars());
            }
        }
    }
}
