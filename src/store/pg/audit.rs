//! The audit chain in PostgreSQL (SPEC §19): one chain for every instance, appended with group
//! commit.
//!
//! **One writer per batch.** Every append holds the transaction-scoped advisory lock
//! [`CHAIN_LOCK`] until its commit, so batches of different instances (and the critical sections
//! of `pg::replica`, which hold the same lock for the whole section) append one after the other.
//! The lock is taken *before* any row is touched, so two writers never hold row locks the other
//! waits for (no deadlocks between instances).
//!
//! **One round trip per batch.** An instance remembers where its last append left the chain.
//! A batch is encoded after that end and sent as one statement in its own implicit transaction
//! ([`APPEND_SQL`]): it takes the lock, moves the signed head *only if it still ends there*
//! (compare and swap on `audit_head`, rechecked on the newest row version after the lock was
//! granted) and inserts the rows only if the head moved. A chain another writer extended in the
//! meantime changes nothing; the batch is then encoded again after the chain's real end, read
//! under the lock (the transaction of [`Appender`]). The primary key on `seq` backs both.
//!
//! **Group commit.** Threads [`Chain::append`] events, serialised on their own thread first
//! ([`Prepared`]); the instance's committer thread takes everything queued and commits it at
//! once; every caller is answered only after that commit. Events that arrive meanwhile form the
//! next batch, which the committer starts as soon as the last one is answered: under load it
//! never waits to be woken, so a batch's path holds only the encoding that depends on the
//! chain's end (linking and hashing) and the round trip. [`Chain::stats`] tells how many appends
//! each commit carried.
//!
//! Each row keeps the exact line the file log would hold (SPEC §10 layout, same hash), so
//! [`verify`] runs the file log's verifier over the rows.

use super::group::Slot;
use super::nonces::{NonceColumns, PendingNonce, RECORD_GROUP_SQL, record_with, replay_error};
use super::{PgStore, db_error};
use crate::audit::head::{Head, HeadFile, SigCheck};
use crate::audit::line::{GENESIS_HASH, Prepared};
use crate::audit::verify::{VerifyReport, verify_stream};
use crate::audit::{AuditEvent, NewEvent};
use crate::crypto::ed25519;
use crate::error::{Error, Result};
use ed25519_dalek::SigningKey;
use postgres::{GenericClient, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// The advisory lock key that serialises appends to the chain ("olaudit\0").
pub const CHAIN_LOCK: i64 = 0x6f6c_6175_6469_7400;

/// Most items one commit carries; more wait for the next batch.
const MAX_BATCH: usize = 512;

/// The key that signs heads: the instance's active server key (see `docs/store.md`).
pub struct HeadSigner {
    pub kid: String,
    pub key: SigningKey,
}

/// Where a chain's batches get the key that signs the audit head: asked once per batch.
pub trait SignHeads: Send + Sync {
    fn signer(&self) -> Result<HeadSigner>;
}

/// A fixed key (tools and tests).
impl SignHeads for HeadSigner {
    fn signer(&self) -> Result<HeadSigner> {
        Ok(HeadSigner {
            kid: self.kid.clone(),
            key: self.key.clone(),
        })
    }
}

/// The active key of a data directory, followed across `keys rotate`: the next batch after a
/// rotation signs with the new key, without a restart. `DataDir::active_key` is cached by the
/// key files' identity (two `stat`s per batch), so following it costs no key parsing.
pub struct ActiveKeySigner(pub crate::store::DataDir);

impl SignHeads for ActiveKeySigner {
    fn signer(&self) -> Result<HeadSigner> {
        let (k, key) = self.0.active_key()?;
        Ok(HeadSigner { kid: k.kid, key })
    }
}

/// Items and commits so far (decisions per commit = items / commits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub commits: u64,
    pub items: u64,
    pub largest_batch: u64,
    /// Batches encoded after an end another writer had moved: written at the second try.
    pub second_tries: u64,
    /// Batches that read the chain's end under the lock (a second try, the first batch, or
    /// while another instance appends too).
    pub ends_read: u64,
}

/// What one caller appends: its events, and the nonce of the request that made them when that
/// nonce is to be recorded in the same commit (see `pg::nonces::deferred`).
struct Item {
    /// Serialised by the caller's thread (see [`Prepared`]).
    events: Vec<Prepared>,
    nonce: Option<PendingNonce>,
}

/// What an item is answered with.
type Answer = Result<Vec<AuditEvent>>;

/// One answer per item of a batch, in order.
type Answers = Vec<Answer>;

/// A committed batch's first seq and lines.
type Committed = Option<(i64, Vec<String>)>;

/// Called by the committer after `COMMIT`, before any item is answered, with the seq of the
/// batch's first line and its lines (without newlines): a replica appends them to its local log.
pub type OnCommit = Box<dyn Fn(i64, &[String]) + Send + Sync>;

/// The committer's connection with [`APPEND_SQL`] prepared on it.
struct AppendConn {
    client: postgres::Client,
    append: postgres::Statement,
    /// The second try's statements: [`LOCKED_END_SQL`], [`RECORD_GROUP_SQL`], [`WRITE_SQL`].
    locked_end: postgres::Statement,
    record: postgres::Statement,
    write: postgres::Statement,
}

/// Takes the chain's lock (`$1`, [`CHAIN_LOCK`]), then reads where the chain ends: `FOR UPDATE`
/// returns the head as the last lock holder left it, although the statement's snapshot was
/// taken before the lock was granted. No row: the chain has no head yet (read it from the rows,
/// in a statement of its own).
const LOCKED_END_SQL: &str = "WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($1))
     SELECT seq, hash FROM audit_head WHERE id = 1 AND EXISTS (SELECT 1 FROM locked) FOR UPDATE";

/// Inserts the rows (`$1`–`$3`) and moves the signed head (`$4`–`$8`) unconditionally: for a
/// writer that read the chain's end under the lock in the same transaction.
const WRITE_SQL: &str = "WITH rows AS (
       INSERT INTO audit_events (seq, hash, line)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])
     )
     INSERT INTO audit_head (id, seq, hash, kid, signature, timestamp)
     VALUES (1, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash,
       kid = EXCLUDED.kid, signature = EXCLUDED.signature, timestamp = EXCLUDED.timestamp";

/// The batch statement (see the module documentation): `$1`–`$3` the rows' columns, `$4`–`$8`
/// the new signed head, `$9` [`CHAIN_LOCK`], `$10`/`$11` the end the batch was encoded after,
/// `$12`–`$14` the nonces its requests use (agent, nonce, expiry). Returns how many rows it
/// inserted: all of them, or none when the chain had moved. A nonce already in the table fails
/// the whole statement (`nonces_pkey`): nothing is written, and the batch is done again with its
/// nonces checked one by one ([`record_group`]).
const APPEND_SQL: &str = "WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock($9)),
     head AS (
       UPDATE audit_head SET seq = $4, hash = $5, kid = $6, signature = $7, timestamp = $8
        WHERE id = 1 AND seq = $10 AND hash = $11 AND EXISTS (SELECT 1 FROM locked)
       RETURNING 1
     ),
     rows AS (
       INSERT INTO audit_events (seq, hash, line)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])
        WHERE EXISTS (SELECT 1 FROM head)
       RETURNING 1
     ),
     used AS (
       INSERT INTO nonces (agent_id, nonce, expires_at)
       SELECT * FROM unnest($12::text[], $13::text[], $14::timestamptz[])
        WHERE EXISTS (SELECT 1 FROM head)
     )
     SELECT count(*) FROM rows";

/// The group committer of one instance.
pub struct Chain {
    core: Arc<Core>,
}

/// What the committer thread shares with the appenders.
struct Core {
    store: PgStore,
    signer: Box<dyn SignHeads>,
    /// Where this instance last saw the chain end (`seq`, `hash`): the next batch is encoded
    /// after it. Only a hint — the batch statement checks it — so it has a lock of its own that
    /// a critical section can take while the committer waits for the section's lock.
    tail: Mutex<Option<(i64, String)>>,
    /// Another writer moved the chain between this instance's last two batches: the next batch
    /// reads the end under the lock at once instead of trying `tail` first (which would fail and
    /// cost a round trip), until a batch finds the chain where this instance left it.
    contended: AtomicBool,
    second_tries: AtomicU64,
    ends_read: AtomicU64,
    on_commit: std::sync::OnceLock<OnCommit>,
    work: Mutex<Work>,
    /// Wakes an idle committer.
    arrived: Condvar,
}

/// The committer's queue.
#[derive(Default)]
struct Work {
    /// Items not yet taken, in arrival order, each with the slot its caller waits on.
    queue: Vec<(Item, Arc<Slot<Answer>>)>,
    /// The committer thread was started (it lives as long as the chain).
    started: bool,
    /// It waits for items (so an arrival must wake it).
    idle: bool,
    /// The chain was dropped: the committer ends once the queue is empty.
    closed: bool,
    /// Batches, items and the largest batch so far (the rest of [`Stats`] are atomics).
    stats: Stats,
}

impl Chain {
    /// A committer signing heads with `signer`: a fixed [`HeadSigner`], or an
    /// [`ActiveKeySigner`] that follows a data directory's active key.
    pub fn new(store: PgStore, signer: impl SignHeads + 'static) -> Chain {
        Chain {
            core: Arc::new(Core {
                store,
                signer: Box::new(signer),
                tail: Mutex::new(None),
                contended: AtomicBool::new(false),
                second_tries: AtomicU64::new(0),
                ends_read: AtomicU64::new(0),
                on_commit: std::sync::OnceLock::new(),
                work: Mutex::new(Work::default()),
                arrived: Condvar::new(),
            }),
        }
    }

    /// Sets what the committer does with each committed batch's lines (once; later calls are
    /// ignored).
    pub fn on_commit(&self, f: OnCommit) {
        let _ = self.core.on_commit.set(f);
    }

    /// Tells the committer where the chain ends after an append made outside it (a critical
    /// section's), so that its next batch needs no second try.
    pub(crate) fn chain_moved_to(&self, seq: i64, hash: String) {
        *relock(&self.core.tail) = Some((seq, hash));
    }

    /// Appends `events` and returns them as written, after commit.
    pub fn append(&self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        self.append_with(events, None)
    }

    /// [`Chain::append`] for a request whose `nonce` is recorded in the same commit:
    /// `NONCE_REPLAY` (and nothing appended) when it was used already.
    ///
    /// The events are serialised here, on the caller's thread; the committer only links them
    /// into the chain. It runs on a thread of its own, so under load it goes from one batch to
    /// the next without waiting to be woken: a batch leader handing over to the next one cost
    /// a wake-up on every batch's path (about 0.2 ms on a busy 2-core host; BENCHMARKS.md).
    pub fn append_with(&self, events: Vec<NewEvent>, nonce: Option<PendingNonce>) -> Answer {
        let events = events
            .into_iter()
            .map(Prepared::new)
            .collect::<Result<Vec<_>>>()?;
        let slot = Arc::new(Slot::new());
        {
            let mut w = relock(&self.core.work);
            if !w.started {
                let core = self.core.clone();
                std::thread::Builder::new()
                    .name("openleash-chain".into())
                    .spawn(move || core.commit_loop())
                    .map_err(|e| {
                        Error::internal(format!("cannot start the audit committer thread: {e}"))
                    })?;
                w.started = true;
            }
            w.queue.push((Item { events, nonce }, slot.clone()));
            if w.idle {
                w.idle = false;
                self.core.arrived.notify_one();
            }
        }
        slot.take()
    }

    pub fn stats(&self) -> Stats {
        Stats {
            second_tries: self.core.second_tries.load(Ordering::Relaxed),
            ends_read: self.core.ends_read.load(Ordering::Relaxed),
            ..relock(&self.core.work).stats
        }
    }
}

impl Drop for Chain {
    fn drop(&mut self) {
        let mut w = relock(&self.core.work);
        w.closed = true;
        self.core.arrived.notify_one();
    }
}

impl Core {
    /// The committer thread: takes everything queued, commits it as one batch, hands the lines
    /// to [`Chain::on_commit`], answers every item, and goes on while items wait.
    fn commit_loop(&self) {
        // One batch runs at a time, so one connection serves them all without a pool checkout
        // per commit. Dropped when it fails, made anew for the next batch.
        let mut conn: Option<AppendConn> = None;
        loop {
            let (items, slots): (Vec<Item>, Vec<Arc<Slot<Answer>>>) = {
                let mut w = relock(&self.work);
                while w.queue.is_empty() {
                    if w.closed {
                        return;
                    }
                    w.idle = true;
                    w = self
                        .arrived
                        .wait(w)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                w.idle = false;
                let take = w.queue.len().min(MAX_BATCH);
                w.queue.drain(..take).unzip()
            };
            let n = items.len();
            let (mut answers, committed) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.run_batch(&mut conn, items)
                }))
                .unwrap_or_else(|_| {
                    // Whatever the connection was in the middle of, it is not reused.
                    conn = None;
                    *relock(&self.tail) = None;
                    (Vec::new(), None)
                });
            // A short answer list would leave callers waiting forever.
            answers.truncate(n);
            while answers.len() < n {
                answers.push(Err(Error::internal(
                    "an audit commit panicked; nothing of it was committed",
                )));
            }
            {
                let mut w = relock(&self.work);
                w.stats.commits += 1;
                w.stats.items += n as u64;
                w.stats.largest_batch = w.stats.largest_batch.max(n as u64);
            }
            if let (Some(f), Some((first, lines))) = (self.on_commit.get(), committed) {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(first, &lines)));
            }
            for (slot, answer) in slots.iter().zip(answers) {
                slot.put(answer);
            }
        }
    }

    /// Runs and commits one batch: one answer per item, and the committed lines (for
    /// [`Chain::on_commit`]).
    fn run_batch(&self, slot: &mut Option<AppendConn>, batch: Vec<Item>) -> (Answers, Committed) {
        let n = batch.len();
        let fail_all = |e: &Error| -> (Answers, Committed) {
            ((0..n).map(|_| Err(e.duplicate())).collect(), None)
        };
        if slot.as_ref().is_some_and(|c| c.client.is_closed()) {
            *slot = None;
        }
        let conn = match slot.as_mut() {
            Some(c) => c,
            None => match self.connect() {
                Ok(c) => slot.insert(c),
                Err(e) => return fail_all(&e),
            },
        };
        match self.commit_batch(conn, batch) {
            Ok(results) => results,
            Err(e) => {
                // The chain's end is unknown after a failure: the next batch reads it.
                *relock(&self.tail) = None;
                if e.code == crate::error::ErrorCode::StoreUnavailable {
                    // The server went away (a restart?): the next batch connects anew.
                    *slot = None;
                }
                fail_all(&e)
            }
        }
    }

    fn connect(&self) -> Result<AppendConn> {
        let mut client = self.store.connect_one()?;
        let mut prepare = |sql: &str| {
            client
                .prepare(sql)
                .map_err(|e| db_error("prepare the audit append", e))
        };
        let append = prepare(APPEND_SQL)?;
        let locked_end = prepare(LOCKED_END_SQL)?;
        let record = prepare(RECORD_GROUP_SQL)?;
        let write = prepare(WRITE_SQL)?;
        Ok(AppendConn {
            client,
            append,
            locked_end,
            record,
            write,
        })
    }

    fn commit_batch(
        &self,
        conn: &mut AppendConn,
        batch: Vec<Item>,
    ) -> Result<(Answers, Committed)> {
        // Before any lock: a key that cannot be read fails the batch without holding the
        // chain's lock.
        let signer = self.signer.signer()?;
        let (mut events, nonces): (Vec<Vec<Prepared>>, Vec<Option<PendingNonce>>) =
            batch.into_iter().map(|i| (i.events, i.nonce)).unzip();
        let hint = relock(&self.tail).clone();
        let contended = self.contended.load(Ordering::Relaxed);
        if let Some((seq, hash)) = hint.clone().filter(|_| !contended) {
            let mut chain = Appender::at(seq, hash.clone());
            let written: Vec<Vec<AuditEvent>> =
                events.into_iter().map(|e| chain.push_prepared(e)).collect();
            let end = chain.end();
            let used = NonceColumns::sorted(nonces.iter().flatten(), false);
            match chain.write_if_at(&mut conn.client, &conn.append, &signer, (seq, &hash), &used) {
                Ok(true) => {
                    *relock(&self.tail) = Some(end);
                    let committed = self.committed_lines(&mut chain);
                    return Ok((written.into_iter().map(Ok).collect(), committed));
                }
                // Another writer extended the chain since: nothing was written.
                Ok(false) => {
                    self.second_tries.fetch_add(1, Ordering::Relaxed);
                }
                // A nonce of the batch was used already: nothing was written.
                Err(e) if is_nonce_conflict(&e) => {}
                Err(e) => return Err(db_error("append to the audit chain", e)),
            }
            // Encode the same events again after the chain's real end.
            events = written
                .into_iter()
                .map(|w| {
                    w.into_iter()
                        .map(|e| Prepared::new(NewEvent::from(e)))
                        .collect()
                })
                .collect::<Result<_>>()?;
        }
        let mut tx = conn
            .client
            .transaction()
            .map_err(|e| db_error("start an audit commit", e))?;
        let end = tx
            .query_opt(&conn.locked_end, &[&CHAIN_LOCK])
            .map_err(|e| db_error("lock the audit chain", e))?;
        let mut chain = match end {
            Some(row) => Appender::at(row.get(0), row.get(1)),
            None => Appender::start(&mut tx)?,
        };
        self.ends_read.fetch_add(1, Ordering::Relaxed);
        let moved = hint.is_some_and(|h| h != chain.end());
        self.contended.store(moved, Ordering::Relaxed);
        // Each nonce checked on its own (a replay, or a row whose TTL ran out, is told apart):
        // a request whose nonce was used appends nothing.
        let checks: Vec<&PendingNonce> = nonces.iter().flatten().collect();
        let fresh = if checks.is_empty() {
            Vec::new()
        } else {
            record_with(&mut tx, &conn.record, &checks)
                .map_err(|e| db_error("record a nonce", e))?
        };
        let mut fresh = fresh.into_iter();
        let mut answers: Answers = Vec::with_capacity(events.len());
        for (events, nonce) in events.into_iter().zip(&nonces) {
            if nonce.is_some() && fresh.next() == Some(false) {
                answers.push(Err(replay_error()));
            } else {
                answers.push(Ok(chain.push_prepared(events)));
            }
        }
        let end = chain.end();
        chain.write_with(&mut tx, &conn.write, &signer)?;
        // A synchronous commit: durable when it returns, and so is every batch before it.
        tx.commit()
            .map_err(|e| db_error("commit to the audit chain", e))?;
        *relock(&self.tail) = Some(end);
        Ok((answers, self.committed_lines(&mut chain)))
    }

    /// The written batch's first seq and lines (taken from `chain`), when a replica wants them.
    fn committed_lines(&self, chain: &mut Appender) -> Committed {
        let n = chain.lines().len() as i64;
        (self.on_commit.get().is_some() && n > 0)
            .then(|| (chain.end().0 - n + 1, chain.take_lines()))
    }
}

/// Whether a batch statement failed on a nonce already used (or on a deadlock with another
/// writer of the same nonce): nothing of it was written.
fn is_nonce_conflict(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    match e.code() {
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED => true,
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => {
            e.as_db_error().and_then(|d| d.constraint()) == Some("nonces_pkey")
        }
        _ => false,
    }
}

/// A mutex whose data stays consistent even if a holder panicked (plain values, replaced whole).
fn relock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Appends to the chain: the group committer's batches, a critical section's appends
/// (`pg::replica`) and a copy into the store (`replica::push_all`) all go through it, so every
/// row is encoded, linked and signed the same way.
pub(crate) struct Appender {
    seq: i64,
    prev: String,
    rows: Rows,
    /// The length of the last line encoded: the next one's buffer starts that large.
    line_hint: usize,
}

impl Appender {
    /// Reads where the chain ends. The caller holds [`CHAIN_LOCK`] in `c`'s transaction.
    pub(crate) fn start(c: &mut impl GenericClient) -> Result<Appender> {
        let (seq, prev) = chain_end(c)?;
        Ok(Appender::at(seq, prev))
    }

    /// An appender for a chain known to end at `(seq, prev)` (read under [`CHAIN_LOCK`]).
    pub(crate) fn at(seq: i64, prev: String) -> Appender {
        Appender {
            seq,
            prev,
            rows: Rows::default(),
            line_hint: 512,
        }
    }

    /// Encodes `events` after what was appended so far and returns them as they will be
    /// written. All or nothing: an event that cannot be encoded leaves the appender unchanged.
    pub(crate) fn push(&mut self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        let prepared = events
            .into_iter()
            .map(Prepared::new)
            .collect::<Result<Vec<_>>>()?;
        Ok(self.push_prepared(prepared))
    }

    /// [`Appender::push`] for events serialised already.
    fn push_prepared(&mut self, events: Vec<Prepared>) -> Vec<AuditEvent> {
        let mut written = Vec::with_capacity(events.len());
        for ev in events {
            self.seq += 1;
            // Each line is encoded into a buffer of its own that becomes the row's text: no copy.
            let mut line = Vec::with_capacity(self.line_hint);
            let seq = u64::try_from(self.seq).unwrap_or_default();
            let event = ev.encode(seq, &self.prev, &mut line);
            self.line_hint = line.len();
            self.prev.clone_from(&event.hash);
            self.rows.push_owned(&event, line);
            written.push(event);
        }
        written
    }

    /// Adds a line already encoded elsewhere (a file log being copied into the store): it must
    /// continue the chain exactly (next seq, linked to the previous hash).
    pub(crate) fn push_encoded(&mut self, event: &AuditEvent, line: &[u8]) -> Result<()> {
        let seq =
            i64::try_from(event.seq).map_err(|_| Error::internal("audit seq out of range"))?;
        if seq != self.seq + 1 || event.prev_hash != self.prev {
            return Err(Error::new(
                crate::error::ErrorCode::DataCorrupt,
                format!(
                    "audit event {} does not continue the chain at seq {} (run `openleash audit verify`)",
                    event.seq, self.seq
                ),
            ));
        }
        self.rows.push(event, line);
        self.seq = seq;
        self.prev.clone_from(&event.hash);
        Ok(())
    }

    /// Where the chain ends after what was pushed: `(seq, hash)`.
    pub(crate) fn end(&self) -> (i64, String) {
        (self.seq, self.prev.clone())
    }

    /// The lines pushed so far, without their final newline (what the file log holds).
    pub(crate) fn lines(&self) -> &[String] {
        &self.rows.line
    }

    /// Moves the lines out once they were written (nothing is left to write).
    fn take_lines(&mut self) -> Vec<String> {
        std::mem::take(&mut self.rows.line)
    }

    /// Inserts the pushed rows and moves the signed head to the new end (nothing when no row
    /// was pushed). Visible to others once the caller's transaction commits.
    pub(crate) fn write(self, c: &mut impl GenericClient, signer: &HeadSigner) -> Result<()> {
        self.write_with(c, WRITE_SQL, signer)
    }

    /// [`Appender::write`] with [`WRITE_SQL`] as given (text, or prepared on `c`).
    fn write_with<S: postgres::ToStatement + ?Sized>(
        &self,
        c: &mut impl GenericClient,
        statement: &S,
        signer: &HeadSigner,
    ) -> Result<()> {
        if self.rows.seq.is_empty() {
            return Ok(());
        }
        let head = self.signed_head(signer);
        // Rows and head in one statement: one round trip per batch less.
        c.execute(statement, &self.params(&head))
            .map_err(|e| db_error("append to the audit chain", e))?;
        Ok(())
    }

    /// Commits the pushed rows, the new signed head and the batch's nonces by themselves
    /// ([`APPEND_SQL`], prepared as `append`, outside any transaction of the caller) if the chain
    /// still ends at `expected`, the end this appender started from. `false`: the chain had
    /// moved and nothing was written. An error leaves nothing written either.
    fn write_if_at(
        &self,
        c: &mut postgres::Client,
        append: &postgres::Statement,
        signer: &HeadSigner,
        expected: (i64, &str),
        used: &NonceColumns<'_>,
    ) -> std::result::Result<bool, postgres::Error> {
        if self.rows.seq.is_empty() {
            // Nothing to append (and no head to move): the transaction's path records any
            // nonces.
            return Ok(false);
        }
        let head = self.signed_head(signer);
        let mut params = self.params(&head);
        params.extend_from_slice(&[
            &CHAIN_LOCK,
            &expected.0,
            &expected.1,
            &used.agent_id,
            &used.nonce,
            &used.expires_at,
        ]);
        let inserted: i64 = c.query_one(append, &params)?.get(0);
        Ok(inserted == self.rows.seq.len() as i64)
    }

    /// `$1`–`$8` of both append statements: the rows' columns, then the new head.
    fn params<'a>(&'a self, head: &'a Head) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
        let rows = &self.rows;
        vec![
            &rows.seq,
            &rows.hash,
            &rows.line,
            &self.seq,
            &head.hash,
            &head.kid,
            &head.signature,
            &head.timestamp,
        ]
    }

    /// The head of the chain after what was pushed, signed by `signer`.
    fn signed_head(&self, signer: &HeadSigner) -> Head {
        Head::sign(
            u64::try_from(self.seq).unwrap_or_default(),
            self.prev.clone(),
            Vec::new(),
            &signer.kid,
            &signer.key,
        )
    }
}

/// The columns of the rows a batch inserts, as arrays for one `unnest` insert. The line holds
/// every field; `hash` is a column of its own because finding the chain's end reads it.
#[derive(Default)]
struct Rows {
    seq: Vec<i64>,
    hash: Vec<String>,
    line: Vec<String>,
}

impl Rows {
    fn push(&mut self, e: &AuditEvent, line: &[u8]) {
        self.push_owned(e, line.to_vec());
    }

    fn push_owned(&mut self, e: &AuditEvent, mut line: Vec<u8>) {
        self.seq.push(i64::try_from(e.seq).unwrap_or(i64::MAX));
        self.hash.push(e.hash.clone());
        // The encoder writes JSON (UTF-8) and a final newline, which the row does not keep.
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        let text = String::from_utf8(line)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        self.line.push(text);
    }
}

/// The last `(seq, hash)` of the chain; `(0, GENESIS_HASH)` when it is empty.
fn chain_end(c: &mut impl GenericClient) -> Result<(i64, String)> {
    let row = c
        .query_opt(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .map_err(|e| db_error("read the end of the audit chain", e))?;
    Ok(row.map_or((0, GENESIS_HASH.to_string()), |r| (r.get(0), r.get(1))))
}

/// Registers a server key's public part, so any instance can check heads and proofs it signed.
pub fn publish_key(
    c: &mut impl postgres::GenericClient,
    key: &crate::keys::ServerKey,
    active: bool,
) -> Result<()> {
    if active {
        c.execute(
            "UPDATE server_keys SET active = false WHERE active AND kid <> $1",
            &[&key.kid],
        )
        .map_err(|e| db_error("publish a server key", e))?;
    }
    // The row keeps the key's own creation time, so every instance lists the same keys in the
    // same order with the same dates; a revocation, once published, stays (the first time).
    let time = |t: &str| crate::timefmt::parse(t).map(std::time::SystemTime::from);
    let created = time(&key.created_at);
    let revoked = key.revoked_at.as_deref().and_then(time);
    c.execute(
        "INSERT INTO server_keys (kid, public_key, active, created_at, revoked_at)
         VALUES ($1, $2, $3, COALESCE($4, now()), $5)
         ON CONFLICT (kid) DO UPDATE SET active = EXCLUDED.active,
           revoked_at = COALESCE(server_keys.revoked_at, EXCLUDED.revoked_at)",
        &[&key.kid, &key.public_key_b64, &active, &created, &revoked],
    )
    .map_err(|e| db_error("publish a server key", e))?;
    Ok(())
}

/// Rows fetched per round trip while verifying.
const VERIFY_CHUNK: i32 = 4096;

/// `audit verify` against the database: the chain's rows, in `seq` order, through the file
/// log's verifier, and the signed head checked with the public keys in `server_keys`. Reads in
/// one repeatable-read snapshot, so appends racing with it are simply not seen.
pub fn verify(store: &PgStore) -> Result<VerifyReport> {
    let mut conn = store.conn()?;
    let mut tx = conn
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| db_error("start reading the audit chain", e))?;
    let head = match tx
        .query_opt(
            "SELECT seq, hash, kid, signature, timestamp FROM audit_head WHERE id = 1",
            &[],
        )
        .map_err(|e| db_error("read the signed audit head", e))?
    {
        None => HeadFile::Missing,
        Some(r) => match u64::try_from(r.get::<_, i64>(0)) {
            Ok(seq) => HeadFile::Present(
                Head {
                    seq,
                    hash: r.get(1),
                    kid: r.get(2),
                    signature: r.get(3),
                    timestamp: r.get(4),
                    unsealed: Vec::new(),
                },
                Vec::new(),
            ),
            Err(_) => HeadFile::Unreadable("its seq is negative".into()),
        },
    };
    let keys: HashMap<String, (String, bool)> = tx
        .query(
            "SELECT kid, public_key, revoked_at IS NOT NULL FROM server_keys",
            &[],
        )
        .map_err(|e| db_error("read the server keys", e))?
        .into_iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect();
    let check = |h: &Head| -> Result<SigCheck> {
        let Some((public, revoked)) = keys.get(&h.kid) else {
            return Ok(SigCheck::UnknownKey);
        };
        let vk = ed25519::parse_public_key(public)?;
        Ok(
            if ed25519::verify_b64(&vk, &h.signing_input(), &h.signature) {
                SigCheck::Valid { revoked: *revoked }
            } else {
                SigCheck::Invalid
            },
        )
    };
    let portal = tx
        .bind("SELECT line FROM audit_events ORDER BY seq", &[])
        .map_err(|e| db_error("read the audit chain", e))?;
    let reader = RowLines {
        tx: &mut tx,
        portal,
        buf: Vec::new(),
        pos: 0,
        done: false,
    };
    verify_stream(
        format!("audit_events in {}", store.url()),
        reader,
        head,
        &check,
    )
}

/// The chain's lines as one byte stream, fetched a chunk of rows at a time.
struct RowLines<'a, 't> {
    tx: &'a mut Transaction<'t>,
    portal: postgres::Portal,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
}

impl std::io::Read for RowLines<'_, '_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.buf.len() && !self.done {
            let rows = self
                .tx
                .query_portal(&self.portal, VERIFY_CHUNK)
                .map_err(std::io::Error::other)?;
            self.done = rows.len() < VERIFY_CHUNK as usize;
            self.buf.clear();
            self.pos = 0;
            for r in rows {
                self.buf.extend_from_slice(r.get::<_, &str>(0).as_bytes());
                self.buf.push(b'\n');
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::ProblemKind;
    use crate::error::ErrorCode;
    use crate::keys::ServerKey;
    use crate::store::pg::testdb::TestDb;
    use serde_json::json;

    fn chain(db: &TestDb) -> (Chain, ServerKey) {
        let key = ServerKey::generate();
        publish_key(&mut *db.store.conn().unwrap(), &key, true).unwrap();
        let signer = HeadSigner {
            kid: key.kid.clone(),
            key: key.signing_key().unwrap(),
        };
        (Chain::new(db.store.clone(), signer), key)
    }

    #[test]
    fn concurrent_appends_form_one_verified_chain_in_fewer_commits() {
        let Some(db) = TestDb::new("concurrent_appends_one_chain") else {
            return;
        };
        let (c, _) = chain(&db);
        std::thread::scope(|s| {
            for t in 0..8 {
                let c = &c;
                s.spawn(move || {
                    for i in 0..25 {
                        let ev = c
                            .append(vec![NewEvent::new("E", json!({"t": t, "i": i}))])
                            .unwrap();
                        assert_eq!(ev.len(), 1);
                    }
                });
            }
        });
        let st = c.stats();
        assert_eq!(st.items, 200);
        assert!(st.commits <= st.items);
        eprintln!("group commit: {} items in {} commits", st.items, st.commits);
        let r = verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.events, r.last_seq), (200, Some(200)));
        assert_eq!(r.head.unwrap().seq, 200);
    }

    #[test]
    fn two_instances_share_one_chain_and_lines_match_the_file_format() {
        let Some(db) = TestDb::new("two_instances_share_one_chain") else {
            return;
        };
        // Two committers (two instances) on one database, each with its own key.
        let (a, _) = chain(&db);
        let (b, _) = chain(&db);
        std::thread::scope(|s| {
            for t in 0..4 {
                let c = if t % 2 == 0 { &a } else { &b };
                s.spawn(move || {
                    for i in 0..10 {
                        c.append(vec![
                            NewEvent::new("E", json!({"t": t, "i": i})).principal("p"),
                            NewEvent::new("F", serde_json::Value::Null),
                        ])
                        .unwrap();
                    }
                });
            }
        });
        let r = verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!(r.events, 80);
        // Every row is a line the file log's parser accepts, with a matching hash.
        let mut conn = db.store.conn().unwrap();
        for row in conn.query("SELECT line FROM audit_events", &[]).unwrap() {
            let line: String = row.get(0);
            let raw = crate::audit::line::parse_raw(line.as_bytes()).unwrap();
            assert!(raw.hash_matches());
        }
    }

    #[test]
    fn a_batch_after_a_stale_end_is_encoded_again_after_the_real_one() {
        let Some(db) = TestDb::new("a_batch_after_a_stale_end") else {
            return;
        };
        // Each committer remembers where its own last batch left the chain; the other one
        // moves it in between, so every second batch starts from a stale end.
        let (a, _) = chain(&db);
        let (b, _) = chain(&db);
        for i in 0..6 {
            let c = if i % 2 == 0 { &a } else { &b };
            let ev = c.append(vec![NewEvent::new("E", json!({"i": i}))]).unwrap();
            assert_eq!(ev[0].seq, i + 1);
        }
        // An append outside the committer (a critical section's) moves the chain too.
        let mut conn = db.store.conn().unwrap();
        let mut tx = conn.transaction().unwrap();
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])
            .unwrap();
        let mut app = Appender::start(&mut tx).unwrap();
        app.push(vec![NewEvent::new("S", json!({}))]).unwrap();
        let (seq, hash) = app.end();
        let (signer, _) = chain(&db);
        app.write(&mut tx, &signer.core.signer.signer().unwrap())
            .unwrap();
        tx.commit().unwrap();
        // As `pg::replica` does after a section's append.
        a.chain_moved_to(seq, hash);
        // Each committer tried its stale end once; then, seeing another writer, it read the end
        // under the lock at once.
        assert_eq!((a.stats().second_tries, b.stats().second_tries), (1, 1));
        assert_eq!((a.stats().ends_read, b.stats().ends_read), (3, 3));
        // The section told `a` where the chain ends: one more read finds it there …
        let ev = a.append(vec![NewEvent::new("E", json!({"i": 7}))]).unwrap();
        assert_eq!(ev[0].seq, 8);
        assert_eq!(a.stats().ends_read, 4);
        // … and with nobody else writing, batches go through at the first try.
        a.append(vec![NewEvent::new("E", json!({"i": 8}))]).unwrap();
        assert_eq!((a.stats().second_tries, a.stats().ends_read), (1, 4));
        let r = verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.events, r.head.unwrap().seq), (9, 9));
        // Nothing of a stale try was left behind.
        assert_eq!(db.rows("audit_events"), 9);
    }

    fn nonce(n: &str) -> PendingNonce {
        let keep = std::time::Duration::from_secs(600);
        PendingNonce::new("agent-1", n, std::time::SystemTime::now(), keep)
    }

    #[test]
    fn a_nonce_rides_in_its_batch_and_a_replay_appends_nothing() {
        let Some(db) = TestDb::new("a_nonce_rides_in_its_batch") else {
            return;
        };
        let (a, _) = chain(&db);
        let (b, _) = chain(&db);
        // Used already (by a signed read, say).
        let mut conn = db.store.conn().unwrap();
        let taken = nonce("taken");
        assert_eq!(
            super::super::nonces::record_group(&mut *conn, &[&taken]).unwrap(),
            [true]
        );
        let outcomes = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for t in 0..12 {
                // Two committers (instances): every second batch starts from a stale end.
                let c = if t % 2 == 0 { &a } else { &b };
                let outcomes = &outcomes;
                s.spawn(move || {
                    // Threads 0..4 send "dup" (one wins), thread 5 the used nonce.
                    let n = match t {
                        0..=3 => "dup".to_string(),
                        5 => "taken".to_string(),
                        _ => format!("n{t}"),
                    };
                    let r = c.append_with(
                        vec![NewEvent::new("DECISION_CREATED", json!({"t": t}))],
                        Some(nonce(&n)),
                    );
                    outcomes.lock().unwrap().push((t, r.map(|w| w.len())));
                });
            }
        });
        let outcomes = outcomes.into_inner().unwrap();
        let ok = outcomes.iter().filter(|(_, r)| r.is_ok()).count();
        let replays: Vec<usize> = outcomes
            .iter()
            .filter(|(_, r)| r.as_ref().is_err_and(|e| e.code == ErrorCode::NonceReplay))
            .map(|(t, _)| *t)
            .collect();
        assert_eq!((ok, replays.len()), (8, 4), "{outcomes:?}");
        assert!(replays.contains(&5));
        let r = verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!(r.events, 8, "a refused request appended nothing");
        // "taken", "dup" and seven fresh ones; none twice after a second try.
        assert_eq!(db.rows("nonces"), 9);
    }

    #[test]
    fn tampering_is_found() {
        let Some(db) = TestDb::new("tampering_is_found") else {
            return;
        };
        let (c, _) = chain(&db);
        let mut conn = db.store.conn().unwrap();
        c.append(vec![NewEvent::new("DECISION_CREATED", json!({}))])
            .unwrap();
        c.append(vec![NewEvent::new("E", json!({"x": 1}))]).unwrap();
        c.append(vec![NewEvent::new("E", json!({"x": 2}))]).unwrap();
        assert!(verify(&db.store).unwrap().ok);

        conn.execute(
            "UPDATE audit_events SET line = replace(line, '\"x\":1', '\"x\":9') WHERE seq = 2",
            &[],
        )
        .unwrap();
        let r = verify(&db.store).unwrap();
        assert!(!r.ok);
        assert_eq!(
            (r.problems[0].kind, r.problems[0].seq, r.problems[0].field),
            (ProblemKind::BrokenLink, Some(2), Some("hash"))
        );
        conn.execute("DELETE FROM audit_events WHERE seq = 3", &[])
            .unwrap();
        let r = verify(&db.store).unwrap();
        assert!(
            r.problems.iter().any(|p| p.kind == ProblemKind::Truncated),
            "{r:?}"
        );
        conn.execute("UPDATE audit_head SET seq = 1", &[]).unwrap();
        let r = verify(&db.store).unwrap();
        assert!(r.has(ProblemKind::HeadSignatureInvalid), "{r:?}");
        conn.execute("UPDATE audit_head SET kid = 'nobody'", &[])
            .unwrap();
        assert!(verify(&db.store).unwrap().has(ProblemKind::HeadUnknownKey));
    }

    #[test]
    fn a_down_database_is_store_unavailable() {
        let store = PgStore::connect(&crate::config::StoreConfig {
            backend: "postgres".into(),
            // Port 1 on loopback: nothing listens there.
            url: "postgres://nobody@127.0.0.1:1/x".into(),
            pool_size: 1,
            connect_timeout_seconds: 1,
        })
        .unwrap();
        let c = Chain::new(
            store.clone(),
            HeadSigner {
                kid: "k".into(),
                key: ed25519::generate(),
            },
        );
        let e = c.append(vec![NewEvent::new("E", json!({}))]).unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable);
        assert_eq!(e.http_status(), 503);
        assert_eq!(e.exit_code(), 69);
        assert!(e.hint.is_some());
        assert_eq!(store.health().state, "unavailable");
    }

    #[test]
    fn a_killed_connection_fails_with_503_and_the_pool_reconnects() {
        let Some(db) = TestDb::new("a_killed_connection_reconnects") else {
            return;
        };
        let (c, _) = chain(&db);
        c.append(vec![NewEvent::new("E", json!({"n": 1}))]).unwrap();
        // What a PostgreSQL restart does to open connections.
        let mut admin = postgres::Client::connect(
            &std::env::var(crate::store::pg::testdb::URL_ENV).unwrap(),
            postgres::NoTls,
        )
        .unwrap();
        let killed = admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                &[&db.name],
            )
            .unwrap();
        assert!(killed >= 1);
        // Pooled connections are checked on checkout: the dead ones are replaced.
        assert_eq!(db.store.health().state, "ok");
        let e = c
            .append(vec![NewEvent::new("E", json!({"n": 2}))])
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable, "{e}");
        // The broken connection left the pool: the next append connects anew.
        let ev = c.append(vec![NewEvent::new("E", json!({"n": 3}))]).unwrap();
        assert_eq!(ev[0].seq, 2, "the failed append left nothing behind");
        assert!(verify(&db.store).unwrap().ok);
    }

    /// Not a test of speed (none is asserted): the chain alone, without HTTP, signatures or
    /// policies — what the database sustains for decisions (three events of about 600, 900 and
    /// 1,800 bytes and a nonce each) from `OPENLEASH_CHAIN_BENCH_THREADS` threads (default 16)
    /// and `OPENLEASH_CHAIN_BENCH_COMMITTERS` committers (instances, default 1). Prints
    /// decisions per second and per commit, for BENCHMARKS.md. Run with `--release --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn group_commit_throughput() {
        let Some(db) = TestDb::new("group_commit_throughput") else {
            return;
        };
        let env = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        let threads = env("OPENLEASH_CHAIN_BENCH_THREADS", 16);
        let committers: Vec<Chain> = (0..env("OPENLEASH_CHAIN_BENCH_COMMITTERS", 1))
            .map(|_| chain(&db).0)
            .collect();
        let pad = |n: usize| "x".repeat(n);
        let started = std::time::Instant::now();
        std::thread::scope(|s| {
            for t in 0..threads {
                let c = &committers[t % committers.len()];
                let pad = &pad;
                s.spawn(move || {
                    for i in 0..400 {
                        let events = vec![
                            NewEvent::new("AUTHORIZE_CALLED", json!({ "p": pad(700) })),
                            NewEvent::new("DECISION_CREATED", json!({ "p": pad(1500) })),
                            NewEvent::new("PROOF_ISSUED", json!({ "p": pad(450) })),
                        ];
                        c.append_with(events, Some(nonce(&format!("{t}-{i}"))))
                            .unwrap();
                    }
                });
            }
        });
        let secs = started.elapsed().as_secs_f64();
        let (items, commits) = committers.iter().fold((0, 0), |(i, c), ch| {
            let st = ch.stats();
            (i + st.items, c + st.commits)
        });
        eprintln!(
            "{threads} threads, {} committer(s): {items} decisions in {secs:.2}s = {:.0}/s; {commits} commits, {:.1} decisions/commit",
            committers.len(),
            items as f64 / secs,
            items as f64 / commits as f64,
        );
        assert!(verify(&db.store).unwrap().ok);
    }
}
