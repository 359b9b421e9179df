//! Working with a response body (part 9): a jq or JSONPath filter over it ([`filter`]) and a
//! JSON-aware comparison of two bodies ([`diff`]). Plain functions over JSON values: the app, `scout
//! send --filter` and `scout run --baseline` call them the same way.

pub mod diff;
pub mod filter;
