//! Shared helpers for the CLI tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The binary, isolated from the developer's environment.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("openleash").unwrap();
    for var in [
        "OPENLEASH_DATA_DIR",
        "OPENLEASH_AGENT_ID",
        "OPENLEASH_OWNER_PRINCIPAL_ID",
        "OPENLEASH_URL",
        "USER_PRINCIPAL_ID",
        "NO_COLOR",
    ] {
        c.env_remove(var);
    }
    c.env("OPENLEASH_LOCK_TIMEOUT_MS", "20000");
    // No per-user config: a developer's own ~/.config/openleash/config.yaml must not change tests.
    c.env("OPENLEASH_USER_CONFIG", "");
    c
}

/// A command bound to a data directory.
pub fn ol(data: &Path) -> Command {
    let mut c = bin();
    c.arg("--data-dir").arg(data);
    c
}

/// A fresh initialised data dir (balanced profile, agent `my-agent`).
pub fn init_dir() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data");
    ol(&data)
        .args(["init", "--agent-id", "my-agent", "--output-env"])
        .arg(tmp.path().join("agent.env"))
        .assert()
        .success();
    (tmp, data)
}

pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Every file under `dir` with its contents (for "nothing changed" assertions).
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n != ".lock") {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    if dir.exists() {
        walk(dir, &mut out);
    }
    out
}

/// Every event of the data dir's audit log, in order (a line that does not parse fails the test).
pub fn audit_events(data: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(data.join("audit.log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `openleash --json ARGS` on `data`, which must succeed; its JSON answer.
pub fn json_ok(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = ol(data).arg("--json").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

/// Runs `openleash --json ARGS` on `data`, which must fail: its exit code and error code.
pub fn json_err(data: &Path, args: &[&str]) -> (i32, String) {
    let out = ol(data).arg("--json").args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    let v = stdout_json(&out);
    (
        out.status.code().unwrap_or(-1),
        v["error"]["code"].as_str().unwrap_or_default().to_string(),
    )
}
