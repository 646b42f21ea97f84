//! `audit verify`: one streaming pass over the log that checks every link, then the head.
//!
//! Per line only the fixed-position fields are parsed (`seq`, `prev_hash`, `hash`, see
//! [`super::line`]) and the raw prefix is hashed, so the cost is one SHA-256 of the line's bytes;
//! no JSON parse. The head and the file length are read together under the writer lock (held for
//! a moment only), so a commit in progress is never mistaken for an unsigned tail or truncation.

use super::head::{Head, HeadFile, SigCheck, UnsealedRange};
use super::line::{GENESIS_HASH, parse_raw};
use super::lines::{Scanned, Scanner};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{DataDir, WriteLock};
use serde::Serialize;
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A line whose seq, prev_hash or hash does not fit the chain, or that is not an event.
    BrokenLink,
    /// Bytes after the last newline.
    TornLastLine,
    HeadMissing,
    HeadUnreadable,
    HeadUnknownKey,
    HeadSignatureInvalid,
    /// The line at the head's seq has another hash.
    HeadMismatch,
    /// The log ends before the head's seq.
    Truncated,
    /// Lines after the head's seq.
    UnsignedTail,
    /// Lines the head records as adopted without review (see [`super::commit`]).
    UnsealedRange,
    /// The line before an unsealed range no longer has the hash recorded for it.
    AnchorMismatch,
    /// The log ends before the head, but the head carries the missing lines (a crash before
    /// the log's end reached the disk): `openleash audit repair` writes them back.
    RestorableFromHead,
}

/// One finding. `seq`/`line` locate it (line numbers count from 1); `field`, `expected` and
/// `found` say what differs; ranges use `from_seq`/`to_seq`.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

impl Problem {
    fn new(kind: ProblemKind, message: String) -> Problem {
        Problem {
            kind,
            message,
            seq: None,
            line: None,
            field: None,
            expected: None,
            found: None,
            from_seq: None,
            to_seq: None,
            offset: None,
            bytes: None,
        }
    }

    fn range(kind: ProblemKind, from: u64, to: u64, message: String) -> Problem {
        Problem {
            from_seq: Some(from),
            to_seq: Some(to),
            ..Problem::new(kind, message)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadReport {
    pub seq: u64,
    pub hash: String,
    pub kid: String,
    pub timestamp: String,
    /// `valid`, `invalid` or `unknown_key`.
    pub signature: &'static str,
    pub key_revoked: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsealed: Vec<UnsealedRange>,
}

/// The `audit verify` report (`--json` prints it as is).
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub log: String,
    pub bytes: u64,
    /// Complete lines.
    pub events: u64,
    pub last_seq: Option<u64>,
    pub last_hash: Option<String>,
    pub head: Option<HeadReport>,
    /// Lines that break the chain; only the first is listed in `problems`.
    pub broken_links: u64,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn has(&self, kind: ProblemKind) -> bool {
        self.problems.iter().any(|p| p.kind == kind)
    }
}

/// Verifies the log of `dd`: for a replica of a PostgreSQL store, the store's chain (the local
/// log is a copy of it; the signed head lives in the store).
pub fn verify(dd: &DataDir) -> Result<VerifyReport> {
    if let Some(store) = dd.pg()? {
        return crate::store::pg::audit::verify(&store.store);
    }
    verify_with_progress(dd, &mut |_, _| {})
}

/// [`verify`], calling `progress(bytes_done, bytes_total)` every few megabytes.
pub fn verify_with_progress(
    dd: &DataDir,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<VerifyReport> {
    // Without write access to `.lock` (a read-only copy of a data dir) verify still runs; the
    // only cost is that a commit racing with it could show up as an unsigned tail.
    let lock = match dd.lock() {
        Ok(l) => Some(l),
        Err(e) if e.code == ErrorCode::Io => None,
        Err(e) => return Err(e),
    };
    let (file, len, head, restorable) = snapshot(dd)?;
    drop(lock);
    run(dd, file, len, head, restorable, progress)
}

/// [`verify`] by a caller holding the writer lock (seal).
pub(crate) fn verify_locked(dd: &DataDir, _lock: &WriteLock) -> Result<VerifyReport> {
    let (file, len, head, restorable) = snapshot(dd)?;
    run(dd, file, len, head, restorable, &mut |_, _| {})
}

/// Lines the head carries that the log lacks: `(log_offset, from_seq, to_seq)`.
type Restorable = Option<(u64, u64, u64)>;

fn snapshot(dd: &DataDir) -> Result<(Option<File>, u64, HeadFile, Restorable)> {
    let head = dd.read_audit_head()?;
    let path = dd.audit_log_path();
    let file = match crate::store::fsio::open_read_nofollow(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, 0, head, None)),
        Err(e) => return Err(crate::store::fsio::open_error("open", &path, e)),
    };
    let len = file
        .metadata()
        .map_err(|e| Error::io("read", &path, e))?
        .len();
    // A conflict between the log and the carried lines is reported by the checks below.
    let restorable = super::commit::restorable(dd, &file)
        .ok()
        .flatten()
        .map(|r| r.range());
    Ok((Some(file), len, head, restorable))
}

/// What the pass over the lines found.
#[derive(Default)]
struct Scan {
    lines: u64,
    last: Option<(u64, String)>,
    breaks: u64,
    first_break: Option<Problem>,
    torn: Option<Problem>,
    /// Hashes of the lines the head checks need (first occurrence of each seq).
    captured: HashMap<u64, String>,
}

fn hex_str(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scan(
    file: impl Read,
    len: u64,
    needed: &[u64],
    path: &std::path::Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Scan> {
    const PROGRESS_EVERY: u64 = 8 << 20;
    let mut s = Scan::default();
    let mut scanner = Scanner::new(file.take(len), 0);
    let mut prev: Option<[u8; 64]> = GENESIS_HASH.as_bytes().try_into().ok();
    let mut expected_seq = Some(1u64);
    let mut next_report = PROGRESS_EVERY;
    loop {
        let item = scanner
            .next_line()
            .map_err(|e| Error::io("read", path, e))?;
        let Some(item) = item else { break };
        let (offset, line) = match item {
            Scanned::Line { offset, line } => (offset, line),
            Scanned::Torn { offset, bytes } => {
                s.torn = Some(Problem {
                    line: Some(s.lines + 1),
                    offset: Some(offset),
                    bytes: Some(bytes.len() as u64),
                    ..Problem::new(
                        ProblemKind::TornLastLine,
                        format!(
                            "line {} is torn: {} bytes at offset {offset} without a final newline (an interrupted write?); `openleash audit repair` moves them aside",
                            s.lines + 1,
                            bytes.len()
                        ),
                    )
                });
                break;
            }
        };
        s.lines += 1;
        let n = s.lines;
        if offset >= next_report {
            progress(offset, len);
            next_report = offset + PROGRESS_EVERY;
        }
        let raw = match parse_raw(line) {
            Ok(raw) => raw,
            Err(why) => {
                let mut p = Problem::new(
                    ProblemKind::BrokenLink,
                    format!("line {n} is not an audit event: it {why}"),
                );
                p.line = Some(n);
                p.field = Some("format");
                s.note_break(p);
                // Nothing to chain on: the next line is checked on its own.
                prev = None;
                expected_seq = None;
                continue;
            }
        };
        let hash_ok = raw.hash_matches();
        let problem = if let Some(exp) = expected_seq.filter(|e| *e != raw.seq) {
            let what = if raw.seq > exp {
                if exp + 1 == raw.seq {
                    format!("seq {exp} is missing (deleted?)")
                } else {
                    format!("seqs {exp}..={} are missing (deleted?)", raw.seq - 1)
                }
            } else {
                "lines are out of order or duplicated".to_string()
            };
            Some((
                "seq",
                format!("seq {exp}"),
                format!("seq {}", raw.seq),
                format!(
                    "line {n} has seq {} where seq {exp} belongs: {what}",
                    raw.seq
                ),
            ))
        } else if !hash_ok {
            Some((
                "hash",
                raw.computed_hash(),
                hex_str(raw.hash),
                format!(
                    "line {n} (seq {}) does not match its hash: its content was changed",
                    raw.seq
                ),
            ))
        } else {
            prev.filter(|p| p[..] != *raw.prev_hash).map(|p| {
                (
                    "prev_hash",
                    hex_str(&p),
                    hex_str(raw.prev_hash),
                    format!(
                        "line {n} (seq {}) does not link to the line before it: prev_hash differs from that line's hash (lines removed, reordered or inserted)",
                        raw.seq
                    ),
                )
            })
        };
        if let Some((field, expected, found, message)) = problem {
            let mut p = Problem::new(ProblemKind::BrokenLink, message);
            p.seq = Some(raw.seq);
            p.line = Some(n);
            p.field = Some(field);
            p.expected = Some(expected);
            p.found = Some(found);
            s.note_break(p);
        }
        if needed.binary_search(&raw.seq).is_ok() {
            s.captured
                .entry(raw.seq)
                .or_insert_with(|| hex_str(raw.hash));
        }
        prev = raw.hash.try_into().ok();
        expected_seq = raw.seq.checked_add(1);
        s.last = Some((raw.seq, hex_str(raw.hash)));
    }
    progress(len, len);
    Ok(s)
}

impl Scan {
    fn note_break(&mut self, p: Problem) {
        self.breaks += 1;
        if self.first_break.is_none() {
            self.first_break = Some(p);
        }
    }
}

/// The seqs whose hashes the scan must remember to judge `head` (its own, and the line before
/// each unsealed range).
fn needed_seqs(head: &HeadFile) -> Vec<u64> {
    let mut needed: Vec<u64> = Vec::new();
    if let HeadFile::Present(h, _) = head {
        needed.push(h.seq);
        needed.extend(h.unsealed.iter().map(|r| r.from_seq.saturating_sub(1)));
    }
    needed.sort_unstable();
    needed
}

/// How a head's problems are worded for where it is stored (`audit.head` in a data directory,
/// a table row in a database).
struct HeadWords {
    /// What the head is called ("audit.head").
    subject: &'static str,
    missing: fn(u64) -> String,
    unreadable: &'static str,
    /// Where a key must be for the head to be checked.
    unknown_key: &'static str,
}

const FILE_HEAD: HeadWords = HeadWords {
    missing: |n| {
        format!(
            "audit.head is missing: none of the {n} events is covered by a signed head; review them and run `openleash audit seal`"
        )
    },
    subject: "audit.head",
    unreadable: "audit.head cannot be read",
    unknown_key: "which is not in this data directory",
};

const STORED_HEAD: HeadWords = HeadWords {
    missing: |n| format!("the chain has {n} events but no signed head covers them"),
    subject: "the head",
    unreadable: "the signed head cannot be read",
    unknown_key: "which the store does not know",
};

/// Judges the signed head against the scanned chain: its problems go to `problems`, and the
/// report's `head` part is returned.
fn judge_head(
    head: HeadFile,
    s: &Scan,
    check: &dyn Fn(&Head) -> Result<SigCheck>,
    words: &HeadWords,
    problems: &mut Vec<Problem>,
) -> Result<Option<HeadReport>> {
    let last_seq = s.last.as_ref().map_or(0, |(seq, _)| *seq);
    match head {
        HeadFile::Missing => {
            if s.lines > 0 {
                problems.push(Problem::new(
                    ProblemKind::HeadMissing,
                    (words.missing)(s.lines),
                ));
            }
            Ok(None)
        }
        HeadFile::Unreadable(why) => {
            problems.push(Problem::new(
                ProblemKind::HeadUnreadable,
                format!("{}: {why}", words.unreadable),
            ));
            Ok(None)
        }
        HeadFile::Present(h, _) => {
            let sig = check(&h)?;
            let (signature, key_revoked) = match sig {
                SigCheck::Valid { revoked } => ("valid", revoked),
                SigCheck::Invalid => ("invalid", false),
                SigCheck::UnknownKey => ("unknown_key", false),
            };
            match sig {
                SigCheck::Valid { .. } => check_head(&h, s, last_seq, problems),
                SigCheck::Invalid => problems.push(Problem::new(
                    ProblemKind::HeadSignatureInvalid,
                    format!(
                        "the signature of {} (seq {}, key {}) is not valid: the head was changed",
                        words.subject, h.seq, h.kid
                    ),
                )),
                SigCheck::UnknownKey => problems.push(Problem::new(
                    ProblemKind::HeadUnknownKey,
                    format!(
                        "{} is signed with key {}, {}",
                        words.subject, h.kid, words.unknown_key
                    ),
                )),
            }
            Ok(Some(HeadReport {
                seq: h.seq,
                hash: h.hash,
                kid: h.kid,
                timestamp: h.timestamp,
                signature,
                key_revoked,
                unsealed: h.unsealed,
            }))
        }
    }
}

/// The report of a scanned chain.
fn report(
    log: String,
    bytes: u64,
    s: Scan,
    head: Option<HeadReport>,
    problems: Vec<Problem>,
) -> VerifyReport {
    VerifyReport {
        ok: problems.is_empty(),
        log,
        bytes,
        events: s.lines,
        last_seq: s.last.as_ref().map(|(seq, _)| *seq),
        last_hash: s.last.map(|(_, h)| h),
        head,
        broken_links: s.breaks,
        problems,
    }
}

fn run(
    dd: &DataDir,
    file: Option<File>,
    len: u64,
    head: HeadFile,
    restorable: Restorable,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<VerifyReport> {
    let path = dd.audit_log_path();
    let needed = needed_seqs(&head);
    let s = match file {
        Some(f) => scan(f, len, &needed, &path, progress)?,
        None => Scan::default(),
    };
    let mut problems: Vec<Problem> = s.first_break.iter().cloned().collect();
    if let Some((offset, from, to)) = restorable {
        // The torn line and the missing ones are all in the head: one problem, one fix.
        problems.push(Problem::range(
            ProblemKind::RestorableFromHead,
            from,
            to,
            format!(
                "audit.head carries the log's last lines (seq {from}..={to}, from byte {offset}) and the log has only part of them: a crash kept them from reaching the disk; the next audit write restores them, or run `openleash audit repair`"
            ),
        ));
    } else {
        problems.extend(s.torn.iter().cloned());
    }
    let head_report = judge_head(
        head,
        &s,
        &|h| dd.check_audit_head(h),
        &FILE_HEAD,
        &mut problems,
    )?;
    if restorable.is_some() && head_report.as_ref().is_some_and(|r| r.signature == "valid") {
        // The lines the head carries are not missing: they come back on the next write.
        problems.retain(|p| p.kind != ProblemKind::Truncated);
    }
    Ok(report(
        path.display().to_string(),
        len,
        s,
        head_report,
        problems,
    ))
}

/// Where the log ends relative to a validly signed head, and its unsealed ranges.
fn check_head(h: &Head, s: &Scan, last_seq: u64, problems: &mut Vec<Problem>) {
    if h.seq > last_seq {
        problems.push(Problem {
            seq: Some(h.seq),
            expected: Some(format!("seq {}", h.seq)),
            found: Some(format!("seq {last_seq}")),
            ..Problem::new(
                ProblemKind::Truncated,
                format!(
                    "the log ends at seq {last_seq} but the signed head is at seq {}: {} line(s) at the end were removed",
                    h.seq,
                    h.seq - last_seq
                ),
            )
        });
    } else if h.seq > 0 {
        match s.captured.get(&h.seq) {
            Some(found) if *found == h.hash => {}
            found => problems.push(Problem {
                seq: Some(h.seq),
                field: Some("hash"),
                expected: Some(h.hash.clone()),
                found: found.cloned(),
                ..Problem::new(
                    ProblemKind::HeadMismatch,
                    format!(
                        "the line with seq {} does not have the hash the signed head records",
                        h.seq
                    ),
                )
            }),
        }
    }
    if h.seq < last_seq {
        problems.push(Problem::range(
            ProblemKind::UnsignedTail,
            h.seq + 1,
            last_seq,
            format!(
                "unsigned tail: seq {}..={last_seq} ({} line(s)) come after the signed head (a crash before the head was updated, or lines appended by hand); review them and run `openleash audit seal`",
                h.seq + 1,
                last_seq - h.seq
            ),
        ));
    }
    for r in &h.unsealed {
        let anchor_seq = r.from_seq.saturating_sub(1);
        let anchor = if anchor_seq == 0 {
            Some(GENESIS_HASH.to_string())
        } else {
            s.captured.get(&anchor_seq).cloned()
        };
        if anchor.as_deref() != Some(r.anchor_hash.as_str()) {
            problems.push(Problem {
                seq: Some(anchor_seq),
                field: Some("hash"),
                expected: Some(r.anchor_hash.clone()),
                found: anchor,
                ..Problem::new(
                    ProblemKind::AnchorMismatch,
                    format!(
                        "the line with seq {anchor_seq} (just before unsealed seq {}..={}) no longer has the hash signed for it",
                        r.from_seq, r.to_seq
                    ),
                )
            });
        }
        problems.push(Problem::range(
            ProblemKind::UnsealedRange,
            r.from_seq,
            r.to_seq,
            format!(
                "seq {}..={} were found unsigned after a crash or a hand edit and have not been reviewed; review them and run `openleash audit seal`",
                r.from_seq, r.to_seq
            ),
        ));
    }
}

/// Verifies a chain kept outside the data directory (the PostgreSQL store, SPEC §19) with the
/// same per-line and head checks as the file log: `lines` yields the exact lines of the chain,
/// each ending in `\n`, in `seq` order; `head` is the signed head as stored (`Missing` when none
/// was written); `check` checks a head's signature against the store's keys. `log` names the
/// chain in the report. Problems only a file can have (torn lines restorable from the head)
/// cannot occur here.
pub fn verify_stream(
    log: String,
    lines: impl Read,
    head: HeadFile,
    check: &dyn Fn(&Head) -> Result<SigCheck>,
) -> Result<VerifyReport> {
    let needed = needed_seqs(&head);
    let mut counted = Counted {
        inner: lines,
        bytes: 0,
    };
    let s = scan(
        &mut counted,
        u64::MAX,
        &needed,
        std::path::Path::new(&log),
        &mut |_, _| {},
    )?;
    let mut problems: Vec<Problem> = s.first_break.iter().cloned().collect();
    problems.extend(s.torn.iter().cloned());
    let head_report = judge_head(head, &s, check, &STORED_HEAD, &mut problems)?;
    Ok(report(log, counted.bytes, s, head_report, problems))
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::NewEvent;
    use crate::audit::testutil::data_dir;
    use serde_json::json;

    fn log_with(n: usize) -> (tempfile::TempDir, DataDir) {
        let (t, dd) = data_dir(false);
        for i in 0..n {
            dd.append_audit(vec![NewEvent::new("E", json!({"i": i}))])
                .unwrap();
        }
        (t, dd)
    }

    fn lines(dd: &DataDir) -> Vec<String> {
        std::fs::read_to_string(dd.audit_log_path())
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    fn write_lines(dd: &DataDir, ls: &[String]) {
        let mut text = ls.join("\n");
        if !ls.is_empty() {
            text.push('\n');
        }
        std::fs::write(dd.audit_log_path(), text).unwrap();
    }

    fn kinds(r: &VerifyReport) -> Vec<ProblemKind> {
        r.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn empty_and_intact_logs_pass() {
        let (_t, dd) = data_dir(false);
        let r = verify(&dd).unwrap();
        assert!(r.ok && r.events == 0 && r.head.is_none());
        let (_t, dd) = log_with(5);
        let r = verify(&dd).unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.events, r.last_seq), (5, Some(5)));
        assert_eq!(r.head.unwrap().signature, "valid");
    }

    #[test]
    fn an_edited_line_is_named() {
        let (_t, dd) = log_with(5);
        let mut ls = lines(&dd);
        ls[2] = ls[2].replace("{\"i\":2}", "{\"i\":9}");
        write_lines(&dd, &ls);
        let r = verify(&dd).unwrap();
        assert!(!r.ok);
        let p = &r.problems[0];
        assert_eq!(
            (p.kind, p.seq, p.line, p.field),
            (ProblemKind::BrokenLink, Some(3), Some(3), Some("hash"))
        );
        assert_eq!(r.broken_links, 1);
    }

    #[test]
    fn deleted_reordered_and_truncated_lines_are_named() {
        let (_t, dd) = log_with(5);
        let orig = lines(&dd);
        let mut ls = orig.clone();
        ls.remove(1);
        write_lines(&dd, &ls);
        let p = &verify(&dd).unwrap().problems[0];
        assert_eq!((p.seq, p.line, p.field), (Some(3), Some(2), Some("seq")));
        assert!(p.message.contains("seq 2 is missing"), "{}", p.message);

        let mut ls = orig.clone();
        ls.swap(1, 2);
        write_lines(&dd, &ls);
        let p = &verify(&dd).unwrap().problems[0];
        assert_eq!((p.seq, p.line, p.field), (Some(3), Some(2), Some("seq")));

        write_lines(&dd, &orig[..3]);
        let r = verify(&dd).unwrap();
        assert_eq!(kinds(&r), [ProblemKind::Truncated]);
        assert_eq!(r.problems[0].seq, Some(5));
    }

    #[test]
    fn torn_line_unsigned_tail_and_head_problems() {
        let (_t, dd) = log_with(3);
        let orig = std::fs::read(dd.audit_log_path()).unwrap();
        let mut torn = orig.clone();
        torn.extend_from_slice(b"{\"seq\":4,\"event_");
        std::fs::write(dd.audit_log_path(), &torn).unwrap();
        let r = verify(&dd).unwrap();
        assert_eq!(kinds(&r), [ProblemKind::TornLastLine]);
        assert_eq!(r.problems[0].line, Some(4));
        assert_eq!(r.problems[0].offset, Some(orig.len() as u64));

        // A crash after the lines were written but before the head: simulate with an old head.
        std::fs::write(dd.audit_log_path(), &orig).unwrap();
        let head = std::fs::read(dd.audit_head_path()).unwrap();
        dd.append_audit(vec![NewEvent::new("E", json!({}))])
            .unwrap();
        std::fs::write(dd.audit_head_path(), &head).unwrap();
        let r = verify(&dd).unwrap();
        assert_eq!(kinds(&r), [ProblemKind::UnsignedTail]);
        assert_eq!(
            (r.problems[0].from_seq, r.problems[0].to_seq),
            (Some(4), Some(4))
        );

        let mut h = Head::current_in(&head).unwrap();
        h.seq = 2;
        std::fs::write(dd.audit_head_path(), serde_json::to_vec(&h).unwrap()).unwrap();
        assert_eq!(
            kinds(&verify(&dd).unwrap()),
            [ProblemKind::HeadSignatureInvalid]
        );
        std::fs::remove_file(dd.audit_head_path()).unwrap();
        assert_eq!(kinds(&verify(&dd).unwrap()), [ProblemKind::HeadMissing]);
        std::fs::write(dd.audit_head_path(), b"{").unwrap();
        assert_eq!(kinds(&verify(&dd).unwrap()), [ProblemKind::HeadUnreadable]);
    }

    #[test]
    fn a_line_hand_appended_with_a_valid_hash_is_an_unsigned_tail() {
        let (_t, dd) = log_with(2);
        let ls = lines(&dd);
        let last = crate::audit::line::parse_raw(ls[1].as_bytes()).unwrap();
        let mut out = Vec::new();
        let meta = json!({"forged": true});
        crate::audit::line::encode(
            &crate::audit::line::Body {
                seq: 3,
                event_id: "x",
                timestamp: "2024-01-01T00:00:00.000Z",
                event_type: "DECISION_CREATED",
                principal_id: None,
                action_id: None,
                decision_id: None,
                metadata_json: &meta,
                prev_hash: &hex_str(last.hash),
            },
            &mut out,
        )
        .unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dd.audit_log_path())
            .unwrap();
        std::io::Write::write_all(&mut f, &out).unwrap();
        let r = verify(&dd).unwrap();
        assert_eq!(kinds(&r), [ProblemKind::UnsignedTail]);
        assert_eq!(r.problems[0].from_seq, Some(3));
        assert_eq!(r.broken_links, 0);
    }

    /// The stream verifier (used for the PostgreSQL chain) finds what the file verifier finds.
    #[test]
    fn the_stream_verifier_agrees_with_the_file_verifier() {
        let (_t, dd) = log_with(4);
        let stream = |dd: &DataDir| {
            let bytes = std::fs::read(dd.audit_log_path()).unwrap();
            verify_stream(
                "rows".into(),
                &bytes[..],
                dd.read_audit_head().unwrap(),
                &|h| dd.check_audit_head(h),
            )
            .unwrap()
        };
        let (f, s) = (verify(&dd).unwrap(), stream(&dd));
        assert!(f.ok && s.ok, "{s:?}");
        assert_eq!(
            (s.events, s.last_seq, s.bytes),
            (f.events, f.last_seq, f.bytes)
        );
        let mut ls = lines(&dd);
        ls[1] = ls[1].replace("{\"i\":1}", "{\"i\":7}");
        write_lines(&dd, &ls);
        let (f, s) = (verify(&dd).unwrap(), stream(&dd));
        assert_eq!(kinds(&f), kinds(&s));
        assert_eq!(
            (s.problems[0].seq, s.problems[0].field),
            (f.problems[0].seq, f.problems[0].field)
        );
        write_lines(&dd, &lines(&dd)[..2]);
        assert_eq!(
            kinds(&stream(&dd)),
            [ProblemKind::BrokenLink, ProblemKind::Truncated]
        );
        let empty = verify_stream("rows".into(), &b""[..], HeadFile::Missing, &|_| {
            Ok(SigCheck::Invalid)
        })
        .unwrap();
        assert!(empty.ok && empty.events == 0);
    }
}
