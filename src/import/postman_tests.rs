//! Postman collections as scout collections: folders, variables, every body mode and auth kind,
//! what is dropped, and the inputs that cannot be read.

use std::path::{Path, PathBuf};

use super::*;
use crate::collection::{Collection, SavedBody};
use crate::import::Format;
use crate::model::settings::Settings;
use crate::model::{AuthProfile, KeyLocation, MultipartLine};

const SHOP: &str = include_str!("../../tests/fixtures/import/postman/shop.postman_collection.json");
const LEGACY: &str = include_str!("../../tests/fixtures/import/postman/legacy-v2.0.json");
const ENV: &str =
    include_str!("../../tests/fixtures/import/postman/shop-dev.postman_environment.json");
const V1: &str = include_str!("../../tests/fixtures/import/postman/v1.json");
const TRUNCATED: &str = include_str!("../../tests/fixtures/import/postman/truncated.json");

fn read(text: &str, env_file: Option<&str>) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: PathBuf::from("."),
        filter: None,
        env_file,
        ..Source::default()
    };
    crate::import::import(Format::Postman, &source)
}

fn import_text(text: &str) -> Imported {
    read(text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The collection as `scout import` writes it, loaded back.
fn loads_back(collection: &Collection) -> Collection {
    let merged = crate::collection::merge::merge("", collection, None).expect("merge");
    crate::collection::parse_collection(&merged.text, Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", merged.text))
}

fn request<'a>(imported: &'a Imported, path: &str) -> &'a SavedRequest {
    imported
        .collection
        .find(path)
        .unwrap_or_else(|| panic!("no request {path}"))
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
fn folders_nest_and_requests_keep_their_names_and_order() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    assert_eq!(c.name, "Shop API");
    let paths: Vec<String> = c.requests.iter().map(SavedRequest::path).collect();
    assert_eq!(
        paths,
        [
            "Auth/login",
            "Auth/sign-in-form",
            "Catalog/list-products",
            "Catalog/get-product",
            "Catalog/Products - Variants/create-variant",
            "Uploads/upload-avatar",
            "Uploads/upload-csv",
            "search-graphql",
            "export-xml",
            "legacy-report",
            "audit-log",
            "partner-stock",
            "orders-same-token",
            "s3-bucket",
            "sign-in-with-shop-id",
            "health",
            "old-checkout",
            "purge-cdn",
        ]
    );
    let login = request(&imported, "Auth/login");
    assert_eq!(login.name.as_deref(), Some("Login"));
    assert_eq!(login.method, Method::Post);
    assert_eq!(login.url, "{{baseUrl}}/auth/login");
    assert_eq!(
        login.description.as_deref(),
        Some("Exchanges an e-mail and password for an access token.")
    );
    let get = request(&imported, "Catalog/get-product");
    assert_eq!(
        get.description.as_deref(),
        Some("One product, with its variants.")
    );
    assert_eq!(
        c.folders[0],
        FolderSettings {
            path: "Auth".into(),
            settings: Settings {
                auth: Some(AuthChoice::None),
                ..Settings::default()
            },
            description: Some("Signing in and out.".into()),
        }
    );
    loads_back(c);
}

#[test]
fn variables_become_vars_with_secrets_hidden_and_switched_off_ones_named() {
    let imported = import_text(SHOP);
    let vars = &imported.collection.vars;
    assert_eq!(
        vars,
        &[
            (
                "baseUrl".to_string(),
                "https://api.shop.example.com/v1".to_string()
            ),
            ("pageSize".to_string(), "20".to_string()),
            ("apiKey".to_string(), "{{env.APIKEY}}".to_string()),
            ("productId".to_string(), "42".to_string()),
        ]
    );
    assert!(
        imported
            .secrets
            .contains(&("APIKEY".into(), "k-8842-live".into()))
    );
    assert!(has_line(
        &imported,
        "the collection: variable `debugMode` is switched off in Postman, dropped"
    ));
}

#[test]
fn path_variables_become_templates_with_their_values_in_vars() {
    let imported = import_text(SHOP);
    let get = request(&imported, "Catalog/get-product");
    assert_eq!(get.url, "{{baseUrl}}/products/{{productId}}");
    let create = request(&imported, "Catalog/Products - Variants/create-variant");
    assert_eq!(create.url, "{{baseUrl}}/products/{{productId}}/variants");
    // A port is not a path variable; a differing value is named, the first kept.
    let text = collection(
        r#"{"name": "a", "request": {"url": {"raw": "http://localhost:8080/u/:id",
             "variable": [{"key": "id", "value": "1"}]}}},
           {"name": "b", "request": {"url": {"raw": "http://localhost:8080/u/:id/x",
             "variable": [{"key": "id", "value": "2"}]}}},
           {"name": "c", "request": {"url": {"raw": "http://h/u/:id/:other",
             "variable": [{"key": "other", "value": ""}, {"key": "id", "value": "{{id}}"}]}}}"#,
    );
    let imported = import_text(&text);
    let r = &imported.collection.requests;
    assert_eq!(r[0].url, "http://localhost:8080/u/{{id}}");
    assert_eq!(r[2].url, "http://h/u/{{id}}/{{other}}");
    assert_eq!(
        imported.collection.vars,
        [("id".to_string(), "1".to_string())]
    );
    assert!(has_line(&imported, "request `b`: its `id` differs"));
    assert!(has_line(
        &imported,
        "request `c`: path variable `other` has no value"
    ));
}

#[test]
fn query_headers_and_switched_off_parts() {
    let imported = import_text(SHOP);
    let list = request(&imported, "Catalog/list-products");
    assert_eq!(list.url, "{{baseUrl}}/products");
    assert_eq!(
        list.query,
        [
            ("page".to_string(), "1".to_string()),
            ("limit".to_string(), "{{pageSize}}".to_string())
        ]
    );
    assert_eq!(
        list.headers,
        [
            ("Accept".to_string(), "application/json".to_string()),
            ("X-Api-Key".to_string(), "{{apiKey}}".to_string())
        ]
    );
    assert_eq!(
        list.disabled_headers,
        [("X-Debug".to_string(), "1".to_string())]
    );
    assert!(has_line(
        &imported,
        "request `List products`: query parameter `sort` is switched off"
    ));
    // disableBodyPruning is scout's behaviour already: nothing to say.
    assert!(!has_line(&imported, "`disableBodyPruning`"));
}

#[test]
fn each_body_mode_maps_to_scout_s() {
    let imported = import_text(SHOP);
    let login = request(&imported, "Auth/login");
    assert_eq!(
        login.body,
        Some(SavedBody::Json(
            "{\n    \"email\": \"ada@example.com\",\n    \"password\": \"{{password}}\"\n}".into()
        ))
    );
    let form = request(&imported, "Auth/sign-in-form");
    assert_eq!(
        form.body,
        Some(SavedBody::Form(vec![
            ("username".into(), "ada".into()),
            ("password".into(), "{{env.PASSWORD}}".into()),
        ]))
    );
    assert!(has_line(&imported, "form field `remember` is switched off"));
    let upload = request(&imported, "Uploads/upload-avatar");
    assert_eq!(
        upload.body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "caption".into(),
                value: "Ada at the beach".into()
            },
            MultipartLine::File {
                name: "avatar".into(),
                path: PathBuf::from("/Users/ada/Pictures/avatar.png"),
                content_type: None
            },
        ]))
    );
    // scout writes its own multipart Content-Type, with the boundary.
    assert!(upload.headers.is_empty(), "{:?}", upload.headers);
    assert!(has_line(
        &imported,
        "multipart file part `thumbnail` has no file chosen"
    ));
    assert!(has_line(
        &imported,
        "multipart part `legacy` is switched off"
    ));
    let csv = request(&imported, "Uploads/upload-csv");
    assert_eq!(csv.body, Some(SavedBody::File("data/products.csv".into())));
    let graphql = request(&imported, "search-graphql");
    let Some(SavedBody::Json(text)) = &graphql.body else {
        panic!("{:?}", graphql.body);
    };
    let sent: serde_json::Value = serde_json::from_str(text).expect("json");
    assert_eq!(sent["variables"], serde_json::json!({"first": 10}));
    assert!(
        sent["query"]
            .as_str()
            .is_some_and(|q| q.starts_with("query Search"))
    );
    let xml = request(&imported, "export-xml");
    assert_eq!(
        xml.body,
        Some(SavedBody::Text("<export format=\"full\"/>".into()))
    );
    assert_eq!(
        xml.headers,
        [("Content-Type".to_string(), "application/xml".to_string())]
    );
}

#[test]
fn raw_json_that_does_not_parse_is_text_sent_as_json_and_graphql_keeps_templates() {
    let text = collection(
        r#"{"name": "bad", "request": {"method": "POST", "url": "http://h/",
             "body": {"mode": "raw", "raw": "{oops", "options": {"raw": {"language": "json"}}}}},
           {"name": "gql", "request": {"method": "POST", "url": "http://h/",
             "body": {"mode": "graphql", "graphql": {"query": "{ me }", "variables": "{\"id\": {{id}}}"}}}},
           {"name": "off", "request": {"method": "POST", "url": "http://h/",
             "body": {"mode": "raw", "raw": "x", "disabled": true}}},
           {"name": "gql2", "request": {"method": "POST", "url": "http://h/",
             "body": {"mode": "graphql", "graphql": {"query": "{ me }", "variables": "{nope"}}}}"#,
    );
    let imported = import_text(&text);
    let r = &imported.collection.requests;
    assert_eq!(r[0].body, Some(SavedBody::Text("{oops".into())));
    assert_eq!(
        r[0].headers,
        [("Content-Type".to_string(), "application/json".to_string())]
    );
    assert_eq!(
        r[1].body,
        Some(SavedBody::Json(
            "{\n  \"query\": \"{ me }\",\n  \"variables\": {\"id\": {{id}}}\n}".into()
        ))
    );
    assert_eq!(r[2].body, None);
    let Some(SavedBody::Json(text)) = &r[3].body else {
        panic!("{:?}", r[3].body);
    };
    assert!(text.contains("\"variables\": {}"), "{text}");
    assert!(has_line(
        &imported,
        "request `gql2`: its GraphQL variables are not valid JSON"
    ));
    loads_back(&imported.collection);
}

#[test]
fn each_auth_kind_becomes_a_profile_reused_when_identical() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    let names: Vec<&str> = c.auth.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bearer", "oauth2", "basic", "digest", "api-key"]);
    assert_eq!(
        c.auth[0].1,
        AuthProfile::Bearer {
            token: "{{env.BEARER_TOKEN}}".into()
        }
    );
    assert_eq!(
        c.auth[1].1,
        AuthProfile::OAuth2ClientCredentials {
            token_url: "https://auth.shop.example.com/oauth/token".into(),
            client_id: "uploader".into(),
            client_secret: "{{env.OAUTH2_CLIENT_SECRET}}".into(),
            scopes: vec!["uploads:write".into(), "media:read".into()],
            audience: None,
        }
    );
    assert_eq!(
        c.auth[2].1,
        AuthProfile::Basic {
            username: "reports".into(),
            password: "{{env.BASIC_PASSWORD}}".into()
        }
    );
    assert_eq!(
        c.auth[3].1,
        AuthProfile::Digest {
            username: "auditor".into(),
            password: "{{env.DIGEST_PASSWORD}}".into()
        }
    );
    assert_eq!(
        c.auth[4].1,
        AuthProfile::ApiKey {
            name: "api_key".into(),
            value: "{{env.API_KEY_KEY}}".into(),
            location: KeyLocation::Query
        }
    );
    assert_eq!(c.settings.auth_profile(), Some("bearer"));
    let uploads = c
        .folders
        .iter()
        .find(|f| f.path == "Uploads")
        .expect("folder");
    assert_eq!(uploads.settings.auth_profile(), Some("oauth2"));
    let auth_of = |path: &str| request(&imported, path).settings.auth.clone();
    assert_eq!(
        auth_of("orders-same-token"),
        Some(AuthChoice::Profile("bearer".into()))
    );
    assert_eq!(auth_of("health"), Some(AuthChoice::None));
    assert_eq!(auth_of("search-graphql"), None);
    // Not sendable by scout: named, and sent without (not with the collection's bearer).
    assert_eq!(auth_of("s3-bucket"), Some(AuthChoice::None));
    assert!(has_line(
        &imported,
        "request `S3 bucket`: Postman's awsv4 auth is not supported"
    ));
    assert!(has_line(
        &imported,
        "request `Sign in with Shop ID`: OAuth 2.0 with the authorization_code grant"
    ));
    // The settings the requests end up with.
    let login = request(&imported, "Auth/login");
    assert_eq!(c.settings_for(login).auth_profile(), None);
    assert_eq!(
        c.settings_for(request(&imported, "export-xml"))
            .auth_profile(),
        Some("bearer")
    );
}

#[test]
fn no_secret_stays_in_the_collection_or_the_dropped_lines() {
    let imported = import_text(SHOP);
    let merged = crate::collection::merge::merge("", &imported.collection, None).expect("merge");
    let secrets = [
        "k-8842-live",
        "correct-horse-battery",
        "cs-9f8e7d6c",
        "s3cret-basic",
        "d1gest-pw",
        "pk-5521-partner",
        "eyJhbGciOiJIUzI1NiJ9",
        "aws-secret-key-value",
    ];
    for s in secrets {
        assert!(!merged.text.contains(s), "{s} in\n{}", merged.text);
        assert!(!imported.dropped.iter().any(|l| l.contains(s)), "{s}");
    }
    let names: Vec<&str> = imported.secrets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "APIKEY",
            "BEARER_TOKEN",
            "PASSWORD",
            "OAUTH2_CLIENT_SECRET",
            "BASIC_PASSWORD",
            "DIGEST_PASSWORD",
            "API_KEY_KEY"
        ]
    );
}

#[test]
fn scripts_dynamic_variables_and_unsendable_requests_are_named_once() {
    let imported = import_text(SHOP);
    let d = &imported.dropped;
    assert!(has_line(
        &imported,
        "the collection: Postman scripts (prerequest) are not run by scout, dropped"
    ));
    assert!(has_line(
        &imported,
        "request `Login`: Postman scripts (test) are not run by scout, dropped"
    ));
    let dynamic: Vec<&String> = d
        .iter()
        .filter(|l| l.contains("dynamic variables"))
        .collect();
    assert_eq!(dynamic.len(), 3, "{d:#?}");
    assert_eq!(
        dynamic[0],
        "{{$guid}}: Postman's dynamic variables are not supported (scout has no generated \
         values, and `$guid` is not a variable name); requests using it cannot be sent until it \
         is replaced by a value or a variable"
    );
    assert!(dynamic[1].starts_with("{{$timestamp}}") && dynamic[2].starts_with("{{$randomInt}}"));
    // The text is left as written.
    let create = request(&imported, "Catalog/Products - Variants/create-variant");
    assert!(matches!(&create.body, Some(SavedBody::Json(t)) if t.contains("{{$guid}}")));
    assert_eq!(request(&imported, "purge-cdn").method.as_str(), "PURGE");
    assert!(has_line(
        &imported,
        "request `Old checkout`: Postman settings `strictSSL` are not carried over"
    ));
    let old = request(&imported, "old-checkout");
    assert_eq!(old.settings.follow_redirects, Some(false));
    // Response examples are not requests and are not mentioned.
    assert!(!has_line(&imported, "Signed in"));
}

#[test]
fn v2_0_headers_as_text_and_auth_as_a_map() {
    let imported = import_text(LEGACY);
    let c = &imported.collection;
    assert_eq!(c.name, "Legacy Billing");
    let create = request(&imported, "Invoices/create-invoice");
    assert_eq!(
        create.headers,
        [
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Tenant".to_string(), "acme".to_string())
        ]
    );
    assert_eq!(
        create.disabled_headers,
        [("X-Trace".to_string(), "on".to_string())]
    );
    // No language, but a JSON Content-Type: a JSON body.
    assert!(matches!(&create.body, Some(SavedBody::Json(t)) if t.contains("\"customer\": 7")));
    assert_eq!(
        c.auth,
        [
            (
                "basic".to_string(),
                AuthProfile::Basic {
                    username: "billing".into(),
                    password: "{{env.BASIC_PASSWORD}}".into()
                }
            ),
            (
                "bearer".to_string(),
                AuthProfile::Bearer {
                    token: "{{billingToken}}".into()
                }
            )
        ]
    );
    let list = request(&imported, "Invoices/list-invoices");
    assert_eq!(list.url, "https://billing.example.com/api/invoices");
    assert_eq!(list.query, [("status".to_string(), "open".to_string())]);
    assert!(has_line(
        &imported,
        "query parameter `debug` is switched off"
    ));
    let ping = request(&imported, "ping");
    assert_eq!(
        (ping.method, ping.url.as_str()),
        (Method::Get, "https://billing.example.com/ping")
    );
    // An empty folder description is none, and sets no folder.
    assert!(c.folders.is_empty());
    loads_back(c);
}

#[test]
fn an_environment_export_becomes_an_environment_with_secrets_hidden() {
    let imported = read(SHOP, Some(ENV)).unwrap_or_else(|e| panic!("{e}"));
    let c = &imported.collection;
    assert_eq!(
        c.environments,
        [Environment {
            name: "Shop dev".into(),
            vars: vec![
                ("baseUrl".into(), "https://dev.shop.example.com/v1".into()),
                ("password".into(), "{{env.SHOP_DEV_PASSWORD}}".into()),
                ("accessToken".into(), String::new()),
            ]
        }]
    );
    assert!(
        imported
            .secrets
            .contains(&("SHOP_DEV_PASSWORD".into(), "dev-pass-123".into()))
    );
    assert!(has_line(
        &imported,
        "environment `Shop dev`: `sessionCookie` is switched off in Postman, dropped"
    ));
    let back = loads_back(c);
    assert_eq!(back.environments, c.environments);
}

#[test]
fn a_bad_environment_file_is_an_error_that_says_which_file() {
    let e = read(SHOP, Some("{\"name\": \"x\"}")).unwrap_err();
    assert!(e.message.contains("not a Postman environment"), "{e}");
    let e = read(SHOP, Some("{\"name\": \"x\",\n \"values\": [")).unwrap_err();
    assert!(e.message.starts_with("the environment file, line 2"), "{e}");
}

#[test]
fn a_v1_collection_is_refused_with_what_to_do() {
    let e = read(V1, None).unwrap_err();
    assert!(e.message.contains("v1"), "{e}");
    assert!(e.message.contains("not support"), "{e}");
    assert!(e.message.contains("v2.1"), "{e}");
}

#[test]
fn truncated_json_is_an_error_with_its_line() {
    let e = read(TRUNCATED, None).unwrap_err();
    assert_eq!(e.line, Some(TRUNCATED.lines().count()), "{e}");
    assert!(e.message.contains("ends too early"), "{e}");
}

#[test]
fn other_documents_are_refused_clearly() {
    let e = read("{\"openapi\": \"3.1.0\"}", None).unwrap_err();
    assert!(
        e.message.starts_with("this is not a Postman collection"),
        "{e}"
    );
    let e = read(ENV, None).unwrap_err();
    assert!(e.message.contains("Postman environment"), "{e}");
    assert!(e.message.contains("--env-file"), "{e}");
    let e = read("[1, 2]", None).unwrap_err();
    assert!(
        e.message.starts_with("this is not a Postman collection"),
        "{e}"
    );
}
