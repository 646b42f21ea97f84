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

/// Index entries staged in one transaction (agent_id → principal id), so that several agents
/// registered together see each other. Start from [`DataDir::agent_index`].
#[derive(Debug, Default)]
pub struct AgentIndex {
    pub agents: BTreeMap<String, String>,
    /// This transaction already converts a format-1 `agents/index.json`.
    converting: bool,
}

/// The format-1 index: one JSON map rewritten whole by every registration. Still read until the
/// next write converts it.
#[derive(Debug, Default, Deserialize)]
struct LegacyIndex {
    #[serde(default)]
    agents: BTreeMap<String, String>,
}

impl DataDir {
    /// Format 1: `agents/index.json`; its presence means the per-entry layout is not in use yet.
    fn legacy_agent_index_path(&self) -> PathBuf {
        self.root().join("agents").join("index.json")
    }

    /// `agents/ids/<agent_id>` holds the principal id of the record currently holding that id.
    fn agent_ids_dir(&self) -> PathBuf {
        self.root().join("agents").join("ids")
    }

    /// `agents/active/<principal id>`: empty, present while that agent is ACTIVE (so defaulting
    /// to the only active agent reads two directory entries, not every agent).
    fn agent_active_dir(&self) -> PathBuf {
        self.root().join("agents").join("active")
    }

    fn legacy_agent_index(&self) -> Result<Option<LegacyIndex>> {
        self.read_json(&self.legacy_agent_index_path())
    }

    /// The files whose identity changes whenever `agent_id` is (re)assigned: for caches.
    pub fn agent_id_entry_paths(&self, agent_id: &str) -> Vec<PathBuf> {
        let mut v = vec![self.legacy_agent_index_path()];
        if ids::check_agent_id(agent_id).is_ok() {
            v.push(self.agent_ids_dir().join(agent_id));
        }
        v
    }

    /// A fresh set of staged index entries for one transaction (nothing is read: the stored
    /// entries are looked up one by one).
    pub fn agent_index(&self) -> Result<AgentIndex> {
        Ok(AgentIndex::default())
    }

    /// The principal id holding `agent_id`, reading one index entry (or, in a format-1
    /// directory, the old index file).
    pub fn agent_principal_for(&self, agent_id: &str) -> Result<Option<String>> {
        if ids::check_agent_id(agent_id).is_err() {
            return Ok(None);
        }
        if let Some(legacy) = self.legacy_agent_index()? {
            return Ok(legacy.agents.get(agent_id).cloned());
        }
        let path = self.agent_ids_dir().join(agent_id);
        let Some(bytes) = super::fsio::read_optional(&path)? else {
            return Ok(None);
        };
        let pid = String::from_utf8_lossy(&bytes).trim().to_string();
        if !ids::is_uuid_shaped(&pid) {
            return Err(super::corrupt(&path, "not an agent principal id"));
        }
        Ok(Some(pid))
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
        if let Some(pid) = self.agent_principal_for(id)? {
            return self.agent_by_principal(&pid);
        }
        if ids::is_uuid_shaped(id)
            && let Ok(a) = self.agent_by_principal(id)
        {
            return Ok(a);
        }
        Err(agent_not_found(id))
    }

    /// Every agent, oldest first. O(number of agents): for whole lists; a page is
    /// [`DataDir::agents_after`].
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

    /// At most `limit` agents in principal-id order, starting after the principal id `after`
    /// (a keyset cursor that stays valid while agents are added). Reads the directory's names
    /// and only the page's records.
    pub fn agents_after(&self, after: Option<&str>, limit: usize) -> Result<Vec<Agent>> {
        let after = after.map(str::to_ascii_lowercase);
        let mut out = Vec::new();
        for id in self.list_ids("agents", "yaml")? {
            if out.len() >= limit {
                break;
            }
            if !ids::is_uuid_shaped(&id) || after.as_deref().is_some_and(|a| id.as_str() <= a) {
                continue;
            }
            // Listed a moment ago; a record removed by hand since is skipped, not an error.
            match self.agent_by_principal(&id) {
                Ok(a) => out.push(a),
                Err(e) if e.code == ErrorCode::AgentNotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Stages a new agent and its index entries. Call under the writer lock: refuses an
    /// `agent_id` held by a non-revoked agent. Writes O(1) files (the first write in a format-1
    /// directory converts its index once).
    pub fn stage_new_agent(
        &self,
        txn: &mut Txn,
        index: &mut AgentIndex,
        agent: &Agent,
    ) -> Result<()> {
        ids::check_agent_id(&agent.agent_id)?;
        if index.agents.contains_key(&agent.agent_id) {
            return Err(agent_id_taken(&agent.agent_id));
        }
        if let Some(existing) = self.agent_principal_for(&agent.agent_id)? {
            let current = self.agent_by_principal(&existing)?;
            if current.status != REVOKED {
                return Err(agent_id_taken(&agent.agent_id));
            }
        }
        self.stage_agent_index_conversion(txn, index)?;
        index
            .agents
            .insert(agent.agent_id.clone(), agent.agent_principal_id.clone());
        self.stage_agent_id_entry(txn, agent)?;
        self.stage_agent_active_entry(txn, agent)?;
        self.stage_agent(txn, agent)?;
        Ok(())
    }

    fn stage_agent_id_entry(&self, txn: &mut Txn, agent: &Agent) -> Result<()> {
        let dir = self.agent_ids_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
        txn.write(
            &dir.join(&agent.agent_id),
            format!("{}\n", agent.agent_principal_id.to_ascii_lowercase()).into_bytes(),
        );
        Ok(())
    }

    /// Adds or removes the agent's ACTIVE marker to match its status.
    fn stage_agent_active_entry(&self, txn: &mut Txn, agent: &Agent) -> Result<()> {
        ids::check_uuid("agent principal id", &agent.agent_principal_id)?;
        let dir = self.agent_active_dir();
        let path = dir.join(agent.agent_principal_id.to_ascii_lowercase());
        if agent.is_active() {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
            txn.write(&path, Vec::new());
        } else {
            txn.remove(&path);
        }
        Ok(())
    }

    /// In a format-1 directory, stages the per-entry index built from `agents/index.json` and
    /// the agent records (once per transaction), and the removal of the old file: the new
    /// layout is in use once that removal, the transaction's last step, is done.
    fn stage_agent_index_conversion(&self, txn: &mut Txn, index: &mut AgentIndex) -> Result<()> {
        if index.converting {
            return Ok(());
        }
        let Some(legacy) = self.legacy_agent_index()? else {
            return Ok(());
        };
        index.converting = true;
        for (agent_id, pid) in &legacy.agents {
            if ids::check_agent_id(agent_id).is_err() || !ids::is_uuid_shaped(pid) {
                continue;
            }
            let dir = self.agent_ids_dir();
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
            txn.write(
                &dir.join(agent_id),
                format!("{}\n", pid.to_ascii_lowercase()).into_bytes(),
            );
        }
        for a in self.agents()? {
            if a.is_active() {
                self.stage_agent_active_entry(txn, &a)?;
            }
        }
        txn.remove(&self.legacy_agent_index_path());
        Ok(())
    }

    /// Stages `agent`'s record and its list-index entries (all agents, and its owner's).
    pub fn stage_agent(&self, txn: &mut Txn, agent: &Agent) -> Result<()> {
        txn.write_mode(
            &self.agent_path(&agent.agent_principal_id)?,
            super::to_yaml(agent)?,
            super::SECRET_MODE,
        );
        self.stage_agent_lists(txn, agent, || {
            super::listindex::Change::Put(list_entry(agent))
        });
        Ok(())
    }

    /// Stages `change` in both agent lists an agent is in: everyone's and its owner's.
    fn stage_agent_lists(
        &self,
        txn: &mut Txn,
        agent: &Agent,
        change: impl Fn() -> super::listindex::Change,
    ) {
        for scope in [
            super::listindex::ALL.to_string(),
            super::listindex::owner_scope(&agent.owner_id),
        ] {
            txn.index(super::listindex::Op {
                root: self.root().to_path_buf(),
                kind: super::listindex::Kind::Agents,
                scope,
                change: change(),
            });
        }
    }

    /// Stages the removal of an agent: its record, its ACTIVE marker and its `agent_id` index
    /// entry when that entry still names this agent (a revoked agent's id may have been reused).
    /// The caller holds the writer lock.
    pub fn stage_agent_removal(&self, txn: &mut Txn, agent: &Agent) -> Result<()> {
        let mut index = self.agent_index()?;
        self.stage_agent_index_conversion(txn, &mut index)?;
        // In a format-1 directory the conversion above writes the entry and this removal (done
        // after every write of the transaction) takes it out again.
        if self
            .agent_principal_for(&agent.agent_id)?
            .is_some_and(|holder| holder.eq_ignore_ascii_case(&agent.agent_principal_id))
        {
            txn.remove(&self.agent_ids_dir().join(&agent.agent_id));
        }
        let marker = self
            .agent_active_dir()
            .join(agent.agent_principal_id.to_ascii_lowercase());
        // Only when present: a removal syncs its directory, which may not exist yet.
        if marker.exists() {
            txn.remove(&marker);
        }
        txn.remove(&self.agent_path(&agent.agent_principal_id)?);
        self.stage_agent_lists(txn, agent, || {
            super::listindex::Change::Remove(agent_key(agent))
        });
        Ok(())
    }

    /// Stages the removal of `agent` from the agent list of `owner_id` (it moved to another
    /// owner; [`Self::stage_agent`] lists it under the new one).
    pub fn stage_agent_unlisted_from(&self, txn: &mut Txn, agent: &Agent, owner_id: &str) {
        txn.index(super::listindex::Op {
            root: self.root().to_path_buf(),
            kind: super::listindex::Kind::Agents,
            scope: super::listindex::owner_scope(owner_id),
            change: super::listindex::Change::Remove(agent_key(agent)),
        });
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
        self.stage_agent_index_conversion(&mut txn, &mut index)?;
        if status != REVOKED {
            if let Some(holder) = self.agent_principal_for(&agent.agent_id)?
                && !holder.eq_ignore_ascii_case(&agent.agent_principal_id)
                && self.agent_by_principal(&holder)?.status != REVOKED
            {
                return Err(agent_id_taken(&agent.agent_id));
            }
            self.stage_agent_id_entry(&mut txn, &agent)?;
            agent.revoked_at = None;
        } else {
            agent.revoked_at = Some(crate::timefmt::now_string());
        }
        agent.status = status.to_string();
        self.stage_agent_active_entry(&mut txn, &agent)?;
        self.stage_agent(&mut txn, &agent)?;
        txn.commit()?;
        Ok(agent)
    }

    /// The only ACTIVE agent, for commands that default to it.
    /// Reads the ACTIVE markers (at most two that are confirmed by their records), not every
    /// agent; a directory whose markers are missing (format 1, or edited by hand) falls back to
    /// reading the records.
    pub fn only_active_agent(&self) -> Result<Agent> {
        let mut active = self.active_agents_from_markers(2)?;
        if active.is_empty() {
            active = self
                .agents()?
                .into_iter()
                .filter(Agent::is_active)
                .collect();
        }
        match active.len() {
            1 => Ok(active.remove(0)),
            0 => Err(Error::new(
                ErrorCode::AgentNotFound,
                "this data directory has no active agent",
            )
            .with_hint("register one with `openleash agent add --agent-id NAME`")),
            _ => Err(Error::new(
                ErrorCode::Usage,
                "there are several active agents; say which one",
            )
            .with_hint("pass --agent <agent_id> or set OPENLEASH_AGENT_ID")),
        }
    }

    /// Up to `want` agents named by ACTIVE markers whose records confirm they are active (a
    /// marker is a hint, the record is the truth).
    fn active_agents_from_markers(&self, want: usize) -> Result<Vec<Agent>> {
        let dir = self.agent_active_dir();
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
            Err(e) => return Err(Error::io("list", &dir, e)),
        };
        let mut out = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| Error::io("list", &dir, e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !ids::is_uuid_shaped(&name) {
                continue;
            }
            match self.agent_by_principal(&name) {
                Ok(a) if a.is_active() => out.push(a),
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::AgentNotFound => {}
                Err(e) => return Err(e),
            }
            if out.len() >= want {
                break;
            }
        }
        Ok(out)
    }
}

/// The sort key of an agent in its lists (oldest first, as `agent list` always showed them), as
/// cursors name it.
pub fn agent_key(a: &Agent) -> String {
    format!("{}\u{1f}{}", a.created_at, a.agent_principal_id)
}

/// The agent's entry in the agent list indexes.
pub fn list_entry(a: &Agent) -> super::listindex::Entry {
    super::listindex::Entry {
        key: agent_key(a),
        id: a.agent_principal_id.to_ascii_lowercase(),
        flag: a.status.chars().next().unwrap_or('-'),
        exp: String::new(),
        agent_principal_id: a.agent_principal_id.clone(),
        agent_id: a.agent_id.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::{Owner, OwnerType};

    fn setup() -> (tempfile::TempDir, DataDir, Owner) {
        let (t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        (t, dd, Owner::new(OwnerType::User, "Alice"))
    }

    fn add(dd: &DataDir, owner: &Owner, id: &str) -> Agent {
        let a = Agent::new(id, owner, "AAAA".into());
        dd.register_agent(&a, |_| Ok(())).unwrap();
        a
    }

    #[test]
    fn registration_writes_one_entry_per_agent_and_no_whole_index() {
        let (_t, dd, owner) = setup();
        let a = add(&dd, &owner, "a1");
        let b = add(&dd, &owner, "b.2@x");
        assert!(!dd.path("agents/index.json").exists());
        let entry = std::fs::read_to_string(dd.path("agents/ids/a1")).unwrap();
        assert_eq!(entry.trim(), a.agent_principal_id);
        assert_eq!(dd.agent("b.2@x").unwrap(), b);
        assert_eq!(dd.agent(&a.agent_principal_id).unwrap(), a);
        assert_eq!(dd.agent("nope").unwrap_err().code, ErrorCode::AgentNotFound);
        assert_eq!(
            dd.register_agent(&Agent::new("a1", &owner, "AAAA".into()), |_| Ok(()))
                .unwrap_err()
                .code,
            ErrorCode::AgentIdTaken
        );
        // Two agents staged in one transaction see each other.
        let mut txn = Txn::default();
        let mut index = dd.agent_index().unwrap();
        dd.stage_new_agent(
            &mut txn,
            &mut index,
            &Agent::new("c", &owner, "AAAA".into()),
        )
        .unwrap();
        let again = dd.stage_new_agent(
            &mut txn,
            &mut index,
            &Agent::new("c", &owner, "AAAA".into()),
        );
        assert_eq!(again.unwrap_err().code, ErrorCode::AgentIdTaken);
    }

    #[test]
    fn only_active_agent_reads_markers_and_trusts_records() {
        let (_t, dd, owner) = setup();
        let a = add(&dd, &owner, "a1");
        assert_eq!(dd.only_active_agent().unwrap(), a);
        let b = add(&dd, &owner, "b1");
        assert_eq!(dd.only_active_agent().unwrap_err().code, ErrorCode::Usage);
        dd.set_agent_status("a1", REVOKED).unwrap();
        assert!(
            !dd.path(&format!("agents/active/{}", a.agent_principal_id))
                .exists()
        );
        assert_eq!(
            dd.only_active_agent().unwrap().agent_principal_id,
            b.agent_principal_id
        );
        // A stale marker (record revoked behind the index's back) is not believed.
        std::fs::write(
            dd.path(&format!("agents/active/{}", a.agent_principal_id)),
            "",
        )
        .unwrap();
        assert_eq!(
            dd.only_active_agent().unwrap().agent_principal_id,
            b.agent_principal_id
        );
        // Re-registering a revoked id takes it over; re-activating the old holder is refused.
        let c = add(&dd, &owner, "a1");
        assert_eq!(
            dd.agent("a1").unwrap().agent_principal_id,
            c.agent_principal_id
        );
        assert_eq!(
            dd.set_agent_status(&a.agent_principal_id, ACTIVE)
                .unwrap_err()
                .code,
            ErrorCode::AgentIdTaken
        );
        dd.set_agent_status("b1", REVOKED).unwrap();
        dd.set_agent_status("a1", REVOKED).unwrap();
        assert_eq!(
            dd.only_active_agent().unwrap_err().code,
            ErrorCode::AgentNotFound
        );
    }

    #[test]
    fn a_format_1_index_is_read_then_converted_by_the_next_write() {
        let (_t, dd, owner) = setup();
        let a = add(&dd, &owner, "a1");
        let b = add(&dd, &owner, "b1");
        dd.set_agent_status("b1", REVOKED).unwrap();
        // Back to the old layout: one index.json, no per-entry files.
        std::fs::remove_dir_all(dd.path("agents/ids")).unwrap();
        std::fs::remove_dir_all(dd.path("agents/active")).unwrap();
        let legacy =
            serde_json::json!({"agents": {"a1": a.agent_principal_id, "b1": b.agent_principal_id}});
        std::fs::write(dd.path("agents/index.json"), legacy.to_string()).unwrap();
        assert_eq!(dd.agent("a1").unwrap(), a);
        assert_eq!(dd.only_active_agent().unwrap(), a);
        let c = add(&dd, &owner, "c1");
        assert!(!dd.path("agents/index.json").exists());
        for (id, want) in [("a1", &a), ("b1", &b), ("c1", &c)] {
            assert_eq!(
                dd.agent(id).unwrap().agent_principal_id,
                want.agent_principal_id
            );
        }
        assert!(
            dd.path(&format!("agents/active/{}", a.agent_principal_id))
                .exists()
        );
        assert!(
            !dd.path(&format!("agents/active/{}", b.agent_principal_id))
                .exists()
        );
        assert_eq!(dd.only_active_agent().unwrap_err().code, ErrorCode::Usage);
    }

    #[test]
    fn agents_after_pages_in_key_order() {
        let (_t, dd, owner) = setup();
        let mut all: Vec<String> = (0..7)
            .map(|i| add(&dd, &owner, &format!("a{i}")).agent_principal_id)
            .collect();
        all.sort();
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = dd.agents_after(cursor.as_deref(), 3).unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 3);
            cursor = page.last().map(|a| a.agent_principal_id.clone());
            seen.extend(page.into_iter().map(|a| a.agent_principal_id));
            if seen.len() == 3 {
                // An agent added between pages shows up once if it sorts after the cursor.
                add(&dd, &owner, "late");
            }
        }
        for id in &all {
            assert_eq!(seen.iter().filter(|s| *s == id).count(), 1);
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
    }
}
