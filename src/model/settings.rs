//! How a request is sent, beyond what it is: auth profile, timeouts, retries and redirects. A
//! collection, each folder (`[folders."a/b"]`) and each request can set them; the nearest one
//! wins (request → its folder → the folder's parents → the collection), so a setting is written
//! once where it applies.
//!
//! Connection settings (TLS and proxy) apply to a whole collection: see [`Connection`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::RetryPolicy;

/// Redirects followed before giving up, unless the settings say otherwise.
pub const MAX_REDIRECTS: u32 = 10;

/// The deadlines of one exchange (each redirect hop and each retry attempt gets them afresh).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Reaching the server: DNS, TCP and TLS. Applied by the client (see [`ClientOptions`]).
    pub connect: Duration,
    /// The whole exchange, redirects included, from sending to the last body byte.
    pub total: Duration,
    /// The longest silence allowed: between two pieces of the body, and before the response head
    /// arrives after connecting. `None` = no limit (the total timeout still applies).
    ///
    /// reqwest does not say when the connection is up, so the head must arrive within
    /// `connect + read` of sending: a connection takes at most `connect` (else the connect timeout
    /// fires first), so the server always gets at least `read` after connecting. Uploading the
    /// request body counts as waiting for the head.
    pub read: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            total: Duration::from_secs(30),
            read: None,
        }
    }
}

/// Whether redirects are followed (`follow_redirects`), and how many at most (`max_redirects`).
/// Not following returns the 3xx response as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redirects {
    pub follow: bool,
    pub max: u32,
}

impl Default for Redirects {
    fn default() -> Self {
        Redirects {
            follow: true,
            max: MAX_REDIRECTS,
        }
    }
}

/// What the pooled client is built with: the connect timeout and a collection's TLS and proxy
/// settings, file paths absolute. The worker keeps one client per distinct value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientOptions {
    pub connect: Duration,
    /// Accept any server certificate (and host name).
    pub insecure: bool,
    /// Extra root certificates (PEM), trusted besides the system's.
    pub ca_cert: Option<PathBuf>,
    /// A client certificate (PEM), with its private key in the same file unless `client_key`
    /// names one.
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key, PEM, when it is not in `client_cert`'s file.
    pub client_key: Option<PathBuf>,
    /// A proxy for every request (`NO_PROXY` still applies). `None`: `HTTP_PROXY`, `HTTPS_PROXY`,
    /// `ALL_PROXY` and `NO_PROXY` from the environment.
    pub proxy: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions::new(Timeouts::default().connect)
    }
}

impl ClientOptions {
    /// No TLS or proxy settings: system roots, the environment's proxy.
    pub fn new(connect: Duration) -> Self {
        ClientOptions {
            connect,
            insecure: false,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            proxy: None,
        }
    }
}

/// Which auth profile applies: a profile by name, or explicitly none (`auth = "none"`), which
/// stops a folder or request from inheriting one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthChoice {
    Profile(String),
    None,
}

impl AuthChoice {
    /// `"none"` opts out; anything else names a profile.
    pub fn parse(text: &str) -> AuthChoice {
        if text == "none" {
            AuthChoice::None
        } else {
            AuthChoice::Profile(text.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AuthChoice::Profile(name) => name,
            AuthChoice::None => "none",
        }
    }
}

/// The inheritable settings; `None` means "not set here".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub auth: Option<AuthChoice>,
    pub connect_timeout: Option<Duration>,
    /// The whole exchange.
    pub timeout: Option<Duration>,
    /// Idle time allowed between bytes.
    pub read_timeout: Option<Duration>,
    pub retries: Option<RetryPolicy>,
    pub follow_redirects: Option<bool>,
    pub max_redirects: Option<u32>,
    /// Use the private HTTP cache (`cache = true`): fresh responses are reused without a
    /// request, stale ones revalidated.
    pub cache: Option<bool>,
}

impl Settings {
    /// These settings, with anything unset taken from `outer` (the folder or collection around).
    pub fn within(&self, outer: &Settings) -> Settings {
        Settings {
            auth: self.auth.clone().or_else(|| outer.auth.clone()),
            connect_timeout: self.connect_timeout.or(outer.connect_timeout),
            timeout: self.timeout.or(outer.timeout),
            read_timeout: self.read_timeout.or(outer.read_timeout),
            retries: self.retries.clone().or_else(|| outer.retries.clone()),
            follow_redirects: self.follow_redirects.or(outer.follow_redirects),
            max_redirects: self.max_redirects.or(outer.max_redirects),
            cache: self.cache.or(outer.cache),
        }
    }

    /// `base` with the timeouts these settings set.
    pub fn timeouts(&self, base: Timeouts) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout.unwrap_or(base.connect),
            total: self.timeout.unwrap_or(base.total),
            read: self.read_timeout.or(base.read),
        }
    }

    /// Whether and how far redirects are followed (default: follow, up to 10).
    pub fn redirects(&self) -> Redirects {
        let default = Redirects::default();
        Redirects {
            follow: self.follow_redirects.unwrap_or(default.follow),
            max: self.max_redirects.unwrap_or(default.max),
        }
    }

    /// The profile name in force, if any (`auth = "none"` gives `None`).
    pub fn auth_profile(&self) -> Option<&str> {
        match &self.auth {
            Some(AuthChoice::Profile(name)) => Some(name),
            _ => None,
        }
    }
}

/// TLS and proxy settings of a collection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Connection {
    /// Accept any certificate. Shown as a persistent warning while in force.
    pub insecure: bool,
    /// Extra root certificate(s), PEM, relative to the collection's folder.
    pub ca_cert: Option<PathBuf>,
    /// A client certificate and its private key, PEM, relative to the collection's folder.
    pub client_cert: Option<PathBuf>,
    /// A proxy URL for every request of the collection (else `HTTP(S)_PROXY`/`NO_PROXY`).
    pub proxy: Option<String>,
}

impl Connection {
    /// The client settings for a collection in `dir`: certificate paths made absolute.
    pub fn client_options(&self, dir: &Path, connect: Duration) -> ClientOptions {
        ClientOptions {
            connect,
            insecure: self.insecure,
            ca_cert: self.ca_cert.as_ref().map(|p| dir.join(p)),
            client_cert: self.client_cert.as_ref().map(|p| dir.join(p)),
            client_key: None,
            proxy: self.proxy.clone(),
        }
    }
}

/// Folder settings: `[folders."a/b"]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FolderSettings {
    /// `a/b`.
    pub path: String,
    pub settings: Settings,
    /// What the folder is about, shown under the tree while it is selected.
    pub description: Option<String>,
}

/// The settings for a request in `folder` with its own `settings`, inside a collection with
/// `top` settings and `folders`: the nearest setting wins.
///
/// ```
/// use std::time::Duration;
/// use scout::model::settings::{effective, AuthChoice, FolderSettings, Settings};
/// let top = Settings { auth: Some(AuthChoice::parse("ci")), timeout: Some(Duration::from_secs(30)), ..Default::default() };
/// let folders = vec![FolderSettings {
///     path: "items".into(),
///     settings: Settings { auth: Some(AuthChoice::parse("none")), ..Default::default() },
///     description: None,
/// }];
/// let own = Settings { timeout: Some(Duration::from_secs(5)), ..Default::default() };
/// let s = effective(&top, &folders, Some("items/admin"), &own);
/// assert_eq!(s.auth_profile(), None);
/// assert_eq!(s.timeout, Some(Duration::from_secs(5)));
/// ```
pub fn effective(
    top: &Settings,
    folders: &[FolderSettings],
    folder: Option<&str>,
    own: &Settings,
) -> Settings {
    let mut outer = top.clone();
    if let Some(folder) = folder {
        // From the outermost folder inwards: `a`, then `a/b`.
        let mut path = String::new();
        for part in folder.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            if let Some(f) = folders.iter().find(|f| f.path == path) {
                outer = f.settings.within(&outer);
            }
        }
    }
    own.within(&outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Option<Duration> {
        Some(Duration::from_secs(n))
    }

    #[test]
    fn the_nearest_setting_wins_folder_by_folder() {
        let top = Settings {
            auth: Some(AuthChoice::parse("ci")),
            timeout: secs(30),
            connect_timeout: secs(3),
            ..Default::default()
        };
        let folders = vec![
            FolderSettings {
                path: "a".into(),
                settings: Settings {
                    timeout: secs(20),
                    read_timeout: secs(7),
                    ..Default::default()
                },
                description: None,
            },
            FolderSettings {
                path: "a/b".into(),
                settings: Settings {
                    auth: Some(AuthChoice::parse("svc")),
                    timeout: secs(10),
                    ..Default::default()
                },
                description: None,
            },
            // A sibling whose name starts the same way does not apply.
            FolderSettings {
                path: "a/bc".into(),
                settings: Settings {
                    timeout: secs(1),
                    ..Default::default()
                },
                description: None,
            },
        ];
        let own = Settings::default();
        let s = effective(&top, &folders, Some("a/b"), &own);
        assert_eq!(s.auth_profile(), Some("svc"));
        assert_eq!(s.timeout, secs(10));
        assert_eq!(s.read_timeout, secs(7));
        assert_eq!(s.connect_timeout, secs(3));

        let s = effective(&top, &folders, Some("a"), &own);
        assert_eq!(s.auth_profile(), Some("ci"));
        assert_eq!(s.timeout, secs(20));

        let s = effective(&top, &folders, None, &own);
        assert_eq!(s.timeout, secs(30));
        assert_eq!(s.read_timeout, None);

        let none = Settings {
            auth: Some(AuthChoice::None),
            ..Default::default()
        };
        let s = effective(&top, &folders, Some("a/b"), &none);
        assert_eq!(s.auth, Some(AuthChoice::None));
        assert_eq!(s.auth_profile(), None);
    }
}
