//! `/payments`, `OPTIONS` and `/cors`: endpoints that teach what methods promise.
//!
//! - `POST /payments` is not idempotent: each one charges again, unless it carries an
//!   `Idempotency-Key`; a key seen before answers the first payment again
//!   (`Idempotent-Replayed: true`), and a key reused with another body is a 422.
//!   `GET /payments` lists them, so duplicates show.
//! - `OPTIONS /items`, `/items/{id}`, `/payments` and `/cors` answer 204 with `Allow`.
//! - `/cors` answers a CORS preflight (an `OPTIONS` with `Origin` and
//!   `Access-Control-Request-Method`) for the origin `https://app.example`, and refuses others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, options};
use serde_json::{Value, json};

use super::respond::{ApiError, header_str, json_response, json_response_with};

/// Most payments (and keys) kept; past it the oldest are forgotten.
const MAX_PAYMENTS: usize = 1000;
/// Longest `Idempotency-Key` accepted.
const MAX_KEY: usize = 255;
/// The one origin `/cors` lets in.
pub const ALLOWED_ORIGIN: &str = "https://app.example";

#[derive(Debug, Default)]
struct Ledger {
    payments: Vec<Value>,
    next_id: u64,
    /// Idempotency-Key → (the body it came with, the payment it made).
    keys: HashMap<String, (Value, Value)>,
}

#[derive(Debug, Clone, Default)]
struct Payments(Arc<Mutex<Ledger>>);

pub(super) fn routes() -> Router {
    Router::new()
        .route(
            "/payments",
            get(list_payments)
                .post(pay)
                .options(allow("GET, POST, OPTIONS")),
        )
        .with_state(Payments::default())
        .route("/items", options(allow("GET, POST, OPTIONS")))
        .route(
            "/items/{id}",
            options(allow("GET, PUT, PATCH, DELETE, OPTIONS")),
        )
        .route("/cors", get(cors_get).options(preflight))
}

/// A handler answering `OPTIONS` with 204 and `Allow: methods`.
fn allow(methods: &'static str) -> impl Fn() -> std::future::Ready<Response> + Clone {
    move || {
        std::future::ready(
            (
                StatusCode::NO_CONTENT,
                [(header::ALLOW, HeaderValue::from_static(methods))],
            )
                .into_response(),
        )
    }
}

async fn list_payments(State(payments): State<Payments>) -> Response {
    let ledger = payments.0.lock().unwrap_or_else(PoisonError::into_inner);
    json_response(
        StatusCode::OK,
        &json!({"count": ledger.payments.len(), "payments": ledger.payments}),
    )
}

async fn pay(
    State(payments): State<Payments>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body must be JSON like {{\"amount\": 10}}: {e}"
        ))
    })?;
    let Some(amount) = request.get("amount").and_then(Value::as_f64) else {
        return Err(ApiError::unprocessable("amount (a number) is required"));
    };
    let key = header_str(&headers, header::HeaderName::from_static("idempotency-key"))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(key) = key
        && key.len() > MAX_KEY
    {
        return Err(ApiError::bad_request(format!(
            "Idempotency-Key is at most {MAX_KEY} characters"
        )));
    }
    let mut ledger = payments.0.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(key) = key
        && let Some((first_body, payment)) = ledger.keys.get(key)
    {
        if *first_body != request {
            return Err(ApiError::unprocessable(
                "this Idempotency-Key was used with another body: a key names one operation",
            )
            .with("idempotency_key", key));
        }
        let mut replay = HeaderMap::new();
        replay.insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(json_response_with(StatusCode::CREATED, replay, payment));
    }
    ledger.next_id += 1;
    let payment = json!({
        "id": ledger.next_id,
        "amount": amount,
        "currency": request.get("currency").cloned().unwrap_or(json!("EUR")),
        "idempotency_key": key,
    });
    ledger.payments.push(payment.clone());
    if ledger.payments.len() > MAX_PAYMENTS {
        ledger.payments.remove(0);
    }
    if let Some(key) = key {
        if ledger.keys.len() >= MAX_PAYMENTS {
            ledger.keys.clear();
        }
        ledger
            .keys
            .insert(key.to_string(), (request, payment.clone()));
    }
    let mut location = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("/payments/{}", ledger.next_id)) {
        location.insert(header::LOCATION, value);
    }
    Ok(json_response_with(StatusCode::CREATED, location, &payment))
}

fn cors_headers(origin: &str) -> HeaderMap {
    let mut map = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(origin) {
        map.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    map.insert(header::VARY, HeaderValue::from_static("Origin"));
    map
}

/// A simple cross-origin GET: allowed for [`ALLOWED_ORIGIN`] only.
async fn cors_get(headers: HeaderMap) -> Response {
    let origin = header_str(&headers, header::ORIGIN);
    let allowed = origin == Some(ALLOWED_ORIGIN);
    let map = if allowed {
        cors_headers(ALLOWED_ORIGIN)
    } else {
        HeaderMap::new()
    };
    json_response_with(
        StatusCode::OK,
        map,
        &json!({
            "origin": origin,
            "allowed": allowed,
            "note": format!("a browser lets a page read this only when Access-Control-Allow-Origin names its origin ({ALLOWED_ORIGIN} here)"),
        }),
    )
}

/// `OPTIONS /cors`: a preflight (with `Origin` and `Access-Control-Request-Method`) is answered
/// with what the origin may do; a plain `OPTIONS` with `Allow`.
async fn preflight(headers: HeaderMap) -> Response {
    let origin = header_str(&headers, header::ORIGIN);
    let method = header_str(&headers, header::ACCESS_CONTROL_REQUEST_METHOD);
    let (Some(origin), Some(_)) = (origin, method) else {
        return (
            StatusCode::NO_CONTENT,
            [(header::ALLOW, HeaderValue::from_static("GET, PUT, OPTIONS"))],
        )
            .into_response();
    };
    if origin != ALLOWED_ORIGIN {
        // No CORS headers: the browser refuses the actual request.
        return (StatusCode::NO_CONTENT, [(header::VARY, "Origin")]).into_response();
    }
    let mut map = cors_headers(origin);
    map.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, PUT"),
    );
    map.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Content-Type, Authorization"),
    );
    map.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    (StatusCode::NO_CONTENT, map).into_response()
}
