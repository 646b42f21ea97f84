//! The database schema, as numbered migrations applied in order by `openleash store
//! migrate-schema` (and `init --store`). `schema_version` records each applied step; a database
//! whose newest step is above [`LATEST`] was migrated by a newer openleash and is refused, so an
//! old binary can never write rows a newer schema gives another meaning.
//!
//! What the store holds (after every step): the records of the data directory, byte for byte,
//! in the record tables with their change feed (version 2); the audit chain and its signed head
//! (version 1, made leaner by versions 3 and 4); the replay cache (`nonces`) and the published
//! public keys (`server_keys`). Version 1 also made a table per entity; the record tables replaced
//! them, nothing reads them, and version 5 drops them.

use super::{PgConn, db_error};
use crate::error::{Error, ErrorCode, Result};

/// One migration: its number, a name for `schema_version`, and the SQL it runs.
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. Append only: a released step is never edited.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "entities, decision state and the audit chain",
        sql: V1,
    },
    Migration {
        version: 2,
        name: "the record tree under the data directory's logic, and its change feed",
        sql: V2,
    },
    Migration {
        version: 3,
        name: "the audit chain indexed by seq only, its rows stored uncompressed",
        sql: V3,
    },
    Migration {
        version: 4,
        name: "the audit chain's rows keep seq, hash and line only",
        sql: V4,
    },
    Migration {
        version: 5,
        name: "version 1's entity tables, which the record tables replaced, are dropped",
        sql: V5,
    },
];

/// The schema this build reads and writes.
pub const LATEST: i32 = 5;

/// Serialises concurrent `migrate-schema` runs (any 64-bit constant unique to this purpose).
const MIGRATE_LOCK: i64 = 0x6f6c_6d69_6772_6174; // "olmigrat"

const V1: &str = r#"
-- Owners: users and organisations share one id space, as in the file store.
CREATE TABLE owners (
    id          text PRIMARY KEY,
    owner_type  text NOT NULL CHECK (owner_type IN ('user', 'org')),
    slug        text UNIQUE,
    status      text NOT NULL DEFAULT 'active',
    created_at  timestamptz NOT NULL DEFAULT now(),
    doc         jsonb NOT NULL
);
CREATE INDEX owners_list ON owners (owner_type, created_at, id);

-- Login identities of users (email, passphrase hash, TOTP) live in the user's doc; the
-- unique login name is a column so two instances can never create the same user twice.
CREATE TABLE users (
    owner_id    text PRIMARY KEY REFERENCES owners (id) ON DELETE CASCADE,
    login       text NOT NULL UNIQUE,
    role        text NOT NULL DEFAULT 'user',
    doc         jsonb NOT NULL
);

CREATE TABLE org_members (
    org_id      text NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    user_id     text NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    role        text NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_members_by_user ON org_members (user_id);

CREATE TABLE org_invites (
    id          text PRIMARY KEY,
    org_id      text NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    doc         jsonb NOT NULL
);
CREATE INDEX org_invites_by_org ON org_invites (org_id, created_at, id);

-- Agents: `id` is the internal id, `agent_id` the name agents sign with. A revoked agent's
-- name may be registered again; a live one never twice (SPEC §19: agent_id uniqueness).
CREATE TABLE agents (
    id          text PRIMARY KEY,
    agent_id    text NOT NULL,
    owner_id    text NOT NULL REFERENCES owners (id),
    status      text NOT NULL,
    public_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    doc         jsonb NOT NULL
);
CREATE UNIQUE INDEX agents_live_agent_id ON agents (agent_id) WHERE status <> 'REVOKED';
CREATE INDEX agents_by_owner ON agents (owner_id, created_at, id);

CREATE TABLE policy_groups (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL REFERENCES owners (id),
    slug        text NOT NULL,
    doc         jsonb NOT NULL,
    UNIQUE (owner_id, slug)
);

CREATE TABLE group_members (
    group_id    text NOT NULL REFERENCES policy_groups (id) ON DELETE CASCADE,
    agent_id    text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, agent_id)
);
CREATE INDEX group_members_by_agent ON group_members (agent_id);

-- Policies keep their text exactly as given (comments, order, formatting).
CREATE TABLE policies (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL REFERENCES owners (id),
    name        text,
    text        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    doc         jsonb NOT NULL
);
CREATE INDEX policies_by_owner ON policies (owner_id, created_at, id);

-- Which policies apply to whom: an agent, a policy group or every agent of an owner.
CREATE TABLE policy_bindings (
    id          text PRIMARY KEY,
    policy_id   text NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    owner_id    text NOT NULL REFERENCES owners (id),
    target_kind text NOT NULL CHECK (target_kind IN ('agent', 'group', 'owner')),
    target_id   text NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX policy_bindings_by_target ON policy_bindings (target_kind, target_id);
CREATE INDEX policy_bindings_by_policy ON policy_bindings (policy_id);

-- Server signing keys: public parts only. Private keys stay in each instance's data dir
-- (docs/store.md explains the choice); `active` marks the key new proofs and heads use.
CREATE TABLE server_keys (
    kid         text PRIMARY KEY,
    public_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    active      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX server_keys_one_active ON server_keys (active) WHERE active;

CREATE TABLE provisioners (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL REFERENCES owners (id),
    token_hash  text NOT NULL UNIQUE,
    status      text NOT NULL,
    doc         jsonb NOT NULL
);

-- Approval requests. `token_consumed_at` is set once, by a conditional update in the
-- decision's transaction (SPEC §19: an approval token is consumed once).
CREATE TABLE approvals (
    id                 text PRIMARY KEY,
    owner_id           text NOT NULL,
    agent_id           text NOT NULL,
    status             text NOT NULL,
    action_hash        text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    token_expires_at   timestamptz,
    token_consumed_at  timestamptz,
    doc                jsonb NOT NULL
);
CREATE INDEX approvals_by_owner ON approvals (owner_id, created_at, id);
CREATE INDEX approvals_pending ON approvals (owner_id, created_at, id) WHERE status = 'PENDING';

CREATE TABLE decisions (
    id          text PRIMARY KEY,
    agent_id    text NOT NULL,
    owner_id    text NOT NULL,
    result      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    doc         jsonb NOT NULL
);
CREATE INDEX decisions_by_owner ON decisions (owner_id, created_at, id);

CREATE TABLE drafts (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL,
    agent_id    text,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    doc         jsonb NOT NULL
);
CREATE INDEX drafts_by_owner ON drafts (owner_id, created_at, id);

-- Agent invites: a token is redeemed once (`used_at` set by a conditional update).
CREATE TABLE invites (
    id          text PRIMARY KEY,
    owner_id    text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    doc         jsonb NOT NULL
);
CREATE INDEX invites_by_owner ON invites (owner_id, created_at, id);

-- Portal/API sessions by the hash of their token, and revoked tokens until they expire.
CREATE TABLE sessions (
    token_hash  text PRIMARY KEY,
    user_id     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE revocations (
    kind        text NOT NULL,
    id          text NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    PRIMARY KEY (kind, id)
);

-- The replay cache: a (agent, nonce) pair is accepted once across every instance.
CREATE TABLE nonces (
    agent_id    text NOT NULL,
    nonce       text NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (agent_id, nonce)
);
CREATE INDEX nonces_expiry ON nonces (expires_at);

-- Stateful limits: one row per counter key (locked by check-and-consume), one entry per
-- consumption; a window sums the entries after its start.
CREATE TABLE limit_counters (
    key         text PRIMARY KEY,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE limit_entries (
    key          text NOT NULL REFERENCES limit_counters (key) ON DELETE CASCADE,
    at_ms        bigint NOT NULL,
    amount       bigint NOT NULL,
    currency     text,
    decision_id  text
);
CREATE INDEX limit_entries_window ON limit_entries (key, at_ms);

-- Notifications waiting for delivery (SPEC: outbox), claimed with SKIP LOCKED by any instance.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    channel          text NOT NULL,
    status           text NOT NULL DEFAULT 'pending',
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    payload          jsonb NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- The audit chain: `line` is the exact line of the file log (SPEC §10) without its newline,
-- so one verifier checks both; the other columns index it for queries.
CREATE TABLE audit_events (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    event_id      text NOT NULL UNIQUE,
    timestamp     text NOT NULL,
    event_type    text NOT NULL,
    principal_id  text,
    action_id     text,
    decision_id   text,
    prev_hash     text NOT NULL,
    hash          text NOT NULL,
    line          text NOT NULL
);
CREATE INDEX audit_events_by_principal ON audit_events (principal_id, seq) WHERE principal_id IS NOT NULL;
CREATE INDEX audit_events_by_decision ON audit_events (decision_id) WHERE decision_id IS NOT NULL;
CREATE INDEX audit_events_by_type ON audit_events (event_type, seq);

-- The signed head: where the chain ends, signed by a server key (same text form as audit.head).
CREATE TABLE audit_head (
    id         smallint PRIMARY KEY CHECK (id = 1),
    seq        bigint NOT NULL,
    hash       text NOT NULL,
    kid        text NOT NULL,
    signature  text NOT NULL,
    timestamp  text NOT NULL
);

-- Bumped (and NOTIFYed on channel openleash_changes) by every change that instances cache,
-- so a policy edited by the CLI is seen by every instance without restart.
CREATE TABLE generations (
    name        text PRIMARY KEY,
    generation  bigint NOT NULL DEFAULT 0
);
INSERT INTO generations (name) VALUES ('policies'), ('agents'), ('keys'), ('owners');
"#;

/// The storage seam's tables (`store::pg::tree`): every record of the data directory addressed by
/// its relative path, byte for byte, plus a change feed the instances' caches follow.
const V2: &str = r#"
-- One row per record (a file of the data directory) or directory. Paths compare bytewise
-- (COLLATE "C"), so a listing comes out in the same order as the file store's sorted names.
-- Directories are rows too (is_dir): writing a/b/c creates a and a/b, and a listing is an index
-- range scan over (parent, name), never a scan of everything below.
CREATE TABLE tree_records (
    path        text COLLATE "C" PRIMARY KEY,
    parent      text COLLATE "C" NOT NULL,
    name        text COLLATE "C" NOT NULL,
    is_dir      boolean NOT NULL,
    body        bytea,
    mode        integer NOT NULL,
    -- The seq of the change that last wrote the record (0 for a directory).
    version     bigint NOT NULL,
    CHECK (is_dir = (body IS NULL))
);
CREATE INDEX tree_records_list ON tree_records (parent, name);

-- Every write or removal, in commit order (writers hold the chain lock while they insert, so seq
-- order is commit order). Caches catch up with `seq > last_seen`; pruned to a bounded tail.
CREATE TABLE tree_changes (
    seq         bigserial PRIMARY KEY,
    path        text COLLATE "C" NOT NULL
);

-- The highest pruned seq: a cache that last saw an older seq missed changes and starts over.
CREATE TABLE tree_feed (
    id              integer PRIMARY KEY CHECK (id = 1),
    pruned_through  bigint NOT NULL
);
INSERT INTO tree_feed (id, pruned_through) VALUES (1, 0);
"#;

/// The chain's rows are appended under its lock, so every cost of an insert there is paid by
/// every instance in turn. Queries of the chain go by `seq` only (every other read is served by
/// the instances' local indexes), so the other indexes, and the uniqueness of random event ids,
/// only cost each append; and a decision's row (about 2 KB) is kept as it is instead of being
/// compressed on the way in (`toast_tuple_target`).
const V3: &str = r#"
DROP INDEX audit_events_by_principal;
DROP INDEX audit_events_by_decision;
DROP INDEX audit_events_by_type;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_event_id_key;
ALTER TABLE audit_events SET (toast_tuple_target = 8160);
"#;

/// Every field of an event is in its line, and nothing queries the chain by them (version 3
/// dropped their indexes), so keeping them again as columns only made each appended row bigger:
/// more bytes to send, to write to the WAL and to store, under the chain's lock. `hash` stays:
/// finding the chain's end reads it. Dropping a column only marks it dropped: old rows keep
/// their bytes until rewritten, which nothing needs.
const V4: &str = r#"
ALTER TABLE audit_events
    DROP COLUMN event_id,
    DROP COLUMN timestamp,
    DROP COLUMN event_type,
    DROP COLUMN principal_id,
    DROP COLUMN action_id,
    DROP COLUMN decision_id,
    DROP COLUMN prev_hash;
"#;

/// Records live in version 2's record tables, byte for byte as in a data directory, so that no
/// rule is written twice; nothing has read or written version 1's per-entity tables since (the
/// first owner, agent and policy of `init --store` included). Of version 1 the replica keeps
/// `server_keys`, `nonces`, `audit_events` and `audit_head`.
const V5: &str = r#"
DROP TABLE owners, users, org_members, org_invites, agents, policy_groups, group_members,
    policies, policy_bindings, provisioners, approvals, decisions, drafts, invites, sessions,
    revocations, limit_counters, limit_entries, outbox, generations;
"#;

/// The newest applied version, or `None` when the database has no openleash schema.
pub fn current_version(c: &mut impl postgres::GenericClient) -> Result<Option<i32>> {
    let exists = c
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .map_err(|e| db_error("read the schema version", e))?;
    if !exists.get::<_, bool>(0) {
        return Ok(None);
    }
    let row = c
        .query_one("SELECT max(version) FROM schema_version", &[])
        .map_err(|e| db_error("read the schema version", e))?;
    Ok(row.get(0))
}

/// What [`migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MigrateOutcome {
    /// The version found (`None`: an empty database).
    pub from: Option<i32>,
    pub to: i32,
    pub applied: Vec<i32>,
}

fn newer_schema(found: i32) -> Error {
    Error::new(
        ErrorCode::InvalidConfig,
        format!(
            "the database schema is at version {found}, newer than this openleash understands (version {LATEST})"
        ),
    )
    .with_hint("upgrade openleash on this host to the version that migrated the database; never run an older openleash against a newer schema")
}

/// Brings the schema to [`LATEST`], each step in its own transaction; a no-op when it is
/// already there. Concurrent runs wait for each other. Refuses a newer schema.
pub fn migrate(c: &mut PgConn) -> Result<MigrateOutcome> {
    migrate_to(c, LATEST)
}

/// [`migrate`] up to `target` only (tests build what an older openleash left behind).
fn migrate_to(c: &mut PgConn, target: i32) -> Result<MigrateOutcome> {
    let mut tx = c
        .transaction()
        .map_err(|e| db_error("start the migration", e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
        .map_err(|e| db_error("lock the schema", e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version     integer PRIMARY KEY,
             name        text NOT NULL,
             applied_at  timestamptz NOT NULL DEFAULT now()
         )",
    )
    .map_err(|e| db_error("create schema_version", e))?;
    let from: Option<i32> = tx
        .query_one("SELECT max(version) FROM schema_version", &[])
        .map_err(|e| db_error("read the schema version", e))?
        .get(0);
    if let Some(v) = from.filter(|v| *v > LATEST) {
        return Err(newer_schema(v));
    }
    let mut applied = Vec::new();
    for m in MIGRATIONS
        .iter()
        .filter(|m| Some(m.version) > from && m.version <= target)
    {
        tx.batch_execute(m.sql).map_err(|e| {
            db_error(
                &format!("apply schema migration {} ({})", m.version, m.name),
                e,
            )
        })?;
        tx.execute(
            "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
            &[&m.version, &m.name],
        )
        .map_err(|e| db_error("record the schema version", e))?;
        applied.push(m.version);
    }
    tx.commit()
        .map_err(|e| db_error("commit the schema migration", e))?;
    Ok(MigrateOutcome {
        from,
        to: target,
        applied,
    })
}

/// For `openleash start` and every command: the schema must be exactly [`LATEST`].
pub fn check(c: &mut PgConn) -> Result<()> {
    match current_version(&mut **c)? {
        Some(v) if v == LATEST => Ok(()),
        Some(v) if v > LATEST => Err(newer_schema(v)),
        found => Err(Error::new(
            ErrorCode::NotInitialized,
            match found {
                None => "the PostgreSQL store has no openleash schema".to_string(),
                Some(v) => format!(
                    "the PostgreSQL store's schema is at version {v}, this openleash needs {LATEST}"
                ),
            },
        )
        .with_hint("run `openleash store migrate-schema`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pg::testdb::TestDb;

    #[test]
    fn migrations_are_numbered_in_order_up_to_latest() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.version), Some(LATEST));
    }

    #[test]
    fn migrate_is_idempotent_and_concurrent_runs_apply_once() {
        let Some(db) = TestDb::empty("migrate_is_idempotent") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        assert_eq!(current_version(&mut *c).unwrap(), None);
        assert!(check(&mut c).is_err());
        drop(c);
        let outcomes: Vec<MigrateOutcome> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| migrate(&mut db.store.conn().unwrap()).unwrap()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let all: Vec<i32> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert_eq!(outcomes.iter().filter(|o| o.applied == all).count(), 1);
        assert!(outcomes.iter().all(|o| o.to == LATEST));
        let mut c = db.store.conn().unwrap();
        check(&mut c).unwrap();
        let again = migrate(&mut c).unwrap();
        assert_eq!((again.from, again.applied.len()), (Some(LATEST), 0));
    }

    #[test]
    fn a_version_2_store_is_refused_until_migrated_and_keeps_its_chain() {
        let Some(db) = TestDb::empty("a_version_2_store") else {
            return;
        };
        // What an openleash of schema 2 left behind, with a chain of its own.
        let mut c = db.store.conn().unwrap();
        assert_eq!(migrate_to(&mut c, 2).unwrap().applied, [1, 2]);
        let key = crate::keys::ServerKey::generate();
        super::super::audit::publish_key(&mut *c, &key, true).unwrap();
        write_old_chain(&mut c, &key, 3);
        drop(c);
        let chain = super::super::audit::Chain::new(
            db.store.clone(),
            super::super::audit::HeadSigner {
                kid: key.kid.clone(),
                key: key.signing_key().unwrap(),
            },
        );
        let mut c = db.store.conn().unwrap();
        let e = check(&mut c).unwrap_err();
        assert!(e.message.contains("at version 2"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap().contains("store migrate-schema"));
        let outcome = migrate(&mut c).unwrap();
        assert_eq!((outcome.from, outcome.applied), (Some(2), vec![3, 4, 5]));
        check(&mut c).unwrap();
        let indexes: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_events'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(indexes, 1, "only the primary key on seq is left");
        let columns: Vec<String> = c
            .query(
                "SELECT attname::text FROM pg_attribute
                  WHERE attrelid = 'audit_events'::regclass AND attnum > 0 AND NOT attisdropped
                  ORDER BY attnum",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(columns, ["seq", "hash", "line"]);
        // Version 1's entity tables are gone; what the store uses of version 1 is kept.
        let exists = |c: &mut PgConn, table: &str| -> bool {
            c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
                .unwrap()
                .get(0)
        };
        for gone in [
            "owners",
            "agents",
            "policies",
            "approvals",
            "limit_entries",
            "outbox",
        ] {
            assert!(!exists(&mut c, gone), "{gone} is still there");
        }
        for kept in [
            "server_keys",
            "nonces",
            "audit_events",
            "audit_head",
            "tree_records",
        ] {
            assert!(exists(&mut c, kept), "{kept} is gone");
        }
        // The chain goes on where it was.
        let ev = crate::audit::NewEvent::new("E", serde_json::json!({ "i": 3 }));
        assert_eq!(chain.append(vec![ev]).unwrap()[0].seq, 4);
        let r = super::super::audit::verify(&db.store).unwrap();
        assert!(r.ok && r.events == 4, "{r:?}");
    }

    /// A chain of `n` events as openleash wrote it before version 4: every field also in a
    /// column of its own, and a signed head.
    fn write_old_chain(c: &mut PgConn, key: &crate::keys::ServerKey, n: u64) {
        let mut prev = crate::audit::line::GENESIS_HASH.to_string();
        for seq in 1..=n {
            let mut line = Vec::new();
            let ev = crate::audit::NewEvent::new("E", serde_json::json!({ "i": seq }));
            let e = crate::audit::line::encode_new(seq, &prev, ev, &mut line).unwrap();
            let line = String::from_utf8(line).unwrap();
            c.execute(
                "INSERT INTO audit_events (seq, event_id, timestamp, event_type, principal_id,
                                           action_id, decision_id, prev_hash, hash, line)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &(seq as i64),
                    &e.event_id,
                    &e.timestamp,
                    &e.event_type,
                    &e.principal_id,
                    &e.action_id,
                    &e.decision_id,
                    &e.prev_hash,
                    &e.hash,
                    &line.trim_end(),
                ],
            )
            .unwrap();
            prev = e.hash;
        }
        let head = crate::audit::head::Head::sign(
            n,
            prev,
            Vec::new(),
            &key.kid,
            &key.signing_key().unwrap(),
        );
        c.execute(
            "INSERT INTO audit_head (id, seq, hash, kid, signature, timestamp)
             VALUES (1, $1, $2, $3, $4, $5)",
            &[
                &(n as i64),
                &head.hash,
                &head.kid,
                &head.signature,
                &head.timestamp,
            ],
        )
        .unwrap();
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let Some(db) = TestDb::new("a_newer_schema_is_refused") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        c.execute(
            "INSERT INTO schema_version (version, name) VALUES ($1, 'from the future')",
            &[&(LATEST + 1)],
        )
        .unwrap();
        let e = migrate(&mut c).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        assert!(
            e.message.contains("newer than this openleash"),
            "{}",
            e.message
        );
        assert!(check(&mut c).unwrap_err().message.contains("newer"));
    }
}
