//! The app against the hostile server: each broken response ends in the response pane with its
//! cause, and the app goes on working (the next request is answered).

mod support;
mod tui_harness;

use scout::model::Timeouts;
use support::hostile::Hostile;
use tui_harness::{Harness, WAIT, spec};

/// Every case of the hostile server but the 50 MB array (the memory bench measures the app with
/// such bodies) and the endless and one-byte-a-second bodies (they end at the total timeout,
/// tested headless), with what the response pane must show: the cause's title for a broken response, the
/// status for an odd but readable one.
const CASES: &[(&str, &str)] = &[
    ("/garbage-status", "Malformed status line"),
    ("/http09", "Not an HTTP response"),
    ("/short-body", "Connection closed mid-body"),
    ("/long-body", "hello"),
    ("/two-lengths", "Conflicting Content-Length"),
    ("/bad-gzip", "Body not decodable"),
    ("/bad-chunk", "Broken chunked body"),
    ("/no-colon", "Malformed header"),
    ("/nul-header", "Malformed header"),
    ("/huge-header", "Response head too large"),
    ("/many-headers", "Response head too large"),
    ("/latin1-header", "200 OK"),
    ("/bad-location", "Unusable redirect"),
    ("/self-redirect", "Redirect loop"),
    ("/chain/50", "Too many redirects"),
    ("/no-content-with-body", "204"),
    ("/continue-flood", "200 OK"),
    ("/png-as-json", "200 OK"),
    ("/deep-json", "200 OK"),
    ("/close", "No response"),
    ("/reset", "Connection reset"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_response_is_shown_and_the_next_request_still_works() {
    let hostile = Hostile::start();
    let h = Harness::start(spec(""), Timeouts::default());
    let mut sent = 0;
    for (path, shown) in CASES {
        h.send_url(&hostile.url(path));
        sent += 1;
        h.wait_for(&format!("History ({sent})"), WAIT).await;
        // The last good answer's body is replaced by this one's outcome.
        h.wait_gone("fine", WAIT).await;
        h.wait_for(shown, WAIT).await;
        h.send_url(&hostile.url("/ok"));
        sent += 1;
        h.wait_for(&format!("History ({sent})"), WAIT).await;
        h.wait_for("fine", WAIT).await;
    }
    h.quit().await;
}
