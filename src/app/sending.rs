//! Sending the editor's request: the planner (`http::plan`) turns it into a job, or says what is
//! missing — a prompt is asked for with a masked dialog and the request goes out once it is
//! answered — and the worker's reports come back here.

use std::path::PathBuf;

use crate::app::exchange::{BodyView, CheckPlan, Exchange, ExchangeState};
use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, Overlay, PromptPurpose, history_pane, live, paging, view};
use crate::http::job::{HttpEvent, RequestId};
use crate::http::plan::{Blocked, Input, Source, plan};
use crate::model::counted;
use crate::replay::step::Checked;

/// Sends the editor's request, or says why not (asking for a prompt's answer first).
pub fn send(app: &mut App) -> Vec<Effect> {
    let spec = app.editor.spec();
    let file = app.scope_file().and_then(|f| app.tree.files.get(f));
    let collection_path = file.map(|f| f.path().to_path_buf());
    let env_source = app.env_source();
    // A request in no collection sends its own credentials (its Auth tab), if any.
    let own = app
        .editor
        .own_auth
        .profile()
        .filter(|_| app.origin.is_none());
    let no_answers = Default::default();
    let no_values = Default::default();
    let prompts = collection_path
        .as_ref()
        .and_then(|p| app.prompted.get(p))
        .unwrap_or(&no_answers);
    let input = Input {
        file: file.map(|f| &f.loaded),
        source: Source::Edited {
            spec: &spec,
            saved: app.origin.as_ref().map(|o| &o.saved),
            auth: app.editor.auth.as_ref(),
            own: own.as_ref(),
        },
        environment: collection_path
            .as_ref()
            .and_then(|p| app.tree.environments.get(p))
            .map(String::as_str),
        vars: &[],
        run_values: collection_path
            .as_ref()
            .and_then(|p| app.captured.get(p))
            .unwrap_or(&no_values),
        env_source: &env_source,
        prompts,
        timeouts: app.timeouts,
        work_dir: &app.work_dir,
    };
    let id = app.next_id;
    let job = match plan(&input, id) {
        Ok(job) => job,
        Err(Blocked::Prompt { key, .. }) => {
            app.overlay = Some(Overlay::Prompt {
                purpose: PromptPurpose::Secret {
                    collection: collection_path.unwrap_or_default(),
                    key,
                },
                input: TextInput::default(),
            });
            return Vec::new();
        }
        Err(why) => {
            app.notice = Some(Notice::Error(format!("Not sent: {why}")));
            return Vec::new();
        }
    };
    app.next_id += 1;
    let loading = ExchangeState::loading();
    app.history.entries.push(Exchange {
        sent: job.spec.clone(),
        secrets: job.secrets.clone(),
        sent_at_ms: crate::model::wall_ms(app.wall),
        auth_kind: job.auth.as_ref().map(|a| a.kind_name()),
        jar: job.jar.clone(),
        job: Some(Box::new(job.clone())),
        check: app
            .origin
            .as_ref()
            .and_then(|o| CheckPlan::of(&o.saved, o.saved.expect.as_ref(), &o.path))
            .map(Box::new),
        filter: crate::app::reader::filter::for_new_exchange(app),
        ignore: app.editor.view.ignore.clone(),
        ..Exchange::new(id, spec, loading, app.now)
    });
    app.history.list = Default::default();
    view::show(app, id);
    app.notice = None;
    vec![Effect::Send(job)]
}

/// The answer to a prompt: kept in memory for this run (for that collection), then the request
/// goes out.
pub fn prompt_answered(
    app: &mut App,
    collection: PathBuf,
    key: String,
    answer: String,
) -> Vec<Effect> {
    app.prompted
        .entry(collection)
        .or_default()
        .insert(key, answer);
    send(app)
}

/// Esc: cancel the shown request if it is in flight, else the newest one that is. One whose
/// body is downloading is stopped instead, keeping what arrived; Esc again while it stops
/// cancels it.
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
    if let Some(x) = app.history.get_mut(id)
        && let ExchangeState::Loading {
            received: 1..,
            stopping: stopping @ false,
            ..
        } = &mut x.state
    {
        *stopping = true;
        return vec![Effect::Stop(id)];
    }
    if let Some(x) = app.history.get_mut(id) {
        x.state = ExchangeState::Cancelled {
            after: app.now.saturating_duration_since(x.started),
        };
    }
    let mut effects = vec![Effect::Cancel(id)];
    effects.extend(history_pane::persist(app, id));
    effects
}

/// What the worker reports: progress, attempts, credentials it added, the outcome, pages, and its
/// snapshots of the cookie jars and tokens.
pub fn on_http(app: &mut App, event: HttpEvent) -> Vec<Effect> {
    match event {
        HttpEvent::Credentials { id, values } => {
            if let Some(x) = app.history.get_mut(id) {
                for v in values.0 {
                    if !x.secrets.0.contains(&v) {
                        x.secrets.0.push(v);
                    }
                }
            }
            Vec::new()
        }
        HttpEvent::Progress {
            id,
            received,
            total,
        } => {
            if let Some(x) = app.history.get_mut(id)
                && let ExchangeState::Loading {
                    received: r,
                    total: t,
                    ..
                } = &mut x.state
            {
                (*r, *t) = (received, total);
            }
            Vec::new()
        }
        HttpEvent::Attempt { id, report } => {
            if let Some(x) = app.history.get_mut(id)
                && let ExchangeState::Loading {
                    received, total, ..
                } = &mut x.state
            {
                x.attempts.push((report, app.now));
                // What the failed attempt received is gone; the next one starts afresh.
                (*received, *total) = (0, None);
            }
            Vec::new()
        }
        HttpEvent::Streaming {
            id,
            status,
            reason,
            version,
            headers,
        } => {
            live::started(app, id, status, reason, version, headers);
            Vec::new()
        }
        HttpEvent::Chunk { id, data } => live::chunk(app, id, &data),
        HttpEvent::Finished { id, result } => {
            // A result for a cancelled (or unknown) request is stale: drop it.
            let Some(x) = app
                .history
                .get_mut(id)
                .filter(|x| x.is_loading() || x.live.is_some())
            else {
                return Vec::new();
            };
            // A stream that ended on its own: the worker's response has all of it.
            x.live = None;
            let stopping = matches!(x.state, ExchangeState::Loading { stopping: true, .. });
            let mut effects = Vec::new();
            match result {
                // The view's body is prepared by `view::wanted_work` (redacted unless revealed).
                Ok(response) => {
                    let stopped = response.stopped;
                    let view = BodyView {
                        truncated: response.stopped_note().or_else(|| {
                            let s = response.spilled.as_ref()?;
                            Some(spilled_note(s, response.body.len()))
                        }),
                        ..BodyView::default()
                    };
                    x.state = ExchangeState::Done {
                        response,
                        view: Box::new(view),
                    };
                    if stopped {
                        // Part of a body: neither checked nor paged (its JSON is cut short).
                        effects.extend(history_pane::persist(app, id));
                        return effects;
                    }
                }
                // Stopped before anything arrived: as if cancelled.
                Err(_) if stopping => {
                    x.state = ExchangeState::Cancelled {
                        after: app.now.saturating_duration_since(x.started),
                    };
                    effects.extend(history_pane::persist(app, id));
                    return effects;
                }
                Err(err) => x.state = ExchangeState::Failed(err),
            }
            // A response a capture reads is stored (and shown) only once the check is done:
            // a token it captures is then known, and redacted.
            let check = check_effect(app, id);
            let captures = app
                .history
                .get(id)
                .and_then(|x| x.check.as_ref())
                .is_some_and(|p| !p.capture.is_empty());
            if check.is_none() || !captures {
                effects.extend(history_pane::persist(app, id));
            }
            effects.extend(paging::detect_effect(app, id));
            effects.extend(check);
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

/// Checking a finished response against its request's `expect` and `capture` (parsing the
/// body is CPU work: off the UI thread).
fn check_effect(app: &App, id: RequestId) -> Option<Effect> {
    let x = app.history.get(id)?;
    let plan = x.check.as_ref()?;
    let response = x.response()?;
    Some(Effect::Check {
        id,
        plan: plan.clone(),
        response: Box::new(response.clone()),
        secrets: x.secret_values(),
    })
}

/// The checks of exchange `id`: shown in its Checks tab; what it captured feeds its
/// collection's requests from now on. An exchange that captures is stored now, its captured
/// secrets redacted.
pub fn checked(app: &mut App, id: RequestId, checked: Checked) -> Vec<Effect> {
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    let Some(plan) = x.check.as_ref() else {
        return Vec::new();
    };
    let captures = !plan.capture.is_empty();
    let collection = plan.collection.clone();
    for secret in &checked.secrets {
        if !x.secrets.0.contains(secret) {
            x.secrets.0.push(secret.clone());
        }
    }
    let failed = checked.checks.iter().filter(|c| !c.passed).count();
    x.checks = Some(checked.checks);
    let mut names = Vec::new();
    let values = app.captured.entry(collection).or_default();
    for (name, taken) in checked.captured {
        if let Ok(value) = taken {
            let shown = if value.secret && !app.reveal {
                crate::model::REDACTED
            } else {
                value.value.as_str()
            };
            names.push(format!("{name} = {}", crate::check::cut(shown, 40)));
            values.insert(name, value);
        }
    }
    let effects: Vec<Effect> = if captures {
        history_pane::persist(app, id).into_iter().collect()
    } else {
        Vec::new()
    };
    if app.shown != Some(id) {
        return effects;
    }
    let captured = names.join(", ");
    app.notice = match (failed, names.is_empty()) {
        (0, true) => None,
        (0, false) => Some(Notice::Info(format!(
            "captured {captured} for the requests after it (the environment picker lists them)"
        ))),
        (n, true) => Some(Notice::Error(format!(
            "{} failed (see the Checks tab)",
            counted(n, "check")
        ))),
        (n, false) => Some(Notice::Error(format!(
            "{} failed (see the Checks tab); captured {captured}",
            counted(n, "check")
        ))),
    };
    effects
}

/// What the Body tab says of a body too large for memory (`kept` bytes of it in memory).
pub fn spilled_note(spilled: &crate::model::Spilled, kept: usize) -> String {
    let mut note = format!(
        "{} body, more than the memory cap: read from disk (the first {} in memory)",
        crate::model::human_size(spilled.len()),
        crate::model::human_size(kept as u64)
    );
    if let Some(why) = spilled.not_pretty() {
        note.push_str(&format!(
            "; shown as received: not JSON from there on ({why})"
        ));
    }
    note
}

#[cfg(test)]
#[path = "sending_tests.rs"]
mod tests;
