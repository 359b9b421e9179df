//! `scout::http::auth::send_authenticated` against the demo server: every profile kind, the Digest
//! challenge round trip, and OAuth2 tokens (one fetch shared, refresh before expiry, one retry with
//! a fresh token after a 401, the token endpoint's error named).
//!
//! `attempt` here is a plain reqwest send that records each request it is given, so the tests can
//! count round trips and look at what went on the wire.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Client;
use scout::demo::DemoServer;
use scout::http::HttpError;
use scout::http::auth::{TokenCache, send_authenticated};
use scout::http::build::Prepared;
use scout::model::{KeyLocation, Method, OAuth2Params, ResolvedAuth, ResponseData, TokenState};
use serde_json::Value;
use url::Url;

/// How long any condition may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);

/// Sends through `send_authenticated`, recording every request `attempt` is given.
struct Harness {
    client: Client,
    tokens: TokenCache,
    sent: Arc<Mutex<Vec<Prepared>>>,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            client: Client::builder()
                .no_proxy()
                .timeout(PATIENCE)
                .build()
                .unwrap(),
            tokens: TokenCache::new(),
            sent: Arc::default(),
        }
    }

    async fn send(
        &self,
        url: &str,
        auth: Option<&ResolvedAuth>,
    ) -> Result<ResponseData, HttpError> {
        self.send_prepared(get(url), auth).await
    }

    async fn send_prepared(
        &self,
        req: Prepared,
        auth: Option<&ResolvedAuth>,
    ) -> Result<ResponseData, HttpError> {
        let (client, sent) = (self.client.clone(), Arc::clone(&self.sent));
        send_authenticated(
            req,
            auth,
            &self.tokens,
            &self.client,
            move |req: Prepared| {
                sent.lock().unwrap().push(req.clone());
                send_once(client.clone(), req)
            },
        )
        .await
    }

    /// How many requests `attempt` has sent so far.
    fn attempts(&self) -> usize {
        self.sent.lock().unwrap().len()
    }

    /// The Authorization header of the `n`th attempt.
    fn authorization(&self, n: usize) -> Option<String> {
        self.sent.lock().unwrap()[n]
            .header("authorization")
            .map(str::to_owned)
    }
}

fn get(url: &str) -> Prepared {
    Prepared {
        method: Method::Get,
        url: Url::parse(url).unwrap(),
        headers: Vec::new(),
        body: None,
    }
}

/// One request, no redirects followed, the response reduced to what the tests read.
async fn send_once(client: Client, req: Prepared) -> Result<ResponseData, HttpError> {
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes()).unwrap();
    let mut builder = client.request(method, req.url.clone());
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = req.body {
        builder = builder.body(body);
    }
    let started = Instant::now();
    let failed = |e: reqwest::Error| HttpError::Other(e.to_string());
    let response = builder.send().await.map_err(failed)?;
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let version = format!("{:?}", response.version());
    let url = response.url().to_string();
    let body = response.bytes().await.map_err(failed)?;
    Ok(ResponseData {
        stopped: false,
        spilled: None,
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
        version,
        headers,
        body,
        elapsed: started.elapsed(),
        redirects: Vec::new(),
        url,
        timing: None,
        wire: Vec::new(),
        cache: None,
    })
}

fn json(response: &ResponseData) -> Value {
    serde_json::from_slice(&response.body).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&response.body)
        )
    })
}

fn server() -> (DemoServer, String) {
    let server = DemoServer::start(0).unwrap();
    let base = server.base_url();
    (server, base)
}

fn basic(username: &str, password: &str) -> ResolvedAuth {
    ResolvedAuth::Basic {
        username: username.into(),
        password: password.into(),
    }
}

fn digest(username: &str, password: &str) -> ResolvedAuth {
    ResolvedAuth::Digest {
        username: username.into(),
        password: password.into(),
    }
}

fn oauth(token_url: &str) -> OAuth2Params {
    OAuth2Params {
        token_url: token_url.to_owned(),
        client_id: "scout".into(),
        client_secret: "scout-secret".into(),
        scopes: vec!["items:read".into()],
        audience: None,
    }
}

/// Waits, polling, until `done` holds; panics after [`PATIENCE`].
async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done().await {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn basic_gets_in_and_a_wrong_password_keeps_the_401() {
    let (_server, base) = server();
    let h = Harness::new();
    let url = format!("{base}/basic-auth/ci/s3cret");

    let ok = h.send(&url, Some(&basic("ci", "s3cret"))).await.unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(json(&ok)["user"], "ci");

    let refused = h.send(&url, Some(&basic("ci", "wrong"))).await.unwrap();
    assert_eq!(refused.status, 401);
    assert!(refused.header("www-authenticate").is_some());
    assert_eq!(json(&refused)["error"], "wrong user or password");
    assert_eq!(h.attempts(), 2, "one request each, no retry");
}

#[tokio::test]
async fn bearer_sends_the_token() {
    let (_server, base) = server();
    let h = Harness::new();
    let auth = ResolvedAuth::Bearer {
        token: "abc.def".into(),
    };
    let response = h
        .send(&format!("{base}/bearer"), Some(&auth))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(json(&response)["token"], "abc.def");
    let without = h.send(&format!("{base}/bearer"), None).await.unwrap();
    assert_eq!(without.status, 401);
}

#[tokio::test]
async fn an_explicit_authorization_header_wins_over_the_profile() {
    let (_server, base) = server();
    let h = Harness::new();
    let mut req = get(&format!("{base}/basic-auth/u/p"));
    req.headers
        .push(("Authorization".into(), scout::model::basic_header("u", "p")));
    let response = h
        .send_prepared(req, Some(&basic("u", "wrong")))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(h.attempts(), 1);
    assert_eq!(h.sent.lock().unwrap()[0].headers.len(), 1);
}

#[tokio::test]
async fn api_key_in_a_header_or_the_query() {
    let (_server, base) = server();
    let h = Harness::new();
    let key = |location| ResolvedAuth::ApiKey {
        name: match location {
            KeyLocation::Header => "X-Api-Key".into(),
            KeyLocation::Query => "api_key".into(),
        },
        value: "demo-key".into(),
        location,
    };

    let by_header = h
        .send(&format!("{base}/api-key"), Some(&key(KeyLocation::Header)))
        .await
        .unwrap();
    assert_eq!(by_header.status, 200);
    assert_eq!(json(&by_header)["via"], "header");

    // A stale key in the URL is replaced, the other parameters kept.
    let by_query = h
        .send(
            &format!("{base}/api-key?api_key=stale&page=2"),
            Some(&key(KeyLocation::Query)),
        )
        .await
        .unwrap();
    assert_eq!(by_query.status, 200);
    assert_eq!(json(&by_query)["via"], "query");
    assert_eq!(
        h.sent.lock().unwrap()[1].url.query(),
        Some("api_key=demo-key&page=2")
    );

    let wrong = ResolvedAuth::ApiKey {
        name: "X-Api-Key".into(),
        value: "nope".into(),
        location: KeyLocation::Header,
    };
    let refused = h
        .send(&format!("{base}/api-key"), Some(&wrong))
        .await
        .unwrap();
    assert_eq!(refused.status, 401);
}

#[tokio::test]
async fn digest_md5_and_sha256_answer_the_challenge_in_two_requests() {
    let (_server, base) = server();
    for algorithm in ["MD5", "SHA-256"] {
        let h = Harness::new();
        let url = format!("{base}/digest-auth/auth/mufasa/circle%20of%20life/{algorithm}?x=1");
        let response = h
            .send(&url, Some(&digest("mufasa", "circle of life")))
            .await
            .unwrap();
        assert_eq!(response.status, 200, "{algorithm}: {}", json(&response));
        assert_eq!(json(&response)["user"], "mufasa");
        assert_eq!(h.attempts(), 2, "{algorithm}");
        assert_eq!(h.authorization(0), None);
        let answer = h.authorization(1).unwrap();
        assert!(
            answer.starts_with("Digest ")
                && answer.contains(&format!("algorithm={algorithm}"))
                && answer.contains("nc=00000001")
                && answer.contains("qop=auth"),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn digest_with_a_wrong_password_returns_the_second_401() {
    let (_server, base) = server();
    let h = Harness::new();
    let url = format!("{base}/digest-auth/auth/user/passwd/SHA-256");
    let response = h.send(&url, Some(&digest("user", "wrong"))).await.unwrap();
    assert_eq!(response.status, 401);
    assert_eq!(json(&response)["error"], "wrong user or password");
    assert_eq!(h.attempts(), 2, "answered once, not again");

    // A 401 without a Digest challenge is returned as it is.
    let basic_only = h
        .send(&format!("{base}/basic-auth/u/p"), Some(&digest("u", "p")))
        .await
        .unwrap();
    assert_eq!(basic_only.status, 401);
    assert_eq!(h.attempts(), 3);
}

#[tokio::test]
async fn oauth_fetches_one_token_for_several_requests() {
    let (_server, base) = server();
    let h = Harness::new();
    let auth = ResolvedAuth::OAuth2(oauth(&format!("{base}/oauth/token")));
    let protected = format!("{base}/protected");

    let (a, b) = tokio::join!(
        h.send(&protected, Some(&auth)),
        h.send(&protected, Some(&auth))
    );
    let third = h.send(&protected, Some(&auth)).await.unwrap();
    for response in [a.unwrap(), b.unwrap(), third] {
        assert_eq!(response.status, 200);
        assert_eq!(json(&response)["scope"], "items:read");
    }
    assert_eq!(h.tokens.fetches(), 1);
    assert_eq!(h.attempts(), 3);
    let token = h.authorization(0).unwrap();
    assert!(token.starts_with("Bearer "));
    assert_eq!(h.authorization(2).unwrap(), token);
}

#[tokio::test]
async fn an_expired_oauth_token_is_refreshed_before_sending() {
    let (_server, base) = server();
    let h = Harness::new();
    let params = oauth(&format!("{base}/oauth/token?expires_in=1"));
    let auth = ResolvedAuth::OAuth2(params.clone());
    let protected = format!("{base}/protected");

    assert_eq!(h.send(&protected, Some(&auth)).await.unwrap().status, 200);
    let TokenState::Valid { until: Some(until) } = h.tokens.state(&params.key()) else {
        panic!("no token: {:?}", h.tokens.state(&params.key()));
    };
    wait_until("the token expired", async || SystemTime::now() >= until).await;

    assert_eq!(h.send(&protected, Some(&auth)).await.unwrap().status, 200);
    assert_eq!(h.tokens.fetches(), 2);
    assert_eq!(h.attempts(), 2, "refreshed before sending, not after a 401");
    assert_ne!(h.authorization(0), h.authorization(1));
}

#[tokio::test]
async fn a_401_with_a_cached_token_refetches_and_retries_once() {
    let (_server, base) = server();
    let h = Harness::new();
    let params = oauth(&format!("{base}/oauth/token?expires_in=1"));
    let auth = ResolvedAuth::OAuth2(params.clone());
    let protected = format!("{base}/protected");

    // A token the cache believes good for an hour (a clock an hour ahead when it was fetched)
    // while the server lets it expire after a second: the server refuses a token scout trusts.
    let stale = h
        .tokens
        .bearer(&h.client, &params, || {
            SystemTime::now() + Duration::from_secs(3600)
        })
        .await
        .unwrap();
    wait_until("the server refuses the cached token", async || {
        let response = h
            .client
            .get(&protected)
            .bearer_auth(&stale)
            .send()
            .await
            .unwrap();
        response.status() == 401
    })
    .await;

    let response = h.send(&protected, Some(&auth)).await.unwrap();
    assert_eq!(response.status, 200, "{}", json(&response));
    assert_eq!(h.attempts(), 2);
    assert_eq!(h.tokens.fetches(), 2);
    assert_eq!(h.authorization(0), Some(format!("Bearer {stale}")));
    assert_ne!(h.authorization(1), h.authorization(0));
}

#[tokio::test]
async fn a_second_401_is_returned_without_another_retry() {
    // Tokens from one server are unknown to another's /protected.
    let (_issuer, issuer) = server();
    let (_resource, resource) = server();
    let h = Harness::new();
    let auth = ResolvedAuth::OAuth2(oauth(&format!("{issuer}/oauth/token")));
    let response = h
        .send(&format!("{resource}/protected"), Some(&auth))
        .await
        .unwrap();
    assert_eq!(response.status, 401);
    assert_eq!(json(&response)["error"], "invalid_token");
    assert_eq!(h.attempts(), 2);
    assert_eq!(h.tokens.fetches(), 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_auth_error_naming_invalid_client() {
    let (_server, base) = server();
    let h = Harness::new();
    let mut params = oauth(&format!("{base}/oauth/token"));
    params.client_secret = "wrong".into();
    let auth = ResolvedAuth::OAuth2(params.clone());
    let err = h
        .send(&format!("{base}/protected"), Some(&auth))
        .await
        .unwrap_err();
    let HttpError::Auth { message } = &err else {
        panic!("not an auth error: {err:?}");
    };
    assert_eq!(
        message,
        "could not get an OAuth2 token: the token endpoint answered 401: invalid_client \
         (unknown client or wrong client secret)"
    );
    assert_eq!(err.title(), "Authentication failed");
    assert_eq!(h.attempts(), 0, "nothing sent without a token");
    assert!(matches!(
        h.tokens.state(&params.key()),
        TokenState::Failed(m) if m.contains("invalid_client")
    ));
}
