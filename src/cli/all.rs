//! `scout send --all`: follow the pagination and print every page's items, as one JSON array or
//! as JSON Lines, with progress on stderr when it is a terminal.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::cli::print::{exit, status_exit_code, write_io};
use crate::http::attempts::TokioSleep;
use crate::http::auth::TokenCache;
use crate::http::build::parse_url;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::job::{HttpEvent, Job};
use crate::http::paginate::{Load, Pager, PagerEvent};
use crate::model::{counted, human_duration};

/// `--all` and its options.
#[derive(Debug, Clone, Default)]
pub struct All {
    pub max_pages: Option<usize>,
    pub jsonl: bool,
}

/// Sends the first page with `job` (its `pagination` config, if the saved request has one, else
/// detected from the first response), then follows the pages; each exchange's attempts are
/// reported on `exchange_events`. Returns the exit code: with `check_status`, a first response
/// that is not 2xx exits as `--check-status` says, its body printed and no page followed.
pub async fn run_all(
    client: &reqwest::Client,
    job: Job,
    all: &All,
    check_status: bool,
    exchange_events: &mpsc::UnboundedSender<HttpEvent>,
    out: &mut dyn Write,
) -> Result<i32, HttpError> {
    let started = Instant::now();
    let tokens = TokenCache::default();
    let jars = CookieJars::new();
    let url = parse_url(&job.spec.url)?;
    let first =
        crate::http::executor::run(client, job.clone(), &tokens, &jars, exchange_events).await?;
    if check_status && !(200..300).contains(&first.status) {
        eprintln!(
            "scout: {} {}: no pages followed",
            first.status, first.reason
        );
        write_io(out.write_all(&first.body))?;
        return Ok(status_exit_code(first.status));
    }
    let configured = job.pagination.as_ref();
    let Some((mut pager, items)) = Pager::start(configured, &url, &first, all.max_pages) else {
        eprintln!(
            "scout: the response does not page (no Link next, next URL, cursor, page or offset \
             found); printing it as it is. Set pagination = {{ style = … }} to say how it pages."
        );
        write_io(out.write_all(&first.body))?;
        return Ok(if (200..300).contains(&first.status) {
            exit::OK
        } else {
            exit::ERROR
        });
    };
    let progress = io::stderr().is_terminal();
    eprintln!("scout: paging by {} ({})", pager.pagination, pager.why);
    let mut merged: Vec<Value> = Vec::new();
    let mut pages = 1;
    let mut count = 0usize;
    let mut emit = |items: Vec<Value>, out: &mut dyn Write| -> Result<(), HttpError> {
        if all.jsonl {
            for item in &items {
                let line = serde_json::to_string(item).unwrap_or_default();
                write_io(out.write_all(line.as_bytes()))?;
                write_io(out.write_all(b"\n"))?;
            }
        } else {
            merged.extend(items);
        }
        Ok(())
    };
    emit(items, out)?;
    let loaded = pager
        .load(
            Load::All,
            client,
            &job,
            &tokens,
            &jars,
            &TokioSleep,
            exchange_events,
            |event, _| match event {
                PagerEvent::Page(page) => {
                    pages = page.number;
                    count += page.items.len();
                    if progress {
                        eprint!(
                            "\r\x1b[2Kscout: page {pages} · {count} more items · {}",
                            human_duration(started.elapsed())
                        );
                    }
                    emit(page.items, out)
                }
                PagerEvent::Waiting { for_, why } => {
                    eprintln!("\nscout: {why}; waiting {}", human_duration(for_));
                    Ok(())
                }
            },
        )
        .await;
    if progress {
        eprintln!();
    }
    if !all.jsonl {
        let text = serde_json::to_string_pretty(&merged).unwrap_or_default();
        write_io(out.write_all(text.as_bytes()))?;
        write_io(out.write_all(b"\n"))?;
    }
    let total = pager.state.items;
    let why = pager.finished.clone().unwrap_or_default();
    eprintln!(
        "scout: {total} items from {} in {} — {why}",
        counted(pager.state.pages, "page"),
        human_duration(started.elapsed())
    );
    loaded?;
    // Stopping early because something went wrong is a failure; the last page or a cap is not.
    Ok(if pager.failed { exit::ERROR } else { exit::OK })
}
