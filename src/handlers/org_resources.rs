//! An organization's agents, agent invites, policies, approval requests, drafts and audit
//! (`/v1/owner/organizations/{org_id}/…`): each operation is the role check of
//! [`roles::require`] (table in `docs/roles.md`) followed by the same handler a user's own
//! records go through, scoped to the org. No face reaches an org's records another way.

use crate::audit::query::Filter;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::handlers::approvals::{self, ListFilter};
use crate::handlers::roles::{self, Actor, Op};
use crate::handlers::{agents, drafts, invites, policies};
use crate::store::DataDir;
use crate::store::owners::OwnerType;
use serde_json::{Value, json};

fn serialise<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::internal(format!("serialise: {e}")))
}

pub fn list_agents(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::AgentsList)?;
    let list: Vec<Value> = agents::list(dd, scope)?
        .iter()
        .map(crate::store::agents::Agent::public_json)
        .collect();
    Ok(json!({ "agents": list }))
}

pub fn create_agent_invite(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    ttl_seconds: u64,
    base: &str,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::AgentInviteCreate)?;
    invites::create(dd, &roles::org(dd, org_id)?, ttl_seconds, base)
}

/// One page of the organization's policies, in the owner API's order and with its cursors.
pub fn list_policies(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    req: &crate::handlers::page::PageRequest,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PoliciesList)?;
    policies::list_for_owner_page(dd, org_id, req)
}

pub fn get_policy(dd: &DataDir, actor: &Actor, org_id: &str, id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PolicyShow)?;
    policies::get_for_owner(dd, org_id, id)
}

/// A policy an org member creates for the org (`POST …/organizations/{org_id}/policies`).
pub struct NewOrgPolicy<'a> {
    pub text: &'a str,
    pub agent_principal_id: Option<&'a str>,
    /// Upstream `applies_to_group_id`: the policy applies to every agent of this policy group.
    pub group_id: Option<&'a str>,
    pub name: Option<String>,
    pub description: Option<String>,
}

pub fn create_policy(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    p: NewOrgPolicy<'_>,
    totp: Option<&str>,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PolicyCreate)?;
    let org = roles::org(dd, org_id)?;
    gate_actor(dd, actor, totp)?;
    if let Some(g) = p.group_id {
        if p.agent_principal_id.is_some() {
            return Err(Error::new(
                crate::error::ErrorCode::InvalidBody,
                "Cannot set both applies_to_agent_principal_id and applies_to_group_id — policies target exactly one tier",
            ));
        }
        return super::policy_groups::create_group_policy(
            dd,
            &org,
            p.text,
            g,
            p.name,
            p.description,
        );
    }
    policies::create_for_owner(
        dd,
        &org,
        p.text,
        p.agent_principal_id,
        p.name,
        p.description,
        None,
    )
}

pub fn update_policy(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    id: &str,
    u: policies::PolicyUpdate,
    totp: Option<&str>,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PolicyUpdate)?;
    gate_actor(dd, actor, totp)?;
    policies::update_for_owner(dd, org_id, id, u, None)
}

pub fn delete_policy(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    id: &str,
    totp: Option<&str>,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PolicyDelete)?;
    gate_actor(dd, actor, totp)?;
    let (entry, removed) = policies::delete(dd, Some(org_id), id, None)?;
    Ok(json!({"policy_id": entry.policy_id, "status": "deleted", "bindings_removed": removed}))
}

pub fn list_approvals(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    filter: &ListFilter,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::ApprovalsList)?;
    Ok(json!({ "approval_requests": approvals::list(dd, scope, filter)? }))
}

pub fn get_approval(dd: &DataDir, actor: &Actor, org_id: &str, id: &str) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::ApprovalShow)?;
    serialise(approvals::get(dd, scope, id)?)
}

pub fn approve(
    dd: &DataDir,
    config: &Config,
    actor: &Actor,
    org_id: &str,
    id: &str,
    totp: Option<&str>,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::ApprovalApprove)?;
    approvals::approve(dd, config, scope, id, totp)
}

pub fn deny(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    id: &str,
    reason: Option<&str>,
    totp: Option<&str>,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::ApprovalDeny)?;
    approvals::deny(dd, scope, id, reason, totp)
}

pub fn list_drafts(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    status: Option<&str>,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::DraftsList)?;
    Ok(json!({ "policy_drafts": drafts::list(dd, scope, status, None)? }))
}

pub fn get_draft(dd: &DataDir, actor: &Actor, org_id: &str, id: &str) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::DraftShow)?;
    let d = drafts::get(dd, scope, id)?;
    let impact = crate::handlers::replay::draft_impact(dd, &d)?;
    let mut v = serialise(d)?;
    v["replay_impact"] = serde_json::to_value(impact).unwrap_or(Value::Null);
    Ok(v)
}

pub fn approve_draft(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    id: &str,
    totp: Option<&str>,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::DraftApprove)?;
    drafts::approve(dd, scope, id, totp)
}

pub fn deny_draft(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    id: &str,
    reason: Option<&str>,
    totp: Option<&str>,
) -> Result<Value> {
    let scope = roles::org_scope(dd, actor, org_id, Op::DraftDeny)?;
    drafts::deny(dd, scope, id, reason, totp)
}

/// The audit filter of an org's trail (events about the org and the agents it owns), after the
/// role check; paging is the face's (shared with the user's own audit).
pub fn audit_filter(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Filter> {
    roles::require(dd, actor, org_id, Op::AuditRead)?;
    Ok(Filter {
        owner: Some(org_id.to_ascii_lowercase()),
        ..Default::default()
    })
}

/// Moves the acting user's agent `agent_principal_id` to `org_id`, which the user administers
/// (upstream `POST /v1/owner/agents/{id}/transfer`), audited `AGENT_TRANSFERRED` with the change.
/// The agent leaves its old owner's policy groups in the same transaction.
pub fn transfer_to_org(
    dd: &DataDir,
    actor: &Actor,
    agent_principal_id: &str,
    org_id: &str,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::AgentTransfer)?;
    let user = actor.require_user("transferring an agent")?;
    let org = roles::org(dd, org_id)?;
    move_agent(
        dd,
        actor,
        agent_principal_id,
        user,
        (OwnerType::Org, &org.owner_id),
    )
}

/// Moves the org's agent `agent_principal_id` to the acting user, an org_admin of it (Δ: the way
/// back, which upstream lacks).
pub fn transfer_to_user(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    agent_principal_id: &str,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::AgentTransfer)?;
    let user = actor.require_user("transferring an agent")?.to_string();
    move_agent(
        dd,
        actor,
        agent_principal_id,
        org_id,
        (OwnerType::User, &user),
    )
}

fn move_agent(
    dd: &DataDir,
    actor: &Actor,
    agent_principal_id: &str,
    from: &str,
    to: (OwnerType, &str),
) -> Result<Value> {
    let not_found = || {
        crate::error::Error::new(crate::error::ErrorCode::NotFound, "Agent not found")
            .with_hint("only an agent of the owner it moves from can be transferred")
    };
    if !crate::ids::is_uuid_shaped(agent_principal_id) {
        return Err(not_found());
    }
    let lock = dd.lock()?;
    let mut agent = dd
        .agent_by_principal(agent_principal_id)
        .ok()
        .filter(|a| a.owner_id.eq_ignore_ascii_case(from))
        .ok_or_else(not_found)?;
    let (from_type, from_id) = (agent.owner_type, agent.owner_id.clone());
    agent.owner_type = to.0;
    agent.owner_id = to.1.to_ascii_lowercase();
    let mut txn = crate::store::Txn::default();
    dd.stage_agent(&mut txn, &agent)?;
    // Policy groups belong to an owner: the agent must not keep its old owner's policies
    // through them, so it leaves them in the same transaction.
    let left = dd.stage_agent_leaves_groups(&mut txn, &agent.agent_principal_id)?;
    if !from_id.eq_ignore_ascii_case(&agent.owner_id) {
        dd.stage_agent_unlisted_from(&mut txn, &agent, &from_id);
    }
    txn.commit()?;
    let group_ids_left: Vec<&str> = left.iter().map(|(g, _)| g.group_id.as_str()).collect();
    let mut ev = crate::audit::NewEvent::new(
        "AGENT_TRANSFERRED",
        json!({"user_principal_id": actor.user_id(), "agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id,
               "from_owner_type": from_type.as_str(), "from_owner_id": from_id, "to_owner_type": to.0.as_str(), "to_owner_id": agent.owner_id,
               "owner_id": agent.owner_id, "group_ids_left": group_ids_left}),
    );
    if let Some(u) = actor.user_id() {
        ev = ev.principal(u);
    }
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(
        json!({"agent_principal_id": agent.agent_principal_id, "agent_id": agent.agent_id, "owner_type": agent.owner_type.as_str(), "owner_id": agent.owner_id}),
    )
}

/// `PUT …/policies/order` for the org (org_admin).
pub fn reorder_policies(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    tier: crate::handlers::groups::Tier,
    ordered: &[String],
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::PoliciesOrder)?;
    crate::handlers::groups::reorder(dd, org_id, tier, ordered, actor.user_id())
}

/// The acting user's second factor for an org's gated operation (SPEC §17): the org itself has
/// no TOTP, the member acting for it does. The local operator is not a user.
fn gate_actor(dd: &DataDir, actor: &Actor, totp: Option<&str>) -> Result<()> {
    match actor.user_id() {
        Some(user) => crate::handlers::totp::gate(dd, &dd.config()?, user, totp),
        None => Ok(()),
    }
}

/// `GET /v1/owner/approvals` (upstream's cross-scope inbox): the approval requests of the user
/// and of every organization in which the user's role may list approvals, newest first, each
/// with a `scope` naming whose it is, so a client needs one round trip instead of one per org.
pub fn inbox(
    dd: &DataDir,
    user_id: &str,
    status: Option<&str>,
    req: &crate::handlers::page::PageRequest,
) -> Result<Value> {
    let actor = Actor::User(user_id.to_string());
    let mut scopes: std::collections::HashMap<String, Value> = Default::default();
    let user = dd.owner(user_id)?;
    scopes.insert(
        user.owner_id.to_ascii_lowercase(),
        json!({"owner_type": "user", "owner_id": user.owner_id, "display_name": user.display_name, "slug": null}),
    );
    for org_id in dd.user_orgs(user_id)?.org_ids {
        // Membership ended or the role may not list approvals: not part of this user's inbox.
        if roles::require(dd, &actor, &org_id, Op::ApprovalsList).is_err() {
            continue;
        }
        let org = roles::org(dd, &org_id)?;
        scopes.insert(
            org.owner_id.to_ascii_lowercase(),
            json!({"owner_type": "org", "owner_id": org.owner_id, "display_name": org.display_name, "slug": null}),
        );
    }
    let owners = scopes.keys().cloned().collect();
    let page = approvals::inbox_page(dd, &owners, status, req)?;
    let page = page.map(|r| {
        let scope = scopes
            .get(&r.owner_id.to_ascii_lowercase())
            .cloned()
            .unwrap_or(Value::Null);
        let mut v = serde_json::to_value(&r).unwrap_or(Value::Null);
        v["scope"] = scope;
        v
    });
    Ok(page.json("approval_requests"))
}
