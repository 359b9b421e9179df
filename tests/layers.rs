//! The layers of scout, held as a table: each top-level module of `src/` may use only the modules
//! of the layers below its own (never its own layer's other modules, never one above). The test
//! reads every source file, finds what each module refers to (`use crate::…`, `crate::x::…`,
//! `super::` paths that leave the module), and fails naming the file and the edge that breaks the
//! table. Test code (`#[cfg(test)]` items and `*_tests.rs` files) may use anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom to top. `demo` sits low on purpose: the demo API knows nothing of scout but the plain
/// data, so the client is tested against an independent implementation.
const LAYERS: &[&[&str]] = &[
    &["model", "fault", "memory"],
    &[
        "template",
        "highlight",
        "history",
        "demo",
        "check",
        "teach",
        "inspect",
    ],
    &["collection", "theme"],
    &["http", "import", "export"],
    &["replay"],
    &["app"],
    &["ui"],
    &["config"],
    &["event_loop"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(module) = top_module(relative) else {
            continue; // lib.rs and main.rs sit above every layer
        };
        seen_modules.insert(module.clone());
        if is_test_file(relative) {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            problems.push(format!(
                "src/{}: module `{module}` is not in the LAYERS table",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let code = without_tests(&code_only(&text));
        for used in referenced_modules(&code, &module_path(relative)) {
            if used == module {
                continue;
            }
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                Some(_) => problems.push(format!(
                    "src/{}: `{module}` uses `{used}`, which is not below it",
                    relative.display()
                )),
                None => problems.push(format!(
                    "src/{}: `{module}` uses `{used}`, which is not in the LAYERS table",
                    relative.display()
                )),
            }
        }
    }
    // Every module of the table exists, so the table cannot silently go stale.
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        assert!(
            seen_modules.contains(*module),
            "LAYERS names `{module}`, which is not a module in src/"
        );
    }
    assert!(
        problems.is_empty(),
        "the layers are broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_every_way_of_naming_a_module() {
    let code = code_only(
        r#"
        use crate::{model::Method, http::worker::{Job, RequestId}};
        use crate::ui;
        // use crate::commented;
        /// [`crate::doc_link`]
        fn f() { let s = "crate::in_a_string"; crate::app::update(); let c = '"'; }
        #[cfg(test)]
        mod tests { use crate::only_in_tests; }
        fn g() { super::super::history::x(); }
        "#,
    );
    let found = referenced_modules(&without_tests(&code), &["app".into(), "sub".into()]);
    assert_eq!(
        found,
        ["app", "history", "http", "model", "ui"]
            .map(String::from)
            .into_iter()
            .collect::<BTreeSet<_>>()
    );
}

// ---------------------------------------------------------------- reading the sources

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `app/update.rs` → `app`; `theme.rs` → `theme`; `lib.rs` and `main.rs` → none.
fn top_module(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The module path of a file: `app/update.rs` → `[app, update]`, `app/mod.rs` → `[app]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Files that are test modules included with `#[cfg(test)] #[path = …] mod tests;` (or helpers
/// only tests compile).
fn is_test_file(relative: &Path) -> bool {
    let name = relative.file_name().unwrap().to_string_lossy();
    name.ends_with("_tests.rs") || name == "tests.rs" || name == "testing.rs"
}

/// The text with comments blanked and string and char literals emptied, so only code is left.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&out) {
            // A raw string: r"…", r#"…"#, …
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(out: &str) -> bool {
    out.chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The code without `#[cfg(test)]` items (a test module, a test-only function or import).
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at + "#[cfg(test)]".len()..];
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The top-level modules `code` (of the file at `path`) refers to.
fn referenced_modules(code: &str, path: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let words = tokens(code);
    for (i, word) in words.iter().enumerate() {
        let rest = &words[i..];
        match word.as_str() {
            "crate" if rest.get(1).is_some_and(|t| t == "::") => match rest.get(2) {
                Some(t) if t == "{" => found.extend(group_heads(&rest[3..])),
                Some(t) if is_ident(t) => {
                    found.insert(t.clone());
                }
                _ => {}
            },
            // `super::super::x` from `app/sub.rs` leaves `app` once the chain climbs past it.
            "super" if i == 0 || words[i - 1] != "::" => {
                let mut up = 0;
                let mut j = 0;
                while rest.get(j).is_some_and(|t| t == "super")
                    && rest.get(j + 1).is_some_and(|t| t == "::")
                {
                    up += 1;
                    j += 2;
                }
                if up >= path.len() {
                    match rest.get(j) {
                        Some(t) if t == "{" => found.extend(group_heads(&rest[j + 1..])),
                        Some(t) if is_ident(t) => {
                            found.insert(t.clone());
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The first name of each path in a `{a::b, c, d::{e, f}}` group, starting after the `{`.
fn group_heads(tokens: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut at_start = true;
    for t in tokens {
        match t.as_str() {
            "{" => depth += 1,
            "}" if depth == 0 => break,
            "}" => depth -= 1,
            "," if depth == 0 => at_start = true,
            t if at_start && depth == 0 && is_ident(t) => {
                if t != "self" {
                    out.push(t.to_string());
                }
                at_start = false;
            }
            _ => {}
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, and single punctuation characters.
fn tokens(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}
