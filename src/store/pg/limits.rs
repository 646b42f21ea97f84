//! Stateful limits across instances: check-and-consume, exact under concurrency (SPEC §19).
//!
//! Windows slide (see [`crate::policy::limits`]): a counter is the sum of the entries made after
//! the window's start. [`consume`] first locks the counter's row (creating it on first use), then
//! — in a second statement, whose snapshot therefore includes everything committed by whoever
//! held the lock before — inserts the new entry only if the window's sum plus the amount stays
//! within the cap. Two decisions on one counter, on any instances, thus run one after the other;
//! decisions on different counters do not wait for each other. Run it inside the decision's
//! transaction: the lock is held until that commits, and a decision that fails releases its
//! consumption with the rollback.

use super::db_error;
use crate::error::Result;
use postgres::GenericClient;

/// One consumption to check against a cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consume<'a> {
    /// The counter key ([`crate::policy::limits::counter_key`]).
    pub key: &'a str,
    /// The decision's time (ms since the epoch).
    pub at_ms: i64,
    /// Entries at or before this instant are outside the window.
    pub window_start_ms: i64,
    /// 1 for a count, the amount in minor units for a spend.
    pub amount: i64,
    pub cap: i64,
    pub currency: Option<&'a str>,
    pub decision_id: Option<&'a str>,
}

/// The outcome: consumed (the window's total including this amount), or refused (the total
/// before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumed {
    Yes { total: i64 },
    OverCap { total: i64 },
}

pub fn consume(c: &mut impl GenericClient, req: &Consume<'_>) -> Result<Consumed> {
    c.execute(
        "INSERT INTO limit_counters (key) VALUES ($1)
         ON CONFLICT (key) DO UPDATE SET updated_at = now()",
        &[&req.key],
    )
    .map_err(|e| db_error("lock a limit counter", e))?;
    let row = c
        .query_one(
            "WITH used AS (
                 SELECT coalesce(sum(amount), 0)::bigint AS total FROM limit_entries
                 WHERE key = $1 AND at_ms > $2
             ), ins AS (
                 INSERT INTO limit_entries (key, at_ms, amount, currency, decision_id)
                 SELECT $1, $3, $4, $6, $7 FROM used WHERE used.total + $4 <= $5
                 RETURNING 1
             )
             SELECT used.total, EXISTS (SELECT 1 FROM ins) FROM used",
            &[
                &req.key,
                &req.window_start_ms,
                &req.at_ms,
                &req.amount,
                &req.cap,
                &req.currency,
                &req.decision_id,
            ],
        )
        .map_err(|e| db_error("consume a limit", e))?;
    let total: i64 = row.get(0);
    Ok(if row.get::<_, bool>(1) {
        Consumed::Yes {
            total: total + req.amount,
        }
    } else {
        Consumed::OverCap { total }
    })
}

/// The window's total without consuming (for `limits show`).
pub fn total(c: &mut impl GenericClient, key: &str, window_start_ms: i64) -> Result<i64> {
    let row = c
        .query_one(
            "SELECT coalesce(sum(amount), 0)::bigint FROM limit_entries WHERE key = $1 AND at_ms > $2",
            &[&key, &window_start_ms],
        )
        .map_err(|e| db_error("read a limit counter", e))?;
    Ok(row.get(0))
}

/// Deletes entries no window can reach any more (older than `before_ms`).
pub fn prune(c: &mut impl GenericClient, before_ms: i64) -> Result<u64> {
    c.execute("DELETE FROM limit_entries WHERE at_ms <= $1", &[&before_ms])
        .map_err(|e| db_error("prune limit entries", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pg::testdb::TestDb;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn req(key: &str, at_ms: i64, amount: i64, cap: i64) -> Consume<'_> {
        Consume {
            key,
            at_ms,
            window_start_ms: at_ms - 60_000,
            amount,
            cap,
            currency: None,
            decision_id: None,
        }
    }

    #[test]
    fn a_cap_is_exact_under_concurrent_decisions() {
        let Some(db) = TestDb::new("a_cap_is_exact") else {
            return;
        };
        let allowed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..8 {
                let (db, allowed) = (&db, &allowed);
                s.spawn(move || {
                    let mut c = db.store.conn().unwrap();
                    for i in 0..5 {
                        let mut tx = c.transaction().unwrap();
                        let r = consume(&mut tx, &req("purchases", 1_000_000 + t * 10 + i, 1, 5))
                            .unwrap();
                        tx.commit().unwrap();
                        if matches!(r, Consumed::Yes { .. }) {
                            allowed.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(allowed.load(Ordering::SeqCst), 5);
        let mut c = db.store.conn().unwrap();
        assert_eq!(total(&mut *c, "purchases", 0).unwrap(), 5);
    }

    #[test]
    fn spends_windows_and_rollbacks() {
        let Some(db) = TestDb::new("spends_windows_and_rollbacks") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        let t = 10_000_000;
        assert_eq!(
            consume(&mut *c, &req("eur", t, 4_000, 10_000)).unwrap(),
            Consumed::Yes { total: 4_000 }
        );
        assert_eq!(
            consume(&mut *c, &req("eur", t + 1, 7_000, 10_000)).unwrap(),
            Consumed::OverCap { total: 4_000 }
        );
        // A rolled-back decision gives its amount back.
        let mut tx = c.transaction().unwrap();
        assert_eq!(
            consume(&mut tx, &req("eur", t + 2, 6_000, 10_000)).unwrap(),
            Consumed::Yes { total: 10_000 }
        );
        tx.rollback().unwrap();
        // An amount above the cap on an empty counter is refused too.
        assert_eq!(
            consume(&mut *c, &req("new", t, 11, 10)).unwrap(),
            Consumed::OverCap { total: 0 }
        );
        // Once the first entry leaves the window, its amount is free again.
        assert_eq!(
            consume(&mut *c, &req("eur", t + 60_001, 7_000, 10_000)).unwrap(),
            Consumed::Yes { total: 7_000 }
        );
        assert_eq!(prune(&mut *c, t).unwrap(), 1);
    }
}
