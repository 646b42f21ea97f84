//! Decision replay (SPEC §18): re-evaluates recorded action requests against a candidate policy
//! set and reports what would have changed. Pure: the caller reads the audit log, loads the
//! stored policies and feeds the recorded decisions in log order; nothing here does I/O.
//!
//! Limit counters are re-simulated under the candidate: only the candidate's own ALLOWs (and
//! owner-approved actions its limited rules would have allowed) consume, in log order, so a
//! lower cap turns the later purchases of a window into what the candidate says about them.

use super::engine::{DecisionResult, evaluate_with, rules_consuming_approved};
use super::limits::{Entry, History, LimitCx};
use super::model::CompiledPolicy;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The policies a replay evaluates with: the stored ones, some replaced by candidates, and
/// possibly one candidate added owner-wide after every stored layer.
#[derive(Debug, Clone, Default)]
pub struct CandidateSet {
    /// Stored policies by id (as they are now).
    pub stored: HashMap<String, Arc<CompiledPolicy>>,
    /// Candidates by the id of the stored policy they replace.
    pub replace: HashMap<String, Arc<CompiledPolicy>>,
    /// A candidate with no stored counterpart, added owner-wide with the lowest precedence.
    pub added: Option<Arc<CompiledPolicy>>,
    /// Resolution chains by agent_id that replace the recorded ones (a draft adds a binding).
    pub chains: HashMap<String, Vec<String>>,
}

/// One recorded decision, rebuilt from its `AUTHORIZE_CALLED` and `DECISION_CREATED` events.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub decision_id: String,
    pub action_id: String,
    pub agent_id: String,
    pub owner_id: String,
    pub action_type: String,
    /// When the decision was made (`AUTHORIZE_CALLED.requested_at`).
    pub requested_at: String,
    pub at_ms: i64,
    /// The action request as the engine saw it.
    pub action: Value,
    pub result: DecisionResult,
    pub matched_rule_id: Option<String>,
    /// The resolution chain at decision time (`DECISION_CREATED.policy_ids`).
    pub policy_ids: Vec<String>,
    /// Re-authorized with an owner's approval: not a policy decision, but it consumes limits.
    pub via_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub result: DecisionResult,
    pub matched_rule_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub decision_id: String,
    pub action_id: String,
    pub agent_id: String,
    pub action_type: String,
    pub requested_at: String,
    pub before: Outcome,
    pub after: Outcome,
}

impl Change {
    /// The result moved up the permissiveness order of SPEC §18.
    pub fn widening(&self) -> bool {
        rank(self.after.result) > rank(self.before.result)
    }

    /// `"BEFORE->AFTER"` of the results.
    pub fn transition(&self) -> String {
        format!(
            "{}->{}",
            self.before.result.as_str(),
            self.after.result.as_str()
        )
    }
}

/// DENY < REQUIRE_* < ALLOW.
pub fn rank(r: DecisionResult) -> u8 {
    match r {
        DecisionResult::Deny => 0,
        DecisionResult::Allow => 2,
        _ => 1,
    }
}

/// The JSON contract of `policy replay` (SPEC §18) plus why decisions were skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub replayed: u64,
    pub skipped: u64,
    pub changed: u64,
    pub transitions: BTreeMap<String, u64>,
    pub changes: Vec<Change>,
    /// Skip reasons and how many decisions each covers.
    pub skipped_reasons: BTreeMap<String, u64>,
    /// Changes up the permissiveness order (counted even past `--limit`).
    pub widening: u64,
}

/// Replays decisions one by one, in log order.
pub struct Replayer {
    set: CandidateSet,
    history: History<'static>,
    /// Most changes kept in [`Report::changes`] (`None`: all).
    pub limit: Option<usize>,
    pub report: Report,
}

impl Replayer {
    pub fn new(set: CandidateSet, limit: Option<usize>) -> Replayer {
        Replayer {
            set,
            history: History::default(),
            limit,
            report: Report::default(),
        }
    }

    /// Counts a decision that cannot be replayed.
    pub fn skip(&mut self, reason: &str) {
        self.report.skipped += 1;
        *self
            .report
            .skipped_reasons
            .entry(reason.to_string())
            .or_default() += 1;
    }

    fn layers(&self, r: &Recorded) -> Result<Vec<Arc<CompiledPolicy>>, String> {
        let ids = self.set.chains.get(&r.agent_id).unwrap_or(&r.policy_ids);
        let mut out = Vec::with_capacity(ids.len() + 1);
        for id in ids {
            match self.set.replace.get(id).or_else(|| self.set.stored.get(id)) {
                Some(p) => out.push(p.clone()),
                None => return Err(format!("policy {id} is no longer stored")),
            }
        }
        if let Some(p) = &self.set.added {
            out.push(p.clone());
        }
        Ok(out)
    }

    /// Re-evaluates `r` under the candidate. `report` is false for decisions before the
    /// replayed range: they only feed the limit counters.
    pub fn step(&mut self, r: &Recorded, report: bool) {
        let layers = match self.layers(r) {
            Ok(l) => l,
            Err(why) => {
                if report {
                    self.skip(&why);
                }
                return;
            }
        };
        let layers: Vec<&CompiledPolicy> = layers.iter().map(|p| &**p).collect();
        if r.via_approval {
            // An approved action was never a policy decision; it still uses up the limits of
            // the candidate rules that would have allowed it but for their limits.
            for rule in rules_consuming_approved(&layers, &r.action) {
                for c in super::limits::consumption(
                    &rule.id,
                    &rule.limits,
                    &r.action,
                    Some(&r.owner_id),
                    r.at_ms,
                ) {
                    self.push(c);
                }
            }
            if report {
                self.skip("re-authorized with an owner's approval (not a policy decision)");
            }
            return;
        }
        let eval = evaluate_with(
            &layers,
            &r.action,
            &LimitCx {
                now_ms: r.at_ms,
                owner_id: Some(&r.owner_id),
                history: &self.history,
            },
        );
        for c in eval.consumed.iter().cloned() {
            self.push_at(c, r.at_ms);
        }
        if !report {
            return;
        }
        self.report.replayed += 1;
        if eval.result == r.result && eval.matched_rule_id == r.matched_rule_id {
            return;
        }
        let change = Change {
            decision_id: r.decision_id.clone(),
            action_id: r.action_id.clone(),
            agent_id: r.agent_id.clone(),
            action_type: r.action_type.clone(),
            requested_at: r.requested_at.clone(),
            before: Outcome {
                result: r.result,
                matched_rule_id: r.matched_rule_id.clone(),
            },
            after: Outcome {
                result: eval.result,
                matched_rule_id: eval.matched_rule_id,
            },
        };
        self.report.changed += 1;
        if change.widening() {
            self.report.widening += 1;
        }
        if change.before.result != change.after.result {
            *self
                .report
                .transitions
                .entry(change.transition())
                .or_default() += 1;
        }
        if self.limit.is_none_or(|l| self.report.changes.len() < l) {
            self.report.changes.push(change);
        }
    }

    fn push(&mut self, c: super::limits::Consumption) {
        let at = super::limits::ms_of(&c.at).unwrap_or(0);
        self.push_at(c, at);
    }

    fn push_at(&mut self, c: super::limits::Consumption, at_ms: i64) {
        self.history.push(
            c.key,
            Entry {
                seq: 0,
                at_ms,
                amount_minor: c.amount_minor,
                currency: c.currency,
            },
        );
    }

    pub fn finish(self) -> Report {
        self.report
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(text: &str) -> Arc<CompiledPolicy> {
        Arc::new(
            super::super::check_policy("p.yaml", text.as_bytes())
                .policy
                .unwrap(),
        )
    }

    fn purchase(i: usize, amount: u64, at_ms: i64, result: DecisionResult) -> Recorded {
        Recorded {
            decision_id: format!("d{i}"),
            action_id: format!("a{i}"),
            agent_id: "bot".into(),
            owner_id: "o".into(),
            action_type: "purchase".into(),
            requested_at: super::super::limits::format_ms(at_ms),
            at_ms,
            action: json!({"action_type": "purchase", "payload": {"amount_minor": amount, "currency": "USD"}}),
            result,
            matched_rule_id: Some("buy".into()),
            policy_ids: vec!["p".into()],
            via_approval: false,
        }
    }

    const LOOSE: &str =
        "version: 1\ndefault: deny\nrules:\n  - id: buy\n    effect: allow\n    action: purchase\n";
    const CAPPED: &str = "version: 1\ndefault: deny\nrules:\n  - id: buy\n    effect: allow\n    action: purchase\n    limits: [{ window: 1d, max_count: 5, per: owner }]\n";

    fn set(stored: &str, candidate: Option<&str>) -> CandidateSet {
        let mut s = CandidateSet::default();
        s.stored.insert("p".into(), compile(stored));
        if let Some(c) = candidate {
            s.replace.insert("p".into(), compile(c));
        }
        s
    }

    #[test]
    fn identical_candidate_changes_nothing() {
        let mut r = Replayer::new(set(LOOSE, Some(LOOSE)), None);
        for i in 0..10 {
            r.step(
                &purchase(i, 100, 1000 * i as i64, DecisionResult::Allow),
                true,
            );
        }
        let rep = r.finish();
        assert_eq!((rep.replayed, rep.changed, rep.skipped), (10, 0, 0));
    }

    #[test]
    fn a_cap_replays_with_history_and_windows_slide() {
        let mut r = Replayer::new(set(LOOSE, Some(CAPPED)), None);
        for i in 0..7 {
            r.step(
                &purchase(i, 100, 1000 * i as i64, DecisionResult::Allow),
                true,
            );
        }
        // A day later the window is empty again.
        r.step(
            &purchase(7, 100, 86_400_000 + 7000, DecisionResult::Allow),
            true,
        );
        let rep = r.finish();
        assert_eq!(rep.changed, 2);
        assert_eq!(rep.changes[0].decision_id, "d5");
        assert_eq!(rep.changes[0].after.result, DecisionResult::Deny);
        assert_eq!(rep.transitions.get("ALLOW->DENY"), Some(&2));
        assert_eq!(rep.widening, 0);
    }

    #[test]
    fn widening_missing_policies_and_limit() {
        let mut s = set(CAPPED, Some(LOOSE));
        s.stored.remove("q");
        let mut r = Replayer::new(s, Some(1));
        for i in 0..3 {
            r.step(&purchase(i, 100, i as i64, DecisionResult::Deny), true);
        }
        let mut gone = purchase(9, 1, 9, DecisionResult::Deny);
        gone.policy_ids = vec!["q".into()];
        r.step(&gone, true);
        let rep = r.finish();
        assert_eq!((rep.changed, rep.widening, rep.changes.len()), (3, 3, 1));
        assert_eq!(rep.skipped, 1);
        assert_eq!(
            rep.skipped_reasons.keys().next().unwrap(),
            "policy q is no longer stored"
        );
        assert!(rank(DecisionResult::RequireApproval) < rank(DecisionResult::Allow));
    }
}
