//! Recovering syntect's parser state at an arbitrary line without parsing from the top.
//!
//! - Pretty-printed JSON: the nesting stack at the line (from [`JsonIndex`]) is turned into a
//!   tiny synthetic prefix (`{`, `"k": [`, …) that leaves the JSON grammar in exactly the state
//!   the real text would; cost O(depth + checkpoint interval), independent of the size.
//! - Everything else: [`StateCache`] keeps a parser checkpoint every [`CHECKPOINT_INTERVAL`]
//!   lines, computed on demand the first time a line past them is requested.
//!
//! Lines longer than [`MAX_HIGHLIGHT_LINE`] are never fed to syntect: in JSON a short line of the
//! same shape stands in for them (see [`json_surrogate`]); elsewhere they are skipped.

use std::sync::{Mutex, MutexGuard};

use syntect::highlighting::{HighlightIterator, HighlightState, Highlighter, Style};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

use super::MAX_HIGHLIGHT_LINE;
use super::json::{CHECKPOINT_INTERVAL, Container};
use super::text::Lines;

/// Whether a line (with or without its newline) is too long to be highlighted.
pub(crate) fn is_long(line: &str) -> bool {
    line.strip_suffix('\n').unwrap_or(line).len() > MAX_HIGHLIGHT_LINE
}

/// syntect's parser state plus the scope stack it has produced so far.
pub(crate) struct Run {
    syntax: &'static SyntaxReference,
    parse: ParseState,
    /// Only maintained by [`Run::advance`]; once highlighting starts, the `HighlightState`
    /// carries the scopes.
    scopes: ScopeStack,
}

impl Run {
    pub(crate) fn new(syntax: &'static SyntaxReference) -> Run {
        Run {
            syntax,
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        }
    }

    fn reset(&mut self) {
        self.parse = ParseState::new(self.syntax);
        self.scopes = ScopeStack::new();
    }

    /// Parses `line` (ending with `\n`) without highlighting it; long lines are skipped.
    pub(crate) fn advance(&mut self, line: &str, syntaxes: &SyntaxSet) {
        if is_long(line) {
            return;
        }
        match self.parse.parse_line(line, syntaxes) {
            Ok(ops) => {
                for (_, op) in &ops {
                    if self.scopes.apply(op).is_err() {
                        self.reset();
                        return;
                    }
                }
            }
            Err(_) => self.reset(),
        }
    }

    /// The state highlighting starts from.
    pub(crate) fn highlight_state(&self, highlighter: &Highlighter<'_>) -> HighlightState {
        HighlightState::new(highlighter, self.scopes.clone())
    }

    /// Parses and highlights `line` (ending with `\n`). On a parser error the state is reset and
    /// `None` is returned (the caller shows the line plain).
    pub(crate) fn highlight<'l>(
        &mut self,
        line: &'l str,
        state: &mut HighlightState,
        highlighter: &Highlighter<'_>,
        syntaxes: &SyntaxSet,
    ) -> Option<Vec<(Style, &'l str)>> {
        match self.parse.parse_line(line, syntaxes) {
            Ok(ops) => Some(HighlightIterator::new(state, &ops, line, highlighter).collect()),
            Err(_) => {
                self.reset();
                *state = self.highlight_state(highlighter);
                None
            }
        }
    }

    fn checkpoint(&self, scopes: &ScopeStack) -> Checkpoint {
        Checkpoint {
            parse: SendParseState(self.parse.clone()),
            scopes: scopes.clone(),
        }
    }
}

/// Parser state for pretty-printed JSON at a line whose enclosing containers are `stack`
/// (outermost first). `after_value`: the previous line ended a value without a comma (so the
/// line closes a container).
pub(crate) fn json_run(
    syntax: &'static SyntaxReference,
    syntaxes: &SyntaxSet,
    stack: &[Container],
    after_value: bool,
) -> Run {
    let mut run = Run::new(syntax);
    let mut parent = None;
    for &kind in stack {
        let keyed = parent == Some(Container::Object);
        run.advance(
            match (keyed, kind) {
                (false, Container::Object) => "{\n",
                (false, Container::Array) => "[\n",
                (true, Container::Object) => "\"k\": {\n",
                (true, Container::Array) => "\"k\": [\n",
            },
            syntaxes,
        );
        parent = Some(kind);
    }
    if after_value {
        run.advance(
            if parent == Some(Container::Object) {
                "\"k\": 0\n"
            } else {
                "0\n"
            },
            syntaxes,
        );
    }
    run
}

/// Whether a pretty-printed JSON line ends a value without a trailing comma.
pub(crate) fn json_ends_value(line: &str) -> bool {
    !matches!(line.as_bytes().last(), Some(b',' | b'{' | b'[') | None)
}

/// A short pretty-printed JSON line with the same effect on the parser as `line`, for lines too
/// long to highlight. `innermost`: the container the line sits in.
pub(crate) fn json_surrogate(line: &str, innermost: Option<Container>) -> &'static str {
    let keyed = innermost == Some(Container::Object);
    let first = line.trim_start_matches(' ').as_bytes().first().copied();
    let comma = line.ends_with(',');
    match (first, line.as_bytes().last(), keyed) {
        (Some(b'}'), _, _) if comma => "},\n",
        (Some(b'}'), _, _) => "}\n",
        (Some(b']'), _, _) if comma => "],\n",
        (Some(b']'), _, _) => "]\n",
        (_, Some(b'{'), true) => "\"k\": {\n",
        (_, Some(b'{'), false) => "{\n",
        (_, Some(b'['), true) => "\"k\": [\n",
        (_, Some(b'['), false) => "[\n",
        (_, _, true) if comma => "\"k\": 0,\n",
        (_, _, false) if comma => "0,\n",
        (_, _, true) => "\"k\": 0\n",
        (_, _, false) => "0\n",
    }
}

/// `ParseState` carrying the `Send` it lacks only because of the regex engine.
#[derive(Clone)]
struct SendParseState(ParseState);

// SAFETY: `ParseState` is not `Send` only because a frame may hold an `onig::Region` (capture
// positions for backreferences), which wraps raw pointers to arrays that Oniguruma allocates
// for that region alone. The region is plain owned data: no thread affinity, no shared or
// thread-local state, cloned by deep copy and freed with `onig_region_free`. Moving it to
// another thread is therefore sound; `StateCache` only ever hands out clones, under a mutex.
unsafe impl Send for SendParseState {}

/// Parser state at the start of a line.
#[derive(Clone)]
struct Checkpoint {
    parse: SendParseState,
    scopes: ScopeStack,
}

/// Parser checkpoints for a document that cannot use the JSON shortcut: entry `k` is the state
/// at the start of line `k * CHECKPOINT_INTERVAL`. Filled on demand and kept for later calls;
/// the first jump far down costs O(distance), later ones O(interval + window). Concurrent far
/// jumps may parse the same stretch twice; they never block each other for long.
#[derive(Default)]
pub(crate) struct StateCache {
    checkpoints: Mutex<Vec<Checkpoint>>,
}

impl StateCache {
    fn lock(&self) -> MutexGuard<'_, Vec<Checkpoint>> {
        self.checkpoints.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The parser state at the start of `line` (< line count). Missing checkpoints up to the
    /// line are computed here and published one by one; the lock is never held while parsing,
    /// so a cheap request (e.g. the top of the document) never waits for a far jump.
    pub(crate) fn resume(
        &self,
        line: usize,
        lines: &Lines,
        syntax: &'static SyntaxReference,
        syntaxes: &SyntaxSet,
    ) -> Run {
        let slot = line / CHECKPOINT_INTERVAL;
        let (known, mut run) = {
            let mut checkpoints = self.lock();
            if checkpoints.is_empty() {
                checkpoints.push(Run::new(syntax).checkpoint(&ScopeStack::new()));
            }
            let known = (checkpoints.len() - 1).min(slot);
            (known, resumed(syntax, &checkpoints[known]))
        };
        for k in known..slot {
            for i in k * CHECKPOINT_INTERVAL..(k + 1) * CHECKPOINT_INTERVAL {
                run.advance(&lines.line_with_newline(i), syntaxes);
            }
            self.offer((k + 1) * CHECKPOINT_INTERVAL, &run, &run.scopes);
        }
        for i in slot * CHECKPOINT_INTERVAL..line {
            run.advance(&lines.line_with_newline(i), syntaxes);
        }
        run
    }

    /// Records the state at the start of `line` if it is the next missing checkpoint (lets
    /// scrolling down extend the cache for free).
    pub(crate) fn offer(&self, line: usize, run: &Run, scopes: &ScopeStack) {
        if !line.is_multiple_of(CHECKPOINT_INTERVAL) {
            return;
        }
        let mut checkpoints = self.lock();
        if !checkpoints.is_empty() && checkpoints.len() == line / CHECKPOINT_INTERVAL {
            checkpoints.push(run.checkpoint(scopes));
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

fn resumed(syntax: &'static SyntaxReference, checkpoint: &Checkpoint) -> Run {
    Run {
        syntax,
        parse: checkpoint.parse.0.clone(),
        scopes: checkpoint.scopes.clone(),
    }
}

#[cfg(test)]
pub(crate) fn parse_state(run: &Run) -> &ParseState {
    &run.parse
}
