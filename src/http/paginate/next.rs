//! One step of paging: given the page just fetched, its items and where the next page is — or why
//! there is none. Pure: the caller fetches, calls [`next_page`], then [`PagerState::record`]s the page.
//!
//! Stop rules, per style:
//! - `link`: no `rel="next"` link; `next-url`: no (or a null/empty) URL at `next_path`;
//! - `cursor`: `has_more_path` is false, or the cursor is missing, null or empty;
//! - `page` and `offset`: an empty page; the total reached (pages before this one are taken as
//!   full); a short page (fewer items than the page size, when `size`/`limit` or the request URL
//!   gives one). The next offset is this offset plus this page's item count.
//!
//! Every style stops, keeping this page's items, on a next URL already fetched (a loop), on the
//! caps, on a non-2xx status, a body that is not JSON, or an item path that vanished. A next URL
//! that is relative resolves against the page's URL; only http(s) URLs are followed.

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;
use url::Url;

use super::link::{links_in_headers, rel};
use super::merge::{items_at, value_at};
use crate::model::pagination::{Limits, Pagination, Style, TOTAL_HEADER, Total};
use crate::model::{json_type_name, set_query_param};

/// What has been loaded so far: every page URL fetched, and the counts.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PagerState {
    /// A hash set: the pager is cloned into every page's message and dropped with it, and a
    /// tree of 1,000 URLs made taking in a page a third slower.
    pub fetched: HashSet<String>,
    pub pages: usize,
    pub items: usize,
}

/// The URLs in order, so the same pages always print the same.
impl fmt::Debug for PagerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut fetched: Vec<&String> = self.fetched.iter().collect();
        fetched.sort();
        f.debug_struct("PagerState")
            .field("fetched", &fetched)
            .field("pages", &self.pages)
            .field("items", &self.items)
            .finish()
    }
}

impl PagerState {
    pub fn new() -> Self {
        PagerState::default()
    }

    /// Notes a loaded page: its URL (for loop detection) and its item count.
    pub fn record(&mut self, url: &Url, items: usize) {
        self.fetched.insert(url.as_str().to_owned());
        self.pages += 1;
        self.items += items;
    }
}

/// The outcome of one page.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// This page's items, and the next page to load. `total` is the API's total item count, when
    /// it gives one (for progress).
    More {
        next_url: Url,
        items: Vec<Value>,
        total: Option<u64>,
    },
    /// The last page: its items, and how that is known ("no next link", "short page (7 < 10)").
    Last { items: Vec<Value>, reason: String },
    /// Paging must stop early; the pages loaded are kept, with this page's items (none when the
    /// page itself failed).
    Stop {
        items_so_far: Vec<Value>,
        reason: StopReason,
        /// At a cap, the page paging would go on to were the cap raised.
        resume: Option<Url>,
    },
}

/// Why paging stopped before the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The next URL was already fetched.
    Loop { url: String },
    /// The page's status was not 2xx.
    Failed { status: u16 },
    /// The page's body is not JSON.
    NotJson { error: String },
    /// The items are not where `path` says (`"automatic"` when no `items` was given).
    ItemsVanished { path: String, error: String },
    /// The next URL cannot be followed: not a URL, or not http(s).
    BadNextUrl { url: String, error: String },
    /// A cap was reached.
    Cap(CapHit),
}

/// Which cap stopped paging, and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapHit {
    Pages(usize),
    Items(usize),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Loop { url } => write!(
                f,
                "the next page is {url}, which was already loaded: the API's pages loop"
            ),
            StopReason::Failed { status } => write!(f, "the page failed with status {status}"),
            StopReason::NotJson { error } => write!(f, "the page is not JSON ({error})"),
            StopReason::ItemsVanished { path, error } => {
                write!(f, "the items ({path}) are missing from this page: {error}")
            }
            StopReason::BadNextUrl { url, error } => {
                write!(f, "the next page's URL {url:?} cannot be followed: {error}")
            }
            StopReason::Cap(CapHit::Pages(n)) => {
                write!(
                    f,
                    "stopped at the cap of {n} pages (--max-pages N raises it for scout send --all; \
                     max_pages in the request's pagination, for a saved request)"
                )
            }
            StopReason::Cap(CapHit::Items(n)) => {
                write!(
                    f,
                    "stopped at the cap of {n} items (max_items in the request's pagination raises it)"
                )
            }
        }
    }
}

/// The page at `request_url` came back with `status`, `headers` and `body`; `state` describes the
/// pages loaded before it. Returns its items and the next page, or why there is none.
pub fn next_page(
    p: &Pagination,
    limits: &Limits,
    state: &PagerState,
    request_url: &Url,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Step {
    let stop = |reason| Step::Stop {
        resume: None,
        items_so_far: Vec::new(),
        reason,
    };
    if !(200..300).contains(&status) {
        return stop(StopReason::Failed { status });
    }
    if body.trim_ascii().is_empty() {
        return Step::Last {
            items: Vec::new(),
            reason: "empty page".to_owned(),
        };
    }
    let json: Value = match serde_json::from_slice(body) {
        Ok(json) => json,
        Err(e) => {
            return stop(StopReason::NotJson {
                error: e.to_string(),
            });
        }
    };
    let mut items = match items_at(&json, p.items.as_deref()) {
        Ok(items) => items,
        Err(error) => {
            let path = p.items.clone().unwrap_or_else(|| "automatic".to_owned());
            return stop(StopReason::ItemsVanished { path, error });
        }
    };
    let total = read_total(&p.style, headers, &json);
    let next = find_next(&p.style, request_url, &json, items.len(), total, headers);

    let room = limits.max_items.saturating_sub(state.items);
    if items.len() > room {
        items.truncate(room);
        return Step::Stop {
            items_so_far: items,
            reason: StopReason::Cap(CapHit::Items(limits.max_items)),
            resume: None,
        };
    }
    let next_url = match next {
        Ok(url) => url,
        Err(Ending::Last(reason)) => return Step::Last { items, reason },
        Err(Ending::Stop(reason)) => {
            return Step::Stop {
                items_so_far: items,
                reason,
                resume: None,
            };
        }
    };
    let reason = if next_url == *request_url || state.fetched.contains(next_url.as_str()) {
        Some(StopReason::Loop {
            url: next_url.to_string(),
        })
    } else if state.pages + 1 >= limits.max_pages {
        Some(StopReason::Cap(CapHit::Pages(limits.max_pages)))
    } else if state.items + items.len() >= limits.max_items {
        Some(StopReason::Cap(CapHit::Items(limits.max_items)))
    } else {
        None
    };
    match reason {
        Some(reason) => Step::Stop {
            resume: matches!(reason, StopReason::Cap(_)).then_some(next_url),
            items_so_far: items,
            reason,
        },
        None => Step::More {
            next_url,
            items,
            total,
        },
    }
}

/// The first page's URL: the request URL with the configured page size (`size`/`limit`) set, the
/// other parameters kept.
pub fn first_page_url(p: &Pagination, url: &Url) -> Url {
    let mut url = url.clone();
    match &p.style {
        Style::Page {
            size_param,
            size: Some(size),
            ..
        } => set_query_param(&mut url, size_param, &size.to_string()),
        Style::Offset {
            limit_param,
            limit: Some(limit),
            ..
        } => set_query_param(&mut url, limit_param, &limit.to_string()),
        _ => {}
    }
    url
}

/// Whether two URLs share scheme, host and port (the default port when none is written): a next
/// page on another origin must not be sent the request's credentials.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Why there is no next URL.
enum Ending {
    Last(String),
    Stop(StopReason),
}

fn last(reason: impl Into<String>) -> Result<Url, Ending> {
    Err(Ending::Last(reason.into()))
}

fn find_next(
    style: &Style,
    url: &Url,
    json: &Value,
    count: usize,
    total: Option<u64>,
    headers: &[(String, String)],
) -> Result<Url, Ending> {
    match style {
        Style::Link => match rel(&links_in_headers(headers), "next") {
            Some(next) => resolve(url, next),
            None => last("no next link"),
        },
        Style::NextUrl { next_path } => match value_at(json, next_path) {
            None | Some(Value::Null) => last(format!("no next URL at {next_path}")),
            Some(Value::String(s)) if s.trim().is_empty() => {
                last(format!("the next URL at {next_path} is empty"))
            }
            Some(Value::String(next)) => resolve(url, next),
            Some(Value::Object(o)) if o.get("href").is_some_and(Value::is_string) => {
                resolve(url, o["href"].as_str().unwrap_or_default())
            }
            Some(other) => last(format!(
                "the next URL at {next_path} is {}, not a URL",
                json_type_name(other)
            )),
        },
        Style::Cursor {
            cursor_path,
            cursor_param,
            has_more_path,
        } => {
            if let Some(path) = has_more_path
                && value_at(json, path) == Some(&Value::Bool(false))
            {
                return last("has_more is false");
            }
            let cursor = match value_at(json, cursor_path) {
                None => return last(format!("no cursor at {cursor_path}")),
                Some(Value::Null) => return last("cursor is null"),
                Some(Value::String(s)) if s.is_empty() => return last("cursor is empty"),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(other) => {
                    return last(format!(
                        "the cursor at {cursor_path} is {}, not a string",
                        json_type_name(other)
                    ));
                }
            };
            let mut next = url.clone();
            set_query_param(&mut next, cursor_param, &cursor);
            Ok(next)
        }
        Style::Page {
            page_param,
            size_param,
            size,
            start,
            ..
        } => {
            // A page-numbered body that says `"next": null` is the last page, whatever its
            // size: json-server 1.x answers a page past the end with the last page again.
            if json.get("next").is_some_and(Value::is_null) {
                return last("$.next is null");
            }
            let page = query_number(url, page_param).unwrap_or(*start);
            let page_size = size.or_else(|| query_number(url, size_param));
            let before = page
                .saturating_sub(*start)
                .saturating_mul(page_size.unwrap_or(count as u64));
            check_end(count, page_size, before, total)?;
            let mut next = url.clone();
            set_query_param(&mut next, page_param, &page.saturating_add(1).to_string());
            if let Some(size) = size {
                set_query_param(&mut next, size_param, &size.to_string());
            }
            Ok(next)
        }
        Style::Offset {
            offset_param,
            limit_param,
            limit,
            ..
        } => {
            let offset = query_number(url, offset_param).unwrap_or(0);
            let page_size = limit.or_else(|| query_number(url, limit_param));
            check_end(count, page_size, offset, total)?;
            let mut next = url.clone();
            set_query_param(
                &mut next,
                offset_param,
                &offset.saturating_add(count as u64).to_string(),
            );
            if let Some(limit) = limit {
                set_query_param(&mut next, limit_param, &limit.to_string());
            }
            Ok(next)
        }
    }
}

/// The page and offset stop rules: `count` items after `before` others, pages of `page_size`.
fn check_end(
    count: usize,
    page_size: Option<u64>,
    before: u64,
    total: Option<u64>,
) -> Result<(), Ending> {
    let count = count as u64;
    if count == 0 {
        return Err(Ending::Last("empty page".to_owned()));
    }
    if let Some(total) = total
        && before.saturating_add(count) >= total
    {
        return Err(Ending::Last(format!("reached the total of {total}")));
    }
    if let Some(size) = page_size
        && count < size
    {
        return Err(Ending::Last(format!("short page ({count} < {size})")));
    }
    Ok(())
}

/// `next` resolved against the page's URL; only http(s) is followed.
fn resolve(base: &Url, next: &str) -> Result<Url, Ending> {
    let bad = |error: String| {
        Err(Ending::Stop(StopReason::BadNextUrl {
            url: next.to_owned(),
            error,
        }))
    };
    match base.join(next.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(url) => bad(format!("{}: is not http or https", url.scheme())),
        Err(e) => bad(e.to_string()),
    }
}

/// The first `name` query parameter as a number.
fn query_number(url: &Url, name: &str) -> Option<u64> {
    url.query_pairs()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// The total item count: the page/offset style's source, else an `X-Total-Count` header if any.
fn read_total(style: &Style, headers: &[(String, String)], json: &Value) -> Option<u64> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.trim().parse().ok())
    };
    match style {
        Style::Page { total, .. } | Style::Offset { total, .. } => match total {
            Total::Header(name) => header(name),
            Total::Path(path) => match value_at(json, path)? {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            },
        },
        _ => header(TOTAL_HEADER),
    }
}

#[cfg(test)]
#[path = "next_tests.rs"]
mod tests;
