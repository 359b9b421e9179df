use serde_json::json;

use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn header(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

fn items(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({ "id": i })).collect()
}

fn array(n: usize) -> Vec<u8> {
    Value::Array(items(n)).to_string().into_bytes()
}

/// One step with the default caps and nothing loaded before.
fn step(p: &Pagination, at: &str, headers: &[(String, String)], body: &[u8]) -> Step {
    next_page(
        p,
        &Limits::default(),
        &PagerState::new(),
        &url(at),
        200,
        headers,
        body,
    )
}

fn next_url(s: &Step) -> &str {
    match s {
        Step::More { next_url, .. } => next_url.as_str(),
        other => panic!("expected more, got {other:?}"),
    }
}

fn last_reason(s: &Step) -> &str {
    match s {
        Step::Last { reason, .. } => reason,
        other => panic!("expected the last page, got {other:?}"),
    }
}

fn stop_reason(s: &Step) -> &StopReason {
    match s {
        Step::Stop { reason, .. } => reason,
        other => panic!("expected a stop, got {other:?}"),
    }
}

fn cursor(has_more: Option<&str>) -> Pagination {
    Pagination::new(Style::Cursor {
        cursor_path: "$.meta.next".into(),
        cursor_param: "cursor".into(),
        has_more_path: has_more.map(str::to_owned),
    })
}

#[test]
fn link_style_follows_rel_next_relative_to_the_page() {
    let p = Pagination::new(Style::Link);
    let headers = [header(
        "Link",
        "</items?page=3>; rel=\"next\", </items?page=9>; rel=last",
    )];
    let s = step(&p, "https://api.test/v1/items?page=2", &headers, &array(3));
    assert_eq!(next_url(&s), "https://api.test/items?page=3");
    let Step::More {
        items: got, total, ..
    } = &s
    else {
        unreachable!()
    };
    assert_eq!(got, &items(3));
    assert_eq!(*total, None);

    let headers = [
        header("link", "<next?p=2>; rel=next"),
        header("X-Total-Count", "40"),
    ];
    let s = step(&p, "https://api.test/v1/items", &headers, &array(1));
    assert_eq!(next_url(&s), "https://api.test/v1/next?p=2");
    assert!(matches!(
        s,
        Step::More {
            total: Some(40),
            ..
        }
    ));

    let headers = [header("Link", "</items?page=1>; rel=prev")];
    let s = step(&p, "https://api.test/items?page=2", &headers, &array(2));
    assert_eq!(last_reason(&s), "no next link");
}

#[test]
fn next_url_style() {
    let p = Pagination::new(Style::NextUrl {
        next_path: "$.links.next".into(),
    });
    let body = json!({"data": [1, 2], "links": {"next": "https://other.test/p2"}}).to_string();
    let s = step(&p, "https://api.test/p1", &[], body.as_bytes());
    assert_eq!(next_url(&s), "https://other.test/p2");

    let body = json!({"data": [1], "links": {"next": {"href": "?page=2"}}}).to_string();
    let s = step(&p, "https://api.test/list?page=1", &[], body.as_bytes());
    assert_eq!(next_url(&s), "https://api.test/list?page=2");

    for (links, reason) in [
        (json!({"next": null}), "no next URL at $.links.next"),
        (json!({}), "no next URL at $.links.next"),
        (
            json!({"next": " "}),
            "the next URL at $.links.next is empty",
        ),
        (
            json!({"next": 3}),
            "the next URL at $.links.next is a number, not a URL",
        ),
    ] {
        let body = json!({"data": [1], "links": links}).to_string();
        let s = step(&p, "https://api.test/p1", &[], body.as_bytes());
        assert_eq!(last_reason(&s), reason);
    }
}

#[test]
fn bad_next_urls_stop() {
    let p = Pagination::new(Style::NextUrl {
        next_path: "$.next".into(),
    });
    for next in ["http://[::1", "javascript:alert(1)"] {
        let body = json!({"results": [1], "next": next}).to_string();
        let s = step(&p, "https://api.test/", &[], body.as_bytes());
        let Step::Stop {
            items_so_far,
            reason,
            resume: None,
        } = &s
        else {
            panic!("{s:?}")
        };
        assert_eq!(items_so_far, &vec![json!(1)]);
        assert!(matches!(reason, StopReason::BadNextUrl { .. }), "{reason}");
    }
}

#[test]
fn cursor_style() {
    let p = cursor(Some("$.has_more"));
    let body = json!({"data": [1], "has_more": true, "meta": {"next": "a+b/c=="}}).to_string();
    let s = step(
        &p,
        "https://api.test/x?limit=2&cursor=old",
        &[],
        body.as_bytes(),
    );
    assert_eq!(
        next_url(&s),
        "https://api.test/x?limit=2&cursor=a%2Bb%2Fc%3D%3D"
    );

    let body = json!({"data": [1], "meta": {"next": 17}}).to_string();
    let s = step(&p, "https://api.test/x", &[], body.as_bytes());
    assert_eq!(next_url(&s), "https://api.test/x?cursor=17");

    for (body, reason) in [
        (
            json!({"data": [1], "has_more": false, "meta": {"next": "c"}}),
            "has_more is false",
        ),
        (
            json!({"data": [1], "meta": {"next": null}}),
            "cursor is null",
        ),
        (
            json!({"data": [1], "has_more": true, "meta": {"next": ""}}),
            "cursor is empty",
        ),
        (json!({"data": [1]}), "no cursor at $.meta.next"),
        (
            json!({"data": [1], "meta": {"next": [1]}}),
            "the cursor at $.meta.next is an array, not a string",
        ),
    ] {
        let s = step(&p, "https://api.test/x", &[], body.to_string().as_bytes());
        assert_eq!(last_reason(&s), reason);
    }
}

#[test]
fn page_style_replaces_the_page_and_keeps_the_rest() {
    let p = Pagination::page();
    let s = step(
        &p,
        "https://api.test/x?q=a%20b&page=2&per_page=3&tag=%C3%A9",
        &[],
        &array(3),
    );
    assert_eq!(
        next_url(&s),
        "https://api.test/x?q=a%20b&page=3&per_page=3&tag=%C3%A9"
    );

    // Without a page parameter, this was page `start`; `size` is sent when configured.
    let p = Pagination::new(Style::Page {
        page_param: "_page".into(),
        size_param: "_limit".into(),
        size: Some(2),
        start: 0,
        total: Total::default(),
    });
    assert_eq!(
        first_page_url(&p, &url("https://api.test/x?a=1")).as_str(),
        "https://api.test/x?a=1&_limit=2"
    );
    let s = step(&p, "https://api.test/x?a=1&_limit=2", &[], &array(2));
    assert_eq!(next_url(&s), "https://api.test/x?a=1&_limit=2&_page=1");
}

#[test]
fn page_style_stop_rules() {
    let p = Pagination::page();
    let at = "https://api.test/x?page=1&per_page=10";
    assert_eq!(last_reason(&step(&p, at, &[], &array(0))), "empty page");
    assert_eq!(
        last_reason(&step(&p, at, &[], &array(7))),
        "short page (7 < 10)"
    );
    // The total: page 3 of 10 holds items 21..30.
    let total = [header("x-total-count", "30")];
    let s = step(
        &p,
        "https://api.test/x?page=3&per_page=10",
        &total,
        &array(10),
    );
    assert_eq!(last_reason(&s), "reached the total of 30");
    let s = step(
        &p,
        "https://api.test/x?page=2&per_page=10",
        &total,
        &array(10),
    );
    assert!(matches!(
        s,
        Step::More {
            total: Some(30),
            ..
        }
    ));
    // A total in the body; no size known: only empty pages and the total end it.
    let p = Pagination::new(Style::Page {
        page_param: "page".into(),
        size_param: "per_page".into(),
        size: None,
        start: 1,
        total: Total::Path("$.meta.total".into()),
    });
    let body = json!({"data": [1, 2], "meta": {"total": "4"}}).to_string();
    let s = step(&p, "https://api.test/x", &[], body.as_bytes());
    assert_eq!(next_url(&s), "https://api.test/x?page=2");
    let s = step(&p, "https://api.test/x?page=2", &[], body.as_bytes());
    assert_eq!(last_reason(&s), "reached the total of 4");
}

#[test]
fn offset_style() {
    let p = Pagination::new(Style::Offset {
        offset_param: "skip".into(),
        limit_param: "take".into(),
        limit: Some(5),
        total: Total::Header("X-Total".into()),
    });
    let total = [header("X-Total", "12")];
    let s = step(&p, "https://api.test/x?take=5", &total, &array(5));
    assert_eq!(next_url(&s), "https://api.test/x?take=5&skip=5");
    let s = step(&p, "https://api.test/x?skip=5&take=5", &total, &array(5));
    assert_eq!(next_url(&s), "https://api.test/x?skip=10&take=5");
    let s = step(&p, "https://api.test/x?skip=10&take=5", &[], &array(2));
    assert_eq!(last_reason(&s), "short page (2 < 5)");
    let s = step(&p, "https://api.test/x?skip=10&take=5", &total, &array(5));
    assert_eq!(last_reason(&s), "reached the total of 12");
    // No limit anywhere: the offset advances by the items received.
    let s = step(
        &Pagination::offset(),
        "https://api.test/x?offset=4",
        &[],
        &array(3),
    );
    assert_eq!(next_url(&s), "https://api.test/x?offset=7");
    assert_eq!(
        last_reason(&step(
            &Pagination::offset(),
            "https://api.test/x",
            &[],
            b"[]"
        )),
        "empty page"
    );
}

#[test]
fn failures_stop_without_items() {
    let p = Pagination::new(Style::Link);
    let s = next_page(
        &p,
        &Limits::default(),
        &PagerState::new(),
        &url("https://a.test/"),
        503,
        &[],
        b"[]",
    );
    assert_eq!(
        s,
        Step::Stop {
            items_so_far: vec![],
            reason: StopReason::Failed { status: 503 },
            resume: None,
        }
    );
    assert_eq!(
        stop_reason(&s).to_string(),
        "the page failed with status 503"
    );

    let s = step(&p, "https://a.test/", &[], b"<html>");
    assert!(
        matches!(stop_reason(&s), StopReason::NotJson { .. }),
        "{s:?}"
    );

    let s = step(&p, "https://a.test/", &[], b"{\"id\": 1}");
    let StopReason::ItemsVanished { path, error } = stop_reason(&s) else {
        panic!("{s:?}")
    };
    assert_eq!(path, "automatic");
    assert!(error.contains("no list of items"), "{error}");

    let p = Pagination {
        items: Some("$.data.list".into()),
        ..Pagination::new(Style::Link)
    };
    let s = step(&p, "https://a.test/", &[], b"{\"data\": {}}");
    assert_eq!(
        stop_reason(&s).to_string(),
        "the items ($.data.list) are missing from this page: `$.data.list` matches nothing in this page"
    );

    // An empty body (a 204) is an empty last page.
    assert_eq!(
        last_reason(&step(&p, "https://a.test/", &[], b" \n")),
        "empty page"
    );
}

#[test]
fn loops_are_detected() {
    let p = Pagination::new(Style::Link);
    let mut state = PagerState::new();
    let first = url("https://a.test/items?page=1");
    state.record(&first, 2);
    let page2 = url("https://a.test/items?page=2");
    let back = [header("Link", "</items?page=1>; rel=next")];
    let s = next_page(
        &p,
        &Limits::default(),
        &state,
        &page2,
        200,
        &back,
        &array(2),
    );
    assert_eq!(
        s,
        Step::Stop {
            items_so_far: items(2),
            reason: StopReason::Loop {
                url: first.to_string()
            },
            resume: None,
        }
    );
    // A page that links to itself loops even before it is recorded.
    let itself = [header("Link", "<?page=2>; rel=next")];
    let s = next_page(
        &p,
        &Limits::default(),
        &state,
        &page2,
        200,
        &itself,
        &array(2),
    );
    assert!(matches!(stop_reason(&s), StopReason::Loop { .. }));
    assert_eq!((state.pages, state.items, state.fetched.len()), (1, 2, 1));
}

#[test]
fn caps_stop_keeping_what_fits() {
    let p = Pagination::new(Style::Link);
    let more = [header("Link", "<?page=9>; rel=next")];
    let limits = Limits {
        max_pages: 2,
        max_items: 5,
    };
    let mut state = PagerState::new();
    state.record(&url("https://a.test/?page=1"), 2);
    let at = url("https://a.test/?page=2");

    let s = next_page(&p, &limits, &state, &at, 200, &more, &array(1));
    assert_eq!(stop_reason(&s), &StopReason::Cap(CapHit::Pages(2)));
    let Step::Stop { resume, .. } = &s else {
        unreachable!()
    };
    assert_eq!(
        resume.as_ref().map(Url::as_str),
        Some("https://a.test/?page=9"),
        "where paging goes on if the cap is raised"
    );
    assert_eq!(
        stop_reason(&s).to_string(),
        "stopped at the cap of 2 pages (--max-pages N raises it for scout send --all; max_pages \
         in the request's pagination, for a saved request)"
    );

    let limits = Limits {
        max_pages: 50,
        max_items: 5,
    };
    let s = next_page(&p, &limits, &state, &at, 200, &more, &array(4));
    assert_eq!(
        s,
        Step::Stop {
            items_so_far: items(3),
            reason: StopReason::Cap(CapHit::Items(5)),
            resume: None,
        }
    );
    let s = next_page(&p, &limits, &state, &at, 200, &more, &array(3));
    assert_eq!(
        s,
        Step::Stop {
            items_so_far: items(3),
            reason: StopReason::Cap(CapHit::Items(5)),
            resume: Some(url("https://a.test/?page=9")),
        }
    );
    // Reaching the cap exactly on the last page is just the last page.
    let s = next_page(&p, &limits, &state, &at, 200, &[], &array(3));
    assert_eq!(last_reason(&s), "no next link");
    let s = next_page(&p, &limits, &state, &at, 200, &more, &array(2));
    assert!(matches!(s, Step::More { .. }));
}

#[test]
fn origins() {
    let a = url("https://api.test/x");
    assert!(same_origin(&a, &url("https://api.test:443/y?z")));
    assert!(!same_origin(&a, &url("http://api.test/x")));
    assert!(!same_origin(&a, &url("https://api.test:8443/x")));
    assert!(!same_origin(&a, &url("https://cdn.api.test/x")));
}

/// json-server 1.x, found by trying it: `?_page=&_per_page=` and a body `{"next": 2, "data":
/// […], …}`. Its page past the end is the last page again, so a full last page would have been
/// loaded twice; its `"next": null` ends the paging.
#[test]
fn json_server_pages_are_detected_and_end_at_a_null_next() {
    let body = |next: Value, n: usize| {
        json!({"first": 1, "prev": null, "next": next, "last": 10, "pages": 10, "items": 100,
               "data": items(n)})
    };
    let first = "http://127.0.0.1:3000/posts?_page=1&_per_page=10";
    let found =
        crate::http::paginate::detect::detect(&url(first), 200, &[], &body(json!(2), 10)).unwrap();
    assert_eq!(found.why, "_page and _per_page in the request URL");
    assert_eq!(found.style.items.as_deref(), Some("$.data"));
    let s = step(
        &found.style,
        first,
        &[],
        body(json!(2), 10).to_string().as_bytes(),
    );
    assert_eq!(
        next_url(&s),
        "http://127.0.0.1:3000/posts?_page=2&_per_page=10"
    );
    let s = step(
        &found.style,
        "http://127.0.0.1:3000/posts?_page=10&_per_page=10",
        &[],
        body(Value::Null, 10).to_string().as_bytes(),
    );
    assert_eq!(last_reason(&s), "$.next is null");
}
