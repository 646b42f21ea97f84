//! Policy order within a tier (`PUT /v1/owner/policies/order` and the org variant): the owner
//! lists every policy of one tier in the order they should apply, and ranks become 100, 200, …
//! (as upstream `reorderPoliciesForTier`). The `group` tier is one rank space across all of an
//! owner's policy groups (as upstream: "engineering fires before finance").

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A specificity tier (resolution order: agent, then group, then owner-wide).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Agent,
    Group,
    OwnerWide,
}

impl Tier {
    pub fn parse(s: &str) -> Result<Tier> {
        match s {
            "agent" => Ok(Tier::Agent),
            "group" => Ok(Tier::Group),
            "owner_wide" => Ok(Tier::OwnerWide),
            _ => Err(invalid("tier must be one of: agent, group, owner_wide")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Agent => "agent",
            Tier::Group => "group",
            Tier::OwnerWide => "owner_wide",
        }
    }
}

fn invalid(msg: &str) -> Error {
    Error::new(ErrorCode::InvalidBody, msg.to_string())
        .with_hint("send {\"tier\": \"agent\"|\"group\"|\"owner_wide\", \"ordered_policy_ids\": [every policy of that tier, in order]}")
}

/// Sets the ranks of `owner_id`'s bindings in `tier` to follow `ordered` (which must name each
/// policy of the tier exactly once), audited `POLICIES_REORDERED` under the same lock.
/// `principal` is who did it (the session's user), for the audit line.
pub fn reorder(
    dd: &DataDir,
    owner_id: &str,
    tier: Tier,
    ordered: &[String],
    principal: Option<&str>,
) -> Result<Value> {
    let lock = dd.lock()?;
    let mut b = dd.bindings()?;
    let in_tier = |x: &crate::store::bindings::Binding| match tier {
        Tier::Agent => x.agent_principal_id.is_some(),
        Tier::OwnerWide => x.is_owner_wide(),
        Tier::Group => x.agent_principal_id.is_none() && x.group_id.is_some(),
    };
    let tier_ids: BTreeSet<String> = b
        .bindings
        .iter()
        .filter(|x| x.owner_id.eq_ignore_ascii_case(owner_id) && in_tier(x))
        .map(|x| x.policy_id.to_ascii_lowercase())
        .collect();
    let mut seen = BTreeSet::new();
    for id in ordered {
        let id = id.to_ascii_lowercase();
        if !seen.insert(id.clone()) {
            return Err(invalid("ordered_policy_ids contains duplicates"));
        }
        if !tier_ids.contains(&id) {
            return Err(invalid(&format!(
                "Policy {id} is not in the specified tier"
            )));
        }
    }
    if ordered.len() != tier_ids.len() {
        return Err(invalid(&format!(
            "Expected {} policy IDs in this tier, got {}",
            tier_ids.len(),
            ordered.len()
        )));
    }
    for (i, id) in ordered.iter().enumerate() {
        let rank = i64::try_from(i + 1)
            .unwrap_or(i64::MAX / 100)
            .saturating_mul(100);
        for x in b.bindings.iter_mut().filter(|x| {
            x.policy_id.eq_ignore_ascii_case(id)
                && x.owner_id.eq_ignore_ascii_case(owner_id)
                && in_tier(x)
        }) {
            x.rank = Some(rank);
        }
    }
    let mut txn = Txn::default();
    dd.stage_bindings(&mut txn, &b)?;
    txn.commit()?;
    let mut ev = NewEvent::new(
        "POLICIES_REORDERED",
        json!({"owner_id": owner_id, "tier": tier.as_str(), "ordered_policy_ids": ordered}),
    );
    if let Some(p) = principal {
        ev = ev.principal(p);
    }
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(json!({ "reordered": ordered.len() }))
}

/// Parses the body of the order routes: `tier` and `ordered_policy_ids`.
pub fn parse_order(m: &serde_json::Map<String, Value>) -> Result<(Tier, Vec<String>)> {
    let tier = Tier::parse(m.get("tier").and_then(Value::as_str).unwrap_or_default())?;
    let Some(Value::Array(ids)) = m.get("ordered_policy_ids") else {
        return Err(invalid("ordered_policy_ids must be an array of policy IDs"));
    };
    let ids = ids
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<Vec<String>>>()
        .ok_or_else(|| invalid("ordered_policy_ids must contain only strings"))?;
    Ok((tier, ids))
}
