//! Collections: plain TOML files of saved requests, read into a model, edited without
//! destroying the user's formatting, and saved atomically.

pub mod edit;
pub mod model;
pub mod parse;
pub mod store;

pub use model::{Collection, Environment, Part, SavedBody, SavedRequest};
pub use parse::{ParseError, parse_collection};
