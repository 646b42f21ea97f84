//! Policy evaluation benchmarks (SPEC §12: 100-rule policy, no match until the last rule,
//! p50 ≤ 5 µs, p99 ≤ 20 µs). Criterion reports the mean/median; a plain timing loop afterwards
//! prints p50/p99 per call, which criterion does not. Run: `cargo bench --bench policy_eval`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, black_box};
use openleash::policy::limits::{Entry, History, LimitCx, counter_key, ms_of};
use openleash::policy::{CompiledPolicy, check_policy, evaluate, evaluate_with};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// 99 rules whose action pattern matches but whose conditions fail (so every `when` and
/// constraint is evaluated), then one unconditional rule that matches.
fn hundred_rules() -> CompiledPolicy {
    let mut src = String::from("version: 1\ndefault: deny\nrules:\n");
    for i in 0..99 {
        src.push_str(&format!(
            "  - id: rule_{i}\n    effect: allow\n    action: purchase.*\n    when:\n      all:\n        - match: {{path: $.payload.category, op: eq, value: category_{i}}}\n        - match: {{path: $.payload.merchant_domain, op: regex, value: '^shop{i}\\.example\\.com$'}}\n    constraints: {{amount_max: {}, currency: [EUR]}}\n",
            1000 + i
        ));
    }
    src.push_str(
        "  - id: last\n    effect: allow\n    action: purchase\n    proof: {required: true}\n",
    );
    check_policy("bench.yaml", src.as_bytes())
        .policy
        .expect("bench policy compiles")
}

fn profile() -> CompiledPolicy {
    check_policy("balanced.yaml", openleash::profiles::BALANCED.as_bytes())
        .policy
        .expect("profile compiles")
}

fn purchase() -> Value {
    json!({
        "action_id": "a0000000-0000-4000-8000-000000000001",
        "action_type": "purchase",
        "requested_at": "2025-01-15T10:30:00.000Z",
        "principal": {"agent_id": "my-agent"},
        "subject": {"principal_id": "b0000000-0000-4000-8000-000000000001"},
        "relying_party": {"domain": "shop.example.com", "trust_profile": "LOW"},
        "payload": {"amount_minor": 5000, "currency": "USD", "merchant_domain": "shop.example.com", "category": "groceries"}
    })
}

fn healthcare() -> Value {
    json!({
        "action_id": "a0000000-0000-4000-8000-000000000004",
        "action_type": "appointment.book",
        "requested_at": "2025-01-15T10:30:00.000Z",
        "principal": {"agent_id": "my-agent"},
        "subject": {"principal_id": "b0000000-0000-4000-8000-000000000001"},
        "relying_party": {"domain": "clinic.example.com", "trust_profile": "HIGH"},
        "payload": {"category": "healthcare", "assurance_level": "LOW"}
    })
}

/// A rule with two limits (24h amount per agent, 7d count per agent and merchant) and the
/// history a busy agent leaves: 1,000 earlier decisions per counter over 30 days.
fn limited() -> (CompiledPolicy, History<'static>, i64) {
    let p = check_policy(
        "limits.yaml",
        b"version: 1\ndefault: deny\nrules:\n  - id: capped\n    effect: allow\n    action: purchase\n    limits:\n      - { window: 24h, max_amount_minor: 100000000, per: agent }\n      - { window: 7d, max_count: 100000, per: [agent, merchant_domain] }\n",
    )
    .policy
    .expect("limits policy compiles");
    let now = ms_of("2025-01-15T10:30:00.000Z").unwrap();
    let mut h = History::default();
    for limit in &p.rules[0].limits {
        let key = counter_key("capped", &limit.per, &purchase(), None).unwrap();
        for i in 0..1000u64 {
            h.push(
                key.clone(),
                Entry {
                    seq: i + 1,
                    at_ms: now - (i as i64) * 2_592_000,
                    amount_minor: Some(5000),
                    currency: Some("USD".into()),
                },
            );
        }
    }
    (p, h, now)
}

fn percentiles(name: &str, mut f: impl FnMut()) {
    const N: usize = 200_000;
    for _ in 0..10_000 {
        f();
    }
    let mut times: Vec<Duration> = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{name}: p50 {:.2} µs, p99 {:.2} µs, p99.9 {:.2} µs ({N} calls, Instant overhead included)",
        times[N / 2].as_secs_f64() * 1e6,
        times[N * 99 / 100].as_secs_f64() * 1e6,
        times[N * 999 / 1000].as_secs_f64() * 1e6,
    );
}

/// An org with 1,000 agents and 100 policy groups (10 agents each, one group policy each) and an
/// owner-wide policy; `grouped` is in two groups, `plain` in none, `solo` belongs to an owner
/// whose data directory has no groups at all. The group tier's cost per decision is what
/// `resolve_for_agent` of `grouped` and `plain` costs beyond `solo`'s.
struct Groups {
    _tmp: tempfile::TempDir,
    dd: openleash::store::DataDir,
    grouped: openleash::store::agents::Agent,
    plain: openleash::store::agents::Agent,
    /// In no group, with two policies of its own: the same three layers as `grouped`.
    own: openleash::store::agents::Agent,
}

fn groups_fixture() -> Groups {
    use openleash::handlers::{policies, policy_groups as pg};
    use openleash::store::agents::Agent;
    use openleash::store::owners::{Owner, OwnerType};
    let tmp = tempfile::tempdir().unwrap();
    let dd = openleash::store::DataDir::at(tmp.path().join("data"));
    for d in openleash::store::SUBDIRS {
        std::fs::create_dir_all(dd.path(d)).unwrap();
    }
    std::fs::write(dd.config_path(), "audit:\n  fsync: never\n").unwrap();
    let key = openleash::keys::ServerKey::generate();
    let mut txn = openleash::store::Txn::default();
    dd.stage_new_active_key(&mut txn, &key).unwrap();
    txn.commit().unwrap();
    let dd = openleash::store::DataDir::open(dd.root()).unwrap();
    let org = Owner::new(OwnerType::Org, "Acme");
    let mut txn = openleash::store::Txn::default();
    dd.stage_owner(&mut txn, &org).unwrap();
    txn.commit().unwrap();
    let mut agents = Vec::new();
    for i in 0..1000 {
        let a = Agent::new(&format!("a{i}"), &org, "AAAA".into());
        dd.register_agent(&a, |_| Ok(())).unwrap();
        agents.push(a);
    }
    let text = openleash::profiles::BALANCED;
    for g in 0..100 {
        let group = pg::create(
            &dd,
            &org,
            pg::NewGroup {
                name: format!("g{g}"),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        let gid = group["group_id"].as_str().unwrap().to_string();
        for a in &agents[g * 10..g * 10 + 10] {
            pg::add_agent(&dd, &org.owner_id, &gid, &a.agent_principal_id, None).unwrap();
        }
        if g == 99 {
            // `grouped` (a0) is in group 0 and in this one too.
            pg::add_agent(
                &dd,
                &org.owner_id,
                &gid,
                &agents[0].agent_principal_id,
                None,
            )
            .unwrap();
        }
        pg::create_group_policy(&dd, &org, text, &gid, None, None).unwrap();
    }
    let plain = Agent::new("plain", &org, "AAAA".into());
    dd.register_agent(&plain, |_| Ok(())).unwrap();
    let p = policies::NewPolicy {
        policy_id: None,
        owner_type: org.owner_type,
        owner_id: org.owner_id.clone(),
        agent_principal_id: None,
        name: None,
        description: None,
        rank: None,
        text: text.to_string(),
    };
    policies::create(&dd, &p).unwrap();
    let own = Agent::new("own", &org, "AAAA".into());
    dd.register_agent(&own, |_| Ok(())).unwrap();
    for _ in 0..2 {
        let mine = policies::NewPolicy {
            agent_principal_id: Some(own.agent_principal_id.clone()),
            ..p.clone()
        };
        policies::create(&dd, &mine).unwrap();
    }
    Groups {
        _tmp: tmp,
        dd,
        grouped: agents[0].clone(),
        plain,
        own,
    }
}

fn main() {
    let big = hundred_rules();
    let prof = profile();
    let (buy, doctor) = (purchase(), healthcare());
    let e = evaluate(&[&big], &buy);
    assert_eq!(e.matched_rule_id.as_deref(), Some("last"));
    assert_eq!(e.trace.len(), 100);
    assert_eq!(
        evaluate(&[&prof], &doctor).matched_rule_id.as_deref(),
        Some("appointment_healthcare")
    );

    let (lim, hist, now) = limited();
    let cx = LimitCx {
        now_ms: now,
        owner_id: None,
        history: &hist,
    };
    let e = evaluate_with(&[&lim], &buy, &cx);
    assert_eq!(e.matched_rule_id.as_deref(), Some("capped"));
    assert_eq!(e.consumed.len(), 2);

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("evaluate/two_limits_1000_entries_each", |b| {
        b.iter(|| evaluate_with(black_box(&[&lim]), black_box(&buy), black_box(&cx)))
    });
    c.bench_function("evaluate/100_rules_last_matches", |b| {
        b.iter(|| evaluate(black_box(&[&big]), black_box(&buy)))
    });
    c.bench_function("evaluate/balanced_profile_purchase", |b| {
        b.iter(|| evaluate(black_box(&[&prof]), black_box(&buy)))
    });
    c.bench_function("evaluate/balanced_profile_step_up", |b| {
        b.iter(|| evaluate(black_box(&[&prof]), black_box(&doctor)))
    });
    // Shadow cost (SPEC §18): a decision with one `mode: shadow` policy bound beside the
    // enforcing one evaluates once more, on the shadow policy alone.
    let layer = |id: &str, p: CompiledPolicy| openleash::policy::Layer {
        policy_id: id.into(),
        path: "p.yaml".into(),
        agent_principal_id: None,
        rank: 100,
        policy: std::sync::Arc::new(p),
        file_sha256: "0".repeat(64).into(),
    };
    let mut shadow_prof = profile();
    shadow_prof.shadow = true;
    let plain = openleash::policy::EffectivePolicy {
        layers: vec![layer("enforce", profile())],
        shadow: vec![],
    };
    let shadowed = openleash::policy::EffectivePolicy {
        layers: vec![layer("enforce", profile())],
        shadow: vec![layer("shadow", shadow_prof)],
    };
    assert_eq!(shadowed.shadow_results(&buy).len(), 1);
    c.bench_function("decide/balanced_profile_no_shadow", |b| {
        b.iter(|| {
            let e = plain.evaluate(black_box(&buy));
            (e, plain.shadow_results(black_box(&buy)))
        })
    });
    c.bench_function("decide/balanced_profile_one_shadow", |b| {
        b.iter(|| {
            let e = shadowed.evaluate(black_box(&buy));
            (e, shadowed.shadow_results(black_box(&buy)))
        })
    });
    c.bench_function("compile/balanced_profile", |b| {
        b.iter(|| {
            check_policy(
                "p.yaml",
                black_box(openleash::profiles::BALANCED.as_bytes()),
            )
        })
    });
    // The group tier (issue 19): resolution for an agent in two of 100 groups (1,000 agents),
    // for one in none, in the same data directory (files cached as in a running server).
    let gf = groups_fixture();
    // Index directories changed within the last 2 s are listed again on every call (their mtime
    // cannot yet tell a later change apart): measure the steady state of a server whose groups
    // and bindings did not change just now.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let chain = openleash::policy::resolve_for_agent(&gf.dd, &gf.grouped).unwrap();
    assert_eq!(chain.layers.len(), 3);
    assert_eq!(
        openleash::policy::resolve_for_agent(&gf.dd, &gf.plain)
            .unwrap()
            .layers
            .len(),
        1
    );
    c.bench_function("resolve/agent_in_2_of_100_groups", |b| {
        b.iter(|| openleash::policy::resolve_for_agent(black_box(&gf.dd), black_box(&gf.grouped)))
    });
    c.bench_function("resolve/agent_with_2_own_policies", |b| {
        b.iter(|| openleash::policy::resolve_for_agent(black_box(&gf.dd), black_box(&gf.own)))
    });
    c.bench_function("resolve/agent_in_no_group", |b| {
        b.iter(|| openleash::policy::resolve_for_agent(black_box(&gf.dd), black_box(&gf.plain)))
    });
    // What one input of a cached chain costs to revalidate: a `stat` of an index directory
    // (an agent in groups has one more per group than the same layers bound directly).
    let memberships = gf
        .dd
        .root()
        .join("agent-groups")
        .join(&gf.grouped.agent_principal_id);
    assert!(memberships.is_dir());
    c.bench_function("resolve/stat_of_one_index_directory", |b| {
        b.iter(|| std::fs::metadata(black_box(&memberships)).is_ok())
    });
    c.bench_function("resolve/group_lookup_agent_in_no_group", |b| {
        b.iter(|| {
            gf.dd
                .agent_group_ids(black_box(&gf.plain.agent_principal_id))
        })
    });
    c.final_summary();

    // `cargo test --all-targets` runs this binary without `--bench`: a smoke test only.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    percentiles("evaluate/100_rules_last_matches", || {
        black_box(evaluate(black_box(&[&big]), black_box(&buy)));
    });
    percentiles("evaluate/two_limits_1000_entries_each", || {
        black_box(evaluate_with(
            black_box(&[&lim]),
            black_box(&buy),
            black_box(&cx),
        ));
    });
    percentiles("evaluate/balanced_profile_step_up", || {
        black_box(evaluate(black_box(&[&prof]), black_box(&doctor)));
    });
}
