//! Many JSON values in one document: the records of a JSON Lines stream or the events of a
//! server-sent event stream, each value pretty-printed exactly as a single body would be, with
//! lines of plain text between them (an event's header, a line that is not JSON).
//!
//! Every JSON value starts a *segment* at the top level, so the nesting index stays exact for
//! the whole text: its checkpoints are taken at every [`CHECKPOINT_INTERVAL`]-th line whatever
//! wrote it, a text line never takes part in the nesting (the highlighter does not feed it to the
//! JSON grammar), and a stack is only ever rebuilt from inside the segment holding the line (see
//! [`JsonIndex::stack_in`]). The highlighter starts each JSON segment from a fresh parser state,
//! as it starts a single document at line 0.

use super::super::text;
use super::{
    CHECKPOINT_INTERVAL, Container, JsonIndex, NO_NODE, Parser, Pretty, PrettyError, Writer,
};

/// What a line of a [`Layout`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Pretty-printed JSON, highlighted with the JSON grammar.
    Json,
    /// Text shown as it is (a line that is not JSON, an event's text data).
    Text,
    /// A line of our own about the records (an event's type and id), shown like a comment.
    Note,
}

/// A run of lines of one kind: `start..end` (`end` is `usize::MAX` for the last one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) kind: LineKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Part {
    /// The whole of a single JSON document.
    pub(crate) const WHOLE_JSON: Part = Part {
        kind: LineKind::Json,
        start: 0,
        end: usize::MAX,
    };
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    start: u32,
    kind: LineKind,
}

/// Where the records of a stream document start, and which lines are JSON.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// In line order; the first starts at line 0. Each JSON value is a segment of its own;
    /// neighbouring text lines of one kind share one.
    segments: Vec<Segment>,
    /// The first line of each record.
    records: Vec<u32>,
}

impl Layout {
    pub(crate) fn memory_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<Segment>()
            + self.records.capacity() * std::mem::size_of::<u32>()
    }

    /// How many records (JSON Lines: lines that are not blank; events) the document holds.
    pub(crate) fn records(&self) -> usize {
        self.records.len()
    }

    /// The first line of record `k`.
    pub(crate) fn record_start(&self, k: usize) -> Option<usize> {
        self.records.get(k).map(|&line| line as usize)
    }

    /// The record holding `line` (`None` before the first).
    pub(crate) fn record_at(&self, line: usize) -> Option<usize> {
        self.records
            .partition_point(|&start| start as usize <= line)
            .checked_sub(1)
    }

    /// The run of lines holding `line`.
    pub(crate) fn part_at(&self, line: usize) -> Part {
        let k = self
            .segments
            .partition_point(|s| s.start as usize <= line)
            .saturating_sub(1);
        let Some(segment) = self.segments.get(k) else {
            return Part::WHOLE_JSON;
        };
        Part {
            kind: segment.kind,
            start: segment.start as usize,
            end: self
                .segments
                .get(k + 1)
                .map_or(usize::MAX, |next| next.start as usize),
        }
    }

    fn shrink_to_fit(&mut self) {
        self.segments.shrink_to_fit();
        self.records.shrink_to_fit();
    }
}

/// Writes a document of JSON values and text lines, one after another.
pub(crate) struct Builder {
    w: Writer,
    stack: Vec<Container>,
    layout: Layout,
    /// A record starts at the next line written.
    record_pending: bool,
}

impl Builder {
    /// A builder for a document made from `input_len` bytes of text (sizes the buffers and the
    /// budget that stops pathological nesting).
    pub(crate) fn new(input_len: usize) -> Builder {
        Builder {
            w: Writer::new(input_len),
            stack: Vec::new(),
            layout: Layout::default(),
            record_pending: false,
        }
    }

    /// The next line written is the first of a new record.
    pub(crate) fn start_record(&mut self) {
        self.record_pending = true;
    }

    /// Appends `src`, which must be exactly one JSON value (whitespace around it allowed),
    /// pretty-printed. On error nothing is appended and the error's line and column are
    /// relative to `src`.
    pub(crate) fn json(&mut self, src: &str) -> Result<(), PrettyError> {
        let w = &mut self.w;
        let mark = (
            w.out.len(),
            w.line_starts.len(),
            w.index.mark(),
            w.max_line_chars,
            w.indented,
        );
        self.stack.clear();
        let line = w.line_starts.len();
        let written = w
            .start_line()
            .and_then(|()| Parser::new(src).run(w, &mut self.stack));
        if let Err(err) = written {
            w.out.truncate(mark.0);
            w.line_starts.truncate(mark.1);
            w.indents.truncate(mark.1);
            w.index.restore(mark.2);
            w.max_line_chars = mark.3;
            w.indented = mark.4;
            w.top = NO_NODE;
            w.depth = 0;
            return Err(err);
        }
        w.end_line();
        self.begin_segment(line, LineKind::Json);
        Ok(())
    }

    /// Appends one line of text (no `\n` in it; a trailing `\r` is dropped), made safe to
    /// display like any body text.
    pub(crate) fn text(&mut self, line: &str, kind: LineKind) -> Result<(), PrettyError> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let number = self.w.line_starts.len();
        // Between values: at the top level, not indented.
        debug_assert_eq!(self.w.depth, 0);
        self.w.start_line()?;
        let chars = if line.bytes().any(text::needs_care) {
            text::push_sanitized(&mut self.w.out, line)
        } else {
            self.w.out.push_str(line);
            // Characters never outnumber bytes: only count lines that could be a new maximum.
            if line.len() > self.w.max_line_chars {
                line.chars().count()
            } else {
                0
            }
        };
        self.w.max_line_chars = self.w.max_line_chars.max(chars);
        self.w.out.push('\n');
        let joins = !self.record_pending
            && self
                .layout
                .segments
                .last()
                .is_some_and(|last| last.kind == kind);
        if !joins {
            self.begin_segment(number, kind);
        }
        Ok(())
    }

    /// Notes that a segment of `kind` starts at `line`, and a record too when one is pending.
    fn begin_segment(&mut self, line: usize, kind: LineKind) {
        // Lines are counted in u32 by the writer (it fails beyond), so this never saturates.
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        if std::mem::take(&mut self.record_pending) {
            self.layout.records.push(line);
        }
        self.layout.segments.push(Segment { start: line, kind });
    }

    /// The document: its text, line starts and nesting index, and its layout.
    pub(crate) fn finish(mut self) -> (Pretty, Layout) {
        if self.w.line_starts.is_empty() {
            // Nothing written: one empty line, as for any document.
            let _ = self.w.start_line();
            self.w.end_line();
        }
        self.layout.shrink_to_fit();
        (self.w.finish(), self.layout)
    }
}

impl JsonIndex {
    /// The containers open at the start of `line`, which belongs to the JSON segment starting
    /// at `segment_start`: as [`JsonIndex::stack_at`], but never replaying lines of an earlier
    /// segment (text lines there do not follow the pretty format).
    pub(crate) fn stack_in<'a>(
        &self,
        line: usize,
        segment_start: usize,
        line_text: impl Fn(usize) -> &'a str,
    ) -> Vec<Container> {
        let checkpoint = line / CHECKPOINT_INTERVAL * CHECKPOINT_INTERVAL;
        if checkpoint >= segment_start {
            return self.stack_at(line, line_text);
        }
        let mut stack = Vec::new();
        for i in segment_start..line {
            super::apply_line(&mut stack, line_text(i));
        }
        stack
    }
}
