//! The reports `scout run` writes: `human` (for people: live, one line per step, failures with
//! expected and actual), `json` (one object per step), `junit` (JUnit XML for CI) and `tap`
//! (TAP 13). Each is a function of the finished run reports, so what is written after Ctrl+C is
//! the same report for fewer steps.

pub mod human;
pub mod json;
pub mod junit;
pub mod tap;

use std::time::Duration;

use crate::replay::RunReport;

/// A report format (`--reporter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reporter {
    Human,
    Json,
    Junit,
    Tap,
}

/// The whole report of a finished (or stopped) `scout run`, for the file formats.
pub fn render(reporter: Reporter, runs: &[RunReport], wall: Duration, jobs: usize) -> String {
    match reporter {
        Reporter::Human => human::full(runs, wall, jobs, false),
        Reporter::Json => json::render(runs),
        Reporter::Junit => junit::render(runs, wall),
        Reporter::Tap => tap::render(runs),
    }
}

/// A step's name in reports: its request, and the repeat when the run repeats.
fn step_name(run: &RunReport, step: &crate::replay::StepReport) -> String {
    let repeats = run.steps.iter().any(|s| s.iteration > 0);
    if repeats {
        format!("{} (repeat {})", step.request, step.iteration + 1)
    } else {
        step.request.clone()
    }
}
