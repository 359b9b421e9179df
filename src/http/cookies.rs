//! Cookie jars: one per collection per run (RFC 6265, the parts an API client needs), in memory
//! only. Every response of an exchange (redirect hops included) stores its `Set-Cookie` headers;
//! every request gets the `Cookie` header of the cookies whose domain, path and `Secure` flag
//! match its URL. Expiry is judged against a `now` the caller passes, so tests need no clock.
//!
//! Not done: the public suffix list (a `Domain` attribute without a dot is refused unless it is
//! the host itself, which stops `Domain=com`; `Domain=co.uk` is not caught).
//!
//! Why not the `cookie_store` crate: it keeps every cookie a server sets (no cap per jar; this jar
//! keeps at most [`MAX_COOKIES`] of [`MAX_COOKIE_BYTES`] each, so a hostile server cannot grow
//! scout's memory without bound), it reads the clock itself (this one takes `now`, so tests and
//! the app stay deterministic), and its public-suffix check needs a list scout would have to
//! bundle and keep current.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use url::Url;

/// Cookies kept per jar; storing one more forgets the oldest.
pub const MAX_COOKIES: usize = 1000;
/// Largest name plus value accepted, in bytes (what browsers accept too).
pub const MAX_COOKIE_BYTES: usize = 4096;
/// Longest lifetime a cookie is given (RFC 6265bis caps `Expires` and `Max-Age` at 400 days).
pub const MAX_AGE: Duration = Duration::from_secs(400 * 24 * 3600);

/// A `Set-Cookie` header, parsed (RFC 6265 §5.2). Attributes it did not set are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// Lower-case, without a leading dot.
    pub domain: Option<String>,
    pub path: Option<String>,
    /// From `Max-Age` (which wins) or `Expires`, resolved against the `now` given to the parser.
    pub expires: Option<SystemTime>,
    pub secure: bool,
    pub http_only: bool,
}

/// A stored cookie, as the Cookies tab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieView {
    /// Lower-case, without a leading dot; sent to subdomains too unless it was set without `Domain`.
    pub domain: String,
    pub path: String,
    pub name: String,
    pub value: String,
    /// `None`: a session cookie, kept for this run.
    pub expires: Option<SystemTime>,
    pub secure: bool,
    pub http_only: bool,
}

/// Parses one `Set-Cookie` value; `None` when it has no `name=value` pair or is too large.
/// Unknown attributes and malformed ones (an unreadable date, a non-numeric `Max-Age`) are ignored,
/// as the RFC says.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use scout::http::cookies::parse_set_cookie;
/// let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
/// let c = parse_set_cookie("sid=abc; Path=/api; Max-Age=60; HttpOnly", now).unwrap();
/// assert_eq!((c.name.as_str(), c.value.as_str()), ("sid", "abc"));
/// assert_eq!(c.path.as_deref(), Some("/api"));
/// assert_eq!(c.expires, Some(now + Duration::from_secs(60)));
/// assert!(c.http_only && !c.secure);
/// ```
pub fn parse_set_cookie(header: &str, now: SystemTime) -> Option<SetCookie> {
    let mut parts = header.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let (name, value) = (name.trim(), trim_quotes(value.trim()));
    if name.is_empty() || name.len() + value.len() > MAX_COOKIE_BYTES {
        return None;
    }
    let mut cookie = SetCookie {
        name: name.to_string(),
        value: value.to_string(),
        domain: None,
        path: None,
        expires: None,
        secure: false,
        http_only: false,
    };
    let mut max_age: Option<SystemTime> = None;
    for attribute in parts {
        let (key, value) = match attribute.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attribute.trim(), ""),
        };
        match key.to_ascii_lowercase().as_str() {
            "expires" => {
                if let Some(at) = parse_cookie_date(value) {
                    cookie.expires = Some(at);
                }
            }
            "max-age" => {
                if let Some(at) = parse_max_age(value, now) {
                    max_age = Some(at);
                }
            }
            "domain" => {
                let domain = value.trim_start_matches('.').to_ascii_lowercase();
                cookie.domain = (!domain.is_empty()).then_some(domain);
            }
            "path" => cookie.path = value.starts_with('/').then(|| value.to_string()),
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            _ => {}
        }
    }
    let latest = now.checked_add(MAX_AGE);
    cookie.expires = max_age.or(cookie.expires).map(|at| match latest {
        Some(latest) if at > latest => latest,
        _ => at,
    });
    Some(cookie)
}

fn trim_quotes(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// `Max-Age`: seconds from now; zero or less means "already expired".
fn parse_max_age(value: &str, now: SystemTime) -> Option<SystemTime> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if value.starts_with('-') {
        return Some(UNIX_EPOCH);
    }
    // Too many digits for a u64 is still "a long time": the lifetime cap applies.
    let secs: u64 = digits.parse().unwrap_or(u64::MAX);
    if secs == 0 {
        return Some(UNIX_EPOCH);
    }
    Some(
        now.checked_add(Duration::from_secs(secs.min(MAX_AGE.as_secs())))
            .unwrap_or(now),
    )
}

/// The lenient cookie date format of RFC 6265 §5.1.1: tokens in any order, a time (`hh:mm:ss`),
/// a day of month, a month name and a year (two-digit years: 70-99 → 19xx, 00-69 → 20xx), always
/// UTC. Reads `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`,
/// `Sun Nov  6 08:49:37 1994` and the like.
pub fn parse_cookie_date(text: &str) -> Option<SystemTime> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let is_delimiter = |c: char| matches!(c, '\t' | ' '..='/' | ';'..='@' | '['..='`' | '{'..='~');
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        if time.is_none()
            && let Some(t) = parse_time(token)
        {
            time = Some(t);
        } else if day.is_none()
            && let Some(d) = leading_digits(token, 1, 2)
        {
            day = Some(d);
        } else if month.is_none()
            && let Some(m) = token
                .get(..3)
                .and_then(|p| MONTHS.iter().position(|m| p.eq_ignore_ascii_case(m)))
        {
            month = Some(m as u64 + 1);
        } else if year.is_none()
            && let Some(y) = leading_digits(token, 2, 4)
        {
            year = Some(match y {
                70..=99 => y + 1900,
                0..=69 => y + 2000,
                y => y,
            });
        }
    }
    let ((hour, minute, second), day, month, year) = (time?, day?, month?, year?);
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    let secs = days * 86_400 + (hour * 3600 + minute * 60 + second) as i64;
    Some(match u64::try_from(secs) {
        Ok(secs) => UNIX_EPOCH + Duration::from_secs(secs),
        // Before 1970: long expired, which is all that matters.
        Err(_) => UNIX_EPOCH,
    })
}

/// `h:m:s` (one or two digits each), optionally followed by non-digits.
fn parse_time(token: &str) -> Option<(u64, u64, u64)> {
    let mut fields = token.splitn(3, ':');
    let hour = leading_digits(fields.next()?, 1, 2)?;
    let minute = leading_digits(fields.next()?, 1, 2)?;
    let second = leading_digits(fields.next()?, 1, 2)?;
    Some((hour, minute, second))
}

/// The number made of `min..=max` leading digits, when no digit follows them.
fn leading_digits(token: &str, min: usize, max: usize) -> Option<u64> {
    let n = token.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    token[..n].parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = month as i64;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One stored cookie and what the view does not show.
#[derive(Clone)]
struct Entry {
    cookie: CookieView,
    /// Set without `Domain`: sent to exactly that host, not its subdomains.
    host_only: bool,
    /// Creation order: older cookies come first in the `Cookie` header.
    created: u64,
}

impl Entry {
    fn expired(&self, now: SystemTime) -> bool {
        self.cookie.expires.is_some_and(|at| at <= now)
    }
}

/// The cookies of one jar key.
#[derive(Clone, Default)]
pub struct CookieJar {
    entries: Vec<Entry>,
    created: u64,
}

impl CookieJar {
    /// Stores what one `Set-Cookie` header of a response from `url` says: a new cookie, a
    /// replacement (same name, domain and path), or a deletion (an expiry in the past). Returns
    /// whether the header was accepted; a cookie for a domain `url` is not on is refused.
    pub fn store(&mut self, url: &Url, header: &str, now: SystemTime) -> bool {
        let Some(host) = host_of(url) else {
            return false;
        };
        let Some(set) = parse_set_cookie(header, now) else {
            return false;
        };
        let (domain, host_only) = match set.domain {
            // `Domain=localhost` on localhost is fine; `Domain=com` on example.com is not.
            Some(d) if d != host && (!d.contains('.') || !domain_match(&host, &d)) => return false,
            Some(d) => (d, false),
            None => (host.clone(), true),
        };
        let cookie = CookieView {
            path: set.path.unwrap_or_else(|| default_path(url)),
            domain,
            name: set.name,
            value: set.value,
            expires: set.expires,
            secure: set.secure,
            http_only: set.http_only,
        };
        self.entries.retain(|e| !e.expired(now));
        let same = self.entries.iter().position(|e| {
            e.cookie.name == cookie.name
                && e.cookie.domain == cookie.domain
                && e.cookie.path == cookie.path
        });
        let created = match same {
            Some(i) => self.entries.remove(i).created,
            None => {
                self.created += 1;
                self.created
            }
        };
        let entry = Entry {
            cookie,
            host_only,
            created,
        };
        if entry.expired(now) {
            // A deletion: the old cookie is gone and nothing replaces it.
            return true;
        }
        if self.entries.len() >= MAX_COOKIES
            && let Some(oldest) = (0..self.entries.len()).min_by_key(|&i| self.entries[i].created)
        {
            self.entries.remove(oldest);
        }
        self.entries.push(entry);
        true
    }

    /// The `Cookie` header value for a request to `url` (`a=1; b=2`, longer paths first, then
    /// older cookies first), or `None` when no cookie matches.
    pub fn header(&self, url: &Url, now: SystemTime) -> Option<String> {
        let host = host_of(url)?;
        let secure = url.scheme() == "https";
        let mut matching: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                let c = &e.cookie;
                !e.expired(now)
                    && (secure || !c.secure)
                    && if e.host_only {
                        host == c.domain
                    } else {
                        domain_match(&host, &c.domain)
                    }
                    && path_match(url.path(), &c.path)
            })
            .collect();
        if matching.is_empty() {
            return None;
        }
        matching.sort_by_key(|e| (std::cmp::Reverse(e.cookie.path.len()), e.created));
        let pairs: Vec<String> = matching
            .iter()
            .map(|e| format!("{}={}", e.cookie.name, e.cookie.value))
            .collect();
        Some(pairs.join("; "))
    }

    /// Every cookie held, by domain, path and name. Expired ones are dropped when the jar is next
    /// stored into, so one may outlive its expiry here until then.
    pub fn list(&self) -> Vec<CookieView> {
        let mut out: Vec<CookieView> = self.entries.iter().map(|e| e.cookie.clone()).collect();
        out.sort_by(|a, b| (&a.domain, &a.path, &a.name).cmp(&(&b.domain, &b.path, &b.name)));
        out
    }
}

/// Names and counts only: cookie values can be secrets.
impl fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self
            .entries
            .iter()
            .map(|e| e.cookie.name.as_str())
            .collect();
        f.debug_struct("CookieJar").field("names", &names).finish()
    }
}

/// The lower-case host of `url` (IPv6 in brackets), if it has one.
fn host_of(url: &Url) -> Option<String> {
    url.host_str().map(str::to_ascii_lowercase)
}

/// RFC 6265 §5.1.3: the host is the domain, or a name under it (never an IP address under one).
fn domain_match(host: &str, domain: &str) -> bool {
    if host == domain {
        return true;
    }
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    !is_ip
        && host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// RFC 6265 §5.1.4: the cookie path is the request path or a whole-segment prefix of it.
fn path_match(request: &str, cookie: &str) -> bool {
    request == cookie
        || request
            .strip_prefix(cookie)
            .is_some_and(|rest| cookie.ends_with('/') || rest.starts_with('/'))
}

/// RFC 6265 §5.1.4: the request path up to (not including) its last `/`, or `/`.
fn default_path(url: &Url) -> String {
    let path = url.path();
    match path.rfind('/') {
        Some(i) if i > 0 && path.starts_with('/') => path[..i].to_string(),
        _ => "/".to_string(),
    }
}

/// Every jar of this run, by jar key (a collection's path; ad-hoc requests share `""`). Clones
/// share the jars: the worker stores and reads them, the Cookies tab lists them. Never written to
/// disk.
#[derive(Clone, Default)]
pub struct CookieJars {
    jars: Arc<Mutex<HashMap<String, CookieJar>>>,
}

impl CookieJars {
    pub fn new() -> Self {
        CookieJars::default()
    }

    /// The jar of `key`, as one exchange uses it.
    pub fn jar(&self, key: &str) -> Jar {
        Jar {
            jars: self.clone(),
            key: key.to_string(),
        }
    }

    /// The cookies of `key`'s jar (see [`CookieJar::list`]).
    pub fn list(&self, key: &str) -> Vec<CookieView> {
        self.lock()
            .get(key)
            .map(CookieJar::list)
            .unwrap_or_default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, CookieJar>> {
        // A panic elsewhere while holding the lock leaves the cookies consistent: keep using them.
        self.jars.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for CookieJars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.lock().iter()).finish()
    }
}

/// One jar of a [`CookieJars`]: what an exchange stores into and sends from.
#[derive(Debug, Clone)]
pub struct Jar {
    jars: CookieJars,
    key: String,
}

impl Jar {
    /// Stores each `Set-Cookie` header value of a response from `url`.
    pub fn store<'a>(
        &self,
        url: &Url,
        headers: impl IntoIterator<Item = &'a str>,
        now: SystemTime,
    ) {
        let mut jars = self.jars.lock();
        let jar = jars.entry(self.key.clone()).or_default();
        for header in headers {
            jar.store(url, header, now);
        }
    }

    /// The `Cookie` header for a request to `url` (see [`CookieJar::header`]).
    pub fn header(&self, url: &Url, now: SystemTime) -> Option<String> {
        self.jars.lock().get(&self.key)?.header(url, now)
    }
}

#[cfg(test)]
#[path = "cookies_tests.rs"]
mod tests;
