//! Where every line of the pretty-printed JSON sits in the nesting structure, so that the
//! highlighter can rebuild the parser context at any line in bounded time.

/// The highlighter can resume at any line from a checkpoint taken every this many lines.
pub(crate) const CHECKPOINT_INTERVAL: usize = 256;

/// Marks "no container" (the top level).
pub(super) const NO_NODE: u32 = u32::MAX >> 1;
/// The kind bit of a node (set: object).
const OBJECT_BIT: u32 = 1 << 31;

/// A JSON container kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Object,
    Array,
}

/// The nesting structure of a pretty-printed document.
///
/// Every non-empty container is a node (`parent | kind bit`), so the stack at any point is a
/// chain of parent links; a checkpoint every [`CHECKPOINT_INTERVAL`] lines names the innermost
/// container open at the start of that line. Memory: 4 bytes per container plus 4 bytes per
/// checkpoint, independent of the nesting depth.
#[derive(Debug)]
pub(crate) struct JsonIndex {
    nodes: Vec<u32>,
    checkpoints: Vec<u32>,
}

impl JsonIndex {
    /// The bytes held by the index.
    pub(crate) fn memory_bytes(&self) -> usize {
        (self.nodes.capacity() + self.checkpoints.capacity()) * std::mem::size_of::<u32>()
    }

    /// An index whose line 0 starts at the top level.
    pub(super) fn new() -> JsonIndex {
        JsonIndex {
            nodes: Vec::new(),
            checkpoints: vec![NO_NODE],
        }
    }

    /// Adds a container inside `parent` (or [`NO_NODE`]); `None` when there are too many.
    pub(super) fn push(&mut self, parent: u32, kind: Container) -> Option<u32> {
        let node = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&n| n < NO_NODE)?;
        let bit = match kind {
            Container::Object => OBJECT_BIT,
            Container::Array => 0,
        };
        self.nodes.push(parent | bit);
        Some(node)
    }

    /// The container enclosing `node` ([`NO_NODE`] at the top level).
    pub(super) fn parent(&self, node: u32) -> u32 {
        self.nodes
            .get(node as usize)
            .map_or(NO_NODE, |&packed| packed & !OBJECT_BIT)
    }

    /// Call at the start of every `CHECKPOINT_INTERVAL`-th line with its innermost container.
    pub(super) fn checkpoint(&mut self, innermost: u32) {
        self.checkpoints.push(innermost);
    }

    /// The sizes to go back to with [`JsonIndex::restore`].
    pub(super) fn mark(&self) -> (usize, usize) {
        (self.nodes.len(), self.checkpoints.len())
    }

    /// Forgets what was added since `mark` (a value that turned out invalid).
    pub(super) fn restore(&mut self, mark: (usize, usize)) {
        self.nodes.truncate(mark.0);
        self.checkpoints.truncate(mark.1.max(1));
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.checkpoints.shrink_to_fit();
    }

    /// The containers open at the start of `line` (outermost first). `line_text(i)` returns line
    /// `i` of the pretty-printed text this index was built with. Cost: O(depth + interval).
    pub(crate) fn stack_at<'a>(
        &self,
        line: usize,
        line_text: impl Fn(usize) -> &'a str,
    ) -> Vec<Container> {
        let slot = (line / CHECKPOINT_INTERVAL).min(self.checkpoints.len().saturating_sub(1));
        let mut stack = Vec::new();
        let mut node = self.checkpoints.get(slot).copied().unwrap_or(NO_NODE);
        while let Some(&packed) = self.nodes.get(node as usize) {
            stack.push(if packed & OBJECT_BIT != 0 {
                Container::Object
            } else {
                Container::Array
            });
            node = packed & !OBJECT_BIT;
        }
        stack.reverse();
        for i in slot * CHECKPOINT_INTERVAL..line {
            apply_line(&mut stack, line_text(i));
        }
        stack
    }
}

/// Updates `stack` from "open at the start of this pretty-printed line" to "open at the start of
/// the next one". In the pretty format a line closes a container iff it starts with `}`/`]`, and
/// opens one iff it ends with `{`/`[` (strings end with `"`, empty containers with `}`/`]`).
pub(crate) fn apply_line(stack: &mut Vec<Container>, line: &str) {
    if matches!(
        line.trim_start_matches(' ').as_bytes().first(),
        Some(b'}' | b']')
    ) {
        stack.pop();
    }
    match line.as_bytes().last() {
        Some(b'{') => stack.push(Container::Object),
        Some(b'[') => stack.push(Container::Array),
        _ => {}
    }
}
