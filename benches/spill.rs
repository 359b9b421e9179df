//! A body to disk: the real event loop (on a test terminal) fetches a large JSON Lines body from
//! a server on 127.0.0.1 (in this process, generating it as it goes, so it holds none of it), the
//! body passes the memory cap and is kept on disk; then `G` goes to its last line. Prints the
//! process's peak resident memory (`VmHWM`), the time for `G` until the last line is drawn, the
//! time to search the whole file, and the time to draw a frame.
//!
//! `cargo bench --bench spill` sends 1 GB with the default 64 MB cap (`MB=N`, `CAP_MB=N` to
//! choose; `JSON=1` sends one minified JSON array instead, which is pretty-printed to a second
//! file as it arrives and shown from there); under
//! `cargo test` it sends 16 MB with a 1 MB cap, a smoke test of the same path.

#[path = "../tests/tui_harness/mod.rs"]
mod tui_harness;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use scout::app::App;
use scout::app::editor::Editor;
use scout::http::plan::TimeoutInput;
use scout::model::{RequestSpec, Timeouts, human_size, thousands};
use tokio::io::AsyncWriteExt;
use tui_harness::Harness;

/// `VmHWM` (the peak resident memory) of this process, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Line `n` of the body: about 100 bytes of JSON.
fn line(n: u64) -> String {
    format!(
        "{{\"n\":{n:010},\"name\":\"item-{n:010}\",\"pad\":\"{}\"}}\n",
        "x".repeat(48)
    )
}

/// Serves, to every connection, a body of `lines` lines as JSON Lines with its length (`json`:
/// the same values as one JSON array, on one line).
async fn serve(listener: tokio::net::TcpListener, lines: u64, json: bool) {
    let length = line(0).len() as u64 * lines + u64::from(json);
    let content_type = if json {
        "application/json"
    } else {
        "application/x-ndjson"
    };
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            // The request head (small, in one read for this client).
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
            );
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = String::with_capacity(256 * 1024);
            for n in 0..lines {
                if json {
                    chunk.push(if n == 0 { '[' } else { ',' });
                    chunk.push_str(line(n).trim_end());
                    if n + 1 == lines {
                        chunk.push(']');
                    }
                } else {
                    chunk.push_str(&line(n));
                }
                if chunk.len() >= 250 * 1024 || n + 1 == lines {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    chunk.clear();
                }
            }
        });
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let mb: u64 = std::env::var("MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if full { 1024 } else { 16 });
    // `CAP_MB=N` sets the cap; the default one (64 MB) for the benchmark.
    let cap = match std::env::var("CAP_MB")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(n) => Some(n * 1024 * 1024),
        None if full => None,
        None => Some(1024 * 1024),
    };
    let lines = mb * 1024 * 1024 / line(0).len() as u64;
    let json = std::env::var("JSON").is_ok_and(|v| v == "1");
    // Each value is pretty-printed on 5 lines, inside `[` and `]`.
    let shown_lines = if json { lines * 5 + 2 } else { lines };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(serve(listener, lines, json));
        let spec = RequestSpec {
            url: format!("http://127.0.0.1:{port}/lines"),
            ..RequestSpec::default()
        };
        let timeouts = TimeoutInput {
            base: Timeouts {
                total: Duration::from_secs(1800),
                ..Timeouts::default()
            },
            memory_cap: cap,
            ..TimeoutInput::default()
        };
        let h = Harness::run(App::new(Editor::from_spec(&spec), timeouts));
        let size = human_size(line(0).len() as u64 * lines);
        let form = if json {
            "one JSON array, pretty-printed on the way"
        } else {
            "JSON Lines"
        };
        println!(
            "spill: {size} ({} values, {form}) to disk",
            thousands(lines as usize)
        );
        let started = Instant::now();
        h.press(KeyCode::Enter);
        h.wait_for(
            "more than the memory cap: read from disk",
            Duration::from_secs(1800),
        )
        .await;
        let fetched = started.elapsed();
        h.wait_for("item-0000000002", Duration::from_secs(60)).await;
        println!(
            "  received in {:.1} s; peak RSS so far {:.0} MiB",
            fetched.as_secs_f64(),
            peak_rss_mib()
        );
        h.press(KeyCode::Tab);
        let pressed = Instant::now();
        h.press(KeyCode::Char('G'));
        let last = lines - 1;
        h.wait_for(&format!("item-{last:010}"), Duration::from_secs(60))
            .await;
        let to_end = pressed.elapsed();
        h.wait_for(
            &format!(
                "line {} of {} · 100%",
                thousands(shown_lines as usize),
                thousands(shown_lines as usize)
            ),
            Duration::from_secs(60),
        )
        .await;
        println!(
            "  G to the last line drawn: {:.0} ms (the screen is polled every 10 ms)",
            to_end.as_secs_f64() * 1000.0
        );
        // Search the whole file for the last line's name (from the top).
        h.press(KeyCode::Char('g'));
        h.press(KeyCode::Char('/'));
        let typed = Instant::now();
        h.type_text(&format!("item-{last:010}\""));
        h.wait_for("1/1 ", Duration::from_secs(300)).await;
        println!(
            "  / for the last line's name: counted through the file in {:.2} s",
            typed.elapsed().as_secs_f64()
        );
        h.press(KeyCode::Enter);
        let app = h.quit().await;
        // A frame of the Body tab at the end of the file, its lines read.
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut slowest = Duration::ZERO;
        for _ in 0..20 {
            let t = Instant::now();
            terminal
                .draw(|f| {
                    scout::ui::draw(f, &app);
                })
                .unwrap();
            slowest = slowest.max(t.elapsed());
        }
        println!(
            "  frame: {:.2} ms at most over 20 draws",
            slowest.as_secs_f64() * 1000.0
        );
        let peak = peak_rss_mib();
        println!("  peak RSS: {peak:.0} MiB");
        let spilled = app
            .shown_exchange()
            .and_then(|x| x.response())
            .and_then(|r| r.spilled.clone())
            .expect("the body is on disk");
        assert_eq!(spilled.shown().line_count(), shown_lines);
        assert!(peak < 150.0, "peak RSS {peak:.0} MiB");
    });
}
