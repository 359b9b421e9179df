//! Writing collections with `toml_edit`: a request's keys are rewritten only when they changed,
//! so comments, ordering and formatting elsewhere survive, and `git diff` shows only the lines
//! of the request that was edited.

use std::time::Duration;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::check::Expect;
use crate::collection::model::{SavedBody, SavedRequest};
use crate::model::duration::format_duration;
use crate::model::settings::Settings;
use crate::model::{MultipartLine, Pagination, RetryPolicy, ViewSettings};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the file is not valid TOML any more ({0}); scout will not write over it")]
    Unparsable(String),
    #[error("`requests` in the file is not a table; scout will not write over it")]
    NotATable,
    #[error("there is no request `{0}` in the file")]
    Missing(String),
}

pub(super) fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>()
        .map_err(|e| EditError::Unparsable(e.message().to_string()))
}

fn requests_table(doc: &mut DocumentMut) -> Result<&mut Table, EditError> {
    let item = doc.entry("requests").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    item.as_table_mut().ok_or(EditError::NotATable)
}

/// Writes `req` into the collection `text`. `previous` is the request as loaded from this text
/// (None for a new request): only the keys whose values differ from it are touched.
pub fn upsert_request(
    text: &str,
    req: &SavedRequest,
    previous: Option<&SavedRequest>,
) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    upsert_request_in(&mut doc, req, previous)?;
    Ok(doc.to_string())
}

/// [`upsert_request`] on a parsed document (many requests written into one document are
/// parsed once).
pub(super) fn upsert_request_in(
    doc: &mut DocumentMut,
    req: &SavedRequest,
    previous: Option<&SavedRequest>,
) -> Result<(), EditError> {
    let requests = requests_table(doc)?;
    let is_new = !requests.contains_key(&req.id);
    if is_new {
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        requests.insert(&req.id, Item::Table(t));
    }
    let table = requests
        .get_mut(&req.id)
        .and_then(Item::as_table_mut)
        .ok_or(EditError::NotATable)?;
    let prev = if is_new { None } else { previous };
    let changed = |f: &dyn Fn(&SavedRequest) -> bool| prev.is_none_or(|p| !f(p));

    if changed(&|p| p.name == req.name) {
        set_opt(table, "name", req.name.as_deref().map(Value::from));
    }
    if changed(&|p| p.folder == req.folder) {
        set_opt(table, "folder", req.folder.as_deref().map(Value::from));
    }
    if changed(&|p| p.method == req.method) {
        table.insert("method", toml_edit::value(req.method.as_str()));
    }
    if changed(&|p| p.url == req.url) {
        table.insert("url", toml_edit::value(req.url.as_str()));
    }
    if changed(&|p| p.query == req.query) {
        set_opt(table, "query", pairs(&req.query));
    }
    if changed(&|p| p.headers == req.headers) {
        set_opt(table, "headers", pairs(&req.headers));
    }
    if changed(&|p| p.disabled_headers == req.disabled_headers) {
        set_opt(table, "disabled_headers", pairs(&req.disabled_headers));
    }
    if changed(&|p| p.body == req.body) {
        set_opt(table, "body", req.body.as_ref().map(body_value));
    }
    if changed(&|p| p.description == req.description) {
        set_opt(
            table,
            "description",
            req.description.as_deref().map(Value::from),
        );
    }
    write_settings(table, &req.settings, prev.map(|p| &p.settings));
    if changed(&|p| p.pagination == req.pagination) {
        set_opt(
            table,
            "pagination",
            req.pagination.as_ref().map(Pagination::to_toml_value),
        );
    }
    if changed(&|p| p.expect == req.expect) {
        set_opt(table, "expect", req.expect.as_ref().map(Expect::to_toml));
    }
    if changed(&|p| p.capture == req.capture) {
        let capture = (!req.capture.is_empty()).then(|| {
            let mut t = InlineTable::new();
            for (name, c) in &req.capture {
                t.insert(name, c.to_toml());
            }
            Value::InlineTable(t)
        });
        set_opt(table, "capture", capture);
    }
    if changed(&|p| p.view == req.view) {
        set_opt(table, "view", view_value(&req.view));
    }
    Ok(())
}

/// `view = { filter = "…", ignore = ["…"] }`, or None when it says nothing.
fn view_value(view: &ViewSettings) -> Option<Value> {
    if view.is_empty() {
        return None;
    }
    let mut t = InlineTable::new();
    if let Some(filter) = &view.filter {
        t.insert("filter", Value::from(filter.as_str()));
    }
    if !view.ignore.is_empty() {
        t.insert(
            "ignore",
            Value::Array(view.ignore.iter().map(String::as_str).collect()),
        );
    }
    Some(Value::InlineTable(t))
}

/// Removes request `id` from the collection `text`.
pub fn remove_request(text: &str, id: &str) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    let requests = requests_table(&mut doc)?;
    requests
        .remove(id)
        .ok_or_else(|| EditError::Missing(id.to_string()))?;
    Ok(doc.to_string())
}

/// Writes the settings keys of a request that differ from `prev` (all of them for a new one).
pub(super) fn write_settings(table: &mut Table, s: &Settings, prev: Option<&Settings>) {
    let changed = |f: &dyn Fn(&Settings) -> bool| prev.is_none_or(|p| !f(p));
    if changed(&|p| p.auth == s.auth) {
        set_opt(
            table,
            "auth",
            s.auth.as_ref().map(|a| Value::from(a.as_str())),
        );
    }
    type Get = fn(&Settings) -> Option<Duration>;
    let durations: [(&str, Get); 3] = [
        ("connect_timeout", |s| s.connect_timeout),
        ("timeout", |s| s.timeout),
        ("read_timeout", |s| s.read_timeout),
    ];
    for (key, get) in durations {
        if changed(&|p| get(p) == get(s)) {
            set_opt(table, key, get(s).map(|t| Value::from(format_duration(t))));
        }
    }
    if changed(&|p| p.retries == s.retries) {
        set_opt(
            table,
            "retries",
            s.retries.as_ref().map(RetryPolicy::to_toml_value),
        );
    }
    if changed(&|p| p.follow_redirects == s.follow_redirects) {
        set_opt(
            table,
            "follow_redirects",
            s.follow_redirects.map(Value::from),
        );
    }
    if changed(&|p| p.cache == s.cache) {
        set_opt(table, "cache", s.cache.map(Value::from));
    }
    if changed(&|p| p.max_redirects == s.max_redirects) {
        set_opt(
            table,
            "max_redirects",
            s.max_redirects.map(|n| Value::from(i64::from(n))),
        );
    }
}

pub(super) fn set_opt(table: &mut Table, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            table.insert(key, Item::Value(v));
        }
        None => {
            table.remove(key);
        }
    }
}

/// `{ a = "1", b = "2" }`; a list of `{ name, value }` fields when a name comes twice (a table
/// holds each name once); None when there are no pairs.
pub(super) fn pairs(list: &[(String, String)]) -> Option<Value> {
    if list.is_empty() {
        return None;
    }
    if !super::model::has_repeated_names(list) {
        let mut t = InlineTable::new();
        for (k, v) in list {
            t.insert(k, Value::from(v.as_str()));
        }
        return Some(Value::InlineTable(t));
    }
    let mut fields = Array::new();
    for (name, value) in list {
        let mut field = InlineTable::new();
        field.insert("name", Value::from(name.as_str()));
        field.insert("value", Value::from(value.as_str()));
        fields.push(Value::InlineTable(field));
    }
    Some(Value::Array(fields))
}

fn body_value(body: &SavedBody) -> Value {
    let mut t = InlineTable::new();
    match body {
        SavedBody::Json(text) => {
            // Structured when the JSON maps onto TOML (no nulls); else the text as written. A
            // lone string stays text: a TOML string is read back as JSON text. So does text
            // with a backslash before `{{`: JSON's escapes and the template's `\{{` meet there,
            // and a table reads back as other text (`"\\{{"` became `"\{{"`).
            let structured = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .filter(|v| !v.is_string() && !text.contains("\\{{"))
                .and_then(|v| crate::check::json_to_toml(&v));
            t.insert(
                "json",
                structured.unwrap_or_else(|| Value::from(text.as_str())),
            );
        }
        SavedBody::Form(pairs_list) => {
            t.insert(
                "form",
                pairs(pairs_list).unwrap_or_else(|| Value::InlineTable(InlineTable::new())),
            );
        }
        SavedBody::Text(text) => {
            t.insert("text", Value::from(text.as_str()));
        }
        SavedBody::File(path) => {
            t.insert("file", Value::from(path.display().to_string()));
        }
        SavedBody::Multipart(parts) => {
            let mut arr = Array::new();
            for p in parts {
                let mut pt = InlineTable::new();
                match p {
                    MultipartLine::Field { name, value } => {
                        pt.insert("name", Value::from(name.as_str()));
                        pt.insert("value", Value::from(value.as_str()));
                    }
                    MultipartLine::File {
                        name,
                        path,
                        content_type,
                    } => {
                        pt.insert("name", Value::from(name.as_str()));
                        pt.insert("file", Value::from(path.display().to_string()));
                        if let Some(ct) = content_type {
                            pt.insert("type", Value::from(ct.as_str()));
                        }
                    }
                }
                arr.push(Value::InlineTable(pt));
            }
            t.insert("multipart", Value::Array(arr));
        }
    }
    Value::InlineTable(t)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::collection::parse::parse_collection;
    use crate::model::{KeyValue, Method, RequestSpec};

    const FILE: &str = r#"# Demo collection — hand written, with comments
name = "Demo API"

[vars]
base_url = "http://127.0.0.1:8080"   # the demo server

# Items
[requests.list-items]
name = "List items"
folder   = "items"          # odd spacing is kept
method = "GET"
url = "{{base_url}}/items"
query = { limit = "10" }

[requests.create-item]
method = "POST"
url = "{{base_url}}/items"
body = { json = { name = "widget", price = 9.99 } }
"#;

    fn load(text: &str) -> crate::collection::Collection {
        parse_collection(text, Path::new("demo.toml")).unwrap()
    }

    #[test]
    fn a_copy_keeps_every_setting_and_an_auth_change_is_one_line() {
        let text = "[requests.a]\nurl = \"x\"\nauth = \"ci\"\ntimeout = \"5s\"\nread_timeout = \"1s\"\nretries = { max = 2, on = [503] }\nfollow_redirects = false\nmax_redirects = 3\n";
        let c = load(text);
        let mut copy = c.requests[0].clone();
        copy.id = "b".into();
        let written = upsert_request(text, &copy, None).unwrap();
        let again = load(&written);
        assert_eq!(again.requests[1].settings, c.requests[0].settings);

        let mut edited = c.requests[0].clone();
        edited.settings.auth = Some(crate::model::settings::AuthChoice::None);
        let written = upsert_request(text, &edited, Some(&c.requests[0])).unwrap();
        assert_eq!(written, text.replace("auth = \"ci\"", "auth = \"none\""));
    }

    #[test]
    fn saving_an_unchanged_request_changes_nothing() {
        let c = load(FILE);
        for r in &c.requests {
            assert_eq!(upsert_request(FILE, r, Some(r)).unwrap(), FILE);
            // Through the editor and back, too.
            let again = r.with_spec(&r.to_spec());
            assert_eq!(&again, r);
        }
    }

    #[test]
    fn an_edit_changes_only_its_own_lines() {
        let c = load(FILE);
        let old = &c.requests[0];
        let mut spec = old.to_spec();
        spec.url = "{{base_url}}/items?limit=20".into();
        spec.headers
            .push(KeyValue::new("Accept", "application/json"));
        let new = old.with_spec(&spec);
        let out = upsert_request(FILE, &new, Some(old)).unwrap();
        let expected = FILE.replace(
            "query = { limit = \"10\" }\n",
            "query = { limit = \"20\" }\nheaders = { Accept = \"application/json\" }\n",
        );
        assert_eq!(out, expected);
        assert!(out.contains("folder   = \"items\"          # odd spacing is kept"));
        assert!(out.contains("headers = { Accept = \"application/json\" }"));
        assert_eq!(load(&out).requests[0].headers.len(), 1);
        assert_eq!(out.lines().count(), FILE.lines().count() + 1);
    }

    #[test]
    fn new_requests_are_appended_and_removed_cleanly() {
        let c = load(FILE);
        let spec = RequestSpec {
            method: Method::Delete,
            url: "{{base_url}}/items/{{id}}".into(),
            ..Default::default()
        };
        let req = SavedRequest::new(&c.free_id("Delete item"), Some("items".into()), &spec);
        assert_eq!(req.id, "delete-item");
        let out = upsert_request(FILE, &req, None).unwrap();
        assert!(out.starts_with(FILE), "existing text untouched:\n{out}");
        let back = load(&out);
        assert_eq!(back.requests.len(), 3);
        assert_eq!(back.requests[2], req);
        let removed = remove_request(&out, "delete-item").unwrap();
        assert_eq!(load(&removed), c);
        assert!(matches!(
            remove_request(FILE, "nope"),
            Err(EditError::Missing(_))
        ));
    }

    #[test]
    fn json_bodies_stay_structured_unless_they_cannot() {
        let c = load(FILE);
        let old = &c.requests[1];
        let mut spec = old.to_spec();
        spec.body = "{\n  \"name\": \"gadget\",\n  \"tags\": [\"a\", 1, true]\n}".into();
        let out = upsert_request(FILE, &old.with_spec(&spec), Some(old)).unwrap();
        assert!(
            out.contains(r#"body = { json = { name = "gadget", tags = ["a", 1, true] } }"#),
            "{out}"
        );
        spec.body = "{\"parent\": null, \"id\": {{id}}}".into();
        let out = upsert_request(FILE, &old.with_spec(&spec), Some(old)).unwrap();
        let back = load(&out);
        assert_eq!(back.requests[1].to_spec().body, spec.body);
    }

    #[test]
    fn every_body_kind_round_trips() {
        let bodies = [
            SavedBody::Form(vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "{{x}}".into()),
            ]),
            // A name twice (found by fuzzing the Postman and Hurl imports: the table kept the
            // last one only), in the order given.
            SavedBody::Form(vec![
                ("password".into(), "{{env.PASSWORD}}".into()),
                ("tag".into(), "x".into()),
                ("password".into(), "{{env.PASSWORD_2}}".into()),
            ]),
            SavedBody::Text("line one\nline \"two\"".into()),
            SavedBody::File("payloads/item.json".into()),
            SavedBody::Multipart(vec![
                MultipartLine::Field {
                    name: "note".into(),
                    value: "hi".into(),
                },
                MultipartLine::File {
                    name: "upload".into(),
                    path: "report.csv".into(),
                    content_type: Some("text/csv".into()),
                },
            ]),
        ];
        let c = load(FILE);
        for body in bodies {
            let mut req = c.requests[1].clone();
            req.body = Some(body.clone());
            let out = upsert_request(FILE, &req, Some(&c.requests[1])).unwrap();
            assert_eq!(load(&out).requests[1].body, Some(body.clone()), "{out}");
            // Through the editor and back keeps it too.
            let again = req.with_spec(&req.to_spec());
            assert_eq!(again.body, Some(body));
        }
    }

    /// A name twice in headers, disabled headers or the query (two `X-Tag` headers from an
    /// import, say) is written as a list of fields, and read back the same, in order.
    #[test]
    fn names_given_twice_round_trip() {
        let c = load(FILE);
        let mut req = c.requests[1].clone();
        req.headers = vec![
            ("X-Tag".into(), "a".into()),
            ("Accept".into(), "application/json".into()),
            ("X-Tag".into(), "b".into()),
        ];
        req.disabled_headers = vec![("X-Off".into(), "1".into()), ("X-Off".into(), "2".into())];
        req.query = vec![("id".into(), "1".into()), ("id".into(), "2".into())];
        let out = upsert_request(FILE, &req, Some(&c.requests[1])).unwrap();
        assert!(
            out.contains(r#"headers = [{ name = "X-Tag", value = "a" }, "#),
            "{out}"
        );
        let back = &load(&out).requests[1];
        assert_eq!(back.headers, req.headers);
        assert_eq!(back.disabled_headers, req.disabled_headers);
        assert_eq!(back.query, req.query);
        // Names given once stay a table.
        req.headers.pop();
        let out = upsert_request(FILE, &req, Some(&c.requests[1])).unwrap();
        assert!(
            out.contains(r#"headers = { X-Tag = "a", Accept = "application/json" }"#),
            "{out}"
        );
    }

    #[test]
    fn a_query_in_the_url_and_templates_in_forms_survive_the_editor() {
        let text = r#"
[requests.q]
url = "{{base}}/items?sort=name"
query = { limit = "10" }
body = { form = { token = "{{token}}", note = "a&b" } }
"#;
        let c = load(text);
        let r = &c.requests[0];
        let spec = r.to_spec();
        assert_eq!(spec.url, "{{base}}/items?sort=name&limit=10");
        assert_eq!(spec.body, "token={{token}}&note=a%26b");
        assert_eq!(&r.with_spec(&spec), r, "unchanged means unchanged");
        assert_eq!(upsert_request(text, r, Some(r)).unwrap(), text);
    }

    #[test]
    fn view_settings_survive_saving_and_the_editor() {
        use crate::model::ViewSettings;
        // Written as a table of its own, by hand.
        let text = "[requests.a]\nurl = \"{{base}}/items\"\n\n[requests.a.view] # kept\nfilter = \".items[] | .id\"\nignore = [\"$.updated_at\", \"$..id\"]\n";
        let c = load(text);
        let r = &c.requests[0];
        let view = ViewSettings {
            filter: Some(".items[] | .id".into()),
            ignore: vec!["$.updated_at".into(), "$..id".into()],
        };
        assert_eq!(r.view, view);
        assert_eq!(upsert_request(text, r, Some(r)).unwrap(), text);
        // An edit in the editor keeps it, and touches only the URL.
        let mut spec = r.to_spec();
        spec.url = "{{base}}/things".into();
        let edited = r.with_spec(&spec);
        assert_eq!(edited.view, view);
        let out = upsert_request(text, &edited, Some(r)).unwrap();
        assert_eq!(out, text.replace("/items\"", "/things\""));
        assert_eq!(load(&out).requests[0].view, view);

        // A new request (a copy) writes it inline and reads it back the same.
        let mut copy = r.clone();
        copy.id = "b".into();
        let out = upsert_request(text, &copy, None).unwrap();
        assert!(
            out.contains(
                r#"view = { filter = ".items[] | .id", ignore = ["$.updated_at", "$..id"] }"#
            ),
            "{out}"
        );
        assert_eq!(load(&out).requests[1].view, view);

        // A changed view is rewritten; an emptied one is removed; a filter alone stays alone.
        let mut changed = r.clone();
        changed.view.ignore = vec!["$.stamp".into()];
        changed.view.filter = None;
        let out = upsert_request(text, &changed, Some(r)).unwrap();
        assert_eq!(load(&out).requests[0].view, changed.view, "{out}");
        let mut cleared = r.clone();
        cleared.view = ViewSettings::default();
        let out = upsert_request(text, &cleared, Some(r)).unwrap();
        assert!(!out.contains("view"), "{out}");
        assert_eq!(load(&out).requests[0].view, ViewSettings::default());
        let mut filter_only = cleared.clone();
        filter_only.view.filter = Some("$.items[*].name".into());
        let out = upsert_request(FILE, &filter_only, None).unwrap();
        assert!(
            out.contains(r#"view = { filter = "$.items[*].name" }"#),
            "{out}"
        );
        let back = load(&out);
        assert_eq!(back.requests.last().unwrap().view, filter_only.view);
    }

    #[test]
    fn broken_files_are_never_rewritten() {
        let c = load(FILE);
        let err = upsert_request("name = \n", &c.requests[0], None).unwrap_err();
        assert!(matches!(err, EditError::Unparsable(_)));
        let err = upsert_request("requests = 3\n", &c.requests[0], None).unwrap_err();
        assert_eq!(err, EditError::NotATable);
    }
}
