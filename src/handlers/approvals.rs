//! Human approval (SPEC §9.1): an agent turns a REQUIRE_APPROVAL decision into an approval
//! request, an owner approves (issuing an approval token bound to the request, agent, owner and
//! action hash) or denies it, and the agent polls for the outcome. The re-authorization with the
//! token lives in [`super::authorize::authorize_approved`].
//!
//! Owner-side functions take an [`OwnerScope`]: the HTTP owner API passes the session's owner, so
//! another owner's request is simply not found; the local CLI acts for the whole data directory.

use crate::action::ValidatedAction;
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::page::{self, Order, Page, PageRequest};
use crate::store::agents::Agent;
use crate::store::approvals::{self, APPROVED, ApprovalRequest, DENIED, PENDING};
use crate::store::{DataDir, Txn, listindex};
use crate::timefmt;
use serde_json::{Value, json};

/// Whose requests an owner-side call may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerScope<'a> {
    /// The local operator (CLI on the data directory): every owner.
    All,
    /// One owner (an HTTP session).
    Owner(&'a str),
    /// An organization's records, acted on by one of its members (after the role check of
    /// `handlers::roles`): `resolved_by` names the member, not the org.
    Member { org_id: &'a str, user_id: &'a str },
}

impl OwnerScope<'_> {
    pub fn includes(&self, owner_id: &str) -> bool {
        match self {
            OwnerScope::All => true,
            OwnerScope::Owner(id) => id.eq_ignore_ascii_case(owner_id),
            OwnerScope::Member { org_id, .. } => org_id.eq_ignore_ascii_case(owner_id),
        }
    }

    /// Who resolved something, for `resolved_by`.
    pub fn actor(&self) -> Option<&str> {
        match self {
            OwnerScope::All => None,
            OwnerScope::Owner(id) => Some(id),
            OwnerScope::Member { user_id, .. } => Some(user_id),
        }
    }
}

/// `POST /v1/agent/approval-requests` / `openleash approval request`.
#[derive(Debug, Clone)]
pub struct CreateApprovalRequest {
    pub decision_id: String,
    pub action: Value,
    pub justification: Option<String>,
    pub context: Option<Value>,
}

fn invalid_decision(message: String) -> Error {
    Error::new(ErrorCode::InvalidDecision, message).with_hint(
        "pass the decision_id of a REQUIRE_APPROVAL decision this agent received for the same action, before it expires",
    )
}

/// Creates an approval request for a REQUIRE_APPROVAL decision of `agent` (SPEC §9.1 Δ: the
/// decision must be real, unexpired, this agent's, and for the same action hash). A decision
/// backs one request only.
pub fn create(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    input: CreateApprovalRequest,
) -> Result<Value> {
    let action = ValidatedAction::from_value(input.action)?;
    super::authorize::check_own_action(agent, &action)?;
    if !crate::ids::is_uuid_shaped(&input.decision_id) {
        return Err(invalid_decision(format!(
            "decision_id {:?} is not a UUID",
            input.decision_id
        )));
    }
    let now = timefmt::now();
    let request = {
        let lock = dd.lock()?;
        let decision = dd
            .pending_decision(&input.decision_id)?
            .filter(|d| d.agent_principal_id == agent.agent_principal_id)
            .ok_or_else(|| {
                invalid_decision(format!(
                    "no pending REQUIRE_APPROVAL decision {} for agent {:?} (unknown, expired, already used, or another agent's)",
                    input.decision_id, agent.agent_id
                ))
            })?;
        if decision.action_hash != action.action_hash() {
            return Err(invalid_decision(format!(
                "decision {} was made for another action (action_hash {}, this action has {})",
                decision.decision_id,
                decision.action_hash,
                action.action_hash()
            )));
        }
        let request = ApprovalRequest {
            approval_request_id: crate::ids::new_id(),
            decision_id: decision.decision_id.clone(),
            agent_principal_id: agent.agent_principal_id.clone(),
            agent_id: agent.agent_id.clone(),
            owner_type: agent.owner_type,
            owner_id: agent.owner_id.clone(),
            action_type: action.action_type().to_string(),
            action_hash: action.action_hash().to_string(),
            action: action.into_value(),
            justification: input.justification.filter(|s| !s.is_empty()),
            context: input.context.filter(|c| !c.is_null()),
            status: PENDING.into(),
            approval_token: None,
            approval_token_expires_at: None,
            resolved_at: None,
            resolved_by: None,
            denial_reason: None,
            consumed_at: None,
            created_at: timefmt::format(now),
            // A rule's `approval_ttl` shortens the configured lifetime, never extends it.
            expires_at: timefmt::format(timefmt::plus_seconds(
                now,
                i64::try_from(
                    decision
                        .approval_ttl_seconds
                        .map_or(config.approval.request_ttl_seconds, |t| {
                            t.min(config.approval.request_ttl_seconds)
                        }),
                )
                .unwrap_or(i64::MAX),
            )),
            matched_rule_id: decision.matched_rule_id.clone(),
            reminded_at: None,
            escalated_at: None,
        };
        let mut txn = Txn::default();
        dd.stage_approval_request(&mut txn, &request)?;
        dd.stage_remove_decision(&mut txn, &decision.decision_id)?;
        let notes = crate::notify::outbox::stage(
            dd,
            &mut txn,
            config,
            &crate::notify::event::Event::approval_created(&request, config),
        )?;
        txn.commit()?;
        dd.append_audit_locked(
            &lock,
            vec![
                NewEvent::new(
                    "APPROVAL_REQUEST_CREATED",
                    json!({
                        "approval_request_id": request.approval_request_id,
                        "decision_id": request.decision_id,
                        "agent_id": request.agent_id,
                        "agent_principal_id": request.agent_principal_id,
                        "owner_type": request.owner_type.as_str(),
                        "owner_id": request.owner_id,
                        "action_type": request.action_type,
                        "action_hash": request.action_hash,
                        "justification": request.justification,
                    }),
                )
                .principal(&agent.agent_principal_id)
                .decision(&request.decision_id),
            ],
        )?;
        crate::notify::enqueued(dd, notes);
        request
    };
    Ok(json!({
        "approval_request_id": request.approval_request_id,
        "status": request.status,
        "expires_at": request.expires_at,
    }))
}

fn not_found(id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("approval request {id} not found"),
    )
    .with_hint("list approval requests with `openleash approval list`")
}

/// The agent's view of its own request (`GET /v1/agent/approval-requests/{id}`): the effective
/// status, and the approval token once APPROVED. Another agent's request is not found.
pub fn get_for_agent(dd: &DataDir, agent: &Agent, id: &str) -> Result<Value> {
    crate::ids::check_uuid("approval request id", id)?;
    let r = dd
        .approval_request(id)?
        .filter(|r| r.agent_principal_id == agent.agent_principal_id)
        .ok_or_else(|| not_found(id))?;
    let now = timefmt::now();
    if r.status == PENDING && r.is_expired(now) {
        crate::notify::lifecycle::expire_if_due(dd, id);
    }
    Ok(agent_view(&r, now))
}

pub fn agent_view(r: &ApprovalRequest, now: time::OffsetDateTime) -> Value {
    let status = r.effective_status(now);
    let mut v = json!({
        "approval_request_id": r.approval_request_id,
        "status": status,
        "action_type": r.action_type,
        "action_hash": r.action_hash,
        "justification": r.justification,
        "created_at": r.created_at,
        "expires_at": r.expires_at,
        "resolved_at": r.resolved_at,
        "denial_reason": r.denial_reason,
    });
    if status == APPROVED {
        v["approval_token"] = json!(r.approval_token);
        v["approval_token_expires_at"] = json!(r.approval_token_expires_at);
    }
    v
}

/// Filters of an owner-side listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Effective status (`PENDING`, `APPROVED`, `DENIED`, `EXPIRED`), any case.
    pub status: Option<String>,
    /// An agent, by `agent_id` or principal id.
    pub agent: Option<String>,
}

/// Approval requests visible in `scope`, newest first, with their effective status.
pub fn list(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    filter: &ListFilter,
) -> Result<Vec<ApprovalRequest>> {
    let status = filter
        .status
        .as_deref()
        .map(approvals::parse_status)
        .transpose()?;
    let now = timefmt::now();
    let mut out: Vec<ApprovalRequest> = dd
        .approval_requests()?
        .into_iter()
        .filter(|r| scope.includes(&r.owner_id))
        .filter(|r| status.is_none_or(|s| r.effective_status(now) == s))
        .filter(|r| {
            filter
                .agent
                .as_deref()
                .is_none_or(|a| r.agent_id == a || r.agent_principal_id.eq_ignore_ascii_case(a))
        })
        .map(|mut r| {
            r.status = r.effective_status(now).to_string();
            r
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// The name of the approval-request list in cursors.
pub const LIST: &str = "approval-requests";

/// One page of [`list`] (newest first), keyed by `created_at` and id: walks the sorted index of
/// the scope from the cursor and reads only the page's records.
pub fn list_page(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    filter: &ListFilter,
    req: &PageRequest,
) -> Result<Page<ApprovalRequest>> {
    let status = filter
        .status
        .as_deref()
        .map(approvals::parse_status)
        .transpose()?;
    let now = timefmt::now();
    let agent = filter.agent.as_deref();
    let select = match status {
        Some(s) => Select::Status(s),
        None => Select::Any,
    };
    page_where(dd, LIST, req, now, &scopes_of(scope), select, agent, |r| {
        scope.includes(&r.owner_id)
            && status.is_none_or(|s| r.effective_status(now) == s)
            && agent.is_none_or(|a| r.agent_id == a || r.agent_principal_id.eq_ignore_ascii_case(a))
    })
}

/// The index scopes of an owner scope.
fn scopes_of(scope: OwnerScope<'_>) -> Vec<String> {
    match scope {
        OwnerScope::All => vec![listindex::ALL.to_string()],
        OwnerScope::Owner(id) => vec![listindex::owner_scope(id)],
        OwnerScope::Member { org_id, .. } => vec![listindex::owner_scope(org_id)],
    }
}

/// The name of the cross-scope inbox (`GET /v1/owner/approvals`) in cursors.
pub const INBOX: &str = "approval-inbox";

/// One page of the requests owned by any of `owners` (lower-case principal ids), newest first,
/// with the effective status (a PENDING request past its expiry reads EXPIRED): a merge of the
/// owners' indexes.
pub fn inbox_page(
    dd: &DataDir,
    owners: &std::collections::HashSet<String>,
    status: Option<&str>,
    req: &PageRequest,
) -> Result<Page<ApprovalRequest>> {
    let status = status.map(approvals::parse_status).transpose()?;
    let now = timefmt::now();
    let mut scopes: Vec<String> = owners.iter().map(|o| listindex::owner_scope(o)).collect();
    scopes.sort();
    let select = match status {
        Some(s) => Select::Status(s),
        None => Select::Any,
    };
    page_where(dd, INBOX, req, now, &scopes, select, None, |r| {
        owners.contains(&r.owner_id.to_ascii_lowercase())
            && status.is_none_or(|s| r.effective_status(now) == s)
    })
}

/// The name of the resolved-requests list (the portal's history) in cursors.
pub const HISTORY: &str = "approval-history";

/// One page of the requests in `scope` that are no longer pending (approved, denied or
/// expired), newest first.
pub fn history_page(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    req: &PageRequest,
) -> Result<Page<ApprovalRequest>> {
    let now = timefmt::now();
    page_where(
        dd,
        HISTORY,
        req,
        now,
        &scopes_of(scope),
        Select::NotPending,
        None,
        |r| scope.includes(&r.owner_id) && r.effective_status(now) != PENDING,
    )
}

/// Which effective statuses a list shows, as the index can tell them apart.
#[derive(Clone, Copy)]
enum Select {
    Any,
    Status(&'static str),
    NotPending,
}

/// A newest-first page of the requests `keep` accepts, with their effective status: from the
/// index of `scopes` (entries filtered by `select` and `agent`, then their records re-checked
/// with `keep`), or, when the index cannot be used, by reading every record.
#[allow(clippy::too_many_arguments)]
fn page_where(
    dd: &DataDir,
    list: &str,
    req: &PageRequest,
    now: time::OffsetDateTime,
    scopes: &[String],
    select: Select,
    agent: Option<&str>,
    keep: impl Fn(&ApprovalRequest) -> bool,
) -> Result<Page<ApprovalRequest>> {
    let now_s = timefmt::format(now);
    let now_s = now_s.as_str();
    // A stored PENDING entry is effectively pending while its expiry is after now.
    let live = |e: &listindex::Entry| e.flag == 'P' && e.exp.as_str() > now_s;
    let by_status = |e: &listindex::Entry| match select {
        Select::Any => true,
        Select::NotPending => !live(e),
        Select::Status(PENDING) => live(e),
        Select::Status(approvals::EXPIRED) => e.flag == 'E' || (e.flag == 'P' && !live(e)),
        Select::Status(s) => e.flag == approvals::status_flag(s),
    };
    let matches = |e: &listindex::Entry| by_status(e) && agent.is_none_or(|a| e.is_agent(a));
    let visit = |m: &listindex::ChunkMeta| match select {
        Select::Any => true,
        Select::NotPending => m.pending_at(now_s) != Some(m.count),
        Select::Status(PENDING) => m.pending_at(now_s) != Some(0),
        Select::Status(approvals::EXPIRED) => {
            m.flag('E') > 0 || m.pending_at(now_s) != Some(m.flag('P'))
        }
        Select::Status(s) => m.flag(approvals::status_flag(s)) > 0,
    };
    let count = |m: &listindex::ChunkMeta| {
        if agent.is_some() {
            return None;
        }
        match select {
            Select::Any => Some(m.count),
            Select::NotPending => m.pending_at(now_s).map(|p| m.count - p),
            Select::Status(PENDING) => m.pending_at(now_s),
            Select::Status(approvals::EXPIRED) => {
                m.pending_at(now_s).map(|p| m.flag('E') + m.flag('P') - p)
            }
            Select::Status(s) => Some(m.flag(approvals::status_flag(s))),
        }
    };
    let load = |e: &listindex::Entry| -> Result<Option<ApprovalRequest>> {
        if !crate::ids::is_uuid_shaped(&e.id) {
            return Ok(None);
        }
        Ok(dd.approval_request(&e.id)?.filter(|r| keep(r)))
    };
    let spec = page::Indexed {
        kind: listindex::Kind::Approvals,
        scopes: scopes.to_vec(),
        order: Order::Desc,
        visit: &visit,
        matches: &matches,
        count: &count,
        load: &load,
    };
    let page = match page::indexed(dd, list, &spec, req)? {
        Some(p) => p,
        None => {
            let matching = dd
                .approval_requests_iter()?
                .filter(|r| r.as_ref().map_or(true, &keep));
            page::try_collect(list, matching, approval_key, Order::Desc, req)?
        }
    };
    Ok(page.map(|mut r| {
        r.status = r.effective_status(now).to_string();
        r
    }))
}

/// The sort key of an approval request in its list.
pub fn approval_key(r: &ApprovalRequest) -> String {
    approvals::approval_key(r)
}

/// One request visible in `scope`, with its effective status.
pub fn get(dd: &DataDir, scope: OwnerScope<'_>, id: &str) -> Result<ApprovalRequest> {
    crate::ids::check_uuid("approval request id", id)?;
    let mut r = dd
        .approval_request(id)?
        .filter(|r| scope.includes(&r.owner_id))
        .ok_or_else(|| not_found(id))?;
    let now = timefmt::now();
    if r.status == PENDING && r.is_expired(now) {
        crate::notify::lifecycle::expire_if_due(dd, id);
    }
    r.status = r.effective_status(now).to_string();
    Ok(r)
}

/// Loads a request for resolution under the writer lock: it must be visible, stored PENDING
/// (`INVALID_STATUS` otherwise) and unexpired (`REQUEST_EXPIRED`; the file then records EXPIRED).
fn pending_for_resolution(
    dd: &DataDir,
    lock: &crate::store::WriteLock,
    scope: OwnerScope<'_>,
    id: &str,
    verb: &str,
    now: time::OffsetDateTime,
) -> Result<ApprovalRequest> {
    crate::ids::check_uuid("approval request id", id)?;
    let mut r = dd
        .approval_request(id)?
        .filter(|r| scope.includes(&r.owner_id))
        .ok_or_else(|| not_found(id))?;
    if r.status == crate::store::approvals::EXPIRED {
        // Swept to EXPIRED already: the same answer as expiring now.
        return Err(Error::new(
            ErrorCode::RequestExpired,
            format!("Approval request expired at {}", r.expires_at),
        )
        .with_hint("the agent has to ask again (a new decision and approval request)"));
    }
    if r.status != PENDING {
        return Err(Error::new(
            ErrorCode::InvalidStatus,
            format!("Cannot {verb} request with status {}", r.status),
        )
        .with_hint("only PENDING requests can be approved or denied"));
    }
    if r.is_expired(now) {
        let config = dd.config()?;
        crate::notify::lifecycle::expire_locked(dd, lock, &config, &mut r)?;
        return Err(Error::new(
            ErrorCode::RequestExpired,
            format!("Approval request expired at {}", r.expires_at),
        )
        .with_hint("the agent has to ask again (a new decision and approval request)"));
    }
    Ok(r)
}

/// Approves a PENDING request and issues its approval token (TTL `approval.token_ttl_seconds`).
/// `totp` is the acting user's second-factor code ([`super::totp::gate`]).
pub fn approve(
    dd: &DataDir,
    config: &Config,
    scope: OwnerScope<'_>,
    id: &str,
    totp: Option<&str>,
) -> Result<Value> {
    let owner_id = get(dd, scope, id)?.owner_id;
    super::totp::gate(dd, config, scope.actor().unwrap_or(&owner_id), totp)?;
    let now = timefmt::now();
    let lock = dd.lock()?;
    let mut r = pending_for_resolution(dd, &lock, scope, id, "approve", now)?;
    let (key, signing_key) = dd.active_key()?;
    let claims = crate::tokens::ApprovalClaims {
        approval_request_id: &r.approval_request_id,
        owner_type: r.owner_type.as_str(),
        owner_id: &r.owner_id,
        agent_id: &r.agent_id,
        action_type: &r.action_type,
        action_hash: &r.action_hash,
    };
    let issued = crate::tokens::issue_approval(
        &key.kid,
        &signing_key,
        &claims,
        config.approval.token_ttl_seconds,
        now,
    )?;
    r.status = APPROVED.into();
    r.approval_token = Some(issued.token);
    r.approval_token_expires_at = Some(issued.expires_at);
    r.resolved_at = Some(timefmt::format(now));
    r.resolved_by = Some(scope.actor().unwrap_or(&r.owner_id).to_string());
    let mut txn = Txn::default();
    dd.stage_approval_request(&mut txn, &r)?;
    let notes = crate::notify::outbox::stage(
        dd,
        &mut txn,
        config,
        &crate::notify::event::Event::approval_approved(&r, config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![resolved_event("APPROVAL_REQUEST_APPROVED", &r)])?;
    crate::notify::enqueued(dd, notes);
    Ok(json!({
        "approval_request_id": r.approval_request_id,
        "status": r.status,
        "approval_token": r.approval_token,
        "approval_token_expires_at": r.approval_token_expires_at,
    }))
}

/// Denies a PENDING request; `reason` is optional and recorded as null when absent.
pub fn deny(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    id: &str,
    reason: Option<&str>,
    totp: Option<&str>,
) -> Result<Value> {
    let owner_id = get(dd, scope, id)?.owner_id;
    super::totp::gate(dd, &dd.config()?, scope.actor().unwrap_or(&owner_id), totp)?;
    let now = timefmt::now();
    let lock = dd.lock()?;
    let mut r = pending_for_resolution(dd, &lock, scope, id, "deny", now)?;
    r.status = DENIED.into();
    r.denial_reason = reason
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    r.resolved_at = Some(timefmt::format(now));
    r.resolved_by = Some(scope.actor().unwrap_or(&r.owner_id).to_string());
    let config = dd.config()?;
    let mut txn = Txn::default();
    dd.stage_approval_request(&mut txn, &r)?;
    let notes = crate::notify::outbox::stage(
        dd,
        &mut txn,
        &config,
        &crate::notify::event::Event::approval_denied(&r, &config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![resolved_event("APPROVAL_REQUEST_DENIED", &r)])?;
    crate::notify::enqueued(dd, notes);
    Ok(json!({
        "approval_request_id": r.approval_request_id,
        "status": r.status,
        "denial_reason": r.denial_reason,
    }))
}

fn resolved_event(event_type: &str, r: &ApprovalRequest) -> NewEvent {
    NewEvent::new(
        event_type,
        json!({
            "approval_request_id": r.approval_request_id,
            "agent_id": r.agent_id,
            "agent_principal_id": r.agent_principal_id,
            "owner_type": r.owner_type.as_str(),
            "owner_id": r.owner_id,
            "action_type": r.action_type,
            "action_hash": r.action_hash,
            "resolved_by": r.resolved_by,
            "denial_reason": r.denial_reason,
            "approval_token_expires_at": r.approval_token_expires_at,
        }),
    )
    .principal(&r.owner_id)
    .decision(&r.decision_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::{Owner, OwnerType};

    /// A data dir with one owner, one agent bound to the balanced profile, and a pending
    /// approval request for a large purchase.
    fn setup() -> (
        tempfile::TempDir,
        DataDir,
        Config,
        Agent,
        ValidatedAction,
        String,
    ) {
        let (t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let config = dd.config().unwrap();
        let owner = Owner::new(OwnerType::User, "Alice");
        let agent = Agent::new("bot", &owner, "AAAA".into());
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &owner).unwrap();
        let mut index = dd.agent_index().unwrap();
        dd.stage_new_agent(&mut txn, &mut index, &agent).unwrap();
        txn.commit().unwrap();
        super::super::policies::create(
            &dd,
            &super::super::policies::NewPolicy {
                policy_id: None,
                owner_type: owner.owner_type,
                owner_id: owner.owner_id.clone(),
                agent_principal_id: None,
                name: None,
                description: None,
                rank: None,
                text: "version: 1\ndefault: deny\nrules:\n  - id: big\n    effect: allow\n    action: purchase\n    obligations:\n      - type: HUMAN_APPROVAL\n".into(),
            },
        )
        .unwrap();
        let action = ValidatedAction::from_value(json!({
            "action_id": crate::ids::new_id(),
            "action_type": "purchase",
            "requested_at": "2025-01-15T10:30:00.000Z",
            "principal": {"agent_id": "bot"},
            "subject": {"principal_id": owner.owner_id},
            "payload": {"amount_minor": 1},
        }))
        .unwrap();
        let d = super::super::authorize::authorize(&dd, &config, &agent, &action).unwrap();
        assert_eq!(d.result, crate::policy::DecisionResult::RequireApproval);
        let created = create(
            &dd,
            &config,
            &agent,
            CreateApprovalRequest {
                decision_id: d.decision_id,
                action: action.value().clone(),
                justification: None,
                context: None,
            },
        )
        .unwrap();
        let id = created["approval_request_id"].as_str().unwrap().to_string();
        (t, dd, config, agent, action, id)
    }

    #[test]
    fn parallel_threads_consume_the_token_once() {
        let (_t, dd, config, agent, action, id) = setup();
        let token = approve(&dd, &config, OwnerScope::All, &id, None).unwrap()["approval_token"]
            .as_str()
            .unwrap()
            .to_string();
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        super::super::authorize::authorize_with(
                            &dd,
                            &config,
                            &agent,
                            &action,
                            Some(&token),
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
        for r in results.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(r.code, ErrorCode::ApprovalTokenConsumed);
        }
    }

    #[test]
    fn another_owners_request_is_not_found() {
        let (_t, dd, config, agent, _action, id) = setup();
        let stranger = crate::ids::new_id();
        let scope = OwnerScope::Owner(&stranger);
        for e in [
            get(&dd, scope, &id).unwrap_err(),
            approve(&dd, &config, scope, &id, None).unwrap_err(),
            deny(&dd, scope, &id, None, None).unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::NotFound);
        }
        assert!(list(&dd, scope, &ListFilter::default()).unwrap().is_empty());
        let own = OwnerScope::Owner(&agent.owner_id);
        assert_eq!(get(&dd, own, &id).unwrap().status, PENDING);
        let v = approve(&dd, &config, own, &id, None).unwrap();
        assert_eq!(v["status"], APPROVED);
        let stored = dd.approval_request(&id).unwrap().unwrap();
        assert_eq!(stored.resolved_by.as_deref(), Some(agent.owner_id.as_str()));
        // The agent sees its token; the claims bind request, agent, owner and hash.
        let view = get_for_agent(&dd, &agent, &id).unwrap();
        let token = view["approval_token"].as_str().unwrap();
        let claims =
            crate::tokens::verify_approval(token, &dd.verification_keys().unwrap(), timefmt::now())
                .claims
                .unwrap();
        assert_eq!(claims["approval_request_id"], id.as_str());
        assert_eq!(claims["agent_id"], "bot");
        assert_eq!(claims["owner_id"], agent.owner_id.as_str());
        assert_eq!(claims["action_hash"], stored.action_hash.as_str());
    }
}

#[cfg(test)]
#[path = "approvals_list_tests.rs"]
mod list_tests;
