//! curl commands from requests: minimal and quoted, and read back by `scout import curl` into a
//! request that sends the same thing (the round trip the issue asks for).

use std::time::Duration;

use proptest::prelude::*;

use super::*;
use crate::collection::SavedBody;
use crate::import::{Format, Source, import};
use crate::model::{KeyValue, RequestSpec};

fn request(method: Method, url: &str, kind: BodyKind, body: &str) -> ExportRequest {
    ExportRequest::from_spec(&RequestSpec {
        method,
        url: url.into(),
        headers: Vec::new(),
        body_kind: kind,
        body: body.into(),
    })
}

#[test]
fn a_get_is_just_the_url_and_follows_redirects_as_scout_does() {
    assert_eq!(
        to_curl(&request(
            Method::Get,
            "https://api.test/items?page=2",
            BodyKind::None,
            ""
        )),
        "curl 'https://api.test/items?page=2' -L"
    );
    let mut r = request(Method::Head, "https://api.test/", BodyKind::None, "");
    r.follow_redirects = false;
    assert_eq!(to_curl(&r), "curl https://api.test/ -I");
}

#[test]
fn bodies_say_their_content_type_when_curl_would_choose_another() {
    let r = request(
        Method::Post,
        "https://api.test/i",
        BodyKind::Json,
        "{\"a\": \"it's\"}",
    );
    assert_eq!(
        to_curl(&r),
        "curl https://api.test/i -L -H 'Content-Type: application/json' \
         --data-raw '{\"a\": \"it'\\''s\"}'"
    );
    // A form is what curl sends by default; the body is encoded as scout sends it.
    let r = request(
        Method::Put,
        "https://api.test/f",
        BodyKind::Form,
        "a=1&b=x%20y",
    );
    assert_eq!(
        to_curl(&r),
        "curl https://api.test/f -X PUT -L --data-raw 'a=1&b=x+y'"
    );
    let r = request(
        Method::Post,
        "https://api.test/u",
        BodyKind::Multipart,
        "note=@not a file\ndoc@report.pdf;type=application/pdf",
    );
    assert_eq!(
        to_curl(&r),
        "curl https://api.test/u \\\n  -L \\\n  --form-string 'note=@not a file' \\\n  \
         -F 'doc=@report.pdf;type=application/pdf'"
    );
}

#[test]
fn auth_and_settings_become_flags_and_long_commands_wrap() {
    let mut r = request(
        Method::Delete,
        "https://api.test/items/{{id}}",
        BodyKind::None,
        "",
    );
    r.auth = Some(AuthProfile::Basic {
        username: "alice".into(),
        password: "{{env.PASSWORD}}".into(),
    });
    r.timeout = Some(Duration::from_millis(2500));
    r.retries = Some(2);
    r.insecure = true;
    r.spec.headers = vec![
        KeyValue::new("X-Empty", ""),
        KeyValue {
            enabled: false,
            ..KeyValue::new("X-Off", "1")
        },
    ];
    assert_eq!(
        to_curl(&r),
        "curl 'https://api.test/items/{{id}}' \\\n  -X DELETE \\\n  -L \\\n  \
         -u 'alice:{{env.PASSWORD}}' \\\n  -H 'X-Empty;' \\\n  -m 2.5 \\\n  --retry 2 \\\n  -k \\\n  -g"
    );
}

/// What a request sends, as far as the formats can carry it: method, URL, headers in order
/// (the implied Content-Type included), body bytes, and the Authorization it ends up with.
#[derive(Debug, PartialEq)]
struct Sent {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
    auth: Option<AuthProfile>,
    follow: bool,
}

fn sent(r: &ExportRequest) -> Sent {
    let mut headers: Vec<(String, String)> = r
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(ct) = r.implied_content_type() {
        headers.push(("Content-Type".into(), ct.into()));
    }
    let body = match r.spec.body_kind {
        BodyKind::Form => crate::model::encode_form(&crate::model::parse_form_text(&r.spec.body)),
        _ => r.spec.body.clone(),
    };
    Sent {
        method: r.spec.method,
        url: r.spec.url.clone(),
        headers,
        body,
        auth: r.auth.clone(),
        follow: r.follow_redirects,
    }
}

/// The request `scout import curl` reads from `command`, its `{{env.…}}` secrets put back.
fn imported(command: &str) -> ExportRequest {
    let source = Source {
        text: command,
        ..Source::default()
    };
    let imported = import(Format::Curl, &source).unwrap_or_else(|e| panic!("{command}\n{e}"));
    let c = &imported.collection;
    let mut r = ExportRequest::from_saved(c, &c.requests[0]);
    let unhide = |text: &str| {
        imported
            .secrets
            .iter()
            .fold(text.to_string(), |t, (name, value)| {
                t.replace(&format!("{{{{env.{name}}}}}"), value)
            })
    };
    r.auth = r.auth.map(|a| match a {
        AuthProfile::Basic { username, password } => AuthProfile::Basic {
            username,
            password: unhide(&password),
        },
        AuthProfile::Digest { username, password } => AuthProfile::Digest {
            username,
            password: unhide(&password),
        },
        AuthProfile::Bearer { token } => AuthProfile::Bearer {
            token: unhide(&token),
        },
        other => other,
    });
    for h in &mut r.spec.headers {
        h.value = unhide(&h.value);
    }
    // curl's body is text: the kind it was written from is not part of what is sent.
    if let Some(SavedBody::Text(_)) = c.requests[0].body {
        r.spec.body_kind = BodyKind::Text;
    }
    r
}

fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 '\"$`\\\\!&=;:,./?@#%é日-]{0,12}"
}

fn header_name() -> impl Strategy<Value = String> {
    "X-[A-Za-z0-9]{1,8}"
}

prop_compose! {
    fn arb_request()(
        method in prop::sample::select(vec![Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options]),
        path in "[a-z0-9/_.-]{0,16}",
        query in prop::option::of(("[a-z]{1,5}", "[a-zA-Z0-9_.~-]{0,6}")),
        // Without `{{`: scout would read it as a template, curl sends it as it is.
        headers in prop::collection::vec((header_name(), "[!-~]([ -~]{0,10}[!-~])?".prop_filter("no template", |v| !v.contains("{{"))), 0..4),
        kind in prop::sample::select(vec![BodyKind::None, BodyKind::Json, BodyKind::Text, BodyKind::Form]),
        text in word(),
        form in prop::collection::vec(("[a-z]{1,5}", word()), 1..3),
        auth in prop::option::of(prop_oneof![
            ("[a-z]{1,8}", "[!-9;-~]{1,10}").prop_map(|(u, p)| AuthProfile::Basic { username: u, password: p }),
            "[A-Za-z0-9._~+/-]{1,20}".prop_map(|t| AuthProfile::Bearer { token: t }),
        ]),
        follow in any::<bool>(),
    ) -> ExportRequest {
        let mut url = format!("https://api.test/{path}");
        if let Some((k, v)) = query {
            url.push_str(&format!("?{k}={v}"));
        }
        let body = match kind {
            BodyKind::None => String::new(),
            BodyKind::Json => serde_json::json!({ "text": text }).to_string(),
            BodyKind::Form => form.iter().map(|(k, v)| format!("{k}={}", crate::model::encode_component(v))).collect::<Vec<_>>().join("&"),
            _ => text,
        };
        let mut r = ExportRequest::from_spec(&RequestSpec {
            method,
            url,
            headers: headers.into_iter().map(|(k, v)| KeyValue::new(k, v)).collect(),
            body_kind: kind,
            body,
        });
        r.auth = auth;
        r.follow_redirects = follow;
        r
    }
}

proptest! {
    #[test]
    fn import_of_the_export_sends_the_same_request(r in arb_request()) {
        let command = to_curl(&r);
        let back = imported(&command);
        prop_assert_eq!(sent(&back), sent(&r), "{}", command);
    }
}
