use std::path::{Path, PathBuf};

use super::*;
use crate::collection::parse_collection;
use crate::model::{KeyValue, Method, RequestSpec};

const TOML: &str = r#"
timeout = "20s"
default_auth = "ci"

[vars]
base = "http://api.test"
who = "vars"

[environments.staging]
base = "http://staging.test"

[auth.ci]
kind = "basic"
username = "ci"
password = "{{env.CI_PASSWORD}}"

[auth.asked]
kind = "bearer"
token = "{{prompt}}"

[requests.list]
url = "{{base}}/items"
query = { who = "{{who}}" }
pagination = { style = "page", size = 25 }

[requests.short]
url = ":8080/items"
auth = "none"
pagination = { style = "page", size = 25 }

[requests.slow]
url = "{{base}}/slow"
timeout = "5s"
connect_timeout = "2s"
auth = "none"

[requests.secret-header]
url = "{{base}}/x"
auth = "none"
headers = { X-Secret = "{{prompt}}" }

[requests.asks]
url = "{{base}}/x"
auth = "asked"

[requests.missing]
url = "{{nowhere}}/x"
auth = "none"

[requests.loop]
url = "{{a}}/x"
auth = "none"

[requests.ghost]
url = "{{base}}/x"
auth = "ghost"
"#;

fn file() -> LoadedFile {
    let text = TOML.replace(
        "[requests.loop]",
        "[requests.loop-vars]\nurl = \"/\"\n\n[requests.loop]",
    );
    let mut collection = parse_collection(&text, Path::new("api/c.toml")).unwrap();
    collection
        .vars
        .extend([("a".into(), "{{b}}".into()), ("b".into(), "{{a}}".into())]);
    LoadedFile::Ok {
        collection,
        text,
        modified: None,
    }
}

fn collection(file: &LoadedFile) -> &Collection {
    match file {
        LoadedFile::Ok { collection, .. } => collection,
        LoadedFile::Broken(_) => unreachable!(),
    }
}

fn env() -> EnvSource {
    EnvSource::empty()
        .with_process_lookup(|name| (name == "CI_PASSWORD").then(|| "pw-from-env".to_string()))
}

/// Plans saved request `id` with `environment`, `vars` and `prompts`.
fn plan_saved(
    id: &str,
    environment: Option<&str>,
    vars: &[(String, String)],
    prompts: &BTreeMap<String, String>,
) -> Result<Job, Blocked> {
    let f = file();
    let saved = collection(&f).request(id).unwrap().clone();
    let env = env();
    let input = Input {
        file: Some(&f),
        source: Source::Saved(&saved),
        environment,
        vars,
        run_values: &Default::default(),
        env_source: &env,
        prompts,
        timeouts: TimeoutInput::default(),
        work_dir: Path::new("/work"),
    };
    plan(&input, 7)
}

/// Plans `spec` from the editor, not saved anywhere, with `file` as its collection.
fn plan_edited(
    file: Option<&LoadedFile>,
    spec: &RequestSpec,
    work_dir: &Path,
) -> Result<Job, Blocked> {
    let input = Input {
        file,
        source: Source::Edited {
            spec,
            saved: None,
            auth: None,
            own: None,
        },
        environment: None,
        vars: &[],
        run_values: &Default::default(),
        env_source: &EnvSource::empty(),
        prompts: &BTreeMap::new(),
        timeouts: TimeoutInput::default(),
        work_dir,
    };
    plan(&input, 1)
}

fn saved(id: &str) -> Result<Job, Blocked> {
    plan_saved(id, None, &[], &BTreeMap::new())
}

#[test]
fn a_saved_request_is_resolved_with_its_collections_settings() {
    let job = saved("list").unwrap();
    assert_eq!(job.id, 7);
    // The configured page size goes on the first request too.
    assert_eq!(job.spec.url, "http://api.test/items?who=vars&per_page=25");
    assert_eq!(job.timeouts.total, Duration::from_secs(20));
    // default_auth applies; its secret (and the computed credential) are redacted later.
    assert!(matches!(job.auth, Some(ResolvedAuth::Basic { .. })));
    assert!(job.secrets.0.contains(&"pw-from-env".to_string()));
    assert_eq!(job.base_dir, PathBuf::from("/work/api"));
    assert_eq!(job.jar, "api/c.toml");
    assert!(job.pagination.is_some());
}

#[test]
fn vars_beat_the_environment_which_beats_the_collection() {
    let vars = [("who".to_string(), "flag".to_string())];
    let job = plan_saved("list", Some("staging"), &vars, &BTreeMap::new()).unwrap();
    assert!(
        job.spec
            .url
            .starts_with("http://staging.test/items?who=flag")
    );
}

#[test]
fn flags_beat_the_requests_timeouts_which_beat_the_config() {
    let job = saved("slow").unwrap();
    assert_eq!(job.timeouts.total, Duration::from_secs(5));
    assert_eq!(job.timeouts.connect, Duration::from_secs(2));
    assert_eq!(job.client_options().connect, Duration::from_secs(2));
    assert!(
        job.auth.is_none(),
        "auth = \"none\" opts out of default_auth"
    );

    let f = file();
    let slow = collection(&f).request("slow").unwrap().clone();
    let input = Input {
        file: Some(&f),
        source: Source::Saved(&slow),
        environment: None,
        vars: &[],
        run_values: &Default::default(),
        env_source: &env(),
        prompts: &BTreeMap::new(),
        timeouts: TimeoutInput {
            total_flag: Some(Duration::from_secs(1)),
            ..TimeoutInput::default()
        },
        work_dir: Path::new("/work"),
    };
    let job = plan(&input, 1).unwrap();
    assert_eq!(job.timeouts.total, Duration::from_secs(1));
    assert_eq!(job.timeouts.connect, Duration::from_secs(2));
}

#[test]
fn the_editors_request_keeps_its_saved_requests_settings_and_its_own_auth_choice() {
    let f = file();
    let list = collection(&f).request("list").unwrap().clone();
    let mut spec = list.to_spec();
    spec.method = Method::Post;
    let none = AuthChoice::None;
    let input = Input {
        file: Some(&f),
        source: Source::Edited {
            spec: &spec,
            saved: Some(&list),
            auth: Some(&none),
            own: None,
        },
        environment: None,
        vars: &[],
        run_values: &Default::default(),
        env_source: &env(),
        prompts: &BTreeMap::new(),
        timeouts: TimeoutInput::default(),
        work_dir: Path::new("/work"),
    };
    let job = plan(&input, 1).unwrap();
    assert_eq!(job.spec.method, Method::Post);
    assert!(job.auth.is_none());
    assert_eq!(job.timeouts.total, Duration::from_secs(20));
}

#[test]
fn an_ad_hoc_request_sends_its_own_credentials_as_secrets_and_no_collection_profile() {
    let f = file();
    let spec = RequestSpec {
        url: "http://h/x".into(),
        ..RequestSpec::default()
    };
    let own = crate::model::AuthProfile::Basic {
        username: "alice".into(),
        password: "{{who}}-pw".into(),
    };
    let profile = AuthChoice::Profile("ci".into());
    for (file, password) in [(Some(&f), "vars-pw"), (None, "{{who}}-pw")] {
        let input = Input {
            file,
            source: Source::Edited {
                spec: &spec,
                saved: None,
                // A profile chosen before (a restored entry) does not apply outside collections.
                auth: Some(&profile),
                own: Some(&own),
            },
            environment: None,
            vars: &[],
            run_values: &Default::default(),
            env_source: &env(),
            prompts: &BTreeMap::new(),
            timeouts: TimeoutInput::default(),
            work_dir: Path::new("/work"),
        };
        let job = plan(&input, 1).unwrap();
        assert_eq!(
            job.auth,
            Some(crate::model::ResolvedAuth::Basic {
                username: "alice".into(),
                password: password.into()
            }),
            "variables resolve where a collection is selected"
        );
        assert!(
            job.secrets.0.iter().any(|s| s == password),
            "{:?}",
            job.secrets
        );
    }
}

#[test]
fn a_request_outside_collections_is_sent_as_written() {
    let spec = RequestSpec {
        url: "http://h/{{not-a-var}}".into(),
        headers: vec![KeyValue::new("X", "{{prompt}}")],
        ..RequestSpec::default()
    };
    let job = plan_edited(None, &spec, Path::new("/here")).unwrap();
    assert_eq!(job.spec, spec);
    assert_eq!(job.base_dir, PathBuf::from("/here"));
    assert_eq!(job.jar, "");
    assert!(job.secrets.0.is_empty());
}

#[test]
fn a_shorthand_url_is_written_out_so_paging_sees_it() {
    let job = saved("short").unwrap();
    assert_eq!(job.spec.url, "http://localhost:8080/items?per_page=25");
}

// ---------------------------------------------------------------- every Blocked case

#[test]
fn a_broken_file_is_never_sent() {
    let broken = LoadedFile::Broken(ParseError {
        path: "api/c.toml".into(),
        line: 3,
        column: 1,
        message: "unknown key `urll`".into(),
    });
    let spec = RequestSpec::default();
    let why = plan_edited(Some(&broken), &spec, Path::new("/work")).unwrap_err();
    assert!(matches!(why, Blocked::BrokenFile(_)));
    assert_eq!(
        why.to_string(),
        "api/c.toml:3:1: unknown key `urll`; fix the file, then send again"
    );
}

#[test]
fn an_unknown_environment_names_the_ones_there_are() {
    let why = plan_saved("list", Some("prod"), &[], &BTreeMap::new()).unwrap_err();
    assert!(matches!(why, Blocked::UnknownEnvironment { .. }));
    assert_eq!(
        why.to_string(),
        "api/c.toml has no environment `prod` (it has: staging)"
    );
}

#[test]
fn an_unresolved_variable_says_where_scout_looked() {
    let why = saved("missing").unwrap_err();
    assert!(matches!(why, Blocked::Unresolved { .. }), "{why:?}");
    let text = why.to_string();
    assert!(
        text.starts_with("the URL: `{{nowhere}}` is not defined"),
        "{text}"
    );
    assert!(text.contains("the collection's [vars]"), "{text}");
}

#[test]
fn other_template_problems_are_blocked_with_their_cause() {
    let why = saved("loop").unwrap_err();
    assert!(matches!(why, Blocked::Template { .. }), "{why:?}");
    assert!(why.to_string().contains("loop"), "{why}");
}

#[test]
fn an_unknown_profile_lists_the_defined_ones() {
    let why = saved("ghost").unwrap_err();
    assert!(matches!(why, Blocked::UnknownProfile { .. }), "{why:?}");
    assert!(why.to_string().contains("it has: ci, asked"), "{why}");
}

#[test]
fn prompts_are_asked_where_they_are_written_and_their_answers_stay_there() {
    // A prompt in a header belongs to that header of that request.
    let header_key = "header `X-Secret` of secret-header";
    assert_eq!(
        saved("secret-header").unwrap_err(),
        Blocked::Prompt {
            key: header_key.into(),
            var: None,
        }
    );
    // One in an auth profile belongs to that field of that profile.
    let profile_key = "auth profile `asked` › token";
    assert_eq!(
        saved("asks").unwrap_err(),
        Blocked::Prompt {
            key: profile_key.into(),
            var: None,
        }
    );
    // The profile's answer is not sent as the header.
    let mut answers = BTreeMap::new();
    answers.insert(profile_key.to_string(), "tok-answer".to_string());
    assert!(matches!(
        plan_saved("secret-header", None, &[], &answers),
        Err(Blocked::Prompt { .. })
    ));
    let job = plan_saved("asks", None, &[], &answers).unwrap();
    assert!(matches!(&job.auth, Some(ResolvedAuth::Bearer { token }) if token == "tok-answer"));
    assert!(job.secrets.0.contains(&"tok-answer".to_string()));

    answers.insert(header_key.to_string(), "header-answer".to_string());
    let job = plan_saved("secret-header", None, &[], &answers).unwrap();
    assert_eq!(job.spec.headers[0].value, "header-answer");
    assert!(job.secrets.0.contains(&"header-answer".to_string()));
}
