//! [`PgTree`]: the [`Tree`] seam on PostgreSQL, shared by every instance and CLI process.
//!
//! **Rows.** Each record is a row of `tree_records` (`path`, `parent`, `name`, `body` byte for
//! byte, `mode`, `version`); directories are rows too, so a listing is a range scan of the
//! `(parent, name)` index. Every write or removal also inserts a row into `tree_changes`
//! (`seq bigserial`, `path`) in the same transaction; a record's `version` is the `seq` of the
//! change that last wrote it.
//!
//! **Critical sections.** [`Tree::lock`] is `BEGIN` + `pg_advisory_xact_lock(CHAIN_LOCK)` — the
//! key the audit chain's group committer takes — on a connection of this tree, so sections of
//! every instance, every CLI process and the chain's batches run one after the other, as
//! processes on one data directory do around `.lock`. Because seqs are drawn under that lock,
//! `seq` order is commit order. Commits run their SQL at once inside the transaction (visible to
//! the holder, through an overlay of its own changes); `finish` is `COMMIT` (with `NOTIFY`);
//! dropping the section or a failed statement rolls everything back. Audit events appended
//! within the section ([`PgTreeLock::append_audit`]) are rows of the same transaction, encoded
//! by the chain's own [`Appender`]. A lost connection is `STORE_UNAVAILABLE`; nothing of the
//! section is applied, and the next section connects anew.
//!
//! **Cache and freshness.** Reads are served from an in-process cache of records and listings
//! (absence included). It follows the change feed:
//! - *under the lock* the cache catches up exactly: the query that takes the lock also returns
//!   every change after the last one this instance saw (one round trip), so a holder never reads
//!   a stale record;
//! - *outside the lock* a background thread keeps a `LISTEN openleash_tree` connection: each
//!   commit's `NOTIFY` wakes it and it catches up from the feed; without notifications it polls
//!   the feed every [`POLL`]. Unlocked reads trust the cache only while the last catch-up is at
//!   most [`STALE_BOUND`] old — so a change is seen by every instance within about one
//!   notification round trip normally, and within [`STALE_BOUND`] at worst (the listener lost its
//!   connection: reads then go to the database until it is back).
//! - the feed is pruned to its last `feed_keep` changes (by seq) by the sections that commit; a
//!   cache that last saw a pruned seq cannot know what it missed and drops everything.
//!
//! A cache fill (a read that missed) is kept only when no catch-up changed the cache while it
//! read, so a slow reader never puts back a value a concurrent change replaced.

use super::audit::{Appender, CHAIN_LOCK, HeadSigner};
use super::{PgStore, db_error, postgres};
use crate::audit::{AuditEvent, NewEvent};
use crate::error::{Error, ErrorCode, Result};
use crate::store::tree::{
    Entry, LockedChain, Op, Ops, Tree, TreeLock, Version, ancestors, check_dir, check_rel,
    is_below, is_hidden, split,
};
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, SimpleQueryMessage, Statement};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

/// The channel every commit notifies (payload: its last seq).
const CHANNEL: &str = "openleash_tree";

/// How often the listener catches up when no notification arrives.
pub const POLL: Duration = Duration::from_millis(250);

/// How old the last catch-up may be before unlocked reads stop trusting the cache.
pub const STALE_BOUND: Duration = Duration::from_secs(2);

/// Changes kept in the feed by default; older ones are pruned.
pub const DEFAULT_FEED_KEEP: i64 = 65_536;

/// Most changes one catch-up reads; a cache further behind starts over.
const CATCH_UP_LIMIT: i64 = 10_000;

/// Past this many cached records (or listings), or this many bytes of cached bodies, the cache
/// starts over rather than growing with the installation.
const MAX_CACHED: usize = 200_000;
const MAX_CACHED_BYTES: usize = 256 << 20;

/// Default bound on waiting for the lock, as for the data directory's `.lock`.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug)]
struct Rec {
    body: Arc<[u8]>,
    version: i64,
}

/// What this instance knows of the tree.
#[derive(Default)]
struct Cache {
    /// The last change seq reflected; `None` before the first catch-up.
    applied: Option<i64>,
    /// When the last exact catch-up was asked for.
    fresh_at: Option<Instant>,
    /// Moves whenever a catch-up changes what is cached (guards fills, see the module doc).
    epoch: u64,
    records: HashMap<String, Option<Rec>>,
    /// Bytes of the cached bodies.
    bytes: usize,
    lists: HashMap<String, Arc<[Entry]>>,
}

fn body_len(rec: &Option<Rec>) -> usize {
    rec.as_ref().map_or(0, |r| r.body.len())
}

/// One answer of the change feed.
struct Feed {
    asked_at: Instant,
    pruned_through: i64,
    max_seq: i64,
    changes: Vec<(i64, String)>,
    complete: bool,
    /// The end of the audit chain (asked together with the lock only).
    chain_end: Option<(i64, String)>,
}

impl Cache {
    fn trusted(&self, stale: Duration) -> bool {
        self.applied.is_some() && self.fresh_at.is_some_and(|t| t.elapsed() <= stale)
    }

    fn invalidate(&mut self, path: &str) {
        if let Some(old) = self.records.remove(path) {
            self.bytes -= body_len(&old);
        }
        self.lists.remove("");
        for dir in ancestors(path) {
            self.lists.remove(dir);
        }
    }

    fn drop_all(&mut self) {
        self.records.clear();
        self.bytes = 0;
        self.lists.clear();
        self.epoch += 1;
    }

    fn catch_up(&mut self, feed: &Feed) {
        match self.applied {
            None => {
                self.drop_all();
                self.applied = Some(feed.max_seq);
            }
            Some(cur) if cur >= feed.max_seq => {}
            Some(cur) if cur < feed.pruned_through || !feed.complete => {
                self.drop_all();
                self.applied = Some(feed.max_seq);
            }
            Some(cur) => {
                let mut changed = false;
                for (seq, path) in &feed.changes {
                    if *seq > cur {
                        self.invalidate(path);
                        changed = true;
                    }
                }
                if changed {
                    self.epoch += 1;
                }
                self.applied = Some(feed.max_seq);
            }
        }
        if self.fresh_at.is_none_or(|t| t < feed.asked_at) {
            self.fresh_at = Some(feed.asked_at);
        }
    }

    fn fill_record(&mut self, epoch: u64, rel: &str, rec: Option<Rec>) {
        if self.epoch == epoch && self.applied.is_some() {
            self.insert_record(rel.to_string(), rec);
        }
    }

    fn insert_record(&mut self, rel: String, rec: Option<Rec>) {
        if self.records.len() >= MAX_CACHED || self.bytes >= MAX_CACHED_BYTES {
            self.records.clear();
            self.bytes = 0;
        }
        self.bytes += body_len(&rec);
        if let Some(old) = self.records.insert(rel, rec) {
            self.bytes -= body_len(&old);
        }
    }

    fn fill_list(&mut self, epoch: u64, dir: &str, entries: Arc<[Entry]>) {
        if self.epoch == epoch && self.applied.is_some() {
            if self.lists.len() >= MAX_CACHED {
                self.lists.clear();
            }
            self.lists.insert(dir.to_string(), entries);
        }
    }
}

/// A connection with its prepared statements (one round trip per use).
struct Conn {
    client: Client,
    /// The pool whose slot this connection holds (none for the listener's).
    pool: Weak<Pool>,
    read: Statement,
    list: Statement,
    feed: Statement,
    write: Statement,
}

const READ_SQL: &str = "SELECT body, version FROM tree_records WHERE path = $1 AND NOT is_dir";
const LIST_SQL: &str = "SELECT name, is_dir FROM tree_records WHERE parent = $1 ORDER BY name";

/// The feed after `$1` (at most `$2` changes), with the prune horizon and the newest seq, in one
/// snapshot. `kind` 0: pruned_through, 1: max seq, 2: a change.
pub(crate) const FEED_SQL: &str = "
    SELECT 0 AS kind, pruned_through AS seq, NULL::text AS path FROM tree_feed WHERE id = 1
    UNION ALL SELECT 1, coalesce(max(seq), 0), NULL FROM tree_changes
    UNION ALL (SELECT 2, seq, path FROM tree_changes WHERE seq > $1 ORDER BY seq LIMIT $2)";

/// One commit in one statement: refuse it (returning the conflicting rows, kind 1) when a
/// record path is a directory or a needed directory is a record; else create the missing
/// directories, record the changes, upsert the written records and delete the removed ones,
/// returning each change's seq (kind 0).
pub(crate) const WRITE_SQL: &str = "
    WITH bad AS (
        SELECT t.path FROM tree_records t
        WHERE (t.path = ANY($1) AND t.is_dir) OR (t.path = ANY($6) AND NOT t.is_dir)
    ), ops AS (
        SELECT o.path, o.body, o.mode, o.parent, o.name
        FROM unnest($1::text[], $2::bytea[], $3::int[], $4::text[], $5::text[])
             AS o(path, body, mode, parent, name)
        WHERE NOT EXISTS (SELECT 1 FROM bad)
    ), dirs AS (
        INSERT INTO tree_records (path, parent, name, is_dir, body, mode, version)
        SELECT d.path, d.parent, d.name, true, NULL, 0, 0
        FROM unnest($6::text[], $7::text[], $8::text[]) AS d(path, parent, name)
        WHERE NOT EXISTS (SELECT 1 FROM bad)
        ON CONFLICT (path) DO NOTHING
    ), ch AS (
        INSERT INTO tree_changes (path) SELECT path FROM ops RETURNING seq, path
    ), w AS (
        INSERT INTO tree_records (path, parent, name, is_dir, body, mode, version)
        SELECT o.path, o.parent, o.name, false, o.body, o.mode, ch.seq
        FROM ops o JOIN ch ON ch.path = o.path
        WHERE o.body IS NOT NULL
        ON CONFLICT (path) DO UPDATE
            SET body = EXCLUDED.body, mode = EXCLUDED.mode, version = EXCLUDED.version
    ), r AS (
        DELETE FROM tree_records t USING ops o
        WHERE t.path = o.path AND o.body IS NULL AND NOT t.is_dir
    )
    SELECT 0 AS kind, seq, path FROM ch
    UNION ALL SELECT 1, 0, path FROM bad";

/// Runs [`WRITE_SQL`] (prepared as `stmt`, or its text) for the net ops of one commit: the seq
/// of each changed path, or (inner `Err`) the conflict that refused the whole statement
/// (a record where a directory is, or the reverse) — nothing was written then.
pub(crate) fn write_net<S: postgres::ToStatement + ?Sized>(
    client: &mut impl postgres::GenericClient,
    stmt: &S,
    net: &[Op],
) -> Result<std::result::Result<HashMap<String, i64>, Error>> {
    let mut paths = Vec::with_capacity(net.len());
    let mut bodies: Vec<Option<&[u8]>> = Vec::with_capacity(net.len());
    let mut modes = Vec::with_capacity(net.len());
    let mut parents = Vec::with_capacity(net.len());
    let mut names = Vec::with_capacity(net.len());
    let mut dirs: Vec<&str> = Vec::new();
    for op in net {
        let (parent, name) = split(op.rel());
        paths.push(op.rel());
        parents.push(parent);
        names.push(name);
        match op {
            Op::Write { rel, bytes, mode } => {
                bodies.push(Some(bytes.as_slice()));
                modes.push(i32::try_from(*mode).unwrap_or(0o644));
                for d in ancestors(rel) {
                    if dirs.contains(&d) {
                        break;
                    }
                    dirs.push(d);
                }
            }
            Op::Remove { .. } => {
                bodies.push(None);
                modes.push(0);
            }
        }
    }
    let (dir_parents, dir_names): (Vec<&str>, Vec<&str>) = dirs.iter().map(|d| split(d)).unzip();
    let rows = client
        .query(
            stmt,
            &[
                &paths,
                &bodies,
                &modes,
                &parents,
                &names,
                &dirs,
                &dir_parents,
                &dir_names,
            ],
        )
        .map_err(|e| db_error("write records", e))?;
    let mut seqs: HashMap<String, i64> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let path: String = r.get(2);
        if r.get::<_, i32>(0) == 1 {
            let e = match net.iter().find(|op| op.rel() == path) {
                Some(op) => Error::new(
                    ErrorCode::DataCorrupt,
                    format!(
                        "cannot change `{}`: it is a directory, not a record",
                        op.rel()
                    ),
                )
                .with_hint("a record and a directory cannot share a path"),
                None => {
                    let rel = net
                        .iter()
                        .map(Op::rel)
                        .find(|r| ancestors(r).any(|d| d == path))
                        .unwrap_or_default();
                    crate::store::tree::not_a_directory(&path, rel)
                }
            };
            return Ok(Err(e));
        }
        seqs.insert(path, r.get(1));
    }
    Ok(Ok(seqs))
}

impl Conn {
    fn open(store: &PgStore) -> Result<Conn> {
        let mut client = store.connect_one()?;
        let prep = |c: &mut Client, sql: &str| {
            c.prepare(sql)
                .map_err(|e| db_error("prepare the record tree's statements", e))
        };
        Ok(Conn {
            read: prep(&mut client, READ_SQL)?,
            list: prep(&mut client, LIST_SQL)?,
            feed: prep(&mut client, FEED_SQL)?,
            write: prep(&mut client, WRITE_SQL)?,
            client,
            pool: Weak::new(),
        })
    }

    fn fetch_record(&mut self, rel: &str) -> Result<Option<Rec>> {
        let row = self
            .client
            .query_opt(&self.read, &[&rel])
            .map_err(|e| db_error("read a record", e))?;
        Ok(row.map(|r| Rec {
            body: Arc::from(r.get::<_, &[u8]>(0)),
            version: r.get(1),
        }))
    }

    fn fetch_list(&mut self, dir: &str) -> Result<Arc<[Entry]>> {
        let rows = self
            .client
            .query(&self.list, &[&dir])
            .map_err(|e| db_error("list records", e))?;
        Ok(rows
            .into_iter()
            .map(|r| Entry {
                name: r.get(0),
                is_dir: r.get(1),
            })
            .filter(|e| !is_hidden(&e.name))
            .collect())
    }

    fn fetch_feed(&mut self, after: i64) -> Result<Feed> {
        let asked_at = Instant::now();
        let rows = self
            .client
            .query(&self.feed, &[&after, &CATCH_UP_LIMIT])
            .map_err(|e| db_error("read the change feed", e))?;
        let mut feed = Feed {
            asked_at,
            pruned_through: 0,
            max_seq: 0,
            changes: Vec::new(),
            complete: true,
            chain_end: None,
        };
        for r in rows {
            let seq: i64 = r.get(1);
            match r.get::<_, i32>(0) {
                0 => feed.pruned_through = seq,
                1 => feed.max_seq = seq,
                _ => feed.changes.push((seq, r.get(2))),
            }
        }
        feed.complete = (feed.changes.len() as i64) < CATCH_UP_LIMIT;
        Ok(feed)
    }
}

/// A bounded set of connections: at most `max` live at once, idle ones reused. A [`Conn`] counts
/// while it lives (its `Drop` gives the slot back), so a broken connection that is simply
/// dropped frees its slot too.
struct Pool {
    max: usize,
    /// Sections waiting for a slot wait for the lock (`LOCK_TIMEOUT`); readers that cannot get
    /// one find the store overloaded (`STORE_UNAVAILABLE`).
    for_sections: bool,
    state: Mutex<PoolState>,
    freed: Condvar,
}

#[derive(Default)]
struct PoolState {
    idle: Vec<Conn>,
    live: usize,
}

impl Pool {
    fn new(max: usize, for_sections: bool) -> Arc<Pool> {
        Arc::new(Pool {
            max: max.max(1),
            for_sections,
            state: Mutex::new(PoolState::default()),
            freed: Condvar::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, PoolState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// An idle connection (`true`: reused, it may have died since) or a new one, waiting at
    /// most `wait` for a free slot.
    fn get(self: &Arc<Self>, store: &PgStore, wait: Duration) -> Result<(Conn, bool)> {
        let deadline = Instant::now() + wait;
        let mut g = self.state();
        loop {
            if let Some(c) = g.idle.pop() {
                return Ok((c, true));
            }
            if g.live < self.max {
                g.live += 1;
                drop(g);
                return match Conn::open(store) {
                    Ok(mut c) => {
                        c.pool = Arc::downgrade(self);
                        Ok((c, false))
                    }
                    Err(e) => {
                        self.state().live -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                if self.for_sections {
                    return Err(lock_timeout_error(wait));
                }
                return Err(Error::new(
                    ErrorCode::StoreUnavailable,
                    format!(
                        "all {} connections of this instance to the PostgreSQL store stayed busy for {wait:?}",
                        self.max
                    ),
                )
                .with_hint("the store is overloaded or a critical section is stuck; raise store.pool_size if the database has room for more connections"));
            }
            g = self
                .freed
                .wait_timeout(g, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Returns a healthy connection for reuse (a closed one is dropped, freeing its slot).
    fn put(&self, conn: Conn) {
        if conn.client.is_closed() {
            return;
        }
        self.state().idle.push(conn);
        self.freed.notify_one();
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Never called with the pool's state locked: connections leave the idle list first.
        if let Some(pool) = self.pool.upgrade() {
            let mut g = pool.state();
            g.live = g.live.saturating_sub(1);
            drop(g);
            pool.freed.notify_one();
        }
    }
}

/// Lets one section of this instance run at a time, from before it takes the database lock
/// until its changes are in the cache: a section that committed but has not yet published must
/// not let the next section of this instance catch up first, or its publication (now stale)
/// would land after that catch-up. Sections serialise on the database lock anyway.
#[derive(Default)]
struct Gate {
    busy: Mutex<bool>,
    free: Condvar,
}

impl Gate {
    fn enter(&self, wait: Duration) -> Result<GateGuard<'_>> {
        let deadline = Instant::now() + wait;
        let mut busy = self
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while *busy {
            let now = Instant::now();
            if now >= deadline {
                return Err(lock_timeout_error(wait));
            }
            busy = self
                .free
                .wait_timeout(busy, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        *busy = true;
        Ok(GateGuard(self))
    }
}

struct GateGuard<'a>(&'a Gate);

impl Drop for GateGuard<'_> {
    fn drop(&mut self) {
        *self
            .0
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = false;
        self.0.free.notify_one();
    }
}

struct Shared {
    store: PgStore,
    cache: Mutex<Cache>,
    gate: Gate,
    /// Connections of critical sections (held while waiting for the lock and during a section).
    sections: Arc<Pool>,
    /// Connections for cache misses outside a section: separate, so a section's code reading
    /// through the unlocked API never waits for connections held by sections queued behind it.
    reads: Arc<Pool>,
    stop: AtomicBool,
}

impl Shared {
    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs an idempotent read on a connection; idle connections found dead (the server
    /// restarted) are replaced.
    fn with_conn<T>(&self, wait: Duration, f: impl Fn(&mut Conn) -> Result<T>) -> Result<T> {
        loop {
            let (mut conn, reused) = self.reads.get(&self.store, wait)?;
            match f(&mut conn) {
                Err(e) if e.code == ErrorCode::StoreUnavailable => {
                    if reused {
                        continue;
                    }
                    return Err(e);
                }
                r => {
                    self.reads.put(conn);
                    return r;
                }
            }
        }
    }
}

/// Tuning of a [`PgTree`] (the defaults suit a server; tests shorten them).
#[derive(Debug, Clone)]
pub struct PgTreeOptions {
    /// Changes kept in the feed (see the module doc).
    pub feed_keep: i64,
    /// Run the `LISTEN` thread (off: unlocked reads are fresh only after this instance's own
    /// sections, within [`STALE_BOUND`]).
    pub listen: bool,
    /// Bound on waiting for the lock; `None`: `OPENLEASH_LOCK_TIMEOUT_MS` or 10 s.
    pub lock_timeout: Option<Duration>,
    /// Most connections of critical sections, and separately of cache misses (the wiring
    /// passes `store.pool_size`).
    pub max_connections: usize,
}

impl Default for PgTreeOptions {
    fn default() -> Self {
        PgTreeOptions {
            feed_keep: DEFAULT_FEED_KEEP,
            listen: true,
            lock_timeout: None,
            max_connections: 16,
        }
    }
}

/// The records of an installation in PostgreSQL, with this instance's cache (see the module
/// doc). One per process and database: it keeps a listener thread and a few connections.
pub struct PgTree {
    shared: Arc<Shared>,
    signer: HeadSigner,
    opts: PgTreeOptions,
    listener: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for PgTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTree")
            .field("store", &self.shared.store)
            .finish()
    }
}

impl Drop for PgTree {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.listener.take() {
            let _ = h.join();
        }
    }
}

impl PgTree {
    /// A tree on `store` (schema version 2 or later), signing audit heads with `signer` (the
    /// instance's active server key). Connects lazily: the database may be down now.
    pub fn new(store: PgStore, signer: HeadSigner) -> PgTree {
        Self::with_options(store, signer, PgTreeOptions::default())
    }

    pub fn with_options(store: PgStore, signer: HeadSigner, opts: PgTreeOptions) -> PgTree {
        let shared = Arc::new(Shared {
            store,
            cache: Mutex::new(Cache::default()),
            gate: Gate::default(),
            sections: Pool::new(opts.max_connections, true),
            reads: Pool::new(opts.max_connections, false),
            stop: AtomicBool::new(false),
        });
        let listener = opts.listen.then(|| {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("openleash-tree-listen".into())
                .spawn(move || listen(&shared))
        });
        PgTree {
            shared,
            signer,
            opts,
            // A thread that cannot be spawned leaves the cache to the sections' catch-ups.
            listener: listener.and_then(std::result::Result::ok),
        }
    }

    fn record(&self, rel: &str) -> Result<Option<Rec>> {
        check_rel(rel)?;
        self.cached(
            |c| c.records.get(rel).cloned(),
            |conn| conn.fetch_record(rel),
            |c, epoch, rec| c.fill_record(epoch, rel, rec),
        )
    }

    fn listing(&self, dir: &str) -> Result<Arc<[Entry]>> {
        check_dir(dir)?;
        self.cached(
            |c| c.lists.get(dir).cloned(),
            |conn| conn.fetch_list(dir),
            |c, epoch, entries| c.fill_list(epoch, dir, entries),
        )
    }

    /// A value from the cache while it is trusted (caught up within `STALE_BOUND`), else from
    /// the database; what was fetched is kept only if no catch-up ran since the cache was
    /// looked at (the epoch), so a read racing with a change never caches the old value.
    fn cached<T: Clone>(
        &self,
        hit: impl FnOnce(&Cache) -> Option<T>,
        fetch: impl Fn(&mut Conn) -> Result<T>,
        fill: impl FnOnce(&mut Cache, u64, T),
    ) -> Result<T> {
        let epoch = {
            let c = self.shared.cache();
            if c.trusted(STALE_BOUND) {
                if let Some(v) = hit(&c) {
                    return Ok(v);
                }
                Some(c.epoch)
            } else {
                None
            }
        };
        let v = self.shared.with_conn(self.lock_timeout(), fetch)?;
        if let Some(epoch) = epoch {
            fill(&mut self.shared.cache(), epoch, v.clone());
        }
        Ok(v)
    }

    fn lock_timeout(&self) -> Duration {
        self.opts.lock_timeout.unwrap_or_else(|| {
            std::env::var("OPENLEASH_LOCK_TIMEOUT_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(DEFAULT_LOCK_TIMEOUT)
        })
    }

    /// Takes the lock on `conn`: one round trip that begins the transaction, waits for the
    /// advisory lock and reads the feed and the chain's end after it.
    fn begin(&self, conn: &mut Conn, after: i64) -> Result<Feed> {
        let asked_at = Instant::now();
        let timeout_ms = self.lock_timeout().as_millis().max(1);
        let sql = format!(
            "BEGIN;
             SET LOCAL lock_timeout = {timeout_ms};
             SELECT pg_advisory_xact_lock({CHAIN_LOCK});
             SET LOCAL lock_timeout = DEFAULT;
             {}
             UNION ALL (SELECT 3, seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1);",
            FEED_SQL
                .replace("$1", &after.to_string())
                .replace("$2", &CATCH_UP_LIMIT.to_string())
        );
        let messages = conn.client.simple_query(&sql).map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                lock_timeout_error(self.lock_timeout())
            } else {
                db_error("take the store's writer lock", e)
            }
        })?;
        let mut feed = Feed {
            asked_at,
            pruned_through: 0,
            max_seq: 0,
            changes: Vec::new(),
            complete: true,
            chain_end: Some((0, crate::audit::line::GENESIS_HASH.to_string())),
        };
        let bad = || Error::internal("unexpected answer to the writer lock's query");
        for m in messages {
            let SimpleQueryMessage::Row(r) = m else {
                continue;
            };
            if r.len() != 3 {
                continue;
            }
            let kind = r.get(0).ok_or_else(bad)?;
            let seq: i64 = r.get(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
            match kind {
                "0" => feed.pruned_through = seq,
                "1" => feed.max_seq = seq,
                "2" => feed
                    .changes
                    .push((seq, r.get(2).ok_or_else(bad)?.to_string())),
                _ => feed.chain_end = Some((seq, r.get(2).ok_or_else(bad)?.to_string())),
            }
        }
        feed.complete = (feed.changes.len() as i64) < CATCH_UP_LIMIT;
        Ok(feed)
    }

    fn lock_pg(&self) -> Result<PgTreeLock<'_>> {
        let wait = self.lock_timeout();
        let gate = self.shared.gate.enter(wait)?;
        let after = self.shared.cache().applied.unwrap_or(i64::MAX);
        let (conn, feed) = loop {
            let (mut conn, reused) = self.shared.sections.get(&self.shared.store, wait)?;
            match self.begin(&mut conn, after) {
                Ok(feed) => break (conn, feed),
                // An idle connection whose server went away (a restart): try the next one.
                Err(e) if reused && e.code == ErrorCode::StoreUnavailable => continue,
                Err(e) => {
                    if e.code != ErrorCode::StoreUnavailable
                        && conn.client.batch_execute("ROLLBACK").is_ok()
                    {
                        self.shared.sections.put(conn);
                    }
                    return Err(e);
                }
            }
        };
        self.shared.cache().catch_up(&feed);
        let (seq, hash) = feed.chain_end.clone().unwrap_or_default();
        Ok(PgTreeLock {
            tree: self,
            _gate: gate,
            conn: Some(conn),
            overlay: HashMap::new(),
            caught_up: feed.max_seq,
            last_seq: None,
            pruned_through: feed.pruned_through,
            chain: Appender::at(seq, hash),
            appended: false,
            failed: None,
        })
    }

    /// Records cached now (for tests of the cache's bounds).
    #[cfg(test)]
    fn cached_records(&self) -> usize {
        self.shared.cache().records.len()
    }
}

pub(crate) fn lock_timeout_error(timeout: Duration) -> Error {
    Error::new(
        ErrorCode::LockTimeout,
        format!("timed out after {timeout:?} waiting for the PostgreSQL store's writer lock"),
    )
    .with_hint("another openleash instance or process is writing to this store; retry, or look for a stuck session in pg_stat_activity")
}

impl Tree for PgTree {
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.record(rel)?.map(|r| r.body.to_vec()))
    }

    fn version(&self, rel: &str) -> Result<Option<Version>> {
        Ok(self.record(rel)?.map(|r| Version::seq(r.version)))
    }

    fn list(&self, dir: &str) -> Result<Arc<[Entry]>> {
        self.listing(dir)
    }

    fn lock(&self) -> Result<Box<dyn TreeLock + '_>> {
        Ok(Box::new(self.lock_pg()?))
    }
}

/// The background `LISTEN` loop: catch up on every notification, and every [`POLL`] without
/// one; reconnect when the connection breaks. Ends when its tree is dropped.
fn listen(shared: &Shared) {
    let mut conn: Option<Conn> = None;
    while !shared.stop.load(Ordering::SeqCst) {
        let Some(c) = conn.as_mut() else {
            match Conn::open(&shared.store).and_then(|mut c| {
                c.client
                    .batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(|e| db_error("listen for changes", e))?;
                Ok(c)
            }) {
                Ok(c) => conn = Some(c),
                Err(_) => std::thread::sleep(POLL),
            }
            continue;
        };
        let after = shared.cache().applied.unwrap_or(i64::MAX);
        match c.fetch_feed(after) {
            Ok(feed) => shared.cache().catch_up(&feed),
            Err(_) => {
                conn = None;
                continue;
            }
        }
        let woke = c.client.notifications().timeout_iter(POLL).next();
        match woke {
            // Several commits may have notified: one catch-up covers them all.
            Ok(Some(_)) => while let Ok(Some(_)) = c.client.notifications().iter().next() {},
            Ok(None) => {}
            Err(_) => conn = None,
        }
    }
}

/// A critical section on a [`PgTree`]: one transaction holding the chain lock.
pub struct PgTreeLock<'a> {
    tree: &'a PgTree,
    /// Released after `Drop` rolled back or `finish` published (fields drop after `drop`).
    _gate: GateGuard<'a>,
    /// `None` once finished.
    conn: Option<Conn>,
    /// This section's own changes (not yet committed for anyone else).
    overlay: HashMap<String, Option<Rec>>,
    /// The newest seq committed when the lock was taken.
    caught_up: i64,
    /// The last seq this section drew.
    last_seq: Option<i64>,
    pruned_through: i64,
    chain: Appender,
    appended: bool,
    /// Why the section can no longer commit (the transaction is aborted).
    failed: Option<Error>,
}

impl PgTreeLock<'_> {
    fn conn(&mut self) -> Result<&mut Conn> {
        if let Some(e) = &self.failed {
            return Err(Error::new(
                e.code,
                format!(
                    "this store section already failed, nothing of it was applied: {}",
                    e.message
                ),
            ));
        }
        self.conn
            .as_mut()
            .ok_or_else(|| Error::internal("store section used after finish"))
    }

    /// Remembers a failure: the transaction is aborted, so nothing more can run in it.
    fn fail(&mut self, e: Error) -> Error {
        if e.code == ErrorCode::StoreUnavailable {
            // The connection is gone; never reuse it.
            self.conn = None;
        }
        self.failed = Some(e.duplicate());
        e
    }

    fn record(&mut self, rel: &str) -> Result<Option<Rec>> {
        check_rel(rel)?;
        if let Some(r) = self.overlay.get(rel) {
            return Ok(r.clone());
        }
        self.cached(
            |c| c.records.get(rel).cloned(),
            |conn| conn.fetch_record(rel),
            |c, epoch, rec| c.fill_record(epoch, rel, rec),
        )
    }

    /// The lock holder's cache is exact (caught up when the lock was taken, and nobody else
    /// commits meanwhile); a miss reads committed state in this transaction and fills the cache.
    fn cached<T: Clone>(
        &mut self,
        hit: impl FnOnce(&Cache) -> Option<T>,
        fetch: impl FnOnce(&mut Conn) -> Result<T>,
        fill: impl FnOnce(&mut Cache, u64, T),
    ) -> Result<T> {
        let epoch = {
            let c = self.tree.shared.cache();
            if let Some(v) = hit(&c) {
                return Ok(v);
            }
            c.epoch
        };
        let fetched = fetch(self.conn()?);
        let v = fetched.map_err(|e| self.fail(e))?;
        fill(&mut self.tree.shared.cache(), epoch, v.clone());
        Ok(v)
    }

    /// Appends audit events to the shared chain inside this section: they commit with its
    /// records at `finish`, or not at all. Lines are the file log's, byte for byte.
    pub fn append_audit(&mut self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        self.conn()?;
        let written = self.chain.push(events)?;
        self.appended |= !written.is_empty();
        Ok(written)
    }

    fn finish_pg(&mut self) -> Result<()> {
        self.conn()?;
        let keep = self.tree.opts.feed_keep.max(1);
        let mut tail = String::new();
        if let Some(last) = self.last_seq {
            if last - self.pruned_through > keep + keep / 4 {
                let through = last - keep;
                tail.push_str(&format!(
                    "DELETE FROM tree_changes WHERE seq <= {through};
                     UPDATE tree_feed SET pruned_through = {through} WHERE id = 1;"
                ));
            }
            tail.push_str(&format!("NOTIFY {CHANNEL}, '{last}';"));
        }
        tail.push_str("COMMIT");
        let chain = std::mem::replace(&mut self.chain, Appender::at(0, String::new()));
        let appended = self.appended;
        let signer = &self.tree.signer;
        let Some(conn) = self.conn.as_mut() else {
            return Err(Error::internal("store section used after finish"));
        };
        let result = (|| {
            if appended {
                chain.write(&mut conn.client, signer)?;
            }
            conn.client
                .batch_execute(&tail)
                .map_err(|e| db_error("commit to the store", e))
        })();
        result.map_err(|e| self.fail(e))
    }

    /// After `COMMIT`: this section's changes become the cache's, when nothing newer can have
    /// been caught up meanwhile; else they are only invalidated.
    fn publish(&mut self) {
        let Some(last) = self.last_seq else {
            return;
        };
        let overlay = std::mem::take(&mut self.overlay);
        let mut c = self.tree.shared.cache();
        let exact = c
            .applied
            .is_some_and(|cur| cur >= self.caught_up && cur <= last);
        for (path, rec) in overlay {
            c.invalidate(&path);
            if exact {
                c.insert_record(path, rec);
            }
        }
        c.epoch += 1;
        if exact {
            c.applied = Some(last);
        }
    }
}

impl TreeLock for PgTreeLock<'_> {
    fn read(&mut self, rel: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.record(rel)?.map(|r| r.body.to_vec()))
    }

    fn version(&mut self, rel: &str) -> Result<Option<Version>> {
        Ok(self.record(rel)?.map(|r| Version::seq(r.version)))
    }

    fn list(&mut self, dir: &str) -> Result<Arc<[Entry]>> {
        check_dir(dir)?;
        // Below a directory this section changed, the transaction's own view is the truth
        // (and is not for the shared cache).
        if self.overlay.keys().any(|p| is_below(p, dir)) {
            let fetched = self.conn()?.fetch_list(dir);
            return fetched.map_err(|e| self.fail(e));
        }
        self.cached(
            |c| c.lists.get(dir).cloned(),
            |conn| conn.fetch_list(dir),
            |c, epoch, entries| c.fill_list(epoch, dir, entries),
        )
    }

    fn commit(&mut self, ops: Ops) -> Result<()> {
        self.conn()?;
        let net = ops.into_net()?;
        if net.is_empty() {
            return Ok(());
        }
        let conn = self.conn()?;
        let seqs = match write_net(&mut conn.client, &conn.write, &net) {
            Ok(Ok(seqs)) => seqs,
            Ok(Err(conflict)) => {
                // Nothing was written (the statement refused as a whole); as for any failed
                // commit, the section ends.
                self.failed = Some(conflict.duplicate());
                return Err(conflict);
            }
            Err(e) => return Err(self.fail(e)),
        };
        for op in net {
            let seq = seqs.get(op.rel()).copied().unwrap_or_default();
            self.last_seq = Some(self.last_seq.map_or(seq, |s| s.max(seq)));
            match op {
                Op::Write { rel, bytes, .. } => {
                    self.overlay.insert(
                        rel,
                        Some(Rec {
                            body: Arc::from(bytes),
                            version: seq,
                        }),
                    );
                }
                Op::Remove { rel } => {
                    self.overlay.insert(rel, None);
                }
            }
        }
        Ok(())
    }

    fn chain(&mut self) -> Option<&mut dyn LockedChain> {
        Some(self)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let r = self.finish_pg();
        match &r {
            Ok(()) => {
                self.publish();
                if let Some(conn) = self.conn.take() {
                    self.tree.shared.sections.put(conn);
                }
            }
            Err(_) => {
                // The commit's outcome may be unknown (a connection lost during COMMIT): what
                // this section touched is read anew.
                let mut c = self.tree.shared.cache();
                for path in self.overlay.keys() {
                    c.invalidate(path);
                }
                c.epoch += 1;
            }
        }
        r
    }
}

impl LockedChain for PgTreeLock<'_> {
    fn append_audit(&mut self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        PgTreeLock::append_audit(self, events)
    }
}

impl Drop for PgTreeLock<'_> {
    fn drop(&mut self) {
        // Not finished (or failed): roll back; a connection that cannot is dropped.
        if let Some(mut conn) = self.conn.take()
            && conn.client.batch_execute("ROLLBACK").is_ok()
        {
            self.tree.shared.sections.put(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::ServerKey;
    use crate::store::pg::audit::{Chain, publish_key, verify};
    use crate::store::pg::testdb::{TestDb, URL_ENV};
    use crate::store::tree::conformance;
    use serde_json::json;

    fn signer(db: &TestDb) -> HeadSigner {
        let key = ServerKey::generate();
        publish_key(&mut *db.store.conn().unwrap(), &key, true).unwrap();
        HeadSigner {
            kid: key.kid.clone(),
            key: key.signing_key().unwrap(),
        }
    }

    fn tree(db: &TestDb) -> PgTree {
        PgTree::new(db.store.clone(), signer(db))
    }

    fn write(t: &dyn Tree, rel: &str, body: &[u8]) {
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write(rel, body.to_vec());
        l.commit(ops).unwrap();
        l.finish().unwrap();
    }

    fn admin() -> Client {
        Client::connect(&std::env::var(URL_ENV).unwrap(), postgres::NoTls).unwrap()
    }

    #[test]
    fn pg_tree_basics() {
        let Some(db) = TestDb::new("pg_tree_basics") else {
            return;
        };
        conformance::basics(&tree(&db));
    }

    #[test]
    fn pg_tree_bad_paths() {
        let Some(db) = TestDb::new("pg_tree_bad_paths") else {
            return;
        };
        conformance::bad_paths(&tree(&db));
    }

    #[test]
    fn pg_tree_multi_op_commit_is_atomic() {
        let Some(db) = TestDb::new("pg_tree_multi_op_commit_is_atomic") else {
            return;
        };
        let t = tree(&db);
        conformance::multi_op_commit_is_atomic(&t);
        // A directory where a record goes is refused the same way, for a write and a removal.
        write(&t, "d/sub/x", b"1");
        for remove in [false, true] {
            let mut l = t.lock().unwrap();
            let mut ops = Ops::default();
            ops.write("d/ok", b"1".to_vec());
            if remove {
                ops.remove("d/sub");
            } else {
                ops.write("d/sub", b"x".to_vec());
            }
            assert_eq!(l.commit(ops).unwrap_err().code, ErrorCode::DataCorrupt);
            drop(l);
            assert_eq!(t.read("d/ok").unwrap(), None);
        }
    }

    #[test]
    fn pg_tree_own_writes_are_visible() {
        let Some(db) = TestDb::new("pg_tree_own_writes_are_visible") else {
            return;
        };
        conformance::own_writes_are_visible(&tree(&db));
    }

    #[test]
    fn pg_tree_another_instance_sees_changes() {
        let Some(db) = TestDb::new("pg_tree_another_instance_sees_changes") else {
            return;
        };
        let (a, b) = (tree(&db), tree(&db));
        conformance::another_handle_sees_changes(&a, &b);
        // And the other way round, with b's cache warm.
        write(&b, "shared/y", b"from b");
        conformance::eventually("a sees b's write", || {
            a.read("shared/y").unwrap().as_deref() == Some(&b"from b"[..])
        });
    }

    #[test]
    fn pg_tree_a_dropped_section_leaves_nothing() {
        let Some(db) = TestDb::new("pg_tree_a_dropped_section_leaves_nothing") else {
            return;
        };
        let (a, b) = (tree(&db), tree(&db));
        write(&a, "r/kept", b"1");
        let mut l = a.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("r/kept", b"2".to_vec());
        ops.write("r/new/deep", b"x".to_vec());
        l.commit(ops).unwrap();
        let mut ops = Ops::default();
        ops.remove("r/kept");
        l.commit(ops).unwrap();
        l.chain()
            .unwrap()
            .append_audit(vec![NewEvent::new("E", json!({}))])
            .unwrap();
        assert_eq!(l.read("r/kept").unwrap(), None);
        // Others see committed state only, meanwhile.
        assert_eq!(b.read("r/kept").unwrap().unwrap(), b"1");
        drop(l);
        for t in [&a, &b] {
            let mut l = t.lock().unwrap();
            assert_eq!(l.read("r/kept").unwrap().unwrap(), b"1");
            assert_eq!(
                l.list("r").unwrap().len(),
                1,
                "the directory r/new is gone too"
            );
            drop(l);
            assert_eq!(t.read("r/kept").unwrap().unwrap(), b"1");
            assert_eq!(t.read("r/new/deep").unwrap(), None);
        }
        let r = verify(&db.store).unwrap();
        assert_eq!(r.events, 0, "the section's audit rows rolled back with it");
    }

    #[test]
    fn pg_tree_lock_serialises_two_instances_exactly() {
        let Some(db) = TestDb::new("pg_tree_lock_serialises_two_instances") else {
            return;
        };
        let trees = [tree(&db), tree(&db)];
        write(&trees[0], "counter", b"0");
        const PER_THREAD: u64 = 25;
        std::thread::scope(|s| {
            for t in &trees {
                for _ in 0..8 {
                    s.spawn(move || {
                        for _ in 0..PER_THREAD {
                            let mut l = t.lock().unwrap();
                            let n: u64 = String::from_utf8(l.read("counter").unwrap().unwrap())
                                .unwrap()
                                .parse()
                                .unwrap();
                            let mut ops = Ops::default();
                            ops.write("counter", (n + 1).to_string().into_bytes());
                            l.commit(ops).unwrap();
                            l.finish().unwrap();
                        }
                    });
                }
            }
        });
        let total = (2 * 8 * PER_THREAD).to_string();
        for t in &trees {
            let mut l = t.lock().unwrap();
            assert_eq!(l.read("counter").unwrap().unwrap(), total.as_bytes());
            drop(l);
            conformance::eventually("the unlocked read catches up", || {
                t.read("counter").unwrap().unwrap() == total.as_bytes()
            });
        }
    }

    #[test]
    fn pg_tree_sections_and_the_chain_append_to_one_verified_chain() {
        let Some(db) = TestDb::new("pg_tree_sections_and_the_chain") else {
            return;
        };
        let trees = [tree(&db), tree(&db)];
        let chain = Chain::new(db.store.clone(), signer(&db));
        std::thread::scope(|s| {
            for (i, t) in trees.iter().enumerate() {
                for th in 0..3 {
                    s.spawn(move || {
                        for n in 0..10 {
                            let mut l = t.lock().unwrap();
                            let mut ops = Ops::default();
                            ops.write(format!("agents/{i}-{th}-{n}.json"), b"{}".to_vec());
                            l.commit(ops).unwrap();
                            let ev = l
                                .chain()
                                .unwrap()
                                .append_audit(vec![
                                    NewEvent::new("AGENT_REGISTERED", json!({"n": n})),
                                    NewEvent::new("X", serde_json::Value::Null),
                                ])
                                .unwrap();
                            assert_eq!(ev[1].seq, ev[0].seq + 1);
                            assert_eq!(ev[1].prev_hash, ev[0].hash);
                            l.finish().unwrap();
                        }
                    });
                }
            }
            let chain = &chain;
            for _ in 0..2 {
                s.spawn(move || {
                    for n in 0..15 {
                        chain
                            .append(vec![NewEvent::new("DECISION_CREATED", json!({"n": n}))])
                            .unwrap();
                    }
                });
            }
        });
        let r = verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!(r.events, 2 * 3 * 10 * 2 + 2 * 15);
        assert_eq!(trees[0].list("agents").unwrap().len(), 60);
        // The rows are the file log's lines.
        let mut c = db.store.conn().unwrap();
        for row in c.query("SELECT line FROM audit_events", &[]).unwrap() {
            let line: String = row.get(0);
            assert!(
                crate::audit::line::parse_raw(line.as_bytes())
                    .unwrap()
                    .hash_matches()
            );
        }
    }

    #[test]
    fn pg_tree_a_killed_section_is_unavailable_applies_nothing_and_the_next_works() {
        let Some(db) = TestDb::new("pg_tree_a_killed_section") else {
            return;
        };
        let t = tree(&db);
        write(&t, "f/before", b"1");
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("f/a", b"a".to_vec());
        ops.remove("f/before");
        l.commit(ops).unwrap();
        l.chain()
            .unwrap()
            .append_audit(vec![NewEvent::new("E", json!({}))])
            .unwrap();
        let killed = admin()
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND state LIKE 'idle in transaction%'",
                &[&db.name],
            )
            .unwrap();
        assert_eq!(killed, 1, "the section's backend");
        let e = l.finish().unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable, "{e}");
        assert_eq!(e.http_status(), 503);
        assert!(e.hint.is_some());
        assert_eq!(t.read("f/a").unwrap(), None);
        assert_eq!(t.read("f/before").unwrap().unwrap(), b"1");
        assert_eq!(verify(&db.store).unwrap().events, 0);
        // The next section works, on a new connection.
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("f/a", b"again".to_vec());
        l.commit(ops).unwrap();
        l.chain()
            .unwrap()
            .append_audit(vec![NewEvent::new("E", json!({}))])
            .unwrap();
        l.finish().unwrap();
        assert_eq!(t.read("f/a").unwrap().unwrap(), b"again");
        let r = verify(&db.store).unwrap();
        assert!(r.ok && r.events == 1, "{r:?}");

        // Every idle connection killed (a PostgreSQL restart): the next section reconnects.
        admin()
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                &[&db.name],
            )
            .unwrap();
        write(&t, "f/after-restart", b"ok");
        assert_eq!(t.read("f/after-restart").unwrap().unwrap(), b"ok");
    }

    #[test]
    fn pg_tree_an_unreachable_database_is_store_unavailable() {
        let store = PgStore::connect(&crate::config::StoreConfig {
            backend: "postgres".into(),
            url: "postgres://nobody@127.0.0.1:1/x".into(),
            pool_size: 1,
            connect_timeout_seconds: 1,
        })
        .unwrap();
        let t = PgTree::new(
            store,
            HeadSigner {
                kid: "k".into(),
                key: crate::crypto::ed25519::generate(),
            },
        );
        assert_eq!(t.read("a").unwrap_err().code, ErrorCode::StoreUnavailable);
        assert_eq!(t.list("").unwrap_err().code, ErrorCode::StoreUnavailable);
        let e = t.lock().err().unwrap();
        assert_eq!((e.code, e.exit_code()), (ErrorCode::StoreUnavailable, 69));
    }

    #[test]
    fn pg_tree_lock_waits_are_bounded() {
        let Some(db) = TestDb::new("pg_tree_lock_waits_are_bounded") else {
            return;
        };
        let a = tree(&db);
        let b = PgTree::with_options(
            db.store.clone(),
            signer(&db),
            PgTreeOptions {
                lock_timeout: Some(Duration::from_millis(50)),
                ..PgTreeOptions::default()
            },
        );
        let held = a.lock().unwrap();
        let e = b.lock().err().unwrap();
        assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
        assert!(e.hint.is_some());
        drop(held);
        write(&b, "x", b"1");
        assert_eq!(a.lock().unwrap().read("x").unwrap().unwrap(), b"1");
    }

    #[test]
    fn pg_tree_connections_are_bounded_and_readers_never_wait_for_sections() {
        let Some(db) = TestDb::new("pg_tree_connections_are_bounded") else {
            return;
        };
        let t = PgTree::with_options(
            db.store.clone(),
            signer(&db),
            PgTreeOptions {
                lock_timeout: Some(Duration::from_millis(1500)),
                max_connections: 1,
                ..PgTreeOptions::default()
            },
        );
        write(&t, "a", b"1");
        let mut held = t.lock().unwrap();
        // A second section of this instance waits for the first: a lock wait.
        let e = t.lock().err().unwrap();
        assert_eq!(e.code, ErrorCode::LockTimeout, "{e}");
        // Reads outside the section (cache misses) have their own connections.
        assert_eq!(t.read("b").unwrap(), None);
        assert_eq!(held.read("a").unwrap().unwrap(), b"1");
        held.finish().unwrap();
        std::thread::scope(|s| {
            for i in 0..4 {
                let t = &t;
                s.spawn(move || {
                    let mut l = t.lock().unwrap();
                    let mut ops = Ops::default();
                    ops.write(format!("n/{i}"), Vec::new());
                    l.commit(ops).unwrap();
                    l.finish().unwrap();
                });
            }
        });
        assert_eq!(t.list("n").unwrap().len(), 4);
        let live = t.shared.sections.state().live;
        assert_eq!(live, 1, "never more than max_connections");
    }

    #[test]
    fn pg_tree_feed_is_pruned_and_a_cache_behind_it_starts_over() {
        let Some(db) = TestDb::new("pg_tree_feed_is_pruned") else {
            return;
        };
        let opts = PgTreeOptions {
            feed_keep: 4,
            listen: false,
            ..PgTreeOptions::default()
        };
        let a = PgTree::with_options(db.store.clone(), signer(&db), opts.clone());
        let b = PgTree::with_options(db.store.clone(), signer(&db), opts);
        write(&a, "x", b"1");
        assert_eq!(b.lock().unwrap().read("x").unwrap().unwrap(), b"1");
        assert_eq!(b.cached_records(), 1);
        write(&a, "x", b"2");
        for i in 0..20 {
            write(&a, &format!("y/{i}"), b"y");
        }
        let mut c = db.store.conn().unwrap();
        let (pruned, kept): (i64, i64) = {
            let r = c
                .query_one(
                    "SELECT (SELECT pruned_through FROM tree_feed), (SELECT count(*) FROM tree_changes)",
                    &[],
                )
                .unwrap();
            (r.get(0), r.get(1))
        };
        assert!(pruned > 2, "x's change was pruned ({pruned})");
        assert!(kept <= 4 + 4 / 4 + 1, "the feed stays bounded ({kept})");
        // b last saw seq 1: behind the horizon, so its cache starts over under the lock.
        let mut l = b.lock().unwrap();
        assert_eq!(b.cached_records(), 0);
        assert_eq!(l.read("x").unwrap().unwrap(), b"2");
        drop(l);
        assert_eq!(b.read("x").unwrap().unwrap(), b"2");
    }

    /// Not a test of speed (nothing is asserted about time): prints the seam's costs on both
    /// backends for docs/store.md. Run with
    /// `cargo test --lib tree_micro_benchmark -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn tree_micro_benchmark() {
        let Some(db) = TestDb::new("tree_micro_benchmark") else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let files = crate::store::tree::FileTree::new(dir.path());
        let pg = tree(&db);
        let backends: [(&str, &dyn Tree); 2] = [("files", &files), ("postgres", &pg)];
        for (name, t) in backends {
            let policy = vec![b'x'; 2048];
            write(t, "policies/p.yaml", &policy);
            // Let the file's identity settle (a fresh mtime is never trusted).
            std::fs::File::options()
                .write(true)
                .open(dir.path().join("policies/p.yaml"))
                .unwrap()
                .set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
                .unwrap();
            t.read("policies/p.yaml").unwrap();
            const N: u32 = 100_000;
            let started = Instant::now();
            for _ in 0..N {
                std::hint::black_box(t.read("policies/p.yaml").unwrap());
            }
            let read = started.elapsed() / N;
            let started = Instant::now();
            for _ in 0..N {
                std::hint::black_box(t.version("policies/p.yaml").unwrap());
            }
            let version = started.elapsed() / N;
            let started = Instant::now();
            for _ in 0..N {
                std::hint::black_box(t.list("policies").unwrap());
            }
            let list = started.elapsed() / N;
            eprintln!("{name}: cached read (2 KiB) {read:?}, version {version:?}, list {list:?}");
            for threads in [1usize, 8, 16] {
                const PER_THREAD: usize = 50;
                let mut lat: Vec<Duration> = Vec::new();
                let started = Instant::now();
                std::thread::scope(|s| {
                    let hs: Vec<_> = (0..threads)
                        .map(|th| {
                            s.spawn(move || {
                                let mut lat = Vec::with_capacity(PER_THREAD);
                                for i in 0..PER_THREAD {
                                    let t0 = Instant::now();
                                    let mut l = t.lock().unwrap();
                                    let mut ops = Ops::default();
                                    ops.write(format!("decisions/{th}/{i}.json"), vec![b'd'; 600]);
                                    l.commit(ops).unwrap();
                                    l.finish().unwrap();
                                    lat.push(t0.elapsed());
                                }
                                lat
                            })
                        })
                        .collect();
                    for h in hs {
                        lat.extend(h.join().unwrap());
                    }
                });
                let secs = started.elapsed().as_secs_f64();
                lat.sort();
                let p = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
                eprintln!(
                    "{name}: lock+write+finish, {threads:>2} threads: {:.0}/s, p50 {:?}, p99 {:?}",
                    lat.len() as f64 / secs,
                    p(0.5),
                    p(0.99)
                );
            }
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn feed(pruned_through: i64, max_seq: i64, changes: &[(i64, &str)]) -> Feed {
        Feed {
            asked_at: Instant::now(),
            pruned_through,
            max_seq,
            changes: changes.iter().map(|(s, p)| (*s, p.to_string())).collect(),
            complete: true,
            chain_end: None,
        }
    }

    fn rec(body: &[u8], version: i64) -> Option<Rec> {
        Some(Rec {
            body: Arc::from(body),
            version,
        })
    }

    #[test]
    fn a_fill_that_raced_with_a_change_is_not_kept() {
        let mut c = Cache::default();
        assert!(
            !c.trusted(STALE_BOUND),
            "nothing known before the first catch-up"
        );
        c.catch_up(&feed(0, 5, &[]));
        assert!(c.trusted(STALE_BOUND));
        let e0 = c.epoch;
        // A change to the path is caught up while the reader was reading: its fill is stale.
        c.catch_up(&feed(0, 6, &[(6, "a/b")]));
        c.fill_record(e0, "a/b", rec(b"old", 3));
        assert!(!c.records.contains_key("a/b"));
        c.fill_record(c.epoch, "a/b", rec(b"new", 6));
        c.fill_list(c.epoch, "a", Arc::from(vec![]));
        c.fill_list(c.epoch, "", Arc::from(vec![]));
        assert_eq!(c.bytes, 3);
        // A change below a directory drops its listing and every listing above it.
        c.catch_up(&feed(0, 7, &[(7, "a/b")]));
        assert!(c.records.is_empty() && c.lists.is_empty());
        assert_eq!(c.bytes, 0);
        // Changes already applied are not applied twice (an older snapshot arriving late).
        c.fill_record(c.epoch, "a/b", rec(b"new", 7));
        c.catch_up(&feed(0, 7, &[(7, "a/b")]));
        assert!(c.records.contains_key("a/b"));
    }

    #[test]
    fn a_cache_behind_the_pruned_horizon_or_too_far_behind_starts_over() {
        let mut c = Cache::default();
        c.catch_up(&feed(0, 10, &[]));
        c.fill_record(c.epoch, "x", rec(b"1", 10));
        c.catch_up(&feed(20, 30, &[(25, "y")]));
        assert!(c.records.is_empty());
        assert_eq!(c.applied, Some(30));
        c.fill_record(c.epoch, "x", rec(b"1", 10));
        let mut f = feed(0, 99_999, &[(31, "z")]);
        f.complete = false;
        c.catch_up(&f);
        assert!(c.records.is_empty());
        assert_eq!(c.applied, Some(99_999));
    }

    #[test]
    fn the_cache_is_bounded_in_bytes() {
        let mut c = Cache::default();
        c.catch_up(&feed(0, 1, &[]));
        let big: Arc<[u8]> = Arc::from(vec![0u8; 64 << 20]);
        for i in 0..5 {
            c.fill_record(
                c.epoch,
                &format!("p/{i}"),
                Some(Rec {
                    body: big.clone(),
                    version: 1,
                }),
            );
        }
        assert!(c.bytes <= MAX_CACHED_BYTES);
        assert!(c.records.len() < 5);
    }
}
