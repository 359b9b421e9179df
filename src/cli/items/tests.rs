use proptest::prelude::*;

use super::*;
use crate::model::{MultipartLine, parse_multipart_lines};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn parse(list: &[&str]) -> Result<ParsedRequest, ItemError> {
    parse_request_args(&args(list), false)
}

fn spec(list: &[&str]) -> RequestSpec {
    match parse(list) {
        Ok(p) => p.spec,
        Err(e) => panic!("{list:?}: {e}"),
    }
}

fn err(list: &[&str]) -> String {
    match parse(list) {
        Ok(p) => panic!("{list:?} parsed: {p:?}"),
        Err(e) => e.to_string(),
    }
}

/// A temporary directory with `name` → `contents` files.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).expect("write");
    }
    dir
}

#[test]
fn url_shorthands() {
    let cases = [
        (":8080/path", "http://localhost:8080/path"),
        (":/x", "http://localhost/x"),
        (":", "http://localhost"),
        (":3000", "http://localhost:3000"),
        ("localhost:3000/x", "http://localhost:3000/x"),
        ("example.com", "http://example.com"),
        ("  example.com/a?b=c ", "http://example.com/a?b=c"),
        ("//example.com/x", "http://example.com/x"),
        ("https://example.com", "https://example.com"),
        ("HTTP://Example.com", "HTTP://Example.com"),
        ("ftp://example.com/f", "ftp://example.com/f"),
        ("{{base}}/users", "{{base}}/users"),
        ("::1", "http://::1"),
        ("", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(normalize_url(input), expected, "input {input:?}");
    }
}

#[test]
fn method_is_optional_and_inferred() {
    assert_eq!(spec(&["example.com"]).method, Method::Get);
    assert_eq!(spec(&["example.com", "a=1"]).method, Method::Post);
    assert_eq!(spec(&["example.com", "n:=1"]).method, Method::Post);
    assert_eq!(spec(&["example.com", "X-A:1", "q==1"]).method, Method::Get);
    assert_eq!(spec(&["put", "example.com", "a=1"]).method, Method::Put);
    assert_eq!(spec(&["DELETE", "example.com"]).method, Method::Delete);
    assert_eq!(spec(&["get", "example.com", "a=1"]).method, Method::Get);
    // A lone method-like word is the URL.
    let s = spec(&["get"]);
    assert_eq!((s.method, s.url.as_str()), (Method::Get, "http://get"));
    // Not a method: it is the URL.
    assert_eq!(spec(&["brew", "a=1"]).url, "http://brew");
}

#[test]
fn a_word_in_capitals_close_to_a_method_is_a_typo_and_any_other_is_sent_as_written() {
    assert_eq!(
        err(&["GETT", "http://127.0.0.1:9/x"]),
        "GETT is not a method; did you mean GET? (another method is sent as written: PURGE, \
         QUERY)"
    );
    assert_eq!(
        err(&["DELET", "x"]).split(';').next(),
        Some("DELET is not a method")
    );
    let s = spec(&["PURGE", "example.com/cache"]);
    assert_eq!(
        (s.method.as_str(), s.url.as_str()),
        ("PURGE", "http://example.com/cache")
    );
    assert_eq!(
        spec(&["QUERY", "example.com", "a=1"]).method.as_str(),
        "QUERY"
    );
    // In small letters it is a host name, as before.
    assert_eq!(spec(&["brew", "a=1"]).url, "http://brew");
}

#[test]
fn missing_url_is_an_error() {
    assert_eq!(parse(&[]), Err(ItemError::MissingUrl));
    assert_eq!(parse(&["post", " "]), Err(ItemError::MissingUrl));
    assert!(err(&[]).contains("scout [METHOD] URL"));
}

#[test]
fn headers_keep_order_and_allow_empty_values() {
    let s = spec(&[
        "example.com",
        "Accept:text/plain",
        "X-Empty:",
        "X-Semi;",
        "Authorization: Bearer a=b:c",
        "Content-Type:application/vnd+json",
    ]);
    assert_eq!(
        s.headers,
        vec![
            KeyValue::new("Accept", "text/plain"),
            KeyValue::new("X-Empty", ""),
            KeyValue::new("X-Semi", ""),
            KeyValue::new("Authorization", "Bearer a=b:c"),
            KeyValue::new("Content-Type", "application/vnd+json"),
        ]
    );
    assert!(s.headers.iter().all(|h| h.enabled));
    assert_eq!(s.body_kind, BodyKind::None);
}

#[test]
fn query_items_are_encoded_and_appended() {
    let s = spec(&["example.com/s", "q==a b&c", "lang==en", "x==é"]);
    assert_eq!(s.url, "http://example.com/s?q=a+b%26c&lang=en&x=%C3%A9");
    let s = spec(&["example.com/s?page=2#frag", "q==1"]);
    assert_eq!(s.url, "http://example.com/s?page=2&q=1#frag");
    assert_eq!(
        spec(&["example.com/s?", "q==1"]).url,
        "http://example.com/s?q=1"
    );
    assert_eq!(spec(&["x.io", "empty=="]).url, "http://x.io?empty=");
}

#[test]
fn json_body_keeps_item_order_and_types() {
    let s = spec(&[
        "example.com",
        "name=Ann",
        "age:=30",
        "admin:=true",
        "tags:=[\"a\", 1]",
        "meta:={\"z\": 1, \"a\": {}}",
        "none:=null",
        "zero=",
    ]);
    assert_eq!(s.body_kind, BodyKind::Json);
    let expected = r#"{
  "name": "Ann",
  "age": 30,
  "admin": true,
  "tags": [
    "a",
    1
  ],
  "meta": {
    "z": 1,
    "a": {}
  },
  "none": null,
  "zero": ""
}"#;
    assert_eq!(s.body, expected);
    let reparsed: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(reparsed["tags"][1], 1);
}

#[test]
fn json_body_matches_serde_pretty_printing() {
    let s = spec(&["x", "a:=[[], {}, 1.5, -2, \"q\\\"\"]", "b=line\nbreak"]);
    let value: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(serde_json::to_string_pretty(&value).ok(), Some(s.body));
}

#[test]
fn nested_json_keys() {
    let s = spec(&[
        "x",
        "user[name]=Ann",
        "user[langs][]=en",
        "user[langs][]=fr",
        "ids[1]:=7",
        "ids[0]:=6",
        "pts[0][x]:=1",
        "pts[0][y]:=2",
        "a\\[b]=literal",
    ]);
    let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(
        v,
        serde_json::json!({
            "user": {"name": "Ann", "langs": ["en", "fr"]},
            "ids": [6, 7],
            "pts": [{"x": 1, "y": 2}],
            "a[b]": "literal",
        })
    );
    // Order of first appearance is kept.
    assert!(s.body.find("\"user\"") < s.body.find("\"ids\""));

    let v: Value = serde_json::from_str(&spec(&["x", "a]=1"]).body).expect("valid JSON");
    assert_eq!(v, serde_json::json!({"a]": "1"}));

    let arr = spec(&["x", "[]:=1", "[]=two"]);
    assert_eq!(arr.body, "[\n  1,\n  \"two\"\n]");
    let padded = spec(&["x", "a[2]=z"]);
    assert_eq!(
        serde_json::from_str::<Value>(&padded.body).ok(),
        Some(serde_json::json!({"a": [null, null, "z"]}))
    );
    let dup = spec(&["x", "a=1", "a=2", "a=3"]);
    assert_eq!(
        serde_json::from_str::<Value>(&dup.body).ok(),
        Some(serde_json::json!({"a": ["1", "2", "3"]}))
    );
}

#[test]
fn nested_json_key_errors() {
    let e = err(&["x", "a[b=1"]);
    assert!(e.contains("`a[b=1`: unclosed `[`"), "{e}");
    assert!(e.contains("\\["), "{e}");
    assert!(err(&["x", "a[b]c=1"]).contains("expected `[` after `]`"));
    assert!(err(&["x", "a[99999]=1"]).contains("too large"));
    let e = err(&["x", "a=1", "a[b]=2"]);
    assert_eq!(
        e,
        "`a[b]=2`: `a` is already a string, so it cannot take the key `b`"
    );
    let e = err(&["x", "a=1", "[]=2"]);
    assert!(e.contains("the top level is already an object"), "{e}");
    let e = err(&["x", "a[]=1", "a[k]=2"]);
    assert!(e.contains("`a` is already an array"), "{e}");
}

#[test]
fn escapes_make_separators_literal() {
    let s = spec(&["x", "a\\:b=c", "k=v\\=w", "e\\@mail=x@y", "q\\=\\=x==1"]);
    let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(
        v,
        serde_json::json!({"a:b": "c", "k": "v=w", "e@mail": "x@y"})
    );
    assert_eq!(s.url, "http://x?q%3D%3Dx=1");
    // Backslashes before other characters stay.
    let s = spec(&["x", "path=C:\\Users\\me", "re=\\[a]"]);
    let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(v["path"], "C:\\Users\\me");
    assert_eq!(v["re"], "\\[a]");
    // `;` is only a separator at the end.
    let v: Value = serde_json::from_str(&spec(&["x", "a;b=c"]).body).expect("valid JSON");
    assert_eq!(v, serde_json::json!({"a;b": "c"}));
}

#[test]
fn first_separator_wins_longest_at_its_position() {
    let s = spec(&["x", "Host:example.com:8080", "url==http://a?b=c", "f=a:=b"]);
    assert_eq!(s.headers, vec![KeyValue::new("Host", "example.com:8080")]);
    assert_eq!(s.url, "http://x?url=http%3A%2F%2Fa%3Fb%3Dc");
    let v: Value = serde_json::from_str(&s.body).expect("valid JSON");
    assert_eq!(v, serde_json::json!({"f": "a:=b"}));
}

#[test]
fn form_bodies() {
    let p = parse_request_args(&args(&["x", "a=1", "b=two words", "c=&="]), true).expect("form");
    assert_eq!(p.spec.method, Method::Post);
    assert_eq!(p.spec.body_kind, BodyKind::Form);
    assert_eq!(p.spec.body, "a=1&b=two+words&c=%26%3D");
    let e = parse_request_args(&args(&["x", "n:=1"]), true)
        .expect_err("json with form")
        .to_string();
    assert!(e.starts_with("`n:=1`: raw JSON fields (`:=`) cannot be sent in a form (--form)"));
    assert!(e.contains("`n=value`"));
    let p = parse_request_args(&args(&["x", "H:1"]), true).expect("no fields");
    assert_eq!(
        (p.spec.method, p.spec.body_kind),
        (Method::Get, BodyKind::None)
    );
}

#[test]
fn file_fields_make_multipart() {
    let dir = dir_with(&[
        ("a.txt", "hello"),
        ("b.json", "{\"k\": [1]}"),
        ("tok", "secret\n"),
    ]);
    let base = dir.path();
    let p = parse_request_args_in(
        &args(&["x", "title=Hi", "doc@a.txt", "Auth:@tok"]),
        false,
        base,
    )
    .expect("multipart");
    assert_eq!(p.spec.method, Method::Post);
    assert_eq!(p.spec.body_kind, BodyKind::Multipart);
    assert_eq!(p.spec.body, "title=Hi\ndoc@a.txt");
    assert_eq!(p.files, vec![("doc".to_string(), PathBuf::from("a.txt"))]);
    assert_eq!(p.spec.headers, vec![KeyValue::new("Auth", "secret")]);
    assert_eq!(
        parse_multipart_lines(&p.spec.body),
        Ok(vec![
            MultipartLine::Field {
                name: "title".into(),
                value: "Hi".into()
            },
            MultipartLine::File {
                name: "doc".into(),
                path: "a.txt".into(),
                content_type: None,
            },
        ])
    );

    let p = parse_request_args_in(&args(&["x", "t=@a.txt", "j:=@b.json"]), false, base)
        .expect("from files");
    assert_eq!(
        p.spec.body,
        "{\n  \"t\": \"hello\",\n  \"j\": {\n    \"k\": [\n      1\n    ]\n  }\n}"
    );

    let e = parse_request_args_in(&args(&["x", "n:=1", "f@a.txt"]), false, base)
        .expect_err("json + file");
    assert!(
        e.to_string()
            .contains("multipart upload (because of `f@a.txt`)"),
        "{e}"
    );
    let e = parse_request_args_in(&args(&["x", "t=@tok", "f@a.txt"]), false, base)
        .expect_err("newline in multipart value");
    assert!(e.to_string().starts_with("`t=@tok`: "), "{e}");
    assert!(e.to_string().contains("line breaks"), "{e}");
    let e =
        parse_request_args_in(&args(&["x", "j:=@a.txt"]), false, base).expect_err("bad json file");
    assert!(
        e.to_string()
            .contains("`a.txt` does not contain valid JSON"),
        "{e}"
    );
    let e = parse_request_args_in(&args(&["x", "d@."]), false, base).expect_err("dir");
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn item_errors_name_the_item() {
    assert_eq!(
        err(&["x", "foo"]),
        "`foo`: not a request item; expected Header:value, name==value, field=value, field:=json or field@file"
    );
    let e = err(&["x", "count:=abc"]);
    assert_eq!(
        e,
        "`count:=abc`: not valid JSON after `:=` (expected value at line 1 column 1); quote strings with `=` instead"
    );
    let e = parse(&["x", "f@/definitely/missing.bin"]).expect_err("missing");
    assert!(matches!(&e, ItemError::File { path, .. } if path == "/definitely/missing.bin"));
    assert!(
        e.to_string()
            .starts_with("`f@/definitely/missing.bin`: cannot read `/definitely/missing.bin`: ")
    );
    assert!(err(&["x", "t=@/definitely/missing"]).contains("cannot read `/definitely/missing`"));
    assert!(err(&["x", "H:@/definitely/missing"]).contains("cannot read"));
    assert_eq!(err(&["x", "=1"]), "`=1`: missing name before `=`");
    assert_eq!(err(&["x", ":=1"]), "`:=1`: missing name before `:=`");
    assert_eq!(err(&["x", "f@"]), "`f@`: missing file path after `@`");
    if let Ok(home) = std::env::var("HOME") {
        let e = parse(&["x", "f@~/scout-missing-file"]).expect_err("missing");
        let expected = format!("{}/scout-missing-file", home.trim_end_matches('/'));
        assert!(
            matches!(&e, ItemError::File { path, .. } if *path == expected),
            "{e}"
        );
    }
    assert!(err(&["x", "Bad Header:1"]).contains("`Bad Header` is not a valid header name"));
    assert!(err(&["x", "H:a\nb"]).contains("line breaks"));
}

proptest! {
    #[test]
    fn header_items_round_trip(
        name in "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}",
        value in "[ -\\[\\]-~]{0,24}",
    ) {
        let value = value.trim().to_string();
        prop_assume!(!value.starts_with(['=', '@']));
        let item = format!("{name}:{value}");
        let p = parse_request_args(&args(&["x", &item]), false);
        prop_assert_eq!(p.map(|p| p.spec.headers), Ok(vec![KeyValue::new(name, value)]));
    }

    #[test]
    fn parse_never_panics(
        items in proptest::collection::vec("[^/]{0,12}", 0..5),
        form in any::<bool>(),
    ) {
        let dir = dir_with(&[("f", "{\"a\": 1}")]);
        let _ = parse_request_args_in(&items, form, dir.path());
    }

    #[test]
    fn parse_never_panics_on_item_like_text(
        items in proptest::collection::vec("[a-c:=@;\\\\\\[\\]0-9 ]{0,10}", 0..6),
    ) {
        let dir = dir_with(&[("f", "[1]")]);
        let mut all = vec!["x".to_string()];
        all.extend(items);
        let body = parse_request_args_in(&all, false, dir.path())
            .ok()
            .filter(|p| p.spec.body_kind == BodyKind::Json)
            .map(|p| p.spec.body);
        if let Some(body) = body {
            prop_assert!(serde_json::from_str::<Value>(&body).is_ok(), "{}", body);
        }
    }

}
