use proptest::prelude::*;

use super::*;

/// 2001-09-09 01:46:40 UTC.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn jar_with(from: &str, headers: &[&str]) -> CookieJar {
    let mut jar = CookieJar::default();
    for h in headers {
        assert!(jar.store(&url(from), h, now()), "refused: {h}");
    }
    jar
}

#[test]
fn parses_every_attribute() {
    let c = parse_set_cookie(
        "id=\"a b\"; Domain=.Example.COM; Path=/api; Expires=Sun, 06 Nov 1994 08:49:37 GMT; \
         Secure; HttpOnly; SameSite=Lax",
        now(),
    )
    .unwrap();
    assert_eq!(c.name, "id");
    assert_eq!(c.value, "a b");
    assert_eq!(c.domain.as_deref(), Some("example.com"));
    assert_eq!(c.path.as_deref(), Some("/api"));
    assert_eq!(
        c.expires,
        Some(UNIX_EPOCH + Duration::from_secs(784_111_777))
    );
    assert!(c.secure && c.http_only);
}

#[test]
fn max_age_wins_over_expires_and_is_capped() {
    let c = parse_set_cookie(
        "a=1; Max-Age=10; Expires=Sun, 06 Nov 1994 08:49:37 GMT",
        now(),
    )
    .unwrap();
    assert_eq!(c.expires, Some(now() + Duration::from_secs(10)));
    let c = parse_set_cookie("a=1; Max-Age=99999999999999999999999", now()).unwrap();
    assert_eq!(c.expires, Some(now() + MAX_AGE));
    for gone in ["a=1; Max-Age=0", "a=1; Max-Age=-5"] {
        assert!(parse_set_cookie(gone, now()).unwrap().expires.unwrap() <= now());
    }
    // Malformed attributes are ignored, not fatal.
    let c = parse_set_cookie("a=1; Max-Age=soon; Expires=never; Path=relative", now()).unwrap();
    assert_eq!((c.expires, c.path), (None, None));
}

#[test]
fn refuses_headers_without_a_name() {
    for bad in [
        "",
        "novalue",
        "=1",
        " = x; Path=/",
        &format!("a={}", "x".repeat(5000)),
    ] {
        assert_eq!(parse_set_cookie(bad, now()), None, "{bad}");
    }
    assert_eq!(parse_set_cookie("a=", now()).unwrap().value, "");
}

#[test]
fn reads_the_date_formats_servers_send() {
    let at = UNIX_EPOCH + Duration::from_secs(784_111_777);
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06-Nov-1994 08:49:37 UTC",
        "6 nov 1994 8:49:37",
    ] {
        assert_eq!(parse_cookie_date(text), Some(at), "{text}");
    }
    assert_eq!(
        parse_cookie_date("Thu, 01 Jan 1970 00:00:00 GMT"),
        Some(UNIX_EPOCH)
    );
    assert_eq!(
        parse_cookie_date("Fri, 01 Jan 1960 00:00:00 GMT"),
        Some(UNIX_EPOCH)
    );
    for bad in [
        "",
        "tomorrow",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1500 08:49:37 GMT",
        "Sun, 06 Nov 1994",
    ] {
        assert_eq!(parse_cookie_date(bad), None, "{bad}");
    }
}

#[test]
fn sends_cookies_only_where_they_belong() {
    let jar = jar_with(
        "http://api.example.com/v1/login",
        &[
            "host=1",
            "wide=2; Domain=example.com; Path=/",
            "deep=3; Path=/v1/items",
            "safe=4; Secure; Path=/",
        ],
    );
    let header = |u: &str| jar.header(&url(u), now());
    // `host` took the default path `/v1`.
    assert_eq!(
        header("http://api.example.com/v1/items/7").as_deref(),
        Some("deep=3; host=1; wide=2")
    );
    assert_eq!(
        header("http://api.example.com/v2").as_deref(),
        Some("wide=2")
    );
    assert_eq!(
        header("https://api.example.com/").as_deref(),
        Some("wide=2; safe=4")
    );
    // A subdomain gets domain cookies only; another domain gets nothing.
    assert_eq!(
        header("http://x.api.example.com/v1").as_deref(),
        Some("wide=2")
    );
    assert_eq!(
        header("http://www.example.com/v1").as_deref(),
        Some("wide=2")
    );
    assert_eq!(header("http://example.org/v1"), None);
    assert_eq!(header("http://notexample.com/"), None);
    // `/v1/items` does not match `/v1/itemsX`.
    assert_eq!(
        header("http://api.example.com/v1/itemsX").as_deref(),
        Some("host=1; wide=2")
    );
}

#[test]
fn refuses_domains_the_host_is_not_on() {
    let mut jar = CookieJar::default();
    let from = url("http://api.example.com/");
    for bad in [
        "a=1; Domain=example.org",
        "a=1; Domain=com",
        "a=1; Domain=other.api.example.com",
        "a=1; Domain=pi.example.com",
    ] {
        assert!(!jar.store(&from, bad, now()), "{bad}");
    }
    assert!(jar.list().is_empty());
    // An IP address only matches itself.
    assert!(!jar.store(&url("http://127.0.0.1/"), "a=1; Domain=0.0.1", now()));
    assert!(jar.store(&url("http://127.0.0.1/"), "a=1; Domain=127.0.0.1", now()));
    assert!(jar.store(&url("http://localhost/"), "b=1; Domain=localhost", now()));
}

#[test]
fn replaces_and_deletes_by_name_domain_and_path() {
    let mut jar = jar_with("http://h/", &["a=1", "b=2", "a=1; Path=/x"]);
    let u = url("http://h/x");
    assert_eq!(jar.header(&u, now()).as_deref(), Some("a=1; a=1; b=2"));
    jar.store(&url("http://h/"), "a=changed", now());
    // The replacement keeps its place (creation order).
    assert_eq!(
        jar.header(&url("http://h/"), now()).as_deref(),
        Some("a=changed; b=2")
    );
    jar.store(
        &url("http://h/"),
        "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        now(),
    );
    jar.store(&url("http://h/"), "b=; Max-Age=0", now());
    assert_eq!(jar.header(&url("http://h/"), now()), None);
    assert_eq!(jar.list().len(), 1, "the /x cookie stays");
}

#[test]
fn expiry_is_judged_by_the_given_clock() {
    let jar = jar_with("http://h/", &["short=1; Max-Age=60", "session=2"]);
    let u = url("http://h/");
    assert_eq!(jar.header(&u, now()).as_deref(), Some("short=1; session=2"));
    let later = now() + Duration::from_secs(61);
    assert_eq!(jar.header(&u, later).as_deref(), Some("session=2"));
}

#[test]
fn a_full_jar_forgets_its_oldest_cookie() {
    let mut jar = CookieJar::default();
    for i in 0..=MAX_COOKIES {
        jar.store(&url("http://h/"), &format!("c{i}=v"), now());
    }
    let names: Vec<String> = jar.list().into_iter().map(|c| c.name).collect();
    assert_eq!(names.len(), MAX_COOKIES);
    assert!(!names.contains(&"c0".to_string()));
    assert!(names.contains(&format!("c{MAX_COOKIES}")));
}

#[test]
fn jars_are_separate_per_key_and_debug_hides_values() {
    let jars = CookieJars::new();
    jars.jar("a.toml")
        .store(&url("http://h/"), ["sid=topsecret"], now());
    assert_eq!(jars.list("a.toml")[0].value, "topsecret");
    assert!(jars.list("").is_empty());
    assert_eq!(jars.jar("").header(&url("http://h/"), now()), None);
    assert_eq!(
        jars.clone()
            .jar("a.toml")
            .header(&url("http://h/"), now())
            .as_deref(),
        Some("sid=topsecret")
    );
    let debug = format!("{jars:?}");
    assert!(
        debug.contains("sid") && !debug.contains("topsecret"),
        "{debug}"
    );
}

#[test]
fn default_path_is_the_folder_of_the_request() {
    for (u, path) in [
        ("http://h", "/"),
        ("http://h/", "/"),
        ("http://h/a", "/"),
        ("http://h/a/b", "/a"),
        ("http://h/a/b/", "/a/b"),
    ] {
        assert_eq!(default_path(&url(u)), path, "{u}");
    }
}

proptest! {
    #[test]
    fn parsing_never_panics(header in "\\PC{0,200}") {
        let _ = parse_set_cookie(&header, now());
        let _ = parse_cookie_date(&header);
    }

    #[test]
    fn http_dates_round_trip(secs in 0u64..8_000_000_000) {
        let at = UNIX_EPOCH + Duration::from_secs(secs);
        prop_assert_eq!(parse_cookie_date(&httpdate::fmt_http_date(at)), Some(at));
    }

    #[test]
    fn written_cookies_read_back(
        name in "[A-Za-z0-9_-]{1,12}",
        value in "[A-Za-z0-9_.~-]{0,20}",
        path in "(/[a-z]{1,5}){0,3}",
        max_age in proptest::option::of(1u64..1_000_000),
        secure: bool,
        http_only: bool,
    ) {
        let path = if path.is_empty() { "/".to_string() } else { path };
        let mut header = format!("{name}={value}; Path={path}");
        if let Some(age) = max_age {
            header.push_str(&format!("; Max-Age={age}"));
        }
        if secure {
            header.push_str("; Secure");
        }
        if http_only {
            header.push_str("; HttpOnly");
        }
        let c = parse_set_cookie(&header, now()).unwrap();
        prop_assert_eq!(c.name, name);
        prop_assert_eq!(c.value, value);
        prop_assert_eq!(c.path, Some(path));
        prop_assert_eq!(c.expires, max_age.map(|a| now() + Duration::from_secs(a)));
        prop_assert_eq!((c.secure, c.http_only), (secure, http_only));
    }
}
