//! A curl command line read as curl reads it: the request it would send (method, URL, headers,
//! body, with curl's own defaults: `-d` makes a form POST, `-G` moves data into the query, `-I`
//! is HEAD, `--json` sets both JSON headers), the settings it names (`-k`, `-L`, timeouts, a
//! proxy, certificates) and every option scout cannot carry over, named.

use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::import::shell::{SplitError, split};
use crate::model::{BodyKind, KeyValue, Method, MultipartLine, RequestSpec};

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

/// Reads a whole command line (`curl …`, as copied); `@file` arguments cannot be read.
pub fn parse_command(command: &str) -> Result<Curl, CurlError> {
    parse_words(&split(command)?, Files::default())
}

/// Reads the words of one command, `curl` first.
pub fn parse_words(words: &[String], files: Files<'_>) -> Result<Curl, CurlError> {
    let Some((first, args)) = words.split_first() else {
        return Err(CurlError::NotCurl(String::new()));
    };
    if !is_curl(first) {
        return Err(CurlError::NotCurl(first.clone()));
    }
    parse_args(args, files)
}

/// `curl`, `/usr/bin/curl`, `curl.exe`.
pub fn is_curl(word: &str) -> bool {
    word == "curl" || word.ends_with("/curl") || word == "curl.exe"
}

/// Options that take a value, by their long names (short ones are mapped to these).
const WITH_VALUE: &[&str] = &[
    "--request",
    "--header",
    "--data",
    "--data-raw",
    "--data-ascii",
    "--data-binary",
    "--data-urlencode",
    "--json",
    "--form",
    "--form-string",
    "--user",
    "--oauth2-bearer",
    "--cookie",
    "--user-agent",
    "--referer",
    "--max-redirs",
    "--max-time",
    "--connect-timeout",
    "--url",
    "--url-query",
    "--retry",
    "--proxy",
    "--cacert",
    "--cert",
    "--key",
    "--output",
    "--cookie-jar",
    "--write-out",
    "--retry-delay",
    "--retry-max-time",
    "--limit-rate",
    "--resolve",
    "--connect-to",
    "--interface",
    "--cert-type",
    "--key-type",
    "--ciphers",
    "--capath",
    "--proxy-user",
    "--range",
    "--time-cond",
    "--upload-file",
    "--dump-header",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--config",
    "--unix-socket",
    "--aws-sigv4",
];

fn long_name(short: char) -> Option<&'static str> {
    Some(match short {
        'X' => "--request",
        'H' => "--header",
        'd' => "--data",
        'F' => "--form",
        'u' => "--user",
        'b' => "--cookie",
        'A' => "--user-agent",
        'e' => "--referer",
        'm' => "--max-time",
        'x' => "--proxy",
        'E' => "--cert",
        'o' => "--output",
        'c' => "--cookie-jar",
        'w' => "--write-out",
        'r' => "--range",
        'z' => "--time-cond",
        'T' => "--upload-file",
        'D' => "--dump-header",
        'K' => "--config",
        'G' => "--get",
        'I' => "--head",
        'k' => "--insecure",
        'L' => "--location",
        's' => "--silent",
        'S' => "--show-error",
        'v' => "--verbose",
        'i' => "--include",
        'f' => "--fail",
        'g' => "--globoff",
        'O' => "--remote-name",
        'N' => "--no-buffer",
        '#' => "--progress-bar",
        'n' => "--netrc",
        'q' => "--disable",
        _ => return None,
    })
}

/// Flags that only change how curl shows things or behaves locally: nothing to carry over.
const SILENT: &[&str] = &[
    "--silent",
    "--show-error",
    "--verbose",
    "--include",
    "--fail",
    "--fail-with-body",
    "--globoff",
    "--no-buffer",
    "--progress-bar",
    "--disable",
    "--compressed",
    "--output",
    "--write-out",
    "--dump-header",
    "--stderr",
    "--trace",
    "--trace-ascii",
    "--remote-name",
    "--http1.1",
    "--http2",
    "--tlsv1.2",
    "--tlsv1.3",
    "--no-progress-meter",
];

/// The options, split: `-sSL` is three flags, `-XPOST` carries its value. (curl itself wants a
/// long option's value as the next word; `--name=value` is taken too.)
fn options(args: &[String]) -> Result<Vec<(String, Option<String>)>, CurlError> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut only_urls = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_urls || !arg.starts_with('-') || arg == "-" {
            out.push(("--url".to_string(), Some(arg.clone())));
            continue;
        }
        if arg == "--" {
            only_urls = true;
            continue;
        }
        let mut take_value =
            |name: &str, inline: Option<String>| -> Result<Option<String>, CurlError> {
                if !WITH_VALUE.contains(&name) {
                    return Ok(None);
                }
                if let Some(v) = inline {
                    return Ok(Some(v));
                }
                let v = args
                    .get(i)
                    .cloned()
                    .ok_or_else(|| CurlError::MissingValue {
                        option: name.to_string(),
                    })?;
                i += 1;
                Ok(Some(v))
            };
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) if WITH_VALUE.contains(&format!("--{n}").as_str()) => {
                    (format!("--{n}"), Some(v.to_string()))
                }
                _ => (format!("--{long}"), None),
            };
            let value = take_value(&name, inline)?;
            out.push((name, value));
            continue;
        }
        // Short flags, bundled: the first that takes a value takes the rest of the word.
        let shorts: Vec<char> = arg[1..].chars().collect();
        let mut k = 0;
        while k < shorts.len() {
            let c = shorts[k];
            k += 1;
            let name = long_name(c).map_or_else(|| format!("-{c}"), str::to_string);
            if WITH_VALUE.contains(&name.as_str()) {
                let rest: String = shorts[k..].iter().collect();
                let inline = (!rest.is_empty()).then_some(rest);
                let value = take_value(&name, inline)?;
                out.push((name, value));
                break;
            }
            out.push((name, None));
        }
    }
    Ok(out)
}

/// Reads curl's arguments (without `curl` itself).
pub fn parse_args(args: &[String], files: Files<'_>) -> Result<Curl, CurlError> {
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
    for (name, value) in options(args)? {
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
                            None => return Err(bad("a header is `Name: value`")),
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
            "--json" => json.push(v),
            "--form" | "--form-string" => {
                form.push(form_part(&v, name == "--form-string", files).map_err(|r| bad(&r))?)
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
            "--cookie" => {
                if v.contains('=') {
                    headers.push(("Cookie".into(), v));
                } else {
                    curl.dropped
                        .push(format!("--cookie {v}: a cookie file is not read, dropped"));
                }
            }
            "--user-agent" => headers.push(("User-Agent".into(), v)),
            "--referer" => headers.push(("Referer".into(), v)),
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
            "--max-time" => curl.timeout = Some(seconds(&v).ok_or_else(|| bad("seconds"))?),
            "--connect-timeout" => {
                curl.connect_timeout = Some(seconds(&v).ok_or_else(|| bad("seconds"))?)
            }
            "--retry" => curl.retries = Some(v.parse().map_err(|_| bad("a number of retries"))?),
            "--url-query" => query.push(urlencode_item(&v, files).map_err(|r| bad(&r))?),
            "--proxy" => curl.proxy = Some(v),
            "--cacert" => curl.ca_cert = Some(PathBuf::from(v)),
            "--cert" => curl.client_cert = Some(PathBuf::from(v)),
            "--key" => curl.client_key = Some(PathBuf::from(v)),
            n if SILENT.contains(&n) => {}
            // The name only: a value can be a secret (`--proxy-user`).
            n => curl.dropped.push(format!("{n}: not supported, dropped")),
        }
    }
    let Some(url) = urls.first().cloned() else {
        return Err(CurlError::NoUrl);
    };
    for extra in urls.iter().skip(1) {
        curl.dropped
            .push(format!("{extra}: only the first URL is imported"));
    }
    let mut url = url;
    for q in &query {
        add_query(&mut url, q);
    }
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    let mut body_kind = BodyKind::None;
    let mut body = String::new();
    if get && !data.is_empty() {
        add_query(&mut url, &data.join("&"));
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
    } else if sends_body {
        "POST"
    } else {
        "GET"
    };
    let method_name = method.unwrap_or_else(|| default.to_string());
    curl.spec = RequestSpec {
        method: Method::parse(&method_name).ok_or_else(|| CurlError::BadValue {
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

/// curl's seconds: `5`, `2.5`.
fn seconds(value: &str) -> Option<Duration> {
    let s: f64 = value.trim().parse().ok()?;
    (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s))
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
