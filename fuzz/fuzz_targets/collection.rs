//! The collection loader (src/collection): a collection file's text → `Collection` (requests,
//! settings, auth profiles, pagination, expect/capture tables, runs, environments), then what
//! the app does with a loaded file: resolve a request's templates, and duplicate a request into
//! the same file (`upsert_request`), which must load back with every request unchanged.
//!
//! Input: the TOML text of a collection file.
#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use scout::collection::edit::upsert_request;
use scout::collection::{parse_collection, scope_for};
use scout::template::EnvSource;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    let Ok(collection) = parse_collection(text, path) else {
        return;
    };

    let env = collection.environments.first().map(|e| e.name.clone());
    if let Ok(scope) = scope_for(&collection, env.as_deref(), &[], EnvSource::empty()) {
        for request in collection.requests.iter().take(4) {
            let _ = scope.resolve_spec(&request.to_spec(), &request.path());
        }
    }

    // Duplicating a request (as the app's "duplicate" does) writes every key of it into the
    // file: the file loads back with the copy equal to the original and nothing else changed.
    for request in collection.requests.iter().take(2) {
        let mut copy = request.clone();
        copy.id = collection.free_id(&format!("{}-copy", request.id));
        copy.name = Some(format!("{} (copy)", request.title()));
        let Ok(written) = upsert_request(text, &copy, None) else {
            continue;
        };
        let back = parse_collection(&written, path)
            .unwrap_or_else(|e| panic!("the duplicated request does not load: {e}\n{written}"));
        let found = back.requests.iter().find(|r| r.id == copy.id);
        assert_eq!(found, Some(&copy), "{written}");
        assert_eq!(
            back.requests.len(),
            collection.requests.len() + 1,
            "{written}"
        );
        for before in &collection.requests {
            let after = back.requests.iter().find(|r| r.id == before.id);
            assert_eq!(after, Some(before), "{written}");
        }
        assert_eq!(back.auth, collection.auth, "{written}");
        assert_eq!(back.vars, collection.vars, "{written}");
    }
});
