//! `provisioners/<provisioner_id>.json`: machine principals (a CI pipeline, an agent launchpad)
//! that enroll agents on one owner's behalf (upstream `Provisioner`). Only the SHA-256 of the
//! token's 256-bit secret is stored (Δ: upstream stores an scrypt hash; a random 256-bit secret
//! needs no stretching), and the file is 0600 like every other credential record.

use super::owners::OwnerType;
use super::{DataDir, Txn};
use crate::error::{Error, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

const DIR: &str = "provisioners";
pub const ACTIVE: &str = "ACTIVE";
pub const REVOKED: &str = "REVOKED";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provisioner {
    pub provisioner_id: String,
    pub owner_type: OwnerType,
    pub owner_id: String,
    pub name: String,
    /// SHA-256 (hex) of the secret after the `.` of `olp_<provisioner_id>.<secret>`.
    pub token_sha256: String,
    /// `ACTIVE` or `REVOKED`.
    pub status: String,
    pub created_at: String,
    /// The user who minted it (`None` when the local operator did).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Δ: an optional end of validity; past it the token is refused like a revoked one.
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub revoked_at: Option<String>,
    #[serde(default)]
    pub last_used_at: Option<String>,
}

impl DataDir {
    pub fn provisioner_path(&self, id: &str) -> Result<PathBuf> {
        ids::check_uuid("provisioner id", id)?;
        Ok(self
            .root()
            .join(DIR)
            .join(format!("{}.json", id.to_ascii_lowercase())))
    }

    pub fn provisioner(&self, id: &str) -> Result<Option<Provisioner>> {
        self.read_json(&self.provisioner_path(id)?)
    }

    /// Every provisioner of the data directory, in no particular order.
    pub fn provisioners(&self) -> Result<Vec<Provisioner>> {
        let mut out = Vec::new();
        for id in self.list_ids(DIR, "json")? {
            if ids::is_uuid_shaped(&id)
                && let Some(p) = self.provisioner(&id)?
            {
                out.push(p);
            }
        }
        Ok(out)
    }

    pub fn stage_provisioner(&self, txn: &mut Txn, p: &Provisioner) -> Result<()> {
        let path = self.provisioner_path(&p.provisioner_id)?;
        // Created on first use: data directories from before provisioners have none.
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        txn.write_mode(&path, super::to_json_pretty(p)?, super::SECRET_MODE);
        Ok(())
    }
}
