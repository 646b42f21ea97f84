//! Agent request authentication (SPEC §7, §11): the five signing headers, the signing input, and
//! the bounded replay cache. Kept free of HTTP types so the CLI (`agent sign`), the load generator
//! and fuzzing can use the same code.

use crate::crypto::{self, request_signing};
use crate::error::{Error, ErrorCode, Result};
use crate::store::pg::PgStore;
use crate::store::pg::nonces::{Deferral, PendingNonce, replay_error};
use ed25519_dalek::VerifyingKey;
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};
use time::OffsetDateTime;

pub use crate::crypto::request_signing::{
    EMPTY_OBJECT_SHA256, HEADER_AGENT_ID as H_AGENT_ID, HEADER_BODY_SHA256 as H_BODY_SHA256,
    HEADER_NONCE as H_NONCE, HEADER_SIGNATURE as H_SIGNATURE, HEADER_TIMESTAMP as H_TIMESTAMP,
    signed_headers as sign_request, signing_input,
};

/// The signing headers of one request, all present and non-empty.
#[derive(Debug, Clone, Copy)]
pub struct SignedHeaders<'a> {
    pub agent_id: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub body_sha256: &'a str,
    pub signature: &'a str,
}

impl<'a> SignedHeaders<'a> {
    /// Collects the headers through `get`; any missing or empty one is `MISSING_HEADERS`.
    pub fn collect(get: impl Fn(&str) -> Option<&'a str>) -> Result<SignedHeaders<'a>> {
        let mut missing = Vec::new();
        let mut take = |name: &'static str| match get(name).map(str::trim) {
            Some(v) if !v.is_empty() => v,
            _ => {
                missing.push(name);
                ""
            }
        };
        let h = SignedHeaders {
            agent_id: take(H_AGENT_ID),
            timestamp: take(H_TIMESTAMP),
            nonce: take(H_NONCE),
            body_sha256: take(H_BODY_SHA256),
            signature: take(H_SIGNATURE),
        };
        if missing.is_empty() {
            Ok(h)
        } else {
            Err(Error::new(ErrorCode::MissingHeaders, "Missing required signing headers")
                .with_details(serde_json::json!({ "missing": missing }))
                .with_hint("signed requests need X-Agent-Id, X-Timestamp, X-Nonce, X-Body-Sha256 and X-Signature; `openleash agent sign` prints them"))
        }
    }
}

/// Checks `X-Timestamp` against the clock: unparseable, outside the skew window, or earlier than
/// the server start (the replay cache was empty before then) are all rejected. Returns the
/// timestamp for the replay cache's expiry.
pub fn check_timestamp(
    ts: &str,
    now: OffsetDateTime,
    skew: Duration,
    started: OffsetDateTime,
) -> Result<OffsetDateTime> {
    let t = crate::timefmt::parse(ts).ok_or_else(|| {
        Error::new(
            ErrorCode::TimestampSkew,
            format!("X-Timestamp {ts:?} is not an RFC 3339 timestamp"),
        )
        .with_hint("send UTC with milliseconds, e.g. 2024-01-15T10:30:00.000Z")
    })?;
    let diff = (now - t).abs();
    let skew_t = time::Duration::try_from(skew).unwrap_or(time::Duration::MAX);
    if diff > skew_t {
        return Err(Error::new(
            ErrorCode::TimestampSkew,
            format!(
                "X-Timestamp is {}s away from the server clock (allowed: {}s)",
                diff.whole_seconds(),
                skew.as_secs()
            ),
        )
        .with_hint("sync the agent's clock (NTP) and sign each request when it is sent"));
    }
    if t < started {
        return Err(Error::new(
            ErrorCode::TimestampSkew,
            "X-Timestamp is earlier than the server start",
        )
        .with_hint(
            "sign the request again; requests signed before a server restart are not accepted",
        ));
    }
    Ok(t)
}

/// Verifies the signature over the query-less path first and, for the official SDKs' filtered
/// list calls, over the path with its raw query.
pub fn verify_signature(
    key: &VerifyingKey,
    method: &str,
    path: &str,
    query: Option<&str>,
    h: &SignedHeaders<'_>,
) -> Result<()> {
    let target = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    if request_signing::verify_request(
        key,
        method,
        &target,
        h.timestamp,
        h.nonce,
        h.body_sha256,
        h.signature,
    ) {
        return Ok(());
    }
    Err(Error::new(ErrorCode::InvalidSignature, "Request signature verification failed").with_hint(
        "sign METHOD\\nPATH\\nX-Timestamp\\nX-Nonce\\nX-Body-Sha256 with the agent's Ed25519 key (PATH without the query string)",
    ))
}

/// Compares the body hash header with the received bytes.
pub fn check_body_hash(body: &[u8], header: &str) -> Result<()> {
    let actual = crypto::sha256_hex(body);
    if crypto::ct_eq(actual.as_bytes(), header.as_bytes()) {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::BodyHashMismatch, "X-Body-Sha256 does not match the request body")
            .with_hint("hash exactly the bytes you send (lowercase hex SHA-256), after serialising the JSON once"))
    }
}

/// What a signed request's nonce check left for later.
pub enum NonceCheck {
    /// Checked and recorded (plain files: this process's cache decides).
    Done,
    /// To be recorded with the request's first change ([`NonceCache::run_deferred`]).
    Deferred(Box<DeferredNonce>),
}

/// A nonce the shared store has not seen yet, and what this instance's cache needs afterwards.
pub struct DeferredNonce {
    store: PgStore,
    pending: PendingNonce,
    key: String,
    now: Instant,
    keep: Duration,
}

/// How often an instance on a shared store deletes expired nonce rows. Correctness does not
/// depend on it (an expired row is taken over by the next insert of its key); it only keeps the
/// table, and its index, about as large as the nonces still inside the skew window.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// Replay cache of `agent_id:nonce` keys. Bounded: an entry lives until its timestamp can no
/// longer pass the skew check, and live entries are never evicted to make room — when the cache is
/// full the request is refused with `BUSY` instead, so an attacker cannot flush it to replay.
/// Keys are stored as 128 bits of their SHA-256 (about 60 bytes per entry all told).
pub struct NonceCache {
    inner: Mutex<NonceInner>,
    capacity: usize,
    /// When this instance last pruned the shared store's expired nonces.
    last_prune: Mutex<Option<Instant>>,
    /// The shared store's side (connections of its own, unused with plain files).
    shared_acceptor: crate::store::pg::nonces::AsyncAcceptor,
}

struct NonceInner {
    keys: HashSet<u128>,
    // Insertion order; expiries are not monotonic (they depend on the request timestamp), so the
    // sweep stops at the first live entry and tolerates a few expired ones behind it.
    order: VecDeque<(Instant, u128)>,
}

/// Drops the entries at the front of `order` that expired by `now`.
fn sweep(keys: &mut HashSet<u128>, order: &mut VecDeque<(Instant, u128)>, now: Instant) {
    while let Some((exp, _)) = order.front() {
        if *exp > now {
            break;
        }
        if let Some((_, k)) = order.pop_front() {
            keys.remove(&k);
        }
    }
}

fn key_hash(key: &str) -> u128 {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(key.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    u128::from_le_bytes(b)
}

impl NonceCache {
    pub fn new(capacity: usize) -> NonceCache {
        NonceCache {
            inner: Mutex::new(NonceInner {
                keys: HashSet::new(),
                order: VecDeque::new(),
            }),
            capacity: capacity.max(1),
            last_prune: Mutex::new(None),
            shared_acceptor: Default::default(),
        }
    }

    /// Records `key` until `expires`; `NONCE_REPLAY` when it is already there, `BUSY` when full.
    pub fn check_and_insert(&self, key: &str, now: Instant, expires: Instant) -> Result<()> {
        let h = key_hash(key);
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let NonceInner { keys, order } = &mut *g;
        sweep(keys, order, now);
        if keys.contains(&h) {
            return Err(replay_error());
        }
        if keys.len() >= self.capacity {
            // A live front may hide expired entries further back.
            order.retain(|(exp, k)| {
                let live = *exp > now;
                if !live {
                    keys.remove(k);
                }
                live
            });
            if keys.len() >= self.capacity {
                return Err(Error::new(ErrorCode::Busy, "the replay cache is full; retry shortly")
                    .with_hint("the server sees more signed requests than its nonce cache holds; raise --nonce-cache-size"));
            }
        }
        keys.insert(h);
        order.push_back((expires, h));
        Ok(())
    }

    /// `NONCE_REPLAY` when `key` is in the cache and live; records nothing.
    fn seen(&self, key: &str, now: Instant) -> Result<()> {
        let h = key_hash(key);
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let NonceInner { keys, order } = &mut *g;
        sweep(keys, order, now);
        if keys.contains(&h) {
            return Err(replay_error());
        }
        Ok(())
    }

    /// Accepts the nonce of `agent_id` once, for `keep` from `now`.
    ///
    /// With a shared store (`shared` is `Some`) the database decides, across every instance
    /// (the primary key of `nonces`), and the nonce is recorded in the commit of the request's
    /// first change: a plain decision's nonce rides in its audit batch, so a nonce check costs no
    /// round trip of its own (see `pg::nonces::deferred`); the caller runs the handler through
    /// [`NonceCache::run_deferred`]. This cache stays in front as a local filter — a nonce this
    /// instance already accepted is refused without a round trip — and is filled only after the
    /// database accepted, so a request that failed with `STORE_UNAVAILABLE` can be retried with
    /// the same nonce. A full cache refuses nothing there: the database holds every nonce anyway.
    ///
    /// Without one, this cache alone decides, as `check_and_insert`.
    pub fn accept(
        &self,
        shared: Option<&PgStore>,
        agent_id: &str,
        nonce: &str,
        now: Instant,
        keep: Duration,
    ) -> Result<NonceCheck> {
        let key = format!("{agent_id}:{nonce}");
        let Some(pg) = shared else {
            self.check_and_insert(&key, now, now + keep)?;
            return Ok(NonceCheck::Done);
        };
        self.seen(&key, now)?;
        Ok(NonceCheck::Deferred(Box::new(DeferredNonce {
            store: pg.clone(),
            pending: PendingNonce::new(agent_id, nonce, SystemTime::now(), keep),
            key,
            now,
            keep,
        })))
    }

    /// Runs `handler` for a request whose nonce is deferred, and settles the nonce: a replay
    /// found at the request's first change is `NONCE_REPLAY` (nothing was changed); a request
    /// that changed nothing records its nonce now if it succeeded (a failed one leaves it unused,
    /// to be retried).
    pub fn run_deferred<T>(
        &self,
        deferred: Box<DeferredNonce>,
        handler: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let DeferredNonce {
            store,
            pending,
            key,
            now,
            keep,
        } = *deferred;
        let (result, deferral) = crate::store::pg::nonces::deferred(pending, handler);
        let result = match deferral {
            Deferral::Replay => return Err(replay_error()),
            Deferral::Accepted => result,
            Deferral::Unused(p) => {
                // A failed request leaves its nonce unused, to be retried.
                let value = result?;
                if !self.shared_acceptor.accept(&store, p)? {
                    return Err(replay_error());
                }
                Ok(value)
            }
        };
        // The local filter; a full cache refuses nothing here (the database holds the nonce).
        let _ = self.check_and_insert(&key, now, now + keep);
        self.prune_now_and_then(&store, now);
        result
    }

    /// Starts a prune of the shared store's expired nonces when the last one is
    /// [`PRUNE_EVERY`] old, on a thread of its own so that no request waits for it. It needs no
    /// lock of the store (an expired row is no one's).
    fn prune_now_and_then(&self, store: &PgStore, now: Instant) {
        {
            let mut last = self
                .last_prune
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.is_some_and(|t| now.saturating_duration_since(t) < PRUNE_EVERY) {
                return;
            }
            *last = Some(now);
        }
        let store = store.clone();
        let spawned = std::thread::Builder::new()
            .name("nonce-prune".into())
            .spawn(move || {
                let pruned = store
                    .conn()
                    .and_then(|mut c| crate::store::pg::nonces::prune(&mut *c, SystemTime::now()));
                if let Err(e) = pruned {
                    // The next prune tries again; expired rows are harmless meanwhile.
                    crate::output::warn(&format!("pruning expired nonces failed: {e}"));
                }
            });
        if spawned.is_err() {
            // Out of threads: try again with a later request.
            *self
                .last_prune
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        }
    }

    pub fn len(&self) -> usize {
        self.inner.lock().map(|g| g.keys.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::ed25519;

    #[test]
    fn sign_then_verify_with_and_without_query() {
        let sk = ed25519::generate();
        let vk = sk.verifying_key();
        let hs = sign_request(&sk, "a1", "get", "/v1/agent/self", None);
        let get = |n: &str| hs.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        let h = SignedHeaders::collect(get).unwrap();
        assert_eq!(h.body_sha256, EMPTY_OBJECT_SHA256);
        assert_eq!(crypto::sha256_hex(b"{}"), EMPTY_OBJECT_SHA256);
        verify_signature(&vk, "GET", "/v1/agent/self", Some("x=1"), &h).unwrap();
        assert_eq!(
            verify_signature(&vk, "POST", "/v1/agent/self", None, &h)
                .unwrap_err()
                .code,
            ErrorCode::InvalidSignature
        );
        // an SDK that signed the query too
        let hq = sign_request(
            &sk,
            "a1",
            "GET",
            "/v1/agent/policy-drafts?status=PENDING",
            None,
        );
        let get = |n: &str| hq.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        let h = SignedHeaders::collect(get).unwrap();
        verify_signature(
            &vk,
            "GET",
            "/v1/agent/policy-drafts",
            Some("status=PENDING"),
            &h,
        )
        .unwrap();
        assert!(verify_signature(&vk, "GET", "/v1/agent/policy-drafts", None, &h).is_err());
    }

    #[test]
    fn missing_headers_are_listed() {
        let e = SignedHeaders::collect(|n| (n == H_AGENT_ID).then_some("x")).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingHeaders);
        assert_eq!(
            e.details.as_ref().unwrap()["missing"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        let e = SignedHeaders::collect(|_| Some("  ")).unwrap_err();
        assert_eq!(
            e.details.as_ref().unwrap()["missing"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
    }

    #[test]
    fn timestamps() {
        let now = crate::timefmt::now();
        let started = now - time::Duration::seconds(60);
        let skew = Duration::from_secs(120);
        assert!(check_timestamp(&crate::timefmt::format(now), now, skew, started).is_ok());
        for bad in ["", "yesterday", "NaN", "2024-13-01T00:00:00Z"] {
            assert_eq!(
                check_timestamp(bad, now, skew, started).unwrap_err().code,
                ErrorCode::TimestampSkew
            );
        }
        let old = crate::timefmt::format(now - time::Duration::seconds(121));
        assert!(check_timestamp(&old, now, skew, started).is_err());
        let future = crate::timefmt::format(now + time::Duration::seconds(121));
        assert!(check_timestamp(&future, now, skew, started).is_err());
        let before_start = crate::timefmt::format(started - time::Duration::seconds(1));
        assert!(check_timestamp(&before_start, now, skew, started).is_err());
    }

    #[test]
    fn body_hash() {
        assert!(check_body_hash(b"{}", EMPTY_OBJECT_SHA256).is_ok());
        assert_eq!(
            check_body_hash(b"{ }", EMPTY_OBJECT_SHA256)
                .unwrap_err()
                .code,
            ErrorCode::BodyHashMismatch
        );
    }

    #[test]
    fn nonce_cache_rejects_replays_and_never_evicts_live_entries() {
        let c = NonceCache::new(2);
        let t0 = Instant::now();
        let later = t0 + Duration::from_secs(10);
        c.check_and_insert("a:1", t0, later).unwrap();
        assert_eq!(
            c.check_and_insert("a:1", t0, later).unwrap_err().code,
            ErrorCode::NonceReplay
        );
        c.check_and_insert("a:2", t0, later).unwrap();
        assert_eq!(
            c.check_and_insert("a:3", t0, later).unwrap_err().code,
            ErrorCode::Busy
        );
        // still a replay, not evicted
        assert_eq!(
            c.check_and_insert("a:1", t0, later).unwrap_err().code,
            ErrorCode::NonceReplay
        );
        // once expired, room frees up
        let after = later + Duration::from_millis(1);
        c.check_and_insert("a:3", after, after + Duration::from_secs(10))
            .unwrap();
        assert_eq!(c.len(), 1);
    }

    /// A signed request that changes nothing and succeeds: its nonce is recorded at its end.
    fn check(
        cache: &NonceCache,
        shared: Option<&PgStore>,
        agent_id: &str,
        nonce: &str,
        now: Instant,
        keep: Duration,
    ) -> Result<()> {
        match cache.accept(shared, agent_id, nonce, now, keep)? {
            NonceCheck::Done => Ok(()),
            NonceCheck::Deferred(d) => cache.run_deferred(d, || Ok(())),
        }
    }

    #[test]
    fn a_nonce_is_accepted_once_across_instances() {
        let Some(db) = crate::store::pg::testdb::TestDb::new("nonce_once_across_instances") else {
            return;
        };
        // Two instances: each its own cache and pool.
        let other = PgStore::connect_url(&db.url()).unwrap();
        let instances = [
            (NonceCache::new(1000), &db.store),
            (NonceCache::new(1000), &other),
        ];
        let keep = Duration::from_secs(60);
        let accepted = std::sync::atomic::AtomicUsize::new(0);
        let replays = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..8 {
                let (instances, accepted, replays) = (&instances, &accepted, &replays);
                s.spawn(move || {
                    for i in 0..20 {
                        // Every nonce is sent by several threads to both instances.
                        let (cache, pg) = &instances[(t + i) % 2];
                        match check(
                            cache,
                            Some(pg),
                            "agent-1",
                            &format!("n{i}"),
                            Instant::now(),
                            keep,
                        ) {
                            Ok(()) => accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
                            Err(e) => {
                                assert_eq!(e.code, ErrorCode::NonceReplay, "{e}");
                                assert_eq!(e.message, "Nonce has already been used");
                                replays.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                            }
                        };
                    }
                });
            }
        });
        assert_eq!(accepted.into_inner(), 20);
        assert_eq!(replays.into_inner(), 140);
        assert_eq!(db.rows("nonces"), 20);
    }

    #[test]
    fn a_nonce_refused_by_a_down_store_can_be_retried_and_a_local_replay_needs_no_store() {
        let Some(db) = crate::store::pg::testdb::TestDb::new("nonce_down_store_retry") else {
            return;
        };
        let down = PgStore::connect(&crate::config::StoreConfig {
            backend: "postgres".into(),
            // Port 1 on loopback: nothing listens there.
            url: "postgres://nobody@127.0.0.1:1/x".into(),
            pool_size: 1,
            connect_timeout_seconds: 1,
        })
        .unwrap();
        let up = &db.store;
        let cache = NonceCache::new(10);
        let keep = Duration::from_secs(60);
        let now = Instant::now();
        let e = check(&cache, Some(&down), "a", "n1", now, keep).unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreUnavailable);
        // Nothing was remembered: the client's retry with the same nonce goes through.
        check(&cache, Some(up), "a", "n1", now, keep).unwrap();
        // A replay this instance saw is refused locally, without reaching the (down) store.
        let e = check(&cache, Some(&down), "a", "n1", now, keep).unwrap_err();
        assert_eq!(e.code, ErrorCode::NonceReplay);
        // Another instance's cache does not know it: the store refuses it.
        let other = NonceCache::new(10);
        let e = check(&other, Some(up), "a", "n1", now, keep).unwrap_err();
        assert_eq!(e.code, ErrorCode::NonceReplay);
        // A full local cache refuses nothing on a shared store (the database holds them all).
        let tiny = NonceCache::new(1);
        check(&tiny, Some(up), "a", "m1", now, keep).unwrap();
        check(&tiny, Some(up), "a", "m2", now, keep).unwrap();
        // Without a shared store a full cache is still BUSY.
        let e = check(&tiny, None, "a", "m3", now, keep).unwrap_err();
        assert_eq!(e.code, ErrorCode::Busy);
    }

    proptest::proptest! {
        /// Arbitrary header values never panic the checks, and exactly what the key signed (over
        /// the path, or over the path and query) verifies.
        #[test]
        fn authenticator_never_panics_and_accepts_what_was_signed(
            method in "[A-Z]{0,7}",
            path in "\\PC{0,40}",
            query in proptest::option::of("\\PC{0,20}"),
            ts in "\\PC{0,30}",
            nonce in "\\PC{0,40}",
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
            sig in "\\PC{0,90}",
        ) {
            // A request path never holds a `?`: the target is split at the first one.
            proptest::prop_assume!(!path.contains('?'));
            let body_sha = crypto::sha256_hex(&body);
            let h = SignedHeaders { agent_id: "a", timestamp: &ts, nonce: &nonce, body_sha256: &body_sha, signature: &sig };
            let now = crate::timefmt::now();
            let _ = check_timestamp(&ts, now, Duration::from_secs(120), now);
            proptest::prop_assert!(check_body_hash(&body, &body_sha).is_ok());
            let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
            let vk = key.verifying_key();
            let _ = verify_signature(&vk, &method, &path, query.as_deref(), &h);
            let signed_path = match &query {
                Some(q) if !q.is_empty() && ts.len() % 2 == 0 => format!("{path}?{q}"),
                _ => path.clone(),
            };
            let input = signing_input(&method, &signed_path, &ts, &nonce, &body_sha);
            let good = ed25519::sign_b64(&key, input.as_bytes());
            let ok = SignedHeaders { signature: &good, ..h };
            proptest::prop_assert!(verify_signature(&vk, &method, &path, query.as_deref(), &ok).is_ok());
            let _ = crate::server::request::percent_decode(&path);
        }
    }
}
