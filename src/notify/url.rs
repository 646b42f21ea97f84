//! Which URLs the dispatcher may call (SPEC §16): http(s) only, never a link-local address (cloud
//! metadata endpoints live there) and never this server's own listening address (a webhook that
//! calls back into openleash could loop or reach admin endpoints as a loopback peer).

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

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
    if let Some(ip) = literal {
        if is_link_local(ip) {
            return Err(format!(
                "`{}` points at a link-local address ({ip}), which is refused",
                shorten(url)
            ));
        }
        if let Some(own) = own
            && is_own(ip, port, own)
        {
            return Err(format!(
                "`{}` points at this server's own address ({own}), which is refused",
                shorten(url)
            ));
        }
    }
    Ok(())
}

/// Check at delivery time, after name resolution (a host name may resolve to a refused
/// address). Returns the reason to refuse.
pub fn check_resolved(url: &str, own: Option<SocketAddr>) -> Result<(), String> {
    check(url, own)?;
    let (host, port, _) = host_port(url)?;
    if host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    // Resolution failures are left to the HTTP client, which reports them as retryable.
    if let Ok(addrs) = (host.as_str(), port).to_socket_addrs() {
        for a in addrs {
            if is_link_local(a.ip()) {
                return Err(format!(
                    "`{}` resolves to a link-local address ({})",
                    shorten(url),
                    a.ip()
                ));
            }
            if let Some(own) = own
                && is_own(a.ip(), port, own)
            {
                return Err(format!(
                    "`{}` resolves to this server's own address",
                    shorten(url)
                ));
            }
        }
    }
    Ok(())
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
