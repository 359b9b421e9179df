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

/// Whether the last non-blank character before 1-based `line`:`column` is a comma.
fn trailing_comma_before(text: &str, line: usize, column: usize) -> bool {
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
}
