//! Agent management shared by the owner API, the admin API, the CLI and the portal: listing an
//! owner's agents, revoking or re-activating one, and an admin's delete (each audited with the
//! change, under the writer lock).

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::handlers::approvals::OwnerScope;
use crate::handlers::page::{self, Order, Page, PageRequest};
use crate::store::agents::{ACTIVE, Agent, REVOKED};
use crate::store::{DataDir, Txn, listindex};
use serde_json::{Value, json};

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
    crate::store::agents::agent_key(a)
}

/// One page of the agents visible in `scope`, oldest first, from the scope's sorted index: reads
/// only the page's agent records.
pub fn list_page(dd: &DataDir, scope: OwnerScope<'_>, req: &PageRequest) -> Result<Page<Agent>> {
    let scopes = match scope {
        OwnerScope::All => vec![listindex::ALL.to_string()],
        OwnerScope::Owner(id) => vec![listindex::owner_scope(id)],
        OwnerScope::Member { org_id, .. } => vec![listindex::owner_scope(org_id)],
    };
    let load = |e: &listindex::Entry| -> Result<Option<Agent>> {
        if !crate::ids::is_uuid_shaped(&e.id) {
            return Ok(None);
        }
        // A record removed by hand (or an agent moved to another owner) is skipped.
        match dd.agent_by_principal(&e.id) {
            Ok(a) => Ok(Some(a).filter(|a| scope.includes(&a.owner_id))),
            Err(err) if err.code == ErrorCode::AgentNotFound => Ok(None),
            Err(err) => Err(err),
        }
    };
    let spec = page::Indexed {
        kind: listindex::Kind::Agents,
        scopes,
        order: Order::Asc,
        visit: &|_| true,
        matches: &|_| true,
        count: &|m| Some(m.count),
        load: &load,
    };
    if let Some(p) = page::indexed(dd, LIST, &spec, req)? {
        return Ok(p);
    }
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

/// `DELETE /v1/admin/agents/{agent_principal_id}` and `openleash admin delete-agent` (upstream
/// `cascadeDeleteAgent`): in one transaction under the writer lock, the agent's record, its
/// `agent_id` index entry and ACTIVE marker go, it leaves every policy group, its bindings are
/// removed and a policy left bound to nothing else is deleted; then `AGENT_DELETED` is recorded
/// in the same critical section. Δ upstream: approval requests and drafts naming the agent stay
/// (they are history; without the agent nothing can consume them), as does the audit log.
pub fn admin_delete(dd: &DataDir, agent_principal_id: &str, by: Option<&str>) -> Result<Value> {
    let not_found = || {
        Error::new(ErrorCode::NotFound, "Agent not found")
            .with_hint("list the agents with GET /v1/admin/agents or `openleash agent list`")
    };
    // Not an id at all: 400 INVALID_ID, as the other admin routes with an id.
    crate::ids::check_uuid("agent principal id", agent_principal_id)?;
    let lock = dd.lock()?;
    let agent = match dd.agent_by_principal(agent_principal_id) {
        Ok(a) => a,
        Err(e) if e.code == ErrorCode::AgentNotFound => return Err(not_found()),
        Err(e) => return Err(e),
    };
    let pid = agent.agent_principal_id.to_ascii_lowercase();
    let before = dd.policies_bound_to_agent(&pid)?;
    let mut after = before.clone();
    after.bindings.retain(|b| {
        !b.agent_principal_id
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(&pid))
    });
    let bindings_removed = before.bindings.len() - after.bindings.len();
    // A policy bound to this agent alone has nothing left to apply to (upstream deletes the
    // policies that target the agent).
    let orphaned: Vec<String> = after
        .policies
        .iter()
        .filter(|p| {
            !after
                .bindings
                .iter()
                .any(|b| b.policy_id.eq_ignore_ascii_case(&p.policy_id))
        })
        .map(|p| p.policy_id.clone())
        .collect();
    after.policies.retain(|p| {
        !orphaned
            .iter()
            .any(|o| o.eq_ignore_ascii_case(&p.policy_id))
    });
    let mut txn = Txn::default();
    if bindings_removed > 0 || !orphaned.is_empty() {
        dd.stage_policy_change(&mut txn, &before, &after)?;
    }
    for id in &orphaned {
        txn.remove(&dd.policy_path(id)?);
    }
    let left = dd.stage_agent_leaves_groups(&mut txn, &pid)?;
    dd.stage_agent_removal(&mut txn, &agent)?;
    txn.commit()?;
    let summary = json!({
        "agents_removed": 1,
        "policies_removed": orphaned.len(),
        "bindings_removed": bindings_removed,
        "approval_requests_removed": 0,
        "policy_drafts_removed": 0,
        "memberships_removed": left.len(),
        "org_invites_removed": 0,
    });
    let mut meta = json!({
        "agent_principal_id": agent.agent_principal_id,
        "agent_id": agent.agent_id,
        "owner_type": agent.owner_type.as_str(),
        "owner_id": agent.owner_id,
        "deleted_by": by,
        "policy_ids_removed": orphaned,
        "group_ids_left": left.iter().map(|(g, _)| g.group_id.clone()).collect::<Vec<_>>(),
    });
    merge(&mut meta, &summary);
    dd.append_audit_locked(
        &lock,
        vec![NewEvent::new("AGENT_DELETED", meta).principal(by.unwrap_or(&agent.owner_id))],
    )?;
    let mut out = json!({"agent_principal_id": agent.agent_principal_id, "status": "deleted"});
    merge(&mut out, &summary);
    Ok(out)
}

fn merge(into: &mut Value, from: &Value) {
    if let (Value::Object(m), Value::Object(f)) = (into, from) {
        m.extend(f.clone());
    }
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

    #[test]
    fn indexed_pages_cover_every_agent_once_while_agents_are_added() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let alice = Owner::new(OwnerType::User, "Alice");
        let bob = Owner::new(OwnerType::User, "Bob");
        let add = |dd: &DataDir, from: usize, n: usize, only: Option<&Owner>| {
            let _lock = dd.lock().unwrap();
            let mut txn = Txn::default();
            let mut index = dd.agent_index().unwrap();
            for i in from..from + n {
                let owner = only.unwrap_or(if i % 4 == 0 { &bob } else { &alice });
                let mut a = Agent::new(&format!("bot-{i}"), owner, "AAAA".into());
                a.created_at = format!("2026-01-01T00:{:02}:{:02}.000Z", i / 60 % 60, i % 60);
                if i >= 3600 {
                    a.created_at = format!("2027-01-01T00:00:00.{:03}Z", i % 1000);
                }
                dd.stage_new_agent(&mut txn, &mut index, &a).unwrap();
            }
            txn.commit().unwrap();
        };
        // Agents from before the index (built on the first page), then more through it.
        add(&dd, 0, 600, None);
        for scope in [OwnerScope::All, OwnerScope::Owner(&alice.owner_id)] {
            let first = list_page(&dd, scope, &PageRequest::first()).unwrap();
            assert_eq!(first.items.len(), 100);
        }
        add(&dd, 600, 700, None);
        let mut next = 3600;
        for (scope, owner) in [
            (OwnerScope::All, &alice),
            (OwnerScope::Owner(&alice.owner_id), &alice),
            (OwnerScope::Owner(&bob.owner_id), &bob),
        ] {
            let want: Vec<String> = list(&dd, scope)
                .unwrap()
                .into_iter()
                .map(|a| a.agent_principal_id)
                .collect();
            let mut req = PageRequest::new(LIST, Some(120), None).unwrap();
            let mut got = Vec::new();
            let mut added = 0;
            loop {
                let p = list_page(&dd, scope, &req).unwrap();
                assert_eq!(p.total, want.len() + added);
                got.extend(p.items.into_iter().map(|a| a.agent_principal_id));
                let Some(c) = p.next_cursor else { break };
                req = PageRequest::new(LIST, Some(120), Some(&c)).unwrap();
                // Newer agents appear at the end of an oldest-first list: seen later, once.
                if added < 8 {
                    add(&dd, next, 4, Some(owner));
                    next += 4;
                    added += 4;
                }
            }
            let unique: std::collections::HashSet<&String> = got.iter().collect();
            assert_eq!(unique.len(), got.len(), "{scope:?}: an agent repeated");
            assert_eq!(got[..want.len()], want[..], "{scope:?}");
        }
    }
}
