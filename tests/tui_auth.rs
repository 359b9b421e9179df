//! Auth profiles through the whole app: every kind against the demo API, then the secret-leak
//! check — after a full session, no file scout wrote holds any secret value.

mod tui_harness;

use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::collection::DEMO_URL_VAR;
use scout::demo::DemoServer;
use tui_harness::{Harness, WAIT};

/// The secrets, in the collection's `.env` (a secret layer): a password that also appears in a
/// URL path, an API key sent as a query parameter, a client secret.
const DOTENV: &str = "PASSWORD=leak-canary-7f3a9\nAPI_KEY=demo-key\nCLIENT_SECRET=scout-secret\n";
const SECRETS: [&str; 3] = ["leak-canary-7f3a9", "demo-key", "scout-secret"];

const COLLECTION: &str = r#"name = "Auth tour"
default_auth = "basic"

[vars]
base = "{{env.SCOUT_DEMO_URL}}"

[auth.basic]
kind = "basic"
username = "ci"
password = "{{env.PASSWORD}}"

[auth.token]
kind = "bearer"
token = "{{env.PASSWORD}}"

[auth.key]
kind = "api-key"
name = "api_key"
value = "{{env.API_KEY}}"
in = "query"

[auth.digest]
kind = "digest"
username = "ci"
password = "{{env.PASSWORD}}"

[auth.svc]
kind = "oauth2-client-credentials"
token_url = "{{base}}/oauth/token"
client_id = "scout"
client_secret = "{{env.CLIENT_SECRET}}"
scopes = ["items:read"]

[requests.r-basic]
url = "{{base}}/basic-auth/ci/{{env.PASSWORD}}"

[requests.r-bearer]
url = "{{base}}/bearer"
auth = "token"

[requests.r-key]
url = "{{base}}/api-key"
auth = "key"

[requests.r-digest]
url = "{{base}}/digest-auth/auth/ci/{{env.PASSWORD}}/SHA-256"
auth = "digest"

[requests.r-oauth]
url = "{{base}}/protected"
auth = "svc"

[requests.r-oauth-echo]
url = "{{base}}/bearer"
auth = "svc"

[requests.r-wrong]
url = "{{base}}/basic-auth/ci/another-password"
"#;

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Opens request `id` from the tree (filtering to it) and sends it; waits until it finished.
async fn send(h: &Harness, id: &str, nth: usize) {
    h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
    h.press(KeyCode::Char('/'));
    h.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
    h.type_text(id);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    h.wait_for(&format!("Request · Auth tour › {id}"), WAIT)
        .await;
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for(&format!("History ({nth})"), WAIT).await;
    h.wait_gone("Sending", WAIT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_auth_kind_works_and_no_secret_reaches_disk() {
    let demo = DemoServer::start(0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let collections = dir.path().join("collections");
    std::fs::create_dir(&collections).unwrap();
    std::fs::write(collections.join("auth.toml"), COLLECTION).unwrap();
    std::fs::write(collections.join(".env"), DOTENV).unwrap();

    let mut app = App::new(Editor::default(), Default::default());
    app.collections_path = Some(collections.clone());
    app.history_path = Some(dir.path().join("data/history.jsonl"));
    app.injected = vec![(DEMO_URL_VAR.to_string(), demo.base_url())];
    app.work_dir = dir.path().to_path_buf();
    let h = Harness::run(app);
    h.wait_for("Auth tour", WAIT).await;

    let ids = [
        "r-basic",
        "r-bearer",
        "r-key",
        "r-digest",
        "r-oauth",
        "r-oauth-echo",
        "r-wrong",
    ];
    for (i, id) in ids.iter().enumerate() {
        send(&h, id, i + 1).await;
        // The screen never shows a secret, whatever tab is up.
        let screen = h.text();
        for secret in SECRETS {
            assert!(!screen.contains(secret), "{secret} on screen:\n{screen}");
        }
    }
    // The Auth tab of the last request says what the profile adds, redacted.
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    for _ in 0..2 {
        h.press(KeyCode::Char(']'));
    }
    h.wait_for("basic (basic)", WAIT).await;
    h.wait_for("Authorization: Basic (redacted)", WAIT).await;

    let app = h.quit().await;
    let statuses: Vec<(String, u16)> = app
        .history
        .entries
        .iter()
        .map(|x| {
            (
                x.sent.url.rsplit('/').next().unwrap_or("").to_string(),
                x.response().map_or(0, |r| r.status),
            )
        })
        .collect();
    let codes: Vec<u16> = statuses.iter().map(|(_, c)| *c).collect();
    assert_eq!(codes, [200, 200, 200, 200, 200, 200, 401], "{statuses:?}");
    // The OAuth2 token was fetched while sending, not known when the request was planned; the
    // server echoed it back, and it is redacted all the same.
    let echo = app.history.entries[5].response().unwrap();
    let echoed: serde_json::Value = serde_json::from_slice(&echo.body).unwrap();
    let token = echoed["token"].as_str().unwrap().to_string();
    assert!(token.len() > 8, "{echoed}");

    // Every file scout wrote (the history; the collection is unchanged) is free of secrets.
    let written: Vec<_> = files_under(dir.path())
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != ".env"))
        .collect();
    assert!(written.iter().any(|p| p.ends_with("history.jsonl")));
    for path in written {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for secret in SECRETS.iter().copied().chain([token.as_str()]) {
            assert!(
                !text.contains(secret),
                "{secret} found in {}:\n{text}",
                path.display()
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(collections.join("auth.toml")).unwrap(),
        COLLECTION
    );
}
