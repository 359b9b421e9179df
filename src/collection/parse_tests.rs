//! Reading collection files: the documented shape, settings at every level, and every
//! problem named by its line.

use super::*;
use crate::model::ViewSettings;

fn parse(text: &str) -> Result<Collection, ParseError> {
    parse_collection(text, Path::new("/c/demo.toml"))
}

const SAMPLE: &str = r#"
name = "Demo API"
[vars]
base_url = "http://127.0.0.1:8080"
[environments.staging]
base_url = "https://staging.example.com"
token = "{{env.STAGING_TOKEN}}"

[requests.list-items]
name = "List items"
folder = "items"
method = "GET"
url = "{{base_url}}/items"
query = { limit = "10", page = 2 }
headers = { Accept = "application/json" }
timeout = "5s"

[requests.create-item]
method = "POST"
url = "{{base_url}}/items"
body = { json = { name = "widget", price = 9.99 } }

[requests.upload]
method = "post"
url = "{{base_url}}/anything"
body = { multipart = [ { name = "note", value = "hi" }, { name = "upload", file = "report.csv", type = "text/csv" } ] }
"#;

#[test]
fn the_documented_shape_loads_in_order() {
    let c = parse(SAMPLE).unwrap();
    assert_eq!(c.name, "Demo API");
    assert_eq!(
        c.vars,
        vec![("base_url".into(), "http://127.0.0.1:8080".into())]
    );
    assert_eq!(c.environments[0].name, "staging");
    let ids: Vec<&str> = c.requests.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["list-items", "create-item", "upload"]);
    let list = &c.requests[0];
    assert_eq!(list.folder.as_deref(), Some("items"));
    assert_eq!(
        list.query,
        vec![("limit".into(), "10".into()), ("page".into(), "2".into())]
    );
    assert_eq!(list.settings.timeout, Some(Duration::from_secs(5)));
    assert_eq!(list.path(), "items/list-items");
    let Some(SavedBody::Json(json)) = &c.requests[1].body else {
        panic!()
    };
    assert_eq!(json, "{\n  \"name\": \"widget\",\n  \"price\": 9.99\n}");
    assert_eq!(c.requests[2].method, Method::Post);
    let Some(SavedBody::Multipart(parts)) = &c.requests[2].body else {
        panic!()
    };
    assert_eq!(
        parts[1],
        MultipartLine::File {
            name: "upload".into(),
            path: "report.csv".into(),
            content_type: Some("text/csv".into())
        }
    );
}

#[test]
fn problems_name_the_file_line_and_what_is_wrong() {
    let cases = [
        (
            "[requests.a]\nurl = \"x\"\n[requests.a]\nurl = \"y\"\n",
            3,
            "duplicate",
        ),
        (
            "[requests.a]\nurl = \"x\"\ncolour = \"red\"\n",
            3,
            "unknown field `colour`",
        ),
        (
            "[requests.a]\nurl = \"x\"\nmethod = \"BR EW\"\n",
            3,
            "`BR EW` is not a method name",
        ),
        (
            "[requests.a]\nurl = \"x\"\ntimeout = \"soon\"\n",
            3,
            "invalid timeout",
        ),
        (
            "[requests.a]\nurl = \"x\"\nfolder = \"a//b\"\n",
            3,
            "empty part",
        ),
        ("[requests.a]\nmethod = \"GET\"\n", 1, "missing field `url`"),
        ("name = \"x\"\n[requests.a\n", 2, ""),
        (
            "[requests.a]\nurl = \"x\"\nbody = { yaml = \"a: 1\" }\n",
            3,
            "unknown variant `yaml`",
        ),
        (
            "[requests.a]\nurl = \"x\"\nbody = { multipart = [{ name = \"n\", value = \"a\\nb\" }] }\n",
            3,
            "cannot contain line breaks",
        ),
        (
            "[requests.a]\nurl = \"x\"\nbody = { form = [{ name = \"n\" }] }\n",
            3,
            "missing field `value`",
        ),
        (
            "[requests.a]\nurl = \"x\"\nbody = { form = \"a=1\" }\n",
            3,
            "expected a table, or a list of `{ name, value }` fields",
        ),
    ];
    for (text, line, needle) in cases {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(err.message.contains(needle), "{text}: {err}");
        assert!(err.to_string().starts_with("/c/demo.toml:"), "{err}");
    }
}

#[test]
fn settings_load_at_every_level() {
    let c = parse(
        r#"
default_auth = "ci"
timeout = "30s"
retries = { max = 2, backoff = "constant", base = "1s", on = [503, "connect"] }
insecure = true
ca_cert = "certs/ca.pem"
proxy = "http://127.0.0.1:3128"

[folders."items"]
auth = "none"
read_timeout = "2s"

[folders."items/admin"]
connect_timeout = "1s"
follow_redirects = false

[requests.a]
folder = "items/admin"
url = "x"
max_redirects = 3

[requests.b]
url = "y"
auth = "svc"
"#,
    )
    .unwrap();
    let a = c.settings_for(&c.requests[0]);
    assert_eq!(a.auth, Some(AuthChoice::None));
    assert_eq!(a.timeout, Some(Duration::from_secs(30)));
    assert_eq!(a.read_timeout, Some(Duration::from_secs(2)));
    assert_eq!(a.connect_timeout, Some(Duration::from_secs(1)));
    assert_eq!(a.follow_redirects, Some(false));
    assert_eq!(a.max_redirects, Some(3));
    assert_eq!(a.retries.as_ref().map(|r| r.max), Some(2));
    let b = c.settings_for(&c.requests[1]);
    assert_eq!(b.auth_profile(), Some("svc"));
    assert_eq!(b.read_timeout, None);
    assert!(c.connection.insecure);
    assert_eq!(c.connection.ca_cert, Some(PathBuf::from("certs/ca.pem")));
    assert_eq!(c.connection.proxy.as_deref(), Some("http://127.0.0.1:3128"));
}

#[test]
fn bad_settings_name_the_line() {
    let cases = [
        ("[folders.\"a//b\"]\ntimeout = \"1s\"\n", 1, "empty part"),
        (
            "[folders.a]\ncolour = \"red\"\n",
            2,
            "unknown field `colour`",
        ),
        (
            "[requests.a]\nurl = \"x\"\nread_timeout = \"0s\"\n",
            3,
            "greater than 0",
        ),
        (
            "[requests.a]\nurl = \"x\"\nretries = { on = [\"sometimes\"] }\n",
            3,
            "sometimes",
        ),
        (
            "[requests.a]\nurl = \"x\"\nfollow_redirects = \"yes\"\n",
            3,
            "bool",
        ),
    ];
    for (text, line, needle) in cases {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(err.message.contains(needle), "{text}: {err}");
    }
}

#[test]
fn line_and_column_count_chars() {
    assert_eq!(line_col("ab\ncdé", 7), (2, 4));
    assert_eq!(line_col("ab\ncdé", 6), (2, 3), "inside a char: its start");
    assert_eq!(line_col("", 0), (1, 1));
}

#[test]
fn requests_and_folders_carry_a_description() {
    let c = parse(
        r#"
[folders."01-methods"]
description = "GET reads; POST creates."

[requests.list]
folder = "01-methods"
url = "http://x/items"
description = "Look at the status."
"#,
    )
    .unwrap();
    assert_eq!(
        c.requests[0].description.as_deref(),
        Some("Look at the status.")
    );
    assert_eq!(
        c.folders[0].description.as_deref(),
        Some("GET reads; POST creates.")
    );
    let err = parse("[requests.a]\nurl = \"x\"\ndescription = 3\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
}

#[test]
fn a_view_loads_as_written_and_defaults_to_nothing() {
    let c = parse(
        r#"
[requests.inline]
url = "x"
view = { filter = ".items[] | .id", ignore = ["$.updated_at", "$..id"] }

[requests.table]
url = "x"
[requests.table.view]
filter = "$.items[*].name"

[requests.plain]
url = "x"
"#,
    )
    .unwrap();
    assert_eq!(
        c.requests[0].view,
        ViewSettings {
            filter: Some(".items[] | .id".into()),
            ignore: vec!["$.updated_at".into(), "$..id".into()],
        }
    );
    assert_eq!(
        c.requests[1].view.filter.as_deref(),
        Some("$.items[*].name")
    );
    assert!(c.requests[1].view.ignore.is_empty());
    assert!(c.requests[2].view.is_empty());
}

#[test]
fn a_bad_view_is_named_at_its_own_line() {
    let cases = [
        (
            "[requests.a]\nurl = \"x\"\nview = { filter = \".a | \" }\n",
            3,
            "`view.filter` `.a | ` does not compile: error at character 6",
        ),
        (
            "[requests.a]\nurl = \"x\"\n\n[requests.a.view]\nfilter = \".a\"\nignore = [\"$.a\", \"$[\"]\n",
            6,
            "view.ignore path `$[` is not a valid JSONPath",
        ),
        (
            "[requests.a]\nurl = \"x\"\nview = { ignore = [\".a\"] }\n",
            3,
            "(a JSONPath starts with `$`: `$.a`?)",
        ),
        (
            "[requests.a]\nurl = \"x\"\n[requests.a.view]\nfilter = 3\n",
            4,
            "`view.filter` is a string",
        ),
        (
            "[requests.a]\nurl = \"x\"\nview = { ignore = \"$.a\" }\n",
            3,
            "`view.ignore` is a list of JSONPaths",
        ),
        (
            "[requests.a]\nurl = \"x\"\nview = { ignore = [1] }\n",
            3,
            "not a list holding integer",
        ),
        (
            "[requests.a]\nurl = \"x\"\nview = { colour = 1 }\n",
            3,
            "unknown field `colour`, expected `filter` or `ignore`",
        ),
        (
            "[requests.a]\nurl = \"x\"\nview = 3\n",
            3,
            "expected `view` as a table",
        ),
    ];
    for (text, line, needle) in cases {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(err.message.contains(needle), "{text}: {err}");
        assert!(err.to_string().starts_with("/c/demo.toml:"), "{err}");
    }
}
