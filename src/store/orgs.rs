//! Organization membership and invites (SPEC §17). An organization is an owner of type `org`
//! (`owners/<org_id>.yaml`, unchanged); what makes it a team lives beside it:
//!
//! - `orgs/<org_id>/members.json` — the members with their roles (the authority for role checks);
//! - `memberships/<user_id>.json` — the org ids a user belongs to (an index, so listing "my
//!   organizations" does not scan every org; rewritten in the same transaction as the members);
//! - `org-invites/<invite_id>.json` — invitations of a user into an org with a role;
//! - `org-slugs/<slug>` — the org id holding that slug now or before (an index, so a portal URL
//!   resolves without scanning the owners; the org record's `slug` / `slug_history` is the truth).
//!
//! An org created with `owner add --type org` simply has no members file yet: it reads as an org
//! without members, so data directories from before organizations keep working.

use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A member's role, lowest first so that `Ord` is the privilege order
/// (`org_admin > org_member > org_viewer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    OrgViewer,
    OrgMember,
    OrgAdmin,
}

impl OrgRole {
    pub const ALL: [OrgRole; 3] = [OrgRole::OrgViewer, OrgRole::OrgMember, OrgRole::OrgAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::OrgViewer => "org_viewer",
            OrgRole::OrgMember => "org_member",
            OrgRole::OrgAdmin => "org_admin",
        }
    }

    /// Parses a wire name; `INVALID_ROLE` naming the valid ones otherwise.
    pub fn parse(s: &str) -> Result<OrgRole> {
        OrgRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::new(ErrorCode::InvalidRole, format!("invalid role {s:?}"))
                    .with_hint("valid roles: org_admin, org_member, org_viewer")
            })
    }
}

impl From<crate::cli::OrgRoleArg> for OrgRole {
    fn from(a: crate::cli::OrgRoleArg) -> OrgRole {
        match a {
            crate::cli::OrgRoleArg::OrgAdmin => OrgRole::OrgAdmin,
            crate::cli::OrgRoleArg::OrgMember => OrgRole::OrgMember,
            crate::cli::OrgRoleArg::OrgViewer => OrgRole::OrgViewer,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub membership_id: String,
    pub org_id: String,
    pub user_principal_id: String,
    pub role: OrgRole,
    /// `active` (upstream also knows `suspended` and `revoked`; only active members count).
    pub status: String,
    #[serde(default)]
    pub invited_by_user_id: Option<String>,
    pub created_at: String,
}

impl Membership {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Members {
    pub members: Vec<Membership>,
}

impl Members {
    pub fn active(&self, user_id: &str) -> Option<&Membership> {
        self.members
            .iter()
            .find(|m| m.is_active() && m.user_principal_id.eq_ignore_ascii_case(user_id))
    }

    pub fn find(&self, user_id: &str) -> Option<&Membership> {
        self.members
            .iter()
            .find(|m| m.user_principal_id.eq_ignore_ascii_case(user_id))
    }

    pub fn active_admins(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.is_active() && m.role == OrgRole::OrgAdmin)
            .count()
    }
}

/// The per-user index: the orgs a user is a member of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserOrgs {
    pub org_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InviteStatus {
    Pending,
    Accepted,
    Declined,
    Expired,
    /// Δ upstream deletes a cancelled invite; it is kept, so the invitee learns it was revoked.
    Revoked,
}

impl InviteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "pending",
            InviteStatus::Accepted => "accepted",
            InviteStatus::Declined => "declined",
            InviteStatus::Expired => "expired",
            InviteStatus::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgInvite {
    pub invite_id: String,
    pub org_id: String,
    pub user_principal_id: String,
    pub role: OrgRole,
    pub status: InviteStatus,
    pub invited_by_user_id: String,
    pub expires_at: String,
    #[serde(default)]
    pub responded_at: Option<String>,
    pub created_at: String,
}

impl OrgInvite {
    pub fn expired_at(&self, now: time::OffsetDateTime) -> bool {
        crate::timefmt::parse(&self.expires_at).is_none_or(|t| t <= now)
    }
}

impl DataDir {
    pub fn org_members_path(&self, org_id: &str) -> Result<PathBuf> {
        ids::check_uuid("organization id", org_id)?;
        Ok(self
            .root()
            .join("orgs")
            .join(org_id.to_ascii_lowercase())
            .join("members.json"))
    }

    pub fn user_orgs_path(&self, user_id: &str) -> Result<PathBuf> {
        ids::check_uuid("user id", user_id)?;
        Ok(self
            .root()
            .join("memberships")
            .join(format!("{}.json", user_id.to_ascii_lowercase())))
    }

    pub fn org_invite_path(&self, invite_id: &str) -> Result<PathBuf> {
        ids::check_uuid("invite id", invite_id)?;
        Ok(self
            .root()
            .join("org-invites")
            .join(format!("{}.json", invite_id.to_ascii_lowercase())))
    }

    /// The members of `org_id` (none for an org without a members file).
    pub fn org_members(&self, org_id: &str) -> Result<Members> {
        Ok(self
            .read_json(&self.org_members_path(org_id)?)?
            .unwrap_or_default())
    }

    pub fn user_orgs(&self, user_id: &str) -> Result<UserOrgs> {
        Ok(self
            .read_json(&self.user_orgs_path(user_id)?)?
            .unwrap_or_default())
    }

    pub fn org_invite(&self, invite_id: &str) -> Result<OrgInvite> {
        self.read_json(&self.org_invite_path(invite_id)?)?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("no organization invite with id {invite_id}"),
                )
                .with_hint("list your invites with `openleash org invite list`")
            })
    }

    /// Every organization invite (the directory holds one small file per invite).
    pub fn org_invites(&self) -> Result<Vec<OrgInvite>> {
        let mut out = Vec::new();
        for id in self.list_ids("org-invites", "json")? {
            if ids::is_uuid_shaped(&id) {
                out.push(self.org_invite(&id)?);
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then(a.invite_id.cmp(&b.invite_id))
        });
        Ok(out)
    }

    pub fn stage_org_members(&self, txn: &mut Txn, org_id: &str, m: &Members) -> Result<()> {
        txn.write(&self.org_members_path(org_id)?, super::to_json_pretty(m)?);
        Ok(())
    }

    pub fn stage_org_invite(&self, txn: &mut Txn, inv: &OrgInvite) -> Result<()> {
        txn.write(
            &self.org_invite_path(&inv.invite_id)?,
            super::to_json_pretty(inv)?,
        );
        Ok(())
    }

    /// Adds or removes `org_id` in `user_id`'s index (staged; idempotent).
    pub fn stage_user_org(
        &self,
        txn: &mut Txn,
        user_id: &str,
        org_id: &str,
        member: bool,
    ) -> Result<()> {
        let mut idx = self.user_orgs(user_id)?;
        let had = idx.org_ids.iter().any(|o| o.eq_ignore_ascii_case(org_id));
        if member && !had {
            idx.org_ids.push(org_id.to_ascii_lowercase());
        } else if !member && had {
            idx.org_ids.retain(|o| !o.eq_ignore_ascii_case(org_id));
        } else {
            return Ok(());
        }
        txn.write(&self.user_orgs_path(user_id)?, super::to_json_pretty(&idx)?);
        Ok(())
    }

    fn org_slug_path(&self, slug: &str) -> Option<PathBuf> {
        // Only valid slugs name a file: no separators, dots or upper case can reach the path.
        ids::is_slug(slug).then(|| self.root().join("org-slugs").join(slug))
    }

    /// The org id the slug index names for `slug` (`None` for no entry or an invalid slug). The
    /// entry may be stale (the org renamed its slug since, or was deleted): callers check the
    /// record.
    pub fn org_id_for_slug(&self, slug: &str) -> Result<Option<String>> {
        let Some(path) = self.org_slug_path(slug) else {
            return Ok(None);
        };
        let Some(bytes) = super::fsio::read_optional(&path)? else {
            return Ok(None);
        };
        let id = String::from_utf8_lossy(&bytes).trim().to_string();
        if !ids::is_uuid_shaped(&id) {
            return Err(super::corrupt(&path, "not an organization id"));
        }
        Ok(Some(id))
    }

    /// Points the slug index entry `slug` at `org_id` (staged; the caller holds the writer lock).
    pub fn stage_org_slug(&self, txn: &mut Txn, slug: &str, org_id: &str) -> Result<()> {
        let path = self
            .org_slug_path(slug)
            .ok_or_else(|| Error::new(ErrorCode::InvalidSlug, format!("invalid slug {slug:?}")))?;
        ids::check_uuid("organization id", org_id)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
        }
        txn.write(
            &path,
            format!("{}\n", org_id.to_ascii_lowercase()).into_bytes(),
        );
        Ok(())
    }

    /// Removes the slug index entry `slug` if it names `org_id` (an entry another org took over
    /// stays). Staged; the caller holds the writer lock.
    pub fn stage_org_slug_removal(&self, txn: &mut Txn, slug: &str, org_id: &str) -> Result<()> {
        if let Some(path) = self.org_slug_path(slug)
            && self
                .org_id_for_slug(slug)?
                .is_some_and(|id| id.eq_ignore_ascii_case(org_id))
        {
            txn.remove(&path);
        }
        Ok(())
    }

    /// Creates the directories organizations need in a data dir made before them.
    pub fn ensure_org_dirs(&self, org_id: &str) -> Result<()> {
        for rel in ["memberships", "org-invites"] {
            let p = self.root().join(rel);
            std::fs::create_dir_all(&p).map_err(|e| Error::io("create directory", &p, e))?;
        }
        let members = self.org_members_path(org_id)?;
        if let Some(dir) = members.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_privilege() {
        assert!(OrgRole::OrgAdmin > OrgRole::OrgMember);
        assert!(OrgRole::OrgMember > OrgRole::OrgViewer);
        assert_eq!(OrgRole::parse("org_member").ok(), Some(OrgRole::OrgMember));
        let e = OrgRole::parse("owner").err().map(|e| e.code);
        assert_eq!(e, Some(ErrorCode::InvalidRole));
        let json = serde_json::to_string(&OrgRole::OrgAdmin).unwrap_or_default();
        assert_eq!(json, "\"org_admin\"");
    }
}
