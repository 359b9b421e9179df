//! Where and why a JSON text stops parsing, in words a person can act on. Shared by the body
//! editor (checked as you type) and response bodies (shown as received, with a notice).

/// Where a JSON body stops parsing, shown under the body as the user types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonIssue {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Where (1-based line:col) and why `text` is not valid JSON; `None` when it is, or is blank.
pub fn json_issue(text: &str) -> Option<JsonIssue> {
    if text.trim().is_empty() {
        return None;
    }
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => None,
        Err(e) => {
            let full = e.to_string();
            let message = full
                .rsplit_once(" at line ")
                .map(|(m, _)| m.to_string())
                .unwrap_or(full);
            let message = if trailing_comma_before(text, e.line(), e.column()) {
                "trailing comma (remove the last `,`)".to_string()
            } else {
                message
            };
            Some(JsonIssue {
                line: e.line(),
                column: e.column(),
                message,
            })
        }
    }
}

/// Whether the last non-blank character before 1-based `line`:`column` is a comma. The body
/// editor checks on each key, so the line is found with one `memchr` pass, not line by line.
fn trailing_comma_before(text: &str, line: usize, column: usize) -> bool {
    let start = match line.checked_sub(2) {
        None => 0,
        Some(newlines) => memchr::memchr_iter(b'\n', text.as_bytes())
            .nth(newlines)
            .map_or(text.len(), |at| at + 1),
    };
    let rest = &text[start..];
    let this_line = &rest[..memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |at| at + 1)];
    let offset = start
        + this_line
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(this_line.len(), |(i, _)| i);
    text[..offset].trim_end().ends_with(',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_point_at_line_and_column() {
        let issue = json_issue("{\n  \"a\": 1,\n}").unwrap();
        assert_eq!((issue.line, issue.column), (3, 1));
        assert!(
            issue.message.contains("trailing comma"),
            "{}",
            issue.message
        );
        assert!(json_issue("{\"a\": [1, 2]}").is_none());
        assert!(json_issue("   ").is_none());
    }

    /// The line-by-line way it was first written (slow on a body of many lines).
    fn trailing_comma_before_by_lines(text: &str, line: usize, column: usize) -> bool {
        let offset: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            + text
                .split_inclusive('\n')
                .nth(line.saturating_sub(1))
                .map_or(0, |l| {
                    l.char_indices()
                        .nth(column.saturating_sub(1))
                        .map_or(l.len(), |(i, _)| i)
                });
        text.get(..offset)
            .and_then(|before| before.trim_end().chars().last())
            == Some(',')
    }

    proptest::proptest! {
        #[test]
        fn finding_the_line_in_one_pass_answers_as_line_by_line(
            text in "[a,\n é\r]{0,40}",
            line in 0usize..12,
            column in 0usize..12,
        ) {
            proptest::prop_assert_eq!(
                trailing_comma_before(&text, line, column),
                trailing_comma_before_by_lines(&text, line, column)
            );
        }
    }
}
