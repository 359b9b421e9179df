//! The one-line filter typed in the history pane.
//!
//! A query is words separated by spaces; every part must match (AND):
//!
//! | part                         | matches                                                   |
//! |------------------------------|-----------------------------------------------------------|
//! | `items`                      | entries whose URL, method or status contains `items` (any case) |
//! | `method:post`, `m:post`      | POST requests (any known method, any case)                |
//! | `status:4xx`, `s:4`          | responses with a 4xx status (classes 1 to 5)              |
//! | `status:404`                 | responses with exactly 404                                |
//! | `status:err`, `s:failed`     | requests that failed without a response (`error`, `fail` too) |
//!
//! `method:` or `status:` with nothing after it is ignored (the user is still typing); a value
//! that is not understood, such as `m:brew`, is searched for as a plain word instead, so
//! `localhost:8080` also works as one. When a key is repeated, the last one wins.

use super::record::{HistoryRecord, StoredOutcome};
use crate::model::Method;

/// What the filter needs to know of an entry, so the in-memory exchanges of this run and the
/// records loaded from disk are filtered alike.
pub trait HistoryEntryView {
    fn method(&self) -> Method;
    fn url(&self) -> &str;
    /// The response status; `None` while loading, or when the request failed or was cancelled.
    fn status(&self) -> Option<u16>;
    /// Whether the request failed without a response (not cancelled).
    fn failed(&self) -> bool;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// `4` for 4xx.
    Class(u8),
    Exact(u16),
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryFilter {
    /// Free words, lowercased; each must appear in the URL, the method or the status.
    pub words: Vec<String>,
    pub method: Option<Method>,
    pub status: Option<StatusFilter>,
}

impl HistoryFilter {
    /// Parses a query in the syntax described in [this module](self). Never fails: anything not
    /// understood is a plain word.
    pub fn parse(query: &str) -> HistoryFilter {
        let mut filter = HistoryFilter::default();
        for token in query.split_whitespace() {
            let Some((key, value)) = token.split_once(':') else {
                filter.words.push(token.to_lowercase());
                continue;
            };
            let key = key.to_ascii_lowercase();
            let is_method = key == "method" || key == "m";
            let is_status = key == "status" || key == "s";
            if (is_method || is_status) && value.is_empty() {
                continue;
            }
            if is_method && let Some(method) = Method::named(value) {
                filter.method = Some(method);
            } else if is_status && let Some(status) = parse_status(value) {
                filter.status = Some(status);
            } else {
                filter.words.push(token.to_lowercase());
            }
        }
        filter
    }

    /// Whether the query filters anything out.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.method.is_none() && self.status.is_none()
    }

    pub fn matches<E: HistoryEntryView + ?Sized>(&self, entry: &E) -> bool {
        // Named methods compare without case (`m:propfind` finds `PROPFIND` and `propfind`).
        if self
            .method
            .is_some_and(|m| !m.as_str().eq_ignore_ascii_case(entry.method().as_str()))
        {
            return false;
        }
        let status = entry.status();
        let status_ok = match self.status {
            None => true,
            Some(StatusFilter::Class(class)) => status.is_some_and(|s| s / 100 == u16::from(class)),
            Some(StatusFilter::Exact(code)) => status == Some(code),
            Some(StatusFilter::Failed) => entry.failed(),
        };
        if !status_ok {
            return false;
        }
        if self.words.is_empty() {
            return true;
        }
        let status_text = match status {
            Some(s) => s.to_string(),
            None if entry.failed() => "failed".to_string(),
            None => String::new(),
        };
        let haystack = format!(
            "{}\n{}\n{}",
            entry.method().as_str().to_lowercase(),
            entry.url().to_lowercase(),
            status_text
        );
        self.words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

fn parse_status(value: &str) -> Option<StatusFilter> {
    let lower = value.to_ascii_lowercase();
    if ["err", "error", "errors", "fail", "failed", "failure"].contains(&lower.as_str()) {
        return Some(StatusFilter::Failed);
    }
    let class_digit = match lower.as_bytes() {
        [d] | [d, b'x', b'x'] => Some(*d),
        _ => None,
    };
    if let Some(d @ b'1'..=b'5') = class_digit {
        return Some(StatusFilter::Class(d - b'0'));
    }
    if lower.len() == 3 {
        return lower
            .parse::<u16>()
            .ok()
            .filter(|code| (100..=999).contains(code))
            .map(StatusFilter::Exact);
    }
    None
}

impl HistoryEntryView for HistoryRecord {
    fn method(&self) -> Method {
        Method::named(&self.request.method).unwrap_or_default()
    }

    fn url(&self) -> &str {
        &self.request.url
    }

    fn status(&self) -> Option<u16> {
        match &self.outcome {
            StoredOutcome::Response { status, .. } => Some(*status),
            _ => None,
        }
    }

    fn failed(&self) -> bool {
        matches!(self.outcome, StoredOutcome::Failed { .. })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    struct Entry(Method, &'static str, Option<u16>, bool);

    impl HistoryEntryView for Entry {
        fn method(&self) -> Method {
            self.0
        }
        fn url(&self) -> &str {
            self.1
        }
        fn status(&self) -> Option<u16> {
            self.2
        }
        fn failed(&self) -> bool {
            self.3
        }
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_the_query_syntax() {
        use StatusFilter::*;
        type Case = (
            &'static str,
            &'static [&'static str],
            Option<Method>,
            Option<StatusFilter>,
        );
        let cases: [Case; 14] = [
            ("", &[], None, None),
            ("  Items  ", &["items"], None, None),
            (
                "items method:post status:4xx",
                &["items"],
                Some(Method::Post),
                Some(Class(4)),
            ),
            ("status:404", &[], None, Some(Exact(404))),
            ("status:err", &[], None, Some(Failed)),
            ("S:Failed M:GET", &[], Some(Method::Get), Some(Failed)),
            ("m:get", &[], Some(Method::Get), None),
            ("s:2 s:5XX", &[], None, Some(Class(5))),
            ("method: status:", &[], None, None),
            ("m:br/ew s:7xx", &["m:br/ew", "s:7xx"], None, None),
            // Any method name (compared without case when filtering).
            ("m:purge", &[], Method::named("purge"), None),
            ("s:4x s:0404", &["s:4x", "s:0404"], None, None),
            (
                "localhost:8080 http://x/",
                &["localhost:8080", "http://x/"],
                None,
                None,
            ),
            ("s:099 ÄPI", &["s:099", "äpi"], None, None),
        ];
        for (query, w, method, status) in cases {
            let want = HistoryFilter {
                words: words(w),
                method,
                status,
            };
            assert_eq!(HistoryFilter::parse(query), want, "{query:?}");
        }
        assert!(HistoryFilter::parse(" m: ").is_empty());
        assert!(!HistoryFilter::parse("x").is_empty());
    }

    #[test]
    fn matches_entries() {
        let get_ok = Entry(
            Method::Get,
            "http://localhost:8080/Items?page=2",
            Some(200),
            false,
        );
        let post_404 = Entry(
            Method::Post,
            "http://localhost:8080/users",
            Some(404),
            false,
        );
        let failed = Entry(Method::Delete, "http://nowhere.test/items/1", None, true);
        let cancelled = Entry(Method::Get, "http://slow.test/", None, false);
        let all = [&get_ok, &post_404, &failed, &cancelled];
        let cases: [(&str, [bool; 4]); 14] = [
            ("", [true, true, true, true]),
            ("items", [true, false, true, false]),
            ("ITEMS page=2", [true, false, false, false]),
            ("post", [false, true, false, false]),
            ("404", [false, true, false, false]),
            ("failed", [false, false, true, false]),
            ("m:get", [true, false, false, true]),
            ("status:2xx", [true, false, false, false]),
            ("status:4xx users", [false, true, false, false]),
            ("status:404 m:get", [false, false, false, false]),
            ("s:err", [false, false, true, false]),
            ("s:err items", [false, false, true, false]),
            ("localhost:8080", [true, true, false, false]),
            ("m:brew", [false, false, false, false]),
        ];
        for (query, want) in cases {
            let filter = HistoryFilter::parse(query);
            let got: Vec<bool> = all.iter().map(|e| filter.matches(*e)).collect();
            assert_eq!(got, want, "{query:?}");
        }
    }

    #[test]
    fn records_are_entries() {
        use crate::history::record::Outcome;
        use crate::model::RequestSpec;
        use crate::model::secret::Redactor;
        let spec = RequestSpec {
            method: Method::Put,
            url: "http://h/items".into(),
            ..RequestSpec::default()
        };
        let failed = Outcome::Failed {
            title: "Failed",
            message: "boom".into(),
            hint: "",
        };
        let rec = HistoryRecord::from_exchange(1, 0, &spec, failed, &Redactor::none());
        assert_eq!(rec.method(), Method::Put);
        assert_eq!(rec.url(), "http://h/items");
        assert_eq!(rec.status(), None);
        assert!(rec.failed());
        assert!(HistoryFilter::parse("m:put s:err items").matches(&rec));
    }

    proptest! {
        #[test]
        fn parse_and_match_never_panic(query in "\\PC{0,40}", url in "\\PC{0,20}", status in proptest::option::of(0u16..1000)) {
            let filter = HistoryFilter::parse(&query);
            let url: &'static str = Box::leak(url.into_boxed_str());
            let _ = filter.matches(&Entry(Method::Get, url, status, status.is_none()));
        }

        #[test]
        fn keyed_parts_round_trip(m in 0usize..7, code in 100u16..600) {
            let method = Method::ALL[m];
            let filter = HistoryFilter::parse(&format!("m:{} s:{code}", method.as_str().to_lowercase()));
            prop_assert_eq!(filter.method, Some(method));
            prop_assert_eq!(filter.status, Some(StatusFilter::Exact(code)));
        }
    }
}
