use std::time::Duration;

use super::*;
use crate::history::record::Outcome;
use crate::model::RequestSpec;
use crate::model::secret::Redactor;

fn rec(id: u64) -> HistoryRecord {
    let spec = RequestSpec {
        url: format!("http://localhost/items/{id}"),
        ..RequestSpec::default()
    };
    let outcome = Outcome::Cancelled {
        after: Duration::from_millis(id),
    };
    HistoryRecord::from_exchange(id, id * 10, &spec, outcome, &Redactor::none())
}

fn ids(loaded: &Loaded) -> Vec<u64> {
    loaded.records.iter().map(|r| r.id).collect()
}

fn file_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("readable");
    text.lines().map(str::to_string).collect()
}

#[test]
fn history_persists_across_two_instances() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("data").join("scout").join(FILE_NAME);
    let first = HistoryStore::open(&path).expect("opens");
    assert!(first.load().expect("loads").records.is_empty());
    first.append(&rec(1)).expect("appends");
    first.append(&rec(2)).expect("appends");

    let second = HistoryStore::open(&path).expect("opens");
    let loaded = second.load().expect("loads");
    assert_eq!(loaded.records, vec![rec(1), rec(2)]);
    assert!(loaded.skipped.is_empty());
    second.append(&rec(3)).expect("appends");
    assert_eq!(ids(&first.load().expect("loads")), [1, 2, 3]);
}

#[test]
fn clear_forgets_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = HistoryStore::open(dir.path().join(FILE_NAME)).expect("opens");
    store.clear().expect("clearing nothing is fine");
    store.append(&rec(1)).expect("appends");
    store.clear().expect("clears");
    assert!(!store.path().exists());
    assert!(store.load().expect("loads").records.is_empty());
    store.append(&rec(2)).expect("appends again");
    assert_eq!(ids(&store.load().expect("loads")), [2]);
}

#[cfg(unix)]
#[test]
fn files_are_private_and_loose_ones_are_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("new");
    let path = folder.join(FILE_NAME);
    HistoryStore::open(&path)
        .expect("opens")
        .append(&rec(1))
        .expect("appends");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder), 0o700);

    let loose = dir.path().join("loose.jsonl");
    std::fs::write(&loose, "").expect("writes");
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    HistoryStore::open(&loose)
        .expect("opens")
        .append(&rec(1))
        .expect("appends");
    assert_eq!(mode(&loose), 0o600);
}

#[test]
fn corrupt_lines_are_skipped_with_their_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(FILE_NAME);
    let good = |id| serde_json::to_string(&rec(id)).expect("serializes");
    let mut content = format!("{}\n{{not json\n", good(1)).into_bytes();
    content.extend_from_slice(b"\xff\xfe\n");
    content.extend_from_slice(format!("{}\n\n{}", good(2), &good(3)[..20]).as_bytes());
    std::fs::write(&path, content).expect("writes");

    let store = HistoryStore::open(&path).expect("opens");
    let loaded = store.load().expect("loads");
    assert_eq!(ids(&loaded), [1, 2]);
    let lines: Vec<usize> = loaded.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3, 6]);
    assert!(loaded.skipped[0].to_string().starts_with("line 2: "));

    store.append(&rec(4)).expect("appends after a cut line");
    let again = store.load().expect("loads");
    assert_eq!(ids(&again), [1, 2, 4]);
    assert_eq!(again.skipped.len(), 3);
}

#[test]
fn compaction_keeps_exactly_the_newest_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(FILE_NAME);
    let store = HistoryStore::open(&path).expect("opens");
    for id in 1..COMPACT_AT {
        store.append(&rec(id)).expect("appends");
    }
    assert_eq!(file_lines(&path).len() as u64, COMPACT_AT - 1);
    let before = store.load().expect("loads");
    assert_eq!(
        before.records.len(),
        MAX_RECORDS,
        "load shows only the newest"
    );
    assert_eq!(before.records[0].id, COMPACT_AT - MAX_RECORDS as u64);

    store
        .append(&rec(COMPACT_AT))
        .expect("appends and compacts");
    let lines = file_lines(&path);
    assert_eq!(lines.len(), MAX_RECORDS);
    for line in &lines {
        serde_json::from_str::<HistoryRecord>(line).expect("every line is a record");
    }
    let loaded = HistoryStore::open(&path)
        .expect("opens")
        .load()
        .expect("loads");
    let want: Vec<u64> = (COMPACT_AT - MAX_RECORDS as u64 + 1..=COMPACT_AT).collect();
    assert_eq!(ids(&loaded), want);
    assert!(loaded.skipped.is_empty());
    let leftovers = std::fs::read_dir(dir.path()).expect("lists").count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_fresh_instance_counts_an_oversized_file_before_appending() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(FILE_NAME);
    let mut content = String::new();
    for id in 1..=1500 {
        content.push_str(&serde_json::to_string(&rec(id)).expect("serializes"));
        content.push('\n');
    }
    std::fs::write(&path, content).expect("writes");
    HistoryStore::open(&path)
        .expect("opens")
        .append(&rec(1501))
        .expect("appends and compacts");
    let loaded = HistoryStore::open(&path)
        .expect("opens")
        .load()
        .expect("loads");
    assert_eq!(loaded.records.len(), MAX_RECORDS);
    assert_eq!(loaded.records.first().map(|r| r.id), Some(502));
    assert_eq!(loaded.records.last().map(|r| r.id), Some(1501));
    assert_eq!(file_lines(&path).len(), MAX_RECORDS);
}

#[test]
fn io_failures_name_the_file_and_a_remedy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "").expect("writes");
    let store = HistoryStore::open(blocker.join(FILE_NAME)).expect("opens");
    let err = store.append(&rec(1)).expect_err("the parent is a file");
    assert!(err.to_string().contains("not-a-folder"), "{err}");
    assert!(err.hint().contains("SCOUT_DATA_DIR"));
}

#[test]
fn default_path_prefers_the_env_override() {
    let data = Some(PathBuf::from("/home/u/.local/share/scout"));
    assert_eq!(
        path_from(Some(PathBuf::from("/tmp/x")), data.clone()),
        Some(PathBuf::from("/tmp/x/history.jsonl"))
    );
    assert_eq!(
        path_from(Some(PathBuf::new()), data.clone()),
        Some(PathBuf::from("/home/u/.local/share/scout/history.jsonl"))
    );
    assert_eq!(path_from(None, None), None);
}

#[test]
fn the_writer_thread_appends_in_order_and_tells_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let problems = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, thread) = {
        let problems = problems.clone();
        spawn_writer(move |e| problems.lock().unwrap().push(e.to_string()))
    };
    for id in 1..=3 {
        tx.send((path.clone(), Box::new(rec(id)))).unwrap();
    }
    // A file that cannot be written: its folder is a file.
    let blocked = dir.path().join("history.jsonl").join("history.jsonl");
    tx.send((blocked, Box::new(rec(4)))).unwrap();
    drop(tx);
    thread.join().unwrap();
    let loaded = HistoryStore::open(&path).unwrap().load().unwrap();
    assert_eq!(ids(&loaded), [1, 2, 3]);
    assert_eq!(problems.lock().unwrap().len(), 1);
}
