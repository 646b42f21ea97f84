//! The authorize handler: one function that the CLI (`openleash authorize`) and the server
//! (`POST /v1/authorize`) both call. It resolves the agent's policy layers, evaluates, issues a
//! proof token for an ALLOW that requires one, remembers REQUIRE_APPROVAL decisions, and returns
//! only after the audit events of the call are durable.

use crate::action::ValidatedAction;
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::engine::{DecisionResult, Obligation};
use crate::store::DataDir;
use crate::store::agents::Agent;
use crate::store::decisions::PendingDecision;
use crate::timefmt;
use serde::{Deserialize, Serialize};
use serde_json::json;

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

/// Decides on `action` for the authenticated `agent`.
pub fn authorize(
    dd: &DataDir,
    config: &Config,
    agent: &Agent,
    action: &ValidatedAction,
) -> Result<AuthorizeResponse> {
    if !agent.is_active() {
        return Err(Error::new(
            ErrorCode::AgentInactive,
            format!("agent {:?} is {}", agent.agent_id, agent.status),
        )
        .with_hint("an owner can re-activate it with `openleash agent activate`"));
    }
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
    let now = timefmt::now();
    let called = NewEvent::new(
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
        }),
    )
    .principal(&agent.agent_principal_id)
    .action(action.action_id());

    let policy = match crate::policy::resolve::resolve_for_agent(dd, agent) {
        Ok(p) => p,
        Err(e) => {
            // The call is audited even when no decision can be made (upstream does the same).
            dd.append_audit(vec![called])?;
            return Err(e);
        }
    };
    let eval = policy.evaluate(action.value());
    let decision_id = crate::ids::new_id();
    let mut events = vec![called];

    let mut proof_token = None;
    let mut proof_expires_at = None;
    if eval.result == DecisionResult::Allow && eval.proof_required {
        let ttl = eval
            .proof_ttl_seconds
            .unwrap_or(config.tokens.default_ttl_seconds)
            .min(config.tokens.max_ttl_seconds);
        let (key, signing_key) = dd.active_key()?;
        let claims = crate::tokens::ProofClaims {
            decision_id: &decision_id,
            owner_type: agent.owner_type.as_str(),
            owner_id: &agent.owner_id,
            agent_id: &agent.agent_id,
            action_type: action.action_type(),
            action_hash: action.action_hash(),
            matched_rule_id: eval.matched_rule_id.as_deref(),
            trust_profile: action.trust_profile(),
        };
        let issued = crate::tokens::issue_proof(&key.kid, &signing_key, &claims, ttl, now)?;
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
                    "kid": key.kid,
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
                "trace": { "rules": eval.trace },
            }),
        )
        .principal(&agent.agent_principal_id)
        .decision(&decision_id)
        .action(action.action_id()),
    );
    dd.append_audit(events)?;

    Ok(AuthorizeResponse {
        decision_id,
        action_id: action.action_id().to_string(),
        action_hash: action.action_hash().to_string(),
        result: eval.result,
        matched_rule_id: eval.matched_rule_id,
        reason: eval.reason,
        proof_token,
        proof_expires_at,
        obligations: eval.obligations,
    })
}
