//! Misbehaving endpoints for the app's bad-input tests: a body that lies about being JSON, invalid
//! UTF-8, a connection that dies mid-body, a very large single-line document, and a Latin-1 body.

use std::fmt::Write as _;
use std::io;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use super::respond::{ApiError, JSON_TYPE, parse_param};

/// Served as `application/json`, but line 3 ends with a trailing comma before the closing brace.
pub(crate) const BAD_JSON: &str = "{\n  \"id\": 7,\n  \"name\": \"widget\",\n}\n";

/// Mostly text, with a lone continuation byte, an invalid start byte and a truncated sequence.
pub(crate) const BAD_UTF8: &[u8] = b"This line is fine.\n\
A lone continuation byte: \x80 and an invalid start byte: \xff.\n\
A truncated euro sign: \xe2\x82 then more text.\n\
A valid euro sign: \xe2\x82\xac.\n";

/// What `/bad/truncated` claims to send, and what it actually sends before aborting.
pub(crate) const TRUNCATED_DECLARED: usize = 100_000;
pub(crate) const TRUNCATED_SENT: usize = 4 * 1024;
const _: () = assert!(TRUNCATED_SENT < TRUNCATED_DECLARED);

/// Largest `/large/{mb}`, in MiB.
pub(crate) const MAX_LARGE_MB: usize = 128;

/// The text of `/charset/latin1`, before encoding; every character is in Latin-1.
pub(crate) const LATIN1_TEXT: &str =
    "Grüße aus Köln! café, crème brûlée, naïve façade, 25 °C, ½ price, £10, ¿qué?\n";

pub(super) async fn bad_json() -> Response {
    ([(header::CONTENT_TYPE, JSON_TYPE)], BAD_JSON).into_response()
}

pub(super) async fn bad_utf8() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        BAD_UTF8,
    )
        .into_response()
}

/// Declares `Content-Length: 100000`, sends 4 KiB, then fails the body stream, which makes hyper
/// abort the connection: the client must see an error while reading, not a clean end of body.
pub(super) async fn truncated() -> Response {
    let chunk = Bytes::from(truncated_chunk());
    let chunks = TRUNCATED_SENT / chunk.len();
    let body = stream::unfold(0usize, move |sent| {
        let chunk = chunk.clone();
        async move {
            if sent < chunks {
                return Some((Ok(chunk), sent + 1));
            }
            if sent == chunks {
                // Give hyper a moment to flush what was sent, so the client has the headers and
                // the first bytes before the connection dies.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let error = io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "demo: /bad/truncated aborts the body on purpose",
                );
                return Some((Err(error), sent + 1));
            }
            None
        }
    });
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(TRUNCATED_DECLARED),
    );
    response
}

/// One 1 KiB line of text: 1023 characters and a newline.
fn truncated_chunk() -> Vec<u8> {
    const PHRASE: &[u8] = b"this body was promised to be 100000 bytes long; ";
    let mut line = PHRASE.repeat(1024 / PHRASE.len() + 1);
    line.truncate(1023);
    line.push(b'\n');
    line
}

pub(super) async fn large(Path(raw): Path<String>) -> Response {
    let mb = match parse_param::<usize>("mb", &raw) {
        Ok(mb) if mb <= MAX_LARGE_MB => mb,
        Ok(mb) => {
            return ApiError::bad_request(format!("mb must be at most {MAX_LARGE_MB}, got {mb}"))
                .into_response();
        }
        Err(e) => return e.into_response(),
    };
    // Tens of megabytes of formatting: keep it off the async workers.
    match tokio::task::spawn_blocking(move || large_document(mb * 1024 * 1024)).await {
        Ok(body) => ([(header::CONTENT_TYPE, JSON_TYPE)], body).into_response(),
        Err(e) => {
            ApiError::internal(format!("generating the document failed: {e}")).into_response()
        }
    }
}

/// A single-line JSON array of objects, without whitespace, of at least `target` bytes (and less
/// than one object more); `[]` for 0.
pub(crate) fn large_document(target: usize) -> String {
    let mut out = String::with_capacity(target + 256);
    out.push('[');
    let mut id: u64 = 0;
    while out.len() + 1 < target {
        if id > 0 {
            out.push(',');
        }
        id += 1;
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            r#"{{"id":{id},"name":"item-{id:07}","price":{}.{:02},"active":{},"tags":["demo","t{}"],"parent":null}}"#,
            id % 1000,
            id % 100,
            !id.is_multiple_of(3),
            id % 10,
        );
    }
    out.push(']');
    out
}

pub(super) async fn latin1() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=iso-8859-1")],
        latin1_encode(LATIN1_TEXT),
    )
        .into_response()
}

/// Encodes text as ISO-8859-1: one byte per character; characters outside Latin-1 become `?`.
pub(crate) fn latin1_encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_fails_to_parse_after_line_3() {
        let err = serde_json::from_str::<serde_json::Value>(BAD_JSON).unwrap_err();
        assert!(err.is_syntax());
        assert_eq!(err.line(), 4, "{err}");
        assert!(BAD_JSON.lines().nth(2).unwrap().ends_with(','));
    }

    #[test]
    fn bad_utf8_is_invalid_but_mostly_text() {
        assert!(
            BAD_UTF8
                .utf8_chunks()
                .any(|chunk| !chunk.invalid().is_empty())
        );
        let text = String::from_utf8_lossy(BAD_UTF8);
        assert_eq!(text.matches('\u{FFFD}').count(), 3);
        assert!(text.contains("A valid euro sign: €."));
    }

    #[test]
    fn truncated_chunks_add_up_to_what_is_sent() {
        let chunk = truncated_chunk();
        assert_eq!(chunk.len(), 1024);
        assert_eq!(TRUNCATED_SENT % chunk.len(), 0);
    }

    #[test]
    fn large_document_is_single_line_json_of_the_asked_size() {
        assert_eq!(large_document(0), "[]");
        let doc = large_document(100_000);
        assert!(doc.len() >= 100_000 && doc.len() < 100_200, "{}", doc.len());
        assert!(!doc.contains(['\n', ' ']));
        let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let items = value.as_array().unwrap();
        assert_eq!(items[0]["id"], 1);
        assert_eq!(items[0]["parent"], serde_json::Value::Null);
        assert_eq!(items.last().unwrap()["id"], items.len());
    }

    #[test]
    fn latin1_encode_is_one_byte_per_char() {
        assert_eq!(latin1_encode("café"), b"caf\xe9");
        assert_eq!(latin1_encode("€"), b"?");
        let bytes = latin1_encode(LATIN1_TEXT);
        assert_eq!(bytes.len(), LATIN1_TEXT.chars().count());
        assert!(!bytes.contains(&b'?') || LATIN1_TEXT.contains('?'));
        let decoded: String = bytes.iter().map(|b| char::from(*b)).collect();
        assert_eq!(decoded, LATIN1_TEXT);
    }
}
