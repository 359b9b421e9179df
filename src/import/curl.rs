//! A curl command line read as curl reads it: the request it would send (method, URL, headers,
//! body, with curl's own defaults: `-d` makes a form POST, `-G` moves data into the query, `-I`
//! is HEAD, `--json` sets both JSON headers), the settings it names (`-k`, `-L`, timeouts, a
//! proxy, certificates) and every option scout cannot carry over, named.

use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use self::options::{SILENT, options};
use crate::import::shell::{SplitError, split};
use crate::model::duration::MAX_DURATION;
use crate::model::{BodyKind, KeyValue, MAX_RETRIES, Method, MultipartLine, RequestSpec, counted};

#[path = "curl_options.rs"]
mod options;

/// What curl's `--data-urlencode` leaves as is: letters, digits and `-._~`.
const URLENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A curl command, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Curl {
    /// The request as curl would send it (User-Agent aside).
    pub spec: RequestSpec,
    /// `-u user:password`: Basic (or Digest with `--digest`) credentials.
    pub user: Option<(String, String)>,
    pub digest: bool,
    /// `--oauth2-bearer TOKEN`.
    pub bearer: Option<String>,
    /// `-L`: follow redirects (curl does not by default).
    pub follow: bool,
    pub max_redirects: Option<u32>,
    /// `-k`.
    pub insecure: bool,
    /// `-m` / `--max-time`.
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    /// `--retry N`.
    pub retries: Option<u32>,
    pub proxy: Option<String>,
    pub ca_cert: Option<PathBuf>,
    /// `--cert` (with `--key` when the key is apart).
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Options scout does not carry over, one line each ("--proxy-negotiate: not supported,
    /// dropped").
    pub dropped: Vec<String>,
    /// The command's other URLs: curl sends the same request to each, in turn.
    pub more_urls: Vec<String>,
}

/// Why a command could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurlError {
    #[error("{0}")]
    Split(#[from] SplitError),
    #[error("this is not a curl command (it starts with `{0}`)")]
    NotCurl(String),
    #[error("no URL in the command")]
    NoUrl,
    #[error("{option} needs a value")]
    MissingValue { option: String },
    #[error("{option}: {reason}")]
    BadValue { option: String, reason: String },
}

/// Where `@file` arguments are read from: a folder, or nowhere (a command pasted into the app,
/// which names the option that needs a file).
#[derive(Debug, Clone, Copy, Default)]
pub struct Files<'a>(pub Option<&'a Path>);

impl Files<'_> {
    fn read(&self, option: &str, path: &str) -> Result<Vec<u8>, CurlError> {
        let bad = |reason: String| CurlError::BadValue {
            option: option.to_string(),
            reason,
        };
        if path == "-" {
            return Err(bad(
                "it reads standard input, which import cannot replay".into()
            ));
        }
        let Some(dir) = self.0 else {
            return Err(bad(format!(
                "it reads the file {path}: import the command with `scout import curl FILE` in the \
                 folder that has {path}"
            )));
        };
        std::fs::read(dir.join(path)).map_err(|e| bad(format!("cannot read {path}: {e}")))
    }

    fn read_text(&self, option: &str, path: &str) -> Result<String, CurlError> {
        String::from_utf8(self.read(option, path)?).map_err(|_| CurlError::BadValue {
            option: option.to_string(),
            reason: format!("{path} is not UTF-8 text"),
        })
    }
}

/// Reads a whole command line (`curl …`, as copied); `@file` arguments cannot be read. A command
/// holding several requests (more URLs, `--next`) gives its first, and says so.
pub fn parse_command(command: &str) -> Result<Curl, CurlError> {
    let mut all = parse_words(&split(command)?, Files::default())?;
    let mut first = all.remove(0);
    let more = first.more_urls.len() + all.iter().map(|c| 1 + c.more_urls.len()).sum::<usize>();
    if more > 0 {
        first.dropped.push(format!(
            "{} more in the command: only the first is taken",
            counted(more, "request")
        ));
        first.more_urls.clear();
    }
    Ok(first)
}

/// Reads the words of one command, `curl` first: its requests, one per group of options
/// `--next` separates.
pub fn parse_words(words: &[String], files: Files<'_>) -> Result<Vec<Curl>, CurlError> {
    let Some((first, args)) = words.split_first() else {
        return Err(CurlError::NotCurl(String::new()));
    };
    if !is_curl(first) {
        return Err(CurlError::NotCurl(first.clone()));
    }
    // Split after reading the options: `-:` can be another option's value (`-d -:`).
    options(args)?
        .split(|(name, _)| name == "--next")
        .map(|group| read_options(group, files))
        .collect()
}

/// `curl`, `/usr/bin/curl`, `curl.exe`.
pub fn is_curl(word: &str) -> bool {
    word == "curl" || word.ends_with("/curl") || word == "curl.exe"
}

/// One request's options (curl's arguments, as [`options`] split them).
fn read_options(opts: &[(String, Option<String>)], files: Files<'_>) -> Result<Curl, CurlError> {
    let mut curl = Curl::default();
    let mut method: Option<String> = None;
    let mut urls: Vec<String> = Vec::new();
    let mut query: Vec<String> = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut json: Vec<String> = Vec::new();
    let mut form: Vec<MultipartLine> = Vec::new();
    let (mut get, mut head) = (false, false);
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut cookies: Vec<String> = Vec::new();
    let mut upload: Option<String> = None;
    let mut other_auth: Option<String> = None;
    for (name, value) in opts.iter().cloned() {
        let v = value.unwrap_or_default();
        let bad = |reason: &str| CurlError::BadValue {
            option: name.clone(),
            reason: reason.to_string(),
        };
        match name.as_str() {
            "--url" => urls.push(v),
            "--request" => method = Some(v),
            "--header" => {
                let lines = match v.strip_prefix('@') {
                    // One header per line of the file.
                    Some(path) => files.read_text(&name, path)?,
                    None => v.clone(),
                };
                for line in lines.lines().filter(|l| !l.trim().is_empty()) {
                    match line.split_once(':') {
                        // `-H "X-Thing:"` removes a header curl would send; `-H "X;"` sends it
                        // empty.
                        Some((k, rest)) if rest.trim().is_empty() => {
                            removed.push(k.trim().to_string())
                        }
                        Some((k, rest)) => {
                            headers.push((k.trim().to_string(), rest.trim().to_string()))
                        }
                        None => match line.strip_suffix(';') {
                            Some(k) => headers.push((k.trim().to_string(), String::new())),
                            // curl ignores it.
                            None => curl.dropped.push(format!(
                                "-H {}: not `Name: value`, dropped (curl ignores it)",
                                crate::import::shell::with_dollars(line)
                            )),
                        },
                    }
                }
            }
            // `-d @file` sends the file without its line ends, as curl does.
            "--data" | "--data-ascii" => data.push(match v.strip_prefix('@') {
                Some(path) => files.read_text(&name, path)?.replace(['\r', '\n'], ""),
                None => v,
            }),
            "--data-raw" => data.push(v),
            "--data-binary" => match v.strip_prefix('@') {
                Some(path) => data.push(files.read_text(&name, path)?),
                None => data.push(v),
            },
            "--data-urlencode" => data.push(urlencode_item(&v, files).map_err(|r| bad(&r))?),
            "--json" => json.push(match v.strip_prefix('@') {
                Some(path) => files.read_text(&name, path)?,
                None => v,
            }),
            "--upload-file" => upload = Some(v),
            "--range" => headers.push(("Range".into(), format!("bytes={v}"))),
            // `-C N` resumes at byte N; `-C -` works it out from a local file.
            "--continue-at" if v.parse::<u64>().is_ok() => {
                headers.push(("Range".into(), format!("bytes={v}-")))
            }
            "--time-cond" => match time_condition(&v) {
                Some(header) => headers.push(header),
                None => curl.dropped.push(format!(
                    "-z {v}: only an HTTP date is read (Wed, 21 Oct 2015 07:28:00 GMT), dropped"
                )),
            },
            "--form" | "--form-string" => {
                let part = form_part(&v, name == "--form-string", files).map_err(|r| bad(&r))?;
                if name == "--form"
                    && let MultipartLine::File {
                        name: field, path, ..
                    } = &part
                    && v.contains(";filename=")
                {
                    curl.dropped.push(format!(
                        "-F {field}: ;filename= is not kept, the part is sent as {}",
                        path.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    ));
                }
                form.push(part)
            }
            "--get" => get = true,
            "--head" => head = true,
            "--user" => {
                let (user, password) = v.split_once(':').unwrap_or((v.as_str(), ""));
                curl.user = Some((user.to_string(), password.to_string()));
            }
            "--digest" => curl.digest = true,
            "--basic" => curl.digest = false,
            "--oauth2-bearer" => curl.bearer = Some(v),
            "--ntlm" | "--ntlm-wb" | "--negotiate" | "--anyauth" | "--aws-sigv4" | "--krb" => {
                other_auth = Some(name.clone())
            }
            "--cookie" => {
                if v.contains('=') {
                    cookies.push(v);
                } else {
                    curl.dropped
                        .push(format!("--cookie {v}: a cookie file is not read, dropped"));
                }
            }
            "--user-agent" => headers.push(("User-Agent".into(), v)),
            // `url;auto` also sets the Referer of redirects, which scout does not.
            "--referer" => match v.strip_suffix(";auto").unwrap_or(&v) {
                "" => {}
                url => headers.push(("Referer".into(), url.to_string())),
            },
            "--insecure" => curl.insecure = true,
            "--location" => curl.follow = true,
            "--location-trusted" => {
                curl.follow = true;
                curl.dropped.push(
                    "--location-trusted: redirects are followed, but credentials never go to \
                     another host"
                        .into(),
                );
            }
            "--max-redirs" => {
                curl.max_redirects = Some(v.parse().map_err(|_| bad("a number of redirects"))?)
            }
            "--max-time" | "--connect-timeout" => {
                let mut limit = seconds(&v).ok_or_else(|| bad("seconds"))?;
                if limit > MAX_DURATION {
                    curl.dropped
                        .push(format!("{name} {v}: scout waits at most 24h; 24h kept"));
                    limit = MAX_DURATION;
                }
                if limit.is_zero() {
                    // curl's 0 is no limit; scout always has one.
                    curl.dropped.push(format!(
                        "{name} 0: curl's \"no limit\"; scout's default timeout applies"
                    ));
                } else if name == "--max-time" {
                    curl.timeout = Some(limit);
                } else {
                    curl.connect_timeout = Some(limit);
                }
            }
            "--retry" => {
                let max: u32 = v.parse().map_err(|_| bad("a number of retries"))?;
                if max > MAX_RETRIES {
                    curl.dropped.push(format!(
                        "--retry {max}: scout retries at most {MAX_RETRIES} times; {MAX_RETRIES} kept"
                    ));
                }
                curl.retries = Some(max.min(MAX_RETRIES));
            }
            // `+name=value` is added as written, already encoded.
            "--url-query" => query.push(match v.strip_prefix('+') {
                Some(raw) => raw.to_string(),
                None => urlencode_item(&v, files).map_err(|r| bad(&r))?,
            }),
            "--proxy" => curl.proxy = Some(v),
            "--cacert" => curl.ca_cert = Some(PathBuf::from(v)),
            "--cert" => curl.client_cert = Some(PathBuf::from(v)),
            "--key" => curl.client_key = Some(PathBuf::from(v)),
            n if SILENT.contains(&n) => {}
            // The name only: a value can be a secret (`--proxy-user`).
            n => curl.dropped.push(format!("{n}: not supported, dropped")),
        }
    }
    if urls.is_empty() {
        return Err(CurlError::NoUrl);
    }
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    // A Cookie header of the command's own wins over -b, as in curl.
    if !cookies.is_empty() {
        if has(&headers, "cookie") {
            curl.dropped
                .push("-b: the command sets a Cookie header, which curl sends instead".into());
        } else {
            headers.push(("Cookie".into(), cookies.join("; ")));
        }
    }
    // Every URL gets the query and, with -G, the data; `user:password@` becomes credentials.
    let mut urls: Vec<String> = urls
        .into_iter()
        .map(|mut url| {
            if let Some((user, password)) = take_userinfo(&mut url)
                && curl.user.is_none()
            {
                curl.user = Some((user, password));
            }
            for q in &query {
                add_query(&mut url, q);
            }
            if get && !data.is_empty() {
                add_query(&mut url, &data.join("&"));
            }
            if let Some(file) = &upload
                && !has_file_part(&url)
            {
                // curl names the resource after the file.
                if !url.ends_with('/') {
                    url.push('/');
                }
                url.push_str(file.rsplit('/').next().unwrap_or(file));
            }
            url
        })
        .collect();
    let url = urls.remove(0);
    curl.more_urls = urls;
    if let Some(method) = other_auth {
        if curl.user.take().is_some() {
            curl.dropped.push(format!(
                "{method}: not supported; its credentials are not imported"
            ));
        } else {
            curl.dropped
                .push(format!("{method}: not supported, dropped"));
        }
    }
    let mut body_kind = BodyKind::None;
    let mut body = String::new();
    if let Some(file) = &upload {
        body_kind = BodyKind::File;
        body = file.clone();
        if !has(&headers, "content-type") {
            curl.dropped.push(format!(
                "-T {file}: curl sends the file without a Content-Type; scout sends {}",
                crate::model::guess_mime(file)
            ));
        }
    } else if get && !data.is_empty() {
        // In the URL already.
    } else if !json.is_empty() {
        body_kind = BodyKind::Text;
        body = json.concat();
        if !has(&headers, "content-type") {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        if !has(&headers, "accept") {
            headers.push(("Accept".into(), "application/json".into()));
        }
    } else if !data.is_empty() {
        body_kind = BodyKind::Text;
        body = data.join("&");
        if !has(&headers, "content-type") {
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }
    } else if !form.is_empty() {
        body_kind = BodyKind::Multipart;
        body = crate::model::format_multipart_lines(&form).map_err(|e| CurlError::BadValue {
            option: "--form".into(),
            reason: e.to_string(),
        })?;
    }
    let sends_body = body_kind != BodyKind::None;
    let default = if head {
        "HEAD"
    } else if upload.is_some() {
        "PUT"
    } else if sends_body {
        "POST"
    } else {
        "GET"
    };
    let method_name = method.unwrap_or_else(|| default.to_string());
    curl.spec = RequestSpec {
        method: Method::named(&method_name).ok_or_else(|| CurlError::BadValue {
            option: "--request".into(),
            reason: format!("scout cannot send the method {method_name}"),
        })?,
        url,
        headers: headers
            .into_iter()
            .filter(|(k, _)| !removed.iter().any(|r| r.eq_ignore_ascii_case(k)))
            .map(|(k, v)| KeyValue::new(k, v))
            .collect(),
        body_kind,
        body,
    };
    for name in removed {
        if !["accept", "user-agent"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        curl.dropped.push(format!(
            "-H \"{name}:\": scout sends its own {name}; removing it is not supported"
        ));
    }
    Ok(curl)
}

/// `user:password@` taken out of `url`'s authority (percent-decoded), as curl sends it: Basic
/// credentials.
fn take_userinfo(url: &mut String) -> Option<(String, String)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let at = url[start..end].rfind('@')? + start;
    let info = url[start..at].to_string();
    url.replace_range(start..=at, "");
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let (user, password) = info.split_once(':').unwrap_or((&info, ""));
    Some((decode(user), decode(password)))
}

/// Whether `url`'s path names a file (`/up/photo.png`), which `-T` then uploads to as it is.
fn has_file_part(url: &str) -> bool {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..end].find('/') {
        Some(slash) => !url[start + slash..end].ends_with('/'),
        None => false,
    }
}

/// `-z DATE` as the header curl sends: `If-Modified-Since`, or `If-Unmodified-Since` for
/// `-DATE`. Only an HTTP date is read (curl also takes other forms, and a file's time).
fn time_condition(value: &str) -> Option<(String, String)> {
    let (name, date) = match value.strip_prefix('-') {
        Some(rest) => ("If-Unmodified-Since", rest),
        None => (
            "If-Modified-Since",
            value.strip_prefix(['+', '=']).unwrap_or(value),
        ),
    };
    let when = httpdate::parse_http_date(date.trim()).ok()?;
    Some((name.to_string(), httpdate::fmt_http_date(when)))
}

/// A value of the command as scout text: a `{{` escaped (curl sends it as it is), and each
/// `$NAME` the shell would have expanded as `{{env.NAME}}`, which scout reads from the
/// environment as the shell did.
pub fn text(value: &str) -> String {
    variables(&crate::import::literal(value))
}

/// Only the `$NAME`s as `{{env.NAME}}` (for a secret, which is hidden after).
pub fn variables(value: &str) -> String {
    crate::import::shell::env_refs(value, |name| format!("{{{{env.{name}}}}}"))
}

/// Appends `part` to the query of `url`.
fn add_query(url: &mut String, part: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(part);
}

/// `--data-urlencode` / `--url-query` items: `content`, `=content`, `name=content`, `@file`,
/// `name@file` (encoded as curl does).
fn urlencode_item(item: &str, files: Files<'_>) -> Result<String, String> {
    // As curl 7.88 sends it: a space is `+`, as in an HTML form.
    let encode = |content: &str| {
        utf8_percent_encode(content, URLENCODE)
            .to_string()
            .replace("%20", "+")
    };
    let read = |path: &str| {
        files
            .read_text("--data-urlencode", path)
            .map_err(|e| e.to_string())
    };
    match item.split_once('=') {
        Some(("", content)) => Ok(encode(content)),
        Some((name, content)) => Ok(format!("{name}={}", encode(content))),
        None => match item.split_once('@') {
            Some(("", path)) => Ok(encode(&read(path)?)),
            Some((name, path)) => Ok(format!("{name}={}", encode(&read(path)?))),
            None => Ok(encode(item)),
        },
    }
}

/// `-F name=value`, `name=@path`, `name=<path` (as a field), `;type=` (a `;filename=` is not
/// kept: the part carries the file's own name).
fn form_part(item: &str, literal: bool, files: Files<'_>) -> Result<MultipartLine, String> {
    let (name, value) = item
        .split_once('=')
        .ok_or("a form part is name=value or name=@file")?;
    if !literal && let Some(file) = value.strip_prefix('@') {
        let mut parts = file.split(';');
        let path = parts.next().unwrap_or_default().trim_matches('"');
        let mut content_type = None;
        for p in parts {
            if let Some(t) = p.strip_prefix("type=") {
                content_type = Some(t.to_string());
            }
        }
        return Ok(MultipartLine::File {
            name: name.to_string(),
            path: PathBuf::from(path),
            content_type,
        });
    }
    if !literal && let Some(path) = value.strip_prefix('<') {
        let path = path.split(';').next().unwrap_or_default();
        return Ok(MultipartLine::Field {
            name: name.to_string(),
            value: files.read_text("--form", path).map_err(|e| e.to_string())?,
        });
    }
    Ok(MultipartLine::Field {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// curl's seconds: `5`, `2.5`; `None` for what is not a duration (negative, NaN, or beyond
/// `Duration`'s range, where `from_secs_f64` would panic).
fn seconds(value: &str) -> Option<Duration> {
    let s: f64 = value.trim().parse().ok()?;
    Duration::try_from_secs_f64(s).ok()
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
