//! What `scout send`'s flags ask beyond the request itself, as xh and HTTPie users write them:
//! which parts to print (`--print`), how to shape them (`--pretty`), and the settings that
//! override the request's own (`-a`, `--no-follow`, `--verify`, …).

use std::path::PathBuf;

use crate::http::job::Job;
use crate::model::ResolvedAuth;

/// xh's `--pretty`: whether the body is formatted (pretty JSON) and the output coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pretty {
    /// Formatted and coloured.
    All,
    /// Coloured, the body as received.
    Colors,
    /// Formatted, no colours.
    Format,
    /// Neither: the body as received, no colours.
    None,
}

/// xh's `--print`: which parts of the exchange to write to stdout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Print {
    /// `H`: the request's head as sent (credentials redacted).
    pub request_head: bool,
    /// `B`: the request's body.
    pub request_body: bool,
    /// `h`: the response's status line and headers.
    pub response_head: bool,
    /// `b`: the response's body.
    pub response_body: bool,
    /// `m`: how long it took and how large it was.
    pub meta: bool,
}

impl Print {
    /// Parses xh's letters (`HBhbm`, any order, at least one).
    pub fn parse(letters: &str) -> Result<Print, String> {
        let mut p = Print::default();
        for c in letters.chars() {
            match c {
                'H' => p.request_head = true,
                'B' => p.request_body = true,
                'h' => p.response_head = true,
                'b' => p.response_body = true,
                'm' => p.meta = true,
                other => {
                    return Err(format!(
                        "--print: `{other}` is not one of H (request headers), B (request body), \
                         h (response headers), b (response body), m (metadata)"
                    ));
                }
            }
        }
        if p == Print::default() {
            return Err("--print: give at least one of H, B, h, b, m".into());
        }
        Ok(p)
    }
}

/// The flags xh and HTTPie users reach for, over what the request (typed or saved) says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `-a USER:PASS` (`-A basic` or `digest`) or `-a TOKEN` (`-A bearer`).
    pub auth: Option<ResolvedAuth>,
    /// `--follow` / `--no-follow` (scout follows by default; xh does not).
    pub follow: Option<bool>,
    /// `--max-redirects N`.
    pub max_redirects: Option<u32>,
    /// `--verify no`: any certificate; `--verify PATH`: these roots too.
    pub insecure: bool,
    pub ca_cert: Option<PathBuf>,
    /// `--cert FILE` (a certificate, PEM; its key too unless `--cert-key` names a file).
    pub client_cert: Option<PathBuf>,
    /// `--cert-key FILE`: the key, when `--cert`'s file has only the certificate.
    pub client_key: Option<PathBuf>,
    /// `--proxy URL`.
    pub proxy: Option<String>,
}

impl Overrides {
    /// Applies the flags to `job`; the credentials become secrets, redacted wherever shown.
    pub fn apply(&self, job: &mut Job) {
        if let Some(auth) = &self.auth {
            job.secrets.0.extend(auth.secrets());
            job.auth = Some(auth.clone());
        }
        if let Some(follow) = self.follow {
            job.redirects.follow = follow;
        }
        if let Some(max) = self.max_redirects {
            job.redirects.max = max;
        }
        job.client.insecure |= self.insecure;
        if let Some(path) = &self.ca_cert {
            job.client.ca_cert = Some(path.clone());
        }
        if let Some(path) = &self.client_cert {
            job.client.client_cert = Some(path.clone());
            job.client.client_key = self.client_key.clone();
        }
        if let Some(proxy) = &self.proxy {
            job.client.proxy = Some(proxy.clone());
        }
    }
}
