//! What a saved request expects of its response and what it captures from it: the `expect` and
//! `capture` tables of a collection, read and checked when the file loads (an invalid JSONPath or
//! regex is a load error, never a failure at run time), and evaluated against a response.
//!
//! Plain logic over [`model`](crate::model) data: no I/O (a JSON Schema is read by the
//! collection store and handed in compiled), so the app, `scout send` and `scout run` check a
//! response the same way.

mod capture;
mod eval;
mod expect;
mod query;
mod toml_json;
mod value;

pub use capture::{Capture, is_secret_capture};
pub use eval::{Body, CheckResult, evaluate, excerpt};
pub use expect::{Expect, HeaderExpect, SchemaRef, StatusPattern};
pub use query::{JsonQuery, Pattern};
pub use toml_json::{json_to_toml, toml_to_json};
pub use value::{JsonType, ValueCheck, ValueMatcher, cut};

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
