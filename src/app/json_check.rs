//! The body editor's JSON check: "✓ valid JSON", or the line and column where it breaks. A body
//! up to [`AS_YOU_TYPE`] bytes is checked on each key, on the UI thread, in well under a
//! millisecond. A larger one is checked off it (an 11 MB body took 18 ms a key there), one check
//! at a time: keys typed while a check runs ask for one more when it is back, so a held key never
//! queues a check per key.

use crate::app::{App, Effect};
use crate::highlight::JsonIssue;

/// Bodies up to this many bytes are checked as they are typed.
pub const AS_YOU_TYPE: usize = 256 << 10;

/// Where the check of a large body stands (`Editor::json_issue` holds its outcome once done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum JsonCheck {
    /// `json_issue` is the body's as it stands.
    #[default]
    Done,
    /// The body changed: a check is to start.
    Wanted,
    /// Check `ticket` runs on the body as it stood; `again`: the body changed since.
    Running { ticket: u64, again: bool },
    /// The check failed (a bug in scout, said on the message line): nothing is known.
    Failed(String),
}

impl JsonCheck {
    /// The state after a large JSON body changed.
    pub fn changed(&self) -> JsonCheck {
        match self {
            JsonCheck::Running { ticket, .. } => JsonCheck::Running {
                ticket: *ticket,
                again: true,
            },
            _ => JsonCheck::Wanted,
        }
    }

    /// Whether a check is yet to tell.
    pub fn pending(&self) -> bool {
        matches!(self, JsonCheck::Wanted | JsonCheck::Running { .. })
    }
}

/// After each message: starts the check a changed large body wants.
pub fn start_wanted(app: &mut App) -> Option<Effect> {
    if app.editor.json_check != JsonCheck::Wanted {
        return None;
    }
    app.json_tickets += 1;
    let ticket = app.json_tickets;
    app.editor.json_check = JsonCheck::Running {
        ticket,
        again: false,
    };
    Some(Effect::CheckJson {
        ticket,
        text: app.editor.body.text(),
    })
}

/// Check `ticket` came back: where the body breaks (`None`: valid), or why it could not tell.
/// Kept only while the editor waits for that very check: another request may be in the editor
/// by now, and a body changed since wants a check of its own.
pub fn checked(app: &mut App, ticket: u64, result: Result<Option<JsonIssue>, String>) {
    let e = &mut app.editor;
    let JsonCheck::Running {
        ticket: waited,
        again,
    } = e.json_check
    else {
        return;
    };
    if waited != ticket {
        return;
    }
    if again {
        e.json_check = JsonCheck::Wanted;
        return;
    }
    match result {
        Ok(issue) => {
            e.json_issue = issue;
            e.json_check = JsonCheck::Done;
        }
        Err(why) => e.json_check = JsonCheck::Failed(why),
    }
}

#[cfg(test)]
#[path = "json_check_tests.rs"]
mod tests;
