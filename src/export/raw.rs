//! A request as HTTP/1.1 text, the way it reads on the wire: request line, Host, headers, a blank
//! line, the body. Templates stay as written; a multipart body is listed by its parts.

use std::fmt::Write as _;

use crate::export::ExportRequest;
use crate::model::{AuthProfile, BodyKind, KeyLocation};

pub fn to_raw(r: &ExportRequest) -> String {
    let url = r.spec.url.trim();
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, target) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => match after_scheme.find('?') {
            Some(i) => (&after_scheme[..i], &after_scheme[i..]),
            None => (after_scheme, ""),
        },
    };
    let target = match target {
        "" => "/".to_string(),
        t if t.starts_with('?') => format!("/{t}"),
        t => t.split('#').next().unwrap_or(t).to_string(),
    };
    let mut out = format!(
        "{} {target} HTTP/1.1\r\nHost: {host}\r\n",
        r.spec.method.as_str()
    );
    match &r.auth {
        Some(AuthProfile::Basic { username, password }) => {
            let _ = write!(
                out,
                "Authorization: Basic base64({username}:{password})\r\n"
            );
        }
        Some(AuthProfile::Bearer { token }) => {
            let _ = write!(out, "Authorization: Bearer {token}\r\n");
        }
        Some(AuthProfile::ApiKey {
            name,
            value,
            location: KeyLocation::Header,
        }) => {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        _ => {}
    }
    for (k, v) in r.headers() {
        let _ = write!(out, "{k}: {v}\r\n");
    }
    if let Some(ct) = r.implied_content_type() {
        let _ = write!(out, "Content-Type: {ct}\r\n");
    }
    out.push_str("\r\n");
    match r.spec.body_kind {
        BodyKind::None => {}
        BodyKind::Form => {
            let pairs = crate::model::parse_form_text(&r.spec.body);
            out.push_str(&crate::model::encode_form(&pairs));
        }
        BodyKind::File => {
            let _ = write!(out, "(the content of {})", r.spec.body.trim());
        }
        BodyKind::Multipart => {
            let _ = write!(out, "(multipart parts)\r\n{}", r.spec.body);
        }
        BodyKind::Json | BodyKind::Text => out.push_str(&r.spec.body),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyValue, Method, RequestSpec};

    #[test]
    fn the_request_reads_as_on_the_wire() {
        let r = ExportRequest::from_spec(&RequestSpec {
            method: Method::Post,
            url: "https://api.test:8443/items?x=1#top".into(),
            headers: vec![KeyValue::new("X-A", "1")],
            body_kind: BodyKind::Json,
            body: "{\"a\": 1}".into(),
        });
        assert_eq!(
            to_raw(&r),
            "POST /items?x=1 HTTP/1.1\r\nHost: api.test:8443\r\nX-A: 1\r\n\
             Content-Type: application/json\r\n\r\n{\"a\": 1}"
        );
        let r = ExportRequest::from_spec(&RequestSpec {
            url: "http://h?q".into(),
            ..RequestSpec::default()
        });
        assert!(to_raw(&r).starts_with("GET /?q HTTP/1.1\r\nHost: h\r\n"));
    }
}
