//! Property test: a generated simple Hurl entry (method, URL, headers, a JSON or text body, a
//! status) reads back as what was generated.

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::check::StatusPattern;
use crate::import::Format;

fn read(text: &str) -> Result<Imported, ImportError> {
    let source = Source {
        text,
        ..Source::default()
    };
    crate::import::import(Format::Hurl, &source)
}

/// A simple entry: method, URL, headers, an optional JSON or text body, a status.
#[derive(Debug, Clone)]
struct Simple {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<SavedBody>,
    status: u16,
}

impl Simple {
    fn hurl(&self) -> String {
        let mut out = format!("{} {}\n", self.method.as_str(), self.url);
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\n"));
        }
        match &self.body {
            Some(SavedBody::Json(t)) => out.push_str(&format!("{t}\n")),
            Some(SavedBody::Text(t)) => out.push_str(&format!("```\n{t}```\n")),
            _ => {}
        }
        out.push_str(&format!("HTTP {}\n", self.status));
        out
    }
}

fn simple() -> impl Strategy<Value = Simple> {
    let header = (
        "X-[A-Za-z]{1,8}",
        "[A-Za-z0-9./-]([A-Za-z0-9 ./-]{0,18}[A-Za-z0-9./-])?",
    )
        .prop_filter("not a secret header", |(k, _)| !is_secret_header(k));
    let json_value = prop_oneof![
        any::<i32>().prop_map(Value::from),
        "[A-Za-z0-9 {}\\[\\]:,\"\\\\#]{0,12}".prop_map(Value::from),
    ];
    let json = prop::collection::vec(("[a-z]{1,8}", json_value), 0..4).prop_map(|fields| {
        let map: serde_json::Map<String, Value> = fields
            .into_iter()
            .filter(|(k, _)| !crate::import::secrets::is_secret_name(k))
            .collect();
        SavedBody::Json(serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default())
    });
    let text = prop::collection::vec("[A-Za-z0-9 #{}:,.]{0,20}", 1..4)
        .prop_map(|lines| SavedBody::Text(format!("{}\n", lines.join("\n"))));
    (
        prop::sample::select(Method::ALL.to_vec()),
        "[a-z]{1,10}",
        prop::collection::vec("[a-z0-9_-]{1,8}", 0..4),
        prop::collection::vec(header, 0..4),
        prop_oneof![Just(None), json.prop_map(Some), text.prop_map(Some)],
        100u16..600,
    )
        .prop_map(|(method, host, path, headers, body, status)| Simple {
            method,
            url: format!("https://{host}.test/{}", path.join("/")),
            headers: headers.into_iter().collect(),
            body,
            status,
        })
}

proptest! {
    #[test]
    fn a_simple_entry_reads_back(entries in prop::collection::vec(simple(), 1..4)) {
        let text: String = entries.iter().map(|e| e.hurl() + "\n").collect();
        let imported = read(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let got = &imported.collection.requests;
        prop_assert_eq!(got.len(), entries.len());
        for (want, got) in entries.iter().zip(got) {
            prop_assert_eq!(got.method, want.method);
            prop_assert_eq!(&got.url, &want.url);
            prop_assert_eq!(&got.headers, &want.headers);
            prop_assert_eq!(&got.body, &want.body);
            let status = got.expect.as_ref().map(|e| e.status.clone());
            prop_assert_eq!(status, Some(vec![StatusPattern::Code(want.status)]));
        }
        // Only the Content-Type scout adds to a text body (Hurl sends none) is said.
        let texts = entries
            .iter()
            .filter(|e| matches!(e.body, Some(SavedBody::Text(_))))
            .count();
        prop_assert_eq!(imported.dropped.len(), texts);
        prop_assert!(imported.dropped.iter().all(|l| l.ends_with(
            "Hurl sends this body without a Content-Type; scout sends text/plain; charset=utf-8"
        )));
    }
}
