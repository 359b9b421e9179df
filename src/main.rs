//! The `scout` binary: the command line, and the app or a headless command started from it.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches};
use scout::app::editor::Editor;
use scout::app::{App, Notice};
use scout::cli::all::All;
use scout::cli::args::{Cli, Command, RequestArgs};
use scout::cli::items::{ParsedRequest, parse_request_args};
use scout::cli::send::{self, SendCommand, What};
use scout::config::{self, Config};
use scout::demo::DemoServer;
use scout::http::plan::TimeoutInput;
use scout::model::{BodyKind, Method, RequestSpec, counted};

/// Resolves on Ctrl+C (SIGINT) or SIGTERM, with the exit code a shell expects for it (128 + the
/// signal's number); never if the handlers cannot be installed.
async fn interrupted() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            return tokio::select! {
                _ = int.recv() => 130,
                _ = term.recv() => 143,
            };
        }
    }
    #[cfg(not(unix))]
    if tokio::signal::ctrl_c().await.is_ok() {
        return 130;
    }
    std::future::pending().await
}

fn main() {
    let started = Instant::now();
    scout::memory::return_freed_memory();
    scout::cli::file_limit::report_not_die();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let code = match real_main(cli, &matches, started) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scout: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn real_main(cli: Cli, matches: &clap::ArgMatches, started: Instant) -> Result<i32> {
    let config = config::load(config::config_path().as_deref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    match cli.command {
        Some(Command::Explain { words, list }) => {
            Ok(match scout::cli::explain::explain(&words, list) {
                Ok(text) => {
                    print!("{text}");
                    scout::cli::explain::exit::OK
                }
                Err(problem) => {
                    eprintln!("scout: {problem}");
                    scout::cli::explain::exit::UNKNOWN
                }
            })
        }
        Some(Command::Import(args)) => {
            let args = scout::cli::import::ImportArgs {
                format: args.format.0,
                input: args.input,
                output: args.output,
                into: args.into,
                folder: args.folder,
                filter: args.filter,
                env_file: args.env_file,
            };
            Ok(scout::cli::import::run(
                &args,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            ))
        }
        Some(Command::Export(args)) => {
            let history = if args.history {
                Some(
                    scout::history::default_path()
                        .context("there is no data folder for the history (set SCOUT_DATA_DIR)")?,
                )
            } else {
                None
            };
            let args = scout::cli::export::ExportArgs {
                format: args.format,
                collection: args.collection,
                targets: args.targets,
                output: args.output,
                history,
                last: args.last,
            };
            Ok(scout::cli::export::run(
                &args,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            ))
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "scout", &mut std::io::stdout());
            Ok(0)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .context("could not write the manual page")?;
            Ok(0)
        }
        Some(Command::Demo { port }) => {
            runtime
                .block_on(scout::demo::run_foreground(port))
                .with_context(|| format!("could not serve the demo API on 127.0.0.1:{port}"))?;
            Ok(0)
        }
        Some(Command::Run(args)) => {
            for problem in &config.problems {
                eprintln!("scout: config: {problem}");
            }
            let _guard = runtime.enter();
            let args = *args;
            // Each --output belongs to the --reporter before it: their positions say which.
            let sub = matches.subcommand_matches("run");
            let positions = |id: &str| -> Vec<usize> {
                sub.and_then(|m| m.indices_of(id))
                    .map(Iterator::collect)
                    .unwrap_or_default()
            };
            let reporters: Vec<_> = positions("reporter")
                .into_iter()
                .zip(args.reporter.iter().copied())
                .collect();
            let outputs: Vec<_> = positions("output")
                .into_iter()
                .zip(args.output.iter().cloned())
                .collect();
            let reports = match scout::cli::run::pair_outputs(&reporters, &outputs) {
                Ok(r) => r,
                Err(problem) => {
                    eprintln!("scout: {problem}");
                    return Ok(scout::cli::run::exit::USAGE);
                }
            };
            let timeouts = RequestArgs {
                request: Vec::new(),
                form: false,
                json: false,
                timeout: args.timeout,
                connect_timeout: args.connect_timeout,
            }
            .timeouts(&config);
            let command = scout::cli::run::RunCommand {
                path: args.path,
                targets: args.targets,
                env: args.env,
                vars: args.vars,
                reports,
                bail: args.bail,
                jobs: usize::from(args.jobs),
                repeat: args.repeat,
                timeouts,
                work_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
                history: if args.no_history {
                    None
                } else {
                    scout::history::default_path()
                },
                baseline: args.baseline,
                update_baseline: args.update_baseline,
            };
            Ok(runtime.block_on(scout::cli::run::run_command(command)))
        }
        Some(Command::Send(args)) => {
            for problem in &config.problems {
                eprintln!("scout: config: {problem}");
            }
            let _guard = runtime.enter();
            let args = *args;
            if let (Some(path), true) = (&args.collection, args.list) {
                return Ok(send::list(path));
            }
            // A command line that cannot work exits 2, as clap's own usage errors do.
            let usage = |problem: String| {
                eprintln!("scout: {problem}");
                Ok(scout::cli::print::exit::USAGE)
            };
            let what = match args.collection.clone() {
                Some(path) => {
                    let id = match args.request.request.as_slice() {
                        [id] => id.clone(),
                        [] => {
                            return usage(
                                "which request? give its id (scout send -c PATH --list shows them)"
                                    .into(),
                            );
                        }
                        more => {
                            return usage(format!(
                                "with -c, give just the request id (got {} arguments)",
                                more.len()
                            ));
                        }
                    };
                    What::Saved {
                        path,
                        id,
                        env: args.env.clone(),
                        vars: args.vars.clone(),
                    }
                }
                None => {
                    let parsed = match parse_spec(&args.request) {
                        Ok(Some(parsed)) => parsed,
                        Ok(None) => {
                            return usage(
                                "scout send needs a URL (scout send [METHOD] URL [ITEM…])".into(),
                            );
                        }
                        Err(e) => return usage(format!("{e:#}")),
                    };
                    let spec = match &args.raw {
                        Some(raw) => with_raw_body(parsed.spec, raw, parsed.method_given)?,
                        None => parsed.spec,
                    };
                    What::Typed(spec)
                }
            };
            let overrides = match args.overrides() {
                Ok(o) => o,
                Err(problem) => return usage(problem),
            };
            let print = if args.body {
                send::Print::parse("b").ok()
            } else if args.headers {
                send::Print::parse("h").ok()
            } else {
                args.print
            };
            // Bodies are coloured with --style, else the config theme's syntax colours.
            scout::highlight::choose_theme(args.style.as_deref().unwrap_or(&config.theme.syntax));
            let command = SendCommand {
                pretty: args.pretty,
                print,
                overrides,
                what,
                timeouts: args.request.timeouts(&config),
                all: args.all.then_some(All {
                    max_pages: args.max_pages,
                    jsonl: args.jsonl,
                }),
                offline: args.offline,
                check_status: args.check_status,
                explain: args.explain,
                verbose: args.verbose,
                cache: args.cache,
                download: args.download || args.output.is_some(),
                output: args.output,
                filter: args.filter,
                work_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            };
            // Interrupted, the send is dropped: a body kept in a temporary file goes with it.
            Ok(runtime.block_on(async {
                tokio::select! {
                    code = send::run_command(command) => code,
                    code = interrupted() => code,
                }
            }))
        }
        None => {
            let spec = match parse_spec(&cli.request) {
                Ok(spec) => spec,
                Err(e) => {
                    eprintln!("scout: {e:#}");
                    return Ok(scout::cli::print::exit::USAGE);
                }
            };
            let timeouts = cli.request.timeouts(&config);
            run_tui(
                &runtime,
                cli,
                spec.map(|p| p.spec),
                config,
                timeouts,
                started,
            )?;
            Ok(0)
        }
    }
}

/// `--raw BODY` (or `--raw @FILE`): a literal body. Like HTTPie, a JSON-looking body goes as
/// JSON, and a body without an explicit method means POST.
fn with_raw_body(mut spec: RequestSpec, raw: &str, method_given: bool) -> Result<RequestSpec> {
    spec.body = match raw.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).with_context(|| {
            format!("could not read --raw body from {path} (it must be UTF-8 text; upload binary files with field@path)")
        })?,
        None => raw.to_string(),
    };
    spec.body_kind = if scout::highlight::json_issue(&spec.body).is_none() {
        BodyKind::Json
    } else {
        BodyKind::Text
    };
    if !method_given {
        spec.method = Method::Post;
    }
    Ok(spec)
}

/// `[METHOD] URL [ITEM…]` → a request, or `None` when no URL was given.
fn parse_spec(args: &RequestArgs) -> Result<Option<ParsedRequest>> {
    if args.request.is_empty() {
        return Ok(None);
    }
    let mut parsed = parse_request_args(&args.request, args.form)?;
    let spec = &mut parsed.spec;
    // `-j`: JSON asked for, as HTTPie and xh do, unless the items say what to accept.
    if args.json
        && !spec
            .headers
            .iter()
            .any(|h| h.key.eq_ignore_ascii_case("accept"))
    {
        spec.headers.push(scout::model::KeyValue::new(
            "Accept",
            "application/json, */*;q=0.5",
        ));
    }
    Ok(Some(parsed))
}

fn run_tui(
    runtime: &tokio::runtime::Runtime,
    cli: Cli,
    spec: Option<RequestSpec>,
    config: Config,
    timeouts: TimeoutInput,
    started: Instant,
) -> Result<()> {
    let (with_demo, startup_report) = (!cli.no_demo, cli.startup_report);
    let _guard = runtime.enter();
    // Binding is synchronous and takes microseconds; serving happens on the runtime.
    let demo = if with_demo {
        Some(DemoServer::start(0).context("could not start the demo API")?)
    } else {
        None
    };
    let editor = spec.as_ref().map(Editor::from_spec).unwrap_or_default();
    let mut app = App::new(editor, timeouts);
    if let Some(demo) = &demo {
        app.injected
            .push((scout::collection::DEMO_URL_VAR.to_string(), demo.base_url()));
    }
    app.collections_path = cli
        .collection
        .or_else(scout::collection::store::default_location);
    app.history_path = scout::history::default_path();
    // The pane widths set last time, kept beside the history.
    app.layout_path = app
        .history_path
        .as_deref()
        .and_then(std::path::Path::parent)
        .map(|dir| dir.join(scout::app::panes::FILE_NAME));
    if let Some(text) = app
        .layout_path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
    {
        app.panes = scout::app::panes::PaneSizes::parse(&text);
    }
    app.initial_env = cli.env;
    scout::highlight::choose_theme(&config.theme.syntax);
    app.theme = config.theme;
    app.keymap = config.keymap;
    if !config.problems.is_empty() {
        // Every one of them, to read before going on; the rest of the file applies.
        let n = config.problems.len();
        app.notice = Some(Notice::Error(format!(
            "config: {}, listed at start; the rest of the file applies",
            counted(n, "problem")
        )));
        app.overlay = Some(scout::app::Overlay::Problems {
            title: format!(
                "The config file has {}; the rest of it applies",
                counted(n, "problem")
            ),
            lines: config.problems,
            scroll: 0,
        });
    }
    // `--startup-report`: quit as soon as the first frame is on screen, and say when that was.
    app.should_quit = startup_report;
    let first_frame_at = scout::event_loop::terminal::run_full_screen(runtime, &mut app, started);
    drop(demo);
    if let Some(t) = first_frame_at?.filter(|_| startup_report) {
        eprintln!("first frame {:.2} ms after main", t.as_secs_f64() * 1000.0);
    }
    Ok(())
}
