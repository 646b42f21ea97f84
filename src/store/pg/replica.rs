//! A data directory backed by PostgreSQL: the database holds the truth, the data directory is
//! this instance's *replica* of it (see `docs/store.md`, "Replica").
//!
//! Every piece of openleash reads and writes the data directory as plain files; with
//! `store.backend: postgres` the same code runs unchanged, and this module makes those files a
//! faithful replica of the shared store:
//! - **Critical sections.** [`crate::store::DataDir::lock`] takes the local `.lock` *and* the
//!   store's session-level advisory lock [`CHAIN_LOCK`] (the key the audit chain's batches
//!   take), then catches the replica up exactly — records from the `tree_changes` feed, audit
//!   lines from `audit_events` — before the section reads anything. Sections of every instance
//!   and every CLI process therefore run one after the other on the latest state, as processes
//!   on one data directory do around `.lock`.
//! - **Writes.** A [`crate::store::Txn`] whose paths lie in a replica is committed to the
//!   database first (one transaction on the section's connection, the records' change-feed rows
//!   with it) and applied to the local files after `COMMIT`; outside a section it takes a short
//!   section of its own. A failed commit applies nothing anywhere.
//! - **Audit.** Appends go to the database's chain (group commit for decisions, the section's
//!   connection inside a section); the committed lines are then appended to the local
//!   `audit.log.jsonl`, so the audit list, the indexes and the limit counters read them as
//!   they always did.
//! - **Freshness.** Outside sections a `LISTEN` thread (servers) catches the replica up on every
//!   notification; every process catches up when it opens the data directory.
//!
//! What never leaves the instance: `config.yaml`, `keys/` (private keys, see
//! `docs/store.md`), the derived indexes (`audit.idx/`, `limits/`), the notification outbox and
//! MCP pins, lock files.

use super::PgStore;
use super::audit::{Chain, HeadSigner};
use crate::error::Result;
use crate::store::DataDir;
use std::sync::{Arc, Mutex, OnceLock};

/// The shared-store state of one data directory in this process.
pub struct PgBackend {
    pub store: PgStore,
    /// The group committer of this instance's audit appends.
    pub chain: Chain,
}

impl std::fmt::Debug for PgBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgBackend")
            .field("store", &self.store)
            .finish()
    }
}

#[derive(Default)]
struct Slot(Mutex<Option<Option<Arc<PgBackend>>>>);

static BACKENDS: OnceLock<Mutex<crate::store::PerDataDir<Slot>>> = OnceLock::new();

/// The PostgreSQL backend of `dd`, or `None` for a plain data directory. Decided once per
/// process and directory from `config.yaml` (changing `store.backend` needs a restart).
pub fn backend(dd: &DataDir) -> Result<Option<Arc<PgBackend>>> {
    let slot = crate::store::per_data_dir(&BACKENDS, dd);
    let mut g = slot
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(b) = &*g {
        return Ok(b.clone());
    }
    let config = dd.config()?;
    let b = if config.store.is_postgres() {
        let store = PgStore::connect(&config.store)?;
        let (server_key, key) = dd.active_key()?;
        let chain = Chain::new(
            store.clone(),
            HeadSigner {
                kid: server_key.kid,
                key,
            },
        );
        Some(Arc::new(PgBackend { store, chain }))
    } else {
        None
    };
    *g = Some(b.clone());
    Ok(b)
}
