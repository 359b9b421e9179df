//! `scout send --download`: the body streamed to a file through the executor (so retries, every
//! auth profile, cookies and redirects work as for any request), with a progress bar on stderr
//! when it is a terminal. The file is written beside its target under a temporary name and
//! renamed once complete; a download never replaces a file unless `-o` names it, and an answer
//! that is not 2xx is not saved.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use tokio::sync::mpsc;

use crate::http::auth::TokenCache;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::execute::BodySink;
use crate::http::executor::run_into;
use crate::http::filename::suggested_filename;
use crate::http::job::{HttpEvent, Job};
use crate::model::{ResponseData, human_duration, human_size};

/// Sends `job`, streaming the body into a file: `output` (a file, or a folder to save in), else
/// a name from the response in `dir`.
pub async fn download(
    client: &reqwest::Client,
    job: Job,
    events: &mpsc::UnboundedSender<HttpEvent>,
    output: Option<&Path>,
    dir: &Path,
) -> Result<ResponseData, HttpError> {
    // The name may depend on the response (Content-Disposition), so write to a temporary file
    // beside the target and rename it at the end. `-o DIR` saves inside DIR under that name.
    let (dir, named) = match output {
        Some(p) if p.is_dir() => (p.to_path_buf(), None),
        Some(p) => {
            let parent = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
            if !parent.is_dir() {
                return Err(HttpError::Sink {
                    path: p.display().to_string(),
                    detail: format!("the folder {} does not exist", parent.display()),
                });
            }
            (parent, Some(p.to_path_buf()))
        }
        None => (dir.to_path_buf(), None),
    };
    let temp = dir.join(format!(".scout-download-{}.part", std::process::id()));
    let shown = named.clone().unwrap_or_else(|| dir.clone());
    let progress = Arc::new(Mutex::new(Progress::new(io::stderr().is_terminal())));
    let url = job.spec.url.clone();
    let new_sink = || FileSink::create(&temp, &shown, progress.clone());
    let result = run_into(
        client,
        job,
        &TokenCache::default(),
        &CookieJars::new(),
        events,
        new_sink,
    )
    .await;
    let received = {
        let mut p = progress.lock().unwrap_or_else(PoisonError::into_inner);
        p.finish();
        p.received
    };
    let response = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    // An error page is not the file asked for: nothing is saved (the exit code says why).
    if !(200..300).contains(&response.status) {
        let _ = std::fs::remove_file(&temp);
        eprintln!(
            "{} {}  not saved: the server did not send the file ({} received)",
            response.status,
            response.reason,
            human_size(received)
        );
        return Ok(response);
    }
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
        human_size(received),
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

/// Writes one exchange's body into the temporary file (each attempt starts it afresh).
struct FileSink {
    file: File,
    path: PathBuf,
    progress: Arc<Mutex<Progress>>,
}

impl FileSink {
    fn create(
        path: &Path,
        shown: &Path,
        progress: Arc<Mutex<Progress>>,
    ) -> Result<FileSink, HttpError> {
        let file = File::create(path).map_err(|e| HttpError::Sink {
            path: shown.display().to_string(),
            detail: e.to_string(),
        })?;
        Ok(FileSink {
            file,
            path: path.to_path_buf(),
            progress,
        })
    }

    fn failed(&self, e: io::Error) -> HttpError {
        HttpError::Sink {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        }
    }
}

impl BodySink for FileSink {
    fn chunk(&mut self, data: &Bytes) -> Result<(), HttpError> {
        self.file.write_all(data).map_err(|e| self.failed(e))
    }

    fn progress(&mut self, received: u64, total: Option<u64>) {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .update(received, total);
    }

    fn finish(&mut self) -> Result<Bytes, HttpError> {
        self.file.sync_all().map_err(|e| self.failed(e))?;
        Ok(Bytes::new())
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
            self.drawn = false;
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
