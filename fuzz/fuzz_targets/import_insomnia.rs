//! The Insomnia importer (src/import/insomnia*): an export (format 4, and what it says of others),
//! JSON or YAML. What is imported must load back as a collection.
//!
//! Input: the export.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::import::{Format, Source, import};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let _ = Format::detect(text);
    let source = Source {
        text,
        dir: common::sandbox().to_path_buf(),
        ..Source::default()
    };
    if let Ok(imported) = import(Format::Insomnia, &source) {
        common::loads_back(&imported.collection);
    }
});
