//! Approval requests in PostgreSQL, and the one guarantee the decision path needs from them
//! across instances: an approval token is consumed once (SPEC §19).

use super::db_error;
use crate::error::{Error, ErrorCode, Result};
use postgres::GenericClient;
use std::time::SystemTime;

/// The columns an approval row is created with; `doc` is the record as the file store writes it.
#[derive(Debug, Clone)]
pub struct NewApproval<'a> {
    pub id: &'a str,
    pub owner_id: &'a str,
    pub agent_id: &'a str,
    pub status: &'a str,
    pub action_hash: &'a str,
    pub expires_at: SystemTime,
    pub token_expires_at: Option<SystemTime>,
    pub doc: &'a serde_json::Value,
}

pub fn insert(c: &mut impl GenericClient, a: &NewApproval<'_>) -> Result<()> {
    c.execute(
        "INSERT INTO approvals (id, owner_id, agent_id, status, action_hash, expires_at, token_expires_at, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &a.id,
            &a.owner_id,
            &a.agent_id,
            &a.status,
            &a.action_hash,
            &a.expires_at,
            &a.token_expires_at,
            &postgres::types::Json(a.doc),
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e, None) {
            Error::new(
                ErrorCode::AlreadyExists,
                format!("approval request {} already exists", a.id),
            )
        } else {
            db_error("create an approval request", e)
        }
    })?;
    Ok(())
}

/// Marks the token of approval `id` consumed by the decision in progress. Exactly one caller —
/// on any instance — gets `Ok`; the others get `APPROVAL_TOKEN_CONSUMED`. The token must belong
/// to an `APPROVED` request of `agent_id` for `action_hash`, and be unexpired at `now`. Call it
/// in the decision's transaction: a decision that fails after it leaves the token unused.
pub fn consume_token(
    c: &mut impl GenericClient,
    id: &str,
    agent_id: &str,
    action_hash: &str,
    now: SystemTime,
) -> Result<()> {
    let n = c
        .execute(
            "UPDATE approvals SET token_consumed_at = $5
             WHERE id = $1 AND agent_id = $2 AND action_hash = $3 AND status = 'APPROVED'
               AND token_consumed_at IS NULL AND (token_expires_at IS NULL OR token_expires_at > $4)",
            &[&id, &agent_id, &action_hash, &now, &now],
        )
        .map_err(|e| db_error("consume an approval token", e))?;
    if n == 1 {
        return Ok(());
    }
    // Not consumed: say why, from the row as it is now.
    let row = c
        .query_opt(
            "SELECT agent_id, action_hash, status, token_consumed_at IS NOT NULL,
                    token_expires_at IS NOT NULL AND token_expires_at <= $2
             FROM approvals WHERE id = $1",
            &[&id, &now],
        )
        .map_err(|e| db_error("read an approval request", e))?;
    let Some(row) = row else {
        return Err(Error::new(
            ErrorCode::ApprovalRequestNotFound,
            format!("approval request {id} does not exist"),
        ));
    };
    let (owner_agent, hash, status, consumed, expired): (String, String, String, bool, bool) =
        (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
    Err(if consumed {
        Error::new(
            ErrorCode::ApprovalTokenConsumed,
            format!("the approval token of {id} was already used"),
        )
        .with_hint("request approval again for a new token")
    } else if owner_agent != agent_id {
        Error::new(
            ErrorCode::AgentMismatch,
            format!("approval request {id} belongs to another agent"),
        )
    } else if hash != action_hash {
        Error::new(
            ErrorCode::ActionHashMismatch,
            format!("approval request {id} approved another action"),
        )
    } else if status != "APPROVED" {
        Error::new(
            ErrorCode::InvalidApprovalStatus,
            format!("approval request {id} is {status}, not APPROVED"),
        )
    } else {
        // Expired (or, in a race, changed since the update ran: refuse the same way).
        let why = if expired {
            "expired"
        } else {
            "cannot be used now"
        };
        Error::new(
            ErrorCode::InvalidApprovalToken,
            format!("the approval token of {id} {why}"),
        )
        .with_hint("request approval again for a new token")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pg::testdb::TestDb;
    use serde_json::json;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn approved(c: &mut impl GenericClient, id: &str, token_ttl: Duration) {
        let now = SystemTime::now();
        insert(
            c,
            &NewApproval {
                id,
                owner_id: "o1",
                agent_id: "a1",
                status: "APPROVED",
                action_hash: "h1",
                expires_at: now + Duration::from_secs(3600),
                token_expires_at: Some(now + token_ttl),
                doc: &json!({"id": id}),
            },
        )
        .unwrap();
    }

    #[test]
    fn a_token_raced_on_many_connections_is_consumed_once() {
        let Some(db) = TestDb::new("a_token_raced") else {
            return;
        };
        approved(
            &mut *db.store.conn().unwrap(),
            "apr1",
            Duration::from_secs(60),
        );
        let ok = AtomicUsize::new(0);
        let consumed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let mut c = db.store.conn().unwrap();
                    let mut tx = c.transaction().unwrap();
                    match consume_token(&mut tx, "apr1", "a1", "h1", SystemTime::now()) {
                        Ok(()) => {
                            tx.commit().unwrap();
                            ok.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => {
                            assert_eq!(e.code, ErrorCode::ApprovalTokenConsumed, "{e}");
                            consumed.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!((ok.into_inner(), consumed.into_inner()), (1, 7));
    }

    #[test]
    fn refusals_say_why() {
        let Some(db) = TestDb::new("approval_refusals_say_why") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        approved(&mut *c, "apr2", Duration::from_secs(60));
        approved(&mut *c, "apr3", Duration::from_millis(1));
        let now = SystemTime::now() + Duration::from_millis(5);
        let code = |c: &mut crate::store::pg::PgConn, id: &str, agent: &str, hash: &str| {
            consume_token(&mut **c, id, agent, hash, now)
                .unwrap_err()
                .code
        };
        assert_eq!(
            code(&mut c, "nope", "a1", "h1"),
            ErrorCode::ApprovalRequestNotFound
        );
        assert_eq!(code(&mut c, "apr2", "a2", "h1"), ErrorCode::AgentMismatch);
        assert_eq!(
            code(&mut c, "apr2", "a1", "h2"),
            ErrorCode::ActionHashMismatch
        );
        assert_eq!(
            code(&mut c, "apr3", "a1", "h1"),
            ErrorCode::InvalidApprovalToken
        );
        // A decision rolled back after consuming leaves the token usable.
        let mut tx = c.transaction().unwrap();
        consume_token(&mut tx, "apr2", "a1", "h1", now).unwrap();
        tx.rollback().unwrap();
        consume_token(&mut *c, "apr2", "a1", "h1", now).unwrap();
        assert_eq!(
            code(&mut c, "apr2", "a1", "h1"),
            ErrorCode::ApprovalTokenConsumed
        );
        c.execute(
            "UPDATE approvals SET status = 'DENIED' WHERE id = 'apr3'",
            &[],
        )
        .unwrap();
        assert_eq!(
            code(&mut c, "apr3", "a1", "h1"),
            ErrorCode::InvalidApprovalStatus
        );
        let dup = insert(
            &mut *c,
            &NewApproval {
                id: "apr2",
                owner_id: "o1",
                agent_id: "a1",
                status: "PENDING",
                action_hash: "h",
                expires_at: now,
                token_expires_at: None,
                doc: &json!({}),
            },
        );
        assert_eq!(dup.unwrap_err().code, ErrorCode::AlreadyExists);
    }
}
