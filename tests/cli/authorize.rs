//! `openleash authorize` in local mode: decisions, exit codes, JSON contract, bad input, and
//! many processes deciding at once while the signing key rotates.

use crate::common::*;
use predicates::prelude::*;
use std::fs;

const SMALL: &str = r#"{"amount_minor":5000,"currency":"USD"}"#;
const LARGE: &str = r#"{"amount_minor":500000,"currency":"USD"}"#;

#[test]
fn decisions_set_the_exit_code() {
    let (_tmp, data) = init_dir();
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", SMALL])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ALLOW").and(predicate::str::contains("v4.public.")));
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", LARGE])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("REQUIRE_APPROVAL"));
    ol(&data)
        .args([
            "authorize",
            "--type",
            "communication.send",
            "--payload",
            r#"{"domain":"unknown.example"}"#,
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("communication_deny"));
    ol(&data)
        .args([
            "authorize",
            "--type",
            "appointment.book",
            "--payload",
            r#"{"category":"healthcare"}"#,
        ])
        .assert()
        .code(4);
    ol(&data)
        .args(["authorize", "--type", "nothing.matches"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "No rule matched; default policy: deny",
        ));
}

#[test]
fn json_is_exactly_the_authorize_response() {
    let (_tmp, data) = init_dir();
    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            SMALL,
            "--action-id",
            "00000000-0000-4000-8000-000000000001",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = stdout_json(&out);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "decision_id",
            "action_id",
            "action_hash",
            "result",
            "matched_rule_id",
            "reason",
            "proof_token",
            "proof_expires_at",
            "obligations"
        ]
    );
    assert_eq!(v["action_id"], "00000000-0000-4000-8000-000000000001");
    assert_eq!(v["result"], "ALLOW");
    assert_eq!(v["matched_rule_id"], "purchase_small_allow");
    assert_eq!(v["reason"], "Allowed by rule \"purchase_small_allow\"");
    assert!(v["proof_token"].as_str().unwrap().starts_with("v4.public."));
    // the token verifies offline with the data dir's keys and is bound to the action hash
    ol(&data)
        .args([
            "verify",
            v["proof_token"].as_str().unwrap(),
            "--expected-action-hash",
            v["action_hash"].as_str().unwrap(),
            "--expected-agent-id",
            "my-agent",
        ])
        .assert()
        .success();

    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            LARGE,
        ])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(v["result"], "REQUIRE_APPROVAL");
    assert!(v["proof_token"].is_null());
    assert_eq!(v["obligations"][0]["type"], "HUMAN_APPROVAL");
    assert_eq!(v["obligations"][0]["status"], "PENDING");
    assert_eq!(
        v["obligations"][0]["details_json"]["reason"],
        "Large purchase"
    );
    // a REQUIRE_APPROVAL decision is remembered for the approval workflow
    let decision = data
        .join("decisions")
        .join(format!("{}.json", v["decision_id"].as_str().unwrap()));
    assert!(decision.is_file());
}

#[test]
fn action_file_and_agent_mismatch() {
    let (tmp, data) = init_dir();
    let file = tmp.path().join("action.json");
    let owner = stdout_json(
        &ol(&data)
            .args(["--json", "owner", "list"])
            .output()
            .unwrap(),
    )[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string();
    fs::write(&file, format!(r#"{{"action_id":"00000000-0000-0000-0000-000000000001","action_type":"purchase","requested_at":"2024-01-15T10:30:00.000Z","principal":{{"agent_id":"my-agent"}},"subject":{{"principal_id":"{owner}"}},"payload":{SMALL}}}"#)).unwrap();
    ol(&data)
        .args(["authorize", "--action-file"])
        .arg(&file)
        .assert()
        .code(0);
    ol(&data)
        .args(["authorize", "--action-file", "-"])
        .write_stdin(fs::read(&file).unwrap())
        .assert()
        .code(0);
    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--agent",
            "someone-else",
            "--action-file",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(stdout_json(&out)["error"]["code"], "AGENT_MISMATCH");
}

#[test]
fn bad_input() {
    let (tmp, data) = init_dir();
    let bad = tmp.path().join("bad.json");
    fs::write(&bad, "{\n  \"action_id\": \"x\",\n  oops\n}").unwrap();
    ol(&data)
        .args(["authorize", "--action-file"])
        .arg(&bad)
        .assert()
        .code(65)
        .stderr(predicate::str::contains("INVALID_JSON").and(predicate::str::contains("line 3")));
    fs::write(&bad, r#"{"action_id":"not-a-uuid","action_type":"","requested_at":"x","principal":{"agent_id":"my-agent"},"subject":{"principal_id":"nope"},"payload":[]}"#).unwrap();
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["code"], "INVALID_ACTION_REQUEST");
    let fields = &v["error"]["details"]["fieldErrors"];
    for f in ["action_id", "action_type", "subject", "payload"] {
        assert!(!fields[f].is_null(), "no field error for {f}: {v}");
    }
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", "[1,2]"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("payload"));
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", "{oops"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("INVALID_JSON"));
    ol(&data)
        .args(["authorize", "--type", "purchase", "--agent", "ghost"])
        .assert()
        .code(66)
        .stderr(predicate::str::contains("AGENT_NOT_FOUND"));
    ol(&data)
        .args(["authorize", "--type", "purchase", "--action-id", "123"])
        .assert()
        .code(65);
    ol(&data)
        .args(["authorize", "--type", "purchase", "--subject", "../../etc"])
        .assert()
        .code(65);
    ol(&data).args(["authorize"]).assert().code(2);
}

#[test]
fn revoked_agent_and_missing_policy() {
    let (_tmp, data) = init_dir();
    ol(&data)
        .args(["agent", "add", "--agent-id", "orphan", "--owner"])
        .arg(owner_id(&data))
        .assert()
        .success();
    // remove every policy: the agent then has no policy
    let list = ol(&data)
        .args(["--json", "policy", "list"])
        .output()
        .unwrap();
    for p in stdout_json(&list).as_array().unwrap() {
        ol(&data)
            .args(["policy", "delete", "--yes", "--policy-id"])
            .arg(p["policy_id"].as_str().unwrap())
            .assert()
            .success();
    }
    let orphan_buys = || {
        ol(&data)
            .args([
                "--json",
                "authorize",
                "--agent",
                "orphan",
                "--type",
                "purchase",
            ])
            .output()
            .unwrap()
    };
    let out = orphan_buys();
    assert_eq!(out.status.code(), Some(66));
    assert_eq!(stdout_json(&out)["error"]["code"], "NO_POLICY");
    ol(&data)
        .args(["agent", "revoke", "orphan"])
        .assert()
        .success();
    let out = orphan_buys();
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(stdout_json(&out)["error"]["code"], "AGENT_INACTIVE");
}

#[test]
fn invalid_bound_policy_fails_closed() {
    let (_tmp, data) = init_dir();
    let policy = fs::read_dir(data.join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap();
    fs::write(&policy, "version: 1\ndefault: allow\nrules: [oops\n").unwrap();
    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            SMALL,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(stdout_json(&out)["error"]["code"], "POLICY_INVALID");
}

fn owner_id(data: &std::path::Path) -> String {
    stdout_json(&ol(data).args(["--json", "owner", "list"]).output().unwrap())[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn eight_processes_with_a_key_rotation_keep_one_chain() {
    let (_tmp, data) = init_dir();
    let per_process = 100;
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let data = data.clone();
            std::thread::spawn(move || {
                let mut tokens = Vec::new();
                for _ in 0..per_process {
                    let out = ol(&data)
                        .args([
                            "--json",
                            "authorize",
                            "--type",
                            "purchase",
                            "--payload",
                            SMALL,
                        ])
                        .output()
                        .unwrap();
                    assert_eq!(
                        out.status.code(),
                        Some(0),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    tokens.push(
                        stdout_json(&out)["proof_token"]
                            .as_str()
                            .unwrap()
                            .to_string(),
                    );
                }
                tokens
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    ol(&data).args(["keys", "rotate"]).assert().success();
    let tokens: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(tokens.len(), 8 * per_process);
    ol(&data).args(["audit", "verify"]).assert().success();
    let decisions = ol(&data)
        .args([
            "--json",
            "audit",
            "list",
            "--type",
            "DECISION_CREATED",
            "--limit",
            "100000",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&decisions.stdout).lines().count(),
        8 * per_process
    );
    // every token verifies with the data dir's keys, whichever key signed it
    let keys = tempfile::NamedTempFile::new().unwrap();
    fs::write(
        keys.path(),
        ol(&data)
            .args(["--json", "keys", "list"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for t in tokens.iter().step_by(7) {
        bin()
            .args(["verify", t, "--keys-file"])
            .arg(keys.path())
            .assert()
            .success();
    }
}
