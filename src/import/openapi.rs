//! OpenAPI 3.0 and 3.1 and Swagger 2.0 specifications (JSON or YAML) → a collection: one request
//! per operation, in a folder per first tag, its URL `{{base_url}}/path/{{param}}`; servers
//! become `base_url` (and an environment each), security schemes auth profiles that refer to
//! the environment for their credentials, parameters and request bodies what the operation sends
//! (from the examples, else samples made from the schemas), documented responses an `expect`.
//!
//! One walker reads all three versions from the parsed document: `$ref`s (local, and files
//! beside the specification) are followed where values are read ([`refs`]).

#[path = "openapi_body.rs"]
mod body;
#[path = "openapi_example.rs"]
mod example;
#[path = "openapi_params.rs"]
mod params;
#[path = "openapi_refs.rs"]
mod refs;
#[path = "openapi_security.rs"]
mod security;

use example::Samples;
use params::var_name;
use refs::{Node, Refs, line_of};
use serde_json::Value;

use crate::check::{Expect, StatusPattern};
use crate::collection::model::{slug, unique};
use crate::collection::{Environment, SavedRequest};
use crate::import::document::parse_document;
use crate::import::{
    ImportError, Imported, Secrets, Source, empty_collection, folder_part, literal,
};
use crate::model::settings::{AuthChoice, FolderSettings};
use crate::model::{AuthProfile, Method, RequestSpec, counted};

/// Reads `source` as an OpenAPI or Swagger specification.
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let doc = parse_document(source.text)?;
    let version = version(&doc, source.text)?;
    let refs = Refs::load(doc, source.text, &source.dir);
    let root = refs.root();
    let title = root
        .get("info")
        .and_then(|i| i.str("title"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("OpenAPI");
    let mut collection = empty_collection(title);
    let mut ctx = Ctx {
        refs: &refs,
        samples: Samples::default(),
        vars: Vec::new(),
        secrets: Secrets::beside(&source.known_env),
        dropped: Vec::new(),
        needs_env: Vec::new(),
    };
    collection.environments = match version {
        Version::Swagger2 => servers_v2(&mut ctx, root),
        Version::OpenApi3 => servers_v3(&mut ctx, root),
    };
    let schemes = match version {
        Version::Swagger2 => root.get("securityDefinitions"),
        Version::OpenApi3 => root
            .get("components")
            .and_then(|c| c.get("securitySchemes")),
    };
    collection.auth = security::profiles(&mut ctx, schemes)?;
    collection.settings.auth = root
        .get("security")
        .and_then(|s| security::choice(&mut ctx, "the specification", s, &collection.auth))
        .filter(|c| *c != AuthChoice::None);
    let mut walker = Walker {
        ctx,
        text: source.text,
        version,
        profiles: collection.auth.clone(),
        top_auth: collection.settings.auth.clone(),
        consumes: strings(root.get("consumes")),
        callbacks: 0,
    };
    let requests = walker.paths(root)?;
    let Walker {
        mut ctx, callbacks, ..
    } = walker;
    if requests.is_empty() {
        return Err(ImportError::new(
            "the specification has no operations: `paths` is missing or empty",
        ));
    }
    collection.folders = folders(root, &requests);
    collection.requests = requests;
    notes(&mut ctx, root, callbacks);
    collection.vars = std::mem::take(&mut ctx.vars);
    Ok(Imported {
        collection,
        secrets: ctx.secrets.found,
        dropped: ctx.dropped,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Swagger2,
    OpenApi3,
}

/// `openapi: 3.0.x`, `3.1.x` (and 3.2, which reads the same) or `swagger: "2.0"`.
fn version(doc: &Value, text: &str) -> Result<Version, ImportError> {
    let Some(map) = doc.as_object() else {
        return Err(ImportError::new(
            "not an OpenAPI document: expected an object with an `openapi: 3.x` or `swagger: \
             \"2.0\"` field, found a single value or a list",
        ));
    };
    let shown = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let at = |key: &str, message: String| match line_of(text, key) {
        Some(line) => ImportError::at(line, message),
        None => ImportError::new(message),
    };
    if let Some(v) = map.get("openapi") {
        let v = shown(v);
        let mut parts = v.split('.');
        return match (parts.next(), parts.next()) {
            (Some("3"), Some("0" | "1" | "2")) => Ok(Version::OpenApi3),
            _ => Err(at(
                "openapi",
                format!(
                    "openapi {v} is not supported (scout reads OpenAPI 3.0, 3.1 and Swagger 2.0)"
                ),
            )),
        };
    }
    if let Some(v) = map.get("swagger") {
        let v = shown(v);
        return match v.as_str() {
            "2.0" | "2" => Ok(Version::Swagger2),
            _ => Err(at(
                "swagger",
                format!(
                    "swagger {v} is not supported (scout reads Swagger 2.0 and OpenAPI 3.0 and 3.1)"
                ),
            )),
        };
    }
    let keys: Vec<&str> = map.keys().map(String::as_str).take(8).collect();
    Err(ImportError::new(format!(
        "not an OpenAPI document: it has no `openapi: 3.x` or `swagger: \"2.0\"` field (its \
         top-level keys: {})",
        if keys.is_empty() {
            "none".into()
        } else {
            keys.join(", ")
        }
    )))
}

/// What the parts of the importer share: the refs, the variables and secrets met, what is dropped.
struct Ctx<'r> {
    refs: &'r Refs,
    samples: Samples,
    /// The collection's `[vars]`: the first value given for a name is kept.
    vars: Vec<(String, String)>,
    secrets: Secrets,
    dropped: Vec<String>,
    /// Environment variables referred to without a value in the specification.
    needs_env: Vec<String>,
}

impl Ctx<'_> {
    fn add_var(&mut self, name: &str, value: &str) {
        if !self.vars.iter().any(|(n, _)| n == name) {
            self.vars.push((name.to_string(), value.to_string()));
        }
    }

    fn drop(&mut self, line: String) {
        if !self.dropped.contains(&line) {
            self.dropped.push(line);
        }
    }

    /// A reference to an environment variable named from `hint`: holding `value` (kept for
    /// `.env`) when there is one, else one the user is asked to set.
    fn secret(&mut self, hint: &str, value: &str) -> String {
        if !value.is_empty() {
            return self.secrets.hide(hint, value);
        }
        // The shared naming (`petstore auth token` → `PETSTORE_AUTH_TOKEN`), without a value.
        let reference = crate::import::secrets::env_reference(hint);
        let name = reference
            .trim_start_matches("{{env.")
            .trim_end_matches("}}")
            .to_string();
        if !self.needs_env.contains(&name) {
            self.needs_env.push(name);
        }
        reference
    }
}

/// 3.x `servers`: the first one's URL is `base_url`, and each is an environment.
fn servers_v3(ctx: &mut Ctx<'_>, root: Node<'_>) -> Vec<Environment> {
    let servers: Vec<Node<'_>> = root
        .get("servers")
        .into_iter()
        .flat_map(Node::items)
        .filter(|s| s.str("url").is_some())
        .collect();
    if servers.is_empty() {
        ctx.add_var("base_url", "http://localhost");
        ctx.drop(
            "the specification names no server: base_url is http://localhost, set it to the \
             API's address"
                .into(),
        );
        return Vec::new();
    }
    let mut environments: Vec<Environment> = Vec::new();
    for (i, server) in servers.into_iter().enumerate() {
        let (url, vars) = server_url(server);
        if i == 0 {
            ctx.add_var("base_url", &url);
            for (name, value) in &vars {
                ctx.add_var(name, value);
            }
        }
        if !url.contains("://") && !url.starts_with("{{") {
            ctx.drop(format!(
                "server `{url}` is relative: put the API's host in front of it in base_url"
            ));
        }
        let base = match server.str("description").map(slug) {
            Some(s) if s != "request" => s,
            _ => format!("server-{}", i + 1),
        };
        let taken: Vec<String> = environments.iter().map(|e| e.name.clone()).collect();
        let mut env_vars = vec![("base_url".to_string(), url)];
        env_vars.extend(vars);
        environments.push(Environment {
            name: unique(&base, |n| taken.iter().any(|t| t == n)),
            vars: env_vars,
        });
    }
    environments
}

/// 2.0: `schemes[0]://host basePath` is `base_url`; each scheme is an environment.
fn servers_v2(ctx: &mut Ctx<'_>, root: Node<'_>) -> Vec<Environment> {
    let base_path = root
        .str("basePath")
        .unwrap_or_default()
        .trim_end_matches('/');
    let host = match root.str("host").filter(|h| !h.is_empty()) {
        Some(h) => h,
        None => {
            ctx.drop(
                "the specification names no host: base_url is on localhost, set it to the API's \
                 address"
                    .into(),
            );
            "localhost"
        }
    };
    let mut schemes = strings(root.get("schemes"));
    if schemes.is_empty() {
        schemes.push(if host == "localhost" { "http" } else { "https" });
    }
    let urls: Vec<(String, String)> = schemes
        .iter()
        .map(|s| (s.to_string(), literal(&format!("{s}://{host}{base_path}"))))
        .collect();
    ctx.add_var("base_url", &urls[0].1);
    urls.into_iter()
        .map(|(name, url)| Environment {
            name,
            vars: vec![("base_url".into(), url)],
        })
        .collect()
}

/// A server's URL as a template (`https://{region}.x.com/` → `https://{{region}}.x.com`) and
/// its variables' defaults.
fn server_url(server: Node<'_>) -> (String, Vec<(String, String)>) {
    let (url, _) = template(server.str("url").unwrap_or_default());
    let url = match url.trim_end_matches('/') {
        "" => url,
        trimmed => trimmed.to_string(),
    };
    let vars = server
        .get("variables")
        .into_iter()
        .flat_map(Node::entries)
        .map(|(name, v)| {
            let value = v
                .value
                .get("default")
                .or_else(|| v.value.get("enum").and_then(|e| e.as_array()?.first()))
                .map(params::text_of)
                .unwrap_or_default();
            (var_name(name), literal(&value))
        })
        .collect();
    (url, vars)
}

/// `/pets/{petId}` → `/pets/{{petId}}` (the rest escaped), with the variables' names.
fn template(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&literal(&rest[..open]));
        let name = var_name(rest[open + 1..open + len].trim());
        out.push_str(&format!("{{{{{name}}}}}"));
        names.push(name);
        rest = &rest[open + len + 1..];
    }
    out.push_str(&literal(rest));
    (out, names)
}

/// Walks `paths`, one request per operation.
struct Walker<'a> {
    ctx: Ctx<'a>,
    text: &'a str,
    version: Version,
    profiles: Vec<(String, AuthProfile)>,
    top_auth: Option<AuthChoice>,
    /// 2.0: the media types operations accept unless they say otherwise.
    consumes: Vec<&'a str>,
    callbacks: usize,
}

const METHODS: [(&str, Method); 7] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
];

impl<'a> Walker<'a> {
    fn paths(&mut self, root: Node<'a>) -> Result<Vec<SavedRequest>, ImportError> {
        let mut requests = Vec::new();
        for (path, item) in root.get("paths").into_iter().flat_map(Node::entries) {
            if path.starts_with("x-") {
                continue;
            }
            let item = self.ctx.refs.deref(item)?;
            if !item.value.is_object() {
                return Err(self.shape_error(path, &format!("paths.{path}"), "a path item", item));
            }
            for (key, op) in item.entries() {
                let Some((_, method)) = METHODS.iter().find(|(m, _)| *m == key) else {
                    if matches!(key, "trace" | "query") {
                        self.ctx.drop(format!(
                            "{} {path}: scout has no {} method, dropped",
                            key.to_uppercase(),
                            key.to_uppercase()
                        ));
                    }
                    continue;
                };
                if !op.value.is_object() {
                    return Err(self.shape_error(
                        path,
                        &format!("paths.{path}.{key}"),
                        "an operation",
                        op,
                    ));
                }
                requests.push(self.operation(path, *method, item, op)?);
            }
        }
        Ok(requests)
    }

    fn shape_error(&self, path: &str, place: &str, wanted: &str, found: Node<'_>) -> ImportError {
        let kind = match found.value {
            Value::Null => "nothing (is the file cut short?)",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        };
        let message = format!("{place}: expected {wanted} (an object), found {kind}");
        match line_of(self.text, path) {
            Some(line) if found.doc == 0 => ImportError::at(line, message),
            _ => ImportError::new(message),
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        item: Node<'a>,
        op: Node<'a>,
    ) -> Result<SavedRequest, ImportError> {
        let op_id = op
            .str("operationId")
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let summary = op.str("summary").map(str::trim).filter(|s| !s.is_empty());
        let name = summary.or(op_id);
        let title = name.map_or_else(|| format!("{} {path}", method.as_str()), str::to_string);
        // A tag is one folder: a `/` in it does not nest (`pe/` would be an empty part).
        let folder = op
            .get("tags")
            .and_then(|t| t.items().next())
            .and_then(|t| t.value.as_str())
            .filter(|t| !t.trim().is_empty())
            .map(folder_part);
        let spec = RequestSpec {
            method,
            ..RequestSpec::default()
        };
        let mut req = SavedRequest::new("", folder, &spec);
        req.id = op_id.map(kebab).unwrap_or_default();
        req.name = name.map(str::to_string);
        req.description = op
            .str("description")
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        let (path_template, names) = template(path);
        req.url = format!("{}{path_template}", self.base_for(item, op));

        let ctx = &mut self.ctx;
        let params = params::collect(ctx, &title, [item.get("parameters"), op.get("parameters")])?;
        params::apply(ctx, &mut req, &params)?;
        for name in names {
            // A path variable without a parameter: made up like an undocumented string.
            ctx.add_var(&name, &literal(&format!("<{name}>")));
        }
        match self.version {
            Version::OpenApi3 => {
                if let Some(b) = op.get("requestBody") {
                    let media = body::media_of_v3(ctx, b)?;
                    body::apply(ctx, &mut req, &title, &media)?;
                }
            }
            Version::Swagger2 => {
                let body_param = params.iter().find(|p| p.location == "body").map(|p| p.node);
                let form: Vec<Node<'_>> = params
                    .iter()
                    .filter(|p| p.location == "formData")
                    .map(|p| p.node)
                    .collect();
                let mut consumes = strings(op.get("consumes"));
                if consumes.is_empty() {
                    consumes = self.consumes.clone();
                }
                let doc = body_param.or(form.first().copied()).unwrap_or(op).doc;
                let owned = body::media_of_v2(body_param, &form, &consumes);
                let media: Vec<(&str, Node<'_>)> = owned
                    .iter()
                    .map(|(t, value)| (t.as_str(), Node { doc, value }))
                    .collect();
                body::apply(ctx, &mut req, &title, &media)?;
            }
        }
        if let Some(security) = op.get("security") {
            let place = format!("request `{title}`");
            let choice = security::choice(ctx, &place, security, &self.profiles);
            let inherited = self.top_auth.clone().unwrap_or(AuthChoice::None);
            if let Some(choice) = choice.filter(|c| *c != inherited) {
                req.settings.auth = Some(choice);
            }
        }
        req.expect = expect(op.get("responses"));
        self.callbacks += op.get("callbacks").map_or(0, |c| c.entries().count());
        Ok(req)
    }

    /// `{{base_url}}`, or the operation's (or its path's) own first server.
    fn base_for(&mut self, item: Node<'_>, op: Node<'_>) -> String {
        let own = [op, item]
            .into_iter()
            .filter_map(|n| n.get("servers").and_then(|s| s.items().next()))
            .find(|s| s.str("url").is_some());
        let Some(server) = own.filter(|_| self.version == Version::OpenApi3) else {
            return "{{base_url}}".into();
        };
        let (url, vars) = server_url(server);
        for (name, value) in &vars {
            self.ctx.add_var(name, value);
        }
        url
    }
}

/// The documented response codes: `200` → 200, `2XX` → any 2xx; `default` says nothing.
fn expect(responses: Option<Node<'_>>) -> Option<Expect> {
    let mut status = Vec::new();
    for (code, _) in responses.into_iter().flat_map(Node::entries) {
        let code = code.trim();
        let pattern = match code.parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) => StatusPattern::Code(n),
            // Byte by byte: a code of three bytes may be one letter of two and one of one.
            _ => match code.as_bytes() {
                [class @ b'1'..=b'5', rest @ ..] if rest.eq_ignore_ascii_case(b"xx") => {
                    StatusPattern::Class(u16::from(class - b'0'))
                }
                _ => continue,
            },
        };
        if !status.contains(&pattern) {
            status.push(pattern);
        }
    }
    // Only failures documented (`405: Invalid input`): the call succeeding must not fail it.
    let succeeds = |s: &StatusPattern| match s {
        StatusPattern::Code(c) => *c < 400,
        StatusPattern::Class(c) => *c < 4,
    };
    if !status.is_empty() && !status.iter().any(succeeds) {
        status.insert(0, StatusPattern::Class(2));
    }
    (!status.is_empty()).then(|| Expect {
        status,
        ..Expect::default()
    })
}

/// A folder entry with its tag's description, for each tag that names a folder.
fn folders(root: Node<'_>, requests: &[SavedRequest]) -> Vec<FolderSettings> {
    let mut out: Vec<FolderSettings> = Vec::new();
    for tag in root.get("tags").into_iter().flat_map(Node::items) {
        let (Some(name), Some(description)) = (tag.str("name"), tag.str("description")) else {
            continue;
        };
        let name = folder_part(name);
        let description = description.trim();
        if description.is_empty()
            || out.iter().any(|f| f.path == name)
            || !requests
                .iter()
                .any(|r| r.folder.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        out.push(FolderSettings {
            path: name,
            settings: Default::default(),
            description: Some(description.to_string()),
        });
    }
    out
}

/// The dropped lines about the specification as a whole.
fn notes(ctx: &mut Ctx<'_>, root: Node<'_>, callbacks: usize) {
    let webhooks = root.get("webhooks").map_or(0, |w| w.entries().count());
    if webhooks > 0 {
        ctx.drop(format!(
            "{} not imported: webhooks are requests the API sends, not ones it receives",
            counted(webhooks, "webhook")
        ));
    }
    if callbacks > 0 {
        ctx.drop(format!(
            "{} not imported: callbacks are requests the API sends, not ones it receives",
            counted(callbacks, "callback")
        ));
    }
    for r in ctx.refs.remote() {
        ctx.drop(format!(
            "$ref `{r}` is remote and not fetched: what it describes is left empty"
        ));
    }
    if !ctx.needs_env.is_empty() {
        let names = ctx.needs_env.join(", ");
        ctx.drop(format!(
            "the specification holds no credentials: set {names} in the environment or a .env \
             beside the collection"
        ));
    }
}

/// A list of strings (`consumes`, `schemes`), non-strings left out.
fn strings(node: Option<Node<'_>>) -> Vec<&str> {
    node.into_iter()
        .flat_map(Node::items)
        .filter_map(|n| n.value.as_str())
        .collect()
}

/// `getPetById` → `get-pet-by-id`: an operationId as the words of a request id.
fn kebab(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('-');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
#[path = "openapi_input_tests.rs"]
mod input_tests;
#[cfg(test)]
#[path = "openapi_rules_tests.rs"]
mod rules_tests;
#[cfg(test)]
#[path = "openapi_tests.rs"]
mod tests;
