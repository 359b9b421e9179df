//! Insomnia v4 exports as scout collections: folders, environments, templates, every body and
//! auth kind, what is dropped, and the inputs that cannot be read.

use std::path::{Path, PathBuf};

use super::*;
use crate::collection::SavedBody;
use crate::import::Format;
use crate::model::settings::{AuthChoice, Settings};
use crate::model::{AuthProfile, KeyLocation, MultipartLine};

const SHOP: &str = include_str!("../../tests/fixtures/import/insomnia/shop.insomnia.json");
const BILLING: &str = include_str!("../../tests/fixtures/import/insomnia/billing.insomnia.yaml");

fn read(text: &str) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: PathBuf::from("."),
        filter: None,
        env_file: None,
        ..Source::default()
    };
    crate::import::import(Format::Insomnia, &source)
}

fn import_text(text: &str) -> Imported {
    read(text).unwrap_or_else(|e| panic!("{e}"))
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

/// An export of one workspace holding `resources` (JSON text of more list elements).
fn export(resources: &str) -> String {
    format!(
        "{{\"_type\": \"export\", \"__export_format\": 4, \"resources\": [\
         {{\"_id\": \"wrk_1\", \"parentId\": null, \"name\": \"W\", \"_type\": \"workspace\"}}, \
         {resources}]}}"
    )
}

#[test]
fn folders_nest_by_parent_and_requests_follow_insomnia_s_order() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    assert_eq!(c.name, "Shop API");
    let paths: Vec<String> = c.requests.iter().map(SavedRequest::path).collect();
    assert_eq!(
        paths,
        [
            "Users/list-users",
            "Users/create-user",
            "Users/Admin - Ops/delete-user",
            "health",
            "Auth/login-form",
            "Auth/token",
            "Auth/me",
            "upload-avatar",
            "search",
            "export",
            "import-csv",
            "audit-log",
            "partner-stock",
            "cookie-key",
            "s3-bucket",
            "switched-off-auth",
            "old-checkout",
        ]
    );
    let list = request(&imported, "Users/list-users");
    assert_eq!(list.name.as_deref(), Some("List users"));
    assert_eq!(
        list.description.as_deref(),
        Some("Lists users, newest first.")
    );
    let users = &c.folders[0];
    assert_eq!(users.path, "Users");
    assert_eq!(
        users.description.as_deref(),
        Some("Everything about accounts.")
    );
    loads_back(c);
}

#[test]
fn variables_lose_the_underscore_and_the_spaces() {
    let imported = import_text(SHOP);
    let list = request(&imported, "Users/list-users");
    assert_eq!(list.url, "{{base_url}}/{{api.version}}/users");
    assert_eq!(
        list.query,
        [
            ("page".to_string(), "1".to_string()),
            ("per_page".to_string(), "{{page_size}}".to_string())
        ]
    );
    assert!(has_line(
        &imported,
        "request `List users`: query parameter `debug` is switched off"
    ));
    let billing = import_text(BILLING);
    let invoices = request(&billing, "Billing/Invoices/list-invoices");
    assert_eq!(invoices.url, "{{base_url}}/invoices");
    assert_eq!(invoices.query, [("status".to_string(), "open".to_string())]);
}

#[test]
fn headers_of_folders_apply_to_their_requests_and_switched_off_ones_stay_off() {
    let imported = import_text(SHOP);
    let list = request(&imported, "Users/list-users");
    assert_eq!(
        list.headers,
        [
            ("X-Tenant".to_string(), "acme".to_string()),
            ("Accept".to_string(), "application/json".to_string())
        ]
    );
    assert_eq!(
        list.disabled_headers,
        [("X-Debug".to_string(), "1".to_string())]
    );
    let delete = request(&imported, "Users/Admin - Ops/delete-user");
    assert_eq!(
        delete.headers,
        [("X-Tenant".to_string(), "acme".to_string())]
    );
    assert_eq!(delete.method, Method::Delete);
    assert_eq!(delete.url, "{{base_url}}/users/{{id}}");
}

#[test]
fn the_base_environment_is_vars_and_sub_environments_are_environments() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    assert_eq!(
        c.vars,
        [
            (
                "base_url".to_string(),
                "https://api.shop.example.com".to_string()
            ),
            ("api.version".to_string(), "v2".to_string()),
            ("page_size".to_string(), "25".to_string()),
            (
                "client_secret".to_string(),
                "{{env.CLIENT_SECRET}}".to_string()
            ),
            ("tags".to_string(), "[\"a\",\"b\"]".to_string()),
            ("region".to_string(), "eu-west".to_string()),
            ("id".to_string(), "7".to_string()),
        ]
    );
    assert!(has_line(
        &imported,
        "folder `Users`: its environment (`region`) now applies to the whole collection"
    ));
    assert_eq!(
        c.environments,
        [
            Environment {
                name: "Staging".into(),
                vars: vec![
                    ("base_url".into(), "https://staging.shop.example.com".into()),
                    ("token".into(), "{{env.STAGING_TOKEN}}".into()),
                ]
            },
            Environment {
                name: "Production".into(),
                vars: vec![
                    ("base_url".into(), "https://api.shop.example.com".into()),
                    ("token".into(), "{{prod_token}}".into()),
                ]
            },
        ]
    );
    let back = loads_back(c);
    assert_eq!(back.vars, c.vars);
    assert_eq!(back.environments, c.environments);
}

#[test]
fn each_body_kind_maps_to_scout_s() {
    let imported = import_text(SHOP);
    let create = request(&imported, "Users/create-user");
    assert!(
        matches!(&create.body, Some(SavedBody::Json(t)) if t.contains("\"id\": \"{% uuid 'v4' %}\"")),
        "{:?}",
        create.body
    );
    let login = request(&imported, "Auth/login-form");
    assert_eq!(
        login.body,
        Some(SavedBody::Form(vec![
            ("username".into(), "ada".into()),
            ("password".into(), "{{env.PASSWORD}}".into()),
        ]))
    );
    assert!(has_line(
        &imported,
        "form field `remember` is switched off in Insomnia"
    ));
    let upload = request(&imported, "upload-avatar");
    assert_eq!(
        upload.body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "caption".into(),
                value: "Ada at the beach".into()
            },
            MultipartLine::File {
                name: "avatar".into(),
                path: PathBuf::from("/home/ada/avatar.png"),
                content_type: None
            },
        ]))
    );
    assert!(upload.headers.is_empty(), "{:?}", upload.headers);
    assert!(has_line(
        &imported,
        "multipart file part `thumbnail` has no file chosen"
    ));
    assert!(has_line(
        &imported,
        "multipart part `legacy` is switched off"
    ));
    let search = request(&imported, "search");
    let Some(SavedBody::Json(text)) = &search.body else {
        panic!("{:?}", search.body);
    };
    let sent: serde_json::Value = serde_json::from_str(text).expect("json");
    assert_eq!(sent["variables"]["first"], 10);
    let export = request(&imported, "export");
    assert_eq!(
        export.body,
        Some(SavedBody::Text("<export format=\"full\"/>".into()))
    );
    assert_eq!(
        export.headers,
        [("Content-Type".to_string(), "application/xml".to_string())]
    );
    let csv = request(&imported, "import-csv");
    assert_eq!(
        csv.body,
        Some(SavedBody::File("/home/ada/data/products.csv".into()))
    );
    let billing = import_text(BILLING);
    let invoice = request(&billing, "Billing/Invoices/create-invoice");
    assert!(
        matches!(&invoice.body, Some(SavedBody::Json(t)) if t.contains("\"customer\": {{customer_id}},")),
        "{:?}",
        invoice.body
    );
}

#[test]
fn each_auth_kind_becomes_a_profile_or_a_line() {
    let imported = import_text(SHOP);
    let c = &imported.collection;
    let names: Vec<&str> = c.auth.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["bearer", "basic", "oauth2", "bearer-2", "digest", "api-key"]
    );
    assert_eq!(
        c.auth[0].1,
        AuthProfile::Bearer {
            token: "{{token}}".into()
        }
    );
    assert_eq!(
        c.auth[1].1,
        AuthProfile::Basic {
            username: "admin".into(),
            password: "{{env.BASIC_PASSWORD}}".into()
        }
    );
    assert_eq!(
        c.auth[2].1,
        AuthProfile::OAuth2ClientCredentials {
            token_url: "https://auth.shop.example.com/oauth/token".into(),
            client_id: "shop-cli".into(),
            client_secret: "{{client_secret}}".into(),
            scopes: vec!["read".into(), "write".into()],
            audience: Some("https://api.shop.example.com".into()),
        }
    );
    // A token from a template tag stays as written (and is named).
    assert!(
        matches!(&c.auth[3].1, AuthProfile::Bearer { token } if token.starts_with("{% response"))
    );
    assert_eq!(
        c.auth[5].1,
        AuthProfile::ApiKey {
            name: "api_key".into(),
            value: "{{env.API_KEY_KEY}}".into(),
            location: KeyLocation::Query
        }
    );
    let users = c
        .folders
        .iter()
        .find(|f| f.path == "Users")
        .expect("folder");
    assert_eq!(users.settings.auth_profile(), Some("bearer"));
    let admin = c
        .folders
        .iter()
        .find(|f| f.path == "Users/Admin - Ops")
        .expect("folder");
    assert_eq!(
        admin.settings,
        Settings {
            auth: Some(AuthChoice::Profile("basic".into())),
            ..Settings::default()
        }
    );
    let auth_of = |path: &str| request(&imported, path).settings.auth.clone();
    // `{}`: inherited from the folder.
    assert_eq!(auth_of("Users/list-users"), None);
    assert_eq!(auth_of("health"), Some(AuthChoice::None));
    assert_eq!(auth_of("switched-off-auth"), Some(AuthChoice::None));
    assert_eq!(auth_of("cookie-key"), Some(AuthChoice::None));
    assert_eq!(auth_of("s3-bucket"), Some(AuthChoice::None));
    assert!(has_line(
        &imported,
        "request `Cookie key`: an API key sent as a cookie is not supported by scout"
    ));
    assert!(has_line(
        &imported,
        "request `S3 bucket`: Insomnia's iam auth is not supported"
    ));
    assert!(has_line(
        &imported,
        "request `Me`: the token prefix `Token` is not kept (scout sends `Bearer`)"
    ));
    assert_eq!(
        c.settings_for(request(&imported, "Users/Admin - Ops/delete-user"))
            .auth_profile(),
        Some("basic")
    );
}

#[test]
fn template_tags_and_expressions_are_named_once_with_where() {
    let imported = import_text(SHOP);
    let lines: Vec<&String> = imported
        .dropped
        .iter()
        .filter(|l| l.contains("template tags"))
        .collect();
    assert_eq!(lines.len(), 3, "{:#?}", imported.dropped);
    assert!(
        lines[0].starts_with("`{% uuid %}` in request `Create user`: Insomnia's template tags")
    );
    assert!(lines[1].starts_with("`{% now %}` in request `Create user`"));
    assert!(lines[2].starts_with("`{% response %}` in request `Me`"));
    assert!(has_line(
        &imported,
        "`{{ _.trace_id | default('none') }}` in request `Create user`: scout's templates are plain names"
    ));
    // What scout does with them, said as it is: a tag is sent as its text, an expression
    // stops the request.
    assert!(lines.iter().all(|l| l.ends_with(
        "left as written, scout sends the tag's text itself until it is replaced by a value or \
         a variable"
    )));
    assert!(has_line(
        &imported,
        "`{{ _.trace_id | default('none') }}` in request `Create user`: scout's templates are \
         plain names (`{{name}}`); left as written, so these requests cannot be sent until it is \
         replaced by a value or a variable"
    ));
    let billing = import_text(BILLING);
    assert!(has_line(
        &billing,
        "`{% now %}` in request `Monthly report`"
    ));
}

#[test]
fn scripts_other_resources_and_unsendable_requests_are_named() {
    let imported = import_text(SHOP);
    for line in [
        "folder `Users/Admin - Ops`: Insomnia scripts (pre-request) are not run by scout, dropped",
        "request `Me`: Insomnia scripts (after-response) are not run by scout, dropped",
        "request `Stream prices`: gRPC requests are not supported by scout, dropped",
        "cookie jar `Default Jar`: its 1 cookie is not imported",
        "API spec `Shop API`: not imported",
        "Insomnia unit tests are not run by scout, dropped",
    ] {
        assert!(has_line(&imported, line), "{line}\n{:#?}", imported.dropped);
    }
    let old = request(&imported, "old-checkout");
    assert_eq!(old.settings.follow_redirects, Some(false));
}

#[test]
fn no_secret_stays_in_the_collection_or_the_dropped_lines() {
    let imported = import_text(SHOP);
    let merged = crate::collection::merge::merge("", &imported.collection, None).expect("merge");
    for s in [
        "cs-insomnia-77",
        "stg-token-123",
        "adm1n-pw",
        "hunter2-form",
        "d1gest-pw",
        "pk-insomnia-1",
        "aws-secret-key-value",
        "s-cookie-1",
    ] {
        assert!(!merged.text.contains(s), "{s} in\n{}", merged.text);
        assert!(!imported.dropped.iter().any(|l| l.contains(s)), "{s}");
    }
    let names: Vec<&str> = imported.secrets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "CLIENT_SECRET",
            "STAGING_TOKEN",
            "BASIC_PASSWORD",
            "PASSWORD",
            "DIGEST_PASSWORD",
            "API_KEY_KEY"
        ]
    );
}

#[test]
fn other_formats_and_versions_are_refused_clearly() {
    let e = read("{\"_type\": \"export\", \"__export_format\": 3, \"resources\": []}").unwrap_err();
    assert!(
        e.message.contains("format 3") && e.message.contains("format 4"),
        "{e}"
    );
    let e = read("type: collection.insomnia.rest/5.0\nname: Shop\ncollection: []\n").unwrap_err();
    assert!(e.message.contains("Insomnia v5 export"), "{e}");
    let e = read("{\"info\": {\"name\": \"x\"}, \"item\": []}").unwrap_err();
    assert!(
        e.message.starts_with("this is not an Insomnia export"),
        "{e}"
    );
    let e = read("{\"_type\": \"export\", \"__export_format\": 4}").unwrap_err();
    assert!(e.message.contains("no `resources`"), "{e}");
    let e = read("[]").unwrap_err();
    assert!(
        e.message.starts_with("this is not an Insomnia export"),
        "{e}"
    );
}

#[test]
fn truncated_or_broken_input_is_an_error_with_its_line() {
    let cut = &SHOP[..SHOP.len() / 2];
    let e = read(cut).unwrap_err();
    assert_eq!(e.line, Some(cut.lines().count()), "{e}");
    assert!(e.message.contains("ends too early"), "{e}");
    let e = read("_type: export\n__export_format: 4\nresources:\n  - _id: [x\n").unwrap_err();
    assert!(
        e.line.is_some() && e.message.starts_with("invalid YAML"),
        "{e}"
    );
}

#[test]
fn odd_resources_do_not_panic_and_orphans_are_kept() {
    let text = export(
        r#"{"_id": "req_a", "parentId": "fld_gone", "name": "Orphan", "url": "http://h/a", "_type": "request"},
           {"_id": "req_b", "parentId": "env_x", "name": "Lost", "url": "http://h/b", "_type": "request"},
           {"_id": "env_x", "parentId": "wrk_1", "name": "Base", "data": {"nested": {}}, "_type": "environment"},
           {"_id": "req_c", "parentId": "wrk_1", "name": "Weird", "method": "PROPFIND", "url": "http://h/c", "_type": "request"},
           {"_id": "req_d", "parentId": "wrk_1", "name": "", "method": 5, "url": 7, "headers": "x",
            "body": {"mimeType": 1}, "authentication": {"type": 2}, "_type": "request"},
           {"_id": "req_e", "parentId": "req_e", "name": "Loop", "_type": "request"},
           {"_id": "mock_1", "parentId": "wrk_1", "name": "Mock", "_type": "mock_server"},
           3"#,
    );
    let imported = import_text(&text);
    let paths: Vec<String> = imported
        .collection
        .requests
        .iter()
        .map(SavedRequest::path)
        .collect();
    assert_eq!(paths, ["weird", "orphan"], "PROPFIND is sent as written");
    assert!(has_line(&imported, "scout does not send 5 requests"));
    assert!(has_line(
        &imported,
        "2 requests are not under a workspace or folder"
    ));
    assert!(has_line(
        &imported,
        "Insomnia `mock_server` resources are not imported"
    ));
    loads_back(&imported.collection);
}

#[path = "insomnia_workspace_tests.rs"]
mod workspaces;
