//! Agent invites (`invites/<invite_id>.json`): a single-use, expiring credential that lets an
//! agent register itself. Only the SHA-256 of the 256-bit token is stored; redemption compares it
//! in constant time under the writer lock, so two concurrent redemptions cannot both succeed.

use super::agents::Agent;
use super::owners::{Owner, OwnerType};
use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub invite_id: String,
    pub owner_type: OwnerType,
    pub owner_id: String,
    pub token_sha256: String,
    pub created_at: String,
    pub expires_at: String,
    #[serde(default)]
    pub used_at: Option<String>,
    #[serde(default)]
    pub agent_principal_id: Option<String>,
    /// Set on invites a provisioner made (`POST /v1/provisioner/enrollments`), as upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioner_id: Option<String>,
    /// The name the provisioner intends for the agent (the agent still picks its `agent_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// A policy of the owner to bind to the new agent when the invite is redeemed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_policy_id: Option<String>,
    /// A policy group of the owner the new agent joins when the invite is redeemed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_group_id: Option<String>,
}

/// What the redeeming agent supplies.
#[derive(Debug, Clone, Default)]
pub struct Redemption {
    pub agent_id: String,
    pub public_key_b64: String,
    pub webhook_url: String,
    pub webhook_secret: String,
    pub webhook_auth_token: String,
}

impl DataDir {
    pub fn invite_path(&self, invite_id: &str) -> Result<PathBuf> {
        ids::check_uuid("invite id", invite_id)?;
        Ok(self
            .root()
            .join("invites")
            .join(format!("{}.json", invite_id.to_ascii_lowercase())))
    }

    pub fn invite(&self, invite_id: &str) -> Result<Invite> {
        let path = self.invite_path(invite_id)?;
        self.read_json(&path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::InviteNotFound,
                format!("no invite with id {invite_id}"),
            )
            .with_hint("ask the owner for a new invite (`openleash agent invite`)")
        })
    }

    /// Creates an invite for `owner` valid for `ttl_seconds`; returns it with the clear token
    /// (shown once; only its hash is stored).
    pub fn create_invite(&self, owner: &Owner, ttl_seconds: u64) -> Result<(Invite, String)> {
        let (invite, token) = new_invite(owner.owner_type, &owner.owner_id, ttl_seconds);
        let _lock = self.lock()?;
        super::write_atomic_mode(
            &self.invite_path(&invite.invite_id)?,
            &super::to_json_pretty(&invite)?,
            0o600,
        )?;
        Ok((invite, token))
    }

    /// Stages an invite's record (the caller holds the writer lock).
    pub fn stage_invite(&self, txn: &mut Txn, invite: &Invite) -> Result<()> {
        let path = self.invite_path(&invite.invite_id)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        txn.write_mode(&path, super::to_json_pretty(invite)?, super::SECRET_MODE);
        Ok(())
    }

    /// Every invite of the data directory, in no particular order.
    pub fn invites(&self) -> Result<Vec<Invite>> {
        let mut out = Vec::new();
        for id in self.list_ids("invites", "json")? {
            if ids::is_uuid_shaped(&id) {
                match self.invite(&id) {
                    Ok(i) => out.push(i),
                    Err(e) if e.code == ErrorCode::InviteNotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(out)
    }

    /// Redeems an invite: checks the token (constant time), single use and expiry, then registers
    /// an ACTIVE agent for the invite's owner and marks the invite used, in one transaction.
    pub fn redeem_invite(
        &self,
        invite_id: &str,
        token: &str,
        r: &Redemption,
    ) -> Result<(Invite, Agent)> {
        ids::check_agent_id(&r.agent_id)?;
        let public_key_b64 = crate::crypto::ed25519::public_key_b64(
            &crate::crypto::ed25519::parse_public_key(&r.public_key_b64)?,
        );
        // Checked before the lock too, so a caller without the token learns nothing else (such as
        // whether the agent id is taken).
        check_redeemable(&self.invite(invite_id)?, token)?;
        let mut result = None;
        let owner_agent = |invite: &Invite| -> Result<Agent> {
            let owner = self.owner(&invite.owner_id)?;
            let mut a = Agent::new(&r.agent_id, &owner, public_key_b64.clone());
            a.webhook_url = r.webhook_url.clone();
            a.webhook_secret = r.webhook_secret.clone();
            a.webhook_auth_token = r.webhook_auth_token.clone();
            a.attributes
                .insert("registered_via".into(), "invite".into());
            if let Some(p) = &invite.provisioner_id {
                a.attributes
                    .insert("enrolled_by_provisioner_id".into(), p.clone());
            }
            Ok(a)
        };
        // The invite is re-read under the lock taken by `register_agent`, so a concurrent
        // redemption sees `used_at` set.
        let placeholder = owner_agent(&self.invite(invite_id)?)?;
        self.register_agent(&placeholder, |txn: &mut Txn| {
            let mut invite = self.invite(invite_id)?;
            check_redeemable(&invite, token)?;
            invite.used_at = Some(crate::timefmt::now_string());
            invite.agent_principal_id = Some(placeholder.agent_principal_id.clone());
            // A provisioner's enrollment may name a policy to bind; it may have been deleted
            // since (then the agent is registered without it, as upstream).
            if let Some(pid) = invite.bind_policy_id.clone() {
                invite.bind_policy_id =
                    self.stage_enrollment_binding(txn, &invite, &pid, &placeholder)?;
            }
            // Likewise a group to join (it may have been deleted since: then none).
            if let Some(gid) = invite.bind_group_id.clone() {
                invite.bind_group_id =
                    self.stage_enrollment_membership(txn, &invite, &gid, &placeholder)?;
            }
            txn.write_mode(
                &self.invite_path(invite_id)?,
                super::to_json_pretty(&invite)?,
                0o600,
            );
            result = Some(invite);
            Ok(())
        })?;
        let invite = result.ok_or_else(|| Error::internal("invite redemption lost its record"))?;
        Ok((invite, placeholder))
    }

    /// Stages the new agent's membership of `group_id`, if the group still exists and belongs
    /// to the invite's owner; returns the id joined.
    fn stage_enrollment_membership(
        &self,
        txn: &mut Txn,
        invite: &Invite,
        group_id: &str,
        agent: &Agent,
    ) -> Result<Option<String>> {
        let Some(before) = self
            .group(group_id)?
            .filter(|g| g.owner_id.eq_ignore_ascii_case(&invite.owner_id))
        else {
            return Ok(None);
        };
        let mut after = before.clone();
        after.members.push(super::groups::GroupMember {
            membership_id: crate::ids::new_id(),
            agent_principal_id: agent.agent_principal_id.clone(),
            added_at: crate::timefmt::now_string(),
            added_by_user_id: None,
        });
        self.stage_group(txn, Some(&before), Some(&after))?;
        Ok(Some(before.group_id))
    }

    /// Stages the agent-tier binding of `policy_id` to the agent an enrollment registers, if
    /// the policy still exists and belongs to the invite's owner; returns the id bound.
    fn stage_enrollment_binding(
        &self,
        txn: &mut Txn,
        invite: &Invite,
        policy_id: &str,
        agent: &Agent,
    ) -> Result<Option<String>> {
        let Some(entry) = self
            .policy_entry(policy_id)?
            .filter(|e| e.owner_id.eq_ignore_ascii_case(&invite.owner_id))
        else {
            return Ok(None);
        };
        let before = self.policy_view(&entry.policy_id)?;
        let mut after = before.clone();
        // The agent is new, so its tier is empty: the first rank (upstream `nextRankInTier`).
        after.bindings.push(super::bindings::Binding {
            policy_id: entry.policy_id.clone(),
            owner_type: invite.owner_type,
            owner_id: entry.owner_id.clone(),
            agent_principal_id: Some(agent.agent_principal_id.clone()),
            rank: Some(100),
            group_id: None,
        });
        self.stage_policy_change(txn, &before, &after)?;
        Ok(Some(entry.policy_id))
    }
}

/// A fresh invite of `owner_id` valid `ttl_seconds` from now, and its clear token.
pub fn new_invite(owner_type: OwnerType, owner_id: &str, ttl_seconds: u64) -> (Invite, String) {
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(crate::crypto::random_bytes::<32>());
    let now = crate::timefmt::now();
    let ttl = i64::try_from(ttl_seconds).unwrap_or(i64::MAX);
    let invite = Invite {
        invite_id: ids::new_id(),
        owner_type,
        owner_id: owner_id.to_string(),
        token_sha256: crate::crypto::sha256_hex(token.as_bytes()),
        created_at: crate::timefmt::format(now),
        expires_at: crate::timefmt::format(crate::timefmt::plus_seconds(now, ttl)),
        used_at: None,
        agent_principal_id: None,
        provisioner_id: None,
        agent_name: None,
        bind_policy_id: None,
        bind_group_id: None,
    };
    (invite, token)
}

/// The token is checked before the invite's state so that without it nothing about the invite
/// is revealed (Δ: upstream reports used/expired first).
fn check_redeemable(invite: &Invite, token: &str) -> Result<()> {
    let given = crate::crypto::sha256_hex(token.as_bytes());
    if !crate::crypto::ct_eq(given.as_bytes(), invite.token_sha256.as_bytes()) {
        return Err(
            Error::new(ErrorCode::InvalidInviteToken, "Invalid invite token")
                .with_hint("use the complete invite URL the owner gave you"),
        );
    }
    if invite.used_at.is_some() {
        return Err(
            Error::new(ErrorCode::InviteUsed, "This invite has already been used")
                .with_hint("invites are single-use; ask the owner for a new one"),
        );
    }
    let expired =
        crate::timefmt::parse(&invite.expires_at).is_none_or(|t| t <= crate::timefmt::now());
    if expired {
        return Err(
            Error::new(ErrorCode::InviteExpired, "This invite has expired")
                .with_hint("ask the owner for a new invite (`openleash agent invite`)"),
        );
    }
    Ok(())
}
