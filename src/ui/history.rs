//! The History pane: every request sent in this run, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::exchange::{Exchange, ExchangeState};
use crate::app::hits::{HitMap, List};
use crate::app::{App, Pane};
use crate::model::{human_duration, human_size};
use crate::ui::{SPINNER, framed, list_row, row_width, text};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, hits: &mut HitMap) {
    let t = &app.theme;
    let visible = app.history.visible();
    let label = if visible.len() == app.history.len() {
        format!("History ({})", app.history.len())
    } else {
        format!("History ({} of {})", visible.len(), app.history.len())
    };
    let inner = framed(frame, app, Pane::History, label, area);
    if inner.height == 0 {
        return;
    }
    // The filter line, when there is one, sits at the bottom.
    let filter = match &app.history.filtering {
        Some(input) => Some((input.text(), Some(input.cursor().1))),
        None if !app.history.filter.is_empty() => Some((app.history.filter.clone(), None)),
        None => None,
    };
    let list = match filter {
        Some((text, cursor)) => {
            let y = inner.bottom() - 1;
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/", Style::default().fg(t.border_focused)),
                    Span::styled(text, Style::default().fg(t.text)),
                ])),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
            if let Some(c) = cursor {
                frame.set_cursor_position((inner.x + 1 + c as u16, y));
            }
            Rect {
                height: inner.height - 1,
                ..inner
            }
        }
        None => inner,
    };
    if visible.is_empty() {
        let text = if app.history.is_empty() {
            "Nothing sent yet."
        } else {
            "Nothing matches the filter (Esc clears it)."
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, Style::default().fg(t.muted))),
            list,
        );
        return;
    }
    let height = list.height as usize;
    let first = app.history.list.first_visible(visible.len(), height);
    hits.lists.push((List::History, list, first));
    let width = row_width(app, list.width as usize);
    // Entries from several hosts say which each went to; from one, the path tells them apart.
    let hosts: std::collections::BTreeSet<&str> =
        visible.iter().map(|x| host_of(&x.sent.url)).collect();
    let with_host = hosts.len() > 1;
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, x)| {
            let line = entry_line(app, x, width, with_host);
            list_row(app, Pane::History, line, i == app.history.list.selected)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// `200 GET  /items  12 ms 1.2 KB` (`with_host`: `api.example.com/items`), fitted to `width`.
fn entry_line<'a>(app: &App, x: &Exchange, width: usize, with_host: bool) -> Line<'a> {
    let t = &app.theme;
    let (status, color, tail) = match &x.state {
        ExchangeState::Loading { .. } => (
            SPINNER[app.spinner % SPINNER.len()].to_string() + "  ",
            t.info,
            human_duration(app.now.saturating_duration_since(x.started)),
        ),
        ExchangeState::Done { response, .. } => (
            response.status.to_string(),
            t.status(response.status),
            format!(
                "{} {}",
                human_duration(response.elapsed),
                human_size(response.body_len())
            ),
        ),
        ExchangeState::Failed(_) => ("ERR".into(), t.error, String::new()),
        ExchangeState::Cancelled { .. } => ("---".into(), t.muted, "cancelled".into()),
    };
    let method = x.spec.method.as_str();
    let url = if with_host {
        without_scheme(&x.sent.url)
    } else {
        short_url(&x.spec.url)
    };
    // In a narrow pane the path matters more than the size: drop the size first.
    let fixed = |tail: &str| 4 + method.len() + 1 + tail.len() + 1;
    let tail = match &x.state {
        ExchangeState::Done { response, .. }
            if width.saturating_sub(fixed(&tail)) < text::width(url).min(12) =>
        {
            human_duration(response.elapsed)
        }
        _ => tail,
    };
    let room = width.saturating_sub(fixed(&tail));
    let url = text::pad(&text::fit(url, room), room);
    let mut spans = vec![
        Span::styled(format!("{status:<3} "), Style::default().fg(color)),
        Span::styled(
            format!("{method} "),
            Style::default().fg(t.method(x.spec.method)),
        ),
    ];
    spans.extend(text::spans_of(&url, Style::default().fg(t.text)));
    spans.push(Span::styled(
        format!(" {tail}"),
        Style::default().fg(t.muted),
    ));
    Line::from(spans)
}

/// The path and query, which tell entries apart better than the host does.
fn short_url(url: &str) -> &str {
    let rest = without_scheme(url);
    match rest.find('/') {
        Some(i) => &rest[i..],
        None => rest,
    }
}

/// The URL after `scheme://`.
fn without_scheme(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

/// The host (and port) a URL names.
fn host_of(url: &str) -> &str {
    let rest = without_scheme(url);
    rest.find(['/', '?', '#']).map_or(rest, |i| &rest[..i])
}
