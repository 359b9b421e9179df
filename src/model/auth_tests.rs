use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use super::*;

fn parse(text: &str) -> Result<AuthProfile, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

fn parse_err(text: &str) -> String {
    match parse(text) {
        Ok(profile) => panic!("parsed: {profile:?}"),
        Err(e) => e,
    }
}

#[test]
fn parses_every_kind_with_the_documented_keys() {
    let file: BTreeMap<String, BTreeMap<String, AuthProfile>> = toml::from_str(
        r#"
        [auth.ci]
        kind = "basic"
        username = "user"
        password = "{{env.CI_PASSWORD}}"
        [auth.tok]
        kind = "bearer"
        token = "{{token}}"
        [auth.key]
        kind = "api-key"
        name = "api_key"
        value = "{{env.API_KEY}}"
        in = "query"
        [auth.hkey]
        kind = "api-key"
        name = "X-Api-Key"
        value = "k"
        [auth.dig]
        kind = "digest"
        username = "u"
        password = "{{prompt}}"
        [auth.svc]
        kind = "oauth2-client-credentials"
        token_url = "{{base_url}}/oauth/token"
        client_id = "scout"
        client_secret = "{{env.CLIENT_SECRET}}"
        scopes = ["items:read"]
        [auth.svc2]
        kind = "oauth2-client-credentials"
        token_url = "https://id/token"
        client_id = "c"
        client_secret = "s"
        audience = "api"
        "#,
    )
    .unwrap();
    let auth = &file["auth"];
    assert_eq!(
        auth["ci"],
        AuthProfile::Basic {
            username: "user".into(),
            password: "{{env.CI_PASSWORD}}".into()
        }
    );
    assert_eq!(
        auth["tok"],
        AuthProfile::Bearer {
            token: "{{token}}".into()
        }
    );
    assert_eq!(
        auth["key"],
        AuthProfile::ApiKey {
            name: "api_key".into(),
            value: "{{env.API_KEY}}".into(),
            location: KeyLocation::Query
        }
    );
    assert!(matches!(
        auth["hkey"],
        AuthProfile::ApiKey {
            location: KeyLocation::Header,
            ..
        }
    ));
    assert_eq!(
        auth["dig"],
        AuthProfile::Digest {
            username: "u".into(),
            password: "{{prompt}}".into()
        }
    );
    assert_eq!(
        auth["svc"],
        AuthProfile::OAuth2ClientCredentials {
            token_url: "{{base_url}}/oauth/token".into(),
            client_id: "scout".into(),
            client_secret: "{{env.CLIENT_SECRET}}".into(),
            scopes: vec!["items:read".into()],
            audience: None,
        }
    );
    assert!(matches!(
        &auth["svc2"],
        AuthProfile::OAuth2ClientCredentials { scopes, audience: Some(a), .. }
            if scopes.is_empty() && a == "api"
    ));
    let kinds: Vec<_> = auth.values().map(AuthProfile::kind_name).collect();
    for kind in KINDS {
        assert!(kinds.contains(&kind), "{kind}");
    }
}

#[test]
fn a_missing_or_unknown_kind_lists_the_five_kinds() {
    let all = "basic, bearer, api-key, digest, oauth2-client-credentials";
    let missing = parse_err("username = \"u\"");
    assert!(
        missing.contains("needs a `kind`") && missing.contains(all),
        "{missing}"
    );
    let unknown = parse_err("kind = \"oauth2\"");
    assert!(
        unknown.contains("unknown auth kind \"oauth2\"") && unknown.contains(all),
        "{unknown}"
    );
    let not_string = parse_err("kind = 3");
    assert!(
        not_string.contains("must be a string") && not_string.contains(all),
        "{not_string}"
    );
}

#[test]
fn unknown_missing_and_mistyped_fields_are_named() {
    let unknown = parse_err("kind = \"basic\"\nusername = \"u\"\npassword = \"p\"\npasswd = \"p\"");
    assert!(
        unknown.contains("basic auth profile") && unknown.contains("unknown field `passwd`"),
        "{unknown}"
    );
    let missing = parse_err("kind = \"bearer\"");
    assert!(
        missing.contains("bearer auth profile") && missing.contains("missing field `token`"),
        "{missing}"
    );
    let place = parse_err("kind = \"api-key\"\nname = \"k\"\nvalue = \"v\"\nin = \"body\"");
    assert!(
        place.contains("api-key auth profile")
            && place.contains("body")
            && place.contains("header")
            && place.contains("query"),
        "{place}"
    );
    let scopes = parse_err(
        "kind = \"oauth2-client-credentials\"\ntoken_url = \"u\"\nclient_id = \"c\"\n\
         client_secret = \"s\"\nscopes = \"a b\"",
    );
    assert!(
        scopes.contains("oauth2-client-credentials auth profile") && scopes.contains("sequence"),
        "{scopes}"
    );
    // The other kinds' keys are unknown too: `token` belongs to bearer.
    let other = parse_err("kind = \"digest\"\nusername = \"u\"\npassword = \"p\"\ntoken = \"t\"");
    assert!(other.contains("unknown field `token`"), "{other}");
}

#[test]
fn errors_point_at_the_profile_in_the_file() {
    let err = toml::from_str::<BTreeMap<String, BTreeMap<String, AuthProfile>>>(
        "[auth.ok]\nkind = \"bearer\"\ntoken = \"t\"\n\n[auth.bad]\nkind = \"bearer\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 5") || err.contains("line 6"), "{err}");
}

fn oauth_profile() -> AuthProfile {
    AuthProfile::OAuth2ClientCredentials {
        token_url: "{{base}}/token".into(),
        client_id: "{{id}}".into(),
        client_secret: "{{env.SECRET}}".into(),
        scopes: vec!["{{scope}}".into(), "b".into()],
        audience: Some("{{aud}}".into()),
    }
}

#[test]
fn resolve_runs_every_string_through_the_resolver() {
    let mut seen = Vec::new();
    let resolved = oauth_profile()
        .resolve(|_, t| {
            seen.push(t.to_owned());
            Ok::<_, ()>(t.replace("{{", "<").replace("}}", ">"))
        })
        .unwrap();
    assert_eq!(
        seen,
        [
            "{{base}}/token",
            "{{id}}",
            "{{env.SECRET}}",
            "{{scope}}",
            "b",
            "{{aud}}"
        ]
    );
    assert_eq!(
        resolved,
        ResolvedAuth::OAuth2(OAuth2Params {
            token_url: "<base>/token".into(),
            client_id: "<id>".into(),
            client_secret: "<env.SECRET>".into(),
            scopes: vec!["<scope>".into(), "b".into()],
            audience: Some("<aud>".into()),
        })
    );

    let key = AuthProfile::ApiKey {
        name: "{{n}}".into(),
        value: "{{v}}".into(),
        location: KeyLocation::Query,
    };
    assert_eq!(
        key.resolve(|_, t| Ok::<_, ()>(t.to_uppercase())).unwrap(),
        ResolvedAuth::ApiKey {
            name: "{{N}}".into(),
            value: "{{V}}".into(),
            location: KeyLocation::Query
        }
    );
}

#[test]
fn resolve_stops_at_the_first_error() {
    let mut calls = 0;
    let err = oauth_profile()
        .resolve(|_, t| {
            calls += 1;
            if t.contains("env.") {
                Err(format!("{t} is not set"))
            } else {
                Ok(t.to_owned())
            }
        })
        .unwrap_err();
    assert_eq!(err, "{{env.SECRET}} is not set");
    assert_eq!(calls, 3);
}

#[test]
fn secrets_are_every_value_worth_redacting() {
    let basic = ResolvedAuth::Basic {
        username: "Aladdin".into(),
        password: "open sesame".into(),
    };
    assert_eq!(
        basic.secrets(),
        ["open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]
    );
    assert_eq!(
        ResolvedAuth::Bearer {
            token: "t0k".into()
        }
        .secrets(),
        ["t0k"]
    );
    let key = ResolvedAuth::ApiKey {
        name: "api_key".into(),
        value: "a b/c".into(),
        location: KeyLocation::Query,
    };
    assert_eq!(key.secrets(), ["a b/c"]);
    // The redactor catches the key as it appears in a query string too.
    let redactor = crate::model::Redactor::new(key.secrets());
    assert_eq!(
        redactor.redact_str("?api_key=a+b%2Fc&x=1"),
        "?api_key=[redacted]&x=1"
    );
    let plain_key = ResolvedAuth::ApiKey {
        name: "api_key".into(),
        value: "demo-key".into(),
        location: KeyLocation::Header,
    };
    assert_eq!(plain_key.secrets(), ["demo-key"]);
    let digest = ResolvedAuth::Digest {
        username: "u".into(),
        password: "pw".into(),
    };
    assert_eq!(digest.secrets(), ["pw"]);
    let oauth = oauth_profile()
        .resolve(|_, t| Ok::<_, ()>(t.to_owned()))
        .unwrap();
    assert_eq!(oauth.secrets(), ["{{env.SECRET}}"]);
    // An empty password is not a secret to search for (it would match everywhere).
    let empty = ResolvedAuth::Digest {
        username: "u".into(),
        password: String::new(),
    };
    assert!(empty.secrets().is_empty());
}

#[test]
fn debug_never_shows_a_secret() {
    let profiles = [
        ResolvedAuth::Basic {
            username: "u".into(),
            password: "hunter2-secret".into(),
        },
        ResolvedAuth::Bearer {
            token: "hunter2-secret".into(),
        },
        ResolvedAuth::ApiKey {
            name: "k".into(),
            value: "hunter2-secret".into(),
            location: KeyLocation::Header,
        },
        ResolvedAuth::Digest {
            username: "u".into(),
            password: "hunter2-secret".into(),
        },
        ResolvedAuth::OAuth2(OAuth2Params {
            token_url: "http://t".into(),
            client_id: "c".into(),
            client_secret: "hunter2-secret".into(),
            scopes: vec![],
            audience: None,
        }),
    ];
    for profile in profiles {
        let shown = format!("{profile:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("(redacted)"), "{shown}");
    }
}

#[test]
fn redacted_shows_two_characters_of_long_secrets_only() {
    assert_eq!(redacted("eyJhbGciOi"), "ey…(redacted)");
    assert_eq!(redacted("12345678"), "12…(redacted)");
    assert_eq!(redacted("1234567"), "(redacted)");
    assert_eq!(redacted(""), "(redacted)");
    assert_eq!(redacted("éàüöäëïô"), "éà…(redacted)");
}

#[test]
fn preview_shows_what_is_added_with_secrets_redacted() {
    let tokens = TokenStates::new();
    let now = SystemTime::now();
    let preview = |auth: ResolvedAuth| auth.preview(&tokens, now).join("\n");
    assert_eq!(
        preview(ResolvedAuth::Bearer {
            token: "eyJhbGciOiJIUzI1NiJ9".into()
        }),
        "Authorization: Bearer ey…(redacted)"
    );
    assert_eq!(
        preview(ResolvedAuth::Bearer {
            token: "short".into()
        }),
        "Authorization: Bearer (redacted)"
    );
    assert_eq!(
        preview(ResolvedAuth::Basic {
            username: "ci".into(),
            password: "password123".into()
        }),
        "Authorization: Basic (redacted) — user \"ci\""
    );
    assert_eq!(
        preview(ResolvedAuth::ApiKey {
            name: "api_key".into(),
            value: "demo-key".into(),
            location: KeyLocation::Query
        }),
        "query api_key=de…(redacted)"
    );
    assert_eq!(
        preview(ResolvedAuth::ApiKey {
            name: "X-Api-Key".into(),
            value: "demo-key".into(),
            location: KeyLocation::Header
        }),
        "X-Api-Key: de…(redacted)"
    );
    assert_eq!(
        preview(ResolvedAuth::Digest {
            username: "u".into(),
            password: "password123".into()
        }),
        "Authorization: Digest … (computed from the server's challenge) — user \"u\""
    );
    let oauth = oauth_profile()
        .resolve(|_, t| Ok::<_, ()>(t.to_owned()))
        .unwrap();
    assert_eq!(
        preview(oauth),
        "Authorization: Bearer (token from {{base}}/token: not fetched yet)"
    );
}

#[test]
fn utc_time_is_hours_minutes_seconds() {
    let t = UNIX_EPOCH + Duration::from_secs(3 * 86_400 + 13 * 3600 + 5 * 60 + 9);
    assert_eq!(utc_time(t), "13:05:09 UTC");
    assert_eq!(utc_time(UNIX_EPOCH), "00:00:00 UTC");
}
