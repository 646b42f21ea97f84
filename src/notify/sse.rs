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
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

pub const PATH: &str = "/v1/owner/events/stream";
/// Heartbeat comment interval.
pub const PING_EVERY: Duration = Duration::from_secs(15);
/// Frames (one per log read, i.e. per 50 ms) queued per stream before it counts as too slow and
/// is closed.
const QUEUE: usize = 64;
const COOKIE: &str = "openleash_session";

/// What one read of the log brought a stream: each event's seq and its nudges (formatted once
/// for all streams). One frame per stream per read, so a busy log wakes a writer at most once per
/// poll instead of once per event.
struct Frame {
    items: Vec<(u64, Arc<str>)>,
}

/// The fields of an audit line the stream needs; the rest of the line is skipped unparsed.
#[derive(serde::Deserialize)]
struct Line<'a> {
    seq: u64,
    #[serde(borrow)]
    event_type: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    principal_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    metadata_json: Meta<'a>,
}

#[derive(serde::Deserialize, Default)]
struct Meta<'a> {
    #[serde(borrow, default)]
    agent_principal_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    owner_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    user_principal_id: Option<std::borrow::Cow<'a, str>>,
}

/// Who an audit event concerns (for relevance) and what its nudges say.
struct Concern<'a> {
    seq: u64,
    event_type: &'a str,
    principal_id: Option<&'a str>,
    agent_principal_id: Option<&'a str>,
    owner_id: Option<&'a str>,
    user_principal_id: Option<&'a str>,
}

impl<'a> Concern<'a> {
    fn of_line(l: &'a Line<'a>) -> Concern<'a> {
        Concern {
            seq: l.seq,
            event_type: &l.event_type,
            principal_id: l.principal_id.as_deref(),
            agent_principal_id: l.metadata_json.agent_principal_id.as_deref(),
            owner_id: l.metadata_json.owner_id.as_deref(),
            user_principal_id: l.metadata_json.user_principal_id.as_deref(),
        }
    }

    fn of_event(ev: &'a AuditEvent) -> Concern<'a> {
        let m = |k: &str| ev.metadata_json.get(k).and_then(Value::as_str);
        Concern {
            seq: ev.seq,
            event_type: &ev.event_type,
            principal_id: ev.principal_id.as_deref(),
            agent_principal_id: m("agent_principal_id"),
            owner_id: m("owner_id"),
            user_principal_id: m("user_principal_id"),
        }
    }
}

struct Sub {
    owner_id: String,
    /// Agent principal ids known to be (true) or not be (false) this owner's.
    agents: HashMap<String, bool>,
    tx: SyncSender<Frame>,
    /// The log's end when it subscribed: lines before it happened before the client connected
    /// (a page rendered after them must not be told of them and reload), and a resume
    /// (`Last-Event-ID`) reads them itself.
    from: u64,
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
    let c = Concern::of_event(ev);
    nudges_of(c.event_type, c.agent_principal_id)
}

fn nudges_of(event_type: &str, agent: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    match event_type {
        "APPROVAL_REQUEST_CREATED" => {
            out.push(json!({"type": "approval_created", "agent_principal_id": agent}));
        }
        "APPROVAL_REQUEST_APPROVED" | "APPROVAL_REQUEST_DENIED" | "APPROVAL_REQUEST_EXPIRED" => {
            let status = event_type.trim_start_matches("APPROVAL_REQUEST_");
            out.push(
                json!({"type": "approval_resolved", "agent_principal_id": agent, "status": status}),
            );
        }
        _ => {}
    }
    out.push(json!({"type": "audit", "agent_principal_id": agent, "event_type": event_type}));
    out
}

fn frame_text(c: &Concern<'_>) -> String {
    let mut s = String::new();
    for n in nudges_of(c.event_type, c.agent_principal_id) {
        s.push_str(&format!("id: {}\ndata: {n}\n\n", c.seq));
    }
    s
}

impl Sub {
    /// Whether the event concerns this owner: the owner itself, or one of its agents.
    fn relevant(&mut self, dd: &DataDir, c: &Concern<'_>) -> bool {
        let owner_hit = |v: Option<&str>| v.is_some_and(|v| v.eq_ignore_ascii_case(&self.owner_id));
        if owner_hit(c.principal_id) || owner_hit(c.owner_id) || owner_hit(c.user_principal_id) {
            return true;
        }
        for id in [c.agent_principal_id, c.principal_id].into_iter().flatten() {
            let owner = &self.owner_id;
            let known = self.agents.get(id).copied();
            let mine = known.unwrap_or_else(|| {
                let mine = crate::ids::is_uuid_shaped(id)
                    && dd
                        .agent_by_principal(id)
                        .is_ok_and(|a| a.owner_id.eq_ignore_ascii_case(owner));
                self.agents.insert(id.to_string(), mine);
                mine
            });
            if mine {
                return true;
            }
        }
        false
    }
}

/// The tail: follows the audit log from byte `from` and fans its events out until no stream is
/// left. It reads raw lines and parses only the fields it needs, and formats each event's
/// nudges once for all streams.
fn spawn_tail(dd: DataDir, s: Arc<Streams>, from: u64) {
    let spawned = std::thread::Builder::new()
        .name("openleash-sse-tail".into())
        .spawn(move || {
            if let Err(e) = tail(&dd, &s, from) {
                super::log(&format!("event stream tail stopped: {}", e.message));
            }
            let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
            g.0.clear();
            g.1 = false;
        });
    if spawned.is_err() {
        super::log("cannot start the event stream tail thread");
    }
}

fn tail(dd: &DataDir, s: &Arc<Streams>, from: u64) -> Result<()> {
    use std::io::{BufRead, Seek, SeekFrom};
    let path = dd.audit_log_path();
    let mut offset = from;
    let mut line = Vec::new();
    loop {
        let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if len < offset {
            // Repaired or replaced: go on from its new end.
            offset = dd.audit_end()?;
        }
        if len > offset {
            let mut f = std::fs::File::open(&path).map_err(|e| Error::io("open", &path, e))?;
            f.seek(SeekFrom::Start(offset))
                .map_err(|e| Error::io("read", &path, e))?;
            let mut r = std::io::BufReader::with_capacity(64 * 1024, f);
            let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
            let mut frames: Vec<Vec<(u64, Arc<str>)>> = vec![Vec::new(); g.0.len()];
            loop {
                line.clear();
                let n = r
                    .read_until(b'\n', &mut line)
                    .map_err(|e| Error::io("read", &path, e))?;
                if n == 0 || line.last() != Some(&b'\n') {
                    break; // a torn end is read again next time
                }
                let line_start = offset;
                offset += n as u64;
                let Ok(l) = serde_json::from_slice::<Line<'_>>(&line) else {
                    continue;
                };
                let c = Concern::of_line(&l);
                let mut text: Option<Arc<str>> = None;
                for (sub, frame) in g.0.iter_mut().zip(frames.iter_mut()) {
                    if line_start >= sub.from && sub.relevant(dd, &c) {
                        let t = text.get_or_insert_with(|| Arc::from(frame_text(&c)));
                        frame.push((c.seq, t.clone()));
                    }
                }
            }
            let mut frames = frames.into_iter();
            g.0.retain(|sub| match frames.next() {
                Some(items) if !items.is_empty() => {
                    // Too slow (queue full) or gone: dropping the sender ends its writer.
                    sub.tx.try_send(Frame { items }).is_ok()
                }
                _ => true,
            });
        }
        {
            let mut g = s.subs.lock().unwrap_or_else(PoisonError::into_inner);
            if g.0.is_empty() {
                g.1 = false;
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(50));
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
        let end = dd.audit_end().unwrap_or(0);
        g.0.push(Sub {
            owner_id: owner.owner_id.clone(),
            agents: HashMap::new(),
            tx,
            from: end,
        });
        if !g.1 {
            // Start at the log's current end: anything older comes from the resume scan.
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

/// Where the events after seq `after` start in the audit log: found by bisection over the log
/// (O(log n) reads, see [`crate::audit::seek`]), so a resume reads only what the client missed.
/// 0 (a scan from the start, filtered by seq) when the log cannot be bisected around it.
pub fn resume_offset(dd: &DataDir, after: u64) -> u64 {
    let Ok(file) = crate::store::fsio::open_read_nofollow(&dd.audit_log_path()) else {
        return 0;
    };
    let Ok(end) = dd.audit_end() else {
        return 0;
    };
    match crate::audit::seek::lower_bound(&file, end, after.saturating_add(1)) {
        Ok(Some(off)) => off,
        _ => 0,
    }
}

/// Bytes of backfill collected before they are written (a long absence is sent in pieces).
const BACKFILL_CHUNK: usize = 64 * 1024;

/// Sends `owner_id`'s nudges for the events after seq `after` to `sink` (in pieces; `sink`
/// returns false when the client is gone). Returns the last seq covered (`after` when nothing
/// was missed), or `None` when the sink failed.
fn backfill(
    dd: &DataDir,
    owner_id: &str,
    after: u64,
    mut sink: impl FnMut(&str) -> bool,
) -> Option<u64> {
    let mut sub = Sub {
        owner_id: owner_id.to_string(),
        agents: HashMap::new(),
        tx: mpsc::sync_channel(1).0,
        from: 0,
    };
    let mut text = String::new();
    let mut last = after;
    let mut ok = true;
    let from = resume_offset(dd, after);
    let _ = dd.audit_scan(&Filter::default(), from, |ev| {
        let c = Concern::of_event(&ev);
        if ok && ev.seq > after && sub.relevant(dd, &c) {
            text.push_str(&frame_text(&c));
            last = last.max(ev.seq);
            if text.len() >= BACKFILL_CHUNK {
                ok = sink(&text);
                text.clear();
            }
        }
    });
    if ok && !text.is_empty() {
        ok = sink(&text);
    }
    ok.then_some(last)
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
            match backfill(&self.dd, &self.owner_id, after, |text| write(&mut w, text)) {
                Some(l) => last = l,
                None => return,
            }
        }
        loop {
            match self.rx.recv_timeout(PING_EVERY) {
                Ok(f) => {
                    let mut text = String::new();
                    // Coalesce what is already queued into one write; skip what the resume
                    // backfill already sent.
                    for f in
                        std::iter::once(f).chain(std::iter::from_fn(|| self.rx.try_recv().ok()))
                    {
                        for (seq, t) in f.items {
                            if seq > last {
                                last = seq;
                                text.push_str(&t);
                            }
                        }
                    }
                    if !text.is_empty() && !write(&mut w, &text) {
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

    /// A client that connects after an event was appended is not told of it, even when the
    /// shared tail has not read it yet (a page rendered after it would reload for nothing).
    #[test]
    fn a_new_subscriber_hears_only_what_happens_after_it_connects() {
        use crate::store::owners::{Owner, OwnerType};
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        std::fs::create_dir_all(dd.path("owners")).unwrap();
        let mut o = Owner::new(OwnerType::User, "Ann");
        o.set_passphrase("correct horse battery").unwrap();
        let mut txn = crate::store::Txn::default();
        dd.stage_owner(&mut txn, &o).unwrap();
        txn.commit().unwrap();
        let config = dd.config().unwrap();
        let throttle = crate::handlers::owner::LoginThrottle::default();
        let v = crate::handlers::owner::login(
            &dd,
            &config,
            &throttle,
            None,
            &o.owner_id,
            "correct horse battery",
        )
        .unwrap();
        let token = v["token"].as_str().unwrap();
        let event = |t: &str| {
            dd.append_audit(vec![
                crate::audit::NewEvent::new(t, serde_json::json!({})).principal(&o.owner_id),
            ])
            .unwrap()[0]
                .seq
        };
        let early = open(&dd, 10, Some(token), None).unwrap();
        let before = event("BEFORE_THE_SECOND");
        let late = open(&dd, 10, Some(token), None).unwrap();
        let after = event("AFTER_BOTH");
        let seqs = |st: &Stream, want: u64| {
            let mut got = Vec::new();
            while !got.contains(&want) {
                let f = st
                    .rx
                    .recv_timeout(std::time::Duration::from_secs(30))
                    .unwrap();
                got.extend(f.items.iter().map(|(seq, _)| *seq));
            }
            got.dedup();
            got
        };
        assert_eq!(seqs(&early, after), vec![before, after]);
        assert_eq!(seqs(&late, after), vec![after]);
    }

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
    fn resume_starts_at_the_missed_events_and_misses_none() {
        use crate::audit::NewEvent;
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for chunk in 0..30 {
            let evs = (0..100)
                .map(|i| {
                    let owner = if (chunk * 100 + i) % 3 == 0 {
                        "o2"
                    } else {
                        "o1"
                    };
                    NewEvent::new("AGENT_UPDATED", json!({"owner_id": owner, "i": i}))
                })
                .collect();
            dd.append_audit(evs).unwrap();
        }
        let log = std::fs::read(dd.audit_log_path()).unwrap();
        let line_start = |seq: u64| -> u64 {
            let mut off = 0usize;
            for _ in 1..seq {
                off += log[off..].iter().position(|b| *b == b'\n').unwrap() + 1;
            }
            off as u64
        };
        // The resume point is found, not scanned for: it is the line of the first missed event.
        assert_eq!(resume_offset(&dd, 1500), line_start(1501));
        assert_eq!(resume_offset(&dd, 0), 0);
        assert_eq!(resume_offset(&dd, 3000), log.len() as u64);
        assert_eq!(resume_offset(&dd, 99_999), log.len() as u64);

        let mut sent = String::new();
        let mut pieces = 0;
        let last = backfill(&dd, "o1", 1500, |t| {
            sent.push_str(t);
            pieces += 1;
            true
        });
        assert_eq!(last, Some(3000));
        assert!(pieces > 1, "a long backfill goes out in pieces");
        let ids: Vec<u64> = sent
            .lines()
            .filter_map(|l| l.strip_prefix("id: "))
            .map(|v| v.parse().unwrap())
            .collect();
        let expected: Vec<u64> = (1501..=3000).filter(|s| (s - 1) % 3 != 0).collect();
        assert_eq!(ids, expected, "every missed event of o1, once, in order");
        // Nothing missed: nothing sent, the resume point kept; a client gone stops it.
        assert_eq!(
            backfill(&dd, "o1", 3000, |_| panic!("nothing to send")),
            Some(3000)
        );
        assert_eq!(backfill(&dd, "o1", 10, |_| false), None);
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
        assert!(frame_text(&Concern::of_event(&ev)).starts_with("id: 7\ndata: {"));
        let line = serde_json::to_vec(&ev).unwrap();
        let l: Line<'_> = serde_json::from_slice(&line).unwrap();
        assert_eq!(
            frame_text(&Concern::of_line(&l)),
            frame_text(&Concern::of_event(&ev))
        );
    }
}
