//! Owner-side agent management shared by the owner API and the portal: listing an owner's agents
//! and revoking or re-activating one (audited with the change, under the writer lock).

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
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
