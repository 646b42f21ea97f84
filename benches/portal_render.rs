//! Portal page renders (issue 14 "Performance"): the dashboard and the approvals inbox of an owner
//! with 10,000 audit events and 1,000 pending approvals, rendered in-process through
//! `portal::serve` exactly as the server calls it (session check, handlers, template). The target
//! is ≤ 20 ms per page. `cargo bench --bench portal_render` prints median and p95 of 40 renders
//! each; under `cargo test` it runs a few renders on a small data dir.

// A benchmark that cannot set up its data should stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::audit::NewEvent;
use openleash::server::state::{AppState, Limits};
use openleash::store::{DataDir, Txn};
use serde_json::json;
use std::time::Instant;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (events, pending, runs) = if bench {
        (10_000, 1_000, 40)
    } else {
        (200, 20, 2)
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let pass = tmp.path().join("pass.txt");
    std::fs::write(&pass, "correct horse battery").unwrap();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_openleash"))
        .arg("--data-dir")
        .arg(&data)
        .args(["-q", "init", "--owner-name", "Alice", "--passphrase-file"])
        .arg(&pass)
        .arg("--output-env")
        .arg(tmp.path().join("agent.env"))
        .env("OPENLEASH_USER_CONFIG", "")
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::write(data.join("config.yaml"), "audit:\n  fsync: never\n").unwrap();
    let dd = DataDir::open(&data).unwrap();
    let owner = dd.owners().unwrap().remove(0);
    let agent = dd.agents().unwrap().remove(0);

    // Audit events of the owner's agent: decisions of the last hours.
    let mut batch = Vec::new();
    for i in 0..events {
        let result = ["ALLOW", "DENY", "REQUIRE_APPROVAL"][i % 3];
        batch.push(
            NewEvent::new(
                "DECISION_CREATED",
                json!({"agent_id": agent.agent_id, "agent_principal_id": agent.agent_principal_id,
                       "owner_id": owner.owner_id, "action_type": "purchase", "result": result,
                       "matched_rule_id": "purchase_small_allow", "reason": "Matched rule"}),
            )
            .principal(&agent.agent_principal_id),
        );
        if batch.len() == 500 {
            dd.append_audit(std::mem::take(&mut batch)).unwrap();
        }
    }
    if !batch.is_empty() {
        dd.append_audit(batch).unwrap();
    }
    // Pending approval requests.
    let now = openleash::timefmt::now();
    let mut txn = Txn::default();
    for i in 0..pending {
        let r: openleash::store::approvals::ApprovalRequest = serde_json::from_value(json!({
            "approval_request_id": openleash::ids::new_id(),
            "decision_id": openleash::ids::new_id(),
            "agent_principal_id": agent.agent_principal_id,
            "agent_id": agent.agent_id,
            "owner_type": "user",
            "owner_id": owner.owner_id,
            "action_type": "purchase",
            "action_hash": "00",
            "action": {"action_type": "purchase", "payload": {"amount_minor": 60_000 + i, "currency": "USD", "merchant_domain": "shop.example"}},
            "justification": format!("order {i}"),
            "status": "PENDING",
            "created_at": openleash::timefmt::format(now),
            "expires_at": openleash::timefmt::format(openleash::timefmt::plus_seconds(now, 3600 + i as i64)),
            "matched_rule_id": "purchase_large_approval",
        }))
        .unwrap();
        dd.stage_approval_request(&mut txn, &r).unwrap();
    }
    txn.commit().unwrap();

    let state = AppState::new(dd, "127.0.0.1:8787".parse().unwrap(), Limits::default());
    let config = state.config().unwrap();
    let login = openleash::handlers::owner::login(
        &state.dd,
        &config,
        &state.login_throttle,
        None,
        "Alice",
        "correct horse battery",
    )
    .unwrap();
    let cookie = format!("openleash_session={}", login["token"].as_str().unwrap());
    let headers = [tiny_http::Header::from_bytes(&b"Cookie"[..], cookie.as_bytes()).unwrap()];
    println!(
        "portal render: {events} audit events, {pending} pending approvals, {runs} renders per page"
    );
    for path in [
        "/gui/dashboard",
        "/gui/approvals",
        "/gui/approvals?page=40",
        "/gui/audit",
    ] {
        let (p, q) = path
            .split_once('?')
            .map_or((path, None), |(p, q)| (p, Some(q)));
        let req = openleash::portal::Request {
            method: "GET",
            path: p,
            query: q,
            headers: &headers,
            body: b"",
            peer: Some("127.0.0.1:40000".parse().unwrap()),
        };
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let reply = openleash::portal::serve(&state, &req);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(reply.status, 200, "{path}");
            size = reply.body.len();
        }
        times.sort_by(f64::total_cmp);
        let med = times[times.len() / 2];
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        println!("  {path:<26} median {med:6.2} ms   p95 {p95:6.2} ms   {size} bytes");
    }
}
