//! `/cookies`, `/cookies/set` and `/cookies/delete`: a server that sets, reads and expires
//! cookies, to teach and test the cookie jar. Setting and deleting redirect to `/cookies`, so
//! one request shows a jar at work across a redirect.

use axum::Router;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::respond::{ApiError, json_response, json_response_with, multi_map};

/// Most cookies one `/cookies/set` or `/cookies/delete` may name.
const MAX_COOKIES: usize = 20;
/// Longest name plus value accepted.
const MAX_COOKIE_LEN: usize = 4096;

pub(super) fn routes() -> Router {
    Router::new()
        .route("/cookies", get(list))
        .route("/cookies/set", get(set))
        .route("/cookies/delete", get(delete))
}

async fn list(headers: HeaderMap) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"cookies": Value::Object(received(&headers))}),
    )
}

async fn set(RawQuery(query): RawQuery) -> Response {
    changes(query.as_deref(), false)
        .map(redirect_with)
        .unwrap_or_else(IntoResponse::into_response)
}

async fn delete(RawQuery(query): RawQuery) -> Response {
    changes(query.as_deref(), true)
        .map(redirect_with)
        .unwrap_or_else(IntoResponse::into_response)
}

/// The cookies a request carried (its `Cookie` headers), by name; a repeated name maps to an
/// array of its values.
pub(crate) fn received(headers: &HeaderMap) -> Map<String, Value> {
    multi_map(
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                Some((name.trim().to_owned(), value.trim().to_owned()))
            }),
    )
}

/// The `Set-Cookie` values for the query's `name=value` pairs (all with `Path=/`), or, when
/// `delete`, ones expiring each named cookie.
pub(crate) fn changes(query: Option<&str>, delete: bool) -> Result<Vec<String>, ApiError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    if pairs.is_empty() {
        return Err(ApiError::bad_request(if delete {
            "name the cookies to delete: /cookies/delete?name"
        } else {
            "give the cookies to set: /cookies/set?name=value"
        }));
    }
    if pairs.len() > MAX_COOKIES {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_COOKIES} cookies at once"
        )));
    }
    pairs
        .into_iter()
        .map(|(name, value)| {
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(ApiError::bad_request(
                    "a cookie name is letters, digits and !#$%&'*+-.^_`|~",
                )
                .with("name", name));
            }
            if delete {
                return Ok(format!(
                    "{name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
                ));
            }
            if name.len() + value.len() > MAX_COOKIE_LEN || !value.bytes().all(is_value_byte) {
                return Err(ApiError::bad_request(format!(
                    "a cookie value is at most {MAX_COOKIE_LEN} bytes of visible ASCII \
                     without spaces, quotes, commas, semicolons or backslashes"
                ))
                .with("name", name));
            }
            Ok(format!("{name}={value}; Path=/"))
        })
        .collect()
}

/// RFC 6265 cookie-name (an RFC 7230 token).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 6265 cookie-octet.
fn is_value_byte(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// 302 to `/cookies` with the `Set-Cookie` headers.
fn redirect_with(set_cookies: Vec<String>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::LOCATION, HeaderValue::from_static("/cookies"));
    for value in &set_cookies {
        // Names and values were checked to be visible ASCII.
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    json_response_with(
        StatusCode::FOUND,
        headers,
        &json!({"redirect_to": "/cookies", "set_cookie": set_cookies}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_delete_build_set_cookie_headers() {
        assert_eq!(
            changes(Some("a=1&b=x%2Fy"), false).unwrap(),
            ["a=1; Path=/", "b=x/y; Path=/"]
        );
        assert_eq!(
            changes(Some("a&b"), true).unwrap(),
            [
                "a=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                "b=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            ]
        );
    }

    #[test]
    fn bad_names_and_values_are_refused() {
        for (query, delete) in [
            (None, false),
            (Some(""), true),
            (Some("a%3Bb=1"), false),
            (Some("=1"), false),
            (Some("a=x%20y"), false),
            (Some("a=x%3By"), false),
            (Some("a=caf%C3%A9"), false),
        ] {
            let err = changes(query, delete).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{query:?}");
        }
        let many: Vec<String> = (0..=MAX_COOKIES).map(|i| format!("c{i}=1")).collect();
        assert!(changes(Some(&many.join("&")), false).is_err());
    }

    #[test]
    fn received_reads_every_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; b=2"));
        headers.append(header::COOKIE, HeaderValue::from_static("a=3"));
        assert_eq!(
            Value::Object(received(&headers)),
            json!({"a": ["1", "3"], "b": "2"})
        );
    }
}
