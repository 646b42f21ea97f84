//! `limits.near_cap` (SPEC §16): a decision that moves a limit's use across
//! `notifications.near_cap_ratio` of its cap notifies the owner's channels once per crossing,
//! delivered to a real receiver on loopback; the channels' owner filter applies.

use crate::common::*;
use crate::limits::purchase;
use crate::receivers::*;
use serde_json::Value;
use std::path::Path;

const CAP_5: &str = "version: 1
default: deny
rules:
  - id: five-a-day
    effect: allow
    action: purchase
    limits:
      - { window: 24h, max_count: 5 }
";

fn delivered(data: &Path) -> Vec<Value> {
    let out = ol(data)
        .args(["--json", "notify", "list", "--status", "delivered"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    stdout_json(&out).as_array().unwrap().clone()
}

#[test]
fn near_cap_is_sent_once_at_the_crossing_to_the_owners_channels() {
    let rx = Receiver::start();
    let (tmp, data) = init_dir();
    let out = ol(&data)
        .args(["--json", "agent", "show", "my-agent"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let owner = stdout_json(&out)["owner_id"].as_str().unwrap().to_string();
    std::fs::write(
        data.join("config.yaml"),
        format!(
            r#"server: {{public_url: "https://leash.example.test"}}
audit: {{fsync: never}}
notifications:
  near_cap_ratio: 0.8
  channels:
    - {{name: mine, type: webhook, url: "{}", events: [limits.near_cap], owners: ["{owner}"]}}
    - {{name: theirs, type: webhook, url: "{}", events: [limits.near_cap], owners: ["00000000-0000-4000-8000-000000000000"]}}
    - {{name: approvals, type: webhook, url: "{}", events: [approval_request.created]}}
"#,
            rx.url("/mine"),
            rx.url("/theirs"),
            rx.url("/approvals"),
        ),
    )
    .unwrap();
    let file = tmp.path().join("cap.yaml");
    std::fs::write(&file, CAP_5).unwrap();
    ol(&data)
        .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
        .arg(&file)
        .assert()
        .success();

    let mut decisions = Vec::new();
    for i in 1..=7 {
        let out = purchase(&data, "my-agent", 100, "USD");
        decisions.push(
            stdout_json(&out)["decision_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        // Past the cap the decision falls through to the profile's rule (no limits there).
        let rule = stdout_json(&out)["matched_rule_id"].clone();
        assert_eq!(rule == "five-a-day", i <= 5, "decision {i}: {out:?}");
        // Nothing is queued before the 4th decision.
        if i < 4 {
            assert!(delivered(&data).is_empty(), "after decision {i}");
        }
    }
    let sent = wait_until("the near_cap notification", || {
        let d = delivered(&data);
        if d.is_empty() {
            ol(&data)
                .args(["notify", "run", "--once"])
                .assert()
                .success();
            return None;
        }
        Some(d)
    });
    assert_eq!(sent.len(), 1, "one crossing, one notification: {sent:?}");
    let hits = rx.hits();
    assert_eq!(hits.len(), 1, "only the owner's channel hears it: {hits:?}");
    assert_eq!(hits[0].path, "/mine");
    let body = hits[0].json();
    assert_eq!(body["event_type"], "limits.near_cap");
    assert_eq!(body["owner_id"], owner.as_str());
    let d = &body["data"];
    assert_eq!(d["decision_id"], decisions[3].as_str(), "the 4th decision");
    assert_eq!((d["used"].as_u64(), d["max"].as_u64()), (Some(4), Some(5)));
    assert_eq!(d["rule_id"], "five-a-day");
    assert_eq!(d["measure"], "max_count");
    assert_eq!(d["window"], "24h");
    assert_eq!(body["link"], "https://leash.example.test/gui/limits");
    let summary = body["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("my-agent has used 4 of 5 decisions (80%)"),
        "{summary}"
    );
    // The portal's near-cap view agrees with the event.
    let out = ol(&data).args(["--json", "limits"]).output().unwrap();
    let rows = stdout_json(&out);
    assert_eq!(rows[0]["used"], 5);
}

#[test]
fn near_cap_without_a_listening_channel_queues_nothing() {
    let (tmp, data) = init_dir();
    std::fs::write(
        data.join("config.yaml"),
        "audit: {fsync: never}\nnotifications:\n  channels:\n    - {name: a, type: webhook, url: 'http://127.0.0.1:9/a', events: [approval_request.created]}\n",
    )
    .unwrap();
    let file = tmp.path().join("cap.yaml");
    std::fs::write(&file, CAP_5).unwrap();
    ol(&data)
        .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
        .arg(&file)
        .assert()
        .success();
    for _ in 0..5 {
        assert_eq!(purchase(&data, "my-agent", 1, "USD").status.code(), Some(0));
    }
    let out = ol(&data)
        .args(["--json", "notify", "list"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out), serde_json::json!([]));
}

const CAP_5000: &str = "version: 1
default: deny
rules:
  - id: capped
    effect: allow
    action: purchase
    limits:
      - { window: 24h, max_amount_minor: 5000 }
  - id: ask
    effect: allow
    action: purchase
    obligations: [{ type: HUMAN_APPROVAL }]
";

/// An approved action counts against the limits it was held by: when that use crosses the
/// ratio, the approved retry is the decision that sends `limits.near_cap`.
#[test]
fn an_approved_action_that_crosses_the_ratio_sends_near_cap() {
    let (tmp, data) = init_dir();
    std::fs::write(
        data.join("config.yaml"),
        "audit: {fsync: never}\nnotifications:\n  channels:\n    - {name: cap, type: command, command: ['true'], events: [limits.near_cap]}\n",
    )
    .unwrap();
    let file = tmp.path().join("cap.yaml");
    std::fs::write(&file, CAP_5000).unwrap();
    ol(&data)
        .args(["policy", "upsert", "--yes", "--rank", "1", "--file"])
        .arg(&file)
        .assert()
        .success();
    // 3000 of 5000: below 0.8.
    assert_eq!(
        purchase(&data, "my-agent", 3000, "USD").status.code(),
        Some(0)
    );
    // 2500 more does not fit: held for approval, approved, and the retry consumes it.
    let action = crate::approval::action_file(tmp.path(), "a.json", "my-agent", 2500);
    let decision = crate::approval::decide(&data, &action);
    let id = crate::approval::request(&data, &decision, &action);
    let token = crate::approval::approve(&data, &id);
    let out = ol(&data)
        .args(["--json", "authorize", "--action-file"])
        .arg(&action)
        .args(["--approval-token", &token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let retry = stdout_json(&out)["decision_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = ol(&data)
        .args(["--json", "notify", "list"])
        .output()
        .unwrap();
    let all = stdout_json(&out);
    let near: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"]["event_type"] == "limits.near_cap")
        .collect();
    assert_eq!(near.len(), 1, "{all:#}");
    let d = &near[0]["event"]["data"];
    assert_eq!(d["decision_id"], retry.as_str());
    assert_eq!(
        (d["used"].as_u64(), d["max"].as_u64()),
        (Some(5500), Some(5000))
    );
    assert_eq!(d["currency"], "USD");
}
