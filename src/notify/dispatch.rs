//! The dispatcher (SPEC §16): delivers outbox entries at least once on a bounded pool of threads,
//! retries temporary failures with exponential backoff and ±20 % jitter (first retry within
//! 5 s, doubling, capped at 1 h, `Retry-After` honoured), dead-letters permanent failures and
//! entries out of attempts or age, and audits every attempt as upstream does
//! (`WEBHOOK_DELIVERED` / `WEBHOOK_DELIVERY_FAILED`, plus `NOTIFICATION_DEAD`).
//!
//! One dispatcher per data directory at a time: it holds `outbox/.dispatch.lock` (the server for
//! its lifetime, `notify run` while it runs, a CLI command for its one inline attempt), so two
//! processes never send the same entry at once. Results are recorded in batches: one writer
//! lock, one append to `delivered.jsonl` and one audit commit per batch.

use super::config::Channel;
use super::outbox::{self, DEAD, DELIVERED, Entry, PENDING, Target};
use super::webhook::Client;
use crate::audit::NewEvent;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::{DataDir, Txn};
use crate::timefmt;
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the outbox directory is scanned (entries enqueued by other processes are seen
/// within this; SPEC: at least every 5 s).
pub const SCAN_EVERY: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Entries handed to the delivery threads at most at once.
const JOB_QUEUE: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Delivered,
    Temporary,
    Permanent,
}

/// The outcome of one attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub kind: Kind,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub retry_after: Option<Duration>,
}

impl Attempt {
    pub fn delivered(status: u16) -> Attempt {
        Attempt {
            kind: Kind::Delivered,
            status: (status != 0).then_some(status),
            error: None,
            retry_after: None,
        }
    }
    pub fn temporary(status: Option<u16>, error: String, retry_after: Option<Duration>) -> Attempt {
        Attempt {
            kind: Kind::Temporary,
            status,
            error: Some(error),
            retry_after,
        }
    }
    pub fn permanent(status: Option<u16>, error: String) -> Attempt {
        Attempt {
            kind: Kind::Permanent,
            status,
            error: Some(error),
            retry_after: None,
        }
    }
}

pub(crate) enum Msg {
    Wake,
    Done(Box<Entry>, Attempt),
}

/// How a dispatcher runs.
#[derive(Clone)]
pub struct Options {
    /// Attempt each due entry once, then return (`notify run --once`, inline delivery).
    pub once: bool,
    /// Only these entries (inline delivery of what a command enqueued).
    pub only: Option<Vec<String>>,
    pub threads: usize,
    /// Per-attempt connect + response timeout.
    pub timeout: Duration,
    /// This server's listening address (never called).
    pub own: Option<SocketAddr>,
    pub stop: Arc<AtomicBool>,
    /// Also run the approval lifecycle sweeper (expiry, reminders, escalation).
    pub sweep: bool,
}

impl Options {
    /// A long-running dispatcher (`openleash start`, `notify run`).
    pub fn service(own: Option<SocketAddr>, stop: Arc<AtomicBool>) -> Options {
        Options {
            once: false,
            only: None,
            threads: 8,
            timeout: timeout_default(),
            own,
            stop,
            sweep: true,
        }
    }

    /// One pass over what is due now.
    pub fn once(own: Option<SocketAddr>) -> Options {
        Options {
            once: true,
            ..Options::service(own, Arc::new(AtomicBool::new(false)))
        }
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    pub delivered: u64,
    pub failed: u64,
    pub dead: u64,
}

fn env_ms(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()?
        .parse()
        .ok()
        .map(Duration::from_millis)
}

/// 10 s per attempt (`OPENLEASH_NOTIFY_TIMEOUT_MS` overrides, for tests).
pub fn timeout_default() -> Duration {
    env_ms("OPENLEASH_NOTIFY_TIMEOUT_MS").unwrap_or(Duration::from_secs(10))
}

/// Delay before the next attempt after `attempts` failed ones: `Retry-After` when given (capped
/// at 1 h), else 2 s × 2^(attempts−1) capped at 1 h, ±20 % jitter. `OPENLEASH_NOTIFY_RETRY_BASE_MS`
/// shortens the base for tests.
pub fn backoff(attempts: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(r) = retry_after {
        return r.min(MAX_BACKOFF);
    }
    let base = env_ms("OPENLEASH_NOTIFY_RETRY_BASE_MS").unwrap_or(Duration::from_secs(2));
    let exp = base
        .checked_mul(1u32 << attempts.saturating_sub(1).min(20))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    use rand::Rng;
    let jitter: f64 = rand::thread_rng().gen_range(0.8..=1.2);
    exp.mul_f64(jitter)
}

/// Holds `outbox/.dispatch.lock`; released on drop.
pub struct DispatchLock {
    _file: std::fs::File,
}

/// Takes the dispatcher lock if no other process holds it.
pub fn try_dispatch_lock(dd: &DataDir) -> Result<Option<DispatchLock>> {
    let dir = dd.path("outbox");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let path = dir.join(".dispatch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(DispatchLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io("lock", &path, e)),
    }
}

struct Job {
    entry: Box<Entry>,
    config: Arc<Config>,
}

#[derive(Default)]
struct LoopState {
    in_flight: HashSet<String>,
    /// Entries known not to be due before this time (saves re-reading their files every scan).
    not_before: HashMap<String, time::OffsetDateTime>,
    attempted: HashSet<String>,
    /// Pending ids of the last listing not yet submitted.
    queue: std::collections::VecDeque<String>,
    backlog: bool,
    stats: Stats,
    scans: u64,
}

/// Runs a dispatcher until `opts.stop` (or, with `once`, until each due entry had one attempt).
/// The caller holds the [`DispatchLock`].
pub fn run(dd: &DataDir, opts: Options) -> Result<Stats> {
    let mut config = Arc::new(dd.config()?);
    let (tx, rx) = mpsc::channel::<Msg>();
    let hub = super::hub(dd);
    if !opts.once {
        hub.set_waker(Some(tx.clone()));
    }
    let client = Client::new(opts.timeout, opts.own);
    let threads = opts.threads.max(1);
    // Deep enough that the workers keep delivering while a batch of results is being recorded
    // (its fsyncs): the batch then grows with the disk's latency instead of stalling delivery.
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(JOB_QUEUE);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let mut workers = Vec::new();
    for i in 0..threads {
        let (rx, tx, client, dd) = (job_rx.clone(), tx.clone(), client.clone(), dd.clone());
        let timeout = opts.timeout;
        let h = std::thread::Builder::new()
            .name(format!("openleash-notify-{i}"))
            .spawn(move || {
                loop {
                    let job = match rx.lock() {
                        Ok(g) => g.recv(),
                        Err(_) => break,
                    };
                    let Ok(job) = job else { break };
                    let attempt = deliver(&dd, &client, &job.config, &job.entry, timeout);
                    if tx.send(Msg::Done(job.entry, attempt)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| Error::internal(format!("cannot start a delivery thread: {e}")))?;
        workers.push(h);
    }
    drop(tx);
    // Deletes retired pending files in the background (never under the writer lock).
    let janitor = (!opts.once).then(|| {
        let (dd, stop) = (dd.clone(), opts.stop.clone());
        std::thread::Builder::new()
            .name("openleash-notify-trash".into())
            .spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match outbox::empty_trash(&dd, 64) {
                        Ok(64) => {}
                        _ => std::thread::sleep(Duration::from_millis(500)),
                    }
                }
            })
    });
    let mut st = LoopState::default();
    let mut next_scan = Instant::now();
    let result = (|| -> Result<()> {
        loop {
            if opts.stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            let wait = next_scan.saturating_duration_since(Instant::now());
            let mut scan_now = wait.is_zero();
            let mut msgs = Vec::new();
            if scan_now {
                if let Ok(m) = rx.try_recv() {
                    msgs.push(m);
                }
            } else {
                match rx.recv_timeout(wait.min(Duration::from_millis(250))) {
                    Ok(m) => msgs.push(m),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            while msgs.len() < 1024 {
                match rx.try_recv() {
                    Ok(m) => msgs.push(m),
                    Err(_) => break,
                }
            }
            let mut done = Vec::new();
            for m in msgs {
                match m {
                    Msg::Wake => scan_now = true,
                    Msg::Done(e, a) => done.push((e, a)),
                }
            }
            // Room in the job queue again: refill it from the last listing (no new scan).
            let mut refill = false;
            if !done.is_empty() {
                if let Err(e) = record(dd, &config, &mut st, done) {
                    super::log(&format!(
                        "cannot record notification attempts: {}",
                        e.message
                    ));
                }
                refill = st.backlog || opts.once;
            }
            if scan_now {
                if let Ok(c) = dd.config() {
                    config = Arc::new(c);
                }
                if opts.sweep
                    && let Err(e) = super::lifecycle::sweep(dd, &config)
                {
                    super::log(&format!("approval sweeper: {}", e.message));
                }
                list(dd, &mut st, &opts)?;
                next_scan = Instant::now() + SCAN_EVERY;
            }
            if scan_now || refill {
                let submitted = submit(dd, &config, &mut st, &job_tx, &opts);
                if opts.once && submitted == 0 && st.in_flight.is_empty() && st.queue.is_empty() {
                    return Ok(());
                }
            }
        }
    })();
    // Let the workers finish what they hold (bounded by the attempt timeout), then record it.
    drop(job_tx);
    if !opts.once {
        hub.set_waker(None);
    }
    for w in workers {
        let _ = w.join();
    }
    if let Some(Ok(j)) = janitor {
        let _ = j.join();
    }
    let mut rest = Vec::new();
    while let Ok(m) = rx.try_recv() {
        if let Msg::Done(e, a) = m {
            rest.push((e, a));
        }
    }
    if !rest.is_empty() {
        record(dd, &config, &mut st, rest)?;
    }
    result?;
    Ok(st.stats)
}

/// Lists the pending entries into the submission queue (a full scan: timer or wake-up).
fn list(dd: &DataDir, st: &mut LoopState, opts: &Options) -> Result<()> {
    st.scans += 1;
    if st.scans.is_multiple_of(30) {
        // Another process (`notify retry`) may have made an entry due early.
        st.not_before.clear();
    }
    let ids = match &opts.only {
        Some(only) if st.scans == 1 => only.clone(),
        Some(_) => Vec::new(),
        None => outbox::ids(dd, PENDING)?,
    };
    st.queue = ids.into();
    Ok(())
}

/// Submits due entries from the queue until the job queue is full (then `backlog`).
fn submit(
    dd: &DataDir,
    config: &Arc<Config>,
    st: &mut LoopState,
    jobs: &SyncSender<Job>,
    opts: &Options,
) -> usize {
    st.backlog = false;
    let now = timefmt::now();
    let mut submitted = 0;
    while let Some(id) = st.queue.pop_front() {
        if st.in_flight.contains(&id) || (opts.once && st.attempted.contains(&id)) {
            continue;
        }
        if st.not_before.get(&id).is_some_and(|t| *t > now) {
            continue;
        }
        // A file that vanished was delivered or dead-lettered meanwhile; an unreadable one is
        // reported by `notify list` and skipped here.
        let Ok(Some(entry)) = outbox::read(dd, PENDING, &id) else {
            st.not_before.remove(&id);
            continue;
        };
        if let Some(t) = timefmt::parse(&entry.next_attempt_at)
            && t > now
        {
            st.not_before.insert(id, t);
            continue;
        }
        match jobs.try_send(Job {
            entry: Box::new(entry),
            config: config.clone(),
        }) {
            Ok(()) => {
                st.in_flight.insert(id.clone());
                st.attempted.insert(id);
                submitted += 1;
            }
            Err(TrySendError::Full(_)) => {
                st.queue.push_front(id);
                st.backlog = true;
                break;
            }
            Err(TrySendError::Disconnected(_)) => break,
        }
    }
    submitted
}

/// One attempt for one entry.
fn deliver(
    dd: &DataDir,
    client: &Client,
    config: &Config,
    e: &Entry,
    timeout: Duration,
) -> Attempt {
    match &e.target {
        Target::Agent {
            agent_principal_id,
            url,
        } => {
            let agent = match dd.agent_by_principal(agent_principal_id) {
                Ok(a) => a,
                Err(err) => {
                    return Attempt::permanent(
                        None,
                        format!("agent {agent_principal_id}: {}", err.message),
                    );
                }
            };
            let body = e.event.agent_body();
            let headers = super::webhook::signed_headers(
                &e.id,
                body.as_bytes(),
                &agent.webhook_secret,
                &agent.webhook_auth_token,
            );
            client.post(url, &headers, body.as_bytes())
        }
        Target::Channel { name, .. } => match config.notifications.channel(name) {
            None => Attempt::permanent(
                None,
                format!("channel `{name}` is no longer in config.yaml"),
            ),
            Some(ch) => deliver_channel(dd, client, config, ch, e, timeout),
        },
        Target::Email { to } => super::email::send_to(
            &config.notifications.smtp,
            std::slice::from_ref(to),
            &e.event,
            &e.id,
            dd.root(),
            timeout,
        ),
    }
}

fn deliver_channel(
    dd: &DataDir,
    client: &Client,
    config: &Config,
    ch: &Channel,
    e: &Entry,
    timeout: Duration,
) -> Attempt {
    match ch.kind.as_str() {
        "webhook" => {
            let secret = if ch.secret_file.is_empty() {
                ch.secret.clone()
            } else {
                match super::read_secret_file(dd.root(), &ch.secret_file) {
                    Ok(s) => s,
                    Err(why) => return Attempt::temporary(None, why, None),
                }
            };
            let body = e.event.owner_body();
            let headers = super::webhook::signed_headers(&e.id, body.as_bytes(), &secret, "");
            client.post(&ch.url, &headers, body.as_bytes())
        }
        "slack" => {
            let body = super::slack::body(&e.event);
            client.post(
                &ch.url,
                &[("Content-Type", "application/json".into())],
                body.as_bytes(),
            )
        }
        "ntfy" => client.post(
            &ch.url,
            &super::ntfy::headers(&e.event),
            &super::ntfy::body(&e.event),
        ),
        "email" => super::email::send(
            &config.notifications.smtp,
            ch,
            &e.event,
            &e.id,
            dd.root(),
            timeout,
        ),
        "command" => super::command::run(&ch.command, &e.event, &e.id, timeout),
        other => Attempt::permanent(None, format!("unknown channel type {other}")),
    }
}

fn attempt_meta(e: &Entry, a: &Attempt) -> serde_json::Value {
    let mut m = json!({
        "notification_id": e.id,
        "event_type": e.event.event_type,
        "agent_principal_id": e.event.agent_principal_id,
        "attempt": e.attempts,
    });
    match &e.target {
        Target::Agent { url, .. } => {
            m["webhook_url"] = json!(url);
            m["target"] = json!("agent");
        }
        Target::Channel { name, channel_type } => {
            m["target"] = json!("channel");
            m["channel"] = json!(name);
            m["channel_type"] = json!(channel_type);
        }
        Target::Email { to } => {
            m["target"] = json!("email");
            m["recipient"] = json!(super::outbox::mask_address(to));
        }
    }
    if let Some(s) = a.status {
        m["status_code"] = json!(s);
    }
    if let Some(err) = &a.error {
        m["error"] = json!(err);
    }
    m
}

/// Records a batch of attempts under one writer lock: delivered ones appended to the delivered
/// log (durable before their pending files go), retries rescheduled, dead letters moved, and one
/// audit event per attempt.
fn record(
    dd: &DataDir,
    config: &Config,
    st: &mut LoopState,
    done: Vec<(Box<Entry>, Attempt)>,
) -> Result<()> {
    for (e, _) in &done {
        st.in_flight.remove(&e.id);
    }
    let lock = dd.lock()?;
    let now = timefmt::now();
    let now_s = timefmt::format(now);
    let mut txn = Txn::default();
    let mut delivered = Vec::new();
    let mut audit = Vec::new();
    // Pending files of delivered and dead entries, moved out once their new state is durable.
    let mut done_ids = Vec::new();
    let retry = &config.notifications.retry;
    for (e, a) in done {
        let mut e = *e;
        e.attempts += 1;
        e.last_attempt_at = Some(now_s.clone());
        e.last_status_code = a.status;
        let principal = match &e.target {
            Target::Agent {
                agent_principal_id, ..
            } => agent_principal_id.clone(),
            Target::Channel { .. } | Target::Email { .. } => e.event.owner_id.clone(),
        };
        let meta = attempt_meta(&e, &a);
        let pending_path = outbox::entry_path(dd, PENDING, &e.id)?;
        if a.kind == Kind::Delivered {
            e.status = DELIVERED.into();
            e.delivered_at = Some(now_s.clone());
            e.last_error = None;
            audit.push(NewEvent::new("WEBHOOK_DELIVERED", meta).principal(&principal));
            done_ids.push(e.id.clone());
            st.not_before.remove(&e.id);
            st.stats.delivered += 1;
            delivered.push(e);
            continue;
        }
        st.stats.failed += 1;
        e.last_error = a.error.clone();
        audit.push(NewEvent::new("WEBHOOK_DELIVERY_FAILED", meta).principal(&principal));
        let age = timefmt::parse(&e.created_at)
            .map(|t| (now - t).whole_seconds())
            .unwrap_or(0);
        let out_of_attempts = u64::from(e.attempts) >= retry.max_attempts;
        let too_old = u64::try_from(age).unwrap_or(0) >= retry.max_age_seconds;
        if a.kind == Kind::Permanent || out_of_attempts || too_old {
            let reason = if a.kind == Kind::Permanent {
                "permanent failure"
            } else if out_of_attempts {
                "out of attempts"
            } else {
                "too old"
            };
            e.status = DEAD.into();
            e.dead_at = Some(now_s.clone());
            txn.write_mode(
                &outbox::entry_path(dd, DEAD, &e.id)?,
                crate::store::to_json_pretty(&e)?,
                0o600,
            );
            done_ids.push(e.id.clone());
            audit.push(
                NewEvent::new(
                    "NOTIFICATION_DEAD",
                    json!({
                        "notification_id": e.id,
                        "event_type": e.event.event_type,
                        "target": e.target.label(),
                        "attempts": e.attempts,
                        "reason": reason,
                        "last_error": e.last_error,
                    }),
                )
                .principal(&principal),
            );
            st.not_before.remove(&e.id);
            st.stats.dead += 1;
            super::log(&format!(
                "notification {} to {} is dead after {} attempt(s) ({reason}: {}); `openleash notify retry {}` sends it again",
                e.id,
                e.target.label(),
                e.attempts,
                e.last_error.as_deref().unwrap_or(""),
                e.id
            ));
        } else {
            let next = now + backoff(e.attempts, a.retry_after);
            e.next_attempt_at = timefmt::format(next);
            txn.write_mode(&pending_path, crate::store::to_json_pretty(&e)?, 0o600);
            st.not_before.insert(e.id.clone(), next);
        }
    }
    outbox::append_delivered(dd, &delivered)?;
    txn.commit()?;
    outbox::retire(dd, &done_ids)?;
    dd.append_audit_locked(&lock, audit)?;
    Ok(())
}

/// The dispatcher of `openleash start`: waits for the dispatcher lock (a `notify run` may hold
/// it), then delivers until `stop`.
pub fn spawn_service(
    dd: &DataDir,
    own: SocketAddr,
    stop: Arc<AtomicBool>,
) -> Option<std::thread::JoinHandle<()>> {
    let dd = dd.clone();
    std::thread::Builder::new()
        .name("openleash-notify".into())
        .spawn(move || {
            let mut said = false;
            let _lock = loop {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                match try_dispatch_lock(&dd) {
                    Ok(Some(l)) => break l,
                    Ok(None) => {
                        if !said {
                            super::log("another process (`openleash notify run`?) is delivering notifications; waiting for it to stop");
                            said = true;
                        }
                        std::thread::sleep(Duration::from_millis(500));
                    }
                    Err(e) => {
                        super::log(&format!("notifications are not delivered: {}", e.message));
                        return;
                    }
                }
            };
            if let Err(e) = run(&dd, Options::service(Some(own), stop)) {
                super::log(&format!("the dispatcher stopped: {}", e.message));
            }
        })
        .ok()
}

/// `notify test CHANNEL`: one attempt with a sample event, outside the outbox.
pub fn test_channel(dd: &DataDir, config: &Config, name: &str) -> Result<Attempt> {
    let ch = config.notifications.channel(name).ok_or_else(|| {
        let names: Vec<&str> = config
            .notifications
            .channels
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        Error::new(
            crate::error::ErrorCode::NotFound,
            format!("no channel named `{name}` in notifications.channels"),
        )
        .with_hint(if names.is_empty() {
            "add one under notifications.channels in config.yaml (see README \"Getting notified\")"
                .to_string()
        } else {
            format!("channels: {}", names.join(", "))
        })
    })?;
    let entry = Entry {
        id: crate::ids::new_id(),
        created_at: timefmt::now_string(),
        target: Target::Channel {
            name: ch.name.clone(),
            channel_type: ch.kind.clone(),
        },
        event: super::event::Event::sample(config),
        status: PENDING.into(),
        attempts: 0,
        next_attempt_at: timefmt::now_string(),
        last_attempt_at: None,
        last_status_code: None,
        last_error: None,
        delivered_at: None,
        dead_at: None,
    };
    let timeout = timeout_default();
    let client = Client::new(timeout, config.server.bind_address.parse().ok());
    Ok(deliver_channel(dd, &client, config, ch, &entry, timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        for _ in 0..50 {
            let first = backoff(1, None);
            assert!(first >= Duration::from_millis(1600) && first <= Duration::from_millis(2400));
            let third = backoff(3, None);
            assert!(third >= Duration::from_millis(6400) && third <= Duration::from_millis(9600));
            assert!(backoff(30, None) <= MAX_BACKOFF.mul_f64(1.2));
        }
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30))),
            Duration::from_secs(30)
        );
        assert_eq!(backoff(1, Some(Duration::from_secs(99_999))), MAX_BACKOFF);
    }
}
