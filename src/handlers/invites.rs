//! Agent invites: shared by `openleash agent invite` and `POST /v1/owner/agent-invites`.

use crate::audit::NewEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::owners::Owner;
use serde_json::{Value, json};

/// Creates a single-use invite for `owner` valid `ttl_seconds`, audited `AGENT_INVITE_CREATED`.
/// Returns `invite_id`, `invite_token` (only this once), `invite_url` (under `base`), `owner_id`
/// and `expires_at`.
pub fn create(dd: &DataDir, owner: &Owner, ttl_seconds: u64, base: &str) -> Result<Value> {
    if ttl_seconds == 0 {
        return Err(Error::new(
            ErrorCode::Usage,
            "the invite TTL must be at least 1 second",
        ));
    }
    let (inv, token) = dd.create_invite(owner, ttl_seconds)?;
    dd.append_audit(vec![NewEvent::new(
        "AGENT_INVITE_CREATED",
        json!({"invite_id": inv.invite_id, "owner_type": inv.owner_type.as_str(), "owner_id": inv.owner_id, "expires_at": inv.expires_at}),
    )])?;
    let url = format!(
        "{}/v1/agents/register-with-invite?invite_id={}&invite_token={token}",
        base.trim_end_matches('/'),
        inv.invite_id
    );
    Ok(json!({
        "invite_id": inv.invite_id,
        "invite_token": token,
        "invite_url": url,
        "owner_id": inv.owner_id,
        "expires_at": inv.expires_at,
    }))
}
