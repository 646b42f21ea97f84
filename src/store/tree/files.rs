//! [`FileTree`]: the data directory as it is today, behind the [`Tree`] seam.
//!
//! Every operation is one of today's primitives: reads are `fsio::read_optional` (never through
//! a symbolic link), versions are the `(inode, size, mtime)` identity `Stamp` compares, the lock
//! is `DataDir::lock` (the flock on `.lock`, `OPENLEASH_LOCK_TIMEOUT_MS`), and a commit is a
//! `fsio::Txn` (temp files written and fsynced first, then renamed, then the directories
//! fsynced). Readers in other processes see a commit as soon as its renames are done, exactly as
//! now; a lock dropped without `finish` keeps what it committed (a file system has no undo).

use super::{Entry, Op, Ops, Tree, TreeLock, Version, check_dir, check_rel, is_hidden};
use crate::error::{Error, Result};
use crate::store::filecache::{FileKey, file_id};
use crate::store::{DataDir, WriteLock, fsio};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How close to "now" a file's or directory's mtime may be before its identity is not trusted
/// (the same window as `filecache`).
const RACY: Duration = Duration::from_secs(2);

/// Past this many cached listings the cache starts over rather than growing with the
/// installation.
const MAX_LISTINGS: usize = 200_000;

/// The records of one data directory.
pub struct FileTree {
    root: PathBuf,
    /// Listings by directory, kept while the directory's identity is unchanged (adding or
    /// removing an entry is a rename into it, which moves its mtime): a settled directory is
    /// listed with one `stat`, as `filecache::uuid_names` does today.
    listings: Mutex<HashMap<String, Listing>>,
}

/// A directory's entries and the directory's identity when they were read.
type Listing = (FileKey, Arc<[Entry]>);

impl std::fmt::Debug for FileTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTree")
            .field("root", &self.root)
            .finish()
    }
}

impl FileTree {
    pub fn new(root: impl Into<PathBuf>) -> FileTree {
        FileTree {
            root: root.into(),
            listings: Mutex::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn version_of(&self, rel: &str) -> Result<Option<Version>> {
        check_rel(rel)?;
        let Some(key) = file_id(&self.path(rel)) else {
            return Ok(None);
        };
        Ok(Some(if settled(&key) {
            Version::file(key)
        } else {
            Version::unsettled()
        }))
    }

    fn list_dir(&self, dir: &str) -> Result<Arc<[Entry]>> {
        check_dir(dir)?;
        let path = self.path(dir);
        let Some(key) = file_id(&path) else {
            return Ok(Arc::from(Vec::new()));
        };
        if let Some((k, v)) = self
            .listings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(dir)
            && *k == key
        {
            return Ok(v.clone());
        }
        let rd = match std::fs::read_dir(&path) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Arc::from(Vec::new())),
            // A record, not a directory: nothing is below it.
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Ok(Arc::from(Vec::new()));
            }
            Err(e) => return Err(Error::io("list", &path, e)),
        };
        let mut entries = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| Error::io("list", &path, e))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if is_hidden(&name) {
                continue;
            }
            let is_dir = entry
                .file_type()
                .map_err(|e| Error::io("list", &path, e))?
                .is_dir();
            entries.push(Entry { name, is_dir });
        }
        entries.sort();
        let entries: Arc<[Entry]> = Arc::from(entries);
        // The stat was taken before the listing: a change in between gives a newer identity
        // than the key, so the next call lists again.
        let mut map = self
            .listings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if settled(&key) {
            if map.len() >= MAX_LISTINGS {
                map.clear();
            }
            map.insert(dir.to_string(), (key, entries.clone()));
        } else {
            map.remove(dir);
        }
        Ok(entries)
    }

    /// Applies `ops` as one `fsio::Txn`, after checking everything that could make it stop
    /// half-way (a directory where a record goes, a record where a directory is needed) and
    /// creating missing parent directories.
    fn apply(&self, ops: Ops) -> Result<()> {
        let net = ops.into_net()?;
        let mut create: Vec<PathBuf> = Vec::new();
        let mut apply: Vec<Op> = Vec::with_capacity(net.len());
        for op in net {
            let target = self.path(op.rel());
            let exists = match std::fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => {
                    return Err(Error::new(
                        crate::error::ErrorCode::DataCorrupt,
                        format!("{} is a directory, not a record", target.display()),
                    )
                    .with_hint(
                        "a record and a directory cannot share a path; move the directory away",
                    ));
                }
                Ok(_) => true,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                // Below a record: nothing can be there to remove, and nothing can be written.
                Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                    if let Op::Write { .. } = op {
                        return Err(self.not_a_directory(op.rel()));
                    }
                    false
                }
                Err(e) => return Err(Error::io("inspect", &target, e)),
            };
            match &op {
                // Removing what is not there changes nothing (and costs no directory fsync).
                Op::Remove { .. } if !exists => continue,
                Op::Remove { .. } => {}
                Op::Write { .. } if exists => {}
                Op::Write { rel, .. } => {
                    for dir in super::ancestors(rel) {
                        let p = self.path(dir);
                        match std::fs::metadata(&p) {
                            Ok(m) if m.is_dir() => break,
                            Ok(_) => return Err(super::not_a_directory(dir, rel)),
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                                if !create.contains(&p) {
                                    create.push(p);
                                }
                            }
                            Err(e) => return Err(Error::io("inspect", &p, e)),
                        }
                    }
                }
            }
            apply.push(op);
        }
        // Parents first, then children; each new directory's entry made durable in its parent.
        create.sort_by_key(|p| p.components().count());
        for dir in &create {
            match std::fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io("create directory", dir, e)),
            }
            if let Some(parent) = dir.parent() {
                fsio::sync_dir(parent)?;
            }
        }
        let mut txn = fsio::Txn::default();
        for op in apply {
            match op {
                Op::Write { rel, bytes, mode } => txn.write_mode(&self.path(&rel), bytes, mode),
                Op::Remove { rel } => txn.remove(&self.path(&rel)),
            }
        }
        txn.commit()
    }

    fn not_a_directory(&self, rel: &str) -> Error {
        let dir = super::ancestors(rel)
            .find(|d| std::fs::metadata(self.path(d)).is_ok_and(|m| !m.is_dir()))
            .unwrap_or("");
        super::not_a_directory(dir, rel)
    }
}

/// An identity taken well after the last change (see [`RACY`]).
fn settled(key: &FileKey) -> bool {
    SystemTime::now()
        .duration_since(key.2)
        .is_ok_and(|d| d >= RACY)
}

impl Tree for FileTree {
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>> {
        check_rel(rel)?;
        fsio::read_optional(&self.path(rel))
    }

    fn version(&self, rel: &str) -> Result<Option<Version>> {
        self.version_of(rel)
    }

    fn list(&self, dir: &str) -> Result<Arc<[Entry]>> {
        self.list_dir(dir)
    }

    fn lock(&self) -> Result<Box<dyn TreeLock + '_>> {
        let lock = DataDir::at(&self.root).lock()?;
        Ok(Box::new(FileTreeLock { tree: self, lock }))
    }
}

/// The writer lock on a data directory, with commits applied as they come.
pub struct FileTreeLock<'a> {
    tree: &'a FileTree,
    lock: WriteLock,
}

impl TreeLock for FileTreeLock<'_> {
    fn read(&mut self, rel: &str) -> Result<Option<Vec<u8>>> {
        self.tree.read(rel)
    }

    fn version(&mut self, rel: &str) -> Result<Option<Version>> {
        self.tree.version_of(rel)
    }

    fn list(&mut self, dir: &str) -> Result<Arc<[Entry]>> {
        self.tree.list_dir(dir)
    }

    fn commit(&mut self, ops: Ops) -> Result<()> {
        self.tree.apply(ops)
    }

    fn file_lock(&self) -> Option<&WriteLock> {
        Some(&self.lock)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        // Every commit was durable when it returned; dropping the lock releases the flock.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::conformance;
    use super::*;
    use crate::error::ErrorCode;

    fn tree() -> (tempfile::TempDir, FileTree) {
        let dir = tempfile::tempdir().unwrap();
        let t = FileTree::new(dir.path());
        (dir, t)
    }

    #[test]
    fn file_tree_basics() {
        let (_d, t) = tree();
        conformance::basics(&t);
    }

    #[test]
    fn file_tree_bad_paths() {
        let (_d, t) = tree();
        conformance::bad_paths(&t);
    }

    #[test]
    fn file_tree_multi_op_commit_is_atomic() {
        let (_d, t) = tree();
        conformance::multi_op_commit_is_atomic(&t);
    }

    #[test]
    fn file_tree_own_writes_are_visible() {
        let (_d, t) = tree();
        conformance::own_writes_are_visible(&t);
    }

    #[test]
    fn file_tree_another_handle_sees_changes() {
        let (d, a) = tree();
        let b = FileTree::new(d.path());
        conformance::another_handle_sees_changes(&a, &b);
    }

    #[test]
    fn file_tree_is_todays_data_directory() {
        let (d, t) = tree();
        let mut l = t.lock().unwrap();
        // The same flock as DataDir::lock: another handle cannot take it meanwhile.
        let other = std::fs::File::options()
            .write(true)
            .open(d.path().join(".lock"))
            .unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        assert!(l.file_lock().is_some());
        assert!(l.chain().is_none());
        let mut ops = Ops::default();
        ops.write_mode("agents/a.json", b"{}".to_vec(), crate::store::SECRET_MODE);
        l.commit(ops).unwrap();
        // Visible to other readers at once, with its mode, and no temp file left.
        assert_eq!(
            std::fs::read(d.path().join("agents/a.json")).unwrap(),
            b"{}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(d.path().join("agents/a.json")).unwrap();
            assert_eq!(m.permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(d.path().join("agents")).unwrap().count(),
            1
        );
        // Dropped without finish: on files, what was committed stays.
        drop(l);
        drop(other);
        assert_eq!(t.read("agents/a.json").unwrap().unwrap(), b"{}");
        // The lock file and temp-like names are not records anyone lists.
        std::fs::write(d.path().join(".hidden"), "x").unwrap();
        let root: Vec<String> = t.list("").unwrap().iter().map(|e| e.name.clone()).collect();
        assert_eq!(root, ["agents"]);
    }

    #[test]
    fn file_tree_refuses_a_directory_where_a_record_goes() {
        let (d, t) = tree();
        std::fs::create_dir_all(d.path().join("dir/sub")).unwrap();
        for op in ["write", "remove"] {
            let mut l = t.lock().unwrap();
            let mut ops = Ops::default();
            ops.write("ok", b"1".to_vec());
            if op == "write" {
                ops.write("dir", b"x".to_vec());
            } else {
                ops.remove("dir");
            }
            let e = l.commit(ops).unwrap_err();
            assert_eq!(e.code, ErrorCode::DataCorrupt, "{op}: {e}");
            drop(l);
            assert_eq!(t.read("ok").unwrap(), None, "{op}: nothing applied");
        }
    }

    #[test]
    fn file_tree_symlinks_are_not_followed() {
        let (d, t) = tree();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), d.path().join("link")).unwrap();
        assert_eq!(t.read("link").unwrap_err().code, ErrorCode::DataCorrupt);
    }

    #[test]
    fn file_tree_versions_of_fresh_files_are_unsettled_and_settle() {
        let (d, t) = tree();
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("a", b"1".to_vec());
        l.commit(ops).unwrap();
        l.finish().unwrap();
        let fresh = t.version("a").unwrap().unwrap();
        assert!(!fresh.is_settled());
        assert_ne!(fresh, fresh.clone(), "an unsettled version equals nothing");
        let old = SystemTime::now() - Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(d.path().join("a"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let v = t.version("a").unwrap().unwrap();
        assert!(v.is_settled());
        assert_eq!(v, t.version("a").unwrap().unwrap());
    }
}
