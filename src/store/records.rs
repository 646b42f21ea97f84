//! Records addressed by relative path: the changes a replica of a PostgreSQL store commits to
//! the store (`pg::replica`), and the rules every such path follows.
//!
//! - **Paths** are checked on every entry point: relative, `/`-separated, no empty, `.` or `..`
//!   segment, no control character — anything else is `INVALID_ID` and never reaches a file or
//!   a row.
//! - **Ops** apply in order, the last op on a path winning; a path written as a record and used
//!   as a directory by another write of the same commit is refused.

use crate::error::{Error, ErrorCode, Result};

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

/// A set of writes and removals committed together. Applied in order:
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_tree_are_refused() {
        for bad in ["", "/abs", "a//b", "a/./b", "../x", "a/..", "a/", "x\u{1}y"] {
            assert_eq!(
                check_rel(bad).unwrap_err().code,
                ErrorCode::InvalidId,
                "{bad:?}"
            );
        }
        for good in ["a", "agents/x.yaml", "indexes/lists/agents/all/c1"] {
            check_rel(good).unwrap();
        }
    }

    #[test]
    fn the_last_op_on_a_path_wins_and_a_record_cannot_be_a_directory() {
        let mut ops = Ops::default();
        ops.write("a/x", b"1".to_vec());
        ops.write("b", b"1".to_vec());
        ops.remove("a/x");
        let net = ops.into_net().unwrap();
        assert_eq!(net.len(), 2);
        assert_eq!(net[0], Op::Remove { rel: "a/x".into() });
        let mut ops = Ops::default();
        ops.write("a", b"1".to_vec());
        ops.write("a/b", b"1".to_vec());
        assert_eq!(ops.into_net().unwrap_err().code, ErrorCode::DataCorrupt);
    }
}
