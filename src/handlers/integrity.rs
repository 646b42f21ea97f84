//! A broken audit chain found by the server's background verification (SPEC §16, issue 16):
//! the `AUDIT_INTEGRITY_FAILED` audit event and the `audit.integrity_failed` notification for
//! owner channels are written in one critical section, like every other state change and its events.

use crate::audit::integrity::{AUDIT_INTEGRITY_FAILED, describe, summary};
use crate::audit::{NewEvent, VerifyReport};
use crate::config::Config;
use crate::error::Result;
use crate::notify::event::Event;
use crate::store::{DataDir, Txn};

/// Records a newly found integrity failure: audited, and queued for every owner channel that
/// subscribes to `audit.integrity_failed`.
pub fn record_failure(dd: &DataDir, config: &Config, report: &VerifyReport) -> Result<()> {
    let details = summary(report);
    let lock = dd.lock()?;
    let mut txn = Txn::default();
    let event = Event::integrity_failed(details.clone(), describe(report), config);
    let notes = crate::notify::outbox::stage(dd, &mut txn, config, &event)?;
    txn.commit()?;
    dd.append_audit_locked(&lock, vec![NewEvent::new(AUDIT_INTEGRITY_FAILED, details)])?;
    drop(lock);
    crate::notify::enqueued(dd, notes);
    Ok(())
}
