//! A paged response: the summary above the body ("page 1 · 30 items · more available (link)"),
//! the progress of a "load all", and the Pages tab listing every page loaded.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::exchange::Exchange;
use crate::app::hits::{HitMap, List};
use crate::app::keymap::Action;
use crate::http::paginate::Load;
use crate::model::{human_duration, thousands};
use crate::ui::text::styled_slice;

/// Width of the progress bar while loading all pages against a known total.
const BAR: usize = 20;

/// The lines a paged response shows above its body: the summary, then (while loading) the
/// progress and any rate-limit countdown. Empty when the response does not page.
pub fn summary_lines<'a>(app: &App, x: &Exchange) -> Vec<Line<'a>> {
    let t = &app.theme;
    let Some(p) = &x.paging else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let colour = if p.problem().is_some() {
        t.warning
    } else {
        t.info
    };
    let mut spans = vec![Span::styled(
        format!("⇣ {}", p.summary()),
        Style::default().fg(colour),
    )];
    // The keys that do it where the keys go now (Alt+m from the URL bar, m in the pane).
    let scopes = crate::app::update::scopes(app);
    if p.loading.is_none() && p.pager.at_cap() {
        spans.push(Span::styled(
            format!(
                "  ({}: load {} more pages)",
                app.keymap.key_in(&scopes, Action::LoadAll),
                crate::app::paging::MORE_PAGES
            ),
            Style::default().fg(t.muted),
        ));
    } else if p.loading.is_none() && p.pager.has_more() {
        spans.push(Span::styled(
            format!(
                "  ({}: next page, {}: all)",
                app.keymap.key_in(&scopes, Action::LoadMore),
                app.keymap.key_in(&scopes, Action::LoadAll)
            ),
            Style::default().fg(t.muted),
        ));
    }
    lines.push(Line::from(spans));
    if let Some((load, since)) = p.loading {
        let elapsed = app.now.saturating_duration_since(since);
        let what = match load {
            Load::One => "loading the next page…".to_string(),
            Load::All => "loading all pages…".to_string(),
        };
        let mut text = format!(
            "{what} {} pages · {} items · {}",
            p.pages.len(),
            thousands(p.item_count),
            human_duration(elapsed)
        );
        if let Some(total) = p.pager.total {
            let done = (p.item_count as f64 / total.max(1) as f64).clamp(0.0, 1.0);
            let filled = (done * BAR as f64).round() as usize;
            text = format!(
                "[{}{}] {} of {} items · {text}",
                "█".repeat(filled),
                "·".repeat(BAR - filled),
                thousands(p.item_count),
                thousands(total as usize)
            );
        }
        text.push_str(" (Esc stops, keeping the pages)");
        lines.push(Line::styled(text, Style::default().fg(t.info)));
    }
    if let Some((for_, why, since)) = &p.waiting {
        let left = for_.saturating_sub(app.now.saturating_duration_since(*since));
        lines.push(Line::styled(
            format!("⏱ next page in {}: {why}", human_duration(left)),
            Style::default().fg(t.warning),
        ));
    }
    lines
}

/// The Pages tab: one row per page (number, status, items, time, URL); Enter shows the
/// selected page's response in the Raw tab.
pub fn draw(frame: &mut Frame, app: &App, x: &Exchange, area: Rect, hits: &mut HitMap) {
    let t = &app.theme;
    let Some(p) = &x.paging else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "This response is not paged.",
                Style::default().fg(t.muted),
            )),
            area,
        );
        return;
    };
    let mut lines = summary_lines(app, x);
    // How the style was chosen: configured, or what detection saw.
    lines.push(Line::styled(
        format!(
            "style: {} ({})",
            p.pager.pagination,
            if p.pager.why == "configured" {
                "configured on the request".to_string()
            } else {
                format!("detected: {}", p.pager.why)
            }
        ),
        Style::default().fg(t.info),
    ));
    lines.push(Line::styled(
        format!(
            "{:>5}  {:>6}  {:>6}  {:>8}  {}",
            "page", "status", "items", "time", "URL (Enter: raw response)"
        ),
        Style::default()
            .fg(t.muted)
            .add_modifier(Modifier::UNDERLINED),
    ));
    let head = lines.len();
    let rows = (area.height as usize).saturating_sub(head).max(1);
    // Keep the selected row in view.
    let first = p.list.first_visible(p.pages.len(), rows);
    let rows_area = Rect {
        y: area.y + head as u16,
        height: area.height.saturating_sub(head as u16),
        ..area
    };
    hits.lists.push((List::Pages, rows_area, first));
    let redactor = x.screen_redactor(app.reveal);
    let width = area.width as usize;
    for (i, page) in p.pages.iter().enumerate().skip(first).take(rows) {
        let url = match &redactor {
            Some(r) => r.redact_url(&page.url),
            None => page.url.clone(),
        };
        let mut style = Style::default().fg(t.text);
        if i == p.list.selected {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let row = format!(
            "{:>5}  {:>6}  {:>6}  {:>8}  {}",
            page.number,
            page.status,
            thousands(page.items.len()),
            human_duration(page.elapsed),
            url
        );
        lines.push(Line::from(styled_slice(
            &row,
            app.scroll.left,
            width,
            style,
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
