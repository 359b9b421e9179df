//! JSON or YAML input as one JSON value, for the importers of structured formats (Postman,
//! Insomnia, OpenAPI, HAR): errors carry the line, and YAML's aliases cannot blow up (the parser
//! refuses a document whose alias expansions would dwarf it).

use serde_json::Value;

use crate::import::ImportError;

/// `text` as JSON if it looks like JSON, else as YAML.
pub fn parse_document(text: &str) -> Result<Value, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['{', '[']) {
        return serde_json::from_str(text).map_err(|e| {
            let what = if e.is_eof() {
                "the JSON ends too early (is the file cut short?)".to_string()
            } else {
                format!("invalid JSON: {e}")
            };
            // serde_json's message already ends with "at line L column C".
            let what = what
                .rsplit_once(" at line ")
                .map_or(what.clone(), |(m, _)| m.to_string());
            ImportError::at(e.line(), what)
        });
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.clone(), |(m, _)| m.to_string());
        match e.location() {
            Some(at) => ImportError::at(at.line(), format!("invalid YAML: {message}")),
            None => ImportError::new(format!("invalid YAML: {message}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_read_alike() {
        let a = parse_document("{\"a\": [1, \"x\"]}").unwrap();
        let b = parse_document("a:\n  - 1\n  - x\n").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn truncated_json_says_so_with_its_line() {
        let e = parse_document("\n{\n  \"a\": [1,\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("ends too early"), "{e}");
        let e = parse_document("{\"a\": 1,,}").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("invalid JSON: "), "{e}");
    }

    #[test]
    fn a_yaml_bomb_is_refused_quickly() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            bomb.push_str(&format!(
                "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = n;
        }
        let started = std::time::Instant::now();
        let e = parse_document(&bomb).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(e.message.starts_with("invalid YAML: "), "{e}");
    }

    #[test]
    fn bad_yaml_names_its_line() {
        let e = parse_document("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(e.message.starts_with("invalid YAML"), "{e}");
    }
}
