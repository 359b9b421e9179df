//! One step: planned by the one planner (with the run's captured values), sent by the one
//! executor (auth, retries, cookies, redirects), checked against its `expect`, its `capture`s
//! taken — and reported with every secret redacted.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

use crate::check::{Body, Capture, CheckResult, Expect, cut, evaluate, is_secret_capture};
use crate::collection::store::LoadedFile;
use crate::history::{HistoryRecord, Outcome as Stored};
use crate::http::HttpError;
use crate::http::auth::TokenCache;
use crate::http::client::ClientPool;
use crate::http::cookies::CookieJars;
use crate::http::executor::run;
use crate::http::job::{HttpEvent, RequestId};
use crate::http::plan::{Blocked, Input, Source, TimeoutInput, plan};
use crate::model::{Redactor, ResponseData, secret_header_values, wall_ms};
use crate::replay::baseline::Baseline;
use crate::replay::report::{Outcome, StepReport};
use crate::replay::target::PlannedStep;
use crate::template::{EnvSource, RunValue};

/// What every step of a run is sent with.
pub struct StepContext<'a> {
    pub file: &'a LoadedFile,
    pub environment: Option<&'a str>,
    /// `--var`.
    pub vars: &'a [(String, String)],
    pub env_source: &'a EnvSource,
    pub timeouts: TimeoutInput,
    pub work_dir: &'a Path,
    pub clients: &'a ClientPool,
    pub tokens: &'a TokenCache,
    pub jars: &'a CookieJars,
    /// The run's name, recorded with each exchange in the history.
    pub run_name: &'a str,
    /// Where each exchange's history record goes (already redacted).
    pub history: Option<&'a (dyn Fn(HistoryRecord) + Sync)>,
    /// Answers to prompts, by prompt key.
    pub prompts: &'a BTreeMap<String, String>,
    /// `--baseline`: where each step's response snapshot is compared or written.
    pub baseline: Option<&'a Baseline>,
}

/// Where one step's snapshot is, and whether this is the run's first repeat.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotAt<'a> {
    pub path: &'a Path,
    pub first_pass: bool,
}

/// A step done: its report, what it captured by name (a value, or why there is none:
/// `$.id matched nothing`), and the exchange itself when it was sent (the app shows it).
pub struct StepRun {
    pub report: StepReport,
    pub captured: Vec<(String, Result<RunValue, String>)>,
    pub exchange: Option<Box<StepExchange>>,
}

/// What a step sent and got: the request as sent (variables resolved), the response or the
/// transport error, and the secret values to redact wherever it is shown.
#[derive(Debug, Clone)]
pub struct StepExchange {
    pub sent: crate::model::RequestSpec,
    pub result: Result<ResponseData, HttpError>,
    pub secrets: Vec<String>,
    /// Wall-clock send time, unix milliseconds.
    pub sent_at_ms: u64,
}

/// The longest body excerpt a failed step keeps.
const EXCERPT: usize = 300;

/// A step's wait between sends when a check fails and it has `retries` but no `delay`.
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Sends `step` (the `index`th of its run, in repeat `iteration`) with the run's values so far,
/// again while a check fails and its `retries` allow; with `--baseline`, its response is
/// compared with (or written to) its snapshot `at`.
pub async fn run_step(
    ctx: &StepContext<'_>,
    step: &PlannedStep,
    index: usize,
    iteration: u32,
    run_values: &BTreeMap<String, RunValue>,
    id: RequestId,
    at: Option<SnapshotAt<'_>>,
) -> StepRun {
    let mut values = run_values.clone();
    for (k, v) in &step.vars {
        values.insert(
            k.clone(),
            RunValue {
                value: v.clone(),
                secret: false,
                from: "the step's vars".into(),
            },
        );
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (mut done, retryable) = send_once(ctx, step, &values, id, at).await;
        done.report.index = index;
        done.report.iteration = iteration;
        done.report.attempts = attempt;
        if done.report.outcome == Outcome::Passed || !retryable || attempt > step.retries {
            return done;
        }
        tokio::time::sleep(step.delay.unwrap_or(RETRY_DELAY)).await;
    }
}

/// One send of `step`; the flag says whether sending again could change the outcome (a step
/// that cannot be planned cannot).
async fn send_once(
    ctx: &StepContext<'_>,
    step: &PlannedStep,
    values: &BTreeMap<String, RunValue>,
    id: RequestId,
    at: Option<SnapshotAt<'_>>,
) -> (StepRun, bool) {
    let saved = &step.request;
    let mut report = StepReport {
        index: 0,
        iteration: 0,
        request: saved.path(),
        title: saved.title().to_string(),
        method: saved.method.as_str().to_string(),
        url: saved.url.clone(),
        status: None,
        content_type: None,
        elapsed: Duration::ZERO,
        outcome: Outcome::Failed,
        checks: Vec::new(),
        error: None,
        skipped: None,
        excerpt: None,
        attempts: 1,
    };
    let input = Input {
        file: Some(ctx.file),
        source: Source::Saved(saved),
        environment: ctx.environment,
        vars: ctx.vars,
        run_values: values,
        env_source: ctx.env_source,
        prompts: ctx.prompts,
        timeouts: ctx.timeouts,
        work_dir: ctx.work_dir,
    };
    let job = match plan(&input, id) {
        Ok(job) => job,
        Err(blocked) => {
            report.error = Some(not_planned(&blocked));
            return (
                StepRun {
                    report,
                    captured: Vec::new(),
                    exchange: None,
                },
                false,
            );
        }
    };
    let spec = job.spec.clone();
    let mut secrets = job.secrets.0.clone();
    let sent_at_ms = wall_ms(SystemTime::now());
    let (events, mut heard) = mpsc::unbounded_channel();
    let result = match ctx.clients.get(&job).await {
        Ok(client) => run(&client, job, ctx.tokens, ctx.jars, &events).await,
        Err(e) => Err(e),
    };
    drop(events);
    while let Ok(event) = heard.try_recv() {
        if let HttpEvent::Credentials { values, .. } = event {
            secrets.extend(values.0);
        }
    }
    let response = match result {
        Ok(response) => response,
        Err(err) => {
            let redactor = Redactor::new(secrets);
            report.url = redactor.redact_url(&spec.url);
            report.error = Some(redactor.redact_url(&transport_error(&err)));
            record(
                ctx,
                sent_at_ms,
                &spec,
                Stored::Failed {
                    title: err.title(),
                    message: err.to_string(),
                    hint: err.hint(),
                },
                &redactor,
            );
            // What it should have captured is missing, and says why.
            let captured = saved
                .capture
                .iter()
                .map(|(name, _)| {
                    let why = redactor.redact_url(&format!("it got no response ({err})"));
                    (name.clone(), Err(why))
                })
                .collect();
            let exchange = StepExchange {
                sent: spec,
                result: Err(err),
                secrets: redactor.secret_values().to_vec(),
                sent_at_ms,
            };
            return (
                StepRun {
                    report,
                    captured,
                    exchange: Some(Box::new(exchange)),
                },
                true,
            );
        }
    };
    let Checked {
        mut checks,
        captured,
        secrets,
    } = check_response(
        step.expect.as_ref(),
        &saved.capture,
        &saved.path(),
        &response,
        secrets,
    );
    let redactor = Redactor::new(secrets);
    if let (Some(baseline), Some(at)) = (ctx.baseline, at) {
        // A snapshot keeps no secret: every value redacted in the history, and the values of
        // the secret headers sent (an echo server returns them in its body).
        let snapshot_redactor = Redactor::new(
            redactor
                .secret_values()
                .iter()
                .cloned()
                .chain(secret_header_values(
                    spec.headers
                        .iter()
                        .filter(|h| h.enabled)
                        .map(|h| (h.key.as_str(), h.value.as_str())),
                )),
        );
        let passed = checks.iter().all(|c| c.passed);
        checks.extend(baseline.check(
            at.path,
            saved,
            &response,
            &snapshot_redactor,
            passed,
            at.first_pass,
        ));
    }
    let passed = checks.iter().all(|c| c.passed);
    report.url = redactor.redact_url(&spec.url);
    report.status = Some((response.status, response.reason.clone()));
    report.content_type = response.content_type().map(str::to_string);
    report.elapsed = response.elapsed;
    report.outcome = if passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    };
    report.checks = checks;
    if !passed {
        report.excerpt = excerpt(&response, &redactor);
    }
    record(
        ctx,
        sent_at_ms,
        &spec,
        Stored::Response(&response),
        &redactor,
    );
    let exchange = StepExchange {
        sent: spec,
        result: Ok(response),
        secrets: redactor.secret_values().to_vec(),
        sent_at_ms,
    };
    (
        StepRun {
            report,
            captured,
            exchange: Some(Box::new(exchange)),
        },
        true,
    )
}

/// A response checked: each expectation then each capture, and the values captured by name (or
/// why there is none: `$.id matched nothing`), secrets redacted from what the checks show.
pub struct Checked {
    pub checks: Vec<CheckResult>,
    pub captured: Vec<(String, Result<RunValue, String>)>,
    /// `secrets` given, and the secret values captured.
    pub secrets: Vec<String>,
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("checks", &self.checks)
            .field("captured", &self.captured)
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

/// Checks `response` against `expect` and takes `captures` from it (`by` is the request's
/// `folder/id`, for where a value came from). `secrets` are redacted from what the checks
/// show, with every captured value that is secret. Parses the body: CPU work for a large one.
pub fn check_response(
    expect: Option<&Expect>,
    captures: &[(String, Capture)],
    by: &str,
    response: &ResponseData,
    mut secrets: Vec<String>,
) -> Checked {
    let body = Body::new(response);
    // Captures first: a secret one is redacted from everything the checks show.
    let taken: Vec<(&String, &Capture, Result<String, String>)> = captures
        .iter()
        .map(|(name, capture)| (name, capture, capture.take(&body)))
        .collect();
    for (name, capture, value) in &taken {
        if let Ok(value) = value
            && is_secret_capture(name, capture)
        {
            secrets.push(value.clone());
        }
    }
    let redactor = Redactor::new(secrets.iter().cloned());
    let mut checks = expect
        .map(|e| evaluate(e, &body, &redactor))
        .unwrap_or_default();
    let mut captured = Vec::new();
    for (name, capture, value) in taken {
        checks.push(CheckResult {
            subject: format!("capture {name}"),
            expected: capture.describe(),
            // Redacted whole, then quoted (quoting first would escape a JSON value's quotes
            // and hide it from the redactor).
            actual: match &value {
                Ok(v) => format!("{:?}", cut(&redactor.redact_str(v), 100)),
                Err(why) => redactor.redact_url(why),
            },
            passed: value.is_ok(),
        });
        let value = value.map(|value| RunValue {
            // A value that holds a secret (an echoed token) is one.
            secret: redactor.redact_str(&value) != value,
            value,
            from: format!("captured by {by}"),
        });
        captured.push((name.clone(), value));
    }
    Checked {
        checks,
        captured,
        secrets,
    }
}

/// Hands the exchange to the history, redacted and marked with the run.
fn record(
    ctx: &StepContext<'_>,
    sent_at_ms: u64,
    spec: &crate::model::RequestSpec,
    outcome: Stored<'_>,
    redactor: &Redactor,
) {
    if let Some(history) = ctx.history {
        let mut record = HistoryRecord::from_exchange(0, sent_at_ms, spec, outcome, redactor);
        record.run = Some(ctx.run_name.to_string());
        history(record);
    }
}

/// Why a step could not be planned, and how to fix it.
fn not_planned(blocked: &Blocked) -> String {
    match blocked {
        Blocked::Prompt { key, var } => format!(
            "{key} is asked at a prompt, and a run cannot ask: {}",
            match var {
                Some(name) => format!(
                    "give it with --var {name}=VALUE (in the app: send a request that asks for \
                     it first)"
                ),
                None => "write `{{prompt:NAME}}` there and give --var NAME=VALUE (in the app: \
                         send a request that asks for it first)"
                    .to_string(),
            }
        ),
        other => other.to_string(),
    }
}

fn transport_error(err: &HttpError) -> String {
    format!("{}: {err} — {}", err.title(), err.hint())
}

/// The start of the body on one line, for a failed step's report.
fn excerpt(response: &ResponseData, redactor: &Redactor) -> Option<String> {
    (!response.body.is_empty()).then(|| {
        // The start is plenty: only that much of a large body is decoded.
        let start = &response.body[..crate::model::cut_len(&response.body, 64 * 1024)];
        crate::check::excerpt(&String::from_utf8_lossy(start), EXCERPT, redactor)
    })
}
