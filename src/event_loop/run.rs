//! The Runner pane's run: a collection replayed in the background with the runner `scout run`
//! uses, each step reported as a message.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::app::msg::RunJob;
use crate::app::runner::RunMsg;
use crate::history::HistoryRecord;
use crate::http::client::ClientPool;
use crate::replay::{Options, RunEvent, prepare};

/// Replays `job`'s runs with the runner `scout run` uses, reporting each step as a message;
/// `stop` (or its sender going away) stops it, keeping what ran. A panic (a bug) ends the run
/// as stopped, and says why.
pub(super) async fn in_background(
    job: RunJob,
    stop: tokio::sync::oneshot::Receiver<()>,
    msgs: UnboundedSender<Msg>,
) {
    let generation = job.generation;
    let run = AssertUnwindSafe(replay(job, stop, msgs.clone()));
    if let Err(panic) = run.catch_unwind().await {
        let _ = msgs.send(Msg::Run(RunMsg::Finished {
            generation,
            stopped: true,
        }));
        let _ = msgs.send(Msg::Problem(super::guard::bug(
            "running the collection",
            &*panic,
        )));
    }
}

/// The run itself: prepared from the job's plans, each step reported as it starts and ends.
async fn replay(job: RunJob, stop: tokio::sync::oneshot::Receiver<()>, msgs: UnboundedSender<Msg>) {
    let generation = job.generation;
    let files = vec![job.file];
    let send = |msg: RunMsg| {
        let _ = msgs.send(Msg::Run(msg));
    };
    let prepared = match prepare(job.plans, &files, job.environment.as_deref(), &[]) {
        Ok(p) => p,
        Err(message) => {
            send(RunMsg::Failed {
                generation,
                message,
            });
            return;
        }
    };
    let env_sources = vec![job.env_source];
    // Each step's record is built and redacted here, off the UI thread; `update` numbers it.
    let record = |record: HistoryRecord| {
        let _ = msgs.send(Msg::RunRecord(Box::new(record)));
    };
    let options = Options {
        files: &files,
        env_sources: &env_sources,
        environment: job.environment.as_deref(),
        vars: &[],
        timeouts: job.timeouts,
        work_dir: &job.work_dir,
        jobs: 1,
        bail: false,
        repeat: 1,
        history: Some(&record),
        seed: &job.seed,
        prompts: &job.prompts,
    };
    let clients = ClientPool::default();
    let mut plan = None::<usize>;
    let (_, stopped) = prepared
        .run(
            &options,
            &clients,
            async {
                let _ = stop.await;
            },
            |event| match event {
                RunEvent::RunStarted { .. } => plan = Some(plan.map_or(0, |p| p + 1)),
                RunEvent::StepStarted { index, .. } => send(RunMsg::StepStarted {
                    generation,
                    plan: plan.unwrap_or(0),
                    index,
                }),
                RunEvent::StepDone {
                    report,
                    exchange,
                    captured,
                    ..
                } => send(RunMsg::StepDone {
                    generation,
                    plan: plan.unwrap_or(0),
                    report: Box::new(report.clone()),
                    exchange,
                    captured: captured.to_vec(),
                }),
            },
        )
        .await;
    send(RunMsg::Finished {
        generation,
        stopped: stopped.is_some(),
    });
}
