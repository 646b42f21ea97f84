//! `openleash playground …`: the decision matrix of upstream-cli §4.4 for every bundled
//! scenario and profile, the JSON contract, and "no side effects but the audit event".

use crate::common::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn init_with(profile: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data");
    ol(&data)
        .args([
            "init",
            "--agent-id",
            "my-agent",
            "--policy-profile",
            profile,
            "--output-env",
        ])
        .arg(tmp.path().join("agent.env"))
        .assert()
        .success();
    (tmp, data)
}

fn run_json(data: &Path, args: &[&str]) -> Value {
    let out = ol(data)
        .args(["--json", "playground", "run"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

/// A decision: result and matched rule.
type Decision = (&'static str, Option<&'static str>);

/// upstream-cli §4.4: (scenario, CONSERVATIVE, BALANCED/AUTONOMOUS, proof required)
const MATRIX: &[(&str, Decision, Decision, bool)] = &[
    (
        "small_purchase_allowed",
        ("ALLOW", Some("purchase_small_allow")),
        ("ALLOW", Some("purchase_small_allow")),
        true,
    ),
    (
        "large_purchase_requires_approval",
        ("REQUIRE_APPROVAL", Some("purchase_large_approval")),
        ("REQUIRE_APPROVAL", Some("purchase_large_approval")),
        false,
    ),
    (
        "hairdresser_booking_allowed",
        ("DENY", None),
        ("ALLOW", Some("appointment_hairdresser_allow")),
        false,
    ),
    (
        "doctor_booking_requires_stepup",
        ("DENY", None),
        ("REQUIRE_STEP_UP", Some("appointment_healthcare")),
        true,
    ),
    (
        "government_submit_requires_high",
        ("DENY", Some("government_deny")),
        ("REQUIRE_STEP_UP", Some("government_submit")),
        true,
    ),
    (
        "communication_new_domain_denied",
        ("DENY", Some("communication_deny")),
        ("DENY", Some("communication_deny")),
        false,
    ),
];

#[test]
fn decision_matrix_for_all_scenarios_and_profiles() {
    for profile in ["conservative", "balanced", "autonomous"] {
        let (_tmp, data) = init_with(profile);
        for (scenario, conservative, others, proof) in MATRIX {
            let v = run_json(&data, &[scenario]);
            let (result, rule) = if profile == "conservative" {
                conservative
            } else {
                others
            };
            let d = &v["decision"];
            assert_eq!(d["result"], *result, "{profile}/{scenario}");
            assert_eq!(d["matched_rule_id"].as_str(), *rule, "{profile}/{scenario}");
            assert_eq!(v["proof_required"], *proof, "{profile}/{scenario}");
            assert_eq!(d["proof_token"], Value::Null);
            assert_eq!(d["action_hash"], v["action_hash"]);
            if rule.is_none() {
                assert_eq!(d["reason"], "No rule matched; default policy: deny");
            }
            if *scenario == "large_purchase_requires_approval" {
                let ob = &d["obligations"][0];
                assert_eq!(ob["type"], "HUMAN_APPROVAL");
                assert_eq!(ob["status"], "PENDING");
                assert_eq!(ob["details_json"]["reason"], "Large purchase");
            }
            let trace = v["debug"]["trace"].as_array().unwrap();
            assert_eq!(trace.len(), if profile == "conservative" { 4 } else { 6 });
        }
    }
}

#[test]
fn json_shape_is_the_playground_response_plus_proof_required() {
    let (_tmp, data) = init_dir();
    let v = run_json(&data, &["small_purchase_allowed"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["action_hash", "decision", "debug", "proof_required"]);
    let dkeys: Vec<&str> = v["decision"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        dkeys,
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
    assert_eq!(
        v["decision"]["reason"],
        "Allowed by rule \"purchase_small_allow\""
    );
    assert_eq!(
        v["debug"]["trace"][0],
        serde_json::json!({"rule_id": "purchase_small_allow", "pattern_match": true, "when_match": true, "constraints_match": true, "final_match": true})
    );
    assert_eq!(v["debug"]["trace"][2]["when_match"], Value::Null);
}

#[test]
fn human_output_has_the_upstream_block() {
    let (_tmp, data) = init_dir();
    let out = ol(&data)
        .args([
            "--color",
            "never",
            "playground",
            "run",
            "hairdresser_booking_allowed",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "=== Playground: hairdresser_booking_allowed ===",
        "Matched Rule:    appointment_hairdresser_allow",
        "Decision:        ALLOW",
        "Reason:          Allowed by rule \"appointment_hairdresser_allow\"",
        "Obligations:     (none)",
        "Proof Token:     (none)",
        "Proof Required:  no",
        "Evaluation Trace:",
        "  Rule: purchase_small_allow\n    pattern_match:     NO\n    when_match:        N/A\n    constraints_match: N/A\n    final_match:       NO\n",
        "  Rule: appointment_hairdresser_allow\n    pattern_match:     YES\n    when_match:        YES\n    constraints_match: YES\n    final_match:       YES\n",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn only_write_is_the_audit_event() {
    let (_tmp, data) = init_dir();
    // `audit.idx/` indexes the log as it is appended to: a cache of the log, not a write of its own.
    let index = data.join("audit.idx");
    let tree = || -> Vec<_> {
        snapshot_tree(&data)
            .into_iter()
            .filter(|(p, _)| !p.starts_with(&index))
            .collect()
    };
    let before = tree();
    ol(&data)
        .args(["playground", "run", "doctor_booking_requires_stepup"])
        .assert()
        .success();
    let after = tree();
    assert_eq!(before.len(), after.len());
    for ((p1, b1), (p2, b2)) in before.iter().zip(&after) {
        assert_eq!(p1, p2);
        if p1.ends_with("audit.log.jsonl") {
            assert!(b2.starts_with(b1), "the audit log was rewritten");
            let added = String::from_utf8_lossy(&b2[b1.len()..]).to_string();
            let lines: Vec<&str> = added.lines().collect();
            assert_eq!(lines.len(), 1, "{added}");
            let ev: Value = serde_json::from_str(lines[0]).unwrap();
            assert_eq!(ev["event_type"], "PLAYGROUND_RUN");
            assert_eq!(
                ev["metadata_json"]["scenario"],
                "doctor_booking_requires_stepup"
            );
            assert_eq!(ev["metadata_json"]["result"], "REQUIRE_STEP_UP");
        } else if !p1.ends_with("audit.head") {
            // the signed head moves with every audit commit; everything else must stay
            assert_eq!(b1, b2, "{} changed", p1.display());
        }
    }
}

#[test]
fn works_without_a_data_dir_given_policy_and_action() {
    let tmp = TempDir::new().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing = tmp.path().join("data");
    let out = ol(&missing)
        .args(["--json", "playground", "run", "--policy"])
        .arg(root.join("policies/profiles/conservative.yaml"))
        .arg("--action")
        .arg(root.join("playground/scenarios/government_submit_requires_high.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    assert_eq!(v["decision"]["matched_rule_id"], "government_deny");
    assert!(!missing.exists());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    // Bundled scenarios work without a data dir too, given a policy.
    ol(&missing)
        .args(["playground", "run", "small_purchase_allowed", "--policy"])
        .arg(root.join("policies/profiles/balanced.yaml"))
        .assert()
        .success();
    // Without a policy source a data dir is needed.
    let out = ol(&missing)
        .args(["playground", "run", "small_purchase_allowed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--policy"));
}

#[test]
fn scenarios_from_the_data_dir_and_errors() {
    let (tmp, data) = init_dir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut custom: Value = serde_json::from_str(
        &fs::read_to_string(root.join("playground/scenarios/small_purchase_allowed.json")).unwrap(),
    )
    .unwrap();
    custom["payload"]["amount_minor"] = Value::from(900_000);
    fs::write(
        data.join("playground/scenarios/huge_purchase.json"),
        custom.to_string(),
    )
    .unwrap();
    let list = ol(&data)
        .args(["--json", "playground", "list"])
        .output()
        .unwrap();
    let list = stdout_json(&list);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.contains(&"huge_purchase"));
    let v = run_json(&data, &["huge_purchase"]);
    assert_eq!(v["decision"]["result"], "REQUIRE_APPROVAL");

    let out = ol(&data)
        .args(["playground", "run", "small_purchase_alowed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `small_purchase_allowed`?")
    );

    // An invalid action file and an invalid policy are bad input (65).
    let bad_action = tmp.path().join("bad.json");
    fs::write(&bad_action, r#"{"action_type": "x"}"#).unwrap();
    ol(&data)
        .args(["playground", "run", "--action"])
        .arg(&bad_action)
        .assert()
        .code(65);
    let bad_policy = tmp.path().join("bad.yaml");
    fs::write(&bad_policy, "version: 1\ndefault: maybe\nrules: []\n").unwrap();
    let out = ol(&data)
        .args(["playground", "run", "small_purchase_allowed", "--policy"])
        .arg(&bad_policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml:2:10"));
}

#[test]
fn a_bound_policy_that_stops_parsing_fails_closed() {
    let (_tmp, data) = init_dir();
    let list = ol(&data)
        .args(["--json", "policy", "list"])
        .output()
        .unwrap();
    let id = stdout_json(&list)[0]["policy_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = data.join(format!("policies/{id}.yaml"));
    fs::write(
        &path,
        "version: 1\ndefault: deny\nrules:\n  - id: x\n    effect: alow\n    action: a\n",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "playground", "run", "small_purchase_allowed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["code"], "POLICY_INVALID");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains(&format!("{id}.yaml")), "{msg}");
    assert!(msg.contains("5:13"), "{msg}");
    // The listing shows it as invalid rather than failing.
    let text = ol(&data).args(["policy", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("invalid"));
    // With no binding at all the agent gets NO_POLICY.
    ol(&data)
        .args(["policy", "unbind", "--policy-id", &id])
        .assert()
        .success();
    let out = ol(&data)
        .args(["--json", "playground", "run", "small_purchase_allowed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert_eq!(stdout_json(&out)["error"]["code"], "NO_POLICY");
}
