//! Bodies beyond the memory cap: written to a temporary file as they arrive ([`SpillFile`]),
//! indexed by line on the way, and read back a run of lines at a time ([`read_lines`]) or whole
//! ([`copy_to`]). A JSON body is also pretty-printed into a second file as it arrives
//! ([`SpillFile::pretty_printed`]), which the Body tab shows.
//!
//! The file is created readable by its owner only, in the OS temporary folder (`TMPDIR`). A write
//! that fails (a full disk, a file size limit) removes it and says so.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::highlight::StreamPrinter;
use crate::http::error::HttpError;
use crate::model::{LineIndex, Spilled, human_size};

/// The most of one line kept when reading it back; the rest is counted and marked.
pub const MAX_LINE_BYTES: usize = 4096;

/// The most of a body pretty-printed at once (its pretty form is a few times as large).
const PRETTY_PIECE: usize = 256 * 1024;

/// A body being written to its temporary file.
pub struct SpillFile {
    path: PathBuf,
    out: Box<dyn Write + Send>,
    index: LineIndex,
    /// For a JSON body: its pretty form, written as it arrives.
    pretty: Option<Box<PrettySpill>>,
    /// Why a JSON body is not pretty-printed after all (it is not JSON from there on).
    not_pretty: Option<String>,
}

/// The pretty form of a JSON body being spilled.
struct PrettySpill {
    printer: StreamPrinter,
    file: SpillFile,
    /// Scratch space for what one write prints.
    buf: Vec<u8>,
}

impl std::fmt::Debug for SpillFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpillFile")
            .field("path", &self.path)
            .field("written", &self.index.len())
            .finish()
    }
}

impl SpillFile {
    /// A new, empty temporary file (mode 0600) in `dir`.
    pub fn create(dir: &Path) -> Result<SpillFile, HttpError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = dir.join(format!(
            "scout-body-{}-{}.part",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|e| HttpError::Spill {
            detail: format!(
                "could not create a temporary file for the body in {}: {e}",
                dir.display()
            ),
        })?;
        Ok(SpillFile::with_writer(
            path,
            Box::new(io::BufWriter::with_capacity(256 * 1024, file)),
        ))
    }

    /// A spill into `out`, removed as `path` when it fails (tests give a writer that fails).
    pub fn with_writer(path: PathBuf, out: Box<dyn Write + Send>) -> SpillFile {
        SpillFile {
            path,
            out,
            index: LineIndex::new(),
            pretty: None,
            not_pretty: None,
        }
    }

    /// Also pretty-prints what is written (a JSON body), into a second temporary file beside
    /// this one; written before anything else.
    pub fn pretty_printed(mut self) -> Result<SpillFile, HttpError> {
        let dir = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        self.pretty = Some(Box::new(PrettySpill {
            printer: StreamPrinter::new(),
            file: SpillFile::create(&dir)?,
            buf: Vec::new(),
        }));
        Ok(self)
    }

    /// Appends `data`. On failure the partial file is removed.
    pub fn write(&mut self, data: &[u8]) -> Result<(), HttpError> {
        if let Err(e) = self.out.write_all(data) {
            return Err(self.failed(&e));
        }
        self.index.feed(data);
        if let Some(pretty) = &mut self.pretty {
            // A piece at a time: what the memory held when it spilled is tens of megabytes,
            // and its pretty form is larger still.
            for piece in data.chunks(PRETTY_PIECE) {
                pretty.buf.clear();
                if let Err(why) = pretty.printer.feed(piece, &mut pretty.buf) {
                    // Not JSON after all: shown as received (the pretty file goes with it).
                    self.pretty = None;
                    self.not_pretty = Some(why);
                    break;
                }
                pretty.file.write(&pretty.buf)?;
            }
        }
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.index.len()
    }

    /// Everything written out: the handle to the complete file.
    pub fn finish(mut self) -> Result<Spilled, HttpError> {
        if let Err(e) = self.out.flush() {
            return Err(self.failed(&e));
        }
        let pretty = match self.pretty.take() {
            Some(mut pretty) => {
                pretty.buf.clear();
                // A body cut short (a stopped download) keeps the pretty form of what arrived.
                let _ = pretty.printer.finish(&mut pretty.buf);
                pretty.file.write(&pretty.buf)?;
                Some(std::sync::Arc::new(pretty.file.finish()?))
            }
            None => None,
        };
        let path = std::mem::take(&mut self.path);
        let index = std::mem::take(&mut self.index);
        Ok(Spilled::new(path, index).with_pretty(pretty, self.not_pretty.take()))
    }

    /// Removes the partial file, and the error that says what happened.
    fn failed(&mut self, e: &io::Error) -> HttpError {
        // Nothing more gets written: the buffered rest is dropped with the file.
        self.out = Box::new(io::sink());
        let _ = std::fs::remove_file(&self.path);
        let cause = match e.kind() {
            io::ErrorKind::StorageFull => "the disk is full".to_string(),
            io::ErrorKind::FileTooLarge => "the file size limit was reached".to_string(),
            _ => format!("writing failed ({e})"),
        };
        HttpError::Spill {
            detail: format!(
                "{cause}: the body was being kept on disk in {} after {} and could not be \
                 written further; the partial file was removed",
                self.path.parent().unwrap_or(Path::new("")).display(),
                human_size(self.index.len()),
            ),
        }
    }
}

impl Drop for SpillFile {
    /// A spill never finished (an error, a cancelled request): its file goes.
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// One line read back from a spilled body: its text (invalid UTF-8 replaced; at most
/// [`MAX_LINE_BYTES`] of it) and how many bytes were left off the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLine {
    pub text: String,
    pub cut: u64,
}

/// Lines `first..first + count` of `spilled` (fewer at its end). Reads from the nearest indexed
/// line at or before `first`, so at most [`crate::model::spilled::INDEX_EVERY`] lines are
/// skipped; memory stays bounded however long a line is.
pub fn read_lines(spilled: &Spilled, first: u64, count: usize) -> io::Result<Vec<FileLine>> {
    let (mut line, offset) = spilled.index().seek(first);
    let mut file = File::open(spilled.path())?;
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut lines = Vec::with_capacity(count);
    let mut kept = Vec::new();
    while lines.len() < count && line < spilled.line_count() {
        let keep = line >= first;
        let cut = read_line(&mut reader, keep.then_some(&mut kept))?;
        if keep {
            if kept.last() == Some(&b'\r') && cut == 0 {
                kept.pop();
            }
            lines.push(FileLine {
                text: String::from_utf8_lossy(&kept).into_owned(),
                cut,
            });
            kept.clear();
        }
        line += 1;
    }
    Ok(lines)
}

/// Reads one line (through its `\n`, which is not kept), keeping up to [`MAX_LINE_BYTES`] in
/// `kept`; returns how many bytes of it were not kept (a `\r` ending a cut line not counted).
fn read_line(reader: &mut impl BufRead, mut kept: Option<&mut Vec<u8>>) -> io::Result<u64> {
    let mut cut = 0u64;
    let mut last_cut_cr = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (part, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], i + 1),
            None => (buf, buf.len()),
        };
        let ended = done > part.len();
        if let Some(kept) = kept.as_deref_mut() {
            let room = MAX_LINE_BYTES.saturating_sub(kept.len()).min(part.len());
            kept.extend_from_slice(&part[..room]);
            if room < part.len() {
                cut += (part.len() - room) as u64;
                last_cut_cr = part.last() == Some(&b'\r');
            }
        }
        reader.consume(done);
        if ended {
            break;
        }
    }
    Ok(cut - u64::from(last_cut_cr && cut > 0))
}

/// Copies the whole spilled body into `out`.
pub fn copy_to(spilled: &Spilled, out: &mut (impl Write + ?Sized)) -> io::Result<u64> {
    let mut file = File::open(spilled.path())?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        out.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// Bytes of whole lines searched at a time.
const SEARCH_BLOCK: usize = 4 * 1024 * 1024;
/// The most one search block holds: a longer line is searched in pieces of this size (a match
/// across two pieces is missed, and the offsets in the later pieces are from the piece's start).
const LONGEST_SEARCH_BLOCK: usize = 16 * 1024 * 1024;

/// Appends the rest of the current line (through its `\n`) to `block`, stopping when `block`
/// holds `max` bytes; returns the bytes read and whether the line ended.
fn read_line_part(
    reader: &mut impl BufRead,
    block: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    let mut read = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((read, false));
        }
        let room = max.saturating_sub(block.len());
        if room == 0 {
            return Ok((read, false));
        }
        let window = &buf[..buf.len().min(room)];
        match window.iter().position(|b| *b == b'\n') {
            Some(i) => {
                block.extend_from_slice(&window[..=i]);
                reader.consume(i + 1);
                return Ok((read + i + 1, true));
            }
            None => {
                let n = window.len();
                block.extend_from_slice(window);
                reader.consume(n);
                read += n;
            }
        }
    }
}

/// Finds `query` in a body kept on disk, a block of whole lines at a time (line numbers offset
/// to the file's; a line as its text is read back, `\r\n` ending a line dropped). After each
/// block, `on_block` gets the matches it kept (at most [`inspect::search::MAX_KEPT`] in all),
/// the count so far and the fraction scanned; stops when `cancel` is set. Returns whether it
/// went through the whole file.
pub fn search_file(
    spilled: &Spilled,
    query: &crate::inspect::search::Query,
    cancel: &std::sync::atomic::AtomicBool,
    mut on_block: impl FnMut(Vec<crate::inspect::search::Match>, usize, f64),
) -> io::Result<bool> {
    use crate::inspect::search::{Limits, MAX_KEPT, search_with};
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(spilled.path())?);
    let (mut first_line, mut scanned, mut count, mut kept) = (0usize, 0u64, 0usize, 0usize);
    let mut block: Vec<u8> = Vec::with_capacity(SEARCH_BLOCK + 64 * 1024);
    loop {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(false);
        }
        block.clear();
        while block.len() < SEARCH_BLOCK {
            let (read, ended) = read_line_part(&mut reader, &mut block, LONGEST_SEARCH_BLOCK)?;
            if read == 0 || !ended {
                break;
            }
        }
        if block.is_empty() {
            on_block(Vec::new(), count, 1.0);
            return Ok(true);
        }
        scanned += block.len() as u64;
        let text = String::from_utf8_lossy(&block);
        let text = if text.contains('\r') {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
        } else {
            text
        };
        let limits = Limits {
            keep: MAX_KEPT - kept,
            ..Limits::default()
        };
        let found = search_with(&text, query, limits, cancel, |_| {});
        // A block cut inside a very long line: the next one goes on with the same line.
        let lines = text.bytes().filter(|b| *b == b'\n').count();
        let new: Vec<_> = found
            .matches
            .into_iter()
            .map(|mut m| {
                m.line += first_line;
                m
            })
            .collect();
        kept += new.len();
        count += found.count;
        first_line += lines;
        let fraction = scanned as f64 / spilled.len().max(1) as f64;
        on_block(new, count, fraction.min(1.0));
    }
}

#[cfg(test)]
#[path = "spill_tests.rs"]
mod tests;
