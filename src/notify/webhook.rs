//! HTTP delivery (agent and owner webhooks; Slack and ntfy ride on [`post`] too): signed JSON
//! bodies as upstream — `X-Webhook-Signature: hex(HMAC-SHA256(secret, body))`,
//! `Authorization: Bearer <token>` — plus `X-Webhook-Id` and `X-Webhook-Timestamp` (Δ).
//!
//! The client follows no redirects, uses no proxy from the environment (a proxy would see the
//! bodies and tokens), has connect and overall timeouts, and never sends a credential of this
//! server.

use super::dispatch::Attempt;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::SocketAddr;
use std::time::Duration;

/// Hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // new_from_slice accepts any key length for HMAC; the error branch cannot happen.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(body);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The HTTP client of one dispatcher.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    own: Option<SocketAddr>,
}

impl Client {
    pub fn new(timeout: Duration, own: Option<SocketAddr>) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent(concat!("openleash/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client { agent, own }
    }

    /// POSTs `body` with `headers`; classifies the answer per SPEC §16.
    pub fn post(&self, url: &str, headers: &[(&str, String)], body: &[u8]) -> Attempt {
        if let Err(why) = super::url::check_resolved(url, self.own) {
            return Attempt::permanent(None, why);
        }
        let mut req = self.agent.post(url);
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        match req.send(body) {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                // Read (a little of) the body so the connection can be reused.
                let _ = resp.body_mut().with_config().limit(64 * 1024).read_to_vec();
                classify(status, retry_after)
            }
            // Error texts may quote the URL; a Slack-style URL is a credential.
            Err(e) => Attempt::temporary(
                None,
                e.to_string().replace(url, &super::outbox::origin(url)),
                None,
            ),
        }
    }
}

/// 2xx delivered; 408/429/5xx retry; redirects and other 4xx are permanent.
pub fn classify(status: u16, retry_after: Option<Duration>) -> Attempt {
    match status {
        200..=299 => Attempt::delivered(status),
        408 | 429 | 500..=599 => Attempt::temporary(
            Some(status),
            format!("receiver answered {status}"),
            retry_after,
        ),
        300..=399 => Attempt::permanent(
            Some(status),
            format!("receiver answered {status} (redirects are not followed)"),
        ),
        _ => Attempt::permanent(Some(status), format!("receiver answered {status}")),
    }
}

/// `Retry-After`: delta-seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let when =
        time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc2822).ok()?;
    let secs = (when - crate::timefmt::now()).whole_seconds();
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// Headers of a signed JSON delivery.
pub fn signed_headers(
    id: &str,
    body: &[u8],
    secret: &str,
    token: &str,
) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("Content-Type", "application/json".to_string()),
        ("X-Webhook-Id", id.to_string()),
        ("X-Webhook-Timestamp", crate::timefmt::now_string()),
    ];
    if !secret.is_empty() {
        h.push(("X-Webhook-Signature", signature(secret.as_bytes(), body)));
    }
    if !token.is_empty() {
        h.push(("Authorization", format!("Bearer {token}")));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn classification_and_retry_after() {
        assert!(matches!(
            classify(204, None).kind,
            super::super::dispatch::Kind::Delivered
        ));
        assert!(matches!(
            classify(503, None).kind,
            super::super::dispatch::Kind::Temporary
        ));
        assert!(matches!(
            classify(429, None).kind,
            super::super::dispatch::Kind::Temporary
        ));
        assert!(matches!(
            classify(400, None).kind,
            super::super::dispatch::Kind::Permanent
        ));
        assert!(matches!(
            classify(302, None).kind,
            super::super::dispatch::Kind::Permanent
        ));
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
