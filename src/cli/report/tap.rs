//! TAP version 13: a plan line, `ok`/`not ok` per step (`# SKIP` with the reason), and a YAML
//! block under each failure with its problems.

use std::fmt::Write as _;

use crate::cli::report::step_name;
use crate::model::human_duration;
use crate::replay::{Outcome, RunReport};

pub fn render(runs: &[RunReport]) -> String {
    let total: usize = runs.iter().map(|r| r.steps.len()).sum();
    let mut out = format!("TAP version 13\n1..{total}\n");
    let mut n = 0;
    for run in runs {
        for step in &run.steps {
            n += 1;
            let name = tap_text(&format!("{}: {}", run.name, step_name(run, step)));
            let status = step
                .status
                .as_ref()
                .map(|(c, _)| format!("{} {c}, {}", step.method, human_duration(step.elapsed)))
                .unwrap_or_else(|| step.method.clone());
            match step.outcome {
                Outcome::Passed => {
                    let _ = writeln!(out, "ok {n} - {name} ({status})");
                }
                Outcome::Skipped => {
                    let why = tap_text(step.skipped.as_deref().unwrap_or("not run"));
                    let _ = writeln!(out, "ok {n} - {name} # SKIP {why}");
                }
                Outcome::Failed => {
                    let _ = writeln!(out, "not ok {n} - {name} ({status})");
                    out.push_str("  ---\n");
                    let problems = step.problems();
                    let _ = writeln!(
                        out,
                        "  message: {}",
                        yaml_string(problems.first().map_or("", String::as_str))
                    );
                    out.push_str("  problems:\n");
                    for p in &problems {
                        let _ = writeln!(out, "    - {}", yaml_string(p));
                    }
                    if let Some(excerpt) = &step.excerpt {
                        let _ = writeln!(out, "  response: {}", yaml_string(excerpt));
                    }
                    out.push_str("  ...\n");
                }
            }
        }
    }
    out
}

/// A description on one line, without the `#` that would start a directive.
fn tap_text(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('#', "\\#")
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
