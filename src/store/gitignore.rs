//! `openleash init` inside a git work tree: the data directory (keys, owners, audit log) and the
//! env file with the agent's private key must not end up in a commit, so they are added to the
//! `.gitignore` of the current directory (created or extended; existing lines are kept).

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

pub const FILE: &str = ".gitignore";

/// True when `dir` or one of its parents holds `.git` (a directory, or a file in a worktree).
fn in_work_tree(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// `path` relative to `cwd` as a `/`-anchored gitignore pattern, if it lies below `cwd`.
fn pattern(cwd: &Path, path: &Path, dir: bool) -> Option<String> {
    let rel: PathBuf = if path.is_absolute() {
        path.strip_prefix(cwd).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            _ => return None,
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "/{}{}",
        parts.join("/"),
        if dir { "/" } else { "" }
    ))
}

/// Adds the data directory and the env file to `cwd/.gitignore` when `cwd` is in a git work
/// tree. Returns the patterns added (`None`: not a work tree, or nothing to add).
pub fn protect(
    cwd: &Path,
    data_dir: &Path,
    env_file: Option<&Path>,
) -> Result<Option<Vec<String>>> {
    if !in_work_tree(cwd) {
        return Ok(None);
    }
    let path = cwd.join(FILE);
    let existing = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("read", &path, e)),
    };
    let present = |p: &str| {
        let bare = p.trim_start_matches('/').trim_end_matches('/');
        existing
            .lines()
            .map(|l| l.trim().trim_start_matches('/').trim_end_matches('/'))
            .any(|l| l == bare)
    };
    let mut added = Vec::new();
    let wanted = [
        pattern(cwd, data_dir, true),
        env_file.and_then(|f| pattern(cwd, f, false)),
    ];
    for p in wanted.into_iter().flatten() {
        if !present(&p) && !added.contains(&p) {
            added.push(p);
        }
    }
    if added.is_empty() {
        return Ok(None);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# openleash: data directory and agent private key (added by `openleash init`)\n",
    );
    for p in &added {
        text.push_str(p);
        text.push('\n');
    }
    super::write_atomic_mode(&path, text.as_bytes(), 0o644)?;
    Ok(Some(added))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_anchored_and_only_below_the_directory() {
        let cwd = Path::new("/w/repo");
        assert_eq!(
            pattern(cwd, Path::new("./data"), true).as_deref(),
            Some("/data/")
        );
        assert_eq!(
            pattern(cwd, Path::new("/w/repo/a/agent.env"), false).as_deref(),
            Some("/a/agent.env")
        );
        assert_eq!(pattern(cwd, Path::new("/elsewhere/data"), true), None);
        assert_eq!(pattern(cwd, Path::new("../data"), true), None);
    }
}
