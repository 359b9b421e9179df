//! The Runner pane's state: a run of saved requests as checked steps (`Ctrl+G` on the tree's
//! selection), replayed by the same runner as `scout run` in the background. Each step's row
//! goes pending → sending → ✓/✗/skipped with its time; its exchange joins the history (marked
//! with the run), so moving over a row shows its response and Checks tab. `r` sends the
//! selected step again, `f` the failed ones (with the values the run captured), `Esc` stops
//! (keeping what ran), `x` closes the pane.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::app::exchange::{CheckPlan, Exchange, ExchangeState};
use crate::app::hits::List;
use crate::app::keymap::{Action, Scope};
use crate::app::list::ListState;
use crate::app::tree::Row;
use crate::app::{App, Effect, Notice, Pane, ResponseTab, view};
use crate::collection::store::LoadedFile;
use crate::history::{HistoryRecord, next_id};
use crate::http::job::RequestId;
use crate::model::{human_duration, wall_ms};
use crate::replay::step::StepExchange;
use crate::replay::{Outcome, PlannedStep, RunPlan, StepReport, Totals, prepare};
use crate::template::RunValue;

/// A run shown in the Runner pane.
#[derive(Debug)]
pub struct Runner {
    /// What was run: a run's name, a folder, a request, or the collection.
    pub name: String,
    /// The collection file (its path: the tree may reload).
    pub path: PathBuf,
    pub rows: Vec<RunnerRow>,
    pub list: ListState,
    /// Messages of an older run (before a re-run started) are dropped.
    pub generation: u64,
    pub running: bool,
    /// Stopped with Esc before the end.
    pub stopped: bool,
    pub started: Instant,
    /// Wall time of the last run, once it ended.
    pub elapsed: Option<Duration>,
    /// Which row each step of the current run fills: `[plan][step index]`.
    row_of: Vec<Vec<usize>>,
}

/// One step's row.
#[derive(Debug, Clone)]
pub struct RunnerRow {
    pub step: PlannedStep,
    pub state: RowState,
    pub report: Option<StepReport>,
    /// Its exchange in the history, once sent.
    pub exchange: Option<RequestId>,
    pub started: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Pending,
    Sending,
    Done(Outcome),
}

/// What the background run reports, for [`crate::app::Msg::Run`].
#[derive(Debug)]
pub enum RunMsg {
    StepStarted {
        generation: u64,
        plan: usize,
        index: usize,
    },
    StepDone {
        generation: u64,
        plan: usize,
        report: Box<StepReport>,
        exchange: Option<Box<StepExchange>>,
        captured: Vec<(String, RunValue)>,
    },
    /// The run ended (`stopped`: by Esc).
    Finished { generation: u64, stopped: bool },
    /// It could not start (the steps wait for each other in a circle).
    Failed { generation: u64, message: String },
}

impl Runner {
    pub fn totals(&self) -> Totals {
        Totals::of(self.rows.iter().filter_map(|r| r.report.as_ref()))
    }

    fn selected(&self) -> Option<&RunnerRow> {
        self.rows.get(self.list.selected)
    }
}

/// `Ctrl+G`: runs what the tree has selected — a run, a request, a folder, or the collection
/// (its runs, else every request).
pub fn start(app: &mut App) -> Vec<Effect> {
    if app.runner.as_ref().is_some_and(|r| r.running) {
        app.notice = Some(Notice::Info(format!(
            "A run is going: {} stops it first",
            app.keymap.key(Scope::Typing, Action::Cancel)
        )));
        return Vec::new();
    }
    let Some(row) = app.tree.selected_row() else {
        app.notice = Some(Notice::Info(
            "Select a collection, folder, request or run to run it".into(),
        ));
        return Vec::new();
    };
    let file = row.file();
    let Some(tree_file) = app.tree.files.get(file) else {
        return Vec::new();
    };
    let Some(c) = tree_file.collection() else {
        app.notice = Some(Notice::Error(format!(
            "{} did not load: fix it first",
            tree_file.path().display()
        )));
        return Vec::new();
    };
    let (name, targets) = match &row {
        Row::Run { index, .. } => (
            c.runs[*index].name.clone(),
            vec![c.runs[*index].name.clone()],
        ),
        Row::Request { index, .. } => {
            let path = c.requests[*index].path();
            (path.clone(), vec![path])
        }
        Row::Folder { path, .. } => (format!("{path}/"), vec![path.clone()]),
        Row::Collection { .. } | Row::Broken { .. } => (c.name.clone(), Vec::new()),
    };
    let plans = match crate::replay::select(std::slice::from_ref(&tree_file.loaded), &targets) {
        Ok(plans) => plans,
        Err(e) => {
            app.notice = Some(Notice::Error(format!("Not run: {e}")));
            return Vec::new();
        }
    };
    let path = tree_file.path().to_path_buf();
    let mut rows = Vec::new();
    let mut row_of = Vec::new();
    for plan in &plans {
        let mut of = Vec::new();
        for _ in 0..plan.repeat.max(1) {
            for step in &plan.steps {
                of.push(rows.len());
                rows.push(RunnerRow {
                    step: step.clone(),
                    state: RowState::Pending,
                    report: None,
                    exchange: None,
                    started: None,
                });
            }
        }
        row_of.push(of);
    }
    // `launch` moves it on: messages of an earlier run are then dropped.
    let generation = app.runner.as_ref().map_or(0, |r| r.generation);
    app.runner = Some(Runner {
        name,
        path: path.clone(),
        rows,
        list: ListState::default(),
        generation,
        running: false,
        stopped: false,
        started: app.now,
        elapsed: None,
        row_of,
    });
    // The Runner pane takes the history's place; on a terminal too narrow for that column the
    // notice line reports the run instead, and the focus stays where it is.
    if app
        .hits
        .panes
        .iter()
        .any(|(p, _)| matches!(p, Pane::History | Pane::Runner))
    {
        app.focus = Pane::Runner;
    }
    launch(app, plans)
}

/// Sends `plans` of the runner's file, seeded with the session's captured values and the run's.
fn launch(app: &mut App, plans: Vec<RunPlan>) -> Vec<Effect> {
    let Some(runner) = app.runner.as_mut() else {
        return Vec::new();
    };
    let Some(file) = app.tree.files.iter().find(|f| f.path() == runner.path) else {
        app.notice = Some(Notice::Error("The collection is gone".into()));
        return Vec::new();
    };
    let environment = app.tree.environments.get(&runner.path).cloned();
    let loaded: LoadedFile = file.loaded.clone();
    // Checked here, so a circle of captures is said at once and nothing is sent.
    if let Err(e) = prepare(
        plans.clone(),
        std::slice::from_ref(&loaded),
        environment.as_deref(),
        &[],
    ) {
        runner.running = false;
        app.notice = Some(Notice::Error(format!("Not run: {e}")));
        return Vec::new();
    }
    let mut env_source = file.env_source.clone();
    for (k, v) in &app.injected {
        env_source = env_source.with_injected(k, v);
    }
    // The session's captured values, the run's among them (one store: `x` in the environment
    // picker forgets them for runs too).
    let seed = app.captured.get(&runner.path).cloned().unwrap_or_default();
    runner.generation += 1;
    runner.running = true;
    runner.stopped = false;
    runner.started = app.now;
    runner.elapsed = None;
    app.notice = None;
    vec![Effect::StartRun(Box::new(crate::app::msg::RunJob {
        generation: runner.generation,
        file: loaded,
        env_source,
        plans,
        environment,
        seed,
        prompts: app.prompted.get(&runner.path).cloned().unwrap_or_default(),
        timeouts: app.timeouts,
        work_dir: app.work_dir.clone(),
    }))]
}

/// `r` (the selected step) or `f` (every failed or skipped one): sent again, in their order,
/// as the file has them now (fix a request, then `f`), with the values captured so far.
pub fn rerun(app: &mut App, failed_only: bool) -> Vec<Effect> {
    let Some(runner) = app.runner.as_ref() else {
        return Vec::new();
    };
    if runner.running {
        return Vec::new();
    }
    let rows: Vec<usize> = if failed_only {
        (0..runner.rows.len())
            .filter(|&i| {
                matches!(
                    runner.rows[i].state,
                    RowState::Done(Outcome::Failed | Outcome::Skipped)
                )
            })
            .collect()
    } else {
        (runner.list.selected < runner.rows.len())
            .then_some(runner.list.selected)
            .into_iter()
            .collect()
    };
    if rows.is_empty() {
        app.notice = Some(Notice::Info("Nothing failed: nothing to run again".into()));
        return Vec::new();
    }
    let file = app.tree.files.iter().find(|f| f.path() == runner.path);
    let Some(collection) = file.and_then(|f| f.collection()) else {
        app.notice = Some(Notice::Error(format!(
            "Not run: {} did not load",
            runner.path.display()
        )));
        return Vec::new();
    };
    let mut steps = Vec::new();
    for &i in &rows {
        let step = &runner.rows[i].step;
        let Some(request) = collection.find(&step.request.path()) else {
            app.notice = Some(Notice::Error(format!(
                "Not run: {} is no longer in {}",
                step.request.path(),
                runner.path.display()
            )));
            return Vec::new();
        };
        steps.push(step.refreshed(request));
    }
    let plan = RunPlan {
        name: runner.name.clone(),
        file: 0,
        steps,
        repeat: 1,
        delay: None,
    };
    // Checked before the rows are touched: a run that cannot start keeps what it showed.
    let effects = launch(app, vec![plan.clone()]);
    if effects.is_empty() {
        return effects;
    }
    let Some(runner) = app.runner.as_mut() else {
        return Vec::new();
    };
    for (&i, step) in rows.iter().zip(plan.steps) {
        let row = &mut runner.rows[i];
        row.step = step;
        row.state = RowState::Pending;
        row.report = None;
        row.started = None;
    }
    runner.row_of = vec![rows];
    effects
}

/// What the background run reports.
pub fn on_msg(app: &mut App, msg: RunMsg) -> Vec<Effect> {
    let generation = match &msg {
        RunMsg::StepStarted { generation, .. }
        | RunMsg::StepDone { generation, .. }
        | RunMsg::Finished { generation, .. }
        | RunMsg::Failed { generation, .. } => *generation,
    };
    let now = app.now;
    let Some(runner) = app.runner.as_mut().filter(|r| r.generation == generation) else {
        return Vec::new();
    };
    match msg {
        RunMsg::StepStarted { plan, index, .. } => {
            if let Some(row) = row(runner, plan, index) {
                row.state = RowState::Sending;
                row.started = Some(now);
            }
            Vec::new()
        }
        RunMsg::StepDone {
            plan,
            report,
            exchange,
            captured,
            ..
        } => {
            let path = runner.path.clone();
            let name = runner.name.clone();
            let Some(at) = runner
                .row_of
                .get(plan)
                .and_then(|p| p.get(report.index))
                .copied()
            else {
                return Vec::new();
            };
            let step = runner.rows[at].step.clone();
            runner.rows[at].state = RowState::Done(report.outcome);
            let checks = report.checks.clone();
            runner.rows[at].report = Some(*report);
            // The session keeps what the run captured, as a single send would.
            app.captured
                .entry(path.clone())
                .or_default()
                .extend(captured);
            let Some(exchange) = exchange else {
                return Vec::new();
            };
            let id = app.next_id;
            app.next_id += 1;
            let StepExchange {
                sent,
                result,
                secrets,
                sent_at_ms,
            } = *exchange;
            let state = match result {
                Ok(response) => ExchangeState::Done {
                    response: Box::new(response),
                    view: Box::default(),
                },
                Err(e) => ExchangeState::Failed(e),
            };
            app.history.entries.push(Exchange {
                sent,
                secrets: crate::model::Secrets(secrets),
                sent_at_ms,
                check: CheckPlan::of(&step.request, step.expect.as_ref(), &path).map(Box::new),
                checks: Some(checks),
                run: Some(name),
                ..Exchange::new(id, step.request.to_spec(), state, now)
            });
            if let Some(r) = app.runner.as_mut() {
                r.rows[at].exchange = Some(id);
            }
            // The selected row's response follows it as it arrives.
            if app.runner.as_ref().is_some_and(|r| r.list.selected == at) {
                show_row(app);
            }
            // Its history record comes on its own (`Msg::RunRecord`).
            Vec::new()
        }
        RunMsg::Finished { stopped, .. } => {
            runner.running = false;
            runner.stopped = stopped;
            runner.elapsed = Some(now.saturating_duration_since(runner.started));
            for row in &mut runner.rows {
                if row.state == RowState::Sending {
                    row.state = RowState::Done(Outcome::Skipped);
                }
            }
            let t = runner.totals();
            let summary = format!(
                "Run {}: {} passed, {} failed, {} skipped in {}{}",
                runner.name,
                t.passed,
                t.failed,
                t.skipped,
                human_duration(runner.elapsed.unwrap_or_default()),
                if stopped { " (stopped)" } else { "" }
            );
            app.notice = Some(if t.failed > 0 {
                Notice::Error(summary)
            } else {
                Notice::Info(summary)
            });
            Vec::new()
        }
        RunMsg::Failed { message, .. } => {
            runner.running = false;
            app.notice = Some(Notice::Error(format!("Not run: {message}")));
            Vec::new()
        }
    }
}

/// A step's exchange as the history stores it (built and redacted off the UI thread): numbered
/// here, written by the history writer.
pub fn record(app: &mut App, mut record: Box<HistoryRecord>) -> Vec<Effect> {
    let Some(path) = app.history_path.clone() else {
        return Vec::new();
    };
    record.id = next_id(app.last_history_id, wall_ms(app.wall));
    app.last_history_id = record.id;
    vec![Effect::AppendHistory { path, record }]
}

fn row(runner: &mut Runner, plan: usize, index: usize) -> Option<&mut RunnerRow> {
    let at = *runner.row_of.get(plan)?.get(index)?;
    runner.rows.get_mut(at)
}

/// Keys in the Runner pane.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(runner) = app.runner.as_mut() else {
        return Vec::new();
    };
    let len = runner.rows.len();
    let page = app.hits.rows_of(List::Runner).unwrap_or(10);
    if runner.list.step(action, len, page) {
        show_row(app);
        return Vec::new();
    }
    match action {
        Action::Select => open_row(app),
        Action::RerunStep => return rerun(app, false),
        Action::RerunFailed => return rerun(app, true),
        Action::CloseRunner => {
            if runner.running {
                app.notice = Some(Notice::Info(format!(
                    "The run is going: {} stops it",
                    app.keymap.key(Scope::Typing, Action::Cancel)
                )));
            } else {
                app.runner = None;
                app.focus = Pane::History;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A click on row `index`.
pub fn click(app: &mut App, index: usize) {
    let Some(runner) = app.runner.as_mut() else {
        return;
    };
    if runner.list.click(index, runner.rows.len()) {
        show_row(app);
    }
}

/// The response pane shows the selected step's exchange, on its Checks tab.
fn show_row(app: &mut App) {
    let Some(id) = app
        .runner
        .as_ref()
        .and_then(Runner::selected)
        .and_then(|r| r.exchange)
    else {
        return;
    };
    view::show(app, id);
    if app.shown_checked() {
        app.response_tab = ResponseTab::Checks;
    }
    view::keep_consistent(app);
}

/// Enter: the step's request into the editor, its response on the right.
fn open_row(app: &mut App) {
    let Some((path, id)) = app.runner.as_ref().and_then(|r| {
        r.selected()
            .map(|row| (r.path.clone(), row.step.request.id.clone()))
    }) else {
        return;
    };
    let found = app.tree.file_index(&path).and_then(|file| {
        let index = app
            .tree
            .collection(file)?
            .requests
            .iter()
            .position(|r| r.id == id)?;
        Some((file, index))
    });
    if let Some((file, index)) = found {
        crate::app::collections::open_request(app, file, index);
        app.tree.reveal(&path, &id);
    }
    show_row(app);
    app.focus = Pane::Runner;
}

/// Esc while a run is going: stop it (what ran is kept). `None` when no run is going.
pub fn stop(app: &mut App) -> Option<Vec<Effect>> {
    let runner = app.runner.as_ref().filter(|r| r.running)?;
    Some(vec![Effect::StopRun {
        generation: runner.generation,
    }])
}
