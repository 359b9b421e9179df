//! What `scout run PATH [TARGET…]` runs: a `[runs.NAME]`, one request, or a folder's requests,
//! each as a [`RunPlan`]; with no target, every run of each file, else every request in order.

use std::time::Duration;

use crate::check::Expect;
use crate::collection::store::LoadedFile;
use crate::collection::{Collection, Run, SavedRequest};

/// A run to replay: steps of one collection file.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The run's name, or the request id, folder or collection name it was made from.
    pub name: String,
    /// Which of the loaded files the steps come from.
    pub file: usize,
    pub steps: Vec<PlannedStep>,
    pub repeat: u32,
    /// A pause before every step but the first.
    pub delay: Option<Duration>,
}

/// One step: the saved request, and what this step expects of it.
#[derive(Debug, Clone)]
pub struct PlannedStep {
    pub request: SavedRequest,
    /// The step's `expect`, else the request's.
    pub expect: Option<Expect>,
    /// Whether `expect` is the step's own (else the request's, which an edit of the file may
    /// change).
    pub own_expect: bool,
    pub vars: Vec<(String, String)>,
    pub retries: u32,
    pub delay: Option<Duration>,
}

impl PlannedStep {
    /// This step with `request` as the file now has it (its own `expect` kept, if it has one).
    pub fn refreshed(&self, request: &SavedRequest) -> PlannedStep {
        PlannedStep {
            request: request.clone(),
            expect: if self.own_expect {
                self.expect.clone()
            } else {
                request.expect.clone()
            },
            ..self.clone()
        }
    }

    fn of(request: &SavedRequest) -> PlannedStep {
        PlannedStep {
            request: request.clone(),
            expect: request.expect.clone(),
            own_expect: false,
            vars: Vec::new(),
            retries: 0,
            delay: None,
        }
    }
}

/// The runs `targets` name in `files` (each a run name, a request `id`/`folder/id`, or a
/// folder), in the order given; none: every `[runs]` of each file, else all its requests. A
/// broken file is an error (nothing runs), so is a target that names nothing or several things.
pub fn select(files: &[LoadedFile], targets: &[String]) -> Result<Vec<RunPlan>, String> {
    let mut collections = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match f {
            LoadedFile::Ok { collection, .. } => collections.push((i, collection)),
            LoadedFile::Broken(e) => {
                return Err(format!("{e}\nnothing was run: fix the file first"));
            }
        }
    }
    if collections.is_empty() {
        return Err("no collection files there".into());
    }
    let mut plans = Vec::new();
    if targets.is_empty() {
        for (i, c) in &collections {
            if c.runs.is_empty() {
                if !c.requests.is_empty() {
                    plans.push(RunPlan {
                        name: c.name.clone(),
                        file: *i,
                        steps: c.requests.iter().map(PlannedStep::of).collect(),
                        repeat: 1,
                        delay: None,
                    });
                }
            } else {
                plans.extend(c.runs.iter().map(|r| from_run(*i, c, r)));
            }
        }
        if plans.is_empty() {
            return Err("there is nothing to run: the collection has no requests".into());
        }
        return Ok(plans);
    }
    for target in targets {
        plans.extend(one_target(&collections, target)?);
    }
    Ok(plans)
}

fn one_target(collections: &[(usize, &Collection)], target: &str) -> Result<Vec<RunPlan>, String> {
    let runs: Vec<RunPlan> = collections
        .iter()
        .filter_map(|(i, c)| c.run(target).map(|r| from_run(*i, c, r)))
        .collect();
    let requests: Vec<RunPlan> = collections
        .iter()
        .filter_map(|(i, c)| {
            c.find(target).map(|r| RunPlan {
                name: r.path(),
                file: *i,
                steps: vec![PlannedStep::of(r)],
                repeat: 1,
                delay: None,
            })
        })
        .collect();
    let folder = target.trim_end_matches('/');
    let in_folder = |r: &&SavedRequest| {
        r.folder
            .as_deref()
            .is_some_and(|f| f == folder || f.starts_with(&format!("{folder}/")))
    };
    let folders: Vec<RunPlan> = collections
        .iter()
        .filter(|(_, c)| c.requests.iter().any(|r| in_folder(&r)))
        .map(|(i, c)| RunPlan {
            name: folder.to_string(),
            file: *i,
            steps: c
                .requests
                .iter()
                .filter(in_folder)
                .map(PlannedStep::of)
                .collect(),
            repeat: 1,
            delay: None,
        })
        .collect();
    let found = if !runs.is_empty() {
        runs
    } else if !requests.is_empty() {
        requests
    } else {
        folders
    };
    match found.len() {
        0 => Err(nothing_named(collections, target)),
        1 => Ok(found),
        // A folder may span files: each file's part is a run of its own.
        _ if found.iter().all(|p| p.name == folder) => Ok(found),
        _ => Err(format!(
            "`{target}` is in several collection files ({}); point PATH at one file",
            found
                .iter()
                .map(|p| collections
                    .iter()
                    .find(|(i, _)| *i == p.file)
                    .map(|(_, c)| c.path.display().to_string())
                    .unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn from_run(file: usize, collection: &Collection, run: &Run) -> RunPlan {
    RunPlan {
        name: run.name.clone(),
        file,
        steps: run
            .steps
            .iter()
            .filter_map(|step| {
                // Every step names a request of its file: checked when the file loaded.
                let request = collection.find(&step.request)?;
                Some(PlannedStep {
                    request: request.clone(),
                    expect: step.expect.clone().or_else(|| request.expect.clone()),
                    own_expect: step.expect.is_some(),
                    vars: step.vars.clone(),
                    retries: step.retries,
                    delay: step.delay,
                })
            })
            .collect(),
        repeat: run.repeat,
        delay: run.delay,
    }
}

/// The error for a target that names nothing: what there is.
fn nothing_named(collections: &[(usize, &Collection)], target: &str) -> String {
    let runs: Vec<&str> = collections
        .iter()
        .flat_map(|(_, c)| c.runs.iter().map(|r| r.name.as_str()))
        .collect();
    let mut folders: Vec<&str> = collections
        .iter()
        .flat_map(|(_, c)| c.requests.iter().filter_map(|r| r.folder.as_deref()))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "no run, request or folder `{target}` (runs: {}; folders: {}; `scout send -c PATH --list` \
         lists the requests)",
        list(&runs),
        list(&folders)
    )
}
