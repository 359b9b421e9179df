//! Fixed documents (`/json`, `/html`, `/xml`), pseudo-random `/bytes/{n}`, the compressed
//! `/gzip` and `/deflate` bodies, and pictures (`/image/png`, `/image/broken`).

use std::io::Write;

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::{GzEncoder, ZlibEncoder};
use serde_json::{Value, json};

use super::respond::{ApiError, JSON_TYPE, header_map, json_response, parse_param, query_map};

/// Largest `/bytes/{n}`: 10 MiB.
pub(crate) const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The seed `/bytes/{n}` uses without `?seed=`.
const DEFAULT_SEED: u64 = 0x5c07_0000_dead_beef;

pub(super) async fn json_document() -> Response {
    json_response(StatusCode::OK, &store_document())
}

/// A realistic nested document: objects in arrays in objects, integers and floats, booleans, null,
/// an empty array and object, escapes, and text beyond ASCII.
pub(crate) fn store_document() -> Value {
    json!({
        "store": {
            "name": "Scout's Corner Shop",
            "open": true,
            "rating": 4.7,
            "founded": 1987,
            "owner": null,
            "address": {
                "street": "12 Rue de l'Église",
                "city": "Besançon",
                "postcode": "25000",
                "country": "FR",
                "geo": {"lat": 47.2378, "lon": 6.0241}
            },
            "hours": [
                {"days": "Mon–Fri", "open": "08:00", "close": "19:30"},
                {"days": "Sat", "open": "09:00", "close": "13:00"},
                {"days": "Sun", "open": null, "close": null}
            ],
            "products": [
                {
                    "sku": "CUP-001",
                    "name": "Espresso cup",
                    "price": 4.5,
                    "currency": "EUR",
                    "in_stock": true,
                    "quantity": 120,
                    "tags": ["kitchen", "ceramic"],
                    "dimensions": {"height_mm": 62, "diameter_mm": 58.5}
                },
                {
                    "sku": "KBD-042",
                    "name": "Mechanical keyboard \"Thock\"",
                    "price": 89.99,
                    "currency": "EUR",
                    "in_stock": false,
                    "quantity": 0,
                    "tags": [],
                    "dimensions": null
                },
                {
                    "sku": "TEA-日本",
                    "name": "Matcha 抹茶 (100 g) 🍵",
                    "price": 18,
                    "currency": "EUR",
                    "in_stock": true,
                    "quantity": -3,
                    "tags": ["tea", "imported"],
                    "dimensions": {}
                }
            ],
            "staff": [
                {"name": "Zoë", "role": "manager", "since": "2015-03-01"},
                {"name": "Øyvind", "role": "barista", "since": "2021-11-15"}
            ],
            "notes": "Line one\nLine two\twith a tab and a backslash \\ ",
            "big_number": 9007199254740993u64,
            "tiny_number": 1.5e-7
        }
    })
}

pub(super) async fn html() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        HTML_PAGE,
    )
        .into_response()
}

const HTML_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>scout demo</title>
  <style>body { font-family: sans-serif; max-width: 40em; margin: 2em auto; }</style>
</head>
<body>
  <h1>scout demo API</h1>
  <p>A small page served as <code>text/html; charset=utf-8</code> — with a little unicode: café, 日本.</p>
  <ul>
    <li><a href="/json">/json</a>: a nested JSON document</li>
    <li><a href="/xml">/xml</a>: an XML document</li>
    <li><a href="/items">/items</a>: a CRUD resource</li>
  </ul>
  <!-- comments, entities &amp; attributes are here for highlighters -->
  <script>console.log("hello from scout");</script>
</body>
</html>
"#;

pub(super) async fn xml() -> Response {
    ([(header::CONTENT_TYPE, "application/xml")], XML_DOCUMENT).into_response()
}

const XML_DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- scout demo: a small catalogue -->
<catalogue xmlns="https://example.com/scout/demo" updated="2024-05-01T09:30:00Z">
  <item id="1" in-stock="true">
    <name>Espresso cup</name>
    <price currency="EUR">4.50</price>
    <tags><tag>kitchen</tag><tag>ceramic</tag></tags>
  </item>
  <item id="2" in-stock="false">
    <name>Mechanical keyboard &quot;Thock&quot;</name>
    <price currency="EUR">89.99</price>
    <tags/>
  </item>
  <item id="3" in-stock="true">
    <name>Carte des sentiers — Besançon</name>
    <price currency="EUR">12.00</price>
    <description><![CDATA[Scale 1:25 000 & waterproof <really>.]]></description>
  </item>
</catalogue>
"#;

pub(super) async fn bytes(Path(raw): Path<String>, RawQuery(query): RawQuery) -> Response {
    match bytes_body(&raw, query.as_deref()) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/octet-stream")], body).into_response(),
        Err(e) => e.into_response(),
    }
}

fn bytes_body(raw: &str, query: Option<&str>) -> Result<Vec<u8>, ApiError> {
    let n: usize = parse_param("n", raw)?;
    if n > MAX_BYTES {
        return Err(ApiError::bad_request(format!(
            "n must be at most {MAX_BYTES} (10 MiB), got {n}"
        )));
    }
    let seed = match query_map(query).get("seed") {
        Some(Value::String(seed)) => parse_param("seed", seed)?,
        Some(_) => return Err(ApiError::bad_request("give seed at most once")),
        None => DEFAULT_SEED,
    };
    Ok(pseudo_random_bytes(n, seed))
}

/// `n` bytes from a splitmix64 generator: the same `(n, seed)` always gives the same bytes.
pub(crate) fn pseudo_random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// Which `Content-Encoding` a compressed endpoint uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Gzip,
    /// HTTP's "deflate" is the zlib format (RFC 1950), not raw deflate.
    Deflate,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Deflate => "deflate",
        }
    }
}

pub(super) async fn gzip(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    compressed(Encoding::Gzip, &method, &uri, &headers)
}

pub(super) async fn deflate(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    compressed(Encoding::Deflate, &method, &uri, &headers)
}

/// A pretty JSON body, compressed whatever the request's `Accept-Encoding` says.
fn compressed(encoding: Encoding, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    let document = json!({
        "compressed": encoding.name(),
        "method": method.as_str(),
        "path": uri.path(),
        "headers": header_map(headers),
    });
    let mut plain = serde_json::to_vec_pretty(&document).unwrap_or_default();
    plain.push(b'\n');
    match compress(encoding, &plain) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE)),
                (
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(encoding.name()),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(format!("compression failed: {e}")).into_response(),
    }
}

pub(crate) fn compress(encoding: Encoding, plain: &[u8]) -> std::io::Result<Vec<u8>> {
    match encoding {
        Encoding::Gzip => {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(plain)?;
            encoder.finish()
        }
        Encoding::Deflate => {
            let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(plain)?;
            encoder.finish()
        }
    }
}

/// `/image/png`: a 64 × 48 PNG (a gradient behind a disc), made on each call.
pub(super) async fn png() -> Response {
    match demo_png() {
        Ok(body) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(format!("could not encode the picture: {e}")).into_response(),
    }
}

/// `/image/broken`: labelled image/png, but a PNG cut off after its header: its size reads, its
/// pixels do not.
pub(super) async fn broken_png() -> Response {
    match demo_png() {
        Ok(mut body) => {
            body.truncate(body.len() / 2);
            (
                [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
                body,
            )
                .into_response()
        }
        Err(e) => ApiError::internal(format!("could not encode the picture: {e}")).into_response(),
    }
}

pub(crate) fn demo_png() -> image::ImageResult<Vec<u8>> {
    let picture = image::RgbaImage::from_fn(64, 48, |x, y| {
        let (dx, dy) = (x as i32 - 32, y as i32 - 24);
        if dx * dx + dy * dy < 15 * 15 {
            image::Rgba([250, 200, 40, 255])
        } else {
            image::Rgba([(x * 4) as u8, (y * 5) as u8, 160, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::{GzDecoder, ZlibDecoder};

    use super::*;

    #[test]
    fn pseudo_random_bytes_are_deterministic_and_sized() {
        assert_eq!(pseudo_random_bytes(0, 1), Vec::<u8>::new());
        let a = pseudo_random_bytes(1001, 7);
        assert_eq!(a.len(), 1001);
        assert_eq!(a, pseudo_random_bytes(1001, 7));
        assert_ne!(a, pseudo_random_bytes(1001, 8));
        // A prefix of a longer run: the length does not change the stream.
        assert_eq!(&pseudo_random_bytes(2000, 7)[..1001], &a[..]);
        // Not degenerate: many distinct byte values.
        let mut seen = [false; 256];
        a.iter().for_each(|b| seen[*b as usize] = true);
        assert!(seen.iter().filter(|s| **s).count() > 200);
    }

    #[test]
    fn bytes_body_validates_n_and_seed() {
        assert_eq!(bytes_body("16", None).unwrap().len(), 16);
        assert_eq!(
            bytes_body("4", Some("seed=3")).unwrap(),
            pseudo_random_bytes(4, 3)
        );
        assert!(bytes_body(&MAX_BYTES.to_string(), None).is_ok());
        let too_big = bytes_body(&(MAX_BYTES + 1).to_string(), None).unwrap_err();
        assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
        assert!(bytes_body("-1", None).is_err());
        assert!(bytes_body("8", Some("seed=x")).is_err());
    }

    #[test]
    fn compression_round_trips() {
        let plain = b"{\"hello\": \"world\"}\n".repeat(50);
        let mut out = Vec::new();
        GzDecoder::new(&compress(Encoding::Gzip, &plain).unwrap()[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain);
        out.clear();
        ZlibDecoder::new(&compress(Encoding::Deflate, &plain).unwrap()[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, plain);
    }

    #[test]
    fn store_document_has_every_json_kind() {
        let doc = store_document().to_string();
        for needle in ["null", "true", "false", "[]", "{}", "4.7", "抹茶", "\\n"] {
            assert!(doc.contains(needle), "missing {needle}");
        }
    }
}
