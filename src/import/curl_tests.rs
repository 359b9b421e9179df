//! curl commands read as curl reads them: methods and Content-Type as curl chooses them, data in
//! every form, headers added and removed, the settings, and what is dropped, named.

use std::time::Duration;

use super::*;

fn curl(command: &str) -> Curl {
    parse_command(command).unwrap_or_else(|e| panic!("{command}: {e}"))
}

fn headers(c: &Curl) -> Vec<(String, String)> {
    c.spec
        .headers
        .iter()
        .map(|h| (h.key.clone(), h.value.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_plain_url_is_a_get() {
    let c = curl("curl https://api.test/items");
    assert_eq!(c.spec.method, Method::Get);
    assert_eq!(c.spec.url, "https://api.test/items");
    assert_eq!(c.spec.body_kind, BodyKind::None);
    assert!(c.dropped.is_empty() && !c.follow);
}

#[test]
fn data_makes_a_form_post_joined_with_ampersands() {
    let c = curl("curl -d a=1 --data 'b=2 3' --data-raw @not-a-file https://api.test/f");
    assert_eq!(c.spec.method, Method::Post);
    assert_eq!(c.spec.body, "a=1&b=2 3&@not-a-file");
    assert_eq!(
        headers(&c),
        pairs(&[("Content-Type", "application/x-www-form-urlencoded")])
    );
    // Its own Content-Type wins; -X wins over the default method.
    let c =
        curl("curl -X PUT -H 'Content-Type: application/json' -d '{\"a\":1}' https://api.test/f");
    assert_eq!(c.spec.method, Method::Put);
    assert_eq!(headers(&c), pairs(&[("Content-Type", "application/json")]));
}

#[test]
fn data_urlencode_encodes_as_curl_does() {
    let c = curl(
        "curl --data-urlencode 'q=a b&c' --data-urlencode '=x/y' --data-urlencode 'ü' https://a.test/",
    );
    assert_eq!(c.spec.body, "q=a+b%26c&x%2Fy&%C3%BC");
    let err = parse_command("curl --data-urlencode name@file.txt https://a.test/").unwrap_err();
    assert!(err.to_string().contains("file"), "{err}");
}

#[test]
fn get_moves_the_data_into_the_query_and_head_is_head() {
    let c = curl("curl -G -d a=1 -d b=2 'https://a.test/s?x=0'");
    assert_eq!(
        (c.spec.method, c.spec.url.as_str()),
        (Method::Get, "https://a.test/s?x=0&a=1&b=2")
    );
    assert_eq!(c.spec.body_kind, BodyKind::None);
    let c = curl("curl -I https://a.test/");
    assert_eq!(c.spec.method, Method::Head);
    let c = curl("curl --url-query 'q=a b' https://a.test/s");
    assert_eq!(c.spec.url, "https://a.test/s?q=a+b");
}

#[test]
fn json_sets_both_headers_and_posts() {
    let c = curl(r#"curl --json '{"a":' --json '1}' https://a.test/j"#);
    assert_eq!(c.spec.method, Method::Post);
    assert_eq!(c.spec.body, r#"{"a":1}"#);
    assert_eq!(
        headers(&c),
        pairs(&[
            ("Content-Type", "application/json"),
            ("Accept", "application/json")
        ])
    );
}

#[test]
fn forms_become_multipart_parts() {
    let c = curl("curl -F name=lamp -F 'file=@photo.png;type=image/png' https://a.test/u");
    assert_eq!(c.spec.method, Method::Post);
    assert_eq!(c.spec.body_kind, BodyKind::Multipart);
    assert_eq!(c.spec.body, "name=lamp\nfile@photo.png;type=image/png");
}

#[test]
fn bundled_short_flags_inline_values_and_long_equals() {
    let c = curl("curl -sSLk -XPATCH -HX-A:1 --max-time=2.5 --connect-timeout 3 https://a.test/");
    assert_eq!(c.spec.method, Method::Patch);
    assert!(c.follow && c.insecure);
    assert_eq!(headers(&c), pairs(&[("X-A", "1")]));
    assert_eq!(c.timeout, Some(Duration::from_millis(2500)));
    assert_eq!(c.connect_timeout, Some(Duration::from_secs(3)));
}

/// curl's 0 is no limit; a timeout of 0 is no setting scout can keep (found by fuzzing Hurl's
/// options, the same mapping).
#[test]
fn a_timeout_of_zero_is_no_limit_and_said() {
    let c = curl("curl --max-time 0 --connect-timeout 0.0 https://a.test/");
    assert_eq!((c.timeout, c.connect_timeout), (None, None));
    assert_eq!(c.dropped.len(), 2, "{:?}", c.dropped);
    assert!(
        c.dropped[0].starts_with("--max-time 0: curl's \"no limit\""),
        "{:?}",
        c.dropped
    );
}

#[test]
fn headers_can_be_removed_or_sent_empty_and_the_shorthands_are_headers() {
    let c = curl(
        "curl -H 'X-Empty;' -H 'Accept:' -A 'agent/1' -e https://ref.test -b 'a=1; b=2' https://a.test/",
    );
    assert_eq!(
        headers(&c),
        pairs(&[
            ("X-Empty", ""),
            ("User-Agent", "agent/1"),
            ("Referer", "https://ref.test"),
            ("Cookie", "a=1; b=2")
        ])
    );
    assert_eq!(c.dropped.len(), 1, "{:?}", c.dropped);
    assert!(c.dropped[0].contains("Accept"), "{:?}", c.dropped);
}

/// Found by fuzzing: `--max-time 444658858` (five years) is a longer timeout than a collection
/// may hold (24h), and the collection written did not load. The longest is kept, and said.
#[test]
fn a_timeout_beyond_a_day_keeps_a_day_and_says_so() {
    let c = curl("curl --max-time 444658858 --connect-timeout 90000 https://a.test/");
    let day = std::time::Duration::from_secs(24 * 3600);
    assert_eq!((c.timeout, c.connect_timeout), (Some(day), Some(day)));
    assert_eq!(
        c.dropped,
        [
            "--max-time 444658858: scout waits at most 24h; 24h kept",
            "--connect-timeout 90000: scout waits at most 24h; 24h kept"
        ]
    );
}

/// Found by fuzzing: `--retry 198` is more retries than a collection may hold (100), and the
/// collection written did not load. The most is kept, and that is said.
#[test]
fn more_retries_than_scout_allows_keep_the_most_and_say_so() {
    let c = curl("curl --retry 198 https://a.test/");
    assert_eq!(c.retries, Some(100));
    assert_eq!(
        c.dropped,
        ["--retry 198: scout retries at most 100 times; 100 kept"]
    );
}

#[test]
fn credentials_and_settings_are_kept_apart_from_the_request() {
    let c = curl(
        "curl -u ada:lovelace --digest --oauth2-bearer tok --retry 3 --max-redirs 4 -x http://proxy:3128 --cacert ca.pem -E me.pem --key me.key https://a.test/",
    );
    assert_eq!(c.user, Some(("ada".into(), "lovelace".into())));
    assert!(c.digest);
    assert_eq!(c.bearer.as_deref(), Some("tok"));
    assert_eq!((c.retries, c.max_redirects), (Some(3), Some(4)));
    assert_eq!(c.proxy.as_deref(), Some("http://proxy:3128"));
    assert_eq!(c.ca_cert, Some(PathBuf::from("ca.pem")));
    assert_eq!(c.client_cert, Some(PathBuf::from("me.pem")));
    assert_eq!(c.client_key, Some(PathBuf::from("me.key")));
    // No credential ends up in the request's own headers.
    assert!(headers(&c).is_empty());
}

#[test]
fn what_cannot_be_carried_over_is_named_without_its_value() {
    let c = curl("curl --proxy-negotiate --proxy-user me:secret --compressed -s https://a.test/");
    assert_eq!(
        c.dropped,
        [
            "--proxy-negotiate: not supported, dropped",
            "--proxy-user: not supported, dropped"
        ]
    );
    assert!(!c.dropped.iter().any(|d| d.contains("secret")));
}

#[test]
fn a_chrome_copy_reads_whole() {
    let copied = "curl 'https://api.test/graphql' \\\n  -H 'accept: */*' \\\n  -H 'content-type: application/json' \\\n  --data-raw $'{\"query\":\"{ me { name } }\",\"note\":\"it\\'s\"}' \\\n  --compressed";
    let c = curl(copied);
    assert_eq!(c.spec.method, Method::Post);
    assert_eq!(c.spec.body, r#"{"query":"{ me { name } }","note":"it's"}"#);
    assert_eq!(
        headers(&c),
        pairs(&[("accept", "*/*"), ("content-type", "application/json")])
    );
    assert!(c.dropped.is_empty(), "{:?}", c.dropped);
}

#[test]
fn bad_commands_say_what_is_wrong() {
    for (command, says) in [
        ("wget https://a.test/", "not a curl command"),
        ("curl -s", "no URL"),
        ("curl https://a.test/ -H", "--header needs a value"),
        ("curl 'https://a.test/", "never closed"),
        (
            "curl -d @body.json https://a.test/",
            "it reads the file body.json: import the command with `scout import curl FILE`",
        ),
        (
            "curl -X 'NOT A METHOD' https://a.test/",
            "cannot send the method",
        ),
        (
            "curl --max-time soon https://a.test/",
            "--max-time: seconds",
        ),
        // Found by fuzzing: beyond `Duration`'s range, this panicked (also pasted in the app).
        (
            "curl --connect-timeout 1e30 https://a.test/",
            "--connect-timeout: seconds",
        ),
        ("curl --max-time -1 https://a.test/", "--max-time: seconds"),
        ("curl --max-time NaN https://a.test/", "--max-time: seconds"),
    ] {
        let err = parse_command(command).unwrap_err().to_string();
        assert!(err.contains(says), "{command}: {err}");
    }
}

#[test]
fn a_part_s_own_filename_is_named_as_not_kept() {
    let c = curl("curl -F 'doc=@report.pdf;filename=q3.pdf' https://a.test/");
    assert_eq!(
        c.dropped,
        ["-F doc: ;filename= is not kept, the part is sent as report.pdf"]
    );
}

#[test]
fn a_value_that_looks_like_next_is_a_value() {
    // Found by the export round trip: a body `-:` was taken for `--next`.
    let c = curl("curl https://a.test/ --data-raw -: -H 'X: -:'");
    assert_eq!(c.spec.body, "-:");
    assert!(c.dropped.is_empty(), "{:?}", c.dropped);
}
