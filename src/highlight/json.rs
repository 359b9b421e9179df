//! Streaming JSON validation + pretty-printing, and the nesting index that lets the highlighter
//! resume in the middle of a huge document.
//!
//! One pass over the bytes, no recursion and no `serde_json::Value` tree: the parser is a small
//! state machine with an explicit stack, and string contents are copied verbatim (escapes
//! included). The output uses serde_json's pretty format (2-space indent, `": "` after keys,
//! empty `{}`/`[]` on one line), except that indentation stops growing after
//! [`MAX_INDENT_LEVELS`] so that pathological nesting cannot blow up the output.

/// The highlighter can resume at any line from a checkpoint taken every this many lines.
pub(crate) const CHECKPOINT_INTERVAL: usize = 256;

/// Indentation grows with nesting up to this many levels, then stays flat.
pub(crate) const MAX_INDENT_LEVELS: usize = 32;

const INDENT: &str = "                                                                ";
const _: () = assert!(INDENT.len() == MAX_INDENT_LEVELS * 2);

/// Marks "no container" in the nesting tree.
const NO_NODE: u32 = u32::MAX >> 1;
/// The kind bit of a node (set: object).
const OBJECT_BIT: u32 = 1 << 31;

/// A JSON container kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Object,
    Array,
}

/// Where every line of the pretty-printed text sits in the nesting structure.
///
/// Every non-empty container is a node (`parent | kind bit`), so the stack at any point is a
/// chain of parent links; a checkpoint every [`CHECKPOINT_INTERVAL`] lines names the innermost
/// container open at the start of that line. Memory: 4 bytes per container plus 4 bytes per
/// checkpoint, independent of the nesting depth.
#[derive(Debug, Default)]
pub(crate) struct JsonIndex {
    nodes: Vec<u32>,
    checkpoints: Vec<u32>,
}

impl JsonIndex {
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

/// Pretty-printed JSON plus its line index.
#[derive(Debug)]
pub(crate) struct Pretty {
    /// Every line ends with `\n`.
    pub(crate) text: String,
    pub(crate) line_starts: Vec<u32>,
    pub(crate) index: JsonIndex,
    /// Strings contained bytes that may need display sanitising (DEL or C1 controls).
    pub(crate) needs_sanitizing: bool,
    /// The longest line, in characters.
    pub(crate) max_line_chars: usize,
}

/// Why a body could not be pretty-printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PrettyError {
    /// Not valid JSON; `line`/`column` are 1-based (column counted in bytes, like serde_json).
    #[error("{message} at line {line} column {column}")]
    Invalid {
        message: &'static str,
        line: usize,
        column: usize,
    },
    /// The pretty form would be unreasonably larger than the input (pathological nesting).
    #[error("pretty-printed form would be too large")]
    TooLarge,
}

/// Validates `input` as JSON and pretty-prints it.
pub(crate) fn pretty(input: &str) -> Result<Pretty, PrettyError> {
    let budget = input
        .len()
        .saturating_mul(8)
        .saturating_add(4 << 20)
        .min(u32::MAX as usize - 1);
    let mut w = Writer {
        out: String::with_capacity(input.len() + input.len() / 2 + 16),
        line_starts: Vec::with_capacity(input.len() / 24 + 1),
        nodes: Vec::new(),
        checkpoints: vec![NO_NODE],
        top: NO_NODE,
        depth: 0,
        budget,
        needs_sanitizing: false,
        max_line_chars: 0,
    };
    w.line_starts.push(0);
    Parser {
        src: input,
        bytes: input.as_bytes(),
        pos: 0,
    }
    .run(&mut w)?;
    w.finish_line();
    w.out.push('\n');
    w.out.shrink_to_fit();
    w.line_starts.shrink_to_fit();
    w.nodes.shrink_to_fit();
    Ok(Pretty {
        text: w.out,
        line_starts: w.line_starts,
        index: JsonIndex {
            nodes: w.nodes,
            checkpoints: w.checkpoints,
        },
        needs_sanitizing: w.needs_sanitizing,
        max_line_chars: w.max_line_chars,
    })
}

struct Writer {
    out: String,
    line_starts: Vec<u32>,
    nodes: Vec<u32>,
    checkpoints: Vec<u32>,
    top: u32,
    depth: usize,
    budget: usize,
    needs_sanitizing: bool,
    max_line_chars: usize,
}

impl Writer {
    /// Accounts for the line being written (before its newline) in `max_line_chars`.
    fn finish_line(&mut self) {
        let start = self.line_starts.last().map_or(0, |&s| s as usize);
        // Characters never outnumber bytes: only count lines that could be a new maximum.
        if self.out.len() - start > self.max_line_chars {
            let chars = self.out.get(start..).map_or(0, |line| line.chars().count());
            self.max_line_chars = self.max_line_chars.max(chars);
        }
    }

    fn newline(&mut self) -> Result<(), PrettyError> {
        self.finish_line();
        self.out.push('\n');
        let start = u32::try_from(self.out.len()).map_err(|_| PrettyError::TooLarge)?;
        if self.out.len() > self.budget {
            return Err(PrettyError::TooLarge);
        }
        if self.line_starts.len() % CHECKPOINT_INTERVAL == 0 {
            self.checkpoints.push(self.top);
        }
        self.line_starts.push(start);
        self.out
            .push_str(&INDENT[..self.depth.min(MAX_INDENT_LEVELS) * 2]);
        Ok(())
    }

    fn open(&mut self, kind: Container) -> Result<(), PrettyError> {
        let node = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&n| n < NO_NODE)
            .ok_or(PrettyError::TooLarge)?;
        let (bracket, bit) = match kind {
            Container::Object => ('{', OBJECT_BIT),
            Container::Array => ('[', 0),
        };
        self.out.push(bracket);
        self.nodes.push(self.top | bit);
        self.top = node;
        self.depth += 1;
        self.newline()
    }

    fn close(&mut self, kind: Container) -> Result<(), PrettyError> {
        self.depth = self.depth.saturating_sub(1);
        // The closing line still belongs to the container: record it before popping.
        self.newline()?;
        self.top = self
            .nodes
            .get(self.top as usize)
            .map_or(NO_NODE, |&packed| packed & !OBJECT_BIT);
        self.out.push(match kind {
            Container::Object => '}',
            Container::Array => ']',
        });
        Ok(())
    }
}

/// What the parser expects next.
#[derive(Clone, Copy)]
enum Expect {
    Value,
    Key,
    AfterValue,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn run(&mut self, w: &mut Writer) -> Result<(), PrettyError> {
        let mut stack: Vec<Container> = Vec::new();
        let mut expect = Expect::Value;
        loop {
            self.skip_ws();
            expect = match expect {
                Expect::Value => self.value(w, &mut stack)?,
                Expect::Key => {
                    match self.peek() {
                        Some(b'"') => self.string(w)?,
                        Some(_) => return Err(self.error("key must be a string")),
                        None => return Err(self.error("EOF while parsing an object")),
                    }
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return Err(self.error(if self.peek().is_some() {
                            "expected `:`"
                        } else {
                            "EOF while parsing an object"
                        }));
                    }
                    self.pos += 1;
                    w.out.push_str(": ");
                    Expect::Value
                }
                Expect::AfterValue => {
                    let Some(&top) = stack.last() else {
                        return match self.peek() {
                            None => Ok(()),
                            Some(_) => Err(self.error("trailing characters")),
                        };
                    };
                    match (self.peek(), top) {
                        (Some(b','), _) => {
                            self.pos += 1;
                            self.skip_ws();
                            if matches!(self.peek(), Some(b']' | b'}')) {
                                return Err(self.error("trailing comma"));
                            }
                            w.out.push(',');
                            w.newline()?;
                            match top {
                                Container::Object => Expect::Key,
                                Container::Array => Expect::Value,
                            }
                        }
                        (Some(b'}'), Container::Object) | (Some(b']'), Container::Array) => {
                            self.pos += 1;
                            stack.pop();
                            w.close(top)?;
                            Expect::AfterValue
                        }
                        (None, Container::Object) => {
                            return Err(self.error("EOF while parsing an object"));
                        }
                        (None, Container::Array) => {
                            return Err(self.error("EOF while parsing a list"));
                        }
                        (Some(_), Container::Object) => {
                            return Err(self.error("expected `,` or `}`"));
                        }
                        (Some(_), Container::Array) => {
                            return Err(self.error("expected `,` or `]`"));
                        }
                    }
                }
            };
        }
    }

    /// Parses the start of a value at `pos` (whitespace already skipped).
    fn value(&mut self, w: &mut Writer, stack: &mut Vec<Container>) -> Result<Expect, PrettyError> {
        let Some(byte) = self.peek() else {
            return Err(self.error("EOF while parsing a value"));
        };
        match byte {
            b'{' | b'[' => {
                let (kind, close, empty) = if byte == b'{' {
                    (Container::Object, b'}', "{}")
                } else {
                    (Container::Array, b']', "[]")
                };
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.pos += 1;
                    w.out.push_str(empty);
                    return Ok(Expect::AfterValue);
                }
                stack.push(kind);
                w.open(kind)?;
                Ok(match kind {
                    Container::Object => Expect::Key,
                    Container::Array => Expect::Value,
                })
            }
            b'"' => {
                self.string(w)?;
                Ok(Expect::AfterValue)
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.number()?;
                w.out.push_str(self.slice(start));
                Ok(Expect::AfterValue)
            }
            b't' | b'f' | b'n' => {
                let word: &str = match byte {
                    b't' => "true",
                    b'f' => "false",
                    _ => "null",
                };
                if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
                    return Err(self.error("expected ident"));
                }
                self.pos += word.len();
                w.out.push_str(word);
                Ok(Expect::AfterValue)
            }
            _ => Err(self.error("expected value")),
        }
    }

    /// Copies the string starting at `pos` (an opening quote) verbatim.
    fn string(&mut self, w: &mut Writer) -> Result<(), PrettyError> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            i = next_special_string_byte(self.bytes, i);
            self.pos = i;
            match self.bytes.get(i) {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    self.pos = i + 1;
                    match self.bytes.get(i + 1) {
                        None => return Err(self.error("EOF while parsing a string")),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') => {
                            for k in 0..4 {
                                self.pos = i + 2 + k;
                                match self.bytes.get(i + 2 + k) {
                                    Some(h) if h.is_ascii_hexdigit() => {}
                                    Some(_) => {
                                        return Err(self.error("invalid escape"));
                                    }
                                    None => {
                                        return Err(self.error("EOF while parsing a string"));
                                    }
                                }
                            }
                            i += 6;
                        }
                        Some(_) => return Err(self.error("invalid escape")),
                    }
                }
                Some(0x7f | 0xc2) => {
                    w.needs_sanitizing = true;
                    i += 1;
                }
                Some(_) => {
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
        self.pos = i + 1;
        w.out.push_str(self.slice(start));
        Ok(())
    }

    fn number(&mut self) -> Result<(), PrettyError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// `src[start..pos]`; both ends sit on ASCII bytes, so this never fails in practice.
    fn slice(&self, start: usize) -> &str {
        self.src.get(start..self.pos).unwrap_or_default()
    }

    fn error(&self, message: &'static str) -> PrettyError {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        PrettyError::Invalid {
            message,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: self.pos - line_start + 1,
        }
    }
}

/// Bytes inside a string that need a closer look: the closing quote, escapes, control characters
/// (invalid), and DEL / the lead byte of C1 controls (valid, but sanitised for display).
fn is_special_string_byte(b: u8) -> bool {
    // Non-short-circuiting so that the chunked scan below compiles to SIMD compares.
    (b < 0x20) | (b == b'"') | (b == b'\\') | (b == 0x7f) | (b == 0xc2)
}

/// The index of the first special string byte at or after `i` (or `bytes.len()`), scanning
/// 16 bytes at a time.
fn next_special_string_byte(bytes: &[u8], mut i: usize) -> usize {
    const CHUNK: usize = 16;
    while let Some(chunk) = bytes.get(i..i + CHUNK) {
        if chunk
            .iter()
            .fold(false, |found, &b| found | is_special_string_byte(b))
        {
            break;
        }
        i += CHUNK;
    }
    while let Some(&b) = bytes.get(i) {
        if is_special_string_byte(b) {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pp(s: &str) -> String {
        match pretty(s) {
            Ok(p) => p.text,
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    fn lines_of(p: &Pretty) -> Vec<&str> {
        p.text.lines().collect()
    }

    #[test]
    fn formats_like_serde_json() {
        let src = r#" {"a":[1, 2,{}],"b" : {"c":[]}, "d":"x\"y\u00e9", "e":null,"f":-1.5e+3} "#;
        let expected = r#"{
  "a": [
    1,
    2,
    {}
  ],
  "b": {
    "c": []
  },
  "d": "x\"y\u00e9",
  "e": null,
  "f": -1.5e+3
}
"#;
        assert_eq!(pp(src), expected);
    }

    #[test]
    fn scalars_and_empties() {
        assert_eq!(pp("  42 "), "42\n");
        assert_eq!(pp("\"hi\""), "\"hi\"\n");
        assert_eq!(pp("[ ]"), "[]\n");
        assert_eq!(pp("{\n}"), "{}\n");
        assert_eq!(pp("[[]]"), "[\n  []\n]\n");
    }

    #[test]
    fn line_starts_match_text() {
        let p = pretty(r#"{"a":[1,2],"b":{"c":true}}"#).expect("valid");
        let from_text: Vec<u32> = std::iter::once(0)
            .chain(
                p.text
                    .match_indices('\n')
                    .map(|(i, _)| i as u32 + 1)
                    .filter(|&i| (i as usize) < p.text.len()),
            )
            .collect();
        assert_eq!(p.line_starts, from_text);
    }

    #[test]
    fn errors_carry_position() {
        let err = pretty("{\n  \"a\": 1,\n  \"b\": x\n}").expect_err("invalid");
        assert_eq!(
            err,
            PrettyError::Invalid {
                message: "expected value",
                line: 3,
                column: 8
            }
        );
        assert!(matches!(
            pretty(""),
            Err(PrettyError::Invalid {
                message: "EOF while parsing a value",
                ..
            })
        ));
        assert!(matches!(
            pretty("[1,]"),
            Err(PrettyError::Invalid {
                message: "trailing comma",
                ..
            })
        ));
        assert!(matches!(
            pretty("{} x"),
            Err(PrettyError::Invalid {
                message: "trailing characters",
                ..
            })
        ));
        assert!(matches!(
            pretty("\"a\u{1}\""),
            Err(PrettyError::Invalid { .. })
        ));
        assert!(matches!(
            pretty("\"\\x\""),
            Err(PrettyError::Invalid {
                message: "invalid escape",
                ..
            })
        ));
        assert!(matches!(pretty("01"), Err(PrettyError::Invalid { .. })));
    }

    #[test]
    fn deep_nesting_without_recursion() {
        let depth = 10_000;
        let src = "[".repeat(depth) + &"]".repeat(depth);
        // The innermost pair is empty and stays on one line.
        let p = pretty(&src).expect("deeply nested JSON is valid");
        assert_eq!(p.line_starts.len(), 2 * depth - 1);
        let widest = lines_of(&p).iter().map(|l| l.len()).max().unwrap_or(0);
        assert_eq!(widest, MAX_INDENT_LEVELS * 2 + 2);
        let src = "{\"k\":".repeat(depth) + "1" + &"}".repeat(depth);
        assert!(pretty(&src).is_ok());
    }

    #[test]
    fn pathological_nesting_hits_the_budget() {
        let depth = 2_000_000;
        let src = "[".repeat(depth) + &"]".repeat(depth);
        assert_eq!(pretty(&src).err(), Some(PrettyError::TooLarge));
    }

    #[test]
    fn large_single_line() {
        let item = r#"{"id":12345,"name":"widget","tags":["a","b"],"price":9.99,"ok":true},"#;
        let mut src = String::from("[");
        while src.len() < 5 << 20 {
            src.push_str(item);
        }
        src.push_str("null]");
        let p = pretty(&src).expect("valid");
        assert!(p.line_starts.len() > 500_000);
    }

    #[test]
    fn stack_at_matches_a_sequential_scan() {
        let mut src = String::from("{\"root\":[");
        for i in 0..2000 {
            src.push_str(&format!(
                "{{\"id\":{i},\"deep\":{{\"list\":[[1,{{\"x\":[]}}],{{}}]}},\"s\":\"{{[\"}},"
            ));
        }
        src.push_str("1]}");
        let p = pretty(&src).expect("valid");
        let lines = lines_of(&p);
        let mut stack = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(p.index.stack_at(i, |k| lines[k]), stack, "line {i}");
            apply_line(&mut stack, line);
        }
        assert!(stack.is_empty());
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn reformat_equals_serde_pretty(v in arb_json()) {
            let compact = serde_json::to_string(&v).expect("serialise");
            let p = pretty(&compact).expect("serde output is valid JSON");
            let widest = p.text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            prop_assert_eq!(p.max_line_chars, widest);
            let pretty_text = p.text;
            let expected = serde_json::to_string_pretty(&v).expect("serialise") + "\n";
            prop_assert_eq!(&pretty_text, &expected);
            let back: serde_json::Value = serde_json::from_str(&pretty_text).expect("parses back");
            let direct: serde_json::Value = serde_json::from_str(&compact).expect("parses");
            prop_assert_eq!(back, direct);
        }

        #[test]
        fn validity_agrees_with_serde_json(
            v in arb_json(),
            at in any::<prop::sample::Index>(),
            edit in 0u8..3,
            ch in prop::sample::select(vec![
                '{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '.', 'e', '+', 't', 'n',
                'u', ' ', '\n', '\u{1}', 'x',
            ]),
        ) {
            let mut s = serde_json::to_string(&v).expect("serialise");
            let boundaries: Vec<usize> =
                (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            let i = boundaries[at.index(boundaries.len())];
            match edit {
                0 => s.insert(i, ch),
                1 => {
                    if let Some(c) = s[i..].chars().next() {
                        s.replace_range(i..i + c.len_utf8(), "");
                    }
                }
                _ => {
                    if let Some(c) = s[i..].chars().next() {
                        s.replace_range(i..i + c.len_utf8(), ch.encode_utf8(&mut [0; 4]));
                    }
                }
            }
            let ours = pretty(&s).is_ok();
            let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
            prop_assert_eq!(ours, theirs, "{:?}", s);
        }
    }
}
