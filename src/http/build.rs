//! Turning what the user wrote (`RequestSpec`) into exactly what goes on the wire (`Prepared`).
//! Pure apart from reading multipart files; shared by the worker, `scout send` and `--offline`.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use url::Url;

use crate::http::error::HttpError;
use crate::model::{BodyKind, Method, MultipartLine, RequestSpec, quote};

/// The `User-Agent` scout sends unless the request sets its own.
pub const USER_AGENT: &str = concat!("scout/", env!("CARGO_PKG_VERSION"));

/// Headers every request carries unless it sets its own. The HTTP stack would add the same
/// ones; adding them here means the Request tab and `--offline` show what the wire carries.
/// Accept-Encoding lists what the transport decompresses.
pub const DEFAULT_HEADERS: [(&str, &str); 3] = [
    ("User-Agent", USER_AGENT),
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip, deflate, br"),
];

/// A request ready to send: URL parsed and checked, headers validated, body encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub method: Method,
    pub url: Url,
    /// In order, as they will be sent (Content-Type included when the body implies one).
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
}

impl Prepared {
    /// The host:port this request connects to, for error messages.
    pub fn target(&self) -> String {
        match (self.url.host_str(), self.url.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => self.url.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as HTTP/1.1 text, for `--offline` and the Raw view of a sent request.
    /// Binary bodies are summarised rather than printed.
    pub fn to_http1_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} {} HTTP/1.1", self.method, origin_form(&self.url));
        if self.header("host").is_none() {
            let _ = writeln!(out, "Host: {}", authority(&self.url));
        }
        for (k, v) in &self.headers {
            let _ = writeln!(out, "{k}: {v}");
        }
        if let Some(body) = &self.body {
            let _ = writeln!(out, "Content-Length: {}", body.len());
            out.push('\n');
            match std::str::from_utf8(body) {
                Ok(text) => out.push_str(text),
                Err(_) => {
                    let _ = write!(out, "[{} bytes of binary data]", body.len());
                }
            }
        }
        out
    }
}

/// The request target as an HTTP/1.1 request line carries it: path and query.
pub fn origin_form(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// The Host header's value: the host, and the port unless it is the scheme's own.
pub fn authority(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// Validates and encodes `spec`. File parts are resolved against `base_dir`.
pub fn prepare(spec: &RequestSpec, base_dir: &Path) -> Result<Prepared, HttpError> {
    let url = parse_url(&spec.url)?;
    let mut headers = Vec::new();
    for row in spec.headers.iter().filter(|h| h.enabled) {
        let name = row.key.trim();
        if name.is_empty() {
            continue;
        }
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(HttpError::InvalidHeader {
                name: name.to_string(),
                reason: "not a valid header name".into(),
            });
        }
        if reqwest::header::HeaderValue::from_str(&row.value).is_err() {
            return Err(HttpError::InvalidHeader {
                name: name.to_string(),
                reason:
                    "the value has characters a header cannot carry (newlines, control characters)"
                        .into(),
            });
        }
        headers.push((name.to_string(), row.value.clone()));
    }
    let has_content_type = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));

    let body = match spec.body_kind {
        BodyKind::None | BodyKind::File => None,
        BodyKind::Json | BodyKind::Text => Some(Bytes::from(spec.body.clone())),
        BodyKind::Form => {
            let pairs = crate::model::parse_form_text(&spec.body);
            Some(Bytes::from(crate::model::encode_form(&pairs)))
        }
        BodyKind::Multipart => {
            let lines = crate::model::parse_multipart_lines(&spec.body)
                .map_err(|e| HttpError::InvalidBody(e.to_string()))?;
            // A boundary the user wrote in the Content-Type is the one the parts are cut with.
            let written = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .and_then(|(_, v)| v.split_once("boundary=").map(|(_, b)| b.to_string()))
                .map(|b| {
                    b.split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .trim_matches('"')
                        .to_string()
                })
                .filter(|b| !b.is_empty());
            let boundary = written.unwrap_or_else(new_boundary);
            let bytes = encode_multipart(&lines, &boundary, base_dir)?;
            match headers
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                None => headers.push((
                    "Content-Type".into(),
                    format!("multipart/form-data; boundary={boundary}"),
                )),
                // `Content-Type: multipart/form-data` written without its boundary: the parts
                // cannot be read without it, so it is added (as curl does).
                Some((_, value)) if !value.to_ascii_lowercase().contains("boundary=") => {
                    value.push_str(&format!("; boundary={boundary}"));
                }
                Some(_) => {}
            }
            Some(bytes)
        }
    };
    let body = match (spec.body_kind, body) {
        (BodyKind::File, _) => {
            let rel = spec.body.trim();
            if rel.is_empty() {
                return Err(HttpError::InvalidBody(
                    "the body is a file, but no path is given".into(),
                ));
            }
            let full = base_dir.join(rel);
            let data = std::fs::read(&full).map_err(|e| {
                HttpError::InvalidBody(format!("cannot read the body file {}: {e}", full.display()))
            })?;
            if !has_content_type {
                headers.push((
                    "Content-Type".into(),
                    crate::model::guess_mime(rel).to_string(),
                ));
            }
            Some(Bytes::from(data))
        }
        (_, body) => body,
    };
    if !has_content_type && let Some(ct) = spec.body_kind.content_type() {
        headers.push(("Content-Type".into(), ct.to_string()));
    }
    for (name, value) in DEFAULT_HEADERS {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    Ok(Prepared {
        method: spec.method,
        url,
        headers,
        body,
    })
}

/// Parses a URL as typed (shorthands such as `:8080/x` allowed) and checks it can be sent.
pub fn parse_url(raw: &str) -> Result<Url, HttpError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(HttpError::InvalidUrl {
            url: raw.to_string(),
            reason: "the URL is empty".into(),
        });
    }
    let normalized = crate::model::normalize_url(trimmed);
    let url = Url::parse(&normalized).map_err(|e| HttpError::InvalidUrl {
        url: trimmed.to_string(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(HttpError::UnknownScheme {
                scheme: other.to_string(),
                url: trimmed.to_string(),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(HttpError::InvalidUrl {
            url: trimmed.to_string(),
            reason: "there is no host".into(),
        });
    }
    Ok(url)
}

fn new_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("scout-{:016x}{:04x}", nanos ^ 0x5bd1_e995_5bd1_e995, n)
}

fn encode_multipart(
    lines: &[MultipartLine],
    boundary: &str,
    base_dir: &Path,
) -> Result<Bytes, HttpError> {
    let mut out: Vec<u8> = Vec::new();
    for line in lines {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match line {
            MultipartLine::Field { name, value } => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name={}\r\n\r\n",
                        quote(name)
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(value.as_bytes());
            }
            MultipartLine::File {
                name,
                path,
                content_type,
            } => {
                let full = base_dir.join(path);
                let data = std::fs::read(&full).map_err(|e| {
                    HttpError::InvalidBody(format!(
                        "cannot read file part `{name}` from {}: {e}",
                        full.display()
                    ))
                })?;
                let filename = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.clone());
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name={}; filename={}\r\nContent-Type: {}\r\n\r\n",
                        quote(name),
                        quote(&filename),
                        content_type.as_deref().unwrap_or_else(|| crate::model::guess_mime(&filename))
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(&data);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KeyValue;

    fn spec(url: &str) -> RequestSpec {
        RequestSpec {
            url: url.into(),
            ..Default::default()
        }
    }

    #[test]
    fn shorthand_urls_are_expanded() {
        let p = prepare(&spec(":8080/items?x=1"), Path::new(".")).unwrap();
        assert_eq!(p.url.as_str(), "http://localhost:8080/items?x=1");
    }

    #[test]
    fn bad_urls_name_their_problem() {
        for (url, title) in [
            ("", "Invalid URL"),
            ("http://", "Invalid URL"),
            ("http://exa mple.com", "Invalid URL"),
            ("ftp://example.com/file", "Unsupported scheme"),
            ("gopher://x", "Unsupported scheme"),
        ] {
            let err = prepare(&spec(url), Path::new(".")).unwrap_err();
            assert_eq!(err.title(), title, "{url}: {err}");
        }
    }

    #[test]
    fn disabled_and_empty_headers_are_skipped_and_bad_ones_rejected() {
        let mut s = spec("http://h/");
        s.headers = vec![
            KeyValue::new("Accept", "application/json"),
            KeyValue {
                enabled: false,
                ..KeyValue::new("X-Off", "1")
            },
            KeyValue::new("", "ignored"),
        ];
        let p = prepare(&s, Path::new(".")).unwrap();
        let names: Vec<&str> = p.headers.iter().map(|(k, _)| k.as_str()).collect();
        // The request's own Accept, then the defaults it does not set.
        assert_eq!(names, ["Accept", "User-Agent", "Accept-Encoding"]);
        assert_eq!(p.header("accept"), Some("application/json"));
        s.headers = vec![KeyValue::new("Bad Header", "x")];
        assert!(matches!(
            prepare(&s, Path::new(".")),
            Err(HttpError::InvalidHeader { .. })
        ));
        s.headers = vec![KeyValue::new("X", "a\nb")];
        assert!(prepare(&s, Path::new(".")).is_err());
    }

    #[test]
    fn body_kinds_set_content_type_unless_user_did() {
        let mut s = spec("http://h/");
        s.method = Method::Post;
        s.body_kind = BodyKind::Json;
        s.body = "{\"a\":1}".into();
        let p = prepare(&s, Path::new(".")).unwrap();
        assert_eq!(p.header("content-type"), Some("application/json"));
        assert_eq!(p.body.as_deref(), Some(&b"{\"a\":1}"[..]));

        s.headers = vec![KeyValue::new("Content-Type", "application/vnd.api+json")];
        let p = prepare(&s, Path::new(".")).unwrap();
        assert_eq!(p.header("content-type"), Some("application/vnd.api+json"));
        let content_types = p
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .count();
        assert_eq!(content_types, 1);

        s.headers.clear();
        s.body_kind = BodyKind::Form;
        s.body = "a=1 2&b=x&y".into();
        let p = prepare(&s, Path::new(".")).unwrap();
        assert_eq!(
            p.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let sent = String::from_utf8(p.body.unwrap().to_vec()).unwrap();
        assert!(sent.starts_with("a=1+2&b=x"), "{sent}");
    }

    #[test]
    fn multipart_reads_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("note.txt"), "hello file").unwrap();
        let mut s = spec("http://h/upload");
        s.method = Method::Post;
        s.body_kind = BodyKind::Multipart;
        s.body = "title=Report\nupload@note.txt".into();
        let p = prepare(&s, dir.path()).unwrap();
        let ct = p.header("content-type").unwrap().to_string();
        let boundary = ct.split("boundary=").nth(1).unwrap();
        let body = String::from_utf8(p.body.unwrap().to_vec()).unwrap();
        assert!(body.contains("name=\"title\"\r\n\r\nReport\r\n"));
        assert!(
            body.contains("filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\nhello file")
        );
        assert!(body.ends_with(&format!("--{boundary}--\r\n")));

        s.body = "upload@missing.bin".into();
        let err = prepare(&s, dir.path()).unwrap_err();
        assert!(err.to_string().contains("missing.bin"), "{err}");
    }

    #[test]
    fn a_multipart_content_type_written_without_its_boundary_gets_it() {
        let mut s = spec("http://h/upload");
        s.method = Method::Post;
        s.body_kind = BodyKind::Multipart;
        s.body = "a=1".into();
        s.headers = vec![KeyValue::new("Content-Type", "multipart/form-data")];
        let p = prepare(&s, Path::new(".")).unwrap();
        let ct = p.header("content-type").unwrap().to_string();
        let boundary = ct
            .strip_prefix("multipart/form-data; boundary=")
            .expect("the boundary added");
        let body = String::from_utf8(p.body.unwrap().to_vec()).unwrap();
        assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
        // One the user wrote in full is kept, and the parts are cut with its boundary.
        s.headers = vec![KeyValue::new(
            "Content-Type",
            "multipart/form-data; boundary=xyz",
        )];
        let p = prepare(&s, Path::new(".")).unwrap();
        assert_eq!(
            p.header("content-type"),
            Some("multipart/form-data; boundary=xyz")
        );
        let body = String::from_utf8(p.body.unwrap().to_vec()).unwrap();
        assert!(
            body.starts_with("--xyz\r\n") && body.ends_with("--xyz--\r\n"),
            "{body}"
        );
    }

    #[test]
    fn file_bodies_are_read_relative_to_the_base_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("item.json"), "{\"a\":1}").unwrap();
        let mut s = spec("http://h/items");
        s.method = Method::Post;
        s.body_kind = BodyKind::File;
        s.body = "item.json".into();
        let p = prepare(&s, dir.path()).unwrap();
        assert_eq!(p.body.as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(p.header("content-type"), Some("application/json"));
        s.body = "nope.json".into();
        assert!(
            prepare(&s, dir.path())
                .unwrap_err()
                .to_string()
                .contains("nope.json")
        );
    }

    #[test]
    fn offline_text_looks_like_http() {
        let mut s = spec("http://example.com:8080/a/b?q=1");
        s.method = Method::Post;
        s.body_kind = BodyKind::Text;
        s.body = "hi".into();
        let text = prepare(&s, Path::new(".")).unwrap().to_http1_text();
        assert!(text.starts_with("POST /a/b?q=1 HTTP/1.1\nHost: example.com:8080\n"));
        assert!(text.contains("Content-Length: 2\n\nhi"));
    }

    #[test]
    fn the_stacks_headers_are_part_of_the_request_unless_it_sets_its_own() {
        let mut s = spec("http://example.com/");
        let p = prepare(&s, Path::new(".")).unwrap();
        assert_eq!(p.header("user-agent"), Some(USER_AGENT));
        assert_eq!(p.header("accept"), Some("*/*"));
        assert_eq!(p.header("accept-encoding"), Some("gzip, deflate, br"));
        let text = p.to_http1_text();
        assert!(text.contains("\nAccept: */*\n"), "{text}");
        s.headers.push(KeyValue::new("accept", "application/json"));
        let p = prepare(&s, Path::new(".")).unwrap();
        let accepts: Vec<&str> = p
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("accept"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(accepts, ["application/json"]);
    }
}
