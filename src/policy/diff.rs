//! Decision-level comparison of two policies (SPEC §2 `policy diff`): which rules were added,
//! removed or changed, and every change that can make the policy allow more ("widening"): a
//! deny rule removed or an allow rule added, the default loosened, bounds widened, allow-lists
//! grown or block-lists shrunk, a condition/obligation/requirement dropped, proof turned off,
//! or a stricter rule moved behind a looser one it overlaps.
//!
//! Conditions (`when`) are not compared semantically: a changed condition is reported as
//! possibly widening, so `--fail-on-widening` errs on the side of review.

use super::model::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSummary {
    pub rule_id: String,
    pub effect: Effect,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleChange {
    pub rule_id: String,
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Widening {
    /// `None` for policy-level changes (the default).
    pub rule_id: Option<String>,
    pub what: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PolicyDiff {
    pub added: Vec<RuleSummary>,
    pub removed: Vec<RuleSummary>,
    pub changed: Vec<RuleChange>,
    pub default_changed: Option<(DefaultEffect, DefaultEffect)>,
    pub widening: Vec<Widening>,
}

impl PolicyDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.default_changed.is_none()
    }
}

/// Which way a change moves the set of actions a rule matches (or lets through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Wider,
    Narrower,
    /// Both, or cannot tell.
    Mixed,
}

impl Dir {
    /// Widening for a rule of this effect: an allow that matches more, or a deny that matches less.
    fn widens(self, effect: Effect) -> bool {
        match effect {
            Effect::Allow => self != Dir::Narrower,
            Effect::Deny => self != Dir::Wider,
        }
    }
}

fn default_rank(d: DefaultEffect) -> u8 {
    match d {
        DefaultEffect::Deny => 0,
        DefaultEffect::RequireApproval => 1,
        // Defers to later layers, which may allow.
        DefaultEffect::Passthrough => 2,
        DefaultEffect::Allow => 3,
    }
}

fn summary(r: &Rule) -> RuleSummary {
    RuleSummary {
        rule_id: r.id.to_string(),
        effect: r.effect,
        action: r.action.source(),
    }
}

/// How strictly a rule decides: deny, allow with something that blocks, plain allow.
fn strictness(r: &Rule) -> u8 {
    match r.effect {
        Effect::Deny => 2,
        Effect::Allow => {
            let blocking = r
                .obligations
                .iter()
                .any(|o| o.obligation_type != ObligationType::CounterpartyAttestation)
                || r.requirements.as_ref().is_some_and(|q| {
                    q.min_assurance_level
                        .is_some_and(|l| l > AssuranceLevel::Low)
                });
            u8::from(blocking)
        }
    }
}

pub fn diff_policies(old: &CompiledPolicy, new: &CompiledPolicy) -> PolicyDiff {
    let mut d = PolicyDiff::default();
    if old.default != new.default {
        d.default_changed = Some((old.default, new.default));
        if default_rank(new.default) > default_rank(old.default) {
            d.widening.push(Widening {
                rule_id: None,
                what: format!(
                    "default loosened: {} \u{2192} {}",
                    old.default.as_str(),
                    new.default.as_str()
                ),
            });
        }
    }
    for r in &old.rules {
        if new.rule(&r.id).is_none() {
            d.removed.push(summary(r));
            // An allow rule with approval/step-up/deposit only widens when removing it lets a
            // looser rule or an allow default decide instead.
            let gated_fallthrough = strictness(r) == 1
                && (new.default == DefaultEffect::Allow
                    || new
                        .rules
                        .iter()
                        .any(|x| strictness(x) == 0 && x.action.overlaps(&r.action)));
            if r.effect == Effect::Deny || gated_fallthrough {
                d.widening.push(Widening {
                    rule_id: Some(r.id.to_string()),
                    what: format!(
                        "{} rule removed (action `{}`)",
                        if r.effect == Effect::Deny {
                            "deny"
                        } else {
                            "approval/step-up"
                        },
                        r.action.source()
                    ),
                });
            }
        }
    }
    for r in &new.rules {
        let Some(o) = old.rule(&r.id) else {
            d.added.push(summary(r));
            if r.effect == Effect::Allow {
                d.widening.push(Widening {
                    rule_id: Some(r.id.to_string()),
                    what: format!("allow rule added (action `{}`)", r.action.source()),
                });
            }
            continue;
        };
        let (changes, widening) = compare_rule(o, r);
        if !changes.is_empty() {
            d.changed.push(RuleChange {
                rule_id: r.id.to_string(),
                changes,
            });
        }
        d.widening.extend(widening.into_iter().map(|what| Widening {
            rule_id: Some(r.id.to_string()),
            what,
        }));
    }
    order_widening(old, new, &mut d);
    d
}

/// A stricter rule that used to come first and now comes after a looser one it overlaps.
fn order_widening(old: &CompiledPolicy, new: &CompiledPolicy, d: &mut PolicyDiff) {
    let pos = |p: &CompiledPolicy, id: &str| p.rules.iter().position(|r| &*r.id == id);
    for (i, loose) in new.rules.iter().enumerate() {
        for strict in &new.rules[i + 1..] {
            if strictness(strict) <= strictness(loose) || !strict.action.overlaps(&loose.action) {
                continue;
            }
            let (Some(os), Some(ol)) = (pos(old, &strict.id), pos(old, &loose.id)) else {
                continue;
            };
            if os < ol {
                d.widening.push(Widening {
                    rule_id: Some(loose.id.to_string()),
                    what: format!(
                        "now comes before the stricter rule `{}` (overlapping actions), so it can decide first",
                        strict.id
                    ),
                });
            }
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// Neutral descriptions of what changed, and the subset that widens.
fn compare_rule(o: &Rule, n: &Rule) -> (Vec<String>, Vec<String>) {
    let mut changes = Vec::new();
    let mut widening = Vec::new();
    let mut note = |what: String, dir: Option<Dir>, effect: Effect| {
        if dir.is_some_and(|d| d.widens(effect)) {
            widening.push(what.clone());
        }
        changes.push(what);
    };

    if o.effect != n.effect {
        let wider = n.effect == Effect::Allow;
        note(
            format!(
                "effect {} \u{2192} {}",
                o.effect.as_str(),
                n.effect.as_str()
            ),
            Some(if wider { Dir::Wider } else { Dir::Narrower }),
            Effect::Allow,
        );
        // The remaining comparisons assume one effect; a flipped rule is reported above.
        return (changes, widening);
    }
    let effect = n.effect;

    if o.action != n.action {
        let dir = if n.action.covers(&o.action) {
            Dir::Wider
        } else if o.action.covers(&n.action) {
            Dir::Narrower
        } else {
            Dir::Mixed
        };
        note(
            format!(
                "action `{}` \u{2192} `{}`",
                o.action.source(),
                n.action.source()
            ),
            Some(dir),
            effect,
        );
    }
    match (&o.when, &n.when) {
        (Some(_), None) => note("`when` condition dropped".into(), Some(Dir::Wider), effect),
        (None, Some(_)) => note("`when` condition added".into(), Some(Dir::Narrower), effect),
        (Some(a), Some(b)) if a != b => note(
            "`when` condition changed (not compared semantically; review it)".into(),
            Some(Dir::Mixed),
            effect,
        ),
        _ => {}
    }
    let empty = Constraints::default();
    let oc = o.constraints.as_ref().unwrap_or(&empty);
    let nc = n.constraints.as_ref().unwrap_or(&empty);
    bound(
        &mut note,
        "amount_max",
        oc.amount_max,
        nc.amount_max,
        true,
        effect,
    );
    bound(
        &mut note,
        "amount_min",
        oc.amount_min,
        nc.amount_min,
        false,
        effect,
    );
    allow_list(&mut note, "currency", &oc.currency, &nc.currency, effect);
    allow_list(
        &mut note,
        "merchant_domain",
        &oc.merchant_domain,
        &nc.merchant_domain,
        effect,
    );
    allow_list(
        &mut note,
        "allowed_domains",
        &oc.allowed_domains,
        &nc.allowed_domains,
        effect,
    );
    match (&oc.blocked_domains, &nc.blocked_domains) {
        (Some(_), None) => note("blocked_domains removed".into(), Some(Dir::Wider), effect),
        (None, Some(_)) => note("blocked_domains added".into(), Some(Dir::Narrower), effect),
        (Some(a), Some(b)) => {
            let gone: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
            let new: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
            if !gone.is_empty() {
                note(
                    format!("blocked_domains shrank: -{}", join(&gone)),
                    Some(Dir::Wider),
                    effect,
                );
            }
            if !new.is_empty() {
                note(
                    format!("blocked_domains grew: +{}", join(&new)),
                    Some(Dir::Narrower),
                    effect,
                );
            }
        }
        (None, None) => {}
    }

    // Obligations, requirements and proofs only shape what an allow rule grants.
    let olevel = o.requirements.as_ref().and_then(|r| r.min_assurance_level);
    let nlevel = n.requirements.as_ref().and_then(|r| r.min_assurance_level);
    if olevel != nlevel {
        let show = |l: Option<AssuranceLevel>| l.map_or("none", AssuranceLevel::as_str);
        let wider = nlevel < olevel;
        let what = if nlevel.is_none() {
            format!(
                "min_assurance_level requirement dropped (was {})",
                show(olevel)
            )
        } else {
            format!(
                "min_assurance_level {} \u{2192} {}",
                show(olevel),
                show(nlevel)
            )
        };
        let dir =
            (effect == Effect::Allow).then_some(if wider { Dir::Wider } else { Dir::Narrower });
        note(what, dir, effect);
    }
    let types = |r: &Rule| -> Vec<ObligationType> {
        r.obligations.iter().map(|x| x.obligation_type).collect()
    };
    let (ot, nt) = (types(o), types(n));
    let mut remaining = nt.clone();
    for t in &ot {
        match remaining.iter().position(|x| x == t) {
            Some(i) => {
                remaining.remove(i);
            }
            None => note(
                format!("obligation {} dropped", t.as_str()),
                (effect == Effect::Allow).then_some(Dir::Wider),
                effect,
            ),
        }
    }
    for t in remaining {
        note(
            format!("obligation {} added", t.as_str()),
            (effect == Effect::Allow).then_some(Dir::Narrower),
            effect,
        );
    }
    if ot == nt && o.obligations != n.obligations {
        note("obligation params changed".into(), None, effect);
    }
    if o.proof_required() != n.proof_required() {
        let off = o.proof_required();
        note(
            if off {
                "proof.required turned off".into()
            } else {
                "proof.required turned on".into()
            },
            (effect == Effect::Allow).then_some(if off { Dir::Wider } else { Dir::Narrower }),
            effect,
        );
    }
    let ttl = |r: &Rule| r.proof.as_ref().and_then(|p| p.ttl_seconds);
    if ttl(o) != ttl(n) {
        let show = |t: Option<u64>| t.map_or("default".to_string(), |x| format!("{x}s"));
        note(
            format!(
                "proof.ttl_seconds {} \u{2192} {}",
                show(ttl(o)),
                show(ttl(n))
            ),
            None,
            effect,
        );
    }
    compare_limits(&mut note, &o.limits, &n.limits, effect);
    if o.description != n.description {
        note("description changed".into(), None, effect);
    }
    (changes, widening)
}

/// `limits` of an allow rule: a dropped limit, a higher maximum, a shorter window or another
/// scope can let more through.
fn compare_limits(
    note: &mut impl FnMut(String, Option<Dir>, Effect),
    o: &[super::limits::Limit],
    n: &[super::limits::Limit],
    effect: Effect,
) {
    use super::limits::Limit;
    let show = |l: &Limit| {
        let per: Vec<&str> = l.per.iter().map(|s| s.name()).collect();
        format!(
            "{{window: {}, {}: {}, per: [{}]}}",
            l.window,
            l.measure.key(),
            l.measure.max(),
            per.join(", ")
        )
    };
    if o == n {
        return;
    }
    if o.len() == n.len() {
        for (i, (a, b)) in o.iter().zip(n).enumerate() {
            if a == b {
                continue;
            }
            let dir = if a.per != b.per || a.measure.key() != b.measure.key() {
                Dir::Mixed
            } else {
                let more = b.measure.max() > a.measure.max() || b.window_secs < a.window_secs;
                let less = b.measure.max() < a.measure.max() || b.window_secs > a.window_secs;
                match (more, less) {
                    (true, false) => Dir::Wider,
                    (false, true) => Dir::Narrower,
                    _ => Dir::Mixed,
                }
            };
            note(
                format!("limits[{i}] {} \u{2192} {}", show(a), show(b)),
                Some(dir),
                effect,
            );
        }
        return;
    }
    for l in o.iter().filter(|l| !n.contains(l)) {
        note(
            format!("limit {} dropped", show(l)),
            Some(Dir::Wider),
            effect,
        );
    }
    for l in n.iter().filter(|l| !o.contains(l)) {
        note(
            format!("limit {} added", show(l)),
            Some(Dir::Narrower),
            effect,
        );
    }
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An amount bound; `upper` for `amount_max` (raising it lets more through).
fn bound(
    note: &mut impl FnMut(String, Option<Dir>, Effect),
    name: &str,
    old: Option<f64>,
    new: Option<f64>,
    upper: bool,
    effect: Effect,
) {
    let looser = |a: f64, b: f64| if upper { b > a } else { b < a };
    match (old, new) {
        (Some(a), None) => note(
            format!("{name} removed (was {})", fmt_num(a)),
            Some(Dir::Wider),
            effect,
        ),
        (None, Some(b)) => note(
            format!("{name} added ({})", fmt_num(b)),
            Some(Dir::Narrower),
            effect,
        ),
        (Some(a), Some(b)) if a != b => note(
            format!(
                "{name} {} {} \u{2192} {}",
                if b > a { "raised" } else { "lowered" },
                fmt_num(a),
                fmt_num(b)
            ),
            Some(if looser(a, b) {
                Dir::Wider
            } else {
                Dir::Narrower
            }),
            effect,
        ),
        _ => {}
    }
}

fn allow_list(
    note: &mut impl FnMut(String, Option<Dir>, Effect),
    name: &str,
    old: &Option<Vec<String>>,
    new: &Option<Vec<String>>,
    effect: Effect,
) {
    match (old, new) {
        (Some(_), None) => note(
            format!("{name} allow-list removed"),
            Some(Dir::Wider),
            effect,
        ),
        (None, Some(_)) => note(
            format!("{name} allow-list added"),
            Some(Dir::Narrower),
            effect,
        ),
        (Some(a), Some(b)) => {
            let grown: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
            let shrunk: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
            if !grown.is_empty() {
                note(
                    format!("{name} allow-list grew: +{}", join(&grown)),
                    Some(Dir::Wider),
                    effect,
                );
            }
            if !shrunk.is_empty() {
                note(
                    format!("{name} allow-list shrank: -{}", join(&shrunk)),
                    Some(Dir::Narrower),
                    effect,
                );
            }
        }
        (None, None) => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::policy::check_policy;

    fn pol(default: &str, rules: &str) -> CompiledPolicy {
        let src = format!("version: 1\ndefault: {default}\nrules:\n{rules}");
        check_policy("t.yaml", src.as_bytes()).policy.unwrap()
    }

    fn widening(d: &PolicyDiff) -> Vec<String> {
        d.widening.iter().map(|w| w.what.clone()).collect()
    }

    const BASE: &str = "  - {id: deny_big, effect: deny, action: purchase, constraints: {amount_min: 100000}}\n  - {id: buy, effect: allow, action: purchase, constraints: {amount_max: 5000, currency: [USD]}, proof: {required: true}, requirements: {min_assurance_level: SUBSTANTIAL}, obligations: [{type: DEPOSIT}]}\n";

    #[test]
    fn identical_policies_have_no_diff() {
        let d = diff_policies(&pol("deny", BASE), &pol("deny", BASE));
        assert!(d.is_empty());
        assert!(d.widening.is_empty());
    }

    #[test]
    fn every_kind_of_widening() {
        let old = pol("deny", BASE);
        let new = pol(
            "require_approval",
            "  - {id: buy, effect: allow, action: purchase.*, constraints: {amount_max: 9000, currency: [USD, EUR]}}\n  - {id: extra, effect: allow, action: x}\n",
        );
        let d = diff_policies(&old, &new);
        let w = widening(&d);
        for expected in [
            "default loosened: deny \u{2192} require_approval",
            "deny rule removed (action `purchase`)",
            "allow rule added (action `x`)",
            "action `purchase` \u{2192} `purchase.*`",
            "amount_max raised 5000 \u{2192} 9000",
            "currency allow-list grew: +EUR",
            "min_assurance_level requirement dropped (was SUBSTANTIAL)",
            "obligation DEPOSIT dropped",
            "proof.required turned off",
        ] {
            assert!(
                w.iter().any(|x| x == expected),
                "missing {expected:?} in {w:#?}"
            );
        }
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.removed.len(), 1);
        assert_eq!(d.changed[0].rule_id, "buy");
    }

    #[test]
    fn narrowing_is_not_widening() {
        let old = pol("allow", BASE);
        let new = pol(
            "deny",
            "  - {id: deny_big, effect: deny, action: purchase, constraints: {amount_min: 50000}}\n  - {id: buy, effect: allow, action: purchase, constraints: {amount_max: 1000, currency: [USD]}, proof: {required: true}, requirements: {min_assurance_level: HIGH}, obligations: [{type: DEPOSIT}, {type: HUMAN_APPROVAL}], when: {match: {path: $.payload.ok, op: exists}}}\n",
        );
        let d = diff_policies(&old, &new);
        assert!(d.widening.is_empty(), "{:#?}", d.widening);
        assert!(!d.changed.is_empty());
    }

    #[test]
    fn deny_rules_widen_when_they_match_less() {
        let old = pol(
            "deny",
            "  - {id: d, effect: deny, action: purchase.*, constraints: {amount_min: 1000, blocked_domains: [a.com]}}\n",
        );
        let new = pol(
            "deny",
            "  - {id: d, effect: deny, action: purchase, constraints: {amount_min: 5000, blocked_domains: [a.com, b.com]}, when: {match: {path: $.x, op: exists}}}\n",
        );
        let w = widening(&diff_policies(&old, &new));
        assert!(
            w.contains(&"action `purchase.*` \u{2192} `purchase`".to_string()),
            "{w:?}"
        );
        assert!(
            w.contains(&"amount_min raised 1000 \u{2192} 5000".to_string()),
            "{w:?}"
        );
        assert!(w.contains(&"`when` condition added".to_string()), "{w:?}");
        // `blocked_domains` exempts domains from a deny rule: a longer list denies less.
        assert!(
            w.contains(&"blocked_domains grew: +b.com".to_string()),
            "{w:?}"
        );
    }

    #[test]
    fn block_list_shrinking_on_allow_rules_and_effect_flips() {
        let old = pol(
            "deny",
            "  - {id: a, effect: allow, action: send, constraints: {blocked_domains: [x.com, y.com]}}\n  - {id: d, effect: deny, action: drop}\n",
        );
        let new = pol(
            "deny",
            "  - {id: a, effect: allow, action: send, constraints: {blocked_domains: [x.com]}}\n  - {id: d, effect: allow, action: drop}\n",
        );
        let d = diff_policies(&old, &new);
        let w = widening(&d);
        assert!(w.contains(&"blocked_domains shrank: -y.com".to_string()));
        assert!(w.contains(&"effect deny \u{2192} allow".to_string()));
    }

    #[test]
    fn reordering_a_looser_rule_first_widens() {
        let old = pol(
            "deny",
            "  - {id: d, effect: deny, action: purchase.*}\n  - {id: a, effect: allow, action: purchase}\n",
        );
        let new = pol(
            "deny",
            "  - {id: a, effect: allow, action: purchase}\n  - {id: d, effect: deny, action: purchase.*}\n",
        );
        let d = diff_policies(&old, &new);
        assert_eq!(d.widening.len(), 1, "{:#?}", d.widening);
        assert_eq!(d.widening[0].rule_id.as_deref(), Some("a"));
        // Non-overlapping rules may move freely.
        let old = pol(
            "deny",
            "  - {id: d, effect: deny, action: x}\n  - {id: a, effect: allow, action: y}\n",
        );
        let new = pol(
            "deny",
            "  - {id: a, effect: allow, action: y}\n  - {id: d, effect: deny, action: x}\n",
        );
        assert!(diff_policies(&old, &new).widening.is_empty());
    }

    #[test]
    fn removing_a_gated_allow_widens_only_when_something_looser_decides() {
        let old = pol(
            "deny",
            "  - {id: big, effect: allow, action: purchase, obligations: [{type: HUMAN_APPROVAL}]}\n  - {id: any, effect: allow, action: purchase.*, constraints: {amount_max: 5}}\n",
        );
        let new = pol(
            "deny",
            "  - {id: any, effect: allow, action: purchase.*, constraints: {amount_max: 5}}\n",
        );
        assert_eq!(widening(&diff_policies(&old, &new)).len(), 1);
        let new = pol("deny", "  []\n");
        assert!(widening(&diff_policies(&old, &new)).is_empty());
    }

    #[test]
    fn default_order() {
        let w = |a: &str, b: &str| {
            !diff_policies(&pol(a, "  []\n"), &pol(b, "  []\n"))
                .widening
                .is_empty()
        };
        assert!(w("deny", "require_approval"));
        assert!(w("require_approval", "allow"));
        assert!(w("deny", "passthrough"));
        assert!(!w("allow", "deny"));
        assert!(!w("passthrough", "deny"));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod limit_tests {
    use super::*;
    use crate::policy::check_policy;

    fn pol(limits: &str) -> CompiledPolicy {
        let src = format!(
            "version: 1\ndefault: deny\nrules:\n  - {{id: buy, effect: allow, action: purchase, limits: {limits}}}\n"
        );
        check_policy("t.yaml", src.as_bytes()).policy.unwrap()
    }

    #[test]
    fn raised_or_dropped_limits_widen() {
        let base = pol("[{window: 24h, max_amount_minor: 5000}]");
        let d = diff_policies(&base, &pol("[{window: 24h, max_amount_minor: 9000}]"));
        assert_eq!(d.widening.len(), 1, "{d:?}");
        assert!(d.widening[0].what.contains("limits[0]"));
        let d = diff_policies(&base, &pol("[{window: 1h, max_amount_minor: 5000}]"));
        assert_eq!(d.widening.len(), 1, "{d:?}");
        let d = diff_policies(&base, &pol("[{window: 7d, max_amount_minor: 1000}]"));
        assert!(d.widening.is_empty(), "{d:?}");
        assert_eq!(d.changed.len(), 1);
        let d = diff_policies(&base, &pol("[]"));
        assert!(d.widening[0].what.contains("dropped"), "{d:?}");
        let d = diff_policies(
            &base,
            &pol("[{window: 24h, max_amount_minor: 5000}, {window: 1h, max_count: 2}]"),
        );
        assert!(d.widening.is_empty(), "{d:?}");
        assert!(d.changed[0].changes[0].contains("added"));
    }
}
