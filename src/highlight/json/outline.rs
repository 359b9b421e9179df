//! The outline of pretty-printed JSON: where each container opens and closes, for folding
//! ([`Folds`], [`Rows`]) and for "where am I" ([`Outline::path_at`], [`Outline::value_at`]).
//!
//! It reads the pretty format this module writes: a line opens a container iff it ends with `{`
//! or `[`, and closes one iff it starts with `}` or `]` after its indentation (strings never
//! span lines; empty containers are `{}`/`[]` on their line, like any scalar). Every other line
//! is one value, with its key inside an object. One pass over the lines builds the outline: 20
//! bytes per non-empty container, nothing per line.
//!
//! Folding keeps a default (all open, or all folded) plus the containers toggled away from it,
//! so fold-all and unfold-all are O(1). [`Folds::rows`] turns that into the visible rows: a list
//! of runs, one per visible folded container, where row → line and line → row are binary searches.

use std::collections::BTreeSet;
use std::ops::Range;

use super::Container;
use crate::highlight::Document;
use crate::model::json_path::{push_index, push_member};

/// No container: the top level.
const NONE: u32 = u32::MAX;
/// In [`Node::children`], set for an object.
const OBJECT_BIT: u32 = 1 << 31;

/// One non-empty container.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The lines of its opening and closing brackets.
    open: u32,
    close: u32,
    /// The enclosing container ([`NONE`] at the top level).
    parent: u32,
    /// Its position among its parent's values (its array index).
    ordinal: u32,
    /// How many values it holds, with [`OBJECT_BIT`] set for an object.
    children: u32,
}

impl Node {
    fn kind(&self) -> Container {
        if self.children & OBJECT_BIT != 0 {
            Container::Object
        } else {
            Container::Array
        }
    }

    fn len(&self) -> usize {
        (self.children & !OBJECT_BIT) as usize
    }
}

/// Where the containers of a pretty-printed JSON document open and close. Build it once per
/// document (linear in the number of lines; off the UI thread for a large one).
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Every non-empty container, in the order they open.
    nodes: Vec<Node>,
    lines: usize,
}

impl Outline {
    /// The outline of a document's text, when it is pretty-printed JSON. In a stream of records
    /// (JSON Lines, events), each JSON value is a top-level value of its own, and the lines that
    /// are not JSON (an event's header, a record that does not parse) belong to no container.
    pub fn of(doc: &Document) -> Option<Outline> {
        doc.is_pretty_json().then(|| {
            let stream = doc.records().is_some();
            Outline::build(doc.line_count(), |i| {
                if stream && !doc.is_json_line(i) {
                    ""
                } else {
                    doc.content(i)
                }
            })
        })
    }

    /// The outline of `count` lines of pretty-printed JSON; `line(i)` is line `i` without its
    /// newline. Lines that do not follow the format give a partial outline, never a panic (a
    /// container left open closes at the last line).
    pub fn build<'a>(count: usize, line: impl Fn(usize) -> &'a str) -> Outline {
        let count = count.min(NONE as usize);
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<u32> = Vec::new();
        for i in 0..count {
            let text = line(i);
            if is_closing(text) {
                if let Some(id) = stack.pop() {
                    nodes[id as usize].close = i as u32;
                }
                continue;
            }
            let parent = stack.last().copied().unwrap_or(NONE);
            // A value starts on this line (top-level values are not numbered).
            let ordinal = nodes.get_mut(parent as usize).map_or(0, |node| {
                node.children += 1;
                node.len() as u32 - 1
            });
            if let Some(kind) = opens(text) {
                let Ok(id) = u32::try_from(nodes.len()) else {
                    break;
                };
                stack.push(id);
                nodes.push(Node {
                    open: i as u32,
                    close: NONE,
                    parent,
                    ordinal,
                    children: match kind {
                        Container::Object => OBJECT_BIT,
                        Container::Array => 0,
                    },
                });
            }
        }
        for id in stack {
            nodes[id as usize].close = count.saturating_sub(1) as u32;
        }
        nodes.shrink_to_fit();
        Outline {
            nodes,
            lines: count,
        }
    }

    /// The number of lines outlined.
    pub fn line_count(&self) -> usize {
        self.lines
    }

    /// The number of foldable (non-empty) containers.
    pub fn container_count(&self) -> usize {
        self.nodes.len()
    }

    /// The bytes held.
    pub fn memory_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }

    /// The container opening at `line`.
    fn opening_at(&self, line: usize) -> Option<u32> {
        let i = self.nodes.partition_point(|n| (n.open as usize) < line);
        (self.nodes.get(i)?.open as usize == line).then_some(i as u32)
    }

    /// The innermost container whose brackets enclose `line` (its own lines included).
    fn enclosing(&self, line: usize) -> Option<u32> {
        let mut id = self.last_opened_by(line)?;
        loop {
            let node = &self.nodes[id as usize];
            if node.close as usize >= line {
                return Some(id);
            }
            id = node.parent;
            if id == NONE {
                return None;
            }
        }
    }

    /// The last container opening at or before `line`.
    fn last_opened_by(&self, line: usize) -> Option<u32> {
        let after = self.nodes.partition_point(|n| n.open as usize <= line);
        after.checked_sub(1).map(|i| i as u32)
    }

    /// The first container opening after the whole of container `id` (its subtree skipped).
    /// Galloping from `id`: O(log size of the subtree), not of the document.
    fn after(&self, id: u32) -> usize {
        let close = self.nodes[id as usize].close;
        let inside = |i: usize| self.nodes.get(i).is_some_and(|n| n.open <= close);
        // Everything before `lo` is inside; find an `end` that is not, doubling the step.
        let mut lo = id as usize + 1;
        let mut step = 1;
        let end = loop {
            let probe = lo + step - 1;
            if !inside(probe) {
                break probe.min(self.nodes.len());
            }
            lo = probe + 1;
            step *= 2;
        };
        lo + self.nodes[lo..end].partition_point(|n| n.open <= close)
    }

    /// For a line that opens a container, the line of its closing bracket.
    pub fn fold_end(&self, line: usize) -> Option<usize> {
        let id = self.opening_at(line)?;
        Some(self.nodes[id as usize].close as usize)
    }

    /// For a line that opens a container, what a fold of it shows: `{…} 12 keys`,
    /// `[…] 1,234 items`, `{…} 1 key`.
    pub fn fold_summary(&self, line: usize) -> Option<String> {
        let node = self.nodes[self.opening_at(line)? as usize];
        let n = node.len();
        let count = crate::model::thousands(n);
        Some(match (node.kind(), n) {
            (Container::Object, 1) => "{…} 1 key".to_string(),
            (Container::Object, _) => format!("{{…}} {count} keys"),
            (Container::Array, 1) => "[…] 1 item".to_string(),
            (Container::Array, _) => format!("[…] {count} items"),
        })
    }

    /// The JSONPath of the value on `line`, written as [`crate::model::json_path`] writes paths
    /// (member-name shorthand where RFC 9535 allows it): `$.items[41].owner['display name']`. A container's opening and closing lines give the
    /// container's path; a line past the end, `$`. `line(i)` must give the text the outline
    /// was built from. Cost: O(nesting depth + log containers).
    pub fn path_at<'a>(&self, at: usize, line: impl Fn(usize) -> &'a str) -> String {
        // Steps from the value up to the top, each an array index or an object key.
        let mut steps: Vec<Step> = Vec::new();
        let mut id = match self.enclosing(at) {
            None => NONE,
            Some(id) => {
                let node = &self.nodes[id as usize];
                if node.open as usize == at || node.close as usize == at {
                    id
                } else {
                    // A scalar: its key, or its index after the last container before it.
                    steps.push(match node.kind() {
                        Container::Object => Step::Key(at),
                        Container::Array => Step::Index(self.index_of_scalar(id, at)),
                    });
                    id
                }
            }
        };
        while id != NONE {
            let node = &self.nodes[id as usize];
            match self.nodes.get(node.parent as usize).map(Node::kind) {
                Some(Container::Object) => steps.push(Step::Key(node.open as usize)),
                Some(Container::Array) => steps.push(Step::Index(node.ordinal as usize)),
                None => {}
            }
            id = node.parent;
        }
        let mut path = String::from("$");
        for step in steps.iter().rev() {
            match *step {
                Step::Index(i) => push_index(&mut path, i),
                Step::Key(at) => {
                    let text = line(at).trim_start_matches(' ');
                    push_member(&mut path, &key_of(text).unwrap_or_default());
                }
            }
        }
        path
    }

    /// The array index of the scalar on line `at`, a value of array `array`.
    fn index_of_scalar(&self, array: u32, at: usize) -> usize {
        let node = &self.nodes[array as usize];
        // The last container opening before `at` is `array` or inside it: climb to a value of
        // `array`, the last one before `at`; the lines after it up to `at` are one value each.
        let mut id = self.last_opened_by(at).unwrap_or(array);
        while id != array {
            let sibling = &self.nodes[id as usize];
            if sibling.parent == array {
                return sibling.ordinal as usize + (at - sibling.close as usize);
            }
            id = sibling.parent;
            if id == NONE {
                break;
            }
        }
        at - node.open as usize - 1
    }

    /// The JSON text of the value on `line`, without its key and trailing comma: a scalar's
    /// text, or a whole container (from its opening line or its closing line), un-indented.
    /// `line(i)` must give the text the outline was built from, after the spaces it is
    /// indented by (a document keeps them apart): `(spaces, text)`.
    pub fn value_at<'a>(&self, at: usize, line: impl Fn(usize) -> (usize, &'a str)) -> String {
        // The whole indentation, and the text after it.
        let indented = |i| {
            let (spaces, text) = line(i);
            let trimmed = text.trim_start_matches(' ');
            (spaces + text.len() - trimmed.len(), trimmed)
        };
        let container = self
            .enclosing(at)
            .map(|id| self.nodes[id as usize])
            .filter(|n| n.open as usize == at || n.close as usize == at);
        let Some(node) = container else {
            return without_key(indented(at).1).to_string();
        };
        let (open, close) = (node.open as usize, node.close as usize);
        let (indent, first) = indented(open);
        let mut out = String::from(without_key(first));
        for i in open + 1..=close {
            let (spaces, text) = indented(i);
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', spaces.saturating_sub(indent)));
            out.push_str(if i == close {
                text.strip_suffix(',').unwrap_or(text)
            } else {
                text
            });
        }
        out
    }
}

enum Step {
    Index(usize),
    /// The key on this line.
    Key(usize),
}

/// Whether a pretty-printed line closes a container.
fn is_closing(line: &str) -> bool {
    matches!(
        line.trim_start_matches(' ').as_bytes().first(),
        Some(b'}' | b']')
    )
}

/// The container a pretty-printed line opens, if any.
fn opens(line: &str) -> Option<Container> {
    match line.as_bytes().last() {
        Some(b'{') => Some(Container::Object),
        Some(b'[') => Some(Container::Array),
        _ => None,
    }
}

/// The length of the JSON string at the start of `text` (quotes included), if it starts with one.
fn string_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The key of a member line (without indentation), decoded: `"a\"b": 1` → `a"b`.
fn key_of(text: &str) -> Option<String> {
    let len = string_len(text)?;
    if !text[len..].starts_with(':') {
        return None;
    }
    let literal = &text[..len];
    Some(
        serde_json::from_str::<String>(literal).unwrap_or_else(|_| literal[1..len - 1].to_string()),
    )
}

/// A value's line (without indentation) without its key and trailing comma.
fn without_key(text: &str) -> &str {
    let value = match string_len(text) {
        Some(len) if text[len..].starts_with(": ") => &text[len + 2..],
        _ => text,
    };
    value.strip_suffix(',').unwrap_or(value)
}

/// Which containers of an [`Outline`] are folded: a default plus the containers toggled away
/// from it, so [`fold_all`](Folds::fold_all) and [`unfold_all`](Folds::unfold_all) cost O(1).
/// Folding everything leaves the top-level container open (its members show, each folded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folds {
    /// Every container but the top-level one is folded unless toggled.
    all: bool,
    /// Containers (by their order of opening) whose state differs from the default.
    toggled: BTreeSet<u32>,
}

impl Folds {
    /// Nothing folded.
    pub fn new() -> Folds {
        Folds::default()
    }

    /// `zM`: folds every container below the top level.
    pub fn fold_all(&mut self) {
        self.all = true;
        self.toggled = BTreeSet::new();
    }

    /// `zR`: unfolds everything.
    pub fn unfold_all(&mut self) {
        self.all = false;
        self.toggled = BTreeSet::new();
    }

    /// Whether nothing is folded.
    pub fn is_empty(&self) -> bool {
        !self.all && self.toggled.is_empty()
    }

    fn is_folded_node(&self, outline: &Outline, id: u32) -> bool {
        let default = self.all && outline.nodes[id as usize].parent != NONE;
        default != self.toggled.contains(&id)
    }

    fn set_node(&mut self, outline: &Outline, id: u32, folded: bool) {
        if self.is_folded_node(outline, id) != folded && !self.toggled.remove(&id) {
            self.toggled.insert(id);
        }
    }

    /// Whether the container opening at `line` is folded.
    pub fn is_folded(&self, outline: &Outline, line: usize) -> bool {
        outline
            .opening_at(line)
            .is_some_and(|id| self.is_folded_node(outline, id))
    }

    /// `za`: on a line that opens a container, folds or unfolds it; on any other line, does the
    /// same to the innermost container around it (so on a member of an open object, folds the
    /// object). Returns the line of the container's opening bracket (where the cursor belongs
    /// after folding), or `None` when the line is in no container.
    pub fn toggle(&mut self, outline: &Outline, line: usize) -> Option<usize> {
        let id = outline.enclosing(line)?;
        let folded = self.is_folded_node(outline, id);
        self.set_node(outline, id, !folded);
        Some(outline.nodes[id as usize].open as usize)
    }

    /// `zc` / `zo`: folds or unfolds the container that [`toggle`](Self::toggle) would toggle.
    pub fn set(&mut self, outline: &Outline, line: usize, folded: bool) -> Option<usize> {
        let id = outline.enclosing(line)?;
        self.set_node(outline, id, folded);
        Some(outline.nodes[id as usize].open as usize)
    }

    /// The visible rows with these folds. Cost: O(log containers) per visible fold, plus, when
    /// everything is folded, O(1) per open container that shows.
    pub fn rows(&self, outline: &Outline) -> Rows {
        let mut rows = Rows::plain(outline.lines);
        if !self.all {
            let mut covered: Option<u32> = None;
            for &id in &self.toggled {
                let Some(node) = outline.nodes.get(id as usize) else {
                    continue;
                };
                if covered.is_some_and(|end| node.open <= end) {
                    continue; // inside a fold already
                }
                rows.push_fold(node.open as usize, node.close as usize);
                covered = Some(node.close);
            }
        } else {
            let mut id = 0;
            while id < outline.nodes.len() {
                if self.is_folded_node(outline, id as u32) {
                    let node = &outline.nodes[id];
                    rows.push_fold(node.open as usize, node.close as usize);
                    id = outline.after(id as u32);
                } else {
                    id += 1;
                }
            }
        }
        rows.finish();
        rows
    }
}

/// A visible row: line `line` of the document, which is folded up to `fold_end` (the line of
/// the container's closing bracket) when the row stands for a folded container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fold_end: Option<usize>,
}

/// The mapping between visible rows and document lines under some folds. Runs of lines shown
/// one per row, each run but the last ending with a folded container that stands for its hidden
/// lines: memory is proportional to the visible folds, lookups are binary searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    /// The first row and first line of each run; a run's lines go on to the next run's first
    /// line, its rows to the next run's first row (the difference being the hidden lines).
    runs: Vec<Run>,
    rows: usize,
    lines: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    row: usize,
    line: usize,
}

impl Rows {
    /// Every line a row of its own (no folds, or not JSON).
    pub fn plain(lines: usize) -> Rows {
        Rows {
            runs: vec![Run { row: 0, line: 0 }],
            rows: lines,
            lines,
        }
    }

    /// Folds lines `open..=close` into the row of `open`; folds come in order, not nested.
    fn push_fold(&mut self, open: usize, close: usize) {
        let last = self.runs[self.runs.len() - 1];
        self.runs.push(Run {
            row: last.row + (open - last.line) + 1,
            line: close + 1,
        });
    }

    fn finish(&mut self) {
        let last = self.runs[self.runs.len() - 1];
        self.rows = last.row + self.lines.saturating_sub(last.line);
    }

    /// The number of visible rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The number of visible folds.
    pub fn folds(&self) -> usize {
        self.runs.len() - 1
    }

    /// What row `row` shows; `None` past the end.
    pub fn row(&self, row: usize) -> Option<Row> {
        if row >= self.rows {
            return None;
        }
        let k = self.runs.partition_point(|r| r.row <= row) - 1;
        let run = self.runs[k];
        let line = run.line + (row - run.row);
        let fold_end = self
            .runs
            .get(k + 1)
            .filter(|next| next.row == row + 1)
            .map(|next| next.line - 1);
        Some(Row { line, fold_end })
    }

    /// The rows `range` (clamped to the end), for drawing a window.
    pub fn window(&self, range: Range<usize>) -> impl Iterator<Item = Row> + '_ {
        range.map_while(|r| self.row(r))
    }

    /// The row showing `line`: its own, or that of the fold hiding it. Lines past the end map to
    /// the last row.
    pub fn row_of_line(&self, line: usize) -> usize {
        let line = line.min(self.lines.saturating_sub(1));
        let k = self.runs.partition_point(|r| r.line <= line) - 1;
        let run = self.runs[k];
        let row = run.row + (line - run.line);
        match self.runs.get(k + 1) {
            // A hidden line of the fold that ends the run.
            Some(next) => row.min(next.row - 1),
            None => row,
        }
    }

    /// The line a row shows (the fold's opening line for a fold); the last line past the end.
    pub fn line_of_row(&self, row: usize) -> usize {
        self.row(row.min(self.rows.saturating_sub(1)))
            .map_or(0, |r| r.line)
    }
}

#[cfg(test)]
#[path = "outline_tests.rs"]
mod tests;
