//! Driving runs: steps start in file order as soon as the steps they need a variable from are
//! done (at most `jobs` at a time), each sees the values captured before it, a step whose
//! needed value was not captured is skipped with the reason, `bail` stops at the first failure,
//! and a stop (Ctrl+C, Esc) drops what is in flight and keeps what is done.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::collection::store::LoadedFile;
use crate::history::HistoryRecord;
use crate::http::auth::TokenCache;
use crate::http::client::ClientPool;
use crate::http::cookies::CookieJars;
use crate::http::plan::TimeoutInput;
use crate::replay::baseline::Baseline;
use crate::replay::deps::{Need, StepVars, check_cycles, needs, variables_used};
use crate::replay::report::{Outcome, RunReport, StepReport};
use crate::replay::step::{SnapshotAt, StepContext, StepExchange, StepRun, run_step};
use crate::replay::target::RunPlan;
use crate::template::{EnvSource, RunValue};

/// How runs are sent.
pub struct Options<'a> {
    /// The loaded collection files the plans point into.
    pub files: &'a [LoadedFile],
    /// Each file's `{{env.*}}` source (its `.env` read beforehand), by file index.
    pub env_sources: &'a [EnvSource],
    pub environment: Option<&'a str>,
    /// `--var`: above everything a run captures.
    pub vars: &'a [(String, String)],
    pub timeouts: TimeoutInput,
    pub work_dir: &'a Path,
    /// Steps in flight at most (1: one after the other).
    pub jobs: usize,
    /// Stop at the first failed step.
    pub bail: bool,
    /// Times each run goes (on top of its own `repeat`).
    pub repeat: u32,
    pub history: Option<&'a (dyn Fn(HistoryRecord) + Sync)>,
    /// Values every pass starts with (the app's values captured earlier in the session).
    pub seed: &'a BTreeMap<String, RunValue>,
    /// Answers to prompts, by prompt key (the app's, typed earlier in the session): a run
    /// cannot ask.
    pub prompts: &'a BTreeMap<String, String>,
}

/// What happens as runs go, for progress displays.
#[derive(Debug)]
pub enum RunEvent<'a> {
    RunStarted {
        name: &'a str,
        file: &'a Path,
        /// Steps in all its repeats.
        steps: usize,
    },
    StepStarted {
        run: &'a str,
        index: usize,
        request: &'a str,
        method: &'a str,
    },
    StepDone {
        run: &'a str,
        report: &'a StepReport,
        /// What it sent and got (`None` when it was not sent).
        exchange: Option<Box<StepExchange>>,
        /// The values it captured.
        captured: &'a [(String, RunValue)],
    },
}

/// Runs checked and ordered: nothing is sent until every run has an order.
pub struct Prepared {
    plans: Vec<(RunPlan, Vec<Vec<Need>>)>,
    /// `--baseline`: the folder, and each plan's snapshot file per step.
    baseline: Option<(Baseline, Vec<Vec<PathBuf>>)>,
}

/// Checks that every run of `plans` (steps of `files`) has an order — no circle of captures —
/// with `environment` and the `given` (`--var`) names; `Err` says which steps wait for each
/// other.
pub fn prepare(
    plans: Vec<RunPlan>,
    files: &[LoadedFile],
    environment: Option<&str>,
    given: &[(String, String)],
) -> Result<Prepared, String> {
    let given: BTreeSet<String> = given.iter().map(|(k, _)| k.clone()).collect();
    let mut out = Vec::new();
    for plan in plans {
        let LoadedFile::Ok { collection, .. } = &files[plan.file] else {
            return Err(format!(
                "{}: the file did not load",
                files[plan.file].path().display()
            ));
        };
        let vars: Vec<StepVars> = plan
            .steps
            .iter()
            .map(|s| StepVars {
                uses: variables_used(collection, environment, &s.request),
                own: s.vars.iter().map(|(k, _)| k.clone()).collect(),
                captures: s.request.capture.iter().map(|(k, _)| k.clone()).collect(),
            })
            .collect();
        let needs = needs(&vars, &given);
        let names: Vec<String> = plan.steps.iter().map(|s| s.request.path()).collect();
        check_cycles(&needs, &names).map_err(|e| format!("run `{}`: {e}", plan.name))?;
        out.push((plan, needs));
    }
    Ok(Prepared {
        plans: out,
        baseline: None,
    })
}

/// Why the runs ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// `stop` fired (Ctrl+C, Esc).
    Interrupted,
    /// A step failed under `bail`.
    Bailed,
}

/// How a step slot stands.
enum Slot {
    Pending,
    Running,
    Done,
}

impl Prepared {
    pub fn plans(&self) -> impl Iterator<Item = &RunPlan> {
        self.plans.iter().map(|(p, _)| p)
    }

    /// These runs (of `files`) with each step's response compared with its snapshot in
    /// `baseline`, or written there; an error when two steps would share a snapshot.
    pub fn with_baseline(
        mut self,
        baseline: Baseline,
        files: &[LoadedFile],
    ) -> Result<Prepared, String> {
        let plans: Vec<RunPlan> = self.plans.iter().map(|(p, _)| p.clone()).collect();
        let paths = baseline.paths_for(&plans, files)?;
        self.baseline = Some((baseline, paths));
        Ok(self)
    }

    /// Sends every run, reporting as it goes; returns the reports (steps in run order) and why
    /// it ended early, if it did. Steps not sent are in the reports as skipped, with why.
    /// The widest step name these runs will report when each goes `repeat` times on top of its
    /// own (`folder/id`, with ` #N` on a repeat), in terminal cells, so a report can line its
    /// columns up.
    pub fn name_width(&self, repeat: u32) -> usize {
        self.plans
            .iter()
            .flat_map(|(plan, _)| {
                let repeats = plan.repeat.max(1) * repeat.max(1);
                let repeat = if repeats > 1 {
                    2 + repeats.to_string().len()
                } else {
                    0
                };
                plan.steps.iter().map(move |s| {
                    unicode_width::UnicodeWidthStr::width(s.request.path().as_str()) + repeat
                })
            })
            .max()
            .unwrap_or(0)
    }

    pub async fn run(
        &self,
        options: &Options<'_>,
        clients: &ClientPool,
        stop: impl Future<Output = ()>,
        mut on_event: impl FnMut(RunEvent<'_>),
    ) -> (Vec<RunReport>, Option<Stopped>) {
        let mut stop = std::pin::pin!(stop);
        let mut reports = Vec::new();
        let mut next_id = 1;
        // Once stopped, what is left is still reported, as not run.
        let mut stopped = None;
        for (p, (plan, needs)) in self.plans.iter().enumerate() {
            let file = &options.files[plan.file];
            let snapshots = self
                .baseline
                .as_ref()
                .map(|(_, paths)| paths[p].as_slice())
                .unwrap_or_default();
            let repeats = plan.repeat.max(1) * options.repeat.max(1);
            let started = Instant::now();
            on_event(RunEvent::RunStarted {
                name: &plan.name,
                file: file.path(),
                steps: plan.steps.len() * repeats as usize,
            });
            let (tokens, jars) = (TokenCache::default(), CookieJars::new());
            let ctx = StepContext {
                file,
                environment: options.environment,
                vars: options.vars,
                env_source: &options.env_sources[plan.file],
                timeouts: options.timeouts,
                work_dir: options.work_dir,
                clients,
                tokens: &tokens,
                jars: &jars,
                run_name: &plan.name,
                history: options.history,
                prompts: options.prompts,
                baseline: self.baseline.as_ref().map(|(b, _)| b),
            };
            let mut steps = Vec::new();
            for iteration in 0..repeats {
                if let Some(why) = stopped {
                    // Repeats after a stop are reported, as not run.
                    for (i, step) in plan.steps.iter().enumerate() {
                        let index = iteration as usize * plan.steps.len() + i;
                        let report = skipped(step, index, iteration, not_run(Some(why)).into());
                        on_event(RunEvent::StepDone {
                            run: &plan.name,
                            report: &report,
                            exchange: None,
                            captured: &[],
                        });
                        steps.push(report);
                    }
                    continue;
                }
                let first = iteration == 0;
                let (done, why) = run_iteration(
                    &ctx,
                    plan,
                    needs,
                    snapshots,
                    iteration,
                    first,
                    options,
                    &mut next_id,
                    &mut stop,
                    &mut on_event,
                )
                .await;
                steps.extend(done);
                stopped = stopped.or(why);
            }
            reports.push(RunReport {
                name: plan.name.clone(),
                file: file.path().to_path_buf(),
                steps,
                elapsed: started.elapsed(),
            });
        }
        (reports, stopped)
    }
}

/// A step being sent, with its place in the run.
type StepFuture<'a> = Pin<Box<dyn Future<Output = (usize, StepRun)> + Send + 'a>>;

/// One pass over a run's steps.
#[allow(clippy::too_many_arguments)]
async fn run_iteration<'a>(
    ctx: &'a StepContext<'a>,
    plan: &'a RunPlan,
    needs: &[Vec<Need>],
    snapshots: &'a [PathBuf],
    iteration: u32,
    first_pass: bool,
    options: &Options<'_>,
    next_id: &mut u64,
    stop: &mut Pin<&mut impl Future<Output = ()>>,
    on_event: &mut impl FnMut(RunEvent<'_>),
) -> (Vec<StepReport>, Option<Stopped>) {
    let n = plan.steps.len();
    let base = iteration as usize * n;
    let mut slots: Vec<Slot> = (0..n).map(|_| Slot::Pending).collect();
    let mut reports: Vec<Option<StepReport>> = vec![None; n];
    let mut values: BTreeMap<String, RunValue> = options.seed.clone();
    // (step, variable) → why that step did not capture it.
    let mut missing: HashMap<(usize, String), String> = HashMap::new();
    let mut in_flight: FuturesUnordered<StepFuture<'a>> = FuturesUnordered::new();
    let mut launched = 0usize;
    let mut stopped: Option<Stopped> = None;
    let jobs = options.jobs.max(1);
    loop {
        // Start what can start, lowest step first.
        while stopped.is_none() && in_flight.len() < jobs {
            let ready = (0..n).find(|&i| {
                matches!(slots[i], Slot::Pending)
                    && needs[i]
                        .iter()
                        .all(|need| matches!(slots[need.step], Slot::Done))
            });
            let Some(i) = ready else { break };
            let step = &plan.steps[i];
            if let Some(why) = needs[i]
                .iter()
                .find_map(|need| {
                    missing
                        .get(&(need.step, need.var.clone()))
                        .map(|w| (need, w))
                })
                .map(|(need, why)| {
                    format!(
                        "needs {}, which {} did not capture: {why}",
                        need.var,
                        plan.steps[need.step].request.path()
                    )
                })
            {
                let report = skipped(step, base + i, iteration, why.clone());
                note_missing(&mut missing, i, step, &format!("it was skipped ({why})"));
                on_event(RunEvent::StepDone {
                    run: &plan.name,
                    report: &report,
                    exchange: None,
                    captured: &[],
                });
                slots[i] = Slot::Done;
                reports[i] = Some(report);
                continue;
            }
            let delay = match (launched, first_pass) {
                (0, true) => None,
                _ => step.delay.or(plan.delay),
            };
            launched += 1;
            slots[i] = Slot::Running;
            let id = *next_id;
            *next_id += 1;
            on_event(RunEvent::StepStarted {
                run: &plan.name,
                index: base + i,
                request: &plan.steps[i].request.id,
                method: plan.steps[i].request.method.as_str(),
            });
            let snapshot = values.clone();
            in_flight.push(Box::pin(async move {
                if let Some(d) = delay.filter(|d| !d.is_zero()) {
                    tokio::time::sleep(d).await;
                }
                let at = snapshots.get(i).map(|path| SnapshotAt { path, first_pass });
                let done = run_step(ctx, step, base + i, iteration, &snapshot, id, at).await;
                (i, done)
            }));
        }
        if in_flight.is_empty() {
            break;
        }
        let finished = tokio::select! {
            biased;
            () = stop.as_mut() => None,
            next = in_flight.next() => next,
        };
        let Some((i, done)) = finished else {
            stopped = Some(Stopped::Interrupted);
            break;
        };
        let StepRun {
            report,
            captured,
            exchange,
        } = done;
        let mut taken = Vec::new();
        for (name, result) in captured {
            match result {
                Ok(value) => {
                    values.insert(name.clone(), value.clone());
                    taken.push((name, value));
                }
                Err(why) => {
                    missing.insert((i, name), why);
                }
            }
        }
        // Captures it could not even try are missing too — whatever value an earlier step (or
        // the session) left under the name: a step that needs this one's must not get that.
        let why = report
            .error
            .clone()
            .unwrap_or_else(|| "the step failed".to_string());
        for (name, _) in &plan.steps[i].request.capture {
            if !taken.iter().any(|(n, _)| n == name) {
                missing
                    .entry((i, name.clone()))
                    .or_insert_with(|| format!("it could not be sent ({why})"));
            }
        }
        if report.outcome == Outcome::Failed && options.bail {
            stopped = Some(Stopped::Bailed);
        }
        on_event(RunEvent::StepDone {
            run: &plan.name,
            report: &report,
            exchange,
            captured: &taken,
        });
        slots[i] = Slot::Done;
        reports[i] = Some(report);
    }
    // What did not run, and why.
    let why = not_run(stopped);
    let mut out = Vec::with_capacity(n);
    for (i, report) in reports.into_iter().enumerate() {
        let report = report.unwrap_or_else(|| {
            let why = match slots[i] {
                Slot::Running => "stopped while sending",
                _ => why,
            };
            let report = skipped(&plan.steps[i], base + i, iteration, why.to_string());
            on_event(RunEvent::StepDone {
                run: &plan.name,
                report: &report,
                exchange: None,
                captured: &[],
            });
            report
        });
        out.push(report);
    }
    (out, stopped)
}

/// Why a step was not sent.
fn not_run(stopped: Option<Stopped>) -> &'static str {
    match stopped {
        Some(Stopped::Interrupted) => "not run: the run was stopped",
        Some(Stopped::Bailed) => "not run: --bail stops at the first failure",
        None => "not run",
    }
}

/// Records why step `i`'s captures are missing.
fn note_missing(
    missing: &mut HashMap<(usize, String), String>,
    i: usize,
    step: &crate::replay::target::PlannedStep,
    why: &str,
) {
    for (name, _) in &step.request.capture {
        missing.insert((i, name.clone()), why.to_string());
    }
}

fn skipped(
    step: &crate::replay::target::PlannedStep,
    index: usize,
    iteration: u32,
    why: String,
) -> StepReport {
    StepReport {
        index,
        iteration,
        request: step.request.path(),
        title: step.request.title().to_string(),
        method: step.request.method.as_str().to_string(),
        url: step.request.url.clone(),
        status: None,
        content_type: None,
        elapsed: Duration::ZERO,
        outcome: Outcome::Skipped,
        checks: Vec::new(),
        error: None,
        skipped: Some(why),
        excerpt: None,
        attempts: 0,
    }
}
