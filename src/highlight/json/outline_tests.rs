use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::highlight::Document;

/// The pretty-printed lines of `json`.
fn pretty_lines(json: &str) -> Vec<String> {
    match super::super::pretty(json) {
        Ok(p) => p.shown().lines().map(str::to_string).collect(),
        Err(e) => panic!("{json}: {e}"),
    }
}

struct Doc {
    lines: Vec<String>,
    outline: Outline,
}

impl Doc {
    fn new(json: &str) -> Doc {
        let lines = pretty_lines(json);
        let outline = Outline::build(lines.len(), |i| lines[i].as_str());
        Doc { lines, outline }
    }

    fn line<'a>(&'a self) -> impl Fn(usize) -> &'a str {
        |i| self.lines.get(i).map_or("", String::as_str)
    }

    fn path(&self, at: usize) -> String {
        self.outline.path_at(at, self.line())
    }

    fn value(&self, at: usize) -> String {
        let line = self.line();
        self.outline.value_at(at, |i| (0, line(i)))
    }

    fn paths(&self) -> Vec<String> {
        (0..self.lines.len()).map(|i| self.path(i)).collect()
    }

    /// What each visible row shows: the line's text, or for a fold, its opening line and summary.
    fn shown(&self, rows: &Rows) -> Vec<String> {
        rows.window(0..rows.len())
            .map(|row| match row.fold_end {
                Some(end) => {
                    assert_eq!(self.outline.fold_end(row.line), Some(end));
                    let summary = self.outline.fold_summary(row.line).expect("a container");
                    format!("{} {summary}", self.lines[row.line])
                }
                None => self.lines[row.line].clone(),
            })
            .collect()
    }
}

const SHOP: &str = r#"{"name":"shop","items":[{"id":1,"tags":["a","b"],"owner":{"login":"ada"}},{"id":2,"tags":[],"owner":{}},3,[4,[5]]],"n":null}"#;

// Line numbers of SHOP pretty-printed.
//  0 {
//  1   "name": "shop",
//  2   "items": [
//  3     {
//  4       "id": 1,
//  5       "tags": [
//  6         "a",
//  7         "b"
//  8       ],
//  9       "owner": {
// 10         "login": "ada"
// 11       }
// 12     },
// 13     {
// 14       "id": 2,
// 15       "tags": [],
// 16       "owner": {}
// 17     },
// 18     3,
// 19     [
// 20       4,
// 21       [
// 22         5
// 23       ]
// 24     ]
// 25   ],
// 26   "n": null
// 27 }

#[test]
fn the_pretty_form_is_as_expected() {
    let doc = Doc::new(SHOP);
    assert_eq!(doc.lines.len(), 28);
    assert_eq!(doc.lines[9], "      \"owner\": {");
    assert_eq!(doc.lines[22], "        5");
    assert_eq!(doc.outline.container_count(), 8);
    assert_eq!(doc.outline.line_count(), 28);
}

#[test]
fn fold_ends_and_summaries() {
    let doc = Doc::new(SHOP);
    let o = &doc.outline;
    assert_eq!(o.fold_end(0), Some(27));
    assert_eq!(o.fold_end(2), Some(25));
    assert_eq!(o.fold_end(3), Some(12));
    assert_eq!(o.fold_end(21), Some(23));
    assert_eq!(o.fold_end(1), None);
    assert_eq!(o.fold_end(15), None, "an empty array is not foldable");
    assert_eq!(o.fold_end(12), None, "a closing line");
    assert_eq!(o.fold_end(99), None);
    assert_eq!(o.fold_summary(0).as_deref(), Some("{…} 3 keys"));
    assert_eq!(o.fold_summary(2).as_deref(), Some("[…] 4 items"));
    assert_eq!(o.fold_summary(3).as_deref(), Some("{…} 3 keys"));
    assert_eq!(o.fold_summary(9).as_deref(), Some("{…} 1 key"));
    assert_eq!(o.fold_summary(21).as_deref(), Some("[…] 1 item"));
    assert_eq!(o.fold_summary(5).as_deref(), Some("[…] 2 items"));
    assert_eq!(o.fold_summary(4), None);
}

#[test]
fn summaries_use_thousands_separators() {
    let json = format!("[{}]", vec!["1"; 1234].join(","));
    let doc = Doc::new(&json);
    assert_eq!(
        doc.outline.fold_summary(0).as_deref(),
        Some("[…] 1,234 items")
    );
}

#[test]
fn paths_of_every_line() {
    let doc = Doc::new(SHOP);
    assert_eq!(
        doc.paths(),
        [
            "$",
            "$.name",
            "$.items",
            "$.items[0]",
            "$.items[0].id",
            "$.items[0].tags",
            "$.items[0].tags[0]",
            "$.items[0].tags[1]",
            "$.items[0].tags",
            "$.items[0].owner",
            "$.items[0].owner.login",
            "$.items[0].owner",
            "$.items[0]",
            "$.items[1]",
            "$.items[1].id",
            "$.items[1].tags",
            "$.items[1].owner",
            "$.items[1]",
            "$.items[2]",
            "$.items[3]",
            "$.items[3][0]",
            "$.items[3][1]",
            "$.items[3][1][0]",
            "$.items[3][1]",
            "$.items[3]",
            "$.items",
            "$.n",
            "$",
        ]
    );
    assert_eq!(doc.path(1000), "$");
}

#[test]
fn array_indices_count_scalars_and_containers() {
    let doc = Doc::new(r#"[1,{"a":[2]},3,4,[],[5,6],{},7]"#);
    let at = |text: &str| doc.lines.iter().position(|l| l.trim() == text).unwrap();
    assert_eq!(doc.path(at("1,")), "$[0]");
    assert_eq!(doc.path(at("3,")), "$[2]");
    assert_eq!(doc.path(at("4,")), "$[3]");
    assert_eq!(doc.path(at("[],")), "$[4]");
    assert_eq!(doc.path(at("6")), "$[5][1]");
    assert_eq!(doc.path(at("{},")), "$[6]");
    assert_eq!(doc.path(at("7")), "$[7]");
    assert_eq!(doc.path(at("2")), "$[1].a[0]");
}

#[test]
fn keys_that_are_not_member_name_shorthands_use_brackets() {
    let json = r#"{"a.b":{"it's":1,"日本":2,"q\"uote":3,"back\\slash":4,"":5,"_x1":6,"1a":7,"tab\t":8,"\u0001":9,"caf\u00e9":10,"A_b9":11,"sp ace":12}}"#;
    let doc = Doc::new(json);
    let paths: Vec<String> = doc.paths()[2..14].to_vec();
    assert_eq!(
        paths,
        [
            r"$['a.b']['it\'s']",
            r"$['a.b'].日本",
            r#"$['a.b']['q"uote']"#,
            r"$['a.b']['back\\slash']",
            r"$['a.b']['']",
            r"$['a.b']._x1",
            r"$['a.b']['1a']",
            r"$['a.b']['tab\t']",
            r"$['a.b']['\u0001']",
            r"$['a.b'].café",
            r"$['a.b'].A_b9",
            r"$['a.b']['sp ace']",
        ]
    );
    // Each one finds its value.
    let value: Value = serde_json::from_str(json).unwrap();
    for (i, path) in paths.iter().enumerate() {
        let found = crate::model::json_path::parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .query(&value)
            .exactly_one()
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .clone();
        assert_eq!(found, Value::from(i + 1), "{path}");
    }
}

#[test]
fn values_without_key_and_comma() {
    let doc = Doc::new(SHOP);
    assert_eq!(doc.value(1), "\"shop\"");
    assert_eq!(doc.value(26), "null");
    assert_eq!(doc.value(18), "3");
    assert_eq!(doc.value(15), "[]");
    assert_eq!(doc.value(16), "{}");
    let owner = "{\n  \"login\": \"ada\"\n}";
    assert_eq!(doc.value(9), owner);
    assert_eq!(doc.value(11), owner, "the closing line gives the container");
    assert_eq!(doc.value(19), "[\n  4,\n  [\n    5\n  ]\n]");
    assert_eq!(doc.value(0), doc.lines.join("\n"));
    // Strings that look like keys or end in a comma stay whole.
    let doc = Doc::new(r#"{"k": ["a\": b", "x,", ","]}"#);
    assert_eq!(doc.value(2), r#""a\": b""#);
    assert_eq!(doc.value(3), r#""x,""#);
    assert_eq!(doc.value(4), r#"",""#);
}

#[test]
fn top_level_scalars_and_empties() {
    for json in ["42", "\"s\"", "null", "[]", "{}"] {
        let doc = Doc::new(json);
        assert_eq!(doc.outline.container_count(), 0);
        assert_eq!(doc.paths(), ["$"]);
        assert_eq!(doc.value(0), json);
        let mut folds = Folds::new();
        assert_eq!(folds.toggle(&doc.outline, 0), None);
        folds.fold_all();
        assert_eq!(folds.rows(&doc.outline), Rows::plain(1));
    }
}

#[test]
fn values_deeper_than_the_indentation_limit() {
    let depth = super::super::MAX_INDENT_LEVELS + 8;
    let json = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let doc = Doc::new(&json);
    assert_eq!(doc.outline.container_count(), depth);
    let deepest = depth;
    assert_eq!(doc.path(deepest), format!("${}", "[0]".repeat(depth)));
    assert_eq!(doc.value(deepest), "1");
    let inner = depth - 3;
    let expected = format!("{}1{}", "[".repeat(3), "]".repeat(3));
    let value = doc.value(inner);
    assert_eq!(
        serde_json::from_str::<Value>(&value).unwrap(),
        serde_json::from_str::<Value>(&expected).unwrap()
    );
}

#[test]
fn toggling_folds_the_line_or_the_container_around_it() {
    let doc = Doc::new(SHOP);
    let o = &doc.outline;
    let mut folds = Folds::new();
    assert!(folds.is_empty());
    assert_eq!(folds.rows(o), Rows::plain(28));
    // On an opening line.
    assert_eq!(folds.toggle(o, 9), Some(9));
    assert!(folds.is_folded(o, 9));
    let rows = folds.rows(o);
    assert_eq!(rows.len(), 26);
    assert_eq!(
        rows.row(9),
        Some(Row {
            line: 9,
            fold_end: Some(11)
        })
    );
    assert_eq!(
        rows.row(10),
        Some(Row {
            line: 12,
            fold_end: None
        })
    );
    assert_eq!(rows.row(26), None);
    assert_eq!(
        doc.shown(&rows)[7..10],
        ["        \"b\"", "      ],", "      \"owner\": { {…} 1 key",][..]
    );
    // On a member: the innermost container around it (the array of tags).
    assert_eq!(folds.toggle(o, 6), Some(5));
    assert!(folds.is_folded(o, 5));
    // On a closing line: that container.
    assert_eq!(folds.toggle(o, 12), Some(3));
    let rows = folds.rows(o);
    assert_eq!(rows.len(), 28 - 9);
    assert_eq!(
        rows.folds(),
        1,
        "the inner folds are hidden in the outer one"
    );
    assert_eq!(doc.shown(&rows)[3], "    { {…} 3 keys");
    // Unfolding the outer one shows the inner folds again.
    assert_eq!(folds.toggle(o, 3), Some(3));
    assert_eq!(folds.rows(o).folds(), 2);
    // A line outside any container.
    let scalar = Doc::new("7");
    assert_eq!(Folds::new().toggle(&scalar.outline, 0), None);
    // Explicit fold and unfold.
    assert_eq!(folds.set(o, 20, true), Some(19));
    assert_eq!(folds.set(o, 20, true), Some(19));
    assert!(folds.is_folded(o, 19));
    assert_eq!(folds.set(o, 19, false), Some(19));
    assert!(!folds.is_folded(o, 19));
    folds.unfold_all();
    assert!(folds.is_empty());
    assert_eq!(folds.rows(o), Rows::plain(28));
}

#[test]
fn fold_all_keeps_the_top_level_open() {
    let doc = Doc::new(SHOP);
    let o = &doc.outline;
    let mut folds = Folds::new();
    folds.fold_all();
    assert!(!folds.is_empty());
    let rows = folds.rows(o);
    assert_eq!(
        doc.shown(&rows),
        [
            "{",
            "  \"name\": \"shop\",",
            "  \"items\": [ […] 4 items",
            "  \"n\": null",
            "}"
        ]
    );
    // Unfold the array: its containers stay folded.
    assert_eq!(folds.toggle(o, 2), Some(2));
    let shown = doc.shown(&folds.rows(o));
    assert_eq!(
        shown[2..8],
        [
            "  \"items\": [",
            "    { {…} 3 keys",
            "    { {…} 3 keys",
            "    3,",
            "    [ […] 2 items",
            "  ],"
        ][..]
    );
    // The top level folds too when asked.
    assert_eq!(folds.toggle(o, 0), Some(0));
    assert_eq!(doc.shown(&folds.rows(o)), ["{ {…} 3 keys"]);
    folds.unfold_all();
    assert_eq!(folds.rows(o), Rows::plain(28));
}

#[test]
fn rows_and_lines_map_both_ways() {
    let doc = Doc::new(SHOP);
    let o = &doc.outline;
    let mut folds = Folds::new();
    folds.toggle(o, 3); // lines 3..=12
    folds.toggle(o, 21); // lines 21..=23
    let rows = folds.rows(o);
    assert_eq!(rows.len(), 28 - 9 - 2);
    let lines: Vec<usize> = rows.window(0..100).map(|r| r.line).collect();
    let expected: Vec<usize> = (0..=3).chain(13..=21).chain(24..28).collect();
    assert_eq!(lines, expected);
    for (row, &line) in expected.iter().enumerate() {
        assert_eq!(rows.row_of_line(line), row);
        assert_eq!(rows.line_of_row(row), line);
    }
    // Hidden lines map to their fold's row.
    assert_eq!(rows.row_of_line(7), 3);
    assert_eq!(rows.row_of_line(12), 3);
    assert_eq!(rows.row_of_line(22), 12);
    assert_eq!(rows.row_of_line(500), rows.len() - 1);
    assert_eq!(rows.line_of_row(500), 27);
    // A fold ending at the last line.
    folds.toggle(o, 0);
    let rows = folds.rows(o);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows.row_of_line(27), 0);
    assert_eq!(rows.window(0..5).count(), 1);
}

#[test]
fn an_outline_of_a_document() {
    let doc = Document::from_body(SHOP.as_bytes(), Some("application/json"));
    let outline = Outline::of(&doc).expect("pretty JSON");
    assert_eq!(outline.container_count(), 8);
    assert_eq!(
        outline.path_at(10, |i| doc.content(i)),
        "$.items[0].owner.login"
    );
    assert!(Outline::of(&Document::from_body(b"plain", None)).is_none());
}

#[test]
fn lines_that_are_not_json_belong_to_no_container() {
    // What a stream of records gives `build`: its values, and blanks for the lines between.
    let mut lines = pretty_lines(r#"{"a":[1]}"#);
    lines.push(String::new());
    lines.extend(pretty_lines(r#"[{"b":2}]"#));
    let outline = Outline::build(lines.len(), |i| lines[i].as_str());
    let line = |i: usize| lines[i].as_str();
    assert_eq!(outline.container_count(), 4);
    assert_eq!(outline.fold_end(0), Some(4));
    assert_eq!(outline.fold_end(6), Some(10));
    assert_eq!(outline.path_at(2, line), "$.a[0]");
    assert_eq!(outline.path_at(8, line), "$[0].b");
    assert_eq!(outline.path_at(5, line), "$");
    let mut folds = Folds::new();
    folds.fold_all();
    assert_eq!(folds.rows(&outline).folds(), 2);
}

#[test]
fn text_that_is_not_pretty_json_gives_a_partial_outline() {
    let lines = ["]", "{", "  [", "x", "}", "}", "{"];
    let outline = Outline::build(lines.len(), |i| lines[i]);
    let line = |i: usize| lines[i];
    for i in 0..lines.len() + 2 {
        let _ = (outline.path_at(i, line), outline.fold_summary(i));
        if i < lines.len() {
            let _ = outline.value_at(i, |i| (0, line(i)));
        }
    }
    let mut folds = Folds::new();
    for i in 0..lines.len() {
        folds.toggle(&outline, i);
        let rows = folds.rows(&outline);
        assert!(rows.len() <= lines.len());
    }
    assert_eq!(outline.fold_end(6), Some(6));
}

/// A document's lines as rows, computed the slow way: line by line, skipping folded containers.
fn naive_rows(doc: &Doc, folds: &Folds) -> Vec<Row> {
    let mut out = Vec::new();
    let mut line = 0;
    while line < doc.lines.len() {
        if folds.is_folded(&doc.outline, line) {
            let end = doc.outline.fold_end(line).expect("an opening line");
            out.push(Row {
                line,
                fold_end: Some(end),
            });
            line = end + 1;
        } else {
            out.push(Row {
                line,
                fold_end: None,
            });
            line += 1;
        }
    }
    out
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z \"\\\\é😀\t]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "id", "a.b", "it's", "日本", "q\"", "b\\s", "", "_x", "1a", "t\tb", "x y",
                        "$", "[0]", "*", "..",
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|members| Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect()
            )),
        ]
    })
}

proptest! {
    /// The value of every line parses, and is what its path finds in the original document.
    #[test]
    fn path_at_finds_value_at(value in json_value()) {
        let json = serde_json::to_string(&value).unwrap();
        let original: Value = serde_json::from_str(&json).unwrap();
        let doc = Doc::new(&json);
        for i in 0..doc.lines.len() {
            let text = doc.value(i);
            let parsed: Value = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("line {i} {text:?}: {e}")))?;
            let path = doc.path(i);
            let query = crate::model::json_path::parse(&path)
                .map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            let found = query
                .query(&original)
                .exactly_one()
                .map_err(|e| TestCaseError::fail(format!("line {i} {path}: {e}")))?;
            prop_assert_eq!(found, &parsed, "line {} {}", i, path);
        }
    }

    /// Any toggles give the rows a line-by-line walk gives; unfolding all gives back every line.
    #[test]
    fn folding_then_unfolding_gives_back_every_line(
        value in json_value(),
        toggles in prop::collection::vec((any::<prop::sample::Index>(), 0u8..8), 0..12),
    ) {
        let json = serde_json::to_string(&value).unwrap();
        let doc = Doc::new(&json);
        let o = &doc.outline;
        let n = doc.lines.len();
        let mut folds = Folds::new();
        prop_assert_eq!(folds.rows(o), Rows::plain(n));
        for (at, action) in toggles {
            let line = at.index(n);
            match action {
                0 => folds.fold_all(),
                1 => folds.unfold_all(),
                2 => { folds.set(o, line, true); }
                3 => { folds.set(o, line, false); }
                _ => {
                    let before = folds.clone();
                    if let Some(open) = folds.toggle(o, line) {
                        // Toggling again, on the container's own line, goes back.
                        let mut again = folds.clone();
                        again.toggle(o, open);
                        prop_assert_eq!(again.rows(o), before.rows(o));
                    }
                }
            }
            let rows = folds.rows(o);
            let expected = naive_rows(&doc, &folds);
            prop_assert_eq!(rows.len(), expected.len());
            let got: Vec<Row> = rows.window(0..n).collect();
            prop_assert_eq!(&got, &expected);
            for (r, row) in expected.iter().enumerate() {
                prop_assert_eq!(rows.line_of_row(r), row.line);
                for line in row.line..=row.fold_end.unwrap_or(row.line) {
                    prop_assert_eq!(rows.row_of_line(line), r);
                }
            }
        }
        folds.unfold_all();
        let rows = folds.rows(o);
        prop_assert_eq!(rows.len(), n);
        let lines: Vec<usize> = rows.window(0..n).map(|r| r.line).collect();
        prop_assert_eq!(lines, (0..n).collect::<Vec<_>>());
    }
}

#[test]
fn a_stream_of_records_is_outlined_record_by_record() {
    // Lines that are not JSON (a record that does not parse, an event's header) may end in `{`:
    // they open nothing.
    let body = b"{\"a\":1}\n{\"b\":[1,2]}\nnope {\n";
    let doc = Document::from_body(body, Some("application/x-ndjson"));
    let outline = Outline::of(&doc).expect("pretty JSON records");
    let line = |i| doc.content(i);
    assert_eq!(doc.line(9), "nope {", "{doc:?}");
    assert_eq!(outline.container_count(), 3);
    assert_eq!(outline.fold_end(3), Some(8));
    assert_eq!(outline.fold_end(9), None);
    assert_eq!(outline.path_at(6, line), "$.b[1]");
    assert_eq!(
        outline.value_at(4, |i| (doc.indent(i), doc.content(i))),
        "[\n  1,\n  2\n]"
    );
    let events = b"event: up {\ndata: {\"x\":[1]}\n\ndata: [2]\n\n";
    let doc = Document::from_body(events, Some("text/event-stream"));
    let outline = Outline::of(&doc).expect("pretty JSON events");
    assert!(doc.line(0).ends_with('{'), "{doc:?}");
    assert_eq!(outline.fold_end(0), None);
    assert_eq!(outline.fold_end(1), Some(5));
    assert_eq!(outline.path_at(3, |i| doc.content(i)), "$.x[0]");
}
