//! Agents in PostgreSQL. `agent_id` is unique among live (not revoked) agents across every
//! instance: the partial unique index `agents_live_agent_id` decides a race, so of two
//! registrations of one name exactly one commits and the other gets `AGENT_ID_TAKEN`.

use super::db_error;
use crate::error::{Error, ErrorCode, Result};
use crate::store::agents::{Agent, REVOKED};
use postgres::GenericClient;

fn to_doc(agent: &Agent) -> Result<serde_json::Value> {
    serde_json::to_value(agent)
        .map_err(|e| Error::internal(format!("cannot serialise an agent: {e}")))
}

fn from_doc(v: serde_json::Value) -> Result<Agent> {
    serde_json::from_value(v).map_err(|e| {
        Error::new(
            ErrorCode::DataCorrupt,
            format!("an agent in the PostgreSQL store cannot be read: {e}"),
        )
    })
}

/// Registers `agent`. `AGENT_ID_TAKEN` when a live agent already has its `agent_id`.
pub fn insert(c: &mut impl GenericClient, agent: &Agent) -> Result<()> {
    let doc = to_doc(agent)?;
    c.execute(
        "INSERT INTO agents (id, agent_id, owner_id, status, public_key, doc)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &agent.agent_principal_id,
            &agent.agent_id,
            &agent.owner_id,
            &agent.status,
            &agent.public_key_b64,
            &postgres::types::Json(&doc),
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e, Some("agents_live_agent_id")) {
            Error::new(
                ErrorCode::AgentIdTaken,
                format!("agent_id `{}` is already registered", agent.agent_id),
            )
            .with_hint("choose another agent_id, or revoke the agent that holds it first")
        } else if super::is_unique_violation(&e, None) {
            Error::new(
                ErrorCode::AlreadyExists,
                format!("agent {} already exists", agent.agent_principal_id),
            )
        } else {
            db_error("register an agent", e)
        }
    })?;
    Ok(())
}

/// The live agent holding `agent_id`, if any.
pub fn find_live(c: &mut impl GenericClient, agent_id: &str) -> Result<Option<Agent>> {
    let row = c
        .query_opt(
            "SELECT doc FROM agents WHERE agent_id = $1 AND status <> $2",
            &[&agent_id, &REVOKED],
        )
        .map_err(|e| db_error("look up an agent", e))?;
    row.map(|r| from_doc(r.get::<_, postgres::types::Json<serde_json::Value>>(0).0))
        .transpose()
}

/// Revokes the agent with principal id `id` (its `agent_id` becomes free); `false` when there
/// was no live agent with that id.
pub fn revoke(c: &mut impl GenericClient, id: &str, at: &str) -> Result<bool> {
    let n = c
        .execute(
            "UPDATE agents SET status = $2,
                    doc = doc || jsonb_build_object('status', $2::text, 'revoked_at', $3::text)
             WHERE id = $1 AND status <> $2",
            &[&id, &REVOKED, &at],
        )
        .map_err(|e| db_error("revoke an agent", e))?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::owners::{Owner, OwnerType};
    use crate::store::pg::testdb::TestDb;

    fn owner(id: &str) -> Owner {
        let mut o: Owner = serde_json::from_value(serde_json::json!({
            "owner_id": id,
            "owner_type": "user",
            "display_name": "Test",
            "status": "ACTIVE",
            "created_at": "2026-01-01T00:00:00.000Z",
        }))
        .unwrap();
        o.owner_type = OwnerType::User;
        o
    }

    #[test]
    fn a_raced_agent_id_is_won_by_one_registration() {
        let Some(db) = TestDb::new("a_raced_agent_id") else {
            return;
        };
        let o = owner("own1");
        crate::store::pg::owners::insert(&mut *db.store.conn().unwrap(), &o).unwrap();
        let results: Vec<Result<()>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|_| {
                    let o = &o;
                    let db = &db;
                    s.spawn(move || {
                        let mut c = db.store.conn().unwrap();
                        let mut tx = c.transaction().unwrap();
                        insert(&mut tx, &Agent::new("shared-name", o, "pk".into()))?;
                        tx.commit().map_err(|e| db_error("commit", e))
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
        for r in results.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!(r.code, ErrorCode::AgentIdTaken, "{r}");
        }
        let mut c = db.store.conn().unwrap();
        let live = find_live(&mut *c, "shared-name").unwrap().unwrap();
        // Once revoked, the name is free again; the revoked record stays.
        assert!(
            revoke(
                &mut *c,
                &live.agent_principal_id,
                "2026-01-02T00:00:00.000Z"
            )
            .unwrap()
        );
        assert!(!revoke(&mut *c, &live.agent_principal_id, "x").unwrap());
        assert!(find_live(&mut *c, "shared-name").unwrap().is_none());
        insert(&mut *c, &Agent::new("shared-name", &o, "pk2".into())).unwrap();
        assert_eq!(
            find_live(&mut *c, "shared-name")
                .unwrap()
                .unwrap()
                .public_key_b64,
            "pk2"
        );
        let again = crate::store::pg::owners::insert(&mut *c, &o).unwrap_err();
        assert_eq!(again.code, ErrorCode::AlreadyExists);
        assert_eq!(
            crate::store::pg::owners::get(&mut *c, "own1").unwrap(),
            Some(o)
        );
    }
}
