//! `/paged/*`: one deterministic list of [`TOTAL`] items served in every common pagination style,
//! so the app's "load more" can be shown and tested against each of them:
//!
//! - `/paged/link?page=N&size=S`: a JSON array, with an RFC 8288 `Link` header (`first`, `prev`,
//!   `next`, `last`; absolute URLs built from the request's `Host`, like GitHub) and `X-Total-Count`;
//! - `/paged/next-url?page=N&size=S`: `{"items", "next": absolute URL or null, "count"}`;
//! - `/paged/cursor?cursor=C&size=S`: `{"data", "next_cursor": opaque or null, "has_more"}`;
//! - `/paged/page?page=N&per_page=S` (or `size`): `{"results", "page", "per_page", "total"}`;
//! - `/paged/offset?offset=O&limit=L` (or `skip`/`take`, or `size`):
//!   `{"records", "offset", "limit", "total"}`;
//! - `/paged/loop?page=N`: like `/paged/link`, but page 1's next is page 2 and every other page's
//!   next is page 1: a loop;
//! - `/paged/broken?fail_at=N&page=P&size=S`: like `/paged/link`, but page N (default 2) always
//!   answers 500 with a JSON error. Deterministic on purpose: a retry of that page fails again.
//!
//! Sizes default to [`DEFAULT_SIZE`] and must be 1 to [`MAX_SIZE`]; pages start at 1; a page past
//! the end is empty (never an error). Every endpoint also takes `?delay_ms=` (at most
//! [`MAX_DELAY_MS`]), for progress and cancel tests; generated URLs keep `size`, `delay_ms` and
//! `fail_at`. Invalid parameters answer 400 with a JSON error naming the parameter.

use std::time::Duration;

use axum::Router;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::respond::{ApiError, header_str, json_response, json_response_with, query_map, single};

/// How many items the dataset holds; ids are `1..=TOTAL`.
pub(crate) const TOTAL: usize = 1234;
/// The page size when none is given.
pub(crate) const DEFAULT_SIZE: usize = 30;
/// The largest page size.
pub(crate) const MAX_SIZE: usize = 500;
/// The longest `?delay_ms=`.
pub(crate) const MAX_DELAY_MS: u64 = 2000;
/// The page `/paged/broken` fails at when `fail_at` is not given.
const DEFAULT_FAIL_AT: usize = 2;
/// Parameters copied from a request into the page URLs it links to.
const CARRIED: [&str; 2] = ["delay_ms", "fail_at"];
/// What a cursor holds before it is hex-encoded; anything else is not a cursor of ours.
const CURSOR_PREFIX: &str = "offset:";

pub(super) fn routes() -> Router {
    Router::new()
        .route("/paged/link", get(link))
        .route("/paged/next-url", get(next_url))
        .route("/paged/cursor", get(cursor))
        .route("/paged/page", get(page))
        .route("/paged/offset", get(offset))
        .route("/paged/loop", get(page_loop))
        .route("/paged/broken", get(broken))
}

/// Item `id` (1-based) of the dataset: the same on every call and every server.
pub(crate) fn item(id: usize) -> Value {
    const COLOURS: [&str; 3] = ["red", "green", "blue"];
    const SIZES: [&str; 4] = ["small", "medium", "large", "huge"];
    let mut tags = vec![COLOURS[id % COLOURS.len()], SIZES[id % SIZES.len()]];
    if id.is_multiple_of(7) {
        tags.push("sale");
    }
    // Cents from a multiplicative hash: varied, never zero, at most 100.98.
    let cents = (id * 7919) % 10_000 + 99;
    json!({
        "id": id,
        "name": format!("item {id}"),
        "price": cents as f64 / 100.0,
        "tags": tags,
    })
}

/// Up to `limit` items starting after the first `offset` (empty past the end).
fn slice(offset: usize, limit: usize) -> Vec<Value> {
    let start = offset.min(TOTAL);
    let end = offset.saturating_add(limit).min(TOTAL);
    (start..end).map(|index| item(index + 1)).collect()
}

/// How many pages of `size` the dataset fills (at least 1, so `last` always exists).
fn page_count(size: usize) -> usize {
    TOTAL.div_ceil(size).max(1)
}

/// The hex-encoded, opaque cursor for "continue after `offset` items".
pub(crate) fn encode_cursor(offset: usize) -> String {
    format!("{CURSOR_PREFIX}{offset}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The offset in a cursor made by [`encode_cursor`]; `None` for anything else, or for an offset
/// at or past the end (no page follows it, so no cursor was ever issued for it).
pub(crate) fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = cursor.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let decoded: Option<Vec<u8>> = bytes
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect();
    let text = String::from_utf8(decoded?).ok()?;
    let digits = text.strip_prefix(CURSOR_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&offset| offset < TOTAL)
}

/// A parsed `/paged/*` request: its query, where it was sent, and how long to wait.
#[derive(Debug)]
struct Paging {
    query: Map<String, Value>,
    /// `http://HOST/paged/...` when the request named its host, else the bare path.
    url: String,
    delay: Duration,
}

impl Paging {
    fn parse(query: Option<&str>, headers: &HeaderMap, path: &str) -> Result<Paging, ApiError> {
        let query = query_map(query);
        let delay_ms = single::<u64>(&query, "delay_ms")?.unwrap_or(0);
        if delay_ms > MAX_DELAY_MS {
            return Err(out_of_range("delay_ms", delay_ms, 0, MAX_DELAY_MS));
        }
        let url = match header_str(headers, header::HOST) {
            Some(host) => format!("http://{host}{path}"),
            None => path.to_owned(),
        };
        Ok(Paging {
            query,
            url,
            delay: Duration::from_millis(delay_ms),
        })
    }

    /// Which of `names` (aliases of one parameter) the request gave; more than one is a 400.
    fn alias<'a>(&self, names: &[&'a str]) -> Result<Option<&'a str>, ApiError> {
        let given: Vec<&str> = names
            .iter()
            .copied()
            .filter(|name| self.query.contains_key(*name))
            .collect();
        match given[..] {
            [] => Ok(None),
            [name] => Ok(Some(name)),
            _ => Err(ApiError::bad_request(format!(
                "give only one of {}",
                names.join(", ")
            ))),
        }
    }

    /// The page size from whichever of `names` was given, else [`DEFAULT_SIZE`].
    fn size(&self, names: &[&str]) -> Result<usize, ApiError> {
        let Some(name) = self.alias(names)? else {
            return Ok(DEFAULT_SIZE);
        };
        let size = single::<usize>(&self.query, name)?.unwrap_or(DEFAULT_SIZE);
        if !(1..=MAX_SIZE).contains(&size) {
            return Err(out_of_range(name, size, 1, MAX_SIZE));
        }
        Ok(size)
    }

    /// A count such as `offset` from whichever of `names` was given, else 0.
    fn count(&self, names: &[&str]) -> Result<usize, ApiError> {
        match self.alias(names)? {
            Some(name) => Ok(single(&self.query, name)?.unwrap_or(0)),
            None => Ok(0),
        }
    }

    /// The 1-based page number (default 1).
    fn page(&self) -> Result<usize, ApiError> {
        let page = single::<usize>(&self.query, "page")?.unwrap_or(1);
        if page == 0 {
            return Err(ApiError::bad_request("page starts at 1")
                .with("param", "page")
                .with("value", "0"));
        }
        Ok(page)
    }

    /// The URL of page `number` at `size`, keeping the [`CARRIED`] parameters.
    fn page_url(&self, number: usize, size: usize) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("page", &number.to_string());
        query.append_pair("size", &size.to_string());
        for name in CARRIED {
            if let Some(Value::String(value)) = self.query.get(name) {
                query.append_pair(name, value);
            }
        }
        format!("{}?{}", self.url, query.finish())
    }

    /// An RFC 8288 `Link` value: `first`, `prev` (after page 1), `next` (before the last page) and
    /// `last`.
    fn link_header(&self, number: usize, size: usize) -> String {
        let last = page_count(size);
        let mut links = vec![(1, "first")];
        if number > 1 {
            links.push(((number - 1).min(last), "prev"));
        }
        if number < last {
            links.push((number + 1, "next"));
        }
        links.push((last, "last"));
        links
            .into_iter()
            .map(|(n, rel)| format!("<{}>; rel=\"{rel}\"", self.page_url(n, size)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Parses the request, waits its `delay_ms`, then answers with `page` (or the 400 it returns).
async fn serve(
    query: Option<String>,
    headers: &HeaderMap,
    path: &str,
    page: fn(&Paging) -> Result<Response, ApiError>,
) -> Response {
    let paging = match Paging::parse(query.as_deref(), headers, path) {
        Ok(paging) => paging,
        Err(e) => return e.into_response(),
    };
    if !paging.delay.is_zero() {
        tokio::time::sleep(paging.delay).await;
    }
    page(&paging).unwrap_or_else(IntoResponse::into_response)
}

async fn link(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/link", link_page).await
}

async fn next_url(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/next-url", next_url_page).await
}

async fn cursor(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/cursor", cursor_page).await
}

async fn page(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/page", numbered_page).await
}

async fn offset(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/offset", offset_page).await
}

async fn page_loop(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/loop", loop_page).await
}

async fn broken(RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    serve(query, &headers, "/paged/broken", broken_page).await
}

/// A JSON array of page `number`, with the given `Link` value and `X-Total-Count`.
fn array_page(number: usize, size: usize, link: &str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(TOTAL));
    if let Ok(link) = HeaderValue::from_str(link) {
        headers.insert(header::LINK, link);
    }
    let items = slice((number - 1).saturating_mul(size), size);
    json_response_with(StatusCode::OK, headers, &Value::Array(items))
}

fn link_page(paging: &Paging) -> Result<Response, ApiError> {
    let (number, size) = (paging.page()?, paging.size(&["size"])?);
    Ok(array_page(number, size, &paging.link_header(number, size)))
}

fn next_url_page(paging: &Paging) -> Result<Response, ApiError> {
    let (number, size) = (paging.page()?, paging.size(&["size"])?);
    let next = (number < page_count(size)).then(|| paging.page_url(number + 1, size));
    let items = slice((number - 1).saturating_mul(size), size);
    Ok(json_response(
        StatusCode::OK,
        &json!({"items": items, "next": next, "count": TOTAL}),
    ))
}

fn cursor_page(paging: &Paging) -> Result<Response, ApiError> {
    let size = paging.size(&["size"])?;
    let start = match single::<String>(&paging.query, "cursor")? {
        None => 0,
        Some(raw) if raw.is_empty() => 0,
        Some(raw) => decode_cursor(&raw).ok_or_else(|| {
            ApiError::bad_request("invalid cursor: pass back a next_cursor from this endpoint")
                .with("param", "cursor")
                .with("value", raw)
        })?,
    };
    let end = start + size;
    let has_more = end < TOTAL;
    let next_cursor = has_more.then(|| encode_cursor(end));
    Ok(json_response(
        StatusCode::OK,
        &json!({"data": slice(start, size), "next_cursor": next_cursor, "has_more": has_more}),
    ))
}

fn numbered_page(paging: &Paging) -> Result<Response, ApiError> {
    let (number, size) = (paging.page()?, paging.size(&["per_page", "size"])?);
    let results = slice((number - 1).saturating_mul(size), size);
    Ok(json_response(
        StatusCode::OK,
        &json!({"results": results, "page": number, "per_page": size, "total": TOTAL}),
    ))
}

fn offset_page(paging: &Paging) -> Result<Response, ApiError> {
    let start = paging.count(&["offset", "skip"])?;
    let limit = paging.size(&["limit", "take", "size"])?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"records": slice(start, limit), "offset": start, "limit": limit, "total": TOTAL}),
    ))
}

fn loop_page(paging: &Paging) -> Result<Response, ApiError> {
    let (number, size) = (paging.page()?, paging.size(&["size"])?);
    let next = if number == 1 { 2 } else { 1 };
    let link = format!("<{}>; rel=\"next\"", paging.page_url(next, size));
    Ok(array_page(number, size, &link))
}

fn broken_page(paging: &Paging) -> Result<Response, ApiError> {
    let (number, size) = (paging.page()?, paging.size(&["size"])?);
    let fail_at = single::<usize>(&paging.query, "fail_at")?.unwrap_or(DEFAULT_FAIL_AT);
    if fail_at == 0 {
        return Err(ApiError::bad_request("fail_at starts at 1")
            .with("param", "fail_at")
            .with("value", "0"));
    }
    if number == fail_at {
        return Err(
            ApiError::internal(format!("page {number} always fails (fail_at={fail_at})"))
                .with("page", number),
        );
    }
    Ok(array_page(number, size, &paging.link_header(number, size)))
}

fn out_of_range<T: std::fmt::Display + Into<Value>>(
    name: &str,
    value: T,
    min: T,
    max: T,
) -> ApiError {
    ApiError::bad_request(format!("{name} must be between {min} and {max}"))
        .with("param", name)
        .with("value", value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_deterministic_and_shaped() {
        assert_eq!(item(7), item(7));
        assert_eq!(item(1)["id"], 1);
        assert_eq!(item(1)["name"], "item 1");
        assert_eq!(item(7)["tags"].as_array().unwrap().last().unwrap(), "sale");
        for id in 1..=TOTAL {
            let price = item(id)["price"].as_f64().unwrap();
            assert!(price > 0.0 && price < 101.0, "{id}: {price}");
        }
    }

    #[test]
    fn slices_stop_at_the_end() {
        assert_eq!(slice(0, 3).len(), 3);
        assert_eq!(slice(TOTAL - 4, 10).len(), 4);
        assert!(slice(TOTAL, 10).is_empty());
        assert!(slice(usize::MAX, usize::MAX).is_empty());
        assert_eq!(page_count(10), 124);
        assert_eq!(page_count(MAX_SIZE), 3);
    }

    #[test]
    fn cursors_round_trip_and_reject_strangers() {
        for offset in [0, 1, 30, TOTAL - 1] {
            let cursor = encode_cursor(offset);
            assert!(cursor.bytes().all(|b| b.is_ascii_hexdigit()), "{cursor}");
            assert_eq!(decode_cursor(&cursor), Some(offset));
        }
        for bad in [
            "",
            "0",
            "zz",
            "6f",
            &encode_cursor(TOTAL),
            "6f66667365743a2d31",
        ] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn link_header_names_every_rel_and_keeps_carried_parameters() {
        let headers = HeaderMap::from_iter([(header::HOST, HeaderValue::from_static("h:1"))]);
        let paging = Paging::parse(Some("page=2&delay_ms=5&x=1"), &headers, "/paged/link").unwrap();
        assert_eq!(
            paging.link_header(2, 500),
            "<http://h:1/paged/link?page=1&size=500&delay_ms=5>; rel=\"first\", \
             <http://h:1/paged/link?page=1&size=500&delay_ms=5>; rel=\"prev\", \
             <http://h:1/paged/link?page=3&size=500&delay_ms=5>; rel=\"next\", \
             <http://h:1/paged/link?page=3&size=500&delay_ms=5>; rel=\"last\""
        );
        let last = paging.link_header(3, 500);
        assert!(!last.contains("next") && last.contains("prev"), "{last}");
    }

    #[test]
    fn sizes_are_checked() {
        let size = |query: &str, names: &[&str]| {
            Paging::parse(Some(query), &HeaderMap::new(), "/p")
                .and_then(|p| p.size(names))
                .map_err(|e| e.status)
        };
        assert_eq!(size("", &["size"]), Ok(DEFAULT_SIZE));
        assert_eq!(size("size=500", &["size"]), Ok(500));
        assert_eq!(size("take=7", &["limit", "take"]), Ok(7));
        for bad in ["size=0", "size=501", "size=-1", "size=x", "size=1&size=2"] {
            assert_eq!(size(bad, &["size"]), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        assert_eq!(
            size("limit=1&take=2", &["limit", "take"]),
            Err(StatusCode::BAD_REQUEST)
        );
    }
}
