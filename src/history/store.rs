//! The history file: `history.jsonl`, one [`HistoryRecord`] per line, oldest first.
//!
//! All of this is blocking file I/O: callers run it off the UI thread (`spawn_blocking`) and send
//! the result back as a `Msg`. Two scout instances may share the file: appends are single
//! `O_APPEND` writes, so lines never interleave; a compaction by one instance can drop a line the
//! other appends at that very moment, which history tolerates.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::record::HistoryRecord;

/// How many records history keeps.
pub const MAX_RECORDS: usize = 1000;
/// The file is rewritten once it holds this many lines, so appends do not rewrite it each time.
const COMPACT_AT: u64 = MAX_RECORDS as u64 + MAX_RECORDS as u64 / 10;
const UNKNOWN: u64 = u64::MAX;
const FILE_NAME: &str = "history.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("could not {action} the history file {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("could not encode a history record: {0}")]
    Encode(#[from] serde_json::Error),
    /// Writing panicked (a bug): the record is not written; the writer goes on.
    #[error("could not write a history record: scout failed: {0}")]
    Internal(String),
}

impl HistoryError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            HistoryError::Io { .. } => {
                "Check that the folder exists and is writable, or set SCOUT_DATA_DIR to another folder."
            }
            HistoryError::Encode(_) | HistoryError::Internal(_) => {
                "This is a bug in scout; the request itself was not affected."
            }
        }
    }
}

/// A line of the file that could not be read; the others still load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based.
    pub line: usize,
    pub error: String,
}

impl std::fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    /// Oldest first, at most [`MAX_RECORDS`] (the newest ones).
    pub records: Vec<HistoryRecord>,
    pub skipped: Vec<SkippedLine>,
}

/// `$SCOUT_DATA_DIR/history.jsonl` if that is set, else `history.jsonl` in the platform's data
/// folder (`~/.local/share/scout` on Linux); `None` when there is no home to put it in.
pub fn default_path() -> Option<PathBuf> {
    path_from(
        std::env::var_os("SCOUT_DATA_DIR").map(PathBuf::from),
        directories::ProjectDirs::from("", "", "scout").map(|d| d.data_dir().to_path_buf()),
    )
}

fn path_from(env_dir: Option<PathBuf>, data_dir: Option<PathBuf>) -> Option<PathBuf> {
    env_dir
        .filter(|d| !d.as_os_str().is_empty())
        .or(data_dir)
        .map(|d| d.join(FILE_NAME))
}

/// What [`spawn_writer`] is sent: a record, and the history file it goes to.
pub type ToWrite = (PathBuf, Box<HistoryRecord>);

/// A thread that appends records in the order they are sent, each to its file: appends never
/// race a compaction, and senders never wait for the disk. It keeps one [`HistoryStore`] per
/// file, so the file's lines are counted once, not on every append. `on_problem` hears of each
/// record that could not be written. The thread ends once every sender is dropped.
pub fn spawn_writer(
    on_problem: impl Fn(HistoryError) + Send + 'static,
) -> (
    std::sync::mpsc::Sender<ToWrite>,
    std::thread::JoinHandle<()>,
) {
    let (tx, rx) = std::sync::mpsc::channel::<ToWrite>();
    let thread = std::thread::Builder::new()
        .name("history-writer".into())
        .spawn(move || {
            let mut stores: Vec<HistoryStore> = Vec::new();
            for (path, record) in rx {
                let at = match stores.iter().position(|s| s.path == path) {
                    Some(at) => at,
                    None => match HistoryStore::open(&path) {
                        Ok(store) => {
                            stores.push(store);
                            stores.len() - 1
                        }
                        Err(e) => {
                            on_problem(e);
                            continue;
                        }
                    },
                };
                // A bug here loses this record, not the writer: later ones are still written.
                let appended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    stores[at].append(&record)
                }));
                match appended {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => on_problem(e),
                    Err(panic) => {
                        // Its count of lines may be off: the file is opened afresh next time.
                        stores.remove(at);
                        on_problem(HistoryError::Internal(crate::fault::panic_message(&*panic)));
                    }
                }
            }
        })
        .expect("the history writer thread starts");
    (tx, thread)
}

#[derive(Debug)]
pub struct HistoryStore {
    path: PathBuf,
    /// Lines in the file as far as this instance knows ([`UNKNOWN`] until counted).
    lines: AtomicU64,
}

impl HistoryStore {
    /// A store for `path`; touches nothing until the first load or append.
    pub fn open(path: impl Into<PathBuf>) -> Result<HistoryStore, HistoryError> {
        Ok(HistoryStore {
            path: path.into(),
            lines: AtomicU64::new(UNKNOWN),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every readable record, oldest first, keeping the newest [`MAX_RECORDS`]; unreadable lines are
    /// reported in `skipped`. A missing file is an empty history.
    pub fn load(&self) -> Result<Loaded, HistoryError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.lines.store(0, Ordering::Relaxed);
                return Ok(Loaded::default());
            }
            Err(e) => return Err(self.io("read", e)),
        };
        let mut loaded = Loaded::default();
        let mut lines = 0;
        for_each_line(file, |number, line| {
            lines += 1;
            match std::str::from_utf8(line)
                .map_err(|e| e.to_string())
                .and_then(|s| serde_json::from_str(s).map_err(|e| e.to_string()))
            {
                Ok(record) => loaded.records.push(record),
                Err(error) => loaded.skipped.push(SkippedLine {
                    line: number,
                    error,
                }),
            }
        })
        .map_err(|e| self.io("read", e))?;
        self.lines.store(lines, Ordering::Relaxed);
        let extra = loaded.records.len().saturating_sub(MAX_RECORDS);
        loaded.records.drain(..extra);
        Ok(loaded)
    }

    /// Appends one record as a line, creating the file (`0600`, its folder `0700`) if needed and
    /// tightening a file others can read. Compacts the file when it has grown past the limit.
    pub fn append(&self, record: &HistoryRecord) -> Result<(), HistoryError> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let mut file = self.open_for_append()?;
        let end = file
            .seek(SeekFrom::End(0))
            .map_err(|e| self.io("read", e))?;
        // A line cut short by a crash would swallow this one: start on a fresh line.
        if end > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::End(-1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(|e| self.io("read", e))?;
            if last[0] != b'\n' {
                line.insert(0, b'\n');
            }
        }
        let mut written = 0;
        while written < line.len() {
            match file.write(&line[written..]) {
                Ok(0) => {
                    let e = std::io::Error::from(std::io::ErrorKind::WriteZero);
                    return Err(self.cut_back(&file, end, written, e));
                }
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.cut_back(&file, end, written, e)),
            }
        }
        drop(file);
        let lines = match self.lines.load(Ordering::Relaxed) {
            UNKNOWN => self.count_lines()?,
            n => n + 1,
        };
        self.lines.store(lines, Ordering::Relaxed);
        if lines >= COMPACT_AT {
            self.compact()?;
        }
        Ok(())
    }

    /// A write stopped part way (a full disk, a file size limit): the part written is taken back,
    /// so the file ends with whole records, unless the file changed meanwhile (another scout
    /// appended after it: then the cut line stays, and loading skips it, as after a crash).
    fn cut_back(&self, file: &File, end: u64, written: usize, e: std::io::Error) -> HistoryError {
        if file
            .metadata()
            .is_ok_and(|m| m.len() == end + written as u64)
        {
            let _ = file.set_len(end);
        }
        self.io("write", e)
    }

    /// Rewrites the file with only the newest [`MAX_RECORDS`] readable records: a temporary file in
    /// the same folder (`0600`), synced, then renamed over the old one, so a crash leaves either.
    /// Called by [`HistoryStore::append`] once the file holds 1,100 lines (10% slack, so appends
    /// do not rewrite the file each time); [`HistoryStore::load`] never returns more than 1,000.
    pub fn compact(&self) -> Result<(), HistoryError> {
        let loaded = self.load()?;
        let mut out = Vec::new();
        for record in &loaded.records {
            serde_json::to_writer(&mut out, record)?;
            out.push(b'\n');
        }
        // Unique per call, so two compactions at once never write the same temporary file.
        static NEXT_TMP: AtomicU64 = AtomicU64::new(0);
        let tmp = self.path.with_file_name(format!(
            ".{FILE_NAME}.{}-{}.tmp",
            std::process::id(),
            NEXT_TMP.fetch_add(1, Ordering::Relaxed)
        ));
        let write = || -> io::Result<()> {
            let mut file = private_options().write(true).truncate(true).open(&tmp)?;
            tighten(&file)?;
            file.write_all(&out)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            if let Some(dir) = self.path.parent().and_then(|d| File::open(d).ok()) {
                let _ = dir.sync_all();
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            self.io("rewrite", e)
        })?;
        self.lines
            .store(loaded.records.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Forgets all history: removes the file.
    pub fn clear(&self) -> Result<(), HistoryError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.io("remove", e)),
        }
        self.lines.store(0, Ordering::Relaxed);
        Ok(())
    }

    fn open_for_append(&self) -> Result<File, HistoryError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(dir)
                .map_err(|e| self.io("create the folder of", e))?;
        }
        let file = private_options()
            .append(true)
            .read(true)
            .open(&self.path)
            .map_err(|e| self.io("open", e))?;
        tighten(&file).map_err(|e| self.io("set permissions on", e))?;
        Ok(file)
    }

    fn count_lines(&self) -> Result<u64, HistoryError> {
        let file = File::open(&self.path).map_err(|e| self.io("read", e))?;
        let mut lines = 0;
        for_each_line(file, |_, _| lines += 1).map_err(|e| self.io("read", e))?;
        Ok(lines)
    }

    fn io(&self, action: &'static str, source: io::Error) -> HistoryError {
        HistoryError::Io {
            action,
            path: self.path.clone(),
            source,
        }
    }
}

/// Calls `f(line_number, bytes)` for each non-blank line (without its newline), 1-based.
fn for_each_line(file: File, mut f: impl FnMut(usize, &[u8])) -> io::Result<()> {
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        number += 1;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if !line.iter().all(u8::is_ascii_whitespace) {
            f(number, line);
        }
    }
}

/// Create if missing, readable and writable by the owner only.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Removes group and other permissions from a file that has them.
fn tighten(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
