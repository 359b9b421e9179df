//! Integration tests for the built-in demo API (`scout::demo`), over real HTTP on 127.0.0.1.

use std::io::Read;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap};
use reqwest::redirect::Policy;
use reqwest::{Client, Method, Response, StatusCode};
use scout::demo::{DemoServer, ENDPOINTS};
use serde_json::{Value, json};

/// How long any condition may take before a test gives up.
const PATIENCE: Duration = Duration::from_secs(10);

fn client() -> Client {
    builder().build().unwrap()
}

fn builder() -> reqwest::ClientBuilder {
    Client::builder().no_proxy().timeout(PATIENCE)
}

fn server() -> (DemoServer, String) {
    let server = DemoServer::start(0).unwrap();
    let base = server.base_url();
    (server, base)
}

async fn json_of(response: Response) -> Value {
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

async fn get(url: &str) -> Response {
    client().get(url).send().await.unwrap()
}

async fn send_json(method: Method, url: &str, body: &str) -> Response {
    client()
        .request(method, url)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

/// Waits until nothing accepts connections on `addr`, or panics after [`PATIENCE`].
async fn wait_until_refused(addr: SocketAddr) {
    let refused = async {
        loop {
            match tokio::net::TcpStream::connect(addr).await {
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return,
                _ => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    };
    tokio::time::timeout(PATIENCE, refused)
        .await
        .unwrap_or_else(|_| panic!("{addr} still accepts connections"));
}

#[tokio::test]
async fn index_lists_every_endpoint_as_pretty_json() {
    let (_server, base) = server();
    let response = get(&format!("{base}/")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(response.headers()), "application/json");
    let text = response.text().await.unwrap();
    assert!(text.contains("\n  \""), "not pretty: {text}");
    let index: Value = serde_json::from_str(&text).unwrap();
    let endpoints = index["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), ENDPOINTS.len());
    assert!(endpoints.contains(&json!({
        "method": "GET",
        "path": "/json",
        "description": ENDPOINTS.iter().find(|e| e.1 == "/json").unwrap().2,
    })));
}

#[tokio::test]
async fn base_url_and_addr_agree() {
    let (server, base) = server();
    assert!(server.addr().ip().is_loopback());
    assert_ne!(server.addr().port(), 0);
    assert_eq!(base, format!("http://127.0.0.1:{}", server.addr().port()));
}

#[tokio::test]
async fn json_document_is_nested_and_varied() {
    let (_server, base) = server();
    let response = get(&format!("{base}/json")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(response.headers()), "application/json");
    let doc = json_of(response).await;
    let store = &doc["store"];
    assert!(store["open"].is_boolean());
    assert!(store["owner"].is_null());
    assert!(store["address"]["geo"]["lat"].is_f64());
    let products = store["products"].as_array().unwrap();
    assert!(products.len() >= 3);
    assert!(
        products
            .iter()
            .any(|p| p["name"].as_str().unwrap().contains("抹茶"))
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json_errors() {
    let (_server, base) = server();
    let response = get(&format!("{base}/no/such/thing?x=1")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(content_type(response.headers()), "application/json");
    assert_eq!(
        json_of(response).await,
        json!({"error": "not found", "path": "/no/such/thing"})
    );

    let response = client()
        .delete(format!("{base}/json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json_of(response).await["method"], "DELETE");
}

#[tokio::test]
async fn status_answers_the_asked_code() {
    let (_server, base) = server();
    for code in [
        200u16, 201, 202, 299, 400, 401, 404, 418, 429, 500, 503, 599,
    ] {
        let response = get(&format!("{base}/status/{code}")).await;
        assert_eq!(response.status().as_u16(), code);
        assert_eq!(content_type(response.headers()), "application/json");
        let body = json_of(response).await;
        assert_eq!(body["status"], code);
        assert!(body["reason"].is_string());
    }
    let teapot = json_of(get(&format!("{base}/status/418")).await).await;
    assert_eq!(teapot["reason"], "I'm a teapot");

    for code in [204u16, 304] {
        let response = get(&format!("{base}/status/{code}")).await;
        assert_eq!(response.status().as_u16(), code);
        assert!(response.bytes().await.unwrap().is_empty());
    }

    for bad in ["99", "600", "100", "abc", "-5"] {
        let response = get(&format!("{base}/status/{bad}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(json_of(response).await["error"].is_string());
    }
}

#[tokio::test]
async fn delay_waits_and_slow_responses_hit_client_timeouts() {
    let (_server, base) = server();
    let started = Instant::now();
    let response = get(&format!("{base}/delay/0.2")).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_of(response).await, json!({"delay": 0.2}));

    let impatient = Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = impatient
        .get(format!("{base}/delay/30"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");

    let response = get(&format!("{base}/delay/-1")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn anything_echoes_method_path_query_headers_and_json() {
    let (_server, base) = server();
    let response = client()
        .patch(format!("{base}/anything/a/b?x=1&x=2&y=caf%C3%A9"))
        .header("X-Scout-Test", "yes")
        .header(header::CONTENT_TYPE, "application/json")
        .body(r#"{"hello": ["world", 1, null]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let echo = json_of(response).await;
    assert_eq!(echo["method"], "PATCH");
    assert_eq!(echo["path"], "/anything/a/b");
    assert_eq!(
        echo["url"],
        format!("{base}/anything/a/b?x=1&x=2&y=caf%C3%A9")
    );
    assert_eq!(echo["query"], json!({"x": ["1", "2"], "y": "café"}));
    assert_eq!(echo["headers"]["x-scout-test"], "yes");
    assert_eq!(echo["body"], r#"{"hello": ["world", 1, null]}"#);
    assert_eq!(echo["json"], json!({"hello": ["world", 1, null]}));
    assert_eq!(echo["form"], Value::Null);
    assert_eq!(echo["multipart"], Value::Null);

    let echo = json_of(
        client()
            .delete(format!("{base}/anything"))
            .body("plain text")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(echo["method"], "DELETE");
    assert_eq!(echo["body"], "plain text");
    assert_eq!(echo["json"], Value::Null);
    assert_eq!(echo["query"], json!({}));
}

#[tokio::test]
async fn anything_parses_forms_and_lists_multipart_parts() {
    let (_server, base) = server();
    let echo = json_of(
        client()
            .post(format!("{base}/anything"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("name=Zo%C3%AB&tag=a&tag=b")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(echo["form"], json!({"name": "Zoë", "tag": ["a", "b"]}));

    let file = reqwest::multipart::Part::bytes(vec![0u8; 1500])
        .file_name("zeros.bin")
        .mime_str("application/octet-stream")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("title", "hello")
        .part("upload", file);
    let echo = json_of(
        client()
            .post(format!("{base}/anything/upload"))
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        echo["multipart"],
        json!([
            {"name": "title", "filename": null, "content_type": null, "size": 5},
            {"name": "upload", "filename": "zeros.bin", "content_type": "application/octet-stream", "size": 1500},
        ])
    );

    let response = client()
        .post(format!("{base}/anything"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=abc")
        .body("not multipart at all")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn headers_are_echoed() {
    let (_server, base) = server();
    let response = client()
        .get(format!("{base}/headers"))
        .header("X-One", "1")
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let headers = &json_of(response).await["headers"];
    assert_eq!(headers["x-one"], "1");
    assert_eq!(headers["accept"], "application/json");
    assert_eq!(
        headers["host"],
        base.trim_start_matches("http://").to_owned()
    );
}

#[tokio::test]
async fn html_and_xml_pages() {
    let (_server, base) = server();
    let response = get(&format!("{base}/html")).await;
    assert_eq!(content_type(response.headers()), "text/html; charset=utf-8");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );

    let response = get(&format!("{base}/xml")).await;
    assert_eq!(content_type(response.headers()), "application/xml");
    assert!(response.text().await.unwrap().starts_with("<?xml"));
}

#[tokio::test]
async fn bytes_are_sized_deterministic_and_capped() {
    let (_server, base) = server();
    let response = get(&format!("{base}/bytes/1024")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(response.headers()), "application/octet-stream");
    let first = response.bytes().await.unwrap();
    assert_eq!(first.len(), 1024);
    let again = get(&format!("{base}/bytes/1024"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(first, again);
    let other_seed = get(&format!("{base}/bytes/1024?seed=9"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_ne!(first, other_seed);

    let too_many = get(&format!("{base}/bytes/{}", 10 * 1024 * 1024 + 1)).await;
    assert_eq!(too_many.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn gzip_and_deflate_are_always_compressed() {
    let (_server, base) = server();
    // reqwest decodes transparently...
    for encoding in ["gzip", "deflate"] {
        let response = get(&format!("{base}/{encoding}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(json_of(response).await["compressed"], encoding);
    }

    // ...and even a client that asks for no compression gets gzip bytes with the header.
    let raw = builder().no_gzip().no_deflate().build().unwrap();
    let response = raw.get(format!("{base}/gzip")).send().await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(content_type(response.headers()), "application/json");
    let compressed = response.bytes().await.unwrap();
    let mut plain = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut plain)
        .unwrap();
    let doc: Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(doc["compressed"], "gzip");

    let response = raw.get(format!("{base}/deflate")).send().await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "deflate");
    let compressed = response.bytes().await.unwrap();
    let mut plain = String::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_string(&mut plain)
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&plain).unwrap()["compressed"],
        "deflate"
    );
}

#[tokio::test]
async fn redirect_chains_have_the_asked_number_of_hops() {
    let (_server, base) = server();
    let manual = builder().redirect(Policy::none()).build().unwrap();
    let response = manual
        .get(format!("{base}/redirect/3"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[header::LOCATION], "/redirect/2");
    let response = manual
        .get(format!("{base}/redirect/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/json");

    // Exactly 3 hops: a client allowing 3 arrives, one allowing 2 gives up.
    let three = builder().redirect(Policy::limited(3)).build().unwrap();
    let response = three
        .get(format!("{base}/redirect/3"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.url().path(), "/json");
    let two = builder().redirect(Policy::limited(2)).build().unwrap();
    let err = two
        .get(format!("{base}/redirect/3"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_redirect(), "{err}");

    let response = get(&format!("{base}/redirect/0")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn redirect_to_and_redirect_loop() {
    let (_server, base) = server();
    let manual = builder().redirect(Policy::none()).build().unwrap();
    let response = manual
        .get(format!("{base}/redirect-to?url=%2Fxml&status=307"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(response.headers()[header::LOCATION], "/xml");

    let response = get(&format!("{base}/redirect-to?url=%2Fhtml")).await;
    assert_eq!(response.url().path(), "/html");

    let response = get(&format!("{base}/redirect-to?url=%2Fx&status=200")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = manual
        .get(format!("{base}/redirect-loop"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()[header::LOCATION], "/redirect-loop");
    let err = client()
        .get(format!("{base}/redirect-loop"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_redirect(), "{err}");
}

#[tokio::test]
async fn basic_and_bearer_auth() {
    let (_server, base) = server();
    let url = format!("{base}/basic-auth/ada/s3cret");
    let response = client()
        .get(&url)
        .basic_auth("ada", Some("s3cret"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_of(response).await["user"], "ada");

    let response = client()
        .get(&url)
        .basic_auth("ada", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    assert_eq!(get(&url).await.status(), StatusCode::UNAUTHORIZED);

    let response = client()
        .get(format!("{base}/bearer"))
        .bearer_auth("tok-123")
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(response).await["token"], "tok-123");
    assert_eq!(
        get(&format!("{base}/bearer")).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn items_crud_lifecycle() {
    let (_server, base) = server();
    let items = json_of(get(&format!("{base}/items")).await).await;
    let ids: Vec<u64> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    for key in ["id", "name", "price", "tags", "created_at"] {
        assert!(items[0].get(key).is_some(), "missing {key}");
    }

    // Create.
    let response = send_json(
        Method::POST,
        &format!("{base}/items"),
        r#"{"name": "Lamp", "price": 19.5, "tags": ["desk"]}"#,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(content_type(response.headers()), "application/json");
    assert_eq!(response.headers()[header::LOCATION], "/items/4");
    let created = json_of(response).await;
    assert_eq!(created["id"], 4);
    assert_eq!(created["name"], "Lamp");
    assert_eq!(created["price"], 19.5);
    assert_eq!(created["tags"], json!(["desk"]));
    let created_at = created["created_at"].as_str().unwrap();
    assert!(
        created_at.ends_with('Z') && created_at.len() == 20,
        "{created_at}"
    );

    // Read.
    let url = format!("{base}/items/4");
    assert_eq!(json_of(get(&url).await).await, created);

    // Replace: fields not given are reset.
    let response = send_json(Method::PUT, &url, r#"{"name": "Desk lamp"}"#).await;
    assert_eq!(response.status(), StatusCode::OK);
    let replaced = json_of(response).await;
    assert_eq!(replaced["name"], "Desk lamp");
    assert_eq!(replaced["price"], Value::Null);
    assert_eq!(replaced["tags"], json!([]));
    assert_eq!(replaced["created_at"], created["created_at"]);

    // Patch: only the given fields change.
    let response = send_json(Method::PATCH, &url, r#"{"price": 25}"#).await;
    assert_eq!(response.status(), StatusCode::OK);
    let patched = json_of(response).await;
    assert_eq!(patched["name"], "Desk lamp");
    assert_eq!(patched["price"], 25.0);

    // Delete, then it is gone.
    let response = client().delete(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());
    let response = get(&url).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_of(response).await["id"], 4);
    let response = client().delete(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Ids keep increasing after a delete.
    let response = send_json(
        Method::POST,
        &format!("{base}/items"),
        r#"{"name": "Next"}"#,
    )
    .await;
    assert_eq!(response.headers()[header::LOCATION], "/items/5");
}

#[tokio::test]
async fn items_reject_bad_bodies_and_ids() {
    let (_server, base) = server();
    let response = send_json(
        Method::POST,
        &format!("{base}/items"),
        "{\n  \"name\": \"x\",\n}",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(content_type(response.headers()), "application/json");
    let error = json_of(response).await;
    assert_eq!(error["line"], 3);
    assert_eq!(error["column"], 1);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("trailing comma")
    );

    for body in [
        r#"{"price": 3}"#,
        r#"{"name": 3}"#,
        "[1]",
        r#"{"name": "a", "price": "x"}"#,
    ] {
        let response = send_json(Method::POST, &format!("{base}/items"), body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        assert!(json_of(response).await["error"].is_string());
    }
    let response = send_json(Method::PUT, &format!("{base}/items/1"), "not json").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Lenient about Content-Type: valid JSON is accepted whatever it is labelled.
    let response = client()
        .post(format!("{base}/items"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(r#"{"name": "labelled as text"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    assert_eq!(
        get(&format!("{base}/items/999")).await.status(),
        StatusCode::NOT_FOUND
    );
    let response = send_json(
        Method::PUT,
        &format!("{base}/items/999"),
        r#"{"name": "a"}"#,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = send_json(Method::PATCH, &format!("{base}/items/999"), "{}").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = get(&format!("{base}/items/abc")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(response).await["param"], "id");
}

#[tokio::test]
async fn items_pages_carry_link_headers() {
    let (_server, base) = server();
    let response = get(&format!("{base}/items?page=2&per_page=2")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-total-count"], "3");
    let link = response.headers()[header::LINK]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        link.contains(&format!("<{base}/items?page=1&per_page=2>; rel=\"prev\"")),
        "{link}"
    );
    assert!(!link.contains("rel=\"next\""), "{link}");
    let page = json_of(response).await;
    assert_eq!(
        page,
        json!([json_of(get(&format!("{base}/items/3")).await).await])
    );

    let response = get(&format!("{base}/items?per_page=500")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // A page far past the end is empty, not an error (and not an overflow).
    let response = get(&format!("{base}/items?page={}&per_page=100", usize::MAX)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_of(response).await, json!([]));
}

#[tokio::test]
async fn bad_json_is_labelled_json_but_does_not_parse() {
    let (_server, base) = server();
    let response = get(&format!("{base}/bad/json")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(response.headers()), "application/json");
    let body = response.bytes().await.unwrap();
    let err = serde_json::from_slice::<Value>(&body).unwrap_err();
    assert!(err.is_syntax(), "{err}");
}

#[tokio::test]
async fn bad_utf8_is_mostly_text_with_invalid_bytes() {
    let (_server, base) = server();
    let response = get(&format!("{base}/bad/utf8")).await;
    assert_eq!(
        content_type(response.headers()),
        "text/plain; charset=utf-8"
    );
    let body = response.bytes().await.unwrap();
    assert!(String::from_utf8(body.to_vec()).is_err());
    assert!(String::from_utf8_lossy(&body).contains("This line is fine."));
}

#[tokio::test]
async fn truncated_body_is_an_error_while_reading() {
    let (_server, base) = server();
    let mut response = get(&format!("{base}/bad/truncated")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_LENGTH], "100000");
    assert_eq!(response.content_length(), Some(100_000));
    let mut received = 0;
    let err = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("clean end of body after {received} bytes"),
            Err(e) => break e,
        }
    };
    assert!(err.is_body() || err.is_decode(), "{err:?}");
    assert!(received > 0 && received < 100_000, "{received}");

    // The same through the one-shot reader.
    let err = get(&format!("{base}/bad/truncated"))
        .await
        .bytes()
        .await
        .unwrap_err();
    assert!(err.is_body() || err.is_decode(), "{err:?}");
}

#[tokio::test]
async fn large_is_a_single_line_json_document_of_the_asked_size() {
    let (_server, base) = server();
    let response = get(&format!("{base}/large/2")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(response.headers()), "application/json");
    let body = response.bytes().await.unwrap();
    let mib = 1024 * 1024;
    assert!(
        body.len() >= 2 * mib && body.len() < 2 * mib + 1024,
        "{}",
        body.len()
    );
    assert!(!body.contains(&b'\n'));
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert!(doc.as_array().unwrap().len() > 10_000);

    assert_eq!(
        get(&format!("{base}/large/129")).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn latin1_body_must_be_decoded_by_charset() {
    let (_server, base) = server();
    let response = get(&format!("{base}/charset/latin1")).await;
    assert_eq!(
        content_type(response.headers()),
        "text/plain; charset=iso-8859-1"
    );
    let body = response.bytes().await.unwrap();
    assert!(body.windows(4).any(|w| w == b"caf\xe9"));
    assert!(String::from_utf8(body.to_vec()).is_err());

    // A charset-aware reader gets the right text.
    let text = get(&format!("{base}/charset/latin1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("café, crème brûlée"), "{text}");
}

#[tokio::test]
async fn two_servers_are_independent() {
    let (a, base_a) = server();
    let (b, base_b) = server();
    assert_ne!(a.addr(), b.addr());
    let response = send_json(
        Method::POST,
        &format!("{base_a}/items"),
        r#"{"name": "only on a"}"#,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let on_a = json_of(get(&format!("{base_a}/items")).await).await;
    let on_b = json_of(get(&format!("{base_b}/items")).await).await;
    assert_eq!(on_a.as_array().unwrap().len(), 4);
    assert_eq!(on_b.as_array().unwrap().len(), 3);

    let addr_a = a.addr();
    drop(a);
    wait_until_refused(addr_a).await;
    assert_eq!(
        get(&format!("{base_b}/json")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let (server, base) = server();
    let addr = server.addr();
    assert_eq!(get(&format!("{base}/json")).await.status(), StatusCode::OK);
    drop(server);
    wait_until_refused(addr).await;
    let err = builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
        .get(format!("{base}/json"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn shutdown_waits_for_the_server_to_stop() {
    let (server, base) = server();
    let addr = server.addr();
    assert_eq!(get(&format!("{base}/")).await.status(), StatusCode::OK);
    tokio::time::timeout(PATIENCE, server.shutdown())
        .await
        .unwrap()
        .unwrap();
    let err = tokio::net::TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn starting_on_a_taken_port_fails_with_the_bind_error() {
    let (server, _base) = server();
    let err = DemoServer::start(server.addr().port()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_concurrent_requests() {
    let (_server, base) = server();
    let client = client();
    let started = Instant::now();
    let requests = (0..8).map(|_| {
        let client = client.clone();
        let url = format!("{base}/delay/0.3");
        tokio::spawn(async move { client.get(url).send().await.unwrap().status() })
    });
    for request in requests.collect::<Vec<_>>() {
        assert_eq!(request.await.unwrap(), StatusCode::OK);
    }
    // Served one after the other, eight 0.3 s delays would take at least 2.4 s.
    assert!(
        started.elapsed() < Duration::from_millis(2400),
        "{:?}",
        started.elapsed()
    );
}
