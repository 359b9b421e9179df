//! `.env` files: the last place `{{env.NAME}}` is looked up.
//!
//! Accepted lines: `KEY=value`, `export KEY=value`, blank lines and `# comments`. Values may be
//! unquoted (trimmed; ` # comment` after whitespace is dropped), single-quoted (taken literally)
//! or double-quoted (`\n`, `\t`, `\r`, `\"` and `\\` escapes; other backslashes are kept). Quoted
//! values end on the same line; only whitespace or a comment may follow the closing quote. A
//! repeated key keeps its last value. Values are never template-expanded.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::parse::is_name;

/// The file name looked for next to a collection.
pub const DOTENV_FILE: &str = ".env";

/// A malformed line; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DotEnvSyntax {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DotEnvError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} line {line}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Reads `dir/.env`; a missing file is an empty map.
pub fn load_dotenv(dir: &Path) -> Result<BTreeMap<String, String>, DotEnvError> {
    Ok(read_dotenv(&dir.join(DOTENV_FILE))?.unwrap_or_default())
}

/// Reads and parses the file at `path`; `None` when it does not exist.
pub(crate) fn read_dotenv(path: &Path) -> Result<Option<BTreeMap<String, String>>, DotEnvError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(DotEnvError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    parse_dotenv(&text)
        .map(Some)
        .map_err(|e| DotEnvError::Syntax {
            path: path.to_path_buf(),
            line: e.line,
            message: e.message,
        })
}

/// Parses `.env` text (see the module docs for the accepted forms).
pub fn parse_dotenv(text: &str) -> Result<BTreeMap<String, String>, DotEnvSyntax> {
    let mut vars = BTreeMap::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.split('\n').enumerate() {
        let fail = |message: String| DotEnvSyntax {
            line: index + 1,
            message,
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = strip_export(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(fail(format!(
                "`{}` has no `=`: write KEY=value",
                preview(line)
            )));
        };
        let key = key.trim();
        if !is_name(key) {
            return Err(fail(format!(
                "`{}` is not a variable name: start with a letter or `_`, then letters, digits, `_`, `.` or `-`",
                preview(key)
            )));
        }
        let value = parse_value(value).map_err(fail)?;
        vars.insert(key.to_string(), value);
    }
    Ok(vars)
}

/// A `NAME=value` line that [`parse_dotenv`] reads back as `value` (double-quoted with escapes
/// unless the value is plain).
pub fn dotenv_line(name: &str, value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/+=@,".contains(c));
    if plain {
        return format!("{name}={value}");
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    format!("{name}=\"{quoted}\"")
}

fn strip_export(line: &str) -> &str {
    match line.strip_prefix("export") {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => line,
    }
}

/// The value after `=`: quoted or unquoted, with any trailing comment removed.
fn parse_value(raw: &str) -> Result<String, String> {
    let value = raw.trim_start();
    let (quote, body) = match value.chars().next() {
        Some(q @ ('\'' | '"')) => (q, &value[1..]),
        _ => return Ok(unquoted(raw)),
    };
    let mut out = String::new();
    let mut chars = body.char_indices();
    let rest = loop {
        let Some((i, c)) = chars.next() else {
            return Err(format!(
                "the {} quote is not closed: end the value with {quote} on the same line",
                if quote == '"' { "double" } else { "single" }
            ));
        };
        if c == quote {
            break &body[i + 1..];
        }
        if c == '\\' && quote == '"' {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, e @ ('"' | '\\'))) => out.push(e),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    };
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(out)
    } else {
        Err(format!(
            "unexpected `{}` after the closing quote: put a comment after ` #`",
            preview(rest)
        ))
    }
}

/// An unquoted value: a `#` preceded by whitespace starts a comment; the rest is trimmed.
fn unquoted(raw: &str) -> String {
    let mut prev_space = false;
    for (i, c) in raw.char_indices() {
        if c == '#' && prev_space {
            return raw[..i].trim().to_string();
        }
        prev_space = c.is_whitespace();
    }
    raw.trim().to_string()
}

/// At most 40 chars of `s`, for error messages.
fn preview(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn a_written_line_reads_back_as_its_value(value in "\\PC*|[ -~\n\t\r\"'#\\\\]*") {
            let text = dotenv_line("SECRET", &value);
            let vars = parse_dotenv(&text).unwrap();
            proptest::prop_assert_eq!(vars.get("SECRET").map(String::as_str), Some(value.as_str()));
        }
    }

    #[test]
    fn accepted_forms() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("A=1", &[("A", "1")]),
            ("  A = 1  ", &[("A", "1")]),
            ("export A=1", &[("A", "1")]),
            ("export\tA=1", &[("A", "1")]),
            ("exportA=1", &[("exportA", "1")]),
            ("# comment\n\nA=1\n  # indented", &[("A", "1")]),
            ("A=", &[("A", "")]),
            ("A=x # note", &[("A", "x")]),
            ("A=x#not-a-comment", &[("A", "x#not-a-comment")]),
            ("A= # only a comment", &[("A", "")]),
            ("A=a b  c", &[("A", "a b  c")]),
            ("A='lit $x \\n # kept'", &[("A", "lit $x \\n # kept")]),
            ("A='x' # note", &[("A", "x")]),
            (
                r#"A="l1\nl2\t\"q\" \\ \x""#,
                &[("A", "l1\nl2\t\"q\" \\ \\x")],
            ),
            (r#"A="a # b" # c"#, &[("A", "a # b")]),
            ("A=\"\"", &[("A", "")]),
            ("A=1\r\nB=2\r\n", &[("A", "1"), ("B", "2")]),
            ("A=1\nA=2", &[("A", "2")]),
            ("A=x=y", &[("A", "x=y")]),
            ("A=ünï {{b}}", &[("A", "ünï {{b}}")]),
            ("\u{feff}A=1", &[("A", "1")]),
        ];
        for (text, expected) in cases {
            let expected: BTreeMap<String, String> = expected
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(parse_dotenv(text).as_ref(), Ok(&expected), "{text:?}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("A=1\nnonsense", 2, "has no `=`"),
            ("\n\n1A=x", 3, "not a variable name"),
            ("=x", 1, "not a variable name"),
            ("A=\"open", 1, "double quote is not closed"),
            ("A='open", 1, "single quote is not closed"),
            ("A=\"x\" y", 1, "after the closing quote"),
            ("A=\"x\\\"", 1, "not closed"),
        ];
        for (text, line, needle) in cases {
            let err = parse_dotenv(text).expect_err(text);
            assert_eq!(err.line, *line, "{text:?}");
            assert!(err.message.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn loads_from_a_directory_and_missing_is_empty() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        assert!(load_dotenv(dir.path())?.is_empty());
        std::fs::write(dir.path().join(".env"), "TOKEN=abc\n")?;
        assert_eq!(
            load_dotenv(dir.path())?.get("TOKEN").map(String::as_str),
            Some("abc")
        );
        std::fs::write(dir.path().join(".env"), "ok=1\nbad line\n")?;
        let err = load_dotenv(dir.path()).expect_err("syntax error");
        let shown = err.to_string();
        assert!(shown.contains(".env line 2"), "{shown}");
        Ok(())
    }
}
