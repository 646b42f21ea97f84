//! The tamper-evident audit log (SPEC §10): `audit.log.jsonl`, one hash-chained JSON event per
//! line, and `audit.head`, the signed record of where the log ends.
//!
//! - [`DataDir::append_audit`] — the one appender every command and the server use (group
//!   commit, writer lock, fsync, signed head; [`commit`] explains what it accepts at the end of
//!   the log and why).
//! - [`DataDir::audit_query`], [`DataDir::audit_find`], [`DataDir::audit_follow`] — reading.
//! - [`verify::verify`] — the streaming chain and head check behind `openleash audit verify`.
//! - [`DataDir::audit_seal`], [`DataDir::audit_repair`] — the owner's way out of a crash's
//!   unsigned tail or torn line.

pub mod commit;
pub mod head;
pub mod index;
pub mod integrity;
pub mod line;
pub mod lines;
pub mod maintain;
pub mod query;
pub mod seek;
pub mod verify;

use crate::error::Result;
use crate::store::{DataDir, WriteLock};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use commit::Restored;
pub use head::{Head, UnsealedRange};
pub use line::GENESIS_HASH;
pub use maintain::{MovedTorn, RepairOutcome, SealPlan, seal_plan};
pub use query::Filter;
pub use verify::{Problem, ProblemKind, VerifyReport, verify};

/// An event to append; the appender fills in `seq`, `event_id`, `timestamp` and the chain.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: String,
    pub principal_id: Option<String>,
    pub action_id: Option<String>,
    pub decision_id: Option<String>,
    /// An object (upstream `metadata_json`); `null` is written as `{}`.
    pub metadata: Value,
}

impl NewEvent {
    pub fn new(event_type: &str, metadata: Value) -> NewEvent {
        NewEvent {
            event_type: event_type.into(),
            principal_id: None,
            action_id: None,
            decision_id: None,
            metadata,
        }
    }

    pub fn principal(mut self, id: &str) -> Self {
        self.principal_id = Some(id.into());
        self
    }

    pub fn action(mut self, id: &str) -> Self {
        self.action_id = Some(id.into());
        self
    }

    pub fn decision(mut self, id: &str) -> Self {
        self.decision_id = Some(id.into());
        self
    }
}

/// The event again, to be appended elsewhere (a PostgreSQL batch encoded after an end that
/// turned out stale): a new `seq`, `event_id`, `timestamp` and link are given to it.
impl From<AuditEvent> for NewEvent {
    fn from(e: AuditEvent) -> NewEvent {
        NewEvent {
            event_type: e.event_type,
            principal_id: e.principal_id,
            action_id: e.action_id,
            decision_id: e.decision_id,
            metadata: e.metadata_json,
        }
    }
}

/// An event as written: the fields of one log line, in line order (SPEC §10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: u64,
    pub event_id: String,
    pub timestamp: String,
    pub event_type: String,
    pub principal_id: Option<String>,
    pub action_id: Option<String>,
    pub decision_id: Option<String>,
    #[serde(default)]
    pub metadata_json: Value,
    pub prev_hash: String,
    pub hash: String,
}

impl DataDir {
    /// Appends `events` durably, in order, as one commit, and returns them as written. Returns
    /// only after the lines and a head covering them are on disk (with `audit.fsync: always`).
    /// Threads appending at the same time share one write, fsync and head update.
    ///
    /// Do not call this while holding [`DataDir::lock`] (it takes the lock itself and would wait
    /// for you); use [`DataDir::append_audit_locked`] there.
    pub fn append_audit(&self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        if let Some(store) = self.pg()? {
            let written = store.append(self, events)?;
            self.audit_index_after_append(&commit::committer(self));
            return Ok(written);
        }
        let committer = commit::committer(self);
        let written = committer.submit(self, events)?;
        self.audit_index_after_append(&committer);
        Ok(written)
    }

    /// [`DataDir::append_audit`] for a caller that already holds the writer lock, so a state
    /// change and its audit events can be made under one critical section.
    pub fn append_audit_locked(
        &self,
        lock: &WriteLock,
        events: Vec<NewEvent>,
    ) -> Result<Vec<AuditEvent>> {
        if DataDir::has_section(lock)
            && let Some(store) = self.pg()?
        {
            let written = store.append_in_section(self, events)?;
            self.audit_index_after_append(&commit::committer(self));
            return Ok(written);
        }
        let committer = commit::committer(self);
        let written = committer.append_locked(self, lock, events)?;
        self.audit_index_after_append(&committer);
        Ok(written)
    }

    /// Indexes what was just appended (the audit indexes are maintained on append, see
    /// [`index`]) unless a background thread of this process does it: only when the index lock
    /// is free and the index is at most [`index::INLINE_GAP`] behind, so an append never waits
    /// for a reader nor builds the index of a large log. The index is a cache verified against
    /// the log, so a failure here changes no answer: it is left for the next reader.
    fn audit_index_after_append(&self, committer: &commit::Committer) {
        if !committer
            .index_in_background
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            let _ = self.audit_index_catch_up(false, Some(index::INLINE_GAP));
        }
    }

    /// From now on a background thread of this process keeps the audit indexes caught up
    /// (`audit_index_catch_up` every few seconds): appends of this process no longer do.
    pub fn audit_index_in_background(&self) {
        commit::committer(self)
            .index_in_background
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use crate::store::{DataDir, Txn};

    /// A minimal initialised data dir (config + one signing key), fsync off unless asked.
    pub fn data_dir(fsync: bool) -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::at(tmp.path().join("data"));
        std::fs::create_dir_all(dd.path("keys")).unwrap();
        let cfg = if fsync {
            "audit:\n  fsync: always\n"
        } else {
            "audit:\n  fsync: never\n"
        };
        std::fs::write(dd.config_path(), cfg).unwrap();
        let key = crate::keys::ServerKey::generate();
        let mut txn = Txn::default();
        dd.stage_new_active_key(&mut txn, &key).unwrap();
        txn.commit().unwrap();
        if let Some(url) = crate::store::pg::testdb::backend_url() {
            // The handler suite's second run (`scripts/test`): the same tests on a replica of a
            // fresh PostgreSQL store.
            let text = crate::store::pg::setup::config_with_store(cfg, &url).unwrap();
            std::fs::write(dd.config_path(), text).unwrap();
            let store = crate::store::pg::PgStore::connect_url(&url).unwrap();
            crate::store::pg::replica::push_all(&dd, &store, &key, true).unwrap();
        }
        let dd = DataDir::open(dd.root()).unwrap();
        (tmp, dd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn append_returns_the_written_events_and_chains_them() {
        let (_t, dd) = testutil::data_dir(true);
        let a = dd
            .append_audit(vec![
                NewEvent::new("A", json!({"k": 1})).principal("p"),
                NewEvent::new("B", Value::Null).action("x").decision("d"),
            ])
            .unwrap();
        let b = dd
            .append_audit(vec![NewEvent::new("C", json!({}))])
            .unwrap();
        assert_eq!(
            a.iter().chain(&b).map(|e| e.seq).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(a[0].prev_hash, GENESIS_HASH);
        assert_eq!(a[1].prev_hash, a[0].hash);
        assert_eq!(b[0].prev_hash, a[1].hash);
        assert_eq!(a[1].metadata_json, json!({}));
        let text = std::fs::read_to_string(dd.audit_log_path()).unwrap();
        let parsed: Vec<AuditEvent> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(parsed, [a, b].concat());
        let report = verify(&dd).unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.events, 3);
        assert!(dd.append_audit(vec![]).unwrap().is_empty());
    }

    #[test]
    fn threads_share_commits_and_keep_one_chain() {
        let (_t, dd) = testutil::data_dir(false);
        std::thread::scope(|s| {
            for t in 0..8 {
                let dd = DataDir::open(dd.root()).unwrap();
                s.spawn(move || {
                    for i in 0..50 {
                        let evs = dd
                            .append_audit(vec![
                                NewEvent::new("T", json!({"t": t, "i": i})),
                                NewEvent::new("U", json!({"t": t, "i": i})),
                            ])
                            .unwrap();
                        // A caller's events stay together and in order.
                        assert_eq!(evs.len(), 2);
                        assert_eq!(evs[1].seq, evs[0].seq + 1);
                        assert_eq!(evs[1].metadata_json, json!({"t": t, "i": i}));
                    }
                });
            }
        });
        let report = verify(&dd).unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.events, 800);
    }

    #[test]
    fn locked_append_works_under_a_held_lock() {
        let (_t, dd) = testutil::data_dir(false);
        let lock = dd.lock().unwrap();
        let evs = dd
            .append_audit_locked(&lock, vec![NewEvent::new("L", json!({}))])
            .unwrap();
        drop(lock);
        assert_eq!(evs[0].seq, 1);
        dd.append_audit(vec![NewEvent::new("M", json!({}))])
            .unwrap();
        assert!(verify(&dd).unwrap().ok);
    }
}
