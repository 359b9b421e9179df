//! The one planner: what a request becomes on the way to the wire. The app, `scout send`,
//! `scout send -c`, paging and downloads all call [`plan`], so a rule about sending lives in one
//! place: variables resolved in order (`--var`, the environment, `[vars]`, `{{env.*}}`), prompts
//! keyed where they are written, the auth profile in force resolved, timeouts, retries,
//! redirects, the cookie jar, TLS and proxy, the pagination config, and every secret value to
//! redact. Pure: no I/O (the `.env` file is read before, into the [`EnvSource`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use crate::collection::store::LoadedFile;
use crate::collection::{Collection, ParseError, SavedRequest, scope_for};
use crate::http::job::{Job, RequestId};
use crate::http::paginate::first_page_url;
use crate::model::settings::{AuthChoice, Settings};
use crate::model::{
    AuthProfile, ClientOptions, ResolvedAuth, RetryPolicy, Timeouts, normalize_url,
};
use crate::template::{EnvSource, RunValue, Scope, TemplateError};

/// What the request is, and where it comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A saved request, as its file says.
    Saved(&'a SavedRequest),
    /// What the editor holds: `spec` as typed, the saved request it was opened from (whose
    /// folders and collection it inherits from), and its own auth choice (the Auth tab).
    Edited {
        spec: &'a crate::model::RequestSpec,
        saved: Option<&'a SavedRequest>,
        auth: Option<&'a AuthChoice>,
        /// An ad-hoc request's own credentials (its Auth tab; no collection's profile applies
        /// to a request in none). Its fields may hold `{{variables}}`.
        own: Option<&'a AuthProfile>,
    },
}

/// Timeouts from outside the collection: `base` is the defaults with the config file's; `flags`
/// are the command line's, which win over what a request's settings say.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimeoutInput {
    pub base: Timeouts,
    pub connect_flag: Option<Duration>,
    pub total_flag: Option<Duration>,
    /// The config file's `[body] memory_cap` (carried along with the timeouts, the other
    /// setting from outside the collection); `None`: [`crate::model::DEFAULT_MEMORY_CAP`].
    pub memory_cap: Option<u64>,
}

/// Everything a request is planned from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The collection file the request belongs to (or, for a request typed in the editor, the
    /// one selected in the tree); `None` outside collections: no variables, no profiles.
    pub file: Option<&'a LoadedFile>,
    pub source: Source<'a>,
    /// The environment chosen (`--env`, or the picker).
    pub environment: Option<&'a str>,
    /// `--var NAME=VALUE`: above the environment and `[vars]`; they answer named prompts too.
    pub vars: &'a [(String, String)],
    /// Values set while running (captured from responses, a run step's `vars`): below `--var`,
    /// above the environment.
    pub run_values: &'a BTreeMap<String, RunValue>,
    /// Where `{{env.NAME}}` comes from (scout's own values, the process, the `.env` file).
    pub env_source: &'a EnvSource,
    /// Answers typed at prompts so far, by prompt key.
    pub prompts: &'a BTreeMap<String, String>,
    pub timeouts: TimeoutInput,
    /// The folder relative paths resolve against outside collections (the working folder); a
    /// collection's own folder is relative to it.
    pub work_dir: &'a Path,
}

/// Why a request cannot be sent yet; each says what is missing and where scout looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// The collection file is broken: nothing of it is sent.
    BrokenFile(ParseError),
    /// The environment chosen is not in the collection.
    UnknownEnvironment { message: String },
    /// A prompt needs an answer first; `key` says which, `var` the `--var` name that answers it
    /// if it has one (see `TemplateError::NeedsPrompt`).
    Prompt { key: String, var: Option<String> },
    /// A `{{name}}` is defined nowhere: the field, the variable, and where scout looked.
    Unresolved { message: String },
    /// The auth profile chosen is not defined in the collection.
    UnknownProfile { message: String },
    /// Anything else about the templates: a syntax error, a loop, nesting too deep.
    Template { message: String },
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::BrokenFile(e) => write!(f, "{e}; fix the file, then send again"),
            Blocked::Prompt { key, .. } => write!(f, "{key} needs a value typed at a prompt"),
            Blocked::UnknownEnvironment { message }
            | Blocked::Unresolved { message }
            | Blocked::UnknownProfile { message }
            | Blocked::Template { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Blocked {}

/// A template problem in `context` (a field or a profile), as the reason a request is blocked.
fn blocked(context: Option<&str>, err: TemplateError) -> Blocked {
    let message = match context {
        Some(c) => format!("{c}: {err}"),
        None => err.to_string(),
    };
    match err.root() {
        TemplateError::NeedsPrompt { key, var } => Blocked::Prompt {
            key: key.clone(),
            var: var.clone(),
        },
        TemplateError::Unresolved { .. } => Blocked::Unresolved { message },
        _ => Blocked::Template { message },
    }
}

/// The job for `input`, numbered `id`, or why it cannot be sent yet.
pub fn plan(input: &Input<'_>, id: RequestId) -> Result<Job, Blocked> {
    let collection = match input.file {
        Some(LoadedFile::Broken(e)) => return Err(Blocked::BrokenFile(e.clone())),
        Some(LoadedFile::Ok { collection, .. }) => Some(collection),
        None => None,
    };
    let (written, saved) = match input.source {
        Source::Saved(saved) => (saved.to_spec(), Some(saved)),
        Source::Edited { spec, saved, .. } => (spec.clone(), saved),
    };
    // The saved request as it is being sent: the editor's auth choice over the file's.
    let effective = match input.source {
        Source::Edited {
            saved: Some(saved),
            auth,
            ..
        } => {
            let mut s = saved.clone();
            s.settings.auth = auth.cloned();
            Some(s)
        }
        _ => saved.cloned(),
    };
    let settings = match (collection, &effective) {
        (Some(c), Some(s)) => c.settings_for(s),
        _ => Settings::default(),
    };
    let scope = collection.map(|c| scope(c, input)).transpose()?;

    // The request, its variables resolved.
    let request_name = saved.map(SavedRequest::path).unwrap_or_default();
    let (mut spec, mut secrets) = match &scope {
        Some(scope) => {
            let (spec, used) = scope
                .resolve_spec(&written, &request_name)
                .map_err(|e| blocked(None, e))?;
            let secrets = used.into_iter().filter(|u| u.secret).map(|u| u.value);
            (spec, secrets.collect::<Vec<_>>())
        }
        None => (written, Vec::new()),
    };

    // The auth profile in force: an ad-hoc request's own credentials; for a saved one the
    // editor's choice, else its folders' and the collection's.
    let auth = match (input.source, &scope) {
        (
            Source::Edited {
                saved: None,
                own: Some(own),
                ..
            },
            scope,
        ) => Some(resolve_own(scope.as_ref(), own)?),
        _ => match (collection, &scope, &effective) {
            (Some(c), Some(scope), Some(saved)) => auth(c, scope, saved)?,
            _ => None,
        },
    };
    if let Some(auth) = &auth {
        secrets.extend(auth.secrets());
    }

    // Shorthands (`:8080/x`, `example.com/x`) written out, so everything after (paging, the
    // Request tab, the history) sees the URL that is sent.
    spec.url = normalize_url(&spec.url);
    // A configured page size goes on the first request too (a URL that does not parse is sent
    // as it is: the executor says why it fails).
    let pagination = saved.and_then(|s| s.pagination.clone());
    if let (Some(p), Ok(url)) = (&pagination, url::Url::parse(&spec.url)) {
        spec.url = first_page_url(p, &url).to_string();
    }

    let t = input.timeouts;
    let saved_timeouts = settings.timeouts(t.base);
    let timeouts = Timeouts {
        connect: t.connect_flag.unwrap_or(saved_timeouts.connect),
        total: t.total_flag.unwrap_or(saved_timeouts.total),
        ..saved_timeouts
    };
    // A request in no collection has its own cookie jar and connection settings (the
    // collection selected lends it only its variables).
    let (base_dir, jar, client) = match collection.filter(|_| saved.is_some()) {
        Some(c) => {
            let dir = input.work_dir.join(c.dir());
            (
                dir.clone(),
                c.path.display().to_string(),
                c.connection.client_options(&dir, timeouts.connect),
            )
        }
        None => (
            input.work_dir.to_path_buf(),
            String::new(),
            ClientOptions::new(timeouts.connect),
        ),
    };
    Ok(Job {
        id,
        spec,
        timeouts,
        retries: settings.retries.clone().unwrap_or_else(RetryPolicy::off),
        auth,
        base_dir,
        redirects: settings.redirects(),
        cache: settings.cache.unwrap_or(false),
        delay: None,
        memory_cap: t.memory_cap.unwrap_or(crate::model::DEFAULT_MEMORY_CAP),
        jar,
        client,
        secrets: secrets.into(),
        pagination,
        stop: None,
    })
}

/// The variables of `collection` for this input.
fn scope(collection: &Collection, input: &Input<'_>) -> Result<Scope, Blocked> {
    let mut scope = scope_for(
        collection,
        input.environment,
        input.vars,
        input.env_source.clone(),
    )
    .map_err(|message| Blocked::UnknownEnvironment { message })?;
    scope.prompted = input.prompts.clone();
    scope.run = input.run_values.clone();
    Ok(scope)
}

/// The auth profile the request is sent with, its templates resolved.
/// A request in no collection has none of its profiles (its own credentials are
/// [`resolve_own`]'s).
fn auth(
    collection: &Collection,
    scope: &Scope,
    saved: &SavedRequest,
) -> Result<Option<ResolvedAuth>, Blocked> {
    let found = collection
        .auth_for(saved)
        .map_err(|message| Blocked::UnknownProfile { message })?;
    let Some((name, profile)) = found else {
        return Ok(None);
    };
    resolve_profile(scope, name, profile)
        .map(Some)
        .map_err(|e| blocked(Some(&format!("auth profile `{name}`")), e))
}

/// An ad-hoc request's own credentials, their `{{variables}}` resolved where there is a scope
/// (the collection selected in the tree), as written where there is none.
fn resolve_own(scope: Option<&Scope>, own: &AuthProfile) -> Result<ResolvedAuth, Blocked> {
    let context = "this request's auth";
    own.resolve(|field, text| match scope {
        Some(scope) => scope
            .resolve_at(text, &format!("{context} › {field}"))
            .map(|r| r.text),
        None => Ok(text.to_string()),
    })
    .map_err(|e| blocked(Some(context), e))
}

/// Profile `name` with its templates resolved in `scope`: a `{{prompt}}` written in one of its
/// fields is asked for, and answered, as that field of that profile (``auth profile `ci` ›
/// password``). The Auth tab previews a profile with this too.
pub fn resolve_profile(
    scope: &Scope,
    name: &str,
    profile: &AuthProfile,
) -> Result<ResolvedAuth, TemplateError> {
    profile.resolve(|field, text| {
        scope
            .resolve_at(text, &format!("auth profile `{name}` › {field}"))
            .map(|r| r.text)
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
