//! The data directory: plain files a person can read, diff and back up (SPEC §4).
//!
//! Writers take an exclusive advisory lock on `.lock` for a short critical section; every file is
//! replaced atomically, so readers never need the lock and never see a torn file.

pub mod agents;
pub mod approvals;
pub mod bindings;
pub mod contact_index;
pub mod decisions;
pub mod filecache;
pub mod fsio;
pub mod gitignore;
pub mod groups;
pub mod invites;
pub mod limits;
pub mod listindex;
pub mod modes;
pub mod orgs;
pub mod owners;
pub mod pg;
pub mod provisioners;
pub mod records;
pub mod serverlock;
pub mod transformations;

use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use fsio::{DATA_DIR_MODE, SECRET_MODE, Txn, write_atomic, write_atomic_mode};

/// Sub-directories created by `init`.
pub const SUBDIRS: &[&str] = &[
    "owners",
    "agents",
    "policies",
    "keys",
    "approvals",
    "decisions",
    "drafts",
    "invites",
    "playground/scenarios",
];

/// Default bound on waiting for the writer lock.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// Held while writing; released on drop. With a PostgreSQL store it also holds the store's lock
/// (see [`pg::replica`]), released first.
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    section: Option<pg::replica::SectionGuard>,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        self.section.take();
        let _ = self.file.unlock();
    }
}

impl DataDir {
    /// A handle on `root` without any checks (for `init`).
    pub fn at(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// Opens an initialised data directory, or fails with `NOT_INITIALIZED` naming `openleash init`.
    pub fn open(root: impl Into<PathBuf>) -> Result<DataDir> {
        let d = DataDir::at(root);
        if !d.is_initialized() {
            return Err(Error::not_initialized(&d.root));
        }
        pg::replica::attach(&d)?;
        Ok(d)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A data dir counts as initialised once `init` wrote the active key marker. A missing
    /// `config.yaml` in such a dir is then reported as a config problem, not as "run init".
    pub fn is_initialized(&self) -> bool {
        self.root.join("keys").join("active").is_file()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join("config.yaml")
    }

    pub fn config(&self) -> Result<Config> {
        Config::load(&self.config_path())
    }

    /// The shared PostgreSQL store this directory replicates, or `None` for a plain data
    /// directory (see [`pg::replica`]).
    pub fn pg(&self) -> Result<Option<std::sync::Arc<pg::replica::PgBackend>>> {
        pg::replica::backend(self)
    }

    pub fn audit_log_path(&self) -> PathBuf {
        self.root.join("audit.log.jsonl")
    }

    /// Takes the exclusive writer lock, waiting at most `OPENLEASH_LOCK_TIMEOUT_MS` (default 10 s).
    /// With a PostgreSQL store this is a critical section of the whole installation: the store's
    /// lock is taken too and the replica caught up before this returns.
    pub fn lock(&self) -> Result<WriteLock> {
        // A request whose nonce waits for its first change records it now (`pg::nonces`).
        pg::replica::settle_nonce(self)?;
        let mut lock = self.lock_local()?;
        lock.section = pg::replica::enter(self)?;
        Ok(lock)
    }

    /// Whether this lock is also a critical section of a PostgreSQL store.
    pub(crate) fn has_section(lock: &WriteLock) -> bool {
        lock.section.is_some()
    }

    /// The writer lock of this directory's files only (a replica's catch-up takes it).
    pub(crate) fn lock_local(&self) -> Result<WriteLock> {
        let path = self.root.join(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("open lock file", &path, e))?;
        let timeout = std::env::var("OPENLEASH_LOCK_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis)
            .unwrap_or(DEFAULT_LOCK_TIMEOUT);
        let start = Instant::now();
        let mut backoff = Duration::from_micros(200);
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(WriteLock {
                        file,
                        section: None,
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= timeout {
                        return Err(Error::new(
                            ErrorCode::LockTimeout,
                            format!("timed out after {:?} waiting for the writer lock {}", timeout, path.display()),
                        )
                        .with_hint("another openleash process is writing to this data directory; retry, or check for a stuck process"));
                    }
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
            }
        }
    }

    /// Reads and parses a YAML entity file; `Ok(None)` if it does not exist.
    pub fn read_yaml<T: serde::de::DeserializeOwned>(&self, path: &Path) -> Result<Option<T>> {
        let Some(bytes) = fsio::read_optional(path)? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| corrupt(path, "not valid UTF-8"))?;
        serde_saphyr::from_str(&text)
            .map(Some)
            .map_err(|e| corrupt(path, &e.to_string()))
    }

    pub fn read_json<T: serde::de::DeserializeOwned>(&self, path: &Path) -> Result<Option<T>> {
        let Some(bytes) = fsio::read_optional(path)? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            corrupt(
                path,
                &format!("{} (line {}, column {})", e, e.line(), e.column()),
            )
        })
    }

    /// Lists the ids (file stems) of `dir` with extension `ext`, sorted.
    pub fn list_ids(&self, dir: &str, ext: &str) -> Result<Vec<String>> {
        let p = self.root.join(dir);
        let rd = match std::fs::read_dir(&p) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
            Err(e) => return Err(Error::io("list", &p, e)),
        };
        let mut ids = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| Error::io("list", &p, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            if let Some(stem) = name.strip_suffix(ext).and_then(|s| s.strip_suffix('.')) {
                ids.push(stem.to_string());
            }
        }
        ids.sort();
        Ok(ids)
    }
}

/// A data file that exists but cannot be understood.
pub fn corrupt(path: &Path, why: &str) -> Error {
    Error::new(ErrorCode::DataCorrupt, format!("{} is corrupt: {why}", path.display()))
        .with_hint("restore the file from a backup or version control; openleash never writes a partial file, so it was changed by hand or by another tool")
}

pub fn to_yaml<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_saphyr::to_string(v)
        .map(String::into_bytes)
        .map_err(|e| Error::internal(format!("cannot serialise YAML: {e}")))
}

pub fn to_json_pretty<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(v)
        .map_err(|e| Error::internal(format!("cannot serialise JSON: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// Process-wide state kept once per data directory (see [`per_data_dir`]).
pub(crate) struct PerDataDir<T> {
    by_path: std::collections::HashMap<PathBuf, std::sync::Arc<T>>,
    by_canonical_path: std::collections::HashMap<PathBuf, std::sync::Arc<T>>,
}

impl<T> Default for PerDataDir<T> {
    fn default() -> Self {
        PerDataDir {
            by_path: Default::default(),
            by_canonical_path: Default::default(),
        }
    }
}

/// The one `T` of `dd` in this process: two spellings of one directory share it (keyed by the
/// canonical path), and lookups go by the path as given, so that the hot path does not
/// canonicalize (one syscall per path component) on every call.
pub(crate) fn per_data_dir<T: Default>(
    registry: &std::sync::OnceLock<std::sync::Mutex<PerDataDir<T>>>,
    dd: &DataDir,
) -> std::sync::Arc<T> {
    let mut r = registry
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(t) = r.by_path.get(dd.root()) {
        return t.clone();
    }
    let key = std::fs::canonicalize(dd.root()).unwrap_or_else(|_| dd.root().to_path_buf());
    let t = r.by_canonical_path.entry(key).or_default().clone();
    r.by_path.insert(dd.root().to_path_buf(), t.clone());
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_and_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let d = DataDir::at(dir.path());
        let held = d.lock().unwrap();
        // SAFETY of the env var: tests in this binary that read it all accept a short timeout.
        let other = File::options()
            .write(true)
            .open(dir.path().join(".lock"))
            .unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn uninitialised_dir_names_init() {
        let dir = tempfile::tempdir().unwrap();
        let e = DataDir::open(dir.path().join("data")).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotInitialized);
        assert!(e.hint.as_deref().unwrap().contains("openleash init"));
    }
}
