//! The report for people: a heading per run, one line per step as it finishes (✓, ✗ or –, the
//! method, the request, the status and the time), each failure's expected vs actual and the
//! start of the response under it (and a note such as `baseline written: FILE`), and a summary.

use std::fmt::Write as _;
use std::time::Duration;

use crate::model::human_duration;
use crate::replay::{Outcome, RunReport, StepReport, Totals};

/// Colours for a terminal (none when `NO_COLOR` is set or output is not a terminal).
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn green(self, t: &str) -> String {
        self.wrap("32", t)
    }
    fn red(self, t: &str) -> String {
        self.wrap("31", t)
    }
    fn yellow(self, t: &str) -> String {
        self.wrap("33", t)
    }
    fn dim(self, t: &str) -> String {
        self.wrap("2", t)
    }
    fn bold(self, t: &str) -> String {
        self.wrap("1", t)
    }
}

/// The heading of a run.
pub fn run_heading(name: &str, file: &std::path::Path, paint: Paint) -> String {
    format!(
        "{} {}\n",
        paint.bold(name),
        paint.dim(&format!("({})", file.display()))
    )
}

/// The narrowest the request column is, so short names still line up with the usual ones.
const NAME_COLUMN: usize = 28;

/// A finished step: its line, and under a failure what went wrong. `name_width` is the widest
/// step name of the runs, so every line's status starts in the same column.
pub fn step_lines(step: &StepReport, paint: Paint, name_width: usize) -> String {
    let mut out = String::new();
    let name = shown_name(step);
    let (mark, detail) = match step.outcome {
        Outcome::Passed => (paint.green("✓"), status_and_time(step)),
        Outcome::Failed => (paint.red("✗"), status_and_time(step)),
        Outcome::Skipped => (
            paint.yellow("–"),
            paint.yellow(&format!(
                "skipped: {}",
                step.skipped.as_deref().unwrap_or("not run")
            )),
        ),
    };
    // Padded by terminal cells: a name in 日本語 lines up too.
    let _ = writeln!(
        out,
        "  {mark} {:<7} {} {detail}",
        step.method,
        crate::ui::text::pad(
            &name,
            NAME_COLUMN
                .max(name_width)
                .max(crate::ui::text::width(&name))
        )
    );
    for note in step.notes() {
        let _ = writeln!(out, "      {}", paint.dim(&note));
    }
    if step.outcome == Outcome::Failed {
        for problem in step.problems() {
            let _ = writeln!(out, "      {}", paint.red(&problem));
        }
        if let Some(excerpt) = &step.excerpt {
            let what = step.content_type.as_deref().unwrap_or("no content type");
            let _ = writeln!(
                out,
                "      {}",
                paint.dim(&format!("response ({what}): {excerpt}"))
            );
        }
    }
    out
}

/// A step's name as its line shows it: `folder/id`, and ` #2` on a repeat.
fn shown_name(step: &StepReport) -> String {
    if step.iteration > 0 {
        format!("{} #{}", step.request, step.iteration + 1)
    } else {
        step.request.clone()
    }
}

fn status_and_time(step: &StepReport) -> String {
    let status = step
        .status
        .as_ref()
        .map(|(code, reason)| format!("{code} {reason}"))
        .unwrap_or_else(|| "no response".into());
    let mut s = format!(
        "{} {}",
        crate::ui::text::pad(&status, 24.max(crate::ui::text::width(&status))),
        human_duration(step.elapsed)
    );
    if step.attempts > 1 {
        let _ = write!(s, " ({} sends)", step.attempts);
    }
    s
}

/// `7 passed, 1 failed, 1 skipped in 25 ms`, with the steps' own total when they overlapped.
pub fn summary(runs: &[RunReport], wall: Duration, jobs: usize, paint: Paint) -> String {
    let t = Totals::of(runs.iter().flat_map(|r| &r.steps));
    let passed = format!("{} passed", t.passed);
    let failed = format!("{} failed", t.failed);
    let skipped = format!("{} skipped", t.skipped);
    let mut line = format!(
        "{}, {}, {} in {}",
        if t.passed > 0 {
            paint.green(&passed)
        } else {
            passed
        },
        if t.failed > 0 {
            paint.red(&failed)
        } else {
            failed
        },
        if t.skipped > 0 {
            paint.yellow(&skipped)
        } else {
            skipped
        },
        human_duration(wall)
    );
    if jobs > 1 {
        let _ = write!(
            line,
            " (the steps took {} together",
            human_duration(t.step_time)
        );
        let speedup = t.step_time.as_secs_f64() / wall.as_secs_f64().max(1e-9);
        if speedup >= 1.1 {
            let _ = write!(line, ": --jobs {jobs} ran them {speedup:.1}× faster");
        }
        line.push(')');
    }
    line.push('\n');
    line
}

/// The whole report at once (for `--output`): what the live report prints, in run order.
pub fn full(runs: &[RunReport], wall: Duration, jobs: usize, colour: bool) -> String {
    let paint = Paint(colour);
    let name_width = runs
        .iter()
        .flat_map(|r| &r.steps)
        .map(|s| crate::ui::text::width(&shown_name(s)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for run in runs {
        out.push_str(&run_heading(&run.name, &run.file, paint));
        for step in &run.steps {
            out.push_str(&step_lines(step, paint, name_width));
        }
    }
    out.push_str(&summary(runs, wall, jobs, paint));
    out
}
