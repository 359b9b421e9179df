//! The one executor: sends a job — each attempt of its retry policy an authenticated exchange
//! (credentials added, a Digest challenge answered, one fresh OAuth2 token after a 401), cookies
//! from and into its jar, redirects followed without carrying credentials to another origin —
//! into a body sink: kept in memory ([`run`]; beyond the job's memory cap, in a temporary file —
//! see [`crate::http::in_memory`]), streamed to a file (`scout send --download`), or
//! page by page (the pager calls [`run`] for each page).

use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use tokio::sync::mpsc;
use url::Url;

use crate::http::attempts::{TokioSleep, with_retries};
use crate::http::auth::{TokenCache, send_authenticated};
use crate::http::build::{Prepared, parse_url, prepare};
use crate::http::cache;
use crate::http::cookies::CookieJars;
use crate::http::error::HttpError;
use crate::http::execute::{BodySink, ExchangeOptions, execute};
use crate::http::in_memory::InMemory;
use crate::http::job::{HttpEvent, Job, RequestId};
use crate::model::{
    KeyLocation, KeyValue, Method, ResolvedAuth, ResponseData, Secrets, secret_cookie_values,
    secret_header_values,
};

/// Sends `job`, keeping the body in memory (the response's `body`) and reporting progress and
/// attempts on `events`, after `job.delay` when it has one. With `job.cache`, a GET or HEAD goes
/// through the private cache: a fresh copy is answered without a request, a stale one is
/// revalidated.
pub async fn run(
    client: &reqwest::Client,
    mut job: Job,
    tokens: &TokenCache,
    jars: &CookieJars,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    if let Some(delay) = job.delay.take() {
        tokio::time::sleep(delay).await;
    }
    let method = job.spec.method;
    let url = parse_url(&job.spec.url).map(|u| u.to_string());
    let (true, Method::Get | Method::Head, Ok(url)) = (job.cache, method, url) else {
        return run_in_memory(client, job, tokens, jars, events).await;
    };
    let headers: Vec<(String, String)> = job
        .spec
        .headers
        .iter()
        .filter(|h| h.enabled && !h.key.trim().is_empty())
        .map(|h| (h.key.trim().to_string(), h.value.clone()))
        .collect();
    // A request that is conditional (or partial) by itself asks the server, as it was written.
    if headers.iter().any(|(k, _)| cache::bypasses(k)) {
        return run_in_memory(client, job, tokens, jars, events).await;
    }
    let conditional = match cache::before(method, &url, &headers, SystemTime::now()) {
        cache::Before::Fresh(response) => return Ok(*response),
        cache::Before::Revalidate(conditional) => conditional,
        cache::Before::Miss => Vec::new(),
    };
    job.spec
        .headers
        .extend(conditional.iter().map(|(k, v)| KeyValue::new(k, v)));
    let response = run_in_memory(client, job, tokens, jars, events).await?;
    Ok(cache::after(
        method,
        &url,
        &headers,
        &conditional,
        response,
        SystemTime::now(),
    ))
}

async fn run_in_memory(
    client: &reqwest::Client,
    job: Job,
    tokens: &TokenCache,
    jars: &CookieJars,
    events: &mpsc::UnboundedSender<HttpEvent>,
) -> Result<ResponseData, HttpError> {
    let (id, memory_cap) = (job.id, job.memory_cap);
    run_into(client, job, tokens, jars, events, || {
        Ok(InMemory::new(id, memory_cap, events.clone()))
    })
    .await
}

/// Sends `job` into the sinks `new_sink` makes, a fresh one for each exchange (what arrived is
/// that attempt's alone); the response's `body` is what the last sink's
/// [`BodySink::finish`] returns. Attempts are reported on `events`.
pub async fn run_into<S, F>(
    client: &reqwest::Client,
    job: Job,
    tokens: &TokenCache,
    jars: &CookieJars,
    events: &mpsc::UnboundedSender<HttpEvent>,
    new_sink: F,
) -> Result<ResponseData, HttpError>
where
    S: BodySink,
    F: FnMut() -> Result<S, HttpError> + Send,
{
    let Job {
        id,
        spec,
        timeouts,
        retries,
        auth,
        base_dir,
        redirects,
        jar,
        client: _,
        secrets: _,
        pagination: _,
        cache: _,
        delay: _,
        memory_cap: _,
        stop,
    } = job;
    let options = ExchangeOptions {
        timeouts,
        redirects,
        cookies: Some(jars.jar(&jar)),
        private_headers: auth.iter().filter_map(auth_header_name).collect(),
        stop,
    };
    let (method, headers) = (spec.method, spec.headers.clone());
    // Reading multipart files is blocking I/O: keep it off the runtime's threads.
    let prepared = tokio::task::spawn_blocking(move || prepare(&spec, &base_dir))
        .await
        .map_err(|e| HttpError::Other(format!("request preparation failed: {e}")))??;
    // Attempts follow one another, so the factory is only ever called by one at a time.
    let new_sink = Mutex::new(new_sink);
    // One exchange on the wire; the auth flow wraps it, and the retry loop repeats the result.
    let single = |req: Prepared| {
        report_credentials(id, &req.headers, &req.url, &options, events);
        let sink = (new_sink.lock().unwrap_or_else(PoisonError::into_inner))();
        let options = &options;
        async move {
            // Stopped between attempts (while a retry waited): nothing of this one to keep.
            if options.stop.as_ref().is_some_and(|s| s.is_cancelled()) {
                return Err(HttpError::stopped_early());
            }
            let response = send_once(client, req, options, sink).await?;
            // Cookies set on the way (a login, a redirect hop) may be echoed by this response.
            if let Ok(url) = Url::parse(&response.url) {
                report_credentials(id, &[], &url, options, events);
            }
            Ok(response)
        }
    };
    with_retries(
        &retries,
        method,
        &headers,
        |_attempt| send_authenticated(prepared.clone(), auth.as_ref(), tokens, client, single),
        &TokioSleep,
        &mut fastrand::Rng::new(),
        |report| {
            let _ = events.send(HttpEvent::Attempt { id, report });
        },
    )
    .await
}

/// Reports the secret values of `headers` (the auth flow's included) and the jar's session
/// cookies for `url` as [`HttpEvent::Credentials`].
fn report_credentials(
    id: RequestId,
    headers: &[(String, String)],
    url: &Url,
    options: &ExchangeOptions,
    events: &mpsc::UnboundedSender<HttpEvent>,
) {
    let mut values = secret_header_values(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(header) = options
        .cookies
        .as_ref()
        .and_then(|jar| jar.header(url, SystemTime::now()))
    {
        values.extend(secret_cookie_values(&header));
    }
    if !values.is_empty() {
        let _ = events.send(HttpEvent::Credentials {
            id,
            values: Secrets(values),
        });
    }
}

/// One exchange into its own sink.
async fn send_once<S: BodySink>(
    client: &reqwest::Client,
    req: Prepared,
    options: &ExchangeOptions,
    sink: Result<S, HttpError>,
) -> Result<ResponseData, HttpError> {
    let mut sink = sink?;
    let mut response = execute(client, req, options.clone(), &mut sink).await?;
    response.body = sink.finish()?;
    response.spilled = sink.spilled();
    Ok(response)
}

/// The header an auth profile adds under a name of its own (an API key sent as a header), which
/// must not follow a redirect to another origin; the other kinds use `Authorization`.
fn auth_header_name(auth: &ResolvedAuth) -> Option<String> {
    match auth {
        ResolvedAuth::ApiKey {
            name,
            location: KeyLocation::Header,
            ..
        } => Some(name.clone()),
        _ => None,
    }
}
