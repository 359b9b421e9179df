use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::*;

fn shop() -> Value {
    json!({
        "a": 1,
        "items": [
            {"id": 1, "name": "cup", "x": 1, "tags": ["kitchen"]},
            {"id": 2, "name": "keyboard", "x": 2, "tags": []},
            {"id": 3, "name": "map", "x": 3, "owner": {"name": "Ada"}}
        ],
        "total": 3
    })
}

fn run(expr: &str, doc: &Value) -> Vec<Value> {
    Filter::parse(expr)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .run(doc)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn one(expr: &str, doc: &Value) -> Value {
    let mut out = run(expr, doc);
    assert_eq!(out.len(), 1, "{expr} gave {out:?}");
    out.remove(0)
}

fn parse_error(expr: &str) -> FilterError {
    match Filter::parse(expr) {
        Ok(_) => panic!("{expr} compiled"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------------------------------
// jq

#[test]
fn jq_paths_and_iteration() {
    let doc = shop();
    assert_eq!(one(".a", &doc), json!(1));
    assert_eq!(one(".", &doc), doc);
    assert_eq!(one("  ", &doc), doc, "blank is the identity, as in jq");
    assert_eq!(one(".missing", &doc), Value::Null);
    assert_eq!(
        run(".items[] | .id", &doc),
        vec![json!(1), json!(2), json!(3)]
    );
    assert_eq!(one(".items[1].name", &doc), json!("keyboard"));
}

#[test]
fn jq_standard_definitions() {
    let doc = shop();
    assert_eq!(
        one("[.items[] | select(.x > 1) | .id]", &doc),
        json!([2, 3])
    );
    assert_eq!(one(".items | map(select(.x > 1)) | length", &doc), json!(2));
    // Keys sorted, as jq does (the document keeps its own order).
    assert_eq!(one("keys", &doc), json!(["a", "items", "total"]));
    assert_eq!(one(".items | length", &doc), json!(3));
    assert_eq!(
        one("{a, total} | to_entries", &doc),
        json!([{"key": "a", "value": 1}, {"key": "total", "value": 3}])
    );
    assert_eq!(
        one("[.items[].name | ascii_upcase] | join(\",\")", &doc),
        json!("CUP,KEYBOARD,MAP")
    );
    assert_eq!(one("[.items[].x] | add / length", &doc), json!(2.0));
    assert_eq!(
        one(".items[0].name | test(\"^c\")", &doc),
        json!(true),
        "regular expressions"
    );
    assert_eq!(one("[paths(type == \"number\")] | length", &doc), json!(8));
}

#[test]
fn jq_builds_values_in_the_documents_order() {
    let doc = json!({"z": 1, "a": 2});
    let out = one("{z: .z, a: .a, n: null, f: 1.5, big: 12345678901234}", &doc);
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"z":1,"a":2,"n":null,"f":1.5,"big":12345678901234}"#
    );
    assert_eq!(one(".", &doc).to_string(), r#"{"z":1,"a":2}"#);
}

#[test]
fn several_outputs_and_none() {
    let doc = shop();
    assert_eq!(run(".a, .total", &doc), vec![json!(1), json!(3)]);
    assert_eq!(run("empty", &doc), Vec::<Value>::new());
    assert_eq!(run(".items[] | select(.x > 10)", &doc), Vec::<Value>::new());
    // `halt` ends the stream with what came before it.
    assert_eq!(run("1, halt, 2", &doc), vec![json!(1)]);
}

#[test]
fn numbers_come_back_as_json_can_hold_them() {
    let doc = json!({"n": 10, "u": u64::MAX, "f": 0.1});
    assert_eq!(one(".n + 1", &doc), json!(11));
    assert_eq!(one(".u", &doc), json!(u64::MAX));
    assert_eq!(one(".f", &doc), json!(0.1));
    assert_eq!(one("nan", &doc), Value::Null);
    assert_eq!(one("infinite", &doc), json!(f64::MAX));
    assert_eq!(one("1.25", &doc), json!(1.25));
}

// ---------------------------------------------------------------------------------------------------
// JSONPath

#[test]
fn json_path_gives_the_node_list() {
    let doc = shop();
    let filter = Filter::parse("$.items[*].id").unwrap();
    assert!(filter.is_json_path());
    assert_eq!(filter.as_str(), "$.items[*].id");
    assert_eq!(
        filter.run(&doc).unwrap(),
        vec![json!(1), json!(2), json!(3)]
    );
    assert_eq!(
        run("$..name", &doc),
        vec![json!("cup"), json!("keyboard"), json!("map"), json!("Ada")]
    );
    assert_eq!(run("$.nothing", &doc), Vec::<Value>::new());
    assert_eq!(run("$.items[?@.x > 2].name", &doc), vec![json!("map")]);
}

#[test]
fn json_path_error_has_its_position() {
    let err = parse_error("$.items[");
    assert!(err.message.contains("JSONPath"), "{err}");
    assert_eq!(err.at, Some(7), "{err}");
    let err = parse_error("$.é[");
    assert_eq!(err.at, Some(3), "characters, not bytes: {err}");
    let err = parse_error("  $.a[");
    assert_eq!(err.at, Some(5), "counted in the text as typed: {err}");
    assert_eq!(
        run(" $.a ", &shop()),
        vec![json!(1)],
        "spaces around are allowed"
    );
}

// ---------------------------------------------------------------------------------------------------
// Errors

#[test]
fn syntax_error_has_its_position() {
    let err = parse_error(".a | | .b");
    assert_eq!(err.at, Some(5), "{err:?}");
    assert_eq!(err.message, "expected term, found `|`");
    assert_eq!(
        err.to_string(),
        "error at character 6: expected term, found `|`"
    );
    assert_eq!(err.pointer(".a | | .b").unwrap(), ".a | | .b\n     ^");

    let err = parse_error(".a | )");
    assert_eq!(err.at, Some(5), "{err:?}");
    assert_eq!(err.message, "unexpected character `)`");

    let err = parse_error(".a |");
    assert_eq!(err.at, Some(4), "at the end: {err:?}");
    assert_eq!(err.message, "expected term, found the end of the filter");

    let err = parse_error("map(.a");
    assert_eq!(err.message, "`(` is not closed");
    assert_eq!(err.at, Some(6), "{err:?}");

    let err = parse_error("\"é\" | .a & 1");
    assert_eq!(err.at, Some(9), "characters, not bytes: {err:?}");
    assert_eq!(err.message, "unexpected character `&`");
    assert_eq!(
        err.pointer("\"é\" | .a & 1").unwrap(),
        "\"é\" | .a & 1\n         ^"
    );
    assert_eq!(
        parse_error("\"日本\" | &").pointer("\"日本\" | &").unwrap(),
        "\"日本\" | &\n         ^",
        "the caret counts terminal cells"
    );
}

#[test]
fn undefined_names_have_their_position() {
    let err = parse_error(".items | nosuch(1)");
    assert_eq!(err.at, Some(9), "{err:?}");
    assert_eq!(err.message, "`nosuch/1` is not defined");
    let err = parse_error(". as $x | $y");
    assert_eq!(err.at, Some(10), "{err:?}");
    assert!(err.message.contains("variable"), "{err}");
}

#[test]
fn modules_are_not_loaded() {
    let err = parse_error("include \"x\"; .");
    assert!(err.message.contains("module"), "{err}");
}

#[test]
fn runtime_errors_have_no_position() {
    let doc = shop();
    let filter = Filter::parse(".a | keys").unwrap();
    let err = filter.run(&doc).unwrap_err();
    assert_eq!(err.at, None);
    assert_eq!(err.message, "cannot use 1 as iterable (array or object)");
    assert_eq!(err.to_string(), err.message);

    let err = Filter::parse("error(\"no id\")")
        .unwrap()
        .run(&doc)
        .unwrap_err();
    assert_eq!(err.message, "no id", "a string error is shown as it is");
    let err = Filter::parse("halt_error").unwrap().run(&doc).unwrap_err();
    assert!(err.message.contains("halt_error"), "{err}");
}

#[test]
fn runtime_messages_about_large_values_are_cut() {
    let doc = json!({"big": "x".repeat(10_000)});
    let err = Filter::parse(".big | keys").unwrap().run(&doc).unwrap_err();
    assert!(err.message.chars().count() <= MESSAGE_LIMIT + 1, "{err}");
    assert!(err.message.ends_with('…'));
}

#[test]
fn debug_and_stderr_write_nothing() {
    // They go through `log`, which scout's logger ignores for other targets: a TUI stays intact.
    assert_eq!(run("1 | debug | stderr", &Value::Null), vec![json!(1)]);
}

#[test]
fn a_filter_is_sent_to_workers() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Filter>();
    send_sync::<Prepared>();
}

#[test]
fn a_prepared_document_gives_the_same_outputs() {
    let prepared = Prepared::new(shop());
    assert_eq!(prepared.json(), &shop());
    for expr in [".items[] | .id", "keys", "$..name", ".a | keys", "empty"] {
        let filter = Filter::parse(expr).unwrap();
        assert_eq!(
            filter.run_prepared(&prepared),
            filter.run(&shop()),
            "{expr}"
        );
    }
    // An update works on its own copy: the next filter still sees the document.
    let set = Filter::parse(".a = 5 | .a").unwrap();
    assert_eq!(set.run_prepared(&prepared).unwrap(), vec![json!(5)]);
    assert_eq!(
        Filter::parse(".a")
            .unwrap()
            .run_prepared(&prepared)
            .unwrap(),
        vec![json!(1)]
    );
}

// ---------------------------------------------------------------------------------------------------
// Bodies

#[test]
fn body_must_be_json() {
    assert_eq!(parse_body(br#"{"a": [1]}"#).unwrap(), json!({"a": [1]}));
    assert_eq!(
        parse_body(b"\xEF\xBB\xBF[1]").unwrap(),
        json!([1]),
        "a BOM is skipped"
    );
    let err = parse_body(b"<html>\n<body>").unwrap_err();
    assert_eq!(
        err,
        "the body is not JSON (expected value at line 1 column 1); a filter works on JSON"
    );
    let err = parse_body(b"{\"a\": 1,\n  }").unwrap_err();
    assert!(err.contains("line 2 column 3"), "{err}");
    assert_eq!(
        parse_body(b" \n").unwrap_err(),
        "the body is empty; a filter works on JSON"
    );
}

// ---------------------------------------------------------------------------------------------------
// Size

/// An OpenAPI-like description of about 13 MB: `paths` with 20 000 operations.
fn large_description(paths: usize) -> Vec<u8> {
    let mut map = serde_json::Map::new();
    for i in 0..paths {
        map.insert(
            format!("/repos/{{owner}}/{{repo}}/things/{i}/{{thing_id}}"),
            json!({
                "get": {
                    "summary": format!("Get thing {i} of a repository, with its details"),
                    "description": "Gets one thing. The response includes the thing's owner, \
                                    its labels and the time it was last changed, as ISO 8601.",
                    "operationId": format!("things/get-{i}"),
                    "tags": ["things", "repos"],
                    "parameters": [
                        {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}}
                    ],
                    "responses": {
                        "200": {
                            "description": "Response",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}
                        },
                        "404": {"$ref": "#/components/responses/not_found"}
                    }
                }
            }),
        );
    }
    serde_json::to_vec(&json!({"openapi": "3.0.3", "info": {"title": "big"}, "paths": map}))
        .unwrap()
}

#[test]
fn keys_of_a_13_mb_description() {
    const PATHS: usize = 20_000;
    let body = large_description(PATHS);
    assert!(body.len() > 12_000_000, "{} bytes", body.len());

    let started = Instant::now();
    let doc = parse_body(&body).unwrap();
    let parsed = started.elapsed();

    let started = Instant::now();
    let filter = Filter::parse(".paths | keys | length").unwrap();
    let compiled = started.elapsed();
    let started = Instant::now();
    let out = filter.run(&doc).unwrap();
    let ran = started.elapsed();
    assert_eq!(out, vec![json!(PATHS)]);

    let prepared = Prepared::new(doc.clone());
    let started = Instant::now();
    filter.run_prepared(&prepared).unwrap();
    let first_prepared = started.elapsed();
    let started = Instant::now();
    assert_eq!(filter.run_prepared(&prepared).unwrap(), vec![json!(PATHS)]);
    let again = started.elapsed();
    drop(prepared);

    let started = Instant::now();
    let converted = to_val(&doc, &mut 0);
    let conversion = started.elapsed();
    drop(converted);

    let started = Instant::now();
    let path_out = run("$.paths.*.get.operationId", &doc);
    let path_ran = started.elapsed();
    assert_eq!(path_out.len(), PATHS);

    println!(
        "13 MB filter ({:.1} MB): serde_json parse {parsed:?}, jq compile {compiled:?}, \
         `.paths | keys | length` {ran:?} (of which the conversion {conversion:?}; prepared: \
         first {first_prepared:?}, again {again:?}), JSONPath `$.paths.*.get.operationId` \
         {path_ran:?}",
        body.len() as f64 / 1e6
    );
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(10)
    } else {
        Duration::from_millis(300)
    };
    assert!(ran < limit, "took {ran:?}");
}

/// jaq's form read straight from the text is the form made from serde_json's: the same
/// values, key order, repeated names (the last value, where the name first stood), numbers past
/// 64 bits, JSON Lines as one array, a byte-order mark.
#[test]
fn jaq_values_read_from_text_are_those_made_from_serde_json() {
    for text in [
        r#"{"b":1,"a":[true,null,"x\u00e9",-0.5,1e300],"b":2}"#,
        r#"[18446744073709551615, -9223372036854775808, 123456789012345678901234]"#,
        "{\"a\":1}\n{\"a\":2}\n",
        "\u{feff}[1]",
        r#""lone""#,
    ] {
        let made = to_val(&parse_body(text.as_bytes()).unwrap(), &mut 0);
        let read = Prepared::from_text(bytes::Bytes::from(text));
        assert_eq!(read.jq(), &made, "{text}");
        assert!(read.json.get().is_none(), "only jaq's form is held: {text}");
    }
    assert!(check_body(b"{\"a\":").unwrap_err().contains("not JSON"));
    assert_eq!(check_body(b" \n"), parse_body(b" \n").map(drop));
}

proptest::proptest! {
    #[test]
    fn any_json_reads_the_same_either_way(value in json_value()) {
        let text = serde_json::to_string(&value).unwrap();
        let made = to_val(&value, &mut 0);
        let read = Prepared::from_text(bytes::Bytes::from(text.clone()));
        proptest::prop_assert_eq!(read.jq(), &made, "{}", text);
        // And the JSONPath form, read after, is the value.
        proptest::prop_assert_eq!(read.json(), &value);
    }
}

fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-c]{0,2}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Found by fuzzing: `gmtime` on -5115111111111111 overflows inside jaq-std, which panics where
/// overflow is checked (debug builds, the fuzzers). A panic inside jaq is the run's error.
#[test]
fn a_panic_inside_jaq_is_an_error_of_the_run() {
    let filter = Filter::parse("gmtime").unwrap();
    let outcome = filter.run(&json!(-5_115_111_111_111_111i64));
    if cfg!(debug_assertions) {
        let e = outcome.unwrap_err();
        assert!(e.message.contains("failed inside jaq"), "{e:?}");
        assert!(e.message.contains("overflow"), "{e:?}");
    }
}
