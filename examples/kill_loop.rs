//! Crash safety, tried: a child process saves a collection file and appends to the history as
//! fast as it can, and is killed (`SIGKILL`) at a random moment; then the files are checked. A
//! collection file must hold exactly the old or the new version, never a mix or a cut; the history
//! must load, every record but a last cut one readable, and the next append must come out whole.
//!
//! `cargo run --release --example kill_loop` runs 1,000 trials (`TRIALS=N` to choose) and prints
//! how many ended in each state and how many corruptions were found (it exits 1 on any).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scout::collection::store::write_atomic;
use scout::history::{HistoryRecord, HistoryStore, Outcome};
use scout::model::{Redactor, RequestSpec};

/// Two versions of a collection, large enough that a write takes a while (so kills land inside).
fn version(n: u64) -> String {
    let mut text = format!("name = \"Kill loop\"\n# version {n}\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "\n[requests.r{i}]\nurl = \"http://127.0.0.1:9/items/{i}?v={n}\"\n"
        ));
    }
    text.push_str(&format!("# end of version {n}\n"));
    text
}

fn record(id: u64) -> HistoryRecord {
    let spec = RequestSpec {
        url: format!("http://127.0.0.1:9/items/{id}"),
        ..RequestSpec::default()
    };
    HistoryRecord::from_exchange(
        id,
        1_800_000_000_000 + id,
        &spec,
        Outcome::Cancelled {
            after: Duration::ZERO,
        },
        &Redactor::none(),
    )
}

/// The child: saves versions 1, 2, 3… and appends a record after each, until killed.
fn child(dir: &Path) -> ! {
    let collection = dir.join("c.toml");
    let history = HistoryStore::open(dir.join("history.jsonl")).expect("history");
    for n in 1.. {
        write_atomic(&collection, &version(n)).expect("save");
        history.append(&record(n)).expect("append");
    }
    unreachable!()
}

/// What one trial left.
#[derive(Debug, Default)]
struct Tally {
    trials: usize,
    untouched: usize,
    saved: usize,
    corrupt: usize,
    records: usize,
    /// Lines cut by kills still in the file (each skipped when loading).
    cut_lines: usize,
}

fn trial(exe: &Path, dir: &Path, tally: &mut Tally) {
    let collection = dir.join("c.toml");
    write_atomic(&collection, &version(0)).expect("first version");
    let mut child = Command::new(exe)
        .arg("child")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("child");
    std::thread::sleep(Duration::from_micros(fastrand::u64(0..40_000)));
    let _ = child.kill();
    let _ = child.wait();
    tally.trials += 1;

    // The collection: exactly one whole version.
    let text = std::fs::read_to_string(&collection).unwrap_or_default();
    let named = text
        .lines()
        .nth(1)
        .and_then(|l| l.strip_prefix("# version "))
        .and_then(|n| n.parse::<u64>().ok());
    let whole = named.filter(|n| text == version(*n));
    match whole {
        Some(0) => tally.untouched += 1,
        Some(_) => tally.saved += 1,
        None => {
            tally.corrupt += 1;
            eprintln!("corrupt collection after trial {}", tally.trials);
        }
    }
    // The history: loads; at most the last line cut; the next append whole.
    let history = HistoryStore::open(dir.join("history.jsonl")).expect("history");
    match history.load() {
        Ok(loaded) => {
            tally.records = loaded.records.len();
            // Each kill cuts at most the line being written (until a compaction drops it).
            tally.cut_lines = loaded.skipped.len();
            if loaded.skipped.len() > tally.trials {
                tally.corrupt += 1;
                eprintln!("more cut lines than kills after trial {}", tally.trials);
            }
        }
        Err(e) => {
            tally.corrupt += 1;
            eprintln!("history does not load after trial {}: {e}", tally.trials);
        }
    }
    history.append(&record(0)).expect("append after a kill");
    let last = std::fs::read_to_string(dir.join("history.jsonl")).unwrap_or_default();
    let line = last.lines().last().unwrap_or_default();
    if serde_json::from_str::<HistoryRecord>(line).is_err() {
        tally.corrupt += 1;
        eprintln!("the append after trial {} is not whole", tally.trials);
    }
    // Temporary files a kill left behind are the only litter allowed; count, then clear them.
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        child(&PathBuf::from(&args[2]));
    }
    let trials: usize = std::env::var("TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1_000);
    let exe = std::env::current_exe().expect("own path");
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let mut tally = Tally::default();
    for _ in 0..trials {
        trial(&exe, dir.path(), &mut tally);
    }
    println!(
        "kill_loop: {} trials in {:.1} s: collection untouched {}, saved {}, corrupt {}; \
         history {} records, {} cut lines in the file (skipped); corruptions: {}",
        tally.trials,
        started.elapsed().as_secs_f64(),
        tally.untouched,
        tally.saved,
        tally.corrupt,
        tally.records,
        tally.cut_lines,
        tally.corrupt
    );
    if tally.corrupt > 0 {
        std::process::exit(1);
    }
}
