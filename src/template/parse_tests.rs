use super::*;

fn lit(s: &str) -> Segment {
    Segment::Literal(s.to_string())
}

fn var(s: &str) -> Segment {
    Segment::Placeholder(Placeholder::Var(s.to_string()))
}

fn env(s: &str) -> Segment {
    Segment::Placeholder(Placeholder::Env(s.to_string()))
}

#[test]
fn every_syntax_form_parses() {
    let prompt = Segment::Placeholder(Placeholder::Prompt(None));
    let cases: Vec<(&str, Vec<Segment>)> = vec![
        ("", vec![]),
        ("plain text", vec![lit("plain text")]),
        ("{{a}}", vec![var("a")]),
        ("{{ a }}", vec![var("a")]),
        ("{{\ta\t}}", vec![var("a")]),
        (
            "x{{a}}y{{b}}z",
            vec![lit("x"), var("a"), lit("y"), var("b"), lit("z")],
        ),
        ("{{a}}{{b}}", vec![var("a"), var("b")]),
        ("{{_a.b-c9}}", vec![var("_a.b-c9")]),
        ("{{env.TOKEN}}", vec![env("TOKEN")]),
        ("{{ env.A_B }}", vec![env("A_B")]),
        ("{{prompt}}", vec![prompt.clone()]),
        ("{{ prompt }}", vec![prompt]),
        (
            "{{prompt:otp}}",
            vec![Segment::Placeholder(Placeholder::Prompt(Some(
                "otp".into(),
            )))],
        ),
        ("{{prompts}}", vec![var("prompts")]),
        ("{{environment}}", vec![var("environment")]),
        (r"\{{a}}", vec![lit("{{a}}")]),
        (r"a\{{b", vec![lit("a{{b")]),
        (r"\{{{{a}}", vec![lit("{{"), var("a")]),
        (r"\\{{a}}", vec![lit(r"\{{a}}")]),
        (r"\{", vec![lit(r"\{")]),
        (r"back\slash", vec![lit(r"back\slash")]),
        ("{ single } }}", vec![lit("{ single } }}")]),
        ("{{a}}}", vec![var("a"), lit("}")]),
        ("ünï{{a}}ç", vec![lit("ünï"), var("a"), lit("ç")]),
        (
            "{\"json\": {{n}}}",
            vec![lit("{\"json\": "), var("n"), lit("}")],
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Ok(expected), "{text:?}");
    }
}

#[test]
fn every_syntax_error_has_a_char_offset_and_a_reason() {
    let cases: &[(&str, usize, &str)] = &[
        ("{{", 0, "not closed"),
        ("abc {{name", 4, "not closed"),
        ("ü {{name", 2, "not closed"),
        ("{{a {{b}}", 0, "not closed"),
        ("{{}}", 0, "empty"),
        ("x{{   }}", 1, "empty"),
        ("{{1abc}}", 0, "`1abc` is not a variable name"),
        ("{{a b}}", 0, "`a b` is not a variable name"),
        ("{{a/b}}", 0, "not a variable name"),
        ("{{{a}}}", 0, "`{a` is not a variable name"),
        ("{{env}}", 0, "`env` needs a variable name"),
        ("{{env.}}", 0, "`env.` is not a variable name"),
        ("{{env.1X}}", 0, "not a variable name"),
        ("ok {{a}} then {{", 14, "not closed"),
    ];
    for (text, offset, needle) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.offset, *offset, "{text:?}: {err}");
        assert!(err.message.contains(needle), "{text:?}: {err}");
    }
}

#[test]
fn spans_classify_each_piece_with_byte_ranges() {
    let text = r"ü {{a}} \{{ {{env.X}}{{prompt}} {{1}} {{open";
    let got: Vec<(&str, SpanKind)> = spans(text)
        .into_iter()
        .map(|(r, k)| (&text[r], k))
        .collect();
    assert_eq!(
        got,
        vec![
            ("ü ", SpanKind::Literal),
            ("{{a}}", SpanKind::Var("a".into())),
            (" ", SpanKind::Literal),
            (r"\{{", SpanKind::Escape),
            (" ", SpanKind::Literal),
            ("{{env.X}}", SpanKind::Env("X".into())),
            ("{{prompt}}", SpanKind::Prompt),
            (" ", SpanKind::Literal),
            ("{{1}}", SpanKind::Error),
            (" ", SpanKind::Literal),
            ("{{open", SpanKind::Error),
        ]
    );
}

#[test]
fn spans_resume_after_an_unclosed_brace() {
    let text = "{{a {{b}} c";
    let got: Vec<(&str, SpanKind)> = spans(text)
        .into_iter()
        .map(|(r, k)| (&text[r], k))
        .collect();
    assert_eq!(
        got,
        vec![
            ("{{a ", SpanKind::Error),
            ("{{b}}", SpanKind::Var("b".into())),
            (" c", SpanKind::Literal),
        ]
    );
}

#[test]
fn placeholders_lists_well_formed_ones_with_ranges() {
    let text = "{{a}}/{{bad name}}/{{env.B}}";
    assert_eq!(
        placeholders(text),
        vec![
            (0..5, Placeholder::Var("a".into())),
            (19..28, Placeholder::Env("B".into())),
        ]
    );
}

#[test]
fn escape_round_trips_awkward_text() {
    for s in [
        "{{",
        "{{{",
        "{{{{",
        r"\{{",
        r"\\{{a}}",
        "a}}b",
        "{",
        r"x\",
        "{{env.X}}",
    ] {
        let escaped = escape(s);
        let text: String = parse(&escaped)
            .unwrap_or_else(|e| panic!("{s:?} → {escaped:?}: {e}"))
            .into_iter()
            .map(|seg| match seg {
                Segment::Literal(l) => l,
                Segment::Placeholder(p) => panic!("{s:?} → {escaped:?} has {p}"),
            })
            .collect();
        assert_eq!(text, s);
    }
}

#[test]
fn placeholder_names_and_display() {
    assert_eq!(Placeholder::Var("a".into()).to_string(), "{{a}}");
    assert_eq!(Placeholder::Env("A".into()).to_string(), "{{env.A}}");
    assert_eq!(Placeholder::Prompt(None).name(), "prompt");
    assert_eq!(Placeholder::Prompt(Some("otp".into())).name(), "prompt:otp");
}
