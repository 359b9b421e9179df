//! The ready-made requests of the Requests pane: a tour of the built-in demo API.

use crate::app::Sample;
use crate::http::model::{BodyKind, KeyValue, Method, RequestSpec};

/// A tour of the demo API served at `base` (e.g. `http://127.0.0.1:40123`).
pub fn demo_samples(base: &str) -> Vec<Sample> {
    let get = |name: &str, path: &str| Sample {
        name: name.to_string(),
        spec: RequestSpec {
            method: Method::Get,
            url: format!("{base}{path}"),
            ..Default::default()
        },
    };
    let with_body = |name: &str, method: Method, path: &str, body: &str| Sample {
        name: name.to_string(),
        spec: RequestSpec {
            method,
            url: format!("{base}{path}"),
            headers: vec![KeyValue::new("Accept", "application/json")],
            body_kind: BodyKind::Json,
            body: body.to_string(),
        },
    };
    vec![
        get("A nested JSON document", "/json"),
        get("List items", "/items"),
        with_body(
            "Create an item",
            Method::Post,
            "/items",
            "{\n  \"name\": \"widget\",\n  \"price\": 9.99,\n  \"tags\": [\"new\"]\n}",
        ),
        get("Get item 1", "/items/1"),
        with_body(
            "Rename item 1",
            Method::Patch,
            "/items/1",
            "{\n  \"name\": \"renamed\"\n}",
        ),
        Sample {
            name: "Delete item 2".into(),
            spec: RequestSpec {
                method: Method::Delete,
                url: format!("{base}/items/2"),
                ..Default::default()
            },
        },
        with_body(
            "Echo anything",
            Method::Put,
            "/anything?debug=true",
            "{\n  \"hello\": \"world\"\n}",
        ),
        get("Status 418", "/status/418"),
        get("Slow: 3 s delay", "/delay/3"),
        get("Three redirects", "/redirect/3"),
        get("An HTML page", "/html"),
        get("An XML document", "/xml"),
        get("Gzip-compressed", "/gzip"),
        get("256 random bytes", "/bytes/256"),
        get("Broken JSON", "/bad/json"),
        get("Invalid UTF-8", "/bad/utf8"),
        get("Cut off mid-body", "/bad/truncated"),
        get("A redirect loop", "/redirect-loop"),
        get("10 MB of JSON", "/large/10"),
    ]
}
