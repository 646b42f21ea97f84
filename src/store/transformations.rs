//! `transformations/<id>.json`: owners' output transformation rules, one file each, in upstream's
//! record shape (`TransformationFrontmatter`).

use super::{DataDir, Txn};
use crate::error::{Error, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

const DIR: &str = "transformations";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transformation {
    pub transformation_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    /// `None` = every agent of the owner.
    pub applies_to_agent_principal_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub enabled: bool,
    /// Lower runs first.
    pub rank: i64,
    /// As given (checked by [`crate::policy::transform::Rule::parse`] before it is stored).
    pub rule: Value,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

impl DataDir {
    pub fn transformation_path(&self, id: &str) -> Result<PathBuf> {
        ids::check_uuid("transformation id", id)?;
        Ok(self
            .root()
            .join(DIR)
            .join(format!("{}.json", id.to_ascii_lowercase())))
    }

    pub fn transformation(&self, id: &str) -> Result<Option<Transformation>> {
        self.read_json(&self.transformation_path(id)?)
    }

    /// Every transformation of the data directory, by rank (ties by creation).
    pub fn transformations(&self) -> Result<Vec<Transformation>> {
        let mut out: Vec<Transformation> = Vec::new();
        for id in self.list_ids(DIR, "json")? {
            if ids::is_uuid_shaped(&id)
                && let Some(t) = self.transformation(&id)?
            {
                out.push(t);
            }
        }
        out.sort_by(|a, b| {
            (a.rank, &a.created_at, &a.transformation_id).cmp(&(
                b.rank,
                &b.created_at,
                &b.transformation_id,
            ))
        });
        Ok(out)
    }

    pub fn stage_transformation(&self, txn: &mut Txn, t: &Transformation) -> Result<()> {
        let path = self.transformation_path(&t.transformation_id)?;
        // The directory is created on first use (older data directories have none).
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        txn.write(&path, super::to_json_pretty(t)?);
        Ok(())
    }

    pub fn stage_remove_transformation(&self, txn: &mut Txn, id: &str) -> Result<()> {
        txn.remove(&self.transformation_path(id)?);
        Ok(())
    }
}
