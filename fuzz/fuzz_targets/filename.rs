//! The file name a response body is saved under (src/http/filename.rs): `Content-Disposition`
//! (`filename*` in RFC 5987/8187 form, `filename`), else the URL's last segment, plus an
//! extension from the Content-Type. The result is always a plain, non-empty file name.
//!
//! Input: three lines: the Content-Disposition value (`-` for none), the URL, the Content-Type
//! (`-` for none).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::http::filename::suggested_filename;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let mut lines = text.splitn(3, '\n');
    let disposition = lines.next().filter(|l| *l != "-");
    let url = lines.next().unwrap_or_default();
    let content_type = lines.next().filter(|l| *l != "-");
    let name = suggested_filename(disposition, url, content_type);
    // What its doc promises: a plain, non-empty file name in the current folder, within the
    // length limit.
    assert!(!name.is_empty());
    assert!(name.len() <= 200, "{} bytes: {name:?}", name.len());
    assert!(!name.contains(['/', '\\']), "{name:?}");
    assert!(name != "." && name != "..", "{name:?}");
    assert!(!name.starts_with('.'), "a leading dot: {name:?}");
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(
        !name.contains(['<', '>', ':', '"', '|', '?', '*']),
        "a character Windows forbids: {name:?}"
    );
});
