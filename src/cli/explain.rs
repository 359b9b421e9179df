//! `scout explain`: what a status code, a method or a header means, in plain words, with what
//! to do next and the section of the standard to read (`scout explain 429`, `scout explain PUT`,
//! `scout explain header cache-control`, `scout explain --list`). Exit 2, with a suggestion
//! when one is close, for something scout has no explanation of.

use std::fmt::Write as _;

use crate::teach::{Header, Kind, MethodInfo, Status, teach};

/// Exit codes of `scout explain`.
pub mod exit {
    pub const OK: i32 = 0;
    /// Nothing is known by that name (a suggestion is printed when one is close).
    pub const UNKNOWN: i32 = 2;
}

/// What was asked: the words after `scout explain`, and `--list`. Returns the text to print
/// on stdout, or the problem for stderr.
pub fn explain(words: &[String], list: bool) -> Result<String, String> {
    let t = teach();
    if list {
        return Ok(listing());
    }
    let (forced_header, words) = match words {
        [first, rest @ ..] if first.eq_ignore_ascii_case("header") => (true, rest),
        _ => (false, words),
    };
    let [word] = words else {
        return Err(
            "explain one thing: a status code (scout explain 429), a method (scout explain PUT) \
             or a header (scout explain header cache-control); --list lists them all"
                .into(),
        );
    };
    if !forced_header && let Ok(code) = word.parse::<u16>() {
        return match t.status(code) {
            Some(s) => Ok(status_text(s)),
            None => {
                let class = code / 100;
                let known = t.codes_of_class(class);
                Err(if known.is_empty() {
                    format!("{code} is not a status code: they run from 100 to 599")
                } else {
                    format!(
                        "{code} is not a status code the standards define; the {class}xx ones are: {}",
                        known
                            .iter()
                            .map(u16::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            }
        };
    }
    if !forced_header && let Some(m) = t.method(word) {
        return Ok(method_text(m));
    }
    if let Some(h) = t.header(word) {
        return Ok(header_text(h));
    }
    let suggestion = (!forced_header)
        .then(|| t.suggest(word, Kind::Method))
        .flatten()
        .or_else(|| t.suggest(word, Kind::Header));
    Err(match suggestion {
        Some(name) => format!("no explanation of `{word}`: did you mean {name}?"),
        None => format!(
            "no explanation of `{word}` (scout explain --list shows the codes, methods and \
             headers it knows)"
        ),
    })
}

fn status_text(s: &Status) -> String {
    let mut out = format!(
        "{} {}  ({})\n\n{}\n\n",
        s.code, s.title, s.reference, s.explanation
    );
    let _ = writeln!(out, "What to do: {}", s.next);
    out.push_str("\nTypical causes:\n");
    for cause in &s.causes {
        let _ = writeln!(out, "  - {cause}");
    }
    out
}

fn method_text(m: &MethodInfo) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut out = format!("{}: {}  ({})\n", m.name, m.title, m.reference);
    let _ = writeln!(
        out,
        "safe: {} · idempotent: {} · cacheable: {}\n",
        yes_no(m.safe),
        yes_no(m.idempotent),
        yes_no(m.cacheable)
    );
    let _ = writeln!(out, "{}\n", m.explanation);
    let _ = writeln!(out, "Sent again: {}", m.retry);
    let _ = writeln!(out, "What to do: {}", m.next);
    out
}

fn header_text(h: &Header) -> String {
    format!(
        "{}  ({}, {})\n\n{}\n\nWhat to do: {}\n",
        h.name, h.topic, h.reference, h.explanation, h.next
    )
}

/// Everything scout explains, a line each.
fn listing() -> String {
    let t = teach();
    let mut out = String::from("Status codes:\n");
    for s in &t.statuses {
        let _ = writeln!(out, "  {}  {:<34} {}", s.code, s.title, s.reference);
    }
    out.push_str("\nMethods:\n");
    for m in &t.methods {
        let _ = writeln!(out, "  {:<8} {:<49} {}", m.name, m.title, m.reference);
    }
    out.push_str("\nHeaders (scout explain header NAME):\n");
    for h in &t.headers {
        let _ = writeln!(out, "  {:<33} {:<13} {}", h.name, h.topic, h.reference);
    }
    out
}
