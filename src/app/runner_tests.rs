//! The Runner pane in `update`: Ctrl+G on the tree's selection starts a run (an effect the
//! event loop carries out), the run's messages fill the rows and the history, `r`/`f` send
//! steps again with what the run captured, Esc stops it, and old runs' messages are dropped.

use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::msg::RunJob;
use crate::app::runner::{RowState, RunMsg};
use crate::app::testing::{app_with, draw};
use crate::app::tree::Row;
use crate::app::{App, Effect, Msg, Pane, ResponseTab, update};
use crate::check::CheckResult;
use crate::model::{RequestSpec, ResponseData};
use crate::replay::step::StepExchange;
use crate::replay::{Outcome, StepReport};
use crate::template::RunValue;

fn key(code: KeyCode, mods: KeyModifiers) -> Msg {
    Msg::Key(KeyEvent::new(code, mods))
}

/// Selects the tree row `row` and presses Ctrl+G: the run job it starts.
fn start(app: &mut App, row: Row) -> Box<RunJob> {
    let at = app
        .tree
        .rows()
        .iter()
        .position(|r| *r == row)
        .expect("the row");
    app.tree.list.selected = at;
    update(app, key(KeyCode::Char('g'), KeyModifiers::CONTROL))
        .into_iter()
        .find_map(|e| match e {
            Effect::StartRun(job) => Some(job),
            _ => None,
        })
        .expect("a StartRun effect")
}

fn crud_row(app: &App) -> Row {
    let index = app.tree.files[0]
        .collection()
        .unwrap()
        .runs
        .iter()
        .position(|r| r.name == "crud")
        .unwrap();
    Row::Run { file: 0, index }
}

fn report(index: usize, request: &str, status: u16, passed: bool) -> Box<StepReport> {
    Box::new(StepReport {
        index,
        iteration: 0,
        request: request.into(),
        title: request.into(),
        method: "GET".into(),
        url: "http://127.0.0.1:9/items/4".into(),
        status: Some((status, "OK".into())),
        content_type: Some("application/json".into()),
        elapsed: Duration::from_millis(2),
        outcome: if passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
        checks: vec![CheckResult {
            subject: "status".into(),
            expected: "200".into(),
            actual: status.to_string(),
            passed,
        }],
        error: None,
        skipped: None,
        excerpt: None,
        attempts: 1,
    })
}

fn exchange(status: u16) -> Box<StepExchange> {
    Box::new(StepExchange {
        sent: RequestSpec {
            url: "http://127.0.0.1:9/items/4".into(),
            ..Default::default()
        },
        result: Ok(ResponseData {
            stopped: false,
            spilled: None,
            status,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Bytes::from_static(b"{\"id\": 4}"),
            elapsed: Duration::from_millis(2),
            redirects: vec![],
            url: "http://127.0.0.1:9/items/4".into(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        }),
        secrets: Vec::new(),
        sent_at_ms: 0,
    })
}

fn done(generation: u64, index: usize, status: u16, passed: bool) -> Msg {
    Msg::Run(RunMsg::StepDone {
        generation,
        plan: 0,
        report: report(index, "items/get-item", status, passed),
        exchange: Some(exchange(status)),
        captured: vec![(
            "item_id".into(),
            RunValue {
                value: "4".into(),
                secret: false,
                from: "captured by items/create-item".into(),
            },
        )],
    })
}

#[test]
fn ctrl_g_on_a_run_starts_it_with_a_row_per_step() {
    let mut app = app_with("json");
    let row = crud_row(&app);
    let job = start(&mut app, row);
    assert_eq!(job.plans.len(), 1);
    assert_eq!(job.plans[0].name, "crud");
    assert_eq!(job.plans[0].steps.len(), 6);
    let runner = app.runner.as_ref().unwrap();
    assert!(runner.running);
    assert_eq!(runner.rows.len(), 6);
    assert!(runner.rows.iter().all(|r| r.state == RowState::Pending));
    assert_eq!(app.focus, Pane::Runner);
    assert!(app.is_busy(), "the spinner turns while the run goes");
    // Esc stops it.
    let effects = update(&mut app, key(KeyCode::Esc, KeyModifiers::NONE));
    assert!(
        matches!(effects[..], [Effect::StopRun { generation }] if generation == job.generation)
    );
}

#[test]
fn the_run_fills_rows_and_history_and_keeps_its_captures() {
    let mut app = app_with("json");
    let row = crud_row(&app);
    let job = start(&mut app, row);
    let g = job.generation;
    update(
        &mut app,
        Msg::Run(RunMsg::StepStarted {
            generation: g,
            plan: 0,
            index: 0,
        }),
    );
    assert_eq!(
        app.runner.as_ref().unwrap().rows[0].state,
        RowState::Sending
    );
    update(&mut app, done(g, 0, 200, true));
    update(&mut app, done(g, 1, 404, false));
    update(
        &mut app,
        Msg::Run(RunMsg::Finished {
            generation: g,
            stopped: false,
        }),
    );
    let runner = app.runner.as_ref().unwrap();
    assert_eq!(runner.rows[0].state, RowState::Done(Outcome::Passed));
    assert_eq!(runner.rows[1].state, RowState::Done(Outcome::Failed));
    assert_eq!(
        runner.rows[2].state,
        RowState::Pending,
        "not run: it stays pending"
    );
    assert!(!runner.running);
    // Each exchange joined the history, marked with the run, its checks kept.
    let runs: Vec<_> = app
        .history
        .entries
        .iter()
        .filter(|x| x.run.as_deref() == Some("crud"))
        .collect();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].checks.as_ref().unwrap()[0].actual, "404");
    // The session keeps what the run captured.
    let path = app.tree.files[0].path().to_path_buf();
    assert_eq!(app.captured[&path]["item_id"].value, "4");
    // Moving to the failed row shows its response on the Checks tab.
    update(&mut app, key(KeyCode::Char('j'), KeyModifiers::NONE));
    assert_eq!(app.shown, runs_id(&app, 1));
    assert_eq!(app.response_tab, ResponseTab::Checks);
    let screen = draw(&mut app).join("\n");
    assert!(screen.contains("Run crud · ✓1 ✗1 –0"), "{screen}");
    assert!(screen.contains("✗ GET     get-item"), "{screen}");
}

/// Starts the crud run; its first step passes and its second fails, and it ends there.
fn two_steps_done(app: &mut App) -> u64 {
    let row = crud_row(app);
    let g = start(app, row).generation;
    update(app, done(g, 0, 200, true));
    update(app, done(g, 1, 404, false));
    update(
        app,
        Msg::Run(RunMsg::Finished {
            generation: g,
            stopped: false,
        }),
    );
    g
}

fn runs_id(app: &App, row: usize) -> Option<u64> {
    app.runner.as_ref().unwrap().rows[row].exchange
}

#[test]
fn rerunning_sends_the_chosen_steps_with_the_values_the_run_captured() {
    let mut app = app_with("json");
    let g = two_steps_done(&mut app);
    // `f`: the failed step and the ones that did not run.
    let effects = update(&mut app, key(KeyCode::Char('f'), KeyModifiers::NONE));
    let Some(Effect::StartRun(rerun)) = effects.into_iter().next() else {
        panic!("a StartRun effect")
    };
    let ids: Vec<&str> = rerun.plans[0]
        .steps
        .iter()
        .map(|s| s.request.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["get-item"],
        "only failed (and skipped) rows; pending ones never ran"
    );
    assert_eq!(rerun.seed["item_id"].value, "4");
    assert!(rerun.generation > g);
    // A message of the old run is dropped.
    update(&mut app, done(g, 2, 200, true));
    assert_eq!(
        app.runner.as_ref().unwrap().rows[2].state,
        RowState::Pending
    );
    // The new run's first step fills row 1.
    update(&mut app, done(rerun.generation, 0, 200, true));
    assert_eq!(
        app.runner.as_ref().unwrap().rows[1].state,
        RowState::Done(Outcome::Passed)
    );
}

#[test]
fn a_run_on_a_narrow_terminal_keeps_the_focus_and_reports_on_the_notice_line() {
    let mut app = app_with("json");
    app.size = (60, 20);
    draw(&mut app);
    let row = crud_row(&app);
    let job = start(&mut app, row);
    assert_ne!(app.focus, Pane::Runner, "the runner is not on screen");
    update(
        &mut app,
        Msg::Run(RunMsg::Finished {
            generation: job.generation,
            stopped: true,
        }),
    );
    assert!(
        matches!(&app.notice, Some(crate::app::Notice::Info(m)) if m.starts_with("Run crud: 0 passed, 0 failed, 0 skipped") && m.ends_with("(stopped)")),
        "{:?}",
        app.notice
    );
}

#[test]
fn the_runner_pane_shows_each_state() {
    let mut app = app_with("json");
    let row = crud_row(&app);
    let g = start(&mut app, row).generation;
    update(&mut app, done(g, 0, 201, true));
    update(&mut app, done(g, 1, 404, false));
    let mut skipped = report(2, "items/replace-item", 0, false);
    skipped.status = None;
    skipped.outcome = Outcome::Skipped;
    skipped.skipped = Some("needs item_id".into());
    update(
        &mut app,
        Msg::Run(RunMsg::StepDone {
            generation: g,
            plan: 0,
            report: skipped,
            exchange: None,
            captured: vec![],
        }),
    );
    update(
        &mut app,
        Msg::Run(RunMsg::StepStarted {
            generation: g,
            plan: 0,
            index: 3,
        }),
    );
    let rows = draw(&mut app);
    let area = app
        .hits
        .panes
        .iter()
        .find(|(p, _)| *p == Pane::Runner)
        .expect("the runner is on screen")
        .1;
    let pane: Vec<String> = rows[area.y as usize..area.bottom() as usize]
        .iter()
        .map(|r| {
            r.chars()
                .skip(area.x as usize)
                .take(area.width as usize)
                .collect()
        })
        .collect();
    insta::assert_snapshot!(pane.join("\n"));
}

#[test]
fn a_rerun_sends_the_request_as_the_file_has_it_now_and_records_are_numbered() {
    let mut app = app_with("json");
    app.history_path = Some("/history.jsonl".into());
    two_steps_done(&mut app);
    // The file changes: get-item now reads another path.
    let crate::collection::store::LoadedFile::Ok { collection, .. } = &mut app.tree.files[0].loaded
    else {
        panic!()
    };
    let get = collection
        .requests
        .iter_mut()
        .find(|r| r.id == "get-item")
        .unwrap();
    get.url = "{{base_url}}/v2/items/{{item_id}}".into();
    update(&mut app, key(KeyCode::Char('j'), KeyModifiers::NONE));
    let effects = update(&mut app, key(KeyCode::Char('r'), KeyModifiers::NONE));
    let Some(Effect::StartRun(rerun)) = effects.into_iter().next() else {
        panic!("a StartRun effect")
    };
    assert_eq!(
        rerun.plans[0].steps[0].request.url,
        "{{base_url}}/v2/items/{{item_id}}"
    );
    // A step's record is numbered and handed to the history writer.
    let record = crate::history::HistoryRecord::from_exchange(
        0,
        0,
        &RequestSpec::default(),
        crate::history::Outcome::Cancelled {
            after: Duration::ZERO,
        },
        &crate::model::Redactor::none(),
    );
    let effects = update(&mut app, Msg::RunRecord(Box::new(record)));
    let Some(Effect::AppendHistory { record, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert!(record.id > 0);
}

#[test]
fn a_run_in_the_app_gets_the_prompt_answers_of_the_session() {
    let mut app = app_with("json");
    let path = app.tree.files[0].path().to_path_buf();
    app.prompted
        .entry(path)
        .or_default()
        .insert("`{{prompt:pw}}`".into(), "typed once".into());
    let row = crud_row(&app);
    let job = start(&mut app, row);
    assert_eq!(job.prompts["`{{prompt:pw}}`"], "typed once");
}
