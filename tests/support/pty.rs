//! A program in a pseudo-terminal, driven by the tests as a person would: keys written, the
//! screen read back with `vt100`, everything it wrote kept (the terminal's scrollback).

#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

/// The footer's hint in the URL bar: the first frame is on screen.
pub const FIRST_FRAME: &str = "send the request";

/// A program running in a 100×30 pty, its output collected and its screen read with `vt100`.
pub struct Pty {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub rx: mpsc::Receiver<Vec<u8>>,
    pub output: Vec<u8>,
    pub screen: vt100::Parser,
    /// Where scout's data and config live for the run.
    pub data: tempfile::TempDir,
}

/// What scout wrote to its terminal, and how it ended.
pub struct Session {
    pub output: Vec<u8>,
    pub exited: bool,
    /// `stty -a` of the terminal after the run: raw mode off says `icanon` and `echo`.
    pub modes: String,
    /// scout's data folder, kept until the session is dropped.
    pub data: tempfile::TempDir,
}

impl Pty {
    /// Starts `program` with `args` (scout's data in a fresh folder, `env` set); `None` on a
    /// machine without pseudo-terminals.
    pub fn start(program: &str, args: &[&str], env: &[(&str, &str)]) -> Option<Pty> {
        Pty::start_in(tempfile::tempdir().unwrap(), program, args, env)
    }

    /// [`Pty::start`] in `data`, a folder the test prepared (and reads afterwards).
    pub fn start_in(
        data: tempfile::TempDir,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Option<Pty> {
        let size = PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = match native_pty_system().openpty(size) {
            Ok(pair) => pair,
            Err(e) => {
                eprintln!("no pseudo-terminal here ({e}): not checked");
                return None;
            }
        };
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("SCOUT_DATA_DIR", data.path());
        cmd.env("SCOUT_CONFIG", data.path().join("none.toml"));
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(data.path());
        let child = pair.slave.spawn_command(cmd).expect("the program starts");
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Some(Pty {
            child,
            master: pair.master,
            writer,
            rx,
            output: Vec::new(),
            screen: vt100::Parser::new(ROWS, COLS, 0),
            data,
        })
    }

    /// scout itself, on the demo API.
    pub fn scout(env: &[(&str, &str)]) -> Option<Pty> {
        Pty::start(env!("CARGO_BIN_EXE_scout"), &[], env)
    }

    pub fn take(&mut self, chunk: Vec<u8>) {
        self.screen.process(&chunk);
        self.output.extend(chunk);
    }

    /// Waits up to 10 s until the output after byte `from` holds `needle` (raw bytes, as the
    /// shell's own lines come) or the screen shows it; panics with the screen if it never does.
    pub fn wait_for(&mut self, needle: &str, from: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let raw = String::from_utf8_lossy(&self.output[from.min(self.output.len())..])
                .contains(needle);
            if raw || self.screen.screen().contents().contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "`{needle}` never came; the screen:\n{}",
                self.screen.screen().contents()
            );
            if let Ok(chunk) = self.rx.recv_timeout(Duration::from_millis(50)) {
                self.take(chunk);
            }
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Waits up to 10 s for the program to end, then reads the terminal's modes.
    pub fn finish(mut self) -> Session {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut exited = false;
        while Instant::now() < deadline {
            while let Ok(chunk) = self.rx.try_recv() {
                self.take(chunk);
            }
            if self.child.try_wait().ok().flatten().is_some() {
                exited = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        while let Ok(chunk) = self.rx.recv_timeout(Duration::from_millis(200)) {
            self.take(chunk);
        }
        if !exited {
            let _ = self.child.kill();
        }
        // The terminal's modes now, read through the pty's other end.
        let tty = self
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
        Session {
            output: self.output,
            exited,
            modes,
            data: self.data,
        }
    }
}

impl Pty {
    /// Resizes the terminal (the program gets SIGWINCH) and the screen read back.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        self.master.resize(size).expect("the pty resizes");
        self.screen.screen_mut().set_size(rows, cols);
    }

    /// Waits up to 10 s until the screen no longer shows `needle`.
    pub fn wait_gone(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.screen.screen().contents().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "`{needle}` never went; the screen:\n{}",
                self.screen.screen().contents()
            );
            if let Ok(chunk) = self.rx.recv_timeout(Duration::from_millis(50)) {
                self.take(chunk);
            }
        }
    }
}
