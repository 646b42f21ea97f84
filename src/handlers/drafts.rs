//! Policy drafts (SPEC §9.2): an agent proposes policy YAML, validated with full diagnostics on
//! submission; an owner reviews it (diagnostics and the widening summary of the agent's effective
//! rule list before → after) and approves it, which creates and binds the policy through the same
//! code as `policy upsert`, or denies it with an optional reason.

use super::approvals::OwnerScope;
use super::page::{self, Order, Page, PageRequest};
use super::policies::{self, NewPolicy};
use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::diff::{PolicyDiff, diff_policies};
use crate::policy::{CompiledPolicy, DefaultEffect, Diagnostic};
use crate::store::agents::Agent;
use crate::store::approvals::{self, APPROVED, DENIED, PENDING, PolicyDraft};
use crate::store::bindings::Binding;
use crate::store::listindex;
use crate::store::{DataDir, Txn};
use crate::timefmt;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// `applies_to_agent_principal_id` of a submission: absent means the calling agent, an explicit
/// `null` means owner-wide (SPEC §8.1), anything else names an agent of the same owner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AppliesTo {
    #[default]
    CallingAgent,
    OwnerWide,
    Agent(String),
}

impl AppliesTo {
    /// Reads the three-state field from a JSON request body.
    pub fn from_body(body: &serde_json::Map<String, Value>) -> Result<AppliesTo> {
        match body.get("applies_to_agent_principal_id") {
            None => Ok(AppliesTo::CallingAgent),
            Some(Value::Null) => Ok(AppliesTo::OwnerWide),
            Some(Value::String(s)) => Ok(AppliesTo::Agent(s.clone())),
            Some(_) => Err(Error::new(
                ErrorCode::InvalidRequest,
                "`applies_to_agent_principal_id` must be a string or null",
            )),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SubmitDraft {
    pub policy_yaml: String,
    pub applies_to: AppliesTo,
    pub name: Option<String>,
    pub description: Option<String>,
    pub justification: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The agent a draft may target: one of the submitting agent's owner.
fn target_agent(dd: &DataDir, agent: &Agent, applies_to: &AppliesTo) -> Result<Option<String>> {
    match applies_to {
        AppliesTo::CallingAgent => Ok(Some(agent.agent_principal_id.clone())),
        AppliesTo::OwnerWide => Ok(None),
        AppliesTo::Agent(id) => {
            crate::ids::check_uuid("applies_to_agent_principal_id", id)?;
            match dd.agent_by_principal(id) {
                Ok(a) if a.owner_id == agent.owner_id => Ok(Some(a.agent_principal_id)),
                _ => Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("applies_to_agent_principal_id {id} is not an agent of your owner"),
                )
                .with_hint("omit it for yourself, or pass null for all agents of your owner")),
            }
        }
    }
}

/// Submits a draft for `agent`. Invalid YAML or policy → `INVALID_POLICY` with every diagnostic
/// in `details`; nothing is written.
pub fn submit(dd: &DataDir, agent: &Agent, input: SubmitDraft) -> Result<Value> {
    if !agent.is_active() {
        return Err(Error::new(
            ErrorCode::AgentInactive,
            format!("agent {:?} is {}", agent.agent_id, agent.status),
        ));
    }
    policies::validate("policy_yaml", &input.policy_yaml)?;
    let applies_to = target_agent(dd, agent, &input.applies_to)?;
    let draft = PolicyDraft {
        policy_draft_id: crate::ids::new_id(),
        agent_principal_id: agent.agent_principal_id.clone(),
        agent_id: agent.agent_id.clone(),
        owner_type: agent.owner_type,
        owner_id: agent.owner_id.clone(),
        applies_to_agent_principal_id: applies_to,
        name: non_empty(input.name),
        description: non_empty(input.description),
        policy_yaml: input.policy_yaml,
        justification: non_empty(input.justification),
        status: PENDING.into(),
        resulting_policy_id: None,
        resolved_at: None,
        resolved_by: None,
        denial_reason: None,
        created_at: timefmt::now_string(),
    };
    let config = dd.config()?;
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    dd.stage_policy_draft(&mut txn, &draft)?;
    let notes = crate::notify::outbox::stage(
        dd,
        &mut txn,
        &config,
        &crate::notify::event::Event::draft_created(&draft, &config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![draft_event("POLICY_DRAFT_CREATED", &draft)])?;
    crate::notify::enqueued(dd, notes);
    Ok(json!({
        "policy_draft_id": draft.policy_draft_id,
        "status": draft.status,
        "created_at": draft.created_at,
    }))
}

fn draft_event(event_type: &str, d: &PolicyDraft) -> NewEvent {
    NewEvent::new(
        event_type,
        json!({
            "policy_draft_id": d.policy_draft_id,
            "agent_id": d.agent_id,
            "agent_principal_id": d.agent_principal_id,
            "owner_type": d.owner_type.as_str(),
            "owner_id": d.owner_id,
            "applies_to_agent_principal_id": d.applies_to_agent_principal_id,
            "status": d.status,
            "resulting_policy_id": d.resulting_policy_id,
            "denial_reason": d.denial_reason,
        }),
    )
    .principal(if event_type == "POLICY_DRAFT_CREATED" {
        &d.agent_principal_id
    } else {
        &d.owner_id
    })
}

fn not_found(id: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("policy draft {id} not found"))
        .with_hint("list drafts with `openleash draft list`")
}

/// The agent's summary of one of its drafts (list entries leave out the YAML and target).
fn agent_view(d: &PolicyDraft, full: bool) -> Value {
    let mut v = json!({
        "policy_draft_id": d.policy_draft_id,
        "status": d.status,
        "name": d.name,
        "description": d.description,
        "justification": d.justification,
        "created_at": d.created_at,
        "resolved_at": d.resolved_at,
        "denial_reason": d.denial_reason,
        "resulting_policy_id": d.resulting_policy_id,
    });
    if full {
        v["policy_yaml"] = json!(d.policy_yaml);
        v["applies_to_agent_principal_id"] = json!(d.applies_to_agent_principal_id);
    }
    v
}

fn status_filter(status: Option<&str>) -> Result<Option<&'static str>> {
    status
        .filter(|s| !s.is_empty())
        .map(approvals::parse_status)
        .transpose()
}

/// `GET /v1/agent/policy-drafts[?status=]`: the calling agent's drafts, newest first.
pub fn list_for_agent(dd: &DataDir, agent: &Agent, status: Option<&str>) -> Result<Value> {
    let status = status_filter(status)?;
    let mut drafts: Vec<Value> = dd
        .policy_drafts()?
        .iter()
        .filter(|d| d.agent_principal_id == agent.agent_principal_id)
        .filter(|d| status.is_none_or(|s| d.status == s))
        .map(|d| agent_view(d, false))
        .collect();
    drafts.reverse();
    Ok(json!({ "policy_drafts": drafts }))
}

/// `GET /v1/agent/policy-drafts/{id}`: one of the calling agent's drafts.
pub fn get_for_agent(dd: &DataDir, agent: &Agent, id: &str) -> Result<Value> {
    crate::ids::check_uuid("policy draft id", id)?;
    let d = dd
        .policy_draft(id)?
        .filter(|d| d.agent_principal_id == agent.agent_principal_id)
        .ok_or_else(|| not_found(id))?;
    Ok(agent_view(&d, true))
}

/// Drafts visible in `scope`, newest first, optionally by status and agent.
pub fn list(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    status: Option<&str>,
    agent: Option<&str>,
) -> Result<Vec<PolicyDraft>> {
    let status = status_filter(status)?;
    let mut out: Vec<PolicyDraft> = dd
        .policy_drafts()?
        .into_iter()
        .filter(|d| scope.includes(&d.owner_id))
        .filter(|d| status.is_none_or(|s| d.status == s))
        .filter(|d| {
            agent.is_none_or(|a| d.agent_id == a || d.agent_principal_id.eq_ignore_ascii_case(a))
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// The name of the policy-draft lists in cursors.
pub const LIST: &str = "policy-drafts";

/// The sort key of a draft in its lists (newest first).
pub fn draft_key(d: &PolicyDraft) -> String {
    crate::store::approvals::draft_key(d)
}

/// One page of [`list`], newest first, from the scope's sorted index; only the page's records
/// are read.
pub fn list_page(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    status: Option<&str>,
    agent: Option<&str>,
    req: &PageRequest,
) -> Result<Page<PolicyDraft>> {
    let status = status_filter(status)?;
    let flag = status.map(crate::store::approvals::status_flag);
    page_where(
        dd,
        LIST,
        req,
        &scopes_of(scope),
        &|e| flag.is_none_or(|f| e.flag == f) && agent.is_none_or(|a| e.is_agent(a)),
        &|m| match (agent, flag) {
            (Some(_), _) => None,
            (None, None) => Some(m.count),
            (None, Some(f)) => Some(m.flag(f)),
        },
        &|d| {
            scope.includes(&d.owner_id)
                && status.is_none_or(|s| d.status == s)
                && agent
                    .is_none_or(|a| d.agent_id == a || d.agent_principal_id.eq_ignore_ascii_case(a))
        },
    )
}

/// The index scopes of an owner scope.
fn scopes_of(scope: OwnerScope<'_>) -> Vec<String> {
    match scope {
        OwnerScope::All => vec![listindex::ALL.to_string()],
        OwnerScope::Owner(id) => vec![listindex::owner_scope(id)],
        OwnerScope::Member { org_id, .. } => vec![listindex::owner_scope(org_id)],
    }
}

/// The name of the resolved-drafts list (the portal's "Resolved") in cursors.
pub const RESOLVED: &str = "policy-drafts-resolved";

/// One page of the drafts in `scope` that were approved or denied, newest first.
pub fn resolved_page(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    req: &PageRequest,
) -> Result<Page<PolicyDraft>> {
    page_where(
        dd,
        RESOLVED,
        req,
        &scopes_of(scope),
        &|e| e.flag != 'P',
        &|m| Some(m.count - m.flag('P')),
        &|d| scope.includes(&d.owner_id) && d.status != PENDING,
    )
}

/// `GET /v1/agent/policy-drafts[?status=&limit=&cursor=]`: one page of the calling agent's
/// drafts, newest first (from its owner's index, filtered by agent).
pub fn list_for_agent_page(
    dd: &DataDir,
    agent: &Agent,
    status: Option<&str>,
    req: &PageRequest,
) -> Result<Value> {
    let status = status_filter(status)?;
    let flag = status.map(crate::store::approvals::status_flag);
    let pid = agent.agent_principal_id.as_str();
    let page = page_where(
        dd,
        LIST,
        req,
        &[listindex::owner_scope(&agent.owner_id)],
        &|e| flag.is_none_or(|f| e.flag == f) && e.agent_principal_id.eq_ignore_ascii_case(pid),
        &|_| None,
        &|d| d.agent_principal_id == pid && status.is_none_or(|s| d.status == s),
    )?;
    Ok(page.map(|d| agent_view(&d, false)).json("policy_drafts"))
}

/// A newest-first page of the drafts `keep` accepts: from the index of `scopes` (entries
/// filtered by `matches`, counted per chunk by `count` where the manifest can tell), or, when
/// the index cannot be used, by reading every draft.
fn page_where(
    dd: &DataDir,
    list: &str,
    req: &PageRequest,
    scopes: &[String],
    matches: &dyn Fn(&listindex::Entry) -> bool,
    count: &dyn Fn(&listindex::ChunkMeta) -> Option<usize>,
    keep: &dyn Fn(&PolicyDraft) -> bool,
) -> Result<Page<PolicyDraft>> {
    let load = |e: &listindex::Entry| -> Result<Option<PolicyDraft>> {
        if !crate::ids::is_uuid_shaped(&e.id) {
            return Ok(None);
        }
        Ok(dd.policy_draft(&e.id)?.filter(|d| keep(d)))
    };
    let spec = page::Indexed {
        kind: listindex::Kind::Drafts,
        scopes: scopes.to_vec(),
        order: Order::Desc,
        visit: &|m| count(m) != Some(0),
        matches,
        count,
        load: &load,
    };
    if let Some(p) = page::indexed(dd, list, &spec, req)? {
        return Ok(p);
    }
    let matching = dd
        .policy_drafts_iter()?
        .filter(|d| d.as_ref().map_or(true, keep));
    page::try_collect(list, matching, draft_key, Order::Desc, req)
}

pub fn get(dd: &DataDir, scope: OwnerScope<'_>, id: &str) -> Result<PolicyDraft> {
    crate::ids::check_uuid("policy draft id", id)?;
    dd.policy_draft(id)?
        .filter(|d| scope.includes(&d.owner_id))
        .ok_or_else(|| not_found(id))
}

/// What an owner needs to decide on a draft.
#[derive(Debug, Clone)]
pub struct Review {
    /// Every diagnostic of the YAML now (warnings included).
    pub diagnostics: Vec<Diagnostic>,
    /// The agent whose effective rule list is compared.
    pub agent_id: String,
    /// Effective rule list of that agent before → after approval; `None` when the draft no
    /// longer validates or the agent's current policy cannot be resolved.
    pub diff: Option<PolicyDiff>,
}

/// Concatenates layers the way evaluation does: rules in order, the first non-passthrough default.
/// A rule id in `shared` (used by more than one policy) becomes `id@<policy>`, so the diff pairs
/// rules by policy and id, never a rule with its namesake in another policy.
fn flatten(layers: &[(&str, &CompiledPolicy)], shared: &HashSet<&str>) -> CompiledPolicy {
    CompiledPolicy {
        shadow: false,
        default: layers
            .iter()
            .map(|(_, p)| p.default)
            .find(|d| *d != DefaultEffect::Passthrough)
            .unwrap_or(DefaultEffect::Deny),
        rules: layers
            .iter()
            .flat_map(|(policy_id, p)| {
                p.rules.iter().map(move |r| {
                    let mut r = r.clone();
                    if shared.contains(&*r.id) {
                        let short: String = policy_id.chars().take(8).collect();
                        r.id = format!("{}@{short}", r.id).into();
                    }
                    r
                })
            })
            .collect(),
    }
}

/// Rule ids that occur in more than one of these policies.
fn shared_rule_ids<'a>(layers: &[(&'a str, &'a CompiledPolicy)]) -> HashSet<&'a str> {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    let mut shared = HashSet::new();
    for (policy_id, p) in layers {
        for r in &p.rules {
            match owner.insert(&r.id, policy_id) {
                Some(prev) if prev != *policy_id => {
                    shared.insert(&*r.id);
                }
                _ => {}
            }
        }
    }
    shared
}

/// Diagnostics and the before → after widening summary of a draft, for the agent it targets (the
/// submitting agent for an owner-wide draft).
pub fn review(dd: &DataDir, d: &PolicyDraft) -> Result<Review> {
    let checked = crate::policy::check_policy("policy_yaml", d.policy_yaml.as_bytes());
    let target = d
        .applies_to_agent_principal_id
        .as_deref()
        .unwrap_or(&d.agent_principal_id);
    let agent = dd.agent_by_principal(target)?;
    let diff = match &checked.policy {
        Some(new_policy) => effective_diff(dd, &agent, d, new_policy)?,
        None => None,
    };
    Ok(Review {
        diagnostics: checked.diagnostics,
        agent_id: agent.agent_id,
        diff,
    })
}

fn effective_diff(
    dd: &DataDir,
    agent: &Agent,
    d: &PolicyDraft,
    new_policy: &CompiledPolicy,
) -> Result<Option<PolicyDiff>> {
    let current = match crate::policy::resolve_for_agent(dd, agent) {
        Ok(p) => p,
        Err(e) if e.code == ErrorCode::NoPolicy => {
            std::sync::Arc::new(crate::policy::EffectivePolicy {
                layers: vec![],
                shadow: vec![],
            })
        }
        Err(_) => return Ok(None),
    };
    let before: Vec<(&str, &CompiledPolicy)> = current
        .layers
        .iter()
        .map(|l| (l.policy_id.as_str(), &*l.policy))
        .collect();
    // Where the new policy lands: the same resolution over the bindings plus the draft's.
    const DRAFT: &str = "draft";
    let mut b = dd.bindings()?;
    b.bindings.push(Binding {
        policy_id: DRAFT.into(),
        owner_type: d.owner_type,
        owner_id: d.owner_id.clone(),
        agent_principal_id: d.applies_to_agent_principal_id.clone(),
        group_id: None,
        rank: None,
    });
    let after: Vec<(&str, &CompiledPolicy)> = b
        .layers_for_agent(
            &agent.owner_id,
            &agent.agent_principal_id,
            &dd.agent_group_ids(&agent.agent_principal_id)?,
        )
        .iter()
        .filter_map(|binding| {
            if binding.policy_id == DRAFT {
                Some((DRAFT, new_policy))
            } else {
                current
                    .layers
                    .iter()
                    .find(|l| l.policy_id == binding.policy_id)
                    .map(|l| (l.policy_id.as_str(), &*l.policy))
            }
        })
        .collect();
    let shared = shared_rule_ids(&[before.as_slice(), after.as_slice()].concat());
    Ok(Some(diff_policies(
        &flatten(&before, &shared),
        &flatten(&after, &shared),
    )))
}

/// Loads a draft for resolution under the writer lock: visible and PENDING.
fn pending(dd: &DataDir, scope: OwnerScope<'_>, id: &str, verb: &str) -> Result<PolicyDraft> {
    let d = get(dd, scope, id)?;
    if d.status != PENDING {
        return Err(Error::new(
            ErrorCode::InvalidStatus,
            format!("Cannot {verb} draft with status {}", d.status),
        )
        .with_hint("only PENDING drafts can be approved or denied"));
    }
    Ok(d)
}

/// Approves a PENDING draft: validates it again, creates and binds the policy (owner-wide or to
/// its target agent) and records the result, all in one transaction.
/// `totp` is the acting user's second-factor code ([`super::totp::gate`]).
pub fn approve(dd: &DataDir, scope: OwnerScope<'_>, id: &str, totp: Option<&str>) -> Result<Value> {
    let owner_id = get(dd, scope, id)?.owner_id;
    super::totp::gate(dd, &dd.config()?, scope.actor().unwrap_or(&owner_id), totp)?;
    let lock = dd.lock()?;
    let mut d = pending(dd, scope, id, "approve")?;
    policies::validate("policy_yaml", &d.policy_yaml)?;
    if let Some(target) = &d.applies_to_agent_principal_id {
        let a = dd.agent_by_principal(target)?;
        if a.owner_id != d.owner_id {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "draft target {target} no longer belongs to owner {}",
                    d.owner_id
                ),
            ));
        }
    }
    let new = NewPolicy {
        policy_id: None,
        owner_type: d.owner_type,
        owner_id: d.owner_id.clone(),
        agent_principal_id: d.applies_to_agent_principal_id.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        rank: None,
        text: d.policy_yaml.clone(),
    };
    let before = crate::store::bindings::Bindings::default();
    let mut b = before.clone();
    let mut txn = Txn::default();
    let policy_id = policies::stage_create(dd, &mut b, &mut txn, &new)?;
    dd.stage_policy_change(&mut txn, &before, &b)?;
    d.status = APPROVED.into();
    d.resulting_policy_id = Some(policy_id.clone());
    d.resolved_at = Some(timefmt::now_string());
    d.resolved_by = Some(scope.actor().unwrap_or(&d.owner_id).to_string());
    dd.stage_policy_draft(&mut txn, &d)?;
    let config = dd.config()?;
    let notes = crate::notify::outbox::stage(
        dd,
        &mut txn,
        &config,
        &crate::notify::event::Event::draft_approved(&d, &config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(
        &lock,
        vec![
            policies::created_event(&new, &policy_id),
            draft_event("POLICY_DRAFT_APPROVED", &d),
        ],
    )?;
    crate::notify::enqueued(dd, notes);
    Ok(json!({
        "policy_draft_id": d.policy_draft_id,
        "status": d.status,
        "policy_id": policy_id,
        "applies_to_agent_principal_id": d.applies_to_agent_principal_id,
    }))
}

/// Denies a PENDING draft; `reason` is optional and recorded as null when absent.
pub fn deny(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    id: &str,
    reason: Option<&str>,
    totp: Option<&str>,
) -> Result<Value> {
    let owner_id = get(dd, scope, id)?.owner_id;
    super::totp::gate(dd, &dd.config()?, scope.actor().unwrap_or(&owner_id), totp)?;
    let lock = dd.lock()?;
    let mut d = pending(dd, scope, id, "deny")?;
    d.status = DENIED.into();
    d.denial_reason = reason
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    d.resolved_at = Some(timefmt::now_string());
    d.resolved_by = Some(scope.actor().unwrap_or(&d.owner_id).to_string());
    let config = dd.config()?;
    let mut txn = Txn::default();
    dd.stage_policy_draft(&mut txn, &d)?;
    let notes = crate::notify::outbox::stage(
        dd,
        &mut txn,
        &config,
        &crate::notify::event::Event::draft_denied(&d, &config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![draft_event("POLICY_DRAFT_DENIED", &d)])?;
    crate::notify::enqueued(dd, notes);
    Ok(json!({
        "policy_draft_id": d.policy_draft_id,
        "status": d.status,
        "denial_reason": d.denial_reason,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::OwnerType;

    fn draft(owner: &str, agent: usize, n: usize, status: &str) -> PolicyDraft {
        PolicyDraft {
            policy_draft_id: crate::ids::new_id(),
            agent_principal_id: format!("00000000-0000-4000-8000-{agent:012}"),
            agent_id: format!("bot{agent}"),
            owner_type: OwnerType::User,
            owner_id: owner.into(),
            applies_to_agent_principal_id: None,
            name: None,
            description: None,
            policy_yaml: "version: 1\n".into(),
            justification: None,
            status: status.into(),
            resulting_policy_id: None,
            resolved_at: None,
            resolved_by: None,
            denial_reason: None,
            created_at: format!("2026-01-01T00:{:02}:{:02}.000Z", n / 60, n % 60),
        }
    }

    fn ids(v: impl IntoIterator<Item = PolicyDraft>) -> Vec<String> {
        v.into_iter().map(|d| d.policy_draft_id).collect()
    }

    #[test]
    fn indexed_pages_match_a_pass_over_every_draft() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let (alice, bob) = (crate::ids::new_id(), crate::ids::new_id());
        let all: Vec<PolicyDraft> = (0..1_100)
            .map(|i| {
                let status = [PENDING, APPROVED, DENIED][i % 3];
                draft(if i % 4 == 0 { &bob } else { &alice }, i % 2, i, status)
            })
            .collect();
        {
            let _lock = dd.lock().unwrap();
            let mut txn = Txn::default();
            for d in &all {
                dd.stage_policy_draft(&mut txn, d).unwrap();
            }
            txn.commit().unwrap();
        }
        let every = |page: &dyn Fn(&PageRequest) -> Page<PolicyDraft>, list: &str| {
            let mut req = PageRequest::new(list, Some(90), None).unwrap();
            let mut out = Vec::new();
            let mut total = None;
            loop {
                let p = page(&req);
                total.get_or_insert(p.total);
                out.extend(ids(p.items));
                match p.next_cursor {
                    Some(c) => req = PageRequest::new(list, Some(90), Some(&c)).unwrap(),
                    None => return (out, total.unwrap_or(0)),
                }
            }
        };
        for scope in [
            OwnerScope::All,
            OwnerScope::Owner(&alice),
            OwnerScope::Owner(&bob),
        ] {
            for status in [None, Some("pending"), Some(APPROVED), Some(DENIED)] {
                for agent in [
                    None,
                    Some("bot1"),
                    Some("00000000-0000-4000-8000-000000000000"),
                ] {
                    let want = ids(list(&dd, scope, status, agent).unwrap());
                    let (got, total) =
                        every(&|r| list_page(&dd, scope, status, agent, r).unwrap(), LIST);
                    assert_eq!(got, want, "{scope:?} {status:?} {agent:?}");
                    assert_eq!(total, want.len());
                }
            }
            let want: Vec<String> = ids(list(&dd, scope, None, None)
                .unwrap()
                .into_iter()
                .filter(|d| d.status != PENDING));
            let (got, total) = every(&|r| resolved_page(&dd, scope, r).unwrap(), RESOLVED);
            assert_eq!((got, total), (want.clone(), want.len()));
        }
        // The agent's own view: its owner's index, filtered by agent.
        let owner = crate::store::owners::Owner::new(OwnerType::User, "Alice");
        let mut agent = Agent::new("bot1", &owner, "AAAA".into());
        agent.owner_id = alice.clone();
        agent.agent_principal_id = "00000000-0000-4000-8000-000000000001".into();
        let v = list_for_agent_page(&dd, &agent, None, &PageRequest::first()).unwrap();
        let want = ids(list(&dd, OwnerScope::Owner(&alice), None, Some("bot1")).unwrap());
        assert_eq!(v["total"], want.len());
        let got: Vec<&str> = v["policy_drafts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["policy_draft_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            got,
            want[..100].iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
}
