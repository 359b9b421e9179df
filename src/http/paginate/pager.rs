//! Following pages: the async part. A [`Pager`] remembers where paging stands after each page;
//! [`Pager::load`] fetches pages through the executor (auth, retries, cookies, timeouts of the
//! original request), waits out rate limits between pages, and reports each page as it
//! arrives. The headless `--all` and the app's `m`/`M` both go through here.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tokio::sync::mpsc;
use url::Url;

use crate::http::attempts::Sleep;
use crate::http::auth::TokenCache;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::executor::run;
use crate::http::job::{HttpEvent, Job};
use crate::http::paginate::detect::could_page;
use crate::http::paginate::{PagerState, Step, StopReason, detect, next_page, same_origin};
use crate::http::ratelimit::RateLimit;
use crate::model::{Pagination, ResponseData, is_secret_header};

/// The longest scout waits for a rate-limit window to reset between pages.
pub const MAX_RATE_WAIT: Duration = Duration::from_secs(120);

/// Where paging stands.
#[derive(Debug, Clone)]
pub struct Pager {
    pub pagination: Pagination,
    /// How the style was chosen: `"configured"`, or what detection saw ("Link header with
    /// rel=\"next\"").
    pub why: String,
    pub state: PagerState,
    /// The page to load next; `None` once paging is over.
    pub next: Option<Url>,
    /// Why paging is over (the last page, or an early stop), once it is.
    pub finished: Option<String>,
    /// The first page's URL: pages on another origin are sent without credentials.
    pub origin: Url,
    /// The API's total item count, when it says.
    pub total: Option<u64>,
    /// How long to wait before the next page, and why: the last page used up the rate limit.
    pub rate_wait: Option<(Duration, String)>,
    /// Stopped at a cap with pages left: the next of them, for [`Pager::raise_cap`].
    pub resume: Option<Url>,
    /// Paging ended because something went wrong (a loop, a failed page, not JSON, vanished
    /// items) rather than at the last page or a cap.
    pub failed: bool,
}

/// One loaded page.
#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub url: String,
    pub status: u16,
    pub elapsed: Duration,
    pub items: Vec<Value>,
    /// The page's response as received (for the Pages view).
    pub response: Arc<ResponseData>,
}

/// What loading reports as it goes.
#[derive(Debug)]
pub enum PagerEvent {
    Page(Page),
    /// Waiting for a rate-limit window before the next page.
    Waiting {
        for_: Duration,
        why: String,
    },
}

/// How many pages a load may fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// The next page only (`m`).
    One,
    /// Every remaining page, up to the caps (`M`, `--all`).
    All,
}

impl Pager {
    /// Paging for the first response: the configured style, else what detection finds, with at
    /// most `max_pages` pages when given (`--max-pages`; the first counts). `None` when the
    /// response does not page (not JSON, no sign of pagination). Returns the pager and the first
    /// page's items.
    pub fn start(
        configured: Option<&Pagination>,
        request_url: &Url,
        response: &ResponseData,
        max_pages: Option<usize>,
    ) -> Option<(Pager, Vec<Value>)> {
        let (mut pagination, why) = match configured {
            Some(p) => (p.clone(), "configured".to_owned()),
            None => {
                let (status, headers) = (response.status, &response.headers);
                if !could_page(request_url, status, headers, &response.body) {
                    return None;
                }
                let json: Value = serde_json::from_slice(&response.body).ok()?;
                let d = detect(request_url, response.status, &response.headers, &json)?;
                (d.style, d.why)
            }
        };
        if let Some(max) = max_pages {
            pagination.limits.max_pages = max;
        }
        let limits = pagination.limits;
        let mut pager = Pager {
            pagination,
            why,
            state: PagerState::new(),
            next: None,
            finished: None,
            origin: request_url.clone(),
            total: None,
            failed: false,
            resume: None,
            rate_wait: rate_limit_wait(response, SystemTime::now()),
        };
        let items = pager.step(
            &limits,
            request_url,
            response.status,
            &response.headers,
            &response.body,
        );
        Some((pager, items))
    }

    /// Whether another page can be loaded.
    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }

    /// Whether paging stopped at a cap with pages left ([`Pager::raise_cap`] goes on).
    pub fn at_cap(&self) -> bool {
        self.resume.is_some()
    }

    /// At a cap with pages left: allows `pages` more pages (and as many more items as the item
    /// cap allowed in all) and points at the next page again. Whether it could.
    pub fn raise_cap(&mut self, pages: usize) -> bool {
        let Some(next) = self.resume.take() else {
            return false;
        };
        let limits = &mut self.pagination.limits;
        limits.max_pages = self.state.pages + pages;
        limits.max_items += self.state.items;
        self.next = Some(next);
        self.finished = None;
        self.failed = false;
        true
    }

    /// Takes in the page at `url`; returns its items and moves `next` on.
    fn step(
        &mut self,
        limits: &crate::model::Limits,
        url: &Url,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Vec<Value> {
        let step = next_page(
            &self.pagination,
            limits,
            &self.state,
            url,
            status,
            headers,
            body,
        );
        let items = match step {
            Step::More {
                next_url,
                items,
                total,
            } => {
                self.next = Some(next_url);
                self.total = total.or(self.total);
                items
            }
            Step::Last { items, reason } => {
                self.next = None;
                self.finished = Some(reason);
                items
            }
            Step::Stop {
                items_so_far,
                reason,
                resume,
            } => {
                self.finished = Some(reason.to_string());
                self.resume = resume;
                self.failed = !matches!(reason, StopReason::Cap(_));
                if matches!(reason, StopReason::Failed { .. }) {
                    // A failed page can be asked for again (`m`): keep pointing at it, and do
                    // not count it as loaded (asking again is not a loop).
                    self.next = Some(url.clone());
                    return items_so_far;
                }
                self.next = None;
                items_so_far
            }
        };
        self.state.record(url, items.len());
        items
    }

    /// Loads the next page, or all remaining ones, handing each to `on_event` with the pager as
    /// it stands after it (an error from `on_event` stops the load). `template` is the original
    /// request's job (auth, retries, timeouts, cookies); only its URL changes, and a page on
    /// another origin goes without credentials. The executor's own reports for each page
    /// (attempts, credentials, progress) go to `exchange_events`.
    #[allow(clippy::too_many_arguments)]
    pub async fn load<F>(
        &mut self,
        load: Load,
        client: &reqwest::Client,
        template: &Job,
        tokens: &TokenCache,
        jars: &CookieJars,
        sleeper: &dyn Sleep,
        exchange_events: &mpsc::UnboundedSender<HttpEvent>,
        mut on_event: F,
    ) -> Result<(), HttpError>
    where
        F: FnMut(PagerEvent, &Pager) -> Result<(), HttpError>,
    {
        let limits = self.pagination.limits;
        while let Some(url) = self.next.take() {
            if let Some((for_, why)) = self.rate_wait.take() {
                on_event(PagerEvent::Waiting { for_, why }, self)?;
                sleeper.sleep(for_).await;
            }
            self.finished = None;
            self.failed = false;
            let mut job = template.clone();
            job.spec.url = url.to_string();
            if !same_origin(&self.origin, &url) {
                job.auth = None;
                job.spec.headers.retain(|h| !is_secret_header(&h.key));
            }
            let started = Instant::now();
            let response = match run(client, job, tokens, jars, exchange_events).await {
                Ok(r) => r,
                Err(e) => {
                    // Keep the page to try again, and say why paging stopped.
                    self.next = Some(url);
                    self.finished = Some(format!("the next page could not be loaded: {e}"));
                    self.failed = true;
                    return Err(e);
                }
            };
            let number = self.state.pages + 1;
            let items = self.step(
                &limits,
                &url,
                response.status,
                &response.headers,
                &response.body,
            );
            let page = Page {
                number,
                url: url.to_string(),
                status: response.status,
                elapsed: started.elapsed(),
                items,
                response: Arc::new(response),
            };
            self.rate_wait = rate_limit_wait(&page.response, SystemTime::now());
            on_event(PagerEvent::Page(page), self)?;
            // One page asked for, the last page, or a stop (a failed page waits for `m`).
            if load == Load::One || self.next.is_none() || self.finished.is_some() {
                break;
            }
        }
        Ok(())
    }
}

/// How long to wait before the next page: none while the rate limit has requests left; until
/// the reset (at most [`MAX_RATE_WAIT`]) when it has none.
pub fn rate_limit_wait(response: &ResponseData, now: SystemTime) -> Option<(Duration, String)> {
    let limit = RateLimit::parse(&response.headers, now)?;
    if limit.remaining != Some(0) {
        return None;
    }
    let wait = limit
        .retry_after
        .or_else(|| limit.reset.map(|r| r.remaining(now)))?;
    Some((
        wait.min(MAX_RATE_WAIT),
        format!("rate limit used up: {}", limit.summary(now)),
    ))
}
