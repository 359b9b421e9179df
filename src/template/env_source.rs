//! Where `{{env.NAME}}` comes from: scout's injected values, then the process environment, then
//! the `.env` file next to the collection. All three are secret-bearing; their values are taken
//! literally (never template-expanded).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dotenv::{DOTENV_FILE, DotEnvError, read_dotenv};
use super::vars::Layer;

/// Looks one variable up in "the process environment" (injectable so tests need not mutate it).
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The `env.*` namespace, in lookup order. [`Default`] reads the real process environment and
/// has no `.env` file and no injected values.
#[derive(Clone)]
pub struct EnvSource {
    injected: BTreeMap<String, String>,
    process: Option<EnvLookup>,
    dotenv: BTreeMap<String, String>,
    /// The `.env` path looked at, and whether it existed.
    dotenv_path: Option<(PathBuf, bool)>,
}

impl Default for EnvSource {
    fn default() -> Self {
        EnvSource::empty().with_process_lookup(|name| std::env::var(name).ok())
    }
}

impl EnvSource {
    /// The real process environment, no `.env`, nothing injected (same as `default()`).
    pub fn new() -> Self {
        EnvSource::default()
    }

    /// Nothing at all: not even the process environment. For tests and sandboxed previews.
    pub fn empty() -> Self {
        EnvSource {
            injected: BTreeMap::new(),
            process: None,
            dotenv: BTreeMap::new(),
            dotenv_path: None,
        }
    }

    /// Adds a value scout provides itself (e.g. `SCOUT_DEMO_URL`); it beats the process
    /// environment and `.env`.
    pub fn with_injected(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.injected.insert(name.into(), value.into());
        self
    }

    /// Replaces how the process environment is read.
    pub fn with_process_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.process = Some(Arc::new(lookup));
        self
    }

    /// Uses already-parsed `.env` values; `path` is only named in messages.
    pub fn with_dotenv(mut self, path: impl Into<PathBuf>, vars: BTreeMap<String, String>) -> Self {
        self.dotenv = vars;
        self.dotenv_path = Some((path.into(), true));
        self
    }

    /// Reads `dir/.env` (the collection's directory). A missing file is fine: nothing is added,
    /// and messages say where the file was looked for.
    pub fn with_dotenv_dir(mut self, dir: &Path) -> Result<Self, DotEnvError> {
        let path = dir.join(DOTENV_FILE);
        let found = read_dotenv(&path)?;
        self.dotenv_path = Some((path, found.is_some()));
        self.dotenv = found.unwrap_or_default();
        Ok(self)
    }

    /// The value of `env.<name>` and the layer it came from.
    pub fn lookup(&self, name: &str) -> Option<(String, Layer)> {
        if let Some(v) = self.injected.get(name) {
            return Some((v.clone(), Layer::Injected));
        }
        if let Some(v) = self.process.as_ref().and_then(|lookup| lookup(name)) {
            return Some((v, Layer::ProcessEnv));
        }
        self.dotenv.get(name).map(|v| (v.clone(), Layer::DotEnv))
    }

    /// The places [`lookup`](Self::lookup) searches, for "not defined" messages.
    pub fn places(&self) -> Vec<String> {
        let mut places = Vec::new();
        if !self.injected.is_empty() {
            places.push("scout's built-in values".to_string());
        }
        if self.process.is_some() {
            places.push("the process environment".to_string());
        }
        match &self.dotenv_path {
            Some((path, true)) => places.push(path.display().to_string()),
            Some((path, false)) => places.push(format!("{} (no such file)", path.display())),
            None => {}
        }
        places
    }
}

/// Shows names only: values are secrets.
impl fmt::Debug for EnvSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvSource")
            .field("injected", &self.injected.keys().collect::<Vec<_>>())
            .field("process", &self.process.is_some())
            .field("dotenv", &self.dotenv.keys().collect::<Vec<_>>())
            .field("dotenv_path", &self.dotenv_path)
            .finish()
    }
}
