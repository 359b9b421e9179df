//! Bodies that are a stream of values: JSON Lines / NDJSON (one value per line), JSON text
//! sequences (RFC 7464: each value after an RS byte) and server-sent events. Each value is
//! pretty-printed as a single JSON body would be, one after another; what is not JSON is kept as
//! text; a notice counts the records.

use super::document::Lang;
use super::json::{Builder, Layout, LineKind, Pretty, PrettyError};
use super::sse;
use crate::model::{counted, thousands};

/// How a body of several values is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One value per line (JSON Lines, NDJSON).
    Lines,
    /// RFC 7464: `RS value LF`, a value may span lines.
    Seq,
    /// `text/event-stream`.
    Events,
}

/// The framing a media type essence (lowercase, no parameters) announces.
pub(crate) fn framing_of(essence: &str) -> Option<Framing> {
    match essence {
        "application/x-ndjson"
        | "application/ndjson"
        | "text/x-ndjson"
        | "application/jsonl"
        | "application/x-jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines"
        | "application/json-lines"
        | "application/x-json-lines"
        | "application/jsonlines+json"
        | "application/x-json-stream"
        | "application/stream+json" => Some(Framing::Lines),
        "text/event-stream" => Some(Framing::Events),
        e if e.ends_with("json-seq") => Some(Framing::Seq),
        _ => None,
    }
}

/// A stream body ready to become a document.
pub(crate) struct Stream {
    pub(crate) pretty: Pretty,
    pub(crate) layout: Layout,
    /// `Json` when some value is JSON (highlighted), else `Plain`.
    pub(crate) lang: Lang,
    /// The record count first, then any problem.
    pub(crate) notices: Vec<String>,
}

/// How forgiving [`json_values`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The Content-Type says so: a value that is not JSON is kept as text, with a notice.
    Declared,
    /// Guessing from the shape of a body sent as JSON: every value must be JSON, and there must
    /// be two or more.
    Shape,
}

/// The values of a JSON Lines body (`Framing::Lines`) or a JSON text sequence (`Framing::Seq`),
/// one after another. `cut`: only the start of the body is here, so a last value that does not
/// parse is shown as text without blame. `None`: not such a stream (in `Shape` mode), or no value
/// at all parses (in `Declared` mode: the caller reads the body as one JSON document instead).
pub(crate) fn json_values(text: &str, framing: Framing, mode: Mode, cut: bool) -> Option<Stream> {
    let separator = match framing {
        Framing::Seq => '\u{1e}',
        _ => '\n',
    };
    let mut b = Builder::new(text.len());
    let mut valid = 0;
    let mut bad: Vec<(usize, PrettyError)> = Vec::new();
    // 1-based line of the input where the current piece starts.
    let mut line = 1;
    let mut rest = text;
    loop {
        let (piece, next) = match rest.find(separator) {
            Some(i) => (&rest[..i], Some(&rest[i + separator.len_utf8()..])),
            None => (rest, None),
        };
        let start_line = line;
        if framing == Framing::Seq {
            line += piece.bytes().filter(|&b| b == b'\n').count();
        } else {
            line += 1;
        }
        let value = piece.trim_matches(is_json_space);
        if !value.is_empty() {
            b.start_record();
            match b.json(value) {
                Ok(()) => valid += 1,
                Err(err) => {
                    let last = next.is_none_or(|n| n.trim_matches(is_json_space).is_empty());
                    let excused = cut && last;
                    if mode == Mode::Shape && !excused {
                        return None;
                    }
                    for text_line in value.split('\n') {
                        b.text(text_line, LineKind::Text).ok()?;
                    }
                    if !excused {
                        // Where the value starts, plus the lines of the error inside it.
                        let leading = piece.len() - piece.trim_start_matches(is_json_space).len();
                        let offset = piece[..leading].bytes().filter(|&b| b == b'\n').count();
                        bad.push((start_line + offset, err));
                    }
                }
            }
        }
        match next {
            Some(next) => rest = next,
            None => break,
        }
    }
    if valid == 0 || (mode == Mode::Shape && valid < 2) {
        return None;
    }
    let (pretty, layout) = b.finish();
    let name = match framing {
        Framing::Seq => "JSON text sequence",
        _ => "JSON Lines",
    };
    let mut notices = vec![format!("{name}: {}", counted(layout.records(), "record"))];
    notices.extend(bad_values_notice(&bad, framing));
    Some(Stream {
        pretty,
        layout,
        lang: Lang::Json,
        notices,
    })
}

/// The events of a `text/event-stream` body: for each, a header line (its type and id, shown
/// like a comment), then its data, pretty-printed when it is one JSON value, else as text.
/// `None` only for a body too large to index.
pub(crate) fn events(text: &str, cut: bool) -> Option<Stream> {
    let parsed = sse::parse(text);
    let mut b = Builder::new(text.len());
    let mut json = false;
    for event in &parsed.events {
        b.start_record();
        b.text(&event.header(), LineKind::Note).ok()?;
        if event.data.is_empty() {
            continue;
        }
        if b.json(&event.data).is_ok() {
            json = true;
        } else {
            for line in event.data.split('\n') {
                b.text(line, LineKind::Text).ok()?;
            }
        }
    }
    let (pretty, layout) = b.finish();
    let mut summary = format!(
        "Server-sent events: {}",
        counted(parsed.events.len(), "event")
    );
    if parsed.comments > 0 {
        summary.push_str(&format!(
            " ({} not shown)",
            counted(parsed.comments, "comment line")
        ));
    }
    let mut notices = vec![summary];
    if parsed.unterminated && !cut {
        notices.push(
            "The stream ended inside the last event (no blank line after it); shown anyway"
                .to_owned(),
        );
    }
    Some(Stream {
        pretty,
        layout,
        lang: if json { Lang::Json } else { Lang::Plain },
        notices,
    })
}

/// JSON's whitespace (a stray `\r` of CRLF line ends included).
fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// "Line 3 is not valid JSON (expected value at column 5) — shown as received", naming the first
/// few of several.
fn bad_values_notice(bad: &[(usize, PrettyError)], framing: Framing) -> Option<String> {
    const NAMED: usize = 5;
    let (first_line, first_err) = bad.first()?;
    let why = match first_err {
        PrettyError::Invalid {
            message,
            line,
            column,
        } if framing == Framing::Seq && *line > 1 => {
            format!(
                "{message} at line {} column {column}",
                first_line + line - 1
            )
        }
        PrettyError::Invalid {
            message, column, ..
        } => format!("{message} at column {column}"),
        PrettyError::TooLarge => "too deeply nested".to_owned(),
    };
    let what = if framing == Framing::Seq {
        "The record at line"
    } else {
        "Line"
    };
    if bad.len() == 1 {
        return Some(format!(
            "{what} {first_line} is not valid JSON ({why}) — shown as received"
        ));
    }
    let mut lines: Vec<String> = bad.iter().take(NAMED).map(|(l, _)| thousands(*l)).collect();
    if bad.len() > NAMED {
        lines.push(format!("{} more", thousands(bad.len() - NAMED)));
    }
    let listed = match lines.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => lines.join(""),
    };
    let records = if framing == Framing::Seq {
        "records"
    } else {
        "lines"
    };
    Some(format!(
        "{} {records} are not valid JSON: {listed} (line {first_line}: {why}) — shown as received",
        thousands(bad.len())
    ))
}
