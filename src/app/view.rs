//! The response pane's state changes: scrolling, tabs, prepared bodies arriving, the background
//! work the screen needs (preparing and highlighting what is visible), revealing secrets, and
//! saving the body.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::app::exchange::{BodyView, CHUNK_LINES, Exchange, ExchangeState};
use crate::app::keymap::{Action, Scope};
use crate::app::msg::{DocKind, SaveOutcome};
use crate::app::reader::filter;
use crate::app::text::TextInput;
use crate::app::{App, Effect, Notice, Overlay, ResponseTab, Scroll, live, paging, reader};
use crate::highlight::Document;
use crate::http::filename::suggested_filename;
use crate::http::job::RequestId;
use crate::model::{human_size, thousands};

/// `e`: the Explain panel beside the shown response, opened or closed.
pub fn toggle_explain(app: &mut App) {
    app.explain = !app.explain;
    app.explain_scroll = 0;
}

/// A key's action while the response pane has the focus.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = viewport_height(app).max(1);
    if action == Action::Select {
        return paging::open_selected(app);
    }
    if app.response_tab == ResponseTab::Pages && paging::step(app, action) {
        return Vec::new();
    }
    match action {
        Action::ExplainDown | Action::ExplainUp if app.explain => {
            app.explain_scroll = if action == Action::ExplainDown {
                (app.explain_scroll + 1).min(app.hits.explain_max_scroll)
            } else {
                app.explain_scroll.saturating_sub(1)
            };
            return Vec::new();
        }
        _ => {}
    }
    if app.response_tab == ResponseTab::Body && reader::step(app, action) {
        return Vec::new();
    }
    let s = &mut app.scroll;
    match action {
        Action::Up => s.top = s.top.saturating_sub(1),
        Action::Down => s.top += 1,
        Action::PageUp => s.top = s.top.saturating_sub(page),
        Action::PageDown => s.top += page,
        Action::Top => s.top = 0,
        Action::Bottom => s.top = usize::MAX,
        Action::Left => s.left = s.left.saturating_sub(8),
        Action::Right if !(app.response_tab == ResponseTab::Body && app.reader.wrap) => s.left += 8,
        Action::NextTab | Action::PrevTab => {
            let tab = app
                .response_tab
                .step(action == Action::NextTab, &app.shown_tabs());
            open_tab(app, tab);
        }
        _ => {}
    }
    clamp_scroll(app);
    Vec::new()
}

/// Shows tab `tab` of the response pane, from its top.
pub fn open_tab(app: &mut App, tab: ResponseTab) {
    app.response_tab = tab;
    app.scroll = Scroll::default();
    app.reader.reset();
}

/// The mouse wheel over the response pane.
pub fn wheel(app: &mut App, down: bool, lines: usize) {
    app.scroll.top = if down {
        app.scroll.top + lines
    } else {
        app.scroll.top.saturating_sub(lines)
    };
    clamp_scroll(app);
    reader::follow_scroll(app);
}

/// Shows exchange `id` in the response pane (from the top, when it was not shown already).
pub fn show(app: &mut App, id: RequestId) {
    if app.shown != Some(id) {
        app.shown = Some(id);
        app.scroll = Scroll::default();
        app.reader.reset();
        // The filter line edits the shown exchange's filter.
        app.reader.filter_line = None;
        app.explain_scroll = 0;
    }
    keep_consistent(app);
}

/// After any change: the response pane stays on a tab the shown response offers (Pages goes
/// away with a response that does not page, Wire and Timing with one from the history file).
pub fn keep_consistent(app: &mut App) {
    // Until the response is here, what it offers is not known: the tab stays.
    if app.shown_exchange().is_some_and(Exchange::is_busy) {
        return;
    }
    let offered = app.shown_tabs();
    if !offered.contains(&app.response_tab) {
        app.response_tab = ResponseTab::Body;
        app.scroll = Scroll::default();
    }
}

/// `R`: show or hide secrets on screen.
pub fn toggle_reveal(app: &mut App) {
    app.reveal = !app.reveal;
    app.notice = Some(Notice::Info(if app.reveal {
        format!(
            "Secrets are shown on screen (never on disk); {} hides them again",
            app.keymap.key(Scope::Response, Action::RevealSecrets)
        )
    } else {
        "Secrets are hidden on screen".into()
    }));
}

/// Rows available to the response content, as the last frame drew the pane.
pub fn viewport_height(app: &App) -> usize {
    usize::from(app.hits.response_rows)
}

/// How many lines the shown tab has, for clamping the scroll.
pub fn content_lines(app: &App) -> usize {
    let Some(x) = app.shown_exchange() else {
        return 0;
    };
    match app.response_tab {
        ResponseTab::Body => reader::row_total(app),
        ResponseTab::Headers => x.response().map_or(0, |r| r.headers.len() + 1),
        ResponseTab::Request => request_lines(app, x).len(),
        ResponseTab::Wire => crate::app::wire::wire_rows(x).len(),
        ResponseTab::Cache => app.hits.cache_lines,
        ResponseTab::Timing => x.response().map_or(0, |r| {
            r.timing.map_or(0, |t| {
                crate::app::wire::timing_rows(&t, &r.version).len()
                    + 1
                    + crate::app::wire::timing_notes().len()
            })
        }),
        ResponseTab::Cookies => app.cookies.get(&x.jar).map_or(0, Vec::len) + 1,
        ResponseTab::Pages => x.paging.as_ref().map_or(0, |p| p.pages.len() + 2),
        ResponseTab::Checks => x.checks.as_ref().map_or(1, |c| c.len() + 2),
        ResponseTab::Raw => x.raw_response().map_or(0, |r| {
            r.headers.len()
                + 2
                + usize::from(x.paging.is_some())
                + usize::from(r.spilled.is_some())
                + x.view()
                    .and_then(|v| v.raw.as_ref())
                    .map_or(0, |d| d.line_count())
        }),
    }
}

/// The Request tab's lines: the request as it stood in the editor, with what went out with it
/// besides: the auth profile's header or query, and the headers every request carries unless
/// it sets its own.
pub fn request_lines(app: &App, x: &Exchange) -> Vec<String> {
    let mut lines = x.sent.summary_lines();
    let own = |name: &str| {
        x.sent
            .headers
            .iter()
            .any(|h| h.enabled && h.key.trim().eq_ignore_ascii_case(name))
    };
    let headers_end = 1 + x
        .sent
        .headers
        .iter()
        .filter(|h| h.enabled && !h.key.is_empty())
        .count();
    let defaults = crate::http::build::DEFAULT_HEADERS
        .iter()
        .filter(|(name, _)| !own(name))
        .map(|(name, value)| format!("{name}: {value}   ← sent by default"));
    lines.splice(headers_end..headers_end, defaults);
    // The auth profile's part goes right under the request line.
    if let Some(auth) = x.job.as_ref().and_then(|j| j.auth.as_ref()) {
        let added = auth
            .preview(&app.tokens, app.wall)
            .into_iter()
            .map(|l| format!("{l}   ← auth profile"));
        let at = 1.min(lines.len());
        lines.splice(at..at, added);
    }
    lines
}

pub fn clamp_scroll(app: &mut App) {
    let max = content_lines(app).saturating_sub(viewport_height(app));
    app.scroll.top = app.scroll.top.min(max);
}

/// A prepared view of a body arrived: keep it unless it is stale (secrets revealed or hidden
/// since, or a merged document of several pages shows instead).
pub fn body_prepared(
    app: &mut App,
    id: RequestId,
    kind: DocKind,
    doc: Arc<Document>,
    revealed: bool,
) {
    // A stream's new document keeps the cursor at its end when it was there.
    let follow = kind == DocKind::Pretty && live::follows(app, id);
    let x = app.history.get_mut(id);
    // Once several pages are merged, the first page's own documents are not shown.
    let replaced = x
        .as_ref()
        .and_then(|x| x.paging.as_ref())
        .is_some_and(|p| match kind {
            DocKind::Pretty => p.pages.len() > 1,
            DocKind::Raw => p.raw_page > 0,
        });
    if let Some(view) = x
        .and_then(Exchange::view_mut)
        .filter(|v| v.revealed == revealed && !replaced)
    {
        match kind {
            DocKind::Pretty => {
                // The preparation is done when the Body tab's document is here (the Raw tab's
                // may come first: asking again then would prepare the body twice).
                view.preparing = false;
                // Another document (a stream prepared again, a body prepared twice): the lines
                // highlighted, and those being highlighted, were of the one before, whose
                // results are dropped; they are asked for again.
                if view.doc.as_ref().is_some_and(|d| !Arc::ptr_eq(d, &doc)) {
                    view.forget_highlights();
                }
                view.doc = Some(doc);
            }
            DocKind::Raw => view.raw = Some(doc),
        }
    }
    if follow {
        app.scroll.top = usize::MAX;
    }
    clamp_scroll(app);
    if follow {
        app.reader.cursor = content_lines(app).saturating_sub(1);
        reader::keep_cursor_visible(app);
    }
}

/// Background work the screen needs: preparing a body shown for the first time (e.g. one from
/// the stored history, or one the memory budget let go), and highlighting its visible part
/// (plus a chunk of margin each way).
pub fn wanted_work(app: &mut App) -> Vec<Effect> {
    let height = viewport_height(app);
    let top = app.scroll.top;
    let body_tab = app.response_tab == ResponseTab::Body;
    let Some(id) = app.shown else {
        return Vec::new();
    };
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    // A body a capture reads waits for the check: a token it captures is redacted from it.
    if x.checks.is_none() && x.check.as_ref().is_some_and(|p| !p.capture.is_empty()) {
        return Vec::new();
    }
    let reveal = app.reveal;
    // A stream still arriving: prepared again as it grows.
    if x.live.is_some() {
        let mut effects: Vec<Effect> = live::wanted(app, id, reveal).into_iter().collect();
        if body_tab {
            effects.extend(highlight_work(app, id, top, height));
        }
        return effects;
    }
    // This runs after every message: the secret list is built only when a body is prepared.
    let preparing = matches!(&x.state, ExchangeState::Done { view, .. }
        if view.revealed != reveal || (view.doc.is_none() && !view.preparing));
    let secrets = if preparing {
        x.secrets_for(reveal)
    } else {
        Vec::new()
    };
    let ExchangeState::Done { response, view } = &mut x.state else {
        return Vec::new();
    };
    if view.revealed != reveal {
        // Secrets were revealed or hidden since this body was prepared: prepare it again.
        **view = BodyView {
            revealed: reveal,
            truncated: view.truncated.take(),
            ..Default::default()
        };
        if let Some(p) = x.paging.as_mut() {
            // The merged list is prepared again too (the first page's body is not shown).
            p.merge_dirty = p.pages.len() > 1;
            p.raw_page = 0;
        }
    }
    if view.doc.is_none() {
        if view.preparing {
            return Vec::new();
        }
        view.preparing = true;
        let mut effects = vec![Effect::PrepareBody {
            id,
            body: response.body.clone(),
            content_type: response.content_type().map(str::to_string),
            truncated: view.truncated.clone(),
            secrets,
            revealed: reveal,
        }];
        effects.extend(paging::merge(app, id));
        return effects;
    }
    // The filter runs on the prepared body (again, once it was prepared again).
    let mut effects: Vec<Effect> = filter::run_if_needed(app, id, Duration::ZERO)
        .into_iter()
        .collect();
    if body_tab {
        // A body on disk shows its file's lines, read as they come on screen.
        if crate::app::spilled::shown(app).is_some() {
            effects.extend(crate::app::spilled::wanted(app, id, top, height));
        } else {
            effects.extend(highlight_work(app, id, top, height));
        }
    }
    effects
}

/// Highlighting for the rows on screen, and a chunk's worth of rows each way.
fn highlight_work(app: &mut App, id: RequestId, top: usize, height: usize) -> Vec<Effect> {
    let Some(doc) = app.shown_exchange().and_then(|x| x.body_doc()).cloned() else {
        return Vec::new();
    };
    let rows = top.saturating_sub(CHUNK_LINES / 2)..top + height + CHUNK_LINES / 2;
    let chunks: std::collections::BTreeSet<usize> = match reader::rows_of(app, &doc) {
        Some(shown) => shown
            .window(rows)
            .map(|row| row.line / CHUNK_LINES)
            .collect(),
        None => rows
            .take_while(|&line| line < doc.line_count())
            .map(|line| line / CHUNK_LINES)
            .collect(),
    };
    let Some(view) = app.history.get_mut(id).and_then(Exchange::view_mut) else {
        return Vec::new();
    };
    view.claim(&doc, chunks)
        .into_iter()
        .map(|chunk| Effect::Highlight {
            id,
            chunk,
            doc: doc.clone(),
        })
        .collect()
}

/// `s`: ask where to save the shown body.
pub fn open_save_prompt(app: &mut App) {
    let Some(x) = app.shown_exchange() else {
        app.notice = Some(Notice::Error(
            "Nothing to save: send a request first".into(),
        ));
        return;
    };
    let Some(response) = x.response() else {
        app.notice = Some(Notice::Error(
            "Nothing to save: this request has no response body".into(),
        ));
        return;
    };
    let name = suggested_filename(
        response.header("content-disposition"),
        &response.url,
        response.content_type(),
    );
    app.overlay = Some(Overlay::SavePath {
        input: TextInput::single(&name),
        id: x.id,
    });
}

/// Writes what the Body tab shows: the response's body, or every page's items once a paged
/// response has loaded more than its first page.
pub fn save_effect(app: &mut App, id: RequestId, path: PathBuf, overwrite: bool) -> Vec<Effect> {
    let Some(x) = app.history.get(id) else {
        return Vec::new();
    };
    // An export shows secrets only when the user revealed them on screen.
    let secrets = x.secrets_for(app.reveal);
    let Some(response) = x.response() else {
        return Vec::new();
    };
    let body = match &x.paging {
        Some(p) if p.pages.len() > 1 => crate::app::SaveBody::Pages {
            pages: p.pages.iter().map(|page| page.items.clone()).collect(),
            items: p.item_count,
        },
        _ => match &response.spilled {
            Some(spilled) => crate::app::SaveBody::File(spilled.clone()),
            None => crate::app::SaveBody::Bytes(response.body.clone()),
        },
    };
    vec![Effect::SaveBody {
        id,
        path,
        body,
        secrets,
        overwrite,
    }]
}

/// A save finished (or needs a yes to overwrite).
pub fn saved(app: &mut App, id: RequestId, path: PathBuf, outcome: SaveOutcome) -> Vec<Effect> {
    match outcome {
        SaveOutcome::Written { bytes, items } => {
            let what = match items {
                Some(n) => format!("{} items ({})", thousands(n), human_size(bytes)),
                None => human_size(bytes),
            };
            app.notice = Some(Notice::Info(format!("Saved {what} to {}", path.display())))
        }
        SaveOutcome::Exists => app.overlay = Some(Overlay::ConfirmOverwrite { path, id }),
        SaveOutcome::Failed(e) => {
            app.notice = Some(Notice::Error(format!(
                "Could not save to {}: {e}",
                path.display()
            )))
        }
    }
    Vec::new()
}
