//! Insomnia exports with several workspaces: each a top-level folder, and a later workspace's
//! variables that clash with an earlier one's renamed in everything it uses them in.

use super::*;
#[test]
fn several_workspaces_are_top_level_folders() {
    let imported = import_text(BILLING);
    let c = &imported.collection;
    assert_eq!(c.name, "insomnia");
    let paths: Vec<String> = c.requests.iter().map(SavedRequest::path).collect();
    assert_eq!(
        paths,
        [
            "Billing/Invoices/list-invoices",
            "Billing/Invoices/create-invoice",
            "Reports/monthly-report",
            "Reports/ping",
        ]
    );
    assert_eq!(request(&imported, "Reports/ping").method, Method::Head);
    // Each workspace's requests go to its own host: Reports' `base_url` is renamed.
    let vars = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        c.vars,
        vars(&[
            ("base_url", "https://billing.example.com/api"),
            ("api_token", "{{env.API_TOKEN}}"),
            ("customer_id", "7"),
            ("reports_base_url", "https://reports.example.com"),
            ("report_user", "analyst"),
        ])
    );
    assert_eq!(
        request(&imported, "Billing/Invoices/list-invoices").url,
        "{{base_url}}/invoices"
    );
    assert_eq!(
        request(&imported, "Reports/ping").url,
        "{{reports_base_url}}/ping"
    );
    assert_eq!(
        request(&imported, "Reports/monthly-report").url,
        "{{reports_base_url}}/monthly"
    );
    let renamed: Vec<&String> = imported
        .dropped
        .iter()
        .filter(|l| l.contains("renamed"))
        .collect();
    assert_eq!(
        renamed,
        [
            "workspace `Reports`: its variable `base_url` differs from workspace `Billing`'s, and \
          scout's variables are the whole collection's: renamed `reports_base_url` in [vars], \
          its environments and its requests"
        ],
        "{:#?}",
        imported.dropped
    );
    assert!(!has_line(&imported, "differs from the one already"));
    assert_eq!(
        c.environments,
        [Environment {
            name: "Local".into(),
            vars: vars(&[
                ("base_url", "http://localhost:4000/api"),
                ("reports_base_url", "http://localhost:5000"),
            ])
        }]
    );
    assert_eq!(
        c.auth,
        [
            (
                "bearer".to_string(),
                AuthProfile::Bearer {
                    token: "{{api_token}}".into()
                }
            ),
            (
                "basic".to_string(),
                AuthProfile::Basic {
                    username: "{{report_user}}".into(),
                    password: "{{env.BASIC_PASSWORD}}".into()
                }
            )
        ]
    );
    // An empty API spec and an empty cookie jar say nothing.
    assert!(!has_line(&imported, "API spec") && !has_line(&imported, "cookie jar"));
    loads_back(c);
}

/// Two workspaces, `Shop` and `Shop Admin (v2)`, each with a base environment and a `Local`
/// sub-environment.
fn two_workspaces(admin_base: &str, admin_local: &str, admin_request: &str) -> String {
    format!(
        r#"{{"_type": "export", "__export_format": 4, "resources": [
        {{"_id": "w1", "parentId": null, "name": "Shop", "_type": "workspace"}},
        {{"_id": "e1", "parentId": "w1", "name": "Base", "_type": "environment",
          "data": {{"host": "https://shop.example.com", "api": "{{{{ _.host }}}}/v1",
                    "token": "shop-tok", "region": "eu"}}}},
        {{"_id": "e1l", "parentId": "e1", "name": "Local", "_type": "environment",
          "data": {{"host": "http://localhost:1"}}}},
        {{"_id": "r1", "parentId": "w1", "name": "List", "_type": "request", "method": "GET",
          "url": "{{{{ _.api }}}}/items", "headers": [{{"name": "X-Region", "value": "{{{{ region }}}}"}}],
          "authentication": {{"type": "bearer", "token": "{{{{ _.token }}}}"}}}},
        {{"_id": "w2", "parentId": null, "name": "Shop Admin (v2)", "_type": "workspace"}},
        {{"_id": "e2", "parentId": "w2", "name": "Base", "_type": "environment", "data": {admin_base}}},
        {{"_id": "e2l", "parentId": "e2", "name": "Local", "_type": "environment", "data": {admin_local}}},
        {admin_request}
        ]}}"#
    )
}

#[test]
fn a_later_workspace_s_clashing_variables_are_renamed_everywhere_it_uses_them() {
    let request = r#"{"_id": "r2", "parentId": "w2", "name": "Ban", "_type": "request",
        "method": "POST", "url": "{{ _.api }}/ban",
        "parameters": [{"name": "r", "value": "{{ region }}"}],
        "headers": [{"name": "X-Host", "value": "{{ _.host }}"}],
        "body": {"mimeType": "application/json", "text": "{\"by\": \"{{ _.api }}\"}"},
        "authentication": {"type": "bearer", "token": "{{ _.token }}"}}"#;
    let text = two_workspaces(
        r#"{"host": "https://admin.example.com", "api": "{{ _.host }}/v1", "token": "adm-tok",
            "region": "eu"}"#,
        r#"{"host": "http://localhost:2"}"#,
        request,
    );
    let imported = import_text(&text);
    let c = &imported.collection;
    let names: Vec<&str> = c.vars.iter().map(|(k, _)| k.as_str()).collect();
    // `api` is written alike in both, but refers to each one's `host`: renamed too. `region`
    // has the same value in both: shared.
    assert_eq!(
        names,
        [
            "host",
            "api",
            "token",
            "region",
            "shop_admin_v2_host",
            "shop_admin_v2_api",
            "shop_admin_v2_token"
        ],
        "{:#?}",
        imported.dropped
    );
    let var = |k: &str| c.vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(var("shop_admin_v2_api"), Some("{{shop_admin_v2_host}}/v1"));
    assert_eq!(var("api"), Some("{{host}}/v1"));
    assert_eq!(
        var("shop_admin_v2_token"),
        Some("{{env.SHOP_ADMIN_V2_TOKEN}}")
    );
    let ban = c
        .requests
        .iter()
        .find(|r| r.name.as_deref() == Some("Ban"))
        .unwrap();
    assert_eq!(ban.url, "{{shop_admin_v2_api}}/ban");
    assert_eq!(ban.query, [("r".to_string(), "{{region}}".to_string())]);
    assert_eq!(
        ban.headers,
        [("X-Host".to_string(), "{{shop_admin_v2_host}}".to_string())]
    );
    assert!(
        matches!(&ban.body, Some(SavedBody::Json(t)) if t.contains("{{shop_admin_v2_api}}")),
        "{:?}",
        ban.body
    );
    let list = c
        .requests
        .iter()
        .find(|r| r.name.as_deref() == Some("List"))
        .unwrap();
    assert_eq!(list.url, "{{api}}/items");
    let tokens: Vec<&AuthProfile> = c.auth.iter().map(|(_, p)| p).collect();
    assert_eq!(
        tokens,
        [
            &AuthProfile::Bearer {
                token: "{{token}}".into()
            },
            &AuthProfile::Bearer {
                token: "{{shop_admin_v2_token}}".into()
            }
        ]
    );
    assert_eq!(
        c.environments,
        [Environment {
            name: "Local".into(),
            vars: vec![
                ("host".into(), "http://localhost:1".into()),
                ("shop_admin_v2_host".into(), "http://localhost:2".into()),
            ]
        }]
    );
    let lines: Vec<&String> = imported
        .dropped
        .iter()
        .filter(|l| l.contains("renamed"))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines[0].starts_with(
        "workspace `Shop Admin (v2)`: its variable `host` differs from workspace `Shop`'s"
    ));
    for (line, name) in lines.iter().zip(["host", "api", "token"]) {
        assert!(
            line.contains(&format!("renamed `shop_admin_v2_{name}`")),
            "{line}"
        );
    }
    assert!(
        !imported
            .dropped
            .iter()
            .any(|l| l.contains("adm-tok") || l.contains("shop-tok"))
    );
    loads_back(c);
}

#[test]
fn a_variable_differing_only_in_a_sub_environment_is_renamed_and_same_values_stay_shared() {
    let request = r#"{"_id": "r2", "parentId": "w2", "name": "Ping", "_type": "request",
        "method": "GET", "url": "{{ _.host }}/ping"}"#;
    // The same base value, another `Local` one: with `Local`, the requests would go to the
    // other workspace's host.
    let text = two_workspaces(
        r#"{"host": "https://shop.example.com", "api": "{{ _.host }}/v1", "token": "shop-tok",
            "region": "eu"}"#,
        r#"{"host": "http://localhost:2"}"#,
        request,
    );
    let imported = import_text(&text);
    let c = &imported.collection;
    let names: Vec<&str> = c.vars.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "host",
            "api",
            "token",
            "region",
            "shop_admin_v2_host",
            "shop_admin_v2_api"
        ],
        "{:#?}",
        imported.dropped
    );
    assert_eq!(c.requests[1].url, "{{shop_admin_v2_host}}/ping");
    assert_eq!(c.environments[0].vars.len(), 2);

    // Everything alike: nothing renamed, nothing said.
    let text = two_workspaces(
        r#"{"host": "https://shop.example.com", "api": "{{ _.host }}/v1", "token": "shop-tok",
            "region": "eu"}"#,
        r#"{"host": "http://localhost:1"}"#,
        request,
    );
    let imported = import_text(&text);
    let names: Vec<&str> = imported
        .collection
        .vars
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(names, ["host", "api", "token", "region"]);
    assert_eq!(imported.collection.requests[1].url, "{{host}}/ping");
    assert!(!has_line(&imported, "renamed"), "{:#?}", imported.dropped);
}

#[test]
fn a_renamed_variable_takes_a_free_name() {
    // The later workspace has a `shop_admin_v2_host` of its own already.
    let text = two_workspaces(
        r#"{"host": "https://admin.example.com", "shop_admin_v2_host": "x"}"#,
        r#"{}"#,
        r#"{"_id": "r2", "parentId": "w2", "name": "Ping", "_type": "request",
            "url": "{{ host }}/{{ shop_admin_v2_host }}"}"#,
    );
    let imported = import_text(&text);
    assert_eq!(
        imported.collection.requests[1].url,
        "{{shop_admin_v2_host_2}}/{{shop_admin_v2_host}}"
    );
    loads_back(&imported.collection);
}
