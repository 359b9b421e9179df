//! The response pane's Body tab: notes about the response, the filter's state, then the document
//! (the body, or the filter's result) by rows from the top, with the cursor; the filter line at
//! the bottom while it is open. Also what the status row says of the cursor (`where_am_i`).

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::exchange::{BodyView, Exchange};
use crate::app::hits::HitMap;
use crate::app::picture::Showing;
use crate::app::reader::diff::BodyDiff;
use crate::app::reader::filter::BodyFilter;
use crate::app::reader::search;
use crate::app::text::TextInput;
use crate::app::{App, Pane, ResponseTab, reader};
use crate::highlight::{Document, Rows};
use crate::inspect::search::{Match, Query};
use crate::model::{ResponseData, human_duration, thousands, utc_time};
use crate::ui::response::preamble;
use crate::ui::text::{self, slice_spans, styled_slice};

/// The Body tab. Returns the rows the document gets, which scrolling stops at.
pub fn draw(
    frame: &mut Frame,
    app: &App,
    x: &Exchange,
    response: &ResponseData,
    view: &BodyView,
    area: Rect,
    hits: &mut HitMap,
) -> u16 {
    let doc = x.body_doc().map(|d| &**d);
    // A body on disk: what the document (its first part) says of itself is not of the whole.
    let about = doc.filter(|_| crate::app::spilled::of(x).is_none());
    let mut pre = preamble(app, x, response, about, view.truncated.as_deref());
    if let Some(diff) = &x.diff {
        pre.extend(diff_lines(app, x, diff));
    } else if let Some(filter) = x.filter.as_ref().filter(|f| f.is_active()) {
        pre.extend(filter_lines(app, filter));
    }
    let picture = crate::app::picture::showing(app, x).map(|(_, showing)| showing);
    if let Some(Showing::Bytes { why, warning }) = &picture {
        pre.push(crate::ui::picture::note(app, why, *warning));
    }
    // The filter line or the search line, while open, takes the bottom rows.
    let (area, line_rows) = split_filter_line(app, area);
    let (area, search_row) = split_search_line(app, area);
    if let Some(row) = search_row {
        draw_search_line(frame, app, row);
    }
    // Notices wrap, so they are read whole; the body gets the rest.
    let width = area.width.max(1) as usize;
    let rows: usize = pre.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let pre_h = (rows as u16).min(area.height.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(pre).wrap(Wrap { trim: false }),
        Rect {
            height: pre_h,
            ..area
        },
    );
    if let Some(rows) = line_rows {
        draw_filter_line(frame, app, x.filter.as_ref(), rows);
    }
    let area = Rect {
        y: area.y + pre_h,
        height: area.height - pre_h,
        ..area
    };
    if let Some(Showing::Draw(encoded)) = picture {
        return crate::ui::picture::draw(frame, app, x.id, encoded, area, hits);
    }
    let Some(doc) = doc else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "Formatting…",
                Style::default().fg(app.theme.muted),
            )),
            area,
        );
        return area.height;
    };
    if let Some(spilled) = crate::app::spilled::of(x) {
        return crate::ui::spilled::draw(frame, app, view, spilled, area, hits);
    }
    let diff = x.diff.as_ref().is_some_and(|d| d.shown_doc().is_some());
    if !diff
        && x.filter
            .as_ref()
            .and_then(|f| f.result.as_ref().filter(|_| f.is_active()))
            .is_some_and(|r| r.outputs == 0)
    {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "The filter put out nothing: no value matched.",
                Style::default().fg(app.theme.muted),
            )),
            area,
        );
        return area.height;
    }
    let search = &app.reader.search;
    let look = Look {
        cursor: (app.focus == Pane::Response).then_some(app.reader.cursor),
        wrap: app.reader.wrap,
        diff,
        search: search.query.as_ref().filter(|_| search::is_of(app, doc)),
        current: search.current.and_then(|i| search.matches.get(i)).copied(),
    };
    let rows = reader::rows_of(app, doc);
    draw_document(
        frame,
        app,
        doc,
        Some(view),
        rows,
        app.scroll.top,
        look,
        area,
    );
    hits.response_columns = area
        .width
        .saturating_sub(doc.line_count().to_string().len() as u16 + 1);
    area.height
}

/// What the comparison found: `⇄ Compared with 200 OK at 07:14:24 (the previous response):
/// 1 changed, 2 added, 0 removed · ignoring $.updated_at`, or that nothing changed, or why it
/// could not compare.
fn diff_lines<'a>(app: &App, x: &Exchange, diff: &BodyDiff) -> Vec<Line<'a>> {
    let t = &app.theme;
    let Some(before) = app.history.get(diff.against) else {
        return Vec::new();
    };
    let which = format!(
        "{} at {} ({})",
        before
            .response()
            .map_or_else(String::new, |r| format!("{} {}", r.status, r.reason)
                .trim()
                .to_string()),
        utc_time(before.sent_at_ms),
        if diff.pinned {
            "pinned"
        } else {
            "the previous response"
        }
    );
    let ignoring = if x.ignore.is_empty() {
        String::new()
    } else {
        format!(" · ignoring {}", x.ignore.join(", "))
    };
    let line = match &diff.result {
        None => Line::styled(
            format!("⇄ Comparing with {which} …"),
            Style::default().fg(t.muted),
        ),
        Some(Ok(c)) if c.same => Line::styled(
            format!("⇄ No differences from {which}{ignoring}"),
            Style::default().fg(t.status(200)),
        ),
        Some(Ok(c)) => Line::styled(
            format!("⇄ Compared with {which}: {}{ignoring}", c.summary),
            Style::default().fg(t.info),
        ),
        Some(Err(e)) => Line::styled(
            format!("✗ Cannot compare with {which}: {e}"),
            Style::default().fg(t.error),
        ),
    };
    vec![line]
}

/// What the filter did: `⧩ .items[] | .id → 3 values · 12 ms`, running, or why it has no result.
fn filter_lines<'a>(app: &App, filter: &BodyFilter) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    match &filter.result {
        Some(r) => {
            let values = match r.outputs {
                1 => "1 value".to_string(),
                n => format!("{} values", thousands(n)),
            };
            let mut text = format!("⧩ {} → {values} · {}", r.text, human_duration(r.elapsed));
            if r.text != filter.text {
                text.push_str(" (for an earlier text)");
            }
            lines.push(Line::styled(text, Style::default().fg(t.info)));
        }
        None if filter.running => lines.push(Line::styled(
            format!("⧩ {} …", filter.text),
            Style::default().fg(t.muted),
        )),
        None => {}
    }
    if let Some(problem) = &filter.problem
        && app.reader.filter_line.is_none()
    {
        lines.push(Line::styled(
            format!("✗ filter {}: {}", filter.text, problem.message),
            Style::default().fg(t.error),
        ));
    }
    lines
}

/// The bottom rows the open filter line takes (two when its error has a position: the caret
/// row under it), and what is left above.
fn split_filter_line(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    if app.reader.filter_line.is_none() || area.height < 4 {
        return (area, None);
    }
    let rows = 2;
    (
        Rect {
            height: area.height - rows,
            ..area
        },
        Some(Rect {
            y: area.y + area.height - rows,
            height: rows,
            ..area
        }),
    )
}

/// `| .items[] | .id` with the cursor, and under it the error (with a caret at its position) or
/// how to leave.
fn draw_filter_line(frame: &mut Frame, app: &App, filter: Option<&BodyFilter>, area: Rect) {
    let Some(line) = &app.reader.filter_line else {
        return;
    };
    let t = &app.theme;
    let prompt = "| ";
    let typed = line.input.text();
    let width = (area.width as usize)
        .saturating_sub(prompt.len() + 1)
        .max(1);
    let (spans, shift) = input_line(frame, app, prompt, &line.input, width, area);
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect { height: 1, ..area },
    );
    let problem = filter.and_then(|f| f.problem.as_ref());
    let second = match problem {
        Some(p) => {
            let at = p.at.map_or(0, |at| {
                text::width(&typed.chars().take(at).collect::<String>())
            });
            let caret = if p.at.is_some() && at >= shift && at - shift < width {
                format!("{}^ ", " ".repeat(prompt.len() + at - shift))
            } else {
                "✗ ".to_string()
            };
            Line::styled(
                format!("{caret}{}", p.message),
                Style::default().fg(t.error),
            )
        }
        None => Line::styled(
            "jq (.items[] | .id) or JSONPath ($.items[*].id) · Enter keeps · Esc puts back",
            Style::default().fg(t.muted),
        ),
    };
    frame.render_widget(
        Paragraph::new(second),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}

/// The bottom row the open search line takes, and what is left above.
fn split_search_line(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    if app.reader.search.input.is_none() || area.height < 3 {
        return (area, None);
    }
    (
        Rect {
            height: area.height - 1,
            ..area
        },
        Some(Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        }),
    )
}

/// `/query▏  3/41 · regex`, or why the query cannot be searched for.
fn draw_search_line(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.reader.search;
    let Some(input) = &s.input else {
        return;
    };
    let t = &app.theme;
    let mut status = if s.query.is_some() {
        s.count_label()
    } else {
        s.problem.clone().unwrap_or_default()
    };
    if s.regex {
        status.push_str(" · regex");
    }
    let hint = if s.regex {
        " (Ctrl+R: literal)"
    } else {
        " (Ctrl+R: regex)"
    };
    let width = (area.width as usize)
        .saturating_sub(1 + text::width(&status) + 4)
        .max(1);
    let (mut spans, _) = input_line(frame, app, "/", input, width, area);
    spans.push(Span::raw("   "));
    spans.push(Span::styled(
        status,
        Style::default().fg(if s.problem.is_some() {
            t.error
        } else {
            t.muted
        }),
    ));
    spans.push(Span::styled(hint, Style::default().fg(t.muted)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A one-line input at the top of `area` after `prompt`, `width` cells of it shown: scrolled
/// sideways so that the cursor stays in view (the terminal's cursor is put there). Returns the
/// spans and how many cells the text is scrolled by.
fn input_line(
    frame: &mut Frame,
    app: &App,
    prompt: &'static str,
    input: &TextInput,
    width: usize,
    area: Rect,
) -> (Vec<Span<'static>>, usize) {
    let t = &app.theme;
    let typed = input.text();
    let cursor = input.cursor().1;
    let cursor_cells = text::width(&typed.chars().take(cursor).collect::<String>());
    let shift = cursor_cells.saturating_sub(width);
    let mut spans = vec![Span::styled(
        prompt,
        Style::default()
            .fg(t.border_focused)
            .add_modifier(Modifier::BOLD),
    )];
    spans.extend(styled_slice(
        &typed,
        shift,
        width,
        Style::default().fg(t.text),
    ));
    frame.set_cursor_position((
        area.x + (text::width(prompt) + cursor_cells - shift) as u16,
        area.y,
    ));
    (spans, shift)
}

/// How the Body tab draws its document: where the cursor is, and whether long lines wrap.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look<'a> {
    /// The cursor's row (shown only while the response pane has the focus).
    pub cursor: Option<usize>,
    pub wrap: bool,
    /// The document lists changes (`+`, `-`, `~` lines), coloured by kind.
    pub diff: bool,
    /// What a search looks for: its matches are drawn highlighted.
    pub search: Option<&'a Query>,
    /// The match the cursor went to (drawn apart from the others).
    pub current: Option<Match>,
}

/// Numbered rows `top..` of `doc` (each line a row, or as `rows` folds them), highlighted where
/// the cache has them.
#[allow(clippy::too_many_arguments)]
pub fn draw_document(
    frame: &mut Frame,
    app: &App,
    doc: &Document,
    view: Option<&BodyView>,
    rows: Option<&Rows>,
    top: usize,
    look: Look,
    area: Rect,
) {
    let t = &app.theme;
    let plain;
    let rows = match rows {
        Some(rows) => rows,
        None => {
            plain = Rows::plain(doc.line_count());
            &plain
        }
    };
    let gutter = doc.line_count().to_string().len();
    let width = (area.width as usize).saturating_sub(gutter + 1).max(1);
    let left = if look.wrap { 0 } else { app.scroll.left };
    let height = area.height as usize;
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    for (row, shown) in rows.window(top..top + height).enumerate() {
        if lines.len() >= height {
            break;
        }
        let (row, i) = (top + row, shown.line);
        // A folded container: its first line, then what it holds (`{…} 12 keys`).
        let folded = shown
            .fold_end
            .and_then(|_| doc.outline()?.fold_summary(i))
            .map(|summary| summary.chars().skip(1).collect::<String>());
        let number_style = if look.cursor == Some(row) {
            // Reverse video reads under NO_COLOR too.
            Style::default()
                .fg(t.line_number)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default().fg(t.line_number)
        };
        // A list of changes is coloured here, not by the highlighter.
        let styled = view.filter(|_| !look.diff).and_then(|v| v.styled_line(i));
        // Pretty JSON keeps a line's indentation apart: the line is never put together here.
        let (indent, content) = (doc.indent(i), doc.content(i));
        // Measured only to wrap: a line of 50 MB shown unwrapped is never measured whole.
        let pieces = if look.wrap {
            let text_width = match styled {
                Some(styled) => styled.width(),
                None => indent + text::width(content),
            } + folded.as_ref().map_or(0, |f| text::width(f));
            text_width.div_ceil(width).max(1)
        } else {
            1
        };
        for piece in 0..pieces {
            if lines.len() >= height {
                break;
            }
            let number = if piece == 0 {
                format!("{:>gutter$} ", i + 1)
            } else {
                " ".repeat(gutter + 1)
            };
            let mut spans = vec![Span::styled(number, number_style)];
            let start = left + piece * width;
            // Borrowed unless marked or folded: a long line is not copied for each frame.
            let mut line: Cow<'_, Line<'_>> = match styled {
                Some(styled) => Cow::Borrowed(styled),
                None => {
                    let style = Style::default().fg(line_colour(app, content, look.diff));
                    let mut spans = Vec::with_capacity(2);
                    if indent > 0 {
                        spans.push(Span::styled(" ".repeat(indent), style));
                    }
                    spans.push(Span::styled(content, style));
                    Cow::Owned(Line::from(spans))
                }
            };
            if let Some(query) = look.search {
                // Found in the line's content, as the search does; marked in the line shown
                // (put together only then).
                let ranges: Vec<_> = query
                    .find_in_line(content)
                    .into_iter()
                    .map(|r| r.start + indent..r.end + indent)
                    .collect();
                if !ranges.is_empty() {
                    let text = doc.line(i);
                    line = Cow::Owned(marked(&line, &text, &ranges, |range| {
                        let current = look
                            .current
                            .is_some_and(|m| m.line == i && m.start == range.start);
                        match_style(app, current)
                    }));
                }
            }
            if let Some(folded) = &folded {
                line.to_mut().spans.push(Span::styled(
                    folded.clone(),
                    Style::default()
                        .fg(t.muted)
                        .add_modifier(Modifier::REVERSED),
                ));
            }
            spans.extend(slice_spans(&line, start, width));
            lines.push(Line::from(spans));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// How a match is drawn: reversed (so it reads under NO_COLOR), the current one bold in the
/// accent colour too.
pub fn match_style(app: &App, current: bool) -> Style {
    let style = Style::default().add_modifier(Modifier::REVERSED);
    if current {
        style.fg(app.theme.accent).add_modifier(Modifier::BOLD)
    } else {
        style.fg(app.theme.warning)
    }
}

/// `line` (whose text is `text`) with the byte ranges `ranges` of the text restyled.
pub fn marked(
    line: &Line<'_>,
    text: &str,
    ranges: &[std::ops::Range<usize>],
    style: impl Fn(&std::ops::Range<usize>) -> Style,
) -> Line<'static> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut at = 0; // byte offset in `text`
    let mut next = 0; // the first range not yet passed
    for span in &line.spans {
        for c in span.content.chars() {
            while next < ranges.len() && ranges[next].end <= at {
                next += 1;
            }
            let s = match ranges.get(next) {
                Some(r) if r.start <= at && at < r.end => span.style.patch(style(r)),
                _ => span.style,
            };
            match out.last_mut() {
                Some(last) if last.style == s => last.content.to_mut().push(c),
                _ => out.push(Span::styled(c.to_string(), s)),
            }
            at += c.len_utf8();
        }
    }
    debug_assert!(at <= text.len() + 1);
    Line::from(out)
}

/// The colour of an unhighlighted line: by kind of change in a list of changes.
fn line_colour(app: &App, line: &str, diff: bool) -> ratatui::style::Color {
    let t = &app.theme;
    match line.as_bytes().first() {
        Some(b'+') if diff => t.status(200),
        Some(b'-') if diff => t.error,
        Some(b'~') if diff => t.warning,
        _ => t.text,
    }
}

/// Where the Body tab's cursor is, fitted into `room` cells: the JSON path of the value under
/// it (when the body is JSON), and `line 1,204 of 380,112 · 0.3%`. Empty on other tabs, or when
/// nothing fits.
pub fn where_am_i(app: &App, x: &Exchange, room: usize) -> String {
    if app.response_tab != ResponseTab::Body {
        return String::new();
    }
    let Some(doc) = x.body_doc() else {
        return String::new();
    };
    // A picture drawn has no lines to be in.
    if let Some((_, Showing::Draw(_))) = crate::app::picture::showing(app, x) {
        return String::new();
    }
    // A body on disk: its file's lines (the document holds only its first part).
    let lines = crate::app::spilled::line_count(app).unwrap_or_else(|| doc.line_count());
    let line = match reader::rows_of(app, doc) {
        Some(rows) => rows.line_of_row(app.reader.cursor),
        None => app.reader.cursor,
    }
    .min(lines.saturating_sub(1));
    let percent = if lines <= 1 {
        100.0
    } else {
        line as f64 * 100.0 / (lines - 1) as f64
    };
    let position = format!(
        "line {} of {} · {}%",
        thousands(line + 1),
        thousands(lines),
        if percent < 10.0 && percent > 0.0 {
            format!("{percent:.1}")
        } else {
            format!("{percent:.0}")
        }
    );
    // What does not fit goes, least needed first: the path (cut from its start), then the
    // search's count.
    let s = &app.reader.search;
    let mut search = if s.query.is_some() && s.input.is_none() {
        format!("/{} {} · ", s.text, s.count_label())
    } else {
        String::new()
    };
    if text::width(&position) > room {
        return String::new();
    }
    if text::width(&search) + text::width(&position) > room {
        search.clear();
    }
    let left = room - text::width(&search) - text::width(&position);
    let path = (line < doc.line_count() && crate::app::spilled::of(x).is_none())
        .then(|| reader::path_at(doc, line))
        .flatten();
    match path {
        // A path cut shorter than this says too little.
        Some(path) if left >= 3 + 8 => {
            format!("{search}{} · {position}", fit_start(&path, left - 3))
        }
        _ => format!("{search}{position}"),
    }
}

/// `text` fitted into `width` cells by cutting its start (`…owner.login`): the end of a path says
/// the most.
fn fit_start(text: &str, width: usize) -> String {
    let w = text::width(text);
    if w <= width {
        return text.to_string();
    }
    let mut out = String::from("…");
    out.push_str(&text::slice(text, w - width + 1, width - 1));
    out
}
