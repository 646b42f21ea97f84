//! `bindings.yaml`: the policy catalogue (who owns each policy file) and the bindings that decide
//! which policies apply to which owner or agent. One file, so both change atomically.

use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyEntry {
    pub policy_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    pub policy_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    /// `None` = owner-wide.
    #[serde(default)]
    pub agent_principal_id: Option<String>,
    /// Lower first; absent = 100.
    #[serde(default)]
    pub rank: Option<i64>,
}

impl Binding {
    pub fn effective_rank(&self) -> i64 {
        self.rank.unwrap_or(100)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bindings {
    #[serde(default)]
    pub policies: Vec<PolicyEntry>,
    #[serde(default)]
    pub bindings: Vec<Binding>,
}

impl Bindings {
    pub fn policy(&self, policy_id: &str) -> Option<&PolicyEntry> {
        self.policies
            .iter()
            .find(|p| p.policy_id.eq_ignore_ascii_case(policy_id))
    }

    /// The bindings that apply to an agent, most specific tier first, each tier by rank (stable,
    /// so ties keep insertion order).
    pub fn layers_for_agent(&self, owner_id: &str, agent_principal_id: &str) -> Vec<&Binding> {
        let mine = |b: &&Binding| b.owner_id == owner_id;
        let mut agent_tier: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(mine)
            .filter(|b| b.agent_principal_id.as_deref() == Some(agent_principal_id))
            .collect();
        let mut owner_tier: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(mine)
            .filter(|b| b.agent_principal_id.is_none())
            .collect();
        agent_tier.sort_by_key(|b| b.effective_rank());
        owner_tier.sort_by_key(|b| b.effective_rank());
        agent_tier.extend(owner_tier);
        agent_tier
    }
}

impl DataDir {
    pub fn bindings_path(&self) -> PathBuf {
        self.root().join("bindings.yaml")
    }

    pub fn bindings(&self) -> Result<Bindings> {
        Ok(self.read_yaml(&self.bindings_path())?.unwrap_or_default())
    }

    pub fn stage_bindings(&self, txn: &mut Txn, b: &Bindings) -> Result<()> {
        txn.write(&self.bindings_path(), super::to_yaml(b)?);
        Ok(())
    }

    pub fn policy_path(&self, policy_id: &str) -> Result<PathBuf> {
        ids::check_uuid("policy id", policy_id)?;
        Ok(self
            .root()
            .join("policies")
            .join(format!("{}.yaml", policy_id.to_ascii_lowercase())))
    }

    /// The stored policy text, exactly as given.
    pub fn policy_text(&self, policy_id: &str) -> Result<String> {
        let path = self.policy_path(policy_id)?;
        let bytes =
            super::fsio::read_optional(&path)?.ok_or_else(|| policy_not_found(policy_id))?;
        String::from_utf8(bytes).map_err(|_| super::corrupt(&path, "not valid UTF-8"))
    }
}

pub fn policy_not_found(id: &str) -> Error {
    Error::new(ErrorCode::PolicyNotFound, format!("no policy with id {id}"))
        .with_hint("list policies with `openleash policy list`")
}
