//! Highlighting tests: windows must look exactly like the same lines highlighted from the top.

use proptest::prelude::*;
use ratatui::style::Color;

use super::json::{self, CHECKPOINT_INTERVAL};
use super::resume::{self, Run};
use super::*;

/// A moderately nested JSON document (a few thousand pretty lines) with some long strings.
fn sample_json() -> String {
    let mut s = String::from("{\"openapi\":\"3.1.0\",\"paths\":{");
    for i in 0..120 {
        if i > 0 {
            s.push(',');
        }
        let long = "x".repeat(if i % 17 == 3 { 5000 } else { 8 });
        s.push_str(&format!(
            r#""/items/{i}":{{"get":{{"tags":["a","b"],"parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"integer","minimum":0}}}}],"responses":{{"200":{{"description":"{long}","content":{{}},"examples":[[1,2.5e3,null],[],{{"k":[false,{{"deep":"{{[\"}}"}}]}}]}},"404":{{}}}}}},"{long}":[{{"a":"{long}"}},"{long}"]}}"#
        ));
    }
    s.push_str("}}");
    s
}

fn sample_html() -> String {
    let mut s = String::from("<!DOCTYPE html>\n<html>\n<head>\n<style>\nbody { color: red; }\n");
    s.push_str("</style>\n<script>\nfunction f(a) {\n  return `multi\nline ${a}`;\n}\n</script>\n");
    s.push_str("</head>\n<body>\n");
    for i in 0..700 {
        s.push_str(&format!(
            "<div class=\"row\" id=\"r{i}\"><!-- comment\n spans lines -->\n"
        ));
        s.push_str(&format!("  <p>Item {i} &amp; more</p>\n</div>\n"));
        if i % 250 == 7 {
            s.push_str(&format!("<pre>{}</pre>\n", "y".repeat(5000)));
        }
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn assert_windows_match(doc: &Document, windows: &[Range<usize>]) {
    let full = highlighter().highlight(doc, 0..doc.line_count());
    assert_eq!(full.len(), doc.line_count());
    for w in windows {
        let fresh = Document::from_body(
            doc.display_text().as_bytes(),
            Some(content_type(doc.lang())),
        );
        let part = highlighter().highlight(&fresh, w.clone());
        let end = w.end.min(full.len());
        assert_eq!(part, full[w.start.min(end)..end], "window {w:?}");
        // Again on the same (now warmed-up) document.
        assert_eq!(
            highlighter().highlight(&fresh, w.clone()),
            part,
            "window {w:?}, cached"
        );
    }
}

fn content_type(lang: Lang) -> &'static str {
    match lang {
        Lang::Json => "application/json",
        Lang::Html => "text/html",
        Lang::Xml => "text/xml",
        Lang::JavaScript => "text/javascript",
        Lang::Css => "text/css",
        Lang::Plain => "text/plain",
    }
}

#[test]
fn json_windows_match_full_highlight() {
    let doc = Document::from_body(sample_json().as_bytes(), Some("application/json"));
    assert!(doc.is_pretty_json());
    let n = doc.line_count();
    assert!(n > 3 * CHECKPOINT_INTERVAL, "{n} lines");
    let windows: Vec<Range<usize>> = [0, 1, 2, 7, 255, 256, 257, 600, 1023, n / 2, n - 100, n - 1]
        .into_iter()
        .map(|a| a..a + 100)
        .chain([n..n + 5, 3..3])
        .collect();
    assert_windows_match(&doc, &windows);
}

/// The synthetic prefix must put syntect in exactly the state the real text does, at every line.
#[test]
fn json_prefix_reproduces_the_parser_state() {
    let doc = Document::from_body(sample_json().as_bytes(), Some("application/json"));
    let syntaxes = syntaxes();
    let syntax = syntaxes
        .find_syntax_by_extension("json")
        .expect("JSON syntax");
    let index = doc.json_index().expect("pretty JSON");
    let lines = doc.lines();
    let mut sequential = Run::new(syntax);
    let mut stack = Vec::new();
    for i in 0..doc.line_count() {
        let after_value = i > 0 && resume::json_ends_value(lines.content(i - 1));
        let synthetic = resume::json_run(syntax, syntaxes, &stack, after_value);
        assert_eq!(
            resume::parse_state(&synthetic),
            resume::parse_state(&sequential),
            "line {i}: {:?}",
            lines.content(i)
        );
        assert_eq!(index.stack_at(i, |k| lines.content(k)), stack, "line {i}");
        let line = lines.content_with_newline(i);
        if resume::is_long(line) {
            sequential.advance(
                resume::json_surrogate(lines.content(i), stack.last().copied()),
                syntaxes,
            );
        } else {
            sequential.advance(line, syntaxes);
        }
        json::apply_line(&mut stack, lines.content(i));
    }
}

#[test]
fn html_windows_match_and_checkpoints_are_cached() {
    let doc = Document::from_body(sample_html().as_bytes(), Some("text/html; charset=utf-8"));
    let n = doc.line_count();
    assert!(n > 2000, "{n} lines");
    let windows: Vec<Range<usize>> = [0, 5, 255, 256, 700, n / 2, n - 50]
        .into_iter()
        .map(|a| a..a + 60)
        .collect();
    assert_windows_match(&doc, &windows);

    let doc = Document::from_body(sample_html().as_bytes(), Some("text/html"));
    highlighter().highlight(&doc, n - 10..n);
    // Checkpoints up to the window, plus any the window itself passed.
    let cached = doc.states().len();
    assert!((n - 10) / CHECKPOINT_INTERVAL < cached && cached <= n / CHECKPOINT_INTERVAL + 1);
}

#[test]
fn concurrent_windows_on_a_shared_document() {
    let body = sample_html();
    let reference = Document::from_body(body.as_bytes(), Some("text/html"));
    let n = reference.line_count();
    let full = highlighter().highlight(&reference, 0..n);
    let doc = std::sync::Arc::new(Document::from_body(body.as_bytes(), Some("text/html")));
    let handles: Vec<_> = [n - 40, 0, n / 2, n - 40, 300]
        .into_iter()
        .map(|a| {
            let doc = std::sync::Arc::clone(&doc);
            std::thread::spawn(move || (a, highlighter().highlight(&doc, a..a + 40)))
        })
        .collect();
    for handle in handles {
        let (a, lines) = handle.join().expect("highlight thread");
        assert_eq!(lines, full[a..(a + 40).min(n)], "window at {a}");
    }
}

#[test]
fn invalid_json_uses_the_general_path() {
    let mut body = sample_json();
    body.insert_str(body.len() / 2, "\n  oops, \n");
    let doc = Document::from_body(body.as_bytes(), Some("application/json"));
    assert!(!doc.is_pretty_json());
    assert_eq!(doc.lang(), Lang::Json);
    assert!(doc.notices()[0].starts_with("Body is not valid JSON at line "));
    let n = doc.line_count();
    assert_windows_match(&doc, &[0..40, n - 3..n]);
}

#[test]
fn long_lines_come_back_plain() {
    let doc = Document::from_body(sample_json().as_bytes(), Some("application/json"));
    let long = (0..doc.line_count())
        .find(|&i| doc.line(i).len() > MAX_HIGHLIGHT_LINE)
        .expect("a long line");
    let lines = highlighter().highlight(&doc, long..long + 2);
    assert_eq!(lines[0].spans.len(), 1);
    assert_eq!(lines[0].spans[0].content, doc.line(long));
    assert_eq!(lines[0].spans[0].style, Style::default());
    assert!(lines[1].spans.len() > 1, "{:?}", lines[1]);
}

#[test]
fn spans_have_colours_but_no_background() {
    let doc = Document::from_body(br#"{"a": [1, true, "s"]}"#, Some("application/json"));
    let lines = highlighter().highlight(&doc, 0..doc.line_count());
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let expected: Vec<String> = (0..doc.line_count())
        .map(|i| doc.line(i).into_owned())
        .collect();
    assert_eq!(text, expected);
    let spans = lines.iter().flat_map(|l| &l.spans);
    assert!(spans.clone().all(|s| s.style.bg.is_none()));
    let colours: std::collections::HashSet<_> = spans.filter_map(|s| s.style.fg).collect();
    assert!(colours.len() >= 3, "{colours:?}");
    assert!(colours.iter().all(|c| matches!(c, Color::Rgb(..))));
}

#[test]
fn plain_and_binary_documents_are_unstyled() {
    let doc = Document::from_body(b"one\ntwo", Some("text/plain"));
    let lines = highlighter().highlight(&doc, 0..10);
    assert_eq!(lines, [Line::from("one"), Line::from("two")]);
    let doc = Document::from_body(b"\0\x01\x02", None);
    assert!(doc.is_binary());
    assert_eq!(highlighter().highlight(&doc, 0..1)[0].spans.len(), 1);
}

#[test]
fn other_languages_highlight() {
    for (body, ct) in [
        ("<a href=\"x\">t</a>", "application/xml"),
        ("const x = 1; // c", "application/javascript"),
        ("a { color: red }", "text/css"),
    ] {
        let doc = Document::from_body(body.as_bytes(), Some(ct));
        let lines = highlighter().highlight(&doc, 0..1);
        assert_eq!(lines[0].to_string(), body);
        assert!(lines[0].spans.len() > 2, "{ct}: {:?}", lines[0]);
    }
}

#[test]
fn themes() {
    assert!(Highlighter::theme_names().contains(&DEFAULT_THEME));
    assert_eq!(highlighter().theme_name(), DEFAULT_THEME);
    assert!(Highlighter::with_theme("no such theme").is_none());
    let light = Highlighter::with_theme("InspiredGitHub").expect("bundled theme");
    let doc = Document::from_body(b"{\"a\": 1}", Some("application/json"));
    assert_ne!(
        light.highlight(&doc, 0..3),
        highlighter().highlight(&doc, 0..3)
    );
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Highlighter>();
    preload();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_json_windows_match(
        items in prop::collection::vec((0u8..6, 0usize..4), 1..120),
        at in any::<prop::sample::Index>(),
        len in 1usize..40,
    ) {
        // Random nesting built from a small vocabulary.
        let mut s = String::from("[");
        for (n, (kind, depth)) in items.iter().enumerate() {
            if n > 0 {
                s.push(',');
            }
            let value = match kind {
                0 => "1".to_owned(),
                1 => "{\"k\":\"v\",\"e\":{}}".to_owned(),
                2 => "[[],[true,null]]".to_owned(),
                3 => format!("\"{}\"", "z".repeat(MAX_HIGHLIGHT_LINE)),
                4 => format!("{{\"{}\":[1]}}", "q".repeat(MAX_HIGHLIGHT_LINE)),
                _ => "{\"a\":[{\"b\":{\"c\":[]}}]}".to_owned(),
            };
            s.push_str(&"{\"w\":[".repeat(*depth));
            s.push_str(&value);
            s.push_str(&"]}".repeat(*depth));
        }
        s.push(']');
        let doc = Document::from_body(s.as_bytes(), Some("application/json"));
        prop_assert!(doc.is_pretty_json());
        let full = highlighter().highlight(&doc, 0..doc.line_count());
        let a = at.index(doc.line_count());
        let b = (a + len).min(doc.line_count());
        let fresh = Document::from_body(s.as_bytes(), Some("application/json"));
        prop_assert_eq!(highlighter().highlight(&fresh, a..b), &full[a..b]);
    }
}

#[test]
fn the_listed_theme_names_are_syntects() {
    let mut known = Highlighter::theme_names();
    known.sort_unstable();
    let mut listed = super::THEME_NAMES.to_vec();
    listed.sort_unstable();
    assert_eq!(known, listed);
}
