//! A curl command line read as curl reads it: the request it would send (method, URL, headers,
//! body, with curl's own defaults: `-d` makes a form POST, `-G` moves data into the query, `-I`
//! is HEAD, `--json` sets both JSON headers), the settings it names (`-k`, `-L`, timeouts, a
//! proxy, certificates) and every option scout cannot carry over, named.

use std::path::PathBuf;
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
#[derive(Debug, Clone, PartialEq, Default)]
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

/// Reads a whole command line (`curl …`, as copied).
pub fn parse_command(command: &str) -> Result<Curl, CurlError> {
    let words = split(command)?;
    let Some((first, args)) = words.split_first() else {
        return Err(CurlError::NotCurl(String::new()));
    };
    if first != "curl" && !first.ends_with("/curl") && first != "curl.exe" {
        return Err(CurlError::NotCurl(first.clone()));
    }
    parse_args(args)
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
pub fn parse_args(args: &[String]) -> Result<Curl, CurlError> {
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
                if let Some(path) = v.strip_prefix('@') {
                    curl.dropped.push(format!(
                        "--header @{path}: headers from a file are not read, dropped"
                    ));
                    continue;
                }
                match v.split_once(':') {
                    // `-H "X-Thing:"` removes a header curl would send; `-H "X;"` sends it empty.
                    Some((k, rest)) if rest.trim().is_empty() => removed.push(k.trim().to_string()),
                    Some((k, rest)) => {
                        headers.push((k.trim().to_string(), rest.trim().to_string()))
                    }
                    None => match v.strip_suffix(';') {
                        Some(k) => headers.push((k.trim().to_string(), String::new())),
                        None => return Err(bad("a header is `Name: value`")),
                    },
                }
            }
            "--data" | "--data-ascii" => data.push(match v.strip_prefix('@') {
                Some(path) => return Err(file_body(&name, path)),
                None => v,
            }),
            "--data-raw" => data.push(v),
            "--data-binary" => match v.strip_prefix('@') {
                Some(path) => return Err(file_body(&name, path)),
                None => data.push(v),
            },
            "--data-urlencode" => data.push(urlencode_item(&v).map_err(|r| bad(&r))?),
            "--json" => json.push(v),
            "--form" | "--form-string" => {
                form.push(form_part(&v, name == "--form-string").map_err(|r| bad(&r))?)
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
            "--url-query" => query.push(urlencode_item(&v).map_err(|r| bad(&r))?),
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

fn file_body(option: &str, path: &str) -> CurlError {
    CurlError::BadValue {
        option: option.to_string(),
        reason: format!(
            "the body is read from the file {path}: import the command where that file is, or \
             save the request with a file body"
        ),
    }
}

/// `--data-urlencode` / `--url-query` items: `content`, `=content`, `name=content` (encoded as
/// curl does); `@file` and `name@file` read a file, which import does not.
fn urlencode_item(item: &str) -> Result<String, String> {
    match item.split_once('=') {
        Some(("", content)) => Ok(utf8_percent_encode(content, URLENCODE).to_string()),
        Some((name, content)) => Ok(format!(
            "{name}={}",
            utf8_percent_encode(content, URLENCODE)
        )),
        None if item.contains('@') => {
            Err("reading the content from a file is not supported".into())
        }
        None => Ok(utf8_percent_encode(item, URLENCODE).to_string()),
    }
}

/// `-F name=value`, `name=@path`, `name=<path` (as a field), `;type=`, `;filename=`.
fn form_part(item: &str, literal: bool) -> Result<MultipartLine, String> {
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
    if !literal && value.starts_with('<') {
        return Err("a field read from a file (<file) is not supported".into());
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
