//! Reading a Hurl file into entries, line by line. Where a line is read depends on the part of
//! the entry the reader is in ([`Part`]); a body is read to its end at once.

use super::asserts::Response;
use super::{Body, Entry, escaped};
use crate::import::ImportError;

/// Where in an entry the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Headers,
    Query,
    Form,
    Multipart,
    Cookies,
    BasicAuth,
    Options,
    /// After the request body: only the response or the next entry may follow.
    RequestBody,
    ResponseHeaders,
    Captures,
    Asserts,
    /// After the response body: only the next entry may follow.
    ResponseBody,
}

impl Part {
    const REQUEST: [(&'static str, Part); 9] = [
        ("QueryStringParams", Part::Query),
        ("Query", Part::Query),
        ("FormParams", Part::Form),
        ("Form", Part::Form),
        ("MultipartFormData", Part::Multipart),
        ("Multipart", Part::Multipart),
        ("Cookies", Part::Cookies),
        ("BasicAuth", Part::BasicAuth),
        ("Options", Part::Options),
    ];
    const RESPONSE: [(&'static str, Part); 2] =
        [("Captures", Part::Captures), ("Asserts", Part::Asserts)];

    fn in_response(self) -> bool {
        matches!(
            self,
            Part::ResponseHeaders | Part::Captures | Part::Asserts | Part::ResponseBody
        )
    }
}

/// The entries of `text`, in order.
pub(super) fn entries(text: &str) -> Result<Vec<Entry>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut entries: Vec<Entry> = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut part = Part::Headers;
    let mut i = 0;
    while i < lines.len() {
        let n = i + 1;
        let line = lines[i].trim();
        i += 1;
        if line.is_empty() {
            comments.clear();
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            comments.push(comment.strip_prefix(' ').unwrap_or(comment).to_string());
            continue;
        }
        let description = std::mem::take(&mut comments);
        if let Some((method, url)) = request_line(line).map_err(|e| ImportError::at(n, e))? {
            entries.push(Entry {
                line: n,
                method: method.to_string(),
                url,
                description,
                ..Entry::default()
            });
            part = Part::Headers;
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(ImportError::at(
                n,
                format!(
                    "expected a request line such as `GET https://example.org`, found `{line}`"
                ),
            ));
        };
        if let Some((version, status)) = status_line(line).map_err(|e| ImportError::at(n, e))? {
            if part.in_response() {
                return Err(ImportError::at(
                    n,
                    format!("a second response line in the entry of line {}", entry.line),
                ));
            }
            entry.response = Some(Response {
                line: n,
                version,
                status,
                ..Response::default()
            });
            part = Part::ResponseHeaders;
            continue;
        }
        if let Some(name) = section(line) {
            part = next_section(name, part).map_err(|e| ImportError::at(n, e))?;
            continue;
        }
        if is_body_start(line) {
            if matches!(part, Part::RequestBody | Part::ResponseBody) {
                return Err(ImportError::at(
                    n,
                    format!("a second body in the entry of line {}", entry.line),
                ));
            }
            let (body, next) = read_body(&lines, i - 1)?;
            i = next;
            if let Some(response) = entry.response.as_mut() {
                response.body = Some((n, body));
                part = Part::ResponseBody;
            } else {
                entry.body = Some((n, body));
                part = Part::RequestBody;
            }
            continue;
        }
        read_line(entry, part, n, line)?;
    }
    Ok(entries)
}

/// A line inside a section (or the headers).
fn read_line(entry: &mut Entry, part: Part, n: usize, line: &str) -> Result<(), ImportError> {
    let expected = match part {
        Part::RequestBody => "`HTTP <status>` or the next request after the body",
        Part::ResponseBody => "the next request after the response body",
        Part::Headers => {
            "a header `Name: value`, a section such as `[Query]`, a body or `HTTP 200`"
        }
        Part::ResponseHeaders => "a header `Name: value`, `[Asserts]`, `[Captures]` or a body",
        _ => "`name: value`",
    };
    if part == Part::Asserts {
        if let Some(r) = entry.response.as_mut() {
            r.asserts.push((n, line.to_string()));
        }
        return Ok(());
    }
    let fail = |why: String| ImportError::at(n, why);
    let Some((key, value)) = key_value(line).map_err(fail)? else {
        return Err(ImportError::at(
            n,
            format!("expected {expected}, found `{line}`"),
        ));
    };
    let pair = (key.clone(), value.clone());
    match part {
        Part::Headers => entry.headers.push(pair),
        Part::Query => entry.query.push(pair),
        Part::Form => entry.form.push(pair),
        Part::Multipart => entry.multipart.push((n, key, value)),
        Part::Cookies => entry.cookies.push(pair),
        Part::BasicAuth => entry.basic_auth = Some(pair),
        Part::Options => entry.options.push((n, key, value)),
        Part::ResponseHeaders => {
            if let Some(r) = entry.response.as_mut() {
                r.headers.push((n, key, value));
            }
        }
        Part::Captures => {
            if let Some(r) = entry.response.as_mut() {
                // The query is read again by the assert reader, as written.
                let raw = line.split_once(':').map_or("", |(_, q)| q.trim());
                r.captures.push((n, key, raw.to_string()));
            }
        }
        Part::RequestBody | Part::ResponseBody | Part::Asserts => {
            return Err(ImportError::at(
                n,
                format!("expected {expected}, found `{line}`"),
            ));
        }
    }
    Ok(())
}

/// `GET https://…`: an uppercase method, then the URL (a `#` starts a comment).
fn request_line(line: &str) -> Result<Option<(&str, String)>, String> {
    let Some((method, rest)) = line.split_once(char::is_whitespace) else {
        return Ok(None);
    };
    if method == "HTTP" || method.is_empty() || !method.chars().all(|c| c.is_ascii_uppercase()) {
        return Ok(None);
    }
    let rest = rest.trim_start();
    let url = rest.split(['#', ' ', '\t']).next().unwrap_or_default();
    let after = rest[url.len()..].trim_start();
    if url.is_empty() {
        return Err(format!("expected a URL after {method}"));
    }
    if !after.is_empty() && !after.starts_with('#') {
        return Err(format!(
            "expected the end of the line after the URL, found `{after}`"
        ));
    }
    Ok(Some((method, url.to_string())))
}

/// `HTTP 200`, `HTTP/1.1 200`, `HTTP *`: the version as written and the status.
fn status_line(line: &str) -> Result<Option<(String, Option<u16>)>, String> {
    let Some(first) = line.split_whitespace().next() else {
        return Ok(None);
    };
    if first != "HTTP" && !first.starts_with("HTTP/") {
        return Ok(None);
    }
    let rest = line[first.len()..]
        .split('#')
        .next()
        .unwrap_or_default()
        .trim();
    let status = match rest {
        "*" => None,
        code if code.len() == 3 => Some(code.parse::<u16>().map_err(|_| bad_status(rest))?),
        _ => return Err(bad_status(rest)),
    };
    Ok(Some((first.to_string(), status)))
}

fn bad_status(found: &str) -> String {
    format!("expected a status such as `HTTP 200` or `HTTP *`, found `HTTP {found}`")
}

/// `[Name]` on its own line (a comment may follow).
fn section(line: &str) -> Option<&str> {
    let line = line.split('#').next().unwrap_or_default().trim_end();
    let name = line.strip_prefix('[')?.strip_suffix(']')?;
    // `[1]` or `[true]` is a JSON body.
    (name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(name)
}

/// The part a `[name]` section starts, from the part the reader is in.
fn next_section(name: &str, part: Part) -> Result<Part, String> {
    let request = Part::REQUEST.iter().find(|(n, _)| *n == name);
    let response = Part::RESPONSE.iter().find(|(n, _)| *n == name);
    match (request, response) {
        (Some(_), _) if part.in_response() => Err(format!(
            "`[{name}]` belongs to the request, before the `HTTP` line"
        )),
        (_, Some(_)) if !part.in_response() => Err(format!(
            "`[{name}]` belongs to the response, after a line such as `HTTP 200`"
        )),
        _ if matches!(part, Part::RequestBody | Part::ResponseBody) => Err(format!(
            "`[{name}]` comes after the body; sections go before it"
        )),
        (Some((_, p)), _) | (_, Some((_, p))) => Ok(*p),
        (None, None) => {
            let known: Vec<&str> = Part::REQUEST
                .iter()
                .chain(Part::RESPONSE.iter())
                .map(|(n, _)| *n)
                .collect();
            Err(format!(
                "unknown section `[{name}]` (Hurl has {})",
                known.join(", ")
            ))
        }
    }
}

/// `Name: value`, both unescaped, the value without its comment; `None` when the line is not
/// one.
fn key_value(line: &str) -> Result<Option<(String, String)>, String> {
    let mut chars = line.char_indices().peekable();
    let mut key = String::new();
    let mut rest = None;
    while let Some((i, c)) = chars.next() {
        match c {
            ':' => {
                rest = Some(&line[i + 1..]);
                break;
            }
            '\\' => key.push(escaped(&mut chars)?),
            '{' if line[i..].starts_with("{{") => {
                let end = line[i..].find("}}").map_or(line.len(), |e| i + e + 2);
                key.push_str(&line[i..end]);
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            '#' | ' ' | '\t' => return Ok(None),
            _ => key.push(c),
        }
    }
    let Some(rest) = rest else {
        return Ok(None);
    };
    if key.is_empty() {
        return Ok(None);
    }
    Ok(Some((key, value(rest)?)))
}

/// A value: unescaped, up to a `#` comment, without the whitespace around it (an escaped space,
/// `\u{20}`, is kept).
fn value(text: &str) -> Result<String, String> {
    let mut out = String::new();
    // The length up to the last character that is not raw whitespace.
    let mut kept = 0;
    let mut chars = text.trim_start().char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '#' => break,
            '\\' => {
                out.push(escaped(&mut chars)?);
                kept = out.len();
            }
            c => {
                out.push(c);
                if !c.is_whitespace() {
                    kept = out.len();
                }
            }
        }
    }
    out.truncate(kept);
    Ok(out)
}

/// Whether `line` starts a body (`{{name}}: value` is a line of a section, not JSON).
fn is_body_start(line: &str) -> bool {
    line.starts_with(['{', '[', '<', '`']) && !line.starts_with("{{")
        || ["base64,", "hex,", "file,"]
            .iter()
            .any(|p| line.starts_with(p))
}

/// The body starting on `lines[start]`, and the index of the line after it.
fn read_body(lines: &[&str], start: usize) -> Result<(Body, usize), ImportError> {
    let n = start + 1;
    let first = lines[start].trim();
    let at = |why: String| ImportError::at(n, why);
    if let Some(after) = first.strip_prefix("```") {
        if let Some(end) = after.find("```") {
            let rest = &after[end + 3..];
            end_of_line(rest, "the ``` string").map_err(at)?;
            return Ok((Body::Text(after[..end].to_string()), start + 1));
        }
        let lang = after.trim();
        let mut content = String::new();
        for (j, line) in lines.iter().enumerate().skip(start + 1) {
            if let Some(end) = line.find("```") {
                content.push_str(&line[..end]);
                end_of_line(&line[end + 3..], "the closing ```")
                    .map_err(|e| ImportError::at(j + 1, e))?;
                let body = match lang {
                    "json" => Body::Json(content),
                    "xml" => Body::Xml(content),
                    "graphql" => Body::GraphQl(content),
                    _ => Body::Text(content),
                };
                return Ok((body, j + 1));
            }
            content.push_str(line);
            content.push('\n');
        }
        return Err(at("the ``` string opened here is never closed".into()));
    }
    if let Some(after) = first.strip_prefix('`') {
        let (text, rest) = backtick(after).map_err(at)?;
        end_of_line(rest, "the `string`").map_err(at)?;
        return Ok((Body::Text(text), start + 1));
    }
    for (prefix, make) in [
        ("base64,", Body::Base64 as fn(String) -> Body),
        ("hex,", Body::Hex),
        ("file,", Body::File),
    ] {
        if let Some(after) = first.strip_prefix(prefix) {
            let Some((content, rest)) = after.split_once(';') else {
                return Err(at(format!("expected `;` to end the `{prefix}` body")));
            };
            end_of_line(rest, "the `;`").map_err(at)?;
            return Ok((make(content.trim().to_string()), start + 1));
        }
    }
    if first.starts_with('<') {
        // XML runs to the response line, the next request or the end of the file.
        let mut end = start + 1;
        while end < lines.len() {
            let line = lines[end].trim();
            let next = status_line(line).ok().flatten().is_some()
                || request_line(line).ok().flatten().is_some();
            if next {
                break;
            }
            end += 1;
        }
        let mut body: Vec<&str> = lines[start..end].to_vec();
        body[0] = body[0].trim_start();
        while body
            .last()
            .is_some_and(|l| l.trim().is_empty() || l.trim().starts_with('#'))
        {
            body.pop();
        }
        return Ok((Body::Xml(body.join("\n")), end));
    }
    json_body(lines, start)
}

/// A JSON body: read until its brackets balance (strings skipped; `{{templates}}` balance too).
fn json_body(lines: &[&str], start: usize) -> Result<(Body, usize), ImportError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut text = String::new();
    for (j, raw) in lines.iter().enumerate().skip(start) {
        let line = if j == start { raw.trim_start() } else { raw };
        for (k, c) in line.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        text.push_str(&line[..=k]);
                        end_of_line(&line[k + 1..], "the JSON body")
                            .map_err(|e| ImportError::at(j + 1, e))?;
                        return Ok((Body::Json(text), j + 1));
                    }
                }
                _ => {}
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    Err(ImportError::at(
        start + 1,
        "the JSON body opened here is never closed (its brackets do not balance)",
    ))
}

/// `text` up to the closing backtick, unescaped, and what follows it.
fn backtick(text: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '`' => return Ok((out, &text[i + 1..])),
            '\\' => out.push(escaped(&mut chars)?),
            _ => out.push(c),
        }
    }
    Err("the `string` is not closed on its line".into())
}

/// Nothing but a comment may follow `what` on its line.
fn end_of_line(rest: &str, what: &str) -> Result<(), String> {
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(())
    } else {
        Err(format!(
            "expected the end of the line after {what}, found `{rest}`"
        ))
    }
}
