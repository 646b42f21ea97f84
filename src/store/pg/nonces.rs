//! The replay cache across instances: a nonce is accepted once (SPEC §19).
//!
//! The primary key `(agent_id, nonce)` decides, not the instances: the insert either creates the
//! row (accepted) or finds it (a replay). A row whose TTL ran out is taken over by the same
//! statement, so the table needs no sweep to stay correct; [`prune`] only keeps it small.

use super::db_error;
use crate::error::Result;
use postgres::GenericClient;
use std::time::SystemTime;

/// Records `nonce` for `agent_id` until `expires_at`. `true`: first use (accepted); `false`: the
/// nonce was already used and has not expired (a replay). Call it inside the decision's
/// transaction, so a decision that fails later leaves the nonce unused.
pub fn accept(
    c: &mut impl GenericClient,
    agent_id: &str,
    nonce: &str,
    now: SystemTime,
    expires_at: SystemTime,
) -> Result<bool> {
    let n = c
        .execute(
            "INSERT INTO nonces (agent_id, nonce, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
             WHERE nonces.expires_at <= $4",
            &[&agent_id, &nonce, &expires_at, &now],
        )
        .map_err(|e| db_error("record a nonce", e))?;
    Ok(n == 1)
}

/// [`accept`] as one statement that commits by itself with `synchronous_commit = off`
/// (`set_config(…, true)` lasts for the statement's own transaction): one round trip, and no
/// wait for the WAL flush.
const ACCEPT_ASYNC_SQL: &str = "INSERT INTO nonces (agent_id, nonce, expires_at)
     SELECT $1::text, $2::text, $3::timestamptz
       FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
     ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
     WHERE nonces.expires_at <= $4::timestamptz";

/// Most idle connections [`AsyncAcceptor`] keeps.
const MAX_IDLE: usize = 64;

/// Accepts nonces for a server on connections of its own, each with the statement prepared,
/// so a check costs one round trip.
///
/// The commit does not wait for the WAL flush, and that is as safe as a durable commit:
/// PostgreSQL's WAL is one sequence, and a later synchronous commit flushes everything before
/// it. The request a nonce admits commits its own effects (a decision, a record) synchronously
/// *after* the nonce's commit returned, so whenever those effects are durable, so is the nonce.
/// Only a database crash before any later flush can lose the row — and then the request's
/// effects are lost with it, so a replay admits nothing that took effect. (A signed read that
/// changes nothing could be answered twice within the skew window after a database crash: the
/// same read.) The primary key decides at insert time either way, across every instance.
pub struct AsyncAcceptor {
    idle: std::sync::Mutex<Vec<(postgres::Client, postgres::Statement)>>,
}

impl Default for AsyncAcceptor {
    fn default() -> Self {
        AsyncAcceptor {
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl AsyncAcceptor {
    /// `true`: first use (accepted); `false`: a replay of a live nonce.
    pub fn accept(
        &self,
        store: &super::PgStore,
        agent_id: &str,
        nonce: &str,
        now: SystemTime,
        expires_at: SystemTime,
    ) -> Result<bool> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let (mut client, statement) = match idle {
            Some(c) => c,
            None => {
                let mut client = store.connect_one()?;
                let statement = client
                    .prepare(ACCEPT_ASYNC_SQL)
                    .map_err(|e| db_error("record a nonce", e))?;
                (client, statement)
            }
        };
        // A failed connection is dropped, not put back: the next check connects anew.
        let n = client
            .execute(&statement, &[&agent_id, &nonce, &expires_at, &now])
            .map_err(|e| db_error("record a nonce", e))?;
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push((client, statement));
        }
        Ok(n == 1)
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
                            .accept(store, "agent-1", &format!("n{i}"), now, later)
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
        assert!(!a.accept(&db.store, "agent-1", "n0", now, later).unwrap());
        assert!(
            a.accept(&db.store, "agent-1", "n0", t1, t1 + Duration::from_secs(60))
                .unwrap()
        );
        assert!(!a.accept(&db.store, "agent-1", "n0", t1, t1).unwrap());
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
