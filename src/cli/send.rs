//! `scout send`: one request — typed on the command line, or saved in a collection — planned by
//! the same planner as the app's (`http::plan`), sent through the same executor, and printed
//! ([`print`](super::print)). A prompt is asked for on the terminal; `--download` streams the
//! body to a file ([`download`](super::download)); `--all` follows the pages ([`all`](super::all));
//! `--filter` prints a jq or JSONPath filter's outputs instead of a JSON body
//! ([`inspect::filter`](crate::inspect::filter)).

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::cli::all::{All, run_all};
use crate::cli::download::download;
use crate::cli::print::{
    attempt_line, exit, print_filtered, print_parts, print_response, status_exit_code, write_io,
};
pub use crate::cli::send_options::{Overrides, Pretty, Print};
use crate::cli::{prompt, stream};
use crate::collection::lookup::{find_request, listing};
use crate::collection::store::load_all;
use crate::collection::{DEMO_URL_VAR, SavedRequest, env_source_for, uses_demo};
use crate::demo::DemoServer;
use crate::http::auth::{TokenCache, apply_static};
use crate::http::build::prepare;
use crate::http::client::build_client;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::executor::run;
use crate::http::job::{HttpEvent, Job};
use crate::http::plan::{Blocked, Input, Source, TimeoutInput, plan};
use crate::inspect::filter::{Filter, parse_body};
use crate::model::{Redactor, RequestSpec, ResolvedAuth, ResponseData, secret_header_values};
use crate::teach::notes;
use crate::template::EnvSource;

/// What `scout send` was asked to do.
#[derive(Debug, Clone)]
pub struct SendCommand {
    pub what: What,
    /// The config file's timeouts over the defaults, and the flags over those.
    pub timeouts: TimeoutInput,
    /// `--all`: follow the pagination.
    pub all: Option<All>,
    /// Print the request instead of sending it.
    pub offline: bool,
    /// Exit 3/4/5 for 3xx/4xx/5xx responses.
    pub check_status: bool,
    /// Explain the exchange on stderr after it (method, status, headers, with their sections).
    pub explain: bool,
    /// `--cache`: through the private cache, and say what it did.
    pub cache: bool,
    /// `-v`: the exchange as it crossed the connection and its timing, on stderr.
    pub verbose: bool,
    /// Stream the body to a file (`output`, else a name from the response in `work_dir`).
    pub download: bool,
    pub output: Option<PathBuf>,
    /// `--filter`: a jq expression, or a JSONPath when it starts with `$`, run on the JSON body
    /// (with `--all`, on the merged array); its outputs are printed instead.
    pub filter: Option<String>,
    /// The working folder: relative paths of typed requests and downloads resolve against it.
    pub work_dir: PathBuf,
    /// What the flags say over the request's own settings (`-a`, `--no-follow`, `--verify`, …).
    pub overrides: Overrides,
    /// `--print WHAT` (xh's letters), or `None`: the default (all of the response on a terminal,
    /// its body piped).
    pub print: Option<Print>,
    /// `--pretty`: how the output is shaped; `None`: `all` on a terminal, `none` piped.
    pub pretty: Option<Pretty>,
}

/// Which request.
#[derive(Debug, Clone)]
pub enum What {
    /// `scout send [METHOD] URL [ITEM…]`.
    Typed(RequestSpec),
    /// `scout send -c PATH ID`: a saved request, with the environment and `--var`s to use.
    Saved {
        path: PathBuf,
        id: String,
        env: Option<String>,
        vars: Vec<(String, String)>,
    },
}

/// Why the command stopped before or while sending.
enum Failure {
    /// A problem already said in full (what is wrong and what to do).
    Said(String),
    /// A command line naming what is not there (a request id, an environment): exit 2.
    Usage(String),
    Http(HttpError),
}

impl From<HttpError> for Failure {
    fn from(e: HttpError) -> Failure {
        Failure::Http(e)
    }
}

/// Runs the command, printing to stdout/stderr; returns the process exit code.
pub async fn run_command(cmd: SendCommand) -> i32 {
    // A filter that does not compile is a usage error: said before anything is sent.
    let filter = match cmd.filter.as_deref().map(Filter::parse).transpose() {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("scout: --filter: {e}");
            if let Some(pointer) = cmd.filter.as_deref().and_then(|text| e.pointer(text)) {
                for line in pointer.lines() {
                    eprintln!("  {line}");
                }
            }
            return exit::USAGE;
        }
    };
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    // The human form (status line, headers, a shaped body) on a terminal, or when asked for.
    let tty = terminal || cmd.pretty.is_some_and(|p| p != Pretty::None);
    let pretty = cmd
        .pretty
        .unwrap_or(if terminal { Pretty::All } else { Pretty::None });
    let colours = matches!(pretty, Pretty::All | Pretty::Colors) && !crate::theme::no_color();
    let shape = Shape {
        tty,
        format: matches!(pretty, Pretty::All | Pretty::Format),
    };
    let mut out = stdout.lock();
    // Only the human form is painted; the body alone goes byte for byte.
    let result = if colours || !tty {
        run_to(&cmd, filter.as_ref(), &mut out, shape).await
    } else {
        let mut plain = crate::cli::print::WithoutColours::new(&mut out);
        run_to(&cmd, filter.as_ref(), &mut plain, shape).await
    };
    match result {
        Ok(code) => code,
        Err(Failure::Said(problem)) => {
            let _ = out.flush();
            eprintln!("scout: {problem}");
            exit::ERROR
        }
        Err(Failure::Usage(problem)) => {
            let _ = out.flush();
            eprintln!("scout: {problem}");
            exit::USAGE
        }
        Err(Failure::Http(err)) => {
            let _ = out.flush();
            eprintln!("scout: {err}");
            eprintln!("  {}", err.hint());
            if err.is_timeout() {
                exit::TIMEOUT
            } else {
                exit::ERROR
            }
        }
    }
}

/// `scout send -c PATH --list`: the saved requests of every file there. Non-zero when a file is
/// broken or there is none.
pub fn list(path: &Path) -> i32 {
    let files = match load_all(path) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("scout: cannot read {}: {e}", path.display());
            return exit::ERROR;
        }
    };
    let (text, all_ok) = listing(&files);
    print!("{text}");
    if files.is_empty() {
        eprintln!("scout: no collection files at {}", path.display());
        return exit::ERROR;
    }
    if all_ok { exit::OK } else { exit::ERROR }
}

/// The command with its output going to `out`; `tty` chooses the full, coloured form.
/// How the output is shaped: `tty`, the human form (status line, headers, the body shaped by
/// `format`: pretty-printed, else as received); otherwise the body exactly as received.
#[derive(Debug, Clone, Copy)]
struct Shape {
    tty: bool,
    format: bool,
}

async fn run_to(
    cmd: &SendCommand,
    filter: Option<&Filter>,
    out: &mut dyn Write,
    shape: Shape,
) -> Result<i32, Failure> {
    let Shape { tty, format } = shape;
    let (mut job, _demo) = match &cmd.what {
        What::Typed(spec) => {
            let input = Input {
                file: None,
                source: Source::Edited {
                    spec,
                    saved: None,
                    auth: None,
                    own: None,
                },
                environment: None,
                vars: &[],
                run_values: &Default::default(),
                env_source: &EnvSource::empty(),
                prompts: &BTreeMap::new(),
                timeouts: cmd.timeouts,
                work_dir: &cmd.work_dir,
            };
            let job = plan(&input, 1).map_err(|b| Failure::Said(b.to_string()))?;
            (job, None)
        }
        What::Saved {
            path,
            id,
            env,
            vars,
        } => saved_job(cmd, path, id, env.as_deref(), vars)?,
    };
    job.cache |= cmd.cache;
    cmd.overrides.apply(&mut job);
    if cmd.offline {
        let mut prepared = prepare(&job.spec, &job.base_dir)?;
        // Only what needs no server round trip can be shown (digest and OAuth2 happen live).
        if let Some(auth) = &job.auth {
            apply_static(&mut prepared, auth);
        }
        write_io(out.write_all(prepared.to_http1_text().as_bytes()))?;
        write_io(out.write_all(b"\n"))?;
        return Ok(exit::OK);
    }
    let client = build_client(&job.client_options())?;
    let sent = job.spec.clone();
    let (job_base, job_auth) = (job.base_dir.clone(), job.auth.clone());
    let redactor = Redactor::new(
        job.secrets.0.iter().cloned().chain(secret_header_values(
            sent.headers
                .iter()
                .filter(|h| h.enabled)
                .map(|h| (h.key.as_str(), h.value.as_str())),
        )),
    );
    let (events, reporter, mut streamed) = attempt_reporter();
    if let Some(all) = &cmd.all {
        // With a filter, the merged array is kept and filtered once every page is in.
        let mut merged = Vec::new();
        let sink: &mut dyn Write = if filter.is_some() { &mut merged } else { out };
        let code = run_all(&client, job, all, cmd.check_status, &events, sink).await;
        drop(events);
        let _ = reporter.await;
        let code = code?;
        return Ok(match filter {
            Some(filter) => match filtered(filter, &merged, None) {
                Ok(outputs) => {
                    print_filtered(out, None, &outputs, tty)?;
                    code
                }
                Err(problem) => {
                    eprintln!("scout: --filter: {problem}");
                    filter_failed(code)
                }
            },
            None => code,
        });
    }
    let mut printed_stream = false;
    let result = if cmd.download {
        download(&client, job, &events, cmd.output.as_deref(), &cmd.work_dir).await
    } else {
        let (tokens, jars) = (TokenCache::default(), CookieJars::new());
        let sending = run(&client, job, &tokens, &jars, &events);
        tokio::pin!(sending);
        // A stream prints as it arrives (unless a filter needs all of it).
        loop {
            tokio::select! {
                result = &mut sending => break result,
                Some(piece) = streamed.recv(), if filter.is_none() => {
                    printed_stream = true;
                    stream::write(out, &piece, tty)?;
                }
            }
        }
    };
    drop(events);
    let _ = reporter.await;
    if filter.is_none() && !cmd.download {
        while let Ok(piece) = streamed.try_recv() {
            printed_stream = true;
            stream::write(out, &piece, tty)?;
        }
    }
    let response = result?;
    let mut failed = false;
    match filter {
        Some(filter) => match too_large_to_filter(&response).map_or_else(
            || filtered(filter, &response.body, response.content_type()),
            Err,
        ) {
            Ok(outputs) => print_filtered(out, Some(&response), &outputs, tty)?,
            Err(problem) => {
                failed = true;
                eprintln!(
                    "scout: --filter: {problem} (the response: {} {}{})",
                    response.status,
                    response.reason,
                    response
                        .content_type()
                        .map(|t| format!(", {t}"))
                        .unwrap_or_default()
                );
            }
        },
        None if !cmd.download && !printed_stream => match cmd.print {
            Some(parts) => {
                let request = request_text(&sent, &job_base, job_auth.as_ref(), &redactor);
                print_parts(out, parts, &request, &response, tty, format)?;
            }
            None => print_response(out, &response, tty, format)?,
        },
        None => {}
    }
    if cmd.verbose {
        let _ = out.flush();
        eprint!("{}", crate::cli::verbose::report(&response, &redactor));
    }
    if cmd.explain {
        let _ = out.flush();
        eprint!("{}", explanation(&sent, &response));
    }
    // A download that was not saved (an error answer) exits as --check-status would.
    let code = if cmd.check_status || cmd.download {
        status_exit_code(response.status)
    } else {
        exit::OK
    };
    // Printed to a pipe, the body alone does not say why the exit code is not 0 (as HTTPie).
    if cmd.check_status && code != exit::OK && !tty {
        let _ = out.flush();
        eprintln!(
            "scout: warning: HTTP {} {}",
            response.status, response.reason
        );
    }
    Ok(if failed { filter_failed(code) } else { code })
}

/// The request as it goes out (HTTP/1.1 text: head, a blank line, the body), with the
/// credentials the auth profile adds and every secret redacted.
fn request_text(
    spec: &RequestSpec,
    base_dir: &Path,
    auth: Option<&ResolvedAuth>,
    redactor: &Redactor,
) -> String {
    let Ok(mut prepared) = prepare(spec, base_dir) else {
        return String::new();
    };
    if let Some(auth) = auth {
        apply_static(&mut prepared, auth);
    }
    // Each header as the history and -v show it (a credential's scheme kept, its value not).
    for (name, value) in &mut prepared.headers {
        *value = redactor.redact_header(name, value);
    }
    redactor.redact_str(&prepared.to_http1_text()).into_owned()
}

/// The exit code when the filter could not run on the response: 1, unless the command already
/// exits otherwise (--check-status's code says more: an error page is rarely JSON).
fn filter_failed(code: i32) -> i32 {
    if code == exit::OK { exit::ERROR } else { code }
}

/// Why a body kept on disk is not filtered: the filter needs all of it in memory.
fn too_large_to_filter(response: &ResponseData) -> Option<String> {
    response.spilled.as_ref().map(|s| {
        format!(
            "the body is too large to filter ({}, more than the memory cap): raise [body] \
             memory_cap in the config file, or save it and filter it with jq --stream",
            crate::model::human_size(s.len())
        )
    })
}

/// `filter`'s outputs on `body`, or why there are none: the body is not JSON, or the filter
/// failed on it. Server-sent events are filtered as the array of their JSON data, as in the app.
fn filtered(
    filter: &Filter,
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<serde_json::Value>, String> {
    let events = content_type
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"));
    let values = events
        .then(|| crate::highlight::Document::from_body(body, content_type).record_values())
        .flatten();
    let doc = match values {
        Some(values) => serde_json::Value::Array(values),
        None => parse_body(body)?,
    };
    filter.run(&doc).map_err(|e| e.to_string())
}

/// Tells stderr about each attempt that is retried (or given up on), as they happen, and passes
/// on the pieces of a response that streams (to print as they arrive).
fn attempt_reporter() -> (
    mpsc::UnboundedSender<HttpEvent>,
    tokio::task::JoinHandle<()>,
    mpsc::UnboundedReceiver<stream::Piece>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (pieces, streamed) = mpsc::unbounded_channel();
    let reporter = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            if let HttpEvent::Attempt { report, .. } = &event {
                eprintln!("scout: {}", attempt_line(report));
            }
            if let Some(piece) = stream::piece(&event) {
                let _ = pieces.send(piece);
            }
        }
    });
    (tx, reporter, streamed)
}

/// The job for saved request `id` of the collection(s) at `path`, and the demo server it talks
/// to when the collection is written for the built-in demo (kept alive while sending).
fn saved_job(
    cmd: &SendCommand,
    path: &Path,
    id: &str,
    env: Option<&str>,
    vars: &[(String, String)],
) -> Result<(Job, Option<DemoServer>), Failure> {
    let files = load_all(path)
        .map_err(|e| Failure::Said(format!("cannot read {}: {e}", path.display())))?;
    let (file, collection, saved) = find_request(&files, id).map_err(Failure::Usage)?;
    if let Some(env) = env {
        collection.environment_named(env).map_err(Failure::Usage)?;
    }
    // Collections written for the demo API get the in-process demo server, unless told where.
    let mut injected = Vec::new();
    let demo = if uses_demo(collection) && std::env::var_os(DEMO_URL_VAR).is_none() && env.is_none()
    {
        let demo = DemoServer::start(0)
            .map_err(|e| Failure::Said(format!("could not start the demo API: {e}")))?;
        injected.push((DEMO_URL_VAR.to_string(), demo.base_url()));
        Some(demo)
    } else {
        None
    };
    let env_source = env_source_for(collection, &injected).map_err(Failure::Said)?;
    let mut prompts = BTreeMap::new();
    let job = loop {
        let input = Input {
            file: Some(file),
            source: Source::Saved(saved),
            environment: env,
            vars,
            run_values: &Default::default(),
            env_source: &env_source,
            prompts: &prompts,
            timeouts: cmd.timeouts,
            work_dir: &cmd.work_dir,
        };
        match plan(&input, 1) {
            Ok(job) => break job,
            Err(Blocked::Prompt { key, var }) => {
                let answer = prompt::ask(&key)
                    .map_err(|e| Failure::Said(format!("could not ask for {key}: {e}")))?;
                let Some(answer) = answer else {
                    return Err(Failure::Said(unanswered(
                        collection.path.as_path(),
                        saved,
                        &key,
                        var.as_deref(),
                    )));
                };
                prompts.insert(key, answer);
            }
            Err(why) => {
                return Err(Failure::Said(format!(
                    "{} `{}`: {why}",
                    collection.path.display(),
                    saved.path()
                )));
            }
        }
    };
    if collection.connection.insecure {
        eprintln!(
            "scout: warning: TLS certificates are not checked (insecure = true in {})",
            collection.path.display()
        );
    }
    Ok((job, demo))
}

/// What to say when a prompt cannot be answered (no terminal, or it was not answered): how to
/// give the value instead.
fn unanswered(path: &Path, saved: &SavedRequest, key: &str, var: Option<&str>) -> String {
    // `{{NAME}}` and `{{prompt:NAME}}` take a --var; a bare `{{prompt}}` in a field cannot.
    let how = match var {
        Some(name) => format!("give it with --var {name}=VALUE"),
        None => "write `{{prompt:NAME}}` there and give --var NAME=VALUE, or use \
                 `{{env.NAME}}`"
            .to_string(),
    };
    format!(
        "{} `{}`: {key} is asked at a prompt and there is no terminal to ask on (or it was not \
         answered); run it in a terminal, or {how}",
        path.display(),
        saved.path()
    )
}

/// `--explain`: what the exchange means, a paragraph per thing, with the section to read.
fn explanation(sent: &RequestSpec, response: &ResponseData) -> String {
    let headers: Vec<(String, String)> = sent
        .headers
        .iter()
        .filter(|h| h.enabled)
        .map(|h| (h.key.clone(), h.value.clone()))
        .collect();
    let mut out = String::new();
    for note in notes(
        sent.method.as_str(),
        &headers,
        response.status,
        &response.headers,
    ) {
        out.push_str(&format!(
            "\n{} ({})\n  {}\n",
            note.subject, note.reference, note.text
        ));
        if !note.next.is_empty() {
            out.push_str(&format!("  What to do: {}\n", note.next));
        }
    }
    out
}
