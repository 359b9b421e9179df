//! The collection tree pane: collections, folders and requests with method badges, broken files
//! with their error, the filter, and each collection's environment.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::hits::{HitMap, List};
use crate::app::keymap::{Action, Scope};
use crate::app::tree::Row;
use crate::app::{App, Pane};
use crate::collection::store::LoadedFile;
use crate::ui::text::{fit, fit_line, slice, spans_of, wrap};
use crate::ui::{framed, list_row, row_width};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, hits: &mut HitMap) {
    let t = &app.theme;
    let inner = framed(frame, app, Pane::Collections, "Collections".into(), area);
    if inner.height == 0 {
        return;
    }
    let tree = &app.tree;
    // The filter line, when there is one, sits at the bottom.
    let filter = tree.active_filter();
    let list = if tree.filtering.is_some() || !filter.is_empty() {
        let y = inner.bottom() - 1;
        let mut spans = vec![Span::styled("/", Style::default().fg(t.border_focused))];
        spans.push(Span::styled(filter.clone(), Style::default().fg(t.text)));
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        if let Some(input) = &tree.filtering {
            frame.set_cursor_position((inner.x + 1 + input.cursor().1 as u16, y));
        }
        Rect {
            height: inner.height - 1,
            ..inner
        }
    } else {
        inner
    };
    if tree.loading && tree.files.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("Loading…", Style::default().fg(t.muted))),
            list,
        );
        return;
    }
    let rows = tree.rows();
    if rows.is_empty() {
        let text = if filter.is_empty() {
            format!(
                "No collections yet. {} saves the request in the editor into a new one.",
                app.keymap.key(Scope::Typing, Action::Save)
            )
        } else {
            "Nothing matches the filter (Esc clears it).".to_string()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, Style::default().fg(t.muted)))
                .wrap(Wrap { trim: true }),
            list,
        );
        return;
    }
    let list = draw_description(frame, app, list);
    let height = list.height as usize;
    let selected = tree.list.selected.min(rows.len() - 1);
    let first = tree.list.first_visible(rows.len(), height);
    hits.lists.push((List::Tree, list, first));
    let width = row_width(app, list.width as usize);
    let dirty_id = app
        .origin
        .as_ref()
        .filter(|_| app.is_dirty())
        .map(|o| (o.path.clone(), o.saved.id.clone()));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, row)| {
            let line = fit_line(row_line(app, row, width, dirty_id.as_ref()), width);
            list_row(app, Pane::Collections, line, i == selected)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// Cells of a request's method badge: the longest method (`OPTIONS`) and a space.
pub const METHOD: usize = 8;

/// Rows the description of the selection may take: half of the pane.
const DESCRIPTION_SHARE: u16 = 2;

/// The selected request's or folder's `description` under the tree (a rule, then the text
/// wrapped, cut with … when long); returns what is left for the rows.
fn draw_description(frame: &mut Frame, app: &App, list: Rect) -> Rect {
    let t = &app.theme;
    let Some(text) = app.tree.selected_description() else {
        return list;
    };
    let room = (list.height / DESCRIPTION_SHARE) as usize;
    if room < 2 || list.width < 8 {
        return list;
    }
    let width = list.width as usize;
    let mut lines = wrap(text, width);
    if lines.len() > room - 1 {
        lines.truncate(room - 1);
        if let Some(last) = lines.last_mut() {
            *last = format!("{}…", slice(last, 0, width - 1));
        }
    }
    let used = lines.len() as u16 + 1;
    let mut shown = vec![Line::styled(
        "─".repeat(width),
        Style::default().fg(t.border),
    )];
    shown.extend(
        lines
            .into_iter()
            .map(|l| Line::styled(l, Style::default().fg(t.info))),
    );
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            y: list.bottom() - used,
            height: used,
            ..list
        },
    );
    Rect {
        height: list.height - used,
        ..list
    }
}

fn row_line<'a>(
    app: &App,
    row: &Row,
    width: usize,
    dirty: Option<&(std::path::PathBuf, String)>,
) -> Line<'a> {
    let t = &app.theme;
    let tree = &app.tree;
    match row {
        Row::Collection { file } => {
            let f = &tree.files[*file];
            let open = !tree.closed.contains(file) || !tree.active_filter().is_empty();
            let name = f.collection().map_or("?", |c| c.name.as_str());
            let mut spans = vec![
                Span::styled(if open { "▾ " } else { "▸ " }, Style::default().fg(t.muted)),
                Span::styled(
                    name.to_string(),
                    Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
                ),
            ];
            if let Some(env) = tree.environments.get(f.path()) {
                spans.push(Span::styled(
                    format!(" [{env}]"),
                    Style::default().fg(t.warning),
                ));
            }
            if f.builtin {
                spans.push(Span::styled(" (built-in)", Style::default().fg(t.muted)));
            }
            Line::from(spans)
        }
        Row::Folder { file, path, depth } => {
            let open = tree.open_folders.contains(&(*file, path.clone()))
                || !tree.active_filter().is_empty();
            let name = path.rsplit('/').next().unwrap_or(path);
            Line::from(vec![
                Span::raw("  ".repeat(*depth)),
                Span::styled(if open { "▾ " } else { "▸ " }, Style::default().fg(t.muted)),
                Span::styled(format!("{name}/"), Style::default().fg(t.text)),
            ])
        }
        Row::Request { file, index, depth } => {
            let Some(r) = tree.request(*file, *index) else {
                return Line::default();
            };
            let is_dirty =
                dirty.is_some_and(|(p, id)| p == tree.files[*file].path() && *id == r.id);
            let indent = 2 * depth;
            let room = width.saturating_sub(indent + METHOD + usize::from(is_dirty) * 2);
            let mut spans = vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(
                    format!("{:<METHOD$}", r.method.as_str()),
                    Style::default().fg(t.method(r.method)),
                ),
            ];
            // Cut with `…`, the unsaved marker after it.
            spans.extend(spans_of(&fit(r.title(), room), Style::default().fg(t.text)));
            if is_dirty {
                spans.push(Span::styled(" ●", Style::default().fg(t.warning)));
            }
            Line::from(spans)
        }
        Row::Run { file, index } => {
            let Some(run) = tree.collection(*file).and_then(|c| c.runs.get(*index)) else {
                return Line::default();
            };
            let steps = run.steps.len() * run.repeat as usize;
            let mut spans = vec![
                Span::raw("  "),
                Span::styled("▶ run   ", Style::default().fg(t.accent)),
            ];
            spans.extend(spans_of(
                &fit(
                    &format!("{} · {steps} steps", run.name),
                    width.saturating_sub(10),
                ),
                Style::default().fg(t.text),
            ));
            Line::from(spans)
        }
        Row::Broken { file } => {
            let LoadedFile::Broken(e) = &tree.files[*file].loaded else {
                return Line::default();
            };
            let name = e.path.file_name().map_or_else(
                || e.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Line::styled(
                format!("✗ {name}:{}: {}", e.line, e.message),
                Style::default().fg(t.error),
            )
        }
    }
}
