//! `expect`, `capture` and `[runs]` in a collection file: read in order, and every mistake a
//! load error with its line.

use std::path::Path;
use std::time::Duration;

use crate::check::{Capture, StatusPattern};
use crate::collection::store::{LoadedFile, load_file};
use crate::collection::{ParseError, parse_collection};

const CRUD: &str = r#"
[vars]
base_url = "http://127.0.0.1:1"

[requests.create-item]
method = "POST"
url = "{{base_url}}/items"
body = { json = { name = "widget" } }
expect = { status = 201, headers = { "content-type" = "~application/json" }, json = { "$.name" = "widget", "$.id" = { type = "number" } }, max_ms = 500 }
capture = { item_id = "$.id", location = { header = "Location" } }

[requests.get-item]
folder = "items"
url = "{{base_url}}/items/{{item_id}}"

[runs.crud]
steps = ["create-item", "items/get-item", { request = "get-item", expect = { status = 404 }, vars = { item_id = 999 }, retries = 2, delay = "10ms" }]
repeat = 2
delay = "5ms"
"#;

fn parse(text: &str) -> Result<crate::collection::Collection, ParseError> {
    parse_collection(text, Path::new("/c/crud.toml"))
}

#[test]
fn the_documented_shape_loads() {
    let c = parse(CRUD).unwrap();
    let create = &c.requests[0];
    let expect = create.expect.as_ref().unwrap();
    assert_eq!(expect.status, vec![StatusPattern::Code(201)]);
    assert_eq!(expect.headers.len(), 1);
    assert_eq!(expect.json.len(), 2);
    assert_eq!(expect.max_ms, Some(500));
    let names: Vec<&str> = create.capture.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["item_id", "location"]);
    assert_eq!(create.capture[1].1, Capture::Header("Location".into()));
    let run = c.run("crud").unwrap();
    assert_eq!(run.repeat, 2);
    assert_eq!(run.delay, Some(Duration::from_millis(5)));
    let steps: Vec<&str> = run.steps.iter().map(|s| s.request.as_str()).collect();
    assert_eq!(steps, ["create-item", "items/get-item", "get-item"]);
    let last = &run.steps[2];
    assert_eq!(
        last.expect.as_ref().unwrap().status,
        vec![StatusPattern::Code(404)]
    );
    assert_eq!(last.vars, vec![("item_id".into(), "999".into())]);
    assert_eq!(
        (last.retries, last.delay),
        (2, Some(Duration::from_millis(10)))
    );
}

#[test]
fn mistakes_in_runs_and_checks_name_the_line() {
    let cases = [
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = [\"a\", \"b\"]\n",
            4,
            "run `r`: no request `b` in this file (it has: a)",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = []\n",
            4,
            "run `r` has no steps",
        ),
        (
            "[requests.a]\nurl = \"x\"\nexpect = { json = { \"$.a[\" = 1 } }\n",
            3,
            "`$.a[` is not a valid JSONPath",
        ),
        (
            "[requests.a]\nurl = \"x\"\ncapture = { id = { regex = \"(\" } }\n",
            3,
            "not a valid regular expression",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = [{ request = \"a\", expect = { status = \"6xx\" } }]\n",
            4,
            "`\"6xx\"` is not a status",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = [{ request = \"a\", colour = 1 }]\n",
            4,
            "unknown field `colour`",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = [3]\n",
            4,
            "a step is a request id",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[runs.r]\nsteps = [\"a\"]\nrepeat = 0\n",
            5,
            "1 or more",
        ),
    ];
    for (text, line, needle) in cases {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(err.message.contains(needle), "{text}: {err}");
    }
}

#[test]
fn a_schema_is_read_when_the_file_loads_and_a_missing_one_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.toml");
    let text = "[requests.a]\nurl = \"x\"\nexpect = { schema = \"schemas/item.json\" }\n";
    std::fs::write(&path, text).unwrap();
    let LoadedFile::Broken(err) = load_file(&path) else {
        panic!("a missing schema must not load")
    };
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.contains("cannot read"), "{err}");

    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/item.json"), "{\"type\": 5}").unwrap();
    let LoadedFile::Broken(err) = load_file(&path) else {
        panic!("an invalid schema must not load")
    };
    assert!(err.message.contains("is not a valid JSON Schema"), "{err}");

    // A `$ref` to a file beside it resolves, with no network.
    std::fs::write(
        dir.path().join("schemas/item.json"),
        r#"{"type": "object", "properties": {"id": {"$ref": "id.json"}}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("schemas/id.json"), r#"{"type": "integer"}"#).unwrap();
    let LoadedFile::Ok { collection, .. } = load_file(&path) else {
        panic!("a valid schema loads")
    };
    let expect = collection.requests[0].expect.as_ref().unwrap();
    let v = expect.schema.as_ref().unwrap().validator.as_ref().unwrap();
    assert!(v.is_valid(&serde_json::json!({"id": 4})));
    assert!(!v.is_valid(&serde_json::json!({"id": "4"})));
}
