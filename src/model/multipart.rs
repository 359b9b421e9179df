//! Multipart bodies as the editor, collections and the command line write them: one part per
//! line, `name=value` (a text field) or `name@path` (a file, `;type=…` to set its Content-Type).

use std::path::PathBuf;

/// One line of a multipart body: `name=value` or `name@path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartLine {
    Field {
        name: String,
        value: String,
    },
    /// `name@path`, or `name@path;type=text/csv` to set the part's Content-Type.
    File {
        name: String,
        path: PathBuf,
        content_type: Option<String>,
    },
}

/// A multipart line that cannot be read (or written): which line, its text, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("multipart body line {line} (`{text}`): {reason}")]
pub struct MultipartError {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// Parses a multipart body: one part per line, `name=value` (a text field; the value is everything
/// after the `=`, verbatim) or `name@path` (a file; the path is trimmed). The name ends at the first
/// `=` or `@`; `\=`, `\@` and `\\` put those characters in a name. Leading whitespace and blank lines
/// are ignored; a trailing `\r` is dropped.
pub fn parse_multipart_lines(text: &str) -> Result<Vec<MultipartLine>, MultipartError> {
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw).trim_start();
        if line.is_empty() {
            continue;
        }
        let err = |reason: &str| MultipartError {
            line: i + 1,
            text: line.to_string(),
            reason: reason.to_string(),
        };
        let mut name = String::new();
        let mut chars = line.char_indices().peekable();
        let mut found = None;
        while let Some((pos, c)) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&(_, next @ ('\\' | '=' | '@'))) => {
                        name.push(next);
                        chars.next();
                    }
                    _ => name.push(c),
                },
                '=' | '@' => {
                    found = Some((c, &line[pos + 1..]));
                    break;
                }
                _ => name.push(c),
            }
        }
        let Some((sep, rest)) = found else {
            return Err(err("expected `name=value` or `name@path`"));
        };
        let name = name.trim_end().to_string();
        if name.is_empty() {
            return Err(err("missing field name before `=` or `@`"));
        }
        out.push(if sep == '=' {
            MultipartLine::Field {
                name,
                value: rest.to_string(),
            }
        } else {
            let path = rest.trim();
            if path.is_empty() {
                return Err(err("missing file path after `@`"));
            }
            let (path, content_type) = match path.rsplit_once(";type=") {
                Some((p, t)) if !p.trim().is_empty() && !t.trim().is_empty() => {
                    (p.trim(), Some(t.trim().to_string()))
                }
                _ => (path, None),
            };
            MultipartLine::File {
                name,
                path: PathBuf::from(path),
                content_type,
            }
        });
    }
    Ok(out)
}

/// Writes parts in the syntax [`parse_multipart_lines`] reads. Fails for what the syntax cannot carry:
/// line breaks anywhere, empty names, names or paths with leading/trailing whitespace.
pub fn format_multipart_lines(lines: &[MultipartLine]) -> Result<String, MultipartError> {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let (name, sep, rest, what) = match line {
            MultipartLine::Field { name, value } => (name, '=', value.clone(), "value"),
            MultipartLine::File {
                name,
                path,
                content_type,
            } => {
                let mut rest = path.to_string_lossy().into_owned();
                if let Some(t) = content_type {
                    rest.push_str(";type=");
                    rest.push_str(t);
                }
                (name, '@', rest, "path")
            }
        };
        let err = |reason: String| MultipartError {
            line: i + 1,
            text: format!("{name}{sep}{rest}"),
            reason,
        };
        if name.is_empty() || name.trim() != name || name.contains(['\r', '\n']) {
            return Err(err(
                "multipart field names must be non-empty, on one line, without surrounding spaces"
                    .into(),
            ));
        }
        if rest.contains(['\r', '\n']) {
            let hint = if sep == '=' {
                "; upload it as a file part with `name@path` instead"
            } else {
                ""
            };
            return Err(err(format!(
                "a multipart {what} cannot contain line breaks{hint}"
            )));
        }
        if sep == '@' && (rest.is_empty() || rest.trim() != rest) {
            return Err(err(
                "file paths must be non-empty, without surrounding spaces".into(),
            ));
        }
        for c in name.chars() {
            if matches!(c, '\\' | '=' | '@') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(sep);
        out.push_str(&rest);
        out.push('\n');
    }
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// The MIME type a file's extension suggests (`mime_guess`'s table), for file parts and file
/// bodies; `application/octet-stream` when it says nothing.
pub fn guess_mime(filename: &str) -> &'static str {
    mime_guess::from_path(filename)
        .first_raw()
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn multipart_file_parts_may_carry_a_type() {
        let lines = parse_multipart_lines("up@report.csv;type=text/csv\nraw@data.bin").unwrap();
        assert_eq!(
            lines[0],
            MultipartLine::File {
                name: "up".into(),
                path: "report.csv".into(),
                content_type: Some("text/csv".into()),
            }
        );
        assert!(matches!(
            &lines[1],
            MultipartLine::File {
                content_type: None,
                ..
            }
        ));
        assert_eq!(
            format_multipart_lines(&lines).unwrap(),
            "up@report.csv;type=text/csv\nraw@data.bin"
        );
    }

    #[test]
    fn multipart_lines_parse_and_format() {
        let text = "  a=1\r\n\nb@ /tmp/x y.txt \nc= spaced \nn\\=a\\@m\\\\e=v\nurl=http://a?b=c@d";
        let lines = parse_multipart_lines(text).expect("lines");
        assert_eq!(
            lines,
            vec![
                MultipartLine::Field {
                    name: "a".into(),
                    value: "1".into()
                },
                MultipartLine::File {
                    name: "b".into(),
                    path: "/tmp/x y.txt".into(),
                    content_type: None,
                },
                MultipartLine::Field {
                    name: "c".into(),
                    value: " spaced ".into()
                },
                MultipartLine::Field {
                    name: "n=a@m\\e".into(),
                    value: "v".into()
                },
                MultipartLine::Field {
                    name: "url".into(),
                    value: "http://a?b=c@d".into()
                },
            ]
        );
        let formatted = format_multipart_lines(&lines).expect("format");
        assert_eq!(parse_multipart_lines(&formatted), Ok(lines));

        let e = parse_multipart_lines("a=1\njunk").expect_err("junk");
        assert_eq!(
            e.to_string(),
            "multipart body line 2 (`junk`): expected `name=value` or `name@path`"
        );
        assert!(parse_multipart_lines("=1").is_err());
        assert!(parse_multipart_lines("f@  ").is_err());
        assert!(
            format_multipart_lines(&[MultipartLine::Field {
                name: "a".into(),
                value: "x\ny".into()
            }])
            .is_err()
        );
        assert_eq!(parse_multipart_lines(" \n\n"), Ok(vec![]));
    }

    proptest! {
        #[test]
        fn multipart_lines_round_trip(
            parts in proptest::collection::vec(
                ("[^\\s]([^\\r\\n]{0,8}[^\\s])?", "[^\\r\\n]{0,10}", any::<bool>()), 0..5),
        ) {
            let lines: Vec<MultipartLine> = parts
                .into_iter()
                .map(|(name, rest, file)| {
                    let path = rest.trim().to_string();
                    if file && !path.is_empty() {
                        MultipartLine::File { name, path: path.into(), content_type: None }
                    } else {
                        MultipartLine::Field { name, value: rest }
                    }
                })
                .collect();
            let text = format_multipart_lines(&lines);
            prop_assert!(text.is_ok(), "{:?}", text);
            prop_assert_eq!(parse_multipart_lines(&text.unwrap_or_default()), Ok(lines));
        }
    }
}
