//! curl commands as a collection: one request per command, credentials as profiles with their
//! secrets in `.env` references, curl's settings where they differ from scout's.

use std::path::PathBuf;
use std::time::Duration;

use super::*;
use crate::collection::SavedBody;
use crate::model::Method;

fn import_text(text: &str) -> Imported {
    import_in(text, PathBuf::from("."))
}

fn import_in(text: &str, dir: PathBuf) -> Imported {
    let source = Source {
        text,
        dir,
        ..Source::default()
    };
    crate::import::import(crate::import::Format::Curl, &source)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn one_request_per_command_with_ids_from_method_and_path() {
    let imported = import_text(
        "# two commands\ncurl https://api.test/items\ncurl -X DELETE \\\n  https://api.test/items/7\n",
    );
    let r = &imported.collection.requests;
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].id.as_str(), r[0].method), ("get-items", Method::Get));
    assert_eq!(r[1].id, "delete-items-7");
    assert_eq!(r[1].url, "https://api.test/items/7");
    // curl does not follow redirects without -L.
    assert_eq!(r[0].settings.follow_redirects, Some(false));
    assert!(imported.dropped.is_empty() && imported.secrets.is_empty());
}

#[test]
fn user_becomes_a_basic_profile_with_the_password_in_the_environment() {
    let imported = import_text("curl -u alice:s3cret -L --max-redirs 3 https://api.test/me");
    let c = &imported.collection;
    assert_eq!(
        c.auth,
        vec![(
            "basic".to_string(),
            AuthProfile::Basic {
                username: "alice".into(),
                password: "{{env.BASIC_PASSWORD}}".into()
            }
        )]
    );
    assert_eq!(
        imported.secrets,
        vec![("BASIC_PASSWORD".to_string(), "s3cret".to_string())]
    );
    let r = &c.requests[0];
    assert_eq!(r.settings.auth_profile(), Some("basic"));
    assert_eq!(r.settings.follow_redirects, None);
    assert_eq!(r.settings.max_redirects, Some(3));
}

#[test]
fn authorization_and_secret_headers_never_stay_inline() {
    let imported = import_text(
        "curl https://api.test/a -H 'Authorization: Bearer tok123' -H 'X-Api-Key: k-9' \
         -H 'Cookie: session=abc' -H 'Accept: application/json'\n\
         curl https://api.test/b -H 'Authorization: Basic YWxpY2U6cHc='\n\
         curl https://api.test/c --oauth2-bearer tok123",
    );
    let c = &imported.collection;
    let names: Vec<&str> = c.auth.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bearer", "basic"]);
    assert_eq!(
        c.auth[0].1,
        AuthProfile::Bearer {
            token: "{{env.BEARER_TOKEN}}".into()
        }
    );
    // The same token again is the same profile.
    assert_eq!(c.requests[2].settings.auth_profile(), Some("bearer"));
    assert_eq!(c.requests[1].settings.auth_profile(), Some("basic"));
    assert_eq!(
        c.requests[0].headers,
        vec![
            ("X-Api-Key".to_string(), "{{env.X_API_KEY}}".to_string()),
            ("Cookie".to_string(), "{{env.COOKIE}}".to_string()),
            ("Accept".to_string(), "application/json".to_string()),
        ]
    );
    let text = format!("{:?}", c);
    for secret in ["tok123", "k-9", "session=abc", "YWxpY2U6cHc=", "\"pw\""] {
        assert!(!text.contains(secret), "{secret} is in the collection");
    }
    let names: Vec<&str> = imported.secrets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["X_API_KEY", "COOKIE", "BEARER_TOKEN", "BASIC_PASSWORD"]
    );
}

#[test]
fn settings_and_connection_are_carried_over() {
    let imported = import_text(
        "curl -k -m 2.5 --connect-timeout 1 --retry 4 -x http://proxy:3128 --cacert ca.pem \
         --cert me.pem --key me.key https://api.test/",
    );
    let c = &imported.collection;
    let s = &c.requests[0].settings;
    assert_eq!(s.timeout, Some(Duration::from_millis(2500)));
    assert_eq!(s.connect_timeout, Some(Duration::from_secs(1)));
    assert_eq!(s.retries.as_ref().map(|r| r.max), Some(4));
    assert!(c.connection.insecure);
    assert_eq!(c.connection.proxy.as_deref(), Some("http://proxy:3128"));
    assert_eq!(c.connection.ca_cert, Some(PathBuf::from("ca.pem")));
    assert_eq!(
        imported.dropped,
        ["--key: scout reads the private key from the --cert file; put both in one PEM file"]
    );
}

#[test]
fn braces_are_sent_as_written_not_read_as_templates() {
    let imported =
        import_text(r#"curl -g 'https://api.test/q?f={{x}}' --data-raw '{"a":"{{b}}"}'"#);
    let r = &imported.collection.requests[0];
    assert_eq!(r.url, "https://api.test/q?f=\\{{x}}");
    assert!(r.query.is_empty());
    assert_eq!(r.body, Some(SavedBody::Text(r#"{"a":"\{{b}}"}"#.into())));
}

#[test]
fn files_named_with_at_are_read_from_the_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("body.txt"), "a=1\nb=2\n").unwrap();
    std::fs::write(dir.path().join("raw.json"), "{\"x\": 1}\n").unwrap();
    std::fs::write(dir.path().join("headers.txt"), "X-One: 1\nX-Two: 2\n").unwrap();
    std::fs::write(dir.path().join("note.txt"), "hello there").unwrap();
    let imported = import_in(
        "curl -d @body.txt https://api.test/a\n\
         curl --data-binary @raw.json -H @headers.txt https://api.test/b\n\
         curl --data-urlencode msg@note.txt https://api.test/c\n\
         curl -F 'text=<note.txt' https://api.test/d\n",
        dir.path().to_path_buf(),
    );
    let r = &imported.collection.requests;
    // -d strips line ends; --data-binary keeps them.
    assert_eq!(r[0].body, Some(SavedBody::Text("a=1b=2".into())));
    assert_eq!(r[1].body, Some(SavedBody::Text("{\"x\": 1}\n".into())));
    assert!(
        r[1].headers
            .contains(&("X-Two".to_string(), "2".to_string()))
    );
    assert_eq!(r[2].body, Some(SavedBody::Text("msg=hello+there".into())));
    assert_eq!(
        r[3].body,
        Some(SavedBody::Multipart(vec![
            crate::model::MultipartLine::Field {
                name: "text".into(),
                value: "hello there".into()
            }
        ]))
    );
}

#[test]
fn bad_input_names_its_line() {
    let source = |text| Source {
        text,
        ..Source::default()
    };
    let err = |text| crate::import::import(crate::import::Format::Curl, &source(text)).unwrap_err();
    let e = err("curl https://a.test/\ncurl -H 'X: 1 https://b.test/\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("never closed"), "{e}");
    let e = err("wget https://b.test/\n");
    assert_eq!(
        e.to_string(),
        "1: this is not a curl command (it starts with `wget`)"
    );
    let e = err("curl -d @missing.txt https://a.test/");
    assert!(e.message.contains("cannot read missing.txt"), "{e}");
    assert_eq!(
        err("# nothing\n").to_string(),
        "there is no curl command in the input"
    );
}

#[test]
fn a_script_s_other_commands_operators_and_redirections_are_not_requests() {
    let imported = import_text(
        "set -e\ncurl -s -d x http://x.test/a; echo done\n\
         curl http://x.test/b | jq . > out.json 2>&1 && curl --max-filesize 100K http://x.test/c",
    );
    let urls: Vec<&str> = imported
        .collection
        .requests
        .iter()
        .map(|r| r.url.as_str())
        .collect();
    assert_eq!(
        urls,
        ["http://x.test/a", "http://x.test/b", "http://x.test/c"]
    );
    assert_eq!(
        imported.dropped,
        [
            "line 3: --max-filesize: not supported, dropped",
            "line 1: `set` is not a curl command, skipped",
            "line 2: `echo` is not a curl command, skipped",
            "line 3: `jq` is not a curl command, skipped",
        ]
    );
}

#[test]
fn every_url_and_every_next_is_a_request() {
    let imported = import_text(
        "curl -b a=1 http://h1.test/ http://h2.test/ --next -X DELETE http://h3.test/x",
    );
    let r = &imported.collection.requests;
    let seen: Vec<(Method, &str, usize)> = r
        .iter()
        .map(|r| (r.method, r.url.as_str(), r.headers.len()))
        .collect();
    assert_eq!(
        seen,
        [
            (Method::Get, "http://h1.test/", 1),
            (Method::Get, "http://h2.test/", 1),
            (Method::Delete, "http://h3.test/x", 0),
        ]
    );
}

#[test]
fn shell_variables_become_environment_references() {
    let imported = import_text(
        "curl -H \"Authorization: Bearer $TOKEN\" -H \"X-Org: ${ORG}\" \"$BASE/items\"\n\
         curl -u \"$USER:$PASS\" -H 'Authorization: Bearer wins' https://a.test/\n\
         curl -u \"$USER:$PASS\" https://a.test/",
    );
    let c = &imported.collection;
    let r = &c.requests[0];
    assert_eq!(r.url, "{{env.BASE}}/items");
    assert_eq!(
        r.headers,
        vec![("X-Org".to_string(), "{{env.ORG}}".to_string())]
    );
    assert_eq!(
        c.auth[0].1,
        AuthProfile::Bearer {
            token: "{{env.TOKEN}}".into()
        }
    );
    assert_eq!(
        c.auth[2].1,
        AuthProfile::Basic {
            username: "{{env.USER}}".into(),
            password: "{{env.PASS}}".into()
        }
    );
    // With its own Authorization header, curl sends that one and not -u's.
    assert_eq!(
        imported.dropped,
        [
            "line 2: -u / --oauth2-bearer: the command sets an Authorization header, which curl sends instead"
        ]
    );
    // Only the literal token: the others live in the environment already.
    assert_eq!(imported.secrets.len(), 1);
}

#[test]
fn uploads_ranges_dates_referers_and_credentials_in_the_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("photo.png"), "png").unwrap();
    let imported = import_in(
        "curl -T photo.png http://x.test/up/ http://x.test http://x.test/up/named.png -C 400\n\
         curl -r 0-99 -z 'Wed, 21 Oct 2015 07:28:00 GMT' -e 'https://ref.test/;auto' \
         --url-query '+q=a%20b' http://x.test/r\n\
         curl http://ada:s%40cret@x.test/me -H 'Cookie: a=1' -b b=2\n\
         curl --ntlm -u bob:pw http://x.test/ntlm\n",
        dir.path().to_path_buf(),
    );
    let r = &imported.collection.requests;
    assert_eq!(
        (r[0].method, r[0].url.as_str()),
        (Method::Put, "http://x.test/up/photo.png")
    );
    assert_eq!(r[0].body, Some(SavedBody::File("photo.png".into())));
    assert_eq!(
        r[0].headers,
        vec![("Range".to_string(), "bytes=400-".to_string())]
    );
    // Without a file name in the URL, curl names it after the file.
    assert_eq!(r[1].url, "http://x.test/photo.png");
    assert_eq!(r[2].url, "http://x.test/up/named.png");
    let r = &r[2..];
    assert_eq!(r[1].url, "http://x.test/r?q=a%20b");
    assert_eq!(
        r[1].headers,
        vec![
            ("Range".to_string(), "bytes=0-99".to_string()),
            (
                "If-Modified-Since".to_string(),
                "Wed, 21 Oct 2015 07:28:00 GMT".to_string()
            ),
            ("Referer".to_string(), "https://ref.test/".to_string()),
        ]
    );
    assert_eq!(r[2].url, "http://x.test/me");
    assert_eq!(r[2].settings.auth_profile(), Some("basic"));
    assert_eq!(
        imported.secrets,
        vec![
            ("COOKIE".to_string(), "a=1".to_string()),
            ("BASIC_PASSWORD".to_string(), "s@cret".to_string()),
        ]
    );
    assert_eq!(
        r[2].headers,
        vec![("Cookie".to_string(), "{{env.COOKIE}}".to_string())]
    );
    assert_eq!(r[3].settings.auth, None);
    assert_eq!(
        imported.dropped,
        [
            "line 1: -T photo.png: curl sends the file without a Content-Type; scout sends image/png",
            "line 3: -b: the command sets a Cookie header, which curl sends instead",
            "line 4: --ntlm: not supported; its credentials are not imported",
        ]
    );
}

#[test]
fn insecure_applies_only_when_every_command_asks() {
    let one = import_text("curl -k https://a.test/\ncurl https://b.test/");
    assert!(!one.collection.connection.insecure);
    assert_eq!(
        one.dropped,
        [
            "line 1: -k switches certificate checks off for a whole collection in scout, and not \
             every command asks for it; not applied"
        ]
    );
    let all = import_text("curl -k https://a.test/\ncurl -k https://b.test/");
    assert!(all.collection.connection.insecure && all.dropped.is_empty());
}
