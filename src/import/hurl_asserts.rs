//! The response half of a Hurl entry as scout's checks: the `HTTP` line's status, response
//! headers, `[Asserts]` and an expected body become the request's `expect`; `[Captures]` its
//! `capture`. Hurl can say more than `expect` can (XPath, filters, negations, certificates…):
//! each such assert or capture is named in one dropped line, never silently lost.

use serde_json::Value;

use crate::check::{
    Capture, Expect, HeaderExpect, JsonQuery, JsonType, Pattern, StatusPattern, ValueCheck,
    ValueMatcher,
};
use crate::import::secrets::is_secret_header;

/// A response as read from the Hurl file (lines are 1-based).
#[derive(Debug, Default)]
pub(super) struct Response {
    pub line: usize,
    /// `HTTP`, or `HTTP/1.1` and the like: a version check.
    pub version: String,
    /// `None` for `HTTP *`.
    pub status: Option<u16>,
    pub headers: Vec<(usize, String, String)>,
    /// Name and the query as written (`jsonpath "$.id"`).
    pub captures: Vec<(usize, String, String)>,
    pub asserts: Vec<(usize, String)>,
    pub body: Option<(usize, super::Body)>,
}

/// What the response maps to.
pub(super) struct Mapped {
    pub expect: Option<Expect>,
    pub capture: Vec<(String, Capture)>,
}

/// Maps `r`; `entry` (`GET https://…`) names the entry in dropped lines.
pub(super) fn map(r: &Response, entry: &str, dropped: &mut Vec<String>) -> Mapped {
    let mut m = Mapper {
        expect: Expect::default(),
        json: Vec::new(),
        entry,
        dropped,
    };
    if r.version != "HTTP" {
        let line = format!("line {} ({entry})", r.line);
        m.dropped.push(format!(
            "{line}: the HTTP version check ({}) is not carried over",
            r.version
        ));
    }
    match r.status {
        // Three digits, but no status (`HTTP 740`): a collection's `expect` would not load.
        Some(code) if !(100..=599).contains(&code) => m.dropped.push(format!(
            "line {} ({entry}): status {code} is not an HTTP status (100 to 599); not checked",
            r.line
        )),
        status => m.expect.status.extend(status.map(StatusPattern::Code)),
    }
    for (line, name, value) in &r.headers {
        let what = format!("header `{name}: {value}`");
        if value.contains("{{") {
            m.drop(
                *line,
                &what,
                "compares with a variable, and expect values are literal",
            );
        } else {
            m.header(*line, &what, name, HeaderExpect::Equals(value.clone()));
        }
    }
    for (line, text) in &r.asserts {
        if let Err(why) = m.assert(*line, text) {
            m.drop(*line, &format!("assert `{text}`"), &why);
        }
    }
    if let Some((line, body)) = &r.body {
        m.body(*line, body);
    }
    let mut capture: Vec<(String, Capture)> = Vec::new();
    for (line, name, query) in &r.captures {
        let what = format!("capture `{name}: {query}`");
        if capture.iter().any(|(n, _)| n == name) {
            m.drop(*line, &what, "captures a name already captured above");
            continue;
        }
        match capture_of(query) {
            Ok(c) => capture.push((name.clone(), c)),
            Err(why) => m.drop(*line, &what, &why),
        }
    }
    let mut expect = m.expect;
    expect.json = m
        .json
        .into_iter()
        .map(|(query, mut checks)| match checks.as_slice() {
            [ValueCheck::Eq(_)] => match checks.remove(0) {
                ValueCheck::Eq(v) => (query, ValueMatcher::Equals(v)),
                other => (query, ValueMatcher::Checks(vec![other])),
            },
            _ => (query, ValueMatcher::Checks(checks)),
        })
        .collect();
    Mapped {
        expect: (expect != Expect::default()).then_some(expect),
        capture,
    }
}

struct Mapper<'a> {
    expect: Expect,
    /// Checks by path, merged: `expect.json` has one entry per path.
    json: Vec<(JsonQuery, Vec<ValueCheck>)>,
    entry: &'a str,
    dropped: &'a mut Vec<String>,
}

impl Mapper<'_> {
    fn drop(&mut self, line: usize, what: &str, why: &str) {
        self.dropped.push(format!(
            "line {line} ({}): {what} {why}; dropped",
            self.entry
        ));
    }

    fn header(&mut self, line: usize, what: &str, name: &str, want: HeaderExpect) {
        let compares_value = matches!(want, HeaderExpect::Equals(_) | HeaderExpect::Contains(_));
        if compares_value && is_secret_header(name) {
            self.drop(
                line,
                what,
                "compares a secret header's value, which would put it in the collection",
            );
        } else if self
            .expect
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            self.drop(
                line,
                what,
                "checks a header already checked (expect holds one check per header)",
            );
        } else {
            self.expect.headers.push((name.to_string(), want));
        }
    }

    /// One `[Asserts]` line; `Err` says why it cannot be carried over.
    fn assert(&mut self, line: usize, text: &str) -> Result<(), String> {
        let tokens = tokens(text)?;
        let (query, used) = query_of(&tokens)?;
        let start = tokens[used..]
            .iter()
            .position(|t| matches!(t, Token::Word(w) if PREDICATES.contains(&w.as_str())))
            .map(|i| i + used)
            .ok_or("has no predicate scout knows")?;
        let filters = &tokens[used..start];
        let count = matches!(filters, [Token::Word(w)] if w == "count");
        let counted = count && matches!(query, Query::Json(_));
        if !filters.is_empty() && !counted {
            return Err(format!(
                "uses the filter `{}`, which expect does not have",
                word(&filters[0])
            ));
        }
        let (not, rest) = match &tokens[start..] {
            [Token::Word(w), rest @ ..] if w == "not" => (true, rest),
            rest => (false, rest),
        };
        let [Token::Word(func), args @ ..] = rest else {
            return Err("has no predicate scout knows".into());
        };
        let func = deprecated(func);
        let arg = args.first();
        if args.len() > 1 {
            return Err("has more after its value than scout reads".into());
        }
        match query {
            Query::Status => match (not, func, arg.map(json_value).transpose()?) {
                (false, "==", Some(Value::Number(n))) => {
                    let code = n
                        .as_u64()
                        .and_then(|c| u16::try_from(c).ok())
                        .filter(|c| (100..=599).contains(c))
                        .ok_or("is not a status code")?;
                    let code = StatusPattern::Code(code);
                    match self.expect.status.as_slice() {
                        [] => self.expect.status.push(code),
                        [only] if *only == code => {}
                        _ => return Err("contradicts the status of the HTTP line".into()),
                    }
                    Ok(())
                }
                _ => Err("is a status check expect cannot say (only `status == N`)".into()),
            },
            Query::Header(name) => {
                let want = match (not, func, arg) {
                    (false, "exists", None) => HeaderExpect::Exists(true),
                    (true, "exists", None) => HeaderExpect::Exists(false),
                    (false, "==", Some(a)) => HeaderExpect::Equals(text_value(a)?),
                    (false, "contains", Some(a)) => HeaderExpect::Contains(text_value(a)?),
                    (false, "matches" | "startsWith" | "endsWith", Some(a)) => {
                        HeaderExpect::Matches(pattern(func, a)?)
                    }
                    _ => return Err("is a header check expect cannot say".into()),
                };
                self.header(line, &format!("assert `{text}`"), &name, want);
                Ok(())
            }
            Query::Json(path) => {
                let check = json_check(not, func, arg)?;
                let check = if count {
                    let len = match check {
                        ValueCheck::Eq(v) => ValueMatcher::Equals(v),
                        c @ (ValueCheck::Gt(_)
                        | ValueCheck::Ge(_)
                        | ValueCheck::Lt(_)
                        | ValueCheck::Le(_)) => ValueMatcher::Checks(vec![c]),
                        _ => return Err("is a count check expect cannot say".into()),
                    };
                    ValueCheck::Len(Box::new(len))
                } else {
                    check
                };
                self.json_check(&path, check)
            }
            Query::Body => {
                match (not, func, arg) {
                    (false, "contains", Some(a)) => self.expect.body_contains.push(text_value(a)?),
                    (false, "==" | "matches" | "startsWith" | "endsWith", Some(a)) => {
                        let p = if func == "==" {
                            Pattern::parse(&format!("^{}$", regex::escape(&text_value(a)?)))?
                        } else {
                            pattern(func, a)?
                        };
                        self.expect.body_matches.push(p);
                    }
                    _ => return Err("is a body check expect cannot say".into()),
                }
                Ok(())
            }
            Query::Regex(re) => match (not, func) {
                (false, "exists") => {
                    self.expect.body_matches.push(Pattern::parse(&re)?);
                    Ok(())
                }
                _ => Err("checks a regex capture, which expect cannot say (only `exists`)".into()),
            },
            Query::Duration => {
                let ms = arg.map(json_value).transpose()?.and_then(|v| v.as_u64());
                let max = match (not, func, ms) {
                    (false, "<", Some(n)) if n > 1 => n - 1,
                    (false, "<=", Some(n)) if n > 0 => n,
                    _ => {
                        return Err(
                            "is a duration check expect cannot say (only `<` or `<=` N)".into()
                        );
                    }
                };
                if self.expect.max_ms.is_some_and(|m| m != max) {
                    return Err("checks the duration a second time".into());
                }
                self.expect.max_ms = Some(max);
                Ok(())
            }
        }
    }

    /// Adds `check` to those on `path`; one check of each kind per path.
    fn json_check(&mut self, path: &str, check: ValueCheck) -> Result<(), String> {
        let query = JsonQuery::parse(path)?;
        let i = match self.json.iter().position(|(q, _)| *q == query) {
            Some(i) => i,
            None => {
                self.json.push((query, Vec::new()));
                self.json.len() - 1
            }
        };
        let checks = &mut self.json[i].1;
        if checks
            .iter()
            .any(|c| std::mem::discriminant(c) == std::mem::discriminant(&check))
        {
            return Err(format!(
                "is a second check of this kind on {path} (expect holds one)"
            ));
        }
        checks.push(check);
        Ok(())
    }

    /// The expected body after the status line and sections.
    fn body(&mut self, line: usize, body: &super::Body) {
        use super::Body;
        let what = "the expected body";
        let text = match body {
            Body::Json(t) | Body::Xml(t) | Body::Text(t) | Body::GraphQl(t) => t,
            Body::Base64(_) | Body::Hex(_) | Body::File(_) => {
                return self.drop(
                    line,
                    what,
                    "is bytes or a file, which expect cannot compare",
                );
            }
        };
        if text.contains("{{") {
            return self.drop(line, what, "holds variables, and expect values are literal");
        }
        match (body, serde_json::from_str::<Value>(text)) {
            (Body::Json(_), Ok(v)) => match JsonQuery::parse("$") {
                Ok(root) => self.json.push((root, vec![ValueCheck::Eq(v)])),
                Err(why) => self.drop(line, what, &why),
            },
            _ => match Pattern::parse(&format!("^{}$", regex::escape(text))) {
                Ok(p) => self.expect.body_matches.push(p),
                Err(_) => self.drop(line, what, "is too large to compare"),
            },
        }
    }
}

/// The predicates Hurl has (and `not`), deprecated spellings included.
const PREDICATES: [&str; 33] = [
    "not",
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "startsWith",
    "endsWith",
    "contains",
    "includes",
    "matches",
    "exists",
    "isBoolean",
    "isCollection",
    "isDate",
    "isEmpty",
    "isFloat",
    "isInteger",
    "isIsoDate",
    "isList",
    "isNumber",
    "isObject",
    "isString",
    "isIpv4",
    "isIpv6",
    "isUuid",
    "equals",
    "notEquals",
    "greaterThan",
    "greaterThanOrEquals",
    "lessThan",
    "lessThanOrEquals",
];

/// `equals` → `==` and the like.
fn deprecated(func: &str) -> &str {
    match func {
        "equals" => "==",
        "notEquals" => "!=",
        "greaterThan" => ">",
        "greaterThanOrEquals" => ">=",
        "lessThan" => "<",
        "lessThanOrEquals" => "<=",
        other => other,
    }
}

/// A check on a JSON value, from a predicate.
fn json_check(not: bool, func: &str, arg: Option<&Token>) -> Result<ValueCheck, String> {
    let number = |a: Option<&Token>| -> Result<f64, String> {
        a.map(json_value)
            .transpose()?
            .and_then(|v| v.as_f64())
            .ok_or_else(|| "compares with something that is not a number".to_string())
    };
    let ty = |t| Ok(ValueCheck::Type(t));
    match (not, func) {
        (false, "exists") => Ok(ValueCheck::Exists(true)),
        (true, "exists") => Ok(ValueCheck::Exists(false)),
        (false, "==") => Ok(ValueCheck::Eq(json_value(arg.ok_or("has no value")?)?)),
        (false, ">") => Ok(ValueCheck::Gt(number(arg)?)),
        (false, ">=") => Ok(ValueCheck::Ge(number(arg)?)),
        (false, "<") => Ok(ValueCheck::Lt(number(arg)?)),
        (false, "<=") => Ok(ValueCheck::Le(number(arg)?)),
        (false, "contains" | "includes") => Ok(ValueCheck::Contains(json_value(
            arg.ok_or("has no value")?,
        )?)),
        (false, "matches" | "startsWith" | "endsWith") => Ok(ValueCheck::Matches(pattern(
            func,
            arg.ok_or("has no value")?,
        )?)),
        (false, "isEmpty") => Ok(ValueCheck::Len(Box::new(ValueMatcher::Equals(0.into())))),
        (true, "isEmpty") => Ok(ValueCheck::Len(Box::new(ValueMatcher::Checks(vec![
            ValueCheck::Gt(0.0),
        ])))),
        (false, "isString") => ty(JsonType::String),
        (false, "isInteger") => ty(JsonType::Integer),
        // Looser than Hurl's (an integer passes too), never stricter.
        (false, "isFloat" | "isNumber") => ty(JsonType::Number),
        (false, "isBoolean") => ty(JsonType::Boolean),
        (false, "isList") => ty(JsonType::Array),
        (false, "isObject") => ty(JsonType::Object),
        (true, _) => Err("is a negated check, which expect cannot say".into()),
        (false, "!=") => Err("is an inequality, which expect cannot say".into()),
        (false, other) => Err(format!("uses `{other}`, which expect does not have")),
    }
}

/// `matches` (a regex), `startsWith`/`endsWith` (text) as a pattern.
fn pattern(func: &str, arg: &Token) -> Result<Pattern, String> {
    let text = match (func, arg) {
        ("matches", Token::Regex(r)) => r.clone(),
        ("matches", a) => text_value(a)?,
        ("startsWith", a) => format!("^{}", regex::escape(&text_value(a)?)),
        (_, a) => format!("{}$", regex::escape(&text_value(a)?)),
    };
    Pattern::parse(&text)
}

/// A `[Captures]` query as a capture.
fn capture_of(text: &str) -> Result<Capture, String> {
    let mut tokens = tokens(text)?;
    // `redact` hides the value in Hurl's reports; scout hides secret-looking captures itself.
    if matches!(tokens.last(), Some(Token::Word(w)) if w == "redact") {
        tokens.pop();
    }
    let (query, used) = query_of(&tokens)?;
    if let Some(filter) = tokens.get(used) {
        return Err(format!(
            "uses the filter `{}`, which capture does not have",
            word(filter)
        ));
    }
    match query {
        Query::Status => Ok(Capture::Status),
        Query::Header(h) => Ok(Capture::Header(h)),
        Query::Json(path) => Ok(Capture::Json(JsonQuery::parse(&path)?)),
        Query::Regex(re) => {
            let pattern = Pattern::parse(&re)?;
            let group = usize::from(pattern.regex().captures_len() > 1);
            Ok(Capture::Regex { pattern, group })
        }
        Query::Body | Query::Duration => Err(
            "takes a value capture cannot (it reads JSONPath, a header, a regex or the status)"
                .into(),
        ),
    }
}

/// The queries expect and capture can read.
enum Query {
    Status,
    Header(String),
    Json(String),
    Body,
    Regex(String),
    Duration,
}

/// The query at the start of `tokens`, and how many tokens it took.
fn query_of(tokens: &[Token]) -> Result<(Query, usize), String> {
    let name = match tokens.first() {
        Some(Token::Word(w)) => w.as_str(),
        _ => return Err("does not start with a query".into()),
    };
    let arg = match tokens.get(1) {
        Some(Token::Str(s)) => Some(s.clone()),
        Some(Token::Regex(r)) if name == "regex" => Some(r.clone()),
        _ => None,
    };
    let need = |q: fn(String) -> Query| {
        arg.clone()
            .map(|a| (q(a), 2))
            .ok_or_else(|| format!("has `{name}` without its quoted argument"))
    };
    match name {
        "status" => Ok((Query::Status, 1)),
        "body" => Ok((Query::Body, 1)),
        "duration" => Ok((Query::Duration, 1)),
        "header" => need(Query::Header),
        "jsonpath" => need(Query::Json),
        "regex" => need(Query::Regex),
        "xpath" => Err("reads XPath, which scout does not".into()),
        "cookie" => Err("reads a response cookie, which scout does not check".into()),
        other => Err(format!("reads `{other}`, which scout does not check")),
    }
}

/// A word of a query or predicate line.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `"…"` or `` `…` ``, escapes decoded.
    Str(String),
    /// `/…/`.
    Regex(String),
    /// Anything else: a name, an operator, a number, `true`, a `{{template}}`.
    Word(String),
}

fn word(t: &Token) -> String {
    match t {
        Token::Word(w) => w.clone(),
        Token::Str(s) => format!("{s:?}"),
        Token::Regex(r) => format!("/{r}/"),
    }
}

/// A predicate's value as JSON.
fn json_value(t: &Token) -> Result<Value, String> {
    let template = || Err("compares with a variable, and expect values are literal".to_string());
    match t {
        Token::Str(s) if s.contains("{{") => template(),
        Token::Str(s) => Ok(Value::String(s.clone())),
        Token::Regex(_) => Err("compares with a regex where a value is needed".into()),
        Token::Word(w) if w.starts_with("{{") => template(),
        Token::Word(w) => match w.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" => Ok(Value::Null),
            _ => w
                .parse::<i64>()
                .map(Value::from)
                .ok()
                .or_else(|| {
                    w.parse::<f64>()
                        .ok()
                        .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
                })
                .ok_or_else(|| format!("compares with `{w}`, which expect cannot")),
        },
    }
}

/// A predicate's value as text (a string).
fn text_value(t: &Token) -> Result<String, String> {
    match json_value(t)? {
        Value::String(s) => Ok(s),
        other => Err(format!("compares text with {other}")),
    }
}

/// The words of an assert or capture line; a `#` outside quotes starts a comment.
fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            _ if c.is_whitespace() => {
                chars.next();
            }
            '#' => break,
            '"' | '`' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err(format!("has an unclosed {c}")),
                        Some((_, x)) if x == c => break,
                        Some((_, '\\')) => s.push(super::escaped(&mut chars)?),
                        Some((_, x)) => s.push(x),
                    }
                }
                out.push(Token::Str(s));
            }
            '/' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err("has an unclosed /regex/".into()),
                        Some((_, '/')) => break,
                        Some((_, '\\')) if chars.peek().is_some_and(|(_, x)| *x == '/') => {
                            chars.next();
                            s.push('/');
                        }
                        Some((_, '\\')) => s.push('\\'),
                        Some((_, x)) => s.push(x),
                    }
                }
                out.push(Token::Regex(s));
            }
            _ => {
                let rest = &text[i..];
                let len = if let Some(op) = ["==", "!=", ">=", "<=", ">", "<"]
                    .into_iter()
                    .find(|op| rest.starts_with(op))
                {
                    op.len()
                } else if rest.starts_with("{{") {
                    rest.find("}}").map_or(rest.len(), |e| e + 2)
                } else {
                    rest.find(char::is_whitespace).unwrap_or(rest.len())
                };
                out.push(Token::Word(rest[..len].to_string()));
                while chars.peek().is_some_and(|&(j, _)| j < i + len) {
                    chars.next();
                }
            }
        }
    }
    Ok(out)
}
