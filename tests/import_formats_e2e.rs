//! Import end to end for the file formats: each fixture imported with `scout import`, every
//! imported request sent with `scout send` to a server that records what arrives, and compared
//! with the request the source tool sends, written by hand from the fixture in a `.expected` file
//! beside it (the format is described at the top of each). Requests that cannot be sent as they
//! are imported are listed, with the reason, in each case's `skipped`; every other imported
//! request must have an expectation, and every expectation a request.
//!
//! What is compared: the request line (method and target, exactly), the headers (names folded;
//! all of them but Host, User-Agent, Accept-Encoding and Content-Length, and Accept unless the
//! expectation names it), and the body: bytes, except JSON (compared as JSON: scout keeps a JSON
//! body as a TOML table, and writes it back in its own layout) and URL-encoded forms (compared as
//! decoded pairs, in order: `%20` and `+` are the same space). Multipart boundaries are replaced.

mod support;

use std::path::Path;

use support::cli::scout_with;
use support::recorder::{Recorded, Recorder};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// One fixture: imported, its requests sent, compared with its `.expected` file.
struct Case {
    /// The folder under tests/fixtures/import (named as the format), copied whole into a
    /// temporary folder.
    format: &'static str,
    /// The file imported (relative to the folder).
    input: &'static str,
    /// The expectations (relative to the folder).
    expected: &'static str,
    /// Replacements in the input's text before the import (`{PORT}`: the recording server's
    /// port, `{DIR}`: the temporary folder).
    rewrites: &'static [(&'static str, &'static str)],
    import_args: &'static [&'static str],
    /// Given to every `scout send` (`{PORT}` replaced).
    send_args: &'static [&'static str],
    /// Files written in the temporary folder before the import (the uploads).
    files: &'static [(&'static str, &'static [u8])],
    /// Appended to the `.env` beside the collection after the import (credentials the input
    /// does not hold).
    dotenv: &'static str,
    /// Imported requests not sent, as `id: why`.
    skipped: &'static [&'static str],
}

/// What a case leaves empty (`..NOTHING`).
const NOTHING: Case = Case {
    format: "",
    input: "",
    expected: "",
    rewrites: &[],
    import_args: &[],
    send_args: &[],
    files: &[],
    dotenv: "",
    skipped: &[],
};

// ---------------------------------------------------------------------------------------------
// Postman

/// `Purge CDN` is sent with its PURGE method, to its own host (rewritten to the test server's).
const POSTMAN_SHOP: Case = Case {
    rewrites: &[("https://cdn.shop.example.com", "http://127.0.0.1:{PORT}")],
    format: "postman",
    input: "shop.postman_collection.json",
    expected: "shop.expected",
    import_args: &["--env-file", "shop-dev.postman_environment.json"],
    send_args: &[
        "--env",
        "Shop dev",
        "--var",
        "baseUrl=http://127.0.0.1:{PORT}/v1",
    ],
    skipped: &[
        "create-variant: Postman's dynamic variables ({{$guid}}, {{$timestamp}}, {{$randomInt}}) \
         have no value in scout, and `$guid` is not a name --var (or [vars]) accepts",
        "upload-avatar: the folder `Uploads` uses OAuth 2 client credentials: scout would first \
         ask https://auth.shop.example.com for a token",
        "upload-csv: the folder `Uploads` uses OAuth 2 client credentials (a real token URL)",
        "s3-bucket: a real host (shop-assets.s3.amazonaws.com), and AWS signature auth, which \
         scout does not support (said on import)",
    ],
    ..NOTHING
};

const POSTMAN_LEGACY: Case = Case {
    format: "postman",
    input: "legacy-v2.0.json",
    expected: "legacy-v2.0.expected",
    rewrites: &[
        ("https://billing.example.com", "http://127.0.0.1:{PORT}"),
        // `List invoices`' URL is in parts.
        (
            r#""protocol": "https","#,
            r#""protocol": "http", "port": "{PORT}","#,
        ),
        (
            r#"["billing", "example", "com"]"#,
            r#"["127", "0", "0", "1"]"#,
        ),
    ],
    send_args: &["--var", "billingToken=bt-e2e"],
    ..NOTHING
};

#[test]
fn postman_collections_send_what_postman_sends() {
    check(&[POSTMAN_SHOP, POSTMAN_LEGACY]);
}

// ---------------------------------------------------------------------------------------------
// Insomnia

/// Not imported: `Stream prices` (gRPC, said on import).
const INSOMNIA_SHOP: Case = Case {
    format: "insomnia",
    input: "shop.insomnia.json",
    expected: "shop.expected",
    rewrites: &[
        ("/home/ada/avatar.png", "{DIR}/avatar.png"),
        ("/home/ada/data/products.csv", "{DIR}/data/products.csv"),
    ],
    send_args: &[
        "--env",
        "Staging",
        "--var",
        "base_url=http://127.0.0.1:{PORT}",
    ],
    files: &[
        ("avatar.png", b"fake png data"),
        ("data/products.csv", b"sku,name\nTEA-042,Sencha\n"),
    ],
    skipped: &[
        "create-user: Insomnia template tags ({% uuid %}, {% now %}) and a filter \
         ({{ _.trace_id | default('none') }}) are left as written (said on import)",
        "token: OAuth 2 client credentials: scout would first ask \
         https://auth.shop.example.com for a token",
        "me: its token is a {% response %} tag (another request's body), left as written",
        "s3-bucket: a real host (shop-assets.s3.amazonaws.com), and AWS IAM auth, which scout \
         does not support (said on import)",
    ],
    ..NOTHING
};

const INSOMNIA_BILLING: Case = Case {
    format: "insomnia",
    input: "billing.insomnia.yaml",
    expected: "billing.expected",
    rewrites: &[
        (
            "https://billing.example.com/api",
            "http://127.0.0.1:{PORT}/billing",
        ),
        (
            "https://reports.example.com",
            "http://127.0.0.1:{PORT}/reports",
        ),
    ],
    skipped: &["monthly-report: its `month` is a {% now %} tag, left as written (said on import)"],
    ..NOTHING
};

#[test]
fn insomnia_exports_send_what_insomnia_sends() {
    check(&[INSOMNIA_SHOP, INSOMNIA_BILLING]);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

/// Not imported: TRACE /notes (scout has no TRACE), the callback (a request the API sends).
const OPENAPI_PETSTORE_3: Case = Case {
    format: "openapi",
    input: "petstore-3.0.yaml",
    expected: "petstore-3.0.expected",
    send_args: &["--var", "base_url=http://127.0.0.1:{PORT}/v1"],
    files: &[("photo", b"fake png data")],
    dotenv: "BEARERAUTH_TOKEN=bearer-e2e\nBASICAUTH_USERNAME=e2e-user\n\
             BASICAUTH_PASSWORD=e2e-pass\nDIGESTAUTH_USERNAME=e2e-user\n\
             DIGESTAUTH_PASSWORD=e2e-pass\nAPIKEYHEADER=key-header-e2e\n\
             APIKEYQUERY=key-query-e2e\nOAUTHCLIENT_CLIENT_ID=e2e\n\
             OAUTHCLIENT_CLIENT_SECRET=e2e\nSESSION_ID=sess-e2e\n",
    skipped: &[
        "update-pet: OAuth 2 client credentials: scout would first ask \
                https://auth.petstore.example.com for a token",
    ],
    ..NOTHING
};

const OPENAPI_PETSTORE_2: Case = Case {
    format: "openapi",
    input: "petstore-2.0.json",
    expected: "petstore-2.0.expected",
    send_args: &["--var", "base_url=http://127.0.0.1:{PORT}/v2"],
    files: &[("file", b"file bytes")],
    dotenv: "API_KEY=key-e2e\nBASIC_USERNAME=e2e-user\nBASIC_PASSWORD=e2e-pass\n\
             MACHINE_CLIENT_ID=e2e\nMACHINE_CLIENT_SECRET=e2e\n",
    skipped: &[
        "add-pet: OAuth 2 (implicit, unsupported, or application, i.e. client \
                credentials): scout would first ask petstore.swagger.example.com for a token",
    ],
    ..NOTHING
};

/// Not imported: the webhook (a request the API sends).
const OPENAPI_MUSEUM: Case = Case {
    format: "openapi",
    input: "museum-3.1.json",
    expected: "museum-3.1.expected",
    send_args: &["--var", "base_url=http://127.0.0.1:{PORT}/v1"],
    dotenv: "MUSEUMPLACEHOLDERAUTH_USERNAME=e2e-user\nMUSEUMPLACEHOLDERAUTH_PASSWORD=e2e-pass\n",
    ..NOTHING
};

const OPENAPI_SPLIT: Case = Case {
    format: "openapi",
    input: "split/openapi.yaml",
    expected: "split.expected",
    send_args: &["--var", "base_url=http://127.0.0.1:{PORT}/api/v1"],
    ..NOTHING
};

#[test]
fn openapi_descriptions_send_the_requests_they_describe() {
    check(&[
        OPENAPI_PETSTORE_3,
        OPENAPI_PETSTORE_2,
        OPENAPI_MUSEUM,
        OPENAPI_SPLIT,
    ]);
}

// ---------------------------------------------------------------------------------------------
// HAR

const HAR_SHOP: Case = Case {
    format: "har",
    input: "shop.har",
    expected: "shop.expected",
    rewrites: &[
        ("https://shop.example.com", "http://127.0.0.1:{PORT}"),
        ("https://api.example.com", "http://127.0.0.1:{PORT}"),
    ],
    // The HAR holds beach.png's content (as text); teapot.jpg's is not in it.
    files: &[
        ("beach.png", b"\x89PNG\r\n"),
        ("teapot.jpg", b"fake jpeg data"),
    ],
    ..NOTHING
};

#[test]
fn har_entries_send_what_the_browser_sent() {
    check(&[HAR_SHOP]);
}

// ---------------------------------------------------------------------------------------------
// Hurl

const HURL_LOGIN: Case = Case {
    format: "hurl",
    input: "login.hurl",
    expected: "login.expected",
    rewrites: &[("https://shop.example.com", "http://127.0.0.1:{PORT}")],
    // Captured from earlier responses in a Hurl run, or given with --variable.
    send_args: &[
        "--var",
        "csrf_token=csrf-e2e",
        "--var",
        "token=tok-e2e",
        "--var",
        "account_id=17",
        "--var",
        "age=36",
    ],
    ..NOTHING
};

const HURL_SECTIONS: Case = Case {
    format: "hurl",
    input: "sections.hurl",
    expected: "sections.expected",
    rewrites: &[("https://api.example.com", "http://127.0.0.1:{PORT}")],
    files: &[
        ("beach.jpg", b"fake jpeg data"),
        ("notes.txt", b"remember the towel"),
    ],
    ..NOTHING
};

const HURL_BODIES: Case = Case {
    format: "hurl",
    input: "bodies.hurl",
    expected: "bodies.expected",
    rewrites: &[("https://api.example.com", "http://127.0.0.1:{PORT}")],
    send_args: &["--var", "name=Ada", "--var", "tea_id=T-42"],
    files: &[("payload.bin", b"payload bytes")],
    skipped: &["post-hex: its binary body (hex,00ff10;) is not imported (said on import)"],
    ..NOTHING
};

/// The PROPFIND entry is sent as written, as Hurl sends it.
const HURL_UNSUPPORTED: Case = Case {
    format: "hurl",
    input: "unsupported.hurl",
    expected: "unsupported.expected",
    rewrites: &[
        ("https://api.example.com", "http://127.0.0.1:{PORT}"),
        ("https://dav.example.com", "http://127.0.0.1:{PORT}"),
    ],
    ..NOTHING
};

#[test]
fn hurl_files_send_what_hurl_sends() {
    check(&[HURL_LOGIN, HURL_SECTIONS, HURL_BODIES, HURL_UNSUPPORTED]);
}

// ---------------------------------------------------------------------------------------------
// Harness

/// Runs `cases` against one recording server; fails listing every request that was not sent as
/// expected.
fn check(cases: &[Case]) {
    let recorder = Recorder::start();
    let mut failures = Vec::new();
    for case in cases {
        let (matched, sent, mut wrong) = run(&recorder, case);
        eprintln!(
            "{}/{}: {matched} of {sent} request(s) sent as expected, {} skipped",
            case.format,
            case.input,
            case.skipped.len()
        );
        failures.append(&mut wrong);
    }
    assert!(
        failures.is_empty(),
        "{} request(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Imports `case`, sends its requests, compares them: (matched, sent, what differed).
fn run(recorder: &Recorder, case: &Case) -> (usize, usize, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let port = recorder.port().to_string();
    let fill = |s: &str| {
        s.replace("{PORT}", &port)
            .replace("{DIR}", dir.to_str().unwrap())
    };
    copy_dir(&Path::new(FIXTURES).join(case.format), dir);
    let input = dir.join(case.input);
    let mut text = std::fs::read_to_string(&input).unwrap();
    for (from, to) in case.rewrites {
        assert!(
            text.contains(from),
            "{}: no {from:?} to rewrite",
            case.input
        );
        text = text.replace(from, &fill(to));
    }
    std::fs::write(&input, text).unwrap();
    for (name, content) in case.files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    let data = dir.join("scout-data");
    let envs = [("SCOUT_DATA_DIR", data.to_str().unwrap())];
    let mut args = vec!["import", case.format, case.input, "-o", "api.toml"];
    args.extend_from_slice(case.import_args);
    scout_with(Some(dir), &envs, &args).code(0);
    if !case.dotenv.is_empty() {
        let env_path = dir.join(".env");
        let mut env = std::fs::read_to_string(&env_path).unwrap_or_default();
        env.push_str(case.dotenv);
        std::fs::write(env_path, env).unwrap();
    }
    let text = std::fs::read_to_string(dir.join("api.toml")).unwrap();
    let collection = scout::collection::parse_collection(&text, &dir.join("api.toml")).unwrap();
    let expected_text =
        std::fs::read_to_string(Path::new(FIXTURES).join(case.format).join(case.expected)).unwrap();
    let expected = parse_expected(&expected_text, recorder.port());

    let mut wrong = Vec::new();
    let where_ = format!("{}/{}", case.format, case.input);
    // Every imported request is either expected or skipped, and nothing else is named.
    let ids: Vec<&str> = collection.requests.iter().map(|r| r.id.as_str()).collect();
    let skipped: Vec<&str> = case
        .skipped
        .iter()
        .map(|s| s.split_once(": ").map_or(*s, |(id, _)| id))
        .collect();
    for id in &ids {
        let listed = expected.iter().any(|e| e.id == *id) || skipped.contains(id);
        if !listed {
            wrong.push(format!(
                "{where_}: request `{id}` was imported but has no expectation"
            ));
        }
    }
    for id in expected
        .iter()
        .map(|e| e.id.as_str())
        .chain(skipped.iter().copied())
    {
        if !ids.contains(&id) {
            wrong.push(format!(
                "{where_}: `{id}` was expected, but the import has no such request (it has {ids:?})"
            ));
        }
    }

    let send_args: Vec<String> = case.send_args.iter().map(|a| fill(a)).collect();
    let mut sent = 0;
    let mut matched = 0;
    for want in expected.iter().filter(|e| ids.contains(&e.id.as_str())) {
        let mut args = vec!["send", "-c", "api.toml", want.id.as_str()];
        args.extend(send_args.iter().map(String::as_str));
        let ran = scout_with(Some(dir), &envs, &args);
        if ran.code != Some(0) {
            wrong.push(format!(
                "{where_}: `scout send {}` exited with {:?}:\n{}",
                want.id, ran.code, ran.stderr
            ));
            continue;
        }
        let got = recorder.take(1);
        sent += 1;
        if got.len() != 1 {
            wrong.push(format!(
                "{where_} `{}`: {} requests arrived, not 1: {got:?}",
                want.id,
                got.len()
            ));
            continue;
        }
        match compare(want, &got[0]) {
            None => matched += 1,
            Some(diff) => wrong.push(format!("{where_} `{}`:\n{diff}", want.id)),
        }
    }
    (matched, sent, wrong)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expectations

/// A request as the source tool sends it.
#[derive(Debug)]
struct Expected {
    id: String,
    /// Method and target: `GET /v1/products?page=1`.
    line: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads a `.expected` file: free text, then blocks of `### id`, `# comments`, the request line,
/// headers, an empty line and the body (see the top of each file).
fn parse_expected(text: &str, port: u16) -> Vec<Expected> {
    let text = text.replace("127.0.0.1:PORT", &format!("127.0.0.1:{port}"));
    let mut blocks: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("### ") {
            blocks.push((id.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = blocks.last_mut() {
            lines.push(line);
        }
    }
    blocks
        .into_iter()
        .map(|(id, lines)| {
            let mut lines = lines.into_iter().skip_while(|l| l.starts_with('#'));
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("`{id}`: no request line"));
            let mut headers = Vec::new();
            for l in lines.by_ref() {
                if l.is_empty() {
                    break;
                }
                let (name, value) = l
                    .split_once(':')
                    .unwrap_or_else(|| panic!("`{id}`: {l:?} is not a header"));
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
            let mut body: Vec<&str> = lines.collect();
            while body.last().is_some_and(|l| l.is_empty()) {
                body.pop();
            }
            let mut body = body.join("\n");
            if header(&headers, "content-type").is_some_and(|t| t.starts_with("multipart/")) {
                body = body.replace('\n', "\r\n");
            }
            Expected {
                id,
                line: line.trim().to_string(),
                headers,
                body: unescape(&body),
            }
        })
        .collect()
}

/// `\xHH` → the byte; everything else as it is.
fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i..i + 4)
            .filter(|b| b.starts_with(b"\\x"))
            .and_then(|b| std::str::from_utf8(&b[2..]).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------------------------
// Comparison

/// None when `got` is the request `want` describes, else what differs.
fn compare(want: &Expected, got: &Recorded) -> Option<String> {
    let boundary = header(&got.headers, "content-type")
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_string());
    let unbound = |text: &str| match &boundary {
        Some(b) => text.replace(b.as_str(), "BOUNDARY"),
        None => text.to_string(),
    };
    let line = got
        .request_line
        .rsplit_once(' ')
        .map_or(got.request_line.as_str(), |(l, _)| l);
    let wants_accept = header(&want.headers, "accept").is_some();
    let mut got_headers: Vec<(String, String)> = got
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), unbound(v)))
        .filter(|(k, _)| {
            !["host", "user-agent", "accept-encoding", "content-length"].contains(&k.as_str())
                && (k != "accept" || wants_accept)
        })
        .collect();
    got_headers.sort();
    let mut want_headers = want.headers.clone();
    want_headers.sort();
    let got_body = match &boundary {
        Some(b) => replace_bytes(&got.body, b.as_bytes(), b"BOUNDARY"),
        None => got.body.clone(),
    };
    let content_type = header(&want.headers, "content-type").unwrap_or_default();

    let mut diff = Vec::new();
    if line != want.line {
        diff.push(format!(
            "  request line: expected {:?}, sent {line:?}",
            want.line
        ));
    }
    if got_headers != want_headers {
        diff.push(format!(
            "  headers: expected\n{}\n  sent\n{}",
            show_headers(&want_headers),
            show_headers(&got_headers)
        ));
    }
    if !same_body(content_type, &want.body, &got_body) {
        diff.push(format!(
            "  body: expected\n{}\n  sent\n{}",
            show_body(&want.body),
            show_body(&got_body)
        ));
    }
    (!diff.is_empty()).then(|| diff.join("\n"))
}

/// JSON as JSON, forms as their decoded pairs, the rest byte for byte.
fn same_body(content_type: &str, want: &[u8], got: &[u8]) -> bool {
    if content_type.contains("json") {
        let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
        if let (Some(w), Some(g)) = (parse(want), parse(got)) {
            return w == g;
        }
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs = |b: &[u8]| {
            url::form_urlencoded::parse(b)
                .into_owned()
                .collect::<Vec<_>>()
        };
        return pairs(want) == pairs(got);
    }
    want == got
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if !needle.is_empty() && haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

fn show_headers(headers: &[(String, String)]) -> String {
    if headers.is_empty() {
        return "    (none)".into();
    }
    headers
        .iter()
        .map(|(k, v)| format!("    {k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn show_body(body: &[u8]) -> String {
    format!("    {:?}", String::from_utf8_lossy(body))
}
