//! curl's options as its command line has them: which take a value (every one curl 7.88 has, so
//! an option scout does not read never takes its value for the URL), the long names of the short
//! ones, the flags with nothing to carry over, and a command's words split into options.

use super::CurlError;

/// Options that take a value, by their long names (short ones are mapped to these): every one
/// curl 7.88 has, so an option scout does not read never takes its value for the URL.
const WITH_VALUE: &[&str] = &[
    "--abstract-unix-socket",
    "--alt-svc",
    "--aws-sigv4",
    "--cacert",
    "--capath",
    "--cert",
    "--cert-type",
    "--ciphers",
    "--config",
    "--connect-timeout",
    "--connect-to",
    "--continue-at",
    "--cookie",
    "--cookie-jar",
    "--create-file-mode",
    "--crlfile",
    "--curves",
    "--data",
    "--data-ascii",
    "--data-binary",
    "--data-raw",
    "--data-urlencode",
    "--delegation",
    "--dns-interface",
    "--dns-ipv4-addr",
    "--dns-ipv6-addr",
    "--dns-servers",
    "--doh-url",
    "--dump-header",
    "--egd-file",
    "--engine",
    "--etag-compare",
    "--etag-save",
    "--expect100-timeout",
    "--form",
    "--form-string",
    "--ftp-account",
    "--ftp-alternative-to-user",
    "--ftp-method",
    "--ftp-port",
    "--ftp-ssl-ccc-mode",
    "--happy-eyeballs-timeout-ms",
    "--header",
    "--help",
    "--hostpubmd5",
    "--hostpubsha256",
    "--hsts",
    "--interface",
    "--json",
    "--keepalive-time",
    "--key",
    "--key-type",
    "--krb",
    "--libcurl",
    "--limit-rate",
    "--local-port",
    "--login-options",
    "--mail-auth",
    "--mail-from",
    "--mail-rcpt",
    "--max-filesize",
    "--max-redirs",
    "--max-time",
    "--netrc-file",
    "--noproxy",
    "--oauth2-bearer",
    "--output",
    "--output-dir",
    "--parallel-max",
    "--pass",
    "--pinnedpubkey",
    "--preproxy",
    "--proto",
    "--proto-default",
    "--proto-redir",
    "--proxy",
    "--proxy-cacert",
    "--proxy-capath",
    "--proxy-cert",
    "--proxy-cert-type",
    "--proxy-ciphers",
    "--proxy-crlfile",
    "--proxy-header",
    "--proxy-key",
    "--proxy-key-type",
    "--proxy-pass",
    "--proxy-pinnedpubkey",
    "--proxy-service-name",
    "--proxy-tls13-ciphers",
    "--proxy-tlsauthtype",
    "--proxy-tlspassword",
    "--proxy-tlsuser",
    "--proxy-user",
    "--proxy1.0",
    "--pubkey",
    "--quote",
    "--random-file",
    "--range",
    "--rate",
    "--referer",
    "--request",
    "--request-target",
    "--resolve",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--sasl-authzid",
    "--service-name",
    "--socks4",
    "--socks4a",
    "--socks5",
    "--socks5-gssapi-service",
    "--socks5-hostname",
    "--speed-limit",
    "--speed-time",
    "--stderr",
    "--telnet-option",
    "--tftp-blksize",
    "--time-cond",
    "--tls-max",
    "--tls13-ciphers",
    "--tlsauthtype",
    "--tlspassword",
    "--tlsuser",
    "--trace",
    "--trace-ascii",
    "--unix-socket",
    "--upload-file",
    "--url",
    "--url-query",
    "--user",
    "--user-agent",
    "--write-out",
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
        'C' => "--continue-at",
        'P' => "--ftp-port",
        'Q' => "--quote",
        'U' => "--proxy-user",
        'Y' => "--speed-limit",
        'y' => "--speed-time",
        't' => "--telnet-option",
        'h' => "--help",
        ':' => "--next",
        _ => return None,
    })
}

/// Flags that only change how curl shows things or behaves locally: nothing to carry over.
pub(super) const SILENT: &[&str] = &[
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
pub(super) fn options(args: &[String]) -> Result<Vec<(String, Option<String>)>, CurlError> {
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
