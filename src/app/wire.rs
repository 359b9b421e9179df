//! What the Wire and Timing tabs list for an exchange, as plain rows (the screen styles them).

use std::time::Duration;

use crate::app::exchange::Exchange;
use crate::model::{ConnectionUse, ResponseData, Timing, WireHop, WireLine, human_duration};

/// A row of the Wire tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireRow {
    /// Above each hop: which request it was and how it was carried.
    Title(String),
    Line(WireLine),
    Gap,
}

/// Every hop of the shown response, each under a title.
pub fn wire_rows(x: &Exchange) -> Vec<WireRow> {
    let Some(response) = x.response() else {
        return Vec::new();
    };
    let hops = response.wire.len();
    let mut rows = Vec::new();
    for (i, hop) in response.wire.iter().enumerate() {
        if i > 0 {
            rows.push(WireRow::Gap);
        }
        rows.push(WireRow::Title(hop_title(response, i, hops, hop)));
        rows.extend(hop.lines().into_iter().map(WireRow::Line));
    }
    rows
}

fn hop_title(response: &ResponseData, i: usize, hops: usize, hop: &WireHop) -> String {
    let which = if hops > 1 {
        match response.redirects.get(i) {
            Some(r) => format!("request {} of {hops}: {} redirected · ", i + 1, r.status),
            None => format!("request {} of {hops} · ", i + 1),
        }
    } else {
        String::new()
    };
    match hop {
        WireHop::Bytes { .. } => format!(
            "{which}{}, as it crossed the connection (after TLS): > sent, < received",
            response.version
        ),
        WireHop::Decoded { .. } => format!(
            "{which}HTTP/2 sends binary frames with compressed (HPACK) headers; the header lists as \
             sent and as decoded"
        ),
    }
}

/// The Cache tab's lines: what a private cache may do with the shown response, and what
/// scout's did.
pub fn cache_lines(x: &Exchange, now: std::time::SystemTime) -> Vec<String> {
    let Some(response) = x.response() else {
        return Vec::new();
    };
    let received = std::time::UNIX_EPOCH + Duration::from_millis(x.sent_at_ms) + response.elapsed;
    let headers: Vec<(String, String)> = x
        .sent
        .headers
        .iter()
        .filter(|h| h.enabled && !h.key.trim().is_empty())
        .map(|h| (h.key.trim().to_string(), h.value.clone()))
        .collect();
    let url = crate::http::build::parse_url(&x.sent.url)
        .map_or_else(|_| x.sent.url.clone(), |u| u.to_string());
    crate::http::cache::report(x.sent.method, &url, &headers, response, received, now)
        .lines(response.cache.as_ref())
}

/// A row of the Timing tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimingRow {
    Text(String),
    /// One phase: its name, how long, and where it lies in the whole (start and end as parts
    /// of the total, 0–1000).
    Phase {
        name: &'static str,
        took: Duration,
        from: u32,
        to: u32,
    },
    Gap,
}

/// Where a phase's bar goes in a waterfall `width` cells wide: its first cell and its length.
/// Every phase gets at least one cell, so a short one is still seen.
pub fn bar(from: u32, to: u32, width: usize) -> (usize, usize) {
    let width = width.max(1);
    let cell = |part: u32| part as usize * width / 1000;
    let start = cell(from).min(width - 1);
    (start, cell(to).saturating_sub(start).max(1))
}

/// The exchange's connection, then its phases as a waterfall, then the total.
pub fn timing_rows(timing: &Timing, version: &str) -> Vec<TimingRow> {
    let mut rows = vec![
        TimingRow::Text(connection_line(timing, version)),
        TimingRow::Gap,
    ];
    let total = timing.total.as_secs_f64().max(f64::EPSILON);
    let mut at = Duration::ZERO;
    for (name, took) in timing.phases() {
        let part = |d: Duration| ((d.as_secs_f64() / total) * 1000.0).round().min(1000.0) as u32;
        rows.push(TimingRow::Phase {
            name,
            took,
            from: part(at),
            to: part(at + took),
        });
        at += took;
    }
    rows.push(TimingRow::Text(format!(
        "total {}",
        human_duration(timing.total)
    )));
    rows
}

/// What the Timing tab says under the waterfall, for a learner.
pub fn timing_notes() -> [&'static str; 2] {
    [
        "Waiting (TTFB): the server's time to answer, plus a round trip.",
        "A reused connection skips DNS, TCP and TLS: send again to see.",
    ]
}

fn connection_line(timing: &Timing, version: &str) -> String {
    let to =
        |remote: Option<std::net::SocketAddr>| remote.map_or(String::new(), |r| format!(" to {r}"));
    match timing.connection {
        ConnectionUse::New { remote } => {
            format!("{version} · a new connection{}", to(remote))
        }
        ConnectionUse::Reused { remote, age } => format!(
            "{version} · a reused connection{}, opened {} ago",
            to(remote),
            human_duration(age)
        ),
        ConnectionUse::Unknown => format!("{version} · connection not known"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_gets_at_least_one_cell_and_stays_in_the_width() {
        assert_eq!(bar(0, 1000, 40), (0, 40));
        assert_eq!(bar(200, 800, 40), (8, 24));
        assert_eq!(bar(999, 1000, 40), (39, 1));
        assert_eq!(bar(500, 500, 10), (5, 1));
        assert_eq!(bar(0, 1000, 0), (0, 1));
    }

    #[test]
    fn the_waterfall_places_each_phase_after_the_last() {
        let ms = Duration::from_millis;
        let timing = Timing {
            dns: Some(ms(10)),
            connect: Some(ms(10)),
            wait: ms(60),
            download: ms(20),
            total: ms(100),
            connection: ConnectionUse::New {
                remote: Some("127.0.0.1:80".parse().unwrap()),
            },
            ..Default::default()
        };
        let rows = timing_rows(&timing, "HTTP/1.1");
        assert_eq!(
            rows[0],
            TimingRow::Text("HTTP/1.1 · a new connection to 127.0.0.1:80".into())
        );
        let spans: Vec<(&str, u32, u32)> = rows
            .iter()
            .filter_map(|r| match r {
                TimingRow::Phase { name, from, to, .. } => Some((*name, *from, *to)),
                _ => None,
            })
            .collect();
        assert_eq!(
            spans,
            [
                ("DNS lookup", 0, 100),
                ("TCP connect", 100, 200),
                ("waiting (TTFB)", 200, 800),
                ("download", 800, 1000)
            ]
        );
    }
}
