//! The request editor pane: method badge + URL bar, then the Query / Headers / Body tabs.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::editor::{EditorTab, KvTable, Section};
use crate::app::hits::{HitMap, List, Target};
use crate::app::json_check::JsonCheck;
use crate::app::keymap::{Action, Scope};
use crate::app::text::TextInput;
use crate::app::{App, Pane};
use crate::http::plan::resolve_profile;
use crate::model::settings::AuthChoice;
use crate::model::{BodyKind, Redactor, RequestSpec};
use crate::template::{SpanKind, TemplateError};
use crate::ui::text::{
    cursor_cell, fit, pad, scroll_to_cursor, select_chars, slice, slice_spans, width,
};
use crate::ui::{framed, tab_bar};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, hits: &mut HitMap) {
    let title = match &app.origin {
        Some(o) => {
            let collection = app
                .tree
                .file_index(&o.path)
                .and_then(|i| app.tree.collection(i))
                .map_or("?", |c| c.name.as_str());
            let mark = if app.is_dirty() { " ● unsaved" } else { "" };
            format!("Request · {collection} › {}{mark}", o.saved.path())
        }
        None => "Request".to_string(),
    };
    let inner = framed(frame, app, Pane::Editor, title, area);
    if inner.height == 0 || inner.width < 12 {
        return;
    }
    let focused = app.focus == Pane::Editor;
    let e = &app.editor;
    let t = &app.theme;

    // Row 0: method badge and URL bar.
    let method_style = {
        let s = Style::default()
            .fg(t.method(e.method))
            .add_modifier(Modifier::BOLD);
        if focused && e.section == Section::Method {
            s.add_modifier(Modifier::REVERSED)
        } else {
            s
        }
    };
    let badge = format!(" {:<7}▾", e.method.as_str());
    let badge_w = width(&badge) as u16;
    let url_x = (inner.x + badge_w + 1).min(inner.right());
    let url_width = inner.right().saturating_sub(url_x) as usize;
    let row0 = Rect { height: 1, ..inner };
    hits.targets.push((
        Rect::new(inner.x, inner.y, badge_w.min(inner.width), 1),
        Target::MethodBadge,
    ));
    hits.targets.push((
        Rect::new(url_x, inner.y, url_width as u16, 1),
        Target::UrlBar,
    ));
    let url_active = focused && e.section == Section::Url;
    let (url_spans, cursor_x) = url_bar(app, url_width, url_active);
    let mut row = vec![Span::styled(badge, method_style), Span::raw(" ")];
    row.extend(url_spans);
    frame.render_widget(Paragraph::new(Line::from(row)), row0);
    if url_active && let Some(cx) = cursor_x {
        frame.set_cursor_position(Position::new(url_x + cx, inner.y));
    }
    if inner.height < 3 {
        return;
    }

    // Row 1: tabs.
    let labels = tab_labels(app);
    let current = EditorTab::ALL.iter().position(|x| *x == e.tab).unwrap_or(0);
    let content_active = focused && e.section == Section::Content;
    let tabs_row = Rect {
        y: inner.y + 1,
        height: 1,
        ..inner
    };
    let rects = tab_bar(frame, app, tabs_row, &labels, current, content_active);
    for (rect, tab) in rects.into_iter().zip(EditorTab::ALL) {
        hits.targets.push((rect, Target::EditorTab(tab)));
    }

    let content = Rect {
        y: inner.y + 2,
        height: inner.height - 2,
        ..inner
    };
    match e.tab {
        EditorTab::Query => draw_table(frame, app, &e.query, content, content_active, false, hits),
        EditorTab::Headers => {
            draw_table(frame, app, &e.headers, content, content_active, true, hits)
        }
        EditorTab::Auth => draw_auth(frame, app, content, content_active),
        EditorTab::Body => draw_body(frame, app, content, content_active),
    }
}

/// The labels of the editor's tabs, in [`EditorTab::ALL`] order ("Query (2)", "Auth: ci").
pub fn tab_labels(app: &App) -> Vec<String> {
    let e = &app.editor;
    EditorTab::ALL
        .iter()
        .map(|tab| match tab {
            EditorTab::Query => format!("Query ({})", e.query.rows.len()),
            EditorTab::Headers => format!(
                "Headers ({})",
                e.headers
                    .rows
                    .iter()
                    .filter(|r| r.enabled && !r.key.is_empty())
                    .count()
            ),
            EditorTab::Auth if app.origin.is_none() => {
                format!("Auth: {}", e.own_auth.kind.label())
            }
            EditorTab::Auth => match app.auth_profile() {
                Ok(Some((name, _))) => format!("Auth: {name}"),
                Ok(None) => "Auth: none".to_string(),
                Err(_) => "Auth: ✗".to_string(),
            },
            EditorTab::Body => format!("Body: {}", e.body_kind.label()),
        })
        .collect()
}

/// The Auth tab: which profile applies and why, and what it will add (secrets redacted), with
/// an OAuth2 token's state.
fn draw_auth(frame: &mut Frame, app: &App, area: Rect, active: bool) {
    if app.origin.is_none() {
        draw_own_auth(frame, app, area, active);
        return;
    }
    let t = &app.theme;
    let e = &app.editor;
    let muted = Style::default().fg(t.muted);
    let key = app.keymap.key(Scope::Editor, Action::Select);
    let how = match &e.auth {
        None => "inherited from its folder or collection".to_string(),
        Some(AuthChoice::None) => "none: this request opts out".to_string(),
        Some(AuthChoice::Profile(_)) => "chosen for this request".to_string(),
    };
    let mut lines = Vec::new();
    match app.auth_profile() {
        Err(problem) => lines.push(Line::styled(
            format!("✗ {problem}"),
            Style::default().fg(t.error),
        )),
        Ok(None) => {
            lines.push(Line::from(vec![
                Span::styled(
                    "No auth",
                    Style::default().fg(t.text).add_modifier(Modifier::BOLD),
                ),
                Span::styled(format!("  ({how})"), muted),
            ]));
        }
        Ok(Some((name, profile))) => {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{name} ({})", profile.kind_name()),
                    Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
                ),
                Span::styled(format!("  {how}"), muted),
            ]));
            let scope = app.scope().and_then(Result::ok);
            let resolved = scope.map(|scope| resolve_profile(&scope, &name, &profile));
            match resolved {
                Some(Ok(auth)) => {
                    lines.push(Line::styled("Adds:", muted));
                    for line in auth.preview(&app.tokens, app.wall) {
                        lines.push(Line::styled(
                            format!("  {line}"),
                            Style::default().fg(t.text),
                        ));
                    }
                }
                Some(Err(TemplateError::NeedsPrompt { key, .. })) => lines.push(Line::styled(
                    format!("  {key} is asked for when you send (once per run)"),
                    Style::default().fg(t.warning),
                )),
                Some(Err(err)) => lines.push(Line::styled(
                    format!("  ✗ {err}"),
                    Style::default().fg(t.error),
                )),
                None => {}
            }
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        format!("{key}: choose (inherit → none → each [auth.NAME] of the collection)"),
        muted,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The Auth tab of a request in no collection: the kind, then its fields (secrets masked),
/// the row chosen highlighted while the tab has the keys.
fn draw_own_auth(frame: &mut Frame, app: &App, area: Rect, active: bool) {
    let t = &app.theme;
    let own = &app.editor.own_auth;
    let muted = Style::default().fg(t.muted);
    // The list's own highlight, reverse video under NO_COLOR.
    let chosen = |row: usize| {
        if active && own.list.selected == row {
            crate::ui::selected_row(app, crate::app::Pane::Editor)
        } else {
            Style::default()
        }
    };
    let key = app.keymap.key(Scope::Auth, Action::Select);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("Auth: {}", own.kind.label()),
            chosen(0).fg(t.accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!("  ({key} here: none → Basic → Bearer → API key)"),
            muted,
        ),
    ])];
    let label_w = 10;
    let mut cursor = None;
    for (i, (name, secret, _)) in own.kind.fields().iter().enumerate() {
        let row = i + 1;
        let y = area.y + row as u16;
        let value = own.values.get(i).map(String::as_str).unwrap_or("");
        let shown = match (&own.editing, active && own.list.selected == row) {
            (Some(input), true) => {
                // Typed secrets are masked too: one • a character (the cursor counts those).
                let text = if *secret {
                    "•".repeat(input.text().chars().count())
                } else {
                    input.text()
                };
                let cols = (area.width as usize).saturating_sub(label_w + 2);
                let col = cursor_cell(&text, input.cursor().1);
                let start = scroll_to_cursor(col, cols);
                cursor = Some(Position::new(
                    area.x + (label_w + 2 + col - start) as u16,
                    y,
                ));
                slice(&text, start, cols)
            }
            _ if *secret && !value.is_empty() => "•".repeat(value.chars().count().min(12)),
            _ if value.is_empty() => "(empty: Enter to type it)".to_string(),
            _ => value.to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", pad(name, label_w)), chosen(row).fg(t.muted)),
            Span::styled(shown, chosen(row).fg(t.text)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Only this request's, while it is in no collection: sent as secrets (hidden wherever \
         shown), never saved. A saved request uses its collection's [auth] profiles.",
        muted,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}

/// The URL bar's visible text: variables coloured (unresolved ones as errors), or the resolved
/// URL when F2 asked for it. Returns the spans and the cursor column.
fn url_bar(app: &App, width: usize, active: bool) -> (Vec<Span<'static>>, Option<u16>) {
    let t = &app.theme;
    let e = &app.editor;
    let text = e.url.text();
    if text.is_empty() && !active {
        let hint = "type a URL, e.g. :8080/items or https://api.example.com";
        return (vec![Span::styled(hint, Style::default().fg(t.muted))], None);
    }
    let scope = app.scope().and_then(Result::ok);
    if app.show_resolved
        && let Some(scope) = &scope
    {
        // Resolved as sending resolves it (a prompt already answered counts), secrets hidden
        // unless revealed.
        let request = app
            .origin
            .as_ref()
            .map(|o| o.saved.path())
            .unwrap_or_default();
        let url_only = RequestSpec {
            url: text.clone(),
            ..RequestSpec::default()
        };
        let shown = match scope.resolve_spec(&url_only, &request) {
            Ok((spec, used)) => {
                let secrets = used.into_iter().filter(|u| u.secret && !app.reveal);
                let url = Redactor::new(secrets.map(|u| u.value))
                    .redact_str(&spec.url)
                    .into_owned();
                Span::styled(
                    slice(&format!("= {url}"), 0, width),
                    Style::default().fg(t.info).add_modifier(Modifier::ITALIC),
                )
            }
            Err(err) => Span::styled(
                slice(&format!("= {err}"), 0, width),
                Style::default().fg(t.error),
            ),
        };
        return (vec![shown], None);
    }
    let cursor = cursor_cell(&text, e.url.cursor().1);
    let start = if active {
        scroll_to_cursor(cursor, width)
    } else {
        0
    };
    let selected = e.url.selected_in(0).filter(|_| active);
    let spans = template_spans(
        app,
        &text,
        scope.as_ref(),
        Style::default().fg(t.text),
        (start, width),
        selected,
    );
    (spans, active.then(|| (cursor - start) as u16))
}

/// `text` from cell `start`, at most `width` cells, with its variables coloured: defined ones in
/// the accent colour, unresolved ones as underlined errors, `{{prompt}}` and escapes as warnings.
/// Literal text keeps `base`; the `selected` characters (a selection) are in reverse video.
fn template_spans(
    app: &App,
    text: &str,
    scope: Option<&crate::template::Scope>,
    base: Style,
    (start, width): (usize, usize),
    selected: Option<(usize, usize)>,
) -> Vec<Span<'static>> {
    let t = &app.theme;
    let unresolved = scope.map(|s| s.unresolved(text)).unwrap_or_default();
    // A style per char, from the template spans (byte ranges).
    let mut styles: Vec<Style> = Vec::with_capacity(text.len());
    for (range, kind) in crate::template::spans(text) {
        let style = match kind {
            SpanKind::Literal => base,
            SpanKind::Var(name) | SpanKind::Env(name) => {
                let bad = unresolved
                    .iter()
                    .any(|u| *u == name || *u == format!("env.{name}"));
                if bad {
                    base.fg(t.error).add_modifier(Modifier::UNDERLINED)
                } else {
                    base.fg(t.accent)
                }
            }
            SpanKind::Prompt | SpanKind::Escape => base.fg(t.warning),
            SpanKind::Error => base.fg(t.error),
        };
        styles.extend(std::iter::repeat_n(style, text[range].chars().count()));
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (c, style) in text.chars().zip(styles) {
        match spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push(c),
            _ => spans.push(Span::styled(c.to_string(), style)),
        }
    }
    slice_spans(&Line::from(select_chars(spans, selected)), start, width)
}

/// The visible part of a single-line field being edited (its selection in reverse video) and
/// the cursor's column within it.
fn field_view(input: &TextInput, cells: usize, style: Style) -> (Vec<Span<'static>>, u16) {
    let text = &input.lines()[0];
    let cursor = cursor_cell(text, input.cursor().1);
    let start = scroll_to_cursor(cursor, cells);
    let spans = select_chars(
        vec![Span::styled(text.clone(), style)],
        input.selected_in(0),
    );
    let mut shown = slice_spans(&Line::from(spans), start, cells);
    let used: usize = shown.iter().map(|s| width(&s.content)).sum();
    shown.push(Span::styled(" ".repeat(cells.saturating_sub(used)), style));
    (shown, (cursor - start) as u16)
}

fn draw_table(
    frame: &mut Frame,
    app: &App,
    table: &KvTable,
    area: Rect,
    active: bool,
    toggles: bool,
    hits: &mut HitMap,
) {
    let t = &app.theme;
    if area.height == 0 {
        return;
    }
    if table.rows.is_empty() {
        let add = app.keymap.key(Scope::Table, Action::AddRow);
        let down = app.keymap.key(Scope::Url, Action::Down);
        let what = if toggles {
            "headers"
        } else {
            "query parameters"
        };
        // Already in the table: only the key that adds a row.
        let here = app.focus == crate::app::Pane::Editor
            && app.editor.section == crate::app::editor::Section::Content;
        let msg = if here {
            format!("No {what}. Press {add} to add one.")
        } else {
            format!("No {what}. Press {down} to get here, then {add} to add one.")
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, Style::default().fg(t.muted)))
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let check_w: u16 = if toggles { 4 } else { 0 };
    let key_w = ((area.width.saturating_sub(check_w)) * 2 / 5).max(8);
    let value_w = area.width.saturating_sub(check_w + key_w + 1);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "{}{:<kw$} {}",
                if toggles { "on  " } else { "" },
                "Name",
                "Value",
                kw = key_w as usize
            ),
            Style::default()
                .fg(t.muted)
                .add_modifier(Modifier::UNDERLINED),
        )),
        Rect { height: 1, ..area },
    );
    let rows_h = area.height.saturating_sub(1) as usize;
    let first = table.list.first_visible(table.rows.len(), rows_h);
    let rows_area = Rect {
        y: area.y + 1,
        height: rows_h as u16,
        ..area
    };
    hits.lists.push((List::EditorTable, rows_area, first));
    let scope = app.scope().and_then(Result::ok);
    for (i, row) in table.rows.iter().enumerate().skip(first).take(rows_h) {
        let y = area.y + 1 + (i - first) as u16;
        let selected = active && i == table.list.selected;
        let base = if !row.enabled {
            Style::default()
                .fg(t.muted)
                .add_modifier(Modifier::CROSSED_OUT)
        } else {
            Style::default().fg(t.text)
        };
        let cell_style = |col: usize| {
            if selected && table.column == col {
                base.bg(t.selection_bg).add_modifier(Modifier::BOLD)
            } else {
                base
            }
        };
        let mut spans = Vec::new();
        if toggles {
            spans.push(Span::styled(
                if row.enabled { "[x] " } else { "[ ] " },
                Style::default().fg(t.accent),
            ));
        }
        let mut cursor = None;
        for (col, (text, width)) in [(&row.key, key_w), (&row.value, value_w)]
            .into_iter()
            .enumerate()
        {
            let editing = selected && table.column == col && table.editing.is_some();
            let w = width as usize;
            match (&table.editing, editing) {
                (Some(input), true) => {
                    let (shown, cx) = field_view(input, w, cell_style(col));
                    let x = area.x + check_w + if col == 0 { 0 } else { key_w + 1 };
                    cursor = Some(Position::new(x + cx, y));
                    spans.extend(shown);
                }
                // Variables in enabled cells are coloured as in the URL bar.
                _ if row.enabled => {
                    let cell =
                        template_spans(app, text, scope.as_ref(), cell_style(col), (0, w), None);
                    let used: usize = cell
                        .iter()
                        .map(|s| crate::ui::text::width(&s.content))
                        .sum();
                    spans.extend(cell);
                    spans.push(Span::styled(" ".repeat(w - used), cell_style(col)));
                }
                _ => spans.push(Span::styled(pad(text, w), cell_style(col))),
            }
            if col == 0 {
                spans.push(Span::raw(" "));
            }
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect {
                y,
                height: 1,
                ..area
            },
        );
        if let Some(p) = cursor {
            frame.set_cursor_position(p);
        }
    }
}

fn draw_body(frame: &mut Frame, app: &App, area: Rect, active: bool) {
    let e = &app.editor;
    let t = &app.theme;
    if area.height == 0 {
        return;
    }
    if e.body_kind == BodyKind::None {
        let key = app.keymap.key(Scope::Editor, Action::CycleBodyKind);
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("No body. Press {key} to choose JSON, form, text or multipart."),
                Style::default().fg(t.muted),
            )),
            area,
        );
        return;
    }
    // Last row: what the body will be sent as, and whether the JSON is valid.
    let status_y = area.bottom() - 1;
    let status = match (&e.json_issue, e.body_kind, &e.json_check) {
        // A large body is checked in the background.
        (_, _, check) if check.pending() => {
            Line::styled("… checking the JSON", Style::default().fg(t.muted))
        }
        (_, _, JsonCheck::Failed(why)) => Line::styled(
            format!("✗ the JSON was not checked: {why}"),
            Style::default().fg(t.error),
        ),
        (Some(issue), _, _) => Line::styled(
            format!(
                "✗ line {}, column {}: {}",
                issue.line, issue.column, issue.message
            ),
            Style::default().fg(t.error),
        ),
        (None, BodyKind::Json, _) if !e.body.is_empty() => {
            Line::styled("✓ valid JSON", Style::default().fg(t.status(200)))
        }
        (None, BodyKind::Multipart, _) => Line::styled(
            "one part per line: name=value or name@path/to/file",
            Style::default().fg(t.muted),
        ),
        (None, BodyKind::Form, _) => Line::styled(
            "a=1&b=2, or one name=value per line",
            Style::default().fg(t.muted),
        ),
        _ => Line::default(),
    };
    let editing = active && e.body_editing;
    let hint = if editing {
        " (Esc to stop editing)"
    } else if active {
        " (Enter to edit)"
    } else {
        ""
    };
    // The hint goes first when the row is too narrow (the footer says it too); the status is
    // cut with a `…` rather than at the edge.
    let mut status = status;
    let room = usize::from(area.width);
    if status.width() + hint.len() <= room {
        status
            .spans
            .push(Span::styled(hint, Style::default().fg(t.muted)));
    } else if status.width() > room
        && let Some(span) = status.spans.first_mut()
    {
        span.content = fit(&span.content, room).into();
    }
    frame.render_widget(
        Paragraph::new(status),
        Rect {
            y: status_y,
            height: 1,
            ..area
        },
    );

    let text_h = area.height.saturating_sub(1) as usize;
    let lines = e.body.lines();
    let (row, col) = e.body.cursor();
    let col = cursor_cell(&lines[row], col);
    let first = if editing {
        row.saturating_sub(text_h.saturating_sub(1))
    } else {
        0
    };
    let gutter = lines.len().to_string().len().max(2);
    let text_w = (area.width as usize).saturating_sub(gutter + 1);
    let hstart = if editing {
        scroll_to_cursor(col, text_w)
    } else {
        0
    };
    let issue_line = e.json_issue.as_ref().map(|i| i.line);
    let shown: Vec<Line> = lines
        .iter()
        .enumerate()
        .skip(first)
        .take(text_h)
        .map(|(i, l)| {
            let num_style = if issue_line == Some(i + 1) {
                Style::default().fg(t.error)
            } else {
                Style::default().fg(t.line_number)
            };
            let mut spans = vec![Span::styled(format!("{:>gutter$} ", i + 1), num_style)];
            let selected = e.body.selected_in(i).filter(|_| editing);
            let text = select_chars(
                vec![Span::styled(l.clone(), Style::default().fg(t.text))],
                selected,
            );
            spans.extend(slice_spans(&Line::from(text), hstart, text_w));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            height: text_h as u16,
            ..area
        },
    );
    if editing {
        let x = area.x + (gutter + 1 + col - hstart) as u16;
        let y = area.y + (row - first) as u16;
        frame.set_cursor_position(Position::new(x, y));
    }
}
