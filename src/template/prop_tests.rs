use proptest::prelude::*;

use super::*;

/// Text biased towards the characters the syntax cares about.
fn awkward_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("\\".to_string()),
            Just("{{".to_string()),
            Just("}}".to_string()),
            Just("\\{{".to_string()),
            Just(" ".to_string()),
            Just("env.".to_string()),
            Just("prompt".to_string()),
            "[a-z_]{1,4}",
            any::<char>().prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn empty_scope() -> Scope {
    Scope {
        env_source: EnvSource::empty(),
        ..Scope::default()
    }
}

proptest! {
    #[test]
    fn text_without_open_braces_resolves_to_itself(s in any::<String>()) {
        prop_assume!(!s.contains("{{"));
        let resolved = empty_scope().resolve(&s);
        prop_assert_eq!(resolved.map(|r| r.text), Ok(s));
    }

    #[test]
    fn escaped_text_resolves_to_the_original(s in awkward_text()) {
        let resolved = empty_scope().resolve(&escape(&s));
        prop_assert_eq!(resolved.map(|r| (r.text, r.used.len())), Ok((s, 0)));
    }

    #[test]
    fn escaped_arbitrary_text_resolves_to_the_original(s in any::<String>()) {
        let resolved = empty_scope().resolve(&escape(&s));
        prop_assert_eq!(resolved.map(|r| r.text), Ok(s));
    }

    #[test]
    fn parse_never_panics(s in awkward_text()) {
        let _ = parse(&s);
        let _ = empty_scope().resolve(&s);
        let _ = empty_scope().unresolved(&s);
    }

    #[test]
    fn spans_cover_the_input_in_order_without_overlap(s in awkward_text()) {
        let spans = spans(&s);
        let mut at = 0;
        for (range, _) in &spans {
            prop_assert_eq!(range.start, at);
            prop_assert!(range.end > range.start);
            prop_assert!(s.get(range.clone()).is_some(), "not on char boundaries");
            at = range.end;
        }
        prop_assert_eq!(at, s.len());
        let has_error = spans.iter().any(|(_, kind)| *kind == SpanKind::Error);
        prop_assert_eq!(has_error, parse(&s).is_err());
    }
}
