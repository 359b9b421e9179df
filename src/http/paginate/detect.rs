//! Guessing the pagination style from the first response, for requests that declare none.
//!
//! The first match wins, in this order (only a 2xx response is looked at):
//! 1. a `Link` header with `rel="next"` → `link`;
//! 2. a non-empty string at `$.next`, `$.links.next`, `$.paging.next`, `$._links.next.href` or
//!    `$["@odata.nextLink"]` → `next-url`;
//! 3. a non-empty string or number under one of [`CURSOR_KEYS`], at the root or under `meta`,
//!    `paging`, `pagination` or `response_metadata` → `cursor`, sent back as the parameter
//!    [`CURSOR_KEYS`] pairs with it; a boolean `has_more`/`hasMore`/`has_next_page`/`hasNextPage`
//!    next to the cursor (or at the root) becomes `has_more_path`;
//! 4. the request URL's query holding a page number and a size ([`PAGE_PARAMS`]) → `page`, or an
//!    offset and a limit ([`OFFSET_PARAMS`]) → `offset`; the total comes from `X-Total-Count`, or from
//!    a number at [`TOTAL_KEYS`] (root or `meta`) when that header is absent.
//!
//! A last page (no next link, a null cursor) is not detected: there is nothing more to load.
//! The items path is found as [`super::find_items_path`] says and written into the result.

use serde_json::Value;
use url::Url;

use super::link::{links_in_headers, rel};
use super::merge::{find_items_path, path_of, value_at};
use crate::model::pagination::{Pagination, Style, TOTAL_HEADER, Total};

/// What was detected, and why, for "detected: cursor (cursor at $.meta.next_cursor)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub style: Pagination,
    pub why: String,
}

/// Where a next-page URL is looked for in the body.
pub const NEXT_URL_PATHS: [&[&str]; 5] = [
    &["next"],
    &["links", "next"],
    &["paging", "next"],
    &["_links", "next", "href"],
    &["@odata.nextLink"],
];

/// Cursor field names, each with the query parameter it is sent back as.
pub const CURSOR_KEYS: [(&str, &str); 6] = [
    ("next_cursor", "cursor"),
    ("nextCursor", "cursor"),
    ("cursor", "cursor"),
    ("after", "after"),
    ("nextPageToken", "pageToken"),
    ("next_page_token", "page_token"),
];

/// The objects a cursor may sit in besides the root.
pub const CURSOR_PARENTS: [&str; 4] = ["meta", "paging", "pagination", "response_metadata"];

/// Boolean "is there more" fields.
pub const HAS_MORE_KEYS: [&str; 4] = ["has_more", "hasMore", "has_next_page", "hasNextPage"];

/// Page-number and page-size query parameters that, together, mean the page style.
pub const PAGE_PARAMS: [(&str, &str); 5] = [
    ("page", "per_page"),
    ("page", "size"),
    ("page", "page_size"),
    // json-server: 0.17 (`_limit`) and 1.x (`_per_page`).
    ("_page", "_limit"),
    ("_page", "_per_page"),
];

/// Offset and limit query parameters that, together, mean the offset style.
pub const OFFSET_PARAMS: [(&str, &str); 2] = [("offset", "limit"), ("skip", "take")];

/// Body fields holding the total number of items (at the root or under `meta`).
pub const TOTAL_KEYS: [&str; 5] = [
    "total",
    "total_count",
    "totalCount",
    "total_items",
    "totalItems",
];

/// Whether a first response could page without a configured style: a 2xx with a `Link: next`
/// header, a JSON object (its fields may point at the next page), or a request URL carrying page
/// or offset parameters. Decided without parsing the body, so a large top-level array that
/// cannot page is never turned into values.
pub fn could_page(
    request_url: &Url,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> bool {
    if !(200..300).contains(&status) {
        return false;
    }
    if by_link(headers).is_some() {
        return true;
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        return true;
    }
    let has = |name: &str| request_url.query_pairs().any(|(n, _)| n == name);
    first == Some(&b'[')
        && (PAGE_PARAMS.iter().any(|(p, s)| has(p) && has(s))
            || OFFSET_PARAMS.iter().any(|(o, l)| has(o) && has(l)))
}

/// The pagination style the first response shows, if any (see the module docs).
pub fn detect(
    request_url: &Url,
    status: u16,
    headers: &[(String, String)],
    body: &Value,
) -> Option<Detected> {
    if !(200..300).contains(&status) {
        return None;
    }
    let (style, why) = by_link(headers)
        .or_else(|| by_next_url(body))
        .or_else(|| by_cursor(body))
        .or_else(|| by_query(request_url, headers, body))?;
    Some(Detected {
        style: Pagination {
            items: find_items_path(body),
            ..Pagination::new(style)
        },
        why,
    })
}

fn by_link(headers: &[(String, String)]) -> Option<(Style, String)> {
    rel(&links_in_headers(headers), "next")?;
    Some((Style::Link, "Link header with rel=\"next\"".to_owned()))
}

fn by_next_url(body: &Value) -> Option<(Style, String)> {
    NEXT_URL_PATHS.into_iter().find_map(|keys| {
        let path = path_of(keys);
        match value_at(body, &path)? {
            Value::String(s) if !s.trim().is_empty() => Some((
                Style::NextUrl {
                    next_path: path.clone(),
                },
                format!("next-page URL at {path}"),
            )),
            _ => None,
        }
    })
}

fn by_cursor(body: &Value) -> Option<(Style, String)> {
    let parents = std::iter::once(None).chain(CURSOR_PARENTS.into_iter().map(Some));
    for parent in parents {
        let object = match parent {
            None => body.as_object(),
            Some(key) => body.get(key).and_then(Value::as_object),
        };
        let Some(object) = object else { continue };
        for (key, param) in CURSOR_KEYS {
            let usable = match object.get(key) {
                Some(Value::String(s)) => !s.is_empty(),
                Some(Value::Number(_)) => true,
                _ => false,
            };
            if !usable {
                continue;
            }
            let keys: Vec<&str> = parent.into_iter().chain([key]).collect();
            let cursor_path = path_of(&keys);
            let has_more_path =
                has_more(object, parent).or_else(|| has_more(body.as_object()?, None));
            let mut why = format!("cursor at {cursor_path}, sent as ?{param}=");
            if let Some(path) = &has_more_path {
                why.push_str(&format!("; {path} says whether there is more"));
            }
            let style = Style::Cursor {
                cursor_path,
                cursor_param: param.to_owned(),
                has_more_path,
            };
            return Some((style, why));
        }
    }
    None
}

fn has_more(object: &serde_json::Map<String, Value>, parent: Option<&str>) -> Option<String> {
    let key = HAS_MORE_KEYS
        .into_iter()
        .find(|key| object.get(*key).is_some_and(Value::is_boolean))?;
    Some(path_of(
        &parent.into_iter().chain([key]).collect::<Vec<_>>(),
    ))
}

fn by_query(url: &Url, headers: &[(String, String)], body: &Value) -> Option<(Style, String)> {
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let value = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (total, total_why) = total(headers, body);
    if let Some((page, size)) = PAGE_PARAMS
        .into_iter()
        .find(|(p, s)| value(p).is_some() && value(s).is_some())
    {
        let start = if value(page) == Some("0") { 0 } else { 1 };
        let style = Style::Page {
            page_param: page.to_owned(),
            size_param: size.to_owned(),
            size: None,
            start,
            total,
        };
        return Some((
            style,
            format!("{page} and {size} in the request URL{total_why}"),
        ));
    }
    let (offset, limit) = OFFSET_PARAMS
        .into_iter()
        .find(|(o, l)| value(o).is_some() && value(l).is_some())?;
    let style = Style::Offset {
        offset_param: offset.to_owned(),
        limit_param: limit.to_owned(),
        limit: None,
        total,
    };
    Some((
        style,
        format!("{offset} and {limit} in the request URL{total_why}"),
    ))
}

/// The total's source: the `X-Total-Count` header when present, else a numeric body field, else
/// the header anyway (it may appear on later pages).
fn total(headers: &[(String, String)], body: &Value) -> (Total, String) {
    if headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(TOTAL_HEADER))
    {
        return (Total::default(), format!(", total from {TOTAL_HEADER}"));
    }
    for parent in [None, Some("meta")] {
        for key in TOTAL_KEYS {
            let keys: Vec<&str> = parent.into_iter().chain([key]).collect();
            let path = path_of(&keys);
            if value_at(body, &path).is_some_and(Value::is_u64) {
                let why = format!(", total at {path}");
                return (Total::Path(path), why);
            }
        }
    }
    (Total::default(), String::new())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn detect_body(body: Value) -> Option<Detected> {
        detect(&url("https://api.test/items"), 200, &[], &body)
    }

    #[test]
    fn link_header() {
        let headers = vec![(
            "Link".to_owned(),
            "<https://api.test/items?page=2>; rel=\"next\"".to_owned(),
        )];
        let found = detect(&url("https://api.test/items"), 200, &headers, &json!([1])).unwrap();
        assert_eq!(found.style.style, Style::Link);
        assert_eq!(found.style.items.as_deref(), Some("$"));
        assert_eq!(found.why, "Link header with rel=\"next\"");
        // rel=prev alone is a last page: nothing to detect.
        let headers = vec![("link".to_owned(), "</p1>; rel=prev".to_owned())];
        assert_eq!(
            detect(&url("https://api.test/"), 200, &headers, &json!([])),
            None
        );
    }

    #[test]
    fn next_url_in_the_body() {
        let cases = [
            (json!({"next": "/items?p=2", "results": []}), "$.next"),
            (json!({"links": {"next": "u"}, "data": []}), "$.links.next"),
            (
                json!({"paging": {"next": "u"}, "data": []}),
                "$.paging.next",
            ),
            (
                json!({"_links": {"next": {"href": "u"}}}),
                "$._links.next.href",
            ),
            (
                json!({"@odata.nextLink": "u", "value": []}),
                "$[\"@odata.nextLink\"]",
            ),
        ];
        for (body, path) in cases {
            let found = detect_body(body).unwrap();
            assert_eq!(
                found.style.style,
                Style::NextUrl {
                    next_path: path.to_owned()
                }
            );
            assert_eq!(found.why, format!("next-page URL at {path}"));
        }
        let found = detect_body(json!({"value": [1], "@odata.nextLink": "u"})).unwrap();
        assert_eq!(found.style.items.as_deref(), Some("$.value"));
        assert_eq!(detect_body(json!({"next": null, "results": []})), None);
    }

    #[test]
    fn cursors_and_their_parameters() {
        let cases = [
            (json!({"next_cursor": "abc"}), "$.next_cursor", "cursor"),
            (
                json!({"data": [], "meta": {"cursor": "c"}}),
                "$.meta.cursor",
                "cursor",
            ),
            (json!({"paging": {"after": 40}}), "$.paging.after", "after"),
            (
                json!({"nextPageToken": "t", "items": []}),
                "$.nextPageToken",
                "pageToken",
            ),
            (
                json!({"response_metadata": {"next_cursor": "x"}}),
                "$.response_metadata.next_cursor",
                "cursor",
            ),
        ];
        for (body, path, param) in cases {
            let found = detect_body(body).unwrap();
            assert_eq!(
                found.style.style,
                Style::Cursor {
                    cursor_path: path.to_owned(),
                    cursor_param: param.to_owned(),
                    has_more_path: None
                },
                "{path}"
            );
        }
        let found =
            detect_body(json!({"data": [], "has_more": true, "meta": {"next_cursor": "x"}}))
                .unwrap();
        let Style::Cursor { has_more_path, .. } = &found.style.style else {
            panic!("{found:?}")
        };
        assert_eq!(has_more_path.as_deref(), Some("$.has_more"));
        assert_eq!(
            found.why,
            "cursor at $.meta.next_cursor, sent as ?cursor=; $.has_more says whether there is more"
        );
        // Null or empty cursors are a last page.
        assert_eq!(
            detect_body(json!({"next_cursor": null, "cursor": ""})),
            None
        );
    }

    #[test]
    fn page_and_offset_from_the_query() {
        let found = detect(
            &url("https://a.test/x?page=1&per_page=10"),
            200,
            &[],
            &json!([]),
        )
        .unwrap();
        assert_eq!(
            found.style,
            Pagination {
                items: Some("$".into()),
                ..Pagination::page()
            }
        );
        assert_eq!(found.why, "page and per_page in the request URL");

        let found = detect(
            &url("https://a.test/x?_limit=5&_page=0"),
            200,
            &[],
            &json!([]),
        )
        .unwrap();
        let Style::Page {
            page_param,
            size_param,
            start,
            ..
        } = found.style.style
        else {
            panic!()
        };
        assert_eq!(
            (page_param.as_str(), size_param.as_str(), start),
            ("_page", "_limit", 0)
        );

        let headers = vec![("x-total-count".to_owned(), "99".to_owned())];
        let found = detect(
            &url("https://a.test/x?offset=0&limit=10"),
            200,
            &headers,
            &json!({"data": []}),
        )
        .unwrap();
        assert_eq!(found.style.style, Pagination::offset().style);
        assert_eq!(
            found.why,
            "offset and limit in the request URL, total from X-Total-Count"
        );

        let body = json!({"data": [], "meta": {"total": 30}});
        let found = detect(&url("https://a.test/x?skip=0&take=10"), 200, &[], &body).unwrap();
        assert_eq!(
            found.style.style,
            Style::Offset {
                offset_param: "skip".into(),
                limit_param: "take".into(),
                limit: None,
                total: Total::Path("$.meta.total".into())
            }
        );
        assert_eq!(
            found.why,
            "skip and take in the request URL, total at $.meta.total"
        );
    }

    #[test]
    fn nothing_to_detect() {
        assert_eq!(detect_body(json!({"id": 1, "name": "x"})), None);
        assert_eq!(detect_body(json!([1, 2, 3])), None);
        // A page number alone, or a failed response, is not enough.
        assert_eq!(
            detect(&url("https://a.test/x?page=2"), 200, &[], &json!([])),
            None
        );
        assert_eq!(
            detect(&url("https://a.test/x?page=1&size=2"), 404, &[], &json!([])),
            None
        );
    }
}
