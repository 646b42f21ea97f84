//! Agents and the `agent_id` index. An `agent_id` is unique among non-revoked agents (SPEC §4 Δ);
//! the index maps each `agent_id` to its current record so lookups never scan the directory.

use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const ACTIVE: &str = "ACTIVE";
pub const PENDING: &str = "PENDING";
pub const REVOKED: &str = "REVOKED";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub agent_principal_id: String,
    pub agent_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    pub public_key_b64: String,
    pub status: String,
    pub created_at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub webhook_url: String,
    #[serde(default)]
    pub webhook_secret: String,
    #[serde(default)]
    pub webhook_auth_token: String,
}

impl Agent {
    /// A new ACTIVE agent of `owner` with a fresh principal id.
    pub fn new(agent_id: &str, owner: &super::owners::Owner, public_key_b64: String) -> Agent {
        Agent {
            agent_principal_id: ids::new_id(),
            agent_id: agent_id.to_string(),
            owner_type: owner.owner_type,
            owner_id: owner.owner_id.clone(),
            public_key_b64,
            status: ACTIVE.into(),
            created_at: crate::timefmt::now_string(),
            revoked_at: None,
            attributes: BTreeMap::new(),
            webhook_url: String::new(),
            webhook_secret: String::new(),
            webhook_auth_token: String::new(),
        }
    }

    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }

    /// The view shown to people and API clients (no webhook secrets).
    pub fn public_json(&self) -> serde_json::Value {
        serde_json::json!({
            "agent_principal_id": self.agent_principal_id,
            "agent_id": self.agent_id,
            "owner_type": self.owner_type.as_str(),
            "owner_id": self.owner_id,
            "public_key_b64": self.public_key_b64,
            "status": self.status,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
            "webhook_url": self.webhook_url,
        })
    }
}

/// `agents/index.json`: agent_id → agent_principal_id of the current record.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct AgentIndex {
    pub agents: BTreeMap<String, String>,
}

impl DataDir {
    fn agent_index_path(&self) -> PathBuf {
        self.root().join("agents").join("index.json")
    }

    pub fn agent_index(&self) -> Result<AgentIndex> {
        Ok(self
            .read_json(&self.agent_index_path())?
            .unwrap_or_default())
    }

    pub fn agent_path(&self, agent_principal_id: &str) -> Result<PathBuf> {
        ids::check_uuid("agent principal id", agent_principal_id)?;
        Ok(self
            .root()
            .join("agents")
            .join(format!("{}.yaml", agent_principal_id.to_ascii_lowercase())))
    }

    pub fn agent_by_principal(&self, agent_principal_id: &str) -> Result<Agent> {
        let path = self.agent_path(agent_principal_id)?;
        self.read_yaml(&path)?
            .ok_or_else(|| agent_not_found(agent_principal_id))
    }

    /// Finds an agent by `agent_id` (through the index) or by principal id.
    pub fn agent(&self, id: &str) -> Result<Agent> {
        if let Some(pid) = self.agent_index()?.agents.get(id) {
            return self.agent_by_principal(pid);
        }
        if ids::is_uuid_shaped(id)
            && let Ok(a) = self.agent_by_principal(id)
        {
            return Ok(a);
        }
        Err(agent_not_found(id))
    }

    pub fn agents(&self) -> Result<Vec<Agent>> {
        let mut out = Vec::new();
        for id in self.list_ids("agents", "yaml")? {
            if ids::is_uuid_shaped(&id) {
                out.push(self.agent_by_principal(&id)?);
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then(a.agent_id.cmp(&b.agent_id))
        });
        Ok(out)
    }

    /// Stages a new agent and its index entry. Call under the writer lock: refuses an `agent_id`
    /// held by a non-revoked agent.
    pub fn stage_new_agent(
        &self,
        txn: &mut Txn,
        index: &mut AgentIndex,
        agent: &Agent,
    ) -> Result<()> {
        ids::check_agent_id(&agent.agent_id)?;
        if let Some(existing) = index.agents.get(&agent.agent_id) {
            let current = self.agent_by_principal(existing)?;
            if current.status != REVOKED {
                return Err(agent_id_taken(&agent.agent_id));
            }
        }
        index
            .agents
            .insert(agent.agent_id.clone(), agent.agent_principal_id.clone());
        self.stage_agent(txn, agent)?;
        txn.write(&self.agent_index_path(), super::to_json_pretty(index)?);
        Ok(())
    }

    pub fn stage_agent(&self, txn: &mut Txn, agent: &Agent) -> Result<()> {
        txn.write_mode(
            &self.agent_path(&agent.agent_principal_id)?,
            super::to_yaml(agent)?,
            super::SECRET_MODE,
        );
        Ok(())
    }

    /// Registers `agent` under the writer lock (index and record in one transaction); refuses an
    /// `agent_id` held by a non-revoked agent. `extra` stages more writes in the same transaction
    /// (an invite marked used, for example) and runs after the uniqueness check.
    pub fn register_agent(
        &self,
        agent: &Agent,
        extra: impl FnOnce(&mut Txn) -> Result<()>,
    ) -> Result<()> {
        let _lock = self.lock()?;
        let mut index = self.agent_index()?;
        let mut txn = Txn::default();
        self.stage_new_agent(&mut txn, &mut index, agent)?;
        extra(&mut txn)?;
        txn.commit()
    }

    /// Sets an agent's status under the lock (revoke / activate), keeping the index consistent.
    pub fn set_agent_status(&self, id: &str, status: &str) -> Result<Agent> {
        let _lock = self.lock()?;
        let mut agent = self.agent(id)?;
        let mut index = self.agent_index()?;
        let mut txn = Txn::default();
        if status != REVOKED {
            if let Some(holder) = index.agents.get(&agent.agent_id)
                && holder != &agent.agent_principal_id
                && self.agent_by_principal(holder)?.status != REVOKED
            {
                return Err(agent_id_taken(&agent.agent_id));
            }
            index
                .agents
                .insert(agent.agent_id.clone(), agent.agent_principal_id.clone());
            txn.write(&self.agent_index_path(), super::to_json_pretty(&index)?);
            agent.revoked_at = None;
        } else {
            agent.revoked_at = Some(crate::timefmt::now_string());
        }
        agent.status = status.to_string();
        self.stage_agent(&mut txn, &agent)?;
        txn.commit()?;
        Ok(agent)
    }

    /// The only ACTIVE agent, for commands that default to it.
    pub fn only_active_agent(&self) -> Result<Agent> {
        let mut active: Vec<Agent> = self
            .agents()?
            .into_iter()
            .filter(Agent::is_active)
            .collect();
        match active.len() {
            1 => Ok(active.remove(0)),
            0 => Err(Error::new(
                ErrorCode::AgentNotFound,
                "this data directory has no active agent",
            )
            .with_hint("register one with `openleash agent add --agent-id NAME`")),
            n => Err(Error::new(
                ErrorCode::Usage,
                format!("there are {n} active agents; say which one"),
            )
            .with_hint("pass --agent <agent_id> or set OPENLEASH_AGENT_ID")),
        }
    }
}

pub fn agent_not_found(id: &str) -> Error {
    Error::new(
        ErrorCode::AgentNotFound,
        format!("no agent {id:?} in this data directory"),
    )
    .with_hint("list agents with `openleash agent list`")
}

fn agent_id_taken(id: &str) -> Error {
    Error::new(ErrorCode::AgentIdTaken, format!("agent id {id:?} is already registered to an active agent"))
        .with_hint("choose another --agent-id, or revoke the existing agent first (`openleash agent revoke ID`)")
}
