//! Memory over a session: the real event loop (on a test terminal) sends `/large/{mb}` to the
//! demo API again and again, each response shown, prepared and highlighted as the app does it,
//! and the process's resident memory is printed after each one, then its peak.
//!
//! `cargo bench --bench memory` runs 20 sends of 10 MB (`SENDS=N MB=M` to choose); under
//! `cargo test` it runs 3 of 1 MB, a smoke test that still checks every response arrives and
//! memory stays within the budget.

#[path = "../tests/tui_harness/mod.rs"]
mod tui_harness;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use scout::app::App;
use scout::app::editor::Editor;
use scout::app::history_pane::MEMORY_BUDGET;
use scout::demo::DemoServer;
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

fn main() {
    // As the app does at start.
    scout::cli::allocator::return_freed_memory();
    let full = std::env::args().any(|a| a == "--bench");
    let (sends, mb) = if full { (20, 10) } else { (3, 1) };
    let from_env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (sends, mb) = (from_env("SENDS", sends), from_env("MB", mb));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let demo = DemoServer::start(0).unwrap();
        let spec = RequestSpec {
            url: format!("{}/large/{mb}", demo.base_url()),
            ..RequestSpec::default()
        };
        let timeouts = TimeoutInput {
            base: Timeouts {
                total: Duration::from_secs(120),
                ..Timeouts::default()
            },
            ..TimeoutInput::default()
        };
        let h = Harness::run(App::new(Editor::from_spec(&spec), timeouts));
        let (start_rss, _) = rss_mib();
        println!(
            "memory: {sends} × /large/{mb} (budget {} MiB)",
            MEMORY_BUDGET >> 20
        );
        println!("  at start: {start_rss:.0} MiB RSS");
        let started = Instant::now();
        for i in 1..=sends {
            h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
            h.wait_for(&format!("History ({i})"), Duration::from_secs(60))
                .await;
            // Shown, prepared and highlighted: the pretty-printed body's first item is on screen.
            h.wait_for("\"id\": 1,", Duration::from_secs(60)).await;
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
