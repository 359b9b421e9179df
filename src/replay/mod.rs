//! Replaying saved requests as checked steps — what `scout run` does, and the app's runner.
//!
//! [`target`] turns what was asked for (run names, request ids, folders) into [`RunPlan`]s;
//! [`deps`] works out which step waits for which (a step that uses `{{item_id}}` waits for the
//! step that captures it); [`step`] sends one step through the one planner and executor and
//! checks it; [`runner`] drives a run: order, `--jobs`, `--bail`, repeats, stopping;
//! [`baseline`] compares each step's response with a snapshot (`--baseline DIR`).

pub mod baseline;
pub mod deps;
pub mod report;
pub mod runner;
pub mod step;
pub mod target;

pub use baseline::Baseline;
pub use report::{Outcome, RunReport, StepReport, Totals};
pub use runner::{Options, Prepared, RunEvent, Stopped, prepare};
pub use target::{PlannedStep, RunPlan, select};
