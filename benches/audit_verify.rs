//! `audit verify` on a 1,000,000-event log (SPEC §12: ≤ 3 s), and the cost of one durable
//! append (what every decision pays).
//!
//! `cargo bench --bench audit_verify` builds the log once in a temp dir (events shaped like the
//! authorize path's AUTHORIZE_CALLED / PROOF_ISSUED / DECISION_CREATED with a 5-rule trace), then
//! measures the library call and the release `openleash audit verify` process end to end.
//! `OPENLEASH_BENCH_EVENTS=N` changes the size (under `cargo test` it is 1,000); `OPENLEASH_BENCH_KEEP=DIR` builds (or reuses) the
//! data dir at DIR and keeps it, for timing the binary by hand.

// A benchmark that cannot set up or verify its data should stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use openleash::audit::NewEvent;
use openleash::store::{DataDir, Txn};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn make_data_dir(root: &Path, fsync: bool) -> DataDir {
    std::fs::create_dir_all(root.join("keys")).unwrap();
    let mode = if fsync { "always" } else { "never" };
    std::fs::write(
        root.join("config.yaml"),
        format!("audit:\n  fsync: {mode}\n"),
    )
    .unwrap();
    let dd = DataDir::at(root);
    let key = openleash::keys::ServerKey::generate();
    let mut txn = Txn::default();
    dd.stage_new_active_key(&mut txn, &key).unwrap();
    txn.commit().unwrap();
    DataDir::open(root).unwrap()
}

/// The three events of one authorize call, with realistic sizes.
fn decision_events(i: u64) -> Vec<NewEvent> {
    let agent_pid = "6f1c2a9e-3b1d-4c55-9f0e-1a2b3c4d5e6f";
    let owner = "0b7e2f3a-9c4d-4e1f-8a2b-3c4d5e6f7a8b";
    let action_id = format!("a0000000-0000-4000-8000-{i:012}");
    let decision_id = format!("d0000000-0000-4000-8000-{i:012}");
    let action_hash = format!("{:064x}", u128::from(i as u32) * 0x9e37_79b9_7f4a_7c15);
    let rules: Vec<Value> = (1..=5)
        .map(|r| {
            json!({"rule_id": format!("rule-{r}"), "pattern_matched": r == 5, "when_matched": r == 5,
                   "constraints_matched": r == 5, "final": r == 5})
        })
        .collect();
    vec![
        NewEvent::new(
            "AUTHORIZE_CALLED",
            json!({"agent_id": "my-agent", "agent_principal_id": agent_pid, "owner_type": "user",
                   "owner_id": owner, "action_type": "purchase", "action_id": action_id,
                   "payload": {"amount_minor": 5000 + i % 1000, "currency": "USD", "merchant_domain": "shop.example.com"},
                   "subject_principal_id": owner, "relying_party_domain": null, "trust_profile": null,
                   "requested_at": "2024-01-15T10:30:00.000Z"}),
        )
        .principal(agent_pid)
        .action(&action_id),
        NewEvent::new(
            "PROOF_ISSUED",
            json!({"decision_id": decision_id, "agent_id": "my-agent", "action_type": "purchase",
                   "action_hash": action_hash, "ttl_seconds": 120, "expires_at": "2024-01-15T10:32:00.000Z",
                   "trust_profile": null}),
        )
        .action(&action_id)
        .decision(&decision_id),
        NewEvent::new(
            "DECISION_CREATED",
            json!({"decision_id": decision_id, "result": "ALLOW", "matched_rule_id": "rule-5",
                   "action_hash": action_hash, "action_type": "purchase", "agent_id": "my-agent",
                   "agent_principal_id": agent_pid, "owner_type": "user", "owner_id": owner,
                   "reason": "Matched rule rule-5", "obligations": [],
                   "policy_id": "c1179072-dc80-449b-8d31-022efe7c4497",
                   "policy_ids": ["c1179072-dc80-449b-8d31-022efe7c4497"], "trace": {"rules": rules}}),
        )
        .principal(agent_pid)
        .action(&action_id)
        .decision(&decision_id),
    ]
}

/// Fills `dd` up to `n` events (in batches, fsync off) unless it already has them.
fn fill(dd: &DataDir, n: u64) {
    let have = std::fs::metadata(dd.audit_log_path()).map_or(0, |m| m.len());
    if have > 0 {
        let r = openleash::audit::verify(dd).unwrap();
        assert!(
            r.ok && r.events == n,
            "existing log is not {n} intact events"
        );
        return;
    }
    let start = Instant::now();
    let mut written = 0u64;
    while written < n {
        let mut batch = Vec::with_capacity(30_000);
        while batch.len() < 30_000 && written + (batch.len() as u64) < n {
            let i = written + batch.len() as u64;
            let evs = decision_events(i / 3);
            batch.push(evs.into_iter().nth((i % 3) as usize).unwrap());
        }
        written += batch.len() as u64;
        dd.append_audit(batch).unwrap();
    }
    let bytes = std::fs::metadata(dd.audit_log_path()).unwrap().len();
    eprintln!(
        "built {n} events, {bytes} bytes ({} bytes/event) in {:.1?}",
        bytes / n,
        start.elapsed()
    );
}

fn bench_verify(c: &mut Criterion) {
    // `cargo test --all-targets` runs benchmarks once as a smoke test (no `--bench` argument):
    // a small log keeps that quick.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: u64 = std::env::var("OPENLEASH_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 1_000_000 } else { 1_000 });
    let tmp = tempfile::tempdir().unwrap();
    let root: PathBuf = std::env::var_os("OPENLEASH_BENCH_KEEP")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("data"));
    // Built on first use, so filtering to other benchmarks does not pay for it.
    let log = std::cell::OnceCell::new();
    let dd = || {
        log.get_or_init(|| {
            let dd = if root.join("keys").join("active").is_file() {
                DataDir::open(&root).unwrap()
            } else {
                make_data_dir(&root, false)
            };
            fill(&dd, n);
            dd
        })
    };

    let mut g = c.benchmark_group("audit_verify");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function(format!("library_{n}_events"), |b| {
        let dd = dd();
        b.iter(|| {
            let r = openleash::audit::verify(dd).unwrap();
            assert!(r.ok);
        })
    });
    g.bench_function(format!("cli_process_{n}_events"), |b| {
        dd();
        b.iter(|| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_openleash"))
                .arg("--data-dir")
                .arg(&root)
                .args(["-q", "audit", "verify"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
        })
    });
    g.finish();
}

fn bench_append(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("audit_append");
    g.sample_size(30);
    for fsync in [false, true] {
        let dd = make_data_dir(&tmp.path().join(format!("fsync-{fsync}")), fsync);
        let mut i = 0;
        g.bench_function(
            format!(
                "one_decision_3_events_fsync_{}",
                if fsync { "always" } else { "never" }
            ),
            |b| {
                b.iter(|| {
                    i += 1;
                    dd.append_audit(decision_events(i)).unwrap();
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench_verify, bench_append);
criterion_main!(benches);
