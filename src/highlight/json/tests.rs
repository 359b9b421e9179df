//! Pretty-printer and nesting-index tests.

use proptest::prelude::*;

use super::*;

fn pp(s: &str) -> String {
    match pretty(s) {
        Ok(p) => p.shown(),
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn lines_of(p: &Pretty) -> Vec<String> {
    p.shown().lines().map(str::to_owned).collect()
}

#[test]
fn formats_like_serde_json() {
    let src = r#" {"a":[1, 2,{}],"b" : {"c":[]}, "d":"x\"y\u00e9", "e":null,"f":-1.5e+3} "#;
    let expected = r#"{
  "a": [
    1,
    2,
    {}
  ],
  "b": {
    "c": []
  },
  "d": "x\"y\u00e9",
  "e": null,
  "f": -1.5e+3
}
"#;
    assert_eq!(pp(src), expected);
}

#[test]
fn scalars_and_empties() {
    assert_eq!(pp("  42 "), "42\n");
    assert_eq!(pp("\"hi\""), "\"hi\"\n");
    assert_eq!(pp("[ ]"), "[]\n");
    assert_eq!(pp("{\n}"), "{}\n");
    assert_eq!(pp("[[]]"), "[\n  []\n]\n");
}

#[test]
fn line_starts_match_text() {
    let p = pretty(r#"{"a":[1,2],"b":{"c":true}}"#).expect("valid");
    let from_text: crate::highlight::starts::LineStarts = std::iter::once(0)
        .chain(
            p.text
                .match_indices('\n')
                .map(|(i, _)| i as u32 + 1)
                .filter(|&i| (i as usize) < p.text.len()),
        )
        .collect();
    assert_eq!(p.line_starts, from_text);
}

#[test]
fn errors_carry_position() {
    let err = pretty("{\n  \"a\": 1,\n  \"b\": x\n}").expect_err("invalid");
    assert_eq!(
        err,
        PrettyError::Invalid {
            message: "expected value",
            line: 3,
            column: 8
        }
    );
    assert!(matches!(
        pretty(""),
        Err(PrettyError::Invalid {
            message: "EOF while parsing a value",
            ..
        })
    ));
    assert!(matches!(
        pretty("[1,]"),
        Err(PrettyError::Invalid {
            message: "trailing comma",
            ..
        })
    ));
    assert!(matches!(
        pretty("{} x"),
        Err(PrettyError::Invalid {
            message: "trailing characters",
            ..
        })
    ));
    assert!(matches!(
        pretty("\"a\u{1}\""),
        Err(PrettyError::Invalid { .. })
    ));
    assert!(matches!(
        pretty("\"\\x\""),
        Err(PrettyError::Invalid {
            message: "invalid escape",
            ..
        })
    ));
    assert!(matches!(pretty("01"), Err(PrettyError::Invalid { .. })));
}

#[test]
fn deep_nesting_without_recursion() {
    let depth = 10_000;
    let src = "[".repeat(depth) + &"]".repeat(depth);
    // The innermost pair is empty and stays on one line.
    let p = pretty(&src).expect("deeply nested JSON is valid");
    assert_eq!(p.line_starts.len(), 2 * depth - 1);
    let widest = lines_of(&p).iter().map(|l| l.len()).max().unwrap_or(0);
    assert_eq!(widest, MAX_INDENT_LEVELS * 2 + 2);
    let src = "{\"k\":".repeat(depth) + "1" + &"}".repeat(depth);
    assert!(pretty(&src).is_ok());
}

#[test]
fn pathological_nesting_hits_the_budget() {
    let depth = 2_000_000;
    let src = "[".repeat(depth) + &"]".repeat(depth);
    assert_eq!(pretty(&src).err(), Some(PrettyError::TooLarge));
}

#[test]
fn large_single_line() {
    let item = r#"{"id":12345,"name":"widget","tags":["a","b"],"price":9.99,"ok":true},"#;
    let mut src = String::from("[");
    while src.len() < 5 << 20 {
        src.push_str(item);
    }
    src.push_str("null]");
    let p = pretty(&src).expect("valid");
    assert!(p.line_starts.len() > 500_000);
}

#[test]
fn stack_at_matches_a_sequential_scan() {
    let mut src = String::from("{\"root\":[");
    for i in 0..2000 {
        src.push_str(&format!(
            "{{\"id\":{i},\"deep\":{{\"list\":[[1,{{\"x\":[]}}],{{}}]}},\"s\":\"{{[\"}},"
        ));
    }
    src.push_str("1]}");
    let p = pretty(&src).expect("valid");
    let lines = lines_of(&p);
    let mut stack = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(
            p.index.stack_at(i, |k| lines[k].as_str()),
            stack,
            "line {i}"
        );
        apply_line(&mut stack, line);
    }
    assert!(stack.is_empty());
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn reformat_equals_serde_pretty(v in arb_json()) {
        let compact = serde_json::to_string(&v).expect("serialise");
        let p = pretty(&compact).expect("serde output is valid JSON");
        let pretty_text = p.shown();
        let widest = pretty_text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        prop_assert_eq!(p.max_line_chars, widest);
        // Stored without its indentation, it is still the same JSON.
        let stored: serde_json::Value = serde_json::from_str(&p.text).expect("parses");
        prop_assert_eq!(&stored, &v);
        let expected = serde_json::to_string_pretty(&v).expect("serialise") + "\n";
        prop_assert_eq!(&pretty_text, &expected);
        let back: serde_json::Value = serde_json::from_str(&pretty_text).expect("parses back");
        let direct: serde_json::Value = serde_json::from_str(&compact).expect("parses");
        prop_assert_eq!(back, direct);
    }

    #[test]
    fn validity_agrees_with_serde_json(
        v in arb_json(),
        at in any::<prop::sample::Index>(),
        edit in 0u8..3,
        ch in prop::sample::select(vec![
            '{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '.', 'e', '+', 't', 'n',
            'u', ' ', '\n', '\u{1}', 'x',
        ]),
    ) {
        let mut s = serde_json::to_string(&v).expect("serialise");
        let boundaries: Vec<usize> =
            (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        let i = boundaries[at.index(boundaries.len())];
        match edit {
            0 => s.insert(i, ch),
            1 => {
                if let Some(c) = s[i..].chars().next() {
                    s.replace_range(i..i + c.len_utf8(), "");
                }
            }
            _ => {
                if let Some(c) = s[i..].chars().next() {
                    s.replace_range(i..i + c.len_utf8(), ch.encode_utf8(&mut [0; 4]));
                }
            }
        }
        let ours = pretty(&s).is_ok();
        let theirs = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
        prop_assert_eq!(ours, theirs, "{:?}", s);
    }
}

#[test]
fn write_pretty_streams_the_documents_own_pretty_form() {
    let body = r#"{"a":[1,2.50,{"b":null}],"s":"é \u0041","e":{},"l":[]}"#;
    let mut out = Vec::new();
    streaming::write_pretty(body.as_bytes(), None, &mut out)
        .expect("simple JSON is streamed")
        .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), pp(body));
}

#[test]
fn write_pretty_leaves_what_needs_a_document_to_it() {
    for body in [
        "{\"a\":1,}".as_bytes(),      // invalid: the document's notice says where
        "\u{feff}[1]".as_bytes(),     // a byte-order mark
        "[\"\u{7f}\"]".as_bytes(),    // DEL, shown as a stand-in
        "[\"\u{9b}31m\"]".as_bytes(), // a C1 control (CSI)
        "{}\n{}".as_bytes(),          // JSON Lines
    ] {
        let mut out = Vec::new();
        assert!(
            streaming::write_pretty(body, None, &mut out).is_none(),
            "{:?}",
            String::from_utf8_lossy(body)
        );
        assert!(out.is_empty());
    }
    // Declared in another charset: the document decodes it.
    let mut out = Vec::new();
    assert!(
        streaming::write_pretty(b"[1]", Some("application/json; charset=latin1"), &mut out)
            .is_none()
    );
    assert!(
        streaming::write_pretty(b"[1]", Some("application/json; charset=UTF-8"), &mut out)
            .is_some()
    );
}
