//! The agent request authenticator and the router must never panic on any request line, headers
//! or body, and must accept exactly what was signed with the agent's key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openleash::server::{auth, router};
use std::time::{Duration, Instant};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(8, '\n');
    let mut next = || parts.next().unwrap_or("");
    let (method, target, agent, ts, nonce, body_sha, sig, body) =
        (next(), next(), next(), next(), next(), next(), next(), next());
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let _ = router::find(method, path);
    let _ = router::percent_decode(target);
    let headers = [
        (auth::H_AGENT_ID, agent),
        (auth::H_TIMESTAMP, ts),
        (auth::H_NONCE, nonce),
        (auth::H_BODY_SHA256, body_sha),
        (auth::H_SIGNATURE, sig),
    ];
    let Ok(h) = auth::SignedHeaders::collect(|n| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)) else {
        return;
    };
    let now = openleash::timefmt::now();
    let _ = auth::check_timestamp(h.timestamp, now, Duration::from_secs(120), now);
    let _ = auth::check_body_hash(body.as_bytes(), h.body_sha256);
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let vk = key.verifying_key();
    let _ = auth::verify_signature(&vk, method, path, query, &h);
    // What the key signs verifies.
    let input = auth::signing_input(method, path, h.timestamp, h.nonce, h.body_sha256);
    let good = openleash::crypto::ed25519::sign_b64(&key, input.as_bytes());
    let signed = auth::SignedHeaders { signature: &good, ..h };
    assert!(auth::verify_signature(&vk, method, path, query, &signed).is_ok());
    let cache = auth::NonceCache::new(4);
    let t = Instant::now();
    let _ = cache.check_and_insert(&format!("{}:{}", h.agent_id, h.nonce), t, t + Duration::from_secs(1));
});
