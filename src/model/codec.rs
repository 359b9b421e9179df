//! The one codec for query strings and form bodies, and the quoted strings of header parameters.
//!
//! Two encodings, for two jobs:
//! - [`encode_component`] is the *template-safe* form the editor and collection files show: only
//!   what would change a query's meaning is escaped (`&`, `=`, `#`, `+`, `%`, spaces, controls),
//!   so `{{templates}}` and non-ASCII text stay readable. [`parse_query`] reads it back.
//! - [`encode_query_value`] and [`encode_form`] are the wire encoding
//!   (`application/x-www-form-urlencoded`, spaces as `+`), used once a request is resolved.
//!
//! Decoding always goes through `url::form_urlencoded` (`+` is a space, `%XX` escapes, invalid
//! UTF-8 replaced).

use url::Url;

use crate::model::KeyValue;

/// The query rows of a URL as typed (it need not be valid yet); the fragment is ignored.
pub fn parse_query(url: &str) -> Vec<KeyValue> {
    let without_fragment = url.split('#').next().unwrap_or("");
    let Some((_, query)) = without_fragment.split_once('?') else {
        return Vec::new();
    };
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| KeyValue::new(k, v))
        .collect()
}

/// Encodes a query key or value so that it reads back the same: only what would change its
/// meaning is escaped (`&`, `=`, `#`, `+`, `%`, spaces, controls), so `{{templates}}` and
/// non-ASCII text stay readable (they are encoded properly when the request is sent).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '&' | '=' | '#' | '+' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `url` with its query string replaced by `rows` (empty keys dropped), fragment kept.
pub fn with_query(url: &str, rows: &[KeyValue]) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (url, None),
    };
    let base = before_fragment.split('?').next().unwrap_or("");
    let mut out = base.to_string();
    let pairs: Vec<String> = rows
        .iter()
        .filter(|r| !r.key.is_empty())
        .map(|r| {
            format!(
                "{}={}",
                encode_component(&r.key),
                encode_component(&r.value)
            )
        })
        .collect();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Splits `url?a=1&b=2#f` into the URL (fragment kept) and its query pairs, decoded.
pub fn split_query(url: &str) -> (String, Vec<(String, String)>) {
    let rows = parse_query(url);
    let base = with_query(url, &[]);
    (base, rows.into_iter().map(|r| (r.key, r.value)).collect())
}

/// Expands URL shorthands like HTTPie: `:8080/x` → `http://localhost:8080/x`, `:/x` →
/// `http://localhost/x`, `example.com` → `http://example.com`. URLs with a scheme (`…://`), template
/// URLs starting with `{{`, and empty input are returned unchanged (trimmed).
///
/// ```
/// use scout::model::normalize_url;
/// assert_eq!(normalize_url(":8080/items"), "http://localhost:8080/items");
/// assert_eq!(normalize_url("example.com/x"), "http://example.com/x");
/// assert_eq!(normalize_url("https://api.example.com"), "https://api.example.com");
/// ```
pub fn normalize_url(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() || s.starts_with("{{") || has_scheme(s) {
        return s.to_string();
    }
    if let Some(rest) = s.strip_prefix(':').filter(|r| !r.starts_with(':')) {
        return if rest.starts_with(|c: char| c.is_ascii_digit()) {
            format!("http://localhost{s}")
        } else {
            format!("http://localhost{rest}")
        };
    }
    if s.starts_with("//") {
        return format!("http:{s}");
    }
    format!("http://{s}")
}

fn has_scheme(s: &str) -> bool {
    match s.split_once("://") {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Reads a form body as the editor holds it: `a=1&b=2`, or one `a=1` per line (or both). Lines and
/// pairs are trimmed, blank ones skipped; `+` and percent-escapes are decoded; `a` alone is `("a", "")`.
pub fn parse_form_text(text: &str) -> Vec<(String, String)> {
    text.lines()
        .flat_map(|line| line.split('&'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k.trim()), decode(v.trim()))
        })
        .collect()
}

/// One form-urlencoded component, decoded.
fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Encodes pairs as `application/x-www-form-urlencoded` (`a=1&b=two+words`).
pub fn encode_form(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// One query key or value as it goes on the wire (form-urlencoded: `a b&c` → `a+b%26c`).
pub fn encode_query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Sets `name=value` in the query string: the first parameter of that name is replaced where it
/// stands (later ones dropped), or the pair is appended; the other parameters stay exactly as
/// written (page URLs stay readable: `?page=3&per_page=10`). The pair is form-urlencoded.
pub fn set_query_param(url: &mut Url, name: &str, value: &str) {
    let pair = format!("{}={}", encode_query_value(name), encode_query_value(value));
    let mut parts = Vec::new();
    let mut placed = false;
    for part in url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let raw_name = part.split('=').next().unwrap_or("");
        let decoded = url::form_urlencoded::parse(raw_name.as_bytes()).next();
        if decoded.is_some_and(|(n, _)| n == name) {
            if !placed {
                parts.push(pair.clone());
                placed = true;
            }
        } else {
            parts.push(part.to_owned());
        }
    }
    if !placed {
        parts.push(pair);
    }
    url.set_query(Some(&parts.join("&")));
}

/// A quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn query_rows_keep_templates_and_special_characters() {
        let rows = vec![
            KeyValue::new("id", "{{item_id}}"),
            KeyValue::new("q", "a&b=c d+e%f#g"),
            KeyValue::new("ünï", "çødé"),
        ];
        let url = with_query("{{base_url}}/items", &rows);
        assert_eq!(
            url,
            "{{base_url}}/items?id={{item_id}}&q=a%26b%3Dc%20d%2Be%25f%23g&ünï=çødé"
        );
        assert_eq!(parse_query(&url), rows);
    }

    #[test]
    fn form_text_parses_both_layouts() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            parse_form_text("a=1&b=two+words&c=%26"),
            pairs(&[("a", "1"), ("b", "two words"), ("c", "&")])
        );
        assert_eq!(
            parse_form_text("  a = 1 \n\n b=2&c\r\n"),
            pairs(&[("a", "1"), ("b", "2"), ("c", "")])
        );
        assert_eq!(
            parse_form_text("x=%E2%82%AC&y=a=b"),
            pairs(&[("x", "€"), ("y", "a=b")])
        );
        assert_eq!(
            encode_form(&pairs(&[("a b", "c&d"), ("é", "")])),
            "a+b=c%26d&%C3%A9="
        );
    }

    proptest! {
        #[test]
        fn form_encoding_round_trips(
            pairs in proptest::collection::vec(("\\PC{0,8}", "\\PC{0,8}"), 0..5),
        ) {
            let pairs: Vec<(String, String)> =
                pairs.into_iter().filter(|(k, v)| !(k.is_empty() && v.is_empty())).collect();
            prop_assert_eq!(parse_form_text(&encode_form(&pairs)), pairs);
        }
    }

    #[test]
    fn query_parameters_are_replaced_in_place() {
        let mut u = Url::parse("https://a.test/x?a=%2F&page=1&b=x+y&page=7#frag").unwrap();
        set_query_param(&mut u, "page", "2");
        assert_eq!(u.as_str(), "https://a.test/x?a=%2F&page=2&b=x+y#frag");
        set_query_param(&mut u, "the cursor", "a b&c");
        assert_eq!(
            u.as_str(),
            "https://a.test/x?a=%2F&page=2&b=x+y&the+cursor=a+b%26c#frag"
        );
        let mut u = Url::parse("https://a.test/x").unwrap();
        set_query_param(&mut u, "offset", "0");
        assert_eq!(u.as_str(), "https://a.test/x?offset=0");
    }
}
