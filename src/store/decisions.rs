//! `decisions/<decision_id>.json`: REQUIRE_APPROVAL decisions awaiting an approval request, so a
//! request can be checked against a real decision of the same agent and action in O(1). Records
//! expire with `approval.request_ttl_seconds` and are pruned after that.

use super::{DataDir, fsio};
use crate::error::Result;
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingDecision {
    pub decision_id: String,
    pub agent_principal_id: String,
    pub agent_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    pub action_id: String,
    pub action_type: String,
    pub action_hash: String,
    pub matched_rule_id: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    /// The matched rule's `approval_ttl` (seconds): its approval request expires sooner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_ttl_seconds: Option<u64>,
}

impl DataDir {
    pub fn decision_path(&self, decision_id: &str) -> Result<PathBuf> {
        ids::check_uuid("decision id", decision_id)?;
        Ok(self
            .root()
            .join("decisions")
            .join(format!("{}.json", decision_id.to_ascii_lowercase())))
    }

    /// Records a pending decision (its own fresh file, so no lock is needed).
    pub fn save_pending_decision(&self, d: &PendingDecision) -> Result<()> {
        fsio::write_atomic(
            &self.decision_path(&d.decision_id)?,
            &super::to_json_pretty(d)?,
        )
    }

    /// A pending decision that has not expired yet.
    pub fn pending_decision(&self, decision_id: &str) -> Result<Option<PendingDecision>> {
        let Some(d) = self.read_json::<PendingDecision>(&self.decision_path(decision_id)?)? else {
            return Ok(None);
        };
        let expired =
            crate::timefmt::parse(&d.expires_at).is_none_or(|t| t <= crate::timefmt::now());
        Ok((!expired).then_some(d))
    }

    /// Removes expired decision records; returns how many. Best effort: unreadable files are kept
    /// for a person to look at.
    pub fn prune_decisions(&self) -> Result<usize> {
        let now = crate::timefmt::now();
        let mut removed = 0;
        for id in self.list_ids("decisions", "json")? {
            if !ids::is_uuid_shaped(&id) {
                continue;
            }
            let path = self.decision_path(&id)?;
            if let Ok(Some(d)) = self.read_json::<PendingDecision>(&path)
                && crate::timefmt::parse(&d.expires_at).is_some_and(|t| t <= now)
                && std::fs::remove_file(&path).is_ok()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(expires_at: String) -> PendingDecision {
        PendingDecision {
            decision_id: ids::new_id(),
            agent_principal_id: ids::new_id(),
            agent_id: "a".into(),
            owner_type: super::super::owners::OwnerType::User,
            owner_id: ids::new_id(),
            action_id: ids::new_id(),
            action_type: "purchase".into(),
            action_hash: "0".repeat(64),
            matched_rule_id: Some("r".into()),
            created_at: crate::timefmt::now_string(),
            expires_at,
            approval_ttl_seconds: None,
        }
    }

    #[test]
    fn save_load_expire_prune() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("decisions")).unwrap();
        let dd = DataDir::at(dir.path());
        let live = sample(crate::timefmt::format(crate::timefmt::plus_seconds(
            crate::timefmt::now(),
            60,
        )));
        let dead = sample(crate::timefmt::format(crate::timefmt::plus_seconds(
            crate::timefmt::now(),
            -1,
        )));
        dd.save_pending_decision(&live).unwrap();
        dd.save_pending_decision(&dead).unwrap();
        assert_eq!(
            dd.pending_decision(&live.decision_id).unwrap(),
            Some(live.clone())
        );
        assert_eq!(dd.pending_decision(&dead.decision_id).unwrap(), None);
        assert_eq!(dd.prune_decisions().unwrap(), 1);
        assert!(dd.pending_decision("../../etc").is_err());
    }
}
