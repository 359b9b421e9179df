use std::io::{self, Write};
use std::sync::Arc;

use super::*;

/// A body written through a spill in chunks of `size`.
fn spill(dir: &Path, body: &[u8], size: usize) -> Spilled {
    let mut file = SpillFile::create(dir).unwrap();
    for part in body.chunks(size.max(1)) {
        file.write(part).unwrap();
    }
    file.finish().unwrap()
}

fn texts(lines: &[FileLine]) -> Vec<&str> {
    lines.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn lines_read_back_from_any_chunk() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..1000).map(|i| format!("line {i}\r\n")).collect();
    let spilled = spill(dir.path(), body.as_bytes(), 777);
    assert_eq!(spilled.line_count(), 1000);
    assert_eq!(spilled.len(), body.len() as u64);
    for first in [0u64, 1, 127, 128, 300, 998] {
        let lines = read_lines(&spilled, first, 3).unwrap();
        let want: Vec<String> = (first..(first + 3).min(1000))
            .map(|i| format!("line {i}"))
            .collect();
        assert_eq!(texts(&lines), want, "from line {first}");
    }
    assert!(read_lines(&spilled, 1000, 5).unwrap().is_empty());
}

#[test]
fn a_last_line_without_newline_and_a_line_longer_than_a_read_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let long = "y".repeat(200_000);
    let body = format!("a\n{long}\r\nb");
    let spilled = spill(dir.path(), body.as_bytes(), 1000);
    assert_eq!(spilled.line_count(), 3);
    let lines = read_lines(&spilled, 0, 10).unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].text, "a");
    assert_eq!(lines[1].text.len(), MAX_LINE_BYTES);
    assert_eq!(lines[1].cut, (200_000 - MAX_LINE_BYTES) as u64);
    assert_eq!(
        lines[2],
        FileLine {
            text: "b".into(),
            cut: 0
        }
    );
}

#[test]
fn the_file_is_private_and_copied_whole() {
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let spilled = spill(dir.path(), &body, 4096);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(spilled.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mut out = Vec::new();
    assert_eq!(copy_to(&spilled, &mut out).unwrap(), body.len() as u64);
    assert_eq!(out, body);
    let path = spilled.path().to_path_buf();
    drop(spilled);
    assert!(!path.exists(), "the file goes with its handle");
}

/// Takes `room` bytes, then fails as a full disk does.
struct FullDisk {
    room: usize,
}

impl Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_disk_removes_the_partial_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("partial");
    std::fs::write(&path, b"what was written").unwrap();
    let mut file = SpillFile::with_writer(path.clone(), Box::new(FullDisk { room: 10 }));
    file.write(b"0123").unwrap();
    let err = file.write(b"456789abcdef").unwrap_err();
    assert!(!path.exists(), "the partial file is removed");
    let text = err.to_string();
    assert!(text.contains("the disk is full"), "{text}");
    assert!(text.contains("the partial file was removed"), "{text}");
    assert_eq!(err.title(), "Body not kept on disk");
}

#[test]
fn an_unfinished_spill_removes_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = SpillFile::create(dir.path()).unwrap();
    file.write(b"some\nbytes").unwrap();
    drop(file);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn search_finds_matches_with_the_file_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    // Past one search block, so the line numbers of the second block are offset.
    let mut body = String::new();
    let mut i = 0;
    while body.len() < SEARCH_BLOCK + 100_000 {
        body.push_str(&format!("row {i} {}\r\n", "-".repeat(90)));
        i += 1;
    }
    let last = i - 1;
    let spilled = spill(dir.path(), body.as_bytes(), 65_536);
    let query = crate::inspect::search::Query::new(&format!("row {last} "), false).unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (mut found, mut count, mut reports) = (Vec::new(), 0, 0);
    let complete = search_file(&spilled, &query, &cancel, |new, c, _| {
        found.extend(new);
        count = c;
        reports += 1;
    })
    .unwrap();
    assert!(complete);
    assert!(reports >= 2, "reported block by block");
    assert_eq!(count, 1);
    assert_eq!(found[0].line, last);
    assert_eq!(found[0].start, 0);
    let all = crate::inspect::search::Query::new("row", false).unwrap();
    let mut count = 0;
    search_file(&spilled, &all, &cancel, |_, c, _| count = c).unwrap();
    assert_eq!(count, i);
}

/// A JSON body written through a pretty-printing spill in chunks of `size`.
fn pretty_spill(dir: &Path, body: &[u8], size: usize) -> Arc<Spilled> {
    let mut file = SpillFile::create(dir).unwrap().pretty_printed().unwrap();
    for part in body.chunks(size.max(1)) {
        file.write(part).unwrap();
    }
    Arc::new(file.finish().unwrap())
}

#[test]
fn a_json_body_is_shown_pretty_and_kept_as_received() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<serde_json::Value> = (0..500)
        .map(|i| serde_json::json!({"id": i, "tags": ["a", "日本語"], "parent": null}))
        .collect();
    let body = serde_json::to_string(&items).unwrap();
    let spilled = pretty_spill(dir.path(), body.as_bytes(), 777);
    // As received: one line, byte for byte.
    assert_eq!(spilled.line_count(), 1);
    assert_eq!(std::fs::read(spilled.path()).unwrap(), body.as_bytes());
    // Shown: the pretty form, line by line as in memory.
    let shown = spilled.shown();
    assert_ne!(shown.path(), spilled.path());
    let pretty = serde_json::to_string_pretty(&items).unwrap();
    assert_eq!(shown.line_count(), pretty.lines().count() as u64);
    let lines = read_lines(shown, 3000, 4).unwrap();
    let want: Vec<&str> = pretty.lines().skip(3000).take(4).collect();
    assert_eq!(texts(&lines), want);
    assert!(spilled.not_pretty().is_none());
    // Both files go with the handle.
    let (raw, pretty_path) = (spilled.path().to_path_buf(), shown.path().to_path_buf());
    drop(spilled);
    assert!(!raw.exists() && !pretty_path.exists());
}

#[test]
fn a_body_that_stops_being_json_is_shown_as_received_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!("[{}<oops>]", "1, ".repeat(10_000));
    let spilled = pretty_spill(dir.path(), body.as_bytes(), 1000);
    assert_eq!(spilled.shown().path(), spilled.path());
    assert_eq!(
        spilled.not_pretty(),
        Some(format!("expected a value (byte {})", body.find('<').unwrap()).as_str())
    );
    // Only the body's own file is left.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_json_body_cut_short_keeps_the_pretty_form_of_what_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let spilled = pretty_spill(dir.path(), br#"{"a": [1, 2, {"b": "c"#, 5);
    let shown = spilled.shown();
    assert_ne!(shown.path(), spilled.path());
    let lines = read_lines(shown, 0, 10).unwrap();
    assert_eq!(
        texts(&lines),
        [
            "{",
            r#"  "a": ["#,
            "    1,",
            "    2,",
            "    {",
            r#"      "b": "c"#
        ]
    );
}
