//! The demo API's auth endpoints over real HTTP on 127.0.0.1, answered with `scout::auth`:
//! Digest (MD5 and SHA-256), API keys, and the OAuth2 client-credentials grant with `/protected`.

use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use scout::demo::DemoServer;
use scout::http::auth::{Algorithm, Challenge, cnonce};
use scout::model::basic_header;
use serde_json::Value;

/// How long any condition may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(PATIENCE)
        .build()
        .unwrap()
}

fn server() -> (DemoServer, String) {
    let server = DemoServer::start(0).unwrap();
    let base = server.base_url();
    (server, base)
}

async fn json_of(response: Response) -> Value {
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

fn www_authenticate(headers: &HeaderMap) -> String {
    headers
        .get(header::WWW_AUTHENTICATE)
        .expect("a 401 carries WWW-Authenticate")
        .to_str()
        .unwrap()
        .to_owned()
}

/// `GET path` without credentials: asserts the 401 and returns the server's Digest challenge.
async fn digest_challenge(base: &str, path: &str) -> Challenge {
    let response = client().get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = Challenge::parse(&www_authenticate(response.headers())).unwrap();
    assert_eq!(challenge.realm, "scout demo");
    challenge
}

/// `GET path` answering `challenge` as `user`/`password`.
async fn digest_answer(
    base: &str,
    path: &str,
    challenge: &Challenge,
    user: &str,
    password: &str,
) -> Response {
    let authorization = challenge.authorization("GET", path, user, password, 1, &cnonce().unwrap());
    client()
        .get(format!("{base}{path}"))
        .header(header::AUTHORIZATION, authorization)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn digest_md5_and_sha256_answers_get_in() {
    let (_server, base) = server();
    for (segment, algorithm) in [
        ("MD5", Algorithm::Md5),
        ("SHA-256", Algorithm::Sha256),
        ("sha-256", Algorithm::Sha256),
    ] {
        let path = format!("/digest-auth/auth/mufasa/circle%20of%20life/{segment}");
        let challenge = digest_challenge(&base, &path).await;
        assert_eq!(challenge.algorithm, algorithm, "{segment}");
        let response = digest_answer(&base, &path, &challenge, "mufasa", "circle of life").await;
        assert_eq!(response.status(), StatusCode::OK, "{segment}");
        let body = json_of(response).await;
        assert_eq!(body["authenticated"], true);
        assert_eq!(body["user"], "mufasa");
    }
}

#[tokio::test]
async fn digest_with_a_wrong_password_is_401_with_a_fresh_challenge() {
    let (_server, base) = server();
    let path = "/digest-auth/auth/user/passwd/SHA-256";
    let challenge = digest_challenge(&base, path).await;
    let response = digest_answer(&base, path, &challenge, "user", "wrong").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let next = Challenge::parse(&www_authenticate(response.headers())).unwrap();
    assert_ne!(next.nonce, challenge.nonce);
    assert_eq!(json_of(response).await["error"], "wrong user or password");

    // The right user name is also checked, not only the password.
    let response = digest_answer(&base, path, &next, "someone", "passwd").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn digest_with_a_made_up_nonce_is_401() {
    let (_server, base) = server();
    let path = "/digest-auth/auth/user/passwd/MD5";
    let mut challenge = digest_challenge(&base, path).await;
    challenge.nonce = cnonce().unwrap();
    let response = digest_answer(&base, path, &challenge, "user", "passwd").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error = json_of(response).await["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(error.contains("unknown nonce"), "{error}");
}

#[tokio::test]
async fn digest_answers_must_name_this_request_and_algorithm() {
    let (_server, base) = server();
    let path = "/digest-auth/auth/user/passwd/MD5";
    let challenge = digest_challenge(&base, path).await;
    let authorization = challenge.authorization(
        "GET",
        "/somewhere/else",
        "user",
        "passwd",
        1,
        &cnonce().unwrap(),
    );
    let response = client()
        .get(format!("{base}{path}"))
        .header(header::AUTHORIZATION, authorization)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    for bad in [
        "/digest-auth/auth/u/p/SHA-512-256",
        "/digest-auth/auth-int/u/p/MD5",
    ] {
        let response = client().get(format!("{base}{bad}")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn api_key_by_header_or_query() {
    let (_server, base) = server();
    let url = format!("{base}/api-key");
    let by_header = client()
        .get(&url)
        .header("X-Api-Key", "demo-key")
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), StatusCode::OK);
    let body = json_of(by_header).await;
    assert_eq!(
        (&body["authenticated"], &body["via"]),
        (&true.into(), &"header".into())
    );

    let by_query = client()
        .get(format!("{url}?api_key=demo-key"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), StatusCode::OK);
    assert_eq!(json_of(by_query).await["via"], "query");
}

#[tokio::test]
async fn api_key_wrong_or_missing_is_401_saying_where_it_looked() {
    let (_server, base) = server();
    let url = format!("{base}/api-key");
    let cases = [
        (client().get(&url), "no API key"),
        (
            client().get(&url).header("X-Api-Key", "nope"),
            "X-Api-Key header",
        ),
        (client().get(format!("{url}?api_key=nope")), "api_key query"),
    ];
    for (request, expected) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
        let error = json_of(response).await["error"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(error.contains(expected), "{error}");
    }
}

/// `POST /oauth/token` with a form body (and `?query` when not empty).
fn token_request(base: &str, query: &str, form: &[(&str, &str)]) -> RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    client()
        .post(format!("{base}/oauth/token{query}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
}

const CLIENT_FORM: &[(&str, &str)] = &[
    ("grant_type", "client_credentials"),
    ("client_id", "scout"),
    ("client_secret", "scout-secret"),
];

async fn fetch_token(base: &str, query: &str) -> Value {
    let response = token_request(base, query, CLIENT_FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    json_of(response).await
}

async fn protected(base: &str, token: &str) -> Response {
    client()
        .get(format!("{base}/protected"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn client_credentials_token_opens_protected() {
    let (_server, base) = server();
    let response = token_request(&base, "", CLIENT_FORM).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let token = json_of(response).await;
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 60);
    assert_eq!(token["scope"], "items:read");
    let access_token = token["access_token"].as_str().unwrap();
    assert!(!access_token.is_empty());

    let response = protected(&base, access_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["authenticated"], true);
    assert_eq!(body["scope"], "items:read");
    let remaining = body["expires_in"].as_u64().unwrap();
    assert!((1..=60).contains(&remaining), "{remaining}");
}

#[tokio::test]
async fn client_credentials_by_http_basic_with_scope_and_audience() {
    let (_server, base) = server();
    let response = token_request(
        &base,
        "",
        &[
            ("grant_type", "client_credentials"),
            ("scope", "items:read items:write"),
            ("audience", "https://api.example"),
        ],
    )
    .header(header::AUTHORIZATION, basic_header("scout", "scout-secret"))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token = json_of(response).await;
    assert_eq!(token["scope"], "items:read items:write");

    let response = protected(&base, token["access_token"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_of(response).await["audience"], "https://api.example");
}

#[tokio::test]
async fn token_errors_follow_rfc_6749() {
    let (_server, base) = server();
    let wrong_secret = token_request(
        &base,
        "",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "scout"),
            ("client_secret", "guess"),
        ],
    );
    let wrong_basic = token_request(&base, "", &[("grant_type", "client_credentials")])
        .header(header::AUTHORIZATION, basic_header("scout", "guess"));
    for request in [wrong_secret, wrong_basic] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(www_authenticate(response.headers()).starts_with("Basic "));
        let body = json_of(response).await;
        assert_eq!(body["error"], "invalid_client");
        assert!(body["error_description"].is_string());
    }

    let bad_grant = [
        ("grant_type", "password"),
        ("client_id", "scout"),
        ("client_secret", "scout-secret"),
    ];
    let no_grant = &CLIENT_FORM[1..];
    let mut bad_scope = CLIENT_FORM.to_vec();
    bad_scope.push(("scope", "admin"));
    let cases = [
        (
            token_request(&base, "", &bad_grant),
            "unsupported_grant_type",
        ),
        (token_request(&base, "", no_grant), "invalid_request"),
        (token_request(&base, "", &bad_scope), "invalid_scope"),
        (
            token_request(&base, "?expires_in=0", CLIENT_FORM),
            "invalid_request",
        ),
    ];
    for (request, code) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{code}");
        assert_eq!(json_of(response).await["error"], code);
    }
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let (_server, base) = server();
    let token = fetch_token(&base, "?expires_in=1").await;
    assert_eq!(token["expires_in"], 1);
    let access_token = token["access_token"].as_str().unwrap();

    // Poll until the server stops accepting the token: only "valid" or "expired" may be seen.
    let refused = async {
        loop {
            let response = protected(&base, access_token).await;
            if response.status() == StatusCode::UNAUTHORIZED {
                return response;
            }
            assert_eq!(response.status(), StatusCode::OK);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let response = tokio::time::timeout(PATIENCE, refused)
        .await
        .expect("a 1-second token is still accepted");
    let challenge = www_authenticate(response.headers());
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("expired"), "{challenge}");
    let body = json_of(response).await;
    assert_eq!(body["error"], "invalid_token");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn protected_refuses_unknown_and_missing_tokens() {
    let (_server, base) = server();
    let response = protected(&base, "made-up").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = www_authenticate(response.headers());
    assert!(
        challenge.starts_with("Bearer realm=\"scout demo\""),
        "{challenge}"
    );
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    let body = json_of(response).await;
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("unknown"),
        "{body}"
    );

    // A token from another server is unknown here too.
    let (_other, other_base) = server();
    let foreign = fetch_token(&other_base, "").await;
    let response = protected(&base, foreign["access_token"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let response = client()
        .get(format!("{base}/protected"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        www_authenticate(response.headers()),
        "Bearer realm=\"scout demo\""
    );
}
