//! HTTP adapters for organizations (`/v1/owner/organizations…`, `/v1/owner/organization-invites…`):
//! each parses its input, names the session's user as the [`Actor`] and calls `handlers::orgs`
//! or `handlers::org_resources`, where the role checks live.

use super::request::Req;
use super::state::AppState;
use super::workflow::{
    audit_page, id_param, nullable_string, opt_string, optional_body, owner, req_string,
};
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::ListFilter;
use crate::handlers::roles::Actor;
use crate::handlers::{org_resources as res, orgs, policies};
use crate::store::orgs::OrgRole;
use serde_json::Value;

fn actor(r: &Req<'_>) -> Result<Actor> {
    Ok(Actor::User(owner(r)?.owner_id.clone()))
}

fn org_param<'a>(r: &Req<'a>) -> Result<&'a str> {
    r.param("org_id")
        .ok_or_else(|| Error::internal("route without an {org_id} parameter"))
}

fn param<'a>(r: &Req<'a>, name: &str) -> Result<&'a str> {
    r.param(name)
        .ok_or_else(|| Error::internal(format!("route without a {{{name}}} parameter")))
}

fn role(m: &serde_json::Map<String, Value>) -> Result<OrgRole> {
    OrgRole::parse(&req_string(m, "role")?)
}

// ---------------------------------------------------------------------------------------------
// Organizations and membership

pub fn create(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let name = opt_string(&m, "display_name")?.unwrap_or_default();
    let slug = opt_string(&m, "slug")?;
    orgs::create_with_slug(&s.dd, &actor(r)?, &name, slug.as_deref())
}

pub fn list(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::list(&s.dd, &actor(r)?)
}

pub fn show(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::show(&s.dd, &actor(r)?, org_param(r)?)
}

pub fn update(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let name = opt_string(&m, "display_name")?;
    let slug = opt_string(&m, "slug")?;
    orgs::update(
        &s.dd,
        &actor(r)?,
        org_param(r)?,
        name.as_deref(),
        slug.as_deref(),
    )
}

pub fn delete(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::delete(&s.dd, &actor(r)?, org_param(r)?)
}

pub fn members(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::members(&s.dd, &actor(r)?, org_param(r)?)
}

/// `POST …/members`: as upstream, an invitation (`user_principal_id`, `role`), not a direct add.
pub fn invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    // The role check first: a non-admin learns nothing about the body's problems.
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::MemberInvite)?;
    let m = r.json_object()?;
    let user = opt_string(&m, "user_principal_id")?.ok_or_else(|| {
        Error::new(ErrorCode::InvalidBody, "user_principal_id is required")
            .with_hint("invite by user id (invites by email are not supported)")
    })?;
    orgs::invite(
        &s.dd,
        &a,
        org,
        &user,
        role(&m)?,
        crate::timefmt::now(),
        orgs::INVITE_TTL_SECONDS,
    )
}

pub fn set_role(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::MemberSetRole)?;
    let m = r.json_object()?;
    orgs::set_role(&s.dd, &a, org, param(r, "user_id")?, role(&m)?)
}

pub fn remove_member(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::remove_member(&s.dd, &actor(r)?, org_param(r)?, param(r, "user_id")?)
}

pub fn leave(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::leave(&s.dd, &actor(r)?, org_param(r)?)
}

pub fn org_invites(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::org_invites(&s.dd, &actor(r)?, org_param(r)?, crate::timefmt::now())
}

pub fn revoke_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::revoke(&s.dd, &actor(r)?, org_param(r)?, param(r, "invite_id")?)
}

pub fn my_invites(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::my_invites(&s.dd, &actor(r)?, crate::timefmt::now())
}

pub fn accept_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::accept(
        &s.dd,
        &actor(r)?,
        param(r, "invite_id")?,
        crate::timefmt::now(),
    )
}

pub fn decline_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    orgs::decline(
        &s.dd,
        &actor(r)?,
        param(r, "invite_id")?,
        crate::timefmt::now(),
    )
}

// ---------------------------------------------------------------------------------------------
// The organization's records

pub fn agents(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::list_agents(&s.dd, &actor(r)?, org_param(r)?)
}

/// `POST …/agent-invites`: optional `ttl_seconds` (default `invites.ttl_seconds`).
pub fn agent_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(
        &s.dd,
        &a,
        org,
        crate::handlers::roles::Op::AgentInviteCreate,
    )?;
    let ttl = super::workflow::invite_ttl(s, r)?;
    res::create_agent_invite(&s.dd, &a, org, ttl, &s.public_url())
}

pub fn policies(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = super::workflow::page_req(r, crate::handlers::policies::LIST)?;
    res::list_policies(&s.dd, &actor(r)?, org_param(r)?, &page)
}

pub fn get_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::get_policy(&s.dd, &actor(r)?, org_param(r)?, id_param(r)?)
}

pub fn create_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::PolicyCreate)?;
    let m = r.json_object()?;
    let text = req_string(&m, "policy_yaml")?;
    let agent = opt_string(&m, "applies_to_agent_principal_id")?;
    let group = opt_string(&m, "applies_to_group_id")?;
    let policy = res::NewOrgPolicy {
        text: &text,
        agent_principal_id: agent.as_deref(),
        group_id: group.as_deref(),
        name: opt_string(&m, "name")?,
        description: opt_string(&m, "description")?,
    };
    res::create_policy(
        &s.dd,
        &a,
        org,
        policy,
        super::workflow::totp_code(&m)?.as_deref(),
    )
}

pub fn update_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::PolicyUpdate)?;
    let m = r.json_object()?;
    let update = policies::PolicyUpdate {
        text: opt_string(&m, "policy_yaml")?,
        name: nullable_string(&m, "name")?,
        description: nullable_string(&m, "description")?,
    };
    let totp = super::workflow::totp_code(&m)?;
    res::update_policy(&s.dd, &a, org, id_param(r)?, update, totp.as_deref())
}

pub fn delete_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::PolicyDelete)?;
    let totp = super::workflow::totp_code(&optional_body(r)?)?;
    res::delete_policy(&s.dd, &a, org, id_param(r)?, totp.as_deref())
}

pub fn approvals(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let filter = ListFilter {
        status: r.query_param("status").filter(|s| !s.is_empty()),
        agent: r
            .query_param("agent_principal_id")
            .filter(|s| !s.is_empty()),
    };
    res::list_approvals(&s.dd, &actor(r)?, org_param(r)?, &filter)
}

pub fn get_approval(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::get_approval(&s.dd, &actor(r)?, org_param(r)?, id_param(r)?)
}

pub fn approve(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::ApprovalApprove)?;
    let totp = super::workflow::totp_code(&optional_body(r)?)?;
    res::approve(
        &s.dd,
        &*r.config(s)?,
        &a,
        org,
        id_param(r)?,
        totp.as_deref(),
    )
}

pub fn deny(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::ApprovalDeny)?;
    let m = optional_body(r)?;
    let reason = opt_string(&m, "reason")?;
    let totp = super::workflow::totp_code(&m)?;
    res::deny(
        &s.dd,
        &a,
        org,
        id_param(r)?,
        reason.as_deref(),
        totp.as_deref(),
    )
}

pub fn drafts(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::list_drafts(
        &s.dd,
        &actor(r)?,
        org_param(r)?,
        r.query_param("status").as_deref(),
    )
}

pub fn get_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::get_draft(&s.dd, &actor(r)?, org_param(r)?, id_param(r)?)
}

pub fn approve_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::DraftApprove)?;
    let totp = super::workflow::totp_code(&optional_body(r)?)?;
    res::approve_draft(&s.dd, &a, org, id_param(r)?, totp.as_deref())
}

pub fn deny_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::DraftDeny)?;
    let m = optional_body(r)?;
    let reason = opt_string(&m, "reason")?;
    let totp = super::workflow::totp_code(&m)?;
    res::deny_draft(
        &s.dd,
        &a,
        org,
        id_param(r)?,
        reason.as_deref(),
        totp.as_deref(),
    )
}

pub fn audit(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let filter = res::audit_filter(&s.dd, &actor(r)?, org_param(r)?)?;
    audit_page(s, r, &filter)
}

/// `POST /v1/owner/agents/{id}/transfer` with `target_org_id`.
pub fn transfer_to_org(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let target = opt_string(&m, "target_org_id")?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| Error::new(ErrorCode::InvalidBody, "target_org_id is required"))?;
    res::transfer_to_org(&s.dd, &actor(r)?, id_param(r)?, target.trim())
}

/// `POST …/organizations/{org_id}/agents/{id}/transfer`: the org's agent to the caller.
pub fn transfer_to_user(s: &AppState, r: &Req<'_>) -> Result<Value> {
    res::transfer_to_user(&s.dd, &actor(r)?, org_param(r)?, id_param(r)?)
}

/// `PUT /v1/owner/policies/order`: the session owner's own policies.
pub fn reorder_own(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let o = owner(r)?;
    let (tier, ids) = crate::handlers::groups::parse_order(&r.json_object()?)?;
    crate::handlers::groups::reorder(&s.dd, &o.owner_id, tier, &ids, Some(&o.owner_id))
}

/// `PUT …/organizations/{org_id}/policies/order` (org_admin).
pub fn reorder_org(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = actor(r)?;
    let org = org_param(r)?;
    crate::handlers::roles::require(&s.dd, &a, org, crate::handlers::roles::Op::PoliciesOrder)?;
    let (tier, ids) = crate::handlers::groups::parse_order(&r.json_object()?)?;
    res::reorder_policies(&s.dd, &a, org, tier, &ids)
}

/// `GET /v1/owner/approvals` (upstream's cross-scope inbox), paged like every list.
pub fn inbox(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let user = owner(r)?.owner_id.clone();
    let status = r.query_param("status").filter(|s| !s.is_empty());
    let page = super::workflow::page_req(r, crate::handlers::approvals::INBOX)?;
    res::inbox(&s.dd, &user, status.as_deref(), &page)
}
