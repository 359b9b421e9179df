//! `/anything` (every method, any sub-path) and `/headers`: the request, echoed back as JSON.
//! Includes a small `multipart/form-data` reader that lists the parts without keeping them.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::respond::{ApiError, header_map, header_str, json_response, multi_map, query_map};

pub(super) async fn anything(
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match echo(&method, &uri, &headers, &body) {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(e) => e.into_response(),
    }
}

pub(super) async fn headers(headers: HeaderMap) -> Response {
    json_response(StatusCode::OK, &json!({"headers": header_map(&headers)}))
}

/// The echo document. Fails (400) only for a multipart body that cannot be read.
fn echo(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let content_type = header_str(headers, header::CONTENT_TYPE).unwrap_or("");
    let media_type = media_type(content_type);

    let form = if media_type == "application/x-www-form-urlencoded" {
        Value::Object(multi_map(url::form_urlencoded::parse(body).into_owned()))
    } else {
        Value::Null
    };
    let multipart = if media_type == "multipart/form-data" {
        let boundary = header_param(content_type, "boundary")
            .filter(|b| !b.is_empty())
            .ok_or_else(|| ApiError::bad_request("multipart/form-data without a boundary"))?;
        let parts = parse_multipart(body, &boundary)
            .map_err(|e| ApiError::bad_request(format!("malformed multipart body: {e}")))?;
        Value::Array(parts.iter().map(Part::to_json).collect())
    } else {
        Value::Null
    };

    Ok(json!({
        "method": method.as_str(),
        "url": full_url(headers, uri),
        "path": uri.path(),
        "query": query_map(uri.query()),
        "headers": header_map(headers),
        "body": String::from_utf8_lossy(body),
        // Lenient: any body that parses as JSON, whatever its Content-Type.
        "json": serde_json::from_slice::<Value>(body).unwrap_or(Value::Null),
        "form": form,
        "multipart": multipart,
    }))
}

/// The URL as the client asked for it: `http://` + `Host` + path and query.
fn full_url(headers: &HeaderMap, uri: &Uri) -> String {
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    match header_str(headers, header::HOST) {
        Some(host) => format!("http://{host}{path_and_query}"),
        None => uri.to_string(),
    }
}

/// `"Multipart/Form-Data; boundary=x"` → `"multipart/form-data"`.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A parameter of a header value such as `Content-Type` or `Content-Disposition`
/// (`form-data; name="file"; filename="a.txt"`). Names match case-insensitively; quoted values may
/// contain `;` and backslash escapes.
pub(crate) fn header_param(value: &str, wanted: &str) -> Option<String> {
    let (_, mut rest) = value.split_once(';')?;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let Some(eq) = rest
            .find(['=', ';'])
            .filter(|i| rest.as_bytes()[*i] == b'=')
        else {
            // A flag without a value: skip to the next parameter.
            rest = rest.find(';').map_or("", |i| &rest[i..]);
            continue;
        };
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let (parsed, remaining) = match after.strip_prefix('"') {
            Some(quoted) => {
                let mut out = String::new();
                let mut end = quoted.len();
                let mut escaped = false;
                for (i, c) in quoted.char_indices() {
                    if escaped {
                        out.push(c);
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = i + 1;
                        break;
                    } else {
                        out.push(c);
                    }
                }
                (out, &quoted[end..])
            }
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_owned(), &after[end..])
            }
        };
        if name.eq_ignore_ascii_case(wanted) {
            return Some(parsed);
        }
        rest = remaining;
    }
}

/// One part of a `multipart/form-data` body: its description, not its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: Option<String>,
    pub(crate) filename: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) size: usize,
}

impl Part {
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("name".into(), json!(self.name));
        map.insert("filename".into(), json!(self.filename));
        map.insert("content_type".into(), json!(self.content_type));
        map.insert("size".into(), json!(self.size));
        Value::Object(map)
    }
}

/// Lists the parts of a `multipart/form-data` body (RFC 7578): name, filename and content type
/// from each part's headers, and the size of its content.
pub(crate) fn parse_multipart(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let close = [b"\r\n".as_slice(), delimiter].concat();

    let mut pos =
        find(body, delimiter, 0).ok_or("the opening boundary is missing")? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        // The rest of the boundary line may hold transport padding before its CRLF.
        let line_end = find(body, b"\r\n", pos).ok_or("a boundary line is not terminated")?;
        pos = line_end + 2;

        let (head, content_start) = if body[pos..].starts_with(b"\r\n") {
            (&body[pos..pos], pos + 2)
        } else {
            let end = find(body, b"\r\n\r\n", pos).ok_or("a part's headers are not terminated")?;
            (&body[pos..end], end + 4)
        };
        let content_end =
            find(body, &close, content_start).ok_or("a part is not closed by a boundary")?;
        parts.push(describe_part(head, content_end - content_start));
        pos = content_end + close.len();
    }
}

fn describe_part(head: &[u8], size: usize) -> Part {
    let head = String::from_utf8_lossy(head);
    let mut part = Part {
        name: None,
        filename: None,
        content_type: None,
        size,
    };
    for line in head.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            part.name = header_param(value, "name");
            part.filename = header_param(value, "filename");
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.to_owned());
        }
    }
    part
}

/// The first index of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_drops_parameters_and_case() {
        assert_eq!(
            media_type("Multipart/Form-Data; boundary=x"),
            "multipart/form-data"
        );
        assert_eq!(media_type(" application/json "), "application/json");
        assert_eq!(media_type(""), "");
    }

    #[test]
    fn header_param_handles_quotes_flags_and_case() {
        let cd = r#"form-data; name="file"; filename="a \"b\"; c.txt""#;
        assert_eq!(header_param(cd, "name").as_deref(), Some("file"));
        assert_eq!(
            header_param(cd, "filename").as_deref(),
            Some(r#"a "b"; c.txt"#)
        );
        assert_eq!(
            header_param("multipart/form-data; BOUNDARY=abc123", "boundary").as_deref(),
            Some("abc123")
        );
        assert_eq!(
            header_param("text/plain; flag; charset=utf-8", "charset").as_deref(),
            Some("utf-8")
        );
        assert_eq!(header_param("text/plain", "charset"), None);
        assert_eq!(
            header_param("text/plain; charset=\"unterminated", "charset").as_deref(),
            Some("unterminated")
        );
        assert_eq!(header_param("a; b=1", "c"), None);
    }

    const BODY: &[u8] = b"preamble\r\n--XyZ\r\n\
Content-Disposition: form-data; name=\"title\"\r\n\r\n\
hello\r\n--XyZ\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\
\x00\x01\r\n--X\xff\r\n--XyZ  \r\n\
\r\n\
headerless\r\n--XyZ--\r\nepilogue";

    #[test]
    fn parse_multipart_lists_parts() {
        let parts = parse_multipart(BODY, "XyZ").unwrap();
        assert_eq!(
            parts,
            vec![
                Part {
                    name: Some("title".into()),
                    filename: None,
                    content_type: None,
                    size: 5
                },
                Part {
                    name: Some("file".into()),
                    filename: Some("data.bin".into()),
                    content_type: Some("application/octet-stream".into()),
                    size: 8,
                },
                Part {
                    name: None,
                    filename: None,
                    content_type: None,
                    size: 10
                },
            ]
        );
    }

    #[test]
    fn parse_multipart_rejects_malformed_bodies() {
        assert!(parse_multipart(b"no boundary here", "XyZ").is_err());
        assert!(
            parse_multipart(
                b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunclosed",
                "XyZ"
            )
            .is_err()
        );
        assert!(parse_multipart(b"--XyZ", "XyZ").is_err());
        assert_eq!(parse_multipart(b"--XyZ--\r\n", "XyZ").unwrap(), vec![]);
    }

    #[test]
    fn echo_reads_query_form_and_json() {
        let uri: Uri = "/anything/x?a=1&a=2&b=%20".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:9".parse().unwrap());
        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let value = echo(&Method::POST, &uri, &headers, b"name=caf%C3%A9&n=1&n=2").unwrap();
        assert_eq!(value["url"], "http://127.0.0.1:9/anything/x?a=1&a=2&b=%20");
        assert_eq!(value["path"], "/anything/x");
        assert_eq!(value["query"], json!({"a": ["1", "2"], "b": " "}));
        assert_eq!(value["form"], json!({"name": "café", "n": ["1", "2"]}));
        assert_eq!(value["json"], Value::Null);
        assert_eq!(value["multipart"], Value::Null);

        let value = echo(&Method::PUT, &uri, &HeaderMap::new(), b"{\"k\": [1, null]}").unwrap();
        assert_eq!(value["json"], json!({"k": [1, null]}));
        assert_eq!(value["form"], Value::Null);
    }

    #[test]
    fn echo_refuses_multipart_without_boundary() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        let err = echo(&Method::POST, &Uri::from_static("/anything"), &headers, b"").unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }
}
