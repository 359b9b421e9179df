//! JSON pretty-printed as it streams: bytes in, in pieces of any size, the same pretty form as
//! [`super::pretty`] out (2-space indent up to [`MAX_INDENT_LEVELS`], `": "` after keys, empty
//! `{}`/`[]` on one line), with memory bounded by the nesting depth. For bodies too large for
//! memory, written beside the received bytes on disk (by the HTTP layer's spill).
//!
//! It checks the structure as it goes (brackets, commas, colons, strings, keywords and number
//! characters) and stops at the first thing that is not JSON, saying where; a number's exact
//! grammar is not checked.

use super::MAX_INDENT_LEVELS;

/// The deepest indentation written, in spaces.
const INDENT: &str = "                                                                ";
const _: () = assert!(INDENT.len() == MAX_INDENT_LEVELS * 2);

/// How much of a body [`write_pretty`] prints at a time.
const PIECE: usize = 256 * 1024;

/// Pretty-prints a JSON body straight to `out`, a piece at a time, so that printing a large body
/// takes no more memory than the body (a [`Document`](crate::highlight::Document) of it holds
/// its pretty text, line index and outline: about twice the body again). `None`, with nothing
/// written, when the body is not that simple: not valid JSON (then its notices matter), nested
/// deeper than serde_json checks (128), holding characters a terminal must not get as they are
/// (DEL and the C1 controls, which the document replaces), a byte-order mark, or declared in a
/// charset other than UTF-8 (`content_type` is the raw Content-Type value).
pub fn write_pretty(
    body: &[u8],
    content_type: Option<&str>,
    out: &mut dyn std::io::Write,
) -> Option<std::io::Result<()>> {
    let c1 = |w: &[u8]| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]);
    let charset = crate::highlight::decode::MediaType::parse(content_type).charset;
    let utf8 =
        charset.is_none_or(|c| c.eq_ignore_ascii_case("utf-8") || c.eq_ignore_ascii_case("utf8"));
    if !utf8
        || body.starts_with(b"\xef\xbb\xbf")
        || body.contains(&0x7f)
        || body.windows(2).any(c1)
        || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err()
    {
        return None;
    }
    let mut printer = StreamPrinter::new();
    let mut buf = Vec::with_capacity(PIECE * 2);
    let invalid = |e: String| std::io::Error::other(format!("not JSON after all: {e}"));
    for piece in body.chunks(PIECE) {
        if let Err(e) = printer.feed(piece, &mut buf) {
            return Some(Err(invalid(e)));
        }
        if let Err(e) = out.write_all(&buf) {
            return Some(Err(e));
        }
        buf.clear();
    }
    Some(
        printer
            .finish(&mut buf)
            .map_err(invalid)
            .and_then(|()| out.write_all(&buf)),
    )
}

/// What comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value (or, just after `[`, the `]` closing it).
    Value,
    /// A key (or, just after `{`, the `}` closing it).
    Key,
    /// The `:` after a key.
    Colon,
    /// A `,` or the container's close; nothing at the top level.
    AfterValue,
    /// Inside a string; `key` when it is an object's key.
    InString { key: bool, escaped: bool },
    /// Inside a number or `true`/`false`/`null`.
    InScalar,
}

/// A JSON text being pretty-printed as it arrives.
#[derive(Debug)]
pub struct StreamPrinter {
    state: State,
    /// Open containers, innermost last: `true` for an object.
    stack: Vec<bool>,
    /// `{` or `[` seen, written only once the next byte says whether it is empty.
    pending_open: Option<u8>,
    /// The keyword being read (`t`, `f`, `n` start one) and how far.
    word: Option<(&'static [u8], usize)>,
    /// Bytes taken in so far (for error positions).
    at: u64,
    /// Whether a value has begun at the top level.
    started: bool,
}

impl Default for StreamPrinter {
    fn default() -> Self {
        StreamPrinter::new()
    }
}

impl StreamPrinter {
    pub fn new() -> StreamPrinter {
        StreamPrinter {
            state: State::Value,
            stack: Vec::new(),
            pending_open: None,
            word: None,
            at: 0,
            started: false,
        }
    }

    /// Takes in the next bytes, appending their pretty form to `out`; an error says what is
    /// not JSON, and where (a byte offset from the start).
    pub fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        let mut i = 0;
        while i < data.len() {
            // A string's plain run is copied at once.
            if let State::InString { escaped: false, .. } = self.state {
                let run = data[i..]
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\\') || *b < 0x20)
                    .unwrap_or(data.len() - i);
                out.extend_from_slice(&data[i..i + run]);
                i += run;
                self.at += run as u64;
                if i == data.len() {
                    break;
                }
            }
            self.byte(data[i], out)?;
            self.at += 1;
            i += 1;
        }
        Ok(())
    }

    /// The end of the text: what is still open is an error (a text cut short); the output ends
    /// with a newline.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        if self.state == State::InScalar {
            self.end_scalar()?;
            self.state = State::AfterValue;
        }
        let complete = self.started && self.stack.is_empty() && self.state == State::AfterValue;
        if let Some(open) = self.pending_open.take() {
            out.push(open);
        }
        out.push(b'\n');
        if complete {
            Ok(())
        } else {
            Err(self.error("the text ends before the JSON value does"))
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} (byte {})", self.at)
    }

    fn indent(&self, out: &mut Vec<u8>) {
        out.push(b'\n');
        let depth = self.stack.len().min(MAX_INDENT_LEVELS);
        out.extend_from_slice(&INDENT.as_bytes()[..depth * 2]);
    }

    fn byte(&mut self, b: u8, out: &mut Vec<u8>) -> Result<(), String> {
        if let Some(open) = self.pending_open.take() {
            if b.is_ascii_whitespace() {
                self.pending_open = Some(open);
                return Ok(());
            }
            let close = if open == b'{' { b'}' } else { b']' };
            if b == close {
                out.extend_from_slice(&[open, close]);
                self.state = State::AfterValue;
                return Ok(());
            }
            out.push(open);
            self.stack.push(open == b'{');
            self.indent(out);
        }
        match self.state {
            State::InString { key, escaped } => {
                out.push(b);
                self.state = match (escaped, b) {
                    (true, _) => State::InString {
                        key,
                        escaped: false,
                    },
                    (false, b'\\') => State::InString { key, escaped: true },
                    (false, b'"') if key => State::Colon,
                    (false, b'"') => State::AfterValue,
                    (false, c) if c < 0x20 => {
                        return Err(self.error("a control character inside a string"));
                    }
                    (false, _) => self.state,
                };
                Ok(())
            }
            State::InScalar => {
                if let Some((word, seen)) = self.word
                    && word.get(seen) == Some(&b)
                {
                    self.word = Some((word, seen + 1));
                    out.push(b);
                    return Ok(());
                }
                if self.word.is_none()
                    && matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    out.push(b);
                    return Ok(());
                }
                self.end_scalar()?;
                self.state = State::AfterValue;
                self.byte(b, out)
            }
            _ if b.is_ascii_whitespace() => Ok(()),
            State::Value => self.value(b, out),
            State::Key => match b {
                b'"' => {
                    out.push(b);
                    self.state = State::InString {
                        key: true,
                        escaped: false,
                    };
                    Ok(())
                }
                _ => Err(self.error("expected a key (a string)")),
            },
            State::Colon => match b {
                b':' => {
                    out.extend_from_slice(b": ");
                    self.state = State::Value;
                    Ok(())
                }
                _ => Err(self.error("expected `:` after a key")),
            },
            State::AfterValue => match (b, self.stack.last()) {
                (b',', Some(object)) => {
                    out.push(b',');
                    self.indent(out);
                    self.state = if *object { State::Key } else { State::Value };
                    Ok(())
                }
                (b'}', Some(true)) | (b']', Some(false)) => {
                    self.stack.pop();
                    self.indent(out);
                    out.push(b);
                    Ok(())
                }
                (_, None) => Err(self.error("more text after the JSON value")),
                (_, Some(true)) => Err(self.error("expected `,` or `}`")),
                (_, Some(false)) => Err(self.error("expected `,` or `]`")),
            },
        }
    }

    /// The start of a value.
    fn value(&mut self, b: u8, out: &mut Vec<u8>) -> Result<(), String> {
        self.started = true;
        match b {
            b'{' | b'[' => {
                self.pending_open = Some(b);
                self.state = if b == b'{' { State::Key } else { State::Value };
            }
            b'"' => {
                out.push(b);
                self.state = State::InString {
                    key: false,
                    escaped: false,
                };
            }
            b'-' | b'0'..=b'9' => {
                out.push(b);
                self.word = None;
                self.state = State::InScalar;
            }
            b't' | b'f' | b'n' => {
                let word: &'static [u8] = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                out.push(b);
                self.word = Some((word, 1));
                self.state = State::InScalar;
            }
            _ => return Err(self.error("expected a value")),
        }
        Ok(())
    }

    /// A number or keyword ends: a keyword must be whole.
    fn end_scalar(&mut self) -> Result<(), String> {
        match self.word.take() {
            Some((word, seen)) if seen != word.len() => Err(self.error("expected a value")),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn printed(text: &str, piece: usize) -> Result<String, String> {
        let mut printer = StreamPrinter::new();
        let mut out = Vec::new();
        for part in text.as_bytes().chunks(piece.max(1)) {
            printer.feed(part, &mut out)?;
        }
        printer.finish(&mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_same_form_as_the_pretty_printer_in_memory() {
        for text in [
            "{}",
            "[]",
            r#"{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x\"y\\","g":true,"h":-1.5e+3}"#,
            " [ { } , [ ] , \"\" , false ] ",
            r#""just a string""#,
            "42",
            r#"{"日本語":"🎉","e\u0301":"\u00e9"}"#,
        ] {
            let whole = super::super::pretty(text).unwrap().shown();
            for piece in [1, 2, 3, 7, 4096] {
                assert_eq!(
                    printed(text, piece).unwrap(),
                    whole,
                    "{text} in pieces of {piece}"
                );
            }
        }
    }

    #[test]
    fn deep_nesting_stops_indenting() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(
            printed(&text, 5).unwrap(),
            super::super::pretty(&text).unwrap().shown()
        );
    }

    #[test]
    fn what_is_not_json_is_said_with_its_place() {
        for (text, says) in [
            ("[1,]", "expected a value (byte 3)"),
            ("{1:2}", "expected a key (a string) (byte 1)"),
            (r#"{"a" 1}"#, "expected `:` after a key (byte 5)"),
            ("[1 2]", "expected `,` or `]` (byte 3)"),
            (r#"{"a":1]"#, "expected `,` or `}` (byte 6)"),
            ("[tru]", "expected a value (byte 4)"),
            ("{} {}", "more text after the JSON value (byte 3)"),
            (
                "[\"a\u{1}\"]",
                "a control character inside a string (byte 3)",
            ),
            ("<html>", "expected a value (byte 0)"),
            (
                "[1, [2",
                "the text ends before the JSON value does (byte 6)",
            ),
            ("", "the text ends before the JSON value does (byte 0)"),
        ] {
            assert_eq!(printed(text, 2), Err(says.to_string()), "{text}");
        }
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1e6f64..1e6).prop_map(serde_json::Value::from),
            "[a-z\"\\\\é日 \u{7}]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map("[a-z]{0,4}", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_in_any_pieces_prints_as_in_memory(value in json(), piece in 1usize..40, spaced: bool) {
            let text = if spaced {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let whole = super::super::pretty(&text).unwrap().shown();
            prop_assert_eq!(printed(&text, piece).unwrap(), whole);
        }
    }
}
