//! Inputs that cannot be imported (truncated, ref cycles, missing refs, unknown versions), cut
//! fixtures, and a large specification's speed.

use std::time::{Duration, Instant};

use super::tests::{import_file, import_text, loads_back, read_fixture};

#[test]
fn a_ref_cycle_is_an_error_naming_the_chain() {
    let e = import_file("cycle.yaml").unwrap_err();
    assert!(
        e.message.starts_with(
            "$ref cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A"
        ),
        "{e}"
    );
}

#[test]
fn a_missing_ref_is_an_error_with_its_line() {
    let e = import_file("missing-ref.yaml").unwrap_err();
    assert_eq!(e.line, Some(9), "{e}");
    assert_eq!(
        e.message,
        "$ref `#/components/parameters/Nope` points to nothing: the specification has no \
         `/components/parameters/Nope`"
    );
}

#[test]
fn bad_documents_are_errors_saying_what_was_expected() {
    let cases = [
        ("{\"openapi\": \"3.0.0\", \"paths\": {", "ends too early"),
        (
            "openapi: 4.0.0\npaths: {}\n",
            "openapi 4.0.0 is not supported",
        ),
        ("swagger: '1.2'\n", "swagger 1.2 is not supported"),
        ("{\"info\": {\"title\": \"x\"}}", "not an OpenAPI document"),
        ("[1, 2]", "not an OpenAPI document"),
        ("openapi: 3.0.0\npaths: {}\n", "has no operations"),
        // A YAML file cut short inside an operation.
        (
            "openapi: 3.0.0\ninfo:\n  title: x\npaths:\n  /pets:\n    get",
            "paths./pets: expected a path item (an object), found text",
        ),
        (
            "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n",
            "paths./pets.get: expected an operation (an object), found nothing",
        ),
    ];
    for (text, want) in cases {
        let e = import_text(text).unwrap_err();
        assert!(e.to_string().contains(want), "{text:?}: {e}");
    }
    let e =
        import_text("openapi: 3.0.0\ninfo:\n  title: x\npaths:\n  /pets:\n    get").unwrap_err();
    assert_eq!(e.line, Some(5));
    let e = import_text("openapi: 4.0.0\n").unwrap_err();
    assert_eq!(e.line, Some(1));
}

#[test]
fn every_cut_of_a_fixture_is_an_import_or_an_error_never_a_panic() {
    for name in ["petstore-3.0.yaml", "museum-3.1.json", "petstore-2.0.json"] {
        let text = read_fixture(name);
        let step = (text.len() / 150).max(1);
        for end in (0..text.len()).step_by(step) {
            let Some(cut) = text.get(..end) else { continue };
            if let Ok(imported) = import_text(cut) {
                loads_back(&imported);
            }
        }
    }
}

/// `n` paths sharing a few schemas, about 1.4 KB each.
fn big_spec(n: usize) -> String {
    let mut paths = serde_json::Map::new();
    for i in 0..n {
        paths.insert(
            format!("/resources{i}/{{id}}"),
            serde_json::json!({
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {
                    "operationId": format!("getResource{i}"),
                    "tags": [format!("group{}", i % 20)],
                    "parameters": [{"name": "expand", "in": "query", "schema": {"type": "string", "default": "all"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}},
                        "404": {"$ref": "#/components/responses/NotFound"}
                    }
                },
                "put": {
                    "operationId": format!("putResource{i}"),
                    "summary": format!("Replace resource number {i} with a new version of itself"),
                    "description": "A longer description of what this operation does, to give the document a realistic size.",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}},
                    "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}, "default": {"description": "error"}}
                }
            }),
        );
    }
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://big.example.com"}],
        "paths": paths,
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}},
            "responses": {"NotFound": {"description": "not found"}},
            "schemas": {
                "Resource": {"type": "object", "properties": {
                    "name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Person"},
                    "members": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                    "parent": {"$ref": "#/components/schemas/Resource"}
                }},
                "Person": {"type": "object", "properties": {
                    "email": {"type": "string", "format": "email"}, "address": {"$ref": "#/components/schemas/Address"}
                }},
                "Address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}}
            }
        }
    });
    serde_json::to_string_pretty(&spec).unwrap()
}

#[test]
fn a_two_megabyte_specification_imports_quickly() {
    let text = big_spec(1500);
    assert!(text.len() > 2_000_000, "{}", text.len());
    let started = Instant::now();
    let imported = import_text(&text).unwrap();
    let took = started.elapsed();
    println!("{} bytes imported in {took:?}", text.len());
    assert_eq!(imported.collection.requests.len(), 3000);
    assert!(took < Duration::from_secs(5), "{took:?}");
}
