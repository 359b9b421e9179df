//! The explanations cover what the issue asks, and every reference names a section that exists
//! (and is about the thing explained), from a table of the standards' sections kept here.

use super::*;

/// `(document, section, its title)`: the sections the explanations may point to, as the
/// documents number and title them.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("RFC 9110", "6.6.1", "Date"),
    ("RFC 9110", "7.2", "Host and :authority"),
    ("RFC 9110", "7.6.1", "Connection"),
    ("RFC 9110", "7.8", "Upgrade"),
    ("RFC 9110", "8.3", "Content-Type"),
    ("RFC 9110", "8.4", "Content-Encoding"),
    ("RFC 9110", "8.5", "Content-Language"),
    ("RFC 9110", "8.6", "Content-Length"),
    ("RFC 9110", "8.8.2", "Last-Modified"),
    ("RFC 9110", "8.8.3", "ETag"),
    ("RFC 9110", "9.3.1", "GET"),
    ("RFC 9110", "9.3.2", "HEAD"),
    ("RFC 9110", "9.3.3", "POST"),
    ("RFC 9110", "9.3.4", "PUT"),
    ("RFC 9110", "9.3.5", "DELETE"),
    ("RFC 9110", "9.3.6", "CONNECT"),
    ("RFC 9110", "9.3.7", "OPTIONS"),
    ("RFC 9110", "9.3.8", "TRACE"),
    ("RFC 9110", "10.1.1", "Expect"),
    ("RFC 9110", "10.1.3", "Referer"),
    ("RFC 9110", "10.1.5", "User-Agent"),
    ("RFC 9110", "10.2.1", "Allow"),
    ("RFC 9110", "10.2.2", "Location"),
    ("RFC 9110", "10.2.3", "Retry-After"),
    ("RFC 9110", "10.2.4", "Server"),
    ("RFC 9110", "11.6.1", "WWW-Authenticate"),
    ("RFC 9110", "11.6.2", "Authorization"),
    ("RFC 9110", "11.7.1", "Proxy-Authenticate"),
    ("RFC 9110", "11.7.2", "Proxy-Authorization"),
    ("RFC 9110", "12.5.1", "Accept"),
    ("RFC 9110", "12.5.3", "Accept-Encoding"),
    ("RFC 9110", "12.5.4", "Accept-Language"),
    ("RFC 9110", "12.5.5", "Vary"),
    ("RFC 9110", "13.1.1", "If-Match"),
    ("RFC 9110", "13.1.2", "If-None-Match"),
    ("RFC 9110", "13.1.3", "If-Modified-Since"),
    ("RFC 9110", "13.1.4", "If-Unmodified-Since"),
    ("RFC 9110", "13.1.5", "If-Range"),
    ("RFC 9110", "14.2", "Range"),
    ("RFC 9110", "14.3", "Accept-Ranges"),
    ("RFC 9110", "14.4", "Content-Range"),
    ("RFC 9110", "15.2.1", "100 Continue"),
    ("RFC 9110", "15.2.2", "101 Switching Protocols"),
    ("RFC 9110", "15.3.1", "200 OK"),
    ("RFC 9110", "15.3.2", "201 Created"),
    ("RFC 9110", "15.3.3", "202 Accepted"),
    ("RFC 9110", "15.3.4", "203 Non-Authoritative Information"),
    ("RFC 9110", "15.3.5", "204 No Content"),
    ("RFC 9110", "15.3.6", "205 Reset Content"),
    ("RFC 9110", "15.3.7", "206 Partial Content"),
    ("RFC 9110", "15.4.1", "300 Multiple Choices"),
    ("RFC 9110", "15.4.2", "301 Moved Permanently"),
    ("RFC 9110", "15.4.3", "302 Found"),
    ("RFC 9110", "15.4.4", "303 See Other"),
    ("RFC 9110", "15.4.5", "304 Not Modified"),
    ("RFC 9110", "15.4.6", "305 Use Proxy"),
    ("RFC 9110", "15.4.7", "306 (Unused)"),
    ("RFC 9110", "15.4.8", "307 Temporary Redirect"),
    ("RFC 9110", "15.4.9", "308 Permanent Redirect"),
    ("RFC 9110", "15.5.1", "400 Bad Request"),
    ("RFC 9110", "15.5.2", "401 Unauthorized"),
    ("RFC 9110", "15.5.3", "402 Payment Required"),
    ("RFC 9110", "15.5.4", "403 Forbidden"),
    ("RFC 9110", "15.5.5", "404 Not Found"),
    ("RFC 9110", "15.5.6", "405 Method Not Allowed"),
    ("RFC 9110", "15.5.7", "406 Not Acceptable"),
    ("RFC 9110", "15.5.8", "407 Proxy Authentication Required"),
    ("RFC 9110", "15.5.9", "408 Request Timeout"),
    ("RFC 9110", "15.5.10", "409 Conflict"),
    ("RFC 9110", "15.5.11", "410 Gone"),
    ("RFC 9110", "15.5.12", "411 Length Required"),
    ("RFC 9110", "15.5.13", "412 Precondition Failed"),
    ("RFC 9110", "15.5.14", "413 Content Too Large"),
    ("RFC 9110", "15.5.15", "414 URI Too Long"),
    ("RFC 9110", "15.5.16", "415 Unsupported Media Type"),
    ("RFC 9110", "15.5.17", "416 Range Not Satisfiable"),
    ("RFC 9110", "15.5.18", "417 Expectation Failed"),
    ("RFC 9110", "15.5.19", "418 (Unused)"),
    ("RFC 9110", "15.5.20", "421 Misdirected Request"),
    ("RFC 9110", "15.5.21", "422 Unprocessable Content"),
    ("RFC 9110", "15.5.22", "426 Upgrade Required"),
    ("RFC 9110", "15.6.1", "500 Internal Server Error"),
    ("RFC 9110", "15.6.2", "501 Not Implemented"),
    ("RFC 9110", "15.6.3", "502 Bad Gateway"),
    ("RFC 9110", "15.6.4", "503 Service Unavailable"),
    ("RFC 9110", "15.6.5", "504 Gateway Timeout"),
    ("RFC 9110", "15.6.6", "505 HTTP Version Not Supported"),
    ("RFC 9111", "5.1", "Age"),
    ("RFC 9111", "5.2", "Cache-Control"),
    ("RFC 9111", "5.3", "Expires"),
    ("RFC 9111", "5.4", "Pragma"),
    ("RFC 9112", "6.1", "Transfer-Encoding"),
    ("RFC 5789", "2", "The PATCH Method"),
    ("RFC 8297", "2", "103 (Early Hints)"),
    ("RFC 8470", "5.2", "The 425 (Too Early) Status Code"),
    ("RFC 6585", "3", "428 Precondition Required"),
    ("RFC 6585", "4", "429 Too Many Requests"),
    ("RFC 6585", "5", "431 Request Header Fields Too Large"),
    ("RFC 6585", "6", "511 Network Authentication Required"),
    ("RFC 7725", "3", "451 Unavailable For Legal Reasons"),
    ("RFC 6265", "4.1", "Set-Cookie"),
    ("RFC 6265", "4.2", "Cookie"),
    ("RFC 6454", "7", "The HTTP Origin Header Field"),
    (
        "RFC 6797",
        "6.1",
        "Strict-Transport-Security HTTP Response Header Field",
    ),
    ("RFC 8288", "3", "Link Serialisation in HTTP Headers"),
    ("Fetch", "3.2.2", "HTTP requests"),
    ("Fetch", "3.2.3", "HTTP responses"),
];

/// The title of the section `reference` (`RFC 9110 §15.5.2`) names, if the table has it.
fn section_title(reference: &str) -> Option<&'static str> {
    let (doc, section) = reference.split_once(" §")?;
    SECTIONS
        .iter()
        .find(|(d, s, _)| *d == doc && *s == section)
        .map(|(_, _, title)| *title)
}

#[test]
fn every_status_code_the_standards_define_is_explained() {
    let t = teach();
    let required: Vec<u16> = [100, 101, 103]
        .into_iter()
        .chain(200..=206)
        .chain(300..=308)
        .chain(400..=418)
        .chain([421, 422, 425, 426, 428, 429, 431, 451])
        .chain(500..=505)
        .chain([511])
        .collect();
    for code in &required {
        assert!(t.status(*code).is_some(), "{code} is not explained");
    }
    let mut codes: Vec<u16> = t.statuses.iter().map(|s| s.code).collect();
    let count = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), count, "a code is explained twice");
}

#[test]
fn every_method_is_explained_with_its_properties() {
    let t = teach();
    for name in [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ] {
        assert!(t.method(name).is_some(), "{name} is not explained");
    }
    // RFC 9110 §9.2.1 and §9.2.2: what is safe, what is idempotent.
    let safe: Vec<&str> = t
        .methods
        .iter()
        .filter(|m| m.safe)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(safe, ["GET", "HEAD", "OPTIONS", "TRACE"]);
    let idempotent: Vec<&str> = t
        .methods
        .iter()
        .filter(|m| m.idempotent)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        idempotent,
        ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]
    );
    let cacheable: Vec<&str> = t
        .methods
        .iter()
        .filter(|m| m.cacheable)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        cacheable,
        ["GET", "HEAD"],
        "POST is cacheable only with explicit freshness"
    );
}

#[test]
fn at_least_thirty_headers_across_the_topics_that_matter() {
    let t = teach();
    assert!(t.headers.len() >= 30, "{} headers", t.headers.len());
    for name in [
        "Cache-Control",
        "Expires",
        "Age",
        "Vary",
        "ETag",
        "Last-Modified",
        "If-None-Match",
        "If-Match",
        "If-Modified-Since",
        "Accept",
        "Accept-Encoding",
        "Content-Encoding",
        "Content-Type",
        "Content-Length",
        "Transfer-Encoding",
        "Location",
        "WWW-Authenticate",
        "Authorization",
        "Retry-After",
        "X-RateLimit-Remaining",
        "Set-Cookie",
        "Cookie",
        "Origin",
        "Access-Control-Allow-Origin",
        "Strict-Transport-Security",
        "Link",
        "Range",
        "Content-Range",
    ] {
        assert!(t.header(name).is_some(), "{name} is not explained");
    }
    let mut names: Vec<String> = t
        .headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();
    names.sort();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "a header is explained twice");
}

#[test]
fn every_reference_names_a_section_about_what_it_explains() {
    let t = teach();
    for s in &t.statuses {
        let title = section_title(&s.reference)
            .unwrap_or_else(|| panic!("{}: `{}` is not in the table", s.code, s.reference));
        assert!(
            title.contains(&s.code.to_string()),
            "{}: {} is `{title}`",
            s.code,
            s.reference
        );
    }
    for m in &t.methods {
        let title = section_title(&m.reference)
            .unwrap_or_else(|| panic!("{}: `{}` is not in the table", m.name, m.reference));
        assert!(
            title.contains(&m.name),
            "{}: {} is `{title}`",
            m.name,
            m.reference
        );
    }
    for h in &t.headers {
        let title = section_title(&h.reference)
            .unwrap_or_else(|| panic!("{}: `{}` is not in the table", h.name, h.reference));
        // The CORS headers share the Fetch Standard's sections, and the rate-limit convention
        // points to 429; every other header has a section of its own.
        let shared = h.reference.starts_with("Fetch") || h.name.starts_with("X-RateLimit");
        assert!(
            shared
                || title
                    .to_ascii_lowercase()
                    .contains(&h.name.to_ascii_lowercase()),
            "{}: {} is `{title}`",
            h.name,
            h.reference
        );
    }
}

#[test]
fn every_text_is_there_and_short_enough_to_read() {
    let t = teach();
    let check = |what: &str, text: &str| {
        assert!(!text.trim().is_empty(), "{what} is empty");
        assert!(text.chars().count() <= 320, "{what} is long: {text}");
        assert!(!text.contains('\n'), "{what} spans lines");
    };
    for s in &t.statuses {
        for (field, text) in [
            ("title", &s.title),
            ("explanation", &s.explanation),
            ("next", &s.next),
        ] {
            check(&format!("{} {field}", s.code), text);
        }
        assert!(
            (2..=4).contains(&s.causes.len()),
            "{}: {} causes",
            s.code,
            s.causes.len()
        );
    }
    for m in &t.methods {
        for (field, text) in [
            ("explanation", &m.explanation),
            ("retry", &m.retry),
            ("next", &m.next),
        ] {
            check(&format!("{} {field}", m.name), text);
        }
    }
    for h in &t.headers {
        for (field, text) in [("explanation", &h.explanation), ("next", &h.next)] {
            check(&format!("{} {field}", h.name), text);
        }
    }
}

#[test]
fn lookups_ignore_case_and_typos_get_a_suggestion() {
    let t = teach();
    assert_eq!(t.method("put").map(|m| m.name.as_str()), Some("PUT"));
    assert_eq!(
        t.header("cache-control").map(|h| h.name.as_str()),
        Some("Cache-Control")
    );
    assert_eq!(t.header("ETag:").map(|h| h.name.as_str()), Some("ETag"));
    assert_eq!(
        t.suggest("cache-contol", Kind::Header),
        Some("Cache-Control")
    );
    assert_eq!(t.suggest("contnt-type", Kind::Header), Some("Content-Type"));
    assert_eq!(t.suggest("PTU", Kind::Method), Some("PUT"));
    assert_eq!(t.suggest("DELET", Kind::Method), Some("DELETE"));
    assert_eq!(t.suggest("frobnicate", Kind::Header), None);
    assert_eq!(t.codes_of_class(1), [100, 101, 103]);
}
