//! The Hurl importer (src/import/hurl*): entries, sections (`[QueryStringParams]`,
//! `[FormParams]`, `[Multipart]`, `[Captures]`, `[Asserts]`…), bodies and options. What is
//! imported must load back as a collection.
//!
//! Input: the Hurl file.
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
    if let Ok(imported) = import(Format::Hurl, &source) {
        common::loads_back(&imported.collection);
    }
});
