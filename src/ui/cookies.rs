//! The response pane's Cookies tab: the cookie jar of the shown exchange's collection, one row
//! per cookie (domain · path · name · value · expiry · flags). Values of secret-looking cookies
//! are cut short unless the user revealed secrets.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::exchange::Exchange;
use crate::http::cookies::CookieView;
use crate::model::{counted, is_secret_cookie};
use crate::ui::text::{pad, slice_spans, width};

/// Characters of a secret cookie's value shown before the cut.
const SHOWN_SECRET_CHARS: usize = 4;
/// Widest a column other than the value gets.
const MAX_COLUMN: usize = 32;
/// Widest the value column gets.
const MAX_VALUE_COLUMN: usize = 48;

pub fn draw(frame: &mut Frame, app: &App, x: &Exchange, area: Rect) {
    let t = &app.theme;
    let muted = Style::default().fg(t.muted);
    // Expired cookies wait in the jar until it is next used; they are not shown.
    let cookies: Vec<&CookieView> = app
        .cookies
        .get(&x.jar)
        .into_iter()
        .flatten()
        .filter(|c| c.expires.is_none_or(|at| at > app.wall))
        .collect();
    let jar = if x.jar.is_empty() {
        "requests outside collections".to_string()
    } else {
        x.jar.clone()
    };
    let mut lines = vec![Line::styled(
        format!(
            "Jar: {jar} · {} · this run only, never saved",
            counted(cookies.len(), "cookie")
        ),
        muted,
    )];
    if cookies.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            if x.jar.is_empty() {
                "No cookies in the jar of requests outside collections yet."
            } else {
                "No cookies in this collection's jar yet."
            },
            Style::default().fg(t.text),
        ));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    let rows: Vec<[String; 6]> = cookies
        .iter()
        .map(|c| {
            [
                c.domain.clone(),
                c.path.clone(),
                c.name.clone(),
                shown_value(c, app.reveal),
                expiry(c),
                flags(c),
            ]
        })
        .collect();
    let titles = ["Domain", "Path", "Name", "Value", "Expires", "Flags"];
    let widths: Vec<usize> = (0..titles.len())
        .map(|i| {
            let widest = rows.iter().map(|r| width(&r[i])).max().unwrap_or(0);
            let max = if i == 3 { MAX_VALUE_COLUMN } else { MAX_COLUMN };
            widest.max(titles[i].len()).min(max)
        })
        .collect();
    let row_line = |cells: [&str; 6], styles: [Style; 6]| {
        let text: Vec<Span> = cells
            .iter()
            .zip(&widths)
            .zip(styles)
            .map(|((cell, w), style)| Span::styled(format!("{}  ", pad(cell, *w)), style))
            .collect();
        let line = Line::from(text);
        Line::from(slice_spans(&line, app.scroll.left, area.width as usize))
    };
    lines.push(row_line(
        titles,
        [muted.add_modifier(Modifier::UNDERLINED); 6],
    ));
    let text = Style::default().fg(t.text);
    for r in &rows {
        lines.push(row_line(
            [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]],
            [
                muted,
                muted,
                Style::default().fg(t.accent),
                text,
                muted,
                muted,
            ],
        ));
    }
    // The jar line stays put; the table scrolls.
    let (head, table) = lines.split_at(1);
    let mut shown = head.to_vec();
    shown.extend(
        table
            .iter()
            .skip(app.scroll.top)
            .take((area.height as usize).saturating_sub(1))
            .cloned(),
    );
    frame.render_widget(Paragraph::new(shown), area);
}

/// The value as shown: a secret-looking cookie's cut after a few characters (unless revealed).
fn shown_value(c: &CookieView, reveal: bool) -> String {
    if reveal || !is_secret_cookie(&c.name) {
        return c.value.clone();
    }
    let count = c.value.chars().count();
    let start: String = c.value.chars().take(SHOWN_SECRET_CHARS).collect();
    if count <= SHOWN_SECRET_CHARS * 2 {
        "…".to_string()
    } else {
        format!("{start}… ({count} chars)")
    }
}

/// `09 Sep 2001 01:47:40 GMT` (an HTTP date without its weekday), or `session`.
fn expiry(c: &CookieView) -> String {
    match c.expires {
        Some(at) => {
            let date = httpdate::fmt_http_date(at);
            date.get(5..).unwrap_or(&date).to_string()
        }
        None => "session".to_string(),
    }
}

fn flags(c: &CookieView) -> String {
    let mut out = Vec::new();
    if c.secure {
        out.push("Secure");
    }
    if c.http_only {
        out.push("HttpOnly");
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(name: &str, value: &str) -> CookieView {
        CookieView {
            domain: "h".into(),
            path: "/".into(),
            name: name.into(),
            value: value.into(),
            expires: None,
            secure: true,
            http_only: true,
        }
    }

    #[test]
    fn secret_looking_values_are_cut_unless_revealed() {
        let long = "0123456789abcdef";
        assert_eq!(shown_value(&cookie("theme", long), false), long);
        assert_eq!(
            shown_value(&cookie("SESSIONID", long), false),
            "0123… (16 chars)"
        );
        assert_eq!(shown_value(&cookie("api_token", "short"), false), "…");
        assert_eq!(shown_value(&cookie("sid", long), true), long);
        assert_eq!(flags(&cookie("a", "")), "Secure HttpOnly");
        assert_eq!(expiry(&cookie("a", "")), "session");
    }
}
