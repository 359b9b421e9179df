//! The body filter of `scout send --filter` and the app (src/inspect/filter.rs): a jq program
//! (jaq) or, with a leading `$`, an RFC 9535 JSONPath; compiled, and run on a body read as
//! `--filter` reads it (JSON, or JSON Lines as one array).
//!
//! Input: the filter on the first line, then the body.
//!
//! Every filter is compiled. A JSONPath always runs; a jq program runs when it is short and
//! names none of jq's generators and loops (`range`, `repeat`, `recurse`, `until`, `while`,
//! `limit`, `def`, `..`, `*`): jq is a programming language, and a program that never ends
//! or builds a value of gigabytes is what its author asked for, not a bug.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::inspect::filter::{Filter, Prepared, parse_body};

/// The jq programs that are run (not only compiled). Not run either: jaq-std's date and time
/// functions, which overflow on an epoch past ±9·10¹² s. With overflow checks (as here) that is a
/// panic inside jaq; scout turns it into the filter's error (`run_jq`), but the fuzzer's panic
/// hook aborts before. Found by this target; the regression test is in the normal suite.
fn safe_to_run(program: &str) -> bool {
    const UNBOUNDED: [&str; 19] = [
        "range", "repeat", "recurse", "until", "while", "limit", "def", "..", "*", "input", "halt",
        "env", "now", "pow", "exp", "ldexp", "splits", "time", "date",
    ];
    program.len() <= 96 && !UNBOUNDED.iter().any(|word| program.contains(word))
}

fuzz_target!(|data: &[u8]| {
    let (first, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Some(program) = common::text(first) else {
        return;
    };
    let filter = match Filter::parse(program) {
        Ok(filter) => filter,
        Err(e) => {
            if let Some(at) = e.at {
                assert!(at <= program.chars().count(), "{e:?}");
            }
            let _ = e.pointer(program);
            return;
        }
    };
    let Ok(doc) = parse_body(body) else {
        return;
    };
    if !filter.is_json_path() && !safe_to_run(program) {
        return;
    }
    let once = filter.run(&doc);
    // A prepared document (kept for the next filter typed) gives the same outputs.
    let prepared = Prepared::new(doc);
    let again = filter.run_prepared(&prepared);
    assert_eq!(once, again);
});
