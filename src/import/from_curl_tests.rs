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
    let e = err("curl https://a.test/\nwget https://b.test/\n");
    assert_eq!(
        e.to_string(),
        "2: this is not a curl command (it starts with `wget`)"
    );
    let e = err("curl -d @missing.txt https://a.test/");
    assert!(e.message.contains("cannot read missing.txt"), "{e}");
    assert_eq!(
        err("# nothing\n").to_string(),
        "there is no curl command in the input"
    );
}
