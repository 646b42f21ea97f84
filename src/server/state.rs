//! Shared server state: the data directory, in-memory security caches, and read caches of config,
//! keys and agents. The read caches are keyed by file identity (inode, size, mtime) so a CLI change
//! to the data dir is seen on the next request without a restart and without re-reading
//! unchanged files.

use super::auth::NonceCache;
use crate::config::Config;
use crate::error::Result;
use crate::store::DataDir;
use crate::store::agents::Agent;
pub use crate::store::filecache::{AgentCache, FileCache, Stamp};
use crate::store::pg::replica::PgBackend;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// Tunables of the HTTP layer (flags of `openleash start`; short values in tests).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Socket read/write timeout: ends idle keep-alive connections and stalled reads.
    pub idle_timeout: Duration,
    /// Total time allowed to receive a request head, from its first byte (408 and close).
    pub header_timeout: Duration,
    /// Total time allowed to receive a request body.
    pub body_timeout: Duration,
    /// Connections served at once; new connections beyond it get 503 `BUSY`.
    pub max_connections: usize,
    /// Connections one IP address may hold open at once (`server.max_connections_per_peer`).
    pub max_connections_per_peer: usize,
    pub nonce_cache_size: usize,
    pub challenge_cache_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle_timeout: Duration::from_secs(5),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_connections_per_peer: 256,
            nonce_cache_size: 2_000_000,
            challenge_cache_size: 10_000,
        }
    }
}

/// How long `/v1/health` reuses a probe of the shared store.
pub const STORE_HEALTH_TTL: Duration = Duration::from_secs(1);

pub struct AppState {
    pub dd: DataDir,
    pub bind: SocketAddr,
    pub limits: Limits,
    pub started_at: OffsetDateTime,
    pub nonces: NonceCache,
    pub challenges: super::challenges::Challenges,
    config: FileCache<Config>,
    keys: FileCache<KeySet>,
    merged_keys: Mutex<MergedKeys>,
    /// `dd.pg()`, looked up once (the backend is fixed for the process's life).
    shared_store: std::sync::OnceLock<Option<Arc<PgBackend>>>,
    /// The last `/v1/health` probe of the shared store.
    store_health: Mutex<Option<(std::time::Instant, crate::store::pg::StoreHealth)>>,
    agents: AgentCache,
    agent_keys: Mutex<HashMap<String, ed25519_dalek::VerifyingKey>>,
    /// Failed owner logins (API and portal share it).
    pub login_throttle: crate::handlers::owner::LoginThrottle,
    /// Counts passphrase recovery requests (API and portal share it).
    pub recovery_throttle: crate::handlers::owner::LoginThrottle,
    /// The owner portal's per-process secret and assets.
    pub portal: crate::portal::Portal,
    /// `start --gui` / `--no-gui`; `None` follows `server.gui`.
    pub gui_override: Option<bool>,
}

impl AppState {
    pub fn new(dd: DataDir, bind: SocketAddr, limits: Limits) -> AppState {
        AppState {
            nonces: NonceCache::new(limits.nonce_cache_size),
            challenges: super::challenges::Challenges::new(limits.challenge_cache_size),
            dd,
            bind,
            limits,
            started_at: crate::timefmt::now(),
            config: FileCache::default(),
            keys: FileCache::default(),
            merged_keys: Mutex::new(None),
            shared_store: std::sync::OnceLock::new(),
            store_health: Mutex::new(None),
            agents: AgentCache::default(),
            agent_keys: Mutex::new(HashMap::new()),
            login_throttle: crate::handlers::owner::LoginThrottle::default(),
            recovery_throttle: crate::handlers::owner::LoginThrottle::recovery(),
            portal: crate::portal::Portal::new(),
            gui_override: None,
        }
    }

    pub fn config(&self) -> Result<Arc<Config>> {
        let path = self.dd.config_path();
        self.config
            .get(std::slice::from_ref(&path), || Config::load(&path))
    }

    /// Signing keys' public parts, oldest first (revoked ones included, flagged), with their
    /// parsed forms: this data directory's and, on a shared store, those other instances
    /// published (read at most once per `pg::keys::TTL`).
    pub fn keys(&self) -> Result<Arc<KeySet>> {
        let local = self.local_keys()?;
        let Some(pg) = self.shared_store()? else {
            return Ok(local);
        };
        let shared = crate::store::pg::keys::snapshot(&self.dd, &pg.store)?;
        let mut g = self
            .merged_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((l, s, merged)) = &*g
            && Arc::ptr_eq(l, &local)
            && Arc::ptr_eq(s, &shared)
        {
            return Ok(merged.clone());
        }
        let (published, public) =
            crate::keys::merge_published(&local.published, &local.public, &shared);
        let merged = Arc::new(KeySet { published, public });
        *g = Some((local, shared, merged.clone()));
        Ok(merged)
    }

    /// The shared store (PostgreSQL) behind the data directory, `None` for plain files.
    pub fn shared_store(&self) -> Result<Option<&Arc<PgBackend>>> {
        if let Some(b) = self.shared_store.get() {
            return Ok(b.as_ref());
        }
        let b = self.dd.pg()?;
        Ok(self.shared_store.get_or_init(|| b).as_ref())
    }

    /// What `/v1/health` says about the store. A shared store is probed at most once per
    /// [`STORE_HEALTH_TTL`], whatever the rate of health checks; the probe runs under the lock,
    /// so checks arriving meanwhile wait for its answer instead of probing too.
    pub fn store_health(&self) -> Result<crate::store::pg::StoreHealth> {
        let Some(pg) = self.shared_store()? else {
            return Ok(crate::store::pg::StoreHealth {
                backend: "files",
                state: "ok",
                schema_version: None,
            });
        };
        let mut g = self
            .store_health
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, h)) = &*g
            && at.elapsed() < STORE_HEALTH_TTL
        {
            return Ok(h.clone());
        }
        let h = pg.store.health();
        *g = Some((std::time::Instant::now(), h.clone()));
        Ok(h)
    }

    /// This data directory's own keys (cached by the files' identity).
    pub fn local_keys(&self) -> Result<Arc<KeySet>> {
        let dir = self.dd.path("keys");
        let active = dir.join("active");
        self.keys.get(&[dir, active], || {
            let keys = self.dd.server_keys()?;
            let public = crate::keys::local_public(&keys)?;
            let published = keys.iter().map(crate::keys::PublishedKey::from).collect();
            Ok(KeySet { published, public })
        })
    }

    /// An agent by `agent_id` (through the index) or principal id; cached per agent file.
    pub fn agent(&self, id: &str) -> Result<Arc<Agent>> {
        self.agents.get(&self.dd, id)
    }

    /// A parsed agent public key (decoding and the point check are worth skipping per request).
    pub fn agent_key(&self, public_key_b64: &str) -> Result<ed25519_dalek::VerifyingKey> {
        if let Ok(m) = self.agent_keys.lock()
            && let Some(k) = m.get(public_key_b64)
        {
            return Ok(*k);
        }
        let k = crate::crypto::ed25519::parse_public_key(public_key_b64)?;
        if let Ok(mut m) = self.agent_keys.lock() {
            if m.len() > 100_000 {
                m.clear();
            }
            m.insert(public_key_b64.to_string(), k);
        }
        Ok(k)
    }

    /// The base URL clients should use (invite links, instructions).
    pub fn public_url(&self) -> String {
        match self.config() {
            Ok(c) if !c.server.public_url.is_empty() => {
                c.server.public_url.trim_end_matches('/').to_string()
            }
            _ => format!("http://{}", self.bind),
        }
    }
}

/// The signing keys' public parts as read at one moment.
pub struct KeySet {
    pub published: Vec<crate::keys::PublishedKey>,
    pub public: Vec<crate::keys::PublicKey>,
}

/// The last merge of local and shared keys, reused while neither side changed.
type MergedKeys = Option<(
    Arc<KeySet>,
    Arc<crate::store::pg::keys::Snapshot>,
    Arc<KeySet>,
)>;

/// Number of open file descriptors of this process (Linux), for the connection estimate. When
/// not even the directory can be opened for lack of descriptors, the process is saturated.
pub(crate) fn open_fds() -> Option<usize> {
    match std::fs::read_dir("/proc/self/fd") {
        Ok(rd) => Some(rd.count()),
        Err(e) if e.raw_os_error() == Some(24) || e.raw_os_error() == Some(23) => Some(usize::MAX),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handlers::setup::{SetupPlan, create_new};
    use crate::store::owners::{Owner, OwnerType};

    #[test]
    fn an_unchanged_agent_file_is_read_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        let sk = crate::crypto::ed25519::generate();
        let plan = SetupPlan {
            owner: Owner::new(OwnerType::User, "Test"),
            new_owner: true,
            agent_id: "a1".into(),
            public_key_b64: crate::crypto::ed25519::public_key_b64(&sk.verifying_key()),
            policy_yaml: crate::profiles::BALANCED.to_string(),
            profile: "BALANCED".into(),
            policy_name: "p".into(),
            policy_description: "d".into(),
            bind_to_agent: false,
            admin_token: None,
        };
        let created = create_new(&root, &plan).unwrap();
        let dd = DataDir::open(&root).unwrap();
        // Files written just now are "racy" (may change without their mtime moving): age them.
        let old = std::time::SystemTime::now() - Duration::from_secs(60);
        for p in [
            dd.agent_path(&created.agent.agent_principal_id).unwrap(),
            dd.path("agents").join("ids").join("a1"),
        ] {
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let state = AppState::new(dd, "127.0.0.1:0".parse().unwrap(), Limits::default());
        let first = state.agent("a1").unwrap();
        let second = state.agent("a1").unwrap();
        assert!(
            Arc::ptr_eq(&first, &second),
            "the second lookup re-read the file"
        );
    }

    /// A server state on a data directory whose config names `url` (nothing is pushed: the
    /// health probe needs only the config).
    fn state_on_store(root: &std::path::Path, url: &str) -> AppState {
        crate::handlers::setup::create_new_without_owner(root).unwrap();
        let config = root.join("config.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        let text = crate::store::pg::setup::config_with_store(&text, url).unwrap();
        std::fs::write(&config, text).unwrap();
        AppState::new(
            DataDir::at(root),
            "127.0.0.1:0".parse().unwrap(),
            Limits::default(),
        )
    }

    #[test]
    fn health_reports_the_store() {
        let tmp = tempfile::tempdir().unwrap();
        let files = tmp.path().join("files");
        crate::handlers::setup::create_new_without_owner(&files).unwrap();
        let state = AppState::new(
            DataDir::open(&files).unwrap(),
            "127.0.0.1:0".parse().unwrap(),
            Limits::default(),
        );
        assert_eq!(
            serde_json::to_value(state.store_health().unwrap()).unwrap(),
            serde_json::json!({"backend": "files", "state": "ok"})
        );
        // Port 1 on loopback: nothing listens there.
        let down = state_on_store(&tmp.path().join("down"), "postgres://nobody@127.0.0.1:1/x");
        let h = down.store_health().unwrap();
        assert_eq!(
            (h.backend, h.state, h.schema_version),
            ("postgres", "unavailable", None)
        );
        let Some(db) = crate::store::pg::testdb::TestDb::new("health_reports_the_store") else {
            return;
        };
        let up = state_on_store(&tmp.path().join("up"), &db.url());
        let h = up.store_health().unwrap();
        assert_eq!((h.backend, h.state), ("postgres", "ok"));
        assert_eq!(
            h.schema_version,
            crate::store::pg::schema::current_version(&mut *db.store.conn().unwrap()).unwrap()
        );
    }
}
