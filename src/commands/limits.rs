//! `openleash limits [--agent X]`: every limit of the agents' effective policies with its current
//! use, remainder and when the window frees up; `openleash limits reset-index`: rebuild the
//! counter index from the whole (verified) audit log.

use super::{Ctx, confirm};
use crate::cli::{LimitsArgs, LimitsCommand};
use crate::error::{ErrorCode, Result};
use crate::policy::Effect;
use crate::policy::limits::{Counter, Entry, Measure, format_ms, ms_of, parse_key};
use crate::store::DataDir;
use crate::store::limits::{CounterFile, LimitsIndex};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub fn run(args: LimitsArgs, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    match args.command {
        Some(LimitsCommand::ResetIndex { yes }) => reset(&dd, ctx, yes),
        None => show(&dd, ctx, args.agent.as_deref()),
    }
}

/// One row of `openleash limits`.
#[derive(Debug, Serialize)]
struct Row {
    agent_id: String,
    policy_id: String,
    rule_id: String,
    limit_index: usize,
    window: String,
    measure: &'static str,
    max: u64,
    scope: Map<String, Value>,
    currency: Option<String>,
    used: u64,
    remaining: u64,
    frees_at: Option<String>,
}

fn show(dd: &DataDir, ctx: &Ctx, only: Option<&str>) -> Result<u8> {
    let agents = match only {
        Some(a) => vec![dd.agent(a)?],
        None => dd.agents()?,
    };
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
    for agent in &agents {
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
    let out = &ctx.out;
    if out.json {
        out.json_value(&json!(rows));
        return Ok(0);
    }
    if rows.is_empty() {
        out.note("No limits: no effective policy has a rule with `limits:`.");
        return Ok(0);
    }
    let mut t = out.table(&[
        "AGENT",
        "RULE",
        "LIMIT",
        "SCOPE",
        "USED",
        "REMAINING",
        "FREES UP",
    ]);
    for r in &rows {
        let unit = match (r.measure, &r.currency) {
            ("max_count", _) => " decisions".to_string(),
            (_, Some(c)) => format!(" {c}"),
            _ => String::new(),
        };
        let scope: Vec<String> = r
            .scope
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect();
        t.add_row(vec![
            r.agent_id.clone(),
            r.rule_id.clone(),
            format!("#{} {}{} / {}", r.limit_index, r.max, unit, r.window),
            scope.join(", "),
            r.used.to_string(),
            r.remaining.to_string(),
            r.frees_at.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    out.print_table(&t);
    Ok(0)
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

fn reset(dd: &DataDir, ctx: &Ctx, yes: bool) -> Result<u8> {
    let out = &ctx.out;
    if !confirm(
        ctx,
        "Verify the audit log and rebuild every limit counter from it?",
        yes,
    )? {
        out.note("Nothing changed.");
        return Ok(1);
    }
    let (state, counters) = crate::store::limits::reset_index(dd)?;
    if out.json {
        out.json_value(
            &json!({"rebuilt": true, "seq": state.seq, "hash": state.hash, "counters": counters}),
        );
    } else {
        out.note(format!(
            "{} Rebuilt the limit counters from the audit log (up to seq {}, {counters} counters).",
            out.green("✓"),
            state.seq
        ));
    }
    Ok(0)
}
