//! Searching the displayed text of a response body: a [`Query`] (literal or regex, smart case)
//! and [`search`], a scan of the whole text in chunks that reports progress, can be cancelled, and
//! keeps a bounded number of match positions while counting them all. Plus the lookups the
//! response view needs over the sorted matches: [`matches_in_lines`], [`next_match`],
//! [`prev_match`].
//!
//! The text is the view's buffer: lines, each ending with `\n` (a last line without one is fine
//! too). A match never spans lines: the regex is matched against each line on its own, so `^` and
//! `$` (and `\A`, `\z`) match at the start and end of every line, and a match that would run
//! across a line end is not one (`a\s+b` does not join `a` at the end of one line to `b` on the
//! next; on the line of `a` it finds what it finds in that line alone). Empty matches (`x*`, `^`)
//! are not reported: they have nothing to highlight.
//!
//! Speed: the regex runs over whole chunks (1 MB, never splitting a line), not line by line, and a
//! match's line number is found by counting newlines since the previous match. A literal query
//! is a regex of the escaped text, which the `regex` crate runs as a vectorised substring search.
//! Once a match in a chunk runs across a line end, the rest of that chunk is searched line by
//! line (about ten times slower, but never quadratic). On 100 MB with 10,000 matches of a word
//! (release, 2 cores): the first match is reported after 0.04 ms, all are counted in ~70 ms;
//! line by line, ~600 ms (`cargo bench --bench search_fold`).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use regex::{Regex, RegexBuilder};

/// [`search`] keeps this many match positions; past it, matches are only counted.
pub const MAX_KEPT: usize = 100_000;

/// [`search`] scans chunks of about this many bytes (a chunk always ends at a line end).
pub const CHUNK_BYTES: usize = 1 << 20;

/// The first chunk is this small, growing to [`CHUNK_BYTES`], so a match near the top is reported
/// at once.
const FIRST_CHUNK_BYTES: usize = 64 << 10;

/// What to search for: compiled once, used by [`search`] and [`Query::find_in_line`].
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    is_regex: bool,
    case_sensitive: bool,
    regex: Regex,
    /// The regex has an assertion about the start or end of the whole haystack (`\A`, `\z`, `^`
    /// or `$` with multi-line mode turned off): it is matched line by line, never chunk-wide.
    per_line: bool,
}

/// Why a query cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Nothing to search for.
    #[error("type something to search for")]
    Empty,
    /// The regex does not compile. `at` is the position of the problem in the query, in
    /// characters from 0, when the regex crate gives one.
    #[error("{}", match at {
        Some(at) => format!("regex error at character {}: {message}", at + 1),
        None => format!("regex error: {message}"),
    })]
    Regex { message: String, at: Option<usize> },
}

/// Two queries are equal when they were compiled from the same text in the same mode.
impl PartialEq for Query {
    fn eq(&self, other: &Query) -> bool {
        self.text == other.text && self.is_regex == other.is_regex
    }
}

impl Eq for Query {}

impl Query {
    /// Compiles `text`: a regex when `regex` is set, else a literal. Smart case: the search
    /// ignores case unless the query has an uppercase letter (in a regex, escapes such as `\S`,
    /// `\p{Lu}`, `\x4F`, group names and flags do not count; `(?i)` / `(?-i)` still override).
    pub fn new(text: &str, regex: bool) -> Result<Query, SearchError> {
        if text.is_empty() {
            return Err(SearchError::Empty);
        }
        let case_sensitive = if regex {
            regex_has_uppercase(text)
        } else {
            text.chars().any(char::is_uppercase)
        };
        let pattern = if regex {
            text.to_string()
        } else {
            regex::escape(text)
        };
        let compiled = RegexBuilder::new(&pattern)
            .multi_line(true)
            .case_insensitive(!case_sensitive)
            .build()
            .map_err(regex_error)?;
        Ok(Query {
            text: text.to_string(),
            is_regex: regex,
            case_sensitive,
            regex: compiled,
            per_line: regex && anchors_whole_haystack(text),
        })
    }

    /// The query as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_regex(&self) -> bool {
        self.is_regex
    }

    /// Whether the query matches case exactly (it has an uppercase letter).
    pub fn is_case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// The matches in one line (without its `\n`), as byte ranges: the same ones [`search`]
    /// reports for that line. For drawing lines that are not in the kept results.
    pub fn find_in_line(&self, line: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        line_matches(&self.regex, line, 0, |start, end| out.push(start..end));
        out
    }
}

/// The regex crate's message ("regex parse error:\n    a(b\n     ^\nerror: unclosed group"),
/// reduced to its last line, with the caret's column as the position.
fn regex_error(err: regex::Error) -> SearchError {
    let text = err.to_string();
    let message = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(text.as_str())
        .to_string();
    // Single-line patterns are notated as four spaces, the pattern, then carets under the problem.
    let lines: Vec<&str> = text.lines().collect();
    let at = match lines.as_slice() {
        [first, pattern, carets, ..] if *first == "regex parse error:" => {
            let pattern_chars = pattern.chars().count().saturating_sub(4);
            carets
                .strip_prefix("    ")
                .and_then(|c| c.find('^'))
                .map(|col| col.min(pattern_chars))
        }
        _ => None,
    };
    SearchError::Regex { message, at }
}

/// Whether a regex has an uppercase letter that stands for itself: not the letter of an escape
/// (`\S`, `\W`, `\p{Lu}`, `\x4F`, `\u{1F600}`), a group name (`(?P<Name>…)`) or a flag (`(?U)`).
fn regex_has_uppercase(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // The letters of an escape, and what follows `\p`, `\x`, `\u`, `\U`: a name or
                // code in braces, else one letter (`\pL`) or a fixed number of hex digits.
                let digits = match chars.next() {
                    Some('p' | 'P') => 1,
                    Some('x') => 2,
                    Some('u') => 4,
                    Some('U') => 8,
                    _ => 0,
                };
                if digits > 0 && chars.peek() == Some(&'{') {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                } else {
                    for _ in 0..digits {
                        chars.next();
                    }
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                chars.next();
                // Flags (`?i`, `?-U:`) or a group name (`?P<Name>`, `?<Name>`).
                while let Some(&c) = chars.peek() {
                    if c == ')' || c == ':' || c == '>' {
                        chars.next();
                        break;
                    }
                    chars.next();
                }
            }
            c if c.is_uppercase() => return true,
            _ => {}
        }
    }
    false
}

/// Whether a regex may assert the start or end of the whole haystack: `\A`, `\z`, or a flag group
/// turning multi-line mode off. A conservative, textual check.
fn anchors_whole_haystack(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if matches!(chars.next(), Some('A' | 'z')) {
                    return true;
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                let flags: String = chars
                    .clone()
                    .skip(1)
                    .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
                    .collect();
                if flags
                    .split_once('-')
                    .is_some_and(|(_, off)| off.contains('m'))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// One match: `start..end` are byte offsets within line `line` (0-based), on char boundaries.
/// Matches sort by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// Where a running [`search`] is, reported after every chunk (the last report has
/// `scanned == total`, unless the search was cancelled).
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Bytes of the text scanned so far (always at a line end).
    pub scanned: usize,
    pub total: usize,
    /// Matches found so far, kept or not.
    pub count: usize,
    /// The matches kept so far, in order (at most [`MAX_KEPT`]).
    pub kept: &'a [Match],
}

impl Progress<'_> {
    /// How far the scan is, from 0.0 to 1.0 (1.0 for an empty text).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.scanned as f64 / self.total as f64
        }
    }
}

/// What a [`search`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The first matches (at most the limit), in order.
    pub matches: Vec<Match>,
    /// All matches in the scanned part, kept or not.
    pub count: usize,
    /// Bytes scanned: the whole text unless cancelled.
    pub scanned: usize,
    /// The whole text was scanned (false when cancelled).
    pub complete: bool,
}

impl Found {
    /// More matches were counted than kept.
    pub fn is_capped(&self) -> bool {
        self.count > self.matches.len()
    }
}

/// How [`search_with`] scans: chunk size and how many matches it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub chunk_bytes: usize,
    pub keep: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            chunk_bytes: CHUNK_BYTES,
            keep: MAX_KEPT,
        }
    }
}

/// Finds `query` in `text`, top to bottom, in chunks of about [`CHUNK_BYTES`] (the first ones
/// smaller, so that a match near the top shows at once). After each chunk it calls `on_progress`
/// and then stops if `cancel` is set. CPU-bound: run it off the UI thread.
pub fn search(
    text: &str,
    query: &Query,
    cancel: &AtomicBool,
    on_progress: impl FnMut(Progress<'_>),
) -> Found {
    search_with(text, query, Limits::default(), cancel, on_progress)
}

/// [`search`] with other limits.
pub fn search_with(
    text: &str,
    query: &Query,
    limits: Limits,
    cancel: &AtomicBool,
    mut on_progress: impl FnMut(Progress<'_>),
) -> Found {
    let bytes = text.as_bytes();
    let mut found = Found::default();
    let mut chunk_bytes = FIRST_CHUNK_BYTES.min(limits.chunk_bytes).max(1);
    // The line number at `found.scanned` (always a line start), while it is still needed.
    let mut line = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return found;
        }
        let start = found.scanned;
        let end = chunk_end(bytes, start, chunk_bytes);
        let chunk = &text[start..end];
        let mut cursor = LineCursor {
            at: 0,
            line,
            line_start: 0,
        };
        let mut record = |bytes: &[u8], start: usize, end: usize| {
            found.count += 1;
            if found.matches.len() < limits.keep {
                cursor.advance(bytes, start);
                found.matches.push(Match {
                    line: cursor.line,
                    start: start - cursor.line_start,
                    end: end - cursor.line_start,
                });
            }
        };
        if query.per_line {
            for (line_start, line_text) in lines_of(chunk) {
                line_matches(&query.regex, line_text, 0, |s, e| {
                    record(chunk.as_bytes(), line_start + s, line_start + e);
                });
            }
        } else {
            chunk_matches(&query.regex, chunk, &mut record);
        }
        if found.matches.len() < limits.keep {
            cursor.advance(chunk.as_bytes(), chunk.len());
            line = cursor.line;
        }
        found.scanned = end;
        on_progress(Progress {
            scanned: end,
            total: text.len(),
            count: found.count,
            kept: &found.matches,
        });
        if end >= text.len() {
            found.complete = true;
            return found;
        }
        chunk_bytes = (chunk_bytes * 2).min(limits.chunk_bytes.max(1));
    }
}

/// The end of the chunk starting at `start`: just after the first `\n` at or after
/// `start + size - 1`, or the end of the text.
fn chunk_end(bytes: &[u8], start: usize, size: usize) -> usize {
    let from = start + size - 1;
    match bytes.get(from..) {
        Some(rest) => rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| from + i + 1),
        None => bytes.len(),
    }
}

/// Each line of `text` with its start offset, without its `\n`.
fn lines_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.strip_suffix('\n').unwrap_or(l))
    })
}

/// Calls `record(chunk, start, end)` for every non-empty match within one line of `chunk`, a
/// run of whole lines. The regex runs over the whole chunk until a match crosses a line end;
/// that match is replaced by the matches of its first line alone, from the same position, and
/// the rest of the chunk goes line by line: a regex that can cross line ends (`[^"]*`) may scan
/// far ahead for each of them, which line by line it cannot.
fn chunk_matches(regex: &Regex, chunk: &str, record: &mut impl FnMut(&[u8], usize, usize)) {
    let bytes = chunk.as_bytes();
    let mut from = 0;
    while from <= chunk.len() {
        let Some(m) = regex.find_at(chunk, from) else {
            return;
        };
        let (start, end) = (m.start(), m.end());
        if let Some(newline) = bytes[start..end].iter().position(|&b| b == b'\n') {
            let line_end = start + newline;
            let line_start = bytes[..start]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            line_matches(
                regex,
                &chunk[line_start..line_end],
                start - line_start,
                |s, e| record(bytes, line_start + s, line_start + e),
            );
            let rest = line_end + 1;
            for (at, line) in lines_of(&chunk[rest..]) {
                line_matches(regex, line, 0, |s, e| {
                    record(bytes, rest + at + s, rest + at + e);
                });
            }
            return;
        } else if start == end {
            from = next_char(chunk, end);
        } else {
            record(bytes, start, end);
            from = end;
        }
    }
}

/// Calls `record(start, end)` for every non-empty match in `line` (no `\n` in it) at or after
/// byte `from`.
fn line_matches(regex: &Regex, line: &str, mut from: usize, mut record: impl FnMut(usize, usize)) {
    while from <= line.len() {
        let Some(m) = regex.find_at(line, from) else {
            break;
        };
        if m.is_empty() {
            from = next_char(line, m.end());
        } else {
            record(m.start(), m.end());
            from = m.end();
        }
    }
}

/// The offset of the character after the one at `at` (past the end when `at` is the end).
fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(at + 1, |c| at + c.len_utf8())
}

/// Tracks the line of a position in a chunk as the search moves forward through it.
struct LineCursor {
    /// Where the counting has got to.
    at: usize,
    /// The line number at `at`, and where that line starts.
    line: usize,
    line_start: usize,
}

impl LineCursor {
    fn advance(&mut self, bytes: &[u8], to: usize) {
        let seen = &bytes[self.at..to];
        let newlines = count_newlines(seen);
        if newlines > 0 {
            self.line += newlines;
            let last = seen.iter().rposition(|&b| b == b'\n').unwrap_or(0);
            self.line_start = self.at + last + 1;
        }
        self.at = to;
    }
}

/// The number of `\n` in `bytes`, 64 bytes at a time (the compiler vectorises the inner loop).
fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(64);
    let mut count = 0;
    for chunk in &mut chunks {
        count += chunk
            .iter()
            .map(|&b| usize::from(b == b'\n'))
            .sum::<usize>();
    }
    count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The matches that start on the lines in `lines` (a sub-slice of the sorted `matches`), by
/// binary search.
pub fn matches_in_lines(matches: &[Match], lines: Range<usize>) -> &[Match] {
    let first = matches.partition_point(|m| m.line < lines.start);
    let end = matches.partition_point(|m| m.line < lines.end);
    &matches[first..end.max(first)]
}

/// The index of the first match at or after byte `column` of `line`, wrapping to the first match
/// past the last one; `None` when there are none. For `n` from the current match `m`, pass
/// `(m.line, m.start + 1)`; to start at the cursor's line, `(line, 0)`.
pub fn next_match(matches: &[Match], line: usize, column: usize) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let i = matches.partition_point(|m| (m.line, m.start) < (line, column));
    Some(if i == matches.len() { 0 } else { i })
}

/// The index of the last match before byte `column` of `line`, wrapping to the last match before
/// the first one; `None` when there are none. For `N` from the current match `m`, pass
/// `(m.line, m.start)`.
pub fn prev_match(matches: &[Match], line: usize, column: usize) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let i = matches.partition_point(|m| (m.line, m.start) < (line, column));
    Some(if i == 0 { matches.len() - 1 } else { i - 1 })
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
