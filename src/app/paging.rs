//! Paging through a list response in the response pane: what the app keeps of it ([`Paging`])
//! and how `update` reacts to `m` / `M`, page events and `Esc`. No I/O here: detecting the
//! style runs off the UI thread (`Effect::DetectPaging`), the worker loads pages
//! (`Effect::Paginate`), and merging the items into one document is CPU work for the blocking
//! pool (`Effect::MergePages`), at most every [`MERGE_EVERY`] while loading all.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::app::exchange::ExchangeState;
use crate::app::hits::List;
use crate::app::keymap::Action;
use crate::app::list::ListState;
use crate::app::{App, Effect, Notice, ResponseTab};
use crate::http::job::{Job, RequestId};
use crate::http::paginate::{Load, Page, Pager};
use crate::model::{ResponseData, thousands};

/// How often the merged document is rebuilt while loading all pages.
pub const MERGE_EVERY: Duration = Duration::from_millis(250);

/// One loaded page, as the Pages tab lists it.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// 1-based.
    pub number: usize,
    pub url: String,
    pub status: u16,
    /// The page's items. Kept per page (not one growing vector) so a merge in flight shares
    /// them without a copy on the UI thread.
    pub items: Arc<Vec<Value>>,
    pub elapsed: Duration,
    pub response: Arc<ResponseData>,
}

impl PageInfo {
    fn from_page(page: Page) -> PageInfo {
        PageInfo {
            number: page.number,
            url: page.url,
            status: page.status,
            items: Arc::new(page.items),
            elapsed: page.elapsed,
            response: page.response,
        }
    }
}

/// A paged response: where paging stands and every page loaded so far.
#[derive(Debug)]
pub struct Paging {
    /// As of the last page received (the worker holds its own copy while loading).
    pub pager: Pager,
    /// The original request's job: every page is sent like it (auth, timeouts, retries).
    pub job: Job,
    pub pages: Vec<PageInfo>,
    /// Items over all pages.
    pub item_count: usize,
    /// A load under way, and when it began.
    pub loading: Option<(Load, Instant)>,
    /// Waiting out a rate limit before the next page: how long, why, since when.
    pub waiting: Option<(Duration, String, Instant)>,
    /// The user stopped loading with `Esc`.
    pub stopped_by_user: bool,
    /// The merged document: the newest merge asked for (older results are stale), when, and
    /// whether pages arrived since.
    pub merge_generation: u64,
    pub merged_at: Option<Instant>,
    pub merge_dirty: bool,
    /// The cursor in the Pages tab.
    pub list: ListState,
    /// The page the Raw tab shows (index into `pages`).
    pub raw_page: usize,
}

impl Paging {
    pub fn new(pager: Pager, job: Job, first: Arc<ResponseData>, items: Vec<Value>) -> Paging {
        let first = PageInfo {
            number: 1,
            url: job.spec.url.clone(),
            status: first.status,
            elapsed: first.elapsed,
            response: first,
            items: Arc::new(items),
        };
        Paging {
            item_count: first.items.len(),
            pager,
            job,
            pages: vec![first],
            loading: None,
            waiting: None,
            stopped_by_user: false,
            merge_generation: 0,
            merged_at: None,
            merge_dirty: false,
            list: ListState::default(),
            raw_page: 0,
        }
    }

    /// Every item loaded, in order.
    pub fn items(&self) -> impl Iterator<Item = &Value> {
        self.pages.iter().flat_map(|p| p.items.iter())
    }

    /// Why paging is over, when it stopped early (shown in the warning colour).
    pub fn problem(&self) -> Option<String> {
        if self.stopped_by_user {
            let n = self.pages.len();
            let pages = if n == 1 { "page" } else { "pages" };
            return Some(format!("stopped by you after {n} {pages}"));
        }
        match &self.pager.finished {
            // The way on is a key here, not the command line's flag the reason names.
            Some(why) if self.pager.at_cap() => {
                Some(why.split(" (").next().unwrap_or(why).to_string())
            }
            Some(why) if self.pager.failed || why.contains("cap") => Some(why.clone()),
            _ => None,
        }
    }

    /// `page 1 · 30 items · more available (link)`, `1,234 items in 124 pages · all loaded
    /// (no next link)`, or the stop reason.
    pub fn summary(&self) -> String {
        let n = self.pages.len();
        let counted = if n == 1 {
            format!("page 1 · {} items", thousands(self.item_count))
        } else {
            format!("{} items in {n} pages", thousands(self.item_count))
        };
        if let Some(problem) = self.problem() {
            return format!("{counted} · {problem}");
        }
        match &self.pager.finished {
            _ if self.pager.has_more() => {
                format!("{counted} · more available ({})", self.pager.pagination)
            }
            Some(why) => format!(
                "{counted} · all {} items loaded ({why})",
                thousands(self.item_count)
            ),
            None => format!(
                "{counted} · all {} items loaded",
                thousands(self.item_count)
            ),
        }
    }

    /// About how much memory the pages hold: each response's body, and its items (parsed, about
    /// twice the text they came from).
    pub fn memory_bytes(&self) -> usize {
        self.pages.iter().map(|p| p.response.body.len() * 3).sum()
    }

    /// The Raw tab's response: the page chosen in the Pages tab.
    pub fn raw_response(&self) -> Option<&ResponseData> {
        self.pages.get(self.raw_page).map(|p| &*p.response)
    }
}

/// After a JSON 2xx response: ask for the paging style to be detected off the UI thread.
pub fn detect_effect(app: &App, id: RequestId) -> Option<Effect> {
    let x = app.history.get(id)?;
    let job = x.job.as_ref()?;
    let response = x.response()?;
    if !(200..300).contains(&response.status) || !looks_json(response.content_type()) {
        return None;
    }
    // What pages is a read: a POST's 201 is the thing it made, not a first page. A request
    // that declares its paging (a search sent as POST) is taken at its word.
    if job.spec.method != crate::model::Method::Get && job.pagination.is_none() {
        return None;
    }
    Some(Effect::DetectPaging {
        id,
        configured: job.pagination.clone(),
        url: job.spec.url.clone(),
        response: Box::new(response.clone()),
    })
}

fn looks_json(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("json"))
}

/// Detection came back: keep the paging (when the response pages).
pub fn detected(app: &mut App, id: RequestId, found: Option<(Pager, Vec<Value>)>) -> Vec<Effect> {
    let Some((pager, items)) = found else {
        return Vec::new();
    };
    let Some(x) = app.history.get_mut(id) else {
        return Vec::new();
    };
    let (Some(job), ExchangeState::Done { response, .. }) = (x.job.clone(), &x.state) else {
        return Vec::new();
    };
    let first = Arc::new((**response).clone());
    x.paging = Some(Paging::new(pager, *job, first, items));
    Vec::new()
}

/// How many more pages `m` or `M` allow once paging stopped at its cap.
pub const MORE_PAGES: usize = 50;

/// `m` (one page) or `M` (all remaining ones) on the shown response; at the cap, either goes on
/// for [`MORE_PAGES`] more.
pub fn load(app: &mut App, load: Load) -> Vec<Effect> {
    let now = app.now;
    let Some(p) = app
        .shown
        .and_then(|id| app.history.get_mut(id))
        .and_then(|x| x.paging.as_mut())
    else {
        app.notice = Some(Notice::Info(
            "This response is not paged: there is nothing more to load".into(),
        ));
        return Vec::new();
    };
    if p.loading.is_some() {
        return Vec::new();
    }
    // At a cap with pages left, either key goes on for another batch.
    p.pager.raise_cap(MORE_PAGES);
    if !p.pager.has_more() {
        let why = p.pager.finished.clone().unwrap_or_default();
        app.notice = Some(Notice::Info(format!("No more pages: {why}")));
        return Vec::new();
    }
    p.loading = Some((load, now));
    p.stopped_by_user = false;
    p.waiting = None;
    vec![Effect::Paginate {
        id: p.job.id,
        pager: Box::new(p.pager.clone()),
        job: Box::new(p.job.clone()),
        load,
    }]
}

/// A page arrived: keep it and the pager after it; merge now or soon.
pub fn page(app: &mut App, id: RequestId, page: Page, pager: Pager) -> Vec<Effect> {
    let now = app.now;
    let Some(p) = app.history.get_mut(id).and_then(|x| x.paging.as_mut()) else {
        return Vec::new();
    };
    if p.loading.is_none() {
        // Stopped with Esc: what arrives afterwards is stale.
        return Vec::new();
    }
    p.item_count += page.items.len();
    // A failed page asked for again (`m`) takes the failed attempt's place.
    if let Some(last) = p.pages.last()
        && last.number == page.number
        && !(200..300).contains(&last.status)
    {
        p.item_count -= last.items.len();
        p.pages.pop();
    }
    p.pages.push(PageInfo::from_page(page));
    p.pager = pager;
    p.waiting = None;
    p.merge_dirty = true;
    let all = matches!(p.loading, Some((Load::All, _)));
    let due = p
        .merged_at
        .is_none_or(|at| now.saturating_duration_since(at) >= MERGE_EVERY);
    if !all || due {
        return merge(app, id).into_iter().collect();
    }
    Vec::new()
}

pub fn waiting(app: &mut App, id: RequestId, for_: Duration, why: String) {
    let now = app.now;
    if let Some(p) = app.history.get_mut(id).and_then(|x| x.paging.as_mut())
        && p.loading.is_some()
    {
        p.waiting = Some((for_, why, now));
    }
}

/// Loading ended (last page, a stop, a failed page): the worker's pager is the truth.
pub fn done(app: &mut App, id: RequestId, pager: Pager) -> Vec<Effect> {
    let Some(p) = app.history.get_mut(id).and_then(|x| x.paging.as_mut()) else {
        return Vec::new();
    };
    if p.loading.take().is_none() {
        return Vec::new();
    }
    p.pager = pager;
    p.waiting = None;
    merge(app, id).into_iter().collect()
}

/// `Esc` while pages load: stop, keeping what arrived. `None` when nothing is loading.
pub fn stop(app: &mut App) -> Option<Vec<Effect>> {
    let id = app.shown?;
    let p = app.history.get_mut(id)?.paging.as_mut()?;
    p.loading.take()?;
    p.waiting = None;
    p.stopped_by_user = true;
    let mut effects = vec![Effect::Cancel(id)];
    effects.extend(merge(app, id));
    Some(effects)
}

/// Rebuild the merged document if pages arrived since the last merge.
pub fn merge(app: &mut App, id: RequestId) -> Option<Effect> {
    let now = app.now;
    let reveal = app.reveal;
    let x = app.history.get_mut(id)?;
    if !x.paging.as_ref()?.merge_dirty {
        return None;
    }
    let secrets = x.secrets_for(reveal);
    let p = x.paging.as_mut()?;
    p.merge_dirty = false;
    p.merged_at = Some(now);
    p.merge_generation += 1;
    Some(Effect::MergePages {
        id,
        generation: p.merge_generation,
        pages: p.pages.iter().map(|pg| pg.items.clone()).collect(),
        secrets,
        revealed: reveal,
    })
}

/// The merged document arrived: show it if it is the newest (highlighting starts over).
pub fn merged(
    app: &mut App,
    id: RequestId,
    generation: u64,
    doc: Arc<crate::highlight::Document>,
    revealed: bool,
) {
    let Some(x) = app.history.get_mut(id) else {
        return;
    };
    if x.paging.as_ref().map(|p| p.merge_generation) != Some(generation) {
        return;
    }
    if let Some(view) = x.view_mut().filter(|v| v.revealed == revealed) {
        view.doc = Some(doc);
        view.chunks.clear();
        view.pending.clear();
    }
}

/// A movement key in the Pages tab; whether it moved the selection.
pub fn step(app: &mut App, action: Action) -> bool {
    let page = app.hits.rows_of(List::Pages).unwrap_or(10);
    let Some(p) = shown_paging(app) else {
        return false;
    };
    let len = p.pages.len();
    p.list.step(action, len, page)
}

/// A click on row `index` of the Pages tab.
pub fn select_row(app: &mut App, index: usize) {
    if let Some(p) = shown_paging(app) {
        let len = p.pages.len();
        p.list.click(index, len);
    }
}

/// The paging of the shown response, if it pages.
pub fn shown_paging(app: &mut App) -> Option<&mut Paging> {
    app.shown
        .and_then(|id| app.history.get_mut(id))
        .and_then(|x| x.paging.as_mut())
}

/// Enter in the Pages tab: the Raw tab shows the selected page's response.
pub fn open_selected(app: &mut App) -> Vec<Effect> {
    if app.response_tab != ResponseTab::Pages {
        return Vec::new();
    }
    let reveal = app.reveal;
    let Some(x) = app.shown.and_then(|id| app.history.get_mut(id)) else {
        return Vec::new();
    };
    let secrets = x.secrets_for(reveal);
    let id = x.id;
    let Some(p) = x.paging.as_mut() else {
        return Vec::new();
    };
    p.raw_page = p.list.selected;
    let Some(page) = p.pages.get(p.raw_page) else {
        return Vec::new();
    };
    let response = page.response.clone();
    let page_index = p.raw_page;
    if let Some(view) = x.view_mut() {
        view.raw = None;
    }
    app.response_tab = ResponseTab::Raw;
    app.scroll = Default::default();
    vec![Effect::PreparePageRaw {
        id,
        page: page_index,
        body: response.body.clone(),
        content_type: response.content_type().map(str::to_string),
        secrets,
        revealed: reveal,
    }]
}

/// A page's raw text arrived: show it if that page is still the one chosen.
pub fn page_raw_prepared(
    app: &mut App,
    id: RequestId,
    page: usize,
    doc: Arc<crate::highlight::Document>,
    revealed: bool,
) {
    let Some(x) = app.history.get_mut(id) else {
        return;
    };
    if x.paging.as_ref().map(|p| p.raw_page) != Some(page) {
        return;
    }
    if let Some(view) = x.view_mut().filter(|v| v.revealed == revealed) {
        view.raw = Some(doc);
    }
}

#[cfg(test)]
#[path = "paging_tests.rs"]
mod tests;
