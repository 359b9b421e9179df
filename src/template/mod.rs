//! `{{variable}}` templates for URLs, headers and bodies.
//!
//! Syntax:
//! - `{{ name }}` — whitespace inside the braces is allowed; names match
//!   `[A-Za-z_][A-Za-z0-9_.-]*`.
//! - `{{env.NAME}}` — scout's injected values, then the process environment, then the `.env`
//!   file next to the collection ([`EnvSource`]).
//! - `{{prompt}}` — a secret typed once per run; resolution stops with
//!   [`TemplateError::NeedsPrompt`] until [`Scope::prompted`] holds the answer.
//! - `\{{` — a literal `{{`. Nothing else is special: a lone `\`, `{`, `}` or `}}` is literal,
//!   so `\\{{x}}` is a backslash followed by an escaped `{{` and the text `x}}`. [`escape`]
//!   turns any text into a template that resolves to exactly that text.
//! - An unclosed `{{`, an empty `{{}}` or a malformed name is a syntax error (char offset).
//!
//! Resolution ([`Scope::resolve`], [`Scope::resolve_spec`]) reports every variable it used and
//! whether its value is secret, so callers can redact those values. Substitution is plain
//! text: nothing is URL- or JSON-encoded.
//!
//! ```
//! use scout::template::{EnvSource, Scope};
//! let mut scope = Scope { env_source: EnvSource::empty(), ..Scope::default() };
//! scope.collection_vars.insert("host".into(), "example.com".into());
//! scope.collection_vars.insert("base".into(), "https://{{ host }}".into());
//! assert_eq!(scope.resolve("{{base}}/items").unwrap().text, "https://example.com/items");
//! ```

mod dotenv;
mod env_source;
mod error;
mod parse;
mod vars;

pub use dotenv::{DOTENV_FILE, DotEnvError, DotEnvSyntax, dotenv_line, load_dotenv, parse_dotenv};
pub use env_source::{EnvLookup, EnvSource};
pub use error::{MAX_DEPTH, MAX_LEN, TemplateError};
pub use parse::{ParseError, Placeholder, Segment, SpanKind, escape, parse, placeholders, spans};
pub use vars::{Layer, Resolved, RunValue, Scope, UsedVar};

#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod vars_tests;
