//! Stateful limits end to end: fall-through to the next rule, the race-free cap across
//! processes, approved actions counting, `openleash limits`, and failing closed on a log that
//! no longer matches the counter index.

use crate::common::*;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

const CAPPED: &str = "version: 1
default: deny
rules:
  - id: capped
    effect: allow
    action: purchase
    constraints: { amount_max: 5000 }
    limits:
      - { window: 24h, max_amount_minor: 5000, per: owner }
      - { window: 1h, max_count: 100 }
  - id: ask
    effect: allow
    action: purchase
    obligations: [{ type: HUMAN_APPROVAL }]
";

/// Binds `policy` owner-wide ahead of the profile policy.
fn bind(data: &Path, dir: &Path, policy: &str) {
    let file = dir.join("capped.yaml");
    fs::write(&file, policy).unwrap();
    ol(data)
        .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
        .arg(&file)
        .assert()
        .success();
}

fn buy(data: &Path, agent: &str, amount: u64) -> std::process::Output {
    purchase(data, agent, amount, "USD")
}

/// `authorize --json` of a purchase by `agent`; the process output.
pub(crate) fn purchase(
    data: &Path,
    agent: &str,
    amount: u64,
    currency: &str,
) -> std::process::Output {
    ol(data)
        .args([
            "--json",
            "authorize",
            "--agent",
            agent,
            "--type",
            "purchase",
        ])
        .args([
            "--payload",
            &format!(r#"{{"amount_minor":{amount},"currency":"{currency}"}}"#),
        ])
        .output()
        .unwrap()
}

fn decisions(data: &Path) -> Vec<Value> {
    audit_events(data)
        .into_iter()
        .filter(|e| e["event_type"] == "DECISION_CREATED")
        .collect()
}

fn limits_json(data: &Path) -> Vec<Value> {
    let out = ol(data).args(["--json", "limits"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    stdout_json(&out).as_array().unwrap().clone()
}

#[test]
fn limits_a_cap_falls_through_to_approval_and_is_visible() {
    let (tmp, data) = init_dir();
    bind(&data, tmp.path(), CAPPED);
    assert_eq!(buy(&data, "my-agent", 2000).status.code(), Some(0));
    assert_eq!(buy(&data, "my-agent", 2000).status.code(), Some(0));
    let out = buy(&data, "my-agent", 2000);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(stdout_json(&out)["matched_rule_id"], "ask");
    // Another currency has its own counter.
    let eur = ol(&data)
        .args(["--json", "authorize", "--type", "purchase"])
        .args(["--payload", r#"{"amount_minor":4000,"currency":"EUR"}"#])
        .output()
        .unwrap();
    assert_eq!(eur.status.code(), Some(0), "{eur:?}");

    let d = decisions(&data);
    assert_eq!(
        d[0]["metadata_json"]["limits_consumed"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        d[0]["metadata_json"]["limits_consumed"][0]["amount_minor"],
        2000
    );
    let fell = &d[2]["metadata_json"];
    assert!(fell.get("limits_consumed").is_none());
    let t = &fell["trace"]["rules"][0];
    assert_eq!(t["limits_match"], false);
    assert_eq!(t["limit_failure"]["limit_index"], 0);
    assert_eq!(t["limit_failure"]["used"], 4000);
    assert_eq!(t["limit_failure"]["remaining"], 1000);

    let rows = limits_json(&data);
    let usd = rows
        .iter()
        .find(|r| r["limit_index"] == 0 && r["currency"] == "USD")
        .unwrap();
    assert_eq!(
        (usd["used"].as_u64(), usd["remaining"].as_u64()),
        (Some(4000), Some(1000))
    );
    assert!(usd["frees_at"].as_str().unwrap().ends_with('Z'));
    let count = rows.iter().find(|r| r["limit_index"] == 1).unwrap();
    assert_eq!(count["used"], 3);
    ol(&data)
        .args(["limits", "--agent", "my-agent"])
        .assert()
        .success()
        .stdout(predicate::str::contains("capped").and(predicate::str::contains("REMAINING")));
    ol(&data)
        .args(["limits", "--agent", "nobody"])
        .assert()
        .code(66);
}

#[test]
fn limits_eight_parallel_agents_get_exactly_five_allows() {
    let (tmp, data) = init_dir();
    for i in 1..8 {
        ol(&data)
            .args(["agent", "add", "--agent-id", &format!("agent-{i}")])
            .assert()
            .success();
    }
    bind(
        &data,
        tmp.path(),
        &CAPPED.replace("HUMAN_APPROVAL", "DEPOSIT"),
    );
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let data = data.clone();
            std::thread::spawn(move || {
                let agent = if i == 0 {
                    "my-agent".to_string()
                } else {
                    format!("agent-{i}")
                };
                buy(&data, &agent, 1000).status.code()
            })
        })
        .collect();
    let codes: Vec<Option<i32>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        5,
        "{codes:?}"
    );
    // The rest fell through to the next rule (REQUIRE_DEPOSIT, exit 5).
    assert_eq!(
        codes.iter().filter(|c| **c == Some(5)).count(),
        3,
        "{codes:?}"
    );
    let rows = limits_json(&data);
    let cap = rows
        .iter()
        .find(|r| r["limit_index"] == 0 && r["agent_id"] == "my-agent")
        .unwrap();
    assert_eq!(cap["used"], 5000);
    ol(&data).args(["audit", "verify"]).assert().success();
}

#[test]
fn limits_approved_actions_count_against_the_cap() {
    let (tmp, data) = init_dir();
    bind(&data, tmp.path(), CAPPED);
    let action = tmp.path().join("a.json");
    fs::write(
        &action,
        serde_json::json!({
            "action_id": "00000000-0000-4000-8000-0000000000aa",
            "action_type": "purchase",
            "requested_at": "2030-01-01T00:00:00.000Z",
            "principal": {"agent_id": "my-agent"},
            "subject": {"principal_id": "00000000-0000-0000-0000-000000000001"},
            "payload": {"amount_minor": 3000, "currency": "USD"},
        })
        .to_string(),
    )
    .unwrap();
    assert_eq!(buy(&data, "my-agent", 3000).status.code(), Some(0));
    // 3000 + 3000 > 5000: needs approval.
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&action)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let decision = stdout_json(&out)["decision_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args([
            "--json",
            "approval",
            "request",
            "--decision-id",
            &decision,
            "--action-file",
        ])
        .arg(&action)
        .output()
        .unwrap();
    let id = stdout_json(&out)["approval_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .output()
        .unwrap();
    let token = stdout_json(&out)["approval_token"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args([
            "--json",
            "authorize",
            "--approval-token",
            &token,
            "--action-file",
        ])
        .arg(&action)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows = limits_json(&data);
    let cap = rows
        .iter()
        .find(|r| r["limit_index"] == 0 && r["currency"] == "USD")
        .unwrap();
    assert_eq!(cap["used"], 6000);
    assert_eq!(cap["remaining"], 0);
    // Even the smallest purchase now falls through.
    assert_eq!(buy(&data, "my-agent", 1).status.code(), Some(3));
}

#[test]
fn limits_fail_closed_on_a_truncated_log_until_reset() {
    let (tmp, data) = init_dir();
    bind(&data, tmp.path(), CAPPED);
    assert_eq!(buy(&data, "my-agent", 2000).status.code(), Some(0));
    assert_eq!(buy(&data, "my-agent", 2000).status.code(), Some(0));
    // Drop the last decision's lines: the log is now shorter than the index says.
    let log = data.join("audit.log.jsonl");
    let text = fs::read_to_string(&log).unwrap();
    let keep = text.lines().count() - 2;
    let cut: String = text.lines().take(keep).map(|l| format!("{l}\n")).collect();
    fs::write(&log, cut).unwrap();
    let out = buy(&data, "my-agent", 100);
    assert_eq!(out.status.code(), Some(65), "{out:?}");
    let err = &stdout_json(&out)["error"];
    assert_eq!(err["code"], "LIMITS_INDEX_MISMATCH");
    assert!(err["hint"].as_str().unwrap().contains("audit verify"));
    // Reset refuses while the log does not verify.
    ol(&data)
        .args(["limits", "reset-index", "--yes"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("does not verify"));
    // The owner accepts the loss; verify passes, but the index still does not match.
    ol(&data)
        .args(["audit", "seal", "--yes"])
        .assert()
        .success();
    ol(&data).args(["audit", "verify"]).assert().success();
    assert_eq!(buy(&data, "my-agent", 100).status.code(), Some(65));
    // Decisions that no limited rule could make are unaffected.
    ol(&data)
        .args(["authorize", "--type", "nothing.matches"])
        .assert()
        .code(1);
    ol(&data)
        .args(["limits", "reset-index", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Rebuilt"));
    // Rebuilt from the log: one 2000 purchase survived the truncation.
    let rows = limits_json(&data);
    let cap = rows.iter().find(|r| r["limit_index"] == 0).unwrap();
    assert_eq!(cap["used"], 2000);
    assert_eq!(buy(&data, "my-agent", 3000).status.code(), Some(0));
    assert_eq!(buy(&data, "my-agent", 1).status.code(), Some(3));
}

#[test]
fn limits_bad_policies_are_refused_with_positions() {
    let (tmp, data) = init_dir();
    let file = tmp.path().join("bad.yaml");
    fs::write(
        &file,
        "version: 1\ndefault: deny\nrules:\n  - id: d\n    effect: deny\n    action: purchase\n    limits: [{ window: 0h, max_amount_minor: 10.5, per: relying_party }]\n",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "policy", "validate"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for code in ["OL-E043", "OL-E044", "OL-E045"] {
        assert!(text.contains(code), "{code} missing: {text}");
    }
    ol(&data)
        .args(["policy", "upsert", "--yes", "--file"])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.yaml:7:"));
}

#[test]
fn limits_policy_test_and_playground_take_a_history() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .arg("policy")
        .arg("test")
        .arg(root.join("examples/policy-tests/limits.test.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("7 passed"));
    let tmp = tempfile::TempDir::new().unwrap();
    let action = tmp.path().join("a.json");
    fs::write(
        &action,
        r#"{"action_id":"00000000-0000-4000-8000-000000000001","action_type":"purchase","requested_at":"2024-01-01T00:00:00.000Z","principal":{"agent_id":"a"},"subject":{"principal_id":"00000000-0000-4000-8000-000000000002"},"payload":{"amount_minor":2000,"currency":"USD"}}"#,
    )
    .unwrap();
    let history = tmp.path().join("h.yaml");
    fs::write(
        &history,
        "- { at: -2h, rule: purchase_small_allow, payload: { amount_minor: 49000, currency: USD } }\n",
    )
    .unwrap();
    let run = |h: Option<&Path>| {
        let mut c = bin();
        c.args(["--json", "playground", "run", "--action"])
            .arg(&action)
            .arg("--policy")
            .arg(root.join("examples/limits/spending.yaml"));
        if let Some(h) = h {
            c.arg("--history").arg(h);
        }
        c.output().unwrap()
    };
    let v = stdout_json(&run(None));
    assert_eq!(v["decision"]["result"], "ALLOW");
    let out = run(Some(&history));
    let v = stdout_json(&out);
    assert_eq!(v["decision"]["result"], "REQUIRE_APPROVAL");
    let t = &v["debug"]["trace"][0];
    assert_eq!(t["limits_match"], false);
    assert_eq!(t["limit_failure"]["used"], 49000);
    assert_eq!(t["limit_failure"]["remaining"], 1000);
    // Bad history items say which item and why.
    for (text, why) in [
        ("- { at: 5h }\n", "history[0]"),
        ("- { at: -0h }\n", "empty window"),
        ("- { at: -1h, rule: nope }\n", "no rule `nope`"),
        ("- { at: -1h, amount: 5 }\n", "unknown key `amount`"),
        ("{}\n", "must be a list"),
    ] {
        fs::write(&history, text).unwrap();
        let out = run(Some(&history));
        assert_eq!(out.status.code(), Some(65), "{text}");
        let msg = stdout_json(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(msg.contains(why), "{text}: {msg}");
    }
    // A bad history in a suite is a positioned problem of the suite.
    let suite = tmp.path().join("s.test.yaml");
    fs::write(
        &suite,
        format!(
            "policy: {}\ncases:\n  - name: x\n    history:\n      - {{ at: yesterday }}\n    action: {{ action_type: purchase }}\n    expect: {{ result: ALLOW }}\n",
            root.join("examples/limits/spending.yaml").display()
        ),
    )
    .unwrap();
    bin()
        .args(["policy", "test"])
        .arg(&suite)
        .assert()
        .failure()
        .stdout(predicate::str::contains(":5:9").and(predicate::str::contains("yesterday")));
}

#[test]
fn limits_fail_closed_when_the_last_decision_was_edited() {
    let (tmp, data) = init_dir();
    bind(&data, tmp.path(), CAPPED);
    assert_eq!(buy(&data, "my-agent", 4000).status.code(), Some(0));
    // Lower the recorded amount of the last decision in place (same length, hash left as is).
    let log = data.join("audit.log.jsonl");
    let text = fs::read_to_string(&log).unwrap();
    let edited = text.replace("\"amount_minor\":4000", "\"amount_minor\":1000");
    assert_ne!(edited, text);
    fs::write(&log, edited).unwrap();
    let out = buy(&data, "my-agent", 2000);
    assert_eq!(out.status.code(), Some(65), "{out:?}");
    assert_eq!(stdout_json(&out)["error"]["code"], "LIMITS_INDEX_MISMATCH");
    ol(&data).args(["audit", "verify"]).assert().code(1);
    ol(&data)
        .args(["limits", "reset-index", "--yes"])
        .assert()
        .code(65);
}
