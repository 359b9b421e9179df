//! A response body prepared for display: decoded, pretty-printed when it is JSON, split into
//! lines once, with the notices the response pane shows above it.

use std::borrow::Cow;
use std::ops::Range;

use bytes::Bytes;

use super::decode::{self, Decoded, MediaType};
use super::json::outline::Outline;
use super::json::{self, JsonIndex, Layout, Pretty, PrettyError};
use super::picture::{self, Picture, Sniffed};
use super::resume::StateCache;
use super::stream::{self, Framing, Mode, Stream};
use super::text::Lines;

/// The syntax a body is highlighted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Json,
    Html,
    Xml,
    JavaScript,
    Css,
    Plain,
}

impl Lang {
    /// The language for a raw Content-Type header value (parameters are ignored).
    pub fn from_content_type(ct: Option<&str>) -> Lang {
        Lang::from_essence(&MediaType::parse(ct).essence)
    }

    fn from_essence(essence: &str) -> Lang {
        match essence {
            "application/json" | "text/json" => Lang::Json,
            "text/html" | "application/xhtml+xml" => Lang::Html,
            "application/xml" | "text/xml" => Lang::Xml,
            "text/css" => Lang::Css,
            e if e.ends_with("+json") => Lang::Json,
            e if matches!(stream::framing_of(e), Some(Framing::Lines | Framing::Seq)) => Lang::Json,
            e if e.ends_with("+xml") => Lang::Xml,
            e if e.contains("javascript") || e.contains("ecmascript") => Lang::JavaScript,
            _ => Lang::Plain,
        }
    }
}

/// A body ready to display and highlight. `Send + Sync`: share it through an `Arc`.
///
/// The text is one buffer where every line ends with `\n`, with a line-start index; see
/// [`Document::from_body`] for what is done to the body on the way in.
pub struct Document {
    lines: Lines,
    lang: Lang,
    notices: Vec<String>,
    binary: bool,
    /// Present when the text is our own pretty-printed form of a valid JSON body (or of the
    /// JSON values of a stream).
    json: Option<JsonIndex>,
    /// Present for a stream of records (JSON Lines, JSON text sequence, server-sent events):
    /// where each record starts and which lines are not JSON.
    layout: Option<Layout>,
    /// Which notice says what the stream is ("JSON Lines: 5 records"): news, not a warning.
    summary: Option<usize>,
    /// Parser checkpoints for the general highlighting path, filled on demand.
    states: StateCache,
    /// Where its JSON containers open and close (folding, the path under the cursor): built on
    /// first use — the worker that prepares a document builds it, off the UI thread.
    outline: std::sync::OnceLock<Option<Outline>>,
    /// A binary body that is a picture: what its header says.
    picture: Option<Picture>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("lang", &self.lang)
            .field("lines", &self.line_count())
            .field("bytes", &self.lines.stored_text().len())
            .field("notices", &self.notices)
            .field("binary", &self.binary)
            .field("pretty_json", &self.json.is_some())
            .field("records", &self.records())
            .finish()
    }
}

impl Document {
    /// Decodes and prepares a body for display; `content_type` is the raw Content-Type value.
    /// Never panics; CPU-bound (run it off the UI thread).
    ///
    /// - Charset: BOM, else the `charset=` parameter (a "Decoded from X" notice for anything
    ///   but UTF-8), else UTF-8; invalid bytes become `�` with a notice naming the first one.
    /// - Binary bodies (NUL bytes, mostly control bytes / invalid UTF-8, or a binary
    ///   Content-Type with a body that is not clean text) become a hex dump of the first
    ///   512 bytes, [`Lang::Plain`], [`is_binary`](Self::is_binary).
    /// - JSON is validated and pretty-printed (2-space indent, string contents verbatim); invalid
    ///   JSON is kept as received (still [`Lang::Json`]) with a notice giving the error and its
    ///   line/column. Without a Content-Type (or with `text/plain`), a body that is valid JSON
    ///   is treated as JSON, and one starting with `<!doctype html`/`<html`/`<?xml` as HTML/XML.
    /// - Streams of values are shown one pretty-printed value after another, with a notice
    ///   counting the [`records`](Self::records): JSON Lines / NDJSON (by Content-Type, or a JSON
    ///   or untyped body of two or more lines that are each one JSON value), JSON text sequences
    ///   (`application/json-seq`) and server-sent events (`text/event-stream`: each event's type
    ///   and id on a line of its own, then its data). A value that is not JSON stays as text,
    ///   with a notice naming its line.
    /// - Lines: `\r\n` → `\n`, tabs expanded to [`TAB_WIDTH`](super::TAB_WIDTH) columns,
    ///   control characters replaced by visible symbols (`␛`, `␀`, …).
    /// - An empty body is one empty line with the notice "Empty body".
    pub fn from_body(body: &[u8], content_type: Option<&str>) -> Document {
        Document::prepare(body, content_type, false)
    }

    /// Like [`Document::from_body`], for a body of which only the first part is here (history
    /// keeps at most 1 MB of one): JSON that ends early is shown as it is, highlighted, without
    /// blaming the body for being invalid (the caller says the body was cut).
    pub fn from_partial_body(body: &[u8], content_type: Option<&str>) -> Document {
        Document::prepare(body, content_type, true)
    }

    /// The body exactly as received, for the Raw tab: decoded to text in its charset (binary
    /// bodies as a hex dump), lines kept as they came: never pretty-printed or reformatted.
    /// A body that is UTF-8 text without tabs or control characters is not copied: the
    /// document shares `body`'s buffer.
    pub fn as_received(body: &Bytes, content_type: Option<&str>) -> Document {
        let media = MediaType::parse(content_type);
        if body.is_empty() {
            return Document::new(
                Lines::build("").0,
                Lang::Plain,
                vec!["Empty body".to_owned()],
            );
        }
        let binary_type = Lang::from_essence(&media.essence) == Lang::Plain && media.is_binary();
        match decode::decode(body, &media, binary_type) {
            Decoded::Text { text, notices } => match Lines::share(body, &text) {
                Some(lines) => Document::new(lines, Lang::Plain, notices),
                None => Document::from_text(&text, Lang::Plain, notices),
            },
            Decoded::Binary => Document::binary(body, &media),
        }
    }

    /// Lines of text already decoded, kept as they are (never reformatted; control characters
    /// made visible and tabs expanded as for any body), highlighted as `lang`: a window of a body
    /// read back from disk.
    pub fn from_lines(text: &str, lang: Lang) -> Document {
        Document::from_text(text, lang, Vec::new())
    }

    /// About how much memory the document holds (its text, line index and JSON index).
    pub fn memory_bytes(&self) -> usize {
        self.memory_bytes_beside(&[])
    }

    /// [`Document::memory_bytes`] but for its text when that is part of `body`, which its owner
    /// accounts for: a body [as received](Document::as_received) shares the body's buffer.
    pub fn memory_bytes_beside(&self, body: &[u8]) -> usize {
        self.lines.memory_bytes_beside(body)
            + self.json.as_ref().map_or(0, JsonIndex::memory_bytes)
            + self.layout.as_ref().map_or(0, Layout::memory_bytes)
            + self
                .outline
                .get()
                .and_then(Option::as_ref)
                .map_or(0, Outline::memory_bytes)
    }

    /// The outline of its JSON (`None` when it is not pretty-printed JSON), built on the first
    /// call: linear in the lines, so make that call off the UI thread.
    pub fn outline(&self) -> Option<&Outline> {
        self.outline.get_or_init(|| Outline::of(self)).as_ref()
    }

    /// `from_body`; a `cut` body keeps invalid JSON as it is, without a notice.
    // Inlined into both callers, where `cut` is a constant: from_body is 5% faster so (the
    // 10 MB JSON benchmark).
    #[inline(always)]
    fn prepare(body: &[u8], content_type: Option<&str>, cut: bool) -> Document {
        let media = MediaType::parse(content_type);
        let declared = Lang::from_essence(&media.essence);
        if body.is_empty() {
            return Document::new(Lines::build("").0, declared, vec!["Empty body".to_owned()]);
        }
        // A body labelled as a picture is shown as one, or as bytes: never as text.
        if picture::is_picture_label(&media.essence) {
            return Document::binary(body, &media);
        }
        let binary_type = declared == Lang::Plain && media.is_binary();
        let (text, mut notices) = match decode::decode(body, &media, binary_type) {
            Decoded::Text { text, notices } => (text, notices),
            Decoded::Binary => return Document::binary(body, &media),
        };
        let stream = match stream::framing_of(&media.essence) {
            Some(Framing::Events) => stream::events(&text, cut),
            Some(framing) => stream::json_values(&text, framing, Mode::Declared, cut),
            None => None,
        };
        if let Some(stream) = stream {
            return Document::from_stream(stream, notices);
        }
        let sniffing = media.essence.is_empty() || media.essence == "text/plain";
        let lang = if sniffing { sniff(&text) } else { declared };
        if lang == Lang::Json {
            match json::pretty(&text) {
                Ok(pretty) => return Document::from_pretty(pretty, Lang::Json, notices),
                Err(err) => {
                    // A complete value, then more on a later line: maybe JSON Lines. Reading
                    // it as such stops at the first line that is not one value, so a large
                    // body that is simply invalid costs little more than the attempt above.
                    if err.is_trailing_after_first_line()
                        && let Some(stream) =
                            stream::json_values(&text, Framing::Lines, Mode::Shape, cut)
                    {
                        return Document::from_stream(stream, notices);
                    }
                    if !cut {
                        if sniffing {
                            return Document::from_text(&text, Lang::Plain, notices);
                        }
                        notices.push(json_notice(&text, &err));
                    }
                }
            }
        }
        Document::from_text(&text, lang, notices)
    }

    /// A document of our own pretty-printed JSON.
    fn from_pretty(pretty: Pretty, lang: Lang, notices: Vec<String>) -> Document {
        let lines = if pretty.needs_sanitizing {
            Lines::build(&pretty.text).0
        } else {
            Lines::from_parts(pretty.text, pretty.line_starts, pretty.max_line_chars)
        }
        .with_indents(pretty.indents, pretty.max_line_chars);
        let mut doc = Document::new(lines, lang, notices);
        doc.json = Some(pretty.index);
        doc
    }

    /// A stream's records; `notices` (from decoding) come first.
    fn from_stream(stream: Stream, mut notices: Vec<String>) -> Document {
        // The stream's first notice is its summary.
        let summary = (!stream.notices.is_empty()).then_some(notices.len());
        notices.extend(stream.notices);
        let mut doc = Document::from_pretty(stream.pretty, stream.lang, notices);
        if stream.lang != Lang::Json {
            // No JSON to highlight: the text is shown as it is.
            doc.json = None;
        }
        doc.layout = Some(stream.layout);
        doc.summary = summary;
        doc
    }

    fn new(lines: Lines, lang: Lang, notices: Vec<String>) -> Document {
        Document {
            lines,
            lang,
            notices,
            binary: false,
            json: None,
            layout: None,
            summary: None,
            states: StateCache::default(),
            outline: std::sync::OnceLock::new(),
            picture: None,
        }
    }

    fn from_text(text: &str, lang: Lang, mut notices: Vec<String>) -> Document {
        let (lines, truncated) = Lines::build(text);
        if truncated {
            notices.push("Body truncated to 4 GB for display".to_owned());
        }
        Document::new(lines, lang, notices)
    }

    /// A hex dump of the first 512 bytes, under one line saying what the body is:
    /// a picture's summary (see [`picture`]), why a labelled picture is not one, or the type and
    /// size of any other binary body.
    fn binary(body: &[u8], media: &MediaType) -> Document {
        let sniffed = picture::sniff(body, &media.essence);
        let (notice, news) = sniffed.notice(&media.essence, body.len());
        let mut doc = Document::new(
            Lines::build(&decode::hex_dump(body)).0,
            Lang::Plain,
            vec![notice],
        );
        doc.binary = true;
        doc.summary = news.then_some(0);
        if let Sniffed::Picture(p) = sniffed {
            doc.picture = Some(p);
        }
        doc
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Number of lines; at least 1.
    pub fn line_count(&self) -> usize {
        self.lines.count()
    }

    /// Line `i` as shown, without its newline; `""` when `i` is out of range. Pretty-printed
    /// JSON keeps its indentation apart: its lines are put together here (a small allocation).
    pub fn line(&self, i: usize) -> Cow<'_, str> {
        self.lines.line(i)
    }

    /// Line `i` without its newline or its indentation (see [`Document::indent`]).
    pub fn content(&self, i: usize) -> &str {
        self.lines.content(i)
    }

    /// How many spaces line `i` is indented by before its [content](Document::content): 0 but
    /// in pretty-printed JSON.
    pub fn indent(&self, i: usize) -> usize {
        self.lines.indent(i)
    }

    /// Lines `range` (clamped) one after another, each as the spaces it is indented by and its
    /// [content](Document::content): how to read many lines.
    pub fn parts(&self, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.lines.parts(range)
    }

    /// The text as stored: every line's [content](Document::content) (no indentation), each
    /// ending with `\n`, the last one included, except in a body [as
    /// received](Document::as_received) that shares its buffer. Pretty-printed JSON without its
    /// indentation is the same JSON: search and filters read this.
    pub fn stored_text(&self) -> &str {
        self.lines.stored_text()
    }

    /// [`Document::stored_text`] as a shared buffer (no copy): to keep beside the document.
    pub fn stored_bytes(&self) -> Bytes {
        self.lines.stored_bytes()
    }

    /// The whole text as shown, lines indented; put together (a copy) when the document is
    /// pretty-printed JSON, so for small documents and tests: large ones are read line by line.
    pub fn display_text(&self) -> Cow<'_, str> {
        if !self.lines.is_indented() {
            return Cow::Borrowed(self.stored_text());
        }
        let mut text = String::with_capacity(self.stored_text().len());
        for (indent, content) in self.parts(0..self.line_count()) {
            text.extend(std::iter::repeat_n(' ', indent));
            text.push_str(content);
            text.push('\n');
        }
        Cow::Owned(text)
    }

    /// Notices to show above the body (decoding, invalid JSON, binary, empty).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn is_binary(&self) -> bool {
        self.binary
    }

    /// The picture a binary body is (its header read), if it is one.
    pub fn picture(&self) -> Option<&Picture> {
        self.picture.as_ref()
    }

    /// The longest line, in characters (Unicode scalar values), for horizontal scrolling.
    pub fn max_line_len(&self) -> usize {
        self.lines.max_line_chars()
    }

    /// Whether the text is this module's pretty-printed JSON (highlighting can then jump to any
    /// line in bounded time).
    pub fn is_pretty_json(&self) -> bool {
        self.json.is_some()
    }

    /// Whether notice `i` only says what the body is (a stream's summary, "JSON Lines: 5
    /// records"), rather than warning about it.
    pub fn is_summary(&self, i: usize) -> bool {
        self.summary == Some(i)
    }

    /// How many records a stream body holds (JSON Lines: its non-blank lines, valid or not;
    /// JSON text sequence: its values; server-sent events: its events); `None` for any other
    /// body.
    pub fn records(&self) -> Option<usize> {
        self.layout.as_ref().map(Layout::records)
    }

    /// The line where record `k` starts (for events, the line naming the event).
    pub fn record_start(&self, k: usize) -> Option<usize> {
        self.layout.as_ref()?.record_start(k)
    }

    /// The record that `line` belongs to (`None` for a body that is not a stream).
    pub fn record_at(&self, line: usize) -> Option<usize> {
        self.layout.as_ref()?.record_at(line)
    }

    /// Whether line `i` is part of a pretty-printed JSON value (of the body, or of one of its
    /// records): `false` for an event's header, a record that is not JSON, and any line of a
    /// document that is not pretty JSON.
    pub fn is_json_line(&self, i: usize) -> bool {
        self.json.is_some()
            && i < self.line_count()
            && self
                .layout
                .as_ref()
                .is_none_or(|l| l.part_at(i).kind == json::LineKind::Json)
    }

    /// For a stream of records (JSON Lines, events): the JSON value of each record that has one,
    /// in order (an event's data, a line's value); `None` for any other body. What a filter runs
    /// on, as one array.
    pub fn record_values(&self) -> Option<Vec<serde_json::Value>> {
        self.layout.as_ref()?;
        let mut values = Vec::new();
        let mut text = String::new();
        let mut record = None;
        for i in 0..self.line_count() {
            if !self.is_json_line(i) {
                continue;
            }
            let at = self.record_at(i);
            if at != record && !text.is_empty() {
                values.extend(serde_json::from_str(&text).ok());
                text.clear();
            }
            record = at;
            text.push_str(self.content(i));
            text.push('\n');
        }
        values.extend(serde_json::from_str(&text).ok());
        Some(values)
    }

    pub(crate) fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref()
    }

    pub(crate) fn lines(&self) -> &Lines {
        &self.lines
    }

    pub(crate) fn json_index(&self) -> Option<&JsonIndex> {
        self.json.as_ref()
    }

    pub(crate) fn states(&self) -> &StateCache {
        &self.states
    }
}

/// Guesses the language of a body that came without a useful Content-Type.
fn sniff(text: &str) -> Lang {
    let start = text.trim_start();
    match start.as_bytes().first() {
        Some(b'{' | b'[') => Lang::Json,
        Some(b'<') => {
            let head = start.get(..16).unwrap_or(start).to_ascii_lowercase();
            if head.starts_with("<!doctype html") || head.starts_with("<html") {
                Lang::Html
            } else if head.starts_with("<?xml") {
                Lang::Xml
            } else {
                Lang::Plain
            }
        }
        _ => Lang::Plain,
    }
}

/// "Body is not valid JSON: … — shown as received", preferring serde_json's wording.
fn json_notice(text: &str, err: &PrettyError) -> String {
    let detail = match (err, super::json::json_issue(text)) {
        (PrettyError::TooLarge, _) => {
            return "JSON too deeply nested to pretty-print — shown as received".to_owned();
        }
        (_, Some(issue)) if !issue.message.starts_with("recursion limit") => format!(
            "at line {} column {}: {}",
            issue.line, issue.column, issue.message
        ),
        _ => format!(": {err}"),
    };
    format!("Body is not valid JSON {detail} — shown as received")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn lines(doc: &Document) -> Vec<String> {
        (0..doc.line_count())
            .map(|i| doc.line(i).into_owned())
            .collect()
    }

    #[test]
    fn lang_from_content_type() {
        let cases = [
            ("application/json", Lang::Json),
            ("application/problem+json; charset=utf-8", Lang::Json),
            ("TEXT/JSON", Lang::Json),
            ("text/html; charset=utf-8", Lang::Html),
            ("application/xhtml+xml", Lang::Html),
            ("application/xml", Lang::Xml),
            ("text/xml", Lang::Xml),
            ("image/svg+xml", Lang::Xml),
            ("application/javascript", Lang::JavaScript),
            ("text/ecmascript", Lang::JavaScript),
            ("text/css", Lang::Css),
            ("text/plain", Lang::Plain),
            ("application/octet-stream", Lang::Plain),
        ];
        for (ct, lang) in cases {
            assert_eq!(Lang::from_content_type(Some(ct)), lang, "{ct}");
        }
        assert_eq!(Lang::from_content_type(None), Lang::Plain);
    }

    #[test]
    fn pretty_prints_json() {
        let doc = Document::from_body(br#"{"a":[1,{}],"b":"x"}"#, Some("application/json"));
        assert_eq!(doc.lang(), Lang::Json);
        assert!(doc.is_pretty_json());
        assert_eq!(
            lines(&doc),
            [
                "{",
                "  \"a\": [",
                "    1,",
                "    {}",
                "  ],",
                "  \"b\": \"x\"",
                "}"
            ]
        );
        assert!(doc.notices().is_empty());
        assert_eq!(doc.max_line_len(), 10);
    }

    #[test]
    fn invalid_json_is_shown_as_received() {
        let body = b"{\n  \"a\": 1,\n  \"b\": x\n}";
        let doc = Document::from_body(body, Some("application/json"));
        assert_eq!(doc.lang(), Lang::Json);
        assert!(!doc.is_pretty_json());
        assert_eq!(lines(&doc), ["{", "  \"a\": 1,", "  \"b\": x", "}"]);
        assert_eq!(
            doc.notices(),
            ["Body is not valid JSON at line 3 column 8: expected value — shown as received"]
        );
    }

    #[test]
    fn deep_invalid_json_uses_own_message() {
        let body = "[".repeat(500) + "x";
        let doc = Document::from_body(body.as_bytes(), Some("application/json"));
        assert_eq!(
            doc.notices(),
            ["Body is not valid JSON at line 1 column 501: expected value — shown as received"]
        );
    }

    #[test]
    fn json_strings_with_controls_are_sanitised() {
        let body = "[\"a\u{7f}\u{85} with some more text\"]";
        let doc = Document::from_body(body.as_bytes(), Some("application/json"));
        assert!(doc.is_pretty_json());
        assert_eq!(
            lines(&doc),
            ["[", "  \"a␡\u{fffd} with some more text\"", "]"]
        );
    }

    #[test]
    fn empty_and_binary_bodies() {
        let doc = Document::from_body(b"", Some("application/json"));
        assert_eq!((doc.line_count(), doc.line(0).as_ref()), (1, ""));
        assert_eq!(doc.notices(), ["Empty body"]);

        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.resize(1234, 7);
        let doc = Document::from_body(&png, Some("image/png"));
        assert!(doc.is_binary());
        assert_eq!(doc.lang(), Lang::Plain);
        assert_eq!(doc.line_count(), 32);
        assert_eq!(
            doc.line(0),
            "00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|"
        );
        // Labelled a PNG, but not one past its signature.
        assert!(doc.picture().is_none());
        assert!(!doc.is_summary(0));
        assert!(
            doc.notices()[0].starts_with("The body is labelled image/png but does not decode"),
            "{:?}",
            doc.notices()
        );
        let doc = Document::from_body(&[0; 1234], Some("application/octet-stream"));
        assert_eq!(
            doc.notices(),
            ["application/octet-stream · 1.2 KB · first 512 bytes shown"]
        );
        assert!(doc.is_summary(0), "news, not a warning");
        // Text labelled as a picture is still shown as bytes.
        let doc = Document::from_body(b"hello", Some("image/gif"));
        assert!(doc.is_binary());
    }

    #[test]
    fn sniffs_untyped_bodies() {
        assert_eq!(Document::from_body(b" [1, 2]", None).lang(), Lang::Json);
        assert_eq!(Document::from_body(b"[1, 2", None).lang(), Lang::Plain);
        assert!(Document::from_body(b"[1, 2", None).notices().is_empty());
        assert_eq!(
            Document::from_body(b"<!DOCTYPE html><p>", Some("text/plain")).lang(),
            Lang::Html
        );
        assert_eq!(
            Document::from_body(b"<?xml version='1.0'?>", None).lang(),
            Lang::Xml
        );
        assert_eq!(Document::from_body(b"hello", None).lang(), Lang::Plain);
    }

    #[test]
    fn decodes_with_notices() {
        let doc = Document::from_body(b"caf\xe9\r\n\tx", Some("text/plain; charset=iso-8859-1"));
        assert_eq!(lines(&doc), ["café", "    x"]);
        assert_eq!(doc.notices(), ["Decoded from iso-8859-1"]);
    }

    #[test]
    fn document_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Document>();
    }

    proptest! {
        #[test]
        fn never_panics(
            body in prop::collection::vec(any::<u8>(), 0..600),
            ct in prop::option::of(prop::sample::select(vec![
                "application/json", "text/html", "text/xml; charset=utf-16", "text/css",
                "application/javascript", "text/plain; charset=\"windows-1252\"",
                "image/png", "application/octet-stream", "text/plain; charset=bogus", ";;=",
                "application/json; charset=utf-16be",
            ])),
        ) {
            let doc = Document::from_body(&body, ct);
            prop_assert!(doc.line_count() >= 1);
            prop_assert!(doc.display_text().ends_with('\n'));
            let forbidden = ['\n', '\r', '\t', '\u{1b}', '\0'];
            for i in 0..doc.line_count() {
                let clean = !doc.line(i).contains(forbidden);
                prop_assert!(clean, "line {}: {:?}", i, doc.line(i));
            }
        }

        #[test]
        fn never_panics_on_json_like_text(s in "[\\[\\]{}\",:0-9a-z\\\\ \t\r\n\u{80}-\u{ff}]{0,200}") {
            let doc = Document::from_body(s.as_bytes(), Some("application/json"));
            prop_assert!(doc.line_count() >= 1);
        }
    }
}
