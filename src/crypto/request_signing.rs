//! Agent request signing (SPEC §7, upstream-server §2.2): five headers and an Ed25519 signature
//! over `METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY_SHA256`. Used by the server to authenticate agents
//! and by `agent sign` / remote mode to sign requests, so both sides share one definition.

use super::{ed25519, sha256_hex};
use ed25519_dalek::{SigningKey, VerifyingKey};

pub const HEADER_AGENT_ID: &str = "X-Agent-Id";
pub const HEADER_TIMESTAMP: &str = "X-Timestamp";
pub const HEADER_NONCE: &str = "X-Nonce";
pub const HEADER_BODY_SHA256: &str = "X-Body-Sha256";
pub const HEADER_SIGNATURE: &str = "X-Signature";

/// sha256 hex of `{}`: what every SDK signs for a GET, which sends no body.
pub const EMPTY_OBJECT_SHA256: &str =
    "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

/// Lowercase hex SHA-256 of the exact body bytes (never a re-serialisation).
pub fn body_sha256(body: &[u8]) -> String {
    sha256_hex(body)
}

/// The signing input; no trailing newline. Every part is used verbatim.
pub fn signing_input(
    method: &str,
    path: &str,
    timestamp: &str,
    nonce: &str,
    body_sha256: &str,
) -> String {
    let mut s = String::with_capacity(
        method.len() + path.len() + timestamp.len() + nonce.len() + body_sha256.len() + 4,
    );
    for (i, part) in [method, path, timestamp, nonce, body_sha256]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(part);
    }
    s
}

/// The five header values of a signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub agent_id: String,
    pub timestamp: String,
    pub nonce: String,
    pub body_sha256: String,
    pub signature: String,
}

impl SignedHeaders {
    /// `(name, value)` pairs in the conventional order.
    pub fn pairs(&self) -> [(&'static str, &str); 5] {
        [
            (HEADER_AGENT_ID, &self.agent_id),
            (HEADER_TIMESTAMP, &self.timestamp),
            (HEADER_NONCE, &self.nonce),
            (HEADER_BODY_SHA256, &self.body_sha256),
            (HEADER_SIGNATURE, &self.signature),
        ]
    }
}

/// The path part of a request target: everything before the first `?`.
pub fn path_without_query(target: &str) -> &str {
    target.split_once('?').map_or(target, |(p, _)| p)
}

/// Signs a request. `path` is signed exactly as given (callers pass it without the query, as the
/// server checks that form first). `body` is `None` for a GET/HEAD: the SDKs then sign sha256(`{}`).
pub fn sign_request(
    key: &SigningKey,
    agent_id: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    timestamp: &str,
    nonce: &str,
) -> SignedHeaders {
    let body_sha256 = body.map_or_else(|| EMPTY_OBJECT_SHA256.to_string(), body_sha256);
    let input = signing_input(method, path, timestamp, nonce, &body_sha256);
    SignedHeaders {
        agent_id: agent_id.to_string(),
        timestamp: timestamp.to_string(),
        nonce: nonce.to_string(),
        body_sha256,
        signature: ed25519::sign_b64(key, input.as_bytes()),
    }
}

/// The five headers for a request signed now, as the SDKs send them. `body` is `None` for a
/// body-less request, which signs sha256(`{}`) like the SDKs do.
pub fn signed_headers(
    key: &SigningKey,
    agent_id: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> Vec<(&'static str, String)> {
    let method = method.to_ascii_uppercase();
    let h = sign_request_now(key, agent_id, &method, path, body);
    h.pairs()
        .iter()
        .map(|(k, v)| (*k, (*v).to_string()))
        .collect()
}

/// [`sign_request`] with the current time (ms RFC 3339) and a fresh UUID v4 nonce.
pub fn sign_request_now(
    key: &SigningKey,
    agent_id: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> SignedHeaders {
    sign_request(
        key,
        agent_id,
        method,
        path,
        body,
        &crate::timefmt::now_string(),
        &crate::ids::new_id(),
    )
}

/// Checks a request signature. `target` is the raw request target: the signature is checked over
/// the path without its query first, then (compatibility with the SDKs' filtered list calls, which
/// sign the query too) over the full target. `body_sha256` is the header value as sent. This checks
/// only the signature; timestamp skew, nonce replay and the body hash are the caller's checks.
pub fn verify_request(
    key: &VerifyingKey,
    method: &str,
    target: &str,
    timestamp: &str,
    nonce: &str,
    body_sha256: &str,
    signature_b64: &str,
) -> bool {
    let path = path_without_query(target);
    let input = signing_input(method, path, timestamp, nonce, body_sha256);
    if ed25519::verify_b64(key, input.as_bytes(), signature_b64) {
        return true;
    }
    if path.len() != target.len() {
        let input = signing_input(method, target, timestamp, nonce, body_sha256);
        return ed25519::verify_b64(key, input.as_bytes(), signature_b64);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_hash() {
        assert_eq!(body_sha256(b"{}"), EMPTY_OBJECT_SHA256);
    }

    #[test]
    fn signs_and_verifies_with_and_without_query() {
        let sk = SigningKey::from_bytes(&[3u8; 32]);
        let vk = sk.verifying_key();
        let h = sign_request(
            &sk,
            "a1",
            "POST",
            "/v1/authorize",
            Some(b"{\"x\":1}"),
            "2024-01-15T10:30:00.000Z",
            "n1",
        );
        assert_eq!(h.body_sha256, body_sha256(b"{\"x\":1}"));
        assert!(verify_request(
            &vk,
            "POST",
            "/v1/authorize",
            &h.timestamp,
            &h.nonce,
            &h.body_sha256,
            &h.signature
        ));
        // the server strips the query before checking
        assert!(verify_request(
            &vk,
            "POST",
            "/v1/authorize?x=1",
            &h.timestamp,
            &h.nonce,
            &h.body_sha256,
            &h.signature
        ));
        assert!(!verify_request(
            &vk,
            "GET",
            "/v1/authorize",
            &h.timestamp,
            &h.nonce,
            &h.body_sha256,
            &h.signature
        ));
        assert!(!verify_request(
            &vk,
            "POST",
            "/v1/authorize",
            &h.timestamp,
            "n2",
            &h.body_sha256,
            &h.signature
        ));

        // an SDK signing the query (filtered list) is accepted too
        let g = sign_request(
            &sk,
            "a1",
            "GET",
            "/v1/agent/policy-drafts?status=PENDING",
            None,
            "t",
            "n",
        );
        assert_eq!(g.body_sha256, EMPTY_OBJECT_SHA256);
        assert!(verify_request(
            &vk,
            "GET",
            "/v1/agent/policy-drafts?status=PENDING",
            "t",
            "n",
            EMPTY_OBJECT_SHA256,
            &g.signature
        ));
        assert!(!verify_request(
            &vk,
            "GET",
            "/v1/agent/policy-drafts?status=DENIED",
            "t",
            "n",
            EMPTY_OBJECT_SHA256,
            &g.signature
        ));
        assert_eq!(g.pairs()[0], ("X-Agent-Id", "a1"));
    }
}
