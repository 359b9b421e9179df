//! Where saving a response body puts it: a safe file name from Content-Disposition, the URL, or a default.

use percent_encoding::percent_decode_str;

/// The name used when neither the headers nor the URL suggest one.
const FALLBACK: &str = "response";

/// Names longer than this (in bytes) are shortened, keeping the extension.
const MAX_LEN: usize = 200;

/// Suggested file name for saving a response body.
///
/// Content-Disposition `filename*=UTF-8''…` (RFC 5987/8187, percent-decoded) wins over `filename="…"`;
/// else the last non-empty URL path segment (percent-decoded); else `response`. A name without an
/// extension gets one from the Content-Type (`json`, `html`, `xml`, `txt`, `js`, `css`, `png`, `jpg`,
/// `gif`, `pdf`, `bin` for octet-stream, and a few more). The result is always a plain, non-empty file
/// name: directories, `..`, path separators, control characters, leading dots and characters Windows
/// forbids are removed or replaced.
pub fn suggested_filename(
    content_disposition: Option<&str>,
    url: &str,
    content_type: Option<&str>,
) -> String {
    let from_header = content_disposition.and_then(disposition_filename);
    let name = from_header
        .as_deref()
        .and_then(sanitize)
        .or_else(|| url_filename(url).as_deref().and_then(sanitize))
        .unwrap_or_else(|| FALLBACK.to_string());
    let has_extension = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty());
    let name = match content_type.and_then(extension_for) {
        Some(ext) if !has_extension => format!("{name}.{ext}"),
        _ => name,
    };
    shorten(name)
}

/// The file name a Content-Disposition header carries, preferring `filename*`.
fn disposition_filename(header: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in split_params(header).into_iter().skip(1) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        match key.as_str() {
            "filename*" => {
                extended = extended.or_else(|| decode_ext_value(unquote(value).as_str()))
            }
            "filename" => plain = plain.or(Some(unquote(value))),
            _ => {}
        }
    }
    extended.or(plain)
}

/// Splits on `;` outside double quotes.
fn split_params(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut in_quotes, mut escaped) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts
}

/// A quoted-string's content with `\"` and `\\` resolved, or a token as is.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"') else {
        return value.to_string();
    };
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        // Only `\"` and `\\` are unescaped: servers often send Windows paths unescaped.
        if c == '\\' && matches!(chars.clone().next(), Some('"' | '\\')) {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// RFC 5987 `charset'language'percent-encoded`; UTF-8 and ISO-8859-1 are understood.
fn decode_ext_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.trim().to_ascii_lowercase();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_decode_str(encoded).collect();
    match charset.as_str() {
        "utf-8" | "utf8" | "" => String::from_utf8(bytes).ok(),
        "iso-8859-1" | "latin1" | "latin-1" => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        _ => None,
    }
}

/// The last non-empty path segment of `url`, percent-decoded.
fn url_filename(url: &str) -> Option<String> {
    let url = url.trim();
    let url = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let path = match url.split_once("://") {
        // Skip the authority: the path starts at the first `/` after the host.
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let segment = path.split('/').rev().find(|s| !s.is_empty())?;
    Some(percent_decode_str(segment).decode_utf8_lossy().into_owned())
}

/// Reduces `name` to a safe file name in the current directory, or `None` if nothing is left.
fn sanitize(name: &str) -> Option<String> {
    // Only the last component: no directories, whatever the separator.
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    // Leading dots would hide the file (or make `..`), however mixed with spaces; trailing dots
    // and spaces confuse Windows.
    let trimmed = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end()
        .trim_end_matches(['.', ' ']);
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Keeps a name within [`MAX_LEN`] bytes, preserving a short extension.
fn shorten(name: String) -> String {
    if name.len() <= MAX_LEN {
        return name;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 16 => (stem, Some(ext)),
        _ => (name.as_str(), None),
    };
    let budget = MAX_LEN - ext.map_or(0, |e| e.len() + 1);
    let mut cut = budget.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    match ext {
        Some(ext) => format!("{}.{ext}", &stem[..cut]),
        None => stem[..cut].to_string(),
    }
}

/// A file extension for a Content-Type, for names that have none.
fn extension_for(content_type: &str) -> Option<&'static str> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let ext = match essence.as_str() {
        "application/json" | "text/json" => "json",
        "text/html" | "application/xhtml+xml" => "html",
        "application/xml" | "text/xml" => "xml",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "text/markdown" => "md",
        "application/javascript" | "text/javascript" | "application/x-javascript" => "js",
        "text/css" => "css",
        "image/png" => "png",
        "image/jpeg" | "image/jpg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        "application/gzip" | "application/x-gzip" => "gz",
        "application/octet-stream" => "bin",
        e if e.ends_with("+json") => "json",
        e if e.ends_with("+xml") => "xml",
        _ => return None,
    };
    Some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_wins() {
        let cases = [
            (r#"attachment; filename="report.csv""#, "report.csv"),
            ("attachment; filename=report.csv", "report.csv"),
            (
                r#"attachment; filename="a \"quoted\" name.txt""#,
                "a _quoted_ name.txt",
            ),
            (r#"attachment; filename="semi;colon.txt""#, "semi;colon.txt"),
            (
                r#"attachment; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt"#,
                "€ rates.txt",
            ),
            (
                "attachment; filename*=UTF-8''na%C3%AFve.pdf; filename=naive.pdf",
                "naïve.pdf",
            ),
            ("attachment; FILENAME*=utf-8'en'x%20y.json", "x y.json"),
            ("attachment; filename*=iso-8859-1''caf%E9.txt", "café.txt"),
            // A filename* that cannot be decoded falls back to filename.
            (
                "attachment; filename*=UTF-8''%FF.txt; filename=ok.txt",
                "ok.txt",
            ),
        ];
        for (cd, expected) in cases {
            assert_eq!(
                suggested_filename(Some(cd), "https://x.io/ignored.bin", None),
                expected,
                "{cd}"
            );
        }
    }

    #[test]
    fn traversal_and_hidden_names_are_neutralised() {
        let cases = [
            (r#"attachment; filename="../../etc/passwd""#, "passwd"),
            (
                r#"attachment; filename="..\..\windows\system.ini""#,
                "system.ini",
            ),
            (r#"attachment; filename=".bashrc""#, "bashrc"),
            ("attachment; filename*=UTF-8''..%2F..%2Fx.txt", "x.txt"),
            ("attachment; filename=\"a\x07b\tc.txt\"", "abc.txt"),
            ("attachment; filename=\"what?.txt\"", "what_.txt"),
        ];
        for (cd, expected) in cases {
            assert_eq!(suggested_filename(Some(cd), "", None), expected, "{cd}");
        }
        // Nothing usable in the header: the URL, then the fallback.
        assert_eq!(
            suggested_filename(
                Some("attachment; filename=\"..\""),
                "https://x.io/data.csv",
                None
            ),
            "data.csv"
        );
        assert_eq!(
            suggested_filename(Some("attachment; filename=\"/\""), "https://x.io/", None),
            "response"
        );
        assert_eq!(
            suggested_filename(Some("inline"), "https://x.io/a.txt", None),
            "a.txt"
        );
    }

    #[test]
    fn url_path_segments() {
        let cases = [
            (
                "https://x.io/files/report.pdf?sig=abc#top",
                None,
                "report.pdf",
            ),
            (
                "https://x.io/api/users/",
                Some("application/json"),
                "users.json",
            ),
            ("https://x.io/my%20file.txt", None, "my file.txt"),
            ("https://x.io/a/..%2F..%2Fetc%2Fpasswd", None, "passwd"),
            ("https://x.io/a/%2e%2e", None, "response"),
            (
                "https://x.io",
                Some("text/html; charset=utf-8"),
                "response.html",
            ),
            ("https://x.io/?q=1", None, "response"),
            ("", None, "response"),
            (
                "http://localhost:8080",
                Some("application/octet-stream"),
                "response.bin",
            ),
            ("/relative/path/item", Some("image/png"), "item.png"),
            ("https://x.io/.hidden", None, "hidden"),
        ];
        for (url, ct, expected) in cases {
            assert_eq!(suggested_filename(None, url, ct), expected, "{url}");
        }
    }

    #[test]
    fn extension_from_content_type_only_when_missing() {
        let cases = [
            ("application/json", "users.json"),
            ("application/problem+json", "users.json"),
            ("application/atom+xml", "users.xml"),
            ("TEXT/PLAIN; charset=utf-8", "users.txt"),
            ("text/javascript", "users.js"),
            ("text/css", "users.css"),
            ("image/jpeg", "users.jpg"),
            ("image/gif", "users.gif"),
            ("application/pdf", "users.pdf"),
            ("text/xml", "users.xml"),
            ("application/x-unknown", "users"),
        ];
        for (ct, expected) in cases {
            assert_eq!(
                suggested_filename(None, "https://x.io/users", Some(ct)),
                expected,
                "{ct}"
            );
        }
        assert_eq!(
            suggested_filename(None, "https://x.io/data.csv", Some("application/json")),
            "data.csv"
        );
    }

    #[test]
    fn long_names_are_shortened_keeping_the_extension() {
        let long = format!("attachment; filename=\"{}.json\"", "é".repeat(300));
        let name = suggested_filename(Some(&long), "", None);
        assert!(name.len() <= MAX_LEN, "{}", name.len());
        assert!(name.ends_with(".json"));
    }

    /// Found by fuzzing (fuzz/regressions/filename/leading-dot-after-space: the input
    /// `"\n. .!"`, an empty Content-Disposition and the URL `. .!`): dots and spaces mixed at
    /// the start left a leading dot, a hidden file.
    #[test]
    fn dots_and_spaces_mixed_at_the_start_leave_no_leading_dot() {
        assert_eq!(suggested_filename(Some(""), ". .!", None), "!");
        assert_eq!(
            suggested_filename(Some("attachment; filename=\" . .. .env\""), "", None),
            "env"
        );
    }
}
