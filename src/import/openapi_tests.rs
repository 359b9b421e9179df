//! The fixtures (3.0 YAML, 3.1 JSON, Swagger 2.0, a split specification, a recursive schema)
//! imported end to end and loaded back.

use std::path::{Path, PathBuf};

use super::*;
use crate::collection::SavedBody;
use crate::model::{KeyLocation, MultipartLine};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/openapi")
}

pub(super) fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(super) fn import_file(name: &str) -> Result<Imported, ImportError> {
    let path = fixtures().join(name);
    let text = read_fixture(name);
    let source = Source {
        text: &text,
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        ..Source::default()
    };
    crate::import::import(crate::import::Format::OpenApi, &source)
}

pub(super) fn import_text(text: &str) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: fixtures(),
        ..Source::default()
    };
    crate::import::import(crate::import::Format::OpenApi, &source)
}

/// `(method, url)` of every request, in order.
fn lines(imported: &Imported) -> Vec<String> {
    imported
        .collection
        .requests
        .iter()
        .map(|r| format!("{} {}", r.method.as_str(), r.url))
        .collect()
}

fn request<'a>(imported: &'a Imported, id: &str) -> &'a SavedRequest {
    imported
        .collection
        .requests
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no request {id}"))
}

/// Written as a collection file, it loads back with the same requests.
pub(super) fn loads_back(imported: &Imported) {
    let merged = crate::collection::merge::merge("", &imported.collection, None)
        .unwrap_or_else(|e| panic!("merge: {e}"));
    let parsed = crate::collection::parse_collection(&merged.text, Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", merged.text));
    assert_eq!(parsed.requests.len(), imported.collection.requests.len());
    for (a, b) in parsed.requests.iter().zip(&imported.collection.requests) {
        assert_eq!((&a.id, a.method, &a.url), (&b.id, b.method, &b.url));
        assert_eq!(a.body, b.body, "{}", a.id);
        assert_eq!(a.expect, b.expect, "{}", a.id);
    }
    assert_eq!(parsed.auth, imported.collection.auth);
    assert_eq!(parsed.vars, imported.collection.vars);
}

#[test]
fn petstore_3_0_yaml_imports_every_operation_but_trace() {
    let imported = import_file("petstore-3.0.yaml").unwrap();
    assert_eq!(
        lines(&imported),
        [
            "GET {{base_url}}/pets",
            "POST {{base_url}}/pets",
            "GET {{base_url}}/pets/{{petId}}",
            "PUT {{base_url}}/pets/{{petId}}",
            "DELETE {{base_url}}/pets/{{petId}}",
            "POST {{base_url}}/pets/{{petId}}/photo",
            "POST {{base_url}}/store/orders",
            "GET {{base_url}}/store/inventory",
            "GET {{base_url}}/health",
            "POST {{base_url}}/notes",
        ]
    );
    let c = &imported.collection;
    assert_eq!(c.name, "Swagger Petstore");
    let ids: Vec<&str> = c.requests.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "list-pets",
            "create-pet",
            "show-pet-by-id",
            "update-pet",
            "delete-pet",
            "upload-photo",
            "place-order",
            "get-inventory",
            "get-health",
            "write-a-note"
        ]
    );
    let folders: Vec<Option<&str>> = c.requests.iter().map(|r| r.folder.as_deref()).collect();
    assert_eq!(folders[0], Some("pets"));
    assert_eq!(folders[6], Some("store"));
    assert_eq!(folders[8], None);
    // Tags with a description that name a folder; `unused` names none.
    let described: Vec<(&str, Option<&str>)> = c
        .folders
        .iter()
        .map(|f| (f.path.as_str(), f.description.as_deref()))
        .collect();
    assert_eq!(
        described,
        [
            ("pets", Some("Everything about your pets")),
            ("store", Some("Orders"))
        ]
    );
    assert!(
        imported
            .dropped
            .iter()
            .any(|d| d == "TRACE /notes: scout has no TRACE method, dropped"),
        "{:?}",
        imported.dropped
    );
    assert!(imported.secrets.is_empty());
    loads_back(&imported);
}

#[test]
fn petstore_3_0_servers_become_base_url_and_environments() {
    let imported = import_file("petstore-3.0.yaml").unwrap();
    let c = &imported.collection;
    assert_eq!(
        c.vars[..3],
        [
            (
                "base_url".to_string(),
                "https://{{region}}.petstore.example.com/{{basePath}}".to_string()
            ),
            ("region".to_string(), "eu".to_string()),
            ("basePath".to_string(), "v1".to_string()),
        ]
    );
    let envs: Vec<(&str, &str)> = c
        .environments
        .iter()
        .map(|e| (e.name.as_str(), e.vars[0].1.as_str()))
        .collect();
    assert_eq!(
        envs,
        [
            (
                "production",
                "https://{{region}}.petstore.example.com/{{basePath}}"
            ),
            ("local-development", "http://localhost:8080/v1"),
        ]
    );
    assert_eq!(c.environments[0].vars.len(), 3);
}

#[test]
fn petstore_3_0_parameters_bodies_auth_and_expects() {
    let imported = import_file("petstore-3.0.yaml").unwrap();
    let list = request(&imported, "list-pets");
    assert_eq!(list.name.as_deref(), Some("List all pets"));
    assert_eq!(
        list.description.as_deref(),
        Some("Returns the pets, a page at a time.")
    );
    // Optional with a default: its value; required: a variable; optional without one: left out.
    assert_eq!(
        list.query,
        [
            ("limit".to_string(), "20".to_string()),
            ("status".to_string(), "{{status}}".to_string())
        ]
    );
    // The path-level header (by $ref) and the operation's; `Accept` is not a parameter.
    assert_eq!(
        list.headers,
        [
            ("X-Request-ID".to_string(), "{{X-Request-ID}}".to_string()),
            ("X-Trace".to_string(), "trace-me".to_string())
        ]
    );
    assert_eq!(
        list.expect.as_ref().map(|e| e.status.clone()),
        Some(vec![StatusPattern::Code(200), StatusPattern::Class(4)])
    );
    let vars = &imported.collection.vars;
    assert!(vars.contains(&("status".into(), "available".into())));
    assert!(vars.contains(&("petId".into(), "42".into())));

    // The first of `examples`.
    let create = request(&imported, "create-pet");
    assert_eq!(
        create.body,
        Some(SavedBody::Json(
            "{\n  \"name\": \"doggie\",\n  \"tag\": \"dog\"\n}".into()
        ))
    );
    // A `+json` type is JSON with its Content-Type; `allOf` merged, read-only `id` left out.
    let update = request(&imported, "update-pet");
    assert_eq!(update.name.as_deref(), Some("updatePet"));
    assert_eq!(
        update.headers,
        [(
            "Content-Type".to_string(),
            "application/merge-patch+json".to_string()
        )]
    );
    let Some(SavedBody::Json(text)) = &update.body else {
        panic!("{:?}", update.body)
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(body["owner"]["email"], "user@example.com");
    assert_eq!(body["born"], "2024-01-01");
    assert!(body.get("id").is_none(), "{body}");
    assert_eq!(
        update.settings.auth,
        Some(AuthChoice::Profile("oauthClient".into()))
    );

    let delete = request(&imported, "delete-pet");
    assert_eq!(delete.settings.auth, Some(AuthChoice::None));
    assert_eq!(
        delete.headers,
        [(
            "Cookie".to_string(),
            "session_id={{env.SESSION_ID}}; theme=dark".to_string()
        )]
    );
    // Only `default`: nothing to expect.
    assert_eq!(request(&imported, "get-inventory").expect, None);

    let upload = request(&imported, "upload-photo");
    assert_eq!(
        upload.body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::File {
                name: "photo".into(),
                path: "photo".into(),
                content_type: Some("image/png".into())
            },
            MultipartLine::Field {
                name: "caption".into(),
                value: "Sleeping".into()
            },
        ]))
    );
    assert_eq!(
        upload.settings.auth,
        Some(AuthChoice::Profile("apiKeyHeader".into()))
    );
    let order = request(&imported, "place-order");
    assert_eq!(
        order.body,
        Some(SavedBody::Form(vec![
            ("petId".into(), "7".into()),
            ("quantity".into(), "1".into()),
            ("status".into(), "placed".into()),
            ("complete".into(), "true".into()),
        ]))
    );
    assert!(order.headers.is_empty());
    let note = request(&imported, "write-a-note");
    assert_eq!(note.body, Some(SavedBody::Text("# A note".into())));
    assert_eq!(
        note.headers,
        [("Content-Type".to_string(), "text/markdown".to_string())]
    );
}

#[test]
fn petstore_3_0_security_schemes_become_profiles_or_dropped_lines() {
    let imported = import_file("petstore-3.0.yaml").unwrap();
    let c = &imported.collection;
    assert_eq!(
        c.settings.auth,
        Some(AuthChoice::Profile("bearerAuth".into()))
    );
    let names: Vec<&str> = c.auth.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "bearerAuth",
            "basicAuth",
            "digestAuth",
            "apiKeyHeader",
            "apiKeyQuery",
            "oauthClient"
        ]
    );
    let profile = |name: &str| &c.auth.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(
        profile("bearerAuth"),
        &AuthProfile::Bearer {
            token: "{{env.BEARERAUTH_TOKEN}}".into()
        }
    );
    assert_eq!(
        profile("basicAuth"),
        &AuthProfile::Basic {
            username: "{{env.BASICAUTH_USERNAME}}".into(),
            password: "{{env.BASICAUTH_PASSWORD}}".into()
        }
    );
    assert_eq!(
        profile("apiKeyQuery"),
        &AuthProfile::ApiKey {
            name: "api_key".into(),
            value: "{{env.APIKEYQUERY}}".into(),
            location: KeyLocation::Query
        }
    );
    assert_eq!(
        profile("oauthClient"),
        &AuthProfile::OAuth2ClientCredentials {
            token_url: "https://auth.petstore.example.com/token".into(),
            client_id: "{{env.OAUTHCLIENT_CLIENT_ID}}".into(),
            client_secret: "{{env.OAUTHCLIENT_CLIENT_SECRET}}".into(),
            scopes: vec!["read:pets".into(), "write:pets".into()],
            audience: None
        }
    );
    let dropped = imported.dropped.join("\n");
    for scheme in ["hobaAuth", "apiKeyCookie", "oauthCode", "openId", "mtls"] {
        assert!(
            dropped.contains(&format!("`{scheme}`")),
            "{scheme}: {dropped}"
        );
    }
    assert!(
        dropped.contains("set BEARERAUTH_TOKEN, BASICAUTH_USERNAME"),
        "{dropped}"
    );
    assert!(dropped.contains("1 callback not imported"), "{dropped}");
}

#[test]
fn museum_3_1_json_reads_examples_type_lists_and_refs_with_siblings() {
    let imported = import_file("museum-3.1.json").unwrap();
    assert_eq!(
        lines(&imported),
        [
            "GET {{base_url}}/museum-hours",
            "POST {{base_url}}/special-events",
            "PATCH {{base_url}}/special-events/{{eventId}}",
            "POST {{base_url}}/tickets",
        ]
    );
    let hours = request(&imported, "get-museum-hours");
    assert_eq!(
        hours.query,
        [
            ("startDate".to_string(), "2023-02-23".to_string()),
            ("page".to_string(), "{{page}}".to_string())
        ]
    );
    let vars = &imported.collection.vars;
    assert!(vars.contains(&("page".into(), "1".into())), "{vars:?}");
    assert!(vars.contains(&(
        "eventId".into(),
        "00000000-0000-0000-0000-000000000000".into()
    )));
    let Some(SavedBody::Json(text)) = &request(&imported, "create-special-event").body else {
        panic!()
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "Pirate Coding Workshop",
            "location": "Computer Room",
            "eventDescription": "string",
            "dates": ["2024-01-01"],
            "price": 25
        })
    );
    let Some(SavedBody::Json(text)) = &request(&imported, "buy-museum-tickets").body else {
        panic!()
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(body["ticketType"], "event");
    assert_eq!(body["guide"], serde_json::json!({}));
    assert_eq!(
        request(&imported, "buy-museum-tickets")
            .expect
            .as_ref()
            .map(|e| e.status.clone()),
        Some(vec![StatusPattern::Class(2)])
    );
    let dropped = imported.dropped.join("\n");
    assert!(dropped.contains("1 webhook not imported"), "{dropped}");
    assert!(
        dropped.contains("$ref `https://schemas.example.com/guide.json` is remote"),
        "{dropped}"
    );
    loads_back(&imported);
}

#[test]
fn swagger_2_0_json_reads_host_body_and_form_parameters() {
    let imported = import_file("petstore-2.0.json").unwrap();
    assert_eq!(
        lines(&imported),
        [
            "POST {{base_url}}/pet",
            "GET {{base_url}}/pet/findByStatus",
            "GET {{base_url}}/pet/{{petId}}",
            "POST {{base_url}}/pet/{{petId}}",
            "POST {{base_url}}/pet/{{petId}}/uploadImage",
        ]
    );
    let c = &imported.collection;
    assert_eq!(
        c.vars[0],
        (
            "base_url".to_string(),
            "https://petstore.swagger.example.com/v2".to_string()
        )
    );
    let envs: Vec<&str> = c.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(envs, ["https", "http"]);
    assert_eq!(c.settings.auth, Some(AuthChoice::Profile("api_key".into())));
    let add = request(&imported, "add-pet");
    // The implicit flow has no profile: the next requirement is used.
    assert_eq!(
        add.settings.auth,
        Some(AuthChoice::Profile("machine".into()))
    );
    let Some(SavedBody::Json(text)) = &add.body else {
        panic!()
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(body["name"], "doggie");
    assert_eq!(body["photoUrls"], serde_json::json!(["string"]));
    assert_eq!(
        body["category"],
        serde_json::json!({"id": 0, "name": "string"})
    );
    assert_eq!(
        request(&imported, "find-pets-by-status").query,
        [("status".to_string(), "{{status}}".to_string())]
    );
    assert!(c.vars.contains(&("status".into(), "available".into())));
    assert!(c.vars.contains(&("petId".into(), "1".into())));
    assert_eq!(
        request(&imported, "update-pet-with-form").body,
        Some(SavedBody::Form(vec![
            ("status".into(), "string".into()),
            ("name".into(), "Rex".into())
        ]))
    );
    assert_eq!(
        request(&imported, "upload-file").body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "additionalMetadata".into(),
                value: "string".into()
            },
            MultipartLine::File {
                name: "file".into(),
                path: "file".into(),
                content_type: None
            },
        ]))
    );
    let machine = &c.auth.iter().find(|(n, _)| n == "machine").unwrap().1;
    assert!(matches!(
        machine,
        AuthProfile::OAuth2ClientCredentials { token_url, scopes, .. }
            if token_url == "https://petstore.swagger.example.com/oauth/token"
                && scopes == &["read:pets"]
    ));
    assert!(
        imported
            .dropped
            .iter()
            .any(|d| d.contains("`petstore_auth`"))
    );
    loads_back(&imported);
}

#[test]
fn a_split_specification_reads_its_files_relative_to_each_other() {
    let imported = import_file("split/openapi.yaml").unwrap();
    assert_eq!(
        lines(&imported),
        [
            "GET {{base_url}}/pets",
            "POST {{base_url}}/pets",
            "POST {{base_url}}/pets/{{petId}}/notes",
        ]
    );
    let c = &imported.collection;
    assert_eq!(c.vars[0], ("base_url".to_string(), "/api/v1".to_string()));
    assert!(c.vars.contains(&("limit".into(), "25".into())));
    assert!(c.vars.contains(&("petId".into(), "pet-1".into())));
    let Some(SavedBody::Json(text)) = &request(&imported, "create-pet").body else {
        panic!()
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "Rex",
            "tags": [{"label": "friendly"}],
            "owner": {"email": "user@example.com"}
        })
    );
    // `a~1b%20c`: the key `a/b c`.
    assert_eq!(
        request(&imported, "add-note").body,
        Some(SavedBody::Json("{\n  \"text\": \"Likes walks\"\n}".into()))
    );
    assert_eq!(
        imported.dropped,
        ["server `/api/v1` is relative: put the API's host in front of it in base_url"]
    );
    loads_back(&imported);
}

#[test]
fn a_recursive_schema_stops_where_it_repeats() {
    let imported = import_file("tree.yaml").unwrap();
    assert_eq!(lines(&imported), ["POST {{base_url}}/trees"]);
    let Some(SavedBody::Json(text)) = &imported.collection.requests[0].body else {
        panic!()
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"label": "string", "parent": {}, "children": []})
    );
    loads_back(&imported);
}

/// Found by fuzzing (fuzz/regressions/import_openapi/json-string-body): a JSON body that is one
/// string (`"string"`, the example of an unknown type) was written as a TOML string, which
/// reads back as the JSON text `string`.
#[test]
fn a_json_body_that_is_a_string_loads_back_the_same() {
    let text = "openapi: 3.\npaths:\n e:\n  post:\n   requestBody:\n    content:\n     application/json:\n       schema:\n         type: te\nne:\n";
    let imported = import_text(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        imported.collection.requests[0].body,
        Some(crate::collection::SavedBody::Json("\"string\"".into()))
    );
    loads_back(&imported);
}
