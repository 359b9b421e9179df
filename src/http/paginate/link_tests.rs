use proptest::prelude::*;

use super::*;

fn link(uri: &str, rel: &[&str]) -> LinkValue {
    LinkValue {
        uri: uri.to_owned(),
        rel: rel.iter().map(|r| (*r).to_owned()).collect(),
        params: Vec::new(),
    }
}

#[test]
fn github_style_header() {
    let value = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
    let links = parse_link_header(value);
    assert_eq!(
        links,
        vec![
            link(
                "https://api.github.com/repositories/1/issues?page=2",
                &["next"]
            ),
            link(
                "https://api.github.com/repositories/1/issues?page=5",
                &["last"]
            ),
        ]
    );
    assert_eq!(
        rel(&links, "next"),
        Some("https://api.github.com/repositories/1/issues?page=2")
    );
    assert_eq!(rel(&links, "NEXT"), rel(&links, "next"));
    assert_eq!(rel(&links, "prev"), None);
}

#[test]
fn uris_may_hold_commas_and_semicolons() {
    let links = parse_link_header("<https://x.test/a;b,c?q=1,2>; rel=next,</p;q>;rel=prev");
    assert_eq!(links[0].uri, "https://x.test/a;b,c?q=1,2");
    assert_eq!(links[0].rel, ["next"]);
    assert_eq!(links[1].uri, "/p;q");
    assert_eq!(links[1].rel, ["prev"]);
}

#[test]
fn quoted_strings_may_hold_commas_and_escapes() {
    let links =
        parse_link_header(r#"<a>; title="one, two; \"three\" \\"; rel="next", <b>; rel=last"#);
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[0].params,
        [(
            "title".to_owned(),
            Some(r#"one, two; "three" \"#.to_owned())
        )]
    );
    assert_eq!(links[1].rel, ["last"]);
}

#[test]
fn rel_is_lowercased_split_and_only_the_first_counts() {
    let links = parse_link_header("<a>; REL=\"Next  LAST\"; rel=prev");
    assert_eq!(links[0].rel, ["next", "last"]);
    assert_eq!(rel(&links, "last"), Some("a"));
    assert_eq!(rel(&links, "prev"), None);
}

#[test]
fn whitespace_missing_params_and_flags() {
    let links = parse_link_header("  <a>  ,\t<b> ; crossorigin ; Type = text/html ;; ,  ");
    assert_eq!(links[0], link("a", &[]));
    assert_eq!(
        links[1].params,
        [
            ("crossorigin".to_owned(), None),
            ("type".to_owned(), Some("text/html".to_owned())),
        ]
    );
}

#[test]
fn malformed_values_are_skipped() {
    assert!(parse_link_header("").is_empty());
    assert!(parse_link_header("rel=next").is_empty());
    // A value without `<…>` is skipped up to its comma (a quoted comma does not count).
    let links = parse_link_header(r#"junk; t="a,b", <ok>; rel=next"#);
    assert_eq!(links, vec![link("ok", &["next"])]);
    // An unterminated URI ends the header.
    assert_eq!(
        parse_link_header("<a>; rel=next, <b; rel=last"),
        vec![link("a", &["next"])]
    );
    // An unterminated quoted string runs to the end.
    let links = parse_link_header("<a>; title=\"x, <b>; rel=next");
    assert_eq!(links.len(), 1);
    assert!(links[0].rel.is_empty());
}

#[test]
fn several_headers_are_read_in_order() {
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("link".to_owned(), "<p1>; rel=prev".to_owned()),
        ("LINK".to_owned(), "<p3>; rel=next".to_owned()),
    ];
    let links = links_in_headers(&headers);
    assert_eq!(links.len(), 2);
    assert_eq!(rel(&links, "next"), Some("p3"));
    assert_eq!(rel(&links, "prev"), Some("p1"));
}

#[test]
fn format_writes_quoted_values() {
    let mut value = link("/x?a=1", &["next", "last"]);
    value.params = vec![
        ("title".to_owned(), Some("say \"hi\"".to_owned())),
        ("flag".to_owned(), None),
    ];
    let text = format_link(&[value.clone(), link("/y", &[])]);
    assert_eq!(
        text,
        r#"</x?a=1>; rel="next last"; title="say \"hi\""; flag, </y>"#
    );
    assert_eq!(parse_link_header(&text), vec![value, link("/y", &[])]);
}

/// Text made of the characters the grammar cares about, and any others.
fn awkward_header() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<".to_owned()),
            Just(">".to_owned()),
            Just(";".to_owned()),
            Just(",".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("=".to_owned()),
            Just(" ".to_owned()),
            Just("rel".to_owned()),
            "[a-z]{1,3}",
            any::<char>().prop_map(String::from),
        ],
        0..32,
    )
    .prop_map(|parts| parts.concat())
}

fn any_link() -> impl Strategy<Value = LinkValue> {
    let uri = "[^<>\\s]([^>]*[^>\\s])?|";
    let rel = prop::collection::vec("[a-z0-9.:/_-]{1,10}", 0..3);
    let name =
        "[a-z0-9!#$%&'*+.^_`|~-]{1,8}".prop_filter("rel is not a plain param", |n| n != "rel");
    let params = prop::collection::vec((name, prop::option::of(any::<String>())), 0..3);
    (uri, rel, params).prop_map(|(uri, rel, params)| LinkValue {
        uri: uri.trim().to_owned(),
        rel,
        params,
    })
}

proptest! {
    #[test]
    fn parse_never_panics(value in awkward_header()) {
        for link in parse_link_header(&value) {
            prop_assert!(!link.uri.contains('>'));
        }
    }

    #[test]
    fn parse_never_panics_on_any_string(value in any::<String>()) {
        let _ = parse_link_header(&value);
    }

    #[test]
    fn format_then_parse_gives_the_links_back(links in prop::collection::vec(any_link(), 0..4)) {
        prop_assert_eq!(parse_link_header(&format_link(&links)), links);
    }
}
