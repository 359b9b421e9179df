//! Things drawn over the panes: the help (F1, `?`), the config's problems, prompts, questions
//! and pickers.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::app::files::{self, FilePicker, Row};
use crate::app::hits::{HitMap, List};
use crate::app::keymap::{Action, Scope};
use crate::app::{App, ConfirmPurpose, Overlay, PromptPurpose};
use crate::model::human_size;
use crate::ui::text::{self, field, pad, slice};

pub fn draw(frame: &mut Frame, app: &App, hits: &mut HitMap) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help {
            scroll,
            search,
            typing,
        }) => draw_help(frame, app, *scroll, search, *typing, hits),
        Some(Overlay::SavePath { input, .. }) => {
            let area = centered(frame.area(), 70, 5);
            let inner = boxed(frame, app, area, "Save body as");
            let (shown, cx) = field(&input.text(), input.cursor().1, inner.width as usize);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(shown, Style::default().fg(app.theme.text)),
                    Line::default(),
                    Line::styled(
                        format!("in {} · Enter saves · Esc cancels", app.work_dir.display()),
                        Style::default().fg(app.theme.muted),
                    ),
                ]),
                inner,
            );
            frame.set_cursor_position(Position::new(inner.x + cx, inner.y));
        }
        Some(Overlay::Prompt { purpose, input }) => {
            let (title, hint) = match purpose {
                PromptPurpose::SaveAs { file, folder } => (
                    "Save as a new request".to_string(),
                    format!("name · into {}", where_to(app, *file, folder.as_deref())),
                ),
                PromptPurpose::New { file, folder } => (
                    "New request".to_string(),
                    format!("name · into {}", where_to(app, *file, folder.as_deref())),
                ),
                PromptPurpose::Rename { id, .. } => {
                    (format!("Rename {id}"), "display name".to_string())
                }
                PromptPurpose::Move { id, .. } => (
                    format!("Move {id} to folder"),
                    "folder, nested with / (empty: the top level)".to_string(),
                ),
                PromptPurpose::Secret { key, .. } => (
                    format!("Value for {key}"),
                    "asked once per run, kept in memory only, never saved".to_string(),
                ),
                PromptPurpose::Method => (
                    "Method".to_string(),
                    "any method name, as the server expects it (PURGE, QUERY, PROPFIND)"
                        .to_string(),
                ),
            };
            // A secret is typed blind: one dot per character.
            let shown = match purpose {
                PromptPurpose::Secret { .. } => "•".repeat(input.text().chars().count()),
                _ => input.text(),
            };
            let enter = match purpose {
                PromptPurpose::Secret { .. } => "Enter answers",
                PromptPurpose::Method => "Enter sets it",
                _ => "Enter saves",
            };
            let area = centered(frame.area(), 70, 7);
            let inner = boxed(frame, app, area, &title);
            let (shown, cx) = field(&shown, input.cursor().1, inner.width as usize);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(shown, Style::default().fg(app.theme.text)),
                    Line::default(),
                    Line::styled(hint, Style::default().fg(app.theme.muted)),
                    Line::styled(
                        format!("{enter} · Esc cancels"),
                        Style::default().fg(app.theme.muted),
                    ),
                ])
                .wrap(Wrap { trim: false }),
                inner,
            );
            frame.set_cursor_position(Position::new(inner.x + cx, inner.y));
        }
        Some(Overlay::Confirm { purpose }) => {
            let question = match purpose {
                ConfirmPurpose::QuitUnsaved => "The request in the editor has unsaved edits. Quit anyway?".to_string(),
                ConfirmPurpose::DiscardAndOpen { .. } => {
                    "The request in the editor has unsaved edits. Discard them and open the other one?".to_string()
                }
                ConfirmPurpose::DiscardAndRestore { .. } => {
                    "The request in the editor has unsaved edits. Discard them and load the history entry?".to_string()
                }
                ConfirmPurpose::Delete { path, id } => {
                    format!("Delete {id} from {}? This rewrites the file.", path.display())
                }
                ConfirmPurpose::TryIt { from, index } => {
                    crate::app::try_it::question(app, *from, *index)
                }
                ConfirmPurpose::PasteCurl(curl) => crate::app::paste_curl::question(app, curl),
            };
            // Tall enough for the question as it wraps, so the y/n line always shows.
            let width = 70.min(frame.area().width);
            let question = text::wrap(&question, width.saturating_sub(2) as usize);
            let area = centered(frame.area(), 70, question.len() as u16 + 4);
            let inner = boxed(frame, app, area, "Are you sure?");
            let mut lines: Vec<Line> = question
                .into_iter()
                .map(|l| Line::styled(l, Style::default().fg(app.theme.warning)))
                .collect();
            lines.push(Line::default());
            lines.push(Line::styled(
                if purpose.is_about_unsaved_edits() {
                    format!(
                        "y = yes, n or Esc = no, {} = save them instead",
                        app.keymap.key(Scope::Typing, Action::Save)
                    )
                } else {
                    "y = yes, n or Esc = no".to_string()
                },
                Style::default().fg(app.theme.text),
            ));
            frame.render_widget(
                Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
                inner,
            );
        }
        Some(Overlay::Conflict { path, id }) => {
            let area = centered(frame.area(), 76, 7);
            let inner = boxed(frame, app, area, "Changed on disk");
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(
                        format!("{} changed while you were editing {id}.", path.display()),
                        Style::default().fg(app.theme.warning),
                    ),
                    Line::default(),
                    Line::styled(
                        format!(
                            "k = keep my edits ({} will write them over the file's version)",
                            app.keymap.key(Scope::Typing, Action::Save)
                        ),
                        Style::default().fg(app.theme.text),
                    ),
                    Line::styled(
                        "t = take the file's version (my edits are dropped)",
                        Style::default().fg(app.theme.text),
                    ),
                ])
                .wrap(ratatui::widgets::Wrap { trim: false }),
                inner,
            );
        }
        Some(Overlay::Copy { list, reveal }) => {
            use crate::app::copy::CopyItem;
            let items = CopyItem::offered(app);
            let area = centered(frame.area(), 64, items.len() as u16 + 5);
            let inner = boxed(frame, app, area, "Copy");
            let mut lines: Vec<Line> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let style = if i == list.selected {
                        Style::default()
                            .fg(app.theme.border_focused)
                            .add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default().fg(app.theme.text)
                    };
                    let marker = if i == list.selected { '>' } else { ' ' };
                    Line::styled(format!("{marker}{} {} ", item.key(), item.label()), style)
                })
                .collect();
            let muted = Style::default().fg(app.theme.muted);
            lines.push(Line::default());
            lines.push(Line::styled(
                if *reveal {
                    "Secrets: revealed, as last sent (R: as {{references}})"
                } else {
                    "Secrets: as {{references}} (R: reveal, as last sent)"
                },
                if *reveal {
                    Style::default().fg(app.theme.warning)
                } else {
                    muted
                },
            ));
            lines.push(Line::styled(
                "Enter or an item's key copies · Esc closes",
                muted,
            ));
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(Overlay::Environments { file, list }) => {
            let Some(c) = app.tree.collection(*file) else {
                return;
            };
            let names: Vec<String> = std::iter::once("(none: [vars] only)".to_string())
                .chain(c.environments.iter().map(|e| e.name.clone()))
                .collect();
            let captured: Vec<(&String, &crate::template::RunValue)> =
                app.captured.get(&c.path).into_iter().flatten().collect();
            let extra = if captured.is_empty() {
                0
            } else {
                captured.len() as u16 + 2
            };
            let area = centered(frame.area(), 60, names.len() as u16 + 4 + extra);
            let inner = boxed(frame, app, area, &format!("Environment of {}", c.name));
            let mut lines: Vec<Line> = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let style = if i == list.selected {
                        Style::default()
                            .fg(app.theme.border_focused)
                            .add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default().fg(app.theme.text)
                    };
                    Line::styled(format!(" {n} "), style)
                })
                .collect();
            let muted = Style::default().fg(app.theme.muted);
            if !captured.is_empty() {
                lines.push(Line::default());
                lines.push(Line::styled(
                    "Captured this session (used before any environment):",
                    muted,
                ));
                for (name, v) in &captured {
                    let value = if v.secret && !app.reveal {
                        crate::model::REDACTED.to_string()
                    } else {
                        v.value.clone()
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {name} = "), Style::default().fg(app.theme.text)),
                        Span::styled(value, Style::default().fg(app.theme.accent)),
                        Span::styled(format!("  ({})", v.from), muted),
                    ]));
                }
            }
            lines.push(Line::default());
            lines.push(Line::styled(
                if captured.is_empty() {
                    "↑/↓ choose · Enter use · Esc cancel"
                } else {
                    "↑/↓ choose · Enter use · x forget captured · Esc cancel"
                },
                muted,
            ));
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(Overlay::FilePicker(picker)) => draw_file_picker(frame, app, picker, hits),
        Some(Overlay::Palette(palette)) => crate::ui::palette::draw(frame, app, palette, hits),
        Some(Overlay::Problems {
            title,
            lines,
            scroll,
        }) => draw_problems(frame, app, title, lines, *scroll, hits),
        Some(Overlay::ConfirmOverwrite { path, .. }) => {
            let area = centered(frame.area(), 70, 4);
            let inner = boxed(frame, app, area, "File exists");
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(
                        format!("{} already exists.", path.display()),
                        Style::default().fg(app.theme.warning),
                    ),
                    Line::styled(
                        "Overwrite it? y = overwrite, n or Esc = keep it",
                        Style::default().fg(app.theme.text),
                    ),
                ]),
                inner,
            );
        }
    }
}

/// "Demo API › items", or the new file a save would create.
fn where_to(app: &App, file: usize, folder: Option<&str>) -> String {
    let name = match app.tree.collection(file) {
        Some(c) if !app.tree.files[file].builtin => c.name.clone(),
        _ => format!("a new {}", crate::app::saving::NEW_COLLECTION_FILE),
    };
    match folder {
        Some(f) => format!("{name} › {f}"),
        None => name,
    }
}

fn scope_title(scope: Scope) -> &'static str {
    match scope {
        Scope::Global => "Anywhere (when not typing)",
        Scope::Typing => "Always, even while typing",
        Scope::Url => "URL bar",
        Scope::Method => "Method selector",
        Scope::Cell => "Editing a query or header cell",
        Scope::BodyText => "Editing the body",
        Scope::Text => "Text fields (the URL, a cell, the body)",
        Scope::Editor => "Request editor",
        Scope::Table => "Query and Headers tables",
        Scope::Auth => "Auth tab",
        Scope::Body => "Response body",
        Scope::Fold => "Response body, after z",
        Scope::Response => "Response",
        Scope::History => "History",
        Scope::Runner => "Runner (a run's steps)",
        Scope::Collections => "Collections tree",
    }
}

/// Where a scope's keys come in the help: what works everywhere first, then pane by pane.
fn help_rank(scope: Scope) -> u8 {
    match scope {
        Scope::Typing => 0,
        Scope::Global => 1,
        Scope::Url => 2,
        Scope::Method => 3,
        Scope::Editor => 4,
        Scope::Table => 5,
        Scope::Auth => 6,
        Scope::Cell => 7,
        Scope::BodyText => 8,
        Scope::Text => 9,
        Scope::Response => 10,
        Scope::Body => 11,
        Scope::Fold => 12,
        Scope::History => 13,
        Scope::Collections => 14,
        Scope::Runner => 15,
    }
}

/// The help's widest, for lines a reader can follow.
const HELP_MAX_WIDTH: u16 = 110;

/// The keys, scope by scope (each once), as wide as the screen allows up to
/// [`HELP_MAX_WIDTH`]; a description too long for its line goes on below it. With a search,
/// only the keys whose scope, keys or description hold it. Scrolled to `scroll`, with where
/// that is.
fn draw_help(
    frame: &mut Frame,
    app: &App,
    scroll: usize,
    search: &str,
    typing: bool,
    hits: &mut HitMap,
) {
    let t = &app.theme;
    let width = frame.area().width.saturating_sub(4).min(HELP_MAX_WIDTH);
    let area = centered(frame.area(), width, frame.area().height.saturating_sub(2));
    let close = app.keymap.key(Scope::Global, Action::Help);
    let inner = boxed(
        frame,
        app,
        area,
        &format!("Keys — Esc or {close} closes, / searches"),
    );
    if inner.height < 2 {
        return;
    }
    let needle = search.to_lowercase();
    let keys_width = 18;
    let text_width = (inner.width as usize)
        .saturating_sub(keys_width + 2)
        .max(10);
    let mut scopes: Vec<Scope> = app.keymap.bindings().iter().map(|b| b.scope).collect();
    scopes.sort_by_key(|s| help_rank(*s));
    scopes.dedup();
    let mut lines: Vec<Line> = Vec::new();
    for scope in scopes {
        let title = scope_title(scope);
        let whole = !needle.is_empty() && title.to_lowercase().contains(&needle);
        let mut group: Vec<Line> = Vec::new();
        // Text fields also have the editing keys every field knows (not rebindable).
        let fixed = if scope == Scope::Text {
            crate::app::text::KEYS
        } else {
            &[]
        };
        let rows = app
            .keymap
            .bindings()
            .iter()
            .filter(|b| b.scope == scope)
            .map(|b| {
                let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                (keys.join(", "), b.help.as_str())
            })
            .chain(fixed.iter().map(|(k, h)| (k.to_string(), *h)));
        for (keys, help) in rows {
            let found = needle.is_empty()
                || whole
                || help.to_lowercase().contains(&needle)
                || keys.to_lowercase().contains(&needle);
            if !found {
                continue;
            }
            for (n, piece) in text::wrap(help, text_width).into_iter().enumerate() {
                let shown_keys = if n == 0 { keys.as_str() } else { "" };
                group.push(Line::from(vec![
                    Span::styled(
                        format!("  {}", pad(shown_keys, keys_width)),
                        Style::default().fg(t.border_focused),
                    ),
                    Span::styled(piece, Style::default().fg(t.text)),
                ]));
            }
        }
        if group.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            title,
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        ));
        lines.extend(group);
    }
    let note = if needle.is_empty() {
        lines.push(Line::default());
        "Mouse: a click focuses a pane, opens a tab, selects a row; the wheel scrolls.".to_string()
    } else if lines.is_empty() {
        format!("No key's description holds \"{search}\" (Esc clears the search).")
    } else {
        String::new()
    };
    for piece in text::wrap(&note, inner.width as usize) {
        lines.push(Line::styled(piece, Style::default().fg(t.muted)));
    }
    // The last row: the search being typed or kept, and where the view is.
    let rows = usize::from(inner.height - 1);
    let total = lines.len();
    hits.overlay_max_scroll = total.saturating_sub(rows);
    hits.overlay_page = rows;
    let top = scroll.min(hits.overlay_max_scroll);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(rows).collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            height: inner.height - 1,
            ..inner
        },
    );
    let place = if total <= rows {
        "all shown".to_string()
    } else {
        format!(
            "lines {}–{} of {total} · PgUp/PgDn, g/G",
            top + 1,
            (top + rows).min(total)
        )
    };
    let status = if typing {
        format!("/{search}▏ (Enter keeps, Esc clears)")
    } else if !search.is_empty() {
        format!("/{search} (Esc clears)")
    } else {
        String::new()
    };
    let row = Rect {
        y: inner.y + inner.height - 1,
        height: 1,
        ..inner
    };
    let place_width = text::width(&place) as u16;
    frame.render_widget(
        Paragraph::new(Line::styled(status, Style::default().fg(t.text))),
        Rect {
            width: row.width.saturating_sub(place_width + 1),
            ..row
        },
    );
    frame.render_widget(
        Paragraph::new(Line::styled(place, Style::default().fg(t.muted))),
        Rect {
            x: row.x + row.width.saturating_sub(place_width),
            width: place_width.min(row.width),
            ..row
        },
    );
}

/// Problems to read (each wrapped, marked `•`), scrolled, with where the view is and how to go
/// on.
fn draw_problems(
    frame: &mut Frame,
    app: &App,
    title: &str,
    problems: &[String],
    scroll: usize,
    hits: &mut HitMap,
) {
    let t = &app.theme;
    let width = frame.area().width.saturating_sub(4).min(HELP_MAX_WIDTH);
    let wanted = problems.len() as u16 * 2 + 4;
    let height = wanted.min(frame.area().height.saturating_sub(2));
    let area = centered(frame.area(), width, height);
    let inner = boxed(frame, app, area, title);
    if inner.height < 2 {
        return;
    }
    let text_width = (inner.width as usize).saturating_sub(2).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for problem in problems {
        for (n, piece) in text::wrap(problem, text_width).into_iter().enumerate() {
            let mark = if n == 0 { "• " } else { "  " };
            lines.push(Line::styled(
                format!("{mark}{piece}"),
                Style::default().fg(t.text),
            ));
        }
    }
    let rows = usize::from(inner.height - 1);
    let total = lines.len();
    hits.overlay_max_scroll = total.saturating_sub(rows);
    hits.overlay_page = rows;
    let top = scroll.min(hits.overlay_max_scroll);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(top).take(rows).collect::<Vec<_>>()),
        Rect {
            height: inner.height - 1,
            ..inner
        },
    );
    let place = if total > rows {
        format!(
            "lines {}–{} of {total} · j/k, PgUp/PgDn · ",
            top + 1,
            (top + rows).min(total)
        )
    } else {
        String::new()
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{place}Enter or Esc goes on"),
            Style::default().fg(t.muted),
        ))
        .alignment(ratatui::layout::Alignment::Right),
        Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        },
    );
}

/// The file picker: the folder, the filter being typed, the entries (folders first, with
/// sizes), and what the keys do.
fn draw_file_picker(frame: &mut Frame, app: &App, p: &FilePicker, hits: &mut HitMap) {
    let t = &app.theme;
    let area = centered(
        frame.area(),
        80,
        frame.area().height.saturating_sub(4).max(8),
    );
    let inner = boxed(frame, app, area, "Attach a file");
    if inner.height < 4 {
        return;
    }
    let width = inner.width as usize;
    let filter = p.filter.text();
    let mut lines = vec![
        Line::styled(
            slice(&p.dir.display().to_string(), 0, width),
            Style::default().fg(t.muted),
        ),
        Line::from(vec![
            Span::styled("filter: ", Style::default().fg(t.muted)),
            Span::styled(filter.clone(), Style::default().fg(t.text)),
        ]),
    ];
    let list_h = inner.height.saturating_sub(3) as usize;
    let rows = p.visible();
    match &p.listing {
        None => lines.push(Line::styled("reading…", Style::default().fg(t.muted))),
        Some(Err(e)) => lines.push(Line::styled(
            format!("Cannot list this folder: {e}"),
            Style::default().fg(t.error),
        )),
        Some(Ok(_)) if rows.is_empty() => lines.push(Line::styled(
            format!("nothing here matches \"{filter}\""),
            Style::default().fg(t.muted),
        )),
        Some(Ok(listing)) => {
            let start = p.list.first_visible(rows.len(), list_h);
            let rows_area = Rect {
                y: inner.y + 2,
                height: list_h as u16,
                ..inner
            };
            hits.lists.push((List::Files, rows_area, start));
            for (i, row) in rows.iter().enumerate().skip(start).take(list_h) {
                let (name, size, colour) = match row {
                    Row::Parent => ("../".to_string(), String::new(), t.muted),
                    Row::Entry(e) if e.is_dir => (format!("{}/", e.name), String::new(), t.accent),
                    Row::Entry(e) => (
                        e.name.clone(),
                        e.size.map(human_size).unwrap_or_default(),
                        t.text,
                    ),
                };
                let name_w = width.saturating_sub(size.chars().count() + 3);
                let text = format!(" {} {size} ", pad(&name, name_w));
                let mut style = Style::default().fg(colour);
                if i == p.list.selected {
                    style = style.fg(t.border_focused).add_modifier(Modifier::REVERSED);
                }
                lines.push(Line::styled(text, style));
            }
            if listing.truncated && lines.len() < inner.height as usize - 1 {
                lines.push(Line::styled(
                    format!("(only the first {} entries)", files::MAX_ENTRIES),
                    Style::default().fg(t.warning),
                ));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "type to filter · ↑/↓ choose · Enter open/attach · Backspace up · Esc cancel",
            Style::default().fg(t.muted),
        )),
        Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        },
    );
    let cursor_x = inner.x + 8 + text::width(&filter).min(width.saturating_sub(9)) as u16;
    frame.set_cursor_position(Position::new(cursor_x, inner.y + 1));
}

/// A bordered box with a title, cleared underneath; returns its inside.
pub(super) fn boxed(frame: &mut Frame, app: &App, area: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(app.theme.border_focused))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().fg(app.theme.border_focused),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
