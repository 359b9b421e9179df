//! The real binary in a pseudo-terminal: however the run ends (quitting, or SIGTERM, SIGINT or
//! SIGHUP sent to it), scout leaves the terminal as it found it: the alternate screen left,
//! mouse reports and bracketed paste off, the cursor shown, raw mode off.

#![cfg(unix)]

use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// What scout wrote to its terminal, and how it ended.
struct Session {
    output: Vec<u8>,
    exited: bool,
    /// `stty -a` of the terminal after the run: raw mode off says `icanon` and `echo`.
    modes: String,
}

/// Runs scout in a 100×30 pty until its first frame is drawn, does `end` to it, and collects
/// everything it wrote (for up to 10 s). `None` on a machine without pseudo-terminals.
fn run(end: impl FnOnce(u32, &mut dyn std::io::Write)) -> Option<Session> {
    let pty = native_pty_system();
    let size = PtySize {
        rows: 30,
        cols: 100,
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = match pty.openpty(size) {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("no pseudo-terminal here ({e}): not checked");
            return None;
        }
    };
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_scout"));
    cmd.env("SCOUT_DATA_DIR", data.path());
    cmd.env("SCOUT_CONFIG", data.path().join("none.toml"));
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(data.path());
    let mut child = pair.slave.spawn_command(cmd).expect("scout starts");
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut output = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    // The first frame is on screen once the footer's hint is.
    while !String::from_utf8_lossy(&output).contains("send the request") {
        assert!(Instant::now() < deadline, "no first frame");
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            output.extend(chunk);
        }
    }
    let pid = child.process_id().expect("a pid");
    end(pid, &mut writer);
    let mut exited = false;
    while Instant::now() < deadline {
        while let Ok(chunk) = rx.try_recv() {
            output.extend(chunk);
        }
        if child.try_wait().ok().flatten().is_some() {
            exited = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
        output.extend(chunk);
    }
    if !exited {
        let _ = child.kill();
    }
    // The terminal's modes now, read through the pty's other end.
    let tty = pair
        .master
        .tty_name()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let modes = std::process::Command::new("stty")
        .arg("-a")
        .arg("-F")
        .arg(&tty)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    Some(Session {
        output,
        exited,
        modes,
    })
}

fn signal(pid: u32, sig: libc::c_int) {
    // SAFETY: sending a signal to the child this test started.
    unsafe {
        libc::kill(pid as libc::pid_t, sig);
    }
}

/// The terminal was given back: after the last time scout entered the alternate screen, it left
/// it and switched off what it had switched on.
fn assert_restored(s: &Session, how: &str) {
    assert!(s.exited, "{how}: scout did not end");
    let out = String::from_utf8_lossy(&s.output);
    let entered = out
        .rfind("\x1b[?1049h")
        .expect("it entered the alternate screen");
    let after = &out[entered..];
    for (seq, what) in [
        ("\x1b[?1049l", "the alternate screen left"),
        ("\x1b[?2004l", "bracketed paste off"),
        ("\x1b[?1000l", "mouse reports off"),
        ("\x1b[?25h", "the cursor shown"),
    ] {
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
    if let Some(s) = run(|_, w| {
        w.write_all(b"\x03").unwrap();
    }) {
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
