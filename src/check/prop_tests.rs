//! JSONPath evaluation, assertion matching and captures never panic, whatever the document.

use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::model::ResponseData;

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const PATHS: [&str; 8] = [
    "$",
    "$.a",
    "$..a",
    "$.*",
    "$[0]",
    "$[-1:]",
    "$..[?@ > 1]",
    "$.a.b[*]",
];
const CHECKS: [&str; 12] = [
    "1",
    "\"x\"",
    "{ exists = true }",
    "{ exists = false }",
    "{ type = \"integer\" }",
    "{ len = { gt = 1 } }",
    "{ matches = \"^.\" }",
    "{ gt = 0, le = 1e300 }",
    "{ contains = 1 }",
    "{ contains = \"a\" }",
    "{ each = { each = { type = \"string\" } } }",
    "[1, { a = 2 }]",
];

proptest! {
    #[test]
    fn checks_and_captures_never_panic(doc in json(), raw in any::<bool>()) {
        let body = if raw { serde_json::to_vec(&doc).unwrap() } else { b"{\"cut".to_vec() };
        let response = ResponseData {
            stopped: false,
            spilled: None,
            status: 200,
            reason: String::new(),
            version: "HTTP/1.1".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            elapsed: Duration::ZERO,
            redirects: Vec::new(),
            url: String::new(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        };
        let body = Body::new(&response);
        for path in PATHS {
            for check in CHECKS {
                let text = format!("e = {{ json = {{ \"{path}\" = {check} }} }}");
                let value: toml::Value = toml::from_str(&text).unwrap();
                let expect = Expect::from_toml(&value["e"]).unwrap();
                let results = evaluate(&expect, &body, &crate::model::Redactor::none());
                prop_assert!(!results.is_empty());
            }
            let _ = Capture::Json(JsonQuery::parse(path).unwrap()).take(&body);
        }
    }
}
