//! A job (one request to send, planned with how to send it) and what is reported about it as it
//! runs: the unit the planner produces, the executor runs and the worker schedules.

use std::path::PathBuf;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::http::attempts::AttemptReport;
use crate::http::cookies::CookieView;
use crate::http::error::HttpError;
use crate::http::paginate::{Page, Pager};
use crate::model::{
    ClientOptions, Pagination, Redirects, RequestSpec, ResolvedAuth, ResponseData, RetryPolicy,
    Secrets, Timeouts, TokenStates,
};

/// Which request a report is about: the app numbers each one it sends.
pub type RequestId = u64;

/// One request to send, with how to send it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: RequestId,
    pub spec: RequestSpec,
    pub timeouts: Timeouts,
    pub retries: RetryPolicy,
    /// The auth profile in force, its templates resolved.
    pub auth: Option<ResolvedAuth>,
    /// Relative file parts resolve against this folder.
    pub base_dir: PathBuf,
    pub redirects: Redirects,
    /// The cookie jar this request stores into and sends from: its collection's path, `""` for
    /// requests outside a collection.
    pub jar: String,
    /// TLS and proxy settings. Build the client from [`Job::client_options`], which takes the
    /// connect timeout from `timeouts`.
    pub client: ClientOptions,
    /// Every secret value that went into the request (resolved secret variables, the auth
    /// profile's fields): redacted wherever the exchange is shown or stored.
    pub secrets: Secrets,
    /// The saved request's `pagination`, if it declares one (else paging is detected).
    pub pagination: Option<Pagination>,
    /// Use the private HTTP cache (`cache = true`, `--cache`).
    pub cache: bool,
    /// Wait this long before sending (a "try it" retry after `Retry-After`).
    pub delay: Option<std::time::Duration>,
    /// The most of a body kept in memory: beyond it, the body goes to a temporary file
    /// (`ResponseData::spilled`).
    pub memory_cap: u64,
    /// Ends the body's download early, keeping what arrived (Esc on a download under way): the
    /// worker sets one for each send it runs; `None` cannot be stopped, only cancelled.
    pub stop: Option<CancellationToken>,
}

impl Job {
    /// A job for `spec` with the defaults: no retries, no auth, redirects followed, the working
    /// folder for files, no collection jar, system TLS and proxy. Set the rest where it applies.
    pub fn new(id: RequestId, spec: RequestSpec, timeouts: Timeouts) -> Job {
        Job {
            id,
            spec,
            timeouts,
            retries: RetryPolicy::off(),
            auth: None,
            base_dir: PathBuf::from("."),
            redirects: Redirects::default(),
            jar: String::new(),
            client: ClientOptions::new(timeouts.connect),
            secrets: Secrets::default(),
            pagination: None,
            cache: false,
            delay: None,
            memory_cap: crate::model::DEFAULT_MEMORY_CAP,
            stop: None,
        }
    }

    /// The client this job is sent with: its TLS and proxy settings, and its connect timeout.
    pub fn client_options(&self) -> ClientOptions {
        ClientOptions {
            connect: self.timeouts.connect,
            ..self.client.clone()
        }
    }
}

/// What sending reports: the executor's progress, attempts and credentials, the outcome, pages,
/// and the worker's snapshots of its cookie jars and tokens.
#[derive(Debug)]
pub enum HttpEvent {
    Progress {
        id: RequestId,
        received: u64,
        total: Option<u64>,
    },
    /// The head of a response that streams (server-sent events): the app shows its body as it
    /// arrives, in [`HttpEvent::Chunk`]s, until [`HttpEvent::Finished`] (or the user stops it).
    Streaming {
        id: RequestId,
        status: u16,
        reason: String,
        version: String,
        headers: Vec<(String, String)>,
    },
    /// More of a streaming body, in order (at most every 50 ms).
    Chunk { id: RequestId, data: bytes::Bytes },
    /// An attempt that is followed by a wait (or after which the policy gives up, or that is not
    /// retried because of its method). Progress after it belongs to the next attempt.
    Attempt {
        id: RequestId,
        report: AttemptReport,
    },
    /// Secret values an attempt of `id` sends that its job did not hold: an OAuth2 token or a
    /// Digest answer added by the auth flow, a session cookie from the jar. Sent before the
    /// response, so they are redacted like the job's own secrets.
    Credentials { id: RequestId, values: Secrets },
    Finished {
        id: RequestId,
        result: Result<Box<ResponseData>, HttpError>,
    },
    /// A page of response `id`, with where paging stands after it.
    Page {
        id: RequestId,
        page: Box<Page>,
        pager: Box<Pager>,
    },
    /// Waiting out a rate limit before the next page.
    PageWaiting {
        id: RequestId,
        for_: Duration,
        why: String,
    },
    /// Loading pages ended (the last page, a cap, a stop or a failed page: see the pager).
    PagingDone { id: RequestId, pager: Box<Pager> },
    /// The cookies of jar `jar` after an exchange that used it (the Cookies tab's snapshot).
    Cookies {
        jar: String,
        cookies: Vec<CookieView>,
    },
    /// Every OAuth2 token's state, after one of them changed (the Auth tab's snapshot).
    Tokens(TokenStates),
}
