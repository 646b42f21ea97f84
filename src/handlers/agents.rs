//! Owner-side agent management shared by the owner API and the portal: listing an owner's agents
//! and revoking or re-activating one (audited with the change, under the writer lock).

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
use crate::handlers::page::{self, Order, Page, PageRequest};
use crate::store::DataDir;
use crate::store::agents::{ACTIVE, Agent, REVOKED};
use serde_json::json;

/// The agents visible in `scope`, in store order.
pub fn list(dd: &DataDir, scope: OwnerScope<'_>) -> Result<Vec<Agent>> {
    Ok(dd
        .agents()?
        .into_iter()
        .filter(|a| scope.includes(&a.owner_id))
        .collect())
}

/// The name of the agent lists in cursors.
pub const LIST: &str = "agents";

/// The sort key of an agent in its lists (oldest first, as `agent list` always showed them).
pub fn agent_key(a: &Agent) -> String {
    format!("{}\u{1f}{}", a.created_at, a.agent_principal_id)
}

/// One page of the agents visible in `scope`, oldest first.
pub fn list_page(dd: &DataDir, scope: OwnerScope<'_>, req: &PageRequest) -> Result<Page<Agent>> {
    // The store reads every agent file for a listing (no sorted index of agents yet).
    let agents = dd
        .agents()?
        .into_iter()
        .filter(|a| scope.includes(&a.owner_id));
    Ok(page::collect(LIST, agents, agent_key, Order::Asc, req))
}

/// One agent visible in `scope`, by principal id.
pub fn get(dd: &DataDir, scope: OwnerScope<'_>, principal_id: &str) -> Result<Agent> {
    crate::ids::check_uuid("agent principal id", principal_id)?;
    dd.agent_by_principal(principal_id)
        .ok()
        .filter(|a| scope.includes(&a.owner_id))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("agent {principal_id} not found"),
            )
            .with_hint("list your agents with GET /v1/owner/agents or `openleash agent list`")
        })
}

/// Sets an agent's status to `ACTIVE` or `REVOKED` (`INVALID_REQUEST` for anything else) and
/// records `AGENT_REVOKED` / `AGENT_ACTIVATED`.
pub fn set_status(
    dd: &DataDir,
    scope: OwnerScope<'_>,
    principal_id: &str,
    status: &str,
    totp: Option<&str>,
) -> Result<Agent> {
    let status = match status {
        "ACTIVE" => ACTIVE,
        "REVOKED" => REVOKED,
        other => {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("`status` must be ACTIVE or REVOKED, not {other:?}"),
            ));
        }
    };
    let current = get(dd, scope, principal_id)?;
    if status == REVOKED {
        // Revocation is gated (as upstream); re-activation is not.
        super::totp::gate(
            dd,
            &dd.config()?,
            scope.actor().unwrap_or(&current.owner_id),
            totp,
        )?;
    }
    let a = dd.set_agent_status(&current.agent_principal_id, status)?;
    dd.append_audit(vec![
        NewEvent::new(
            if status == REVOKED {
                "AGENT_REVOKED"
            } else {
                "AGENT_ACTIVATED"
            },
            json!({"agent_principal_id": a.agent_principal_id, "agent_id": a.agent_id, "owner_id": a.owner_id}),
        )
        .principal(scope.actor().unwrap_or(&a.owner_id)),
    ])?;
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Txn;
    use crate::store::owners::{Owner, OwnerType};

    #[test]
    fn status_changes_are_scoped_validated_and_audited() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let alice = Owner::new(OwnerType::User, "Alice");
        let bob = Owner::new(OwnerType::User, "Bob");
        let agent = Agent::new("bot", &alice, "AAAA".into());
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, &alice).unwrap();
        dd.stage_owner(&mut txn, &bob).unwrap();
        let mut index = dd.agent_index().unwrap();
        dd.stage_new_agent(&mut txn, &mut index, &agent).unwrap();
        txn.commit().unwrap();
        let pid = agent.agent_principal_id.as_str();
        let as_alice = OwnerScope::Owner(&alice.owner_id);
        let as_bob = OwnerScope::Owner(&bob.owner_id);
        assert_eq!(list(&dd, as_alice).unwrap().len(), 1);
        assert!(list(&dd, as_bob).unwrap().is_empty());
        // Another owner's agent, an unknown one and a malformed id are not found / invalid.
        assert_eq!(
            set_status(&dd, as_bob, pid, "REVOKED", None)
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        let unknown = "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
        assert_eq!(
            set_status(&dd, as_alice, unknown, "REVOKED", None)
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        assert_eq!(
            set_status(&dd, as_alice, "../x", "REVOKED", None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidId
        );
        assert_eq!(
            set_status(&dd, as_alice, pid, "PAUSED", None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidRequest
        );
        assert_eq!(dd.agent_by_principal(pid).unwrap().status, ACTIVE);
        assert_eq!(
            set_status(&dd, as_alice, pid, "REVOKED", None)
                .unwrap()
                .status,
            REVOKED
        );
        assert_eq!(
            set_status(&dd, as_alice, pid, "ACTIVE", None)
                .unwrap()
                .status,
            ACTIVE
        );
        let page = dd
            .audit_page(&crate::audit::query::Filter::default(), 0, 10)
            .unwrap();
        let types: Vec<&str> = page.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["AGENT_ACTIVATED", "AGENT_REVOKED"]);
    }
}
