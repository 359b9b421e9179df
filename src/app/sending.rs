//! Turning the editor into a job for the worker: variables resolved against the request's
//! collection, the auth profile in force resolved too, `{{prompt}}` values asked for once per
//! run, and every secret value collected so the history can redact it.

use crate::app::exchange::{Exchange, ExchangeState};
use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, Overlay, PromptPurpose, history_pane, paging};
use crate::http::worker::{HttpEvent, Job};
use crate::model::{AuthProfile, ClientOptions, ResolvedAuth, RetryPolicy};
use crate::template::{Scope, TemplateError};

/// Why a request was not sent.
enum Blocked {
    /// A `{{prompt}}` needs an answer first (the variable holding it).
    Prompt(String),
    Problem(String),
}

impl From<TemplateError> for Blocked {
    fn from(err: TemplateError) -> Blocked {
        match err {
            TemplateError::NeedsPrompt { name } => Blocked::Prompt(name),
            other => Blocked::Problem(other.to_string()),
        }
    }
}

/// Sends the editor's request, or says why not (asking for a `{{prompt}}` value first).
pub fn send(app: &mut App) -> Vec<Effect> {
    let spec = app.editor.spec();
    let scope = match app.scope() {
        Some(Ok(scope)) => Some(scope),
        Some(Err(err)) => return blocked(app, Blocked::Problem(err)),
        None => None,
    };
    let resolved = scope
        .as_ref()
        .map(|scope| {
            let (sent, used) = scope.resolve_spec(&spec)?;
            let secrets: Vec<String> = used
                .into_iter()
                .filter(|u| u.secret)
                .map(|u| u.value)
                .collect();
            Ok::<_, Blocked>((sent, secrets))
        })
        .transpose();
    let (sent, mut secrets) = match resolved {
        Ok(Some(r)) => r,
        Ok(None) => (spec.clone(), Vec::new()),
        Err(b) => return blocked(app, b),
    };
    let auth = match resolve_auth(app, scope.as_ref()) {
        Ok(auth) => auth,
        Err(b) => return blocked(app, b),
    };
    if let Some(auth) = &auth {
        secrets.extend(auth.secrets());
    }

    let settings = app.request_settings();
    let timeouts = settings.timeouts(app.timeouts);
    let redirects = settings.redirects();
    let retries = settings.retries.unwrap_or_else(RetryPolicy::off);
    let base_dir = app.base_dir();
    // Cookies and TLS/proxy belong to the collection the request resolves against.
    let collection = app.scope_file().and_then(|f| app.tree.collection(f));
    let jar = collection
        .map(|c| c.path.display().to_string())
        .unwrap_or_default();
    let client = match collection {
        Some(c) => c
            .connection
            .client_options(&app.work_dir.join(c.dir()), timeouts.connect),
        None => ClientOptions {
            connect: timeouts.connect,
            ..Default::default()
        },
    };
    let pagination = app.origin.as_ref().and_then(|o| o.saved.pagination.clone());
    // A configured page size goes on the first request too, as `scout send --all` does (a URL
    // that does not parse is sent as it is: the worker says why it fails).
    let mut sent = sent;
    if let (Some(p), Ok(url)) = (&pagination, url::Url::parse(&sent.url)) {
        sent.url = crate::http::paginate::first_page_url(p, &url).to_string();
    }
    let id = app.next_id;
    app.next_id += 1;
    let job = Job {
        id,
        spec: sent.clone(),
        timeouts,
        retries,
        auth: auth.clone(),
        base_dir,
        redirects,
        jar: jar.clone(),
        client,
    };
    let loading = ExchangeState::Loading {
        received: 0,
        total: None,
    };
    app.history.entries.push(Exchange {
        sent,
        secrets,
        sent_at_ms: crate::history::wall_ms(app.wall),
        auth_kind: auth.as_ref().map(|a| a.kind_name()),
        jar,
        job: Some(Box::new(job.clone())),
        pagination,
        ..Exchange::new(id, spec, loading, app.now)
    });
    app.history.list = Default::default();
    crate::app::view::show(app, id);
    app.notice = None;
    vec![Effect::Send(job)]
}

fn blocked(app: &mut App, why: Blocked) -> Vec<Effect> {
    match why {
        Blocked::Prompt(name) => {
            app.overlay = Some(Overlay::Prompt {
                purpose: PromptPurpose::Secret { name },
                input: TextInput::default(),
            });
        }
        Blocked::Problem(text) => app.notice = Some(Notice::Error(format!("Not sent: {text}"))),
    }
    Vec::new()
}

/// The answer to a `{{prompt}}`: kept in memory for this run, then the request goes out.
pub fn prompt_answered(app: &mut App, name: String, answer: String) -> Vec<Effect> {
    app.prompted.insert(name, answer);
    send(app)
}

/// The auth profile for the editor's request, its templates resolved: the editor's own choice
/// (the Auth tab), else what the request's folders and collection choose.
fn resolve_auth(app: &App, scope: Option<&Scope>) -> Result<Option<ResolvedAuth>, Blocked> {
    let Some((name, profile)) = app.auth_profile().map_err(Blocked::Problem)? else {
        return Ok(None);
    };
    let Some(scope) = scope else {
        return Ok(None);
    };
    resolve_profile(&name, &profile, scope).map(Some)
}

/// `profile`'s fields resolved against `scope`; a problem names the profile.
fn resolve_profile(
    name: &str,
    profile: &AuthProfile,
    scope: &Scope,
) -> Result<ResolvedAuth, Blocked> {
    profile
        .resolve(|text| scope.resolve(text).map(|r| r.text))
        .map_err(|err| match Blocked::from(err) {
            Blocked::Problem(text) => Blocked::Problem(format!("auth profile `{name}`: {text}")),
            prompt => prompt,
        })
}

/// Esc: cancel the shown request if it is in flight, else the newest one that is.
pub fn cancel_shown(app: &mut App) -> Vec<Effect> {
    let target = app
        .shown_exchange()
        .filter(|x| x.is_loading())
        .map(|x| x.id)
        .or_else(|| {
            app.history
                .newest_first()
                .find(|x| x.is_loading())
                .map(|x| x.id)
        });
    let Some(id) = target else {
        return Vec::new();
    };
    if let Some(x) = app.history.get_mut(id) {
        x.state = ExchangeState::Cancelled {
            after: app.now.saturating_duration_since(x.started),
        };
    }
    let mut effects = vec![Effect::Cancel(id)];
    effects.extend(history_pane::persist(app, id));
    effects
}

/// What the worker reports: progress, attempts, the outcome, pages, and its snapshots of the
/// cookie jars and tokens.
pub fn on_http(app: &mut App, event: HttpEvent) -> Vec<Effect> {
    match event {
        HttpEvent::Progress {
            id,
            received,
            total,
        } => {
            if let Some(x) = app.history.get_mut(id)
                && x.is_loading()
            {
                x.state = ExchangeState::Loading { received, total };
            }
            Vec::new()
        }
        HttpEvent::Attempt { id, report } => {
            if let Some(x) = app.history.get_mut(id)
                && x.is_loading()
            {
                x.attempts.push((report, app.now));
            }
            Vec::new()
        }
        HttpEvent::Finished { id, result } => {
            // A result for a cancelled (or unknown) request is stale: drop it.
            let Some(x) = app.history.get_mut(id).filter(|x| x.is_loading()) else {
                return Vec::new();
            };
            let mut effects = Vec::new();
            match result {
                // The view's body is prepared by `view::wanted_work` (redacted unless revealed).
                Ok(response) => {
                    x.state = ExchangeState::Done {
                        response,
                        view: Box::default(),
                    };
                }
                Err(err) => x.state = ExchangeState::Failed(err),
            }
            effects.extend(history_pane::persist(app, id));
            effects.extend(paging::detect_effect(app, id));
            effects
        }
        HttpEvent::Page { id, page, pager } => paging::page(app, id, *page, *pager),
        HttpEvent::PageWaiting { id, for_, why } => {
            paging::waiting(app, id, for_, why);
            Vec::new()
        }
        HttpEvent::PagingDone { id, pager } => paging::done(app, id, *pager),
        HttpEvent::Cookies { jar, cookies } => {
            app.cookies.insert(jar, cookies);
            Vec::new()
        }
        HttpEvent::Tokens(states) => {
            app.tokens = states;
            Vec::new()
        }
    }
}
