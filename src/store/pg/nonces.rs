//! The replay cache across instances: a nonce is accepted once (SPEC §19).
//!
//! The primary key `(agent_id, nonce)` decides, not the instances: the insert either creates the
//! row (accepted) or finds it (a replay). A row whose TTL ran out is taken over by the same
//! statement, so the table needs no sweep to stay correct; [`prune`] only keeps it small.

use super::db_error;
use super::group::Group;
use crate::error::{Error, Result};
use postgres::GenericClient;
use std::time::SystemTime;

/// Records a whole group of nonces in one statement: `true` for a key not used yet, or whose
/// row expired (taken over by the same statement); `$4` is the earliest `now` of the
/// group, so a row is taken over only if it expired for every request of the group. Returns the
/// keys it accepted. `$from` adds to the `FROM` list.
macro_rules! accept_group_sql {
    ($from:literal) => {
        concat!(
            "INSERT INTO nonces (agent_id, nonce, expires_at)
             SELECT u.agent_id, u.nonce, u.expires_at
               FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u (agent_id, nonce, expires_at)",
            $from,
            "
             ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
             WHERE nonces.expires_at <= $4::timestamptz
             RETURNING agent_id, nonce"
        )
    };
}

/// A group that commits by itself with `synchronous_commit = off` (`set_config(…, true)` lasts
/// for the statement's own transaction): one round trip and no wait for the WAL flush.
const ACCEPT_GROUP_SQL: &str = accept_group_sql!(
    ",
            (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"
);

/// A group recorded in the caller's transaction, or committed by itself ([`record_group`]).
pub(crate) const RECORD_GROUP_SQL: &str = accept_group_sql!("");

/// Most idle connections [`AsyncAcceptor`] keeps.
const MAX_IDLE: usize = 8;

/// Groups that may be in the database at once; checks arriving meanwhile wait and form the next
/// group.
const MAX_RUNNING: usize = 2;

/// Most nonces one group carries.
const MAX_GROUP: usize = 512;

/// Accepts nonces for a server: concurrent checks are gathered into groups, each accepted by one
/// statement on a connection of the acceptor's own, with the statement prepared. A check alone
/// goes to the database at once; under load, a database transaction serves many requests.
///
/// It serves requests that changed nothing (`NonceCache::run_deferred`; a request that changes
/// something records its nonce in that change's commit, see [`deferred`]), so its commit does
/// not wait for the WAL flush: a database crash before a later flush can only let the same read
/// be answered twice within the skew window. The primary key decides at insert time either way,
/// across every instance.
pub struct AsyncAcceptor {
    group: Group<PendingNonce, Result<bool>>,
    idle: std::sync::Mutex<Vec<Prepared>>,
}

impl Default for AsyncAcceptor {
    fn default() -> Self {
        AsyncAcceptor {
            group: Group::new(MAX_RUNNING, MAX_GROUP),
            idle: std::sync::Mutex::default(),
        }
    }
}

impl AsyncAcceptor {
    /// `true`: first use (accepted); `false`: a replay of a live nonce.
    pub fn accept(&self, store: &super::PgStore, check: PendingNonce) -> Result<bool> {
        self.group.submit(
            check,
            |group| {
                let conn = self.idle().pop();
                let (answers, conn) = accept_group(store, conn, &group);
                // Back before the next group starts, so that it need not connect. A failed
                // connection is dropped, not put back: the next group connects anew.
                if let Some(c) = conn {
                    let mut idle = self.idle();
                    if idle.len() < MAX_IDLE {
                        idle.push(c);
                    }
                }
                answers
            },
            || Err(Error::internal("a nonce check panicked")),
        )
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Prepared>> {
        // A list of whole connections: a panic elsewhere leaves nothing half-updated.
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

type Prepared = (postgres::Client, postgres::Statement);

/// Accepts one group: an answer per check, in order, and the connection when it is still good.
fn accept_group(
    store: &super::PgStore,
    conn: Option<Prepared>,
    group: &[PendingNonce],
) -> (Vec<Result<bool>>, Option<Prepared>) {
    let fail_all = |e: Error| group.iter().map(|_| Err(e.duplicate())).collect::<Vec<_>>();
    let (mut client, statement) = match conn.filter(|(c, _)| !c.is_closed()) {
        Some(c) => c,
        None => {
            let prepared = store.connect_one().and_then(|mut client| {
                let statement = client
                    .prepare(ACCEPT_GROUP_SQL)
                    .map_err(|e| db_error("record a nonce", e))?;
                Ok((client, statement))
            });
            match prepared {
                Ok(c) => c,
                Err(e) => return (fail_all(e), None),
            }
        }
    };
    let checks: Vec<&PendingNonce> = group.iter().collect();
    match record_with(&mut client, &statement, &checks) {
        Ok(accepted) => (
            accepted.into_iter().map(Ok).collect(),
            Some((client, statement)),
        ),
        Err(e) => (fail_all(db_error("record a nonce", e)), None),
    }
}

/// Records the nonces of `checks` in the caller's transaction (committed with it), or in a
/// synchronous commit of their own on a connection outside one: one answer per check, in order,
/// `true` for a first use.
pub(crate) fn record_group(
    c: &mut impl GenericClient,
    checks: &[&PendingNonce],
) -> std::result::Result<Vec<bool>, postgres::Error> {
    record_with(c, RECORD_GROUP_SQL, checks)
}

/// One group statement ([`ACCEPT_GROUP_SQL`] or [`RECORD_GROUP_SQL`]) over `checks`.
pub(crate) fn record_with<S: postgres::ToStatement + ?Sized>(
    c: &mut impl GenericClient,
    statement: &S,
    checks: &[&PendingNonce],
) -> std::result::Result<Vec<bool>, postgres::Error> {
    // One row per key: the second use of a key in one group is a replay.
    let keys = NonceColumns::sorted(checks.iter().copied(), true);
    let now = checks.iter().map(|c| c.now).min();
    let rows = c.query(
        statement,
        &[&keys.agent_id, &keys.nonce, &keys.expires_at, &now],
    )?;
    let mut accepted: std::collections::HashSet<(String, String)> =
        rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    // The first check of a key takes its acceptance; a later one in the group is a replay.
    Ok(checks
        .iter()
        .map(|c| accepted.remove(&(c.agent_id.clone(), c.nonce.clone())))
        .collect())
}

/// The refusal of a nonce already used (the same for every path that finds it).
pub fn replay_error() -> Error {
    Error::new(
        crate::error::ErrorCode::NonceReplay,
        "Nonce has already been used",
    )
    .with_hint("use a fresh random X-Nonce (a UUID) for every request")
}

/// A signed request's nonce, not yet recorded in the store.
#[derive(Debug, Clone)]
pub struct PendingNonce {
    pub agent_id: String,
    pub nonce: String,
    pub now: SystemTime,
    pub expires_at: SystemTime,
}

impl PendingNonce {
    /// `nonce` of `agent_id`, seen at `now` and kept for `keep`.
    pub fn new(agent_id: &str, nonce: &str, now: SystemTime, keep: std::time::Duration) -> Self {
        PendingNonce {
            agent_id: agent_id.to_string(),
            nonce: nonce.to_string(),
            now,
            expires_at: now + keep,
        }
    }
}

/// Nonces as the columns of an `unnest`, in key order: every statement that records nonces takes
/// them in that order, so two writers of the same nonces never wait for each other in a cycle.
#[derive(Default)]
pub(crate) struct NonceColumns<'a> {
    pub agent_id: Vec<&'a str>,
    pub nonce: Vec<&'a str>,
    pub expires_at: Vec<SystemTime>,
}

impl<'a> NonceColumns<'a> {
    /// `dedup`: one row per key (the first), as `ON CONFLICT DO UPDATE` needs; without it a
    /// repeated key fails a plain insert, as a replay should.
    pub fn sorted(checks: impl Iterator<Item = &'a PendingNonce>, dedup: bool) -> Self {
        let mut sorted: Vec<&PendingNonce> = checks.collect();
        // Stable: of equal keys the first stays first.
        sorted.sort_by(|a, b| (&a.agent_id, &a.nonce).cmp(&(&b.agent_id, &b.nonce)));
        if dedup {
            sorted.dedup_by(|a, b| (&a.agent_id, &a.nonce) == (&b.agent_id, &b.nonce));
        }
        let mut c = NonceColumns::default();
        for n in sorted {
            c.agent_id.push(&n.agent_id);
            c.nonce.push(&n.nonce);
            c.expires_at.push(n.expires_at);
        }
        c
    }
}

/// How a request's deferred nonce ended (see [`deferred`]).
#[derive(Debug)]
pub enum Deferral {
    /// Recorded with the request's first change: first use.
    Accepted,
    /// Found already used when the request first changed something: nothing was changed.
    Replay,
    /// The request changed nothing: the nonce is still to be recorded (or not, if it failed).
    Unused(PendingNonce),
}

std::thread_local! {
    /// The nonce of the request this thread is handling, while [`deferred`] runs it.
    static DEFERRED: std::cell::RefCell<Option<Scope>> = const { std::cell::RefCell::new(None) };
}

struct Scope {
    /// `None` once taken by a change (recorded, or on its way into a batch).
    pending: Option<PendingNonce>,
    accepted: Option<bool>,
}

/// Runs `f`, a request's handler, with its nonce recorded only when it first changes something,
/// in the same commit: a plain decision's nonce goes into its audit batch
/// ([`take_deferred`], `pg::audit`), so a nonce costs no round trip of its own; any other change
/// records it first, on its own ([`settle_deferred`], from `DataDir::lock`). A replay is refused
/// before it changes anything either way. Returns what `f` returned and how the nonce ended.
pub fn deferred<T>(nonce: PendingNonce, f: impl FnOnce() -> T) -> (T, Deferral) {
    /// Restores the outer scope even if `f` panics (one scope per thread at a time).
    struct Restore(Option<Scope>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            DEFERRED.with(|d| *d.borrow_mut() = outer);
        }
    }
    let outer = DEFERRED.with(|d| {
        d.borrow_mut().replace(Scope {
            pending: Some(nonce),
            accepted: None,
        })
    });
    let restore = Restore(outer);
    let out = f();
    let scope = DEFERRED.with(|d| d.borrow_mut().take());
    drop(restore);
    let deferral = match scope {
        Some(Scope {
            accepted: Some(true),
            ..
        }) => Deferral::Accepted,
        Some(Scope {
            accepted: Some(false),
            ..
        }) => Deferral::Replay,
        Some(Scope {
            pending: Some(p), ..
        }) => Deferral::Unused(p),
        // Taken by a change that never reported back (it panicked): nothing says the nonce was
        // recorded once, so the request is refused.
        _ => Deferral::Replay,
    };
    (out, deferral)
}

/// Whether this thread runs a request whose nonce is still to be recorded (a thread-local read).
pub(crate) fn deferred_pending() -> bool {
    DEFERRED.with(|d| d.borrow().as_ref().is_some_and(|s| s.pending.is_some()))
}

/// Takes this thread's deferred nonce for a commit that records it (an audit batch); report
/// the store's answer with [`deferred_settled`].
pub(crate) fn take_deferred() -> Option<PendingNonce> {
    DEFERRED.with(|d| d.borrow_mut().as_mut().and_then(|s| s.pending.take()))
}

/// Reports what became of a nonce from [`take_deferred`]: `Some(accepted)`, or `None` when the
/// commit failed before the store decided (the nonce is pending again).
pub(crate) fn deferred_settled(nonce: PendingNonce, accepted: Option<bool>) {
    DEFERRED.with(|d| {
        if let Some(s) = d.borrow_mut().as_mut() {
            match accepted {
                Some(a) => s.accepted = Some(a),
                None => s.pending = Some(nonce),
            }
        }
    });
}

/// Records this thread's deferred nonce now, before a change that cannot carry it: `NONCE_REPLAY`
/// when it was used already. One statement that commits synchronously, so the nonce is durable
/// before the change begins. Nothing to do outside [`deferred`] or once recorded.
pub(crate) fn settle_deferred(store: &super::PgStore) -> Result<()> {
    let Some(n) = take_deferred() else {
        return Ok(());
    };
    let recorded = store
        .conn()
        .and_then(|mut c| record_group(&mut *c, &[&n]).map_err(|e| db_error("record a nonce", e)));
    match recorded {
        Ok(fresh) => {
            let accepted = fresh.first().copied().unwrap_or(false);
            deferred_settled(n, Some(accepted));
            if accepted {
                Ok(())
            } else {
                Err(replay_error())
            }
        }
        Err(e) => {
            deferred_settled(n, None);
            Err(e)
        }
    }
}

/// Deletes nonces that expired before `now`; returns how many.
pub fn prune(c: &mut impl GenericClient, now: SystemTime) -> Result<u64> {
    c.execute("DELETE FROM nonces WHERE expires_at <= $1", &[&now])
        .map_err(|e| db_error("prune expired nonces", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A nonce of "agent-1" seen at `now`, kept until `expires_at`.
    fn check(nonce: &str, now: SystemTime, expires_at: SystemTime) -> PendingNonce {
        PendingNonce {
            agent_id: "agent-1".into(),
            nonce: nonce.into(),
            now,
            expires_at,
        }
    }

    /// One nonce through [`record_group`]: `true` for a first use.
    fn accept(
        c: &mut impl GenericClient,
        agent_id: &str,
        nonce: &str,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> Result<bool> {
        let n = PendingNonce {
            agent_id: agent_id.into(),
            nonce: nonce.into(),
            now,
            expires_at,
        };
        Ok(record_group(c, &[&n]).map_err(|e| db_error("record a nonce", e))?[0])
    }
    use crate::store::pg::testdb::TestDb;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn a_nonce_is_accepted_once_across_connections() {
        let Some(db) = TestDb::new("a_nonce_is_accepted_once") else {
            return;
        };
        let now = SystemTime::now();
        let later = now + Duration::from_secs(600);
        let accepted = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let mut c = db.store.conn().unwrap();
                    for i in 0..20 {
                        let mut tx = c.transaction().unwrap();
                        if accept(&mut tx, "agent-1", &format!("n{i}"), now, later).unwrap() {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                        tx.commit().unwrap();
                    }
                });
            }
        });
        assert_eq!(accepted.load(Ordering::SeqCst), 20);
        let mut c = db.store.conn().unwrap();
        // Another agent may use the same nonce.
        assert!(accept(&mut *c, "agent-2", "n0", now, later).unwrap());
        // A rolled-back decision leaves its nonce unused.
        let mut tx = c.transaction().unwrap();
        assert!(accept(&mut tx, "agent-1", "fresh", now, later).unwrap());
        tx.rollback().unwrap();
        assert!(accept(&mut *c, "agent-1", "fresh", now, later).unwrap());
        assert!(!accept(&mut *c, "agent-1", "fresh", now, later).unwrap());
    }

    #[test]
    fn an_asynchronously_committed_nonce_is_accepted_once_across_pools() {
        let Some(db) = TestDb::new("async_nonce_once") else {
            return;
        };
        // Two pools: two instances.
        let other = super::super::PgStore::connect_url(&db.url()).unwrap();
        let now = SystemTime::now();
        let later = now + Duration::from_secs(600);
        let accepted = AtomicUsize::new(0);
        let acceptors = [AsyncAcceptor::default(), AsyncAcceptor::default()];
        std::thread::scope(|s| {
            for t in 0..8 {
                let store = if t % 2 == 0 { &db.store } else { &other };
                let acceptor = &acceptors[t % 2];
                let accepted = &accepted;
                s.spawn(move || {
                    for i in 0..20 {
                        if acceptor
                            .accept(store, check(&format!("n{i}"), now, later))
                            .unwrap()
                        {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(accepted.load(Ordering::SeqCst), 20);
        assert_eq!(db.rows("nonces"), 20);
        // An expired row is taken over, a live one is not (as `accept`).
        let t1 = later + Duration::from_millis(1);
        let a = &acceptors[0];
        assert!(!a.accept(&db.store, check("n0", now, later)).unwrap());
        assert!(
            a.accept(&db.store, check("n0", t1, t1 + Duration::from_secs(60)))
                .unwrap()
        );
        assert!(!a.accept(&db.store, check("n0", t1, t1)).unwrap());
    }

    #[test]
    fn in_one_group_the_first_use_of_a_key_is_accepted_and_the_others_are_replays() {
        let Some(db) = TestDb::new("nonce_group_duplicates") else {
            return;
        };
        let now = SystemTime::now();
        let check = |agent: &str, nonce: &str| {
            PendingNonce::new(agent, nonce, now, Duration::from_secs(600))
        };
        let group = [
            check("a", "n2"),
            check("a", "n1"),
            check("a", "n2"),
            check("b", "n2"),
        ];
        let (answers, conn) = accept_group(&db.store, None, &group);
        let answers: Vec<bool> = answers.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(answers, [true, true, false, true]);
        // The connection is kept for the next group, which sees the keys taken.
        let (answers, _) = accept_group(&db.store, conn, &[check("a", "n1")]);
        assert!(!answers[0].as_ref().unwrap());
        assert_eq!(db.rows("nonces"), 3);
    }

    #[test]
    fn a_deferred_nonce_is_recorded_by_the_first_change_or_left_unused() {
        let Some(db) = TestDb::new("a_deferred_nonce") else {
            return;
        };
        let now = SystemTime::now();
        let pending = |n: &str| PendingNonce::new("a", n, now, Duration::from_secs(600));
        assert!(!deferred_pending());
        // Nothing changed: the nonce comes back unused, and nothing was recorded.
        let (v, d) = deferred(pending("n1"), || {
            assert!(deferred_pending());
            7
        });
        assert_eq!(v, 7);
        assert!(matches!(d, Deferral::Unused(p) if p.nonce == "n1"));
        assert_eq!(db.rows("nonces"), 0);
        // A change records it first, once.
        let (r, d) = deferred(pending("n1"), || {
            settle_deferred(&db.store)?;
            // Recorded: a second change in the same request has nothing to do.
            assert!(!deferred_pending());
            settle_deferred(&db.store)
        });
        r.unwrap();
        assert!(matches!(d, Deferral::Accepted));
        // The same nonce again: refused before the change.
        let (r, d) = deferred(pending("n1"), || settle_deferred(&db.store));
        assert_eq!(r.unwrap_err().code, crate::error::ErrorCode::NonceReplay);
        assert!(matches!(d, Deferral::Replay));
        // A change that failed before the store decided leaves it pending.
        let (_, d) = deferred(pending("n2"), || {
            let n = take_deferred().unwrap();
            deferred_settled(n, None);
        });
        assert!(matches!(d, Deferral::Unused(_)));
        // Outside a request there is nothing to settle, and a panic leaves no scope behind.
        settle_deferred(&db.store).unwrap();
        let caught = std::panic::catch_unwind(|| deferred(pending("n3"), || panic!("handler")));
        assert!(caught.is_err());
        assert!(!deferred_pending());
        assert_eq!(db.rows("nonces"), 1);
    }

    #[test]
    fn an_expired_nonce_row_is_taken_over_and_pruned() {
        let Some(db) = TestDb::new("an_expired_nonce_row") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        let t0 = SystemTime::now();
        let short = t0 + Duration::from_millis(50);
        assert!(accept(&mut *c, "a", "n", t0, short).unwrap());
        assert!(!accept(&mut *c, "a", "n", t0, short).unwrap());
        let t1 = short + Duration::from_millis(1);
        assert!(accept(&mut *c, "a", "n", t1, t1 + Duration::from_secs(60)).unwrap());
        assert!(accept(&mut *c, "a", "m", t0, short).unwrap());
        assert_eq!(prune(&mut *c, t1).unwrap(), 1);
        assert!(!accept(&mut *c, "a", "n", t1, t1).unwrap());
    }
}
