//! The curl importer (src/import: shell words, curl's options, the request they make): a script
//! of `curl …` commands as `scout import curl` reads it, and one command as the app's "paste a
//! curl command" reads it. What is imported must load back as a collection.
//!
//! Input: the script. `@file` and `<file` arguments are read from the sandbox folder; an input
//! naming a path with a `/` after them is skipped, so nothing outside it is read.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::import::shell::commands;
use scout::import::{Format, Source, curl, import};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let _ = Format::detect(text);
    // Pasted into the app: no file is ever read.
    let _ = curl::parse_command(text);

    if let Ok(commands) = commands(text) {
        let outside = commands.iter().flat_map(|c| &c.words).any(|word| {
            word.find(['@', '<'])
                .is_some_and(|at| word[at..].contains('/'))
        });
        if outside {
            return;
        }
    }
    let source = Source {
        text,
        dir: common::sandbox().to_path_buf(),
        ..Source::default()
    };
    if let Ok(imported) = import(Format::Curl, &source) {
        common::loads_back(&imported.collection);
    }
});
