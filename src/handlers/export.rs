//! `audit export` (SPEC §18): the audit log for SIEM shipping, as written (NDJSON) or as OCSF 1.3
//! API Activity, with a cursor file so that repeated runs resume exactly where the last stopped.
//!
//! The cursor records the byte offset just past the last exported line and that line's seq and
//! hash. A run starts there only when the line before the offset is still that event (in a log
//! that was repaired or replaced, the first line after the cursor's seq is found by bisection,
//! and seqs already exported are skipped), and the cursor is replaced atomically after the
//! events were written, so no event is exported twice and none is skipped.
//!
//! Cost: O(events exported) plus a log-scale lookup, streamed with bounded memory. `--since`
//! on a first run still reads from the start of the log: timestamps, unlike seqs, are not
//! guaranteed to grow line by line (a clock set back), so no bisection over them is exact.

use crate::audit::AuditEvent;
use crate::audit::lines::{Scanned, Scanner};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Where the last export stopped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Byte offset just past the last exported (or passed over) line.
    pub offset: u64,
    /// Seq and hash of that line (`None` before the first event).
    pub seq: Option<u64>,
    pub hash: Option<String>,
}

impl Cursor {
    pub fn load(path: &Path) -> Result<Cursor> {
        match std::fs::read(path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| {
                Error::new(
                    ErrorCode::Usage,
                    format!(
                        "cursor file {} is not an export cursor: {e}",
                        path.display()
                    ),
                )
                .with_hint("remove it to export from the beginning of the log")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Cursor::default()),
            Err(e) => Err(Error::io("read", path, e)),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self).map_err(|e| Error::internal(e.to_string()))?;
        crate::store::fsio::write_atomic(path, &bytes)
    }
}

/// Time bounds in ms since the epoch (`since` inclusive, `until` exclusive).
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

impl Bounds {
    fn contains(&self, ev: &AuditEvent) -> bool {
        let Some(t) = crate::policy::limits::ms_of(&ev.timestamp) else {
            return true;
        };
        self.since_ms.is_none_or(|s| t >= s) && self.until_ms.is_none_or(|u| t < u)
    }
}

/// Checks that the line ending at `cursor.offset` is still the cursor's event.
fn cursor_holds(file: &mut std::fs::File, cursor: &Cursor) -> std::io::Result<bool> {
    let (Some(seq), Some(hash)) = (cursor.seq, &cursor.hash) else {
        return Ok(cursor.offset == 0);
    };
    let len = file.metadata()?.len();
    if cursor.offset > len || cursor.offset == 0 {
        return Ok(false);
    }
    // The event's line is at most a few hundred KiB; read back until its start.
    let back = cursor.offset.min(1 << 20);
    file.seek(SeekFrom::Start(cursor.offset - back))?;
    let mut buf = vec![0; back as usize];
    file.read_exact(&mut buf)?;
    if buf.last() != Some(&b'\n') {
        return Ok(false);
    }
    let body = &buf[..buf.len() - 1];
    let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
    Ok(crate::audit::line::parse_raw(&body[start..])
        .is_ok_and(|r| r.seq == seq && r.hash == hash.as_bytes()))
}

/// Calls `emit(event, raw line)` for every event after `cursor` within `bounds`, oldest first,
/// and returns the cursor just past the last complete line.
pub fn export_from(
    dd: &DataDir,
    cursor: &Cursor,
    bounds: Bounds,
    emit: &mut dyn FnMut(&AuditEvent, &[u8]) -> Result<()>,
) -> Result<Cursor> {
    let path = dd.audit_log_path();
    let io = |e| Error::io("read", &path, e);
    let mut file = match crate::store::fsio::open_read_nofollow(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cursor.clone()),
        Err(e) => return Err(crate::store::fsio::open_error("open", &path, e)),
    };
    let (start, skip_through) = if cursor_holds(&mut file, cursor).map_err(io)? {
        (cursor.offset, None)
    } else {
        // The log was repaired or replaced since: continue after the cursor's seq, found by
        // bisection (O(log n) reads) rather than by reading the log from its start; a log not
        // in seq order around it is read from the start (seqs already exported are skipped
        // either way).
        let from = match cursor.seq {
            Some(seq) => dd.audit_offset_after_seq(seq)?.unwrap_or(0),
            None => 0,
        };
        (from, cursor.seq)
    };
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut next = Cursor {
        offset: start,
        ..cursor.clone()
    };
    let mut scanner = Scanner::new(file, start);
    while let Some(item) = scanner.next_line().map_err(io)? {
        let Scanned::Line { offset, line } = item else {
            break;
        };
        next.offset = offset + line.len() as u64 + 1;
        let Ok(ev) = serde_json::from_slice::<AuditEvent>(line) else {
            continue;
        };
        if skip_through.is_some_and(|s| ev.seq <= s) {
            continue;
        }
        if bounds.contains(&ev) {
            emit(&ev, line)?;
        }
        next.seq = Some(ev.seq);
        next.hash = Some(ev.hash.clone());
    }
    Ok(next)
}

/// [`export_from`] for an installation whose chain is in PostgreSQL (SPEC §19): the events after
/// the cursor's seq, oldest first. A database has no byte offsets, so the cursor it returns has
/// offset 0 and names the last event by seq and hash; given to a file log, such a cursor finds
/// its place by seq (the same path as a cursor into a repaired log), and a file log's cursor
/// given here continues after its seq.
pub fn export_from_store(
    store: &crate::store::pg::PgStore,
    cursor: &Cursor,
    bounds: Bounds,
    emit: &mut dyn FnMut(&AuditEvent, &[u8]) -> Result<()>,
) -> Result<Cursor> {
    let mut next = cursor.clone();
    crate::store::pg::audit_read::lines_after(store, cursor.seq.unwrap_or(0), &mut |seq, line| {
        // A row whose line does not parse is still passed over, as a malformed line of the
        // file log is: the cursor moves on and `audit verify` is what names it.
        if let Ok(ev) = serde_json::from_str::<AuditEvent>(line) {
            if bounds.contains(&ev) {
                emit(&ev, line.as_bytes())?;
            }
            next.hash = Some(ev.hash);
        } else {
            next.hash = None;
        }
        next.offset = 0;
        next.seq = Some(seq);
        Ok(())
    })?;
    Ok(next)
}

/// Metadata keys that OCSF fields carry; the rest goes to `unmapped`.
const MAPPED: &[&str] = &["agent_id", "action_type", "result", "display_name"];

/// One audit event as an OCSF 1.3 API Activity object (the mapping table is in
/// docs/audit-export.md).
pub fn ocsf(ev: &AuditEvent) -> Value {
    let m = &ev.metadata_json;
    let s = |k: &str| m.get(k).and_then(Value::as_str);
    let time_ms = crate::policy::limits::ms_of(&ev.timestamp).unwrap_or(0);
    let failed = ev.event_type.ends_with("_FAILED")
        || ev.event_type.ends_with("_ERROR")
        || m.get("error").is_some();
    let mut unmapped: Map<String, Value> = m
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !MAPPED.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    unmapped.insert("seq".into(), json!(ev.seq));
    unmapped.insert("hash".into(), json!(ev.hash));
    unmapped.insert("decision_id".into(), json!(ev.decision_id));
    unmapped.insert("action_id".into(), json!(ev.action_id));
    let mut o = json!({
        "class_uid": 6003,
        "class_name": "API Activity",
        "category_uid": 6,
        "category_name": "Application Activity",
        "type_uid": 600399,
        "activity_id": 99,
        "activity_name": ev.event_type,
        "time": time_ms,
        "severity_id": 1,
        "metadata": {
            "version": "1.3.0",
            "uid": ev.event_id,
            "product": {
                "name": "openleash",
                "vendor_name": "openleash",
                "version": env!("CARGO_PKG_VERSION"),
            },
            "log_name": "audit",
        },
        "actor": {"user": {
            "uid": ev.principal_id,
            "name": s("agent_id").or(s("display_name")),
        }},
        "api": {"operation": s("action_type").unwrap_or(&ev.event_type)},
        "status_id": if failed { 2 } else { 1 },
        "status": if failed { "Failure" } else { "Success" },
        "unmapped": unmapped,
    });
    if ev.event_type == "DECISION_CREATED"
        && let Some(obj) = o.as_object_mut()
    {
        let result = s("result").unwrap_or("");
        let id = match result {
            "ALLOW" => 1,
            "DENY" => 2,
            _ => 99,
        };
        obj.insert("disposition_id".into(), json!(id));
        obj.insert(
            "disposition".into(),
            json!(match id {
                1 => "Allowed",
                2 => "Blocked",
                _ => result,
            }),
        );
    }
    o
}

#[cfg(test)]
mod store_tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::keys::ServerKey;
    use crate::store::pg::audit::{Chain, HeadSigner, publish_key};
    use crate::store::pg::testdb::TestDb;

    fn chain(db: &TestDb) -> Chain {
        let key = ServerKey::generate();
        publish_key(&mut *db.store.conn().unwrap(), &key, true).unwrap();
        let signer = HeadSigner {
            kid: key.kid.clone(),
            key: key.signing_key().unwrap(),
        };
        Chain::new(db.store.clone(), signer)
    }

    fn export(db: &TestDb, cursor: &Cursor, bounds: Bounds) -> (Vec<(u64, String)>, Cursor) {
        let mut got = Vec::new();
        let next = export_from_store(&db.store, cursor, bounds, &mut |ev, line| {
            got.push((ev.seq, String::from_utf8(line.to_vec()).unwrap()));
            Ok(())
        })
        .unwrap();
        (got, next)
    }

    #[test]
    fn the_database_chain_exports_page_by_page_and_resumes_at_its_cursor() {
        let Some(db) = TestDb::new("export_from_store") else {
            return;
        };
        let c = chain(&db);
        // More events than one page of the reader, so the keyset paging is crossed.
        for batch in 0..3 {
            let events = (0..900)
                .map(|i| NewEvent::new("E", serde_json::json!({"b": batch, "i": i})))
                .collect();
            c.append(events).unwrap();
        }
        let (all, cursor) = export(&db, &Cursor::default(), Bounds::default());
        assert_eq!(all.len(), 2700);
        assert!(
            all.iter()
                .enumerate()
                .all(|(i, (seq, _))| *seq == i as u64 + 1)
        );
        let lines: Vec<String> = db
            .store
            .conn()
            .unwrap()
            .query("SELECT line FROM audit_events ORDER BY seq", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(
            all.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(),
            lines
        );
        let last: AuditEvent = serde_json::from_str(&all[2699].1).unwrap();
        assert_eq!(cursor.seq, Some(2700));
        assert_eq!(cursor.hash, Some(last.hash));
        assert_eq!(cursor.offset, 0);

        // Nothing new: nothing again, and the cursor stays.
        let (none, same) = export(&db, &cursor, Bounds::default());
        assert!(none.is_empty());
        assert_eq!(same, cursor);

        // Events appended later are exported exactly once.
        c.append(vec![NewEvent::new("LATER", serde_json::json!({}))])
            .unwrap();
        let (later, next) = export(&db, &cursor, Bounds::default());
        assert_eq!(later.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [2701]);
        assert_eq!(next.seq, Some(2701));

        // A file log's cursor (a byte offset) continues after its seq.
        let file_cursor = Cursor {
            offset: 123_456,
            seq: Some(2699),
            hash: Some("from a file log".into()),
        };
        let (tail, _) = export(&db, &file_cursor, Bounds::default());
        assert_eq!(
            tail.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            [2700, 2701]
        );

        // Bounds filter what is emitted, the cursor still moves past what was read.
        let future = Bounds {
            since_ms: Some(i64::MAX),
            until_ms: None,
        };
        let (filtered, moved) = export(&db, &Cursor::default(), future);
        assert!(filtered.is_empty());
        assert_eq!(moved.seq, Some(2701));
    }
}
