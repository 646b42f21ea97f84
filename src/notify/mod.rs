//! Notifications (SPEC §16): events enqueued in a durable outbox inside the critical section of
//! the state change that caused them, delivered at least once by a dispatcher to agent webhooks
//! and owner channels, a live SSE feed for owners, and the approval lifecycle (expiry, reminders,
//! escalation).
//!
//! - [`event`] — event names and bodies (upstream-compatible), [`message`] — text for people.
//! - [`outbox`] — the queue on disk; [`dispatch`] — delivery, retries, dead letters, audit.
//! - [`webhook`], [`slack`], [`ntfy`], [`email`], [`command`] — one file per channel type.
//! - [`lifecycle`] — the sweeper behind EXPIRED, reminders and escalation.
//! - [`sse`] — fan-out of audit events to `GET /v1/owner/events/stream`.

pub mod command;
pub mod config;
pub mod dispatch;
pub mod email;
pub mod event;
pub mod lifecycle;
pub mod message;
pub mod ntfy;
pub mod outbox;
pub mod slack;
pub mod sse;
pub mod url;
pub mod webhook;

use crate::store::DataDir;
use std::path::Path;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Per data directory and process: the running dispatcher's wake-up channel, or the ids a CLI
/// command enqueued for its inline attempt.
#[derive(Default)]
pub(crate) struct Hub {
    waker: Mutex<Option<Sender<dispatch::Msg>>>,
    inline: Mutex<Vec<String>>,
    /// Approval requests known to be resolved (the sweeper skips their files).
    pub(crate) settled: Mutex<std::collections::HashSet<String>>,
}

impl Hub {
    pub(crate) fn set_waker(&self, tx: Option<Sender<dispatch::Msg>>) {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = tx;
    }
}

static HUBS: OnceLock<Mutex<crate::store::PerDataDir<Hub>>> = OnceLock::new();

pub(crate) fn hub(dd: &DataDir) -> Arc<Hub> {
    crate::store::per_data_dir(&HUBS, dd)
}

/// Most ids kept for an inline attempt that never comes (library use without a CLI).
const MAX_INLINE: usize = 10_000;

/// Call after the transaction holding new outbox entries committed: wakes this process's
/// dispatcher, or remembers the ids for the command's inline attempt.
pub fn enqueued(dd: &DataDir, ids: Vec<String>) {
    if ids.is_empty() {
        return;
    }
    let hub = hub(dd);
    if let Some(tx) = hub
        .waker
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        && tx.send(dispatch::Msg::Wake).is_ok()
    {
        return;
    }
    let mut inline = hub.inline.lock().unwrap_or_else(PoisonError::into_inner);
    if inline.len() < MAX_INLINE {
        inline.extend(ids);
    }
}

/// After a CLI command: one immediate attempt (short timeout) for what it enqueued, when
/// `notifications.inline` is on and no other dispatcher (a running server) holds the outbox —
/// that one picks the entries up within a second instead. Failures stay queued for retry.
pub fn flush_inline(data_dir: &Path) -> Option<dispatch::Stats> {
    let dd = DataDir::open(data_dir).ok()?;
    let ids = std::mem::take(
        &mut *hub(&dd)
            .inline
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    );
    if ids.is_empty() {
        return None;
    }
    let config = dd.config().ok()?;
    if !config.notifications.inline {
        return None;
    }
    let _lock = dispatch::try_dispatch_lock(&dd).ok()??;
    let mut opts = dispatch::Options::once(config.server.bind_address.parse().ok());
    opts.only = Some(ids);
    opts.sweep = false;
    opts.timeout = opts.timeout.min(std::time::Duration::from_secs(5));
    dispatch::run(&dd, opts).ok()
}

/// A secret from a file (`*_file`): relative paths are relative to the data directory; one
/// trailing newline is dropped.
pub fn read_secret_file(root: &Path, rel: &str) -> Result<String, String> {
    let p = root.join(rel);
    let s = std::fs::read_to_string(&p)
        .map_err(|e| format!("cannot read secret file {}: {e}", p.display()))?;
    Ok(s.strip_suffix('\n')
        .map(|x| x.strip_suffix('\r').unwrap_or(x))
        .unwrap_or(&s)
        .to_string())
}

/// A line on stderr for the operator (the server's log). Never carries a secret.
pub(crate) fn log(msg: &str) {
    eprintln!("{} openleash notify: {msg}", crate::timefmt::now_string());
}
