//! The Explain panel's content for an exchange (`e` in the response pane): what scout did on the
//! way (redirects followed and what they did to the method, retries, auth added, cookies stored,
//! paging found), what the response means here, then the method, the status and each header
//! explained, each with the section of the standard to read.

use crate::app::exchange::{Exchange, ExchangeState};
use crate::http::explain::explain;
use crate::model::{Method, counted};
use crate::teach::notes;

/// One thing the panel explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub heading: String,
    pub text: String,
    /// What to do about it (may be empty).
    pub next: String,
    /// The section to read (may be empty, for what scout itself did).
    pub reference: String,
}

/// The panel's items for `x`; none until it has a response.
pub fn items(x: &Exchange) -> Vec<Item> {
    let ExchangeState::Done { response, .. } = &x.state else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut did = Vec::new();
    for hop in &response.redirects {
        let method = match (x.sent.method, hop.status) {
            (Method::Post, 301..=303) => "; the method became GET (307 and 308 keep it)",
            _ => "",
        };
        did.push(format!(
            "followed a {} to {}{method}",
            hop.status, hop.location
        ));
    }
    if !x.attempts.is_empty() {
        let outcomes: Vec<&str> = x.attempts.iter().map(|(r, _)| r.outcome.as_str()).collect();
        did.push(format!(
            "sent it {} times (retried after {})",
            x.attempts.len() + 1,
            outcomes.join(", ")
        ));
    }
    if let Some(used) = &response.cache {
        did.push(crate::http::cache::describe_use(used));
    }
    if let Some(kind) = x.auth_kind {
        did.push(format!("added the auth profile's credentials ({kind})"));
    }
    let cookies = response
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .count();
    if cookies > 0 {
        did.push(format!(
            "stored {} in the jar of {} (the Cookies tab)",
            counted(cookies, "cookie"),
            if x.jar.is_empty() {
                "requests outside collections"
            } else {
                "its collection"
            }
        ));
    }
    if x.paging.is_some() {
        did.push("found that the response pages (m loads the next page)".to_string());
    }
    if !did.is_empty() {
        out.push(Item {
            heading: "What scout did".into(),
            text: format!("{}.", did.join("; ")),
            next: String::new(),
            reference: String::new(),
        });
    }
    let headers = &response.headers;
    if let Some(e) = explain(response.status, headers, x.sent.method, x.auth_kind) {
        out.push(Item {
            heading: "Here".into(),
            text: e.summary,
            next: String::new(),
            reference: String::new(),
        });
    }
    let sent: Vec<(String, String)> = x
        .sent
        .headers
        .iter()
        .filter(|h| h.enabled)
        .map(|h| (h.key.clone(), h.value.clone()))
        .collect();
    out.extend(
        notes(x.sent.method.as_str(), &sent, response.status, headers)
            .into_iter()
            .map(|n| Item {
                heading: n.subject,
                text: n.text,
                next: n.next,
                reference: n.reference,
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::testing::draw;
    use crate::app::{Msg, Pane, update};
    use crate::model::{RedirectHop, ResponseData};

    fn key(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    /// The demo's create-item sent, and answered after a 302 with a cookie.
    fn answered() -> crate::app::App {
        let response = ResponseData {
            stopped: false,
            spilled: None,
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("set-cookie".into(), "sid=abc; SameSite=None".into()),
                ("etag".into(), "\"v1\"".into()),
            ],
            body: Bytes::from_static(b"{\"id\": 4}"),
            elapsed: Duration::from_millis(2),
            redirects: vec![RedirectHop {
                status: 302,
                url: "http://127.0.0.1:9/items".into(),
                location: "/items/4".into(),
            }],
            url: "http://127.0.0.1:9/items/4".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        };
        crate::app::testing::answered_by("create-item", response)
    }

    #[test]
    fn what_scout_did_comes_first_then_each_part_with_its_section() {
        let app = answered();
        let items = items(app.shown_exchange().unwrap());
        let headings: Vec<&str> = items.iter().map(|i| i.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "What scout did",
                "POST",
                "200 OK",
                "request header Accept",
                "response header Content-Type",
                "response header Set-Cookie",
                "response header ETag",
                "cookie sid"
            ]
        );
        assert!(
            items[0].text.contains(
                "followed a 302 to /items/4; the method became GET (307 and 308 keep it)"
            ),
            "{}",
            items[0].text
        );
        assert!(
            items[0].text.contains("stored 1 cookie in"),
            "{}",
            items[0].text
        );
        assert_eq!(items[6].reference, "RFC 9110 §8.8.3");
    }

    #[test]
    fn e_shows_the_panel_beside_the_response_and_shift_j_k_scroll_it() {
        let mut app = answered();
        app.focus = Pane::Response;
        update(&mut app, key('e'));
        assert!(app.explain);
        let screen = draw(&mut app).join("\n");
        assert!(screen.contains("│ Explain"), "{screen}");
        assert!(screen.contains("POST  RFC 9110 §9.3.3"), "{screen}");
        update(&mut app, key('J'));
        assert_eq!(app.explain_scroll, 1);
        update(&mut app, key('K'));
        update(&mut app, key('K'));
        assert_eq!(app.explain_scroll, 0);
        for _ in 0..500 {
            update(&mut app, key('J'));
        }
        assert_eq!(
            app.explain_scroll, app.hits.explain_max_scroll,
            "stops at the end"
        );
        update(&mut app, key('e'));
        assert!(!app.explain);
        assert!(!draw(&mut app).join("\n").contains("│ Explain"));
    }

    fn subjects(app: &crate::app::App) -> Vec<String> {
        items(app.shown_exchange().unwrap())
            .into_iter()
            .map(|i| i.heading)
            .collect()
    }

    #[test]
    fn the_panel_chooses_what_this_exchange_says() {
        use crate::app::testing::answered_with;
        // A 503 to a POST: why retrying it is unsafe without a key.
        let app = answered_with("create-item", 503, &[("retry-after", "1")]);
        assert!(
            subjects(&app).contains(&"retrying this POST".to_string()),
            "{:?}",
            subjects(&app)
        );
        // A CORS preflight, decoded.
        let app = answered_with(
            "cors-preflight",
            204,
            &[
                ("access-control-allow-origin", "https://app.example"),
                ("access-control-allow-methods", "GET, PUT"),
                ("access-control-allow-headers", "Content-Type"),
            ],
        );
        let all = items(app.shown_exchange().unwrap());
        let decoded = all
            .iter()
            .find(|i| i.heading == "this CORS preflight")
            .expect("the preflight decoded");
        assert!(decoded.text.contains("may send PUT"), "{}", decoded.text);
        assert!(
            decoded.text.ends_with("sends the real request."),
            "{}",
            decoded.text
        );
        // A 206 reads its range.
        let app = answered_with("get-item", 206, &[("content-range", "bytes 0-1/10")]);
        assert!(subjects(&app).contains(&"this 206".to_string()));
    }
}
