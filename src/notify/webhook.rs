//! HTTP delivery (agent and owner webhooks; Slack and ntfy ride on [`post`] too): signed JSON
//! bodies as upstream — `X-Webhook-Signature: hex(HMAC-SHA256(secret, body))`,
//! `Authorization: Bearer <token>` — plus `X-Webhook-Id` and `X-Webhook-Timestamp` (Δ).
//!
//! Host names are resolved once per connection and every address checked before it is connected
//! to ([`super::url::CheckedResolver`]). The client follows no redirects, uses no proxy from the environment (a proxy would see the
//! bodies and tokens), has connect and overall timeouts, and never sends a credential of this
//! server.

use super::dispatch::Attempt;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::SocketAddr;
use std::time::Duration;
use ureq::unversioned::resolver::{DefaultResolver, Resolver};
use ureq::unversioned::transport::DefaultConnector;

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
        Client::with_resolver(timeout, own, DefaultResolver::default())
    }

    /// A client whose names are looked up by `resolver` (tests stand in for DNS with it); every
    /// address it answers is checked before it is connected to.
    pub fn with_resolver(
        timeout: Duration,
        own: Option<SocketAddr>,
        resolver: impl Resolver,
    ) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent(concat!("openleash/", env!("CARGO_PKG_VERSION")))
            .build();
        let resolver = super::url::CheckedResolver::new(resolver, own);
        let agent = ureq::Agent::with_parts(config, DefaultConnector::new(), resolver);
        Client { agent, own }
    }

    /// POSTs `body` with `headers`; classifies the answer per SPEC §16.
    pub fn post(&self, url: &str, headers: &[(&str, String)], body: &[u8]) -> Attempt {
        if let Err(why) = super::url::check(url, self.own) {
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
            Err(ureq::Error::Other(e)) if e.is::<super::url::Refused>() => {
                Attempt::permanent(None, e.to_string())
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

    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use ureq::unversioned::resolver::ResolvedSocketAddrs;

    /// Stands in for DNS: answers each lookup with the next list of addresses (the last one
    /// again when the script runs out), counting lookups.
    #[derive(Debug, Clone, Default)]
    struct ScriptedDns {
        answers: Arc<Mutex<Vec<Vec<SocketAddr>>>>,
        lookups: Arc<AtomicUsize>,
    }

    impl Resolver for ScriptedDns {
        fn resolve(
            &self,
            _uri: &ureq::http::Uri,
            _config: &ureq::config::Config,
            _timeout: ureq::unversioned::transport::NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            let mut a = self.answers.lock().unwrap();
            let next = if a.len() > 1 {
                a.remove(0)
            } else {
                a[0].clone()
            };
            let mut out = self.empty();
            for x in next {
                out.push(x);
            }
            Ok(out)
        }
    }

    /// A real HTTP receiver on loopback answering 200, counting requests.
    fn receiver() -> (SocketAddr, Arc<AtomicUsize>, Arc<tiny_http::Server>) {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let addr = server.server_addr().to_ip().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let (s, h) = (server.clone(), hits.clone());
        std::thread::spawn(move || {
            for rq in s.incoming_requests() {
                h.fetch_add(1, Ordering::SeqCst);
                let _ = rq.respond(tiny_http::Response::empty(200));
            }
        });
        (addr, hits, server)
    }

    #[test]
    fn names_are_resolved_once_and_the_checked_address_is_the_one_connected_to() {
        let (rx, hits, server) = receiver();
        // "This server": a listener on loopback whose port the dispatcher must never reach.
        let own_listener = TcpListener::bind("127.0.0.1:0").unwrap();
        own_listener.set_nonblocking(true).unwrap();
        let own = own_listener.local_addr().unwrap();
        let dns = ScriptedDns::default();
        let client = Client::with_resolver(Duration::from_secs(5), Some(own), dns.clone());
        let post =
            |host: &str, port: u16| client.post(&format!("http://{host}:{port}/hook"), &[], b"{}");

        // An allowed address goes through, resolved once.
        *dns.answers.lock().unwrap() = vec![vec![rx]];
        let a = post("hooks.example.test", rx.port());
        assert!(
            matches!(a.kind, super::super::dispatch::Kind::Delivered),
            "{a:?}"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1);
        assert_eq!(dns.lookups.load(Ordering::SeqCst), 1);

        // A name that resolves to this server's own (loopback) address is refused for good,
        // and nothing connects to it.
        *dns.answers.lock().unwrap() = vec![vec![own]];
        let a = post("rebind.example.test", own.port());
        assert!(
            matches!(a.kind, super::super::dispatch::Kind::Permanent),
            "{a:?}"
        );
        let why = a.error.clone().unwrap_or_default();
        assert!(
            why.contains("rebind.example.test") && why.contains("own address"),
            "{why}"
        );
        assert!(
            own_listener.accept().is_err(),
            "nothing connected to the server"
        );

        // One refused address among allowed ones refuses the delivery.
        let metadata: SocketAddr = "169.254.169.254:80".parse().unwrap();
        *dns.answers.lock().unwrap() = vec![vec![rx, metadata]];
        let a = post("mixed.example.test", rx.port());
        assert!(
            matches!(a.kind, super::super::dispatch::Kind::Permanent),
            "{a:?}"
        );
        assert!(a.error.unwrap_or_default().contains("link-local"));

        // Rebinding: the name answers an allowed address, then the server's own. Each
        // connection is made to what its own single lookup checked: the first is delivered, the
        // second refused without a connection.
        *dns.answers.lock().unwrap() = vec![vec![rx], vec![own]];
        let before = dns.lookups.load(Ordering::SeqCst);
        let url = format!("http://flip.example.test:{}/hook", rx.port());
        let a = client.post(&url, &[], b"{}");
        assert!(
            matches!(a.kind, super::super::dispatch::Kind::Delivered),
            "{a:?}"
        );
        let a = client.post(&url, &[], b"{}");
        assert!(
            matches!(a.kind, super::super::dispatch::Kind::Permanent),
            "{a:?}"
        );
        assert_eq!(
            dns.lookups.load(Ordering::SeqCst) - before,
            2,
            "one lookup per delivery"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 2);
        assert!(
            own_listener.accept().is_err(),
            "nothing connected to the server"
        );
        server.unblock();
    }

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
