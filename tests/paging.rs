//! The pager against servers of the test's own: a next page on another origin gets no
//! credentials, and a used-up rate limit is waited out between pages (with a recorded sleep, so
//! the test does not wait).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::get;
use scout::http::attempts::RecordedSleep;
use scout::http::auth::TokenCache;
use scout::http::cookies::CookieJars;
use scout::http::executor::run;
use scout::http::job::Job;
use scout::http::paginate::{Load, Pager, PagerEvent};
use scout::model::{ClientOptions, RequestSpec, ResolvedAuth, Timeouts};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use url::Url;

#[derive(Clone)]
struct Site {
    /// Where page 2 lives (another origin, for the credentials test).
    next_base: String,
    /// Send `X-RateLimit-Remaining: 0` with a reset in 7 s.
    used_up: bool,
}

/// `/p?page=N`: three pages of two items; each item says whether an Authorization header came.
async fn page(
    State(site): State<Site>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let n: u32 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let authorized = headers.contains_key("authorization");
    let items: Vec<Value> = (0..2)
        .map(|i| json!({"id": (n - 1) * 2 + i + 1, "authorized": authorized}))
        .collect();
    let mut out = HeaderMap::new();
    if n < 3 {
        let link = format!("<{}/p?page={}>; rel=\"next\"", site.next_base, n + 1);
        out.insert("link", link.parse().unwrap());
    }
    if site.used_up {
        out.insert("x-ratelimit-limit", "2".parse().unwrap());
        out.insert("x-ratelimit-remaining", "0".parse().unwrap());
        out.insert("x-ratelimit-reset", "7".parse().unwrap());
    }
    (out, axum::Json(Value::Array(items)))
}

/// Serves [`page`] on 127.0.0.1; returns its base URL. Stops with the test's runtime.
async fn serve(site: Site) -> String {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().route("/p", get(page)).with_state(site);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

fn job(url: &str) -> Job {
    let spec = RequestSpec {
        url: url.to_string(),
        ..Default::default()
    };
    Job {
        auth: Some(ResolvedAuth::Bearer {
            token: "page-token-123".into(),
        }),
        ..Job::new(1, spec, Timeouts::default())
    }
}

/// Sends `url`, follows every page, and returns the items and the recorded waits.
async fn follow(url: &str) -> (Vec<Value>, Vec<Duration>) {
    let client = scout::http::client::build_client(&ClientOptions::default()).unwrap();
    let (tokens, jars) = (TokenCache::default(), CookieJars::new());
    let job = job(url);
    let (tx, _rx) = mpsc::unbounded_channel();
    let first = run(&client, job.clone(), &tokens, &jars, &tx)
        .await
        .unwrap();
    let (mut pager, mut items) =
        Pager::start(None, &Url::parse(url).unwrap(), &first, None).unwrap();
    let sleep = RecordedSleep::default();
    pager
        .load(
            Load::All,
            &client,
            &job,
            &tokens,
            &jars,
            &sleep,
            &tx,
            |event, _| {
                if let PagerEvent::Page(page) = event {
                    items.extend(page.items);
                }
                Ok(())
            },
        )
        .await
        .unwrap();
    assert!(!pager.has_more());
    (items, sleep.delays())
}

#[tokio::test]
async fn a_next_page_on_another_origin_gets_no_credentials() {
    let other = serve(Site {
        next_base: String::new(),
        used_up: false,
    })
    .await;
    // Page 1 here, pages 2 and 3 on `other`.
    let here = serve(Site {
        next_base: other.clone(),
        used_up: false,
    })
    .await;
    let (items, _) = follow(&format!("{here}/p?page=1")).await;
    let seen: Vec<(u64, bool)> = items
        .iter()
        .map(|i| {
            (
                i["id"].as_u64().unwrap(),
                i["authorized"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, true),
            (2, true),
            (3, false),
            (4, false),
            (5, false),
            (6, false)
        ]
    );
}

#[tokio::test]
async fn a_used_up_rate_limit_is_waited_out_between_pages() {
    let site = serve(Site {
        next_base: String::new(),
        used_up: true,
    })
    .await;
    // Links are relative to the server itself: fill in its base.
    let same = serve(Site {
        next_base: site.clone(),
        used_up: true,
    })
    .await;
    let (items, waits) = follow(&format!("{same}/p?page=1")).await;
    assert_eq!(items.len(), 6);
    // Before page 2 and before page 3, the reset (about 7 s) is waited out; nothing really slept.
    assert_eq!(waits.len(), 2, "{waits:?}");
    for w in waits {
        assert!(
            w > Duration::from_secs(5) && w <= Duration::from_secs(7),
            "{w:?}"
        );
    }
}
