//! Human approval from the CLI: the owner side (list, show, approve, deny), the agent side
//! (request, wait, authorize --request-approval / --approval-token), expiry, single use under
//! concurrent attempts, and every bad input leaving the approvals untouched.

use crate::common::*;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

const LARGE: &str = r#"{"amount_minor":500000,"currency":"USD"}"#;

/// A fixed large-purchase ActionRequest file for `agent` (same file → same action hash).
pub(crate) fn action_file(dir: &Path, name: &str, agent: &str, amount: u64) -> PathBuf {
    let path = dir.join(name);
    let action = serde_json::json!({
        "action_id": "6f1c2e9a-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
        "action_type": "purchase",
        "requested_at": "2025-01-15T10:30:00.000Z",
        "principal": {"agent_id": agent},
        "subject": {"principal_id": "00000000-0000-0000-0000-000000000001"},
        "payload": {"amount_minor": amount, "currency": "USD"},
    });
    fs::write(&path, action.to_string()).unwrap();
    path
}

/// Authorizes `file` and returns the decision id of its REQUIRE_APPROVAL.
pub(crate) fn decide(data: &Path, file: &Path) -> String {
    let out = ol(data)
        .args(["--json", "authorize", "--action-file"])
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    stdout_json(&out)["decision_id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) fn request(data: &Path, decision: &str, file: &Path) -> String {
    let out = ol(data)
        .args(["--json", "approval", "request", "--decision-id", decision])
        .arg("--action-file")
        .arg(file)
        .args(["--justification", "the printer is out of toner"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    assert_eq!(v["status"], "PENDING");
    v["approval_request_id"].as_str().unwrap().to_string()
}

/// A pending approval request for a fresh large purchase.
fn pending(data: &Path, dir: &Path) -> (PathBuf, String) {
    let file = action_file(dir, "large.json", "my-agent", 500000);
    let decision = decide(data, &file);
    let id = request(data, &decision, &file);
    (file, id)
}

pub(crate) fn approve(data: &Path, id: &str) -> String {
    let out = ol(data)
        .args(["--json", "approval", "approve", id, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    assert_eq!(v["status"], "APPROVED");
    v["approval_token"].as_str().unwrap().to_string()
}

fn error_code(out: &std::process::Output) -> String {
    stdout_json(out)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn set_config(data: &Path, from: &str, to: &str) {
    let path = data.join("config.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in config.yaml");
    fs::write(&path, text.replace(from, to)).unwrap();
}

fn approvals_dir(data: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot_tree(&data.join("approvals"))
}

#[test]
fn request_approve_wait_reauthorize_once() {
    let (tmp, data) = init_dir();
    let (file, id) = pending(&data, tmp.path());

    let out = ol(&data)
        .args([
            "--json", "approval", "list", "--status", "PENDING", "--agent", "my-agent",
        ])
        .output()
        .unwrap();
    let list = stdout_json(&out);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["approval_request_id"], id.as_str());
    assert_eq!(list[0]["justification"], "the printer is out of toner");
    ol(&data)
        .args(["approval", "list", "--status", "APPROVED"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("No approval requests."));
    ol(&data)
        .args(["approval", "show", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("PENDING").and(predicate::str::contains("500000")));
    // Without a TTY, approving needs --yes (a usage error, nothing changes).
    ol(&data)
        .args(["approval", "approve", &id])
        .assert()
        .code(2);

    let token = approve(&data, &id);
    let out = ol(&data)
        .args(["--json", "approval", "wait", &id, "--timeout", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let view = stdout_json(&out);
    assert_eq!(view["status"], "APPROVED");
    assert_eq!(view["approval_token"], token.as_str());
    ol(&data)
        .args(["approval", "wait", &id])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(token.as_str()));

    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", &token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = stdout_json(&out);
    assert_eq!(r["result"], "ALLOW");
    assert_eq!(r["reason"], "Approved by owner");
    assert_eq!(r["matched_rule_id"], serde_json::Value::Null);
    let proof = r["proof_token"].as_str().unwrap();
    ol(&data).args(["verify", proof]).assert().success();

    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", &token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(error_code(&out), "APPROVAL_TOKEN_CONSUMED");

    let out = ol(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(error_code(&out), "INVALID_STATUS");

    let log = fs::read_to_string(data.join("audit.log.jsonl")).unwrap();
    for ev in [
        "APPROVAL_REQUEST_CREATED",
        "APPROVAL_REQUEST_APPROVED",
        "APPROVAL_TOKEN_USED",
    ] {
        assert!(log.contains(ev), "{ev} missing from the audit log");
    }
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn concurrent_reauthorizations_consume_the_token_exactly_once() {
    let (tmp, data) = init_dir();
    let (file, id) = pending(&data, tmp.path());
    let token = approve(&data, &id);
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
                .arg("--data-dir")
                .arg(&data)
                .args(["--json", "authorize", "--action-file"])
                .arg(&file)
                .args(["--approval-token", &token])
                .env("OPENLEASH_LOCK_TIMEOUT_MS", "30000")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let allowed = outs.iter().filter(|o| o.status.code() == Some(0)).count();
    assert_eq!(allowed, 1, "{outs:?}");
    for o in outs.iter().filter(|o| o.status.code() != Some(0)) {
        assert_eq!(o.status.code(), Some(65));
        assert_eq!(error_code(o), "APPROVAL_TOKEN_CONSUMED");
    }
    let log = fs::read_to_string(data.join("audit.log.jsonl")).unwrap();
    assert_eq!(log.matches("\"APPROVAL_TOKEN_USED\"").count(), 1);
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn bad_approval_tokens_are_refused() {
    let (tmp, data) = init_dir();
    let (file, id) = pending(&data, tmp.path());
    let token = approve(&data, &id);
    let other = action_file(tmp.path(), "other.json", "my-agent", 400000);
    let before = approvals_dir(&data);
    let cases: Vec<(Vec<String>, &str, i32)> = vec![
        (
            vec![
                "--action-file".into(),
                other.display().to_string(),
                "--approval-token".into(),
                token.clone(),
            ],
            "ACTION_HASH_MISMATCH",
            65,
        ),
        (
            vec![
                "--action-file".into(),
                file.display().to_string(),
                "--approval-token".into(),
                "v4.public.garbage".into(),
            ],
            "INVALID_APPROVAL_TOKEN",
            77,
        ),
    ];
    for (args, code, exit) in cases {
        let out = ol(&data)
            .args(["--json", "authorize"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(exit), "{out:?}");
        assert_eq!(error_code(&out), code);
    }
    // A proof token is not an approval token.
    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            r#"{"amount_minor":5000,"currency":"USD"}"#,
        ])
        .output()
        .unwrap();
    let proof = stdout_json(&out)["proof_token"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", &proof])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(error_code(&out), "INVALID_APPROVAL_TOKEN");
    assert_eq!(
        approvals_dir(&data),
        before,
        "a refused token changed a request"
    );
}

#[test]
fn requests_need_a_real_pending_decision_of_the_same_agent_and_action() {
    let (tmp, data) = init_dir();
    ol(&data)
        .args(["agent", "add", "--agent-id", "other-agent"])
        .assert()
        .success();
    let mine = action_file(tmp.path(), "mine.json", "my-agent", 500000);
    let theirs = action_file(tmp.path(), "theirs.json", "other-agent", 500000);
    let different = action_file(tmp.path(), "different.json", "my-agent", 600000);
    let my_decision = decide(&data, &mine);
    let their_decision = decide(&data, &theirs);
    let unknown = "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
    let before = approvals_dir(&data);
    for (decision, file) in [
        (unknown, &mine),
        ("../../etc/passwd", &mine),
        (their_decision.as_str(), &mine),
        (my_decision.as_str(), &different),
    ] {
        let out = ol(&data)
            .args(["--json", "approval", "request", "--decision-id", decision])
            .arg("--action-file")
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(65), "{decision}: {out:?}");
        assert_eq!(error_code(&out), "INVALID_DECISION");
    }
    assert_eq!(approvals_dir(&data), before);
    // One request per decision.
    request(&data, &my_decision, &mine);
    let out = ol(&data)
        .args([
            "--json",
            "approval",
            "request",
            "--decision-id",
            &my_decision,
        ])
        .arg("--action-file")
        .arg(&mine)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "INVALID_DECISION");
}

#[test]
fn deny_with_and_without_reason() {
    let (tmp, data) = init_dir();
    let (_, id) = pending(&data, tmp.path());
    let out = ol(&data)
        .args(["--json", "approval", "deny", &id, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["denial_reason"], serde_json::Value::Null);
    let stored: serde_json::Value = serde_json::from_slice(
        &fs::read(data.join("approvals").join(format!("{id}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(stored["status"], "DENIED");
    assert!(stored["denial_reason"].is_null());
    ol(&data).args(["approval", "wait", &id]).assert().code(1);

    let (tmp2, data2) = init_dir();
    let (_, id2) = pending(&data2, tmp2.path());
    ol(&data2)
        .args([
            "approval",
            "deny",
            &id2,
            "--yes",
            "--reason",
            "too expensive",
        ])
        .assert()
        .success();
    ol(&data2)
        .args(["--json", "approval", "wait", &id2])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("too expensive"));
    ol(&data2)
        .args(["--json", "approval", "approve", &id2, "--yes"])
        .assert()
        .code(65)
        .stdout(predicate::str::contains("INVALID_STATUS"));
}

#[test]
fn expired_requests_read_expired_and_cannot_be_approved() {
    let (tmp, data) = init_dir();
    set_config(
        &data,
        "request_ttl_seconds: 86400",
        "request_ttl_seconds: 1",
    );
    let (_, id) = pending(&data, tmp.path());
    std::thread::sleep(std::time::Duration::from_millis(1200));
    ol(&data)
        .args(["--json", "approval", "list", "--status", "EXPIRED"])
        .assert()
        .success()
        .stdout(predicate::str::contains(id.as_str()));
    ol(&data)
        .args(["--json", "approval", "wait", &id, "--timeout", "5"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("EXPIRED"));
    let out = ol(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(error_code(&out), "REQUEST_EXPIRED");
    // An expired decision cannot back a request either.
    let file = action_file(tmp.path(), "late.json", "my-agent", 700000);
    let decision = decide(&data, &file);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let out = ol(&data)
        .args(["--json", "approval", "request", "--decision-id", &decision])
        .arg("--action-file")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "INVALID_DECISION");
}

#[test]
fn expired_approval_tokens_are_refused() {
    let (tmp, data) = init_dir();
    set_config(&data, "token_ttl_seconds: 3600", "token_ttl_seconds: 1");
    let (file, id) = pending(&data, tmp.path());
    let token = approve(&data, &id);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", &token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(error_code(&out), "INVALID_APPROVAL_TOKEN");
}

#[test]
fn wait_times_out_with_exit_3() {
    let (tmp, data) = init_dir();
    let (_, id) = pending(&data, tmp.path());
    ol(&data)
        .args(["approval", "wait", &id, "--timeout", "0"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            predicate::str::contains("PENDING").and(predicate::str::contains(format!(
                "openleash approval wait {id}`"
            ))),
        );
}

#[test]
fn authorize_request_approval_times_out_printing_the_id() {
    let (_tmp, data) = init_dir();
    let out = ol(&data)
        .args([
            "authorize",
            "--type",
            "purchase",
            "--payload",
            LARGE,
            "--request-approval",
            "--wait",
            "1",
            "--poll-ms",
            "50",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let id = stdout.lines().last().unwrap().trim().to_string();
    ol(&data)
        .args(["--json", "approval", "show", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("PENDING"));
}

#[test]
fn authorize_request_approval_finishes_the_loop() {
    let (_tmp, data) = init_dir();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
        .arg("--data-dir")
        .arg(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            LARGE,
            "--request-approval",
            "--wait",
            "30",
            "--poll-ms",
            "50",
            "--justification",
            "quarterly order",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let id = loop {
        let out = ol(&data)
            .args(["--json", "approval", "list", "--status", "PENDING"])
            .output()
            .unwrap();
        if let Some(r) = stdout_json(&out)
            .as_array()
            .and_then(|a| a.first().cloned())
        {
            assert_eq!(r["justification"], "quarterly order");
            break r["approval_request_id"].as_str().unwrap().to_string();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    approve(&data, &id);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = stdout_json(&out);
    assert_eq!(r["result"], "ALLOW");
    assert_eq!(r["reason"], "Approved by owner");
}

#[test]
fn unknown_and_malformed_ids() {
    let (_tmp, data) = init_dir();
    let unknown = "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
    for args in [
        vec!["show", unknown],
        vec!["approve", unknown, "--yes"],
        vec!["deny", unknown, "--yes"],
        vec!["wait", unknown],
    ] {
        let out = ol(&data)
            .args(["--json", "approval"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(66), "{args:?}");
        assert_eq!(error_code(&out), "NOT_FOUND");
    }
    let out = ol(&data)
        .args(["--json", "approval", "show", "../../keys/active"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(error_code(&out), "INVALID_ID");
    ol(&data)
        .args(["approval", "list", "--status", "bogus"])
        .assert()
        .code(2);
}

/// Issue 17 item 2: every step of the approval flow scripts cleanly — stdout carries only the
/// value to capture (decision id, request id, token), prose goes to stderr with the real id, and
/// denying needs no --yes without a terminal.
#[test]
fn approval_flow_captures_cleanly_in_shell_variables() {
    let (tmp, data) = init_dir();
    let file = action_file(tmp.path(), "large.json", "my-agent", 500000);
    let out = ol(&data)
        .args(["-q", "authorize", "--action-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let decision = String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string();
    assert_eq!(decision.len(), 36, "{decision:?}");
    let out = ol(&data)
        .args([
            "approval",
            "request",
            "--decision-id",
            &decision,
            "--action-file",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let id = String::from_utf8(out.stdout).unwrap();
    assert_eq!(id.lines().count(), 1, "{id:?}");
    let id = id.trim_end().to_string();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("openleash approval wait {id}")),
        "{stderr}"
    );
    ol(&data)
        .args(["approval", "approve", &id, "--yes"])
        .assert()
        .success()
        .stdout("");
    let out = ol(&data)
        .args(["approval", "wait", &id, "--timeout", "5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap();
    assert_eq!(token.lines().count(), 1, "{token:?}");
    ol(&data)
        .args(["authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", token.trim_end()])
        .assert()
        .success();

    // Without -q, the REQUIRE_APPROVAL hint names the real decision id and the file.
    let out = ol(&data)
        .args(["authorize", "--action-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let decision = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("decision_id: "))
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "openleash approval request --decision-id {decision} --action-file {}",
            file.display()
        )),
        "{stderr}"
    );

    let (_, second) = pending(&data, tmp.path());
    ol(&data)
        .args(["approval", "deny", &second, "--reason", "not this month"])
        .assert()
        .success()
        .stdout("");
}
