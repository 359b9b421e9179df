//! Putting text on the clipboard: the terminal's, with an OSC 52 sequence (works over SSH, and in
//! tmux with `set -g set-clipboard on`), and the system's through the tool the desktop has
//! (`wl-copy`, `xclip`, `xsel`, `pbcopy`, `clip.exe`). Neither can be confirmed for OSC 52, so
//! the message says what was tried. When neither applies, the text goes to a file (never a
//! secret one).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine;

/// Terminals cap OSC 52 payloads (xterm at ~100 KB of base64); longer text is not sent that way.
const OSC52_MAX: usize = 100_000;

/// The OSC 52 sequence that sets the clipboard to `text`, or None when it is too long.
pub fn osc52(text: &str) -> Option<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    (b64.len() <= OSC52_MAX).then(|| format!("\x1b]52;c;{b64}\x07"))
}

/// Sends OSC 52 to the terminal (when stdout is one); whether it was sent.
pub fn to_terminal(text: &str) -> bool {
    let mut out = std::io::stdout();
    if !out.is_terminal() {
        return false;
    }
    let Some(seq) = osc52(text) else {
        return false;
    };
    out.write_all(seq.as_bytes())
        .and_then(|()| out.flush())
        .is_ok()
}

/// The system clipboard tools to try, for this desktop.
fn tools() -> Vec<(&'static str, &'static [&'static str])> {
    let mut tools: Vec<(&'static str, &'static [&'static str])> = Vec::new();
    let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if cfg!(target_os = "macos") {
        tools.push(("pbcopy", &[]));
    }
    if has("WAYLAND_DISPLAY") {
        tools.push(("wl-copy", &[]));
    }
    if has("DISPLAY") {
        tools.push(("xclip", &["-selection", "clipboard"]));
        tools.push(("xsel", &["--clipboard", "--input"]));
    }
    if has("WSL_DISTRO_NAME") || cfg!(windows) {
        tools.push(("clip.exe", &[]));
    }
    tools
}

/// Pipes `text` to the first system clipboard tool that works; its name.
pub fn to_system(text: &str) -> Option<&'static str> {
    for (tool, args) in tools() {
        let child = Command::new(tool)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            continue;
        };
        let written = child
            .stdin
            .take()
            .is_some_and(|mut stdin| stdin.write_all(text.as_bytes()).is_ok());
        if written && child.wait().is_ok_and(|s| s.success()) {
            return Some(tool);
        }
    }
    None
}

/// The last resort: a file in the temporary folder, readable by the user only.
pub fn to_file(text: &str) -> std::io::Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("scout-copy-{}.txt", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&path)?.write_all(text.as_bytes())?;
    Ok(path)
}

/// Copies `text` every way that applies; what the notice says (`the terminal (OSC 52) and
/// wl-copy`), or why nothing worked.
pub fn copy(text: &str, terminal: bool, secret: bool) -> Result<String, String> {
    let system = to_system(text);
    let mut ways = Vec::new();
    if terminal {
        ways.push(if std::env::var_os("TMUX").is_some() {
            "the terminal (OSC 52; tmux: set-clipboard on)".to_string()
        } else {
            "the terminal (OSC 52)".to_string()
        });
    }
    if let Some(tool) = system {
        ways.push(tool.to_string());
    }
    if !ways.is_empty() {
        return Ok(ways.join(" and "));
    }
    if secret {
        return Err(
            "no clipboard reached (too long for OSC 52, no system clipboard tool); with secrets \
             revealed it is not written to a file"
                .into(),
        );
    }
    to_file(text)
        .map(|p| format!("{} (no clipboard reached)", p.display()))
        .map_err(|e| format!("no clipboard reached, and the file could not be written: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64_and_refuses_what_terminals_would_cut() {
        assert_eq!(osc52("hi").as_deref(), Some("\x1b]52;c;aGk=\x07"));
        assert!(osc52(&"x".repeat(80_000)).is_none());
    }
}
