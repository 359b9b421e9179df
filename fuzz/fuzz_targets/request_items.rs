//! `scout send`'s request items (src/cli/items): `[METHOD] URL [ITEM…]` with `Header:value`,
//! `name==value`, `field=value`, `field:=json`, nested `a[b][]` names, escapes, `--form` and
//! multipart uploads.
//!
//! Input: one argument per line; a first line `--form` sends fields as a form. Items that read a
//! file (`=@`, `:@`, `:=@`, `@`) name it relative to the sandbox folder: a `/` in an argument
//! holding `@` becomes `_`, so nothing outside the sandbox is read.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use scout::cli::items::parse_request_args_in;
use scout::model::BodyKind;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (form, rest) = match text.strip_prefix("--form\n") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let args: Vec<String> = rest
        .split('\n')
        .map(|arg| {
            if arg.contains('@') {
                arg.replace('/', "_")
            } else {
                arg.to_string()
            }
        })
        .collect();
    let Ok(parsed) = parse_request_args_in(&args, form, common::sandbox()) else {
        return;
    };
    let spec = &parsed.spec;
    match spec.body_kind {
        BodyKind::Json => {
            // The body the fields build is JSON (serde_json refuses nesting past 128 levels,
            // which deep `a[b][c]…` names can pass).
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&spec.body) {
                assert!(
                    e.to_string().contains("recursion limit"),
                    "not JSON: {e}\n{}",
                    spec.body
                );
            }
        }
        BodyKind::None => assert!(spec.body.is_empty()),
        _ => {}
    }
    for header in &spec.headers {
        assert!(!header.value.contains(['\r', '\n']), "{header:?}");
    }
    // What the items say is what gets sent: the request line, headers and body.
    let _ = spec.summary_lines();
});
