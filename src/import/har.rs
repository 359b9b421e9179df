//! HAR 1.2 (the HTTP Archive a browser's "Save all as HAR" writes) → a collection: one request
//! per entry, as the browser sent it, without the headers a browser or HTTP stack adds on its own.
//! An `Authorization` header becomes an auth profile and cookies an `{{env.…}}` reference, so no
//! secret lands in the collection; requests go in a folder per host when the capture spans
//! several hosts. Everything in a HAR is literal text, so `{{` in it is escaped.

use serde_json::Value;

use crate::collection::{SavedBody, SavedRequest};
use crate::import::document::parse_document;
use crate::import::secrets::{
    Profiles, authorization_profile, hide_fields, hide_json, hide_query, is_secret_header,
};
use crate::import::{ImportError, Imported, Secrets, Source, empty_collection, literal};
use crate::model::settings::AuthChoice;
use crate::model::{AuthProfile, KeyValue, Method, MultipartLine, RequestSpec, parse_form_text};

/// Every entry of `source` (those whose URL contains `source.filter`, when given).
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let doc = parse_document(source.text)?;
    let entries = doc
        .get("log")
        .and_then(|log| log.get("entries"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ImportError::new(
                "this is not a HAR file: it has no `log.entries` list (a HAR looks like \
                 {\"log\": {\"version\": \"1.2\", \"entries\": [...]}}, as a browser's \
                 \"Save all as HAR\" writes it)",
            )
        })?;
    if entries.is_empty() {
        return Err(ImportError::new(
            "the HAR has no entries: the capture recorded no request",
        ));
    }
    let lines = entry_lines(source.text);
    let line_of = |i: usize| (lines.len() == entries.len()).then(|| lines[i]);
    let mut requests = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let request = entry.get("request").filter(|r| r.is_object());
        let url = request.and_then(|r| r.get("url")).and_then(Value::as_str);
        let Some((request, url)) = request.zip(url) else {
            let what = if request.is_none() {
                "has no request"
            } else {
                "has a request without a url"
            };
            let message = format!("entry {} {what}", i + 1);
            return Err(match line_of(i) {
                Some(line) => ImportError::at(line, message),
                None => ImportError::new(message),
            });
        };
        if source.filter.is_none_or(|f| url.contains(f)) {
            requests.push((i + 1, request, url));
        }
    }
    if let Some(filter) = source.filter
        && requests.is_empty()
    {
        return Err(ImportError::new(format!(
            "no entry's URL contains `{filter}` (the HAR has {} entries)",
            entries.len()
        )));
    }
    let mut hosts: Vec<String> = requests.iter().filter_map(|(_, _, u)| host(u)).collect();
    hosts.sort();
    hosts.dedup();
    let mut builder = Builder {
        secrets: Secrets::beside(&source.known_env),
        ..Builder::default()
    };
    for (n, request, url) in requests {
        let folder = if hosts.len() > 1 { host(url) } else { None };
        builder.add(n, request, url, folder);
    }
    let mut collection = empty_collection("har");
    collection.requests = builder.requests;
    collection.auth = builder.profiles.list;
    Ok(Imported {
        collection,
        secrets: builder.secrets.found,
        dropped: builder.dropped,
    })
}

#[derive(Default)]
struct Builder {
    requests: Vec<SavedRequest>,
    profiles: Profiles,
    secrets: Secrets,
    dropped: Vec<String>,
}

impl Builder {
    /// Entry `n` (1-based) of the HAR.
    fn add(&mut self, n: usize, request: &Value, url: &str, folder: Option<String>) {
        let method_name = text(request, "method").to_ascii_uppercase();
        let Some(method) = Method::named(&method_name).filter(|_| method_name != "CONNECT") else {
            let why = if method_name == "CONNECT" {
                "a proxy tunnel, not a request to replay".to_string()
            } else {
                format!("scout does not send {method_name} requests")
            };
            self.dropped
                .push(format!("entry {n} ({method_name} {url}): {why}; dropped"));
            return;
        };
        let at = format!("entry {n} ({method_name} {url})");
        let body = request
            .get("postData")
            .filter(|p| p.is_object())
            .and_then(|post| self.body(post, &at));
        // scout writes a multipart body with its own boundary.
        let own_content_type = matches!(body, Some(SavedBody::Multipart(_)));
        let mut profile = None;
        let mut headers = Vec::new();
        let mut has_cookie = false;
        for (name, value) in pairs(request.get("headers")) {
            let lower = name.to_ascii_lowercase();
            if is_added_by_the_client(&lower) || own_content_type && lower == "content-type" {
                continue;
            }
            if lower == "authorization"
                && profile.is_none()
                && let Some(p) = authorization_profile(&value)
            {
                profile = Some(p);
                continue;
            }
            has_cookie |= lower == "cookie";
            let value = if is_secret_header(&name) {
                self.secrets.hide(&lower, &value)
            } else {
                literal(&value)
            };
            headers.push(KeyValue::new(name, value));
        }
        let cookies: Vec<String> = pairs(request.get("cookies"))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !has_cookie && !cookies.is_empty() {
            let value = self.secrets.hide("cookie", &cookies.join("; "));
            headers.push(KeyValue::new("Cookie", value));
        }
        let spec = RequestSpec {
            method,
            url: hide_query(url, &mut self.secrets, true),
            headers,
            ..RequestSpec::default()
        };
        let mut saved = SavedRequest::new("", folder, &spec);
        // The query stays in the URL as it was sent: split into a table it would be decoded and
        // encoded again, which can change its bytes.
        saved.url = spec.url.clone();
        saved.query.clear();
        saved.body = body;
        if let Some(mut profile) = profile {
            if let AuthProfile::Basic { username, .. } = &mut profile {
                *username = literal(username);
            }
            let name = self.profiles.add(&mut self.secrets, profile);
            saved.settings.auth = Some(AuthChoice::Profile(name));
        }
        self.requests.push(saved);
    }

    /// `postData` as a body: form fields, multipart parts, JSON or text.
    fn body(&mut self, post: &Value, at: &str) -> Option<SavedBody> {
        let mime = text(post, "mimeType").to_ascii_lowercase();
        let raw = text(post, "text");
        let params: Vec<&Value> = post
            .get("params")
            .and_then(Value::as_array)
            .map(|p| p.iter().collect())
            .unwrap_or_default();
        if mime.starts_with("multipart/form-data") {
            let parts = if params.is_empty() {
                parse_multipart(&mime, raw)
            } else {
                Some(params.iter().map(|p| multipart_param(p)).collect())
            };
            if let Some(parts) = parts {
                return Some(SavedBody::Multipart(self.parts(parts, at)));
            }
            // Not readable as parts: sent as the bytes it was, with its Content-Type.
        } else if mime.starts_with("application/x-www-form-urlencoded") {
            // The text when there is one: Chrome's params are still encoded, Firefox's are not.
            let pairs: Vec<(String, String)> = if !raw.is_empty() || params.is_empty() {
                parse_form_text(raw)
            } else {
                params
                    .iter()
                    .map(|p| (text(p, "name").to_string(), text(p, "value").to_string()))
                    .collect()
            };
            return Some(SavedBody::Form(hide_fields(pairs, &mut self.secrets, true)));
        }
        if raw.is_empty() {
            return None;
        }
        if mime.contains("json") && serde_json::from_str::<Value>(raw).is_ok() {
            Some(SavedBody::Json(hide_json(raw, &mut self.secrets, true)))
        } else {
            Some(SavedBody::Text(literal(raw)))
        }
    }

    /// The parts, a line dropped for each file (its content is not in the HAR) and for each
    /// value a multipart line cannot hold.
    fn parts(&mut self, parts: Vec<Part>, at: &str) -> Vec<MultipartLine> {
        let mut lines = Vec::new();
        for part in parts {
            let breaks = |s: &str| s.contains(['\n', '\r']);
            if breaks(&part.name)
                || part.file_name.as_deref().is_some_and(breaks)
                || part.content_type.as_deref().is_some_and(breaks)
            {
                self.dropped.push(format!(
                    "{at}: part {:?} has a line break in its name, file name or type, which a \
                     multipart part cannot hold; dropped",
                    part.name
                ));
            } else if let Some(file) = part.file_name {
                self.dropped.push(format!(
                    "{at}: the content of file `{file}` (part `{}`) is not in the HAR; put the \
                     file next to the collection",
                    part.name
                ));
                lines.push(MultipartLine::File {
                    name: part.name,
                    path: file.into(),
                    content_type: part.content_type,
                });
            } else if part.value.contains(['\n', '\r']) {
                self.dropped.push(format!(
                    "{at}: part `{}` spans several lines, which a multipart field cannot hold; \
                     dropped",
                    part.name
                ));
            } else {
                lines.push(MultipartLine::Field {
                    name: part.name,
                    value: literal(&part.value),
                });
            }
        }
        lines
    }
}

/// Headers a browser or HTTP client adds on its own (scout sends its own), and HTTP/2
/// pseudo-headers; `lower` is lowercase.
fn is_added_by_the_client(lower: &str) -> bool {
    const ADDED: [&str; 12] = [
        "host",
        "connection",
        "content-length",
        "accept-encoding",
        "user-agent",
        "upgrade-insecure-requests",
        "priority",
        "te",
        "keep-alive",
        "proxy-connection",
        "dnt",
        "sec-gpc",
    ];
    lower.starts_with(':')
        || lower.starts_with("sec-ch-ua")
        || lower.starts_with("sec-fetch-")
        || ADDED.contains(&lower)
}

/// One multipart part as the HAR has it.
struct Part {
    name: String,
    value: String,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// `{name, value, fileName, contentType}`.
fn multipart_param(p: &Value) -> Part {
    let opt = |key: &str| Some(text(p, key).to_string()).filter(|s| !s.is_empty());
    Part {
        name: text(p, "name").to_string(),
        value: text(p, "value").to_string(),
        file_name: opt("fileName"),
        content_type: opt("contentType"),
    }
}

/// A multipart body as sent (what Chrome puts in `postData.text`), cut at the boundary named in
/// `mime`; `None` when it cannot be read so.
fn parse_multipart(mime: &str, raw: &str) -> Option<Vec<Part>> {
    let boundary = mime
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    // `mime` is lowercased; the boundary in the body is not.
    let start = raw.to_ascii_lowercase().find(&format!("--{boundary}"))?;
    let boundary = &raw[start + 2..start + 2 + boundary.len()];
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in raw[start..].split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            return Some(parts);
        }
        let chunk = chunk.strip_prefix("\r\n").or(chunk.strip_prefix('\n'))?;
        let (head, content) = chunk
            .split_once("\r\n\r\n")
            .or_else(|| chunk.split_once("\n\n"))?;
        let content = content
            .strip_suffix("\r\n")
            .or(content.strip_suffix('\n'))
            .unwrap_or(content);
        let mut part = Part {
            name: String::new(),
            value: content.to_string(),
            file_name: None,
            content_type: None,
        };
        for line in head.lines() {
            let (key, value) = line.split_once(':')?;
            if key.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_string());
            } else if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').skip(1) {
                    let (k, v) = param.split_once('=')?;
                    let v = v.trim().trim_matches('"').to_string();
                    match k.trim() {
                        "name" => part.name = v,
                        "filename" => part.file_name = Some(v).filter(|f| !f.is_empty()),
                        _ => {}
                    }
                }
            }
        }
        if part.name.is_empty() {
            return None;
        }
        parts.push(part);
    }
    None
}

/// The host (and port, when written) of `url`.
fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// `value[key]` as text, `""` when absent.
fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A HAR list of `{name, value}`.
fn pairs(list: Option<&Value>) -> impl Iterator<Item = (String, String)> + '_ {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| (text(p, "name").to_string(), text(p, "value").to_string()))
        .filter(|(name, _)| !name.is_empty())
}

/// The line each element of the first `"entries": [` list starts on, read with a light scan of
/// the JSON text (strings skipped); empty for YAML or anything the scan does not follow.
fn entry_lines(text: &str) -> Vec<usize> {
    let Some(key) = text.find("\"entries\"") else {
        return Vec::new();
    };
    let after = &text[key + "\"entries\"".len()..];
    let Some(open) = after.trim_start().strip_prefix(':').map(str::trim_start) else {
        return Vec::new();
    };
    if !open.starts_with('[') {
        return Vec::new();
    }
    let offset = text.len() - open.len();
    let mut line = text[..offset].matches('\n').count() + 1;
    let mut lines = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in open.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '\n' => line += 1,
            '[' | '{' => {
                if depth == 1 {
                    lines.push(line);
                }
                depth += 1;
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return lines;
                }
            }
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
#[path = "har_tests.rs"]
mod tests;
