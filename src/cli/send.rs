//! `scout send`: one request, printed like xh/HTTPie, with scripting-friendly exit codes;
//! `--all` follows its pages ([`all`]).

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

pub use crate::cli::all::All;
use crate::highlight::{Document, highlighter};
use crate::http::attempts::AttemptReport;
use crate::http::auth::{TokenCache, apply_static};
use crate::http::build::{Prepared, prepare};
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::execute::{BodySink, execute};
use crate::http::filename::suggested_filename;
use crate::http::worker::{HttpEvent, Job, run as run_job};
use crate::model::{
    ClientOptions, Redirects, RequestSpec, ResolvedAuth, ResponseData, RetryPolicy, Timeouts,
    human_duration, human_size,
};

/// Bodies larger than this (pretty-printed) are printed to a terminal without colours.
const HIGHLIGHT_LIMIT: usize = 4 * 1024 * 1024;

/// Exit codes, as HTTPie and xh use them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const TIMEOUT: i32 = 2;
}

#[derive(Debug, Clone)]
pub struct SendOptions {
    pub spec: RequestSpec,
    pub timeouts: Timeouts,
    /// How a saved request is sent (retries, auth, redirects, TLS/proxy); defaults for a URL
    /// typed on the command line.
    pub how: How,
    /// `--all`: follow the pagination.
    pub all: Option<All>,
    /// Print the request instead of sending it.
    pub offline: bool,
    /// Exit 3/4/5 for 3xx/4xx/5xx responses.
    pub check_status: bool,
    /// Stream the body to a file instead of printing it.
    pub download: bool,
    pub output: Option<PathBuf>,
    /// Relative file parts resolve against this folder.
    pub base_dir: PathBuf,
}

/// The settings of a saved request that shape sending it.
#[derive(Debug, Clone)]
pub struct How {
    pub retries: RetryPolicy,
    pub auth: Option<ResolvedAuth>,
    pub redirects: Redirects,
    /// TLS and proxy; its connect timeout is replaced by `timeouts.connect`.
    pub client: ClientOptions,
}

impl Default for How {
    /// A URL from the command line: no retries, no auth, redirects followed, system proxy.
    fn default() -> Self {
        How {
            retries: RetryPolicy::off(),
            auth: None,
            redirects: Redirects::default(),
            client: ClientOptions::default(),
        }
    }
}

/// Runs the command, printing to stdout/stderr; returns the process exit code.
pub async fn run(opts: SendOptions) -> i32 {
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    match run_to(&opts, &mut out, tty).await {
        Ok(code) => code,
        Err(err) => {
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

/// The command with its output going to `out`; `tty` chooses the full, coloured form.
pub async fn run_to(opts: &SendOptions, out: &mut dyn Write, tty: bool) -> Result<i32, HttpError> {
    if opts.offline {
        let mut prepared = prepare(&opts.spec, &opts.base_dir)?;
        // Only what needs no server round trip can be shown (digest and OAuth2 happen live).
        if let Some(auth) = &opts.how.auth {
            apply_static(&mut prepared, auth);
        }
        write_io(out.write_all(prepared.to_http1_text().as_bytes()))?;
        write_io(out.write_all(b"\n"))?;
        return Ok(exit::OK);
    }
    let client = crate::http::client::build_client(&ClientOptions {
        connect: opts.timeouts.connect,
        ..opts.how.client.clone()
    })?;
    let response = if opts.download {
        let mut prepared = prepare(&opts.spec, &opts.base_dir)?;
        if let Some(auth) = &opts.how.auth {
            if matches!(auth, ResolvedAuth::Digest { .. } | ResolvedAuth::OAuth2(_)) {
                return Err(HttpError::Auth {
                    message: format!(
                        "--download sends basic, bearer and api-key profiles; this request uses {}",
                        auth.kind_name()
                    ),
                });
            }
            apply_static(&mut prepared, auth);
        }
        download(&client, prepared, opts).await?
    } else if let Some(all) = &opts.all {
        return crate::cli::all::run_all(&client, job_of(opts), all, out).await;
    } else {
        let response = send_job(&client, opts).await?;
        print_response(out, &response, tty)?;
        response
    };
    Ok(if opts.check_status {
        status_exit_code(response.status)
    } else {
        exit::OK
    })
}

/// Sends the request the way the app's worker does — retries around authenticated attempts,
/// cookies kept across redirects — and tells stderr about each attempt that is retried.
async fn send_job(client: &reqwest::Client, opts: &SendOptions) -> Result<ResponseData, HttpError> {
    let job = job_of(opts);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let reporter = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            if let HttpEvent::Attempt { report, .. } = event {
                eprintln!("scout: {}", attempt_line(&report));
            }
        }
    });
    let result = run_job(client, job, &TokenCache::default(), &CookieJars::new(), &tx).await;
    drop(tx);
    let _ = reporter.await;
    result
}

/// The worker's job for the command's request.
fn job_of(opts: &SendOptions) -> Job {
    Job {
        id: 1,
        spec: opts.spec.clone(),
        timeouts: opts.timeouts,
        retries: opts.how.retries.clone(),
        auth: opts.how.auth.clone(),
        base_dir: opts.base_dir.clone(),
        redirects: opts.how.redirects,
        jar: String::new(),
        client: opts.how.client.clone(),
    }
}

/// `attempt 1 of 4: 503 Service Unavailable; next in 1 s (Retry-After: 1 s)`.
fn attempt_line(r: &AttemptReport) -> String {
    let mut line = format!("attempt {} of {}: {}", r.attempt, r.of, r.outcome);
    if let Some(wait) = r.wait {
        line.push_str(&format!("; next in {}", human_duration(wait)));
    }
    if !r.note.is_empty() {
        line.push_str(&format!(" ({})", r.note));
    }
    line
}

/// HTTPie's `--check-status`: 3 for 3xx, 4 for 4xx, 5 for 5xx, else 0.
pub fn status_exit_code(status: u16) -> i32 {
    match status {
        300..=399 => 3,
        400..=499 => 4,
        500..=599 => 5,
        _ => exit::OK,
    }
}

pub(crate) fn write_io(r: io::Result<()>) -> Result<(), HttpError> {
    match r {
        Ok(()) => Ok(()),
        // A closed pipe (`scout send … | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(HttpError::Sink {
            path: "stdout".into(),
            detail: e.to_string(),
        }),
    }
}

fn print_response(
    out: &mut dyn Write,
    response: &ResponseData,
    tty: bool,
) -> Result<(), HttpError> {
    if !tty {
        // Piped: the body exactly as received, nothing else (like xh).
        return write_io(out.write_all(&response.body));
    }
    let mut text = String::new();
    for hop in &response.redirects {
        text.push_str(&paint(
            &format!("{} → {}", hop.status, hop.location),
            Style::default().fg(Color::DarkGray),
        ));
        text.push('\n');
    }
    let status_color = match response.status {
        200..=299 => Color::Green,
        300..=399 => Color::Cyan,
        400..=499 => Color::Yellow,
        _ => Color::Red,
    };
    text.push_str(&paint(
        &format!("{} ", response.version),
        Style::default().fg(Color::Blue),
    ));
    text.push_str(&paint(
        &format!("{} {}", response.status, response.reason),
        Style::default()
            .fg(status_color)
            .add_modifier(Modifier::BOLD),
    ));
    text.push_str(&paint(
        &format!(
            "  ({}, {})",
            human_duration(response.elapsed),
            human_size(response.body.len() as u64)
        ),
        Style::default().fg(Color::DarkGray),
    ));
    text.push('\n');
    for (k, v) in &response.headers {
        text.push_str(&paint(k, Style::default().fg(Color::Cyan)));
        text.push_str(&format!(": {v}\n"));
    }
    text.push('\n');
    write_io(out.write_all(text.as_bytes()))?;
    if response.body.is_empty() {
        return Ok(());
    }
    let doc = Document::from_body(&response.body, response.content_type());
    let mut body = String::new();
    for notice in doc.notices() {
        body.push_str(&paint(
            &format!("⚠ {notice}\n"),
            Style::default().fg(Color::Yellow),
        ));
    }
    write_io(out.write_all(body.as_bytes()))?;
    // Highlighting is linear in the body; past a few MB a terminal gets the plain pretty text.
    if doc.text().len() > HIGHLIGHT_LIMIT {
        return write_io(out.write_all(doc.text().as_bytes()));
    }
    let mut start = 0;
    while start < doc.line_count() {
        let end = (start + 1024).min(doc.line_count());
        let mut chunk = String::new();
        for line in highlighter().highlight(&doc, start..end) {
            chunk.push_str(&line_to_ansi(&line));
            chunk.push('\n');
        }
        write_io(out.write_all(chunk.as_bytes()))?;
        start = end;
    }
    Ok(())
}

/// A styled line as ANSI escape sequences.
pub fn line_to_ansi(line: &Line<'_>) -> String {
    let mut out = String::new();
    for span in &line.spans {
        out.push_str(&paint(&span.content, span.style.patch(line.style)));
    }
    out
}

fn paint(text: &str, style: Style) -> String {
    let mut codes: Vec<String> = Vec::new();
    if style.add_modifier.contains(Modifier::BOLD) {
        codes.push("1".into());
    }
    if style.add_modifier.contains(Modifier::ITALIC) {
        codes.push("3".into());
    }
    if style.add_modifier.contains(Modifier::UNDERLINED) {
        codes.push("4".into());
    }
    match style.fg {
        Some(Color::Rgb(r, g, b)) => codes.push(format!("38;2;{r};{g};{b}")),
        Some(Color::Green) => codes.push("32".into()),
        Some(Color::Cyan) => codes.push("36".into()),
        Some(Color::Yellow) => codes.push("33".into()),
        Some(Color::Red) => codes.push("31".into()),
        Some(Color::Blue) => codes.push("34".into()),
        Some(Color::DarkGray) => codes.push("90".into()),
        _ => {}
    }
    if codes.is_empty() {
        text.to_string()
    } else {
        format!("\x1b[{}m{text}\x1b[0m", codes.join(";"))
    }
}

/// Streams the body to a file, with a progress bar on stderr when it is a terminal.
async fn download(
    client: &reqwest::Client,
    prepared: Prepared,
    opts: &SendOptions,
) -> Result<ResponseData, HttpError> {
    // The name may depend on the response (Content-Disposition), so write to a temporary file
    // beside the target and rename it at the end. `-o DIR` saves inside DIR under that name.
    let (dir, named) = match &opts.output {
        Some(p) if p.is_dir() => (p.clone(), None),
        Some(p) => {
            let parent = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| opts.base_dir.clone(), Path::to_path_buf);
            if !parent.is_dir() {
                return Err(HttpError::Sink {
                    path: p.display().to_string(),
                    detail: format!("the folder {} does not exist", parent.display()),
                });
            }
            (parent, Some(p.clone()))
        }
        None => (opts.base_dir.clone(), None),
    };
    let temp = dir.join(format!(".scout-download-{}.part", std::process::id()));
    let file = File::create(&temp).map_err(|e| HttpError::Sink {
        path: named.as_ref().unwrap_or(&dir).display().to_string(),
        detail: e.to_string(),
    })?;
    let mut sink = FileSink {
        file,
        path: temp.clone(),
        progress: Progress::new(io::stderr().is_terminal()),
    };
    let url = prepared.url.to_string();
    // As in the worker: the api-key header of the profile stays on its origin too.
    let options = crate::http::execute::ExchangeOptions {
        redirects: opts.how.redirects,
        private_headers: opts
            .how
            .auth
            .iter()
            .filter_map(crate::http::worker::auth_header_name)
            .collect(),
        ..opts.timeouts.into()
    };
    let result = execute(client, prepared, options, &mut sink).await;
    sink.progress.finish();
    let response = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    let target = named.unwrap_or_else(|| {
        free_name(
            &dir,
            &suggested_filename(
                response.header("content-disposition"),
                &url,
                response.content_type(),
            ),
        )
    });
    if let Err(e) = std::fs::rename(&temp, &target) {
        let _ = std::fs::remove_file(&temp);
        return Err(HttpError::Sink {
            path: target.display().to_string(),
            detail: e.to_string(),
        });
    }
    eprintln!(
        "{} {}  saved {} to {} in {}",
        response.status,
        response.reason,
        human_size(sink.progress.received),
        target.display(),
        human_duration(response.elapsed)
    );
    Ok(response)
}

/// `name`, or `name-1`, `name-2`… if taken: a download never replaces a file unless `-o` says so.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.to_string(), String::new()),
    };
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

struct FileSink {
    file: File,
    path: PathBuf,
    progress: Progress,
}

impl BodySink for FileSink {
    fn chunk(&mut self, data: &bytes::Bytes) -> Result<(), HttpError> {
        self.file.write_all(data).map_err(|e| HttpError::Sink {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        })
    }

    fn progress(&mut self, received: u64, total: Option<u64>) {
        self.progress.update(received, total);
    }
}

/// A one-line progress bar redrawn in place on stderr.
struct Progress {
    enabled: bool,
    started: Instant,
    received: u64,
    drawn: bool,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            started: Instant::now(),
            received: 0,
            drawn: false,
        }
    }

    fn update(&mut self, received: u64, total: Option<u64>) {
        self.received = received;
        if !self.enabled {
            return;
        }
        eprint!(
            "\r{}",
            progress_line(received, total, self.started.elapsed().as_secs_f64())
        );
        self.drawn = true;
    }

    fn finish(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}

/// `[########------------]  42%  4.2 MB / 10 MB  2.1 MB/s`
pub fn progress_line(received: u64, total: Option<u64>, secs: f64) -> String {
    let rate = if secs > 0.0 {
        (received as f64 / secs) as u64
    } else {
        0
    };
    match total {
        Some(t) if t > 0 => {
            let frac = (received as f64 / t as f64).min(1.0);
            let filled = (frac * 24.0).round() as usize;
            format!(
                "[{}{}] {:>3}%  {} / {}  {}/s ",
                "#".repeat(filled),
                "-".repeat(24 - filled),
                (frac * 100.0).round() as u32,
                human_size(received),
                human_size(t),
                human_size(rate)
            )
        }
        _ => format!("{} received  {}/s ", human_size(received), human_size(rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_status_codes_follow_httpie() {
        assert_eq!(status_exit_code(200), 0);
        assert_eq!(status_exit_code(302), 3);
        assert_eq!(status_exit_code(404), 4);
        assert_eq!(status_exit_code(503), 5);
    }

    #[test]
    fn progress_bar_shows_fraction_and_rate() {
        let line = progress_line(5 * 1024 * 1024, Some(10 * 1024 * 1024), 2.0);
        assert!(
            line.starts_with("[############------------]  50%"),
            "{line}"
        );
        assert!(
            line.contains("5.0 MB / 10 MB") && line.contains("2.5 MB/s"),
            "{line}"
        );
        assert!(progress_line(100, None, 0.0).contains("100 B received"));
    }

    #[test]
    fn downloads_pick_a_free_name() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(free_name(dir.path(), "a.json"), dir.path().join("a.json"));
        std::fs::write(dir.path().join("a.json"), "x").unwrap();
        std::fs::write(dir.path().join("a-1.json"), "x").unwrap();
        assert_eq!(free_name(dir.path(), "a.json"), dir.path().join("a-2.json"));
    }
}
