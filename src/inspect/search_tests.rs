use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use super::*;

fn query(text: &str) -> Query {
    Query::new(text, false).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn regex(text: &str) -> Query {
    Query::new(text, true).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn run(text: &str, query: &Query) -> Found {
    search(text, query, &AtomicBool::new(false), |_| {})
}

fn run_with(text: &str, query: &Query, chunk_bytes: usize, keep: usize) -> Found {
    let limits = Limits { chunk_bytes, keep };
    search_with(text, query, limits, &AtomicBool::new(false), |_| {})
}

/// The matched text of each match.
fn texts<'a>(text: &'a str, found: &Found) -> Vec<&'a str> {
    let lines: Vec<&str> = text.split('\n').collect();
    found
        .matches
        .iter()
        .map(|m| &lines[m.line][m.start..m.end])
        .collect()
}

fn m(line: usize, start: usize, end: usize) -> Match {
    Match { line, start, end }
}

#[test]
fn finds_literal_positions_by_line() {
    let text = "a needle\nno\nneedle needle\n";
    let found = run(text, &query("needle"));
    assert_eq!(found.matches, [m(0, 2, 8), m(2, 0, 6), m(2, 7, 13)]);
    assert_eq!(found.count, 3);
    assert!(found.complete);
    assert!(!found.is_capped());
    assert_eq!(found.scanned, text.len());
}

#[test]
fn queries_are_equal_by_text_and_mode() {
    assert_eq!(query("a.b"), query("a.b"));
    assert_ne!(query("a.b"), regex("a.b"));
    assert_ne!(query("a"), query("A"));
}

#[test]
fn literal_text_is_not_a_regex() {
    let text = "a.b axb (x) a+b\n";
    assert_eq!(texts(text, &run(text, &query("a.b"))), ["a.b"]);
    assert_eq!(texts(text, &run(text, &query("(x)"))), ["(x)"]);
    assert_eq!(texts(text, &run(text, &query("a+b"))), ["a+b"]);
    assert_eq!(
        texts(text, &run(text, &regex("a.b"))),
        ["a.b", "axb", "a+b"]
    );
}

#[test]
fn smart_case() {
    let text = "Needle needle NEEDLE\n";
    let lower = query("needle");
    assert!(!lower.is_case_sensitive());
    assert_eq!(run(text, &lower).count, 3);
    let upper = query("Needle");
    assert!(upper.is_case_sensitive());
    assert_eq!(texts(text, &run(text, &upper)), ["Needle"]);
    // Unicode case folding, both ways.
    assert_eq!(run("ÉTÉ été\n", &query("été")).count, 2);
    assert_eq!(run("ÉTÉ été\n", &query("ÉTÉ")).count, 1);
}

#[test]
fn smart_case_ignores_the_letters_of_regex_syntax() {
    for lower in [
        r"\S+",
        r"\W\D\B",
        r"\p{Lu}x",
        r"\P{Greek}",
        r"\pLa",
        r"\x4Fa",
        r"\x{4F}a",
        r"\u00C9a",
        r"\U0001F600",
        r"(?P<Name>x)",
        r"(?<Name>x)",
        r"(?U)a+",
        r"(?-U:a+)",
    ] {
        assert!(!regex(lower).is_case_sensitive(), "{lower}");
    }
    for upper in [
        r"Needle",
        r"\sX",
        r"(?P<n>X)",
        r"[A-Z]",
        r"\p{L}Z",
        r"\pLZ",
        r"\x4FA",
        r"\u00e9A",
    ] {
        assert!(regex(upper).is_case_sensitive(), "{upper}");
    }
    // An explicit flag still wins.
    assert_eq!(run("Needle needle\n", &regex("(?i)Needle")).count, 2);
    assert_eq!(run("Needle needle\n", &regex("(?-i)needle")).count, 1);
}

#[test]
fn regex_search() {
    let text = "  \"id\": 12,\n  \"color\": \"red\",\n  \"colour\": 7\n";
    assert_eq!(
        texts(text, &run(text, &regex("colou?r"))),
        ["color", "colour"]
    );
    assert_eq!(texts(text, &run(text, &regex(r"\d+$"))), ["7"]);
    assert_eq!(texts(text, &run(text, &regex(r"\d+,$"))), ["12,"]);
    assert_eq!(
        texts(text, &run(text, &regex(r#"^  "\w+""#))),
        ["  \"id\"", "  \"color\"", "  \"colour\""]
    );
    assert_eq!(
        texts(text, &run(text, &regex(r"\bred\b|\bid\b"))),
        ["id", "red"]
    );
}

#[test]
fn anchors_match_at_every_line() {
    let text = "abc\nabc\nxabc\n";
    assert_eq!(run(text, &regex("^abc")).count, 2);
    assert_eq!(run(text, &regex("abc$")).count, 3);
    // `\A` and `\z` also mean the start and end of each line (the line-by-line path).
    assert_eq!(
        run(text, &regex(r"\Aabc")).matches,
        [m(0, 0, 3), m(1, 0, 3)]
    );
    assert_eq!(run(text, &regex(r"c\z")).count, 3);
    assert_eq!(run(text, &regex(r"(?-m)^abc$")).count, 2);
    assert!(!regex("^a$").per_line);
    assert!(regex(r"\Aa").per_line);
    assert!(regex(r"(?s-m:.)").per_line);
    assert!(!regex(r"\\A").per_line);
}

#[test]
fn matches_never_span_lines() {
    let text = "a \nb a b\na\n";
    // `\s` could cross the line end; the match is looked for in the first line alone.
    assert_eq!(
        run(text, &regex(r"a\s+b")).matches,
        [m(1, 2, 5)],
        "only the one within a line"
    );
    assert_eq!(texts(text, &run(text, &regex(r"a\s*"))), ["a ", "a ", "a"]);
    assert_eq!(run(text, &regex(r"\n")).count, 0);
    assert_eq!(run(text, &regex(r"[^x]+")).count, 3);
    assert_eq!(
        texts(text, &run(text, &regex(r"[^x]+"))),
        ["a ", "b a b", "a"]
    );
    // A literal containing a newline can never be found.
    assert_eq!(run(text, &query("a \nb")).count, 0);
}

#[test]
fn empty_matches_are_skipped() {
    let text = "xaay\n\nb\n";
    assert_eq!(texts(text, &run(text, &regex("a*"))), ["aa"]);
    assert_eq!(run(text, &regex("^")).count, 0);
    assert_eq!(run(text, &regex("^$")).count, 0);
    assert_eq!(texts(text, &run(text, &regex("b?"))), ["b"]);
}

#[test]
fn empty_query_is_an_error() {
    assert_eq!(Query::new("", false).err(), Some(SearchError::Empty));
    assert_eq!(Query::new("", true).err(), Some(SearchError::Empty));
    assert_eq!(
        SearchError::Empty.to_string(),
        "type something to search for"
    );
    // A space is something.
    assert_eq!(run("a b\n", &query(" ")).count, 1);
}

#[test]
fn invalid_regex_says_what_and_where() {
    let err = Query::new("a(b", true).expect_err("unclosed");
    assert_eq!(
        err,
        SearchError::Regex {
            message: "unclosed group".to_string(),
            at: Some(1)
        }
    );
    assert_eq!(
        err.to_string(),
        "regex error at character 2: unclosed group"
    );
    let Err(SearchError::Regex { message, at }) = Query::new("ab[z-a]", true) else {
        panic!("compiled");
    };
    assert_eq!(
        (message.as_str(), at),
        (
            "invalid character class range, the start must be <= the end",
            Some(3)
        )
    );
    // Positions count characters, not bytes.
    let Err(SearchError::Regex { at, .. }) = Query::new("日本(?z)", true) else {
        panic!("compiled");
    };
    assert_eq!(at, Some(4));
    let Err(SearchError::Regex { message, at }) = Query::new(r"\p{Nope}", true) else {
        panic!("compiled");
    };
    assert_eq!(
        (message.as_str(), at),
        ("Unicode property not found", Some(0))
    );
    // The same text as a literal is fine.
    assert_eq!(run("x a(b\n", &query("a(b")).count, 1);
}

#[test]
fn a_regex_too_big_is_an_error_without_position() {
    let Err(SearchError::Regex { message, at }) = Query::new(r"\w{1000}{1000}", true) else {
        panic!("compiled");
    };
    assert_eq!(at, None);
    assert!(message.contains("size limit"), "{message}");
}

#[test]
fn unicode_offsets_are_char_boundaries() {
    let text = "日本語のテキスト 日本\n😀 emoji 😀😀\ne\u{301}te\u{301} cafe\u{301}\nÉcole école\n";
    let lines: Vec<&str> = text.lines().collect();
    let check = |q: &Query, expected: &[&str]| {
        let found = run(text, q);
        for x in &found.matches {
            let line = lines[x.line];
            assert!(line.is_char_boundary(x.start) && line.is_char_boundary(x.end));
            assert!(x.start < x.end);
        }
        assert_eq!(texts(text, &found), expected, "{}", q.text());
    };
    check(&query("日本"), &["日本", "日本"]);
    check(&query("😀"), &["😀", "😀", "😀"]);
    check(&query("e\u{301}"), &["e\u{301}", "e\u{301}", "e\u{301}"]);
    let dots = run(text, &regex("."));
    assert_eq!(dots.count, text.chars().filter(|&c| c != '\n').count());
    // A combining mark is a character of its own: `.` splits it from its base.
    check(&regex(r"te\p{M}"), &["te\u{301}"]);
    check(&query("école"), &["École", "école"]);
    check(&regex(r"\w+😀"), &[]);
    check(&regex(r"[😀]+"), &["😀", "😀😀"]);
    // The empty matches of a regex that can match nothing step over whole characters.
    check(&regex("語?"), &["語"]);
}

#[test]
fn find_in_line_agrees_with_search() {
    let q = regex(r"a\s*|b$");
    assert_eq!(q.find_in_line("xa  a b"), [1..4, 4..6, 6..7]);
    assert_eq!(q.find_in_line(""), Vec::<Range<usize>>::new());
    assert_eq!(query("ÿ").find_in_line("ÿŸÿ"), [0..2, 2..4, 4..6]);
}

#[test]
fn keeps_at_most_the_limit_and_counts_the_rest() {
    let text = "x x x\n".repeat(10);
    let found = run_with(&text, &query("x"), 1 << 20, 7);
    assert_eq!(found.matches.len(), 7);
    assert_eq!(found.count, 30);
    assert!(found.is_capped());
    assert_eq!(found.matches[6], m(2, 0, 1));
    assert_eq!(run(&text, &query("x")).matches.len(), 30);
    // A limit of zero only counts.
    let found = run_with(&text, &query("x"), 8, 0);
    assert_eq!((found.matches.len(), found.count), (0, 30));
}

#[test]
fn chunks_end_at_line_ends_and_give_the_same_matches() {
    let text: String = (0..200)
        .map(|i| format!("line {i} {}\n", "needle ".repeat(i % 4)))
        .collect();
    let q = query("needle");
    let whole = run(&text, &q);
    assert_eq!(whole.count, 50 * 6);
    for chunk in [1, 2, 7, 64, 1000] {
        let mut reports = Vec::new();
        let found = search_with(
            &text,
            &q,
            Limits {
                chunk_bytes: chunk,
                keep: MAX_KEPT,
            },
            &AtomicBool::new(false),
            |p| reports.push((p.scanned, p.count, p.kept.len())),
        );
        assert_eq!(found, whole, "chunk {chunk}");
        for &(scanned, count, kept) in &reports {
            assert_eq!(&text[scanned - 1..scanned], "\n", "chunk {chunk}");
            assert_eq!(count, kept);
        }
    }
}

#[test]
fn a_line_longer_than_a_chunk_is_one_chunk() {
    let text = format!("{}needle\nneedle\n", "x".repeat(5000));
    let found = run_with(&text, &query("needle"), 100, MAX_KEPT);
    assert_eq!(found.matches, [m(0, 5000, 5006), m(1, 0, 6)]);
}

#[test]
fn text_without_a_final_newline() {
    let found = run_with("a\nb a", &query("a"), 1, MAX_KEPT);
    assert_eq!(found.matches, [m(0, 0, 1), m(1, 2, 3)]);
    assert_eq!(found.scanned, 5);
    assert!(found.complete);
}

#[test]
fn progress_reaches_the_whole_text() {
    let text = "abc needle\n".repeat(100_000); // 1.1 MB
    let mut reports = Vec::new();
    let found = search(&text, &query("needle"), &AtomicBool::new(false), |p| {
        reports.push((p.scanned, p.total, p.count, p.fraction()));
    });
    assert!(found.complete);
    assert!(reports.len() >= 2, "{reports:?}");
    assert!(
        reports
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].2 <= w[1].2)
    );
    let &(scanned, total, count, fraction) = reports.last().unwrap();
    assert_eq!(
        (scanned, total, count, fraction),
        (text.len(), text.len(), 100_000, 1.0)
    );
    // The first report comes after a small chunk, with matches in it.
    assert!(reports[0].0 <= FIRST_CHUNK_BYTES + 11 && reports[0].2 > 0);

    let mut last = None;
    let found = search("", &query("x"), &AtomicBool::new(false), |p| {
        last = Some(p.fraction());
    });
    assert!(found.complete);
    assert_eq!(last, Some(1.0));
}

#[test]
fn cancelling_stops_after_the_current_chunk() {
    let text = "needle\n".repeat(10_000);
    let cancel = AtomicBool::new(false);
    let limits = Limits {
        chunk_bytes: 7 * 100,
        keep: MAX_KEPT,
    };
    let mut reports = 0;
    let found = search_with(&text, &query("needle"), limits, &cancel, |p| {
        reports += 1;
        if p.count >= 250 {
            cancel.store(true, Ordering::Relaxed);
        }
    });
    assert!(!found.complete);
    assert!(
        found.count >= 250 && found.count < 10_000,
        "{}",
        found.count
    );
    assert_eq!(found.count, found.matches.len());
    assert_eq!(found.scanned, found.count * 7);
    assert_eq!(reports, 3); // 64 KB would be one chunk: the first chunk is capped to the limit
    // Cancelled before it starts: nothing scanned.
    let found = search(&text, &query("needle"), &AtomicBool::new(true), |_| {
        panic!("no progress")
    });
    assert_eq!((found.scanned, found.count, found.complete), (0, 0, false));
}

#[test]
fn a_regex_crossing_lines_costs_no_more_than_line_by_line() {
    // Each line's match runs to the end of the chunk if the regex may cross lines: searched that
    // way line after line, 1 MB of short lines would take minutes.
    let text = "ab ab ab ab\n".repeat(100_000);
    let start = std::time::Instant::now();
    let found = run(&text, &regex("[^x]*b"));
    assert_eq!(found.count, 100_000);
    assert_eq!(found.matches[1], m(1, 0, 11));
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn matches_in_a_range_of_lines() {
    let ms = [m(0, 0, 1), m(2, 0, 1), m(2, 3, 4), m(5, 1, 2), m(9, 0, 1)];
    assert_eq!(matches_in_lines(&ms, 0..1), &ms[..1]);
    assert_eq!(matches_in_lines(&ms, 1..3), &ms[1..3]);
    assert_eq!(matches_in_lines(&ms, 3..5), &[]);
    assert_eq!(matches_in_lines(&ms, 2..100), &ms[1..]);
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = 7..3;
    assert_eq!(matches_in_lines(&ms, backwards), &[]);
    assert_eq!(matches_in_lines(&[], 0..10), &[]);
}

#[test]
fn next_and_previous_wrap_around() {
    let ms = [m(0, 0, 1), m(2, 0, 1), m(2, 3, 4), m(5, 1, 2)];
    // From a line: the first match on it or after it.
    assert_eq!(next_match(&ms, 1, 0), Some(1));
    assert_eq!(next_match(&ms, 2, 0), Some(1));
    assert_eq!(next_match(&ms, 6, 0), Some(0));
    // `n` from the current match, then `N` back.
    let mut at = 0;
    let mut visited = Vec::new();
    for _ in 0..5 {
        at = next_match(&ms, ms[at].line, ms[at].start + 1).unwrap();
        visited.push(at);
    }
    assert_eq!(visited, [1, 2, 3, 0, 1]);
    let mut back = Vec::new();
    for _ in 0..5 {
        at = prev_match(&ms, ms[at].line, ms[at].start).unwrap();
        back.push(at);
    }
    assert_eq!(back, [0, 3, 2, 1, 0]);
    assert_eq!(prev_match(&ms, 2, 2), Some(1));
    assert_eq!(prev_match(&ms, 0, 0), Some(3));
    assert_eq!(next_match(&[], 0, 0), None);
    assert_eq!(prev_match(&[], 0, 0), None);
}

proptest! {
    /// A case-sensitive literal finds exactly what `str::match_indices` finds, line by line,
    /// whatever the chunk size.
    #[test]
    fn literal_search_is_match_indices(
        text in "[aAbB日😀é\u{301} \n]{0,200}",
        needle in "[aAbB日😀é\u{301} ]{0,4}",
        chunk in 1usize..64,
    ) {
        let needle = format!("A{needle}");
        let q = query(&needle);
        prop_assert!(q.is_case_sensitive());
        let mut expected = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            for (start, hit) in line.match_indices(needle.as_str()) {
                expected.push(m(i, start, start + hit.len()));
            }
        }
        let found = run_with(&text, &q, chunk, MAX_KEPT);
        prop_assert_eq!(&found.matches, &expected);
        prop_assert_eq!(found.count, expected.len());
    }

    /// Over whole chunks with the line-crossing repair, a regex finds what it finds in each line
    /// alone.
    #[test]
    fn chunked_regex_matches_each_line_alone(
        text in "[ab \n]{0,80}",
        pattern in prop::sample::select(vec![
            r"a\s*b", r"a\s+", r"\s", r"[^b]+", r"b?", r"a|a\sb", r"(a\s)*b", r"\b", r"\ba",
            r"a$", r"^b|a", r"$|b", r"a\s*$", r"[a\s]*b", r"(?s).b", r"\s+$", r"^\s*a",
        ]),
        chunk in 1usize..40,
    ) {
        let q = regex(pattern);
        let mut expected = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            line_matches(&q.regex, line, 0, |s, e| expected.push(m(i, s, e)));
        }
        prop_assert_eq!(run_with(&text, &q, chunk, MAX_KEPT).matches, expected);
    }
}
