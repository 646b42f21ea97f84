//! Values derived from files, cached by the files' identity (inode, size, mtime): a change made
//! by another process (a CLI command next to a running server or proxy) is seen on the next call
//! without re-reading unchanged files.

use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::agents::Agent;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
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
