//! Secrets, once more, across the real binary: a session in the app (every auth kind, secrets
//! from the collection's `.env`, a `{{prompt:…}}` typed in, a redirect to another origin), then
//! headless `scout run`, a download, and the exports (curl, HTTPie, Hurl; the history as HAR).
//! Afterwards every file scout wrote (data, config, temporary files, downloads, reports, exports)
//! and everything it wrote to the terminal (the scrollback) and to stdout/stderr is searched for
//! every secret value: zero hits.

#![cfg(unix)]

use std::path::{Path, PathBuf};

mod support;
use support::cli::{Demo, scout_with};
use support::pty::{FIRST_FRAME, Pty};

/// The collection's `.env` (a secret layer): a password, the demo's API key and client secret.
const DOTENV: &str = "PASSWORD=leak-canary-7f3a9\nAPI_KEY=demo-key\nCLIENT_SECRET=scout-secret\n";
/// Typed at the prompt in the app, and given with `--var` headless.
const PROMPTED: &str = "prompt-canary-51d2";
/// The values, and the Basic credentials as they go on the wire (base64 of `ci:PASSWORD`).
const SECRETS: [&str; 5] = [
    "leak-canary-7f3a9",
    "demo-key",
    "scout-secret",
    PROMPTED,
    "Y2k6bGVhay1jYW5hcnktN2YzYTk",
];

fn collection(base: &str, other_origin: &str) -> String {
    format!(
        r#"name = "Sweep"

[vars]
base = "{base}"
other = "{other_origin}"

[auth.basic]
kind = "basic"
username = "ci"
password = "{{{{env.PASSWORD}}}}"

[auth.token]
kind = "bearer"
token = "{{{{env.PASSWORD}}}}"

[auth.key]
kind = "api-key"
name = "X-Api-Key"
value = "{{{{env.API_KEY}}}}"

[auth.digest]
kind = "digest"
username = "ci"
password = "{{{{env.PASSWORD}}}}"

[auth.svc]
kind = "oauth2-client-credentials"
token_url = "{{{{base}}}}/oauth/token"
client_id = "scout"
client_secret = "{{{{env.CLIENT_SECRET}}}}"
scopes = ["items:read"]

[requests.s-basic]
url = "{{{{base}}}}/basic-auth/ci/{{{{env.PASSWORD}}}}"
auth = "basic"

[requests.s-bearer]
url = "{{{{base}}}}/bearer"
auth = "token"

[requests.s-key]
url = "{{{{base}}}}/api-key"
auth = "key"

[requests.s-digest]
url = "{{{{base}}}}/digest-auth/auth/ci/{{{{env.PASSWORD}}}}/SHA-256"
auth = "digest"

[requests.s-oauth]
url = "{{{{base}}}}/protected"
auth = "svc"

[requests.s-prompt]
url = "{{{{base}}}}/anything"
method = "POST"
headers = {{ X-One-Time = "{{{{prompt:otp}}}}" }}
body = {{ json = {{ otp = "{{{{prompt:otp}}}}", password = "{{{{env.PASSWORD}}}}" }} }}

[requests.s-redirect]
url = "{{{{base}}}}/redirect-to?url={{{{other}}}}/headers"
auth = "token"
"#
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
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
fn send(pty: &mut Pty, id: &str, nth: usize) {
    pty.write(b"\x1b[Z/\x15"); // Shift+Tab to the tree, `/` filters, Ctrl+U clears the filter.
    pty.write(id.as_bytes());
    pty.write(b"\r");
    pty.write(b"\x1b[B\r"); // Down to the request, Enter opens it.
    pty.wait_for(&format!("Sweep › {id}"), 0);
    pty.write(b"\x12"); // Ctrl+R
    if id == "s-prompt" {
        pty.wait_for("Value for `{{prompt:otp}}`", 0);
        pty.write(PROMPTED.as_bytes());
        pty.write(b"\r");
    }
    pty.wait_for(&format!("History ({nth})"), 0);
    pty.wait_gone("Sending");
}

#[test]
fn no_secret_reaches_a_file_or_the_terminal() {
    let demo = Demo::start();
    let base = demo.url("");
    let base = base.trim_end_matches('/');
    let other = base.replace("127.0.0.1", "localhost");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let collections = root.join("collections");
    std::fs::create_dir(&collections).unwrap();
    let toml = collection(base, &other);
    std::fs::write(collections.join("sweep.toml"), &toml).unwrap();
    std::fs::write(collections.join(".env"), DOTENV).unwrap();
    for sub in ["tmp", "home", "cfg"] {
        std::fs::create_dir(root.join(sub)).unwrap();
    }
    // Everything scout could write goes under `root`: its data, config and temporary files.
    let env_paths: Vec<(String, String)> = [
        ("TMPDIR", "tmp"),
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "cfg"),
        ("XDG_DATA_HOME", "home"),
        ("XDG_CACHE_HOME", "home"),
        ("XDG_STATE_HOME", "home"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), root.join(v).display().to_string()))
    .collect();
    let env: Vec<(&str, &str)> = env_paths
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("NO_COLOR", "1")])
        .collect();

    // The app.
    let mut pty = Pty::start_in(dir, env!("CARGO_BIN_EXE_scout"), &["--no-demo"], &env)
        .expect("a pseudo-terminal");
    pty.wait_for(FIRST_FRAME, 0);
    pty.wait_for("Sweep", 0);
    let ids = [
        "s-basic",
        "s-bearer",
        "s-key",
        "s-digest",
        "s-oauth",
        "s-prompt",
        "s-redirect",
    ];
    for (i, id) in ids.iter().enumerate() {
        send(&mut pty, id, i + 1);
        let screen = pty.screen.screen().contents();
        for secret in SECRETS {
            assert!(!screen.contains(secret), "{secret} on screen:\n{screen}");
        }
    }
    pty.write(b"\x03");
    let session = pty.finish();
    assert!(session.exited, "scout quit");
    let root = session.data.path();

    // Headless: the collection replayed, a download, and the exports.
    let config = root.join("none.toml");
    let envs: Vec<(&str, &str)> = env_paths
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([
            ("SCOUT_DATA_DIR", root.to_str().unwrap()),
            ("SCOUT_CONFIG", config.to_str().unwrap()),
        ])
        .collect();
    let sweep = collections.join("sweep.toml");
    let sweep = sweep.to_str().unwrap();
    let prompt_var = format!("otp={PROMPTED}");
    let runs = [
        scout_with(
            Some(root),
            &envs,
            &[
                "run",
                sweep,
                "--var",
                &prompt_var,
                "--reporter",
                "junit",
                "--output",
                "report.xml",
            ],
        ),
        scout_with(
            Some(root),
            &envs,
            &[
                "send",
                "-v",
                "-a",
                "ci:leak-canary-7f3a9",
                "-o",
                "download.json",
                &format!("{base}/json"),
            ],
        ),
        scout_with(
            Some(root),
            &envs,
            &["export", "curl", "-c", sweep, "-o", "export.sh"],
        ),
        scout_with(
            Some(root),
            &envs,
            &["export", "httpie", "-c", sweep, "-o", "export.httpie"],
        ),
        scout_with(
            Some(root),
            &envs,
            &["export", "hurl", "-c", sweep, "-o", "export.hurl"],
        ),
        scout_with(
            Some(root),
            &envs,
            &["export", "har", "--history", "-o", "history.har"],
        ),
    ];
    for ran in &runs {
        ran.code(0);
    }
    // The app's seven exchanges and the run's seven, each answered 200: every credential worked.
    let history = std::fs::read_to_string(root.join("history.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = history
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<u64> = records
        .iter()
        .map(|r| r["outcome"]["status"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(statuses, [200; 14], "{history}");
    // The redirect to another origin did not carry the Authorization header there.
    for r in records.iter().filter(|r| {
        r["request"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("redirect-to"))
    }) {
        let echo = r["outcome"]["body"]["text"].as_str().unwrap();
        assert!(echo.contains("localhost"), "{echo}");
        assert!(!echo.to_lowercase().contains("authorization"), "{echo}");
    }
    for ran in &runs {
        let out = format!("{}{}", String::from_utf8_lossy(&ran.stdout), ran.stderr);
        for secret in SECRETS {
            assert!(!out.contains(secret), "{secret} in the output:\n{out}");
        }
    }
    for file in [
        "report.xml",
        "download.json",
        "export.sh",
        "export.httpie",
        "export.hurl",
        "history.har",
    ] {
        assert!(root.join(file).exists(), "{file} was written");
    }

    // The terminal's scrollback: everything the app wrote to it.
    let scrollback = String::from_utf8_lossy(&session.output);
    for secret in SECRETS {
        assert!(!scrollback.contains(secret), "{secret} in the scrollback");
    }
    // Every file scout wrote, but the two the test wrote with the secrets in them.
    let written: Vec<PathBuf> = files_under(root)
        .into_iter()
        .filter(|p| !p.ends_with("collections/.env") && !p.ends_with("collections/sweep.toml"))
        .collect();
    assert!(
        written.iter().any(|p| p.ends_with("history.jsonl")),
        "{written:?}"
    );
    for path in &written {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{secret} found in {}:\n{text}",
                path.display()
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(collections.join("sweep.toml")).unwrap(),
        toml
    );
}
