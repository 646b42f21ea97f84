//! The server keys' public parts in PostgreSQL (`server_keys`), shared by every instance.
//!
//! Private keys never enter the database (see `docs/store.md`, "Keys"): each instance signs
//! with the active key of its own `keys/`, and publishes every key's public part here when it
//! creates, rotates or revokes one. Verification — `/v1/public-keys`, proofs, approval tokens,
//! owner sessions and audit heads — uses the union of the local keys and this table, so what one
//! instance signed verifies on every other.
//!
//! Keys change rarely and are read on hot paths (every owner request verifies a session), so
//! each process keeps the table in a [`Snapshot`] re-read at most once per [`TTL`]: a rotation
//! on one instance is visible on every other within that time, without a restart and without a
//! listener connection. A rotation or revocation made by this process drops its snapshot at
//! once.

use super::{PgStore, db_error};
use crate::crypto::ed25519;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{PublicKey, PublishedKey, ServerKey};
use crate::store::DataDir;
use postgres::GenericClient;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// How long a snapshot of `server_keys` is trusted: the longest a key rotated or revoked on
/// another instance stays unseen here.
pub const TTL: Duration = Duration::from_secs(1);

/// The published keys as read at one moment, parsed once.
#[derive(Debug)]
pub struct Snapshot {
    /// Oldest first.
    pub keys: Vec<PublishedKey>,
    /// The same keys ready to verify, revoked ones flagged.
    pub public: Vec<PublicKey>,
    read_at: Instant,
}

fn to_rfc3339(t: SystemTime) -> String {
    crate::timefmt::format(time::OffsetDateTime::from(t))
}

/// Publishes `key`'s public part (with its creation time and revocation, if any); with
/// `active` it becomes the key the store lists as active. Idempotent.
pub fn publish(c: &mut impl GenericClient, key: &ServerKey, active: bool) -> Result<()> {
    super::audit::publish_key(c, key, active)
}

/// Marks `kid` revoked at `at` (a key already revoked keeps its first revocation time). Returns
/// the key as published, `None` when the store does not know it.
pub fn revoke(
    c: &mut impl GenericClient,
    kid: &str,
    at: SystemTime,
) -> Result<Option<PublishedKey>> {
    let row = c
        .query_opt(
            "UPDATE server_keys SET revoked_at = COALESCE(revoked_at, $2), active = false
             WHERE lower(kid) = lower($1)
             RETURNING kid, public_key, created_at, revoked_at",
            &[&kid, &at],
        )
        .map_err(|e| db_error("revoke a server key", e))?;
    Ok(row.map(|r| PublishedKey {
        kid: r.get(0),
        public_key_b64: r.get(1),
        created_at: to_rfc3339(r.get(2)),
        revoked_at: r.get::<_, Option<SystemTime>>(3).map(to_rfc3339),
    }))
}

/// Every published key, oldest first.
pub fn list(c: &mut impl GenericClient) -> Result<Vec<PublishedKey>> {
    let rows = c
        .query(
            "SELECT kid, public_key, created_at, revoked_at FROM server_keys
             ORDER BY created_at, kid",
            &[],
        )
        .map_err(|e| db_error("read the server keys", e))?;
    Ok(rows
        .into_iter()
        .map(|r| PublishedKey {
            kid: r.get(0),
            public_key_b64: r.get(1),
            created_at: to_rfc3339(r.get(2)),
            revoked_at: r.get::<_, Option<SystemTime>>(3).map(to_rfc3339),
        })
        .collect())
}

fn read_snapshot(store: &PgStore) -> Result<Snapshot> {
    let keys = list(&mut *store.conn()?)?;
    let public = keys
        .iter()
        .map(|k| {
            let key = ed25519::parse_public_key(&k.public_key_b64).map_err(|e| {
                Error::new(
                    ErrorCode::DataCorrupt,
                    format!(
                        "server key {} in the PostgreSQL store has an unusable public key: {}",
                        k.kid, e.message
                    ),
                )
            })?;
            Ok(PublicKey {
                kid: Some(k.kid.clone()),
                key,
                revoked: k.revoked_at.is_some(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Snapshot {
        keys,
        public,
        read_at: Instant::now(),
    })
}

#[derive(Default)]
struct Slot(Mutex<Option<Arc<Snapshot>>>);

static SNAPSHOTS: OnceLock<Mutex<crate::store::PerDataDir<Slot>>> = OnceLock::new();

/// The published keys of `dd`'s store, at most [`TTL`] old. The slot's lock is held while
/// reading, so concurrent callers share one query.
pub fn snapshot(dd: &DataDir, store: &PgStore) -> Result<Arc<Snapshot>> {
    let slot = crate::store::per_data_dir(&SNAPSHOTS, dd);
    let mut g = slot
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(s) = &*g
        && s.read_at.elapsed() < TTL
    {
        return Ok(s.clone());
    }
    let s = Arc::new(read_snapshot(store)?);
    *g = Some(s.clone());
    Ok(s)
}

/// Drops `dd`'s snapshot, so the next read sees a change this process just made.
pub fn invalidate(dd: &DataDir) {
    let slot = crate::store::per_data_dir(&SNAPSHOTS, dd);
    *slot
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::store::pg::testdb::TestDb;

    #[test]
    fn published_keys_keep_their_dates_and_revocations() {
        let Some(db) = TestDb::new("published_keys_keep_their_dates") else {
            return;
        };
        let mut c = db.store.conn().unwrap();
        let mut old = ServerKey::generate();
        old.created_at = "2024-01-15T10:30:00.000Z".into();
        let new = ServerKey::generate();
        publish(&mut *c, &new, true).unwrap();
        publish(&mut *c, &old, false).unwrap();
        let keys = list(&mut *c).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].kid, old.kid, "oldest first");
        assert_eq!(keys[0].created_at, old.created_at);
        assert_eq!(keys[0].public_key_b64, old.public_key_b64);
        assert_eq!(keys[1].revoked_at, None);

        let at = SystemTime::now();
        let r = revoke(&mut *c, &old.kid.to_uppercase(), at)
            .unwrap()
            .unwrap();
        assert!(r.revoked_at.is_some());
        // A second revocation keeps the first time.
        let again = revoke(&mut *c, &old.kid, at + Duration::from_secs(60))
            .unwrap()
            .unwrap();
        assert_eq!(again.revoked_at, r.revoked_at);
        assert!(
            revoke(&mut *c, "00000000-0000-4000-8000-000000000000", at)
                .unwrap()
                .is_none()
        );
        // Publishing the revoked key again does not un-revoke it.
        publish(&mut *c, &old, false).unwrap();
        assert!(list(&mut *c).unwrap()[0].revoked_at.is_some());
    }

    #[test]
    fn a_snapshot_is_reused_within_its_ttl_and_dropped_on_invalidate() {
        let Some(db) = TestDb::new("a_snapshot_is_reused") else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::at(tmp.path());
        let a = ServerKey::generate();
        publish(&mut *db.store.conn().unwrap(), &a, true).unwrap();
        let first = snapshot(&dd, &db.store).unwrap();
        assert_eq!(first.public.len(), 1);
        let b = ServerKey::generate();
        publish(&mut *db.store.conn().unwrap(), &b, true).unwrap();
        let cached = snapshot(&dd, &db.store).unwrap();
        if first.read_at.elapsed() < TTL {
            assert!(Arc::ptr_eq(&first, &cached));
        }
        invalidate(&dd);
        let fresh = snapshot(&dd, &db.store).unwrap();
        assert_eq!(fresh.keys.len(), 2);
        assert!(fresh.public.iter().all(|k| !k.revoked));
    }

    /// A data directory made as `init --store` makes it: a plain one copied into the (empty)
    /// store `db`, becoming its first replica.
    pub(crate) fn first_instance(db: &TestDb, root: &std::path::Path) -> DataDir {
        crate::handlers::setup::create_new_without_owner(root).unwrap();
        let config = root.join("config.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        let text = super::super::setup::config_with_store(&text, &db.url()).unwrap();
        std::fs::write(&config, text).unwrap();
        let plain = DataDir::at(root);
        let (key, _) = plain.active_key().unwrap();
        super::super::replica::push_all(&plain, &db.store, &key, true).unwrap();
        DataDir::open(root).unwrap()
    }

    /// A further instance, made the documented way: `config.yaml` and `keys/` copied from
    /// `from`, the rest caught up from the store.
    fn further_instance(from: &DataDir, root: &std::path::Path) -> DataDir {
        std::fs::create_dir_all(root.join("keys")).unwrap();
        std::fs::copy(from.config_path(), root.join("config.yaml")).unwrap();
        for e in std::fs::read_dir(from.root().join("keys")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), root.join("keys").join(e.file_name())).unwrap();
        }
        DataDir::open(root).unwrap()
    }

    /// Polls `f` for up to 5 s: another instance's change is seen within `TTL`, but the test
    /// asserts no timing.
    fn eventually(what: &str, f: impl Fn() -> bool) {
        let until = Instant::now() + Duration::from_secs(5);
        while !f() {
            assert!(Instant::now() < until, "never saw: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn a_rotation_and_a_revocation_on_one_instance_are_seen_by_the_other() {
        let Some(db) = TestDb::new("rotation_seen_by_the_other") else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let a = first_instance(&db, &tmp.path().join("a"));
        let b = further_instance(&a, &tmp.path().join("b"));
        let first = a.active_kid().unwrap();
        let kids = |dd: &DataDir| -> Vec<String> {
            dd.public_keys()
                .unwrap()
                .0
                .into_iter()
                .map(|k| k.kid)
                .collect()
        };
        assert_eq!(kids(&a), vec![first.clone()]);
        assert_eq!(kids(&b), vec![first.clone()]);

        let rotated = a.rotate_key().unwrap();
        assert_eq!(
            kids(&a),
            [first.clone(), rotated.kid.clone()],
            "seen at once by the rotating instance, oldest first"
        );
        eventually("a's new key on b", || kids(&b).contains(&rotated.kid));
        assert_eq!(kids(&b), [first.clone(), rotated.kid.clone()]);
        // What a signs with its new key verifies with b's keys.
        let (_, sk) = a.active_key().unwrap();
        let msg = b"signed on a";
        let sig = crate::crypto::ed25519::sign_b64(&sk, msg);
        let on_b = b.verification_keys().unwrap();
        let k = on_b
            .iter()
            .find(|k| k.kid.as_deref() == Some(rotated.kid.as_str()))
            .unwrap();
        assert!(!k.revoked);
        assert!(crate::crypto::ed25519::verify_b64(&k.key, msg, &sig));
        // b's own active key (the first; b has not rotated) cannot be revoked there.
        assert_eq!(
            b.revoke_key(&first).unwrap_err().code,
            ErrorCode::InvalidStatus
        );

        // a revokes the first key (b's copy too): published, so b sees it revoked.
        let r = a.revoke_key(&first).unwrap();
        assert!(r.is_revoked());
        eventually("the revocation on b", || {
            b.verification_keys()
                .unwrap()
                .iter()
                .any(|k| k.kid.as_deref() == Some(first.as_str()) && k.revoked)
        });
        // b revokes a's new key, which only a holds: revoked in the store, seen by a.
        let r = b.revoke_key(&rotated.kid).unwrap();
        assert!(r.is_revoked());
        assert!(
            !b.root()
                .join("keys")
                .join(format!("{}.json", rotated.kid))
                .exists()
        );
        eventually("b's revocation on a", || {
            a.public_keys()
                .unwrap()
                .0
                .iter()
                .any(|k| k.kid == rotated.kid && k.is_revoked())
        });
        // An unknown key is NOT_FOUND; a malformed kid INVALID_ID.
        assert_eq!(
            b.revoke_key("00000000-0000-4000-8000-000000000000")
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        assert_eq!(
            b.revoke_key("not-a-kid").unwrap_err().code,
            ErrorCode::InvalidId
        );
    }

    #[test]
    fn the_chain_signs_heads_with_the_key_active_at_each_batch() {
        let Some(db) = TestDb::new("chain_follows_the_active_key") else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let a = first_instance(&db, &tmp.path().join("a"));
        let chain = super::super::audit::Chain::new(
            db.store.clone(),
            super::super::audit::ActiveKeySigner(a.clone()),
        );
        let head_kid = || -> String {
            db.store
                .conn()
                .unwrap()
                .query_one("SELECT kid FROM audit_head WHERE id = 1", &[])
                .unwrap()
                .get(0)
        };
        let ev = || vec![crate::audit::NewEvent::new("E", serde_json::json!({}))];
        let before = super::super::audit::verify(&db.store).unwrap().events;
        chain.append(ev()).unwrap();
        assert_eq!(head_kid(), a.active_kid().unwrap());
        let rotated = a.rotate_key().unwrap();
        chain.append(ev()).unwrap();
        assert_eq!(head_kid(), rotated.kid);
        let r = super::super::audit::verify(&db.store).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!(r.events, before + 2);
    }
}
