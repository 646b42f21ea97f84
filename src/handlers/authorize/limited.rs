//! Group commit for decisions that an allow rule with `limits` could make.
//!
//! Check-and-consume must be atomic, so such a decision is evaluated under the writer lock with
//! the counters read fresh from the index, and its audit events are appended before the lock is
//! released. Taking the lock (plus the audit commit's fsyncs) once per decision would serialise
//! a busy server, so threads of one process queue their decisions and one of them (the leader)
//! decides everything queued in one critical section: it evaluates the decisions one after the
//! other against one in-memory history (each ALLOW's consumption is added before the next is
//! evaluated), appends all their events in one audit commit, and folds them into the index once.
//! Across processes the writer lock serialises the batches.

use super::{AuthorizeResponse, candidate_keys, decide, horizons};
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::notify::event::{Event, LIMITS_NEAR_CAP};
use crate::policy::CompiledPolicy;
use crate::policy::EffectivePolicy;
use crate::policy::limits::NearCap;
use crate::policy::limits::{Entry, LimitCx, ms_of};
use crate::store::agents::Agent;
use crate::store::limits::{LimitsIndex, Memo};
use crate::store::{DataDir, PerDataDir, Txn, per_data_dir};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

/// One decision waiting for the leader.
pub(super) struct Job {
    pub config: Config,
    pub agent: Agent,
    pub action: crate::action::ValidatedAction,
    /// Shared with the resolution cache (see [`crate::policy::resolve_for_agent`]).
    pub policy: Arc<EffectivePolicy>,
    pub called: NewEvent,
    pub now: time::OffsetDateTime,
}

#[derive(Default)]
struct Batcher {
    queue: Mutex<Queue>,
    turn: Condvar,
    /// The counters of the previous batch (only the leader touches it).
    memo: Mutex<Option<Memo>>,
}

#[derive(Default)]
struct Queue {
    pending: Vec<(u64, Job)>,
    next_ticket: u64,
    leader: bool,
    done: HashMap<u64, Result<AuthorizeResponse>>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn batcher(dd: &DataDir) -> Arc<Batcher> {
    static ALL: OnceLock<Mutex<PerDataDir<Batcher>>> = OnceLock::new();
    per_data_dir(&ALL, dd)
}

/// Decides `job` in the next batch and returns its own answer.
pub(super) fn submit(dd: &DataDir, job: Job) -> Result<AuthorizeResponse> {
    let b = batcher(dd);
    let mut q = locked(&b.queue);
    let ticket = q.next_ticket;
    q.next_ticket += 1;
    q.pending.push((ticket, job));
    loop {
        if let Some(result) = q.done.remove(&ticket) {
            return result;
        }
        if q.leader {
            q = b.turn.wait(q).unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        q.leader = true;
        let batch = std::mem::take(&mut q.pending);
        drop(q);
        let tickets: Vec<u64> = batch.iter().map(|(t, _)| *t).collect();
        let memo = locked(&b.memo).take();
        let (results, memo) = run_batch(dd, batch.into_iter().map(|(_, j)| j).collect(), memo);
        *locked(&b.memo) = memo;
        q = locked(&b.queue);
        for (t, r) in tickets.into_iter().zip(results) {
            q.done.insert(t, r);
        }
        q.leader = false;
        b.turn.notify_all();
    }
}

/// The leader's critical section (module docs). Returns one result per job, in order.
pub(super) fn run_batch(
    dd: &DataDir,
    jobs: Vec<Job>,
    memo: Option<Memo>,
) -> (Vec<Result<AuthorizeResponse>>, Option<Memo>) {
    let n = jobs.len();
    let all_fail = |e: &Error| ((0..n).map(|_| Err(e.duplicate())).collect::<Vec<_>>(), None);
    let lock = match dd.lock() {
        Ok(l) => l,
        Err(e) => return all_fail(&e),
    };
    // Every job carries the config it was decided with; the index follows the first one's.
    let fsync = jobs.first().is_none_or(|j| j.config.fsync_enabled());
    let mut index = match LimitsIndex::open_with(dd, &lock, memo, fsync) {
        Ok(ix) => ix,
        Err(e) => {
            // Audited when the log allows it; the limits error is the one to report either way
            // (a truncated log also stops the appender, with a less specific error).
            let called = jobs.into_iter().map(|j| j.called).collect();
            let _ = dd.append_audit_locked(&lock, called);
            return all_fail(&e);
        }
    };
    let mut keys = Vec::new();
    for j in &jobs {
        keys.extend(candidate_keys(
            &j.policy.policies(),
            &j.action,
            Some(&j.agent.owner_id),
        ));
    }
    let mut history = match index.load(&keys) {
        Ok(h) => h,
        Err(e) => return all_fail(&e),
    };
    let mut events = Vec::new();
    let mut results = Vec::with_capacity(n);
    let mut prune = HashMap::new();
    // `limits.near_cap` notifications, staged in this critical section with their decisions.
    let mut txn = Txn::default();
    let mut notes: Vec<String> = Vec::new();
    for job in jobs {
        let now_ms = ms_of(&crate::timefmt::format(job.now)).unwrap_or(0);
        let layers = job.policy.policies();
        let cx = LimitCx {
            now_ms,
            owner_id: Some(&job.agent.owner_id),
            history: &history,
        };
        let eval = crate::policy::evaluate_with(&layers, job.action.value(), &cx);
        // A counter file searched in place that could not be read: fail closed, as a counter
        // that cannot be loaded does (nothing of the batch was appended yet).
        if let Some(why) = history.error() {
            drop(history);
            return all_fail(&crate::store::limits::unreadable(why));
        }
        let near = near_caps(&job, &layers, &eval, &cx);
        for c in &eval.consumed {
            history.push(
                c.key.clone(),
                Entry {
                    seq: u64::MAX,
                    at_ms: now_ms,
                    amount_minor: c.amount_minor,
                    currency: c.currency.clone(),
                },
            );
        }
        prune.extend(horizons(&layers, &eval.consumed, now_ms));
        match decide(
            dd,
            &job.config,
            &job.agent,
            &job.action,
            &job.policy,
            eval,
            job.called,
            job.now,
        ) {
            Ok((evs, response)) => {
                for (rule_id, n) in &near {
                    let ev = Event::near_cap(
                        &job.agent,
                        rule_id,
                        n,
                        job.action.action_type(),
                        &response.decision_id,
                        &job.config,
                    );
                    match crate::notify::outbox::stage(dd, &mut txn, &job.config, &ev) {
                        Ok(ids) => notes.extend(ids),
                        // A notification that cannot be queued never fails the decision.
                        Err(e) => crate::notify::log(&format!(
                            "cannot queue {LIMITS_NEAR_CAP}: {}",
                            e.message
                        )),
                    }
                }
                events.extend(evs);
                results.push(Ok(response));
            }
            Err(e) => results.push(Err(e)),
        }
    }
    // The history borrows the index's counters; they change below.
    drop(history);
    if !notes.is_empty()
        && let Err(e) = txn.commit()
    {
        crate::notify::log(&format!("cannot queue {LIMITS_NEAR_CAP}: {}", e.message));
        notes.clear();
    }
    if let Err(e) = dd.append_audit_locked(&lock, events) {
        // The decisions did not happen: neither did the uses those notifications announce.
        for id in &notes {
            if let Ok(p) = crate::notify::outbox::entry_path(dd, crate::notify::outbox::PENDING, id)
            {
                let _ = std::fs::remove_file(p);
            }
        }
        let failed = results
            .into_iter()
            .map(|r| r.and_then(|_| Err(e.duplicate())))
            .collect();
        return (failed, None);
    }
    crate::notify::enqueued(dd, notes);
    // The decisions are durable; the index folds them in from the log (or does so next time).
    if index.catch_up_pruning(&lock, &prune).is_err() {
        return (results, None);
    }
    (results, index.into_memo())
}

/// Whether an owner channel listens for `limits.near_cap` of `owner_id`'s agents.
pub(super) fn listens_for_near_cap(config: &Config, owner_id: &str) -> bool {
    config
        .notifications
        .channels
        .iter()
        .any(|c| c.wants(LIMITS_NEAR_CAP, owner_id))
}

/// The limits `job`'s ALLOW moves across `notifications.near_cap_ratio` (with the matched rule's
/// id), computed only when an owner channel listens for `limits.near_cap` for the agent's owner:
/// otherwise the decision pays nothing for it. Call before the job's consumption joins the
/// history.
fn near_caps(
    job: &Job,
    layers: &[&CompiledPolicy],
    eval: &crate::policy::Evaluation,
    cx: &LimitCx<'_>,
) -> Vec<(String, NearCap)> {
    if eval.consumed.is_empty() || !listens_for_near_cap(&job.config, &job.agent.owner_id) {
        return Vec::new();
    }
    let Some(rule) = eval
        .matched_policy_index
        .and_then(|i| layers.get(i))
        .and_then(|p| {
            p.rules
                .iter()
                .find(|r| eval.matched_rule_id.as_deref() == Some(&*r.id))
        })
    else {
        return Vec::new();
    };
    crate::policy::limits::crossings(
        &rule.id,
        &rule.limits,
        job.action.value(),
        cx,
        job.config.notifications.near_cap_ratio,
    )
    .into_iter()
    .map(|n| (rule.id.to_string(), n))
    .collect()
}
