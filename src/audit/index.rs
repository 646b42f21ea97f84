//! Per-principal and per-event-type indexes of the audit log, so that filtered reads (an owner's
//! audit page, `audit list --agent/--owner/--type`, a filtered `audit export`) cost O(result)
//! plus a log-scale lookup instead of a scan of the whole log.
//!
//! Layout, `audit.idx/` beside the log (a cache: deleting it is always safe):
//! - `p/<key>`: every event naming the principal `key` (its `principal_id`, or metadata
//!   `agent_id`, `agent_principal_id`, `owner_id`, `user_principal_id`, `owner_principal_id`);
//! - `t/<key>`: every event of type `key`;
//! - each a sequence of 16-byte records `(seq, byte offset of its line)`, little-endian, in
//!   log order; keys are lower-cased and only plain ids are indexed (anything else is read by
//!   a scan, as before);
//! - `state.json`: how far the log is indexed (byte end, last seq, SHA-256 of the last indexed
//!   line), written after the records it covers.
//!
//! The index is never trusted over the log: before use it is caught up with the log's tail
//! (only the lines appended since), a log that no longer ends the indexed line where the state
//! says (repaired, replaced, truncated) makes it rebuild from the start, and every hit is
//! re-checked against the line it points at — a record whose line does not carry its seq
//! discards the whole index (rebuilt on the next read) and the answer comes from a scan.
//!
//! It is maintained on append, under its own lock (`audit.idx/.lock`), outside the writer lock
//! and the commit itself:
//! - the server's maintenance thread catches it up every second (and builds it at start when it
//!   is missing), so neither its appenders (durable `authorize` throughput) nor its HTTP readers
//!   pay for it;
//! - any other appender (a CLI command) indexes its own events right after its commit, when
//!   the lock is free (it never waits for a reader) and the index is at most `INLINE_GAP`
//!   behind (it never builds the index of a large log inline);
//! - a reader catches up whatever is left (O(events appended since), under the lock), so an
//!   answer never depends on either of the above having run.
//!
//! Several processes maintaining it at once cannot double a record: catching up happens under
//! the lock, starts at the state's end, and skips records a file already holds.

use super::AuditEvent;
use super::lines::{Scanned, Scanner, complete_end};
use super::query::Filter;
use crate::error::{Error, Result};
use crate::store::DataDir;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;
const RECORD: u64 = 16;
/// How far behind the log an appender still catches the index up right after its commit
/// (about a thousand events): further behind (a log written by an older version, a generated
/// one), it is left to the server's maintenance or the next reader.
pub(crate) const INLINE_GAP: u64 = 1 << 20;
/// Records buffered in memory while indexing before they are appended to their files.
const FLUSH_EVERY: usize = 500_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct State {
    version: u32,
    /// Byte offset just past the last indexed line.
    end: u64,
    last_seq: u64,
    /// SHA-256 (hex) of the last indexed line, without its `\n`; empty when `end` is 0.
    last_line_sha256: String,
}

/// A key usable as a file name: a plain id (what openleash writes), lower-cased.
fn key(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && !s.starts_with('.')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._:@-".contains(&c));
    ok.then(|| s.to_ascii_lowercase())
}

/// The principal keys an event is indexed under (the fields [`Filter`] matches agents and
/// owners against).
fn principal_keys(ev: &AuditEvent) -> Vec<String> {
    let meta = |k: &str| ev.metadata_json.get(k).and_then(|v| v.as_str());
    let mut keys: Vec<String> = [
        ev.principal_id.as_deref(),
        meta("agent_id"),
        meta("agent_principal_id"),
        meta("owner_id"),
        meta("user_principal_id"),
        meta("owner_principal_id"),
    ]
    .into_iter()
    .flatten()
    .filter_map(key)
    .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Which index files answer a filter: any event matching it is in one of them. `None` when the
/// filter names nothing indexed (no principal or type, or one that is not a plain id).
fn files_for(filter: &Filter) -> Option<Vec<(char, String)>> {
    if let Some(o) = &filter.owner {
        return Some(vec![('p', key(o)?)]);
    }
    if !filter.agent.is_empty() {
        return filter
            .agent
            .iter()
            .map(|a| key(a).map(|k| ('p', k)))
            .collect();
    }
    if !filter.types.is_empty() {
        return filter
            .types
            .iter()
            .map(|t| key(t).map(|k| ('t', k)))
            .collect();
    }
    None
}

/// The one index file whose events are exactly what `filter` asks for (only an owner, one agent
/// or one type, nothing else), so that counting its records counts the answer.
fn single_file(filter: &Filter) -> Option<(char, String)> {
    let rest_empty = filter.since.is_none() && filter.until.is_none() && filter.decision.is_none();
    let named = usize::from(filter.owner.is_some()) + filter.agent.len() + filter.types.len();
    if !rest_empty || named != 1 {
        return None;
    }
    files_for(filter)?.pop()
}

/// Whether [`DataDir::audit_indexed`] can answer `filter` (it names an indexed principal or type).
pub(crate) fn files_indexed(filter: &Filter) -> bool {
    files_for(filter).is_some()
}

fn sha256_hex(b: &[u8]) -> String {
    crate::crypto::sha256_hex(b)
}

/// Reads the complete line starting at `off` (without its `\n`), if there is one before `end`.
fn line_at(file: &File, off: u64, end: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(off))?;
    let mut scanner = Scanner::for_bytes(reader, off, end.saturating_sub(off).min(4096));
    match scanner.next_line()? {
        Some(Scanned::Line { offset, line }) if offset + (line.len() as u64) < end => {
            Ok(Some(line.to_vec()))
        }
        _ => Ok(None),
    }
}

/// The start of the line that ends (with its `\n`) at `end`.
fn last_line_start(file: &File, end: u64) -> std::io::Result<u64> {
    let mut buf = [0u8; 4096];
    let mut hi = end.saturating_sub(1); // the `\n` itself
    while hi > 0 {
        let lo = hi.saturating_sub(buf.len() as u64);
        let n = (hi - lo) as usize;
        file.read_exact_at(&mut buf[..n], lo)?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return Ok(lo + i as u64 + 1);
        }
        hi = lo;
    }
    Ok(0)
}

/// One index file read backwards or forwards in chunks.
struct Cursor {
    file: File,
    /// Records in the file.
    n: u64,
    /// Next record to return: forwards, `pos`; backwards, `pos - 1`.
    pos: u64,
    chunk_start: u64,
    chunk: Vec<u8>,
}

const CHUNK_RECORDS: u64 = 512;

impl Cursor {
    fn open(path: &Path) -> std::io::Result<Option<Cursor>> {
        let file = match crate::store::fsio::open_read_nofollow(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        // A torn last record (a crash while appending) is ignored; the state, written after
        // the records, never covers it, so catching up writes it again.
        let n = file.metadata()?.len() / RECORD;
        Ok(Some(Cursor {
            file,
            n,
            pos: 0,
            chunk_start: 0,
            chunk: Vec::new(),
        }))
    }

    fn record(&mut self, i: u64) -> std::io::Result<(u64, u64)> {
        let in_chunk =
            |c: &Cursor| i >= c.chunk_start && i < c.chunk_start + c.chunk.len() as u64 / RECORD;
        if !in_chunk(self) {
            let start = i.saturating_sub(CHUNK_RECORDS / 2);
            let count = CHUNK_RECORDS.min(self.n - start);
            self.chunk.resize((count * RECORD) as usize, 0);
            self.file.read_exact_at(&mut self.chunk, start * RECORD)?;
            self.chunk_start = start;
        }
        let at = ((i - self.chunk_start) * RECORD) as usize;
        let num = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
        Ok((
            num(&self.chunk[at..at + 8]),
            num(&self.chunk[at + 8..at + 16]),
        ))
    }

    /// Positions the cursor at the first record with seq ≥ `seq` (bisection; records are in
    /// seq order because they are appended in log order).
    fn seek_seq(&mut self, seq: u64) -> std::io::Result<()> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.record(mid)?.0 < seq {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.pos = lo;
        Ok(())
    }

    fn peek_back(&mut self) -> std::io::Result<Option<(u64, u64)>> {
        if self.pos == 0 {
            return Ok(None);
        }
        self.record(self.pos - 1).map(Some)
    }

    fn peek_fwd(&mut self) -> std::io::Result<Option<(u64, u64)>> {
        if self.pos >= self.n {
            return Ok(None);
        }
        self.record(self.pos).map(Some)
    }
}

/// What an indexed read found.
pub(crate) enum Indexed {
    /// The filter names nothing indexed, or the index cannot be used here (a read-only data
    /// directory, say): scan.
    Unavailable,
    /// A record did not match its line: the index was discarded; scan.
    Discarded,
    /// Done; the index covers the log up to this byte offset.
    Done { end: u64 },
}

impl DataDir {
    fn audit_index_dir(&self) -> PathBuf {
        self.root().join("audit.idx")
    }

    /// Takes the index lock: waiting for it, or only when it is free (`wait` false: `None` when
    /// another reader or maintainer holds it). `None` too when the index cannot be written (a
    /// read-only data directory): callers then scan.
    fn audit_index_lock(&self, wait: bool) -> Result<Option<File>> {
        let dir = self.audit_index_dir();
        if std::fs::create_dir_all(&dir).is_err() {
            return Ok(None);
        }
        let lock_path = dir.join(".lock");
        let Ok(lock) = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
        else {
            return Ok(None);
        };
        if wait {
            lock.lock().map_err(|e| Error::io("lock", &lock_path, e))?;
        } else {
            match lock.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io("lock", &lock_path, e));
                }
            }
        }
        Ok(Some(lock))
    }

    /// Brings the index up to date with the log (rebuilding it when it is missing or does not
    /// match the log) and returns how far it reaches, with the index lock (held while the
    /// caller reads, so no other reader rebuilds the files under it); `None` when it cannot be
    /// written.
    fn audit_index_sync(&self) -> Result<Option<(State, File)>> {
        let Some(lock) = self.audit_index_lock(true)? else {
            return Ok(None);
        };
        Ok(self
            .audit_index_catch_up_locked(None)?
            .map(|state| (state, lock)))
    }

    /// Keeps the index caught up with the log from outside the read path: the server's
    /// background maintenance (`wait`, no `max_gap`), and an appender right after its commit
    /// (never waiting for the lock, and only when at most `max_gap` bytes of log are not indexed
    /// yet, so that an append never pays for building the index of a large log). Returns whether
    /// the index now covers the whole log.
    pub fn audit_index_catch_up(&self, wait: bool, max_gap: Option<u64>) -> Result<bool> {
        let Some(_lock) = self.audit_index_lock(wait)? else {
            return Ok(false);
        };
        Ok(self.audit_index_catch_up_locked(max_gap)?.is_some())
    }

    /// [`DataDir::audit_index_catch_up`] under the index lock; `None` when the index cannot be
    /// written or is further than `max_gap` bytes behind the log (left as it is).
    fn audit_index_catch_up_locked(&self, max_gap: Option<u64>) -> Result<Option<State>> {
        let dir = self.audit_index_dir();
        let log_path = self.audit_log_path();
        let io = |e| Error::io("read", &log_path, e);
        let file = match crate::store::fsio::open_read_nofollow(&log_path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Some(State::default()));
            }
            Err(e) => return Err(crate::store::fsio::open_error("open", &log_path, e)),
        };
        let len = file.metadata().map_err(io)?.len();
        let end = complete_end(&file, len).map_err(io)?;
        let state_path = dir.join("state.json");
        let stored: Option<State> = self.read_json(&state_path).ok().flatten();
        let usable = match stored {
            Some(s) if s.version == VERSION && self.audit_index_matches(&file, end, &s)? => Some(s),
            _ => None,
        };
        let from = usable.as_ref().map_or(0, |s| s.end);
        if max_gap.is_some_and(|max| end - from > max) {
            return Ok(None);
        }
        let mut state = match usable {
            Some(s) => s,
            // Missing, of another version, or not matching the log: start over.
            None => {
                self.audit_index_wipe()?;
                State {
                    version: VERSION,
                    ..State::default()
                }
            }
        };
        if state.end == end {
            return Ok(Some(state));
        }
        let mut pending: HashMap<(char, String), Vec<u8>> = HashMap::new();
        let mut buffered = 0usize;
        let mut last_written: HashMap<(char, String), u64> = HashMap::new();
        let mut reader = &file;
        reader.seek(SeekFrom::Start(state.end)).map_err(io)?;
        let mut scanner = Scanner::for_bytes(reader, state.end, end - state.end);
        let mut last_line: Option<(u64, Vec<u8>)> = None;
        while let Some(item) = scanner.next_line().map_err(io)? {
            let Scanned::Line { offset, line } = item else {
                break;
            };
            if offset + line.len() as u64 + 1 > end {
                break;
            }
            // Lines that are not events are not indexed (a scan skips them too).
            if let Ok(ev) = serde_json::from_slice::<AuditEvent>(line) {
                let mut rec = [0u8; 16];
                rec[..8].copy_from_slice(&ev.seq.to_le_bytes());
                rec[8..].copy_from_slice(&offset.to_le_bytes());
                let mut add = |k: (char, String)| {
                    pending.entry(k).or_default().extend_from_slice(&rec);
                    buffered += 1;
                };
                for k in principal_keys(&ev) {
                    add(('p', k));
                }
                if let Some(k) = key(&ev.event_type) {
                    add(('t', k));
                }
                last_line = Some((ev.seq, line.to_vec()));
            }
            if buffered >= FLUSH_EVERY {
                self.audit_index_flush(&mut pending, &mut last_written)?;
                buffered = 0;
            }
        }
        self.audit_index_flush(&mut pending, &mut last_written)?;
        if let Some((seq, line)) = last_line {
            state.last_seq = seq;
            state.last_line_sha256 = sha256_hex(&line);
        }
        state.end = end;
        // The records are in their files (page cache) before the state says they cover `end`;
        // after a crash either is caught by the checks above, so no fsync is needed.
        let bytes = crate::store::to_json_pretty(&state)?;
        let tmp = dir.join(".state.json.tmp");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io("write", &tmp, e))?;
        std::fs::rename(&tmp, &state_path).map_err(|e| Error::io("rename into", &state_path, e))?;
        Ok(Some(state))
    }

    /// The state describes this log: the line ending at `state.end` is the one it hashed.
    fn audit_index_matches(&self, file: &File, end: u64, s: &State) -> Result<bool> {
        if s.end == 0 {
            return Ok(true);
        }
        if s.end > end {
            return Ok(false);
        }
        let io = |e| Error::io("read", &self.audit_log_path(), e);
        let start = last_line_start(file, s.end).map_err(io)?;
        Ok(match line_at(file, start, s.end).map_err(io)? {
            Some(line) => sha256_hex(&line) == s.last_line_sha256,
            None => false,
        })
    }

    fn audit_index_wipe(&self) -> Result<()> {
        let dir = self.audit_index_dir();
        for sub in ["p", "t"] {
            let p = dir.join(sub);
            match std::fs::remove_dir_all(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", &p, e)),
            }
        }
        let state = dir.join("state.json");
        match std::fs::remove_file(&state) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("remove", &state, e)),
        }
    }

    /// Appends buffered records to their files, skipping any a file already holds (records
    /// written before a crash that the state did not cover yet).
    fn audit_index_flush(
        &self,
        pending: &mut HashMap<(char, String), Vec<u8>>,
        last_written: &mut HashMap<(char, String), u64>,
    ) -> Result<()> {
        let dir = self.audit_index_dir();
        for ((kind, k), recs) in pending.drain() {
            let sub = dir.join(kind.to_string());
            std::fs::create_dir_all(&sub).map_err(|e| Error::io("create directory", &sub, e))?;
            let path = sub.join(&k);
            let mut f = crate::store::fsio::open_nofollow(
                &path,
                OpenOptions::new().create(true).read(true).write(true),
            )
            .map_err(|e| Error::io("open", &path, e))?;
            let len = f.metadata().map_err(|e| Error::io("read", &path, e))?.len();
            // Drop a torn record, then skip what is already there.
            let whole = len - len % RECORD;
            if whole != len {
                f.set_len(whole)
                    .map_err(|e| Error::io("truncate", &path, e))?;
            }
            let have = match last_written.get(&(kind, k.clone())) {
                Some(s) => Some(*s),
                None if whole > 0 => {
                    let mut b = [0u8; 8];
                    f.read_exact_at(&mut b, whole - RECORD)
                        .map_err(|e| Error::io("read", &path, e))?;
                    Some(u64::from_le_bytes(b))
                }
                None => None,
            };
            let mut from = 0;
            if let Some(have) = have {
                while from < recs.len() {
                    let seq = u64::from_le_bytes(recs[from..from + 8].try_into().unwrap_or([0; 8]));
                    if seq > have {
                        break;
                    }
                    from += RECORD as usize;
                }
            }
            if from < recs.len() {
                f.seek(SeekFrom::Start(whole))
                    .and_then(|_| f.write_all(&recs[from..]))
                    .map_err(|e| Error::io("write", &path, e))?;
                let last = &recs[recs.len() - RECORD as usize..recs.len() - 8];
                last_written.insert(
                    (kind, k),
                    u64::from_le_bytes(last.try_into().unwrap_or([0; 8])),
                );
            }
        }
        Ok(())
    }

    /// The seq of the event `offset` places from the newest of those `filter` asks for (0 = the
    /// newest), by counting records of its index file: O(1) reads after catching up, for the
    /// numeric (offset) audit cursors upstream clients still send. `None` when the filter is not
    /// answered by one index file (the caller scans); `Some(None)` when there are not that many.
    ///
    /// A principal's file holds every event naming the id in any role, so an id that is an
    /// owner's and also another agent's `agent_id` (ids are chosen apart, but an agent id is
    /// free text) shifts an owner's offsets by the other role's events; the page returned from
    /// there is still checked against the filter.
    pub(crate) fn audit_indexed_nth_newest(
        &self,
        filter: &Filter,
        offset: u64,
    ) -> Result<Option<Option<u64>>> {
        let Some((kind, k)) = single_file(filter) else {
            return Ok(None);
        };
        let Some((state, _lock)) = self.audit_index_sync()? else {
            return Ok(None);
        };
        let path = self.audit_index_dir().join(kind.to_string()).join(k);
        let io = |e| Error::io("read", &path, e);
        let Some(mut c) = Cursor::open(&path).map_err(io)? else {
            return Ok(Some(None));
        };
        // Records past the state (an interrupted catch-up) are not part of the answer yet.
        let mut n = c.n;
        while n > 0 && c.record(n - 1).map_err(io)?.1 >= state.end {
            n -= 1;
        }
        if offset >= n {
            return Ok(Some(None));
        }
        Ok(Some(Some(c.record(n - 1 - offset).map_err(io)?.0)))
    }

    /// Calls `f` for each event matching `filter`, newest first (`backwards`) from seq < `from`
    /// or oldest first from seq ≥ `from`, found through the index and checked against the log,
    /// until `f` returns false.
    pub(crate) fn audit_indexed(
        &self,
        filter: &Filter,
        backwards: bool,
        from: u64,
        mut f: impl FnMut(AuditEvent) -> bool,
    ) -> Result<Indexed> {
        let Some(files) = files_for(filter) else {
            return Ok(Indexed::Unavailable);
        };
        let Some((state, _lock)) = self.audit_index_sync()? else {
            return Ok(Indexed::Unavailable);
        };
        let log_path = self.audit_log_path();
        let io = |e| Error::io("read", &log_path, e);
        let log = match crate::store::fsio::open_read_nofollow(&log_path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Indexed::Done { end: 0 });
            }
            Err(e) => return Err(crate::store::fsio::open_error("open", &log_path, e)),
        };
        let dir = self.audit_index_dir();
        let mut cursors = Vec::new();
        for (kind, k) in &files {
            let path = dir.join(kind.to_string()).join(k);
            if let Some(mut c) = Cursor::open(&path).map_err(|e| Error::io("read", &path, e))? {
                c.seek_seq(from).map_err(|e| Error::io("read", &path, e))?;
                cursors.push(c);
            }
        }
        let mut last: Option<u64> = None;
        loop {
            // The next record over all files (they may share events: each seq once).
            let mut best: Option<(usize, u64, u64)> = None;
            for (i, c) in cursors.iter_mut().enumerate() {
                let r = if backwards {
                    c.peek_back()
                } else {
                    c.peek_fwd()
                };
                if let Some((seq, off)) = r.map_err(io)? {
                    let better = match best {
                        None => true,
                        Some((_, b, _)) => (backwards && seq > b) || (!backwards && seq < b),
                    };
                    if better {
                        best = Some((i, seq, off));
                    }
                }
            }
            let Some((i, seq, off)) = best else { break };
            if backwards {
                cursors[i].pos -= 1;
            } else {
                cursors[i].pos += 1;
            }
            if last == Some(seq) {
                continue;
            }
            last = Some(seq);
            if off >= state.end {
                // Records past the state come from an interrupted catch-up and are rechecked
                // there; this read stops at what the state covers.
                continue;
            }
            let ev = line_at(&log, off, state.end)
                .map_err(io)?
                .and_then(|l| serde_json::from_slice::<AuditEvent>(&l).ok());
            match ev {
                Some(ev) if ev.seq == seq => {
                    if filter.matches(&ev) && !f(ev) {
                        break;
                    }
                }
                // Never trusted over the log: start over on the next read.
                _ => {
                    self.audit_index_wipe()?;
                    return Ok(Indexed::Discarded);
                }
            }
        }
        Ok(Indexed::Done { end: state.end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    fn events(dd: &DataDir, n: usize) {
        let evs = (0..n)
            .map(|i| {
                let owner = if i % 3 == 0 { "o1" } else { "o2" };
                NewEvent::new(
                    if i % 2 == 0 {
                        "DECISION_CREATED"
                    } else {
                        "AUTHORIZE_CALLED"
                    },
                    json!({"owner_id": owner, "agent_id": format!("bot{}", i % 5), "i": i}),
                )
            })
            .collect();
        dd.append_audit(evs).unwrap();
    }

    fn scan(dd: &DataDir, filter: &Filter) -> Vec<u64> {
        let mut v = Vec::new();
        dd.audit_scan(filter, 0, |ev| v.push(ev.seq)).unwrap();
        v
    }

    fn indexed(dd: &DataDir, filter: &Filter) -> Vec<u64> {
        let mut v = Vec::new();
        match dd
            .audit_indexed(filter, false, 0, |ev| {
                v.push(ev.seq);
                true
            })
            .unwrap()
        {
            Indexed::Done { .. } => v,
            _ => panic!("index not used"),
        }
    }

    fn filters() -> Vec<Filter> {
        vec![
            Filter {
                owner: Some("O1".into()),
                ..Filter::default()
            },
            Filter {
                agent: vec!["bot1".into(), "bot3".into()],
                ..Filter::default()
            },
            Filter {
                types: vec!["decision_created".into()],
                owner: None,
                ..Filter::default()
            },
            Filter {
                owner: Some("o2".into()),
                types: vec!["AUTHORIZE_CALLED".into()],
                ..Filter::default()
            },
        ]
    }

    #[test]
    fn answers_as_a_scan_and_catches_up_with_appends() {
        let (_t, dd) = data_dir(false);
        events(&dd, 40);
        for f in filters() {
            assert_eq!(indexed(&dd, &f), scan(&dd, &f));
        }
        events(&dd, 25);
        for f in filters() {
            assert_eq!(indexed(&dd, &f), scan(&dd, &f));
        }
        // Backwards from a seq, newest first.
        let f = &filters()[0];
        let mut back = Vec::new();
        dd.audit_indexed(f, true, 30, |ev| {
            back.push(ev.seq);
            back.len() < 4
        })
        .unwrap();
        let mut want: Vec<u64> = scan(&dd, f).into_iter().filter(|s| *s < 30).collect();
        want.reverse();
        want.truncate(4);
        assert_eq!(back, want);
        // Not indexed: unfiltered, or a key that is not a plain id.
        assert!(matches!(
            dd.audit_indexed(&Filter::default(), false, 0, |_| true)
                .unwrap(),
            Indexed::Unavailable
        ));
        let odd = Filter {
            owner: Some("a/b".into()),
            ..Filter::default()
        };
        assert!(matches!(
            dd.audit_indexed(&odd, false, 0, |_| true).unwrap(),
            Indexed::Unavailable
        ));
    }

    fn state(dd: &DataDir) -> Option<State> {
        std::fs::read(dd.path("audit.idx/state.json"))
            .ok()
            .map(|b| serde_json::from_slice(&b).unwrap())
    }

    fn log_len(dd: &DataDir) -> u64 {
        std::fs::metadata(dd.audit_log_path()).unwrap().len()
    }

    /// Every record of every index file, checked to be in strictly increasing seq order (a
    /// record written twice would repeat a seq).
    fn all_records(dd: &DataDir) -> usize {
        let mut n = 0;
        for sub in ["p", "t"] {
            let Ok(rd) = std::fs::read_dir(dd.path("audit.idx").join(sub)) else {
                continue;
            };
            for e in rd {
                let b = std::fs::read(e.unwrap().path()).unwrap();
                assert_eq!(b.len() % 16, 0);
                let seqs: Vec<u64> = b
                    .chunks(16)
                    .map(|r| u64::from_le_bytes(r[..8].try_into().unwrap()))
                    .collect();
                assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
                n += seqs.len();
            }
        }
        n
    }

    #[test]
    fn appends_keep_the_index_caught_up_without_any_reader() {
        let (_t, dd) = data_dir(false);
        events(&dd, 10);
        assert_eq!(state(&dd).unwrap().end, log_len(&dd));
        events(&dd, 3);
        let st = state(&dd).unwrap();
        assert_eq!((st.end, st.last_seq), (log_len(&dd), 13));
        // Under the writer lock too (a state change and its events in one critical section).
        let lock = dd.lock().unwrap();
        dd.append_audit_locked(&lock, vec![NewEvent::new("X", json!({}))])
            .unwrap();
        drop(lock);
        assert_eq!(state(&dd).unwrap().last_seq, 14);
        // A reader holding the index lock does not make an appender wait: the appender leaves
        // the index behind, and the next reader catches it up.
        let held = dd.audit_index_lock(true).unwrap().unwrap();
        events(&dd, 2);
        assert_eq!(state(&dd).unwrap().last_seq, 14);
        drop(held);
        for f in filters() {
            assert_eq!(indexed(&dd, &f), scan(&dd, &f));
        }
        assert_eq!(state(&dd).unwrap().last_seq, 16);
    }

    #[test]
    fn an_append_does_not_build_the_index_of_a_large_log_nor_one_kept_in_background() {
        let (_t, dd) = data_dir(false);
        // More than INLINE_GAP of log with no index (a log written by an older version).
        let big = "x".repeat(1000);
        let n = (INLINE_GAP / 1000) as usize + 10;
        let evs = (0..n)
            .map(|i| NewEvent::new("BULK", json!({"agent_id": "a", "pad": big, "i": i})))
            .collect();
        dd.append_audit(evs).unwrap();
        std::fs::remove_dir_all(dd.path("audit.idx")).unwrap();
        events(&dd, 1);
        assert_eq!(state(&dd), None);
        // Caught up once (by the server's maintenance here), appends keep it so again.
        assert!(dd.audit_index_catch_up(true, None).unwrap());
        events(&dd, 1);
        assert_eq!(state(&dd).unwrap().end, log_len(&dd));
        // A process whose background thread maintains it leaves it to that thread.
        dd.audit_index_in_background();
        events(&dd, 1);
        assert!(state(&dd).unwrap().end < log_len(&dd));
        assert!(dd.audit_index_catch_up(false, None).unwrap());
        assert_eq!(state(&dd).unwrap().end, log_len(&dd));
    }

    #[test]
    fn concurrent_appenders_and_readers_never_double_a_record() {
        let (_t, dd) = data_dir(false);
        std::thread::scope(|s| {
            for t in 0..4 {
                let dd = DataDir::open(dd.root()).unwrap();
                s.spawn(move || {
                    for _ in 0..25 {
                        events(&dd, 3);
                        if t == 0 {
                            let _ = indexed(&dd, &filters()[0]);
                        }
                    }
                });
            }
            let dd = DataDir::open(dd.root()).unwrap();
            s.spawn(move || {
                for _ in 0..20 {
                    dd.audit_index_catch_up(true, None).unwrap();
                }
            });
        });
        for f in filters() {
            assert_eq!(indexed(&dd, &f), scan(&dd, &f));
        }
        // 300 events, each under its type and its two principals (owner, agent).
        assert_eq!(all_records(&dd), 900);
    }

    #[test]
    fn a_deleted_index_is_rebuilt_and_a_wrong_one_discarded() {
        let (_t, dd) = data_dir(false);
        events(&dd, 30);
        let f = filters()[1].clone();
        let want = scan(&dd, &f);
        assert_eq!(indexed(&dd, &f), want);
        std::fs::remove_dir_all(dd.path("audit.idx")).unwrap();
        assert_eq!(indexed(&dd, &f), want);
        // A record pointing at the wrong line: detected, discarded, rebuilt, never believed.
        let p = dd.path("audit.idx/p/bot1");
        let mut b = std::fs::read(&p).unwrap();
        b[8..16].copy_from_slice(&0u64.to_le_bytes());
        std::fs::write(&p, b).unwrap();
        let mut v = Vec::new();
        let r = dd
            .audit_indexed(&f, false, 0, |ev| {
                v.push(ev.seq);
                true
            })
            .unwrap();
        assert!(matches!(r, Indexed::Discarded));
        assert_eq!(indexed(&dd, &f), want);
        // A state that does not match the log (the log was replaced): rebuilt.
        let s = dd.path("audit.idx/state.json");
        let mut st: State = serde_json::from_slice(&std::fs::read(&s).unwrap()).unwrap();
        st.last_line_sha256 = "00".into();
        std::fs::write(&s, serde_json::to_vec(&st).unwrap()).unwrap();
        assert_eq!(indexed(&dd, &f), want);
        // A state behind the log (records lost): caught up, each record once.
        std::fs::remove_file(dd.path("audit.idx/t/decision_created")).unwrap();
        let t = Filter {
            types: vec!["DECISION_CREATED".into()],
            ..Filter::default()
        };
        st = serde_json::from_slice(&std::fs::read(&s).unwrap()).unwrap();
        st.end = 0;
        st.last_line_sha256 = String::new();
        std::fs::write(&s, serde_json::to_vec(&st).unwrap()).unwrap();
        assert_eq!(indexed(&dd, &t), scan(&dd, &t));
        assert_eq!(indexed(&dd, &f), want);
    }
}
