//! `WWW-Authenticate` challenges (src/http/auth/digest.rs) and what scout says of a response
//! (src/http/explain.rs, which reads the same challenges, `Retry-After` and the like): the best
//! Digest challenge of a response, the `Authorization` answer to it, and the one-line summary.
//!
//! Input: `Name: value` header lines; every `WWW-Authenticate` value is a challenge.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::http::auth::Challenge;
use scout::http::explain::{MAX_SUMMARY_CHARS, explain};
use scout::model::Method;

fuzz_target!(|data: &[u8]| {
    let (headers, _) = common::head_and_body(data);
    for (_, value) in &headers {
        let _ = Challenge::parse(value);
    }
    let challenges = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, value)| value.as_str());
    if let Ok(challenge) = Challenge::from_header_values(challenges) {
        let answer = challenge.authorization(
            "PATCH",
            "/items/4?q=\"a, b\"",
            "Mufasa \"the king\"",
            "Circle of Life",
            u32::MAX,
            "0a4f113b",
        );
        // The answer carries the challenge's parameters back, quoted so they read back.
        let back = Challenge::parse(&answer)
            .unwrap_or_else(|e| panic!("{answer:?} does not read back: {e}"));
        assert_eq!(
            (
                &back.realm,
                &back.nonce,
                &back.opaque,
                back.algorithm,
                back.qop
            ),
            (
                &challenge.realm,
                &challenge.nonce,
                &challenge.opaque,
                challenge.algorithm,
                challenge.qop
            ),
            "{answer:?}"
        );
    }

    // The statuses whose explanation reads the headers, with one of the auth kinds (the input's
    // length picks which).
    let auths = [None, Some("digest"), Some("bearer"), Some("basic")];
    for (i, status) in [401, 407, 429, 503, 301].into_iter().enumerate() {
        let auth = auths[(data.len() + i) % auths.len()];
        if let Some(e) = explain(status, &headers, Method::Post, auth) {
            let chars = e.summary.chars().count();
            assert!(chars <= MAX_SUMMARY_CHARS, "{chars} chars: {:?}", e.summary);
        }
    }
});
