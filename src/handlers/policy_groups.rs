//! Policy groups (SPEC §17, upstream `routes/owner.ts` "Policy groups"): create, list, show,
//! update, delete; agent membership; policies bound to a group. The functions taking an owner id
//! work on that owner's groups (the caller has already decided the actor may); the `org_*` ones
//! are the organization faces, [`roles::require`] first. Every change is written together with
//! its audit event under the writer lock.
//!
//! Upstream keeps groups org-only (v1), and so do the faces (`openleash org group …` and the org
//! routes); the owner-level functions are owner-agnostic so that personal groups need no new
//! storage if they come.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::policies::{self, NewPolicy};
use crate::handlers::roles::{self, Actor, Op};
use crate::ids;
use crate::store::bindings::Bindings;
use crate::store::groups::{GroupMember, PolicyGroup, group_not_found};
use crate::store::owners::Owner;
use crate::store::{DataDir, Txn};
use serde_json::{Value, json};

/// A new group's fields as given.
#[derive(Debug, Clone, Default)]
pub struct NewGroup {
    pub name: String,
    pub slug: Option<String>,
    pub description: Option<String>,
}

/// A change to a group: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct GroupUpdate {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
}

/// A group event; `owner_id` (and `org_id`, upstream's name) let the owner's audit trail show it.
fn event(kind: &str, owner_id: &str, by: Option<&str>, mut metadata: Value) -> NewEvent {
    metadata["owner_id"] = json!(owner_id);
    metadata["org_id"] = json!(owner_id);
    NewEvent::new(kind, metadata).principal(by.unwrap_or(owner_id))
}

fn invalid_body(msg: &str) -> Error {
    Error::new(ErrorCode::InvalidBody, msg.to_string())
}

/// Slugs as upstream `validateOrgSlug`: 2–64 of `a-z`, `0-9`, `-`, starting and ending with a
/// letter or digit.
pub fn check_slug(slug: &str) -> Result<()> {
    if crate::ids::is_slug(slug) {
        Ok(())
    } else {
        Err(
            Error::new(ErrorCode::InvalidSlug, format!("invalid slug {slug:?}")).with_hint(
                "use 2-64 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
            ),
        )
    }
}

/// A slug made from a name (`Data Science` → `data-science`), unique among `taken`.
fn slug_for(name: &str, taken: &[String]) -> String {
    let base = crate::ids::slug_base(name, "group");
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

fn slug_taken() -> Error {
    Error::new(
        ErrorCode::SlugTaken,
        "A group with this slug already exists in the org",
    )
    .with_hint("choose another slug, or leave it out to have one made from the name")
}

/// The group `group_id` of `owner_id`; `NOT_FOUND` when it does not exist or belongs elsewhere.
pub fn owned_group(dd: &DataDir, owner_id: &str, group_id: &str) -> Result<PolicyGroup> {
    dd.group(group_id)?
        .filter(|g| g.owner_id.eq_ignore_ascii_case(owner_id))
        .ok_or_else(group_not_found)
}

fn summary(g: &PolicyGroup) -> Value {
    json!({
        "group_id": g.group_id,
        "name": g.name,
        "slug": g.slug,
        "description": g.description,
        "created_at": g.created_at,
        "created_by_user_id": g.created_by_user_id,
        "member_count": g.members.len(),
    })
}

/// `GET …/policy-groups`: the owner's groups with their member counts.
pub fn list(dd: &DataDir, owner_id: &str) -> Result<Value> {
    let groups: Vec<Value> = dd.groups_of_owner(owner_id)?.iter().map(summary).collect();
    Ok(json!({ "groups": groups }))
}

/// `POST …/policy-groups`, audited `POLICY_GROUP_CREATED`.
pub fn create(dd: &DataDir, owner: &Owner, g: NewGroup, by: Option<&str>) -> Result<Value> {
    let name = g.name.trim().to_string();
    if name.is_empty() {
        return Err(invalid_body("name is required").with_hint("give the group a name"));
    }
    let description = g
        .description
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let given = g
        .slug
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(s) = &given {
        check_slug(s)?;
    }
    let lock = dd.lock()?;
    let taken: Vec<String> = dd
        .groups_of_owner(&owner.owner_id)?
        .into_iter()
        .map(|g| g.slug)
        .collect();
    let slug = match given {
        Some(s) if taken.contains(&s) => return Err(slug_taken()),
        Some(s) => s,
        None => slug_for(&name, &taken),
    };
    let group = PolicyGroup {
        group_id: ids::new_id(),
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        name,
        slug,
        description,
        created_at: crate::timefmt::now_string(),
        created_by_user_id: by.map(str::to_string),
        members: vec![],
    };
    let mut txn = Txn::default();
    dd.stage_group(&mut txn, None, Some(&group))?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![event(
            "POLICY_GROUP_CREATED",
            &owner.owner_id,
            by,
            json!({"group_id": group.group_id, "name": group.name, "slug": group.slug, "created_by": by}),
        )],
    )?;
    Ok(json!({
        "group_id": group.group_id,
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
    }))
}

/// `GET …/policy-groups/{group_id}`: the group, its agents and the policies bound to it.
pub fn show(dd: &DataDir, owner_id: &str, group_id: &str) -> Result<Value> {
    let g = owned_group(dd, owner_id, group_id)?;
    let mut agents = Vec::new();
    for m in &g.members {
        // A member whose agent was deleted since is left out, as upstream.
        if let Ok(a) = dd.agent_by_principal(&m.agent_principal_id) {
            agents.push(json!({
                "agent_principal_id": m.agent_principal_id,
                "agent_id": a.agent_id,
                "membership_id": m.membership_id,
                "added_at": m.added_at,
            }));
        }
    }
    let mut bound = Vec::new();
    for b in dd.bindings_for_group(owner_id, &g.group_id)? {
        let entry = dd.policy_entry(&b.policy_id)?;
        bound.push(json!({
            "policy_id": b.policy_id,
            "name": entry.as_ref().and_then(|e| e.name.clone()),
            "description": entry.as_ref().and_then(|e| e.description.clone()),
            "rank": b.effective_rank(),
        }));
    }
    Ok(json!({
        "group_id": g.group_id,
        "name": g.name,
        "slug": g.slug,
        "description": g.description,
        "created_at": g.created_at,
        "created_by_user_id": g.created_by_user_id,
        "agents": agents,
        "bound_policies": bound,
    }))
}

/// `PUT …/policy-groups/{group_id}`, audited `POLICY_GROUP_UPDATED`.
pub fn update(
    dd: &DataDir,
    owner_id: &str,
    group_id: &str,
    u: GroupUpdate,
    by: Option<&str>,
) -> Result<Value> {
    let lock = dd.lock()?;
    let before = owned_group(dd, owner_id, group_id)?;
    let mut g = before.clone();
    if let Some(name) = u.name {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(invalid_body("name cannot be empty"));
        }
        g.name = name;
    }
    if let Some(slug) = u.slug {
        let slug = slug.trim().to_string();
        check_slug(&slug)?;
        if slug != g.slug {
            if dd
                .groups_of_owner(owner_id)?
                .iter()
                .any(|x| x.group_id != g.group_id && x.slug == slug)
            {
                return Err(slug_taken());
            }
            g.slug = slug;
        }
    }
    if let Some(d) = u.description {
        g.description = Some(d.trim().to_string()).filter(|d| !d.is_empty());
    }
    let mut txn = Txn::default();
    dd.stage_group(&mut txn, Some(&before), Some(&g))?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![event(
            "POLICY_GROUP_UPDATED",
            owner_id,
            by,
            json!({"group_id": g.group_id, "updated_by": by}),
        )],
    )?;
    Ok(json!({
        "group_id": g.group_id,
        "name": g.name,
        "slug": g.slug,
        "description": g.description,
    }))
}

/// `DELETE …/policy-groups/{group_id}`: refused with `GROUP_HAS_POLICIES` while policies are
/// bound to it (as upstream: rules never disappear silently); memberships go with the group.
pub fn delete(dd: &DataDir, owner_id: &str, group_id: &str, by: Option<&str>) -> Result<Value> {
    let lock = dd.lock()?;
    let g = owned_group(dd, owner_id, group_id)?;
    let bound: Vec<String> = dd
        .bindings_for_group(owner_id, &g.group_id)?
        .into_iter()
        .map(|b| b.policy_id)
        .collect();
    if !bound.is_empty() {
        return Err(Error::new(
            ErrorCode::GroupHasPolicies,
            "Cannot delete group while policies are bound to it",
        )
        .with_details(json!({ "bound_policy_ids": bound }))
        .with_hint("delete those policies (or move them) first"));
    }
    let mut txn = Txn::default();
    dd.stage_group(&mut txn, Some(&g), None)?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![event(
            "POLICY_GROUP_DELETED",
            owner_id,
            by,
            json!({"group_id": g.group_id, "deleted_by": by, "removed_memberships": g.members.len()}),
        )],
    )?;
    Ok(json!({ "group_id": g.group_id, "status": "deleted" }))
}

/// `POST …/policy-groups/{group_id}/agents/{agent_id}`: idempotent (`already_member`), audited
/// `POLICY_GROUP_AGENT_ADDED`. The agent must belong to the group's owner.
pub fn add_agent(
    dd: &DataDir,
    owner_id: &str,
    group_id: &str,
    agent_principal_id: &str,
    by: Option<&str>,
) -> Result<Value> {
    let lock = dd.lock()?;
    let before = owned_group(dd, owner_id, group_id)?;
    let not_found = || {
        Error::new(ErrorCode::NotFound, "Agent not found in this organization").with_hint(
            "the agent must belong to the group's owner; list them with `openleash agent list`",
        )
    };
    if !ids::is_uuid_shaped(agent_principal_id) {
        return Err(not_found());
    }
    let agent = dd
        .agent_by_principal(agent_principal_id)
        .ok()
        .filter(|a| a.owner_id.eq_ignore_ascii_case(owner_id))
        .ok_or_else(not_found)?;
    if let Some(m) = before.member(&agent.agent_principal_id) {
        return Ok(json!({"membership_id": m.membership_id, "status": "already_member"}));
    }
    let mut g = before.clone();
    let m = GroupMember {
        membership_id: ids::new_id(),
        agent_principal_id: agent.agent_principal_id.clone(),
        added_at: crate::timefmt::now_string(),
        added_by_user_id: by.map(str::to_string),
    };
    g.members.push(m.clone());
    let mut txn = Txn::default();
    dd.stage_group(&mut txn, Some(&before), Some(&g))?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![event(
            "POLICY_GROUP_AGENT_ADDED",
            owner_id,
            by,
            json!({"group_id": g.group_id, "agent_principal_id": m.agent_principal_id,
                   "membership_id": m.membership_id, "added_by": by}),
        )],
    )?;
    Ok(json!({"membership_id": m.membership_id, "status": "added"}))
}

/// `DELETE …/policy-groups/{group_id}/agents/{agent_id}`, audited `POLICY_GROUP_AGENT_REMOVED`.
pub fn remove_agent(
    dd: &DataDir,
    owner_id: &str,
    group_id: &str,
    agent_principal_id: &str,
    by: Option<&str>,
) -> Result<Value> {
    let lock = dd.lock()?;
    let before = owned_group(dd, owner_id, group_id)?;
    let Some(m) = before.member(agent_principal_id).cloned() else {
        return Err(
            Error::new(ErrorCode::NotFound, "Agent is not a member of this group").with_hint(
                "show the group's agents with `openleash org group show ORG_ID GROUP_ID`",
            ),
        );
    };
    let mut g = before.clone();
    g.members.retain(|x| x.membership_id != m.membership_id);
    let mut txn = Txn::default();
    dd.stage_group(&mut txn, Some(&before), Some(&g))?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![event(
            "POLICY_GROUP_AGENT_REMOVED",
            owner_id,
            by,
            json!({"group_id": g.group_id, "agent_principal_id": m.agent_principal_id,
                   "membership_id": m.membership_id, "removed_by": by}),
        )],
    )?;
    Ok(json!({"membership_id": m.membership_id, "status": "removed"}))
}

/// Creates a policy bound to group `group_id` of `owner` (upstream `applies_to_group_id`), ranked
/// last in the group tier, audited `POLICY_UPSERTED`. A group of another owner, or none, is
/// `INVALID_GROUP`.
pub fn create_group_policy(
    dd: &DataDir,
    owner: &Owner,
    text: &str,
    group_id: &str,
    name: Option<String>,
    description: Option<String>,
) -> Result<Value> {
    policies::validate("policy_yaml", text)?;
    let lock = dd.lock()?;
    let Some(group) = dd.group(group_id)? else {
        return Err(
            Error::new(ErrorCode::InvalidGroup, "Target policy group not found")
                .with_hint("list the groups with `openleash org group list ORG_ID`"),
        );
    };
    if !group.owner_id.eq_ignore_ascii_case(&owner.owner_id) {
        return Err(Error::new(
            ErrorCode::InvalidGroup,
            "Target policy group does not belong to this organization",
        ));
    }
    // One rank space across the owner's groups (the group tier), next slot after the last.
    let rank = dd
        .bindings()?
        .bindings
        .iter()
        .filter(|b| b.owner_id.eq_ignore_ascii_case(&owner.owner_id))
        .filter(|b| b.agent_principal_id.is_none() && b.group_id.is_some())
        .map(crate::store::bindings::Binding::effective_rank)
        .max()
        .map_or(100, |r| r.saturating_add(100));
    let trim = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let p = NewPolicy {
        policy_id: None,
        owner_type: owner.owner_type,
        owner_id: owner.owner_id.clone(),
        agent_principal_id: None,
        name: trim(name),
        description: trim(description),
        rank: Some(rank),
        text: text.to_string(),
    };
    let before = Bindings::default();
    let mut b = before.clone();
    let mut txn = Txn::default();
    let policy_id = policies::stage_create(dd, &mut b, &mut txn, &p)?;
    for x in &mut b.bindings {
        x.group_id = Some(group.group_id.clone());
    }
    dd.stage_policy_change(&mut txn, &before, &b)?;
    txn.commit()?;
    let mut ev = policies::created_event(&p, &policy_id);
    ev.metadata["applies_to_group_id"] = json!(group.group_id);
    dd.append_audit_locked(&lock, vec![ev])?;
    Ok(json!({
        "policy_id": policy_id,
        "org_id": owner.owner_id,
        "applies_to_agent_principal_id": Value::Null,
        "applies_to_group_id": group.group_id,
        "rank": rank,
    }))
}

// The organization faces: the role check first (docs/roles.md), then the owner-level handler.

pub fn org_list(dd: &DataDir, actor: &Actor, org_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupsList)?;
    list(dd, org_id)
}

pub fn org_create(dd: &DataDir, actor: &Actor, org_id: &str, g: NewGroup) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupCreate)?;
    create(dd, &roles::org(dd, org_id)?, g, actor.user_id())
}

pub fn org_show(dd: &DataDir, actor: &Actor, org_id: &str, group_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupShow)?;
    show(dd, org_id, group_id)
}

pub fn org_update(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    group_id: &str,
    u: GroupUpdate,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupUpdate)?;
    update(dd, org_id, group_id, u, actor.user_id())
}

pub fn org_delete(dd: &DataDir, actor: &Actor, org_id: &str, group_id: &str) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupDelete)?;
    delete(dd, org_id, group_id, actor.user_id())
}

pub fn org_add_agent(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    group_id: &str,
    agent_principal_id: &str,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupAgentAdd)?;
    add_agent(dd, org_id, group_id, agent_principal_id, actor.user_id())
}

pub fn org_remove_agent(
    dd: &DataDir,
    actor: &Actor,
    org_id: &str,
    group_id: &str,
    agent_principal_id: &str,
) -> Result<Value> {
    roles::require(dd, actor, org_id, Op::GroupAgentRemove)?;
    remove_agent(dd, org_id, group_id, agent_principal_id, actor.user_id())
}

#[cfg(test)]
mod tests;
