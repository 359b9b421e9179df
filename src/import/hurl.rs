//! Hurl files (https://hurl.dev) → a collection: one request per entry, in file order. Hurl's
//! `{{variables}}` and captures are scout's own syntax, so they are kept as written; `[Options]
//! variable:` become the collection's variables; the response half (status, headers,
//! `[Asserts]`, `[Captures]`) becomes `expect` and `capture` ([`asserts`]). Credentials
//! (`[BasicAuth]`, an `Authorization` header) become auth profiles with their secrets in `.env`.
//!
//! The reader is a line-oriented state machine: each line is a request line, a status line, a
//! section header, the start of a body (read to its end at once), or a line of the section it is
//! in; anything else is an error naming the line.

use std::iter::Peekable;
use std::str::CharIndices;

use base64::Engine;

use crate::collection::{SavedBody, SavedRequest};
use crate::import::secrets::{
    Profiles, authorization_profile, hide_fields, hide_json, hide_query, is_secret_header,
    is_secret_name,
};
use crate::import::{ImportError, Imported, Secrets, Source, empty_collection, literal};
use crate::model::settings::{AuthChoice, Connection};
use crate::model::{
    AuthProfile, BodyKind, KeyValue, MAX_RETRIES, Method, MultipartLine, RequestSpec, RetryPolicy,
    guess_mime, parse_duration,
};

#[path = "hurl_asserts.rs"]
mod asserts;
#[path = "hurl_read.rs"]
mod read;

use asserts::Response;

/// Every entry of the Hurl file.
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let entries = read::entries(source.text)?;
    if entries.is_empty() {
        return Err(ImportError::new(
            "there is no request in the input (a Hurl entry starts with a line such as \
             `GET https://example.org`)",
        ));
    }
    let mut builder = Builder {
        secrets: Secrets::beside(&source.known_env),
        ..Builder::default()
    };
    for entry in entries {
        builder.add(entry);
    }
    builder.connection();
    let mut collection = empty_collection("hurl");
    collection.requests = builder.requests;
    collection.auth = builder.profiles.list;
    collection.vars = builder.vars;
    collection.connection = builder.connection;
    Ok(Imported {
        collection,
        secrets: builder.secrets.found,
        dropped: builder.dropped,
    })
}

/// One entry as read (lines are 1-based; texts unescaped, templates kept).
#[derive(Debug, Default)]
struct Entry {
    line: usize,
    method: String,
    url: String,
    /// The comment lines right above the request line.
    description: Vec<String>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    multipart: Vec<(usize, String, String)>,
    cookies: Vec<(String, String)>,
    basic_auth: Option<(String, String)>,
    options: Vec<(usize, String, String)>,
    body: Option<(usize, Body)>,
    response: Option<Response>,
}

/// A request or response body as written.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// `{…}` / `[…]`, or a ```` ```json ```` string.
    Json(String),
    /// `<…>`, or a ```` ```xml ```` string.
    Xml(String),
    /// ```` ``` ```` strings and `` `one line` ``.
    Text(String),
    /// ```` ```graphql ````: the query, then `variables {…}` if any.
    GraphQl(String),
    Base64(String),
    Hex(String),
    File(String),
}

#[derive(Default)]
struct Builder {
    requests: Vec<SavedRequest>,
    profiles: Profiles,
    secrets: Secrets,
    vars: Vec<(String, String)>,
    connection: Connection,
    /// The connection options the entries ask for (`insecure: true`, `proxy: …`), settled for
    /// the whole collection at the end ([`Builder::connection`]).
    asks: Vec<Ask>,
    dropped: Vec<String>,
}

/// A connection option of one entry: `at` (`line 3 (GET …)`) asks for `key: value` for the
/// request at `request` in the list.
#[derive(Debug)]
struct Ask {
    request: usize,
    at: String,
    key: String,
    value: String,
}

impl Builder {
    fn add(&mut self, e: Entry) {
        let name = format!("{} {}", e.method, e.url);
        let at = format!("line {} ({name})", e.line);
        let Some(method) = Method::named(&e.method) else {
            self.dropped.push(format!(
                "{at}: scout does not send {} requests; the entry is dropped",
                e.method
            ));
            return;
        };
        let mut profile = e
            .basic_auth
            .clone()
            .map(|(username, password)| AuthProfile::Basic { username, password });
        let mut headers = Vec::new();
        for (key, value) in &e.headers {
            if key.eq_ignore_ascii_case("authorization")
                && profile.is_none()
                && let Some(p) = authorization_profile(value)
            {
                profile = Some(p);
                continue;
            }
            let value = if is_secret_header(key) {
                self.secrets.hide(&key.to_ascii_lowercase(), value)
            } else {
                value.clone()
            };
            headers.push(KeyValue::new(key, value));
        }
        if !e.cookies.is_empty() {
            let cookies: Vec<String> = e.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let value = self.secrets.hide("cookie", &cookies.join("; "));
            headers.push(KeyValue::new("Cookie", value));
        }
        let body = self.body(&e, &at, &mut headers);
        let spec = RequestSpec {
            method,
            url: e.url.clone(),
            headers,
            ..RequestSpec::default()
        };
        let mut saved = SavedRequest::new("", None, &spec);
        // The URL as written; `[Query]` parameters are added to it when sending.
        saved.url = hide_query(&e.url, &mut self.secrets, false);
        saved.query = hide_fields(e.query.clone(), &mut self.secrets, false);
        saved.body = body;
        saved.description = (!e.description.is_empty()).then(|| e.description.join("\n"));
        // Hurl does not follow redirects unless told to.
        saved.settings.follow_redirects = Some(false);
        self.options(&e, &mut saved, &mut profile);
        if let Some(profile) = profile {
            let name = self.profiles.add(&mut self.secrets, profile);
            saved.settings.auth = Some(AuthChoice::Profile(name));
        }
        if let Some(response) = &e.response {
            let mapped = asserts::map(response, &name, &mut self.dropped);
            saved.expect = mapped.expect;
            saved.capture = mapped.capture;
        }
        self.requests.push(saved);
    }

    /// The request body: form fields, multipart parts or the body as written. A Content-Type
    /// Hurl would add on its own is added to `headers` where scout would send another.
    fn body(&mut self, e: &Entry, at: &str, headers: &mut Vec<KeyValue>) -> Option<SavedBody> {
        let mut bodies = 0;
        let mut out = None;
        if !e.form.is_empty() {
            bodies += 1;
            out = Some(SavedBody::Form(hide_fields(
                e.form.clone(),
                &mut self.secrets,
                false,
            )));
        }
        if !e.multipart.is_empty() {
            bodies += 1;
            out = Some(SavedBody::Multipart(self.parts(&e.multipart, at)));
        }
        if let Some((line, body)) = &e.body {
            bodies += 1;
            out = self.request_body(*line, body, at, headers);
        }
        if bodies > 1 {
            self.dropped.push(format!(
                "{at}: more than one body (form, multipart, body); only the last is kept"
            ));
        }
        out
    }

    fn request_body(
        &mut self,
        line: usize,
        body: &Body,
        at: &str,
        headers: &mut Vec<KeyValue>,
    ) -> Option<SavedBody> {
        let has_type = headers
            .iter()
            .any(|h| h.key.eq_ignore_ascii_case("content-type"));
        let out = self.body_as_written(line, body, at, headers, has_type);
        // Hurl sends text, bytes and files without a Content-Type; scout sends one with every
        // body (its kind's, or the file's guessed): said, as it cannot be helped.
        let sent = match (&out, body) {
            (_, Body::Xml(_)) => None,
            (Some(SavedBody::Text(_)), _) => BodyKind::Text.content_type(),
            (Some(SavedBody::File(path)), _) => Some(guess_mime(&path.to_string_lossy())),
            _ => None,
        };
        if let Some(sent) = sent.filter(|_| !has_type) {
            self.dropped.push(format!(
                "{at}: Hurl sends this body without a Content-Type; scout sends {sent}"
            ));
        }
        out
    }

    /// The body as scout keeps it (XML's Content-Type added to `headers`).
    fn body_as_written(
        &mut self,
        line: usize,
        body: &Body,
        at: &str,
        headers: &mut Vec<KeyValue>,
        has_type: bool,
    ) -> Option<SavedBody> {
        match body {
            Body::Json(t) => Some(SavedBody::Json(hide_json(t, &mut self.secrets, false))),
            Body::GraphQl(t) => Some(SavedBody::Json(graphql(t))),
            Body::Text(t) => Some(SavedBody::Text(t.clone())),
            Body::Xml(t) => {
                if !has_type {
                    headers.push(KeyValue::new("Content-Type", "application/xml"));
                }
                // Hurl sends XML as written, without variables.
                Some(SavedBody::Text(literal(t)))
            }
            Body::File(path) => Some(SavedBody::File(path.into())),
            Body::Base64(_) | Body::Hex(_) => {
                let bytes = match body {
                    Body::Base64(b) => base64::engine::general_purpose::STANDARD
                        .decode(b.split_whitespace().collect::<String>())
                        .ok(),
                    Body::Hex(h) => hex(h),
                    _ => None,
                };
                match bytes.map(String::from_utf8) {
                    Some(Ok(text)) => Some(SavedBody::Text(literal(&text))),
                    Some(Err(_)) => {
                        self.dropped.push(format!(
                            "{at}: the body on line {line} is binary; put it in a file and use a \
                             file body; dropped"
                        ));
                        None
                    }
                    None => {
                        self.dropped.push(format!(
                            "{at}: the body on line {line} is not valid base64 or hex; dropped"
                        ));
                        None
                    }
                }
            }
        }
    }

    /// `[Multipart]` lines: `name: value` or `name: file,path;` with an optional type.
    fn parts(&mut self, parts: &[(usize, String, String)], at: &str) -> Vec<MultipartLine> {
        let mut lines = Vec::new();
        for (line, name, value) in parts {
            // A multipart line in the editor is one line: a part with a line break (an escaped
            // `\n`) could not be saved.
            if name.contains(['\n', '\r']) || value.contains(['\n', '\r']) {
                self.dropped.push(format!(
                    "{at}: part `{}` on line {line} has a line break, which a multipart part \
                     cannot hold; dropped (send such a value as a file part)",
                    name.escape_debug()
                ));
                continue;
            }
            if let Some(file) = value.strip_prefix("file,") {
                let Some((path, content_type)) = file.split_once(';') else {
                    self.dropped.push(format!(
                        "{at}: part `{name}` on line {line} has no `;` after its file name; dropped"
                    ));
                    continue;
                };
                let content_type = Some(content_type.trim().to_string()).filter(|t| !t.is_empty());
                lines.push(MultipartLine::File {
                    name: name.clone(),
                    path: path.trim().into(),
                    content_type,
                });
            } else {
                let value = if is_secret_name(name) {
                    self.secrets.hide(name, value)
                } else {
                    value.clone()
                };
                lines.push(MultipartLine::Field {
                    name: name.clone(),
                    value,
                });
            }
        }
        lines
    }

    /// `[Options]` as request settings, collection variables and connection settings.
    fn options(&mut self, e: &Entry, saved: &mut SavedRequest, profile: &mut Option<AuthProfile>) {
        for (line, key, value) in &e.options {
            let at = format!("line {line} ({} {})", e.method, e.url);
            let mut drop = |why: &str| {
                self.dropped
                    .push(format!("{at}: option `{key}: {value}` {why}; dropped"))
            };
            let yes = value == "true";
            let number = value.parse::<i64>().ok();
            let s = &mut saved.settings;
            match key.as_str() {
                "location" | "location-trusted" => s.follow_redirects = Some(yes),
                "max-redirs" => match number.and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => s.max_redirects = Some(n),
                    None => drop("needs a number of redirects here"),
                },
                "retry" => match number {
                    Some(n) if n > 0 => {
                        let max = u32::try_from(n).unwrap_or(u32::MAX);
                        if max > MAX_RETRIES {
                            self.dropped.push(format!(
                                "{at}: option `retry: {value}`: scout retries at most \
                                 {MAX_RETRIES} times; {MAX_RETRIES} kept"
                            ));
                        }
                        s.retries = Some(RetryPolicy {
                            max: max.min(MAX_RETRIES),
                            ..RetryPolicy::default()
                        })
                    }
                    Some(0) => {}
                    _ => drop("needs a number of retries here (scout has no endless retry)"),
                },
                "connect-timeout" | "max-time" => match parse_duration(value) {
                    // As in curl, 0 is no limit; scout always has one.
                    Ok(d) if d.is_zero() => {
                        drop("means no limit in Hurl; scout's default timeout applies")
                    }
                    Ok(d) if key == "connect-timeout" => s.connect_timeout = Some(d),
                    Ok(d) => s.timeout = Some(d),
                    Err(_) => drop("needs a duration here"),
                },
                "insecure" => match value.as_str() {
                    "true" => self.ask(&at, key, value),
                    "false" => {}
                    _ => drop("needs `true` or `false` here"),
                },
                "proxy" | "cacert" | "cert" => self.ask(&at, key, value),
                "user" => match value.split_once(':') {
                    Some((u, p)) => {
                        let (username, password) = (u.to_string(), p.to_string());
                        *profile = Some(AuthProfile::Basic { username, password });
                    }
                    None => drop("has no `:password`"),
                },
                "variable" => match value.split_once('=') {
                    Some((name, v)) => self.variable(&at, name.trim(), v.trim()),
                    None => drop("is not `name=value`"),
                },
                // How Hurl shows its run: nothing to carry over.
                "verbose" | "very-verbose" => {}
                "skip" if yes => self.dropped.push(format!(
                    "{at}: Hurl skips this entry (`skip: true`); it is imported all the same"
                )),
                "delay" => drop("has no equivalent for a single request (a run step has `delay`)"),
                "key" => drop("is not needed: scout reads the private key from the `cert` file"),
                _ => drop("has no scout equivalent"),
            }
        }
    }

    /// Notes that the entry being read (the next request) asks for `key: value`.
    fn ask(&mut self, at: &str, key: &str, value: &str) {
        self.asks.push(Ask {
            request: self.requests.len(),
            at: at.to_string(),
            key: key.to_string(),
            value: value.to_string(),
        });
    }

    /// `insecure`, `proxy`, `cacert` and `cert` are an entry's in Hurl but the whole
    /// collection's in scout: each is set when every request asks for the same, else not at all
    /// (one entry's `insecure` would switch off certificate checks for every request), with
    /// one line per entry that asked.
    fn connection(&mut self) {
        let total = self.requests.len();
        for key in ["insecure", "proxy", "cacert", "cert"] {
            let asks: Vec<&Ask> = self.asks.iter().filter(|a| a.key == key).collect();
            let Some(first) = asks.first() else {
                continue;
            };
            let value = first.value.clone();
            let every = (0..total).all(|i| asks.iter().any(|a| a.request == i))
                && asks.iter().all(|a| a.value == value);
            if !every {
                let what = if key == "insecure" {
                    "option `insecure: true` applies to a whole collection in scout (no \
                     certificate checks for any request), and not every entry asks for it"
                        .to_string()
                } else {
                    format!(
                        "option `{key}` applies to a whole collection in scout, and not every \
                         entry asks for the same"
                    )
                };
                for a in asks {
                    self.dropped.push(format!("{}: {what}; not applied", a.at));
                }
                continue;
            }
            let c = &mut self.connection;
            match key {
                "insecure" => c.insecure = true,
                "proxy" => c.proxy = Some(value),
                "cacert" => c.ca_cert = Some(value.into()),
                _ => c.client_cert = Some(value.into()),
            }
        }
    }

    fn variable(&mut self, at: &str, name: &str, value: &str) {
        match self.vars.iter().find(|(n, _)| n == name) {
            None => self.vars.push((name.to_string(), value.to_string())),
            Some((_, old)) if old == value => {}
            Some(_) => self.dropped.push(format!(
                "{at}: variable `{name}` is set again with another value; a collection variable \
                 has one, the first is kept"
            )),
        }
    }
}

/// A GraphQL body as Hurl sends it: `{"query": …, "variables": …}`.
fn graphql(text: &str) -> String {
    let (query, variables) = match text.rfind("\nvariables") {
        Some(i)
            if text[i + "\nvariables".len()..]
                .trim_start()
                .starts_with('{') =>
        {
            (&text[..=i], Some(text[i + "\nvariables".len()..].trim()))
        }
        _ => (text, None),
    };
    // Hurl trims the query (not the variables).
    let query = serde_json::to_string(query.trim()).unwrap_or_default();
    match variables {
        Some(v) => format!("{{\"query\": {query}, \"variables\": {v}}}"),
        None => format!("{{\"query\": {query}}}"),
    }
}

/// `hex,…;` bytes.
fn hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// The character after a `\` in a Hurl string (the `\` already read).
fn escaped(chars: &mut Peekable<CharIndices<'_>>) -> Result<char, String> {
    let Some((_, c)) = chars.next() else {
        return Err("ends with a lone `\\`".into());
    };
    Ok(match c {
        '#' | '"' | '`' | '\\' | '/' | ':' => c,
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'u' => {
            let mut hex = String::new();
            if chars.next().map(|(_, c)| c) != Some('{') {
                return Err("has `\\u` without `{`".into());
            }
            for (_, c) in chars.by_ref() {
                if c == '}' {
                    break;
                }
                hex.push(c);
            }
            u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("has `\\u{{{hex}}}`, which is not a character"))?
        }
        other => {
            return Err(format!(
                "has `\\{other}`, which is not an escape Hurl knows"
            ));
        }
    })
}

#[cfg(test)]
#[path = "hurl_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "hurl_prop_tests.rs"]
mod prop_tests;
