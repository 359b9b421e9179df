//! Requests as Hurl entries (https://hurl.dev), with their checks: `expect` becomes the `HTTP`
//! line and `[Asserts]`, `capture` becomes `[Captures]`, so a collection can be run by Hurl too.
//! What Hurl cannot say (a status that is one of several, a JSON Schema) is written as a comment.
//! `{{env.NAME}}` becomes `{{NAME}}`: Hurl takes it from `--variable NAME=…` or `HURL_NAME`.

use std::fmt::Write as _;

use base64::Engine;

use crate::check::{
    Capture, Expect, HeaderExpect, JsonType, StatusPattern, ValueCheck, ValueMatcher,
};
use crate::export::ExportRequest;
use crate::model::{AuthProfile, BodyKind, KeyLocation, MultipartLine};

/// Entries one after the other, a blank line between them.
pub fn to_hurl_file(requests: &[ExportRequest]) -> String {
    requests.iter().map(to_hurl).collect::<Vec<_>>().join("\n")
}

/// One entry, ending with a line end.
pub fn to_hurl(r: &ExportRequest) -> String {
    let mut out = String::new();
    if let Some(name) = &r.name {
        for line in name.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    let mut url = vars(&r.spec.url);
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut basic = None;
    match &r.auth {
        Some(AuthProfile::Basic { username, password }) => {
            basic = Some(format!("{}: {}", vars(username), vars(password)));
        }
        Some(AuthProfile::Digest { .. }) => {
            out.push_str(
                "# Digest auth: Hurl sends it with `hurl --digest --user USER:PASSWORD`\n",
            );
        }
        Some(AuthProfile::Bearer { token }) => {
            headers.push(("Authorization".into(), format!("Bearer {}", vars(token))));
        }
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Header,
        }) => headers.push((name.clone(), vars(value))),
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Query,
        }) => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{name}={}", vars(value)));
        }
        Some(AuthProfile::OAuth2ClientCredentials { token_url, .. }) => {
            let _ = writeln!(
                out,
                "# OAuth2 client credentials: get a token from {token_url} first"
            );
            headers.push(("Authorization".into(), "Bearer {{access_token}}".into()));
        }
        None => {}
    }
    let _ = writeln!(out, "{} {url}", r.spec.method.as_str());
    headers.extend(r.headers().map(|(k, v)| (k.to_string(), vars(v))));
    if let Some(ct) = r.implied_content_type()
        && !matches!(r.spec.body_kind, BodyKind::Form | BodyKind::Multipart)
    {
        headers.push(("Content-Type".into(), ct.to_string()));
    }
    for (k, v) in &headers {
        let _ = writeln!(out, "{k}: {v}");
    }
    let mut options = Vec::new();
    if r.follow_redirects {
        options.push("location: true".to_string());
        if let Some(n) = r.max_redirects {
            options.push(format!("max-redirs: {n}"));
        }
    }
    if r.insecure {
        options.push("insecure: true".into());
    }
    if let Some(n) = r.retries {
        options.push(format!("retry: {n}"));
    }
    if let Some(t) = r.connect_timeout {
        options.push(format!("connect-timeout: {}ms", t.as_millis()));
    }
    if let Some(t) = r.timeout {
        options.push(format!("max-time: {}ms", t.as_millis()));
    }
    if !options.is_empty() {
        out.push_str("[Options]\n");
        for o in options {
            let _ = writeln!(out, "{o}");
        }
    }
    if let Some(b) = basic {
        let _ = writeln!(out, "[BasicAuth]\n{b}");
    }
    body(r, &mut out);
    response(r.expect.as_ref(), &r.capture, &mut out);
    out
}

fn body(r: &ExportRequest, out: &mut String) {
    let text = &r.spec.body;
    match r.spec.body_kind {
        BodyKind::None => {}
        BodyKind::Json if text.trim_start().starts_with(['{', '[']) => {
            out.push_str(&vars(text));
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
        BodyKind::Json | BodyKind::Text => {
            if text.ends_with('\n') && !text.contains("```") {
                let _ = write!(out, "```\n{}```\n", vars(text));
            } else if !text.contains(['\n', '`', '\\']) {
                let _ = writeln!(out, "`{}`", vars(text));
            } else {
                // Exactly these bytes (templates included as text).
                let b64 = base64::engine::general_purpose::STANDARD.encode(text);
                let _ = writeln!(out, "base64,{b64};");
            }
        }
        BodyKind::Form => {
            out.push_str("[FormParams]\n");
            for (k, v) in crate::model::parse_form_text(text) {
                let _ = writeln!(out, "{}: {}", key(&k), value(&vars(&v)));
            }
        }
        BodyKind::Multipart => {
            out.push_str("[MultipartFormData]\n");
            for part in crate::model::parse_multipart_lines(text).unwrap_or_default() {
                match part {
                    MultipartLine::Field { name, value: v } => {
                        let _ = writeln!(out, "{}: {}", key(&name), value(&vars(&v)));
                    }
                    MultipartLine::File {
                        name,
                        path,
                        content_type,
                    } => {
                        let _ = write!(out, "{}: file,{};", key(&name), path.display());
                        if let Some(t) = content_type {
                            let _ = write!(out, " {t}");
                        }
                        out.push('\n');
                    }
                }
            }
        }
        BodyKind::File => {
            let _ = writeln!(out, "file,{};", text.trim());
        }
    }
}

fn response(expect: Option<&Expect>, capture: &[(String, Capture)], out: &mut String) {
    let default = Expect::default();
    let expect = expect.unwrap_or(&default);
    if expect.is_empty() && capture.is_empty() {
        return;
    }
    let mut asserts: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let status_line = match expect.status.as_slice() {
        [StatusPattern::Code(c)] => format!("HTTP {c}"),
        [StatusPattern::Class(c)] => {
            asserts.push(format!("status >= {}", c * 100));
            asserts.push(format!("status < {}", (c + 1) * 100));
            "HTTP *".into()
        }
        [] => "HTTP *".into(),
        many => {
            let list: Vec<String> = many.iter().map(ToString::to_string).collect();
            notes.push(format!(
                "# scout expects the status to be one of {} (Hurl cannot say \"or\")",
                list.join(", ")
            ));
            "HTTP *".into()
        }
    };
    for (name, h) in &expect.headers {
        let q = format!("header {}", quoted(name));
        asserts.push(match h {
            HeaderExpect::Equals(v) => format!("{q} == {}", quoted(v)),
            HeaderExpect::Contains(v) => format!("{q} contains {}", quoted(v)),
            HeaderExpect::Matches(p) => format!("{q} matches {}", quoted(p.as_str())),
            HeaderExpect::Exists(true) => format!("{q} exists"),
            HeaderExpect::Exists(false) => format!("{q} not exists"),
        });
    }
    for (query, matcher) in &expect.json {
        let q = format!("jsonpath {}", quoted(query.as_str()));
        let checks = match matcher {
            ValueMatcher::Equals(v) => vec![ValueCheck::Eq(v.clone())],
            ValueMatcher::Checks(c) => c.clone(),
        };
        for check in checks {
            match json_assert(&q, &check) {
                Some(a) => asserts.push(a),
                None => notes.push(format!(
                    "# scout also checks {}: {} (no Hurl predicate for it)",
                    query.as_str(),
                    check.describe()
                )),
            }
        }
    }
    for s in &expect.body_contains {
        asserts.push(format!("body contains {}", quoted(s)));
    }
    for p in &expect.body_matches {
        asserts.push(format!("body matches {}", quoted(p.as_str())));
    }
    if let Some(ms) = expect.max_ms {
        asserts.push(format!("duration <= {ms}"));
    }
    if let Some(schema) = &expect.schema {
        notes.push(format!(
            "# scout also validates the body against the JSON Schema {}",
            schema.path.display()
        ));
    }
    for n in notes {
        let _ = writeln!(out, "{n}");
    }
    let _ = writeln!(out, "{status_line}");
    if !capture.is_empty() {
        out.push_str("[Captures]\n");
        for (name, c) in capture {
            let query = match c {
                Capture::Json(q) => format!("jsonpath {}", quoted(q.as_str())),
                Capture::Header(h) => format!("header {}", quoted(h)),
                Capture::Regex { pattern, .. } => format!("regex {}", quoted(pattern.as_str())),
                Capture::Status => "status".into(),
            };
            let _ = writeln!(out, "{name}: {query}");
        }
    }
    if !asserts.is_empty() {
        out.push_str("[Asserts]\n");
        for a in asserts {
            let _ = writeln!(out, "{a}");
        }
    }
}

/// One check on a JSONPath as a Hurl assert, when Hurl has the predicate.
fn json_assert(q: &str, check: &ValueCheck) -> Option<String> {
    Some(match check {
        ValueCheck::Exists(true) => format!("{q} exists"),
        ValueCheck::Exists(false) => format!("{q} not exists"),
        ValueCheck::Type(t) => format!(
            "{q} {}",
            match t {
                JsonType::String => "isString",
                JsonType::Integer => "isInteger",
                JsonType::Number => "isNumber",
                JsonType::Boolean => "isBoolean",
                JsonType::Array | JsonType::Object => "isCollection",
                JsonType::Null => "== null",
            }
        ),
        ValueCheck::Len(m) => match m.as_ref() {
            ValueMatcher::Equals(n) if n.is_u64() => format!("{q} count == {n}"),
            _ => return None,
        },
        ValueCheck::Matches(p) => format!("{q} matches {}", quoted(p.as_str())),
        ValueCheck::Gt(n) => format!("{q} > {n}"),
        ValueCheck::Ge(n) => format!("{q} >= {n}"),
        ValueCheck::Lt(n) => format!("{q} < {n}"),
        ValueCheck::Le(n) => format!("{q} <= {n}"),
        ValueCheck::Contains(serde_json::Value::String(s)) => format!("{q} contains {}", quoted(s)),
        ValueCheck::Contains(v) if !v.is_object() && !v.is_array() => format!("{q} includes {v}"),
        ValueCheck::Eq(v) if !v.is_object() && !v.is_array() => match v {
            serde_json::Value::String(s) => format!("{q} == {}", quoted(s)),
            other => format!("{q} == {other}"),
        },
        _ => return None,
    })
}

/// `{{env.NAME}}` → `{{NAME}}`: Hurl's variables have no namespaces.
fn vars(text: &str) -> String {
    text.replace("{{env.", "{{")
}

/// A Hurl quoted string.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key of a Hurl section line: `:` would end it.
fn key(text: &str) -> String {
    value(text).replace(':', "\\:")
}

/// A value of a Hurl section line: `#` would start a comment, a `\` escapes, and whitespace
/// at either end would be trimmed unless escaped.
fn value(text: &str) -> String {
    let mut out = String::new();
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            ' ' | '\t' if i == 0 || i == last => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "hurl_tests.rs"]
mod tests;
