//! A filter over a JSON body: a jq program (run by jaq, with jq's standard definitions), or with a
//! leading `$` an RFC 9535 JSONPath (as captures use). Compiled once with [`Filter::parse`], whose
//! error says where the text is wrong; then [`Filter::run`] on as many documents as needed.
//!
//! jaq works on its own value type, so a jq run converts the document (linear in its size, no
//! other copy) and converts back only what the program outputs. Freeing that copy of a large
//! document takes longer than making it, so it is freed on a thread of its own, after the run.
//! A [`Prepared`] document keeps its copy for the next filter (a filter typed key by key).

use std::fmt;
use std::sync::OnceLock;

use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, DataT, Lut, Vars, compile};
use jaq_json::{Num, Val};
use serde_json::{Map, Number, Value};
use serde_json_path::JsonPath;
use unicode_width::UnicodeWidthStr;

/// Runtime messages quote values (`cannot index {…} with 0`); past this many characters a message
/// is cut, so a 13 MB document does not become a 13 MB message.
const MESSAGE_LIMIT: usize = 300;

/// Results nested deeper than this are refused rather than converted (the conversion recurses).
const MAX_DEPTH: usize = 1024;

/// jaq copies with more values than this are freed on a thread of their own (about 1 MB of JSON).
const FREE_APART: usize = 50_000;
/// The same, for a copy read from JSON text of more bytes than this.
const FREE_APART_BYTES: usize = 1 << 20;

/// A compiled filter: jq, or JSONPath when the text starts with `$`.
pub struct Filter {
    text: String,
    program: Program,
}

enum Program {
    Jq(jaq_core::Filter<Json>),
    Path(JsonPath),
}

/// Why a filter could not be compiled or run. `at` is the position in the filter's text, in
/// characters from 0, when the problem has one (syntax and undefined names; not runtime errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
    pub at: Option<usize>,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            // People count columns from 1.
            Some(at) => write!(f, "error at character {}: {}", at + 1, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for FilterError {}

impl FilterError {
    fn runtime(message: impl Into<String>) -> FilterError {
        FilterError {
            message: message.into(),
            at: None,
        }
    }

    /// `expr` and, under it, a caret at the error's position (in terminal cells), for a message
    /// that shows where; `None` when the error has no position.
    pub fn pointer(&self, expr: &str) -> Option<String> {
        let at = self.at?;
        let before: String = expr.chars().take(at).collect();
        let pad = " ".repeat(before.width());
        Some(format!("{expr}\n{pad}^"))
    }
}

impl Filter {
    /// Compiles `text`: JSONPath when it starts with `$`, else jq (blank is `.`, as in jq).
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let program = if text.trim_start().starts_with('$') {
            Program::Path(parse_path(text)?)
        } else if text.trim().is_empty() {
            Program::Jq(parse_jq(".")?)
        } else {
            Program::Jq(parse_jq(text)?)
        };
        Ok(Filter {
            text: text.to_string(),
            program,
        })
    }

    /// The text it was compiled from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is a JSONPath (else jq).
    pub fn is_json_path(&self) -> bool {
        matches!(self.program, Program::Path(_))
    }

    /// The outputs of the filter on `doc`: jq's stream of values, or the JSONPath's node list.
    /// Empty when nothing matched. A runtime error (`.a | keys` on a number) has no position.
    pub fn run(&self, doc: &Value) -> Result<Vec<Value>, FilterError> {
        match &self.program {
            Program::Path(path) => Ok(path.query(doc).all().into_iter().cloned().collect()),
            Program::Jq(filter) => {
                let mut values = 0;
                let input = to_val(doc, &mut values);
                // The run holds its own reference, so the copy is freed below, not during it.
                let outputs = run_jq(filter, input.clone());
                free(input, values > FREE_APART);
                outputs
            }
        }
    }

    /// [`run`](Self::run) on a prepared document: jq uses the copy made by an earlier run.
    pub fn run_prepared(&self, doc: &Prepared) -> Result<Vec<Value>, FilterError> {
        match &self.program {
            Program::Path(_) => self.run(doc.json()),
            Program::Jq(filter) => run_jq(filter, doc.jq().clone()),
        }
    }
}

/// A JSON document to run several filters on, in the form each kind of filter reads: a
/// JSONPath reads serde_json's, jq reads jaq's. Each is made on the first filter of its kind and
/// kept (for 13 MB of JSON, making it takes about as long as the filter). Made from the JSON text
/// ([`Prepared::from_text`]), each is read from the text, so typing one kind of filter holds one
/// form: 50 MB of JSON is about 0.75 GB in either, 1.4 GB in both.
pub struct Prepared {
    /// The JSON text the forms are read from, when it was given as text.
    text: Option<bytes::Bytes>,
    json: OnceLock<Value>,
    /// jaq's form, and whether it is large enough to be freed on a thread of its own.
    jq: OnceLock<(Val, bool)>,
}

impl Prepared {
    pub fn new(json: Value) -> Prepared {
        Prepared {
            text: None,
            json: OnceLock::from(json),
            jq: OnceLock::new(),
        }
    }

    /// `text`, which [`check_body`] found to be JSON.
    pub fn from_text(text: bytes::Bytes) -> Prepared {
        Prepared {
            text: Some(text),
            json: OnceLock::new(),
            jq: OnceLock::new(),
        }
    }

    pub fn json(&self) -> &Value {
        self.json.get_or_init(|| {
            let text = self.text.as_deref().unwrap_or_default();
            parse_body(text).unwrap_or(Value::Null)
        })
    }

    fn jq(&self) -> &Val {
        &self
            .jq
            .get_or_init(|| match &self.text {
                Some(text) => {
                    let val = read_body(text, |many: Vec<Val>| many.into_iter().collect());
                    (val.unwrap_or(Val::Null), text.len() > FREE_APART_BYTES)
                }
                None => {
                    let mut values = 0;
                    let val = to_val(self.json(), &mut values);
                    (val, values > FREE_APART)
                }
            })
            .0
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        if let Some((val, apart)) = self.jq.take() {
            free(val, apart);
        }
    }
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("jq_ready", &self.jq.get().is_some())
            .finish_non_exhaustive()
    }
}

/// Frees jaq's copy of a document: on a thread of its own when it is large (`apart`), so the
/// caller does not wait for millions of frees; here if that thread cannot start.
fn free(val: Val, apart: bool) {
    if apart {
        let _ = std::thread::Builder::new()
            .name("scout-free".into())
            .spawn(move || {
                drop(val);
                crate::memory::give_back();
            });
    }
}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Filter({:?})", self.text)
    }
}

/// `body` as JSON, or what is wrong with it, saying that a filter needs JSON. Several values one
/// after another (JSON Lines, NDJSON) are one array of them.
pub fn parse_body(body: &[u8]) -> Result<Value, String> {
    read_body(body, Value::Array)
}

/// Whether `body` is JSON as [`parse_body`] reads it (with its message when not), without
/// building it: the first check of a large body, before [`Prepared::from_text`].
pub fn check_body(body: &[u8]) -> Result<(), String> {
    read_body(body, |_| serde::de::IgnoredAny).map(drop)
}

/// `body` read as a `T`, or several `T`s one after another made one by `many`.
fn read_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    many: impl FnOnce(Vec<T>) -> T,
) -> Result<T, String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("the body is empty; a filter works on JSON".to_string());
    }
    serde_json::from_slice(body).or_else(|first| {
        let values: Result<Vec<T>, _> = serde_json::Deserializer::from_slice(body)
            .into_iter()
            .collect();
        match values {
            Ok(values) if values.len() > 1 => Ok(many(values)),
            _ => Err(format!(
                "the body is not JSON ({first}); a filter works on JSON"
            )),
        }
    })
}

// ---------------------------------------------------------------------------------------------------
// JSONPath

/// `text` as a JSONPath; spaces around it are allowed (RFC 9535 allows none).
fn parse_path(text: &str) -> Result<JsonPath, FilterError> {
    let lead = text.len() - text.trim_start().len();
    crate::model::json_path::parse(text.trim()).map_err(|e| FilterError {
        // The crate's message is often just "parser error", which adds nothing.
        message: match e.message() {
            "parser error" | "" => "not a valid JSONPath (RFC 9535)".to_string(),
            why => format!("not a valid JSONPath (RFC 9535): {why}"),
        },
        // The crate reports a byte offset.
        at: Some(char_offset(text, lead + e.position())),
    })
}

// ---------------------------------------------------------------------------------------------------
// jq (jaq)

/// What scout's jq programs run on: jaq's JSON values, with nothing but the program as data.
struct Json;

impl DataT for Json {
    type V<'a> = Val;
    type Data<'a> = &'a Lut<Json>;
}

fn parse_jq(text: &str) -> Result<jaq_core::Filter<Json>, FilterError> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    // No module reader: `include`/`import` fail ("module loading not supported"), so a filter
    // never reads files.
    let arena = Arena::default();
    let file = File {
        code: text,
        path: (),
    };
    let modules = Loader::new(defs)
        .load(&arena, file)
        .map_err(|errs| load_error(text, errs))?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| compile_error(text, errs))
}

/// The first of the loader's errors (lexing, parsing, a module), with its position.
fn load_error(text: &str, errs: load::Errors<&str, ()>) -> FilterError {
    let Some((_, err)) = errs.into_iter().next() else {
        return FilterError::runtime("the filter could not be read");
    };
    let (message, part) = match err {
        load::Error::Lex(errs) => match errs.into_iter().next() {
            Some((expect, part)) => (lex_message(&expect, part), Some(part)),
            None => ("the filter could not be read".to_string(), None),
        },
        load::Error::Parse(errs) => match errs.into_iter().next() {
            Some((expect, found)) => {
                let what = if found.is_empty() {
                    "the end of the filter".to_string()
                } else {
                    format!("`{found}`")
                };
                (
                    format!("expected {}, found {what}", expect.as_str()),
                    Some(found),
                )
            }
            None => ("the filter could not be parsed".to_string(), None),
        },
        load::Error::Io(errs) => match errs.into_iter().next() {
            Some((path, why)) => (format!("cannot load module `{path}`: {why}"), Some(path)),
            None => ("a module could not be loaded".to_string(), None),
        },
    };
    FilterError {
        message,
        at: part.and_then(|part| offset_in(text, part)),
    }
}

/// What the lexer expected, in words. Its own `as_str` panics on a delimiter it does not name.
fn lex_message(expect: &load::lex::Expect<&str>, part: &str) -> String {
    use load::lex::Expect;
    match expect {
        Expect::Delim(open) => format!("`{open}` is not closed"),
        Expect::Token => match part.chars().next() {
            Some(c) => format!("unexpected character `{c}`"),
            None => "unexpected end of the filter".to_string(),
        },
        Expect::Escape => "unknown escape sequence in a string".to_string(),
        other => format!("expected {}", other.as_str()),
    }
}

/// The first undefined name the compiler found, with its position.
fn compile_error(text: &str, errs: compile::Errors<&str, ()>) -> FilterError {
    let first = errs.into_iter().flat_map(|(_, errs)| errs).next();
    let Some((name, undefined)) = first else {
        return FilterError::runtime("the filter could not be compiled");
    };
    let message = match undefined {
        compile::Undefined::Filter(arity) => format!("`{name}/{arity}` is not defined"),
        other => format!("{} `{name}` is not defined", other.as_str()),
    };
    FilterError {
        message,
        at: offset_in(text, name),
    }
}

/// Runs a jq program. A panic inside jaq (found by fuzzing: `gmtime` on an epoch past
/// ±9·10¹² s overflows in jaq-std, which panics where overflow is checked) is this run's error,
/// so `scout send --filter` never ends in a panic.
fn run_jq(filter: &jaq_core::Filter<Json>, input: Val) -> Result<Vec<Value>, FilterError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_jq_outputs(filter, input)
    }))
    .unwrap_or_else(|panic| {
        Err(FilterError::runtime(format!(
            "the filter failed inside jaq, the jq engine: {}",
            crate::fault::panic_message(&*panic)
        )))
    })
}

/// Runs `filter` on `input`, collecting its outputs. `halt` ends the stream (jq's `halt` exits
/// with what was printed); `halt_error` is an error.
fn run_jq_outputs(filter: &jaq_core::Filter<Json>, input: Val) -> Result<Vec<Value>, FilterError> {
    let ctx = Ctx::<Json>::new(&filter.lut, Vars::new([]));
    let mut outputs = Vec::new();
    for output in filter.id.run((ctx, input)) {
        match output {
            Ok(val) => outputs.push(from_val(&val, 0)?),
            // Not `jaq_core::unwrap_valr`: it ends the process on `halt`.
            Err(exn) => match exn.get_err() {
                Ok(err) => return Err(FilterError::runtime(error_text(err.into_val()))),
                Err(exn) => match exn.get_halt() {
                    Ok(0) => break,
                    Ok(code) => {
                        return Err(FilterError::runtime(format!(
                            "the filter stopped with halt_error (exit code {code})"
                        )));
                    }
                    Err(_) => {
                        return Err(FilterError::runtime("the filter broke out of no label"));
                    }
                },
            },
        }
    }
    Ok(outputs)
}

/// An error's value as a message: a string as it is (`error("no id")`), anything else as JSON;
/// cut at [`MESSAGE_LIMIT`] characters.
fn error_text(val: Val) -> String {
    let text = match &val {
        Val::TStr(b) | Val::BStr(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_string(),
    };
    match text.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

// ---------------------------------------------------------------------------------------------------
// Positions

/// Where `part` (a slice of `whole`) starts in `whole`, in characters; `None` if it is not a
/// slice of it (an error in jq's own definitions).
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start <= whole.len()).then(|| char_offset(whole, start))
}

/// Byte offset `byte` of `text` in characters (clamped to the text, rounded down to a character).
fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

// ---------------------------------------------------------------------------------------------------
// serde_json::Value ⇄ jaq's Val

/// `doc` as jaq's value: every string and container copied once, object order kept; `values`
/// counts the values made.
fn to_val(doc: &Value, values: &mut usize) -> Val {
    *values += 1;
    match doc {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(to_num(n)),
        Value::String(s) => str_val(s),
        Value::Array(items) => items.iter().map(|v| to_val(v, values)).collect(),
        Value::Object(map) => Val::obj(
            map.iter()
                .map(|(k, v)| (str_val(k), to_val(v, values)))
                .collect(),
        ),
    }
}

fn str_val(s: &str) -> Val {
    Val::utf8_str(bytes::Bytes::copy_from_slice(s.as_bytes()))
}

fn to_num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::from_integral(i)
    } else if let Some(u) = n.as_u64() {
        Num::from_integral(u)
    } else {
        Num::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// An output of jaq as JSON. Byte strings become text (invalid UTF-8 replaced); object keys that
/// are not strings (jaq allows them) become their JSON text.
fn from_val(val: &Val, depth: usize) -> Result<Value, FilterError> {
    if depth > MAX_DEPTH {
        return Err(FilterError::runtime(format!(
            "the result is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(match val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(n) => from_num(n),
        Val::TStr(b) | Val::BStr(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
        Val::Arr(items) => Value::Array(
            items
                .iter()
                .map(|v| from_val(v, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Val::Obj(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map.iter() {
                let key = match k {
                    Val::TStr(b) | Val::BStr(b) => String::from_utf8_lossy(b).into_owned(),
                    other => other.to_string(),
                };
                out.insert(key, from_val(v, depth + 1)?);
            }
            Value::Object(out)
        }
    })
}

/// A jaq number as JSON: integers exactly when they fit 64 bits; NaN is `null` and infinities
/// the largest finite numbers, as jq prints them.
fn from_num(n: &Num) -> Value {
    let float = |f: f64| {
        let f = if f.is_infinite() {
            f.signum() * f64::MAX
        } else {
            f
        };
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    };
    match n {
        Num::Int(i) => Value::Number(Number::from(i64::try_from(*i).unwrap_or(i64::MAX))),
        Num::Float(f) => float(*f),
        // Big integers and decimal literals: as written when JSON can hold them, else a float.
        other => {
            let text = other.to_string();
            if let Ok(i) = text.parse::<i64>() {
                Value::Number(i.into())
            } else if let Ok(u) = text.parse::<u64>() {
                Value::Number(u.into())
            } else {
                float(text.parse::<f64>().unwrap_or(f64::NAN))
            }
        }
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
