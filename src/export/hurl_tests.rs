//! Hurl entries from requests, with their checks.

use super::*;
use crate::check::{JsonQuery, Pattern};
use crate::model::{KeyValue, Method, RequestSpec};

#[test]
fn an_entry_has_the_request_its_options_body_and_checks() {
    let mut r = ExportRequest::from_spec(&RequestSpec {
        method: Method::Post,
        url: "{{base_url}}/items".into(),
        headers: vec![KeyValue::new("X-Key", "{{env.API_KEY}}")],
        body_kind: BodyKind::Json,
        body: "{\"name\": \"widget\"}".into(),
    });
    r.name = Some("Create an item".into());
    r.auth = Some(AuthProfile::Basic {
        username: "alice".into(),
        password: "{{env.PASSWORD}}".into(),
    });
    r.expect = Some(Expect {
        status: vec![StatusPattern::Code(201)],
        headers: vec![("content-type".into(), HeaderExpect::Contains("json".into()))],
        json: vec![
            (
                JsonQuery::parse("$.name").unwrap(),
                ValueMatcher::Equals(serde_json::json!("widget")),
            ),
            (
                JsonQuery::parse("$.id").unwrap(),
                ValueMatcher::Checks(vec![
                    ValueCheck::Type(JsonType::Integer),
                    ValueCheck::Gt(0.0),
                ]),
            ),
            (
                JsonQuery::parse("$.tags").unwrap(),
                ValueMatcher::Checks(vec![ValueCheck::Each(Box::new(ValueMatcher::Equals(
                    serde_json::json!("x"),
                )))]),
            ),
        ],
        body_matches: vec![Pattern::parse("wid.et").unwrap()],
        max_ms: Some(500),
        ..Expect::default()
    });
    r.capture = vec![
        (
            "item_id".into(),
            Capture::Json(JsonQuery::parse("$.id").unwrap()),
        ),
        ("where".into(), Capture::Header("Location".into())),
    ];
    assert_eq!(
        to_hurl(&r),
        "# Create an item\n\
         POST {{base_url}}/items\n\
         X-Key: {{API_KEY}}\n\
         Content-Type: application/json\n\
         [Options]\n\
         location: true\n\
         [BasicAuth]\n\
         alice: {{PASSWORD}}\n\
         {\"name\": \"widget\"}\n\
         # scout also checks $.tags: each \"x\" (no Hurl predicate for it)\n\
         HTTP 201\n\
         [Captures]\n\
         item_id: jsonpath \"$.id\"\n\
         where: header \"Location\"\n\
         [Asserts]\n\
         header \"content-type\" contains \"json\"\n\
         jsonpath \"$.name\" == \"widget\"\n\
         jsonpath \"$.id\" isInteger\n\
         jsonpath \"$.id\" > 0\n\
         body matches \"wid.et\"\n\
         duration <= 500\n"
    );
}

#[test]
fn text_bodies_keep_their_exact_bytes_and_forms_are_sections() {
    let mut r = ExportRequest::from_spec(&RequestSpec {
        method: Method::Put,
        url: "https://api.test/t".into(),
        headers: Vec::new(),
        body_kind: BodyKind::Text,
        body: "line one\nline two".into(),
    });
    r.follow_redirects = false;
    assert_eq!(
        to_hurl(&r),
        "PUT https://api.test/t\nContent-Type: text/plain; charset=utf-8\n\
         base64,bGluZSBvbmUKbGluZSB0d28=;\n"
    );
    r.spec.body = "two\nlines\n".into();
    assert!(to_hurl(&r).ends_with("```\ntwo\nlines\n```\n"));
    r.spec.body = "one line".into();
    assert!(to_hurl(&r).ends_with("`one line`\n"));
    r.spec.body_kind = BodyKind::Form;
    r.spec.body = "a%3Ab=1&c=%23x".into();
    assert!(
        to_hurl(&r).ends_with("[FormParams]\na\\:b: 1\nc: \\#x\n"),
        "{}",
        to_hurl(&r)
    );
}

#[test]
fn several_statuses_and_classes_say_what_hurl_cannot() {
    let mut r = ExportRequest::from_spec(&RequestSpec {
        url: "https://api.test/".into(),
        ..RequestSpec::default()
    });
    r.follow_redirects = false;
    r.expect = Some(Expect {
        status: vec![StatusPattern::Class(2)],
        ..Expect::default()
    });
    assert!(to_hurl(&r).ends_with("HTTP *\n[Asserts]\nstatus >= 200\nstatus < 300\n"));
    r.expect = Some(Expect {
        status: vec![StatusPattern::Code(200), StatusPattern::Code(404)],
        ..Expect::default()
    });
    assert!(to_hurl(&r).ends_with(
        "# scout expects the status to be one of 200, 404 (Hurl cannot say \"or\")\nHTTP *\n"
    ));
}

mod round_trip {
    //! `import hurl (export hurl r) == r`: what is sent, the auth, the status and the captures.

    use proptest::prelude::*;

    use super::*;
    use crate::import::{Format, Source, import};

    fn header_value() -> impl Strategy<Value = String> {
        "[!-~]([ -~]{0,10}[!-~])?".prop_filter("no template, comment or escape", |v| {
            !v.contains("{{") && !v.contains('#') && !v.contains('\\')
        })
    }

    prop_compose! {
        fn arb_request()(
            method in prop::sample::select(vec![Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete]),
            path in "[a-z0-9/_.-]{0,16}",
            query in prop::option::of(("[a-z]{1,5}", "[a-zA-Z0-9_.~-]{0,6}")),
            headers in prop::collection::vec(("X-[A-Za-z0-9]{1,8}", header_value()), 0..3),
            kind in prop::sample::select(vec![BodyKind::None, BodyKind::Json, BodyKind::Text, BodyKind::Form]),
            text in "[a-zA-Z0-9 '\"$!&=;:,./?@%é日\n-]{0,16}",
            form in prop::collection::vec(("[a-z]{1,5}", "[a-zA-Z0-9 '$!,./?@é-]{0,8}"), 1..3),
            basic in prop::option::of(("[a-z]{1,8}", "[a-zA-Z0-9]{1,10}")),
            follow in any::<bool>(),
            status in prop::option::of(prop::sample::select(vec![200u16, 201, 204, 404])),
            capture in any::<bool>(),
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
            r.auth = basic.map(|(username, password)| AuthProfile::Basic { username, password });
            r.follow_redirects = follow;
            r.expect = status.map(|s| Expect {
                status: vec![StatusPattern::Code(s)],
                ..Expect::default()
            });
            if capture {
                r.capture = vec![("item_id".into(), Capture::Json(JsonQuery::parse("$.id").unwrap()))];
                r.expect.get_or_insert_with(Expect::default);
            }
            r
        }
    }

    /// What the request sends, and what it checks.
    fn seen(r: &ExportRequest) -> impl PartialEq + std::fmt::Debug {
        let mut headers: Vec<(String, String)> = r
            .headers()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        if let Some(ct) = r.implied_content_type() {
            headers.push(("content-type".into(), ct.into()));
        }
        headers.sort();
        let body = match r.spec.body_kind {
            BodyKind::Form => crate::model::parse_form_text(&r.spec.body)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&"),
            _ => r.spec.body.clone(),
        };
        let status = r
            .expect
            .as_ref()
            .map(|e| e.status.clone())
            .unwrap_or_default();
        (
            r.spec.method,
            r.spec.url.clone(),
            headers,
            body,
            r.auth.clone(),
            r.follow_redirects,
            status,
            r.capture.clone(),
        )
    }

    proptest! {
        #[test]
        fn import_of_the_export_is_the_same_request(r in arb_request()) {
            let text = to_hurl(&r);
            let source = Source { text: &text, ..Source::default() };
            let imported = import(Format::Hurl, &source)
                .map_err(|e| TestCaseError::fail(format!("{text}\n{e}")))?;
            let c = &imported.collection;
            prop_assert_eq!(c.requests.len(), 1, "{}", text);
            let mut back = ExportRequest::from_saved(c, &c.requests[0]);
            // Secrets a Hurl file holds (a password, a field or parameter named like one) are taken
            // out into the environment on import: put them back.
            for (name, value) in &imported.secrets {
                let reference = format!("{{{{env.{name}}}}}");
                back.spec.url = back.spec.url.replace(&reference, value);
                for h in &mut back.spec.headers {
                    h.value = h.value.replace(&reference, value);
                }
                let in_body = match back.spec.body_kind {
                    BodyKind::Form => crate::model::encode_component(value),
                    _ => value.clone(),
                };
                back.spec.body = back.spec.body.replace(&reference, &in_body);
                if let Some(AuthProfile::Basic { password, .. }) = &mut back.auth {
                    *password = password.replace(&reference, value);
                }
            }
            prop_assert_eq!(seen(&back), seen(&r), "{}", text);
        }
    }
}
