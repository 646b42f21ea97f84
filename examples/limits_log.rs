//! Writes a large audit log of earlier limited decisions, for the limits benchmark
//! (BENCHMARKS.md, "authorize with limits"): `N` `DECISION_CREATED` events whose
//! `limits_consumed` records are spread over the last 30 days across `AGENTS` agents (the first
//! is `my-agent`), for the rule `capped` of `scripts/bench-limits` (24h amount per agent, 7d
//! count per agent and merchant). The lines go through the real appender in large batches, so
//! the chain and the signed head are valid and `audit verify` passes.
//!
//! ```text
//! cargo run --release --example limits_log -- DATA_DIR [N=1000000] [AGENTS=1000]
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::audit::NewEvent;
use openleash::policy::limits::format_ms;
use openleash::store::DataDir;
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: limits_log DATA_DIR [N] [AGENTS]");
    let n: u64 = args.next().map_or(1_000_000, |s| s.parse().unwrap());
    let agents: u64 = args.next().map_or(1000, |s| s.parse().unwrap());
    let dd = DataDir::open(&dir).unwrap();
    let now = openleash::policy::limits::ms_of(&openleash::timefmt::now_string()).unwrap();
    let span: i64 = 30 * 86_400_000;
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(20_000);
        let events: Vec<NewEvent> = (done..done + batch)
            .map(|i| {
                let agent = if i % agents == 0 {
                    "my-agent".to_string()
                } else {
                    format!("agent-{}", i % agents)
                };
                // Oldest first, so the log's order matches the decision times.
                let at = format_ms(now - span + (i as i64) * (span / n as i64));
                let merchant = format!("shop{}.example.com", i % 7);
                NewEvent::new(
                    "DECISION_CREATED",
                    json!({
                        "decision_id": format!("{i:032x}"),
                        "result": "ALLOW",
                        "matched_rule_id": "capped",
                        "action_type": "purchase",
                        "agent_id": agent,
                        "reason": "Allowed by rule \"capped\"",
                        "obligations": [],
                        "limits_consumed": [
                            {"rule_id": "capped", "key": json!(["capped", {"agent": agent}]).to_string(), "at": at, "amount_minor": 5000, "currency": "USD"},
                            {"rule_id": "capped", "key": json!(["capped", {"agent": agent, "merchant_domain": merchant}]).to_string(), "at": at, "amount_minor": 5000, "currency": "USD"},
                        ],
                    }),
                )
            })
            .collect();
        let lock = dd.lock().unwrap();
        dd.append_audit_locked(&lock, events).unwrap();
        drop(lock);
        done += batch;
    }
    eprintln!(
        "wrote {n} decisions for {agents} agents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
