//! Plain-language explanations of a response for the response pane: what a status means, what the
//! server asked for (`WWW-Authenticate`, `Allow`, `Retry-After`, `Location`, `ETag`) and what to try
//! next. Pure: status, headers, method and the auth profile kind in; one or two short sentences out.
//!
//! Sentences are joined with ". " and carry no trailing period. A summary never passes
//! [`MAX_SUMMARY_CHARS`]: header values are clipped, and a sentence that would not fit is left out,
//! the least important first.
//!
//! ```
//! use scout::http::explain::{explain, Tone};
//! use scout::model::Method;
//! let headers = vec![("location".to_string(), "/items/4".to_string())];
//! let e = explain(201, &headers, Method::Post, None).unwrap();
//! assert_eq!(e.summary, "Created: the new resource is at /items/4");
//! assert_eq!(e.tone, Tone::Good);
//! assert!(explain(200, &[], Method::Get, None).is_none());
//! ```

use crate::http::auth::digest::{Scheme, split_schemes};
use crate::http::retry::{IDEMPOTENCY_KEY_HEADER, RetryAfter, retry_allowed};
use crate::model::Method;

/// The longest summary, in characters: about two lines of the response pane.
pub const MAX_SUMMARY_CHARS: usize = 160;

/// How the response pane colours an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// It worked.
    Good,
    /// Neither success nor failure: a redirect, a cache hit, an interim or queued response.
    Info,
    /// Probably temporary: waiting and retrying may work.
    Warning,
    /// The request failed and will fail again as it is.
    Problem,
}

/// What a response means, in one or two short sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub summary: String,
    pub tone: Tone,
}

/// Explains a response, or `None` when there is nothing worth saying (a plain 200).
///
/// `auth` is the kind of the auth profile the request used (`basic`, `bearer`, `api-key`, `digest`,
/// `oauth2-client-credentials`), `None` when it used none. Header names are compared
/// case-insensitively; values may be anything a server sends.
pub fn explain(
    status: u16,
    headers: &[(String, String)],
    method: Method,
    auth: Option<&str>,
) -> Option<Explanation> {
    let h = Headers(headers);
    let draft = match status {
        200 => return None,
        100 => Draft::new(
            Tone::Info,
            "Continue: the server accepted the headers; the body may follow",
        ),
        101 => Draft::new(
            Tone::Info,
            match h.clipped("upgrade", 30) {
                Some(to) => format!("Switching Protocols: the connection now speaks {to}"),
                None => "Switching Protocols: the connection now speaks another protocol".into(),
            },
        ),
        201 => Draft::new(
            Tone::Good,
            match h.clipped("location", 100) {
                Some(at) => format!("Created: the new resource is at {at}"),
                None => {
                    "Created: the server made a new resource (no Location header says where)".into()
                }
            },
        ),
        202 => Draft::new(
            Tone::Info,
            "Accepted: the work was queued but is not done yet",
        )
        .then_some(
            1,
            h.clipped("location", 80)
                .map(|at| format!("Check on it at {at}")),
        ),
        204 => Draft::new(
            Tone::Good,
            "No Content: success with no body, typical for DELETE/PUT",
        ),
        206 => Draft::new(
            Tone::Good,
            match h.clipped("content-range", 40) {
                Some(range) => {
                    format!("Partial Content: only the requested range was sent ({range})")
                }
                None => "Partial Content: only the part the Range header asked for was sent".into(),
            },
        ),
        301 | 302 | 303 | 307 | 308 => redirect(status, &h, method),
        304 => not_modified(&h),
        400 => Draft::new(
            Tone::Problem,
            "Bad Request: the server could not make sense of the request",
        )
        .then(1, "Check the body, query and headers against the API docs"),
        401 => unauthorized(&h, auth),
        403 => Draft::new(
            Tone::Problem,
            match auth {
                Some(kind) => format!(
                    "Forbidden: the server knows who you are ({} profile) but won't allow this",
                    profile_name(kind)
                ),
                None => "Forbidden: the server won't allow this, whoever asks".into(),
            },
        )
        .then(
            1,
            "Unlike 401, other credentials won't help unless they carry more permissions",
        ),
        404 => Draft::new(
            Tone::Problem,
            "Not Found: nothing lives at this URL; check the path and any IDs in it",
        ),
        405 => Draft::new(
            Tone::Problem,
            match h.clipped("allow", 60) {
                Some(allow) => {
                    format!("Method Not Allowed: {method} isn't supported here; allowed: {allow}")
                }
                None => format!(
                    "Method Not Allowed: {method} isn't supported here (no Allow header lists what is)"
                ),
            },
        ),
        406 => Draft::new(
            Tone::Problem,
            "Not Acceptable: the server can't produce what the Accept header asks for",
        )
        .then(1, "Loosen Accept, e.g. */*"),
        407 => Draft::new(
            Tone::Problem,
            "Proxy Authentication Required: the proxy between you and the server wants credentials",
        ),
        408 => Draft::new(
            Tone::Warning,
            "Request Timeout: the server gave up waiting for the whole request",
        )
        .then(1, idempotency(method)),
        409 => Draft::new(
            Tone::Problem,
            "Conflict: the request clashes with the resource's current state",
        )
        .then(1, "Fetch it again, resolve the difference, then retry"),
        410 => Draft::new(
            Tone::Problem,
            "Gone: the resource was removed for good; retrying won't bring it back",
        ),
        412 => Draft::new(
            Tone::Problem,
            "Precondition Failed: an If-Match or If-Unmodified-Since condition was false",
        )
        .then(
            1,
            "The resource changed since you fetched it: fetch it again",
        ),
        413 => Draft::new(
            Tone::Problem,
            "Content Too Large: the request body is over the server's limit",
        )
        .then(1, "Send less, or in parts"),
        415 => Draft::new(
            Tone::Problem,
            "Unsupported Media Type: the server doesn't accept this body format",
        )
        .then(1, "Check the Content-Type header, e.g. application/json"),
        422 => Draft::new(
            Tone::Problem,
            "Unprocessable Content: the body parsed but failed validation",
        )
        .then(1, "The response body usually says which fields"),
        428 => Draft::new(
            Tone::Problem,
            "Precondition Required: the server wants a conditional request",
        )
        .then(1, "Send If-Match with the ETag you last fetched"),
        429 => too_many_requests(&h, method),
        500 => Draft::new(
            Tone::Problem,
            "Internal Server Error: the server failed while handling the request",
        )
        .then(1, idempotency(method)),
        501 => Draft::new(
            Tone::Problem,
            format!("Not Implemented: the server doesn't support {method} or this feature at all"),
        ),
        502 => Draft::new(
            Tone::Warning,
            "Bad Gateway: a proxy got a bad answer from the server behind it",
        )
        .then(1, idempotency(method)),
        503 => Draft::new(
            Tone::Warning,
            "Service Unavailable: down or overloaded for now",
        )
        .then_some(1, retry_after(&h))
        .then(2, idempotency(method)),
        504 => Draft::new(
            Tone::Warning,
            "Gateway Timeout: a proxy gave up waiting for the server behind it",
        )
        .then(1, idempotency(method)),
        _ => by_class(status, &h, method),
    };
    Some(draft.finish())
}

/// Any other status: by the teaching notes when they know it (its name and what to do next, as
/// `scout explain` tells it), else by its class.
fn by_class(status: u16, h: &Headers, method: Method) -> Draft {
    if let Some(known) = crate::teach::teach().status(status) {
        let tone = match status / 100 {
            2 => Tone::Good,
            4 | 5 => Tone::Problem,
            _ => Tone::Info,
        };
        let location = h.clipped("location", 60).filter(|_| status / 100 == 3);
        let title = format!("{} ({status})", known.title);
        let room = MAX_SUMMARY_CHARS.saturating_sub(title.chars().count() + 2);
        return Draft::new(tone, title)
            .then(1, advice(&known.next, room))
            .then_some(2, location.map(|at| format!("Location: {at}")));
    }
    match status / 100 {
        1 => Draft::new(
            Tone::Info,
            format!("Informational ({status}): an interim response; the final one follows"),
        ),
        2 => Draft::new(
            Tone::Good,
            format!("Success ({status}): the server handled the request"),
        ),
        3 => Draft::new(
            Tone::Info,
            match h.clipped("location", 80) {
                Some(at) => format!("Redirection ({status}): the answer is elsewhere, at {at}"),
                None => format!("Redirection ({status}): the answer is elsewhere"),
            },
        ),
        4 => Draft::new(
            Tone::Problem,
            format!("Client error ({status}): the server refused the request as sent"),
        )
        .then(1, "The response body may say why"),
        5 => Draft::new(
            Tone::Problem,
            format!("Server error ({status}): the server failed to handle the request"),
        )
        .then(1, idempotency(method)),
        _ => Draft::new(
            Tone::Problem,
            format!("Unknown status {status}: outside the ranges HTTP defines"),
        ),
    }
}

/// 304: the cache check that matched.
fn not_modified(h: &Headers) -> Draft {
    match h.clipped("etag", 40) {
        Some(etag) => Draft::new(
            Tone::Info,
            format!(
                "Not Modified: your cached copy is still valid (ETag {etag} matched If-None-Match)"
            ),
        ),
        None => Draft::new(Tone::Info, "Not Modified: your cached copy is still valid").then(
            1,
            "The If-None-Match ETag or If-Modified-Since date matched",
        ),
    }
    .then(2, "No body was sent: reuse the cached one")
}

/// 301, 302, 303, 307 and 308 returned to the pane (redirects off, or the limit reached).
fn redirect(status: u16, h: &Headers, method: Method) -> Draft {
    let name = match status {
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        _ => "Permanent Redirect",
    };
    let first = match h.clipped("location", 80) {
        Some(at) => format!("{name}: redirect to {at}, not followed"),
        None => format!("{name}: a redirect, but no Location header says where"),
    };
    let next = match status {
        301 => "Moved for good: update the URL; clients may follow a POST with a GET".to_string(),
        302 => "Temporary: keep the URL; clients usually follow it with a GET".to_string(),
        303 => "Follow it with a GET: that's where the result is".to_string(),
        307 => format!("Temporary: follow it with the same {method} and body"),
        _ => format!("Permanent: follow it with the same {method} and body, and update the URL"),
    };
    Draft::new(Tone::Info, first).then(1, next)
}

/// 401: which scheme and realm the server asked for, what a Bearer error said, and what to do with
/// the auth profile.
fn unauthorized(h: &Headers, auth: Option<&str>) -> Draft {
    let challenges: Vec<Scheme> = h.all("www-authenticate").flat_map(split_schemes).collect();
    let wanted = scheme_list(&challenges);
    let rejected = challenges.iter().find_map(|c| {
        let error = c
            .param("error")
            .filter(|e| !e.trim().is_empty())
            .map(|e| clip(e, 30));
        let description = c
            .param("error_description")
            .filter(|d| !d.trim().is_empty())
            .map(|d| clip(d, 40));
        let said = match (error, description) {
            (Some(e), Some(d)) => format!("{e}: \"{d}\""),
            (Some(e), None) => e,
            (None, Some(d)) => format!("\"{d}\""),
            (None, None) => return None,
        };
        Some(format!(
            "Unauthorized: the {} token was rejected ({said})",
            canonical_scheme(&c.name)
        ))
    });
    let first = match (rejected, wanted.is_empty()) {
        (Some(rejected), _) => rejected,
        (None, true) => {
            "Unauthorized: no or wrong credentials (no WWW-Authenticate challenge)".to_string()
        }
        (None, false) => {
            let realm = challenges
                .iter()
                .find_map(|c| c.param("realm").filter(|r| !r.trim().is_empty()))
                .map(|r| format!(" (realm \"{}\")", clip(r, 40)))
                .unwrap_or_default();
            format!(
                "Unauthorized: the server wants {} credentials{realm}",
                join_or(&wanted)
            )
        }
    };
    let advice = match auth {
        None => "Give credentials in the Auth tab (scout send: -a)".to_string(),
        Some(kind) => {
            let name = profile_name(kind);
            let sends = profile_scheme(kind);
            let mismatch = sends.is_some_and(|sends| {
                !wanted.is_empty() && !wanted.iter().any(|w| w.eq_ignore_ascii_case(sends))
            });
            if mismatch {
                format!(
                    "Your {name} profile doesn't match: choose a {} profile in the Auth tab",
                    join_or(&wanted)
                )
            } else {
                format!(
                    "The {name} profile's credentials were not accepted: check {}",
                    profile_secret(kind)
                )
            }
        }
    };
    Draft::new(Tone::Problem, first).then(1, advice)
}

/// 429: how long to wait, and whether scout's retry policy may do the waiting.
fn too_many_requests(h: &Headers, method: Method) -> Draft {
    let wait = match retry_after(h) {
        Some(wait) => format!("{wait}; scout's retry policy can wait for it"),
        None => "No Retry-After header: slow down before trying again".to_string(),
    };
    let draft = Draft::new(
        Tone::Warning,
        "Too Many Requests: you are being rate limited",
    )
    .then(1, wait);
    if retry_allowed(method, false).is_err() {
        draft.then(
            2,
            format!("It retries {method} only with an {IDEMPOTENCY_KEY_HEADER}"),
        )
    } else {
        draft
    }
}

/// What a valid `Retry-After` asks for, quoting its seconds or its date.
fn retry_after(h: &Headers) -> Option<String> {
    let value = h.get("retry-after")?;
    Some(match RetryAfter::parse(value)? {
        RetryAfter::Delay(wait) => format!("Retry-After says wait {} s", wait.as_secs()),
        RetryAfter::At(_) => format!("Retry-After says wait until {}", clip(value, 40)),
    })
}

/// Whether retrying is safe, for failures where the request may or may not have taken effect.
fn idempotency(method: Method) -> String {
    if retry_allowed(method, false).is_err() {
        format!(
            "{method} is not idempotent: retrying may repeat its effect; add an {IDEMPOTENCY_KEY_HEADER}"
        )
    } else {
        format!("{method} is idempotent, so retrying is safe")
    }
}

/// How the pane names an auth profile kind.
fn profile_name(kind: &str) -> String {
    match kind {
        "basic" => "Basic".into(),
        "bearer" => "Bearer".into(),
        "api-key" => "API key".into(),
        "digest" => "Digest".into(),
        "oauth2-client-credentials" => "OAuth2".into(),
        other => match clip(other, 30) {
            name if name.is_empty() => "auth".into(),
            name => name,
        },
    }
}

/// The `Authorization` scheme a profile kind sends, when it sends one.
fn profile_scheme(kind: &str) -> Option<&'static str> {
    match kind {
        "basic" => Some("Basic"),
        "bearer" | "oauth2-client-credentials" => Some("Bearer"),
        "digest" => Some("Digest"),
        _ => None,
    }
}

/// What to check in a profile whose credentials were refused.
fn profile_secret(kind: &str) -> &'static str {
    match kind {
        "basic" | "digest" => "the username and password",
        "bearer" => "the token",
        "api-key" => "the key and where it is sent",
        "oauth2-client-credentials" => "the client ID, secret and scopes",
        _ => "its username, password or token",
    }
}

/// The first sentence of `text` without its period; when longer than `room` characters, up to
/// the last `,` or `:` that fits (whole if none does: the summary may then leave it out).
fn advice(text: &str, room: usize) -> &str {
    let end = text.find(". ").unwrap_or(text.len());
    let sentence = text[..end].trim_end_matches('.');
    if sentence.chars().count() <= room {
        return sentence;
    }
    let fits = sentence
        .char_indices()
        .nth(room)
        .map_or(sentence.len(), |(i, _)| i);
    match sentence[..fits].rfind([',', ':']) {
        Some(cut) => &sentence[..cut],
        None => sentence,
    }
}

/// A summary being written: sentences, each with a priority (0 = always kept, higher = dropped first
/// when the summary would pass [`MAX_SUMMARY_CHARS`]).
struct Draft {
    tone: Tone,
    sentences: Vec<(u8, String)>,
}

impl Draft {
    fn new(tone: Tone, first: impl Into<String>) -> Draft {
        Draft {
            tone,
            sentences: vec![(0, first.into())],
        }
    }

    fn then(mut self, priority: u8, sentence: impl Into<String>) -> Draft {
        self.sentences.push((priority, sentence.into()));
        self
    }

    fn then_some(self, priority: u8, sentence: Option<String>) -> Draft {
        match sentence {
            Some(sentence) => self.then(priority, sentence),
            None => self,
        }
    }

    /// Keeps the most important sentences that fit, in their written order.
    fn finish(self) -> Explanation {
        const SEPARATOR: &str = ". ";
        let mut order: Vec<usize> = (0..self.sentences.len()).collect();
        order.sort_by_key(|&i| (self.sentences[i].0, i));
        let mut keep = vec![false; self.sentences.len()];
        let mut len = 0;
        for i in order {
            let add =
                self.sentences[i].1.chars().count() + if len == 0 { 0 } else { SEPARATOR.len() };
            if len == 0 || len + add <= MAX_SUMMARY_CHARS {
                keep[i] = true;
                len += add;
            }
        }
        let summary = self
            .sentences
            .iter()
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|((_, sentence), _)| sentence.as_str())
            .collect::<Vec<_>>()
            .join(SEPARATOR);
        Explanation {
            summary: clip(&summary, MAX_SUMMARY_CHARS),
            tone: self.tone,
        }
    }
}

/// Response headers, looked up by case-insensitive name.
struct Headers<'a>(&'a [(String, String)]);

impl<'a> Headers<'a> {
    fn all(&self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn get(&self, name: &'a str) -> Option<&'a str> {
        self.all(name).next()
    }

    /// The first value, made printable and at most `max` characters; `None` when absent or blank.
    fn clipped(&self, name: &'a str, max: usize) -> Option<String> {
        self.get(name)
            .map(|v| clip(v, max))
            .filter(|v| !v.is_empty())
    }
}

/// `value` on one line (control characters and runs of whitespace become one space), trimmed, and
/// cut to `max` characters with an ellipsis.
fn clip(value: &str, max: usize) -> String {
    let words: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let line = words.join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Scheme names offered, deduplicated case-insensitively, at most three.
fn scheme_list(challenges: &[Scheme]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for c in challenges {
        let name = canonical_scheme(&c.name);
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) && names.len() < 3 {
            names.push(name);
        }
    }
    names
}

/// `Basic`, `Bearer`, `Digest`… in their usual spelling; other schemes as sent (clipped).
fn canonical_scheme(scheme: &str) -> String {
    [
        "Basic",
        "Bearer",
        "Digest",
        "Negotiate",
        "NTLM",
        "HOBA",
        "Mutual",
        "AWS4-HMAC-SHA256",
    ]
    .iter()
    .find(|known| known.eq_ignore_ascii_case(scheme))
    .map_or_else(|| clip(scheme, 20), |known| (*known).to_string())
}

/// "A", "A or B", "A, B or C".
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
