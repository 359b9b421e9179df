//! How a request pages, as written in a collection:
//!
//! ```toml
//! pagination = { style = "link" }                                  # RFC 8288 Link: rel="next"
//! pagination = { style = "next-url", next_path = "$.links.next" }  # a next-page URL in the body
//! pagination = { style = "cursor", cursor_path = "$.meta.next_cursor", cursor_param = "cursor",
//!                has_more_path = "$.has_more" }
//! pagination = { style = "page", page_param = "page", size_param = "per_page", size = 100,
//!                start = 1, total_header = "X-Total-Count" }
//! pagination = { style = "offset", offset_param = "skip", limit_param = "take", limit = 50,
//!                total_path = "$.total" }
//! ```
//!
//! Every style also takes `items` (the JSONPath of the list in each page; without it the list is
//! found as `http::paginate::merge::items_at` documents) and the caps `max_pages` (default 50) and `max_items`
//! (default 100,000). Defaults: `cursor_param = "cursor"`; `page_param = "page"`,
//! `size_param = "per_page"`, `start = 1`; `offset_param = "offset"`, `limit_param = "limit"`;
//! the total (a count of items) is read from the `X-Total-Count` header unless `total_path` or
//! another `total_header` is given. `size`/`limit` are sent with every page when given; otherwise
//! the request URL's own value (if any) is kept and used for the short-page rule.
//! JSONPaths are RFC 9535 and checked when the collection is read.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer};

/// Every `style`, in the order the docs list them.
pub const STYLES: [&str; 5] = ["link", "next-url", "cursor", "page", "offset"];

/// The header the total count is read from by default.
pub const TOTAL_HEADER: &str = "X-Total-Count";

/// A request's pagination: the style, where the items are, and the caps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub style: Style,
    /// The JSONPath of the list in each page; `None` finds it automatically.
    pub items: Option<String>,
    pub limits: Limits,
}

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// The `Link` header's `rel="next"`.
    Link,
    /// A next-page URL in the body (relative ones resolve against the page's URL).
    NextUrl { next_path: String },
    /// A cursor in the body, sent back as the query parameter `cursor_param`; the end is a
    /// null/empty cursor or a false `has_more_path`.
    Cursor {
        cursor_path: String,
        cursor_param: String,
        has_more_path: Option<String>,
    },
    /// Page numbers: `page_param` counts from `start`; `size` (sent as `size_param`) is the page size.
    Page {
        page_param: String,
        size_param: String,
        size: Option<u64>,
        start: u64,
        total: Total,
    },
    /// Offsets: `offset_param` counts items from 0; `limit` (sent as `limit_param`) is the page size.
    Offset {
        offset_param: String,
        limit_param: String,
        limit: Option<u64>,
        total: Total,
    },
}

/// Where the total number of items is read (page and offset styles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Total {
    /// A response header holding a number (`total_header`, default `X-Total-Count`).
    Header(String),
    /// A number (or numeric string) in the body (`total_path`).
    Path(String),
}

impl Default for Total {
    fn default() -> Self {
        Total::Header(TOTAL_HEADER.to_owned())
    }
}

/// The caps on one "load all": `max_pages` pages and `max_items` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_pages: usize,
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: 50,
            max_items: 100_000,
        }
    }
}

impl Style {
    /// `link`, `next-url`, `cursor`, `page` or `offset`: the `style` written.
    pub fn name(&self) -> &'static str {
        match self {
            Style::Link => STYLES[0],
            Style::NextUrl { .. } => STYLES[1],
            Style::Cursor { .. } => STYLES[2],
            Style::Page { .. } => STYLES[3],
            Style::Offset { .. } => STYLES[4],
        }
    }
}

impl Pagination {
    /// A style with automatic items and the default caps.
    pub fn new(style: Style) -> Self {
        Pagination {
            style,
            items: None,
            limits: Limits::default(),
        }
    }

    /// The page style with every default (`page`/`per_page`, from 1, total from `X-Total-Count`).
    pub fn page() -> Self {
        Pagination::new(Style::Page {
            page_param: "page".to_owned(),
            size_param: "per_page".to_owned(),
            size: None,
            start: 1,
            total: Total::default(),
        })
    }

    /// The offset style with every default (`offset`/`limit`, total from `X-Total-Count`).
    pub fn offset() -> Self {
        Pagination::new(Style::Offset {
            offset_param: "offset".to_owned(),
            limit_param: "limit".to_owned(),
            limit: None,
            total: Total::default(),
        })
    }

    /// The table a collection stores: `style`, the style's keys (optional ones when set), `items`
    /// when set and the caps when not the defaults. Reading it back gives `self`.
    pub fn to_toml_value(&self) -> toml_edit::Value {
        let mut t = toml_edit::InlineTable::new();
        t.insert("style", self.style.name().into());
        match &self.style {
            Style::Link => {}
            Style::NextUrl { next_path } => {
                t.insert("next_path", next_path.as_str().into());
            }
            Style::Cursor {
                cursor_path,
                cursor_param,
                has_more_path,
            } => {
                t.insert("cursor_path", cursor_path.as_str().into());
                t.insert("cursor_param", cursor_param.as_str().into());
                if let Some(path) = has_more_path {
                    t.insert("has_more_path", path.as_str().into());
                }
            }
            Style::Page {
                page_param,
                size_param,
                size,
                start,
                total,
            } => {
                t.insert("page_param", page_param.as_str().into());
                t.insert("size_param", size_param.as_str().into());
                if let Some(size) = size {
                    t.insert("size", toml_int(*size).into());
                }
                t.insert("start", toml_int(*start).into());
                insert_total(&mut t, total);
            }
            Style::Offset {
                offset_param,
                limit_param,
                limit,
                total,
            } => {
                t.insert("offset_param", offset_param.as_str().into());
                t.insert("limit_param", limit_param.as_str().into());
                if let Some(limit) = limit {
                    t.insert("limit", toml_int(*limit).into());
                }
                insert_total(&mut t, total);
            }
        }
        if let Some(items) = &self.items {
            t.insert("items", items.as_str().into());
        }
        let defaults = Limits::default();
        if self.limits.max_pages != defaults.max_pages {
            t.insert("max_pages", toml_int(self.limits.max_pages as u64).into());
        }
        if self.limits.max_items != defaults.max_items {
            t.insert("max_items", toml_int(self.limits.max_items as u64).into());
        }
        toml_edit::Value::InlineTable(t)
    }
}

fn insert_total(t: &mut toml_edit::InlineTable, total: &Total) {
    match total {
        Total::Header(name) => t.insert("total_header", name.as_str().into()),
        Total::Path(path) => t.insert("total_path", path.as_str().into()),
    };
}

fn toml_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

// ---- serde: the collection format ----

/// A style's own keys as written; `style` was checked first and the shared keys taken out.
#[derive(Deserialize)]
#[serde(tag = "style", rename_all = "kebab-case", deny_unknown_fields)]
enum Table {
    Link {},
    NextUrl {
        next_path: String,
    },
    Cursor {
        cursor_path: String,
        cursor_param: Option<String>,
        has_more_path: Option<String>,
    },
    Page {
        page_param: Option<String>,
        size_param: Option<String>,
        size: Option<u64>,
        start: Option<u64>,
        total_path: Option<String>,
        total_header: Option<String>,
    },
    Offset {
        offset_param: Option<String>,
        limit_param: Option<String>,
        limit: Option<u64>,
        total_path: Option<String>,
        total_header: Option<String>,
    },
}

/// The keys every style takes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Shared {
    items: Option<String>,
    max_pages: Option<u64>,
    max_items: Option<u64>,
}

const SHARED_KEYS: [&str; 3] = ["items", "max_pages", "max_items"];

/// `path` when it is a valid RFC 9535 JSONPath, else a message naming the key.
fn checked_path(key: &str, path: String) -> Result<String, String> {
    match super::json_path::parse(&path) {
        Ok(_) => Ok(path),
        Err(e) => Err(format!(
            "`{key}` = {path:?} is not a valid JSONPath ({} at character {}); write one such as \"$.data.items\"",
            e.message(),
            e.position()
        )),
    }
}

fn checked_optional_path(key: &str, path: Option<String>) -> Result<Option<String>, String> {
    path.map(|p| checked_path(key, p)).transpose()
}

fn positive(key: &str, n: Option<u64>) -> Result<Option<u64>, String> {
    match n {
        Some(0) => Err(format!("`{key}` must be at least 1")),
        n => Ok(n),
    }
}

fn total(path: Option<String>, header: Option<String>) -> Result<Total, String> {
    match (path, header) {
        (Some(_), Some(_)) => Err(
            "give `total_path` or `total_header`, not both: the total comes from one place".into(),
        ),
        (Some(path), None) => Ok(Total::Path(checked_path("total_path", path)?)),
        (None, Some(header)) => Ok(Total::Header(header)),
        (None, None) => Ok(Total::default()),
    }
}

fn limits(shared: &Shared) -> Result<Limits, String> {
    let defaults = Limits::default();
    let cap = |key: &str, n: Option<u64>, default: usize| -> Result<usize, String> {
        Ok(positive(key, n)?.map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX)))
    };
    Ok(Limits {
        max_pages: cap("max_pages", shared.max_pages, defaults.max_pages)?,
        max_items: cap("max_items", shared.max_items, defaults.max_items)?,
    })
}

fn style(table: Table) -> Result<Style, String> {
    Ok(match table {
        Table::Link {} => Style::Link,
        Table::NextUrl { next_path } => Style::NextUrl {
            next_path: checked_path("next_path", next_path)?,
        },
        Table::Cursor {
            cursor_path,
            cursor_param,
            has_more_path,
        } => Style::Cursor {
            cursor_path: checked_path("cursor_path", cursor_path)?,
            cursor_param: cursor_param.unwrap_or_else(|| "cursor".to_owned()),
            has_more_path: checked_optional_path("has_more_path", has_more_path)?,
        },
        Table::Page {
            page_param,
            size_param,
            size,
            start,
            total_path,
            total_header,
        } => Style::Page {
            page_param: page_param.unwrap_or_else(|| "page".to_owned()),
            size_param: size_param.unwrap_or_else(|| "per_page".to_owned()),
            size: positive("size", size)?,
            start: start.unwrap_or(1),
            total: total(total_path, total_header)?,
        },
        Table::Offset {
            offset_param,
            limit_param,
            limit,
            total_path,
            total_header,
        } => Style::Offset {
            offset_param: offset_param.unwrap_or_else(|| "offset".to_owned()),
            limit_param: limit_param.unwrap_or_else(|| "limit".to_owned()),
            limit: positive("limit", limit)?,
            total: total(total_path, total_header)?,
        },
    })
}

impl<'de> Deserialize<'de> for Pagination {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut table = toml::Table::deserialize(deserializer)?;
        let name = match table.get("style") {
            Some(toml::Value::String(name)) if STYLES.contains(&name.as_str()) => name.clone(),
            Some(toml::Value::String(name)) => {
                return Err(de::Error::custom(format!(
                    "unknown pagination style {name:?}: use one of {}",
                    STYLES.join(", ")
                )));
            }
            Some(other) => {
                return Err(de::Error::custom(format!(
                    "the pagination `style` must be a string (one of {}), not a {}",
                    STYLES.join(", "),
                    other.type_str()
                )));
            }
            None => {
                return Err(de::Error::custom(format!(
                    "pagination needs a `style`: one of {}",
                    STYLES.join(", ")
                )));
            }
        };
        let mut shared = toml::Table::new();
        for key in SHARED_KEYS {
            if let Some(value) = table.remove(key) {
                shared.insert(key.to_owned(), value);
            }
        }
        let in_style = |e: String| de::Error::custom(format!("{name} pagination: {e}"));
        let shared = Shared::deserialize(toml::Value::Table(shared))
            .map_err(|e| in_style(e.message().to_owned()))?;
        let table = Table::deserialize(toml::Value::Table(table))
            .map_err(|e| in_style(e.message().to_owned()))?;
        Ok(Pagination {
            style: style(table).map_err(in_style)?,
            limits: limits(&shared).map_err(in_style)?,
            items: checked_optional_path("items", shared.items).map_err(in_style)?,
        })
    }
}

impl fmt::Display for Pagination {
    /// The style's name, for "more available (link)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.style.name())
    }
}

#[cfg(test)]
#[path = "pagination_tests.rs"]
mod tests;
