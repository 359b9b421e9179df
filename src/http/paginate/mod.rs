//! Pagination: the `Link` header ([`link`]), guessing the style from a first response ([`mod@detect`]), finding a page's
//! items ([`merge`]), the step from one page to the next ([`next`]), and the [`Pager`] that
//! fetches pages through the executor. The config (`pagination = { style = … }`) is plain data
//! in [`crate::model::pagination`].

pub mod detect;
pub mod link;
pub mod merge;
pub mod next;
pub mod pager;

pub use detect::{Detected, detect};
pub use link::{LinkValue, format_link, links_in_headers, parse_link_header, rel};
pub use merge::{find_items_path, items_at};
pub use next::{CapHit, PagerState, Step, StopReason, first_page_url, next_page, same_origin};
pub use pager::{Load, Page, Pager, PagerEvent};
