//! `scout run` speed: 1,000 GET steps, each checked for its status and one JSONPath value,
//! against the in-process demo server — one after the other, and with `--jobs 4`. Prints steps
//! per second and the cost of one step; `STEPS=` changes the count.
//!
//! The runner, planner, executor and checks are the ones `scout run` uses (the history is off,
//! as with `--no-history`; the binary adds only its start-up and printing).

use std::path::Path;
use std::time::{Duration, Instant};

use scout::collection::store::{LoadedFile, load_file};
use scout::collection::{DEMO_URL_VAR, env_source_for};
use scout::demo::DemoServer;
use scout::http::client::ClientPool;
use scout::http::plan::TimeoutInput;
use scout::replay::{Options, Totals, prepare, select};

fn main() {
    let steps: usize = std::env::var("STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let demo = {
        let _guard = runtime.enter();
        DemoServer::start(0).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.toml");
    let list = vec!["\"get\""; steps].join(", ");
    std::fs::write(
        &path,
        format!(
            "[vars]\nbase_url = \"{{{{env.{DEMO_URL_VAR}}}}}\"\n\n[requests.get]\nurl = \"{{{{base_url}}}}/items/1\"\nexpect = {{ status = 200, json = {{ \"$.name\" = {{ type = \"string\" }} }} }}\n\n[runs.bench]\nsteps = [{list}]\n"
        ),
    )
    .unwrap();
    let files = vec![load_file(&path)];
    let LoadedFile::Ok { collection, .. } = &files[0] else {
        panic!("the bench collection does not load")
    };
    let injected = vec![(DEMO_URL_VAR.to_string(), demo.base_url())];
    let env_sources = vec![env_source_for(collection, &injected).unwrap()];
    println!(
        "scout run: {steps} GET steps (status + a JSONPath check) against the demo on 127.0.0.1"
    );
    for jobs in [1, 4] {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let options = Options {
                files: &files,
                env_sources: &env_sources,
                environment: None,
                vars: &[],
                timeouts: TimeoutInput::default(),
                work_dir: Path::new("."),
                jobs,
                bail: false,
                repeat: 1,
                history: None,
                seed: &Default::default(),
                prompts: &Default::default(),
            };
            let plans = select(&files, &[]).unwrap();
            let prepared = prepare(plans, &files, None, &[]).unwrap();
            let clients = ClientPool::default();
            let started = Instant::now();
            let (reports, _) =
                runtime.block_on(prepared.run(&options, &clients, std::future::pending(), |_| {}));
            let took = started.elapsed();
            let totals = Totals::of(reports.iter().flat_map(|r| &r.steps));
            assert_eq!(totals.passed, steps, "every step passes");
            best = best.min(took);
        }
        println!(
            "  --jobs {jobs}: {:>7.1} ms for {steps} steps (best of 5) · {:>6.0} steps/s · {:>5.1} µs per step",
            best.as_secs_f64() * 1000.0,
            steps as f64 / best.as_secs_f64(),
            best.as_secs_f64() * 1e6 / steps as f64
        );
    }
    drop(demo);
}
