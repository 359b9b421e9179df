//! `/basic-auth/{user}/{password}` and `/bearer`: endpoints that need credentials, for the app's
//! auth tests. A failure is 401 with a `WWW-Authenticate` challenge and a JSON error.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::respond::{ApiError, header_str, json_response};

pub(super) async fn basic(
    Path((user, password)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match basic_credentials(&headers) {
        Some((given_user, given_password)) if given_user == user && given_password == password => {
            json_response(
                StatusCode::OK,
                &json!({"authenticated": true, "user": user}),
            )
        }
        Some(_) => unauthorized("Basic realm=\"scout demo\"", "wrong user or password"),
        None => unauthorized(
            "Basic realm=\"scout demo\"",
            "missing or malformed Basic Authorization header",
        ),
    }
}

pub(super) async fn bearer(headers: HeaderMap) -> Response {
    match bearer_token(&headers) {
        Some(token) => json_response(
            StatusCode::OK,
            &json!({"authenticated": true, "token": token}),
        ),
        None => unauthorized(
            "Bearer realm=\"scout demo\"",
            "missing or empty Bearer Authorization header",
        ),
    }
}

fn unauthorized(challenge: &'static str, message: &str) -> Response {
    let mut response = ApiError::new(StatusCode::UNAUTHORIZED, message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

/// `Authorization: Basic base64(user:password)` → `(user, password)`.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = header_str(headers, header::AUTHORIZATION)?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// `Authorization: Bearer <token>` → the (non-empty) token.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = header_str(headers, header::AUTHORIZATION)?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Standard base64 (RFC 4648 §4) with optional padding; `None` for anything else.
pub(crate) fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let data = input.trim_end_matches('=');
    if input.len() - data.len() > 2 || data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in data.bytes() {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decode_matches_rfc_4648_vectors() {
        for (encoded, plain) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE", "fooba"),
            ("Zm9vYmFy", "foobar"),
            ("dXNlcjpwYXNz", "user:pass"),
        ] {
            assert_eq!(
                base64_decode(encoded).as_deref(),
                Some(plain.as_bytes()),
                "{encoded}"
            );
        }
        for bad in ["Z", "Zm9v!", "Zg===", "Zm 9v"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn credentials_are_read_from_authorization() {
        assert_eq!(
            basic_credentials(&with_authorization("Basic dXNlcjpwYXNz")),
            Some(("user".into(), "pass".into()))
        );
        assert_eq!(
            basic_credentials(&with_authorization("Bearer dXNlcjpwYXNz")),
            None
        );
        assert_eq!(basic_credentials(&HeaderMap::new()), None);
        assert_eq!(
            bearer_token(&with_authorization("bearer abc.def")).as_deref(),
            Some("abc.def")
        );
        assert_eq!(bearer_token(&with_authorization("Bearer  ")), None);
        assert_eq!(bearer_token(&with_authorization("Basic abc")), None);
    }
}
