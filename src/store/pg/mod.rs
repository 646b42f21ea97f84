//! The PostgreSQL store (SPEC §19): several `openleash start` instances on one database.
//!
//! This module is the foundation the handlers will be wired to (see `docs/store.md`):
//! - [`PgStore`] — a small connection pool ([`r2d2`]) with the errors mapped to
//!   `STORE_UNAVAILABLE` when the database cannot be reached, and reconnection on the next
//!   checkout after a connection broke;
//! - [`schema`] — versioned migrations for every entity, refusing a schema newer than this build;
//! - the cross-instance guarantees, each enforced by the database rather than by instances
//!   agreeing: [`nonces`] (accepted once), [`limits`] (exact check-and-consume), [`approvals`]
//!   (a token consumed once), [`agents`] (`agent_id` unique among live agents) and [`audit`]
//!   (one hash chain, appends serialised per batch with group commit, verified by the same code
//!   as the file log).
//!
//! All of it is blocking (the `postgres` crate keeps its runtime to itself), matching the
//! thread-per-request server.

pub mod audit;
pub mod audit_read;
pub(crate) mod group;
pub mod keys;
pub mod nonces;
pub mod records;
pub mod replica;
pub mod schema;
pub mod setup;

use crate::config::StoreConfig;
use crate::error::{Error, ErrorCode, Result};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::postgres::NoTls;
use std::time::Duration;

pub use r2d2_postgres::postgres;

/// A pooled connection; returned to the pool on drop (dropped instead when it broke).
pub type PgConn = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// The hint every `STORE_UNAVAILABLE` carries.
const UNAVAILABLE_HINT: &str = "check that PostgreSQL is running and reachable at store.url (or OPENLEASH_STORE_URL); requests fail with 503 until it is back, and the server reconnects by itself";

/// A handle on the database: cheap to clone, shared by every thread of an instance.
#[derive(Clone)]
pub struct PgStore {
    pool: r2d2::Pool<PostgresConnectionManager<NoTls>>,
    /// For connections kept outside the pool ([`audit::Chain`]'s).
    config: postgres::Config,
    /// The URL with its password hidden, for messages.
    url: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("url", &self.url).finish()
    }
}

/// What `/v1/health` reports about the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreHealth {
    pub backend: &'static str,
    /// `ok` or `unavailable`.
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<i32>,
}

impl PgStore {
    /// A pool for `cfg.url`. Connections are made lazily: an instance starts (and answers 503)
    /// while the database is down, and picks it up when it comes back.
    pub fn connect(cfg: &StoreConfig) -> Result<PgStore> {
        if cfg.url.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidConfig,
                "store.backend is postgres but no store.url is set",
            )
            .with_hint(
                "set store.url in config.yaml or OPENLEASH_STORE_URL, e.g. postgres://openleash@db:5432/openleash",
            ));
        }
        let redacted = crate::config::redact_url(&cfg.url);
        let mut pg: postgres::Config = cfg.url.parse().map_err(|e| {
            Error::new(
                ErrorCode::InvalidConfig,
                format!("`{redacted}` is not a valid PostgreSQL URL: {e}"),
            )
        })?;
        let timeout = Duration::from_secs(cfg.connect_timeout_seconds.max(1));
        pg.connect_timeout(timeout);
        if pg.get_application_name().is_none() {
            pg.application_name("openleash");
        }
        let pool = r2d2::Pool::builder()
            .max_size(u32::try_from(cfg.pool_size.clamp(1, 1000)).unwrap_or(16))
            .min_idle(Some(0))
            .connection_timeout(timeout)
            // A connection whose server went away (a PostgreSQL restart) does not report itself
            // closed until it is used, so each checkout checks it (one empty query) and a dead
            // one is replaced: the pool recovers by itself. The audit chain, whose commits are
            // the hot path, keeps its own connection instead (see `audit::Chain`).
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(PostgresConnectionManager::new(pg.clone(), NoTls));
        Ok(PgStore {
            pool,
            config: pg,
            url: redacted,
        })
    }

    /// A pool for a URL with the default pool settings (tools and tests).
    pub fn connect_url(url: &str) -> Result<PgStore> {
        Self::connect(&StoreConfig {
            backend: "postgres".into(),
            url: url.into(),
            ..StoreConfig::default()
        })
    }

    /// The URL with its password hidden.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A connection, or `STORE_UNAVAILABLE` when none can be made within the connect timeout.
    pub fn conn(&self) -> Result<PgConn> {
        self.pool.get().map_err(|e| {
            Error::new(
                ErrorCode::StoreUnavailable,
                format!("cannot reach the PostgreSQL store at {}: {e}", self.url),
            )
            .with_hint(UNAVAILABLE_HINT)
        })
    }

    /// A new connection outside the pool, for a user that keeps one for itself and drops it
    /// when it fails (`STORE_UNAVAILABLE` when none can be made).
    pub fn connect_one(&self) -> Result<postgres::Client> {
        self.config.connect(NoTls).map_err(|e| {
            Error::new(
                ErrorCode::StoreUnavailable,
                format!("cannot reach the PostgreSQL store at {}: {e}", self.url),
            )
            .with_hint(UNAVAILABLE_HINT)
        })
    }

    /// Whether the database answers, and its schema version. Uses an idle pooled connection
    /// when there is one, else connects once: a refused connection answers `unavailable` at
    /// once instead of after the pool's connect timeout, which health checks cannot wait for.
    pub fn health(&self) -> StoreHealth {
        let version = match self.pool.try_get() {
            Some(mut c) => schema::current_version(&mut *c),
            None => self
                .connect_one()
                .and_then(|mut c| schema::current_version(&mut c)),
        };
        StoreHealth {
            backend: "postgres",
            state: if version.is_ok() { "ok" } else { "unavailable" },
            schema_version: version.ok().flatten(),
        }
    }
}

/// Maps a database error: a lost or refused connection (or a server shutting down) is
/// `STORE_UNAVAILABLE`, anything else `INTERNAL` with the server's message. `what` says what
/// was being done ("append to the audit chain").
pub fn db_error(what: &str, e: postgres::Error) -> Error {
    if is_unavailable(&e) {
        return Error::new(
            ErrorCode::StoreUnavailable,
            format!("the PostgreSQL store went away while trying to {what}: {e}"),
        )
        .with_hint(UNAVAILABLE_HINT);
    }
    let detail = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string());
    Error::new(
        ErrorCode::Internal,
        format!("the PostgreSQL store could not {what}: {detail}"),
    )
}

/// True for errors after which retrying on a new connection may succeed.
pub fn is_unavailable(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    if e.is_closed() {
        return true;
    }
    match e.code() {
        // Class 08 — connection exception; 57P01..57P03 — shutdown / cannot connect now;
        // 53300 — too many connections.
        Some(code) => {
            code.code().starts_with("08")
                || *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || *code == SqlState::TOO_MANY_CONNECTIONS
        }
        // No SQLSTATE: unavailable when the socket failed, not for a client-side error such
        // as a value that does not convert.
        None => {
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                if s.is::<std::io::Error>() {
                    return true;
                }
                source = s.source();
            }
            false
        }
    }
}

/// True when `e` is a unique-key violation (SQLSTATE 23505), optionally of `constraint`.
pub fn is_unique_violation(e: &postgres::Error, constraint: Option<&str>) -> bool {
    let Some(db) = e.as_db_error() else {
        return false;
    };
    *db.code() == postgres::error::SqlState::UNIQUE_VIOLATION
        && constraint.is_none_or(|c| db.constraint() == Some(c))
}

#[cfg(test)]
pub(crate) mod testdb {
    //! A fresh database per test on the cluster `scripts/pg-cluster` starts. Tests that need
    //! PostgreSQL call [`TestDb::new`], which returns `None` (the test then passes as skipped,
    //! with a note on stderr) when `OPENLEASH_TEST_PG_URL` is unset. `scripts/test` always sets
    //! it, so CI runs them.
    use super::*;

    pub const URL_ENV: &str = "OPENLEASH_TEST_PG_URL";

    pub struct TestDb {
        admin_url: String,
        pub name: String,
        pub store: PgStore,
    }

    fn with_dbname(url: &str, db: &str) -> String {
        // The cluster URL is postgres://user@host:port/dbname (see scripts/pg-cluster).
        match url.rfind('/') {
            Some(i) if i > "postgres://".len() => format!("{}/{db}", &url[..i]),
            _ => format!("{url}/{db}"),
        }
    }

    impl TestDb {
        /// A new empty database (no schema), or `None` when no test cluster is configured.
        pub fn empty(test: &str) -> Option<TestDb> {
            let Ok(admin_url) = std::env::var(URL_ENV) else {
                eprintln!(
                    "SKIPPED {test}: {URL_ENV} is not set (scripts/test starts a PostgreSQL cluster; or run `eval \"$(scripts/pg-cluster start)\"`)"
                );
                return None;
            };
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut c = postgres::Client::connect(&admin_url, NoTls).expect("test cluster");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            let url = with_dbname(&admin_url, &name);
            let store = PgStore::connect_url(&url).expect("pool");
            Some(TestDb {
                admin_url,
                name,
                store,
            })
        }

        /// A new database with the current schema.
        pub fn new(test: &str) -> Option<TestDb> {
            let db = Self::empty(test)?;
            let mut c = db.store.conn().expect("conn");
            schema::migrate(&mut c).expect("migrate");
            drop(c);
            Some(db)
        }
    }

    /// Set (to anything) with `OPENLEASH_TEST_PG_URL` to run the tests that build their data
    /// directory with `audit::testutil::data_dir` on PostgreSQL replicas.
    pub const BACKEND_ENV: &str = "OPENLEASH_TEST_BACKEND_POSTGRES";

    /// A fresh migrated database for one test's data directory when the suite runs on the
    /// PostgreSQL backend; `None` otherwise. Databases are copied from a migrated template made
    /// once per process (a copy is much cheaper than migrating), and left to the throw-away
    /// cluster.
    pub fn backend_url() -> Option<String> {
        std::env::var_os(BACKEND_ENV)?;
        let admin_url = std::env::var(URL_ENV).ok()?;
        static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let template = TEMPLATE.get_or_init(|| {
            let name = format!("tpl_{}", uuid::Uuid::new_v4().simple());
            let mut c = postgres::Client::connect(&admin_url, NoTls).expect("test cluster");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create template database");
            let store = PgStore::connect_url(&with_dbname(&admin_url, &name)).expect("pool");
            schema::migrate(&mut store.conn().expect("conn")).expect("migrate");
            drop(store);
            name
        });
        let name = format!("h_{}", uuid::Uuid::new_v4().simple());
        let mut c = postgres::Client::connect(&admin_url, NoTls).expect("test cluster");
        // Copies from one template serialise in PostgreSQL; a busy template is retried.
        for attempt in 0.. {
            match c.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")) {
                Ok(()) => break,
                Err(e) if attempt < 50 => {
                    let _ = e;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        Some(with_dbname(&admin_url, &name))
    }

    impl TestDb {
        /// How many rows `table` holds.
        pub fn rows(&self, table: &str) -> i64 {
            self.store
                .conn()
                .expect("conn")
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .expect("count rows")
                .get(0)
        }

        /// The database's URL (the test cluster has no passwords).
        pub fn url(&self) -> String {
            with_dbname(&self.admin_url, &self.name)
        }
    }

    impl Drop for TestDb {
        fn drop(&mut self) {
            if let Ok(mut c) = postgres::Client::connect(&self.admin_url, NoTls) {
                let _ = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
}
