//! Postman and Insomnia importers on odd input: shapes the formats allow but rarely hold, and
//! generated documents (neither importer panics, and what one imports always loads back), and
//! format detection on the fixtures.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::collection::Collection;
use crate::import::Format;

fn read(format: Format, text: &str) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: PathBuf::from("."),
        filter: None,
        env_file: None,
        ..Source::default()
    };
    crate::import::import(format, &source)
}

fn import_text(text: &str) -> Imported {
    read(Format::Postman, text).unwrap_or_else(|e| panic!("{e}"))
}

/// The collection as `scout import` writes it, loaded back (an error if it does not load).
fn load_back(collection: &Collection) -> Result<Collection, String> {
    let merged =
        crate::collection::merge::merge("", collection, None).map_err(|e| e.to_string())?;
    crate::collection::parse_collection(&merged.text, std::path::Path::new("x.toml"))
        .map_err(|e| format!("{e}\n{}", merged.text))
}

fn loads_back(collection: &Collection) -> Collection {
    load_back(collection).unwrap_or_else(|e| panic!("{e}"))
}

fn has_line(imported: &Imported, needle: &str) -> bool {
    imported.dropped.iter().any(|l| l.contains(needle))
}

/// A v2.1 collection around `items` (JSON text of the `item` list's elements).
fn collection(items: &str) -> String {
    format!(
        "{{\"info\": {{\"name\": \"t\", \"schema\": \
         \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"}}, \
         \"item\": [{items}]}}"
    )
}

#[test]
fn the_fixtures_are_detected_as_their_format() {
    let fixtures = [
        (
            include_str!("../../tests/fixtures/import/postman/shop.postman_collection.json"),
            Format::Postman,
        ),
        (
            include_str!("../../tests/fixtures/import/postman/legacy-v2.0.json"),
            Format::Postman,
        ),
        (
            include_str!("../../tests/fixtures/import/insomnia/shop.insomnia.json"),
            Format::Insomnia,
        ),
        (
            include_str!("../../tests/fixtures/import/insomnia/billing.insomnia.yaml"),
            Format::Insomnia,
        ),
    ];
    for (text, format) in fixtures {
        assert_eq!(Format::detect(text), Some(format), "{}", &text[..80]);
    }
}

#[test]
fn odd_but_valid_shapes_do_not_panic() {
    let text = collection(
        r#"{"name": "", "request": {}},
           {"name": "x/y", "item": [{"name": "in", "request": {"url": {"host": "h.test", "path": "a/b"}}}]},
           {"name": "weird", "request": {"method": 7, "header": 5, "body": {"mode": "raw", "raw": 3},
             "auth": {"type": "bearer", "bearer": "nope"}, "url": {"raw": 9}}},
           {"name": "nothing"}"#,
    );
    let imported = import_text(&text);
    let r = &imported.collection.requests;
    assert_eq!(r.len(), 2, "{r:#?}");
    assert_eq!(r[1].folder.as_deref(), Some("x-y"));
    assert_eq!(r[1].url, "h.test/a/b");
    assert!(has_line(
        &imported,
        "item `nothing` has neither a request nor items"
    ));
    assert!(has_line(&imported, "scout does not send 7 requests"));
    loads_back(&imported.collection);
}

#[test]
fn placeholders_scout_cannot_read_are_named_once() {
    let text = collection(
        r#"{"name": "a", "request": {"url": "{{base url}}/x", "header": [{"key": "X", "value": "{{ base url }}"}]}},
           {"name": "b", "request": {"url": "{{ok.name-1}}/{{env.X}}"}}"#,
    );
    let imported = import_text(&text);
    assert_eq!(
        imported.dropped,
        [
            "{{base url}}: scout's variable names are letters, digits, `_`, `.` and `-`; \
             requests using it cannot be sent until the variable is renamed"
        ]
    );
}

#[test]
fn with_path_variables_only_touches_named_path_segments() {
    let names = vec!["id".to_string()];
    let cases = [
        ("{{base}}/u/:id", "{{base}}/u/{{id}}"),
        (
            "https://h:8443/u/:id?x=:id#:id",
            "https://h:8443/u/{{id}}?x=:id#:id",
        ),
        ("https://h/u/:other", "https://h/u/:other"),
        ("h:80", "h:80"),
    ];
    for (url, want) in cases {
        assert_eq!(with_path_variables(url, &names), want, "{url}");
    }
}

#[test]
fn insomnia_folders_that_loop_or_nest_too_deep_end() {
    // An id used twice, one of them its own parent.
    let mut resources = vec![
        json!({"_id": "wrk_1", "_type": "workspace", "name": "W"}),
        json!({"_id": "fld_1", "parentId": "wrk_1", "_type": "request_group", "name": "A"}),
        json!({"_id": "fld_1", "parentId": "fld_1", "_type": "request_group", "name": "B"}),
        json!({"_id": "req_1", "parentId": "fld_1", "_type": "request", "name": "R", "url": "http://h/"}),
    ];
    let mut parent = "wrk_1".to_string();
    for n in 0..100 {
        let id = format!("deep_{n}");
        resources
            .push(json!({"_id": id, "parentId": parent, "_type": "request_group", "name": "d"}));
        parent = id;
    }
    resources
        .push(json!({"_id": "req_deep", "parentId": parent, "_type": "request", "name": "Deep"}));
    let doc = json!({"_type": "export", "__export_format": 4, "resources": resources});
    let imported = read(Format::Insomnia, &doc.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<String> = imported
        .collection
        .requests
        .iter()
        .map(SavedRequest::path)
        .collect();
    assert_eq!(paths, ["A/r"]);
    assert!(has_line(
        &imported,
        "folders nested deeper than 64 are skipped"
    ));
    assert!(has_line(
        &imported,
        "1 request is not under a workspace or folder"
    ));
    loads_back(&imported.collection);
}

/// The keys both formats use, so generated documents reach deep into the importers.
fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "name",
        "item",
        "request",
        "url",
        "raw",
        "method",
        "header",
        "headers",
        "body",
        "mode",
        "auth",
        "type",
        "key",
        "value",
        "disabled",
        "variable",
        "query",
        "path",
        "host",
        "urlencoded",
        "formdata",
        "graphql",
        "file",
        "src",
        "options",
        "language",
        "event",
        "bearer",
        "basic",
        "apikey",
        "oauth2",
        "grant_type",
        "_id",
        "parentId",
        "_type",
        "mimeType",
        "text",
        "params",
        "fileName",
        "authentication",
        "parameters",
        "data",
        "description",
        "environment",
        "pathParameters",
        "metaSortKey",
        "token",
        "prefix",
    ])
    .prop_map(str::to_string)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..5).prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "GET",
            "POST",
            "PURGE",
            "raw",
            "formdata",
            "urlencoded",
            "graphql",
            "file",
            "bearer",
            "basic",
            "apikey",
            "oauth2",
            "noauth",
            "awsv4",
            "client_credentials",
            "request",
            "request_group",
            "environment",
            "workspace",
            "wrk_1",
            "fld_1",
            "req_1",
            "file",
            "application/json",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        "[a-z{}%$_ ./:?&=-]{0,16}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::select(options.to_vec()).prop_map(|s| Value::String(s.to_string()))
}

/// A Postman request item: each part a likely value or anything.
fn postman_item() -> impl Strategy<Value = Value> {
    let method = prop_oneof![pick(&["GET", "post", "PURGE", ""]), value()];
    let mode = pick(&[
        "raw",
        "urlencoded",
        "formdata",
        "graphql",
        "file",
        "none",
        "x",
    ]);
    let auth_type = pick(&[
        "bearer", "basic", "digest", "apikey", "oauth2", "noauth", "hawk",
    ]);
    (
        (method, value(), value(), value()),
        (mode, value(), value()),
        (auth_type, value(), value()),
    )
        .prop_map(
            |((method, url, header, name), (mode, content, options), (kind, params, event))| {
                let mode_key = mode.as_str().unwrap_or_default().to_string();
                let kind_key = kind.as_str().unwrap_or_default().to_string();
                json!({
                    "name": name,
                    "event": event,
                    "request": {
                        "method": method, "url": url, "header": header,
                        "body": {"mode": mode, mode_key: content, "options": options},
                        "auth": {"type": kind, kind_key: params},
                    },
                })
            },
        )
}

/// An Insomnia resource: a likely id, parent and type, and any fields.
fn insomnia_resource() -> impl Strategy<Value = Value> {
    let ids = &[
        "wrk_1", "wrk_1", "fld_1", "fld_2", "req_1", "env_1", "env_2", "",
    ];
    let kinds = &[
        "request",
        "request_group",
        "environment",
        "workspace",
        "cookie_jar",
        "x",
    ];
    let mime = pick(&[
        "application/json",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "text/xml",
        "",
    ]);
    let auth_type = pick(&[
        "bearer", "basic", "digest", "apikey", "oauth2", "none", "iam", "",
    ]);
    let url = prop_oneof![
        3 => pick(&["http://h/a", "{{ _.base }}/u/:id?q=1", "{% uuid %}/{{ a | b }}"]),
        1 => value(),
    ];
    let method = prop_oneof![3 => pick(&["GET", "post", "DELETE", ""]), 1 => value()];
    (
        (pick(ids), pick(ids), pick(kinds), value()),
        (url, method, value(), value()),
        (mime, value(), value()),
        (auth_type, value(), value(), value()),
    )
        .prop_map(|((id, parent, kind, name), (url, method, headers, parameters),
                    (mime, text, params), (auth, token, data, path))| {
            json!({
                "_id": id, "parentId": parent, "_type": kind, "name": name, "url": url,
                "method": method, "headers": headers, "parameters": parameters,
                "body": {"mimeType": mime, "text": text, "params": params},
                "authentication": {"type": auth, "token": token, "username": token, "addTo": token},
                "data": data, "environment": data, "pathParameters": path,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_postman_collections_never_panic_and_load_back(
        items in prop::collection::vec(prop_oneof![postman_item(), value()], 0..5),
        folder in prop::collection::vec(postman_item(), 0..3),
        name in value(),
        auth in value(),
        variable in value(),
    ) {
        let mut items = items;
        items.push(json!({"name": name, "item": folder, "auth": auth}));
        let doc = json!({"info": {"name": "p"}, "item": items, "variable": variable});
        if let Ok(imported) = read(Format::Postman, &doc.to_string()) {
            let back = load_back(&imported.collection);
            prop_assert!(back.is_ok(), "{:?}", back.err());
        }
    }

    #[test]
    fn generated_insomnia_exports_never_panic_and_load_back(
        resources in prop::collection::vec(insomnia_resource(), 0..8),
    ) {
        let mut all = vec![json!({"_id": "wrk_1", "_type": "workspace", "name": "W"})];
        all.extend(resources);
        let doc = json!({"_type": "export", "__export_format": 4, "resources": all});
        if let Ok(imported) = read(Format::Insomnia, &doc.to_string()) {
            let back = load_back(&imported.collection);
            prop_assert!(back.is_ok(), "{:?}", back.err());
        }
    }
}

#[test]
fn path_variables_named_by_id_are_filled_in() {
    let text = r#"{"info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "item": [{"name": "status", "request": {"method": "GET", "url": {
        "raw": "https://httpbin.org/status/:code",
        "variable": [{"id": "code", "value": "201"}]}}}]}"#;
    let imported = read(Format::Postman, text).unwrap();
    let c = &imported.collection;
    assert_eq!(c.requests[0].url, "https://httpbin.org/status/{{code}}");
    assert_eq!(c.vars, vec![("code".to_string(), "201".to_string())]);
}
