//! Endpoints that shape the exchange rather than the content: `/status/{code}`, `/delay/{seconds}`
//! and the redirects (`/redirect/{n}`, `/redirect-to`, `/redirect-loop`).

use std::time::Duration;

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::respond::{ApiError, json_response, json_response_with, parse_param, query_map};

/// Longest `/delay/{seconds}`; longer requests are capped, not refused.
pub(crate) const MAX_DELAY_SECS: f64 = 60.0;

pub(super) async fn status(Path(raw): Path<String>) -> Response {
    match status_code(&raw) {
        Ok(code) => status_response(code),
        Err(e) => e.into_response(),
    }
}

/// Validates `/status/{code}`. 1xx codes are refused: HTTP/1.1 only allows them as interim
/// responses before a final one, and hyper turns a final 1xx into a 500.
pub(crate) fn status_code(raw: &str) -> Result<StatusCode, ApiError> {
    let code: u16 = parse_param("code", raw)?;
    if !(100..=599).contains(&code) {
        return Err(ApiError::bad_request(format!(
            "status code must be between 100 and 599, got {code}"
        ))
        .with("status", code));
    }
    if code < 200 {
        return Err(ApiError::bad_request(format!(
            "{code} is informational (1xx): it cannot be sent as a final response; use 200-599"
        ))
        .with("status", code));
    }
    StatusCode::from_u16(code)
        .map_err(|e| ApiError::bad_request(format!("invalid status code {code}: {e}")))
}

/// `{"status", "reason"}` with that status; 204 and 304 never carry a body.
pub(crate) fn status_response(code: StatusCode) -> Response {
    if code == StatusCode::NO_CONTENT || code == StatusCode::NOT_MODIFIED {
        return code.into_response();
    }
    let reason = code.canonical_reason().unwrap_or("Unknown");
    json_response(code, &json!({"status": code.as_u16(), "reason": reason}))
}

pub(super) async fn delay(Path(raw): Path<String>) -> Response {
    match delay_secs(&raw) {
        Ok(secs) => {
            tokio::time::sleep(Duration::from_secs_f64(secs)).await;
            json_response(StatusCode::OK, &json!({"delay": secs}))
        }
        Err(e) => e.into_response(),
    }
}

/// Parses `/delay/{seconds}`: a finite, non-negative number, capped at [`MAX_DELAY_SECS`].
pub(crate) fn delay_secs(raw: &str) -> Result<f64, ApiError> {
    let secs: f64 = parse_param("seconds", raw)?;
    if !secs.is_finite() || secs < 0.0 {
        return Err(ApiError::bad_request(format!(
            "seconds must be a finite number >= 0, got {raw:?}"
        )));
    }
    Ok(secs.min(MAX_DELAY_SECS))
}

pub(super) async fn redirect(Path(raw): Path<String>) -> Response {
    let hops = match parse_param::<u32>("n", &raw) {
        Ok(0) => return ApiError::bad_request("n must be at least 1").into_response(),
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    redirect_response(StatusCode::FOUND, &next_hop(hops))
        .unwrap_or_else(IntoResponse::into_response)
}

/// Where `/redirect/{n}` sends the client: one hop closer to `/json`.
pub(crate) fn next_hop(n: u32) -> String {
    if n <= 1 {
        "/json".to_owned()
    } else {
        format!("/redirect/{}", n - 1)
    }
}

pub(super) async fn redirect_to(RawQuery(query): RawQuery) -> Response {
    redirect_to_target(query.as_deref())
        .and_then(|(status, url)| redirect_response(status, &url))
        .unwrap_or_else(IntoResponse::into_response)
}

/// Reads `url` (required) and `status` (300-399, default 302) from the `/redirect-to` query.
pub(crate) fn redirect_to_target(query: Option<&str>) -> Result<(StatusCode, String), ApiError> {
    let query = query_map(query);
    let url = match query.get("url") {
        Some(Value::String(url)) if !url.is_empty() => url.clone(),
        Some(Value::Array(_)) => return Err(ApiError::bad_request("give url at most once")),
        _ => return Err(ApiError::bad_request("missing query parameter url")),
    };
    let status = match query.get("status") {
        None => StatusCode::FOUND,
        Some(Value::String(raw)) => {
            let code: u16 = parse_param("status", raw)?;
            StatusCode::from_u16(code)
                .ok()
                .filter(StatusCode::is_redirection)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "status must be a redirect (300-399), got {code}"
                    ))
                })?
        }
        Some(_) => return Err(ApiError::bad_request("give status at most once")),
    };
    Ok((status, url))
}

pub(super) async fn redirect_loop() -> Response {
    redirect_response(StatusCode::FOUND, "/redirect-loop")
        .unwrap_or_else(IntoResponse::into_response)
}

/// A redirect with `Location` and a small JSON body for clients that do not follow it.
fn redirect_response(status: StatusCode, location: &str) -> Result<Response, ApiError> {
    let value = HeaderValue::from_str(location).map_err(|_| {
        ApiError::bad_request("the redirect target is not a valid header value")
            .with("url", location)
    })?;
    let mut headers = HeaderMap::new();
    headers.insert(header::LOCATION, value);
    Ok(json_response_with(
        status,
        headers,
        &json!({"redirect_to": location}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_code_accepts_final_statuses_only() {
        assert_eq!(status_code("200").unwrap(), StatusCode::OK);
        assert_eq!(status_code("599").unwrap().as_u16(), 599);
        assert_eq!(status_code("418").unwrap(), StatusCode::IM_A_TEAPOT);
        for bad in ["99", "600", "100", "199", "abc", "-1", ""] {
            let err = status_code(bad).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn status_response_has_no_body_for_204_and_304() {
        for code in [StatusCode::NO_CONTENT, StatusCode::NOT_MODIFIED] {
            let response = status_response(code);
            assert_eq!(response.status(), code);
            assert!(response.headers().get(header::CONTENT_TYPE).is_none());
        }
        let response = status_response(StatusCode::BAD_GATEWAY);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn delay_secs_caps_and_validates() {
        assert_eq!(delay_secs("0").unwrap(), 0.0);
        assert_eq!(delay_secs("0.25").unwrap(), 0.25);
        assert_eq!(delay_secs("3600").unwrap(), MAX_DELAY_SECS);
        for bad in ["-1", "NaN", "inf", "soon"] {
            assert!(delay_secs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn next_hop_counts_down_to_json() {
        assert_eq!(next_hop(3), "/redirect/2");
        assert_eq!(next_hop(2), "/redirect/1");
        assert_eq!(next_hop(1), "/json");
    }

    #[test]
    fn redirect_to_target_reads_url_and_status() {
        assert_eq!(
            redirect_to_target(Some("url=%2Fjson")).unwrap(),
            (StatusCode::FOUND, "/json".to_owned())
        );
        assert_eq!(
            redirect_to_target(Some("url=http://example.com/a?b=c&status=307")).unwrap(),
            (
                StatusCode::TEMPORARY_REDIRECT,
                "http://example.com/a?b=c".to_owned()
            )
        );
        for bad in [
            None,
            Some("status=302"),
            Some("url="),
            Some("url=/a&status=200"),
            Some("url=/a&status=x"),
            Some("url=/a&url=/b"),
        ] {
            assert!(redirect_to_target(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn redirect_response_rejects_header_breaking_targets() {
        assert!(redirect_response(StatusCode::FOUND, "/ok").is_ok());
        assert!(redirect_response(StatusCode::FOUND, "/a\r\nSet-Cookie: x=1").is_err());
    }
}
