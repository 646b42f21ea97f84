//! `policy replay` (SPEC §18) over logs made by real `authorize` calls: stricter, looser and
//! identical candidates, a lower cap re-simulated with history, formats and exit codes.

use crate::common::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

const PID: &str = "aaaaaaaa-1111-4111-8111-111111111111";

fn policy(amount_max: u64) -> String {
    format!(
        "version: 1
default: deny
rules:
  - id: small
    effect: allow
    action: purchase
    constraints: {{ amount_max: {amount_max} }}
    limits: [{{ window: 1d, max_count: 1000, per: owner }}]
  - id: ask
    effect: allow
    action: purchase
    obligations: [{{ type: HUMAN_APPROVAL }}]
"
    )
}

fn upsert(data: &Path, dir: &Path, text: &str) {
    let file = dir.join("bound.yaml");
    fs::write(&file, text).unwrap();
    ol(data)
        .args([
            "policy",
            "upsert",
            "--yes",
            "--rank",
            "1",
            "--policy-id",
            PID,
        ])
        .arg("--file")
        .arg(&file)
        .assert()
        .success();
}

fn buy(data: &Path, agent: &str, amount: u64, currency: &str) -> i32 {
    crate::limits::purchase(data, agent, amount, currency)
        .status
        .code()
        .unwrap()
}

/// Replays with a candidate written to `<PID>.yaml` in a fresh directory.
fn replay(data: &Path, dir: &Path, text: &str, extra: &[&str]) -> std::process::Output {
    let cand = dir.join("cand");
    fs::create_dir_all(&cand).unwrap();
    fs::write(cand.join(format!("{PID}.yaml")), text).unwrap();
    ol(data)
        .args(["policy", "replay", "--dir"])
        .arg(&cand)
        .args(extra)
        .output()
        .unwrap()
}

/// A log of mixed agents, amounts and currencies, and approvals.
fn mixed_log() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, data) = init_dir();
    ol(&data)
        .args(["agent", "add", "--agent-id", "second"])
        .assert()
        .success();
    upsert(&data, tmp.path(), &policy(5000));
    for agent in ["my-agent", "second"] {
        for currency in ["USD", "EUR"] {
            for amount in [100, 1500, 4000, 7000] {
                let code = buy(&data, agent, amount, currency);
                assert_eq!(code, if amount > 5000 { 3 } else { 0 });
            }
        }
    }
    // An owner-approved purchase: re-authorized with the approval token.
    let file = crate::approval::action_file(tmp.path(), "big.json", "my-agent", 7000);
    let decision = crate::approval::decide(&data, &file);
    let id = crate::approval::request(&data, &decision, &file);
    let out = ol(&data)
        .args(["--json", "approval", "approve", &id, "--yes"])
        .output()
        .unwrap();
    let token = stdout_json(&out)["approval_token"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&file)
        .args(["--approval-token", &token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    (tmp, data)
}

#[test]
fn replay_stricter_looser_and_identical_candidates() {
    let (tmp, data) = mixed_log();
    let evs = audit_events(&data);
    let decisions = evs
        .iter()
        .filter(|e| e["event_type"] == "DECISION_CREATED")
        .count() as u64
        - 1;
    assert!(
        evs.iter()
            .any(|e| e["metadata_json"]["limits_consumed"].is_array()),
        "limits were consumed"
    );
    // Independently: an ALLOW for an amount above 1000 becomes REQUIRE_APPROVAL under 1000.
    let amount_of = |action_id: &Value| {
        evs.iter()
            .find(|e| e["event_type"] == "AUTHORIZE_CALLED" && e["action_id"] == *action_id)
            .unwrap()["metadata_json"]["payload"]["amount_minor"]
            .as_u64()
            .unwrap()
    };
    let expected: Vec<String> = evs
        .iter()
        .filter(|e| {
            e["event_type"] == "DECISION_CREATED"
                && e["metadata_json"]["result"] == "ALLOW"
                && e["metadata_json"]["via_approval"].is_null()
                && amount_of(&e["action_id"]) > 1000
        })
        .map(|e| e["decision_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 8);

    let out = replay(&data, tmp.path(), &policy(1000), &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = stdout_json(&out);
    assert_eq!(r["replayed"].as_u64(), Some(decisions));
    // The approved re-authorization is no policy decision.
    assert_eq!(r["skipped"], 1);
    assert_eq!(
        r["skipped_reasons"]["re-authorized with an owner's approval (not a policy decision)"],
        1
    );
    assert_eq!(r["changed"].as_u64(), Some(expected.len() as u64));
    assert_eq!(
        r["transitions"]["ALLOW->REQUIRE_APPROVAL"].as_u64(),
        Some(expected.len() as u64)
    );
    let listed: Vec<&str> = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["decision_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, expected);
    let c = &r["changes"][0];
    assert_eq!(c["before"]["matched_rule_id"], "small");
    assert_eq!(c["after"]["result"], "REQUIRE_APPROVAL");
    assert_eq!(c["after"]["matched_rule_id"], "ask");
    for key in ["action_id", "agent_id", "action_type", "requested_at"] {
        assert!(c[key].is_string(), "{key}");
    }
    // A stricter candidate never widens; --fail-on-change does fail.
    let out = replay(&data, tmp.path(), &policy(1000), &["--fail-on-widening"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("ALLOW->REQUIRE_APPROVAL"), "{human}");
    let out = replay(&data, tmp.path(), &policy(1000), &["--fail-on-change"]);
    assert_eq!(out.status.code(), Some(1));
    // --agent and --limit.
    let out = replay(
        &data,
        tmp.path(),
        &policy(1000),
        &["--json", "--agent", "second", "--limit", "1"],
    );
    let r = stdout_json(&out);
    assert_eq!(r["replayed"].as_u64(), Some(decisions / 2));
    assert_eq!(r["changed"], 4);
    assert_eq!(r["changes"].as_array().unwrap().len(), 1);
    assert_eq!(r["changes"][0]["agent_id"], "second");

    // Looser: the 7000 purchases (and the one later approved) become ALLOW: widening.
    let out = replay(&data, tmp.path(), &policy(10_000), &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout_json(&out)["transitions"]["REQUIRE_APPROVAL->ALLOW"],
        5
    );
    let out = replay(&data, tmp.path(), &policy(10_000), &["--fail-on-widening"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let gh = replay(&data, tmp.path(), &policy(10_000), &["--format", "github"]);
    let gh = String::from_utf8_lossy(&gh.stdout);
    assert_eq!(
        gh.matches("::error title=policy replay::widening").count(),
        5
    );
    let junit = replay(&data, tmp.path(), &policy(10_000), &["--format", "junit"]);
    let junit = String::from_utf8_lossy(&junit.stdout);
    assert!(junit.contains("failures=\"5\""), "{junit}");

    // Identical: nothing changes.
    let out = replay(
        &data,
        tmp.path(),
        &policy(5000),
        &["--json", "--fail-on-change"],
    );
    assert_eq!(out.status.code(), Some(0));
    let r = stdout_json(&out);
    assert_eq!(
        (r["changed"].as_u64(), r["replayed"].as_u64()),
        (Some(0), Some(decisions))
    );

    // --since in the future replays nothing; a file named after no stored policy in --dir is
    // an error.
    let out = replay(
        &data,
        tmp.path(),
        &policy(1000),
        &["--json", "--since", "2999-01-01T00:00:00Z"],
    );
    assert_eq!(stdout_json(&out)["replayed"], 0);
    let bad = tmp.path().join("bad");
    fs::create_dir_all(&bad).unwrap();
    fs::write(bad.join("nope.yaml"), policy(1)).unwrap();
    let out = ol(&data)
        .args(["policy", "replay", "--dir"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
}

#[test]
fn replay_a_lower_cap_with_history_denies_the_sixth_purchase() {
    let (tmp, data) = init_dir();
    upsert(&data, tmp.path(), &policy(5000));
    for _ in 0..7 {
        assert_eq!(buy(&data, "my-agent", 100, "USD"), 0);
    }
    let capped = "version: 1
default: deny
rules:
  - id: small
    effect: allow
    action: purchase
    limits: [{ window: 1d, max_count: 5, per: owner }]
  - id: over
    effect: deny
    action: purchase
";
    let file = tmp.path().join(format!("{PID}.yaml"));
    fs::write(&file, capped).unwrap();
    let out = ol(&data)
        .args(["--json", "policy", "replay", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = stdout_json(&out);
    assert_eq!(r["changed"], 2, "{r}");
    assert_eq!(r["transitions"]["ALLOW->DENY"], 2, "{r}");
    let evs = audit_events(&data);
    let sixth = evs
        .iter()
        .filter(|e| e["event_type"] == "DECISION_CREATED")
        .nth(5)
        .unwrap();
    assert_eq!(r["changes"][0]["decision_id"], sixth["decision_id"]);
    // Every decision records the policy set it was made with.
    let h = sixth["metadata_json"]["policy_set_hash"].as_str().unwrap();
    assert_eq!(h.len(), 64);
}

const SHADOW_PID: &str = "bbbbbbbb-2222-4222-8222-222222222222";
const SHADOW: &str = "version: 1
mode: shadow
default: deny
rules:
  - id: tiny
    effect: allow
    action: purchase
    constraints: { amount_max: 1000 }
";

#[test]
fn shadow_policies_record_beside_and_never_decide() {
    let (tmp, data) = init_dir();
    upsert(&data, tmp.path(), &policy(5000));
    let file = tmp.path().join("shadow.yaml");
    fs::write(&file, SHADOW).unwrap();
    ol(&data)
        .args([
            "policy",
            "upsert",
            "--yes",
            "--policy-id",
            SHADOW_PID,
            "--file",
        ])
        .arg(&file)
        .assert()
        .success();
    // Enforced results are what the enforcing policy alone says.
    assert_eq!(buy(&data, "my-agent", 500, "USD"), 0);
    assert_eq!(buy(&data, "my-agent", 2000, "USD"), 0);
    assert_eq!(buy(&data, "my-agent", 7000, "USD"), 3);
    let decided: Vec<Value> = audit_events(&data)
        .into_iter()
        .filter(|e| e["event_type"] == "DECISION_CREATED")
        .collect();
    let rules: Vec<&str> = decided
        .iter()
        .map(|e| e["metadata_json"]["matched_rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["small", "small", "ask"]);
    let shadow: Vec<&Value> = decided
        .iter()
        .map(|e| &e["metadata_json"]["shadow"][0])
        .collect();
    assert_eq!(shadow[0]["policy_id"], SHADOW_PID);
    assert_eq!(shadow[0]["result"], "ALLOW");
    assert_eq!(shadow[0]["matched_rule_id"], "tiny");
    assert_eq!(shadow[1]["result"], "DENY");
    assert_eq!(shadow[2]["result"], "DENY");
    assert!(
        !decided[0]["metadata_json"]["policy_ids"]
            .as_array()
            .unwrap()
            .contains(&Value::from(SHADOW_PID))
    );

    let out = ol(&data)
        .args(["--json", "policy", "shadow-report", "--since", "1d"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let r = stdout_json(&out);
    assert_eq!(r["decisions"], 3);
    assert_eq!(r["differing"], 2);
    assert_eq!(r["transitions"]["ALLOW->DENY"], 1);
    assert_eq!(r["transitions"]["REQUIRE_APPROVAL->DENY"], 1);
    assert_eq!(r["by_policy"][SHADOW_PID], 2);
    assert_eq!(r["examples"].as_array().unwrap().len(), 2);
    let out = ol(&data)
        .args(["policy", "shadow-report", "--agent", "my-agent"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("REQUIRE_APPROVAL->DENY"));

    let out = ol(&data)
        .args(["--json", "audit", "list", "--shadow-diff"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["decision_id"], decided[1]["decision_id"]);

    // A bad mode is a positioned diagnostic.
    let bad = tmp.path().join("bad.yaml");
    fs::write(&bad, "version: 1\nmode: shadw\ndefault: deny\nrules: []\n").unwrap();
    let out = ol(&data)
        .args(["policy", "validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("OL-E046"), "{text}");
    assert!(text.contains("2:7"), "{text}");
    assert!(text.contains("did you mean `shadow`"), "{text}");

    // policy test asserts shadow verdicts.
    fs::write(tmp.path().join("enforce.yaml"), policy(5000)).unwrap();
    let suite = tmp.path().join("s.test.yaml");
    fs::write(
        &suite,
        "policies: [enforce.yaml, shadow.yaml]
cases:
  - name: shadow denies what is enforced
    action: { action_type: purchase, payload: { amount_minor: 2000, currency: USD } }
    expect: { result: ALLOW, matched_rule_id: small, shadow: { result: DENY, matched_rule_id: null } }
  - name: wrong shadow expectation
    action: { action_type: purchase, payload: { amount_minor: 500, currency: USD } }
    expect: { result: ALLOW, shadow: { result: DENY } }
",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "policy", "test"])
        .arg(&suite)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("shadow result: expected DENY, got ALLOW"),
        "{text}"
    );
    assert_eq!(text.matches("\"passed\": true").count(), 1, "{text}");
}

fn export(data: &Path, extra: &[&str]) -> Vec<Value> {
    let out = ol(data)
        .args(["audit", "export"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn export_cursor_resumes_exactly_once_across_three_runs() {
    let (tmp, data) = init_dir();
    let cursor = tmp.path().join("cursor.json");
    let c = cursor.to_str().unwrap();
    let mut seen: Vec<u64> = Vec::new();
    for round in 0..3 {
        for _ in 0..=round {
            assert_eq!(buy(&data, "my-agent", 100, "USD"), 0);
        }
        let got = export(&data, &["--cursor", c]);
        assert!(!got.is_empty());
        seen.extend(got.iter().map(|e| e["seq"].as_u64().unwrap()));
    }
    // Nothing new: nothing exported.
    assert!(export(&data, &["--cursor", c]).is_empty());
    let all: Vec<u64> = audit_events(&data)
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seen, all, "every event exactly once, in order");
    // The lines are exported as written.
    let raw = fs::read_to_string(data.join("audit.log.jsonl")).unwrap();
    let out = ol(&data).args(["audit", "export"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), raw);
    // A cursor that no longer matches the log (e.g. a replaced log) rescans by seq.
    fs::write(&cursor, r#"{"offset":7,"seq":3,"hash":"00"}"#).unwrap();
    let got = export(&data, &["--cursor", c]);
    assert_eq!(got[0]["seq"], 4);
    assert_eq!(got.len(), all.len() - 3);
    // --since in the future: nothing.
    assert!(export(&data, &["--since", "2999-01-01T00:00:00Z"]).is_empty());
}

/// The OCSF 1.3 API Activity mapping of docs/audit-export.md, field by field.
#[test]
fn export_ocsf_follows_the_mapping() {
    let (_tmp, data) = init_dir();
    assert_eq!(buy(&data, "my-agent", 100, "USD"), 0);
    let log = audit_events(&data);
    let objs = export(&data, &["--format", "ocsf"]);
    assert_eq!(objs.len(), log.len());
    for (o, ev) in objs.iter().zip(&log) {
        assert_eq!(o["class_uid"], 6003);
        assert_eq!(o["category_uid"], 6);
        assert_eq!(o["type_uid"], 600399);
        assert_eq!(o["activity_id"], 99);
        assert_eq!(o["activity_name"], ev["event_type"]);
        assert_eq!(o["metadata"]["version"], "1.3.0");
        assert_eq!(o["metadata"]["uid"], ev["event_id"]);
        assert_eq!(o["metadata"]["product"]["name"], "openleash");
        assert_eq!(o["metadata"]["product"]["vendor_name"], "openleash");
        assert!(o["metadata"]["product"]["version"].is_string());
        assert_eq!(o["metadata"]["log_name"], "audit");
        assert_eq!(o["actor"]["user"]["uid"], ev["principal_id"]);
        assert_eq!(o["unmapped"]["seq"], ev["seq"]);
        assert_eq!(o["unmapped"]["hash"], ev["hash"]);
        assert_eq!(o["unmapped"]["decision_id"], ev["decision_id"]);
        assert_eq!(o["unmapped"]["action_id"], ev["action_id"]);
        assert!(matches!(o["status_id"].as_u64(), Some(1 | 2)));
        let t = time::OffsetDateTime::parse(
            ev["timestamp"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(
            o["time"].as_i64().unwrap(),
            (t.unix_timestamp_nanos() / 1_000_000) as i64
        );
    }
    let (o, ev) = objs
        .iter()
        .zip(&log)
        .find(|(_, e)| e["event_type"] == "DECISION_CREATED")
        .unwrap();
    assert_eq!(o["disposition_id"], 1);
    assert_eq!(o["disposition"], "Allowed");
    assert_eq!(o["api"]["operation"], "purchase");
    assert_eq!(o["actor"]["user"]["name"], "my-agent");
    assert_eq!(o["status_id"], 1);
    assert_eq!(
        o["unmapped"]["policy_set_hash"],
        ev["metadata_json"]["policy_set_hash"]
    );
    assert!(o["unmapped"].get("result").is_none());
    let first = &objs[0];
    assert_eq!(first["api"]["operation"], log[0]["event_type"]);
}

/// `draft show` replays the draft over the last 30 days of its agents' decisions.
#[test]
fn draft_show_has_the_replay_impact() {
    let (tmp, data) = init_dir();
    upsert(&data, tmp.path(), &policy(5000));
    for amount in [100, 2000, 3000, 7000] {
        buy(&data, "my-agent", amount, "USD");
    }
    // A stricter agent-specific draft: purchases above 1000 are denied.
    let file = tmp.path().join("draft.yaml");
    fs::write(
        &file,
        "version: 1\ndefault: passthrough\nrules:\n  - id: no_big\n    effect: deny\n    action: purchase\n    constraints: { amount_min: 1001 }\n",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "draft", "submit", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let id = stdout_json(&out)["policy_draft_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args(["--json", "draft", "show", &id])
        .output()
        .unwrap();
    let v = stdout_json(&out);
    let i = &v["replay_impact"];
    assert_eq!(i["days"], 30);
    assert_eq!(i["replayed"], 4, "{i}");
    assert_eq!(i["changed"], 3, "{i}");
    assert_eq!(i["transitions"]["ALLOW->DENY"], 2);
    assert_eq!(i["transitions"]["REQUIRE_APPROVAL->DENY"], 1);
    assert_eq!(i["widening"], 0);
    let out = ol(&data).args(["draft", "show", &id]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Replay over the last 30 days"), "{text}");
}

/// `audit export --follow` prints events as they are appended, each once, and its cursor file
/// lets the next run resume after the last one it printed.
#[test]
fn export_follow_streams_new_events_once() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    let (tmp, data) = init_dir();
    let cursor = tmp.path().join("follow-cursor.json");
    assert_eq!(buy(&data, "my-agent", 100, "USD"), 0);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("openleash"))
        .arg("--data-dir")
        .arg(&data)
        .args(["audit", "export", "--follow", "--poll-ms", "50", "--cursor"])
        .arg(&cursor)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<u64>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let v: Value = serde_json::from_str(&line).unwrap();
            if tx.send(v["seq"].as_u64().unwrap()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let take_until = |last: u64, seen: &mut Vec<u64>| {
        while seen.last().copied() != Some(last) {
            // a bound against hangs, not a timing assertion
            let seq = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("audit export --follow printed the new events");
            seen.push(seq);
        }
    };
    let last = |data: &Path| audit_events(data).last().unwrap()["seq"].as_u64().unwrap();
    take_until(last(&data), &mut seen);
    for _ in 0..2 {
        assert_eq!(buy(&data, "my-agent", 200, "USD"), 0);
    }
    take_until(last(&data), &mut seen);
    // Events are printed before the cursor moves past them (a crash in between repeats them at
    // the next run, never skips them): stop the follower once its cursor has caught up.
    let target = last(&data);
    let caught_up = || {
        fs::read_to_string(&cursor)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|c| c["seq"].as_u64() == Some(target))
    };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !caught_up() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(caught_up(), "the cursor follows the printed events");
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let all: Vec<u64> = audit_events(&data)
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seen, all, "every event exactly once, in order");
    // The cursor recorded the last printed event: a later run has nothing to add.
    let out = ol(&data)
        .args(["audit", "export", "--cursor"])
        .arg(&cursor)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
