//! One JSON object per step, one per line (JSON Lines): what was sent, what came back, each
//! check, and the times.

use serde_json::{Value, json};

use crate::replay::{Outcome, RunReport};

pub fn render(runs: &[RunReport]) -> String {
    let mut out = String::new();
    for run in runs {
        for step in &run.steps {
            let checks: Vec<Value> = step
                .checks
                .iter()
                .map(|c| {
                    json!({"subject": c.subject, "expected": c.expected, "actual": c.actual,
                           "passed": c.passed})
                })
                .collect();
            let object = json!({
                "run": run.name,
                "file": run.file.display().to_string(),
                "iteration": step.iteration,
                "index": step.index,
                "request": step.request,
                "title": step.title,
                "method": step.method,
                "url": step.url,
                "outcome": match step.outcome {
                    Outcome::Passed => "passed",
                    Outcome::Failed => "failed",
                    Outcome::Skipped => "skipped",
                },
                "status": step.status.as_ref().map(|(c, _)| *c),
                "reason": step.status.as_ref().map(|(_, r)| r.clone()),
                "ms": (step.elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
                "attempts": step.attempts,
                "checks": checks,
                "error": step.error,
                "skipped": step.skipped,
                "excerpt": step.excerpt,
            });
            out.push_str(&object.to_string());
            out.push('\n');
        }
    }
    out
}
