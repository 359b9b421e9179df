//! Redirect policy, credentials across origins and the cookie jar, against the demo server. Two
//! demo servers on different ports are two origins; `localhost` and `127.0.0.1` are two cookie
//! domains on the same server.

use std::path::PathBuf;
use std::time::Duration;

use scout::demo::DemoServer;
use scout::http::HttpError;
use scout::http::build::Prepared;
use scout::http::client::client;
use scout::http::cookies::{CookieJars, CookieView};
use scout::http::execute::{ExchangeOptions, Memory, execute};
use scout::http::job::{HttpEvent, Job};
use scout::http::worker::{self, Command};
use scout::model::{
    KeyLocation, Method, Redirects, RequestSpec, ResolvedAuth, ResponseData, Timeouts,
};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use url::Url;

const PATIENCE: Duration = Duration::from_secs(10);

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        total: PATIENCE,
        read: None,
    }
}

fn get(url: &str, headers: &[(&str, &str)]) -> Prepared {
    Prepared {
        method: Method::Get,
        url: Url::parse(url).unwrap(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: None,
    }
}

/// Sends `req` with `opts`; the response with its body.
async fn send(req: Prepared, opts: ExchangeOptions) -> Result<(ResponseData, Value), HttpError> {
    let mut body = Memory::default();
    let response = execute(
        &client(Duration::from_secs(2)).unwrap(),
        req,
        opts,
        &mut body,
    )
    .await?;
    let json = serde_json::from_slice(&body.0).unwrap_or(Value::Null);
    Ok((response, json))
}

fn with_jar(jars: &CookieJars, key: &str) -> ExchangeOptions {
    ExchangeOptions {
        timeouts: timeouts(),
        cookies: Some(jars.jar(key)),
        ..Default::default()
    }
}

#[tokio::test]
async fn not_following_returns_the_redirect_itself() {
    let demo = DemoServer::start(0).unwrap();
    let opts = ExchangeOptions {
        timeouts: timeouts(),
        redirects: Redirects {
            follow: false,
            max: 10,
        },
        ..Default::default()
    };
    let (response, body) = send(get(&format!("{}/redirect/2", demo.base_url()), &[]), opts)
        .await
        .unwrap();
    assert_eq!(response.status, 302);
    assert!(response.redirects.is_empty());
    assert!(
        response
            .headers
            .iter()
            .any(|(k, v)| k == "location" && v == "/redirect/1")
    );
    assert_eq!(body, json!({"redirect_to": "/redirect/1"}));
}

#[tokio::test]
async fn the_maximum_is_named_when_the_chain_is_longer() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/redirect/3", demo.base_url());
    let opts = |max| ExchangeOptions {
        timeouts: timeouts(),
        redirects: Redirects { follow: true, max },
        ..Default::default()
    };
    let err = send(get(&url, &[]), opts(1)).await.unwrap_err();
    assert!(
        matches!(err, HttpError::TooManyRedirects { max: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("gave up after 1"), "{err}");
    let (response, _) = send(get(&url, &[]), opts(3)).await.unwrap();
    assert_eq!((response.status, response.redirects.len()), (200, 3));
}

#[tokio::test]
async fn credentials_stay_behind_when_a_redirect_changes_origin() {
    let (a, b) = (DemoServer::start(0).unwrap(), DemoServer::start(0).unwrap());
    let headers = [
        ("Authorization", "Bearer secret-token"),
        ("Cookie", "sid=secret-cookie"),
        ("X-Api-Key", "secret-key"),
        ("X-Tenant-Pass", "secret-private"),
        ("Accept", "application/json"),
    ];
    let opts = || ExchangeOptions {
        timeouts: timeouts(),
        private_headers: vec!["X-Tenant-Pass".into()],
        ..Default::default()
    };
    let to_b = format!("{}/redirect-to?url={}/headers", a.base_url(), b.base_url());
    let (response, body) = send(get(&to_b, &headers), opts()).await.unwrap();
    assert_eq!(response.redirects.len(), 1);
    let arrived = &body["headers"];
    for name in ["authorization", "cookie", "x-api-key", "x-tenant-pass"] {
        assert!(
            arrived.get(name).is_none(),
            "{name} reached the other origin: {body}"
        );
    }
    assert_eq!(arrived["accept"], "application/json");

    let same = format!("{}/redirect-to?url=/headers", a.base_url());
    let (_, body) = send(get(&same, &headers), opts()).await.unwrap();
    let arrived = &body["headers"];
    assert_eq!(arrived["authorization"], "Bearer secret-token");
    assert_eq!(arrived["cookie"], "sid=secret-cookie");
    assert_eq!(arrived["x-tenant-pass"], "secret-private");
}

#[tokio::test]
async fn the_jar_keeps_cookies_across_redirects_and_requests() {
    let demo = DemoServer::start(0).unwrap();
    let base = demo.base_url();
    let jars = CookieJars::new();
    // Set on the 302, sent on the hop to /cookies.
    let (response, body) = send(
        get(&format!("{base}/cookies/set?a=1&b=2"), &[]),
        with_jar(&jars, "c.toml"),
    )
    .await
    .unwrap();
    assert_eq!(response.redirects.len(), 1);
    assert_eq!(body, json!({"cookies": {"a": "1", "b": "2"}}));
    let names: Vec<String> = jars.list("c.toml").into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["a", "b"]);

    // The request's own Cookie header is kept, and wins over the jar's cookie of that name.
    let (_, body) = send(
        get(&format!("{base}/cookies"), &[("Cookie", "mine=x; b=mine")]),
        with_jar(&jars, "c.toml"),
    )
    .await
    .unwrap();
    assert_eq!(
        body,
        json!({"cookies": {"mine": "x", "b": "mine", "a": "1"}})
    );

    let (_, body) = send(
        get(&format!("{base}/cookies/delete?a"), &[]),
        with_jar(&jars, "c.toml"),
    )
    .await
    .unwrap();
    assert_eq!(body, json!({"cookies": {"b": "2"}}));
    assert_eq!(jars.list("c.toml").len(), 1);

    // Another jar, and another domain on the same server, get nothing.
    let (_, body) = send(get(&format!("{base}/cookies"), &[]), with_jar(&jars, ""))
        .await
        .unwrap();
    assert_eq!(body, json!({"cookies": {}}));
    let localhost = format!("http://localhost:{}/cookies", demo.addr().port());
    let (_, body) = send(get(&localhost, &[]), with_jar(&jars, "c.toml"))
        .await
        .unwrap();
    assert_eq!(body, json!({"cookies": {}}));
}

async fn finished(events: &mut mpsc::UnboundedReceiver<HttpEvent>) -> ResponseData {
    finished_with_cookies(events).await.0
}

/// The response of the next finished job, and the events the worker sent before it.
async fn finished_after(
    events: &mut mpsc::UnboundedReceiver<HttpEvent>,
) -> (ResponseData, Vec<HttpEvent>) {
    let mut before = Vec::new();
    loop {
        let event = tokio::time::timeout(PATIENCE, events.recv())
            .await
            .expect("a worker event in time")
            .expect("the worker is running");
        match event {
            HttpEvent::Finished { result, .. } => return (*result.expect("a response"), before),
            other => before.push(other),
        }
    }
}

/// The response of the next finished job, and the cookie snapshots the worker sent before it.
async fn finished_with_cookies(
    events: &mut mpsc::UnboundedReceiver<HttpEvent>,
) -> (ResponseData, Vec<(String, Vec<CookieView>)>) {
    let (response, before) = finished_after(events).await;
    let snapshots = before
        .into_iter()
        .filter_map(|e| match e {
            HttpEvent::Cookies { jar, cookies } => Some((jar, cookies)),
            _ => None,
        })
        .collect();
    (response, snapshots)
}

fn job(id: u64, url: &str, auth: Option<ResolvedAuth>) -> Command {
    let spec = RequestSpec {
        method: Method::Get,
        url: url.to_string(),
        ..Default::default()
    };
    Command::Send(Job {
        auth,
        jar: "collections/demo.toml".into(),
        ..Job::new(id, spec, timeouts())
    })
}

#[tokio::test]
async fn the_worker_fills_the_jobs_jar_and_keeps_the_api_key_header_home() {
    let (a, b) = (DemoServer::start(0).unwrap(), DemoServer::start(0).unwrap());
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);

    let url = format!("{}/cookies/set?theme=dark", a.base_url());
    worker.send(job(1, &url, None)).unwrap();
    let (response, snapshots) = finished_with_cookies(&mut events).await;
    assert_eq!(response.status, 200);
    // The worker owns the jars and reports the one the job used.
    assert_eq!(snapshots.len(), 1);
    let (jar, cookies) = &snapshots[0];
    assert_eq!(jar, "collections/demo.toml");
    assert_eq!(cookies[0].name, "theme");

    // An API key sent under a name of the profile's choosing is not forwarded either.
    let auth = ResolvedAuth::ApiKey {
        name: "X-Tenant".into(),
        value: "tenant-secret".into(),
        location: KeyLocation::Header,
    };
    let url = format!("{}/redirect-to?url={}/headers", a.base_url(), b.base_url());
    worker.send(job(2, &url, Some(auth))).unwrap();
    let response = finished(&mut events).await;
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    // The redirect was followed to B (so the absence below is B's view of the request).
    assert_eq!(response.redirects.len(), 1);
    let b_host = b.base_url().trim_start_matches("http://").to_string();
    assert_eq!(body["headers"]["host"], b_host.as_str(), "{body}");
    assert!(body["headers"].get("x-tenant").is_none(), "{body}");
}

#[tokio::test]
async fn an_unusable_certificate_file_fails_that_request_only() {
    let demo = DemoServer::start(0).unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    let url = format!("{}/json", demo.base_url());
    let Command::Send(mut bad) = job(1, &url, None) else {
        unreachable!()
    };
    bad.client.ca_cert = Some(PathBuf::from("/nonexistent/scout-ca.pem"));
    worker.send(Command::Send(bad)).unwrap();
    let err = loop {
        match tokio::time::timeout(PATIENCE, events.recv()).await.unwrap() {
            Some(HttpEvent::Finished { result, .. }) => break result.unwrap_err(),
            Some(_) => continue,
            None => panic!("the worker stopped"),
        }
    };
    assert!(
        err.to_string()
            .starts_with("ca_cert `/nonexistent/scout-ca.pem`: cannot read it:"),
        "{err}"
    );
    // The next request, without it, goes through.
    worker.send(job(2, &url, None)).unwrap();
    assert_eq!(finished(&mut events).await.status, 200);
}

#[tokio::test]
async fn the_worker_reports_the_credentials_it_sends_for_redaction() {
    let demo = DemoServer::start(0).unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    // A session cookie set on a redirect hop and echoed by the page it leads to; a bearer token.
    let url = format!(
        "{}/cookies/set?session_id=s3ss10n-v4lue&theme=dark",
        demo.base_url()
    );
    let auth = ResolvedAuth::Bearer {
        token: "t0ken-v4lue".into(),
    };
    worker.send(job(1, &url, Some(auth))).unwrap();
    let (response, before) = finished_after(&mut events).await;
    let body = String::from_utf8(response.body.to_vec()).unwrap();
    assert!(body.contains("s3ss10n-v4lue"), "{body}");
    let reported: Vec<String> = before
        .into_iter()
        .flat_map(|e| match e {
            HttpEvent::Credentials { values, .. } => values.0,
            _ => Vec::new(),
        })
        .collect();
    for secret in ["t0ken-v4lue", "s3ss10n-v4lue"] {
        assert!(
            reported.iter().any(|v| v == secret),
            "{secret}: {reported:?}"
        );
    }
    // A cookie whose name says nothing secret is not a secret.
    assert!(!reported.iter().any(|v| v == "dark"), "{reported:?}");
}
