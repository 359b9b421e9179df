//! TOML values as JSON (what an `expect` value written in a collection means in a JSON response),
//! and JSON as TOML, for writing one back.

use serde_json::{Map, Number, Value};

/// `value` as JSON. Dates and times (TOML has them, JSON does not) become their text, as a JSON
/// API would send them; a float that JSON cannot hold (NaN, infinity) becomes `null`.
pub fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::Number((*i).into()),
        toml::Value::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

/// JSON → TOML, or None if the JSON holds what TOML cannot: a null, or a whole number beyond
/// TOML's integers (64-bit signed), which would come back as a float, another number.
pub fn json_to_toml(v: &serde_json::Value) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => toml_edit::Value::from(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml_edit::Value::from(i),
            None if n.is_f64() => toml_edit::Value::from(n.as_f64()?),
            None => return None,
        },
        Value::String(s) => toml_edit::Value::from(s.as_str()),
        Value::Array(items) => {
            let mut arr = toml_edit::Array::new();
            for item in items {
                arr.push(json_to_toml(item)?);
            }
            toml_edit::Value::Array(arr)
        }
        Value::Object(map) => {
            let mut t = toml_edit::InlineTable::new();
            for (k, item) in map {
                t.insert(k, json_to_toml(item)?);
            }
            toml_edit::Value::InlineTable(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing the Hurl import: a JSON body holding 11000000001783232622 was saved as
    /// the TOML float 11000000001783233000.0, another number.
    #[test]
    fn a_whole_number_beyond_toml_integers_has_no_toml_form() {
        let big: Value = serde_json::from_str("{\"sku\": 11000000001783232622}").unwrap();
        assert!(json_to_toml(&big).is_none());
        for text in [
            "9223372036854775807",
            "-9223372036854775808",
            "1.5",
            "[1e300, -0.0]",
        ] {
            let json: Value = serde_json::from_str(text).unwrap();
            let toml = json_to_toml(&json).unwrap_or_else(|| panic!("{text}"));
            let back: toml::Value = toml::from_str(&format!("v = {toml}")).unwrap();
            assert_eq!(toml_to_json(&back["v"]), json, "{text}");
        }
    }
}
