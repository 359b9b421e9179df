//! The app against the hostile server: each broken response ends in the response pane with its
//! cause, and the app goes on working (the next request is answered).

mod support;
mod tui_harness;

use scout::model::Timeouts;
use support::hostile::Hostile;
use tui_harness::{Harness, WAIT, spec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_responses_are_named_and_the_next_request_still_works() {
    let hostile = Hostile::start();
    let h = Harness::start(spec(""), Timeouts::default());
    for (path, shown) in [
        ("/garbage-status", "Malformed status line"),
        ("/bad-gzip", "Body not decodable"),
        ("/bad-chunk", "Broken chunked body"),
        ("/reset", "Connection reset"),
        ("/bad-location", "Unusable redirect"),
        ("/huge-header", "Response head too large"),
    ] {
        h.send_url(&hostile.url(path));
        h.wait_for(shown, WAIT).await;
        h.send_url(&hostile.url("/ok"));
        h.wait_for("200 OK", WAIT).await;
    }
    h.quit().await;
}
