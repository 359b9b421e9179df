//! Explanations of HTTP for learners, as data: every status code, method and common header, in
//! plain words with what to do next and the section of the standard to read (`RFC 9110
//! §15.5.2`). The texts live in `src/teach/*.toml`, embedded in the binary and read once.
//!
//! `scout explain` prints them; the response pane explains what happened with them.

mod notes;

use std::sync::OnceLock;

pub use notes::{Note, notes};
use serde::Deserialize;

/// A status code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub code: u16,
    /// The reason phrase (`Too Many Requests`).
    pub title: String,
    pub explanation: String,
    /// What a client should do next.
    pub next: String,
    /// Typical causes.
    pub causes: Vec<String>,
    pub reference: String,
}

/// A request method.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodInfo {
    pub name: String,
    pub title: String,
    pub safe: bool,
    pub idempotent: bool,
    pub cacheable: bool,
    pub explanation: String,
    /// What sending it again would do.
    pub retry: String,
    pub next: String,
    pub reference: String,
}

/// A header.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// As usually written (`Cache-Control`).
    pub name: String,
    /// What it is about: caching, conditional, negotiation, auth, cookies, cors…
    pub topic: String,
    pub explanation: String,
    pub next: String,
    pub reference: String,
}

/// Every explanation.
#[derive(Debug)]
pub struct Teach {
    pub statuses: Vec<Status>,
    pub methods: Vec<MethodInfo>,
    pub headers: Vec<Header>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFile {
    status: Vec<Status>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodFile {
    method: Vec<MethodInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderFile {
    header: Vec<Header>,
}

const STATUSES: &str = include_str!("statuses.toml");
const METHODS: &str = include_str!("methods.toml");
const HEADERS: &str = include_str!("headers.toml");

/// The embedded explanations, parsed on first use. The files are part of scout and tested, so
/// one that does not parse is a bug: it panics with the file and the reason.
pub fn teach() -> &'static Teach {
    static TEACH: OnceLock<Teach> = OnceLock::new();
    TEACH.get_or_init(|| {
        fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
            toml::from_str(text).unwrap_or_else(|e| panic!("src/teach/{name}: {e}"))
        }
        let statuses: StatusFile = parse("statuses.toml", STATUSES);
        let methods: MethodFile = parse("methods.toml", METHODS);
        let headers: HeaderFile = parse("headers.toml", HEADERS);
        Teach {
            statuses: statuses.status,
            methods: methods.method,
            headers: headers.header,
        }
    })
}

impl Teach {
    pub fn status(&self, code: u16) -> Option<&Status> {
        self.statuses.iter().find(|s| s.code == code)
    }

    /// The method `name`, in any case.
    pub fn method(&self, name: &str) -> Option<&MethodInfo> {
        self.methods
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The header `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&Header> {
        let name = name.trim().trim_end_matches(':');
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }

    /// The known header or method name closest to `name` (a typo: `cache-contol`), if one is
    /// close enough to be what was meant.
    pub fn suggest<'a>(&'a self, name: &str, among: Kind) -> Option<&'a str> {
        let names: Vec<&str> = match among {
            Kind::Method => self.methods.iter().map(|m| m.name.as_str()).collect(),
            Kind::Header => self.headers.iter().map(|h| h.name.as_str()).collect(),
        };
        crate::model::closest(name, names)
    }

    /// The codes of class `class` (4 for 4xx) that have explanations, in order.
    pub fn codes_of_class(&self, class: u16) -> Vec<u16> {
        self.statuses
            .iter()
            .map(|s| s.code)
            .filter(|c| c / 100 == class)
            .collect()
    }
}

/// What a name is looked up among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Method,
    Header,
}

#[cfg(test)]
mod tests;
