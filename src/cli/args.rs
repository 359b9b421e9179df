//! The command line's grammar (clap): the app's own flags, and each subcommand's. `main` reads it
//! and hands each command over to its module.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::cli::send;
use crate::config::Config;
use crate::http::plan::TimeoutInput;
use crate::model::duration::parse_duration;
use crate::model::{ResolvedAuth, Timeouts};

/// A fast, keyboard-first terminal UI for exploring HTTP APIs.
///
/// With no arguments, scout opens on its built-in demo API. `scout [METHOD] URL [ITEM…]` opens
/// with that request in the editor. Items use HTTPie's syntax: `Header:value`, `name==value`
/// (query), `field=value` (JSON string), `field:=json` (raw JSON), `field@path` (file upload).
#[derive(Parser, Debug)]
#[command(name = "scout", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Do not start the built-in demo API.
    #[arg(long)]
    pub no_demo: bool,
    /// The collection file or folder to open (default: ./collections, else scout's data folder).
    #[arg(long, short = 'c', value_name = "PATH")]
    pub collection: Option<PathBuf>,
    /// The environment to select in the collection(s) at start.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Quit right after the first frame and print how long it took (launch benchmark).
    #[arg(long, hide = true)]
    pub startup_report: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send one request and print the response (headless, like xh/HTTPie).
    Send(Box<SendArgs>),
    /// Replay saved requests as checked steps: a run, a request, a folder, or everything.
    Run(Box<RunArgs>),
    /// What a status code, method or header means, and the standard's section to read.
    Explain {
        /// A status code (429), a method (PUT), or `header NAME`.
        #[arg(value_name = "WHAT")]
        words: Vec<String>,
        /// List every code, method and header scout explains.
        #[arg(long)]
        list: bool,
    },
    /// Turn another tool's requests into a collection: a curl command, a Postman or Insomnia
    /// export, an OpenAPI description, a HAR capture or Hurl files.
    Import(Box<ImportCli>),
    /// Write saved requests for other tools (curl, HTTPie/xh, Hurl), or the history as a HAR.
    Export(Box<ExportCli>),
    /// Run the demo API in the foreground.
    Demo {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print a completion script for a shell, e.g. `scout completions bash >
    /// ~/.local/share/bash-completion/completions/scout`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `scout man | man -l -`.
    Man,
}

#[derive(Args, Debug)]
pub struct RequestArgs {
    /// [METHOD] URL [ITEM…]
    #[arg(value_name = "REQUEST")]
    pub request: Vec<String>,
    /// Send data items as a form (application/x-www-form-urlencoded).
    #[arg(long, short = 'f')]
    pub form: bool,
    /// Data items as a JSON object (the default) and JSON asked for: `Accept: application/json,
    /// */*;q=0.5` unless an Accept item is given.
    #[arg(long, short = 'j', conflicts_with = "form")]
    pub json: bool,
    /// Total timeout: plain seconds (1, 0.5) or a duration (500ms, 10s). Default 30s.
    #[arg(long, value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Connect timeout: plain seconds or a duration. Default 10s.
    #[arg(long, value_parser = parse_timeout)]
    pub connect_timeout: Option<Duration>,
}

impl RequestArgs {
    /// The defaults, then the config file, then the flags (which also win over a saved request's
    /// own timeouts).
    pub fn timeouts(&self, config: &Config) -> TimeoutInput {
        let defaults = Timeouts::default();
        TimeoutInput {
            base: Timeouts {
                connect: config.connect_timeout.unwrap_or(defaults.connect),
                total: config.total_timeout.unwrap_or(defaults.total),
                ..defaults
            },
            connect_flag: self.connect_timeout,
            total_flag: self.timeout,
            memory_cap: config.memory_cap,
        }
    }
}

#[derive(Args, Debug)]
#[command(disable_help_flag = true)]
pub struct SendArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// A literal request body, or @FILE to read it from a file.
    #[arg(long, value_name = "BODY")]
    pub raw: Option<String>,
    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    pub offline: bool,
    /// Exit with 3, 4 or 5 for 3xx, 4xx or 5xx responses.
    #[arg(long)]
    pub check_status: bool,
    /// After the response, explain it on stderr: the method, the status and each header, with
    /// the section of the standard to read.
    #[arg(long, conflicts_with_all = ["all", "offline"])]
    pub explain: bool,
    /// After the response, print on stderr the request and response as they crossed the
    /// connection (> sent, < received) and where the time went: DNS, connect, waiting, download.
    #[arg(long, short = 'v', conflicts_with_all = ["all", "offline", "download"])]
    pub verbose: bool,
    /// Use the private HTTP cache (in memory, for this command): fresh responses are reused
    /// without a request, stale ones revalidated. With -v, says what the cache did.
    #[arg(long)]
    pub cache: bool,
    /// Stream the body to a file (named from the response, or -o) with a progress bar.
    #[arg(long, short = 'd')]
    pub download: bool,
    /// Write the body to this file (or into this folder) instead of stdout, as --download does
    /// (which it implies, as xh's -o).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with_all = ["all", "offline", "filter", "print"])]
    pub output: Option<PathBuf>,
    /// Follow the pagination (configured, or detected from the first response) and print every
    /// page's items as one JSON array.
    #[arg(long, conflicts_with_all = ["download", "offline"])]
    pub all: bool,
    /// With --all: stop after this many pages (default 50, or the request's max_pages).
    #[arg(long, value_name = "N", requires = "all")]
    pub max_pages: Option<usize>,
    /// With --all: print one item per line (JSON Lines) as the pages arrive.
    #[arg(long, requires = "all")]
    pub jsonl: bool,
    /// Print a filter's outputs instead of the JSON body (with --all, of the merged array): a jq
    /// expression (`.items[] | .id`), or a JSONPath when it starts with `$` (`$.items[*].id`).
    /// Pretty-printed on a terminal; piped, one compact JSON value per line (like jq -c).
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["download", "offline", "jsonl"])]
    pub filter: Option<String>,
    /// Send a saved request: the collection file or folder; REQUEST is then its id (or folder/id).
    #[arg(long, short = 'c', value_name = "PATH")]
    pub collection: Option<PathBuf>,
    /// With -c: list the requests in the collection(s) instead of sending.
    #[arg(long, requires = "collection")]
    pub list: bool,
    /// With -c: the environment to use.
    #[arg(long, value_name = "NAME", requires = "collection")]
    pub env: Option<String>,
    /// With -c: set a variable, overriding the collection's (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "collection", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Credentials: USER:PASSWORD (basic or digest, see -A) or a TOKEN (-A bearer). They are
    /// redacted wherever scout shows or stores the exchange.
    #[arg(long, short = 'a', value_name = "USER:PASSWORD|TOKEN")]
    pub auth: Option<String>,
    /// How -a is sent: basic (the default), digest, or bearer.
    #[arg(long, short = 'A', value_enum, requires = "auth", default_value_t = AuthType::Basic)]
    pub auth_type: AuthType,
    /// Follow redirects (what scout does by default; xh and HTTPie do not).
    #[arg(long, overrides_with = "no_follow")]
    pub follow: bool,
    /// Do not follow redirects: print the 3xx response itself.
    #[arg(long)]
    pub no_follow: bool,
    /// Follow at most N redirects (default 10).
    #[arg(long, value_name = "N")]
    pub max_redirects: Option<u32>,
    /// `no` accepts any certificate (and host name); a PEM file adds its roots to the system's.
    #[arg(long, value_name = "no|PATH")]
    pub verify: Option<String>,
    /// A client certificate (PEM), with its key in the same file unless --cert-key names one.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The client certificate's private key (PEM), when it is in a file of its own.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub cert_key: Option<PathBuf>,
    /// Send through this proxy (http://, https:// or socks5://).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// What to print, as in xh: H request headers, B request body, h response headers, b
    /// response body, m how long and how large (default: hb on a terminal, b piped).
    #[arg(long, short = 'p', value_name = "HBhbm", value_parser = send::Print::parse,
          conflicts_with_all = ["download", "filter", "all", "offline"])]
    pub print: Option<send::Print>,
    /// Print the response body only, on a terminal too (--print b).
    #[arg(long, short = 'b', conflicts_with = "print")]
    pub body: bool,
    /// Print the response headers only (--print h).
    #[arg(long, short = 'h', conflicts_with_all = ["print", "body"])]
    pub headers: bool,
    /// The colours of printed bodies: a syntect theme (base16-ocean.dark, InspiredGitHub,
    /// Solarized (dark), …) or a .tmTheme file. Default: the config theme's.
    #[arg(long, value_name = "THEME", value_parser = parse_style)]
    pub style: Option<String>,
    /// Print help (-h is --headers, as in xh).
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// all: pretty-printed and coloured (on a terminal); format: pretty-printed; colors: coloured
    /// as received; none: neither. Given, it shapes piped output too. NO_COLOR turns colours off.
    #[arg(long, value_enum, value_name = "STYLE")]
    pub pretty: Option<send::Pretty>,
}

/// How `-a` is sent.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthType {
    Basic,
    Digest,
    Bearer,
}

impl SendArgs {
    /// The flags over the request's own settings, or why they cannot work (a usage error).
    pub fn overrides(&self) -> Result<send::Overrides, String> {
        let auth = match (&self.auth, self.auth_type) {
            (None, _) => None,
            (Some(token), AuthType::Bearer) => Some(ResolvedAuth::Bearer {
                token: token.clone(),
            }),
            (Some(pair), kind) => {
                let Some((username, password)) = pair.split_once(':') else {
                    return Err(format!(
                        "-a: give USER:PASSWORD for {} auth (or -A bearer for a token)",
                        if kind == AuthType::Digest {
                            "digest"
                        } else {
                            "basic"
                        }
                    ));
                };
                let (username, password) = (username.to_string(), password.to_string());
                Some(match kind {
                    AuthType::Digest => ResolvedAuth::Digest { username, password },
                    _ => ResolvedAuth::Basic { username, password },
                })
            }
        };
        let (insecure, ca_cert) = match self.verify.as_deref() {
            None | Some("yes" | "true") => (false, None),
            Some("no" | "false") => (true, None),
            Some(path) => (false, Some(PathBuf::from(path))),
        };
        Ok(send::Overrides {
            auth,
            follow: if self.no_follow {
                Some(false)
            } else {
                self.follow.then_some(true)
            },
            max_redirects: self.max_redirects,
            insecure,
            ca_cert,
            client_cert: self.cert.clone(),
            client_key: self.cert_key.clone(),
            proxy: self.proxy.clone(),
        })
    }
}

#[derive(Args, Debug)]
pub struct ImportCli {
    /// curl, postman, insomnia, openapi, har, hurl, or auto (detected from the content).
    #[arg(value_name = "FORMAT", value_parser = parse_format)]
    pub format: ImportFormat,
    /// The file to read, or - for standard input.
    #[arg(value_name = "PATH")]
    pub input: PathBuf,
    /// Write a new collection file (else it is printed).
    #[arg(long, short = 'o', value_name = "FILE.toml", conflicts_with = "into")]
    pub output: Option<PathBuf>,
    /// Add the requests to this collection file, keeping its comments.
    #[arg(long, value_name = "EXISTING.toml")]
    pub into: Option<PathBuf>,
    /// Put the requests in this folder.
    #[arg(long, value_name = "NAME")]
    pub folder: Option<String>,
    /// HAR: only the entries whose URL contains this.
    #[arg(long, value_name = "URL-SUBSTRING")]
    pub filter: Option<String>,
    /// Postman: an environment export to add as [environments.NAME].
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportCli {
    #[arg(value_name = "FORMAT", value_enum)]
    pub format: crate::cli::export::ExportFormat,
    /// Request ids (or folder/id) and folders to export; default: every request.
    #[arg(value_name = "ID|FOLDER")]
    pub targets: Vec<String>,
    /// The collection file or folder.
    #[arg(long, short = 'c', value_name = "PATH", conflicts_with = "history")]
    pub collection: Option<PathBuf>,
    /// Write to this file (else to stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// har: export the exchanges in the history.
    #[arg(long)]
    pub history: bool,
    /// With --history: only the last N exchanges.
    #[arg(long, value_name = "N", requires = "history")]
    pub last: Option<usize>,
}

/// `auto`, or a format `scout import` reads.
#[derive(Debug, Clone, Copy)]
pub struct ImportFormat(pub Option<crate::import::Format>);

pub fn parse_format(s: &str) -> Result<ImportFormat, String> {
    if s == "auto" {
        return Ok(ImportFormat(None));
    }
    crate::import::Format::parse(s)
        .map(|f| ImportFormat(Some(f)))
        .ok_or_else(|| {
            let names = crate::import::Format::ALL.map(|f| f.name()).join(", ");
            format!("`{s}` is not a format scout imports ({names}, or auto)")
        })
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The collection file or folder.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Run names, request ids (or folder/id) or folders; default: every [runs] of the file, else
    /// every request in order.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// The environment to use.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Set a variable, above the collection's and anything captured (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// A report format (repeatable, each with its own --output after it). Default: human.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub reporter: Vec<crate::cli::report::Reporter>,
    /// Write the --reporter before it to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Stop at the first failed step (the rest are reported as skipped).
    #[arg(long)]
    pub bail: bool,
    /// Send up to N steps at once; a step still waits for the steps it needs a captured value from.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Run everything N times.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Do not record the exchanges in the history.
    #[arg(long)]
    pub no_history: bool,
    /// Total timeout per request: plain seconds (1, 0.5) or a duration (500ms, 10s).
    #[arg(long, value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Connect timeout: plain seconds or a duration.
    #[arg(long, value_parser = parse_timeout)]
    pub connect_timeout: Option<Duration>,
    /// Compare each step's response (status and body) with its snapshot in DIR, writing those
    /// missing; a step whose response changed outside its view.ignore paths fails.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: rewrite the snapshots from this run's responses.
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
}

/// `--var name=value`.
pub fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{s}`: write --var name=value")),
    }
}

/// A timeout flag: a duration greater than zero.
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    match parse_duration(s) {
        Ok(d) if d.is_zero() => Err("a timeout must be greater than 0 (e.g. 500ms, 10s)".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

/// `--style`: a bundled syntect theme's name, or a `.tmTheme` file that loads.
fn parse_style(text: &str) -> Result<String, String> {
    if crate::highlight::THEME_NAMES.contains(&text) {
        return Ok(text.to_string());
    }
    if text.ends_with(".tmTheme") {
        crate::highlight::load_tm_theme(std::path::Path::new(text))
            .map_err(|e| format!("{text}: {e}"))?;
        return Ok(text.to_string());
    }
    Err(format!(
        "not a bundled theme ({}) nor a .tmTheme file",
        crate::highlight::THEME_NAMES.join(", ")
    ))
}
