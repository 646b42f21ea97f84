//! Fills an `openleash init`ed data directory for `scripts/bench-scale full` (issue 18, item 6):
//! OWNERS owners, AGENTS agents, POLICIES policies, APPROVALS pending approval requests and a
//! log of EVENTS audit events in total, written by the code the CLI and the server run, in this
//! one process (one process per record would take hours at 100,000 of each):
//!
//! - owners, agents and policies: `openleash owner add`, `agent add --public-key` and
//!   `policy upsert --owner --agent`, each parsed by the CLI's own parser and run by its own
//!   dispatcher, so every file and index those commands write (and their audit events) is there;
//! - approvals: the authorize handler decides a purchase its policy sends to a human
//!   (REQUIRE_APPROVAL) and the approval handler turns that decision into a pending request, as
//!   `openleash authorize --request-approval` and `POST /v1/agent/approval-requests` do;
//! - the rest of the log: AUTHORIZE_CALLED / DECISION_CREATED pairs shaped as the authorize path
//!   writes them, for the generated agents and their owners, through the real appender in
//!   batches of 20,000, so the chain hashes are real and the signed head covers the last line
//!   (`openleash audit verify` passes).
//!
//! The mix: owner 0 is `init`'s owner (with `my-agent`); it owns every tenth agent, so one owner
//! has 10 % of everything (the "big owner" whose pages are measured) and the others share the
//! rest. Each owner gets up to two owner-wide policies; every other policy is bound to one agent
//! (round robin, so agent-bound policies ≈ agents). Approvals go one per agent that has an
//! agent-bound policy, round robin.
//!
//! ```text
//! openleash --data-dir DIR init -q --agent-id my-agent
//! cargo run --release --example scale_data -- DIR MANIFEST OWNERS AGENTS POLICIES APPROVALS EVENTS
//! ```
//!
//! `scale_data DIR MANIFEST --top-up EVENTS` only fills the log of a directory this program made
//! (MANIFEST names its owners and agents) up to EVENTS, for a larger log on the same records.
//!
//! MANIFEST receives JSON with the ids the benchmark needs. Progress goes to stderr; the commands'
//! own output (JSON) to stdout, which the script discards. Run it under `eatmydata` to skip
//! fsync while generating (the bytes written are the same).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use openleash::action::ValidatedAction;
use openleash::audit::NewEvent;
use openleash::commands::{Ctx, dispatch};
use openleash::handlers::approvals::{self, CreateApprovalRequest};
use openleash::handlers::authorize::authorize_with;
use openleash::output::{ColorChoice, Output};
use openleash::policy::engine::DecisionResult;
use openleash::store::DataDir;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bound to one agent: small purchases allowed, large ones need a human.
const AGENT_POLICY: &str = "version: 1\ndefault: passthrough\nrules:\n  - id: small\n    effect: allow\n    action: purchase\n    constraints:\n      amount_max: 50000\n  - id: ask\n    effect: allow\n    action: purchase\n    constraints:\n      amount_min: 50001\n    obligations:\n      - type: HUMAN_APPROVAL\n        params:\n          reason: Large purchase\n";
/// Owner-wide: no gifts.
const OWNER_POLICY: &str = "version: 1\ndefault: passthrough\nrules:\n  - id: no-gifts\n    effect: deny\n    action: gift\n";

struct Cli {
    ctx: Ctx,
    data: PathBuf,
}

impl Cli {
    /// Runs one `openleash --data-dir DIR --json ARGS…` in this process.
    fn run(&self, args: &[&str]) {
        let mut argv = vec![
            "openleash",
            "--data-dir",
            self.data.to_str().unwrap(),
            "--json",
        ];
        argv.extend_from_slice(args);
        let cli = <openleash::cli::Cli as clap::Parser>::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        match dispatch(cli.command, &self.ctx) {
            Ok(0) => {}
            Ok(code) => panic!("{argv:?} exited {code}"),
            Err(e) => panic!("{argv:?}: {} ({:?})", e.message, e.code),
        }
    }
}

/// A line on stderr each time `done` (which just grew by `step`) crosses a tenth of `total`.
fn progress(what: &str, done: usize, step: usize, total: usize, started: Instant) {
    if done * 10 / total.max(1) != (done - step) * 10 / total.max(1) {
        eprintln!("  {what}: {done}/{total} ({:.1?})", started.elapsed());
    }
}

fn owner_of(agent: usize, owners: usize) -> usize {
    if agent.is_multiple_of(10) || owners == 1 {
        0
    } else {
        1 + agent % (owners - 1)
    }
}

fn agent_name(i: usize) -> String {
    if i == 0 {
        "my-agent".into()
    } else {
        format!("a-{i:07}")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 4 && args[2] == "--top-up" {
        return top_up(&args[0], &args[1], args[3].parse().expect("EVENTS"));
    }
    let usage = "usage: scale_data DATA_DIR MANIFEST OWNERS AGENTS POLICIES APPROVALS EVENTS";
    assert_eq!(args.len(), 7, "{usage}");
    let data = PathBuf::from(&args[0]);
    let manifest = PathBuf::from(&args[1]);
    let n: Vec<usize> = args[2..].iter().map(|s| s.parse().expect(usage)).collect();
    let (owners, agents, policies, approvals, events) =
        (n[0].max(1), n[1].max(1), n[2], n[3], n[4]);
    let dd = DataDir::open(&data).unwrap();
    let cli = Cli {
        ctx: Ctx {
            // --json: the same writes, without the human notes (a created owner-wide policy's
            // note reads every agent of its owner).
            out: Output::new(true, true, false, ColorChoice::Never),
            data_dir: data.clone(),
        },
        data: data.clone(),
    };
    let started = Instant::now();

    // Owners: init made owner 0.
    let first_owner = dd.owners().unwrap()[0].owner_id.clone();
    for i in 1..owners {
        cli.run(&["owner", "add", "--name", &format!("Owner {i}")]);
        progress("owners", i + 1, 1, owners, started);
    }
    let mut owner_ids: Vec<String> = dd
        .owners()
        .unwrap()
        .into_iter()
        .map(|o| o.owner_id)
        .filter(|o| *o != first_owner)
        .collect();
    owner_ids.sort();
    owner_ids.insert(0, first_owner);
    assert_eq!(
        owner_ids.len(),
        owners,
        "the data directory had other owners"
    );

    // Agents: init made agent 0 (`my-agent`). Generated agents share one public key (their
    // private keys are never needed: the benchmark decides as `my-agent`).
    let me = dd.agent("my-agent").unwrap();
    for i in 1..agents {
        let owner = &owner_ids[owner_of(i, owners)];
        cli.run(&[
            "agent",
            "add",
            "--agent-id",
            &agent_name(i),
            "--owner",
            owner,
            "--public-key",
            &me.public_key_b64,
        ]);
        progress("agents", i + 1, 1, agents, started);
    }

    // Policies: init made one; up to two owner-wide per owner, the rest one per agent.
    let tmp = std::env::temp_dir().join(format!("scale_data-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let (agent_file, owner_file) = (tmp.join("agent.yaml"), tmp.join("owner.yaml"));
    std::fs::write(&agent_file, AGENT_POLICY).unwrap();
    std::fs::write(&owner_file, OWNER_POLICY).unwrap();
    let extra = policies.saturating_sub(1);
    let owner_wide = (2 * owners).min(extra / 2);
    let agent_bound = extra - owner_wide;
    for i in 0..owner_wide {
        cli.run(&[
            "policy",
            "upsert",
            "--file",
            owner_file.to_str().unwrap(),
            "--owner",
            &owner_ids[i % owners],
            "--name",
            &format!("owner-wide {i}"),
        ]);
        progress("owner-wide policies", i + 1, 1, owner_wide, started);
    }
    for i in 0..agent_bound {
        let a = i % agents;
        cli.run(&[
            "policy",
            "upsert",
            "--file",
            agent_file.to_str().unwrap(),
            "--owner",
            &owner_ids[owner_of(a, owners)],
            "--agent",
            &agent_name(a),
            "--name",
            &format!("agent {a}"),
        ]);
        progress("agent-bound policies", i + 1, 1, agent_bound, started);
    }
    std::fs::remove_dir_all(&tmp).unwrap();

    // Approvals: a REQUIRE_APPROVAL decision, then its request.
    let config = dd.config().unwrap();
    let with_policy = agent_bound.min(agents).max(1);
    for i in 0..approvals {
        let agent = dd.agent(&agent_name(i % with_policy)).unwrap();
        let action = json!({
            "action_id": openleash::ids::new_id(),
            "action_type": "purchase",
            "requested_at": openleash::timefmt::now_string(),
            "principal": {"agent_id": agent.agent_id},
            "subject": {"principal_id": agent.owner_id},
            "payload": {"amount_minor": 60_000 + i, "currency": "USD", "merchant_domain": "shop.example.com"},
        });
        let validated = ValidatedAction::from_value(action.clone()).unwrap();
        let decision = authorize_with(&dd, &config, &agent, &validated, None).unwrap();
        assert_eq!(
            decision.result,
            DecisionResult::RequireApproval,
            "agent {}",
            agent.agent_id
        );
        approvals::create(
            &dd,
            &config,
            &agent,
            CreateApprovalRequest {
                decision_id: decision.decision_id,
                action,
                justification: Some("benchmark".into()),
                context: None,
            },
        )
        .unwrap();
        progress("approvals", i + 1, 1, approvals, started);
    }

    // The rest of the log, up to EVENTS lines.
    let total = fill_log(&dd, &data, &owner_ids, agents, events, started);

    let head = dd.agent("my-agent").unwrap();
    let small_owner = owner_ids.last().unwrap().clone();
    std::fs::write(
        &manifest,
        serde_json::to_string_pretty(&json!({
            "owners": owners,
            "agents": agents,
            "policies": policies,
            "owner_wide_policies": owner_wide,
            "agent_bound_policies": agent_bound,
            "approvals": approvals,
            "events": total,
            "owner_ids": owner_ids,
            "big_owner": owner_ids[0],
            "small_owner": small_owner,
            "agent": head.agent_id,
            "generated_in_seconds": started.elapsed().as_secs_f64(),
        }))
        .unwrap(),
    )
    .unwrap();
    eprintln!("generated in {:.1?}", started.elapsed());
}

/// Appends decision pairs until the log has `events` lines; returns its line count.
fn fill_log(
    dd: &DataDir,
    data: &Path,
    owner_ids: &[String],
    agents: usize,
    events: usize,
    started: Instant,
) -> usize {
    let log_lines = count_lines(&data.join("audit.log.jsonl"));
    let missing = events.saturating_sub(log_lines);
    let principals: Vec<String> = (0..agents)
        .map(|i| dd.agent(&agent_name(i)).unwrap().agent_principal_id)
        .collect();
    let policy_id = "00000000-0000-4000-9000-000000000000";
    // Pair numbers start past anything an earlier fill of this log used, so ids stay unique.
    let base = log_lines;
    let mut written = 0;
    while written < missing {
        let batch = (missing - written).min(20_000);
        let mut out = Vec::with_capacity(batch);
        for k in written..written + batch {
            let pair = base + k / 2;
            // Spread over every agent, so owner 0 has 10 % of the pairs.
            let a = (pair * 7919) % principals.len();
            out.push(decision_event(
                k % 2 == 1,
                pair,
                &agent_name(a),
                &principals[a],
                &owner_ids[owner_of(a, owner_ids.len())],
                policy_id,
            ));
        }
        dd.append_audit(out).unwrap();
        written += batch;
        progress("audit events", written, batch, missing, started);
    }
    log_lines + missing
}

fn top_up(data: &str, manifest: &str, events: usize) {
    let started = Instant::now();
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    let owner_ids: Vec<String> = serde_json::from_value(m["owner_ids"].clone()).unwrap();
    let agents = m["agents"].as_u64().unwrap() as usize;
    let dd = DataDir::open(data).unwrap();
    let total = fill_log(&dd, Path::new(data), &owner_ids, agents, events, started);
    m["events"] = json!(total);
    std::fs::write(manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    eprintln!("log filled to {total} events in {:.1?}", started.elapsed());
}

fn count_lines(p: &Path) -> usize {
    use std::io::Read;
    let mut f = std::fs::File::open(p).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0;
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            return lines;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
}

/// One event of a decision pair as the authorize path writes it: AUTHORIZE_CALLED first,
/// DECISION_CREATED second.
fn decision_event(
    second: bool,
    i: usize,
    agent: &str,
    principal: &str,
    owner: &str,
    policy_id: &str,
) -> NewEvent {
    let action_id = format!("{:08x}-0000-4000-8000-{:012x}", i >> 48, i);
    let decision_id = format!("{:08x}-1111-4000-8000-{:012x}", i >> 48, i);
    let amount = (i * 7919) % 60_000;
    if !second {
        let at = openleash::timefmt::now_string();
        return NewEvent::new(
            "AUTHORIZE_CALLED",
            json!({
                "agent_id": agent,
                "agent_principal_id": principal,
                "owner_type": "user",
                "owner_id": owner,
                "action_type": "purchase",
                "action_id": action_id,
                "payload": {"amount_minor": amount, "currency": "USD", "merchant_domain": format!("shop{}.example.com", i % 7)},
                "subject_principal_id": owner,
                "relying_party_domain": null,
                "trust_profile": null,
                "requested_at": at,
                "action_requested_at": at,
                "relying_party": null,
            }),
        )
        .principal(principal)
        .action(&action_id);
    }
    let (result, rule) = if amount <= 50_000 {
        ("ALLOW", "small")
    } else {
        ("REQUIRE_APPROVAL", "ask")
    };
    NewEvent::new(
        "DECISION_CREATED",
        json!({
            "decision_id": decision_id,
            "result": result,
            "matched_rule_id": rule,
            "action_hash": format!("{:064x}", i),
            "action_type": "purchase",
            "agent_id": agent,
            "agent_principal_id": principal,
            "owner_type": "user",
            "owner_id": owner,
            "reason": format!("Allowed by rule \"{rule}\""),
            "obligations": [],
            "policy_id": policy_id,
            "policy_ids": [policy_id],
            "policy_set_hash": format!("{:064x}", 1),
            "trace": {"rules": [
                {"rule_id": "small", "pattern_match": true, "when_match": true, "constraints_match": amount <= 50_000, "final_match": amount <= 50_000},
                {"rule_id": "ask", "pattern_match": true, "when_match": true, "constraints_match": true, "final_match": amount > 50_000},
            ]},
        }),
    )
    .principal(principal)
    .decision(&decision_id)
    .action(&action_id)
}
