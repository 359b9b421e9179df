//! curl commands → a collection: one request per command, with what curl would send. Credentials
//! (`-u`, `--oauth2-bearer`, an `Authorization` header) become auth profiles whose secrets are
//! `{{env.…}}` references; other secret headers (cookies, API keys) keep their name and refer to
//! the environment for their value. curl's settings that differ from scout's defaults are
//! written: not following redirects (curl's default without `-L`), timeouts, retries, TLS and
//! proxy.

use crate::collection::SavedRequest;
use crate::import::curl::{Curl, CurlError, Files, is_curl, parse_words, text, variables};
use crate::import::secrets::{Profiles, authorization_profile, is_secret_header};
use crate::import::shell::{commands, with_dollars};
use crate::import::{ImportError, Imported, Secrets, Source, empty_collection};
use crate::model::settings::{AuthChoice, Settings};
use crate::model::{AuthProfile, KeyValue, RetryPolicy};

/// Every `curl …` command of the source (one per line, continuations joined); other commands of
/// a script (`echo`, a `| jq` after curl) are named and skipped.
pub fn import(source: &Source<'_>) -> Result<Imported, ImportError> {
    let commands = commands(source.text).map_err(|e| ImportError::at(e.line, e.message))?;
    let mut builder = Builder {
        secrets: Secrets::beside(&source.known_env),
        ..Builder::default()
    };
    let several = commands.len() > 1;
    let mut skipped = Vec::new();
    for command in &commands {
        let Some(first) = command.words.first() else {
            continue;
        };
        if !is_curl(first) {
            skipped.push(format!(
                "line {}: `{}` is not a curl command, skipped",
                command.line,
                with_dollars(first)
            ));
            continue;
        }
        let curls = parse_words(&command.words, Files(Some(&source.dir)))
            .map_err(|e: CurlError| ImportError::at(command.line, e.to_string()))?;
        for curl in curls {
            builder.add(curl, command.line, several);
        }
    }
    if builder.requests.is_empty() {
        return Err(match commands.first() {
            Some(c) => ImportError::at(
                c.line,
                format!(
                    "this is not a curl command (it starts with `{}`)",
                    with_dollars(&c.words[0])
                ),
            ),
            None => ImportError::new("there is no curl command in the input"),
        });
    }
    builder.dropped.extend(skipped);
    builder.finish_connection();
    let mut collection = empty_collection("curl");
    collection.requests = builder.requests;
    collection.auth = builder.profiles.list;
    collection.connection = builder.connection;
    Ok(Imported {
        collection,
        secrets: builder.secrets.found,
        dropped: builder.dropped,
    })
}

#[derive(Default)]
struct Builder {
    requests: Vec<SavedRequest>,
    profiles: Profiles,
    connection: crate::model::settings::Connection,
    secrets: Secrets,
    dropped: Vec<String>,
    /// The lines of the commands with `-k`.
    insecure: Vec<usize>,
    /// How many commands were read.
    commands: usize,
}

impl Builder {
    /// `-k` switches certificate checks off for a whole collection: only when every command
    /// asks for it.
    fn finish_connection(&mut self) {
        if !self.insecure.is_empty() && self.insecure.len() == self.commands {
            self.connection.insecure = true;
            return;
        }
        for line in std::mem::take(&mut self.insecure) {
            self.dropped.push(format!(
                "line {line}: -k switches certificate checks off for a whole collection in \
                 scout, and not every command asks for it; not applied"
            ));
        }
    }

    fn add(&mut self, mut curl: Curl, line: usize, several: bool) {
        self.commands += 1;
        let at = |text: String| {
            if several {
                format!("line {line}: {text}")
            } else {
                text
            }
        };
        self.dropped
            .extend(std::mem::take(&mut curl.dropped).into_iter().map(at));
        let mut spec = curl.spec.clone();
        spec.url = text(&spec.url);
        spec.body = text(&spec.body);
        // An Authorization header of the command's own is what curl sends, -u or not.
        let explicit = spec
            .headers
            .iter()
            .any(|h| h.key.eq_ignore_ascii_case("authorization"));
        let mut profile = match (&curl.user, &curl.bearer) {
            _ if explicit => {
                if curl.user.is_some() || curl.bearer.is_some() {
                    self.dropped.push(at(
                        "-u / --oauth2-bearer: the command sets an Authorization header, which \
                         curl sends instead"
                            .into(),
                    ));
                }
                None
            }
            (Some((user, password)), _) => Some(credentials(curl.digest, user, password)),
            (None, Some(token)) => Some(AuthProfile::Bearer {
                token: variables(token),
            }),
            (None, None) => None,
        };
        let mut headers = Vec::new();
        for h in spec.headers {
            if h.key.eq_ignore_ascii_case("authorization")
                && profile.is_none()
                && let Some(p) = authorization_profile(&variables(&h.value))
            {
                profile = Some(p);
                continue;
            }
            let value = if is_secret_header(&h.key) {
                self.secrets.hide(&h.key, &variables(&h.value))
            } else {
                text(&h.value)
            };
            headers.push(KeyValue {
                value,
                key: h.key,
                ..h
            });
        }
        spec.headers = headers;
        let mut saved = SavedRequest::new("", None, &spec);
        // The query stays in the URL as curl sends it: split into a table it would be decoded
        // and encoded again, which can change its bytes (`?a` would become `?a=`).
        saved.url = spec.url.clone();
        saved.query.clear();
        saved.settings = settings(&curl);
        if let Some(profile) = profile {
            // Literal text, apart from the secret the profile list hides.
            let profile = match profile {
                AuthProfile::Basic { username, password } => AuthProfile::Basic {
                    username: text(&username),
                    password: variables(&password),
                },
                AuthProfile::Digest { username, password } => AuthProfile::Digest {
                    username: text(&username),
                    password: variables(&password),
                },
                other => other,
            };
            let name = self.profiles.add(&mut self.secrets, profile);
            saved.settings.auth = Some(AuthChoice::Profile(name));
        }
        self.connection_from(&curl, line);
        // curl sends the same request to each of the command's URLs.
        for url in &curl.more_urls {
            self.requests.push(SavedRequest {
                url: text(url),
                ..saved.clone()
            });
        }
        self.requests
            .insert(self.requests.len() - curl.more_urls.len(), saved);
    }

    /// TLS and proxy apply to the whole collection: the first command's win, and a command
    /// that differs is named.
    fn connection_from(&mut self, curl: &Curl, line: usize) {
        let c = &mut self.connection;
        let mut conflict = |what: &str| {
            self.dropped.push(format!(
                "line {line}: {what} differs from an earlier command's; a collection has one, \
                 the first is kept"
            ))
        };
        if curl.insecure {
            self.insecure.push(line);
        }
        for (mine, theirs, what) in [
            (&mut c.ca_cert, &curl.ca_cert, "--cacert"),
            (&mut c.client_cert, &curl.client_cert, "--cert"),
        ] {
            match (mine.as_ref(), theirs) {
                (None, Some(p)) => *mine = Some(p.clone()),
                (Some(a), Some(b)) if a != b => conflict(what),
                _ => {}
            }
        }
        match (&c.proxy, &curl.proxy) {
            (None, Some(p)) => c.proxy = Some(p.clone()),
            (Some(a), Some(b)) if a != b => conflict("--proxy"),
            _ => {}
        }
        if curl.client_key.is_some() {
            self.dropped.push(
                "--key: scout reads the private key from the --cert file; put both in one PEM \
                 file"
                    .into(),
            );
        }
    }
}

/// `-u user:password`, with `--digest` for Digest.
fn credentials(digest: bool, user: &str, password: &str) -> AuthProfile {
    let (username, password) = (user.to_string(), password.to_string());
    if digest {
        AuthProfile::Digest { username, password }
    } else {
        AuthProfile::Basic { username, password }
    }
}

/// What curl does that scout would otherwise not: not following redirects without `-L`, its
/// timeouts and retries.
fn settings(curl: &Curl) -> Settings {
    Settings {
        follow_redirects: (!curl.follow).then_some(false),
        max_redirects: curl.max_redirects.filter(|_| curl.follow),
        timeout: curl.timeout,
        connect_timeout: curl.connect_timeout,
        retries: curl.retries.map(|max| RetryPolicy {
            max,
            ..RetryPolicy::default()
        }),
        ..Settings::default()
    }
}

#[cfg(test)]
#[path = "from_curl_tests.rs"]
mod tests;
