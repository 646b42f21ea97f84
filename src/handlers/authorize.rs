//! The authorize handler: one function that the CLI (`openleash authorize`) and the server
//! (`POST /v1/authorize`) both call. It resolves the agent's policy layers, evaluates, issues a
//! proof token for an ALLOW that requires one, remembers REQUIRE_APPROVAL decisions, and returns
//! only after the audit events of the call are durable.

use crate::action::ValidatedAction;
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::engine::{DecisionResult, Obligation};
use crate::policy::{CompiledPolicy, EffectivePolicy};
use crate::store::DataDir;
use crate::store::agents::Agent;
use crate::store::approvals::{self, ApprovalRequest};
use crate::store::decisions::PendingDecision;
use crate::store::limits::LimitsIndex;
use crate::timefmt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

mod limited;

/// The AuthorizeResponse of SPEC §8.3, fields in wire order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizeResponse {
    pub decision_id: String,
    pub action_id: String,
    pub action_hash: String,
    pub result: DecisionResult,
    pub matched_rule_id: Option<String>,
    pub reason: String,
    pub proof_token: Option<String>,
    pub proof_expires_at: Option<String>,
    pub obligations: Vec<Obligation>,
}

/// The checks every authorize call makes before anything else: the agent is ACTIVE and asks on
/// its own behalf.
fn check_caller(agent: &Agent, action: &ValidatedAction) -> Result<()> {
    if !agent.is_active() {
        return Err(Error::new(
            ErrorCode::AgentInactive,
            format!("agent {:?} is {}", agent.agent_id, agent.status),
        )
        .with_hint("an owner can re-activate it with `openleash agent activate`"));
    }
    check_own_action(agent, action)
}

/// An agent may only act on its own behalf: the body's `principal.agent_id` is the caller.
pub(crate) fn check_own_action(agent: &Agent, action: &ValidatedAction) -> Result<()> {
    if action.agent_id() != agent.agent_id {
        return Err(Error::new(
            ErrorCode::AgentMismatch,
            format!(
                "principal.agent_id {:?} is not the calling agent {:?}",
                action.agent_id(),
                agent.agent_id
            ),
        )
        .with_hint("an agent can only ask for decisions on its own behalf"));
    }
    Ok(())
}

/// Signs a proof token for `action` with the active key; returns the key id and the token.
#[allow(clippy::too_many_arguments)]
fn issue_proof_for(
    dd: &DataDir,
    agent: &Agent,
    action: &ValidatedAction,
    decision_id: &str,
    matched_rule_id: Option<&str>,
    trust_profile: Option<&str>,
    ttl: u64,
    now: time::OffsetDateTime,
) -> Result<(String, crate::tokens::IssuedToken)> {
    let (key, signing_key) = dd.active_key()?;
    let claims = crate::tokens::ProofClaims {
        decision_id,
        owner_type: agent.owner_type.as_str(),
        owner_id: &agent.owner_id,
        agent_id: &agent.agent_id,
        action_type: action.action_type(),
        action_hash: action.action_hash(),
        matched_rule_id,
        trust_profile,
    };
    let issued = crate::tokens::issue_proof(&key.kid, &signing_key, &claims, ttl, now)?;
    Ok((key.kid, issued))
}

/// `AUTHORIZE_CALLED`, written for every call on either path (upstream §4.1).
fn called_event(agent: &Agent, action: &ValidatedAction, now: time::OffsetDateTime) -> NewEvent {
    NewEvent::new(
        "AUTHORIZE_CALLED",
        json!({
            "agent_id": agent.agent_id,
            "agent_principal_id": agent.agent_principal_id,
            "owner_type": agent.owner_type.as_str(),
            "owner_id": agent.owner_id,
            "action_type": action.action_type(),
            "action_id": action.action_id(),
            "payload": action.payload(),
            "subject_principal_id": action.subject_principal_id(),
            "relying_party_domain": action.rp_domain(),
            "trust_profile": action.trust_profile(),
            "requested_at": timefmt::format(now),
            // What `policy replay` needs to rebuild the action exactly (SPEC §18).
            "action_requested_at": action.requested_at(),
            "relying_party": action.relying_party(),
        }),
    )
    .principal(&agent.agent_principal_id)
    .action(action.action_id())
}

/// Decides on `action` for the authenticated `agent`: with an approval token, the approval path
/// of SPEC §9.1; otherwise the policy.
pub fn authorize_with(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
    approval_token: Option<&str>,
) -> Result<AuthorizeResponse> {
    match approval_token.filter(|t| !t.is_empty()) {
        Some(token) => authorize_approved(dd, config, agent, action, token),
        None => authorize(dd, config, agent, action),
    }
}

/// Re-authorization of an approved action (upstream §4.2): the approval token must verify, name
/// an APPROVED request whose token was not used yet, and match the action's hash and agent. The
/// request is marked consumed under the writer lock, so of several concurrent attempts exactly
/// one succeeds. The policy is not evaluated.
pub fn authorize_approved(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
    token: &str,
) -> Result<AuthorizeResponse> {
    check_caller(agent, action)?;
    let now = timefmt::now();
    let called = called_event(agent, action, now);
    let lock = dd.lock()?;
    let checked = check_approval_token(dd, agent, action, token, now);
    let request = match checked {
        Ok(r) => r,
        Err(e) => {
            dd.append_audit_locked(&lock, vec![called])?;
            return Err(e);
        }
    };
    // An approved action counts against the limits of the rules that would have allowed it but
    // for their limits (allow rules with limits whose pattern, `when` and constraints match).
    let mut limits_consumed = Vec::new();
    // Limits this use moves across `notifications.near_cap_ratio` (rule id, crossing).
    let mut near = Vec::new();
    let mut index = None;
    let mut policy_set_hash = None;
    let mut policy_ids = None;
    if let Ok(policy) = crate::policy::resolve::resolve_for_agent(dd, agent) {
        policy_set_hash = Some(policy.policy_set_hash());
        policy_ids = Some(
            policy
                .layers
                .iter()
                .map(|l| l.policy_id.clone())
                .collect::<Vec<_>>(),
        );
        let layers = policy.policies();
        let rules = crate::policy::engine::rules_consuming_approved(&layers, action.value());
        if !rules.is_empty() {
            match LimitsIndex::open_locked(dd, &lock) {
                Ok(ix) => index = Some(ix),
                Err(e) => {
                    let _ = dd.append_audit_locked(&lock, vec![called]);
                    return Err(e);
                }
            }
            let now_ms = crate::policy::limits::ms_of(&timefmt::format(now)).unwrap_or(0);
            if limited::listens_for_near_cap(config, &agent.owner_id)
                && let Some(ix) = index.as_mut()
            {
                let keys: Vec<String> = rules
                    .iter()
                    .flat_map(|r| {
                        r.limits.iter().filter_map(|l| {
                            crate::policy::limits::counter_key(
                                &r.id,
                                &l.per,
                                action.value(),
                                Some(&agent.owner_id),
                            )
                            .ok()
                        })
                    })
                    .collect();
                // A counter that cannot be read costs the notification, not the decision.
                if let Ok(history) = ix.load(&keys) {
                    let cx = crate::policy::limits::LimitCx {
                        now_ms,
                        owner_id: Some(&agent.owner_id),
                        history: &history,
                    };
                    for r in &rules {
                        for n in crate::policy::limits::crossings(
                            &r.id,
                            &r.limits,
                            action.value(),
                            &cx,
                            config.notifications.near_cap_ratio,
                        ) {
                            near.push((r.id.to_string(), n));
                        }
                    }
                }
            }
            for r in rules {
                limits_consumed.extend(crate::policy::limits::consumption(
                    &r.id,
                    &r.limits,
                    action.value(),
                    Some(&agent.owner_id),
                    now_ms,
                ));
            }
        }
    }
    let decision_id = crate::ids::new_id();
    let mut consumed = request.clone();
    consumed.consumed_at = Some(timefmt::format(now));
    let mut txn = crate::store::Txn::default();
    dd.stage_approval_request_same_listing(&mut txn, &request, &consumed)?;
    let mut notes = Vec::new();
    for (rule_id, n) in &near {
        let ev = crate::notify::event::Event::near_cap(
            agent,
            rule_id,
            n,
            action.action_type(),
            &decision_id,
            config,
        );
        notes.extend(crate::notify::outbox::stage(dd, &mut txn, config, &ev)?);
    }
    txn.commit()?;

    let ttl = config
        .tokens
        .default_ttl_seconds
        .min(config.tokens.max_ttl_seconds);
    let (_kid, issued) = issue_proof_for(dd, agent, action, &decision_id, None, None, ttl, now)?;
    let reason = "Approved by owner";
    let used = NewEvent::new(
        "APPROVAL_TOKEN_USED",
        json!({
            "approval_request_id": request.approval_request_id,
            "decision_id": decision_id,
            "agent_id": agent.agent_id,
            "action_type": action.action_type(),
            "owner_type": agent.owner_type.as_str(),
            "owner_id": agent.owner_id,
            "action_hash": action.action_hash(),
        }),
    )
    .principal(&agent.agent_principal_id)
    .decision(&decision_id)
    .action(action.action_id());
    let created = NewEvent::new(
        "DECISION_CREATED",
        json!({
            "decision_id": decision_id,
            "result": DecisionResult::Allow,
            "matched_rule_id": null,
            "action_hash": action.action_hash(),
            "via_approval": true,
            "approval_request_id": request.approval_request_id,
            "action_type": action.action_type(),
            "agent_id": agent.agent_id,
            "agent_principal_id": agent.agent_principal_id,
            "owner_type": agent.owner_type.as_str(),
            "owner_id": agent.owner_id,
            "reason": reason,
            "obligations": [],
            "policy_ids": policy_ids,
            "policy_set_hash": policy_set_hash,
        }),
    )
    .principal(&agent.agent_principal_id)
    .decision(&decision_id)
    .action(action.action_id());
    let mut created = created;
    if !limits_consumed.is_empty()
        && let Some(m) = created.metadata.as_object_mut()
    {
        m.insert("limits_consumed".into(), json!(limits_consumed));
    }
    dd.append_audit_locked(&lock, vec![called, used, created])?;
    crate::notify::enqueued(dd, notes);
    if let Some(ix) = index.as_mut() {
        // Durable already; otherwise the next limited decision folds it in from the log.
        let _ = ix.catch_up(&lock);
    }
    drop(lock);
    Ok(AuthorizeResponse {
        decision_id,
        action_id: action.action_id().to_string(),
        action_hash: action.action_hash().to_string(),
        result: DecisionResult::Allow,
        matched_rule_id: None,
        reason: reason.to_string(),
        proof_token: Some(issued.token),
        proof_expires_at: Some(issued.expires_at),
        obligations: vec![],
    })
}

/// The checks of the approval path, in upstream's order (a consumed token reports CONSUMED even
/// for another action). Call under the writer lock so the request read is the latest.
fn check_approval_token(
    dd: &DataDir,
    agent: &Agent,
    action: &ValidatedAction,
    token: &str,
    now: time::OffsetDateTime,
) -> Result<ApprovalRequest> {
    let v = crate::tokens::verify_approval(token, &dd.verification_keys()?, now);
    if !v.valid {
        let reason = v.reason.unwrap_or_else(|| "Invalid approval token".into());
        return Err(
            Error::new(ErrorCode::InvalidApprovalToken, reason).with_hint(
                "use the approval_token of an APPROVED approval request, before it expires",
            ),
        );
    }
    let id = v.claim_str("approval_request_id").unwrap_or_default();
    let not_found = || {
        Error::new(
            ErrorCode::ApprovalRequestNotFound,
            format!("approval request {id:?} not found"),
        )
    };
    if !crate::ids::is_uuid_shaped(id) {
        return Err(not_found());
    }
    let request = dd.approval_request(id)?.ok_or_else(not_found)?;
    if request.status != approvals::APPROVED {
        return Err(Error::new(
            ErrorCode::InvalidApprovalStatus,
            format!("Approval request status is {}", request.status),
        ));
    }
    if request.consumed_at.is_some() {
        return Err(Error::new(
            ErrorCode::ApprovalTokenConsumed,
            "Approval token has already been used",
        )
        .with_hint("an approval covers one re-authorization; ask for a new approval"));
    }
    if v.claim_str("action_hash") != Some(action.action_hash())
        || request.action_hash != action.action_hash()
    {
        return Err(Error::new(
            ErrorCode::ActionHashMismatch,
            "Action hash does not match the approved action",
        )
        .with_hint("re-authorize with exactly the action that was approved (same action_id, requested_at and payload)"));
    }
    if v.claim_str("agent_id") != Some(action.agent_id())
        || request.agent_principal_id != agent.agent_principal_id
    {
        return Err(Error::new(
            ErrorCode::AgentMismatch,
            "The approval was granted to another agent",
        ));
    }
    // A token naming this request but not the one stored on it (e.g. forged with a stolen key
    // for another request) is refused too.
    if request.approval_token.as_deref() != Some(token) {
        return Err(Error::new(
            ErrorCode::InvalidApprovalToken,
            "Approval token does not belong to this approval request",
        ));
    }
    Ok(request)
}

/// Decides on `action` for the authenticated `agent` by its policy.
///
/// A decision that an allow rule with `limits` could make is taken under the writer lock, with
/// the counters read fresh from the index and the consumption appended to the audit log in the
/// same critical section (check-and-consume is atomic across threads and processes). Every other
/// decision keeps the group-commit path.
pub fn authorize(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
) -> Result<AuthorizeResponse> {
    check_caller(agent, action)?;
    let now = timefmt::now();
    let called = called_event(agent, action, now);

    let policy = match crate::policy::resolve::resolve_for_agent(dd, agent) {
        Ok(p) => p,
        Err(e) => {
            // The call is audited even when no decision can be made (upstream does the same).
            dd.append_audit(vec![called])?;
            return Err(e);
        }
    };
    if crate::policy::engine::limits_apply(&policy.policies(), action.value()) {
        return authorize_limited(dd, config, agent, action, &policy, called, now);
    }
    let eval = policy.evaluate(action.value());
    let (events, response) = decide(dd, config, agent, action, &policy, eval, called, now)?;
    dd.append_audit(events)?;
    Ok(response)
}

/// [`authorize`] for an action that a rule with limits could decide (see [`limited`]).
fn authorize_limited(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
    policy: &std::sync::Arc<EffectivePolicy>,
    called: NewEvent,
    now: time::OffsetDateTime,
) -> Result<AuthorizeResponse> {
    limited::submit(
        dd,
        limited::Job {
            config: config.clone(),
            agent: agent.clone(),
            action: action.clone(),
            policy: policy.clone(),
            called,
            now,
        },
    )
}

/// The counter keys of every limit of every allow rule that `action`'s type matches.
fn candidate_keys(
    layers: &[&CompiledPolicy],
    action: &ValidatedAction,
    owner_id: Option<&str>,
) -> Vec<String> {
    layers
        .iter()
        .flat_map(|p| &p.rules)
        .filter(|r| !r.limits.is_empty() && r.action.matches(action.action_type()))
        .flat_map(|r| {
            r.limits.iter().filter_map(move |l| {
                crate::policy::limits::counter_key(&r.id, &l.per, action.value(), owner_id).ok()
            })
        })
        .collect()
}

/// For each consumed key: entries older than the longest window of its rule can go.
fn horizons(
    layers: &[&CompiledPolicy],
    consumed: &[crate::policy::limits::Consumption],
    now_ms: i64,
) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for c in consumed {
        let longest = layers
            .iter()
            .flat_map(|p| &p.rules)
            .filter(|r| *r.id == *c.rule_id)
            .flat_map(|r| r.limits.iter().map(|l| l.window_secs))
            .max();
        if let Some(w) = longest {
            out.insert(c.key.clone(), now_ms.saturating_sub(w as i64 * 1000));
        }
    }
    out
}

/// Everything a policy decision produces once evaluated: the proof, the pending decision of a
/// REQUIRE_APPROVAL, the audit events to append and the response.
#[allow(clippy::too_many_arguments)]
fn decide(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
    policy: &EffectivePolicy,
    eval: crate::policy::Evaluation,
    called: NewEvent,
    now: time::OffsetDateTime,
) -> Result<(Vec<NewEvent>, AuthorizeResponse)> {
    let decision_id = crate::ids::new_id();
    let mut events = vec![called];
    let mut proof_token = None;
    let mut proof_expires_at = None;
    if eval.result == DecisionResult::Allow && eval.proof_required {
        let ttl = eval
            .proof_ttl_seconds
            .unwrap_or(config.tokens.default_ttl_seconds)
            .min(config.tokens.max_ttl_seconds);
        let (kid, issued) = issue_proof_for(
            dd,
            agent,
            action,
            &decision_id,
            eval.matched_rule_id.as_deref(),
            action.trust_profile(),
            ttl,
            now,
        )?;
        events.push(
            NewEvent::new(
                "PROOF_ISSUED",
                json!({
                    "decision_id": decision_id,
                    "agent_id": agent.agent_id,
                    "action_type": action.action_type(),
                    "action_hash": action.action_hash(),
                    "ttl_seconds": ttl,
                    "expires_at": issued.expires_at,
                    "trust_profile": action.trust_profile(),
                    "kid": kid,
                }),
            )
            .decision(&decision_id)
            .action(action.action_id()),
        );
        proof_token = Some(issued.token);
        proof_expires_at = Some(issued.expires_at);
    }

    if eval.result == DecisionResult::RequireApproval {
        dd.save_pending_decision(&PendingDecision {
            decision_id: decision_id.clone(),
            agent_principal_id: agent.agent_principal_id.clone(),
            agent_id: agent.agent_id.clone(),
            owner_type: agent.owner_type,
            owner_id: agent.owner_id.clone(),
            action_id: action.action_id().to_string(),
            action_type: action.action_type().to_string(),
            action_hash: action.action_hash().to_string(),
            matched_rule_id: eval.matched_rule_id.clone(),
            created_at: timefmt::format(now),
            expires_at: timefmt::format(timefmt::plus_seconds(
                now,
                config.approval.request_ttl_seconds as i64,
            )),
            approval_ttl_seconds: eval.approval_ttl_seconds,
        })?;
    }

    events.push(
        NewEvent::new(
            "DECISION_CREATED",
            json!({
                "decision_id": decision_id,
                "result": eval.result,
                "matched_rule_id": eval.matched_rule_id,
                "action_hash": action.action_hash(),
                "action_type": action.action_type(),
                "agent_id": agent.agent_id,
                "agent_principal_id": agent.agent_principal_id,
                "owner_type": agent.owner_type.as_str(),
                "owner_id": agent.owner_id,
                "reason": eval.reason,
                "obligations": eval.obligations,
                "policy_id": policy.matched_layer(&eval).or(policy.layers.first()).map(|l| &l.policy_id),
                "policy_ids": policy.layers.iter().map(|l| &l.policy_id).collect::<Vec<_>>(),
                "policy_set_hash": policy.policy_set_hash(),
                "trace": { "rules": eval.trace },
            }),
        )
        .principal(&agent.agent_principal_id)
        .decision(&decision_id)
        .action(action.action_id()),
    );
    if !policy.shadow.is_empty()
        && let Some(created) = events.last_mut()
        && let Some(m) = created.metadata.as_object_mut()
    {
        m.insert(
            "shadow".into(),
            json!(policy.shadow_results(action.value())),
        );
    }
    if !eval.consumed.is_empty()
        && let Some(created) = events.last_mut()
        && let Some(m) = created.metadata.as_object_mut()
    {
        m.insert("limits_consumed".into(), json!(eval.consumed));
    }

    let response = AuthorizeResponse {
        decision_id,
        action_id: action.action_id().to_string(),
        action_hash: action.action_hash().to_string(),
        result: eval.result,
        matched_rule_id: eval.matched_rule_id,
        reason: eval.reason,
        proof_token,
        proof_expires_at,
        obligations: eval.obligations,
    };
    Ok((events, response))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::Txn;
    use crate::store::owners::{Owner, OwnerType};

    /// An owner with `n` agents and `policy` bound owner-wide, on a fresh data dir (with fsync,
    /// commits take long enough for the pipeline's stages to overlap).
    fn limited_setup(
        n: usize,
        policy: &str,
        fsync: bool,
    ) -> (tempfile::TempDir, DataDir, Config, Owner, Vec<Agent>) {
        let (t, dd) = crate::audit::testutil::data_dir(fsync);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let config = dd.config().unwrap();
        let owner = Owner::new(OwnerType::User, "Alice");
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &owner).unwrap();
        let mut index = dd.agent_index().unwrap();
        let agents: Vec<Agent> = (0..n)
            .map(|i| Agent::new(&format!("bot{i}"), &owner, "AAAA".into()))
            .collect();
        for a in &agents {
            dd.stage_new_agent(&mut txn, &mut index, a).unwrap();
        }
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
                text: policy.into(),
            },
        )
        .unwrap();
        (t, dd, config, owner, agents)
    }

    fn purchase(owner: &Owner, agent: &Agent, amount: u64) -> ValidatedAction {
        ValidatedAction::from_value(json!({
            "action_id": crate::ids::new_id(),
            "action_type": "purchase",
            "requested_at": "2025-01-15T10:30:00.000Z",
            "principal": {"agent_id": agent.agent_id},
            "subject": {"principal_id": owner.owner_id},
            "payload": {"amount_minor": amount, "currency": "USD"},
        }))
        .unwrap()
    }

    fn buy(
        dd: &DataDir,
        config: &Config,
        owner: &Owner,
        agent: &Agent,
        amount: u64,
    ) -> Result<AuthorizeResponse> {
        authorize(dd, config, agent, &purchase(owner, agent, amount))
    }

    const CAP_5000: &str = "version: 1\ndefault: deny\nrules:\n  - id: capped\n    effect: allow\n    action: purchase\n    limits: [{ window: 1d, max_amount_minor: 5000, per: owner }]\n  - id: ask\n    effect: allow\n    action: purchase\n    obligations: [{ type: HUMAN_APPROVAL }]\n";

    /// Server workers are threads sharing one process: 8 of them, each spending 1000 against a
    /// 5000 cap at the same moment, get exactly 5 ALLOWs; the rest fall through to the next rule.
    #[test]
    fn threads_check_and_consume_limits_atomically() {
        let (_t, dd, config, owner, agents) = limited_setup(8, CAP_5000, false);
        let results: Vec<DecisionResult> = std::thread::scope(|s| {
            let handles: Vec<_> = agents
                .iter()
                .map(|agent| {
                    let (dd, config, owner) = (&dd, &config, &owner);
                    s.spawn(move || buy(dd, config, owner, agent, 1000).unwrap().result)
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let allows = results
            .iter()
            .filter(|r| **r == DecisionResult::Allow)
            .count();
        assert_eq!(allows, 5, "{results:?}");
        assert_eq!(
            results
                .iter()
                .filter(|r| **r == DecisionResult::RequireApproval)
                .count(),
            3
        );
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    /// Two consuming decisions in one batch against a cap that has room for one of them: the
    /// second is checked against the index's counter plus the first one's consumption (the
    /// batch's own entries count), and the next batch sees both.
    #[test]
    fn a_batch_counts_the_consumption_of_its_earlier_decisions() {
        let (_t, dd, config, owner, agents) = limited_setup(2, CAP_5000, false);
        assert_eq!(
            buy(&dd, &config, &owner, &agents[0], 3000).unwrap().result,
            DecisionResult::Allow
        );
        let job = |agent: &Agent, amount: u64| {
            let action = purchase(&owner, agent, amount);
            let now = timefmt::now();
            limited::Job {
                config: config.clone(),
                agent: agent.clone(),
                policy: crate::policy::resolve::resolve_for_agent(&dd, agent).unwrap(),
                called: called_event(agent, &action, now),
                action,
                now,
            }
        };
        let (results, memo) = limited::run_batch(
            &dd,
            vec![job(&agents[0], 1500), job(&agents[1], 1500)],
            None,
        );
        let results: Vec<AuthorizeResponse> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(results[0].result, DecisionResult::Allow);
        assert_eq!(results[1].result, DecisionResult::RequireApproval);
        assert_eq!(results[1].matched_rule_id.as_deref(), Some("ask"));
        // The next batch (with the memo, then without) sees 4500 used.
        let (results, memo) =
            limited::run_batch(&dd, vec![job(&agents[1], 501), job(&agents[1], 500)], memo);
        let results: Vec<DecisionResult> = results.into_iter().map(|r| r.unwrap().result).collect();
        assert_eq!(
            results,
            [DecisionResult::RequireApproval, DecisionResult::Allow]
        );
        assert!(memo.is_some());
        let (results, _) = limited::run_batch(&dd, vec![job(&agents[0], 1)], None);
        assert_eq!(
            results[0].as_ref().unwrap().result,
            DecisionResult::RequireApproval
        );
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    /// Six decisions in one batch against a count cap of 5 with `near_cap_ratio` 0.8: the
    /// batch's own consumption counts, so exactly one `limits.near_cap` (at the 4th) is staged
    /// with the batch, for the channel that listens for it and the agent's owner.
    #[test]
    fn a_batch_stages_one_near_cap_notification_per_crossing() {
        let cap = "version: 1\ndefault: deny\nrules:\n  - id: five\n    effect: allow\n    action: purchase\n    limits: [{ window: 1d, max_count: 5, per: owner }]\n";
        let (_t, dd, _, owner, agents) = limited_setup(2, cap, false);
        let config = Config::parse(
            &format!("audit: {{fsync: never}}\nnotifications:\n  channels:\n    - {{name: cap, type: webhook, url: 'http://127.0.0.1:9/c', events: [limits.near_cap], owners: ['{}']}}\n    - {{name: other, type: webhook, url: 'http://127.0.0.1:9/o', events: [limits.near_cap], owners: ['00000000-0000-4000-8000-000000000000']}}\n", owner.owner_id),
            "config.yaml",
        )
        .unwrap();
        let job = |agent: &Agent| {
            let action = purchase(&owner, agent, 1);
            let now = timefmt::now();
            limited::Job {
                config: config.clone(),
                agent: agent.clone(),
                policy: crate::policy::resolve::resolve_for_agent(&dd, agent).unwrap(),
                called: called_event(agent, &action, now),
                action,
                now,
            }
        };
        let jobs = (0..6).map(|i| job(&agents[i % 2])).collect();
        let (results, _) = limited::run_batch(&dd, jobs, None);
        let results: Vec<AuthorizeResponse> = results.into_iter().map(Result::unwrap).collect();
        let queued = crate::notify::outbox::list(&dd, None).unwrap();
        assert_eq!(queued.len(), 1, "{queued:?}");
        let e = &queued[0];
        assert_eq!(e.event.event_type, "limits.near_cap");
        assert_eq!(
            e.target,
            crate::notify::outbox::Target::Channel {
                name: "cap".into(),
                channel_type: "webhook".into()
            }
        );
        assert_eq!(e.event.data["decision_id"], results[3].decision_id.as_str());
        assert_eq!(e.event.data["used"], 4);
        assert_eq!(e.event.agent_principal_id, agents[1].agent_principal_id);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    /// Audit commits that fail (injected head-write failures, while limited decisions and
    /// pipelined unlimited ones append at the same time): the decisions cut from the log must not
    /// count against the cap, and the ones that succeeded must. Whatever failed, the cap admits
    /// exactly cap / amount successful ALLOWs in total.
    #[test]
    fn failed_audit_commits_never_count_against_limits() {
        let cap = "version: 1\ndefault: deny\nrules:\n  - id: capped\n    effect: allow\n    action: purchase\n    limits: [{ window: 1d, max_amount_minor: 20000, per: owner }]\n  - id: ask\n    effect: allow\n    action: purchase\n    obligations: [{ type: HUMAN_APPROVAL }]\n";
        let (_t, dd, config, owner, agents) = limited_setup(8, cap, true);
        if dd.pg().unwrap().is_some() {
            // The faults are injected into the file log's committer; on the PostgreSQL backend
            // a failed chain commit is covered by `pg::replica`'s tests.
            return;
        }
        let c = crate::audit::commit::committer(&dd);
        c.fail_every_nth_head
            .store(3, std::sync::atomic::Ordering::SeqCst);
        let results: Vec<Result<DecisionResult>> = std::thread::scope(|s| {
            // Unlimited decisions at the same time, through the pipelined group commit.
            for agent in &agents[..4] {
                let (dd, config, owner) = (&dd, &config, &owner);
                s.spawn(move || {
                    for _ in 0..6 {
                        let action = ValidatedAction::from_value(json!({
                            "action_id": crate::ids::new_id(),
                            "action_type": "browse",
                            "requested_at": "2025-01-15T10:30:00.000Z",
                            "principal": {"agent_id": agent.agent_id},
                            "subject": {"principal_id": owner.owner_id},
                            "payload": {},
                        }))
                        .unwrap();
                        let _ = authorize(dd, config, agent, &action);
                    }
                });
            }
            let handles: Vec<_> = agents
                .iter()
                .map(|agent| {
                    let (dd, config, owner) = (&dd, &config, &owner);
                    s.spawn(move || {
                        (0..3)
                            .map(|_| buy(dd, config, owner, agent, 1000).map(|r| r.result))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        c.fail_every_nth_head
            .store(0, std::sync::atomic::Ordering::SeqCst);
        assert!(results.iter().any(|r| r.is_err()), "no commit failed");
        let mut allowed = results
            .iter()
            .filter(|r| matches!(r, Ok(DecisionResult::Allow)))
            .count();
        assert!(allowed <= 20);
        assert!(crate::audit::verify(&dd).unwrap().ok);
        // Spend the rest: exactly 20 purchases of 1000 fit under the 20000 cap.
        loop {
            match buy(&dd, &config, &owner, &agents[0], 1000).unwrap().result {
                DecisionResult::Allow => allowed += 1,
                DecisionResult::RequireApproval => break,
                other => panic!("unexpected {other:?}"),
            }
            assert!(allowed <= 20, "the cap was exceeded");
        }
        assert_eq!(allowed, 20);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }
}
