//! The owner's tools for the states a crash (or a hand edit) leaves: `audit seal` signs lines no
//! head vouched for, after review; `audit repair` moves a torn last line aside. Both work under
//! the writer lock and record what they did in the log itself (`AUDIT_SEALED`,
//! `AUDIT_REPAIRED`), so the chain shows every such intervention.

use super::commit::{LogEnd, Restored, committer, open_log, read_tail};
use super::line::{GENESIS_HASH, sha256_hex};
use super::verify::{ProblemKind, VerifyReport, verify_locked};
use super::{AuditEvent, NewEvent};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use serde::Serialize;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeqRange {
    pub from_seq: u64,
    pub to_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorHead {
    pub seq: u64,
    pub hash: String,
    pub kid: String,
}

/// What `audit seal` will vouch for; shown to the owner before confirming, and checked again
/// under the lock so nothing appended after the review gets sealed unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealPlan {
    pub from_seq: Option<u64>,
    pub to_seq: Option<u64>,
    pub ranges: Vec<SeqRange>,
    /// The problems being resolved (`unsigned_tail`, `unsealed_range`, `head_missing`, …).
    pub reasons: Vec<ProblemKind>,
    pub prior_head: Option<PriorHead>,
}

/// The seal that would resolve `report`'s problems: `None` when the log is intact, an error when
/// sealing cannot help (a broken chain or a torn line).
pub fn seal_plan(report: &VerifyReport) -> Result<Option<SealPlan>> {
    use ProblemKind::*;
    if let Some(p) = report
        .problems
        .iter()
        .find(|p| p.kind == RestorableFromHead)
    {
        return Err(Error::new(
            ErrorCode::DataCorrupt,
            format!("cannot seal: {}", p.message),
        )
        .with_hint("run `openleash audit repair --yes` first: it writes the lines back, and nothing is left to seal"));
    }
    if let Some(p) = report.problems.iter().find(|p| p.kind == TornLastLine) {
        return Err(Error::new(
            ErrorCode::DataCorrupt,
            format!("cannot seal: {}", p.message),
        )
        .with_hint("run `openleash audit repair --yes` first, then seal"));
    }
    if let Some(p) = report
        .problems
        .iter()
        .find(|p| matches!(p.kind, BrokenLink | AnchorMismatch))
    {
        return Err(Error::new(
            ErrorCode::DataCorrupt,
            format!("cannot seal a broken chain: {}", p.message),
        )
        .with_hint("sealing signs the chain as it is and cannot mend it; restore audit.log.jsonl from a backup"));
    }
    if report.ok {
        return Ok(None);
    }
    let last = report.last_seq.unwrap_or(0);
    let mut reasons: Vec<ProblemKind> = Vec::new();
    for p in &report.problems {
        if !reasons.contains(&p.kind) {
            reasons.push(p.kind);
        }
    }
    let head_untrusted = reasons.iter().any(|k| {
        matches!(
            k,
            HeadMissing
                | HeadUnreadable
                | HeadUnknownKey
                | HeadSignatureInvalid
                | HeadMismatch
                | Truncated
        )
    });
    let ranges: Vec<SeqRange> = if head_untrusted {
        // Nothing anchors any line any more: the seal vouches for the whole log.
        (last > 0)
            .then_some(SeqRange {
                from_seq: 1,
                to_seq: last,
            })
            .into_iter()
            .collect()
    } else {
        report
            .problems
            .iter()
            .filter(|p| matches!(p.kind, UnsealedRange | UnsignedTail))
            .filter_map(|p| {
                Some(SeqRange {
                    from_seq: p.from_seq?,
                    to_seq: p.to_seq?,
                })
            })
            .collect()
    };
    Ok(Some(SealPlan {
        from_seq: ranges.iter().map(|r| r.from_seq).min(),
        to_seq: ranges.iter().map(|r| r.to_seq).max(),
        ranges,
        reasons,
        prior_head: report.head.as_ref().map(|h| PriorHead {
            seq: h.seq,
            hash: h.hash.clone(),
            kid: h.kid.clone(),
        }),
    }))
}

/// What `audit repair` did.
#[derive(Debug, Clone, Serialize)]
pub enum RepairOutcome {
    /// Wrote back the lines the head carries (see [`super::head`]).
    Restored(Restored),
    /// Moved a torn last line aside and recorded `AUDIT_REPAIRED`.
    MovedTorn(Box<MovedTorn>),
}

#[derive(Debug, Clone, Serialize)]
pub struct MovedTorn {
    pub torn_file: PathBuf,
    pub torn_bytes: u64,
    pub offset: u64,
    pub event: AuditEvent,
}

impl DataDir {
    /// Signs the log as it is after the owner reviewed `reviewed` (from [`seal_plan`]) and
    /// records `AUDIT_SEALED`. `Ok(None)` when there is nothing to seal (any more). Holds the
    /// writer lock for a full verify (about a second per million events): sealing is rare and
    /// must see exactly what it signs.
    pub fn audit_seal(&self, reviewed: &SealPlan) -> Result<Option<AuditEvent>> {
        let lock = self.lock()?;
        let report = verify_locked(self, &lock)?;
        let Some(plan) = seal_plan(&report)? else {
            return Ok(None);
        };
        if plan != *reviewed {
            return Err(Error::new(
                ErrorCode::InvalidStatus,
                "the audit log changed since it was reviewed; nothing was sealed",
            )
            .with_hint("run `openleash audit verify` and `openleash audit seal` again"));
        }
        let end = LogEnd {
            last_seq: report.last_seq.unwrap_or(0),
            last_hash: report
                .last_hash
                .clone()
                .unwrap_or_else(|| GENESIS_HASH.into()),
            unsealed: Vec::new(),
        };
        let (file, created) = open_log(self)?;
        let event = NewEvent::new(
            "AUDIT_SEALED",
            json!({
                "from_seq": plan.from_seq,
                "to_seq": plan.to_seq,
                "ranges": plan.ranges,
                "reasons": plan.reasons,
                "prior_head": plan.prior_head,
            }),
        );
        let written = committer(self).write(self, &file, created, end, vec![event])?;
        drop(lock);
        Ok(written.into_iter().next())
    }

    /// Lines the current head carries that the log lacks (a crash before the log's end reached
    /// the disk), as `(log_offset, from_seq, to_seq)`: what [`DataDir::audit_repair`] restores.
    pub fn audit_restorable(&self) -> Result<Option<(u64, u64, u64)>> {
        let path = self.audit_log_path();
        let file = match crate::store::fsio::open_read_nofollow(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::store::fsio::open_error("open", &path, e)),
        };
        Ok(super::commit::restorable(self, &file)?.map(|r| r.range()))
    }

    /// The torn end of the log, if any: `(offset, bytes)` of what follows the last newline.
    pub fn audit_torn(&self) -> Result<Option<(u64, u64)>> {
        let path = self.audit_log_path();
        let file = match crate::store::fsio::open_read_nofollow(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::store::fsio::open_error("open", &path, e)),
        };
        let io = |e| Error::io("read", &path, e);
        let len = file.metadata().map_err(io)?.len();
        let end = super::lines::complete_end(&file, len).map_err(io)?;
        Ok((end < len).then_some((end, len - end)))
    }

    /// Moves a torn last line to `audit.log.jsonl.torn-<timestamp>`, truncates the log to its
    /// last complete line and records `AUDIT_REPAIRED`. `Ok(None)` when the last line is whole.
    pub fn audit_repair(&self) -> Result<Option<RepairOutcome>> {
        let lock = self.lock()?;
        let c = committer(self);
        let (file, _) = open_log(self)?;
        if let Some(restored) = c.restore_from_head(self, &file)? {
            return Ok(Some(RepairOutcome::Restored(restored)));
        }
        let tail = read_tail(self, &file)?;
        if tail.complete_end == tail.len {
            return Ok(None);
        }
        // Check before changing anything that the complete part can be continued.
        let end = c.assess(self, &tail).map_err(|e| {
            let truncated = e
                .details
                .as_ref()
                .and_then(|d| d.get("audit_state"))
                .is_some_and(|s| s == "truncated");
            if truncated {
                Error::new(
                    ErrorCode::DataCorrupt,
                    "the torn line is covered by the signed head, so it was cut after it had been written completely: this is not a crash artifact; nothing was changed",
                )
                .with_hint("restore audit.log.jsonl from a backup")
            } else {
                e
            }
        })?;
        let path = self.audit_log_path();
        let offset = tail.complete_end;
        let mut torn = vec![0u8; (tail.len - offset) as usize];
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut r = &file;
            r.seek(SeekFrom::Start(offset))
                .and_then(|_| r.read_exact(&mut torn))
                .map_err(|e| Error::io("read", &path, e))?;
        }
        let torn_file = save_torn(self, &torn)?;
        file.set_len(offset)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io("truncate", &path, e))?;
        let name = torn_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let event = NewEvent::new(
            "AUDIT_REPAIRED",
            json!({
                "torn_file": name,
                "torn_bytes": torn.len(),
                "torn_sha256": sha256_hex(&torn),
                "offset": offset,
                "after_seq": end.last_seq,
            }),
        );
        let written = c.write(self, &file, false, end, vec![event])?;
        drop(lock);
        let event = written
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("repair wrote no event"))?;
        Ok(Some(RepairOutcome::MovedTorn(Box::new(MovedTorn {
            torn_file,
            torn_bytes: torn.len() as u64,
            offset,
            event,
        }))))
    }
}

/// Writes the torn bytes to a new `audit.log.jsonl.torn-<timestamp>[-N]` and makes it durable
/// before the log is cut, so a crash in between loses nothing.
fn save_torn(dd: &DataDir, bytes: &[u8]) -> Result<PathBuf> {
    let stamp = crate::timefmt::file_stamp(crate::timefmt::now());
    for n in 1..1000 {
        let name = if n == 1 {
            format!("audit.log.jsonl.torn-{stamp}")
        } else {
            format!("audit.log.jsonl.torn-{stamp}-{n}")
        };
        let path = dd.path(&name);
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("create", &path, e)),
        };
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::io("write", &path, e))?;
        crate::store::fsio::sync_dir(dd.root())?;
        return Ok(path);
    }
    Err(Error::new(
        ErrorCode::AlreadyExists,
        "too many audit.log.jsonl.torn-* files with the same timestamp",
    )
    .with_hint("move old torn files out of the data directory"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testutil::data_dir;
    use crate::audit::verify::verify;

    fn plan(dd: &DataDir) -> Option<SealPlan> {
        seal_plan(&verify(dd).unwrap()).unwrap()
    }

    #[test]
    fn crash_before_head_update_is_carried_until_sealed() {
        let (_t, dd) = data_dir(false);
        dd.append_audit(vec![NewEvent::new("A", json!({}))])
            .unwrap();
        let old_head = std::fs::read(dd.audit_head_path()).unwrap();
        dd.append_audit(vec![
            NewEvent::new("B", json!({})),
            NewEvent::new("C", json!({})),
        ])
        .unwrap();
        // The crash: lines 2-3 are durable but the head still says seq 1.
        std::fs::write(dd.audit_head_path(), &old_head).unwrap();

        // Appending continues (no outage) but records 2..=3 as unsealed, under signature.
        dd.append_audit(vec![NewEvent::new("D", json!({}))])
            .unwrap();
        let r = verify(&dd).unwrap();
        assert_eq!(
            r.problems.iter().map(|p| p.kind).collect::<Vec<_>>(),
            [ProblemKind::UnsealedRange]
        );
        assert_eq!(
            (r.problems[0].from_seq, r.problems[0].to_seq),
            (Some(2), Some(3))
        );
        dd.append_audit(vec![NewEvent::new("E", json!({}))])
            .unwrap();
        let p = plan(&dd).unwrap();
        assert_eq!(
            p.ranges,
            [SeqRange {
                from_seq: 2,
                to_seq: 3
            }]
        );
        let ev = dd.audit_seal(&p).unwrap().unwrap();
        assert_eq!((ev.seq, ev.event_type.as_str()), (6, "AUDIT_SEALED"));
        assert_eq!(ev.metadata_json["from_seq"], 2);
        assert_eq!(ev.metadata_json["to_seq"], 3);
        assert!(verify(&dd).unwrap().ok);
        assert!(plan(&dd).is_none());
        assert!(dd.audit_seal(&p).unwrap().is_none());
    }

    #[test]
    fn seal_refuses_a_log_that_changed_after_review_and_a_broken_chain() {
        let (_t, dd) = data_dir(false);
        dd.append_audit(vec![NewEvent::new("A", json!({}))])
            .unwrap();
        std::fs::remove_file(dd.audit_head_path()).unwrap();
        let p = plan(&dd).unwrap();
        assert_eq!(p.reasons, [ProblemKind::HeadMissing]);
        dd.append_audit(vec![NewEvent::new("B", json!({}))])
            .unwrap();
        assert_eq!(
            dd.audit_seal(&p).unwrap_err().code,
            ErrorCode::InvalidStatus
        );
        let text = std::fs::read_to_string(dd.audit_log_path()).unwrap();
        std::fs::write(dd.audit_log_path(), text.replace("\"B\"", "\"X\"")).unwrap();
        let e = seal_plan(&verify(&dd).unwrap()).unwrap_err();
        assert!(e.message.contains("broken chain"), "{}", e.message);
    }

    #[test]
    fn appending_refuses_torn_truncated_and_forged_states() {
        let (_t, dd) = data_dir(false);
        dd.append_audit(vec![
            NewEvent::new("A", json!({})),
            NewEvent::new("B", json!({})),
        ])
        .unwrap();
        let good = std::fs::read(dd.audit_log_path()).unwrap();
        let state = |e: Error| e.details.as_ref().unwrap()["audit_state"].clone();

        let mut torn = good.clone();
        torn.extend_from_slice(b"{\"seq\":3");
        std::fs::write(dd.audit_log_path(), &torn).unwrap();
        let e = dd
            .append_audit(vec![NewEvent::new("C", json!({}))])
            .unwrap_err();
        assert!(e.hint.as_deref().unwrap().contains("audit repair"));
        assert_eq!(state(e), "torn");
        assert_eq!(std::fs::read(dd.audit_log_path()).unwrap(), torn);

        let first_line_end = good.iter().position(|b| *b == b'\n').unwrap() + 1;
        std::fs::write(dd.audit_log_path(), &good[..first_line_end]).unwrap();
        let e = dd
            .append_audit(vec![NewEvent::new("C", json!({}))])
            .unwrap_err();
        assert_eq!(state(e), "truncated");

        std::fs::write(dd.audit_log_path(), &good).unwrap();
        let mut head =
            crate::audit::Head::current_in(&std::fs::read(dd.audit_head_path()).unwrap()).unwrap();
        head.timestamp = "2000-01-01T00:00:00.000Z".into();
        std::fs::write(dd.audit_head_path(), serde_json::to_vec(&head).unwrap()).unwrap();
        let e = dd
            .append_audit(vec![NewEvent::new("C", json!({}))])
            .unwrap_err();
        assert_eq!(state(e), "head_signature_invalid");
    }

    #[test]
    fn repair_moves_the_torn_line_aside() {
        let (_t, dd) = data_dir(false);
        dd.append_audit(vec![NewEvent::new("A", json!({}))])
            .unwrap();
        assert!(dd.audit_repair().unwrap().is_none());
        let good = std::fs::read(dd.audit_log_path()).unwrap();
        let mut torn = good.clone();
        torn.extend_from_slice(b"{\"seq\":2,\"event_id\"");
        std::fs::write(dd.audit_log_path(), &torn).unwrap();
        let Some(RepairOutcome::MovedTorn(out)) = dd.audit_repair().unwrap() else {
            panic!("no torn line moved")
        };
        assert_eq!(out.offset, good.len() as u64);
        assert_eq!(
            std::fs::read(&out.torn_file).unwrap(),
            b"{\"seq\":2,\"event_id\""
        );
        assert_eq!(
            (out.event.seq, out.event.event_type.as_str()),
            (2, "AUDIT_REPAIRED")
        );
        assert!(verify(&dd).unwrap().ok);
        let text = std::fs::read(dd.audit_log_path()).unwrap();
        assert!(text.starts_with(&good));

        // A torn line that the signed head covers was cut on purpose: refuse.
        let cut = text.len() - 10;
        std::fs::write(dd.audit_log_path(), &text[..cut]).unwrap();
        let e = dd.audit_repair().unwrap_err();
        assert!(e.message.contains("not a crash artifact"), "{}", e.message);
        assert_eq!(std::fs::read(dd.audit_log_path()).unwrap(), &text[..cut]);
    }
}
