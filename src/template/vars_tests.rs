use std::collections::BTreeMap;

use super::*;
use crate::model::{BodyKind, KeyValue, Method, RequestSpec};

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A scope that never reads the real process environment.
fn scope() -> Scope {
    Scope {
        env_source: EnvSource::empty(),
        ..Scope::default()
    }
}

fn staging(pairs: &[(&str, &str)]) -> Option<(String, BTreeMap<String, String>)> {
    Some(("staging".to_string(), map(pairs)))
}

fn text(scope: &Scope, template: &str) -> String {
    scope
        .resolve(template)
        .unwrap_or_else(|e| panic!("{template:?}: {e}"))
        .text
}

#[test]
fn layers_resolve_most_specific_first() {
    let mut s = scope();
    s.given = map(&[("a", "given")]);
    s.environment = staging(&[("a", "env"), ("b", "env")]);
    s.collection_vars = map(&[("a", "vars"), ("b", "vars"), ("c", "vars")]);
    assert_eq!(text(&s, "{{a}} {{b}} {{c}}"), "given env vars");

    let used = s
        .resolve("{{a}}{{b}}{{c}}")
        .map(|r| r.used)
        .unwrap_or_default();
    let layers: Vec<(&str, &Layer)> = used.iter().map(|u| (u.name.as_str(), &u.layer)).collect();
    assert_eq!(
        layers,
        vec![
            ("a", &Layer::Given),
            ("b", &Layer::Environment("staging".into())),
            ("c", &Layer::Collection),
        ]
    );
    assert!(used.iter().all(|u| !u.secret));
}

#[test]
fn env_lookups_come_from_injected_then_process_then_dotenv() {
    let process = map(&[("A", "process"), ("B", "process")]);
    let source = EnvSource::empty()
        .with_injected("A", "injected")
        .with_process_lookup(move |name| process.get(name).cloned())
        .with_dotenv(
            "/c/.env",
            map(&[("A", "dotenv"), ("B", "dotenv"), ("C", "dotenv")]),
        );
    let s = Scope {
        env_source: source,
        ..scope()
    };
    let resolved = s
        .resolve("{{env.A}} {{env.B}} {{env.C}}")
        .expect("all defined");
    assert_eq!(resolved.text, "injected process dotenv");
    let layers: Vec<&Layer> = resolved.used.iter().map(|u| &u.layer).collect();
    assert_eq!(
        layers,
        [&Layer::Injected, &Layer::ProcessEnv, &Layer::DotEnv]
    );
    // scout's own values are not secrets; the environment and .env are.
    let secret: Vec<bool> = resolved.used.iter().map(|u| u.secret).collect();
    assert_eq!(secret, [false, true, true]);
    assert_eq!(resolved.used[0].name, "env.A");
}

#[test]
fn env_reads_a_dotenv_file_next_to_the_collection() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join(".env"), "export STAGING_TOKEN=\"s3cr3t\"\n")?;
    let s = Scope {
        environment: staging(&[("token", "{{env.STAGING_TOKEN}}")]),
        env_source: EnvSource::empty().with_dotenv_dir(dir.path())?,
        ..scope()
    };
    let resolved = s.resolve("Bearer {{token}}")?;
    assert_eq!(resolved.text, "Bearer s3cr3t");
    let token = resolved.used.iter().find(|u| u.name == "token");
    assert!(
        token.is_some_and(|t| t.secret && t.value == "s3cr3t"),
        "{:?}",
        resolved.used
    );
    assert!(
        !format!("{:?}", resolved.used).contains("s3cr3t"),
        "Debug hides secrets"
    );
    Ok(())
}

#[test]
fn default_env_source_reads_the_process_environment() {
    // Cargo sets CARGO_PKG_NAME for every test it runs; nothing is written to the environment.
    let s = Scope::default();
    assert_eq!(
        s.resolve("{{env.CARGO_PKG_NAME}}").map(|r| r.text),
        Ok("scout".to_string())
    );
}

#[test]
fn nested_values_resolve_recursively() {
    let mut s = scope();
    s.collection_vars = map(&[
        ("scheme", "https"),
        ("host", "prod.example"),
        ("base_url", "{{scheme}}://{{ host }}"),
        ("url", "{{base_url}}/items"),
    ]);
    s.environment = staging(&[("host", "staging.example")]);
    assert_eq!(text(&s, "{{url}}?x=1"), "https://staging.example/items?x=1");
}

#[test]
fn given_and_env_values_are_not_expanded() {
    let mut s = scope();
    s.given = map(&[("id", "{{env.SECRET}}")]);
    s.env_source = EnvSource::empty()
        .with_injected("SECRET", "x")
        .with_injected("RAW", "{{id}}");
    assert_eq!(text(&s, "{{id}} {{env.RAW}}"), "{{env.SECRET}} {{id}}");
}

#[test]
fn secrecy_propagates_through_variables_that_contain_secrets() {
    let mut s = scope();
    s.collection_vars = map(&[
        ("auth", "Bearer {{token}}"),
        ("token", "{{env.T}}"),
        ("host", "h"),
    ]);
    s.env_source = EnvSource::empty().with_process_lookup(|_| Some("tok".to_string()));
    let used = s
        .resolve("{{auth}} {{host}}")
        .map(|r| r.used)
        .unwrap_or_default();
    let secret: Vec<(&str, bool)> = used.iter().map(|u| (u.name.as_str(), u.secret)).collect();
    assert_eq!(
        secret,
        [
            ("env.T", true),
            ("token", true),
            ("auth", true),
            ("host", false)
        ]
    );
}

#[test]
fn cycles_are_named() {
    let mut s = scope();
    s.collection_vars = map(&[
        ("a", "{{b}}"),
        ("b", "x{{c}}"),
        ("c", "{{a}}"),
        ("self", "{{self}}"),
    ]);
    assert_eq!(
        s.resolve("go {{a}}"),
        Err(TemplateError::Cycle {
            chain: vec!["a".into(), "b".into(), "c".into(), "a".into()]
        })
    );
    let message = s
        .resolve("{{self}}")
        .map(|r| r.text)
        .unwrap_err()
        .to_string();
    assert!(message.contains("`{{self}}` → `{{self}}`"), "{message}");
}

#[test]
fn depth_is_bounded() {
    let mut s = scope();
    for i in 0..40 {
        s.collection_vars
            .insert(format!("v{i}"), format!("{{{{v{}}}}}", i + 1));
    }
    s.collection_vars.insert("v40".into(), "end".into());
    match s.resolve("{{v0}}") {
        Err(TemplateError::TooDeep { chain }) => assert_eq!(chain.len(), MAX_DEPTH + 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(text(&s, "{{v30}}"), "end");
}

#[test]
fn exponential_expansion_is_bounded() {
    let mut s = scope();
    s.collection_vars.insert("v0".into(), "x".repeat(64));
    for i in 1..16 {
        s.collection_vars
            .insert(format!("v{i}"), format!("{{{{v{0}}}}}{{{{v{0}}}}}", i - 1));
    }
    assert!(matches!(
        s.resolve("{{v15}}"),
        Err(TemplateError::TooLarge { .. })
    ));
    let long_body = format!("{}{{{{v0}}}}", "y".repeat(2 * MAX_LEN));
    assert_eq!(
        s.resolve(&long_body).map(|r| r.text.len()),
        Ok(2 * MAX_LEN + 64),
        "long input is fine; only expansion is bounded"
    );
}

#[test]
fn unresolved_messages_name_the_variable_and_where_it_was_looked_for() {
    let mut s = scope();
    s.environment = staging(&[("url", "{{base}}/x"), ("base", "https://{{host}}")]);
    s.env_source = EnvSource::empty()
        .with_process_lookup(|_| None)
        .with_dotenv("/proj/.env", BTreeMap::new());
    let cases: &[(&str, &[&str])] = &[
        (
            "{{token}}",
            &[
                "`{{token}}` is not defined: looked in values given for this run (--var), \
                 the `staging` environment and the collection's [vars]",
                "define it in",
            ],
        ),
        (
            "{{url}}",
            &["`{{host}}` (used by `{{url}}` → `{{base}}`) is not defined"],
        ),
        (
            "{{env.STAGING_TOKEN}}",
            &[
                "`{{env.STAGING_TOKEN}}` is not defined: looked in the process environment and /proj/.env",
                "set STAGING_TOKEN",
            ],
        ),
    ];
    for (template, needles) in cases {
        let message = s.resolve(template).map(|r| r.text).unwrap_err().to_string();
        for needle in *needles {
            assert!(message.contains(needle), "{template}: {message}");
        }
    }
    let no_env = scope();
    let message = no_env
        .resolve("{{x}}")
        .map(|r| r.text)
        .unwrap_err()
        .to_string();
    assert!(
        message
            .contains("looked in values given for this run (--var) and the collection's [vars];"),
        "{message}"
    );
    let missing = EnvSource::empty().with_dotenv_dir(std::path::Path::new("/nonexistent-scout"));
    let places = missing.map(|m| m.places()).unwrap_or_default();
    assert_eq!(places, ["/nonexistent-scout/.env (no such file)"]);
}

#[test]
fn syntax_errors_in_values_name_the_variable() {
    let mut s = scope();
    s.collection_vars = map(&[("bad", "x {{oops")]);
    assert_eq!(
        s.resolve("{{bad}}"),
        Err(TemplateError::Syntax {
            offset: 2,
            message: "`{{` is not closed: end it with `}}`, or write `\\{{` for a literal `{{`"
                .into(),
            in_var: Some("bad".into()),
        })
    );
    assert!(matches!(
        s.resolve("ok {{"),
        Err(TemplateError::Syntax {
            offset: 3,
            in_var: None,
            ..
        })
    ));
}

#[test]
fn escapes_resolve_to_literal_braces() {
    let mut s = scope();
    s.collection_vars = map(&[("a", "1"), ("lit", r"\{{a}}")]);
    assert_eq!(text(&s, r"\{{a}} {{a}} {{lit}}"), "{{a}} 1 {{a}}");
}

#[test]
fn prompts_ask_once_keyed_by_the_variable_holding_them() {
    let mut s = scope();
    s.environment = staging(&[("token", "{{prompt}}"), ("auth", "Bearer {{token}}")]);
    assert_eq!(
        s.resolve("{{auth}}").map(|r| r.text),
        Err(TemplateError::NeedsPrompt {
            key: "`{{token}}`".into(),
            var: Some("token".into()),
        })
    );
    assert_eq!(
        s.resolve_at("{{prompt}}", "auth profile `ci` › password")
            .map(|r| r.text),
        Err(TemplateError::NeedsPrompt {
            key: "auth profile `ci` › password".into(),
            var: None,
        })
    );
    assert!(
        s.unresolved("{{auth}}").is_empty(),
        "a pending prompt is not an error"
    );
    s.prompted.insert("`{{token}}`".into(), "typed".into());
    let resolved = s.resolve("{{auth}}").expect("answered");
    assert_eq!(resolved.text, "Bearer typed");
    assert!(resolved.used.iter().all(|u| u.secret));
    assert!(
        resolved
            .used
            .iter()
            .any(|u| u.layer == Layer::Prompt("`{{token}}`".into()))
    );
}

#[test]
fn a_prompt_belongs_to_where_it_is_written_unless_it_is_named() {
    let mut s = scope();
    let spec = |header: &str| RequestSpec {
        url: "http://h/x".into(),
        headers: vec![KeyValue::new("X-Secret", header)],
        ..RequestSpec::default()
    };
    // Written directly in a header: keyed by that header of that request.
    let asked = s
        .resolve_spec(&spec("{{prompt}}"), "items/get")
        .unwrap_err();
    assert_eq!(
        asked.root(),
        &TemplateError::NeedsPrompt {
            key: "header `X-Secret` of items/get".into(),
            var: None,
        }
    );
    // An answer given for an auth profile's password is not this header's.
    s.prompted
        .insert("auth profile `ci` › password".into(), "pw-answer".into());
    assert!(s.resolve_spec(&spec("{{prompt}}"), "items/get").is_err());
    s.prompted.insert(
        "header `X-Secret` of items/get".into(),
        "header-answer".into(),
    );
    let (sent, _) = s.resolve_spec(&spec("{{prompt}}"), "items/get").unwrap();
    assert_eq!(sent.headers[0].value, "header-answer");
    // Another request asks again.
    assert!(s.resolve_spec(&spec("{{prompt}}"), "items/list").is_err());

    // A named prompt is shared by every place naming it, and `--var NAME=…` answers it.
    assert_eq!(
        s.resolve("{{prompt:otp}}").unwrap_err(),
        TemplateError::NeedsPrompt {
            key: "`{{prompt:otp}}`".into(),
            var: Some("otp".into()),
        }
    );
    s.given.insert("otp".into(), "123456".into());
    assert_eq!(s.resolve("{{prompt:otp}}").unwrap().text, "123456");
}

#[test]
fn unresolved_lists_failing_placeholders_once_in_order() {
    let mut s = scope();
    s.collection_vars = map(&[("ok", "1"), ("loop", "{{loop}}"), ("deep", "{{missing}}")]);
    assert_eq!(
        s.unresolved("{{b}} {{ok}} {{a}} {{b}} {{loop}} {{deep}} {{env.NOPE}} {{bad name}}"),
        ["b", "a", "loop", "deep", "env.NOPE"]
    );
    assert!(s.unresolved("plain {{ok}}").is_empty());
}

fn spec() -> RequestSpec {
    let mut disabled = KeyValue::new("X-Off", "{{undefined}}");
    disabled.enabled = false;
    RequestSpec {
        method: Method::Post,
        url: "{{base}}/items?q={{q}}".into(),
        headers: vec![
            KeyValue::new("Authorization", "Bearer {{env.TOKEN}}"),
            KeyValue::new("X-{{h}}", "v"),
            disabled,
        ],
        body_kind: BodyKind::Json,
        body: r#"{"q": "{{q}}"}"#.into(),
    }
}

#[test]
fn resolve_spec_resolves_url_enabled_headers_and_body() {
    let mut s = scope();
    s.collection_vars = map(&[("base", "http://h"), ("q", "x"), ("h", "Trace")]);
    s.env_source = EnvSource::empty().with_injected("TOKEN", "t0k");
    let (out, used) = s.resolve_spec(&spec(), "").expect("all defined");
    assert_eq!(out.url, "http://h/items?q=x");
    assert_eq!(out.headers[0].value, "Bearer t0k");
    assert_eq!(out.headers[1].key, "X-Trace");
    assert_eq!(
        out.headers[2].value, "{{undefined}}",
        "disabled headers are left alone"
    );
    assert_eq!(out.body, r#"{"q": "x"}"#);
    assert_eq!(out.method, Method::Post);
    let names: Vec<&str> = used.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["base", "q", "env.TOKEN", "h"]);

    let mut unsent = spec();
    unsent.body_kind = BodyKind::None;
    unsent.body = "{{nope}}".into();
    assert!(
        s.resolve_spec(&unsent, "").is_ok(),
        "an unsent body is not resolved"
    );
}

#[test]
fn resolve_spec_names_the_failing_field() {
    let mut s = scope();
    s.collection_vars = map(&[("base", "http://h"), ("q", "x")]);
    let err = s
        .resolve_spec(&spec(), "")
        .expect_err("env.TOKEN is missing");
    assert!(
        err.to_string()
            .starts_with("header `Authorization`: `{{env.TOKEN}}` is not defined"),
        "{err}"
    );
    assert!(matches!(err.root(), TemplateError::Unresolved { name, .. } if name == "env.TOKEN"));

    s.env_source = EnvSource::empty().with_injected("TOKEN", "t");
    let err = s.resolve_spec(&spec(), "").expect_err("h is missing");
    assert!(
        err.to_string().starts_with("header name `X-{{h}}`: "),
        "{err}"
    );

    let mut bad_url = spec();
    bad_url.url = "{{".into();
    let err = s.resolve_spec(&bad_url, "").expect_err("syntax");
    assert!(
        err.to_string()
            .starts_with("the URL: template error at char 0"),
        "{err}"
    );

    s.collection_vars.insert("h".into(), "H".into());
    let mut bad_body = spec();
    bad_body.body = "{{missing}}".into();
    let err = s.resolve_spec(&bad_body, "").expect_err("body");
    assert!(
        err.to_string().starts_with("the body: `{{missing}}`"),
        "{err}"
    );
}
