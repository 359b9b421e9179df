//! `scout send -v`: after the response, the exchange as it crossed the connection (`>` sent,
//! `<` received, as curl prints it) and where its time went, on stderr. Secrets are redacted as
//! on screen: stderr often ends up in CI logs.

use std::fmt::Write as _;

use crate::app::wire::{TimingRow, bar, timing_rows};
use crate::model::{Redactor, ResponseData, human_duration};

/// Width of the timing bars.
const BARS: usize = 40;

pub fn report(response: &ResponseData, redactor: &Redactor) -> String {
    let mut out = String::new();
    for (i, hop) in response.wire.iter().enumerate() {
        if response.wire.len() > 1 {
            let _ = writeln!(out, "* request {} of {}", i + 1, response.wire.len());
        }
        for line in hop.lines() {
            let text = match line.field() {
                Some((name, value)) => format!("{name}: {}", redactor.redact_header(name, value)),
                None => redactor.redact_str(&line.text).into_owned(),
            };
            let _ = writeln!(out, "{}{text}", line.side.marker());
        }
    }
    if let Some(used) = &response.cache {
        let _ = writeln!(out, "* cache: {}", crate::http::cache::describe_use(used));
    }
    if let Some(timing) = response.timing {
        for row in timing_rows(&timing, &response.version) {
            match row {
                TimingRow::Text(text) => {
                    let _ = writeln!(out, "* {text}");
                }
                TimingRow::Gap => {}
                TimingRow::Phase {
                    name,
                    took,
                    from,
                    to,
                } => {
                    let (start, len) = bar(from, to, BARS);
                    let _ = writeln!(
                        out,
                        "* {name:<18}{:>9}  {}{}",
                        human_duration(took),
                        " ".repeat(start),
                        "█".repeat(len)
                    );
                }
            }
        }
    }
    out
}
