//! Import end to end: commands and files from other tools, imported with `scout import`, then
//! every imported request sent with `scout send` to a server that records what arrives, and
//! compared with what the original tool sends (curl, run for real) or with the request the
//! fixture describes.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::cli::scout_with;
use support::recorder::{Recorded, Recorder};

/// A request as compared: header names folded (HTTP/1.1 names are case-insensitive; hyper
/// writes them in lower case), sorted, without User-Agent (scout sends its own) and
/// Accept-Encoding (scout always asks for compression; curl only with --compressed) and Expect;
/// multipart
/// boundaries replaced (and so the length they change).
fn normalized(r: &Recorded) -> (String, Vec<(String, String)>, String) {
    let boundary = r
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, v)| v.split_once("boundary=").map(|(_, b)| b.to_string()));
    let fix = |text: &str| match &boundary {
        Some(b) => text.replace(b.as_str(), "BOUNDARY"),
        None => text.to_string(),
    };
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            // A boundary's length is the sender's choice, and so the body's.
            // curl asks `Expect: 100-continue` before an upload; scout sends the body at once.
            let dropped = ["user-agent", "accept-encoding", "expect"].contains(&k.as_str())
                || boundary.is_some() && k == "content-length";
            !dropped
        })
        .map(|(k, v)| (k.to_ascii_lowercase(), fix(v)))
        .collect();
    headers.sort();
    (
        r.request_line.clone(),
        headers,
        fix(&String::from_utf8_lossy(&r.body)),
    )
}

fn write_inputs(dir: &Path) {
    std::fs::write(dir.join("note.txt"), "hello note\n").unwrap();
    std::fs::write(dir.join("body.txt"), "line1\nline2\n").unwrap();
    std::fs::write(dir.join("data.csv"), "a,b\n1,2\n").unwrap();
    // A multipart field holds one line in scout (`-F 'x=<file'` with line breaks is refused).
    std::fs::write(dir.join("inline.txt"), "inline value").unwrap();
    std::fs::write(dir.join("upload.txt"), "uploaded\n").unwrap();
    std::fs::write(dir.join("headers.txt"), "X-From-File: yes\nX-Other: 2\n").unwrap();
}

#[test]
fn curl_commands_send_what_curl_sends() {
    let recorder = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let fixture = include_str!("fixtures/import/curl/commands.sh");
    let script = fixture.replace("PORT", &recorder.port().to_string());
    std::fs::write(dir.path().join("commands.sh"), &script).unwrap();
    let env = [("E2E_TOKEN", "token-from-the-environment")];

    scout_with(
        Some(dir.path()),
        &env,
        &["import", "curl", "commands.sh", "-o", "api.toml"],
    )
    .code(0);
    let text = std::fs::read_to_string(dir.path().join("api.toml")).unwrap();
    assert!(!text.contains("lovelace") && !text.contains("tok-123") && !text.contains("abc.def"));
    let collection =
        scout::collection::parse_collection(&text, &dir.path().join("api.toml")).unwrap();
    // One request per URL of each command (and per --next).
    let count = collection.requests.len();
    assert_eq!(count, 44);

    // The real curl, quiet, its output thrown away (a .curlrc of our own).
    let home = dir.path().join("curlhome");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join(".curlrc"), "silent\noutput = /dev/null\n").unwrap();
    let status = Command::new("bash")
        .arg("commands.sh")
        .current_dir(dir.path())
        .env("CURL_HOME", &home)
        .env("HOME", &home)
        .envs(env)
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .stdout(Stdio::null())
        .status()
        .expect("bash and curl (.ci/run installs curl)");
    assert!(status.success());
    let by_curl = recorder.take(count);

    for r in &collection.requests {
        scout_with(Some(dir.path()), &env, &["send", "-c", "api.toml", &r.id]).code(0);
    }
    let by_scout = recorder.take(count);
    for (i, (c, s)) in by_curl.iter().zip(&by_scout).enumerate() {
        assert_eq!(
            normalized(s),
            normalized(c),
            "command {} ({}) sent differently",
            i + 1,
            collection.requests[i].id
        );
    }
}
