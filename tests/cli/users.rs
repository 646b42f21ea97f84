//! Users, admins and TOTP (SPEC §17): enrolment, the second-factor gate on every gated
//! operation from the CLI and over HTTP (`security.require_totp` included), replayed and backup
//! codes, admins (`openleash admin …`, admin sessions, `POST /v1/admin/login`), initial setup of
//! an `init --no-owner` instance, setup invites and session refresh.

use crate::approval::{action_file, decide, request as approval_request};
use crate::common::*;
use crate::server::{Resp, Server, request};
use openleash::handlers::totp::{code_at, decode_secret, step_of};
use serde_json::{Value, json};
use std::fs;
use std::path::Path;

const PASS: &str = "correct horse battery";
const ALLOW_LARGE: &str = "version: 1\ndefault: deny\nrules:\n  - id: big_purchases_ok\n    effect: allow\n    action: purchase\n    constraints:\n      amount_max: 1000000\n";

fn owner_id(data: &Path) -> String {
    let out = ol(data).args(["--json", "owner", "list"]).output().unwrap();
    stdout_json(&out)[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn code_of(out: &std::process::Output) -> String {
    stdout_json(out)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn now_step() -> u64 {
    step_of(openleash::timefmt::now().unix_timestamp())
}

fn require_totp(data: &Path) {
    let path = data.join("config.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("require_totp: false"));
    fs::write(
        &path,
        text.replace("require_totp: false", "require_totp: true"),
    )
    .unwrap();
}

/// `totp setup` + `totp confirm` from the CLI; returns the secret key, the backup codes and the
/// step whose code confirmed the enrolment.
fn enrol_cli(data: &Path) -> (Vec<u8>, Vec<String>, u64) {
    let out = ol(data).args(["--json", "totp", "setup"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    assert!(v["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    assert!(v.get("qr_svg").is_none());
    let key = decode_secret(v["secret"].as_str().unwrap()).unwrap();
    let backups: Vec<String> = v["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(backups.len(), 10);
    // A wrong code does not enable it.
    let out = ol(data)
        .args(["--json", "totp", "confirm", "--code", "000000"])
        .output()
        .unwrap();
    if code_at(&key, now_step()).unwrap() != "000000" {
        assert_eq!(out.status.code(), Some(77), "{out:?}");
        assert_eq!(code_of(&out), "INVALID_TOTP");
    }
    let step = now_step();
    ol(data)
        .args(["totp", "confirm", "--code", &code_at(&key, step).unwrap()])
        .assert()
        .success();
    (key, backups, step)
}

fn pending(data: &Path, dir: &Path, name: &str) -> String {
    let file = action_file(dir, name, "my-agent", 500000);
    let decision = decide(data, &file);
    approval_request(data, &decision, &file)
}

fn approve_cli(data: &Path, id: &str, code: Option<&str>) -> std::process::Output {
    let mut c = ol(data);
    c.args(["--json", "approval", "approve", id, "--yes"]);
    if let Some(code) = code {
        c.args(["--totp-code", code]);
    }
    c.output().unwrap()
}

#[test]
fn cli_totp_codes_are_single_use_and_backup_codes_work_once() {
    let (tmp, data) = init_dir();
    let (key, backups, confirmed) = enrol_cli(&data);
    ol(&data)
        .args(["--json", "totp", "status"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"totp_enabled\": true"));
    // Setting up again while enabled is refused (a stolen session cannot swap the device).
    let out = ol(&data)
        .args(["--json", "totp", "setup"])
        .output()
        .unwrap();
    assert_eq!(
        (out.status.code(), code_of(&out)),
        (Some(73), "TOTP_ALREADY_ENABLED".into())
    );

    let id = pending(&data, tmp.path(), "a.json");
    let before = snapshot_tree(&data.join("approvals"));
    // No code: refused without a TTY to ask on, nothing changes.
    let out = approve_cli(&data, &id, None);
    assert_eq!(
        (out.status.code(), code_of(&out)),
        (Some(77), "TOTP_REQUIRED".into())
    );
    // The step confirm used cannot be replayed; nor can a wrong code pass.
    let used = code_at(&key, confirmed).unwrap();
    for bad in [used.as_str(), "12345", "abcdef"] {
        let out = approve_cli(&data, &id, Some(bad));
        assert_eq!(code_of(&out), "INVALID_TOTP", "{bad}");
    }
    assert_eq!(snapshot_tree(&data.join("approvals")), before);
    // A backup code works once.
    let out = approve_cli(&data, &id, Some(&backups[0]));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout_json(&out)["status"], "APPROVED");
    let id2 = pending(&data, tmp.path(), "b.json");
    let out = approve_cli(&data, &id2, Some(&backups[0]));
    assert_eq!(code_of(&out), "INVALID_TOTP");
    // The next step's code (clock skew of one step) works, once.
    let next = code_at(&key, now_step() + 1).unwrap();
    let out = ol(&data)
        .args(["--json", "approval", "deny", &id2, "--totp-code", &next])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let events = audit_events(&data);
    assert!(
        events
            .iter()
            .any(|e| e["event_type"] == "USER_TOTP_BACKUP_USED")
    );
    assert!(
        events
            .iter()
            .any(|e| e["event_type"] == "USER_TOTP_ENABLED")
    );

    // Five wrong codes in a row lock the second factor for a while.
    let id3 = pending(&data, tmp.path(), "c.json");
    let mut last = String::new();
    for _ in 0..6 {
        last = code_of(&approve_cli(&data, &id3, Some("999999x")));
    }
    assert_eq!(last, "TOO_MANY_ATTEMPTS");

    // The admin reset (lost device) turns it off; then no code is needed.
    let owner = owner_id(&data);
    ol(&data)
        .args(["admin", "disable-totp", &owner])
        .assert()
        .success();
    let out = approve_cli(&data, &id3, None);
    assert!(out.status.success(), "{out:?}");
    let out = ol(&data)
        .args(["--json", "admin", "disable-totp", &owner])
        .output()
        .unwrap();
    assert_eq!(code_of(&out), "TOTP_NOT_ENABLED");
}

#[test]
fn cli_require_totp_refuses_every_gated_operation() {
    let (tmp, data) = init_dir();
    let id = pending(&data, tmp.path(), "a.json");
    let draft = tmp.path().join("draft.yaml");
    fs::write(&draft, ALLOW_LARGE).unwrap();
    let out = ol(&data)
        .args(["--json", "draft", "submit", "--file"])
        .arg(&draft)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let draft_id = stdout_json(&out)["policy_draft_id"]
        .as_str()
        .unwrap()
        .to_string();
    let policy_id = {
        let out = ol(&data)
            .args(["--json", "policy", "list"])
            .output()
            .unwrap();
        stdout_json(&out)[0]["policy_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    require_totp(&data);
    let before = snapshot_tree(&data);
    let draft_s = draft.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["approval", "approve", &id, "--yes"],
        vec!["approval", "deny", &id, "--yes"],
        vec!["draft", "approve", &draft_id, "--yes"],
        vec!["draft", "deny", &draft_id, "--yes"],
        vec!["policy", "upsert", "--file", draft_s, "--yes"],
        vec![
            "policy",
            "upsert",
            "--file",
            draft_s,
            "--policy-id",
            &policy_id,
            "--yes",
        ],
        vec!["policy", "delete", "--policy-id", &policy_id, "--yes"],
        vec![
            "policy",
            "bind",
            "--policy-id",
            &policy_id,
            "--agent",
            "my-agent",
        ],
        vec!["policy", "unbind", "--policy-id", &policy_id],
        vec!["agent", "revoke", "my-agent"],
    ];
    for args in &cases {
        let out = ol(&data).arg("--json").args(args).output().unwrap();
        assert_eq!(
            (out.status.code(), code_of(&out)),
            (Some(77), "TOTP_REQUIRED".into()),
            "{args:?}: {out:?}"
        );
        assert!(stdout_json(&out)["error"]["details"]["setup_required"] == true);
    }
    // Nothing changed but the audit log (which records nothing for refusals either).
    assert_eq!(snapshot_tree(&data), before);
    // Once enrolled, the same operations work with a code.
    let (key, _, _) = enrol_cli(&data);
    let out = approve_cli(&data, &id, Some(&code_at(&key, now_step() + 1).unwrap()));
    assert!(out.status.success(), "{out:?}");
}

fn bearer(srv: &Server, method: &str, path: &str, token: &str, body: Option<Value>) -> Resp {
    let auth = format!("Bearer {token}");
    // The server wants a body on POST/PUT (an empty JSON object is fine).
    let text = body
        .map(|b| b.to_string())
        .or_else(|| (method != "GET").then(|| "{}".to_string()));
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
    let r = request(
        srv.addr,
        "POST",
        "/v1/owner/login",
        &[("Content-Type", "application/json")],
        Some(
            json!({"user_principal_id": owner, "passphrase": PASS})
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    r.json()["token"].as_str().unwrap().to_string()
}

fn with_passphrase(data: &Path) {
    ol(data)
        .args(["owner", "set-passphrase", "--passphrase-stdin"])
        .write_stdin(format!("{PASS}\n"))
        .assert()
        .success();
}

#[test]
fn http_totp_gate_and_require_totp() {
    let (tmp, data) = init_dir();
    with_passphrase(&data);
    let owner = owner_id(&data);
    let id = pending(&data, tmp.path(), "a.json");
    let agent_pid = {
        let out = ol(&data)
            .args(["--json", "agent", "show", "my-agent"])
            .output()
            .unwrap();
        stdout_json(&out)["agent_principal_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    require_totp(&data);
    let srv = Server::start(&data, &[]);
    let s = login(&srv, &owner);
    let profile = bearer(&srv, "GET", "/v1/owner/profile", &s, None).json();
    assert_eq!(profile["system_roles"], json!(["admin"]));
    assert_eq!(profile["totp_enabled"], false);

    // require_totp: every gated operation is refused to a user without TOTP.
    let policy = json!({"policy_yaml": ALLOW_LARGE});
    let gated: Vec<(&str, String, Option<Value>)> = vec![
        (
            "POST",
            format!("/v1/owner/approval-requests/{id}/approve"),
            None,
        ),
        (
            "POST",
            format!("/v1/owner/approval-requests/{id}/deny"),
            Some(json!({"reason": "no"})),
        ),
        ("POST", "/v1/owner/policies".into(), Some(policy.clone())),
        (
            "PUT",
            format!("/v1/owner/agents/{agent_pid}"),
            Some(json!({"status": "REVOKED"})),
        ),
    ];
    for (m, p, b) in &gated {
        let r = bearer(&srv, m, p, &s, b.clone());
        assert_eq!(
            (r.status, r.code()),
            (401, "TOTP_REQUIRED".into()),
            "{m} {p}"
        );
    }

    // Enrol over HTTP.
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/totp/confirm",
        &s,
        Some(json!({"code": "123456"})),
    );
    assert_eq!((r.status, r.code()), (400, "TOTP_NOT_SETUP".into()));
    let setup = bearer(&srv, "POST", "/v1/owner/totp/setup", &s, None).json();
    assert!(
        setup["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || setup["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let key = decode_secret(setup["secret"].as_str().unwrap()).unwrap();
    let r = bearer(&srv, "POST", "/v1/owner/totp/confirm", &s, Some(json!({})));
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/totp/confirm",
        &s,
        Some(json!({"code": code_at(&key, now_step()).unwrap()})),
    );
    assert_eq!(r.json()["status"], "totp_enabled");
    assert_eq!(
        bearer(&srv, "GET", "/v1/owner/profile", &s, None).json()["totp_enabled"],
        true
    );

    // Enabled: no code → TOTP_REQUIRED; a wrong one → INVALID_TOTP; a fresh one passes.
    let approve = format!("/v1/owner/approval-requests/{id}/approve");
    let r = bearer(&srv, "POST", &approve, &s, None);
    assert_eq!((r.status, r.code()), (401, "TOTP_REQUIRED".into()));
    let r = bearer(
        &srv,
        "POST",
        &approve,
        &s,
        Some(json!({"totp_code": "000000x"})),
    );
    assert_eq!((r.status, r.code()), (401, "INVALID_TOTP".into()));
    let code = code_at(&key, now_step() + 1).unwrap();
    let r = bearer(&srv, "POST", &approve, &s, Some(json!({"totp_code": code})));
    assert_eq!(r.json()["status"], "APPROVED", "{:?}", r.json());
    // The same code again (on another operation) is a replay.
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/policies",
        &s,
        Some(json!({"policy_yaml": ALLOW_LARGE, "totp_code": code})),
    );
    assert_eq!((r.status, r.code()), (401, "INVALID_TOTP".into()));

    // Disabling needs a valid code; the admin can reset instead.
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/totp/disable",
        &s,
        Some(json!({"code": "000000x"})),
    );
    assert_eq!((r.status, r.code()), (401, "INVALID_TOTP".into()));
    let r = bearer(
        &srv,
        "POST",
        &format!("/v1/admin/users/{owner}/disable-totp"),
        &s,
        None,
    );
    assert_eq!(r.json()["status"], "totp_disabled", "{:?}", r.json());
    let r = bearer(
        &srv,
        "POST",
        "/v1/owner/totp/disable",
        &s,
        Some(json!({"code": "123456"})),
    );
    assert_eq!((r.status, r.code()), (400, "TOTP_NOT_ENABLED".into()));
}

#[test]
fn http_admins_sessions_invites_and_refresh() {
    let (_tmp, data) = init_dir();
    with_passphrase(&data);
    let admin = owner_id(&data);
    // A token-only admin API (no admin.token set): only admin sessions get in, so a non-admin
    // session shows ADMIN_REQUIRED even from loopback.
    let cfg = data.join("config.yaml");
    let text = fs::read_to_string(&cfg).unwrap();
    fs::write(
        &cfg,
        text.replace("mode: localhost_or_token", "mode: token"),
    )
    .unwrap();
    let srv = Server::start(&data, &[]);
    let r = request(srv.addr, "POST", "/v1/admin/login", &[], Some(b"{}"));
    assert_eq!((r.status, r.code()), (401, "ADMIN_UNAUTHORIZED".into()));
    let a = login(&srv, &admin);
    let r = bearer(&srv, "POST", "/v1/admin/login", &a, None).json();
    assert_eq!(
        r,
        json!({"ok": true, "principal_id": admin, "auth_method": "session"})
    );
    let r = bearer(
        &srv,
        "POST",
        "/v1/admin/users",
        &a,
        Some(json!({"display_name": "Bob"})),
    );
    let bob = r.json()["user_principal_id"].as_str().unwrap().to_string();
    let users = bearer(&srv, "GET", "/v1/admin/users", &a, None).json();
    assert_eq!(users["users"].as_array().unwrap().len(), 2);

    // Bob sets a passphrase with a setup invite.
    let inv = bearer(
        &srv,
        "POST",
        &format!("/v1/admin/users/{bob}/setup-invite"),
        &a,
        None,
    )
    .json();
    let post = |path: &str, v: Value| {
        request(
            srv.addr,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(v.to_string().as_bytes()),
        )
    };
    let r = post(
        "/v1/owner/setup",
        json!({"invite_id": inv["invite_id"], "invite_token": "x", "passphrase": PASS}),
    );
    assert_eq!((r.status, r.code()), (401, "INVALID_INVITE_TOKEN".into()));
    let r = post(
        "/v1/owner/setup",
        json!({"invite_id": inv["invite_id"], "invite_token": inv["invite_token"], "passphrase": PASS}),
    );
    assert_eq!(r.json()["status"], "setup_complete");
    let r = post(
        "/v1/owner/setup",
        json!({"invite_id": inv["invite_id"], "invite_token": inv["invite_token"], "passphrase": PASS}),
    );
    assert_eq!((r.status, r.code()), (400, "INVITE_USED".into()));
    let b = login(&srv, &bob);

    // Bob is no admin: his session is 403 ADMIN_REQUIRED.
    let r = bearer(
        &srv,
        "GET",
        &format!("/v1/admin/users/{bob}/roles"),
        &b,
        None,
    );
    assert_eq!((r.status, r.code()), (403, "ADMIN_REQUIRED".into()));
    let r = bearer(
        &srv,
        "PUT",
        &format!("/v1/admin/users/{bob}/roles"),
        &a,
        Some(json!({"system_roles": ["root"]})),
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_ROLE".into()));
    let r = bearer(
        &srv,
        "PUT",
        &format!("/v1/admin/users/{bob}/roles"),
        &a,
        Some(json!({"system_roles": "admin"})),
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let r = bearer(
        &srv,
        "PUT",
        &format!("/v1/admin/users/{bob}/roles"),
        &a,
        Some(json!({"system_roles": ["admin"]})),
    );
    assert_eq!(
        r.json(),
        json!({"user_principal_id": bob, "system_roles": ["admin"]})
    );
    // Refresh carries the new role.
    let r = bearer(&srv, "POST", "/v1/owner/session/refresh", &b, None).json();
    assert_eq!(r["system_roles"], json!(["admin"]));
    assert!(r["token"].as_str().unwrap().starts_with("v4.public."));
    // Profile update.
    let r = bearer(
        &srv,
        "PUT",
        "/v1/owner/profile",
        &b,
        Some(json!({"display_name": "  Robert "})),
    );
    assert_eq!(r.json()["display_name"], "Robert");
    let r = bearer(
        &srv,
        "PUT",
        "/v1/owner/profile",
        &b,
        Some(json!({"display_name": ""})),
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let r = bearer(
        &srv,
        "PUT",
        "/v1/owner/profile",
        &b,
        Some(json!({"status": "ADMIN"})),
    );
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    // Unknown and malformed ids.
    for (path, want) in [
        (
            format!("/v1/admin/users/{}/roles", openleash::ids::new_id()),
            (404, "NOT_FOUND"),
        ),
        (
            "/v1/admin/users/..%2f/roles".to_string(),
            (400, "INVALID_ID"),
        ),
        (
            format!("/v1/admin/policies/{}", openleash::ids::new_id()),
            (404, "NOT_FOUND"),
        ),
    ] {
        let r = bearer(&srv, "GET", &path, &a, None);
        assert_eq!((r.status, r.code().as_str()), want, "{path}");
    }
    let events = audit_events(&data);
    for t in [
        "USER_SETUP_INVITE_CREATED",
        "USER_SETUP_COMPLETED",
        "USER_UPDATED",
    ] {
        assert!(events.iter().any(|e| e["event_type"] == t), "{t}");
    }
}

#[test]
fn admin_cli_list_grant_revoke() {
    let (_tmp, data) = init_dir();
    let admin = owner_id(&data);
    let out = ol(&data)
        .args(["--json", "owner", "add", "--name", "Carol"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let carol = stdout_json(&out)["owner_id"].as_str().unwrap().to_string();
    let list = stdout_json(
        &ol(&data)
            .args(["--json", "admin", "list"])
            .output()
            .unwrap(),
    );
    let roles = |list: &Value, id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|u| u["user_principal_id"] == id)
            .unwrap()["system_roles"]
            .clone()
    };
    assert_eq!(roles(&list, &admin), json!(["admin"]));
    assert_eq!(roles(&list, &carol), json!([]));
    ol(&data)
        .args(["admin", "grant", &carol])
        .assert()
        .success()
        .stderr(predicates::str::contains("Granted admin role to"));
    ol(&data)
        .args(["admin", "grant", &carol])
        .assert()
        .success()
        .stderr(predicates::str::contains("already has admin role"));
    ol(&data)
        .args(["admin", "revoke", &admin])
        .assert()
        .success()
        .stderr(predicates::str::contains("Revoked admin role from"));
    let list = stdout_json(
        &ol(&data)
            .args(["--json", "admin", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(roles(&list, &admin), json!([]));
    assert_eq!(roles(&list, &carol), json!(["admin"]));
    let out = ol(&data)
        .args(["--json", "admin", "grant", "nobody@example.com"])
        .output()
        .unwrap();
    assert_eq!(
        (out.status.code(), code_of(&out)),
        (Some(66), "NOT_FOUND".into())
    );
    let ev = audit_events(&data);
    assert!(
        ev.iter()
            .any(|e| e["event_type"] == "USER_UPDATED" && e.to_string().contains("cli"))
    );
}

#[test]
fn init_without_owner_then_initial_setup_over_http() {
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let out = ol(&data)
        .args(["--json", "init", "--no-owner"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(stdout_json(&out)["owner_id"].is_null());
    ol(&data)
        .args(["init", "--no-owner", "--owner-name", "X"])
        .assert()
        .code(2);
    let srv = Server::start(&data, &[]);
    assert!(srv.log().contains("setup_token"), "{}", srv.log());
    let post = |v: Value| {
        request(
            srv.addr,
            "POST",
            "/v1/initial-setup",
            &[("Content-Type", "application/json")],
            Some(v.to_string().as_bytes()),
        )
    };
    let r = post(json!({"display_name": "Ann"}));
    assert_eq!((r.status, r.code()), (400, "INVALID_BODY".into()));
    let r = post(json!({"display_name": "Ann", "passphrase": "short"}));
    assert_eq!((r.status, r.code()), (400, "WEAK_PASSPHRASE".into()));
    let r = post(json!({"display_name": "Ann", "passphrase": PASS}));
    assert_eq!(r.json()["status"], "setup_complete");
    let ann = r.json()["user_principal_id"].as_str().unwrap().to_string();
    let r = post(json!({"display_name": "Eve", "passphrase": PASS}));
    assert_eq!(
        (r.status, r.code()),
        (403, "SETUP_ALREADY_COMPLETED".into())
    );
    let s = login(&srv, &ann);
    let p = bearer(&srv, "GET", "/v1/owner/profile", &s, None).json();
    assert_eq!(p["system_roles"], json!(["admin"]));
    assert!(!data.join("setup_token.json").exists());
    assert!(
        audit_events(&data)
            .iter()
            .any(|e| e["event_type"] == "INITIAL_SETUP_COMPLETED")
    );
}

#[test]
fn legacy_data_dirs_keep_their_admin_and_accounts_can_be_deleted() {
    let (_tmp, data) = init_dir();
    with_passphrase(&data);
    let owner = owner_id(&data);
    // A data directory from before roles: no `system_roles` in the owner file.
    let file = data.join("owners").join(format!("{owner}.yaml"));
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("system_roles"), "{text}");
    let legacy: String = text
        .lines()
        .filter(|l| !l.starts_with("system_roles") && !l.starts_with("- admin"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&file, &legacy).unwrap();
    assert!(!fs::read_to_string(&file).unwrap().contains("admin"));
    let srv = Server::start(&data, &[]);
    let s = login(&srv, &owner);
    let p = bearer(&srv, "GET", "/v1/owner/profile", &s, None).json();
    assert_eq!(p["system_roles"], json!(["admin"]));
    let r = bearer(&srv, "POST", "/v1/admin/login", &s, None).json();
    assert_eq!(r["auth_method"], "session");

    // Deleting: unknown ids are 404; the account itself revokes its agents and ends the session.
    let r = bearer(
        &srv,
        "DELETE",
        &format!("/v1/admin/users/{}", openleash::ids::new_id()),
        &s,
        None,
    );
    assert_eq!((r.status, r.code()), (404, "NOT_FOUND".into()));
    let r = bearer(&srv, "DELETE", "/v1/owner/account", &s, None);
    let v = r.json();
    assert_eq!(v["status"], "deleted", "{v}");
    assert_eq!(v["agents_revoked"], 1);
    assert_eq!(v["policies_deleted"], 1);
    assert!(!file.exists());
    let r = bearer(&srv, "GET", "/v1/owner/profile", &s, None);
    assert_eq!((r.status, r.code()), (401, "INVALID_SESSION".into()));
    let out = ol(&data)
        .args(["--json", "agent", "show", "my-agent"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["status"], "REVOKED");
    assert!(
        audit_events(&data)
            .iter()
            .any(|e| e["event_type"] == "USER_DELETED")
    );
}

/// On a terminal the CLI shows the QR code at setup and asks for the code of a gated operation
/// (hidden input) instead of failing with TOTP_REQUIRED.
#[test]
fn a_terminal_gets_the_qr_code_and_a_code_prompt() {
    use crate::wizard::{Session, tmux_available};
    if !tmux_available() {
        eprintln!(
            "SKIPPED: tmux is not installed (scripts/test installs it where apt is available)"
        );
        return;
    }
    let (tmp, data) = init_dir();
    let exe = bin().get_program().to_string_lossy().to_string();
    let done = tmp.path().join("setup.done");
    let s = Session::start(&format!(
        "env -u NO_COLOR -u OPENLEASH_DATA_DIR OPENLEASH_USER_CONFIG= {exe} --data-dir {} totp setup; echo $? > {}; sleep 60",
        data.display(),
        done.display()
    ));
    s.wait_for("Backup codes");
    let screen = s.screen();
    assert!(screen.contains('█') || screen.contains('▀'), "{screen}");
    let uri_line = screen
        .lines()
        .find(|l| l.starts_with("otpauth://"))
        .unwrap_or_else(|| panic!("{screen}"));
    let secret = uri_line
        .split("secret=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let key = decode_secret(secret).unwrap();
    let step = now_step();
    ol(&data)
        .args(["totp", "confirm", "--code", &code_at(&key, step).unwrap()])
        .assert()
        .success();

    let id = pending(&data, tmp.path(), "a.json");
    let done = tmp.path().join("approve.done");
    let s = Session::start(&format!(
        "env -u NO_COLOR -u OPENLEASH_DATA_DIR OPENLEASH_USER_CONFIG= {exe} --data-dir {} approval approve {id} --yes; echo $? > {}; sleep 60",
        data.display(),
        done.display()
    ));
    s.wait_for("Two-factor code");
    s.type_line(&code_at(&key, now_step().max(step) + 1).unwrap());
    let start = std::time::Instant::now();
    while !done.exists() && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        fs::read_to_string(&done).unwrap_or_default().trim(),
        "0",
        "{}",
        s.screen()
    );
    let out = ol(&data)
        .args(["--json", "approval", "show", &id])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["status"], "APPROVED");
}
