//! What an authenticated provisioner may do (upstream `routes/provisioner.ts`): read its owner's
//! policies and agents, create enrollments (single-use agent invites that may bind a policy at
//! redemption), bind and unbind the owner's policies on the owner's agents, and manage policy
//! group membership. Every function takes the [`Provisioner`] that
//! [`super::provisioners::authenticate`] returned and never reaches past its owner: another
//! owner's agent is "not found" (404) and another owner's policy an `INVALID_POLICY` (400), as
//! upstream. Every change is audited with the provisioner's id, in the same critical section as
//! the write; reads are not audited (as upstream: a polling launchpad would flood the chain).

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
use crate::handlers::page::{self, Order, PageRequest};
use crate::ids;
use crate::store::agents::Agent;
use crate::store::bindings::{Binding, PolicyEntry};
use crate::store::invites::Invite;
use crate::store::provisioners::Provisioner;
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};

/// Enrollment invites are valid for a day (upstream `ENROLLMENT_INVITE_TTL_MS`).
pub const ENROLLMENT_TTL_SECONDS: u64 = 24 * 60 * 60;
/// The name of the enrollment lists in cursors.
pub const ENROLLMENTS: &str = "enrollments";
const MAX_AGENT_NAME: usize = 200;

/// `GET /v1/provisioner/self`.
pub fn self_json(p: &Provisioner) -> Value {
    json!({
        "provisioner_id": p.provisioner_id,
        "name": p.name,
        "owner_type": p.owner_type.as_str(),
        "owner_id": p.owner_id,
        "status": p.status,
        "created_at": p.created_at,
        "expires_at": p.expires_at,
    })
}

/// `GET /v1/provisioner/policies`: the owner's policies (one page), in upstream's shape.
pub fn policies(dd: &DataDir, p: &Provisioner, req: &PageRequest) -> Result<Value> {
    let mut v = super::policies::list_for_owner_page(dd, &p.owner_id, req)?;
    if let Some(items) = v.get_mut("policies").and_then(Value::as_array_mut) {
        for item in items.iter_mut() {
            *item = json!({
                "policy_id": item["policy_id"],
                "name": item["name"],
                "description": item["description"],
                "applies_to_agent_principal_id": item["applies_to_agent_principal_id"],
                // Provisioners bind at the agent tier only.
                "applies_to_group_id": null,
            });
        }
    }
    Ok(v)
}

/// The owner's agent `agent_principal_id`, or 404 whoever else owns it.
fn owned_agent(dd: &DataDir, p: &Provisioner, agent_principal_id: &str) -> Result<Agent> {
    let not_found = || {
        Error::new(ErrorCode::NotFound, "Agent not found for this owner")
            .with_details(json!({"agent_principal_id": agent_principal_id}))
            .with_hint("list the owner's agents with GET /v1/provisioner/agents")
    };
    if !ids::is_uuid_shaped(agent_principal_id) {
        return Err(not_found());
    }
    match dd.agent_by_principal(agent_principal_id) {
        Ok(a) if a.owner_id.eq_ignore_ascii_case(&p.owner_id) => Ok(a),
        Ok(_) => Err(not_found()),
        Err(e) if e.code == ErrorCode::AgentNotFound => Err(not_found()),
        Err(e) => Err(e),
    }
}

/// The owner's policy `policy_id`, or `INVALID_POLICY` (400) whoever else owns it.
fn owned_policy(dd: &DataDir, p: &Provisioner, policy_id: &str) -> Result<PolicyEntry> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidPolicy,
            "policy_id does not reference a policy of this owner",
        )
        .with_details(json!({"policy_id": policy_id}))
        .with_hint("list the owner's policies with GET /v1/provisioner/policies")
    };
    if !ids::is_uuid_shaped(policy_id) {
        return Err(invalid());
    }
    dd.policy_entry(policy_id)?
        .filter(|e| e.owner_id.eq_ignore_ascii_case(&p.owner_id))
        .ok_or_else(invalid)
}

/// What a provisioner asks for when it enrolls an agent.
#[derive(Debug, Clone, Default)]
pub struct NewEnrollment {
    pub agent_name: String,
    pub policy_id: Option<String>,
    pub group_id: Option<String>,
}

/// `POST /v1/provisioner/enrollments`: a single-use invite for the owner, valid a day, that
/// records the provisioner and may name a policy to bind when an agent redeems it. Audited
/// `PROVISIONER_ENROLLMENT_CREATED`. `base` is the server's public URL for `invite_url`.
pub fn create_enrollment(
    dd: &DataDir,
    p: &Provisioner,
    n: NewEnrollment,
    base: &str,
) -> Result<Value> {
    let agent_name = n.agent_name.trim().to_string();
    if agent_name.is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidRequest, "agent_name is required")
                .with_hint("name the agent the enrollment is for, e.g. \"support-bot\""),
        );
    }
    if agent_name.chars().count() > MAX_AGENT_NAME {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("agent_name is longer than {MAX_AGENT_NAME} characters"),
        ));
    }
    let policy = match n.policy_id.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(owned_policy(dd, p, id)?.policy_id),
    };
    let group = match n.group_id.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(g) => Some(
            crate::handlers::policy_groups::owned_group(dd, &p.owner_id, g)
                .map_err(|_| group_invalid(g))?
                .group_id,
        ),
    };
    let (mut invite, token) =
        crate::store::invites::new_invite(p.owner_type, &p.owner_id, ENROLLMENT_TTL_SECONDS);
    invite.provisioner_id = Some(p.provisioner_id.clone());
    invite.agent_name = Some(agent_name.clone());
    invite.bind_policy_id = policy.clone();
    invite.bind_group_id = group.clone();
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    dd.stage_invite(&mut txn, &invite)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "PROVISIONER_ENROLLMENT_CREATED",
                json!({
                    "provisioner_id": p.provisioner_id,
                    "owner_type": p.owner_type.as_str(),
                    "owner_id": p.owner_id,
                    "invite_id": invite.invite_id,
                    "agent_name": agent_name,
                    "bind_policy_id": policy,
                    "bind_group_id": group,
                }),
            )
            .principal(&p.provisioner_id),
        ],
    )?;
    Ok(json!({
        "enrollment_id": invite.invite_id,
        "invite_id": invite.invite_id,
        "invite_token": token,
        "invite_url": format!(
            "{}/v1/agents/register-with-invite?invite_id={}&invite_token={token}",
            base.trim_end_matches('/'),
            invite.invite_id
        ),
        "expires_at": invite.expires_at,
        "agent_name": agent_name,
        "policy_id": policy,
        "group_id": group,
    }))
}

fn enrollment_json(dd: &DataDir, i: &Invite, now: time::OffsetDateTime) -> Value {
    let status = if i.used_at.is_some() {
        "used"
    } else if crate::timefmt::parse(&i.expires_at).is_none_or(|t| t <= now) {
        "expired"
    } else {
        "pending"
    };
    let agent = i
        .agent_principal_id
        .as_deref()
        .and_then(|id| dd.agent_by_principal(id).ok())
        .map(|a| json!({"agent_principal_id": a.agent_principal_id, "agent_id": a.agent_id}));
    json!({
        "enrollment_id": i.invite_id,
        "agent_name": i.agent_name,
        "policy_id": i.bind_policy_id,
        "group_id": i.bind_group_id,
        "status": status,
        "created_at": i.created_at,
        "expires_at": i.expires_at,
        "used_at": i.used_at,
        "agent": agent,
    })
}

/// `GET /v1/provisioner/enrollments`: this provisioner's enrollments (not other provisioners'
/// of the same owner), newest first.
pub fn enrollments(dd: &DataDir, p: &Provisioner, req: &PageRequest) -> Result<Value> {
    let mine = dd.invites()?.into_iter().filter(|i| {
        i.provisioner_id
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(&p.provisioner_id))
    });
    let page = page::collect(
        ENROLLMENTS,
        mine,
        |i: &Invite| format!("{}\u{1f}{}", i.created_at, i.invite_id),
        Order::Desc,
        req,
    );
    let now = crate::timefmt::now();
    Ok(page
        .map(|i| enrollment_json(dd, &i, now))
        .json("enrollments"))
}

/// `GET /v1/provisioner/agents`: the owner's agents (one page, oldest first).
pub fn agents(dd: &DataDir, p: &Provisioner, req: &PageRequest) -> Result<Value> {
    let page = super::agents::list_page(dd, OwnerScope::Owner(&p.owner_id), req)?;
    Ok(page
        .map(|a| {
            json!({
                "agent_principal_id": a.agent_principal_id,
                "agent_id": a.agent_id,
                "status": a.status,
                "created_at": a.created_at,
            })
        })
        .json("agents"))
}

// Policy groups (upstream's middle tier) go through `handlers::policy_groups`, scoped to the
// provisioner's owner, with the provisioner as the acting principal in their audit events.
// An enrollment may name a group the agent joins at redemption (`store::invites`).

fn group_invalid(group_id: &str) -> Error {
    Error::new(
        ErrorCode::InvalidGroup,
        "group_id does not reference a policy group of this owner",
    )
    .with_details(json!({"group_id": group_id}))
}

/// `GET /v1/provisioner/groups`.
pub fn groups(dd: &DataDir, p: &Provisioner) -> Result<Value> {
    crate::handlers::policy_groups::list(dd, &p.owner_id)
}

/// `POST /v1/provisioner/groups/{group_id}/agents/{agent_principal_id}`.
pub fn group_add_agent(
    dd: &DataDir,
    p: &Provisioner,
    group_id: &str,
    agent: &str,
) -> Result<Value> {
    let a = owned_agent(dd, p, agent)?;
    crate::handlers::policy_groups::add_agent(
        dd,
        &p.owner_id,
        group_id,
        &a.agent_principal_id,
        Some(&p.provisioner_id),
    )
}

/// `DELETE /v1/provisioner/groups/{group_id}/agents/{agent_principal_id}`.
pub fn group_remove_agent(
    dd: &DataDir,
    p: &Provisioner,
    group_id: &str,
    agent: &str,
) -> Result<Value> {
    let a = owned_agent(dd, p, agent)?;
    crate::handlers::policy_groups::remove_agent(
        dd,
        &p.owner_id,
        group_id,
        &a.agent_principal_id,
        Some(&p.provisioner_id),
    )
}

/// `GET /v1/provisioner/agents/{id}/policies`: the agent-tier bindings of one of the owner's
/// agents, by rank, and its group memberships (none yet).
pub fn agent_policies(dd: &DataDir, p: &Provisioner, agent_principal_id: &str) -> Result<Value> {
    let a = owned_agent(dd, p, agent_principal_id)?;
    let mut bound = dd.bindings_for_subject(&p.owner_id, Some(&a.agent_principal_id))?;
    bound.sort_by_key(Binding::effective_rank);
    let mut policies = Vec::with_capacity(bound.len());
    for b in &bound {
        let name = dd.policy_entry(&b.policy_id)?.and_then(|e| e.name);
        policies.push(json!({"policy_id": b.policy_id, "name": name, "rank": b.effective_rank()}));
    }
    let mut groups = Vec::new();
    for gid in dd.agent_group_ids(&a.agent_principal_id)? {
        // A group deleted since is still listed, without its name, as upstream.
        let g = dd.group(&gid)?;
        let membership = g
            .as_ref()
            .and_then(|g| g.member(&a.agent_principal_id))
            .map(|m| m.membership_id.clone());
        groups.push(json!({
            "group_id": gid,
            "name": g.as_ref().map(|g| g.name.clone()),
            "membership_id": membership,
        }));
    }
    Ok(json!({
        "agent_principal_id": a.agent_principal_id,
        "policies": policies,
        "groups": groups,
    }))
}

/// `POST /v1/provisioner/agents/{id}/policies`: binds one of the owner's policies to one of the
/// owner's agents after its other agent-tier policies (idempotent: `already_bound`). Audited
/// `PROVISIONER_POLICY_BOUND`. No second factor: the provisioner token is the credential its
/// owner chose to hand out.
pub fn bind_policy(
    dd: &DataDir,
    p: &Provisioner,
    agent_principal_id: &str,
    policy_id: &str,
) -> Result<Value> {
    let a = owned_agent(dd, p, agent_principal_id)?;
    if policy_id.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "policy_id is required",
        ));
    }
    let entry = owned_policy(dd, p, policy_id)?;
    let lock = dd.lock()?;
    let answer = |status: &str| json!({"policy_id": entry.policy_id, "agent_principal_id": a.agent_principal_id, "status": status});
    let tier = dd.bindings_for_subject(&p.owner_id, Some(&a.agent_principal_id))?;
    if tier
        .iter()
        .any(|b| b.policy_id.eq_ignore_ascii_case(&entry.policy_id))
    {
        return Ok(answer("already_bound"));
    }
    // After the agent's last agent-tier policy (upstream `nextRankInTier`).
    let rank = tier
        .iter()
        .map(Binding::effective_rank)
        .max()
        .map_or(100, |r| r.saturating_add(100));
    let before = dd.policy_view(&entry.policy_id)?;
    let mut after = before.clone();
    after.bindings.push(Binding {
        policy_id: entry.policy_id.clone(),
        owner_type: p.owner_type,
        owner_id: entry.owner_id.clone(),
        agent_principal_id: Some(a.agent_principal_id.clone()),
        rank: Some(rank),
        group_id: None,
    });
    let mut txn = Txn::default();
    dd.stage_policy_change(&mut txn, &before, &after)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "PROVISIONER_POLICY_BOUND",
                json!({
                    "provisioner_id": p.provisioner_id,
                    "owner_type": p.owner_type.as_str(),
                    "owner_id": p.owner_id,
                    "policy_id": entry.policy_id,
                    "agent_principal_id": a.agent_principal_id,
                    "rank": rank,
                }),
            )
            .principal(&p.provisioner_id),
        ],
    )?;
    Ok(answer("bound"))
}

/// `DELETE /v1/provisioner/agents/{id}/policies/{policy_id}`: removes the agent-tier binding
/// (the policy stays). 404 when it is not bound. Audited `PROVISIONER_POLICY_UNBOUND`.
pub fn unbind_policy(
    dd: &DataDir,
    p: &Provisioner,
    agent_principal_id: &str,
    policy_id: &str,
) -> Result<Value> {
    let a = owned_agent(dd, p, agent_principal_id)?;
    let not_bound = || {
        Error::new(ErrorCode::NotFound, "Policy is not bound to this agent")
            .with_details(json!({"policy_id": policy_id}))
    };
    if !ids::is_uuid_shaped(policy_id) {
        return Err(not_bound());
    }
    let lock = dd.lock()?;
    let before = dd.policy_view(policy_id)?;
    let mut after = before.clone();
    after.bindings.retain(|b| {
        !(b.policy_id.eq_ignore_ascii_case(policy_id)
            && b.owner_id.eq_ignore_ascii_case(&p.owner_id)
            && b.agent_principal_id
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(&a.agent_principal_id)))
    });
    if after.bindings.len() == before.bindings.len() {
        return Err(not_bound());
    }
    let policy_id = policy_id.to_ascii_lowercase();
    let mut txn = Txn::default();
    dd.stage_policy_change(&mut txn, &before, &after)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            NewEvent::new(
                "PROVISIONER_POLICY_UNBOUND",
                json!({
                    "provisioner_id": p.provisioner_id,
                    "owner_type": p.owner_type.as_str(),
                    "owner_id": p.owner_id,
                    "policy_id": policy_id,
                    "agent_principal_id": a.agent_principal_id,
                }),
            )
            .principal(&p.provisioner_id),
        ],
    )?;
    Ok(
        json!({"policy_id": policy_id, "agent_principal_id": a.agent_principal_id, "status": "unbound"}),
    )
}
