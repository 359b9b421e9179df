//! JUnit XML (through the `quick-junit` crate, which escapes and filters what XML cannot hold):
//! a testsuite per run, a testcase per step; a failure's message is its first problem, its text
//! every problem and the start of the response.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::cli::report::step_name;
use crate::replay::{Outcome, RunReport};

pub fn render(runs: &[RunReport], wall: Duration) -> String {
    let mut report = Report::new("scout run");
    report.set_time(wall);
    for run in runs {
        let mut suite = TestSuite::new(run.name.as_str());
        suite.set_time(run.elapsed);
        for step in &run.steps {
            let status = match step.outcome {
                Outcome::Passed => TestCaseStatus::success(),
                Outcome::Failed => {
                    let problems = step.problems();
                    let mut status = TestCaseStatus::non_success(if step.error.is_some() {
                        NonSuccessKind::Error
                    } else {
                        NonSuccessKind::Failure
                    });
                    status.set_message(problems.first().cloned().unwrap_or_default());
                    let mut text = problems.join("\n");
                    if let Some(excerpt) = &step.excerpt {
                        text.push_str(&format!(
                            "\nresponse ({}): {excerpt}",
                            step.content_type.as_deref().unwrap_or("no content type")
                        ));
                    }
                    status.set_description(text);
                    status
                }
                Outcome::Skipped => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(step.skipped.clone().unwrap_or_default());
                    status
                }
            };
            let mut case = TestCase::new(step_name(run, step), status);
            case.set_classname(format!("{}.{}", run.file.display(), run.name));
            case.set_time(step.elapsed);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- the report could not be written: {e} -->\n"))
}
