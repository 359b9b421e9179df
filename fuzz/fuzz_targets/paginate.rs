//! Pagination (src/http/paginate): the `Link` header (RFC 8288), guessing the style from a first
//! response, finding a page's items, the step to the next page in every style, and the rate
//! limit wait between pages.
//!
//! Input: the request URL on the first line, then `Name: value` header lines, an empty line and
//! the body.
#![no_main]

mod common;

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use scout::http::paginate::detect::could_page;
use scout::http::paginate::merge::{path_of, value_at};
use scout::http::paginate::pager::{MAX_RATE_WAIT, rate_limit_wait};
use scout::http::paginate::{
    PagerState, Step, detect, find_items_path, first_page_url, format_link, items_at,
    links_in_headers, next_page, parse_link_header,
};
use scout::model::{Limits, Pagination, Style, Total};
use serde_json::Value;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let (first, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let url = std::str::from_utf8(first)
        .ok()
        .and_then(|s| Url::parse(s).ok())
        // What scout sends: http and https.
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| Url::parse("https://api.example.com/items?page=1&per_page=2").unwrap());
    let (headers, body) = common::head_and_body(rest);

    // Every link read back from its formatted form (every header value, link or not).
    for (_, value) in &headers {
        let links = parse_link_header(value);
        let formatted = format_link(&links);
        assert_eq!(
            parse_link_header(&formatted),
            links,
            "{value:?} → {formatted:?}"
        );
    }
    let _ = links_in_headers(&headers);

    let _ = could_page(&url, 200, &headers, body);
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let response = common::response(200, headers.clone(), body, url.as_str());
    if let Some((wait, _)) = rate_limit_wait(&response, now) {
        assert!(wait <= MAX_RATE_WAIT);
    }

    let json: Option<Value> = serde_json::from_slice(body).ok();
    let mut styles = vec![
        Pagination::new(Style::Link),
        Pagination::new(Style::NextUrl {
            next_path: "$.next".into(),
        }),
        Pagination::new(Style::Cursor {
            cursor_path: "$.meta.next_cursor".into(),
            cursor_param: "cursor".into(),
            has_more_path: Some("$.has_more".into()),
        }),
        Pagination::new(Style::Page {
            page_param: "page".into(),
            size_param: "per_page".into(),
            size: Some(2),
            start: 1,
            total: Total::default(),
        }),
        Pagination {
            items: Some("$.data[*]".into()),
            ..Pagination::new(Style::Offset {
                offset_param: "offset".into(),
                limit_param: "limit".into(),
                limit: None,
                total: Total::Path("$.total".into()),
            })
        },
    ];
    if let Some(json) = &json {
        if let Some(path) = find_items_path(json) {
            assert!(items_at(json, None).is_ok(), "{path}");
        }
        // A key's path finds the key, whatever it is made of.
        if let Value::Object(map) = json {
            for (key, value) in map.iter().take(8) {
                let path = path_of(&[key.as_str()]);
                assert_eq!(value_at(json, &path), Some(value), "{path}");
            }
        }
        if let Some(detected) = detect(&url, 200, &headers, json) {
            styles.push(detected.style);
        }
    }

    let mut state = PagerState::new();
    state.record(&url, 1);
    let small = Limits {
        max_pages: 3,
        max_items: 4,
    };
    for (i, p) in styles.iter().enumerate() {
        let _ = first_page_url(p, &url);
        // The style's own caps or small ones, by turns.
        let limits = if (i + data.len()) % 2 == 0 {
            &p.limits
        } else {
            &small
        };
        let step = next_page(p, limits, &state, &url, 200, &headers, body);
        if let Step::More { next_url, .. } = &step {
            assert_ne!(next_url, &url, "a loop was followed");
            assert!(!state.fetched.contains(next_url.as_str()));
            assert!(matches!(next_url.scheme(), "http" | "https"), "{next_url}");
        }
    }
});
