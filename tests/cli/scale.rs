//! Issue 18: growing data must not make the data directory unusable. Bulk data is made through the
//! library's handlers (spawning a process per policy would take minutes); what is checked runs
//! through the real binary.

use crate::common::*;
use openleash::handlers::policies::{NewPolicy, create};
use openleash::store::DataDir;
use openleash::store::owners::OwnerType;
use std::fs;
use std::path::Path;

const SMALL: &str = r#"{"amount_minor":5000,"currency":"USD"}"#;
const DENY_GIFTS: &str = "version: 1\ndefault: passthrough\nrules:\n  - id: no-gifts\n    effect: deny\n    action: gift\n";

fn owner_id(data: &Path) -> String {
    stdout_json(&ol(data).args(["--json", "owner", "list"]).output().unwrap())[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn synthetic_owner(i: usize) -> String {
    format!("00000000-0000-4000-8000-{:012x}", i)
}

fn authorize(data: &Path, action_type: &str) -> serde_json::Value {
    let out = ol(data)
        .args([
            "--json",
            "authorize",
            "--type",
            action_type,
            "--payload",
            SMALL,
        ])
        .output()
        .unwrap();
    // DENY and REQUIRE_APPROVAL have their own exit codes; the JSON says which.
    assert!(
        out.status.code().is_some_and(|c| c < 64),
        "authorize failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

fn policy_count(data: &Path) -> usize {
    let out = ol(data)
        .args(["--json", "policy", "list", "--limit", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One page of one: `total` counts the whole catalogue without listing it.
    stdout_json(&out)["total"].as_u64().unwrap() as usize
}

/// Past 9,616 policies the single `bindings.yaml` crossed the YAML parser's node budget and
/// every command, `policy delete` included, failed with DATA_CORRUPT.
#[test]
fn twelve_thousand_policies_keep_authorize_list_and_delete_working() {
    let (_tmp, data) = init_dir();
    let owner = owner_id(&data);
    let before = authorize(&data, "purchase")["result"].clone();
    let dd = DataDir::open(&data).unwrap();
    let t = std::time::Instant::now();
    let mut mine = Vec::new();
    for i in 0..12_000 {
        // Most belong to other owners; every 1,000th is the agent's owner's, owner-wide.
        let own = i % 1_000 == 0;
        let id = create(
            &dd,
            &NewPolicy {
                policy_id: None,
                owner_type: OwnerType::User,
                owner_id: if own {
                    owner.clone()
                } else {
                    synthetic_owner(i % 97)
                },
                agent_principal_id: None,
                name: Some(format!("p{i}")),
                description: None,
                rank: Some(1_000),
                text: DENY_GIFTS.to_string(),
            },
        )
        .unwrap();
        if own {
            mine.push(id);
        }
    }
    eprintln!("created in {:?}", t.elapsed());
    assert_eq!(policy_count(&data), 12_001);
    eprintln!("listed in {:?}", t.elapsed());
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
    for id in &mine {
        ol(&data)
            .args(["policy", "delete", "--yes", "--policy-id", id])
            .assert()
            .success();
    }
    assert_eq!(policy_count(&data), 12_001 - mine.len());
    assert_ne!(authorize(&data, "gift")["matched_rule_id"], "no-gifts");
}

/// Writes the format-1 `bindings.yaml` that today's main writes, from the current catalogue,
/// and removes the format-2 files: a data dir exactly as an older openleash left it.
fn make_format_1(data: &Path, extra: &str) {
    let dd = DataDir::open(data).unwrap();
    let b = dd.bindings().unwrap();
    let mut yaml = String::from("policies:\n");
    for p in &b.policies {
        yaml += &format!(
            "- policy_id: {}\n  owner_type: user\n  owner_id: {}\n  name: {}\n  description: null\n  created_at: '{}'\n  updated_at: null\n",
            p.policy_id,
            p.owner_id,
            p.name.as_deref().unwrap_or("x"),
            p.created_at
        );
    }
    yaml += extra;
    yaml += "bindings:\n";
    for x in &b.bindings {
        yaml += &format!(
            "- policy_id: {}\n  owner_type: user\n  owner_id: {}\n  agent_principal_id: {}\n  rank: null\n",
            x.policy_id,
            x.owner_id,
            x.agent_principal_id.as_deref().unwrap_or("null"),
        );
    }
    fs::write(data.join("bindings.yaml"), yaml).unwrap();
    fs::remove_dir_all(data.join("bindings")).unwrap();
    for e in fs::read_dir(data.join("policies")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            fs::remove_file(p).unwrap();
        }
    }
}

#[test]
fn a_format_1_data_dir_is_read_and_converted_on_the_next_write() {
    let (tmp, data) = init_dir();
    let before = authorize(&data, "purchase")["result"].clone();
    make_format_1(&data, "");
    assert!(!data.join("bindings/meta.json").exists());
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(policy_count(&data), 1);
    // A write converts it: the YAML file goes, the same decisions come out.
    let file = tmp.path().join("gifts.yaml");
    fs::write(&file, DENY_GIFTS).unwrap();
    ol(&data)
        .args(["policy", "upsert", "--file"])
        .arg(&file)
        .assert()
        .success();
    assert!(!data.join("bindings.yaml").exists());
    assert!(data.join("bindings/meta.json").is_file());
    assert_eq!(policy_count(&data), 2);
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
}

/// A format-1 catalogue past the parser's node budget (what today's main cannot read at all)
/// still decides, lists, and lets `policy delete` convert it.
#[test]
fn an_oversized_format_1_catalogue_still_works_and_delete_converts_it() {
    let (_tmp, data) = init_dir();
    let before = authorize(&data, "purchase")["result"].clone();
    let mut extra = String::new();
    for i in 0..20_000 {
        extra += &format!(
            "- policy_id: 00000000-0000-4000-9000-{i:012x}\n  owner_type: user\n  owner_id: {}\n  name: bulk\n  description: null\n  created_at: '2026-01-01T00:00:00.000Z'\n  updated_at: null\n",
            synthetic_owner(i % 7)
        );
    }
    make_format_1(&data, &extra);
    assert!(fs::metadata(data.join("bindings.yaml")).unwrap().len() > 2_000_000);
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(policy_count(&data), 20_001);
    ol(&data)
        .args([
            "policy",
            "delete",
            "--yes",
            "--policy-id",
            "00000000-0000-4000-9000-000000000005",
        ])
        .assert()
        .success();
    assert!(!data.join("bindings.yaml").exists());
    assert_eq!(policy_count(&data), 20_000);
    assert_eq!(authorize(&data, "purchase")["result"], before);
}

/// Peak resident memory (VmHWM, kB) of a running process.
fn vm_hwm_kb(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// `audit list` held the whole listing in memory (5× the log's size on disk); it now streams.
/// Checked by the child's peak RSS while it is blocked writing its output, past the middle.
#[test]
fn audit_list_memory_stays_bounded_on_a_200_000_event_log() {
    use std::io::Read;
    let (_tmp, data) = init_dir();
    let dd = DataDir::open(&data).unwrap();
    let pad = "x".repeat(300);
    for batch in 0..200 {
        let events = (0..1_000)
            .map(|i| {
                openleash::audit::NewEvent::new(
                    "DECISION_CREATED",
                    serde_json::json!({"result": "ALLOW", "agent_id": "bulk", "i": batch * 1_000 + i, "note": pad}),
                )
            })
            .collect();
        dd.append_audit(events).unwrap();
    }
    let log_kb = fs::metadata(data.join("audit.log.jsonl")).unwrap().len() / 1024;
    assert!(log_kb > 60_000, "log is only {log_kb} kB");
    for limit in ["0", "1000000"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_openleash"))
            .args(["--data-dir"])
            .arg(&data)
            .args(["--json", "audit", "list", "--limit", limit])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Read a bit more than half of the output, then look while the child waits on the pipe.
        let mut buf = vec![0u8; 1 << 16];
        let mut read = 0u64;
        while read < log_kb * 1024 * 6 / 10 {
            let n = stdout.read(&mut buf).unwrap();
            assert!(n > 0, "output ended early");
            read += n as u64;
        }
        let peak = vm_hwm_kb(child.id());
        std::io::copy(&mut stdout, &mut std::io::sink()).unwrap();
        assert!(child.wait().unwrap().success());
        assert!(
            peak < 100_000,
            "audit list --limit {limit} peaked at {peak} kB on a {log_kb} kB log"
        );
    }
}

/// A damaged record (edited by hand) fails only what reads it: `policy delete` of another
/// policy, and decisions of agents not bound to it, still work, so the CLI always has a way out.
#[test]
fn a_damaged_record_leaves_the_rest_usable() {
    let (tmp, data) = init_dir();
    let owner = owner_id(&data);
    let before = authorize(&data, "purchase")["result"].clone();
    let dd = DataDir::open(&data).unwrap();
    let new = |owner_id: String| NewPolicy {
        policy_id: None,
        owner_type: OwnerType::User,
        owner_id,
        agent_principal_id: None,
        name: None,
        description: None,
        rank: Some(1_000),
        text: DENY_GIFTS.to_string(),
    };
    let elsewhere = create(&dd, &new(synthetic_owner(1))).unwrap();
    let mine = create(&dd, &new(owner)).unwrap();
    fs::write(
        data.join("policies").join(format!("{elsewhere}.json")),
        "{oops",
    )
    .unwrap();
    let out = ol(&data)
        .args(["--json", "policy", "list"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["error"]["code"], "DATA_CORRUPT");
    assert_eq!(authorize(&data, "purchase")["result"], before);
    assert_eq!(authorize(&data, "gift")["result"], "DENY");
    ol(&data)
        .args(["policy", "delete", "--yes", "--policy-id", &mine])
        .assert()
        .success();
    assert_ne!(authorize(&data, "gift")["matched_rule_id"], "no-gifts");
    // The damaged one can be deleted too once its record is restored or removed by hand; the
    // error names the file.
    let err = ol(&data)
        .args([
            "--json",
            "policy",
            "delete",
            "--yes",
            "--policy-id",
            &elsewhere,
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stdout).contains(&format!("{elsewhere}.json")));
    drop(tmp);
}
