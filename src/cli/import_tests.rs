//! `scout import` end to end on files: stdout or `-o`, secrets into `.env` (never the collection,
//! never stdout), dropped options on stderr, bad input exit 2 with `file:line` and nothing written.

use super::*;

fn run_args(args: &ImportArgs) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn args(input: PathBuf) -> ImportArgs {
    ImportArgs {
        input,
        ..ImportArgs::default()
    }
}

#[test]
fn a_curl_command_prints_a_collection_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cmd.sh");
    std::fs::write(
        &input,
        "curl -u bob:pa55 --proxy-negotiate https://api.test/items?page=2",
    )
    .unwrap();
    let (code, out, err) = run_args(&args(input.clone()));
    assert_eq!(code, exit::OK, "{err}");
    assert!(out.starts_with(&format!("# Imported from {} (curl)", input.display())));
    let c = crate::collection::parse_collection(&out, Path::new("x.toml")).unwrap();
    assert_eq!(c.requests[0].id, "get-items");
    assert!(
        !out.contains("pa55") && !err.contains("pa55"),
        "{out}\n{err}"
    );
    assert!(
        err.contains("--proxy-negotiate: not supported, dropped"),
        "{err}"
    );
    assert!(
        err.contains("BASIC_PASSWORD: a secret from the input"),
        "{err}"
    );
}

#[test]
fn with_o_the_secrets_go_to_a_private_env_file_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cmd.sh");
    std::fs::write(&input, "curl -u bob:'pa 55\"' https://api.test/me").unwrap();
    let output = dir.path().join("out").join("api.toml");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let (code, out, err) = run_args(&ImportArgs {
        output: Some(output.clone()),
        ..args(input.clone())
    });
    assert_eq!(code, exit::OK, "{err}");
    assert!(out.is_empty());
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(
        written.contains("password = \"{{env.BASIC_PASSWORD}}\""),
        "{written}"
    );
    let env = std::fs::read_to_string(dir.path().join("out/.env")).unwrap();
    let vars = crate::template::parse_dotenv(&env).unwrap();
    assert_eq!(vars["BASIC_PASSWORD"], "pa 55\"");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("out/.env"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(err.contains("1 request written to"), "{err}");
    // An existing -o is not written over.
    let (code, _, err) = run_args(&ImportArgs {
        output: Some(output),
        ..args(input)
    });
    assert_eq!(code, exit::BAD_INPUT);
    assert!(err.contains("exists; add to it with --into"), "{err}");
}

#[test]
fn into_adds_to_a_file_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cmd.sh");
    std::fs::write(&input, "curl https://api.test/items").unwrap();
    let into = dir.path().join("api.toml");
    std::fs::write(
        &into,
        "# mine\n[requests.get-items]\nurl = \"https://x.test/\"\n",
    )
    .unwrap();
    let (code, _, err) = run_args(&ImportArgs {
        into: Some(into.clone()),
        folder: Some("imported".into()),
        ..args(input)
    });
    assert_eq!(code, exit::OK, "{err}");
    let text = std::fs::read_to_string(&into).unwrap();
    assert!(text.starts_with("# mine\n"), "{text}");
    let c = crate::collection::parse_collection(&text, &into).unwrap();
    let paths: Vec<String> = c.requests.iter().map(|r| r.path()).collect();
    assert_eq!(paths, ["get-items", "imported/get-items-2"]);
}

#[test]
fn bad_input_exits_2_with_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cmd.sh");
    std::fs::write(
        &input,
        "curl https://a.test/\ncurl -d 'unterminated https://b.test/\n",
    )
    .unwrap();
    let output = dir.path().join("api.toml");
    let (code, out, err) = run_args(&ImportArgs {
        output: Some(output.clone()),
        ..args(input.clone())
    });
    assert_eq!(code, exit::BAD_INPUT);
    assert!(out.is_empty());
    assert!(
        err.starts_with(&format!("scout: {}:2: ", input.display())),
        "{err}"
    );
    assert!(!output.exists());
    std::fs::write(&input, "hello").unwrap();
    let (code, _, err) = run_args(&args(input));
    assert_eq!(code, exit::BAD_INPUT);
    assert!(err.contains("cannot tell which format this is"), "{err}");
}

#[test]
fn unreadable_files_exit_2_with_where_and_why_and_nothing_is_written() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.yaml");
    let mut text = String::from(
        "openapi: 3.0.0\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        text.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n.to_string();
    }
    std::fs::write(&bomb, text).unwrap();
    let cases: Vec<(Option<Format>, PathBuf, &str)> = vec![
        (None, fixtures.join("postman/v1.json"), "v1"),
        (
            Some(Format::Postman),
            fixtures.join("postman/truncated.json"),
            "ends too early",
        ),
        (
            None,
            fixtures.join("har/missing-request.har"),
            "has no request",
        ),
        (
            Some(Format::Har),
            fixtures.join("har/truncated.har"),
            "ends too early",
        ),
        (None, fixtures.join("openapi/cycle.yaml"), "$ref cycle"),
        (
            None,
            fixtures.join("openapi/missing-ref.yaml"),
            ":9: $ref `#/components/parameters/Nope` points to nothing",
        ),
        (Some(Format::OpenApi), bomb.clone(), "invalid YAML"),
    ];
    for (format, input, says) in cases {
        let output = dir.path().join("out.toml");
        let (code, out, err) = run_args(&ImportArgs {
            format,
            output: Some(output.clone()),
            ..args(input.clone())
        });
        assert_eq!(code, exit::BAD_INPUT, "{}: {err}", input.display());
        assert!(out.is_empty());
        assert!(
            err.starts_with(&format!("scout: {}", input.display())) && err.contains(says),
            "{}: {err}",
            input.display()
        );
        assert!(!output.exists(), "{}", input.display());
        assert!(!dir.path().join(".env").exists());
    }
}

#[test]
fn a_second_import_beside_the_same_env_reuses_equal_secrets_and_never_shadows_others() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cmd.sh");
    std::fs::write(&input, "curl -u bob:first https://api.test/a").unwrap();
    let into = dir.path().join("api.toml");
    let run_into = |code: i32| {
        let (got, _, err) = run_args(&ImportArgs {
            output: (!into.exists()).then(|| into.clone()),
            into: into.exists().then(|| into.clone()),
            ..args(input.clone())
        });
        assert_eq!(got, code, "{err}");
        err
    };
    run_into(exit::OK);
    // The same password again: the same variable, nothing added.
    let err = run_into(exit::OK);
    assert!(!err.contains("not to the collection"), "{err}");
    // Another password: a new variable, the first one untouched.
    std::fs::write(&input, "curl -u bob:second https://api.test/b").unwrap();
    let err = run_into(exit::OK);
    assert!(err.contains("(BASIC_PASSWORD_2)"), "{err}");
    let env =
        crate::template::parse_dotenv(&std::fs::read_to_string(dir.path().join(".env")).unwrap())
            .unwrap();
    assert_eq!(env["BASIC_PASSWORD"], "first");
    assert_eq!(env["BASIC_PASSWORD_2"], "second");
    let c = crate::collection::parse_collection(&std::fs::read_to_string(&into).unwrap(), &into)
        .unwrap();
    let passwords: Vec<String> = c
        .auth
        .iter()
        .map(|(_, p)| match p {
            crate::model::AuthProfile::Basic { password, .. } => password.clone(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(
        passwords,
        ["{{env.BASIC_PASSWORD}}", "{{env.BASIC_PASSWORD_2}}"]
    );
    // A .env scout cannot read stops the import before anything is written.
    std::fs::write(dir.path().join(".env"), "not a line").unwrap();
    let before = std::fs::read_to_string(&into).unwrap();
    let err = run_into(exit::BAD_INPUT);
    assert!(err.contains(".env:1: "), "{err}");
    assert_eq!(std::fs::read_to_string(&into).unwrap(), before);
}
