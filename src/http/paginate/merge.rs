//! The items of one page, and the JSONPath helpers the other files share.
//!
//! With `items` set, the path names the list (RFC 9535 JSONPath):
//! - a *singular* path (only names and indexes: `$`, `$.data`, `$["a b"][0]`) must match one node:
//!   an array gives its elements, `null` gives no items (an empty last page), nothing at all or any
//!   other value is an error ("the item path vanished");
//! - any other path (`$.data[*].attributes`, `$..id`, a filter) gives the nodes it matches as the
//!   items, none being an empty page.
//!
//! Without `items`, the list is found automatically ([`find_items_path`]): the root array; else the
//! first array among the top-level keys `items`, `data`, `results`, `records`, `entries`, `value`
//! (in that order); else the same keys one level down, under a top-level `data`, `result`,
//! `response` or `payload` object (`{"data": {"items": […]}}`). Nothing deeper is searched.

use serde_json::Value;

/// The keys a list of items is looked for under, in order of preference.
pub const LIST_KEYS: [&str; 6] = ["items", "data", "results", "records", "entries", "value"];

/// The wrapper objects searched one level down for [`LIST_KEYS`].
pub const WRAPPER_KEYS: [&str; 4] = ["data", "result", "response", "payload"];

/// The items of one page: at `path`, or found automatically when `None` (see the module docs).
/// The error says what was expected and what was there.
pub fn items_at(body: &Value, path: Option<&str>) -> Result<Vec<Value>, String> {
    let owned;
    let path = match path {
        Some(path) => path,
        None => {
            owned = find_items_path(body).ok_or_else(|| {
                format!(
                    "no list of items in the page: the body is not an array and has no {} array; \
                     set the pagination's `items` to the list's JSONPath",
                    LIST_KEYS.map(|k| format!("`{k}`")).join(", ")
                )
            })?;
            owned.as_str()
        }
    };
    let parsed = crate::model::json_path::parse(path)
        .map_err(|e| format!("`{path}` is not a valid JSONPath: {e}"))?;
    let nodes = parsed.query(body);
    if !is_singular(path) {
        return Ok(nodes.all().into_iter().cloned().collect());
    }
    match nodes.first() {
        None => Err(format!("`{path}` matches nothing in this page")),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(Value::Null) => Ok(Vec::new()),
        Some(other) => Err(format!(
            "`{path}` is {}, not a list",
            crate::model::json_type_name(other)
        )),
    }
}

/// The JSONPath of the list of items, found as the module docs say; `None` when there is none.
pub fn find_items_path(body: &Value) -> Option<String> {
    if body.is_array() {
        return Some("$".to_owned());
    }
    let object = body.as_object()?;
    let list_under = |object: &serde_json::Map<String, Value>| {
        LIST_KEYS
            .into_iter()
            .find(|key| object.get(*key).is_some_and(Value::is_array))
    };
    if let Some(key) = list_under(object) {
        return Some(path_of(&[key]));
    }
    WRAPPER_KEYS.into_iter().find_map(|wrapper| {
        let inner = object.get(wrapper)?.as_object()?;
        list_under(inner).map(|key| path_of(&[wrapper, key]))
    })
}

/// The one value at `path` (the first when it matches several); `None` when it matches nothing or
/// is not a valid JSONPath.
pub fn value_at<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    crate::model::json_path::parse(path)
        .ok()?
        .query(body)
        .first()
}

/// The JSONPath of nested keys: `$.meta.next_cursor`, or `$["@odata.nextLink"]` for names that
/// are not plain identifiers.
pub fn path_of(keys: &[&str]) -> String {
    let mut path = String::from("$");
    for key in keys {
        let plain = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            path.push('.');
            path.push_str(key);
        } else {
            path.push('[');
            path.push_str(&Value::from(*key).to_string());
            path.push(']');
        }
    }
    path
}

/// Whether a JSONPath can match at most one node: only names and indexes, no wildcard, descendant
/// (`..`), filter, slice or union. Decided from the text; quoted names are skipped.
fn is_singular(path: &str) -> bool {
    let mut quote = None;
    let mut escaped = false;
    let mut previous = '\0';
    for c in path.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '*' | '?' | ':' | ',' => return false,
            '.' if previous == '.' => return false,
            _ => {}
        }
        previous = c;
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn automatic_items() {
        assert_eq!(items_at(&json!([1, 2]), None), Ok(vec![json!(1), json!(2)]));
        let body = json!({"count": 2, "meta": [0], "results": [1], "data": [2]});
        assert_eq!(find_items_path(&body).as_deref(), Some("$.data"));
        assert_eq!(items_at(&body, None), Ok(vec![json!(2)]));
        let body = json!({"data": {"records": [3]}, "ok": true});
        assert_eq!(find_items_path(&body).as_deref(), Some("$.data.records"));
        assert_eq!(items_at(&body, None), Ok(vec![json!(3)]));
        let body = json!({"value": [], "@odata.nextLink": "x"});
        assert_eq!(items_at(&body, None), Ok(vec![]));
        let error = items_at(&json!({"things": [1]}), None).unwrap_err();
        assert!(error.contains("set the pagination's `items`"), "{error}");
        assert!(items_at(&json!("text"), None).is_err());
        assert_eq!(find_items_path(&json!({"a": {"b": {"items": []}}})), None);
    }

    #[test]
    fn explicit_paths() {
        let body = json!({"d": {"list": [{"a": 1}, {"a": 2}]}, "n": null, "s": "x"});
        assert_eq!(items_at(&body, Some("$.d.list")).unwrap().len(), 2);
        assert_eq!(
            items_at(&body, Some("$.d.list[*].a")),
            Ok(vec![json!(1), json!(2)])
        );
        assert_eq!(
            items_at(&body, Some("$.d.list[?@.a > 1]")),
            Ok(vec![json!({"a": 2})])
        );
        assert_eq!(items_at(&body, Some("$.missing[*]")), Ok(vec![]));
        assert_eq!(items_at(&body, Some("$.n")), Ok(vec![]));
        assert_eq!(
            items_at(&body, Some("$.gone")),
            Err("`$.gone` matches nothing in this page".into())
        );
        assert_eq!(
            items_at(&body, Some("$.s")),
            Err("`$.s` is a string, not a list".into())
        );
        assert!(
            items_at(&body, Some("$["))
                .unwrap_err()
                .contains("not a valid JSONPath")
        );
    }

    #[test]
    fn singular_paths() {
        for path in ["$", "$.a.b", "$['a*b']", "$[\"x,y\"][0]", "$['it\\'s:']"] {
            assert!(is_singular(path), "{path}");
        }
        for path in ["$.a[*]", "$..a", "$[0:2]", "$[0,1]", "$[?@.a]", "$.*"] {
            assert!(!is_singular(path), "{path}");
        }
    }

    #[test]
    fn paths_of_keys() {
        assert_eq!(path_of(&[]), "$");
        assert_eq!(path_of(&["meta", "next_cursor"]), "$.meta.next_cursor");
        assert_eq!(path_of(&["@odata.nextLink"]), "$[\"@odata.nextLink\"]");
        let body = json!({"@odata.nextLink": "u", "_links": {"next": {"href": "h"}}});
        assert_eq!(
            value_at(&body, &path_of(&["@odata.nextLink"])),
            Some(&json!("u"))
        );
        assert_eq!(
            value_at(&body, &path_of(&["_links", "next", "href"])),
            Some(&json!("h"))
        );
        assert_eq!(value_at(&body, "$[bad"), None);
    }
}
