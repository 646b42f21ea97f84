//! Limit usage (`openleash limits` and the portal's Limits page): every limit of the agents'
//! effective policies with its current use, remainder and when its window frees up.

use crate::error::{ErrorCode, Result};
use crate::policy::Effect;
use crate::policy::limits::{Counter, Entry, Measure, format_ms, ms_of, parse_key};
use crate::store::DataDir;
use crate::store::agents::Agent;
use crate::store::limits::{CounterFile, LimitsIndex};
use serde::Serialize;
use serde_json::{Map, Value};

/// One limit of one agent (and scope, and currency) with its use.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub agent_id: String,
    pub policy_id: String,
    pub rule_id: String,
    pub limit_index: usize,
    pub window: String,
    pub measure: &'static str,
    pub max: u64,
    pub scope: Map<String, Value>,
    pub currency: Option<String>,
    pub used: u64,
    pub remaining: u64,
    pub frees_at: Option<String>,
}

impl Row {
    /// A quantity of this limit's measure: an amount with its currency, or a count.
    pub fn describe(&self, n: u64) -> String {
        if self.measure == "max_count" {
            return format!("{n}");
        }
        crate::handlers::summary::format_amount(
            i64::try_from(n).unwrap_or(i64::MAX),
            self.currency.as_deref(),
        )
    }

    pub fn describe_max(&self) -> String {
        if self.measure == "max_count" {
            format!("{} decisions", self.max)
        } else {
            self.describe(self.max)
        }
    }
}

/// Limit usage of `owner`'s agents (all agents with `None`).
pub fn usage(dd: &DataDir, owner: Option<&str>) -> Result<Vec<Row>> {
    let agents: Vec<Agent> = dd
        .agents()?
        .into_iter()
        .filter(|a| owner.is_none_or(|o| a.owner_id.eq_ignore_ascii_case(o)))
        .collect();
    usage_for(dd, &agents)
}

/// Limit usage of `agents`.
pub fn usage_for(dd: &DataDir, agents: &[Agent]) -> Result<Vec<Row>> {
    // Bring the index up to the end of the log (fails closed on a mismatch, like decisions).
    {
        let lock = dd.lock()?;
        LimitsIndex::open_locked(dd, &lock)?;
    }
    let counters = dd.all_counters()?;
    let parsed: Vec<(String, Map<String, Value>, &CounterFile)> = counters
        .iter()
        .filter_map(|c| parse_key(&c.key).map(|(r, s)| (r, s, c)))
        .collect();
    let now_ms = ms_of(&crate::timefmt::now_string()).unwrap_or(0);
    let mut rows = Vec::new();
    for agent in agents {
        let policy = match crate::policy::resolve_for_agent(dd, agent) {
            Ok(p) => p,
            Err(e) if e.code == ErrorCode::NoPolicy => continue,
            Err(e) => return Err(e),
        };
        for layer in &policy.layers {
            for rule in &layer.policy.rules {
                if rule.effect != Effect::Allow {
                    continue;
                }
                for (i, limit) in rule.limits.iter().enumerate() {
                    let names: Vec<&str> = limit.per.iter().map(|s| s.name()).collect();
                    let mine = parsed.iter().filter(|(r, scope, _)| {
                        *r == *rule.id
                            && scope.keys().map(String::as_str).eq(names.iter().copied())
                            && scope
                                .get("agent")
                                .is_none_or(|v| v.as_str() == Some(&agent.agent_id))
                            && scope
                                .get("owner")
                                .is_none_or(|v| v.as_str() == Some(&agent.owner_id))
                    });
                    let mut any = false;
                    for (_, scope, c) in mine {
                        for currency in currencies(limit.measure, c.counter.entries()) {
                            let u = c.counter.usage(limit, now_ms, currency.as_deref());
                            any = true;
                            rows.push(row(
                                agent,
                                layer,
                                rule,
                                i,
                                limit,
                                scope.clone(),
                                currency,
                                u,
                            ));
                        }
                    }
                    if !any {
                        let mut scope = Map::new();
                        for s in &limit.per {
                            let v = match s.name() {
                                "agent" => Value::from(agent.agent_id.clone()),
                                "owner" => Value::from(agent.owner_id.clone()),
                                _ => Value::from("*"),
                            };
                            scope.insert(s.name().to_string(), v);
                        }
                        let u = Counter::default().usage(limit, now_ms, None);
                        rows.push(row(agent, layer, rule, i, limit, scope, None, u));
                    }
                }
            }
        }
    }
    Ok(rows)
}

/// The currencies to show an amount limit for: each one with entries, or none at all.
fn currencies(measure: Measure, entries: &[Entry]) -> Vec<Option<String>> {
    if matches!(measure, Measure::Count(_)) {
        return vec![None];
    }
    let mut cs: Vec<Option<String>> = entries.iter().map(|e| e.currency.clone()).collect();
    cs.sort();
    cs.dedup();
    if cs.is_empty() {
        cs.push(None);
    }
    cs
}

#[allow(clippy::too_many_arguments)]
fn row(
    agent: &crate::store::agents::Agent,
    layer: &crate::policy::Layer,
    rule: &crate::policy::Rule,
    i: usize,
    limit: &crate::policy::limits::Limit,
    scope: Map<String, Value>,
    currency: Option<String>,
    u: crate::policy::limits::Usage,
) -> Row {
    Row {
        agent_id: agent.agent_id.clone(),
        policy_id: layer.policy_id.clone(),
        rule_id: rule.id.to_string(),
        limit_index: i,
        window: limit.window.clone(),
        measure: limit.measure.key(),
        max: limit.measure.max(),
        scope,
        currency,
        used: u.used,
        remaining: u.remaining,
        frees_at: u.frees_at_ms.map(format_ms),
    }
}
