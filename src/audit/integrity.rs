//! The server's periodic `audit verify` (issue 16): an edit in the middle of the log is noticed
//! while the server runs, not only when someone runs `openleash audit verify`.
//!
//! [`Watch`] decides whether a check found something new; recording it (the
//! [`AUDIT_INTEGRITY_FAILED`] audit event and the `audit.integrity_failed` notification, in one
//! critical section) is `handlers::integrity::record_failure`, since notifications sit above the
//! audit log.

use super::VerifyReport;
use crate::error::Result;
use crate::store::DataDir;
use serde_json::json;

/// The audit event written when a background verification finds the log or its head broken.
pub const AUDIT_INTEGRITY_FAILED: &str = "AUDIT_INTEGRITY_FAILED";

/// What one check found.
#[derive(Debug)]
pub enum Outcome {
    Intact,
    /// Broken, and not the same finding as last time: to be logged, audited and announced.
    NewFailure(Box<VerifyReport>),
    /// Broken the same way as at the previous check.
    StillFailing,
}

/// Remembers the last finding so a broken log is reported once, not at every interval.
#[derive(Debug, Default)]
pub struct Watch {
    last: Option<String>,
}

impl Watch {
    /// Verifies the whole log. A failure is confirmed by a second run first: a writer in
    /// another process may be between appending its lines and updating the head.
    pub fn check(&mut self, dd: &DataDir) -> Result<Outcome> {
        let mut report = super::verify(dd)?;
        if !report.ok {
            report = super::verify(dd)?;
        }
        if report.ok {
            self.last = None;
            return Ok(Outcome::Intact);
        }
        let key = fingerprint(&report);
        if self.last.as_deref() == Some(key.as_str()) {
            return Ok(Outcome::StillFailing);
        }
        self.last = Some(key);
        Ok(Outcome::NewFailure(Box::new(report)))
    }
}

fn fingerprint(r: &VerifyReport) -> String {
    let first = r.problems.first();
    format!(
        "{:?}|{:?}|{}|{}",
        first.map(|p| p.kind),
        first.and_then(|p| p.seq.or(p.from_seq)),
        r.broken_links,
        r.problems.len()
    )
}

/// The event's metadata: what is wrong and where, without the log's content.
pub fn summary(r: &VerifyReport) -> serde_json::Value {
    let first = r.problems.first();
    json!({
        "problems": r.problems.len(),
        "broken_links": r.broken_links,
        "first_problem": first.map(|p| json!({
            "kind": p.kind,
            "message": p.message,
            "seq": p.seq,
            "line": p.line,
        })),
        "events": r.events,
        "last_seq": r.last_seq,
    })
}

/// One line for the server log.
pub fn describe(r: &VerifyReport) -> String {
    match r.problems.first() {
        Some(p) => format!(
            "audit integrity check failed: {} ({} problem(s)); run `openleash audit verify` for details",
            p.message,
            r.problems.len()
        ),
        None => "audit integrity check failed; run `openleash audit verify` for details".into(),
    }
}
