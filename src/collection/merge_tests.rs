//! A whole collection added to a file: a new file reads back as what was added; an existing one
//! keeps its comments and gets renamed profiles and ids where names are taken.

use std::path::Path;

use super::*;
use crate::check::{Capture, Expect, JsonQuery, StatusPattern};
use crate::collection::model::{Environment, SavedBody};
use crate::collection::parse_collection;
use crate::model::settings::{FolderSettings, Settings};
use crate::model::{AuthProfile, Method, RequestSpec, ViewSettings};

fn request(id: &str, folder: Option<&str>, url: &str) -> SavedRequest {
    let spec = RequestSpec {
        method: Method::Post,
        url: url.into(),
        ..RequestSpec::default()
    };
    SavedRequest::new(id, folder.map(str::to_string), &spec)
}

fn sample() -> Collection {
    let mut login = request("login", Some("auth"), "{{base_url}}/login?x=1");
    login.body = Some(SavedBody::Json(
        "{\"user\": \"{{user}}\", \"n\": null}".into(),
    ));
    login.description = Some("Logs in.\nTwo lines.".into());
    login.expect = Some(Expect {
        status: vec![StatusPattern::Code(200), StatusPattern::Class(4)],
        ..Expect::default()
    });
    login.capture = vec![
        (
            "token".into(),
            Capture::Json(JsonQuery::parse("$.token").unwrap()),
        ),
        ("where".into(), Capture::Header("Location".into())),
    ];
    login.settings.auth = Some(AuthChoice::Profile("basic".into()));
    login.view = ViewSettings {
        filter: Some(".token | length".into()),
        ignore: vec!["$.issued_at".into(), "$..id".into()],
    };
    let mut c = crate::import::empty_collection("Shop");
    c.vars = vec![("base_url".into(), "https://shop.test".into())];
    c.environments = vec![Environment {
        name: "dev".into(),
        vars: vec![("base_url".into(), "http://localhost:8080".into())],
    }];
    c.auth = vec![(
        "basic".into(),
        AuthProfile::Basic {
            username: "alice".into(),
            password: "{{env.BASIC_PASSWORD}}".into(),
        },
    )];
    c.folders = vec![FolderSettings {
        path: "auth".into(),
        settings: Settings::default(),
        description: Some("Signing in".into()),
    }];
    c.requests = vec![login, request("list", None, "{{base_url}}/items")];
    c
}

#[test]
fn a_new_file_reads_back_as_the_collection() {
    let merged = merge("", &sample(), None).unwrap();
    assert_eq!(merged.paths, ["auth/login", "list"]);
    assert!(merged.notes.is_empty(), "{:?}", merged.notes);
    let back = parse_collection(&merged.text, Path::new("x.toml")).unwrap();
    let want = sample();
    assert_eq!(back.name, want.name);
    assert_eq!(back.vars, want.vars);
    assert_eq!(back.environments, want.environments);
    assert_eq!(back.auth, want.auth);
    assert_eq!(back.folders, want.folders);
    assert_eq!(back.requests, want.requests);
}

#[test]
fn into_an_existing_file_comments_stay_and_taken_names_are_renamed() {
    let existing = "# my API\nname = \"Mine\"\n\n[vars]\nbase_url = \"https://mine.test\" # prod\n\n\
                    [auth.basic]\nkind = \"bearer\"\ntoken = \"{{env.T}}\"\n\n\
                    [requests.list]\nurl = \"https://mine.test/list\" # the list\n";
    let merged = merge(existing, &sample(), Some("shop")).unwrap();
    assert!(
        merged.text.starts_with("# my API\nname = \"Mine\"\n"),
        "{}",
        merged.text
    );
    assert!(
        merged
            .text
            .contains("base_url = \"https://mine.test\" # prod")
    );
    assert!(
        merged
            .text
            .contains("url = \"https://mine.test/list\" # the list")
    );
    assert_eq!(
        merged.notes,
        [
            "vars.base_url is already in the file: its value is kept",
            "auth profile `basic` is already in the file: added as `basic-2`",
            "request `list` is already in the file: added as `list-2`",
        ]
    );
    assert_eq!(merged.paths, ["shop/auth/login", "shop/list-2"]);
    let back = parse_collection(&merged.text, Path::new("x.toml")).unwrap();
    let login = back.find("shop/auth/login").unwrap();
    assert_eq!(login.settings.auth_profile(), Some("basic-2"));
    assert_eq!(back.folders[0].path, "shop/auth");
    assert_eq!(back.requests.len(), 3);
}

#[test]
fn the_same_profile_again_is_not_added_twice() {
    let once = merge("", &sample(), None).unwrap();
    let twice = merge(&once.text, &sample(), None).unwrap();
    assert!(
        !twice.notes.iter().any(|n| n.contains("auth profile")),
        "{:?}",
        twice.notes
    );
    let back = parse_collection(&twice.text, Path::new("x.toml")).unwrap();
    assert_eq!(back.auth.len(), 1);
    assert_eq!(back.requests.len(), 4);
}

#[test]
fn a_file_that_is_not_toml_is_left_alone() {
    assert!(matches!(
        merge("name = ", &sample(), None),
        Err(EditError::Unparsable(_))
    ));
}

#[test]
fn thousands_of_requests_are_written_in_one_pass() {
    // Each request used to re-parse the whole file: 3,000 took a minute.
    let mut c = crate::import::empty_collection("big");
    c.requests = (0..3000)
        .map(|i| {
            request(
                &format!("r{i}"),
                Some("f"),
                &format!("{{{{base_url}}}}/r/{i}"),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let merged = merge("", &c, None).unwrap();
    assert_eq!(merged.paths.len(), 3000);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_query_with_a_name_twice_stays_in_the_url_and_loses_nothing() {
    // The `query` table holds each name once: `?tag=a&tag=b` written there kept only `b`.
    let r = request("tags", None, "https://api.test/items?tag=a&tag=b&page=2");
    assert_eq!(r.url, "https://api.test/items?tag=a&tag=b&page=2");
    assert!(r.query.is_empty());
    let mut c = crate::import::empty_collection("q");
    c.requests = vec![r.clone()];
    let merged = merge("", &c, None).unwrap();
    let back = parse_collection(&merged.text, Path::new("x.toml")).unwrap();
    assert_eq!(back.requests[0].to_spec().url, r.to_spec().url);
    // Names once each still make the table.
    let r = request("one", None, "https://api.test/items?tag=a&page=2");
    assert_eq!(r.url, "https://api.test/items");
    assert_eq!(r.query.len(), 2);
}

/// Checks that a request whose JSON body is `json`, written to a new file, reads back with the
/// same body text.
fn json_body_reads_back(json: &str) {
    let mut r = request("r", None, "https://api.test/items");
    r.body = Some(SavedBody::Json(json.into()));
    let mut c = crate::import::empty_collection("bodies");
    c.requests = vec![r];
    let merged = merge("", &c, None).unwrap();
    let back = parse_collection(&merged.text, Path::new("x.toml")).unwrap();
    assert_eq!(
        back.requests[0].body,
        Some(SavedBody::Json(json.into())),
        "{}",
        merged.text
    );
}

/// Found by fuzzing the Hurl import: TOML's integers are 64-bit, so a body holding a larger whole
/// number, written as a table, came back as a float: another number. Such a body is written as
/// its text.
#[test]
fn a_json_body_with_a_number_toml_cannot_hold_reads_back_the_same() {
    json_body_reads_back("{\"sku\":11000000001783232622,\"price\":1.5}");
}

/// Found by fuzzing the Hurl import (a GraphQL query `\{{`): JSON text with a backslash before
/// `{{`, written as a table, read back as other text (`"\\{{"` became `"\{{"`, which is not
/// JSON). Such a body is written as its text.
#[test]
fn a_json_body_with_a_backslash_before_braces_reads_back_the_same() {
    json_body_reads_back(r#"{"query": "\\{{"}"#);
    json_body_reads_back(r#"{"a": "\{{x}}", "b": "\\\\{{"}"#);
}
