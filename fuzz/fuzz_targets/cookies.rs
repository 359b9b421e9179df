//! Cookies (src/http/cookies.rs): `Set-Cookie` values (attributes, the lenient cookie date,
//! `Max-Age`), and a jar storing them from responses and building the `Cookie` header of the
//! requests after.
//!
//! Input: the response URL on the first line, then one `Set-Cookie` value per line; a line
//! `> URL` asks the jar for the `Cookie` header of a request to that URL.
#![no_main]

mod common;

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use scout::http::cookies::{
    CookieJar, MAX_AGE, MAX_COOKIE_BYTES, MAX_COOKIES, parse_cookie_date, parse_set_cookie,
};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or_default();
    let mut url =
        Url::parse(first).unwrap_or_else(|_| Url::parse("https://api.example.com/a/b").unwrap());
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut jar = CookieJar::default();
    for line in lines {
        if let Some(target) = line.strip_prefix("> ") {
            if let Ok(target) = Url::parse(target) {
                if let Some(header) = jar.header(&target, now) {
                    assert!(!header.is_empty());
                }
                url = target;
            }
            continue;
        }
        let _ = parse_cookie_date(line);
        if let Some(cookie) = parse_set_cookie(line, now) {
            assert!(!cookie.name.is_empty());
            assert!(cookie.name.len() + cookie.value.len() <= MAX_COOKIE_BYTES);
            assert!(!cookie.name.contains(';') && !cookie.value.contains(';'));
            if let Some(domain) = &cookie.domain {
                assert!(!domain.starts_with('.') && !domain.is_empty(), "{domain:?}");
                assert_eq!(domain, &domain.to_ascii_lowercase());
            }
            if let Some(path) = &cookie.path {
                assert!(path.starts_with('/'), "{path:?}");
            }
            if let Some(expires) = cookie.expires {
                assert!(expires <= now + MAX_AGE, "a lifetime past the cap");
            }
        }
        let _ = jar.store(&url, line, now);
    }
    // A later `now`, so that some have expired.
    let _ = jar.header(&url, now + Duration::from_secs(3600));
    let list = jar.list();
    assert!(list.len() <= MAX_COOKIES);
    if let Some(header) = jar.header(&url, now) {
        for pair in header.split("; ") {
            assert!(
                list.iter()
                    .any(|c| pair == format!("{}={}", c.name, c.value)),
                "{pair:?} is not a stored cookie"
            );
        }
    }
});
