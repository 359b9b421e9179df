//! Splitting command lines as a shell does: each quoting form, continuations, cmd copies, and
//! errors with their place; a property test that quoting any words and splitting them back
//! gives the words.

use proptest::prelude::*;

use super::*;

fn words(command: &str) -> Vec<String> {
    split(command).unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

#[test]
fn quotes_escapes_and_continuations_as_a_posix_shell() {
    assert_eq!(
        words("curl  'https://a.test/x?y=1&z=2'  -H \"Accept: */*\""),
        ["curl", "https://a.test/x?y=1&z=2", "-H", "Accept: */*"]
    );
    assert_eq!(
        words(r#"a\ b "c\"d" 'e\f' "\$x\n""#),
        ["a b", "c\"d", "e\\f", "$x\\n"]
    );
    assert_eq!(words("''  \"\""), ["", ""]);
    assert_eq!(words("a'b'\"c\"d"), ["abcd"]);
    // Backslash-newline continues the line, between words and inside double quotes.
    assert_eq!(
        words("curl https://a.test \\\n  -X POST \\\r\n  -d \"x\\\ny\""),
        ["curl", "https://a.test", "-X", "POST", "-d", "xy"]
    );
    assert_eq!(words("''\\\n b"), ["", "b"]);
    assert_eq!(words("a # a comment\nb"), ["a", "b"]);
    assert_eq!(words("a#b"), ["a#b"]);
}

#[test]
fn ansi_c_quoting_reads_c_escapes_and_utf8_bytes() {
    assert_eq!(
        words(r#"--data-raw $'{"a":"it\'s\n\ttab"}'"#),
        ["--data-raw", "{\"a\":\"it's\n\ttab\"}"]
    );
    assert_eq!(
        words(r"$'\xe6\x97\xa5\u672c\U0001F600\101\0'"),
        ["日本😀A\0"]
    );
    assert_eq!(words(r"$'a\q'"), ["aq"]);
    // $ on its own is a character; `$HOME` is a variable the shell would expand.
    let w = words("$HOME $");
    assert_eq!(w[1], "$");
    assert_eq!(env_refs(&w[0], |name| format!("<{name}>")), "<HOME>");
}

#[test]
fn a_windows_cmd_copy_has_its_carets_undone() {
    let copied = "curl ^\"https://a.test/x?a=1^&b=2^\" ^\r\n  -H ^\"accept: */*^\" ^\n  --data-raw ^\"^{^\\^\"k^\\^\":1^}^\"";
    assert_eq!(
        words(copied),
        [
            "curl",
            "https://a.test/x?a=1&b=2",
            "-H",
            "accept: */*",
            "--data-raw",
            "{\"k\":1}"
        ]
    );
}

#[test]
fn a_no_break_space_is_part_of_a_word_not_a_gap_before_a_cmd_caret() {
    // Found by the property below: `"\u{a0}^"` read as a Windows copy lost its caret.
    assert_eq!(split("\"\u{a0}^\"").unwrap(), ["\u{a0}^"]);
    // One word to a shell, so no first argument quoted with ^" (read as POSIX quotes).
    assert_eq!(split("curl\u{a0}^\"x^\"").unwrap(), ["curl\u{a0}^x^"]);
}

#[test]
fn an_unterminated_quote_says_where_it_opened() {
    let err = split("curl 'https://a.test \\\n -d \"x").unwrap_err();
    assert_eq!((err.line, err.column), (1, 6), "{err}");
    assert!(err.message.contains("never closed"), "{err}");
    let err = split("curl \\\n  -d \"x").unwrap_err();
    assert_eq!((err.line, err.column), (2, 6), "{err}");
    assert!(split("$'abc").is_err());
}

/// Quotes a word for a POSIX shell, one of three ways.
fn quote(word: &str, style: u8) -> String {
    match style % 3 {
        0 => format!("'{}'", word.replace('\'', "'\\''")),
        1 => {
            let mut out = String::from("\"");
            for c in word.chars() {
                if matches!(c, '"' | '\\' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
            out
        }
        _ => {
            let mut out = String::from("$'");
            for c in word.chars() {
                match c {
                    '\'' => out.push_str("\\'"),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        }
    }
}

proptest! {
    #[test]
    fn quoted_words_split_back_into_themselves(
        words in proptest::collection::vec(("\\PC{0,12}", any::<u8>()), 0..6),
        separators in proptest::collection::vec(prop_oneof![Just(" "), Just("  "), Just(" \\\n  "), Just("\t")], 6),
    ) {
        let mut line = String::new();
        for (i, (word, style)) in words.iter().enumerate() {
            if i > 0 {
                line.push_str(separators[i % separators.len()]);
            }
            line.push_str(&quote(word, *style));
        }
        let back = split(&line).unwrap();
        let expected: Vec<String> = words.iter().map(|(w, _)| w.clone()).collect();
        prop_assert_eq!(back, expected, "{}", line);
    }
}

#[test]
fn operators_end_commands_and_redirections_are_taken_out() {
    let cmds = commands(
        "curl -d x http://x.test/; echo done && curl a | jq . > out.json 2>&1\ncurl b < body.txt &",
    )
    .unwrap();
    let words: Vec<Vec<&str>> = cmds
        .iter()
        .map(|c| c.words.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        words,
        [
            vec!["curl", "-d", "x", "http://x.test/"],
            vec!["echo", "done"],
            vec!["curl", "a"],
            vec!["jq", "."],
            vec!["curl", "b"],
        ]
    );
    // Quoted, they are text.
    assert_eq!(split("curl 'a;b|c&d>e'").unwrap(), ["curl", "a;b|c&d>e"]);
}

#[test]
fn variables_the_shell_would_expand_are_marked() {
    let words =
        split(r#"curl -H "Authorization: Bearer $TOKEN" ${BASE:-x}/items '$NOT' $'$NOR' $5"#)
            .unwrap();
    let shown: Vec<String> = words
        .iter()
        .map(|w| env_refs(w, |name| format!("<{name}>")))
        .collect();
    assert_eq!(
        shown,
        [
            "curl",
            "-H",
            "Authorization: Bearer <TOKEN>",
            "<BASE>/items",
            "$NOT",
            "$NOR",
            "$5"
        ]
    );
}
