//! Each mapping rule on a small inline specification.

use serde_json::json;

use super::tests::import_text;
use super::*;
use crate::collection::SavedBody;

fn import(text: &str) -> Imported {
    import_text(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A 3.0 specification with one server and `paths` (YAML, indented by four).
fn spec(paths: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: T\nservers:\n  - url: https://api.test\npaths:\n{paths}"
    )
}

fn json_body(req: &SavedRequest) -> Value {
    match &req.body {
        Some(SavedBody::Json(text)) => serde_json::from_str(text).unwrap(),
        other => panic!("{other:?}"),
    }
}

/// The JSON body sample of `schema` (YAML, indented for a media type's `schema:`).
fn sample(schema: &str, components: &str) -> Value {
    let text = format!(
        "{}components:\n  schemas:\n{components}",
        spec(&format!(
            "  /x:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n{schema}"
        ))
    );
    json_body(&import(&text).collection.requests[0])
}

#[test]
fn versions_are_read_from_openapi_or_swagger() {
    for v in ["3.0", "3.0.0", "'3.1.1'", "3.2.0"] {
        let text = format!("openapi: {v}\npaths:\n  /a:\n    get: {{}}\n");
        assert_eq!(import(&text).collection.requests.len(), 1, "{v}");
    }
    let e = import_text("openapi: 2.0\npaths: {}\n").unwrap_err();
    assert!(e.message.starts_with("openapi 2.0 is not supported"), "{e}");
}

#[test]
fn without_servers_base_url_is_localhost_and_said() {
    let imported = import("openapi: 3.0.0\npaths:\n  /a:\n    get: {}\n");
    let c = &imported.collection;
    assert_eq!(c.name, "OpenAPI");
    assert_eq!(c.vars, [("base_url".into(), "http://localhost".into())]);
    assert!(c.environments.is_empty());
    assert!(
        imported.dropped[0].contains("names no server"),
        "{:?}",
        imported.dropped
    );
    let text = r#"{"swagger": "2.0", "basePath": "/v1/", "paths": {"/a": {"get": {}}}}"#;
    let imported = import(text);
    assert_eq!(
        imported.collection.vars,
        [("base_url".into(), "http://localhost/v1".into())]
    );
    assert!(imported.dropped[0].contains("names no host"));
}

#[test]
fn servers_without_a_description_are_numbered() {
    let text = "openapi: 3.0.0\nservers:\n  - url: https://a.test/\n  - url: https://b.test\n    variables: {}\npaths:\n  /a:\n    get: {}\n";
    let c = import(text).collection;
    assert_eq!(c.vars, [("base_url".into(), "https://a.test".into())]);
    let names: Vec<&str> = c.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["server-1", "server-2"]);
}

#[test]
fn ids_come_from_operation_ids_and_names_from_summaries() {
    let text = spec(
        "  /a:\n    get:\n      operationId: getPetById\n    post:\n      summary: Make one\n    put: {}\n",
    );
    let r = import(&text).collection.requests;
    let got: Vec<(&str, Option<&str>)> = r
        .iter()
        .map(|r| (r.id.as_str(), r.name.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("get-pet-by-id", Some("getPetById")),
            ("make-one", Some("Make one")),
            ("put-a", None)
        ]
    );
    assert_eq!(r[0].url, "{{base_url}}/a");
}

#[test]
fn operation_parameters_replace_path_level_ones_by_name_and_place() {
    let text = spec(
        "  /a/{slug}:\n    parameters:\n      - {name: limit, in: query, schema: {default: 10}}\n      - {name: limit, in: header, example: h}\n    get:\n      parameters:\n        - {name: limit, in: query, example: 50}\n",
    );
    let imported = import(&text);
    let r = &imported.collection.requests[0];
    assert_eq!(r.query, [("limit".to_string(), "50".to_string())]);
    assert_eq!(r.headers, [("limit".to_string(), "h".to_string())]);
    // A path variable no parameter describes.
    assert_eq!(r.url, "{{base_url}}/a/{{slug}}");
    assert!(
        imported
            .collection
            .vars
            .contains(&("slug".into(), "<slug>".into()))
    );
}

#[test]
fn parameter_values_come_from_examples_then_schemas_then_types() {
    let text = spec(concat!(
        "  /a/{a}/{b}/{c}/{d}/{e}/{f}:\n    get:\n      parameters:\n",
        "        - {name: a, in: path, example: ex, schema: {example: no}}\n",
        "        - {name: b, in: path, examples: {one: {value: first}, two: {value: second}}}\n",
        "        - {name: c, in: path, schema: {type: string, example: sch}}\n",
        "        - {name: d, in: path, schema: {type: integer, default: 7}}\n",
        "        - {name: e, in: path, schema: {type: integer}}\n",
        "        - {name: f, in: path, schema: {type: string}}\n",
        "        - {name: 'filter[name]', in: query, required: true, schema: {type: boolean}}\n",
    ));
    let imported = import(&text);
    let vars: Vec<(&str, &str)> = imported
        .collection
        .vars
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        vars[1..],
        [
            ("a", "ex"),
            ("b", "first"),
            ("c", "sch"),
            ("d", "7"),
            ("e", "1"),
            ("f", "<f>"),
            ("filter_name_", "true")
        ]
    );
    assert_eq!(
        imported.collection.requests[0].query,
        [("filter[name]".to_string(), "{{filter_name_}}".to_string())]
    );
}

#[test]
fn secret_parameters_refer_to_the_environment() {
    let text = spec(concat!(
        "  /a:\n    get:\n      parameters:\n",
        "        - {name: X-Auth-Token, in: header, required: true, example: abc123}\n",
        "        - {name: api_key, in: query, required: true}\n",
        "        - {name: Authorization, in: header, required: true}\n",
        "        - {name: Content-Type, in: header, required: true}\n",
    ));
    let imported = import(&text);
    let r = &imported.collection.requests[0];
    assert_eq!(
        r.headers,
        [(
            "X-Auth-Token".to_string(),
            "{{env.X_AUTH_TOKEN}}".to_string()
        )]
    );
    assert_eq!(
        r.query,
        [("api_key".to_string(), "{{env.API_KEY}}".to_string())]
    );
    assert_eq!(imported.secrets, [("X_AUTH_TOKEN".into(), "abc123".into())]);
    assert!(
        imported
            .dropped
            .iter()
            .any(|d| d.contains("set API_KEY in"))
    );
    assert_eq!(imported.collection.vars.len(), 1);
}

#[test]
fn template_braces_in_examples_are_sent_as_written() {
    let text = spec(concat!(
        "  /a:\n    post:\n      parameters:\n",
        "        - {name: q, in: query, example: '{{x}}'}\n",
        "      requestBody:\n        content:\n          application/json:\n",
        "            example: {a: '{{y}}'}\n",
    ));
    let r = &import(&text).collection.requests[0];
    assert_eq!(r.query, [("q".to_string(), "\\{{x}}".to_string())]);
    assert_eq!(
        r.body,
        Some(SavedBody::Json("{\n  \"a\": \"\\{{y}}\"\n}".into()))
    );
}

#[test]
fn json_is_preferred_and_other_media_types_get_their_content_type() {
    let body = |content: &str| {
        let text = spec(&format!(
            "  /a:\n    post:\n      requestBody:\n        content:\n{content}"
        ));
        import(&text)
    };
    let imported = body(
        "          application/xml:\n            example: <a/>\n          application/json:\n            example: {a: 1}\n",
    );
    let r = &imported.collection.requests[0];
    assert_eq!(json_body(r), json!({"a": 1}));
    assert!(r.headers.is_empty());
    let imported = body("          application/xml:\n            example: <a/>\n");
    let r = &imported.collection.requests[0];
    assert_eq!(r.body, Some(SavedBody::Text("<a/>".into())));
    assert_eq!(
        r.headers,
        [("Content-Type".into(), "application/xml".into())]
    );
    let imported = body("          application/xml:\n            schema: {type: object}\n");
    assert_eq!(
        imported.collection.requests[0].body,
        Some(SavedBody::Text(String::new()))
    );
    assert!(imported.dropped[0].contains("no example of its application/xml body"));
    let imported = body(
        "          application/octet-stream:\n            schema: {type: string, format: binary}\n",
    );
    let r = &imported.collection.requests[0];
    assert_eq!(r.body, Some(SavedBody::File("body.bin".into())));
    assert_eq!(
        r.headers,
        [("Content-Type".into(), "application/octet-stream".into())]
    );
    assert!(imported.dropped[0].contains("its body is a file"));
    // A JSON document written as a YAML string.
    let imported = body("          application/json:\n            example: '{\"a\": [1]}'\n");
    assert_eq!(
        json_body(&imported.collection.requests[0]),
        json!({"a": [1]})
    );
}

#[test]
fn the_media_example_wins_over_examples_and_the_schema() {
    let text = spec(concat!(
        "  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n",
        "            example: {from: example}\n",
        "            examples: {one: {value: {from: examples}}}\n",
        "            schema: {example: {from: schema}}\n",
        "    put:\n      requestBody:\n        content:\n          application/json:\n",
        "            schema: {type: object, example: {from: schema}}\n",
    ));
    let r = import(&text).collection.requests;
    assert_eq!(json_body(&r[0]), json!({"from": "example"}));
    assert_eq!(json_body(&r[1]), json!({"from": "schema"}));
}

#[test]
fn samples_follow_types_formats_and_compositions() {
    let components = concat!(
        "    Base: {type: object, required: [z], properties: {a: {type: string}, z: {type: integer, minimum: 3}}}\n",
        "    Cat: {type: object, properties: {meow: {type: boolean}}}\n",
    );
    let schema = concat!(
        "              type: object\n              properties:\n",
        "                when: {type: string, format: date-time}\n",
        "                id: {type: string, format: uuid}\n",
        "                site: {type: string, format: uri}\n",
        "                level: {type: string, enum: [low, high]}\n",
        "                fixed: {const: 3}\n",
        "                maybe: {type: ['null', number]}\n",
        "                pet: {oneOf: [{$ref: '#/components/schemas/Cat'}, {type: string}]}\n",
        "                any: {anyOf: [{type: integer}, {type: string}]}\n",
        "                both: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {b: {type: number}}}]}\n",
        "                map: {type: object, additionalProperties: {type: integer}}\n",
        "                list: {type: array, items: {type: string, format: email}}\n",
        "                empty: {}\n",
    );
    assert_eq!(
        sample(schema, components),
        json!({
            "when": "2024-01-01T00:00:00Z",
            "id": "00000000-0000-0000-0000-000000000000",
            "site": "https://example.com",
            "level": "low",
            "fixed": 3,
            "maybe": 0,
            "pet": {"meow": true},
            "any": 0,
            "both": {"z": 3, "a": "string", "b": 0},
            "map": {"key": 0},
            "list": ["user@example.com"],
            "empty": {}
        })
    );
}

#[test]
fn samples_stop_six_levels_deep() {
    let mut schema = String::from("{type: string}");
    for _ in 0..8 {
        schema = format!("{{type: object, properties: {{n: {schema}}}}}");
    }
    let value = sample(&format!("              {schema}\n"), "    X: {}\n");
    let mut depth = 0;
    let mut v = &value;
    while let Some(next) = v.get("n") {
        depth += 1;
        v = next;
    }
    assert_eq!(depth, 6, "{value}");
    assert_eq!(*v, json!({}));
}

#[test]
fn security_requirements_choose_profiles() {
    let text = concat!(
        "openapi: 3.0.0\nsecurity: []\n",
        "components:\n  securitySchemes:\n",
        "    key: {type: apiKey, in: header, name: X-Key}\n",
        "    oidc: {type: openIdConnect, openIdConnectUrl: https://x}\n",
        "paths:\n  /a:\n",
        "    get: {security: [{key: []}]}\n",
        "    put: {security: [{}]}\n",
        "    post: {security: [{oidc: []}]}\n",
        "    delete: {}\n",
    );
    let imported = import(text);
    let c = &imported.collection;
    assert_eq!(c.settings.auth, None);
    let auth: Vec<Option<AuthChoice>> =
        c.requests.iter().map(|r| r.settings.auth.clone()).collect();
    // `[{}]` (anonymous) with nothing inherited needs no `none`.
    assert_eq!(
        auth,
        [Some(AuthChoice::Profile("key".into())), None, None, None]
    );
    assert_eq!(
        c.auth[0].1,
        AuthProfile::ApiKey {
            name: "X-Key".into(),
            value: "{{env.KEY}}".into(),
            location: crate::model::KeyLocation::Header
        }
    );
    let text = text.replace("security: []", "security: [{key: []}]");
    let imported = import(&text);
    let auth: Vec<Option<AuthChoice>> = imported
        .collection
        .requests
        .iter()
        .map(|r| r.settings.auth.clone())
        .collect();
    // The same as the collection's: inherited; anonymous: none; a scheme without a profile:
    // none, not the collection's credentials.
    assert_eq!(
        auth,
        [None, Some(AuthChoice::None), Some(AuthChoice::None), None]
    );
    assert!(
        imported.dropped.iter().any(|d| d.ends_with(
            "none of its security schemes has a scout auth profile; it is sent without auth"
        )),
        "{:?}",
        imported.dropped
    );
    assert_eq!(
        imported.collection.settings.auth,
        Some(AuthChoice::Profile("key".into()))
    );
}

#[test]
fn documented_responses_become_the_expected_statuses() {
    let text = spec(concat!(
        "  /a:\n    get:\n      responses: {'200': {}, 201: {}, 5XX: {}, default: {}, x-foo: {}}\n",
        "    put:\n      responses: {default: {}}\n",
        "    post:\n      responses: {'405': {description: Invalid input}}\n",
    ));
    let r = import(&text).collection.requests;
    assert_eq!(
        r[0].expect.as_ref().map(|e| e.status.clone()),
        Some(vec![
            StatusPattern::Code(200),
            StatusPattern::Code(201),
            StatusPattern::Class(5)
        ])
    );
    assert_eq!(r[1].expect, None);
    // Only a failure documented: a success passes too.
    assert_eq!(
        r[2].expect.as_ref().map(|e| e.status.clone()),
        Some(vec![StatusPattern::Class(2), StatusPattern::Code(405)])
    );
}

/// Found by fuzzing: a tag with a `/` (`pe/`) made a folder with an empty part, and the
/// collection written did not load. A tag is one folder; its `/` becomes `-`.
#[test]
fn a_tag_with_a_slash_is_one_folder() {
    let text = format!(
        "{}tags:\n  - {{name: 'pe/', description: Pets}}\n",
        spec("  /a:\n    get:\n      tags: ['pe/', other]\n      responses: {'200': {}}\n")
    );
    let imported = import(&text);
    assert_eq!(
        imported.collection.requests[0].folder.as_deref(),
        Some("pe-")
    );
    assert_eq!(imported.collection.folders[0].path, "pe-");
    assert_eq!(
        imported.collection.folders[0].description.as_deref(),
        Some("Pets")
    );
}

/// Found by fuzzing: a code of three bytes that are not three characters (`էx`) panicked.
#[test]
fn response_codes_that_are_not_ascii_are_left_out() {
    let text =
        spec("  /a:\n    get:\n      responses: {'էx': {}, 'x€': {}, '2xx': {}, '6XX': {}}\n");
    let r = import(&text).collection.requests;
    assert_eq!(
        r[0].expect.as_ref().map(|e| e.status.clone()),
        Some(vec![StatusPattern::Class(2)])
    );
}

#[test]
fn an_operation_server_replaces_base_url() {
    let text = spec(
        "  /a:\n    servers: [{url: 'https://{tenant}.files.test', variables: {tenant: {default: acme}}}]\n    get: {}\n",
    );
    let imported = import(&text);
    assert_eq!(
        imported.collection.requests[0].url,
        "https://{{tenant}}.files.test/a"
    );
    assert!(
        imported
            .collection
            .vars
            .contains(&("tenant".into(), "acme".into()))
    );
}

#[test]
fn bad_refs_are_errors_naming_the_ref() {
    let with = |schema: &str, components: &str| {
        let text = format!(
            "{}components:\n  schemas:\n{components}",
            spec(&format!(
                "  /x:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n"
            ))
        );
        import_text(&text).unwrap_err().to_string()
    };
    let e = with(
        "{$ref: '#/components/schemas/A'}",
        "    A: {$ref: '#/components/schemas/A'}\n",
    );
    assert!(
        e.starts_with("$ref cycle: #/components/schemas/A → #/components/schemas/A"),
        "{e}"
    );
    let e = with("{$ref: '#Pet'}", "    A: {}\n");
    assert!(e.contains("only JSON-pointer fragments"), "{e}");
    let e = with("{$ref: 'nowhere.yaml#/A'}", "    A: {}\n");
    assert!(
        e.contains("$ref `nowhere.yaml#/A`: cannot read nowhere.yaml"),
        "{e}"
    );
    // A pointer missing in another file: that file's name and line.
    let e = with("{$ref: 'split/common.yaml#/schemas/Nope'}", "    A: {}\n");
    assert!(
        e.contains("split/common.yaml has no `/schemas/Nope`"),
        "{e}"
    );
}

#[test]
fn a_remote_parameter_is_left_out_and_named() {
    let text =
        spec("  /a:\n    get:\n      parameters:\n        - $ref: 'https://x.test/p.yaml#/P'\n");
    let imported = import(&text);
    assert!(imported.collection.requests[0].query.is_empty());
    assert!(
        imported.dropped[0].contains("is remote and not fetched"),
        "{:?}",
        imported.dropped
    );
}
