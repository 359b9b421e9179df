//! Text measured in terminal cells, never in chars or bytes: `日` takes two cells, a combining
//! mark none, `é` written as `e` + U+0301 one. Every column a pane computes (cursors, horizontal
//! scrolling, cutting to a width) goes through here, a whole grapheme at a time, so a character
//! is never split from its marks and a wide one never straddles the edge of an area.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How many cells `text` takes.
pub fn width(text: &str) -> usize {
    if is_printable_ascii(text) {
        return text.len();
    }
    UnicodeWidthStr::width(text)
}

/// Text of one cell per byte: most bodies, URLs and headers.
fn is_printable_ascii(text: &str) -> bool {
    is_printable_ascii_bytes(text.as_bytes())
}

fn is_printable_ascii_bytes(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| (b' '..=b'~').contains(b))
}

/// The first `n` bytes of `text` (all of it when shorter) when they are one cell each, and the
/// byte after them too, so no combining mark joins the last of them.
fn ascii_head(text: &str, n: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let checked = n.saturating_add(1).min(bytes.len());
    is_printable_ascii_bytes(&bytes[..checked]).then(|| &text[..n.min(bytes.len())])
}

/// How many cells `text` takes, or any number above `cap` when it takes more: text that is one
/// cell per byte as far as `cap` is measured no further (a one-line body of 50 MB is measured
/// only as far as the screen shows).
fn width_up_to(text: &str, cap: usize) -> usize {
    match ascii_head(text, cap) {
        Some(head) if head.len() == text.len() => text.len(),
        Some(_) => cap.saturating_add(1),
        None => width(text),
    }
}

/// The cells of `text` from cell `start`, at most `width` of them. A wide character cut by
/// either edge is replaced by spaces, so the result lines up with what is around it.
pub fn slice(text: &str, start: usize, width: usize) -> String {
    // Text one cell per byte up to the end of the cut is cut by bytes, whatever follows.
    if let Some(head) = ascii_head(text, start.saturating_add(width)) {
        return head.get(start..).unwrap_or_default().to_string();
    }
    slice_clusters(text, start, width)
}

/// [`slice`] a grapheme cluster at a time.
fn slice_clusters(text: &str, start: usize, width: usize) -> String {
    let mut out = String::new();
    let end = start.saturating_add(width);
    let mut at = 0usize;
    for g in text.graphemes(true) {
        if at >= end {
            break;
        }
        let w = UnicodeWidthStr::width(g);
        let next = at + w;
        if at >= start && next <= end {
            out.push_str(g);
        } else if next > start {
            // Only part of a wide character is inside: show the part as blank cells.
            let inside = next.min(end) - at.max(start);
            out.extend(std::iter::repeat_n(' ', inside));
        }
        at = next;
    }
    out
}

/// `text` in exactly `width` cells: cut, or padded with spaces.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = slice(text, 0, width);
    let w = self::width(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// `text` fitted into `width` cells: cut with a `…` at the end when it does not fit. The `…`
/// follows the last whole character: a wide one that would cross the edge is left out, not
/// shown as a blank (`/a/日本` in 4 cells is `/a/…`, one cell short, not `/a/ …`), and so are
/// spaces before it (`after the…`, not `after the …`).
pub fn fit(text: &str, width: usize) -> String {
    if self::width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut at = 0;
    for g in text.graphemes(true) {
        at += UnicodeWidthStr::width(g);
        if at > width - 1 {
            break;
        }
        out.push_str(g);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Spans cut to the cells `[start, start + width)`, styles kept, ready for the terminal (see
/// [`spans_of`]).
pub fn slice_spans(line: &Line<'_>, start: usize, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let end = start.saturating_add(width);
    for span in &line.spans {
        if pos >= end {
            break;
        }
        let w = width_up_to(&span.content, end - pos);
        if pos + w > start {
            let from = start.saturating_sub(pos);
            let take = (end - pos).min(w) - from;
            out.extend(spans_of(&slice(&span.content, from, take), span.style));
        }
        pos += w;
    }
    out
}

/// A line fitted into `width` cells: cut with a `…` (in the style of the cell it replaces)
/// when it does not fit.
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let style = line.style;
    let spans = if line.width() <= width {
        slice_spans(&line, 0, width)
    } else if width == 0 {
        Vec::new()
    } else {
        let mut spans = slice_spans(&line, 0, width - 1);
        let last = spans.last().map_or(Style::default(), |s| s.style);
        spans.push(Span::styled("…", last));
        spans
    };
    Line::from(spans).style(style)
}

/// `spans` with the characters `[from, to)` (a text field's selection) in reverse video, which
/// shows with or without colours.
pub fn select_chars(
    spans: Vec<Span<'static>>,
    range: Option<(usize, usize)>,
) -> Vec<Span<'static>> {
    let Some((from, to)) = range else {
        return spans;
    };
    let mut out = Vec::with_capacity(spans.len() + 2);
    let mut at = 0usize;
    for span in spans {
        let n = span.content.chars().count();
        let (a, b) = (from.clamp(at, at + n) - at, to.clamp(at, at + n) - at);
        if a == b {
            out.push(span);
        } else {
            let chars: Vec<char> = span.content.chars().collect();
            let part = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
            let selected = span.style.add_modifier(Modifier::REVERSED);
            for (text, style) in [
                (part(0..a), span.style),
                (part(a..b), selected),
                (part(b..n), span.style),
            ] {
                if !text.is_empty() {
                    out.push(Span::styled(text, style));
                }
            }
        }
        at += n;
    }
    out
}

/// The cells `[start, start + width)` of `text` in `style`, as spans (see [`spans_of`]): how a
/// scrolled line of user text goes on screen.
pub fn styled_slice(text: &str, start: usize, width: usize, style: Style) -> Vec<Span<'static>> {
    spans_of(&slice(text, start, width), style)
}

/// `text` in `style`, as spans the terminal draws where ratatui thinks they are. ratatui gives a
/// grapheme cluster one cell as wide as the cluster; a terminal advances character by
/// character. They agree on a wide character (`日`) and on marks that take no room (`e` + U+0301),
/// but not on a cluster of several narrow characters (Thai `ค้ำ`, Devanagari `कि`): ratatui
/// thinks it one two-cell glyph and later clears only its first cell, leaving the second
/// character behind on screen. Each such character (with the marks that follow it) goes out as
/// a span of its own, which ratatui segments separately.
pub fn spans_of(text: &str, style: Style) -> Vec<Span<'static>> {
    if is_printable_ascii(text) {
        return vec![Span::styled(text.to_owned(), style)];
    }
    let mut out = Vec::new();
    let mut plain = String::new();
    for g in text.graphemes(true) {
        if !is_narrow_cluster(g) {
            plain.push_str(g);
            continue;
        }
        if !plain.is_empty() {
            out.push(Span::styled(std::mem::take(&mut plain), style));
        }
        let mut piece = String::new();
        for c in g.chars() {
            if UnicodeWidthChar::width(c).unwrap_or(0) > 0 && !piece.is_empty() {
                out.push(Span::styled(std::mem::take(&mut piece), style));
            }
            piece.push(c);
        }
        out.push(Span::styled(piece, style));
    }
    if !plain.is_empty() || out.is_empty() {
        out.push(Span::styled(plain, style));
    }
    out
}

/// A cluster wider than one cell made only of narrow characters (and marks): not a wide
/// character, nor an emoji or flag sequence, which terminals do draw as one glyph.
fn is_narrow_cluster(g: &str) -> bool {
    let mut spacing = 0;
    for c in g.chars() {
        match UnicodeWidthChar::width(c).unwrap_or(0) {
            0 => {}
            1 if !('\u{1F1E6}'..='\u{1F1FF}').contains(&c) => spacing += 1,
            _ => return false,
        }
    }
    spacing > 1
}

/// The cell at which char `chars` of `line` starts: where a text cursor at that char is drawn.
pub fn cursor_cell(line: &str, chars: usize) -> usize {
    let byte = line
        .char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i);
    width(&line[..byte])
}

/// A one-line field `width` cells wide with a cursor at char `cursor` of `text`: the part shown
/// (scrolled so the cursor is in view) and the cursor's cell within it.
pub fn field(text: &str, cursor: usize, width: usize) -> (String, u16) {
    let cell = cursor_cell(text, cursor);
    let start = scroll_to_cursor(cell, width);
    (slice(text, start, width), (cell - start) as u16)
}

/// The first cell to show so that a cursor at cell `cursor` is visible in a field `width` wide.
pub fn scroll_to_cursor(cursor: usize, width: usize) -> usize {
    if width == 0 {
        return 0;
    }
    cursor.saturating_sub(width.saturating_sub(1))
}

/// `text` broken into lines of at most `width` cells, at spaces where it can be (a word longer
/// than a line is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = self::width(word) + usize::from(!line.is_empty());
        if !line.is_empty() && self::width(&line) + needed > width {
            lines.push(std::mem::take(&mut line));
        }
        let mut word = word.to_string();
        while self::width(&word) > width {
            let head = slice(&word, 0, width);
            word = word[head.len()..].to_string();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {

    #[test]
    fn wrap_breaks_at_spaces_by_cells_and_cuts_words_longer_than_a_line() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("日本語 テキスト", 6), ["日本語", "テキス", "ト"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }

    use ratatui::style::Color;

    use super::*;

    #[test]
    fn wide_and_combining_characters_take_their_cells() {
        assert_eq!(width("日本語"), 6);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(cursor_cell("http://x/日本語", 10), 11);
        assert_eq!(cursor_cell("http://x/日本語", 12), 15);
        assert_eq!(slice("日本語", 0, 4), "日本");
        assert_eq!(slice("日本語", 1, 4), " 本 ", "cut halves become blanks");
        assert_eq!(
            slice("ae\u{301}b", 1, 1),
            "e\u{301}",
            "the mark stays with its letter"
        );
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("/a/日本語", 5), "/a/…", "no blank before the …");
        assert_eq!(
            fit("ae\u{301}bc", 3),
            "ae\u{301}…",
            "the mark stays with its letter"
        );
        assert_eq!(fit("abc", 3), "abc");
    }

    proptest::proptest! {
        #[test]
        fn printable_ascii_slices_as_clusters_do(text in "[ -~]{0,40}", start in 0usize..50, w in 0usize..50) {
            proptest::prop_assert_eq!(slice(&text, start, w), slice_clusters(&text, start, w));
            proptest::prop_assert_eq!(width(&text), UnicodeWidthStr::width(text.as_str()));
        }

        /// ASCII with other text after it (marks, wide letters, controls) cuts as clusters do:
        /// the quick way only where it gives the same.
        #[test]
        fn mixed_text_slices_as_clusters_do(
            text in "([ -~]|\u{301}|日|\r|\n|é|👍🏽){0,40}",
            start in 0usize..60,
            w in 0usize..60,
        ) {
            proptest::prop_assert_eq!(slice(&text, start, w), slice_clusters(&text, start, w));
        }

        /// A fitted text is within its cells, whole or a prefix of the text and a `…`: at most
        /// one cell short (where a wide character would have crossed the edge), or cut before
        /// spaces.
        #[test]
        fn fitted_text_is_within_its_cells(text in "([ -~]|\u{301}|日|é|👍🏽){0,30}", w in 0usize..40) {
            let fitted = fit(&text, w);
            let cells = width(&fitted);
            proptest::prop_assert!(cells <= w);
            if fitted != text && w > 0 {
                let kept = fitted.strip_suffix('…').expect("ends in …");
                proptest::prop_assert!(text.starts_with(kept));
                let spaces = text[kept.len()..].starts_with(char::is_whitespace);
                proptest::prop_assert!(cells + 1 >= w || spaces, "{cells} cells of {w}");
            }
        }

        /// Spans cut to a window give what measuring each span whole gave.
        #[test]
        fn spans_cut_to_a_window_as_when_measured_whole(
            parts in proptest::collection::vec("([ -~]|\u{301}|日|é){0,12}", 0..6),
            start in 0usize..60,
            w in 0usize..60,
        ) {
            let line = Line::from(parts.iter().map(|p| Span::raw(p.clone())).collect::<Vec<_>>());
            let mut whole = Vec::new();
            let mut pos = 0usize;
            let end = start + w;
            for span in &line.spans {
                if pos >= end {
                    break;
                }
                let sw = width(&span.content);
                if pos + sw > start {
                    let from = start.saturating_sub(pos);
                    let take = (end - pos).min(sw) - from;
                    whole.extend(spans_of(&slice_clusters(&span.content, from, take), span.style));
                }
                pos += sw;
            }
            proptest::prop_assert_eq!(slice_spans(&line, start, w), whole);
        }
    }

    #[test]
    fn clusters_of_narrow_characters_go_out_one_character_at_a_time() {
        let texts = |spans: Vec<Span<'_>>| -> Vec<String> {
            spans.iter().map(|s| s.content.to_string()).collect()
        };
        // Thai: ค + MAI THO (no room) + SARA AM: two cells, two characters the terminal places.
        assert_eq!(
            texts(spans_of("ใครค้ำชู", Style::new())),
            ["ใคร", "ค้", "ำ", "ชู"]
        );
        // Wide characters, marks and emoji stay whole.
        assert_eq!(texts(spans_of("日本 é 🙂", Style::new())), ["日本 é 🙂"]);
        assert_eq!(texts(spans_of("🇯🇵", Style::new())), ["🇯🇵"]);
        assert_eq!(texts(spans_of("", Style::new())), [""]);
        // Every cell is where ratatui will draw it: the pieces add up to the cluster's width.
        let pieces = spans_of("ค้ำ", Style::new());
        let w: usize = pieces.iter().map(|s| width(&s.content)).sum();
        assert_eq!(w, width("ค้ำ"));
    }

    #[test]
    fn slicing_spans_keeps_styles_and_respects_bounds() {
        let line = Line::from(vec![
            Span::styled("abc", Style::default().fg(Color::Red)),
            Span::styled("défg", Style::default().fg(Color::Blue)),
        ]);
        let cut = slice_spans(&line, 2, 3);
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].content, "c");
        assert_eq!(cut[0].style.fg, Some(Color::Red));
        assert_eq!(cut[1].content, "dé");
        assert!(slice_spans(&line, 50, 10).is_empty());
        assert_eq!(scroll_to_cursor(5, 10), 0);
        assert_eq!(scroll_to_cursor(25, 10), 16);
    }
}
