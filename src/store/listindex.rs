//! Sorted list indexes (issue #18 item 3): for each kind of record (approval requests, policy
//! drafts, agents) and each scope (`all`, and one per owner) a sorted sequence of small entries — the
//! record's sort key (the key cursors name), its id and what list filters look at (status,
//! expiry, agent) — so that a list page reads a page of entries plus the page's records, never
//! every record.
//!
//! Layout: `indexes/lists/<kind>/VERSION` (written last by a rebuild) and, per scope,
//! `indexes/lists/<kind>/<scope>/manifest` (one line per chunk: its file, count, first and last
//! key, per-status counts, and the range of pending expiries) plus chunk files of at most
//! [`CHUNK_CAP`] entries, one tab-separated line each. Every file is small plain text: no
//! parser budget, no size cliff, and a change rewrites one chunk and the manifest — O(chunk +
//! chunks) bytes, whatever the number of records.
//!
//! Consistency: entries are staged into the record's [`Txn`](super::Txn) (resolved at commit,
//! under the writer lock) and chunk files get a new name on every rewrite, so a lock-free reader
//! sees either the old or the new manifest and finds a vanished chunk only when it raced a
//! writer (it then starts the page again). A commit that adds a new entry renames the index
//! files before the record; one that only changes or removes entries renames them after. A
//! crash in between therefore leaves at worst an entry without its record, or an entry whose
//! status lags or leads its record's: readers re-check every entry against its record (a
//! missing record is skipped), so no list loses an item; only a total may be off by the
//! interrupted change until the next rebuild. The index is a cache: a missing or older
//! `VERSION` (a data directory from before this index, or `rm -r indexes/lists`) rebuilds it from
//! the records on the next read.

use crate::error::{Error, ErrorCode, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The content of `VERSION` for this format; any other content means "rebuild".
pub const FORMAT: &str = "openleash-list-index 1\n";
/// Entries per chunk file (about 50–100 KB).
pub const CHUNK_CAP: usize = 512;
const MANIFEST: &str = "manifest";
const VERSION: &str = "VERSION";
const MODE: u32 = 0o600;

/// A kind of record with list indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Approvals,
    Drafts,
    Agents,
    /// The whole policy catalogue, oldest first (`policy list`), in scope [`ALL`].
    Catalogue,
    /// Each owner's policies in the owner API's order (agent-bound first, then by agent, rank
    /// and id: the key holds the policy's first binding), one scope per owner.
    OwnerPolicies,
    /// Owners, oldest first, in scope [`ALL`] and per type ([`USERS`], [`ORGS`]).
    Owners,
}

impl Kind {
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Approvals => "approvals",
            Kind::Drafts => "drafts",
            Kind::Agents => "agents",
            Kind::Catalogue => "policies",
            Kind::OwnerPolicies => "owner-policies",
            Kind::Owners => "owners",
        }
    }
}

/// The scope holding every record of a kind (the local operator's and admin lists).
pub const ALL: &str = "all";

/// The scope of the owners that are users.
pub const USERS: &str = "t-user";
/// The scope of the owners that are organizations.
pub const ORGS: &str = "t-org";

/// A sort key that orders like `n` (for signed numbers inside string keys).
pub fn sortable_i64(n: i64) -> String {
    format!("{:020}", i128::from(n) - i128::from(i64::MIN))
}

/// The scope of one owner's records.
pub fn owner_scope(owner_id: &str) -> String {
    format!("o-{}", owner_id.to_ascii_lowercase())
}

/// One index entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The sort key, exactly as cursors name it.
    pub key: String,
    /// The record's id (its file name).
    pub id: String,
    /// The stored status' first letter (`P`, `A`, `D`, `E`), or `-`.
    pub flag: char,
    /// For a pending approval request: its expiry as `timefmt::format` writes it ("" = none or
    /// unparseable, which counts as expired).
    pub exp: String,
    pub agent_principal_id: String,
    pub agent_id: String,
}

impl Entry {
    fn line(&self, out: &mut String) {
        fields_line(
            &[
                self.key.as_str(),
                &self.id,
                &self.flag.to_string(),
                &self.exp,
                &self.agent_principal_id,
                &self.agent_id,
            ],
            out,
        );
    }

    fn parse(line: &str) -> Option<Entry> {
        let mut f = line.split('\t').map(unescape);
        let e = Entry {
            key: f.next()?,
            id: f.next()?,
            flag: f.next()?.chars().next()?,
            exp: f.next()?,
            agent_principal_id: f.next()?,
            agent_id: f.next()?,
        };
        Some(e)
    }

    /// Whether this entry names `agent` (an `agent_id` or a principal id, as list filters do).
    pub fn is_agent(&self, agent: &str) -> bool {
        self.agent_id == agent || self.agent_principal_id.eq_ignore_ascii_case(agent)
    }
}

/// Percent-escapes the characters that separate fields and lines.
/// One line of an index file: the fields escaped, tab-separated, ended by a newline.
fn fields_line(fields: &[&str], out: &mut String) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        escape(f, out);
    }
    out.push('\n');
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    s.replace("%09", "\t")
        .replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
}

/// What the manifest knows about one chunk without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkMeta {
    pub file: String,
    pub count: usize,
    pub first: String,
    pub last: String,
    /// Entries per flag.
    pub flags: BTreeMap<char, usize>,
    /// Smallest and largest `exp` of the `P` entries ("" when there are none).
    pub pending_exp_min: String,
    pub pending_exp_max: String,
}

impl ChunkMeta {
    fn of(file: String, entries: &[Entry]) -> ChunkMeta {
        let mut flags = BTreeMap::new();
        let (mut lo, mut hi): (Option<&str>, Option<&str>) = (None, None);
        for e in entries {
            *flags.entry(e.flag).or_insert(0) += 1;
            if e.flag == 'P' {
                lo = Some(lo.map_or(e.exp.as_str(), |l| l.min(e.exp.as_str())));
                hi = Some(hi.map_or(e.exp.as_str(), |h| h.max(e.exp.as_str())));
            }
        }
        ChunkMeta {
            file,
            count: entries.len(),
            first: entries.first().map(|e| e.key.clone()).unwrap_or_default(),
            last: entries.last().map(|e| e.key.clone()).unwrap_or_default(),
            flags,
            pending_exp_min: lo.unwrap_or_default().to_string(),
            pending_exp_max: hi.unwrap_or_default().to_string(),
        }
    }

    pub fn flag(&self, f: char) -> usize {
        self.flags.get(&f).copied().unwrap_or(0)
    }

    /// How many `P` entries are still pending at `now` (a formatted timestamp), when the
    /// manifest alone can tell.
    pub fn pending_at(&self, now: &str) -> Option<usize> {
        let p = self.flag('P');
        if p == 0 || self.pending_exp_max.as_str() <= now {
            Some(0)
        } else if self.pending_exp_min.as_str() > now {
            Some(p)
        } else {
            None
        }
    }

    fn line(&self, out: &mut String) {
        let flags: Vec<String> = self.flags.iter().map(|(f, n)| format!("{f}{n}")).collect();
        fields_line(
            &[
                self.file.as_str(),
                &self.count.to_string(),
                &self.first,
                &self.last,
                &flags.join(","),
                &self.pending_exp_min,
                &self.pending_exp_max,
            ],
            out,
        );
    }

    fn parse(line: &str) -> Option<ChunkMeta> {
        let mut f = line.split('\t').map(unescape);
        let file = f.next()?;
        let count = f.next()?.parse().ok()?;
        let first = f.next()?;
        let last = f.next()?;
        let mut flags = BTreeMap::new();
        for part in f.next()?.split(',').filter(|p| !p.is_empty()) {
            let mut cs = part.chars();
            let flag = cs.next()?;
            flags.insert(flag, cs.as_str().parse().ok()?);
        }
        Some(ChunkMeta {
            file,
            count,
            first,
            last,
            flags,
            pending_exp_min: f.next()?,
            pending_exp_max: f.next()?,
        })
    }
}

/// A scope's chunk list.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The number the next chunk file is named after (chunk files are never rewritten in place).
    next: u64,
    pub chunks: Vec<ChunkMeta>,
}

impl Manifest {
    fn render(&self) -> String {
        let mut out = format!("next\t{}\n", self.next);
        for c in &self.chunks {
            c.line(&mut out);
        }
        out
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        let next = lines.next()?.strip_prefix("next\t")?.parse().ok()?;
        let chunks = lines.map(ChunkMeta::parse).collect::<Option<Vec<_>>>()?;
        Some(Manifest { next, chunks })
    }

    pub fn count(&self) -> usize {
        self.chunks.iter().map(|c| c.count).sum()
    }

    fn new_file(&mut self) -> String {
        self.next += 1;
        format!("c{}", self.next)
    }

    /// The chunk a key belongs in: the last one whose first key is not after it.
    fn chunk_for(&self, key: &str) -> usize {
        self.chunks
            .partition_point(|c| c.first.as_str() <= key)
            .saturating_sub(1)
    }
}

fn corrupt(path: &Path) -> Error {
    super::corrupt(
        path,
        "not a list index file (it is a cache: remove indexes/lists and it is rebuilt from the records)",
    )
    .with_details(serde_json::json!({"list_index": true}))
}

fn kind_dir(root: &Path, kind: Kind) -> PathBuf {
    root.join("indexes").join("lists").join(kind.dir())
}

/// Whether the index of `kind` was built in this format (otherwise readers rebuild it and
/// writers leave it alone).
pub fn is_built(root: &Path, kind: Kind) -> bool {
    std::fs::read(kind_dir(root, kind).join(VERSION)).is_ok_and(|v| v == FORMAT.as_bytes())
}

/// The manifest of a scope; an absent scope is empty. `None` = the index of `kind` is not built.
pub fn manifest(root: &Path, kind: Kind, scope: &str) -> Result<Option<Manifest>> {
    if !is_built(root, kind) {
        return Ok(None);
    }
    let path = kind_dir(root, kind).join(scope).join(MANIFEST);
    match super::fsio::read_optional(&path)? {
        None => Ok(Some(Manifest::default())),
        Some(b) => std::str::from_utf8(&b)
            .ok()
            .and_then(Manifest::parse)
            .map(Some)
            .ok_or_else(|| corrupt(&path)),
    }
}

/// The entries of one chunk, or `None` when a writer replaced it since the manifest was read.
pub fn chunk(root: &Path, kind: Kind, scope: &str, meta: &ChunkMeta) -> Result<Option<Vec<Entry>>> {
    let path = kind_dir(root, kind).join(scope).join(&meta.file);
    let Some(b) = super::fsio::read_optional(&path)? else {
        return Ok(None);
    };
    parse_chunk(&b).map(Some).ok_or_else(|| corrupt(&path))
}

fn parse_chunk(b: &[u8]) -> Option<Vec<Entry>> {
    std::str::from_utf8(b)
        .ok()?
        .lines()
        .map(Entry::parse)
        .collect()
}

fn render_chunk(entries: &[Entry]) -> Vec<u8> {
    let mut out = String::with_capacity(entries.len() * 160);
    for e in entries {
        e.line(&mut out);
    }
    out.into_bytes()
}

/// A change to one scope's index, staged with the record it describes.
#[derive(Debug, Clone)]
pub struct Op {
    pub root: PathBuf,
    pub kind: Kind,
    pub scope: String,
    pub change: Change,
}

#[derive(Debug, Clone)]
pub enum Change {
    /// Adds the entry, or replaces the one with the same key.
    Put(Entry),
    /// Removes the entry with this key, if any.
    Remove(String),
}

/// The file changes a list of ops makes (read under the writer lock, at commit).
#[derive(Default)]
pub struct Resolved {
    pub writes: Vec<(PathBuf, Vec<u8>, u32)>,
    pub removals: Vec<PathBuf>,
    /// Whether an op added an entry that was not there: the index then goes in before the
    /// record, so a crash between them leaves an entry without a record, never the reverse.
    pub adds: bool,
}

/// Applies `ops` to the current index files, grouping them per scope so that one transaction
/// rewrites each touched chunk and manifest once. Ops on a kind whose index is not built are
/// dropped: the next read rebuilds it from the records, this one included.
pub fn resolve(ops: &[Op]) -> Result<Resolved> {
    let mut out = Resolved::default();
    let mut groups: BTreeMap<(PathBuf, Kind, String), Vec<&Change>> = BTreeMap::new();
    let mut built: HashMap<(PathBuf, Kind), bool> = HashMap::new();
    for op in ops {
        let b = *built
            .entry((op.root.clone(), op.kind))
            .or_insert_with(|| is_built(&op.root, op.kind));
        if b {
            groups
                .entry((op.root.clone(), op.kind, op.scope.clone()))
                .or_default()
                .push(&op.change);
        }
    }
    let mut damaged: Vec<(PathBuf, Kind)> = Vec::new();
    let mut per_kind: BTreeMap<(PathBuf, Kind), Resolved> = BTreeMap::new();
    for ((root, kind, scope), changes) in groups {
        let at = (root.clone(), kind);
        if damaged.contains(&at) {
            continue;
        }
        let r = per_kind.entry(at.clone()).or_default();
        match resolve_scope(&root, kind, &scope, &changes, r) {
            Ok(()) => {}
            // A damaged index must not block the record's change: mark it for a rebuild (the
            // next read rebuilds it from the records, this change included) and leave it.
            Err(e) if is_index_error(&e) => {
                let version = kind_dir(&root, kind).join(VERSION);
                match std::fs::remove_file(&version) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io("remove", &version, e)),
                }
                damaged.push(at.clone());
                per_kind.remove(&at);
            }
            Err(e) => return Err(e),
        }
    }
    for (_, r) in per_kind {
        out.writes.extend(r.writes);
        out.removals.extend(r.removals);
        out.adds |= r.adds;
    }
    Ok(out)
}

fn resolve_scope(
    root: &Path,
    kind: Kind,
    scope: &str,
    changes: &[&Change],
    out: &mut Resolved,
) -> Result<()> {
    let dir = kind_dir(root, kind).join(scope);
    let mut m = match manifest(root, kind, scope)? {
        Some(m) => m,
        None => return Ok(()),
    };
    if m.chunks.is_empty() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    }
    // Loaded chunks by position; positions shift only when chunks split or vanish, which is
    // done after all changes are applied.
    let mut loaded: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
    let mut fresh: Option<Vec<Entry>> = None;
    // Chunks an op really changed (a record rewritten with the same entry, e.g. an approval
    // token marked consumed, rewrites no index file).
    let mut dirty = std::collections::BTreeSet::new();
    for change in changes {
        let key = match change {
            Change::Put(e) => e.key.as_str(),
            Change::Remove(k) => k.as_str(),
        };
        let slot = (!m.chunks.is_empty()).then(|| m.chunk_for(key));
        let entries = match slot {
            None => fresh.get_or_insert_with(Vec::new),
            Some(i) => match loaded.entry(i) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    // Missing under the writer lock: removed by hand, so the index is damaged.
                    let entries = chunk(root, kind, scope, &m.chunks[i])?
                        .ok_or_else(|| corrupt(&dir.join(&m.chunks[i].file)))?;
                    v.insert(entries)
                }
            },
        };
        let at = entries.binary_search_by(|e| e.key.as_str().cmp(key));
        let changed = match (change, at) {
            (Change::Put(e), Ok(i)) => {
                let same = entries[i] == *e;
                entries[i] = e.clone();
                !same
            }
            (Change::Put(e), Err(i)) => {
                entries.insert(i, e.clone());
                out.adds = true;
                true
            }
            (Change::Remove(_), Ok(i)) => {
                entries.remove(i);
                true
            }
            (Change::Remove(_), Err(_)) => false,
        };
        if changed {
            dirty.insert(slot.unwrap_or(0));
        }
    }
    if let Some(v) = fresh {
        loaded.insert(0, v);
    }
    loaded.retain(|i, _| dirty.contains(i));
    if loaded.is_empty() {
        return Ok(());
    }
    // Rebuild the chunk list: untouched chunks stay, touched ones are rewritten under new
    // names (split when over the cap: the last chunk fills up and spills, others halve).
    let old = std::mem::take(&mut m.chunks);
    let n_old = old.len().max(usize::from(!loaded.is_empty()));
    let mut chunks = Vec::with_capacity(n_old + 1);
    let mut old_iter = old.into_iter().map(Some).chain(std::iter::repeat(None));
    for i in 0..n_old {
        let prev = old_iter.next().flatten();
        let Some(entries) = loaded.remove(&i) else {
            if let Some(p) = prev {
                chunks.push(p);
            }
            continue;
        };
        if let Some(p) = &prev {
            out.removals.push(dir.join(&p.file));
        }
        let is_last = i + 1 == n_old;
        let mut rest: &[Entry] = &entries;
        while !rest.is_empty() {
            let take = if rest.len() <= CHUNK_CAP {
                rest.len()
            } else if is_last {
                CHUNK_CAP
            } else {
                rest.len().div_ceil(2).min(CHUNK_CAP)
            };
            let (piece, tail) = rest.split_at(take);
            let file = m.new_file();
            out.writes
                .push((dir.join(&file), render_chunk(piece), MODE));
            chunks.push(ChunkMeta::of(file, piece));
            rest = tail;
        }
    }
    m.chunks = chunks;
    out.writes
        .push((dir.join(MANIFEST), m.render().into_bytes(), MODE));
    Ok(())
}

/// Rebuilds the index of `kind` from `records` (each entry with the scopes it belongs to):
/// written beside the live one, synced, marked with `VERSION`, then swapped in. The caller holds
/// the writer lock.
pub fn rebuild(
    root: &Path,
    kind: Kind,
    records: impl IntoIterator<Item = Result<(Entry, Vec<String>)>>,
) -> Result<()> {
    // Each entry is held once, as its rendered line (one allocation), and scopes hold
    // positions: about 200 bytes per record, so 100,000 records stay well under 100 MB.
    let mut lines: Vec<String> = Vec::new();
    let mut scopes: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for r in records {
        let (entry, in_scopes) = r?;
        let at = u32::try_from(lines.len())
            .map_err(|_| Error::internal("too many records for one list index"))?;
        let mut line = String::new();
        entry.line(&mut line);
        line.pop();
        lines.push(line);
        for s in in_scopes {
            scopes.entry(s).or_default().push(at);
        }
    }
    // The escaped key is the line up to its first tab.
    let key = |i: &u32| {
        let l = lines[*i as usize].as_str();
        l.split('\t').next().unwrap_or(l)
    };
    let live = kind_dir(root, kind);
    let parent = live
        .parent()
        .ok_or_else(|| Error::internal("index dir has no parent"))?
        .to_path_buf();
    let build = parent.join(format!(".build-{}-{}", kind.dir(), std::process::id()));
    let io = |what: &str, p: &Path, e: std::io::Error| Error::io(what, p, e);
    if build.exists() {
        std::fs::remove_dir_all(&build).map_err(|e| io("remove", &build, e))?;
    }
    std::fs::create_dir_all(&build).map_err(|e| io("create", &build, e))?;
    for (scope, mut at) in scopes {
        at.sort_by_cached_key(|i| unescape(key(i)));
        at.dedup_by(|a, b| key(a) == key(b));
        let dir = build.join(&scope);
        std::fs::create_dir_all(&dir).map_err(|e| io("create", &dir, e))?;
        let mut m = Manifest::default();
        for piece in at.chunks(CHUNK_CAP) {
            let entries: Vec<Entry> = piece
                .iter()
                .map(|i| Entry::parse(&lines[*i as usize]))
                .collect::<Option<_>>()
                .ok_or_else(|| Error::internal("an index line does not parse back"))?;
            let file = m.new_file();
            write_plain(&dir.join(&file), &render_chunk(&entries))?;
            m.chunks.push(ChunkMeta::of(file, &entries));
        }
        write_plain(&dir.join(MANIFEST), m.render().as_bytes())?;
    }
    // One sync of the file system makes every file above durable before VERSION says "built".
    let f = std::fs::File::open(&build).map_err(|e| io("open", &build, e))?;
    rustix::fs::syncfs(&f).map_err(|e| io("sync file system of", &build, e.into()))?;
    super::fsio::write_atomic_mode(&build.join(VERSION), FORMAT.as_bytes(), MODE)?;
    let old = parent.join(format!(".old-{}-{}", kind.dir(), std::process::id()));
    if live.exists() {
        std::fs::rename(&live, &old).map_err(|e| io("rename", &live, e))?;
    }
    std::fs::rename(&build, &live).map_err(|e| io("rename", &build, e))?;
    super::fsio::sync_dir(&parent)?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io("remove", &old, e))?;
    }
    Ok(())
}

fn write_plain(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(MODE);
    }
    opts.open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| Error::io("write", path, e))
}

/// Whether `e` is a problem with the index files themselves (readers then rebuild).
pub fn is_index_error(e: &Error) -> bool {
    e.code == ErrorCode::DataCorrupt
        && e.details
            .as_ref()
            .is_some_and(|d| d["list_index"] == serde_json::json!(true))
}

/// Walks one scope's entries in key order from just after a cursor key, chunk by chunk,
/// skipping chunks `visit` rules out from the manifest alone.
pub struct Walk<'a> {
    root: &'a Path,
    kind: Kind,
    scope: String,
    manifest: Manifest,
    descending: bool,
    after: Option<String>,
    /// The next chunk position to load (counting from the start in the walk's direction).
    next_chunk: usize,
    buf: std::collections::VecDeque<Entry>,
    /// Set when a chunk vanished under a writer: the caller starts over.
    pub stale: bool,
}

impl<'a> Walk<'a> {
    pub fn new(
        root: &'a Path,
        kind: Kind,
        scope: String,
        manifest: Manifest,
        descending: bool,
        after: Option<String>,
    ) -> Walk<'a> {
        let n = manifest.chunks.len();
        // Skip the chunks entirely on the near side of the cursor.
        let next_chunk = match after.as_deref() {
            None => 0,
            Some(k) if descending => n - manifest.chunks.partition_point(|c| c.first.as_str() < k),
            Some(k) => manifest.chunks.partition_point(|c| c.last.as_str() <= k),
        };
        Walk {
            root,
            kind,
            scope,
            manifest,
            descending,
            after,
            next_chunk,
            buf: Default::default(),
            stale: false,
        }
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The next entry, loading only chunks `visit` accepts.
    pub fn next_entry(&mut self, visit: &dyn Fn(&ChunkMeta) -> bool) -> Result<Option<Entry>> {
        loop {
            if let Some(e) = self.buf.pop_front() {
                return Ok(Some(e));
            }
            let n = self.manifest.chunks.len();
            if self.stale || self.next_chunk >= n {
                return Ok(None);
            }
            let pos = if self.descending {
                n - 1 - self.next_chunk
            } else {
                self.next_chunk
            };
            self.next_chunk += 1;
            let meta = &self.manifest.chunks[pos];
            if !visit(meta) {
                continue;
            }
            let Some(mut entries) = chunk(self.root, self.kind, &self.scope, meta)? else {
                self.stale = true;
                return Ok(None);
            };
            if self.descending {
                entries.reverse();
            }
            let after = self.after.as_deref();
            self.buf = entries
                .into_iter()
                .filter(|e| {
                    after.is_none_or(|a| {
                        if self.descending {
                            e.key.as_str() < a
                        } else {
                            e.key.as_str() > a
                        }
                    })
                })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: usize, flag: char) -> Entry {
        Entry {
            key: format!("2025-01-01T00:00:00.000Z\u{1f}{i:08}"),
            id: format!("{i:08}"),
            flag,
            exp: if flag == 'P' {
                format!("2030-01-01T00:00:{:02}.000Z", i % 60)
            } else {
                String::new()
            },
            agent_principal_id: "p".into(),
            agent_id: "bot\tx%".into(),
        }
    }

    fn apply(root: &Path, changes: Vec<Change>) {
        let ops: Vec<Op> = changes
            .into_iter()
            .map(|change| Op {
                root: root.to_path_buf(),
                kind: Kind::Drafts,
                scope: ALL.into(),
                change,
            })
            .collect();
        let r = resolve(&ops).unwrap();
        let mut t = crate::store::Txn::default();
        for (p, b, m) in r.writes {
            t.write_mode(&p, b, m);
        }
        for p in r.removals {
            t.remove(&p);
        }
        t.commit().unwrap();
    }

    fn all(root: &Path, descending: bool, after: Option<&str>) -> Vec<String> {
        let m = manifest(root, Kind::Drafts, ALL).unwrap().unwrap();
        let mut w = Walk::new(
            root,
            Kind::Drafts,
            ALL.into(),
            m,
            descending,
            after.map(Into::into),
        );
        let mut out = Vec::new();
        while let Some(e) = w.next_entry(&|_| true).unwrap() {
            out.push(e.id);
        }
        assert!(!w.stale);
        out
    }

    #[test]
    fn puts_and_removes_keep_sorted_chunks_within_the_cap() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        // Not built: ops are dropped, reads say "not built".
        apply(root, vec![Change::Put(entry(1, 'P'))]);
        assert!(manifest(root, Kind::Drafts, ALL).unwrap().is_none());
        rebuild(
            root,
            Kind::Drafts,
            (0..10).map(|i| Ok((entry(i * 2, 'P'), vec![ALL.to_string()]))),
        )
        .unwrap();
        // Appends in batches (each batch one commit), then inserts in the middle.
        for b in 0..6 {
            apply(
                root,
                (0..300)
                    .map(|i| Change::Put(entry(1000 + b * 300 + i, 'A')))
                    .collect(),
            );
        }
        apply(
            root,
            (0..10)
                .map(|i| Change::Put(entry(i * 2 + 1, 'P')))
                .collect(),
        );
        let m = manifest(root, Kind::Drafts, ALL).unwrap().unwrap();
        assert_eq!(m.count(), 20 + 1800);
        assert!(m.chunks.iter().all(|c| c.count <= CHUNK_CAP && c.count > 0));
        assert_eq!(m.chunks.iter().map(|c| c.flag('P')).sum::<usize>(), 20);
        let asc = all(root, false, None);
        let mut sorted = asc.clone();
        sorted.sort();
        assert_eq!(asc, sorted);
        assert_eq!(asc.len(), 1820);
        let mut desc = all(root, true, None);
        desc.reverse();
        assert_eq!(desc, asc);
        // From a cursor, both ways.
        let k = entry(1500, 'A').key;
        assert_eq!(all(root, false, Some(&k)).first().unwrap(), "00001501");
        assert_eq!(all(root, true, Some(&k)).first().unwrap(), "00001499");
        // Status change in place, then removal of everything.
        apply(root, vec![Change::Put(entry(3, 'D'))]);
        let m = manifest(root, Kind::Drafts, ALL).unwrap().unwrap();
        assert_eq!(m.chunks.iter().map(|c| c.flag('P')).sum::<usize>(), 19);
        let keys: Vec<Change> = asc
            .iter()
            .map(|id| Change::Remove(format!("2025-01-01T00:00:00.000Z\u{1f}{id}")))
            .collect();
        apply(root, keys);
        let m = manifest(root, Kind::Drafts, ALL).unwrap().unwrap();
        assert_eq!(m.count(), 0);
        assert!(m.chunks.is_empty());
        // Old chunk files are gone: only the manifest is left.
        let files: Vec<_> = std::fs::read_dir(kind_dir(root, Kind::Drafts).join(ALL))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(files, vec![MANIFEST.to_string()]);
    }

    #[test]
    fn fields_with_separators_round_trip() {
        let e = entry(7, 'P');
        let mut s = String::new();
        e.line(&mut s);
        assert_eq!(s.lines().count(), 1);
        assert_eq!(Entry::parse(s.trim_end_matches('\n')).unwrap(), e);
    }

    #[test]
    fn pending_counts_from_the_manifest() {
        let entries: Vec<Entry> = (0..60).map(|i| entry(i, 'P')).collect();
        let m = ChunkMeta::of("c1".into(), &entries);
        assert_eq!(m.pending_at("2029-01-01T00:00:00.000Z"), Some(60));
        assert_eq!(m.pending_at("2031-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(m.pending_at("2030-01-01T00:00:30.000Z"), None);
    }

    #[test]
    fn a_damaged_index_does_not_block_writes_and_is_marked_for_rebuild() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        rebuild(
            root,
            Kind::Drafts,
            (0..5).map(|i| Ok((entry(i, 'P'), vec![ALL.to_string()]))),
        )
        .unwrap();
        let m = manifest(root, Kind::Drafts, ALL).unwrap().unwrap();
        std::fs::remove_file(
            kind_dir(root, Kind::Drafts)
                .join(ALL)
                .join(&m.chunks[0].file),
        )
        .unwrap();
        // An unchanged entry rewrites nothing; a real change finds the chunk gone.
        apply(root, vec![Change::Put(entry(1, 'D'))]);
        assert!(!is_built(root, Kind::Drafts));
        assert!(manifest(root, Kind::Drafts, ALL).unwrap().is_none());
    }
}
