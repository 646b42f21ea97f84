//! The counter index of stateful limits: a cache of the `limits_consumed` records of
//! `DECISION_CREATED` events, so a decision reads two small files instead of the audit log.
//!
//! Layout (inside the data directory):
//! - `limits/state.json` — `{version, seq, hash, line_start, line_end, boot_id?}`: the audit line
//!   the index is consistent with (its `seq`, `hash` and byte range in `audit.log.jsonl`).
//! - `limits/counters/<sha256(key)[..32]>.jsonl` — JSON Lines: `{"key": …}`, then one
//!   `{seq, at_ms, amount_minor?, currency?}` per entry: one file per counter key (see
//!   [`crate::policy::limits::counter_key`] and [`CounterFile`]).
//!
//! The index is only ever derived from the log: [`LimitsIndex::open_locked`] (under the writer
//! lock) checks that the line at the recorded position still has the recorded `seq` and `hash`,
//! then reads only the lines appended since, checking each link and hash, and folds their
//! consumption in. A decision appends its events and calls [`LimitsIndex::catch_up`] again, so
//! its own consumption enters the index the same way. Without an index the whole log is read
//! once. A log that no longer matches (shorter, or another hash at the recorded line, or a broken
//! link in the new tail) makes limits fail closed with `LIMITS_INDEX_MISMATCH` until
//! `openleash limits reset-index` rebuilds the index from a log that `audit verify` accepts.
//! Entries are appended idempotently (by `seq`), so a crash between the counter files and the
//! state update never counts a decision twice. Durability: see [`LimitsIndex`]'s writer (fsync,
//! or on Linux the boot id, after which a reboot rebuilds the index from the fsynced log).

use super::{DataDir, WriteLock};
use crate::audit::line::parse_raw;
use crate::audit::lines::{Scanned, Scanner};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::limits::{Consumption, Counter, Entry, History, Measure, Window, ms_of};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::Mutex;

/// 2: counter lines carry running totals (an index of version 1 is rebuilt from the log).
const STATE_VERSION: u32 = 2;

/// Where the index is in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    pub version: u32,
    /// 0 = before the first line.
    pub seq: u64,
    pub hash: String,
    pub line_start: u64,
    pub line_end: u64,
    /// The kernel boot the index files were written in without fsync (empty when they were
    /// fsynced). After a reboot such files may have lost writes, so the index is rebuilt.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub boot_id: String,
}

/// This boot's id (Linux); `None` where the kernel does not tell.
fn boot_id() -> Option<String> {
    static ID: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    })
    .clone()
}

/// One counter file: JSON Lines, a header `{"key": …}` and then one entry per line, so a
/// consuming decision appends its entry instead of rewriting the file; the file is rewritten
/// only when at least half of its entries have left every window, when an entry arrives out of
/// time order, or after a torn write. The lines are sorted by `(at_ms, seq)` and each carries the
/// running totals of the file up to and including it ([`Totals`]), so the use of a window is a
/// binary search over the file's bytes ([`FileCounter`]). In memory the entries are a
/// [`Counter`] (sorted by time, with running sums), which mirrors the file's entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CounterFile {
    pub key: String,
    pub counter: Counter,
    /// The file must be written whole before anything is appended (missing, or torn at the end).
    rewrite: bool,
    /// The totals of the file's last line.
    tail: Totals,
}

#[derive(Serialize, Deserialize)]
struct CounterHeader {
    key: String,
}

/// Running totals of a counter file, from its first entry up to and including one line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Entries.
    n: u64,
    /// The largest `seq`.
    max_seq: u64,
    /// Entries without a currency: `[count, sum of amounts]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    none: Option<(u64, u128)>,
    /// By currency: `[count, sum of amounts]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    lanes: BTreeMap<String, (u64, u128)>,
}

impl Totals {
    fn add(&mut self, e: &Entry) {
        self.n += 1;
        self.max_seq = self.max_seq.max(e.seq);
        let lane = match &e.currency {
            None => self.none.get_or_insert((0, 0)),
            Some(c) => self.lanes.entry(c.clone()).or_insert((0, 0)),
        };
        lane.0 += 1;
        lane.1 += u128::from(e.amount_minor.unwrap_or(0));
    }

    fn lane(&self, currency: Option<&str>) -> (u64, u128) {
        match currency {
            None => self.none.unwrap_or((0, 0)),
            Some(c) => self.lanes.get(c).copied().unwrap_or((0, 0)),
        }
    }
}

/// One entry line as written.
#[derive(Serialize)]
struct LineOut<'a> {
    seq: u64,
    at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_minor: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: &'a Option<String>,
    n: u64,
    max_seq: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    none: Option<(u64, u128)>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    lanes: &'a BTreeMap<String, (u64, u128)>,
}

/// One entry line as read (the totals are required: a line without them is not this format).
#[derive(Debug, Deserialize)]
struct Line {
    seq: u64,
    at_ms: i64,
    #[serde(default)]
    amount_minor: Option<u64>,
    #[serde(default)]
    currency: Option<String>,
    n: u64,
    max_seq: u64,
    #[serde(default)]
    none: Option<(u64, u128)>,
    #[serde(default)]
    lanes: BTreeMap<String, (u64, u128)>,
}

impl Line {
    fn into_parts(self) -> (Entry, Totals) {
        (
            Entry {
                seq: self.seq,
                at_ms: self.at_ms,
                amount_minor: self.amount_minor,
                currency: self.currency,
            },
            Totals {
                n: self.n,
                max_seq: self.max_seq,
                none: self.none,
                lanes: self.lanes,
            },
        )
    }
}

/// Appends the lines of `entries` (sorted) to `out`, advancing `totals`.
fn encode_lines(totals: &mut Totals, entries: &[Entry], out: &mut Vec<u8>) -> Result<()> {
    for e in entries {
        totals.add(e);
        out.extend(compact(&LineOut {
            seq: e.seq,
            at_ms: e.at_ms,
            amount_minor: e.amount_minor,
            currency: &e.currency,
            n: totals.n,
            max_seq: totals.max_seq,
            none: totals.none,
            lanes: &totals.lanes,
        })?);
    }
    Ok(())
}

/// Parses a counter file; a torn last line (no `\n`, e.g. a crash mid-append) is left out and
/// marks the file for a rewrite (a torn header gives an empty counter named `key`). `Err` says
/// what is wrong.
fn parse_counter(bytes: &[u8], key: &str) -> std::result::Result<CounterFile, String> {
    let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let torn = complete < bytes.len();
    let mut lines = bytes[..complete].split(|b| *b == b'\n');
    let header = match lines.next().filter(|h| !h.is_empty()) {
        // Not even the header was written completely.
        None => {
            return Ok(CounterFile {
                key: key.to_string(),
                counter: Counter::default(),
                rewrite: true,
                tail: Totals::default(),
            });
        }
        Some(h) => serde_json::from_slice::<CounterHeader>(h)
            .map_err(|e| format!("bad header line ({e})"))?,
    };
    let mut entries = Vec::new();
    let mut tail = Totals::default();
    for (i, line) in lines.enumerate() {
        if line.is_empty() {
            continue;
        }
        let (e, t) = serde_json::from_slice::<Line>(line)
            .map_err(|e| format!("line {} is not an entry ({e})", i + 2))?
            .into_parts();
        entries.push(e);
        tail = t;
    }
    Ok(CounterFile {
        key: header.key,
        counter: Counter::from_entries(entries),
        rewrite: torn,
        tail,
    })
}

/// The whole file of `c`, and the totals of its last line.
fn encode_counter(c: &CounterFile) -> Result<(Vec<u8>, Totals)> {
    let mut out = compact(&CounterHeader { key: c.key.clone() })?;
    let mut t = Totals::default();
    encode_lines(&mut t, c.counter.entries(), &mut out)?;
    Ok((out, t))
}

/// A counter file searched in place: the use of a window reads O(log n) lines (binary search over
/// the file's bytes with positioned reads) instead of the whole file. Covers the file's complete
/// lines (a torn last line is left out, as [`parse_counter`] does).
#[derive(Debug)]
pub struct FileCounter {
    file: File,
    path: PathBuf,
    /// Where the first entry line starts (after the header).
    data_start: u64,
    /// The end of the last complete line.
    end: u64,
    /// A torn last line follows `end`.
    torn: bool,
    /// The last complete line (`None` without entries).
    last: Option<(Entry, Totals)>,
    error: Mutex<Option<String>>,
}

/// The bytes [`FileCounter`] reads at once.
const CHUNK: usize = 512;

impl FileCounter {
    /// Opens the counter file of `key`; `Ok(None)` when it is missing or its header is torn (the
    /// caller then reads it whole: it holds nothing).
    pub fn open(path: PathBuf, key: &str) -> std::result::Result<Option<FileCounter>, String> {
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot be opened ({e})")),
        };
        let len = file
            .metadata()
            .map_err(|e| format!("cannot be read ({e})"))?
            .len();
        let mut fc = FileCounter {
            file,
            path,
            data_start: 0,
            end: len,
            torn: false,
            last: None,
            error: Mutex::new(None),
        };
        let Some(header_end) = fc.find_newline(0, len)? else {
            return Ok(None);
        };
        let header = fc.read(0, header_end)?;
        let h: CounterHeader =
            serde_json::from_slice(&header).map_err(|e| format!("bad header line ({e})"))?;
        if h.key != key {
            return Err(format!("holds counter {:?}, not {key:?}", h.key));
        }
        fc.data_start = header_end + 1;
        // The end of the complete lines: after the last `\n`.
        let end = if len == fc.data_start {
            len
        } else {
            fc.last_newline_before(len)?
                .map_or(fc.data_start, |p| p + 1)
        };
        fc.torn = end < len;
        fc.end = end;
        if end > fc.data_start {
            let start = fc.line_start_before(end)?;
            let (line, _) = fc.line_at(start)?;
            fc.last = Some(line.into_parts());
        }
        Ok(Some(fc))
    }

    fn read(&self, from: u64, to: u64) -> std::result::Result<Vec<u8>, String> {
        let mut buf = vec![0; (to - from) as usize];
        self.file
            .read_exact_at(&mut buf, from)
            .map_err(|e| format!("cannot be read at byte {from} ({e})"))?;
        Ok(buf)
    }

    /// The position of the first `\n` in `from..to`.
    fn find_newline(&self, mut from: u64, to: u64) -> std::result::Result<Option<u64>, String> {
        let mut size = CHUNK as u64;
        while from < to {
            let upto = (from + size).min(to);
            let buf = self.read(from, upto)?;
            if let Some(i) = buf.iter().position(|b| *b == b'\n') {
                return Ok(Some(from + i as u64));
            }
            from = upto;
            size *= 2;
        }
        Ok(None)
    }

    /// The position of the last `\n` in `data_start..to`.
    fn last_newline_before(&self, mut to: u64) -> std::result::Result<Option<u64>, String> {
        let mut size = CHUNK as u64;
        while to > self.data_start {
            let from = to.saturating_sub(size).max(self.data_start);
            let buf = self.read(from, to)?;
            if let Some(i) = buf.iter().rposition(|b| *b == b'\n') {
                return Ok(Some(from + i as u64));
            }
            to = from;
            size *= 2;
        }
        Ok(None)
    }

    /// The start of the line that ends (with its `\n`) at `end`.
    fn line_start_before(&self, end: u64) -> std::result::Result<u64, String> {
        Ok(self
            .last_newline_before(end - 1)?
            .map_or(self.data_start, |p| p + 1))
    }

    /// The line starting at `start` (< `end`) and the position after its `\n`.
    fn line_at(&self, start: u64) -> std::result::Result<(Line, u64), String> {
        let nl = self
            .find_newline(start, self.end)?
            .ok_or_else(|| format!("has no complete line at byte {start}"))?;
        let bytes = self.read(start, nl)?;
        let line = serde_json::from_slice::<Line>(&bytes)
            .map_err(|e| format!("has no entry at byte {start} ({e})"))?;
        Ok((line, nl + 1))
    }

    /// Binary search over the lines starting in `lo..hi` (`lo` and `hi` line starts) for the
    /// first one where `pred` holds (`pred` false then true along the file). Returns its start
    /// (`hi` for none), the line there (when read) and the line before it (when read).
    #[allow(clippy::type_complexity)]
    fn search(
        &self,
        mut lo: u64,
        mut hi: u64,
        pred: impl Fn(&Line) -> bool,
    ) -> std::result::Result<(u64, Option<Line>, Option<Line>), String> {
        let mut at: Option<Line> = None;
        let mut before: Option<Line> = None;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mut s = if mid == lo {
                lo
            } else {
                self.find_newline(mid - 1, hi)?.map_or(hi, |p| p + 1)
            };
            if s >= hi {
                s = lo;
            }
            let (line, e) = self.line_at(s)?;
            if pred(&line) {
                hi = s;
                at = Some(line);
            } else {
                lo = e;
                before = Some(line);
            }
        }
        Ok((lo, at, before))
    }

    /// How many entries are at or before `until_ms`.
    fn count_until(&self, until_ms: i64) -> std::result::Result<u64, String> {
        let (_, _, before) = self.search(self.data_start, self.end, |l| l.at_ms > until_ms)?;
        Ok(before.map_or(0, |l| l.n))
    }

    fn len(&self) -> u64 {
        self.last.as_ref().map_or(0, |(_, t)| t.n)
    }

    fn try_after(
        &self,
        measure: Measure,
        after_ms: i64,
        currency: Option<&str>,
    ) -> std::result::Result<(u64, Option<i64>), String> {
        let Some((_, last)) = &self.last else {
            return Ok((0, None));
        };
        let (b, at, before) = self.search(self.data_start, self.end, |l| l.at_ms > after_ms)?;
        let before = before.map(|l| l.into_parts().1).unwrap_or_default();
        match measure {
            Measure::Count(_) => Ok((last.n - before.n, at.map(|l| l.at_ms))),
            Measure::AmountMinor(_) => {
                let (n0, s0) = before.lane(currency);
                let (n1, s1) = last.lane(currency);
                if n1 == n0 {
                    return Ok((0, None));
                }
                let sum = u64::try_from(s1 - s0).unwrap_or(u64::MAX);
                let lane_n = |l: &Line| match currency {
                    None => l.none.map_or(0, |x| x.0),
                    Some(c) => l.lanes.get(c).map_or(0, |x| x.0),
                };
                // The oldest counted entry: the first line from `b` of this currency (usually
                // the one at `b`).
                if let Some(l) = at.filter(|l| lane_n(l) > n0) {
                    return Ok((sum, Some(l.at_ms)));
                }
                let (_, first, _) = self.search(b, self.end, |l| lane_n(l) > n0)?;
                Ok((sum, first.map(|l| l.at_ms)))
            }
        }
    }
}

impl Window for FileCounter {
    fn after(&self, measure: Measure, after_ms: i64, currency: Option<&str>) -> (u64, Option<i64>) {
        match self.try_after(measure, after_ms, currency) {
            Ok(r) => r,
            Err(why) => {
                let mut e = self.error.lock().unwrap_or_else(|p| p.into_inner());
                e.get_or_insert_with(|| format!("{} {why}", self.path.display()));
                // Fail closed: the window counts as used up.
                (u64::MAX, None)
            }
        }
    }

    fn all_entries(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        let read = self.read(self.data_start, self.end).and_then(|bytes| {
            for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let l = serde_json::from_slice::<Line>(line).map_err(|e| e.to_string())?;
                out.push(l.into_parts().0);
            }
            Ok(())
        });
        if let Err(why) = read {
            let mut e = self.error.lock().unwrap_or_else(|p| p.into_inner());
            e.get_or_insert(why);
        }
        out.sort_by_key(|e| (e.at_ms, e.seq));
        out
    }

    fn error(&self) -> Option<String> {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Counters a process keeps between critical sections (see [`LimitsIndex::open_with`]).
#[derive(Debug, Default)]
pub struct Memo {
    state: IndexState,
    counters: HashMap<String, CounterFile>,
}

const MEMO_MAX_COUNTERS: usize = 10_000;

/// The index, opened and current under the writer lock.
#[derive(Debug)]
pub struct LimitsIndex<'d> {
    dd: &'d DataDir,
    pub state: IndexState,
    fsync: bool,
    /// Counter files read or written under this lock.
    cache: HashMap<String, CounterFile>,
    /// Counter files are searched in place rather than read whole (one decision per process:
    /// no memo to fill).
    lazy: bool,
    /// The counter files [`LimitsIndex::load`] lends in place (lazy mode).
    files: HashMap<String, FileCounter>,
    /// While rebuilding from the start of the log: entries decided before this time are left
    /// out (no limit of any stored policy can still count them).
    floor_ms: i64,
}

/// The earliest decision time any limit of the data directory's policies can still count: now
/// minus the longest window (a year when no policy has limits or one cannot be read).
fn rebuild_floor(dd: &DataDir) -> i64 {
    let now = ms_of(&crate::timefmt::now_string()).unwrap_or(0);
    let mut longest: Option<u64> = None;
    let ids = dd.list_ids("policies", "yaml").unwrap_or_default();
    for id in ids {
        match crate::policy::compile_file(&dd.path(&format!("policies/{id}.yaml"))) {
            Ok(p) => {
                for l in p.rules.iter().flat_map(|r| &r.limits) {
                    longest = Some(longest.map_or(l.window_secs, |w| w.max(l.window_secs)));
                }
            }
            Err(_) => longest = Some(crate::policy::limits::MAX_WINDOW_SECS),
        }
    }
    let w = longest.unwrap_or(crate::policy::limits::MAX_WINDOW_SECS);
    now.saturating_sub(w as i64 * 1000)
}

/// [`LIMITS_INDEX_MISMATCH`](ErrorCode::LimitsIndexMismatch) for a counter file that could not
/// be searched (see [`History::error`]).
pub fn unreadable(why: String) -> Error {
    mismatch(format!("a counter file cannot be read: {why}"))
}

fn mismatch(why: String) -> Error {
    Error::new(
        ErrorCode::LimitsIndexMismatch,
        format!("the limits counter index does not match the audit log: {why}; decisions on rules with limits fail closed"),
    )
    .with_hint("run `openleash audit verify`; once it passes (after `openleash audit repair`/`seal` if needed), rebuild the counters from the whole log with `openleash limits reset-index --yes`")
}

impl DataDir {
    pub fn limits_dir(&self) -> PathBuf {
        self.path("limits")
    }

    pub fn limits_state_path(&self) -> PathBuf {
        self.path("limits/state.json")
    }

    pub fn counter_path(&self, key: &str) -> PathBuf {
        let h = crate::audit::line::sha256_hex(key.as_bytes());
        self.path(&format!("limits/counters/{}.jsonl", &h[..32]))
    }

    /// Every counter file of the index (for `openleash limits`).
    pub fn all_counters(&self) -> Result<Vec<CounterFile>> {
        let mut out = Vec::new();
        for id in self.list_ids("limits/counters", "jsonl")? {
            let path = self.path(&format!("limits/counters/{id}.jsonl"));
            if let Some(bytes) = crate::store::fsio::read_optional(&path)? {
                let c = parse_counter(&bytes, "")
                    .map_err(|why| mismatch(format!("{} cannot be read: {why}", path.display())))?;
                if !c.key.is_empty() {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }
}

impl<'d> LimitsIndex<'d> {
    /// Opens the index and brings it up to the end of the log (see the module docs).
    pub fn open_locked(dd: &'d DataDir, lock: &WriteLock) -> Result<LimitsIndex<'d>> {
        Self::open_with(dd, lock, None, dd.config()?.fsync_enabled())
    }

    /// [`LimitsIndex::open_locked`] reusing the counters this process read or wrote in an
    /// earlier critical section ([`LimitsIndex::into_memo`]), valid while `limits/state.json`
    /// still says what this process last wrote (no other process changed the index since).
    /// `fsync` is the caller's `audit.fsync` (the caller has the config already; re-reading it
    /// per decision would parse YAML on the hot path).
    pub fn open_with(
        dd: &'d DataDir,
        lock: &WriteLock,
        memo: Option<Memo>,
        fsync: bool,
    ) -> Result<LimitsIndex<'d>> {
        let mut ix = Self::open_state(dd, lock, fsync)?;
        ix.lazy = memo.is_none();
        if let Some(m) = memo
            && m.state == ix.state
            && ix.state.seq > 0
        {
            ix.cache = m.counters;
        }
        ix.catch_up(lock)?;
        Ok(ix)
    }

    /// What to keep between critical sections (bounded: dropped when it holds many counters).
    pub fn into_memo(self) -> Option<Memo> {
        (self.cache.len() <= MEMO_MAX_COUNTERS).then_some(Memo {
            state: self.state,
            counters: self.cache,
        })
    }

    fn open_state(dd: &'d DataDir, _lock: &WriteLock, fsync: bool) -> Result<LimitsIndex<'d>> {
        let fresh = IndexState {
            version: STATE_VERSION,
            seq: 0,
            hash: crate::audit::GENESIS_HASH.into(),
            line_start: 0,
            line_end: 0,
            boot_id: String::new(),
        };
        let state = match dd.read_json::<IndexState>(&dd.limits_state_path()) {
            Ok(Some(s))
                if s.version == STATE_VERSION
                    && !s.boot_id.is_empty()
                    && boot_id().is_some_and(|b| b != s.boot_id) =>
            {
                // Written without fsync before a reboot: start over from the log.
                let dir = dd.path("limits/counters");
                match std::fs::remove_dir_all(&dir) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("remove", &dir, e)),
                }
                fresh
            }
            Ok(Some(s)) if s.version == STATE_VERSION => s,
            Ok(Some(s)) if s.version < STATE_VERSION => {
                // Counter files of an older format: the index is derived data, rebuilt from the
                // log as if it were missing.
                let dir = dd.path("limits/counters");
                match std::fs::remove_dir_all(&dir) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("remove", &dir, e)),
                }
                fresh
            }
            Ok(Some(s)) => {
                return Err(mismatch(format!("unknown index version {}", s.version)));
            }
            Ok(None) => fresh,
            Err(e) if e.code == ErrorCode::DataCorrupt => {
                return Err(mismatch(format!(
                    "limits/state.json cannot be read ({})",
                    e.message
                )));
            }
            Err(e) => return Err(e),
        };
        let floor_ms = if state.seq == 0 {
            rebuild_floor(dd)
        } else {
            i64::MIN
        };
        let ix = LimitsIndex {
            dd,
            state,
            fsync,
            cache: HashMap::new(),
            lazy: false,
            files: HashMap::new(),
            floor_ms,
        };
        Ok(ix)
    }

    /// Reads the lines appended since the index was last written and folds their consumption in.
    pub fn catch_up(&mut self, lock: &WriteLock) -> Result<()> {
        self.catch_up_pruning(lock, &HashMap::new())
    }

    /// [`LimitsIndex::catch_up`], also dropping entries of `horizons`' keys older than the given
    /// time (the longest window in force for the key).
    pub fn catch_up_pruning(
        &mut self,
        _lock: &WriteLock,
        horizons: &HashMap<String, i64>,
    ) -> Result<()> {
        let path = self.dd.audit_log_path();
        let io = |e| Error::io("read", &path, e);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if self.state.seq == 0 {
                    return Ok(());
                }
                return Err(mismatch(format!(
                    "the index covers up to seq {} but the log does not exist",
                    self.state.seq
                )));
            }
            Err(e) => return Err(io(e)),
        };
        let len = file.metadata().map_err(io)?.len();
        if len < self.state.line_end {
            return Err(mismatch(format!(
                "the log is shorter ({len} bytes) than when the index recorded seq {} (ending at byte {})",
                self.state.seq, self.state.line_end
            )));
        }
        // The recorded line is re-read and re-hashed even when nothing was appended since, so an
        // edit of the log's last line is noticed too.
        file.seek(SeekFrom::Start(self.state.line_start))
            .map_err(io)?;
        let mut scan = Scanner::for_bytes(file, self.state.line_start, len - self.state.line_start);
        let mut st = self.state.clone();
        if st.seq > 0 {
            let ok = match scan.next_line().map_err(io)? {
                Some(Scanned::Line { offset, line }) => {
                    offset + line.len() as u64 + 1 == st.line_end
                        && parse_raw(line).is_ok_and(|r| {
                            r.seq == st.seq && r.hash == st.hash.as_bytes() && r.hash_matches()
                        })
                }
                _ => false,
            };
            if !ok {
                return Err(mismatch(format!(
                    "the line at seq {} is not the one the index recorded (hash {})",
                    st.seq, st.hash
                )));
            }
        }
        let mut found: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        let finder = memchr::memmem::Finder::new(b"\"limits_consumed\":[");
        while let Some(item) = scan.next_line().map_err(io)? {
            let Scanned::Line { offset, line } = item else {
                // A torn last line: the appender refuses to continue after it anyway.
                break;
            };
            let raw = parse_raw(line)
                .map_err(|why| mismatch(format!("the line after seq {} {why}", st.seq)))?;
            if raw.seq != st.seq + 1 || raw.prev_hash != st.hash.as_bytes() || !raw.hash_matches() {
                return Err(mismatch(format!(
                    "the chain breaks at seq {} (after the indexed seq {})",
                    raw.seq, self.state.seq
                )));
            }
            if finder.find(line).is_some() {
                fold_line(line, raw.seq, self.floor_ms, &mut found)?;
            }
            st.seq = raw.seq;
            st.hash = String::from_utf8_lossy(raw.hash).into_owned();
            st.line_start = offset;
            st.line_end = offset + line.len() as u64 + 1;
        }
        self.write(found, horizons, &st)
    }

    /// Earlier consumption of `keys`: the counters are read into the cache (once) and lent to
    /// the history, not copied, so a decision costs O(log n) in a counter's entries. In lazy mode
    /// (no memo: one decision per process) a counter not in the cache is searched in its file
    /// instead of read whole ([`FileCounter`]); check [`History::error`] after using it.
    pub fn load(&mut self, keys: &[String]) -> Result<History<'_>> {
        for k in keys {
            if self.cache.contains_key(k) || self.files.contains_key(k) {
                continue;
            }
            if self.lazy {
                let path = self.dd.counter_path(k);
                let f = FileCounter::open(path.clone(), k)
                    .map_err(|why| mismatch(format!("{} {why}", path.display())))?;
                if let Some(f) = f {
                    self.files.insert(k.clone(), f);
                    continue;
                }
            }
            let c = self.read_counter_file(k)?;
            self.cache.insert(k.clone(), c);
        }
        let mut h = History::default();
        for k in keys {
            if let Some(c) = self.cache.get(k) {
                h.set_base(k.clone(), &c.counter);
            } else if let Some(f) = self.files.get(k) {
                h.set_source(k.clone(), f);
            } else {
                return Err(Error::internal("counter cache lost an entry"));
            }
        }
        Ok(h)
    }

    /// A counter out of the cache (or its file) for changing; put it back when done.
    fn take_counter(&mut self, key: &str) -> Result<CounterFile> {
        match self.cache.remove(key) {
            Some(c) => Ok(c),
            None => self.read_counter_file(key),
        }
    }

    fn read_counter_file(&self, key: &str) -> Result<CounterFile> {
        let path = self.dd.counter_path(key);
        let Some(bytes) = crate::store::fsio::read_optional(&path)? else {
            return Ok(CounterFile {
                key: key.to_string(),
                counter: Counter::default(),
                rewrite: true,
                tail: Totals::default(),
            });
        };
        let c = parse_counter(&bytes, key)
            .map_err(|why| mismatch(format!("{} cannot be read: {why}", path.display())))?;
        if c.key != key {
            return Err(mismatch(format!(
                "{} holds counter {:?}, not {:?}",
                path.display(),
                c.key,
                key
            )));
        }
        Ok(c)
    }

    /// Writes the counter files touched by `add` (entries not yet present, by seq) or pruned by
    /// `horizons`, then the state.
    fn write(
        &mut self,
        add: BTreeMap<String, Vec<Entry>>,
        horizons: &HashMap<String, i64>,
        st: &IndexState,
    ) -> Result<()> {
        // Whole files (temp + rename) and appends, counters before the state.
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut appends: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut keys: Vec<String> = add.keys().cloned().collect();
        for k in horizons.keys() {
            if !add.contains_key(k) {
                keys.push(k.clone());
            }
        }
        // The files change: what `load` lent in place is stale.
        self.files.clear();
        let mut updated = Vec::new();
        for key in keys {
            let new_of = |max_seq: u64| {
                let mut new: Vec<Entry> = add
                    .get(&key)
                    .map(|v| v.iter().filter(|e| e.seq > max_seq).cloned().collect())
                    .unwrap_or_default();
                new.sort_by_key(|e| (e.at_ms, e.seq));
                new
            };
            let path = self.dd.counter_path(&key);
            if self.lazy && !self.cache.contains_key(&key) {
                // Appending needs the last line only; a rewrite reads the file whole below.
                let f = FileCounter::open(path.clone(), &key)
                    .map_err(|why| mismatch(format!("{} {why}", path.display())))?;
                if let Some(f) = f.filter(|f| !f.torn) {
                    let max_seq = f.last.as_ref().map_or(0, |(_, t)| t.max_seq);
                    let new = new_of(max_seq);
                    let expired = match horizons.get(&key) {
                        Some(h) => f
                            .count_until(*h)
                            .map_err(|why| mismatch(format!("{} {why}", path.display())))?,
                        None => 0,
                    };
                    let compact_now = expired > 0 && expired * 2 >= f.len() + new.len() as u64;
                    let in_order = match (&f.last, new.first()) {
                        (Some((l, _)), Some(e)) => (e.at_ms, e.seq) >= (l.at_ms, l.seq),
                        _ => true,
                    };
                    if new.is_empty() && !compact_now {
                        continue;
                    }
                    if !compact_now && in_order {
                        let mut t = f.last.map(|(_, t)| t).unwrap_or_default();
                        let mut bytes = Vec::new();
                        encode_lines(&mut t, &new, &mut bytes)?;
                        appends.push((path, bytes));
                        continue;
                    }
                }
            }
            // Taken, not cloned: a counter holds a whole window of entries.
            let mut c = self.take_counter(&key)?;
            let new = new_of(c.counter.max_seq());
            let expired = horizons.get(&key).map_or(0, |h| c.counter.count_until(*h));
            // Rewriting on every expiry would make each decision cost the whole window again.
            let compact_now = expired > 0 && expired * 2 >= c.counter.len() + new.len();
            // The file stays sorted by time: an older entry rewrites it.
            let in_order = match (c.counter.entries().last(), new.first()) {
                (Some(l), Some(e)) => (e.at_ms, e.seq) >= (l.at_ms, l.seq),
                _ => true,
            };
            if new.is_empty() && !compact_now && !c.rewrite {
                self.cache.insert(key, c);
                continue;
            }
            if c.rewrite || compact_now || !in_order {
                for e in new {
                    c.counter.insert(e);
                }
                if (c.rewrite || compact_now)
                    && let Some(h) = horizons.get(&key)
                {
                    c.counter.prune(*h);
                }
                c.rewrite = false;
                let (bytes, tail) = encode_counter(&c)?;
                c.tail = tail;
                files.push((path, bytes));
            } else {
                let mut bytes = Vec::new();
                encode_lines(&mut c.tail, &new, &mut bytes)?;
                for e in new {
                    c.counter.insert(e);
                }
                appends.push((path, bytes));
            }
            updated.push(c);
        }
        // With `audit.fsync: always`, the files are fsynced — except on Linux, where they are
        // written without and stamped with the boot id instead: only a reboot can lose writes
        // that were not fsynced, and after one the index is rebuilt from the (fsynced) log.
        let durable = self.fsync && boot_id().is_none();
        let mut st = st.clone();
        st.boot_id = if durable {
            String::new()
        } else {
            boot_id().unwrap_or_default()
        };
        if st != self.state {
            files.push((self.dd.limits_state_path(), compact(&st)?));
        }
        if files.is_empty() && appends.is_empty() {
            return Ok(());
        }
        let dir = self.dd.path("limits/counters");
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        // A failed write leaves the cache behind the files: forget it, the files are re-read.
        let result = write_files(files, appends, durable);
        if result.is_err() {
            self.cache.clear();
            return result;
        }
        for c in updated {
            self.cache.insert(c.key.clone(), c);
        }
        self.state = st;
        Ok(())
    }
}

fn write_files(
    files: Vec<(PathBuf, Vec<u8>)>,
    appends: Vec<(PathBuf, Vec<u8>)>,
    durable: bool,
) -> Result<()> {
    use std::io::Write;
    for (p, b) in appends {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .map_err(|e| Error::io("open", &p, e))?;
        f.write_all(&b).map_err(|e| Error::io("append to", &p, e))?;
        if durable {
            f.sync_data().map_err(|e| Error::io("sync", &p, e))?;
        }
    }
    if durable {
        let mut txn = crate::store::Txn::default();
        for (p, b) in files {
            txn.write(&p, b);
        }
        return txn.commit();
    }
    for (p, b) in files {
        let tmp = p.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, &b)
            .and_then(|()| std::fs::rename(&tmp, &p))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Error::io("write", &p, e)
            })?;
    }
    Ok(())
}

fn compact<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec(v)
        .map_err(|e| Error::internal(format!("cannot serialise JSON: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// Folds the `limits_consumed` records of one `DECISION_CREATED` line into `found`.
fn fold_line(
    line: &[u8],
    seq: u64,
    floor_ms: i64,
    found: &mut BTreeMap<String, Vec<Entry>>,
) -> Result<()> {
    #[derive(Deserialize)]
    struct Ev {
        event_type: String,
        #[serde(default)]
        metadata_json: Meta,
    }
    #[derive(Deserialize, Default)]
    struct Meta {
        #[serde(default)]
        limits_consumed: Vec<Consumption>,
    }
    let ev: Ev = serde_json::from_slice(line)
        .map_err(|e| mismatch(format!("seq {seq}: limits_consumed cannot be read ({e})")))?;
    if ev.event_type != "DECISION_CREATED" {
        return Ok(());
    }
    for c in ev.metadata_json.limits_consumed {
        let at_ms = ms_of(&c.at).ok_or_else(|| {
            mismatch(format!(
                "seq {seq}: limits_consumed has a bad time {:?}",
                c.at
            ))
        })?;
        if at_ms < floor_ms {
            continue;
        }
        found.entry(c.key).or_default().push(Entry {
            seq,
            at_ms,
            amount_minor: c.amount_minor,
            currency: c.currency,
        });
    }
    Ok(())
}

/// `openleash limits reset-index`: verifies the whole log, then rebuilds the index from it.
pub fn reset_index(dd: &DataDir) -> Result<(IndexState, usize)> {
    let lock = dd.lock()?;
    let report = crate::audit::verify::verify_locked(dd, &lock)?;
    if !report.ok {
        let first = report
            .problems
            .first()
            .map_or_else(|| "a problem".to_string(), |p| p.message.clone());
        return Err(Error::new(
            ErrorCode::LimitsIndexMismatch,
            format!("the audit log does not verify ({first}); the counters were not rebuilt"),
        )
        .with_hint("run `openleash audit verify` for the details; after `openleash audit repair`/`seal`, run `openleash limits reset-index --yes` again"));
    }
    let dir = dd.limits_dir();
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("remove", &dir, e)),
    }
    let ix = LimitsIndex::open_locked(dd, &lock)?;
    let state = ix.state.clone();
    drop(ix);
    let counters = dd.all_counters()?.len();
    Ok((state, counters))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    fn consume(dd: &DataDir, key: &str, amount: u64, at: &str) {
        dd.append_audit(vec![
            NewEvent::new("AUTHORIZE_CALLED", json!({})),
            NewEvent::new(
                "DECISION_CREATED",
                json!({"limits_consumed": [{"rule_id": "r", "key": key, "at": at, "amount_minor": amount, "currency": "USD"}]}),
            ),
        ])
        .unwrap();
    }

    fn ago(hours: i64) -> String {
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        crate::policy::limits::format_ms(now - hours * 3_600_000)
    }

    fn entries(dd: &DataDir, key: &str) -> Vec<Entry> {
        let lock = dd.lock().unwrap();
        let mut ix = LimitsIndex::open_locked(dd, &lock).unwrap();
        ix.load(&[key.to_string()]).unwrap().entries(key)
    }

    #[test]
    fn builds_from_the_log_then_catches_up_with_the_tail_only() {
        let (_t, dd) = data_dir(false);
        consume(&dd, "k", 100, &ago(48));
        consume(&dd, "j", 5, &ago(48));
        let e = entries(&dd, "k");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].seq, e[0].amount_minor), (2, Some(100)));
        let st: IndexState = dd.read_json(&dd.limits_state_path()).unwrap().unwrap();
        assert_eq!(st.seq, 4);
        consume(&dd, "k", 200, &ago(47));
        let e = entries(&dd, "k");
        assert_eq!(e.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 6]);
        // Catching up twice does not count anything twice.
        assert_eq!(entries(&dd, "k").len(), 2);
        // A rebuild from scratch gives the same counters.
        let (st, n) = reset_index(&dd).unwrap();
        assert_eq!((st.seq, n), (6, 2));
        assert_eq!(entries(&dd, "k").len(), 2);
    }

    #[test]
    fn a_truncated_or_rewritten_log_fails_closed_until_reset() {
        let (_t, dd) = data_dir(false);
        consume(&dd, "k", 100, &ago(48));
        consume(&dd, "k", 100, &ago(48));
        entries(&dd, "k");
        let log = dd.audit_log_path();
        let text = std::fs::read_to_string(&log).unwrap();
        let cut: String = text.lines().take(2).map(|l| format!("{l}\n")).collect();
        std::fs::write(&log, &cut).unwrap();
        let lock = dd.lock().unwrap();
        let e = LimitsIndex::open_locked(&dd, &lock).unwrap_err();
        drop(lock);
        assert_eq!(e.code, ErrorCode::LimitsIndexMismatch);
        assert!(e.message.contains("shorter"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap().contains("limits reset-index"));
        // The log does not verify (its head is past the end), so reset refuses too.
        let e = reset_index(&dd).unwrap_err();
        assert!(e.message.contains("does not verify"), "{}", e.message);

        // A tampered line in the new tail breaks the chain.
        std::fs::write(&log, &text).unwrap();
        consume(&dd, "k", 1, &ago(48));
        let tampered = std::fs::read_to_string(&log)
            .unwrap()
            .replace("\"amount_minor\":1,", "\"amount_minor\":0,");
        std::fs::write(&log, tampered).unwrap();
        let lock = dd.lock().unwrap();
        let e = LimitsIndex::open_locked(&dd, &lock).unwrap_err();
        assert!(e.message.contains("chain breaks"), "{}", e.message);
    }

    #[test]
    fn prune_drops_old_entries_only() {
        let (_t, dd) = data_dir(false);
        consume(&dd, "k", 1, &ago(48));
        consume(&dd, "k", 2, &ago(1));
        let lock = dd.lock().unwrap();
        let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
        let h = HashMap::from([("k".to_string(), ms_of(&ago(24)).unwrap())]);
        ix.catch_up_pruning(&lock, &h).unwrap();
        let e = ix.load(&["k".into()]).unwrap().entries("k");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].amount_minor, Some(2));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod floor_tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    #[test]
    fn a_rebuild_leaves_out_what_no_window_can_count() {
        let (_t, dd) = data_dir(false);
        std::fs::create_dir_all(dd.path("policies")).unwrap();
        std::fs::write(
            dd.path("policies/p.yaml"),
            "version: 1\ndefault: deny\nrules:\n  - {id: r, effect: allow, action: a, limits: [{window: 2d, max_count: 1}]}\n",
        )
        .unwrap();
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        for ago in [3 * 86_400_000, 86_400_000] {
            dd.append_audit(vec![NewEvent::new(
                "DECISION_CREATED",
                json!({"limits_consumed": [{"rule_id": "r", "key": "k", "at": crate::policy::limits::format_ms(now - ago), "amount_minor": null, "currency": null}]}),
            )])
            .unwrap();
        }
        reset_index(&dd).unwrap();
        let c = dd.all_counters().unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].counter.len(), 1);
        assert_eq!(c[0].counter.entries()[0].seq, 2);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod format_tests {
    use super::*;

    #[test]
    fn counter_files_append_and_survive_a_torn_last_line() {
        let e = |seq| Entry {
            seq,
            at_ms: 5,
            amount_minor: Some(1),
            currency: None,
        };
        let c = CounterFile {
            key: "k".into(),
            counter: Counter::from_entries(vec![e(1), e(2)]),
            rewrite: false,
            tail: Totals::default(),
        };
        let (mut bytes, tail) = encode_counter(&c).unwrap();
        let c = CounterFile { tail, ..c };
        assert_eq!(parse_counter(&bytes, "k").unwrap(), c);
        bytes.extend_from_slice(b"{\"seq\":3,\"at");
        let torn = parse_counter(&bytes, "k").unwrap();
        assert_eq!(torn.counter.len(), 2);
        assert!(torn.rewrite);
        let empty = parse_counter(b"{\"key\":", "k").unwrap();
        assert!(empty.counter.is_empty() && empty.rewrite);
        assert!(
            parse_counter(b"{\"key\":\"k\"}\nnot json\n", "k")
                .unwrap_err()
                .contains("line 2")
        );
    }

    #[test]
    fn appends_keep_the_file_small_and_compaction_drops_expired_entries() {
        use crate::audit::NewEvent;
        use serde_json::json;
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        let add = |dd: &DataDir, ago: i64| {
            dd.append_audit(vec![NewEvent::new(
                "DECISION_CREATED",
                json!({"limits_consumed": [{"rule_id": "r", "key": "k", "at": crate::policy::limits::format_ms(now - ago), "amount_minor": 1, "currency": null}]}),
            )])
            .unwrap();
        };
        for ago in [10_000, 9_000, 8_000] {
            add(&dd, ago);
        }
        let lock = dd.lock().unwrap();
        let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
        drop(ix.load(&["k".into()]).unwrap());
        drop(lock);
        add(&dd, 100);
        let lock = dd.lock().unwrap();
        let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
        let text = std::fs::read_to_string(dd.counter_path("k")).unwrap();
        assert_eq!(text.lines().count(), 5, "{text}");
        // One expired of four: appended to, not rewritten.
        ix.catch_up_pruning(&lock, &HashMap::from([("k".to_string(), now - 9_500)]))
            .unwrap();
        assert_eq!(std::fs::read_to_string(dd.counter_path("k")).unwrap(), text);
        // Three of four expired: compacted.
        ix.catch_up_pruning(&lock, &HashMap::from([("k".to_string(), now - 500)]))
            .unwrap();
        let text = std::fs::read_to_string(dd.counter_path("k")).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert_eq!(ix.load(&["k".into()]).unwrap().entries("k").len(), 1);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod reboot_tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    #[test]
    fn an_index_written_without_fsync_before_a_reboot_is_rebuilt() {
        let (_t, dd) = data_dir(true);
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        let at = crate::policy::limits::format_ms(now - 1000);
        dd.append_audit(vec![NewEvent::new(
            "DECISION_CREATED",
            json!({"limits_consumed": [{"rule_id": "r", "key": "k", "at": at, "amount_minor": 1, "currency": null}]}),
        )])
        .unwrap();
        {
            let lock = dd.lock().unwrap();
            LimitsIndex::open_locked(&dd, &lock).unwrap();
        }
        let mut st: IndexState = dd.read_json(&dd.limits_state_path()).unwrap().unwrap();
        if boot_id().is_none() {
            assert!(st.boot_id.is_empty());
            return;
        }
        assert_eq!(Some(st.boot_id.clone()), boot_id());
        // Simulate a reboot that lost the counter file's last write.
        st.boot_id = "another-boot".into();
        std::fs::write(dd.limits_state_path(), serde_json::to_vec(&st).unwrap()).unwrap();
        let path = dd.counter_path("k");
        std::fs::write(&path, r#"{"key":"k","entries":[]}"#).unwrap();
        let lock = dd.lock().unwrap();
        let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
        assert_eq!(ix.load(&["k".into()]).unwrap().entries("k").len(), 1);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod search_tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use crate::policy::limits::{Limit, Scope, Usage, format_ms, parse_window};
    use serde_json::json;

    use crate::policy::limits::tests::Rng;

    const CURRENCIES: [Option<&str>; 5] = [None, Some("USD"), Some("EUR"), Some("JPY"), Some("")];

    fn random_entry(r: &mut Rng, seq: u64, base: i64, spread: u64) -> Entry {
        Entry {
            seq,
            // Whole seconds in a small range, so times repeat and land on window boundaries.
            at_ms: base + r.below(spread) as i64 * 1000,
            amount_minor: match r.below(10) {
                0 => None,
                1 => Some(u64::MAX / 3),
                _ => Some(r.below(10_000)),
            },
            // Mostly one currency (long runs), sometimes others.
            currency: CURRENCIES[match r.below(8) {
                0..=4 => 1,
                x => (x - 4) as usize % 5,
            }]
            .map(str::to_string),
        }
    }

    fn limit(window: &str, measure: Measure) -> Limit {
        Limit {
            window_secs: parse_window(window).unwrap(),
            window: window.into(),
            measure,
            per: vec![Scope::Agent],
        }
    }

    /// The answers of `file` equal those of `counter` for every limit kind, at times whose
    /// windows start before, on, between and after the entries, in every currency.
    fn assert_same_answers(file: &dyn Window, counter: &Counter, base: i64, spread: u64) {
        let mut h = History::default();
        h.set_source("k".into(), file);
        for window in ["1s", "3s", "17s", "1h"] {
            for measure in [Measure::Count(25), Measure::AmountMinor(50_000)] {
                let l = limit(window, measure);
                let last = base + (spread as i64 + 2) * 1000;
                for now in (base - 2000..last).step_by(1000).chain([
                    base + 1500,
                    base + 3_600_000 + spread as i64 * 500,
                    last + 10_000_000,
                ]) {
                    for currency in CURRENCIES.iter().copied().chain([Some("GBP")]) {
                        assert_eq!(
                            h.usage("k", &l, now, currency),
                            counter.usage(&l, now, currency),
                            "{window} {measure:?} at {now} in {currency:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(file.error(), None);
        assert_eq!(file.all_entries(), counter.entries());
    }

    #[test]
    fn a_searched_file_answers_as_the_counter_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let mut r = Rng(17);
        for round in 0..40 {
            let n = match round {
                0 => 0,
                1 => 1,
                2 => 300,
                _ => r.below(120),
            };
            let spread = 1 + r.below(60);
            let entries: Vec<Entry> = (0..n)
                .map(|i| random_entry(&mut r, i + 1, 1_000_000, spread))
                .collect();
            // A long key makes a header longer than a read.
            let key = if round % 7 == 0 {
                "k".repeat(1500)
            } else {
                "k".to_string()
            };
            let c = CounterFile {
                key: key.clone(),
                counter: Counter::from_entries(entries),
                rewrite: false,
                tail: Totals::default(),
            };
            let (mut bytes, _) = encode_counter(&c).unwrap();
            if round % 5 == 0 {
                bytes.extend_from_slice(b"{\"seq\":99999,\"at_ms\":1");
            }
            std::fs::write(&path, &bytes).unwrap();
            let f = FileCounter::open(path.clone(), &key).unwrap().unwrap();
            assert_eq!(f.torn, round % 5 == 0);
            assert_eq!(f.len(), n);
            assert_same_answers(&f, &c.counter, 1_000_000, spread);
            for until in [
                999_000,
                1_000_000,
                1_000_000 + spread as i64 * 500,
                i64::MAX,
            ] {
                assert_eq!(
                    f.count_until(until).unwrap(),
                    c.counter.count_until(until) as u64
                );
            }
            assert!(FileCounter::open(path.clone(), "other").is_err());
        }
        // A torn header: nothing to search (read whole, as empty).
        std::fs::write(&path, b"{\"key\":").unwrap();
        assert!(FileCounter::open(path.clone(), "k").unwrap().is_none());
        // Lines of the old format (no running totals) are not read as entries.
        std::fs::write(&path, b"{\"key\":\"k\"}\n{\"seq\":1,\"at_ms\":5}\n").unwrap();
        assert!(FileCounter::open(path, "k").is_err());
    }

    /// Decisions folded in by the index (appends, out-of-order rewrites, compactions) leave files
    /// that, searched in place, answer as the whole file read into a [`Counter`] — and as the
    /// entries the log holds.
    #[test]
    fn files_written_by_the_index_answer_as_their_counters() {
        let (_t, dd) = data_dir(false);
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        let base = now - 100_000;
        let mut r = Rng(23);
        let mut seq = 0;
        let mut all: Vec<Entry> = Vec::new();
        for round in 0..12 {
            let mut events = Vec::new();
            for _ in 0..r.below(12) {
                // Mostly in time order, sometimes older (a rewrite) or on an earlier time.
                let e = random_entry(&mut r, 0, base + round * 2000, 8);
                events.push((e, r.below(4) == 0));
            }
            for (e, _) in &events {
                seq += 1;
                dd.append_audit(vec![NewEvent::new(
                    "DECISION_CREATED",
                    json!({"limits_consumed": [{"rule_id": "r", "key": "k", "at": format_ms(e.at_ms), "amount_minor": e.amount_minor, "currency": e.currency}]}),
                )])
                .unwrap();
                all.push(Entry { seq, ..e.clone() });
            }
            let lock = dd.lock().unwrap();
            let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
            if r.below(3) == 0 {
                let h = base + r.below(round as u64 * 2 + 2) as i64 * 1000;
                ix.catch_up_pruning(&lock, &HashMap::from([("k".to_string(), h)]))
                    .unwrap();
            }
            drop(ix);
            drop(lock);
            let bytes = std::fs::read(dd.counter_path("k"));
            let Ok(bytes) = bytes else { continue };
            let whole = parse_counter(&bytes, "k").unwrap();
            assert!(!whole.rewrite);
            // The file is sorted by time and keeps every entry of the log it has not pruned.
            let text = String::from_utf8(bytes).unwrap();
            let ats: Vec<i64> = text
                .lines()
                .skip(1)
                .map(|l| serde_json::from_str::<Line>(l).unwrap().at_ms)
                .collect();
            assert!(ats.windows(2).all(|w| w[0] <= w[1]), "{text}");
            let kept: Vec<Entry> = {
                let mut v: Vec<Entry> = all
                    .iter()
                    .filter(|e| whole.counter.entries().iter().any(|w| w.seq == e.seq))
                    .cloned()
                    .collect();
                v.sort_by_key(|e| (e.at_ms, e.seq));
                v
            };
            assert_eq!(whole.counter.entries(), kept.as_slice());
            let f = FileCounter::open(dd.counter_path("k"), "k")
                .unwrap()
                .unwrap();
            assert_same_answers(&f, &whole.counter, base, (round as u64 + 1) * 2 + 8);
            // And the index lends the file in place.
            let lock = dd.lock().unwrap();
            let mut ix = LimitsIndex::open_locked(&dd, &lock).unwrap();
            let h = ix.load(&["k".into()]).unwrap();
            assert_eq!(h.entries("k"), kept);
            let l = limit("5s", Measure::AmountMinor(1));
            assert_eq!(
                h.usage("k", &l, base + 20_000, Some("USD")),
                whole.counter.usage(&l, base + 20_000, Some("USD"))
            );
        }
        assert!(seq > 20);
    }

    #[test]
    fn an_index_of_the_older_format_is_rebuilt_and_a_newer_one_refused() {
        let (_t, dd) = data_dir(false);
        let now = ms_of(&crate::timefmt::now_string()).unwrap();
        for (i, amount) in [100u64, 200, 300].into_iter().enumerate() {
            dd.append_audit(vec![NewEvent::new(
                "DECISION_CREATED",
                json!({"limits_consumed": [{"rule_id": "r", "key": "k", "at": format_ms(now - 3000 + i as i64 * 1000), "amount_minor": amount, "currency": "USD"}]}),
            )])
            .unwrap();
        }
        {
            let lock = dd.lock().unwrap();
            LimitsIndex::open_locked(&dd, &lock).unwrap();
        }
        // What version 1 wrote: entries without running totals, and only some of them.
        let mut st: IndexState = dd.read_json(&dd.limits_state_path()).unwrap().unwrap();
        assert_eq!(st.version, STATE_VERSION);
        st.version = 1;
        std::fs::write(dd.limits_state_path(), serde_json::to_vec(&st).unwrap()).unwrap();
        std::fs::write(
            dd.counter_path("k"),
            format!(
                "{{\"key\":\"k\"}}\n{{\"seq\":1,\"at_ms\":{},\"amount_minor\":100,\"currency\":\"USD\"}}\n",
                now - 3000
            ),
        )
        .unwrap();
        let l = limit("1h", Measure::AmountMinor(1000));
        for lazy in [true, false] {
            let lock = dd.lock().unwrap();
            let memo = (!lazy).then(Memo::default);
            let mut ix = LimitsIndex::open_with(&dd, &lock, memo, false).unwrap();
            assert_eq!(ix.state.version, STATE_VERSION);
            let h = ix.load(&["k".into()]).unwrap();
            assert_eq!(h.entries("k").len(), 3);
            assert_eq!(
                h.usage("k", &l, now, Some("USD")),
                Usage {
                    used: 600,
                    remaining: 400,
                    frees_at_ms: Some(now - 3000 + 3_600_000)
                }
            );
            assert_eq!(h.error(), None);
        }
        let mut st: IndexState = dd.read_json(&dd.limits_state_path()).unwrap().unwrap();
        assert_eq!(st.version, STATE_VERSION);
        st.version = STATE_VERSION + 1;
        std::fs::write(dd.limits_state_path(), serde_json::to_vec(&st).unwrap()).unwrap();
        let lock = dd.lock().unwrap();
        let e = LimitsIndex::open_locked(&dd, &lock).unwrap_err();
        assert_eq!(e.code, ErrorCode::LimitsIndexMismatch);
    }

    #[test]
    fn a_counter_file_broken_after_it_was_opened_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        let c = CounterFile {
            key: "k".into(),
            counter: Counter::from_entries(
                (1..=50)
                    .map(|i| Entry {
                        seq: i,
                        at_ms: i as i64 * 1000,
                        amount_minor: Some(1),
                        currency: None,
                    })
                    .collect(),
            ),
            rewrite: false,
            tail: Totals::default(),
        };
        std::fs::write(&path, encode_counter(&c).unwrap().0).unwrap();
        let f = FileCounter::open(path.clone(), "k").unwrap().unwrap();
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        std::fs::write(&path, vec![b'x'; len]).unwrap();
        let mut h = History::default();
        h.set_source("k".into(), &f);
        let u = h.usage("k", &limit("1h", Measure::Count(5)), 30_000, None);
        assert_eq!((u.used, u.remaining), (u64::MAX, 0));
        assert!(h.error().unwrap().contains("c.jsonl"));
    }
}
