//! Shadow policies (SPEC §18): where the recorded shadow verdicts differ from the enforced
//! decisions, summarised for `policy shadow-report` and filtered for `audit list --shadow-diff`.

use crate::audit::{AuditEvent, Filter};
use crate::error::Result;
use crate::store::DataDir;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Examples kept per transition.
const EXAMPLES: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ShadowReport {
    /// Decisions that carried shadow results.
    pub decisions: u64,
    /// Of those, shadow verdicts whose result differs from the enforced one.
    pub differing: u64,
    /// `"ENFORCED->SHADOW"` result pairs of the differing verdicts.
    pub transitions: BTreeMap<String, u64>,
    /// Differing verdicts per shadow policy.
    pub by_policy: BTreeMap<String, u64>,
    pub examples: Vec<ShadowExample>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShadowExample {
    pub seq: u64,
    pub timestamp: String,
    pub decision_id: String,
    pub agent_id: String,
    pub action_type: String,
    pub policy_id: String,
    pub enforced: Value,
    pub shadow: Value,
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// The shadow verdicts of a `DECISION_CREATED` whose result differs from the enforced one.
pub fn differing(ev: &AuditEvent) -> Vec<&Value> {
    let m = &ev.metadata_json;
    let enforced = s(m, "result");
    m.get("shadow")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|v| s(v, "result") != enforced).collect())
        .unwrap_or_default()
}

/// Summarises the shadow verdicts of the decisions matching `filter` (its types are replaced
/// by `DECISION_CREATED`).
pub fn report(dd: &DataDir, filter: &Filter) -> Result<ShadowReport> {
    let mut filter = filter.clone();
    filter.types = vec!["DECISION_CREATED".into()];
    let mut r = ShadowReport::default();
    let mut per_transition: BTreeMap<String, usize> = BTreeMap::new();
    dd.audit_scan(&filter, 0, |ev| {
        if ev.metadata_json.get("shadow").is_none() {
            return;
        }
        r.decisions += 1;
        let m = &ev.metadata_json;
        for v in differing(&ev) {
            r.differing += 1;
            let t = format!("{}->{}", s(m, "result"), s(v, "result"));
            *r.transitions.entry(t.clone()).or_default() += 1;
            *r.by_policy
                .entry(s(v, "policy_id").to_string())
                .or_default() += 1;
            let n = per_transition.entry(t).or_default();
            if *n < EXAMPLES {
                *n += 1;
                r.examples.push(ShadowExample {
                    seq: ev.seq,
                    timestamp: ev.timestamp.clone(),
                    decision_id: ev.decision_id.clone().unwrap_or_default(),
                    agent_id: s(m, "agent_id").to_string(),
                    action_type: s(m, "action_type").to_string(),
                    policy_id: s(v, "policy_id").to_string(),
                    enforced: serde_json::json!({
                        "result": m.get("result"),
                        "matched_rule_id": m.get("matched_rule_id"),
                    }),
                    shadow: serde_json::json!({
                        "result": v.get("result"),
                        "matched_rule_id": v.get("matched_rule_id"),
                    }),
                });
            }
        }
    })?;
    Ok(r)
}
