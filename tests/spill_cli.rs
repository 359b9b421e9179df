//! `scout send` with a body beyond the memory cap (`[body] memory_cap` in the config file): the
//! body goes through a temporary file and is printed whole, byte for byte; the file is gone
//! afterwards; a write that fails (a file size limit standing in for a full disk) removes it and
//! says so.

mod support;
use std::path::Path;
use std::process::{Command, Stdio};

use support::cli::{Demo, scout_with};

/// A config file with a 1 MB cap, and a temporary folder of its own, under `root`.
fn setup(root: &Path) -> (String, String) {
    let config = root.join("config.toml");
    std::fs::write(&config, "[body]\nmemory_cap = \"1MB\"\n").unwrap();
    let tmp = root.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    (config.display().to_string(), tmp.display().to_string())
}

fn entries(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn a_body_past_the_cap_is_printed_whole_and_its_file_removed() {
    let demo = Demo::start();
    let root = tempfile::tempdir().unwrap();
    let (config, tmp) = setup(root.path());
    let env = [("SCOUT_CONFIG", config.as_str()), ("TMPDIR", tmp.as_str())];
    let ran = scout_with(Some(root.path()), &env, &["send", &demo.url("/large/8")]);
    ran.code(0).stderr_empty();
    let want = demo.fetch("/large/8");
    assert!(want.len() > 8_000_000);
    assert!(ran.stdout == want, "stdout is the body, byte for byte");
    assert_eq!(entries(&tmp), 0, "the temporary file is gone");
}

#[test]
fn a_filter_on_a_body_past_the_cap_says_it_is_too_large() {
    let demo = Demo::start();
    let root = tempfile::tempdir().unwrap();
    let (config, tmp) = setup(root.path());
    let env = [("SCOUT_CONFIG", config.as_str()), ("TMPDIR", tmp.as_str())];
    let ran = scout_with(
        Some(root.path()),
        &env,
        &["send", &demo.url("/large/8"), "--filter", "length"],
    );
    ran.code(1);
    assert!(ran.stderr.contains("too large to filter"), "{}", ran.stderr);
    assert!(ran.stderr.contains("8.0 MB"), "{}", ran.stderr);
    assert!(ran.stdout.is_empty());
}

#[test]
fn a_write_that_fails_removes_the_partial_file_and_says_why() {
    let demo = Demo::start();
    let root = tempfile::tempdir().unwrap();
    let (config, tmp) = setup(root.path());
    // At most 4 MB per file (in blocks of 512 or 1024 bytes, as the shell counts), and the
    // signal that would kill the process ignored, so that the write fails with EFBIG.
    let script = format!(
        "trap '' XFSZ; ulimit -f 4096 && exec '{}' send '{}'",
        env!("CARGO_BIN_EXE_scout"),
        demo.url("/large/8")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .env("SCOUT_CONFIG", &config)
        .env("TMPDIR", &tmp)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .current_dir(root.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the file size limit was reached"),
        "{stderr}"
    );
    assert!(stderr.contains("the partial file was removed"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(entries(&tmp), 0, "no partial file is left");
}

#[test]
fn an_interrupted_send_removes_its_file() {
    use std::io::{Read, Write};
    // A server on 127.0.0.1 that sends 2 MB of a 10 MB body, then stalls (for 30 s at most).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slow", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else {
            return;
        };
        let _ = socket.read(&mut [0u8; 4096]);
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 10485760\r\n\r\n";
        let _ = socket.write_all(head.as_bytes());
        let _ = socket.write_all(&vec![b'x'; 2 << 20]);
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    let root = tempfile::tempdir().unwrap();
    let (config, tmp) = setup(root.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_scout"))
        .args(["send", &url])
        .env("SCOUT_CONFIG", &config)
        .env("TMPDIR", &tmp)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .current_dir(root.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The body passed the cap: its file is there.
    let waited = std::time::Instant::now();
    while entries(&tmp) == 0 {
        assert!(
            waited.elapsed().as_secs() < 20,
            "the body never went to disk"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(entries(&tmp), 0, "the temporary file is gone");
}
