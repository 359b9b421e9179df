//! An operation's parameters → the request: path parameters become variables (`{id}` →
//! `{{id}}`, with a sample value), required query, header and cookie parameters become
//! `{{name}}` references to variables holding their example (or a sample), optional ones are sent
//! only when the specification gives them an example or default. Parameters whose name says they
//! carry a secret (`api_key`, `X-Auth-Token`, a session cookie) refer to the environment instead.

use serde_json::Value;

use super::Ctx;
use super::example::{explicit, scalar, type_of};
use super::refs::Node;
use crate::collection::SavedRequest;
use crate::import::secrets::is_secret_header;
use crate::import::{ImportError, literal};
use crate::model::is_secret_cookie;

/// One parameter of an operation, its `$ref` followed.
#[derive(Debug, Clone, Copy)]
pub struct Param<'a> {
    pub name: &'a str,
    /// `path`, `query`, `header`, `cookie`; in 2.0 also `body` and `formData`.
    pub location: &'a str,
    pub required: bool,
    pub node: Node<'a>,
}

/// The path item's `parameters`, then the operation's, which replace those with the same name
/// and location.
pub fn collect<'a>(
    ctx: &mut Ctx<'a>,
    title: &str,
    lists: [Option<Node<'a>>; 2],
) -> Result<Vec<Param<'a>>, ImportError> {
    let mut out: Vec<Param<'a>> = Vec::new();
    for node in lists.into_iter().flatten().flat_map(Node::items) {
        let node = ctx.refs.deref(node)?;
        let (Some(name), Some(location)) = (node.str("name"), node.str("in")) else {
            if !node.value.is_null() {
                ctx.drop(format!(
                    "request `{title}`: a parameter without `name` or `in` is skipped"
                ));
            }
            continue;
        };
        let param = Param {
            name,
            location,
            required: location == "path" || node.value.get("required") == Some(&Value::Bool(true)),
            node,
        };
        match out
            .iter_mut()
            .find(|p| p.name == name && p.location == location)
        {
            Some(existing) => *existing = param,
            None => out.push(param),
        }
    }
    Ok(out)
}

/// Puts the path, query, header and cookie parameters on `req` (and their variables in `ctx`).
pub fn apply(
    ctx: &mut Ctx<'_>,
    req: &mut SavedRequest,
    params: &[Param<'_>],
) -> Result<(), ImportError> {
    let mut cookies = Vec::new();
    for p in params {
        let is_header = p.location == "header";
        if is_header
            && ["content-type", "accept", "authorization"]
                .iter()
                .any(|h| p.name.eq_ignore_ascii_case(h))
        {
            continue;
        }
        let secret = match p.location {
            "query" | "header" => is_secret_header(p.name),
            "cookie" => is_secret_cookie(p.name),
            "path" => false,
            _ => continue,
        };
        let (value, given) = value(ctx, p)?;
        let text = text_of(&value);
        let sent = if secret {
            if !p.required && !given {
                continue;
            }
            ctx.secret(p.name, if given { &text } else { "" })
        } else if p.required {
            let var = var_name(p.name);
            ctx.add_var(&var, &literal(&text));
            format!("{{{{{var}}}}}")
        } else if given {
            literal(&text)
        } else {
            continue;
        };
        match p.location {
            "query" => req.query.push((p.name.to_string(), sent)),
            "header" => req.headers.push((p.name.to_string(), sent)),
            "cookie" => cookies.push(format!("{}={sent}", p.name)),
            _ => {}
        }
    }
    if !cookies.is_empty() {
        req.headers.push(("Cookie".into(), cookies.join("; ")));
    }
    Ok(())
}

/// The parameter's value, and whether the specification gave it (`example`, `examples`,
/// `default`) rather than it being made up from the type.
pub fn value(ctx: &mut Ctx<'_>, p: &Param<'_>) -> Result<(Value, bool), ImportError> {
    let node = p.node;
    // A 3.x parameter may describe itself with `content` instead of `schema`.
    let content = node
        .get("content")
        .and_then(|c| c.entries().next())
        .map(|(_, media)| media);
    for holder in std::iter::once(node).chain(content) {
        if let Some(v) = holder
            .value
            .get("example")
            .or(holder.value.get("x-example"))
        {
            return Ok((v.clone(), true));
        }
        if let Some((_, first)) = holder.get("examples").and_then(|e| e.entries().next()) {
            let first = ctx.refs.deref(first)?;
            if let Some(v) = first.value.get("value") {
                return Ok((v.clone(), true));
            }
        }
    }
    // 2.0 puts `type`, `format`, `default` and `enum` on the parameter itself.
    let schema = match node.get("schema").or(content.and_then(|c| c.get("schema"))) {
        Some(s) => ctx.refs.deref(s)?,
        None => node,
    };
    let s = schema.value;
    if let Some(v) = s
        .get("example")
        .or_else(|| s.get("examples").and_then(|e| e.as_array()?.first()))
        .or_else(|| s.get("default"))
    {
        return Ok((v.clone(), true));
    }
    if let Some(v) = explicit(s) {
        return Ok((v.clone(), false));
    }
    let made = match type_of(s) {
        Some("object" | "array") => ctx.samples.of(ctx.refs, schema)?,
        Some(ty) => scalar(ty, s, Some(p.name)),
        None => scalar("string", s, Some(p.name)),
    };
    Ok((made, false))
}

/// A parameter value as text: strings as they are, lists joined with `,`, objects as JSON.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        Value::Object(_) => value.to_string(),
        other => other.to_string(),
    }
}

/// A template variable name for a parameter: `[A-Za-z_][A-Za-z0-9_.-]*`, other characters
/// replaced by `_` (`filter[name]` → `filter_name_`).
pub fn var_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}
