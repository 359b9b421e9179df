//! The Postman importer (src/import/postman*): a Postman collection (v1, v2.0, v2.1) as JSON
//! or YAML, and an environment export beside it. What is imported must load back as a
//! collection.
//!
//! Input: the collection, optionally followed by a line `---ENV---` and an environment export.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::import::{Format, Source, import};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (collection, env) = match text.split_once("\n---ENV---\n") {
        Some((collection, env)) => (collection, Some(env)),
        None => (text, None),
    };
    let _ = Format::detect(collection);
    let source = Source {
        text: collection,
        dir: common::sandbox().to_path_buf(),
        env_file: env,
        ..Source::default()
    };
    if let Ok(imported) = import(Format::Postman, &source) {
        common::loads_back(&imported.collection);
    }
});
