use super::*;
use crate::policy::check_policy;
use serde_json::json;

/// Compiles a policy from its `rules:` body (YAML flow or block) and default.
fn pol(default: &str, rules: &str) -> CompiledPolicy {
    let src = format!("version: 1\ndefault: {default}\nrules:\n{rules}");
    let c = check_policy("t.yaml", src.as_bytes());
    c.policy
        .unwrap_or_else(|| panic!("{src}\n{:#?}", c.diagnostics))
}

fn eval(p: &CompiledPolicy, action: Value) -> Evaluation {
    evaluate(&[p], &action)
}

fn act(action_type: &str, payload: Value) -> Value {
    json!({
        "action_id": "00000000-0000-4000-8000-000000000001",
        "action_type": action_type,
        "requested_at": "2024-01-15T10:30:00.000Z",
        "principal": {"agent_id": "test-agent"},
        "subject": {"principal_id": "00000000-0000-4000-8000-000000000002"},
        "payload": payload,
    })
}

/// A policy with one allow rule on `x` guarded by `when`.
fn when(expr: &str) -> CompiledPolicy {
    pol(
        "deny",
        &format!("  - id: r\n    effect: allow\n    action: x\n    when: {expr}\n"),
    )
}

fn matches(expr: &str, payload: Value) -> bool {
    eval(&when(expr), act("x", payload)).result == DecisionResult::Allow
}

#[test]
fn trace_covers_every_rule_with_null_for_unreached_stages() {
    let p = pol(
        "deny",
        "  - {id: other, effect: allow, action: y}\n  - id: guarded\n    effect: allow\n    action: x\n    when: {match: {path: $.payload.ok, op: eq, value: true}}\n  - {id: limited, effect: allow, action: x, constraints: {amount_max: 10}}\n  - {id: first, effect: deny, action: x}\n  - {id: later, effect: allow, action: '*'}\n",
    );
    let e = eval(&p, act("x", json!({"ok": false, "amount_minor": 50})));
    let t: Vec<_> = e
        .trace
        .iter()
        .map(|t| {
            (
                &*t.rule_id,
                t.pattern_match,
                t.when_match,
                t.constraints_match,
                t.final_match,
            )
        })
        .collect();
    assert_eq!(
        t,
        vec![
            ("other", false, None, None, false),
            ("guarded", true, Some(false), None, false),
            ("limited", true, Some(true), Some(false), false),
            ("first", true, Some(true), Some(true), true),
            ("later", true, Some(true), Some(true), true),
        ]
    );
    assert_eq!(e.matched_rule_id.as_deref(), Some("first"));
    assert_eq!(e.reason, "Denied by rule \"first\"");
    assert_eq!(e.matched_policy_index, Some(0));
    let wire = serde_json::to_value(&e.trace[0]).unwrap();
    assert_eq!(
        wire,
        json!({"rule_id": "other", "pattern_match": false, "when_match": null, "constraints_match": null, "final_match": false})
    );
}

#[test]
fn deny_ignores_obligations_and_requirements() {
    let p = pol(
        "allow",
        "  - id: d\n    effect: deny\n    action: x\n    obligations: [{type: HUMAN_APPROVAL}]\n    requirements: {min_assurance_level: HIGH}\n    proof: {required: true, ttl_seconds: 60}\n",
    );
    let e = eval(&p, act("x", json!({})));
    assert_eq!(e.result, DecisionResult::Deny);
    assert!(e.obligations.is_empty());
    // Proof requirement and TTL come from the matched rule whatever the result.
    assert!(e.proof_required);
    assert_eq!(e.proof_ttl_seconds, Some(60));
}

#[test]
fn allow_obligations_order_and_precedence() {
    let p = pol(
        "deny",
        "  - id: r1\n    effect: allow\n    action: x\n    obligations:\n      - {type: DEPOSIT, params: {amount_minor: 100}}\n      - {type: COUNTERPARTY_ATTESTATION}\n    requirements: {min_assurance_level: SUBSTANTIAL}\n",
    );
    let e = eval(&p, act("x", json!({})));
    let types: Vec<_> = e.obligations.iter().map(|o| o.obligation_type).collect();
    assert_eq!(
        types,
        vec![
            ObligationType::Deposit,
            ObligationType::CounterpartyAttestation,
            ObligationType::StepUpAuth
        ]
    );
    assert_eq!(e.obligations[0].details_json, json!({"amount_minor": 100}));
    assert_eq!(e.obligations[1].details_json, json!({}));
    assert_eq!(
        e.obligations[2].details_json,
        json!({"min_assurance_level": "SUBSTANTIAL"})
    );
    assert!(e.obligations.iter().all(|o| o.status == "PENDING"));
    assert_eq!(e.obligations[0].obligation_id.len(), 36);
    assert_ne!(
        e.obligations[0].obligation_id,
        e.obligations[1].obligation_id
    );
    // STEP_UP_AUTH beats DEPOSIT.
    assert_eq!(e.result, DecisionResult::RequireStepUp);
    assert_eq!(e.reason, "Rule \"r1\" requires: REQUIRE_STEP_UP");
    // With enough assurance the deposit decides.
    let e = eval(&p, act("x", json!({"assurance_level": "HIGH"})));
    assert_eq!(e.result, DecisionResult::RequireDeposit);
    assert_eq!(e.obligations.len(), 2);
    // HUMAN_APPROVAL beats everything.
    let p = pol(
        "deny",
        "  - {id: r, effect: allow, action: x, obligations: [{type: DEPOSIT}, {type: HUMAN_APPROVAL}], requirements: {min_assurance_level: HIGH}}\n",
    );
    assert_eq!(
        eval(&p, act("x", json!({}))).result,
        DecisionResult::RequireApproval
    );
    // A non-blocking obligation alone is an ALLOW that still lists it.
    let p = pol(
        "deny",
        "  - {id: r, effect: allow, action: x, obligations: [{type: COUNTERPARTY_ATTESTATION}]}\n",
    );
    let e = eval(&p, act("x", json!({})));
    assert_eq!(e.result, DecisionResult::Allow);
    assert_eq!(e.reason, "Allowed by rule \"r\"");
    assert_eq!(e.obligations.len(), 1);
}

#[test]
fn assurance_levels() {
    let p = pol(
        "deny",
        "  - {id: r, effect: allow, action: x, requirements: {min_assurance_level: SUBSTANTIAL}}\n",
    );
    let result = |payload: Value| eval(&p, act("x", payload)).result;
    assert_eq!(result(json!({})), DecisionResult::RequireStepUp);
    assert_eq!(
        result(json!({"assurance_level": "LOW"})),
        DecisionResult::RequireStepUp
    );
    assert_eq!(
        result(json!({"assurance_level": "bogus"})),
        DecisionResult::RequireStepUp
    );
    assert_eq!(
        result(json!({"assurance_level": 2})),
        DecisionResult::RequireStepUp
    );
    assert_eq!(
        result(json!({"assurance_level": "substantial"})),
        DecisionResult::RequireStepUp
    );
    assert_eq!(
        result(json!({"assurance_level": "SUBSTANTIAL"})),
        DecisionResult::Allow
    );
    assert_eq!(
        result(json!({"assurance_level": "HIGH"})),
        DecisionResult::Allow
    );
}

#[test]
fn defaults_and_their_reasons() {
    let none = |default: &str| eval(&pol(default, "  []\n"), act("x", json!({})));
    let e = none("allow");
    assert_eq!(
        (e.result, e.reason.as_str()),
        (
            DecisionResult::Allow,
            "No rule matched; default policy: allow"
        )
    );
    assert!(e.obligations.is_empty());
    assert_eq!(e.matched_rule_id, None);
    let e = none("deny");
    assert_eq!(
        (e.result, e.reason.as_str()),
        (
            DecisionResult::Deny,
            "No rule matched; default policy: deny"
        )
    );
    let e = none("require_approval");
    assert_eq!(e.result, DecisionResult::RequireApproval);
    assert_eq!(
        e.reason,
        "No rule matched; default policy: require_approval"
    );
    assert_eq!(e.obligations.len(), 1);
    assert_eq!(
        e.obligations[0].obligation_type,
        ObligationType::HumanApproval
    );
    assert_eq!(e.obligations[0].details_json, json!({}));
    let e = none("passthrough");
    assert_eq!(e.result, DecisionResult::Deny);
    assert_eq!(
        e.reason,
        "No rule matched; default policy: passthrough (no further layer \u{2014} denied)"
    );
    let e = evaluate(&[], &act("x", json!({})));
    assert_eq!(e.reason, "No rule matched; default policy: deny");
}

#[test]
fn layers_concatenate_and_take_the_first_decisive_default() {
    let specific = pol("passthrough", "  - {id: a, effect: allow, action: a}\n");
    let approve = pol("require_approval", "  - {id: b, effect: deny, action: b}\n");
    let allow = pol("allow", "  - {id: c, effect: deny, action: a}\n");
    let e = evaluate(&[&specific, &approve, &allow], &act("b", json!({})));
    assert_eq!(e.reason, "Denied by rule \"b\"");
    assert_eq!(e.matched_policy_index, Some(1));
    assert_eq!(e.trace.len(), 3);
    assert_eq!(e.trace[2].policy_index, 2);
    let e = evaluate(&[&specific, &approve, &allow], &act("z", json!({})));
    assert_eq!(e.result, DecisionResult::RequireApproval);
    // The more specific allow wins over a later deny for the same action.
    let e = evaluate(&[&specific, &allow], &act("a", json!({})));
    assert_eq!(e.result, DecisionResult::Allow);
    let e = evaluate(&[&specific, &specific], &act("z", json!({})));
    assert!(e.reason.contains("passthrough"));
}

#[test]
fn proof_requirement() {
    let p = pol(
        "deny",
        "  - {id: p, effect: allow, action: p, proof: {required: true}}\n  - {id: q, effect: allow, action: q, proof: {required: false, ttl_seconds: 30}}\n",
    );
    let with_trust = |t: &str, tp: Option<&str>| {
        let mut a = act(t, json!({}));
        if let Some(tp) = tp {
            a["relying_party"] = json!({"domain": "x.com", "trust_profile": tp});
        }
        eval(&p, a)
    };
    assert!(with_trust("p", None).proof_required);
    assert!(!with_trust("q", None).proof_required);
    assert_eq!(with_trust("q", None).proof_ttl_seconds, Some(30));
    assert_eq!(with_trust("p", None).proof_ttl_seconds, None);
    assert!(!with_trust("q", Some("LOW")).proof_required);
    assert!(!with_trust("q", Some("MEDIUM")).proof_required);
    assert!(with_trust("q", Some("HIGH")).proof_required);
    assert!(with_trust("q", Some("REGULATED")).proof_required);
    // No match: only the trust profile counts.
    assert!(with_trust("nothing", Some("REGULATED")).proof_required);
    assert!(!with_trust("nothing", None).proof_required);
}

#[test]
fn combinators() {
    assert!(matches("{all: []}", json!({})));
    assert!(!matches("{any: []}", json!({})));
    assert!(matches("{not: {any: []}}", json!({})));
    let both = "{all: [{match: {path: $.payload.a, op: exists}}, {match: {path: $.payload.b, op: exists}}]}";
    assert!(matches(both, json!({"a": 1, "b": 2})));
    assert!(!matches(both, json!({"a": 1})));
    let either = "{any: [{match: {path: $.payload.a, op: exists}}, {match: {path: $.payload.b, op: exists}}]}";
    assert!(matches(either, json!({"b": 2})));
    assert!(!matches(either, json!({})));
}

#[test]
fn eq_and_neq() {
    let eq = |v: &str| format!("{{match: {{path: $.payload.v, op: eq, value: {v}}}}}");
    assert!(matches(&eq("5000"), json!({"v": 5000})));
    assert!(matches(&eq("5000"), json!({"v": 5000.0})));
    assert!(matches(&eq("5000.0"), json!({"v": 5000})));
    assert!(!matches(&eq("'5000'"), json!({"v": 5000})));
    assert!(!matches(&eq("5000"), json!({"v": "5000"})));
    assert!(matches(&eq("true"), json!({"v": true})));
    assert!(!matches(&eq("true"), json!({"v": 1})));
    assert!(matches(&eq("hairdresser"), json!({"v": "hairdresser"})));
    assert!(!matches(&eq("hairdresser"), json!({"v": "Hairdresser"})));
    // null equals only a present null.
    assert!(matches(&eq("null"), json!({"v": null})));
    assert!(!matches(&eq("null"), json!({})));
    // Δ: arrays and objects compare by value, key order irrelevant.
    assert!(matches(&eq("[1, 2]"), json!({"v": [1, 2.0]})));
    assert!(!matches(&eq("[1, 2]"), json!({"v": [2, 1]})));
    assert!(matches(
        &eq("{a: 1, b: [x]}"),
        json!({"v": {"b": ["x"], "a": 1}})
    ));
    assert!(!matches(&eq("{a: 1}"), json!({"v": {"a": 1, "b": 2}})));
    // Without `value`: "undefined", true exactly when the path is absent.
    let bare = "{match: {path: $.payload.v, op: eq}}";
    assert!(matches(bare, json!({})));
    assert!(!matches(bare, json!({"v": null})));
    let neq = |v: &str| format!("{{match: {{path: $.payload.v, op: neq, value: {v}}}}}");
    assert!(matches(&neq("1"), json!({})));
    assert!(matches(&neq("1"), json!({"v": 2})));
    assert!(!matches(&neq("1"), json!({"v": 1.0})));
    assert!(!matches(&neq("[1]"), json!({"v": [1]})));
    assert!(!matches("{match: {path: $.payload.v, op: neq}}", json!({})));
}

#[test]
fn in_and_nin() {
    let op =
        |o: &str| format!("{{match: {{path: $.payload.v, op: {o}, value: [USD, 5, null, [1]]}}}}");
    assert!(matches(&op("in"), json!({"v": "USD"})));
    assert!(matches(&op("in"), json!({"v": 5.0})));
    assert!(matches(&op("in"), json!({"v": null})));
    assert!(!matches(&op("in"), json!({"v": "usd"})));
    assert!(!matches(&op("in"), json!({})));
    // Scalars only: an array actual never matches, even an equal element.
    assert!(!matches(&op("in"), json!({"v": [1]})));
    assert!(!matches(&op("nin"), json!({"v": "USD"})));
    assert!(matches(&op("nin"), json!({"v": "EUR"})));
    assert!(matches(&op("nin"), json!({})));
    assert!(matches(&op("nin"), json!({"v": [1]})));
}

#[test]
fn numeric_comparisons() {
    let cmp = |o: &str| format!("{{match: {{path: $.payload.v, op: {o}, value: 10}}}}");
    for (op, v, want) in [
        ("lt", json!(9), true),
        ("lt", json!(10), false),
        ("lte", json!(10), true),
        ("lte", json!(10.5), false),
        ("gt", json!(11), true),
        ("gt", json!(10), false),
        ("gte", json!(10.0), true),
        ("gte", json!(-1), false),
        ("lt", json!("5"), false),
        ("gt", json!(null), false),
        ("gt", json!(true), false),
    ] {
        assert_eq!(matches(&cmp(op), json!({"v": v})), want, "{op} {v}");
    }
    assert!(!matches(&cmp("lt"), json!({})));
    // A non-numeric value never compares (warned about at validation).
    assert!(!matches(
        "{match: {path: $.payload.v, op: lt, value: '10'}}",
        json!({"v": 5})
    ));
    assert!(matches(
        "{match: {path: $.payload.v, op: lt, value: .inf}}",
        json!({"v": 5})
    ));
}

#[test]
fn regex_and_exists() {
    let re = "{match: {path: $.payload.v, op: regex, value: '@example\\.com$'}}";
    assert!(matches(re, json!({"v": "bob@example.com"})));
    assert!(!matches(re, json!({"v": "bob@example.com.evil"})));
    assert!(!matches(re, json!({"v": 5})));
    assert!(!matches(re, json!({})));
    let digits = "{match: {path: $.payload.v, op: regex, value: '^\\d{3}$'}}";
    assert!(matches(digits, json!({"v": "123"})));
    assert!(!matches(digits, json!({"v": "١٢٣"})));
    let ex = "{match: {path: $.payload.v, op: exists}}";
    assert!(matches(ex, json!({"v": 0})));
    assert!(matches(ex, json!({"v": ""})));
    assert!(matches(ex, json!({"v": false})));
    assert!(!matches(ex, json!({"v": null})));
    assert!(!matches(ex, json!({})));
}

#[test]
fn paths_see_the_whole_action() {
    assert!(matches(
        "{match: {path: $.principal.agent_id, op: eq, value: test-agent}}",
        json!({})
    ));
    assert!(matches(
        "{match: {path: $.action_type, op: eq, value: x}}",
        json!({})
    ));
    assert!(matches(
        "{match: {path: $.payload.items.length, op: gte, value: 2}}",
        json!({"items": [1, 2]})
    ));
    assert!(matches(
        "{match: {path: '$.payload.items[1].sku', op: eq, value: b}}",
        json!({"items": [{"sku": "a"}, {"sku": "b"}]})
    ));
    assert!(matches(
        "{match: {path: '$.payload[\"foo-bar\"]', op: eq, value: 1}}",
        json!({"foo-bar": 1})
    ));
}

fn constrained(c: &str) -> CompiledPolicy {
    pol(
        "deny",
        &format!("  - {{id: c, effect: allow, action: x, constraints: {c}}}\n"),
    )
}

fn passes(p: &CompiledPolicy, action: Value) -> bool {
    eval(p, action).result == DecisionResult::Allow
}

#[test]
fn amount_constraints_are_inclusive_and_need_numbers() {
    let p = constrained("{amount_min: 100, amount_max: 200}");
    assert!(passes(&p, act("x", json!({"amount_minor": 100}))));
    assert!(passes(&p, act("x", json!({"amount_minor": 200}))));
    assert!(!passes(&p, act("x", json!({"amount_minor": 99}))));
    assert!(!passes(&p, act("x", json!({"amount_minor": 200.5}))));
    assert!(!passes(&p, act("x", json!({"amount_minor": "150"}))));
    assert!(!passes(&p, act("x", json!({}))));
    let p = constrained("{amount_max: 200}");
    assert!(passes(&p, act("x", json!({"amount_minor": -5}))));
    assert!(passes(&constrained("{}"), act("x", json!({}))));
}

#[test]
fn currency_and_domain_constraints() {
    let p = constrained("{currency: [USD, EUR]}");
    assert!(passes(&p, act("x", json!({"currency": "EUR"}))));
    assert!(!passes(&p, act("x", json!({"currency": "usd"}))));
    assert!(!passes(&p, act("x", json!({}))));
    assert!(!passes(
        &constrained("{currency: []}"),
        act("x", json!({"currency": "USD"}))
    ));

    let with_rp = |payload: Value, domain: &str| {
        let mut a = act("x", payload);
        a["relying_party"] = json!({"domain": domain});
        a
    };
    let m = constrained("{merchant_domain: [shop.com]}");
    assert!(passes(&m, act("x", json!({"merchant_domain": "shop.com"}))));
    assert!(!passes(
        &m,
        act("x", json!({"merchant_domain": "www.shop.com"}))
    ));
    assert!(passes(&m, with_rp(json!({}), "shop.com")));
    assert!(passes(
        &m,
        with_rp(json!({"merchant_domain": null}), "shop.com")
    ));
    // A present non-string does not fall back to the relying party.
    assert!(!passes(
        &m,
        with_rp(json!({"merchant_domain": 5}), "shop.com")
    ));
    // The payload wins over the relying party.
    assert!(!passes(
        &m,
        with_rp(json!({"merchant_domain": "evil.com"}), "shop.com")
    ));

    let a = constrained("{allowed_domains: [ok.com]}");
    assert!(passes(&a, act("x", json!({"domain": "ok.com"}))));
    assert!(passes(&a, with_rp(json!({}), "ok.com")));
    assert!(!passes(&a, act("x", json!({}))));
    let b = constrained("{blocked_domains: [bad.com]}");
    assert!(!passes(&b, act("x", json!({"domain": "bad.com"}))));
    assert!(!passes(&b, with_rp(json!({}), "bad.com")));
    assert!(passes(&b, act("x", json!({}))));
    assert!(passes(&b, act("x", json!({"domain": 7}))));
    // All present constraints must pass.
    let all = constrained("{amount_max: 10, currency: [USD]}");
    assert!(passes(
        &all,
        act("x", json!({"amount_minor": 5, "currency": "USD"}))
    ));
    assert!(!passes(
        &all,
        act("x", json!({"amount_minor": 5, "currency": "EUR"}))
    ));
}

#[test]
fn action_patterns_in_the_engine() {
    let p = pol(
        "deny",
        "  - {id: fam, effect: allow, action: government.*}\n",
    );
    assert!(passes(&p, act("government", json!({}))));
    assert!(passes(&p, act("government.submit.tax", json!({}))));
    assert!(!passes(&p, act("governmentx", json!({}))));
}

#[test]
fn response_json_has_upstream_key_order() {
    let e = eval(&pol("deny", "  []\n"), act("x", json!({})));
    let v = e.response_json("d", "a", "h", None, None);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "decision_id",
            "action_id",
            "action_hash",
            "result",
            "matched_rule_id",
            "reason",
            "proof_token",
            "proof_expires_at",
            "obligations"
        ]
    );
    assert_eq!(v["result"], "DENY");
    assert_eq!(v["proof_token"], Value::Null);
}

#[test]
fn decision_results_round_trip() {
    for name in DecisionResult::NAMES {
        let r = DecisionResult::parse(name).unwrap();
        assert_eq!(r.as_str(), *name);
        assert_eq!(serde_json::to_value(r).unwrap(), json!(name));
    }
    assert_eq!(DecisionResult::RequireDeposit.exit_code(), 5);
}

#[test]
fn a_limit_that_would_be_exceeded_falls_through_with_a_trace() {
    use crate::policy::limits::{Entry, History, LimitCx, counter_key};
    let p = pol(
        "deny",
        "  - id: small\n    effect: allow\n    action: purchase\n    limits: [{ window: 24h, max_amount_minor: 5000 }]\n  - id: ask\n    effect: allow\n    action: purchase\n    obligations: [{ type: HUMAN_APPROVAL }]\n",
    );
    let a = act("purchase", json!({"amount_minor": 1000, "currency": "USD"}));
    let key = counter_key("small", &p.rules[0].limits[0].per, &a, None).unwrap();
    let now = crate::policy::limits::ms_of("2024-01-15T10:30:00.000Z").unwrap();
    let mut h = History::default();
    let cx = |h: &History| {
        evaluate_with(
            &[&p],
            &a,
            &LimitCx {
                now_ms: now,
                owner_id: None,
                history: h,
            },
        )
    };
    let e = cx(&h);
    assert_eq!(e.result, DecisionResult::Allow);
    assert_eq!(e.consumed.len(), 1);
    assert_eq!(e.consumed[0].amount_minor, Some(1000));
    assert_eq!(e.trace[0].limits_match, Some(true));
    h.push(
        key,
        Entry {
            seq: 1,
            at_ms: now - 3_600_000,
            amount_minor: Some(4500),
            currency: Some("USD".into()),
        },
    );
    let e = cx(&h);
    assert_eq!(e.result, DecisionResult::RequireApproval);
    assert_eq!(e.matched_rule_id.as_deref(), Some("ask"));
    assert!(e.consumed.is_empty());
    let t = &e.trace[0];
    assert_eq!(
        (t.constraints_match, t.limits_match, t.final_match),
        (Some(true), Some(false), false)
    );
    let f = t.limit_failure.as_ref().unwrap();
    assert_eq!((f.limit_index, f.used, f.remaining), (0, 4500, 500));
    let j = serde_json::to_value(t).unwrap();
    assert_eq!(j["limit_failure"]["window"], "24h");
    // Rules without limits keep the upstream trace shape.
    let j = serde_json::to_value(&e.trace[1]).unwrap();
    assert!(j.get("limits_match").is_none());
}
