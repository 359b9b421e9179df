//! Adding a whole collection to a file (`scout import`, to a new file or `--into` an existing
//! one) with `toml_edit`, so an existing file keeps its comments, order and formatting: variables
//! and environment values it lacks, auth profiles and folders (renamed when a name is taken),
//! and the requests, with ids made unique in the file.

use toml_edit::{DocumentMut, Item, Table, Value};

use crate::collection::edit::{EditError, parse, set_opt, upsert_request_in, write_settings};
use crate::collection::model::{Collection, SavedRequest, unique};
use crate::model::settings::AuthChoice;

/// The file after the addition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// The requests' paths (`folder/id`) as written, in order.
    pub paths: Vec<String>,
    /// What was renamed or kept from the file, one line each.
    pub notes: Vec<String>,
}

/// Adds `add` to the collection `text` (empty for a new file). With `folder`, every request is
/// put in that folder (theirs nested under it).
pub fn merge(text: &str, add: &Collection, folder: Option<&str>) -> Result<Merged, EditError> {
    let mut doc = parse(text)?;
    let mut notes = Vec::new();
    let fresh = doc.as_table().is_empty();
    if fresh {
        doc.insert("name", toml_edit::value(add.name.as_str()));
    }
    top_settings(&mut doc, add, &mut notes);
    add_vars(&mut doc, &["vars"], &add.vars, &mut notes);
    for env in &add.environments {
        add_vars(
            &mut doc,
            &["environments", &env.name],
            &env.vars,
            &mut notes,
        );
    }
    let renamed = add_auth(&mut doc, add, &mut notes)?;
    let rename = |choice: &Option<AuthChoice>| match choice {
        Some(AuthChoice::Profile(name)) => Some(AuthChoice::Profile(
            renamed
                .iter()
                .find(|(from, _)| from == name)
                .map_or_else(|| name.clone(), |(_, to)| to.clone()),
        )),
        other => other.clone(),
    };
    let nest = |f: Option<&str>| match (folder, f) {
        (Some(outer), Some(inner)) => Some(format!("{outer}/{inner}")),
        (Some(outer), None) => Some(outer.to_string()),
        (None, inner) => inner.map(str::to_string),
    };
    {
        let folders = sub_table(&mut doc, &["folders"])?;
        for f in &add.folders {
            let Some(path) = nest(Some(&f.path)) else {
                continue;
            };
            if folders.contains_key(&path) {
                notes.push(format!(
                    "[folders.\"{path}\"] is already in the file: its settings are kept"
                ));
                continue;
            }
            let mut t = Table::new();
            set_opt(
                &mut t,
                "description",
                f.description.as_deref().map(Value::from),
            );
            let mut settings = f.settings.clone();
            settings.auth = rename(&settings.auth);
            write_settings(&mut t, &settings, None);
            folders.insert(&path, Item::Table(t));
        }
    }
    let mut taken: std::collections::HashSet<String> = doc
        .get("requests")
        .and_then(Item::as_table)
        .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let mut paths = Vec::new();
    for req in &add.requests {
        let id = unique(&req.id, |id| taken.contains(id));
        if id != req.id {
            notes.push(format!(
                "request `{}` is already in the file: added as `{id}`",
                req.id
            ));
        }
        taken.insert(id.clone());
        let mut req = SavedRequest {
            id,
            folder: nest(req.folder.as_deref()),
            ..req.clone()
        };
        req.settings.auth = rename(&req.settings.auth);
        paths.push(req.path());
        upsert_request_in(&mut doc, &req, None)?;
    }
    Ok(Merged {
        text: doc.to_string(),
        paths,
        notes,
    })
}

/// The table at `path` (`["environments", "dev"]`), made when missing.
fn sub_table<'a>(doc: &'a mut DocumentMut, path: &[&str]) -> Result<&'a mut Table, EditError> {
    let mut table = doc.as_table_mut();
    for key in path {
        let item = table.entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        table = item.as_table_mut().ok_or(EditError::NotATable)?;
    }
    Ok(table)
}

/// Top-level settings and connection, where the file does not set them already.
fn top_settings(doc: &mut DocumentMut, add: &Collection, notes: &mut Vec<String>) {
    let mut t = Table::new();
    write_settings(&mut t, &add.settings, None);
    if let Some(Item::Value(Value::String(auth))) = t.remove("auth") {
        t.insert("default_auth", Item::Value(Value::String(auth)));
    }
    let c = &add.connection;
    if c.insecure {
        t.insert("insecure", toml_edit::value(true));
    }
    for (key, value) in [
        (
            "ca_cert",
            c.ca_cert.as_ref().map(|p| p.display().to_string()),
        ),
        (
            "client_cert",
            c.client_cert.as_ref().map(|p| p.display().to_string()),
        ),
        ("proxy", c.proxy.clone()),
    ] {
        if let Some(v) = value {
            t.insert(key, toml_edit::value(v));
        }
    }
    // Keys go before the first table, so they stay top-level.
    for (key, item) in t.iter() {
        match doc.get(key) {
            None => {
                doc.insert(key, item.clone());
            }
            Some(existing) if existing.to_string().trim() != item.to_string().trim() => {
                notes.push(format!(
                    "`{key}` is already set in the file: kept as it is ({} imported)",
                    item.to_string().trim()
                ));
            }
            Some(_) => {}
        }
    }
}

/// Adds the variables `vars` lacks to the table at `path`; a different value already there is
/// kept and named.
fn add_vars(
    doc: &mut DocumentMut,
    path: &[&str],
    vars: &[(String, String)],
    notes: &mut Vec<String>,
) {
    if vars.is_empty() {
        return;
    }
    let Ok(table) = sub_table(doc, path) else {
        notes.push(format!(
            "`{}` in the file is not a table: its variables were not added",
            path.join(".")
        ));
        return;
    };
    table.set_implicit(false);
    for (name, value) in vars {
        match table.get(name).and_then(Item::as_str) {
            None if !table.contains_key(name) => {
                table.insert(name, toml_edit::value(value.as_str()));
            }
            Some(v) if v == value => {}
            _ => notes.push(format!(
                "{}.{name} is already in the file: its value is kept",
                path.join(".")
            )),
        }
    }
}

/// Adds the auth profiles; returns the renames (`basic` → `basic-2`) for names the file has.
fn add_auth(
    doc: &mut DocumentMut,
    add: &Collection,
    notes: &mut Vec<String>,
) -> Result<Vec<(String, String)>, EditError> {
    let mut renamed = Vec::new();
    if add.auth.is_empty() {
        return Ok(renamed);
    }
    let table = sub_table(doc, &["auth"])?;
    for (name, profile) in &add.auth {
        let new = profile.to_toml_table();
        let same = |t: &Table| t.to_string() == new.to_string();
        let existing: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        // The same profile under the same name is reused as it is.
        if table.get(name).and_then(Item::as_table).is_some_and(same) {
            continue;
        }
        let to = unique(name, |n| existing.iter().any(|e| e == n));
        if &to != name {
            notes.push(format!(
                "auth profile `{name}` is already in the file: added as `{to}`"
            ));
            renamed.push((name.clone(), to.clone()));
        }
        table.insert(&to, Item::Table(new));
    }
    Ok(renamed)
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
