//! The response pane: status line, tabs (Body, Headers, Raw), and the scrolled content.
//! Draws only the visible lines; highlighted chunks come from the cache, plain text fills gaps.

use std::time::{Duration, UNIX_EPOCH};

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::exchange::{BodyView, Exchange, ExchangeState};
use crate::app::hits::{HitMap, Target};
use crate::app::keymap::{Action, Scope};
use crate::app::{App, Pane, ResponseTab};
use crate::collection::DEMO_URL_VAR;
use crate::highlight::Document;
use crate::http::explain::{Tone, explain};
use crate::http::ratelimit::RateLimit;
use crate::model::{
    CacheUse, Redactor, ResponseData, counted, human_duration, human_size, utc_date_time, utc_time,
};
use crate::ui::layout::RESPONSE_HEADER_ROWS;
use crate::ui::text::{fit, pad, slice_spans, styled_slice};
use crate::ui::{SPINNER, framed, tab_bar};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, hits: &mut HitMap) {
    let x = app.shown_exchange();
    let label = match x {
        Some(x) => title(app, x),
        None => "Response".to_string(),
    };
    let label = fit(&label, area.width.saturating_sub(4) as usize);
    let inner = framed(frame, app, Pane::Response, label, area);
    if inner.height < RESPONSE_HEADER_ROWS + 1 {
        return;
    }
    let status_row = Rect { height: 1, ..inner };
    let tabs_row = Rect {
        y: inner.y + 1,
        height: 1,
        ..inner
    };
    let content = Rect {
        y: inner.y + RESPONSE_HEADER_ROWS,
        height: inner.height - RESPONSE_HEADER_ROWS,
        ..inner
    };
    hits.response_rows = content.height;
    let Some(x) = x else {
        draw_welcome(frame, app, content);
        return;
    };
    let status = status_line(app, x);
    let place = crate::ui::body::where_am_i(
        app,
        x,
        (status_row.width as usize).saturating_sub(status.width() + 2),
    );
    frame.render_widget(Paragraph::new(status), status_row);
    if !place.is_empty() {
        let w = crate::ui::text::width(&place) as u16;
        frame.render_widget(
            Paragraph::new(Line::styled(place, Style::default().fg(app.theme.muted))),
            Rect {
                x: status_row.x + status_row.width - w,
                width: w,
                ..status_row
            },
        );
    }
    match &x.state {
        ExchangeState::Loading {
            received,
            total,
            stopping,
        } => {
            let doing = if *received > 0 {
                "Downloading"
            } else {
                "Waiting for"
            };
            let mut text = vec![Line::styled(
                format!("{doing} {} …", x.spec.url),
                Style::default().fg(app.theme.text),
            )];
            if *received > 0 {
                let of = total
                    .map(|t| format!(" of {}", human_size(t)))
                    .unwrap_or_default();
                text.push(Line::styled(
                    format!("{} received{of}", human_size(*received)),
                    Style::default().fg(app.theme.muted),
                ));
            }
            // The key is the keymap's (Esc unless rebound).
            let esc = app.keymap.key(Scope::Typing, Action::Cancel);
            let hint = match (received, stopping) {
                (_, true) => format!("Stopping… ({esc} again cancels and keeps nothing.)"),
                (0, false) => format!("{esc} cancels."),
                (_, false) => format!("{esc} stops the download and keeps what arrived."),
            };
            text.push(Line::styled(hint, Style::default().fg(app.theme.muted)));
            frame.render_widget(Paragraph::new(text), content);
        }
        ExchangeState::Failed(err) => {
            let mut text = attempt_lines(app, x);
            text.extend([
                Line::styled(err.to_string(), Style::default().fg(app.theme.error)),
                Line::default(),
                Line::styled(err.hint().to_string(), Style::default().fg(app.theme.text)),
                Line::default(),
                Line::styled(
                    "Your request is unchanged in the editor: fix it and send again.",
                    Style::default().fg(app.theme.muted),
                ),
            ]);
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), content);
        }
        ExchangeState::Cancelled { .. } => {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "You cancelled this request; nothing more will arrive for it.",
                    Style::default().fg(app.theme.muted),
                )),
                content,
            );
        }
        ExchangeState::Done { response, view } => {
            let tabs = ResponseTab::offered(x);
            let labels = tab_labels(x, response);
            let current = tabs
                .iter()
                .position(|t| *t == app.response_tab)
                .unwrap_or(0);
            let active = app.focus == Pane::Response;
            let rects = tab_bar(frame, app, tabs_row, &labels, current, active);
            for (rect, tab) in rects.into_iter().zip(tabs.iter().copied()) {
                hits.targets.push((rect, Target::ResponseTab(tab)));
            }
            // The Explain panel takes the right part (all of it when the pane is narrow).
            let content = if app.explain {
                let panel = (content.width * 2 / 5).max(32).min(content.width);
                let [left, right] = Layout::default()
                    .direction(Direction::Horizontal)
                    .constraints([Constraint::Min(0), Constraint::Length(panel)])
                    .areas(content);
                crate::ui::explain::draw(frame, app, x, right, hits);
                left
            } else {
                content
            };
            match app.response_tab {
                ResponseTab::Body => {
                    let rows = crate::ui::body::draw(frame, app, x, response, view, content, hits);
                    hits.response_rows = rows;
                }
                ResponseTab::Headers => draw_headers(frame, app, x, response, content),
                ResponseTab::Raw => draw_raw(frame, app, x, view, content),
                ResponseTab::Pages => crate::ui::pages::draw(frame, app, x, content, hits),
                ResponseTab::Request => draw_request(frame, app, x, content),
                ResponseTab::Wire => crate::ui::wire::draw_wire(frame, app, x, content),
                ResponseTab::Timing => crate::ui::wire::draw_timing(frame, app, x, content),
                ResponseTab::Cache => {
                    hits.cache_lines = crate::ui::wire::draw_cache(frame, app, x, content);
                }
                ResponseTab::Cookies => crate::ui::cookies::draw(frame, app, x, content),
                ResponseTab::Checks => {
                    crate::ui::checks::draw(frame, app, x.checks.as_deref(), content)
                }
            }
        }
    }
}

fn draw_welcome(frame: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let send = app.keymap.key(Scope::Typing, Action::Send);
    // `?` types a `?` in the URL bar, where this is first read.
    let help = app
        .keymap
        .key_in(&crate::app::update::scopes(app), Action::Help);
    let lines = vec![
        Line::styled("Nothing sent yet.", Style::default().fg(t.text)),
        Line::default(),
        Line::styled(
            format!("Type a URL above and press Enter (or {send} from anywhere) to send it."),
            Style::default().fg(t.muted),
        ),
        Line::styled(
            // With the demo server running, the tree always holds requests for it (the built-in
            // tour when no collection of the user's talks to it).
            if app.injected.iter().any(|(k, _)| k == DEMO_URL_VAR) {
                "Or pick a ready request in Collections: they talk to the built-in demo API, no network needed."
            } else {
                "Or pick a saved request on the left."
            },
            Style::default().fg(t.muted),
        ),
        Line::styled(
            format!("{help} lists every key."),
            Style::default().fg(t.muted),
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The pane's title: the request, and which exchange it is — the newest, an earlier one of this
/// run (`history 3/7`), or one from the history file — with the time it was sent.
fn title(app: &App, x: &Exchange) -> String {
    let request = format!("Response · {} {}", x.spec.method, x.spec.url);
    if x.from_store {
        return format!(
            "{request} · from history, sent {}",
            utc_date_time(x.sent_at_ms)
        );
    }
    let position = app.history.newest_first().position(|e| e.id == x.id);
    match position {
        Some(0) | None => format!("{request} · {}", utc_time(x.sent_at_ms)),
        Some(i) => format!(
            "{request} · history {}/{} · sent {}",
            i + 1,
            app.history.len(),
            utc_time(x.sent_at_ms)
        ),
    }
}

/// The labels of the response's tabs, in [`ResponseTab::offered`] order ("Headers (4)").
pub fn tab_labels(x: &Exchange, response: &ResponseData) -> Vec<String> {
    ResponseTab::offered(x)
        .iter()
        .map(|t| match t {
            ResponseTab::Headers => format!("Headers ({})", response.headers.len()),
            ResponseTab::Pages => {
                format!("Pages ({})", x.paging.as_ref().map_or(0, |p| p.pages.len()))
            }
            ResponseTab::Checks => match &x.checks {
                Some(checks) => {
                    let passed = checks.iter().filter(|c| c.passed).count();
                    let mark = if passed == checks.len() { "✓" } else { "✗" };
                    format!("Checks {mark} {passed}/{}", checks.len())
                }
                None => "Checks …".to_string(),
            },
            other => other.title().to_string(),
        })
        .collect()
}

/// `200 OK  HTTP/1.1  12 ms  1.2 KB`, or the in-flight / failed equivalent.
fn status_line<'a>(app: &App, x: &Exchange) -> Line<'a> {
    let t = &app.theme;
    let muted = Style::default().fg(t.muted);
    match &x.state {
        ExchangeState::Loading { .. } => {
            let mut spans = vec![
                Span::styled(
                    format!("{} Sending", SPINNER[app.spinner % SPINNER.len()]),
                    Style::default().fg(t.info).add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!(
                        "  {}",
                        human_duration(app.now.saturating_duration_since(x.started))
                    ),
                    muted,
                ),
            ];
            if let Some((report, left)) = x.waiting(app.now) {
                spans.push(Span::styled(
                    format!(
                        "  ↻ attempt {} of {} got {}; next in {} (Esc stops)",
                        report.attempt,
                        report.of,
                        report.outcome,
                        human_duration(left)
                    ),
                    Style::default().fg(t.warning),
                ));
            } else if let Some((report, _)) = x.attempts.last() {
                spans.push(Span::styled(
                    format!("  ↻ attempt {} of {}", report.attempt + 1, report.of),
                    Style::default().fg(t.warning),
                ));
            }
            Line::from(spans)
        }
        ExchangeState::Done { response, .. } => {
            let mut spans = vec![
                Span::styled(
                    format!(" {} {} ", response.status, response.reason),
                    Style::default()
                        .fg(t.status(response.status))
                        .add_modifier(Modifier::BOLD | Modifier::REVERSED),
                ),
                Span::styled(
                    format!(
                        "  {}  {}  {}",
                        response.version,
                        human_duration(response.elapsed),
                        // A stream still arriving: what arrived so far.
                        human_size(
                            x.live
                                .as_ref()
                                .map_or(response.body_len() as usize, |l| l.body.len())
                                as u64
                        )
                    ),
                    muted,
                ),
            ];
            if let Some(live) = crate::app::live::status(app) {
                spans.push(Span::styled(
                    format!("  {} {live}", SPINNER[app.spinner % SPINNER.len()]),
                    Style::default().fg(t.info).add_modifier(Modifier::BOLD),
                ));
            }
            match &response.cache {
                Some(CacheUse::Fresh { fresh_for, .. }) => spans.push(Span::styled(
                    format!(
                        "  from cache (fresh for {} more)",
                        human_duration(*fresh_for)
                    ),
                    Style::default().fg(t.info),
                )),
                Some(CacheUse::Revalidated { .. }) => spans.push(Span::styled(
                    "  from cache, revalidated (304)",
                    Style::default().fg(t.info),
                )),
                _ => {}
            }
            if !response.redirects.is_empty() {
                spans.push(Span::styled(
                    format!("  ↪ {}", counted(response.redirects.len(), "redirect")),
                    Style::default().fg(t.status(300)),
                ));
            }
            // As of when the response arrived: draw never reads the clock.
            let received = UNIX_EPOCH + Duration::from_millis(x.sent_at_ms) + response.elapsed;
            if let Some(limit) = RateLimit::parse(&response.headers, received) {
                let colour = if limit.remaining == Some(0) {
                    t.warning
                } else {
                    t.info
                };
                spans.push(Span::styled(
                    format!("  ⏱ {}", limit.summary(received)),
                    Style::default().fg(colour),
                ));
            }
            Line::from(spans)
        }
        ExchangeState::Failed(err) => Line::from(Span::styled(
            format!(" ✗ {} ", err.title()),
            Style::default()
                .fg(t.error)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )),
        ExchangeState::Cancelled { after } => Line::from(Span::styled(
            format!("Cancelled after {}", human_duration(*after)),
            Style::default().fg(t.warning),
        )),
    }
}

/// One line per earlier attempt: `↻ attempt 1 of 4: 503 Service Unavailable · waited 1 s
/// (Retry-After: 1 s)`.
fn attempt_lines<'a>(app: &App, x: &Exchange) -> Vec<Line<'a>> {
    x.attempts
        .iter()
        .map(|(r, _)| {
            let mut text = format!("↻ attempt {} of {}: {}", r.attempt, r.of, r.outcome);
            if let Some(wait) = r.wait {
                text.push_str(&format!(" · waited {}", human_duration(wait)));
            }
            if !r.note.is_empty() {
                text.push_str(&format!(" ({})", r.note));
            }
            Line::styled(text, Style::default().fg(app.theme.warning))
        })
        .collect()
}

/// Lines shown above the body: the attempts before this response, the redirect chain and the
/// document's notices.
pub(crate) fn preamble<'a>(
    app: &App,
    x: &Exchange,
    response: &ResponseData,
    doc: Option<&Document>,
    note: Option<&str>,
) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut lines = crate::ui::pages::summary_lines(app, x);
    lines.extend(attempt_lines(app, x));
    // What the status means, in plain words.
    if let Some(e) = explain(
        response.status,
        &response.headers,
        x.sent.method,
        x.auth_kind,
    ) {
        let colour = match e.tone {
            Tone::Good => t.status(200),
            Tone::Info => t.info,
            Tone::Warning => t.warning,
            Tone::Problem => t.error,
        };
        lines.push(Line::styled(
            format!("ⓘ {}", e.summary),
            Style::default().fg(colour),
        ));
    }
    if !response.redirects.is_empty() {
        let mut spans = vec![Span::styled("↪ ", Style::default().fg(t.status(300)))];
        let origin = origin_of(&response.redirects[0].url);
        for hop in &response.redirects {
            spans.push(Span::styled(
                format!("{} ", hop.status),
                Style::default().fg(t.status(hop.status)),
            ));
            spans.push(Span::styled(
                format!("{} → ", relative(&hop.url, &origin)),
                Style::default().fg(t.muted),
            ));
        }
        spans.push(Span::styled(
            relative(&response.url, &origin).to_string(),
            Style::default().fg(t.text),
        ));
        lines.push(Line::from(spans));
    }
    if let Some(note) = note {
        lines.push(Line::styled(
            format!("⚠ {note}"),
            Style::default().fg(t.warning),
        ));
    }
    if let Some(doc) = doc {
        for (i, n) in doc.notices().iter().enumerate() {
            lines.push(if doc.is_summary(i) {
                Line::styled(format!("ⓘ {n}"), Style::default().fg(t.info))
            } else {
                Line::styled(format!("⚠ {n}"), Style::default().fg(t.warning))
            });
        }
    }
    lines
}

fn draw_headers(frame: &mut Frame, app: &App, x: &Exchange, response: &ResponseData, area: Rect) {
    let t = &app.theme;
    let redactor = x.screen_redactor(app.reveal);
    let name_w = response
        .headers
        .iter()
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 2);
    let value_w = (area.width as usize).saturating_sub(name_w + 2);
    let mut lines = vec![Line::styled(
        format!("{:<name_w$}  {}", "Name", "Value"),
        Style::default()
            .fg(t.muted)
            .add_modifier(Modifier::UNDERLINED),
    )];
    lines.extend(response.headers.iter().map(|(k, v)| {
        let mut spans = vec![Span::styled(
            format!("{}  ", pad(&fit(k, name_w), name_w)),
            Style::default().fg(t.accent),
        )];
        // A value going on past the edge ends in `…` (→ scrolls to the rest).
        let value = shown_header(redactor.as_ref(), k, v);
        let more = crate::ui::text::width(&value) > app.scroll.left + value_w;
        let style = Style::default().fg(t.text);
        if more && value_w > 0 {
            spans.extend(styled_slice(&value, app.scroll.left, value_w - 1, style));
            spans.push(Span::styled("…", Style::default().fg(t.muted)));
        } else {
            spans.extend(styled_slice(&value, app.scroll.left, value_w, style));
        }
        Line::from(spans)
    }));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(app.scroll.top)
        .take(area.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// A header value as the screen shows it: secret headers and secret values redacted unless
/// the user revealed them.
fn shown_header(redactor: Option<&Redactor>, name: &str, value: &str) -> String {
    match redactor {
        Some(r) => r.redact_header(name, value),
        None => value.to_string(),
    }
}

/// What was sent: the request as it stood in the editor when it went out (secrets redacted
/// unless revealed).
fn draw_request(frame: &mut Frame, app: &App, x: &Exchange, area: Rect) {
    let t = &app.theme;
    let redactor = x.screen_redactor(app.reveal);
    let summary: Vec<String> = crate::app::view::request_lines(app, x)
        .into_iter()
        .map(|l| match &redactor {
            Some(r) => r.redact_url(&l),
            None => l,
        })
        .collect();
    let lines: Vec<Line> = summary
        .into_iter()
        .enumerate()
        .skip(app.scroll.top)
        .take(area.height as usize)
        .map(|(i, l)| {
            let style = if i == 0 {
                Style::default()
                    .fg(t.method(x.spec.method))
                    .add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(t.text)
            };
            Line::from(styled_slice(
                &l,
                app.scroll.left,
                area.width as usize,
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The response as received: status line, headers, blank line, body as decoded (not pretty).
fn draw_raw(frame: &mut Frame, app: &App, x: &Exchange, view: &BodyView, area: Rect) {
    let t = &app.theme;
    let Some(response) = x.raw_response() else {
        return;
    };
    let redactor = x.screen_redactor(app.reveal);
    let mut head: Vec<Line> = Vec::new();
    if let Some(p) = &x.paging {
        let page = &p.pages[p.raw_page.min(p.pages.len() - 1)];
        head.push(Line::styled(
            format!(
                "page {} of {} · {} (Pages tab: Enter shows another)",
                page.number,
                p.pages.len(),
                page.url
            ),
            Style::default().fg(t.info),
        ));
    }
    head.push(Line::styled(
        format!(
            "{} {} {}",
            response.version, response.status, response.reason
        ),
        Style::default().fg(t.status(response.status)),
    ));
    if let Some(spilled) = &response.spilled {
        head.push(Line::styled(
            format!(
                "⚠ the first {} of {} here; the Body tab reads it all from disk",
                human_size(response.body.len() as u64),
                human_size(spilled.len())
            ),
            Style::default().fg(t.warning),
        ));
    }
    for (k, v) in &response.headers {
        head.push(Line::from(vec![
            Span::styled(format!("{k}: "), Style::default().fg(t.accent)),
            Span::styled(
                shown_header(redactor.as_ref(), k, v),
                Style::default().fg(t.text),
            ),
        ]));
    }
    head.push(Line::default());
    let top = app.scroll.top;
    let head_shown: Vec<Line> = head
        .iter()
        .skip(top)
        .take(area.height as usize)
        .map(|l| Line::from(slice_spans(l, app.scroll.left, area.width as usize)))
        .collect();
    let used = head_shown.len() as u16;
    frame.render_widget(
        Paragraph::new(head_shown),
        Rect {
            height: used,
            ..area
        },
    );
    if let Some(raw) = view.raw.as_deref() {
        let body_top = top.saturating_sub(head.len());
        crate::ui::body::draw_document(
            frame,
            app,
            raw,
            None,
            None,
            body_top,
            crate::ui::body::Look::default(),
            Rect {
                y: area.y + used,
                height: area.height - used,
                ..area
            },
        );
    }
}

/// `scheme://host:port` of a URL (empty if it has none).
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => String::new(),
    }
}

/// `url` without `origin` when it starts with it, so a chain on one server reads as paths.
fn relative<'a>(url: &'a str, origin: &str) -> &'a str {
    match url.strip_prefix(origin) {
        Some(path) if !origin.is_empty() && (path.is_empty() || path.starts_with('/')) => {
            if path.is_empty() { "/" } else { path }
        }
        _ => url,
    }
}
