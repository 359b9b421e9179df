//! Stopping a download (Esc in the app): the worker ends the body where it is and the response
//! keeps what arrived, in memory or on disk; a send stopped before its response ends with
//! nothing. Against the demo server's slow `/drip` and `/delay` on 127.0.0.1.

use std::time::{Duration, Instant};

use scout::demo::DemoServer;
use scout::http::HttpError;
use scout::http::job::{HttpEvent, Job};
use scout::http::worker::{self, Command};
use scout::model::{Method, RequestSpec, ResponseData, Timeouts};
use tokio::sync::mpsc;

const PATIENCE: Duration = Duration::from_secs(10);

fn job(url: String, memory_cap: u64) -> Job {
    let spec = RequestSpec {
        method: Method::Get,
        url,
        ..Default::default()
    };
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(60),
        read: None,
    };
    Job {
        memory_cap,
        ..Job::new(1, spec, timeouts)
    }
}

async fn next(events: &mut mpsc::UnboundedReceiver<HttpEvent>) -> HttpEvent {
    tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("a worker event in time")
        .expect("the worker is running")
}

/// Sends `job`, stops it once some of its body arrived, and returns the outcome with how long
/// the stop took.
async fn stopped_midway(job: Job) -> (Result<ResponseData, HttpError>, Duration) {
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    worker.send(Command::Send(job)).unwrap();
    loop {
        if let HttpEvent::Progress { received, .. } = next(&mut events).await
            && received > 0
        {
            break;
        }
    }
    let asked = Instant::now();
    worker.send(Command::Stop(1)).unwrap();
    loop {
        if let HttpEvent::Finished { result, .. } = next(&mut events).await {
            return (result.map(|r| *r), asked.elapsed());
        }
    }
}

#[tokio::test]
async fn a_stopped_download_keeps_what_arrived() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/drip?chunks=100&interval=0.05", demo.base_url());
    let (result, took) = stopped_midway(job(url, 64 << 20)).await;
    let response = result.expect("what arrived");
    assert!(response.stopped);
    assert_eq!(response.status, 200);
    assert!(response.spilled.is_none());
    let body = String::from_utf8(response.body.to_vec()).unwrap();
    assert!(body.starts_with("chunk 1 of 100\n"), "{body}");
    // Whole chunks only, and not all of them: the server was still sending.
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines.len() < 100, "{body}");
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(*line, format!("chunk {} of 100", n + 1));
    }
    // At once: the worker does not wait for the next chunk.
    assert!(took < Duration::from_millis(500), "{took:?}");
}

#[tokio::test]
async fn a_stopped_download_on_disk_keeps_its_file() {
    let demo = DemoServer::start(0).unwrap();
    let url = format!("{}/drip?chunks=100&interval=0.05", demo.base_url());
    // A cap of a few bytes: the body goes to a temporary file from its first chunks.
    let (result, _) = stopped_midway(job(url, 20)).await;
    let response = result.expect("what arrived");
    assert!(response.stopped);
    let spilled = response.spilled.expect("on disk");
    let on_disk = std::fs::read_to_string(spilled.path()).unwrap();
    assert_eq!(spilled.len(), on_disk.len() as u64);
    assert!(
        on_disk.starts_with("chunk 1 of 100\nchunk 2 of 100\n"),
        "{on_disk}"
    );
    assert!(on_disk.lines().count() < 100);
    assert!(on_disk.ends_with('\n'));
    let path = spilled.path().to_path_buf();
    drop(spilled);
    assert!(!path.exists(), "the temporary file goes with the response");
}

#[tokio::test]
async fn a_send_stopped_before_its_response_ends_with_nothing() {
    let demo = DemoServer::start(0).unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let worker = worker::spawn(tx);
    worker
        .send(Command::Send(job(
            format!("{}/delay/5", demo.base_url()),
            64 << 20,
        )))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let asked = Instant::now();
    worker.send(Command::Stop(1)).unwrap();
    let result = loop {
        if let HttpEvent::Finished { result, .. } = next(&mut events).await {
            break result;
        }
    };
    assert!(asked.elapsed() < Duration::from_secs(1));
    assert_eq!(
        result.unwrap_err().to_string(),
        HttpError::stopped_early().to_string()
    );
}
