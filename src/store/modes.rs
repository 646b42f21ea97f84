//! File modes of secrets in the data directory (issue 16): what `openleash start` warns about.

use super::DataDir;
use std::path::{Path, PathBuf};

/// Secrets (and the data directory) that other local users can read, each with its mode and
/// the command that fixes it. Empty where modes do not exist (non-Unix).
pub fn readable_secrets(dd: &DataDir) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |path: &Path, want: u32| {
        if let Some(mode) = loose_mode(path) {
            found.push(format!(
                "{} is readable by other users (mode {mode:o}); run `chmod {want:o} {}`",
                path.display(),
                path.display()
            ));
        }
    };
    check(dd.root(), super::DATA_DIR_MODE);
    // config.yaml matters when it holds the admin token; checking it always is simpler and
    // costs nothing (init writes it 0600).
    check(&dd.config_path(), super::SECRET_MODE);
    for dir in ["approvals", "agents", "owners", "invites", "provisioners"] {
        // agents/index.json (format 1) maps ids to files and holds no secret; the per-entry
        // index lives in sub-directories, which `list` skips
        let files: Vec<PathBuf> = list(&dd.path(dir))
            .into_iter()
            .filter(|p| !p.ends_with("index.json"))
            .collect();
        let loose: Vec<&PathBuf> = files.iter().filter(|p| loose_mode(p).is_some()).collect();
        if let Some(first) = loose.first() {
            found.push(format!(
                "{} of {} file(s) in {} hold tokens but are readable by other users (e.g. {}); run `chmod 600 {}/*`",
                loose.len(),
                files.len(),
                dd.path(dir).display(),
                first.display(),
                dd.path(dir).display()
            ));
        }
    }
    found
}

/// The permission bits when group or others may read (or enter) `path`.
fn loose_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
        })
        .collect()
}
