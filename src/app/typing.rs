//! What the editor's text fields do beyond typing: copy, cut and paste (through the clipboard
//! and scout's own register), editing the body or the URL in `$VISUAL` / `$EDITOR`, and
//! formatting a JSON body.

use crate::app::editor::{EditorTab, Section};
use crate::app::keymap::{Action, Scope};
use crate::app::text::{NO_UNDO, TextInput};
use crate::app::{App, Effect, Notice, Pane};
use crate::highlight::{StreamPrinter, json_issue};
use crate::model::BodyKind;

/// Which field an external editor edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalField {
    Url,
    Body,
}

impl ExternalField {
    /// The file name's extension, so the editor highlights what it opens.
    pub fn extension(self, json: bool) -> &'static str {
        match self {
            ExternalField::Url => "txt",
            ExternalField::Body if json => "json",
            ExternalField::Body => "txt",
        }
    }
}

/// Whether `key` copies a selection rather than quitting (Ctrl+C is both: it copies when a text
/// field has something selected).
pub fn copies_selection(app: &App, key: &ratatui::crossterm::event::KeyEvent) -> bool {
    app.overlay.is_none()
        && app.focus == Pane::Editor
        && app
            .editor
            .active_input()
            .is_some_and(|i| i.selection().is_some())
        && app.keymap.lookup(&[Scope::Text], key) == Some(Action::CopyText)
}

/// A text field's action (the `text`, `url` and `body_text` scopes).
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::CopyText | Action::CutText => {
            let cut = action == Action::CutText;
            let Some(input) = app.editor.active_input_mut() else {
                return Vec::new();
            };
            let text = if cut { input.cut() } else { input.selected() };
            let Some(text) = text else {
                app.notice = Some(Notice::Info("Select text first (Shift+arrows)".into()));
                return Vec::new();
            };
            if cut {
                app.editor.input_changed();
            }
            app.register = text.clone();
            // What a field holds may be a secret (a header's token): never put in a file.
            vec![Effect::Copy {
                text,
                what: "selection".into(),
                secret: true,
            }]
        }
        Action::PasteText => {
            if app.register.is_empty() {
                app.notice = Some(Notice::Info(
                    "Nothing copied in scout yet; the terminal's paste (often Ctrl+Shift+V) works \
                     too"
                    .into(),
                ));
            } else {
                let text = app.register.clone();
                app.editor.paste(&text);
            }
            Vec::new()
        }
        Action::EditExternally => edit_externally(app),
        Action::FormatJson => {
            format_json(app);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn edit_externally(app: &mut App) -> Vec<Effect> {
    let e = &app.editor;
    let (field, text) = match e.section {
        Section::Url => (ExternalField::Url, e.url.text()),
        Section::Content if e.tab == EditorTab::Body && e.body_editing => {
            (ExternalField::Body, e.body.text())
        }
        _ => return Vec::new(),
    };
    let json = e.body_kind == BodyKind::Json;
    vec![Effect::EditExternally {
        field,
        text,
        extension: field.extension(json),
    }]
}

/// The external editor closed: its text replaces the field's (a step Ctrl+Z takes back). A JSON
/// body that does not parse is kept as written, and the message says where it stops.
pub fn edited_externally(app: &mut App, field: ExternalField, result: Result<String, String>) {
    let text = match result {
        Ok(text) => text,
        Err(why) => {
            app.notice = Some(Notice::Error(format!(
                "The external editor did not run: {why}. Nothing changed."
            )));
            return;
        }
    };
    let e = &mut app.editor;
    match field {
        ExternalField::Url => {
            // One line: an editor's final newline (and any others) are not the URL's.
            let url: String = text.lines().map(str::trim).collect();
            app.notice = Some(Notice::Info(if e.url.set_text(&url) {
                e.url_changed();
                format!("URL edited ({})", undo_note(&e.url))
            } else {
                "URL unchanged".into()
            }));
        }
        ExternalField::Body => {
            let body = text.strip_suffix('\n').unwrap_or(&text);
            let changed = e.body.set_text(body);
            if changed {
                e.body_changed();
            }
            // Said in the notice below: checked now, whatever the body's size.
            if e.json_check.pending() {
                e.check_json_now();
            }
            let undo = undo_note(&e.body);
            app.notice = Some(match (&e.json_issue, changed) {
                (Some(issue), true) => Notice::Error(format!(
                    "The body is not valid JSON at line {}, column {}: {}. It is kept as you \
                     wrote it ({undo}).",
                    issue.line, issue.column, issue.message
                )),
                (Some(issue), false) => Notice::Error(format!(
                    "Body unchanged; it is not valid JSON at line {}, column {}: {}",
                    issue.line, issue.column, issue.message
                )),
                (None, true) => Notice::Info(format!("Body edited ({undo})")),
                (None, false) => Notice::Info("Body unchanged".into()),
            });
        }
    }
}

/// Ctrl+F in the body: pretty-prints it as JSON (two spaces, keys in their order, numbers and
/// strings exactly as written), or says where it stops being JSON.
fn format_json(app: &mut App) {
    let e = &mut app.editor;
    // A form, multipart or file body is read line by line (a part, a field, a path): JSON
    // spread over lines there would be other parts.
    if !matches!(e.body_kind, BodyKind::Json | BodyKind::Text) {
        app.notice = Some(Notice::Info(format!(
            "Ctrl+F formats a JSON body; this one is {}, left as it is",
            e.body_kind.label()
        )));
        return;
    }
    let text = e.body.text();
    if text.trim().is_empty() {
        app.notice = Some(Notice::Info("The body is empty: nothing to format".into()));
        return;
    }
    if let Some(issue) = json_issue(&text) {
        app.notice = Some(Notice::Error(format!(
            "Not formatted: the body is not valid JSON at line {}, column {}: {}",
            issue.line, issue.column, issue.message
        )));
        return;
    }
    let mut printer = StreamPrinter::new();
    let mut out = Vec::with_capacity(text.len() * 2);
    let printed = printer
        .feed(text.as_bytes(), &mut out)
        .and_then(|()| printer.finish(&mut out));
    if let Err(why) = printed {
        app.notice = Some(Notice::Error(format!("Not formatted: {why}")));
        return;
    }
    let pretty = String::from_utf8_lossy(&out);
    let pretty = pretty.trim_end_matches('\n');
    if pretty == text {
        app.notice = Some(Notice::Info("The JSON body is already formatted".into()));
        return;
    }
    e.body.set_text(pretty);
    e.body_changed();
    app.notice = Some(Notice::Info(format!(
        "JSON formatted ({})",
        undo_note(&e.body)
    )));
}

/// What a notice after replacing a field's whole text says about taking it back: Ctrl+Z, or
/// why there is nothing to undo (the text was too large to keep a step).
fn undo_note(input: &TextInput) -> String {
    if input.can_undo() {
        "Ctrl+Z undoes".into()
    } else {
        format!("Ctrl+Z cannot take it back: {NO_UNDO}")
    }
}
