//! A response body too large to keep in memory: it went to a temporary file as it arrived, and
//! [`Spilled`] is the handle to it — where it is, how long it is, and a sparse index of its lines
//! (the byte offset of every [`INDEX_EVERY`]th line start), so that any line is reached by one
//! seek and at most that many lines read. The response's `body` then holds only the first part.
//!
//! This is plain data, with one exception: the file goes away when the last handle to it drops
//! (the handle is shared by `Arc`, so clones of the response keep it alive).

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The default most a body may take in memory before the rest goes to a temporary file (the
/// config file's `[body] memory_cap` changes it).
pub const DEFAULT_MEMORY_CAP: u64 = 64 * 1024 * 1024;

/// How much of a spilled body stays in memory as the response's `body` (for checks, history,
/// previews): its first mebibyte.
pub const SPILL_KEPT_BYTES: usize = 1024 * 1024;

/// One index entry every this many lines (the Body tab reads lines in chunks of this size).
pub const INDEX_EVERY: u64 = 128;

/// The line index of a body, built as its bytes arrive ([`LineIndex::feed`]).
///
/// A line ends at `\n` (a `\r` before it belongs to the line and is dropped when read); a last
/// line without `\n` counts. An empty body has no lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// `starts[k]`: the byte offset where line `k * INDEX_EVERY` starts.
    starts: Vec<u64>,
    /// `\n`s seen so far.
    newlines: u64,
    /// Bytes fed so far.
    len: u64,
    /// Whether the last byte fed was `\n` (or nothing was fed).
    at_line_start: bool,
}

impl LineIndex {
    pub fn new() -> LineIndex {
        LineIndex {
            starts: vec![0],
            newlines: 0,
            len: 0,
            at_line_start: true,
        }
    }

    /// Takes in the next bytes of the body.
    pub fn feed(&mut self, data: &[u8]) {
        for at in memchr_iter(data) {
            self.newlines += 1;
            if self.newlines.is_multiple_of(INDEX_EVERY) {
                self.starts.push(self.len + at as u64 + 1);
            }
        }
        if let Some(last) = data.last() {
            self.at_line_start = *last == b'\n';
        }
        self.len += data.len() as u64;
    }

    /// How many lines the bytes fed so far hold.
    pub fn line_count(&self) -> u64 {
        self.newlines + u64::from(!self.at_line_start)
    }

    /// Bytes fed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the indexed line at or before `line` starts: `(that line, its byte offset)`.
    pub fn seek(&self, line: u64) -> (u64, u64) {
        let k = usize::try_from(line / INDEX_EVERY)
            .unwrap_or(usize::MAX)
            .min(self.starts.len().saturating_sub(1));
        (
            k as u64 * INDEX_EVERY,
            self.starts.get(k).copied().unwrap_or(0),
        )
    }

    /// About how much memory the index takes.
    pub fn memory_bytes(&self) -> usize {
        self.starts.capacity() * std::mem::size_of::<u64>()
    }
}

/// The positions of `\n` in `data` (a plain scan; the compiler vectorizes it well enough for
/// the disk to stay the bottleneck).
fn memchr_iter(data: &[u8]) -> impl Iterator<Item = usize> + '_ {
    data.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// A body kept in a temporary file. Removed from disk when dropped.
#[derive(Debug)]
pub struct Spilled {
    path: PathBuf,
    index: LineIndex,
    /// A JSON body's pretty form, in a file of its own: what the Body tab shows.
    pretty: Option<Arc<Spilled>>,
    /// Why a body that was to be pretty-printed is not (where it stops being JSON).
    not_pretty: Option<String>,
}

impl Spilled {
    /// The handle to the complete file at `path`, whose bytes `index` was fed.
    pub fn new(path: PathBuf, index: LineIndex) -> Spilled {
        Spilled {
            path,
            index,
            pretty: None,
            not_pretty: None,
        }
    }

    /// With its pretty form, or why there is none.
    pub fn with_pretty(mut self, pretty: Option<Arc<Spilled>>, not_pretty: Option<String>) -> Self {
        self.pretty = pretty;
        self.not_pretty = not_pretty;
        self
    }

    /// What the Body tab shows of it: the pretty form if it has one, else itself.
    pub fn shown(self: &Arc<Spilled>) -> &Arc<Spilled> {
        self.pretty.as_ref().unwrap_or(self)
    }

    /// Why a JSON body is shown as received: where it stops being JSON.
    pub fn not_pretty(&self) -> Option<&str> {
        self.not_pretty.as_deref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The body's length in bytes.
    pub fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    pub fn line_count(&self) -> u64 {
        self.index.line_count()
    }

    pub fn index(&self) -> &LineIndex {
        &self.index
    }
}

impl Drop for Spilled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Two handles are the same body when they are the same file.
impl PartialEq for Spilled {
    fn eq(&self, other: &Spilled) -> bool {
        self.path == other.path
    }
}

impl Eq for Spilled {}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(parts: &[&[u8]]) -> LineIndex {
        let mut index = LineIndex::new();
        for p in parts {
            index.feed(p);
        }
        index
    }

    /// The offsets of every line start, the slow way.
    fn all_starts(bytes: &[u8]) -> Vec<u64> {
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' && i + 1 < bytes.len() {
                starts.push(i as u64 + 1);
            }
        }
        starts
    }

    #[test]
    fn lines_are_counted_with_or_without_a_last_newline() {
        assert_eq!(index_of(&[]).line_count(), 0);
        assert_eq!(index_of(&[b"a"]).line_count(), 1);
        assert_eq!(index_of(&[b"a\n"]).line_count(), 1);
        assert_eq!(index_of(&[b"a\nb"]).line_count(), 2);
        assert_eq!(index_of(&[b"a\r\nb\r\n"]).line_count(), 2);
        assert_eq!(index_of(&[b"\n\n"]).line_count(), 2);
        assert_eq!(index_of(&[b"a", b"", b"\n", b"b"]).line_count(), 2);
    }

    #[test]
    fn the_index_is_the_same_whatever_the_chunks() {
        let body: Vec<u8> = (0..1000)
            .map(|i| format!("line {i}{}\n", "x".repeat(i % 7)))
            .collect::<String>()
            .into_bytes();
        let whole = index_of(&[&body]);
        for size in [1, 3, 64, 4096] {
            let parts: Vec<&[u8]> = body.chunks(size).collect();
            assert_eq!(index_of(&parts), whole, "chunks of {size}");
        }
        let starts = all_starts(&body);
        for line in [0, 1, 127, 128, 129, 640, 999] {
            let (at, offset) = whole.seek(line);
            assert_eq!(at, line / INDEX_EVERY * INDEX_EVERY);
            assert_eq!(offset, starts[at as usize], "line {line}");
        }
        assert_eq!(whole.line_count(), 1000);
    }

    #[test]
    fn a_handle_removes_its_file_when_the_last_clone_drops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body");
        std::fs::write(&path, b"a\nb\n").unwrap();
        let one = std::sync::Arc::new(Spilled::new(path.clone(), index_of(&[b"a\nb\n"])));
        let two = one.clone();
        drop(one);
        assert!(path.exists());
        assert_eq!(two.line_count(), 2);
        drop(two);
        assert!(!path.exists());
    }
}
