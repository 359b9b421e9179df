//! `/items`: an in-memory CRUD resource seeded with three items. Each [`super::router`] call has its
//! own store, so two demo servers never share items.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::{Value, json};

use super::respond::{
    ApiError, header_str, json_response, json_response_with, parse_param, query_map, single,
};

/// Largest `per_page` for a paged `GET /items`.
pub(crate) const MAX_PER_PAGE: usize = 100;
const DEFAULT_PER_PAGE: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Item {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) price: Option<f64>,
    pub(crate) tags: Vec<String>,
    pub(crate) created_at: String,
}

#[derive(Debug)]
struct Store {
    next_id: u64,
    items: BTreeMap<u64, Item>,
}

impl Store {
    fn seeded() -> Store {
        let seed = [
            (
                "Espresso cup",
                Some(4.5),
                &["kitchen", "ceramic"][..],
                "2024-05-01T09:30:00Z",
            ),
            (
                "Mechanical keyboard",
                Some(89.99),
                &["desk", "electronics"][..],
                "2024-05-02T14:05:00Z",
            ),
            (
                "Carte des sentiers — Besançon",
                None,
                &["outdoor"][..],
                "2024-05-03T07:45:30Z",
            ),
        ];
        let mut store = Store {
            next_id: 1,
            items: BTreeMap::new(),
        };
        for (name, price, tags, created_at) in seed {
            store.insert(
                name.to_owned(),
                price,
                tags.iter().map(|t| (*t).to_owned()).collect(),
                created_at.to_owned(),
            );
        }
        store
    }

    fn insert(
        &mut self,
        name: String,
        price: Option<f64>,
        tags: Vec<String>,
        created_at: String,
    ) -> Item {
        let item = Item {
            id: self.next_id,
            name,
            price,
            tags,
            created_at,
        };
        self.next_id += 1;
        self.items.insert(item.id, item.clone());
        item
    }
}

#[derive(Debug, Clone)]
struct Items(Arc<Mutex<Store>>);

impl Items {
    fn lock(&self) -> MutexGuard<'_, Store> {
        // No handler panics while holding the lock, and a store is valid after any completed
        // statement, so a poisoned lock is still safe to use.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(super) fn routes() -> Router {
    let state = Items(Arc::new(Mutex::new(Store::seeded())));
    Router::new()
        .route("/items", get(list).post(create))
        .route(
            "/items/{id}",
            get(read).put(replace).patch(update).delete(remove),
        )
        .with_state(state)
}

async fn list(
    State(items): State<Items>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let page = match Page::from_query(query.as_deref()) {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    let all: Vec<Item> = items.lock().items.values().cloned().collect();
    let total = all.len();
    let mut response_headers = HeaderMap::new();
    response_headers.insert("x-total-count", HeaderValue::from(total));
    let shown: Vec<Item> = match page {
        None => all,
        Some(page) => {
            let base = match header_str(&headers, header::HOST) {
                Some(host) => format!("http://{host}/items"),
                None => "/items".to_owned(),
            };
            if let Ok(link) = HeaderValue::from_str(&page.link_header(&base, total)) {
                response_headers.insert(header::LINK, link);
            }
            all.into_iter()
                .skip((page.number - 1).saturating_mul(page.per_page))
                .take(page.per_page)
                .collect()
        }
    };
    json_response_with(StatusCode::OK, response_headers, &json!(shown))
}

/// A page of `GET /items?page=N&per_page=M` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) number: usize,
    pub(crate) per_page: usize,
}

impl Page {
    /// `None` when neither `page` nor `per_page` is given (the whole list).
    pub(crate) fn from_query(query: Option<&str>) -> Result<Option<Page>, ApiError> {
        let query = query_map(query);
        let number = single::<usize>(&query, "page")?;
        let per_page = single::<usize>(&query, "per_page")?;
        if number.is_none() && per_page.is_none() {
            return Ok(None);
        }
        let page = Page {
            number: number.unwrap_or(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE),
        };
        if page.number == 0 {
            return Err(ApiError::bad_request("page starts at 1"));
        }
        if page.per_page == 0 || page.per_page > MAX_PER_PAGE {
            return Err(ApiError::bad_request(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        Ok(Some(page))
    }

    /// An RFC 8288 `Link` value with `first`, `prev` (if any), `next` (if any) and `last`.
    pub(crate) fn link_header(&self, base: &str, total: usize) -> String {
        let last = total.div_ceil(self.per_page).max(1);
        let link = |number: usize, rel: &str| {
            format!(
                "<{base}?page={number}&per_page={}>; rel=\"{rel}\"",
                self.per_page
            )
        };
        let mut links = vec![link(1, "first")];
        if self.number > 1 {
            links.push(link((self.number - 1).min(last), "prev"));
        }
        if self.number < last {
            links.push(link(self.number + 1, "next"));
        }
        links.push(link(last, "last"));
        links.join(", ")
    }
}

async fn create(State(items): State<Items>, body: Bytes) -> Response {
    let fields = match Fields::parse(&body).and_then(Fields::require_name) {
        Ok(fields) => fields,
        Err(e) => return e.into_response(),
    };
    let (name, price, tags) = fields;
    let item = items.lock().insert(name, price, tags, now_rfc3339());
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("/items/{}", item.id)) {
        headers.insert(header::LOCATION, location);
    }
    json_response_with(StatusCode::CREATED, headers, &json!(item))
}

async fn read(State(items): State<Items>, Path(raw): Path<String>) -> Response {
    let result = parse_id(&raw).and_then(|id| {
        items
            .lock()
            .items
            .get(&id)
            .cloned()
            .ok_or_else(|| missing(id))
    });
    item_response(result)
}

async fn replace(State(items): State<Items>, Path(raw): Path<String>, body: Bytes) -> Response {
    let result = parse_id(&raw).and_then(|id| {
        let (name, price, tags) = Fields::parse(&body).and_then(Fields::require_name)?;
        let mut store = items.lock();
        let item = store.items.get_mut(&id).ok_or_else(|| missing(id))?;
        item.name = name;
        item.price = price;
        item.tags = tags;
        Ok(item.clone())
    });
    item_response(result)
}

async fn update(State(items): State<Items>, Path(raw): Path<String>, body: Bytes) -> Response {
    let result = parse_id(&raw).and_then(|id| {
        let fields = Fields::parse(&body)?;
        let mut store = items.lock();
        let item = store.items.get_mut(&id).ok_or_else(|| missing(id))?;
        fields.merge_into(item);
        Ok(item.clone())
    });
    item_response(result)
}

async fn remove(State(items): State<Items>, Path(raw): Path<String>) -> Response {
    let result =
        parse_id(&raw).and_then(|id| items.lock().items.remove(&id).ok_or_else(|| missing(id)));
    match result {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

fn item_response(result: Result<Item, ApiError>) -> Response {
    match result {
        Ok(item) => json_response(StatusCode::OK, &json!(item)),
        Err(e) => e.into_response(),
    }
}

fn parse_id(raw: &str) -> Result<u64, ApiError> {
    parse_param("id", raw)
}

fn missing(id: u64) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("no item with id {id}")).with("id", id)
}

/// The writable fields of a request body; `None` means "not given". `price: null` is given.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Fields {
    pub(crate) name: Option<String>,
    pub(crate) price: Option<Option<f64>>,
    pub(crate) tags: Option<Vec<String>>,
}

impl Fields {
    /// Reads a JSON object body. Not JSON, not an object, or a field of the wrong type → 422 with
    /// the reason (and, for a syntax error, its line and column). Unknown fields are ignored.
    pub(crate) fn parse(body: &[u8]) -> Result<Fields, ApiError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::unprocessable("the body is not valid JSON")
                .with("message", e.to_string())
                .with("line", e.line())
                .with("column", e.column())
        })?;
        let Value::Object(object) = value else {
            return Err(ApiError::unprocessable(format!(
                "expected a JSON object, got {}",
                crate::model::json_type_name(&value)
            )));
        };
        let invalid = |field: &str, expected: &str, got: &Value| {
            ApiError::unprocessable(format!(
                "field `{field}` must be {expected}, got {}",
                crate::model::json_type_name(got)
            ))
            .with("field", field)
        };
        let mut fields = Fields::default();
        if let Some(name) = object.get("name") {
            match name {
                Value::String(name) if !name.trim().is_empty() => fields.name = Some(name.clone()),
                other => return Err(invalid("name", "a non-empty string", other)),
            }
        }
        if let Some(price) = object.get("price") {
            match price {
                Value::Null => fields.price = Some(None),
                Value::Number(n) => fields.price = Some(n.as_f64()),
                other => return Err(invalid("price", "a number or null", other)),
            }
        }
        if let Some(tags) = object.get("tags") {
            let as_strings: Option<Vec<String>> = tags
                .as_array()
                .and_then(|tags| tags.iter().map(|t| t.as_str().map(str::to_owned)).collect());
            match as_strings {
                Some(tags) => fields.tags = Some(tags),
                None => return Err(invalid("tags", "an array of strings", tags)),
            }
        }
        Ok(fields)
    }

    /// For POST and PUT: the full set of values, `name` required, the rest defaulting to empty.
    pub(crate) fn require_name(self) -> Result<(String, Option<f64>, Vec<String>), ApiError> {
        let name = self
            .name
            .ok_or_else(|| ApiError::unprocessable("missing field `name`").with("field", "name"))?;
        Ok((name, self.price.flatten(), self.tags.unwrap_or_default()))
    }

    /// For PATCH: overwrite only what was given.
    pub(crate) fn merge_into(self, item: &mut Item) {
        if let Some(name) = self.name {
            item.name = name;
        }
        if let Some(price) = self.price {
            item.price = price;
        }
        if let Some(tags) = self.tags {
            item.tags = tags;
        }
    }
}

fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::model::date::rfc3339_utc(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_reports_syntax_errors_with_position() {
        let err = Fields::parse(b"{\n  \"name\": \"x\",\n}").unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.body["line"], 3);
        assert_eq!(err.body["column"], 1);
        assert!(
            err.body["message"]
                .as_str()
                .unwrap()
                .contains("trailing comma")
        );
        assert!(Fields::parse(b"").is_err());
    }

    #[test]
    fn fields_parse_checks_types() {
        let fields =
            Fields::parse(br#"{"name": "a", "price": 2, "tags": ["x"], "extra": 1}"#).unwrap();
        assert_eq!(
            fields,
            Fields {
                name: Some("a".into()),
                price: Some(Some(2.0)),
                tags: Some(vec!["x".into()])
            }
        );
        assert_eq!(
            Fields::parse(br#"{"price": null}"#).unwrap().price,
            Some(None)
        );
        for (body, field) in [
            (&br#"{"name": 1}"#[..], "name"),
            (br#"{"name": "  "}"#, "name"),
            (br#"{"price": "1"}"#, "price"),
            (br#"{"tags": ["a", 1]}"#, "tags"),
            (br#"{"tags": "a"}"#, "tags"),
        ] {
            let err = Fields::parse(body).unwrap_err();
            assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err.body["field"], field);
        }
        assert!(
            Fields::parse(b"[1, 2]").unwrap_err().body["error"]
                .as_str()
                .unwrap()
                .contains("an array")
        );
    }

    #[test]
    fn require_name_and_merge() {
        assert!(Fields::default().require_name().is_err());
        let mut item = Store::seeded().items[&1].clone();
        Fields {
            price: Some(None),
            ..Fields::default()
        }
        .merge_into(&mut item);
        assert_eq!(item.price, None);
        assert_eq!(item.name, "Espresso cup");
        assert_eq!(item.tags, ["kitchen", "ceramic"]);
    }

    #[test]
    fn page_from_query() {
        assert_eq!(Page::from_query(None).unwrap(), None);
        assert_eq!(Page::from_query(Some("q=1")).unwrap(), None);
        assert_eq!(
            Page::from_query(Some("page=2")).unwrap(),
            Some(Page {
                number: 2,
                per_page: DEFAULT_PER_PAGE
            })
        );
        for bad in [
            "page=0",
            "per_page=0",
            "per_page=101",
            "page=x",
            "page=1&page=2",
        ] {
            assert!(Page::from_query(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn link_header_names_neighbours() {
        let page = Page {
            number: 2,
            per_page: 2,
        };
        assert_eq!(
            page.link_header("/items", 5),
            "</items?page=1&per_page=2>; rel=\"first\", </items?page=1&per_page=2>; rel=\"prev\", \
             </items?page=3&per_page=2>; rel=\"next\", </items?page=3&per_page=2>; rel=\"last\""
        );
        let only = Page {
            number: 1,
            per_page: 10,
        }
        .link_header("/items", 0);
        assert_eq!(
            only,
            "</items?page=1&per_page=10>; rel=\"first\", </items?page=1&per_page=10>; rel=\"last\""
        );
    }

    #[test]
    fn seeded_store_has_three_items_with_increasing_ids() {
        let store = Store::seeded();
        assert_eq!(store.items.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(store.next_id, 4);
    }
}
