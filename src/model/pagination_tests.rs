use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
struct Doc {
    pagination: Pagination,
}

fn parse(text: &str) -> Result<Pagination, String> {
    toml::from_str::<Doc>(text)
        .map(|d| d.pagination)
        .map_err(|e| e.to_string())
}

fn round_trip(p: &Pagination) -> Pagination {
    let text = format!("pagination = {}", p.to_toml_value());
    parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn link_takes_only_the_shared_keys() {
    let p = parse(r#"pagination = { style = "link" }"#).unwrap();
    assert_eq!(p, Pagination::new(Style::Link));
    let p = parse(
        r#"pagination = { style = "link", items = "$.data", max_pages = 200, max_items = 10 }"#,
    )
    .unwrap();
    assert_eq!(p.items.as_deref(), Some("$.data"));
    assert_eq!(
        p.limits,
        Limits {
            max_pages: 200,
            max_items: 10
        }
    );
}

#[test]
fn every_style_reads_its_keys_and_defaults() {
    let p =
        parse(r#"pagination = { style = "next-url", next_path = "$._links.next.href" }"#).unwrap();
    assert_eq!(
        p.style,
        Style::NextUrl {
            next_path: "$._links.next.href".into()
        }
    );

    let p =
        parse(r#"pagination = { style = "cursor", cursor_path = "$.meta.next_cursor" }"#).unwrap();
    assert_eq!(
        p.style,
        Style::Cursor {
            cursor_path: "$.meta.next_cursor".into(),
            cursor_param: "cursor".into(),
            has_more_path: None
        }
    );

    let p = parse(r#"pagination = { style = "page" }"#).unwrap();
    assert_eq!(p, Pagination::page());
    let p = parse(r#"pagination = { style = "page", page_param = "_page", size_param = "_limit", size = 25, start = 0, total_path = "$.total" }"#)
        .unwrap();
    assert_eq!(
        p.style,
        Style::Page {
            page_param: "_page".into(),
            size_param: "_limit".into(),
            size: Some(25),
            start: 0,
            total: Total::Path("$.total".into())
        }
    );

    let p = parse(r#"pagination = { style = "offset" }"#).unwrap();
    assert_eq!(p, Pagination::offset());
    let p = parse(r#"pagination = { style = "offset", offset_param = "skip", limit_param = "take", limit = 5, total_header = "X-Total" }"#)
        .unwrap();
    assert_eq!(
        p.style,
        Style::Offset {
            offset_param: "skip".into(),
            limit_param: "take".into(),
            limit: Some(5),
            total: Total::Header("X-Total".into())
        }
    );
}

#[test]
fn errors_name_the_problem() {
    let cases = [
        (
            r#"pagination = { next_path = "$.next" }"#,
            "needs a `style`",
        ),
        (
            r#"pagination = { style = "pages" }"#,
            "unknown pagination style \"pages\": use one of link, next-url",
        ),
        (r#"pagination = { style = 3 }"#, "must be a string"),
        (
            r#"pagination = { style = "link", next_path = "$.x" }"#,
            "link pagination: unknown field `next_path`",
        ),
        (
            r#"pagination = { style = "next-url" }"#,
            "next-url pagination: missing field `next_path`",
        ),
        (
            r#"pagination = { style = "next-url", next_path = "next" }"#,
            "`next_path` = \"next\" is not a valid JSONPath",
        ),
        (
            r#"pagination = { style = "page", items = "$.[" }"#,
            "page pagination: `items`",
        ),
        (
            r#"pagination = { style = "page", size = 0 }"#,
            "`size` must be at least 1",
        ),
        (
            r#"pagination = { style = "offset", total_path = "$.t", total_header = "X" }"#,
            "not both",
        ),
        (
            r#"pagination = { style = "cursor", cursor_path = "$.c", max_pages = 0 }"#,
            "`max_pages` must be at least 1",
        ),
        (
            r#"pagination = { style = "cursor", cursor_path = "$.c", max_itmes = 3 }"#,
            "unknown field `max_itmes`",
        ),
    ];
    for (text, expected) in cases {
        let error = parse(text).expect_err(text);
        assert!(
            error.contains(expected),
            "{text}\n  gave: {error}\n  wanted: {expected}"
        );
    }
}

#[test]
fn saved_tables_read_back_the_same() {
    let cases = [
        Pagination::new(Style::Link),
        Pagination {
            items: Some("$.data[*]".into()),
            limits: Limits {
                max_pages: 3,
                max_items: 99,
            },
            ..Pagination::new(Style::NextUrl {
                next_path: "$[\"@odata.nextLink\"]".into(),
            })
        },
        Pagination::new(Style::Cursor {
            cursor_path: "$.response_metadata.next_cursor".into(),
            cursor_param: "cursor".into(),
            has_more_path: Some("$.has_more".into()),
        }),
        Pagination::page(),
        Pagination::new(Style::Page {
            page_param: "p".into(),
            size_param: "n".into(),
            size: Some(10),
            start: 0,
            total: Total::Path("$.meta.total".into()),
        }),
        Pagination::offset(),
    ];
    for p in cases {
        assert_eq!(round_trip(&p), p);
    }
    assert_eq!(
        Pagination::page().to_toml_value().to_string(),
        r#"{ style = "page", page_param = "page", size_param = "per_page", start = 1, total_header = "X-Total-Count" }"#
    );
    assert_eq!(Pagination::offset().to_string(), "offset");
}
