//! The real binary in a pseudo-terminal: however the run ends (quitting; SIGTERM, SIGINT or
//! SIGHUP sent to it; a panic on the UI thread) and whatever happens on the way (a panic while
//! sending, the server dying mid-response, Ctrl+Z then `fg` in a shell), scout leaves the
//! terminal as it found it: the alternate screen left, mouse reports and bracketed paste off, the
//! cursor shown, raw mode off. And a history append stopped by a full disk (here a file size
//! limit) says so, leaves no part of a record behind, and the app goes on; so does saving a body.

#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

mod support;
use support::cli::Demo;
use support::pty::{COLS, FIRST_FRAME, Pty, ROWS, Session};

/// Runs scout until its first frame is drawn, does `end` to it, and collects everything it wrote.
fn run(end: impl FnOnce(u32, &mut Pty)) -> Option<Session> {
    let mut pty = Pty::scout(&[])?;
    pty.wait_for(FIRST_FRAME, 0);
    end(pty.pid(), &mut pty);
    Some(pty.finish())
}

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: sending a signal to the child this test started.
    unsafe {
        libc::kill(pid as libc::pid_t, sig);
    }
}

/// The sequences scout writes when it gives the terminal back.
const RESTORED: [(&str, &str); 4] = [
    ("\x1b[?1049l", "the alternate screen left"),
    ("\x1b[?2004l", "bracketed paste off"),
    ("\x1b[?1000l", "mouse reports off"),
    ("\x1b[?25h", "the cursor shown"),
];

/// The terminal was given back: after the last time scout entered the alternate screen, it left
/// it and switched off what it had switched on.
fn assert_restored(s: &Session, how: &str) {
    assert!(s.exited, "{how}: scout did not end");
    let out = String::from_utf8_lossy(&s.output);
    let entered = out
        .rfind("\x1b[?1049h")
        .expect("it entered the alternate screen");
    let after = &out[entered..];
    for (seq, what) in RESTORED {
        assert!(after.contains(seq), "{how}: {what} ({seq:?} missing)");
    }
    if cfg!(target_os = "linux") {
        assert!(
            s.modes.contains(" icanon") && s.modes.contains(" echo"),
            "{how}: raw mode is still on: {}",
            s.modes
        );
    }
}

#[test]
fn quitting_gives_the_terminal_back() {
    if let Some(s) = run(|_, pty| pty.write(b"\x03")) {
        assert_restored(&s, "Ctrl+C");
    }
}

#[test]
fn sigterm_sigint_and_sighup_give_the_terminal_back() {
    for (sig, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGINT, "SIGINT"),
        (libc::SIGHUP, "SIGHUP"),
    ] {
        if let Some(s) = run(|pid, _| signal(pid, sig)) {
            assert_restored(&s, name);
        }
    }
}

#[test]
fn a_panic_on_the_ui_thread_gives_the_terminal_back_then_says_what_happened() {
    if !cfg!(debug_assertions) {
        return; // release builds have no fault to inject
    }
    let Some(mut pty) = Pty::scout(&[("SCOUT_TEST_PANIC", "key")]) else {
        return;
    };
    pty.wait_for(FIRST_FRAME, 0);
    pty.write(b"x");
    let s = pty.finish();
    assert_restored(&s, "a panic on the UI thread");
    let out = String::from_utf8_lossy(&s.output);
    let left = out.rfind("\x1b[?1049l").unwrap();
    // The message comes after the terminal is restored, where it can be read.
    assert!(
        out[left..].contains("injected by SCOUT_TEST_PANIC=key"),
        "{out}"
    );
}

#[test]
fn a_panic_while_sending_fails_that_send_and_the_app_goes_on() {
    if !cfg!(debug_assertions) {
        return; // release builds have no fault to inject
    }
    let Some(mut pty) = Pty::scout(&[("SCOUT_TEST_PANIC", "send")]) else {
        return;
    };
    pty.wait_for(FIRST_FRAME, 0);
    pty.write(b"\x12"); // Ctrl+R
    pty.wait_for("scout failed while sending", 0);
    // Still answering keys: Tab moves to the response pane, whose footer says so.
    pty.write(b"\t");
    pty.wait_for("search the body", 0);
    pty.write(b"\x03");
    let s = pty.finish();
    assert_restored(&s, "a panic while sending");
    let out = String::from_utf8_lossy(&s.output);
    let left = out.rfind("\x1b[?1049l").unwrap();
    assert!(
        out[left..].contains("a background task failed"),
        "reported after the run: {out}"
    );
}

/// Found by fuzzing: a filter whose worker panicked stayed "running" for good. Background work
/// that panics now answers as failed: the filter says why, and the app goes on.
#[test]
fn a_panic_while_filtering_ends_that_filter_and_the_app_goes_on() {
    if !cfg!(debug_assertions) {
        return; // release builds have no fault to inject
    }
    let Some(mut pty) = Pty::scout(&[("SCOUT_TEST_PANIC", "filter")]) else {
        return;
    };
    pty.wait_for("Demo API › index", 0);
    pty.write(b"\x12"); // Ctrl+R: the demo's index, as JSON
    pty.wait_for("200 OK", 0);
    pty.write(b"\t|.");
    // In the filter's own line (the message line below says it too).
    pty.wait_for("✗ scout failed while filtering the body: injected", 0);
    // Still answering keys: Esc closes the filter's line.
    pty.write(b"\x1b");
    pty.wait_gone("| .");
    pty.write(b"\x03");
    let s = pty.finish();
    assert_restored(&s, "a panic while filtering");
}

/// Reading the collections folder panics: the failure is said, and the built-in demo is still
/// offered (it was dropped with the folder's collections).
#[test]
fn a_panic_while_loading_collections_still_offers_the_demo() {
    if !cfg!(debug_assertions) {
        return; // release builds have no fault to inject
    }
    let Some(mut pty) = Pty::scout(&[("SCOUT_TEST_PANIC", "collections")]) else {
        return;
    };
    pty.wait_for("scout failed while loading the collections: injected", 0);
    pty.wait_for("Demo API › index", 0);
    pty.write(b"\x12"); // Ctrl+R: the demo's index still answers
    pty.wait_for("200 OK", 0);
    pty.write(b"\x03");
    assert_restored(&pty.finish(), "a panic while loading the collections");
}

#[test]
fn a_server_dying_mid_response_is_shown_and_the_terminal_comes_back() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/dies", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut head = [0u8; 4096];
        let _ = conn.read(&mut head);
        let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{\"partial\":");
        // The server dies: the connection closes with most of the body missing.
    });
    let Some(mut pty) = Pty::start(env!("CARGO_BIN_EXE_scout"), &[&url], &[]) else {
        return;
    };
    pty.wait_for(FIRST_FRAME, 0);
    pty.write(b"\x12");
    pty.wait_for("closed mid-body", 0);
    server.join().unwrap();
    pty.write(b"\x03");
    assert_restored(&pty.finish(), "the server dying mid-response");
}

/// Ctrl+Z in an interactive shell with job control: scout gives the terminal back before it
/// stops (the shell says "Stopped" on the normal screen), and `fg` brings it back full screen,
/// redrawn, still answering keys.
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_redraws() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no bash here: not checked");
        return;
    }
    let Some(mut pty) = Pty::start(
        "bash",
        &["--norc", "--noprofile", "-i"],
        &[("PS1", "shell$ "), ("HISTFILE", "/dev/null")],
    ) else {
        return;
    };
    pty.wait_for("shell$ ", 0);
    let command = format!("'{}'\r", env!("CARGO_BIN_EXE_scout"));
    pty.write(command.as_bytes());
    pty.wait_for(FIRST_FRAME, 0);
    // Out of the URL bar (where Ctrl+Z undoes typing), then Ctrl+Z.
    pty.write(b"\t");
    pty.wait_for("search the body", 0);
    let before = pty.output.len();
    pty.write(b"\x1a");
    pty.wait_for("Stopped", before);
    let out = String::from_utf8_lossy(&pty.output[before..]).into_owned();
    let stopped = out.find("Stopped").unwrap();
    for (seq, what) in RESTORED {
        assert!(
            out[..stopped].contains(seq),
            "before stopping: {what} ({seq:?} missing): {out:?}"
        );
    }
    assert!(
        !pty.screen.screen().alternate_screen(),
        "the shell's screen is shown"
    );
    // The terminal grows while scout is stopped.
    let (rows, cols) = (ROWS + 10, COLS + 20);
    pty.resize(rows, cols);
    // `fg`: the alternate screen again, the whole frame redrawn at the new size.
    let before = pty.output.len();
    pty.write(b"fg\r");
    pty.wait_for("\x1b[?1049h", before);
    pty.wait_for("History", before);
    let resumed = String::from_utf8_lossy(&pty.output[before..]).into_owned();
    assert!(resumed.contains("\x1b[?2004h") && resumed.contains("\x1b[?1000h"));
    assert!(pty.screen.screen().alternate_screen());
    assert!(
        pty.screen.screen().contents().contains("History"),
        "redrawn: {}",
        pty.screen.screen().contents()
    );
    // The frame fills the new size: the footer on the last row, the right border in the last
    // column.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = pty.screen.screen();
        let last_row = screen.contents_between(rows - 1, 0, rows - 1, cols);
        let corner = screen
            .cell(0, cols - 1)
            .map(|c| c.contents())
            .unwrap_or_default();
        if !last_row.trim().is_empty() && corner == "╮" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not redrawn at {cols}×{rows}: last row {last_row:?}, top right {corner:?}:\n{}",
            screen.contents()
        );
        if let Ok(chunk) = pty.rx.recv_timeout(Duration::from_millis(50)) {
            pty.take(chunk);
        }
    }
    // Still answering keys: Ctrl+C quits; then leave the shell.
    let before = pty.output.len();
    pty.write(b"\x03");
    pty.wait_for("shell$ ", before);
    let out = String::from_utf8_lossy(&pty.output[before..]).into_owned();
    for (seq, what) in RESTORED {
        assert!(
            out.contains(seq),
            "after quitting: {what} ({seq:?} missing)"
        );
    }
    pty.write(b"exit\r");
    let s = pty.finish();
    assert!(s.exited, "the shell ended");
}

/// The history file fills the disk (a file size limit, as a full disk or quota stops a write):
/// the app says the exchange was not saved, takes the cut record back out of the file, and the
/// next exchange is saved whole, also when scout quits right after it. Saving a body to a file
/// past the limit is said too, and leaves no part of the file.
#[test]
fn a_full_disk_during_a_history_append_or_a_save_is_said_and_leaves_whole_files() {
    let demo = Demo::start();
    // `ulimit -f` counts 512-byte blocks in sh: 400 KB, less than one 1 MB response's record.
    let script = format!(
        "ulimit -f 800; exec '{}' '{}'",
        env!("CARGO_BIN_EXE_scout"),
        demo.url("/json")
    );
    let Some(mut pty) = Pty::start("sh", &["-c", &script], &[]) else {
        return;
    };
    let history = pty.data.path().join("history.jsonl");
    pty.wait_for(FIRST_FRAME, 0);
    // A small record first, saved.
    pty.write(b"\r");
    pty.wait_for("History (1)", 0);
    // Written by the history's own thread, just after.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !std::fs::read(&history).is_ok_and(|b| b.ends_with(b"\n")) {
        assert!(
            Instant::now() < deadline,
            "the history file was never written"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let saved = std::fs::read(&history).unwrap();
    // Then 1 MB of JSON, its record too large. Ctrl+U clears the URL bar first.
    pty.write(format!("\x15{}\r", demo.url("/large/1")).as_bytes());
    pty.wait_for("History not saved", 0);
    pty.wait_for("File too large", 0);
    let after = std::fs::read(&history).unwrap();
    assert!(
        after == saved,
        "the cut record was taken back: {} bytes, {} before",
        after.len(),
        saved.len()
    );
    // Saving that body to a file fails the same way: said, and no part of it left behind.
    pty.write(b"\t");
    pty.wait_for("filter the body", 0);
    pty.write(b"s");
    pty.wait_for("Save body as", 0);
    pty.write(b"\r");
    pty.wait_for("Could not save to", 0);
    pty.wait_for("File too large", 0);
    let left: Vec<String> = std::fs::read_dir(pty.data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("json") && name != "history.jsonl")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // Back to the URL bar.
    let before = pty.output.len();
    pty.write(b"\x1b[Z");
    pty.wait_for(FIRST_FRAME, before);
    // Still working, and saving; quitting at once keeps the last exchange.
    let before = pty.output.len();
    pty.write(format!("\x15{}\r", demo.url("/xml")).as_bytes());
    pty.wait_for("History (3)", 0);
    pty.wait_for("<?xml", before);
    pty.write(b"\x03");
    let s = pty.finish();
    assert_restored(&s, "a full disk");
    let text = std::fs::read_to_string(s.data.path().join("history.jsonl")).unwrap();
    let urls: Vec<String> = text
        .lines()
        .map(|l| {
            let record: serde_json::Value =
                serde_json::from_str(l).expect("every line a whole record");
            record["request"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(urls, [demo.url("/json"), demo.url("/xml")]);
}
