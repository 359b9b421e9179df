//! Bringing requests in from other tools (part 8, `scout import`): each format's reader turns
//! its input into a [`Collection`] (requests, folders, variables, environments, auth profiles),
//! with the secrets it met taken out into `.env` references ([`Secrets`]) and what it could not
//! carry over named, one line each.
//!
//! One reader per format: curl commands (split as a shell would by [`shell`], read as curl reads
//! them by [`curl`], made requests by `from_curl`), Postman (`postman`), Insomnia (`insomnia`),
//! OpenAPI and Swagger (`openapi`), HAR (`har`) and Hurl (`hurl`). JSON and YAML are read by
//! `document`; what every reader hides is in `secrets`; ids are given last, by `ids`.

pub mod curl;
mod document;
mod from_curl;
mod har;
mod hurl;
mod ids;
mod insomnia;
mod openapi;
mod postman;
mod secrets;
pub mod shell;

use std::fmt;
use std::path::PathBuf;

pub use secrets::Secrets;

use crate::collection::Collection;
use crate::model::settings::{Connection, Settings};

/// The formats `scout import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Curl,
    Postman,
    Insomnia,
    OpenApi,
    Har,
    Hurl,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Curl,
        Format::Postman,
        Format::Insomnia,
        Format::OpenApi,
        Format::Har,
        Format::Hurl,
    ];

    /// As `scout import` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Curl => "curl",
            Format::Postman => "postman",
            Format::Insomnia => "insomnia",
            Format::OpenApi => "openapi",
            Format::Har => "har",
            Format::Hurl => "hurl",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The format `text` is in, from its content: a command line starting with `curl`, a JSON
    /// or YAML document by its telling keys, else Hurl's `METHOD url` lines.
    pub fn detect(text: &str) -> Option<Format> {
        let start = text.trim_start();
        let first_word = start.split_whitespace().next().unwrap_or_default();
        if first_word == "curl" || first_word.ends_with("/curl") || first_word == "curl.exe" {
            return Some(Format::Curl);
        }
        // Keys near the top of a document: cheap, and good enough to choose a reader, which then
        // says precisely what is wrong.
        let head: String = text.chars().take(4096).collect();
        let has = |key: &str| {
            head.contains(&format!("\"{key}\""))
                || head.contains(&format!("\n{key}:"))
                || start.starts_with(&format!("{key}:"))
        };
        if has("openapi") || has("swagger") {
            return Some(Format::OpenApi);
        }
        if has("log") && text.contains("\"entries\"") {
            return Some(Format::Har);
        }
        if text.contains("schema.getpostman.com") || has("info") && text.contains("\"item\"") {
            return Some(Format::Postman);
        }
        if has("_type") && text.contains("insomnia") || has("__export_format") {
            return Some(Format::Insomnia);
        }
        let method_line = start.lines().find(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        });
        if method_line.is_some_and(|l| {
            l.split_whitespace().next().is_some_and(|m| {
                m.len() >= 3 && m.chars().all(|c| c.is_ascii_uppercase()) && l.contains("://")
                    || l.contains("{{")
            })
        }) {
            return Some(Format::Hurl);
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an importer reads, and from where.
#[derive(Debug, Clone, Default)]
pub struct Source<'a> {
    pub text: &'a str,
    /// The folder files named in the input are relative to (`@body.json`, a `$ref` to
    /// `schemas.yaml`).
    pub dir: PathBuf,
    /// HAR: only entries whose URL contains this.
    pub filter: Option<&'a str>,
    /// Postman: the text of an environment export, added as `[environments.NAME]`.
    pub env_file: Option<&'a str>,
    /// The variables of the `.env` the collection will sit beside: see [`Secrets::beside`].
    pub known_env: Vec<(String, String)>,
}

/// An importer's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Its `path` is empty; its requests' ids are unique, from their names or method and path.
    pub collection: Collection,
    /// `.env` lines the collection refers to (`{{env.NAME}}`) instead of holding the secrets.
    pub secrets: Vec<(String, String)>,
    /// What could not be carried over, one line each (never a secret value).
    pub dropped: Vec<String>,
}

/// Input that cannot be read: where (1-based line, when known) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("{l}: ")).unwrap_or_default())]
pub struct ImportError {
    pub line: Option<usize>,
    pub message: String,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> ImportError {
        ImportError {
            line: None,
            message: message.into(),
        }
    }

    pub fn at(line: usize, message: impl Into<String>) -> ImportError {
        ImportError {
            line: Some(line),
            message: message.into(),
        }
    }
}

/// Reads `source` as `format`.
pub fn import(format: Format, source: &Source<'_>) -> Result<Imported, ImportError> {
    let mut imported = match format {
        Format::Curl => from_curl::import(source)?,
        Format::Postman => postman::import(source)?,
        Format::Insomnia => insomnia::import(source)?,
        Format::OpenApi => openapi::import(source)?,
        Format::Har => har::import(source)?,
        Format::Hurl => hurl::import(source)?,
    };
    ids::assign(&mut imported.collection.requests);
    Ok(imported)
}

/// An empty collection for an importer to fill.
pub fn empty_collection(name: &str) -> Collection {
    Collection {
        path: PathBuf::new(),
        name: name.to_string(),
        vars: Vec::new(),
        environments: Vec::new(),
        requests: Vec::new(),
        settings: Settings::default(),
        auth: Vec::new(),
        folders: Vec::new(),
        connection: Connection::default(),
        runs: Vec::new(),
    }
}

/// A folder name (a Postman or Insomnia folder, an OpenAPI tag) as one part of a path: `/`
/// would nest it, so it becomes `-`.
pub(crate) fn folder_part(name: &str) -> String {
    let part = name.replace('/', "-").trim().to_string();
    if part.is_empty() {
        "folder".into()
    } else {
        part
    }
}

/// Text scout would read as a template, escaped so that it is sent as it is (`{{` → `\{{`).
pub fn literal(text: &str) -> String {
    text.replace("{{", "\\{{")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_from_their_content() {
        let cases = [
            ("curl https://x", Some(Format::Curl)),
            ("  /usr/bin/curl -s x", Some(Format::Curl)),
            ("{\"openapi\": \"3.1.0\"}", Some(Format::OpenApi)),
            ("openapi: 3.0.3\ninfo:\n", Some(Format::OpenApi)),
            ("{\n \"swagger\": \"2.0\"}", Some(Format::OpenApi)),
            (
                "{\"log\": {\"version\": \"1.2\", \"entries\": []}}",
                Some(Format::Har),
            ),
            (
                "{\"info\": {\"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"}, \"item\": []}",
                Some(Format::Postman),
            ),
            (
                "{\"_type\": \"export\", \"__export_format\": 4, \"__export_source\": \"insomnia.desktop.app\"}",
                Some(Format::Insomnia),
            ),
            ("# a test\nGET https://x/y\nHTTP 200\n", Some(Format::Hurl)),
            ("POST {{base}}/items\n", Some(Format::Hurl)),
            ("hello", None),
        ];
        for (text, want) in cases {
            assert_eq!(Format::detect(text), want, "{text}");
        }
    }
}
