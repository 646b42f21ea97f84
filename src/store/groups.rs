//! Policy groups (SPEC §17, upstream v1 "policy groups"): a named bucket of an owner's agents;
//! policies bound to the group apply to every member (the middle tier of resolution).
//!
//! Layout:
//! - `policy-groups/<group_id>.json` — the group and its members (the authority);
//! - `agent-groups/<agent_principal_id>/<group_id>` — empty files, one per membership: an index
//!   rewritten in the same transaction as the group, so a decision reads only its agent's
//!   memberships (one directory listing, cached while the directory is unchanged) and never
//!   scans the groups.
//!
//! A data directory from before groups simply has neither directory: every agent is in no group.

use super::filecache::Inputs;
use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMember {
    pub membership_id: String,
    pub agent_principal_id: String,
    pub added_at: String,
    #[serde(default)]
    pub added_by_user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyGroup {
    pub group_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    pub name: String,
    /// Unique within the owner.
    pub slug: String,
    #[serde(default)]
    pub description: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub created_by_user_id: Option<String>,
    #[serde(default)]
    pub members: Vec<GroupMember>,
}

impl PolicyGroup {
    pub fn member(&self, agent_principal_id: &str) -> Option<&GroupMember> {
        self.members.iter().find(|m| {
            m.agent_principal_id
                .eq_ignore_ascii_case(agent_principal_id)
        })
    }
}

pub fn group_not_found() -> Error {
    Error::new(ErrorCode::NotFound, "Policy group not found")
        .with_hint("list the groups with `openleash org group list ORG_ID`")
}

impl DataDir {
    fn group_path(&self, group_id: &str) -> Result<PathBuf> {
        ids::check_uuid("group id", group_id)?;
        Ok(self
            .root()
            .join("policy-groups")
            .join(format!("{}.json", group_id.to_ascii_lowercase())))
    }

    fn agent_groups_dir(&self, agent_principal_id: &str) -> Result<PathBuf> {
        ids::check_uuid("agent principal id", agent_principal_id)?;
        Ok(self
            .root()
            .join("agent-groups")
            .join(agent_principal_id.to_ascii_lowercase()))
    }

    /// One group, `None` when it does not exist (or the id is not a UUID).
    pub fn group(&self, group_id: &str) -> Result<Option<PolicyGroup>> {
        if !ids::is_uuid_shaped(group_id) {
            return Ok(None);
        }
        self.read_json(&self.group_path(group_id)?)
    }

    /// Every group of `owner_id`, by name then id (stable listing order).
    pub fn groups_of_owner(&self, owner_id: &str) -> Result<Vec<PolicyGroup>> {
        let mut out = Vec::new();
        for id in self.list_ids("policy-groups", "json")? {
            if let Some(g) = self.group(&id)?
                && g.owner_id.eq_ignore_ascii_case(owner_id)
            {
                out.push(g);
            }
        }
        out.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| a.group_id.cmp(&b.group_id))
        });
        Ok(out)
    }

    /// The group ids `agent_principal_id` belongs to, sorted, from the per-agent index. The
    /// listing is cached until the directory changes, so a decision costs one `stat` (of a
    /// directory that, for an agent in no group, does not exist).
    pub fn agent_group_ids(&self, agent_principal_id: &str) -> Result<Vec<String>> {
        self.agent_group_ids_noting(agent_principal_id, &mut Inputs::default())
    }

    /// [`DataDir::agent_group_ids`], noting the membership directory in `inputs`.
    pub fn agent_group_ids_noting(
        &self,
        agent_principal_id: &str,
        inputs: &mut Inputs,
    ) -> Result<Vec<String>> {
        if !ids::is_uuid_shaped(agent_principal_id) {
            return Ok(vec![]);
        }
        let dir = self.agent_groups_dir(agent_principal_id)?;
        let mut out = super::filecache::uuid_names_noting(&dir, inputs)?.to_vec();
        out.sort();
        Ok(out)
    }

    /// Stages the removal of `agent_principal_id` from every group it belongs to (the agent is
    /// deleted, or moves to another owner and must not keep its old owner's groups). Returns each
    /// group and the membership removed, for the caller's audit events. The caller holds the
    /// writer lock.
    pub fn stage_agent_leaves_groups(
        &self,
        txn: &mut Txn,
        agent_principal_id: &str,
    ) -> Result<Vec<(PolicyGroup, GroupMember)>> {
        let mut left = Vec::new();
        for gid in self.agent_group_ids(agent_principal_id)? {
            // An index entry whose group is gone (removed by hand) is dropped with the rest.
            let Some(before) = self.group(&gid)? else {
                txn.remove(&self.agent_groups_dir(agent_principal_id)?.join(&gid));
                continue;
            };
            let Some(m) = before.member(agent_principal_id).cloned() else {
                txn.remove(&self.agent_groups_dir(agent_principal_id)?.join(&gid));
                continue;
            };
            let mut after = before.clone();
            after.members.retain(|x| x.membership_id != m.membership_id);
            self.stage_group(txn, Some(&before), Some(&after))?;
            left.push((after, m));
        }
        Ok(left)
    }

    /// Stages `after` as the new state of a group (`None` deletes it), with the per-agent index
    /// entries that differ from `before`. The caller holds the writer lock.
    pub fn stage_group(
        &self,
        txn: &mut Txn,
        before: Option<&PolicyGroup>,
        after: Option<&PolicyGroup>,
    ) -> Result<()> {
        let Some(g) = after.or(before) else {
            return Ok(());
        };
        let gid = g.group_id.to_ascii_lowercase();
        let path = self.group_path(&gid)?;
        let members = |x: Option<&PolicyGroup>| -> Vec<String> {
            x.map(|g| {
                g.members
                    .iter()
                    .map(|m| m.agent_principal_id.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default()
        };
        let (was, is) = (members(before), members(after));
        for a in was.iter().filter(|a| !is.contains(a)) {
            txn.remove(&self.agent_groups_dir(a)?.join(&gid));
        }
        for a in is.iter().filter(|a| !was.contains(a)) {
            let dir = self.agent_groups_dir(a)?;
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create directory", &dir, e))?;
            txn.write(&dir.join(&gid), Vec::new());
        }
        match after {
            Some(g) => {
                let dir = self.root().join("policy-groups");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| Error::io("create directory", &dir, e))?;
                txn.write(&path, super::to_json_pretty(g)?);
            }
            None => txn.remove(&path),
        }
        Ok(())
    }
}
