//! Retention and `openleash gc`: records past their `retention.*` time go (counted per kind and
//! recorded in the audit log), `--dry-run` changes nothing, pending requests and usable tokens
//! stay, and `openleash start` runs gc in the background.

use crate::approval::{action_file, decide, request};
use crate::common::*;
use crate::server::Server;
use std::path::Path;
use std::time::{Duration, Instant};

fn edit_config(data: &Path, pairs: &[(&str, &str)]) {
    let path = data.join("config.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (from, to) in pairs {
        assert!(text.contains(from), "{from} not in config.yaml");
        text = text.replace(from, to);
    }
    std::fs::write(&path, text).unwrap();
}

/// Three requests: one denied, one approved (token TTL 1 s), one pending. Returns their ids.
fn three_requests(tmp: &Path, data: &Path) -> (String, String, String) {
    let file = action_file(tmp, "large.json", "my-agent", 500000);
    let ids: Vec<String> = (0..3)
        .map(|_| request(data, &decide(data, &file), &file))
        .collect();
    ol(data)
        .args(["approval", "deny", &ids[0], "--yes"])
        .assert()
        .success();
    ol(data)
        .args(["approval", "approve", &ids[1], "--yes"])
        .assert()
        .success();
    (ids[0].clone(), ids[1].clone(), ids[2].clone())
}

fn exists(data: &Path, id: &str) -> bool {
    data.join("approvals").join(format!("{id}.json")).exists()
}

fn gc_json(data: &Path, dry: bool) -> serde_json::Value {
    let mut c = ol(data);
    c.args(["--json", "gc"]);
    if dry {
        c.arg("--dry-run");
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    stdout_json(&out)
}

#[test]
fn gc_removes_resolved_requests_past_retention_and_keeps_pending_ones() {
    let (tmp, data) = init_dir();
    edit_config(
        &data,
        &[
            ("  token_ttl_seconds: 3600", "  token_ttl_seconds: 1"),
            ("  approvals_seconds: 2592000", "  approvals_seconds: 1"),
        ],
    );
    let (denied, approved, pending) = three_requests(tmp.path(), &data);
    // Right away nothing is old enough (and the approval token is still usable).
    assert_eq!(gc_json(&data, true)["removed"]["approval_requests"], 0);
    // Short TTLs: the token expires after 1 s, the retention is 1 s after that.
    std::thread::sleep(Duration::from_millis(2500));

    let before = snapshot_tree(&data);
    let dry = gc_json(&data, true);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["removed"]["approval_requests"], 2);
    assert_eq!(
        snapshot_tree(&data),
        before,
        "--dry-run changed the data dir"
    );

    let events_before = audit_events(&data).len();
    let done = gc_json(&data, false);
    assert_eq!(done["removed"]["approval_requests"], 2);
    assert!(!exists(&data, &denied) && !exists(&data, &approved));
    assert!(exists(&data, &pending));
    let events = audit_events(&data);
    assert_eq!(events.len(), events_before + 1);
    let last = events.last().unwrap();
    assert_eq!(last["event_type"], "DATA_GC_COMPLETED");
    assert_eq!(
        last["metadata_json"]["removed"]["approval_requests"], 2,
        "{last}"
    );
    ol(&data).args(["audit", "verify"]).assert().success();
    // The trash is emptied; a second run has nothing to do and writes no event.
    assert_eq!(std::fs::read_dir(data.join("gc-trash")).unwrap().count(), 0);
    let again = gc_json(&data, false);
    assert_eq!(again["removed"]["approval_requests"], 0);
    assert_eq!(audit_events(&data).len(), events_before + 1);
    // Listing still works and shows the pending one.
    let out = ol(&data)
        .args(["--json", "approval", "list"])
        .output()
        .unwrap();
    assert_eq!(
        stdout_json(&out)[0]["approval_request_id"],
        pending.as_str()
    );
    // Human output names each kind.
    ol(&data)
        .args(["gc", "--dry-run"])
        .assert()
        .success()
        .stdout(predicates::str::contains("approval_requests"));
}

#[test]
fn bad_retention_settings_fail_with_a_position() {
    let (_tmp, data) = init_dir();
    edit_config(
        &data,
        &[("  approvals_seconds: 2592000", "  approval_seconds: 1")],
    );
    let out = ol(&data).args(["gc", "--dry-run"]).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("config.yaml:"), "{stderr}");
    assert!(
        stderr.contains("did you mean `approvals_seconds`"),
        "{stderr}"
    );
}

#[test]
fn the_server_runs_gc_in_the_background() {
    let (tmp, data) = init_dir();
    edit_config(
        &data,
        &[
            ("  approvals_seconds: 2592000", "  approvals_seconds: 1"),
            ("  gc_interval_seconds: 3600", "  gc_interval_seconds: 1"),
        ],
    );
    let file = action_file(tmp.path(), "large.json", "my-agent", 500000);
    let denied = request(&data, &decide(&data, &file), &file);
    let pending = request(&data, &decide(&data, &file), &file);
    ol(&data)
        .args(["approval", "deny", &denied, "--yes"])
        .assert()
        .success();
    let srv = Server::start(&data, &[]);
    // The run renames the file away first and records its audit event after: wait for both.
    let gc_events = || -> Vec<serde_json::Value> {
        audit_events(&data)
            .into_iter()
            .filter(|e| e["event_type"] == "DATA_GC_COMPLETED")
            .collect()
    };
    let until = Instant::now() + Duration::from_secs(30);
    while exists(&data, &denied) || gc_events().is_empty() {
        assert!(
            Instant::now() < until,
            "background gc never ran: {}",
            srv.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(exists(&data, &pending));
    drop(srv);
    let events = gc_events();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        events[0]["metadata_json"]["removed"]["approval_requests"],
        1
    );
}
