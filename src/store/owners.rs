//! Owners: the people (`user`) and organisations (`org`) agents act for.

use super::DataDir;
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerType {
    User,
    Org,
}

impl OwnerType {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerType::User => "user",
            OwnerType::Org => "org",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub owner_id: String,
    pub owner_type: OwnerType,
    pub display_name: String,
    pub status: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_set_at: Option<String>,
}

impl Owner {
    pub fn new(owner_type: OwnerType, display_name: &str) -> Owner {
        Owner {
            owner_id: ids::new_id(),
            owner_type,
            display_name: display_name.to_string(),
            status: "ACTIVE".into(),
            created_at: crate::timefmt::now_string(),
            passphrase_hash: None,
            passphrase_salt: None,
            passphrase_set_at: None,
        }
    }

    /// The public view (no secrets).
    pub fn public_json(&self) -> serde_json::Value {
        serde_json::json!({
            "owner_id": self.owner_id,
            "owner_type": self.owner_type.as_str(),
            "display_name": self.display_name,
            "status": self.status,
            "created_at": self.created_at,
            "has_passphrase": self.passphrase_hash.is_some(),
        })
    }
}

impl DataDir {
    pub fn owner_path(&self, owner_id: &str) -> Result<PathBuf> {
        ids::check_uuid("owner id", owner_id)?;
        Ok(self
            .root()
            .join("owners")
            .join(format!("{}.yaml", owner_id.to_ascii_lowercase())))
    }

    pub fn owner(&self, owner_id: &str) -> Result<Owner> {
        let path = self.owner_path(owner_id)?;
        self.read_yaml(&path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::OwnerNotFound,
                format!("no owner with id {owner_id}"),
            )
            .with_hint("list owners with `openleash owner list`")
        })
    }

    pub fn owners(&self) -> Result<Vec<Owner>> {
        let mut out = Vec::new();
        for id in self.list_ids("owners", "yaml")? {
            if ids::is_uuid_shaped(&id) {
                out.push(self.owner(&id)?);
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then(a.owner_id.cmp(&b.owner_id))
        });
        Ok(out)
    }

    /// Resolves `--owner`, defaulting to the only owner.
    pub fn resolve_owner(&self, owner: Option<&str>) -> Result<Owner> {
        if let Some(id) = owner {
            return self.owner(id);
        }
        let mut owners = self.owners()?;
        match owners.len() {
            1 => Ok(owners.remove(0)),
            0 => Err(
                Error::new(ErrorCode::OwnerNotFound, "this data directory has no owner")
                    .with_hint("create one with `openleash owner add --name NAME`"),
            ),
            n => Err(Error::new(
                ErrorCode::Usage,
                format!("there are {n} owners; say which one"),
            )
            .with_hint("pass --owner <owner_id> (see `openleash owner list`)")),
        }
    }

    pub fn stage_owner(&self, txn: &mut super::Txn, owner: &Owner) -> Result<()> {
        let path = self.owner_path(&owner.owner_id)?;
        txn.write_mode(&path, super::to_yaml(owner)?, 0o600);
        Ok(())
    }
}
