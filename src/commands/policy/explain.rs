//! `openleash policy explain` and the note after `policy upsert`/`bind`: which policies decide
//! for an agent, in evaluation order. A policy's own `default: deny` does not stop the policies
//! before it (issue 17), so the whole chain is what an owner needs to see.

use crate::commands::Ctx;
use crate::error::{ErrorCode, Result};
use crate::output::Output;
use crate::store::DataDir;
use crate::store::agents::Agent;
use serde_json::json;

/// One policy of an agent's effective chain.
struct ChainEntry {
    /// 1-based position in evaluation order.
    order: usize,
    policy_id: String,
    name: String,
    /// Bound to the agent (rather than owner-wide).
    agent_specific: bool,
    /// Bound to one of the agent's policy groups.
    group: bool,
    rank: i64,
    default: String,
}

impl ChainEntry {
    fn scope(&self) -> &'static str {
        if self.agent_specific {
            "agent"
        } else if self.group {
            "group"
        } else {
            "owner-wide"
        }
    }
}

/// The policies that decide for `agent`, in evaluation order.
fn chain(dd: &DataDir, agent: &Agent) -> Result<Vec<ChainEntry>> {
    let effective = match crate::policy::resolve_for_agent(dd, agent) {
        Ok(p) => p,
        Err(e) if e.code == ErrorCode::NoPolicy => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    // Each layer's own record (names and bindings), not the whole catalogue: a chain has a
    // handful of policies whatever the installation's size.
    let mut out = Vec::with_capacity(effective.layers.len());
    for (i, l) in effective.layers.iter().enumerate() {
        let b = dd.policy_view(&l.policy_id)?;
        out.push(ChainEntry {
            order: i + 1,
            policy_id: l.policy_id.clone(),
            name: b
                .policy(&l.policy_id)
                .and_then(|e| e.name.clone())
                .unwrap_or_default(),
            agent_specific: l.agent_principal_id.is_some(),
            // A layer without an agent is the group's when the policy has a group binding of
            // this owner (a policy is bound either to a group or owner-wide in practice).
            group: l.agent_principal_id.is_none()
                && !b
                    .bindings
                    .iter()
                    .any(|x| x.owner_id == agent.owner_id && x.is_owner_wide())
                && b.bindings.iter().any(|x| x.group_id.is_some()),
            rank: l.rank,
            default: l.policy.default.as_str().to_string(),
        });
    }
    Ok(out)
}

/// After a policy change: which policies now apply to the agent(s) concerned and in what order,
/// on stderr — a policy's own `default: deny` does not stop the policies before it.
pub(super) fn note_chains(dd: &DataDir, out: &Output, owner_id: &str, agent: Option<&Agent>) {
    // One page of the owner's agent list (its index), not every agent of the installation: the
    // note names three agents, so a policy change costs the same at 10 or 100,000 agents.
    let (agents, more): (Vec<Agent>, bool) = match agent {
        Some(a) => (vec![a.clone()], false),
        None => {
            let scope = crate::handlers::approvals::OwnerScope::Owner(owner_id);
            let req = crate::handlers::page::PageRequest::first();
            match crate::handlers::agents::list_page(dd, scope, &req) {
                Ok(page) => {
                    let more = page.next_cursor.is_some();
                    (
                        page.items.into_iter().filter(Agent::is_active).collect(),
                        more,
                    )
                }
                Err(_) => (Vec::new(), false),
            }
        }
    };
    for a in agents.iter().take(3) {
        let Ok(layers) = chain(dd, a) else { continue };
        let list: Vec<String> = layers
            .iter()
            .map(|e| {
                let name = if e.name.is_empty() {
                    String::new()
                } else {
                    format!(" {:?}", e.name)
                };
                format!(
                    "  {}. {}{name} ({}, rank {}, default {})",
                    e.order,
                    e.policy_id,
                    e.scope(),
                    e.rank,
                    e.default
                )
            })
            .collect();
        out.note(format!(
            "Agent {} now decides with (rules tried in this order, first match wins):\n{}",
            a.agent_id,
            list.join("\n")
        ));
    }
    if more {
        out.note("…and more agents; see `openleash policy explain --agent AGENT`");
    } else if agents.len() > 3 {
        out.note(format!(
            "…and {} more agents; see `openleash policy explain --agent AGENT`",
            agents.len() - 3
        ));
    }
}

/// `policy explain`: the effective chain of one agent.
pub fn explain(agent: Option<&str>, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    let agent = match agent {
        Some(a) => dd.agent(a)?,
        None => dd.only_active_agent()?,
    };
    let layers = chain(&dd, &agent)?;
    if out.json {
        out.json_value(&json!({
            "agent_id": agent.agent_id,
            "agent_principal_id": agent.agent_principal_id,
            "policies": layers.iter().map(|e| json!({
                "order": e.order,
                "policy_id": e.policy_id,
                "name": if e.name.is_empty() { None } else { Some(&e.name) },
                "scope": if e.agent_specific { "agent" } else if e.group { "group" } else { "owner" },
                "rank": e.rank,
                "default": e.default,
            })).collect::<Vec<_>>(),
        }));
        return Ok(0);
    }
    if layers.is_empty() {
        out.note(format!(
            "No policy applies to agent {}: its requests fail with NO_POLICY.",
            agent.agent_id
        ));
        return Ok(0);
    }
    let mut t = out.table(&["ORDER", "POLICY ID", "NAME", "SCOPE", "RANK", "DEFAULT"]);
    for e in &layers {
        t.add_row(vec![
            e.order.to_string(),
            e.policy_id.clone(),
            e.name.clone(),
            e.scope().to_string(),
            e.rank.to_string(),
            e.default.clone(),
        ]);
    }
    out.print_table(&t);
    let decider = layers
        .iter()
        .find(|e| e.default != "passthrough")
        .map(|e| format!("`{}` of policy {}", e.default, e.policy_id))
        .unwrap_or_else(|| "deny (every default is passthrough)".into());
    out.note(format!(
        "Rules of all these policies are tried in this order and the first match wins; when none matches, the first default other than passthrough decides: {decider}."
    ));
    Ok(0)
}
