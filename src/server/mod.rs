//! `openleash start`: the HTTP API over tiny_http 0.12 (SPEC §8). `docs/tiny_http.md` has the
//! evidence behind each point below.
//!
//! tiny_http parses HTTP on its own threads (one accept thread per `Server`, one thread per
//! connection) and queues complete request heads; N workers of ours pull from that queue. We run
//! a patched copy (`vendor/tiny_http/PATCHES.md`): it bounds request heads (8 KiB lines, 100
//! headers), reads each head and each small body under a deadline, answers malformed heads and
//! HTTP/2 with an error and closes, honours `Connection: close`, and counts open connections.
//! Around it:
//!
//! * **Timeouts.** The listening socket gets `SO_RCVTIMEO`/`SO_SNDTIMEO`, which Linux copies to
//!   every accepted socket, so an idle keep-alive connection or a client that stops reading frees
//!   its thread after `idle_timeout`; heads have `header_timeout` from their first byte. Bodies
//!   are read under a total deadline (408) and a size cap (413); bodies over 1 KiB are received on
//!   body-reader threads, so workers never wait on a client.
//! * **Accept loop death.** Its accept thread ends on the first `accept()` error (EMFILE, and also
//!   EAGAIN when no connection arrived within the inherited receive timeout) and panics if a
//!   connection thread cannot be spawned. We keep a clone of the listening socket; the supervisor (the
//!   main thread) hears of the error from a worker (or of the panic from our panic hook) and starts
//!   a new `Server` with its own workers on the same socket, while the old one's workers keep
//!   serving the connections it accepted until they go quiet.
//! * **Connection cap.** tiny_http counts open connections (one counter shared by every
//!   generation) and tells each request how many were open when its connection was accepted;
//!   a connection beyond `max_connections`, or beyond `max_connections_per_peer` from one IP
//!   address, is answered 503 `BUSY` and closed.
//! * **Unread bodies.** A request answered without reading its whole body (413, 408) is answered
//!   with `Connection: close`: the connection ends instead of being drained.

pub mod admin_orgs;
pub mod auth;
pub mod challenges;
pub mod endpoints;
pub mod groups;
pub mod log;
pub mod openapi;
pub mod orgs;
pub mod orgs_openapi;
pub mod provisioners;
pub mod request;
pub mod router;
pub mod state;
pub mod transformations;
pub mod users;
pub mod workflow;

pub use log::log_line;

use crate::config::Config;
use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use request::{Auth, Req};
use router::Match;
use serde_json::Value;
use state::{AppState, Limits};
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tiny_http::{Header, Request, Response};

/// How `openleash start` runs the server.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: SocketAddr,
    pub threads: usize,
    pub limits: Limits,
    /// Testing: lower the open-file limit to provoke descriptor exhaustion.
    pub max_open_files: Option<u64>,
    /// Stop after this long (tests and benchmarks); `None` = until a signal.
    pub run_for: Option<Duration>,
    /// `start --gui` / `--no-gui`; `None` follows `server.gui` in config.yaml.
    pub gui: Option<bool>,
}

/// What the server reports once it listens.
#[derive(Debug, Clone)]
pub struct Ready {
    pub addr: SocketAddr,
    pub threads: usize,
    pub open_files_limit: u64,
}

/// Requests whose bodies are being received at once, each on its own thread.
const MAX_BODY_READERS: usize = 256;
static BODY_READERS: AtomicUsize = AtomicUsize::new(0);
static EVENTS: OnceLock<Mutex<Sender<Event>>> = OnceLock::new();

enum Event {
    /// The accept thread of generation `id` has ended with this error.
    AcceptDied(u64, ErrorKind, Option<i32>, String),
    /// A tiny_http thread panicked where only the accept thread runs.
    AcceptPanicked(String),
}

fn send_event(e: Event) {
    if let Some(tx) = EVENTS.get()
        && let Ok(tx) = tx.lock()
    {
        let _ = tx.send(e);
    }
}

/// One tiny_http `Server` on our shared listening socket, with its own pool of workers pulling
/// from its queue. Normally one is alive; after its accept loop ends, a new one takes the new
/// connections while this one keeps serving the connections it accepted until they go quiet.
struct Generation {
    id: u64,
    server: tiny_http::Server,
    retired: AtomicBool,
    /// Milliseconds since `Shared::epoch` of the last request or of the accept loop's end.
    last_activity_ms: AtomicU64,
}

struct Shared {
    state: Arc<AppState>,
    /// Open connections, counted by tiny_http across generations.
    conns: tiny_http::ConnectionCounter,
    /// Workers per generation.
    threads: usize,
    shutdown: Arc<AtomicBool>,
    epoch: Instant,
    base_headers: Vec<Header>,
    no_store: Header,
    cacheable: Header,
}

impl Shared {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

fn header(name: &str, value: &str) -> Result<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .map_err(|()| Error::internal(format!("invalid response header {name}")))
}

/// Binds the listening socket with the options every accepted socket inherits.
pub fn bind_listener(addr: SocketAddr, idle: Duration) -> Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let io = |op: &str, e: std::io::Error| -> Error {
        let mut err = Error::new(ErrorCode::Io, format!("cannot {op} {addr}: {e}"));
        err.hint = Some(match e.kind() {
            ErrorKind::AddrInUse => format!(
                "another process is listening on {addr}; stop it or choose another address with --bind (e.g. --bind 127.0.0.1:8788)"
            ),
            ErrorKind::PermissionDenied => {
                "ports below 1024 need privileges; use a port above 1024 with --bind".into()
            }
            ErrorKind::AddrNotAvailable => {
                "that IP address does not belong to this machine; use 127.0.0.1 or 0.0.0.0".into()
            }
            _ => "check the --bind address".into(),
        });
        err.with_source(e)
    };
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
        .map_err(|e| io("create a socket for", e))?;
    // SO_REUSEADDR only lets a restart bind while old connections sit in TIME_WAIT; it does not
    // let two servers share the port (that would need SO_REUSEPORT).
    socket
        .set_reuse_address(true)
        .map_err(|e| io("configure", e))?;
    socket.set_nodelay(true).map_err(|e| io("configure", e))?;
    socket
        .set_read_timeout(Some(idle))
        .map_err(|e| io("configure", e))?;
    socket
        .set_write_timeout(Some(idle))
        .map_err(|e| io("configure", e))?;
    if addr.is_ipv6() {
        let _ = socket.set_only_v6(true);
    }
    socket.bind(&addr.into()).map_err(|e| io("listen on", e))?;
    socket.listen(1024).map_err(|e| io("listen on", e))?;
    Ok(socket.into())
}

/// Raises the soft open-file limit to the hard limit (or sets `max` for tests); returns it.
fn adjust_open_files(max: Option<u64>) -> u64 {
    if let Some(n) = max {
        if let Ok((_, hard)) = rlimit::Resource::NOFILE.get() {
            let _ = rlimit::Resource::NOFILE.set(n.min(hard), hard);
        }
        return n;
    }
    rlimit::increase_nofile_limit(u64::MAX).unwrap_or(0)
}

/// Serves until SIGINT/SIGTERM (or `run_for`), finishing in-flight requests before returning.
pub fn serve(dd: DataDir, opts: Options, on_ready: impl FnOnce(&Ready)) -> Result<()> {
    // One server per data directory, held until this function returns.
    let mut server_lock = dd.lock_server()?;
    let open_files_limit = adjust_open_files(opts.max_open_files);
    let listener = bind_listener(opts.bind, opts.limits.idle_timeout)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("query", std::path::Path::new("listening socket"), e))?;
    server_lock.record(addr)?;
    let mut state = AppState::new(dd, addr, opts.limits.clone());
    state.gui_override = opts.gui;
    let state = Arc::new(state);
    state.config()?;
    // The local keys only: a shared store that is down must not keep the server from starting
    // (it answers 503 until the database is back).
    state.local_keys()?;

    let shutdown = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal while stopping ends the process at once (exit 130), for a stop that
        // waits on a slow client longer than the user wants. Registered first so it sees the
        // flag before this signal sets it.
        signal_hook::flag::register_conditional_shutdown(sig, 130, shutdown.clone())
            .and_then(|_| signal_hook::flag::register(sig, shutdown.clone()))
            .map_err(|e| Error::internal(format!("cannot install a signal handler: {e}")))?;
    }
    let (tx, events) = mpsc::channel();
    let _ = EVENTS.set(Mutex::new(tx.clone()));
    if let Some(m) = EVENTS.get()
        && let Ok(mut g) = m.lock()
    {
        *g = tx;
    }
    install_panic_hook();

    let mut base_headers = Vec::new();
    for (n, v) in [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Server", concat!("openleash/", env!("CARGO_PKG_VERSION"))),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("X-DNS-Prefetch-Control", "off"),
        ("X-Permitted-Cross-Domain-Policies", "none"),
        ("X-XSS-Protection", "0"),
    ] {
        base_headers.push(header(n, v)?);
    }
    let threads = opts.threads.max(1);
    let shared = Arc::new(Shared {
        conns: tiny_http::ConnectionCounter::new(),
        state,
        threads,
        shutdown: shutdown.clone(),
        epoch: Instant::now(),
        base_headers,
        no_store: header("Cache-Control", "no-store")?,
        cacheable: header("Cache-Control", "public, max-age=60")?,
    });
    let first = start_generation(&shared, &listener, 0)?;
    let verifier = spawn_audit_verifier(&shared);
    let gc = spawn_gc(&shared);
    let indexer = spawn_audit_indexer(&shared);
    // Notifications (SPEC §16): the outbox dispatcher and approval sweeper run beside the workers.
    let notifier = crate::notify::dispatch::spawn_service(&shared.state.dd, addr, shutdown.clone());
    on_ready(&Ready {
        addr,
        threads,
        open_files_limit,
    });

    let gens = supervise(&shared, &listener, &events, first, opts.run_for);

    // Graceful stop: workers finish what they hold and what tiny_http has already queued, then
    // exit; bodies being received are finished too.
    shutdown.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + opts.limits.body_timeout + opts.limits.idle_timeout;
    for (g, _) in &gens {
        g.retired.store(true, Ordering::SeqCst);
    }
    let busy = |gens: &[Pool]| {
        gens.iter()
            .any(|(_, hs)| hs.iter().any(|h| !h.is_finished()))
            || BODY_READERS.load(Ordering::SeqCst) > 0
    };
    while busy(&gens) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    for (_, hs) in gens {
        for h in hs {
            if h.is_finished() {
                let _ = h.join();
            }
        }
    }
    if let Some(h) = verifier
        && h.is_finished()
    {
        let _ = h.join();
    }
    if let Some(h) = notifier {
        let _ = h.join();
    }
    // Not waited for: building the index of a large log takes minutes, and an interrupted
    // catch-up is redone by the next one (the index's state is written after its records).
    if let Some(h) = indexer
        && h.is_finished()
    {
        let _ = h.join();
    }
    // A gc run in progress finishes (it holds the writer lock only briefly per run).
    if let Some(h) = gc {
        let _ = h.join();
    }
    drop(server_lock);
    Ok(())
}

/// Re-verifies the whole audit log every `audit.verify_interval_seconds` (re-read from the
/// config before each wait; 0 = off) so an edit in the middle of the log is noticed while the
/// server runs. The first check runs one interval after start.
/// Runs gc every `retention.gc_interval_seconds` (see [`crate::handlers::gc::background`]).
fn spawn_gc(shared: &Arc<Shared>) -> Option<std::thread::JoinHandle<()>> {
    let s = shared.clone();
    std::thread::Builder::new()
        .name("openleash-gc".into())
        .spawn(move || {
            crate::handlers::gc::background(
                &s.state.dd,
                || s.state.config(),
                &s.shutdown,
                log_line,
            );
        })
        .ok()
}

/// How often the server catches the audit indexes up with the log: an HTTP reader then pays at
/// most this long's appends, and the appenders (the request path) none.
const AUDIT_INDEX_EVERY: Duration = Duration::from_secs(1);

/// Keeps the audit indexes caught up with the log (built right away when missing, so the first
/// owner audit page after starting on a large log does not build them), so that neither the
/// appenders of this process (durable `authorize`) nor HTTP readers pay for it.
fn spawn_audit_indexer(shared: &Arc<Shared>) -> Option<std::thread::JoinHandle<()>> {
    let s = shared.clone();
    s.state.dd.audit_index_in_background();
    std::thread::Builder::new()
        .name("openleash-audit-index".into())
        .spawn(move || {
            let step = Duration::from_millis(100);
            let mut waited = AUDIT_INDEX_EVERY;
            let mut failing = false;
            while !s.shutdown.load(Ordering::SeqCst) {
                if waited >= AUDIT_INDEX_EVERY {
                    waited = Duration::ZERO;
                    match s.state.dd.audit_index_catch_up(true, None) {
                        Ok(_) => failing = false,
                        // Readers catch the index up themselves (or scan), so this only costs
                        // time; said once per failure streak, not every second.
                        Err(e) if !failing => {
                            failing = true;
                            log_line(&format!("audit index maintenance failed: {e}"));
                        }
                        Err(_) => {}
                    }
                }
                std::thread::sleep(step);
                waited += step;
            }
        })
        .ok()
}

fn spawn_audit_verifier(shared: &Arc<Shared>) -> Option<std::thread::JoinHandle<()>> {
    let s = shared.clone();
    std::thread::Builder::new()
        .name("openleash-audit-verify".into())
        .spawn(move || {
            let mut watch = crate::audit::integrity::Watch::default();
            let mut waited = Duration::ZERO;
            let step = Duration::from_millis(100);
            while !s.shutdown.load(Ordering::SeqCst) {
                std::thread::sleep(step);
                waited += step;
                let interval = s
                    .state
                    .config()
                    .map(|c| c.audit.verify_interval_seconds)
                    .unwrap_or(3600);
                if interval == 0 || waited < Duration::from_secs(interval) {
                    continue;
                }
                waited = Duration::ZERO;
                match watch.check(&s.state.dd) {
                    Ok(crate::audit::integrity::Outcome::NewFailure(report)) => {
                        // Recorded before it is logged, so whoever reads the log line finds the
                        // AUDIT_INTEGRITY_FAILED event already in the chain.
                        let recorded = s.state.config().and_then(|c| {
                            crate::handlers::integrity::record_failure(&s.state.dd, &c, &report)
                        });
                        log_line(&crate::audit::integrity::describe(&report));
                        if let Err(e) = recorded {
                            log_line(&format!(
                                "audit integrity failure could not be recorded: [{}] {}",
                                e.code, e.message
                            ));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => log_line(&format!(
                        "audit integrity check could not run: [{}] {}",
                        e.code, e.message
                    )),
                }
            }
        })
        .ok()
}

type Pool = (Arc<Generation>, Vec<std::thread::JoinHandle<()>>);

/// Starts a tiny_http `Server` on a clone of the listening socket, and its workers.
fn start_generation(shared: &Arc<Shared>, listener: &TcpListener, id: u64) -> Result<Pool> {
    let g = Arc::new(new_generation(shared, listener, id)?);
    g.last_activity_ms.store(shared.now_ms(), Ordering::Relaxed);
    let mut handles = Vec::with_capacity(shared.threads);
    for i in 0..shared.threads {
        let (s, g2) = (shared.clone(), g.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("openleash-worker-{id}-{i}"))
            .spawn(move || worker(&s, &g2));
        match spawned {
            Ok(h) => handles.push(h),
            // Fewer workers still serve; none at all is an error the caller retries.
            Err(e) if handles.is_empty() => {
                g.retired.store(true, Ordering::SeqCst);
                return Err(Error::new(
                    ErrorCode::Io,
                    format!("cannot start worker threads: {e}"),
                ));
            }
            Err(_) => break,
        }
    }
    Ok((g, handles))
}

/// A worker of one generation: takes requests from its tiny_http queue until the generation is
/// retired, then answers what is still queued and stops.
fn worker(shared: &Arc<Shared>, g: &Generation) {
    while !g.retired.load(Ordering::SeqCst) {
        match g.server.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(rq)) => {
                g.last_activity_ms.store(shared.now_ms(), Ordering::Relaxed);
                dispatch(shared, rq);
            }
            Ok(None) => {}
            // The accept thread is gone (one worker receives its error); connections it accepted
            // keep delivering requests here.
            Err(e) => {
                g.last_activity_ms.store(shared.now_ms(), Ordering::Relaxed);
                send_event(Event::AcceptDied(
                    g.id,
                    e.kind(),
                    e.raw_os_error(),
                    e.to_string(),
                ));
            }
        }
    }
    while let Ok(Some(rq)) = g.server.try_recv() {
        dispatch(shared, rq);
    }
}

fn new_generation(shared: &Shared, listener: &TcpListener, id: u64) -> Result<Generation> {
    let l = listener.try_clone().map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("cannot duplicate the listening socket: {e}"),
        )
    })?;
    let lim = &shared.state.limits;
    let limits = tiny_http::Limits {
        header_timeout: lim.header_timeout,
        body_timeout: lim.body_timeout,
        connections: shared.conns.clone(),
        ..tiny_http::Limits::default()
    };
    let server = tiny_http::Server::from_listener_with_limits(l, None, limits).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("cannot start the HTTP listener: {e}"),
        )
    })?;
    Ok(Generation {
        id,
        server,
        retired: AtomicBool::new(false),
        last_activity_ms: AtomicU64::new(0),
    })
}

/// The main thread: replaces dead accept loops and retires old generations until shutdown;
/// returns the generations still alive.
fn supervise(
    shared: &Arc<Shared>,
    listener: &TcpListener,
    events: &Receiver<Event>,
    first: Pool,
    run_for: Option<Duration>,
) -> Vec<Pool> {
    let started = Instant::now();
    let mut gens = vec![first];
    let mut next_id = 1u64;
    let mut backoff = Duration::from_millis(10);
    let mut last_failure = Instant::now();
    let fd_limit = rlimit::Resource::NOFILE
        .get()
        .map(|(soft, _)| usize::try_from(soft).unwrap_or(usize::MAX))
        .unwrap_or(1024);
    let quiet_ms = u64::try_from(
        (shared.state.limits.idle_timeout + shared.state.limits.body_timeout).as_millis(),
    )
    .unwrap_or(u64::MAX)
    .saturating_add(1000);
    loop {
        if shared.shutdown.load(Ordering::SeqCst) || run_for.is_some_and(|d| started.elapsed() >= d)
        {
            return gens;
        }
        let event = match events.recv_timeout(Duration::from_millis(100)) {
            Ok(e) => Some(e),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => return gens,
        };
        let current = gens.last().map(|(g, _)| g.id).unwrap_or(0);
        let restart = match event {
            // The listening socket's receive timeout (set so accepted sockets inherit it) also
            // bounds accept(): no new connection for that long ends tiny_http's accept loop.
            // That is routine: restart at once and say nothing.
            Some(Event::AcceptDied(id, kind, _, _))
                if id == current && matches!(kind, ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                Some(None)
            }
            Some(Event::AcceptDied(id, _, errno, why)) if id == current => {
                Some(Some((why, errno == Some(24) || errno == Some(23))))
            }
            // A connection thread that could not be spawned: resources ran out; wait as for EMFILE.
            Some(Event::AcceptPanicked(why)) => Some(Some((why, true))),
            _ => None,
        };
        if let Some(why) = restart {
            let mut delay = Duration::ZERO;
            if let Some((why, out_of_fds)) = why {
                log_line(&format!(
                    "accept loop stopped ({why}); restarting it on {}",
                    shared.state.bind
                ));
                if out_of_fds {
                    // Descriptors come back as clients close and idle connections time out: wait
                    // (at most a second) until a quarter of the limit is free, then resume at once.
                    let until = Instant::now() + Duration::from_secs(1);
                    while Instant::now() < until
                        && state::open_fds()
                            .is_some_and(|n| n.saturating_add(fd_limit / 4) > fd_limit)
                    {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    delay = Duration::from_millis(5);
                } else {
                    // Other persistent failures back off up to 1 s.
                    backoff = if last_failure.elapsed() < Duration::from_secs(5) {
                        (backoff * 2).min(Duration::from_secs(1))
                    } else {
                        Duration::from_millis(10)
                    };
                    last_failure = Instant::now();
                    delay = backoff;
                }
            }
            loop {
                std::thread::sleep(delay);
                if shared.shutdown.load(Ordering::SeqCst) {
                    return gens;
                }
                match start_generation(shared, listener, next_id) {
                    Ok(p) => {
                        gens.push(p);
                        next_id += 1;
                        break;
                    }
                    Err(e) => {
                        log_line(&format!(
                            "cannot restart the accept loop yet: {}",
                            e.message
                        ));
                        backoff = (backoff * 2).min(Duration::from_secs(1));
                        delay = backoff;
                    }
                }
            }
            continue;
        }
        // Old generations still serve the connections they accepted; once quiet for longer than a
        // connection may idle, nothing can arrive on them any more.
        let now = shared.now_ms();
        let n = gens.len();
        let mut i = 0;
        gens.retain(|(g, _)| {
            i += 1;
            let keep =
                i == n || now.saturating_sub(g.last_activity_ms.load(Ordering::Relaxed)) < quiet_ms;
            if !keep {
                g.retired.store(true, Ordering::SeqCst);
            }
            keep
        });
    }
}

/// `security.max_body_bytes`, or its default while the config cannot be read (the request then
/// fails with the config error where it is needed).
fn max_body(config: Option<&Config>) -> u64 {
    config.map_or(1_048_576, |c| c.security.max_body_bytes)
}

/// Workers never wait on a client: tiny_http has already read bodies of up to 1 KiB, and a request
/// with a larger (or chunked) body that we will read is handled on a body-reader thread of its own
/// (at most `MAX_BODY_READERS` at once; beyond that 503 `BUSY`), so slow uploads cannot occupy the
/// workers even for the length of the body deadline.
fn dispatch(shared: &Arc<Shared>, rq: Request) {
    let Some(rq) = event_stream(shared, rq) else {
        return;
    };
    let method = rq.method().as_str();
    let reads_body = !(method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD"));
    // Read once here and handed down, so a request reads the config file's identity once.
    let config = shared.state.config().ok();
    let max = max_body(config.as_deref());
    // A declared body over the cap is refused unread, on the worker, at once.
    let unbuffered = match rq.body_length() {
        Some(n) => n > 1024 && n as u64 <= max,
        None => rq.headers().iter().any(|h| {
            h.field
                .as_str()
                .as_str()
                .eq_ignore_ascii_case("Transfer-Encoding")
        }),
    };
    if !(reads_body && unbuffered) {
        return handle(shared, rq, false, config);
    }
    if BODY_READERS.fetch_add(1, Ordering::SeqCst) >= MAX_BODY_READERS {
        BODY_READERS.fetch_sub(1, Ordering::SeqCst);
        return handle(shared, rq, true, config);
    }
    let s = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("openleash-body".into())
        .spawn(move || {
            handle(&s, rq, false, config);
            BODY_READERS.fetch_sub(1, Ordering::SeqCst);
        });
    if spawned.is_err() {
        // The request moved into the closure is dropped with it: tiny_http answers 500.
        BODY_READERS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `GET /v1/owner/events/stream` (SPEC §16) is authenticated here and then served on a thread
/// of its own, so open streams never hold a worker; every other request is given back.
fn event_stream(shared: &Arc<Shared>, rq: Request) -> Option<Request> {
    use crate::notify::sse;
    let path = rq.url().split('?').next().unwrap_or("");
    if path != sse::PATH || !rq.method().as_str().eq_ignore_ascii_case("GET") {
        return Some(rq);
    }
    let h = |name: &str| {
        rq.headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    let (auth, cookie, last) = (h("Authorization"), h("Cookie"), h("Last-Event-ID"));
    let max = shared.state.config().map_or(32, |c| {
        usize::try_from(c.server.max_event_streams).unwrap_or(usize::MAX)
    });
    let token = sse::session_token(auth.as_deref(), cookie.as_deref());
    let peer = rq
        .remote_addr()
        .map(|p| p.ip().to_string())
        .unwrap_or_default();
    match sse::open(&shared.state.dd, max, token, last.as_deref()) {
        Ok(stream) => {
            log_line(&format!("{peer} GET {} 200 (event stream)", sse::PATH));
            let _ = std::thread::Builder::new()
                .name("openleash-sse".into())
                .spawn(move || stream.serve(rq.into_writer()));
        }
        Err(e) => {
            log_line(&format!("{peer} GET {} {}", sse::PATH, e.http_status()));
            let _ = rq.respond(build_response(shared, Outcome::error(&e, BodyState::Clean)));
        }
    }
    None
}

/// Whether a request's declared body was left (partly) unread on the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyState {
    Clean,
    Unread(u64),
}

struct Outcome {
    status: u16,
    body: Vec<u8>,
    allow: Option<String>,
    cacheable: bool,
    /// Answer with `Connection: close` (a body was left unread, or the connection is refused).
    close: bool,
    /// Headers that replace the defaults of the same name (the portal's HTML, cookies, CSP).
    headers: Vec<Header>,
}

impl Outcome {
    fn error(e: &Error, body_state: BodyState) -> Outcome {
        let mut headers = Vec::new();
        if e.code == ErrorCode::TooManyAttempts
            && let Some(secs) = e
                .details
                .as_ref()
                .and_then(|d| d["retry_after_seconds"].as_u64())
            && let Ok(h) = header("Retry-After", &secs.to_string())
        {
            headers.push(h);
        }
        Outcome {
            status: e.http_status(),
            body: serde_json::to_vec(&e.to_envelope()).unwrap_or_default(),
            allow: None,
            cacheable: false,
            close: matches!(body_state, BodyState::Unread(_)),
            headers,
        }
    }

    fn from_portal(reply: crate::portal::Reply, body_state: BodyState) -> Outcome {
        Outcome {
            status: reply.status,
            body: reply.body,
            allow: None,
            cacheable: false,
            close: matches!(body_state, BodyState::Unread(_)),
            headers: reply
                .headers
                .iter()
                .filter_map(|(n, v)| header(n, v).ok())
                .collect(),
        }
    }
}

/// Answers one request; `busy` refuses it with 503 (all body readers taken) without reading it.
fn handle(shared: &Shared, mut rq: Request, busy: bool, config: Option<Arc<Config>>) {
    let start = Instant::now();
    let method = rq.method().as_str().to_ascii_uppercase();
    let url = rq.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    let peer = rq.remote_addr().copied();
    let declared = rq.body_length().map(|n| n as u64);
    // tiny_http buffers bodies up to 1024 bytes before we see the request.
    let untouched = match declared {
        Some(n) if n > 1024 => BodyState::Unread(n),
        _ => BodyState::Clean,
    };
    let outcome = if busy {
        Outcome::error(
            &Error::new(
                ErrorCode::Busy,
                "too many request bodies are being received; retry shortly",
            ),
            untouched,
        )
    } else if over_capacity(&shared.state.limits, rq.connection_rank()) {
        let mut o = Outcome::error(
            &Error::new(
                ErrorCode::Busy,
                "the server is at its connection limit; retry shortly",
            )
            .with_hint("close idle connections; server.max_connections_per_peer and --max-connections set the limits"),
            untouched,
        );
        o.close = true;
        o
    } else {
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            process(
                shared, &mut rq, &method, path, query, peer, untouched, config,
            )
        }))
        .unwrap_or_else(|_| {
            Outcome::error(
                &Error::internal("the request handler failed unexpectedly"),
                untouched,
            )
        })
    };
    let status = outcome.status;
    let response = build_response(shared, outcome);
    let _ = rq.respond(response);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let who = peer
        .map(|p| p.ip().to_string())
        .unwrap_or_else(|| "-".into());
    log_line(&format!(
        "{who} {method} {} {status} {ms:.1}ms",
        sanitize(path)
    ));
}

fn build_response(shared: &Shared, o: Outcome) -> Response<std::io::Cursor<Vec<u8>>> {
    // tiny_http switches to chunked encoding above 32 KiB by default; the length is known, so
    // always send Content-Length (simple clients, e.g. the OpenAPI document's readers, expect it).
    let mut r = Response::from_data(o.body)
        .with_status_code(o.status)
        .with_chunked_threshold(usize::MAX);
    let overridden = |h: &Header| o.headers.iter().any(|x| x.field == h.field);
    for h in &shared.base_headers {
        if !overridden(h) {
            r.add_header(h.clone());
        }
    }
    let cache = if o.cacheable {
        shared.cacheable.clone()
    } else {
        shared.no_store.clone()
    };
    if !overridden(&cache) {
        r.add_header(cache);
    }
    for h in o.headers {
        r.add_header(h);
    }
    if let Some(allow) = o.allow
        && let Ok(h) = header("Allow", &allow)
    {
        r.add_header(h);
    }
    // The patched tiny_http closes the connection after a response that says so: a body left
    // unread is not drained, and a refused connection does not stay open.
    if o.close
        && let Ok(h) = header("Connection", "close")
    {
        r.add_header(h);
    }
    r
}

/// A connection accepted while `max_connections` were already open, or
/// `max_connections_per_peer` from its IP address, is refused (and closed) at its first request
/// and at every later one; earlier connections keep being served.
fn over_capacity(limits: &Limits, rank: Option<tiny_http::ConnectionRank>) -> bool {
    rank.is_some_and(|r| {
        r.overall > limits.max_connections || r.from_peer > limits.max_connections_per_peer
    })
}

#[allow(clippy::too_many_arguments)]
fn process(
    shared: &Shared,
    rq: &mut Request,
    method: &str,
    path: &str,
    query: Option<&str>,
    peer: Option<SocketAddr>,
    untouched: BodyState,
    config: Option<Arc<Config>>,
) -> Outcome {
    let state = &shared.state;
    // The owner portal and the HTML API reference (SPEC §15) answer their own prefixes.
    if crate::portal::claims(path) && crate::portal::enabled(state, path, config.as_deref()) {
        let (body, body_state) = if method == "GET" || method == "HEAD" {
            (Vec::new(), untouched)
        } else {
            match read_body(rq, max_body(config.as_deref()), state.limits.body_timeout) {
                Ok(b) => (b, BodyState::Clean),
                Err((e, st)) => return Outcome::error(&e, st),
            }
        };
        let reply = crate::portal::serve(
            state,
            &crate::portal::Request {
                method,
                path,
                query,
                headers: rq.headers(),
                body: &body,
                peer,
            },
        );
        return Outcome::from_portal(reply, body_state);
    }
    let (route, params) = match router::find(method, path) {
        Match::Found(r, p) => (r, p),
        Match::WrongMethod(allowed) => {
            let mut o = Outcome::error(
                &Error::new(
                    ErrorCode::MethodNotAllowed,
                    format!("{method} is not allowed on {}", sanitize(path)),
                )
                .with_details(serde_json::json!({ "allow": allowed })),
                untouched,
            );
            o.allow = Some(allowed.join(", "));
            return o;
        }
        Match::NotFound => {
            return Outcome::error(
                &Error::new(
                    ErrorCode::NotFound,
                    format!("Route {method}:{} not found", sanitize(path)),
                )
                .with_hint("see GET /v1/openapi.json for the routes this server has"),
                untouched,
            );
        }
    };
    // GET and HEAD bodies are never read (SDKs send none but sign sha256 of {}).
    let (body, body_state) = if method == "GET" || method == "HEAD" {
        (Vec::new(), untouched)
    } else {
        match read_body(rq, max_body(config.as_deref()), state.limits.body_timeout) {
            Ok(b) => (b, BodyState::Clean),
            Err((e, st)) => return Outcome::error(&e, st),
        }
    };
    // Logout has nothing to say (the bearer token is the subject), so it may come without a body.
    if body.is_empty() && (method == "POST" || method == "PUT") && route.path != "/v1/owner/logout"
    {
        return Outcome::error(
            &Error::new(ErrorCode::MissingBody, "this request needs a JSON body")
                .with_hint("send a JSON object with Content-Type: application/json"),
            body_state,
        );
    }
    let mut req = Req {
        method,
        path,
        query,
        headers: rq.headers(),
        body: &body,
        peer,
        params,
        agent: None,
        nonce: None,
        owner: None,
        provisioner: None,
        config: config.map(std::cell::OnceCell::from).unwrap_or_default(),
    };
    let result = authenticate(state, route.auth, &mut req).and_then(|()| match req.nonce.take() {
        Some(deferred) => state
            .nonces
            .run_deferred(deferred, || (route.handler)(state, &req)),
        None => (route.handler)(state, &req),
    });
    match result {
        Ok(v) => Outcome {
            status: 200,
            body: serde_json::to_vec(&v).unwrap_or_default(),
            allow: None,
            cacheable: route.cacheable,
            close: matches!(body_state, BodyState::Unread(_)),
            headers: Vec::new(),
        },
        Err(e) => {
            if e.code == ErrorCode::Internal || e.http_status() >= 500 {
                log_line(&format!(
                    "error on {method} {}: [{}] {}",
                    sanitize(path),
                    e.code,
                    e.message
                ));
            }
            Outcome::error(&e, body_state)
        }
    }
}

/// The `Authorization: Bearer` value (scheme case-insensitive).
fn bearer<'a>(req: &Req<'a>) -> Option<&'a str> {
    let h = req.header("authorization")?.trim();
    let (scheme, value) = h.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| value.trim())
        .filter(|v| !v.is_empty())
}

/// `admin.mode` (SPEC §8.2): `localhost` admits loopback peers, `token` a Bearer equal to
/// `admin.token` (constant-time; an empty token admits nobody), `localhost_or_token` either.
///
/// Δ SPEC §17: first, a session token of a user with the system `admin` role is admitted (the
/// user is then `req.owner`); a valid session of any other user that no other path admits is
/// 403 `ADMIN_REQUIRED` rather than 401.
fn authenticate_admin(state: &AppState, req: &mut Req<'_>) -> Result<()> {
    let mut non_admin = false;
    if let Some(t) = bearer(req).filter(|t| t.starts_with("v4.public."))
        && let Ok(o) = crate::handlers::owner::authenticate(&state.dd, t)
    {
        if crate::handlers::users::is_admin(&state.dd, &o)? {
            req.owner = Some(o);
            return Ok(());
        }
        non_admin = true;
    }
    let cfg = req.config(state)?;
    let mode = cfg.admin.mode.as_str();
    let by_peer = mode != "token" && req.peer_is_loopback();
    let by_token = mode != "localhost"
        && !cfg.admin.token.is_empty()
        && bearer(req)
            .is_some_and(|t| crate::crypto::ct_eq(t.as_bytes(), cfg.admin.token.as_bytes()));
    if by_peer || by_token {
        Ok(())
    } else if non_admin {
        Err(Error::new(
            ErrorCode::AdminRequired,
            "Your account does not have the admin role",
        )
        .with_hint("ask an admin to run `openleash admin grant <your id or email>`"))
    } else {
        Err(Error::new(ErrorCode::AdminUnauthorized, "Admin access denied")
            .with_hint(format!("admin.mode is {mode}: call from the server's machine or send Authorization: Bearer <admin.token>")))
    }
}

/// Agent authentication (SPEC §7, §11; upstream-server §2.2), cheapest checks first and the
/// replay cache last, after the signature proved the request is the agent's.
fn authenticate(state: &AppState, auth: Auth, req: &mut Req<'_>) -> Result<()> {
    match auth {
        Auth::Public => return Ok(()),
        Auth::Owner => {
            let token = bearer(req).ok_or_else(|| {
                Error::new(ErrorCode::InvalidSession, "Missing session token").with_hint(
                    "log in with POST /v1/owner/login and send Authorization: Bearer <token>",
                )
            })?;
            req.owner = Some(crate::handlers::owner::authenticate(&state.dd, token)?);
            return Ok(());
        }
        Auth::Admin => return authenticate_admin(state, req),
        Auth::Provisioner => {
            req.provisioner = Some(crate::handlers::provisioners::authenticate(
                &state.dd,
                bearer(req),
            )?);
            return Ok(());
        }
        Auth::Agent => {}
    }
    let h = auth::SignedHeaders::collect(|n| req.header(n))?;
    let cfg = req.config(state)?;
    let ts = auth::check_timestamp(
        h.timestamp,
        crate::timefmt::now(),
        Duration::from_secs(cfg.security.clock_skew_seconds),
        state.started_at,
    )?;
    if req.method != "GET" && req.method != "HEAD" {
        auth::check_body_hash(req.body, h.body_sha256)?;
    }
    let agent = state.agent(h.agent_id).map_err(|e| {
        if e.code == ErrorCode::AgentNotFound || e.code == ErrorCode::InvalidId {
            Error::new(
                ErrorCode::AgentNotFound,
                format!("Agent {:?} not found", h.agent_id),
            )
        } else {
            e
        }
    })?;
    let key = state.agent_key(&agent.public_key_b64).map_err(|e| {
        Error::new(
            ErrorCode::DataCorrupt,
            format!(
                "agent {} has an unusable public key: {}",
                agent.agent_id, e.message
            ),
        )
    })?;
    auth::verify_signature(&key, req.method, req.path, req.query, &h)?;
    if !agent.is_active() {
        return Err(Error::new(
            ErrorCode::AgentInactive,
            format!("Agent {:?} is {}", agent.agent_id, agent.status),
        )
        .with_hint("the owner can re-activate it with `openleash agent activate`"));
    }
    let now = Instant::now();
    // A nonce must outlive the window in which its timestamp still passes the skew check, and need
    // not live longer: after that the timestamp check refuses a replay by itself. (This supersedes
    // `security.nonce_ttl_seconds`, which could only be too short or wastefully long.)
    let skew_left = ts + time::Duration::seconds(cfg.security.clock_skew_seconds as i64)
        - crate::timefmt::now();
    let keep = Duration::try_from(skew_left).unwrap_or_default() + Duration::from_secs(1);
    let shared = state.shared_store()?.map(|b| &b.store);
    match state
        .nonces
        .accept(shared, &agent.agent_id, h.nonce, now, keep)?
    {
        auth::NonceCheck::Done => {}
        auth::NonceCheck::Deferred(d) => req.nonce = Some(d),
    }
    req.agent = Some(agent);
    Ok(())
}

/// Reads the body with a size cap enforced while reading and a total deadline.
fn read_body(
    rq: &mut Request,
    max: u64,
    timeout: Duration,
) -> std::result::Result<Vec<u8>, (Error, BodyState)> {
    let declared = rq.body_length().map(|n| n as u64);
    let too_large = || {
        Error::new(
            ErrorCode::PayloadTooLarge,
            format!("Request body is too large (limit {max} bytes)"),
        )
        .with_hint("security.max_body_bytes in config.yaml sets the limit")
    };
    if let Some(n) = declared
        && n > max
    {
        return Err((too_large(), BodyState::Unread(n)));
    }
    let deadline = Instant::now() + timeout;
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max) as usize);
    let mut chunk = [0u8; 16 * 1024];
    let reader = rq.as_reader();
    let unread = |got: usize| match declared {
        Some(n) => BodyState::Unread(n.saturating_sub(got as u64)),
        None => BodyState::Clean,
    };
    loop {
        if Instant::now() >= deadline {
            return Err((
                Error::new(
                    ErrorCode::RequestTimeout,
                    "the request body was not received in time",
                )
                .with_hint("send the whole body promptly after the headers"),
                unread(body.len()),
            ));
        }
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                if body.len() as u64 + n as u64 > max {
                    return Err((too_large(), unread(body.len() + n)));
                }
                body.extend_from_slice(&chunk[..n]);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) => {
                return Err((
                    Error::new(
                        ErrorCode::InvalidBody,
                        format!("cannot read the request body: {e}"),
                    ),
                    unread(body.len()),
                ));
            }
        }
    }
    if let Some(n) = declared
        && (body.len() as u64) < n
    {
        return Err((
            Error::new(
                ErrorCode::InvalidBody,
                "the connection ended before the whole body arrived",
            ),
            BodyState::Clean,
        ));
    }
    Ok(body)
}

/// Paths go to the log and into error messages: keep them printable and short.
fn sanitize(path: &str) -> String {
    let mut s: String = path
        .chars()
        .take(200)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if path.len() > 200 {
        s.push('…');
    }
    s
}

/// In server mode a panic must not end the process: our workers catch their own, and a panic on a
/// tiny_http thread is logged; if it happened where only the accept thread runs (spawning a
/// connection thread; the patched tiny_http no longer `dup()`s sockets), the supervisor restarts
/// the accept loop.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let (msg, location) = crate::panic_summary(info);
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("");
        if name.starts_with("openleash-") || name == "main" {
            log_line(&format!(
                "internal error (a bug in openleash; please report it): {msg} at {location}"
            ));
            return;
        }
        log_line(&format!("tiny_http thread panicked: {msg} at {location}"));
        if msg.contains("failed to spawn thread") {
            send_event(Event::AcceptPanicked(msg));
        }
    }));
}

/// The line `openleash --json start` prints once it listens (scripts read the URL from it).
pub fn ready_json(r: &Ready, url: &str) -> Value {
    serde_json::json!({ "event": "listening", "url": url, "bind": r.addr.to_string(), "threads": r.threads, "open_files_limit": r.open_files_limit })
}
