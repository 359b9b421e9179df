//! Working with a response body (part 9): a jq or JSONPath filter over it ([`filter`]), a
//! JSON-aware comparison of two bodies ([`diff`]), and searching its displayed text ([`search`]).
//! Plain functions over JSON values and text: the app, `scout send --filter` and `scout run
//! --baseline` call them the same way.

pub mod diff;
pub mod filter;
pub mod search;
