//! HTTP adapters for human approval, policy drafts, the owner API and the admin API (SPEC §8.2,
//! §9): each route parses its input, calls the library handler the CLI uses too, and returns its
//! JSON. Owner routes see only the session owner's records ([`OwnerScope::Owner`]).

use super::request::Req;
use super::state::AppState;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::{self, CreateApprovalRequest, ListFilter, OwnerScope};
use crate::handlers::drafts::{self, AppliesTo, SubmitDraft};
use crate::handlers::page::PageRequest;
use crate::handlers::policies;
use crate::store::owners::Owner;
use serde_json::{Map, Value, json};

pub(super) fn opt_string(m: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("`{key}` must be a string"),
        )),
    }
}

pub(super) fn req_string(m: &Map<String, Value>, key: &str) -> Result<String> {
    opt_string(m, key)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, format!("`{key}` is required")))
}

/// The body of a POST that may be empty (`deny` without a reason): `{}` when there is none.
pub(super) fn optional_body(r: &Req<'_>) -> Result<Map<String, Value>> {
    if r.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    r.json_object()
}

/// The second-factor code of a gated operation (`totp_code`, as upstream).
pub(super) fn totp_code(m: &Map<String, Value>) -> Result<Option<String>> {
    opt_string(m, "totp_code")
}

pub(super) fn id_param<'a>(r: &Req<'a>) -> Result<&'a str> {
    r.param("id")
        .ok_or_else(|| Error::internal("route without an {id} parameter"))
}

pub(super) fn owner<'a>(r: &'a Req<'_>) -> Result<&'a Owner> {
    r.owner
        .as_ref()
        .ok_or_else(|| Error::internal("owner route without a session"))
}

fn scope<'a>(r: &'a Req<'_>) -> Result<OwnerScope<'a>> {
    Ok(OwnerScope::Owner(&owner(r)?.owner_id))
}

/// `?limit=&cursor=` of a list route (see [`crate::handlers::page`]).
pub(super) fn page_req(r: &Req<'_>, list: &str) -> Result<PageRequest> {
    PageRequest::from_query(
        list,
        r.query_param("limit").as_deref(),
        r.query_param("cursor").as_deref(),
    )
}

// ---------------------------------------------------------------------------------------------
// Agent

pub fn agent_create_approval(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let action = m
        .get("action")
        .cloned()
        .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, "`action` is required"))?;
    let input = CreateApprovalRequest {
        decision_id: req_string(&m, "decision_id")?,
        action,
        justification: opt_string(&m, "justification")?,
        context: m.get("context").cloned(),
    };
    approvals::create(&s.dd, &*r.config(s)?, r.agent()?, input)
}

pub fn agent_get_approval(s: &AppState, r: &Req<'_>) -> Result<Value> {
    approvals::get_for_agent(&s.dd, r.agent()?, id_param(r)?)
}

pub fn agent_create_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let input = SubmitDraft {
        policy_yaml: req_string(&m, "policy_yaml")?,
        applies_to: AppliesTo::from_body(&m)?,
        name: opt_string(&m, "name")?,
        description: opt_string(&m, "description")?,
        justification: opt_string(&m, "justification")?,
    };
    drafts::submit(&s.dd, r.agent()?, input)
}

pub fn agent_list_drafts(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = page_req(r, drafts::LIST)?;
    drafts::list_for_agent_page(&s.dd, r.agent()?, r.query_param("status").as_deref(), &page)
}

pub fn agent_get_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    drafts::get_for_agent(&s.dd, r.agent()?, id_param(r)?)
}

// ---------------------------------------------------------------------------------------------
// Owner

pub fn owner_login(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let id = match opt_string(&m, "user_principal_id")? {
        Some(id) => id,
        None => req_string(&m, "owner_id")?,
    };
    let pass = req_string(&m, "passphrase")?;
    crate::handlers::owner::login(
        &s.dd,
        &*r.config(s)?,
        &s.login_throttle,
        r.peer.map(|p| p.ip()),
        &id,
        &pass,
    )
}

/// `POST /v1/owner/logout` (any body or none): revokes the bearer session server-side.
pub fn owner_logout(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let token = r
        .header("authorization")
        .and_then(|h| h.trim().split_once(' '))
        .map(|(_, t)| t.trim())
        .unwrap_or_default();
    crate::handlers::owner::logout(&s.dd, owner(r)?, token)
}

pub fn owner_agents(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = page_req(r, crate::handlers::agents::LIST)?;
    let page = crate::handlers::agents::list_page(&s.dd, scope(r)?, &page)?;
    Ok(page
        .map(|a| crate::store::agents::Agent::public_json(&a))
        .json("agents"))
}

/// `PUT /v1/owner/agents/{id}` with `status` ACTIVE or REVOKED (validated, unlike upstream).
pub fn owner_set_agent_status(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let status = req_string(&m, "status")?;
    let code = totp_code(&m)?;
    let a = crate::handlers::agents::set_status(
        &s.dd,
        scope(r)?,
        id_param(r)?,
        &status,
        code.as_deref(),
    )?;
    Ok(
        json!({"agent_principal_id": a.agent_principal_id, "agent_id": a.agent_id, "status": a.status}),
    )
}

pub fn owner_list_approvals(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let filter = ListFilter {
        status: r.query_param("status").filter(|s| !s.is_empty()),
        agent: r
            .query_param("agent_principal_id")
            .filter(|s| !s.is_empty()),
    };
    let page = page_req(r, approvals::LIST)?;
    Ok(approvals::list_page(&s.dd, scope(r)?, &filter, &page)?.json("approval_requests"))
}

pub fn owner_get_approval(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let a = approvals::get(&s.dd, scope(r)?, id_param(r)?)?;
    serde_json::to_value(a).map_err(|e| Error::internal(format!("serialise: {e}")))
}

pub fn owner_approve(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let code = totp_code(&optional_body(r)?)?;
    approvals::approve(
        &s.dd,
        &*r.config(s)?,
        scope(r)?,
        id_param(r)?,
        code.as_deref(),
    )
}

pub fn owner_deny(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = optional_body(r)?;
    let reason = opt_string(&m, "reason")?;
    let code = totp_code(&m)?;
    approvals::deny(
        &s.dd,
        scope(r)?,
        id_param(r)?,
        reason.as_deref(),
        code.as_deref(),
    )
}

pub fn owner_list_drafts(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = page_req(r, drafts::LIST)?;
    let status = r.query_param("status");
    Ok(drafts::list_page(&s.dd, scope(r)?, status.as_deref(), None, &page)?.json("policy_drafts"))
}

pub fn owner_get_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let d = drafts::get(&s.dd, scope(r)?, id_param(r)?)?;
    let impact = crate::handlers::replay::draft_impact(&s.dd, &d)?;
    let mut v = serde_json::to_value(d).map_err(|e| Error::internal(format!("serialise: {e}")))?;
    v["replay_impact"] = serde_json::to_value(impact).unwrap_or(Value::Null);
    Ok(v)
}

pub fn owner_approve_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let code = totp_code(&optional_body(r)?)?;
    drafts::approve(&s.dd, scope(r)?, id_param(r)?, code.as_deref())
}

pub fn owner_deny_draft(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = optional_body(r)?;
    let reason = opt_string(&m, "reason")?;
    let code = totp_code(&m)?;
    drafts::deny(
        &s.dd,
        scope(r)?,
        id_param(r)?,
        reason.as_deref(),
        code.as_deref(),
    )
}

/// Audit paging shared by the owner and admin routes: `limit` (1–1000, default 50) and an opaque
/// `cursor`, newest first. The cursors handed out are keyset cursors (`k` + the seq of the
/// page's oldest event): the next page starts by bisection and stays the same while the log
/// grows. A plain number is still read as upstream's offset.
pub(super) fn audit_page(
    s: &AppState,
    r: &Req<'_>,
    filter: &crate::audit::query::Filter,
) -> Result<Value> {
    let limit = r
        .query_param("limit")
        .map(|l| l.parse::<usize>().unwrap_or(1))
        .unwrap_or(50)
        .clamp(1, 1000);
    let cursor = r.query_param("cursor").unwrap_or_default();
    let page = match cursor.strip_prefix('k').map(str::parse::<u64>) {
        Some(Ok(before)) => s.dd.audit_page_before(filter, before, limit)?,
        Some(Err(_)) => {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::InvalidRequest,
                format!("invalid cursor {cursor:?}"),
            )
            .with_hint("pass back the next_cursor of the previous page, or omit cursor"));
        }
        None => {
            s.dd.audit_page(filter, cursor.parse::<usize>().unwrap_or(0), limit)?
        }
    };
    let next = page
        .more
        .then(|| page.events.last().map(|e| format!("k{}", e.seq)))
        .flatten();
    Ok(json!({ "items": page.events, "next_cursor": next }))
}

pub fn owner_audit(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let filter = crate::audit::query::Filter {
        owner: Some(owner(r)?.owner_id.clone()),
        ..Default::default()
    };
    audit_page(s, r, &filter)
}

// ---------------------------------------------------------------------------------------------
// Admin

pub fn admin_agents(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = page_req(r, crate::handlers::agents::LIST)?;
    let page = crate::handlers::agents::list_page(&s.dd, OwnerScope::All, &page)?;
    Ok(page
        .map(|a| crate::store::agents::Agent::public_json(&a))
        .json("agents"))
}

pub fn admin_policies(s: &AppState, r: &Req<'_>) -> Result<Value> {
    policies::list_all_page(&s.dd, &page_req(r, policies::CATALOGUE_LIST)?)
}

pub fn admin_audit(s: &AppState, r: &Req<'_>) -> Result<Value> {
    audit_page(s, r, &crate::audit::query::Filter::default())
}

pub fn admin_config(s: &AppState, r: &Req<'_>) -> Result<Value> {
    Ok(r.config(s)?.redacted_json())
}

pub fn admin_state(s: &AppState, _r: &Req<'_>) -> Result<Value> {
    crate::handlers::state::summary(&s.dd)
}

/// `POST /v1/admin/users` (and `/v1/admin/owners`): `display_name`, optional `passphrase`.
pub fn admin_create_user(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let name = req_string(&m, "display_name")?;
    let mut o = Owner::new(crate::store::owners::OwnerType::User, name.trim());
    if let Some(p) = opt_string(&m, "passphrase")? {
        let h = crate::crypto::passphrase::hash(&p)?;
        o.passphrase_hash = Some(h.passphrase_hash);
        o.passphrase_salt = Some(h.passphrase_salt);
        o.passphrase_set_at = Some(crate::timefmt::now_string());
    }
    let lock = s.dd.lock()?;
    let mut txn = crate::store::Txn::default();
    s.dd.stage_owner(&mut txn, &o)?;
    txn.commit()?;
    s.dd.append_audit_locked(
        &lock,
        vec![
            crate::audit::NewEvent::new(
                "USER_CREATED",
                json!({"user_principal_id": o.owner_id, "display_name": o.display_name}),
            )
            .principal(&o.owner_id),
        ],
    )?;
    Ok(json!({"user_principal_id": o.owner_id, "display_name": o.display_name, "status": o.status}))
}

// ---------------------------------------------------------------------------------------------
// Owner: agent invites and policies

/// `POST /v1/owner/agent-invites`: optional `ttl_seconds` (default `invites.ttl_seconds`).
pub fn owner_create_invite(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let ttl = invite_ttl(s, r)?;
    crate::handlers::invites::create(&s.dd, owner(r)?, ttl, &s.public_url())
}

/// An agent invite's lifetime: the body's optional `ttl_seconds`, else `invites.ttl_seconds`.
pub(super) fn invite_ttl(s: &AppState, r: &Req<'_>) -> Result<u64> {
    match optional_body(r)?.get("ttl_seconds") {
        None | Some(Value::Null) => Ok(r.config(s)?.invites.ttl_seconds),
        Some(v) => v.as_u64().filter(|t| *t > 0).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                "`ttl_seconds` must be a positive integer",
            )
        }),
    }
}

/// A nullable string field that may be absent: `None` absent, `Some(None)` null.
pub(super) fn nullable_string(m: &Map<String, Value>, key: &str) -> Result<Option<Option<String>>> {
    if m.contains_key(key) {
        opt_string(m, key).map(Some)
    } else {
        Ok(None)
    }
}

pub fn owner_list_policies(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let page = page_req(r, policies::LIST)?;
    policies::list_for_owner_page(&s.dd, &owner(r)?.owner_id, &page)
}

pub fn owner_create_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    policies::create_for_owner(
        &s.dd,
        owner(r)?,
        &req_string(&m, "policy_yaml")?,
        opt_string(&m, "applies_to_agent_principal_id")?.as_deref(),
        opt_string(&m, "name")?,
        opt_string(&m, "description")?,
        totp_code(&m)?.as_deref(),
    )
}

pub fn owner_get_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    policies::get_for_owner(&s.dd, &owner(r)?.owner_id, id_param(r)?)
}

pub fn owner_update_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let m = r.json_object()?;
    let update = policies::PolicyUpdate {
        text: opt_string(&m, "policy_yaml")?,
        name: nullable_string(&m, "name")?,
        description: nullable_string(&m, "description")?,
    };
    policies::update_for_owner(
        &s.dd,
        &owner(r)?.owner_id,
        id_param(r)?,
        update,
        totp_code(&m)?.as_deref(),
    )
}

pub fn owner_delete_policy(s: &AppState, r: &Req<'_>) -> Result<Value> {
    let code = totp_code(&optional_body(r)?)?;
    let (entry, removed) = policies::delete(
        &s.dd,
        Some(&owner(r)?.owner_id),
        id_param(r)?,
        code.as_deref(),
    )?;
    Ok(json!({"policy_id": entry.policy_id, "status": "deleted", "bindings_removed": removed}))
}
