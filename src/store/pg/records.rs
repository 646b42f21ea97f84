//! The record tables of schema migration 2 (`tree_records`, `tree_changes`, `tree_feed`): the
//! statements a replica (`super::replica`) reads the change feed and commits records with.
//!
//! **Rows.** Each record is a row of `tree_records` (`path`, `parent`, `name`, `body` byte for
//! byte, `mode`, `version`); directories are rows too. Every write or removal also inserts a row
//! into `tree_changes` (`seq bigserial`, `path`) in the same statement; a record's `version` is
//! the `seq` of the change that last wrote it. Writers hold the chain's lock while they draw
//! seqs, so seq order is commit order, and a replica catches up with `seq > last applied`.

use super::{db_error, postgres};
use crate::error::{Error, ErrorCode, Result};
use crate::store::records::{Op, ancestors, split};
use std::collections::HashMap;
use std::time::Duration;

/// The feed after `$1` (at most `$2` changes), with the prune horizon and the newest seq, in one
/// snapshot. `kind` 0: pruned_through, 1: max seq, 2: a change.
pub(crate) const FEED_SQL: &str = "
    SELECT 0 AS kind, pruned_through AS seq, NULL::text AS path FROM tree_feed WHERE id = 1
    UNION ALL SELECT 1, coalesce(max(seq), 0), NULL FROM tree_changes
    UNION ALL (SELECT 2, seq, path FROM tree_changes WHERE seq > $1 ORDER BY seq LIMIT $2)";

/// One commit in one statement: refuse it (returning the conflicting rows, kind 1) when a
/// record path is a directory or a needed directory is a record; else create the missing
/// directories, record the changes, upsert the written records and delete the removed ones,
/// returning each change's seq (kind 0).
pub(crate) const WRITE_SQL: &str = "
    WITH bad AS (
        SELECT t.path FROM tree_records t
        WHERE (t.path = ANY($1) AND t.is_dir) OR (t.path = ANY($6) AND NOT t.is_dir)
    ), ops AS (
        SELECT o.path, o.body, o.mode, o.parent, o.name
        FROM unnest($1::text[], $2::bytea[], $3::int[], $4::text[], $5::text[])
             AS o(path, body, mode, parent, name)
        WHERE NOT EXISTS (SELECT 1 FROM bad)
    ), dirs AS (
        INSERT INTO tree_records (path, parent, name, is_dir, body, mode, version)
        SELECT d.path, d.parent, d.name, true, NULL, 0, 0
        FROM unnest($6::text[], $7::text[], $8::text[]) AS d(path, parent, name)
        WHERE NOT EXISTS (SELECT 1 FROM bad)
        ON CONFLICT (path) DO NOTHING
    ), ch AS (
        INSERT INTO tree_changes (path) SELECT path FROM ops RETURNING seq, path
    ), w AS (
        INSERT INTO tree_records (path, parent, name, is_dir, body, mode, version)
        SELECT o.path, o.parent, o.name, false, o.body, o.mode, ch.seq
        FROM ops o JOIN ch ON ch.path = o.path
        WHERE o.body IS NOT NULL
        ON CONFLICT (path) DO UPDATE
            SET body = EXCLUDED.body, mode = EXCLUDED.mode, version = EXCLUDED.version
    ), r AS (
        DELETE FROM tree_records t USING ops o
        WHERE t.path = o.path AND o.body IS NULL AND NOT t.is_dir
    )
    SELECT 0 AS kind, seq, path FROM ch
    UNION ALL SELECT 1, 0, path FROM bad";

/// Runs [`WRITE_SQL`] (prepared as `stmt`, or its text) for the net ops of one commit: the seq
/// of each changed path, or (inner `Err`) the conflict that refused the whole statement
/// (a record where a directory is, or the reverse) — nothing was written then.
pub(crate) fn write_net<S: postgres::ToStatement + ?Sized>(
    client: &mut impl postgres::GenericClient,
    stmt: &S,
    net: &[Op],
) -> Result<std::result::Result<HashMap<String, i64>, Error>> {
    let mut paths = Vec::with_capacity(net.len());
    let mut bodies: Vec<Option<&[u8]>> = Vec::with_capacity(net.len());
    let mut modes = Vec::with_capacity(net.len());
    let mut parents = Vec::with_capacity(net.len());
    let mut names = Vec::with_capacity(net.len());
    let mut dirs: Vec<&str> = Vec::new();
    for op in net {
        let (parent, name) = split(op.rel());
        paths.push(op.rel());
        parents.push(parent);
        names.push(name);
        match op {
            Op::Write { rel, bytes, mode } => {
                bodies.push(Some(bytes.as_slice()));
                modes.push(i32::try_from(*mode).unwrap_or(0o644));
                for d in ancestors(rel) {
                    if dirs.contains(&d) {
                        break;
                    }
                    dirs.push(d);
                }
            }
            Op::Remove { .. } => {
                bodies.push(None);
                modes.push(0);
            }
        }
    }
    let (dir_parents, dir_names): (Vec<&str>, Vec<&str>) = dirs.iter().map(|d| split(d)).unzip();
    let rows = client
        .query(
            stmt,
            &[
                &paths,
                &bodies,
                &modes,
                &parents,
                &names,
                &dirs,
                &dir_parents,
                &dir_names,
            ],
        )
        .map_err(|e| db_error("write records", e))?;
    let mut seqs: HashMap<String, i64> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let path: String = r.get(2);
        if r.get::<_, i32>(0) == 1 {
            let e = match net.iter().find(|op| op.rel() == path) {
                Some(op) => Error::new(
                    ErrorCode::DataCorrupt,
                    format!(
                        "cannot change `{}`: it is a directory, not a record",
                        op.rel()
                    ),
                )
                .with_hint("a record and a directory cannot share a path"),
                None => {
                    let rel = net
                        .iter()
                        .map(Op::rel)
                        .find(|r| ancestors(r).any(|d| d == path))
                        .unwrap_or_default();
                    crate::store::records::not_a_directory(&path, rel)
                }
            };
            return Ok(Err(e));
        }
        seqs.insert(path, r.get(1));
    }
    Ok(Ok(seqs))
}

/// `LOCK_TIMEOUT` for a wait on the store's writer lock longer than `timeout`.
pub(crate) fn lock_timeout_error(timeout: Duration) -> Error {
    Error::new(
        ErrorCode::LockTimeout,
        format!("timed out after {timeout:?} waiting for the PostgreSQL store's writer lock"),
    )
    .with_hint("another openleash instance or process is writing to this store; retry, or look for a stuck session in pg_stat_activity")
}
