//! What several targets share: splitting an input into parts, a sandbox folder for the parsers
//! that read files named in their input, and the "what was imported loads back" check.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scout::collection::{Collection, SavedBody};

/// The input as text, or `None` when it is not UTF-8 (the parser takes `&str`).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// `text` cut at the first `sep`: what is before it, and what is after (empty without one).
pub fn split2<'a>(text: &'a str, sep: &str) -> (&'a str, &'a str) {
    text.split_once(sep).unwrap_or((text, ""))
}

/// A folder of small, known files for the parsers that read the files their input names
/// (`-d @body.json`, an OpenAPI `$ref: pet.yaml`, a `field=@data.txt` item). Each target keeps
/// its input from naming anything outside it (no `/` in such names), so a run never reads
/// `/dev/zero` or the user's files.
pub fn sandbox() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("scout-fuzz-sandbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("sandbox folder");
        let files: [(&str, &str); 6] = [
            ("body.json", "{\"name\": \"widget\", \"tags\": [\"a\", \"b\"]}\n"),
            ("data.txt", "hello\r\nworld\n"),
            ("headers.txt", "X-One: 1\nX-Two: 2\n"),
            (
                "pet.yaml",
                "Pet:\n  type: object\n  properties:\n    id: {type: integer}\n    tag: {$ref: 'common.yaml#/Tag'}\n",
            ),
            ("common.yaml", "Tag:\n  type: string\n  example: red\n"),
            ("binary.bin", "\u{0}\u{1}\u{2}\u{ff}"),
        ];
        for (name, contents) in files {
            std::fs::write(dir.join(name), contents).expect("sandbox file");
        }
        dir
    })
}

/// As `scout import` checks (and the importer tests promise): what an importer made, written as
/// a collection file, loads back with the same requests, auth profiles and variables.
pub fn loads_back(collection: &Collection) {
    let Ok(merged) = scout::collection::merge::merge("", collection, None) else {
        return;
    };
    let parsed = scout::collection::parse_collection(&merged.text, Path::new("import.toml"))
        .unwrap_or_else(|e| {
            panic!(
                "the imported collection does not load: {e}\n{}",
                merged.text
            )
        });
    assert_eq!(
        parsed.requests.len(),
        collection.requests.len(),
        "{}",
        merged.text
    );
    for (a, b) in parsed.requests.iter().zip(&collection.requests) {
        assert_eq!(
            (&a.id, a.method, &a.url),
            (&b.id, b.method, &b.url),
            "{}",
            merged.text
        );
        assert!(
            same_body(&a.body, &b.body),
            "{}: {:?} became {:?}\n{}",
            a.id,
            b.body,
            a.body,
            merged.text
        );
        assert_eq!(a.expect, b.expect, "{}: {}", a.id, merged.text);
    }
    assert_eq!(parsed.auth, collection.auth, "{}", merged.text);
    assert_eq!(parsed.vars, collection.vars, "{}", merged.text);
}

/// Whether a body read back is the one written: a JSON body may be written as a TOML table
/// (and so read back pretty-printed), so JSON compares as JSON.
fn same_body(read: &Option<SavedBody>, written: &Option<SavedBody>) -> bool {
    match (read, written) {
        (Some(SavedBody::Json(a)), Some(SavedBody::Json(b))) if a != b => {
            let a: Option<serde_json::Value> = serde_json::from_str(a).ok();
            let b: Option<serde_json::Value> = serde_json::from_str(b).ok();
            a.is_some() && a == b
        }
        _ => read == written,
    }
}

/// A response as the HTTP layer hands it on: `status`, `headers` and `body`, from `url`.
pub fn response(
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
    url: &str,
) -> scout::model::ResponseData {
    scout::model::ResponseData {
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers,
        body: body.to_vec().into(),
        spilled: None,
        elapsed: std::time::Duration::from_millis(120),
        redirects: Vec::new(),
        url: url.into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
        stopped: false,
    }
}

/// `Name: value` lines up to the first empty line, and the bytes after it: a response's head
/// and body. Lines without a `:` are skipped.
pub fn head_and_body(data: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let end = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or((data.len(), data.len()), |i| (i, i + 2));
    let head = String::from_utf8_lossy(&data[..end.0]);
    let headers = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    (headers, &data[end.1..])
}
