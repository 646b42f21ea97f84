//! Server signing keys (`keys/<kid>.json`, private part 0600) and the active key (`keys/active`).
//! Old keys keep verifying after rotation; a revoked key verifies nothing (SPEC §2 Δ).

use crate::crypto::ed25519;
use crate::error::{Error, ErrorCode, Result};
use crate::ids;
use crate::store::{DataDir, Txn, corrupt, fsio};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerKey {
    pub kid: String,
    pub public_key_b64: String,
    pub private_key_b64: String,
    pub created_at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
}

impl ServerKey {
    pub fn generate() -> ServerKey {
        let sk = ed25519::generate();
        ServerKey {
            kid: ids::new_id(),
            public_key_b64: ed25519::public_key_b64(&sk.verifying_key()),
            private_key_b64: ed25519::private_key_b64(&sk),
            created_at: crate::timefmt::now_string(),
            revoked_at: None,
        }
    }

    pub fn signing_key(&self) -> Result<SigningKey> {
        ed25519::parse_private_key(&self.private_key_b64)
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        ed25519::parse_public_key(&self.public_key_b64)
    }

    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

/// A public key usable for verification (from the data dir, a keys file, or `--public-key`).
#[derive(Debug, Clone)]
pub struct PublicKey {
    pub kid: Option<String>,
    pub key: VerifyingKey,
    pub revoked: bool,
}

/// The public part of a signing key as `/v1/public-keys` and `keys list` show it: a key of this
/// data directory, or one another instance published in the shared store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedKey {
    pub kid: String,
    pub public_key_b64: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl PublishedKey {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

impl From<&ServerKey> for PublishedKey {
    fn from(k: &ServerKey) -> PublishedKey {
        PublishedKey {
            kid: k.kid.clone(),
            public_key_b64: k.public_key_b64.clone(),
            created_at: k.created_at.clone(),
            revoked_at: k.revoked_at.clone(),
        }
    }
}

/// Adds the keys `shared` holds (published by other instances) to this data directory's
/// `local` ones: one entry per kid, oldest first, revoked when either side says so (a
/// revocation made on any instance counts everywhere).
pub fn merge_published(
    local: &[PublishedKey],
    local_public: &[PublicKey],
    shared: &crate::store::pg::keys::Snapshot,
) -> (Vec<PublishedKey>, Vec<PublicKey>) {
    let mut keys: Vec<(PublishedKey, PublicKey)> = local
        .iter()
        .cloned()
        .zip(local_public.iter().cloned())
        .collect();
    for (k, p) in shared.keys.iter().zip(&shared.public) {
        match keys
            .iter_mut()
            .find(|(l, _)| l.kid.eq_ignore_ascii_case(&k.kid))
        {
            Some((l, lp)) => {
                if l.revoked_at.is_none() && k.revoked_at.is_some() {
                    l.revoked_at.clone_from(&k.revoked_at);
                    lp.revoked = true;
                }
            }
            None => keys.push((k.clone(), p.clone())),
        }
    }
    keys.sort_by(|a, b| {
        a.0.created_at
            .cmp(&b.0.created_at)
            .then(a.0.kid.cmp(&b.0.kid))
    });
    keys.into_iter().unzip()
}

/// The `/v1/public-keys` response shape.
pub fn public_keys_json(keys: &[PublishedKey], include_revoked: bool) -> serde_json::Value {
    let list: Vec<serde_json::Value> = keys
        .iter()
        .filter(|k| include_revoked || !k.is_revoked())
        .map(|k| {
            serde_json::json!({
                "kid": k.kid,
                "kty": "OKP",
                "alg": "EdDSA",
                "public_key_b64": k.public_key_b64,
                "created_at": k.created_at,
                "revoked_at": k.revoked_at,
            })
        })
        .collect();
    serde_json::json!({ "keys": list })
}

/// The parsed public keys of `keys`, revoked ones flagged.
pub fn local_public(keys: &[ServerKey]) -> Result<Vec<PublicKey>> {
    keys.iter()
        .map(|k| {
            Ok(PublicKey {
                kid: Some(k.kid.clone()),
                key: k.verifying_key()?,
                revoked: k.is_revoked(),
            })
        })
        .collect()
}

/// (inode, size, mtime) of a file, `None` when it cannot be read.
type Stamp = Option<(u64, u64, std::time::SystemTime)>;

fn file_stamp(path: &Path) -> Stamp {
    crate::store::filecache::file_id(path)
}

type ActiveKeyCache =
    std::sync::Mutex<std::collections::HashMap<PathBuf, (Stamp, Stamp, ServerKey, SigningKey)>>;

fn active_key_cache() -> &'static ActiveKeyCache {
    static CACHE: std::sync::OnceLock<ActiveKeyCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn check_mode(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            crate::output::warn(&format!(
                "{} holds a private key but is readable by other users (mode {:o}); run `chmod 600 {}`",
                path.display(),
                meta.permissions().mode() & 0o777,
                path.display()
            ));
        }
    }
}

impl DataDir {
    fn key_path(&self, kid: &str) -> Result<PathBuf> {
        ids::check_uuid("key id", kid)?;
        Ok(self
            .root()
            .join("keys")
            .join(format!("{}.json", kid.to_ascii_lowercase())))
    }

    fn active_path(&self) -> PathBuf {
        self.root().join("keys").join("active")
    }

    pub fn server_key(&self, kid: &str) -> Result<ServerKey> {
        let path = self.key_path(kid)?;
        let key: ServerKey = self.read_json(&path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("no signing key with kid {kid}"),
            )
            .with_hint("list keys with `openleash keys list`")
        })?;
        if !key.kid.eq_ignore_ascii_case(kid) {
            return Err(corrupt(&path, "its kid does not match its file name"));
        }
        key.verifying_key()
            .map_err(|e| corrupt(&path, &e.message))?;
        check_mode(&path);
        Ok(key)
    }

    /// All signing keys, oldest first.
    pub fn server_keys(&self) -> Result<Vec<ServerKey>> {
        let mut keys = Vec::new();
        for id in self.list_ids("keys", "json")? {
            if ids::is_uuid_shaped(&id) {
                keys.push(self.server_key(&id)?);
            }
        }
        keys.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.kid.cmp(&b.kid)));
        Ok(keys)
    }

    pub fn active_kid(&self) -> Result<String> {
        let path = self.active_path();
        let bytes =
            fsio::read_optional(&path)?.ok_or_else(|| Error::not_initialized(self.root()))?;
        let kid = String::from_utf8_lossy(&bytes).trim().to_string();
        if !ids::is_uuid_shaped(&kid) {
            return Err(corrupt(&path, "it does not contain a key id"));
        }
        Ok(kid)
    }

    /// The active key, ready to sign. Kept in a process-wide cache while `keys/active` and the key
    /// file are unchanged (same inode, size and mtime; every write replaces the file, so a rotation
    /// or revocation by another process is seen on the next call): reading and decoding the key
    /// cost more than signing with it, and the server signs on every decision.
    pub fn active_key(&self) -> Result<(ServerKey, SigningKey)> {
        let active = self.active_path();
        let stamp_active = file_stamp(&active);
        if let Some(hit) = active_key_cache()
            .lock()
            .ok()
            .and_then(|m| m.get(self.root()).cloned())
            .filter(|(sa, sk, key, _)| {
                stamp_active.is_some()
                    && *sa == stamp_active
                    && self.key_path(&key.kid).ok().map(|p| file_stamp(&p)) == Some(*sk)
            })
        {
            return Ok((hit.2, hit.3));
        }
        let key = self.server_key(&self.active_kid()?)?;
        let sk = key
            .signing_key()
            .map_err(|e| corrupt(&self.key_path(&key.kid).unwrap_or_default(), &e.message))?;
        let stamp_key = file_stamp(&self.key_path(&key.kid)?);
        if let Ok(mut m) = active_key_cache().lock() {
            m.insert(
                self.root().to_path_buf(),
                (stamp_active, stamp_key, key.clone(), sk.clone()),
            );
        }
        Ok((key, sk))
    }

    /// Public keys for verification, revoked ones included (flagged): this data directory's
    /// and, on a shared store, every key another instance published.
    pub fn verification_keys(&self) -> Result<Vec<PublicKey>> {
        let local = self.server_keys()?;
        let public = local_public(&local)?;
        match self.pg()? {
            None => Ok(public),
            Some(pg) => {
                let shared = crate::store::pg::keys::snapshot(self, &pg.store)?;
                let local: Vec<PublishedKey> = local.iter().map(PublishedKey::from).collect();
                Ok(merge_published(&local, &public, &shared).1)
            }
        }
    }

    /// Every key's public part (oldest first) with its parsed form: this data directory's keys
    /// and, on a shared store, those published by other instances (see `pg::keys`).
    pub fn public_keys(&self) -> Result<(Vec<PublishedKey>, Vec<PublicKey>)> {
        let local = self.server_keys()?;
        let public = local_public(&local)?;
        let local: Vec<PublishedKey> = local.iter().map(PublishedKey::from).collect();
        match self.pg()? {
            None => Ok((local, public)),
            Some(pg) => {
                let shared = crate::store::pg::keys::snapshot(self, &pg.store)?;
                Ok(merge_published(&local, &public, &shared))
            }
        }
    }

    /// Stages a new key and makes it active.
    pub fn stage_new_active_key(&self, txn: &mut Txn, key: &ServerKey) -> Result<()> {
        let bytes = crate::store::to_json_pretty(key)?;
        txn.write_mode(&self.key_path(&key.kid)?, bytes, 0o600);
        txn.write(&self.active_path(), format!("{}\n", key.kid).into_bytes());
        Ok(())
    }

    /// Stages a key without making it active (keys carried over by `import-upstream`).
    pub fn stage_key(&self, txn: &mut Txn, key: &ServerKey) -> Result<()> {
        let bytes = crate::store::to_json_pretty(key)?;
        txn.write_mode(&self.key_path(&key.kid)?, bytes, 0o600);
        Ok(())
    }

    /// `keys rotate`: adds a key and makes it active. On a shared store its public part is
    /// published first: were the local write to come first and the publication fail, this
    /// instance would sign with a key no other instance can check.
    pub fn rotate_key(&self) -> Result<ServerKey> {
        let _lock = self.lock()?;
        let key = ServerKey::generate();
        if let Some(pg) = self.pg()? {
            crate::store::pg::keys::publish(&mut *pg.store.conn()?, &key, true)?;
            crate::store::pg::keys::invalidate(self);
        }
        let mut txn = Txn::default();
        self.stage_new_active_key(&mut txn, &key)?;
        txn.commit()?;
        Ok(key)
    }

    /// `keys revoke`: marks a non-active key revoked. On a shared store the revocation is
    /// published to every instance, and a key only another instance holds (published there) can
    /// be revoked too.
    pub fn revoke_key(&self, kid: &str) -> Result<PublishedKey> {
        let _lock = self.lock()?;
        ids::check_uuid("key id", kid)?;
        let pg = self.pg()?;
        let local = match self.server_key(kid) {
            Ok(k) => Some(k),
            Err(e) if e.code == ErrorCode::NotFound && pg.is_some() => None,
            Err(e) => return Err(e),
        };
        if self.active_kid()?.eq_ignore_ascii_case(kid) {
            return Err(Error::new(
                ErrorCode::InvalidStatus,
                format!("key {kid} is the active signing key"),
            )
            .with_hint("run `openleash keys rotate` first, then revoke the old key"));
        }
        let revoked_at = local
            .as_ref()
            .and_then(|k| k.revoked_at.clone())
            .unwrap_or_else(crate::timefmt::now_string);
        let mut shared = None;
        if let Some(pg) = &pg {
            let at = crate::timefmt::parse(&revoked_at)
                .map_or_else(std::time::SystemTime::now, std::time::SystemTime::from);
            shared = crate::store::pg::keys::revoke(&mut *pg.store.conn()?, kid, at)?;
            crate::store::pg::keys::invalidate(self);
        }
        let Some(mut key) = local else {
            return shared.ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("no signing key with kid {kid}"),
                )
                .with_hint("list keys with `openleash keys list`")
            });
        };
        if !key.is_revoked() {
            key.revoked_at = Some(revoked_at);
            crate::store::write_atomic_mode(
                &self.key_path(&key.kid)?,
                &crate::store::to_json_pretty(&key)?,
                0o600,
            )?;
        }
        Ok(PublishedKey::from(&key))
    }
}
