//! Which step waits for which: a step that uses `{{item_id}}` waits for the step that captures
//! `item_id` — the nearest one before it, else any after it (so a run may list a step before
//! the one that feeds it). Steps run in file order otherwise; `--jobs` runs steps with no such
//! link between them at the same time. A circle of such links is an error before anything is
//! sent.

use std::collections::BTreeSet;

use crate::collection::{Collection, SavedRequest};
use crate::template::{Placeholder, placeholders};

/// A variable a step needs from another step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub var: String,
    /// The step (index in the run) that captures it.
    pub step: usize,
}

/// What the dependency graph is built from, per step.
#[derive(Debug, Clone, Default)]
pub struct StepVars {
    /// `{{names}}` its request uses, directly or through variable values.
    pub uses: BTreeSet<String>,
    /// Names it sets for itself (the step's `vars`): these need no other step.
    pub own: BTreeSet<String>,
    /// Names it captures.
    pub captures: BTreeSet<String>,
}

/// The `{{names}}` `request` uses — in its URL, query, headers, body and auth profile — and
/// those its variables' values use in turn (through the environment and `[vars]`).
pub fn variables_used(
    collection: &Collection,
    environment: Option<&str>,
    request: &SavedRequest,
) -> BTreeSet<String> {
    let spec = request.to_spec();
    let mut texts: Vec<String> = vec![spec.url.clone(), spec.body.clone()];
    for h in spec.headers.iter().filter(|h| h.enabled) {
        texts.push(h.key.clone());
        texts.push(h.value.clone());
    }
    if let Ok(Some((_, profile))) = collection.auth_for(request) {
        // Visiting every field of the profile: the resolved profile is thrown away.
        let _ = profile.resolve(|_, text| {
            texts.push(text.to_string());
            Ok::<String, ()>(String::new())
        });
    }
    let env = environment.and_then(|e| collection.environment(e));
    let value_of = |name: &str| {
        env.and_then(|e| e.vars.iter().find(|(k, _)| k == name))
            .or_else(|| collection.vars.iter().find(|(k, _)| k == name))
            .map(|(_, v)| v.as_str())
    };
    let mut used = BTreeSet::new();
    let mut pending = texts;
    while let Some(text) = pending.pop() {
        for (_, p) in placeholders(&text) {
            if let Placeholder::Var(name) = p
                && used.insert(name.clone())
                && let Some(value) = value_of(&name)
            {
                pending.push(value.to_string());
            }
        }
    }
    used
}

/// For each step, the steps it needs a variable from. `given` names (`--var`) need no step.
pub fn needs(steps: &[StepVars], given: &BTreeSet<String>) -> Vec<Vec<Need>> {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let mut out = Vec::new();
            for var in step
                .uses
                .iter()
                .filter(|v| !given.contains(*v) && !step.own.contains(*v))
            {
                let before = (0..i).rev().find(|&j| steps[j].captures.contains(var));
                match before {
                    Some(j) => out.push(Need {
                        var: var.clone(),
                        step: j,
                    }),
                    None => out.extend(
                        (i + 1..steps.len())
                            .filter(|&j| steps[j].captures.contains(var))
                            .map(|j| Need {
                                var: var.clone(),
                                step: j,
                            }),
                    ),
                }
            }
            out
        })
        .collect()
}

/// `Err` naming the circle when steps wait for each other (`names` are the steps' requests).
pub fn check_cycles(needs: &[Vec<Need>], names: &[String]) -> Result<(), String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    /// Depth-first; `path` holds (step, variable, the step it needs it from) along the way.
    fn visit(
        i: usize,
        needs: &[Vec<Need>],
        marks: &mut [Mark],
        path: &mut Vec<(usize, String, usize)>,
    ) -> Option<Vec<(usize, String, usize)>> {
        marks[i] = Mark::Open;
        for need in &needs[i] {
            path.push((i, need.var.clone(), need.step));
            match marks[need.step] {
                Mark::Open => {
                    let start = path.iter().position(|(s, ..)| *s == need.step).unwrap_or(0);
                    return Some(path[start..].to_vec());
                }
                Mark::New => {
                    if let Some(c) = visit(need.step, needs, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
            path.pop();
        }
        marks[i] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; needs.len()];
    for i in 0..needs.len() {
        if marks[i] == Mark::New
            && let Some(circle) = visit(i, needs, &mut marks, &mut Vec::new())
        {
            let mut text = String::new();
            for (step, var, from) in &circle {
                text.push_str(&format!(
                    "{} (needs {var} from {}) → ",
                    names[*step], names[*from]
                ));
            }
            text.push_str(&names[circle[0].0]);
            return Err(format!(
                "the steps wait for each other in a circle: {text}; no order can send them"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(uses: &[&str], captures: &[&str]) -> StepVars {
        StepVars {
            uses: uses.iter().map(|s| s.to_string()).collect(),
            own: BTreeSet::new(),
            captures: captures.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn steps_needed(needs: &[Vec<Need>]) -> Vec<Vec<usize>> {
        needs
            .iter()
            .map(|n| n.iter().map(|n| n.step).collect())
            .collect()
    }

    #[test]
    fn a_step_waits_for_the_nearest_earlier_capture_else_a_later_one() {
        let steps = [
            step(&["base_url"], &["id"]),
            step(&["base_url", "id"], &[]),
            step(&["id", "token"], &["id"]),
            step(&["id"], &[]),
            step(&[], &["token"]),
        ];
        let needs = needs(&steps, &BTreeSet::new());
        assert_eq!(
            steps_needed(&needs),
            vec![vec![], vec![0], vec![0, 4], vec![2], vec![]]
        );
        check_cycles(
            &needs,
            &["a".into(), "b".into(), "c".into(), "d".into(), "e".into()],
        )
        .unwrap();
    }

    #[test]
    fn given_and_own_values_need_no_step() {
        let mut with_own = step(&["id"], &[]);
        with_own.own.insert("id".into());
        let steps = [step(&[], &["id", "token"]), with_own, step(&["token"], &[])];
        let given: BTreeSet<String> = ["token".to_string()].into();
        assert_eq!(
            steps_needed(&needs(&steps, &given)),
            vec![Vec::<usize>::new(), vec![], vec![]]
        );
    }

    #[test]
    fn a_circle_is_named_step_by_step() {
        let steps = [
            step(&["token"], &["session"]),
            step(&[], &[]),
            step(&["session"], &["token"]),
        ];
        let needs = needs(&steps, &BTreeSet::new());
        let err =
            check_cycles(&needs, &["login".into(), "x".into(), "refresh".into()]).unwrap_err();
        assert_eq!(
            err,
            "the steps wait for each other in a circle: login (needs token from refresh) → \
             refresh (needs session from login) → login; no order can send them"
        );
    }
}
