//! The JSON Schema files a collection's `expect.schema` names: read and compiled when the file
//! loads, so a missing or invalid schema is a load error (`file:line`) and nothing runs.
//! Validation never touches the network: only `$ref`s to files resolve.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Expect, SchemaRef};
use crate::collection::model::Collection;
use crate::collection::parse::{ParseError, line_col};

/// Compiles every schema `collection` names (each file once), relative to its folder. `text`
/// is the file's text, to say where a broken schema is named.
pub fn load_schemas(collection: &mut Collection, text: &str) -> Result<(), ParseError> {
    let dir = collection.dir().to_path_buf();
    let file = collection.path.clone();
    let mut compiled: HashMap<PathBuf, Arc<jsonschema::Validator>> = HashMap::new();
    let expects = collection
        .requests
        .iter_mut()
        .filter_map(|r| r.expect.as_mut())
        .chain(
            collection
                .runs
                .iter_mut()
                .flat_map(|run| run.steps.iter_mut().filter_map(|s| s.expect.as_mut())),
        );
    for expect in expects {
        let Expect {
            schema: Some(SchemaRef { path, validator }),
            ..
        } = expect
        else {
            continue;
        };
        let full = dir.join(&*path);
        let v = match compiled.get(&full) {
            Some(v) => v.clone(),
            None => {
                let v = compile(&full).map_err(|message| {
                    let written = path.display().to_string();
                    let offset = text.find(&format!("\"{written}\"")).unwrap_or(0);
                    let (line, column) = line_col(text, offset);
                    ParseError {
                        path: file.clone(),
                        line,
                        column,
                        message: format!("expect.schema = \"{written}\": {message}"),
                    }
                })?;
                let v = Arc::new(v);
                compiled.insert(full, v.clone());
                v
            }
        };
        *validator = Some(v);
    }
    Ok(())
}

fn compile(path: &Path) -> Result<jsonschema::Validator, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let schema: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = url::Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .unwrap_or_else(|()| format!("file://{}", absolute.display()));
    jsonschema::options()
        .with_base_uri(base)
        .build(&schema)
        .map_err(|e| format!("{} is not a valid JSON Schema: {e}", path.display()))
}
