//! Reading a `text/event-stream` body into its events, as a browser's `EventSource` does
//! (WHATWG HTML, §9.2 "Server-sent events": the event stream interpretation).

use std::borrow::Cow;

/// One dispatched event, with the fields its block set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event<'a> {
    /// The `event:` field; the type is `message` without one.
    pub(crate) kind: Option<&'a str>,
    /// The `id:` field of this block (a value containing NUL is ignored, as the spec says).
    pub(crate) id: Option<&'a str>,
    /// The `retry:` field of this block, when it is all ASCII digits.
    pub(crate) retry: Option<&'a str>,
    /// The `data:` fields joined with `\n` (borrowed from the body when there is one).
    pub(crate) data: Cow<'a, str>,
}

impl Event<'_> {
    /// `event: update · id: 42`: the type (as the client sees it) and the other fields sent.
    pub(crate) fn header(&self) -> String {
        let mut out = format!("event: {}", self.kind.unwrap_or("message"));
        for (name, value) in [("id", self.id), ("retry", self.retry)] {
            if let Some(value) = value {
                out.push_str(" · ");
                out.push_str(name);
                out.push_str(": ");
                out.push_str(value);
            }
        }
        out
    }
}

/// A stream read to its end.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Events<'a> {
    pub(crate) events: Vec<Event<'a>>,
    /// Comment lines (`:` first), often keep-alives.
    pub(crate) comments: usize,
    /// The text ended inside an event (no blank line after its last field): that event is in
    /// `events`, though a browser would drop it.
    pub(crate) unterminated: bool,
}

/// The fields of the block being read.
#[derive(Default)]
struct Block<'a> {
    kind: Option<&'a str>,
    id: Option<&'a str>,
    retry: Option<&'a str>,
    /// The `data:` fields so far, joined with `\n`.
    data: Option<Cow<'a, str>>,
}

impl<'a> Block<'a> {
    /// The event this block makes, if it has data (a block without any is no event).
    fn dispatch(&mut self) -> Option<Event<'a>> {
        let block = std::mem::take(self);
        Some(Event {
            kind: block.kind.filter(|k| !k.is_empty()),
            id: block.id,
            retry: block.retry,
            data: block.data?,
        })
    }
}

/// The events of `text` (decoded), in order.
pub(crate) fn parse(text: &str) -> Events<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Events::default();
    let mut block = Block::default();
    let mut pending = false;
    for line in lines(text) {
        if line.is_empty() {
            out.events.extend(block.dispatch());
            pending = false;
            continue;
        }
        if line.starts_with(':') {
            out.comments += 1;
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        pending = true;
        match field {
            "event" => block.kind = Some(value),
            "data" => match &mut block.data {
                None => block.data = Some(Cow::Borrowed(value)),
                Some(data) => {
                    let data = data.to_mut();
                    data.push('\n');
                    data.push_str(value);
                }
            },
            "id" if !value.contains('\0') => block.id = Some(value),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                block.retry = Some(value);
            }
            _ => {}
        }
    }
    if pending && let Some(event) = block.dispatch() {
        out.events.push(event);
        out.unterminated = true;
    }
    out
}

/// Lines ending with CRLF, LF or CR (the last one may have no end).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        // Two fast scans rather than one for either byte: a `\r` is rare.
        let newline = current.find('\n');
        let before = newline.map_or(current, |i| &current[..i]);
        match before.find('\r').or(newline) {
            Some(i) => {
                let after = if current[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                let next = &current[after..];
                rest = (!next.is_empty()).then_some(next);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(kind: Option<&'a str>, id: Option<&'a str>, data: &str) -> Event<'a> {
        Event {
            kind,
            id,
            retry: None,
            data: Cow::Owned(data.to_owned()),
        }
    }

    #[test]
    fn reads_the_spec_examples() {
        // WHATWG HTML §9.2.4, the examples.
        let parsed = parse("data: YHOO\ndata: +2\ndata: 10\n\n");
        assert_eq!(parsed.events, [event(None, None, "YHOO\n+2\n10")]);

        let parsed = parse(
            ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
        );
        assert_eq!(
            parsed.events,
            [
                event(None, Some("1"), "first event"),
                event(None, Some(""), "second event"),
                event(None, None, " third event"),
            ]
        );
        assert_eq!(parsed.comments, 1);

        let parsed = parse("data\n\ndata\ndata\n\ndata:");
        assert_eq!(
            parsed.events,
            [
                event(None, None, ""),
                event(None, None, "\n"),
                event(None, None, "")
            ]
        );
        assert!(parsed.unterminated);

        let parsed = parse("data:test\n\ndata: test\n\n");
        assert_eq!(parsed.events[0], parsed.events[1]);
    }

    #[test]
    fn fields_and_line_endings() {
        let parsed = parse(
            "\u{feff}event: add\r\nretry: 3000\r\nid: 7\0x\rData: ignored\rdata: {\"a\": 1}\r\n\r\nid: 9\n\nretry: soon\ndata: x\n\n",
        );
        assert_eq!(
            parsed.events,
            [
                Event {
                    kind: Some("add"),
                    id: None,
                    retry: Some("3000"),
                    data: Cow::Borrowed("{\"a\": 1}"),
                },
                event(None, None, "x"),
            ]
        );
        assert!(!parsed.unterminated);
        assert_eq!(parsed.events[0].header(), "event: add · retry: 3000");
        assert_eq!(
            event(None, Some("42"), "").header(),
            "event: message · id: 42"
        );
    }
}
