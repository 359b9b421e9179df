//! Pagination, the pure part: the `Link` header ([`link`]), the `pagination = { style = … }`
//! config ([`style`]), guessing the style from a first response ([`mod@detect`]), finding a page's
//! items ([`merge`]) and the step from one page to the next ([`next`]). No network, no UI: the
//! HTTP worker fetches each page and asks [`next_page`] where the next one is.

pub mod detect;
pub mod link;
pub mod merge;
pub mod next;
pub mod pager;
pub mod style;

pub use detect::{Detected, detect};
pub use link::{LinkValue, format_link, links_in_headers, parse_link_header, rel};
pub use merge::{find_items_path, items_at};
pub use next::{CapHit, PagerState, Step, StopReason, first_page_url, next_page, same_origin};
pub use pager::{Load, Page, Pager, PagerEvent};
pub use style::{Limits, Pagination, STYLES, Style, Total};
