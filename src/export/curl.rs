//! A request as a curl command that sends what scout sends (User-Agent and Accept-Encoding
//! aside): minimal flags, POSIX-quoted, one option per line when it is long. `scout import curl`
//! reads it back into the same request.

use crate::export::{ExportRequest, shell_quote};
use crate::model::{AuthProfile, BodyKind, KeyLocation, Method, MultipartLine};

/// The command; an auth scout obtains itself (OAuth2 client credentials) is a comment above it.
pub fn to_curl(r: &ExportRequest) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut comment = None;
    let mut url = r.spec.url.clone();
    let has_body = r.spec.body_kind != BodyKind::None;
    match r.spec.method {
        Method::Head => words.push("-I".into()),
        Method::Get if !has_body => {}
        Method::Post if has_body => {}
        m => words.extend(["-X".into(), m.as_str().to_string()]),
    }
    if r.follow_redirects {
        words.push("-L".into());
        if let Some(n) = r.max_redirects {
            words.extend(["--max-redirs".into(), n.to_string()]);
        }
    }
    match &r.auth {
        Some(AuthProfile::Basic { username, password }) => {
            words.extend(["-u".into(), format!("{username}:{password}")]);
        }
        Some(AuthProfile::Digest { username, password }) => {
            words.extend([
                "--digest".into(),
                "-u".into(),
                format!("{username}:{password}"),
            ]);
        }
        Some(AuthProfile::Bearer { token }) => {
            words.extend(["--oauth2-bearer".into(), token.clone()]);
        }
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Header,
        }) => words.extend(["-H".into(), format!("{name}: {value}")]),
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Query,
        }) => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{name}={value}"));
        }
        Some(AuthProfile::OAuth2ClientCredentials { token_url, .. }) => {
            comment = Some(format!(
                "# OAuth2 client credentials: get a token from {token_url} first"
            ));
            words.extend(["--oauth2-bearer".into(), "{{access_token}}".into()]);
        }
        None => {}
    }
    for (name, value) in r.headers() {
        words.push("-H".into());
        words.push(if value.is_empty() {
            format!("{name};")
        } else {
            format!("{name}: {value}")
        });
    }
    if let Some(ct) = r.implied_content_type()
        && r.spec.body_kind != BodyKind::Form
    {
        words.extend(["-H".into(), format!("Content-Type: {ct}")]);
    }
    match r.spec.body_kind {
        BodyKind::None => {}
        BodyKind::Json | BodyKind::Text => {
            words.extend(["--data-raw".into(), r.spec.body.clone()]);
        }
        BodyKind::Form => {
            let pairs = crate::model::parse_form_text(&r.spec.body);
            // The bytes scout sends; with templates, the readable form (same meaning).
            let body = if r.spec.body.contains("{{") {
                r.spec.body.lines().collect::<Vec<_>>().join("&")
            } else {
                crate::model::encode_form(&pairs)
            };
            words.extend(["--data-raw".into(), body]);
        }
        BodyKind::File => {
            words.extend(["--data-binary".into(), format!("@{}", r.spec.body.trim())]);
        }
        BodyKind::Multipart => {
            for part in crate::model::parse_multipart_lines(&r.spec.body).unwrap_or_default() {
                match part {
                    MultipartLine::Field { name, value } => {
                        // A value starting with @ or < would be read as a file by -F.
                        let option = if value.starts_with(['@', '<']) {
                            "--form-string"
                        } else {
                            "-F"
                        };
                        words.extend([option.into(), format!("{name}={value}")]);
                    }
                    MultipartLine::File {
                        name,
                        path,
                        content_type,
                    } => {
                        let mut v = format!("{name}=@{}", path.display());
                        if let Some(t) = content_type {
                            v.push_str(&format!(";type={t}"));
                        }
                        words.extend(["-F".into(), v]);
                    }
                }
            }
        }
    }
    if let Some(t) = r.timeout {
        words.extend(["-m".into(), seconds(t)]);
    }
    if let Some(t) = r.connect_timeout {
        words.extend(["--connect-timeout".into(), seconds(t)]);
    }
    if let Some(n) = r.retries {
        words.extend(["--retry".into(), n.to_string()]);
    }
    if r.insecure {
        words.push("-k".into());
    }
    // curl reads [] and {} in a URL as globs unless told not to.
    if url.contains(['[', ']', '{', '}']) {
        words.push("-g".into());
    }
    let mut command = format!("curl {}", shell_quote(&url));
    let options = pair_options(&words);
    let long = command.len() + options.iter().map(|o| o.len() + 1).sum::<usize>() > 100;
    for option in options {
        command.push_str(if long { " \\\n  " } else { " " });
        command.push_str(&option);
    }
    match comment {
        Some(c) => format!("{c}\n{command}"),
        None => command,
    }
}

/// Options with their values, quoted: `-H 'A: b'`.
fn pair_options(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut iter = words.iter().peekable();
    while let Some(w) = iter.next() {
        let takes_value = !matches!(w.as_str(), "-I" | "-L" | "-k" | "-g" | "--digest");
        match iter.peek() {
            Some(v) if takes_value => {
                out.push(format!("{w} {}", shell_quote(v)));
                iter.next();
            }
            _ => out.push(w.clone()),
        }
    }
    out
}

/// curl's seconds: `2`, `2.5`.
fn seconds(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
