use std::sync::Mutex as StdMutex;
use std::time::UNIX_EPOCH;

use super::*;
use crate::demo::DemoServer;
use crate::model::auth::ResolvedAuth;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn the_margin_is_a_tenth_of_the_lifetime_at_most_30_s() {
    assert_eq!(refresh_margin(secs(100)), secs(10));
    assert_eq!(refresh_margin(secs(300)), secs(30));
    assert_eq!(refresh_margin(secs(3600)), secs(30));
    assert_eq!(refresh_margin(secs(1)), Duration::from_millis(100));
    assert_eq!(refresh_margin(Duration::ZERO), Duration::ZERO);
}

#[test]
fn a_token_is_fresh_until_the_margin_before_expiry() {
    let sent = UNIX_EPOCH + secs(1_000_000);
    let token = Token::new(
        TokenAnswer {
            access_token: "t".into(),
            expires_in: Some(secs(100)),
        },
        sent,
    );
    assert_eq!(token.until, Some(sent + secs(100)));
    assert!(token.fresh(sent));
    assert!(token.fresh(sent + secs(89)));
    assert!(!token.fresh(sent + secs(90)));
    assert!(!token.fresh(sent + secs(200)));

    let forever = Token::new(
        TokenAnswer {
            access_token: "t".into(),
            expires_in: None,
        },
        sent,
    );
    assert_eq!(forever.until, None);
    assert!(forever.fresh(sent + secs(1_000_000)));
}

#[test]
fn reads_a_token_answer() {
    let ok = read_answer(
        200,
        br#"{"access_token":"abc","token_type":"bearer","expires_in":60,"scope":"x"}"#,
    );
    assert_eq!(
        ok,
        Ok(TokenAnswer {
            access_token: "abc".into(),
            expires_in: Some(secs(60))
        })
    );
    // A quoted expires_in, no token_type, no expires_in at all.
    let quoted = read_answer(200, br#"{"access_token":"abc","expires_in":"30"}"#).unwrap();
    assert_eq!(quoted.expires_in, Some(secs(30)));
    let no_expiry = read_answer(201, br#"{"access_token":"abc"}"#).unwrap();
    assert_eq!(no_expiry.expires_in, None);
}

#[test]
fn a_bad_answer_says_what_came_back() {
    let message = |status, body: &[u8]| read_answer(status, body).unwrap_err().to_string();
    assert_eq!(
        message(
            401,
            br#"{"error":"invalid_client","error_description":"client authentication failed"}"#
        ),
        "the token endpoint answered 401: invalid_client (client authentication failed)"
    );
    assert_eq!(
        message(400, br#"{"error":"invalid_scope"}"#),
        "the token endpoint answered 400: invalid_scope"
    );
    assert_eq!(
        message(502, b"<html>\n  <b>Bad gateway</b>\n</html>"),
        "the token endpoint answered 502: \"<html> <b>Bad gateway</b> </html>\""
    );
    assert_eq!(
        message(500, b""),
        "the token endpoint answered 500: an empty body"
    );
    assert_eq!(
        message(200, b"<html>ok</html>"),
        "the token endpoint answered 200 with something other than JSON: \"<html>ok</html>\""
    );
    assert_eq!(
        message(200, br#"{"token":"abc"}"#),
        "the token endpoint answered 200 without an access_token"
    );
    assert_eq!(
        message(
            200,
            br#"{"error":"temporarily_unavailable","error_description":"later"}"#
        ),
        "the token endpoint answered 200 without an access_token: temporarily_unavailable (later)"
    );
    assert_eq!(
        message(200, br#"{"access_token":"abc","token_type":"mac"}"#),
        "the token endpoint answered 200 with token_type \"mac\": scout sends Bearer tokens only"
    );
    assert_eq!(
        message(200, br#"{"access_token":"abc","expires_in":"soon"}"#),
        "the token endpoint answered 200 with expires_in \"soon\", which is not a number of seconds"
    );
    let long = message(500, "x".repeat(1000).as_bytes());
    assert!(long.ends_with("…\"") && long.len() < 300, "{long}");
}

fn params(token_url: &str) -> OAuth2Params {
    OAuth2Params {
        token_url: token_url.to_owned(),
        client_id: "scout".into(),
        client_secret: "scout-secret".into(),
        scopes: vec![],
        audience: None,
    }
}

#[test]
fn the_form_has_the_grant_and_the_optional_parts() {
    let mut p = params("http://h/token");
    assert_eq!(
        token_form(&p),
        "grant_type=client_credentials&client_id=scout&client_secret=scout-secret"
    );
    p.client_secret = "a&b c".into();
    p.scopes = vec!["items:read".into(), "items:write".into()];
    p.audience = Some("https://api".into());
    assert_eq!(
        token_form(&p),
        "grant_type=client_credentials&client_id=scout&client_secret=a%26b+c\
         &scope=items%3Aread+items%3Awrite&audience=https%3A%2F%2Fapi"
    );
}

#[test]
fn the_key_compares_scopes_as_a_set_and_ignores_the_secret() {
    let mut a = params("http://h/token");
    a.scopes = vec!["b".into(), "a".into(), "b".into()];
    let mut b = params("http://h/token");
    b.scopes = vec!["a".into(), "b".into()];
    b.client_secret = "other".into();
    assert_eq!(a.key(), b.key());
    b.audience = Some("x".into());
    assert_ne!(a.key(), b.key());
}

#[test]
fn debug_redacts_the_client_secret() {
    let shown = format!("{:?}", params("http://h/token"));
    assert!(
        !shown.contains("scout-secret") && shown.contains("(redacted)"),
        "{shown}"
    );
}

/// A clock the test moves by hand.
#[derive(Clone)]
struct Clock(Arc<StdMutex<SystemTime>>);

impl Clock {
    fn new() -> Clock {
        Clock(Arc::new(StdMutex::new(SystemTime::now())))
    }
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn tokens_are_reused_until_the_refresh_margin() {
    let server = DemoServer::start(0).unwrap();
    let p = params(&format!("{}/oauth/token?expires_in=100", server.base_url()));
    let (cache, clock, client) = (TokenCache::new(), Clock::new(), client());
    let start = clock.now();
    assert_eq!(cache.state(&p.key()), TokenState::NotFetched);

    let first = cache.bearer(&client, &p, || clock.now()).await.unwrap();
    assert_eq!(cache.fetches(), 1);
    assert_eq!(
        cache.state(&p.key()),
        TokenState::Valid {
            until: Some(start + secs(100))
        }
    );
    assert_eq!(cache.secrets(), vec![first.clone()]);

    clock.advance(secs(89));
    assert_eq!(
        cache.bearer(&client, &p, || clock.now()).await.unwrap(),
        first
    );
    assert_eq!(cache.fetches(), 1);

    // Within 10 s (a tenth of 100 s) of expiry: a new token.
    clock.advance(secs(2));
    let second = cache.bearer(&client, &p, || clock.now()).await.unwrap();
    assert_ne!(second, first);
    assert_eq!(cache.fetches(), 2);

    // The same cache through a clone; another key is another token.
    let other = params(&format!("{}/oauth/token", server.base_url()));
    let clone = cache.clone();
    assert_eq!(
        clone.bearer(&client, &p, || clock.now()).await.unwrap(),
        second
    );
    clone.bearer(&client, &other, || clock.now()).await.unwrap();
    assert_eq!(cache.fetches(), 3);
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let server = DemoServer::start(0).unwrap();
    let p = params(&format!("{}/oauth/token", server.base_url()));
    let (cache, client) = (TokenCache::new(), client());
    let (a, b, c) = tokio::join!(
        cache.bearer(&client, &p, SystemTime::now),
        cache.bearer(&client, &p, SystemTime::now),
        cache.bearer(&client, &p, SystemTime::now),
    );
    let a = a.unwrap();
    assert_eq!(b.unwrap(), a);
    assert_eq!(c.unwrap(), a);
    assert_eq!(cache.fetches(), 1);
}

#[tokio::test]
async fn invalidating_forces_a_new_fetch_but_only_for_the_rejected_token() {
    let server = DemoServer::start(0).unwrap();
    let p = params(&format!("{}/oauth/token", server.base_url()));
    let (cache, client) = (TokenCache::new(), client());
    let first = cache.bearer(&client, &p, SystemTime::now).await.unwrap();

    cache.invalidate_token(&p.key(), "some older token");
    assert_eq!(
        cache.bearer(&client, &p, SystemTime::now).await.unwrap(),
        first
    );
    assert_eq!(cache.fetches(), 1);

    cache.invalidate_token(&p.key(), &first);
    assert_eq!(cache.state(&p.key()), TokenState::NotFetched);
    let second = cache.bearer(&client, &p, SystemTime::now).await.unwrap();
    assert_ne!(second, first);

    cache.invalidate(&p.key());
    cache.bearer(&client, &p, SystemTime::now).await.unwrap();
    assert_eq!(cache.fetches(), 3);
}

#[tokio::test]
async fn a_refused_client_is_a_failed_state_naming_the_server_error() {
    let server = DemoServer::start(0).unwrap();
    let mut p = params(&format!("{}/oauth/token", server.base_url()));
    p.client_secret = "wrong".into();
    let (cache, client) = (TokenCache::new(), client());
    let (a, b) = tokio::join!(
        cache.bearer(&client, &p, SystemTime::now),
        cache.bearer(&client, &p, SystemTime::now),
    );
    let message = "the token endpoint answered 401: invalid_client (unknown client or wrong \
                   client secret)";
    assert_eq!(a.unwrap_err().to_string(), message);
    // The waiting caller shares the outcome instead of asking again.
    assert_eq!(b.unwrap_err().to_string(), message);
    assert_eq!(cache.fetches(), 1);
    assert_eq!(
        cache.state(&p.key()),
        TokenState::Failed(message.to_owned())
    );
    assert!(cache.secrets().is_empty());

    // A later call tries again.
    let _ = cache.bearer(&client, &p, SystemTime::now).await;
    assert_eq!(cache.fetches(), 2);
}

#[tokio::test]
async fn transport_and_url_failures_are_clear() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (cache, client) = (TokenCache::new(), client());
    let p = params(&format!("http://127.0.0.1:{port}/token?x=secret"));
    let err = cache
        .bearer(&client, &p, SystemTime::now)
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "could not reach the token endpoint http://127.0.0.1:{port}/token: "
        )),
        "{message}"
    );
    for (url, reason) in [
        ("ftp://h/token", "scheme ftp (use http or https)"),
        ("{{base_url}}/token", "relative URL without a base"),
    ] {
        let err = cache.bearer(&client, &params(url), SystemTime::now).await;
        assert_eq!(
            err.unwrap_err().to_string(),
            format!("the token URL {url:?} is not usable: {reason}")
        );
    }
}

#[tokio::test]
async fn preview_shows_the_token_state() {
    let server = DemoServer::start(0).unwrap();
    let url = format!("{}/oauth/token?expires_in=100", server.base_url());
    let p = params(&url);
    let auth = ResolvedAuth::OAuth2(p.clone());
    let (cache, clock, client) = (TokenCache::new(), Clock::new(), client());
    let preview = |at: SystemTime| auth.preview(&cache.snapshot(), at).join("\n");
    assert_eq!(
        preview(clock.now()),
        format!("Authorization: Bearer (token from {url}: not fetched yet)")
    );

    let sent = clock.now();
    cache.bearer(&client, &p, || clock.now()).await.unwrap();
    let until = sent + secs(100);
    let hms = {
        let s = until.duration_since(UNIX_EPOCH).unwrap().as_secs() % 86_400;
        format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
    };
    assert_eq!(
        preview(sent),
        format!("Authorization: Bearer (token from {url}: valid until {hms})")
    );
    assert_eq!(
        preview(until),
        format!(
            "Authorization: Bearer (token from {url}: expired at {hms}, a new one is fetched on \
             send)"
        )
    );
    assert!(!preview(sent).contains(&cache.secrets()[0]));

    cache.lock().entries.get_mut(&p.key()).unwrap().fetching = true;
    assert_eq!(
        preview(sent),
        format!("Authorization: Bearer (token from {url}: fetching)")
    );
    cache.lock().entries.get_mut(&p.key()).unwrap().fetching = false;

    // The secret is not part of the key: a wrong one is found out at the next fetch.
    let mut wrong = p.clone();
    wrong.client_secret = "nope".into();
    cache.invalidate(&p.key());
    let _ = cache.bearer(&client, &wrong, || clock.now()).await;
    assert_eq!(
        ResolvedAuth::OAuth2(wrong).preview(&cache.snapshot(), sent),
        [format!(
            "Authorization: Bearer (token from {url}: failed: the token endpoint answered 401: \
             invalid_client (unknown client or wrong client secret))"
        )]
    );
}

#[tokio::test]
async fn an_abandoned_fetch_does_not_stay_fetching() {
    // A listener that accepts and never answers: the fetch is pending until dropped.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    let _hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let p = params(&url);
    let (cache, client) = (TokenCache::new(), client());
    let fetch = cache.bearer(&client, &p, SystemTime::now);
    let waited = tokio::time::timeout(Duration::from_millis(200), fetch).await;
    assert!(waited.is_err(), "the silent server answered");
    assert_eq!(cache.state(&p.key()), TokenState::NotFetched);
    assert_eq!(cache.fetches(), 1);
}
