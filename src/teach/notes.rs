//! The explanations for one exchange, in the order a learner reads it: the method, the status,
//! then each request and response header scout has an explanation of, and a few warnings about
//! the exchange itself (a cookie browsers would reject). `scout send --explain` prints them.

use crate::teach::teach;

/// One thing explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What it is about: `POST`, `201 Created`, `request header Accept`, `response header ETag`.
    pub subject: String,
    pub text: String,
    /// What to do about it (empty when there is nothing to do).
    pub next: String,
    /// The section to read (`RFC 9110 §15.3.2`).
    pub reference: String,
}

/// The notes for a request sent with `method` and `request_headers` that got `status` and
/// `response_headers`. Each header is explained once, the first time it appears.
pub fn notes(
    method: &str,
    request_headers: &[(String, String)],
    status: u16,
    response_headers: &[(String, String)],
) -> Vec<Note> {
    let t = teach();
    let mut out = Vec::new();
    if let Some(m) = t.method(method) {
        out.push(Note {
            subject: m.name.clone(),
            text: format!(
                "{} Safe: {}; idempotent: {}. {}",
                m.explanation,
                if m.safe { "yes" } else { "no" },
                if m.idempotent { "yes" } else { "no" },
                m.retry
            ),
            next: m.next.clone(),
            reference: m.reference.clone(),
        });
    }
    if let Some(s) = t.status(status) {
        out.push(Note {
            subject: format!("{} {}", s.code, s.title),
            text: s.explanation.clone(),
            next: s.next.clone(),
            reference: s.reference.clone(),
        });
    }
    for (side, headers) in [("request", request_headers), ("response", response_headers)] {
        let mut seen: Vec<String> = Vec::new();
        for (name, _) in headers {
            let lower = name.to_ascii_lowercase();
            if seen.contains(&lower) {
                continue;
            }
            seen.push(lower);
            if let Some(h) = t.header(name) {
                out.push(Note {
                    subject: format!("{side} header {}", h.name),
                    text: h.explanation.clone(),
                    next: h.next.clone(),
                    reference: h.reference.clone(),
                });
            }
        }
    }
    out.extend(cookie_warnings(response_headers));
    out
}

/// A `Set-Cookie` with `SameSite=None` but no `Secure`: browsers reject it.
fn cookie_warnings(headers: &[(String, String)]) -> Vec<Note> {
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| {
            let attrs: Vec<String> = v
                .split(';')
                .skip(1)
                .map(|a| a.trim().to_ascii_lowercase().replace(' ', ""))
                .collect();
            let none = attrs.iter().any(|a| a == "samesite=none");
            let secure = attrs.iter().any(|a| a == "secure");
            (none && !secure).then(|| {
                let name = v.split(['=', ';']).next().unwrap_or("").trim();
                Note {
                    subject: format!("cookie {name}"),
                    text: "It says SameSite=None without Secure: browsers reject such a cookie, \
                           so it is never stored there (scout keeps it)."
                        .into(),
                    next: "Add Secure (and serve the site over HTTPS), or use SameSite=Lax.".into(),
                    reference: "RFC 6265 §4.1".into(),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn method_status_then_each_header_once() {
        let notes = notes(
            "POST",
            &h(&[("Content-Type", "application/json"), ("X-Custom", "1")]),
            201,
            &h(&[
                ("location", "/items/4"),
                ("Location", "/items/4"),
                ("content-type", "application/json"),
            ]),
        );
        let subjects: Vec<&str> = notes.iter().map(|n| n.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "POST",
                "201 Created",
                "request header Content-Type",
                "response header Location",
                "response header Content-Type"
            ]
        );
        assert!(
            notes[0].text.contains("Safe: no; idempotent: no."),
            "{}",
            notes[0].text
        );
        assert_eq!(notes[1].reference, "RFC 9110 §15.3.2");
    }

    #[test]
    fn a_cookie_browsers_would_reject_is_pointed_out() {
        let notes = notes(
            "GET",
            &[],
            200,
            &h(&[
                ("Set-Cookie", "sid=abc; Path=/; SameSite=None"),
                ("Set-Cookie", "ok=1; SameSite=None; Secure"),
            ]),
        );
        let warnings: Vec<&Note> = notes
            .iter()
            .filter(|n| n.subject.starts_with("cookie "))
            .collect();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].subject, "cookie sid");
    }
}
