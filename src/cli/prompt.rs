//! Asking for a prompt's answer on the terminal, headless: the question on stderr, the answer
//! typed blind (nothing echoed), as `ssh` and `sudo` ask for passwords.

use std::io::{self, IsTerminal, Write};

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::terminal;

/// The answer to prompt `key`, typed on the terminal; `None` when there is no terminal to ask
/// on (stdin or stderr is not one) or the user gave up (Esc, Ctrl+C, Ctrl+D).
pub fn ask(key: &str) -> io::Result<Option<String>> {
    if !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        return Ok(None);
    }
    let mut err = io::stderr();
    write!(
        err,
        "scout: value for {key} (hidden, kept in memory only): "
    )?;
    err.flush()?;
    terminal::enable_raw_mode()?;
    let answer = read_hidden();
    terminal::disable_raw_mode()?;
    writeln!(err)?;
    answer
}

fn read_hidden() -> io::Result<Option<String>> {
    let mut text = String::new();
    loop {
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return Ok(Some(text)),
            KeyCode::Esc => return Ok(None),
            KeyCode::Char('c' | 'd') if ctrl => return Ok(None),
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !ctrl => text.push(c),
            _ => {}
        }
    }
}
