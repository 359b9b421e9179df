//! Resolving templates against layered scopes.
//!
//! `{{name}}` is looked up, most specific first, in values given for the run (`--var`), values
//! set while running (captured from responses, a step's `vars`), the selected environment, then
//! the collection's `[vars]`. `{{env.NAME}}` is looked up in the
//! [`EnvSource`]. Environment and `[vars]` values are templates themselves and are resolved
//! recursively; given values, run values, `env.*` values and prompt answers are taken literally (a value
//! from outside must never be able to smuggle in `{{env.SECRET}}`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::env_source::EnvSource;
use super::error::{MAX_DEPTH, MAX_LEN, TemplateError};
use super::parse::{Placeholder, Segment, parse, placeholders};
use crate::model::{BodyKind, RequestSpec};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Given for this run (`--var NAME=VALUE`).
    Given,
    /// The selected environment, by name.
    Environment(String),
    Collection,
    /// A value scout provides itself for `env.*` (e.g. `SCOUT_DEMO_URL`).
    Injected,
    ProcessEnv,
    DotEnv,
    /// An answer typed at a prompt, by its key (see [`TemplateError::NeedsPrompt`]).
    Prompt(String),
    /// A value set while running: captured from a response, or a run step's own `vars`; says
    /// where (`captured by create-item`).
    Run(String),
}

impl Layer {
    /// `env.*` sources and prompts carry secrets; scout's own values (the demo server's
    /// address) do not.
    pub fn is_secret(&self) -> bool {
        matches!(self, Layer::ProcessEnv | Layer::DotEnv | Layer::Prompt(_))
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Given => f.write_str("given for this run (--var)"),
            Layer::Environment(name) => write!(f, "the `{name}` environment"),
            Layer::Collection => f.write_str("the collection's [vars]"),
            Layer::Injected => f.write_str("scout's built-in values"),
            Layer::ProcessEnv => f.write_str("the process environment"),
            Layer::DotEnv => f.write_str("the .env file"),
            Layer::Prompt(key) => write!(f, "the prompt for {key}"),
            Layer::Run(from) => f.write_str(from),
        }
    }
}

/// One variable a resolution used. `value` is fully resolved; `secret` is true when the value
/// came from, or contains anything from, a secret layer — redact such values before showing
/// or storing them. `Debug` hides secret values.
#[derive(Clone, PartialEq, Eq)]
pub struct UsedVar {
    /// As written between the braces: `token`, `env.TOKEN`, or `prompt` (see [`Layer::Prompt`]).
    pub name: String,
    pub layer: Layer,
    pub secret: bool,
    pub value: String,
}

impl fmt::Debug for UsedVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.secret {
            &"<secret>"
        } else {
            &self.value
        };
        f.debug_struct("UsedVar")
            .field("name", &self.name)
            .field("layer", &self.layer)
            .field("secret", &self.secret)
            .field("value", value)
            .finish()
    }
}

/// Resolved text and the variables that went into it (each once, in the order finished).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub text: String,
    pub used: Vec<UsedVar>,
}

/// A value set while running (see [`Layer::Run`]): taken literally, like `--var`.
#[derive(Clone, PartialEq, Eq)]
pub struct RunValue {
    pub value: String,
    /// Redacted wherever it shows (a captured token).
    pub secret: bool,
    /// Where it comes from: `captured by create-item`, `the step's vars`.
    pub from: String,
}

impl fmt::Debug for RunValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.secret {
            &"<secret>"
        } else {
            &self.value
        };
        f.debug_struct("RunValue")
            .field("value", value)
            .field("from", &self.from)
            .finish()
    }
}

/// Everything `{{…}}` can refer to, in lookup order.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Values given for this run: `--var NAME=VALUE` (literal).
    pub given: BTreeMap<String, String>,
    /// Values set while running: captured from earlier responses, a step's `vars` (literal).
    pub run: BTreeMap<String, RunValue>,
    /// The selected environment: its name and variables (templates).
    pub environment: Option<(String, BTreeMap<String, String>)>,
    /// The collection's `[vars]` (templates).
    pub collection_vars: BTreeMap<String, String>,
    /// `{{env.NAME}}` lookups.
    pub env_source: EnvSource,
    /// Answers to prompts, keyed as [`TemplateError::NeedsPrompt`] names them. In memory only.
    pub prompted: BTreeMap<String, String>,
}

impl Scope {
    /// Resolves every placeholder in `text`; a `{{prompt}}` written in it is keyed `the text`.
    pub fn resolve(&self, text: &str) -> Result<Resolved, TemplateError> {
        self.resolve_at(text, "the text")
    }

    /// Resolves every placeholder in `text`, which sits at `site` (`auth profile `ci` ›
    /// password`): a `{{prompt}}` written directly in it is asked for, and answered, there.
    pub fn resolve_at(&self, text: &str, site: &str) -> Result<Resolved, TemplateError> {
        let mut resolver = Resolver::new(self);
        resolver.site = site.to_string();
        let (text, _) = resolver.text(text)?;
        Ok(Resolved {
            text,
            used: resolver.used,
        })
    }

    /// The placeholders written in `text` (as `token`, `env.TOKEN`) that would fail to
    /// resolve — undefined, in a cycle, or with a broken value — each once, in order. For
    /// highlighting; pending prompts and malformed `{{…}}` are not listed (see `spans`).
    pub fn unresolved(&self, text: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, placeholder) in placeholders(text) {
            let name = placeholder.name();
            if names.contains(&name) {
                continue;
            }
            match Resolver::new(self).placeholder(&placeholder) {
                Err(e) if !matches!(e, TemplateError::NeedsPrompt { .. }) => names.push(name),
                _ => {}
            }
        }
        names
    }

    /// Resolves the URL (with its query), enabled headers' names and values, and the body
    /// (unless the body kind is `None`) of the request `request` (its `folder/id`, or empty for
    /// one that is not saved). Disabled headers are left as written. Errors say which field
    /// failed; use [`TemplateError::root`] to match on the cause. A `{{prompt}}` written
    /// directly in a field is keyed by that field of that request (``header `X-Secret` of
    /// items/get``), so it is asked for there and its answer goes nowhere else.
    pub fn resolve_spec(
        &self,
        spec: &RequestSpec,
        request: &str,
    ) -> Result<(RequestSpec, Vec<UsedVar>), TemplateError> {
        let mut resolver = Resolver::new(self);
        resolver.request = request.to_string();
        let mut out = spec.clone();
        // Query keys and values with templates resolve one by one and are encoded after, so a
        // value holding `&`, `=` or `#` stays one value; the other parameters are sent exactly as
        // written (`?flag` stays `flag`, `a+b` stays `a+b`).
        out.url = match spec.url.split_once('?') {
            None => resolver.field(&spec.url, "the URL".to_string())?,
            Some((base, rest)) => {
                let mut url = resolver.field(base, "the URL".to_string())?;
                let (query, fragment) = match rest.split_once('#') {
                    Some((q, f)) => (q, Some(f)),
                    None => (rest, None),
                };
                let mut parts = Vec::new();
                for part in query.split('&') {
                    if !part.contains("{{") {
                        parts.push(part.to_string());
                        continue;
                    }
                    for row in crate::model::parse_query(&format!("?{part}")) {
                        let key =
                            resolver.field(&row.key, format!("query parameter `{}`", row.key))?;
                        let value =
                            resolver.field(&row.value, format!("query parameter `{}`", row.key))?;
                        parts.push(format!(
                            "{}={}",
                            crate::model::encode_component(&key),
                            crate::model::encode_component(&value)
                        ));
                    }
                }
                let query = parts.join("&");
                if !query.is_empty() {
                    url.push('?');
                    url.push_str(&query);
                }
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(&resolver.field(f, "the URL".to_string())?);
                }
                url
            }
        };
        for header in out.headers.iter_mut().filter(|h| h.enabled) {
            let written = header.key.clone();
            header.key = resolver.field(&written, format!("header name `{written}`"))?;
            header.value = resolver.field(&header.value, format!("header `{written}`"))?;
        }
        match spec.body_kind {
            BodyKind::None => {}
            // Form fields resolve one by one, for the same reason as query parameters.
            BodyKind::Form => {
                let mut pairs = Vec::new();
                for (k, v) in crate::model::parse_form_text(&spec.body) {
                    let key = resolver.field(&k, format!("form field `{k}`"))?;
                    let value = resolver.field(&v, format!("form field `{k}`"))?;
                    pairs.push((key, value));
                }
                out.body = crate::model::encode_form(&pairs);
            }
            _ => out.body = resolver.field(&spec.body, "the body".to_string())?,
        }
        Ok((out, resolver.used))
    }
}

/// One resolution: the variables being expanded (for cycles and messages), values already
/// expanded, and what was used.
struct Resolver<'a> {
    scope: &'a Scope,
    /// The request whose fields are resolved (`folder/id`, or empty).
    request: String,
    /// Where the text being resolved sits: the key of a `{{prompt}}` written directly in it.
    site: String,
    stack: Vec<String>,
    /// name → (resolved value, secret)
    done: HashMap<String, (String, bool)>,
    used: Vec<UsedVar>,
}

impl<'a> Resolver<'a> {
    fn new(scope: &'a Scope) -> Self {
        Resolver {
            scope,
            request: String::new(),
            site: String::new(),
            stack: Vec::new(),
            done: HashMap::new(),
            used: Vec::new(),
        }
    }

    /// Resolves one field of a request; a `{{prompt}}` in it is keyed by the field.
    fn field(&mut self, text: &str, name: String) -> Result<String, TemplateError> {
        self.site = if self.request.is_empty() {
            name.clone()
        } else {
            format!("{name} of {}", self.request)
        };
        self.text(text)
            .map(|(text, _)| text)
            .map_err(|e| e.in_field(name))
    }

    /// Expands `text`; the flag says whether anything secret went into it.
    fn text(&mut self, text: &str) -> Result<(String, bool), TemplateError> {
        let segments = parse(text).map_err(|e| TemplateError::Syntax {
            offset: e.offset,
            message: e.message,
            in_var: self.stack.last().cloned(),
        })?;
        let mut out = String::new();
        let mut secret = false;
        for segment in segments {
            match segment {
                Segment::Literal(s) => out.push_str(&s),
                Segment::Placeholder(p) => {
                    let (value, s) = self.placeholder(&p)?;
                    out.push_str(&value);
                    secret |= s;
                }
            }
            if out.len() > text.len().saturating_add(MAX_LEN) {
                return Err(TemplateError::TooLarge {
                    name: self.stack.last().cloned().unwrap_or_default(),
                });
            }
        }
        Ok((out, secret))
    }

    fn placeholder(&mut self, placeholder: &Placeholder) -> Result<(String, bool), TemplateError> {
        match placeholder {
            Placeholder::Var(name) => self.var(name),
            Placeholder::Env(name) => self.env(name),
            Placeholder::Prompt(name) => self.prompt(name.as_deref()),
        }
    }

    fn var(&mut self, name: &str) -> Result<(String, bool), TemplateError> {
        if let Some(done) = self.done.get(name) {
            return Ok(done.clone());
        }
        if let Some(start) = self.stack.iter().position(|n| n == name) {
            let mut chain = self.stack[start..].to_vec();
            chain.push(name.to_string());
            return Err(TemplateError::Cycle { chain });
        }
        if self.stack.len() >= MAX_DEPTH {
            let mut chain = self.stack.clone();
            chain.push(name.to_string());
            return Err(TemplateError::TooDeep { chain });
        }
        let scope = self.scope;
        let (value, secret, layer) = if let Some(v) = scope.given.get(name) {
            (v.clone(), false, Layer::Given)
        } else if let Some(v) = scope.run.get(name) {
            (v.value.clone(), v.secret, Layer::Run(v.from.clone()))
        } else {
            let (raw, layer) = scope
                .environment
                .as_ref()
                .and_then(|(env, vars)| {
                    vars.get(name).map(|v| (v, Layer::Environment(env.clone())))
                })
                .or_else(|| {
                    scope
                        .collection_vars
                        .get(name)
                        .map(|v| (v, Layer::Collection))
                })
                .ok_or_else(|| self.unresolved(name, self.var_places()))?;
            self.stack.push(name.to_string());
            let expanded = self.text(raw);
            self.stack.pop();
            let (value, secret) = expanded?;
            (value, secret, layer)
        };
        self.done.insert(name.to_string(), (value.clone(), secret));
        self.record(name.to_string(), layer, secret, &value);
        Ok((value, secret))
    }

    fn env(&mut self, name: &str) -> Result<(String, bool), TemplateError> {
        let full = format!("env.{name}");
        let (value, layer) = self
            .scope
            .env_source
            .lookup(name)
            .ok_or_else(|| self.unresolved(&full, self.scope.env_source.places()))?;
        let secret = layer.is_secret();
        self.record(full, layer, secret, &value);
        Ok((value, secret))
    }

    /// A prompt's answer. Its key is its name when it has one, else the variable whose value
    /// holds it, else the place it is written: each place asks on its own.
    fn prompt(&mut self, name: Option<&str>) -> Result<(String, bool), TemplateError> {
        let key = match (name, self.stack.last()) {
            (Some(name), _) => format!("`{{{{prompt:{name}}}}}`"),
            (None, Some(var)) => format!("`{{{{{var}}}}}`"),
            (None, None) => self.site.clone(),
        };
        // A named prompt may be answered ahead, like a variable (`--var NAME=VALUE`).
        let answer = self
            .scope
            .prompted
            .get(&key)
            .or_else(|| name.and_then(|n| self.scope.given.get(n)));
        let Some(value) = answer else {
            let var = name
                .or(self.stack.last().map(String::as_str))
                .map(str::to_owned);
            return Err(TemplateError::NeedsPrompt { key, var });
        };
        let value = value.clone();
        self.record("prompt".to_string(), Layer::Prompt(key), true, &value);
        Ok((value, true))
    }

    fn record(&mut self, name: String, layer: Layer, secret: bool, value: &str) {
        if !self.used.iter().any(|u| u.name == name && u.layer == layer) {
            self.used.push(UsedVar {
                name,
                layer,
                secret,
                value: value.to_string(),
            });
        }
    }

    fn var_places(&self) -> Vec<String> {
        let mut places = vec![format!("values {}", Layer::Given)];
        if !self.scope.run.is_empty() {
            places.push("values captured in this run".to_string());
        }
        if let Some((env, _)) = &self.scope.environment {
            places.push(Layer::Environment(env.clone()).to_string());
        }
        places.push(Layer::Collection.to_string());
        places
    }

    fn unresolved(&self, name: &str, looked_in: Vec<String>) -> TemplateError {
        TemplateError::Unresolved {
            name: name.to_string(),
            via: self.stack.clone(),
            looked_in,
        }
    }
}
