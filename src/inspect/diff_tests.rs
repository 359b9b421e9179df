use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

fn none() -> Ignore {
    Ignore::none()
}

fn ignore(paths: &[&str]) -> Ignore {
    let texts: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    Ignore::parse(&texts).expect("valid ignore paths")
}

fn paths(d: &Diff) -> Vec<&str> {
    d.changes.iter().map(Change::path).collect()
}

fn changed(path: &str, before: Value, after: Value) -> Change {
    Change::Changed {
        path: path.into(),
        before,
        after,
    }
}

fn added(path: &str, value: Value) -> Change {
    Change::Added {
        path: path.into(),
        value,
    }
}

fn removed(path: &str, value: Value) -> Change {
    Change::Removed {
        path: path.into(),
        value,
    }
}

#[test]
fn equal_documents_have_no_changes() {
    let doc = json!({"a": [1, {"b": null}], "c": "x", "d": true});
    let d = diff(&doc, &doc, &none());
    assert!(d.is_empty());
    assert_eq!(summary(&d), "0 changed, 0 added, 0 removed");
}

#[test]
fn keys_added_removed_and_changed() {
    let before = json!({"keep": 1, "change": "old", "gone": [1, 2]});
    let after = json!({"keep": 1, "change": "new", "new": {"x": 1}});
    let d = diff(&before, &after, &none());
    assert_eq!(
        d.changes,
        vec![
            changed("$.change", json!("old"), json!("new")),
            added("$.new", json!({"x": 1})),
            removed("$.gone", json!([1, 2])),
        ]
    );
    assert_eq!(summary(&d), "1 changed, 1 added, 1 removed");
}

#[test]
fn key_order_is_ignored() {
    let before = json!({"a": 1, "b": 2, "c": 3});
    let after = json!({"c": 3, "a": 1, "b": 2});
    assert!(diff(&before, &after, &none()).is_empty());
}

#[test]
fn members_follow_the_shown_documents_order() {
    let before = json!({"a": 1, "b": 1});
    let after = json!({"b": 2, "a": 2});
    assert_eq!(paths(&diff(&before, &after, &none())), ["$.b", "$.a"]);
}

#[test]
fn an_array_that_grew_has_added_indices() {
    let d = diff(&json!([1, 2]), &json!([1, 3, 4, 5]), &none());
    assert_eq!(
        d.changes,
        vec![
            changed("$[1]", json!(2), json!(3)),
            added("$[2]", json!(4)),
            added("$[3]", json!(5)),
        ]
    );
}

#[test]
fn an_array_that_shrank_has_removed_indices() {
    let d = diff(&json!({"xs": [1, 2, 3]}), &json!({"xs": [1]}), &none());
    assert_eq!(
        d.changes,
        vec![removed("$.xs[1]", json!(2)), removed("$.xs[2]", json!(3))]
    );
}

#[test]
fn a_type_change_is_one_change() {
    let d = diff(
        &json!({"v": {"deep": [1, 2]}}),
        &json!({"v": [1, 2]}),
        &none(),
    );
    assert_eq!(
        d.changes,
        vec![changed("$.v", json!({"deep": [1, 2]}), json!([1, 2]))]
    );
    let d = diff(&json!([null, "1", 1]), &json!([false, 1, "1"]), &none());
    assert_eq!(paths(&d), ["$[0]", "$[1]", "$[2]"]);
}

#[test]
fn numbers_compare_by_value() {
    let before: Value =
        serde_json::from_str(r#"[1, 1.0, 1e2, -0, 2.5, 9007199254740993]"#).unwrap();
    let after: Value =
        serde_json::from_str(r#"[1.0, 1, 100, 0.0, 2.50, 9007199254740993]"#).unwrap();
    assert!(diff(&before, &after, &none()).is_empty());

    // Beyond 2^53 a float cannot stand for every integer: the nearest one is not equal.
    let before: Value =
        serde_json::from_str("[9007199254740993, 1, 18446744073709551615]").unwrap();
    let after: Value = serde_json::from_str("[9007199254740992.0, 1.5, -1]").unwrap();
    assert_eq!(
        paths(&diff(&before, &after, &none())),
        ["$[0]", "$[1]", "$[2]"]
    );
}

#[test]
fn nested_paths_are_normalized_jsonpaths() {
    let before = json!({"items": [{"owner": {"login": "a"}}, {"owner": {"login": "b"}}]});
    let after = json!({"items": [{"owner": {"login": "a"}}, {"owner": {"login": "c"}}]});
    assert_eq!(
        paths(&diff(&before, &after, &none())),
        ["$.items[1].owner.login"]
    );
}

#[test]
fn keys_that_are_not_identifiers_are_bracketed_and_escaped() {
    let before = json!({
        "a key": 1, "it's": 1, "back\\slash": 1, "line\nbreak": 1, "bell\u{7}": 1,
        "": 1, "0abc": 1, "_ok9": 1, "ünï": 1, "a-b": 1, "tab\t": 1,
    });
    let after = json!({
        "a key": 2, "it's": 2, "back\\slash": 2, "line\nbreak": 2, "bell\u{7}": 2,
        "": 2, "0abc": 2, "_ok9": 2, "ünï": 2, "a-b": 2, "tab\t": 2,
    });
    let d = diff(&before, &after, &none());
    assert_eq!(
        paths(&d),
        [
            "$['a key']",
            r"$['it\'s']",
            r"$['back\\slash']",
            r"$['line\nbreak']",
            r"$['bell\u0007']",
            "$['']",
            "$['0abc']",
            "$._ok9",
            "$.ünï",
            "$['a-b']",
            r"$['tab\t']",
        ]
    );
    // Every path reads back as a JSONPath that selects the changed node.
    for change in &d.changes {
        let path = crate::model::json_path::parse(change.path())
            .unwrap_or_else(|e| panic!("{}: {e}", change.path()));
        assert_eq!(path.query(&after).all(), [&json!(2)], "{}", change.path());
    }
}

#[test]
fn ignore_descendant_id_masks_every_id() {
    let before = json!({"id": 1, "items": [{"id": 2, "name": "a"}, {"id": 3, "name": "b"}],
        "meta": {"id": 4}});
    let after = json!({"id": 9, "items": [{"id": 8, "name": "a"}, {"id": 7, "name": "B"}],
        "meta": {"id": 6}});
    let d = diff(&before, &after, &ignore(&["$..id"]));
    assert_eq!(
        d.changes,
        vec![changed("$.items[1].name", json!("b"), json!("B"))]
    );
}

#[test]
fn ignore_wildcard_member_of_every_element() {
    let before = json!({"a": [{"b": 1, "c": 1}, {"b": 1, "c": 1}], "b": 1});
    let after = json!({"a": [{"b": 2, "c": 1}, {"b": 3, "c": 2}], "b": 2});
    let d = diff(&before, &after, &ignore(&["$.a[*].b"]));
    assert_eq!(paths(&d), ["$.a[1].c", "$.b"]);
}

#[test]
fn ignore_masks_added_and_removed_members() {
    // `updated_at` only in `after`, `etag` only in `before`: both documents' nodes are masked.
    let before = json!({"name": "x", "etag": "1"});
    let after = json!({"name": "x", "updated_at": "now"});
    assert!(diff(&before, &after, &ignore(&["$.updated_at", "$.etag"])).is_empty());
    assert_eq!(diff(&before, &after, &ignore(&["$.etag"])).counts.added, 1);
}

#[test]
fn a_masked_subtree_is_skipped_entirely() {
    let before = json!({"meta": {"deep": [1, {"x": 1}]}, "v": 1});
    let after = json!({"meta": {"deep": [2], "more": true}, "v": 2});
    let d = diff(&before, &after, &ignore(&["$.meta"]));
    assert_eq!(paths(&d), ["$.v"]);
    // Ignoring the root ignores everything.
    assert!(diff(&before, &after, &ignore(&["$"])).is_empty());
}

#[test]
fn ignore_selecting_in_one_document_masks_the_node_in_both() {
    // The filter selects `$.items[1]` only in `before`; the node is skipped on both sides.
    let before = json!({"items": [{"kind": "a", "n": 1}, {"kind": "tmp", "n": 1}]});
    let after = json!({"items": [{"kind": "a", "n": 2}, {"kind": "b", "n": 2}]});
    let d = diff(&before, &after, &ignore(&["$.items[?@.kind == 'tmp']"]));
    assert_eq!(paths(&d), ["$.items[0].n"]);
}

#[test]
fn a_bad_ignore_path_is_named() {
    let texts = vec!["$.ok".to_string(), "$.items[".to_string()];
    let err = Ignore::parse(&texts).unwrap_err();
    assert!(err.contains("`$.items[`"), "{err}");
    assert!(err.contains("not a valid JSONPath"), "{err}");
    assert!(Ignore::parse(&["updated_at".to_string()]).is_err());
}

#[test]
fn the_list_is_capped_and_the_rest_counted() {
    let n = MAX_CHANGES + 50;
    let before = Value::Array((0..n).map(|i| json!(i)).collect());
    let after = Value::Array((0..n).map(|i| json!(i + 1)).collect());
    let d = diff(&before, &after, &none());
    assert_eq!(d.changes.len(), MAX_CHANGES);
    assert_eq!(d.more, 50);
    assert_eq!(d.counts.changed, n);
    assert_eq!(
        summary(&d),
        format!("{n} changed, 0 added, 0 removed (first {MAX_CHANGES} listed, 50 more)")
    );
}

/// One element of the large document: about 215 bytes of JSON.
fn item(i: usize) -> Value {
    json!({
        "id": i,
        "login": format!("user{i}"),
        "name": format!("A person called number {i}"),
        "updated_at": "2024-05-01T12:00:00Z",
        "score": i as f64 * 0.25,
        "active": i.is_multiple_of(3),
        "tags": ["alpha", "beta", format!("t{}", i % 17)],
        "owner": {"login": format!("owner{}", i % 101), "id": i * 7, "site": null},
    })
}

#[test]
fn two_ten_megabyte_documents_differing_in_a_hundred_values() {
    let count = 48_000;
    let before = json!({"total": count, "items": (0..count).map(item).collect::<Vec<_>>()});
    let size = serde_json::to_vec(&before).unwrap().len();
    assert!(size >= 10_000_000, "the document is {size} bytes");
    let mut after = before.clone();
    for k in 0..100 {
        let i = k * (count / 100) + 13;
        after["items"][i]["owner"]["login"] = json!(format!("moved{k}"));
    }

    let start = Instant::now();
    let d = diff(&before, &after, &none());
    let plain = start.elapsed();
    assert_eq!(d.counts.changed, 100);
    assert_eq!(d.changes[0].path(), "$.items[13].owner.login");

    let start = Instant::now();
    let masked = diff(
        &before,
        &after,
        &ignore(&["$..id", "$.items[*].updated_at"]),
    );
    let with_ignore = start.elapsed();
    assert_eq!(masked.counts.changed, 100);

    println!(
        "diff of two {:.1} MB documents, 100 changes: {plain:?}; with `$..id` and \
         `$.items[*].updated_at` ignored: {with_ignore:?}",
        size as f64 / 1e6
    );
    // The target is 500 ms in release; a debug build is many times slower.
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(20)
    } else {
        Duration::from_millis(500)
    };
    assert!(plain < bound, "{plain:?}");
    assert!(with_ignore < bound, "{with_ignore:?}");
}

// --- properties ------------------------------------------------------------------------------

/// JSON values whose numbers never compare equal across kinds (integers, and floats with a
/// fraction), so `Value`'s own equality agrees with the diff's; keys from a small pool (so two
/// objects share members) that needs escaping.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "a", "b", "id", "a key", "it's", "x\\y", "", "0", "ü", "\n",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..4).prop_map(|n| json!(n)),
        (-3i64..4).prop_map(|n| json!(n as f64 + 0.5)),
        prop::sample::select(vec!["", "x", "y"]).prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5).prop_map(|members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// Two documents that are often close: `b` is `a` with a few edits, or unrelated.
fn json_pair() -> impl Strategy<Value = (Value, Value)> {
    prop_oneof![
        (json_value(), json_value()),
        (json_value(), json_value(), any::<u64>()).prop_map(|(a, other, seed)| {
            let mut b = a.clone();
            graft(&mut b, &other, seed);
            (a, b)
        }),
    ]
}

/// Replaces one node of `doc` (picked by `seed`) with `other`.
fn graft(doc: &mut Value, other: &Value, seed: u64) {
    match doc {
        Value::Array(xs) if !xs.is_empty() && !seed.is_multiple_of(4) => {
            let i = (seed / 4) as usize % xs.len();
            graft(&mut xs[i], other, seed / 7);
        }
        Value::Object(m) if !m.is_empty() && !seed.is_multiple_of(4) => {
            let i = (seed / 4) as usize % m.len();
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            if let Some(v) = m.get_mut(&key) {
                graft(v, other, seed / 7);
            }
        }
        _ => *doc = other.clone(),
    }
}

/// One step of a normalized path as the diff writes it.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Reads `$`, `.name`, `['escaped']` and `[i]` back into steps.
fn steps(path: &str) -> Vec<Step> {
    let mut chars = path.strip_prefix('$').expect(path).chars().peekable();
    let mut out = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    name.push(c);
                    chars.next();
                }
                out.push(Step::Key(name));
            }
            '[' if chars.peek() == Some(&'\'') => {
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next().expect(path) {
                        '\'' => break,
                        '\\' => match chars.next().expect(path) {
                            'n' => name.push('\n'),
                            't' => name.push('\t'),
                            'r' => name.push('\r'),
                            'b' => name.push('\u{8}'),
                            'f' => name.push('\u{c}'),
                            'u' => {
                                let hex: String = chars.by_ref().take(4).collect();
                                let code = u32::from_str_radix(&hex, 16).expect(path);
                                name.push(char::from_u32(code).expect(path));
                            }
                            c => name.push(c),
                        },
                        c => name.push(c),
                    }
                }
                assert_eq!(chars.next(), Some(']'), "{path}");
                out.push(Step::Key(name));
            }
            '[' => {
                let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
                out.push(Step::Index(digits.parse().expect(path)));
            }
            _ => panic!("unexpected {c:?} in {path}"),
        }
    }
    out
}

/// The node at `path`'s parent, and the last step.
fn parent<'v>(doc: &'v mut Value, path: &str) -> (&'v mut Value, Option<Step>) {
    let mut steps = steps(path);
    let last = steps.pop();
    let mut node = doc;
    for step in steps {
        node = match step {
            Step::Key(k) => node.get_mut(&k).expect(path),
            Step::Index(i) => node.get_mut(i).expect(path),
        };
    }
    (node, last)
}

/// `doc` with the changes applied: changes and additions in order (an array's added indices
/// come in ascending order, so each is a push), then removals from the last (so an array's
/// removed indices come off its end).
fn apply(doc: &Value, changes: &[Change]) -> Value {
    let mut doc = doc.clone();
    for change in changes {
        match change {
            Change::Changed { path, after, .. } => match parent(&mut doc, path) {
                (root, None) => *root = after.clone(),
                (node, Some(Step::Key(k))) => node[k.as_str()] = after.clone(),
                (node, Some(Step::Index(i))) => node[i] = after.clone(),
            },
            Change::Added { path, value } => match parent(&mut doc, path) {
                (node, Some(Step::Key(k))) => {
                    node.as_object_mut().expect(path).insert(k, value.clone());
                }
                (node, Some(Step::Index(i))) => {
                    let xs = node.as_array_mut().expect(path);
                    assert_eq!(xs.len(), i, "{path}");
                    xs.push(value.clone());
                }
                (_, None) => panic!("added at the root"),
            },
            Change::Removed { .. } => {}
        }
    }
    for change in changes.iter().rev() {
        if let Change::Removed { path, .. } = change {
            match parent(&mut doc, path) {
                (node, Some(Step::Key(k))) => {
                    node.as_object_mut().expect(path).remove(&k);
                }
                (node, Some(Step::Index(i))) => {
                    let xs = node.as_array_mut().expect(path);
                    assert_eq!(xs.len(), i + 1, "{path}");
                    xs.pop();
                }
                (_, None) => panic!("removed at the root"),
            }
        }
    }
    doc
}

proptest! {
    #[test]
    fn a_document_diffed_with_itself_is_empty(a in json_value()) {
        let d = diff(&a, &a, &none());
        prop_assert!(d.is_empty(), "{:?}", d.changes);
        prop_assert!(d.changes.is_empty());
    }

    #[test]
    fn the_diff_is_empty_exactly_when_the_documents_are_equal((a, b) in json_pair()) {
        let d = diff(&a, &b, &none());
        prop_assert_eq!(d.is_empty(), a == b, "{:?}", d.changes);
        prop_assert_eq!(d.changes.len(), d.counts.total());
    }

    #[test]
    fn applying_the_changes_of_a_to_b_gives_b((a, b) in json_pair()) {
        let d = diff(&a, &b, &none());
        prop_assert_eq!(apply(&a, &d.changes), b);
    }

    #[test]
    fn every_path_selects_its_node((a, b) in json_pair()) {
        for change in diff(&a, &b, &none()).changes {
            let path = crate::model::json_path::parse(change.path())
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", change.path())))?;
            let (doc, node) = match &change {
                Change::Added { value, .. } => (&b, value),
                Change::Removed { value, .. } => (&a, value),
                Change::Changed { after, .. } => (&b, after),
            };
            prop_assert_eq!(path.query(doc).all(), vec![node], "{}", change.path());
        }
    }

    /// The masked diff is the full diff less the changes at or under a location an ignore path
    /// selects in either document (found here the slow way, with `query_located`).
    #[test]
    fn masking_drops_exactly_the_changes_under_selected_locations(
        (a, b) in json_pair(),
        texts in prop::sample::select(vec![
            vec!["$..id"],
            vec!["$.a", "$..b[0]"],
            vec!["$[*].a"],
            vec!["$..[?@.id == 1]"],
            vec!["$..*[1]", "$['a key']"],
        ]),
    ) {
        let masks = ignore(&texts);
        let mut located: Vec<Vec<Step>> = Vec::new();
        for text in &texts {
            let path = crate::model::json_path::parse(text).expect("valid");
            for doc in [&a, &b] {
                for location in path.query_located(doc).locations() {
                    located.push(location.iter().map(|e| match e {
                        serde_json_path::PathElement::Name(n) => Step::Key(n.to_string()),
                        serde_json_path::PathElement::Index(i) => Step::Index(*i),
                    }).collect());
                }
            }
        }
        let expected: Vec<Change> = diff(&a, &b, &none())
            .changes
            .into_iter()
            .filter(|c| {
                let steps = steps(c.path());
                !located.iter().any(|l| steps.starts_with(l))
            })
            .collect();
        prop_assert_eq!(diff(&a, &b, &masks).changes, expected);
    }

    #[test]
    fn an_ignored_key_never_appears((a, b) in json_pair()) {
        let d = diff(&a, &b, &ignore(&["$..id"]));
        for change in &d.changes {
            prop_assert!(
                !change.path().contains(".id"),
                "{} was not masked", change.path()
            );
        }
    }
}
