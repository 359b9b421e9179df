//! A request's `view` table as a collection file holds it: `filter` (a jq program, or a
//! JSONPath starting with `$`) and `ignore` (JSONPaths masked when two responses are compared).
//! Both are compiled when the file loads, so a mistake is `file:line` and the reason, at the
//! line of the value, never a surprise when a response is shown or compared.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::inspect::diff::Ignore;
use crate::inspect::filter::Filter;
use crate::model::ViewSettings;

/// `view = { filter = ".items[] | .id", ignore = ["$.updated_at"] }`: the filter must compile
/// and every ignore path must parse, so a mistake is `file:line` when the file loads rather than
/// a surprise when a response is shown or compared.
#[derive(Default)]
pub(super) struct ViewFile(ViewSettings);

impl ViewFile {
    pub(super) fn into_settings(self) -> ViewSettings {
        self.0
    }
}

impl<'de> Deserialize<'de> for ViewFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // By hand, key by key, so a bad filter or path is reported at its own line (through a
        // `toml::Value` the error would point at the table).
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = ViewFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "`view` as a table such as { filter = \".items[] | .id\", ignore = \
                     [\"$.updated_at\"] }",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ViewFile, A::Error> {
                let mut view = ViewSettings::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "filter" => view.filter = Some(map.next_value::<FilterText>()?.0),
                        "ignore" => view.ignore = map.next_value::<IgnoreList>()?.0,
                        other => {
                            return Err(de::Error::unknown_field(other, &["filter", "ignore"]));
                        }
                    }
                }
                Ok(ViewFile(view))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// `view.filter`: a jq program, or a JSONPath when it starts with `$`, that compiles.
struct FilterText(String);

impl<'de> Deserialize<'de> for FilterText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match toml::Value::deserialize(d)? {
            toml::Value::String(text) => text,
            other => {
                return Err(de::Error::custom(format!(
                    "`view.filter` is a string: a jq expression (\".items[] | .id\") or a \
                     JSONPath starting with `$`, not {}",
                    other.type_str()
                )));
            }
        };
        match Filter::parse(&text) {
            Ok(_) => Ok(FilterText(text)),
            Err(e) => Err(de::Error::custom(format!(
                "`view.filter` `{text}` does not compile: {e}"
            ))),
        }
    }
}

/// `view.ignore`: JSONPaths (RFC 9535) that parse.
#[derive(Default)]
struct IgnoreList(Vec<String>);

impl<'de> Deserialize<'de> for IgnoreList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wrong = |what: &str| {
            de::Error::custom(format!(
                "`view.ignore` is a list of JSONPaths, such as [\"$.updated_at\", \"$..id\"], \
                 not {what}"
            ))
        };
        let items = match toml::Value::deserialize(d)? {
            toml::Value::Array(items) => items,
            other => return Err(wrong(other.type_str())),
        };
        let mut paths = Vec::with_capacity(items.len());
        for item in items {
            match item {
                toml::Value::String(path) => paths.push(path),
                other => return Err(wrong(&format!("a list holding {}", other.type_str()))),
            }
        }
        Ignore::parse(&paths).map_err(|e| {
            let hint = match paths.iter().find(|p| !p.trim_start().starts_with('$')) {
                Some(p) => {
                    let p = p.trim_start();
                    let dot = if p.starts_with(['.', '[']) { "" } else { "." };
                    format!(" (a JSONPath starts with `$`: `${dot}{p}`?)")
                }
                None => String::new(),
            };
            de::Error::custom(format!("view.{e}{hint}"))
        })?;
        Ok(IgnoreList(paths))
    }
}
