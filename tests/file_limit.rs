//! A write past the file-size limit (`ulimit -f`, as a full disk or a quota would stop it) is a
//! clear error: the process is not killed, and no partial file is left behind.

#![cfg(unix)]

mod support;
use support::cli::Demo;

#[test]
fn a_download_past_the_file_size_limit_fails_cleanly_and_leaves_nothing() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "ulimit -f 100; exec '{}' send -o big.bin '{}'",
        env!("CARGO_BIN_EXE_scout"),
        demo.url("/large/2")
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "not killed by SIGXFSZ: {stderr}"
    );
    assert!(stderr.contains("File too large"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
