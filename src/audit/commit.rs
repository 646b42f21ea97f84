//! The appender: group commit inside a process, the writer lock across processes.
//!
//! One commit, under the writer lock (`.lock`): read the end of the log backwards (last line:
//! `seq` and `hash`), check it against `audit.head`, append every event of the batch in one
//! `write`, then write a new signed head into the head file's spare slot and `fdatasync` it (see
//! [`super::head`]). Re-reading the tail under the lock is what keeps one chain when several
//! processes (CLI + server) append.
//!
//! **One sync per commit.** The lines must be durable before (or with) the head that signs
//! them. A process that has synced the log itself knows how much of it is durable; its next
//! heads *carry* the lines after that point (a carrying slot, [`super::head`]), so the head
//! file's one `fdatasync` makes head and lines durable together, and the log is synced in the
//! background every `SYNC_LOG_AT` carried bytes to keep the heads small. Each claim rests on
//! the `fdatasync` of the file that holds the bytes; nothing depends on the order in which a disk
//! writes back two files. After a crash that lost the log's unsynced end, the next writer puts
//! the carried lines back before anything else (`Committer::restore_from_head`). A process that
//! does not know what is durable (its first commit, or another writer was here since its last
//! one) syncs the log before writing the head: two syncs, as every CLI decision does.
//!
//! **Skipping the re-read.** A process remembers the identity (device, inode, size, mtime) of
//! the log and of the head file as its own last commit left them. When both are unchanged under
//! the lock, nobody else has written since, and the end of the log is what that commit wrote:
//! the tail is not read again and the head's signature is not checked again. Any other writer
//! (another process, `audit repair`, an edit by hand) changes size or mtime or replaces the file.
//!
//! **Group commit.** Threads of one process that append at the same time queue their events; one
//! of them (the leader) commits everything queued as one batch: one write of the lines, one head
//! signature, write and sync. Every call still returns only after its lines and the head covering
//! them are durable. Callers that already hold the writer lock use
//! [`DataDir::append_audit_locked`], which commits directly.
//!
//! **Pipelining.** A commit has two stages, *lines* (append to the log) and *head* (sign, write
//! and sync the head's spare slot, after syncing the log when the head cannot carry the lines).
//! While one batch syncs its head, the next batch may already append its lines. Heads are
//! written strictly in the order of their lines (a batch takes the head stage before it lets the
//! next batch start its lines), so every head covers a prefix of the log. The writer lock stays
//! with the pipeline while batches are in flight and is released when it drains, and at least
//! every `MAX_PIPELINE_HOLD` so other processes get their turn. If a head write fails, its lines
//! and those of any batch that wrote after them are cut from the log before anything else
//! starts, and all those callers get the error.
//!
//! **What the appender accepts at the end of the log** (and why):
//! - *Torn last line* (bytes after the last `\n`, e.g. a crash mid-write): refused. Appending
//!   would glue the new line onto the fragment; `openleash audit repair` moves it aside first.
//! - *Unsigned tail* (complete lines after the head's seq, or no head at all): a crash between
//!   the fsync of the lines and the head update leaves exactly this, and refusing would stop every
//!   decision (no decision is returned before it is audited) until a human intervened. But the
//!   appender must not *launder* the tail either: the same state is what lines appended by hand
//!   look like, and signing a new head over them would make them indistinguishable from ours.
//!   So the chain continues and the new head records the adopted lines as an *unsealed range*
//!   `{from_seq, to_seq, anchor_hash}` (`anchor_hash` = the hash the old head signed for the line
//!   before the range). Every later head carries the range forward under its signature, and
//!   `audit verify` keeps failing and naming it until the owner reviews the lines and runs
//!   `openleash audit seal`, which records `AUDIT_SEALED` and clears the list.
//! - *A head that does not match the log* (unreadable, bad signature, unknown key, the line at
//!   its seq has another hash, or the log ends before it): refused. None of these arise from a
//!   crash (the head is replaced atomically, and only after the lines are durable or with them
//!   in it, see above), so they mean
//!   tampering or restoring mismatched backups; continuing would sign over the evidence. The
//!   owner decides with `audit verify` and then `audit seal`.

use super::head::{
    CARRY_SLOT_BYTES, Carried, HEAD_SLOT_BYTES, Head, HeadFile, SigCheck, UnsealedRange,
    carried_by_current, encode_carrying_slot, encode_slot, fits_carrying_slot, fits_slot,
    slot_len_for, without_heads_beyond,
};
use super::line::{GENESIS_HASH, encode_new, parse_raw};
use super::lines::{ReverseLines, complete_end};
use super::{AuditEvent, NewEvent};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{DataDir, PerDataDir, WriteLock, per_data_dir};
use ed25519_dalek::SigningKey;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// Where the next event goes and which unsealed ranges the next head must carry.
#[derive(Debug, Clone)]
pub(crate) struct LogEnd {
    pub last_seq: u64,
    pub last_hash: String,
    pub unsealed: Vec<UnsealedRange>,
}

/// The end of the file as found under the lock.
#[derive(Debug)]
pub(crate) struct Tail {
    pub len: u64,
    /// Just past the last `\n`; `< len` when the last line is torn.
    pub complete_end: u64,
    /// seq and hash of the last complete line.
    pub last: Option<(u64, String)>,
}

/// Per-process state of one data directory's log.
#[derive(Default)]
pub(crate) struct Committer {
    queue: Mutex<Queue>,
    turn: Condvar,
    /// Shared with the background log syncer.
    cache: Arc<Mutex<Cache>>,
    /// Commits written by this process (group commit makes it smaller than the append calls).
    commits: AtomicU64,
    /// A background thread of this process keeps the audit indexes caught up (the server), so
    /// appenders leave them alone ([`DataDir::audit_index_in_background`]).
    pub(crate) index_in_background: std::sync::atomic::AtomicBool,
    /// The background sync of the log (module docs), started by the first head that carries
    /// enough lines to want one.
    log_syncer: OnceLock<Arc<LogSyncer>>,
    /// Tests: fail every n-th head write (0 = never).
    #[cfg(test)]
    pub(crate) fail_every_nth_head: AtomicU64,
    #[cfg(test)]
    heads_attempted: AtomicU64,
    /// Tests: a carrying head reaches its slot, then its sync fails.
    #[cfg(test)]
    pub(crate) fail_sync_after_head_write: std::sync::atomic::AtomicBool,
}

/// Longest time the pipeline keeps the writer lock without draining, so that other processes
/// (and threads of this one that take the lock themselves) get their turn under steady load.
const MAX_PIPELINE_HOLD: Duration = Duration::from_millis(20);

#[derive(Default)]
struct Queue {
    pending: Vec<(u64, Vec<NewEvent>)>,
    next_ticket: u64,
    done: HashMap<u64, Result<Vec<AuditEvent>>>,
    /// A batch is appending its lines.
    lines_busy: bool,
    /// A batch is writing its head.
    head_busy: bool,
    /// A failed head write is cutting the log back; no batch may start.
    recovering: bool,
    /// Bumped by every failed head write: batches whose lines were written before it fail too.
    epoch: u64,
    /// Batches between the start of their lines stage and the end of their head stage.
    in_flight: usize,
    /// The writer lock, held while `in_flight > 0`, and since when.
    lock: Option<(WriteLock, Instant)>,
    /// The end of the log after the last lines written in this pipeline run.
    end: Option<LogEnd>,
    /// The latest failed head write, reported to the batches it takes down with it.
    failure: Option<Error>,
}

/// Things a commit would otherwise re-open, re-read and re-check every time.
#[derive(Default)]
struct Cache {
    /// The head this process wrote last: when the file still holds these bytes, its signature
    /// needs no new check.
    head_bytes: Option<Vec<u8>>,
    /// `audit.fsync` keyed by the config file's (mtime, size), so an edit is picked up.
    fsync: Option<(Option<SystemTime>, u64, bool)>,
    /// The open log, while the path still names this file.
    log: Option<(FileId, Arc<File>)>,
    /// The open two-slot head file and its slot size, while the path still names it.
    head: Option<(FileId, Arc<File>, usize)>,
    /// What the last commit of this process left behind.
    last_commit: Option<LastCommit>,
    /// How much of the log (identified by device and inode) this process knows to be durable:
    /// the bytes after it are what the next head carries (module docs). `None` after anything
    /// this process did not do itself.
    durable_log: Option<((u64, u64), u64)>,
    /// Bumped whenever `durable_log` is forgotten, so that a background sync that started
    /// before cannot vouch for a log that was cut back or written by someone else since.
    durable_generation: u64,
}

/// The identity of a file's current content as far as `stat` can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
}

impl FileId {
    fn of(meta: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
        }
    }

    fn same_file(&self, other: &FileId) -> bool {
        (self.dev, self.ino) == (other.dev, other.ino)
    }
}

/// Lines of one commit that are durable in the log and wait for their head.
struct StagedLines {
    events: Vec<AuditEvent>,
    /// The log's length before these lines.
    start_len: u64,
    /// The log's length after these lines.
    end_len: u64,
    /// The log as this commit left it.
    log: FileId,
    /// The end of the log after these lines.
    end: LogEnd,
}

#[derive(Debug, Clone)]
struct LastCommit {
    log: FileId,
    head: FileId,
    /// Index of the slot holding the head written (the next commit writes the other one).
    head_slot: usize,
    end: LogEnd,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic ends the process (see `install_panic_hook`), so a poisoned lock cannot hold
    // half-updated state that anyone would observe.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The committer of the data directory at `root` (one per directory and process).
pub(crate) fn committer(dd: &DataDir) -> Arc<Committer> {
    static ALL: OnceLock<Mutex<PerDataDir<Committer>>> = OnceLock::new();
    per_data_dir(&ALL, dd)
}

fn refuse(state: &str, message: String, hint: &str) -> Error {
    Error::new(ErrorCode::DataCorrupt, message)
        .with_hint(hint)
        .with_details(serde_json::json!({ "audit_state": state }))
}

const HINT_HEAD: &str = "run `openleash audit verify` to see the problem; after reviewing the log, `openleash audit seal --yes` signs it again";

impl Committer {
    /// Group commit, pipelined: see the module docs.
    pub fn submit(&self, dd: &DataDir, events: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = locked(&self.queue);
        let ticket = q.next_ticket;
        q.next_ticket += 1;
        q.pending.push((ticket, events));
        loop {
            if let Some(result) = q.done.remove(&ticket) {
                return result;
            }
            let held_too_long = q
                .lock
                .as_ref()
                .is_some_and(|(_, since)| since.elapsed() >= MAX_PIPELINE_HOLD);
            // A lone call does not start its lines while a head is being written: a commit costs
            // two syncs whatever its size, and the next head stage would wait anyway, so it waits
            // for company until the head is done (measured: more decisions per commit, more
            // decisions per second).
            let alone_behind_a_head = q.head_busy && q.pending.len() < 2;
            if q.lines_busy
                || q.recovering
                || held_too_long
                || q.pending.is_empty()
                || alone_behind_a_head
            {
                q = self.turn.wait(q).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            q.lines_busy = true;
            let batch = std::mem::take(&mut q.pending);
            q = self.commit_batch(dd, q, batch);
            self.turn.notify_all();
        }
    }

    /// Runs one batch through both stages; called with `lines_busy` set by the caller, returns
    /// with the batch's results in `done`.
    fn commit_batch<'q>(
        &'q self,
        dd: &DataDir,
        mut q: MutexGuard<'q, Queue>,
        batch: Vec<(u64, Vec<NewEvent>)>,
    ) -> MutexGuard<'q, Queue> {
        let counts: Vec<(u64, usize)> = batch.iter().map(|(t, e)| (*t, e.len())).collect();
        let all: Vec<NewEvent> = batch.into_iter().flat_map(|(_, e)| e).collect();
        let deliver = |q: &mut Queue, result: Result<Vec<AuditEvent>>| match result {
            Ok(written) => {
                let mut it = written.into_iter();
                for (t, n) in &counts {
                    q.done.insert(*t, Ok(it.by_ref().take(*n).collect()));
                }
            }
            Err(e) => {
                for (t, _) in &counts {
                    q.done.insert(*t, Err(e.duplicate()));
                }
            }
        };

        // The writer lock stays with the pipeline while batches are in flight.
        if q.lock.is_none() {
            drop(q);
            let lock = dd.lock();
            q = locked(&self.queue);
            match lock {
                Ok(lock) => q.lock = Some((lock, Instant::now())),
                Err(e) => {
                    q.lines_busy = false;
                    deliver(&mut q, Err(e));
                    return q;
                }
            }
        }
        q.in_flight += 1;
        let epoch = q.epoch;
        let continue_after = q.end.clone();
        drop(q);

        let staged = self.log_file(dd).and_then(|(file, created)| {
            let end = match continue_after {
                Some(end) => end,
                None => self.log_end(dd, &file)?,
            };
            self.write_lines(dd, &file, created, end, all)
                .map(|staged| {
                    let prepared = self.prepare_head(dd, &file, &staged);
                    (file, staged, prepared)
                })
        });
        let mut q = locked(&self.queue);
        let (file, staged, prepared) = match staged {
            Ok(ok) => ok,
            Err(e) => {
                q.lines_busy = false;
                self.leave_pipeline(&mut q);
                deliver(&mut q, Err(e));
                return q;
            }
        };
        q.end = Some(staged.end.clone());

        // Heads are written in the order of their lines: take the head stage before letting the
        // next batch write lines.
        while q.head_busy {
            q = self.turn.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        q.head_busy = true;
        q.lines_busy = false;
        self.turn.notify_all();
        let earlier_failed = (q.epoch != epoch).then(|| {
            q.failure
                .as_ref()
                .map(Error::duplicate)
                .unwrap_or_else(|| Error::internal("an earlier audit commit failed"))
        });
        drop(q);

        let start_len = staged.start_len;
        let first_seq = staged.events.first().map_or(0, |e| e.seq);
        let own_attempt = earlier_failed.is_none();
        let result = match earlier_failed {
            Some(e) => Err(e),
            None => self.write_head_for(dd, &file, staged, prepared),
        };
        let mut q = locked(&self.queue);
        if let (Err(e), true) = (&result, own_attempt) {
            // These lines, and those of a batch that wrote after them, have no head and must go.
            // Batches past their lines stage see the new epoch and fail; no new batch starts
            // writing lines until the log is cut back.
            q.epoch += 1;
            q.failure = Some(e.duplicate());
            q.recovering = true;
            q.head_busy = false;
            self.turn.notify_all();
            while q.lines_busy {
                q = self.turn.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
            drop(q);
            self.undo_failed_commit(dd, &file, start_len, first_seq);
            q = locked(&self.queue);
            q.recovering = false;
            q.end = None;
        } else {
            q.head_busy = false;
        }
        self.leave_pipeline(&mut q);
        deliver(&mut q, result);
        q
    }

    /// A batch is done with the pipeline; the last one out releases the writer lock.
    fn leave_pipeline(&self, q: &mut Queue) {
        q.in_flight -= 1;
        if q.in_flight == 0 {
            q.lock = None;
            q.end = None;
        }
    }

    /// One commit by a caller holding the writer lock.
    pub fn append_locked(
        &self,
        dd: &DataDir,
        _lock: &WriteLock,
        events: Vec<NewEvent>,
    ) -> Result<Vec<AuditEvent>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let (file, created) = self.log_file(dd)?;
        let end = self.log_end(dd, &file)?;
        self.write(dd, &file, created, end, events)
    }

    /// Where the next line goes, found under the writer lock: from this process's last commit
    /// when nobody wrote since, else by reading the tail and checking it against the head.
    fn log_end(&self, dd: &DataDir, file: &File) -> Result<LogEnd> {
        if let Some(end) = self.unchanged_since_last_commit(dd, file)? {
            return Ok(end);
        }
        // Someone else wrote (or this process just started): nothing is known to be durable,
        // and a crash may have cost the log lines that the head carries.
        self.forget_durable();
        self.restore_from_head(dd, file)?;
        let tail = read_tail(dd, file)?;
        if tail.complete_end < tail.len {
            return Err(refuse(
                "torn",
                format!(
                    "the audit log ends in a torn line ({} bytes after the last complete line); nothing was appended",
                    tail.len - tail.complete_end
                ),
                "a write was interrupted (crash or full disk); `openleash audit verify` shows it and `openleash audit repair --yes` moves the fragment aside",
            ));
        }
        self.assess(dd, &tail)
    }

    /// Writes back the lines the current head carries when the log lacks them (a crash before
    /// the log's end reached the disk, see [`super::head`]); called under the writer lock.
    /// `Ok(None)` when the log already has them or the head carries none; an error when the
    /// log's bytes there are neither the carried ones nor a crash's zeros.
    pub(crate) fn restore_from_head(&self, dd: &DataDir, file: &File) -> Result<Option<Restored>> {
        let Some(plan) = restorable(dd, file)? else {
            return Ok(None);
        };
        let path = dd.audit_log_path();
        let io = |e| Error::io("restore", &path, e);
        if !matches!(dd.check_audit_head(&plan.head)?, SigCheck::Valid { .. }) {
            // Never write lines on the word of a head that is not ours; the normal checks
            // report the head.
            return Ok(None);
        }
        self.forget_files();
        let mut w = file;
        file.set_len(plan.carried.log_offset).map_err(io)?;
        w.write_all(&plan.carried.bytes).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(Some(Restored {
            log_offset: plan.carried.log_offset,
            bytes: plan.carried.bytes.len() as u64,
            to_seq: plan.head.seq,
        }))
    }

    /// Checks the end of the log against the head (module docs) and says where to continue.
    pub fn assess(&self, dd: &DataDir, tail: &Tail) -> Result<LogEnd> {
        let (last_seq, last_hash) = tail
            .last
            .clone()
            .unwrap_or_else(|| (0, GENESIS_HASH.to_string()));
        let head = match dd.read_audit_head()? {
            HeadFile::Missing => {
                // A crash before the very first head, or a deleted head: everything is unsigned.
                let unsealed = if last_seq == 0 {
                    vec![]
                } else {
                    vec![UnsealedRange {
                        from_seq: 1,
                        to_seq: last_seq,
                        anchor_hash: GENESIS_HASH.into(),
                    }]
                };
                return Ok(LogEnd {
                    last_seq,
                    last_hash,
                    unsealed,
                });
            }
            HeadFile::Unreadable(why) => {
                return Err(refuse(
                    "head_unreadable",
                    format!("audit.head cannot be read ({why}); nothing was appended"),
                    HINT_HEAD,
                ));
            }
            HeadFile::Present(head, bytes) => {
                let known = locked(&self.cache).head_bytes.as_deref() == Some(&bytes[..]);
                if !known {
                    match dd.check_audit_head(&head)? {
                        SigCheck::Valid { .. } => {}
                        SigCheck::UnknownKey => {
                            return Err(refuse(
                                "head_unknown_key",
                                format!(
                                    "audit.head is signed with key {}, which this data directory does not have; nothing was appended",
                                    head.kid
                                ),
                                HINT_HEAD,
                            ));
                        }
                        SigCheck::Invalid => {
                            return Err(refuse(
                                "head_signature_invalid",
                                "the signature of audit.head is not valid; nothing was appended"
                                    .into(),
                                HINT_HEAD,
                            ));
                        }
                    }
                }
                head
            }
        };
        if head.seq > last_seq {
            return Err(refuse(
                "truncated",
                format!(
                    "the audit log ends at seq {last_seq} but its signed head is at seq {}: lines were removed; nothing was appended",
                    head.seq
                ),
                "restore audit.log.jsonl from a backup; or, after review, accept the loss with `openleash audit seal --yes`",
            ));
        }
        let mut unsealed = head.unsealed;
        if head.seq == last_seq {
            if head.hash != last_hash {
                return Err(refuse(
                    "head_mismatch",
                    format!(
                        "the last line (seq {last_seq}) does not have the hash its signed head records; nothing was appended"
                    ),
                    HINT_HEAD,
                ));
            }
        } else {
            unsealed.push(UnsealedRange {
                from_seq: head.seq + 1,
                to_seq: last_seq,
                anchor_hash: head.hash,
            });
        }
        Ok(LogEnd {
            last_seq,
            last_hash,
            unsealed,
        })
    }

    /// Appends `events` after `end` in one write, makes them durable, and signs the new head.
    pub fn write(
        &self,
        dd: &DataDir,
        file: &File,
        created: bool,
        end: LogEnd,
        events: Vec<NewEvent>,
    ) -> Result<Vec<AuditEvent>> {
        let staged = self.write_lines(dd, file, created, end, events)?;
        let start_len = staged.start_len;
        let first_seq = staged.events.first().map_or(0, |e| e.seq);
        let prepared = self.prepare_head(dd, file, &staged);
        self.write_head_for(dd, file, staged, prepared)
            .inspect_err(|_| self.undo_failed_commit(dd, file, start_len, first_seq))
    }

    /// After a failed head write: cuts the batch's lines (from `first_seq`, at byte `start_len`)
    /// from the log and withdraws whatever of the new head reached the head file, so that neither
    /// a later reader nor a crash can take it for the current head and restore lines whose
    /// callers got an error. Best effort: if even this fails, verify reports what is left.
    fn undo_failed_commit(&self, dd: &DataDir, log: &File, start_len: u64, first_seq: u64) {
        self.forget_files();
        let fsync = self.fsync_enabled(dd).unwrap_or(true);
        truncate_log(log, start_len, fsync);
        let path = dd.audit_head_path();
        if let Ok(Some(bytes)) = crate::store::fsio::read_optional(&path)
            && let Some(kept) = without_heads_beyond(&bytes, first_seq.saturating_sub(1))
        {
            let _ = replace_file(&path, &kept, fsync);
        }
    }

    /// The first half of a commit: appends `events` after `end` in one write. They are made
    /// durable by the head stage: carried in the head, or by syncing the log first (module docs);
    /// only a log this call created is synced here, with its directory. On failure nothing of
    /// them stays in the log.
    fn write_lines(
        &self,
        dd: &DataDir,
        file: &File,
        created: bool,
        end: LogEnd,
        events: Vec<NewEvent>,
    ) -> Result<StagedLines> {
        let path = dd.audit_log_path();
        let fsync = self.fsync_enabled(dd)?;
        let mut buf = Vec::with_capacity(events.len() * 512);
        let mut out = Vec::with_capacity(events.len());
        let mut prev = end.last_hash;
        let mut seq = end.last_seq;
        for ev in events {
            seq += 1;
            let e = encode_new(seq, &prev, ev, &mut buf)?;
            prev.clone_from(&e.hash);
            out.push(e);
        }
        let start_len = file
            .metadata()
            .map_err(|e| Error::io("read", &path, e))?
            .len();
        let written = (|| {
            let mut w = file;
            w.write_all(&buf)
                .map_err(|e| Error::io("append to", &path, e))?;
            if fsync && created {
                file.sync_data().map_err(|e| Error::io("sync", &path, e))?;
                crate::store::fsio::sync_dir(dd.root())?;
                self.note_durable(file, start_len + buf.len() as u64);
            }
            file.metadata().map_err(|e| Error::io("read", &path, e))
        })();
        match written {
            Ok(meta) => Ok(StagedLines {
                events: out,
                start_len,
                end_len: start_len + buf.len() as u64,
                log: FileId::of(&meta),
                end: LogEnd {
                    last_seq: seq,
                    last_hash: prev,
                    unsealed: end.unsealed,
                },
            }),
            Err(e) => {
                self.forget_files();
                truncate_log(file, start_len, fsync);
                Err(e)
            }
        }
    }

    /// The part of the head stage that needs no turn: signs the head for `staged` and, when it
    /// will carry lines, encodes its slot, so that the head stage only writes and syncs.
    fn prepare_head(&self, dd: &DataDir, log: &File, staged: &StagedLines) -> Result<PreparedHead> {
        let fsync = self.fsync_enabled(dd)?;
        let (kid, key) = self.active_key(dd)?;
        let end = staged.end.clone();
        let head = Head::sign(end.last_seq, end.last_hash, end.unsealed, &kid, &key);
        let json = head.to_bytes()?;
        let log_state = if fsync {
            self.unsynced_lines(dd, log, staged.end_len, json.len())?
        } else {
            LogState::NotSynced
        };
        let carrying_slot = match &log_state {
            LogState::Carry(c) => Some(encode_carrying_slot(
                &json,
                &Carried {
                    log_offset: c.log_offset,
                    bytes: &c.bytes[..],
                },
            )?),
            _ => None,
        };
        Ok(PreparedHead {
            head,
            json,
            fsync,
            log_state,
            carrying_slot,
        })
    }

    /// The head stage: durably writes the head `prepared` for `staged` ([`Self::prepare_head`]),
    /// with one sync of the head file when it carries the lines the log may not have made durable
    /// yet, else after syncing the log (module docs). On failure the caller removes the lines
    /// (see [`truncate_log`]).
    fn write_head_for(
        &self,
        dd: &DataDir,
        log: &File,
        staged: StagedLines,
        prepared: Result<PreparedHead>,
    ) -> Result<Vec<AuditEvent>> {
        #[cfg(test)]
        {
            let n = self.fail_every_nth_head.load(Ordering::SeqCst);
            let attempt = self.heads_attempted.fetch_add(1, Ordering::SeqCst) + 1;
            if n > 0 && attempt.is_multiple_of(n) {
                let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
                return Err(Error::io("write", &dd.audit_head_path(), full));
            }
        }
        let PreparedHead {
            head,
            json: bytes,
            fsync,
            log_state,
            carrying_slot,
        } = prepared?;
        let written = match (&log_state, carrying_slot) {
            (LogState::Carry(c), Some(slot)) => {
                let written =
                    self.write_carrying_head(dd, head.seq, &slot, c.bytes.len(), bytes.len())?;
                if written.is_some() && c.bytes.len() >= SYNC_LOG_AT {
                    self.sync_log_in_background(log, staged.end_len);
                }
                written
            }
            _ => None,
        };
        let (head_id, head_slot) = match written {
            Some(written) => written,
            None => {
                if matches!(log_state, LogState::Carry(_) | LogState::Unknown) {
                    let path = dd.audit_log_path();
                    log.sync_data().map_err(|e| Error::io("sync", &path, e))?;
                    self.note_durable(log, staged.end_len);
                }
                // A process that carries lines wants slots with room for them.
                let min_slot = match log_state {
                    LogState::Carry(_) | LogState::Durable => CARRY_SLOT_BYTES,
                    LogState::Unknown | LogState::NotSynced => HEAD_SLOT_BYTES,
                };
                self.write_head(dd, head.seq, &bytes, min_slot, fsync)?
            }
        };
        let mut cache = locked(&self.cache);
        cache.head_bytes = Some(bytes);
        cache.last_commit = Some(LastCommit {
            log: staged.log,
            head: head_id,
            head_slot,
            end: LogEnd {
                last_seq: head.seq,
                last_hash: head.hash,
                unsealed: head.unsealed,
            },
        });
        drop(cache);
        self.commits.fetch_add(1, Ordering::Relaxed);
        Ok(staged.events)
    }

    /// Asks the background syncer to make the log `file` durable up to `len` bytes, so that the
    /// heads after it carry fewer lines.
    fn sync_log_in_background(&self, file: &File, len: u64) {
        let Ok(file) = file.try_clone() else {
            return;
        };
        let generation = locked(&self.cache).durable_generation;
        let syncer = self.log_syncer.get_or_init(|| LogSyncer::start(self));
        let mut want = locked(&syncer.want);
        *want = Some((Arc::new(file), len, generation));
        syncer.wake.notify_one();
    }

    /// Records that the log `file` is durable up to `len` bytes.
    fn note_durable(&self, file: &File, len: u64) {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = file.metadata() {
            locked(&self.cache).durable_log = Some(((meta.dev(), meta.ino()), len));
        }
    }

    /// What the head covering the log `file` up to `end_len` must do about the log's
    /// durability: carry the bytes after where this process knows the log to be durable, when
    /// they fit a carrying slot next to a head of `json_len` bytes.
    fn unsynced_lines(
        &self,
        dd: &DataDir,
        file: &File,
        end_len: u64,
        json_len: usize,
    ) -> Result<LogState> {
        use std::os::unix::fs::{FileExt, MetadataExt};
        let Some((id, durable)) = locked(&self.cache).durable_log else {
            return Ok(LogState::Unknown);
        };
        let path = dd.audit_log_path();
        let meta = file.metadata().map_err(|e| Error::io("read", &path, e))?;
        if id != (meta.dev(), meta.ino()) {
            return Ok(LogState::Unknown);
        }
        if durable >= end_len {
            return Ok(LogState::Durable);
        }
        let unsynced = (end_len - durable) as usize;
        if !fits_carrying_slot(json_len, unsynced, CARRY_SLOT_BYTES) {
            return Ok(LogState::Unknown);
        }
        let mut bytes = vec![0u8; unsynced];
        file.read_exact_at(&mut bytes, durable)
            .map_err(|e| Error::io("read", &path, e))?;
        Ok(LogState::Carry(Carried {
            log_offset: durable,
            bytes,
        }))
    }

    /// Writes the carrying slot `slot` (a head for `seq` of `json_len` bytes with
    /// `carried_len` carried bytes) into the spare slot of the head file and syncs it; `None`
    /// (nothing written) when the file has no slot with room or `seq` does not advance, for
    /// [`Self::write_head`] to handle.
    fn write_carrying_head(
        &self,
        dd: &DataDir,
        seq: u64,
        slot: &[u8],
        carried_len: usize,
        json_len: usize,
    ) -> Result<Option<(FileId, usize)>> {
        use std::os::unix::fs::FileExt;
        let path = dd.audit_head_path();
        let io = |e| Error::io("write", &path, e);
        let Some((file, slot_len)) = self.head_file(dd)? else {
            return Ok(None);
        };
        if slot_len < CARRY_SLOT_BYTES || !fits_carrying_slot(json_len, carried_len, slot_len) {
            return Ok(None);
        }
        let current = self.current_head_slot(&file, slot_len).map_err(io)?;
        if current.is_some_and(|(_, current_seq)| current_seq >= seq) {
            return Ok(None);
        }
        let target = current.map_or(0, |(slot, _)| 1 - slot);
        if let Some(e) = crate::store::fsio::injected_fault() {
            return Err(io(e));
        }
        file.write_all_at(slot, (target * slot_len) as u64)
            .map_err(io)?;
        #[cfg(test)]
        if self.fail_sync_after_head_write.load(Ordering::SeqCst) {
            return Err(io(std::io::Error::from(std::io::ErrorKind::StorageFull)));
        }
        file.sync_data().map_err(|e| Error::io("sync", &path, e))?;
        Ok(Some((FileId::of(&file.metadata().map_err(io)?), target)))
    }

    /// After a failed commit nothing cached about the files is trusted.
    fn forget_files(&self) {
        let mut cache = locked(&self.cache);
        cache.log = None;
        cache.head = None;
        cache.last_commit = None;
        drop(cache);
        self.forget_durable();
    }

    fn forget_durable(&self) {
        let mut cache = locked(&self.cache);
        cache.durable_log = None;
        cache.durable_generation += 1;
    }

    /// The log, opened once per file (the path is checked every time, so a replaced log is
    /// reopened); `true` when this call created it.
    fn log_file(&self, dd: &DataDir) -> Result<(Arc<File>, bool)> {
        let path = dd.audit_log_path();
        match std::fs::metadata(&path) {
            Ok(meta) => {
                let id = FileId::of(&meta);
                if let Some((cached, file)) = &locked(&self.cache).log
                    && cached.same_file(&id)
                {
                    return Ok((file.clone(), false));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("read", &path, e)),
        }
        let (file, created) = open_log(dd)?;
        let id = FileId::of(&file.metadata().map_err(|e| Error::io("read", &path, e))?);
        let file = Arc::new(file);
        locked(&self.cache).log = Some((id, file.clone()));
        Ok((file, created))
    }

    /// The end of the log as this process's last commit left it, if the log and the head file
    /// are exactly as that commit left them (module docs).
    fn unchanged_since_last_commit(&self, dd: &DataDir, log: &File) -> Result<Option<LogEnd>> {
        let Some(last) = locked(&self.cache).last_commit.clone() else {
            return Ok(None);
        };
        let path = dd.audit_log_path();
        let log_now = FileId::of(&log.metadata().map_err(|e| Error::io("read", &path, e))?);
        if log_now != last.log {
            return Ok(None);
        }
        match std::fs::metadata(dd.audit_head_path()) {
            Ok(meta) if FileId::of(&meta) == last.head => Ok(Some(last.end)),
            _ => Ok(None),
        }
    }

    /// The two-slot head file, opened once per file; `None` when there is none (missing, or a
    /// one-object file).
    fn head_file(&self, dd: &DataDir) -> Result<Option<(Arc<File>, usize)>> {
        let path = dd.audit_head_path();
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", &path, e)),
        };
        let Some(slot_len) = super::head::slot_len(meta.len()) else {
            return Ok(None);
        };
        let id = FileId::of(&meta);
        if let Some((cached, file, len)) = &locked(&self.cache).head
            && cached.same_file(&id)
            && *len == slot_len
        {
            return Ok(Some((file.clone(), slot_len)));
        }
        let file =
            crate::store::fsio::open_nofollow(&path, OpenOptions::new().read(true).write(true))
                .map_err(|e| crate::store::fsio::open_error("open", &path, e))?;
        let file = Arc::new(file);
        locked(&self.cache).head = Some((id, file.clone(), slot_len));
        Ok(Some((file, slot_len)))
    }

    /// `(slot, seq)` of the current head in a two-slot file.
    fn current_head_slot(
        &self,
        file: &File,
        slot_len: usize,
    ) -> std::io::Result<Option<(usize, u64)>> {
        use std::os::unix::fs::FileExt;
        if let Some(last) = &locked(&self.cache).last_commit
            && FileId::of(&file.metadata()?) == last.head
        {
            return Ok(Some((last.head_slot, last.end.last_seq)));
        }
        let mut bytes = vec![0u8; 2 * slot_len];
        file.read_exact_at(&mut bytes, 0)?;
        Ok(match super::head::parse_head_file(&bytes) {
            (HeadFile::Present(head, _), Some(slot)) => Some((slot, head.seq)),
            _ => None,
        })
    }

    /// Writes the signed head `json` (for `seq`) into the spare slot of the head file with one
    /// sync; replaces the whole file when there is no two-slot file yet, the head does not fit,
    /// or `seq` does not advance (module docs of [`super::head`]). Returns the file's new
    /// identity and the slot written.
    fn write_head(
        &self,
        dd: &DataDir,
        seq: u64,
        json: &[u8],
        min_slot: usize,
        fsync: bool,
    ) -> Result<(FileId, usize)> {
        use std::os::unix::fs::FileExt;
        let path = dd.audit_head_path();
        let io = |e| Error::io("write", &path, e);
        if let Some((file, slot_len)) = self.head_file(dd)?
            && slot_len >= min_slot
            && fits_slot(json.len(), slot_len)
        {
            let current = self.current_head_slot(&file, slot_len).map_err(io)?;
            if current.is_none_or(|(_, current_seq)| current_seq < seq) {
                let target = current.map_or(0, |(slot, _)| 1 - slot);
                if let Some(e) = crate::store::fsio::injected_fault() {
                    return Err(io(e));
                }
                // Only the head's own 4 KiB: a reader stops at the checksum line.
                let slot = encode_slot(json, slot_len_for(json.len()).min(slot_len));
                file.write_all_at(&slot, (target * slot_len) as u64)
                    .map_err(io)?;
                if fsync {
                    file.sync_data().map_err(|e| Error::io("sync", &path, e))?;
                }
                return Ok((FileId::of(&file.metadata().map_err(io)?), target));
            }
        }
        let slot_len = slot_len_for(json.len()).max(min_slot);
        let mut bytes = encode_slot(json, slot_len);
        bytes.extend(encode_slot(b"", slot_len));
        locked(&self.cache).head = None;
        replace_file(&path, &bytes, fsync)?;
        let meta = std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        Ok((FileId::of(&meta), 0))
    }

    fn fsync_enabled(&self, dd: &DataDir) -> Result<bool> {
        let path = dd.config_path();
        let meta = std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        let stamp = (meta.modified().ok(), meta.len());
        let mut cache = locked(&self.cache);
        if let Some((m, l, on)) = cache.fsync
            && (m, l) == stamp
        {
            return Ok(on);
        }
        let on = dd.config()?.fsync_enabled();
        cache.fsync = Some((stamp.0, stamp.1, on));
        Ok(on)
    }

    fn active_key(&self, dd: &DataDir) -> Result<(String, SigningKey)> {
        // `DataDir::active_key` caches by file identity: two `stat`s instead of reading files.
        let (server_key, key) = dd.active_key()?;
        Ok((server_key.kid, key))
    }
}

/// A signed head ready for the head stage.
struct PreparedHead {
    head: Head,
    json: Vec<u8>,
    fsync: bool,
    log_state: LogState,
    /// The encoded slot when the head carries lines.
    carrying_slot: Option<Vec<u8>>,
}

/// Where the log stands when a head is written.
enum LogState {
    /// `audit.fsync: never`.
    NotSynced,
    /// Durable up to the head's line.
    Durable,
    /// Durable up to `log_offset`; the head carries the rest.
    Carry(Carried<Vec<u8>>),
    /// Not known to be durable (another writer was here, or too much to carry): sync it.
    Unknown,
}

/// Carried lines from which a head asks for a background sync of the log: small enough that
/// heads stay cheap to write, large enough that the log is synced only every few commits.
const SYNC_LOG_AT: usize = 16 * 1024;

/// The background log sync of one committer: a thread that syncs the log up to the latest
/// length asked for and then records it as durable, unless the committer forgot what it knew
/// about the log in the meantime (a failed commit cut it back, another writer appended).
struct LogSyncer {
    /// The latest request: the log, the length to make durable, the committer's
    /// `durable_generation` when it was asked.
    want: Mutex<Option<(Arc<File>, u64, u64)>>,
    wake: Condvar,
}

impl LogSyncer {
    fn start(committer: &Committer) -> Arc<LogSyncer> {
        let syncer = Arc::new(LogSyncer {
            want: Mutex::new(None),
            wake: Condvar::new(),
        });
        let weak = Arc::downgrade(&syncer);
        let cache = Arc::downgrade(&committer.cache);
        // If no thread can be started, heads sync the log themselves once their lines no
        // longer fit (see `write_head_for`).
        let _ = std::thread::Builder::new()
            .name("audit-log-sync".into())
            .spawn(move || {
                // Ends when the committer is gone (only ever in tests).
                while let Some(syncer) = weak.upgrade() {
                    let mut want = locked(&syncer.want);
                    let Some((file, len, generation)) = want.take() else {
                        let _ = syncer.wake.wait_timeout(want, Duration::from_secs(1));
                        continue;
                    };
                    drop(want);
                    drop(syncer);
                    let Some(cache) = cache.upgrade() else {
                        return;
                    };
                    if file.sync_data().is_ok() {
                        use std::os::unix::fs::MetadataExt;
                        let mut c = locked(&cache);
                        if c.durable_generation == generation
                            && let Ok(meta) = file.metadata()
                            && let Some((known, durable)) = &mut c.durable_log
                            && *known == (meta.dev(), meta.ino())
                        {
                            *durable = (*durable).max(len);
                        }
                    }
                }
            });
        syncer
    }
}

/// What `audit repair` (or the next writer) wrote back from the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Restored {
    /// Where in the log the written bytes start.
    pub log_offset: u64,
    pub bytes: u64,
    /// The seq of the last line written back (the head's).
    pub to_seq: u64,
}

/// Lines the current head carries and the log lacks.
pub(crate) struct Restorable {
    pub head: Head,
    pub carried: Carried<Vec<u8>>,
}

impl Restorable {
    /// `(log_offset, from_seq, to_seq)` of the carried lines.
    pub fn range(&self) -> (u64, u64, u64) {
        let lines = self.carried.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        (
            self.carried.log_offset,
            self.head.seq + 1 - lines,
            self.head.seq,
        )
    }
}

/// Whether the log `file` lacks lines that the current head carries, and they can be written
/// back: the log reaches at least their offset, whatever it has after that offset is the start
/// of them (or a crash's zeros), and they are whole lines ending in the line the head signs.
pub(crate) fn restorable(dd: &DataDir, file: &File) -> Result<Option<Restorable>> {
    use std::os::unix::fs::FileExt;
    let head_path = dd.audit_head_path();
    let Some(head_bytes) = crate::store::fsio::read_optional(&head_path)? else {
        return Ok(None);
    };
    let Some((head, carried)) = carried_by_current(&head_bytes) else {
        return Ok(None);
    };
    let path = dd.audit_log_path();
    let io = |e| Error::io("read", &path, e);
    let len = file.metadata().map_err(io)?.len();
    let offset = carried.log_offset;
    let end = offset + carried.bytes.len() as u64;
    if len >= end || len < offset {
        return Ok(None);
    }
    let last_line = carried
        .bytes
        .strip_suffix(b"\n")
        .and_then(|b| b.rsplit(|&c| c == b'\n').next())
        .and_then(|l| parse_raw(l).ok());
    if !last_line.is_some_and(|l| l.seq == head.seq && l.hash == head.hash.as_bytes()) {
        return Ok(None);
    }
    let mut present = vec![0u8; (len - offset) as usize];
    file.read_exact_at(&mut present, offset).map_err(io)?;
    let kept = present.len() - present.iter().rev().take_while(|&&b| b == 0).count();
    if present[..kept] != carried.bytes[..kept] {
        return Err(refuse(
            "restore_conflict",
            format!(
                "audit.head carries the log's last lines from byte {offset}, but the log has other bytes there; nothing was appended"
            ),
            HINT_HEAD,
        ));
    }
    Ok(Some(Restorable { head, carried }))
}

/// Removes what a failed commit appended: the caller gets an error, so none of its events may
/// stay behind (a partial line would block later appends as a torn line, complete lines without
/// a head would be reported as an unsigned tail). If even this fails, verify reports what is left.
fn truncate_log(file: &File, len: u64, fsync: bool) {
    let _ = file
        .set_len(len)
        .and_then(|()| if fsync { file.sync_data() } else { Ok(()) });
}

/// Opens the log for reading and appending; `true` when this call created it.
pub(crate) fn open_log(dd: &DataDir) -> Result<(File, bool)> {
    let path = dd.audit_log_path();
    let existed = path.exists();
    let file = crate::store::fsio::open_nofollow(
        &path,
        OpenOptions::new().read(true).append(true).create(true),
    )
    .map_err(|e| crate::store::fsio::open_error("open", &path, e))?;
    Ok((file, !existed))
}

/// Reads the end of the log backwards: never more than the last line and a torn fragment.
pub(crate) fn read_tail(dd: &DataDir, file: &File) -> Result<Tail> {
    let path = dd.audit_log_path();
    let io = |e| Error::io("read", &path, e);
    let len = file.metadata().map_err(io)?.len();
    let complete = complete_end(file, len).map_err(io)?;
    let last = match ReverseLines::new(file, complete).next_line().map_err(io)? {
        None => None,
        Some((_, line)) => {
            let raw = parse_raw(&line).map_err(|why| {
                refuse(
                    "malformed_last_line",
                    format!("the last line of {} is not an audit event ({why}); nothing was appended", path.display()),
                    "run `openleash audit verify`; a line that openleash did not write was added to the log — restore it from a backup",
                )
            })?;
            Some((raw.seq, String::from_utf8_lossy(raw.hash).into_owned()))
        }
    };
    Ok(Tail {
        len,
        complete_end: complete,
        last,
    })
}

/// Replaces the file at `path`; without fsync (`audit.fsync: never`) only the rename is atomic.
fn replace_file(path: &std::path::Path, bytes: &[u8], fsync: bool) -> Result<()> {
    if fsync {
        return crate::store::write_atomic(path, bytes);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io("write", path, e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    #[test]
    fn callers_queued_behind_a_commit_share_the_next_one() {
        let (_t, dd) = data_dir(true);
        let c = committer(&dd);
        // Hold the writer lock so the first caller (the leader) waits inside its commit while the
        // others queue up behind it.
        let held = dd.lock().unwrap();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|i| {
                    let dd = dd.clone();
                    s.spawn(move || {
                        dd.append_audit(vec![NewEvent::new("Q", json!({ "i": i }))])
                            .unwrap()
                    })
                })
                .collect();
            while locked(&c.queue).pending.len() < 3 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            drop(held);
            let mut seqs: Vec<u64> = handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .map(|e| e.seq)
                .collect();
            seqs.sort_unstable();
            assert_eq!(seqs, [1, 2, 3, 4]);
        });
        assert_eq!(c.commits.load(Ordering::Relaxed), 2);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    fn head_file_bytes(dd: &DataDir) -> Vec<u8> {
        std::fs::read(dd.audit_head_path()).unwrap()
    }

    fn append_one(c: &Committer, dd: &DataDir, n: u64) -> AuditEvent {
        let lock = dd.lock().unwrap();
        let mut out = c
            .append_locked(dd, &lock, vec![NewEvent::new("T", json!({ "n": n }))])
            .unwrap();
        out.remove(0)
    }

    #[test]
    fn commits_alternate_between_the_two_head_slots() {
        let (_t, dd) = data_dir(false);
        let c = Committer::default();
        let mut slots = Vec::new();
        for n in 1..=4 {
            let ev = append_one(&c, &dd, n);
            let bytes = head_file_bytes(&dd);
            assert_eq!(bytes.len(), 2 * HEAD_SLOT_BYTES);
            let (file, slot) = super::super::head::parse_head_file(&bytes);
            let HeadFile::Present(head, _) = file else {
                panic!("no head")
            };
            assert_eq!((head.seq, &head.hash), (ev.seq, &ev.hash));
            slots.push(slot.unwrap());
        }
        // The first head creates the file (slot 0); later ones alternate.
        assert_eq!(slots, [0, 1, 0, 1]);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    /// A data dir (fsync on) with `n` commits by one committer, whose later heads carry lines.
    fn with_commits(n: u64) -> (tempfile::TempDir, DataDir, Committer) {
        let (t, dd) = data_dir(true);
        let c = Committer::default();
        for i in 1..=n {
            append_one(&c, &dd, i);
        }
        (t, dd, c)
    }

    /// The carried lines of the current head, as `(log_offset, number of lines)`.
    fn carried(dd: &DataDir) -> Option<(u64, usize)> {
        carried_by_current(&head_file_bytes(dd)).map(|(_, c)| {
            let lines = c.bytes.iter().filter(|&&b| b == b'\n').count();
            (c.log_offset, lines)
        })
    }

    /// With fsync: the first commit of a process syncs the log (it cannot know what is durable);
    /// from then on a head carries the lines after the last sync, in slots with room for them.
    /// The background sync starts only at `SYNC_LOG_AT` bytes, so these three small commits
    /// are all carried.
    #[test]
    fn heads_carry_the_lines_the_log_has_not_synced() {
        let (_t, dd) = data_dir(true);
        let c = Committer::default();
        let first = append_one(&c, &dd, 1);
        assert_eq!(carried(&dd), None);
        // Here the commit created the log, so it synced it anyway.
        assert_eq!(head_file_bytes(&dd).len(), 2 * CARRY_SLOT_BYTES);
        let log_len = std::fs::metadata(dd.audit_log_path()).unwrap().len();
        for n in 2..=4 {
            append_one(&c, &dd, n);
        }
        assert_eq!(carried(&dd), Some((log_len, 3)));
        let head = Head::current_in(&head_file_bytes(&dd)).unwrap();
        assert_eq!(head.seq, 4);
        assert!(first.seq == 1 && crate::audit::verify(&dd).unwrap().ok);
    }

    /// A crash that loses the log's unsynced end: the head carries it, and the next writer (a
    /// fresh process) or `audit repair` writes it back byte for byte.
    #[test]
    fn lines_a_crash_took_from_the_log_are_restored_from_the_head() {
        use crate::audit::ProblemKind;
        for damage in ["cut", "torn", "zeros"] {
            let (_t, dd, _) = with_commits(4);
            let (offset, _) = carried(&dd).expect("a carrying head");
            let whole = std::fs::read(dd.audit_log_path()).unwrap();
            let mut damaged = whole[..offset as usize].to_vec();
            match damage {
                "cut" => {}
                "torn" => damaged.extend_from_slice(&whole[offset as usize..offset as usize + 20]),
                _ => damaged.extend_from_slice(&[0u8; 700]),
            }
            std::fs::write(dd.audit_log_path(), &damaged).unwrap();
            let report = crate::audit::verify(&dd).unwrap();
            let kinds: Vec<_> = report.problems.iter().map(|p| p.kind).collect();
            assert_eq!(kinds, [ProblemKind::RestorableFromHead], "{damage}");
            assert_eq!(report.problems[0].to_seq, Some(4));
            if damage == "torn" {
                let restored = dd.audit_repair().unwrap();
                assert!(matches!(
                    restored,
                    Some(crate::audit::RepairOutcome::Restored(Restored {
                        to_seq: 4,
                        ..
                    }))
                ));
            } else {
                // A fresh process appends: it restores first, then continues the chain.
                assert_eq!(append_one(&Committer::default(), &dd, 5).seq, 5);
            }
            let now = std::fs::read(dd.audit_log_path()).unwrap();
            assert_eq!(&now[..whole.len()], &whole[..], "{damage}");
            let report = crate::audit::verify(&dd).unwrap();
            assert!(report.ok, "{damage}: {:?}", report.problems);
        }
    }

    #[test]
    fn other_bytes_where_the_carried_lines_go_are_refused() {
        let (_t, dd, _) = with_commits(4);
        let (offset, _) = carried(&dd).expect("a carrying head");
        let mut log = std::fs::read(dd.audit_log_path()).unwrap();
        log.truncate(offset as usize + 10);
        log[offset as usize + 5] ^= 1;
        std::fs::write(dd.audit_log_path(), &log).unwrap();
        let lock = dd.lock().unwrap();
        let e = Committer::default()
            .append_locked(&dd, &lock, vec![NewEvent::new("T", json!({}))])
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::DataCorrupt);
        assert_eq!(
            e.details.as_ref().unwrap()["audit_state"],
            "restore_conflict"
        );
        // Nothing was written.
        assert_eq!(std::fs::read(dd.audit_log_path()).unwrap(), log);
    }

    /// A carrying slot whose signature is not valid never gets its lines into the log.
    #[test]
    fn a_forged_carrying_head_restores_nothing() {
        use std::os::unix::fs::FileExt;
        let (_t, dd, _) = with_commits(3);
        let log = std::fs::read(dd.audit_log_path()).unwrap();
        let mut forged = Head::current_in(&head_file_bytes(&dd)).unwrap();
        let extra = br#"{"seq":4}"#;
        forged.seq = 4;
        let slot = encode_carrying_slot(
            &forged.to_bytes().unwrap(),
            &Carried {
                log_offset: log.len() as u64,
                bytes: &[&extra[..], b"\n"].concat()[..],
            },
        )
        .unwrap();
        let (_, current) = super::super::head::parse_head_file(&head_file_bytes(&dd));
        let f = OpenOptions::new()
            .write(true)
            .open(dd.audit_head_path())
            .unwrap();
        f.write_all_at(&slot, ((1 - current.unwrap()) * CARRY_SLOT_BYTES) as u64)
            .unwrap();
        let lock = dd.lock().unwrap();
        assert!(
            Committer::default()
                .append_locked(&dd, &lock, vec![NewEvent::new("T", json!({}))])
                .is_err()
        );
        assert_eq!(std::fs::read(dd.audit_log_path()).unwrap(), log);
    }

    /// A head whose sync failed after it reached its slot is withdrawn with its lines: no reader
    /// takes it for current, and no later writer restores the lines of the failed call.
    #[test]
    fn a_head_whose_sync_failed_is_withdrawn_with_its_lines() {
        let (_t, dd, c) = with_commits(3);
        let log = std::fs::read(dd.audit_log_path()).unwrap();
        let head = Head::current_in(&head_file_bytes(&dd)).unwrap();
        c.fail_sync_after_head_write.store(true, Ordering::SeqCst);
        let lock = dd.lock().unwrap();
        let e = c
            .append_locked(&dd, &lock, vec![NewEvent::new("FAILED", json!({}))])
            .unwrap_err();
        drop(lock);
        assert_eq!(e.code, ErrorCode::Io);
        c.fail_sync_after_head_write.store(false, Ordering::SeqCst);
        assert_eq!(std::fs::read(dd.audit_log_path()).unwrap(), log);
        assert_eq!(Head::current_in(&head_file_bytes(&dd)).unwrap(), head);
        assert!(crate::audit::verify(&dd).unwrap().ok);
        let next = append_one(&Committer::default(), &dd, 4);
        assert_eq!(next.seq, 4);
        let log = std::fs::read_to_string(dd.audit_log_path()).unwrap();
        assert!(!log.contains("FAILED"));
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    /// Many commits by one process: the background sync keeps the carried lines within a slot,
    /// and the chain and head verify throughout.
    #[test]
    fn the_background_sync_keeps_heads_small() {
        let (_t, dd) = data_dir(true);
        let c = Committer::default();
        let padding = "x".repeat(900);
        for n in 0..300 {
            let lock = dd.lock().unwrap();
            c.append_locked(
                &dd,
                &lock,
                vec![NewEvent::new("T", json!({ "n": n, "p": padding }))],
            )
            .unwrap();
        }
        let (offset, _) = carried(&dd).expect("a carrying head");
        let len = std::fs::metadata(dd.audit_log_path()).unwrap().len();
        assert!(len - offset < CARRY_SLOT_BYTES as u64);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    #[test]
    fn a_torn_spare_slot_leaves_the_current_head_in_force() {
        use std::os::unix::fs::FileExt;
        let (_t, dd) = data_dir(true);
        let c = Committer::default();
        append_one(&c, &dd, 1);
        append_one(&c, &dd, 2);
        let (_, current) = super::super::head::parse_head_file(&head_file_bytes(&dd));
        let spare = 1 - current.unwrap();
        // What a crash in the middle of writing the spare slot can leave.
        let f = OpenOptions::new()
            .write(true)
            .open(dd.audit_head_path())
            .unwrap();
        let slot = head_file_bytes(&dd).len() / 2;
        f.write_all_at(b"{\"seq\":3,\"hash\":\"00", (spare * slot) as u64)
            .unwrap();
        assert!(crate::audit::verify(&dd).unwrap().ok);
        // A fresh process (no cached state) continues after it.
        let ev = append_one(&Committer::default(), &dd, 3);
        assert_eq!(ev.seq, 3);
        assert!(crate::audit::verify(&dd).unwrap().ok);

        // A whole, checksummed slot with a newer seq but a wrong signature is not a torn write:
        // it is refused, not skipped.
        let (_, current) = super::super::head::parse_head_file(&head_file_bytes(&dd));
        let spare = 1 - current.unwrap();
        let mut forged = Head::current_in(&head_file_bytes(&dd)).unwrap();
        forged.seq = 4;
        let json = forged.to_bytes().unwrap();
        f.write_all_at(&encode_slot(&json, slot), (spare * slot) as u64)
            .unwrap();
        let r = crate::audit::verify(&dd).unwrap();
        assert!(!r.ok);
        let lock = dd.lock().unwrap();
        let e = Committer::default()
            .append_locked(&dd, &lock, vec![NewEvent::new("T", json!({}))])
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::DataCorrupt);
    }

    #[test]
    fn another_writer_between_two_commits_is_noticed() {
        let (_t, dd) = data_dir(false);
        let mine = Committer::default();
        let other = Committer::default();
        append_one(&mine, &dd, 1);
        append_one(&other, &dd, 2);
        // `mine` must re-read the tail instead of continuing from its own last commit.
        assert_eq!(append_one(&mine, &dd, 3).seq, 3);
        assert_eq!(append_one(&other, &dd, 4).seq, 4);
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    #[test]
    fn a_one_object_head_file_is_read_and_then_replaced_by_two_slots() {
        let (_t, dd) = data_dir(false);
        let c = Committer::default();
        append_one(&c, &dd, 1);
        let head = Head::current_in(&head_file_bytes(&dd)).unwrap();
        std::fs::write(dd.audit_head_path(), head.to_bytes().unwrap()).unwrap();
        assert!(crate::audit::verify(&dd).unwrap().ok);
        assert_eq!(append_one(&Committer::default(), &dd, 2).seq, 2);
        assert_eq!(
            head_file_bytes(&dd).len(),
            2 * super::super::head::HEAD_SLOT_BYTES
        );
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }

    #[test]
    fn a_head_larger_than_a_slot_grows_the_slots() {
        let (_t, dd) = data_dir(false);
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let ranges: Vec<UnsealedRange> = (0..60)
            .map(|i| UnsealedRange {
                from_seq: i,
                to_seq: i,
                anchor_hash: "ab".repeat(32),
            })
            .collect();
        let big = Head::sign(5, "cd".repeat(32), ranges, "k", &key);
        let json = big.to_bytes().unwrap();
        assert!(json.len() > super::super::head::HEAD_SLOT_BYTES);
        let c = Committer::default();
        c.write_head(&dd, 5, &json, HEAD_SLOT_BYTES, false).unwrap();
        let bytes = head_file_bytes(&dd);
        assert_eq!(bytes.len() % (2 * super::super::head::HEAD_SLOT_BYTES), 0);
        assert_eq!(Head::current_in(&bytes).unwrap(), big);
        // The next, small head goes into the spare slot of the grown file.
        let small = Head::sign(6, "ef".repeat(32), vec![], "k", &key);
        let (_, slot) = c
            .write_head(&dd, 6, &small.to_bytes().unwrap(), HEAD_SLOT_BYTES, false)
            .unwrap();
        assert_eq!(slot, 1);
        assert_eq!(Head::current_in(&head_file_bytes(&dd)).unwrap(), small);
    }

    #[test]
    fn a_head_that_does_not_advance_replaces_the_whole_file() {
        let (_t, dd) = data_dir(false);
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let c = Committer::default();
        let at = |seq| Head::sign(seq, "ab".repeat(32), vec![], "k", &key);
        c.write_head(&dd, 9, &at(9).to_bytes().unwrap(), HEAD_SLOT_BYTES, false)
            .unwrap();
        c.write_head(&dd, 10, &at(10).to_bytes().unwrap(), HEAD_SLOT_BYTES, false)
            .unwrap();
        // A seal that accepts a truncation signs a lower seq: it must win over both slots.
        let lower = at(4);
        c.write_head(&dd, 4, &lower.to_bytes().unwrap(), HEAD_SLOT_BYTES, false)
            .unwrap();
        assert_eq!(Head::current_in(&head_file_bytes(&dd)).unwrap(), lower);
    }

    /// Many threads through the pipeline, some head writes failing: every call that succeeded
    /// is in the log exactly once, none that failed is, and the chain and head verify.
    #[test]
    fn pipelined_commits_with_failing_heads_keep_exactly_the_successful_events() {
        // With fsync, so that batches overlap in the two stages.
        let (_t, dd) = data_dir(true);
        let c = committer(&dd);
        c.fail_every_nth_head.store(7, Ordering::SeqCst);
        let (ok, failed): (Vec<_>, Vec<_>) = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    let dd = dd.clone();
                    s.spawn(move || {
                        (0..40)
                            .map(|i| {
                                dd.append_audit(vec![
                                    NewEvent::new("P", json!({ "t": t, "i": i })),
                                    NewEvent::new("Q", json!({ "t": t, "i": i })),
                                ])
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .partition(|r| r.is_ok())
        });
        c.fail_every_nth_head.store(0, Ordering::SeqCst);
        assert!(!failed.is_empty() && !ok.is_empty());
        for e in &failed {
            assert_eq!(e.as_ref().unwrap_err().code, ErrorCode::Io);
        }
        let mut kept: Vec<String> = ok
            .into_iter()
            .flat_map(|r| r.unwrap())
            .map(|e| e.event_id)
            .collect();
        kept.sort();
        let log = std::fs::read_to_string(dd.audit_log_path()).unwrap();
        let mut in_log: Vec<String> = log
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["event_id"].as_str().unwrap().to_string()
            })
            .collect();
        in_log.sort();
        assert_eq!(in_log, kept);
        let report = crate::audit::verify(&dd).unwrap();
        assert!(report.ok, "{:?}", report.problems);
        // And the pipeline goes on after the failures.
        assert!(dd.append_audit(vec![NewEvent::new("R", json!({}))]).is_ok());
        assert!(crate::audit::verify(&dd).unwrap().ok);
    }
}
