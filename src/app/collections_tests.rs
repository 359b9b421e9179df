//! Collections in the app: the tree, opening, saving, conflicts, environments and variables.
//! `update` only: effects are checked, no file is touched.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::editor::Editor;
use crate::app::tree::{Row, TreeFile};
use crate::app::{App, ConfirmPurpose, Effect, Msg, Overlay, Pane, update};
use crate::collection::parse_collection;
use crate::collection::store::LoadedFile;
use crate::http::job::Job;
use crate::template::EnvSource;

const PATH: &str = "/c/team.toml";

const TEXT: &str = r#"name = "Team"
[vars]
base = "http://api.test"
[environments.staging]
base = "http://staging.test"

[requests.list]
name = "List"
folder = "items"
url = "{{base}}/items"

[requests.me]
url = "{{base}}/me"
headers = { Authorization = "Bearer {{env.TOKEN}}" }
"#;

fn tree_file(text: &str) -> TreeFile {
    TreeFile {
        loaded: LoadedFile::Ok {
            collection: parse_collection(text, Path::new(PATH)).unwrap(),
            text: text.to_string(),
            modified: None,
        },
        env_source: EnvSource::empty().with_injected("TOKEN", "s3cret-token-value"),
        builtin: false,
    }
}

fn app() -> App {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    update(&mut app, Msg::CollectionsLoaded(vec![tree_file(TEXT)]));
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn sent_url(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Send(Job { spec, .. }) => Some(spec.url.clone()),
        _ => None,
    })
}

fn written_text(effects: &[Effect]) -> (Option<String>, String) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::WriteCollection { expected, text, .. } => {
                Some((expected.clone(), text.clone()))
            }
            _ => None,
        })
        .expect("a write")
}

#[test]
fn a_fresh_start_opens_the_first_request_and_the_tree_can_open_others() {
    let mut app = app();
    let origin = app.origin.clone().unwrap();
    assert_eq!(origin.saved.id, "list");
    assert_eq!(app.editor.url.text(), "{{base}}/items");
    assert_eq!(
        app.tree.selected_row(),
        Some(Row::Request {
            file: 0,
            index: 0,
            depth: 2
        })
    );
    app.focus = Pane::Collections;
    update(&mut app, ch('j'));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.origin.unwrap().saved.id, "me");
    assert_eq!(app.focus, Pane::Editor);
}

#[test]
fn variables_resolve_on_send_and_environments_change_them() {
    let mut app = app();
    assert_eq!(
        sent_url(&update(&mut app, ctrl('r'))).as_deref(),
        Some("http://api.test/items")
    );
    app.tree
        .environments
        .insert(PathBuf::from(PATH), "staging".into());
    assert_eq!(
        sent_url(&update(&mut app, ctrl('r'))).as_deref(),
        Some("http://staging.test/items")
    );
    // The exchange keeps what was written, and what was sent.
    let x = app.shown_exchange().unwrap();
    assert_eq!(x.spec.url, "{{base}}/items");
    assert_eq!(x.sent.url, "http://staging.test/items");
}

#[test]
fn an_unresolved_variable_blocks_sending_and_says_where_it_looked() {
    let mut app = app();
    update(&mut app, ctrl('u'));
    for c in "{{nope}}/x".chars() {
        update(&mut app, ch(c));
    }
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_none());
    let Some(crate::app::Notice::Error(msg)) = &app.notice else {
        panic!("{:?}", app.notice)
    };
    assert!(msg.contains("nope") && msg.contains("[vars]"), "{msg}");
    assert!(app.history.is_empty(), "nothing was sent");
    assert_eq!(app.editor.url.text(), "{{nope}}/x", "nothing typed is lost");
}

#[test]
fn saving_writes_only_the_edited_request_against_the_loaded_text() {
    let mut app = app();
    assert!(!app.is_dirty());
    update(&mut app, ctrl('s'));
    assert!(matches!(&app.notice, Some(crate::app::Notice::Info(m)) if m.contains("No changes")));
    update(&mut app, ch('s'));
    assert!(app.is_dirty());
    let (expected, text) = written_text(&update(&mut app, ctrl('s')));
    assert_eq!(expected.as_deref(), Some(TEXT));
    assert_eq!(
        text,
        TEXT.replace("url = \"{{base}}/items\"", "url = \"{{base}}/itemss\"")
    );
    // The write comes back: the editor is clean again, against the new file.
    let new = tree_file(&text);
    update(
        &mut app,
        Msg::CollectionWritten {
            path: PATH.into(),
            result: Ok(Box::new(new)),
            select: Some("list".into()),
            done: "Saved".into(),
        },
    );
    assert!(!app.is_dirty());
}

#[test]
fn save_as_names_a_new_request_in_the_selected_folder() {
    let mut app = app();
    app.origin = None;
    app.editor = Editor::from_spec(&crate::model::RequestSpec {
        url: "{{base}}/health".into(),
        ..Default::default()
    });
    update(&mut app, ctrl('s'));
    assert!(matches!(app.overlay, Some(Overlay::Prompt { .. })));
    for c in "Health check".chars() {
        update(&mut app, ch(c));
    }
    let (_, text) = written_text(&update(&mut app, key(KeyCode::Enter)));
    assert!(text.starts_with(TEXT));
    assert!(
        text.ends_with("\n[requests.health-check]\nname = \"Health check\"\nfolder = \"items\"\nmethod = \"GET\"\nurl = \"{{base}}/health\"\n"),
        "{text}"
    );
}

/// `n` in the tree, a name typed, Enter: what is asked to be written.
fn new_request_named(app: &mut App, name: &str) -> String {
    app.focus = Pane::Collections;
    update(app, ch('n'));
    assert!(matches!(app.overlay, Some(Overlay::Prompt { .. })));
    for c in name.chars() {
        update(app, ch(c));
    }
    written_text(&update(app, key(KeyCode::Enter))).1
}

#[test]
fn a_new_request_opens_in_the_editor_once_written() {
    let mut app = app();
    let text = new_request_named(&mut app, "Ping");
    assert!(text.contains("[requests.ping]"), "{text}");
    // The editor holds it at once, the URL bar focused to type into.
    assert_eq!(app.focus, Pane::Editor);
    assert_eq!(app.editor.spec(), crate::model::RequestSpec::default());
    update(
        &mut app,
        Msg::CollectionWritten {
            path: PATH.into(),
            result: Ok(Box::new(tree_file(&text))),
            select: Some("ping".into()),
            done: "Saved".into(),
        },
    );
    // Once written, it is the editor's request: typing a URL makes it unsaved, Ctrl+S saves it.
    assert_eq!(
        app.origin.as_ref().map(|o| o.saved.id.as_str()),
        Some("ping")
    );
    assert!(!app.is_dirty());
}

#[test]
fn a_new_request_leaves_edits_in_the_editor_alone() {
    let mut app = app();
    update(&mut app, ch('s'));
    assert!(app.is_dirty());
    let before = app.editor.spec();
    new_request_named(&mut app, "Ping");
    assert_eq!(app.editor.spec(), before);
    assert_eq!(app.focus, Pane::Collections);
}

#[test]
fn delete_asks_first() {
    let mut app = app();
    app.focus = Pane::Collections;
    update(&mut app, ch('d'));
    assert!(matches!(
        app.overlay,
        Some(Overlay::Confirm {
            purpose: ConfirmPurpose::Delete { .. }
        })
    ));
    assert!(update(&mut app, ch('n')).is_empty());
    update(&mut app, ch('d'));
    let (_, text) = written_text(&update(&mut app, ch('y')));
    assert!(!text.contains("[requests.list]") && text.contains("[requests.me]"));
    assert!(
        app.origin.is_none(),
        "the editor no longer claims a deleted request"
    );
}

#[test]
fn a_change_on_disk_updates_a_clean_editor_and_asks_when_there_are_edits() {
    let changed = TEXT.replace("{{base}}/items", "{{base}}/v2/items");
    // Clean editor: it follows the file.
    let mut app = app();
    update(&mut app, Msg::FileReloaded(Box::new(tree_file(&changed))));
    assert_eq!(app.editor.url.text(), "{{base}}/v2/items");
    assert!(!app.is_dirty());
    // Edited: the user chooses, and keeping the edits keeps them.
    let mut app = self::app();
    update(&mut app, ch('!'));
    update(&mut app, Msg::FileReloaded(Box::new(tree_file(&changed))));
    assert!(matches!(app.overlay, Some(Overlay::Conflict { .. })));
    update(&mut app, ch('k'));
    assert_eq!(app.editor.url.text(), "{{base}}/items!");
    assert_eq!(app.origin.as_ref().unwrap().saved.url, "{{base}}/v2/items");
    assert!(app.is_dirty());
    // Or take the file's version.
    let mut app = self::app();
    update(&mut app, ch('!'));
    update(&mut app, Msg::FileReloaded(Box::new(tree_file(&changed))));
    update(&mut app, ch('t'));
    assert_eq!(app.editor.url.text(), "{{base}}/v2/items");
}

#[test]
fn finished_exchanges_are_persisted_with_secrets_redacted() {
    let mut app = app();
    app.history_path = Some("/data/history.jsonl".into());
    update(&mut app, key(KeyCode::Down));
    app.focus = Pane::Collections;
    update(&mut app, ch('j'));
    update(&mut app, key(KeyCode::Enter));
    let effects = update(&mut app, ctrl('r'));
    let Some(Effect::Send(Job { id, spec, .. })) = effects.first() else {
        panic!()
    };
    assert_eq!(spec.headers[0].value, "Bearer s3cret-token-value");
    let response = crate::model::ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![],
        body: bytes::Bytes::from_static(b"{\"echo\": \"Bearer s3cret-token-value\"}"),
        elapsed: std::time::Duration::from_millis(3),
        redirects: vec![],
        url: "http://api.test/me".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let effects = update(
        &mut app,
        Msg::Http(crate::http::job::HttpEvent::Finished {
            id: *id,
            result: Ok(Box::new(response)),
        }),
    );
    let record = effects
        .iter()
        .find_map(|e| match e {
            Effect::AppendHistory { record, .. } => Some(record),
            _ => None,
        })
        .expect("the exchange is persisted");
    let json = serde_json::to_string(record).unwrap();
    assert!(!json.contains("s3cret-token-value"), "{json}");
    assert!(
        json.contains("\"url\":\"{{base}}/me\""),
        "the request is stored as written: {json}"
    );
}

#[test]
fn quitting_with_unsaved_edits_asks() {
    let mut app = app();
    update(&mut app, ch('x'));
    app.focus = Pane::Collections;
    update(&mut app, ch('q'));
    assert!(!app.should_quit);
    update(&mut app, key(KeyCode::Esc));
    assert!(app.overlay.is_none());
    update(&mut app, ch('q'));
    update(&mut app, ch('y'));
    assert!(app.should_quit);
}

const AUTH_TEXT: &str = r#"name = "Auth"
default_auth = "ci"
[vars]
base = "http://api.test"
pw = "{{prompt}}"

[auth.ci]
kind = "basic"
username = "ci"
password = "{{env.TOKEN}}"

[auth.asked]
kind = "bearer"
token = "{{pw}}"

[folders.public]
auth = "none"

[requests.me]
url = "{{base}}/me"

[requests.open]
folder = "public"
url = "{{base}}/open"
"#;

fn sent_job(effects: &[Effect]) -> &Job {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send(job) => Some(job),
            _ => None,
        })
        .expect("a send")
}

fn auth_app() -> App {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    update(&mut app, Msg::CollectionsLoaded(vec![tree_file(AUTH_TEXT)]));
    app
}

#[test]
fn the_collection_default_profile_is_resolved_and_its_secrets_redacted() {
    let mut app = auth_app();
    crate::app::collections::open_request(&mut app, 0, 0);
    let effects = update(&mut app, ctrl('r'));
    let job = sent_job(&effects);
    let auth = job.auth.as_ref().expect("the default profile");
    assert_eq!(auth.kind_name(), "basic");
    assert!(auth.secrets().contains(&"s3cret-token-value".to_string()));
    let x = app.history.get(job.id).unwrap();
    assert!(x.secrets.0.contains(&"s3cret-token-value".to_string()));

    // A folder that opts out sends without auth.
    crate::app::collections::open_request(&mut app, 0, 1);
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_job(&effects).auth.is_none());
}

#[test]
fn the_auth_tab_chooses_per_request_and_saving_writes_one_line() {
    let mut app = auth_app();
    crate::app::collections::open_request(&mut app, 0, 0);
    app.editor.section = crate::app::editor::Section::Content;
    app.editor.tab = crate::app::editor::EditorTab::Auth;
    assert_eq!(app.auth_profile().unwrap().unwrap().0, "ci");
    // inherit → none → ci → asked
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.auth_profile().unwrap(), None);
    assert!(app.is_dirty());
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.auth_profile().unwrap().unwrap().0, "asked");
    let effects = update(&mut app, ctrl('s'));
    let (_, text) = written_text(&effects);
    let added: Vec<&str> = text.lines().filter(|l| !AUTH_TEXT.contains(l)).collect();
    assert_eq!(added, ["auth = \"asked\""]);
}

#[test]
fn a_prompted_secret_is_asked_once_per_run() {
    let mut app = auth_app();
    crate::app::collections::open_request(&mut app, 0, 0);
    app.editor.auth = Some(crate::model::settings::AuthChoice::Profile("asked".into()));
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_none(), "not sent before the answer");
    assert!(matches!(
        &app.overlay,
        Some(Overlay::Prompt { purpose: crate::app::PromptPurpose::Secret { key, .. }, .. }) if key == "`{{pw}}`"
    ));
    for c in "typed-secret".chars() {
        update(&mut app, ch(c));
    }
    let effects = update(&mut app, key(KeyCode::Enter));
    let job = sent_job(&effects);
    assert!(
        job.auth
            .as_ref()
            .unwrap()
            .secrets()
            .contains(&"typed-secret".to_string())
    );
    // The second send does not ask again.
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_some());
    assert!(app.overlay.is_none());
}

#[test]
fn an_undefined_profile_blocks_sending_with_its_name() {
    let mut app = auth_app();
    crate::app::collections::open_request(&mut app, 0, 0);
    app.editor.auth = Some(crate::model::settings::AuthChoice::Profile("nope".into()));
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_none());
    let notice = format!("{:?}", app.notice);
    assert!(
        notice.contains("`nope` is not defined") && notice.contains("ci, asked"),
        "{notice}"
    );
}

const PROMPT_TEXT: &str = r#"name = "Prompts"
[vars]
base = "http://api.test"

[auth.legacy]
kind = "basic"
username = "u"
password = "{{prompt}}"

[requests.header]
url = "{{base}}/h"
headers = { X-Secret = "{{prompt}}" }

[requests.login]
url = "{{base}}/login"
auth = "legacy"

[requests.query]
url = "{{base}}/q?key={{prompt}}"
"#;

#[test]
fn every_prompt_asks_with_the_masked_dialog_and_its_answer_stays_where_it_was_asked() {
    let mut app = App::new(Editor::default(), Default::default());
    update(
        &mut app,
        Msg::CollectionsLoaded(vec![tree_file(PROMPT_TEXT)]),
    );
    let asked = |app: &App| match &app.overlay {
        Some(Overlay::Prompt {
            purpose: crate::app::PromptPurpose::Secret { key, .. },
            ..
        }) => key.clone(),
        other => panic!("expected the masked prompt, got {other:?}"),
    };
    // The profile's password is asked for; the answer goes only to the profile.
    crate::app::collections::open_request(&mut app, 0, 1);
    update(&mut app, ctrl('r'));
    assert_eq!(asked(&app), "auth profile `legacy` › password");
    for c in "profile-pw".chars() {
        update(&mut app, ch(c));
    }
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(
        &sent_job(&effects).auth,
        Some(crate::model::ResolvedAuth::Basic { password, .. }) if password == "profile-pw"
    ));
    // A prompt written in a header asks too (it used to refuse the request), and the URL bar
    // never receives what is typed.
    crate::app::collections::open_request(&mut app, 0, 0);
    let url = app.editor.url.text();
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_none(), "not sent before the answer");
    assert_eq!(asked(&app), "header `X-Secret` of header");
    for c in "header-value".chars() {
        update(&mut app, ch(c));
    }
    assert_eq!(app.editor.url.text(), url);
    let effects = update(&mut app, key(KeyCode::Enter));
    let job = sent_job(&effects);
    assert_eq!(job.spec.headers[0].value, "header-value");
    assert!(!job.spec.headers[0].value.contains("profile-pw"));
    // Asked once per run: sending again does not ask.
    let effects = update(&mut app, ctrl('r'));
    assert!(sent_url(&effects).is_some());
    assert!(app.overlay.is_none());
}

#[test]
fn f2_shows_the_url_as_sending_resolves_it_with_an_answered_prompt_hidden() {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    update(
        &mut app,
        Msg::CollectionsLoaded(vec![tree_file(PROMPT_TEXT)]),
    );
    crate::app::collections::open_request(&mut app, 0, 2);
    update(&mut app, ctrl('r'));
    for c in "answer-1234".chars() {
        update(&mut app, ch(c));
    }
    let effects = update(&mut app, key(KeyCode::Enter));
    assert_eq!(
        sent_url(&effects).as_deref(),
        Some("http://api.test/q?key=answer-1234")
    );
    update(&mut app, key(KeyCode::F(2)));
    let shown = crate::app::testing::draw(&mut app).join("\n");
    assert!(
        shown.contains("= http://api.test/q?key=[redacted]"),
        "{shown}"
    );
    app.reveal = true;
    let shown = crate::app::testing::draw(&mut app).join("\n");
    assert!(
        shown.contains("= http://api.test/q?key=answer-1234"),
        "{shown}"
    );
}
