//! The OpenAPI importer (src/import/openapi*): OpenAPI 3.x and Swagger 2.0, JSON or YAML:
//! servers, parameters, request bodies and their examples, `$ref`s (local, to other files,
//! cycles), security schemes. What is imported must load back as a collection.
//!
//! Input: the specification. A `$ref` to another file is followed into the sandbox folder
//! (which holds `pet.yaml` and `common.yaml`); an input whose `$ref` names a file by a path
//! with `/` or `%` in it is skipped, so nothing outside the sandbox is read.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::import::{Format, Source, import};
use serde_json::Value;

/// The document as scout reads it (src/import/document.rs): JSON when it starts like JSON, else
/// YAML.
fn document(text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['{', '[']) {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml_ng::from_str(text).ok()
    }
}

/// Whether a `$ref` of `value` names a file outside the sandbox folder (the part before `#`,
/// when it is not a remote URL, is read relative to the document's folder).
fn names_outside(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let file = r.split('#').next().unwrap_or_default();
                    let remote = file.starts_with("http://") || file.starts_with("https://");
                    if !remote && file.contains(['/', '\\', '%']) {
                        return true;
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let _ = Format::detect(text);
    if document(text).is_some_and(|doc| names_outside(&doc)) {
        return;
    }
    let source = Source {
        text,
        dir: common::sandbox().to_path_buf(),
        ..Source::default()
    };
    if let Ok(imported) = import(Format::OpenApi, &source) {
        common::loads_back(&imported.collection);
    }
});
