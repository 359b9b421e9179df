//! Why a template could not be resolved. Messages name the variable, where it was looked for,
//! and what to do.

/// How many variables may nest inside one another (`url` → `base_url` → `host` is 3).
pub const MAX_DEPTH: usize = 16;

/// How many bytes longer than its template a resolved text may grow; guards against
/// exponential expansion (`a = "{{b}}{{b}}"`, `b = "{{c}}{{c}}"`, …), not against long input.
pub const MAX_LEN: usize = 1 << 20;

/// Variable names in these errors are bare (`token`, `env.TOKEN`); messages add the braces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// No layer defines `name`. `via` lists the variables whose values led here, outermost
    /// first (empty when `name` is written directly in the text).
    #[error("{}", unresolved_message(name, via, looked_in))]
    Unresolved {
        name: String,
        via: Vec<String>,
        looked_in: Vec<String>,
    },
    /// Variables refer to each other in a loop; `chain` starts and ends with the same name.
    #[error(
        "variables refer to each other in a loop: {}; break the loop by giving one of them a plain value",
        show_chain(chain)
    )]
    Cycle { chain: Vec<String> },
    /// More than [`MAX_DEPTH`] variables nest inside one another.
    #[error(
        "variables nest more than {MAX_DEPTH} levels deep ({}): give one of them a plain value",
        show_chain(chain)
    )]
    TooDeep { chain: Vec<String> },
    /// The text would grow by more than [`MAX_LEN`] bytes (`name` is the variable being
    /// expanded, or empty for the text itself).
    #[error(
        "{} expands to more than {MAX_LEN} bytes: a variable is probably repeated inside another many times",
        if name.is_empty() { "the text".to_string() } else { braced(name) }
    )]
    TooLarge { name: String },
    /// Malformed template syntax; `offset` is in chars, within the value of `in_var` when set
    /// (a variable's value was malformed), otherwise within the text being resolved.
    #[error("{}", syntax_message(*offset, message, in_var.as_deref()))]
    Syntax {
        offset: usize,
        message: String,
        in_var: Option<String>,
    },
    /// A prompt has no answer yet. `key` says which: the variable whose value holds
    /// `{{prompt}}`, the name of a `{{prompt:NAME}}`, or the place a `{{prompt}}` is written
    /// (``header `X-Secret` of items/get``). Ask the user, store the answer in
    /// `Scope::prompted[key]`, and resolve again. `var` is the name `--var NAME=VALUE` answers
    /// it by, when it has one (the variable, or the prompt's own name).
    #[error("{key} needs a value typed at a prompt")]
    NeedsPrompt { key: String, var: Option<String> },
    /// Which part of a request failed: `the URL`, ``header `Authorization` ``, `the body`, ….
    #[error("{field}: {source}")]
    Field {
        field: String,
        source: Box<TemplateError>,
    },
}

impl TemplateError {
    /// The error without any [`Field`](TemplateError::Field) wrapping, for matching on the cause.
    pub fn root(&self) -> &TemplateError {
        match self {
            TemplateError::Field { source, .. } => source.root(),
            other => other,
        }
    }

    pub(crate) fn in_field(self, field: String) -> TemplateError {
        TemplateError::Field {
            field,
            source: Box::new(self),
        }
    }
}

fn braced(name: &str) -> String {
    format!("`{{{{{name}}}}}`")
}

fn show_chain(chain: &[String]) -> String {
    chain
        .iter()
        .map(|n| braced(n))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// `a`, `a and b`, `a, b and c`.
fn join_places(places: &[String]) -> String {
    match places {
        [] => "nowhere".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn unresolved_message(name: &str, via: &[String], looked_in: &[String]) -> String {
    let used_by = if via.is_empty() {
        String::new()
    } else {
        format!(" (used by {})", show_chain(via))
    };
    let hint = match name.strip_prefix("env.") {
        Some(var) => format!(
            "set {var} in the shell that starts scout, or in a .env file next to the collection"
        ),
        None => "define it in the collection's [vars] or the selected environment".to_string(),
    };
    format!(
        "{}{used_by} is not defined: looked in {}; {hint}",
        braced(name),
        join_places(looked_in)
    )
}

fn syntax_message(offset: usize, message: &str, in_var: Option<&str>) -> String {
    match in_var {
        Some(var) => format!(
            "the value of {} has a template error at char {offset}: {message}",
            braced(var)
        ),
        None => format!("template error at char {offset}: {message}"),
    }
}
