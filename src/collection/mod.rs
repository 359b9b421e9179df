//! Collections: plain TOML files of saved requests, read into a model, edited without
//! destroying the user's formatting, and saved atomically.

pub mod edit;
pub mod lookup;
pub mod merge;
pub mod model;
pub mod parse;
pub mod schemas;
mod view;

pub mod store;

use std::collections::BTreeMap;

pub use model::{Collection, Environment, Run, SavedBody, SavedRequest, Step};
pub use parse::{ParseError, parse_collection};

use crate::template::{EnvSource, Scope};

/// The demo collection, embedded: shown when no collection of the user's covers the demo API.
pub const BUILTIN_DEMO: &str = include_str!("../../collections/demo.toml");

/// The environment variable through which scout tells collections where its in-process demo
/// server listens (`base_url = "{{env.SCOUT_DEMO_URL}}"` in `collections/demo.toml`).
pub const DEMO_URL_VAR: &str = "SCOUT_DEMO_URL";

/// The `env.*` lookups for `collection`: `injected` values (such as the demo URL), the process
/// environment, and the `.env` file beside the collection (read here: blocking I/O).
pub fn env_source_for(
    collection: &Collection,
    injected: &[(String, String)],
) -> Result<EnvSource, String> {
    let mut source = EnvSource::new()
        .with_dotenv_dir(collection.dir())
        .map_err(|e| e.to_string())?;
    for (k, v) in injected {
        source = source.with_injected(k, v);
    }
    Ok(source)
}

/// The variables a request of `collection` resolves against: `overrides` (`--var`)
/// → environment `env` → the collection's `[vars]` → `env_source` (`env.*`).
pub fn scope_for(
    collection: &Collection,
    env: Option<&str>,
    overrides: &[(String, String)],
    env_source: EnvSource,
) -> Result<Scope, String> {
    let environment = match env {
        Some(name) => {
            let e = collection.environment_named(name)?;
            Some((e.name.clone(), e.vars.iter().cloned().collect()))
        }
        None => None,
    };
    Ok(Scope {
        given: overrides.iter().cloned().collect(),
        run: BTreeMap::new(),
        environment,
        collection_vars: collection.vars.iter().cloned().collect(),
        env_source,
        prompted: BTreeMap::new(),
    })
}

/// Whether any text of the collection refers to the in-process demo server.
pub fn uses_demo(collection: &Collection) -> bool {
    let needle = format!("env.{DEMO_URL_VAR}");
    collection.vars.iter().any(|(_, v)| v.contains(&needle))
        || collection
            .environments
            .iter()
            .any(|e| e.vars.iter().any(|(_, v)| v.contains(&needle)))
        || collection.requests.iter().any(|r| r.url.contains(&needle))
}

#[cfg(test)]
mod replay_tests;
