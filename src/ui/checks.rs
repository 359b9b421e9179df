//! The response pane's Checks tab: each expectation of the request and each capture, checked —
//! ✓ or ✗, what was looked at, what was expected and what was there.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::check::CheckResult;
use crate::ui::text::{fit, pad, slice_spans, width};

/// Widest the subject column gets.
const MAX_SUBJECT: usize = 32;

/// `checks`: `None` while they are being worked out.
pub fn draw(frame: &mut Frame, app: &App, checks: Option<&[CheckResult]>, area: Rect) {
    let t = &app.theme;
    let muted = Style::default().fg(t.muted);
    let Some(checks) = checks else {
        frame.render_widget(Paragraph::new(Line::styled("Checking…", muted)), area);
        return;
    };
    let passed = checks.iter().filter(|c| c.passed).count();
    let failed = checks.len() - passed;
    let (pass, fail) = (
        Style::default().fg(t.status(200)),
        Style::default().fg(t.error).add_modifier(Modifier::BOLD),
    );
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{passed} passed"), pass),
        Span::styled(", ", muted),
        Span::styled(
            format!("{failed} failed"),
            if failed > 0 { fail } else { muted },
        ),
        Span::styled(
            " · what the request (or its run step) expects and captures",
            muted,
        ),
    ])];
    let subject_width = checks
        .iter()
        .map(|c| width(&c.subject))
        .max()
        .unwrap_or(0)
        .min(MAX_SUBJECT);
    let text = Style::default().fg(t.text);
    for c in checks.iter().skip(app.scroll.top) {
        let (mark, style) = if c.passed {
            ("✓", pass)
        } else {
            ("✗", fail)
        };
        let line = Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(
                format!("{}  ", pad(&fit(&c.subject, subject_width), subject_width)),
                text,
            ),
            Span::styled("expected ", muted),
            Span::styled(c.expected.clone(), text),
            Span::styled(" · got ", muted),
            Span::styled(c.actual.clone(), if c.passed { text } else { fail }),
        ]);
        lines.push(Line::from(slice_spans(
            &line,
            app.scroll.left,
            area.width as usize,
        )));
        if lines.len() >= area.height as usize {
            break;
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
