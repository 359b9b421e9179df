//! A text field's undo and redo: whole snapshots of the text and cursor, taken before each edit.
//! Typing a word is one step (characters typed in a row join the step before them, until a
//! space, a move or another kind of edit). The undo side is bounded in steps and in bytes, the
//! oldest steps going first; the redo side holds at most as many steps as were undone.

use std::collections::VecDeque;

/// Steps kept at most.
const MAX_STEPS: usize = 200;
/// Bytes of text kept at most, over all steps (a step larger than this alone is not kept).
pub const MAX_BYTES: usize = 8 << 20;

/// The text and cursor at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub lines: Vec<String>,
    pub row: usize,
    pub col: usize,
}

impl Snapshot {
    fn bytes(&self) -> usize {
        self.lines.iter().map(|l| l.len() + 1).sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Undo {
    past: VecDeque<Snapshot>,
    future: Vec<Snapshot>,
    bytes: usize,
    /// The last step was typing, which the next typed character joins.
    typing: bool,
    /// Steps were let go because the text was larger than [`MAX_BYTES`] (said when undo finds
    /// nothing).
    lost: bool,
}

impl Undo {
    /// Records `before` as the state an edit starts from. A typed character (`typed`) joins
    /// the typing step before it rather than making its own.
    pub fn record(&mut self, before: Snapshot, typed: bool) {
        self.future.clear();
        if typed && self.typing {
            return;
        }
        self.typing = typed;
        self.push_past(before);
    }

    /// Whether a typed character would join the step before it (nothing to record; the redo
    /// steps go, as after any edit).
    pub fn joins(&mut self, typed: bool) -> bool {
        let joins = typed && self.typing;
        if joins {
            self.future.clear();
        }
        joins
    }

    /// An edit of a text too large to keep (over [`MAX_BYTES`]): no step is recorded, the
    /// earlier ones go (they would no longer lead back to this text), and it is remembered.
    pub fn too_large(&mut self, typed: bool) {
        self.past.clear();
        self.future.clear();
        self.bytes = 0;
        self.typing = typed;
        self.lost = true;
    }

    /// Whether there is a step to undo, or to redo.
    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    /// Whether steps were let go because the text was too large to keep.
    pub fn lost(&self) -> bool {
        self.lost
    }

    /// Ends the typing step (the cursor moved, a space was typed): the next character starts
    /// a new one.
    pub fn break_step(&mut self) {
        self.typing = false;
    }

    /// The state before the last step, given the current one (which redo goes back to).
    pub fn undo(&mut self, now: Snapshot) -> Option<Snapshot> {
        let before = self.past.pop_back()?;
        self.bytes -= before.bytes();
        self.future.push(now);
        self.typing = false;
        Some(before)
    }

    /// The state undo last left, given the current one.
    pub fn redo(&mut self, now: Snapshot) -> Option<Snapshot> {
        let after = self.future.pop()?;
        self.push_past(now);
        self.typing = false;
        Some(after)
    }

    fn push_past(&mut self, snapshot: Snapshot) {
        let size = snapshot.bytes();
        if size > MAX_BYTES {
            self.past.clear();
            self.bytes = 0;
            self.lost = true;
            return;
        }
        self.bytes += size;
        self.past.push_back(snapshot);
        while self.past.len() > MAX_STEPS || self.bytes > MAX_BYTES {
            if let Some(old) = self.past.pop_front() {
                self.bytes -= old.bytes();
            }
        }
    }

    #[cfg(test)]
    pub fn steps(&self) -> usize {
        self.past.len()
    }

    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(text: &str) -> Snapshot {
        Snapshot {
            lines: vec![text.to_string()],
            row: 0,
            col: 0,
        }
    }

    #[test]
    fn history_is_bounded_in_steps_and_bytes() {
        let mut u = Undo::default();
        for i in 0..1000 {
            u.record(snap(&i.to_string()), false);
        }
        assert_eq!(u.steps(), MAX_STEPS);
        let big = "x".repeat(1 << 20);
        for _ in 0..20 {
            u.record(snap(&big), false);
        }
        assert!(u.bytes() <= MAX_BYTES, "{}", u.bytes());
        assert!(u.steps() >= 7);
        u.record(snap(&"y".repeat(MAX_BYTES + 1)), false);
        assert_eq!(u.steps(), 0, "a step too large for the budget is not kept");
        assert!(u.lost());
    }

    #[test]
    fn typed_characters_join_one_step_until_broken() {
        let mut u = Undo::default();
        u.record(snap(""), true);
        u.record(snap("a"), true);
        u.record(snap("ab"), true);
        assert_eq!(u.steps(), 1);
        u.break_step();
        u.record(snap("ab "), true);
        assert_eq!(u.steps(), 2);
        assert_eq!(u.undo(snap("ab c")), Some(snap("ab ")));
        assert_eq!(u.redo(snap("ab ")), Some(snap("ab c")));
    }
}
