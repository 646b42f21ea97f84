//! The approval lifecycle (SPEC §16): a PENDING request past `expires_at` becomes EXPIRED (here,
//! swept by the dispatcher every second, and lazily when someone reads or resolves it), with
//! `approval_request.expired` to the agent's webhook and owner channels; a reminder
//! (`approval_request.expiring`) `approval.remind_before_seconds` before expiry; and an optional
//! escalation to `notifications.escalation` channels after `approval.escalate_after_seconds`.

use super::event::{self, Event};
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::Result;
use crate::store::approvals::{ApprovalRequest, EXPIRED, PENDING};
use crate::store::{DataDir, Txn, WriteLock};
use crate::timefmt;
use serde_json::json;
use std::sync::PoisonError;

/// Marks `r` (stored PENDING, past its expiry) EXPIRED with its audit event and notifications.
/// The caller holds the writer lock and has just read `r`.
pub fn expire_locked(
    dd: &DataDir,
    lock: &WriteLock,
    config: &Config,
    r: &mut ApprovalRequest,
) -> Result<()> {
    r.status = EXPIRED.into();
    let mut txn = Txn::default();
    dd.stage_approval_request(&mut txn, r)?;
    let ids = super::outbox::stage(
        dd,
        &mut txn,
        config,
        &Event::approval_lifecycle(event::APPROVAL_EXPIRED, r, config),
    )?;
    txn.commit()?;
    dd.append_audit_locked(
        lock,
        vec![
            NewEvent::new(
                "APPROVAL_REQUEST_EXPIRED",
                json!({
                    "approval_request_id": r.approval_request_id,
                    "agent_principal_id": r.agent_principal_id,
                    "owner_id": r.owner_id,
                    "expires_at": r.expires_at,
                }),
            )
            .principal(&r.owner_id),
        ],
    )?;
    super::enqueued(dd, ids);
    Ok(())
}

/// Lazy expiry on read: records EXPIRED if `id` is stored PENDING but past its expiry.
/// Best effort: a reader never fails because of it.
pub fn expire_if_due(dd: &DataDir, id: &str) {
    let _ = (|| -> Result<()> {
        let lock = dd.lock()?;
        let Some(mut r) = dd.approval_request(id)? else {
            return Ok(());
        };
        if r.status == PENDING && r.is_expired(timefmt::now()) {
            let config = dd.config()?;
            expire_locked(dd, &lock, &config, &mut r)?;
        }
        Ok(())
    })();
}

/// One pass: expire, remind, escalate.
pub fn sweep(dd: &DataDir, config: &Config) -> Result<()> {
    let hub = super::hub(dd);
    let now = timefmt::now();
    let ids = dd.list_ids("approvals", "json")?;
    for id in ids {
        if !crate::ids::is_uuid_shaped(&id)
            || hub
                .settled
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(&id)
        {
            continue;
        }
        let Ok(Some(r)) = dd.approval_request(&id) else {
            continue;
        };
        if r.status != PENDING {
            hub.settled
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id);
            continue;
        }
        let Some(expires) = timefmt::parse(&r.expires_at) else {
            continue;
        };
        let remind = config.approval.remind_before_seconds;
        let escalate = config.approval.escalate_after_seconds;
        let due_expire = expires <= now;
        let due_remind = remind > 0
            && r.reminded_at.is_none()
            && timefmt::plus_seconds(expires, -i64::try_from(remind).unwrap_or(i64::MAX)) <= now;
        let due_escalate = escalate > 0
            && !config.notifications.escalation.is_empty()
            && r.escalated_at.is_none()
            && timefmt::parse(&r.created_at).is_some_and(|c| {
                timefmt::plus_seconds(c, i64::try_from(escalate).unwrap_or(i64::MAX)) <= now
            });
        if !(due_expire || due_remind || due_escalate) {
            continue;
        }
        let lock = dd.lock()?;
        // Re-read under the lock: an owner may have resolved it meanwhile.
        let Some(mut r) = dd.approval_request(&id)? else {
            continue;
        };
        if r.status != PENDING {
            continue;
        }
        if due_expire {
            expire_locked(dd, &lock, config, &mut r)?;
            continue;
        }
        let mut txn = Txn::default();
        let mut ids = Vec::new();
        let mut audit = Vec::new();
        if due_remind && r.reminded_at.is_none() {
            r.reminded_at = Some(timefmt::format(now));
            let ev = Event::approval_lifecycle(event::APPROVAL_EXPIRING, &r, config);
            ids.extend(super::outbox::stage(dd, &mut txn, config, &ev)?);
            audit.push(
                NewEvent::new(
                    "APPROVAL_REQUEST_EXPIRING",
                    json!({"approval_request_id": r.approval_request_id, "agent_principal_id": r.agent_principal_id, "owner_id": r.owner_id, "expires_at": r.expires_at}),
                )
                .principal(&r.owner_id),
            );
        }
        if due_escalate && r.escalated_at.is_none() {
            r.escalated_at = Some(timefmt::format(now));
            let ev = Event::approval_lifecycle(event::APPROVAL_ESCALATED, &r, config);
            ids.extend(super::outbox::stage_channels(
                dd,
                &mut txn,
                config,
                &ev,
                &config.notifications.escalation,
            )?);
            audit.push(
                NewEvent::new(
                    "APPROVAL_REQUEST_ESCALATED",
                    json!({"approval_request_id": r.approval_request_id, "agent_principal_id": r.agent_principal_id, "owner_id": r.owner_id, "channels": config.notifications.escalation}),
                )
                .principal(&r.owner_id),
            );
        }
        dd.stage_approval_request(&mut txn, &r)?;
        txn.commit()?;
        dd.append_audit_locked(&lock, audit)?;
        super::enqueued(dd, ids);
    }
    Ok(())
}
