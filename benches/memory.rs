//! Memory of the app with large bodies: the real event loop (on a test terminal) sends
//! `/large/{mb}` (one line of minified JSON) to the demo API, running in a process of its own so
//! that only the app is measured, and shows, prepares and highlights each response as the app
//! does.
//!
//! `cargo bench --bench memory`:
//! 1. One body each of 10, 50 and 100 MiB (`MB=10,50,100`): the peak resident memory above
//!    the start, as a multiple of the body, and what is left once the exchange is gone.
//!    Bodies over the memory cap (64 MiB) are kept on disk, and shown from there. A 1 MiB body
//!    goes first, uncounted: what the first response loads once is not a body's.
//! 2. A session of 20 sends of 10 MiB (`SENDS=N`, `SESSION_MB=M`): memory after each, and the
//!    exchanges within the in-memory budget (older ones let go of their bodies).
//!
//! Under `cargo test` it runs one body of 1 MiB and 3 sends of 1 MiB: a smoke test that still
//! checks every response arrives and the exchanges stay within the budget (the peak's bound,
//! four times the body, is checked from 10 MiB up, three times from 50 MiB: below, fixed costs
//! dominate).

#[path = "../tests/tui_harness/mod.rs"]
mod tui_harness;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::app::history_pane::MEMORY_BUDGET;
use scout::http::plan::TimeoutInput;
use scout::model::{RequestSpec, Timeouts};
use tui_harness::Harness;

/// `VmRSS` and `VmHWM` (the peak) of this process, in MiB.
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The demo API in a child process, stopped when this is dropped (a failed assertion too).
struct Demo(std::process::Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The demo API in a child process, and its base URL.
fn demo_server() -> (Demo, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scout"))
        .args(["demo", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the demo API starts");
    let mut first = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("piped"));
    stdout
        .read_line(&mut first)
        .expect("the demo API says where it listens");
    // The rest of its banner, read so that it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = first.split_whitespace().last().expect("a URL").to_owned();
    (Demo(child), url)
}

/// Forgets the peak so far (`VmHWM`), so that each body's peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn app_for(url: &str) -> App {
    let spec = RequestSpec {
        url: url.to_owned(),
        ..RequestSpec::default()
    };
    let timeouts = TimeoutInput {
        base: Timeouts {
            total: Duration::from_secs(120),
            ..Timeouts::default()
        },
        ..TimeoutInput::default()
    };
    App::new(Editor::from_spec(&spec), timeouts)
}

/// Sends once and waits until the response is on screen: the pretty-printed body's first item.
async fn send_and_show(h: &Harness, count: usize) {
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    h.wait_for(&format!("History ({count})"), Duration::from_secs(120))
        .await;
    h.wait_for("\"id\": 1,", Duration::from_secs(120)).await;
}

/// One body of `mb` MiB: its peak above `base` MiB, as a multiple of the body.
async fn one_body(base_url: &str, mb: usize) -> f64 {
    // Whatever the last body left behind is returned: the start of this one.
    let (base, _) = rss_mib();
    reset_peak();
    let h = Harness::run(app_for(&format!("{base_url}/large/{mb}")));
    send_and_show(&h, 1).await;
    let (shown, peak) = rss_mib();
    let app = h.quit().await;
    let kept: usize = app.history.entries.iter().map(|x| x.memory_bytes()).sum();
    drop(app);
    let (after, _) = rss_mib();
    let ratio = (peak - base) / mb as f64;
    println!(
        "  {mb:>3} MiB body: peak {:>4.0} MiB above the start ({ratio:.1}× the body), {:.0} MiB \
         while shown, the exchange holds {:.0} MiB; {:.0} MiB above the start once it is gone",
        peak - base,
        shown - base,
        kept as f64 / 1048576.0,
        after - base,
    );
    ratio
}

fn main() {
    // As the app does at start.
    scout::memory::return_freed_memory();
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::var("MB")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| if full { vec![10, 50, 100] } else { vec![1] });
    let from_env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let sends = from_env("SENDS", if full { 20 } else { 3 });
    let session_mb = from_env("SESSION_MB", if full { 10 } else { 1 });
    let (_server, base_url) = demo_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let (start_rss, _) = rss_mib();
        println!("memory: the app at start: {start_rss:.0} MiB RSS");
        // What the first response loads once (the highlighter's syntaxes, the worker's threads
        // and connection pool) is not a body's: a small one first, not counted.
        println!("  warm-up:");
        one_body(&base_url, 1).await;
        for &mb in &sizes {
            let ratio = one_body(&base_url, mb).await;
            // Small bodies are dwarfed by fixed costs (the highlighter's syntaxes, buffers);
            // from 50 MiB, the bound: three times the body.
            let bound = if mb >= 50 { 3.0 } else { 4.0 };
            if mb >= 10 {
                assert!(ratio <= bound, "peak {ratio:.2}× a {mb} MiB body");
            }
        }
        if sends == 0 {
            return;
        }
        println!(
            "session: {sends} × /large/{session_mb} (budget {} MiB)",
            MEMORY_BUDGET >> 20
        );
        let h = Harness::run(app_for(&format!("{base_url}/large/{session_mb}")));
        let started = Instant::now();
        for i in 1..=sends {
            send_and_show(&h, i).await;
            let (rss, peak) = rss_mib();
            println!("  after send {i:>2}: {rss:>4.0} MiB RSS (peak so far {peak:.0} MiB)");
        }
        let (rss, peak) = rss_mib();
        println!(
            "  {sends} sends in {:.1} s: {rss:.0} MiB RSS at the end, peak {peak:.0} MiB",
            started.elapsed().as_secs_f64()
        );
        let app = h.quit().await;
        let kept: usize = app.history.entries.iter().map(|x| x.memory_bytes()).sum();
        println!("  exchanges hold {:.0} MiB", kept as f64 / 1048576.0);
        assert!(
            kept <= MEMORY_BUDGET,
            "the exchanges stay within the budget"
        );
        assert_eq!(app.history.len(), sends);
    });
}
