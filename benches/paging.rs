//! Following pages: all 1,234 items of the demo's `/paged/link` at `size=10` (124 pages), through
//! the same pipeline the app and `scout send --all` use, against the in-process demo server.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use scout::demo::DemoServer;
use scout::http::attempts::TokioSleep;
use scout::http::auth::TokenCache;
use scout::http::cookies::CookieJars;
use scout::http::executor::run;
use scout::http::job::Job;
use scout::http::paginate::{Load, Pager, PagerEvent};
use scout::model::{ClientOptions, RequestSpec, Timeouts};
use tokio::sync::mpsc;
use url::Url;

fn load_all(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let demo = {
        let _guard = runtime.enter();
        DemoServer::start(0).unwrap()
    };
    let url = format!("{}/paged/link?size=10", demo.base_url());
    let client = {
        let _guard = runtime.enter();
        scout::http::client::build_client(&ClientOptions::default()).unwrap()
    };
    let spec = RequestSpec {
        url: url.clone(),
        ..Default::default()
    };
    let job = Job::new(1, spec, Timeouts::default());
    let mut group = c.benchmark_group("paging");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("all 1234 items at size 10 (124 pages)", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let (tokens, jars) = (TokenCache::default(), CookieJars::new());
                let (tx, _rx) = mpsc::unbounded_channel();
                let first = run(&client, job.clone(), &tokens, &jars, &tx)
                    .await
                    .unwrap();
                let (mut pager, items) =
                    Pager::start(None, &Url::parse(&url).unwrap(), &first, Some(500)).unwrap();
                let mut count = items.len();
                pager
                    .load(
                        Load::All,
                        &client,
                        &job,
                        &tokens,
                        &jars,
                        &TokioSleep,
                        &tx,
                        |event, _| {
                            if let PagerEvent::Page(page) = event {
                                count += page.items.len();
                            }
                            Ok(())
                        },
                    )
                    .await
                    .unwrap();
                assert_eq!(count, 1234);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, load_all);
criterion_main!(benches);
