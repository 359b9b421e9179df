//! The cache's report on a response, and the private cache: fresh hits, revalidation, no-store,
//! Vary and the budget.

use super::*;

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status,
        reason: String::new(),
        version: "HTTP/1.1".into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: bytes::Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(3),
        redirects: Vec::new(),
        url: String::new(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

const DATE: &str = "Thu, 03 Dec 2026 10:00:00 GMT";

fn at(seconds_after_date: u64) -> SystemTime {
    httpdate::parse_http_date(DATE).unwrap() + Duration::from_secs(seconds_after_date)
}

fn report_of(r: &ResponseData, now: u64) -> CacheReport {
    super::report(Method::Get, "http://a.test/x", &[], r, at(0), at(now))
}

#[test]
fn max_age_sets_the_lifetime_and_the_age_counts_down() {
    let r = response(
        200,
        &[
            ("cache-control", "max-age=60"),
            ("date", DATE),
            ("etag", "W/\"v1\""),
        ],
        "{}",
    );
    let report = report_of(&r, 15);
    assert!(report.storable);
    assert_eq!(report.lifetime, Duration::from_secs(60));
    assert!(
        report
            .lifetime_from
            .starts_with("Cache-Control: max-age=60"),
        "{report:?}"
    );
    assert_eq!(report.age, Duration::from_secs(15));
    assert_eq!(report.fresh_for, Duration::from_secs(45));
    let text = report.lines(None).join("\n");
    assert!(text.contains("ETag W/\"v1\": weak"), "{text}");
    assert!(text.contains("fresh for: 45.0 s more"), "{text}");
}

#[test]
fn expires_heuristics_no_store_and_no_cache_are_told_apart() {
    let expires = response(
        200,
        &[("date", DATE), ("expires", "Thu, 03 Dec 2026 10:02:00 GMT")],
        "",
    );
    let report = report_of(&expires, 0);
    assert_eq!(report.lifetime, Duration::from_secs(120));
    assert!(report.lifetime_from.starts_with("Expires"), "{report:?}");

    // Modified 1000 s before it was sent: 10% of that.
    let heuristic = response(
        200,
        &[
            ("date", DATE),
            ("last-modified", "Thu, 03 Dec 2026 09:43:20 GMT"),
        ],
        "",
    );
    let report = report_of(&heuristic, 0);
    assert_eq!(report.lifetime, Duration::from_secs(100));
    assert!(report.lifetime_from.starts_with("heuristic"), "{report:?}");

    let no_store = response(200, &[("cache-control", "no-store")], "");
    let report = report_of(&no_store, 0);
    assert!(!report.storable);
    assert!(report.why.contains("no-store"), "{report:?}");

    let unsaid = response(200, &[("date", DATE)], "");
    let text = report_of(&unsaid, 0).lines(None).join("\n");
    assert!(
        text.contains("freshness lifetime: none\n  none was given, so it is stale at once"),
        "{text}"
    );

    let no_cache = response(
        200,
        &[("cache-control", "no-cache"), ("etag", "\"v1\"")],
        "",
    );
    let report = report_of(&no_cache, 0);
    assert!(report.storable);
    assert!(
        report
            .lifetime_from
            .contains("no-cache: every use must be revalidated"),
        "{report:?}"
    );

    let created = response(201, &[("date", DATE)], "");
    let report = super::report(Method::Post, "http://a.test/x", &[], &created, at(0), at(0));
    assert!(!report.storable);
    assert!(report.why.contains("POST"), "{report:?}");
}

#[test]
fn a_fresh_copy_is_served_and_a_stale_one_revalidated() {
    let now = SystemTime::now();
    let url = "http://fresh.cache.test/a";
    assert!(matches!(before(Method::Get, url, &[], now), Before::Miss));
    let stored = after(
        Method::Get,
        url,
        &[],
        &[],
        response(200, &[("cache-control", "max-age=60")], "one"),
        now,
    );
    assert_eq!(stored.cache, Some(CacheUse::Stored));
    let Before::Fresh(hit) = before(Method::Get, url, &[], now + Duration::from_secs(10)) else {
        panic!("expected a fresh hit");
    };
    assert_eq!(&hit.body[..], b"one");
    assert!(
        matches!(hit.cache, Some(CacheUse::Fresh { fresh_for, .. }) if fresh_for == Duration::from_secs(50)),
        "{:?}",
        hit.cache
    );

    let url = "http://etag.cache.test/a";
    after(
        Method::Get,
        url,
        &[],
        &[],
        response(
            200,
            &[("cache-control", "no-cache"), ("etag", "\"v1\"")],
            "body",
        ),
        now,
    );
    let Before::Revalidate(conditional) = before(Method::Get, url, &[], now) else {
        panic!("expected a revalidation");
    };
    assert_eq!(
        conditional,
        [("if-none-match".to_string(), "\"v1\"".to_string())]
    );
    let confirmed = after(
        Method::Get,
        url,
        &[],
        &conditional,
        response(304, &[("etag", "\"v1\"")], ""),
        now,
    );
    assert_eq!(confirmed.status, 200);
    assert_eq!(&confirmed.body[..], b"body");
    assert_eq!(
        confirmed.cache,
        Some(CacheUse::Revalidated {
            validator: "if-none-match: \"v1\"".into()
        })
    );
    // A changed resource replaces the copy.
    let changed = after(
        Method::Get,
        url,
        &[],
        &conditional,
        response(
            200,
            &[("cache-control", "no-cache"), ("etag", "\"v2\"")],
            "new",
        ),
        now,
    );
    assert_eq!(changed.cache, Some(CacheUse::Stored));
    let Before::Revalidate(conditional) = before(Method::Get, url, &[], now) else {
        panic!("expected a revalidation");
    };
    assert_eq!(conditional[0].1, "\"v2\"");

    // no-store is never kept, and says so.
    let url = "http://nostore.cache.test/a";
    let r = after(
        Method::Get,
        url,
        &[],
        &[],
        response(200, &[("cache-control", "no-store")], ""),
        now,
    );
    assert!(matches!(r.cache, Some(CacheUse::NotStored { ref why }) if why.contains("no-store")));
    assert!(matches!(before(Method::Get, url, &[], now), Before::Miss));
}

#[test]
fn vary_keeps_copies_for_other_request_headers_apart() {
    let now = SystemTime::now();
    let url = "http://vary.cache.test/a";
    let json = [("accept".to_string(), "application/json".to_string())];
    let text = [("accept".to_string(), "text/plain".to_string())];
    after(
        Method::Get,
        url,
        &json,
        &[],
        response(
            200,
            &[("cache-control", "max-age=60"), ("vary", "Accept")],
            "{}",
        ),
        now,
    );
    assert!(matches!(
        before(Method::Get, url, &json, now),
        Before::Fresh(_)
    ));
    assert!(!matches!(
        before(Method::Get, url, &text, now),
        Before::Fresh(_)
    ));
}

#[test]
fn the_store_stays_within_its_budget() {
    let mut store = Store::default();
    let big = "x".repeat(MAX_ENTRY);
    let policy = || {
        let req = request_parts(Method::Get, "http://a.test/", &[]).unwrap();
        CachePolicy::new_options(
            &req,
            &response_parts(&response(200, &[("cache-control", "max-age=60")], "")),
            SystemTime::now(),
            options(),
        )
    };
    for i in 0..(MAX_BYTES / MAX_ENTRY + 3) {
        store.put(
            format!("GET http://a.test/{i}"),
            policy(),
            response(200, &[], &big),
        );
        assert!(store.bytes <= MAX_BYTES);
    }
    assert_eq!(store.entries.len(), MAX_BYTES / MAX_ENTRY);
    // Too large for the cache at all: not kept.
    store.put(
        "GET http://a.test/huge".into(),
        policy(),
        response(200, &[], &"x".repeat(MAX_ENTRY + 1)),
    );
    assert!(!store.entries.contains_key("GET http://a.test/huge"));
}

#[test]
fn a_body_kept_only_in_part_is_not_stored() {
    let now = SystemTime::now();
    let dir = tempfile::tempdir().unwrap();
    let mut spill = crate::http::spill::SpillFile::create(dir.path()).unwrap();
    spill.write(b"the whole body, on disk").unwrap();
    let spilled = std::sync::Arc::new(spill.finish().unwrap());
    let cacheable = || response(200, &[("cache-control", "max-age=60")], "the whole");
    let cases = [
        ("http://spilled.cache.test/a", {
            let mut r = cacheable();
            r.spilled = Some(spilled.clone());
            r
        }),
        ("http://stopped.cache.test/a", {
            let mut r = cacheable();
            r.stopped = true;
            r
        }),
    ];
    for (url, partial) in cases {
        let answered = after(Method::Get, url, &[], &[], partial, now);
        assert!(
            matches!(&answered.cache, Some(CacheUse::NotStored { .. })),
            "{url}: {:?}",
            answered.cache
        );
        assert!(matches!(before(Method::Get, url, &[], now), Before::Miss));
    }
    let stopped = after(
        Method::Get,
        "http://stopped.cache.test/b",
        &[],
        &[],
        ResponseData {
            stopped: true,
            ..cacheable()
        },
        now,
    );
    assert_eq!(
        stopped.cache,
        Some(CacheUse::NotStored {
            why: "its download was stopped before the end".into()
        })
    );
}
