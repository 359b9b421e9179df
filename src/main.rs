//! The `scout` binary: the command line, and the app or a headless command started from it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use scout::app::editor::Editor;
use scout::app::{App, Notice};
use scout::cli::all::All;
use scout::cli::items::parse_request_args;
use scout::cli::send::{self, SendCommand, What};
use scout::config::{self, Config};
use scout::demo::DemoServer;
use scout::http::plan::TimeoutInput;
use scout::model::duration::parse_duration;
use scout::model::{BodyKind, Method, RequestSpec, ResolvedAuth, Timeouts};

/// A fast, keyboard-first terminal UI for exploring HTTP APIs.
///
/// With no arguments, scout opens on its built-in demo API. `scout [METHOD] URL [ITEM…]` opens
/// with that request in the editor. Items use HTTPie's syntax: `Header:value`, `name==value`
/// (query), `field=value` (JSON string), `field:=json` (raw JSON), `field@path` (file upload).
#[derive(Parser, Debug)]
#[command(name = "scout", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    request: RequestArgs,
    /// Do not start the built-in demo API.
    #[arg(long)]
    no_demo: bool,
    /// The collection file or folder to open (default: ./collections, else scout's data folder).
    #[arg(long, short = 'c', value_name = "PATH")]
    collection: Option<PathBuf>,
    /// The environment to select in the collection(s) at start.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Quit right after the first frame and print how long it took (launch benchmark).
    #[arg(long, hide = true)]
    startup_report: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send one request and print the response (headless, like xh/HTTPie).
    Send(Box<SendArgs>),
    /// Replay saved requests as checked steps: a run, a request, a folder, or everything.
    Run(Box<RunArgs>),
    /// What a status code, method or header means, and the standard's section to read.
    Explain {
        /// A status code (429), a method (PUT), or `header NAME`.
        #[arg(value_name = "WHAT")]
        words: Vec<String>,
        /// List every code, method and header scout explains.
        #[arg(long)]
        list: bool,
    },
    /// Turn another tool's requests into a collection: a curl command, a Postman or Insomnia
    /// export, an OpenAPI description, a HAR capture or Hurl files.
    Import(Box<ImportCli>),
    /// Write saved requests for other tools (curl, HTTPie/xh, Hurl), or the history as a HAR.
    Export(Box<ExportCli>),
    /// Run the demo API in the foreground.
    Demo {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print a completion script for a shell, e.g. `scout completions bash >
    /// ~/.local/share/bash-completion/completions/scout`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `scout man | man -l -`.
    Man,
}

#[derive(Args, Debug)]
struct RequestArgs {
    /// [METHOD] URL [ITEM…]
    #[arg(value_name = "REQUEST")]
    request: Vec<String>,
    /// Send data items as a form (application/x-www-form-urlencoded).
    #[arg(long, short = 'f')]
    form: bool,
    /// Total timeout: plain seconds (1, 0.5) or a duration (500ms, 10s). Default 30s.
    #[arg(long, value_parser = parse_timeout)]
    timeout: Option<Duration>,
    /// Connect timeout: plain seconds or a duration. Default 10s.
    #[arg(long, value_parser = parse_timeout)]
    connect_timeout: Option<Duration>,
}

impl RequestArgs {
    /// The defaults, then the config file, then the flags (which also win over a saved request's
    /// own timeouts).
    fn timeouts(&self, config: &Config) -> TimeoutInput {
        let defaults = Timeouts::default();
        TimeoutInput {
            base: Timeouts {
                connect: config.connect_timeout.unwrap_or(defaults.connect),
                total: config.total_timeout.unwrap_or(defaults.total),
                ..defaults
            },
            connect_flag: self.connect_timeout,
            total_flag: self.timeout,
            memory_cap: config.memory_cap,
        }
    }
}

#[derive(Args, Debug)]
struct SendArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// A literal request body, or @FILE to read it from a file.
    #[arg(long, value_name = "BODY")]
    raw: Option<String>,
    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    offline: bool,
    /// Exit with 3, 4 or 5 for 3xx, 4xx or 5xx responses.
    #[arg(long)]
    check_status: bool,
    /// After the response, explain it on stderr: the method, the status and each header, with
    /// the section of the standard to read.
    #[arg(long, conflicts_with_all = ["all", "offline"])]
    explain: bool,
    /// After the response, print on stderr the request and response as they crossed the
    /// connection (> sent, < received) and where the time went: DNS, connect, waiting, download.
    #[arg(long, short = 'v', conflicts_with_all = ["all", "offline", "download"])]
    verbose: bool,
    /// Use the private HTTP cache (in memory, for this command): fresh responses are reused
    /// without a request, stale ones revalidated. With -v, says what the cache did.
    #[arg(long)]
    cache: bool,
    /// Stream the body to a file (named from the response, or -o) with a progress bar.
    #[arg(long, short = 'd')]
    download: bool,
    /// Write the body to this file (or into this folder) instead of stdout, as --download does
    /// (which it implies, as xh's -o).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with_all = ["all", "offline", "filter", "print"])]
    output: Option<PathBuf>,
    /// Follow the pagination (configured, or detected from the first response) and print every
    /// page's items as one JSON array.
    #[arg(long, conflicts_with_all = ["download", "offline"])]
    all: bool,
    /// With --all: stop after this many pages (default 50, or the request's max_pages).
    #[arg(long, value_name = "N", requires = "all")]
    max_pages: Option<usize>,
    /// With --all: print one item per line (JSON Lines) as the pages arrive.
    #[arg(long, requires = "all")]
    jsonl: bool,
    /// Print a filter's outputs instead of the JSON body (with --all, of the merged array): a jq
    /// expression (`.items[] | .id`), or a JSONPath when it starts with `$` (`$.items[*].id`).
    /// Pretty-printed on a terminal; piped, one compact JSON value per line (like jq -c).
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["download", "offline", "jsonl"])]
    filter: Option<String>,
    /// Send a saved request: the collection file or folder; REQUEST is then its id (or folder/id).
    #[arg(long, short = 'c', value_name = "PATH")]
    collection: Option<PathBuf>,
    /// With -c: list the requests in the collection(s) instead of sending.
    #[arg(long, requires = "collection")]
    list: bool,
    /// With -c: the environment to use.
    #[arg(long, value_name = "NAME", requires = "collection")]
    env: Option<String>,
    /// With -c: set a variable, overriding the collection's (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "collection", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Credentials: USER:PASSWORD (basic or digest, see -A) or a TOKEN (-A bearer). They are
    /// redacted wherever scout shows or stores the exchange.
    #[arg(long, short = 'a', value_name = "USER:PASSWORD|TOKEN")]
    auth: Option<String>,
    /// How -a is sent: basic (the default), digest, or bearer.
    #[arg(long, short = 'A', value_enum, requires = "auth", default_value_t = AuthType::Basic)]
    auth_type: AuthType,
    /// Follow redirects (what scout does by default; xh and HTTPie do not).
    #[arg(long, overrides_with = "no_follow")]
    follow: bool,
    /// Do not follow redirects: print the 3xx response itself.
    #[arg(long)]
    no_follow: bool,
    /// Follow at most N redirects (default 10).
    #[arg(long, value_name = "N")]
    max_redirects: Option<u32>,
    /// `no` accepts any certificate (and host name); a PEM file adds its roots to the system's.
    #[arg(long, value_name = "no|PATH")]
    verify: Option<String>,
    /// A client certificate and its key, in one PEM file.
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// Send through this proxy (http://, https:// or socks5://).
    #[arg(long, value_name = "URL")]
    proxy: Option<String>,
    /// What to print, as in xh: H request headers, B request body, h response headers, b
    /// response body, m how long and how large (default: hb on a terminal, b piped).
    #[arg(long, short = 'p', value_name = "HBhbm", value_parser = send::Print::parse,
          conflicts_with_all = ["download", "filter", "all", "offline"])]
    print: Option<send::Print>,
    /// Print the response body only, on a terminal too (--print b).
    #[arg(long, short = 'b', conflicts_with = "print")]
    body: bool,
    /// Print the response headers only (--print h).
    #[arg(long, conflicts_with_all = ["print", "body"])]
    headers: bool,
    /// all: pretty-printed and coloured (on a terminal); format: pretty-printed; colors: coloured
    /// as received; none: neither. Given, it shapes piped output too. NO_COLOR turns colours off.
    #[arg(long, value_enum, value_name = "STYLE")]
    pretty: Option<send::Pretty>,
}

/// How `-a` is sent.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum AuthType {
    Basic,
    Digest,
    Bearer,
}

impl SendArgs {
    /// The flags over the request's own settings, or why they cannot work (a usage error).
    fn overrides(&self) -> Result<send::Overrides, String> {
        let auth = match (&self.auth, self.auth_type) {
            (None, _) => None,
            (Some(token), AuthType::Bearer) => Some(ResolvedAuth::Bearer {
                token: token.clone(),
            }),
            (Some(pair), kind) => {
                let Some((username, password)) = pair.split_once(':') else {
                    return Err(format!(
                        "-a: give USER:PASSWORD for {} auth (or -A bearer for a token)",
                        if kind == AuthType::Digest {
                            "digest"
                        } else {
                            "basic"
                        }
                    ));
                };
                let (username, password) = (username.to_string(), password.to_string());
                Some(match kind {
                    AuthType::Digest => ResolvedAuth::Digest { username, password },
                    _ => ResolvedAuth::Basic { username, password },
                })
            }
        };
        let (insecure, ca_cert) = match self.verify.as_deref() {
            None | Some("yes" | "true") => (false, None),
            Some("no" | "false") => (true, None),
            Some(path) => (false, Some(PathBuf::from(path))),
        };
        Ok(send::Overrides {
            auth,
            follow: if self.no_follow {
                Some(false)
            } else {
                self.follow.then_some(true)
            },
            max_redirects: self.max_redirects,
            insecure,
            ca_cert,
            client_cert: self.cert.clone(),
            proxy: self.proxy.clone(),
        })
    }
}

#[derive(Args, Debug)]
struct ImportCli {
    /// curl, postman, insomnia, openapi, har, hurl, or auto (detected from the content).
    #[arg(value_name = "FORMAT", value_parser = parse_format)]
    format: ImportFormat,
    /// The file to read, or - for standard input.
    #[arg(value_name = "PATH")]
    input: PathBuf,
    /// Write a new collection file (else it is printed).
    #[arg(long, short = 'o', value_name = "FILE.toml", conflicts_with = "into")]
    output: Option<PathBuf>,
    /// Add the requests to this collection file, keeping its comments.
    #[arg(long, value_name = "EXISTING.toml")]
    into: Option<PathBuf>,
    /// Put the requests in this folder.
    #[arg(long, value_name = "NAME")]
    folder: Option<String>,
    /// HAR: only the entries whose URL contains this.
    #[arg(long, value_name = "URL-SUBSTRING")]
    filter: Option<String>,
    /// Postman: an environment export to add as [environments.NAME].
    #[arg(long, value_name = "FILE")]
    env_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ExportCli {
    #[arg(value_name = "FORMAT", value_enum)]
    format: scout::cli::export::ExportFormat,
    /// Request ids (or folder/id) and folders to export; default: every request.
    #[arg(value_name = "ID|FOLDER")]
    targets: Vec<String>,
    /// The collection file or folder.
    #[arg(long, short = 'c', value_name = "PATH", conflicts_with = "history")]
    collection: Option<PathBuf>,
    /// Write to this file (else to stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// har: export the exchanges in the history.
    #[arg(long)]
    history: bool,
    /// With --history: only the last N exchanges.
    #[arg(long, value_name = "N", requires = "history")]
    last: Option<usize>,
}

/// `auto`, or a format `scout import` reads.
#[derive(Debug, Clone, Copy)]
struct ImportFormat(Option<scout::import::Format>);

fn parse_format(s: &str) -> Result<ImportFormat, String> {
    if s == "auto" {
        return Ok(ImportFormat(None));
    }
    scout::import::Format::parse(s)
        .map(|f| ImportFormat(Some(f)))
        .ok_or_else(|| {
            let names = scout::import::Format::ALL.map(|f| f.name()).join(", ");
            format!("`{s}` is not a format scout imports ({names}, or auto)")
        })
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The collection file or folder.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Run names, request ids (or folder/id) or folders; default: every [runs] of the file, else
    /// every request in order.
    #[arg(value_name = "TARGET")]
    targets: Vec<String>,
    /// The environment to use.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Set a variable, above the collection's and anything captured (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// A report format (repeatable, each with its own --output after it). Default: human.
    #[arg(long, value_enum, value_name = "FORMAT")]
    reporter: Vec<scout::cli::report::Reporter>,
    /// Write the --reporter before it to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Vec<PathBuf>,
    /// Stop at the first failed step (the rest are reported as skipped).
    #[arg(long)]
    bail: bool,
    /// Send up to N steps at once; a step still waits for the steps it needs a captured value from.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: u16,
    /// Run everything N times.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Do not record the exchanges in the history.
    #[arg(long)]
    no_history: bool,
    /// Total timeout per request: plain seconds (1, 0.5) or a duration (500ms, 10s).
    #[arg(long, value_parser = parse_timeout)]
    timeout: Option<Duration>,
    /// Connect timeout: plain seconds or a duration.
    #[arg(long, value_parser = parse_timeout)]
    connect_timeout: Option<Duration>,
    /// Compare each step's response (status and body) with its snapshot in DIR, writing those
    /// missing; a step whose response changed outside its view.ignore paths fails.
    #[arg(long, value_name = "DIR")]
    baseline: Option<PathBuf>,
    /// With --baseline: rewrite the snapshots from this run's responses.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
}

/// `--var name=value`.
fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{s}`: write --var name=value")),
    }
}

/// A timeout flag: a duration greater than zero.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    match parse_duration(s) {
        Ok(d) if d.is_zero() => Err("a timeout must be greater than 0 (e.g. 500ms, 10s)".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

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
    scout::cli::allocator::return_freed_memory();
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
                    let spec = match parse_spec(&args.request) {
                        Ok(Some(spec)) => spec,
                        Ok(None) => {
                            return usage(
                                "scout send needs a URL (scout send [METHOD] URL [ITEM…])".into(),
                            );
                        }
                        Err(e) => return usage(format!("{e:#}")),
                    };
                    let spec = match &args.raw {
                        Some(raw) => with_raw_body(spec, raw, &args.request.request)?,
                        None => spec,
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
            run_tui(&runtime, cli, spec, config, timeouts, started)?;
            Ok(0)
        }
    }
}

/// `--raw BODY` (or `--raw @FILE`): a literal body. Like HTTPie, a JSON-looking body goes as
/// JSON, and a body without an explicit method means POST.
fn with_raw_body(mut spec: RequestSpec, raw: &str, words: &[String]) -> Result<RequestSpec> {
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
    let explicit_method = words
        .first()
        .is_some_and(|first| Method::parse(first).is_some() && words.len() > 1);
    if !explicit_method {
        spec.method = Method::Post;
    }
    Ok(spec)
}

/// `[METHOD] URL [ITEM…]` → a request, or `None` when no URL was given.
fn parse_spec(args: &RequestArgs) -> Result<Option<RequestSpec>> {
    if args.request.is_empty() {
        return Ok(None);
    }
    let parsed = parse_request_args(&args.request, args.form)?;
    Ok(Some(parsed.spec))
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
    app.initial_env = cli.env;
    scout::highlight::choose_theme(&config.theme.syntax);
    app.theme = config.theme;
    app.keymap = config.keymap;
    if !config.problems.is_empty() {
        // Every one of them, to read before going on; the rest of the file applies.
        let n = config.problems.len();
        app.notice = Some(Notice::Error(format!(
            "config: {n} problem(s), listed at start; the rest of the file applies"
        )));
        app.overlay = Some(scout::app::Overlay::Problems {
            title: format!("The config file has {n} problem(s); the rest of it applies"),
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
