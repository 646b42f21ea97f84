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

use super::audit::{ActiveKeySigner, Appender, CHAIN_LOCK, Chain, HeadSigner, SignHeads};
use super::nonces;
use super::records::{FEED_SQL, WRITE_SQL, lock_timeout_error, write_net};
use super::{PgStore, db_error, postgres};
use crate::audit::{AuditEvent, NewEvent};
use crate::error::{Error, ErrorCode, Result};
use crate::store::records::{Op, Ops, check_rel};
use crate::store::{DataDir, Txn};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient, Statement};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};
use std::thread::ThreadId;
use std::time::Duration;

/// The channel record commits notify (shared with [`super::tree`]'s readers).
const CHANNEL: &str = "openleash_tree";

/// Changes read per catch-up query; a replica further behind reads several pages.
const PAGE: i64 = 4096;

/// The replica's own bookkeeping file: the last record change applied (a hidden name, so it is
/// never replicated nor listed).
const STATE_FILE: &str = ".replica.json";

/// Whether `rel` (a path relative to the data directory) stays with this instance: its config,
/// private keys, the indexes derived from the log, the outbox, MCP pins, the log itself (which
/// the replica rebuilds from the chain) and every hidden file (temp and lock files).
pub fn is_local_only(rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or_default();
    matches!(
        first,
        "config.yaml"
            | "keys"
            | "audit.log.jsonl"
            | "audit.head"
            | "audit.idx"
            | "limits"
            | "outbox"
            | "mcp"
    ) || rel
        .split('/')
        .any(|seg| seg.starts_with('.') || seg.is_empty())
}

/// The shared-store state of one data directory in this process.
pub struct PgBackend {
    pub store: PgStore,
    /// The group committer of this instance's audit appends.
    pub chain: Chain,
    root: PathBuf,
    section: Mutex<Section>,
    /// Serialises this process's catch-ups (the `.lock` file serialises processes).
    apply: Mutex<()>,
    /// The newest audit seq this process knows the local log holds.
    local_audit_seq: AtomicU64,
    listening: AtomicBool,
}

/// The connection of the critical section this process holds (one at a time: `.lock`).
#[derive(Default)]
struct Section {
    conn: Option<SectionConn>,
    holder: Option<ThreadId>,
    /// The section lost its connection (and with it the store's lock): nothing more may be
    /// committed in it.
    lost: bool,
}

struct SectionConn {
    client: Client,
    write: Statement,
}

impl std::fmt::Debug for PgBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgBackend")
            .field("store", &self.store)
            .field("root", &self.root)
            .finish()
    }
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Default)]
struct Slot(Mutex<Option<Option<Arc<PgBackend>>>>);

static BACKENDS: OnceLock<Mutex<crate::store::PerDataDir<Slot>>> = OnceLock::new();

/// Roots (as spelled by their `DataDir`s) whose commits go to a store: [`route`] looks a
/// transaction's paths up here. `ANY` keeps the file store's commits to one atomic load.
static ROOTS: RwLock<Vec<(PathBuf, Arc<PgBackend>)>> = RwLock::new(Vec::new());
static ANY: AtomicBool = AtomicBool::new(false);

/// The PostgreSQL backend of `dd`, or `None` for a plain data directory. Decided once per
/// process and directory from `config.yaml` (changing `store.backend` needs a restart).
pub fn backend(dd: &DataDir) -> Result<Option<Arc<PgBackend>>> {
    let slot = crate::store::per_data_dir(&BACKENDS, dd);
    let mut g = locked(&slot.0);
    let b = match &*g {
        Some(b) => b.clone(),
        None => {
            if !dd.config_path().exists() {
                // Not set up yet (`init` writes the files first): a plain directory.
                return Ok(None);
            }
            let config = dd.config()?;
            let b = if config.store.is_postgres() {
                let store = PgStore::connect(&config.store)?;
                // The key must be readable now; each batch then signs with the key active at
                // that moment, so a `keys rotate` needs no restart.
                dd.active_key()?;
                let chain = Chain::new(store.clone(), ActiveKeySigner(dd.clone()));
                let b = Arc::new(PgBackend::new(store, chain, dd.root()));
                let weak = Arc::downgrade(&b);
                let root = dd.root().to_path_buf();
                b.chain.on_commit(Box::new(move |first, lines| {
                    if let Some(b) = weak.upgrade() {
                        // The lines are durable in the store; a local failure is repaired by
                        // the next catch-up.
                        let _ = b.append_local(&DataDir::at(&root), first, lines);
                    }
                }));
                Some(b)
            } else {
                None
            };
            *g = Some(b.clone());
            b
        }
    };
    if let Some(b) = &b {
        register(dd.root(), b);
    }
    Ok(b)
}

fn register(root: &Path, b: &Arc<PgBackend>) {
    let known = ROOTS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .any(|(r, _)| r == root);
    if !known {
        ROOTS
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push((root.to_path_buf(), b.clone()));
        ANY.store(true, Ordering::Release);
    }
}

/// Opens the replica of `dd` if it has one: catches it up with the store. A store that cannot
/// be reached is not an error here — reads answer from the replica as it is, and every write and
/// decision fails with `STORE_UNAVAILABLE` until the store is back.
pub(crate) fn attach(dd: &DataDir) -> Result<()> {
    let b = match backend(dd) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok(()),
        // Commands that need the config report it; those that do not still run. Writes
        // cannot: taking the writer lock decides the backend, and fails the same way.
        Err(e) if e.code == ErrorCode::InvalidConfig => return Ok(()),
        Err(e) => return Err(e),
    };
    match b.catch_up(dd) {
        Err(e) if e.code == ErrorCode::StoreUnavailable => Ok(()),
        r => r,
    }
}

/// The store a transaction's paths belong to, with the data directory's root as spelled there.
pub(crate) fn route(first: Option<&Path>) -> Option<(PathBuf, Arc<PgBackend>)> {
    if !ANY.load(Ordering::Acquire) {
        return None;
    }
    let first = first?;
    ROOTS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(root, _)| first.starts_with(root))
        .map(|(r, b)| (r.clone(), b.clone()))
}

/// The tree path of `target` below `root`, or `None` when it stays local.
fn rel_of(root: &Path, target: &Path) -> Result<Option<String>> {
    let Ok(rel) = target.strip_prefix(root) else {
        return Err(Error::internal(format!(
            "{} is outside the data directory {}",
            target.display(),
            root.display()
        )));
    };
    let Some(rel) = rel.to_str() else {
        return Err(Error::new(
            ErrorCode::InvalidId,
            format!("{} is not a UTF-8 path", target.display()),
        ));
    };
    if is_local_only(rel) {
        return Ok(None);
    }
    check_rel(rel)?;
    Ok(Some(rel.to_string()))
}

/// `OPENLEASH_LOCK_TIMEOUT_MS` or 10 s, as for `.lock`.
fn lock_timeout() -> Duration {
    std::env::var("OPENLEASH_LOCK_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(10))
}

/// Held with the data directory's `.lock` while a critical section runs: the store's lock.
pub struct SectionGuard {
    backend: Arc<PgBackend>,
}

impl std::fmt::Debug for SectionGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SectionGuard")
    }
}

impl Drop for SectionGuard {
    fn drop(&mut self) {
        let mut s = locked(&self.backend.section);
        s.holder = None;
        s.lost = false;
        let unlocked = s.conn.as_mut().is_some_and(|c| {
            c.client
                .execute("SELECT pg_advisory_unlock($1)", &[&CHAIN_LOCK])
                .is_ok()
        });
        if !unlocked {
            // Ending the session releases its locks.
            s.conn = None;
        }
    }
}

/// The local log's end: `(complete length, last seq, last hash)`.
fn local_log_end(dd: &DataDir) -> Result<(std::fs::File, u64, u64, String)> {
    let (file, _) = crate::audit::commit::open_log(dd)?;
    let tail = crate::audit::commit::read_tail(dd, &file)?;
    if tail.complete_end < tail.len {
        // A torn line at the end of a replica: the chain in the store has the whole line.
        file.set_len(tail.complete_end)
            .map_err(|e| Error::io("truncate", &dd.audit_log_path(), e))?;
    }
    let (seq, hash) = tail
        .last
        .unwrap_or((0, crate::audit::line::GENESIS_HASH.to_string()));
    Ok((file, tail.complete_end, seq, hash))
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct ReplicaState {
    /// The last change of `tree_changes` reflected in the local files.
    tree_seq: i64,
}

impl PgBackend {
    fn new(store: PgStore, chain: Chain, root: &Path) -> PgBackend {
        PgBackend {
            store,
            chain,
            root: root.to_path_buf(),
            section: Mutex::default(),
            apply: Mutex::default(),
            local_audit_seq: AtomicU64::new(0),
            listening: AtomicBool::new(false),
        }
    }

    fn state_path(&self) -> PathBuf {
        self.root.join(STATE_FILE)
    }

    fn read_state(&self) -> Result<Option<ReplicaState>> {
        let path = self.state_path();
        let Some(bytes) = crate::store::fsio::read_optional(&path)? else {
            return Ok(None);
        };
        // A damaged state file costs one full resync, never an error.
        Ok(serde_json::from_slice(&bytes).ok())
    }

    fn stage_state(&self, txn: &mut Txn, tree_seq: i64) {
        let body = serde_json::to_vec(&ReplicaState { tree_seq }).unwrap_or_default();
        txn.write_mode(&self.state_path(), body, 0o600);
    }

    /// Whether the calling thread holds this store's critical section.
    fn held_here(&self) -> bool {
        locked(&self.section).holder == Some(std::thread::current().id())
    }

    /// Takes the store's lock for a critical section of this process (the caller holds `.lock`)
    /// and catches the replica up exactly.
    pub(crate) fn enter(self: &Arc<Self>, dd: &DataDir) -> Result<SectionGuard> {
        let mut s = locked(&self.section);
        let mut conn = match s.conn.take() {
            Some(c) if !c.client.is_closed() => c,
            _ => {
                let mut client = self.store.connect_one()?;
                let write = client
                    .prepare(WRITE_SQL)
                    .map_err(|e| db_error("prepare the record statement", e))?;
                SectionConn { client, write }
            }
        };
        let timeout = lock_timeout();
        let locked_now = conn.client.batch_execute(&format!(
            "SET lock_timeout = {}; SELECT pg_advisory_lock({CHAIN_LOCK})",
            timeout.as_millis().max(1)
        ));
        if let Err(e) = locked_now {
            if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                s.conn = Some(conn);
                return Err(lock_timeout_error(timeout));
            }
            return Err(db_error("take the store's writer lock", e));
        }
        let guard = SectionGuard {
            backend: self.clone(),
        };
        s.holder = Some(std::thread::current().id());
        s.lost = false;
        let caught_up = {
            let _apply = locked(&self.apply);
            self.catch_up_with(dd, &mut conn.client)
        };
        match caught_up {
            Ok(()) => {
                s.conn = Some(conn);
                Ok(guard)
            }
            Err(e) => {
                if e.code != ErrorCode::StoreUnavailable {
                    s.conn = Some(conn);
                }
                drop(s);
                drop(guard);
                Err(e)
            }
        }
    }

    /// Catches the replica up outside a critical section (on open, and the listener): under
    /// `.lock` so that this process's and other local processes' writes keep their order.
    pub fn catch_up(&self, dd: &DataDir) -> Result<()> {
        let _local = dd.lock_local()?;
        let _apply = locked(&self.apply);
        let mut c = self.store.conn()?;
        let mut tx = c
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| db_error("read the store's changes", e))?;
        self.catch_up_with(dd, &mut tx)?;
        tx.commit()
            .map_err(|e| db_error("read the store's changes", e))
    }

    /// Applies every record change and audit line the local files miss. `c` sees one
    /// consistent state: the section's (nobody else commits) or a repeatable-read snapshot.
    fn catch_up_with(&self, dd: &DataDir, c: &mut impl GenericClient) -> Result<()> {
        self.catch_up_records(c)?;
        self.catch_up_audit(dd, c)
    }

    fn catch_up_records(&self, c: &mut impl GenericClient) -> Result<()> {
        let Some(state) = self.read_state()? else {
            return self.resync_records(c);
        };
        let mut after = state.tree_seq;
        loop {
            let rows = c
                .query(FEED_SQL, &[&after, &PAGE])
                .map_err(|e| db_error("read the change feed", e))?;
            let mut pruned_through = 0;
            let mut changes: Vec<(i64, String)> = Vec::new();
            for r in rows {
                match r.get::<_, i32>(0) {
                    0 => pruned_through = r.get(1),
                    1 => {}
                    _ => changes.push((r.get(1), r.get(2))),
                }
            }
            if after < pruned_through {
                // Changes this replica never saw were pruned from the feed.
                return self.resync_records(c);
            }
            let Some(&(last, _)) = changes.last() else {
                return Ok(());
            };
            let full_page = changes.len() as i64 >= PAGE;
            let mut paths: Vec<String> = changes.into_iter().map(|(_, p)| p).collect();
            paths.sort();
            paths.dedup();
            self.apply_paths(c, &paths, last)?;
            if !full_page {
                return Ok(());
            }
            after = last;
        }
    }

    /// Brings `paths` to their state in the store and records `tree_seq`.
    fn apply_paths(
        &self,
        c: &mut impl GenericClient,
        paths: &[String],
        tree_seq: i64,
    ) -> Result<()> {
        let rows = c
            .query(
                "SELECT path, body, mode FROM tree_records WHERE path = ANY($1) AND NOT is_dir",
                &[&paths],
            )
            .map_err(|e| db_error("read changed records", e))?;
        let mut txn = Txn::default();
        let mut present = HashSet::with_capacity(rows.len());
        for r in &rows {
            let path: &str = r.get(0);
            if is_local_only(path) || check_rel(path).is_err() {
                continue;
            }
            let target = self.root.join(path);
            make_parents(&target)?;
            txn.write_mode(&target, r.get::<_, &[u8]>(1).to_vec(), mode_of(r.get(2)));
            present.insert(path.to_string());
        }
        for p in paths {
            if !present.contains(p) && !is_local_only(p) && check_rel(p).is_ok() {
                let target = self.root.join(p);
                if !target.is_dir() {
                    txn.remove(&target);
                }
            }
        }
        self.stage_state(&mut txn, tree_seq);
        txn.apply_files()
    }

    /// Rewrites every replicated file from the store (a new replica, or one that fell behind
    /// the feed's pruned horizon) and removes local records the store no longer has.
    fn resync_records(&self, c: &mut impl GenericClient) -> Result<()> {
        let seq: i64 = c
            .query_one(
                "SELECT greatest((SELECT coalesce(max(seq), 0) FROM tree_changes),
                                 (SELECT pruned_through FROM tree_feed WHERE id = 1),
                                 (SELECT coalesce(max(version), 0) FROM tree_records))",
                &[],
            )
            .map_err(|e| db_error("read the change feed", e))?
            .get(0);
        let mut seen: HashSet<String> = HashSet::new();
        let mut after = String::new();
        loop {
            let rows = c
                .query(
                    "SELECT path, body, mode, is_dir FROM tree_records
                     WHERE path > $1 ORDER BY path LIMIT $2",
                    &[&after, &PAGE],
                )
                .map_err(|e| db_error("read the records", e))?;
            let n = rows.len() as i64;
            let mut txn = Txn::default();
            for r in &rows {
                let path: String = r.get(0);
                after.clone_from(&path);
                if is_local_only(&path) || check_rel(&path).is_err() {
                    continue;
                }
                let target = self.root.join(&path);
                if r.get::<_, bool>(3) {
                    std::fs::create_dir_all(&target)
                        .map_err(|e| Error::io("create directory", &target, e))?;
                } else {
                    make_parents(&target)?;
                    txn.write_mode(&target, r.get::<_, &[u8]>(1).to_vec(), mode_of(r.get(2)));
                }
                seen.insert(path);
            }
            txn.apply_files()?;
            if n < PAGE {
                break;
            }
        }
        let mut stale = Txn::default();
        for_each_replicated_file(&self.root, |rel, _| {
            if !seen.contains(rel) {
                stale.remove(&self.root.join(rel));
            }
            Ok(())
        })?;
        self.stage_state(&mut stale, seq);
        stale.apply_files()
    }

    /// Appends the chain's lines the local log misses; refuses a local log that is not a prefix
    /// of the chain.
    fn catch_up_audit(&self, dd: &DataDir, c: &mut impl GenericClient) -> Result<()> {
        let (mut file, _, mut seq, hash) = local_log_end(dd)?;
        if seq > 0 {
            let row = c
                .query_opt(
                    "SELECT hash FROM audit_events WHERE seq = $1",
                    &[&(seq as i64)],
                )
                .map_err(|e| db_error("read the audit chain", e))?;
            if row.map(|r| r.get::<_, String>(0)).as_deref() != Some(hash.as_str()) {
                return Err(diverged(dd, seq));
            }
        }
        loop {
            let rows = c
                .query(
                    "SELECT seq, line FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
                    &[&(seq as i64), &PAGE],
                )
                .map_err(|e| db_error("read the audit chain", e))?;
            let n = rows.len() as i64;
            let mut buf = Vec::new();
            for r in &rows {
                seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or_default();
                buf.extend_from_slice(r.get::<_, &str>(1).as_bytes());
                buf.push(b'\n');
            }
            if !buf.is_empty() {
                use std::io::Write;
                file.write_all(&buf)
                    .map_err(|e| Error::io("append to", &dd.audit_log_path(), e))?;
            }
            if n < PAGE {
                break;
            }
        }
        self.local_audit_seq.fetch_max(seq, Ordering::AcqRel);
        Ok(())
    }

    /// Commits `txn` to the store (in this thread's section, or in a short one of its own),
    /// then to the local files.
    pub(crate) fn commit_txn(&self, root: &Path, mut txn: Txn) -> Result<()> {
        let _own = if self.held_here() {
            None
        } else {
            Some(DataDir::at(root).lock()?)
        };
        txn.resolve_index()?;
        let mut ops = Ops::default();
        for (target, bytes, mode) in txn.writes() {
            if let Some(rel) = rel_of(root, target)? {
                ops.write_mode(rel, bytes.clone(), *mode);
            }
        }
        for target in txn.removals() {
            if let Some(rel) = rel_of(root, target)? {
                ops.remove(rel);
            }
        }
        let net = ops.into_net()?;
        if !net.is_empty() {
            // The store creates missing directories with a record; so does the replica, before
            // the store commits, so that applying the commit locally cannot fail for want of one.
            for (target, _, _) in txn.writes() {
                make_parents(target)?;
            }
            let last = self.commit_ops(&net)?;
            self.stage_state(&mut txn, last);
        }
        txn.apply_files()
    }

    /// One transaction on the section's connection; returns the last change seq.
    fn commit_ops(&self, net: &[Op]) -> Result<i64> {
        let mut s = locked(&self.section);
        if s.lost {
            return Err(section_lost());
        }
        let Some(conn) = s.conn.as_mut() else {
            return Err(section_lost());
        };
        let result = (|| -> Result<i64> {
            let mut tx = conn
                .client
                .transaction()
                .map_err(|e| db_error("write records", e))?;
            let seqs = write_net(&mut tx, &conn.write, net)??;
            let last = seqs.values().copied().max().unwrap_or_default();
            tx.batch_execute(&format!("NOTIFY {CHANNEL}, '{last}'"))
                .map_err(|e| db_error("write records", e))?;
            tx.commit().map_err(|e| db_error("commit records", e))?;
            Ok(last)
        })();
        if let Err(e) = &result
            && e.code == ErrorCode::StoreUnavailable
        {
            s.conn = None;
            s.lost = true;
        }
        result
    }

    /// Appends `events` inside this thread's section: the chain's end is read under the lock,
    /// the rows and the signed head commit in one transaction, then the local log follows.
    pub(crate) fn append_in_section(
        &self,
        dd: &DataDir,
        events: Vec<NewEvent>,
    ) -> Result<Vec<AuditEvent>> {
        let signer = ActiveKeySigner(dd.clone()).signer()?;
        let (written, lines) = {
            let mut s = locked(&self.section);
            if s.lost || s.holder != Some(std::thread::current().id()) {
                return Err(section_lost());
            }
            let Some(conn) = s.conn.as_mut() else {
                return Err(section_lost());
            };
            let result = (|| -> Result<(Vec<AuditEvent>, Vec<String>)> {
                let mut tx = conn
                    .client
                    .transaction()
                    .map_err(|e| db_error("append to the audit chain", e))?;
                let mut app = Appender::start(&mut tx)?;
                let written = app.push(events)?;
                let lines = app.lines().to_vec();
                let (seq, hash) = app.end();
                app.write(&mut tx, &signer)?;
                tx.commit()
                    .map_err(|e| db_error("commit to the audit chain", e))?;
                // The group committer's next batch goes after these lines at the first try.
                self.chain.chain_moved_to(seq, hash);
                Ok((written, lines))
            })();
            if let Err(e) = &result
                && e.code == ErrorCode::StoreUnavailable
            {
                s.conn = None;
                s.lost = true;
            }
            result?
        };
        // The section holds `.lock` and the local log was caught up under it.
        if let Some(first) = written.first() {
            let _apply = locked(&self.apply);
            self.append_lines(dd, first.seq, &lines)?;
        }
        Ok(written)
    }

    /// Appends `events` through the group committer, then brings the local log up to them.
    /// A request's deferred nonce goes into the same batch (`pg::nonces::deferred`).
    pub(crate) fn append(&self, dd: &DataDir, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        let nonce = nonces::take_deferred();
        let result = self.chain.append_with(events, nonce.clone());
        if let Some(n) = nonce {
            let accepted = match &result {
                Ok(_) => Some(true),
                Err(e) if e.code == ErrorCode::NonceReplay => Some(false),
                Err(_) => None,
            };
            nonces::deferred_settled(n, accepted);
        }
        let written = result?;
        if let Some(last) = written.last()
            && self.local_audit_seq.load(Ordering::Acquire) < last.seq
        {
            // The lines are durable in the store; a local failure here is repaired by the next
            // catch-up, so it does not fail the append.
            let _ = self.sync_audit(dd, last.seq);
        }
        Ok(written)
    }

    /// Appends a committed batch's lines to the local log when they continue it; reads the
    /// chain from the store when lines of other instances come first.
    fn append_local(&self, dd: &DataDir, first: i64, lines: &[String]) -> Result<()> {
        let _local = dd.lock_local()?;
        let _apply = locked(&self.apply);
        self.append_lines(dd, u64::try_from(first).unwrap_or_default(), lines)
    }

    /// [`Self::append_local`] for a caller holding `.lock` and `apply`.
    fn append_lines(&self, dd: &DataDir, first: u64, lines: &[String]) -> Result<()> {
        let (mut file, _, seq, _) = local_log_end(dd)?;
        let last = first + lines.len() as u64 - 1;
        if seq >= last {
            return Ok(());
        }
        if seq + 1 != first {
            let mut c = self.store.conn()?;
            return self.catch_up_audit(dd, &mut *c);
        }
        let mut buf = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for l in lines {
            buf.extend_from_slice(l.as_bytes());
            buf.push(b'\n');
        }
        use std::io::Write;
        file.write_all(&buf)
            .map_err(|e| Error::io("append to", &dd.audit_log_path(), e))?;
        self.local_audit_seq.fetch_max(last, Ordering::AcqRel);
        Ok(())
    }

    fn sync_audit(&self, dd: &DataDir, upto: u64) -> Result<()> {
        let _local = dd.lock_local()?;
        let _apply = locked(&self.apply);
        if self.local_audit_seq.load(Ordering::Acquire) >= upto {
            return Ok(());
        }
        let mut c = self.store.conn()?;
        self.catch_up_audit(dd, &mut *c)
    }

    /// Whether the store holds record changes or chain lines this replica has not applied,
    /// asked on the listener's connection without taking `.lock`: a poll that finds nothing new
    /// (the common case, this instance's own appends being applied as they commit) leaves the
    /// lock to the decisions. `true` when it cannot tell.
    fn has_news(&self, c: Option<&mut Client>) -> bool {
        let Some(c) = c else { return true };
        let Ok(Some(state)) = self.read_state() else {
            return true;
        };
        let Ok(row) = c.query_one(
            "SELECT coalesce((SELECT max(seq) FROM tree_changes), 0),
                    coalesce((SELECT seq FROM audit_head WHERE id = 1), 0)",
            &[],
        ) else {
            return true;
        };
        let (tree, chain): (i64, i64) = (row.get(0), row.get(1));
        tree > state.tree_seq
            || u64::try_from(chain).unwrap_or(u64::MAX)
                > self.local_audit_seq.load(Ordering::Acquire)
    }

    /// Keeps the replica caught up in the background (servers): a `LISTEN` connection wakes on
    /// every record commit of any instance, and the chain is polled every 250 ms for lines
    /// appended elsewhere. Reconnects by itself.
    pub fn start_listener(self: &Arc<Self>, dd: &DataDir) {
        if self.listening.swap(true, Ordering::AcqRel) {
            return;
        }
        let me = Arc::downgrade(self);
        let dd = dd.clone();
        let spawned = std::thread::Builder::new()
            .name("openleash-replica".into())
            .spawn(move || {
                let mut client: Option<Client> = None;
                loop {
                    let Some(b) = me.upgrade() else { return };
                    if client.as_ref().is_none_or(Client::is_closed) {
                        client = b.store.connect_one().ok().and_then(|mut c| {
                            c.batch_execute(&format!("LISTEN {CHANNEL}"))
                                .ok()
                                .map(|()| c)
                        });
                    }
                    if b.has_news(client.as_mut()) {
                        let _ = b.catch_up(&dd);
                    }
                    drop(b);
                    match client.as_mut() {
                        Some(c) => {
                            // Wakes on the first notification (or after the poll interval);
                            // one catch-up covers everything that arrived.
                            let broken = c
                                .notifications()
                                .timeout_iter(Duration::from_millis(250))
                                .next()
                                .is_err();
                            if broken {
                                client = None;
                            }
                        }
                        None => std::thread::sleep(Duration::from_secs(1)),
                    }
                }
            });
        if spawned.is_err() {
            self.listening.store(false, Ordering::Release);
        }
    }
}

fn section_lost() -> Error {
    Error::new(
        ErrorCode::StoreUnavailable,
        "the connection to the PostgreSQL store was lost during this operation; what it had not committed was not applied",
    )
    .with_hint("retry once the store is reachable again")
}

fn diverged(dd: &DataDir, seq: u64) -> Error {
    let root = dd.root().display();
    Error::new(
        ErrorCode::DataCorrupt,
        format!(
            "{root}/audit.log.jsonl does not match the store's audit chain at seq {seq}: this directory replicates the PostgreSQL store, whose chain is the record"
        ),
    )
    .with_hint(format!(
        "move {root}/audit.log.jsonl, {root}/audit.head, {root}/audit.idx and {root}/limits aside; they are rebuilt from the store on the next run"
    ))
}

fn mode_of(m: i32) -> u32 {
    u32::try_from(m).ok().filter(|m| *m != 0).unwrap_or(0o644)
}

fn make_parents(target: &Path) -> Result<()> {
    match target.parent() {
        Some(p) if !p.is_dir() => {
            std::fs::create_dir_all(p).map_err(|e| Error::io("create directory", p, e))
        }
        _ => Ok(()),
    }
}

/// Takes the store's part of a critical section for `dd` (the caller holds `.lock`).
/// Records the deferred nonce of the request this thread handles, if any, before it changes
/// anything (`DataDir::lock`): `NONCE_REPLAY` when it was used already.
pub(crate) fn settle_nonce(dd: &DataDir) -> Result<()> {
    if !nonces::deferred_pending() {
        return Ok(());
    }
    match backend(dd)? {
        Some(b) => nonces::settle_deferred(&b.store),
        None => Ok(()),
    }
}

pub(crate) fn enter(dd: &DataDir) -> Result<Option<SectionGuard>> {
    match backend(dd)? {
        Some(b) => b.enter(dd).map(Some),
        None => Ok(None),
    }
}

/// Copies a plain data directory into an empty store: every replicated record (byte for byte,
/// modes kept) and the whole audit chain (the same lines; the head signed by `signer`), with
/// the signing key's public part, in one transaction under the store's lock. The directory then
/// is the store's first replica.
pub fn push_all(
    dd: &DataDir,
    store: &PgStore,
    key: &crate::keys::ServerKey,
    become_replica: bool,
) -> Result<PushReport> {
    let signer = HeadSigner {
        kid: key.kid.clone(),
        key: key.signing_key()?,
    };
    let mut c = store.conn()?;
    let mut tx = c
        .transaction()
        .map_err(|e| db_error("start copying into the store", e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])
        .map_err(|e| db_error("take the store's writer lock", e))?;
    super::setup::refuse_a_used_store(
        &mut tx,
        store,
        "copy into an empty database, or point this instance at the store with store.url instead",
    )?;
    super::audit::publish_key(&mut tx, key, true)?;
    let mut report = PushReport::default();
    let mut ops = Ops::default();
    let mut last_seq = 0;
    let mut flush = |tx: &mut postgres::Transaction<'_>, ops: &mut Ops| -> Result<()> {
        let net = std::mem::take(ops).into_net()?;
        if net.is_empty() {
            return Ok(());
        }
        let seqs = write_net(tx, WRITE_SQL, &net)??;
        last_seq = last_seq.max(seqs.values().copied().max().unwrap_or_default());
        Ok(())
    };
    for_each_replicated_file(dd.root(), |rel, mode| {
        let path = dd.root().join(rel);
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        report.records += 1;
        ops.write_mode(rel, bytes, mode);
        if ops.len() >= 1000 {
            flush(&mut tx, &mut ops)?;
        }
        Ok(())
    })?;
    flush(&mut tx, &mut ops)?;
    report.events = push_log(dd, &mut tx, &signer)?;
    tx.batch_execute(&format!("NOTIFY {CHANNEL}, '{last_seq}'"))
        .map_err(|e| db_error("copy into the store", e))?;
    tx.commit()
        .map_err(|e| db_error("commit the copy into the store", e))?;
    if become_replica {
        let body = serde_json::to_vec(&ReplicaState { tree_seq: last_seq }).unwrap_or_default();
        crate::store::fsio::write_atomic_mode(&dd.root().join(STATE_FILE), &body, 0o600)?;
    }
    Ok(report)
}

/// Copies the whole store into the plain data directory `dd` (which holds its `config.yaml`
/// and `keys/` already): every record and the whole chain, read in one snapshot, then a file
/// head signed by the directory's active key over the last line.
pub fn pull_all(dd: &DataDir, store: &PgStore) -> Result<PushReport> {
    let (server_key, key) = dd.active_key()?;
    let records: i64 = store
        .conn()?
        .query_one("SELECT count(*) FROM tree_records WHERE NOT is_dir", &[])
        .map_err(|e| db_error("count the records", e))?
        .get(0);
    let b = PgBackend::new(
        store.clone(),
        Chain::new(store.clone(), ActiveKeySigner(dd.clone())),
        dd.root(),
    );
    b.catch_up(dd)?;
    let (_, _, seq, hash) = local_log_end(dd)?;
    if seq > 0 {
        let head = crate::audit::head::Head::sign(seq, hash, Vec::new(), &server_key.kid, &key);
        crate::store::fsio::write_atomic(&dd.audit_head_path(), &head.to_bytes()?)?;
    }
    match std::fs::remove_file(b.state_path()) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io("remove", &b.state_path(), e));
        }
        _ => {}
    }
    Ok(PushReport {
        records: u64::try_from(records).unwrap_or_default(),
        events: seq,
    })
}

/// Calls `f(relative path, mode)` for every replicated file below `root` (what is not
/// [`is_local_only`]), in name order.
fn for_each_replicated_file(root: &Path, mut f: impl FnMut(&str, u32) -> Result<()>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![PathBuf::new()];
    while let Some(dir) = stack.pop() {
        let abs = root.join(&dir);
        let mut entries: Vec<_> = match std::fs::read_dir(&abs) {
            Ok(rd) => rd
                .collect::<std::io::Result<_>>()
                .map_err(|e| Error::io("list", &abs, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io("list", &abs, e)),
        };
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let rel = dir.join(entry.file_name());
            let Some(rel_str) = rel.to_str() else {
                continue;
            };
            if is_local_only(rel_str) {
                continue;
            }
            let meta = entry.metadata().map_err(|e| Error::io("read", &abs, e))?;
            if meta.is_dir() {
                stack.push(rel);
            } else if meta.is_file() {
                check_rel(rel_str)?;
                f(rel_str, meta.permissions().mode() & 0o777)?;
            }
        }
    }
    Ok(())
}

/// What [`push_all`] or [`pull_all`] copied.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct PushReport {
    pub records: u64,
    pub events: u64,
}

/// Copies the file log's lines into the (empty) chain, checking every link on the way.
fn push_log(dd: &DataDir, tx: &mut postgres::Transaction<'_>, signer: &HeadSigner) -> Result<u64> {
    use std::io::BufRead;
    let path = dd.audit_log_path();
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("read", &path, e)),
    };
    let mut app = Appender::at(0, crate::audit::line::GENESIS_HASH.to_string());
    let mut n = 0u64;
    let mut pending = 0;
    for (i, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(|e| Error::io("read", &path, e))?;
        if line.is_empty() {
            continue;
        }
        let event: AuditEvent = serde_json::from_slice(&line).map_err(|e| {
            Error::new(
                ErrorCode::DataCorrupt,
                format!("{}:{}: not an audit event: {e}", path.display(), i + 1),
            )
            .with_hint("run `openleash audit verify` and repair the log before copying it")
        })?;
        app.push_encoded(&event, &line)?;
        n += 1;
        pending += 1;
        if pending == 1000 {
            let (seq, prev) = app.end();
            std::mem::replace(&mut app, Appender::at(seq, prev)).write(tx, signer)?;
            pending = 0;
        }
    }
    app.write(tx, signer)?;
    Ok(n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::pg::testdb::TestDb;

    /// The first replica of `db` (config, a signing key, pushed into the empty store).
    fn first(db: &TestDb) -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::at(tmp.path().join("data"));
        std::fs::create_dir_all(dd.path("keys")).unwrap();
        let cfg =
            super::super::setup::config_with_store("audit:\n  fsync: never\n", &db.url()).unwrap();
        let key = crate::keys::ServerKey::generate();
        let mut txn = Txn::default();
        dd.stage_new_active_key(&mut txn, &key).unwrap();
        txn.commit().unwrap();
        std::fs::write(dd.config_path(), cfg).unwrap();
        push_all(&dd, &db.store, &key, true).unwrap();
        let dd = DataDir::open(dd.root()).unwrap();
        (tmp, dd)
    }

    /// Another instance: the config and keys of `of`, nothing else.
    fn join(of: &DataDir) -> (tempfile::TempDir, DataDir) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        std::fs::create_dir_all(root.join("keys")).unwrap();
        std::fs::copy(of.config_path(), root.join("config.yaml")).unwrap();
        for e in std::fs::read_dir(of.path("keys")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), root.join("keys").join(e.file_name())).unwrap();
        }
        let dd = DataDir::open(&root).unwrap();
        (tmp, dd)
    }

    fn write(dd: &DataDir, rel: &str, body: &str) {
        let mut txn = Txn::default();
        txn.write(&dd.path(rel), body.as_bytes().to_vec());
        txn.commit().unwrap();
    }

    fn read(dd: &DataDir, rel: &str) -> Option<String> {
        std::fs::read_to_string(dd.path(rel)).ok()
    }

    #[test]
    fn a_request_nonce_is_recorded_with_its_first_change_on_either_path() {
        let Some(db) = TestDb::new("replica_deferred_nonce") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        let now = std::time::SystemTime::now();
        let pending =
            |n: &str| nonces::PendingNonce::new("agent-1", n, now, Duration::from_secs(600));
        let event = || vec![NewEvent::new("DECISION_CREATED", serde_json::json!({}))];
        let events_before = db.rows("audit_events");
        // A plain decision: the nonce rides in the audit batch.
        let (r, d) = nonces::deferred(pending("n1"), || a.append_audit(event()));
        r.unwrap();
        assert!(matches!(d, nonces::Deferral::Accepted));
        // The same request at the other instance: refused, nothing appended.
        let (r, d) = nonces::deferred(pending("n1"), || b.append_audit(event()));
        assert_eq!(r.unwrap_err().code, ErrorCode::NonceReplay);
        assert!(matches!(d, nonces::Deferral::Replay));
        // A change under the writer lock records the nonce before the section starts …
        let (r, d) = nonces::deferred(pending("n2"), || {
            let lock = b.lock()?;
            b.append_audit_locked(&lock, event())
        });
        r.unwrap();
        assert!(matches!(d, nonces::Deferral::Accepted));
        // … and a replay never gets the lock.
        let (r, _) = nonces::deferred(pending("n2"), || a.lock().map(drop));
        assert_eq!(r.unwrap_err().code, ErrorCode::NonceReplay);
        assert_eq!(db.rows("audit_events"), events_before + 2);
        assert_eq!(db.rows("nonces"), 2);
    }

    #[test]
    fn the_listener_takes_the_lock_only_when_the_store_has_news() {
        let Some(db) = TestDb::new("replica_has_news") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        let (pa, pb) = (a.pg().unwrap().unwrap(), b.pg().unwrap().unwrap());
        let mut c = db.store.connect_one().unwrap();
        pb.catch_up(&b).unwrap();
        assert!(!pb.has_news(Some(&mut c)));
        // A record another instance wrote.
        write(&a, "counters/n", "1");
        assert!(pb.has_news(Some(&mut c)));
        pb.catch_up(&b).unwrap();
        assert!(!pb.has_news(Some(&mut c)));
        // Lines another instance appended; this instance's own appends are applied as they
        // commit, so they are no news.
        a.append_audit(vec![NewEvent::new("E", serde_json::json!({}))])
            .unwrap();
        assert!(pb.has_news(Some(&mut c)));
        assert!(!pa.has_news(Some(&mut c)));
        pb.catch_up(&b).unwrap();
        assert!(!pb.has_news(Some(&mut c)));
        // Without a connection it cannot tell.
        assert!(pb.has_news(None));
    }

    #[test]
    fn sections_of_two_replicas_serialise_on_the_latest_state() {
        let Some(db) = TestDb::new("replica_sections_serialise") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        write(&a, "counters/n", "0");
        std::thread::scope(|s| {
            for dd in [&a, &b, &a, &b] {
                s.spawn(move || {
                    for _ in 0..15 {
                        let lock = dd.lock().unwrap();
                        let n: u64 = read(dd, "counters/n").unwrap().parse().unwrap();
                        let mut txn = Txn::default();
                        txn.write(&dd.path("counters/n"), (n + 1).to_string().into_bytes());
                        txn.commit().unwrap();
                        drop(lock);
                    }
                });
            }
        });
        drop(a.lock().unwrap());
        drop(b.lock().unwrap());
        assert_eq!(read(&a, "counters/n").as_deref(), Some("60"));
        assert_eq!(read(&b, "counters/n").as_deref(), Some("60"));
        // Removals travel too; a commit outside any section takes one of its own.
        let mut txn = Txn::default();
        txn.remove(&b.path("counters/n"));
        txn.commit().unwrap();
        b.pg().unwrap().unwrap().catch_up(&a).unwrap();
        drop(a.lock().unwrap());
        assert_eq!(read(&a, "counters/n"), None);
    }

    #[test]
    fn audit_appends_of_both_replicas_form_one_chain_in_both_logs() {
        let Some(db) = TestDb::new("replica_one_chain") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        std::thread::scope(|s| {
            for (i, dd) in [&a, &b, &a, &b].into_iter().enumerate() {
                s.spawn(move || {
                    for j in 0..10 {
                        let ev = NewEvent::new("TEST", serde_json::json!({"i": i, "j": j}));
                        if j % 2 == 0 {
                            dd.append_audit(vec![ev]).unwrap();
                        } else {
                            let lock = dd.lock().unwrap();
                            dd.append_audit_locked(&lock, vec![ev]).unwrap();
                        }
                    }
                });
            }
        });
        let report = crate::audit::verify(&a).unwrap();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.events, 40);
        for dd in [&a, &b] {
            dd.pg().unwrap().unwrap().catch_up(dd).unwrap();
            let local = std::fs::read_to_string(dd.audit_log_path()).unwrap();
            assert_eq!(local.lines().count(), 40);
            assert!(local.ends_with(&format!("\"{}\"}}\n", report.last_hash.as_deref().unwrap())));
        }
    }

    #[test]
    fn a_record_where_the_store_has_a_directory_refuses_the_whole_commit() {
        let Some(db) = TestDb::new("replica_conflict") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        write(&a, "d/x", "1");
        // B has not seen `d/` yet; the store refuses a record at `d` (and applies nothing).
        std::fs::create_dir_all(b.path("e")).unwrap();
        let mut txn = Txn::default();
        txn.write(&b.path("e/y"), b"2".to_vec());
        std::fs::remove_dir_all(b.path("d")).ok();
        txn.write(&b.path("d"), b"3".to_vec());
        let e = txn.commit().unwrap_err();
        assert_eq!(e.code, ErrorCode::DataCorrupt, "{e:?}");
        drop(b.lock().unwrap());
        assert_eq!(read(&b, "d/x").as_deref(), Some("1"));
        assert_eq!(read(&b, "e/y"), None);
    }

    #[test]
    fn per_instance_files_never_reach_the_store() {
        let Some(db) = TestDb::new("replica_local_only") else {
            return;
        };
        let (_a, a) = first(&db);
        let mut txn = Txn::default();
        for rel in [
            "limits/state.json",
            "outbox/pending/x.json",
            "mcp/s.pins.json",
            "agents/a.yaml",
        ] {
            txn.write(&a.path(rel), b"{}".to_vec());
        }
        std::fs::create_dir_all(a.path("limits")).unwrap();
        std::fs::create_dir_all(a.path("outbox/pending")).unwrap();
        std::fs::create_dir_all(a.path("mcp")).unwrap();
        txn.commit().unwrap();
        let paths: Vec<String> = db
            .store
            .conn()
            .unwrap()
            .query(
                "SELECT path FROM tree_records WHERE NOT is_dir ORDER BY path",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(paths, vec!["agents/a.yaml".to_string()]);
        for rel in [
            "config.yaml",
            "keys/active",
            "audit.log.jsonl",
            ".lock",
            "agents/.tmp-x",
        ] {
            assert!(is_local_only(rel), "{rel}");
        }
        assert!(!is_local_only("owners/x.yaml"));
    }

    #[test]
    fn a_lost_connection_applies_nothing_and_the_next_section_works() {
        let Some(db) = TestDb::new("replica_lost_connection") else {
            return;
        };
        let (_a, a) = first(&db);
        write(&a, "r/x", "before");
        let lock = a.lock().unwrap();
        db.store
            .conn()
            .unwrap()
            .execute(
                // This test's database only: other tests hold advisory locks too.
                "SELECT pg_terminate_backend(pid) FROM pg_locks
                 WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                &[],
            )
            .unwrap();
        let mut txn = Txn::default();
        txn.write(&a.path("r/x"), b"after".to_vec());
        let e = txn.commit().unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable, "{e:?}");
        let e = a
            .append_audit_locked(&lock, vec![NewEvent::new("T", serde_json::Value::Null)])
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable);
        drop(lock);
        assert_eq!(read(&a, "r/x").as_deref(), Some("before"));
        write(&a, "r/x", "again");
        assert_eq!(read(&a, "r/x").as_deref(), Some("again"));
        assert!(crate::audit::verify(&a).unwrap().ok);
    }

    #[test]
    fn a_replica_behind_the_pruned_feed_or_without_state_starts_over() {
        let Some(db) = TestDb::new("replica_resync") else {
            return;
        };
        let (_a, a) = first(&db);
        let (_b, b) = join(&a);
        write(&a, "r/keep", "1");
        write(&a, "r/gone", "1");
        drop(b.lock().unwrap());
        assert_eq!(read(&b, "r/gone").as_deref(), Some("1"));
        let mut txn = Txn::default();
        txn.remove(&a.path("r/gone"));
        txn.write(&a.path("r/keep"), b"2".to_vec());
        txn.commit().unwrap();
        // The feed B would need is pruned away.
        db.store
            .conn()
            .unwrap()
            .batch_execute(
                "UPDATE tree_feed SET pruned_through = (SELECT max(seq) FROM tree_changes);
                 DELETE FROM tree_changes",
            )
            .unwrap();
        drop(b.lock().unwrap());
        assert_eq!(read(&b, "r/keep").as_deref(), Some("2"));
        assert_eq!(read(&b, "r/gone"), None);
        // A lost state file costs a full resync, not an error.
        std::fs::remove_file(b.path(STATE_FILE)).unwrap();
        std::fs::write(b.path("r/stray"), "x").unwrap();
        drop(b.lock().unwrap());
        assert_eq!(read(&b, "r/stray"), None);
        assert_eq!(read(&b, "r/keep").as_deref(), Some("2"));
    }

    #[test]
    fn a_local_log_that_is_not_a_prefix_of_the_chain_is_refused() {
        let Some(db) = TestDb::new("replica_diverged") else {
            return;
        };
        let (_a, a) = first(&db);
        a.append_audit(vec![NewEvent::new("T", serde_json::Value::Null)])
            .unwrap();
        // The last line's hash replaced: the local log no longer ends where the chain does.
        let log = std::fs::read_to_string(a.audit_log_path()).unwrap();
        let cut = log.trim_end().len() - 66;
        let forged = format!("{}{}\"}}\n", &log[..cut], "0".repeat(64));
        std::fs::write(a.audit_log_path(), forged).unwrap();
        let e = a.pg().unwrap().unwrap().catch_up(&a).unwrap_err();
        assert_eq!(e.code, ErrorCode::DataCorrupt);
        assert!(e.message.contains("does not match"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap_or_default().contains("move"));
    }
}
