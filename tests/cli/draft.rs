//! Policy drafts from the CLI: an agent submits (validated with all diagnostics), the owner
//! reviews (YAML, diagnostics, widening summary) and approves (the policy is created, bound and
//! decides) or denies; bad input changes nothing.

use crate::common::*;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const LARGE: &str = r#"{"amount_minor":500000,"currency":"USD"}"#;

const ALLOW_LARGE: &str = "version: 1\ndefault: deny\nrules:\n  - id: big_purchases_ok\n    effect: allow\n    action: purchase\n    constraints:\n      amount_max: 1000000\n";

fn submit(data: &Path, dir: &Path, yaml: &str, extra: &[&str]) -> std::process::Output {
    let file = dir.join("draft.yaml");
    fs::write(&file, yaml).unwrap();
    ol(data)
        .args(["--json", "draft", "submit", "--file"])
        .arg(&file)
        .args(extra)
        .output()
        .unwrap()
}

fn submitted_id(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(out);
    assert_eq!(v["status"], "PENDING");
    v["policy_draft_id"].as_str().unwrap().to_string()
}

fn error_code(out: &std::process::Output) -> String {
    stdout_json(out)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn submit_review_approve_then_the_policy_decides() {
    let (tmp, data) = init_dir();
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", LARGE])
        .assert()
        .code(3);
    let id = submitted_id(&submit(
        &data,
        tmp.path(),
        ALLOW_LARGE,
        &["--justification", "I buy servers", "--name", "servers"],
    ));
    let out = ol(&data)
        .args([
            "--json", "draft", "list", "--status", "PENDING", "--agent", "my-agent",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)[0]["policy_draft_id"], id.as_str());
    ol(&data)
        .args(["draft", "show", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("big_purchases_ok")
                .and(predicate::str::contains("Diagnostics"))
                .and(predicate::str::contains("+ big_purchases_ok"))
                .and(predicate::str::contains("Widening")),
        );
    let out = ol(&data)
        .args(["--json", "draft", "show", &id])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    assert_eq!(v["review"]["valid"], true);
    assert_eq!(v["review"]["diff"]["widened"], true);
    assert_eq!(v["justification"], "I buy servers");

    ol(&data).args(["draft", "approve", &id]).assert().code(2);
    let out = ol(&data)
        .args(["--json", "draft", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    assert_eq!(v["status"], "APPROVED");
    let policy_id = v["policy_id"].as_str().unwrap().to_string();
    assert!(v["applies_to_agent_principal_id"].is_string());
    assert!(
        data.join("policies")
            .join(format!("{policy_id}.yaml"))
            .is_file()
    );
    ol(&data)
        .args([
            "--json",
            "authorize",
            "--type",
            "purchase",
            "--payload",
            LARGE,
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("big_purchases_ok"));
    let out = ol(&data)
        .args(["--json", "draft", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert_eq!(error_code(&out), "INVALID_STATUS");
    let log = fs::read_to_string(data.join("audit.log.jsonl")).unwrap();
    assert!(log.contains("POLICY_DRAFT_CREATED") && log.contains("POLICY_DRAFT_APPROVED"));
}

#[test]
fn owner_wide_drafts_bind_for_every_agent() {
    let (tmp, data) = init_dir();
    let id = submitted_id(&submit(&data, tmp.path(), ALLOW_LARGE, &["--owner-wide"]));
    let out = ol(&data)
        .args(["--json", "draft", "approve", &id, "--yes"])
        .output()
        .unwrap();
    assert!(stdout_json(&out)["applies_to_agent_principal_id"].is_null());
}

#[test]
fn invalid_drafts_are_refused_with_all_diagnostics() {
    let (tmp, data) = init_dir();
    let before = snapshot_tree(&data.join("drafts"));
    let out = submit(
        &data,
        tmp.path(),
        "version: 2\ndefault: maybe\nrules:\n  - id: x\n    effect: allow\n    action: purchase\n    bogus: 1\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(65));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["code"], "INVALID_POLICY");
    let details = v["error"]["details"].to_string();
    assert!(
        details.contains("bogus") && details.contains("maybe"),
        "{details}"
    );
    let out = submit(&data, tmp.path(), "rules: [unclosed\n", &[]);
    assert_eq!(error_code(&out), "INVALID_POLICY");
    let out = submit(
        &data,
        tmp.path(),
        ALLOW_LARGE,
        &["--applies-to", "../../owners/x"],
    );
    assert_eq!(error_code(&out), "INVALID_ID");
    let out = submit(
        &data,
        tmp.path(),
        ALLOW_LARGE,
        &["--applies-to", "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a"],
    );
    assert_eq!(error_code(&out), "INVALID_REQUEST");
    assert_eq!(snapshot_tree(&data.join("drafts")), before);
}

#[test]
fn deny_without_reason_is_recorded_as_null() {
    let (tmp, data) = init_dir();
    let id = submitted_id(&submit(&data, tmp.path(), ALLOW_LARGE, &[]));
    let out = ol(&data)
        .args(["--json", "draft", "deny", &id, "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stdout_json(&out)["denial_reason"].is_null());
    let stored: serde_json::Value =
        serde_json::from_slice(&fs::read(data.join("drafts").join(format!("{id}.json"))).unwrap())
            .unwrap();
    assert_eq!(stored["status"], "DENIED");
    assert!(stored["denial_reason"].is_null());
    let id2 = submitted_id(&submit(&data, tmp.path(), ALLOW_LARGE, &[]));
    ol(&data)
        .args([
            "draft",
            "deny",
            &id2,
            "--yes",
            "--reason",
            "no servers this year",
        ])
        .assert()
        .success();
    ol(&data)
        .args(["draft", "show", &id2])
        .assert()
        .stdout(predicate::str::contains("no servers this year"));
    // Denied drafts bind nothing.
    ol(&data)
        .args(["authorize", "--type", "purchase", "--payload", LARGE])
        .assert()
        .code(3);
}

#[test]
fn unknown_and_malformed_draft_ids() {
    let (_tmp, data) = init_dir();
    let out = ol(&data)
        .args([
            "--json",
            "draft",
            "show",
            "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert_eq!(error_code(&out), "NOT_FOUND");
    for args in [
        vec!["show", "../../keys/active"],
        vec!["approve", "../../keys/active", "--yes"],
        vec!["deny", "../../keys/active", "--yes"],
    ] {
        let out = ol(&data)
            .args(["--json", "draft"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(65), "{args:?}");
        assert_eq!(error_code(&out), "INVALID_ID");
    }
}

/// Issue 17 item 4: rule ids repeated across policies (spending.yaml and the balanced profile
/// both have `purchase_small_allow`) must pair by policy and id, so a draft that only adds
/// `purchase.books` reports exactly that rule as widening.
#[test]
fn draft_review_pairs_rules_by_policy_when_ids_repeat() {
    let (tmp, data) = init_dir();
    let spending = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/limits/spending.yaml");
    ol(&data)
        .args(["policy", "upsert", "--agent", "my-agent", "--file"])
        .arg(&spending)
        .assert()
        .success();
    let books = "version: 1\ndefault: passthrough\nrules:\n  - id: books\n    effect: allow\n    action: purchase.books\n";
    let id = submitted_id(&submit(&data, tmp.path(), books, &[]));
    let out = ol(&data)
        .args(["--json", "draft", "show", &id])
        .output()
        .unwrap();
    let diff = &stdout_json(&out)["review"]["diff"];
    let widening = diff["widening"].as_array().unwrap();
    assert_eq!(widening.len(), 1, "{diff:#}");
    assert!(
        widening[0]["rule_id"]
            .as_str()
            .unwrap()
            .starts_with("books"),
        "{diff:#}"
    );
    assert!(diff["removed"].as_array().unwrap().is_empty(), "{diff:#}");
    assert!(diff["changed"].as_array().unwrap().is_empty(), "{diff:#}");
}
