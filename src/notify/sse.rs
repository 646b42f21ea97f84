//! `GET /v1/owner/events/stream` (SPEC §16): server-sent events nudging an owner's portal or
//! client to re-fetch, shaped as upstream (`approval_created`, `approval_resolved`, `audit`),
//! each with `id:` = the audit `seq` of the event behind it so `Last-Event-ID` resumes without
//! loss, and a `: ping` comment every 15 s.
//!
//! Streams never occupy a request worker: the worker authenticates, writes nothing, and hands
//! the connection (tiny_http's raw writer) to a writer thread of its own; at most
//! `server.max_event_streams` are open (the next is refused with 503). One tail thread per data
//! directory follows the audit log and fans events out over bounded queues; a stream whose queue
//! fills (a consumer that cannot keep up) is closed, and a socket that stops taking data times
//! out on the listening socket's inherited send timeout.

use crate::audit::{AuditEvent, Filter};
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

pub const PATH: &str = "/v1/owner/events/stream";
/// Heartbeat comment interval.
pub const PING_EVERY: Duration = Duration::from_secs(15);
/// Events queued per stream before it counts as too slow and is closed.
const QUEUE: usize = 1024;
const COOKIE: &str = "openleash_session";

/// The events of one audit line, ready to write.
struct Frame {
    seq: u64,
    event: Arc<AuditEvent>,
}

struct Sub {
    owner_id: String,
    /// Agent principal ids known to be (true) or not be (false) this owner's.
    agents: HashMap<String, bool>,
    tx: SyncSender<Frame>,
}

#[derive(Default)]
struct Streams {
    open: AtomicUsize,
    subs: Mutex<(Vec<Sub>, bool)>,
}

static STREAMS: OnceLock<Mutex<crate::store::PerDataDir<Streams>>> = OnceLock::new();

fn streams(dd: &DataDir) -> Arc<Streams> {
    crate::store::per_data_dir(&STREAMS, dd)
}

/// Streams open now in this process for `dd`.
pub fn open_streams(dd: &DataDir) -> usize {
    streams(dd).open.load(Ordering::SeqCst)
}

/// The session token of a request: `Authorization: Bearer`, else the portal's cookie.
pub fn session_token<'a>(
    authorization: Option<&'a str>,
    cookie: Option<&'a str>,
) -> Option<&'a str> {
    if let Some(t) = authorization
        .and_then(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return Some(t);
    }
    cookie_value(cookie?, COOKIE)
}

/// One cookie's value from a `Cookie:` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k.trim() == name)
            .then(|| v.trim().trim_matches('"'))
            .filter(|v| !v.is_empty())
    })
}

/// The nudges upstream sends for one audit event (its own `audit` nudge, preceded by an
/// approval nudge for approval events).
pub fn nudges(ev: &AuditEvent) -> Vec<Value> {
    let agent = ev
        .metadata_json
        .get("agent_principal_id")
        .cloned()
        .unwrap_or(Value::Null);
    let mut out = Vec::new();
    match ev.event_type.as_str() {
        "APPROVAL_REQUEST_CREATED" => {
            out.push(json!({"type": "approval_created", "agent_principal_id": agent}));
        }
        "APPROVAL_REQUEST_APPROVED" | "APPROVAL_REQUEST_DENIED" | "APPROVAL_REQUEST_EXPIRED" => {
            let status = ev.event_type.trim_start_matches("APPROVAL_REQUEST_");
            out.push(
                json!({"type": "approval_resolved", "agent_principal_id": agent, "status": status}),
            );
        }
        _ => {}
    }
    out.push(json!({"type": "audit", "agent_principal_id": agent, "event_type": ev.event_type}));
    out
}

fn frame_text(seq: u64, ev: &AuditEvent) -> String {
    let mut s = String::new();
    for n in nudges(ev) {
        s.push_str(&format!("id: {seq}\ndata: {n}\n\n"));
    }
    s
}

impl Sub {
    /// Whether `ev` concerns this owner: the owner itself, or one of its agents.
    fn relevant(&mut self, dd: &DataDir, ev: &AuditEvent) -> bool {
        let m = &ev.metadata_json;
        let owner_hit = |v: Option<&str>| v.is_some_and(|v| v.eq_ignore_ascii_case(&self.owner_id));
        if owner_hit(ev.principal_id.as_deref())
            || owner_hit(m.get("owner_id").and_then(Value::as_str))
            || owner_hit(m.get("user_principal_id").and_then(Value::as_str))
        {
            return true;
        }
        for id in [
            m.get("agent_principal_id").and_then(Value::as_str),
            ev.principal_id.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            let owner = &self.owner_id;
            let mine = *self
                .agents
                .entry(id.to_ascii_lowercase())
                .or_insert_with(|| {
                    crate::ids::is_uuid_shaped(id)
                        && dd
                            .agent_by_principal(id)
                            .is_ok_and(|a| a.owner_id.eq_ignore_ascii_case(owner))
                });
            if mine {
                return true;
            }
        }
        false
    }
}

/// The tail: follows the audit log from `from` and fans events out until no stream is left.
fn spawn_tail(dd: DataDir, s: Arc<Streams>, from: u64) {
    let spawned = std::thread::Builder::new()
        .name("openleash-sse-tail".into())
        .spawn(move || {
            let dd2 = dd.clone();
            let r = dd.audit_follow(&Filter::default(), from, Duration::from_millis(50), |ev| {
                let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
                let ev = Arc::new(ev);
                g.0.retain_mut(|sub| {
                    if !sub.relevant(&dd2, &ev) {
                        // Still alive? A disconnected writer is noticed on its next event.
                        return true;
                    }
                    match sub.tx.try_send(Frame {
                        seq: ev.seq,
                        event: ev.clone(),
                    }) {
                        Ok(()) => true,
                        // Too slow or gone: dropping the sender ends its writer.
                        Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
                    }
                });
                if g.0.is_empty() {
                    g.1 = false;
                    return false;
                }
                true
            });
            if let Err(e) = r {
                super::log(&format!("event stream tail stopped: {}", e.message));
                let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
                g.0.clear();
                g.1 = false;
            }
        });
    if spawned.is_err() {
        super::log("cannot start the event stream tail thread");
    }
}

/// Counts a stream as open while it lives.
struct Slot(Arc<Streams>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reserves one of `max` stream slots, or `BUSY`.
fn reserve(s: &Arc<Streams>, max: usize) -> Result<Slot> {
    if s.open.fetch_add(1, Ordering::SeqCst) >= max {
        s.open.fetch_sub(1, Ordering::SeqCst);
        return Err(Error::new(
            ErrorCode::Busy,
            format!("{max} event streams are open, the most server.max_event_streams allows"),
        )
        .with_hint("close another stream (or tab), or raise server.max_event_streams"));
    }
    Ok(Slot(s.clone()))
}

/// A subscription waiting for its connection.
pub struct Stream {
    dd: DataDir,
    owner_id: String,
    resume_after: Option<u64>,
    rx: Receiver<Frame>,
    _slot: Slot,
}

/// Authenticates and subscribes (on the worker: quick, no I/O on the client's socket).
pub fn open(
    dd: &DataDir,
    max: usize,
    token: Option<&str>,
    last_event_id: Option<&str>,
) -> Result<Stream> {
    let token = token.ok_or_else(|| {
        Error::new(ErrorCode::InvalidSession, "Missing session token").with_hint(
            "log in with POST /v1/owner/login and send Authorization: Bearer <token> (or the portal's session cookie)",
        )
    })?;
    let owner = crate::handlers::owner::authenticate(dd, token)?;
    let s = streams(dd);
    let slot = reserve(&s, max)?;
    let resume_after = last_event_id.and_then(|v| v.trim().parse::<u64>().ok());
    let (tx, rx) = mpsc::sync_channel(QUEUE);
    {
        let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
        g.0.push(Sub {
            owner_id: owner.owner_id.clone(),
            agents: HashMap::new(),
            tx,
        });
        if !g.1 {
            // Start at the log's current end: anything older comes from the resume scan.
            let end = dd
                .audit_page(&Filter::default(), 0, 1)
                .map(|p| p.end_offset)
                .unwrap_or(0);
            g.1 = true;
            spawn_tail(dd.clone(), s.clone(), end);
        }
    }
    Ok(Stream {
        dd: dd.clone(),
        owner_id: owner.owner_id,
        resume_after,
        rx,
        _slot: slot,
    })
}

pub const HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache, no-transform\r\nConnection: close\r\nX-Accel-Buffering: no\r\nX-Content-Type-Options: nosniff\r\n\r\nretry: 3000\n: connected\n\n";

impl Stream {
    /// Writes the stream to `w` until the client leaves, the queue overflows or a write times
    /// out. Runs on the stream's own thread.
    pub fn serve(self, mut w: Box<dyn Write + Send>) {
        let write = |w: &mut Box<dyn Write + Send>, text: &str| -> bool {
            w.write_all(text.as_bytes())
                .and_then(|()| w.flush())
                .is_ok()
        };
        if !write(&mut w, HEAD) {
            return;
        }
        let mut last = 0u64;
        if let Some(after) = self.resume_after {
            // Backfill what the client missed; live frames queued meanwhile are de-duplicated by seq.
            let mut sub = Sub {
                owner_id: self.owner_id.clone(),
                agents: HashMap::new(),
                tx: mpsc::sync_channel(1).0,
            };
            let mut text = String::new();
            last = after;
            let _ = self.dd.audit_scan(&Filter::default(), 0, |ev| {
                if ev.seq > after && sub.relevant(&self.dd, &ev) {
                    text.push_str(&frame_text(ev.seq, &ev));
                    last = last.max(ev.seq);
                }
            });
            if !text.is_empty() && !write(&mut w, &text) {
                return;
            }
        }
        loop {
            match self.rx.recv_timeout(PING_EVERY) {
                Ok(f) => {
                    if f.seq <= last {
                        continue;
                    }
                    last = f.seq;
                    let mut text = frame_text(f.seq, &f.event);
                    // Coalesce what is already queued into one write.
                    while let Ok(f) = self.rx.try_recv() {
                        if f.seq > last {
                            last = f.seq;
                            text.push_str(&frame_text(f.seq, &f.event));
                        }
                    }
                    if !write(&mut w, &text) {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if !write(&mut w, ": ping\n\n") {
                        return;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_from_bearer_or_cookie() {
        assert_eq!(session_token(Some("Bearer abc"), None), Some("abc"));
        assert_eq!(
            session_token(None, Some("a=1; openleash_session=xyz; b=2")),
            Some("xyz")
        );
        assert_eq!(
            session_token(Some("Basic zzz"), Some("openleash_session=q")),
            Some("q")
        );
        assert_eq!(session_token(None, Some("other=1")), None);
        assert_eq!(session_token(None, None), None);
    }

    #[test]
    fn nudges_are_upstream_shaped() {
        let ev = AuditEvent {
            seq: 7,
            event_id: String::new(),
            timestamp: String::new(),
            event_type: "APPROVAL_REQUEST_DENIED".into(),
            principal_id: None,
            action_id: None,
            decision_id: None,
            metadata_json: json!({"agent_principal_id": "a"}),
            prev_hash: String::new(),
            hash: String::new(),
        };
        let n = nudges(&ev);
        assert_eq!(
            n[0],
            json!({"type": "approval_resolved", "agent_principal_id": "a", "status": "DENIED"})
        );
        assert_eq!(
            n[1],
            json!({"type": "audit", "agent_principal_id": "a", "event_type": "APPROVAL_REQUEST_DENIED"})
        );
        assert!(frame_text(7, &ev).starts_with("id: 7\ndata: {"));
    }
}
