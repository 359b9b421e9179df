//! `scout completions SHELL` and `scout man`: generated from the command line's own definition.

mod support;
use std::io::Write;
use std::process::{Command, Stdio};

use support::cli::scout;

#[test]
fn every_shell_gets_a_script_that_knows_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let ran = scout(&["completions", shell]);
        ran.code(0).stderr_empty();
        let script = ran.stdout_text();
        for word in ["send", "run", "import", "check-status"] {
            assert!(script.contains(word), "{shell}: no `{word}`");
        }
    }
    scout(&["completions", "nosh"])
        .code(2)
        .stderr_has(&["possible values: bash"]);
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = scout(&["completions", "bash"]).stdout;
    let Ok(mut bash) = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return; // No bash here to check it with.
    };
    bash.stdin.take().unwrap().write_all(&script).unwrap();
    let out = bash.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_manual_page_is_roff_with_the_options_and_subcommands() {
    let ran = scout(&["man"]);
    ran.code(0).stderr_empty();
    let page = ran.stdout_text();
    assert!(page.contains(".TH scout 1"), "{page}");
    for section in [".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section}");
    }
    assert!(page.contains("\\-\\-no\\-demo"), "{page}");
}
