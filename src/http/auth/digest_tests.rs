use proptest::prelude::*;

use super::*;

// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
const RFC_SHA256_CHALLENGE: &str = r#"Digest
    realm="http-auth@example.org",
    qop="auth, auth-int",
    algorithm=SHA-256,
    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
const RFC_MD5_CHALLENGE: &str = r#"Digest
    realm="http-auth@example.org",
    qop="auth, auth-int",
    algorithm=MD5,
    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

fn rfc_answer(challenge: &str) -> String {
    Challenge::parse(challenge).unwrap().authorization(
        "GET",
        "/dir/index.html",
        "Mufasa",
        "Circle of Life",
        1,
        RFC_CNONCE,
    )
}

#[test]
fn rfc_7616_sha256_example() {
    assert_eq!(
        rfc_answer(RFC_SHA256_CHALLENGE),
        "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", \
         algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, \
         cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, \
         response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", \
         opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
    );
}

#[test]
fn rfc_7616_md5_example() {
    let answer = rfc_answer(RFC_MD5_CHALLENGE);
    assert!(
        answer.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""),
        "{answer}"
    );
    assert!(answer.contains("algorithm=MD5,"), "{answer}");
}

#[test]
fn rfc_2617_example_with_qop() {
    let challenge = Challenge::parse(
        r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
    )
    .unwrap();
    assert_eq!(challenge.algorithm, Algorithm::Md5);
    let answer = challenge.authorization(
        "GET",
        "/dir/index.html",
        "Mufasa",
        "Circle Of Life",
        1,
        "0a4f113b",
    );
    assert!(
        answer.contains("response=\"6629fae49393a05397450978507c4ef1\""),
        "{answer}"
    );
}

#[test]
fn a_challenge_without_qop_is_answered_the_rfc_2069_way() {
    let challenge = Challenge::parse(
        r#"Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093""#,
    )
    .unwrap();
    assert_eq!(challenge.qop, None);
    let answer = challenge.authorization(
        "GET",
        "/dir/index.html",
        "Mufasa",
        "CircleOfLife",
        1,
        "unused",
    );
    // RFC 2069's printed value is wrong (erratum 749); this is the corrected one.
    assert!(
        answer.contains("response=\"1949323746fe6a43ef61f9606e7febea\""),
        "{answer}"
    );
    for absent in ["qop=", "nc=", "cnonce=", "opaque="] {
        assert!(!answer.contains(absent), "{absent} in {answer}");
    }
}

#[test]
fn sha256_is_preferred_over_md5_in_either_order() {
    for values in [
        [RFC_MD5_CHALLENGE, RFC_SHA256_CHALLENGE],
        [RFC_SHA256_CHALLENGE, RFC_MD5_CHALLENGE],
    ] {
        let challenge = Challenge::from_header_values(values).unwrap();
        assert_eq!(challenge.algorithm, Algorithm::Sha256);
    }
    let one_value = format!("{RFC_MD5_CHALLENGE}, {RFC_SHA256_CHALLENGE}");
    assert_eq!(
        Challenge::parse(&one_value).unwrap().algorithm,
        Algorithm::Sha256
    );
}

#[test]
fn the_digest_challenge_is_picked_among_other_schemes() {
    let challenge = Challenge::parse(
        r#"Basic realm="basic, with a comma", Digest realm="scout demo", nonce="n1", qop=auth, Bearer realm="x", error="invalid_token""#,
    )
    .unwrap();
    assert_eq!(challenge.realm, "scout demo");
    assert_eq!(challenge.nonce, "n1");
    assert_eq!(challenge.qop, Some(Qop::Auth));
    assert_eq!(challenge.opaque, None);

    // A token68 scheme before it does not confuse the split.
    let challenge = Challenge::parse(r#"Negotiate abc+/==, Digest realm=r, nonce=n"#).unwrap();
    assert_eq!(
        (challenge.realm.as_str(), challenge.nonce.as_str()),
        ("r", "n")
    );
}

#[test]
fn parameters_are_read_with_escapes_any_case_and_flags() {
    let challenge = Challenge::parse(
        r#"DIGEST Realm="say \"hi\" \\ there", NONCE = "a,b", algorithm="sha-256-SESS", stale=TRUE, userhash=true, charset=UTF-8, domain="/ /x""#,
    )
    .unwrap();
    assert_eq!(challenge.realm, r#"say "hi" \ there"#);
    assert_eq!(challenge.nonce, "a,b");
    assert_eq!(challenge.algorithm, Algorithm::Sha256Sess);
    assert!(challenge.stale);
    assert_eq!(challenge.qop, None);
}

#[test]
fn unanswerable_challenges_say_why() {
    let cases = [
        (
            r#"Digest realm="r", nonce="n", qop="auth-int""#,
            DigestError::QopAuthInt,
        ),
        (
            r#"Digest realm="r", nonce="n", qop="auth-conf""#,
            DigestError::UnsupportedQop("auth-conf".into()),
        ),
        (
            r#"Digest realm="r", nonce="n", algorithm=SHA-512-256"#,
            DigestError::UnsupportedAlgorithm("SHA-512-256".into()),
        ),
        (
            r#"Digest realm="r""#,
            DigestError::Missing {
                part: "challenge",
                param: "nonce",
            },
        ),
        (
            r#"Basic realm="r", Bearer"#,
            DigestError::NoDigestChallenge {
                offered: vec!["Basic".into(), "Bearer".into()],
            },
        ),
        ("", DigestError::NoDigestChallenge { offered: vec![] }),
    ];
    for (header, expected) in cases {
        assert_eq!(Challenge::parse(header), Err(expected), "{header}");
    }
    assert_eq!(
        DigestError::QopAuthInt.to_string(),
        "the server asked for qop=auth-int, which scout does not support"
    );
    assert_eq!(
        DigestError::UnsupportedAlgorithm("SHA-512-256".into()).to_string(),
        "unsupported digest algorithm SHA-512-256 (scout supports MD5, MD5-sess, SHA-256 and \
         SHA-256-sess)"
    );
    assert_eq!(
        Challenge::parse("Basic realm=x, Bearer")
            .unwrap_err()
            .to_string(),
        "the server did not offer Digest authentication (it offered Basic, Bearer)"
    );
}

#[test]
fn an_answerable_digest_wins_over_an_unanswerable_one() {
    let challenge = Challenge::parse(
        r#"Digest realm="r", nonce="n1", algorithm=SHA-512-256, Digest realm="r", nonce="n2""#,
    )
    .unwrap();
    assert_eq!(challenge.nonce, "n2");
}

#[test]
fn a_server_reads_an_answer_back_and_checks_it() {
    let header = rfc_answer(RFC_SHA256_CHALLENGE);
    let answer = Authorization::parse(&header).unwrap();
    assert_eq!(answer.username, "Mufasa");
    assert_eq!(answer.uri, "/dir/index.html");
    assert_eq!(answer.nc.as_deref(), Some("00000001"));
    assert_eq!(answer.qop, Some(Qop::Auth));
    assert_eq!(
        answer.expected_response("GET", "Circle of Life"),
        answer.response
    );
    assert_ne!(
        answer.expected_response("GET", "circle of life"),
        answer.response
    );
    assert_ne!(
        answer.expected_response("POST", "Circle of Life"),
        answer.response
    );
    assert_eq!(answer.header_value(), header);
}

#[test]
fn malformed_answers_are_errors() {
    assert_eq!(
        Authorization::parse("Basic dXNlcjpwYXNz"),
        Err(DigestError::NotDigest)
    );
    assert_eq!(
        Authorization::parse(
            r#"Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth, nc=00000001"#
        ),
        Err(DigestError::Missing {
            part: "Authorization",
            param: "cnonce"
        })
    );
    assert_eq!(
        Authorization::parse(
            r#"Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth-int, nc=1, cnonce=c"#
        ),
        Err(DigestError::UnsupportedQop("auth-int".into()))
    );
}

#[test]
fn client_nonces_are_fresh_hex() {
    let (a, b) = (cnonce().unwrap(), cnonce().unwrap());
    assert_eq!(a.len(), 32);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}

fn any_algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Md5),
        Just(Algorithm::Md5Sess),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha256Sess),
    ]
}

/// Header-like text: tokens, quotes, escapes, commas, `=` and the odd non-ASCII character.
fn header_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("Digest ".to_owned()),
            Just("Basic ".to_owned()),
            Just("realm=".to_owned()),
            Just("nonce=".to_owned()),
            Just("qop=".to_owned()),
            Just("algorithm=".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just(", ".to_owned()),
            Just("=".to_owned()),
            "[a-zA-Z0-9/+ é\t-]{0,6}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn challenge_parsing_never_panics(text in header_like()) {
        let _ = Challenge::parse(&text);
        let _ = Authorization::parse(&text);
    }

    #[test]
    fn challenge_parsing_never_panics_on_any_text(text in ".{0,80}") {
        let _ = Challenge::parse(&text);
        let _ = Authorization::parse(&text);
    }

    #[test]
    fn every_answer_checks_out_on_the_server(
        algorithm in any_algorithm(),
        with_qop in any::<bool>(),
        username in "[^\r\n]{0,16}",
        password in ".{0,16}",
        realm in "[^\r\n]{0,16}",
        nc in 1u32..,
    ) {
        let challenge = Challenge {
            realm,
            nonce: cnonce().unwrap(),
            opaque: Some("o\"paque".into()),
            algorithm,
            qop: with_qop.then_some(Qop::Auth),
            stale: false,
        };
        let header = challenge.authorization("GET", "/a?b=c", &username, &password, nc, &cnonce().unwrap());
        let answer = Authorization::parse(&header).unwrap();
        prop_assert_eq!(&answer.username, &username);
        prop_assert_eq!(&answer.realm, &challenge.realm);
        prop_assert_eq!(answer.algorithm, algorithm);
        prop_assert_eq!(answer.expected_response("GET", &password), answer.response);
    }
}
