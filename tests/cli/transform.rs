//! Output transformations: `openleash transform …`, `/v1/owner/transformations` and
//! `GET /v1/agent/transformations` (the MCP proxy's use is in `mcp.rs`).

use crate::common::*;
use crate::server::{Server, env_value, request, setup};
use serde_json::{Value, json};
use std::path::Path;

fn add(data: &Path, args: &[&str]) -> Value {
    let out = ol(data)
        .args(["--json", "transform", "add"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stdout_json(&out)
}

fn apply(data: &Path, input: &str) -> String {
    let out = ol(data)
        .args(["transform", "apply", "--agent", "my-agent"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn crud_from_the_cli_is_ranked_and_audited() {
    let (_tmp, data) = init_dir();
    let a = add(&data, &["--max-characters", "100", "--name", "short"]);
    assert_eq!(
        (a["rank"].as_i64(), a["enabled"].as_bool()),
        (Some(100), Some(true))
    );
    assert_eq!(
        a["rule"],
        json!({"type": "cap_output_length", "max_characters": 100, "max_lines": null})
    );
    let b = add(
        &data,
        &[
            "--from",
            r"\d{3}-\d{4}",
            "--to",
            "[phone]",
            "--agent",
            "my-agent",
        ],
    );
    assert_eq!(b["rank"], 200);
    let c = add(
        &data,
        &[
            "--rule",
            r#"{"type":"regex_replace","from_pattern":"x","to_pattern":"y"}"#,
            "--rank",
            "50",
            "--disabled",
        ],
    );
    let ids: Vec<String> = stdout_json(
        &ol(&data)
            .args(["--json", "transform", "list"])
            .output()
            .unwrap(),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|t| t["transformation_id"].as_str().unwrap().to_string())
    .collect();
    let id = |v: &Value| v["transformation_id"].as_str().unwrap().to_string();
    assert_eq!(ids, [id(&c), id(&a), id(&b)], "ordered by rank");
    // For the agent: only enabled rules.
    let for_agent = stdout_json(
        &ol(&data)
            .args(["--json", "transform", "list", "--agent", "my-agent"])
            .output()
            .unwrap(),
    );
    assert_eq!(for_agent.as_array().unwrap().len(), 2);

    let shown = stdout_json(
        &ol(&data)
            .args(["--json", "transform", "show", &id(&b)])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["rule"]["to_pattern"], "[phone]");
    let updated = stdout_json(
        &ol(&data)
            .args([
                "--json",
                "transform",
                "update",
                &id(&c),
                "--enable",
                "--rank",
                "300",
                "--name",
                "x to y",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(
        (updated["enabled"].as_bool(), updated["rank"].as_i64()),
        (Some(true), Some(300))
    );
    ol(&data)
        .args(["transform", "delete", &id(&a)])
        .assert()
        .success();
    ol(&data)
        .args(["transform", "show", &id(&a)])
        .assert()
        .code(66);
    ol(&data)
        .args(["transform", "delete", &id(&a)])
        .assert()
        .code(66);

    let events = audit_events(&data);
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|e| e["event_type"].as_str())
        .filter(|t| t.starts_with("TRANSFORMATION_"))
        .collect();
    assert_eq!(
        kinds,
        [
            "TRANSFORMATION_CREATED",
            "TRANSFORMATION_CREATED",
            "TRANSFORMATION_CREATED",
            "TRANSFORMATION_UPDATED",
            "TRANSFORMATION_DELETED"
        ]
    );
    let created = events
        .iter()
        .find(|e| e["event_type"] == "TRANSFORMATION_CREATED")
        .unwrap();
    assert_eq!(created["metadata_json"]["rule_type"], "cap_output_length");
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn apply_caps_without_splitting_characters_and_replaces_without_overlap() {
    let (_tmp, data) = init_dir();
    add(&data, &["--max-characters", "4"]);
    assert_eq!(apply(&data, "héllo wörld"), "héll");
    assert_eq!(apply(&data, "😀😀😀😀😀"), "😀😀😀😀");
    assert_eq!(apply(&data, "日本語テキスト"), "日本語テ");
    let (_tmp, data) = init_dir();
    add(&data, &["--from", "aa", "--to", "b"]);
    assert_eq!(apply(&data, "aaaaa"), "bba");
    let (_tmp, data) = init_dir();
    add(&data, &["--from", "aba", "--to", "<$&>"]);
    add(&data, &["--max-lines", "1"]);
    assert_eq!(apply(&data, "ababa\nsecond line\n"), "<aba>ba\n");
    // --json says which rules changed it
    let out = ol(&data)
        .args(["--json", "transform", "apply", "--agent", "my-agent"])
        .write_stdin("nothing here")
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(
        (
            v["output"].as_str(),
            v["changed"].as_bool(),
            v["rules"].as_u64()
        ),
        (Some("nothing here"), Some(false), Some(2))
    );
    // not UTF-8
    ol(&data)
        .args(["transform", "apply", "--agent", "my-agent"])
        .write_stdin(vec![0xffu8, 0xfe])
        .assert()
        .code(65);
}

#[test]
fn invalid_rules_are_refused_with_their_position() {
    let (_tmp, data) = init_dir();
    let refused = |args: &[&str]| -> Value {
        let out = ol(&data)
            .args(["--json", "transform", "add"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(65),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        stdout_json(&out)["error"].clone()
    };
    let e = refused(&["--from", "ab(c", "--to", "x"]);
    assert_eq!(e["code"], "VALIDATION_ERROR");
    assert_eq!(e["details"]["problems"][0]["position"], 2);
    assert_eq!(e["details"]["problems"][0]["field"], "rule.from_pattern");
    let e = refused(&["--from", r"(a)\1", "--to", "x"]);
    assert!(
        e["message"].as_str().unwrap().contains("back-references"),
        "{e}"
    );
    let e = refused(&[
        "--rule",
        r#"{"type":"cap_output_lenght","max_characters":5}"#,
    ]);
    assert_eq!(e["hint"], "did you mean `cap_output_length`?");
    let e = refused(&[
        "--rule",
        r#"{"type":"cap_output_length","max_characters":-5}"#,
    ]);
    assert!(
        e["message"].as_str().unwrap().contains("positive integer"),
        "{e}"
    );
    ol(&data).args(["transform", "add"]).assert().code(2);
    ol(&data)
        .args([
            "transform",
            "add",
            "--max-characters",
            "5",
            "--from",
            "a",
            "--to",
            "b",
        ])
        .assert()
        .code(2);
    assert!(
        stdout_json(
            &ol(&data)
                .args(["--json", "transform", "list"])
                .output()
                .unwrap()
        )
        .as_array()
        .unwrap()
        .is_empty()
    );
}

fn bearer(
    srv: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> crate::server::Resp {
    let auth = format!("Bearer {token}");
    let text = body.map(Value::to_string);
    request(
        srv.addr,
        method,
        path,
        &[
            ("Authorization", auth.as_str()),
            ("Content-Type", "application/json"),
        ],
        text.as_deref().map(str::as_bytes),
    )
}

fn login(srv: &Server, owner: &str) -> String {
    let body =
        json!({"user_principal_id": owner, "passphrase": "correct horse battery"}).to_string();
    let r = request(
        srv.addr,
        "POST",
        "/v1/owner/login",
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["token"].as_str().unwrap().to_string()
}

#[test]
fn http_owner_crud_agent_fetch_and_scope() {
    let (tmp, data, key) = setup();
    let owner = env_value(
        &tmp.path().join("agent.env"),
        "OPENLEASH_OWNER_PRINCIPAL_ID",
    );
    ol(&data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    // A second owner with an agent and a rule of their own.
    let other = stdout_json(
        &ol(&data)
            .args(["--json", "owner", "add", "--name", "Other"])
            .output()
            .unwrap(),
    );
    let other_id = other["owner_id"].as_str().unwrap().to_string();
    ol(&data)
        .args([
            "agent",
            "add",
            "--agent-id",
            "other-agent",
            "--owner",
            &other_id,
        ])
        .assert()
        .success();
    let other_rule = add(&data, &["--owner", &other_id, "--max-lines", "1"]);
    let other_rule_id = other_rule["transformation_id"]
        .as_str()
        .unwrap()
        .to_string();

    let srv = Server::start(&data, &[]);
    let session = login(&srv, &owner);
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/transformations",
        &session,
        Some(
            &json!({"rule": {"type": "regex_replace", "from_pattern": "a(?<!b)", "to_pattern": ""}}),
        ),
    );
    assert_eq!((r.status, r.code()), (400, "VALIDATION_ERROR".into()));
    assert_eq!(r.json()["error"]["details"]["problems"][0]["position"], 1);
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/transformations",
        &session,
        Some(&json!({"name": "x"})),
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_REQUEST".into()));

    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/transformations",
        &session,
        Some(&json!({"rule": {"type": "cap_output_length", "max_characters": 3}, "name": "tiny"})),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let created = r.json();
    assert_eq!(created["status"], "created");
    let tid = created["transformation_id"].as_str().unwrap().to_string();
    let list = bearer(&srv, "GET", "/v1/owner/transformations", &session, None).json();
    assert_eq!(
        list["transformations"].as_array().unwrap().len(),
        1,
        "only the owner's own"
    );
    assert_eq!(list["transformations"][0]["name"], "tiny");
    let path = format!("/v1/owner/transformations/{tid}");
    let r = bearer(
        &srv,
        "PUT",
        &path,
        &session,
        Some(
            &json!({"rule": {"type": "regex_replace", "from_pattern": "o", "to_pattern": "0"}, "name": null}),
        ),
    );
    assert_eq!(
        r.json(),
        json!({"transformation_id": tid, "status": "updated"})
    );
    assert_eq!(
        bearer(&srv, "GET", &path, &session, None).json()["name"],
        Value::Null
    );
    // another owner's rule reads as not found, for every method
    let theirs = format!("/v1/owner/transformations/{other_rule_id}");
    for m in ["GET", "PUT", "DELETE"] {
        let r = bearer(&srv, m, &theirs, &session, Some(&json!({"enabled": false})));
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND".into()), "{m}");
    }
    let r = bearer(
        &srv,
        "GET",
        "/v1/owner/transformations/not-a-uuid",
        &session,
        None,
    );
    assert_eq!(r.status, 400);
    let r = request(srv.addr, "GET", "/v1/owner/transformations", &[], None);
    assert_eq!(r.code(), "INVALID_SESSION");

    // The agent sees its owner's enabled rules with the rule fields inline.
    let r = crate::server::signed_get(&srv, &key, "my-agent", "/v1/agent/transformations");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.json(),
        json!({"transformations": [{"transformation_id": tid, "name": null, "rank": 100, "type": "regex_replace", "from_pattern": "o", "to_pattern": "0"}]})
    );
    let r = bearer(&srv, "DELETE", &path, &session, None);
    assert_eq!(r.json()["status"], "deleted");
    assert_eq!(bearer(&srv, "GET", &path, &session, None).status, 404);
    drop(srv);
    ol(&data).args(["audit", "verify"]).assert().success();
}
