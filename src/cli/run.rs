//! `scout run PATH [TARGET…]`: replays saved requests as checked steps (see [`replay`]) and
//! writes reports: live for people on stdout, and any of JSON, JUnit and TAP to files; with
//! `--baseline DIR`, each response is also compared with its snapshot (see
//! [`baseline`](crate::replay::baseline)). Exit 0 when every step passed, 1 when one failed
//! (a changed response too), 2 before sending anything when the command, a file or the baseline
//! folder is wrong, 130 when stopped with Ctrl+C (the reports then cover what ran).

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::cli::report::human::{self, Paint};
use crate::cli::report::{Reporter, render};
use crate::collection::store::{LoadedFile, load_all};
use crate::collection::{DEMO_URL_VAR, env_source_for, uses_demo};
use crate::demo::DemoServer;
use crate::history::{HistoryRecord, next_id, spawn_writer};
use crate::http::client::ClientPool;
use crate::http::plan::TimeoutInput;
use crate::model::wall_ms;
use crate::replay::{Baseline, Options, RunEvent, Stopped, Totals, prepare, select};

/// Exit codes of `scout run`.
pub mod exit {
    pub const PASSED: i32 = 0;
    pub const FAILED: i32 = 1;
    /// The command or a collection file is wrong: nothing was sent.
    pub const USAGE: i32 = 2;
    /// Stopped with Ctrl+C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

/// What `scout run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunCommand {
    pub path: PathBuf,
    pub targets: Vec<String>,
    pub env: Option<String>,
    pub vars: Vec<(String, String)>,
    /// Each reporter with its file (`None`: stdout).
    pub reports: Vec<(Reporter, Option<PathBuf>)>,
    pub bail: bool,
    pub jobs: usize,
    pub repeat: u32,
    pub timeouts: TimeoutInput,
    pub work_dir: PathBuf,
    /// Where the exchanges are recorded (`None`: not at all).
    pub history: Option<PathBuf>,
    /// `--baseline DIR`: each step's response compared with its snapshot there (or written).
    pub baseline: Option<PathBuf>,
    /// `--update-baseline`: the snapshots rewritten.
    pub update_baseline: bool,
}

/// Pairs each `--output` with the `--reporter` before it (by their positions on the command
/// line); a reporter without one writes to stdout. With no reporter, `human` is used.
pub fn pair_outputs(
    reporters: &[(usize, Reporter)],
    outputs: &[(usize, PathBuf)],
) -> Result<Vec<(Reporter, Option<PathBuf>)>, String> {
    if reporters.is_empty() {
        return match outputs {
            [] => Ok(vec![(Reporter::Human, None)]),
            [(_, path)] => Ok(vec![(Reporter::Human, Some(path.clone()))]),
            _ => Err("several --output files but no --reporter: write --reporter FORMAT --output FILE for each".into()),
        };
    }
    let mut pairs: Vec<(Reporter, Option<PathBuf>)> =
        reporters.iter().map(|(_, r)| (*r, None)).collect();
    for (at, path) in outputs {
        let Some(owner) = reporters.iter().rposition(|(r_at, _)| r_at < at) else {
            return Err(format!(
                "--output {} comes before any --reporter: write --reporter FORMAT --output FILE",
                path.display()
            ));
        };
        if pairs[owner].1.is_some() {
            return Err(format!(
                "--reporter {:?} has two --output files; give each reporter one",
                pairs[owner].0
            )
            .to_lowercase());
        }
        pairs[owner].1 = Some(path.clone());
    }
    if pairs.iter().filter(|(_, p)| p.is_none()).count() > 1 {
        return Err("only one reporter can write to stdout: give the others --output FILE".into());
    }
    Ok(pairs)
}

/// Runs the command; returns the exit code. Problems are said on stderr.
pub async fn run_command(cmd: RunCommand) -> i32 {
    match run_checked(&cmd).await {
        Ok(code) => code,
        Err(problem) => {
            eprintln!("scout: {problem}");
            exit::USAGE
        }
    }
}

async fn run_checked(cmd: &RunCommand) -> Result<i32, String> {
    // Everything that can be wrong is found before the first request.
    let files =
        load_all(&cmd.path).map_err(|e| format!("cannot read {}: {e}", cmd.path.display()))?;
    if files.is_empty() {
        return Err(format!("no collection files at {}", cmd.path.display()));
    }
    let plans = select(&files, &cmd.targets)?;
    let baseline = match &cmd.baseline {
        Some(dir) => Some(Baseline::open(dir, cmd.update_baseline)?),
        None => None,
    };
    let mut sinks = Vec::new();
    for (reporter, path) in &cmd.reports {
        let sink = match path {
            Some(p) => Some(open_report(p)?),
            None => None,
        };
        sinks.push((*reporter, path.clone(), sink));
    }
    // Collections written for the demo API get the in-process demo server, unless told where.
    let needs_demo = files.iter().any(|f| match f {
        LoadedFile::Ok { collection, .. } => uses_demo(collection),
        LoadedFile::Broken(_) => false,
    });
    let demo = if needs_demo && std::env::var_os(DEMO_URL_VAR).is_none() && cmd.env.is_none() {
        Some(DemoServer::start(0).map_err(|e| format!("could not start the demo API: {e}"))?)
    } else {
        None
    };
    let injected: Vec<(String, String)> = demo
        .iter()
        .map(|d| (DEMO_URL_VAR.to_string(), d.base_url()))
        .collect();
    let mut env_sources = Vec::new();
    for f in &files {
        env_sources.push(match f {
            LoadedFile::Ok { collection, .. } => env_source_for(collection, &injected)?,
            LoadedFile::Broken(_) => crate::template::EnvSource::empty(),
        });
    }
    if let Some(env) = &cmd.env {
        for plan in &plans {
            if let LoadedFile::Ok { collection, .. } = &files[plan.file] {
                collection.environment_named(env)?;
            }
        }
    }

    // The first problem writing the history, said once at the end.
    let history_problem = Arc::new(Mutex::new(None::<String>));
    let (history_tx, history_thread) = {
        let problem = history_problem.clone();
        spawn_writer(move |e| {
            problem
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(e.to_string());
        })
    };
    let last_id = Mutex::new(0u64);
    let send_history = |mut record: HistoryRecord| {
        let Some(path) = &cmd.history else { return };
        let mut last = last_id.lock().unwrap_or_else(PoisonError::into_inner);
        *last = next_id(*last, wall_ms(std::time::SystemTime::now()));
        record.id = *last;
        let _ = history_tx.send((path.clone(), Box::new(record)));
    };
    let options = Options {
        files: &files,
        env_sources: &env_sources,
        environment: cmd.env.as_deref(),
        vars: &cmd.vars,
        timeouts: cmd.timeouts,
        work_dir: &cmd.work_dir,
        jobs: cmd.jobs,
        bail: cmd.bail,
        repeat: cmd.repeat,
        history: cmd
            .history
            .as_ref()
            .map(|_| &send_history as &(dyn Fn(HistoryRecord) + Sync)),
        seed: &Default::default(),
        prompts: &Default::default(),
    };
    let mut prepared = prepare(plans, &files, cmd.env.as_deref(), &cmd.vars)?;
    if let Some(baseline) = baseline {
        prepared = prepared.with_baseline(baseline, &files)?;
    }

    // The live report: the human reporter on stdout, if there is one.
    let stdout = io::stdout();
    let live = sinks
        .iter()
        .any(|(r, p, _)| *r == Reporter::Human && p.is_none());
    let paint = Paint(live && stdout.is_terminal() && !crate::theme::no_color());
    let progress = live && io::stderr().is_terminal();
    let mut out = stdout.lock();
    let started = Instant::now();
    let (mut done, mut total) = (0usize, 0usize);
    let clients = ClientPool::default();
    let stop = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let name_width = prepared.name_width(cmd.repeat);
    let (reports, stopped) = prepared
        .run(&options, &clients, stop, |event| {
            if !live {
                return;
            }
            if progress {
                eprint!("\r\x1b[2K");
            }
            match event {
                RunEvent::RunStarted { name, file, steps } => {
                    total += steps;
                    let _ = out.write_all(human::run_heading(name, file, paint).as_bytes());
                }
                RunEvent::StepStarted {
                    request, method, ..
                } => {
                    if progress {
                        eprint!("  … {done}/{total} done · sending {method} {request}");
                    }
                }
                RunEvent::StepDone { report, .. } => {
                    done += 1;
                    let _ = out.write_all(human::step_lines(report, paint, name_width).as_bytes());
                }
            }
            let _ = out.flush();
        })
        .await;
    let wall = started.elapsed();
    if progress {
        eprint!("\r\x1b[2K");
    }
    if live {
        let _ = out.write_all(human::summary(&reports, wall, cmd.jobs, paint).as_bytes());
        if stopped == Some(Stopped::Interrupted) {
            let _ = writeln!(
                out,
                "stopped by Ctrl+C: the reports cover the steps that ran"
            );
        }
        let _ = out.flush();
    }
    drop(out);
    let mut code = None;
    for (reporter, path, sink) in sinks {
        let text = render(reporter, &reports, wall, cmd.jobs);
        match (path, sink) {
            (Some(path), Some(mut file)) => {
                if let Err(e) = file
                    .write_all(text.as_bytes())
                    .and_then(|()| file.sync_all())
                {
                    eprintln!(
                        "scout: could not write the report to {}: {e}",
                        path.display()
                    );
                    code = Some(exit::FAILED);
                }
            }
            _ if reporter == Reporter::Human => {}
            _ => {
                let mut out = io::stdout().lock();
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
        }
    }
    drop(history_tx);
    let _ = history_thread.join();
    if let Some(problem) = history_problem
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        eprintln!("scout: the history was not written: {problem}");
    }
    drop(demo);
    let totals = Totals::of(reports.iter().flat_map(|r| &r.steps));
    Ok(match stopped {
        Some(Stopped::Interrupted) => exit::INTERRUPTED,
        _ if totals.failed > 0 => exit::FAILED,
        _ => code.unwrap_or(exit::PASSED),
    })
}

/// Creates the report file now, so a folder that does not exist (or cannot be written) is
/// found before anything is sent.
fn open_report(path: &Path) -> Result<File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!(
            "--output {}: the folder {} does not exist; create it first",
            path.display(),
            dir.display()
        ));
    }
    File::create(path).map_err(|e| format!("--output {}: cannot write it: {e}", path.display()))
}
