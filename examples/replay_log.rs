//! Writes a large audit log of recorded decisions for the `policy replay` benchmark
//! (BENCHMARKS.md, "policy replay"): `N` decisions, each an `AUTHORIZE_CALLED` and a
//! `DECISION_CREATED` shaped as the authorize path writes them (payload, policy chain, trace,
//! policy_set_hash), spread over the last 30 days across `AGENTS` agents and decided by the
//! stored policy `POLICY_ID`. The lines go through the real appender in large batches, so the
//! chain and the signed head are valid.
//!
//! ```text
//! cargo run --release --example replay_log -- DATA_DIR POLICY_ID [N=1000000] [AGENTS=100]
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::audit::NewEvent;
use openleash::policy::limits::format_ms;
use openleash::store::DataDir;
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: replay_log DATA_DIR POLICY_ID [N] [AGENTS]";
    let dir = args.next().expect(usage);
    let policy_id = args.next().expect(usage);
    let n: u64 = args.next().map_or(1_000_000, |s| s.parse().unwrap());
    let agents: u64 = args.next().map_or(100, |s| s.parse().unwrap());
    let dd = DataDir::open(&dir).unwrap();
    let owner = dd.owners().unwrap().first().unwrap().owner_id.clone();
    let now = openleash::policy::limits::ms_of(&openleash::timefmt::now_string()).unwrap();
    let span: i64 = 30 * 86_400_000;
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(20_000);
        let mut events = Vec::with_capacity(2 * batch as usize);
        for i in done..done + batch {
            let agent = format!("agent-{}", i % agents);
            let at = format_ms(now - span + (i as i64) * (span / n as i64));
            let amount = (i * 7919) % 12_000;
            let (result, rule) = if amount <= 5000 {
                ("ALLOW", "small")
            } else {
                ("REQUIRE_APPROVAL", "ask")
            };
            let action_id = format!("{:08x}-0000-4000-8000-{:012x}", i >> 48, i);
            let decision_id = format!("{:08x}-1111-4000-8000-{:012x}", i >> 48, i);
            events.push(
                NewEvent::new(
                    "AUTHORIZE_CALLED",
                    json!({
                        "agent_id": agent,
                        "agent_principal_id": format!("00000000-0000-4000-8000-{:012x}", i % agents),
                        "owner_type": "user",
                        "owner_id": owner,
                        "action_type": "purchase",
                        "action_id": action_id,
                        "payload": {"amount_minor": amount, "currency": if i % 3 == 0 { "EUR" } else { "USD" }, "merchant_domain": format!("shop{}.example.com", i % 7)},
                        "subject_principal_id": owner,
                        "relying_party_domain": null,
                        "trust_profile": null,
                        "requested_at": at,
                        "action_requested_at": at,
                        "relying_party": null,
                    }),
                )
                .action(&action_id),
            );
            events.push(
                NewEvent::new(
                    "DECISION_CREATED",
                    json!({
                        "decision_id": decision_id,
                        "result": result,
                        "matched_rule_id": rule,
                        "action_hash": format!("{:064x}", i),
                        "action_type": "purchase",
                        "agent_id": agent,
                        "agent_principal_id": format!("00000000-0000-4000-8000-{:012x}", i % agents),
                        "owner_type": "user",
                        "owner_id": owner,
                        "reason": format!("Allowed by rule \"{rule}\""),
                        "obligations": [],
                        "policy_id": policy_id,
                        "policy_ids": [policy_id],
                        "policy_set_hash": format!("{:064x}", 1),
                        "trace": {"rules": [
                            {"rule_id": "small", "pattern_match": true, "when_match": true, "constraints_match": amount <= 5000, "final_match": amount <= 5000},
                            {"rule_id": "ask", "pattern_match": true, "when_match": true, "constraints_match": true, "final_match": true},
                        ]},
                    }),
                )
                .decision(&decision_id)
                .action(&action_id),
            );
        }
        dd.append_audit(events).unwrap();
        done += batch;
    }
    eprintln!(
        "wrote {n} decisions ({} events) in {:.1?}",
        2 * n,
        started.elapsed()
    );
}
