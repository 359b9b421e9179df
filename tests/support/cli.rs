//! Running the `scout` binary from tests: with piped output (so neither stream is a terminal),
//! under a deadline, against the built-in demo API on a runtime of its own.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use scout::demo::DemoServer;
use serde_json::Value;

/// Longest any one `scout` process may run before the test kills it and fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Variables removed from every child: proxies (so it talks to 127.0.0.1 directly) and the demo
/// URL (so scout decides for itself whether to start the in-process demo).
const SCRUBBED_VARS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SCOUT_DEMO_URL",
];

// ---------------------------------------------------------------------------------------------------
// Harness

/// The demo API on a runtime of its own. Field order matters: the server is dropped (shutdown
/// signalled) before the runtime that serves it.
pub struct Demo {
    pub server: DemoServer,
    pub runtime: tokio::runtime::Runtime,
}

impl Demo {
    pub fn start() -> Demo {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let server = {
            let _guard = runtime.enter();
            DemoServer::start(0).expect("demo server")
        };
        Demo { server, runtime }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub fn port(&self) -> u16 {
        self.server.addr().port()
    }

    /// The body as the server sends it, fetched with reqwest (gzip decoded, redirects followed).
    pub fn fetch(&self, path: &str) -> Vec<u8> {
        let url = self.url(path);
        self.runtime.block_on(async {
            let client = reqwest::Client::builder()
                .no_proxy()
                .timeout(PATIENCE)
                .build()
                .expect("client");
            let response = client.get(&url).send().await.expect("fetch");
            response.bytes().await.expect("fetch body").to_vec()
        })
    }
}

/// What one `scout` process did.
pub struct Ran {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub took: Duration,
}

impl Ran {
    /// Asserts the exit code, showing everything the process printed when it differs.
    pub fn code(&self, expected: i32) -> &Ran {
        assert_eq!(
            self.code,
            Some(expected),
            "scout {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        self
    }

    pub fn stdout_text(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout of scout {:?} is not JSON ({e}):\n{}\n--- stderr ---\n{}",
                self.args,
                String::from_utf8_lossy(&self.stdout),
                self.stderr
            )
        })
    }

    /// Exit 0, nothing on stderr, and the echo document `/anything` sent back.
    pub fn echo(&self) -> Value {
        self.code(0).stderr_empty();
        self.json()
    }

    pub fn stdout_has(&self, needles: &[&str]) -> &Ran {
        let out = String::from_utf8_lossy(&self.stdout);
        for needle in needles {
            assert!(
                out.contains(needle),
                "stdout of scout {:?} lacks {needle:?}:\n{out}\n--- stderr ---\n{}",
                self.args,
                self.stderr
            );
        }
        self
    }

    /// Asserts stderr contains every one of `needles`.
    pub fn stderr_has(&self, needles: &[&str]) -> &Ran {
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr of scout {:?} lacks {needle:?}:\n{}",
                self.args,
                self.stderr
            );
        }
        self
    }

    pub fn stderr_empty(&self) -> &Ran {
        assert!(
            self.stderr.is_empty(),
            "scout {:?} wrote to stderr:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    pub fn stdout_empty(&self) -> &Ran {
        assert!(
            self.stdout.is_empty(),
            "scout {:?} wrote to stdout:\n{}",
            self.args,
            String::from_utf8_lossy(&self.stdout)
        );
        self
    }

    /// A failure: stdout empty, and the first stderr line is `scout: <cause>` naming `needles`.
    pub fn fails_with(&self, code: i32, needles: &[&str]) -> &Ran {
        self.code(code).stdout_empty().stderr_has(needles);
        let first = self.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("scout: "),
            "the cause should be the first stderr line: {:?}",
            self.stderr
        );
        self
    }
}

/// Runs `scout ARGS…` in the current directory.
pub fn scout(args: &[&str]) -> Ran {
    scout_in(None, args)
}

/// Runs `scout ARGS…` (in `dir` if given) with piped output, killing it after [`PATIENCE`].
pub fn scout_in(dir: Option<&Path>, args: &[&str]) -> Ran {
    scout_with(dir, &[], args)
}

/// [`scout_in`] with environment variables set for the child.
pub fn scout_with(dir: Option<&Path>, envs: &[(&str, &str)], args: &[&str]) -> Ran {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scout"));
    cmd.envs(envs.iter().copied());
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in SCRUBBED_VARS {
        cmd.env_remove(var);
    }
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("could not start the scout binary");
    // Both pipes are drained on threads (so a full pipe cannot block the child); each reports when
    // it reaches end of file, which happens when the child exits.
    let (done_tx, done_rx) = mpsc::channel();
    let drain = |mut pipe: Box<dyn Read + Send>, done: mpsc::Sender<()>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = done.send(());
            buf
        })
    };
    let stdout = drain(
        Box::new(child.stdout.take().expect("stdout")),
        done_tx.clone(),
    );
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")), done_tx);
    for _ in 0..2 {
        let left = PATIENCE.saturating_sub(started.elapsed());
        if done_rx.recv_timeout(left).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("scout {args:?} was still running after {PATIENCE:?}; killed it");
        }
    }
    let status = child.wait().expect("wait for scout");
    Ran {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: status.code(),
        stdout: stdout.join().expect("stdout reader"),
        stderr: String::from_utf8(stderr.join().expect("stderr reader")).expect("UTF-8 stderr"),
        took: started.elapsed(),
    }
}
