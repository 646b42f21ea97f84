//! Crash-safe file primitives: atomic replacement (temp file in the same directory, fsync, rename,
//! fsync of the directory) and a staged multi-file transaction whose temp files are all written
//! before the first rename, so a failure while writing leaves every file as it was.

use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);
static WRITES_DONE: AtomicU64 = AtomicU64::new(0);

/// Fault injection for tests (a full disk cannot be simulated with chmod when running as root):
/// `OPENLEASH_FAULT_WRITES_BEFORE_FAILURE=N` lets N staged writes succeed and fails the next one
/// with "No space left on device".
pub(crate) fn injected_fault() -> Option<std::io::Error> {
    let limit: u64 = std::env::var("OPENLEASH_FAULT_WRITES_BEFORE_FAILURE")
        .ok()?
        .parse()
        .ok()?;
    let n = WRITES_DONE.fetch_add(1, Ordering::SeqCst);
    (n >= limit).then(|| std::io::Error::from(std::io::ErrorKind::StorageFull))
}

fn temp_path(target: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = target
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("file");
    target.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Writes `bytes` to a fresh temp file beside `target` (mode `mode` on Unix) and, with `sync`,
/// fsyncs it.
fn write_temp(target: &Path, bytes: &[u8], mode: u32, sync: bool) -> Result<PathBuf> {
    let tmp = temp_path(target);
    let result = (|| -> std::io::Result<()> {
        if let Some(e) = injected_fault() {
            return Err(e);
        }
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        // An empty file (an index marker) has no data to flush: the directory fsync after the
        // rename makes its entry durable.
        if sync && !bytes.is_empty() {
            f.sync_all()
        } else {
            Ok(())
        }
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(Error::io("write", target, e))
        }
    }
}

/// fsyncs a directory so a rename inside it is durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    #[cfg(unix)]
    {
        let f = File::open(dir).map_err(|e| Error::io("open directory", dir, e))?;
        f.sync_all()
            .map_err(|e| Error::io("sync directory", dir, e))?;
    }
    Ok(())
}

/// Mode of files that hold a secret or a usable token (config.yaml with the admin token,
/// approval requests with their approval token, agent records), and of the data directory
/// itself (0700). Tokens are kept readable by the server rather than hashed because agents fetch
/// their approval token back through the API and notifications carry it.
pub const SECRET_MODE: u32 = 0o600;
pub const DATA_DIR_MODE: u32 = 0o700;

/// Atomically replaces `target` with `bytes` (mode 0644).
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_mode(target, bytes, 0o644)
}

/// Atomically replaces `target` with `bytes`, creating it with `mode`.
pub fn write_atomic_mode(target: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut t = Txn::default();
    t.write_mode(target, bytes.to_vec(), mode);
    t.commit()
}

/// Past this many files a transaction syncs the file system once rather than each file.
const BATCH_SYNC_OVER: usize = 32;

/// A set of file writes and removals applied together: every new content is first written to a
/// temp file and fsynced; only then are the temp files renamed into place (and removals done),
/// and the touched directories fsynced.
#[derive(Default)]
pub struct Txn {
    writes: Vec<(PathBuf, Vec<u8>, u32)>,
    removals: Vec<PathBuf>,
    /// List-index changes describing the records above, turned into file changes at commit
    /// (under the writer lock the caller holds) so that several records of one transaction
    /// rewrite each index chunk once.
    index: Vec<super::listindex::Op>,
}

impl Txn {
    pub fn write(&mut self, target: &Path, bytes: Vec<u8>) {
        self.write_mode(target, bytes, 0o644);
    }

    pub fn write_mode(&mut self, target: &Path, bytes: Vec<u8>, mode: u32) {
        self.writes.push((target.to_path_buf(), bytes, mode));
    }

    pub fn remove(&mut self, target: &Path) {
        self.removals.push(target.to_path_buf());
    }

    /// Stages a change to a list index (see [`super::listindex`]).
    pub fn index(&mut self, op: super::listindex::Op) {
        self.index.push(op);
    }

    /// Applies the transaction: to the local files, or — in a data directory that replicates a
    /// PostgreSQL store — to the store first and then to the files (see `pg::replica`).
    pub fn commit(mut self) -> Result<()> {
        let first = self
            .writes
            .first()
            .map(|(p, _, _)| p.as_path())
            .or(self.removals.first().map(PathBuf::as_path))
            .or(self.index.first().map(|op| op.root.as_path()));
        if let Some((root, store)) = super::pg::replica::route(first) {
            return store.commit_txn(&root, self);
        }
        self.resolve_index()?;
        self.apply_files()
    }

    /// The writes staged so far: `(path, bytes, mode)`.
    pub(crate) fn writes(&self) -> &[(PathBuf, Vec<u8>, u32)] {
        &self.writes
    }

    pub(crate) fn removals(&self) -> &[PathBuf] {
        &self.removals
    }

    /// Turns the staged list-index changes into file changes (under the writer lock).
    pub(crate) fn resolve_index(&mut self) -> Result<()> {
        if !self.index.is_empty() {
            let ix = super::listindex::resolve(&std::mem::take(&mut self.index))?;
            // A new entry goes in before its record (a crash between them leaves an entry
            // readers skip); a changed or removed one after it (see `listindex`).
            if ix.adds {
                let records = std::mem::replace(&mut self.writes, ix.writes);
                self.writes.extend(records);
            } else {
                self.writes.extend(ix.writes);
            }
            self.removals.extend(ix.removals);
        }
        Ok(())
    }

    /// Writes the staged changes to the files: temp files first, then renames, then the
    /// directories synced.
    pub(crate) fn apply_files(self) -> Result<()> {
        // A large transaction (converting a big catalogue) syncs its file system once instead
        // of each temp file: the same guarantee before the first rename, in one call.
        let batch = self.writes.len() > BATCH_SYNC_OVER;
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(self.writes.len());
        for (target, bytes, mode) in &self.writes {
            match write_temp(target, bytes, *mode, !batch) {
                Ok(tmp) => staged.push((tmp, target.clone())),
                Err(e) => {
                    for (tmp, _) in &staged {
                        let _ = fs::remove_file(tmp);
                    }
                    return Err(e);
                }
            }
        }
        if batch && let Some((tmp, _)) = staged.first() {
            let synced =
                File::open(tmp).and_then(|f| rustix::fs::syncfs(&f).map_err(std::io::Error::from));
            if let Err(e) = synced {
                for (tmp, _) in &staged {
                    let _ = fs::remove_file(tmp);
                }
                return Err(Error::io("sync file system of", tmp, e));
            }
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (tmp, target) in &staged {
            fs::rename(tmp, target).map_err(|e| Error::io("rename into", target, e))?;
            if let Some(d) = target.parent()
                && !dirs.iter().any(|x| x == d)
            {
                dirs.push(d.to_path_buf());
            }
        }
        for target in &self.removals {
            match fs::remove_file(target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", target, e)),
            }
            if let Some(d) = target.parent()
                && !dirs.iter().any(|x| x == d)
            {
                dirs.push(d.to_path_buf());
            }
        }
        for d in dirs {
            sync_dir(&d)?;
        }
        Ok(())
    }
}

/// Opens a file of the data directory without following a symbolic link in its last component
/// (`O_NOFOLLOW`): a link planted in the data directory must not redirect a read or an append
/// (the audit log, its head, policies, keys) to a file elsewhere.
pub fn open_nofollow(path: &Path, opts: &mut OpenOptions) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    opts.open(path)
}

/// [`open_nofollow`] for reading.
pub fn open_read_nofollow(path: &Path) -> std::io::Result<File> {
    open_nofollow(path, OpenOptions::new().read(true))
}

/// The error for a failed open of a data-dir file: `DATA_CORRUPT` naming the file when it is a
/// symbolic link, an I/O error otherwise.
pub fn open_error(op: &str, path: &Path, e: std::io::Error) -> Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return Error::new(
            crate::error::ErrorCode::DataCorrupt,
            format!(
                "{} is a symbolic link; openleash does not follow links inside the data directory",
                path.display()
            ),
        )
        .with_hint(format!(
            "replace the link with the real file (e.g. `cp --remove-destination \"$(readlink -f {0})\" {0}`) or restore it from a backup",
            path.display()
        ));
    }
    Error::io(op, path, e)
}

/// Reads a whole file of the data directory (never through a symbolic link); `Ok(None)` when it
/// does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    let read = || -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut f = open_read_nofollow(path)?;
        let mut b = Vec::new();
        f.read_to_end(&mut b)?;
        Ok(b)
    };
    match read() {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(open_error("read", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn txn_writes_all_or_nothing_before_renames() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let missing_dir = dir.path().join("nope").join("b");
        let mut t = Txn::default();
        t.write(&a, b"a".to_vec());
        t.write(&missing_dir, b"b".to_vec());
        assert!(t.commit().is_err());
        assert!(!a.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
