//! `$ref` resolution for the OpenAPI importer: local JSON pointers (`#/components/schemas/Pet`,
//! with `~0`/`~1` and percent escapes) and relative files (`schemas.yaml#/Pet`, `./pet.json`),
//! each file read once and its own refs taken relative to it. Remote (`https://…`) refs are not
//! fetched: they read as an empty value and are named once in the import's dropped lines.
//!
//! Every file a ref names is read before the walk starts (following refs in the files read), so
//! the documents never change afterwards and values can be borrowed from them freely; a file
//! that cannot be read is an error only when a ref into it is followed.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::import::ImportError;
use crate::import::document::parse_document;

/// What a remote or unreadable ref reads as.
static NOTHING: Value = Value::Null;

/// Files read for refs at most: a guard against a tree of generated specs.
const MAX_FILES: usize = 500;

/// Refs followed in one chain (`A` → `B` → …) before giving up.
const MAX_CHAIN: usize = 64;

/// A value and the document it is in (its refs are relative to that document).
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub doc: usize,
    pub value: &'a Value,
}

impl<'a> Node<'a> {
    pub fn get(self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).map(|value| self.with(value))
    }

    pub fn str(self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// Another value of the same document.
    pub fn with(self, value: &'a Value) -> Node<'a> {
        Node {
            doc: self.doc,
            value,
        }
    }

    /// The elements, when this is an array.
    pub fn items(self) -> impl Iterator<Item = Node<'a>> {
        self.value
            .as_array()
            .into_iter()
            .flatten()
            .map(move |v| self.with(v))
    }

    /// The members, when this is an object.
    pub fn entries(self) -> impl Iterator<Item = (&'a str, Node<'a>)> {
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .map(move |(k, v)| (k.as_str(), self.with(v)))
    }
}

/// Where a ref leads: a document and a JSON pointer into it.
pub type Key = (usize, String);

struct Doc {
    /// The folder its relative refs start from.
    dir: PathBuf,
    /// As shown in messages: empty for the specification itself, else its path.
    label: String,
    text: String,
    value: Value,
}

/// The specification and every file its refs name.
pub struct Refs {
    docs: Vec<Doc>,
    files: HashMap<PathBuf, Result<usize, String>>,
    remote: RefCell<Vec<String>>,
}

impl Refs {
    /// Reads every file the refs of `root` (and of the files it names) point into.
    pub fn load(root: Value, text: &str, dir: &Path) -> Refs {
        let mut refs = Refs {
            docs: vec![Doc {
                dir: dir.to_path_buf(),
                label: String::new(),
                text: text.to_string(),
                value: root,
            }],
            files: HashMap::new(),
            remote: RefCell::new(Vec::new()),
        };
        let mut next = 0;
        while next < refs.docs.len() {
            let base = refs.docs[next].dir.clone();
            let wanted: Vec<PathBuf> = file_refs(&refs.docs[next].value)
                .into_iter()
                .map(|f| normalize(&base.join(f)))
                .collect();
            for path in wanted {
                if refs.files.contains_key(&path) {
                    continue;
                }
                let loaded = refs.read(&path, dir);
                refs.files.insert(path, loaded);
            }
            next += 1;
        }
        refs
    }

    fn read(&mut self, path: &Path, root_dir: &Path) -> Result<usize, String> {
        let label = path
            .strip_prefix(root_dir)
            .unwrap_or(path)
            .display()
            .to_string()
            .replace('\\', "/");
        if self.docs.len() >= MAX_FILES {
            return Err(format!("more than {MAX_FILES} files are referred to"));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {label}: {e}"))?;
        let value = parse_document(&text).map_err(|e| format!("{label}: {e}"))?;
        self.docs.push(Doc {
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            label,
            text,
            value,
        });
        Ok(self.docs.len() - 1)
    }

    /// The specification itself.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: 0,
            value: &self.docs[0].value,
        }
    }

    /// The remote refs met (not followed), in the order met.
    pub fn remote(&self) -> Vec<String> {
        self.remote.borrow().clone()
    }

    /// `node`, or what its `$ref` leads to (through any chain of refs), with the key of the last
    /// ref followed. A remote ref leads to `null` and no key.
    pub fn resolve<'a>(&'a self, node: Node<'a>) -> Result<(Node<'a>, Option<Key>), ImportError> {
        let mut current = node;
        let mut chain: Vec<Key> = Vec::new();
        while let Some(r) = current.value.get("$ref").and_then(Value::as_str) {
            let Some(key) = self.target(current.doc, r)? else {
                return Ok((current.with(&NOTHING), None));
            };
            if chain.contains(&key) {
                chain.push(key);
                let shown: Vec<String> = chain.iter().map(|k| self.show(k)).collect();
                return Err(ImportError::new(format!(
                    "$ref cycle: {} (a ref that only leads back to itself never reaches a value)",
                    shown.join(" → ")
                )));
            }
            if chain.len() >= MAX_CHAIN {
                return Err(ImportError::new(format!(
                    "$ref `{r}`: more than {MAX_CHAIN} refs in a row"
                )));
            }
            let value = self.docs[key.0]
                .value
                .pointer(&key.1)
                .ok_or_else(|| self.missing(current.doc, r, &key))?;
            current = Node { doc: key.0, value };
            chain.push(key);
        }
        Ok((current, chain.pop()))
    }

    /// `node` with its refs followed, or an error.
    pub fn deref<'a>(&'a self, node: Node<'a>) -> Result<Node<'a>, ImportError> {
        Ok(self.resolve(node)?.0)
    }

    /// The key `r` (written in document `doc`) points to; `None` for a remote ref.
    fn target(&self, doc: usize, r: &str) -> Result<Option<Key>, ImportError> {
        let (file, fragment) = r.split_once('#').unwrap_or((r, ""));
        if is_remote(file) {
            let mut remote = self.remote.borrow_mut();
            if !remote.iter().any(|x| x == r) {
                remote.push(r.to_string());
            }
            return Ok(None);
        }
        let doc = if file.is_empty() {
            doc
        } else {
            let path = normalize(&self.docs[doc].dir.join(decode(file)));
            match self.files.get(&path) {
                Some(Ok(index)) => *index,
                Some(Err(why)) => return Err(self.error_at(doc, r, format!("$ref `{r}`: {why}"))),
                None => {
                    return Err(self.error_at(
                        doc,
                        r,
                        format!("$ref `{r}`: {} was not read", path.display()),
                    ));
                }
            }
        };
        let pointer = decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(self.error_at(
                doc,
                r,
                format!(
                    "$ref `{r}`: only JSON-pointer fragments (`#/components/…`) are supported, \
                     not anchors"
                ),
            ));
        }
        Ok(Some((doc, pointer)))
    }

    fn missing(&self, from: usize, r: &str, key: &Key) -> ImportError {
        let place = match &self.docs[key.0].label {
            l if l.is_empty() => "the specification".to_string(),
            l => l.clone(),
        };
        let pointer = if key.1.is_empty() { "/" } else { &key.1 };
        self.error_at(
            from,
            r,
            format!("$ref `{r}` points to nothing: {place} has no `{pointer}`"),
        )
    }

    /// An error about `r`, written in document `doc`, at the line it first appears on.
    fn error_at(&self, doc: usize, r: &str, message: String) -> ImportError {
        let d = &self.docs[doc];
        match (line_of(&d.text, r), d.label.is_empty()) {
            (Some(line), true) => ImportError::at(line, message),
            (Some(line), false) => ImportError::new(format!("{} line {line}: {message}", d.label)),
            (None, _) => ImportError::new(message),
        }
    }

    /// `#/components/schemas/A`, or `pet.yaml#/Pet` in another file.
    fn show(&self, key: &Key) -> String {
        format!("{}#{}", self.docs[key.0].label, key.1)
    }
}

/// The 1-based line `needle` first appears on.
pub fn line_of(text: &str, needle: &str) -> Option<usize> {
    let at = text.find(needle)?;
    Some(text[..at].matches('\n').count() + 1)
}

/// The file parts of every `$ref` in `value` (remote ones left out), each once.
fn file_refs(value: &Value) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let file = r.split('#').next().unwrap_or_default();
                    if !file.is_empty() && !is_remote(file) && seen.insert(file) {
                        out.push(decode(file));
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// `https://…`, `//host/…`, `urn:…`: not a file beside the specification.
fn is_remote(file: &str) -> bool {
    file.contains("://")
        || file.starts_with("//")
        || file.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+')
        })
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
