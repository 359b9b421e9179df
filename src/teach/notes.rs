//! The explanations for one exchange, in the order a learner reads it: the method, the status,
//! what this exchange in particular says (the validator a 304 matched, a 206's range, a failed
//! POST's retry, a decoded CORS preflight), then each request and response header scout has an
//! explanation of, and a cookie browsers would reject. `scout send --explain` prints them.

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
    // What this exchange in particular says, before the meaning of each of its parts.
    out.extend(situation(method, request_headers, status, response_headers));
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

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// What this exchange in particular says, beyond each part's meaning: which validator a 304
/// matched, which bytes a 206 holds, why retrying a failed POST is unsafe, what a CORS preflight
/// was answered.
fn situation(
    method: &str,
    request: &[(String, String)],
    status: u16,
    response: &[(String, String)],
) -> Vec<Note> {
    let mut out = Vec::new();
    if status == 304 {
        let matched = header(request, "if-none-match")
            .map(|v| format!("Your If-None-Match {v} matched the resource's current ETag"))
            .or_else(|| {
                header(request, "if-modified-since")
                    .map(|v| format!("It has not changed since your If-Modified-Since ({v})"))
            });
        if let Some(matched) = matched {
            out.push(Note {
                subject: "this 304".into(),
                text: format!(
                    "{matched}: the copy you already hold is current, so no body was sent."
                ),
                next: "Use the stored copy; its freshness starts again from this response.".into(),
                reference: "RFC 9110 §13.1".into(),
            });
        }
    }
    if status == 206
        && let Some(range) = header(response, "content-range")
    {
        out.push(Note {
            subject: "this 206".into(),
            text: content_range(range),
            next: "Ask for another part with Range: bytes=FIRST-LAST (or FIRST- for the rest)."
                .into(),
            reference: "RFC 9110 §14.4".into(),
        });
    }
    let unsafe_method = matches!(method.to_ascii_uppercase().as_str(), "POST" | "PATCH");
    if unsafe_method
        && (status == 429 || status >= 500)
        && header(request, "idempotency-key").is_none()
    {
        out.push(Note {
            subject: format!("retrying this {}", method.to_ascii_uppercase()),
            text: format!(
                "A {status} does not say whether the server acted before failing. {} is not                  idempotent: sending it again may act twice (a second order, a second charge).",
                method.to_ascii_uppercase()
            ),
            next: "Send it with an Idempotency-Key header: a server that honours it acts once                    per key, so a retry is safe (scout retries such a request only then)."
                .into(),
            reference: "RFC 9110 §9.2.2".into(),
        });
    }
    if method.eq_ignore_ascii_case("OPTIONS")
        && let (Some(origin), Some(wanted)) = (
            header(request, "origin"),
            header(request, "access-control-request-method"),
        )
    {
        out.push(preflight(origin, wanted, request, response));
    }
    out
}

/// `bytes 0-99/1234` in words.
fn content_range(range: &str) -> String {
    let parsed = range.strip_prefix("bytes ").and_then(|r| {
        let (span, total) = r.split_once('/')?;
        let (first, last) = span.split_once('-')?;
        let (first, last): (u64, u64) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
        Some((first, last, total.trim().to_string()))
    });
    match parsed {
        Some((first, last, total)) => format!(
            "Content-Range {range}: bytes {first} to {last} ({} bytes) of {}.",
            last.saturating_sub(first) + 1,
            if total == "*" {
                "a length the server did not say".to_string()
            } else {
                total
            }
        ),
        None => format!("Content-Range {range}: the part of the whole this body is."),
    }
}

/// A CORS preflight decoded: what the browser asked, what the server allowed, and whether the
/// real request may go.
fn preflight(
    origin: &str,
    wanted: &str,
    request: &[(String, String)],
    response: &[(String, String)],
) -> Note {
    let wanted_headers = header(request, "access-control-request-headers").unwrap_or("");
    let allow_origin = header(response, "access-control-allow-origin");
    let methods = header(response, "access-control-allow-methods").unwrap_or("");
    let headers = header(response, "access-control-allow-headers").unwrap_or("");
    let listed = |list: &str, item: &str| {
        list.split(',')
            .any(|m| m.trim() == "*" || m.trim().eq_ignore_ascii_case(item))
    };
    let origin_ok = allow_origin.is_some_and(|a| a == "*" || a == origin);
    let method_ok = listed(methods, wanted)
        || matches!(
            wanted.to_ascii_uppercase().as_str(),
            "GET" | "HEAD" | "POST"
        );
    let headers_ok = wanted_headers
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .all(|h| listed(headers, h));
    let asked = if wanted_headers.is_empty() {
        format!("The browser asked whether a page from {origin} may send {wanted}.")
    } else {
        format!(
            "The browser asked whether a page from {origin} may send {wanted} with {wanted_headers}."
        )
    };
    let answered = match allow_origin {
        None => "The server sent no Access-Control-Allow-Origin: the origin is not allowed.".into(),
        Some(a) => format!(
            "It allows origin {a}, methods {}, headers {}{}.",
            if methods.is_empty() {
                "(none listed)"
            } else {
                methods
            },
            if headers.is_empty() {
                "(none listed)"
            } else {
                headers
            },
            header(response, "access-control-max-age")
                .map(|s| format!(", and may be remembered {s} s"))
                .unwrap_or_default()
        ),
    };
    let verdict = if origin_ok && method_ok && headers_ok {
        "So the browser sends the real request."
    } else {
        "So the browser blocks the real request (the server never sees it)."
    };
    Note {
        subject: "this CORS preflight".into(),
        text: format!("{asked} {answered} {verdict}"),
        next: "CORS is enforced by browsers only: scout, curl and servers are not bound by it."
            .into(),
        reference: "Fetch Standard §3.2".into(),
    }
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

    fn about<'a>(notes: &'a [Note], subject: &str) -> &'a Note {
        notes
            .iter()
            .find(|n| n.subject == subject)
            .unwrap_or_else(|| panic!("no note on {subject}: {notes:?}"))
    }

    #[test]
    fn a_304_says_which_validator_matched() {
        let n = notes("GET", &h(&[("If-None-Match", "\"v1\"")]), 304, &[]);
        let text = &about(&n, "this 304").text;
        assert!(
            text.starts_with("Your If-None-Match \"v1\" matched"),
            "{text}"
        );
        let n = notes(
            "GET",
            &h(&[("If-Modified-Since", "Thu, 03 Dec 2026 10:00:00 GMT")]),
            304,
            &[],
        );
        assert!(about(&n, "this 304").text.contains("has not changed since"));
    }

    #[test]
    fn a_206_reads_its_content_range() {
        let n = notes("GET", &[], 206, &h(&[("Content-Range", "bytes 0-99/1234")]));
        assert_eq!(
            about(&n, "this 206").text,
            "Content-Range bytes 0-99/1234: bytes 0 to 99 (100 bytes) of 1234."
        );
        assert!(content_range("bytes 5-9/*").ends_with("a length the server did not say."));
        assert!(content_range("garbage").contains("the part of the whole"));
    }

    #[test]
    fn a_failed_post_says_why_retrying_is_unsafe_without_a_key() {
        let n = notes("POST", &[], 503, &[]);
        let note = about(&n, "retrying this POST");
        assert!(note.text.contains("may act twice"), "{}", note.text);
        assert!(note.next.contains("Idempotency-Key"));
        let keyed = notes("POST", &h(&[("Idempotency-Key", "k1")]), 503, &[]);
        assert!(keyed.iter().all(|n| n.subject != "retrying this POST"));
        let get = notes("GET", &[], 503, &[]);
        assert!(get.iter().all(|n| !n.subject.starts_with("retrying")));
    }

    #[test]
    fn a_cors_preflight_is_decoded() {
        let asked = h(&[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "Content-Type"),
        ]);
        let allowed = h(&[
            ("access-control-allow-origin", "https://app.example"),
            ("access-control-allow-methods", "GET, PUT"),
            (
                "access-control-allow-headers",
                "Content-Type, Authorization",
            ),
            ("access-control-max-age", "600"),
        ]);
        let n = notes("OPTIONS", &asked, 204, &allowed);
        let text = &about(&n, "this CORS preflight").text;
        assert!(text.contains("may send PUT with Content-Type"), "{text}");
        assert!(text.contains("remembered 600 s"), "{text}");
        assert!(
            text.ends_with("So the browser sends the real request."),
            "{text}"
        );
        let n = notes("OPTIONS", &asked, 204, &[]);
        let text = &about(&n, "this CORS preflight").text;
        assert!(text.contains("no Access-Control-Allow-Origin"), "{text}");
        assert!(
            text.ends_with("blocks the real request (the server never sees it)."),
            "{text}"
        );
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
