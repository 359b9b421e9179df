//! The Runner pane: a run's steps with their state (· pending, a spinner while sending, ✓, ✗,
//! – skipped), method, request, status and time; the title counts them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::hits::{HitMap, List};
use crate::app::runner::RowState;
use crate::app::{App, Pane};
use crate::model::human_duration;
use crate::replay::Outcome;
use crate::ui::collections::METHOD;
use crate::ui::text::{fit, pad};
use crate::ui::{SPINNER, framed, list_row, row_width};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, hits: &mut HitMap) {
    let Some(runner) = &app.runner else {
        return;
    };
    let t = &app.theme;
    let totals = runner.totals();
    let done = totals.total();
    let label = if runner.running {
        format!(
            "Run {} {} {done}/{}",
            runner.name,
            SPINNER[app.spinner % SPINNER.len()],
            runner.rows.len()
        )
    } else {
        format!(
            "Run {} · ✓{} ✗{} –{}{}",
            runner.name,
            totals.passed,
            totals.failed,
            totals.skipped,
            runner
                .elapsed
                .map(|e| format!(" · {}", human_duration(e)))
                .unwrap_or_default()
        )
    };
    let inner = framed(frame, app, Pane::Runner, label, area);
    if inner.height == 0 {
        return;
    }
    let height = inner.height as usize;
    let first = runner.list.first_visible(runner.rows.len(), height);
    hits.lists.push((List::Runner, inner, first));
    let width = row_width(app, inner.width as usize);
    let muted = Style::default().fg(t.muted);
    let lines: Vec<Line> = runner
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, row)| {
            let (mark, mark_style) = match row.state {
                RowState::Pending => ("·", muted),
                RowState::Sending => (
                    SPINNER[app.spinner % SPINNER.len()],
                    Style::default().fg(t.info),
                ),
                RowState::Done(Outcome::Passed) => ("✓", Style::default().fg(t.status(200))),
                RowState::Done(Outcome::Failed) => (
                    "✗",
                    Style::default().fg(t.error).add_modifier(Modifier::BOLD),
                ),
                RowState::Done(Outcome::Skipped) => ("–", Style::default().fg(t.warning)),
            };
            let request = &row.step.request;
            let tail = match (&row.report, row.state) {
                (Some(r), _) if r.status.is_some() => format!(
                    "{} {}",
                    r.status.as_ref().map_or(0, |s| s.0),
                    human_duration(r.elapsed)
                ),
                (Some(r), _) if r.skipped.is_some() => "skipped".to_string(),
                (Some(_), _) => "no response".to_string(),
                (None, RowState::Sending) => row
                    .started
                    .map(|s| human_duration(app.now.saturating_duration_since(s)))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let name_width = width.saturating_sub(2 + METHOD + 1 + tail.chars().count());
            let line = Line::from(vec![
                Span::styled(format!("{mark} "), mark_style),
                Span::styled(
                    format!("{:<METHOD$}", request.method.as_str()),
                    Style::default().fg(t.method(request.method)),
                ),
                Span::styled(
                    pad(&fit(&request.id, name_width), name_width),
                    Style::default().fg(t.text),
                ),
                Span::styled(format!(" {tail}"), muted),
            ]);
            list_row(app, Pane::Runner, line, i == runner.list.selected)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
