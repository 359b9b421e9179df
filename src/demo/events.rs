//! `GET /events?count=N&every=MS`: server-sent events (`text/event-stream`, WHATWG HTML §9.2),
//! one every `every` milliseconds (default 200), `count` of them (default 5; 0: until the client
//! goes away). Each event has an id, a type and JSON data; a comment line opens the stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde::Deserialize;

/// The slowest pace `/events` takes (a minute between events).
const MAX_EVERY_MS: u64 = 60_000;

#[derive(Debug, Deserialize)]
pub(super) struct Params {
    count: Option<u64>,
    every: Option<u64>,
}

pub(super) async fn events(Query(params): Query<Params>) -> Response {
    let count = params.count.unwrap_or(5);
    let every = Duration::from_millis(params.every.unwrap_or(200).min(MAX_EVERY_MS));
    let opening = Bytes::from_static(b": scout demo events\n\n");
    let body = stream::unfold(0u64, move |n| {
        let opening = opening.clone();
        async move {
            if n == 0 {
                return Some((Ok::<_, Infallible>(opening), 1));
            }
            if count != 0 && n > count {
                return None;
            }
            tokio::time::sleep(every).await;
            Some((Ok(Bytes::from(event(n))), n + 1))
        }
    });
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Event `n`: a `tick` with its number; every third one a `price` with a nested object.
fn event(n: u64) -> String {
    if n.is_multiple_of(3) {
        format!(
            "id: {n}\nevent: price\ndata: {{\"n\":{n},\"quote\":{{\"symbol\":\"SCT\",\"price\":{}.{:02}}}}}\n\n",
            100 + n % 7,
            n % 100
        )
    } else {
        format!("id: {n}\nevent: tick\ndata: {{\"n\":{n}}}\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_well_formed() {
        assert_eq!(event(1), "id: 1\nevent: tick\ndata: {\"n\":1}\n\n");
        let price = event(3);
        let data = price
            .lines()
            .nth(2)
            .unwrap()
            .strip_prefix("data: ")
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(value["quote"]["symbol"], "SCT");
    }
}
