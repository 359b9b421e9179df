//! The indentation of each line of pretty-printed JSON, kept apart from its text. In a large
//! body's pretty form the spaces were a quarter of the bytes (22 MiB of a 50 MiB body's 80); here
//! a line takes two bits. Within a JSON value a line's level (two spaces each) is at most one
//! more or one less than the line before's, so each line stores that step; every [`BLOCK`]-th
//! line's level is kept whole, and the rare other jump (a text line after a cut value) is kept
//! aside.

/// Spaces per level.
pub(crate) const INDENT_WIDTH: usize = 2;

/// Lines per block: every block's first level is kept whole.
const BLOCK: usize = 64;

/// The step codes, two bits a line.
const SAME: u8 = 0;
const UP: u8 = 1;
const DOWN: u8 = 2;
/// The level is in `far`.
const FAR: u8 = 3;

/// The levels of a text's lines, pushed in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Indents {
    /// The level of every [`BLOCK`]-th line.
    blocks: Vec<u8>,
    /// Each line's step from the line before, four lines a byte (the lowest bits first).
    steps: Vec<u8>,
    /// (line, level) of the lines whose step is [`FAR`], in line order.
    far: Vec<(u32, u8)>,
    len: usize,
    last: u8,
}

impl Indents {
    /// Room for about `lines` lines.
    pub(crate) fn with_capacity(lines: usize) -> Indents {
        Indents {
            blocks: Vec::with_capacity(lines / BLOCK + 1),
            steps: Vec::with_capacity(lines / 4 + 1),
            ..Indents::default()
        }
    }

    /// Adds the next line's level.
    pub(crate) fn push(&mut self, level: u8) {
        let line = self.len;
        let code = if line.is_multiple_of(BLOCK) {
            self.blocks.push(level);
            SAME
        } else if level == self.last {
            SAME
        } else if level.checked_sub(1) == Some(self.last) {
            UP
        } else if level.checked_add(1) == Some(self.last) {
            DOWN
        } else {
            // Lines are counted in u32 by the writer (it fails beyond).
            self.far
                .push((u32::try_from(line).unwrap_or(u32::MAX), level));
            FAR
        };
        if line.is_multiple_of(4) {
            self.steps.push(0);
        }
        if let Some(byte) = self.steps.last_mut() {
            *byte |= code << (line % 4 * 2);
        }
        self.len += 1;
        self.last = level;
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The level of line `i`; 0 past the last line. Up to [`BLOCK`] steps: read many lines in
    /// a row with [`Indents::from`].
    pub(crate) fn get(&self, i: usize) -> u8 {
        if i >= self.len {
            return 0;
        }
        let first = i / BLOCK * BLOCK;
        let mut level = self.blocks[i / BLOCK];
        for line in first + 1..=i {
            level = self.step(line, level);
        }
        level
    }

    /// The levels of the lines from `start` on, one after another (each in a few instructions).
    pub(crate) fn from(&self, start: usize) -> impl Iterator<Item = u8> + '_ {
        let mut level = self.get(start);
        (start.min(self.len)..self.len).map(move |line| {
            if line > start {
                level = if line.is_multiple_of(BLOCK) {
                    self.blocks[line / BLOCK]
                } else {
                    self.step(line, level)
                };
            }
            level
        })
    }

    /// The level of `line` (not a block's first), the line before it being at `before`.
    fn step(&self, line: usize, before: u8) -> u8 {
        match (self.steps[line / 4] >> (line % 4 * 2)) & 3 {
            SAME => before,
            UP => before.saturating_add(1),
            DOWN => before.saturating_sub(1),
            _ => {
                let at = self.far.partition_point(|&(l, _)| (l as usize) < line);
                self.far.get(at).map_or(0, |&(_, level)| level)
            }
        }
    }

    /// Keeps the first `lines` lines.
    pub(crate) fn truncate(&mut self, lines: usize) {
        if lines >= self.len {
            return;
        }
        self.last = if lines == 0 { 0 } else { self.get(lines - 1) };
        self.len = lines;
        self.blocks.truncate(lines.div_ceil(BLOCK));
        self.steps.truncate(lines.div_ceil(4));
        if let Some(byte) = self.steps.last_mut()
            && !lines.is_multiple_of(4)
        {
            *byte &= (1 << (lines % 4 * 2)) - 1;
        }
        let keep = self
            .far
            .partition_point(|&(line, _)| (line as usize) < lines);
        self.far.truncate(keep);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.blocks.shrink_to_fit();
        self.steps.shrink_to_fit();
        self.far.shrink_to_fit();
    }

    /// The bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.blocks.capacity()
            + self.steps.capacity()
            + self.far.capacity() * std::mem::size_of::<(u32, u8)>()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn of(levels: &[u8]) -> Indents {
        let mut indents = Indents::default();
        for &level in levels {
            indents.push(level);
        }
        indents
    }

    #[test]
    fn levels_read_back_across_blocks_and_jumps() {
        // Pretty JSON's shape: one up or down at a time, over several blocks.
        let mut levels: Vec<u8> = (0..200)
            .map(|i| if i % 12 < 6 { i % 12 } else { 12 - i % 12 })
            .collect();
        assert!(
            of(&levels).far.is_empty(),
            "steps of one need nothing aside"
        );
        levels.extend([9, 9, 2, 255, 0]);
        let indents = of(&levels);
        assert_eq!(indents.len(), levels.len());
        for (i, &level) in levels.iter().enumerate() {
            assert_eq!(indents.get(i), level, "line {i}");
        }
        assert_eq!(indents.get(levels.len()), 0, "past the end");
        assert_eq!(indents.far.len(), 4, "the jumps");
    }

    #[test]
    fn two_bits_a_line() {
        let levels: Vec<u8> = (0..100_000).map(|i| [0, 1, 2, 1][i % 4]).collect();
        let mut indents = of(&levels);
        indents.shrink_to_fit();
        assert!(indents.memory_bytes() < 100_000 / 4 + 100_000 / 64 + 64);
    }

    #[test]
    fn truncating_then_pushing_is_as_if_never_pushed() {
        let levels = [0, 1, 2, 3, 2, 1, 5, 0];
        for keep in 0..=levels.len() {
            let mut indents = of(&levels);
            indents.truncate(keep);
            indents.push(1);
            indents.push(2);
            let mut expected = levels[..keep].to_vec();
            expected.extend([1, 2]);
            assert_eq!(indents, of(&expected), "keeping {keep}");
        }
    }

    proptest! {
        #[test]
        fn any_levels_read_back(
            levels in proptest::collection::vec(0u8..40, 0..400),
            keep in 0usize..400,
        ) {
            let mut indents = of(&levels);
            for (i, &level) in levels.iter().enumerate() {
                prop_assert_eq!(indents.get(i), level);
            }
            for start in [0, keep.min(levels.len()), levels.len()] {
                let read: Vec<u8> = indents.from(start).collect();
                prop_assert_eq!(&read[..], &levels[start..]);
            }
            indents.truncate(keep);
            let kept = &levels[..keep.min(levels.len())];
            prop_assert_eq!(indents, of(kept));
        }
    }
}
