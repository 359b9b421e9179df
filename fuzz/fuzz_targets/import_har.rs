//! The HAR importer (src/import/har.rs): an HTTP Archive's entries (requests, their bodies and
//! auth), with `scout import --filter`. What is imported must load back as a collection.
//!
//! Input: the archive (JSON), optionally preceded by a line `filter: TEXT`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::import::{Format, Source, import};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (filter, archive) = match text.strip_prefix("filter: ") {
        Some(rest) => {
            let (filter, archive) = common::split2(rest, "\n");
            (Some(filter), archive)
        }
        None => (None, text),
    };
    let _ = Format::detect(archive);
    let source = Source {
        text: archive,
        dir: common::sandbox().to_path_buf(),
        filter,
        ..Source::default()
    };
    if let Ok(imported) = import(Format::Har, &source) {
        common::loads_back(&imported.collection);
    }
});
