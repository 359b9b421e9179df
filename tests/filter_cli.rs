//! End-to-end tests of `scout send --filter`: the real binary, piped (so the outputs come one
//! compact JSON value per line), against the built-in demo API on 127.0.0.1 (random port).

mod support;

use serde_json::{Value, json};
use support::cli::{Demo, scout};

/// Each line of stdout as JSON.
fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?} is not JSON: {e}"))
        })
        .collect()
}

#[test]
fn jq_filter_prints_each_output_on_a_line() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/items"), "--filter", ".[] | .id"]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout_text(), "1\n2\n3\n");

    let ran = scout(&[
        "send",
        &demo.url("/items"),
        "--filter",
        "map(select(.price != null)) | map({name, price})",
    ]);
    ran.code(0).stderr_empty();
    assert_eq!(
        ran.stdout_text(),
        "[{\"name\":\"Espresso cup\",\"price\":4.5},{\"name\":\"Mechanical keyboard\",\"price\":89.99}]\n",
        "compact, one value per line, keys in the order built"
    );
}

#[test]
fn json_path_filter_prints_the_node_list() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/items"), "--filter", "$[*].tags[0]"]);
    ran.code(0).stderr_empty();
    assert_eq!(
        lines(ran.stdout_text()),
        vec![json!("kitchen"), json!("desk"), json!("outdoor")]
    );
    let ran = scout(&["send", &demo.url("/json"), "--filter", "$.store.name"]);
    ran.code(0).stderr_empty();
    assert_eq!(ran.stdout_text(), "\"Scout's Corner Shop\"\n");
}

#[test]
fn no_output_prints_nothing_and_succeeds() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        &demo.url("/items"),
        "--filter",
        ".[] | select(.id > 9)",
    ]);
    ran.code(0).stderr_empty().stdout_empty();
}

#[test]
fn bad_expression_exits_2_before_sending() {
    // Nothing listens on port 9 of the documentation address: were anything sent, the error
    // would be a transport one (exit 1), not the filter's.
    let ran = scout(&[
        "send",
        "http://192.0.2.1:9/items",
        "--filter",
        ".[] | | .id",
    ]);
    ran.fails_with(
        2,
        &[
            "--filter: error at character 7: expected term, found `|`",
            ".[] | | .id\n        ^",
        ],
    );
    let ran = scout(&["send", "http://192.0.2.1:9/", "--filter", "$.items["]);
    ran.fails_with(2, &["--filter: error at character 8", "JSONPath"]);
    let ran = scout(&["send", "http://192.0.2.1:9/", "--filter", "nosuch"]);
    ran.fails_with(2, &["`nosuch/0` is not defined"]);
}

#[test]
fn non_json_body_is_said_and_exits_1() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/html"), "--filter", "."]);
    ran.fails_with(
        1,
        &[
            "--filter: the body is not JSON (expected value at line 1 column 1); a filter works \
             on JSON",
            "200 OK, text/html",
        ],
    );
    // JSON by its Content-Type, but broken: the line and column say where.
    let ran = scout(&["send", &demo.url("/bad/json"), "--filter", "."]);
    ran.fails_with(1, &["the body is not JSON (", "line 4"]);
}

#[test]
fn runtime_error_exits_1_and_check_status_keeps_its_code() {
    let demo = Demo::start();
    let ran = scout(&["send", &demo.url("/items"), "--filter", ".[0].id | keys"]);
    ran.fails_with(1, &["--filter: cannot use 1 as iterable (array or object)"]);
    // A 404 page that is not what the filter expects: --check-status's 4 says more than 1.
    let ran = scout(&[
        "send",
        "--check-status",
        &demo.url("/status/404"),
        "--filter",
        ".[] | .id",
    ]);
    ran.code(4).stdout_empty().stderr_has(&["--filter:", "404"]);
}

#[test]
fn with_all_the_merged_array_is_filtered() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        "--all",
        &demo.url("/paged/link?size=10"),
        "--max-pages",
        "3",
        "--filter",
        "length, .[-1].id",
    ]);
    ran.code(0).stderr_has(&["paging by"]);
    assert_eq!(ran.stdout_text(), "30\n30\n");
}

#[test]
fn conflicts_with_download_offline_and_jsonl() {
    for extra in [&["--download"][..], &["--offline"], &["--all", "--jsonl"]] {
        let mut args = vec!["send", "http://192.0.2.1:9/", "--filter", "."];
        args.extend_from_slice(extra);
        let ran = scout(&args);
        ran.code(2)
            .stdout_empty()
            .stderr_has(&["cannot be used with"]);
    }
}

/// Server-sent events are filtered as the array of their JSON data, as in the app.
#[test]
fn an_event_stream_is_filtered_as_its_events_data() {
    let demo = Demo::start();
    let ran = scout(&[
        "send",
        &demo.url("/events?count=4&every=5"),
        "--filter",
        "map(.n) | add",
    ]);
    ran.code(0);
    assert_eq!(ran.stdout_text(), "10\n");
}
