//! The template engine (src/template): `{{…}}` syntax, highlighting spans, resolution against
//! layered scopes (recursion, cycles, depth and size limits, prompts, `env.*`), a request's
//! fields, and the `.env` reader.
//!
//! Input: `TEMPLATE`, optionally followed by `\n---\n` and `.env` text whose variables fill the
//! scopes (the collection's `[vars]`, an environment, `--var`, run values, prompt answers and
//! `env.*`, by their order).
#![no_main]

mod common;

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use scout::model::{BodyKind, KeyValue, Method, RequestSpec};
use scout::template::{
    EnvSource, RunValue, Scope, SpanKind, dotenv_line, escape, parse, parse_dotenv, placeholders,
    spans,
};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (template, vars_text) = common::split2(text, "\n---\n");

    // Spans cover the text in order, on char boundaries, and have an error exactly when
    // `parse` fails.
    let spans = spans(template);
    let mut at = 0;
    for (range, _) in &spans {
        assert_eq!(range.start, at, "{spans:?}");
        assert!(range.end > range.start, "{spans:?}");
        assert!(
            template.get(range.clone()).is_some(),
            "not on char boundaries"
        );
        at = range.end;
    }
    assert_eq!(at, template.len());
    let has_error = spans.iter().any(|(_, kind)| *kind == SpanKind::Error);
    let parsed = parse(template);
    assert_eq!(has_error, parsed.is_err(), "{parsed:?}");
    for (range, _) in placeholders(template) {
        assert!(template.get(range).is_some());
    }

    // `.env` values read back as written.
    let vars = parse_dotenv(vars_text).unwrap_or_default();
    for (name, value) in &vars {
        let line = dotenv_line(name, value);
        let back = parse_dotenv(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert_eq!(
            back,
            BTreeMap::from([(name.clone(), value.clone())]),
            "{line:?}"
        );
    }

    let mut scope = Scope {
        env_source: EnvSource::empty()
            .with_injected("SCOUT_DEMO_URL", "http://127.0.0.1:1")
            .with_dotenv("fuzz/.env", vars.clone()),
        ..Scope::default()
    };
    let mut environment = BTreeMap::new();
    for (i, (name, value)) in vars.iter().enumerate() {
        match i % 5 {
            0 => {
                scope.collection_vars.insert(name.clone(), value.clone());
            }
            1 => {
                environment.insert(name.clone(), value.clone());
            }
            2 => {
                scope.given.insert(name.clone(), value.clone());
            }
            3 => {
                scope.run.insert(
                    name.clone(),
                    RunValue {
                        value: value.clone(),
                        secret: i % 2 == 0,
                        from: "captured by fuzz".into(),
                    },
                );
            }
            _ => {
                scope
                    .prompted
                    .insert(format!("`{{{{prompt:{name}}}}}`"), value.clone());
                scope.prompted.insert("the text".into(), value.clone());
            }
        }
    }
    if !environment.is_empty() {
        scope.environment = Some(("dev".into(), environment));
    }

    let resolved = scope.resolve(template);
    if parsed.is_err() {
        assert!(resolved.is_err(), "{resolved:?}");
    }
    if !template.contains("{{") {
        assert_eq!(resolved.as_ref().map(|r| r.text.as_str()), Ok(template));
    }
    // Escaped text is taken literally, whatever the scope.
    let literal = scope
        .resolve(&escape(template))
        .unwrap_or_else(|e| panic!("escaped text failed to resolve: {e}"));
    assert_eq!(literal.text, template);
    assert!(literal.used.is_empty());
    let _ = scope.unresolved(template);

    // A request's fields: URL (query parameters one by one), headers, body.
    let (first, rest) = common::split2(template, "\n");
    let kinds = BodyKind::ALL;
    let spec = RequestSpec {
        method: Method::Post,
        url: first.to_string(),
        headers: vec![
            KeyValue::new(first, rest),
            KeyValue {
                key: rest.to_string(),
                value: first.to_string(),
                enabled: false,
            },
        ],
        body_kind: kinds[template.len() % kinds.len()],
        body: rest.to_string(),
    };
    if let Ok((out, _)) = scope.resolve_spec(&spec, "fuzz/request") {
        // Disabled headers are left as written.
        assert_eq!(out.headers[1], spec.headers[1]);
    }
});
