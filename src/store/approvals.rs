//! `approvals/<id>.json` (approval requests) and `drafts/<id>.json` (policy drafts): one JSON file
//! per record, in upstream's field names so the owner API can return them as stored.

use super::listindex::{self, Change, Entry, Kind as ListKind};
use super::{DataDir, Txn};
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

pub const PENDING: &str = "PENDING";
pub const APPROVED: &str = "APPROVED";
pub const DENIED: &str = "DENIED";
pub const EXPIRED: &str = "EXPIRED";
/// Statuses a `--status` / `?status=` filter may name.
pub const STATUSES: &[&str] = &[PENDING, APPROVED, DENIED, EXPIRED];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    pub approval_request_id: String,
    pub decision_id: String,
    pub agent_principal_id: String,
    pub agent_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    pub action_type: String,
    pub action_hash: String,
    pub action: Value,
    pub justification: Option<String>,
    pub context: Option<Value>,
    /// As stored; see [`ApprovalRequest::effective_status`].
    pub status: String,
    pub approval_token: Option<String>,
    pub approval_token_expires_at: Option<String>,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    pub denial_reason: Option<String>,
    pub consumed_at: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    /// The rule whose HUMAN_APPROVAL obligation this request answers (from the decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_rule_id: Option<String>,
    /// When the `approval_request.expiring` reminder was queued (SPEC §16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded_at: Option<String>,
    /// When the request was escalated to `notifications.escalation` channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_at: Option<String>,
}

impl ApprovalRequest {
    pub fn is_expired(&self, now: time::OffsetDateTime) -> bool {
        // An unparseable expiry counts as expired: fail closed.
        crate::timefmt::parse(&self.expires_at).is_none_or(|t| t <= now)
    }

    /// A PENDING request past `expires_at` reads EXPIRED everywhere (SPEC §8.2 Δ), so polling
    /// agents stop even though nothing rewrote the file.
    pub fn effective_status(&self, now: time::OffsetDateTime) -> &str {
        if self.status == PENDING && self.is_expired(now) {
            EXPIRED
        } else {
            &self.status
        }
    }

    /// The stored record with the effective status, as owners see it.
    pub fn owner_json(&self, now: time::OffsetDateTime) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        v["status"] = Value::String(self.effective_status(now).to_string());
        v
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyDraft {
    pub policy_draft_id: String,
    pub agent_principal_id: String,
    pub agent_id: String,
    pub owner_type: super::owners::OwnerType,
    pub owner_id: String,
    /// `None` = owner-wide.
    pub applies_to_agent_principal_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub policy_yaml: String,
    pub justification: Option<String>,
    pub status: String,
    pub resulting_policy_id: Option<String>,
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    pub denial_reason: Option<String>,
    pub created_at: String,
}

/// One kind of record file: its directory and what its id is called in messages.
struct Kind {
    dir: &'static str,
    what: &'static str,
}

const APPROVALS: Kind = Kind {
    dir: "approvals",
    what: "approval request id",
};
const DRAFTS: Kind = Kind {
    dir: "drafts",
    what: "policy draft id",
};

impl DataDir {
    fn record_path(&self, kind: &Kind, id: &str) -> Result<PathBuf> {
        ids::check_uuid(kind.what, id)?;
        Ok(self
            .root()
            .join(kind.dir)
            .join(format!("{}.json", id.to_ascii_lowercase())))
    }

    fn records<T: serde::de::DeserializeOwned>(&self, kind: &Kind) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for id in self.list_ids(kind.dir, "json")? {
            if !ids::is_uuid_shaped(&id) {
                continue;
            }
            if let Some(r) = self.read_json(&self.record_path(kind, &id)?)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Every record of `kind`, read one at a time (in file-name order) so that a caller keeping
    /// a page of them holds no more than that page in memory.
    fn records_iter<'a, T: serde::de::DeserializeOwned + 'a>(
        &'a self,
        kind: &'a Kind,
    ) -> Result<impl Iterator<Item = Result<T>> + 'a> {
        let ids = self.list_ids(kind.dir, "json")?;
        Ok(ids
            .into_iter()
            .filter(|id| ids::is_uuid_shaped(id))
            .filter_map(move |id| {
                self.record_path(kind, &id)
                    .and_then(|p| self.read_json(&p))
                    .transpose()
            }))
    }

    /// Every approval request, one at a time, in no particular order (see [`Self::records_iter`]).
    pub fn approval_requests_iter(
        &self,
    ) -> Result<impl Iterator<Item = Result<ApprovalRequest>> + '_> {
        self.records_iter(&APPROVALS)
    }

    /// Every policy draft, one at a time, in no particular order.
    pub fn policy_drafts_iter(&self) -> Result<impl Iterator<Item = Result<PolicyDraft>> + '_> {
        self.records_iter(&DRAFTS)
    }

    pub fn approval_path(&self, id: &str) -> Result<PathBuf> {
        self.record_path(&APPROVALS, id)
    }

    /// An approval request, or `None` when no file has that id.
    pub fn approval_request(&self, id: &str) -> Result<Option<ApprovalRequest>> {
        self.read_json(&self.approval_path(id)?)
    }

    /// Every approval request, oldest first.
    pub fn approval_requests(&self) -> Result<Vec<ApprovalRequest>> {
        let mut v: Vec<ApprovalRequest> = self.records(&APPROVALS)?;
        v.sort_by(|a, b| {
            (a.created_at.as_str(), a.approval_request_id.as_str())
                .cmp(&(b.created_at.as_str(), b.approval_request_id.as_str()))
        });
        Ok(v)
    }

    /// Stages `r` and its list-index entries (all requests, and its owner's).
    pub fn stage_approval_request(&self, txn: &mut Txn, r: &ApprovalRequest) -> Result<()> {
        txn.write_mode(
            &self.approval_path(&r.approval_request_id)?,
            super::to_json_pretty(r)?,
            super::SECRET_MODE,
        );
        self.stage_index(
            txn,
            ListKind::Approvals,
            &r.owner_id,
            Change::Put(approval_entry(r)),
        );
        Ok(())
    }

    /// Stages `r` alone, for a change that leaves what the list index holds (key, status, expiry,
    /// owner, agent) as it was — the approval token marked consumed, a reminder or escalation
    /// noted — so the decision path does not read index chunks it would not change.
    pub fn stage_approval_request_same_listing(
        &self,
        txn: &mut Txn,
        before: &ApprovalRequest,
        r: &ApprovalRequest,
    ) -> Result<()> {
        if approval_entry(before) != approval_entry(r) || before.owner_id != r.owner_id {
            return self.stage_approval_request(txn, r);
        }
        txn.write_mode(
            &self.approval_path(&r.approval_request_id)?,
            super::to_json_pretty(r)?,
            super::SECRET_MODE,
        );
        Ok(())
    }

    /// Stages the removal of `r`'s list-index entries (its file is removed by the caller).
    pub fn stage_unindex_approval(&self, txn: &mut Txn, r: &ApprovalRequest) {
        let key = approval_key(r);
        self.stage_index(txn, ListKind::Approvals, &r.owner_id, Change::Remove(key));
    }

    /// Stages the removal of `d`'s list-index entries (its file is removed by the caller).
    pub fn stage_unindex_draft(&self, txn: &mut Txn, d: &PolicyDraft) {
        let key = draft_key(d);
        self.stage_index(txn, ListKind::Drafts, &d.owner_id, Change::Remove(key));
    }

    fn stage_index(&self, txn: &mut Txn, kind: ListKind, owner_id: &str, change: Change) {
        for scope in [listindex::ALL.to_string(), listindex::owner_scope(owner_id)] {
            txn.index(listindex::Op {
                root: self.root().to_path_buf(),
                kind,
                scope,
                change: change.clone(),
            });
        }
    }

    /// Makes sure the list index of `kind` is built, rebuilding it from the records (under the
    /// writer lock) when it is missing or in an older format.
    pub fn ensure_list_index(&self, kind: ListKind) -> Result<()> {
        if listindex::is_built(self.root(), kind) {
            return Ok(());
        }
        let _lock = self.lock()?;
        if listindex::is_built(self.root(), kind) {
            return Ok(());
        }
        self.rebuild_list_index(kind)
    }

    /// Rebuilds the list index of `kind` from the records; the caller holds the writer lock.
    /// Unreadable records are left out (a list skips them too) rather than failing every list.
    pub fn rebuild_list_index(&self, kind: ListKind) -> Result<()> {
        let scopes = |owner: &str| vec![listindex::ALL.to_string(), listindex::owner_scope(owner)];
        match kind {
            ListKind::Approvals => listindex::rebuild(
                self.root(),
                kind,
                self.records_iter::<ApprovalRequest>(&APPROVALS)?
                    .filter_map(std::result::Result::ok)
                    .map(|r| Ok((approval_entry(&r), scopes(&r.owner_id)))),
            ),
            ListKind::Drafts => listindex::rebuild(
                self.root(),
                kind,
                self.records_iter::<PolicyDraft>(&DRAFTS)?
                    .filter_map(std::result::Result::ok)
                    .map(|d| Ok((draft_entry(&d), scopes(&d.owner_id)))),
            ),
            ListKind::Agents => {
                // A record that does not read is left out of lists, as before.
                let ids = self.list_ids("agents", "yaml")?;
                listindex::rebuild(
                    self.root(),
                    kind,
                    ids.into_iter()
                        .filter(|id| ids::is_uuid_shaped(id))
                        .filter_map(|id| self.agent_by_principal(&id).ok())
                        .map(|a| Ok((super::agents::list_entry(&a), scopes(&a.owner_id)))),
                )
            }
            ListKind::Catalogue | ListKind::OwnerPolicies => self.rebuild_policy_list_index(kind),
            ListKind::Owners => self.rebuild_owner_list_index(),
        }
    }

    pub fn draft_path(&self, id: &str) -> Result<PathBuf> {
        self.record_path(&DRAFTS, id)
    }

    pub fn policy_draft(&self, id: &str) -> Result<Option<PolicyDraft>> {
        self.read_json(&self.draft_path(id)?)
    }

    /// Every policy draft, oldest first.
    pub fn policy_drafts(&self) -> Result<Vec<PolicyDraft>> {
        let mut v: Vec<PolicyDraft> = self.records(&DRAFTS)?;
        v.sort_by(|a, b| {
            (a.created_at.as_str(), a.policy_draft_id.as_str())
                .cmp(&(b.created_at.as_str(), b.policy_draft_id.as_str()))
        });
        Ok(v)
    }

    /// Stages `d` and its list-index entries (all drafts, and its owner's).
    pub fn stage_policy_draft(&self, txn: &mut Txn, d: &PolicyDraft) -> Result<()> {
        txn.write(
            &self.draft_path(&d.policy_draft_id)?,
            super::to_json_pretty(d)?,
        );
        self.stage_index(
            txn,
            ListKind::Drafts,
            &d.owner_id,
            Change::Put(draft_entry(d)),
        );
        Ok(())
    }

    /// Removes a decision record once a request used it (one request per decision).
    pub fn stage_remove_decision(&self, txn: &mut Txn, decision_id: &str) -> Result<()> {
        txn.remove(&self.decision_path(decision_id)?);
        Ok(())
    }
}

/// The sort key of an approval request in its lists (newest first), as cursors name it.
pub fn approval_key(r: &ApprovalRequest) -> String {
    format!("{}\u{1f}{}", r.created_at, r.approval_request_id)
}

/// The sort key of a policy draft in its lists (newest first), as cursors name it.
pub fn draft_key(d: &PolicyDraft) -> String {
    format!("{}\u{1f}{}", d.created_at, d.policy_draft_id)
}

/// The index entry's flag for a stored status.
fn flag(status: &str) -> char {
    match status {
        PENDING => 'P',
        APPROVED => 'A',
        DENIED => 'D',
        EXPIRED => 'E',
        _ => '-',
    }
}

/// The flag an effective status filter selects (the status is checked by [`parse_status`]).
pub fn status_flag(status: &str) -> char {
    flag(status)
}

fn approval_entry(r: &ApprovalRequest) -> Entry {
    Entry {
        key: approval_key(r),
        id: r.approval_request_id.to_ascii_lowercase(),
        flag: flag(&r.status),
        // Normalised so that the index compares expiries as strings; unparseable = expired.
        exp: crate::timefmt::parse(&r.expires_at)
            .map(crate::timefmt::format)
            .unwrap_or_default(),
        agent_principal_id: r.agent_principal_id.clone(),
        agent_id: r.agent_id.clone(),
    }
}

fn draft_entry(d: &PolicyDraft) -> Entry {
    Entry {
        key: draft_key(d),
        id: d.policy_draft_id.to_ascii_lowercase(),
        flag: flag(&d.status),
        exp: String::new(),
        agent_principal_id: d.agent_principal_id.clone(),
        agent_id: d.agent_id.clone(),
    }
}

/// Checks a `--status` / `?status=` value (case-insensitive) and returns its canonical form.
pub fn parse_status(s: &str) -> Result<&'static str> {
    STATUSES
        .iter()
        .copied()
        .find(|x| x.eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "unknown status {s:?}; expected one of {}",
                    STATUSES.join(", ")
                ),
            )
        })
}
