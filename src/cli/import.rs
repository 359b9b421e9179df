//! `scout import FORMAT PATH|-`: another tool's requests as a collection, printed, written to a
//! new file (`-o`) or added to an existing one (`--into`, comments kept). Secrets found in the
//! input go to the `.env` beside the written file (the collection refers to them); what could
//! not be carried over is listed on stderr; input that cannot be read exits 2 with where and why,
//! and nothing is written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::collection::merge::merge;
use crate::collection::store::write_atomic;
use crate::import::{Format, ImportError, Imported, Source, import};
use crate::model::counted;

pub mod exit {
    pub const OK: i32 = 0;
    /// The input (or the `--into` file) cannot be read, or the output cannot be written.
    pub const BAD_INPUT: i32 = 2;
}

/// What `scout import` was asked.
#[derive(Debug, Clone, Default)]
pub struct ImportArgs {
    /// None: detect it from the content.
    pub format: Option<Format>,
    /// `-` reads standard input.
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    pub into: Option<PathBuf>,
    pub folder: Option<String>,
    pub filter: Option<String>,
    pub env_file: Option<PathBuf>,
}

/// Runs the import; messages go to `err`, the collection to `out` when no file is named.
pub fn run(args: &ImportArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    match import_to(args, out, err) {
        Ok(()) => exit::OK,
        Err(message) => {
            let _ = writeln!(err, "scout: {message}");
            exit::BAD_INPUT
        }
    }
}

fn import_to(
    args: &ImportArgs,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<(), String> {
    let stdin = args.input.as_os_str() == "-";
    let shown = if stdin {
        "<stdin>".to_string()
    } else {
        args.input.display().to_string()
    };
    let text = if stdin {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        std::fs::read_to_string(&args.input).map_err(|e| format!("cannot read {shown}: {e}"))?
    };
    let format = match args.format {
        Some(f) => f,
        None => Format::detect(&text).ok_or_else(|| {
            format!(
                "{shown}: cannot tell which format this is; name it: scout import {} {shown}",
                Format::ALL.map(Format::name).join("|")
            )
        })?,
    };
    let env_text = match &args.env_file {
        Some(p) => Some(
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?,
        ),
        None => None,
    };
    let dir = if stdin {
        PathBuf::from(".")
    } else {
        args.input
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let target = args.into.as_ref().or(args.output.as_ref());
    let source = Source {
        text: &text,
        dir,
        filter: args.filter.as_deref(),
        env_file: env_text.as_deref(),
        known_env: match target {
            Some(t) => known_env(t)?,
            None => Vec::new(),
        },
    };
    let imported = import(format, &source).map_err(|e: ImportError| match e.line {
        Some(line) => format!("{shown}:{line}: {}", e.message),
        None => format!("{shown}: {}", e.message),
    })?;
    for line in &imported.dropped {
        let _ = writeln!(err, "{line}");
    }
    let existing = match &args.into {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        None => String::new(),
    };
    if let Some(path) = &args.output
        && path.exists()
    {
        return Err(format!(
            "{} exists; add to it with --into, or choose another -o",
            path.display()
        ));
    }
    let mut merged = merge(&existing, &imported.collection, args.folder.as_deref()).map_err(
        |e| match &args.into {
            Some(p) => format!("{}: {e}", p.display()),
            None => e.to_string(),
        },
    )?;
    if args.into.is_none() {
        merged.text = format!(
            "# Imported from {shown} ({format}) by `scout import`.\n\n{}",
            merged.text
        );
    }
    // What was written must load: a mistake here is scout's, and says so before anything lands.
    let check_path = target
        .cloned()
        .unwrap_or_else(|| PathBuf::from("import.toml"));
    crate::collection::parse_collection(&merged.text, &check_path).map_err(|e| {
        format!("the imported collection does not load ({e}); please report this with the input")
    })?;
    for note in &merged.notes {
        let _ = writeln!(err, "{note}");
    }
    match target {
        Some(path) => {
            write_atomic(path, &merged.text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            write_secrets(path, &imported, err)?;
            let _ = writeln!(
                err,
                "{} written to {}: scout send -c {} --list",
                counted(merged.paths.len(), "request"),
                path.display(),
                path.display()
            );
        }
        None => {
            out.write_all(merged.text.as_bytes())
                .map_err(|e| format!("cannot write the collection: {e}"))?;
            for (name, _) in &imported.secrets {
                let _ = writeln!(
                    err,
                    "{name}: a secret from the input, referred to as {{{{env.{name}}}}}; set it \
                     in the environment or a .env beside the collection (not printed; import \
                     with -o to have it written there)"
                );
            }
        }
    }
    Ok(())
}

/// The `.env` beside `collection`: where its secrets go.
fn dotenv_beside(collection: &Path) -> PathBuf {
    let dir = collection
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(crate::template::DOTENV_FILE)
}

/// The variables the `.env` beside `collection` holds (none when there is none); one that
/// cannot be read stops the import before anything is written.
fn known_env(collection: &Path) -> Result<Vec<(String, String)>, String> {
    let path = dotenv_beside(collection);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Vec::new());
    };
    crate::template::parse_dotenv(&text)
        .map(|vars| vars.into_iter().collect())
        .map_err(|e| {
            format!(
                "{}:{}: {}; fix it first: the imported secrets would be added to it",
                path.display(),
                e.line,
                e.message
            )
        })
}

/// The secrets the collection refers to, added to the `.env` beside it (created readable by the
/// user only); names already there are kept.
fn write_secrets(
    collection: &Path,
    imported: &Imported,
    err: &mut dyn std::io::Write,
) -> Result<(), String> {
    if imported.secrets.is_empty() {
        return Ok(());
    }
    // The import reused the names already there for the same values and chose free names for
    // the others (see `Secrets::beside`): everything here is new.
    let path = dotenv_beside(collection);
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let mut added = Vec::new();
    for (name, value) in &imported.secrets {
        text.push_str(&crate::template::dotenv_line(name, value));
        text.push('\n');
        added.push(name.as_str());
    }
    write_private(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let _ = writeln!(
        err,
        "{} written to {} ({}), not to the collection; keep it out of git",
        counted(added.len(), "secret"),
        path.display(),
        added.join(", ")
    );
    Ok(())
}

/// Writes `text` to `path`, readable and writable by the user only where the system has modes.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
