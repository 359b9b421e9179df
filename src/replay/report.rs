//! What a run reports: per step, what was sent, what came back, each check; per run, the steps
//! and the time. Plain data (secrets already redacted), read by every reporter and the app.

use std::path::PathBuf;
use std::time::Duration;

use crate::check::CheckResult;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// A check failed, or the request could not be sent or got no response.
    Failed,
    /// Not sent: a variable it needs was not captured, or the run stopped first.
    Skipped,
}

/// One step, done.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// The step's place in its run (0-based; repeats count on).
    pub index: usize,
    /// Which repeat of the run (0-based).
    pub iteration: u32,
    /// The request's `folder/id`.
    pub request: String,
    /// Its name, else its id.
    pub title: String,
    pub method: String,
    /// The URL sent (secrets redacted), or as written when it was not sent.
    pub url: String,
    /// Status code and reason of the last attempt.
    pub status: Option<(u16, String)>,
    pub content_type: Option<String>,
    /// The last attempt's exchange (sending to the last byte).
    pub elapsed: Duration,
    pub outcome: Outcome,
    /// Each expectation, then each capture, checked.
    pub checks: Vec<CheckResult>,
    /// Why it could not be sent, or the transport error, with what to do.
    pub error: Option<String>,
    /// Why it was skipped.
    pub skipped: Option<String>,
    /// The start of the response body (secrets redacted), kept for a failed step.
    pub excerpt: Option<String>,
    /// How many times it was sent (step `retries` sends again while a check fails).
    pub attempts: u32,
}

impl StepReport {
    /// The failed checks and the error, one line each: what a report shows under the step.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self.error.iter().cloned().collect();
        out.extend(
            self.checks
                .iter()
                .filter(|c| !c.passed)
                .map(ToString::to_string),
        );
        out
    }

    /// What a report says under the step besides its problems, one line each: a `--baseline`
    /// snapshot written, updated, or not written because the step failed.
    pub fn notes(&self) -> Vec<String> {
        self.checks
            .iter()
            .filter_map(crate::replay::baseline::note)
            .collect()
    }
}

/// One run, done (or stopped).
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub name: String,
    /// The collection file it comes from.
    pub file: PathBuf,
    pub steps: Vec<StepReport>,
    /// Wall time from its first step to its last.
    pub elapsed: Duration,
}

/// Counts over any number of steps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    /// The sum of the steps' own times (more than the wall time when steps ran together).
    pub step_time: Duration,
}

impl Totals {
    pub fn of<'a>(steps: impl IntoIterator<Item = &'a StepReport>) -> Totals {
        let mut t = Totals::default();
        for s in steps {
            match s.outcome {
                Outcome::Passed => t.passed += 1,
                Outcome::Failed => t.failed += 1,
                Outcome::Skipped => t.skipped += 1,
            }
            t.step_time += s.elapsed;
        }
        t
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }
}
