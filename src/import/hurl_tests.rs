//! Hurl files as collections: entries as requests (templates kept), sections and bodies, the
//! response as `expect` and `capture`, what cannot be said named, bad input refused with its line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use super::*;
use crate::check::{
    Capture, Expect, HeaderExpect, JsonQuery, JsonType, StatusPattern, ValueCheck, ValueMatcher,
};
use crate::collection::Collection;
use crate::import::Format;

const LOGIN: &str = include_str!("../../tests/fixtures/import/hurl/login.hurl");
const SECTIONS: &str = include_str!("../../tests/fixtures/import/hurl/sections.hurl");
const BODIES: &str = include_str!("../../tests/fixtures/import/hurl/bodies.hurl");
const UNSUPPORTED: &str = include_str!("../../tests/fixtures/import/hurl/unsupported.hurl");

fn read(text: &str) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        dir: PathBuf::from("."),
        ..Source::default()
    };
    crate::import::import(Format::Hurl, &source)
}

fn import_text(text: &str) -> Imported {
    read(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The collection as `scout import` writes it, loaded back.
fn loads_back(collection: &Collection) -> Collection {
    let merged = crate::collection::merge::merge("", collection, None).expect("merge");
    crate::collection::parse_collection(&merged.text, Path::new("x.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", merged.text))
}

/// The `expect` of a one-entry file.
fn expect_of(text: &str) -> (Expect, Vec<String>) {
    let imported = import_text(text);
    let expect = imported.collection.requests[0].expect.clone();
    (expect.unwrap_or_default(), imported.dropped)
}

fn json_checks(expect: &Expect) -> Vec<(&str, &ValueMatcher)> {
    expect.json.iter().map(|(q, m)| (q.as_str(), m)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_login_flow_keeps_its_variables_captures_and_checks() {
    let imported = import_text(LOGIN);
    let c = &imported.collection;
    let ids: Vec<&str> = c.requests.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "get-login",
            "post-login",
            "get-api-account",
            "put-api-accounts-account-id"
        ]
    );
    assert_eq!(c.vars, pairs(&[("base", "https://shop.example.com")]));
    let [page, login, account, update] = &c.requests[..] else {
        panic!("four requests")
    };
    assert_eq!(
        page.description.as_deref(),
        Some("Open the login page and keep its CSRF token.")
    );
    assert_eq!(
        login.description.as_deref(),
        Some("Sign in with the form.\nA redirect to the account follows.")
    );
    assert_eq!(account.description, None);
    // Captures, in the order written; later entries use them as they are.
    assert!(matches!(
        &page.capture[..],
        [(name, Capture::Regex { pattern, group: 1 })]
            if name == "csrf_token" && pattern.as_str() == r#"name="_csrf" value="([^"]+)""#
    ));
    assert_eq!(
        login.capture,
        [("session".to_string(), Capture::Header("Set-Cookie".into()))]
    );
    assert_eq!(
        account.capture,
        [(
            "account_id".to_string(),
            Capture::Json(JsonQuery::parse("$.id").unwrap())
        )]
    );
    assert_eq!(login.url, "{{base}}/login");
    assert_eq!(update.url, "{{base}}/api/accounts/{{account_id}}");
    // The form's password goes to `.env`; the template stays.
    assert_eq!(
        login.body,
        Some(SavedBody::Form(pairs(&[
            ("username", "ada"),
            ("password", "{{env.PASSWORD}}"),
            ("_csrf", "{{csrf_token}}"),
        ])))
    );
    assert_eq!(imported.secrets, pairs(&[("PASSWORD", "s3cret!")]));
    assert_eq!(
        update.body,
        Some(SavedBody::Json(
            "{\n  \"name\": \"Ada Lovelace\",\n  \"newsletter\": true,\n  \"age\": {{age}}\n}"
                .into()
        ))
    );
    // A bearer header with a variable is a profile whose token is that variable.
    assert_eq!(
        c.auth,
        vec![(
            "bearer".to_string(),
            AuthProfile::Bearer {
                token: "{{token}}".into()
            }
        )]
    );
    assert_eq!(account.settings.auth_profile(), Some("bearer"));
    assert_eq!(account.headers, pairs(&[("Accept", "application/json")]));
    // Hurl follows redirects only when told to.
    assert_eq!(page.settings.follow_redirects, Some(false));
    assert_eq!(account.settings.follow_redirects, Some(true));
    assert_eq!(account.settings.retries.as_ref().map(|r| r.max), Some(3));
    assert!(imported.dropped.is_empty(), "{:?}", imported.dropped);
}

#[test]
fn asserts_and_the_status_line_become_expect() {
    let imported = import_text(LOGIN);
    let r = &imported.collection.requests;
    let page = r[0].expect.as_ref().expect("page");
    assert_eq!(page.status, [StatusPattern::Code(200)]);
    assert_eq!(
        page.headers,
        [(
            "Content-Type".to_string(),
            HeaderExpect::Contains("text/html".into())
        )]
    );
    assert_eq!(page.body_contains, ["Sign in"]);
    let login = r[1].expect.as_ref().expect("login");
    assert_eq!(
        login.headers,
        [(
            "Location".to_string(),
            HeaderExpect::Equals("/account".into())
        )]
    );
    let account = r[2].expect.as_ref().expect("account");
    assert_eq!(account.status, [StatusPattern::Code(200)]);
    assert_eq!(account.max_ms, Some(999));
    let checks = json_checks(account);
    let plan = |m: &ValueMatcher| match m {
        ValueMatcher::Checks(c) => c.len() == 2 && c[0] == ValueCheck::Exists(true),
        _ => false,
    };
    assert_eq!(checks.len(), 5);
    assert_eq!(
        checks[0],
        ("$.email", &ValueMatcher::Equals(json!("ada@example.com")))
    );
    assert_eq!(
        checks[1],
        (
            "$.id",
            &ValueMatcher::Checks(vec![ValueCheck::Type(JsonType::Integer)])
        )
    );
    assert_eq!(
        checks[2],
        (
            "$.orders",
            &ValueMatcher::Checks(vec![ValueCheck::Len(Box::new(ValueMatcher::Checks(vec![
                ValueCheck::Gt(0.0)
            ])))])
        )
    );
    assert!(
        checks[3].0 == "$.plan" && plan(checks[3].1),
        "{:?}",
        checks[3]
    );
    assert_eq!(
        checks[4],
        (
            "$.legacy",
            &ValueMatcher::Checks(vec![ValueCheck::Exists(false)])
        )
    );
}

#[test]
fn every_request_section_is_read() {
    let imported = import_text(SECTIONS);
    let c = &imported.collection;
    let [search, upload, legacy, status] = &c.requests[..] else {
        panic!("four requests")
    };
    assert_eq!(search.url, "https://api.example.com/search?lang=en");
    assert_eq!(search.query, pairs(&[("q", "tea pot"), ("page", "2")]));
    assert_eq!(search.headers, pairs(&[("Cookie", "{{env.COOKIE}}")]));
    assert_eq!(search.settings.auth_profile(), Some("basic"));
    assert_eq!(
        c.auth[0].1,
        AuthProfile::Basic {
            username: "bob".into(),
            password: "{{env.BASIC_PASSWORD}}".into()
        }
    );
    assert_eq!(
        imported.secrets,
        pairs(&[("COOKIE", "theme=dark"), ("BASIC_PASSWORD", "hunter2")])
    );
    // `HTTP *`: no check at all.
    assert_eq!(search.expect, None);
    assert_eq!(
        upload.body,
        Some(SavedBody::Multipart(vec![
            MultipartLine::Field {
                name: "title".into(),
                value: "Holiday".into()
            },
            MultipartLine::File {
                name: "photo".into(),
                path: "beach.jpg".into(),
                content_type: Some("image/jpeg".into())
            },
            MultipartLine::File {
                name: "notes".into(),
                path: "notes.txt".into(),
                content_type: None
            },
        ]))
    );
    assert_eq!(upload.headers, pairs(&[("X-Request-Id", "42")]));
    // `\#` is a `#`; a bare one starts a comment.
    assert_eq!(
        legacy.body,
        Some(SavedBody::Form(pairs(&[("a", "1"), ("b", "x#y")])))
    );
    // One entry's `insecure` would switch off certificate checks for all four requests.
    assert!(!c.connection.insecure);
    let s = &legacy.settings;
    assert_eq!(s.max_redirects, Some(5));
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(5)));
    assert_eq!(s.timeout, Some(Duration::from_secs(20)));
    assert_eq!(status.query, pairs(&[("verbose", "true")]));
    assert_eq!(
        imported.dropped,
        [
            "line 29 (POST https://api.example.com/legacy): option `delay: 500` has no \
             equivalent for a single request (a run step has `delay`); dropped",
            "line 30 (POST https://api.example.com/legacy): option `compressed: true` has no \
             scout equivalent; dropped",
            "line 31 (POST https://api.example.com/legacy): the HTTP version check (HTTP/1.1) \
             is not carried over",
            "line 25 (POST https://api.example.com/legacy): option `insecure: true` applies to a \
             whole collection in scout (no certificate checks for any request), and not every \
             entry asks for it; not applied",
        ]
    );
}

#[test]
fn every_body_form_is_read() {
    let imported = import_text(BODIES);
    let r = &imported.collection.requests;
    let body = |i: usize| r[i].body.clone();
    assert_eq!(
        body(0),
        Some(SavedBody::Text("Dear {{name}},\nsee you soon.\n".into()))
    );
    // GraphQL is sent as JSON, its variables kept.
    let Some(SavedBody::Json(gql)) = body(1) else {
        panic!("{:?}", body(1))
    };
    let gql: Value = serde_json::from_str(&gql).expect("graphql JSON");
    assert_eq!(
        gql,
        json!({"query": "query Tea($id: ID!) {\n  tea(id: $id) { name }\n}",
               "variables": {"id": "{{tea_id}}"}})
    );
    let expected = json_checks(r[1].expect.as_ref().expect("graphql"));
    assert_eq!(
        expected,
        [(
            "$",
            &ValueMatcher::Equals(json!({"data": {"tea": {"name": "Sencha"}}}))
        )]
    );
    // XML is sent as written (Hurl reads no variables in it), as XML.
    assert_eq!(
        body(2),
        Some(SavedBody::Text(
            "<?xml version=\"1.0\"?>\n<note><to>\\{{x}}</to></note>".into()
        ))
    );
    assert_eq!(r[2].headers, pairs(&[("Content-Type", "application/xml")]));
    assert_eq!(body(3), Some(SavedBody::Text("one line".into())));
    let raw = r[3].expect.as_ref().expect("raw");
    assert_eq!(raw.body_matches[0].as_str(), "^ok$");
    assert_eq!(body(4), Some(SavedBody::Text("Hello world".into())));
    assert_eq!(body(5), None);
    assert_eq!(body(6), Some(SavedBody::File("payload.bin".into())));
    assert_eq!(
        body(7),
        Some(SavedBody::Json(
            "{\"sku\":\"TEA-042\",\"password\":\"{{env.PASSWORD}}\"}".into()
        ))
    );
    // Hurl sends text, bytes and files without a Content-Type; scout cannot.
    let untyped = |line: usize, path: &str, sent: &str| {
        format!(
            "line {line} (POST https://api.example.com/{path}): Hurl sends this body without a \
             Content-Type; scout sends {sent}"
        )
    };
    let text = "text/plain; charset=utf-8";
    assert_eq!(
        imported.dropped,
        [
            untyped(1, "notes", text),
            untyped(25, "raw", text),
            untyped(30, "b64", text),
            "line 33 (POST https://api.example.com/hex): the body on line 34 is binary; put it \
             in a file and use a file body; dropped"
                .to_string(),
            untyped(36, "file", "application/octet-stream"),
        ]
    );
}

#[test]
fn a_graphql_query_is_trimmed_as_hurl_sends_it() {
    let query = |hurl: &str| -> Value {
        let imported = import_text(hurl);
        let Some(SavedBody::Json(body)) = &imported.collection.requests[0].body else {
            panic!("{:?}", imported.collection.requests[0].body)
        };
        serde_json::from_str(body).expect("graphql JSON")
    };
    assert_eq!(
        query("POST https://x.test/g\n```graphql\n\n  { a }  \n\n```\n"),
        json!({"query": "{ a }"})
    );
    assert_eq!(
        query("POST https://x.test/g\n```graphql\n  { a }\n\nvariables {\"n\": 1}\n```\n"),
        json!({"query": "{ a }", "variables": {"n": 1}})
    );
}

#[test]
fn a_body_with_its_own_content_type_says_nothing() {
    let imported = import_text(
        "POST https://x.test/a\nContent-Type: text/csv\n```\na,b\n```\n\n\
         POST https://x.test/b\nContent-Type: image/png\nfile,x.png;\n\n\
         POST https://x.test/c\nfile,photo.png;\n",
    );
    assert_eq!(
        imported.dropped,
        [
            "line 11 (POST https://x.test/c): Hurl sends this body without a Content-Type; scout \
          sends image/png"
        ]
    );
}

#[test]
fn connection_options_apply_only_when_every_entry_asks_the_same() {
    let entry = |path: &str, options: &str| format!("GET https://x.test/{path}\n{options}\n");
    let all = [
        entry(
            "a",
            "[Options]\ninsecure: true\ncacert: ca.pem\ncert: me.pem",
        ),
        entry(
            "b",
            "[Options]\ninsecure: true\ncacert: ca.pem\ncert: other.pem",
        ),
    ]
    .concat();
    let imported = import_text(&all);
    let c = &imported.collection.connection;
    assert!(c.insecure);
    assert_eq!(c.ca_cert.as_deref(), Some(Path::new("ca.pem")));
    assert_eq!(c.client_cert, None);
    assert_eq!(
        imported.dropped,
        [
            "line 5 (GET https://x.test/a): option `cert` applies to a whole collection in \
             scout, and not every entry asks for the same; not applied",
            "line 10 (GET https://x.test/b): option `cert` applies to a whole collection in \
             scout, and not every entry asks for the same; not applied",
        ]
    );

    // One entry of two: not applied, said on that entry; `insecure: false` asks nothing.
    let some = [
        entry("a", "[Options]\ninsecure: true"),
        entry("b", "[Options]\ninsecure: false"),
        entry("c", "[Options]\ninsecure: maybe"),
    ]
    .concat();
    let imported = import_text(&some);
    assert!(!imported.collection.connection.insecure);
    assert_eq!(
        imported.dropped,
        [
            "line 9 (GET https://x.test/c): option `insecure: maybe` needs `true` or `false` \
             here; dropped",
            "line 3 (GET https://x.test/a): option `insecure: true` applies to a whole \
             collection in scout (no certificate checks for any request), and not every entry \
             asks for it; not applied",
        ]
    );
}

#[test]
fn what_expect_cannot_say_is_named_one_line_each() {
    let imported = import_text(UNSUPPORTED);
    let r = &imported.collection.requests;
    assert_eq!(r.len(), 2, "PROPFIND is sent as written");
    assert_eq!(r[1].method.as_str(), "PROPFIND");
    let expect = r[0].expect.as_ref().expect("report");
    assert_eq!(expect.status, [StatusPattern::Code(200)]);
    assert_eq!(
        json_checks(expect),
        [("$.count", &ValueMatcher::Equals(json!(3)))]
    );
    assert!(r[0].capture.is_empty());
    let at = "(GET https://api.example.com/report)";
    let want = [
        format!(
            "line 7 {at}: assert `xpath \"string(//title)\" == \"Report\"` reads XPath, which scout does not; dropped"
        ),
        format!(
            "line 8 {at}: assert `jsonpath \"$.total\" != 0` is an inequality, which expect cannot say; dropped"
        ),
        format!(
            "line 9 {at}: assert `jsonpath \"$.items[0].id\" toInt > 3` uses the filter `toInt`, which expect does not have; dropped"
        ),
        format!(
            "line 10 {at}: assert `certificate \"Subject\" contains \"example\"` reads `certificate`, which scout does not check; dropped"
        ),
        format!(
            "line 11 {at}: assert `jsonpath \"$.name\" == \"{{{{expected}}}}\"` compares with a variable, and expect values are literal; dropped"
        ),
        format!(
            "line 12 {at}: assert `jsonpath \"$.tags\" isCollection` uses `isCollection`, which expect does not have; dropped"
        ),
        format!(
            "line 13 {at}: assert `status < 500` is a status check expect cannot say (only `status == N`); dropped"
        ),
        format!(
            "line 4 {at}: capture `title: xpath \"string(//title)\"` reads XPath, which scout does not; dropped"
        ),
        format!(
            "line 5 {at}: capture `first: jsonpath \"$.items\" nth 0` uses the filter `nth`, which capture does not have; dropped"
        ),
    ];
    assert_eq!(imported.dropped, want);
}

#[test]
fn header_json_and_body_predicates_map_to_their_checks() {
    let (e, dropped) = expect_of(
        "GET https://x.test/\nHTTP 201\n[Asserts]\n\
         header \"ETag\" matches /^W\\/\"[0-9]+\"$/\n\
         header \"Server\" startsWith \"nginx\"\n\
         header \"X-Old\" not exists\n\
         header \"X-New\" exists\n\
         jsonpath \"$.tags\" count ==2\n\
         jsonpath \"$.name\" isString\n\
         jsonpath \"$.name\" endsWith \"son\"\n\
         jsonpath \"$.price\" isFloat\n\
         jsonpath \"$.price\" >= 1.5\n\
         jsonpath \"$.ok\" equals true\n\
         jsonpath \"$.gone\" == null\n\
         jsonpath \"$.items\" isEmpty\n\
         jsonpath \"$.list\" includes 3\n\
         body matches \"id=[0-9]+\"\n\
         body == \"a.b\"\n\
         regex /token=(\\w+)/ exists\n\
         duration <= 250\n\
         status == 201\n",
    );
    assert!(dropped.is_empty(), "{dropped:?}");
    assert_eq!(e.status, [StatusPattern::Code(201)]);
    let headers: Vec<(&str, String)> = e
        .headers
        .iter()
        .map(|(n, h)| (n.as_str(), h.describe()))
        .collect();
    assert_eq!(
        headers,
        [
            ("ETag", "matching /^W/\"[0-9]+\"$/".to_string()),
            ("Server", "matching /^nginx/".to_string()),
            ("X-Old", "absent".to_string()),
            ("X-New", "present".to_string()),
        ]
    );
    let json: Vec<(&str, String)> = e
        .json
        .iter()
        .map(|(q, m)| (q.as_str(), m.describe()))
        .collect();
    assert_eq!(
        json,
        [
            ("$.tags", "length 2".to_string()),
            ("$.name", "type string, matches /son$/".to_string()),
            ("$.price", "type number, >= 1.5".to_string()),
            ("$.ok", "true".to_string()),
            ("$.gone", "null".to_string()),
            ("$.items", "length 0".to_string()),
            ("$.list", "contains 3".to_string()),
        ]
    );
    let patterns: Vec<&str> = e.body_matches.iter().map(|p| p.as_str()).collect();
    assert_eq!(patterns, ["id=[0-9]+", "^a\\.b$", "token=(\\w+)"]);
    assert_eq!(e.max_ms, Some(250));
}

#[test]
fn checks_expect_holds_once_are_not_doubled() {
    let (e, dropped) = expect_of(
        "GET https://x.test/\nHTTP 200\nX-A: 1\n[Asserts]\nheader \"x-a\" == \"2\"\n\
         jsonpath \"$.a\" == 1\njsonpath \"$.a\" == 2\nstatus == 404\n",
    );
    assert_eq!(e.headers.len(), 1);
    assert_eq!(e.status, [StatusPattern::Code(200)]);
    assert_eq!(
        dropped,
        [
            "line 5 (GET https://x.test/): assert `header \"x-a\" == \"2\"` checks a header \
             already checked (expect holds one check per header); dropped",
            "line 7 (GET https://x.test/): assert `jsonpath \"$.a\" == 2` is a second check of \
             this kind on $.a (expect holds one); dropped",
            "line 8 (GET https://x.test/): assert `status == 404` contradicts the status of the \
             HTTP line; dropped",
        ]
    );
}

#[test]
fn literal_credentials_become_profiles_and_secret_headers_references() {
    let imported = import_text(
        "GET https://x.test/a\nAuthorization: Bearer abc.def\nX-Api-Key: k-123\n\n\
         GET https://x.test/b\nAuthorization: Basic YWxpY2U6czNjcmV0\n\n\
         GET https://x.test/c?access_token=t0k\n[Options]\nuser: carol:pw9\n\n\
         GET https://x.test/d\n[BasicAuth]\n{{user}}: {{password}}\n",
    );
    let c = &imported.collection;
    let names: Vec<&str> = c.auth.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bearer", "basic", "basic-2", "basic-3"]);
    assert_eq!(
        c.auth[3].1,
        AuthProfile::Basic {
            username: "{{user}}".into(),
            password: "{{password}}".into()
        }
    );
    assert_eq!(
        c.requests[0].headers,
        pairs(&[("X-Api-Key", "{{env.X_API_KEY}}")])
    );
    assert_eq!(
        c.requests[2].url,
        "https://x.test/c?access_token={{env.ACCESS_TOKEN}}"
    );
    let text = format!("{c:?}");
    for (_, secret) in &imported.secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{secret} is in the collection"
        );
    }
    assert_eq!(imported.secrets.len(), 5);
}

#[test]
fn options_set_variables_and_name_conflicts() {
    let imported = import_text(
        "GET https://x.test/a\n[Options]\nvariable: host=a.test\nvariable: n=1\nproxy: http://p:1\n\
         location: true\nmax-redirs: -1\nretry: -1\nskip: true\n\n\
         GET https://x.test/b\n[Options]\nvariable: host=b.test\nproxy: http://q:2\n",
    );
    let c = &imported.collection;
    assert_eq!(c.vars, pairs(&[("host", "a.test"), ("n", "1")]));
    // Two proxies: neither is every request's.
    assert_eq!(c.connection.proxy, None);
    assert_eq!(c.requests[0].settings.follow_redirects, Some(true));
    let at_a = "(GET https://x.test/a)";
    let at_b = "(GET https://x.test/b)";
    assert_eq!(
        imported.dropped,
        [
            format!(
                "line 7 {at_a}: option `max-redirs: -1` needs a number of redirects here; dropped"
            ),
            format!(
                "line 8 {at_a}: option `retry: -1` needs a number of retries here (scout has no endless retry); dropped"
            ),
            format!(
                "line 9 {at_a}: Hurl skips this entry (`skip: true`); it is imported all the same"
            ),
            format!(
                "line 13 {at_b}: variable `host` is set again with another value; a collection variable has one, the first is kept"
            ),
            format!(
                "line 5 {at_a}: option `proxy` applies to a whole collection in scout, and not \
                 every entry asks for the same; not applied"
            ),
            format!(
                "line 14 {at_b}: option `proxy` applies to a whole collection in scout, and not \
                 every entry asks for the same; not applied"
            ),
        ]
    );
}

/// Found by fuzzing (fuzz/regressions/import_hurl/status-out-of-range): a three-digit status
/// that is not one (`HTTP 740`) became an `expect` the collection refuses to load.
#[test]
fn a_status_out_of_range_is_dropped_so_the_collection_loads() {
    let imported = import_text("T n\nHTTP 740");
    loads_back(&imported.collection);
    assert_eq!(imported.collection.requests[0].expect, None);
    assert!(
        imported.dropped.iter().any(|d| d.contains("740")),
        "{:?}",
        imported.dropped
    );
}

#[path = "hurl_input_tests.rs"]
mod input;

/// Found by fuzzing: `connect-timeout: 0s` became a timeout of 0, which the collection refuses
/// to load. As in curl, 0 is no limit: the default applies, and that is said.
#[test]
fn a_timeout_of_zero_is_no_limit_and_said() {
    let imported = import_text(
        "GET https://a.test/\n[Options]\nconnect-timeout: 0s\nmax-time: 0\n\nGET https://a.test/b\n",
    );
    let back = loads_back(&imported.collection);
    let s = &back.requests[0].settings;
    assert_eq!((s.connect_timeout, s.timeout), (None, None));
    assert_eq!(
        imported
            .dropped
            .iter()
            .filter(|d| d.contains("means no limit in Hurl"))
            .count(),
        2,
        "{:?}",
        imported.dropped
    );
}

/// Found by fuzzing: a multipart value with an escaped line break was kept, and the collection
/// written did not load. The part is dropped, and that is said.
#[test]
fn a_multipart_part_with_a_line_break_is_dropped_and_said() {
    let imported =
        import_text("POST https://a.test/\n[MultipartFormData]\nnote: one\\ntwo\ntitle: Holiday\n");
    let back = loads_back(&imported.collection);
    assert_eq!(
        back.requests[0].body,
        Some(SavedBody::Multipart(vec![MultipartLine::Field {
            name: "title".into(),
            value: "Holiday".into()
        }]))
    );
    assert!(
        imported
            .dropped
            .iter()
            .any(|d| d.contains("part `note`") && d.contains("line break")),
        "{:?}",
        imported.dropped
    );
}
