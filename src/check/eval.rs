//! Checking a response against an [`Expect`]: one [`CheckResult`] per thing expected, each with
//! what was expected and what was there, passed or not.

use std::cell::OnceCell;
use std::fmt;

use serde_json::Value;

use crate::check::expect::Expect;
use crate::check::value::{ValueMatcher, cut, json_text};
use crate::model::{Redactor, ResponseData, human_size};

/// The most characters of what a response held that a check shows.
const SHOWN: usize = 100;

/// One expectation, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// What was looked at: `status`, `header content-type`, `$.name`, `body`, `time`, `schema`.
    pub subject: String,
    pub expected: String,
    pub actual: String,
    pub passed: bool,
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.subject, self.expected, self.actual
        )
    }
}

/// A response's body, parsed as JSON at most once however many checks and captures read it.
pub struct Body<'a> {
    pub response: &'a ResponseData,
    json: OnceCell<Result<Value, String>>,
}

impl<'a> Body<'a> {
    pub fn new(response: &'a ResponseData) -> Body<'a> {
        Body {
            response,
            json: OnceCell::new(),
        }
    }

    /// The body as JSON, or why it is not JSON (naming the content type).
    pub fn json(&self) -> Result<&Value, &str> {
        self.json
            .get_or_init(|| {
                let r = self.response;
                let content_type = r.content_type().unwrap_or("none given");
                if let Some(why) = Body::only_part(r) {
                    return Err(format!("{why}: JSON checks need all of it"));
                }
                if r.body.is_empty() {
                    return Err(format!("the body is empty (content type {content_type})"));
                }
                serde_json::from_slice(&r.body)
                    .map_err(|e| format!("the body is not JSON (content type {content_type}; {e})"))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The body as text (invalid UTF-8 replaced); of a body held only in part
    /// ([`Body::only_part`]), that part.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.response.body)
    }

    /// Why only part of the body is here to check, if it is not all here: a body larger than
    /// the memory cap is on disk with its first part in memory; a stopped download is cut.
    pub fn only_part(r: &ResponseData) -> Option<String> {
        if let Some(spilled) = &r.spilled {
            return Some(format!(
                "only the first {} of the body is in memory (all {} of it is on disk, more than \
                 the memory cap: raise [body] memory_cap in the config file)",
                human_size(r.body.len() as u64),
                human_size(spilled.len())
            ));
        }
        r.stopped.then(|| {
            format!(
                "the body is cut: its download was stopped at {}",
                human_size(r.body.len() as u64)
            )
        })
    }
}

/// `text` from the response as a check shows it: secrets redacted first, then cut to
/// [`SHOWN`] characters (cut first, half a secret would escape the redactor).
fn shown(redactor: &Redactor, text: &str) -> String {
    cut(&redactor.redact_str(text), SHOWN)
}

/// Every check of `expect` against `body`, in the order: status, headers, JSON, body text,
/// time, schema; what the response held is shown with `redactor`'s secrets hidden.
pub fn evaluate(expect: &Expect, body: &Body<'_>, redactor: &Redactor) -> Vec<CheckResult> {
    let r = body.response;
    let mut out = Vec::with_capacity(expect.len());
    if !expect.status.is_empty() {
        out.push(CheckResult {
            subject: "status".into(),
            expected: expect
                .status
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" or "),
            actual: format!("{} {}", r.status, r.reason).trim_end().to_string(),
            passed: expect.status.iter().any(|s| s.matches(r.status)),
        });
    }
    for (name, want) in &expect.headers {
        let values: Vec<&str> = r
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        out.push(CheckResult {
            subject: format!("header {}", name.to_ascii_lowercase()),
            expected: want.describe(),
            actual: if values.is_empty() {
                "no such header".into()
            } else {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| redactor.redact_header(name, v))
                    .collect();
                format!("{:?}", shown(redactor, &values.join(", ")))
            },
            passed: want.test(&values),
        });
    }
    for (query, matcher) in &expect.json {
        let checks: Vec<(
            String,
            &ValueMatcher,
            Option<&crate::check::value::ValueCheck>,
        )> = match matcher {
            ValueMatcher::Equals(_) => vec![(matcher.describe(), matcher, None)],
            ValueMatcher::Checks(checks) => checks
                .iter()
                .map(|c| (c.describe(), matcher, Some(c)))
                .collect(),
        };
        let doc = body.json();
        for (expected, matcher, check) in checks {
            let subject = query.as_str().to_string();
            let (actual, passed) = match doc {
                Err(why) => (why.to_string(), false),
                Ok(doc) => {
                    let found = query.find(doc);
                    let value = found.value();
                    let outcome = match check {
                        Some(c) => c.test(value.as_deref()),
                        None => matcher.test(value.as_deref()),
                    };
                    match outcome {
                        Ok(()) => (
                            value.map_or_else(
                                || "nothing".to_string(),
                                |v| shown(redactor, &json_text(&v)),
                            ),
                            true,
                        ),
                        Err(actual) => (shown(redactor, &actual), false),
                    }
                }
            };
            out.push(CheckResult {
                subject,
                expected,
                actual,
                passed,
            });
        }
    }
    if !expect.body_contains.is_empty() || !expect.body_matches.is_empty() {
        let text = body.text();
        // Not found in the part held: whether it is in the rest is not known, and is said.
        let excerpt = || match Body::only_part(r) {
            Some(why) => format!("not in what was looked at: {why}"),
            None => format!("{:?}", excerpt(&text, 80, redactor)),
        };
        for needle in &expect.body_contains {
            let passed = text.contains(needle.as_str());
            out.push(CheckResult {
                subject: "body".into(),
                expected: format!("containing {needle:?}"),
                actual: if passed { "it does".into() } else { excerpt() },
                passed,
            });
        }
        for pattern in &expect.body_matches {
            let found = pattern.regex().find(&text);
            out.push(CheckResult {
                subject: "body".into(),
                expected: format!("matching /{}/", pattern.as_str()),
                actual: match found {
                    Some(m) => format!("{:?}", shown(redactor, m.as_str())),
                    None => excerpt(),
                },
                passed: found.is_some(),
            });
        }
    }
    if let Some(max) = expect.max_ms {
        let ms = r.elapsed.as_secs_f64() * 1000.0;
        out.push(CheckResult {
            subject: "time".into(),
            expected: format!("at most {max} ms"),
            actual: format!("{ms:.0} ms"),
            passed: ms <= max as f64,
        });
    }
    if let Some(schema) = &expect.schema {
        let expected = format!("valid against {}", schema.path.display());
        let (actual, passed) = match (&schema.validator, body.json()) {
            (None, _) => ("the schema was not loaded".to_string(), false),
            (_, Err(why)) => (why.to_string(), false),
            (Some(v), Ok(doc)) => {
                let errors: Vec<String> = v
                    .iter_errors(doc)
                    .take(3)
                    .map(|e| {
                        let at = e.instance_path().to_string();
                        let at = if at.is_empty() { "/".to_string() } else { at };
                        format!("at {at}: {}", shown(redactor, &e.to_string()))
                    })
                    .collect();
                if errors.is_empty() {
                    ("valid".to_string(), true)
                } else {
                    (errors.join("; "), false)
                }
            }
        };
        out.push(CheckResult {
            subject: "schema".into(),
            expected,
            actual,
            passed,
        });
    }
    out
}

/// The start of `text` on one line, at most `max` characters, secrets redacted: what a failed
/// check or step shows of a body. Only the start of a large body is looked at.
pub fn excerpt(text: &str, max: usize, redactor: &Redactor) -> String {
    if text.is_empty() {
        return "an empty body".into();
    }
    // Enough to fill `max` characters, plus the longest secret: one that starts in the part
    // shown is whole in the window, so it is redacted.
    let longest = redactor
        .secret_values()
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0);
    let window = crate::model::cut_len(text.as_bytes(), max * 4 + longest);
    let start = redactor.redact_str(&text[..window]);
    let one_line = start.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = cut(&one_line, max);
    if window < text.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}
