//! Values derived from files, cached by the files' identity (inode, size, mtime): a change made
//! by another process (a CLI command next to a running server or proxy) is seen on the next call
//! without re-reading unchanged files.

use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::agents::Agent;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime};

/// Identity of a set of files: (inode, size, mtime) of each, or absence.
#[derive(Debug, Clone)]
pub struct Stamp {
    files: Vec<Option<(u64, u64, SystemTime)>>,
    taken: SystemTime,
}

impl Stamp {
    pub fn of(paths: &[PathBuf]) -> Option<Stamp> {
        let taken = SystemTime::now();
        let files = paths.iter().map(|p| file_id(p)).collect();
        Some(Stamp { files, taken })
    }

    /// A file changed within the file system's timestamp granularity of the moment we looked may
    /// change again without its mtime moving (git's "racy" problem): such a stamp is not trusted.
    pub fn racy(&self) -> bool {
        self.files.iter().flatten().any(|(_, _, m)| {
            self.taken
                .duration_since(*m)
                .map(|d| d < Duration::from_secs(2))
                .unwrap_or(true)
        })
    }
}

impl Stamp {
    /// The same files in the same state (when each stamp was taken does not matter).
    pub fn same_files(&self, other: &Stamp) -> bool {
        self.files == other.files
    }
}

/// (inode, size, mtime): a file replaced atomically has a new inode, an edited one a new mtime.
pub type FileKey = (u64, u64, SystemTime);

/// (inode, size, mtime) of a file; `None` when it cannot be read.
pub(crate) fn file_id(p: &Path) -> Option<FileKey> {
    let m = std::fs::metadata(p).ok()?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    Some((ino, m.len(), m.modified().ok()?))
}

/// The files and directories a derived value was built from, each with the identity it had
/// before it was read (`None`: it did not exist). Such a value stays valid while every input
/// still has that identity: an atomic replace gives a file a new inode, adding or removing an
/// entry gives a directory a new mtime. Checking costs one `stat` per input and no reading.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    items: Vec<(PathBuf, Option<FileKey>)>,
}

impl Inputs {
    /// Records that the value depends on `path` as it was when it had identity `key`.
    pub fn note(&mut self, path: &Path, key: Option<FileKey>) {
        self.items.push((path.to_path_buf(), key));
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every input still has the identity noted: one `stat` each, stopping at the first change.
    pub fn unchanged(&self) -> bool {
        self.items.iter().all(|(p, k)| file_id(p) == *k)
    }

    /// No input changed within the file system's timestamp granularity before `looked` (when the
    /// first input was stat'ed): a later change is then bound to move an mtime (git's "racy"
    /// problem; see [`RACY`]), so the value may be kept.
    pub fn settled(&self, looked: SystemTime) -> bool {
        self.items.iter().all(|(_, k)| {
            k.is_none_or(|(_, _, m)| looked.duration_since(m).is_ok_and(|d| d >= RACY))
        })
    }
}

/// One cached value derived from a set of files.
pub struct FileCache<T> {
    slot: Mutex<Option<(Stamp, Arc<T>)>>,
}

impl<T> Default for FileCache<T> {
    fn default() -> Self {
        FileCache {
            slot: Mutex::new(None),
        }
    }
}

impl<T> FileCache<T> {
    pub fn get(&self, paths: &[PathBuf], load: impl FnOnce() -> Result<T>) -> Result<Arc<T>> {
        let stamp = Stamp::of(paths).ok_or_else(|| Error::internal("cannot stat data files"))?;
        if let Ok(g) = self.slot.lock()
            && let Some((s, v)) = &*g
            && s.same_files(&stamp)
            && !stamp.racy()
        {
            return Ok(v.clone());
        }
        let v = Arc::new(load()?);
        if let Ok(mut g) = self.slot.lock() {
            *g = Some((stamp, v.clone()));
        }
        Ok(v)
    }
}

/// Agents by `agent_id` (through the index) or principal id, each cached per file: a change to
/// one agent (its record or its index entry) invalidates that agent only.
#[derive(Default)]
pub struct AgentCache {
    ids: Mutex<HashMap<String, (Stamp, Option<String>)>>,
    agents: Mutex<HashMap<String, (Stamp, Arc<Agent>)>>,
}

impl AgentCache {
    /// The principal id holding `agent_id`, cached by the identity of its index entry.
    fn principal_for(&self, dd: &DataDir, id: &str) -> Result<Option<String>> {
        let stamp = Stamp::of(&dd.agent_id_entry_paths(id));
        if let Some(s) = &stamp
            && let Ok(g) = self.ids.lock()
            && let Some((cached, pid)) = g.get(id)
            && cached.same_files(s)
            && !s.racy()
        {
            return Ok(pid.clone());
        }
        let pid = dd.agent_principal_for(id)?;
        if let Some(s) = stamp
            && let Ok(mut g) = self.ids.lock()
        {
            if g.len() > 100_000 {
                g.clear();
            }
            g.insert(id.to_string(), (s, pid.clone()));
        }
        Ok(pid)
    }

    pub fn get(&self, dd: &DataDir, id: &str) -> Result<Arc<Agent>> {
        let pid = match self.principal_for(dd, id)? {
            Some(pid) => pid,
            None if crate::ids::is_uuid_shaped(id) => id.to_ascii_lowercase(),
            None => return Err(crate::store::agents::agent_not_found(id)),
        };
        let path = dd.agent_path(&pid)?;
        let stamp = Stamp::of(&[path]);
        if let Some(s) = &stamp
            && let Ok(g) = self.agents.lock()
            && let Some((cached, a)) = g.get(&pid)
            && cached.same_files(s)
            && !s.racy()
        {
            return Ok(a.clone());
        }
        let agent = Arc::new(match dd.agent_by_principal(&pid) {
            Ok(a) => a,
            Err(e) if e.code == ErrorCode::AgentNotFound => {
                return Err(crate::store::agents::agent_not_found(id));
            }
            Err(e) => return Err(e),
        });
        if let Some(s) = stamp
            && let Ok(mut g) = self.agents.lock()
        {
            // Bounded by the number of agent files; a server with a huge fleet re-reads past it.
            if g.len() > 100_000 {
                g.clear();
            }
            g.insert(pid, (s, agent.clone()));
        }
        Ok(agent)
    }
}

/// The UUID-shaped entry names of small index directories (`agent-groups/<agent>/`,
/// `bindings/{agents,owners,groups}/<id>/`), cached by the directory's identity: adding or
/// removing an entry (a write is a rename into the directory) gives the directory a new mtime,
/// so a decision stats each index directory instead of listing it, and a change made by another
/// process invalidates exactly the directories it touched.
type Listings = LazyLock<Mutex<HashMap<PathBuf, (FileKey, Arc<[String]>)>>>;
static LISTINGS: Listings = LazyLock::new(Default::default);

/// Past this many directories the cache starts over rather than growing with the installation.
const MAX_LISTINGS: usize = 200_000;

/// How close to "now" a directory's mtime may be before its listing is not kept: a change within
/// the file system's timestamp granularity of the listing could leave the mtime unchanged (git's
/// "racy" entries), so only listings taken well after the last change are reused.
const RACY: Duration = Duration::from_secs(2);

/// The UUID-shaped names in `dir` (unsorted), empty when it does not exist, noting in `inputs`
/// the identity of `dir` the listing belongs to.
pub(crate) fn uuid_names_noting(dir: &Path, inputs: &mut Inputs) -> Result<Arc<[String]>> {
    let key = file_id(dir);
    inputs.note(dir, key);
    let Some(key) = key else {
        return Ok(Arc::from(Vec::new()));
    };
    if let Some((k, v)) = LISTINGS.lock().unwrap_or_else(|e| e.into_inner()).get(dir)
        && *k == key
    {
        return Ok(v.clone());
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        // Gone between the stat and the listing: the noted identity no longer matches, so a
        // value built from this listing is rebuilt on its next use.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Arc::from(Vec::new())),
        Err(e) => return Err(Error::io("list", dir, e)),
    };
    let mut names = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| Error::io("list", dir, e))?;
        if let Some(name) = entry.file_name().to_str()
            && crate::ids::is_uuid_shaped(name)
        {
            names.push(name.to_string());
        }
    }
    let names: Arc<[String]> = Arc::from(names);
    // The stat was taken before the listing: a change in between gives a newer mtime than the
    // key, so the next call lists again.
    let settled = SystemTime::now()
        .duration_since(key.2)
        .is_ok_and(|d| d >= RACY);
    let mut map = LISTINGS.lock().unwrap_or_else(|e| e.into_inner());
    if settled {
        if map.len() >= MAX_LISTINGS {
            map.clear();
        }
        map.insert(dir.to_path_buf(), (key, names.clone()));
    } else {
        map.remove(dir);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid_names(dir: &Path) -> Result<Arc<[String]>> {
        uuid_names_noting(dir, &mut Inputs::default())
    }

    /// Backdates a directory's mtime so its listing counts as settled.
    fn settle(dir: &Path) {
        let old = SystemTime::now() - Duration::from_secs(60);
        std::fs::File::open(dir).unwrap().set_modified(old).unwrap();
    }

    #[test]
    fn inputs_notice_replacement_creation_removal_and_recent_changes() {
        let t = tempfile::tempdir().unwrap();
        let (file, dir) = (t.path().join("f.json"), t.path().join("idx"));
        std::fs::write(&file, "1").unwrap();
        let mut inputs = Inputs::default();
        inputs.note(&file, file_id(&file));
        inputs.note(&dir, file_id(&dir));
        assert_eq!(inputs.len(), 2);
        assert!(inputs.unchanged());
        // Written just now: not settled, so a value built from it is not kept.
        assert!(!inputs.settled(SystemTime::now()));
        assert!(inputs.settled(SystemTime::now() + Duration::from_secs(3)));
        // An absent input that appears, and a file replaced atomically with the same bytes.
        std::fs::create_dir(&dir).unwrap();
        assert!(!inputs.unchanged());
        let mut inputs = Inputs::default();
        inputs.note(&file, file_id(&file));
        crate::store::write_atomic(&file, b"1").unwrap();
        assert!(!inputs.unchanged());
        let mut inputs = Inputs::default();
        inputs.note(&file, file_id(&file));
        std::fs::remove_file(&file).unwrap();
        assert!(!inputs.unchanged());
    }

    #[test]
    fn listings_are_reused_until_an_entry_is_added_or_removed() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("idx");
        assert!(uuid_names(&dir).unwrap().is_empty());
        std::fs::create_dir(&dir).unwrap();
        let a = "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
        let b = "4f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a";
        std::fs::write(dir.join(a), "").unwrap();
        std::fs::write(dir.join("not-a-uuid"), "").unwrap();
        settle(&dir);
        assert_eq!(&*uuid_names(&dir).unwrap(), [a.to_string()]);
        assert!(LISTINGS.lock().unwrap().contains_key(&dir), "settled: kept");
        // Another process adds an entry: the directory's mtime moves, the listing is redone.
        std::fs::write(dir.join(b), "").unwrap();
        let mut got = uuid_names(&dir).unwrap().to_vec();
        got.sort();
        assert_eq!(got, [a.to_string(), b.to_string()]);
        // Changed just now: not kept, so a second change within the same tick cannot hide.
        assert!(!LISTINGS.lock().unwrap().contains_key(&dir));
        std::fs::remove_file(dir.join(a)).unwrap();
        assert_eq!(&*uuid_names(&dir).unwrap(), [b.to_string()]);
        settle(&dir);
        assert_eq!(&*uuid_names(&dir).unwrap(), [b.to_string()]);
        // Removed and recreated with the same mtime: a new inode, so a new listing.
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(uuid_names(&dir).unwrap().is_empty());
        std::fs::create_dir(&dir).unwrap();
        settle(&dir);
        assert!(uuid_names(&dir).unwrap().is_empty());
    }
}
