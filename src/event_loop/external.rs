//! The terminal handed to something else, by the event loop (which owns it): the user's own
//! editor, or the shell (Ctrl+Z).
//!
//! Editing a field in the user's own editor (`$VISUAL`, then `$EDITOR`, then `vi`): the text
//! goes to a private temporary file, the terminal is handed over while the editor runs, and the
//! file's text comes back. scout's file is removed afterwards, whatever happened; the editor's
//! own swap or backup files are the editor's settings. While it runs, scout waits for it (a
//! SIGTERM then ends scout once the editor exits).
//!
//! Suspending: the terminal is given back and scout's process group stops, as Ctrl+Z does in a
//! shell; `fg` continues it, and the whole frame is drawn again. Time spent stopped counts
//! toward a request's timeouts.

use std::io::{IsTerminal, Write};
use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::app::typing::ExternalField;

/// What the event loop is asked to hand the terminal over for.
#[derive(Debug)]
pub enum Handover {
    Edit(ExternalEdit),
    Suspend,
}

/// An edit asked for, waiting for the event loop (which owns the terminal) to run it.
#[derive(Debug)]
pub struct ExternalEdit {
    pub field: ExternalField,
    pub text: String,
    pub extension: &'static str,
}

/// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi`. May hold arguments
/// (`code --wait`).
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Writes `text` to a private temporary file, runs `command` on it (through the shell, so an
/// editor with arguments works) and reads it back. Fails, saying why, when the editor cannot be
/// started or exits with an error (the edit is then not taken: `:cq` in vim abandons it).
pub fn edit(text: &str, extension: &str, command: &str) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .prefix("scout-edit-")
        .suffix(&format!(".{extension}"))
        .tempfile()
        .map_err(|e| format!("could not create a temporary file: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("could not write the temporary file: {e}"))?;
    let path = file.path().to_path_buf();
    let status = shell(command, &path)
        .status()
        .map_err(|e| format!("`{command}` could not be started: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`{command}` exited with {status}; the edit was not taken"
        ));
    }
    // Editors often replace the file rather than write into it: read it by its name.
    std::fs::read_to_string(&path).map_err(|e| format!("could not read the edited file: {e}"))
}

#[cfg(unix)]
fn shell(command: &str, path: &std::path::Path) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("sh")
        .arg(path);
    c
}

#[cfg(not(unix))]
fn shell(command: &str, path: &std::path::Path) -> Command {
    let mut words = command.split_whitespace();
    let mut c = Command::new(words.next().unwrap_or_default());
    c.args(words).arg(path);
    c
}

/// Stops scout's process group with SIGTSTP, as Ctrl+Z does in a shell (one with job control
/// says "Stopped", and `fg` continues it; the rest of a pipeline stops too). Where no shell could
/// continue it (an orphaned process group) the system ignores the signal and this returns at
/// once. Without a terminal (tests), or off Unix, it does nothing.
pub fn stop_until_continued() {
    #[cfg(unix)]
    if std::io::stdout().is_terminal() {
        // SAFETY: kill only sends a signal, to this process's own group; SIGTSTP has its
        // default action (stop).
        unsafe {
            libc::kill(0, libc::SIGTSTP);
        }
    }
}

/// Runs `work` with the terminal given back to the shell's state (no raw mode, the main screen,
/// no mouse reports), then takes it again and redraws everything. Without a terminal (tests),
/// only runs `work`.
pub fn handed_over<B, R>(terminal: &mut Terminal<B>, work: impl FnOnce() -> R) -> R
where
    B: Backend,
{
    if !std::io::stdout().is_terminal() {
        return work();
    }
    super::terminal::restore();
    let result = work();
    let _ = super::terminal::take_over();
    // Everything drawn again. (`Terminal::clear` would ask the terminal where its cursor is
    // first, and do nothing when no answer comes.)
    if let Ok(size) = terminal.size() {
        let _ = terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake editor: a script that rewrites the file it is given.
    fn script(dir: &std::path::Path, body: &str) -> String {
        let path = dir.join("fake-editor");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path.display().to_string()
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_edits_a_private_file_that_is_gone_afterwards() {
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        // It records the file's name and mode, checks the text arrived, and rewrites it.
        let editor = script(
            dir.path(),
            &format!(
                "echo \"$1\" > {seen}; stat -c %a \"$1\" >> {seen}; grep -q '\"a\": 1' \"$1\" || \
                 exit 9; printf '{{\"a\": 2}}\\n' > \"$1\"",
                seen = seen.display()
            ),
        );
        let back = edit("{\"a\": 1}", "json", &editor).unwrap();
        assert_eq!(back, "{\"a\": 2}\n");
        let seen = std::fs::read_to_string(&seen).unwrap();
        let mut lines = seen.lines();
        let file = lines.next().unwrap();
        assert!(file.ends_with(".json"), "{file}");
        assert_eq!(lines.next(), Some("600"), "only the user may read it");
        assert!(!std::path::Path::new(file).exists(), "removed after");
    }

    #[cfg(unix)]
    #[test]
    fn an_editor_that_fails_or_is_missing_changes_nothing_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let quits = script(dir.path(), "exit 1");
        let why = edit("x", "txt", &quits).unwrap_err();
        assert!(why.contains("the edit was not taken"), "{why}");
        let why = edit("x", "txt", "/no/such/editor").unwrap_err();
        assert!(why.contains("exited with"), "{why}");
    }
}
