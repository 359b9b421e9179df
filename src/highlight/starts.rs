//! Where each line of a text starts, in about two bytes a line instead of four: a large body's
//! pretty-printed form has millions of short lines, and their starts were a tenth of its memory.

/// Lines per block: every block's first start is kept whole.
const BLOCK: usize = 64;

/// In `rel`: the start is in `far` (its line is 64 KiB or more past its block's first line).
const FAR: u16 = u16::MAX;

/// The start offsets of a text's lines, pushed in order (each at least the one before).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineStarts {
    /// The start of every [`BLOCK`]-th line.
    blocks: Vec<u32>,
    /// Each line's start, counted from its block's first line; [`FAR`]: see `far`.
    rel: Vec<u16>,
    /// (line, start) of the lines too far from their block's first line, in line order.
    far: Vec<(u32, u32)>,
}

impl LineStarts {
    /// Room for about `lines` lines.
    pub(crate) fn with_capacity(lines: usize) -> LineStarts {
        LineStarts {
            blocks: Vec::with_capacity(lines / BLOCK + 1),
            rel: Vec::with_capacity(lines),
            far: Vec::new(),
        }
    }

    /// Adds the next line's start (not less than the last one's).
    pub(crate) fn push(&mut self, start: u32) {
        let line = self.rel.len();
        if line.is_multiple_of(BLOCK) {
            self.blocks.push(start);
        }
        let base = self.blocks.last().copied().unwrap_or(0);
        match u16::try_from(start.saturating_sub(base)) {
            Ok(rel) if rel != FAR => self.rel.push(rel),
            _ => {
                self.rel.push(FAR);
                // Line numbers fit: there are fewer lines than bytes, and texts are under 4 GiB.
                self.far
                    .push((u32::try_from(line).unwrap_or(u32::MAX), start));
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.rel.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rel.is_empty()
    }

    /// Where line `i` starts; `None` past the last line.
    pub(crate) fn get(&self, i: usize) -> Option<u32> {
        let rel = *self.rel.get(i)?;
        if rel == FAR {
            let at = self.far.partition_point(|&(line, _)| (line as usize) < i);
            return self.far.get(at).map(|&(_, start)| start);
        }
        Some(self.blocks.get(i / BLOCK)? + u32::from(rel))
    }

    pub(crate) fn last(&self) -> Option<u32> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Keeps the first `lines` lines.
    pub(crate) fn truncate(&mut self, lines: usize) {
        self.rel.truncate(lines);
        self.blocks.truncate(lines.div_ceil(BLOCK));
        let keep = self
            .far
            .partition_point(|&(line, _)| (line as usize) < lines);
        self.far.truncate(keep);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.blocks.shrink_to_fit();
        self.rel.shrink_to_fit();
        self.far.shrink_to_fit();
    }

    /// The bytes held.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.blocks.capacity() * 4 + self.rel.capacity() * 2 + self.far.capacity() * 8
    }
}

impl FromIterator<u32> for LineStarts {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> LineStarts {
        let mut starts = LineStarts::default();
        for start in iter {
            starts.push(start);
        }
        starts.shrink_to_fit();
        starts
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn near_and_far_starts_read_back() {
        let all = [0, 3, 70_000, 70_001, 200_000, 200_010];
        let starts: LineStarts = all.into_iter().collect();
        assert_eq!(starts.len(), 6);
        for (i, &s) in all.iter().enumerate() {
            assert_eq!(starts.get(i), Some(s), "line {i}");
        }
        assert_eq!(starts.get(6), None);
        assert_eq!(starts.last(), Some(200_010));
        // Short lines cost two bytes each.
        let short: LineStarts = (0..6400u32).map(|i| i * 10).collect();
        assert!(short.memory_bytes() < 6400 * 2 + 100 * 4 + 64);
    }

    proptest! {
        #[test]
        fn every_start_reads_back_after_truncating(
            lengths in prop::collection::vec(prop_oneof![0u32..200, 60_000u32..300_000], 0..400),
            keep in 0usize..400,
        ) {
            let mut all = Vec::new();
            let mut at = 0u32;
            for len in lengths {
                all.push(at);
                at += len + 1;
            }
            let mut starts: LineStarts = all.iter().copied().collect();
            for (i, &s) in all.iter().enumerate() {
                prop_assert_eq!(starts.get(i), Some(s));
            }
            starts.truncate(keep);
            all.truncate(keep);
            // Pushing after a truncation continues where the kept lines end.
            all.push(all.last().map_or(0, |s| s + 5));
            starts.push(*all.last().unwrap());
            prop_assert_eq!(starts.len(), all.len());
            for (i, &s) in all.iter().enumerate() {
                prop_assert_eq!(starts.get(i), Some(s));
            }
        }
    }
}
