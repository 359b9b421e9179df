//! A request as an HTTPie command (`http`; xh takes the same words): request items for headers,
//! form fields and files, `--raw` for a JSON or text body, `-a`/`-A` for auth.

use crate::export::{ExportRequest, shell_quote};
use crate::model::{AuthProfile, BodyKind, KeyLocation, MultipartLine};

pub fn to_httpie(r: &ExportRequest) -> String {
    let mut options: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut url = r.spec.url.clone();
    let mut stdin = None;
    match r.spec.body_kind {
        BodyKind::Form => options.push("--form".into()),
        BodyKind::Multipart => options.push("--multipart".into()),
        _ => {}
    }
    if r.follow_redirects {
        options.push("--follow".into());
        if let Some(n) = r.max_redirects {
            options.push(format!("--max-redirects={n}"));
        }
    }
    if let Some(t) = r.timeout {
        options.push(format!("--timeout={}", t.as_secs_f64()));
    }
    if r.insecure {
        options.push("--verify=no".into());
    }
    match &r.auth {
        Some(AuthProfile::Basic { username, password }) => {
            options.push(format!(
                "--auth={}",
                shell_quote(&format!("{username}:{password}"))
            ));
        }
        Some(AuthProfile::Digest { username, password }) => {
            options.push("--auth-type=digest".into());
            options.push(format!(
                "--auth={}",
                shell_quote(&format!("{username}:{password}"))
            ));
        }
        Some(AuthProfile::Bearer { token }) => {
            options.push("--auth-type=bearer".into());
            options.push(format!("--auth={}", shell_quote(token)));
        }
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Header,
        }) => items.push(shell_quote(&format!("{name}:{value}"))),
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Query,
        }) => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{name}={value}"));
        }
        Some(AuthProfile::OAuth2ClientCredentials { .. }) => {
            options.push("--auth-type=bearer".into());
            options.push("--auth='{{access_token}}'".into());
        }
        None => {}
    }
    for (name, value) in r.headers() {
        items.push(shell_quote(&if value.is_empty() {
            format!("{name};")
        } else {
            format!("{name}:{value}")
        }));
    }
    if let Some(ct) = r.implied_content_type()
        && matches!(r.spec.body_kind, BodyKind::Text | BodyKind::File)
    {
        items.push(shell_quote(&format!("Content-Type:{ct}")));
    }
    match r.spec.body_kind {
        BodyKind::None => {}
        BodyKind::Json | BodyKind::Text => {
            options.push(format!("--raw={}", shell_quote(&r.spec.body)));
        }
        BodyKind::Form => {
            for (k, v) in crate::model::parse_form_text(&r.spec.body) {
                items.push(shell_quote(&format!("{}={v}", escape_item(&k))));
            }
        }
        BodyKind::Multipart => {
            for part in crate::model::parse_multipart_lines(&r.spec.body).unwrap_or_default() {
                items.push(shell_quote(&match part {
                    MultipartLine::Field { name, value } => {
                        format!("{}={value}", escape_item(&name))
                    }
                    MultipartLine::File {
                        name,
                        path,
                        content_type,
                    } => {
                        let mut v = format!("{}@{}", escape_item(&name), path.display());
                        if let Some(t) = content_type {
                            v.push_str(&format!(";type={t}"));
                        }
                        v
                    }
                }));
            }
        }
        BodyKind::File => stdin = Some(r.spec.body.trim().to_string()),
    }
    let mut words = vec!["http".to_string()];
    words.extend(options);
    words.push(r.spec.method.as_str().to_string());
    words.push(shell_quote(&url));
    words.extend(items);
    let mut command = words.join(" ");
    if let Some(path) = stdin {
        command.push_str(&format!(" < {}", shell_quote(&path)));
    }
    command
}

/// A field name with HTTPie's separators escaped (`a:b` → `a\:b`).
fn escape_item(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, ':' | '=' | '@' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyValue, Method, RequestSpec};

    fn spec(method: Method, url: &str, kind: BodyKind, body: &str) -> RequestSpec {
        RequestSpec {
            method,
            url: url.into(),
            headers: vec![KeyValue::new("X-Trace", "a b")],
            body_kind: kind,
            body: body.into(),
        }
    }

    #[test]
    fn json_form_and_auth_are_httpie_words() {
        let mut r = ExportRequest::from_spec(&spec(
            Method::Post,
            "https://api.test/items?x=1",
            BodyKind::Json,
            "{\"name\": \"it's\"}",
        ));
        r.auth = Some(AuthProfile::Bearer {
            token: "{{env.TOKEN}}".into(),
        });
        assert_eq!(
            to_httpie(&r),
            "http --follow --auth-type=bearer --auth='{{env.TOKEN}}' \
             --raw='{\"name\": \"it'\\''s\"}' POST 'https://api.test/items?x=1' 'X-Trace:a b'"
        );
        let mut r = ExportRequest::from_spec(&spec(
            Method::Put,
            "https://api.test/f",
            BodyKind::Form,
            "a=1&b%3Dc=x%20y",
        ));
        r.follow_redirects = false;
        assert_eq!(
            to_httpie(&r),
            "http --form PUT https://api.test/f 'X-Trace:a b' a=1 'b\\=c=x y'"
        );
    }
}
