//! Which URLs the dispatcher may call (SPEC §16): http(s) only, never a link-local address (cloud
//! metadata endpoints live there) and never this server's own listening address (a webhook that
//! calls back into openleash could loop or reach admin endpoints as a loopback peer). URLs are
//! checked statically when configured or registered, and host names again when delivering, by
//! [`CheckedResolver`]: the addresses checked are the addresses connected to.

use std::net::{IpAddr, SocketAddr};

/// Host and port of an http(s) URL, or why it is not one.
pub fn host_port(url: &str) -> Result<(String, u16, bool), String> {
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err(format!(
            "`{}` is not an http:// or https:// URL",
            shorten(url)
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("`{}` has an unclosed IPv6 address", shorten(url)))?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(format!("`{}` has no host", shorten(url)));
    }
    let port = match port {
        None | Some("") => {
            if https {
                443
            } else {
                80
            }
        }
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| format!("`{}` has an invalid port", shorten(url)))?,
    };
    ureq::http::Uri::try_from(url)
        .map_err(|e| format!("`{}` is not a valid URL: {e}", shorten(url)))?;
    Ok((host.to_ascii_lowercase(), port, https))
}

fn shorten(url: &str) -> String {
    // URLs of Slack-like services carry their secret in the path: never echo it whole.
    let mut s: String = url.chars().take(40).collect();
    if url.chars().count() > 40 {
        s.push('…');
    }
    s
}

pub fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => {
            (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_link_local())
        }
    }
}

fn is_own(ip: IpAddr, port: u16, own: SocketAddr) -> bool {
    if port != own.port() {
        return false;
    }
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        _ => ip,
    };
    ip == own.ip()
        || (own.ip().is_unspecified() && (ip.is_loopback() || ip.is_unspecified()))
        || (own.ip().is_loopback() && (ip.is_loopback() || ip.is_unspecified()))
}

/// Static check at load or registration: scheme, syntax, literal link-local IPs, and this
/// server's own address (also as `localhost`).
pub fn check(url: &str, own: Option<SocketAddr>) -> Result<(), String> {
    let (host, port, _) = host_port(url)?;
    let literal = host.parse::<IpAddr>().ok().or_else(|| {
        (host == "localhost" || host.ends_with(".localhost"))
            .then_some(IpAddr::from([127, 0, 0, 1]))
    });
    if let Some(ip) = literal
        && let Some(why) = refusal(ip, port, own)
    {
        return Err(format!(
            "`{}` points at {why}, which is refused",
            shorten(url)
        ));
    }
    Ok(())
}

/// Why the dispatcher must not connect to `ip:port`, if it must not.
fn refusal(ip: IpAddr, port: u16, own: Option<SocketAddr>) -> Option<String> {
    if is_link_local(ip) {
        return Some(format!("a link-local address ({ip})"));
    }
    if let Some(own) = own
        && is_own(ip, port, own)
    {
        return Some(format!("this server's own address ({own})"));
    }
    None
}

/// A delivery refused after name resolution (carried through the HTTP client as its error).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// The dispatcher's name resolver: resolves a host once, checks every address it resolved to,
/// and hands the HTTP client exactly those addresses to connect to. A host that resolved to an
/// allowed address when it was checked cannot be re-resolved to a refused one for the
/// connection (DNS rebinding), because nothing resolves it a second time. One refused address
/// among several refuses the delivery: the client could pick any of them.
#[derive(Debug)]
pub struct CheckedResolver {
    inner: Box<dyn Resolver>,
    own: Option<SocketAddr>,
}

use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};

impl CheckedResolver {
    /// Checks what `inner` (the system resolver in production) answers.
    pub fn new(inner: impl Resolver, own: Option<SocketAddr>) -> CheckedResolver {
        CheckedResolver {
            inner: Box::new(inner),
            own,
        }
    }
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or("");
        for a in addrs.iter() {
            if let Some(why) = refusal(a.ip(), a.port(), self.own) {
                return Err(ureq::Error::Other(Box::new(Refused(format!(
                    "`{host}` resolves to {why}, which is refused"
                )))));
            }
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_spec_refuses() {
        let own: SocketAddr = "127.0.0.1:8787".parse().unwrap();
        assert!(check("http://127.0.0.1:9000/hook", Some(own)).is_ok());
        assert!(check("https://example.com/hook", Some(own)).is_ok());
        for bad in [
            "file:///etc/passwd",
            "ftp://x/",
            "http://169.254.169.254/latest",
            "http://[fe80::1]/x",
            "http://127.0.0.1:8787/v1/admin/config",
            "http://localhost:8787/x",
            "http:///x",
            "http://x:99999/",
        ] {
            assert!(check(bad, Some(own)).is_err(), "{bad}");
        }
        let any: SocketAddr = "0.0.0.0:8787".parse().unwrap();
        assert!(check("http://127.0.0.1:8787/", Some(any)).is_err());
        assert!(check("http://127.0.0.1:8788/", Some(any)).is_ok());
    }
}
