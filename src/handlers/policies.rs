//! Creating a stored policy and its binding: shared by `openleash policy upsert`, the owner API
//! and the approval of a policy draft, so all three write the same records and audit event.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::CompiledPolicy;
use crate::store::bindings::{Binding, Bindings, PolicyEntry};
use crate::store::owners::OwnerType;
use crate::store::{DataDir, Txn};
use serde_json::json;

/// A policy to create and bind.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    /// `None`: a fresh id.
    pub policy_id: Option<String>,
    pub owner_type: OwnerType,
    pub owner_id: String,
    /// `None` binds owner-wide.
    pub agent_principal_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub rank: Option<i64>,
    /// The YAML exactly as given (comments preserved); validated by the caller.
    pub text: String,
}

/// Validates policy text the way every write path does: all diagnostics, `INVALID_POLICY` with
/// them in `details` on any error.
pub fn validate(source_name: &str, text: &str) -> Result<CompiledPolicy> {
    let checked = crate::policy::check_policy(source_name, text.as_bytes());
    match checked.policy {
        Some(p) => Ok(p),
        None => Err(crate::policy::resolve::policy_error(
            ErrorCode::InvalidPolicy,
            source_name,
            &checked.diagnostics,
        )),
    }
}

/// Stages the policy file and adds its catalogue entry and binding to `b` (the caller holds the
/// writer lock, stages `b` and commits). Returns the policy id.
pub fn stage_create(
    dd: &DataDir,
    b: &mut Bindings,
    txn: &mut Txn,
    p: &NewPolicy,
) -> Result<String> {
    let policy_id = p
        .policy_id
        .as_deref()
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(crate::ids::new_id);
    let path = dd.policy_path(&policy_id)?;
    if b.policy(&policy_id).is_some() {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("policy {policy_id} was created by another process meanwhile"),
        )
        .with_hint("run the command again to replace it"));
    }
    b.policies.push(PolicyEntry {
        policy_id: policy_id.clone(),
        owner_type: p.owner_type,
        owner_id: p.owner_id.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        created_at: crate::timefmt::now_string(),
        updated_at: None,
    });
    b.bindings.push(Binding {
        policy_id: policy_id.clone(),
        owner_type: p.owner_type,
        owner_id: p.owner_id.clone(),
        agent_principal_id: p.agent_principal_id.clone(),
        rank: p.rank,
    });
    txn.write(&path, p.text.clone().into_bytes());
    Ok(policy_id)
}

/// The `POLICY_UPSERTED` event of a created policy.
pub fn created_event(p: &NewPolicy, policy_id: &str) -> NewEvent {
    NewEvent::new(
        "POLICY_UPSERTED",
        json!({
            "policy_id": policy_id,
            "owner_type": p.owner_type.as_str(),
            "owner_id": p.owner_id,
            "applies_to_agent_principal_id": p.agent_principal_id,
            "rank": p.rank,
        }),
    )
    .principal(&p.owner_id)
}

/// Creates and binds a policy under the writer lock, audited. Returns the policy id.
pub fn create(dd: &DataDir, p: &NewPolicy) -> Result<String> {
    let lock = dd.lock()?;
    let mut b = dd.bindings()?;
    let mut txn = Txn::default();
    let policy_id = stage_create(dd, &mut b, &mut txn, p)?;
    dd.stage_bindings(&mut txn, &b)?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![created_event(p, &policy_id)])?;
    Ok(policy_id)
}
