//! How `scout send` prints: a response like xh/HTTPie (coloured on a terminal, the body alone
//! when piped), attempt reports on stderr, and the exit codes scripts read.

use std::io::{self, Write};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use serde_json::Value;

use crate::highlight::{Document, Lang, highlighter};
use crate::http::attempts::AttemptReport;
use crate::http::error::HttpError;
use crate::model::{ResponseData, human_duration, human_size};

/// Bodies larger than this (pretty-printed) are printed to a terminal without colours.
const HIGHLIGHT_LIMIT: usize = 4 * 1024 * 1024;

/// Exit codes, as HTTPie and xh use them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const TIMEOUT: i32 = 2;
    /// A command line that cannot work (as clap exits for its own usage errors).
    pub const USAGE: i32 = 2;
}

/// `attempt 1 of 4: 503 Service Unavailable; next in 1 s (Retry-After: 1 s)`.
pub fn attempt_line(r: &AttemptReport) -> String {
    let mut line = format!("attempt {} of {}: {}", r.attempt, r.of, r.outcome);
    if let Some(wait) = r.wait {
        line.push_str(&format!("; next in {}", human_duration(wait)));
    }
    if !r.note.is_empty() {
        line.push_str(&format!(" ({})", r.note));
    }
    line
}

/// HTTPie's `--check-status`: 3 for 3xx, 4 for 4xx, 5 for 5xx, else 0.
pub fn status_exit_code(status: u16) -> i32 {
    match status {
        300..=399 => 3,
        400..=499 => 4,
        500..=599 => 5,
        _ => exit::OK,
    }
}

pub fn write_io(r: io::Result<()>) -> Result<(), HttpError> {
    match r {
        Ok(()) => Ok(()),
        // A closed pipe (`scout send … | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(HttpError::Sink {
            path: "stdout".into(),
            detail: e.to_string(),
        }),
    }
}

/// The response: status line, headers and the highlighted body on a terminal (`tty`; the body
/// pretty-printed when `format`, else as received), the body exactly as received otherwise.
pub fn print_response(
    out: &mut dyn Write,
    response: &ResponseData,
    tty: bool,
    format: bool,
) -> Result<(), HttpError> {
    if let Some(spilled) = &response.spilled {
        // Too large for memory: the file as received (on a terminal too, unhighlighted).
        if tty {
            write_io(out.write_all(head(response).as_bytes()))?;
        }
        return write_io(crate::http::spill::copy_to(spilled, &mut *out).map(drop));
    }
    if !tty {
        // Piped: the body exactly as received, nothing else (like xh).
        return write_io(out.write_all(&response.body));
    }
    write_io(out.write_all(head(response).as_bytes()))?;
    if response.body.is_empty() {
        return Ok(());
    }
    write_body(out, response, format)
}

/// The body on a terminal (or shaped with `--pretty`): highlighted when small enough; a large
/// JSON body formatted is streamed out without a document of it (its memory is the body's).
fn write_body(out: &mut dyn Write, response: &ResponseData, format: bool) -> Result<(), HttpError> {
    let json = Lang::from_content_type(response.content_type()) == Lang::Json;
    if format
        && json
        && response.body.len() > HIGHLIGHT_LIMIT
        && let Some(written) =
            crate::highlight::write_pretty_json(&response.body, response.content_type(), out)
    {
        return write_io(written);
    }
    write_document(out, &shaped(response, format))
}

/// The body as a document to print: pretty-printed (`format`), or as received.
fn shaped(response: &ResponseData, format: bool) -> Document {
    if format {
        Document::from_body(&response.body, response.content_type())
    } else {
        Document::as_received(&response.body, response.content_type())
    }
}

/// `--print`: the parts asked for, in the order of the exchange. The request is `request`
/// (see the caller: head, blank line, body). Colours only on a terminal.
pub fn print_parts(
    out: &mut dyn Write,
    parts: crate::cli::send_options::Print,
    request: &str,
    response: &ResponseData,
    tty: bool,
    format: bool,
) -> Result<(), HttpError> {
    let (request_head, request_body) = request.split_once("\n\n").unwrap_or((request, ""));
    let mut text = String::new();
    if parts.request_head {
        text.push_str(request_head.trim_end());
        text.push_str("\n\n");
    }
    if parts.request_body && !request_body.is_empty() {
        text.push_str(request_body);
        text.push_str("\n\n");
    }
    if parts.response_head {
        let head = head(response);
        // Piped, the bytes around it go as they are: only the head loses its colours.
        text.push_str(&if tty {
            head
        } else {
            WithoutColours::strip(&head)
        });
    }
    write_io(out.write_all(text.as_bytes()))?;
    if parts.response_body {
        if tty && !response.body.is_empty() && response.spilled.is_none() {
            write_body(out, response, format)?;
        } else if let Some(spilled) = &response.spilled {
            write_io(crate::http::spill::copy_to(spilled, &mut *out).map(drop))?;
        } else {
            write_io(out.write_all(&response.body))?;
        }
    }
    if parts.meta {
        // Apart from a body printed before it (which may not end its line).
        let gap = if parts.response_body && !response.body.is_empty() {
            "\n\n"
        } else {
            ""
        };
        let meta = format!(
            "{gap}Elapsed time: {}\nBody: {}\n",
            human_duration(response.elapsed),
            human_size(response.body_len())
        );
        write_io(out.write_all(meta.as_bytes()))?;
    }
    Ok(())
}

/// A writer that passes everything on but the ANSI colour codes (`ESC [ … m`): what scout
/// prints when colours are off (piped, `NO_COLOR`, `--pretty format|none`). A code split
/// between two writes is still removed.
pub struct WithoutColours<'a> {
    inner: &'a mut dyn Write,
    /// Inside a code: after ESC, until its `m`.
    in_code: bool,
}

impl<'a> WithoutColours<'a> {
    pub fn new(inner: &'a mut dyn Write) -> WithoutColours<'a> {
        WithoutColours {
            inner,
            in_code: false,
        }
    }

    /// `text` without its colour codes.
    pub fn strip(text: &str) -> String {
        let mut out = Vec::new();
        let _ = WithoutColours::new(&mut out).write_all(text.as_bytes());
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Write for WithoutColours<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut kept = Vec::with_capacity(buf.len());
        for &b in buf {
            match (self.in_code, b) {
                (false, 0x1b) => self.in_code = true,
                (false, _) => kept.push(b),
                (true, b'm') => self.in_code = false,
                (true, _) => {}
            }
        }
        self.inner.write_all(&kept)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `scout send --filter`: the filter's outputs instead of the body. On a terminal (`tty`), the
/// status line and headers of `response` (when there is one response) and each output
/// pretty-printed and highlighted; piped, each output as compact JSON on a line of its own (like
/// `jq -c`), nothing else.
pub fn print_filtered(
    out: &mut dyn Write,
    response: Option<&ResponseData>,
    outputs: &[Value],
    tty: bool,
) -> Result<(), HttpError> {
    if !tty {
        let mut text = String::new();
        for value in outputs {
            text.push_str(&value.to_string());
            text.push('\n');
        }
        return write_io(out.write_all(text.as_bytes()));
    }
    if let Some(response) = response {
        write_io(out.write_all(head(response).as_bytes()))?;
    }
    for value in outputs {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        write_document(
            out,
            &Document::from_body(text.as_bytes(), Some("application/json")),
        )?;
    }
    Ok(())
}

/// The redirects followed, the status line and the headers, coloured, and a blank line.
pub fn head(response: &ResponseData) -> String {
    let mut text = String::new();
    for hop in &response.redirects {
        text.push_str(&paint(
            &format!("{} → {}", hop.status, hop.location),
            Style::default().fg(Color::DarkGray),
        ));
        text.push('\n');
    }
    let status_color = match response.status {
        200..=299 => Color::Green,
        300..=399 => Color::Cyan,
        400..=499 => Color::Yellow,
        _ => Color::Red,
    };
    text.push_str(&paint(
        &format!("{} ", response.version),
        Style::default().fg(Color::Blue),
    ));
    text.push_str(&paint(
        &format!("{} {}", response.status, response.reason),
        Style::default()
            .fg(status_color)
            .add_modifier(Modifier::BOLD),
    ));
    text.push_str(&paint(
        &format!(
            "  ({}, {})",
            human_duration(response.elapsed),
            human_size(response.body_len())
        ),
        Style::default().fg(Color::DarkGray),
    ));
    text.push('\n');
    for (k, v) in &response.headers {
        text.push_str(&paint(k, Style::default().fg(Color::Cyan)));
        text.push_str(&format!(": {v}\n"));
    }
    text.push('\n');
    text
}

/// A body's notices, then its text, highlighted when it is not too large. A picture is named
/// (type, dimensions, size), not dumped.
fn write_document(out: &mut dyn Write, doc: &Document) -> Result<(), HttpError> {
    let mut body = String::new();
    for (i, notice) in doc.notices().iter().enumerate() {
        body.push_str(&if doc.is_summary(i) {
            paint(&format!("ⓘ {notice}\n"), Style::default().fg(Color::Cyan))
        } else {
            paint(&format!("⚠ {notice}\n"), Style::default().fg(Color::Yellow))
        });
    }
    if doc.picture().is_some() {
        body.push_str(&paint(
            "The picture is not printed: pipe it (scout send … > picture.png) or save it with \
             --download\n",
            Style::default().fg(Color::DarkGray),
        ));
        return write_io(out.write_all(body.as_bytes()));
    }
    write_io(out.write_all(body.as_bytes()))?;
    // Highlighting is linear in the body; past a few MB a terminal gets the plain pretty text.
    if doc.stored_text().len() > HIGHLIGHT_LIMIT {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        for (indent, content) in doc.parts(0..doc.line_count()) {
            write_io(writeln!(out, "{:indent$}{content}", ""))?;
        }
        return write_io(out.flush());
    }
    let mut start = 0;
    while start < doc.line_count() {
        let end = (start + 1024).min(doc.line_count());
        let mut chunk = String::new();
        for line in highlighter().highlight(doc, start..end) {
            chunk.push_str(&line_to_ansi(&line));
            chunk.push('\n');
        }
        write_io(out.write_all(chunk.as_bytes()))?;
        start = end;
    }
    Ok(())
}

/// A styled line as ANSI escape sequences.
pub fn line_to_ansi(line: &Line<'_>) -> String {
    let mut out = String::new();
    for span in &line.spans {
        out.push_str(&paint(&span.content, span.style.patch(line.style)));
    }
    out
}

fn paint(text: &str, style: Style) -> String {
    let mut codes: Vec<String> = Vec::new();
    if style.add_modifier.contains(Modifier::BOLD) {
        codes.push("1".into());
    }
    if style.add_modifier.contains(Modifier::ITALIC) {
        codes.push("3".into());
    }
    if style.add_modifier.contains(Modifier::UNDERLINED) {
        codes.push("4".into());
    }
    match style.fg {
        Some(Color::Rgb(r, g, b)) => codes.push(format!("38;2;{r};{g};{b}")),
        Some(Color::Green) => codes.push("32".into()),
        Some(Color::Cyan) => codes.push("36".into()),
        Some(Color::Yellow) => codes.push("33".into()),
        Some(Color::Red) => codes.push("31".into()),
        Some(Color::Blue) => codes.push("34".into()),
        Some(Color::DarkGray) => codes.push("90".into()),
        _ => {}
    }
    if codes.is_empty() {
        text.to_string()
    } else {
        format!("\x1b[{}m{text}\x1b[0m", codes.join(";"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_status_codes_follow_httpie() {
        assert_eq!(status_exit_code(200), 0);
        assert_eq!(status_exit_code(302), 3);
        assert_eq!(status_exit_code(404), 4);
        assert_eq!(status_exit_code(503), 5);
    }

    fn printed(outputs: &[Value], tty: bool) -> String {
        let response = ResponseData {
            stopped: false,
            spilled: None,
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: bytes::Bytes::from_static(b"{}"),
            elapsed: std::time::Duration::from_millis(3),
            redirects: Vec::new(),
            url: "http://localhost/".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        };
        let mut out = Vec::new();
        print_filtered(&mut out, Some(&response), outputs, tty).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn filtered_outputs_are_compact_lines_when_piped_and_pretty_on_a_terminal() {
        let outputs = [serde_json::json!({"a": [1, 2]}), serde_json::json!("b")];
        assert_eq!(printed(&outputs, false), "{\"a\":[1,2]}\n\"b\"\n");
        assert_eq!(printed(&[], false), "");
        let shown = printed(&outputs, true);
        assert!(shown.contains("200 OK"), "{shown}");
        assert!(shown.contains("content-type"), "{shown}");
        let plain = strip_ansi(&shown);
        assert!(
            plain.ends_with("\n{\n  \"a\": [\n    1,\n    2\n  ]\n}\n\"b\"\n"),
            "{plain}"
        );
    }

    #[test]
    fn a_picture_is_named_on_a_terminal_and_passed_through_when_piped() {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(40, 30, image::Rgb([1, 2, 3]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let png = png.into_inner();
        let response = ResponseData {
            stopped: false,
            spilled: None,
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "image/png".into())],
            body: bytes::Bytes::from(png.clone()),
            elapsed: std::time::Duration::from_millis(3),
            redirects: Vec::new(),
            url: "http://localhost/p.png".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        };
        let mut out = Vec::new();
        print_response(&mut out, &response, true, true).unwrap();
        let shown = strip_ansi(&String::from_utf8(out).unwrap());
        assert!(shown.contains("ⓘ PNG image · 40 × 30 · RGB · "), "{shown}");
        assert!(shown.contains("The picture is not printed"), "{shown}");
        assert!(!shown.contains("00000000"), "no hex dump: {shown}");
        let mut out = Vec::new();
        print_response(&mut out, &response, false, true).unwrap();
        assert_eq!(out, png, "piped: byte for byte");
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                chars.by_ref().take_while(|c| *c != 'm').for_each(drop);
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_are_taken_out_even_across_writes_and_nothing_else_is() {
        let painted = paint("200 OK", Style::default().fg(Color::Green));
        let text = format!("a {painted} b");
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let mut out = Vec::new();
            let mut w = WithoutColours::new(&mut out);
            w.write_all(&bytes[..cut]).unwrap();
            w.write_all(&bytes[cut..]).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "a 200 OK b",
                "cut at {cut}"
            );
        }
        assert_eq!(WithoutColours::strip("日本語 é"), "日本語 é");
    }
}
