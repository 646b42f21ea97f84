//! The storage seam under [`DataDir`](super::DataDir): records addressed by relative path.
//!
//! `DataDir` keeps every entity rule (what a policy, an agent or an index entry looks like, what
//! a change stages); what varies between a single data directory and several instances on one
//! PostgreSQL is only *where the bytes live* and *how writers exclude each other*. A [`Tree`] is
//! exactly that:
//!
//! - [`Tree::read`], [`Tree::version`] and [`Tree::list`] serve readers without any lock (the
//!   file store's readers never lock either: every file is replaced atomically);
//! - [`Tree::lock`] opens a critical section, exclusive across threads, processes and
//!   instances; its [`TreeLock::commit`] applies a set of writes and removals ([`Ops`], the
//!   `Txn` of today) atomically, visible to the holder's own reads at once, and
//!   [`TreeLock::finish`] ends the section and reports whether everything of it is durable.
//!
//! Two implementations: [`FileTree`] (today's data directory: the flock on `.lock`, temp file +
//! fsync + rename + directory fsync, file identities as versions) and
//! [`PgTree`](super::pg::tree::PgTree) (one row per record, a change feed, an in-process cache).
//!
//! **Durability and rollback differ, and callers rely only on the common part**: on files each
//! `commit` is durable when it returns and a lock dropped without `finish` keeps what it
//! committed (there is no undo on a file system); on PostgreSQL nothing is durable before
//! `finish` (one transaction) and a lock dropped without `finish`, or a failed `commit`, leaves
//! nothing of the section behind. So a critical section stages everything it changes into *one*
//! `commit` (as `Txn` does today) and then calls `finish`: all or nothing on both backends.
//!
//! What stays per instance and never goes through a tree: `config.yaml`, `keys/`,
//! `.server.lock` and the server's own caches.

pub mod files;

pub use files::FileTree;

use crate::audit::{AuditEvent, NewEvent};
use crate::error::{Error, ErrorCode, Result};
use crate::store::filecache::FileKey;
use std::sync::Arc;

/// A record's identity at one moment, for cache validation: equal versions mean the same
/// content. On files it is the file's (inode, size, mtime) — what `Stamp` compares today — and
/// on PostgreSQL the sequence number of the change that last wrote it.
///
/// A file changed within the file system's timestamp granularity of the moment we looked may
/// change again without its mtime moving (git's "racy" problem); such a version is *unsettled*
/// and equals no version at all, so a cache keyed by it simply reloads.
#[derive(Debug, Clone)]
pub struct Version(Kind);

#[derive(Debug, Clone)]
enum Kind {
    File(FileKey),
    Seq(i64),
    Unsettled,
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        match (&self.0, &other.0) {
            (Kind::File(a), Kind::File(b)) => a == b,
            (Kind::Seq(a), Kind::Seq(b)) => a == b,
            _ => false,
        }
    }
}

impl Version {
    pub(crate) fn file(key: FileKey) -> Version {
        Version(Kind::File(key))
    }

    pub(crate) fn seq(seq: i64) -> Version {
        Version(Kind::Seq(seq))
    }

    pub(crate) fn unsettled() -> Version {
        Version(Kind::Unsettled)
    }

    /// False for a version that must not be trusted for caching (see the type's doc).
    pub fn is_settled(&self) -> bool {
        !matches!(self.0, Kind::Unsettled)
    }
}

/// One name in a directory listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

/// One change of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Creates or replaces the record at `rel` (with its parent directories) with `bytes`;
    /// `mode` is the file mode on the file backend and kept with the row on PostgreSQL.
    Write {
        rel: String,
        bytes: Vec<u8>,
        mode: u32,
    },
    /// Removes the record at `rel`; removing a missing record is not an error.
    Remove { rel: String },
}

impl Op {
    pub fn rel(&self) -> &str {
        match self {
            Op::Write { rel, .. } | Op::Remove { rel } => rel,
        }
    }
}

/// The default mode of a record (0644); secrets use [`super::SECRET_MODE`].
pub const RECORD_MODE: u32 = 0o644;

/// A set of writes and removals committed together ([`TreeLock::commit`]). Applied in order:
/// when several change one path, the last one wins.
#[derive(Debug, Default, Clone)]
pub struct Ops {
    ops: Vec<Op>,
}

impl Ops {
    pub fn write(&mut self, rel: impl Into<String>, bytes: Vec<u8>) {
        self.write_mode(rel, bytes, RECORD_MODE);
    }

    pub fn write_mode(&mut self, rel: impl Into<String>, bytes: Vec<u8>, mode: u32) {
        self.ops.push(Op::Write {
            rel: rel.into(),
            bytes,
            mode,
        });
    }

    pub fn remove(&mut self, rel: impl Into<String>) {
        self.ops.push(Op::Remove { rel: rel.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// The net changes: every path checked, one op per path (the last), in the order each path
    /// first appeared. A path written as a record and used as a directory by another write of
    /// the same commit is refused.
    pub fn into_net(self) -> Result<Vec<Op>> {
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut net: Vec<Op> = Vec::with_capacity(self.ops.len());
        for op in self.ops {
            check_rel(op.rel())?;
            match index.get(op.rel()) {
                Some(&i) => net[i] = op,
                None => {
                    index.insert(op.rel().to_string(), net.len());
                    net.push(op);
                }
            }
        }
        for op in &net {
            if let Op::Write { rel, .. } = op {
                for dir in ancestors(rel) {
                    if matches!(index.get(dir).map(|&i| &net[i]), Some(Op::Write { .. })) {
                        return Err(not_a_directory(dir, rel));
                    }
                }
            }
        }
        Ok(net)
    }
}

/// The directories above `rel`, nearest first (`a/b/c` → `a/b`, `a`).
pub(crate) fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    let mut end = rel.len();
    std::iter::from_fn(move || {
        let i = rel[..end].rfind('/')?;
        end = i;
        Some(&rel[..i])
    })
}

/// `(parent, name)` of a record path (`a/b/c` → `("a/b", "c")`, `c` → `("", "c")`).
pub(crate) fn split(rel: &str) -> (&str, &str) {
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}

/// True when `rel` lies below directory `dir` (`""` is the root, above everything).
pub(crate) fn is_below(rel: &str, dir: &str) -> bool {
    dir.is_empty()
        || (rel.len() > dir.len() && rel.starts_with(dir) && rel.as_bytes()[dir.len()] == b'/')
}

pub(crate) fn not_a_directory(dir: &str, rel: &str) -> Error {
    Error::new(
        ErrorCode::DataCorrupt,
        format!("cannot write `{rel}`: `{dir}` is a record, not a directory"),
    )
    .with_hint(
        "a record and a directory cannot share a path; remove the record or choose another path",
    )
}

/// Checks a record path: relative, `/`-separated, no empty, `.` or `..` segment, no NUL or other
/// control character. Every path reaching a tree is built by `DataDir` from ids; one that fails
/// here came from an id that escaped validation, and must never reach the file system.
pub fn check_rel(rel: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::new(
            ErrorCode::InvalidId,
            format!("`{}` is not a valid record path: {why}", rel.escape_debug()),
        )
        .with_hint(
            "record paths are relative, `/`-separated names without `.`, `..` or empty segments",
        ))
    };
    if rel.is_empty() {
        return bad("it is empty");
    }
    if rel.starts_with('/') {
        return bad("it is absolute");
    }
    if rel.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    for seg in rel.split('/') {
        match seg {
            "" => return bad("it has an empty segment"),
            "." | ".." => return bad("it has a `.` or `..` segment"),
            _ => {}
        }
    }
    Ok(())
}

/// A directory path for [`Tree::list`]: `""` (the root) or a valid record path.
pub fn check_dir(dir: &str) -> Result<()> {
    if dir.is_empty() {
        Ok(())
    } else {
        check_rel(dir)
    }
}

/// Names starting with `.` are the backends' own (temp files, lock files) and never listed.
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Records addressed by relative path (see the module doc).
pub trait Tree: Send + Sync {
    /// The record at `rel`, `None` when there is none. Never waits for a writer.
    fn read(&self, rel: &str) -> Result<Option<Vec<u8>>>;

    /// The version of the record at `rel` (see [`Version`]), `None` when there is none. Cheaper
    /// than [`Tree::read`]: one `stat` on files, a cache lookup on PostgreSQL.
    fn version(&self, rel: &str) -> Result<Option<Version>>;

    /// The names in directory `dir` (`""` is the root), sorted bytewise; empty when it does not
    /// exist. Hidden names (starting with `.`) are left out. Served from a cache on both
    /// backends (files: kept while the directory's identity is unchanged, one `stat`), so a
    /// caller lists rather than keeping listings of its own.
    fn list(&self, dir: &str) -> Result<Arc<[Entry]>>;

    /// Takes the writer lock: exclusive across threads, processes (files) and instances
    /// (PostgreSQL), waiting at most `OPENLEASH_LOCK_TIMEOUT_MS` (default 10 s, then
    /// `LOCK_TIMEOUT`).
    fn lock(&self) -> Result<Box<dyn TreeLock + '_>>;
}

/// A critical section (see the module doc for what `commit`, `finish` and drop guarantee on
/// each backend).
pub trait TreeLock: Send {
    /// Like [`Tree::read`], including this section's own commits.
    fn read(&mut self, rel: &str) -> Result<Option<Vec<u8>>>;

    /// Like [`Tree::version`], including this section's own commits.
    fn version(&mut self, rel: &str) -> Result<Option<Version>>;

    /// Like [`Tree::list`], including this section's own commits.
    fn list(&mut self, dir: &str) -> Result<Arc<[Entry]>>;

    /// Applies `ops` atomically: every change or none. Visible to this section's reads at once;
    /// to other readers on files at once, on PostgreSQL after `finish`. An error ends the
    /// section (later calls fail; on PostgreSQL nothing of it is kept): callers drop the lock.
    fn commit(&mut self, ops: Ops) -> Result<()>;

    /// The audit chain inside this section, when the tree keeps it (PostgreSQL: the rows commit
    /// with the section's records). `None` on files, where `DataDir` appends to its own log with
    /// [`TreeLock::file_lock`] as today.
    fn chain(&mut self) -> Option<&mut dyn LockedChain> {
        None
    }

    /// The data directory's writer lock this section holds (files only), for the file audit
    /// log's `append_audit_locked`.
    fn file_lock(&self) -> Option<&super::WriteLock> {
        None
    }

    /// Ends the section and releases the lock; `Ok` means everything committed in it is
    /// durable.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Audit appends within a critical section (see [`TreeLock::chain`]).
pub trait LockedChain {
    /// Appends `events` after everything appended so far, returning them as they will be
    /// written (seq, hashes); they become durable, with the section's records, at `finish`.
    fn append_audit(&mut self, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>>;
}

#[cfg(test)]
pub(crate) mod conformance {
    //! The behaviour both backends share, run against each (`files.rs`, `pg/tree.rs`).
    use super::*;
    use std::time::{Duration, Instant};

    fn names(entries: &[Entry]) -> Vec<(&str, bool)> {
        entries
            .iter()
            .map(|e| (e.name.as_str(), e.is_dir))
            .collect()
    }

    fn commit(t: &dyn Tree, ops: Ops) {
        let mut l = t.lock().unwrap();
        l.commit(ops).unwrap();
        l.finish().unwrap();
    }

    /// Polls `cond` for up to 20 s: an unlocked reader of another handle sees a change within a
    /// bounded time, not at once (PostgreSQL's notification path); no timing is asserted.
    pub fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(start.elapsed() < Duration::from_secs(20), "never: {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Reads, writes, removes, listings and versions through one handle.
    pub fn basics(t: &dyn Tree) {
        assert_eq!(t.read("agents/a.json").unwrap(), None);
        assert_eq!(t.version("agents/a.json").unwrap(), None);
        assert!(t.list("").unwrap().is_empty());
        assert!(t.list("agents").unwrap().is_empty());

        let mut ops = Ops::default();
        ops.write("agents/b.json", b"{\"b\":1}".to_vec());
        ops.write("agents/a.json", b"{\"a\":1}".to_vec());
        ops.write_mode("agents/ids/x/y", Vec::new(), crate::store::SECRET_MODE);
        ops.write("top", b"t".to_vec());
        commit(t, ops);
        assert_eq!(t.read("agents/a.json").unwrap().unwrap(), b"{\"a\":1}");
        // An empty record (an index marker) exists.
        assert_eq!(t.read("agents/ids/x/y").unwrap().unwrap(), b"");
        assert_eq!(
            names(&t.list("").unwrap()),
            [("agents", true), ("top", false)]
        );
        assert_eq!(
            names(&t.list("agents").unwrap()),
            [("a.json", false), ("b.json", false), ("ids", true)]
        );
        assert_eq!(names(&t.list("agents/ids").unwrap()), [("x", true)]);
        assert!(t.list("agents/a.json/z").unwrap().is_empty());
        assert!(t.list("nope").unwrap().is_empty());

        // Versions: stable while unchanged, different after a change.
        let v1 = t.version("agents/a.json").unwrap().unwrap();
        let mut ops = Ops::default();
        ops.write("agents/a.json", b"{\"a\":2, \"longer\": true}".to_vec());
        commit(t, ops);
        let v2 = t.version("agents/a.json").unwrap().unwrap();
        assert_ne!(v1, v2);
        if v2.is_settled() {
            assert_eq!(v2, t.version("agents/a.json").unwrap().unwrap());
        }
        assert_eq!(
            t.read("agents/a.json").unwrap().unwrap(),
            b"{\"a\":2, \"longer\": true}"
        );

        // Removal; removing a missing record is fine; the directory stays (as on files).
        let mut ops = Ops::default();
        ops.remove("agents/b.json");
        ops.remove("agents/never.json");
        commit(t, ops);
        assert_eq!(t.read("agents/b.json").unwrap(), None);
        assert_eq!(t.version("agents/b.json").unwrap(), None);
        assert_eq!(
            names(&t.list("agents").unwrap()),
            [("a.json", false), ("ids", true)]
        );
        let mut ops = Ops::default();
        ops.remove("agents/ids/x/y");
        commit(t, ops);
        assert_eq!(names(&t.list("agents/ids").unwrap()), [("x", true)]);
        assert!(t.list("agents/ids/x").unwrap().is_empty());

        // The last op on a path wins, in either order.
        let mut ops = Ops::default();
        ops.write("last/w", b"1".to_vec());
        ops.remove("last/w");
        ops.remove("last/r");
        ops.write("last/r", b"2".to_vec());
        commit(t, ops);
        assert_eq!(t.read("last/w").unwrap(), None);
        assert_eq!(t.read("last/r").unwrap().unwrap(), b"2");

        // Binary bodies are kept byte for byte.
        let body: Vec<u8> = (0..=255u8).collect();
        let mut ops = Ops::default();
        ops.write("bin", body.clone());
        commit(t, ops);
        assert_eq!(t.read("bin").unwrap().unwrap(), body);
    }

    /// Every bad path is a typed error, on every entry point, and nothing is written.
    pub fn bad_paths(t: &dyn Tree) {
        for bad in [
            "", "/abs", "a//b", "a/", "../x", "a/../b", "./a", "a/.", "a\0b", "a\nb",
        ] {
            assert_eq!(
                t.read(bad).unwrap_err().code,
                ErrorCode::InvalidId,
                "{bad:?}"
            );
            assert_eq!(
                t.version(bad).unwrap_err().code,
                ErrorCode::InvalidId,
                "{bad:?}"
            );
            if !bad.is_empty() {
                assert_eq!(
                    t.list(bad).unwrap_err().code,
                    ErrorCode::InvalidId,
                    "{bad:?}"
                );
            }
            let mut l = t.lock().unwrap();
            let mut ops = Ops::default();
            ops.write("fine", b"x".to_vec());
            ops.write(bad, b"x".to_vec());
            let e = l.commit(ops).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidId, "{bad:?}");
            assert!(e.hint.is_some());
            drop(l);
            assert_eq!(t.read("fine").unwrap(), None, "{bad:?}: nothing written");
        }
        // A record used as a directory in the same commit.
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("f", b"x".to_vec());
        ops.write("f/g", b"x".to_vec());
        assert_eq!(l.commit(ops).unwrap_err().code, ErrorCode::DataCorrupt);
        drop(l);
        assert_eq!(t.read("f").unwrap(), None);
    }

    /// A commit of several ops applies all of them or none: one op that cannot be applied (a
    /// record where a directory is needed) leaves every other path as it was.
    pub fn multi_op_commit_is_atomic(t: &dyn Tree) {
        let mut ops = Ops::default();
        ops.write("m/keep", b"old".to_vec());
        ops.write("m/file", b"a record".to_vec());
        commit(t, ops);
        let mut l = t.lock().unwrap();
        let mut ops = Ops::default();
        ops.write("m/keep", b"new".to_vec());
        ops.write("m/added", b"new".to_vec());
        ops.remove("m/keep2");
        // `m/file` is a record: writing below it cannot work.
        ops.write("m/file/below", b"x".to_vec());
        assert!(l.commit(ops).is_err());
        drop(l);
        assert_eq!(t.read("m/keep").unwrap().unwrap(), b"old");
        assert_eq!(t.read("m/added").unwrap(), None);
        assert_eq!(
            names(&t.list("m").unwrap()),
            [("file", false), ("keep", false)]
        );
    }

    /// The holder reads its own commits at once (before `finish`), including listings.
    pub fn own_writes_are_visible(t: &dyn Tree) {
        let mut l = t.lock().unwrap();
        assert_eq!(l.read("own/a").unwrap(), None);
        assert!(l.list("own").unwrap().is_empty());
        let mut ops = Ops::default();
        ops.write("own/a", b"1".to_vec());
        ops.write("own/sub/b", b"2".to_vec());
        l.commit(ops).unwrap();
        assert_eq!(l.read("own/a").unwrap().unwrap(), b"1");
        assert!(l.version("own/a").unwrap().is_some());
        assert_eq!(
            names(&l.list("own").unwrap()),
            [("a", false), ("sub", true)]
        );
        let mut ops = Ops::default();
        ops.remove("own/a");
        l.commit(ops).unwrap();
        assert_eq!(l.read("own/a").unwrap(), None);
        assert_eq!(l.version("own/a").unwrap(), None);
        assert_eq!(names(&l.list("own").unwrap()), [("sub", true)]);
        l.finish().unwrap();
        assert_eq!(t.read("own/a").unwrap(), None);
        assert_eq!(t.read("own/sub/b").unwrap().unwrap(), b"2");
    }

    /// Two handles on one store: a change through `a` is seen by `b` — under `b`'s lock at
    /// once, unlocked within a bounded wait — and `b`'s version moves.
    pub fn another_handle_sees_changes(a: &dyn Tree, b: &dyn Tree) {
        let mut ops = Ops::default();
        ops.write("shared/x", b"one".to_vec());
        commit(a, ops);
        eventually("b reads a's first write", || {
            b.read("shared/x").unwrap().as_deref() == Some(b"one")
        });
        let vb = b.version("shared/x").unwrap().unwrap();
        assert_eq!(names(&b.list("shared").unwrap()), [("x", false)]);

        let mut ops = Ops::default();
        ops.write("shared/x", b"two, longer".to_vec());
        ops.write("shared/y", b"y".to_vec());
        commit(a, ops);
        // Under the lock a reader catches up exactly.
        let mut l = b.lock().unwrap();
        assert_eq!(l.read("shared/x").unwrap().unwrap(), b"two, longer");
        assert_eq!(
            names(&l.list("shared").unwrap()),
            [("x", false), ("y", false)]
        );
        drop(l);
        eventually("b's version of x moves", || {
            b.version("shared/x").unwrap().is_some_and(|v| v != vb)
        });
        assert_eq!(b.read("shared/x").unwrap().unwrap(), b"two, longer");
        eventually("b lists y", || b.list("shared").unwrap().len() == 2);

        let mut ops = Ops::default();
        ops.remove("shared/x");
        commit(a, ops);
        eventually("b sees x removed", || b.read("shared/x").unwrap().is_none());
        eventually("b's listing loses x", || {
            names(&b.list("shared").unwrap()) == [("y", false)]
        });
    }
}
